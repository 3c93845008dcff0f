/* ct-source-incidents.c - Stalled integrations: n8n executions, Odoo crons and queue jobs
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-incident.h"
#include "ct-source.h"

/* Two sides, one type: the n8n side (its own server, so it fails on its
 * own) and the Odoo side (ir.cron, plus OCA queue.job where installed).
 * Both read their whole current state each time: incidents are few and
 * have no write_date cursor in n8n.
 *
 * n8n: lists leave out customData, which says which case a run holds up,
 * so each failed run is read once by id with includeData and the part that
 * matters (no run data) is kept. Real n8n may leave new waiting executions
 * out of lists: the ones seen running or waiting before are read by id. */

#define N8N_MAX_PER_STATUS 1000
#define N8N_MAX_DETAILS    25

G_DECLARE_FINAL_TYPE (CtSourceIncidents, ct_source_incidents, CT, SOURCE_INCIDENTS, CtSource)

struct _CtSourceIncidents
{
  CtSource     parent_instance;

  /* n8n side */
  CtN8nClient *n8n;
  char        *base_url;
  char        *api_key;
  GHashTable  *details;      /* execution id → JsonObject without "data" (finished runs) */
  GHashTable  *watched;      /* execution id → TRUE: seen running or waiting */

  /* Odoo side */
  int          has_queue_job;     /* -1 unknown */
  int          has_failure_count; /* -1 unknown */
};

G_DEFINE_FINAL_TYPE (CtSourceIncidents, ct_source_incidents, CT_TYPE_SOURCE)

/* n8n's "error" filter also lists crashed runs; "crashed" is no filter value. */
static const char *const n8n_statuses[] = { "error", "running", "waiting" };

typedef struct
{
  GHashTable    *executions;  /* id → JsonObject, as listed or read */
  GHashTable    *workflows;   /* id → name */
  guint          status;      /* index in n8n_statuses */
  char          *next_cursor;
  guint          listed;      /* for this status */
  GPtrArray     *to_read;     /* ids to read one by one: (char *, gboolean with data) */
  guint          next_read;
  GPtrArray     *cases;
  char          *key;
} Fetch;

typedef struct
{
  char     *id;
  gboolean  with_data;
} ReadItem;

static void
read_item_free (ReadItem *item)
{
  g_free (item->id);
  g_free (item);
}

static void
fetch_free (Fetch *f)
{
  g_clear_pointer (&f->executions, g_hash_table_unref);
  g_clear_pointer (&f->workflows, g_hash_table_unref);
  g_free (f->next_cursor);
  g_clear_pointer (&f->to_read, g_ptr_array_unref);
  g_clear_pointer (&f->cases, g_ptr_array_unref);
  g_free (f->key);
  g_free (f);
}

static Fetch *
fetch_new (const char *key)
{
  Fetch *f = g_new0 (Fetch, 1);

  f->executions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)json_object_unref);
  f->workflows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->to_read = g_ptr_array_new_with_free_func ((GDestroyNotify)read_item_free);
  f->cases = g_ptr_array_new_with_free_func (g_object_unref);
  f->key = g_strdup (key);
  return f;
}

static void
fail (GTask  *task,
      GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
return_cases (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  CtSourceBatch *batch = g_new0 (CtSourceBatch, 1);

  batch->gone = g_ptr_array_new_with_free_func (g_free);
  if (f->key != NULL)
    {
      /* One incident's detail: keep only that key. */
      batch->cases = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < f->cases->len; i++)
        if (g_strcmp0 (((CtCase *)f->cases->pdata[i])->key, f->key) == 0)
          g_ptr_array_add (batch->cases, g_object_ref (f->cases->pdata[i]));
      if (batch->cases->len == 0)
        g_ptr_array_add (batch->gone, g_strdup (f->key));
    }
  else
    {
      batch->cases = g_steal_pointer (&f->cases);
      batch->complete = TRUE;
    }
  g_task_return_pointer (task, batch, (GDestroyNotify)ct_source_batch_free);
  g_object_unref (task);
}

static char *
id_string (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "id");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

/* ---- n8n ---- */

static void n8n_list_next (GTask *task);
static void n8n_read_next (GTask *task);

/* ct_incident_from_n8n_execution() reads customData's "caseKey" or
 * "model" with "recordId"/"res_id". Workflows that call Odoo often name
 * the record "odoo_model" with "odoo_id" (ct-sim's generated runs do):
 * read those too. n8n keeps customData values as strings. */
