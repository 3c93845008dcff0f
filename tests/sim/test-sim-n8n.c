/* test-sim-n8n.c - The n8n side of the simulator, seen by an HTTP client
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sim-n8n"

#include "config.h"

#include <string.h>

#include "test-sim-n8n-harness.h"

static GDateTime *
fixed_now (void)
{
  return g_date_time_new_utc (2026, 11, 26, 9, 30, 0);
}

static const char *
message_of (TestN8nReply *reply)
{
  return json_object_get_string_member_with_default (test_n8n_reply_object (reply), "message",
                                                     NULL);
}

static JsonArray *
data_of (TestN8nReply *reply)
{
  JsonObject *object = test_n8n_reply_object (reply);

  g_assert_true (json_object_has_member (object, "nextCursor"));
  return json_object_get_array_member (object, "data");
}

static void
assert_error (TestN8nServer *server,
              const char    *method,
              const char    *target,
              guint          status,
              const char    *message)
{
  g_autoptr(TestN8nReply) reply = test_n8n_server_fetch (server, method, target,
                                                         ct_sim_n8n_get_api_key (server->n8n),
                                                         NULL, NULL);

  g_test_message ("%s %s", method, target);
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (message_of (reply), ==, message);
  /* n8n's error body is the message and nothing else. */
  g_assert_cmpuint (json_object_get_size (test_n8n_reply_object (reply)), ==, 1);
}

static void
test_auth (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (7, 20, NULL, "generated");
  const char *key = ct_sim_n8n_get_api_key (server->n8n);
  g_autofree char *bearer = g_strdup_printf ("Bearer %s", key);
  const char *bearer_headers[] = { "Authorization", bearer, NULL };
  const char *cookie_headers[] = { "Cookie", "n8n-auth=abc", NULL };
  static const char jwt[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIn0.AAAA";
  const struct
  {
    const char  *key;
    const char **headers;
    const char  *message;
  } cases[] = {
    { NULL, NULL, "'X-N8N-API-KEY' header required" },
    { "", NULL, "'X-N8N-API-KEY' header required" },
    { NULL, bearer_headers, "'X-N8N-API-KEY' header required" },
    { NULL, cookie_headers, "'X-N8N-API-KEY' header required" },
    { "not-a-real-key-123", NULL, "unauthorized" },
    { jwt, NULL, "unauthorized" },
    { ct_sim_n8n_get_expired_api_key (server->n8n), NULL, "unauthorized" },
  };
  g_autoptr(TestN8nReply) good = NULL;

  g_assert_true (g_str_has_prefix (key, "eyJ"));
  g_assert_cmpstr (key, !=, ct_sim_n8n_get_expired_api_key (server->n8n));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TestN8nReply) reply = test_n8n_server_fetch (server, "GET",
                                                             "/api/v1/executions?limit=1",
                                                             cases[i].key, NULL,
                                                             cases[i].headers);
      g_autofree char *text = g_strndup (g_bytes_get_data (reply->body, NULL),
                                         g_bytes_get_size (reply->body));

      g_assert_cmpuint (reply->status, ==, 401);
      g_assert_cmpstr (message_of (reply), ==, cases[i].message);
      /* The key never comes back in an answer. */
      g_assert_null (strstr (text, key));
    }

  good = test_n8n_server_get (server, "/api/v1/executions?limit=1");
  g_assert_cmpuint (good->status, ==, 200);
}

static void
test_health_and_routes (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (7, 20, NULL, "generated");
  static const char *const probes[] = { "/healthz", "/healthz/readiness" };
  g_autoptr(TestN8nReply) v2 = NULL;
  g_autoptr(TestN8nReply) hostile = NULL;
  g_autofree char *page = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      /* No key needed. */
      g_autoptr(TestN8nReply) reply = test_n8n_server_fetch (server, "GET", probes[i], NULL,
                                                             NULL, NULL);

      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_cmpstr (json_object_get_string_member (test_n8n_reply_object (reply), "status"),
                       ==, "ok");
    }

  g_assert_true (ct_sim_n8n_owns_path ("/api/v1/executions"));
  g_assert_true (ct_sim_n8n_owns_path ("/healthz"));
  g_assert_false (ct_sim_n8n_owns_path ("/jsonrpc"));
  g_assert_false (ct_sim_n8n_owns_path ("/healthzz"));
  g_assert_false (ct_sim_n8n_owns_path (NULL));

  assert_error (server, "GET", "/api/v1/nope", 404, "not found");
  assert_error (server, "GET", "/api/v1/executions/", 404, "not found");
  assert_error (server, "GET", "/api/v1//executions", 404, "not found");
  assert_error (server, "PUT", "/api/v1/executions", 404, "not found");
  assert_error (server, "GET", "/api/v1/executions/5/retry", 404, "not found");

  v2 = test_n8n_server_get (server, "/api/v2/executions");
  g_assert_cmpuint (v2->status, ==, 404);
  g_assert_cmpstr (soup_message_headers_get_content_type (v2->headers, NULL), ==, "text/html");
  g_assert_null (v2->json);

  /* A path with markup comes back escaped in Express's page. */
  hostile = test_n8n_server_get (server, "/api/x%3Cscript%3E");
  g_assert_cmpuint (hostile->status, ==, 404);
  page = g_strndup (g_bytes_get_data (hostile->body, NULL), g_bytes_get_size (hostile->body));
  g_assert_null (strstr (page, "<script>"));
  g_assert_nonnull (strstr (page, "&lt;script&gt;"));
}

