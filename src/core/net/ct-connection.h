/* ct-connection.h - Where the Odoo and n8n servers are and who signs in
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CT_CONNECTION_ERROR (ct_connection_error_quark ())

typedef enum
{
  CT_CONNECTION_ERROR_EMPTY,        /* a required field is empty */
  CT_CONNECTION_ERROR_INVALID_URL,  /* not an http(s) address with a host */
  CT_CONNECTION_ERROR_INSECURE,     /* http:// to another host without consent */
} CtConnectionError;

typedef enum
{
  CT_SECRET_KIND_API_KEY,
  CT_SECRET_KIND_PASSWORD,
} CtSecretKind;

/* The non-secret half of a connection. Secrets never live here: they are in
 * the keyring (ct-secrets.h) and are read only when connecting. */
typedef struct
{
  char         *odoo_url;
  char         *database;
  char         *login;
  CtSecretKind  secret_kind;
  char         *n8n_url;             /* (nullable) */
  gboolean      allow_insecure_http;
} CtConnection;

GQuark        ct_connection_error_quark      (void);

CtConnection *ct_connection_new              (void);
CtConnection *ct_connection_copy             (const CtConnection  *self);
void          ct_connection_free             (CtConnection        *self);
gboolean      ct_connection_is_configured    (const CtConnection  *self);

/* Checks an address the way the connection setup shows it: a readable
 * message naming what is wrong, in the user's language. Returns a normalised
 * copy (no trailing slash) or NULL. */
char         *ct_connection_normalize_url    (const char          *url,
                                              gboolean             allow_insecure_http,
                                              GError             **error);
gboolean      ct_connection_is_loopback_url  (const char          *url);
gboolean      ct_connection_validate         (const CtConnection  *self,
                                              GError             **error);

CtConnection *ct_connection_load             (GSettings           *settings);
void          ct_connection_save             (const CtConnection  *self,
                                              GSettings           *settings);

const char   *ct_secret_kind_to_string       (CtSecretKind         kind);
CtSecretKind  ct_secret_kind_from_string     (const char          *str);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtConnection, ct_connection_free)

G_END_DECLS
