/* ct-secrets.h - Passwords and API keys in the Secret Service, nowhere else
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CT_SECRET_ODOO_PASSWORD,
  CT_SECRET_ODOO_API_KEY,
  CT_SECRET_N8N_API_KEY,
} CtSecretSlot;

/* Stores @secret for (@slot, @server, @login) in the default collection.
 * @login may be NULL for n8n keys. */
void      ct_secrets_store_async   (CtSecretSlot          slot,
                                    const char           *server,
                                    const char           *login,
                                    const char           *secret,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean  ct_secrets_store_finish  (GAsyncResult         *result,
                                    GError              **error);

/* Looks the secret up; returns NULL without error when none is stored. The
 * returned string is in non-pageable memory; free it with ct_secrets_free(). */
void      ct_secrets_lookup_async  (CtSecretSlot          slot,
                                    const char           *server,
                                    const char           *login,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
char     *ct_secrets_lookup_finish (GAsyncResult         *result,
                                    GError              **error);

char     *ct_secrets_lookup_sync   (CtSecretSlot          slot,
                                    const char           *server,
                                    const char           *login,
                                    GCancellable         *cancellable,
                                    GError              **error);
gboolean  ct_secrets_store_sync    (CtSecretSlot          slot,
                                    const char           *server,
                                    const char           *login,
                                    const char           *secret,
                                    GCancellable         *cancellable,
                                    GError              **error);
gboolean  ct_secrets_clear_sync    (CtSecretSlot          slot,
                                    const char           *server,
                                    const char           *login,
                                    GCancellable         *cancellable,
                                    GError              **error);

void      ct_secrets_free          (char                 *secret);

G_END_DECLS
