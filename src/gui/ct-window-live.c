/* ct-window-live.c - The window kept current: the Odoo bus where it can, polling where not
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync refreshes on the settings' interval by itself. Where the
 * connection has a web session (a password sign-in), the Odoo bus also
 * says when a record changed: the window then refreshes at once the
 * sources that record concerns (one incremental pass for the
 * notifications of a second; a change no source reads asks nothing). The
 * health popover
 * says which of the two is in use, and why when it is polling.
 */

#define G_LOG_DOMAIN "ct-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-notification-policy.h"
#include "ct-window-live.h"
#include "ct-window-private.h"

/* Notifications come in bursts (a decision writes several records). */
#define BUS_COALESCE_MS 1000

typedef struct
{
  CtOdooBus    *bus;          /* (owned) (nullable) */
  CtOdooClient *bus_client;   /* (unowned) what @bus listens with, only compared */
  guint         bus_timeout;  /* a refresh the bus asked for, coalesced */
  GHashTable   *bus_models;   /* (owned) the models it named meanwhile */
  guint         n_bus_refreshes;
  GtkWidget    *updates_row;  /* (unowned) in the popover's connection list */

  /* Desktop notifications: one policy per connected session. */
  CtNotificationPolicy *policy;        /* (owned) (nullable) */
  CtOdooClient         *policy_client; /* (unowned) only compared */
  guint                 n_notifications;
  char                 *last_title;    /* (owned) (nullable) */
  char                 *last_target;   /* (owned) (nullable) */
} LiveView;

static LiveView *
live_view (CtWindow *self)
{
  return g_object_get_data (G_OBJECT (self), "ct-live-view");
}

static void
live_view_free (gpointer data)
{
  LiveView *view = data;

  g_clear_handle_id (&view->bus_timeout, g_source_remove);
  g_clear_pointer (&view->bus_models, g_hash_table_unref);
  if (view->bus != NULL)
    {
      g_signal_handlers_disconnect_matched (view->bus, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, NULL);
      ct_odoo_bus_stop (view->bus);
    }
  g_clear_object (&view->bus);
  g_clear_object (&view->policy);
  g_free (view->last_title);
  g_free (view->last_target);
  g_free (view);
}

static char *
interval_words (CtWindow *self)
{
  guint seconds = self->settings ? g_settings_get_uint (self->settings, "sync-interval") : 300;

  if (seconds % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %u min", "every %u min",
                                         seconds / 60), seconds / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %u s", "every %u s", seconds),
                          seconds);
}

static void
update_row (CtWindow *self)
{
  LiveView *view = live_view (self);
  g_autofree char *every = interval_words (self);
  g_autofree char *text = NULL;

  if (view->bus == NULL)
    /* TRANSLATORS: how the tower stays current: "Refreshed every 5 min" */
    text = g_strdup_printf (_("Refreshed %s"), every);
  else if (ct_odoo_bus_get_state (view->bus) == CT_BUS_STATE_LIVE)
    /* TRANSLATORS: "Live from the Odoo bus, and refreshed every 5 min" */
    text = g_strdup_printf (_("Live from the Odoo bus, and refreshed %s"), every);
  else if (ct_odoo_bus_get_state (view->bus) == CT_BUS_STATE_CONNECTING)
    text = g_strdup_printf (_("Connecting to the Odoo bus; refreshed %s meanwhile"), every);
  else
    /* TRANSLATORS: "Refreshed every 5 min. Polling: live updates need a password sign-in." */
    text = g_strdup_printf (_("Refreshed %s. %s"), every, ct_odoo_bus_get_status_text (view->bus));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (view->updates_row), text);
}

static gboolean
bus_refresh_cb (gpointer data)
{
  CtWindow *self = data;
  LiveView *view = live_view (self);
  g_autofree const char **models = NULL;

  view->bus_timeout = 0;
  view->n_bus_refreshes++;
  models = (const char **)g_hash_table_get_keys_as_array (view->bus_models, NULL);
  g_debug ("Refresh for the bus: %u models", g_hash_table_size (view->bus_models));
  ct_window_start_refresh_models (self, models);
  /* The names stay valid until the refresh has copied what it needs. */
  g_hash_table_remove_all (view->bus_models);
  return G_SOURCE_REMOVE;
}

static void
bus_changed_cb (CtWindow   *self,
                const char *model,
                gint64      id,
                CtOdooBus  *bus)
{
  LiveView *view = live_view (self);

  g_debug ("Bus: %s %" G_GINT64_FORMAT " changed", model, id);
  /* A partner's or a product's chatter: nothing the tower shows. */
  if (self->sync == NULL || !ct_sync_refreshes_model (self->sync, model))
    return;
  if (view->bus_models == NULL)
    view->bus_models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (view->bus_models, g_strdup (model));
  if (view->bus_timeout == 0)
    view->bus_timeout = g_timeout_add (BUS_COALESCE_MS, bus_refresh_cb, self);
}

static void
bus_state_cb (CtWindow *self)
{
  update_row (self);
}

void
ct_window_live_stop (CtWindow *self)
{
  LiveView *view = live_view (self);

  if (view == NULL)
    return;
  g_clear_handle_id (&view->bus_timeout, g_source_remove);
  g_clear_pointer (&view->bus_models, g_hash_table_unref);
  if (view->bus != NULL)
    {
      g_signal_handlers_disconnect_by_data (view->bus, self);
      ct_odoo_bus_stop (view->bus);
    }
  g_clear_object (&view->bus);
  view->bus_client = NULL;
  g_clear_object (&view->policy);
  view->policy_client = NULL;
  update_row (self);
}