static void
test_validation (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (7, 20, NULL, "recorded");
  static const char status_message[] =
    "request/query/status must be equal to one of the allowed values: canceled, error, "
    "running, success, waiting";
  static const char *const no_limit[] = { "limit=0", "limit=-1", "limit=" };

  assert_error (server, "GET", "/api/v1/executions?status=bogus", 400, status_message);
  assert_error (server, "GET", "/api/v1/executions?status=crashed", 400, status_message);
  assert_error (server, "GET", "/api/v1/executions?limit=500", 400,
                "request/query/limit must be <= 250");
  assert_error (server, "GET", "/api/v1/executions?limit=2.5", 400,
                "SQLITE_MISMATCH: datatype mismatch");
  assert_error (server, "GET", "/api/v1/executions?limit=abc", 400,
                "request/query/limit must be number");
  assert_error (server, "GET", "/api/v1/executions?limit=0x10", 400,
                "request/query/limit must be number");
  assert_error (server, "GET", "/api/v1/executions?limit=1e400", 400,
                "request/query/limit must be number");
  assert_error (server, "GET", "/api/v1/executions?cursor=garbage", 400,
                "An invalid cursor was provided");
  /* base64 of {"lastId":true} and of [1]: JSON, but not a cursor */
  assert_error (server, "GET", "/api/v1/executions?cursor=eyJsYXN0SWQiOnRydWV9", 400,
                "An invalid cursor was provided");
  assert_error (server, "GET", "/api/v1/executions?cursor=WzFd", 400,
                "An invalid cursor was provided");
  assert_error (server, "GET", "/api/v1/executions?cursor=", 400,
                "An invalid cursor was provided");
  assert_error (server, "GET", "/api/v1/executions?foo=bar&limit=1", 400,
                "Unknown query parameter 'foo'");
  assert_error (server, "GET", "/api/v1/executions?includeData=yes&limit=1", 400,
                "request/query/includeData must be boolean");
  assert_error (server, "GET", "/api/v1/executions/abc", 400,
                "request/params/id must be number");
  assert_error (server, "GET", "/api/v1/executions/0", 404, "Not Found");
  assert_error (server, "GET", "/api/v1/executions/-3", 404, "Not Found");
  assert_error (server, "GET", "/api/v1/executions/999999", 404, "Not Found");
  assert_error (server, "GET", "/api/v1/executions/99999999999999999999999", 404, "Not Found");
  assert_error (server, "DELETE", "/api/v1/executions/999999", 404, "Not Found");
  assert_error (server, "GET", "/api/v1/workflows/doesNotExist123", 404, "Not Found");
  assert_error (server, "POST", "/api/v1/workflows/doesNotExist123/activate", 404, "Not Found");
  assert_error (server, "GET", "/api/v1/workflows?active=maybe", 400,
                "request/query/active must be boolean");
  assert_error (server, "GET", "/api/v1/workflows?limit=251", 400,
                "request/query/limit must be <= 250");

  for (guint i = 0; i < G_N_ELEMENTS (no_limit); i++)
    {
      g_autofree char *target = g_strdup_printf ("/api/v1/executions?%s", no_limit[i]);
      g_autoptr(TestN8nReply) reply = test_n8n_server_get (server, target);

      /* No limit at all: every listed execution, no next page (085, 085b). */
      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_cmpuint (json_array_get_length (data_of (reply)), ==, 15);
      g_assert_true (json_object_get_null_member (test_n8n_reply_object (reply), "nextCursor"));
    }
}

