/* test-hostile.c - No answer a server can send crashes or hangs control-tower --report
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small HTTP server of our own (a raw GThreadedSocketService, because
 * SoupServer cannot produce malformed HTTP) sits between the real
 * control-tower binary and ct-sim. It forwards every request to the
 * simulator and, for the one path a test names, answers like a broken or
 * hostile Odoo or n8n would: nesting 10^5 deep, a 2 GB Content-Length with
 * a short body, an endless chunked body, one byte per second, NaN, BOM,
 * duplicated keys, numbers beyond 2^63, 1 MB strings, markup, wrong types,
 * redirects, a 401 in the middle of a sync, HTTP/1.0 without a length.
 * Each must end in a clear error or a counted skip: no crash, no hang, no
 * secret in any output, no false zero.
 */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ct-sim-server.h"

/* How long one run of control-tower may take before it counts as a hang. */
#define RUN_DEADLINE_S 60

typedef enum
{
  ACT_PASS,       /* forward as is */
  ACT_BODY,       /* 200 with @payload as the JSON body */
  ACT_RAW,        /* @payload is the whole HTTP answer, then close */
  ACT_CHUNKED,    /* an endless chunked body */
  ACT_DRIP,       /* forward, but one byte per second */
  ACT_MUTATE,     /* forward, with every record passed through @mutate */
  ACT_STATUS,     /* @status with an empty JSON body */
  ACT_REDIRECT,   /* 302 to @location */
  ACT_TEXT,       /* forward, with @edit applied to the body's text */
  ACT_HTTP10,     /* forward, as HTTP/1.0 without Content-Length */
} Action;

typedef void (*Mutator) (JsonObject *record, guint index, gpointer data);
typedef char *(*TextEdit) (const char *body);

typedef struct
{
  GThreadedSocketService *service;
  guint16                 port;
  char                   *upstream;
  GMutex                  lock;
  /* The fault, under @lock. */
  char                   *match;
  Action                  action;
  GBytes                 *payload;
  Mutator                 mutate;
  gpointer                mutate_data;
  TextEdit                edit;
  guint                   status;
  char                   *location;
  guint                   skip;      /* let this many matching requests through first */
  guint                   hits;      /* matching requests seen */
  GString                *log;       /* every request line, for the test log */
  guint                   keys_to_other_host;  /* requests that carried a key elsewhere */
  guint                   mutated;   /* records passed through the mutator */
} Hostile;

static void
hostile_set (Hostile    *h,
             const char *match,
             Action      action)
{
  g_mutex_lock (&h->lock);
  g_free (h->match);
  h->match = g_strdup (match);
  h->action = action;
  g_clear_pointer (&h->payload, g_bytes_unref);
  g_clear_pointer (&h->location, g_free);
  h->mutate = NULL;
  h->mutate_data = NULL;
  h->edit = NULL;
  h->status = 0;
  h->skip = 0;
  h->hits = 0;
  h->keys_to_other_host = 0;
  h->mutated = 0;
  g_string_truncate (h->log, 0);
  g_mutex_unlock (&h->lock);
}

static gboolean
write_all (GOutputStream *out,
           const void    *data,
           gsize          size)
{
  return g_output_stream_write_all (out, data, size, NULL, NULL, NULL);
}

static gboolean
write_head (GOutputStream *out,
            guint          status,
            const char    *content_type,
            gssize         length)
{
  g_autoptr(GString) head = g_string_new (NULL);

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status,
                          soup_status_get_phrase (status));
  if (content_type != NULL)
    g_string_append_printf (head, "Content-Type: %s\r\n", content_type);
  if (length >= 0)
    g_string_append_printf (head, "Content-Length: %" G_GSSIZE_FORMAT "\r\n", length);
  g_string_append (head, "Connection: close\r\n\r\n");
  return write_all (out, head->str, head->len);
}

