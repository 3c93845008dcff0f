/* test-odoo-client.c - The Odoo client against the recorded server's answers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-odoo-client"

#include "config.h"

#include "../ct-test-protocol.h"

#include <string.h>

#include "ct-odoo-client.h"
#include "ct-odoo-wire.h"
#include "test-odoo-client-server.h"
#include "test-wait.h"

/* Everything logged while the suite runs, to look for secrets at the end. */
static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") || g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      {
        gssize length = fields[i].length;

        if (length < 0)
          length = strlen (fields[i].value);
        g_string_append_len (captured_log, fields[i].value, length);
        g_string_append_c (captured_log, ' ');
      }
  g_string_append_c (captured_log, '\n');
  if (level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

typedef struct
{
  TestServer   *server;
  CtOdooClient *client;
  CtConnection *connection;
  char         *secret;
} Fixture;

typedef struct
{
  gboolean      json2;
  const char   *login;
} Params;

static const Params rpc_admin = { FALSE, "admin" };
static const Params json2_admin = { TRUE, "admin" };
static const Params rpc_purchaser = { FALSE, "purchaser" };
static const Params json2_purchaser = { TRUE, "purchaser" };

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  WAIT_UNTIL (*slot != NULL);
  return *slot;
}

static void
fixture_connect (Fixture       *fx,
                 const Params  *params,
                 GError       **error)
{
  GAsyncResult *result = NULL;

  ct_odoo_client_connect_async (fx->client, fx->connection, fx->secret, NULL, on_done, &result);
  ct_odoo_client_connect_finish (fx->client, wait_result (&result), error);
  g_object_unref (result);
}

static void
fixture_setup_full (Fixture                 *fx,
                    const Params            *params,
                    const TestServerOptions *options)
{
  fx->server = test_server_start (options);
  fx->client = ct_odoo_client_new ();
  ct_odoo_client_set_retry_backoff (fx->client, 10);
  fx->connection = ct_connection_new ();
  g_free (fx->connection->odoo_url);
  fx->connection->odoo_url = test_server_dup_url (fx->server);
  g_free (fx->connection->database);
  fx->connection->database = g_strdup (test_server_get_database (fx->server));
  g_free (fx->connection->login);
  fx->connection->login = g_strdup (params->login);
  fx->connection->secret_kind = params->json2 ? CT_SECRET_KIND_API_KEY : CT_SECRET_KIND_PASSWORD;
  fx->secret = g_strdup (params->json2 ? test_server_get_api_key (fx->server, params->login)
                                       : test_server_get_password (fx->server, params->login));
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_setup_full (fx, data, NULL);
  fixture_connect (fx, data, &error);
  g_assert_no_error (error);
}

static void
fixture_setup_unconnected (Fixture       *fx,
                           gconstpointer  data)
{
  fixture_setup_full (fx, data, NULL);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->client);
  ct_connection_free (fx->connection);
  g_free (fx->secret);
  test_server_free (fx->server);
}

/* (transfer full) @kwargs */
static JsonNode *
call_sync (Fixture     *fx,
           const char  *model,
           const char  *method,
           JsonArray   *ids,
           JsonObject  *kwargs,
           GError     **error)
{
  GAsyncResult *result = NULL;
  JsonNode *node;

  ct_odoo_client_call_async (fx->client, model, method, ids, kwargs, NULL, NULL, on_done, &result);
  node = ct_odoo_client_call_finish (fx->client, wait_result (&result), error);
  g_object_unref (result);
  g_clear_pointer (&kwargs, json_object_unref);
  return node;
}

/* {"domain": []}: search_count's domain is a required argument */
static JsonObject *
all_records (void)
{
  JsonObject *kwargs = json_object_new ();

  json_object_set_array_member (kwargs, "domain", json_array_new ());
  return kwargs;
}

static JsonArray *
ids_of (gint64 id)
{
  JsonArray *ids = json_array_new ();

  json_array_add_int_element (ids, id);
  return ids;
}

/* ---- connecting ----------------------------------------------------------- */

static void
test_connect (Fixture       *fx,
              gconstpointer  data)
{
  const Params *params = data;
  guint n_companies;
  const gint64 *companies = ct_odoo_client_get_company_ids (fx->client, &n_companies);

  g_assert_true (ct_odoo_client_is_connected (fx->client));
  g_assert_cmpint (ct_odoo_client_get_dialect (fx->client), ==,
                   params->json2 ? CT_ODOO_DIALECT_JSON2 : CT_ODOO_DIALECT_JSONRPC);
  g_assert_cmpstr (ct_odoo_client_get_server_version (fx->client), ==, "19.0");
  g_assert_cmpint (ct_odoo_client_get_major_version (fx->client), ==, 19);
  g_assert_cmpint (ct_odoo_client_get_uid (fx->client), ==, 2);
  g_assert_cmpstr (ct_odoo_client_get_lang (fx->client), ==, "en_US");
  g_assert_cmpstr (ct_odoo_client_get_tz (fx->client), ==, "Europe/Brussels");
  g_assert_cmpuint (n_companies, >=, 1);
  g_assert_cmpint (companies[0], ==, 1);

  if (test_server_is_replay (fx->server))
    {
      /* the database travels in the header on every call */
      g_assert_cmpstr (test_server_last_header (fx->server, "res.users.read", "X-Odoo-Database"),
                       ==, "ct");
      if (params->json2)
        {
          g_assert_cmpuint (test_server_count_requests (fx->server, "/jsonrpc"), ==, 0);
          g_assert_nonnull (strstr (test_server_last_header (fx->server, "res.users.read",
                                                             "Authorization"), "bearer "));
        }
      else
        g_assert_cmpuint (test_server_count_requests (fx->server, "/json/2/"), ==, 0);
    }
}

static void
test_connect_jsonrpc_with_key (Fixture       *fx,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* On 19 an API key is accepted as the JSON-RPC password too */
  ct_odoo_client_set_dialect (fx->client, CT_ODOO_DIALECT_JSONRPC);
  fixture_connect (fx, data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ct_odoo_client_get_dialect (fx->client), ==, CT_ODOO_DIALECT_JSONRPC);
  g_assert_cmpint (ct_odoo_client_get_uid (fx->client), ==, 2);
}

static void
test_connect_bad_secret (Fixture       *fx,
                         gconstpointer  data)
{
  const Params *params = data;
  g_autoptr(GError) error = NULL;

  g_free (fx->secret);
  fx->secret = g_strdup (params->json2 ? "0000000000000000000000000000000000000000"
                                       : "S3cr3t-Wr0ng-Pa55!");
  fixture_connect (fx, data, &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_AUTH);
  g_assert_false (ct_odoo_client_is_connected (fx->client));
  /* the message never repeats the secret */
  g_assert_null (strstr (error->message, fx->secret));
}

static void
test_connect_bad_database (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_free (fx->connection->database);
  fx->connection->database = g_strdup ("nosuchdb");
  fixture_connect (fx, data, &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "database"));
}

