/* ct-incident.c - Stalled integrations as cases: n8n runs, crons, queue jobs
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-incident"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "ct-incident.h"

static const char *
get_str (JsonObject *obj,
         const char *member)
{
  JsonNode *n = obj != NULL ? json_object_get_member (obj, member) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
get_int (JsonObject *obj,
         const char *member,
         gint64     *out)
{
  JsonNode *n = json_object_get_member (obj, member);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  switch (json_node_get_value_type (n))
    {
    case G_TYPE_INT64:
      *out = json_node_get_int (n);
      return TRUE;
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (n);
        char *end = NULL;
        gint64 v = g_ascii_strtoll (s, &end, 10);

        if (end == s || *end != '\0')
          return FALSE;
        *out = v;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static gboolean
get_bool (JsonObject *obj,
          const char *member,
          gboolean    fallback)
{
  JsonNode *n = json_object_get_member (obj, member);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (n);
}

/* Names from a many2one [id, "name"]. */
static const char *
m2o_name (JsonObject *obj,
          const char *member)
{
  JsonNode *n = json_object_get_member (obj, member);
  JsonArray *a;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return NULL;
  a = json_node_get_array (n);
  if (json_array_get_length (a) < 2)
    return NULL;
  n = json_array_get_element (a, 1);
  return JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
           ? json_node_get_string (n) : NULL;
}

gint64
ct_parse_iso8601 (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    return 0;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  return dt ? g_date_time_to_unix (dt) : 0;
}

gint64
ct_parse_odoo_datetime (JsonNode *node)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  const char *s;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  char tail;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return 0;
  s = json_node_get_string (node);
  if (sscanf (s, "%4d-%2d-%2d %2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &tail) != 6 &&
      sscanf (s, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3)
    return 0;
  utc = g_time_zone_new_utc ();
  dt = g_date_time_new (utc, y, mo, d, h, mi, sec);
  return dt ? g_date_time_to_unix (dt) : 0;
}

CtRowProblem
ct_incident_check_n8n_execution (JsonObject  *execution,
                                 const char **field)
{
  static const char * const optional_text[] = { "startedAt", "stoppedAt", "workflowId" };
  JsonNode *node;
  gint64 id = 0;

  g_return_val_if_fail (execution != NULL, CT_ROW_WRONG_TYPE);

  node = json_object_get_member (execution, "id");
  *field = "id";
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_STRING &&
       json_node_get_value_type (node) != G_TYPE_INT64))
    return CT_ROW_WRONG_TYPE;
  if (!get_int (execution, "id", &id) || id <= 0)
    return CT_ROW_IMPOSSIBLE_VALUE;
  *field = "status";
  if (get_str (execution, "status") == NULL)
    return CT_ROW_WRONG_TYPE;
  for (guint i = 0; i < G_N_ELEMENTS (optional_text); i++)
    {
      node = json_object_get_member (execution, optional_text[i]);
      *field = optional_text[i];
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
          (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING))
        return CT_ROW_WRONG_TYPE;
    }
  *field = NULL;
  return CT_ROW_READABLE;
}

