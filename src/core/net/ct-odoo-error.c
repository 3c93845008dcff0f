/* ct-odoo-error.c - The connectors' error codes and the details behind them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-odoo-error"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-odoo-error.h"

/* An extended error domain (GLib 2.68) lets the details travel with the
 * GError through GTask and g_error_copy, so a details view gets the server's
 * traceback without it ever being part of the message. */
typedef struct
{
  CtOdooErrorDetails details;
} CtOdooErrorPrivate;

static void
ct_odoo_error_private_init (CtOdooErrorPrivate *priv)
{
  priv->details.rpc_code = -1;
}

static void
ct_odoo_error_private_copy (const CtOdooErrorPrivate *src,
                            CtOdooErrorPrivate       *dest)
{
  dest->details.http_status = src->details.http_status;
  dest->details.rpc_code = src->details.rpc_code;
  dest->details.exception_class = g_strdup (src->details.exception_class);
  dest->details.server_message = g_strdup (src->details.server_message);
  dest->details.traceback = g_strdup (src->details.traceback);
  dest->details.request = g_strdup (src->details.request);
  dest->details.certificate_sha256 = g_strdup (src->details.certificate_sha256);
}

static void
ct_odoo_error_private_clear (CtOdooErrorPrivate *priv)
{
  g_clear_pointer (&priv->details.exception_class, g_free);
  g_clear_pointer (&priv->details.server_message, g_free);
  g_clear_pointer (&priv->details.traceback, g_free);
  g_clear_pointer (&priv->details.request, g_free);
  g_clear_pointer (&priv->details.certificate_sha256, g_free);
}

G_DEFINE_EXTENDED_ERROR (CtOdooError, ct_odoo_error)

const CtOdooErrorDetails *
ct_odoo_error_get_details (const GError *error)
{
  CtOdooErrorPrivate *priv;

  if (error == NULL || error->domain != CT_ODOO_ERROR)
    return NULL;
  priv = ct_odoo_error_get_private (error);
  return priv != NULL ? &priv->details : NULL;
}

GError *
ct_odoo_error_new_full (CtOdooError  code,
                        const char  *message,
                        guint        http_status,
                        int          rpc_code,
                        const char  *exception_class,
                        const char  *server_message,
                        const char  *traceback)
{
  GError *error = g_error_new_literal (CT_ODOO_ERROR, code, message);
  CtOdooErrorPrivate *priv = ct_odoo_error_get_private (error);

  priv->details.http_status = http_status;
  priv->details.rpc_code = rpc_code;
  priv->details.exception_class = g_strdup (exception_class);
  priv->details.server_message = g_strdup (server_message);
  priv->details.traceback = g_strdup (traceback);
  return error;
}

void
ct_odoo_error_set_request (GError     *error,
                           const char *request)
{
  CtOdooErrorPrivate *priv;

  if (error == NULL || error->domain != CT_ODOO_ERROR)
    return;
  priv = ct_odoo_error_get_private (error);
  if (priv != NULL && priv->details.request == NULL)
    priv->details.request = g_strdup (request);
}

void
ct_odoo_error_set_certificate (GError     *error,
                               const char *sha256)
{
  CtOdooErrorPrivate *priv;

  if (error == NULL || error->domain != CT_ODOO_ERROR)
    return;
  priv = ct_odoo_error_get_private (error);
  if (priv != NULL)
    {
      g_free (priv->details.certificate_sha256);
      priv->details.certificate_sha256 = g_strdup (sha256);
    }
}

