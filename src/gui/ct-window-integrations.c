/* ct-window-integrations.c - The window's side of the Integrations page: run, verify, open
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window owns the connection, so it runs the page's actions through
 * CtIntegrationActions (which acts, then re-reads what it acted on), reads
 * each failed n8n run once with its data for the failing node, and then
 * refreshes so the list tells what the server now says. The state lives
 * beside the window struct (object data), as the case view's does.
 */

#define G_LOG_DOMAIN "ct-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ct-application.h"
#include "ct-integration-actions.h"
#include "ct-window-case.h"
#include "ct-window-integrations.h"
#include "ct-window-private.h"

/* n8n runs read in detail per session: the page lists few, this is a cap. */
#define MAX_DETAIL_READS 200

typedef struct
{
  CtIntegrationsPage   *page;          /* (unowned) in the pages stack */
  CtIntegrationActions *actions;       /* (owned) (nullable) */
  CtOdooClient         *actions_odoo;  /* (unowned) what @actions was made for, only compared */
  CtN8nClient          *actions_n8n;   /* (unowned) likewise */
  CtN8nClient          *details_n8n;   /* (unowned) the client @details_asked belongs to */
  GHashTable           *details_asked; /* (owned) keys whose run was asked for */
  GQueue                details_queue; /* (owned) keys to read, a few at a time */
  guint                 details_in_flight;
  GCancellable         *cancellable;   /* (owned) runs and reads in flight */
  char                 *back_case;     /* (owned) (nullable) the case an incident was opened from */
} IntegrationsView;

typedef struct
{
  CtWindow *window;  /* (owned) */
  char     *key;     /* (owned) */
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->window);
  g_free (job->key);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static Job *
job_new (CtWindow   *window,
         const char *key)
{
  Job *job = g_new0 (Job, 1);

  job->window = g_object_ref (window);
  job->key = g_strdup (key);
  return job;
}

static void
integrations_view_free (gpointer data)
{
  IntegrationsView *view = data;

  g_cancellable_cancel (view->cancellable);
  g_clear_object (&view->cancellable);
  g_clear_object (&view->actions);
  g_clear_pointer (&view->details_asked, g_hash_table_unref);
  g_free (view->back_case);
  g_queue_clear_full (&view->details_queue, g_free);
  g_free (view);
}

static IntegrationsView *
integrations_view (CtWindow *self)
{
  return g_object_get_data (G_OBJECT (self), "ct-integrations-view");
}

static CtIntegrationActions *
ensure_actions (CtWindow *self)
{
  IntegrationsView *view = integrations_view (self);

  if (self->client == NULL && self->n8n == NULL)
    return NULL;
  if (view->actions == NULL || view->actions_odoo != self->client || view->actions_n8n != self->n8n)
    {
      g_clear_object (&view->actions);
      view->actions = ct_integration_actions_new (self->client, self->n8n);
      view->actions_odoo = self->client;
      view->actions_n8n = self->n8n;
    }
  return view->actions;
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtIntegrationResult) res = NULL;
  IntegrationsView *view;

  res = ct_integration_actions_run_finish (CT_INTEGRATION_ACTIONS (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  view = integrations_view (job->window);
  if (view == NULL)
    return;
  if (res == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("It did not work: %s"), error->message);

      ct_integrations_page_set_result (view->page, job->key, text, TRUE);
      gtk_widget_activate_action (GTK_WIDGET (job->window), "win.toast", "s", text);
      return;
    }
  ct_integrations_page_set_result (view->page, job->key, res->summary, !res->resolved);
  gtk_widget_activate_action (GTK_WIDGET (job->window), "win.toast", "s", res->summary);
  /* The list then shows what the servers say now. */
  ct_window_start_refresh (job->window);
}

static void
run_integration_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);
  IntegrationsView *view = integrations_view (self);
  const char *key = g_variant_get_string (param, NULL);
  CtIntegrationActions *actions = ensure_actions (self);

  if (ct_integrations_page_is_running (view->page, key))
    return;
  if (actions == NULL)
    {
      ct_integrations_page_set_result (view->page, key, _("There is no connection to act through."),
                                       TRUE);
      return;
    }
  ct_integrations_page_set_running (view->page, key);
  ct_integration_actions_run_async (actions, key, view->cancellable, run_cb, job_new (self, key));
}

static char *
n8n_url (CtWindow *self)
{
  CtApplication *app = CT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (self->demo && app != NULL)
    return ct_application_dup_demo_url (app);
  return self->settings ? g_settings_get_string (self->settings, "n8n-url") : NULL;
}

static void
open_incident_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);
  const char *key = g_variant_get_string (param, NULL);
  CtCase *c = ct_case_store_lookup (self->store, key);
  g_autofree char *n8n = n8n_url (self);
  g_autofree char *url = NULL;

  if (c == NULL)
    return;
  url = ct_integration_open_url (c, self->client ? ct_odoo_client_get_url (self->client) : NULL,
                                 self->client ? ct_odoo_client_get_major_version (self->client) : 0,
                                 n8n);
  if (url == NULL)
    {
      gtk_widget_activate_action (widget, "win.toast", "s",
                                  g_str_equal (c->model, "n8n.execution")
                                  ? _("No n8n server is set in the connection settings.")
                                  : _("There is no connection to Odoo."));
      return;
    }
  gtk_show_uri (GTK_WINDOW (self), url, GDK_CURRENT_TIME);
}

static void pump_details (CtWindow *self);

/* A read of a run's details does not keep a closed window alive. */
typedef struct
{
  GWeakRef  window;
  char     *key;     /* (owned) */
} DetailJob;