static JsonObject *
get_obj (JsonObject *obj,
         const char *member)
{
  JsonNode *n = obj != NULL ? json_object_get_member (obj, member) : NULL;

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* customData names the case a run holds up: "caseKey" ("sale.order:42"),
 * "model" with "recordId" or "res_id", or (workflows that call Odoo often
 * do, ct-sim's generated runs among them) "odoo_model" with "odoo_id". n8n
 * keeps customData values as strings. */
static void
link_custom_data (CtCase     *c,
                  JsonObject *execution)
{
  JsonObject *cd = get_obj (execution, "customData");
  const char *key, *model;
  gint64 rid = 0;

  if (cd == NULL)
    return;
  key = get_str (cd, "caseKey");
  model = get_str (cd, "model");
  if (key != NULL && strchr (key, ':') != NULL)
    {
      ct_case_add_linked_key (c, key);
      return;
    }
  if (model == NULL || !(get_int (cd, "recordId", &rid) || get_int (cd, "res_id", &rid)))
    {
      model = get_str (cd, "odoo_model");
      if (model == NULL || !get_int (cd, "odoo_id", &rid))
        return;
    }
  if (*model != '\0' && rid > 0)
    {
      g_autofree char *k = ct_case_make_key (model, rid);

      ct_case_add_linked_key (c, k);
    }
}

/* What n8n recorded about a failed run read with includeData: the message
 * of data.resultData.error (with its description when there is one, as an
 * HTTP node's "The resource you are requesting could not be found" says
 * little alone) and the node that failed (the error's node, else the last
 * node that ran). */
static void
read_failure (CtCase     *c,
              JsonObject *execution)
{
  JsonObject *result_data = get_obj (get_obj (execution, "data"), "resultData");
  JsonObject *error = get_obj (result_data, "error");
  const char *message = get_str (error, "message");
  const char *description = get_str (error, "description");
  const char *node = get_str (get_obj (error, "node"), "name");

  if (error == NULL)
    return;
  if (message != NULL && description != NULL && *description != '\0' &&
      strcmp (message, description) != 0)
    c->detail = g_strdup_printf ("%s (%s)", message, description);
  else
    c->detail = g_strdup (message ? message : description);
  ct_case_set_text (&c->failed_node, node ? node : get_str (result_data, "lastNodeExecuted"));
}

static gboolean
n8n_status_failed (const char *status)
{
  return g_strcmp0 (status, "error") == 0 || g_strcmp0 (status, "failed") == 0 ||
         g_strcmp0 (status, "crashed") == 0;
}

CtCase *
ct_incident_from_n8n_execution (JsonObject                 *execution,
                                const char                 *workflow_name,
                                const CtIncidentThresholds *t,
                                gint64                      now)
{
  const char *status, *workflow_id;
  CtIncidentKind kind = CT_INCIDENT_NONE;
  gint64 id = 0, started, stopped;
  CtCase *c;

  g_return_val_if_fail (t != NULL, NULL);

  if (execution == NULL)
    return NULL;
  /* Ids are strings in lists and numbers in some answers. */
  if (!get_int (execution, "id", &id))
    return NULL;
  status = get_str (execution, "status");
  started = ct_parse_iso8601 (get_str (execution, "startedAt"));
  stopped = ct_parse_iso8601 (get_str (execution, "stoppedAt"));
  if (status == NULL)
    return NULL;

  if (strcmp (status, "error") == 0 || strcmp (status, "failed") == 0)
    kind = CT_INCIDENT_N8N_ERROR;
  else if (strcmp (status, "crashed") == 0)
    kind = CT_INCIDENT_N8N_CRASHED;
  else if ((strcmp (status, "running") == 0 || strcmp (status, "new") == 0) && started > 0 &&
           now - started > t->n8n_running_seconds)
    kind = CT_INCIDENT_N8N_RUNNING_TOO_LONG;
  else if (strcmp (status, "waiting") == 0 && started > 0 &&
           now - started > t->n8n_waiting_seconds)
    kind = CT_INCIDENT_N8N_WAITING_TOO_LONG;
  if (kind == CT_INCIDENT_NONE)
    return NULL;

  c = ct_case_new_incident (kind, "n8n.execution", id);
  c->requested_at = kind == CT_INCIDENT_N8N_ERROR || kind == CT_INCIDENT_N8N_CRASHED
                      ? (stopped ? stopped : started) : started;
  c->last_failed_at = n8n_status_failed (status) ? c->requested_at : 0;
  workflow_id = get_str (execution, "workflowId");
  c->title = g_strdup_printf ("%s — %s", ct_incident_kind_get_label (kind),
                              workflow_name ? workflow_name : workflow_id ? workflow_id : "n8n");
  c->reference = g_strdup_printf ("#%" G_GINT64_FORMAT, id);
  c->branch = g_strdup (workflow_id);
  ct_case_set_text (&c->attempt_status, status);
  if (n8n_status_failed (status))
    read_failure (c, execution);
  link_custom_data (c, execution);
  ct_case_update_search_text (c);
  return c;
}

/* ---- n8n runs grouped: retry chains, then workflows ---- */

typedef struct
{
  JsonObject *run;        /* (unowned) */
  gint64      id;
  gint64      retry_of;   /* 0: none */
  gint64      failed_at;  /* 0 unless the run failed */
} Run;

typedef struct
{
  GPtrArray *runs;        /* (element-type Run) (unowned) */
  gboolean   resolved;
  gboolean   root_missing;/* it retries a run the fetch did not see */
  Run       *last_failed; /* (nullable) */
  Run       *latest;      /* the latest attempt */
} Chain;

static void
chain_free (Chain *chain)
{
  g_ptr_array_unref (chain->runs);
  g_free (chain);
}

/* A run whose retry succeeded says so in retrySuccessId ("22"; null or
 * absent otherwise). */
static gboolean
has_retry_success (JsonObject *run)
{
  gint64 id = 0;

  return get_int (run, "retrySuccessId", &id) && id > 0;
}

/* The run a chain starts from: retryOf followed up as far as the fetch saw
 * runs (a retry of a retry names the run it retried, not the first one). */
static gint64
chain_root (GHashTable *by_id,
            Run        *run,
            gboolean   *missing)
{
  gint64 root = run->id;

  *missing = FALSE;
  /* The bound stops a cycle a hostile server could send. */
  for (guint steps = 0; run->retry_of > 0 && steps < 64; steps++)
    {
      root = run->retry_of;
      run = g_hash_table_lookup (by_id, &root);
      if (run == NULL)
        {
          *missing = TRUE;
          break;
        }
    }
  return root;
}

/* One incident for the failed chains of one workflow: the latest failure
 * gives the key (the run a retry acts on), the message, the node and the
 * attempts; all of them the count, the first and last time and the cases
 * held up. */
static CtCase *
incident_from_chains (GPtrArray                  *chains,
                      GHashTable                 *workflow_names,
                      const CtIncidentThresholds *t,
                      gint64                      now)
{
  Chain *last = NULL;
  gint64 first_at = G_MAXINT64, last_at = 0;
  const char *workflow_id, *name = NULL;
  CtCase *c;

  for (guint i = 0; i < chains->len; i++)
    {
      Chain *chain = chains->pdata[i];

      if (last == NULL || chain->last_failed->id > last->last_failed->id)
        last = chain;
    }
  workflow_id = get_str (last->last_failed->run, "workflowId");
  if (workflow_names != NULL && workflow_id != NULL)
    name = g_hash_table_lookup (workflow_names, workflow_id);
  c = ct_incident_from_n8n_execution (last->last_failed->run, name, t, now);
  if (c == NULL)
    return NULL;
  for (guint i = 0; i < chains->len; i++)
    {
      Chain *chain = chains->pdata[i];

      for (guint j = 0; j < chain->runs->len; j++)
        {
          Run *run = chain->runs->pdata[j];

          if (run->failed_at > 0)
            {
              first_at = MIN (first_at, run->failed_at);
              last_at = MAX (last_at, run->failed_at);
            }
          link_custom_data (c, run->run);
        }
    }
  c->n_failures = chains->len;
  c->n_attempts = last->runs->len + (last->root_missing ? 1 : 0);
  ct_case_set_text (&c->attempt_status, get_str (last->latest->run, "status"));
  if (last_at > 0)
    {
      c->requested_at = first_at;
      c->last_failed_at = last_at;
    }
  ct_case_update_search_text (c);
  return c;
}

GPtrArray *
ct_incidents_from_n8n_executions (GPtrArray                  *executions,
                                  GHashTable                 *workflow_names,
                                  const CtIncidentThresholds *t,
                                  gint64                      now)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) chains = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        (GDestroyNotify) chain_free);
  g_autoptr(GHashTable) workflows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                           (GDestroyNotify) g_ptr_array_unref);
  g_autofree Run *runs = g_new0 (Run, executions->len);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (t != NULL, NULL);

  for (guint i = 0; i < executions->len; i++)
    {
      Run *run = &runs[i];
      const char *status;

      run->run = executions->pdata[i];
      if (!get_int (run->run, "id", &run->id) || run->id <= 0 ||
          g_hash_table_contains (by_id, &run->id))
        continue;
      get_int (run->run, "retryOf", &run->retry_of);
      status = get_str (run->run, "status");
      if (n8n_status_failed (status))
        {
          run->failed_at = ct_parse_iso8601 (get_str (run->run, "stoppedAt"));
          if (run->failed_at <= 0)
            run->failed_at = ct_parse_iso8601 (get_str (run->run, "startedAt"));
          if (run->failed_at <= 0)
            run->failed_at = 1;   /* failed, time unknown */
        }
      g_hash_table_insert (by_id, &run->id, run);
    }

  /* Retry chains: one failure however often it was retried, resolved as
   * soon as one attempt succeeded. */
  g_hash_table_iter_init (&iter, by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Run *run = value;
      gboolean missing;
      gint64 root = chain_root (by_id, run, &missing);
      Chain *chain = g_hash_table_lookup (chains, &root);

      if (chain == NULL)
        {
          chain = g_new0 (Chain, 1);
          chain->runs = g_ptr_array_new ();
          g_hash_table_insert (chains, g_memdup2 (&root, sizeof root), chain);
        }
      g_ptr_array_add (chain->runs, run);
      chain->root_missing |= missing;
      if (has_retry_success (run->run) || g_strcmp0 (get_str (run->run, "status"), "success") == 0)
        chain->resolved = TRUE;
      if (run->failed_at > 0 && (chain->last_failed == NULL || run->id > chain->last_failed->id))
        chain->last_failed = run;
      if (chain->latest == NULL || run->id > chain->latest->id)
        chain->latest = run;
    }

  /* Unresolved failures by workflow; runs that did not fail (running or
   * waiting too long) stay one incident each. */
  g_hash_table_iter_init (&iter, chains);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Chain *chain = value;

      if (chain->last_failed == NULL)
        {
          for (guint i = 0; i < chain->runs->len; i++)
            {
              CtCase *c = ct_incident_from_n8n_execution (((Run *) chain->runs->pdata[i])->run,
                                                          NULL, t, now);
              const char *wf = c ? c->branch : NULL;
              const char *name = wf && workflow_names ? g_hash_table_lookup (workflow_names, wf)
                                                      : NULL;

              if (c != NULL && name != NULL)
                {
                  g_free (c->title);
                  c->title = g_strdup_printf ("%s — %s",
                                              ct_incident_kind_get_label (c->incident_kind),
                                              name);
                  ct_case_update_search_text (c);
                }
              if (c != NULL)
                g_ptr_array_add (cases, c);
            }
        }
      else if (!chain->resolved)
        {
          const char *wf = get_str (chain->last_failed->run, "workflowId");
          GPtrArray *group = g_hash_table_lookup (workflows, wf ? wf : "");

          if (group == NULL)
            {
              group = g_ptr_array_new ();
              g_hash_table_insert (workflows, (gpointer) (wf ? wf : ""), group);
            }
          g_ptr_array_add (group, chain);
        }
    }
  g_hash_table_iter_init (&iter, workflows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CtCase *c = incident_from_chains (value, workflow_names, t, now);

      if (c != NULL)
        g_ptr_array_add (cases, c);
    }
  return g_steal_pointer (&cases);
}

