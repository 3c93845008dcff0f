/* test-sim-credentials.c - Connecting to a ct-sim started by hand, with only what it printed
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the ct-sim command as a person would, reads what --print-credentials
 * prints, and makes a JSON-2 call as every user that has an API key, a
 * password sign-in as every user, and an n8n call: nothing else is known
 * about the simulator.
 */

#define G_LOG_DOMAIN "ct-sim-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define DEADLINE_SECONDS 30

typedef struct
{
  GMainLoop *loop;
  char      *line;
  GError    *error;
  gboolean   timed_out;
} LineRead;

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, &read->error);
  g_main_loop_quit (read->loop);
}

static gboolean
line_timed_out (gpointer user_data)
{
  LineRead *read = user_data;

  read->timed_out = TRUE;
  g_main_loop_quit (read->loop);
  return G_SOURCE_REMOVE;
}

/* One line of ct-sim's output, or a test failure after the deadline. */
static char *
read_line (GDataInputStream *out,
           GCancellable     *cancellable)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  LineRead read = { loop, NULL, NULL, FALSE };
  guint timeout = g_timeout_add_seconds (DEADLINE_SECONDS, line_timed_out, &read);

  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, cancellable, line_read, &read);
  g_main_loop_run (loop);
  if (read.timed_out)
    {
      g_cancellable_cancel (cancellable);
      while (read.line == NULL && read.error == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_clear_error (&read.error);
      g_free (read.line);
      g_error ("ct-sim printed nothing within %d s", DEADLINE_SECONDS);
    }
  g_source_remove (timeout);
  g_assert_no_error (read.error);
  g_assert_nonnull (read.line);
  return read.line;
}

/* Starts ct-sim with @args (NULL-terminated) and reads what it prints up to
 * the closing brace of the credentials. */
static GSubprocess *
start_sim (const char * const *args,
           char              **port_line,
           JsonObject        **credentials)
{
  g_autofree char *exe = g_build_filename (g_getenv ("CT_BUILD_ROOT"), "src", "sim", "ct-sim",
                                           NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  GDataInputStream *out;
  GSubprocess *proc;

  g_ptr_array_add (argv, exe);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  *port_line = NULL;
  for (;;)
    {
      g_autofree char *line = read_line (out, cancellable);

      if (json->len == 0 && line[0] != '{')
        {
          g_assert_null (*port_line);
          *port_line = g_steal_pointer (&line);
          continue;
        }
      g_string_append_printf (json, "%s\n", line);
      if (g_strcmp0 (line, "}") == 0)
        break;
    }
  g_object_unref (out);
  g_assert_true (json_parser_load_from_data (parser, json->str, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  *credentials = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return proc;
}

static void
stop_sim (GSubprocess *proc)
{
  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, NULL));
  g_object_unref (proc);
}

static JsonNode *
post_json (SoupSession  *session,
           const char   *url,
           const char   *body,
           const char  **headers,   /* name, value, ..., NULL */
           guint        *status)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), headers[i],
                                  headers[i + 1]);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return json_from_string (g_bytes_get_data (answer, NULL), NULL);
}

