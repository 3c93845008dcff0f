/* ct-window.c - The main window: sidebar of queues, pages, freshness
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-connection.h"
#include "ct-health-row.h"
#include "ct-metrics.h"
#include "ct-secrets.h"
#include "ct-window-case.h"
#include "ct-window-integrations.h"
#include "ct-window-live.h"
#include "ct-window-decisions.h"
#include "ct-window-private.h"

G_DEFINE_FINAL_TYPE (CtWindow, ct_window, ADW_TYPE_APPLICATION_WINDOW)

/* The sidebar, in order. A NULL scope is a page of its own. */
static const struct
{
  const char *name;
  const char *label;
  const char *icon;
  int         scope;
} sidebar_pages[] = {
  { "overview", N_("Overview"), "view-grid-symbolic", -1 },
  { "mine", N_("My Queue"), "avatar-default-symbolic", CT_CASE_SCOPE_MINE },
  { "pending", N_("All Pending"), "view-list-symbolic", CT_CASE_SCOPE_ALL_PENDING },
  { "breaches", N_("SLA Breaches"), "dialog-warning-symbolic", CT_CASE_SCOPE_BREACHED },
  { "escalations", N_("Escalations"), "go-up-symbolic", CT_CASE_SCOPE_ESCALATED },
  { "integrations", N_("Integrations"), "network-workgroup-symbolic", CT_CASE_SCOPE_INCIDENTS },
  { "journal", N_("Decision Journal"), "document-open-recent-symbolic", -1 },
};

#define SPINNER_DELAY_MS 250

static void
session_stop (CtWindow *self)
{
  g_clear_handle_id (&self->session_idle, g_source_remove);
  if (self->session_cancellable != NULL)
    g_cancellable_cancel (self->session_cancellable);
  g_clear_object (&self->session_cancellable);
  if (self->sync != NULL)
    {
      ct_sync_stop (self->sync);
      g_signal_handlers_disconnect_by_data (self->sync, self);
    }
  g_clear_object (&self->sync);
  g_clear_object (&self->client);
  g_clear_object (&self->n8n);
  g_clear_object (&self->journal);
  ct_window_live_stop (self);
  g_clear_pointer (&self->connect_error, g_free);
  self->refreshing = FALSE;
  self->refresh_again = FALSE;
  g_clear_handle_id (&self->spinner_timeout, g_source_remove);
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), FALSE);
}

static gboolean
spinner_timeout_cb (gpointer data)
{
  CtWindow *self = data;

  self->spinner_timeout = 0;
  gtk_widget_set_visible (self->spinner, self->refreshing);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->refreshing);
  return G_SOURCE_REMOVE;
}

/* A spinner only when the refresh takes longer than a blink. */
static void
set_refreshing (CtWindow *self,
                gboolean  refreshing)
{
  self->refreshing = refreshing;
  g_clear_handle_id (&self->spinner_timeout, g_source_remove);
  if (refreshing)
    self->spinner_timeout = g_timeout_add (SPINNER_DELAY_MS, spinner_timeout_cb, self);
  else
    {
      gtk_widget_set_visible (self->spinner, FALSE);
      gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), FALSE);
    }
}

static gboolean
source_feeds_scope (CtSourceKind kind,
                    int          scope)
{
  gboolean incident = kind == CT_SOURCE_KIND_N8N || kind == CT_SOURCE_KIND_CRON ||
                      kind == CT_SOURCE_KIND_QUEUE_JOB;

  return scope == CT_CASE_SCOPE_INCIDENTS ? incident : !incident;
}

/* Whether the count of @scope is unknown: the source that feeds it has not
 * once been read, so a 0 would be a lie. */
