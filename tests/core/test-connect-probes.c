/* test-connect-probes.c - The sources' probes go out beside the connect, and only for a good one
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-source.h"
#include "test-sources-fixture.h"

/* The connect of @client as @login with @secret over @dialect; @tally
 * (nullable) counts its requests and, since they go out on its
 * cancellable, the probes sent from "signed-in". */
static gboolean
connect_as (Fixture       *fx,
            CtOdooClient  *client,
            const char    *login,
            const char    *secret,
            CtSecretKind   kind,
            CtOdooDialect  dialect,
            CtHttpTally   *tally,
            GError       **error)
{
  g_autoptr(CtConnection) connection = fixture_connection (fx, login);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;

  connection->secret_kind = kind;
  if (tally != NULL)
    ct_http_tally_attach (cancellable, tally);
  ct_odoo_client_set_dialect (client, dialect);
  ct_odoo_client_set_read_attempts (client, 1);
  ct_odoo_client_connect_async (client, connection, secret, cancellable, store_result, &result);
  wait_for (&result);
  return ct_odoo_client_connect_finish (client, result, error);
}

static CtSync *
sync_for (Fixture      *fx,
          CtOdooClient *client,
          CtCaseStore  *store)
{
  CtSync *sync = ct_sync_new (fx->profile, store);

  ct_sync_add_default_sources (sync, client, fx->n8n, fx->url,
                               ct_sim_server_get_n8n_api_key (fx->sim));
  return sync;
}

static void
wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, wait_deadline_cb, &done);
  WAIT_UNTIL (done);
}

static guint
n_cases (CtCaseStore *store)
{
  return g_list_model_get_n_items (G_LIST_MODEL (store));
}

/* A report over JSON-RPC from a server 100 ms away: the uid first, then
 * the context, the companies and every probe together, then the reads and
 * the reads that depend on them — 4 round trips, as over JSON-2 — and the
 * same cases as over JSON-2. */
static void
test_jsonrpc_four_deep (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = sync_for (fx, client, store);
  g_autoptr(CtCaseStore) json2_store = ct_case_store_new ();
  g_autoptr(CtSync) json2_sync = sync_for (fx, fx->client, json2_store);
  g_autoptr(CtHttpTally) tally = ct_http_tally_new (NULL);
  g_autoptr(GError) error = NULL;
  const CtSyncCost *cost;

  g_assert_true (sync_refresh (json2_sync, TRUE, &error));
  g_assert_no_error (error);

  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (fx->sim),
                                      "latency@/jsonrpc:100;latency@/api/v1:100", NULL));
  g_assert_true (connect_as (fx, client, "admin", ct_sim_server_get_api_key (fx->sim, "admin"),
                             CT_SECRET_KIND_API_KEY, CT_ODOO_DIALECT_JSONRPC, tally, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ct_odoo_client_get_dialect (client), ==, CT_ODOO_DIALECT_JSONRPC);
  g_assert_true (sync_refresh (sync, TRUE, &error));
  g_assert_no_error (error);
  cost = ct_sync_get_last_cost (sync);
  g_test_message ("connect: %u requests, %u deep; sources: %u requests, %u deep",
                  tally->requests, tally->depth, cost->requests, cost->depth);

  /* version + authenticate, then the context, the companies and the
   * probes (about twenty) together */
  g_assert_cmpuint (tally->depth, ==, 2);
  g_assert_cmpuint (tally->requests, >, 10);
  g_assert_cmpuint (cost->depth, <=, 2);
  g_assert_cmpuint (tally->depth + cost->depth, <=, 4);
  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    g_assert_null (ct_sync_get_health (sync, i)->last_error);
  g_assert_cmpuint (n_cases (store), >, 0);
  g_assert_cmpuint (n_cases (store), ==, n_cases (json2_store));
  ct_sim_faults_clear (ct_sim_server_get_faults (fx->sim));
}

static void
count_signal (CtOdooClient *client,
              GCancellable *cancellable,
              guint        *count)
{
  (*count)++;
}

/* A refused password is said as before, and nothing else went out: no
 * probe asks anything with a credential Odoo refused. */
static void
test_wrong_password (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = sync_for (fx, client, store);
  g_autoptr(CtHttpTally) tally = ct_http_tally_new (NULL);
  g_autoptr(GError) error = NULL;
  guint signed_in = 0;

  g_signal_connect (client, "signed-in", G_CALLBACK (count_signal), &signed_in);
  ct_sim_server_reset_counts (fx->sim);
  g_assert_false (connect_as (fx, client, "admin", "not the password", CT_SECRET_KIND_PASSWORD,
                              CT_ODOO_DIALECT_AUTO, tally, &error));
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, "Odoo did not accept the login or password.");
  g_assert_cmpuint (signed_in, ==, 0);
  /* the version and the sign-in, nothing more */
  g_assert_cmpuint (tally->requests, ==, 2);
  g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/jsonrpc"), ==, 1);
  g_assert_false (ct_odoo_client_is_connected (client));
}

