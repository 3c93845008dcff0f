/* ct-source-incidents.c - Stalled integrations: n8n executions, Odoo crons and queue jobs
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-incident.h"
#include "ct-model-probe.h"
#include "ct-source.h"

/* Two sides, one type: the n8n side (its own server, so it fails on its
 * own) and the Odoo side (ir.cron, plus OCA queue.job where installed).
 * Both read their whole current state each time: incidents are few and
 * have no write_date cursor in n8n.
 *
 * n8n: lists leave out customData, which says which case a run holds up,
 * and the error n8n recorded, unless asked with includeData: the first
 * fetch lists failed runs with it, page by page, all of them, and later
 * fetches read only new failed runs by id, all at once; the part that
 * matters (no run data) is kept. A finished run changes only its
 * retrySuccessId, which the lists without data bring. The runs become
 * incidents as n8n means them (ct_incidents_from_n8n_executions): retries
 * that succeeded resolve, retry chains and workflows group. Real n8n may
 * leave new waiting executions out of lists: the ones seen running or
 * waiting before are read by id. */


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

  gboolean     listed_once;  /* failed runs were listed with their data once */

  /* Odoo side: one source reads the crons, another the queue jobs (not
   * the same users may read them) */
  int          has_failure_count; /* -1 unknown */
};

G_DEFINE_FINAL_TYPE (CtSourceIncidents, ct_source_incidents, CT_TYPE_SOURCE)

/* n8n's "error" filter also lists crashed runs; "crashed" is no filter value. */
static const char *const n8n_statuses[] = { "error", "running", "waiting" };

typedef struct
{
  GHashTable    *executions;  /* id → JsonObject, as listed or read */
  GHashTable    *workflows;   /* id → name */
  GPtrArray     *cases;
  char          *key;
  guint          pending;     /* reads of the current phase not back yet */
  GError        *error;       /* (nullable) the phase's first failure */
  void         (*then) (GTask *task);
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_clear_pointer (&f->executions, g_hash_table_unref);
  g_clear_pointer (&f->workflows, g_hash_table_unref);
  g_clear_error (&f->error);
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
  f->cases = g_ptr_array_new_with_free_func (g_object_unref);
  f->key = g_strdup (key);
  return f;
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
  /* The phase that ends here holds the task's reference. */
  g_task_return_pointer (task, batch, (GDestroyNotify)ct_source_batch_free);
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

/* The reads of one fetch go out together and each phase waits for all of
 * them: the workflows and every status's list (page by page, all of
 * them), then the runs that need reading by id, all at once. The first
 * failure fails the fetch once every read of the phase is back. */
typedef void (*PhaseFunc) (GTask *task);

static void
phase_begin (GTask     *task,
             PhaseFunc  then)
{
  Fetch *f = g_task_get_task_data (task);

  f->pending = 1;   /* held until the phase's reads are all out */
  f->then = then;
}

static GTask *
phase_ref (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);

  f->pending++;
  return g_object_ref (task);
}

/* One read of the phase is back (@error owned, nullable); takes the
 * reference phase_ref gave. */
static void
phase_done (GTask  *task,
            GError *error)
{
  Fetch *f = g_task_get_task_data (task);

  if (error != NULL && f->error == NULL)
    f->error = error;
  else if (error != NULL)
    g_error_free (error);
  if (--f->pending == 0)
    {
      if (f->error != NULL)
        g_task_return_error (task, g_steal_pointer (&f->error));
      else
        f->then (task);
    }
  g_object_unref (task);
}