/* Walks every page of @filter with @limit and returns the ids in order. */
static GArray *
walk_pages (TestN8nServer *server,
            const char    *filter,
            guint          limit)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *cursor = NULL;
  guint pages = 0;

  do
    {
      g_autofree char *target = NULL;
      g_autoptr(TestN8nReply) reply = NULL;
      JsonArray *data;
      JsonObject *answer;

      if (cursor == NULL)
        target = g_strdup_printf ("/api/v1/executions?%slimit=%u", filter, limit);
      else
        target = g_strdup_printf ("/api/v1/executions?%scursor=%s", filter, cursor);
      reply = test_n8n_server_get (server, target);
      g_assert_cmpuint (reply->status, ==, 200);
      answer = test_n8n_reply_object (reply);
      data = data_of (reply);
      g_assert_cmpuint (json_array_get_length (data), <=, limit);
      for (guint i = 0; i < json_array_get_length (data); i++)
        {
          JsonObject *item = json_array_get_object_element (data, i);
          gint64 id = g_ascii_strtoll (json_object_get_string_member (item, "id"), NULL, 10);

          g_array_append_val (ids, id);
        }
      g_clear_pointer (&cursor, g_free);
      if (!json_object_get_null_member (answer, "nextCursor"))
        {
          g_autofree char *escaped = NULL;

          cursor = g_strdup (json_object_get_string_member (answer, "nextCursor"));
          escaped = g_uri_escape_string (cursor, NULL, FALSE);
          g_free (cursor);
          cursor = g_steal_pointer (&escaped);
          /* A page that says there is more has a full page. */
          g_assert_cmpuint (json_array_get_length (data), ==, limit);
        }
      g_assert_cmpuint (++pages, <, 10000);
    }
  while (cursor != NULL);

  return ids;
}

static void
test_pagination (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(TestN8nServer) server = test_n8n_server_new (11, 300, now, "generated");
  g_autoptr(GArray) all = walk_pages (server, "", 250);
  g_autoptr(GArray) paged = walk_pages (server, "", 7);
  g_autoptr(GArray) errors = walk_pages (server, "status=error&", 4);
  g_autoptr(TestN8nReply) every = test_n8n_server_get (server, "/api/v1/executions?limit=0");

  g_assert_cmpuint (all->len, >, 200);
  g_assert_cmpuint (json_array_get_length (data_of (every)), ==, all->len);
  g_assert_cmpuint (paged->len, ==, all->len);
  for (guint i = 0; i < all->len; i++)
    {
      g_assert_cmpint (g_array_index (paged, gint64, i), ==, g_array_index (all, gint64, i));
      if (i > 0)
        g_assert_cmpint (g_array_index (all, gint64, i), <, g_array_index (all, gint64, i - 1));
    }

  /* The filter is sent again with each cursor and keeps applying. */
  g_assert_cmpuint (errors->len, >, 10);
  for (guint i = 0; i < errors->len; i++)
    {
      g_autofree char *target = g_strdup_printf ("/api/v1/executions/%" G_GINT64_FORMAT,
                                                 g_array_index (errors, gint64, i));
      g_autoptr(TestN8nReply) one = test_n8n_server_get (server, target);

      g_assert_cmpstr (json_object_get_string_member (test_n8n_reply_object (one), "status"),
                       ==, "error");
    }
}

static gboolean
has_path (JsonNode   *root,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) found = json_path_query (path, root, &error);

  g_assert_no_error (error);
  return json_array_get_length (json_node_get_array (found)) > 0;
}

