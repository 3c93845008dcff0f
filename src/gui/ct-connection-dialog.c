/* ct-connection-dialog.c - Set up where the servers are and who signs in
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-connection-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-connection.h"
#include "ct-connection-dialog.h"
#include "ct-secrets.h"

struct _CtConnectionDialog
{
  AdwWindow     parent_instance;

  GSettings    *settings;       /* (owned) */
  GCancellable *cancellable;    /* (owned) (nullable): the save in flight */
  CtConnection *pending;        /* (owned) (nullable): what the save in flight will write */
  char         *pending_n8n_key; /* (owned) (nullable) */
  gboolean      touched;

  /* Template widgets */
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
      g_clear_pointer (&self->pending_n8n_key, ct_secrets_free);
    }
  ct_connection_dialog_validate (self);
}

static void
save_failed (CtConnectionDialog *self,
             const char         *message)
{
  /* Nothing was written to the settings: the old connection stays. */
  set_busy (self, FALSE);
  show_message (self, message);
}

static void
finish_save (CtConnectionDialog *self)
{
  ct_connection_save (self->pending, self->settings);
  set_busy (self, FALSE);
  g_signal_emit (self, signals [SAVED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
n8n_key_checked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CtConnectionDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *stored;

  if (g_task_get_source_tag (G_TASK (result)) == ct_secrets_store_async)
    {
      if (!ct_secrets_store_finish (result, &error))
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_autofree char *message = g_strdup_printf (_("Could not keep the n8n API key in the keyring: %s"),
                                                          error->message);
              save_failed (self, message);
            }
          return;
        }
      finish_save (self);
      return;
    }

  stored = ct_secrets_lookup_finish (result, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not read the keyring: %s"), error->message);
          save_failed (self, message);
        }
      return;
    }
  if (stored == NULL)
    {
      set_row_error (self->n8n_key_row, TRUE);
      save_failed (self, _("Enter the n8n API key"));
      return;
    }
  ct_secrets_free (stored);
  finish_save (self);
}

static void
save_n8n_key (CtConnectionDialog *self)
{
  const char *key = row_text (self->n8n_key_row);

  if (self->pending->n8n_url == NULL)
    {
      finish_save (self);
      return;
    }

  if (key != NULL && *key != '\0')
    ct_secrets_store_async (CT_SECRET_N8N_API_KEY, self->pending->n8n_url, NULL, key,
                            self->cancellable, n8n_key_checked_cb, g_object_ref (self));
  else
    ct_secrets_lookup_async (CT_SECRET_N8N_API_KEY, self->pending->n8n_url, NULL,
                             self->cancellable, n8n_key_checked_cb, g_object_ref (self));
}

static void
odoo_secret_checked_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CtConnectionDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  char *stored;

  if (g_task_get_source_tag (G_TASK (result)) == ct_secrets_store_async)
    {
      if (!ct_secrets_store_finish (result, &error))
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_autofree char *message = g_strdup_printf (_("Could not keep the secret in the keyring: %s"),
                                                          error->message);
              save_failed (self, message);
            }
          return;
        }
      save_n8n_key (self);
      return;
    }

  stored = ct_secrets_lookup_finish (result, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not read the keyring: %s"), error->message);
          save_failed (self, message);
        }
      return;
    }
  if (stored == NULL)
    {
      set_row_error (self->secret_row, TRUE);
      save_failed (self, self->pending->secret_kind == CT_SECRET_KIND_PASSWORD
                         ? _("Enter the password") : _("Enter the API key"));
      return;
    }
  ct_secrets_free (stored);
  save_n8n_key (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CtConnectionDialog *self = CT_CONNECTION_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  CtConnection *connection;
  CtSecretSlot slot;
  const char *secret;

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
  set_busy (self, TRUE);

  slot = connection->secret_kind == CT_SECRET_KIND_PASSWORD
         ? CT_SECRET_ODOO_PASSWORD : CT_SECRET_ODOO_API_KEY;
  secret = row_text (self->secret_row);
  if (secret != NULL && *secret != '\0')
    ct_secrets_store_async (slot, connection->odoo_url, connection->login, secret,
                            self->cancellable, odoo_secret_checked_cb, g_object_ref (self));
  else
    ct_secrets_lookup_async (slot, connection->odoo_url, connection->login,
                             self->cancellable, odoo_secret_checked_cb, g_object_ref (self));
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
  g_clear_pointer (&self->pending_n8n_key, ct_secrets_free);
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
                                               "/com/sysgenpro/ControlTower/ct-connection-dialog.ui");
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

  gtk_widget_class_install_action (widget_class, "connection.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ct_connection_dialog_init (CtConnectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
