/* ct-case.h - One pending record (or one incident) as the tower shows it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ct-profile.h"
#include "ct-sla.h"

G_BEGIN_DECLS

typedef enum
{
  CT_CASE_KIND_APPROVAL,     /* a record waiting for one or more approvals */
  CT_CASE_KIND_INCIDENT,     /* a stalled integration (see ct-incident.h) */
} CtCaseKind;

typedef enum
{
  CT_CASE_STATUS_PENDING,
  CT_CASE_STATUS_UPCOMING,           /* e.g. a tier review still `waiting` for an earlier tier */
  CT_CASE_STATUS_AWAITING_REVISION,  /* sent back to the requester: SLA paused */
  CT_CASE_STATUS_DECIDED,
} CtCaseStatus;

typedef enum
{
  CT_APPROVER_STATE_PENDING,
  CT_APPROVER_STATE_WAITING,         /* not their turn yet (sequential) */
  CT_APPROVER_STATE_APPROVED,
  CT_APPROVER_STATE_REJECTED,
} CtApproverState;

/* Whether the signed-in user can act on a requirement: told by the server
 * (a review's can_review, res.users.has_group for oneself) or by who the
 * requirement names. Unknown when nothing said (an old snapshot). */
typedef enum
{
  CT_ACTOR_UNKNOWN,
  CT_ACTOR_YOU,                      /* the signed-in user may act on it */
  CT_ACTOR_SOMEONE_ELSE,             /* waiting for someone else */
} CtActor;

/* One open (or settled) requirement on the record: who must act, through
 * which mechanism. A purchase order under tier review and in `to approve`
 * carries two requirements, not two cases. */
typedef struct
{
  CtSourceKind     source;
  char            *source_ref;       /* (owned) e.g. "tier.review:17", "approval.approver:4" */
  gint64           approver_id;      /* res.users id, 0 for a group */
  char            *approver;         /* (owned) display name, or group name */
  CtApproverState  state;
  guint            sequence;         /* order for sequential approvals */
  CtActor          actor;            /* whether the signed-in user can act on it */
} CtRequirement;

typedef struct
{
  gint64  id;
  char   *name;                      /* (owned) (nullable) */
  char   *tier;                      /* (owned) (nullable) "strategic", … */
  double  credit_limit;
  double  exposure;                  /* receivables + open orders */
  double  overdue;
} CtPartner;

typedef struct
{
  char   *name;                      /* (owned) "value", "cutoff", "tier", "stock" */
  double  points;
  char   *explanation;               /* (owned) words for the user */
} CtPriorityComponent;

typedef struct
{
  char   *code;                      /* (owned) "discount-vs-salesperson", … */
  double  score;                     /* robust z-score */
  char   *explanation;               /* (owned) */
} CtAnomaly;

/* Incident kinds; see ct-incident.h for how they are detected. */
typedef enum
{
  CT_INCIDENT_NONE,
  CT_INCIDENT_N8N_ERROR,
  CT_INCIDENT_N8N_CRASHED,
  CT_INCIDENT_N8N_RUNNING_TOO_LONG,
  CT_INCIDENT_N8N_WAITING_TOO_LONG,
  CT_INCIDENT_CRON_OVERDUE,
  CT_INCIDENT_CRON_FAILING,
  CT_INCIDENT_CRON_DEACTIVATED,
  CT_INCIDENT_QUEUE_JOB_FAILED,
  CT_INCIDENT_QUEUE_JOB_STUCK,
} CtIncidentKind;

#define CT_TYPE_CASE (ct_case_get_type ())

G_DECLARE_FINAL_TYPE (CtCase, ct_case, CT, CASE, GObject)

/* The struct is public so list sorters and filters read fields directly
 * (TOOLCHAIN.md: GValue property lookups dominate at 100 000 rows). Write
 * fields only before the case is put in a store; after that a case is
 * replaced, not edited, except for the derived fields the engine refreshes
 * (sla, priority, position). */
struct _CtCase
{
  GObject          parent_instance;