/* Forwards one request to ct-sim, blocking (we run in a worker thread). */
static GBytes *
forward (Hostile      *h,
         const char   *method,
         const char   *path,
         GPtrArray    *headers,
         GBytes       *body,
         guint        *status,
         char        **content_type)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (h->upstream, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *request_headers = soup_message_get_request_headers (msg);
  g_autoptr(GError) error = NULL;
  GBytes *answer;

  for (guint i = 0; i + 1 < headers->len; i += 2)
    {
      const char *name = headers->pdata[i];

      if (g_ascii_strcasecmp (name, "Host") == 0 ||
          g_ascii_strcasecmp (name, "Content-Length") == 0 ||
          g_ascii_strcasecmp (name, "Connection") == 0 ||
          g_ascii_strcasecmp (name, "Accept-Encoding") == 0)
        continue;
      soup_message_headers_append (request_headers, name, headers->pdata[i + 1]);
    }
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (msg, NULL, body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  *content_type = g_strdup (soup_message_headers_get_content_type (
                              soup_message_get_response_headers (msg), NULL));
  return answer;
}

static GBytes *
mutate_records (Hostile *h,
                GBytes  *body,
                Mutator  mutate,
                gpointer data)
{
  g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (body, NULL), NULL);
  JsonArray *records = NULL;
  g_autofree char *text = NULL;

  if (root == NULL)
    return g_bytes_ref (body);
  if (JSON_NODE_HOLDS_ARRAY (root))
    records = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *page = json_object_get_member (json_node_get_object (root), "data");

      if (page != NULL && JSON_NODE_HOLDS_ARRAY (page))
        records = json_node_get_array (page);
      else
        {
          /* One record (an n8n execution): the object itself. */
          mutate (json_node_get_object (root), 0, data);
          g_atomic_int_inc (&h->mutated);
        }
    }
  for (guint i = 0; records != NULL && i < json_array_get_length (records); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (records, i)))
      {
        mutate (json_array_get_object_element (records, i), i, data);
        g_atomic_int_inc (&h->mutated);
      }
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (g_steal_pointer (&text), strlen (text));
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source,
        gpointer                user_data)
{
  Hostile *h = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (in);
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;
  g_auto(GStrv) request = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  gsize length = 0;
  guint status = 0;
  Action action = ACT_PASS;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *location = NULL;
  Mutator mutate = NULL;
  gpointer mutate_data = NULL;
  TextEdit edit = NULL;
  guint fault_status = 0;

  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  line = g_data_input_stream_read_line (data, NULL, NULL, NULL);
  if (line == NULL)
    return TRUE;
  request = g_strsplit (line, " ", 3);
  if (g_strv_length (request) < 2)
    return TRUE;
  for (;;)
    {
      g_autofree char *header = g_data_input_stream_read_line (data, NULL, NULL, NULL);
      char *colon;

      if (header == NULL || *header == '\0')
        break;
      colon = strchr (header, ':');
      if (colon == NULL)
        continue;
      *colon = '\0';
      if (g_ascii_strcasecmp (header, "Content-Length") == 0)
        length = g_ascii_strtoull (colon + 1, NULL, 10);
      g_ptr_array_add (headers, g_strdup (header));
      g_ptr_array_add (headers, g_strdup (g_strstrip (colon + 1)));
    }
  {
    g_autofree char *buf = g_malloc (length + 1);
    gsize got = 0;

    if (!g_input_stream_read_all (G_INPUT_STREAM (data), buf, length, &got, NULL, NULL))
      return TRUE;
    buf[got] = '\0';
    body = g_bytes_new (buf, got);
  }

  g_mutex_lock (&h->lock);
  {
    const char *host = NULL, *auth = NULL, *n8n_key = NULL;

    for (guint i = 0; i + 1 < headers->len; i += 2)
      {
        if (g_ascii_strcasecmp (headers->pdata[i], "Host") == 0)
          host = headers->pdata[i + 1];
        else if (g_ascii_strcasecmp (headers->pdata[i], "Authorization") == 0)
          auth = headers->pdata[i + 1];
        else if (g_ascii_strcasecmp (headers->pdata[i], "X-N8N-API-KEY") == 0)
          n8n_key = headers->pdata[i + 1];
      }
    /* Which host the client believed it spoke to, and whether it sent a
     * key there (never the key itself). */
    g_string_append_printf (h->log, "%s %s (Host: %s%s%s)\n", request[0], request[1], host,
                            auth != NULL ? ", with Authorization" : "",
                            n8n_key != NULL ? ", with X-N8N-API-KEY" : "");
    if (host != NULL && !g_str_has_prefix (host, "127.0.0.1") && (auth != NULL || n8n_key != NULL))
      h->keys_to_other_host++;
  }
  if (h->match != NULL && strstr (request[1], h->match) != NULL && h->hits++ >= h->skip)
    {
      action = h->action;
      payload = h->payload ? g_bytes_ref (h->payload) : NULL;
      location = g_strdup (h->location);
      mutate = h->mutate;
      mutate_data = h->mutate_data;
      edit = h->edit;
      fault_status = h->status;
    }
  g_mutex_unlock (&h->lock);

  switch (action)
    {
    case ACT_BODY:
      write_head (out, 200, "application/json", g_bytes_get_size (payload));
      write_all (out, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
      break;
    case ACT_RAW:
      write_all (out, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
      break;
    case ACT_STATUS:
      write_head (out, fault_status, "application/json", 2);
      write_all (out, "{}", 2);
      break;
    case ACT_REDIRECT:
      {
        g_autofree char *head = g_strdup_printf ("HTTP/1.1 302 Found\r\nLocation: %s\r\n"
                                                 "Content-Length: 0\r\nConnection: close\r\n\r\n",
                                                 location);

        write_all (out, head, strlen (head));
      }
      break;
    case ACT_CHUNKED:
      {
        static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                   "Transfer-Encoding: chunked\r\n\r\n";
        char chunk[4096 + 16];
        gsize n;

        if (!write_all (out, head, sizeof head - 1) || !write_all (out, "1\r\n[\r\n", 6))
          break;
        n = g_snprintf (chunk, 16, "%x\r\n", 4096);
        for (gsize i = 0; i < 4096; i += 2)
          memcpy (chunk + n + i, "1,", 2);
        memcpy (chunk + n + 4096, "\r\n", 2);
        /* Endless for the client: it must hang up; 1 GB is our own backstop. */
        for (guint i = 0; i < 256 * 1024; i++)
          if (!write_all (out, chunk, n + 4096 + 2))
            break;
      }
      break;
    case ACT_DRIP:
      answer = forward (h, request[0], request[1], headers, body, &status, &content_type);
      if (write_head (out, status, content_type, g_bytes_get_size (answer)))
        {
          const char *p = g_bytes_get_data (answer, NULL);

          /* One byte per second, until the client hangs up (60 s backstop). */
          for (gsize i = 0; i < g_bytes_get_size (answer) && i < 60; i++)
            {
              if (!write_all (out, p + i, 1) || !g_output_stream_flush (out, NULL, NULL))
                break;
              g_usleep (G_USEC_PER_SEC);
            }
        }
      break;
    case ACT_HTTP10:
      {
        g_autofree char *head = NULL;

        answer = forward (h, request[0], request[1], headers, body, &status, &content_type);
        head = g_strdup_printf ("HTTP/1.0 %u %s\r\nContent-Type: %s\r\n\r\n", status,
                                soup_status_get_phrase (status), content_type);
        write_all (out, head, strlen (head));
        write_all (out, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
      }
      break;
    case ACT_MUTATE:
    case ACT_TEXT:
    case ACT_PASS:
    default:
      answer = forward (h, request[0], request[1], headers, body, &status, &content_type);
      if (action == ACT_MUTATE && status == 200)
        {
          GBytes *mutated = mutate_records (h, answer, mutate, mutate_data);

          g_bytes_unref (answer);
          answer = mutated;
        }
      else if (action == ACT_TEXT && status == 200)
        {
          char *text = edit (g_bytes_get_data (answer, NULL));

          g_bytes_unref (answer);
          answer = g_bytes_new_take (text, strlen (text));
        }
      write_head (out, status, content_type, g_bytes_get_size (answer));
      write_all (out, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
      break;
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

typedef struct
{
  CtSimServer *sim;
  Hostile      hostile;
  char        *url;          /* the hostile server's */
  char        *config_dir;   /* XDG_CONFIG_HOME of the runs: GSettings keyfile */
  char        *odoo_key;
  char        *n8n_key;
} Fixture;

/* Writes control-tower's settings: call and connect timeouts of
 * @timeout_s (multiplied under a checker, CT_HOSTILE_WRAPPER, where every
 * call is far slower), and @extra keyfile lines. */
static void
write_settings (Fixture    *f,
                guint       timeout_s,
                const char *extra)
{
  g_autofree char *dir = g_build_filename (f->config_dir, "glib-2.0", "settings", NULL);
  g_autofree char *path = g_build_filename (dir, "keyfile", NULL);
  guint checked = g_getenv ("CT_HOSTILE_WRAPPER") != NULL ? 10 : 1;
  g_autofree char *text = g_strdup_printf ("[com/sysgenpro/ControlTower]\n"
                                           "call-timeout=uint32 %u\n"
                                           "connect-timeout=uint32 %u\n%s",
                                           timeout_s * checked, timeout_s * checked,
                                           extra != NULL ? extra : "");

  g_assert_no_errno (g_mkdir_with_parents (dir, 0700));
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  CtSimOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *upstream = NULL;

  options.dataset = "recorded";
  options.seed = 1;
  options.n_cases = 10;
  f->sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  if (!ct_sim_server_start (f->sim, &error))
    g_error ("ct-sim did not start: %s", error->message);
  upstream = ct_sim_server_dup_url (f->sim);
  /* No trailing slash: paths are appended as they came. */
  if (g_str_has_suffix (upstream, "/"))
    upstream[strlen (upstream) - 1] = '\0';
  f->hostile.upstream = g_steal_pointer (&upstream);
  g_mutex_init (&f->hostile.lock);
  f->hostile.log = g_string_new (NULL);
  /* No thread limit: the sources now fetch at once, and GLib 2.74's
   * threaded service crashes (SIGSEGV in the main context) when it pauses
   * and resumes accepting at the limit. */
  f->hostile.service = G_THREADED_SOCKET_SERVICE (g_threaded_socket_service_new (-1));
  f->hostile.port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (f->hostile.service),
                                                          NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (f->hostile.service, "run", G_CALLBACK (on_run), &f->hostile);
  g_socket_service_start (G_SOCKET_SERVICE (f->hostile.service));
  f->url = g_strdup_printf ("http://127.0.0.1:%u/", f->hostile.port);
  f->odoo_key = g_strdup (ct_sim_server_get_api_key (f->sim, "admin"));
  f->n8n_key = g_strdup (ct_sim_server_get_n8n_api_key (f->sim));
  f->config_dir = g_dir_make_tmp ("ct-hostile-XXXXXX", &error);
  g_assert_no_error (error);
  /* Generous: a sanitizer build on a busy machine is slow, and only the
   * slow-server cases are about timeouts. */
  write_settings (f, 20, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autofree char *settings = g_build_filename (f->config_dir, "glib-2.0", "settings",
                                                "keyfile", NULL);
  g_autofree char *settings_dir = g_path_get_dirname (settings);
  g_autofree char *glib_dir = g_path_get_dirname (settings_dir);

  g_socket_service_stop (G_SOCKET_SERVICE (f->hostile.service));
  g_socket_listener_close (G_SOCKET_LISTENER (f->hostile.service));
  /* The worker threads hold no reference we need; they end with their
   * connections, which the runs have closed. */
  g_clear_object (&f->hostile.service);
  hostile_set (&f->hostile, NULL, ACT_PASS);
  g_string_free (f->hostile.log, TRUE);
  g_mutex_clear (&f->hostile.lock);
  g_free (f->hostile.upstream);
  ct_sim_server_stop (f->sim);
  g_clear_object (&f->sim);
  g_remove (settings);
  g_rmdir (settings_dir);
  g_rmdir (glib_dir);
  g_rmdir (f->config_dir);
  g_free (f->config_dir);
  g_free (f->url);
  g_free (f->odoo_key);
  g_free (f->n8n_key);
}

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                                       &run->out, &run->err, &error));
  g_assert_no_error (error);
  run->status = 0;
}

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs control-tower --report through the hostile server, with a deadline:
 * a run that has not ended after RUN_DEADLINE_S is killed and fails the
 * test as a hang. */
static void
run_report (Fixture    *f,
            Run        *run,
            const char *format,
            gboolean    with_n8n)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = g_build_filename (g_getenv ("CT_BUILD_ROOT"), "src", "control-tower",
                                              NULL);
  g_autofree char *format_arg = g_strconcat ("--format=", format, NULL);
  const char *argv[] = {
    binary, "--report=pending", format_arg, "--stats", "--server", f->url, "--database", "ct",
    "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY",
    with_n8n ? "--n8n-url" : NULL, f->url, "--n8n-key-env", "CT_TEST_N8N_KEY", NULL
  };
  const char *wrapper = g_getenv ("CT_HOSTILE_WRAPPER");
  guint deadline_s = wrapper != NULL ? 10 * RUN_DEADLINE_S : RUN_DEADLINE_S;
  gboolean late = FALSE;
  guint deadline;

  run->status = -1;
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", f->config_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "CT_TEST_ODOO_KEY", f->odoo_key, TRUE);
  g_subprocess_launcher_setenv (launcher, "CT_TEST_N8N_KEY", f->n8n_key, TRUE);
  /* CT_HOSTILE_WRAPPER="valgrind --error-exitcode=99 ..." runs each
   * control-tower under a checker; its runs are slower, so the deadline
   * grows. */
  if (wrapper != NULL)
    {
      g_auto(GStrv) prefix = NULL;
      g_autoptr(GPtrArray) full = g_ptr_array_new ();

      g_assert_true (g_shell_parse_argv (wrapper, NULL, &prefix, NULL));
      for (guint i = 0; prefix[i] != NULL; i++)
        g_ptr_array_add (full, prefix[i]);
      for (guint i = 0; argv[i] != NULL; i++)
        g_ptr_array_add (full, (gpointer) argv[i]);
      g_ptr_array_add (full, NULL);
      process = g_subprocess_launcher_spawnv (launcher, (const char * const *) full->pdata,
                                              &error);
    }
  else
    process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, run);
  deadline = g_timeout_add_seconds (deadline_s, deadline_cb, &late);
  while (run->out == NULL && !late)
    g_main_context_iteration (NULL, TRUE);
  if (late)
    {
      g_subprocess_force_exit (process);
      g_error ("control-tower hung: no end after %u s", deadline_s);
    }
  g_source_remove (deadline);
  g_assert_true (g_subprocess_wait (process, NULL, NULL));
  /* A crash (SIGSEGV, abort) is never an answer. */
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("requests:\n%s", f->hostile.log->str);
  g_test_message ("exit %d\nstdout (first 2000 bytes):\n%.2000s\nstderr (last 3000 bytes):\n%s",
                  run->status, run->out,
                  run->err + (strlen (run->err) > 3000 ? strlen (run->err) - 3000 : 0));
  g_assert_null (strstr (run->out, f->odoo_key));
  g_assert_null (strstr (run->err, f->odoo_key));
  g_assert_null (strstr (run->out, f->n8n_key));
  g_assert_null (strstr (run->err, f->n8n_key));
}

/* The error lines control-tower printed (without the debug log). */
static char *
error_lines (const char *err)
{
  g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "control-tower: "))
      g_string_append_printf (out, "%s\n", lines[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gint64
report_total (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_get_int_member (json_node_get_object (node), "total");
}

/* A report that failed: no result (exit 1), or a partial one (exit 3, the
 * sources that could be read) that says it is incomplete and names the
 * failed sources — never a complete-looking report. */
static void
assert_failed (Run *run)
{
  if (run->status == 3)
    {
      g_autoptr(JsonNode) node = json_from_string (run->out, NULL);
      JsonObject *report;

      g_assert_nonnull (node);
      report = json_node_get_object (node);
      g_assert_false (json_object_get_boolean_member (report, "complete"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report,
                                                                             "failed_sources")),
                        >, 0);
    }
  else
    g_assert_cmpint (run->status, ==, 1);
}

/* What the recorded server holds, read through the hostile server doing
 * nothing: the baseline the faults are measured against. */
#define ORDERS "/json/2/purchase.order/search_read"

/* Runs the report and checks it failed with one of the expected
 * sentences (NULL-terminated): no result (exit 1), or a partial one
 * (exit 3) that says it is incomplete and names the failed sources. */
static void
assert_fails_with_one_of (Fixture           *f,
                          const char *const *expected)
{
  Run run = { 0 };
  g_autofree char *errors = NULL;
  gboolean found = FALSE;

  run_report (f, &run, "json", FALSE);
  errors = error_lines (run.err);
  g_test_message ("errors: %s", errors);
  assert_failed (&run);
  for (guint i = 0; expected[i] != NULL; i++)
    found |= strstr (errors, expected[i]) != NULL;
  g_assert_true (found);
  run_clear (&run);
}

static void
assert_fails_clearly (Fixture    *f,
                      const char *expected)
{
  const char *one[] = { expected, NULL };

  assert_fails_with_one_of (f, one);
}

static void
test_baseline (Fixture       *f,
               gconstpointer  user_data)
{
  Run run = { 0 };

  run_report (f, &run, "json", TRUE);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (report_total (run.out), ==, 12);
  g_assert_nonnull (strstr (f->hostile.log->str, ORDERS));
  run_clear (&run);
}

static void
test_deep_nesting (Fixture       *f,
                   gconstpointer  user_data)
{
  GString *body = g_string_sized_new (200002);

  /* 10^5 deep: json-glib alone overflows its stack on this. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (body, ']');
  hostile_set (&f->hostile, ORDERS, ACT_BODY);
  f->hostile.payload = g_string_free_to_bytes (body);
  assert_fails_clearly (f, "Odoo sent an answer that was not read: "
                        "it is nested deeper than 256 levels");
}

static void
test_huge_content_length (Fixture       *f,
                          gconstpointer  user_data)
{
  static const char raw[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            "Content-Length: 2147483648\r\n\r\n[{\"id\": 1, ";

  hostile_set (&f->hostile, ORDERS, ACT_RAW);
  f->hostile.payload = g_bytes_new_static (raw, sizeof raw - 1);
  assert_fails_clearly (f, "control-tower: ");
}

static void
test_endless_chunked (Fixture       *f,
                      gconstpointer  user_data)
{
  /* Either the size ceiling or the call timeout stops it, whichever comes
   * first on a busy machine. */
  const char *either[] = { "MB; it was not read", "did not answer within", NULL };

  write_settings (f, 3, NULL);
  hostile_set (&f->hostile, ORDERS, ACT_CHUNKED);
  assert_fails_with_one_of (f, either);
}

static void
test_one_byte_per_second (Fixture       *f,
                          gconstpointer  user_data)
{
  gint64 start = g_get_monotonic_time ();

  write_settings (f, 3, NULL);
  hostile_set (&f->hostile, ORDERS, ACT_DRIP);
  /* The call timeout (settings) fires, whatever the retries. */
  assert_fails_clearly (f, "did not answer within");
  if (g_getenv ("CT_HOSTILE_WRAPPER") == NULL)
    g_assert_cmpint ((g_get_monotonic_time () - start) / G_USEC_PER_SEC, <, 45);
}

static void
test_http10_no_length (Fixture       *f,
                       gconstpointer  user_data)
{
  Run run = { 0 };

  /* Legal HTTP/1.0: the body ends when the connection closes. The data
   * is right, so the report is the baseline's. */
  hostile_set (&f->hostile, ORDERS, ACT_HTTP10);
  run_report (f, &run, "json", FALSE);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (report_total (run.out), ==, 12);
  g_assert_cmpuint (f->hostile.hits, >=, 1);
  run_clear (&run);
}

static char *
edit_bom (const char *body)
{
  return g_strconcat ("\xef\xbb\xbf", body, NULL);
}

static char *
edit_duplicate_ids (const char *body)
{
  /* Every record says "id" twice; the last one (the real one) wins. */
  g_autoptr(GRegex) re = g_regex_new ("\\{\"id\":", 0, 0, NULL);

  return g_regex_replace_literal (re, body, -1, 0, "{\"id\":\"duplicate\",\"id\":", 0, NULL);
}

static char *
edit_nan (const char *body)
{
  g_autoptr(GRegex) re = g_regex_new ("\\{\"id\":", 0, 0, NULL);

  return g_regex_replace_literal (re, body, -1, 0, "{\"amount_total\":NaN,\"id\":", 0, NULL);
}

static char *
edit_infinity (const char *body)
{
  g_autoptr(GRegex) re = g_regex_new ("\\{\"id\":", 0, 0, NULL);

  return g_regex_replace_literal (re, body, -1, 0, "{\"amount_total\":-Infinity,\"id\":", 0,
                                  NULL);
}

static char *
edit_huge_number (const char *body)
{
  g_autoptr(GRegex) re = g_regex_new ("\\{\"id\":", 0, 0, NULL);

  return g_regex_replace_literal (re, body, -1, 0, "{\"id\":99999999999999999999,\"id\":", 0,
                                  NULL);
}

static char *
edit_overflow_float (const char *body)
{
  g_autoptr(GRegex) re = g_regex_new ("\\{\"id\":", 0, 0, NULL);

  return g_regex_replace_literal (re, body, -1, 0, "{\"amount_total\":1e999,\"id\":", 0, NULL);
}

static void
run_text_edit (Fixture    *f,
               TextEdit    edit,
               int         expected_status,
               const char *expected)
{
  Run run = { 0 };
  g_autofree char *errors = NULL;

  hostile_set (&f->hostile, ORDERS, ACT_TEXT);
  f->hostile.edit = edit;
  run_report (f, &run, "json", FALSE);
  errors = error_lines (run.err);
  if (expected_status == 0)
    g_assert_cmpint (run.status, ==, 0);
  else
    assert_failed (&run);
  if (expected_status == 0)
    g_assert_cmpint (report_total (run.out), ==, 12);
  else
    g_assert_nonnull (strstr (errors, expected));
  run_clear (&run);
}

static void
test_odd_json (Fixture       *f,
               gconstpointer  user_data)
{
  run_text_edit (f, edit_bom, 0, NULL);
  run_text_edit (f, edit_duplicate_ids, 0, NULL);
  run_text_edit (f, edit_nan, 1, "not valid JSON");
  run_text_edit (f, edit_infinity, 1, "not valid JSON");
  run_text_edit (f, edit_huge_number, 1, "a number too large to read exactly");
  run_text_edit (f, edit_overflow_float, 1, "a number too large to read exactly");
}

static void
redirect_to (Fixture    *f,
             const char *location)
{
  hostile_set (&f->hostile, ORDERS, ACT_REDIRECT);
  f->hostile.location = g_strdup (location);
  assert_fails_clearly (f, "control-tower: ");
  /* Not followed, or followed without the key: no key went to another
   * host, and a loop ended. */
  g_assert_cmpuint (f->hostile.keys_to_other_host, ==, 0);
}

static void
test_redirects (Fixture       *f,
                gconstpointer  user_data)
{
  g_autofree char *other_host = g_strdup_printf ("http://localhost:%u" ORDERS, f->hostile.port);
  g_autofree char *loop = g_strdup_printf ("%s%s", f->url, ORDERS + 1);

  redirect_to (f, other_host);
  redirect_to (f, "file:///etc/passwd");
  redirect_to (f, loop);
}

static void
test_401_mid_sync (Fixture       *f,
                   gconstpointer  user_data)
{
  Run run = { 0 };
  g_autofree char *errors = NULL;

  /* The connection check and the first sources pass; then the key is
   * refused. */
  hostile_set (&f->hostile, "/json/2/", ACT_STATUS);
  f->hostile.status = 401;
  f->hostile.skip = 6;
  run_report (f, &run, "json", FALSE);
  errors = error_lines (run.err);
  assert_failed (&run);
  g_assert_nonnull (strstr (errors, "did not accept the login or key"));
  run_clear (&run);
}

/* The profile file is read with the same bound: a hostile one (a single-
 * quoted string hiding a quote, then 10^5 brackets) is refused with its
 * name and place, and the report goes on with the built-in profile. */
static void
test_hostile_profile_file (Fixture       *f,
                           gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (f->config_dir, "profile.json", NULL);
  g_autofree char *setting = g_strdup_printf ("profile-file='%s'\n", path);
  GString *text = g_string_new ("['\"', ");
  Run run = { 0 };
  g_autofree char *errors = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, ']');
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
  write_settings (f, 20, setting);
  run_report (f, &run, "json", FALSE);
  errors = error_lines (run.err);
  g_test_message ("errors: %s", errors);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (errors, "profile.json:1:"));
  g_assert_nonnull (strstr (errors, "nested too deep to be a profile"));
  g_assert_cmpint (report_total (run.out), ==, 12);
  run_clear (&run);
  g_remove (path);
}

