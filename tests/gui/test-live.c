/* test-live.c - The window kept current: the Odoo bus, refreshes that keep the user's place
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-application.h"
#include "ct-case-page.h"
#include "ct-queue-page.h"
#include "ct-secrets.h"
#include "ct-sim-faults.h"
#include "ct-sim-server.h"
#include "ct-test-gui.h"
#include "ct-test-window.h"
#include "ct-window-case.h"
#include "ct-window-live.h"
#include "ct-window.h"

static CtApplication *the_app;


static gboolean
bus_live (gpointer data)
{
  CtOdooBus *bus = ct_window_get_bus (data);

  return bus != NULL && ct_odoo_bus_get_state (bus) == CT_BUS_STATE_LIVE;
}

static gboolean
case_read (gpointer data)
{
  return g_strcmp0 (ct_case_page_get_state (data), "loading") != 0;
}

static gboolean
case_left (gpointer data)
{
  return ct_case_page_get_left_text (data) != NULL;
}

static gboolean
queue_filtered (gpointer data)
{
  return !ct_queue_page_is_filtering (data);
}

/* A purchase order only double validation holds: one approval ends it. */
static CtCase *
pick_double_validation (CtWindow *window,
                        guint     skip)
{
  GPtrArray *cases = ct_case_store_get_cases (ct_window_get_store (window));

  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];
      gboolean only = c->requirements->len > 0 && c->kind == CT_CASE_KIND_APPROVAL &&
                      g_strcmp0 (c->model, "purchase.order") == 0;

      for (guint j = 0; only && j < c->requirements->len; j++)
        only = ((CtRequirement *) c->requirements->pdata[j])->source ==
               CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION;
      if (only && skip-- == 0)
        return c;
    }
  return NULL;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static CtOdooClient *
connect_admin (CtSimServer *sim)
{
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CtOdooClient *client = ct_odoo_client_new ();

  g_free (connection->odoo_url);
  connection->odoo_url = ct_sim_server_dup_url (sim);
  g_free (connection->database);
  connection->database = g_strdup (ct_sim_server_get_database (sim));
  g_free (connection->login);
  connection->login = g_strdup ("admin");
  ct_odoo_client_connect_async (client, connection, ct_sim_server_get_api_key (sim, "admin"), NULL,
                                store_result, &result);
  g_assert_true (ct_test_gui_wait (has_result, &result, 20000));
  g_assert_true (ct_odoo_client_connect_finish (client, result, &error));
  return client;
}

/* Someone cancels the order in Odoo. */
static void
cancel_in_odoo (CtOdooClient *client,
                 gint64        id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autoptr(JsonNode) answer = NULL;

  json_array_add_int_element (ids, id);
  ct_odoo_client_call_async (client, "purchase.order", "button_cancel", ids, NULL, NULL, NULL,
                             store_result, &result);
  g_assert_true (ct_test_gui_wait (has_result, &result, 20000));
  answer = ct_odoo_client_call_finish (client, result, &error);
  g_assert_no_error (error);
}

static GtkAdjustment *
vadjustment (GtkWidget *root)
{
  GtkWidget *scrolled = ct_test_gui_find (root, GTK_TYPE_SCROLLED_WINDOW, NULL);

  g_assert_nonnull (scrolled);
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
}

static char *
selected_key (GtkSelectionModel *selection)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (selection);
  g_autoptr(CtCase) c = NULL;

  if (gtk_bitset_is_empty (set))
    return NULL;
  c = g_list_model_get_item (G_LIST_MODEL (selection), gtk_bitset_get_minimum (set));
  return g_strdup (c->key);
}

/* Points the window at @sim as admin, with the password or the API key
 * in the keyring. */
static void
sign_in_as_admin (GSettings   *settings,
                  CtSimServer *sim,
                  const char  *url,
                  gboolean     password)
{
  g_assert_true (ct_secrets_store_sync (password ? CT_SECRET_ODOO_PASSWORD : CT_SECRET_ODOO_API_KEY,
                                        url, "admin",
                                        password ? ct_sim_server_get_password (sim, "admin")
                                                 : ct_sim_server_get_api_key (sim, "admin"),
                                        NULL, NULL));
  g_settings_delay (settings);
  g_settings_set_string (settings, "odoo-url", url);
  g_settings_set_string (settings, "odoo-database", ct_sim_server_get_database (sim));
  g_settings_set_string (settings, "odoo-login", "admin");
  g_settings_set_string (settings, "odoo-secret-kind", password ? "password" : "api-key");
  g_settings_apply (settings);
}