static void
link_custom_data (CtCase     *c,
                  JsonObject *execution)
{
  JsonNode *node = json_object_get_member (execution, "customData");
  JsonObject *custom;
  const char *model, *id_text;
  gint64 id;
  char *end = NULL;

  if (c->linked_keys != NULL && c->linked_keys->len > 0)
    return;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  custom = json_node_get_object (node);
  model = ct_source_get_string (custom, "odoo_model");
  id_text = ct_source_get_string (custom, "odoo_id");
  if (model == NULL || *model == '\0' || id_text == NULL)
    return;
  id = g_ascii_strtoll (id_text, &end, 10);
  if (end != id_text && *end == '\0' && id > 0)
    {
      g_autofree char *key = ct_case_make_key (model, id);

      ct_case_add_linked_key (c, key);
    }
}

static void
n8n_build (GTask *task)
{
  CtSourceIncidents *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  CtProfile *profile = ct_source_get_profile (CT_SOURCE (self));
  const CtIncidentThresholds *thresholds = ct_profile_get_incident_thresholds (profile);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_remove_all (self->watched);
  g_hash_table_iter_init (&iter, f->executions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *execution = g_hash_table_lookup (self->details, key);
      const char *status = ct_source_get_string (value, "status");
      const char *workflow;
      CtCase *c;
      const char *field = NULL;
      CtRowProblem problem;

      if (execution == NULL)
        execution = value;
      problem = ct_incident_check_n8n_execution (execution, &field);
      ct_source_count_unreadable (CT_SOURCE (self), problem, field);
      if (problem != CT_ROW_READABLE)
        continue;
      if (g_strcmp0 (status, "running") == 0 || g_strcmp0 (status, "waiting") == 0 ||
          g_strcmp0 (status, "new") == 0)
        g_hash_table_add (self->watched, g_strdup (key));
      workflow = g_hash_table_lookup (f->workflows,
                                      ct_source_get_string (execution, "workflowId") ?: "");
      c = ct_incident_from_n8n_execution (execution, workflow, thresholds, now);
      if (c != NULL)
        {
          link_custom_data (c, execution);
          ct_case_update_search_text (c);
          g_ptr_array_add (f->cases, c);
        }
    }
  return_cases (task);
}

static void
n8n_read_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  CtSourceIncidents *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  ReadItem *item = f->to_read->pdata[f->next_read - 1];
  g_autoptr(GError) error = NULL;
  g_autoptr(CtHttpResponse) response = ct_http_send_finish (CT_HTTP (object), result, &error);
  g_autoptr(JsonNode) node = NULL;
  gconstpointer data;
  gsize size = 0;

  if (response == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  data = g_bytes_get_data (response->body, &size);
  if (!ct_n8n_decode_response (data, size, response->status, response->content_type, &node,
                               &error))
    {
      /* A run deleted since it was listed or watched is simply gone. */
      if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND))
        {
          g_hash_table_remove (f->executions, item->id);
          n8n_read_next (task);
          return;
        }
      fail (task, g_steal_pointer (&error));
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *execution = json_node_get_object (node);
      const char *status = ct_source_get_string (execution, "status");

      if (item->with_data &&
          (g_strcmp0 (status, "error") == 0 || g_strcmp0 (status, "crashed") == 0))
        {
          JsonObject *kept = json_object_new ();
          GList *members = json_object_get_members (execution);

          /* Keep what says what failed and what it holds up, not the
           * run data, which may be megabytes. */
          for (GList *l = members; l != NULL; l = l->next)
            if (strcmp (l->data, "data") != 0)
              json_object_set_member (kept, l->data,
                                      json_node_copy (json_object_get_member (execution, l->data)));
          g_list_free (members);
          if (json_object_has_member (execution, "data"))
            {
              /* The error message, for the details: data.resultData.error.message */
              JsonNode *d = json_object_get_member (execution, "data");

              if (JSON_NODE_HOLDS_OBJECT (d))
                {
                  JsonObject *rd = json_object_get_object_member (json_node_get_object (d),
                                                                  "resultData");
                  JsonNode *err = rd ? json_object_get_member (rd, "error") : NULL;

                  if (err != NULL && JSON_NODE_HOLDS_OBJECT (err))
                    {
                      JsonObject *data_obj = json_object_new ();
                      JsonObject *result_data = json_object_new ();

                      json_object_set_member (result_data, "error", json_node_copy (err));
                      json_object_set_object_member (data_obj, "resultData", result_data);
                      json_object_set_object_member (kept, "data", data_obj);
                    }
                }
            }
          g_hash_table_replace (self->details, g_strdup (item->id), kept);
        }
      g_hash_table_replace (f->executions, g_strdup (item->id), json_object_ref (execution));
    }
  n8n_read_next (task);
}