static gboolean
class_is (const char *exception_class,
          const char *name)
{
  return exception_class != NULL && g_strcmp0 (exception_class, name) == 0;
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

CtOdooError
ct_odoo_error_code_for_exception (const char *exception_class,
                                  const char *server_message,
                                  guint       http_status,
                                  int         rpc_code)
{
  /* Order matters: the exception class is the most precise signal, the HTTP
   * status (JSON-2 only) the next, and JSON-RPC's error.code the last. */
  if (rpc_code == 100 || contains (exception_class, "SessionExpiredException"))
    return CT_ODOO_ERROR_SESSION_EXPIRED;
  if (class_is (exception_class, "odoo.exceptions.AccessDenied") ||
      class_is (exception_class, "werkzeug.exceptions.Unauthorized"))
    return CT_ODOO_ERROR_AUTH;
  if (class_is (exception_class, "odoo.exceptions.AccessError"))
    return CT_ODOO_ERROR_ACCESS;
  if (class_is (exception_class, "odoo.exceptions.MissingError"))
    return CT_ODOO_ERROR_MISSING;
  /* JSON-RPC reports an unknown model as a UserError "Object x doesn't
   * exist", where JSON-2 answers 404: both are NOT_FOUND to a caller. */
  if (class_is (exception_class, "odoo.exceptions.UserError") &&
      g_str_has_prefix (server_message ? server_message : "", "Object ") &&
      contains (server_message, "doesn't exist"))
    return CT_ODOO_ERROR_NOT_FOUND;
  if (class_is (exception_class, "builtins.AttributeError") &&
      contains (server_message, "does not exist"))
    return CT_ODOO_ERROR_NOT_FOUND;
  if (class_is (exception_class, "builtins.Exception") &&
      g_str_has_prefix (server_message ? server_message : "", "Method not found"))
    return CT_ODOO_ERROR_NOT_FOUND;
  /* A wrong database name reaches PostgreSQL before Odoo notices. */
  if (contains (exception_class, "OperationalError") &&
      contains (server_message, "does not exist"))
    return CT_ODOO_ERROR_NOT_FOUND;
  if (class_is (exception_class, "werkzeug.exceptions.NotFound"))
    return CT_ODOO_ERROR_NOT_FOUND;
  if (class_is (exception_class, "werkzeug.exceptions.BadRequest") ||
      class_is (exception_class, "werkzeug.exceptions.UnprocessableEntity") ||
      class_is (exception_class, "werkzeug.exceptions.UnsupportedMediaType"))
    return CT_ODOO_ERROR_PROTOCOL;
  if (exception_class != NULL && g_str_has_prefix (exception_class, "odoo.exceptions."))
    return CT_ODOO_ERROR_USER;   /* UserError, ValidationError, RedirectWarning, ... */

  switch (http_status)
    {
    case 401:
      return CT_ODOO_ERROR_AUTH;
    case 403:
      return CT_ODOO_ERROR_ACCESS;
    case 404:
      return CT_ODOO_ERROR_NOT_FOUND;
    case 400:
    case 405:
    case 415:
    case 422:
      return CT_ODOO_ERROR_PROTOCOL;
    default:
      break;
    }
  if (rpc_code == 404)
    return CT_ODOO_ERROR_NOT_FOUND;
  return CT_ODOO_ERROR_SERVER;
}

const char *
ct_odoo_error_code_to_string (int code)
{
  static const char * const names[] = {
    "AUTH", "ACCESS", "MISSING", "USER", "SESSION_EXPIRED", "NOT_FOUND",
    "NETWORK", "TIMEOUT", "TLS", "SERVER", "PROTOCOL", "NOT_SUPPORTED",
  };

  if (code < 0 || code >= (int) G_N_ELEMENTS (names))
    return "UNKNOWN";
  return names[code];
}

/* The server's words for a message: the first line, at most 200 characters,
 * NULL when there are none. */
static char *
quotable (const char *server_message)
{
  g_autofree char *valid = NULL;
  g_autofree char *line = NULL;
  char *end;

  if (server_message == NULL)
    return NULL;
  valid = g_utf8_make_valid (server_message, -1);
  end = strchr (valid, '\n');
  line = g_strstrip (g_strndup (valid, end ? (gsize) (end - valid) : strlen (valid)));
  if (*line == '\0')
    return NULL;
  if (g_utf8_strlen (line, -1) > 200)
    {
      char *cut = g_utf8_offset_to_pointer (line, 199);

      *cut = '\0';
      return g_strconcat (line, "…", NULL);
    }
  return g_steal_pointer (&line);
}

char *
ct_odoo_error_message_for_status (const char *what,
                                  guint       http_status,
                                  const char *server_message)
{
  g_autofree char *sentence = NULL;
  g_autofree char *said = quotable (server_message);

  switch (http_status)
    {
    case 502:
      sentence = g_strdup_printf (_("%s is temporarily unavailable: the gateway in front of it "
                                    "got no valid answer from it (HTTP 502)."), what);
      break;
    case 503:
      sentence = g_strdup_printf (_("%s is temporarily unavailable: it may be restarting, "
                                    "overloaded or in maintenance (HTTP 503)."), what);
      break;
    case 504:
      sentence = g_strdup_printf (_("%s is temporarily unavailable: the gateway in front of it "
                                    "gave up waiting for it (HTTP 504)."), what);
      break;
    case 0:
    case 200:
      sentence = g_strdup_printf (_("%s ran into an internal error."), what);
      break;
    default:
      sentence = g_strdup_printf (_("%s ran into an internal error (HTTP %u)."), what, http_status);
      break;
    }
  if (said == NULL)
    return g_steal_pointer (&sentence);
  /* "Odoo ran into an internal error (HTTP 500). It said: “…”" */
  return g_strdup_printf (_("%s It said: “%s”"), sentence, said);
}