static void
n8n_keep_detail (CtSourceIncidents *self,
                 const char        *id,
                 JsonObject        *execution)
{
  JsonObject *kept = json_object_new ();
  GList *members = json_object_get_members (execution);
  JsonNode *d = json_object_get_member (execution, "data");

  /* Keep what says what failed and what it holds up, not the run data,
   * which may be megabytes. */
  for (GList *l = members; l != NULL; l = l->next)
    if (strcmp (l->data, "data") != 0 && strcmp (l->data, "workflowData") != 0)
      json_object_set_member (kept, l->data,
                              json_node_copy (json_object_get_member (execution, l->data)));
  g_list_free (members);
  /* What n8n recorded: data.resultData.error's message, description and
   * node name, and lastNodeExecuted (the failing node of a Code error). */
  if (d != NULL && JSON_NODE_HOLDS_OBJECT (d))
    {
      JsonObject *rd = json_object_get_object_member (json_node_get_object (d), "resultData");
      JsonNode *err = rd ? json_object_get_member (rd, "error") : NULL;
      JsonNode *last = rd ? json_object_get_member (rd, "lastNodeExecuted") : NULL;
      JsonObject *data_obj = json_object_new ();
      JsonObject *result_data = json_object_new ();

      if (err != NULL && JSON_NODE_HOLDS_OBJECT (err))
        {
          JsonObject *from = json_node_get_object (err);
          JsonObject *error = json_object_new ();
          JsonNode *node = json_object_get_member (from, "node");
          static const char *const keep[] = { "message", "description" };

          for (guint i = 0; i < G_N_ELEMENTS (keep); i++)
            if (json_object_has_member (from, keep[i]))
              json_object_set_member (error, keep[i],
                                      json_node_copy (json_object_get_member (from, keep[i])));
          if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
              json_object_has_member (json_node_get_object (node), "name"))
            {
              JsonObject *named = json_object_new ();

              json_object_set_member (named, "name",
                                      json_node_copy (json_object_get_member (
                                        json_node_get_object (node), "name")));
              json_object_set_object_member (error, "node", named);
            }
          json_object_set_object_member (result_data, "error", error);
        }
      if (last != NULL)
        json_object_set_member (result_data, "lastNodeExecuted", json_node_copy (last));
      json_object_set_object_member (data_obj, "resultData", result_data);
      json_object_set_object_member (kept, "data", data_obj);
    }
  g_hash_table_replace (self->details, g_strdup (id), kept);
}

static gboolean
is_failed (JsonObject *execution)
{
  const char *status = ct_source_get_string (execution, "status");

  return g_strcmp0 (status, "error") == 0 || g_strcmp0 (status, "crashed") == 0;
}

typedef struct
{
  GTask    *task;        /* (owned) */
  char     *id;          /* a run read by id */
  guint     status;      /* or a status list's index in n8n_statuses */
  gboolean  with_data;
  guint     wanted;      /* a list with data: the runs still wanted, 0 for all */
  char     *cursor;      /* (nullable) the list's next page */
} N8nCall;