static void
test_generated_runs (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(TestN8nServer) server = test_n8n_server_new (5, 400, now, "generated");
  g_autoptr(TestN8nReply) list = test_n8n_server_get (server,
                                                      "/api/v1/executions?limit=250&"
                                                      "includeData=true");
  g_autoptr(TestN8nReply) running = test_n8n_server_get (server,
                                                         "/api/v1/executions?status=running");
  g_autoptr(TestN8nReply) workflows = test_n8n_server_get (server, "/api/v1/workflows");
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) workflow_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) messages = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *data = data_of (list);
  JsonArray *wf = data_of (workflows);
  gint64 now_ms = g_date_time_to_unix (now) * 1000;
  guint linked = 0;
  guint with_error_workflow = 0;

  g_assert_cmpuint (json_array_get_length (wf), >=, 5);
  for (guint i = 0; i < json_array_get_length (wf); i++)
    {
      JsonObject *w = json_array_get_object_element (wf, i);

      g_hash_table_add (workflow_ids, (gpointer) json_object_get_string_member (w, "id"));
    }
  for (guint i = 0; i < json_array_get_length (wf); i++)
    {
      JsonObject *settings = json_object_get_object_member (json_array_get_object_element (wf, i),
                                                            "settings");

      if (json_object_has_member (settings, "errorWorkflow"))
        {
          /* The error workflow exists. */
          g_assert_true (g_hash_table_contains (workflow_ids,
                                                json_object_get_string_member (settings,
                                                                               "errorWorkflow")));
          with_error_workflow++;
        }
    }
  g_assert_cmpuint (with_error_workflow, >=, 2);

  g_assert_cmpuint (json_array_get_length (data), ==, 250);
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *e = json_array_get_object_element (data, i);
      JsonNode *node = json_array_get_element (data, i);
      const char *status = json_object_get_string_member (e, "status");
      JsonObject *custom = json_object_get_object_member (e, "customData");
      g_autoptr(GDateTime) started = g_date_time_new_from_iso8601 (
        json_object_get_string_member (e, "startedAt"), NULL);
      gint64 started_ms = g_date_time_to_unix (started) * 1000;

      g_hash_table_add (statuses, (gpointer) status);
      g_assert_true (g_hash_table_contains (workflow_ids,
                                            json_object_get_string_member (e, "workflowId")));
      /* Runs spread over the last week, none in the future. */
      g_assert_cmpint (started_ms, <=, now_ms);
      g_assert_cmpint (started_ms, >=, now_ms - 8 * 86400000);

      if (g_str_equal (status, "error"))
        {
          const char *last;
          g_autofree char *path = NULL;
          g_autofree char *run_error = NULL;

          g_assert_true (has_path (node, "$.data.resultData.error.message"));
          last = json_object_get_string_member (
            json_object_get_object_member (json_object_get_object_member (e, "data"),
                                           "resultData"), "lastNodeExecuted");
          g_assert_nonnull (last);
          /* The failing node's own run carries the error. */
          run_error = g_strdup_printf ("$.data.resultData.runData['%s'][0].error.message", last);
          g_assert_true (has_path (node, run_error));
          g_hash_table_add (messages, (gpointer) json_object_get_string_member (
            json_object_get_object_member (json_object_get_object_member (
              json_object_get_object_member (e, "data"), "resultData"), "error"), "message"));
          g_assert_true (json_object_get_null_member (e, "waitTill"));
          g_assert_false (json_object_get_boolean_member (e, "finished"));
        }
      else if (g_str_equal (status, "success"))
        {
          g_assert_true (json_object_get_boolean_member (e, "finished"));
        }
      else if (g_str_equal (status, "waiting"))
        {
          g_assert_false (json_object_get_null_member (e, "waitTill"));
        }
      if (json_object_has_member (custom, "odoo_model"))
        {
          g_assert_true (json_object_has_member (custom, "odoo_id"));
          g_assert_true (json_object_has_member (custom, "odoo_name"));
          linked++;
        }
    }

  g_assert_true (g_hash_table_contains (statuses, "success"));
  g_assert_true (g_hash_table_contains (statuses, "error"));
  g_assert_true (g_hash_table_contains (statuses, "waiting"));
  g_assert_true (g_hash_table_contains (statuses, "crashed"));
  g_assert_true (g_hash_table_contains (statuses, "canceled"));
  /* Waiting runs begun since the instance's last restart (12 h ago) are
   * missing from lists, older ones are there (n8n 1.x). */
  {
    g_autoptr(TestN8nReply) waiting = test_n8n_server_get (server, "/api/v1/executions?"
                                                                   "status=waiting&limit=250");
    JsonArray *w = data_of (waiting);

    g_assert_cmpuint (json_array_get_length (w), >, 0);
    for (guint i = 0; i < json_array_get_length (w); i++)
      {
        g_autoptr(GDateTime) started = g_date_time_new_from_iso8601 (
          json_object_get_string_member (json_array_get_object_element (w, i), "startedAt"),
          NULL);

        g_assert_cmpint (now_ms - g_date_time_to_unix (started) * 1000, >=, 12 * 3600000);
      }
  }
  /* Running runs only show up when asked for by status (n8n 1.x). */
  g_assert_false (g_hash_table_contains (statuses, "running"));
  g_assert_cmpuint (json_array_get_length (data_of (running)), >, 0);
  g_assert_cmpuint (linked, >, 100);
  /* Failures come from different integrations and nodes. */
  g_assert_cmpuint (g_hash_table_size (messages), >=, 4);
}