  char            *key;              /* (owned) "model:id" */
  CtCaseKind       kind;
  char            *model;            /* (owned) */
  gint64           record_id;
  char            *reference;        /* (owned) (nullable) "P00013" */
  char            *title;            /* (owned) (nullable) */
  char            *area_id;          /* (owned) (nullable) */
  char            *queue_id;         /* (owned) (nullable) */
  gint64           requester_id;
  char            *requester;        /* (owned) (nullable) */
  GPtrArray       *requirements;     /* (owned) (element-type CtRequirement) */
  double           amount;
  char            *currency;         /* (owned) (nullable) */
  CtPartner        partner;
  char            *company;          /* (owned) (nullable) */
  char            *branch;           /* (owned) (nullable) branch or warehouse */
  gint64           requested_at;     /* Unix seconds */
  gint64           decided_at;       /* 0 unless decided */
  char            *outcome;          /* (owned) (nullable) for decided cases */
  gboolean         breached_when_decided;
  GPtrArray       *reasons;          /* (owned) (element-type utf8) */
  CtCaseStatus     status;
  GArray          *pauses;           /* (owned) (element-type CtPeriod) sorted, disjoint;
                                      * { start, 0 } while awaiting revision */
  gboolean         urgent;           /* urgent shipment: shorter SLA */
  gint64           shipment_cutoff;  /* 0 if none */
  double           stock_criticality;/* 0–1 */
  double           discount;         /* percent, for anomaly checks; NAN if none */

  /* Incidents only. */
  CtIncidentKind   incident_kind;
  char            *detail;           /* (owned) (nullable) error text from the server */
  GPtrArray       *linked_keys;      /* (owned) (element-type utf8) cases it holds up */
  char            *failed_node;      /* (owned) (nullable) the n8n node that failed */
  char            *attempt_status;   /* (owned) (nullable) n8n status of the latest attempt */
  guint            n_failures;       /* failures grouped in it (n8n: per workflow), 0 = one */
  guint            n_attempts;       /* runs of the latest retry chain, 0 = one */
  gint64           last_failed_at;   /* the latest failure; requested_at is the first */

  /* Derived: refreshed by the engine. */
  CtSlaState       sla;
  double           priority;
  gint64           priority_at;      /* when priority was computed, 0 never */
  GPtrArray       *priority_components; /* (owned) (element-type CtPriorityComponent) */
  GPtrArray       *anomalies;        /* (owned) (element-type CtAnomaly) */
  char            *search_text;      /* (owned) casefolded, see ct_case_update_search_text() */
  guint            position;         /* index in its CtCaseStore (a case is in one store) */
};

CtCase          *ct_case_new                    (const char     *model,
                                                 gint64          record_id);
CtCase          *ct_case_new_incident           (CtIncidentKind  kind,
                                                 const char     *model,
                                                 gint64          record_id);
/* "model:id", the key of a case in every store. */
char            *ct_case_make_key               (const char     *model,
                                                 gint64          record_id);
CtCase          *ct_case_copy                   (CtCase         *self);

/* Whether two cases say the same thing: every field the server or the
 * sources set (what the snapshot stores), not the derived SLA state,
 * priority or position. */
gboolean         ct_case_equal                  (CtCase         *a,
                                                 CtCase         *b);

const char      *ct_case_get_key                (CtCase         *self);
const char      *ct_case_get_title              (CtCase         *self);
const char      *ct_case_get_area_id            (CtCase         *self);
CtCaseStatus     ct_case_get_status             (CtCase         *self);
const CtSlaState *ct_case_get_sla               (CtCase         *self);

void             ct_case_set_text               (char          **field,
                                                 const char     *value);
/* Adds a requirement; one with the same source_ref is replaced, so merging
 * the same record from two sources never lists a requirement twice.
 * Returns it (owned by the case; its actor unknown) for the caller to say
 * who can act on it. */
CtRequirement   *ct_case_add_requirement        (CtCase         *self,
                                                 CtSourceKind    source,
                                                 const char     *source_ref,
                                                 gint64          approver_id,
                                                 const char     *approver,
                                                 CtApproverState state,
                                                 guint           sequence);
/* Whether the signed-in user can act on an open (pending) requirement of
 * the case: what "My Queue" and decisions offer. */
gboolean         ct_case_user_can_act           (CtCase         *self);
char            *ct_case_dup_display_title      (CtCase         *self);
/* "P00013 · Delta Dairy — order 16 066 EUR ≥ 5 000 EUR": the reference and
 * the display title, or the reference (the key) alone. */
char            *ct_case_dup_label              (CtCase         *self);
/* Whether every open requirement waits for someone else (known, none for
 * the user). */
gboolean         ct_case_waits_for_others       (CtCase         *self);
/* Merges the requirements, reasons and pauses of @other (same key) into
 * @self: one record pending through several mechanisms stays one case. */
