/* test-integrations.c - The Integrations page on the simulator: incidents, Retry, Requeue, refusals
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-application.h"
#include "ct-case-page.h"
#include "ct-integrations-page.h"
#include "ct-n8n-client.h"
#include "ct-secrets.h"
#include "ct-sim-faults.h"
#include "ct-sim-server.h"
#include "ct-test-gui.h"
#include "ct-test-window.h"
#include "ct-window-case.h"
#include "ct-window-integrations.h"
#include "ct-window.h"

static CtApplication *the_app;


typedef struct
{
  CtIntegrationsPage *page;
  const char         *key;
} Waiting;

static gboolean
action_done (gpointer data)
{
  Waiting *w = data;

  return !ct_integrations_page_is_running (w->page, w->key) &&
         ct_integrations_page_get_result (w->page, w->key) != NULL;
}

/* The run's row says where it failed, once n8n's answer is shown. */
static gboolean
details_shown (gpointer data)
{
  Waiting *w = data;
  GtkWidget *row = ct_integrations_page_get_row (w->page, w->key);

  return ct_integrations_page_has_run_details (w->page, w->key) && row != NULL &&
         strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "failed in “") != NULL;
}

/* The first incident of @model whose kind is @kind (NONE: any). */
static CtCase *
find_incident (CtWindow       *window,
               const char     *model,
               CtIncidentKind  kind,
               const char     *title_part)
{
  GPtrArray *cases = ct_case_store_get_cases (ct_window_get_store (window));
  CtIntegrationsPage *page = ct_window_get_integrations_page (window);

  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];

      if (c->kind == CT_CASE_KIND_INCIDENT && g_str_equal (c->model, model) &&
          (kind == CT_INCIDENT_NONE || c->incident_kind == kind) &&
          (title_part == NULL || strstr (c->title, title_part) != NULL) &&
          ct_integrations_page_get_row (page, c->key) != NULL)
        return c;
    }
  return NULL;
}

static GtkWidget *
expander_of (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "ct-expander");
}