static gboolean
scope_unknown (CtWindow *self,
               int       scope)
{
  if (self->sync == NULL)
    return ct_case_store_get_n_cases (self->store) == 0;
  /* Nothing read yet, not even a snapshot (signing in, or it failed). */
  if (ct_sync_get_synced_at (self->sync) == 0)
    return TRUE;
  for (guint i = 0; i < ct_sync_get_n_sources (self->sync); i++)
    {
      const CtSourceHealth *h = ct_sync_get_health (self->sync, i);

      if (source_feeds_scope (h->kind, scope) && h->failures > 0 && h->last_success == 0)
        return TRUE;
    }
  return FALSE;
}

char *
ct_window_format_count (CtWindow *self,
                        int       scope,
                        guint     n)
{
  if (scope_unknown (self, scope))
    return n == 0 ? g_strdup ("—") : g_strdup_printf ("%u+", n);
  return g_strdup_printf ("%u", n);
}

static GtkWidget *
sidebar_row (CtWindow   *self,
             const char *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (self->sidebar); row;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (gtk_widget_get_name (row), name) == 0)
      return row;
  return NULL;
}

static void
update_counts (CtWindow *self)
{
  guint counts[CT_CASE_N_SCOPES];

  ct_case_scope_count_all (ct_case_store_get_cases (self->store), self->user_id, counts);
  for (guint i = 0; i < G_N_ELEMENTS (sidebar_pages); i++)
    {
      GtkWidget *row = sidebar_row (self, sidebar_pages[i].name);
      GtkWidget *count = g_object_get_data (G_OBJECT (row), "count");
      g_autofree char *text = NULL;
      g_autofree char *a11y = NULL;

      if (sidebar_pages[i].scope < 0)
        continue;
      text = ct_window_format_count (self, sidebar_pages[i].scope, counts[sidebar_pages[i].scope]);
      gtk_label_set_text (GTK_LABEL (count), text);
      a11y = g_strdup_printf ("%s, %s", _(sidebar_pages[i].label),
                              g_str_equal (text, "—") ? _("unknown") : text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    }
}

static char *
format_age (gint64 seconds)
{
  if (seconds < 60)
    return g_strdup (_("updated just now"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "updated %d min ago", "updated %d min ago",
                                         (int) (seconds / 60)), (int) (seconds / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "updated %d hour ago", "updated %d hours ago",
                                       (int) (seconds / 3600)), (int) (seconds / 3600));
}

/* Whether some, but not all, of the sources there for this user failed at
 * their last refresh: the window is then current, except for them. */
static gboolean
some_sources_failed (CtSync *sync)
{
  guint available = 0, failed = 0;

  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    {
      const CtSourceHealth *health = ct_sync_get_health (sync, i);

      if (!health->available)
        continue;
      available++;
      if (health->failures > 0)
        failed++;
    }
  return failed > 0 && failed < available;
}

static void
update_subtitle (CtWindow *self)
{
  g_autofree char *subtitle = NULL;
  gint64 synced = self->sync ? ct_sync_get_synced_at (self->sync) : 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *db = self->demo ? _("Demo Data") : self->database;

  if (synced == 0)
    subtitle = g_strdup (self->refreshing || self->connect_error == NULL ? (db ? db : "")
                                                                         : _("offline"));
  else if (some_sources_failed (self->sync))
    {
      /* Only some sources failed: the bar above the page says which. */
      g_autofree char *age = format_age (MAX (0, now - synced));

      g_autofree char *partly = g_strdup_printf (_("%s, some sources failed"), age);

      subtitle = db ? g_strdup_printf ("%s · %s", db, partly) : g_steal_pointer (&partly);
    }
  else if (ct_sync_is_stale (self->sync))
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (synced);
      g_autofree char *time = g_date_time_format (when, "%H:%M");
      g_autofree char *stale = g_strdup_printf (_("offline — snapshot %s"), time);

      subtitle = db ? g_strdup_printf ("%s · %s", db, stale) : g_strdup (stale);
    }
  else
    {
      g_autofree char *age = format_age (MAX (0, now - synced));

      subtitle = db ? g_strdup_printf ("%s · %s", db, age) : g_strdup (age);
    }
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static char *
format_when (gint64 t)
{
  g_autoptr(GDateTime) when = NULL;

  if (t == 0)
    return g_strdup (_("never"));
  when = g_date_time_new_from_unix_local (t);
  return g_date_time_format (when, "%d %b %H:%M");
}

static void
update_health (CtWindow *self)
{
  GtkWidget *child;
  guint failing = 0;
  g_autoptr(GString) failed = g_string_new (NULL);
  gint64 since = 0;

  while ((child = gtk_widget_get_first_child (self->health_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->health_list), child);

  for (guint i = 0; self->sync && i < ct_sync_get_n_sources (self->sync); i++)
    {
      const CtSourceHealth *h = ct_sync_get_health (self->sync, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = format_when (h->last_success);
      g_autofree char *subtitle = NULL;

      if (h->available && h->failures > 0)
        {
          failing++;
          if (failed->len > 0)
            g_string_append (failed, ", ");
          g_string_append (failed, h->name);
          if (since == 0 || (h->last_success != 0 && h->last_success < since))
            since = h->last_success;
          subtitle = g_strdup_printf (_("Last success %s · %s"), when,
                                      h->last_error ? h->last_error : "");
        }
      else if (h->available)
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Last success %s · %u case",
                                                 "Last success %s · %u cases", h->cases),
                                    when, h->cases);
      /* Records the source could not read are counted, in words, here too
       * ("3 records could not be read: wrong type for write_date"). */
      {
        g_autofree char *skipped = ct_source_describe_unreadable (ct_sync_get_source (self->sync, i));

        if (skipped != NULL)
          {
            char *joined = subtitle != NULL ? g_strdup_printf ("%s · %s", subtitle, skipped)
                                            : g_strdup (skipped);

            g_free (subtitle);
            subtitle = joined;
          }
      }
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), h->name);
      if (subtitle != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      ct_health_row_decorate (ADW_ACTION_ROW (row), h);
      gtk_list_box_append (GTK_LIST_BOX (self->health_list), row);
    }
  gtk_widget_set_visible (self->health_list, self->sync != NULL && ct_sync_get_n_sources (self->sync) > 0);

  gtk_widget_remove_css_class (self->health_button, "health-failing");
  gtk_widget_remove_css_class (self->health_button, "health-ok");
  if (self->connect_error != NULL)
    {
      g_autofree char *text = NULL;

      if (self->sync != NULL && ct_sync_get_synced_at (self->sync) != 0)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (ct_sync_get_synced_at (self->sync));
          g_autofree char *time = g_date_time_format (when, "%H:%M");

          text = g_strdup_printf (_("%s. Showing the cases as they were at %s."), self->connect_error, time);
        }
      else
        text = g_strdup_printf (_("%s. Nothing can be shown until Odoo answers."), self->connect_error);

      gtk_label_set_text (GTK_LABEL (self->info_label), text);
      gtk_info_bar_set_revealed (GTK_INFO_BAR (self->info_bar), TRUE);
      gtk_widget_add_css_class (self->health_button, "health-failing");
      gtk_widget_set_tooltip_text (self->health_button, _("Sources: not connected"));
    }
  else if (failing > 0)
    {
      g_autofree char *when = since ? format_when (since) : NULL;
      g_autofree char *text =
        since ? g_strdup_printf (_("Could not read %s (since %s). What it feeds is shown from the last "
                                   "successful read."), failed->str, when)
              : g_strdup_printf (_("Could not read %s. What it feeds is not counted yet."), failed->str);

      gtk_label_set_text (GTK_LABEL (self->info_label), text);
      gtk_info_bar_set_revealed (GTK_INFO_BAR (self->info_bar), TRUE);
      gtk_widget_add_css_class (self->health_button, "health-failing");
      gtk_widget_set_tooltip_text (self->health_button, _("Sources: some failing"));
    }
  else
    {
      gtk_info_bar_set_revealed (GTK_INFO_BAR (self->info_bar), FALSE);
      if (self->sync != NULL && ct_sync_get_synced_at (self->sync) != 0)
        gtk_widget_add_css_class (self->health_button, "health-ok");
      gtk_widget_set_tooltip_text (self->health_button, _("Sources: all working"));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->health_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_widget_get_tooltip_text (self->health_button), -1);
}

