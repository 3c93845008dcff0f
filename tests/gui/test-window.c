/* test-window.c - The main window as a user first meets it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "ct-application.h"
#include "ct-connection-dialog.h"
#include "ct-preferences-window.h"
#include "ct-http.h"
#include "ct-secrets.h"
#include "ct-sim-server.h"
#include "ct-test-gui.h"
#include "ct-window.h"

typedef struct
{
  CtApplication *app;
  CtWindow      *window;
  GWeakRef       window_ref;
} Fixture;

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

/* One application per process: GtkApplication exports itself on the bus
 * when it registers and cannot do so twice. Each test gets a new window. */
static CtApplication *the_app;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  reset_settings ();
  if (the_app == NULL)
    {
      the_app = ct_application_new ();
      g_application_set_flags (G_APPLICATION (the_app),
                               G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (the_app), NULL, &error));
      g_assert_no_error (error);
      /* Keep the application alive between tests, with no window open. */
      g_application_hold (G_APPLICATION (the_app));
    }
  fixture->app = the_app;
  g_application_activate (G_APPLICATION (fixture->app));

  fixture->window = CT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fixture->app)));
  g_assert_nonnull (fixture->window);
  g_weak_ref_init (&fixture->window_ref, fixture->window);
  ct_test_gui_wait_painted (GTK_WIDGET (fixture->window));
}

static void
close_all_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
}

static gboolean
window_gone (gpointer data)
{
  g_autoptr(GObject) alive = g_weak_ref_get (data);

  return alive == NULL;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_all_windows ();
  /* A check in flight holds the window until its cancellation arrives. */
  ct_test_gui_wait (window_gone, &fixture->window_ref, 5000);
  /* A closed window must not leak: nothing may keep it alive. */
  {
    g_autoptr(GObject) alive = g_weak_ref_get (&fixture->window_ref);

    g_assert_null (alive);
  }
  g_weak_ref_clear (&fixture->window_ref);
}

static GtkWidget *
find_main_stack (GtkWidget *root)
{
  if (GTK_IS_STACK (root) && gtk_stack_get_child_by_name (GTK_STACK (root), "welcome") != NULL)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_main_stack (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
visible_page (Fixture *fixture)
{
  GtkWidget *stack = find_main_stack (GTK_WIDGET (fixture->window));

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child (GTK_STACK (stack));
}

/* Walks the focus chain with Tab the way a keyboard user does and says
 * whether @target gets the focus. */
static gboolean
reachable_by_tab (GtkWidget *window,
                  GtkWidget *target)
{
  gtk_widget_grab_focus (window);
  for (guint i = 0; i < 50; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD))
        continue;
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus == target || (focus != NULL && gtk_widget_is_ancestor (focus, target)))
        return TRUE;
    }
  return FALSE;
}