static void
n8n_call_free (N8nCall *call)
{
  g_free (call->id);
  g_free (call->cursor);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (N8nCall, n8n_call_free)

static N8nCall *
n8n_call_new (GTask *task)
{
  N8nCall *call = g_new0 (N8nCall, 1);

  call->task = phase_ref (task);
  return call;
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
n8n_send (N8nCall             *call,
          const char          *path_and_query,
          const char          *label,
          GAsyncReadyCallback  callback)
{
  CtSourceIncidents *self = g_task_get_source_object (call->task);
  g_autofree char *uri = n8n_uri (self, path_and_query);
  const char *headers[] = { "X-N8N-API-KEY", self->api_key, "Accept", "application/json", NULL };

  ct_http_send_async (ct_n8n_client_get_http (self->n8n), "GET", uri, headers, NULL, label, 3,
                      g_task_get_cancellable (call->task), callback, call);
}

/* Decodes an n8n answer to a node, or says why not. */
static JsonNode *
n8n_answer (GObject       *object,
            GAsyncResult  *result,
            GError       **error)
{
  g_autoptr(CtHttpResponse) response = ct_http_send_finish (CT_HTTP (object), result, error);
  JsonNode *node = NULL;
  gconstpointer body;
  gsize size = 0;

  if (response == NULL)
    return NULL;
  body = g_bytes_get_data (response->body, &size);
  if (!ct_n8n_decode_response (body, size, response->status, response->content_type, &node,
                               error))
    return NULL;
  return node;
}

static void
n8n_build (GTask *task)
{
  CtSourceIncidents *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  CtProfile *profile = ct_source_get_profile (CT_SOURCE (self));
  const CtIncidentThresholds *thresholds = ct_profile_get_incident_thresholds (profile);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GPtrArray) readable = g_ptr_array_new ();
  g_autoptr(GPtrArray) cases = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_remove_all (self->watched);
  g_hash_table_iter_init (&iter, f->executions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *execution = g_hash_table_lookup (self->details, key);
      const char *status = ct_source_get_string (value, "status");
      const char *field = NULL;
      CtRowProblem problem;

      /* The list's entry says what may change (retrySuccessId); the detail
       * what n8n recorded when the run failed. */
      if (execution != NULL && value != execution)
        {
          JsonNode *success = json_object_get_member (value, "retrySuccessId");

          if (success != NULL)
            json_object_set_member (execution, "retrySuccessId", json_node_copy (success));
        }
      if (execution == NULL)
        execution = value;
      problem = ct_incident_check_n8n_execution (execution, &field);
      ct_source_count_unreadable (CT_SOURCE (self), problem, field);
      if (problem != CT_ROW_READABLE)
        continue;
      if (g_strcmp0 (status, "running") == 0 || g_strcmp0 (status, "waiting") == 0 ||
          g_strcmp0 (status, "new") == 0)
        g_hash_table_add (self->watched, g_strdup (key));
      g_ptr_array_add (readable, execution);
    }
  /* Retry chains and workflows, as n8n reports them. */
  cases = ct_incidents_from_n8n_executions (readable, f->workflows, thresholds, now);
  g_ptr_array_extend_and_steal (f->cases, g_steal_pointer (&cases));
  return_cases (task);
}

static void
n8n_read_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(N8nCall) call = user_data;
  CtSourceIncidents *self = g_task_get_source_object (call->task);
  Fetch *f = g_task_get_task_data (call->task);
  GError *error = NULL;
  g_autoptr(JsonNode) node = n8n_answer (object, result, &error);

  /* A run deleted since it was listed or watched is simply gone. */
  if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      g_hash_table_remove (f->executions, call->id);
    }
  else if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *execution = json_node_get_object (node);

      if (call->with_data && is_failed (execution))
        n8n_keep_detail (self, call->id, execution);
      g_hash_table_replace (f->executions, g_strdup (call->id), json_object_ref (execution));
    }
  phase_done (call->task, error);
}

static void
n8n_read (GTask      *task,
          const char *id,
          gboolean    with_data)
{
  N8nCall *call = n8n_call_new (task);
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/executions/%s%s", escaped,
                                           with_data ? "?includeData=true" : "");

  call->id = g_strdup (id);
  call->with_data = with_data;
  n8n_send (call, path, "n8n.executions.get", n8n_read_done);
}

static void n8n_list (GTask      *task,
                      guint       status,
                      gboolean    with_data,
                      guint       wanted,
                      const char *cursor);

/* New failed runs up to this many are read by id, more through a list. */
#define N8N_READS_BY_ID 4