/* A password sign-in listens on the Odoo bus. While a case is open and a
 * queue row selected and scrolled to, the order is cancelled in Odoo: the
 * bus brings the refresh, the case says it left the queue and who cancelled
 * it, and the queue keeps its selection and scroll position. */
static void
test_bus_keeps_place (void)
{
  CtSimOptions options = { .seed = 5, .n_cases = 600 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSimServer) sim = ct_sim_server_new (&options, &error);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CtOdooClient) other = NULL;
  g_autofree char *url = NULL;
  g_autofree char *open_key = NULL;
  g_autofree char *selected = NULL;
  g_autofree char *after = NULL;
  g_autofree char *png = NULL;
  CtWindow *window;
  CtQueuePage *queue;
  CtCasePage *page;
  GtkSelectionModel *selection;
  GtkAdjustment *queue_adj, *case_adj;
  double queue_scroll, case_scroll;
  guint refreshes;
  CtCase *c;

  g_assert_true (ct_sim_server_start (sim, &error));
  url = ct_sim_server_dup_url (sim);
  window = ct_test_window_open (&the_app);
  sign_in_as_admin (settings, sim, url, TRUE);
  g_assert_true (ct_test_gui_wait (ct_test_window_synced, window, 60000));
  if (!ct_test_gui_wait (bus_live, window, 20000))
    g_test_message ("bus %p: %s", ct_window_get_bus (window), ct_window_live_get_updates_text (window));
  g_assert_true (bus_live (window));
  ct_window_update_now (window);
  g_test_message ("updates: %s", ct_window_live_get_updates_text (window));
  g_assert_true (g_str_has_prefix (ct_window_live_get_updates_text (window),
                                   "Live from the Odoo bus"));

  /* A row selected far down the queue. */
  ct_window_show_page (window, "pending");
  queue = ct_window_get_queue_page (window);
  g_assert_true (ct_test_gui_wait (queue_filtered, queue, 10000));
  selection = ct_queue_page_get_selection (queue);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), >, 60);
  gtk_selection_model_select_item (selection, 50, TRUE);
  selected = selected_key (selection);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  queue_adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (ct_test_gui_find (GTK_WIDGET (queue),
                                                                                GTK_TYPE_COLUMN_VIEW,
                                                                                NULL)));
  gtk_adjustment_set_value (queue_adj, 900);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  queue_scroll = gtk_adjustment_get_value (queue_adj);
  g_assert_cmpfloat (queue_scroll, >, 0);

  /* The case open, scrolled down. */
  c = pick_double_validation (window, 0);
  g_assert_nonnull (c);
  if (g_strcmp0 (c->key, selected) == 0)
    c = pick_double_validation (window, 1);
  open_key = g_strdup (c->key);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-case", "s", open_key);
  page = ct_window_get_case_page (window);
  g_assert_true (ct_test_gui_wait (case_read, page, 20000));
  g_assert_cmpstr (ct_case_page_get_state (page), ==, "detail");
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  case_adj = vadjustment (GTK_WIDGET (page));
  gtk_adjustment_set_value (case_adj, 200);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  case_scroll = gtk_adjustment_get_value (case_adj);
  g_assert_cmpfloat (case_scroll, >, 0);
  g_assert_null (ct_case_page_get_left_text (page));

  /* Cancelled in Odoo by someone else: the bus, not the timer, refreshes. */
  refreshes = ct_window_live_get_n_bus_refreshes (window);
  other = connect_admin (sim);
  cancel_in_odoo (other, c->record_id);
  g_assert_true (ct_test_gui_wait (case_left, page, 30000));
  g_assert_cmpuint (ct_window_live_get_n_bus_refreshes (window), >, refreshes);
  g_test_message ("left: %s", ct_case_page_get_left_text (page));
  g_assert_true (g_str_has_prefix (ct_case_page_get_left_text (page), "Cancelled by "));
  g_assert_true (g_str_has_suffix (ct_case_page_get_left_text (page), " in Odoo"));

  /* Still the same case, where it was scrolled to. */
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpstr (ct_case_get_key (ct_case_page_get_case (page)), ==, open_key);
  g_assert_cmpfloat (gtk_adjustment_get_value (case_adj), ==, case_scroll);
  png = ct_test_gui_render_both (GTK_WIDGET (window), "case-left");

  /* Back in the queue: the same row selected, the same place. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-case", NULL);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  after = selected_key (selection);
  g_assert_cmpstr (after, ==, selected);
  g_assert_cmpfloat (gtk_adjustment_get_value (queue_adj), ==, queue_scroll);

  gtk_window_destroy (GTK_WINDOW (window));
  ct_secrets_clear_sync (CT_SECRET_ODOO_PASSWORD, url, "admin", NULL, NULL);
  ct_sim_server_stop (sim);
}

/* Counts the sources that had failed when a refresh ended. */
static void
count_failed_cb (CtSync *sync,
                 guint  *failed)
{
  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    if (ct_sync_get_health (sync, i)->failures > 0)
      {
        g_test_message ("%s failed: %s", ct_sync_get_health (sync, i)->name,
                        ct_sync_get_health (sync, i)->last_error);
        (*failed)++;
      }
}

