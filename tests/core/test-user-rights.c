/* test-user-rights.c - Every fixture user syncs and checks the connection without admin-only reads
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-connection-check.h"
#include "ct-source.h"
#include "test-sources-fixture.h"

/* Odoo lets only Administration / Access Rights read ir.model and
 * ir.model.fields, and only administrators ir.cron (recorded 08-01, 08-02,
 * 05-ir.cron-search_read-as-purchaser). The simulator refuses them the
 * same way, so a path that needs them fails here as it would for real
 * users; and the requests are counted, so a read that merely fails
 * quietly is caught too. */

static void
on_check_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GPtrArray *
check_connection (Fixture    *fx,
                  const char *login)
{
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CtCheckOptions options = { 0, };
  GPtrArray *items;

  g_free (connection->odoo_url);
  connection->odoo_url = g_strdup (fx->url);
  connection->n8n_url = g_strdup (fx->url);
  g_free (connection->database);
  connection->database = g_strdup (ct_sim_server_get_database (fx->sim));
  g_free (connection->login);
  connection->login = g_strdup (login);
  connection->secret_kind = CT_SECRET_KIND_API_KEY;
  options.connection = connection;
  options.secret = ct_sim_server_get_api_key (fx->sim, login);
  options.n8n_api_key = ct_sim_server_get_n8n_api_key (fx->sim);
  ct_connection_check_async (&options, NULL, on_check_done, &result);
  WAIT_UNTIL (result != NULL);
  items = ct_connection_check_finish (result, &error);
  g_assert_no_error (error);
  return items;
}

/* The simulator refuses administrator-only models to everyone else. */
static void
assert_refused (CtOdooClient *client,
                const char   *model,
                gboolean      refused)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) domain = json_array_new ();
  g_autoptr(JsonArray) rows = NULL;
  static const char *const fields[] = { "id", NULL };

  ct_odoo_client_search_read_async (client, model, domain, fields, "id", 1, 0, NULL,
                                    store_result, &result);
  wait_for (&result);
  rows = ct_odoo_client_search_read_finish (client, result, &error);
  if (refused)
    g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_ACCESS);
  else
    g_assert_no_error (error);
}

static void
test_no_admin_only_reads (Fixture       *fx,
                          gconstpointer  data)
{
  static const char *const users[] = { "admin", "purchaser", "noright" };
  static const char *const admin_only[] = { "ir.model", "ir.model.fields", "ir.cron" };

  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    {
      gboolean admin = g_str_equal (users[u], "admin");
      g_autoptr(CtOdooClient) client = fixture_connect (fx, users[u]);
      g_autoptr(CtCaseStore) store = ct_case_store_new ();
      g_autoptr(CtSync) sync = ct_sync_new (fx->profile, store);
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      guint cron_requests, cron_probes, cron_schemas;

      for (guint m = 0; m < G_N_ELEMENTS (admin_only); m++)
        assert_refused (client, admin_only[m], !admin);

      ct_sim_server_reset_counts (fx->sim);
      ct_sync_add_default_sources (sync, client, fx->n8n, fx->url,
                                   ct_sim_server_get_n8n_api_key (fx->sim));
      /* Twice: the second refresh takes the paths of later fetches. */
      for (guint i = 0; i < 2; i++)
        {
          g_assert_true (sync_refresh (sync, i == 0, &error));
          g_assert_no_error (error);
        }
      items = check_connection (fx, users[u]);
      g_assert_true (ct_connection_check_passed (items));

      /* ir.model, ir.model.fields (and ir.model.data): never asked. */
      g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/json/2/ir.model"), ==, 0);
      cron_requests = ct_sim_server_count_requests (fx->sim, "/json/2/ir.cron/");
      cron_probes = ct_sim_server_count_requests (fx->sim, "/json/2/ir.cron/search_count");
      g_test_message ("%s: %u ir.cron requests, %u of them probes, %u cases", users[u],
                      cron_requests, cron_probes,
                      g_list_model_get_n_items (G_LIST_MODEL (store)));
      cron_schemas = ct_sim_server_count_requests (fx->sim, "/json/2/ir.cron/fields_get");
      if (admin)
        g_assert_cmpuint (cron_requests, >, cron_probes + cron_schemas);
      else
        {
          /* Only the availability probe, shared by the sync and the check,
           * and the schema asked beside it (fields_get reads no record): no
           * record read is ever tried. */
          g_assert_cmpuint (cron_requests, ==, cron_probes + cron_schemas);
          g_assert_cmpuint (cron_probes, <=, 2);
          g_assert_cmpuint (cron_schemas, <=, 1);
        }
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), >, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/ct/core/user-rights/no-admin-only-reads", Fixture, NULL, fixture_set_up,
              test_no_admin_only_reads, fixture_tear_down);

  return g_test_run ();
}
