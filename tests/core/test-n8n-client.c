/* test-n8n-client.c - The n8n client against the recorded n8n 1.123 answers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-n8n-client"

#include "config.h"

#include "../ct-test-protocol.h"

#include <string.h>

#include "ct-connection.h"
#include "ct-n8n-client.h"
#include "test-odoo-client-server.h"
#include "test-wait.h"

typedef struct
{
  TestServer  *server;
  CtN8nClient *client;
} Fixture;

/* Everything logged while the suite runs, to look for the key at the end. */
static GString *captured_log;
static char *replay_key;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      {
        gssize length = fields[i].length;

        if (length < 0)
          length = strlen (fields[i].value);
        g_string_append_len (captured_log, fields[i].value, length);
        g_string_append_c (captured_log, '\n');
      }
  if (level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

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
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  fx->server = test_server_start (NULL);
  url = test_server_dup_url (fx->server);
  if (replay_key == NULL)
    replay_key = g_strdup (test_server_get_n8n_api_key (fx->server));
  fx->client = ct_n8n_client_new (url, data ? data : test_server_get_n8n_api_key (fx->server),
                                  FALSE, &error);
  g_assert_no_error (error);
  ct_http_set_retry_backoff (ct_n8n_client_get_http (fx->client), 10);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->client);
  test_server_free (fx->server);
}

static GPtrArray *
list_sync (Fixture                   *fx,
           const CtN8nExecutionQuery *query,
           GError                   **error)
{
  GAsyncResult *result = NULL;
  GPtrArray *items;

  ct_n8n_client_list_executions_async (fx->client, query, NULL, on_done, &result);
  items = ct_n8n_client_list_executions_finish (fx->client, wait_result (&result), error);
  g_object_unref (result);
  return items;
}

static CtN8nExecution *
get_sync (Fixture     *fx,
          const char  *id,
          gboolean     include_data,
          GError     **error)
{
  GAsyncResult *result = NULL;
  CtN8nExecution *execution;

  ct_n8n_client_get_execution_async (fx->client, id, include_data, NULL, on_done, &result);
  execution = ct_n8n_client_get_execution_finish (fx->client, wait_result (&result), error);
  g_object_unref (result);
  return execution;
}

static CtN8nExecution *
retry_sync (Fixture     *fx,
            const char  *id,
            GError     **error)
{
  GAsyncResult *result = NULL;
  CtN8nExecution *execution;

  ct_n8n_client_retry_async (fx->client, id, FALSE, NULL, on_done, &result);
  execution = ct_n8n_client_retry_finish (fx->client, wait_result (&result), error);
  g_object_unref (result);
  return execution;
}

static void
test_list_default (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = list_sync (fx, NULL, &error);
  CtN8nExecution *first;

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, >, 5);
  first = items->pdata[0];
  g_assert_cmpstr (first->id, ==, "20");
  g_assert_cmpstr (first->status, ==, "error");
  g_assert_cmpstr (first->workflow_id, ==, "vcUwUIbYyIHF0HX1");
  g_assert_nonnull (first->started_at);
  g_assert_null (first->wait_till);
  g_assert_null (first->retry_of);
  g_assert_null (first->error_message);  /* no data asked for */
}

static void
test_list_filters_on_every_page (Fixture       *fx,
                                 gconstpointer  data)
{
  CtN8nExecutionQuery query = { .status = "error", .limit = 4, .max_items = 8 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  items = list_sync (fx, &query, &error);
  /* the replay only knows page 2 with status=error sent again; without it
   * n8n 1.123 returns every status (and the replay a 400) */
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 8);
  for (guint i = 0; i < items->len; i++)
    g_assert_cmpstr (((CtN8nExecution *) items->pdata[i])->status, ==, "error");
  g_assert_cmpuint (test_server_count_requests (fx->server, "/api/v1/executions"), ==, 2);
}

static void
test_list_bad_filter (Fixture       *fx,
                      gconstpointer  data)
{
  CtN8nExecutionQuery query = { .status = "bogus" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = list_sync (fx, &query, &error);

  g_assert_null (items);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (ct_odoo_error_get_details (error)->server_message, "allowed values"));
}

static void
test_get_failed_code_node (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nExecution) execution = get_sync (fx, "5", TRUE, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (execution->id, ==, "5");
  g_assert_cmpstr (execution->status, ==, "error");
  g_assert_cmpstr (execution->error_message, ==, "credit bureau timeout [line 2]");
  g_assert_cmpstr (execution->error_node, ==, "Call credit bureau");
  g_assert_nonnull (execution->error_stack);
}

static void
test_get_failed_http_node (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nExecution) execution = get_sync (fx, "20", TRUE, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (execution->error_message, ==,
                   "The resource you are requesting could not be found");
  g_assert_cmpstr (execution->error_node, ==, "Push to warehouse API");
}

static void
test_get_without_data (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nExecution) execution = get_sync (fx, "5", FALSE, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (execution->status, ==, "error");
  g_assert_null (execution->error_message);
}

