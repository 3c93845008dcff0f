/* ct-sla-bar.h - A case's service level as a bar: due time, business time left or past, escalation
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ct-case.h"

G_BEGIN_DECLS

#define CT_TYPE_SLA_BAR (ct_sla_bar_get_type ())

G_DECLARE_FINAL_TYPE (CtSlaBar, ct_sla_bar, CT, SLA_BAR, GtkWidget)

GtkWidget  *ct_sla_bar_new        (void);
/* Shows @c's SLA state (c->sla) as it is now; hidden when no SLA applies. */
void        ct_sla_bar_update     (CtSlaBar *self,
                                   CtCase   *c);
/* "Due 5 Dec 2026, 14:00", "3 h 20 min of business time left" or
 * "Breached 2 h 15 min of business time ago", "Escalation level 2": what
 * the bar says, for tests and the accessible description. */
const char *ct_sla_bar_get_due    (CtSlaBar *self);
const char *ct_sla_bar_get_left   (CtSlaBar *self);
const char *ct_sla_bar_get_escalation (CtSlaBar *self);

G_END_DECLS
