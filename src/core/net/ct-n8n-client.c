/* ct-n8n-client.c - Async client for the n8n public API v1
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-n8n-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-connection.h"
#include "ct-n8n-client.h"
#include "ct-odoo-wire.h"

struct _CtN8nClient
{
  GObject  parent_instance;

  CtHttp  *http;
  CtHttp  *retry_http;   /* its own connections: a retry may take minutes */
  char    *url;
  char    *api_key;
};

G_DEFINE_FINAL_TYPE (CtN8nClient, ct_n8n_client, G_TYPE_OBJECT)

void
ct_n8n_execution_free (CtN8nExecution *execution)
{
  if (execution == NULL)
    return;
  g_free (execution->id);
  g_free (execution->workflow_id);
  g_free (execution->status);
  g_free (execution->mode);
  g_clear_pointer (&execution->started_at, g_date_time_unref);
  g_clear_pointer (&execution->stopped_at, g_date_time_unref);
  g_clear_pointer (&execution->wait_till, g_date_time_unref);
  g_free (execution->retry_of);
  g_free (execution->retry_success_id);
  g_free (execution->error_message);
  g_free (execution->error_node);
  g_free (execution->node_error);
  g_free (execution->error_stack);
  g_free (execution);
}

void
ct_n8n_workflow_free (CtN8nWorkflow *workflow)
{
  if (workflow == NULL)
    return;
  g_free (workflow->id);
  g_free (workflow->name);
  g_free (workflow->error_workflow);
  g_free (workflow);
}

/* ---- decoding ------------------------------------------------------------ */

static GError *
n8n_error (CtOdooError  code,
           const char  *message,
           guint        status,
           const char  *server_message)
{
  return ct_odoo_error_new_full (code, message, status, -1, NULL, server_message, NULL);
}

gboolean
ct_n8n_decode_response (const char  *data,
                        gsize        length,
                        guint        http_status,
                        const char  *content_type,
                        JsonNode   **result,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *server_message = NULL;
  g_autofree char *message = NULL;
  CtOdooError code;

  g_return_val_if_fail (result != NULL, FALSE);
  *result = NULL;

  if (http_status >= 200 && http_status < 300)
    {
      if (ct_odoo_wire_looks_like_html (content_type, data, length))
        {
          g_propagate_error (error, ct_odoo_wire_error_for_status (http_status, content_type,
                                                                   data, length, "n8n"));
          return FALSE;
        }
      root = ct_odoo_wire_parse_json (data, length, "n8n", error);
      if (root == NULL)
        return FALSE;
      *result = g_steal_pointer (&root);
      return TRUE;
    }

  if (!ct_odoo_wire_looks_like_html (content_type, data, length))
    root = ct_odoo_wire_parse_json (data, length, "n8n", &parse_error);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    server_message = json_object_get_string_member_with_default (json_node_get_object (root),
                                                                 "message", NULL);
  if (server_message == NULL)
    {
      g_propagate_error (error, ct_odoo_wire_error_for_status (http_status, content_type,
                                                               data, length, "n8n"));
      return FALSE;
    }

  switch (http_status)
    {
    case 401:
      code = CT_ODOO_ERROR_AUTH;
      message = g_strdup (_("n8n did not accept the API key; "
                            "it may be wrong, expired or revoked."));
      break;
    case 403:
      code = CT_ODOO_ERROR_ACCESS;
      message = g_strdup_printf (_("The n8n API key may not do this: %s"), server_message);
      break;
    case 404:
      code = CT_ODOO_ERROR_NOT_FOUND;
      message = g_strdup_printf (_("n8n does not know it: %s"), server_message);
      break;
    case 400:
    case 409:
    case 422:
      code = CT_ODOO_ERROR_PROTOCOL;
      message = g_strdup_printf (_("n8n refused the request: %s"), server_message);
      break;
    default:
      code = http_status >= 500 ? CT_ODOO_ERROR_SERVER : CT_ODOO_ERROR_PROTOCOL;
      if (code == CT_ODOO_ERROR_SERVER)
        message = ct_odoo_error_message_for_status ("n8n", http_status, server_message);
      else
        message = g_strdup_printf (_("n8n ran into an error (HTTP %u)."), http_status);
      break;
    }
  g_propagate_error (error, n8n_error (code, message, http_status, server_message));
  return FALSE;
}

/* n8n sends ids as strings in lists and as numbers in some answers
 * (retryOf, delete): both become text. */