static void
test_connect_insecure_refused (Fixture       *fx,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_free (fx->connection->odoo_url);
  fx->connection->odoo_url = g_strdup ("http://odoo.example.com");
  fixture_connect (fx, data, &error);
  g_assert_error (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INSECURE);
  g_assert_cmpuint (ct_http_get_request_count (ct_odoo_client_get_http (fx->client)), ==, 0);
}

static void
test_connect_unreachable (void)
{
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  guint16 port;

  /* a port nobody listens on: take one, then close it */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  g_free (connection->odoo_url);
  connection->odoo_url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_free (connection->database);
  connection->database = g_strdup ("ct");
  g_free (connection->login);
  connection->login = g_strdup ("admin");
  ct_odoo_client_set_retry_backoff (client, 5);
  ct_odoo_client_connect_async (client, connection, "admin", NULL, on_done, &result);
  ct_odoo_client_connect_finish (client, wait_result (&result), &error);
  g_object_unref (result);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}


/* A server that takes the TCP connection but never answers the TLS
 * handshake: the connect timeout fires, not the (long) call timeout. */
static void
test_connect_timeout (void)
{
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  guint16 port;
  gint64 start;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_free (connection->odoo_url);
  connection->odoo_url = g_strdup_printf ("https://127.0.0.1:%u", port);
  g_free (connection->database);
  connection->database = g_strdup ("ct");
  g_free (connection->login);
  connection->login = g_strdup ("admin");
  /* Connecting sends the version, the key check and the companies at once:
   * three handshakes, each cancelled at 300 ms; on a loaded machine under
   * the sanitizers that takes seconds. The call timeout is far beyond. */
  ct_odoo_client_set_timeouts (client, 300, 60000);
  ct_odoo_client_set_read_attempts (client, 1);
  start = g_get_monotonic_time ();
  ct_odoo_client_connect_async (client, connection, "admin", NULL, on_done, &result);
  ct_odoo_client_connect_finish (client, wait_result (&result), &error);
  g_object_unref (result);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "connect"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_socket_listener_close (listener);
}


/* Servers without /json/version (before 19) are asked common.version. */
static void
test_version_fallback (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!test_server_is_replay (fx->server))
    {
      g_test_skip ("needs the replay server to hide /json/version");
      return;
    }
  test_server_answer_with (fx->server, "version", "04-json2-GET-method-404.txt");
  fixture_connect (fx, data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ct_odoo_client_get_server_version (fx->client), ==, "19.0");
  g_assert_cmpuint (test_server_count_requests (fx->server, "/json/version"), ==, 1);
  g_assert_nonnull (test_server_last_body (fx->server, "common.version"));
}

/* ---- calls ------------------------------------------------------------------ */

static void
test_search_read (Fixture       *fx,
                  gconstpointer  data)
{
  const Params *params = data;
  static const char * const fields[] = { "name", "state", "partner_id", "amount_total", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) records = NULL;
  GAsyncResult *result = NULL;
  JsonObject *first;

  ct_odoo_client_search_read_async (fx->client, "purchase.order", NULL, fields, NULL, 3, 3, NULL,
                                    on_done, &result);
  records = ct_odoo_client_search_read_finish (fx->client, wait_result (&result), &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (records), ==, 3);
  first = json_array_get_object_element (records, 0);
  g_assert_true (json_object_has_member (first, "name"));
  g_assert_true (json_object_has_member (first, "amount_total"));

  if (test_server_is_replay (fx->server))
    {
      const char *body = test_server_last_body (fx->server, "purchase.order.search_read");
      g_autoptr(JsonNode) sent = json_from_string (body, NULL);
      JsonObject *kwargs;
      JsonObject *context;
      JsonArray *companies;

      if (params->json2)
        kwargs = json_node_get_object (sent);
      else
        kwargs = json_array_get_object_element (
          json_object_get_array_member (json_object_get_object_member (json_node_get_object (sent),
                                                                       "params"), "args"), 6);
      context = json_object_get_object_member (kwargs, "context");
      g_assert_cmpstr (json_object_get_string_member (context, "lang"), ==, "en_US");
      g_assert_cmpstr (json_object_get_string_member (context, "tz"), ==, "Europe/Brussels");
      companies = json_object_get_array_member (context, "allowed_company_ids");
      g_assert_cmpuint (json_array_get_length (companies), ==, 3);
      g_assert_cmpint (json_object_get_int_member (kwargs, "limit"), ==, 3);
      g_assert_cmpstr (json_object_get_string_member (kwargs, "order"), ==, "id");
    }
}

static void
test_search_read_paging (Fixture       *fx,
                         gconstpointer  data)
{
  const Params *params = data;
  static const char * const fields[] = { "name", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) records = NULL;
  GAsyncResult *result = NULL;
  const char *route = params->json2 ? "/json/2/purchase.order/search_read" : "/jsonrpc";

  test_server_reset_counts (fx->server);
  /* the recorded pages hold 5 (JSON-RPC) and 3 (JSON-2) records */
  ct_odoo_client_search_read_async (fx->client, "purchase.order", NULL, fields, NULL,
                                    params->json2 ? 9 : 15, params->json2 ? 3 : 5, NULL,
                                    on_done, &result);
  records = ct_odoo_client_search_read_finish (fx->client, wait_result (&result), &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (records), ==, params->json2 ? 9 : 15);
  g_assert_cmpuint (test_server_count_requests (fx->server, route), ==, 3);
  /* keep-alive: the three pages came over one connection */
  if (test_server_is_replay (fx->server))
    g_assert_cmpuint (test_server_count_connections (fx->server), ==, 1);
  if (test_server_is_replay (fx->server) && params->json2)
    {
      const char *body = test_server_last_body (fx->server, "purchase.order.search_read");
      g_autoptr(JsonNode) sent = json_from_string (body, NULL);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (sent), "offset"), ==, 6);
    }
}

static void
test_read_and_count (Fixture       *fx,
                     gconstpointer  data)
{
  static const char * const fields[] = { "name", "state", NULL };
  static const gint64 ids[] = { 13 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) records = NULL;
  GAsyncResult *result = NULL;
  gint64 count = -1;

  ct_odoo_client_read_async (fx->client, "purchase.order", ids, 1, fields, NULL, on_done, &result);
  records = ct_odoo_client_read_finish (fx->client, wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (records), >=, 1);
  g_assert_true (json_object_has_member (json_array_get_object_element (records, 0), "name"));

  ct_odoo_client_search_count_async (fx->client, "purchase.order", NULL, NULL, on_done, &result);
  g_assert_true (ct_odoo_client_search_count_finish (fx->client, wait_result (&result), &count,
                                                     &error));
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpint (count, >, 0);
}