CtCase *
ct_incident_from_cron (JsonObject                 *cron,
                       const CtIncidentThresholds *t,
                       gint64                      now)
{
  CtIncidentKind kind = CT_INCIDENT_NONE;
  gint64 id = 0, failures = 0, nextcall, first_failure;
  gboolean active;
  const char *name;
  CtCase *c;

  if (cron == NULL || !get_int (cron, "id", &id))
    return NULL;
  active = get_bool (cron, "active", TRUE);
  nextcall = ct_parse_odoo_datetime (json_object_get_member (cron, "nextcall"));
  first_failure = ct_parse_odoo_datetime (json_object_get_member (cron, "first_failure_date"));
  /* failure_count exists from 18.0 on; older servers simply lack it. */
  get_int (cron, "failure_count", &failures);

  if (!active && (failures > 0 || first_failure > 0))
    kind = CT_INCIDENT_CRON_DEACTIVATED;
  else if (active && failures > 0)
    kind = CT_INCIDENT_CRON_FAILING;
  else if (active && nextcall > 0 && now - nextcall > t->cron_grace_seconds)
    kind = CT_INCIDENT_CRON_OVERDUE;
  if (kind == CT_INCIDENT_NONE)
    return NULL;

  c = ct_case_new_incident (kind, "ir.cron", id);
  name = get_str (cron, "cron_name");
  if (name == NULL)
    name = get_str (cron, "name");
  c->title = g_strdup_printf ("%s — %s", ct_incident_kind_get_label (kind), name ? name : "?");
  c->requested_at = kind == CT_INCIDENT_CRON_OVERDUE ? nextcall
                      : first_failure ? first_failure : nextcall;
  if (failures > 0)
    c->detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d failure in a row",
                                              "%d failures in a row", (gulong) failures),
                                 (int) failures);
  ct_case_set_text (&c->branch, m2o_name (cron, "model_id"));
  ct_case_update_search_text (c);
  return c;
}