static void
update_all (CtWindow *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean unknown[CT_CASE_N_SCOPES];

  for (guint s = 0; s < CT_CASE_N_SCOPES; s++)
    unknown[s] = scope_unknown (self, s);
  update_counts (self);
  update_subtitle (self);
  update_health (self);
  ct_overview_page_update (self->overview_page, self->profile, self->store, self->sync,
                           unknown, now);
  ct_queue_page_update (self->queue_page);
  ct_window_integrations_update (self);
  ct_window_live_update (self);
  ct_window_decisions_update (self);
}

static gboolean
update_idle_cb (gpointer data)
{
  CtWindow *self = data;

  self->update_idle = 0;
  update_all (self);
  return G_SOURCE_REMOVE;
}

static void
queue_update (CtWindow *self)
{
  if (self->update_idle == 0)
    self->update_idle = g_idle_add_full (G_PRIORITY_LOW, update_idle_cb, self, NULL);
}

static void
store_items_changed_cb (CtWindow *self)
{
  queue_update (self);
}

static void
sync_refreshed_cb (CtWindow *self)
{
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      ct_window_start_refresh (self);
      queue_update (self);
      return;
    }
  set_refreshing (self, FALSE);
  queue_update (self);
}

static void
refresh_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CtWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Failures are shown by the bar from the sources' health. Busy: a
   * scheduled pass was on its way; Retry runs again once it is done, so
   * what the user asked for is what they see. */
  if (!ct_sync_refresh_finish (CT_SYNC (object), result, &error) &&
      g_error_matches (error, CT_SYNC_ERROR, CT_SYNC_ERROR_BUSY) && CT_SYNC (object) == self->sync)
    {
      /* The refusal comes a turn of the loop later: the refresh it met
       * may have ended meanwhile, and then nothing would run it again. */
      if (ct_sync_is_refreshing (self->sync))
        self->refresh_again = TRUE;
      else
        ct_window_start_refresh (self);
    }
  g_debug ("Refresh done: %s", error ? error->message : "ok");
}

