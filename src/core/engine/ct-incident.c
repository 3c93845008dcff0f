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
  JsonNode *n = json_object_get_member (obj, member);

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

CtCase *
ct_incident_from_n8n_execution (JsonObject                 *execution,
                                const char                 *workflow_name,
                                const CtIncidentThresholds *t,
                                gint64                      now)
{
  const char *status, *workflow_id;
  CtIncidentKind kind = CT_INCIDENT_NONE;
  gint64 id = 0, started, stopped;
  JsonNode *custom;
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
  workflow_id = get_str (execution, "workflowId");
  c->title = g_strdup_printf ("%s — %s", ct_incident_kind_get_label (kind),
                              workflow_name ? workflow_name : workflow_id ? workflow_id : "n8n");
  c->reference = g_strdup_printf ("#%" G_GINT64_FORMAT, id);
  c->branch = g_strdup (workflow_id);

  custom = json_object_get_member (execution, "customData");
  if (custom != NULL && JSON_NODE_HOLDS_OBJECT (custom))
    {
      JsonObject *cd = json_node_get_object (custom);
      const char *key = get_str (cd, "caseKey");
      const char *model = get_str (cd, "model");
      gint64 rid = 0;

      if (key != NULL && strchr (key, ':') != NULL)
        ct_case_add_linked_key (c, key);
      else if (model != NULL && (get_int (cd, "recordId", &rid) || get_int (cd, "res_id", &rid)))
        {
          g_autofree char *k = ct_case_make_key (model, rid);
          ct_case_add_linked_key (c, k);
        }
    }
  ct_case_update_search_text (c);
  return c;
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
