/* test-case-store.c - The case store as a GListModel: ranges, order, lookup
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-case-store"

#include "config.h"

#include <string.h>

#include "ct-case-store.h"

typedef struct
{
  guint position, removed, added;
  guint n_items_at_emission;
} Emission;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *log)
{
  Emission e = { position, removed, added, g_list_model_get_n_items (model) };

  g_array_append_val (log, e);
}

static CtCase *
make (guint id)
{
  CtCase *c = ct_case_new ("sale.order", id);

  c->title = g_strdup_printf ("Order %u", id);
  return c;
}

/* The model as a caller sees it through GListModel only. */
static char *
describe (CtCaseStore *store)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_assert_cmpuint (c->position, ==, i);
      g_assert_true (ct_case_store_lookup (store, c->key) == c);
      g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? " " : "", c->record_id);
    }
  return g_string_free (s, FALSE);
}

/* A mirror of the model kept only from items-changed, as GtkListView does:
 * if the emissions are wrong, the mirror drifts from the model. */
typedef struct
{
  GPtrArray *mirror;
} Mirror;

static void
mirror_changed_cb (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   Mirror     *m)
{
  g_ptr_array_remove_range (m->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (m->mirror, position + i, g_list_model_get_item (model, position + i));
}

static void
assert_mirror (Mirror      *m,
               CtCaseStore *store)
{
  g_assert_cmpuint (m->mirror->len, ==, g_list_model_get_n_items (G_LIST_MODEL (store)));
  for (guint i = 0; i < m->mirror->len; i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_assert_true (m->mirror->pdata[i] == c);
    }
}

static void
test_ranges (void)
{
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (Emission));
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  Mirror m = { g_ptr_array_new_with_free_func (g_object_unref) };
  g_autofree char *d1 = NULL;
  g_autofree char *d2 = NULL;
  const char *removals[] = {
    "sale.order:3", "sale.order:4", "sale.order:8", "sale.order:99", NULL
  };
  Emission *e;
  guint n;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == CT_TYPE_CASE);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), log);
  g_signal_connect (store, "items-changed", G_CALLBACK (mirror_changed_cb), &m);

  for (guint i = 10; i >= 1; i--)
    g_ptr_array_add (first, make (i));
  ct_case_store_replace_all (store, first);
  g_assert_cmpuint (log->len, ==, 1);
  d1 = describe (store);
  /* Stable order: by key, whatever order the sync delivered them in. */
  g_assert_cmpstr (d1, ==, "1 10 2 3 4 5 6 7 8 9");
  g_array_set_size (log, 0);

  /* One sync: 2 and 5 and 6 changed, 3 4 8 gone (99 unknown), 11 and 0 new. */
  g_ptr_array_add (batch, make (2));
  g_ptr_array_add (batch, make (5));
  g_ptr_array_add (batch, make (6));
  for (guint i = 0; i < 3; i++)
    ((CtCase *) batch->pdata[i])->amount = 100;
  g_ptr_array_add (batch, make (11));
  g_ptr_array_add (batch, make (0));
  n = ct_case_store_apply_changes (store, batch, removals);
  d2 = describe (store);
  /* Changed ones keep their places; new ones go at the end in key order. */
  g_assert_cmpstr (d2, ==, "1 10 2 5 6 7 9 0 11");
  g_assert_true (ct_case_store_lookup (store, "sale.order:5") == batch->pdata[1]);
  g_assert_null (ct_case_store_lookup (store, "sale.order:3"));

  /* Emissions: appended [10, +2), then from the end: 8 removed at 8,
   * 2..6 (positions 2–6: 2 changed, 3 4 gone, 5 6 changed) as one range. */
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (log->len, ==, 3);
  e = &g_array_index (log, Emission, 0);
  g_assert_cmpuint (e->position, ==, 10);
  g_assert_cmpuint (e->removed, ==, 0);
  g_assert_cmpuint (e->added, ==, 2);
  e = &g_array_index (log, Emission, 1);
  g_assert_cmpuint (e->position, ==, 8);
  g_assert_cmpuint (e->removed, ==, 1);
  g_assert_cmpuint (e->added, ==, 0);
  e = &g_array_index (log, Emission, 2);
  g_assert_cmpuint (e->position, ==, 2);
  g_assert_cmpuint (e->removed, ==, 5);
  g_assert_cmpuint (e->added, ==, 3);
  g_assert_cmpuint (e->n_items_at_emission, ==, 9);
  assert_mirror (&m, store);

  /* A full reconciliation re-reading every record: equal copies change
   * nothing and emit nothing; the one that differs is one range. */
  {
    g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);
    CtCase *before = ct_case_store_lookup (store, "sale.order:7");

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
      {
        g_autoptr(CtCase) c = g_list_model_get_item (G_LIST_MODEL (store), i);
        g_ptr_array_add (again, ct_case_copy (c));
      }
    g_free (((CtCase *) again->pdata[5])->title);
    ((CtCase *) again->pdata[5])->title = g_strdup ("Order 7, amended");
    g_array_set_size (log, 0);
    g_assert_cmpuint (ct_case_store_apply_changes (store, again, NULL), ==, 1);
    g_assert_cmpuint (log->len, ==, 1);
    e = &g_array_index (log, Emission, 0);
    g_assert_cmpuint (e->position, ==, 5);
    g_assert_cmpuint (e->removed, ==, 1);
    g_assert_cmpuint (e->added, ==, 1);
    g_assert_true (ct_case_store_lookup (store, "sale.order:7") != before);
    g_assert_true (ct_case_store_lookup (store, "sale.order:7") == again->pdata[5]);
    g_assert_true (ct_case_store_lookup (store, "sale.order:6") != again->pdata[4]);
    assert_mirror (&m, store);
  }

  /* An empty batch emits nothing. */
  g_array_set_size (log, 0);
  g_assert_cmpuint (ct_case_store_apply_changes (store, NULL, NULL), ==, 0);
  g_assert_cmpuint (log->len, ==, 0);

  g_ptr_array_unref (m.mirror);
}

