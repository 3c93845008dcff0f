/* ct-sim-distributor.c - The generated distributor: a deterministic demo company
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include "ct-sim-datasets.h"
#include "ct-sim-schema.h"

const char *
ct_sim_dataset_distributor_api_key (guint64     seed,
                                    const char *login)
{
  static char keys[8][41];
  static const char *const logins[] = { "admin", "manager", "approver", "requester", "noright" };

  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    if (g_strcmp0 (logins[i], login) == 0)
      {
        g_autofree char *input = g_strdup_printf ("ct-sim:%" G_GUINT64_FORMAT ":%s", seed, login);
        g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA1, input, -1);

        g_strlcpy (keys[i], sha, sizeof keys[i]);
        return keys[i];
      }
  return NULL;
}

void
ct_sim_dataset_distributor (CtSimOdoo *odoo,
                            guint64    seed,
                            guint      n_cases,
                            GArray    *links)
{
  CtSimDb *db = ct_sim_odoo_get_db (odoo);

  ct_sim_dataset_add_base (db, "Northwind Distribution", "Northwind Distribution");
}
