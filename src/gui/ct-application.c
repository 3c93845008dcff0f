/* ct-application.c - The Control Tower application
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-application"

#include "config.h"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "ct-application.h"
#include "ct-cli.h"
#include "ct-connection-dialog.h"
#include "ct-preferences-window.h"
#include "ct-sim-server.h"
#include "ct-window.h"

/* The embedded simulator backs the demo. Flip to FALSE only for a build
 * without src/sim (there is none today); the welcome page hides the demo
 * button rather than offer something that cannot work. */
#define CT_DEMO_AVAILABLE TRUE

struct _CtApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;   /* (owned) */
  CtSimServer    *sim;        /* (owned) (nullable): the demo backend */
  CtCliOptions   *cli;        /* (owned): filled by the command line */
  gboolean        demo;
};

G_DEFINE_FINAL_TYPE (CtApplication, ct_application, ADW_TYPE_APPLICATION)

static CtWindow *
ct_application_get_main_window (CtApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (CT_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
ct_application_start_demo (CtApplication  *self,
                           GError        **error)
{
  g_autoptr(CtSimServer) sim = NULL;
  CtSimOptions options = { 0 };

  if (self->sim != NULL)
    return TRUE;

  options.seed = 1;
  options.n_cases = 2000;
  sim = ct_sim_server_new (&options, error);
  if (sim == NULL || !ct_sim_server_start (sim, error))
    return FALSE;

  self->sim = g_steal_pointer (&sim);
  self->demo = TRUE;
  return TRUE;
}

static void
ct_application_activate (GApplication *app)
{
  CtApplication *self = CT_APPLICATION (app);
  CtWindow *window;

  window = ct_application_get_main_window (self);
  if (window == NULL)
    window = ct_window_new (self);
  gtk_window_present (GTK_WINDOW (window));
}

static int
ct_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  CtApplication *self = CT_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      printf ("%s %s\n", "control-tower", PACKAGE_VERSION);
      return 0;
    }

  /* Checks and reports run here, in the calling process, before GTK is
   * initialised: they need no display (over ssh, from cron). */
  self->cli->demo = g_variant_dict_contains (options, "demo");
  if (ct_cli_options_wants_run (self->cli))
    {
      g_autoptr(GOutputStream) out = g_unix_output_stream_new (1, FALSE);

      return ct_cli_run (self->cli, self->settings, out);
    }

  return -1;
}

static int
ct_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  CtApplication *self = CT_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);

  if (g_variant_dict_contains (options, "demo"))
    {
      g_autoptr(GError) error = NULL;

      if (!ct_application_start_demo (self, &error))
        {
          g_application_command_line_printerr (command_line,
                                               _("Cannot start the demo backend: %s\n"),
                                               error->message);
          return 1;
        }
    }

  g_application_activate (app);
  return 0;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  CtApplication *self = user_data;
  const char *developers[] = { "SysGenPro", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Control Tower"),
                        "application-icon", APP_ID,
                        "developer-name", "SysGenPro",
                        "version", PACKAGE_VERSION,
                        "website", "https://sysgenpro.com/control-tower",
                        "issue-url", "https://sysgenpro.com/control-tower/issues",
                        "copyright", "© 2026 SysGenPro",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CtApplication *self = user_data;
  CtPreferencesWindow *preferences;

  preferences = ct_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                           self->settings);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
connection_saved_cb (CtApplication *self)
{
  CtWindow *window = ct_application_get_main_window (self);

  /* A real connection replaces the demo. */
  self->demo = FALSE;
  if (window != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.toast", "s", _("Connection saved"));
    }
}

static void
connect_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  CtApplication *self = user_data;
  CtConnectionDialog *dialog;

  dialog = ct_connection_dialog_new (GTK_WINDOW (ct_application_get_main_window (self)),
                                     self->settings);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (connection_saved_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
demo_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CtApplication *self = user_data;
  CtWindow *window = ct_application_get_main_window (self);
  g_autoptr(GError) error = NULL;

  if (!ct_application_start_demo (self, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot start the demo: %s"), error->message);

      if (window != NULL)
        gtk_widget_activate_action (GTK_WIDGET (window), "win.toast", "s", message);
      return;
    }

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
}

/* A desktop notification's target: the case it announces. */
static void
open_case_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  CtApplication *self = user_data;
  CtWindow *window = ct_application_get_main_window (self);

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      window = ct_application_get_main_window (self);
    }
  if (window == NULL)
    return;
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-case", "s",
                              g_variant_get_string (parameter, NULL));
}

