/* ct-integration-actions.c - Retry, Run Now, Requeue: act on a stalled integration, then check
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An action is only as good as what the server shows afterwards, so each
 * one re-reads what it acted on: a retry creates a new n8n execution (its
 * status is the answer), Run Now moves the cron's lastcall, a requeued job
 * is pending again. What the server refuses comes back in its own words.
 */

#define G_LOG_DOMAIN "ct-integration"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-case-detail.h"
#include "ct-incident.h"
#include "ct-integration-actions.h"
#include "ct-source.h"

struct _CtIntegrationActions
{
  GObject       parent_instance;

  CtOdooClient *odoo;   /* (owned) (nullable) */
  CtN8nClient  *n8n;    /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (CtIntegrationActions, ct_integration_actions, G_TYPE_OBJECT)

void
ct_integration_result_free (CtIntegrationResult *result)
{
  if (result == NULL)
    return;
  g_free (result->summary);
  g_free (result->status);
  g_free (result->new_key);
  g_free (result);
}

typedef struct
{
  CtIntegrationAction  action;
  char                *model;
  gint64               id;
  char                *id_text;
  char                *name;          /* (nullable) the cron's or job's name */
  char                *before;        /* (nullable) lastcall before Run Now */
  JsonObject          *fields;        /* (owned) (nullable) fields_get of the model */
} RunData;

static void
run_data_free (RunData *data)
{
  g_free (data->model);
  g_free (data->id_text);
  g_free (data->name);
  g_free (data->before);
  g_clear_pointer (&data->fields, json_object_unref);
  g_free (data);
}

/* ---- errors in words ---------------------------------------------------- */

/* "You are not allowed to access 'Scheduled Actions' (ir.cron) records.\n\n
 * This operation is allowed for the following groups:\n\t- Role / Administrator
 * \n\nContact your administrator ..." as one sentence without the advice. */
static char *
condense (const char *server_message)
{
  g_auto(GStrv) lines = g_strsplit (server_message, "\n", -1);
  GString *out = g_string_new (NULL);
  gboolean in_list = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] == '\0' || g_str_has_prefix (line, "Contact your administrator") ||
          g_str_has_prefix (line, "Please contact"))
        continue;
      if (g_str_has_prefix (line, "- "))
        {
          g_string_append (out, in_list ? ", " : " ");
          g_string_append (out, line + 2);
          in_list = TRUE;
          continue;
        }
      in_list = FALSE;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, line);
    }
  return g_string_free (out, FALSE);
}

static GError *
in_words (GError     *error,
          const char *server)
{
  const CtOdooErrorDetails *details = ct_odoo_error_get_details (error);

  if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_ACCESS) && details != NULL &&
      details->server_message != NULL && details->server_message[0] != '\0')
    {
      g_autofree char *reason = condense (details->server_message);

      g_free (error->message);
      /* Translators: "Odoo refused: You are not allowed to access ..." */
      error->message = g_strdup_printf (_("%s refused: %s"), server, reason);
    }
  return error;
}

/* ---- Retry (n8n) ---------------------------------------------------------- */

static void
on_retry_reread (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nExecution) run = ct_n8n_client_get_execution_finish (CT_N8N_CLIENT (source),
                                                                       result, &error);
  CtIntegrationResult *res;

  if (run == NULL)
    {
      g_task_return_error (task, in_words (g_steal_pointer (&error), "n8n"));
      return;
    }
  res = g_new0 (CtIntegrationResult, 1);
  res->action = CT_INTEGRATION_ACTION_RETRY;
  res->status = g_strdup (run->status);
  res->new_key = g_strdup_printf ("n8n.execution:%s", run->id);
  res->resolved = g_strcmp0 (run->status, "success") == 0;
  if (res->resolved)
    res->summary = g_strdup_printf (_("Retried: the new run %s succeeded."), run->id);
  else if (g_strcmp0 (run->status, "error") == 0 || g_strcmp0 (run->status, "crashed") == 0)
    {
      const char *why = run->node_error != NULL ? run->node_error : run->error_message;

      if (why != NULL && run->error_node != NULL)
        /* Translators: run id, node name, n8n's error */
        res->summary = g_strdup_printf (_("Retried: the new run %s failed again in “%s”: %s"),
                                        run->id, run->error_node, why);
      else if (why != NULL)
        res->summary = g_strdup_printf (_("Retried: the new run %s failed again: %s"), run->id,
                                        why);
      else
        res->summary = g_strdup_printf (_("Retried: the new run %s failed again."), run->id);
    }
  else if (g_strcmp0 (run->status, "waiting") == 0)
    res->summary = g_strdup_printf (_("Retried: the new run %s is waiting."), run->id);
  else
    res->summary = g_strdup_printf (_("Retried: the new run %s is still running."), run->id);
  g_task_return_pointer (task, res, (GDestroyNotify) ct_integration_result_free);
}

