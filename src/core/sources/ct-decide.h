/* ct-decide.h - How each approval mechanism applies a decision in the server's own terms
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-source.h"

G_BEGIN_DECLS

/* What the server says about one requirement right now. */
typedef struct
{
  gboolean  exists;        /* the record (review, approver, activity, order) is still there */
  gboolean  open;          /* it still waits for a decision */
  gboolean  approved;      /* settled as approved */
  gboolean  rejected;      /* settled as rejected or cancelled */
  gint64    holder_id;     /* res.users id it waits for, 0 for a group */
  char     *holder;        /* (nullable) their name */
  char     *state;         /* the server's word: "pending", "to approve", … */
  char     *by;            /* (nullable) who changed it last */
  gint64    at;            /* when, Unix seconds, 0 unknown */
} CtDecideState;

void ct_decide_state_free (CtDecideState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtDecideState, ct_decide_state_free)

/* One mechanism: reads a requirement's state and applies approve/reject.
 * @comment goes where the mechanism keeps one (the tier comment wizard,
 * activity feedback); the structured chatter note is the service's. */
typedef struct
{
  CtSourceKind kind;
  void           (*read_async)  (CtOdooClient        *client,
                                 CtCase              *c,
                                 const CtRequirement *req,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  /* Returns the server's answer as JSON text ("null" for None). */
  void           (*act_async)   (CtOdooClient        *client,
                                 CtCase              *c,
                                 const CtRequirement *req,
                                 gboolean             approve,
                                 const char          *comment,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  /* Why the server may have answered success without applying it. */
  const char    *(*not_applied_reason) (gboolean approve);
} CtDecideMechanism;

const CtDecideMechanism *ct_decide_tier_mechanism               (void);
const CtDecideMechanism *ct_decide_approvals_mechanism          (void);
const CtDecideMechanism *ct_decide_double_validation_mechanism  (void);
const CtDecideMechanism *ct_decide_activity_mechanism           (void);
const CtDecideMechanism *ct_decide_mechanism_for                (CtSourceKind kind);

CtDecideState  *ct_decide_read_finish (GAsyncResult  *result,
                                       GError       **error);
char           *ct_decide_act_finish  (GAsyncResult  *result,
                                       GError       **error);

/* ---- shared by the mechanism files ---- */

/* The id after the last ':' of a source_ref ("tier.review:17" → 17). */
gint64          ct_decide_ref_id      (const char    *source_ref);
/* Reads @fields of @model @id and hands the row (NULL when gone) to @build,
 * which fills the state; the task returns it. */
typedef void  (*CtDecideBuildFunc)    (JsonObject    *row,
                                       CtDecideState *state);
void            ct_decide_read_record (CtOdooClient        *client,
                                       const char          *model,
                                       gint64               id,
                                       const char * const  *fields,
                                       CtDecideBuildFunc    build,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
/* Calls @method on @model [@id] with @kwargs (nullable, taken) and returns
 * the answer as text through a task. */
void            ct_decide_call        (CtOdooClient        *client,
                                       const char          *model,
                                       const char          *method,
                                       gint64               id,
                                       JsonObject          *kwargs,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
/* Fills state->by and state->at from write_uid and write_date. */
void            ct_decide_fill_writer (JsonObject    *row,
                                       CtDecideState *state);

/* The CtSourceClass.apply_decision_async/_finish of each mechanism
 * ("approve" or "reject" on this user's requirement; the other outcomes
 * are the decision service's). */
void            ct_decide_apply_async  (CtSource            *self,
                                        CtCase              *c,
                                        const char          *outcome,
                                        const char          *comment,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean        ct_decide_apply_finish (CtSource            *self,
                                        GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