static gpointer
copy_ref (gconstpointer src,
          gpointer      data)
{
  return g_object_ref ((gpointer) src);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CtApplication *self = user_data;

  GList *windows;

  /* Close windows first so they save their state. Closing one removes it
   * from the application's list: walk a copy that holds a reference. */
  windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                              copy_ref, NULL);
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "connect", connect_action },
  { "demo", demo_action },
  { "open-case", open_case_action, "s" },
  { "preferences", preferences_action },
  { "quit", quit_action },
};

static void
ct_application_startup (GApplication *app)
{
  CtApplication *self = CT_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *connect_accels[] = { "<Control>l", NULL };
  const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (ct_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.connect", connect_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

static void
ct_application_shutdown (GApplication *app)
{
  CtApplication *self = CT_APPLICATION (app);

  if (self->sim != NULL)
    ct_sim_server_stop (self->sim);
  g_clear_object (&self->sim);

  G_APPLICATION_CLASS (ct_application_parent_class)->shutdown (app);
}

static void
ct_application_dispose (GObject *object)
{
  CtApplication *self = CT_APPLICATION (object);

  g_clear_object (&self->sim);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->cli, ct_cli_options_free);
  G_OBJECT_CLASS (ct_application_parent_class)->dispose (object);
}

static void
ct_application_class_init (CtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ct_application_dispose;
  app_class->activate = ct_application_activate;
  app_class->startup = ct_application_startup;
  app_class->shutdown = ct_application_shutdown;
  app_class->command_line = ct_application_command_line;
  app_class->handle_local_options = ct_application_handle_local_options;
}

static void
ct_application_init (CtApplication *self)
{
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Explore with demo data from the built-in simulator"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  self->settings = g_settings_new (APP_ID);
  self->cli = ct_cli_options_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_add_option_group (G_APPLICATION (self), ct_cli_options_get_group (self->cli));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Govern approvals on Odoo: pending cases, service levels and stalled integrations."));
}

CtApplication *
ct_application_new (void)
{
  return g_object_new (CT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/com/sysgenpro/ControlTower",
                       NULL);
}

GSettings *
ct_application_get_settings (CtApplication *self)
{
  g_return_val_if_fail (CT_IS_APPLICATION (self), NULL);

  return self->settings;
}

gboolean
ct_application_get_demo (CtApplication *self)
{
  g_return_val_if_fail (CT_IS_APPLICATION (self), FALSE);

  return self->demo;
}

gboolean
ct_application_get_demo_available (CtApplication *self)
{
  return CT_DEMO_AVAILABLE;
}

/* The connection to the running demo backend, or NULL. */
CtConnection *
ct_application_dup_demo_connection (CtApplication *self)
{
  CtConnection *connection;

  g_return_val_if_fail (CT_IS_APPLICATION (self), NULL);

  if (self->sim == NULL)
    return NULL;
  connection = ct_connection_new ();
  g_free (connection->odoo_url);
  connection->odoo_url = ct_sim_server_dup_url (self->sim);
  g_free (connection->database);
  connection->database = g_strdup (ct_sim_server_get_database (self->sim));
  g_free (connection->login);
  connection->login = g_strdup ("admin");
  connection->secret_kind = ct_sim_server_get_api_key (self->sim, "admin") != NULL
                            ? CT_SECRET_KIND_API_KEY : CT_SECRET_KIND_PASSWORD;
  connection->n8n_url = ct_sim_server_dup_url (self->sim);
  return connection;
}

char *
ct_application_dup_demo_secret (CtApplication *self)
{
  const char *key;

  if (self->sim == NULL)
    return NULL;
  key = ct_sim_server_get_api_key (self->sim, "admin");
  return g_strdup (key != NULL ? key : ct_sim_server_get_password (self->sim, "admin"));
}

char *
ct_application_dup_demo_n8n_key (CtApplication *self)
{
  return self->sim != NULL ? g_strdup (ct_sim_server_get_n8n_api_key (self->sim)) : NULL;
}

/* The base address of the running demo backend, or NULL. */
char *
ct_application_dup_demo_url (CtApplication *self)
{
  g_return_val_if_fail (CT_IS_APPLICATION (self), NULL);

  return self->sim != NULL ? ct_sim_server_dup_url (self->sim) : NULL;
}

/* The running demo backend (for tests that inject faults), or NULL. */
CtSimServer *
ct_application_get_demo_sim (CtApplication *self)
{
  g_return_val_if_fail (CT_IS_APPLICATION (self), NULL);

  return self->sim;
}
