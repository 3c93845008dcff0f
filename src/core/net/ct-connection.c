/* ct-connection.c - Where the Odoo and n8n servers are and who signs in
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-connection"

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gi18n-lib.h>

#include "ct-connection.h"

G_DEFINE_QUARK (ct-connection-error-quark, ct_connection_error)

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_str_has_suffix (host, ".localhost"))
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
ct_connection_is_loopback_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  return uri != NULL && host_is_loopback (g_uri_get_host (uri));
}

char *
ct_connection_normalize_url (const char  *url,
                             gboolean     allow_insecure_http,
                             GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  const char *path;
  g_autofree char *clean_path = NULL;

  trimmed = g_strstrip (g_strdup (url != NULL ? url : ""));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_EMPTY,
                           _("Enter the server address, such as https://erp.example.com"));
      return NULL;
    }

  if (strstr (trimmed, "://") == NULL)
    {
      g_set_error (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INVALID_URL,
                   _("“%s” is missing https:// at the start"), trimmed);
      return NULL;
    }

  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INVALID_URL,
                   _("“%s” is not a web address"), trimmed);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INVALID_URL,
                   _("Only https:// and http:// addresses are supported, not %s://"), scheme);
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INVALID_URL,
                           _("The address has no server name"));
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INVALID_URL,
                           _("Do not put a login or password in the address; use the fields below"));
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INVALID_URL,
                           _("The address must not contain “?” or “#” parts"));
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (host) && !allow_insecure_http)
    {
      g_set_error (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INSECURE,
                   _("http:// sends your password to %s unencrypted; use https:// or accept the risk"),
                   host);
      return NULL;
    }

  path = g_uri_get_path (uri);
  clean_path = g_strdup (path != NULL ? path : "");
  while (*clean_path != '\0' && g_str_has_suffix (clean_path, "/"))
    clean_path[strlen (clean_path) - 1] = '\0';

  {
    g_autoptr(GUri) normalized = NULL;
    g_autofree char *lower_scheme = g_ascii_strdown (scheme, -1);

    normalized = g_uri_build (G_URI_FLAGS_NONE, lower_scheme, NULL, host, g_uri_get_port (uri),
                              clean_path, NULL, NULL);
    return g_uri_to_string (normalized);
  }
}

CtConnection *
ct_connection_new (void)
{
  CtConnection *self = g_new0 (CtConnection, 1);

  self->odoo_url = g_strdup ("");
  self->database = g_strdup ("");
  self->login = g_strdup ("");
  self->secret_kind = CT_SECRET_KIND_API_KEY;
  return self;
}

CtConnection *
ct_connection_copy (const CtConnection *self)
{
  CtConnection *copy = g_new0 (CtConnection, 1);

  copy->odoo_url = g_strdup (self->odoo_url);
  copy->database = g_strdup (self->database);
  copy->login = g_strdup (self->login);
  copy->secret_kind = self->secret_kind;
  copy->n8n_url = g_strdup (self->n8n_url);
  copy->allow_insecure_http = self->allow_insecure_http;
  return copy;
}

void
ct_connection_free (CtConnection *self)
{
  if (self == NULL)
    return;
  g_free (self->odoo_url);
  g_free (self->database);
  g_free (self->login);
  g_free (self->n8n_url);
  g_free (self);
}

gboolean
ct_connection_is_configured (const CtConnection *self)
{
  return self != NULL &&
         self->odoo_url != NULL && *self->odoo_url != '\0' &&
         self->login != NULL && *self->login != '\0';
}

gboolean
ct_connection_validate (const CtConnection  *self,
                        GError             **error)
{
  g_autofree char *odoo = NULL;

  odoo = ct_connection_normalize_url (self->odoo_url, self->allow_insecure_http, error);
  if (odoo == NULL)
    return FALSE;

  if (self->database == NULL || *self->database == '\0')
    {
      g_set_error_literal (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_EMPTY,
                           _("Enter the name of the Odoo database"));
      return FALSE;
    }

  if (self->login == NULL || *self->login == '\0')
    {
      g_set_error_literal (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_EMPTY,
                           _("Enter the login you use on Odoo"));
      return FALSE;
    }

  if (self->n8n_url != NULL && *self->n8n_url != '\0')
    {
      g_autofree char *n8n = NULL;
      g_autoptr(GError) n8n_error = NULL;

      n8n = ct_connection_normalize_url (self->n8n_url, self->allow_insecure_http, &n8n_error);
      if (n8n == NULL)
        {
          g_set_error (error, CT_CONNECTION_ERROR, n8n_error->code,
                       _("n8n: %s"), n8n_error->message);
          return FALSE;
        }
    }

  return TRUE;
}

const char *
ct_secret_kind_to_string (CtSecretKind kind)
{
  return kind == CT_SECRET_KIND_PASSWORD ? "password" : "api-key";
}

CtSecretKind
ct_secret_kind_from_string (const char *str)
{
  return g_strcmp0 (str, "password") == 0 ? CT_SECRET_KIND_PASSWORD : CT_SECRET_KIND_API_KEY;
}

CtConnection *
ct_connection_load (GSettings *settings)
{
  CtConnection *self = g_new0 (CtConnection, 1);
  g_autofree char *kind = NULL;

  self->odoo_url = g_settings_get_string (settings, "odoo-url");
  self->database = g_settings_get_string (settings, "odoo-database");
  self->login = g_settings_get_string (settings, "odoo-login");
  kind = g_settings_get_string (settings, "odoo-secret-kind");
  self->secret_kind = ct_secret_kind_from_string (kind);
  self->n8n_url = g_settings_get_string (settings, "n8n-url");
  self->allow_insecure_http = g_settings_get_boolean (settings, "allow-insecure-http");
  return self;
}

void
ct_connection_save (const CtConnection *self,
                    GSettings          *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GSettings) batch = NULL;

  /* Write all keys at once through a settings object of our own: delaying
   * the caller's object would hold back its later writes forever. */
  g_object_get (settings, "settings-schema", &schema, "backend", &backend, "path", &path, NULL);
  batch = g_settings_new_full (schema, backend, path);
  settings = batch;
  g_settings_delay (settings);
  g_settings_set_string (settings, "odoo-url", self->odoo_url ? self->odoo_url : "");
  g_settings_set_string (settings, "odoo-database", self->database ? self->database : "");
  g_settings_set_string (settings, "odoo-login", self->login ? self->login : "");
  g_settings_set_string (settings, "odoo-secret-kind", ct_secret_kind_to_string (self->secret_kind));
  g_settings_set_string (settings, "n8n-url", self->n8n_url ? self->n8n_url : "");
  g_settings_set_boolean (settings, "allow-insecure-http", self->allow_insecure_http);
  g_settings_apply (settings);
}
