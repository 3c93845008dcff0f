/* ct-odoo-error.h - The connectors' error codes and the details behind them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CT_ODOO_ERROR (ct_odoo_error_quark ())

/* One code per thing a UI can act on. The Odoo and n8n clients both report
 * in this domain, so a caller handles "the key was refused" the same way
 * whichever server refused it. */
typedef enum
{
  CT_ODOO_ERROR_AUTH,             /* bad login, password or key (401, AccessDenied) */
  CT_ODOO_ERROR_ACCESS,           /* AccessError, 403: signed in but not allowed */
  CT_ODOO_ERROR_MISSING,          /* MissingError: the record is gone */
  CT_ODOO_ERROR_USER,             /* UserError/ValidationError, 422: message shown as is */
  CT_ODOO_ERROR_SESSION_EXPIRED,  /* code 100, still expired after one re-authentication */
  CT_ODOO_ERROR_NOT_FOUND,        /* model, method, database, execution or route unknown */
  CT_ODOO_ERROR_NETWORK,          /* unreachable, refused, reset */
  CT_ODOO_ERROR_TIMEOUT,          /* no complete answer within the timeout */
  CT_ODOO_ERROR_TLS,              /* certificate refused (names host and reason) */
  CT_ODOO_ERROR_SERVER,           /* 5xx, HTML error pages, server-side crashes */
  CT_ODOO_ERROR_PROTOCOL,         /* malformed, wrong types, oversized, bad request */
  CT_ODOO_ERROR_NOT_SUPPORTED,    /* this server version cannot do it */
} CtOdooError;

/* What the server said, kept for a details view. The GError message is the
 * sentence a user reads; none of this is in it by default (except for USER
 * errors, whose message is the server's). */
typedef struct
{
  guint  http_status;        /* 0 when no HTTP answer arrived */
  int    rpc_code;           /* JSON-RPC error.code, -1 when none */
  char  *exception_class;    /* "odoo.exceptions.AccessError", NULL when none */
  char  *server_message;     /* the server's own message, untranslated */
  char  *traceback;          /* error.data.debug / n8n stack, may be long */
  char  *request;            /* "purchase.order.search_read": what was asked */
  char  *certificate_sha256; /* TLS errors: the refused certificate's fingerprint,
                              * to offer pinning it by explicit choice */
} CtOdooErrorDetails;

GQuark                    ct_odoo_error_quark        (void);

/* The details attached to @error, or NULL if @error is not in
 * CT_ODOO_ERROR. Valid as long as @error lives. */
const CtOdooErrorDetails *ct_odoo_error_get_details  (const GError *error);

/* Creates an error carrying details. Every string argument may be NULL. */
GError                   *ct_odoo_error_new_full     (CtOdooError   code,
                                                      const char   *message,
                                                      guint         http_status,
                                                      int           rpc_code,
                                                      const char   *exception_class,
                                                      const char   *server_message,
                                                      const char   *traceback);
/* Records what was asked (model.method) in the details, if it has none. */
void                      ct_odoo_error_set_request  (GError       *error,
                                                      const char   *request);
void                      ct_odoo_error_set_certificate (GError    *error,
                                                         const char *sha256);

/* Maps an Odoo exception class (and, for JSON-2, the HTTP status) to a code,
 * following what the recorded servers answer. */
CtOdooError               ct_odoo_error_code_for_exception (const char *exception_class,
                                                            const char *server_message,
                                                            guint       http_status,
                                                            int         rpc_code);

/* The sentence for a server-side failure of @what ("Odoo", "n8n"), worded
 * by @http_status: 502, 503 and 504 say the server is temporarily
 * unavailable or a gateway in front of it failed, 500 and others an
 * internal error. @server_message (nullable), the server's own words, is
 * quoted after it (first line, shortened). */
char                     *ct_odoo_error_message_for_status (const char *what,
                                                            guint       http_status,
                                                            const char *server_message);

/* The short name of a code, for logs and tests ("AUTH", "USER", ...). */
const char               *ct_odoo_error_code_to_string (int code);

G_END_DECLS