CtCase *
ct_incident_from_queue_job (JsonObject                 *job,
                            const CtIncidentThresholds *t,
                            gint64                      now)
{
  CtIncidentKind kind = CT_INCIDENT_NONE;
  gint64 id = 0, started, enqueued;
  const char *state, *model, *name, *exc;
  JsonNode *records;
  CtCase *c;

  if (job == NULL || !get_int (job, "id", &id))
    return NULL;
  state = get_str (job, "state");
  if (state == NULL)
    return NULL;
  started = ct_parse_odoo_datetime (json_object_get_member (job, "date_started"));
  enqueued = ct_parse_odoo_datetime (json_object_get_member (job, "date_enqueued"));

  if (strcmp (state, "failed") == 0)
    kind = CT_INCIDENT_QUEUE_JOB_FAILED;
  else if (strcmp (state, "started") == 0 && started > 0 &&
           now - started > t->queue_job_started_seconds)
    kind = CT_INCIDENT_QUEUE_JOB_STUCK;
  if (kind == CT_INCIDENT_NONE)
    return NULL;

  c = ct_case_new_incident (kind, "queue.job", id);
  name = get_str (job, "name");
  c->title = g_strdup_printf ("%s — %s", ct_incident_kind_get_label (kind), name ? name : "?");
  c->requested_at = started ? started : enqueued;
  exc = get_str (job, "exc_message");
  if (exc == NULL)
    exc = get_str (job, "exc_info");
  if (exc != NULL)
    {
      /* A traceback's last line says what went wrong; the rest is noise here. */
      g_autofree char *copy = g_strchomp (g_strdup (exc));
      g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);
      guint n = g_strv_length (lines);
      c->detail = g_strdup (n ? g_strstrip (lines[n - 1]) : exc);
    }

  model = get_str (job, "model_name");
  records = json_object_get_member (job, "record_ids");
  if (model != NULL && records != NULL && JSON_NODE_HOLDS_ARRAY (records))
    {
      JsonArray *a = json_node_get_array (records);

      for (guint i = 0; i < json_array_get_length (a) && i < 100; i++)
        {
          JsonNode *n = json_array_get_element (a, i);

          if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
            {
              g_autofree char *k = ct_case_make_key (model, json_node_get_int (n));
              ct_case_add_linked_key (c, k);
            }
        }
    }
  ct_case_update_search_text (c);
  return c;
}