/* A value of another type than @node's, as a broken server would send. */
static JsonNode *
wrong_value (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_node_init_string (json_node_alloc (), "[1, \"not a list\"]");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_node_init_int (json_node_alloc (), 5);
  /* json_node_init_array/_object take a reference of their own: hand the
   * new containers over with json_node_take_*. */
  if (JSON_NODE_HOLDS_NULL (node) || json_node_get_value_type (node) == G_TYPE_STRING)
    {
      JsonArray *a = json_array_new ();
      JsonNode *out = json_node_new (JSON_NODE_ARRAY);

      json_array_add_array_element (a, json_array_new ());
      json_node_take_array (out, a);
      return out;
    }
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      JsonNode *out = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (out, json_object_new ());
      return out;
    }
  /* numbers */
  return json_node_init_string (json_node_alloc (), "12,50 EUR");
}

static void
break_every_field (JsonObject *record,
                   guint       index,
                   gpointer    data)
{
  g_autoptr(GList) names = json_object_get_members (record);

  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (record, l->data,
                            wrong_value (json_object_get_member (record, l->data)));
}

static void
break_one_field (JsonObject *record,
                 guint       index,
                 gpointer    data)
{
  g_autoptr(GList) names = json_object_get_members (record);
  const char *name = g_list_nth_data (names, index % g_list_length (names));

  json_object_set_member (record, name, wrong_value (json_object_get_member (record, name)));
}

