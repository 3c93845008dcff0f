/* ct-decisions.h - Deciding cases in the server's own terms: re-read, act, verify, journal
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ct-case.h"
#include "ct-journal.h"
#include "ct-odoo-client.h"
#include "ct-profile.h"
#include "ct-sync.h"

G_BEGIN_DECLS

typedef enum
{
  CT_DECISION_APPROVE,
  CT_DECISION_REJECT,
  CT_DECISION_REVISE,                   /* back to the requester, SLA paused */
  CT_DECISION_APPROVE_WITH_CONDITIONS,  /* approve + a follow-up activity */
  CT_DECISION_ESCALATE,                 /* next level of the area's chain */
  CT_DECISION_DELEGATE,                 /* to a user picked from res.users */
} CtDecisionOutcome;

/* "approve", "reject", "revise", "approve-with-conditions", "escalate", "delegate" */
const char *ct_decision_outcome_to_string   (CtDecisionOutcome  outcome);
gboolean    ct_decision_outcome_from_string (const char        *text,
                                             CtDecisionOutcome *outcome);
/* Words for the user: "Approve", "Request revision", … */
const char *ct_decision_outcome_label       (CtDecisionOutcome  outcome);

#define CT_DECISION_ERROR (ct_decision_error_quark ())

typedef enum
{
  CT_DECISION_ERROR_INVALID,             /* a comment, condition or target is missing */
  CT_DECISION_ERROR_FOUR_EYES,           /* the requester cannot approve their own case */
  CT_DECISION_ERROR_NEEDS_CONFIRMATION,  /* above the profile's amount: confirm first */
  CT_DECISION_ERROR_STALE,               /* the case may be out of date: no decision */
  CT_DECISION_ERROR_NOT_ELIGIBLE,        /* nothing on the case waits for this user */
  CT_DECISION_ERROR_CONFLICT,            /* decided or reassigned meanwhile: nothing sent */
  CT_DECISION_ERROR_BUSY,                /* a decision on this case is being sent */
  CT_DECISION_ERROR_REFUSED,             /* the server answered with an error */
  CT_DECISION_ERROR_NOT_APPLIED,         /* the server's state does not show the decision */
} CtDecisionError;

GQuark      ct_decision_error_quark         (void);

/* What the user asks. Strings are borrowed for the call. */
typedef struct
{
  CtDecisionOutcome   outcome;
  const char         *comment;       /* (nullable) required for reject and revise */
  const char * const *conditions;    /* (nullable) NULL-terminated; ≥ 1 for approve-with-conditions */
  gint64              target_id;     /* delegate: res.users id … */
  const char         *target_login;  /* … or login */
  gint64              deadline;      /* Unix seconds; 0: from the profile (the area's SLA) */
  gboolean            confirmed;     /* the user confirmed a high-value approval (or the bulk) */
} CtDecisionRequest;

/* What happened, as the server's state shows it. */
typedef struct
{
  char              *case_key;
  CtDecisionOutcome  outcome;
  gboolean           verified;        /* the read-back shows the decision */
  gboolean           answer_lost;     /* the call's answer never came; the read-back decided */
  char              *correlation_id;
  char              *summary;         /* a sentence for the user */
  char              *state;           /* (nullable) the server's state read back */
  char              *still_open;      /* (nullable) requirements that stay open, in words */
  char              *server_answer;   /* (nullable) */
  char              *target;          /* (nullable) who got the activity */
  guint              escalation_level;
  gint64             message_id;      /* the structured chatter note, 0 if it failed */
  gint64             activity_id;     /* revision, conditions, escalation or delegation */
  GError            *error;           /* (nullable) bulk only: why this case failed */
} CtDecisionResult;

void ct_decision_result_free (CtDecisionResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtDecisionResult, ct_decision_result_free)

/* One case left out of a bulk decision, and why. */
typedef struct
{
  char *case_key;
  char *reason;
} CtDecisionSkip;

typedef struct
{
  GPtrArray *eligible;    /* (element-type CtCase) */
  GPtrArray *skipped;     /* (element-type CtDecisionSkip) */
  double     total;       /* sum of the eligible cases' amounts */
  gboolean   needs_confirmation;
} CtDecisionPlan;

void ct_decision_plan_free (CtDecisionPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtDecisionPlan, ct_decision_plan_free)