static void
detail_job_free (DetailJob *job)
{
  g_weak_ref_clear (&job->window);
  g_free (job->key);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DetailJob, detail_job_free)

static void
execution_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DetailJob) job = user_data;
  g_autoptr(CtWindow) window = g_weak_ref_get (&job->window);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nExecution) run = NULL;
  IntegrationsView *view;

  run = ct_n8n_client_get_execution_finish (CT_N8N_CLIENT (source), result, &error);
  if (window == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  view = integrations_view (window);
  if (view == NULL)
    return;
  view->details_in_flight--;
  pump_details (window);
  if (run == NULL)
    g_debug ("Run %s not read: %s", job->key, error->message);
  ct_integrations_page_set_run_details (view->page, job->key,
                                        run ? (run->node_error ? run->node_error
                                                               : run->error_message) : NULL,
                                        run ? run->error_node : NULL);
}

/* Reads wait in a queue and go a few at a time, so n8n is not flooded and
 * closing the window has little to cancel. */
#define DETAILS_AT_ONCE 4

static void
pump_details (CtWindow *self)
{
  IntegrationsView *view = integrations_view (self);

  while (self->n8n != NULL && view->details_in_flight < DETAILS_AT_ONCE &&
         !g_queue_is_empty (&view->details_queue))
    {
      g_autofree char *key = g_queue_pop_head (&view->details_queue);

      DetailJob *job = g_new0 (DetailJob, 1);

      g_weak_ref_init (&job->window, self);
      job->key = g_strdup (key);
      view->details_in_flight++;
      ct_n8n_client_get_execution_async (self->n8n, strchr (key, ':') + 1, TRUE,
                                         view->cancellable, execution_cb, job);
    }
}

/* Each n8n run the page shows, once, with its data: the list leaves out
 * the error and the node. */
static void
read_run_details (CtWindow *self)
{
  IntegrationsView *view = integrations_view (self);
  g_auto(GStrv) keys = NULL;

  if (view->details_n8n != self->n8n)
    {
      /* Another session: what the last one asked does not count. */
      g_hash_table_remove_all (view->details_asked);
      g_queue_clear_full (&view->details_queue, g_free);
      view->details_n8n = self->n8n;
    }
  if (self->n8n == NULL)
    return;
  keys = ct_integrations_page_dup_unread_runs (view->page);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      if (g_hash_table_contains (view->details_asked, keys[i]) ||
          g_hash_table_size (view->details_asked) >= MAX_DETAIL_READS)
        continue;
      g_hash_table_add (view->details_asked, g_strdup (keys[i]));
      g_queue_push_tail (&view->details_queue, g_strdup (keys[i]));
    }
  pump_details (self);
}

void
ct_window_integrations_update (CtWindow *self)
{
  IntegrationsView *view = integrations_view (self);

  if (view == NULL)
    return;
  ct_integrations_page_update (view->page, self->store, self->sync);
  read_run_details (self);
}

void
ct_window_show_incident (CtWindow   *self,
                         const char *key)
{
  IntegrationsView *view = integrations_view (self);
  CtCasePage *case_page = ct_window_get_case_page (self);

  /* From a case: Escape (or Alt+Left) goes back to it. */
  g_free (view->back_case);
  view->back_case = NULL;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->pages)), "case") == 0 &&
      ct_case_page_get_case (case_page) != NULL)
    view->back_case = g_strdup (ct_case_page_get_case (case_page)->key);
  ct_window_show_page (self, "integrations");
  ct_window_integrations_update (self);
  if (!ct_integrations_page_reveal (view->page, key))
    {
      g_autofree char *text = g_strdup_printf (_("%s is no longer stalled."), key);

      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
    }
}

static void
show_incident_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ct_window_show_incident (CT_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
incident_back_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);
  IntegrationsView *view = integrations_view (self);
  g_autofree char *key = g_steal_pointer (&view->back_case);

  if (key != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->pages)), "integrations") == 0)
    gtk_widget_activate_action (widget, "win.open-case", "s", key);
}

void
ct_window_integrations_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (CT_TYPE_INTEGRATIONS_PAGE);
  gtk_widget_class_install_action (widget_class, "win.run-integration", "s",
                                   run_integration_action);
  gtk_widget_class_install_action (widget_class, "win.open-incident", "s", open_incident_action);
  gtk_widget_class_install_action (widget_class, "win.show-incident", "s", show_incident_action);
  gtk_widget_class_install_action (widget_class, "win.incident-back", NULL, incident_back_action);
}

/* Runs in flight hold the window: end them when the window goes. */
static void
window_destroy_cb (CtWindow *self)
{
  IntegrationsView *view = integrations_view (self);

  if (view != NULL)
    g_cancellable_cancel (view->cancellable);
}

void
ct_window_integrations_init (CtWindow *self)
{
  IntegrationsView *view = g_new0 (IntegrationsView, 1);

  view->page = CT_INTEGRATIONS_PAGE (ct_integrations_page_new ());
  view->details_asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  view->cancellable = g_cancellable_new ();
  gtk_stack_add_named (GTK_STACK (self->pages), GTK_WIDGET (view->page), "integrations");
  g_object_set_data_full (G_OBJECT (self), "ct-integrations-view", view, integrations_view_free);
  g_signal_connect (self, "destroy", G_CALLBACK (window_destroy_cb), NULL);
}

CtIntegrationsPage *
ct_window_get_integrations_page (CtWindow *self)
{
  g_return_val_if_fail (CT_IS_WINDOW (self), NULL);
  return integrations_view (self)->page;
}
