/* ct-window.c - The main window
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-connection.h"
#include "ct-window.h"

struct _CtWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;        /* (owned) */
  gboolean              demo;

  /* Template widgets */
  GtkWidget            *account_row;
  GtkWidget            *check_group;
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
ct_window_update_page (CtWindow *self)
{
  g_autoptr(CtConnection) connection = ct_connection_load (self->settings);

  if (!self->demo && !ct_connection_is_configured (connection))
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "welcome");
      return;
    }

  if (self->demo)
    {
      adw_window_title_set_subtitle (self->window_title, _("Demo Data"));
    }
  else
    {
      g_autofree char *account = NULL;

      /* Server text is data: rows show it as plain text, never as markup. */
      adw_window_title_set_subtitle (self->window_title, connection->odoo_url);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->server_row), connection->odoo_url);
      if (connection->database != NULL && *connection->database != '\0')
        account = g_strdup_printf (_("%s on database %s"), connection->login, connection->database);
      else
        account = g_strdup (connection->login);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), account);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->n8n_row),
                                   connection->n8n_url != NULL && *connection->n8n_url != '\0'
                                   ? connection->n8n_url : _("Not watched"));
    }

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
