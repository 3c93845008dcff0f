/* ct-odoo-wire.c - Pure decoding of Odoo answers: bytes in, node or error out
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-odoo-wire"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-json.h"
#include "ct-odoo-wire.h"

gboolean
ct_odoo_wire_looks_like_html (const char *content_type,
                              const char *data,
                              gsize       length)
{
  gsize i = 0;

  if (content_type != NULL && g_str_has_prefix (content_type, "text/html"))
    return TRUE;
  while (i < length && g_ascii_isspace (data[i]))
    i++;
  return i < length && data[i] == '<';
}

JsonNode *
ct_odoo_wire_parse_json (const char  *data,
                         gsize        length,
                         const char  *what,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL,
                           _("The server sent an empty answer."));
      return NULL;
    }
  /* json-glib takes a gssize; anything that large is refused well before,
   * by the transport's size ceiling. */
  if (length > G_MAXSSIZE || !g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL,
                           _("The server's answer is not valid text."));
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!ct_json_parser_load (parser, data, (gssize) length, &local_error))
    {
      g_autofree char *message = NULL;

      /* Too deep, a number that would wrap, a broken escape: refused
       * before json-glib could crash on it or misread it. */
      if (local_error->domain == CT_JSON_ERROR)
        message = g_strdup_printf (_("%s sent an answer that was not read: %s."),
                                   what, local_error->message);
      else
        message = g_strdup (_("The server's answer is not valid JSON; "
                              "it may have been cut off."));
      *error = ct_odoo_error_new_full (CT_ODOO_ERROR_PROTOCOL, message,
                                       0, -1, NULL, local_error->message, NULL);
      return NULL;
    }
  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL,
                           _("The server sent an empty answer."));
      return NULL;
    }
  return root;
}

static char *
message_for (CtOdooError  code,
             const char  *server_message,
             guint        http_status,
             const char  *what)
{
  gboolean has_message = server_message != NULL && *server_message != '\0';

  switch (code)
    {
    case CT_ODOO_ERROR_USER:
      /* The server wrote this for the person who asked: show it as is. */
      if (has_message)
        return g_strdup (server_message);
      return g_strdup (_("The server refused the change."));
    case CT_ODOO_ERROR_ACCESS:
      if (has_message)
        return g_strdup (server_message);
      return g_strdup_printf (_("Your user is not allowed to do this in %s."), what);
    case CT_ODOO_ERROR_AUTH:
      if (has_message && g_strcmp0 (server_message, "Access Denied") != 0)
        return g_strdup_printf (_("%s did not accept the login or key: %s"), what, server_message);
      return g_strdup_printf (_("%s did not accept the login or key."), what);
    case CT_ODOO_ERROR_MISSING:
      return g_strdup (_("The record no longer exists; someone may have deleted it."));
    case CT_ODOO_ERROR_SESSION_EXPIRED:
      return g_strdup_printf (_("The %s session has expired."), what);
    case CT_ODOO_ERROR_NOT_FOUND:
      if (has_message && strstr (server_message, "database") != NULL)
        return g_strdup_printf (_("The database does not exist on this %s server."), what);
      if (has_message)
        return g_strdup_printf (_("%s does not know what was asked for: %s"), what, server_message);
      return g_strdup_printf (_("%s does not know what was asked for."), what);
    case CT_ODOO_ERROR_PROTOCOL:
      return g_strdup_printf (_("%s did not understand the request or sent an answer "
                                "that cannot be read."), what);
    case CT_ODOO_ERROR_SERVER:
    default:
      return ct_odoo_error_message_for_status (what, http_status,
                                               has_message ? server_message : NULL);
    }
}

