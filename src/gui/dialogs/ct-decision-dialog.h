/* ct-decision-dialog.h - Asks what a decision needs, sends it once, says what the server shows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-decisions.h"
#include "ct-journal.h"

G_BEGIN_DECLS

#define CT_TYPE_DECISION_DIALOG (ct_decision_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CtDecisionDialog, ct_decision_dialog, CT, DECISION_DIALOG, AdwWindow)

/* One case (@cases holds one) or a bulk decision on several (element-type
 * CtCase). @journal keeps what was typed for a decision that failed. */
CtDecisionDialog *ct_decision_dialog_new          (GtkWindow         *parent,
                                                   CtDecisions       *decisions,
                                                   CtJournal         *journal,
                                                   GPtrArray         *cases,
                                                   CtDecisionOutcome  outcome);
CtDecisionOutcome ct_decision_dialog_get_outcome  (CtDecisionDialog  *self);
/* "form", "confirming", "sending" or "result" */
const char       *ct_decision_dialog_get_state    (CtDecisionDialog  *self);
/* The message shown for the last failure, or NULL. */
const char       *ct_decision_dialog_get_error    (CtDecisionDialog  *self);
void              ct_decision_dialog_set_comment  (CtDecisionDialog  *self,
                                                   const char        *text);
char             *ct_decision_dialog_dup_comment  (CtDecisionDialog  *self);
void              ct_decision_dialog_add_condition (CtDecisionDialog *self,
                                                   const char        *text);
/* The per-case results once sent (element-type CtDecisionResult), or NULL. */
GPtrArray        *ct_decision_dialog_get_results  (CtDecisionDialog  *self);
/* The confirmation asked before sending, while it shows, or NULL. */
AdwMessageDialog *ct_decision_dialog_get_confirmation (CtDecisionDialog *self);

G_END_DECLS
