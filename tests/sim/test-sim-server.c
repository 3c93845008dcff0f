/* test-sim-server.c - The simulator server: thread, port, TLS, counts, bad requests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim-test"

#include "config.h"

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "ct-sim-server.h"

typedef struct
{
  CtSimServer *server;
  SoupSession *session;
  char        *url;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 15, 30, 0);
  CtSimOptions options = { .dataset = "recorded", .now = now, .n_cases = 100 };

  f->server = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (f->server, &error));
  g_assert_no_error (error);
  f->url = ct_sim_server_dup_url (f->server);
  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_unref (f->session);
  g_free (f->url);
  ct_sim_server_stop (f->server);
  g_object_unref (f->server);
}

static char *
post (Fixture    *f,
      const char *path,
      const char *content_type,
      const char *body,
      const char *auth,
      guint      *status)
{
  g_autofree char *url = g_strconcat (f->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) req = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, content_type, req);
  if (auth != NULL)
    {
      g_autofree char *value = g_strdup_printf ("bearer %s", auth);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static JsonObject *
jsonrpc (Fixture    *f,
         const char *params,
         JsonNode  **keep)
{
  g_autofree char *body = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":%s,\"id\":7}",
                                           params);
  guint status;
  g_autofree char *answer = post (f, "/jsonrpc", "application/json", body, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  *keep = json_from_string (answer, NULL);
  g_assert_nonnull (*keep);
  return json_node_get_object (*keep);
}

static const char *
error_name (JsonObject *answer)
{
  g_assert_true (json_object_has_member (answer, "error"));
  g_assert_false (json_object_has_member (answer, "result"));
  return json_object_get_string_member (
    json_object_get_object_member (json_object_get_object_member (answer, "error"), "data"), "name");
}

static void
test_start_and_counts (Fixture       *f,
                       gconstpointer  data)
{
  guint status;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_assert_cmpuint (ct_sim_server_get_port (f->server), >, 0);
  g_assert_true (g_str_has_prefix (f->url, "http://127.0.0.1:"));
  g_assert_cmpstr (ct_sim_server_get_database (f->server), ==, "ct");
  g_assert_cmpstr (ct_sim_server_get_password (f->server, "purchaser"), ==, "purchaser");
  g_assert_cmpstr (ct_sim_server_get_api_key (f->server, "admin"), ==,
                   "c7228151caed75975ed94b42be0ccf28a17c3947");
  g_assert_null (ct_sim_server_get_api_key (f->server, "demo"));
  g_assert_null (ct_sim_server_get_password (f->server, "nobody"));

  ct_sim_server_reset_counts (f->server);
  a = post (f, "/jsonrpc", "application/json",
            "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{\"service\":\"common\","
            "\"method\":\"version\",\"args\":[]},\"id\":1}", NULL, &status);
  b = post (f, "/json/2/res.users/context_get", "application/json", "{}",
            "c7228151caed75975ed94b42be0ccf28a17c3947", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (ct_sim_server_count_requests (f->server, "/jsonrpc"), ==, 1);
  g_assert_cmpuint (ct_sim_server_count_requests (f->server, "/json/2"), ==, 1);
  g_assert_cmpuint (ct_sim_server_count_requests (f->server, NULL), ==, 2);
  ct_sim_server_reset_counts (f->server);
  g_assert_cmpuint (ct_sim_server_count_requests (f->server, NULL), ==, 0);
}

static void
test_bad_requests (Fixture       *f,
                   gconstpointer  data)
{
  guint status;
  g_autofree char *a = post (f, "/jsonrpc", "application/json", "{\"jsonrpc\":", NULL, &status);
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;
  g_autofree char *e = NULL;
  g_autoptr(JsonNode) keep = NULL;

  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (a, ==, "Invalid JSON data");
  b = post (f, "/jsonrpc", "text/plain", "{}", NULL, &status);
  g_assert_cmpuint (status, ==, 415);
  c = post (f, "/jsonrpc", "application/json", "[1, 2, 3]", NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  d = post (f, "/json/2/purchase.order/search_count", "application/json", "[]",
            "c7228151caed75975ed94b42be0ccf28a17c3947", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (d, "werkzeug.exceptions.BadRequest"));
  e = post (f, "/no/such/route", "application/json", "{}", NULL, &status);
  g_assert_cmpuint (status, ==, 404);

  /* Wrong types in the right places: Odoo's errors, never a crash. */
  g_assert_cmpstr (error_name (jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\","
                                           "\"args\":[\"ct\",\"2\",\"admin\",\"purchase.order\",\"search\",[[]]]}",
                                        &keep)), ==, "odoo.exceptions.AccessDenied");
  g_clear_pointer (&keep, json_node_unref);
  g_assert_cmpstr (error_name (jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\","
                                           "\"args\":[\"ct\",2,\"admin\",\"purchase.order\",\"search\",{}]}",
                                        &keep)), ==, "builtins.TypeError");
  g_clear_pointer (&keep, json_node_unref);
  g_assert_cmpstr (error_name (jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\","
                                           "\"args\":[\"ct\",2,\"admin\",\"purchase.order\",\"read\",[[\"x\"]]]}",
                                        &keep)), ==, "builtins.TypeError");
  g_clear_pointer (&keep, json_node_unref);
  g_assert_cmpstr (error_name (jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\","
                                           "\"args\":[\"ct\",2,\"admin\",\"purchase.order\",\"search\",[42]]}",
                                        &keep)), ==, "builtins.ValueError");
  g_clear_pointer (&keep, json_node_unref);
  g_assert_cmpstr (error_name (jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\","
                                           "\"args\":[\"ct\",2,\"admin\",\"purchase.order\",\"search_read\",[[]],"
                                           "{\"order\":\"amount_total sideways\"}]}",
                                        &keep)), ==, "builtins.ValueError");
  g_clear_pointer (&keep, json_node_unref);
  g_assert_cmpstr (error_name (jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\","
                                           "\"args\":[\"ct\",2,\"admin\",\"purchase.order\",\"write\",[[14],"
                                           "{\"state\":\"bogus\"}]]}", &keep)), ==, "builtins.ValueError");
  g_clear_pointer (&keep, json_node_unref);
  g_assert_cmpstr (error_name (jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\","
                                           "\"args\":[\"ct\",2,\"admin\",\"purchase.order\","
                                           "\"formatted_read_group\",[[]],{\"groupby\":[\"partner_ref:month\"]}]}",
                                        &keep)), ==, "builtins.ValueError");
  g_clear_pointer (&keep, json_node_unref);
  /* The recorded server is Community: no Odoo Approvals there. */
  g_assert_cmpstr (error_name (jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\","
                                           "\"args\":[\"ct\",2,\"admin\",\"approval.request\",\"search\",[[]]]}",
                                        &keep)), ==, "odoo.exceptions.UserError");
  g_clear_pointer (&keep, json_node_unref);
  g_assert_cmpstr (error_name (jsonrpc (f, "{\"service\":\"object\"}", &keep)), ==, "builtins.Exception");
  g_clear_pointer (&keep, json_node_unref);
  g_assert_cmpstr (error_name (jsonrpc (f, "{}", &keep)), ==, "builtins.KeyError");
}