/* Everything below uses only what ct-sim printed. */
static void
connect_as_printed (JsonObject *credentials,
                    const char *expected_database)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", DEADLINE_SECONDS,
                                                                  NULL);
  JsonObject *odoo = json_object_get_object_member (credentials, "odoo");
  JsonObject *n8n = json_object_get_object_member (credentials, "n8n");
  JsonArray *users = json_object_get_array_member (odoo, "users");
  const char *url = json_object_get_string_member (odoo, "url");
  const char *database = json_object_get_string_member (odoo, "database");
  g_autofree char *json2_url = g_strconcat (url, "/json/2/res.users/context_get", NULL);
  g_autofree char *jsonrpc_url = g_strconcat (url, "/jsonrpc", NULL);
  g_autofree char *n8n_url = g_strconcat (json_object_get_string_member (n8n, "url"),
                                          "/api/v1/workflows?limit=1", NULL);
  g_autoptr(SoupMessage) n8n_msg = NULL;
  g_autoptr(GBytes) n8n_answer = NULL;
  g_autoptr(JsonNode) n8n_root = NULL;
  g_autoptr(GError) error = NULL;
  guint with_key = 0;

  g_assert_cmpstr (database, ==, expected_database);
  g_assert_cmpstr (json_object_get_string_member (credentials, "url"), ==, url);
  g_assert_cmpuint (json_array_get_length (users), >=, 4);
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);
      const char *login = json_object_get_string_member (user, "login");
      gint64 uid = json_object_get_int_member (user, "uid");
      g_autofree char *auth_body = NULL;
      g_autoptr(JsonNode) signed_in = NULL;
      guint status;

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (user, "groups")), >,
                        0);
      /* A password sign-in over JSON-RPC answers the printed uid. */
      auth_body = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"id\":1,\"params\":"
                                   "{\"service\":\"common\",\"method\":\"authenticate\","
                                   "\"args\":[\"%s\",\"%s\",\"%s\",{}]}}", database, login,
                                   json_object_get_string_member (user, "password"));
      signed_in = post_json (session, jsonrpc_url, auth_body, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (signed_in), "result"), ==,
                       uid);

      /* A JSON-2 call with the printed API key is that user's. */
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (user, "api_key")))
        {
          g_autofree char *bearer = g_strdup_printf ("bearer %s",
                                                     json_object_get_string_member (user,
                                                                                    "api_key"));
          const char *headers[] = { "Authorization", bearer, "X-Odoo-Database", database, NULL };
          g_autoptr(JsonNode) context = post_json (session, json2_url, "{}", headers, &status);

          g_assert_cmpuint (status, ==, 200);
          g_assert_cmpint (json_object_get_int_member (json_node_get_object (context), "uid"), ==,
                           uid);
          with_key++;
        }
    }
  g_assert_cmpuint (with_key, >=, 3);

  n8n_msg = soup_message_new ("GET", n8n_url);
  soup_message_headers_replace (soup_message_get_request_headers (n8n_msg), "X-N8N-API-KEY",
                                json_object_get_string_member (n8n, "api_key"));
  n8n_answer = soup_session_send_and_read (session, n8n_msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (n8n_msg), ==, 200);
  n8n_root = json_from_string (g_bytes_get_data (n8n_answer, NULL), NULL);
  g_assert_nonnull (n8n_root);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (n8n_root),
                                                                          "data")), ==, 1);
}

static void
test_generated (void)
{
  const char *args[] = { "--port", "0", "--print-credentials", "--cases", "100", NULL };
  g_autoptr(JsonObject) credentials = NULL;
  g_autofree char *port = NULL;
  GSubprocess *proc;

  if (g_getenv ("CT_BUILD_ROOT") == NULL)
    {
      g_test_skip ("CT_BUILD_ROOT is not set");
      return;
    }
  proc = start_sim (args, &port, &credentials);
  g_assert_null (port);  /* alone: JSON only */
  connect_as_printed (credentials, "distribution");
  stop_sim (proc);
}

static void
test_recorded (void)
{
  const char *args[] = { "--port", "0", "--print-port", "--print-credentials", "--dataset", "recorded",
                         NULL };
  g_autoptr(JsonObject) credentials = NULL;
  g_autofree char *port = NULL;
  g_autofree char *suffix = NULL;
  GSubprocess *proc;

  if (g_getenv ("CT_BUILD_ROOT") == NULL)
    {
      g_test_skip ("CT_BUILD_ROOT is not set");
      return;
    }
  proc = start_sim (args, &port, &credentials);
  g_assert_nonnull (port);  /* the port line comes first */
  suffix = g_strdup_printf (":%s", port);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (credentials, "url"), suffix));
  connect_as_printed (credentials, "ct");
  stop_sim (proc);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ct/sim/credentials/generated", test_generated);
  g_test_add_func ("/ct/sim/credentials/recorded", test_recorded);
  return g_test_run ();
}