static char *
dup_id (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        double value = json_node_get_double (node);

        if (value >= 0 && value < 9e15 && value == (double) (gint64) value)
          return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);
        return NULL;
      }
    default:
      return NULL;
    }
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_bool (JsonObject *object,
          const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static GDateTime *
get_date (JsonObject *object,
          const char *name)
{
  const char *text = get_string (object, name);

  return text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static GError *
shape_error (const char *what)
{
  return n8n_error (CT_ODOO_ERROR_PROTOCOL, _("n8n sent an answer of an unexpected shape."),
                    200, what);
}

/* The failing node: the error names it (HTTP nodes), else the last node that
 * ran; its own error is in its last run in runData. */
static void
read_failure (CtN8nExecution *execution,
              JsonObject     *result_data)
{
  JsonObject *error = get_object (result_data, "error");
  JsonObject *node = get_object (error, "node");
  JsonObject *run_data = get_object (result_data, "runData");
  const char *node_name = get_string (node, "name");
  JsonNode *runs;

  if (error != NULL)
    {
      execution->error_message = g_strdup (get_string (error, "message"));
      execution->error_stack = g_strdup (get_string (error, "stack"));
    }
  if (node_name == NULL)
    node_name = get_string (result_data, "lastNodeExecuted");
  if (error == NULL)
    return;
  execution->error_node = g_strdup (node_name);

  runs = node_name && run_data ? json_object_get_member (run_data, node_name) : NULL;
  if (runs != NULL && JSON_NODE_HOLDS_ARRAY (runs) &&
      json_array_get_length (json_node_get_array (runs)) > 0)
    {
      JsonArray *list = json_node_get_array (runs);
      JsonNode *last = json_array_get_element (list, json_array_get_length (list) - 1);
      JsonObject *run_error = JSON_NODE_HOLDS_OBJECT (last)
                            ? get_object (json_node_get_object (last), "error") : NULL;
      const char *text = get_string (run_error, "message");

      if (text != NULL && g_strcmp0 (text, execution->error_message) != 0)
        execution->node_error = g_strdup (text);
      else if (text != NULL && execution->error_message == NULL)
        execution->error_message = g_strdup (text);
    }
}

CtN8nExecution *
ct_n8n_execution_from_json (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(CtN8nExecution) execution = NULL;
  JsonObject *object;
  JsonObject *data;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, shape_error ("execution is not an object"));
      return NULL;
    }
  object = json_node_get_object (node);
  execution = g_new0 (CtN8nExecution, 1);
  execution->id = dup_id (object, "id");
  if (execution->id == NULL)
    {
      g_propagate_error (error, shape_error ("execution without id"));
      return NULL;
    }
  execution->workflow_id = dup_id (object, "workflowId");
  execution->status = g_strdup (get_string (object, "status"));
  execution->mode = g_strdup (get_string (object, "mode"));
  execution->finished = get_bool (object, "finished");
  execution->started_at = get_date (object, "startedAt");
  execution->stopped_at = get_date (object, "stoppedAt");
  execution->wait_till = get_date (object, "waitTill");
  execution->retry_of = dup_id (object, "retryOf");
  execution->retry_success_id = dup_id (object, "retrySuccessId");

  data = get_object (object, "data");
  if (data != NULL)
    {
      JsonObject *result_data = get_object (data, "resultData");

      if (result_data != NULL)
        read_failure (execution, result_data);
    }
  return g_steal_pointer (&execution);
}

CtN8nWorkflow *
ct_n8n_workflow_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(CtN8nWorkflow) workflow = NULL;
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, shape_error ("workflow is not an object"));
      return NULL;
    }
  object = json_node_get_object (node);
  workflow = g_new0 (CtN8nWorkflow, 1);
  workflow->id = dup_id (object, "id");
  if (workflow->id == NULL)
    {
      g_propagate_error (error, shape_error ("workflow without id"));
      return NULL;
    }
  workflow->name = g_strdup (get_string (object, "name"));
  workflow->active = get_bool (object, "active");
  workflow->archived = get_bool (object, "isArchived");
  workflow->error_workflow = g_strdup (get_string (get_object (object, "settings"),
                                                   "errorWorkflow"));
  return g_steal_pointer (&workflow);
}

typedef gpointer (*ItemParser) (JsonNode *node, GError **error);