static void
test_huge_and_markup (Fixture       *f,
                      gconstpointer  data)
{
  GString *domain = g_string_new ("[[\"id\",\"in\",[");
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *params = NULL;
  JsonObject *answer;
  JsonArray *rows;
  gint64 id;

  /* A 2 MB domain is answered, not choked on. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (domain, "%s%u", i > 0 ? "," : "", i);
  g_string_append (domain, "]]]");
  params = g_strdup_printf ("{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[\"ct\",2,"
                            "\"admin\",\"purchase.order\",\"search_count\",[%s]]}", domain->str);
  g_string_free (domain, TRUE);
  answer = jsonrpc (f, params, &keep);
  g_assert_cmpint (json_object_get_int_member (answer, "result"), ==, 112);
  g_clear_pointer (&keep, json_node_unref);

  /* Markup in a name comes back as the same text. */
  answer = jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[\"ct\",2,\"admin\","
                       "\"res.partner\",\"create\",[{\"name\":\"<b>Bold</b> & \\\"Co\\\"\"}]]}", &keep);
  id = json_object_get_int_member (answer, "result");
  g_clear_pointer (&keep, json_node_unref);
  g_free (params);
  params = g_strdup_printf ("{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[\"ct\",2,\"admin\","
                            "\"res.partner\",\"read\",[[%" G_GINT64_FORMAT "]],{\"fields\":[\"name\"]}]}", id);
  answer = jsonrpc (f, params, &keep);
  rows = json_object_get_array_member (answer, "result");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "name"), ==,
                   "<b>Bold</b> & \"Co\"");
}