static void
test_generated_deterministic (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(TestN8nServer) a = test_n8n_server_new (99, 120, now, "generated");
  g_autoptr(TestN8nServer) b = test_n8n_server_new (99, 120, now, "generated");
  g_autoptr(TestN8nServer) c = test_n8n_server_new (100, 120, now, "generated");
  static const char target[] = "/api/v1/executions?limit=250&includeData=true";
  g_autoptr(TestN8nReply) ra = test_n8n_server_get (a, target);
  g_autoptr(TestN8nReply) rb = test_n8n_server_get (b, target);
  g_autoptr(TestN8nReply) rc = test_n8n_server_get (c, target);

  g_assert_cmpstr (ct_sim_n8n_get_api_key (a->n8n), ==, ct_sim_n8n_get_api_key (b->n8n));
  g_assert_cmpstr (ct_sim_n8n_get_api_key (a->n8n), !=, ct_sim_n8n_get_api_key (c->n8n));
  g_assert_true (g_bytes_equal (ra->body, rb->body));
  g_assert_false (g_bytes_equal (ra->body, rc->body));
}

static void
test_links (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(TestN8nServer) server = test_n8n_server_new (5, 200, now, "generated");
  const CtSimN8nLink links[] = {
    { "sale.order", 42, "S00042" },
    { "sale.order", 43, "S00043 <b>rush</b>" },
    { "purchase.order", 7, "P00007" },
  };
  g_autoptr(TestN8nReply) list = NULL;
  JsonArray *data;
  guint linked = 0;

  ct_sim_n8n_set_links (server->n8n, links, G_N_ELEMENTS (links));
  list = test_n8n_server_get (server, "/api/v1/executions?limit=250&includeData=true");
  data = data_of (list);
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *custom = json_object_get_object_member (json_array_get_object_element (data, i),
                                                          "customData");
      const char *id;
      gboolean known = FALSE;

      if (!json_object_has_member (custom, "odoo_model"))
        continue;
      id = json_object_get_string_member (custom, "odoo_id");
      for (guint l = 0; l < G_N_ELEMENTS (links); l++)
        {
          g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT, links[l].id);

          if (g_str_equal (id, want))
            {
              g_assert_cmpstr (json_object_get_string_member (custom, "odoo_name"), ==,
                               links[l].name);
              known = TRUE;
            }
        }
      /* Only records the Odoo side said exist. */
      g_assert_true (known);
      linked++;
    }
  g_assert_cmpuint (linked, >, 50);
}

static JsonObject *
get_execution (TestN8nServer *server,
               const char    *id,
               TestN8nReply **keep)
{
  g_autofree char *target = g_strdup_printf ("/api/v1/executions/%s", id);

  *keep = test_n8n_server_get (server, target);
  g_assert_cmpuint ((*keep)->status, ==, 200);
  return test_n8n_reply_object (*keep);
}