static void
test_first_run (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *page = ct_test_gui_find (visible_page (fixture), ADW_TYPE_STATUS_PAGE, NULL);
  GtkWidget *connect;
  GtkWidget *demo;
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  g_assert_true (ADW_IS_STATUS_PAGE (page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (page)), ==, "Welcome to Control Tower");

  connect = ct_test_gui_find (page, GTK_TYPE_BUTTON, "_Connect to Odoo");
  demo = ct_test_gui_find (page, GTK_TYPE_BUTTON, "_Explore with Demo Data");
  g_assert_nonnull (connect);
  g_assert_nonnull (demo);
  g_assert_true (gtk_widget_is_drawable (connect));
  g_assert_true (gtk_widget_is_sensitive (connect));
  g_assert_cmpint (gtk_widget_get_visible (demo), ==, ct_application_get_demo_available (fixture->app));

  g_assert_true (reachable_by_tab (window, connect));
  if (gtk_widget_get_visible (demo))
    g_assert_true (reachable_by_tab (window, demo));

  /* The primary menu's entries all lead somewhere. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), "preferences"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->app), "connect"));

  light = ct_test_gui_render_png (window, "first-run-light.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ct_test_gui_wait_painted (window);
  dark = ct_test_gui_render_png (window, "first-run-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_assert_true (g_file_test (light, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (dark, G_FILE_TEST_EXISTS));
}

static gboolean
dialog_open (gpointer data)
{
  return ct_test_gui_find_window (CT_TYPE_CONNECTION_DIALOG) != NULL;
}

static gboolean
dialog_closed (gpointer data)
{
  return ct_test_gui_find_window (CT_TYPE_CONNECTION_DIALOG) == NULL;
}

static GtkWidget *
open_connection_dialog (Fixture *fixture)
{
  GtkWidget *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "connect", NULL);
  g_assert_true (ct_test_gui_wait (dialog_open, NULL, 5000));
  dialog = GTK_WIDGET (ct_test_gui_find_window (CT_TYPE_CONNECTION_DIALOG));
  ct_test_gui_wait_painted (dialog);
  return dialog;
}

static void
type_into (GtkWidget  *dialog,
           const char *title,
           const char *text)
{
  GtkWidget *row = ct_test_gui_find (dialog, ADW_TYPE_ENTRY_ROW, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static const char *
message_of (GtkWidget *dialog)
{
  GtkWidget *page = ct_test_gui_find (dialog, ADW_TYPE_PREFERENCES_PAGE, NULL);

  /* The message label is the only visible label with the error style. */
  {
    GtkWidget *found = NULL;
    GPtrArray *stack = g_ptr_array_new ();

    g_ptr_array_add (stack, page);
    while (stack->len > 0 && found == NULL)
      {
        GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "error") && gtk_widget_get_visible (w))
          found = w;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (stack, c);
      }
    g_ptr_array_unref (stack);
    return found ? gtk_label_get_text (GTK_LABEL (found)) : NULL;
  }
}

static gboolean
save_enabled (GtkWidget *dialog)
{
  GtkWidget *save = ct_test_gui_find (dialog, GTK_TYPE_BUTTON, "_Save");

  g_assert_nonnull (save);
  return gtk_widget_is_sensitive (save);
}

static void
test_connection_validation (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWidget *dialog = open_connection_dialog (fixture);
  GtkWidget *insecure_switch;
  g_autofree char *png = NULL;

  /* A blank form says nothing yet but cannot be saved. */
  g_assert_null (message_of (dialog));
  g_assert_false (save_enabled (dialog));

  type_into (dialog, "Login", "controller@example.com");
  type_into (dialog, "Server Address", "erp.example.com");
  g_assert_nonnull (message_of (dialog));
  g_assert_nonnull (message_of (dialog));
  g_assert_nonnull (strstr (message_of (dialog), "https://"));
  g_assert_false (save_enabled (dialog));

  type_into (dialog, "Server Address", "ftp://erp.example.com");
  g_assert_nonnull (strstr (message_of (dialog), "ftp://"));
  g_assert_false (save_enabled (dialog));

  /* http:// to another host needs an explicit yes. */
  type_into (dialog, "Server Address", "http://erp.example.com");
  g_assert_nonnull (strstr (message_of (dialog), "unencrypted"));
  g_assert_false (save_enabled (dialog));
  insecure_switch = ct_test_gui_find (dialog, GTK_TYPE_SWITCH, NULL);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (insecure_switch)));
  png = ct_test_gui_render_png (dialog, "connection-insecure.png");
  gtk_switch_set_active (GTK_SWITCH (insecure_switch), TRUE);
  g_assert_nonnull (strstr (message_of (dialog), "database"));
  gtk_switch_set_active (GTK_SWITCH (insecure_switch), FALSE);

  /* Loopback over http:// is fine; the database is still needed. */
  type_into (dialog, "Server Address", "http://127.0.0.1:8069/");
  g_assert_nonnull (strstr (message_of (dialog), "database"));
  g_assert_false (save_enabled (dialog));
  type_into (dialog, "Database", "distribution");
  g_assert_null (message_of (dialog));
  g_assert_true (save_enabled (dialog));

  type_into (dialog, "n8n Address", "n8n.example.com");
  g_assert_nonnull (strstr (message_of (dialog), "n8n"));
  g_assert_false (save_enabled (dialog));

  type_into (dialog, "n8n Address", "");
  type_into (dialog, "Login", "");
  g_assert_nonnull (strstr (message_of (dialog), "login"));
  g_assert_false (save_enabled (dialog));

  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (ct_test_gui_wait (dialog_closed, NULL, 5000));
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return g_strstr_len (contents, length, needle) != NULL;
}