static gboolean
signed_in (CtWindow *self)
{
  return self->client != NULL && ct_odoo_client_is_connected (self->client);
}

/* Whether the sign-in is on its way (the keyring, then Odoo): the sources
 * are there already, and its first refresh follows once Odoo accepted it. */
static gboolean
signing_in (CtWindow *self)
{
  return self->sync != NULL && !signed_in (self) && self->connect_error == NULL;
}

void
ct_window_start_refresh (CtWindow *self)
{
  if (signing_in (self))
    {
      g_debug ("Refresh asked while signing in: the sign-in's refresh follows");
      return;
    }
  if (self->sync == NULL || !signed_in (self))
    {
      /* No connection, or the sign-in failed: try again from the start. */
      g_clear_pointer (&self->connect_error, g_free);
      g_object_set_data (G_OBJECT (self), "session-key", NULL);
      ct_window_update_page (self);
      return;
    }
  g_debug ("Refresh asked");
  set_refreshing (self, TRUE);
  ct_sync_refresh_async (self->sync, FALSE, self->session_cancellable, refresh_done_cb,
                         g_object_ref (self));
}

void
ct_window_start_refresh_models (CtWindow           *self,
                                const char * const *models)
{
  if (self->sync == NULL || !signed_in (self))
    return;
  g_debug ("Refresh asked for the sources of %s", models[0]);
  set_refreshing (self, TRUE);
  ct_sync_refresh_models_async (self->sync, models, self->session_cancellable, refresh_done_cb,
                                g_object_ref (self));
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CtWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CtOdooClient *client = CT_ODOO_CLIENT (object);

  if (!ct_odoo_client_connect_finish (client, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || client != self->client)
        return;
      g_free (self->connect_error);
      self->connect_error = g_strdup (error->message);
      set_refreshing (self, FALSE);
      queue_update (self);
      return;
    }
  if (client != self->client)
    return;

  self->user_id = ct_odoo_client_get_uid (client);
  ct_queue_page_set_user_id (self->queue_page, self->user_id);
  ct_sync_start (self->sync);
  queue_update (self);
}

