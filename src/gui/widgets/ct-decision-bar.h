/* ct-decision-bar.h - The decisions a case offers, at the bottom of the case page
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-decisions.h"

G_BEGIN_DECLS

#define CT_TYPE_DECISION_BAR (ct_decision_bar_get_type ())

G_DECLARE_FINAL_TYPE (CtDecisionBar, ct_decision_bar, CT, DECISION_BAR, GtkWidget)

GtkWidget  *ct_decision_bar_new        (void);
/* The window action each outcome's button names: "win.approve", … */
const char *ct_decision_bar_action_for (CtDecisionOutcome  outcome);
/* Why @outcome cannot be decided now (NULL: it can). The button's tooltip
 * and accessible description say it; the bar's note says the first one. */
void        ct_decision_bar_set_reason (CtDecisionBar     *self,
                                        CtDecisionOutcome  outcome,
                                        const char        *reason);
const char *ct_decision_bar_get_reason (CtDecisionBar     *self,
                                        CtDecisionOutcome  outcome);
GtkWidget  *ct_decision_bar_get_button (CtDecisionBar     *self,
                                        CtDecisionOutcome  outcome);

G_END_DECLS