/* Every row of one answer has every field of a wrong type: the sources
 * reading it fail, saying why, and never report 0 with exit 0. */
static void
test_wrong_types_everywhere (Fixture       *f,
                             gconstpointer  user_data)
{
  /* What each answer's rows feed: a whole source (it fails, saying why),
   * or one record among others (counted). */
  enum { FAILS, COUNTED };
  static const struct { const char *path; int outcome; } answers[] = {
    { ORDERS, FAILS },
    { "/json/2/tier.review/search_read", FAILS },
    { "/json/2/mail.activity/search_read", FAILS },
    { "/json/2/ir.cron/search_read", FAILS },
    { "/api/v1/executions?status=error", FAILS },
    { "/api/v1/workflows", FAILS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      Run run = { 0 };
      g_autofree char *errors = NULL;

      hostile_set (&f->hostile, answers[i].path, ACT_MUTATE);
      f->hostile.mutate = break_every_field;
      run_report (f, &run, "json", TRUE);
      errors = error_lines (run.err);
      g_test_message ("%s: %s", answers[i].path, errors);
      g_assert_cmpuint (f->hostile.hits, >, 0);
      if (f->hostile.mutated == 0)
        {
          /* An empty answer has no field to break. */
          g_assert_cmpint (run.status, ==, 0);
        }
      else if (answers[i].outcome == COUNTED)
        {
          g_assert_cmpint (run.status, ==, 0);
          g_assert_nonnull (strstr (errors, "1 record could not be read: wrong type for"));
          g_assert_nonnull (strstr (run.out, "\"unreadable\""));
        }
      else
        {
          assert_failed (&run);
          g_assert_true (strstr (errors, "records could not be read: wrong type for") != NULL ||
                         strstr (errors, "an answer of an unexpected shape") != NULL);
        }
      run_clear (&run);
    }
}

/* Each order has one field of a wrong type: those whose id, dates or
 * amounts are broken are skipped and counted in all three formats; the
 * others are read. */
static void
test_wrong_types_counted (Fixture       *f,
                          gconstpointer  user_data)
{
  static const char * const formats[] = { "json", "table", "csv" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      Run run = { 0 };
      g_autofree char *errors = NULL;

      hostile_set (&f->hostile, ORDERS, ACT_MUTATE);
      f->hostile.mutate = break_one_field;
      run_report (f, &run, formats[i], FALSE);
      errors = error_lines (run.err);
      g_test_message ("errors: %s", errors);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (errors, "could not be read: wrong type for"));
      if (i == 0)
        {
          g_autoptr(JsonNode) node = json_from_string (run.out, NULL);
          JsonObject *report = json_node_get_object (node);
          JsonArray *unreadable = json_object_get_array_member (report, "unreadable");
          JsonObject *first = json_array_get_object_element (unreadable, 0);
          gint64 total = json_object_get_int_member (report, "total");

          g_assert_cmpint (json_object_get_int_member (first, "count"), >, 0);
          g_assert_nonnull (strstr (json_object_get_string_member (first, "text"),
                                    "could not be read: wrong type for"));
          /* Not a false zero, not the whole: the readable orders are there. */
          g_assert_cmpint (total, >, 0);
          g_assert_cmpint (total, <, 12);
        }
      else
        {
          g_auto(GStrv) lines = g_strsplit (run.out, "\n", -1);
          gboolean found = FALSE;

          for (guint l = 0; lines[l] != NULL; l++)
            if (strstr (lines[l], "could not be read: wrong type for") != NULL)
              found = i == 1 || g_str_has_prefix (lines[l], "# ");
          g_assert_true (found);
        }
      run_clear (&run);
    }
}