/* Connects with @secret (the password or API key, kept by the client). */
static void
session_connect (CtWindow     *self,
                 CtConnection *connection,
                 const char   *secret,
                 const char   *n8n_key)
{
  g_autofree char *pinned = g_settings_get_string (self->settings, "pinned-certificate");

  if (secret == NULL)
    {
      self->connect_error = g_strdup (_("the keyring has no password or API key for this login; "
                                        "open the connection to enter one"));
      set_refreshing (self, FALSE);
      queue_update (self);
      return;
    }
  if (n8n_key != NULL && connection->n8n_url != NULL && *connection->n8n_url != '\0')
    {
      g_autoptr(GError) error = NULL;

      self->n8n = ct_n8n_client_new (connection->n8n_url, n8n_key,
                                     connection->allow_insecure_http, &error);
      if (self->n8n == NULL)
        g_warning ("n8n: %s", error->message);
    }
  self->client = ct_odoo_client_new ();
  if (!self->demo)
    ct_odoo_client_set_timeouts (self->client,
                                 g_settings_get_uint (self->settings, "connect-timeout") * 1000,
                                 g_settings_get_uint (self->settings, "call-timeout") * 1000);
  if (!self->demo && pinned != NULL && *pinned != '\0')
    ct_odoo_client_set_pinned_certificate (self->client, pinned);
  /* The sources are there before the connect: their probes go out as soon
   * as Odoo accepted the sign-in, beside the rest of the connect, and the
   * first refresh is a round trip shorter. They are read once connected. */
  ct_sync_add_default_sources (self->sync, self->client, self->n8n, connection->n8n_url, n8n_key);
  ct_odoo_client_connect_async (self->client, connection, secret, self->session_cancellable,
                                connected_cb, g_object_ref (self));
}

typedef struct
{
  CtWindow     *self;        /* (owned) */
  CtConnection *connection;  /* (owned) */
  char         *secret;      /* (owned) (nullable) from the keyring */
  guint         pending;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_object_unref (lookup->self);
  ct_connection_free (lookup->connection);
  ct_secrets_free (lookup->secret);
  g_free (lookup);
}

static void
n8n_key_found_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GError) error = NULL;
  char *n8n_key = ct_secrets_lookup_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    session_connect (lookup->self, lookup->connection, lookup->secret, n8n_key);
  ct_secrets_free (n8n_key);
  lookup_free (lookup);
}

static void
secret_found_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GError) error = NULL;
  CtWindow *self = lookup->self;

  lookup->secret = ct_secrets_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      lookup_free (lookup);
      return;
    }
  if (lookup->connection->n8n_url != NULL && *lookup->connection->n8n_url != '\0' &&
      lookup->secret != NULL)
    {
      ct_secrets_lookup_async (CT_SECRET_N8N_API_KEY, lookup->connection->n8n_url, NULL,
                               self->session_cancellable, n8n_key_found_cb, lookup);
      return;
    }
  if (self->session_cancellable != NULL && !g_cancellable_is_cancelled (self->session_cancellable))
    session_connect (self, lookup->connection, lookup->secret, NULL);
  lookup_free (lookup);
}

