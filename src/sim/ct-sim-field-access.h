/* ct-sim-field-access.h - Odoo's field-level groups: fields some users may not read
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-sim-db.h"

G_BEGIN_DECLS

/* Whether the user of the call being served (db->current_uid) may read
 * @field; TRUE outside a call. */
gboolean ct_sim_field_readable   (CtSimModel  *model,
                                  CtSimField  *field);
/* The same, with Odoo's AccessError naming the groups when not. */
gboolean ct_sim_field_check_read (CtSimModel  *model,
                                  CtSimField  *field,
                                  GError     **error);

G_END_DECLS