/* Every regular file under @dir that contains @needle. */
static void
grep_tree (const char *dir,
           const char *needle,
           GPtrArray  *hits)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        grep_tree (path, needle, hits);
      else if (file_contains (path, needle))
        g_ptr_array_add (hits, g_steal_pointer (&path));
    }
}

static CtSimServer *
start_recorded_sim (void)
{
  CtSimOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  CtSimServer *sim;

  options.dataset = "recorded";
  options.seed = 1;
  options.n_cases = 10;
  sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (sim, &error));
  g_assert_no_error (error);
  return sim;
}

static char *
settings_string (GSettings  *settings,
                 const char *key)
{
  return g_settings_get_string (settings, key);
}

static void
assert_setting (GSettings  *settings,
                const char *key,
                const char *expected)
{
  g_autofree char *value = settings_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

/* The check refused the sign-in itself: an error row titled "Sign-in" whose
 * text is the server's answer — not the "keyring has no password" row, which
 * has the same title and is there before anything was asked. */
static gboolean
sign_in_refused (gpointer data)
{
  GtkWidget *dialog = data;
  GtkWidget *group = ct_test_gui_find (dialog, ADW_TYPE_PREFERENCES_GROUP, "Connection Check");
  GtkWidget *row = group ? ct_test_gui_find (group, ADW_TYPE_ACTION_ROW, "Sign-in") : NULL;
  GtkWidget *icon = row ? ct_test_gui_find (row, GTK_TYPE_IMAGE, NULL) : NULL;
  const char *text = row ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;

  return group != NULL && gtk_widget_get_visible (group) && icon != NULL &&
         gtk_widget_has_css_class (icon, "error") && text != NULL && *text != '\0' &&
         strstr (text, "keyring") == NULL;
}

/* The tower shows what the servers hold, fresh. */
static gboolean
tower_synced (gpointer data)
{
  CtSync *sync = ct_window_get_sync (data);

  return sync != NULL && ct_sync_get_synced_at (sync) != 0 && !ct_sync_is_stale (sync) &&
         ct_case_store_get_n_cases (ct_window_get_store (data)) > 0;
}

static const char *
main_page_name (Fixture *fixture)
{
  GtkWidget *stack = find_main_stack (GTK_WIDGET (fixture->window));

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static void
test_connection_save_keeps_secrets_in_keyring (Fixture       *fixture,
                                               gconstpointer  data)
{
  g_autoptr(CtSimServer) sim = start_recorded_sim ();
  g_autofree char *url = ct_sim_server_dup_url (sim);
  const char *secret = ct_sim_server_get_api_key (sim, "admin");
  const char *n8n_secret = ct_sim_server_get_n8n_api_key (sim);
  const char *wrong_secret = "ffffffffffffffffffffffffffffffffffffffff";
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *png = NULL;
  GtkWidget *dialog;
  GtkWidget *secret_row;
  GtkWidget *n8n_key_row;
  char *stored;
  const char *home = g_getenv ("CT_HEADLESS_HOME");

  g_assert_nonnull (secret);
  g_assert_nonnull (n8n_secret);

  dialog = open_connection_dialog (fixture);
  type_into (dialog, "Server Address", url);
  type_into (dialog, "Database", "ct");
  type_into (dialog, "Login", "admin");
  type_into (dialog, "n8n Address", url);
  secret_row = ct_test_gui_find (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, "API Key");
  n8n_key_row = ct_test_gui_find (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, "n8n API Key");
  g_assert_nonnull (secret_row);
  g_assert_nonnull (n8n_key_row);
  gtk_editable_set_text (GTK_EDITABLE (secret_row), secret);
  gtk_editable_set_text (GTK_EDITABLE (n8n_key_row), n8n_secret);
  g_assert_true (save_enabled (dialog));

  /* The check passes against the simulated server: the dialog saves and closes. */
  gtk_widget_activate_action (dialog, "connection.save", NULL);
  g_assert_true (ct_test_gui_wait (dialog_closed, NULL, 30000));

  assert_setting (settings, "odoo-url", url);
  assert_setting (settings, "odoo-database", "ct");
  assert_setting (settings, "odoo-login", "admin");
  assert_setting (settings, "n8n-url", url);

  /* No setting holds either secret. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      g_assert_null (strstr (printed, secret));
      g_assert_null (strstr (printed, n8n_secret));
    }

  /* The keyring has them. */
  stored = ct_secrets_lookup_sync (CT_SECRET_ODOO_API_KEY, url, "admin", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, secret);
  ct_secrets_free (stored);
  stored = ct_secrets_lookup_sync (CT_SECRET_N8N_API_KEY, url, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, n8n_secret);
  ct_secrets_free (stored);

  /* And no file this session wrote holds them in clear text. */
  if (home != NULL)
    {
      grep_tree (home, secret, hits);
      grep_tree (home, n8n_secret, hits);
      for (guint i = 0; i < hits->len; i++)
        g_test_message ("secret found in %s", (char *)hits->pdata[i]);
      g_assert_cmpuint (hits->len, ==, 0);
    }

  /* The window now shows the tower, filled from the server, instead of the welcome page. */
  g_assert_cmpstr (main_page_name (fixture), ==, "tower");
  g_assert_true (ct_test_gui_wait (tower_synced, fixture->window, 30000));
  png = ct_test_gui_render_png (GTK_WIDGET (fixture->window), "connected.png");

  /* A wrong key fails the check: nothing is saved, the key in the keyring
   * stays, and the dialog says what failed. */
  dialog = open_connection_dialog (fixture);
  type_into (dialog, "Database", "ct");
  secret_row = ct_test_gui_find (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, "API Key");
  gtk_editable_set_text (GTK_EDITABLE (secret_row), wrong_secret);
  gtk_widget_activate_action (dialog, "connection.save", NULL);
  g_assert_true (ct_test_gui_wait (sign_in_refused, dialog, 30000));
  g_assert_nonnull (ct_test_gui_find_window (CT_TYPE_CONNECTION_DIALOG));
  g_assert_nonnull (message_of (dialog));
  g_assert_nonnull (strstr (message_of (dialog), "Nothing was saved"));
  g_clear_pointer (&png, g_free);
  png = ct_test_gui_render_png (dialog, "connection-check-failed.png");
  stored = ct_secrets_lookup_sync (CT_SECRET_ODOO_API_KEY, url, "admin", NULL, NULL);
  g_assert_cmpstr (stored, ==, secret);
  ct_secrets_free (stored);
  /* What the user typed is still there to correct. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret_row)), ==, wrong_secret);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (ct_test_gui_wait (dialog_closed, NULL, 5000));

  /* A new login has no key yet: the dialog asks for one and saves nothing. */
  dialog = open_connection_dialog (fixture);
  type_into (dialog, "Login", "purchaser");
  gtk_widget_activate_action (dialog, "connection.save", NULL);
  ct_test_gui_spin (500);
  g_assert_nonnull (ct_test_gui_find_window (CT_TYPE_CONNECTION_DIALOG));
  g_assert_cmpstr (message_of (dialog), ==, "Enter the API key");
  assert_setting (settings, "odoo-login", "admin");
  gtk_window_close (GTK_WINDOW (dialog));

  g_assert_true (ct_secrets_clear_sync (CT_SECRET_ODOO_API_KEY, url, "admin", NULL, NULL));
  g_assert_true (ct_secrets_clear_sync (CT_SECRET_N8N_API_KEY, url, NULL, NULL, NULL));
  ct_sim_server_stop (sim);
}

static gboolean
has_trust_row (gpointer data)
{
  return ct_test_gui_find (GTK_WIDGET (data), ADW_TYPE_ACTION_ROW, "Trust This Certificate") != NULL;
}

static void
test_connection_trust_certificate (Fixture       *fixture,
                                   gconstpointer  data)
{
  CtSimOptions options = { 0 };
  g_autoptr(CtSimServer) sim = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *url = NULL;
  g_autofree char *pinned = NULL;
  g_autofree char *png = NULL;
  GtkWidget *dialog;
  GtkWidget *secret_row;

  options.dataset = "recorded";
  options.seed = 1;
  options.n_cases = 10;
  options.tls = TRUE;
  sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (sim, &error));
  url = ct_sim_server_dup_url (sim);
  g_assert_true (g_str_has_prefix (url, "https://"));

  dialog = open_connection_dialog (fixture);
  type_into (dialog, "Server Address", url);
  type_into (dialog, "Database", "ct");
  type_into (dialog, "Login", "admin");
  secret_row = ct_test_gui_find (dialog, ADW_TYPE_PASSWORD_ENTRY_ROW, "API Key");
  gtk_editable_set_text (GTK_EDITABLE (secret_row), ct_sim_server_get_api_key (sim, "admin"));

  /* A self-signed certificate is refused, never silently accepted. */
  gtk_widget_activate_action (dialog, "connection.save", NULL);
  g_assert_true (ct_test_gui_wait (has_trust_row, dialog, 30000));
  g_assert_nonnull (ct_test_gui_find_window (CT_TYPE_CONNECTION_DIALOG));
  pinned = g_settings_get_string (settings, "pinned-certificate");
  g_assert_cmpstr (pinned, ==, "");
  g_clear_pointer (&pinned, g_free);
  png = ct_test_gui_render_png (dialog, "connection-certificate.png");

  /* Trusting it by explicit choice checks again with the pin and saves it. */
  gtk_widget_activate_action (dialog, "connection.trust-certificate", NULL);
  g_assert_true (ct_test_gui_wait (dialog_closed, NULL, 30000));
  certificate = g_tls_certificate_new_from_pem (ct_sim_server_get_certificate_pem (sim), -1, &error);
  g_assert_no_error (error);
  pinned = g_settings_get_string (settings, "pinned-certificate");
  g_assert_cmpuint (strlen (pinned), >, 60);
  {
    g_autofree char *expected = ct_http_certificate_fingerprint (certificate);
    g_assert_cmpstr (pinned, ==, expected);
  }
  assert_setting (settings, "odoo-url", url);

  g_assert_true (ct_secrets_clear_sync (CT_SECRET_ODOO_API_KEY, url, "admin", NULL, NULL));
  ct_sim_server_stop (sim);
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *png = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "demo", NULL);
  g_assert_true (ct_application_get_demo (fixture->app));
  g_assert_cmpstr (main_page_name (fixture), ==, "tower");
  g_assert_true (ct_test_gui_wait (tower_synced, fixture->window, 60000));
  png = ct_test_gui_render_png (GTK_WIDGET (fixture->window), "demo.png");
}

