/* test-sim-detail.c - A case's evidence as the recorded server gives it: chatter, tracking, attachments
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a user sees of P00013 on the recorded dataset, checked against the
 * recordings themselves where they hold the exact text (09-24): a plain post
 * is escaped with the raw markup in its preview, an HTML post sanitised;
 * attachments come as datas over JSON-2, from /web/content to a web session
 * or with an access token, never to a bearer key; tracking values only to
 * administrators over the ORM and to everyone through the chatter route,
 * which needs a web session.
 */

#define G_LOG_DOMAIN "ct-sim-test"

#include "config.h"

#include "../ct-test-protocol.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ct-sim-server.h"

#define QUOTE_B64 "JVBERi0xLjQKJSBDb250cm9sIFRvd2VyIHRyYW5zY3JpcHQgdGVzdCBxdW90ZSBmb3IgUDAwMDEzCiUlRU9GCg=="

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
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 4, 14, 0, 0);
  CtSimOptions options = { .dataset = "recorded", .now = now, .n_cases = 100 };

  f->server = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (f->server, &error));
  f->url = ct_sim_server_dup_url (f->server);
  f->session = soup_session_new_with_options ("timeout", 30, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_unref (f->session);
  g_free (f->url);
  ct_sim_server_stop (f->server);
  g_assert_finalize_object (f->server);
}

/* Sends @method @path; @auth: "bearer KEY", "session_id=…" or NULL. */
static GBytes *
send (Fixture      *f,
      const char   *method,
      const char   *path,
      const char   *body,
      const char   *auth,
      SoupMessage **msg_out)
{
  g_autofree char *url = g_strconcat (f->url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *answer;

  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  if (auth != NULL && g_str_has_prefix (auth, "bearer "))
    {
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Odoo-Database",
                                    "ct");
    }
  else if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", auth);
  answer = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  *msg_out = msg;
  return answer;
}

static JsonNode *
json2 (Fixture    *f,
       const char *login,
       const char *model_method,
       const char *body,
       guint       expected_status)
{
  g_autofree char *path = g_strconcat ("/json/2/", model_method, NULL);
  g_autofree char *bearer = g_strdup_printf ("bearer %s", ct_sim_server_get_api_key (f->server,
                                                                                     login));
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = send (f, "POST", path, body, bearer, &msg);

  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  return json_from_string (g_bytes_get_data (answer, NULL), NULL);
}

static char *
web_login (Fixture    *f,
           const char *login)
{
  g_autofree char *body = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"id\":1,\"params\":"
                                           "{\"db\":\"ct\",\"login\":\"%s\",\"password\":\"%s\"}}",
                                           login, ct_sim_server_get_password (f->server, login));
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = send (f, "POST", "/web/session/authenticate", body, NULL, &msg);
  const char *cookie = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "Set-Cookie");

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (cookie);
  return g_strndup (cookie, strcspn (cookie, ";"));
}

/* The response body of a recorded transcript, parsed. */
static JsonNode *
recorded_answer (const char *prefix)
{
  g_autofree char *dir = g_build_filename (g_getenv ("CT_PROTOCOL_DIR"), "odoo-19", NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_prefix (name, prefix))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autofree char *text = NULL;
        const char *response, *body;

        g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
        response = strstr (text, "### RESPONSE\n");
        g_assert_nonnull (response);
        body = strstr (response, "\n\n");
        g_assert_nonnull (body);
        return json_from_string (body + 2, NULL);
      }
  g_assert_not_reached ();
}