static void
test_retry_and_delete (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (1, 20, NULL, "recorded");
  const char *key = ct_sim_n8n_get_api_key (server->n8n);
  g_autoptr(TestN8nReply) failed_again = test_n8n_server_fetch (server, "POST",
                                                                "/api/v1/executions/5/retry",
                                                                key, NULL, NULL);
  g_autoptr(TestN8nReply) flaky = test_n8n_server_fetch (server, "POST",
                                                         "/api/v1/executions/17/retry", key,
                                                         "{\"loadWorkflow\": true}", NULL);
  g_autoptr(TestN8nReply) original = NULL;
  g_autoptr(TestN8nReply) deleted = NULL;
  g_autoptr(TestN8nReply) waiting_retry = NULL;
  g_autoptr(TestN8nReply) bad_body = NULL;
  g_autoptr(TestN8nReply) bad_load = NULL;
  JsonObject *o;

  o = test_n8n_reply_object (failed_again);
  g_assert_cmpuint (failed_again->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, "21");
  g_assert_cmpstr (json_object_get_string_member (o, "mode"), ==, "retry");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "error");
  /* retryOf is a number in this answer (050). */
  g_assert_cmpint (json_object_get_int_member (o, "retryOf"), ==, 5);
  g_assert_false (json_object_has_member (o, "stoppedAt"));
  g_assert_true (has_path (failed_again->json, "$.data.resultData.error.message"));

  o = test_n8n_reply_object (flaky);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, "22");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "success");
  g_assert_true (json_object_get_boolean_member (o, "finished"));

  o = get_execution (server, "17", &original);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (o, "retrySuccessId"), ==, "22");

  /* Waiting runs can be retried; successful ones cannot. */
  waiting_retry = test_n8n_server_fetch (server, "POST", "/api/v1/executions/12/retry", key,
                                         NULL, NULL);
  g_assert_cmpuint (waiting_retry->status, ==, 200);
  assert_error (server, "POST", "/api/v1/executions/11/retry", 400,
                "The execution succeeded, so it cannot be retried.");
  assert_error (server, "POST", "/api/v1/executions/999999/retry", 404,
                "The execution with the ID \"999999\" does not exist.");
  assert_error (server, "POST", "/api/v1/executions/abc/retry", 400,
                "request/params/id must be number");
  bad_body = test_n8n_server_fetch (server, "POST", "/api/v1/executions/5/retry", key,
                                    "{\"loadWorkflow\": tru", NULL);
  g_assert_cmpuint (bad_body->status, ==, 400);
  g_assert_cmpstr (message_of (bad_body), ==, "request/body must be object");
  bad_load = test_n8n_server_fetch (server, "POST", "/api/v1/executions/5/retry", key,
                                    "{\"loadWorkflow\": \"yes\"}", NULL);
  g_assert_cmpuint (bad_load->status, ==, 400);

  deleted = test_n8n_server_fetch (server, "DELETE", "/api/v1/executions/1", key, NULL, NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  /* The id is a number in the DELETE answer (060). */
  g_assert_cmpint (json_object_get_int_member (test_n8n_reply_object (deleted), "id"), ==, 1);
  assert_error (server, "DELETE", "/api/v1/executions/1", 404, "Not Found");
  assert_error (server, "GET", "/api/v1/executions/1", 404, "Not Found");
  ct_sim_n8n_replay_until (server->n8n, "102-api-execution-get-running.txt");
  assert_error (server, "DELETE", "/api/v1/executions/25", 400,
                "Cannot delete a running execution");
}

static void
test_generated_retry (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  /* Runs fail about one in twenty, as in a real operation: a week of 400
   * runs has a handful of failures to retry. */
  g_autoptr(TestN8nServer) a = test_n8n_server_new (8, 400, now, "generated");
  g_autoptr(TestN8nServer) b = test_n8n_server_new (8, 400, now, "generated");
  g_autoptr(TestN8nReply) failed = test_n8n_server_get (a, "/api/v1/executions?status=error"
                                                           "&limit=6");
  JsonArray *data = data_of (failed);
  guint successes = 0;

  g_assert_cmpuint (json_array_get_length (data), ==, 6);
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (data, i),
                                                      "id");
      g_autofree char *target = g_strdup_printf ("/api/v1/executions/%s/retry", id);
      g_autoptr(TestN8nReply) ra = test_n8n_server_fetch (a, "POST", target,
                                                          ct_sim_n8n_get_api_key (a->n8n), NULL,
                                                          NULL);
      g_autoptr(TestN8nReply) rb = test_n8n_server_fetch (b, "POST", target,
                                                          ct_sim_n8n_get_api_key (b->n8n), NULL,
                                                          NULL);
      const char *sa = json_object_get_string_member (test_n8n_reply_object (ra), "status");

      /* The same seed gives the same outcome. */
      g_assert_cmpstr (sa, ==,
                       json_object_get_string_member (test_n8n_reply_object (rb), "status"));
      if (g_str_equal (sa, "success"))
        {
          g_autoptr(TestN8nReply) keep = NULL;
          JsonObject *o = get_execution (a, id, &keep);

          g_assert_cmpstr (json_object_get_string_member (o, "retrySuccessId"), ==,
                           json_object_get_string_member (test_n8n_reply_object (ra), "id"));
          successes++;
        }
    }
  /* Some retries fix the problem, some do not. */
  g_assert_cmpuint (successes, >, 0);
  g_assert_cmpuint (successes, <, 20);
}

