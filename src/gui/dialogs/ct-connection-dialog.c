/* ct-connection-dialog.c - Set up where the servers are and who signs in
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-connection-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "ct-connection.h"
#include "ct-check-row.h"
#include "ct-connection-check.h"
#include "ct-connection-dialog.h"
#include "ct-secrets.h"

struct _CtConnectionDialog
{
  AdwWindow     parent_instance;

  GSettings    *settings;       /* (owned) */
  GCancellable *cancellable;    /* (owned) (nullable): the save in flight */
  CtConnection *pending;        /* (owned) (nullable): what the save in flight will write */
  char         *pending_secret;  /* (owned) (nullable): wiped when freed */
  char         *pending_n8n_key; /* (owned) (nullable): wiped when freed */
  char         *offered_pin;     /* (owned) (nullable): fingerprint of a refused certificate */
  char         *trusted_pin;     /* (owned) (nullable): the one the user chose to trust */
  GPtrArray    *check_rows;      /* (owned): rows of the last check */
  gboolean      touched;

  /* Template widgets */
  GtkWidget    *check_group;
  GtkWidget    *database_row;
  GtkWidget    *insecure_group;
  GtkWidget    *insecure_switch;
  GtkWidget    *login_row;
  GtkWidget    *message_label;
  GtkWidget    *n8n_key_row;
  GtkWidget    *n8n_url_row;
  GtkWidget    *secret_kind_row;
  GtkWidget    *secret_row;
  GtkWidget    *spinner;
  GtkWidget    *url_row;
};

enum {
  SAVED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (CtConnectionDialog, ct_connection_dialog, ADW_TYPE_WINDOW)

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static const char *
row_text (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static CtSecretKind
selected_kind (CtConnectionDialog *self)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (self->secret_kind_row)) == 1
         ? CT_SECRET_KIND_PASSWORD : CT_SECRET_KIND_API_KEY;
}

static void
set_row_error (GtkWidget *row,
               gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static void
show_message (CtConnectionDialog *self,
              const char         *message)
{
  /* A plain label: server and keyring text is never markup. */
  gtk_label_set_text (GTK_LABEL (self->message_label), message ? message : "");
  gtk_widget_set_visible (self->message_label, message != NULL);
}

/* Reads the fields into a connection, marking the first wrong field and
 * returning NULL with the reason when something is wrong. */
static CtConnection *
read_fields (CtConnectionDialog  *self,
             GError             **error)
{
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(GError) local_error = NULL;
  const char *n8n_url;
  gboolean insecure;

  insecure = gtk_switch_get_active (GTK_SWITCH (self->insecure_switch));
  set_row_error (self->url_row, FALSE);
  set_row_error (self->login_row, FALSE);
  set_row_error (self->n8n_url_row, FALSE);

  g_free (connection->odoo_url);
  connection->odoo_url = ct_connection_normalize_url (row_text (self->url_row), insecure, &local_error);
  if (connection->odoo_url == NULL)
    {
      set_row_error (self->url_row, TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_free (connection->database);
  connection->database = g_strstrip (g_strdup (row_text (self->database_row)));
  g_free (connection->login);
  connection->login = g_strstrip (g_strdup (row_text (self->login_row)));
  connection->secret_kind = selected_kind (self);
  connection->allow_insecure_http = insecure;

  set_row_error (self->database_row, FALSE);
  if (*connection->database == '\0')
    {
      set_row_error (self->database_row, TRUE);
      g_set_error_literal (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_EMPTY,
                           _("Enter the name of the Odoo database"));
      return NULL;
    }

  if (*connection->login == '\0')
    {
      set_row_error (self->login_row, TRUE);
      g_set_error_literal (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_EMPTY,
                           _("Enter the login you use on Odoo"));
      return NULL;
    }

  n8n_url = row_text (self->n8n_url_row);
  if (n8n_url != NULL && *n8n_url != '\0')
    {
      connection->n8n_url = ct_connection_normalize_url (n8n_url, insecure, &local_error);
      if (connection->n8n_url == NULL)
        {
          set_row_error (self->n8n_url_row, TRUE);
          g_set_error (error, CT_CONNECTION_ERROR, local_error->code,
                       _("n8n: %s"), local_error->message);
          return NULL;
        }
    }

  return g_steal_pointer (&connection);
}

static gboolean
needs_insecure_consent (const char *url)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (url ? url : ""));

  return g_ascii_strncasecmp (trimmed, "http://", 7) == 0 &&
         !ct_connection_is_loopback_url (trimmed);
}

static void
ct_connection_dialog_validate (CtConnectionDialog *self)
{
  g_autoptr(CtConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  gboolean busy = self->cancellable != NULL;

  gtk_widget_set_visible (self->insecure_group,
                          needs_insecure_consent (row_text (self->url_row)) ||
                          needs_insecure_consent (row_text (self->n8n_url_row)));

  connection = read_fields (self, &error);
  /* Errors show once the user has typed something, not on a blank form. */
  show_message (self, self->touched && error != NULL ? error->message : NULL);
  if (!self->touched)
    {
      set_row_error (self->url_row, FALSE);
      set_row_error (self->database_row, FALSE);
      set_row_error (self->login_row, FALSE);
      set_row_error (self->n8n_url_row, FALSE);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connection.save", connection != NULL && !busy);
}

static void
field_changed_cb (CtConnectionDialog *self)
{
  self->touched = TRUE;
  ct_connection_dialog_validate (self);
}

static void
url_changed_cb (CtConnectionDialog *self)
{
  /* A certificate was trusted for the old address, not this one. */
  g_clear_pointer (&self->trusted_pin, g_free);
  g_clear_pointer (&self->offered_pin, g_free);
  field_changed_cb (self);
}

static void
secret_kind_changed_cb (CtConnectionDialog *self)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row),
                                 selected_kind (self) == CT_SECRET_KIND_PASSWORD
                                 ? _("Password") : _("API Key"));
  ct_connection_dialog_validate (self);
}

