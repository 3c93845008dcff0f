/* ct-window-live.h - The window kept current: the Odoo bus where it can, polling where not
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-odoo-bus.h"
#include "ct-window.h"

G_BEGIN_DECLS

void        ct_window_live_init           (CtWindow *self);
/* After each update: starts the bus for a newly connected session and
 * says in the health popover whether updates are live or polled. */
void        ct_window_live_update         (CtWindow *self);
/* The session ends: the bus closes with it. */
void        ct_window_live_stop           (CtWindow *self);
/* NULL before a session is connected. */
CtOdooBus  *ct_window_get_bus             (CtWindow *self);
/* Refreshes the bus asked for, for tests. */
guint       ct_window_live_get_n_bus_refreshes (CtWindow *self);
/* "Live from the Odoo bus" or "Polling every 5 min: …", as the popover says it. */
const char *ct_window_live_get_updates_text (CtWindow *self);

/* Desktop notifications sent, and the last one's title and case. */
guint       ct_window_live_get_n_notifications (CtWindow    *self,
                                                const char **title,
                                                const char **target);

G_END_DECLS