static void
test_fields_get_cached (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  GAsyncResult *result = NULL;
  guint before;

  ct_odoo_client_fields_get_async (fx->client, "purchase.order", NULL, on_done, &result);
  first = ct_odoo_client_fields_get_finish (fx->client, wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (first, "state"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "state"),
                                                  "type"), ==, "selection");

  before = test_server_count_requests (fx->server, NULL);
  ct_odoo_client_fields_get_async (fx->client, "purchase.order", NULL, on_done, &result);
  second = ct_odoo_client_fields_get_finish (fx->client, wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_true (second == first);
  g_assert_cmpuint (test_server_count_requests (fx->server, NULL), ==, before);
  /* What the cache holds can be looked up without a turn of the loop... */
  g_assert_true (ct_odoo_client_lookup_fields (fx->client, "purchase.order") == first);
  g_assert_null (ct_odoo_client_lookup_fields (fx->client, "res.partner"));
  /* ...and belongs to the connection: another sign-in (perhaps another
   * user, who sees other fields) starts without it. */
  fixture_connect (fx, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (ct_odoo_client_lookup_fields (fx->client, "purchase.order"));
}

static void
test_read_group (Fixture       *fx,
                 gconstpointer  data)
{
  static const char * const groupby[] = { "state", "partner_id", NULL };
  static const char * const aggregates[] = { "amount_total:sum", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) groups = NULL;
  GAsyncResult *result = NULL;
  JsonObject *group;

  ct_odoo_client_read_group_async (fx->client, "purchase.order", NULL, groupby, aggregates,
                                   "state", 4, NULL, on_done, &result);
  groups = ct_odoo_client_read_group_finish (fx->client, wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (groups), >, 0);
  group = json_array_get_object_element (groups, 0);
  g_assert_true (json_object_has_member (json_object_get_object_member (group, "groupby"),
                                         "state"));
  g_assert_true (json_object_has_member (json_object_get_object_member (group, "groupby"),
                                         "partner_id"));
  g_assert_cmpint (json_object_get_int_member (group, "count"), >, 0);
  g_assert_true (json_object_has_member (json_object_get_object_member (group, "aggregates"),
                                         "amount_total:sum"));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (group,
                                                                                  "aggregates"),
                                                    "amount_total:sum"), >, 0);
  g_assert_true (json_object_has_member (group, "domain"));
}

static void
test_message_post (Fixture       *fx,
                   gconstpointer  data)
{
  const Params *params = data;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gint64 message_id = 0;

  ct_odoo_client_message_post_async (fx->client, "purchase.order", 14,
                                     "<b>Approve</b> & thanks", FALSE, NULL, on_done, &result);
  g_assert_true (ct_odoo_client_message_post_finish (fx->client, wait_result (&result),
                                                     &message_id, &error));
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpint (message_id, >, 0);
  if (test_server_is_replay (fx->server))
    {
      g_assert_cmpint (message_id, ==, params->json2 ? 699 : 691);
      /* markup stays text: sent as given, escaped by the server */
      g_assert_nonnull (strstr (test_server_last_body (fx->server, "purchase.order.message_post"),
                                "<b>Approve</b> & thanks"));
    }
}

/* The reviewer validates the tier of order 110 (TIER-003): the method
 * returns None, which is a success with no value. */
static void
test_none_is_success (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) ids = ids_of (110);
  g_autoptr(JsonNode) node = NULL;

  node = call_sync (fx, "purchase.order", "validate_tier", ids, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (node);
}


/* Real answers in the wrong place: a caller gets PROTOCOL, never a crash
 * or a half-read value. */