static void
test_double_validation (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *answer;
  JsonObject *po;

  /* purchaser is no manager: approving 13 (8000 > 5000) is a silent no-op */
  answer = jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[\"ct\",7,\"purchaser\","
                       "\"purchase.order\",\"button_approve\",[[13]]]}", &keep);
  g_assert_true (json_object_has_member (answer, "result"));
  g_clear_pointer (&keep, json_node_unref);
  answer = jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[\"ct\",2,\"admin\","
                       "\"purchase.order\",\"read\",[[13]],{\"fields\":[\"state\",\"date_approve\"]}]}", &keep);
  po = json_array_get_object_element (json_object_get_array_member (answer, "result"), 0);
  g_assert_cmpstr (json_object_get_string_member (po, "state"), ==, "to approve");
  g_clear_pointer (&keep, json_node_unref);

  /* demo reads purchase orders but may not approve them */
  g_assert_cmpstr (error_name (jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[\"ct\",5,"
                                           "\"demo\",\"purchase.order\",\"button_approve\",[[13]]]}", &keep)),
                   ==, "odoo.exceptions.AccessError");
  g_clear_pointer (&keep, json_node_unref);

  /* the manager approves; the chatter tracks the state change */
  answer = jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[\"ct\",2,\"admin\","
                       "\"purchase.order\",\"button_approve\",[[13]]]}", &keep);
  g_assert_true (json_object_has_member (answer, "result"));
  g_clear_pointer (&keep, json_node_unref);
  answer = jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[\"ct\",2,\"admin\","
                       "\"purchase.order\",\"read\",[[13]],{\"fields\":[\"state\",\"date_approve\"]}]}", &keep);
  po = json_array_get_object_element (json_object_get_array_member (answer, "result"), 0);
  g_assert_cmpstr (json_object_get_string_member (po, "state"), ==, "purchase");
  g_assert_nonnull (json_object_get_string_member (po, "date_approve"));
  g_clear_pointer (&keep, json_node_unref);
  answer = jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[\"ct\",2,\"admin\","
                       "\"mail.tracking.value\",\"search_read\",[[[\"mail_message_id.res_id\",\"=\",13]]],"
                       "{\"fields\":[\"old_value_char\",\"new_value_char\"],\"order\":\"id desc\"}]}", &keep);
  /* the newest: the confirmation (RFQ → To Approve) came before */
  po = json_array_get_object_element (json_object_get_array_member (answer, "result"), 0);
  g_assert_cmpstr (json_object_get_string_member (po, "old_value_char"), ==, "To Approve");
  g_assert_cmpstr (json_object_get_string_member (po, "new_value_char"), ==, "Purchase Order");
}