static void
test_get_missing (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nExecution) execution = get_sync (fx, "999999", FALSE, &error);

  g_assert_null (execution);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND);
}

static void
test_retry (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nExecution) execution = retry_sync (fx, "5", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (execution->id, ==, "21");
  g_assert_cmpstr (execution->mode, ==, "retry");
  /* retryOf comes as a number */
  g_assert_cmpstr (execution->retry_of, ==, "5");
  g_assert_cmpstr (execution->status, ==, "error");
}

static void
test_retry_refused (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CtN8nExecution *execution;

  /* 400: shown to the user in n8n's words */
  execution = retry_sync (fx, "11", &error);
  g_assert_null (execution);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_USER);
  g_assert_cmpstr (error->message, ==, "The execution succeeded, so it cannot be retried.");
  g_clear_error (&error);

  /* 404 for the execution */
  execution = retry_sync (fx, "999999", &error);
  g_assert_null (execution);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a server without the route: not supported */
  if (test_server_is_replay (fx->server))
    {
      test_server_answer_with (fx->server, "n8n:POST /api/v1/executions/5/retry",
                               "142-api-unknown-route.txt");
      execution = retry_sync (fx, "5", &error);
      g_assert_null (execution);
      g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);
      test_server_answer_with (fx->server, "n8n:POST /api/v1/executions/5/retry",
                               "143-api-v2-route.txt");
      execution = retry_sync (fx, "5", &error);
      g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);
    }
}

typedef struct
{
  Fixture  *fx;
  GPtrArray *order;
} RaceState;

static void
on_retry_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  RaceState *state = user_data;
  g_autoptr(CtN8nExecution) execution = ct_n8n_client_retry_finish (CT_N8N_CLIENT (source), result,
                                                                    NULL);

  g_assert_nonnull (execution);
  g_ptr_array_add (state->order, (gpointer) "retry");
}

static void
on_list_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RaceState *state = user_data;
  g_autoptr(GPtrArray) items = ct_n8n_client_list_executions_finish (CT_N8N_CLIENT (source), result,
                                                                     NULL);

  g_assert_nonnull (items);
  g_ptr_array_add (state->order, (gpointer) "list");
}

static void
test_retry_does_not_block (Fixture       *fx,
                           gconstpointer  data)
{
  RaceState state = { fx, g_ptr_array_new () };
  CtN8nExecutionQuery query = { .status = "error" };

  /* the retry answers when its run finishes (here after 800 ms); lists
   * started meanwhile come back first */
  test_server_set_faults (fx->server, "latency@/api/v1/executions/5/retry:800*1");
  ct_n8n_client_retry_async (fx->client, "5", FALSE, NULL, on_retry_done, &state);
  for (guint i = 0; i < 3; i++)
    ct_n8n_client_list_executions_async (fx->client, &query, NULL, on_list_done, &state);
  WAIT_UNTIL (state.order->len >= 4);
  g_assert_cmpstr (state.order->pdata[0], ==, "list");
  g_assert_cmpstr (state.order->pdata[2], ==, "list");
  g_assert_cmpstr (state.order->pdata[3], ==, "retry");
  g_ptr_array_unref (state.order);
}


static void
test_retries_reads_only (Fixture       *fx,
                         gconstpointer  data)
{
  CtN8nExecutionQuery query = { .status = "error" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(CtN8nExecution) execution = NULL;

  /* a list: two 503s, then the answer */
  test_server_set_faults (fx->server, "http503@/api/v1/executions*2");
  test_server_reset_counts (fx->server);
  items = list_sync (fx, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (test_server_count_requests (fx->server, "/api/v1/executions"), ==, 3);

  /* a retry starts a run: one 503 is reported, never sent twice */
  test_server_set_faults (fx->server, "http503@/api/v1/executions*1");
  test_server_reset_counts (fx->server);
  execution = retry_sync (fx, "5", &error);
  g_assert_null (execution);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_SERVER);
  g_assert_cmpuint (test_server_count_requests (fx->server, "/api/v1/executions"), ==, 1);
  test_server_set_faults (fx->server, NULL);
}

static void
test_bad_key (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = list_sync (fx, NULL, &error);

  g_assert_null (items);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_AUTH);
  g_assert_null (strstr (error->message, "not-the-key"));
}

static void
test_workflows (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  g_autoptr(GPtrArray) workflows = NULL;
  gboolean found = FALSE;

  ct_n8n_client_list_workflows_async (fx->client, FALSE, NULL, on_done, &result);
  workflows = ct_n8n_client_list_workflows_finish (fx->client, wait_result (&result), &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_cmpuint (workflows->len, >, 3);
  for (guint i = 0; i < workflows->len; i++)
    {
      CtN8nWorkflow *workflow = workflows->pdata[i];

      g_assert_nonnull (workflow->id);
      g_assert_nonnull (workflow->name);
      if (g_str_equal (workflow->name, "Order sync (succeeds)"))
        {
          found = TRUE;
          g_assert_true (workflow->active);
        }
    }
  g_assert_true (found);
}

static void
test_insecure_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nClient) client = ct_n8n_client_new ("http://n8n.example.com", "k", FALSE, &error);

  g_assert_null (client);
  g_assert_error (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INSECURE);
}