static void
test_random_batches (void)
{
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(GHashTable) expected = g_hash_table_new (g_direct_hash, g_direct_equal);
  Mirror m = { g_ptr_array_new_with_free_func (g_object_unref) };
  GRand *rand = g_rand_new_with_seed (42);

  g_signal_connect (store, "items-changed", G_CALLBACK (mirror_changed_cb), &m);
  /* Random syncs against a set model of which ids should exist: the mirror
   * and the lookups must agree after each one. */
  for (guint round = 0; round < 60; round++)
    {
      g_autoptr(GPtrArray) ups = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) rem_keys = g_ptr_array_new_with_free_func (g_free);

      for (guint k = 0; k < 15; k++)
        {
          guint id = g_rand_int_range (rand, 0, 80);

          if (g_rand_boolean (rand))
            {
              g_ptr_array_add (ups, make (id));
              g_hash_table_add (expected, GUINT_TO_POINTER (id + 1));
            }
          else
            {
              g_ptr_array_add (rem_keys, g_strdup_printf ("sale.order:%u", id));
            }
        }
      /* Removals win over upserts of the same key. */
      for (guint k = 0; k < rem_keys->len; k++)
        {
          guint id = (guint) g_ascii_strtoull (strchr (rem_keys->pdata[k], ':') + 1, NULL, 10);
          g_hash_table_remove (expected, GUINT_TO_POINTER (id + 1));
        }
      g_ptr_array_add (rem_keys, NULL);
      ct_case_store_apply_changes (store, ups, (const char * const *) rem_keys->pdata);
      assert_mirror (&m, store);
      g_assert_cmpuint (ct_case_store_get_n_cases (store), ==, g_hash_table_size (expected));
      g_free (describe (store));
    }
  g_rand_free (rand);
  g_ptr_array_unref (m.mirror);
}

