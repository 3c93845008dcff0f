/* ct-priority.h - A priority score that explains itself
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-case.h"
#include "ct-profile.h"

G_BEGIN_DECLS

/* Sets c->priority and c->priority_components from the case's value,
 * shipment cut-off, customer tier and stock criticality, weighted by the
 * profile. Each component carries a sentence for the user. Returns the score. */
double ct_priority_compute (CtProfile *profile,
                            CtCase    *c,
                            gint64     now);

/* The minute tick: computes the priority of cases never computed, and
 * recomputes those with a shipment cut-off (the only part that moves with
 * time); the others keep theirs until the case is replaced. @force
 * recomputes all (after a profile change). Returns how many were computed. */
guint  ct_priority_update_all (CtProfile *profile,
                               GPtrArray *cases,
                               gint64     now,
                               gboolean   force);

G_END_DECLS