static void
on_retried (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nExecution) run = ct_n8n_client_retry_finish (CT_N8N_CLIENT (source), result,
                                                               &error);
  GCancellable *cancellable;

  if (run == NULL)
    {
      g_task_return_error (task, in_words (g_steal_pointer (&error), "n8n"));
      return;
    }
  /* The retry's answer is the new run as it was when n8n answered; read
   * it again with its data for the status and the error. */
  cancellable = g_task_get_cancellable (task);
  ct_n8n_client_get_execution_async (CT_N8N_CLIENT (source), run->id, TRUE, cancellable,
                                     on_retry_reread, g_steal_pointer (&task));
}

/* ---- Run Now and Requeue (Odoo) ----------------------------------------- */

static const char *
job_state_words (const char *state)
{
  if (g_strcmp0 (state, "pending") == 0)
    return _("waiting to run");
  if (g_strcmp0 (state, "enqueued") == 0)
    return _("queued");
  if (g_strcmp0 (state, "started") == 0)
    return _("running");
  if (g_strcmp0 (state, "done") == 0)
    return _("done");
  if (g_strcmp0 (state, "failed") == 0)
    return _("failed again");
  return state != NULL ? state : "?";
}

static void
on_reread (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_read_finish (CT_ODOO_CLIENT (source), result, &error);
  JsonObject *row;
  CtIntegrationResult *res;
  const char *name;

  if (rows == NULL)
    {
      g_task_return_error (task, in_words (g_steal_pointer (&error), "Odoo"));
      return;
    }
  row = json_array_get_length (rows) > 0 ? json_array_get_object_element (rows, 0) : NULL;
  if (row == NULL)
    {
      g_task_return_new_error (task, CT_ODOO_ERROR, CT_ODOO_ERROR_MISSING,
                               _("The record no longer exists; someone may have deleted it."));
      return;
    }
  res = g_new0 (CtIntegrationResult, 1);
  res->action = data->action;
  name = ct_source_get_string (row, "cron_name");
  if (name == NULL)
    name = ct_source_get_string (row, "name");
  if (name == NULL)
    name = data->id_text;

  if (data->action == CT_INTEGRATION_ACTION_RUN_NOW)
    {
      const char *after = ct_source_get_string (row, "lastcall");
      gint64 failures = ct_source_get_int (row, "failure_count");
      gboolean ran = after != NULL && g_strcmp0 (after, data->before) != 0;

      res->status = g_strdup (ran ? "ran" : "not-run");
      res->resolved = ran && failures == 0;
      if (!ran)
        res->summary = g_strdup_printf (_("Odoo accepted Run Now for “%s”, but it has not run "
                                          "yet."), name);
      else if (failures > 0)
        res->summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "“%s” ran, but Odoo still counts %d failure "
                                                     "in a row.",
                                                     "“%s” ran, but Odoo still counts %d failures "
                                                     "in a row.", failures),
                                        name, (int) failures);
      else
        res->summary = g_strdup_printf (_("“%s” ran now without an error."), name);
    }
  else
    {
      const char *state = ct_source_get_string (row, "state");

      res->status = g_strdup (state);
      res->resolved = g_strcmp0 (state, "failed") != 0 && g_strcmp0 (state, "cancelled") != 0;
      /* Translators: job name, then "waiting to run", "queued", "done", ... */
      res->summary = g_strdup_printf (_("Requeued “%s”: the job is %s."), name,
                                      job_state_words (state));
    }
  g_task_return_pointer (task, res, (GDestroyNotify) ct_integration_result_free);
}