static char *
journal_dir (CtWindow   *self,
             const char *key)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_build_filename (g_get_user_data_dir (), "control-tower", "snapshots", hash, NULL);
}

static void
session_start (CtWindow     *self,
               CtConnection *connection,
               const char   *key)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autofree char *account = NULL;

  session_stop (self);
  self->n_sessions++;
  self->session_cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self), "session-key", g_strdup (key), g_free);
  g_free (self->database);
  self->database = g_strdup (connection->database);
  self->user_id = 0;
  ct_queue_page_set_user_id (self->queue_page, 0);

  /* Server text is data: these rows have markup off (see the .ui). */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->server_row), connection->odoo_url);
  account = g_strdup_printf (_("%s on database %s"), connection->login,
                             connection->database ? connection->database : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), account);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->n8n_row),
                               connection->n8n_url != NULL && *connection->n8n_url != '\0'
                               ? connection->n8n_url : _("Not watched"));

  /* Another server's cases never show under this one's name. */
  ct_case_store_replace_all (self->store, none);
  self->sync = ct_sync_new (self->profile, self->store);
  ct_sync_bind_interval (self->sync, self->settings);
  g_signal_connect_object (self->sync, "refreshed", G_CALLBACK (sync_refreshed_cb), self,
                           G_CONNECT_SWAPPED);

  /* The snapshot first, at once, marked stale; then the servers. */
  if (!self->demo)
    {
      g_autofree char *dir = journal_dir (self, key);
      g_autoptr(GError) error = NULL;

      self->journal = ct_journal_open (dir, &error);
      if (self->journal == NULL)
        g_warning ("No snapshot: %s", error->message);
      else
        {
          ct_sync_set_journal (self->sync, self->journal);
          if (!ct_sync_load_snapshot (self->sync, &error))
            g_debug ("Snapshot: %s", error->message);
        }
    }
  set_refreshing (self, TRUE);
  update_all (self);

  if (self->demo)
    {
      CtApplication *app = CT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
      g_autofree char *secret = ct_application_dup_demo_secret (app);
      g_autofree char *n8n_key = ct_application_dup_demo_n8n_key (app);

      session_connect (self, connection, secret, n8n_key);
    }
  else
    {
      Lookup *lookup = g_new0 (Lookup, 1);

      lookup->self = g_object_ref (self);
      lookup->connection = ct_connection_copy (connection);
      ct_secrets_lookup_async (connection->secret_kind == CT_SECRET_KIND_PASSWORD
                               ? CT_SECRET_ODOO_PASSWORD : CT_SECRET_ODOO_API_KEY,
                               lookup->connection->odoo_url, lookup->connection->login,
                               self->session_cancellable, secret_found_cb, lookup);
    }
}

static char *
session_key (CtWindow     *self,
             CtConnection *connection)
{
  if (self->demo)
    return g_strdup ("demo");
  return g_strdup_printf ("%s\n%s\n%s\n%d\n%s", connection->odoo_url,
                          connection->database ? connection->database : "",
                          connection->login ? connection->login : "",
                          connection->secret_kind,
                          connection->n8n_url ? connection->n8n_url : "");
}

void
ct_window_update_page (CtWindow *self)
{
  CtApplication *app = CT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(CtConnection) connection = NULL;
  g_autofree char *key = NULL;

  if (app != NULL)
    self->demo = ct_application_get_demo (app);
  if (self->demo)
    connection = ct_application_dup_demo_connection (app);
  else
    {
      connection = ct_connection_load (self->settings);
      if (!ct_connection_is_configured (connection))
        {
          session_stop (self);
          g_object_set_data (G_OBJECT (self), "session-key", NULL);
          gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "welcome");
          ct_window_update_actions (self);
          return;
        }
    }

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "tower");
  ct_window_update_actions (self);
  key = session_key (self, connection);
  if (self->sync != NULL &&
      g_strcmp0 (g_object_get_data (G_OBJECT (self), "session-key"), key) == 0)
    {
      ct_window_start_refresh (self);
      return;
    }
  session_start (self, connection, key);
}