static void
test_wrong_types (Fixture       *fx,
                  gconstpointer  data)
{
  static const gint64 ids[] = { 13 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(JsonObject) fields = NULL;
  GAsyncResult *result = NULL;
  gint64 count = 0;

  if (!test_server_is_replay (fx->server))
    {
      g_test_skip ("needs the replay server to misplace answers");
      return;
    }
  /* a list where a count is due */
  test_server_answer_with (fx->server, "purchase.order.search_count",
                           "02-jsonrpc-execute_kw-read.txt");
  ct_odoo_client_search_count_async (fx->client, "purchase.order", NULL, NULL, on_done, &result);
  g_assert_false (ct_odoo_client_search_count_finish (fx->client, wait_result (&result), &count,
                                                      &error));
  g_clear_object (&result);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* a count where records are due */
  test_server_answer_with (fx->server, "purchase.order.read",
                           "02-jsonrpc-execute_kw-search_count.txt");
  ct_odoo_client_read_async (fx->client, "purchase.order", ids, 1, NULL, NULL, on_done, &result);
  records = ct_odoo_client_read_finish (fx->client, wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_null (records);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* records where field definitions are due */
  test_server_answer_with (fx->server, "purchase.order.fields_get",
                           "02-jsonrpc-execute_kw-read.txt");
  ct_odoo_client_fields_get_async (fx->client, "purchase.order", NULL, on_done, &result);
  fields = ct_odoo_client_fields_get_finish (fx->client, wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_null (fields);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL);
}

/* ---- every recorded error shape -------------------------------------------- */

static const struct
{
  const char  *transcript;
  CtOdooError  code;
} error_shapes[] = {
  { "01-session-authenticate-apikey-as-password.txt", CT_ODOO_ERROR_AUTH },
  { "01-session-authenticate-bad-db.txt", CT_ODOO_ERROR_NOT_FOUND },
  { "01-session-authenticate-bad-password.txt", CT_ODOO_ERROR_AUTH },
  { "01-session-authenticate-login-cooldown-after-10-failures.txt", CT_ODOO_ERROR_AUTH },
  { "01-session-authenticate-missing-param.txt", CT_ODOO_ERROR_SERVER },
  { "01-session-authenticate-unknown-login.txt", CT_ODOO_ERROR_AUTH },
  { "02-jsonrpc-bad-domain-ValueError.txt", CT_ODOO_ERROR_SERVER },
  { "02-jsonrpc-common-authenticate-bad-db.txt", CT_ODOO_ERROR_NOT_FOUND },
  { "02-jsonrpc-common-unknown-method.txt", CT_ODOO_ERROR_NOT_FOUND },
  { "02-jsonrpc-execute_kw-button_approve-as-noright-AccessError.txt", CT_ODOO_ERROR_ACCESS },
  { "02-jsonrpc-execute_kw-button_approve-missing-record.txt", CT_ODOO_ERROR_MISSING },
  { "02-jsonrpc-execute_kw-create-duplicate-login-ValidationError.txt", CT_ODOO_ERROR_USER },
  { "02-jsonrpc-execute_kw-create-missing-required-ValidationError.txt", CT_ODOO_ERROR_USER },
  { "02-jsonrpc-execute_kw-message_post-two-ids-error.txt", CT_ODOO_ERROR_SERVER },
  { "02-jsonrpc-execute_kw-nonexistent-method.txt", CT_ODOO_ERROR_NOT_FOUND },
  { "02-jsonrpc-execute_kw-nonexistent-model.txt", CT_ODOO_ERROR_NOT_FOUND },
  { "02-jsonrpc-execute_kw-private-method.txt", CT_ODOO_ERROR_ACCESS },
  { "02-jsonrpc-execute_kw-read-invalid-field-ValueError.txt", CT_ODOO_ERROR_SERVER },
  { "02-jsonrpc-execute_kw-search_read-as-noright-AccessError.txt", CT_ODOO_ERROR_ACCESS },
  { "02-jsonrpc-execute_kw-unexpected-kwarg-TypeError.txt", CT_ODOO_ERROR_SERVER },
  { "02-jsonrpc-execute_kw-unlink-confirmed-UserError.txt", CT_ODOO_ERROR_USER },
  { "02-jsonrpc-execute_kw-write-missing-record-MissingError.txt", CT_ODOO_ERROR_MISSING },
  { "02-jsonrpc-execute_kw-write-recursive-partner-ValidationError.txt", CT_ODOO_ERROR_USER },
  { "02-jsonrpc-execute_kw-wrong-password-AccessDenied.txt", CT_ODOO_ERROR_AUTH },
  { "02-jsonrpc-invalid-json-400.txt", CT_ODOO_ERROR_PROTOCOL },
  { "02-jsonrpc-unknown-service.txt", CT_ODOO_ERROR_SERVER },
  { "02-jsonrpc-wrong-content-type.txt", CT_ODOO_ERROR_PROTOCOL },
  { "03-call_kw-AccessError-noright-session.txt", CT_ODOO_ERROR_ACCESS },
  { "03-call_kw-UserError-with-session.txt", CT_ODOO_ERROR_USER },
  { "03-call_kw-after-destroy-session-expired.txt", CT_ODOO_ERROR_SESSION_EXPIRED },
  { "03-call_kw-nonexistent-model-with-session.txt", CT_ODOO_ERROR_NOT_FOUND },
  { "03-call_kw-with-garbage-cookie.txt", CT_ODOO_ERROR_SESSION_EXPIRED },
  { "03-call_kw-with-new-anonymous-cookie-after-destroy.txt", CT_ODOO_ERROR_SESSION_EXPIRED },
  { "03-call_kw-without-cookie.txt", CT_ODOO_ERROR_SESSION_EXPIRED },
  { "04-json2-GET-method-404.txt", CT_ODOO_ERROR_NOT_FOUND },
  { "04-json2-bad-apikey-401.txt", CT_ODOO_ERROR_AUTH },
  { "04-json2-button_approve-as-noright-AccessError.txt", CT_ODOO_ERROR_ACCESS },
  { "04-json2-create-missing-required-ValidationError.txt", CT_ODOO_ERROR_USER },
  { "04-json2-ids-on-api-model-method-422.txt", CT_ODOO_ERROR_PROTOCOL },
  { "04-json2-invalid-json-400.txt", CT_ODOO_ERROR_PROTOCOL },
  { "04-json2-no-authorization-401.txt", CT_ODOO_ERROR_AUTH },
  { "04-json2-nonexistent-method-404.txt", CT_ODOO_ERROR_NOT_FOUND },
  { "04-json2-nonexistent-model-404.txt", CT_ODOO_ERROR_NOT_FOUND },
  { "04-json2-noright-session-cookie-plus-admin-bearer.txt", CT_ODOO_ERROR_AUTH },
  { "04-json2-password-as-bearer-401.txt", CT_ODOO_ERROR_AUTH },
  { "04-json2-private-method-AccessError.txt", CT_ODOO_ERROR_ACCESS },
  { "04-json2-session-cookie-no-bearer.txt", CT_ODOO_ERROR_AUTH },
  { "04-json2-session-cookie-plus-same-database-header-no-bearer-401.txt", CT_ODOO_ERROR_AUTH },
  { "04-json2-unexpected-kwarg-search_read-500-TypeError.txt", CT_ODOO_ERROR_SERVER },
  { "04-json2-unexpected-kwarg-strict-signature-422.txt", CT_ODOO_ERROR_PROTOCOL },
  { "04-json2-write-missing-record-MissingError.txt", CT_ODOO_ERROR_MISSING },
  { "04-json2-wrong-database-header.txt", CT_ODOO_ERROR_NOT_FOUND },
  { "05-create-mail.activity-with-res_model.txt", CT_ODOO_ERROR_USER },
  { "05-ir.cron-search_read-as-purchaser-AccessError.txt", CT_ODOO_ERROR_ACCESS },
  { "07-tier-button_approve-after-rejection-ValidationError.txt", CT_ODOO_ERROR_USER },
  { "07-tier-validate_tier-by-noright-AccessError.txt", CT_ODOO_ERROR_ACCESS },
  { "07-tier-validate_tier-two-ids-ValueError.txt", CT_ODOO_ERROR_SERVER },
};

static void
test_error_shapes (void)
{
  g_autoptr(GError) error = NULL;
  Fixture rpc = { 0, }, json2 = { 0, };

  fixture_setup_full (&rpc, &rpc_admin, NULL);
  if (!test_server_is_replay (rpc.server))
    {
      fixture_teardown (&rpc, NULL);
      g_test_skip ("answering with a given transcript needs the replay server");
      return;
    }
  fixture_connect (&rpc, &rpc_admin, &error);
  g_assert_no_error (error);
  fixture_setup_full (&json2, &json2_admin, NULL);
  fixture_connect (&json2, &json2_admin, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (error_shapes); i++)
    {
      g_autoptr(TestTranscript) t = test_transcript_load (error_shapes[i].transcript, &error);
      gboolean is_json2 = g_str_has_prefix (error_shapes[i].transcript, "04-");
      Fixture *fx = is_json2 ? &json2 : &rpc;
      g_autoptr(JsonNode) node = NULL;
      const CtOdooErrorDetails *details;
      g_autoptr(JsonNode) recorded = NULL;
      JsonObject *exception = NULL;

      g_assert_no_error (error);
      g_test_message ("%s", error_shapes[i].transcript);
      test_server_answer_with (fx->server, "purchase.order.search_read",
                               error_shapes[i].transcript);
      node = call_sync (fx, "purchase.order", "search_read", NULL, NULL, &error);
      g_assert_null (node);
      if (error == NULL || error->code != (int) error_shapes[i].code)
        g_error ("%s: expected %s, got %s (%s)", error_shapes[i].transcript,
                 ct_odoo_error_code_to_string (error_shapes[i].code),
                 error ? ct_odoo_error_code_to_string (error->code) : "success",
                 error ? error->message : "");
      g_assert_error (error, CT_ODOO_ERROR, (int) error_shapes[i].code);

      details = ct_odoo_error_get_details (error);
      g_assert_nonnull (details);
      g_assert_cmpuint (details->http_status, ==, t->status);
      g_assert_cmpstr (details->request, ==, "purchase.order.search_read");

      recorded = json_from_string (g_bytes_get_data (t->body, NULL), NULL);
      if (recorded != NULL && JSON_NODE_HOLDS_OBJECT (recorded))
        {
          JsonObject *object = json_node_get_object (recorded);

          if (json_object_has_member (object, "error"))
            exception = json_object_get_object_member (
              json_object_get_object_member (object, "error"), "data");
          else
            exception = object;
        }
      if (exception != NULL)
        {
          const char *debug = json_object_get_string_member_with_default (exception, "debug", NULL);

          g_assert_cmpstr (details->exception_class, ==,
                           json_object_get_string_member (exception, "name"));
          /* the traceback is kept for a details view, never shown */
          if (debug != NULL && *debug != '\0')
            {
              g_assert_cmpstr (details->traceback, ==, debug);
              g_assert_null (strstr (error->message, "Traceback"));
            }
          g_assert_null (strstr (error->message, "odoo.exceptions"));
          if (error_shapes[i].code == CT_ODOO_ERROR_USER)
            g_assert_cmpstr (error->message, ==,
                             json_object_get_string_member (exception, "message"));
        }
      g_clear_error (&error);
    }
  test_server_answer_with (rpc.server, "purchase.order.search_read", NULL);
  fixture_teardown (&rpc, NULL);
  fixture_teardown (&json2, NULL);
}

/* Every recorded body decodes without a crash; the successes decode to a
 * value (or to None) and the failures to an error with details. */
static void
test_decode_every_transcript (void)
{
  const char *dir_env = g_getenv ("CT_PROTOCOL_DIR");
  g_autofree char *dir_path = g_build_filename (dir_env ? dir_env : PROTOCOL_DIR, "odoo-19", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(TestTranscript) t = test_transcript_load (name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      gboolean ok;
      gsize length;
      const char *data;

      if (t == NULL || t->status == 0 || t->request_line == NULL)
        continue;
      data = g_bytes_get_data (t->body, &length);
      if (strstr (t->request_line, "/json/2/") || strstr (t->request_line, "/json/version"))
        ok = ct_odoo_wire_decode_json2 (data, length, t->status, t->content_type, &node, &error);
      else
        ok = ct_odoo_wire_decode_jsonrpc (data, length, t->status, t->content_type, &node, &error);
      g_assert_true (ok == (error == NULL));
      if (!ok)
        {
          g_assert_true (error->domain == CT_ODOO_ERROR);
          g_assert_nonnull (ct_odoo_error_get_details (error));
          g_assert_cmpstr (error->message, !=, "");
        }
      else if (t->status != 200)
        g_error ("%s: status %u decoded as success", name, t->status);
      n++;
    }
  g_assert_cmpuint (n, >, 100);
}

/* ---- session expiry, retries, faults --------------------------------------- */

static void
open_cookie_session (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  ct_odoo_client_authenticate_session_async (fx->client, NULL, on_done, &result);
  ct_odoo_client_authenticate_session_finish (fx->client, wait_result (&result), &error);
  g_object_unref (result);
  g_assert_no_error (error);
}

static void
test_session_expired_reauthenticates (Fixture       *fx,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint calls, logins;

  /* with a cookie session calls go through /web/dataset/call_kw, where a
   * session lives two calls here: the third expires, the client signs in
   * again once and the call succeeds */
  open_cookie_session (fx);
  test_server_set_faults (fx->server, "expire-session:2");
  test_server_reset_counts (fx->server);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) node = call_sync (fx, "purchase.order", "search_count", NULL,
                                            all_records (), &error);
      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
  calls = test_server_count_requests (fx->server, "/web/dataset/call_kw/");
  logins = test_server_count_requests (fx->server, "/web/session/authenticate");
  g_assert_cmpuint (calls, ==, 4);   /* 2 + the expired one + once more */
  g_assert_cmpuint (logins, ==, 1);
  g_assert_cmpuint (test_server_count_requests (fx->server, "/jsonrpc"), ==, 0);
  test_server_set_faults (fx->server, NULL);
}

static void
test_session_expired_shared (Fixture       *fx,
                             gconstpointer  data)
{
  GAsyncResult *results[4] = { NULL, };
  g_autoptr(JsonObject) kwargs = all_records ();
  guint logins;

  /* Four calls at once; several of them find the session expired. They
   * sign in again once, together, and all four succeed. */
  open_cookie_session (fx);
  test_server_set_faults (fx->server, "expire-session:1*2");
  test_server_reset_counts (fx->server);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    ct_odoo_client_call_async (fx->client, "purchase.order", "search_count", NULL,
                               kwargs, NULL, NULL, on_done, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = ct_odoo_client_call_finish (fx->client,
                                                             wait_result (&results[i]), &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
      g_clear_object (&results[i]);
    }
  logins = test_server_count_requests (fx->server, "/web/session/authenticate");
  g_assert_cmpuint (logins, ==, 1);
  /* some were sent twice, none more */
  g_assert_cmpuint (test_server_count_requests (fx->server, "/web/dataset/call_kw/"), >, 5);
  g_assert_cmpuint (test_server_count_requests (fx->server, "/web/dataset/call_kw/"), <=, 8);
  test_server_set_faults (fx->server, NULL);
}

static void
test_session_expired_twice_reported (Fixture       *fx,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonArray) ids = ids_of (13);

  if (!test_server_is_replay (fx->server))
    {
      /* ct-sim's expire-session:N needs N >= 1 and restarts its count after
       * each expiry, so a retried call always gets through there */
      g_test_skip ("a session that stays expired needs the replay server");
      return;
    }
  open_cookie_session (fx);
  /* every call finds its session expired */
  test_server_answer_with (fx->server, "purchase.order.write",
                           "03-call_kw-after-destroy-session-expired.txt");
  test_server_reset_counts (fx->server);
  node = call_sync (fx, "purchase.order", "write", ids, NULL, &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_SESSION_EXPIRED);
  /* signed in again once, tried once more, then reported: not a loop */
  g_assert_cmpuint (test_server_count_requests (fx->server, "/web/dataset/call_kw/"), ==, 2);
  g_assert_cmpuint (test_server_count_requests (fx->server, "/web/session/authenticate"), ==, 1);
}

static void
test_retry_reads_only (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) ids = ids_of (13);
  JsonNode *node;
  const char *route = "/jsonrpc";

  /* a read: two 503s, then the answer */
  test_server_set_faults (fx->server, "http503@/jsonrpc*2");
  test_server_reset_counts (fx->server);
  node = call_sync (fx, "purchase.order", "search_count", NULL, all_records (), &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (test_server_count_requests (fx->server, route), ==, 3);

  /* a reset connection on a read: tried again */
  test_server_set_faults (fx->server, "reset@/jsonrpc*1");
  test_server_reset_counts (fx->server);
  node = call_sync (fx, "purchase.order", "search_count", NULL, all_records (), &error);
  g_assert_no_error (error);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (test_server_count_requests (fx->server, route), ==, 2);

  /* an action: one 503 is reported, never sent twice */
  test_server_set_faults (fx->server, "http503@/jsonrpc*1");
  test_server_reset_counts (fx->server);
  node = call_sync (fx, "purchase.order", "button_approve", ids, NULL, &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_SERVER);
  g_clear_error (&error);
  g_assert_null (node);
  g_assert_cmpuint (test_server_count_requests (fx->server, route), ==, 1);

  /* a reset during a write: reported as a network error, not re-sent */
  test_server_set_faults (fx->server, "reset@/jsonrpc*1");
  test_server_reset_counts (fx->server);
  node = call_sync (fx, "purchase.order", "write", ids, NULL, &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpuint (test_server_count_requests (fx->server, route), ==, 1);

  /* a read that keeps failing gives up after the attempts */
  test_server_set_faults (fx->server, "http502@/jsonrpc");
  test_server_reset_counts (fx->server);
  node = call_sync (fx, "purchase.order", "search_read", NULL, NULL, &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "502"));
  g_clear_error (&error);
  g_assert_cmpuint (test_server_count_requests (fx->server, route), ==, 3);
  test_server_set_faults (fx->server, NULL);
}

static void
test_faults (Fixture       *fx,
             gconstpointer  data)
{
  const Params *params = data;
  const char *route = params->json2 ? "/json/2" : "/jsonrpc";
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  JsonNode *node;
  gint64 start;

  /* HTML 500 page */
  spec = g_strdup_printf ("http500@%s*1", route);
  test_server_set_faults (fx->server, spec);
  node = call_sync (fx, "purchase.order", "search_count", NULL, all_records (), &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_SERVER);
  g_assert_null (strstr (error->message, "<"));
  g_clear_error (&error);
  g_assert_null (node);

  /* truncated JSON */
  g_free (spec);
  spec = g_strdup_printf ("truncate@%s*1", route);
  test_server_set_faults (fx->server, spec);
  node = call_sync (fx, "purchase.order", "fields_get", NULL, NULL, &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* not JSON at all */
  g_free (spec);
  spec = g_strdup_printf ("badjson@%s*1", route);
  test_server_set_faults (fx->server, spec);
  node = call_sync (fx, "purchase.order", "search_count", NULL, all_records (), &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* latency beyond the call timeout */
  g_free (spec);
  spec = g_strdup_printf ("latency@%s:1500*1", route);
  test_server_set_faults (fx->server, spec);
  ct_odoo_client_set_timeouts (fx->client, 1000, 300);
  start = g_get_monotonic_time ();
  node = call_sync (fx, "purchase.order", "search_count", NULL, all_records (), &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1400 * 1000);
  g_clear_error (&error);

  /* too large an answer */
  test_server_set_faults (fx->server, NULL);
  ct_odoo_client_set_timeouts (fx->client, 10000, 10000);
  ct_odoo_client_set_max_response_size (fx->client, 1024);
  node = call_sync (fx, "purchase.order", "fields_get", NULL, NULL, &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "larger"));
  g_clear_error (&error);
}

/* ---- cancellation ------------------------------------------------------------ */

typedef struct
{
  guint     calls;
  gboolean  got_result;
  GError   *error;
} CancelState;

static void
on_cancel_test_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CancelState *state = user_data;
  JsonNode *node = ct_odoo_client_call_finish (CT_ODOO_CLIENT (source), result, &state->error);

  state->calls++;
  /* the work a caller would do with the answer */
  if (node != NULL)
    {
      state->got_result = TRUE;
      json_node_unref (node);
    }
}

static gboolean
cancel_now (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
set_true (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_cancel_mid_call (Fixture       *fx,
                      gconstpointer  data)
{
  const Params *params = data;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelState state = { 0, };
  gboolean waited = FALSE;
  g_autoptr(JsonObject) kwargs = all_records ();
  g_autofree char *spec = g_strdup_printf ("latency@%s:400*1",
                                           params->json2 ? "/json/2" : "/jsonrpc");

  test_server_set_faults (fx->server, spec);
  ct_odoo_client_call_async (fx->client, "purchase.order", "search_count", NULL, kwargs, NULL,
                             cancellable, on_cancel_test_done, &state);
  g_timeout_add (50, cancel_now, cancellable);
  WAIT_UNTIL (state.calls > 0);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (state.got_result);

  /* nothing else arrives after the server answers */
  g_timeout_add (700, set_true, &waited);
  test_wait (&waited);
  g_assert_cmpuint (state.calls, ==, 1);
  g_assert_false (state.got_result);
  g_clear_error (&state.error);
}

/* A large answer is decoded in a worker thread. Cancelled after the body
 * arrived but before its result came back to the caller (still parsing,
 * or parsed and waiting for the main loop), the call ends in
 * G_IO_ERROR_CANCELLED exactly once and the parsed tree is freed (the
 * sanitizer run checks the leak). */
static void
test_cancel_while_decoding (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelState state = { 0, };
  gboolean waited = FALSE;
  g_autoptr(JsonObject) kwargs = all_records ();
  guint before = ct_odoo_client_get_thread_decodes (fx->client);
  guint64 bytes = ct_http_get_bytes_received (ct_odoo_client_get_http (fx->client));

  if (test_server_is_replay (fx->server))
    {
      g_test_skip ("needs the simulator's full purchase orders");
      return;
    }
  /* Every field of every order: several hundred KB. */
  ct_odoo_client_call_async (fx->client, "purchase.order", "search_read", NULL, kwargs, NULL,
                             cancellable, on_cancel_test_done, &state);
  WAIT_UNTIL (ct_odoo_client_get_thread_decodes (fx->client) > before || state.calls > 0);
  g_assert_cmpuint (state.calls, ==, 0);
  g_assert_cmpuint (ct_http_get_bytes_received (ct_odoo_client_get_http (fx->client)) - bytes,
                    >=, 64 * 1024);
  g_cancellable_cancel (cancellable);
  WAIT_UNTIL (state.calls > 0);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (state.got_result);

  g_timeout_add (200, set_true, &waited);
  test_wait (&waited);
  g_assert_cmpuint (state.calls, ==, 1);
  g_clear_error (&state.error);

  /* Not cancelled, the same answer arrives whole. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = call_sync (fx, "purchase.order", "search_read", NULL,
                                          all_records (), &error);

    g_assert_no_error (error);

    g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), >, 0);
    g_assert_cmpuint (ct_odoo_client_get_thread_decodes (fx->client), ==, before + 2);
  }
}

typedef struct
{
  GThread *caller;      /* the thread that sent the call */
  guint    runs;
  gboolean in_worker;   /* ran in another thread */
  guint    seen;        /* the records the function saw */
} DecodeSeen;

/* Keeps the first record only: what the caller gets is what it left. */
static void
keep_first (JsonNode *result,
            gpointer  user_data)
{
  DecodeSeen *seen = user_data;
  JsonArray *rows = json_node_get_array (result);

  seen->runs++;
  seen->in_worker = g_thread_self () != seen->caller;
  seen->seen = json_array_get_length (rows);
  while (json_array_get_length (rows) > 1)
    json_array_remove_element (rows, json_array_get_length (rows) - 1);
}

/* A call's decode function runs once, where the answer is decoded: in a
 * worker for a large one, in the caller's thread for a small one, not at
 * all for an error; the caller gets the result as the function left it. */
static void
test_decode_func (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) large = all_records ();
  g_autoptr(JsonObject) small = json_object_new ();
  JsonArray *id_only = json_array_new ();
  GAsyncResult *result = NULL;
  DecodeSeen seen = { g_thread_self (), };

  if (test_server_is_replay (fx->server))
    {
      g_test_skip ("needs the simulator's full purchase orders");
      return;
    }
  /* Large: every field of every order. */
  ct_odoo_client_call_full_async (fx->client, "purchase.order", "search_read", NULL, large,
                                  NULL, keep_first, &seen, NULL, on_done, &result);
  node = ct_odoo_client_call_finish (fx->client, wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpuint (seen.runs, ==, 1);
  g_assert_true (seen.in_worker);
  g_assert_cmpuint (seen.seen, >, 1);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  g_clear_pointer (&node, json_node_unref);

  /* Small: one field of two orders, decoded where it was received. */
  seen = (DecodeSeen) { g_thread_self (), };
  json_array_add_string_element (id_only, "id");
  json_object_set_array_member (small, "domain", json_array_new ());
  json_object_set_array_member (small, "fields", id_only);
  json_object_set_int_member (small, "limit", 2);
  ct_odoo_client_call_full_async (fx->client, "purchase.order", "search_read", NULL, small, NULL,
                                  keep_first, &seen, NULL, on_done, &result);
  node = ct_odoo_client_call_finish (fx->client, wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpuint (seen.runs, ==, 1);
  g_assert_false (seen.in_worker);
  g_assert_cmpuint (seen.seen, ==, 2);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  g_clear_pointer (&node, json_node_unref);

  /* An error: the function does not run. */
  seen = (DecodeSeen) { g_thread_self (), };
  ct_odoo_client_call_full_async (fx->client, "no.such.model", "search_read", NULL, small, NULL,
                                  keep_first, &seen, NULL, on_done, &result);
  node = ct_odoo_client_call_finish (fx->client, wait_result (&result), &error);
  g_clear_object (&result);
  g_assert_nonnull (error);
  g_assert_null (node);
  g_assert_cmpuint (seen.runs, ==, 0);
}

/* ---- TLS ------------------------------------------------------------------------ */

static char *
fingerprint_of_pem (const char *pem)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_pem (pem, -1, &error);

  g_assert_no_error (error);
  return ct_http_certificate_fingerprint (certificate);
}

static void
test_tls (void)
{
  TestServerOptions options = { .tls = TRUE };
  Fixture fx = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  const CtOdooErrorDetails *details;

  if (!g_find_program_in_path ("openssl"))
    {
      g_test_skip ("openssl is needed to make a test certificate");
      return;
    }
  fixture_setup_full (&fx, &rpc_admin, &options);

  /* self-signed: refused, naming the host and the reason */
  fixture_connect (&fx, &rpc_admin, &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, "authority"));
  /* the replay's certificate names 127.0.0.1 only as its CN, not as a
   * subjectAltName: the wrong-name reason is given too */
  if (test_server_is_replay (fx.server))
    g_assert_nonnull (strstr (error->message, "another name"));
  details = ct_odoo_error_get_details (error);
  fingerprint = fingerprint_of_pem (test_server_get_certificate_pem (fx.server));
  g_assert_cmpstr (details->certificate_sha256, ==, fingerprint);
  g_clear_error (&error);

  /* pinned by explicit choice: accepted */
  ct_odoo_client_set_pinned_certificate (fx.client, fingerprint);
  fixture_connect (&fx, &rpc_admin, &error);
  g_assert_no_error (error);
  g_assert_true (ct_odoo_client_is_connected (fx.client));
  g_clear_object (&fx.client);

  /* a different pin (the certificate changed): refused */
  fx.client = ct_odoo_client_new ();
  ct_odoo_client_set_pinned_certificate (fx.client,
                                         "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                                         "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
  fixture_connect (&fx, &rpc_admin, &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "changed"));
  g_clear_error (&error);
  fixture_teardown (&fx, NULL);
}

/* ---- cookie session ---------------------------------------------------------------- */

static void
test_cookie_session (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  SoupSession *session;

  ct_odoo_client_authenticate_session_async (fx->client, NULL, on_done, &result);
  g_assert_true (ct_odoo_client_authenticate_session_finish (fx->client, wait_result (&result),
                                                             &error));
  g_clear_object (&result);
  g_assert_no_error (error);
  session = ct_http_get_session (ct_odoo_client_get_http (fx->client));
  g_assert_nonnull (soup_session_get_feature (session, SOUP_TYPE_COOKIE_JAR));
}

/* read_group (16-18, and 19's deprecated one) normalised into the shape of
 * formatted_read_group, from the recorded answer */
static void
test_read_group_legacy_shape (void)
{
  static const char * const groupby[] = { "state", NULL };
  static const char * const aggregates[] = { "amount_total:sum", NULL };
  g_autoptr(TestTranscript) t = test_transcript_load ("02-jsonrpc-execute_kw-read_group.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonArray) groups = NULL;
  JsonObject *first;
  gsize length;
  const char *data = g_bytes_get_data (t->body, &length);

  g_assert_true (ct_odoo_wire_decode_jsonrpc (data, length, t->status, t->content_type, &node,
                                              &error));
  groups = ct_odoo_normalize_groups (json_node_get_array (node), groupby, aggregates, FALSE,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (groups), ==, 3);
  first = json_array_get_object_element (groups, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "groupby"),
                                                  "state"), ==, "draft");
  g_assert_cmpint (json_object_get_int_member (first, "count"), ==, 92);
  g_assert_cmpfloat_with_epsilon (
    json_object_get_double_member (json_object_get_object_member (first, "aggregates"),
                                   "amount_total:sum"),
    218571.2, 0.001);
  g_assert_true (json_object_has_member (first, "domain"));
}

/* ---- gzip -------------------------------------------------------------------- */

static GBytes *
gzip_bytes (const char *data,
            gsize       length)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) zipped = g_converter_output_stream_new (memory,
                                                                   G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (zipped, data, length, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (zipped, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

typedef struct
{
  GBytes *body;
  char   *accept_encoding;
} GzipServer;

static void
gzip_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  GzipServer *gz = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);

  g_free (gz->accept_encoding);
  gz->accept_encoding = g_strdup (soup_message_headers_get_one (request, "Accept-Encoding"));
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Content-Encoding",
                               "gzip");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (gz->body, NULL), g_bytes_get_size (gz->body));
}