static GPtrArray *
items_from_page (JsonNode        *node,
                 char           **next_cursor,
                 ItemParser       parse,
                 GDestroyNotify   free_item,
                 GError         **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_item);
  JsonObject *object;
  JsonNode *data;
  JsonNode *cursor;
  JsonArray *list;

  if (next_cursor)
    *next_cursor = NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, shape_error ("page is not an object"));
      return NULL;
    }
  object = json_node_get_object (node);
  data = json_object_get_member (object, "data");
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      g_propagate_error (error, shape_error ("page without data"));
      return NULL;
    }
  list = json_node_get_array (data);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      gpointer item = parse (json_array_get_element (list, i), error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }
  cursor = json_object_get_member (object, "nextCursor");
  if (cursor != NULL && !JSON_NODE_HOLDS_NULL (cursor))
    {
      if (!JSON_NODE_HOLDS_VALUE (cursor) || json_node_get_value_type (cursor) != G_TYPE_STRING)
        {
          g_propagate_error (error, shape_error ("nextCursor is not text"));
          return NULL;
        }
      if (next_cursor && *json_node_get_string (cursor) != '\0')
        *next_cursor = g_strdup (json_node_get_string (cursor));
    }
  return g_steal_pointer (&items);
}

GPtrArray *
ct_n8n_executions_from_page (JsonNode  *node,
                             char     **next_cursor,
                             GError   **error)
{
  return items_from_page (node, next_cursor, (ItemParser) ct_n8n_execution_from_json,
                          (GDestroyNotify) ct_n8n_execution_free, error);
}

GPtrArray *
ct_n8n_workflows_from_page (JsonNode  *node,
                            char     **next_cursor,
                            GError   **error)
{
  return items_from_page (node, next_cursor, (ItemParser) ct_n8n_workflow_from_json,
                          (GDestroyNotify) ct_n8n_workflow_free, error);
}

/* ---- the client ------------------------------------------------------- */

static void
ct_n8n_client_finalize (GObject *object)
{
  CtN8nClient *self = CT_N8N_CLIENT (object);

  g_clear_object (&self->http);
  g_clear_object (&self->retry_http);
  g_free (self->url);
  if (self->api_key != NULL)
    explicit_bzero (self->api_key, strlen (self->api_key));
  g_free (self->api_key);
  G_OBJECT_CLASS (ct_n8n_client_parent_class)->finalize (object);
}

static void
ct_n8n_client_class_init (CtN8nClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_n8n_client_finalize;
}

static void
ct_n8n_client_init (CtN8nClient *self)
{
  self->http = ct_http_new ("n8n");
  self->retry_http = ct_http_new ("n8n");
  ct_http_set_timeouts (self->retry_http, CT_HTTP_DEFAULT_CONNECT_TIMEOUT_MS, 0);
}

CtN8nClient *
ct_n8n_client_new (const char  *url,
                   const char  *api_key,
                   gboolean     allow_insecure_http,
                   GError     **error)
{
  g_autofree char *normalized = NULL;
  CtN8nClient *self;

  normalized = ct_connection_normalize_url (url, allow_insecure_http, error);
  if (normalized == NULL)
    return NULL;
  self = g_object_new (CT_TYPE_N8N_CLIENT, NULL);
  self->url = g_steal_pointer (&normalized);
  self->api_key = g_strdup (api_key ? api_key : "");
  return self;
}

CtHttp *
ct_n8n_client_get_http (CtN8nClient *self)
{
  return self->http;
}

void
ct_n8n_client_set_timeouts (CtN8nClient *self,
                            guint        connect_ms,
                            guint        call_ms)
{
  ct_http_set_timeouts (self->http, connect_ms, call_ms);
  ct_http_set_timeouts (self->retry_http, connect_ms, 0);
}

void
ct_n8n_client_set_pinned_certificate (CtN8nClient *self,
                                      const char  *sha256)
{
  ct_http_set_pinned_certificate (self->http, sha256);
  ct_http_set_pinned_certificate (self->retry_http, sha256);
}