static const char * const *
reread_fields (RunData *data)
{
  static const char *cron[] = { "cron_name", "name", "lastcall", "nextcall", "failure_count",
                                "active", NULL };
  static const char *job[] = { "name", "state", "exc_message", NULL };
  static const char *listed[8];
  const char **wanted = data->action == CT_INTEGRATION_ACTION_RUN_NOW ? cron : job;
  guint n = 0;

  /* Only what fields_get lists: failure_count is 18.0+, and an unknown
   * field fails the whole read. */
  for (guint i = 0; wanted[i] != NULL; i++)
    if (data->fields == NULL || json_object_has_member (data->fields, wanted[i]))
      listed[n++] = wanted[i];
  listed[n] = NULL;
  return listed;
}

static void
on_acted (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ct_odoo_client_call_finish (CT_ODOO_CLIENT (source), result, &error);
  GCancellable *cancellable;

  if (error != NULL)
    {
      g_task_return_error (task, in_words (g_steal_pointer (&error), "Odoo"));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  ct_odoo_client_read_async (CT_ODOO_CLIENT (source), data->model, &data->id, 1,
                             reread_fields (data), cancellable, on_reread, g_steal_pointer (&task));
}

static void
act (GTask *task)
{
  CtIntegrationActions *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(JsonArray) ids = json_array_new ();

  json_array_add_int_element (ids, data->id);
  ct_odoo_client_call_async (self->odoo, data->model,
                             data->action == CT_INTEGRATION_ACTION_RUN_NOW ?
                             "method_direct_trigger" : "requeue",
                             ids, NULL, NULL, g_task_get_cancellable (task), on_acted, task);
}

static void
on_before (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_read_finish (CT_ODOO_CLIENT (source), result, &error);
  JsonObject *row;

  if (rows == NULL)
    {
      g_task_return_error (task, in_words (g_steal_pointer (&error), "Odoo"));
      return;
    }
  row = json_array_get_length (rows) > 0 ? json_array_get_object_element (rows, 0) : NULL;
  if (row == NULL)
    {
      g_task_return_new_error (task, CT_ODOO_ERROR, CT_ODOO_ERROR_MISSING,
                               _("The record no longer exists; someone may have deleted it."));
      return;
    }
  data->before = g_strdup (ct_source_get_string (row, "lastcall"));
  act (g_steal_pointer (&task));
}

static void
on_fields (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->fields = ct_odoo_client_fields_get_finish (CT_ODOO_CLIENT (source), result, &error);
  if (data->fields == NULL && !g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_ACCESS))
    {
      g_task_return_error (task, in_words (g_steal_pointer (&error), "Odoo"));
      return;
    }
  if (data->action == CT_INTEGRATION_ACTION_RUN_NOW)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* lastcall before, to tell afterwards whether it ran. */
      ct_odoo_client_read_async (CT_ODOO_CLIENT (source), data->model, &data->id, 1,
                                 reread_fields (data), cancellable, on_before,
                                 g_steal_pointer (&task));
      return;
    }
  act (g_steal_pointer (&task));
}

/* ---- GObject ------------------------------------------------------------- */

static void
ct_integration_actions_dispose (GObject *object)
{
  CtIntegrationActions *self = (CtIntegrationActions *) object;

  g_clear_object (&self->odoo);
  g_clear_object (&self->n8n);

  G_OBJECT_CLASS (ct_integration_actions_parent_class)->dispose (object);
}

static void
ct_integration_actions_class_init (CtIntegrationActionsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ct_integration_actions_dispose;
}

static void
ct_integration_actions_init (CtIntegrationActions *self)
{
}

/* ---- public API ------------------------------------------------------------ */