GError *
ct_odoo_wire_error_for_status (guint       http_status,
                               const char *content_type,
                               const char *data,
                               gsize       length,
                               const char *what)
{
  g_autofree char *snippet = NULL;
  CtOdooError code;
  g_autofree char *message = NULL;
  gboolean html = data != NULL && ct_odoo_wire_looks_like_html (content_type, data, length);

  if (http_status == 401)
    code = CT_ODOO_ERROR_AUTH;
  else if (http_status == 403)
    code = CT_ODOO_ERROR_ACCESS;
  else if (http_status == 404)
    code = CT_ODOO_ERROR_NOT_FOUND;
  else if (http_status == 400 || http_status == 405 || http_status == 415 || http_status == 422)
    code = CT_ODOO_ERROR_PROTOCOL;   /* about our request, even when said in HTML */
  else if (http_status >= 500 || html)
    code = CT_ODOO_ERROR_SERVER;   /* HTML instead of data: a proxy or crash page */
  else
    code = CT_ODOO_ERROR_PROTOCOL;

  if (data != NULL && length > 0)
    snippet = g_utf8_make_valid (data, MIN (length, 512));

  if (code == CT_ODOO_ERROR_SERVER && html && http_status < 500)
    message = g_strdup_printf (_("%s sent a web page instead of data (HTTP %u); "
                                 "a proxy or login page may be in the way."),
                               what, http_status);
  else if (code == CT_ODOO_ERROR_NOT_FOUND)
    message = g_strdup_printf (_("%s does not know this address or database (HTTP 404)."), what);
  else
    message = message_for (code, NULL, http_status, what);

  return ct_odoo_error_new_full (code, message, http_status, -1, NULL, snippet, NULL);
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static GError *
error_from_exception (JsonObject *object,
                      guint       http_status,
                      int         rpc_code,
                      const char *fallback_message)
{
  const char *exception_class = get_string_member (object, "name");
  const char *server_message = get_string_member (object, "message");
  const char *traceback = get_string_member (object, "debug");
  CtOdooError code;
  g_autofree char *message = NULL;

  if (server_message == NULL)
    server_message = fallback_message;
  code = ct_odoo_error_code_for_exception (exception_class, server_message, http_status, rpc_code);
  message = message_for (code, server_message, http_status, "Odoo");
  return ct_odoo_error_new_full (code, message, http_status, rpc_code,
                                 exception_class, server_message, traceback);
}

gboolean
ct_odoo_wire_decode_jsonrpc (const char  *data,
                             gsize        length,
                             guint        http_status,
                             const char  *content_type,
                             JsonNode   **result,
                             GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *error_node;
  JsonNode *result_node;

  g_return_val_if_fail (result != NULL, FALSE);
  *result = NULL;

  /* Odoo answers JSON-RPC errors with 200; anything else is the web server
   * or a proxy speaking (400 invalid JSON, 415, 502 from nginx, ...). */
  if (http_status != 200 || ct_odoo_wire_looks_like_html (content_type, data, length))
    {
      g_propagate_error (error, ct_odoo_wire_error_for_status (http_status, content_type,
                                                               data, length, "Odoo"));
      return FALSE;
    }

  root = ct_odoo_wire_parse_json (data, length, "Odoo", error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "jsonrpc"))
    {
      g_set_error_literal (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL,
                           _("Odoo's answer is not a JSON-RPC response."));
      return FALSE;
    }
  object = json_node_get_object (root);

  error_node = json_object_get_member (object, "error");
  if (error_node != NULL && !JSON_NODE_HOLDS_NULL (error_node))
    {
      JsonObject *error_object;
      JsonNode *data_node;
      JsonNode *code_node;
      int rpc_code = -1;
      const char *envelope_message;

      if (!JSON_NODE_HOLDS_OBJECT (error_node))
        {
          g_set_error_literal (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL,
                               _("Odoo's error answer has an unexpected shape."));
          return FALSE;
        }
      error_object = json_node_get_object (error_node);
      code_node = json_object_get_member (error_object, "code");
      if (code_node != NULL && JSON_NODE_HOLDS_VALUE (code_node) &&
          json_node_get_value_type (code_node) == G_TYPE_INT64)
        rpc_code = (int) CLAMP (json_node_get_int (code_node), G_MININT, G_MAXINT);
      envelope_message = get_string_member (error_object, "message");
      data_node = json_object_get_member (error_object, "data");
      if (data_node != NULL && JSON_NODE_HOLDS_OBJECT (data_node))
        g_propagate_error (error, error_from_exception (json_node_get_object (data_node),
                                                        http_status, rpc_code,
                                                        envelope_message));
      else
        g_propagate_error (error, error_from_exception (error_object, http_status, rpc_code,
                                                        envelope_message));
      return FALSE;
    }

  result_node = json_object_get_member (object, "result");
  /* No "result" key: the method returned None. */
  if (result_node != NULL && !JSON_NODE_HOLDS_NULL (result_node))
    *result = json_node_copy (result_node);
  return TRUE;
}

