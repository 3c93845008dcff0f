/* ct-bench-engine.c - Times the engine's pure parts over 100 000 cases
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-bench-engine"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "ct-case-store.h"
#include "ct-journal.h"
#include "ct-metrics.h"
#include "ct-priority.h"
#include "ct-sla.h"

static const char *partners[] = {
  "Brasserie Élégante", "Acme Distribution", "Nordic Foods AB", "Société Générale de Distribution",
  "Van den Berg Logistics", "Müller Großhandel GmbH", "Iberia Retail SL", "Polska Hurt Sp. z o.o.",
};
static const char *people[] = { "Ann Peeters", "Bob Janssens", "Chloé Dubois", "Dirk Maes",
                                "Eva Claes", "Farid El Amrani" };
static const char *branches[] = { "Antwerp warehouse", "Liège DC", "Ghent cross-dock",
                                  "Brussels HQ" };

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static long
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  p = strstr (status, "VmRSS:");
  return p ? strtol (p + 6, NULL, 10) : -1;
}

static CtCase *
make_case (CtProfile *profile,
           GRand     *rand,
           guint      id,
           gint64     now)
{
  guint n_areas = ct_profile_get_n_areas (profile);
  const CtArea *area = ct_profile_get_area (profile, g_rand_int_range (rand, 0, n_areas));
  CtCase *c = ct_case_new (g_rand_boolean (rand) ? "purchase.order" : "sale.order", id);
  guint pi = g_rand_int_range (rand, 0, G_N_ELEMENTS (partners));
  guint who = g_rand_int_range (rand, 0, G_N_ELEMENTS (people));
  g_autofree char *ref = NULL;

  c->reference = g_strdup_printf ("%s%05u", c->model[0] == 'p' ? "P" : "S", id);
  c->title = g_strdup_printf ("Order for %s", partners[pi]);
  c->area_id = g_strdup (area->id);
  c->queue_id = g_strdup (c->model[0] == 'p' ? "purchase-tier" : "sale-tier");
  c->requester_id = who + 1;
  c->requester = g_strdup (people[who]);
  c->amount = g_rand_double_range (rand, 100, 60000);
  c->currency = g_strdup ("EUR");
  c->partner.id = pi + 1;
  c->partner.name = g_strdup (partners[pi]);
  c->partner.tier = g_strdup (pi % 4 == 0 ? "strategic" : "standard");
  c->branch = g_strdup (branches[id % G_N_ELEMENTS (branches)]);
  c->requested_at = now - g_rand_int_range (rand, 0, 45 * 24 * 3600);
  c->urgent = id % 13 == 0;
  c->shipment_cutoff = id % 5 == 0 ? now + g_rand_int_range (rand, -3600, 48 * 3600) : 0;
  c->stock_criticality = (id % 7) / 7.0;
  ref = g_strdup_printf ("tier.review:%u", id);
  ct_case_add_requirement (c, CT_SOURCE_KIND_TIER_VALIDATION, ref, who + 1,
                           people[(who + 1) % G_N_ELEMENTS (people)], CT_APPROVER_STATE_PENDING, 1);
  if (id % 3 == 0)
    {
      g_autofree char *r = g_strdup_printf ("discount %u %% > 10 %% limit", 11 + id % 20);
      ct_case_add_reason (c, r);
    }
  if (id % 11 == 0)
    ct_case_add_pause (c, c->requested_at + 3600, id % 22 == 0 ? 0 : c->requested_at + 7200);
  if (id % 17 == 0)
    c->status = CT_CASE_STATUS_UPCOMING;
  return c;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Median of @runs timings of @fn. */
#define MEDIAN_OF(runs, result, body)                                   \
  G_STMT_START {                                                        \
    double t_[runs];                                                    \
    for (guint r_ = 0; r_ < (runs); r_++)                               \
      {                                                                 \
        double s_ = now_ms ();                                          \
        body;                                                           \
        t_[r_] = now_ms () - s_;                                        \
      }                                                                 \
    qsort (t_, (runs), sizeof (double), cmp_double);                    \
    (result) = t_[(runs) / 2];                                          \
  } G_STMT_END