/* After the lists: the runs that need reading, all at once. */
static void
n8n_plan_reads (GTask *task)
{
  CtSourceIncidents *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GArray) unread = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 newest_known = 0;
  guint n_newest = 0;
  GHashTableIter iter;
  gpointer key, value;

  phase_begin (task, n8n_build);
  /* Watched runs the lists did not show any more: read them by id. */
  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (f->executions, key))
      n8n_read (task, key, FALSE);
  /* Failed runs whose details the lists did not bring (what n8n recorded,
   * customData that links the case). The newest come first in the error
   * list: more than a few of those are listed again with their data, a
   * page for up to a hundred; the others are read by id. */
  g_hash_table_iter_init (&iter, f->executions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (is_failed (value))
      {
        gint64 id = g_ascii_strtoll (key, NULL, 10);

        if (g_hash_table_contains (self->details, key))
          newest_known = MAX (newest_known, id);
        else
          g_array_append_val (unread, id);
      }
  for (guint i = 0; i < unread->len; i++)
    if (g_array_index (unread, gint64, i) > newest_known)
      n_newest++;
  if (n_newest <= N8N_READS_BY_ID)
    n_newest = 0;
  else
    n8n_list (task, 0, TRUE, n_newest, NULL);
  for (guint i = 0; i < unread->len; i++)
    if (n_newest == 0 || g_array_index (unread, gint64, i) <= newest_known)
      {
        g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               g_array_index (unread, gint64, i));

        n8n_read (task, id, TRUE);
      }
  /* Forget details of runs that left the lists (deleted, pruned). */
  g_hash_table_iter_init (&iter, self->details);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (f->executions, key))
      g_hash_table_iter_remove (&iter);
  phase_done (g_object_ref (task), NULL);
}


static void
n8n_list_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(N8nCall) call = user_data;
  CtSourceIncidents *self = g_task_get_source_object (call->task);
  Fetch *f = g_task_get_task_data (call->task);
  GError *error = NULL;
  g_autoptr(JsonNode) node = n8n_answer (object, result, &error);
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *next_cursor = NULL;
  JsonArray *data;

  if (node == NULL)
    {
      phase_done (call->task, error);
      return;
    }
  /* Checks the page's shape (and gives the cursor) the client's way. */
  items = ct_n8n_executions_from_page (node, &next_cursor, &error);
  if (items == NULL)
    {
      phase_done (call->task, error);
      return;
    }
  data = json_object_get_array_member (json_node_get_object (node), "data");
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonNode *item = json_array_get_element (data, i);
      g_autofree char *id = NULL;
      JsonObject *execution;

      if (!JSON_NODE_HOLDS_OBJECT (item) ||
          (id = id_string (json_node_get_object (item))) == NULL)
        {
          ct_source_count_unreadable (CT_SOURCE (self), CT_ROW_WRONG_TYPE, "id");
          continue;
        }
      execution = json_node_get_object (item);
      if (call->with_data && is_failed (execution))
        {
          /* Listed with its data: the detail is here, trimmed; the list
           * entry does not keep the run data either. */
          n8n_keep_detail (self, id, execution);
          g_hash_table_replace (f->executions, g_strdup (id),
                                json_object_ref (g_hash_table_lookup (self->details, id)));
        }
      else
        g_hash_table_replace (f->executions, g_strdup (id), json_object_ref (execution));
    }
  /* Every page: the next one is part of the same phase; a list for the
   * newest runs stops when it has them. */
  if (call->wanted > 0 && json_array_get_length (data) >= call->wanted)
    g_clear_pointer (&next_cursor, g_free);
  if (next_cursor != NULL && *next_cursor != '\0')
    n8n_list (call->task, call->status, call->with_data,
              call->wanted > 0 ? call->wanted - json_array_get_length (data) : 0, next_cursor);
  phase_done (call->task, NULL);
}

static void
n8n_list (GTask      *task,
          guint       status,
          gboolean    with_data,
          guint       wanted,
          const char *cursor)
{
  N8nCall *call = n8n_call_new (task);
  g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *path = NULL;
  guint limit = with_data ? 100 : 250;

  call->status = status;
  call->with_data = with_data;
  call->wanted = wanted;
  /* The cursor does not carry the filter: send it again on every page
   * (nor the limit, which only the first page sets). Pages with run data
   * are smaller: a run's data may be large. */
  if (wanted > 0 && cursor == NULL)
    limit = MIN (limit, wanted);
  path = g_strdup_printf ("/api/v1/executions?status=%s&limit=%u%s%s%s", n8n_statuses[status],
                          limit, with_data ? "&includeData=true" : "",
                          escaped ? "&cursor=" : "", escaped ? escaped : "");
  n8n_send (call, path, "n8n.executions.list", n8n_list_done);
}

