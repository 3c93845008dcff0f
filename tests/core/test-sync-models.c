/* test-sync-models.c - A refresh for what Odoo's bus named asks only the sources concerned
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "test-sources-fixture.h"

static gboolean
refresh_models (CtSync             *sync,
                const char * const *models,
                GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ct_sync_refresh_models_async (sync, models, NULL, store_result, &result);
  wait_for (&result);
  return ct_sync_refresh_finish (sync, result, error);
}

/* Which sources a change to a record concerns: the ones that read its
 * model, never n8n (another server). */
static void
test_concerned (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = ct_sync_new (fx->profile, store);

  ct_sync_add_default_sources (sync, fx->client, fx->n8n, fx->url,
                               ct_sim_server_get_n8n_api_key (fx->sim));
  g_assert_true (ct_sync_refreshes_model (sync, "purchase.order"));
  g_assert_true (ct_sync_refreshes_model (sync, "tier.review"));
  g_assert_true (ct_sync_refreshes_model (sync, "mail.activity"));
  g_assert_true (ct_sync_refreshes_model (sync, "stock.picking"));
  g_assert_true (ct_sync_refreshes_model (sync, "ir.cron"));
  g_assert_false (ct_sync_refreshes_model (sync, "res.partner"));
  g_assert_false (ct_sync_refreshes_model (sync, "product.template"));
  g_assert_false (ct_sync_refreshes_model (sync, ""));
}

/* An order approved elsewhere. While the bus names only an approval
 * request, the purchase sources ask nothing and the order stays; once it
 * names purchase.order, only the purchase sources ask and the order
 * leaves; the approvals, activities, crons and n8n ask nothing. */
static void
test_only_concerned_sources_ask (Fixture       *fx,
                                 gconstpointer  data)
{
  static const char *const requests[] = { "approval.request", NULL };
  static const char *const orders[] = { "purchase.order", NULL };
  static const char *const partners[] = { "res.partner", NULL };
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = ct_sync_new (fx->profile, store);
  g_autoptr(GError) error = NULL;
  guint n_cases;

  ct_sync_add_default_sources (sync, fx->client, fx->n8n, fx->url,
                               ct_sim_server_get_n8n_api_key (fx->sim));
  g_assert_true (sync_refresh (sync, FALSE, &error));
  g_assert_no_error (error);
  g_assert_nonnull (ct_case_store_lookup (store, "purchase.order:13"));
  n_cases = ct_case_store_get_cases (store)->len;
  g_assert_cmpuint (n_cases, >, 1);

  fixture_call_ok (fx->client, "purchase.order", "button_approve", 13, NULL);
  g_assert_true (refresh_models (sync, requests, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_APPROVALS)->requests, >, 0);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION)->requests, ==, 0);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_TIER_VALIDATION)->requests, ==, 0);
  g_assert_nonnull (ct_case_store_lookup (store, "purchase.order:13"));
  g_assert_cmpuint (ct_case_store_get_cases (store)->len, ==, n_cases);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION)->cases, >, 0);

  g_assert_true (refresh_models (sync, orders, &error));
  g_assert_no_error (error);
  g_assert_null (ct_case_store_lookup (store, "purchase.order:13"));
  g_assert_cmpuint (ct_case_store_get_cases (store)->len, ==, n_cases - 1);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION)->requests, >, 0);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_TIER_VALIDATION)->requests, >, 0);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_APPROVALS)->requests, ==, 0);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_ACTIVITY)->requests, ==, 0);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_CRON)->requests, ==, 0);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_N8N)->requests, ==, 0);

  /* A partner's chatter concerns no source: nothing is asked at all. */
  g_assert_true (refresh_models (sync, partners, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    g_assert_cmpuint (ct_sync_get_health (sync, i)->requests, ==, 0);
  g_assert_cmpuint (ct_case_store_get_cases (store)->len, ==, n_cases - 1);

  g_assert_finalize_object (g_steal_pointer (&sync));
  g_assert_finalize_object (g_steal_pointer (&store));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/ct/core/sync-models/concerned", Fixture, NULL, fixture_set_up, test_concerned,
              fixture_tear_down);
  g_test_add ("/ct/core/sync-models/only-concerned-sources-ask", Fixture, NULL, fixture_set_up,
              test_only_concerned_sources_ask, fixture_tear_down);
  return g_test_run ();
}