static void
on_n8n_response (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CtHttpResponse) response = NULL;
  GError *error = NULL;
  JsonNode *node = NULL;
  gsize length;
  const char *bytes;

  response = ct_http_send_finish (CT_HTTP (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  bytes = g_bytes_get_data (response->body, &length);
  if (!ct_n8n_decode_response (bytes, length, response->status, response->content_type,
                               &node, &error))
    {
      const CtOdooErrorDetails *details = ct_odoo_error_get_details (error);

      /* What the user asked for cannot be done: say it in n8n's words. */
      if (g_task_get_source_tag (task) == ct_n8n_client_retry_async && details != NULL)
        {
          if ((details->http_status == 400 || details->http_status == 409) &&
              details->server_message != NULL)
            {
              error->code = CT_ODOO_ERROR_USER;
              g_free (error->message);
              error->message = g_strdup (details->server_message);
            }
          else if (details->http_status == 405 ||
                   (details->http_status == 404 &&
                    (details->server_message == NULL ||
                     g_ascii_strcasecmp (details->server_message, "not found") == 0 ||
                     g_str_has_prefix (details->server_message, "<"))))
            {
              /* No such route (older n8n): the execution itself was not
               * looked at, so this is not "the execution does not exist". */
              error->code = CT_ODOO_ERROR_NOT_SUPPORTED;
              g_free (error->message);
              error->message =
                g_strdup (_("This n8n version cannot retry executions through its API."));
            }
        }
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
n8n_request (CtN8nClient         *self,
             CtHttp              *http,
             const char          *method,
             const char          *path_and_query,
             JsonNode            *body,
             const char          *label,
             guint                attempts,
             GTask               *task)
{
  g_autofree char *uri = g_strconcat (self->url, path_and_query, NULL);
  const char *headers[] = { "X-N8N-API-KEY", self->api_key, NULL };
  g_autoptr(GBytes) bytes = NULL;

  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize length;
      char *text;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &length);
      bytes = g_bytes_new_take (text, length);
    }
  ct_http_send_async (http, method, uri, headers, bytes, label, attempts,
                      g_task_get_cancellable (task), on_n8n_response, task);
}

static char *
escape_id (const char *id)
{
  return g_uri_escape_string (id ? id : "", NULL, FALSE);
}

/* list executions */

typedef struct
{
  char      *status;
  char      *workflow_id;
  gboolean   include_data;
  guint      limit;
  guint      max_items;
  char      *cursor;
  GPtrArray *items;
} ListData;

static void
list_data_free (ListData *data)
{
  g_free (data->status);
  g_free (data->workflow_id);
  g_free (data->cursor);
  g_ptr_array_unref (data->items);
  g_free (data);
}

static void list_page (GTask *task);

static void
on_list_page (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = G_TASK (result);
  GTask *outer = user_data;
  ListData *data = g_task_get_task_data (outer);
  GError *error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *cursor = NULL;
  gboolean workflows = g_task_get_source_tag (outer) == ct_n8n_client_list_workflows_async;

  node = g_task_propagate_pointer (task, &error);
  if (node == NULL)
    {
      if (error == NULL)
        error = shape_error ("empty page");
      g_task_return_error (outer, error);
      g_object_unref (outer);
      return;
    }
  items = workflows ? ct_n8n_workflows_from_page (node, &cursor, &error)
                    : ct_n8n_executions_from_page (node, &cursor, &error);
  if (items == NULL)
    {
      g_task_return_error (outer, error);
      g_object_unref (outer);
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      if (data->max_items > 0 && data->items->len >= data->max_items)
        break;
      g_ptr_array_add (data->items, g_steal_pointer (&items->pdata[i]));
    }
  g_free (data->cursor);
  data->cursor = g_steal_pointer (&cursor);
  if (data->cursor == NULL || items->len == 0 ||
      (data->max_items > 0 && data->items->len >= data->max_items))
    {
      g_task_return_pointer (outer, g_ptr_array_ref (data->items),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (outer);
      return;
    }
  list_page (outer);
}

static void
list_page (GTask *outer)
{
  CtN8nClient *self = g_task_get_source_object (outer);
  ListData *data = g_task_get_task_data (outer);
  gboolean workflows = g_task_get_source_tag (outer) == ct_n8n_client_list_workflows_async;
  g_autoptr(GString) path = g_string_new (workflows ? "/api/v1/workflows" : "/api/v1/executions");
  GTask *inner = g_task_new (self, g_task_get_cancellable (outer), on_list_page, outer);
  char sep = '?';

#define ADD_PARAM(name, value) \
  G_STMT_START { \
    g_autofree char *escaped = g_uri_escape_string ((value), NULL, FALSE); \
    g_string_append_printf (path, "%c%s=%s", sep, (name), escaped); \
    sep = '&'; \
  } G_STMT_END

  /* The cursor does not carry the filters: send them on every page. */
  if (data->status != NULL)
    ADD_PARAM ("status", data->status);
  if (data->workflow_id != NULL)
    ADD_PARAM ("workflowId", data->workflow_id);
  if (workflows && data->include_data)
    ADD_PARAM ("active", "true");
  if (!workflows && data->include_data)
    ADD_PARAM ("includeData", "true");
  if (data->limit > 0)
    {
      g_autofree char *limit = g_strdup_printf ("%u", data->limit);
      ADD_PARAM ("limit", limit);
    }
  if (data->cursor != NULL)
    ADD_PARAM ("cursor", data->cursor);
#undef ADD_PARAM

  n8n_request (self, self->http, "GET", path->str, NULL,
               workflows ? "workflows.list" : "executions.list", 3, inner);
}

void
ct_n8n_client_list_executions_async (CtN8nClient               *self,
                                     const CtN8nExecutionQuery *query,
                                     GCancellable              *cancellable,
                                     GAsyncReadyCallback        callback,
                                     gpointer                   user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListData *data = g_new0 (ListData, 1);

  g_task_set_source_tag (task, ct_n8n_client_list_executions_async);
  if (query != NULL)
    {
      data->status = g_strdup (query->status);
      data->workflow_id = g_strdup (query->workflow_id);
      data->include_data = query->include_data;
      data->limit = MIN (query->limit, 250u);
      data->max_items = query->max_items;
    }
  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_n8n_execution_free);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);
  list_page (task);
}