static void
set_busy (CtConnectionDialog *self,
          gboolean            busy)
{
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  if (!busy)
    {
      g_clear_object (&self->cancellable);
      g_clear_pointer (&self->pending, ct_connection_free);
      g_clear_pointer (&self->pending_secret, wipe_free);
      g_clear_pointer (&self->pending_n8n_key, wipe_free);
    }
  ct_connection_dialog_validate (self);
}

static void
save_failed (CtConnectionDialog *self,
             const char         *message)
{
  /* Nothing was written to the settings: the old connection stays, and
   * what the user typed stays in the fields. */
  set_busy (self, FALSE);
  show_message (self, message);
}

/* @what says what failed, in the user's words; the error says why. */
static gboolean
report_error (CtConnectionDialog *self,
              const GError       *error,
              const char         *what)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TRUE;
  message = g_strdup_printf ("%s: %s", what, error->message);
  save_failed (self, message);
  return TRUE;
}

static void
clear_check_rows (CtConnectionDialog *self)
{
  for (guint i = 0; i < self->check_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->check_group),
                                  self->check_rows->pdata[i]);
  g_ptr_array_set_size (self->check_rows, 0);
  gtk_widget_set_visible (self->check_group, FALSE);
}

/* Offers to trust the one certificate the server showed, by its
 * fingerprint, never silently: the user compares it and decides. */
static void
add_trust_row (CtConnectionDialog *self,
               const char         *sha256)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Trust"));
  g_autofree char *subtitle = NULL;

  g_free (self->offered_pin);
  self->offered_pin = g_strdup (sha256);
  subtitle = g_strdup_printf (_("Only if your administrator confirms this SHA-256 fingerprint: %s. "
                                "A different certificate will be refused later."), sha256);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Trust This Certificate"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "connection.trust-certificate");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->check_group), row);
  g_ptr_array_add (self->check_rows, row);
}

static void
show_check (CtConnectionDialog *self,
            GPtrArray          *items)
{
  clear_check_rows (self);
  for (guint i = 0; i < items->len; i++)
    {
      CtCheckItem *item = items->pdata[i];
      GtkWidget *row = ct_check_row_new (item->state, item->title ? item->title : item->id,
                                         item->text);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->check_group), row);
      g_ptr_array_add (self->check_rows, row);

      if (item->certificate_sha256 != NULL && item->state == CT_CHECK_ERROR)
        add_trust_row (self, item->certificate_sha256);
    }
  gtk_widget_set_visible (self->check_group, items->len > 0);
}