CtIntegrationActions *
ct_integration_actions_new (CtOdooClient *odoo,
                            CtN8nClient  *n8n)
{
  CtIntegrationActions *self = g_object_new (CT_TYPE_INTEGRATION_ACTIONS, NULL);

  g_set_object (&self->odoo, odoo);
  g_set_object (&self->n8n, n8n);
  return self;
}

CtIntegrationAction
ct_integration_action_for_key (const char *key)
{
  if (key == NULL)
    return CT_INTEGRATION_ACTION_NONE;
  if (g_str_has_prefix (key, "n8n.execution:"))
    return CT_INTEGRATION_ACTION_RETRY;
  if (g_str_has_prefix (key, "ir.cron:"))
    return CT_INTEGRATION_ACTION_RUN_NOW;
  if (g_str_has_prefix (key, "queue.job:"))
    return CT_INTEGRATION_ACTION_REQUEUE;
  return CT_INTEGRATION_ACTION_NONE;
}

const char *
ct_integration_action_get_label (CtIntegrationAction action)
{
  switch (action)
    {
    case CT_INTEGRATION_ACTION_RETRY:
      return _("Retry");
    case CT_INTEGRATION_ACTION_RUN_NOW:
      return _("Run Now");
    case CT_INTEGRATION_ACTION_REQUEUE:
      return _("Requeue");
    case CT_INTEGRATION_ACTION_NONE:
    default:
      return "";
    }
}

char *
ct_integration_open_url (CtCase     *incident,
                         const char *odoo_url,
                         int         odoo_major_version,
                         const char *n8n_url)
{
  g_return_val_if_fail (CT_IS_CASE (incident), NULL);

  if (g_strcmp0 (incident->model, "n8n.execution") == 0)
    {
      g_autofree char *base = NULL;
      gsize len;

      if (n8n_url == NULL || n8n_url[0] == '\0')
        return NULL;
      base = g_strdup (n8n_url);
      len = strlen (base);
      while (len > 0 && base[len - 1] == '/')
        base[--len] = '\0';
      /* The workflow id is the incident's branch (ct_incident_from_n8n_execution). */
      if (incident->branch != NULL)
        return g_strdup_printf ("%s/workflow/%s/executions/%" G_GINT64_FORMAT, base,
                                incident->branch, incident->record_id);
      return g_strdup_printf ("%s/home/executions", base);
    }
  if (odoo_url == NULL || odoo_url[0] == '\0' || incident->model == NULL)
    return NULL;
  return ct_odoo_form_url (odoo_url, odoo_major_version, incident->model, incident->record_id);
}

void
ct_integration_actions_run_async (CtIntegrationActions *self,
                                  const char           *incident_key,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (CT_IS_INTEGRATION_ACTIONS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_integration_actions_run_async);
  data = g_new0 (RunData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  data->action = ct_integration_action_for_key (incident_key);
  if (data->action == CT_INTEGRATION_ACTION_NONE ||
      !ct_source_parse_key (incident_key, &data->model, &data->id) || data->id <= 0)
    {
      g_task_return_new_error (task, CT_SOURCE_ERROR, CT_SOURCE_ERROR_INVALID,
                               _("“%s” is not an incident Control Tower can act on."),
                               incident_key != NULL ? incident_key : "");
      return;
    }
  data->id_text = g_strdup_printf ("%" G_GINT64_FORMAT, data->id);

  if (data->action == CT_INTEGRATION_ACTION_RETRY)
    {
      if (self->n8n == NULL)
        {
          g_task_return_new_error (task, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_SUPPORTED,
                                   _("No n8n server is configured."));
          return;
        }
      ct_n8n_client_retry_async (self->n8n, data->id_text, FALSE, cancellable, on_retried,
                                 g_steal_pointer (&task));
      return;
    }
  if (self->odoo == NULL)
    {
      g_task_return_new_error (task, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_SUPPORTED,
                               _("No Odoo server is connected."));
      return;
    }
  ct_odoo_client_fields_get_async (self->odoo, data->model, cancellable, on_fields,
                                   g_steal_pointer (&task));
}

CtIntegrationResult *
ct_integration_actions_run_finish (CtIntegrationActions  *self,
                                   GAsyncResult          *result,
                                   GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