static char *
n8n_uri (CtSourceIncidents *self,
         const char        *path_and_query)
{
  const char *base = self->base_url;
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    len--;
  return g_strdup_printf ("%.*s%s", (int)len, base, path_and_query);
}

static void
n8n_send (GTask               *task,
          const char          *path_and_query,
          const char          *label,
          GAsyncReadyCallback  callback)
{
  CtSourceIncidents *self = g_task_get_source_object (task);
  g_autofree char *uri = n8n_uri (self, path_and_query);
  const char *headers[] = { "X-N8N-API-KEY", self->api_key, "Accept", "application/json", NULL };

  ct_http_send_async (ct_n8n_client_get_http (self->n8n), "GET", uri, headers, NULL, label, 3,
                      g_task_get_cancellable (task), callback, task);
}

static void
n8n_read_next (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  ReadItem *item;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (f->next_read >= f->to_read->len)
    {
      n8n_build (task);
      return;
    }
  item = f->to_read->pdata[f->next_read++];
  escaped = g_uri_escape_string (item->id, NULL, FALSE);
  path = g_strdup_printf ("/api/v1/executions/%s%s", escaped,
                          item->with_data ? "?includeData=true" : "");
  n8n_send (task, path, "n8n.executions.get", n8n_read_done);
}

static void
n8n_plan_reads (GTask *task)
{
  CtSourceIncidents *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  GHashTableIter iter;
  gpointer key, value;
  guint details = 0;

  /* Watched runs the lists did not show any more: read them by id. */
  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (f->executions, key))
      {
        ReadItem *item = g_new0 (ReadItem, 1);

        item->id = g_strdup (key);
        g_ptr_array_add (f->to_read, item);
      }
  /* Failed runs not read in detail yet: their customData links the case. */
  g_hash_table_iter_init (&iter, f->executions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *status = ct_source_get_string (value, "status");

      if ((g_strcmp0 (status, "error") == 0 || g_strcmp0 (status, "crashed") == 0) &&
          !g_hash_table_contains (self->details, key) && details < N8N_MAX_DETAILS)
        {
          ReadItem *item = g_new0 (ReadItem, 1);

          item->id = g_strdup (key);
          item->with_data = TRUE;
          g_ptr_array_add (f->to_read, item);
          details++;
        }
    }
  /* Forget details of runs that left the lists (deleted, pruned). */
  g_hash_table_iter_init (&iter, self->details);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (f->executions, key))
      g_hash_table_iter_remove (&iter);
  n8n_read_next (task);
}

static void
n8n_list_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtHttpResponse) response = ct_http_send_finish (CT_HTTP (object), result, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JsonArray *data;
  gconstpointer body;
  gsize size = 0;

  if (response == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  body = g_bytes_get_data (response->body, &size);
  if (!ct_n8n_decode_response (body, size, response->status, response->content_type, &node,
                               &error))
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  g_clear_pointer (&f->next_cursor, g_free);
  /* Checks the page's shape (and gives the cursor) the client's way. */
  items = ct_n8n_executions_from_page (node, &f->next_cursor, &error);
  if (items == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  data = json_object_get_array_member (json_node_get_object (node), "data");
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonNode *item = json_array_get_element (data, i);
      char *id;

      if (!JSON_NODE_HOLDS_OBJECT (item) ||
          (id = id_string (json_node_get_object (item))) == NULL)
        {
          ct_source_count_unreadable (CT_SOURCE (g_task_get_source_object (task)),
                                      CT_ROW_WRONG_TYPE, "id");
          continue;
        }
      g_hash_table_replace (f->executions, id, json_object_ref (json_node_get_object (item)));
      f->listed++;
    }
  if (f->next_cursor == NULL || *f->next_cursor == '\0' || f->listed >= N8N_MAX_PER_STATUS)
    {
      g_clear_pointer (&f->next_cursor, g_free);
      f->status++;
      f->listed = 0;
    }
  n8n_list_next (task);
}

static void
n8n_list_next (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  g_autofree char *cursor = NULL;

  if (f->status >= G_N_ELEMENTS (n8n_statuses))
    {
      n8n_plan_reads (task);
      return;
    }
  /* The cursor does not carry the filter: send it again on every page. */
  if (f->next_cursor != NULL)
    cursor = g_uri_escape_string (f->next_cursor, NULL, FALSE);
  path = g_strdup_printf ("/api/v1/executions?status=%s&limit=250%s%s", n8n_statuses[f->status],
                          cursor ? "&cursor=" : "", cursor ? cursor : "");
  n8n_send (task, path, "n8n.executions.list", n8n_list_done);
}

static void
n8n_workflows_done (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) workflows = ct_n8n_client_list_workflows_finish (CT_N8N_CLIENT (object),
                                                                         result, &error);

  if (workflows == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < workflows->len; i++)
    {
      CtN8nWorkflow *w = workflows->pdata[i];

      if (w->id != NULL)
        g_hash_table_replace (f->workflows, g_strdup (w->id), g_strdup (w->name));
    }
  n8n_list_next (task);
}