static void
test_workflows (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (1, 20, NULL, "recorded");
  const char *key = ct_sim_n8n_get_api_key (server->n8n);
  g_autoptr(TestN8nReply) all = test_n8n_server_get (server, "/api/v1/workflows");
  g_autoptr(TestN8nReply) page1 = test_n8n_server_get (server,
                                                       "/api/v1/workflows?active=true&limit=2");
  g_autoptr(TestN8nReply) page2 = NULL;
  g_autoptr(TestN8nReply) named = test_n8n_server_get (server,
                                                       "/api/v1/workflows?name=Credit%20check"
                                                       "%20(fails)&excludePinnedData=true");
  g_autoptr(TestN8nReply) off = NULL;
  g_autoptr(TestN8nReply) inactive = NULL;
  g_autoptr(TestN8nReply) on = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *target = NULL;
  JsonObject *w;

  g_assert_cmpuint (json_array_get_length (data_of (all)), ==, 8);
  g_assert_cmpstr (json_object_get_string_member (
    json_array_get_object_element (data_of (all), 0), "id"), ==, "Cfrtu7IrQIbXDyt4");
  cursor = g_uri_escape_string (json_object_get_string_member (test_n8n_reply_object (page1),
                                                               "nextCursor"), NULL, FALSE);
  target = g_strdup_printf ("/api/v1/workflows?active=true&cursor=%s", cursor);
  page2 = test_n8n_server_get (server, target);
  g_assert_cmpstr (json_object_get_string_member (
    json_array_get_object_element (data_of (page2), 0), "id"), ==, "iNmukRovJskhTOQF");

  g_assert_cmpuint (json_array_get_length (data_of (named)), ==, 1);
  w = json_array_get_object_element (data_of (named), 0);
  g_assert_cmpstr (json_object_get_string_member (w, "id"), ==, "o7IlixzRe9J4S49v");
  g_assert_false (json_object_has_member (w, "pinData"));

  off = test_n8n_server_fetch (server, "POST", "/api/v1/workflows/vcUwUIbYyIHF0HX1/deactivate",
                               key, NULL, NULL);
  g_assert_cmpuint (off->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (test_n8n_reply_object (off), "active"));
  g_assert_true (json_object_get_null_member (test_n8n_reply_object (off), "activeVersion"));
  inactive = test_n8n_server_get (server, "/api/v1/workflows?active=false");
  g_assert_cmpuint (json_array_get_length (data_of (inactive)), ==, 1);
  on = test_n8n_server_fetch (server, "POST", "/api/v1/workflows/vcUwUIbYyIHF0HX1/activate",
                              key, NULL, NULL);
  g_assert_true (json_object_get_boolean_member (test_n8n_reply_object (on), "active"));
}

static void
test_recorded_lists (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (1, 20, NULL, "recorded");
  g_autoptr(TestN8nReply) waiting = test_n8n_server_get (server,
                                                         "/api/v1/executions?status=waiting");
  g_autoptr(TestN8nReply) running = NULL;
  g_autoptr(TestN8nReply) hidden = NULL;
  g_autoptr(TestN8nReply) restarted = NULL;
  g_autoptr(TestN8nReply) waiting_after = NULL;
  g_autoptr(TestN8nReply) page = test_n8n_server_get (server, "/api/v1/executions?limit=3");
  JsonObject *o;

  /* n8n 1.x: waiting runs held in memory are missing from lists (032) but
   * can be read by id (044); running ones appear only by status (100). */
  g_assert_cmpuint (json_array_get_length (data_of (waiting)), ==, 0);
  o = get_execution (server, "12", &hidden);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "waiting");
  ct_sim_n8n_replay_until (server->n8n, "100-api-executions-list-status-running.txt");
  running = test_n8n_server_get (server, "/api/v1/executions?status=running");
  g_assert_cmpuint (json_array_get_length (data_of (running)), ==, 1);

  /* After the restart the waiting runs and the crashed one are listed (123). */
  ct_sim_n8n_replay_until (server->n8n, "123-api-executions-list-default-after-restart.txt");
  restarted = test_n8n_server_get (server, "/api/v1/executions/29");
  g_assert_cmpstr (json_object_get_string_member (test_n8n_reply_object (restarted), "status"),
                   ==, "crashed");
  waiting_after = test_n8n_server_get (server, "/api/v1/executions?status=waiting");
  g_assert_cmpuint (json_array_get_length (data_of (waiting_after)), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (test_n8n_reply_object (page), "nextCursor"),
                   !=, NULL);
}