static gboolean
signing_in (gpointer data)
{
  return ct_window_get_sync (data) != NULL && ct_sync_get_n_sources (ct_window_get_sync (data)) > 0;
}

/* With Odoo a second away the sign-in takes a while. Meanwhile the
 * sources are there, listed as not read yet, the counts say unknown rather
 * than 0, and a refresh asked then (F5) waits for the sign-in's own: no
 * source fails with "Not signed in", and the first refresh brings the
 * cases. */
static void
test_refresh_while_signing_in (void)
{
  CtSimOptions options = { .seed = 7, .n_cases = 200 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSimServer) sim = ct_sim_server_new (&options, &error);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = NULL;
  g_autofree char *png = NULL;
  CtWindow *window;
  CtSync *sync;
  guint failed = 0;

  g_assert_true (ct_sim_server_start (sim, &error));
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (sim), "latency:1000", NULL));
  url = ct_sim_server_dup_url (sim);
  window = ct_test_window_open (&the_app);
  sign_in_as_admin (settings, sim, url, FALSE);

  g_assert_true (ct_test_gui_wait (signing_in, window, 10000));
  sync = ct_window_get_sync (window);
  g_signal_connect (sync, "refreshed", G_CALLBACK (count_failed_cb), &failed);
  g_assert_cmpint (ct_window_get_user_id (window), ==, 0);
  ct_window_update_now (window);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  png = ct_test_gui_render_png (GTK_WIDGET (window), "signing-in.png");
  /* Nothing read yet is not "nothing pending": no count says 0. */
  g_assert_cmpstr (ct_window_get_count_text (window, "pending"), ==, "—");
  g_assert_cmpstr (ct_window_get_count_text (window, "integrations"), ==, "—");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));

  g_assert_true (ct_test_gui_wait (ct_test_window_synced, window, 60000));
  g_assert_true (ct_window_get_sync (window) == sync);
  g_assert_cmpint (ct_window_get_user_id (window), >, 0);
  g_assert_cmpuint (failed, ==, 0);
  ct_window_update_now (window);
  g_assert_cmpstr (ct_window_get_count_text (window, "pending"), !=, "—");
  count_failed_cb (sync, &failed);
  g_assert_cmpuint (failed, ==, 0);

  g_signal_handlers_disconnect_by_func (sync, count_failed_cb, &failed);
  gtk_window_destroy (GTK_WINDOW (window));
  ct_secrets_clear_sync (CT_SECRET_ODOO_API_KEY, url, "admin", NULL, NULL);
  ct_sim_server_stop (sim);
}

/* ---- a desktop that shows notifications: org.freedesktop.Notifications ---- */

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "</interface></node>";

typedef struct
{
  GDBusConnection *bus;
  guint            owner;
  guint            object;
  gboolean         owned;
  guint            n_shown;
  guint32          last_id;
  char            *summary;
  char            *body;
} Desktop;

static void
desktop_method_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *path,
                   const char            *interface,
                   const char            *method,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  Desktop *desktop = user_data;

  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_free (desktop->summary);
      desktop->summary = g_strdup (summary);
      g_free (desktop->body);
      desktop->body = g_strdup (body);
      desktop->n_shown++;
      desktop->last_id = desktop->n_shown;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", desktop->last_id));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "ct", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
desktop_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  ((Desktop *) user_data)->owned = TRUE;
}

static gboolean
desktop_owned (gpointer data)
{
  return ((Desktop *) data)->owned;
}

