/* test-connection-check.c - The connection check's checklist, step by step
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-connection-check"

#include "config.h"

#include <string.h>

#include "ct-connection-check.h"
#include "test-odoo-client-server.h"
#include "test-wait.h"

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GPtrArray *
run_check (TestServer   *server,
           const char   *url,
           const char   *database,
           const char   *login,
           CtSecretKind  kind,
           const char   *secret,
           gboolean      with_n8n)
{
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(GError) error = NULL;
  CtCheckOptions options = { 0, };
  GAsyncResult *result = NULL;
  GPtrArray *items;

  g_free (connection->odoo_url);
  connection->odoo_url = g_strdup (url);
  g_free (connection->database);
  connection->database = g_strdup (database);
  g_free (connection->login);
  connection->login = g_strdup (login);
  connection->secret_kind = kind;
  if (with_n8n)
    connection->n8n_url = g_strdup (url);   /* NULL from ct_connection_new */
  options.connection = connection;
  options.secret = secret;
  options.n8n_api_key = with_n8n ? test_server_get_n8n_api_key (server) : NULL;
  options.connect_timeout_ms = 2000;
  options.call_timeout_ms = 5000;
  ct_connection_check_async (&options, NULL, on_done, &result);
  WAIT_UNTIL (result != NULL);
  items = ct_connection_check_finish (result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      CtCheckItem *item = items->pdata[i];

      g_test_message ("%s [%s] %s: %s", item->id, ct_check_state_to_string (item->state),
                      item->title, item->text);
      /* every line is something a manager can read */
      g_assert_nonnull (item->title);
      g_assert_cmpstr (item->text, !=, "");
      g_assert_null (strstr (item->text, "odoo.exceptions"));
      g_assert_null (strstr (item->text, "Traceback"));
      /* (the recorded fixture's passwords equal the logins) */
      if (secret != NULL && !g_str_equal (secret, login))
        g_assert_null (strstr (item->text, secret));
    }
  return items;
}

static CtCheckItem *
find (GPtrArray  *items,
      const char *id)
{
  for (guint i = 0; i < items->len; i++)
    if (g_str_equal (((CtCheckItem *) items->pdata[i])->id, id))
      return items->pdata[i];
  g_error ("no item %s", id);
  return NULL;
}

static void
test_all_good (gconstpointer data)
{
  gboolean json2 = GPOINTER_TO_INT (data);
  TestServer *server = test_server_start (NULL);
  g_autofree char *url = test_server_dup_url (server);
  g_autoptr(GPtrArray) items = NULL;

  items = run_check (server, url, test_server_get_database (server), "admin",
                     json2 ? CT_SECRET_KIND_API_KEY : CT_SECRET_KIND_PASSWORD,
                     json2 ? test_server_get_api_key (server, "admin")
                           : test_server_get_password (server, "admin"), TRUE);
  g_assert_true (ct_connection_check_passed (items));
  g_assert_cmpint (find (items, "reachable")->state, ==, CT_CHECK_OK);
  g_assert_cmpint (find (items, "version")->state, ==, CT_CHECK_OK);
  g_assert_nonnull (strstr (find (items, "version")->text, "19.0"));
  g_assert_nonnull (strstr (find (items, "version")->text, json2 ? "JSON-2" : "JSON-RPC"));
  g_assert_cmpint (find (items, "database")->state, ==, CT_CHECK_OK);
  g_assert_cmpint (find (items, "login")->state, ==, CT_CHECK_OK);
  g_assert_cmpint (find (items, "companies")->state, ==, CT_CHECK_OK);
  g_assert_nonnull (strstr (find (items, "companies")->text, "My Company (San Francisco)"));
  g_assert_cmpint (find (items, "tier.review")->state, ==, CT_CHECK_OK);
  g_assert_cmpint (find (items, "purchase.order")->state, ==, CT_CHECK_OK);
  /* company 1 uses double validation above 5000 */
  g_assert_nonnull (strstr (find (items, "purchase.order")->text, "5000"));
  /* the recorded database has no Approvals app (the simulator may) */
  if (test_server_is_replay (server))
    g_assert_nonnull (strstr (find (items, "approval.request")->text, "Not installed"));
  else
    g_assert_cmpint (find (items, "approval.request")->state, !=, CT_CHECK_ERROR);
  g_assert_cmpint (find (items, "n8n")->state, ==, CT_CHECK_OK);
  test_server_free (server);
}

static void
test_no_rights (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *url = test_server_dup_url (server);
  g_autoptr(GPtrArray) items = NULL;

  items = run_check (server, url, test_server_get_database (server), "noright",
                     CT_SECRET_KIND_PASSWORD, test_server_get_password (server, "noright"), FALSE);
  g_assert_true (ct_connection_check_passed (items));
  g_assert_cmpint (find (items, "login")->state, ==, CT_CHECK_OK);
  /* installed, but this user may not read purchase orders */
  g_assert_cmpint (find (items, "purchase.order")->state, ==, CT_CHECK_WARNING);
  /* in words, naming the groups Odoo says would be allowed */
  g_assert_nonnull (strstr (find (items, "purchase.order")->text, "not visible to you"));
  g_assert_nonnull (strstr (find (items, "purchase.order")->text, "Purchase/User"));
  test_server_free (server);
}