/* Every n8n transcript decodes: successes to values the parsers accept,
 * failures to the code their status calls for. */
static void
test_decode_every_transcript (void)
{
  const char *dir_env = g_getenv ("CT_PROTOCOL_DIR");
  g_autofree char *dir_path = g_build_filename (dir_env ? dir_env : PROTOCOL_DIR, "n8n-1.123",
                                                NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0, executions = 0, pages = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(TestTranscript) t = test_transcript_load (name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      gsize length;
      const char *bytes;

      if (t == NULL || t->status == 0 || t->request_line == NULL ||
          strstr (t->request_line, " /api/") == NULL)
        continue;
      bytes = g_bytes_get_data (t->body, &length);
      n++;
      if (!ct_n8n_decode_response (bytes, length, t->status, t->content_type, &node, &error))
        {
          g_assert_cmpuint (t->status, >=, 400);
          if (t->status == 401)
            g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_AUTH);
          else if (t->status == 404)
            g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND);
          else if (t->status == 400)
            g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL);
          continue;
        }
      g_assert_cmpuint (t->status, <, 300);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (object != NULL && json_object_has_member (object, "data") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "data")))
        {
          g_autoptr(GPtrArray) items = NULL;
          g_autofree char *cursor = NULL;

          if (strstr (t->request_line, "/workflows"))
            items = ct_n8n_workflows_from_page (node, &cursor, &error);
          else
            items = ct_n8n_executions_from_page (node, &cursor, &error);
          g_assert_no_error (error);
          g_assert_nonnull (items);
          pages++;
        }
      else if (strstr (t->request_line, "/executions/") && JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autoptr(CtN8nExecution) execution = ct_n8n_execution_from_json (node, &error);

          g_assert_no_error (error);
          g_assert_nonnull (execution->id);
          if (g_strcmp0 (execution->status, "error") == 0 &&
              strstr (t->request_line, "includeData=true"))
            {
              g_assert_nonnull (execution->error_message);
              g_assert_nonnull (execution->error_node);
            }
          executions++;
        }
    }
  g_assert_cmpuint (n, >, 60);
  g_assert_cmpuint (pages, >, 15);
  g_assert_cmpuint (executions, >, 10);
}

static void
test_no_key_in_log (void)
{
  g_assert_nonnull (strstr (captured_log->str, "executions.list"));
  g_assert_nonnull (strstr (captured_log->str, "X-N8N-API-KEY=[redacted]"));
  g_assert_nonnull (replay_key);
  g_assert_null (strstr (captured_log->str, replay_key));
  g_assert_null (strstr (captured_log->str, "not-the-key"));
}

/* A request sent from a thread-default context of its own (a worker
 * thread's) answers there: its idles and its timers live in that context,
 * and the global one, which nobody iterates here, plays no part. */
static void
test_own_context (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autofree char *url = test_server_dup_url (fx->server);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  CtN8nClient *client;

  g_main_context_push_thread_default (context);
  client = ct_n8n_client_new (url, test_server_get_n8n_api_key (fx->server), FALSE, &error);
  g_assert_no_error (error);
  ct_n8n_client_list_executions_async (client, NULL, NULL, on_done, &result);
  /* only @context is iterated here */
  WAIT_UNTIL (result != NULL);
  items = ct_n8n_client_list_executions_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, >, 0);
  g_object_unref (result);
  g_assert_finalize_object (client);
  g_main_context_pop_thread_default (context);
}

int
main (int argc, char **argv)
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  ct_test_require_protocol_dir ();

#define ADD(path, data, func) \
  g_test_add ("/ct/core/n8n-client/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("list/default", NULL, test_list_default);
  ADD ("list/filters-on-every-page", NULL, test_list_filters_on_every_page);
  ADD ("list/bad-filter", NULL, test_list_bad_filter);
  ADD ("get/failed-code-node", NULL, test_get_failed_code_node);
  ADD ("get/failed-http-node", NULL, test_get_failed_http_node);
  ADD ("get/without-data", NULL, test_get_without_data);
  ADD ("get/missing", NULL, test_get_missing);
  ADD ("retry/new-execution", NULL, test_retry);
  ADD ("retry/refused", NULL, test_retry_refused);
  ADD ("retry/does-not-block", NULL, test_retry_does_not_block);
  ADD ("retry/reads-only", NULL, test_retries_reads_only);
  ADD ("auth/bad-key", "not-the-key", test_bad_key);
  ADD ("workflows/list", NULL, test_workflows);
  ADD ("http/own-context", NULL, test_own_context);
  g_test_add_func ("/ct/core/n8n-client/common/insecure-refused", test_insecure_refused);
  g_test_add_func ("/ct/core/n8n-client/common/decode-every-transcript",
                   test_decode_every_transcript);
  g_test_add_func ("/ct/core/n8n-client/secrets/no-key-in-log", test_no_key_in_log);
#undef ADD
  return g_test_run ();
}
