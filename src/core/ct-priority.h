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

G_END_DECLS
