/* ct-secrets.c - Passwords and API keys in the Secret Service, nowhere else
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-secrets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "ct-secrets.h"

/* The schema is named after the application ID so that a keyring browser
 * (Seahorse) shows whose secrets these are. */
static const SecretSchema *
ct_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    APP_ID, SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static const char *
slot_kind (CtSecretSlot slot)
{
  switch (slot)
    {
    case CT_SECRET_ODOO_PASSWORD:
      return "odoo-password";
    case CT_SECRET_ODOO_API_KEY:
      return "odoo-api-key";
    case CT_SECRET_N8N_API_KEY:
      return "n8n-api-key";
    default:
      g_assert_not_reached ();
    }
}

static GHashTable *
slot_attributes (CtSecretSlot  slot,
                 const char   *server,
                 const char   *login)
{
  /* Copies: libsecret reads the table after an _async call has returned. */
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer)"kind", g_strdup (slot_kind (slot)));
  g_hash_table_insert (attributes, (gpointer)"server", g_strdup (server ? server : ""));
  g_hash_table_insert (attributes, (gpointer)"login", g_strdup (login ? login : ""));
  return attributes;
}

static char *
slot_label (CtSecretSlot  slot,
            const char   *server,
            const char   *login)
{
  switch (slot)
    {
    case CT_SECRET_ODOO_PASSWORD:
      return g_strdup_printf (_("Odoo password for %s on %s"), login, server);
    case CT_SECRET_ODOO_API_KEY:
      return g_strdup_printf (_("Odoo API key for %s on %s"), login, server);
    case CT_SECRET_N8N_API_KEY:
      return g_strdup_printf (_("n8n API key for %s"), server);
    default:
      g_assert_not_reached ();
    }
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
ct_secrets_store_async (CtSecretSlot         slot,
                        const char          *server,
                        const char          *login,
                        const char          *secret,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_secrets_store_async);

  attributes = slot_attributes (slot, server, login);
  label = slot_label (slot, server, login);
  secret_password_storev (ct_secrets_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, secret, cancellable, store_cb, g_steal_pointer (&task));
}

gboolean
ct_secrets_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, secret, (GDestroyNotify)secret_password_free);
}

void
ct_secrets_lookup_async (CtSecretSlot         slot,
                         const char          *server,
                         const char          *login,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_secrets_lookup_async);

  attributes = slot_attributes (slot, server, login);
  secret_password_lookupv (ct_secrets_get_schema (), attributes, cancellable,
                           lookup_cb, g_steal_pointer (&task));
}

char *
ct_secrets_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
ct_secrets_lookup_sync (CtSecretSlot   slot,
                        const char    *server,
                        const char    *login,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GHashTable) attributes = slot_attributes (slot, server, login);

  return secret_password_lookupv_sync (ct_secrets_get_schema (), attributes, cancellable, error);
}

gboolean
ct_secrets_store_sync (CtSecretSlot   slot,
                       const char    *server,
                       const char    *login,
                       const char    *secret,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GHashTable) attributes = slot_attributes (slot, server, login);
  g_autofree char *label = slot_label (slot, server, login);

  return secret_password_storev_sync (ct_secrets_get_schema (), attributes,
                                      SECRET_COLLECTION_DEFAULT, label, secret,
                                      cancellable, error);
}

gboolean
ct_secrets_clear_sync (CtSecretSlot   slot,
                       const char    *server,
                       const char    *login,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GHashTable) attributes = slot_attributes (slot, server, login);
  g_autoptr(GError) local_error = NULL;

  if (!secret_password_clearv_sync (ct_secrets_get_schema (), attributes, cancellable,
                                    &local_error) && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

void
ct_secrets_free (char *secret)
{
  secret_password_free (secret);
}
