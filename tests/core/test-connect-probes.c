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
      CtSource *source = ct_sync_get_source (failed_sync, i);

      if (h->kind == CT_SOURCE_KIND_N8N || !ct_source_has_queues (source))
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

/* The probes sent ahead are the same questions: a user who is no
 * administrator still never makes the client touch ir.model or
 * ir.model.fields, nor read a cron (test-user-rights.c, on this path). */
static void
test_no_admin_only_reads (Fixture       *fx,
                          gconstpointer  data)
{
  static const char *const users[] = { "purchaser", "noright", "demo" };

  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    {
      g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
      g_autoptr(CtCaseStore) store = ct_case_store_new ();
      g_autoptr(CtSync) sync = sync_for (fx, client, store);
      g_autoptr(CtHttpTally) tally = ct_http_tally_new (NULL);
      g_autoptr(GError) error = NULL;
      guint cron_reads;

      if (ct_sim_server_get_api_key (fx->sim, users[u]) == NULL)
        continue;
      ct_sim_server_reset_counts (fx->sim);
      g_assert_true (connect_as (fx, client, users[u],
                                 ct_sim_server_get_api_key (fx->sim, users[u]),
                                 CT_SECRET_KIND_API_KEY, CT_ODOO_DIALECT_AUTO, tally, &error));
      g_assert_no_error (error);
      /* the probes went out with the connect */
      g_assert_cmpuint (tally->requests, >, 3);
      sync_refresh (sync, TRUE, &error);
      g_clear_error (&error);
      cron_reads = ct_sim_server_count_requests (fx->sim, "/json/2/ir.cron/") -
                   ct_sim_server_count_requests (fx->sim, "/json/2/ir.cron/fields_get") -
                   ct_sim_server_count_requests (fx->sim, "/json/2/ir.cron/search_count");
      g_test_message ("%s: %u requests with the connect, %u cron reads", users[u],
                      tally->requests, cron_reads);
      g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/json/2/ir.model"), ==, 0);
      g_assert_cmpuint (cron_reads, ==, 0);
    }
}

/* ---- an Odoo 17 asked with an API key ---- */

/* Odoo 17 knows neither /json/version nor /json/2 (404 pages) and takes an
 * API key as the password of JSON-RPC (recorded odoo-17/02). Each request
 * is noted: a path, "common.<method>" or "<model>.<method>". */
static void
odoo17_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  GPtrArray *seen = user_data;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *text = NULL;
  JsonObject *params;
  JsonArray *args;
  const char *service, *method;
  const char *result = NULL;

  if (!g_str_equal (path, "/jsonrpc"))
    {
      g_ptr_array_add (seen, g_strdup (path));
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                        "<html><body>Not Found</body></html>", 35);
      return;
    }
  g_assert_true (json_parser_load_from_data (parser, request->data, request->length, NULL));
  params = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "params");
  service = json_object_get_string_member (params, "service");
  method = json_object_get_string_member (params, "method");
  args = json_object_get_array_member (params, "args");
  if (g_str_equal (service, "common"))
    {
      g_ptr_array_add (seen, g_strdup_printf ("common.%s", method));
      if (g_str_equal (method, "version"))
        result = "{\"server_version\": \"17.0\", "
                 "\"server_version_info\": [17, 0, 0, \"final\", 0, \"\"], "
                 "\"protocol_version\": 1}";
      else if (g_str_equal (method, "authenticate"))
        result = g_str_equal (json_array_get_string_element (args, 2), "key17") ? "2" : "false";
    }
  else
    {
      const char *model_method = json_array_get_string_element (args, 4);

      g_ptr_array_add (seen, g_strdup_printf ("%s.%s", json_array_get_string_element (args, 3),
                                              model_method));
      if (g_str_equal (model_method, "context_get"))
        result = "{\"lang\": \"en_US\", \"tz\": \"Europe/Brussels\", \"uid\": 2}";
      else if (g_str_equal (model_method, "read"))
        result = "[{\"id\": 2, \"company_id\": [1, \"YourCompany\"], \"company_ids\": [1]}]";
      else if (g_str_equal (model_method, "search_count"))
        result = "0";
    }
  g_assert_nonnull (result);
  text = g_strdup_printf ("{\"jsonrpc\": \"2.0\", \"id\": %" G_GINT64_FORMAT ", \"result\": %s}",
                          json_object_get_int_member (json_node_get_object (
                            json_parser_get_root (parser)), "id"), result);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text,
                                    strlen (text));
}