static void
test_bad_password (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *url = test_server_dup_url (server);
  g_autoptr(GPtrArray) items = NULL;

  items = run_check (server, url, test_server_get_database (server), "admin",
                     CT_SECRET_KIND_PASSWORD, "Wr0ng-Pa55-4-check", FALSE);
  g_assert_false (ct_connection_check_passed (items));
  g_assert_cmpint (find (items, "reachable")->state, ==, CT_CHECK_OK);
  g_assert_cmpint (find (items, "database")->state, ==, CT_CHECK_OK);
  g_assert_cmpint (find (items, "login")->state, ==, CT_CHECK_ERROR);
  g_assert_nonnull (strstr (find (items, "login")->text, "“admin”"));
  g_assert_cmpint (find (items, "companies")->state, ==, CT_CHECK_SKIPPED);
  test_server_free (server);
}

static void
test_bad_key (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *url = test_server_dup_url (server);
  g_autoptr(GPtrArray) items = NULL;

  items = run_check (server, url, test_server_get_database (server), "admin",
                     CT_SECRET_KIND_API_KEY, "1111111111111111111111111111111111111111", FALSE);
  g_assert_cmpint (find (items, "login")->state, ==, CT_CHECK_ERROR);
  g_assert_nonnull (strstr (find (items, "login")->text, "API key"));
  test_server_free (server);
}

static void
test_bad_database (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *url = test_server_dup_url (server);
  g_autoptr(GPtrArray) items = NULL;

  items = run_check (server, url, "nosuchdb", "admin", CT_SECRET_KIND_PASSWORD,
                     test_server_get_password (server, "admin"), FALSE);
  g_assert_cmpint (find (items, "reachable")->state, ==, CT_CHECK_OK);
  g_assert_cmpint (find (items, "database")->state, ==, CT_CHECK_ERROR);
  g_assert_nonnull (strstr (find (items, "database")->text, "nosuchdb"));
  g_assert_cmpint (find (items, "login")->state, ==, CT_CHECK_SKIPPED);
  test_server_free (server);
}

static void
test_unreachable (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  items = run_check (NULL, url, "ct", "admin", CT_SECRET_KIND_PASSWORD, "admin", FALSE);
  g_assert_false (ct_connection_check_passed (items));
  g_assert_cmpint (find (items, "reachable")->state, ==, CT_CHECK_ERROR);
  g_assert_nonnull (strstr (find (items, "reachable")->text, "127.0.0.1"));
  g_assert_cmpint (find (items, "login")->state, ==, CT_CHECK_SKIPPED);
}

static void
test_bad_n8n_key (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *url = test_server_dup_url (server);
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  CtCheckOptions options = { 0, };
  GAsyncResult *result = NULL;

  g_free (connection->odoo_url);
  connection->odoo_url = g_strdup (url);
  connection->n8n_url = g_strdup (url);
  g_free (connection->database);
  connection->database = g_strdup ("ct");
  g_free (connection->login);
  connection->login = g_strdup ("admin");
  options.connection = connection;
  options.secret = test_server_get_password (server, "admin");
  options.n8n_api_key = "not-the-n8n-key";
  ct_connection_check_async (&options, NULL, on_done, &result);
  WAIT_UNTIL (result != NULL);
  items = ct_connection_check_finish (result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpint (find (items, "n8n")->state, ==, CT_CHECK_ERROR);
  g_assert_nonnull (strstr (find (items, "n8n")->text, "API key"));
  test_server_free (server);
}


static void
test_tls_refused_offers_fingerprint (void)
{
  TestServerOptions server_options = { .tls = TRUE };
  TestServer *server;
  g_autofree char *url = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *text = NULL;
  CtCheckItem *reachable;

  if (!g_find_program_in_path ("openssl"))
    {
      g_test_skip ("openssl is needed to make a test certificate");
      return;
    }
  server = test_server_start (&server_options);
  url = test_server_dup_url (server);
  items = run_check (server, url, "ct", "admin", CT_SECRET_KIND_PASSWORD,
                     test_server_get_password (server, "admin"), FALSE);
  reachable = find (items, "reachable");
  g_assert_cmpint (reachable->state, ==, CT_CHECK_ERROR);
  g_assert_nonnull (strstr (reachable->text, "certificate"));
  g_assert_nonnull (reachable->certificate_sha256);
  g_assert_cmpuint (strlen (reachable->certificate_sha256), ==, 32 * 3 - 1);
  text = ct_connection_check_to_text (items);
  g_assert_nonnull (strstr (text, "[error] Server reachable: "));
  g_assert_nonnull (strstr (text, reachable->certificate_sha256));
  g_assert_nonnull (strstr (text, "[skipped] Sign-in: "));
  test_server_free (server);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/ct/core/connection-check/jsonrpc/all-good", GINT_TO_POINTER (FALSE),
                        test_all_good);
  g_test_add_data_func ("/ct/core/connection-check/json2/all-good", GINT_TO_POINTER (TRUE),
                        test_all_good);
  g_test_add_func ("/ct/core/connection-check/no-rights", test_no_rights);
  g_test_add_func ("/ct/core/connection-check/bad-password", test_bad_password);
  g_test_add_func ("/ct/core/connection-check/bad-key", test_bad_key);
  g_test_add_func ("/ct/core/connection-check/bad-database", test_bad_database);
  g_test_add_func ("/ct/core/connection-check/unreachable", test_unreachable);
  g_test_add_func ("/ct/core/connection-check/bad-n8n-key", test_bad_n8n_key);
  g_test_add_func ("/ct/core/connection-check/tls-refused-offers-fingerprint",
                   test_tls_refused_offers_fingerprint);
  return g_test_run ();
}
