/* ct-sim-schema.h - The models the simulator knows, their fields and access rights
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-sim-db.h"

G_BEGIN_DECLS

/* Adds every simulated model (fields, access rights, ir.model rows) to @db.
 * @with_extras: also Odoo Approvals (Enterprise) and OCA queue_job, which the
 * recorded Community server does not have. */
void   ct_sim_schema_build    (CtSimDb    *db,
                               gboolean    with_extras);
/* The ir.model id of @model, 0 when unknown. */
gint64 ct_sim_schema_model_id (CtSimDb    *db,
                               const char *model);

G_END_DECLS