static void
test_filter (void)
{
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 100; i++)
    {
      CtCase *c = make (i);

      c->partner.name = g_strdup (i % 10 == 0 ? "Brasserie Élégante" : "Acme");
      g_ptr_array_add (cases, c);
    }
  ct_case_store_replace_all (store, cases);
  g_assert_cmpuint (ct_case_store_count_matching (store, "élégante"), ==, 10);
  g_assert_cmpuint (ct_case_store_count_matching (store, "ELEGANTE"), ==, 10);
  g_assert_cmpuint (ct_case_store_count_matching (store, "order 7"), ==, 11);
  g_assert_cmpuint (ct_case_store_count_matching (store, ""), ==, 100);
  g_assert_cmpuint (ct_case_store_count_matching (store, "zzz"), ==, 0);
}

static gint64
at (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static void
test_update_sla (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (Emission));
  Emission *e;

  /* Sales cases (8 h, at risk from 6 h) requested on Monday 23 March 2026
   * at 08:00, 09:00, …, 12:00 (12:00 counts from 13:00). */
  for (guint i = 0; i < 5; i++)
    {
      CtCase *c = make (i);

      c->area_id = g_strdup ("sales");
      c->requested_at = at ("2026-03-23T08:00:00+01:00") + i * 3600;
      g_ptr_array_add (cases, c);
    }
  ct_case_store_replace_all (store, cases);
  g_assert_cmpuint (ct_case_store_update_sla (store, p, at ("2026-03-23T10:00:00+01:00")), ==, 5);

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), log);
  /* Nothing moved in ten minutes. */
  g_assert_cmpuint (ct_case_store_update_sla (store, p, at ("2026-03-23T10:10:00+01:00")), ==, 0);
  g_assert_cmpuint (log->len, ==, 0);
  /* 15:30: cases 0 and 1 (6.5 h, 5.5 h)… 0 at risk, the others on track. */
  g_assert_cmpuint (ct_case_store_update_sla (store, p, at ("2026-03-23T15:30:00+01:00")), ==, 1);
  g_assert_cmpuint (log->len, ==, 1);
  e = &g_array_index (log, Emission, 0);
  g_assert_cmpuint (e->position, ==, 0);
  g_assert_cmpuint (e->removed, ==, 1);
  g_assert_cmpuint (e->added, ==, 1);
  /* Tuesday 09:30: 0 (9.5 h) breached and at level 1, 1 (8.5 h) breached,
   * 2 (7.5 h) and 3 (6.5 h) at risk, 4 (5.5 h) on track. */
  g_array_set_size (log, 0);
  g_assert_cmpuint (ct_case_store_update_sla (store, p, at ("2026-03-24T09:30:00+01:00")), ==, 4);
  g_assert_cmpuint (log->len, ==, 1);
  e = &g_array_index (log, Emission, 0);
  g_assert_cmpuint (e->position, ==, 0);
  g_assert_cmpuint (e->removed, ==, 4);
  g_assert_cmpint (((CtCase *) cases->pdata[0])->sla.status, ==, CT_SLA_STATUS_BREACHED);
  g_assert_cmpint (((CtCase *) cases->pdata[3])->sla.status, ==, CT_SLA_STATUS_AT_RISK);
  g_assert_cmpint (((CtCase *) cases->pdata[4])->sla.status, ==, CT_SLA_STATUS_ON_TRACK);
}

static void
test_finalize (void)
{
  CtCaseStore *store = ct_case_store_new ();
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  CtCase *kept = make (1);

  g_ptr_array_add (cases, g_object_ref (kept));
  ct_case_store_replace_all (store, cases);
  g_assert_finalize_object (store);
  g_ptr_array_set_size (cases, 0);
  g_assert_finalize_object (kept);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/case-store/ranges", test_ranges);
  g_test_add_func ("/ct/core/case-store/random-batches", test_random_batches);
  g_test_add_func ("/ct/core/case-store/filter", test_filter);
  g_test_add_func ("/ct/core/case-store/update-sla", test_update_sla);
  g_test_add_func ("/ct/core/case-store/finalize", test_finalize);

  return g_test_run ();
}
