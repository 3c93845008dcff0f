/* ct-window.c - The main window
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-window"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "ct-connection.h"
#include "ct-check-row.h"
#include "ct-connection-check.h"
#include "ct-secrets.h"
#include "ct-window.h"

struct _CtWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;        /* (owned) */
  gboolean              demo;
  GCancellable         *check_cancellable; /* (owned) (nullable) */
  GPtrArray            *check_rows;      /* (owned) */

  /* Template widgets */
  GtkWidget            *account_row;
  GtkWidget            *check_group;
  GtkWidget            *check_spinner;
  GtkWidget            *connect_button;
  GtkWidget            *demo_button;
  GtkWidget            *n8n_row;
  GtkWidget            *server_row;
  GtkWidget            *stack;
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwStatusPage        *welcome_page;
};

G_DEFINE_FINAL_TYPE (CtWindow, ct_window, ADW_TYPE_APPLICATION_WINDOW)

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static void
clear_check (CtWindow *self)
{
  for (guint i = 0; i < self->check_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->check_group),
                                  self->check_rows->pdata[i]);
  g_ptr_array_set_size (self->check_rows, 0);
}

static void
add_check_row (CtWindow     *self,
               CtCheckState  state,
               const char   *title,
               const char   *text)
{
  GtkWidget *row = ct_check_row_new (state, title, text);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->check_group), row);
  g_ptr_array_add (self->check_rows, row);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CtWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = ct_connection_check_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_visible (self->check_spinner, FALSE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->check_spinner), FALSE);
  g_clear_object (&self->check_cancellable);
  clear_check (self);
  if (items == NULL)
    {
      add_check_row (self, CT_CHECK_ERROR, _("Connection Check"), error->message);
      return;
    }
  for (guint i = 0; i < items->len; i++)
    {
      CtCheckItem *item = items->pdata[i];

      add_check_row (self, item->state, item->title ? item->title : item->id, item->text);
    }
}

/* Runs the connection check for what the page shows, with secrets taken
 * from the keyring (or the demo backend) just for this check. */
static void
ct_window_run_check (CtWindow     *self,
                     CtConnection *connection,
                     const char   *secret,
                     const char   *n8n_key)
{
  CtCheckOptions options = { 0 };
  g_autofree char *pinned = g_settings_get_string (self->settings, "pinned-certificate");

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();
  clear_check (self);

  if (secret == NULL)
    {
      add_check_row (self, CT_CHECK_ERROR, _("Sign-in"),
                     _("The keyring has no password or API key for this login. Open the connection to enter one."));
      return;
    }

  gtk_widget_set_visible (self->check_spinner, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->check_spinner), TRUE);
  options.connection = connection;
  options.secret = secret;
  options.n8n_api_key = n8n_key;
  options.pinned_sha256 = pinned != NULL && *pinned != '\0' ? pinned : NULL;
  options.connect_timeout_ms = g_settings_get_uint (self->settings, "connect-timeout") * 1000;
  options.call_timeout_ms = g_settings_get_uint (self->settings, "call-timeout") * 1000;
  ct_connection_check_async (&options, self->check_cancellable, check_done_cb, g_object_ref (self));
}

static void
show_connection (CtWindow     *self,
                 CtConnection *connection,
                 gboolean      check)
{
  g_autofree char *account = NULL;
  char *secret = NULL;
  char *n8n_key = NULL;

  /* Server text is data: rows show it as plain text, never as markup. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->server_row), connection->odoo_url);
  account = g_strdup_printf (_("%s on database %s"), connection->login, connection->database);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), account);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->n8n_row),
                               connection->n8n_url != NULL && *connection->n8n_url != '\0'
                               ? connection->n8n_url : _("Not watched"));
  if (!check)
    return;

  if (self->demo)
    {
      CtApplication *app = CT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

      secret = ct_application_dup_demo_secret (app);
      n8n_key = ct_application_dup_demo_n8n_key (app);
    }
  else
    {
      char *stored;

      stored = ct_secrets_lookup_sync (connection->secret_kind == CT_SECRET_KIND_PASSWORD
                                       ? CT_SECRET_ODOO_PASSWORD : CT_SECRET_ODOO_API_KEY,
                                       connection->odoo_url, connection->login, NULL, NULL);
      if (stored != NULL)
        {
          secret = g_strdup (stored);
          ct_secrets_free (stored);
        }
      if (connection->n8n_url != NULL && *connection->n8n_url != '\0')
        {
          stored = ct_secrets_lookup_sync (CT_SECRET_N8N_API_KEY, connection->n8n_url, NULL, NULL, NULL);
          if (stored != NULL)
            {
              n8n_key = g_strdup (stored);
              ct_secrets_free (stored);
            }
        }
    }

  ct_window_run_check (self, connection, secret, n8n_key);
  wipe_free (secret);
  wipe_free (n8n_key);
}

static void
ct_window_update_page (CtWindow *self)
{
  g_autoptr(CtConnection) connection = NULL;

  if (self->demo)
    {
      CtApplication *app = CT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

      connection = ct_application_dup_demo_connection (app);
      adw_window_title_set_subtitle (self->window_title, _("Demo Data"));
    }
  else
    {
      connection = ct_connection_load (self->settings);
      if (!ct_connection_is_configured (connection))
        {
          g_cancellable_cancel (self->check_cancellable);
          adw_window_title_set_subtitle (self->window_title, NULL);
          gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "welcome");
          return;
        }
      adw_window_title_set_subtitle (self->window_title, connection->odoo_url);
    }

  if (connection != NULL)
    show_connection (self, connection, TRUE);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "connection");
}

static void
settings_changed_cb (CtWindow   *self,
                     const char *key,
                     GSettings  *settings)
{
  if (g_str_has_prefix (key, "odoo-") || g_str_has_prefix (key, "n8n-"))
    ct_window_update_page (self);
}

static void
ct_window_save_state (CtWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
ct_window_close_request (GtkWindow *window)
{
  ct_window_save_state (CT_WINDOW (window));
  return GTK_WINDOW_CLASS (ct_window_parent_class)->close_request (window);
}

static void
ct_window_dispose (GObject *object)
{
  CtWindow *self = CT_WINDOW (object);

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_pointer (&self->check_rows, g_ptr_array_unref);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_WINDOW);

  G_OBJECT_CLASS (ct_window_parent_class)->dispose (object);
}

static void
ct_window_class_init (CtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ct_window_dispose;
  window_class->close_request = ct_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/sysgenpro/ControlTower/ct-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CtWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, check_group);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, demo_button);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, n8n_row);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, window_title);
}

static void
ct_window_init (CtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->check_rows = g_ptr_array_new ();
}

CtWindow *
ct_window_new (CtApplication *application)
{
  CtWindow *self;
  GSettings *settings = ct_application_get_settings (application);

  self = g_object_new (CT_TYPE_WINDOW,
                       "application", application,
                       "default-width", g_settings_get_int (settings, "window-width"),
                       "default-height", g_settings_get_int (settings, "window-height"),
                       "maximized", g_settings_get_boolean (settings, "window-maximized"),
                       NULL);
  self->settings = g_object_ref (settings);
  self->demo = ct_application_get_demo (application);
  gtk_widget_set_visible (self->demo_button, ct_application_get_demo_available (application));
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  ct_window_update_page (self);

  return self;
}

void
ct_window_add_toast (CtWindow   *self,
                     const char *title)
{
  g_return_if_fail (CT_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

void
ct_window_refresh (CtWindow *self)
{
  g_return_if_fail (CT_IS_WINDOW (self));

  self->demo = ct_application_get_demo (CT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  ct_window_update_page (self);
}