/* A user to delegate to (name_search). */
typedef struct
{
  gint64  id;
  char   *name;
} CtDecisionUser;

#define CT_TYPE_DECISIONS (ct_decisions_get_type ())

G_DECLARE_FINAL_TYPE (CtDecisions, ct_decisions, CT, DECISIONS, GObject)

/* @client must be connected. @login names the deciding user in the journal
 * and the chatter. @sync (nullable) tells stale cases. */
CtDecisions *ct_decisions_new                (CtOdooClient  *client,
                                              CtProfile     *profile,
                                              CtJournal     *journal,
                                              CtSync        *sync,
                                              const char    *login);

/* Reads @key ("model:id") afresh from each of @sources (element-type
 * CtSource) and merges their views: the case as the command line decides
 * it. NULL with no error when nothing is open on the record. */
void         ct_decisions_read_case_async    (CtDecisions         *self,
                                              GPtrArray           *sources,
                                              const char          *key,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
CtCase      *ct_decisions_read_case_finish   (CtDecisions         *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Whether @outcome may be asked on @c now; FALSE with *reason (a sentence
 * for a disabled action) otherwise. Checks what needs no server call:
 * stale, four-eyes, something open for this user. */
gboolean     ct_decisions_can_decide         (CtDecisions        *self,
                                              CtCase             *c,
                                              CtDecisionOutcome   outcome,
                                              char              **reason);
/* Whether approving @c asks for an explicit confirmation; *question is
 * the sentence with amount and partner. */
gboolean     ct_decisions_needs_confirmation (CtDecisions        *self,
                                              CtCase             *c,
                                              CtDecisionOutcome   outcome,
                                              char              **question);

/* Re-reads, acts once, verifies by reading again, posts the structured
 * chatter note, journals. Never retries and never sends twice: a lost
 * answer is settled by the read-back. A second call for the same case
 * while one runs fails with CT_DECISION_ERROR_BUSY. On failure the typed
 * comment and conditions stay as the case's draft in the journal. */
void         ct_decisions_decide_async       (CtDecisions              *self,
                                              CtCase                   *c,
                                              const CtDecisionRequest  *request,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
CtDecisionResult *ct_decisions_decide_finish (CtDecisions        *self,
                                              GAsyncResult       *result,
                                              GError            **error);

/* Splits @cases (element-type CtCase) into those @request may go to and
 * the others with why; the count and total are for the one confirmation. */
CtDecisionPlan *ct_decisions_plan_bulk       (CtDecisions              *self,
                                              GPtrArray                *cases,
                                              const CtDecisionRequest  *request);
/* Decides every eligible case of @plan, one after the other; @progress
 * (nullable) after each. Returns the per-case results (element-type
 * CtDecisionResult, failures with ->error set): partial failure is normal. */
typedef void (*CtDecisionProgressFunc) (CtDecisionResult *result,
                                        guint             done,
                                        guint             total,
                                        gpointer          user_data);
void         ct_decisions_decide_bulk_async  (CtDecisions              *self,
                                              CtDecisionPlan           *plan,
                                              const CtDecisionRequest  *request,
                                              CtDecisionProgressFunc    progress,
                                              gpointer                  progress_data,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
GPtrArray   *ct_decisions_decide_bulk_finish (CtDecisions        *self,
                                              GAsyncResult       *result,
                                              GError            **error);

/* Users whose name matches @text (name_search), for search-as-you-type
 * (element-type CtDecisionUser). */
void         ct_decisions_search_users_async  (CtDecisions         *self,
                                               const char          *text,
                                               guint                limit,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray   *ct_decisions_search_users_finish (CtDecisions         *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* The conditions of the last approval with conditions on @key while its
 * follow-up activity is open (element-type utf8); empty once it is done.
 * Reads the activity on the server. */
void         ct_decisions_open_conditions_async  (CtDecisions         *self,
                                                  const char          *key,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray   *ct_decisions_open_conditions_finish (CtDecisions         *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Revision: while a requested revision is open, @c is shown awaiting
 * revision with its SLA clock paused; once the record's write_date moves
 * past the request, it is pending again. Reads the record. */
void         ct_decisions_refresh_revision_async  (CtDecisions         *self,
                                                   CtCase              *c,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
/* Returns the status @c should show (pending or awaiting revision) and
 * marks @c (status and pause) accordingly. */
CtCaseStatus ct_decisions_refresh_revision_finish (CtDecisions         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