void             ct_case_merge                  (CtCase         *self,
                                                 CtCase         *other);
gboolean         ct_case_has_source             (CtCase         *self,
                                                 CtSourceKind    source);
guint            ct_case_count_open_requirements (CtCase        *self);
void             ct_case_add_reason             (CtCase         *self,
                                                 const char     *reason);
void             ct_case_add_pause              (CtCase         *self,
                                                 gint64          start,
                                                 gint64          end);
void             ct_case_add_anomaly            (CtCase         *self,
                                                 const char     *code,
                                                 double          score,
                                                 const char     *explanation);
void             ct_case_add_linked_key         (CtCase         *self,
                                                 const char     *key);

/* Fills what a record says through @queue's field mapping (an Odoo
 * search_read row of queue->model: many2one as [id, "name"], false for
 * empty): reference, title, amount, currency, requester, partner, company,
 * branch, discount, shipment cut-off; then the area (ct_profile_area_for_record)
 * and the reasons (ct_profile_explain, which also sees "amount" and a
 * "partner" object with the case's credit figures — so set those first).
 * Missing fields and wrong types leave a field empty; never fails. */
void             ct_case_fill_from_record       (CtCase         *self,
                                                 CtProfile      *profile,
                                                 const CtQueue  *queue,
                                                 JsonObject     *record);
/* For a case asked about another record (an activity on an order): the
 * amount, currency and partner of that record, as @fields name them, where
 * the case has none yet. Nothing else (reference, area, reasons) changes. */
void             ct_case_fill_party             (CtCase              *self,
                                                 const CtQueueFields *fields,
                                                 JsonObject          *record);

/* Why a row cannot be read (a counted skip, never a silent drop). */
typedef enum
{
  CT_ROW_READABLE,
  CT_ROW_WRONG_TYPE,         /* a string for an id, a list for a date, ... */
  CT_ROW_IMPOSSIBLE_VALUE,   /* an id <= 0, an amount beyond 10^15 */
} CtRowProblem;

/* Checks the fields of an Odoo row that everything else rests on: its id
 * (a positive integer), its dates (a string or false) and its numbers
 * (integers, amounts: a number or false, amounts within ±10^15). A field's
 * kind comes from @fields (fields_get of its model, nullable) or, for the
 * models whose fields were not asked, from its name (id, *_date, date_*,
 * nextcall, lastcall, amount*, *_count, sequence, res_id). Text and
 * relation fields of a wrong type only leave the case's field empty.
 * On a problem, *@field is the first field at fault (owned by @record). */
CtRowProblem     ct_case_check_record           (JsonObject     *record,
                                                 JsonObject     *fields,
                                                 const char    **field);

/* Builds the casefolded text the fast filter searches. */
void             ct_case_update_search_text     (CtCase         *self);
/* Folds user input the same way as the search text. */
char            *ct_case_fold_text              (const char     *text);
/* Plain byte search of a folded needle in the folded text: what a
 * GtkCustomFilter calls per row. An empty needle matches. */
gboolean         ct_case_matches                (CtCase         *self,
                                                 const char     *folded_needle);

/* Everything a report shows about the case, for `--format=json` and
 * debugging: an object with the fields, requirements, SLA state (times as
 * ISO 8601 UTC, durations in business seconds), priority components and
 * anomalies. Server text stays text (JSON escapes it). */
JsonNode        *ct_case_to_json                (CtCase         *self);

/* Snapshot form: a compact, versioned binary record (native byte order; the
 * snapshot never leaves this machine). GVariant was tried and cost 60 µs a
 * case; this costs about 1. Deserialising checks every length and UTF-8
 * string and returns NULL for anything malformed, never crashing. */
void             ct_case_serialize_to           (CtCase         *self,
                                                 GByteArray     *out);
GBytes          *ct_case_serialize              (CtCase         *self);
CtCase          *ct_case_deserialize            (const guint8   *data,
                                                 gsize           length);

const char      *ct_case_status_to_string       (CtCaseStatus    status);
gboolean         ct_case_status_from_string     (const char     *str,
                                                 CtCaseStatus   *status);
const char      *ct_approver_state_to_string    (CtApproverState state);
/* "you", "someone-else" or "unknown". */
const char      *ct_actor_to_string             (CtActor         actor);

G_END_DECLS
