/* test-case-list-model.c - A queue's rows: one items-changed per change, narrowing, sorting
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-case-list-model.h"
#include "ct-test-gui.h"

typedef struct
{
  guint emissions;
  guint position, removed, added;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->emissions++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

static const char *const partners[] = { "Alpine Foods", "Harbor Traders", "Northgate Supply", "Alpine Dairy" };

static CtCase *
make_case (guint        id,
           CtSlaStatus  status,
           const char  *partner)
{
  CtCase *c = ct_case_new ("sale.order", id);

  c->reference = g_strdup_printf ("S%05u", id);
  c->partner.name = g_strdup (partner);
  c->area_id = g_strdup ("sales");
  c->status = CT_CASE_STATUS_PENDING;
  c->sla.status = status;
  c->amount = id * 10.0;
  ct_case_update_search_text (c);
  return c;
}

static CtCaseStore *
make_store (guint n)
{
  CtCaseStore *store = ct_case_store_new ();
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (cases, make_case (i + 1, i % 3 == 0 ? CT_SLA_STATUS_BREACHED : CT_SLA_STATUS_ON_TRACK,
                                       partners[i % G_N_ELEMENTS (partners)]));
  ct_case_store_replace_all (store, cases);
  return store;
}

static int
by_amount (gconstpointer a,
           gconstpointer b,
           gpointer      data)
{
  double x = ((CtCase *) a)->amount, y = ((CtCase *) b)->amount;

  return (x > y) - (x < y);
}

static char *
partner_text (gpointer  data,
              CtCase   *c)
{
  return g_strdup (c->partner.name);
}

static void
assert_rows_match (CtCaseListModel *rows,
                   CtCaseStore     *store)
{
  const CtCaseFilter *filter = ct_case_list_model_get_filter (rows);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==,
                    ct_case_filter_count (filter, ct_case_store_get_cases (store)));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (rows)); i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (G_LIST_MODEL (rows), i);

      g_assert_true (ct_case_filter_matches (filter, c));
    }
}

static void
test_one_emission (void)
{
  g_autoptr(CtCaseStore) store = make_store (3000);
  g_autoptr(CtCaseListModel) rows = ct_case_list_model_new ();
  g_autoptr(CtCaseFilter) filter = ct_case_filter_new (CT_CASE_SCOPE_ALL_PENDING);
  Changes changes = { 0 };
  guint before;

  g_signal_connect (rows, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  ct_case_list_model_set_store (rows, store);
  g_assert_cmpuint (changes.emissions, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 3000);
  g_assert_cmpuint (ct_case_list_model_get_scope_total (rows), ==, 3000);

  /* A queue switch: one emission, the scope's total counted on the way. */
  changes.emissions = 0;
  filter->scope = CT_CASE_SCOPE_BREACHED;
  ct_case_list_model_set_filter (rows, filter);
  g_assert_cmpuint (changes.emissions, ==, 1);
  g_assert_cmpuint (ct_case_list_model_get_scope_total (rows), ==, 1000);
  assert_rows_match (rows, store);

  /* Typing narrows; a letter that leaves the same rows emits nothing. */
  changes.emissions = 0;
  ct_case_filter_set_search (filter, "alp");
  ct_case_list_model_set_filter (rows, filter);
  g_assert_cmpuint (changes.emissions, ==, 1);
  assert_rows_match (rows, store);
  before = g_list_model_get_n_items (G_LIST_MODEL (rows));
  ct_case_filter_set_search (filter, "alpine");
  ct_case_list_model_set_filter (rows, filter);
  g_assert_cmpuint (changes.emissions, ==, 1);
  assert_rows_match (rows, store);
  ct_case_filter_set_search (filter, "alpine d");
  ct_case_list_model_set_filter (rows, filter);
  g_assert_cmpuint (changes.emissions, ==, 2);
  assert_rows_match (rows, store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), <, before);

  /* Deleting letters widens again. */
  ct_case_filter_set_search (filter, NULL);
  ct_case_list_model_set_filter (rows, filter);
  assert_rows_match (rows, store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 1000);

  g_assert_finalize_object (g_steal_pointer (&rows));
}