static void
test_html_posts (Fixture       *f,
                 gconstpointer  data)
{
  static const char html[] = "<p>Please check the <b>bold</b> terms and <a href=\\\"https://example.com/"
    "terms?a=1&amp;b=2\\\">the terms page</a>.</p><script>alert(1)</script><p><a href=\\\"javascript:"
    "alert(2)\\\">js link</a> <img src=\\\"x\\\" onerror=\\\"alert(3)\\\"> <span style=\\\"color:red\\\" "
    "onclick=\\\"alert(4)\\\">red</span></p>";
  g_autofree char *plain_body = g_strdup_printf ("{\"ids\":[13],\"body\":\"%s\",\"message_type\":\"comment\","
                                                 "\"subtype_xmlid\":\"mail.mt_note\"}", html);
  g_autofree char *html_body = g_strdup_printf ("{\"ids\":[13],\"body\":\"%s\",\"body_is_html\":true,"
                                                "\"message_type\":\"comment\","
                                                "\"subtype_xmlid\":\"mail.mt_note\"}", html);
  g_autoptr(JsonNode) plain = json2 (f, "admin", "purchase.order/message_post", plain_body, 200);
  g_autoptr(JsonNode) sanitised = json2 (f, "admin", "purchase.order/message_post", html_body, 200);
  g_autoptr(JsonNode) recorded = recorded_answer ("09-24-");
  g_autofree char *read = g_strdup_printf ("{\"ids\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "],"
                                           "\"fields\":[\"body\",\"preview\",\"subtype_id\"]}",
                                           json_array_get_int_element (json_node_get_array (plain),
                                                                       0),
                                           json_array_get_int_element (json_node_get_array (sanitised), 0));
  g_autoptr(JsonNode) live = json2 (f, "admin", "mail.message/read", read, 200);

  for (guint i = 0; i < 2; i++)
    {
      JsonObject *want = json_array_get_object_element (json_node_get_array (recorded), i);
      JsonObject *got = json_array_get_object_element (json_node_get_array (live), i);

      /* Escaped, or sanitised, to the character; the preview of the plain
       * post is the raw markup, <script> included. */
      g_assert_cmpstr (json_object_get_string_member (got, "body"), ==,
                       json_object_get_string_member (want, "body"));
      g_assert_cmpstr (json_object_get_string_member (got, "preview"), ==,
                       json_object_get_string_member (want, "preview"));
      g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (got,
                                                                                    "subtype_id"), 1),
                       ==, "Note");
    }
}

static void
test_attachment (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) created = json2 (f, "admin", "ir.attachment/create",
                                       "{\"vals_list\":[{\"name\":\"quote-P00013.pdf\",\"mimetype\":"
                                       "\"application/pdf\",\"datas\":\"" QUOTE_B64 "\",\"res_model\":"
                                       "\"purchase.order\",\"res_id\":13}]}", 200);
  gint64 id = json_array_get_int_element (json_node_get_array (created), 0);
  g_autofree char *ids = g_strdup_printf ("{\"ids\":[%" G_GINT64_FORMAT "],\"fields\":[\"datas\","
                                          "\"file_size\",\"checksum\",\"type\"]}", id);
  g_autofree char *path = g_strdup_printf ("/web/content/%" G_GINT64_FORMAT "?download=true", id);
  g_autofree char *bearer = g_strdup_printf ("bearer %s", ct_sim_server_get_api_key (f->server,
                                                                                     "admin"));
  g_autofree char *admin_cookie = web_login (f, "admin");
  g_autofree char *noright_cookie = web_login (f, "noright");
  g_autofree char *token_path = NULL;
  g_autofree char *token_ids = g_strdup_printf ("{\"ids\":[%" G_GINT64_FORMAT "]}", id);
  g_autoptr(JsonNode) token = NULL;
  gsize quote_len;
  g_autofree guchar *quote = g_base64_decode (QUOTE_B64, &quote_len);
  const char *auths[] = { bearer, noright_cookie, NULL, admin_cookie };

  /* A purchase user reads the contents over JSON-2, with size and checksum. */
  {
    g_autoptr(JsonNode) read = json2 (f, "purchaser", "ir.attachment/read", ids, 200);
    JsonObject *row = json_array_get_object_element (json_node_get_array (read), 0);
    g_autofree char *sha1 = g_compute_checksum_for_data (G_CHECKSUM_SHA1, quote, quote_len);

    g_assert_cmpstr (json_object_get_string_member (row, "datas"), ==, QUOTE_B64);
    g_assert_cmpint (json_object_get_int_member (row, "file_size"), ==, quote_len);
    g_assert_cmpstr (json_object_get_string_member (row, "checksum"), ==, sha1);
    g_assert_cmpstr (json_object_get_string_member (row, "type"), ==, "binary");
  }

  /* A bearer key is ignored (the public user's 404 page), a user who may not
   * read the order gets the same, no credentials too; a web session of one
   * who may downloads the file. */
  for (guint i = 0; i < G_N_ELEMENTS (auths); i++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) answer = send (f, "GET", path, NULL, auths[i], &msg);
      SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

      if (auths[i] != admin_cookie)
        {
          g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
          g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (headers, NULL),
                                           "text/html"));
          continue;
        }
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==,
                       "application/pdf");
      g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Disposition"), ==,
                       "attachment; filename=quote-P00013.pdf");
      g_assert_cmpmem (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), quote,
                       quote_len);
    }

  /* An access token opens it to anyone who has the link. */
  token = json2 (f, "admin", "ir.attachment/generate_access_token", token_ids, 200);
  token_path = g_strdup_printf ("%s&access_token=%s", path,
                                json_array_get_string_element (json_node_get_array (token), 0));
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) answer = send (f, "GET", token_path, NULL, NULL, &msg);
    g_autoptr(SoupMessage) wrong_msg = NULL;
    g_autofree char *wrong = g_strdup_printf ("%s&access_token=nope", path);
    g_autoptr(GBytes) wrong_answer = send (f, "GET", wrong, NULL, NULL, &wrong_msg);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpmem (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), quote, quote_len);
    g_assert_cmpuint (soup_message_get_status (wrong_msg), ==, 404);
  }
}