static char *
post_cookie (Fixture    *f,
             const char *path,
             const char *body,
             const char *cookie,
             char      **new_cookie)
{
  g_autofree char *url = g_strconcat (f->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) req = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *set;

  soup_message_set_request_body_from_bytes (msg, "application/json", req);
  if (cookie != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie);
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  set = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Set-Cookie");
  if (new_cookie != NULL)
    *new_cookie = set != NULL && g_str_has_prefix (set, "session_id=") ?
      g_strndup (set, strcspn (set, ";")) : NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_session_flow (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cookie = NULL;
  g_autofree char *anonymous = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;
  g_autofree char *e = NULL;
  static const char call[] = "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{\"model\":"
                             "\"purchase.order\",\"method\":\"search_count\",\"args\":[[]],\"kwargs\":{}},"
                             "\"id\":3}";

  /* An API key is refused for an interactive session ... */
  a = post_cookie (f, "/web/session/authenticate",
                   "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{\"db\":\"ct\",\"login\":"
                   "\"admin\",\"password\":\"c7228151caed75975ed94b42be0ccf28a17c3947\"},\"id\":1}",
                   NULL, &cookie);
  g_assert_null (cookie);
  g_assert_nonnull (strstr (a, "odoo.exceptions.AccessDenied"));
  /* ... the password opens one, */
  b = post_cookie (f, "/web/session/authenticate",
                   "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{\"db\":\"ct\",\"login\":"
                   "\"admin\",\"password\":\"admin\"},\"id\":1}", NULL, &cookie);
  g_assert_nonnull (cookie);
  g_assert_nonnull (strstr (b, "\"uid\":2"));
  c = post_cookie (f, "/web/dataset/call_kw", call, cookie, NULL);
  g_assert_nonnull (strstr (c, "\"result\":112"));
  /* and destroying it leaves the old cookie expired (code 100, id null). */
  d = post_cookie (f, "/web/session/destroy", "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{},\"id\":4}",
                   cookie, &anonymous);
  g_assert_nonnull (anonymous);
  g_assert_null (strstr (d, "\"result\""));
  e = post_cookie (f, "/web/dataset/call_kw", call, cookie, NULL);
  g_assert_nonnull (strstr (e, "\"code\":100"));
  g_assert_nonnull (strstr (e, "\"id\":null"));
  g_assert_nonnull (strstr (e, "odoo.http.SessionExpiredException"));
}

static void
test_api_key_wizard (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *answer = NULL;
  JsonObject *result;
  const char *key;
  gint64 id;
  guint status;

  /* res.users.apikeys.description -> make_key -> identity check -> the key */
  result = jsonrpc (f, "{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[\"ct\",7,\"purchaser\","
                       "\"res.users.apikeys.description\",\"create\",[{\"name\":\"tower\"}]]}", &keep);
  id = json_object_get_int_member (result, "result");
  g_clear_pointer (&keep, json_node_unref);
  {
    g_autofree char *params = g_strdup_printf ("{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":"
                                               "[\"ct\",7,\"purchaser\",\"res.users.apikeys.description\","
                                               "\"make_key\",[[%" G_GINT64_FORMAT "]]]}", id);

    result = json_object_get_object_member (jsonrpc (f, params, &keep), "result");
    id = json_object_get_int_member (result, "res_id");
    g_clear_pointer (&keep, json_node_unref);
  }
  {
    g_autofree char *params = g_strdup_printf ("{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":"
                                               "[\"ct\",7,\"purchaser\",\"res.users.identitycheck\","
                                               "\"run_check\",[[%" G_GINT64_FORMAT "]],"
                                               "{\"context\":{\"password\":\"wrong\"}}]}", id);

    g_assert_cmpstr (error_name (jsonrpc (f, params, &keep)), ==, "odoo.exceptions.UserError");
    g_clear_pointer (&keep, json_node_unref);
  }
  {
    g_autofree char *params = g_strdup_printf ("{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":"
                                               "[\"ct\",7,\"purchaser\",\"res.users.identitycheck\","
                                               "\"run_check\",[[%" G_GINT64_FORMAT "]],"
                                               "{\"context\":{\"password\":\"purchaser\"}}]}", id);

    result = json_object_get_object_member (jsonrpc (f, params, &keep), "result");
    key = json_object_get_string_member (json_object_get_object_member (result, "context"), "default_key");
    g_assert_cmpuint (strlen (key), ==, 40);
    /* The new key works as a bearer, as purchaser. */
    answer = post (f, "/json/2/res.users/context_get", "application/json", "{}", key, &status);
    g_assert_cmpuint (status, ==, 200);
    g_assert_nonnull (strstr (answer, "\"uid\":7"));
  }
}

static gboolean
accept_pinned (SoupMessage         *msg,
               GTlsCertificate     *certificate,
               GTlsCertificateFlags errors,
               gpointer             user_data)
{
  g_autofree char *pem = NULL;

  g_object_get (certificate, "certificate-pem", &pem, NULL);
  return pem != NULL && strstr (user_data, g_strstrip (pem)) != NULL;
}

static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSimServer) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) refused = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = NULL;
  g_autofree char *version_url = NULL;
  CtSimOptions options = { .dataset = "recorded", .tls = TRUE, .n_cases = 100 };

  server = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (server, &error));
  g_assert_no_error (error);
  url = ct_sim_server_dup_url (server);
  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (ct_sim_server_get_certificate_pem (server), "-----BEGIN CERTIFICATE-----"));
  version_url = g_strconcat (url, "/json/version", NULL);

  /* Not trusted by default: the certificate is self-signed. */
  refused = soup_message_new ("GET", version_url);
  bytes = soup_session_send_and_read (session, refused, NULL, &error);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_clear_error (&error);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Pinned, it answers. */
  msg = soup_message_new ("GET", version_url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_pinned),
                    (gpointer) ct_sim_server_get_certificate_pem (server));
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "\"19.0\""));
  ct_sim_server_stop (server);
}

