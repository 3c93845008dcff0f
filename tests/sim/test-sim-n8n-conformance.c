/* test-sim-n8n-conformance.c - Replays the n8n 1.123 transcripts against the simulator
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sim-n8n"

#include "config.h"

#include "../ct-test-protocol.h"

#include <string.h>

#include "test-sim-n8n-harness.h"

/* Transcripts that cannot apply to the simulator, and why. Everything else
 * under n8n-1.123/ must replay with the same status, key names, value types
 * and absent keys. */
static const struct
{
  const char *prefix;
  const char *reason;
} not_applicable[] = {
  { "001-", "/rest/owner/setup: the editor UI's internal API, not served (the sim has no owner)" },
  { "002-", "/rest/owner/setup: the editor UI's internal API, not served" },
  { "003-", "/rest/login: the editor UI's cookie login, not served" },
  { "004-", "/rest/login: the editor UI's cookie login, not served" },
  { "005-", "/rest/api-keys/scopes: API key management through the UI, not served" },
  { "006-", "/rest/api-keys: API key management through the UI, not served" },
  { "010-", "POST /api/v1/workflows: creating the recording's fixture; the sim serves a fixed "
            "set of workflows and Control Tower never creates one" },
  { "011-", "POST /api/v1/workflows: workflow creation is not served (see 010)" },
  { "020-", "/webhook/*: running workflows needs n8n's engine; the sim's runs are data" },
  { "021-", "/webhook/*: production webhooks are not served" },
  { "077-", "/rest/api-keys: API key management through the UI, not served" },
  { "110-", "/rest/executions/:id/stop: the UI's internal API; the recorded dataset has "
            "execution 13 already canceled instead" },
  { "130-", "a latency measurement without a request/response pair (see the benchmark)" },
};

typedef struct
{
  char       *name;
  char       *method;
  char       *target;       /* path and query */
  GPtrArray  *headers;      /* name, value, name, value, ... NULL */
  char       *body;         /* (nullable) */
  guint       status;
  char       *content_type;
  char       *response;
} Transcript;

static void
transcript_free (Transcript *t)
{
  g_free (t->name);
  g_free (t->method);
  g_free (t->target);
  g_ptr_array_unref (t->headers);
  g_free (t->body);
  g_free (t->content_type);
  g_free (t->response);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Transcript, transcript_free)

/* Format: '#' description lines, '> ' request lines (request line,
 * headers, '>' alone, body), '< ' response lines (status, headers, '<'
 * alone), then the response body. */
static Transcript *
transcript_load (const char *dir,
                 const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GString) response = g_string_new (NULL);
  Transcript *t = g_new0 (Transcript, 1);
  gboolean in_request_body = FALSE;
  gboolean in_response_body = FALSE;
  gboolean saw_status = FALSE;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  t->name = g_strdup (name);
  t->headers = g_ptr_array_new_with_free_func (g_free);
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (in_response_body)
        {
          g_string_append (response, line);
          g_string_append_c (response, '\n');
        }
      else if (g_str_has_prefix (line, "> ") || g_str_equal (line, ">"))
        {
          const char *text = line[1] == ' ' ? line + 2 : "";

          if (t->method == NULL)
            {
              g_auto(GStrv) words = g_strsplit (text, " ", 3);

              g_assert_cmpuint (g_strv_length (words), >=, 2);
              t->method = g_strdup (words[0]);
              t->target = g_strdup (words[1]);
            }
          else if (in_request_body)
            {
              g_string_append (body, text);
              g_string_append_c (body, '\n');
            }
          else if (*text == '\0')
            {
              in_request_body = TRUE;
            }
          else
            {
              const char *colon = strchr (text, ':');

              g_assert_nonnull (colon);
              g_ptr_array_add (t->headers, g_strndup (text, colon - text));
              g_ptr_array_add (t->headers, g_strdup (g_strchug ((char *) colon + 1)));
            }
        }
      else if (g_str_has_prefix (line, "< ") || g_str_equal (line, "<"))
        {
          const char *text = line[1] == ' ' ? line + 2 : "";

          if (!saw_status)
            {
              g_auto(GStrv) words = g_strsplit (text, " ", 3);

              t->status = (guint) g_ascii_strtoull (words[1], NULL, 10);
              saw_status = TRUE;
            }
          else if (*text == '\0')
            {
              in_response_body = TRUE;
            }
          else if (g_ascii_strncasecmp (text, "Content-Type:", 13) == 0)
            {
              t->content_type = g_strstrip (g_strdup (text + 13));
            }
        }
    }
  g_ptr_array_add (t->headers, NULL);
  if (body->len > 0)
    t->body = g_strdup (body->str);
  t->response = g_strdup (response->str);
  return t;
}