static gboolean
about_open (gpointer data)
{
  return ct_test_gui_find_window (ADW_TYPE_ABOUT_WINDOW) != NULL;
}

static gboolean
shortcuts_open (gpointer data)
{
  return ct_test_gui_find_window (GTK_TYPE_SHORTCUTS_WINDOW) != NULL;
}

static void
test_about_and_shortcuts (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWindow *about;
  GtkWindow *shortcuts;
  g_autofree char *png = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  g_assert_true (ct_test_gui_wait (about_open, NULL, 5000));
  about = ct_test_gui_find_window (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Control Tower");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  png = ct_test_gui_render_png (GTK_WIDGET (about), "about.png");
  gtk_window_close (about);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "show-help-overlay", NULL);
  g_assert_true (ct_test_gui_wait (shortcuts_open, NULL, 5000));
  shortcuts = ct_test_gui_find_window (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (shortcuts), GTK_TYPE_SHORTCUTS_SHORTCUT, NULL));
  gtk_window_close (shortcuts);
}

static void
test_window_state_remembered (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 640);
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static gboolean
preferences_open (gpointer data)
{
  return ct_test_gui_find_window (CT_TYPE_PREFERENCES_WINDOW) != NULL;
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *preferences;
  GtkWidget *row;
  GtkWidget *spin;
  g_autofree char *png = NULL;

  g_settings_set_uint (settings, "sync-interval", 120);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  g_assert_true (ct_test_gui_wait (preferences_open, NULL, 5000));
  preferences = GTK_WIDGET (ct_test_gui_find_window (CT_TYPE_PREFERENCES_WINDOW));
  ct_test_gui_wait_painted (preferences);
  png = ct_test_gui_render_png (preferences, "preferences.png");

  row = ct_test_gui_find (preferences, ADW_TYPE_ACTION_ROW, "Refresh Interval");
  g_assert_nonnull (row);
  spin = ct_test_gui_find (row, GTK_TYPE_SPIN_BUTTON, NULL);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 120);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 300);
  g_assert_cmpuint (g_settings_get_uint (settings, "sync-interval"), ==, 300);

  row = ct_test_gui_find (preferences, ADW_TYPE_ACTION_ROW, "Profile");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Built-in distributor profile");
  g_settings_set_string (settings, "profile-file", "/srv/profiles/emea.json");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "/srv/profiles/emea.json");
  gtk_widget_activate_action (preferences, "preferences.reset-profile", NULL);
  assert_setting (settings, "profile-file", "");

  gtk_window_close (GTK_WINDOW (preferences));
}