static CtHttpResponse *
fetch (CtHttp      *http,
       const char  *url,
       GError     **error)
{
  GAsyncResult *result = NULL;
  CtHttpResponse *response;

  ct_http_send_async (http, "GET", url, NULL, NULL, "gzip", 1, NULL, on_done, &result);
  response = ct_http_send_finish (http, wait_result (&result), error);
  g_object_unref (result);
  return response;
}

static void
test_gzip (void)
{
  g_autoptr(TestTranscript) t = test_transcript_load ("04-json2-fields_get-purchase.order.txt",
                                                      NULL);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(CtHttp) http = ct_http_new ("Odoo");
  g_autoptr(GError) error = NULL;
  g_autoptr(CtHttpResponse) response = NULL;
  g_autoptr(CtHttpResponse) bomb = NULL;
  g_autofree char *url = NULL;
  g_autofree char *zeros = NULL;
  GzipServer gz = { 0, };
  GSList *uris;

  gz.body = gzip_bytes (g_bytes_get_data (t->body, NULL), g_bytes_get_size (t->body));
  soup_server_add_handler (server, NULL, gzip_handler, &gz, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* a gzipped answer is accepted and arrives unzipped */
  response = fetch (http, url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (gz.accept_encoding, "gzip"));
  g_assert_cmpuint (g_bytes_get_size (gz.body), <, g_bytes_get_size (t->body));
  g_assert_true (g_bytes_equal (response->body, t->body));

  /* the ceiling counts unzipped bytes: 8 MB of zeros in a few KB is refused */
  g_bytes_unref (gz.body);
  zeros = g_malloc0 (8 * 1024 * 1024);
  gz.body = gzip_bytes (zeros, 8 * 1024 * 1024);
  g_assert_cmpuint (g_bytes_get_size (gz.body), <, 64 * 1024);
  ct_http_set_max_size (http, 1024 * 1024);
  bomb = fetch (http, url, &error);
  g_assert_null (bomb);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL);

  soup_server_disconnect (server);
  g_bytes_unref (gz.body);
  g_free (gz.accept_encoding);
}