static void
hostile_text (JsonObject *record,
              guint       index,
              gpointer    data)
{
  g_autoptr(GList) names = json_object_get_members (record);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (record, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          g_str_has_suffix (l->data, "_date") || g_str_has_prefix (l->data, "date_"))
        continue;
      if (index == 0)
        {
          /* 1 MB of markup in every text field of the first order. */
          GString *big = g_string_sized_new (1 << 20);

          while (big->len < (1 << 20))
            g_string_append (big, "<b>&amp;</b>\x1b[31m");
          json_object_set_string_member (record, l->data, big->str);
          g_string_free (big, TRUE);
        }
      else
        json_object_set_string_member (record, l->data,
                                       "<span foreground=\"red\">P</span><i>&lt;</i>");
    }
}

/* Creates a record in ct-sim as admin (JSON-2, straight to the simulator)
 * and returns its id. */
static gint64
sim_create (Fixture    *f,
            const char *model,
            const char *vals)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = ct_sim_server_dup_url (f->sim);
  g_autofree char *url = g_strdup_printf ("%s%sjson/2/%s/create", base,
                                          g_str_has_suffix (base, "/") ? "" : "/", model);
  g_autofree char *body = g_strdup_printf ("{\"vals_list\": [%s]}", vals);
  g_autofree char *bearer = g_strconcat ("bearer ", f->odoo_key, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", bearer);
  soup_message_headers_append (soup_message_get_request_headers (msg), "X-Odoo-Database", "ct");
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  node = json_from_string (g_bytes_get_data (answer, NULL), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_get_int_element (json_node_get_array (node), 0);
}

static void
empty_res_model (JsonObject *record,
                 guint       index,
                 gpointer    data)
{
  if (json_object_has_member (record, "res_model"))
    json_object_set_boolean_member (record, "res_model", FALSE);
}

/* An approval activity whose res_model comes back empty cannot name its
 * record: it is skipped and counted, and nothing asks ir.model (which Odoo
 * lets administrators alone read) for the model. */
static void
test_activity_without_res_model (Fixture       *f,
                                 gconstpointer  user_data)
{
  g_autofree char *vals = NULL;
  g_autofree char *errors = NULL;
  gint64 type;
  Run run = { 0 };

  type = sim_create (f, "mail.activity.type", "{\"name\": \"Approval\"}");
  vals = g_strdup_printf ("{\"res_model_id\": 592, \"res_id\": 14, \"activity_type_id\": %"
                          G_GINT64_FORMAT ", \"user_id\": 7, \"summary\": \"Approve P00014\"}",
                          type);
  sim_create (f, "mail.activity", vals);

  hostile_set (&f->hostile, "/json/2/mail.activity/search_read", ACT_MUTATE);
  f->hostile.mutate = empty_res_model;
  run_report (f, &run, "json", FALSE);
  errors = error_lines (run.err);
  g_test_message ("errors: %s", errors);
  g_assert_cmpuint (f->hostile.mutated, ==, 1);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (errors, "activity: 1 record could not be read: impossible value for "
                                    "res_model"));
  g_assert_nonnull (strstr (run.out, "\"unreadable\""));
  g_assert_null (strstr (f->hostile.log->str, "/ir.model"));
  run_clear (&run);

  /* Unchanged, the activity is a case of its order. */
  hostile_set (&f->hostile, NULL, ACT_PASS);
  run_report (f, &run, "json", FALSE);
  g_clear_pointer (&errors, g_free);
  errors = error_lines (run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (errors, "could not be read"));
  g_assert_nonnull (strstr (run.out, "mail.activity:"));
  run_clear (&run);
}