/* The button inside @row whose label is @label, as a user would click it. */
static void
click (GtkWidget  *row,
       const char *label)
{
  GtkWidget *button = ct_test_gui_find (row, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
case_read (gpointer data)
{
  return g_strcmp0 (ct_case_page_get_state (data), "loading") != 0;
}

/* The demo: incidents by system with n8n's own words; Retry of a run
 * that succeeds on retry says so after re-reading; a held-up case opens. */
static void
test_demo_retry (void)
{
  CtWindow *window = ct_test_window_open (&the_app);
  CtIntegrationsPage *page = ct_window_get_integrations_page (window);
  GtkWidget *row;
  CtCase *c;
  g_autofree char *key = NULL;
  g_autofree char *png = NULL;
  Waiting w = { page, NULL };
  const char *result;

  g_action_group_activate_action (G_ACTION_GROUP (the_app), "demo", NULL);
  g_assert_true (ct_test_gui_wait (ct_test_window_synced, window, 60000));
  ct_window_update_now (window);

  ct_window_show_page (window, "integrations");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpstr (ct_window_get_page (window), ==, "integrations");
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_PREFERENCES_GROUP,
                                      "n8n Workflows"));
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_PREFERENCES_GROUP,
                                      "Source Health"));

  /* The nightly export mostly succeeds when run again. */
  c = find_incident (window, "n8n.execution", CT_INCIDENT_N8N_ERROR, "Nightly BI export");
  if (c == NULL)
    c = find_incident (window, "n8n.execution", CT_INCIDENT_N8N_ERROR, NULL);
  g_assert_nonnull (c);
  key = g_strdup (c->key);
  w.key = key;
  /* n8n's message and the failing node, read with the run's data. */
  g_assert_true (ct_test_gui_wait (details_shown, &w, 20000));
  row = ct_integrations_page_get_row (page, key);
  g_assert_nonnull (row);
  g_test_message ("run: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "failed in “"));
  g_assert_true (ct_integrations_page_reveal (page, key));
  png = ct_test_gui_render_both (GTK_WIDGET (window), "integrations");

  row = ct_integrations_page_get_row (page, key);
  click (row, "Retry");
  row = ct_integrations_page_get_row (page, key);
  g_assert_nonnull (row);
  g_assert_nonnull (ct_test_gui_find (row, GTK_TYPE_SPINNER, NULL));
  g_assert_true (ct_test_gui_wait (action_done, &w, 30000));
  result = ct_integrations_page_get_result (page, key);
  g_test_message ("retry: %s", result);
  g_assert_true (g_str_has_prefix (result, "Retried: the new run "));
  g_assert_true (ct_test_gui_wait (ct_test_window_synced, window, 30000));
  ct_window_update_now (window);
  /* Still said on the page, after the refresh, if the incident is. */
  row = ct_integrations_page_get_row (page, key);
  if (row != NULL)
    g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, result));

  /* A case an incident holds up opens from the page. */
  {
    GPtrArray *cases = ct_case_store_get_cases (ct_window_get_store (window));
    CtCasePage *case_page = ct_window_get_case_page (window);
    const char *held = NULL;
    CtCase *incident = NULL;

    for (guint i = 0; i < cases->len && held == NULL; i++)
      {
        CtCase *x = cases->pdata[i];

        for (guint j = 0; x->kind == CT_CASE_KIND_INCIDENT && x->linked_keys &&
                          ct_integrations_page_get_row (page, x->key) != NULL &&
                          j < x->linked_keys->len; j++)
          if (ct_case_store_lookup (ct_window_get_store (window), x->linked_keys->pdata[j]))
            {
              held = x->linked_keys->pdata[j];
              incident = x;
              break;
            }
      }
    g_assert_nonnull (held);
    ct_window_show_incident (window, incident->key);
    row = ct_integrations_page_get_row (page, incident->key);
    g_assert_nonnull (row);
    g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (expander_of (row))));
    row = expander_of (row);
    {
      CtCase *h = ct_case_store_lookup (ct_window_get_store (window), held);
      const char *what = ct_case_get_title (h) ? ct_case_get_title (h) : h->partner.name;
      g_autofree char *title = what ? g_strdup_printf ("%s · %s", h->reference ? h->reference : held,
                                                       what)
                                    : g_strdup (h->reference ? h->reference : held);
      GtkWidget *held_row = ct_test_gui_find (row, ADW_TYPE_ACTION_ROW, title);

      g_assert_nonnull (held_row);
      g_signal_emit_by_name (held_row, "activate");
    }
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (case_page)));
    g_assert_cmpstr (ct_case_get_key (ct_case_page_get_case (case_page)), ==, held);
    g_assert_true (ct_test_gui_wait (case_read, case_page, 20000));
    /* The header's SLA bar says when the case is due and how it stands. */
    {
      CtCase *h = ct_case_page_get_case (case_page);
      CtSlaBar *bar = ct_case_page_get_sla_bar (case_page);

      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)) == (h->sla.status != CT_SLA_STATUS_NONE));
      if (h->sla.status != CT_SLA_STATUS_NONE)
        {
          g_test_message ("SLA bar: %s | %s | %s", ct_sla_bar_get_due (bar), ct_sla_bar_get_left (bar),
                          ct_sla_bar_get_escalation (bar));
          g_assert_true (g_str_has_prefix (ct_sla_bar_get_due (bar), "Due "));
          if (h->sla.status == CT_SLA_STATUS_BREACHED)
            g_assert_true (g_str_has_prefix (ct_sla_bar_get_left (bar), "Breached "));
          else
            g_assert_nonnull (strstr (ct_sla_bar_get_left (bar), "of business time left"));
          g_assert_true ((ct_sla_bar_get_escalation (bar) != NULL) == (h->sla.escalation_level > 0));
        }
    }
    /* The case's linked incident goes back to the page, expanded. */
    {
      g_autofree char *title = g_strdup_printf ("%s %s", ct_case_get_title (incident),
                                                incident->reference ? incident->reference : "");
      GtkWidget *group = ct_test_gui_find (GTK_WIDGET (case_page), ADW_TYPE_PREFERENCES_GROUP,
                                           "Linked Incidents");
      GtkWidget *linked;

      g_assert_nonnull (group);
      linked = ct_test_gui_find (group, ADW_TYPE_ACTION_ROW, g_strstrip (title));
      if (linked == NULL)
        {
          CtCaseDetail *d = ct_case_page_get_detail (case_page);

          g_test_message ("wanted %s", title);
          for (guint k = 0; d->incident_keys && k < d->incident_keys->len; k++)
            g_test_message ("linked %s", (char *) d->incident_keys->pdata[k]);
        }
      g_assert_nonnull (linked);
      g_signal_emit_by_name (linked, "activate");
    }
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
    g_assert_cmpstr (ct_window_get_page (window), ==, "integrations");
    row = ct_integrations_page_get_row (page, incident->key);
    g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (expander_of (row))));
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

      g_assert_nonnull (focus);
      g_assert_true (focus == row || gtk_widget_is_ancestor (focus, row));
    }
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* The run @id as n8n has it now, read apart from the app. */
static char *
n8n_status_of (const char *id)
{
  CtSimServer *sim = ct_application_get_demo_sim (the_app);
  g_autofree char *url = ct_sim_server_dup_url (sim);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nClient) n8n = ct_n8n_client_new (url, ct_sim_server_get_n8n_api_key (sim), FALSE,
                                                  &error);
  g_autoptr(GAsyncResult) result = NULL;
  CtN8nExecution *run;
  char *status;

  g_assert_no_error (error);
  ct_n8n_client_get_execution_async (n8n, id, FALSE, NULL, store_result, &result);
  g_assert_true (ct_test_gui_wait (have_result, &result, 20000));
  run = ct_n8n_client_get_execution_finish (n8n, result, &error);
  g_assert_no_error (error);
  status = g_strdup (run->status);
  ct_n8n_execution_free (run);
  return status;
}