/* ---- secrets never in the log: runs last ---------------------------------------- */

static void
test_no_secret_in_log (void)
{
  static const char * const secrets[] = {
    "c7228151caed75975ed94b42be0ccf28a17c3947",
    "21e39ed4dc2377e5bdc04eb0859dc772b7088428",
    "ae8f57c5702b9ff7f10ebc902e1a3f62c7fd69cf",
    "0000000000000000000000000000000000000000",
    "S3cr3t-Wr0ng-Pa55!",
    "replay-session-cookie-3f9a",
    "\"password\"",
  };

  /* the log did record the traffic: method, model, size, timing */
  g_assert_nonnull (strstr (captured_log->str, "purchase.order.search_read"));
  g_assert_nonnull (strstr (captured_log->str, "bytes"));
  g_assert_nonnull (strstr (captured_log->str, "Authorization=[redacted]"));
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (strstr (captured_log->str, secrets[i]) != NULL)
      g_error ("secret %u found in the debug log", i);
}

int
main (int argc, char **argv)
{
  /* debug output on, captured (not printed) for the last test */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  ct_test_require_protocol_dir ();

#define ADD(path, params, setup, func) \
  g_test_add ("/ct/core/odoo-client/" path, Fixture, params, setup, func, fixture_teardown)

  ADD ("jsonrpc/connect", &rpc_admin, fixture_setup, test_connect);
  ADD ("json2/connect", &json2_admin, fixture_setup, test_connect);
  ADD ("jsonrpc/connect-with-api-key", &json2_admin, fixture_setup_unconnected,
       test_connect_jsonrpc_with_key);
  ADD ("jsonrpc/bad-password", &rpc_admin, fixture_setup_unconnected, test_connect_bad_secret);
  ADD ("json2/bad-key", &json2_admin, fixture_setup_unconnected, test_connect_bad_secret);
  ADD ("jsonrpc/bad-database", &rpc_admin, fixture_setup_unconnected, test_connect_bad_database);
  ADD ("json2/bad-database", &json2_admin, fixture_setup_unconnected, test_connect_bad_database);
  ADD ("jsonrpc/insecure-http-refused", &rpc_admin, fixture_setup_unconnected,
       test_connect_insecure_refused);
  g_test_add_func ("/ct/core/odoo-client/common/unreachable", test_connect_unreachable);
  ADD ("jsonrpc/version-fallback", &rpc_admin, fixture_setup_unconnected, test_version_fallback);
  g_test_add_func ("/ct/core/odoo-client/common/connect-timeout", test_connect_timeout);
  ADD ("jsonrpc/search-read", &rpc_admin, fixture_setup, test_search_read);
  ADD ("json2/search-read", &json2_admin, fixture_setup, test_search_read);
  ADD ("jsonrpc/search-read-paging", &rpc_admin, fixture_setup, test_search_read_paging);
  ADD ("json2/search-read-paging", &json2_admin, fixture_setup, test_search_read_paging);
  ADD ("jsonrpc/read-and-count", &rpc_admin, fixture_setup, test_read_and_count);
  ADD ("json2/read-and-count", &json2_admin, fixture_setup, test_read_and_count);
  ADD ("jsonrpc/fields-get-cached", &rpc_admin, fixture_setup, test_fields_get_cached);
  ADD ("json2/fields-get-cached", &json2_admin, fixture_setup, test_fields_get_cached);
  ADD ("jsonrpc/read-group", &rpc_admin, fixture_setup, test_read_group);
  ADD ("json2/read-group", &json2_admin, fixture_setup, test_read_group);
  ADD ("jsonrpc/message-post", &rpc_admin, fixture_setup, test_message_post);
  ADD ("json2/message-post", &json2_admin, fixture_setup, test_message_post);
  ADD ("jsonrpc/none-is-success", &rpc_purchaser, fixture_setup, test_none_is_success);
  ADD ("jsonrpc/wrong-types", &rpc_admin, fixture_setup, test_wrong_types);
  ADD ("json2/none-is-success", &json2_purchaser, fixture_setup, test_none_is_success);
  g_test_add_func ("/ct/core/odoo-client/common/error-shapes", test_error_shapes);
  g_test_add_func ("/ct/core/odoo-client/common/decode-every-transcript",
                   test_decode_every_transcript);
  ADD ("jsonrpc/session-expired-reauthenticates", &rpc_admin, fixture_setup,
       test_session_expired_reauthenticates);
  ADD ("jsonrpc/session-expired-shared", &rpc_admin, fixture_setup,
       test_session_expired_shared);
  ADD ("jsonrpc/session-expired-twice", &rpc_admin, fixture_setup,
       test_session_expired_twice_reported);
  ADD ("jsonrpc/retry-reads-only", &rpc_admin, fixture_setup, test_retry_reads_only);
  ADD ("jsonrpc/faults", &rpc_admin, fixture_setup, test_faults);
  ADD ("json2/faults", &json2_admin, fixture_setup, test_faults);
  ADD ("jsonrpc/cancel-mid-call", &rpc_admin, fixture_setup, test_cancel_mid_call);
  ADD ("json2/cancel-mid-call", &json2_admin, fixture_setup, test_cancel_mid_call);
  ADD ("jsonrpc/cancel-while-decoding", &rpc_admin, fixture_setup, test_cancel_while_decoding);
  ADD ("json2/cancel-while-decoding", &json2_admin, fixture_setup, test_cancel_while_decoding);
  ADD ("jsonrpc/decode-func", &rpc_admin, fixture_setup, test_decode_func);
  ADD ("json2/decode-func", &json2_admin, fixture_setup, test_decode_func);
  g_test_add_func ("/ct/core/odoo-client/common/tls", test_tls);
  g_test_add_func ("/ct/core/odoo-client/common/read-group-legacy-shape",
                   test_read_group_legacy_shape);
  g_test_add_func ("/ct/core/odoo-client/common/gzip", test_gzip);
  ADD ("jsonrpc/cookie-session", &rpc_admin, fixture_setup, test_cookie_session);
  g_test_add_func ("/ct/core/odoo-client/secrets/no-secret-in-log", test_no_secret_in_log);
#undef ADD

  return g_test_run ();
}