static const char *
type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "object";
    case JSON_NODE_ARRAY:
      return "array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "string";
        case G_TYPE_BOOLEAN:
          return "boolean";
        default:
          return "number";   /* 2 and 3.4 are both JSON numbers */
        }
    }
}

/* Values that are data, not protocol: a node's parameters, an item's json
 * payload, an HTTP error's request. Only their type is compared. */
static gboolean
is_free_form (const char *key)
{
  static const char *const keys[] = { "parameters", "json", "request", "headers", "body",
                                      "messages", "stack", NULL };

  return key != NULL && g_strv_contains (keys, key);
}

/* Strict: the recorded dataset against its own recording, ids included.
 * Loose: a generated run against a recorded one of the same kind, where
 * ids, node names (the keys of runData and connections), the Odoo link in
 * customData and node-type specific keys are data. */
static void
compare (JsonNode   *expected,
         JsonNode   *actual,
         const char *where,
         const char *key,
         gboolean    loose,
         GString    *errors)
{
  static const char *const nullable[] = { "retryOf", "retrySuccessId", "stoppedAt", "waitTill",
                                           "activeVersionId", "activeVersion", "description",
                                           NULL };
  const char *te = type_name (expected);
  const char *ta = type_name (actual);

  if (loose && key != NULL)
    {
      if (g_str_equal (key, "customData") || g_str_equal (key, "staticData"))
        return;
      /* Which nullable fields are set is data too. */
      if (g_strv_contains (nullable, key)
          && (JSON_NODE_HOLDS_NULL (expected) || JSON_NODE_HOLDS_NULL (actual)))
        return;
    }

  if (!g_str_equal (te, ta))
    {
      g_string_append_printf (errors, "  %s: expected %s, got %s\n", where, te, ta);
      return;
    }
  if (is_free_form (key))
    return;

  /* The recorded dataset holds the recording's executions and workflows,
   * so even their ids and statuses replay. */
  if (loose)
    ;
  else if (g_strcmp0 (key, "id") == 0 || g_strcmp0 (key, "status") == 0
      || g_strcmp0 (key, "workflowId") == 0 || g_strcmp0 (key, "retryOf") == 0
      || g_strcmp0 (key, "retrySuccessId") == 0)
    {
      g_autofree char *ev = json_to_string (expected, FALSE);
      g_autofree char *av = json_to_string (actual, FALSE);

      if (!g_str_equal (ev, av))
        g_string_append_printf (errors, "  %s: expected %s, got %s\n", where, ev, av);
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (expected))
    {
      JsonObject *eo = json_node_get_object (expected);
      JsonObject *ao = json_node_get_object (actual);
      g_autoptr(GList) ekeys = json_object_get_members (eo);
      g_autoptr(GList) akeys = json_object_get_members (ao);

      if (loose && (g_strcmp0 (key, "runData") == 0 || g_strcmp0 (key, "connections") == 0))
        {
          /* Keyed by node name: compare the first node with the first and
           * the last (the one that failed or waits) with the last. */
          GList *el = g_list_last (ekeys);
          GList *al = g_list_last (akeys);

          if ((ekeys == NULL) != (akeys == NULL))
            g_string_append_printf (errors, "  %s: expected %s object\n", where,
                                    ekeys == NULL ? "an empty" : "a non-empty");
          if (ekeys == NULL || akeys == NULL)
            return;
          compare (json_object_get_member (eo, ekeys->data),
                   json_object_get_member (ao, akeys->data), where, NULL, loose, errors);
          compare (json_object_get_member (eo, el->data),
                   json_object_get_member (ao, al->data), where, NULL, loose, errors);
          return;
        }

      for (GList *l = ekeys; l != NULL; l = l->next)
        {
          g_autofree char *sub = g_strdup_printf ("%s.%s", where, (char *) l->data);

          if (!json_object_has_member (ao, l->data))
            {
              if (!loose || !g_str_equal (l->data, "webhookId"))
                g_string_append_printf (errors, "  %s: missing\n", sub);
            }
          else
            {
              compare (json_object_get_member (eo, l->data), json_object_get_member (ao, l->data),
                       sub, l->data, loose, errors);
            }
        }
      for (GList *l = akeys; l != NULL; l = l->next)
        if (!json_object_has_member (eo, l->data)
            && (!loose || (!g_str_equal (l->data, "webhookId")
                           && !g_str_equal (l->data, "errorWorkflow"))))
          g_string_append_printf (errors, "  %s.%s: not in the recording\n", where,
                                  (char *) l->data);
    }
  else if (JSON_NODE_HOLDS_ARRAY (expected))
    {
      JsonArray *ea = json_node_get_array (expected);
      JsonArray *aa = json_node_get_array (actual);
      guint en = json_array_get_length (ea);
      guint an = json_array_get_length (aa);
      /* Lengths are data; emptiness is not (a list that must be empty). When
       * the lengths agree, as they do for the replayed lists, every item is
       * compared with its counterpart, else the first ones. */
      if ((en == 0) != (an == 0))
        g_string_append_printf (errors, "  %s: expected %u items, got %u\n", where, en, an);
      for (guint i = 0; i < (en == an ? en : MIN (MIN (en, an), 1u)); i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", where, i);

          compare (json_array_get_element (ea, i), json_array_get_element (aa, i), sub, NULL,
                   loose, errors);
        }
    }
}