typedef struct
{
  guint          emitted;
  CtOdooDialect  dialect;
  gint64         uid;
  GAsyncResult  *probe;
} SignedIn;

static void
odoo17_signed_in (CtOdooClient *client,
                  GCancellable *cancellable,
                  SignedIn     *signed_in)
{
  g_autoptr(JsonArray) domain = json_array_new ();

  signed_in->emitted++;
  signed_in->dialect = ct_odoo_client_get_dialect (client);
  signed_in->uid = ct_odoo_client_get_uid (client);
  /* What a probe does from here. */
  ct_odoo_client_search_count_async (client, "purchase.order", domain, cancellable, store_result,
                                     &signed_in->probe);
}

static guint
count_seen (GPtrArray  *seen,
            const char *what)
{
  guint n = 0;

  for (guint i = 0; i < seen->len; i++)
    n += g_str_has_prefix (seen->pdata[i], what);
  return n;
}

/* Odoo 17 with an API key: the sign-in guessed as JSON-2 is dropped (404)
 * and asked again over JSON-RPC; only that sign-in is announced, once, and
 * what goes out from it speaks JSON-RPC. */
static void
test_odoo17_dialect (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoslist(GUri) uris = NULL;
  SignedIn signed_in = { 0 };
  gint64 count = -1;

  soup_server_add_handler (server, NULL, odoo17_cb, seen, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_free (connection->odoo_url);
  connection->odoo_url = g_uri_to_string (uris->data);
  g_free (connection->database);
  connection->database = g_strdup ("ct17");
  g_free (connection->login);
  connection->login = g_strdup ("admin");
  connection->secret_kind = CT_SECRET_KIND_API_KEY;
  g_signal_connect (client, "signed-in", G_CALLBACK (odoo17_signed_in), &signed_in);

  ct_odoo_client_connect_async (client, connection, "key17", NULL, store_result, &result);
  wait_for (&result);
  g_assert_true (ct_odoo_client_connect_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ct_odoo_client_get_major_version (client), ==, 17);
  g_assert_cmpint (ct_odoo_client_get_dialect (client), ==, CT_ODOO_DIALECT_JSONRPC);

  g_assert_cmpuint (signed_in.emitted, ==, 1);
  g_assert_cmpint (signed_in.dialect, ==, CT_ODOO_DIALECT_JSONRPC);
  g_assert_cmpint (signed_in.uid, ==, 2);
  wait_for (&signed_in.probe);
  g_assert_true (ct_odoo_client_search_count_finish (client, signed_in.probe, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 0);
  g_clear_object (&signed_in.probe);

  /* JSON-2 was tried once (the key check and the companies by login),
   * then JSON-RPC: the sign-in, then the context, the companies and the
   * probe together. */
  g_assert_cmpuint (count_seen (seen, "/json/2/"), ==, 2);
  g_assert_cmpuint (count_seen (seen, "common.authenticate"), ==, 1);
  g_assert_cmpuint (count_seen (seen, "res.users.context_get"), ==, 1);
  g_assert_cmpuint (count_seen (seen, "purchase.order.search_count"), ==, 1);
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
  g_test_add ("/ct/core/connect-probes/no-admin-only-reads", Fixture, NULL, fixture_set_up,
              test_no_admin_only_reads, fixture_tear_down);
  g_test_add_func ("/ct/core/connect-probes/odoo17-dialect", test_odoo17_dialect);

  return g_test_run ();
}