const char *
ct_incident_kind_to_string (CtIncidentKind kind)
{
  static const char *names[] = {
    "none", "n8n-error", "n8n-crashed", "n8n-running-too-long", "n8n-waiting-too-long",
    "cron-overdue", "cron-failing", "cron-deactivated", "queue-job-failed", "queue-job-stuck",
  };

  return (guint) kind < G_N_ELEMENTS (names) ? names[kind] : "none";
}

const char *
ct_incident_kind_get_label (CtIncidentKind kind)
{
  switch (kind)
    {
    case CT_INCIDENT_N8N_ERROR:
      return _("Workflow run failed");
    case CT_INCIDENT_N8N_CRASHED:
      return _("Workflow run crashed");
    case CT_INCIDENT_N8N_RUNNING_TOO_LONG:
      return _("Workflow run is taking too long");
    case CT_INCIDENT_N8N_WAITING_TOO_LONG:
      return _("Workflow run has waited too long");
    case CT_INCIDENT_CRON_OVERDUE:
      return _("Scheduled action is overdue");
    case CT_INCIDENT_CRON_FAILING:
      return _("Scheduled action keeps failing");
    case CT_INCIDENT_CRON_DEACTIVATED:
      return _("Scheduled action was switched off after failures");
    case CT_INCIDENT_QUEUE_JOB_FAILED:
      return _("Queue job failed");
    case CT_INCIDENT_QUEUE_JOB_STUCK:
      return _("Queue job started too long ago");
    case CT_INCIDENT_NONE:
    default:
      return _("No incident");
    }
}