static void
test_hostile (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (1, 20, NULL, "recorded");
  const char *key = ct_sim_n8n_get_api_key (server->n8n);
  g_autoptr(GString) query = g_string_new ("/api/v1/executions?limit=1");
  g_autoptr(GString) body = g_string_new ("{\"loadWorkflow\": false, \"pad\": \"");
  g_autoptr(GString) long_id = g_string_new ("/api/v1/workflows/");
  g_autoptr(TestN8nReply) many = NULL;
  g_autoptr(TestN8nReply) big = NULL;
  g_autoptr(TestN8nReply) nested = NULL;
  g_autoptr(TestN8nReply) long_path = NULL;

  /* Thousands of parameters: the first unknown one in byte order is named. */
  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (query, "&p%04u=x", i);
  many = test_n8n_server_get (server, query->str);
  g_assert_cmpuint (many->status, ==, 400);
  g_assert_cmpstr (message_of (many), ==, "Unknown query parameter 'p0000'");

  /* A megabyte of body on a retry is read and ignored. */
  for (guint i = 0; i < 1024 * 1024; i++)
    g_string_append_c (body, 'a');
  g_string_append (body, "\"}");
  big = test_n8n_server_fetch (server, "POST", "/api/v1/executions/5/retry", key, body->str,
                               NULL);
  g_assert_cmpuint (big->status, ==, 200);

  /* A body that is JSON but not an object. */
  nested = test_n8n_server_fetch (server, "POST", "/api/v1/executions/5/retry", key,
                                  "[[[[[[[[[[1]]]]]]]]]]", NULL);
  g_assert_cmpuint (nested->status, ==, 400);
  g_assert_cmpstr (message_of (nested), ==, "request/body must be object");

  for (guint i = 0; i < 8000; i++)
    g_string_append_c (long_id, 'w');
  long_path = test_n8n_server_get (server, long_id->str);
  g_assert_cmpuint (long_path->status, ==, 404);
  g_assert_cmpstr (message_of (long_path), ==, "Not Found");
}

typedef struct
{
  CtSimN8n *n8n;
  gint      stop;
} LinkerState;

static gpointer
relink_thread (gpointer data)
{
  LinkerState *state = data;
  guint round = 0;

  while (!g_atomic_int_get (&state->stop))
    {
      g_autofree char *name = g_strdup_printf ("S%05u", round);
      const CtSimN8nLink links[] = {
        { "sale.order", round + 1, name },
        { "stock.picking", 9, "WH/OUT/00009" },
      };

      ct_sim_n8n_set_links (state->n8n, links, G_N_ELEMENTS (links));
      round++;
    }
  return GUINT_TO_POINTER (round);
}

static void
test_concurrent_links (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (4, 100, NULL, "generated");
  LinkerState state = { server->n8n, 0 };
  GThread *thread = g_thread_new ("relink", relink_thread, &state);
  guint rounds;

  /* The links change under the server's feet: every answer stays whole. */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(TestN8nReply) reply = test_n8n_server_get (server, "/api/v1/executions?"
                                                                   "limit=50&includeData=true");

      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_cmpuint (json_array_get_length (data_of (reply)), ==, 50);
    }
  g_atomic_int_set (&state.stop, 1);
  rounds = GPOINTER_TO_UINT (g_thread_join (thread));
  g_assert_cmpuint (rounds, >, 0);
}

static void
test_wall_clock (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (4, 100, NULL, "generated");
  g_autoptr(TestN8nReply) newest = test_n8n_server_get (server, "/api/v1/executions?limit=1");
  JsonObject *e = json_array_get_object_element (data_of (newest), 0);
  g_autoptr(GDateTime) started = g_date_time_new_from_iso8601 (
    json_object_get_string_member (e, "startedAt"), NULL);
  g_autoptr(GDateTime) wall = g_date_time_new_now_utc ();
  GTimeSpan age = g_date_time_difference (wall, started);

  /* Without a fixed clock the runs are recent relative to now. */
  g_assert_cmpint (age, >=, 0);
  g_assert_cmpint (age, <, 8 * G_TIME_SPAN_DAY);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/sim/n8n/auth", test_auth);
  g_test_add_func ("/ct/sim/n8n/health-and-routes", test_health_and_routes);
  g_test_add_func ("/ct/sim/n8n/validation", test_validation);
  g_test_add_func ("/ct/sim/n8n/hostile", test_hostile);
  g_test_add_func ("/ct/sim/n8n/pagination", test_pagination);
  g_test_add_func ("/ct/sim/n8n/generated/runs", test_generated_runs);
  g_test_add_func ("/ct/sim/n8n/generated/deterministic", test_generated_deterministic);
  g_test_add_func ("/ct/sim/n8n/generated/links", test_links);
  g_test_add_func ("/ct/sim/n8n/generated/retry", test_generated_retry);
  g_test_add_func ("/ct/sim/n8n/recorded/retry-and-delete", test_retry_and_delete);
  g_test_add_func ("/ct/sim/n8n/recorded/workflows", test_workflows);
  g_test_add_func ("/ct/sim/n8n/recorded/lists", test_recorded_lists);
  g_test_add_func ("/ct/sim/n8n/generated/concurrent-links", test_concurrent_links);
  g_test_add_func ("/ct/sim/n8n/generated/wall-clock", test_wall_clock);

  return g_test_run ();
}