/* Compares what two syncs found about their sources. */
static void
assert_same_health (CtSync *sync,
                    CtSync *expected)
{
  g_assert_cmpuint (ct_sync_get_n_sources (sync), ==, ct_sync_get_n_sources (expected));
  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    {
      const CtSourceHealth *h = ct_sync_get_health (sync, i);
      const CtSourceHealth *e = ct_sync_get_health (expected, i);

      g_test_message ("%s: available %d / %d", h->name, h->available, e->available);
      g_assert_cmpint (h->available, ==, e->available);
      g_assert_cmpstr (ct_source_get_unavailable_reason (ct_sync_get_source (sync, i)), ==,
                       ct_source_get_unavailable_reason (ct_sync_get_source (expected, i)));
    }
}

/* What one connect learnt about the models is not used after it: after a
 * failed connect the sources fail (they are not told "available" from
 * what the administrator's connect found), and a connect as another user
 * — started while the administrator's probes are still on their way —
 * finds exactly what a fresh client finds for that user. */
static void
test_failed_connect_forgets (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(CtOdooClient) fresh = ct_odoo_client_new ();
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = sync_for (fx, client, store);
  g_autoptr(CtCaseStore) failed_store = ct_case_store_new ();
  g_autoptr(CtSync) failed_sync = NULL;
  g_autoptr(CtCaseStore) noright_store = ct_case_store_new ();
  g_autoptr(CtSync) noright_sync = NULL;
  g_autoptr(CtCaseStore) fresh_store = ct_case_store_new ();
  g_autoptr(CtSync) fresh_sync = sync_for (fx, fresh, fresh_store);
  g_autoptr(GError) error = NULL;
  guint odoo_sources = 0;

  /* The administrator over JSON-RPC: everything readable. */
  g_assert_true (connect_as (fx, client, "admin", ct_sim_server_get_api_key (fx->sim, "admin"),
                             CT_SECRET_KIND_API_KEY, CT_ODOO_DIALECT_JSONRPC, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sync_refresh (sync, TRUE, &error));
  g_assert_no_error (error);

  /* A failed connect of the same client: nothing is served from before. */
  failed_sync = sync_for (fx, client, failed_store);
  g_assert_false (connect_as (fx, client, "admin", "not the password", CT_SECRET_KIND_PASSWORD,
                              CT_ODOO_DIALECT_AUTO, NULL, &error));
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_false (sync_refresh (failed_sync, TRUE, &error));
  g_clear_error (&error);
  for (guint i = 0; i < ct_sync_get_n_sources (failed_sync); i++)
    {
      const CtSourceHealth *h = ct_sync_get_health (failed_sync, i);

      if (h->kind == CT_SOURCE_KIND_N8N || !ct_source_has_queues (ct_sync_get_source (failed_sync, i)))
        continue;
      odoo_sources++;
      g_assert_false (h->probed);
      g_assert_nonnull (h->last_error);
    }
  g_assert_cmpuint (odoo_sources, >=, 3);

  /* The administrator again, then at once (the probes still on their
   * way, 300 ms) as a user who may read almost nothing. */
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (fx->sim),
                                      "latency@/json/2:300", NULL));
  noright_sync = sync_for (fx, client, noright_store);
  g_assert_true (connect_as (fx, client, "admin", ct_sim_server_get_api_key (fx->sim, "admin"),
                             CT_SECRET_KIND_API_KEY, CT_ODOO_DIALECT_AUTO, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (connect_as (fx, client, "noright",
                             ct_sim_server_get_api_key (fx->sim, "noright"),
                             CT_SECRET_KIND_API_KEY, CT_ODOO_DIALECT_AUTO, NULL, &error));
  g_assert_no_error (error);
  ct_sim_faults_clear (ct_sim_server_get_faults (fx->sim));
  sync_refresh (noright_sync, TRUE, &error);
  g_clear_error (&error);

  g_assert_true (connect_as (fx, fresh, "noright", ct_sim_server_get_api_key (fx->sim, "noright"),
                             CT_SECRET_KIND_API_KEY, CT_ODOO_DIALECT_AUTO, NULL, &error));
  g_assert_no_error (error);
  sync_refresh (fresh_sync, TRUE, &error);
  g_clear_error (&error);
  assert_same_health (noright_sync, fresh_sync);
  g_assert_cmpuint (n_cases (noright_store), ==, n_cases (fresh_store));
  /* The administrator's late answers come back before the client goes. */
  wait_ms (400);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ct/core/connect-probes/jsonrpc-four-deep", Fixture, NULL, fixture_set_up,
              test_jsonrpc_four_deep, fixture_tear_down);
  g_test_add ("/ct/core/connect-probes/wrong-password", Fixture, NULL, fixture_set_up,
              test_wrong_password, fixture_tear_down);
  g_test_add ("/ct/core/connect-probes/failed-connect-forgets", Fixture, NULL, fixture_set_up,
              test_failed_connect_forgets, fixture_tear_down);

  return g_test_run ();
}