/* What the issue asks of someone who has never seen the app: in the demo,
 * the oldest breached credit release; why it is held and what blocks it
 * (the failing credit bureau check, linked from the case); that incident
 * on the Integrations page; Retry; and the page says what the new run did,
 * as n8n has it. */
static void
test_oldest_credit_release (void)
{
  CtWindow *window = ct_test_window_open (&the_app);
  CtIntegrationsPage *page = ct_window_get_integrations_page (window);
  CtCasePage *case_page = ct_window_get_case_page (window);
  GPtrArray *cases;
  CtCase *oldest = NULL;
  CtCase *bureau = NULL;
  CtCaseDetail *detail;
  GtkWidget *group, *linked, *row;
  g_autofree char *key = NULL;
  g_autofree char *title = NULL;
  g_autofree char *png = NULL;
  g_autofree char *run = NULL;
  g_autofree char *status = NULL;
  Waiting w = { page, NULL };
  const char *result;

  g_action_group_activate_action (G_ACTION_GROUP (the_app), "demo", NULL);
  g_assert_true (ct_test_gui_wait (ct_test_window_synced, window, 60000));
  ct_window_update_now (window);

  cases = ct_case_store_get_cases (ct_window_get_store (window));
  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];

      if (c->kind == CT_CASE_KIND_APPROVAL && g_strcmp0 (c->area_id, "credit") == 0 &&
          c->sla.status == CT_SLA_STATUS_BREACHED &&
          (oldest == NULL || c->sla.breached_seconds > oldest->sla.breached_seconds))
        oldest = c;
    }
  g_assert_nonnull (oldest);
  key = g_strdup (oldest->key);
  g_test_message ("oldest breached credit release: %s (%s)", oldest->reference, key);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-case", "s", key);
  g_assert_true (ct_test_gui_wait (case_read, case_page, 20000));
  g_assert_cmpstr (ct_case_page_get_state (case_page), ==, "detail");
  detail = ct_case_page_get_detail (case_page);

  /* Why it is held, and the integration that blocks it. */
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (case_page), ADW_TYPE_PREFERENCES_GROUP,
                                      "Why It Needs Approval"));
  g_assert_cmpuint (detail->reasons->len, >, 0);
  group = ct_test_gui_find (GTK_WIDGET (case_page), ADW_TYPE_PREFERENCES_GROUP,
                            "Linked Incidents");
  g_assert_nonnull (group);
  for (guint i = 0; detail->incident_keys != NULL && i < detail->incident_keys->len; i++)
    {
      CtCase *incident = ct_case_store_lookup (ct_window_get_store (window),
                                               detail->incident_keys->pdata[i]);

      if (incident != NULL && strstr (ct_case_get_title (incident), "Credit bureau check") != NULL)
        bureau = incident;
    }
  g_assert_nonnull (bureau);
  w.key = bureau->key;
  title = g_strdup_printf ("%s %s", ct_case_get_title (bureau),
                           bureau->reference ? bureau->reference : "");
  linked = ct_test_gui_find (group, ADW_TYPE_ACTION_ROW, g_strstrip (title));
  g_assert_nonnull (linked);
  png = ct_test_gui_render_both (GTK_WIDGET (window), "credit-release");

  /* To the incident, and Retry. */
  g_signal_emit_by_name (linked, "activate");
  g_assert_cmpstr (ct_window_get_page (window), ==, "integrations");
  row = ct_integrations_page_get_row (page, bureau->key);
  g_assert_nonnull (row);
  g_assert_true (ct_test_gui_wait (details_shown, &w, 20000));
  row = ct_integrations_page_get_row (page, bureau->key);
  g_test_message ("incident: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  click (row, "Retry");
  g_assert_true (ct_test_gui_wait (action_done, &w, 30000));
  result = ct_integrations_page_get_result (page, bureau->key);
  g_test_message ("retry: %s", result);
  g_assert_true (g_str_has_prefix (result, "Retried: the new run "));
  g_free (png);
  png = ct_test_gui_render_both (GTK_WIDGET (window), "credit-release-retried");

  /* The truth: what the page says the new run did is what n8n has. */
  run = g_strndup (result + strlen ("Retried: the new run "),
                   strcspn (result + strlen ("Retried: the new run "), " "));
  status = n8n_status_of (run);
  g_test_message ("n8n says run %s: %s", run, status);
  if (g_str_equal (status, "success"))
    g_assert_nonnull (strstr (result, " succeeded."));
  else if (g_str_equal (status, "error") || g_str_equal (status, "crashed"))
    g_assert_nonnull (strstr (result, " failed again"));
  else if (g_str_equal (status, "waiting"))
    g_assert_nonnull (strstr (result, " is waiting."));
  else
    g_assert_nonnull (strstr (result, " is still running."));

  /* Back to the case it came from. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.incident-back", NULL);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (case_page)));
  g_assert_cmpstr (ct_case_get_key (ct_case_page_get_case (case_page)), ==, key);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Saves a connection to @sim for @login with that user's own key. */
static void
save_connection (CtSimServer *sim,
                 const char  *login)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = ct_sim_server_dup_url (sim);

  g_assert_true (ct_secrets_store_sync (CT_SECRET_ODOO_API_KEY, url, login,
                                        ct_sim_server_get_api_key (sim, login), NULL, NULL));
  g_assert_true (ct_secrets_store_sync (CT_SECRET_N8N_API_KEY, url, NULL,
                                        ct_sim_server_get_n8n_api_key (sim), NULL, NULL));
  g_settings_delay (settings);
  g_settings_set_string (settings, "odoo-url", url);
  g_settings_set_string (settings, "odoo-database", ct_sim_server_get_database (sim));
  g_settings_set_string (settings, "odoo-login", login);
  g_settings_set_string (settings, "n8n-url", url);
  g_settings_apply (settings);
}