static void
n8n_workflows_done (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GPtrArray) workflows = ct_n8n_client_list_workflows_finish (CT_N8N_CLIENT (object),
                                                                         result, &error);

  for (guint i = 0; workflows != NULL && i < workflows->len; i++)
    {
      CtN8nWorkflow *w = workflows->pdata[i];

      if (w->id != NULL)
        g_hash_table_replace (f->workflows, g_strdup (w->id), g_strdup (w->name));
    }
  phase_done (task, error);
}

/* The workflows and every status's lists, at once. The first time, failed
 * runs are listed with their data (what a detail read would bring, a
 * hundred at a time); after that only new ones are read by id. */
static void
n8n_fetch (GTask *task)
{
  CtSourceIncidents *self = g_task_get_source_object (task);
  gboolean first = !self->listed_once;

  self->listed_once = TRUE;
  phase_begin (task, n8n_plan_reads);
  ct_n8n_client_list_workflows_async (self->n8n, FALSE, g_task_get_cancellable (task),
                                      n8n_workflows_done, phase_ref (task));
  for (guint i = 0; i < G_N_ELEMENTS (n8n_statuses); i++)
    n8n_list (task, i, first && g_strcmp0 (n8n_statuses[i], "error") == 0, 0, NULL);
  phase_done (g_object_ref (task), NULL);
}

/* ---- Odoo: crons and queue jobs ---- */

typedef CtCase *(*IncidentFromRow) (JsonObject                 *row,
                                    const CtIncidentThresholds *thresholds,
                                    gint64                      now);

/* Turns the rows of a search_read into incidents; one read of the phase
 * is back. */
static void
add_incidents (GTask           *task,
               GAsyncResult    *result,
               IncidentFromRow  from_row)
{
  CtSource *self = g_task_get_source_object (task);
  Fetch *f = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (ct_source_get_client (self),
                                                                 result, &error);
  const CtIncidentThresholds *thresholds =
    ct_profile_get_incident_thresholds (ct_source_get_profile (self));
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (rows != NULL)
    ct_source_keep_readable (self, NULL, rows);
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
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
  phase_done (task, error);
}

static void
jobs_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  add_incidents (user_data, result, ct_incident_from_queue_job);
}

static void
crons_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  add_incidents (user_data, result, ct_incident_from_cron);
}

/* OCA queue jobs that failed or seem stuck. */
static void
jobs_read (GTask *task)
{
  CtSource *self = g_task_get_source_object (task);
  g_autoptr(JsonArray) domain = json_array_new ();
  JsonArray *states = json_array_new ();
  static const char *const fields[] = {
    "id", "uuid", "name", "state", "model_name", "method_name", "func_string", "record_ids",
    "exc_name", "exc_message", "date_created", "date_enqueued", "date_started", NULL
  };

  phase_begin (task, return_cases);
  json_array_add_string_element (states, "failed");
  json_array_add_string_element (states, "started");
  ct_source_domain_add (domain, "state", "in", json_node_init_array (json_node_alloc (), states));
  json_array_unref (states);
  ct_odoo_client_search_read_async (ct_source_get_client (self), "queue.job", domain, fields, "id",
                                    2000, 500, g_task_get_cancellable (task), jobs_done,
                                    phase_ref (task));
  phase_done (g_object_ref (task), NULL);
}