/* ---- Odoo: crons and queue jobs ---- */

static void odoo_jobs (GTask *task);

typedef CtCase *(*IncidentFromRow) (JsonObject                 *row,
                                    const CtIncidentThresholds *thresholds,
                                    gint64                      now);

/* Turns the rows of a search_read into incidents; FALSE after failing the
 * task. */
static gboolean
add_incidents (GTask           *task,
               GAsyncResult    *result,
               IncidentFromRow  from_row)
{
  CtSource *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (ct_source_get_client (self),
                                                                 result, &error);
  const CtIncidentThresholds *thresholds =
    ct_profile_get_incident_thresholds (ct_source_get_profile (self));
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (rows == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return FALSE;
    }
  ct_source_keep_readable (self, NULL, rows);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      CtCase *c = JSON_NODE_HOLDS_OBJECT (node)
                  ? from_row (json_node_get_object (node), thresholds, now) : NULL;

      if (c != NULL)
        {
          ct_case_update_search_text (c);
          g_ptr_array_add (f->cases, c);
        }
    }
  return TRUE;
}

static void
jobs_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;

  if (add_incidents (task, result, ct_incident_from_queue_job))
    return_cases (task);
}

static void
crons_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;

  if (add_incidents (task, result, ct_incident_from_cron))
    odoo_jobs (task);
}

static void
odoo_jobs (GTask *task)
{
  CtSourceIncidents *self = g_task_get_source_object (task);
  g_autoptr(JsonArray) domain = json_array_new ();
  g_autoptr(JsonArray) states = json_array_new ();
  static const char *const fields[] = { "id", "uuid", "name", "state", "model_name", "method_name",
                                        "func_string", "record_ids", "exc_name", "exc_message",
                                        "date_created", "date_enqueued", "date_started", NULL };

  if (self->has_queue_job != 1)
    {
      return_cases (task);
      return;
    }
  json_array_add_string_element (states, "failed");
  json_array_add_string_element (states, "started");
  ct_source_domain_add (domain, "state", "in", json_node_init_array (json_node_alloc (), states));
  ct_odoo_client_search_read_async (ct_source_get_client (CT_SOURCE (self)), "queue.job", domain,
                                    fields, "id", 2000, 500, g_task_get_cancellable (task),
                                    jobs_done, task);
}

static void
odoo_crons (GTask *task)
{
  CtSourceIncidents *self = g_task_get_source_object (task);
  g_autoptr(JsonArray) domain = json_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) fields = NULL;
  static const char *const base[] = { "id", "name", "cron_name", "active", "nextcall", "lastcall",
                                      "interval_number", "interval_type", NULL };

  g_strv_builder_addv (builder, (const char **)base);
  if (self->has_failure_count == 1)
    {
      g_strv_builder_add (builder, "failure_count");
      g_strv_builder_add (builder, "first_failure_date");
    }
  fields = g_strv_builder_end (builder);
  /* Deactivated crons too: one switched off after failures is an incident. */
  json_array_add_string_element (domain, "|");
  ct_source_domain_add (domain, "active", "=", json_node_init_boolean (json_node_alloc (), TRUE));
  ct_source_domain_add (domain, "active", "=", json_node_init_boolean (json_node_alloc (), FALSE));
  ct_odoo_client_search_read_async (ct_source_get_client (CT_SOURCE (self)), "ir.cron", domain,
                                    (const char * const *)fields, "id", 0, 500,
                                    g_task_get_cancellable (task), crons_done, task);
}