static gboolean
health_has_text (gpointer data)
{
  CtWindow *window = data;
  CtSync *sync = ct_window_get_sync (window);

  for (guint i = 0; sync && i < ct_sync_get_n_sources (sync); i++)
    if (ct_sync_get_health (sync, i)->kind == CT_SOURCE_KIND_CRON &&
        ct_sync_get_health (sync, i)->probed)
      return ct_test_window_synced (window);
  return FALSE;
}

/* A manager, who is no administrator: the page says in Odoo's words why
 * scheduled actions are not shown; a Retry that n8n fails says so; the
 * same Retry then works and is re-read; a Requeue Odoo refuses says why. */
static void
test_manager_refusal_and_failure (void)
{
  CtSimOptions options = { .seed = 3, .n_cases = 400 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSimServer) sim = ct_sim_server_new (&options, &error);
  g_autofree char *url = NULL;
  g_autofree char *key = NULL;
  g_autofree char *png = NULL;
  CtWindow *window;
  CtIntegrationsPage *page;
  GtkWidget *row;
  CtCase *c;
  g_autofree char *fault = NULL;
  Waiting w;
  const char *result;

  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (sim, &error));
  url = ct_sim_server_dup_url (sim);
  window = ct_test_window_open (&the_app);
  page = ct_window_get_integrations_page (window);
  w.page = page;
  save_connection (sim, "manager");
  g_assert_true (ct_test_gui_wait (health_has_text, window, 60000));
  ct_window_update_now (window);
  ct_window_show_page (window, "integrations");

  /* The refusal to read scheduled actions, in words, where the sources are. */
  {
    CtSync *sync = ct_window_get_sync (window);

    for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
      {
        const CtSourceHealth *h = ct_sync_get_health (sync, i);
        GtkWidget *health_row;
        const char *subtitle;

        if (h->kind != CT_SOURCE_KIND_CRON)
          continue;
        health_row = ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, h->name);
        g_assert_nonnull (health_row);
        subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (health_row));
        g_test_message ("%s: %s", h->name, subtitle);
        g_assert_nonnull (strstr (subtitle, "Administrator"));
      }
  }

  c = find_incident (window, "n8n.execution", CT_INCIDENT_N8N_ERROR, NULL);
  g_assert_nonnull (c);
  key = g_strdup (c->key);
  w.key = key;
  row = ct_integrations_page_get_row (page, key);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander_of (row)), TRUE);

  /* The server fails: said as a failure, nothing claimed. */
  fault = g_strdup_printf ("http500@/api/v1/executions/%" G_GINT64_FORMAT "/retry*1", c->record_id);
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (sim), fault, &error));
  click (row, "Retry");
  g_assert_true (ct_test_gui_wait (action_done, &w, 30000));
  result = ct_integrations_page_get_result (page, key);
  g_test_message ("failed retry: %s", result);
  g_assert_true (g_str_has_prefix (result, "It did not work: "));
  row = ct_integrations_page_get_row (page, key);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (expander_of (row))));
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, result));
  png = ct_test_gui_render_both (GTK_WIDGET (window), "integrations-failed");

  /* Again: it works, and the re-read says what the new run did. */
  row = ct_integrations_page_get_row (page, key);
  click (row, "Retry");
  g_assert_true (ct_test_gui_wait (action_done, &w, 30000));
  result = ct_integrations_page_get_result (page, key);
  g_test_message ("retry: %s", result);
  g_assert_true (g_str_has_prefix (result, "Retried: the new run "));

  /* An administrator takes the Job Queue Manager right away from the
   * manager while the page is open: Requeue is refused by Odoo, said in
   * Odoo's words with the group that would allow it, and the job stays. */
  c = find_incident (window, "queue.job", CT_INCIDENT_NONE, NULL);
  g_assert_nonnull (c);
  g_free (key);
  key = g_strdup (c->key);
  w.key = key;
  g_assert_true (ct_sim_server_set_user_groups (sim, "manager",
                                                "base.group_user,purchase.group_purchase_user,"
                                                "purchase.group_purchase_manager,stock.group_stock_user"));
  row = ct_integrations_page_get_row (page, key);
  if (expander_of (row) != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander_of (row)), TRUE);
  click (row, "Requeue");
  g_assert_true (ct_test_gui_wait (action_done, &w, 30000));
  result = ct_integrations_page_get_result (page, key);
  g_test_message ("refused requeue: %s", result);
  g_assert_true (g_str_has_prefix (result, "It did not work: Odoo refused: "));
  g_assert_nonnull (strstr (result, "Job Queue Manager"));
  g_assert_null (strstr (result, "Requeued"));
  g_assert_nonnull (ct_integrations_page_get_row (page, key));

  gtk_window_destroy (GTK_WINDOW (window));
  ct_secrets_clear_sync (CT_SECRET_ODOO_API_KEY, url, "manager", NULL, NULL);
  ct_sim_server_stop (sim);
}