static const char *
substitute (TestN8nServer *server,
            const char    *value,
            char         **owned)
{
  g_autoptr(GString) text = g_string_new (value);

  /* The recordings hide the key; the wrong-key cases keep their own. */
  g_string_replace (text, "<API_KEY>", ct_sim_n8n_get_api_key (server->n8n), 0);
  g_string_replace (text, "<EXPIRED_API_KEY>", ct_sim_n8n_get_expired_api_key (server->n8n), 0);
  if (g_str_equal (text->str, "(empty value)"))
    g_string_truncate (text, 0);
  *owned = g_string_free (g_steal_pointer (&text), FALSE);
  return *owned;
}

static const char *
skip_reason (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (not_applicable); i++)
    if (g_str_has_prefix (name, not_applicable[i].prefix))
      return not_applicable[i].reason;
  return NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
test_replay (void)
{
  const char *protocol_dir = g_getenv ("CT_PROTOCOL_DIR");
  g_autofree char *dir = g_build_filename (protocol_dir != NULL ? protocol_dir : PROTOCOL_DIR,
                                           "n8n-1.123", NULL);
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TestN8nServer) server = test_n8n_server_new (1, 20, NULL, "recorded");
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *name;
  guint passed = 0;
  guint skipped = 0;
  guint failed = 0;

  handle = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".txt"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >, 80);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(Transcript) t = transcript_load (dir, names->pdata[i]);
      g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(TestN8nReply) reply = NULL;
      g_autoptr(GString) errors = g_string_new (NULL);
      g_autofree char *key = NULL;
      const char *reason = skip_reason (t->name);

      if (reason != NULL)
        {
          g_test_message ("%s: not applicable: %s", t->name, reason);
          skipped++;
          continue;
        }
      g_assert_nonnull (t->method);
      g_assert_true (g_str_has_prefix (t->target, "/api/") || g_str_has_prefix (t->target,
                                                                                "/healthz"));

      for (guint h = 0; t->headers->pdata[h] != NULL; h += 2)
        {
          const char *hname = t->headers->pdata[h];
          char *owned = NULL;

          if (g_ascii_strcasecmp (hname, "X-N8N-API-KEY") == 0)
            {
              key = NULL;
              substitute (server, t->headers->pdata[h + 1], &key);
              continue;
            }
          if (g_ascii_strcasecmp (hname, "Host") == 0
              || g_ascii_strcasecmp (hname, "Content-Length") == 0
              || g_ascii_strcasecmp (hname, "Content-Type") == 0
              || g_ascii_strcasecmp (hname, "Accept") == 0)
            continue;
          g_ptr_array_add (headers, g_strdup (hname));
          substitute (server, t->headers->pdata[h + 1], &owned);
          g_ptr_array_add (headers, owned);
        }
      g_ptr_array_add (headers, NULL);

      ct_sim_n8n_replay_until (server->n8n, t->name);
      reply = test_n8n_server_fetch (server, t->method, t->target, key, t->body,
                                     (const char **) headers->pdata);
      g_assert_no_error (reply->error);

      if (reply->status != t->status)
        g_string_append_printf (errors, "  status: expected %u, got %u\n", t->status,
                                reply->status);
      if (t->content_type != NULL
          && g_strcmp0 (soup_message_headers_get_one (reply->headers, "Content-Type"),
                        t->content_type) != 0)
        g_string_append_printf (errors, "  Content-Type: expected %s, got %s\n",
                                t->content_type,
                                soup_message_headers_get_one (reply->headers, "Content-Type"));

      if (g_str_has_prefix (t->content_type != NULL ? t->content_type : "", "application/json"))
        {
          g_autoptr(JsonNode) expected = json_from_string (t->response, &error);

          g_assert_no_error (error);
          if (reply->json == NULL)
            g_string_append (errors, "  body: not JSON\n");
          else
            compare (expected, reply->json, "$", NULL, FALSE, errors);
          /* Error answers carry n8n's exact message. */
          if (reply->json != NULL && t->status >= 400)
            {
              const char *em = json_object_get_string_member_with_default (
                json_node_get_object (expected), "message", NULL);
              const char *am = json_object_get_string_member_with_default (
                json_node_get_object (reply->json), "message", NULL);

              if (g_strcmp0 (em, am) != 0)
                g_string_append_printf (errors, "  message: expected “%s”, got “%s”\n", em, am);
            }
        }
      else
        {
          gsize size = 0;
          const char *data = g_bytes_get_data (reply->body, &size);

          if (size == 0 || reply->json != NULL || memchr (data, '<', size) == NULL)
            g_string_append (errors, "  body: expected an HTML page\n");
        }

      if (errors->len == 0)
        {
          g_test_message ("%s: passes", t->name);
          passed++;
        }
      else
        {
          g_string_append_printf (failures, "%s %s %s\n%s", t->name, t->method, t->target,
                                  errors->str);
          failed++;
        }
    }

  g_test_message ("n8n transcripts: %u pass, %u fail, %u not applicable (of %u)",
                  passed, failed, skipped, names->len);
  if (failed > 0)
    g_test_message ("%s", failures->str);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_cmpuint (passed + skipped, ==, names->len);
}