/* Whether anything would show a notification: a desktop's notification
 * server on the session bus (running or startable), or the portal in a
 * sandbox. GLib warns on every send that finds neither. */
static gboolean
desktop_shows_notifications (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) owner = NULL;
  g_autoptr(GVariant) names = NULL;
  g_autofree const char **list = NULL;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return TRUE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;
  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.Notifications"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000, NULL,
                                       NULL);
  if (owner != NULL)
    {
      gboolean has_owner = FALSE;

      g_variant_get (owner, "(b)", &has_owner);
      if (has_owner)
        return TRUE;
    }
  names = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 1000, NULL,
                                       NULL);
  if (names == NULL)
    return FALSE;
  g_variant_get (names, "(^a&s)", &list);
  return list != NULL && g_strv_contains (list, "org.freedesktop.Notifications");
}

/* New breaches and cases newly waiting for the user, as one summary at
 * most once a minute (the policy keeps the rest for later); activating it
 * opens the most urgent case through app.open-case. */
static void
notify_news (CtWindow *self)
{
  LiveView *view = live_view (self);
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(CtNotificationContent) content = NULL;
  g_autoptr(GNotification) notification = NULL;

  if (self->client != NULL && ct_odoo_client_get_uid (self->client) != 0 &&
      view->policy_client != self->client)
    {
      g_clear_object (&view->policy);
      view->policy = ct_notification_policy_new (ct_odoo_client_get_uid (self->client));
      view->policy_client = self->client;
      if (self->settings != NULL)
        g_settings_bind (self->settings, "desktop-notifications", view->policy, "enabled",
                         G_SETTINGS_BIND_GET);
    }
  /* Only what the servers said counts: not a snapshot, not a half read. */
  if (view->policy == NULL || app == NULL || self->sync == NULL ||
      ct_sync_get_synced_at (self->sync) == 0 || ct_sync_is_stale (self->sync))
    return;
  content = ct_notification_policy_update (view->policy, ct_case_store_get_cases (self->store),
                                           g_get_real_time () / G_USEC_PER_SEC);
  if (content == NULL)
    return;
  if (!desktop_shows_notifications ())
    {
      g_debug ("No notification server for: %s", content->title);
      return;
    }
  notification = ct_notification_content_to_notification (content, "app.open-case");
  g_application_send_notification (app, CT_NOTIFICATION_ID, notification);
  view->n_notifications++;
  g_free (view->last_title);
  view->last_title = g_strdup (content->title);
  g_free (view->last_target);
  view->last_target = g_strdup (content->target_key);
  g_debug ("Notified: %s", content->title);
}

static void
start_bus (CtWindow *self)
{
  LiveView *view = live_view (self);

  view->bus = ct_odoo_bus_new (self->client);
  g_signal_connect_object (view->bus, "changed", G_CALLBACK (bus_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view->bus, "notify::state", G_CALLBACK (bus_state_cb), self,
                           G_CONNECT_SWAPPED);
  ct_odoo_bus_start (view->bus);
  update_row (self);
}

static void
session_authenticated_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(CtWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  LiveView *view;

  /* Without the web session the bus says why it polls; nothing else to do. */
  if (!ct_odoo_client_authenticate_session_finish (CT_ODOO_CLIENT (source), result, &error))
    g_debug ("No web session: %s", error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  view = live_view (self);
  if (view == NULL || view->bus_client != CT_ODOO_CLIENT (source) || view->bus != NULL)
    return;
  start_bus (self);
}

void
ct_window_live_update (CtWindow *self)
{
  LiveView *view = live_view (self);

  if (view == NULL)
    return;
  /* A connected session (it knows its user) that has no bus yet. A
   * password sign-in opens the web session the bus (and the chatter)
   * needs first; an API key never has one. */
  if (self->client != NULL && ct_odoo_client_get_uid (self->client) != 0 &&
      view->bus_client != self->client)
    {
      g_autofree char *kind = self->demo || self->settings == NULL
                              ? NULL : g_settings_get_string (self->settings, "odoo-secret-kind");

      ct_window_live_stop (self);
      view->bus_client = self->client;
      if (g_strcmp0 (kind, "password") == 0 && !ct_odoo_client_has_web_session (self->client))
        ct_odoo_client_authenticate_session_async (self->client, self->session_cancellable,
                                                   session_authenticated_cb, g_object_ref (self));
      else
        start_bus (self);
    }
  update_row (self);
  notify_news (self);
}

void
ct_window_live_init (CtWindow *self)
{
  LiveView *view = g_new0 (LiveView, 1);
  GtkWidget *list = gtk_widget_get_parent (self->server_row);

  view->updates_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (view->updates_row), _("Updates"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (view->updates_row), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (view->updates_row), 3);
  gtk_list_box_append (GTK_LIST_BOX (list), view->updates_row);
  g_object_set_data_full (G_OBJECT (self), "ct-live-view", view, live_view_free);
  update_row (self);
}

CtOdooBus *
ct_window_get_bus (CtWindow *self)
{
  LiveView *view = live_view (self);

  return view ? view->bus : NULL;
}

guint
ct_window_live_get_n_bus_refreshes (CtWindow *self)
{
  return live_view (self)->n_bus_refreshes;
}

const char *
ct_window_live_get_updates_text (CtWindow *self)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (live_view (self)->updates_row));
}

guint
ct_window_live_get_n_notifications (CtWindow    *self,
                                    const char **title,
                                    const char **target)
{
  LiveView *view = live_view (self);

  if (title != NULL)
    *title = view->last_title;
  if (target != NULL)
    *target = view->last_target;
  return view->n_notifications;
}
