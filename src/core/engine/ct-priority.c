/* ct-priority.c - A priority score that explains itself
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-priority"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ct-priority.h"

static void
add_component (CtCase     *c,
               const char *name,
               double      points,
               char       *explanation)
{
  CtPriorityComponent *pc = g_new0 (CtPriorityComponent, 1);

  pc->name = g_strdup (name);
  pc->points = round (points * 10) / 10;
  pc->explanation = explanation;
  g_ptr_array_add (c->priority_components, pc);
  c->priority += pc->points;
}

double
ct_priority_compute (CtProfile *profile,
                     CtCase    *c,
                     gint64     now)
{
  const CtPriorityWeights *w = ct_profile_get_priority_weights (profile);
  double confirm = ct_profile_get_confirm_amount (profile);

  g_ptr_array_set_size (c->priority_components, 0);
  c->priority = 0;

  /* Value on a log scale: a 100 000 order is more urgent than a 10 000 one,
   * but not ten times more; the confirmation amount earns the full weight. */
  if (c->amount > 0 && w->value_weight > 0)
    {
      double ref = confirm > 1 ? confirm : 10000;
      double share = MIN (1.0, log1p (c->amount) / log1p (ref));
      g_autofree char *amount =
        ct_format_money (c->amount, c->currency ? c->currency : ct_profile_get_currency (profile));

      /* TRANSLATORS: "Value 12 400 EUR" */
      add_component (c, "value", w->value_weight * share, g_strdup_printf (_("Value %s"), amount));
    }

  if (c->shipment_cutoff > 0 && w->cutoff_weight > 0)
    {
      gint64 left = c->shipment_cutoff - now;
      gint64 horizon = MAX (w->cutoff_horizon_seconds, 1);

      if (left <= 0)
        add_component (c, "cutoff", w->cutoff_weight,
                       g_strdup_printf (_("Shipment cut-off passed %d h ago"),
                                        (int) (-left / 3600)));
      else if (left < horizon)
        add_component (c, "cutoff", w->cutoff_weight * (1.0 - (double) left / horizon),
                       left < 3600
                         ? g_strdup_printf (_("Shipment cut-off in %d min"), (int) (left / 60))
                         : g_strdup_printf (_("Shipment cut-off in %d h"), (int) (left / 3600)));
    }

  if (c->partner.tier != NULL && g_strcmp0 (c->partner.tier, "strategic") == 0 &&
      w->strategic_weight > 0)
    add_component (c, "tier", w->strategic_weight,
                   c->partner.name
                     ? g_strdup_printf (_("Strategic customer %s"), c->partner.name)
                     : g_strdup (_("Strategic customer")));

  if (c->stock_criticality > 0 && w->stock_weight > 0)
    add_component (c, "stock", w->stock_weight * MIN (1.0, c->stock_criticality),
                   g_strdup_printf (_("Stock criticality %d %%"),
                                    (int) round (MIN (1.0, c->stock_criticality) * 100)));

  c->priority = round (c->priority * 10) / 10;
  c->priority_at = now;
  return c->priority;
}

guint
ct_priority_update_all (CtProfile *profile,
                        GPtrArray *cases,
                        gint64     now,
                        gboolean   force)
{
  guint n = 0;

  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];

      if (force || c->priority_at == 0 || c->shipment_cutoff > 0)
        {
          ct_priority_compute (profile, c, now);
          n++;
        }
    }
  return n;
}