static void
finish_save (CtConnectionDialog *self)
{
  g_autofree char *old_url = g_settings_get_string (self->settings, "odoo-url");

  /* A pin belongs to one server: trusting a certificate sets it, moving to
   * another server drops it. */
  if (self->trusted_pin != NULL)
    g_settings_set_string (self->settings, "pinned-certificate", self->trusted_pin);
  else if (g_strcmp0 (old_url, self->pending->odoo_url) != 0)
    g_settings_reset (self->settings, "pinned-certificate");
  ct_connection_save (self->pending, self->settings);
  set_busy (self, FALSE);
  g_signal_emit (self, signals [SAVED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
n8n_key_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CtConnectionDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ct_secrets_store_finish (result, &error))
    {
      report_error (self, error, _("Could not keep the n8n API key in the keyring"));
      return;
    }
  finish_save (self);
}

static void
store_n8n_key (CtConnectionDialog *self)
{
  const char *typed = row_text (self->n8n_key_row);

  if (self->pending->n8n_url != NULL && typed != NULL && *typed != '\0')
    ct_secrets_store_async (CT_SECRET_N8N_API_KEY, self->pending->n8n_url, NULL, typed,
                            self->cancellable, n8n_key_stored_cb, g_object_ref (self));
  else
    finish_save (self);
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CtConnectionDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ct_secrets_store_finish (result, &error))
    {
      report_error (self, error, _("Could not keep the secret in the keyring"));
      return;
    }
  store_n8n_key (self);
}

/* The check passed: only now do the secrets go to the keyring and the
 * connection to the settings, so a failed attempt changes nothing. */
static void
store_everything (CtConnectionDialog *self)
{
  const char *typed = row_text (self->secret_row);

  if (typed != NULL && *typed != '\0')
    ct_secrets_store_async (self->pending->secret_kind == CT_SECRET_KIND_PASSWORD
                            ? CT_SECRET_ODOO_PASSWORD : CT_SECRET_ODOO_API_KEY,
                            self->pending->odoo_url, self->pending->login, typed,
                            self->cancellable, secret_stored_cb, g_object_ref (self));
  else
    store_n8n_key (self);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CtConnectionDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  items = ct_connection_check_finish (result, &error);
  if (items == NULL)
    {
      report_error (self, error, _("Could not check the connection"));
      return;
    }

  show_check (self, items);
  if (!ct_connection_check_passed (items))
    {
      save_failed (self, _("The connection does not work yet. Nothing was saved: see the check below."));
      return;
    }

  store_everything (self);
}

static void
run_check (CtConnectionDialog *self)
{
  CtCheckOptions options = { 0 };
  g_autofree char *pinned = g_settings_get_string (self->settings, "pinned-certificate");

  options.connection = self->pending;
  options.secret = self->pending_secret;
  options.n8n_api_key = self->pending_n8n_key;
  if (self->trusted_pin != NULL)
    options.pinned_sha256 = self->trusted_pin;
  else
    {
      g_autofree char *old_url = g_settings_get_string (self->settings, "odoo-url");

      if (g_strcmp0 (old_url, self->pending->odoo_url) == 0 && pinned != NULL && *pinned != '\0')
        options.pinned_sha256 = pinned;
    }
  options.connect_timeout_ms = g_settings_get_uint (self->settings, "connect-timeout") * 1000;
  options.call_timeout_ms = g_settings_get_uint (self->settings, "call-timeout") * 1000;
  ct_connection_check_async (&options, self->cancellable, check_done_cb, g_object_ref (self));
}

static void
n8n_key_found_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CtConnectionDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *stored;

  stored = ct_secrets_lookup_finish (result, &error);
  if (error != NULL)
    {
      report_error (self, error, _("Could not read the keyring"));
      return;
    }
  if (stored == NULL)
    {
      set_row_error (self->n8n_key_row, TRUE);
      save_failed (self, _("Enter the n8n API key"));
      return;
    }
  self->pending_n8n_key = g_strdup (stored);
  ct_secrets_free (stored);
  run_check (self);
}

static void
find_n8n_key (CtConnectionDialog *self)
{
  const char *typed = row_text (self->n8n_key_row);

  if (self->pending->n8n_url == NULL)
    run_check (self);
  else if (typed != NULL && *typed != '\0')
    {
      self->pending_n8n_key = g_strdup (typed);
      run_check (self);
    }
  else
    ct_secrets_lookup_async (CT_SECRET_N8N_API_KEY, self->pending->n8n_url, NULL,
                             self->cancellable, n8n_key_found_cb, g_object_ref (self));
}