static JsonNode *
transcript_json (const char *dir,
                 const char *name)
{
  g_autoptr(Transcript) t = transcript_load (dir, name);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (t->response, &error);

  g_assert_no_error (error);
  return node;
}

static char *
protocol_subdir (void)
{
  const char *protocol_dir = g_getenv ("CT_PROTOCOL_DIR");

  return g_build_filename (protocol_dir != NULL ? protocol_dir : PROTOCOL_DIR, "n8n-1.123",
                           NULL);
}

/* Which recorded answer a generated run must look like. */
static const char *
kind_of (JsonObject *execution)
{
  const char *status = json_object_get_string_member (execution, "status");
  JsonObject *result;
  JsonObject *error;

  if (!g_str_equal (status, "error"))
    return status;
  result = json_object_get_object_member (json_object_get_object_member (execution, "data"),
                                          "resultData");
  error = json_object_get_object_member (result, "error");
  return json_object_has_member (error, "httpCode") ? "error-http" : "error-code";
}

static void
test_generated_shapes (void)
{
  static const struct
  {
    const char *kind;
    const char *transcript;
  } kinds[] = {
    { "error-code", "041-api-execution-get-failed-code-node-includeData.txt" },
    { "error-http", "043-api-execution-get-failed-http-node-includeData.txt" },
    { "waiting", "044-api-execution-get-waiting-includeData.txt" },
    { "success", "046-api-execution-get-success-includeData.txt" },
    { "running", "102-api-execution-get-running.txt" },
    { "crashed", "120-api-execution-get-crashed.txt" },
  };
  g_autofree char *dir = protocol_subdir ();
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 9, 30, 0);
  g_autoptr(TestN8nServer) server = test_n8n_server_new (21, 600, now, "generated");
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GString) errors = g_string_new (NULL);
  static const char *const lists[] = {
    "/api/v1/executions?limit=250&includeData=true",
    "/api/v1/executions?status=running&includeData=true",
  };
  g_autoptr(TestN8nReply) workflows = test_n8n_server_get (server, "/api/v1/workflows");
  g_autoptr(JsonNode) recorded_workflows = transcript_json (dir, "090-api-workflows-list.txt");
  g_autofree char *first_failed = NULL;

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      g_autoptr(TestN8nReply) list = test_n8n_server_get (server, lists[l]);
      JsonArray *data = json_object_get_array_member (test_n8n_reply_object (list), "data");

      for (guint i = 0; i < json_array_get_length (data); i++)
        {
          JsonObject *e = json_array_get_object_element (data, i);
          const char *kind = kind_of (e);

          if (!g_hash_table_contains (found, kind))
            g_hash_table_insert (found, (gpointer) g_intern_string (kind),
                                 g_strdup (json_object_get_string_member (e, "id")));
          if (first_failed == NULL && g_str_equal (json_object_get_string_member (e, "status"),
                                                   "error"))
            first_failed = g_strdup (json_object_get_string_member (e, "id"));
        }
    }

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      const char *id = g_hash_table_lookup (found, kinds[k].kind);
      g_autofree char *target = NULL;
      g_autoptr(TestN8nReply) reply = NULL;
      g_autoptr(JsonNode) expected = transcript_json (dir, kinds[k].transcript);
      g_autofree char *where = g_strdup_printf ("%s ~ %s", kinds[k].kind, kinds[k].transcript);

      if (id == NULL)
        g_error ("the generated dataset has no %s run", kinds[k].kind);
      target = g_strdup_printf ("/api/v1/executions/%s?includeData=true", id);
      reply = test_n8n_server_get (server, target);
      g_assert_cmpuint (reply->status, ==, 200);
      compare (expected, reply->json, where, NULL, TRUE, errors);
    }

  /* A retry's answer, whichever way it ends. */
  {
    g_autofree char *target = g_strdup_printf ("/api/v1/executions/%s/retry", first_failed);
    g_autoptr(TestN8nReply) retry = test_n8n_server_fetch (server, "POST", target,
                                                           ct_sim_n8n_get_api_key (server->n8n),
                                                           NULL, NULL);
    JsonObject *o = test_n8n_reply_object (retry);
    gboolean ok = g_str_equal (json_object_get_string_member (o, "status"), "success");
    g_autoptr(JsonNode) expected = transcript_json (dir, ok
                                                    ? "051-api-execution-retry-flaky-succeeds.txt"
                                                    : "050-api-execution-retry-failed-again.txt");

    compare (expected, retry->json, "retry", NULL, TRUE, errors);
  }

  compare (recorded_workflows, workflows->json, "workflows", NULL, TRUE, errors);

  if (errors->len > 0)
    g_error ("generated runs differ from the recorded shapes:\n%s", errors->str);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ct_test_require_protocol_dir ();

  g_test_add_func ("/ct/sim/n8n/conformance/replay", test_replay);
  g_test_add_func ("/ct/sim/n8n/conformance/generated-shapes", test_generated_shapes);

  return g_test_run ();
}