static void
cron_fields_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  CtSourceIncidents *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = ct_odoo_client_fields_get_finish (CT_ODOO_CLIENT (object), result,
                                                                   &error);

  if (fields == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  /* failure_count exists from 18.0 on. */
  self->has_failure_count = json_object_has_member (fields, "failure_count");
  odoo_crons (task);
}

static void
queue_model_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  CtSourceIncidents *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gint64 count = 0;

  /* A search_count tells both whether OCA queue_job is installed (404 when
   * not) and whether this user may read its jobs (403): ir.model, which
   * only administrators may read, is not asked. */
  if (!ct_odoo_client_search_count_finish (CT_ODOO_CLIENT (object), result, &count, &error))
    {
      if (!g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND) &&
          !g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_ACCESS))
        {
          fail (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("queue jobs left out: %s", error->message);
      self->has_queue_job = 0;
    }
  else
    self->has_queue_job = 1;
  if (self->has_failure_count < 0)
    ct_odoo_client_fields_get_async (CT_ODOO_CLIENT (object), "ir.cron",
                                     g_task_get_cancellable (task), cron_fields_done, task);
  else
    odoo_crons (task);
}

static void
ct_source_incidents_fetch_async (CtSource            *source,
                                 const char          *cursor,
                                 const char          *key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CtSourceIncidents *self = CT_SOURCE_INCIDENTS (source);
  GTask *task = g_task_new (source, cancellable, callback, user_data);
  Fetch *f = fetch_new (key);

  g_task_set_source_tag (task, ct_source_incidents_fetch_async);
  g_task_set_task_data (task, f, (GDestroyNotify)fetch_free);
  if (self->n8n != NULL)
    {
      ct_n8n_client_list_workflows_async (self->n8n, FALSE, g_task_get_cancellable (task),
                                          n8n_workflows_done, task);
      return;
    }
  if (self->has_queue_job < 0)
    {
      g_autoptr(JsonArray) domain = json_array_new ();

      ct_odoo_client_search_count_async (ct_source_get_client (source), "queue.job", domain,
                                         g_task_get_cancellable (task), queue_model_done, task);
      return;
    }
  odoo_crons (task);
}

static void
ct_source_incidents_finalize (GObject *object)
{
  CtSourceIncidents *self = CT_SOURCE_INCIDENTS (object);

  g_clear_object (&self->n8n);
  g_free (self->base_url);
  if (self->api_key != NULL)
    explicit_bzero (self->api_key, strlen (self->api_key));
  g_free (self->api_key);
  g_hash_table_unref (self->details);
  g_hash_table_unref (self->watched);
  G_OBJECT_CLASS (ct_source_incidents_parent_class)->finalize (object);
}

static void
ct_source_incidents_class_init (CtSourceIncidentsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_source_incidents_finalize;
  CT_SOURCE_CLASS (klass)->fetch_async = ct_source_incidents_fetch_async;
}

static void
ct_source_incidents_init (CtSourceIncidents *self)
{
  self->details = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)json_object_unref);
  self->watched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->has_queue_job = -1;
  self->has_failure_count = -1;
}

CtSource *
ct_source_odoo_incidents_new (CtOdooClient *client,
                              CtProfile    *profile)
{
  CtSource *self = g_object_new (ct_source_incidents_get_type (), NULL);
  static const char *const models[] = { "ir.cron", NULL };

  ct_source_setup (self, CT_SOURCE_KIND_CRON, client, NULL, profile, models);
  return self;
}

CtSource *
ct_source_n8n_incidents_new (CtN8nClient *client,
                             const char  *api_key,
                             const char  *base_url,
                             CtProfile   *profile)
{
  CtSourceIncidents *self = g_object_new (ct_source_incidents_get_type (), NULL);

  self->n8n = g_object_ref (client);
  self->api_key = g_strdup (api_key);
  self->base_url = g_strdup (base_url);
  ct_source_setup (CT_SOURCE (self), CT_SOURCE_KIND_N8N, NULL, ct_n8n_client_get_http (client),
                   profile, NULL);
  return CT_SOURCE (self);
}