static void
secret_found_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CtConnectionDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *stored;

  stored = ct_secrets_lookup_finish (result, &error);
  if (error != NULL)
    {
      report_error (self, error, _("Could not read the keyring"));
      return;
    }
  if (stored == NULL)
    {
      set_row_error (self->secret_row, TRUE);
      save_failed (self, self->pending->secret_kind == CT_SECRET_KIND_PASSWORD
                         ? _("Enter the password") : _("Enter the API key"));
      return;
    }
  self->pending_secret = g_strdup (stored);
  ct_secrets_free (stored);
  find_n8n_key (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CtConnectionDialog *self = CT_CONNECTION_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  CtConnection *connection;
  const char *typed;

  if (self->cancellable != NULL)
    return;

  self->touched = TRUE;
  connection = read_fields (self, &error);
  if (connection == NULL)
    {
      show_message (self, error->message);
      return;
    }

  self->pending = connection;
  self->cancellable = g_cancellable_new ();
  set_row_error (self->secret_row, FALSE);
  set_row_error (self->n8n_key_row, FALSE);
  show_message (self, NULL);
  clear_check_rows (self);
  set_busy (self, TRUE);

  /* A key field left empty means the one already in the keyring. */
  typed = row_text (self->secret_row);
  if (typed != NULL && *typed != '\0')
    {
      self->pending_secret = g_strdup (typed);
      find_n8n_key (self);
    }
  else
    ct_secrets_lookup_async (connection->secret_kind == CT_SECRET_KIND_PASSWORD
                             ? CT_SECRET_ODOO_PASSWORD : CT_SECRET_ODOO_API_KEY,
                             connection->odoo_url, connection->login,
                             self->cancellable, secret_found_cb, g_object_ref (self));
}

static void
trust_certificate_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CtConnectionDialog *self = CT_CONNECTION_DIALOG (widget);

  if (self->offered_pin == NULL || self->cancellable != NULL)
    return;
  g_free (self->trusted_pin);
  self->trusted_pin = g_strdup (self->offered_pin);
  /* Check again with the pin; saving still needs the whole check to pass. */
  gtk_widget_activate_action (widget, "connection.save", NULL);
}

static void
ct_connection_dialog_load (CtConnectionDialog *self)
{
  g_autoptr(CtConnection) connection = ct_connection_load (self->settings);

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), connection->odoo_url);
  gtk_editable_set_text (GTK_EDITABLE (self->database_row), connection->database);
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), connection->login);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->secret_kind_row),
                              connection->secret_kind == CT_SECRET_KIND_PASSWORD ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->n8n_url_row), connection->n8n_url ? connection->n8n_url : "");
  gtk_switch_set_active (GTK_SWITCH (self->insecure_switch), connection->allow_insecure_http);
  self->touched = FALSE;
  ct_connection_dialog_validate (self);
}

static void
ct_connection_dialog_dispose (GObject *object)
{
  CtConnectionDialog *self = CT_CONNECTION_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending, ct_connection_free);
  g_clear_pointer (&self->pending_secret, wipe_free);
  g_clear_pointer (&self->pending_n8n_key, wipe_free);
  g_clear_pointer (&self->check_rows, g_ptr_array_unref);
  g_clear_pointer (&self->offered_pin, g_free);
  g_clear_pointer (&self->trusted_pin, g_free);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_CONNECTION_DIALOG);

  G_OBJECT_CLASS (ct_connection_dialog_parent_class)->dispose (object);
}

static void
ct_connection_dialog_class_init (CtConnectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_connection_dialog_dispose;

  /* Emitted once the connection is in the settings and its secrets in the keyring. */
  signals [SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/sysgenpro/ControlTower/dialogs/ct-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, check_group);
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, database_row);
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, insecure_group);
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, insecure_switch);
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, login_row);
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, n8n_key_row);
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, n8n_url_row);
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, secret_kind_row);
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CtConnectionDialog, url_row);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_changed_cb);

  gtk_widget_class_install_action (widget_class, "connection.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "connection.trust-certificate", NULL,
                                   trust_certificate_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ct_connection_dialog_init (CtConnectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->check_rows = g_ptr_array_new ();
}

CtConnectionDialog *
ct_connection_dialog_new (GtkWindow *parent,
                          GSettings *settings)
{
  CtConnectionDialog *self;

  self = g_object_new (CT_TYPE_CONNECTION_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->settings = g_object_ref (settings);
  ct_connection_dialog_load (self);
  return self;
}