/* The crons that may be an incident. */
static void
odoo_read (GTask *task)
{
  CtSourceIncidents *self = g_task_get_source_object (task);
  CtOdooClient *client = ct_source_get_client (CT_SOURCE (self));
  g_autoptr(JsonArray) domain = json_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) fields = NULL;
  static const char *const base[] = { "id", "name", "cron_name", "active", "nextcall", "lastcall",
                                      "interval_number", "interval_type", NULL };

  phase_begin (task, return_cases);
  g_strv_builder_addv (builder, (const char **)base);
  if (self->has_failure_count == 1)
    {
      g_strv_builder_add (builder, "failure_count");
      g_strv_builder_add (builder, "first_failure_date");
    }
  fields = g_strv_builder_end (builder);
  /* Deactivated crons too: one switched off after failures is an incident. */
  json_array_add_string_element (domain, "&");
  json_array_add_string_element (domain, "|");
  ct_source_domain_add (domain, "active", "=", json_node_init_boolean (json_node_alloc (), TRUE));
  ct_source_domain_add (domain, "active", "=", json_node_init_boolean (json_node_alloc (), FALSE));
  /* Only the crons that may be an incident now (ct_incident_from_cron
   * decides): a quiet server answers nothing rather than every cron. */
  {
    const CtIncidentThresholds *t =
      ct_profile_get_incident_thresholds (ct_source_get_profile (CT_SOURCE (self)));
    g_autoptr(GDateTime) cutoff =
      g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC - t->cron_grace_seconds);
    g_autofree char *before = g_date_time_format (cutoff, "%Y-%m-%d %H:%M:%S");

    if (self->has_failure_count == 1)
      {
        json_array_add_string_element (domain, "|");
        json_array_add_string_element (domain, "|");
        ct_source_domain_add (domain, "failure_count", ">",
                              json_node_init_int (json_node_alloc (), 0));
        ct_source_domain_add (domain, "first_failure_date", "!=",
                              json_node_init_boolean (json_node_alloc (), FALSE));
      }
    json_array_add_string_element (domain, "&");
    ct_source_domain_add (domain, "active", "=", json_node_init_boolean (json_node_alloc (), TRUE));
    ct_source_domain_add (domain, "nextcall", "<",
                          json_node_init_string (json_node_alloc (), before));
  }
  ct_odoo_client_search_read_async (client, "ir.cron", domain, (const char * const *)fields, "id",
                                    0, 500, g_task_get_cancellable (task), crons_done,
                                    phase_ref (task));
  phase_done (g_object_ref (task), NULL);
}

static void
cron_fields_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  CtSourceIncidents *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(JsonObject) fields = ct_model_probe_fields_finish (CT_ODOO_CLIENT (object), result,
                                                               &error);

  /* failure_count exists from 18.0 on. */
  if (fields != NULL)
    self->has_failure_count = json_object_has_member (fields, "failure_count");
  phase_done (task, error);
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
  CtOdooClient *client = ct_source_get_client (source);
  GTask *task = g_task_new (source, cancellable, callback, user_data);
  Fetch *f = fetch_new (key);

  g_task_set_source_tag (task, ct_source_incidents_fetch_async);
  g_task_set_task_data (task, f, (GDestroyNotify)fetch_free);
  if (self->n8n != NULL)
    {
      n8n_fetch (task);
      g_object_unref (task);
      return;
    }
  if (ct_source_get_kind (source) == CT_SOURCE_KIND_QUEUE_JOB)
    {
      jobs_read (task);
      g_object_unref (task);
      return;
    }
  /* Which optional fields ir.cron has, learnt once (shared with every
   * source); then the read. */
  phase_begin (task, odoo_read);
  if (self->has_failure_count < 0)
    ct_model_probe_fields_async (client, "ir.cron", g_task_get_cancellable (task),
                                 cron_fields_done, phase_ref (task));
  phase_done (task, NULL);
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
ct_source_queue_jobs_new (CtOdooClient *client,
                          CtProfile    *profile)
{
  CtSource *self = g_object_new (ct_source_incidents_get_type (), NULL);
  static const char *const models[] = { "queue.job", NULL };

  ct_source_setup (self, CT_SOURCE_KIND_QUEUE_JOB, client, NULL, profile, models);
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