GPtrArray *
ct_n8n_client_list_executions_finish (CtN8nClient   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ct_n8n_client_list_workflows_async (CtN8nClient         *self,
                                    gboolean             active_only,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListData *data = g_new0 (ListData, 1);

  g_task_set_source_tag (task, ct_n8n_client_list_workflows_async);
  data->include_data = active_only;   /* for workflows: the active filter */
  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_n8n_workflow_free);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);
  list_page (task);
}

GPtrArray *
ct_n8n_client_list_workflows_finish (CtN8nClient   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* one execution, retry */

static void
on_execution (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = G_TASK (result);
  GTask *outer = user_data;
  GError *error = NULL;
  g_autoptr(JsonNode) node = NULL;
  CtN8nExecution *execution;

  node = g_task_propagate_pointer (task, &error);
  if (node == NULL)
    {
      g_task_return_error (outer, error ? error : shape_error ("empty answer"));
      g_object_unref (outer);
      return;
    }
  execution = ct_n8n_execution_from_json (node, &error);
  if (execution == NULL)
    g_task_return_error (outer, error);
  else
    g_task_return_pointer (outer, execution, (GDestroyNotify) ct_n8n_execution_free);
  g_object_unref (outer);
}

void
ct_n8n_client_get_execution_async (CtN8nClient         *self,
                                   const char          *id,
                                   gboolean             include_data,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GTask *inner = g_task_new (self, cancellable, on_execution, task);
  g_autofree char *escaped = escape_id (id);
  g_autofree char *path = g_strdup_printf ("/api/v1/executions/%s%s", escaped,
                                           include_data ? "?includeData=true" : "");

  g_task_set_source_tag (task, ct_n8n_client_get_execution_async);
  g_task_set_source_tag (inner, ct_n8n_client_get_execution_async);
  n8n_request (self, self->http, "GET", path, NULL, "executions.get", 3, inner);
}

CtN8nExecution *
ct_n8n_client_get_execution_finish (CtN8nClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ct_n8n_client_retry_async (CtN8nClient         *self,
                           const char          *id,
                           gboolean             load_workflow,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GTask *inner = g_task_new (self, cancellable, on_execution, task);
  g_autofree char *escaped = escape_id (id);
  g_autofree char *path = g_strdup_printf ("/api/v1/executions/%s/retry", escaped);
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object = json_object_new ();

  g_task_set_source_tag (task, ct_n8n_client_retry_async);
  /* on_n8n_response maps the retry's own refusals by this tag */
  g_task_set_source_tag (inner, ct_n8n_client_retry_async);
  json_object_set_boolean_member (object, "loadWorkflow", load_workflow);
  body = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  /* Never retried by us: it starts a run. */
  n8n_request (self, self->retry_http, "POST", path, body, "executions.retry", 1, inner);
}

CtN8nExecution *
ct_n8n_client_retry_finish (CtN8nClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