static gboolean
session_idle_cb (gpointer data)
{
  CtWindow *self = data;

  self->session_idle = 0;
  ct_window_update_page (self);
  return G_SOURCE_REMOVE;
}

static void
settings_changed_cb (CtWindow   *self,
                     const char *key,
                     GSettings  *settings)
{
  /* One Save writes several keys: react once, after the last. */
  if ((g_str_has_prefix (key, "odoo-") || g_str_has_prefix (key, "n8n-") ||
       g_str_equal (key, "pinned-certificate")) && self->session_idle == 0)
    self->session_idle = g_idle_add (session_idle_cb, self);
}

static gboolean
clock_cb (gpointer data)
{
  CtWindow *self = data;

  /* The minute tick: SLA states move with time, and so does "updated … ago". */
  if (ct_case_store_update_sla (self->store, self->profile, g_get_real_time () / G_USEC_PER_SEC) == 0)
    update_subtitle (self);
  return G_SOURCE_CONTINUE;
}

static void sidebar_row_selected_cb (CtWindow      *self,
                                     GtkListBoxRow *row,
                                     GtkListBox    *box);

void
ct_window_show_page (CtWindow   *self,
                     const char *name)
{
  GtkWidget *row = sidebar_row (self, name);

  g_return_if_fail (row != NULL);
  if (gtk_list_box_get_selected_row (GTK_LIST_BOX (self->sidebar)) != GTK_LIST_BOX_ROW (row))
    gtk_list_box_select_row (GTK_LIST_BOX (self->sidebar), GTK_LIST_BOX_ROW (row));
  else
    /* Chosen again (from an open case, say): show it again. */
    sidebar_row_selected_cb (self, GTK_LIST_BOX_ROW (row), GTK_LIST_BOX (self->sidebar));
}

static void
sidebar_row_selected_cb (CtWindow      *self,
                         GtkListBoxRow *row,
                         GtkListBox    *box)
{
  const char *name;

  if (row == NULL)
    return;
  name = gtk_widget_get_name (GTK_WIDGET (row));
  g_free (self->page);
  self->page = g_strdup (name);
  for (guint i = 0; i < G_N_ELEMENTS (sidebar_pages); i++)
    {
      if (!g_str_equal (sidebar_pages[i].name, name))
        continue;
      adw_window_title_set_title (self->window_title, _(sidebar_pages[i].label));
      gtk_window_set_title (GTK_WINDOW (self), _(sidebar_pages[i].label));
      /* A scope with a page of its own (Integrations) shows that page. */
      if (sidebar_pages[i].scope >= 0 &&
          gtk_stack_get_child_by_name (GTK_STACK (self->pages), name) == NULL)
        {
          g_autoptr(CtCaseFilter) filter = ct_case_filter_new (sidebar_pages[i].scope);

          ct_queue_page_set_filter (self->queue_page, filter);
          gtk_stack_set_visible_child_name (GTK_STACK (self->pages), "queue");
        }
      else
        gtk_stack_set_visible_child_name (GTK_STACK (self->pages), name);
    }
  ct_window_update_actions (self);
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
sidebar_row_activated_cb (CtWindow      *self,
                          GtkListBoxRow *row,
                          GtkListBox    *box)
{
  /* Folded, choosing the row already selected still opens it. */
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
build_sidebar (CtWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (sidebar_pages); i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name (sidebar_pages[i].icon);
      GtkWidget *label = gtk_label_new (_(sidebar_pages[i].label));
      GtkWidget *count = gtk_label_new (NULL);

      gtk_widget_set_name (row, sidebar_pages[i].name);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), count);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data (G_OBJECT (row), "count", count);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(sidebar_pages[i].label), -1);
      gtk_list_box_append (GTK_LIST_BOX (self->sidebar), row);
    }
  g_signal_connect_object (self->sidebar, "row-selected", G_CALLBACK (sidebar_row_selected_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sidebar, "row-activated", G_CALLBACK (sidebar_row_activated_cb),
                           self, G_CONNECT_SWAPPED);
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
  CtWindow *self = CT_WINDOW (window);

  ct_window_save_state (self);
  /* Nothing in flight may keep a closed window alive. */
  session_stop (self);
  g_signal_handlers_disconnect_by_data (self->settings, self);
  return GTK_WINDOW_CLASS (ct_window_parent_class)->close_request (window);
}