static void
test_huge_strings_and_markup (Fixture       *f,
                              gconstpointer  user_data)
{
  Run run = { 0 };

  hostile_set (&f->hostile, ORDERS, ACT_MUTATE);
  f->hostile.mutate = hostile_text;
  run_report (f, &run, "json", FALSE);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (report_total (run.out), ==, 12);
  /* Text stays text: the markup is in the output as the server wrote it. */
  g_assert_nonnull (strstr (run.out, "<span foreground=\\\"red\\\">P</span>"));
  run_clear (&run);

  run_report (f, &run, "table", FALSE);
  g_assert_cmpint (run.status, ==, 0);
  /* No terminal escape gets through to a terminal. */
  g_assert_null (strchr (run.out, '\x1b'));
  run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/ct/core/hostile/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("baseline", test_baseline);
  ADD ("nesting-100000", test_deep_nesting);
  ADD ("content-length-2gb", test_huge_content_length);
  ADD ("endless-chunked", test_endless_chunked);
  ADD ("one-byte-per-second", test_one_byte_per_second);
  ADD ("http10-no-length", test_http10_no_length);
  ADD ("odd-json", test_odd_json);
  ADD ("redirects", test_redirects);
  ADD ("401-mid-sync", test_401_mid_sync);
  ADD ("wrong-types-everywhere", test_wrong_types_everywhere);
  ADD ("wrong-types-counted", test_wrong_types_counted);
  ADD ("huge-strings-and-markup", test_huge_strings_and_markup);
  ADD ("activity-without-res-model", test_activity_without_res_model);
  ADD ("profile-file-nesting", test_hostile_profile_file);
#undef ADD
  return g_test_run ();
}
