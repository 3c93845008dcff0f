/* ct-preferences-window.c - Settings a user may change
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-preferences-window.h"

struct _CtPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;   /* (owned) */
  GtkNativeDialog      *chooser;    /* (owned) (nullable) */

  /* Template widgets */
  GtkWidget            *call_timeout_spin;
  GtkWidget            *connect_timeout_spin;
  GtkWidget            *interval_spin;
  GtkWidget            *notifications_switch;
  GtkWidget            *profile_reset_button;
  GtkWidget            *profile_row;
};

G_DEFINE_FINAL_TYPE (CtPreferencesWindow, ct_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
update_profile_row (CtPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "profile-file");
  gboolean custom = path != NULL && *path != '\0';

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->profile_row),
                               custom ? path : _("Built-in distributor profile"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.reset-profile", custom);
}

static void
settings_changed_cb (CtPreferencesWindow *self,
                     const char          *key)
{
  if (g_strcmp0 (key, "profile-file") == 0)
    update_profile_row (self);
}

static void
chooser_response_cb (CtPreferencesWindow *self,
                     int                  response,
                     GtkNativeDialog     *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "profile-file", path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_profile_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CtPreferencesWindow *self = CT_PREFERENCES_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Choose a Governance Profile"),
                                                                  GTK_WINDOW (self),
                                                                  GTK_FILE_CHOOSER_ACTION_OPEN,
                                                                  _("_Open"), _("_Cancel")));
  gtk_file_filter_set_name (filter, _("Governance profiles (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
reset_profile_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CtPreferencesWindow *self = CT_PREFERENCES_WINDOW (widget);

  g_settings_reset (self->settings, "profile-file");
}

static void
ct_preferences_window_dispose (GObject *object)
{
  CtPreferencesWindow *self = CT_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (ct_preferences_window_parent_class)->dispose (object);
}

static void
ct_preferences_window_class_init (CtPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/sysgenpro/ControlTower/dialogs/ct-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, call_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, connect_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, profile_reset_button);
  gtk_widget_class_bind_template_child (widget_class, CtPreferencesWindow, profile_row);

  gtk_widget_class_install_action (widget_class, "preferences.choose-profile", NULL,
                                   choose_profile_action);
  gtk_widget_class_install_action (widget_class, "preferences.reset-profile", NULL,
                                   reset_profile_action);
}

static void
ct_preferences_window_init (CtPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CtPreferencesWindow *
ct_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  CtPreferencesWindow *self;

  self = g_object_new (CT_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "sync-interval",
                   self->interval_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "connect-timeout",
                   self->connect_timeout_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "call-timeout",
                   self->call_timeout_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "desktop-notifications",
                   self->notifications_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb),
                           self, G_CONNECT_SWAPPED);
  update_profile_row (self);

  return self;
}