static void
ct_window_dispose (GObject *object)
{
  CtWindow *self = CT_WINDOW (object);

  session_stop (self);
  g_clear_handle_id (&self->update_idle, g_source_remove);
  g_clear_handle_id (&self->clock_timeout, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->profile);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->page, g_free);
  g_clear_pointer (&self->database, g_free);

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

  g_type_ensure (CT_TYPE_OVERVIEW_PAGE);
  g_type_ensure (CT_TYPE_QUEUE_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/sysgenpro/ControlTower/ct-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CtWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, demo_button);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, health_button);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, health_list);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, info_bar);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, n8n_row);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, overview_page);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, queue_page);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, CtWindow, window_title);

  ct_window_class_add_actions (widget_class);
  ct_window_case_class_init (widget_class);
  ct_window_integrations_class_init (widget_class);
  ct_window_decisions_class_init (widget_class);
}

static void
ct_window_init (CtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Folded (360 px), the title needs the room: Refresh stays in the
   * primary menu and on Ctrl+R. */
  g_object_bind_property (self->leaflet, "folded",
                          self->refresh_button, "visible", G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  self->profile = ct_profile_new_default ();
  self->store = ct_case_store_new ();
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (store_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  ct_queue_page_set_store (self->queue_page, self->profile, self->store);
  build_sidebar (self);
  ct_window_case_init (self);
  ct_window_integrations_init (self);
  ct_window_live_init (self);
  ct_window_decisions_init (self);
  gtk_list_box_select_row (GTK_LIST_BOX (self->sidebar),
                           GTK_LIST_BOX_ROW (sidebar_row (self, "overview")));
  self->clock_timeout = g_timeout_add_seconds (60, clock_cb, self);
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

CtCaseStore *
ct_window_get_store (CtWindow *self)
{
  g_return_val_if_fail (CT_IS_WINDOW (self), NULL);
  return self->store;
}

CtSync *
ct_window_get_sync (CtWindow *self)
{
  g_return_val_if_fail (CT_IS_WINDOW (self), NULL);
  return self->sync;
}

gint64
ct_window_get_user_id (CtWindow *self)
{
  return self->user_id;
}

/* Whether a refresh asked for (or its Retry) has not come back yet. */
gboolean
ct_window_is_refreshing (CtWindow *self)
{
  return self->refreshing || self->refresh_again;
}

guint
ct_window_get_n_sessions (CtWindow *self)
{
  return self->n_sessions;
}

const char *
ct_window_get_count_text (CtWindow   *self,
                          const char *page)
{
  GtkWidget *row = sidebar_row (self, page);

  g_return_val_if_fail (row != NULL, NULL);
  return gtk_label_get_text (g_object_get_data (G_OBJECT (row), "count"));
}

const char *
ct_window_get_page (CtWindow *self)
{
  return self->page;
}

CtQueuePage *
ct_window_get_queue_page (CtWindow *self)
{
  return self->queue_page;
}

CtOverviewPage *
ct_window_get_overview_page (CtWindow *self)
{
  return self->overview_page;
}

/* Brings the counts, the bar and the pages up to date now, not at idle. */
void
ct_window_update_now (CtWindow *self)
{
  g_clear_handle_id (&self->update_idle, g_source_remove);
  update_all (self);
}