static void
test_sort (void)
{
  g_autoptr(CtCaseStore) store = make_store (500);
  g_autoptr(CtCaseListModel) rows = ct_case_list_model_new ();
  g_autoptr(CtCase) first = NULL, last = NULL;
  guint n;

  ct_case_list_model_set_store (rows, store);
  ct_case_list_model_set_sort (rows, by_amount, NULL, NULL, TRUE);
  n = g_list_model_get_n_items (G_LIST_MODEL (rows));
  first = g_list_model_get_item (G_LIST_MODEL (rows), 0);
  last = g_list_model_get_item (G_LIST_MODEL (rows), n - 1);
  g_assert_cmpfloat (first->amount, ==, 5000);
  g_assert_cmpfloat (last->amount, ==, 10);
  g_clear_object (&first);
  g_clear_object (&last);

  /* By text: collated, ties in the store's order. */
  ct_case_list_model_set_sort (rows, NULL, partner_text, NULL, FALSE);
  first = g_list_model_get_item (G_LIST_MODEL (rows), 0);
  last = g_list_model_get_item (G_LIST_MODEL (rows), n - 1);
  g_assert_cmpstr (first->partner.name, ==, "Alpine Dairy");
  g_assert_cmpstr (last->partner.name, ==, "Northgate Supply");
  {
    GPtrArray *cases = ct_case_store_get_cases (store);
    g_autoptr(GHashTable) index = g_hash_table_new (NULL, NULL);
    guint previous = 0;

    for (guint i = 0; i < cases->len; i++)
      g_hash_table_insert (index, cases->pdata[i], GUINT_TO_POINTER (i));
    for (guint i = 1; i < n; i++)
      {
        g_autoptr(CtCase) a = g_list_model_get_item (G_LIST_MODEL (rows), i - 1);
        g_autoptr(CtCase) b = g_list_model_get_item (G_LIST_MODEL (rows), i);
        guint at = GPOINTER_TO_UINT (g_hash_table_lookup (index, b));

        g_assert_cmpint (g_utf8_collate (a->partner.name, b->partner.name), <=, 0);
        if (g_str_equal (a->partner.name, b->partner.name))
          g_assert_cmpuint (at, >, previous);
        previous = at;
      }
  }
  g_assert_finalize_object (g_steal_pointer (&rows));
}

/* A sync that changes one case far down emits once, over that row only. */
static void
test_store_change (void)
{
  g_autoptr(CtCaseStore) store = make_store (1000);
  g_autoptr(CtCaseListModel) rows = ct_case_list_model_new ();
  g_autoptr(GPtrArray) upserts = g_ptr_array_new_with_free_func (g_object_unref);
  const char *removals[] = { NULL, NULL };
  g_autofree char *gone = NULL;
  Changes changes = { 0 };
  guint at = 0;

  ct_case_list_model_set_store (rows, store);
  g_signal_connect (rows, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_ptr_array_add (upserts, make_case (700, CT_SLA_STATUS_AT_RISK, "Harbor Traders"));
  gone = g_strdup (ct_case_get_key (ct_case_store_get_cases (store)->pdata[10]));
  removals[0] = gone;
  while (((CtCase *) ct_case_store_get_cases (store)->pdata[at])->record_id != 700)
    at++;
  g_assert_cmpuint (at, >, 10);
  ct_case_store_apply_changes (store, upserts, removals);
  g_assert_cmpuint (changes.emissions, ==, 0);
  ct_case_list_model_flush (rows);
  g_assert_cmpuint (changes.emissions, ==, 1);
  g_assert_cmpuint (changes.position, ==, 10);
  g_assert_cmpuint (changes.removed, ==, at + 1 - 10);
  g_assert_cmpuint (changes.added, ==, at - 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 999);
  g_assert_finalize_object (g_steal_pointer (&rows));
}

int
main (int   argc,
      char *argv[])
{
  ct_test_gui_init (&argc, &argv);
  g_test_add_func ("/ct/gui/case-list-model/one-emission", test_one_emission);
  g_test_add_func ("/ct/gui/case-list-model/sort", test_sort);
  g_test_add_func ("/ct/gui/case-list-model/store-change", test_store_change);
  return g_test_run ();
}
