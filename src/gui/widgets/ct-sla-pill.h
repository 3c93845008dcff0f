/* ct-sla-pill.h - A case's service level as a tinted pill with a word in it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ct-case.h"

G_BEGIN_DECLS

GtkWidget *ct_sla_pill_new    (void);
/* "Breached 3 h", "At risk", "On track": the word is always there, the
 * colour only backs it up. */
void       ct_sla_pill_update (GtkWidget *pill,
                               CtCase    *c);
char      *ct_sla_pill_text   (CtCase    *c);
/* Business time for a table: "45 min", "2 h 15 min", "75 h". */
char      *ct_format_duration_short (gint64 seconds);

G_END_DECLS
