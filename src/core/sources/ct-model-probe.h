/* ct-model-probe.h - Which models this user may read, and their fields, asked once per connection
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ct-odoo-client.h"

G_BEGIN_DECLS

typedef enum
{
  CT_MODEL_READABLE,    /* installed, and this user may read it */
  CT_MODEL_MISSING,     /* not installed in this database (404, "Object … doesn't exist") */
  CT_MODEL_FORBIDDEN,   /* installed, but this user may not read it (403, AccessError) */
} CtModelAccess;

/* Whether @model is there for the signed-in user. Asked with a
 * search_count over no record (never through ir.model, which only
 * administrators may read), once per @client: the answer is kept on the
 * client and shared by every source, and several askers of one model join
 * one request. Other errors (network, server) are returned and not kept. */
void            ct_model_probe_access_async   (CtOdooClient        *client,
                                               const char          *model,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean        ct_model_probe_access_finish  (CtOdooClient        *client,
                                               GAsyncResult        *result,
                                               CtModelAccess       *access,
                                               GError             **error);

/* Whether @model's access is known on @client (without asking): TRUE
 * and *@access set when it is. */
gboolean        ct_model_probe_lookup_access  (CtOdooClient        *client,
                                               const char          *model,
                                               CtModelAccess       *access);

/* After an access probe found @model forbidden: the groups Odoo said may
 * read it ("Purchase/User, Inventory/User"), or NULL when it did not say. */
const char     *ct_model_probe_get_allowed_groups (CtOdooClient *client,
                                                   const char   *model);

/* @model's fields, name → { "type": … }: fields_get asking only the type
 * (a few KB where the full schema is tens), once per @client, shared like
 * the access. Returns a new reference. */
void            ct_model_probe_fields_async   (CtOdooClient        *client,
                                               const char          *model,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
JsonObject     *ct_model_probe_fields_finish  (CtOdooClient        *client,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Forgets what is known about @client's models (after a module was
 * installed or the server upgraded). */
void            ct_model_probe_forget         (CtOdooClient        *client);

/* The field schemas learnt, kept between sessions (in the snapshot): JSON
 * with the database's fingerprint (its server version and the latest
 * change to its modules, read once per client beside the first fields
 * asked). NULL until that fingerprint is known. */
char           *ct_model_probe_dup_saved      (CtOdooClient        *client);
/* Gives @client what ct_model_probe_dup_saved() returned in a former
 * session: a schema asked then comes from it, without fields_get, once
 * the fingerprint is found unchanged; otherwise it is asked again. */
void            ct_model_probe_restore        (CtOdooClient        *client,
                                               const char          *saved);

G_END_DECLS