static void
test_options (void)
{
  g_autoptr(GError) error = NULL;
  CtSimOptions options = { .dataset = "bogus", .n_cases = 100 };
  CtSimServer *server = ct_sim_server_new (&options, &error);

  g_assert_null (server);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  options.dataset = NULL;
  options.n_cases = 5;
  server = ct_sim_server_new (&options, &error);
  g_assert_null (server);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_port_in_use (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSimServer) first = NULL;
  g_autoptr(CtSimServer) second = NULL;
  CtSimOptions options = { .dataset = "recorded", .n_cases = 100 };

  first = ct_sim_server_new (&options, &error);
  g_assert_true (ct_sim_server_start (first, &error));
  options.port = ct_sim_server_get_port (first);
  second = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_false (ct_sim_server_start (second, &error));
  g_assert_nonnull (error);
}

static void
test_command_line (void)
{
  g_autofree char *exe = g_build_filename (g_getenv ("CT_BUILD_ROOT"), "src", "sim", "ct-sim", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) bad = NULL;

  if (g_getenv ("CT_BUILD_ROOT") == NULL)
    {
      g_test_skip ("CT_BUILD_ROOT is not set");
      return;
    }
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, "--port", "0", "--print-port",
                           "--seed", "2", "--cases", "100", "--now", "2026-11-26T12:00:00Z", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpint (atoi (line), >, 0);
  url = g_strdup_printf ("http://127.0.0.1:%s/json/version", line);
  msg = soup_message_new ("GET", url);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, NULL);

  /* Bad options are refused with a message, not a crash. */
  bad = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                          exe, "--cases", "3", NULL);
  g_assert_no_error (error);
  g_subprocess_wait (bad, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (bad));
  g_assert_cmpint (g_subprocess_get_exit_status (bad), !=, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ct/sim/server/start-and-counts", test_start_and_counts);
  ADD ("/ct/sim/server/bad-requests", test_bad_requests);
  ADD ("/ct/sim/server/huge-and-markup", test_huge_and_markup);
  ADD ("/ct/sim/server/double-validation", test_double_validation);
  ADD ("/ct/sim/server/session-flow", test_session_flow);
  ADD ("/ct/sim/server/api-key-wizard", test_api_key_wizard);
#undef ADD
  g_test_add_func ("/ct/sim/server/tls", test_tls);
  g_test_add_func ("/ct/sim/server/options", test_options);
  g_test_add_func ("/ct/sim/server/port-in-use", test_port_in_use);
  g_test_add_func ("/ct/sim/server/command-line", test_command_line);

  return g_test_run ();
}
