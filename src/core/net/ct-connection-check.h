/* ct-connection-check.h - Checks a connection before it is saved, step by step
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ct-connection.h"

G_BEGIN_DECLS

typedef enum
{
  CT_CHECK_OK,
  CT_CHECK_WARNING,   /* works, but something a manager should know */
  CT_CHECK_ERROR,     /* this step failed; later steps are skipped */
  CT_CHECK_SKIPPED,   /* not checked because an earlier step failed */
} CtCheckState;

/* One line of the checklist. */
typedef struct
{
  char         *id;       /* stable: "reachable", "version", "database", "login", "companies",
                           * "approvals", "tier.review", "approval.request",
                           * "purchase.order", "mail.activity", "n8n" */
  CtCheckState  state;
  char         *title;    /* "Server reachable" */
  char         *text;     /* a sentence in words a manager understands */
  char         *certificate_sha256; /* "reachable" refused for its certificate: the
                                     * fingerprint, to offer pinning it by explicit
                                     * choice (NULL otherwise) */
} CtCheckItem;

void         ct_check_item_free          (CtCheckItem *item);
const char  *ct_check_state_to_string    (CtCheckState state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtCheckItem, ct_check_item_free)

typedef struct
{
  const CtConnection *connection;
  const char         *secret;            /* Odoo password or API key */
  const char         *n8n_api_key;       /* (nullable): skip n8n when NULL */
  const char         *pinned_sha256;     /* (nullable) */
  guint               connect_timeout_ms; /* 0: default */
  guint               call_timeout_ms;    /* 0: default */
} CtCheckOptions;

/* Runs the whole check. Never fails except when cancelled: what went wrong
 * is in the items. Returns a GPtrArray of CtCheckItem. */
void       ct_connection_check_async     (const CtCheckOptions *options,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GPtrArray *ct_connection_check_finish    (GAsyncResult         *result,
                                          GError              **error);

/* TRUE when no item is an error. */
gboolean   ct_connection_check_passed    (GPtrArray            *items);

/* The checklist as plain text, one "[ok] Title: sentence" line per item,
 * for `control-tower --check-connection` and support requests. */
char      *ct_connection_check_to_text   (GPtrArray            *items);

G_END_DECLS