static void
desktop_start (Desktop *desktop)
{
  static const GDBusInterfaceVTable vtable = { desktop_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;

  desktop->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  desktop->object = g_dbus_connection_register_object (desktop->bus,
                                                       "/org/freedesktop/Notifications",
                                                       info->interfaces[0], &vtable, desktop,
                                                       NULL, &error);
  g_assert_no_error (error);
  desktop->owner = g_bus_own_name_on_connection (desktop->bus, "org.freedesktop.Notifications",
                                                 G_BUS_NAME_OWNER_FLAGS_NONE, desktop_acquired_cb,
                                                 NULL, desktop, NULL);
  g_assert_true (ct_test_gui_wait (desktop_owned, desktop, 5000));
}

static void
desktop_stop (Desktop *desktop)
{
  g_bus_unown_name (desktop->owner);
  g_dbus_connection_unregister_object (desktop->bus, desktop->object);
  g_clear_object (&desktop->bus);
  g_free (desktop->summary);
  g_free (desktop->body);
}

/* The user clicks the notification. */
static void
desktop_click (Desktop *desktop)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (desktop->bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", desktop->last_id, "default"), &error);
  g_assert_no_error (error);
}

static gboolean
shown (gpointer data)
{
  return ((Desktop *) data)->n_shown > 0;
}

typedef struct
{
  CtCasePage *page;
  const char *key;
} OpenCase;

static gboolean
case_open (gpointer data)
{
  OpenCase *open = data;
  CtCase *c = ct_case_page_get_case (open->page);

  return gtk_widget_get_mapped (GTK_WIDGET (open->page)) && c != NULL &&
         g_strcmp0 (c->key, open->key) == 0;
}

/* Time passes on the demo: cases breach. One summary goes to the desktop;
 * more breaches within the minute wait (the rate limit); switched off in
 * Preferences, nothing goes; clicking the summary opens its case. */
static void
test_notifications (void)
{
  CtWindow *window = ct_test_window_open (&the_app);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  Desktop desktop = { 0 };
  CtCaseStore *store;
  OpenCase open;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *title = NULL;
  const char *target = NULL;
  g_autofree char *key = NULL;

  desktop_start (&desktop);
  g_action_group_activate_action (G_ACTION_GROUP (the_app), "demo", NULL);
  g_assert_true (ct_test_gui_wait (ct_test_window_synced, window, 60000));
  ct_window_update_now (window);
  /* The first look only learns what is there. */
  g_assert_cmpuint (ct_window_live_get_n_notifications (window, NULL, NULL), ==, 0);
  g_test_message ("updates: %s", ct_window_live_get_updates_text (window));
  g_assert_nonnull (strstr (ct_window_live_get_updates_text (window),
                            "live updates need a password sign-in"));

  store = ct_window_get_store (window);
  g_assert_cmpuint (ct_case_store_update_sla (store, profile, now + 2 * 86400), >, 0);
  g_assert_true (ct_test_gui_wait (shown, &desktop, 10000));
  g_assert_cmpuint (ct_window_live_get_n_notifications (window, &title, &target), ==, 1);
  g_test_message ("desktop shows: %s / %s", desktop.summary, desktop.body);
  g_assert_cmpstr (desktop.summary, ==, title);
  g_assert_nonnull (strstr (desktop.summary, "new SLA breach"));
  key = g_strdup (target);

  /* More breaches within the minute: held back. */
  g_assert_cmpuint (ct_case_store_update_sla (store, profile, now + 5 * 86400), >, 0);
  ct_test_gui_spin (300);
  ct_window_update_now (window);
  ct_test_gui_spin (100);
  g_assert_cmpuint (ct_window_live_get_n_notifications (window, NULL, NULL), ==, 1);
  g_assert_cmpuint (desktop.n_shown, ==, 1);

  /* Switched off: nothing, and nothing saved up either. */
  g_settings_set_boolean (settings, "desktop-notifications", FALSE);
  g_assert_cmpuint (ct_case_store_update_sla (store, profile, now + 9 * 86400), >, 0);
  ct_test_gui_spin (300);
  ct_window_update_now (window);
  g_assert_cmpuint (ct_window_live_get_n_notifications (window, NULL, NULL), ==, 1);
  g_settings_set_boolean (settings, "desktop-notifications", TRUE);

  /* Clicking the summary opens its case (app.open-case with its key). */
  open.page = ct_window_get_case_page (window);
  open.key = key;
  desktop_click (&desktop);
  g_assert_true (ct_test_gui_wait (case_open, &open, 10000));

  ct_case_store_update_sla (store, profile, now);
  gtk_window_destroy (GTK_WINDOW (window));
  desktop_stop (&desktop);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GTK_A11Y", "test", TRUE);
  ct_test_gui_init (&argc, &argv);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add_func ("/ct/gui/live/bus-keeps-place", test_bus_keeps_place);
  g_test_add_func ("/ct/gui/live/refresh-while-signing-in", test_refresh_while_signing_in);
  /* The demo stays on for the rest of the process. */
  g_test_add_func ("/ct/gui/live/notifications", test_notifications);

  {
    int status = g_test_run ();

    g_clear_object (&the_app);
    return status;
  }
}