static void
test_tracking (Fixture       *f,
               gconstpointer  data)
{
  static const char thread[] = "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"id\":5,\"params\":"
    "{\"thread_id\":13,\"thread_model\":\"purchase.order\",\"fetch_params\":{\"limit\":30}}}";
  g_autofree char *cookie = web_login (f, "purchaser");
  g_autoptr(JsonNode) refused = json2 (f, "purchaser", "mail.message/search_read",
                                       "{\"domain\":[[\"model\",\"=\",\"purchase.order\"],[\"res_id\",\"=\",13]],"
                                       "\"fields\":[\"body\",\"tracking_value_ids\"]}", 403);
  g_autoptr(JsonNode) allowed = json2 (f, "purchaser", "mail.message/search_read",
                                       "{\"domain\":[[\"model\",\"=\",\"purchase.order\"],[\"res_id\",\"=\",13]],"
                                       "\"fields\":[\"body\",\"subtype_id\"]}", 200);
  g_autoptr(JsonNode) admin_values = json2 (f, "admin", "mail.tracking.value/search_read",
                                            "{\"domain\":[[\"mail_message_id.res_id\",\"=\",13]],"
                                            "\"fields\":[\"old_value_char\",\"new_value_char\"]}", 200);
  g_autoptr(JsonNode) purchaser_values = json2 (f, "purchaser", "mail.tracking.value/search_read",
                                                "{\"domain\":[],\"fields\":[\"old_value_char\"]}", 403);
  gboolean found = FALSE;

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (refused), "name"), ==,
                   "odoo.exceptions.AccessError");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (allowed)), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (admin_values)), ==, 1);

  /* The chatter route: code 100 with id null for a bearer key alone; the
   * tracking for the purchase user's web session. */
  {
    g_autofree char *bearer = g_strdup_printf ("bearer %s",
                                               ct_sim_server_get_api_key (f->server, "purchaser"));
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) answer = send (f, "POST", "/mail/thread/messages", thread, bearer, &msg);
    g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (answer, NULL), NULL);
    JsonObject *object = json_node_get_object (root);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "id")));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "error"),
                                                 "code"),
                     ==, 100);
  }
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) answer = send (f, "POST", "/mail/thread/messages", thread, cookie, &msg);
    g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (answer, NULL), NULL);
    JsonArray *messages = json_object_get_array_member (
      json_object_get_object_member (json_object_get_object_member (json_node_get_object (root),
                                                                    "result"),
                                     "data"), "mail.message");

    for (guint i = 0; i < json_array_get_length (messages); i++)
      {
        JsonArray *values = json_object_get_array_member (json_array_get_object_element (messages,
                                                                                         i),
                                                          "trackingValues");

        if (json_array_get_length (values) == 0)
          continue;
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (values, 0),
                                                        "oldValue"),
                         ==, "RFQ");
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (values, 0),
                                                        "newValue"),
                         ==, "To Approve");
        found = TRUE;
      }
  }
  g_assert_true (found);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ct_test_require_protocol_dir ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ct/sim/detail/html-posts", test_html_posts);
  ADD ("/ct/sim/detail/attachment", test_attachment);
  ADD ("/ct/sim/detail/tracking", test_tracking);
#undef ADD
  return g_test_run ();
}