static void
row (const char *what,
     double      ms,
     const char *target,
     const char *note)
{
  printf ("| %-42s | %10.1f ms | %-9s | %s\n", what, ms, target, note ? note : "");
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (2026);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  double t, t_build, t_first_sla, t_sla, t_metrics, t_filter, t_filter_miss, t_apply, t_prio;
  double t_write, t_read, t_load, t_open, t_prio_all;
  guint n_prio = 0;
  g_autofree char *dir = NULL;
  g_autofree char *needle1 = ct_case_fold_text ("élégante");
  g_autofree char *needle2 = ct_case_fold_text ("zzz-no-match");
  guint matched = 0, emissions = 0;
  long rss_before = rss_kb ();
  long rss_store;

  if (n == 0)
    n = 100000;

  t = now_ms ();
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (cases, make_case (profile, rand, i + 1, now));
  ct_case_store_replace_all (store, cases);
  t_build = now_ms () - t;
  rss_store = rss_kb ();

  t = now_ms ();
  ct_sla_update_all (profile, cases, now);
  t_first_sla = now_ms () - t;
  MEDIAN_OF (7, t_sla, ct_sla_update_all (profile, cases, now + 60));

  MEDIAN_OF (5, t_prio_all, ct_priority_update_all (profile, cases, now, TRUE));
  MEDIAN_OF (5, t_prio, n_prio = ct_priority_update_all (profile, cases, now + 60, FALSE));

  MEDIAN_OF (5, t_metrics, {
    CtMetrics *m = ct_metrics_compute (profile, cases, NULL, now);
    ct_metrics_free (m);
  });

  /* What a GtkCustomFilter does per keystroke: one byte search per row. */
  MEDIAN_OF (9, t_filter, {
    GPtrArray *items = ct_case_store_get_cases (store);
    matched = 0;
    for (guint i = 0; i < items->len; i++)
      matched += ct_case_matches (items->pdata[i], needle1);
  });
  MEDIAN_OF (9, t_filter_miss, {
    GPtrArray *items = ct_case_store_get_cases (store);
    for (guint i = 0; i < items->len; i++)
      ct_case_matches (items->pdata[i], needle2);
  });

  /* 1 % changed: 0.8 % updated in place, 0.1 % gone, 0.1 % new. */
  {
    g_autoptr(GPtrArray) ups = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GPtrArray) rem = g_ptr_array_new_with_free_func (g_free);
    guint n_up = n * 8 / 1000, n_rm = n / 1000, n_new = n / 1000;

    for (guint i = 0; i < n_up; i++)
      {
        CtCase *c = make_case (profile, rand, g_rand_int_range (rand, 1, n + 1), now);
        ct_case_update_search_text (c);
        g_ptr_array_add (ups, c);
      }
    for (guint i = 0; i < n_new; i++)
      {
        CtCase *c = make_case (profile, rand, n + 1 + i, now);
        ct_case_update_search_text (c);
        g_ptr_array_add (ups, c);
      }
    for (guint i = 0; i < n_rm; i++)
      g_ptr_array_add (rem, g_strdup_printf ("sale.order:%u", g_rand_int_range (rand, 1, n + 1)));
    g_ptr_array_add (rem, NULL);
    t = now_ms ();
    emissions = ct_case_store_apply_changes (store, ups, (const char * const *) rem->pdata);
    t_apply = now_ms () - t;
  }

  dir = g_dir_make_tmp ("ct-bench-XXXXXX", NULL);
  {
    g_autoptr(CtJournal) j = ct_journal_open (dir, &error);
    g_autoptr(GPtrArray) back = NULL;
    g_autoptr(CtCaseStore) fresh = ct_case_store_new ();
    gint64 at = 0;

    g_assert_no_error (error);
    t = now_ms ();
    ct_journal_write_snapshot (j, ct_case_store_get_cases (store), now, &error);
    t_write = now_ms () - t;
    g_assert_no_error (error);
    t = now_ms ();
    back = ct_journal_read_snapshot (j, &at, &error);
    t_read = now_ms () - t;
    g_assert_no_error (error);
    g_assert_cmpuint (back->len, ==, ct_case_store_get_n_cases (store));
    /* Opening checks both files (quick_check) before use. */
    {
      g_autoptr(CtJournal) again = NULL;

      t = now_ms ();
      again = ct_journal_open (dir, &error);
      t_open = now_ms () - t;
      g_assert_no_error (error);
    }
    /* Start-up from the snapshot: read, SLA, into a store. */
    t = now_ms ();
    ct_sla_update_all (profile, back, now);
    ct_case_store_replace_all (fresh, back);
    t_load = now_ms () - t + t_read;
  }
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }

  printf ("ct-bench-engine: %u cases, GLib %u.%u.%u\n\n", n, glib_major_version,
          glib_minor_version, glib_micro_version);
  printf ("| %-42s | %13s | %-9s | %s\n", "measure", "time", "target", "note");
  printf ("|%s|%s|%s|%s\n", "--------------------------------------------",
          "---------------", "-----------", "------");
  row ("build cases + search text + store", t_build, "", NULL);
  row ("SLA recompute, first (builds tables)", t_first_sla, "", NULL);
  {
    g_autofree char *note = g_strdup_printf ("median of 7%s", t_sla <= 50 ? "" : " — MISSED");
    row ("SLA recompute (minute tick)", t_sla, "≤ 50 ms", note);
  }
  row ("priority, all cases", t_prio_all, "", "median of 5");
  {
    g_autofree char *note = g_strdup_printf ("%u with a cut-off, median of 5", n_prio);
    row ("priority, minute tick", t_prio, "", note);
  }
  row ("metrics (areas, queues, approvers)", t_metrics, "", "median of 5");
  {
    g_autofree char *note = g_strdup_printf ("%u matches, median of 9%s", matched,
                                             t_filter <= 16 ? "" : " — MISSED");
    row ("text filter, common needle", t_filter, "≤ 16 ms", note);
  }
  row ("text filter, no match", t_filter_miss, "≤ 16 ms", NULL);
  {
    g_autofree char *note = g_strdup_printf ("%u items-changed", emissions);
    row ("store apply, 1 % changed", t_apply, "", note);
  }
  row ("snapshot write", t_write, "", NULL);
  row ("snapshot read", t_read, "", NULL);
  row ("journal + snapshot open (integrity check)", t_open, "", NULL);
  row ("start from snapshot (read + SLA + store)", t_load, "", NULL);
  printf ("\nRSS: %.1f MB at start, %.1f MB with the store built (%.0f bytes a case), "
          "%.1f MB at the end (two stores: the live one and one loaded from the snapshot)\n",
          rss_before / 1024.0, rss_store / 1024.0, (rss_store - rss_before) * 1024.0 / n,
          rss_kb () / 1024.0);

  g_rand_free (rand);
  return 0;
}