static gboolean
has_source (CtCase       *c,
            CtSourceKind  kind)
{
  for (guint i = 0; i < c->requirements->len; i++)
    if (((CtRequirement *) c->requirements->pdata[i])->source == kind)
      return TRUE;
  return FALSE;
}

/* The pictures for data/screenshots: a case under tier and double
 * validation with anomalies, the incident holding it up, the page. */
static void
test_screenshots (void)
{
  CtWindow *window = ct_test_window_open (&the_app);
  CtIntegrationsPage *page = ct_window_get_integrations_page (window);
  CtCasePage *case_page = ct_window_get_case_page (window);
  GPtrArray *cases;
  CtCase *pick = NULL;
  g_autofree char *png = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1270, 850);
  if (!ct_application_get_demo (the_app))
    g_action_group_activate_action (G_ACTION_GROUP (the_app), "demo", NULL);
  g_assert_true (ct_test_gui_wait (ct_test_window_synced, window, 60000));
  ct_window_update_now (window);
  cases = ct_case_store_get_cases (ct_window_get_store (window));
  for (guint pass = 0; pass < 2 && pick == NULL; pass++)
    for (guint i = 0; i < cases->len && pick == NULL; i++)
      {
        CtCase *c = cases->pdata[i];

        if (c->kind == CT_CASE_KIND_APPROVAL && has_source (c, CT_SOURCE_KIND_TIER_VALIDATION) &&
            has_source (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION) &&
            (pass == 1 || (c->anomalies != NULL && c->anomalies->len > 0)))
          pick = c;
      }
  for (guint i = 0, n = 0; i < cases->len && n < 8; i++)
    {
      CtCase *c = cases->pdata[i];

      if (c->anomalies != NULL && c->anomalies->len > 0)
        {
          n++;
          g_test_message ("anomalies on %s (tier %d, double validation %d, priority %.0f)", c->key,
                          has_source (c, CT_SOURCE_KIND_TIER_VALIDATION),
                          has_source (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION), c->priority);
        }
    }
  g_assert_nonnull (pick);
  g_test_message ("screenshot case %s, %u anomalies", pick->key,
                  pick->anomalies ? pick->anomalies->len : 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-case", "s", pick->key);
  g_assert_true (ct_test_gui_wait (case_read, case_page, 20000));
  png = ct_test_gui_render_both (GTK_WIDGET (window), "shot-case");

  /* The page as it opens, then an incident that holds a case up, expanded. */
  ct_window_show_page (window, "integrations");
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  g_free (png);
  png = ct_test_gui_render_both (GTK_WIDGET (window), "shot-integrations");
  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];

      if (c->kind == CT_CASE_KIND_INCIDENT && c->linked_keys != NULL && c->linked_keys->len > 0 &&
          g_str_equal (c->model, "n8n.execution") &&
          ct_case_store_lookup (ct_window_get_store (window), c->linked_keys->pdata[0]) != NULL)
        {
          Waiting w = { page, c->key };

          ct_window_show_incident (window, c->key);
          ct_test_gui_wait (details_shown, &w, 10000);
          break;
        }
    }
  ct_test_gui_spin (200);
  g_free (png);
  png = ct_test_gui_render_both (GTK_WIDGET (window), "shot-incident");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GTK_A11Y", "test", TRUE);
  ct_test_gui_init (&argc, &argv);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add_func ("/ct/gui/integrations/manager-refusal-and-failure",
                   test_manager_refusal_and_failure);
  /* The demo stays on for the rest of the process. */
  g_test_add_func ("/ct/gui/integrations/demo-retry", test_demo_retry);
  g_test_add_func ("/ct/gui/integrations/oldest-credit-release", test_oldest_credit_release);
  g_test_add_func ("/ct/gui/integrations/screenshots", test_screenshots);

  {
    int status = g_test_run ();

    g_clear_object (&the_app);
    return status;
  }
}
