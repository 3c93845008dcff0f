/* ct-window-decisions.h - The window's side of deciding: actions, shortcuts, the dialog, the journal page
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-decisions.h"
#include "ct-window.h"

G_BEGIN_DECLS

void         ct_window_decisions_class_init (GtkWidgetClass *widget_class);
void         ct_window_decisions_init       (CtWindow       *self);
/* Enables the decision actions for what the window shows and says why
 * one is not available. Cheap: call it whenever the cases may have moved. */
void         ct_window_decisions_update     (CtWindow       *self);
/* (nullable) the service once connected. */
CtDecisions *ct_window_get_decisions        (CtWindow       *self);
/* (nullable) the journal decisions are written to. */
CtJournal   *ct_window_get_journal          (CtWindow       *self);
/* (nullable) the decision dialog while it is open. */
GtkWindow   *ct_window_get_decision_dialog  (CtWindow       *self);

G_END_DECLS