int
main (int   argc,
      char *argv[])
{
  ct_test_gui_init (&argc, &argv);

  g_test_add ("/ct/gui/window/first-run", Fixture, NULL,
              fixture_set_up, test_first_run, fixture_tear_down);
  g_test_add ("/ct/gui/window/about-and-shortcuts", Fixture, NULL,
              fixture_set_up, test_about_and_shortcuts, fixture_tear_down);
  g_test_add ("/ct/gui/window/state-remembered", Fixture, NULL,
              fixture_set_up, test_window_state_remembered, fixture_tear_down);
  g_test_add ("/ct/gui/connection/validation", Fixture, NULL,
              fixture_set_up, test_connection_validation, fixture_tear_down);
  g_test_add ("/ct/gui/connection/secrets-in-keyring", Fixture, NULL,
              fixture_set_up, test_connection_save_keeps_secrets_in_keyring, fixture_tear_down);
  g_test_add ("/ct/gui/connection/trust-certificate", Fixture, NULL,
              fixture_set_up, test_connection_trust_certificate, fixture_tear_down);
  g_test_add ("/ct/gui/preferences/bound-to-settings", Fixture, NULL,
              fixture_set_up, test_preferences, fixture_tear_down);
  /* Last: the demo backend stays on for the rest of the process. */
  g_test_add ("/ct/gui/demo/tower", Fixture, NULL,
              fixture_set_up, test_demo, fixture_tear_down);

  {
    int status = g_test_run ();

    g_clear_object (&the_app);
    return status;
  }
}