gboolean
ct_odoo_wire_decode_json2 (const char  *data,
                           gsize        length,
                           guint        http_status,
                           const char  *content_type,
                           JsonNode   **result,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (result != NULL, FALSE);
  *result = NULL;

  if (ct_odoo_wire_looks_like_html (content_type, data, length))
    {
      g_propagate_error (error, ct_odoo_wire_error_for_status (http_status, content_type,
                                                               data, length, "Odoo"));
      return FALSE;
    }

  if (http_status != 200)
    {
      g_autoptr(GError) parse_error = NULL;
      JsonObject *object;

      root = ct_odoo_wire_parse_json (data, length, "Odoo", &parse_error);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_propagate_error (error, ct_odoo_wire_error_for_status (http_status, content_type,
                                                                   data, length, "Odoo"));
          return FALSE;
        }
      object = json_node_get_object (root);
      if (get_string_member (object, "name") == NULL &&
          get_string_member (object, "message") == NULL)
        {
          g_propagate_error (error, ct_odoo_wire_error_for_status (http_status, content_type,
                                                                   data, length, "Odoo"));
          return FALSE;
        }
      g_propagate_error (error, error_from_exception (object, http_status, -1, NULL));
      return FALSE;
    }

  root = ct_odoo_wire_parse_json (data, length, "Odoo", error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_NULL (root))
    *result = g_steal_pointer (&root);
  return TRUE;
}

static gboolean
version_part (JsonArray *info,
              guint      index,
              int       *value)
{
  JsonNode *node;

  if (json_array_get_length (info) <= index)
    return FALSE;
  node = json_array_get_element (info, index);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = (int) CLAMP (json_node_get_int (node), 0, 10000);
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      /* Odoo Online says "saas~18" */
      const char *s = json_node_get_string (node);
      const char *tilde = strchr (s, '~');
      guint64 parsed;

      if (g_ascii_string_to_unsigned (tilde != NULL ? tilde + 1 : s, 10, 0, 10000,
                                      &parsed, NULL))
        {
          *value = (int) parsed;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
ct_odoo_wire_parse_version (JsonNode  *node,
                            int       *major,
                            int       *minor,
                            char     **version_string,
                            GError   **error)
{
  JsonObject *object;
  JsonNode *info_node;
  const char *version;
  int ma = 0, mi = 0;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  object = json_node_get_object (node);
  info_node = json_object_get_member (object, "version_info");
  if (info_node == NULL)
    info_node = json_object_get_member (object, "server_version_info");
  version = get_string_member (object, "version");
  if (version == NULL)
    version = get_string_member (object, "server_version");
  if (info_node == NULL || !JSON_NODE_HOLDS_ARRAY (info_node) ||
      !version_part (json_node_get_array (info_node), 0, &ma))
    goto bad;
  version_part (json_node_get_array (info_node), 1, &mi);

  if (major)
    *major = ma;
  if (minor)
    *minor = mi;
  if (version_string)
    *version_string = version != NULL ? g_strdup (version) : g_strdup_printf ("%d.%d", ma, mi);
  return TRUE;

bad:
  g_set_error_literal (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL,
                       _("The server did not say which Odoo version it runs; "
                         "is this address an Odoo server?"));
  return FALSE;
}
