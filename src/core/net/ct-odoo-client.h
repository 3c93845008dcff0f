/* ct-odoo-client.h - Async Odoo client: JSON-RPC (16+) and JSON-2 (19+)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ct-connection.h"
#include "ct-http.h"
#include "ct-odoo-error.h"

G_BEGIN_DECLS

#define CT_TYPE_ODOO_CLIENT (ct_odoo_client_get_type ())

G_DECLARE_FINAL_TYPE (CtOdooClient, ct_odoo_client, CT, ODOO_CLIENT, GObject)

typedef enum
{
  CT_ODOO_DIALECT_AUTO,     /* JSON-2 on 19+ with an API key, JSON-RPC otherwise */
  CT_ODOO_DIALECT_JSONRPC,  /* /jsonrpc execute_kw with the uid */
  CT_ODOO_DIALECT_JSON2,    /* /json/2/<model>/<method> with a bearer key */
} CtOdooDialect;

CtOdooClient  *ct_odoo_client_new                (void);

/* Settings; call before connecting. */
void           ct_odoo_client_set_timeouts       (CtOdooClient        *self,
                                                  guint                connect_ms,
                                                  guint                call_ms);
void           ct_odoo_client_set_max_response_size (CtOdooClient     *self,
                                                     gsize             max_size);
void           ct_odoo_client_set_retry_backoff  (CtOdooClient        *self,
                                                  guint                first_ms);
/* How many times a read is tried in all (network errors, 502, 503). */
void           ct_odoo_client_set_read_attempts  (CtOdooClient        *self,
                                                  guint                attempts);
void           ct_odoo_client_set_pinned_certificate (CtOdooClient    *self,
                                                      const char      *sha256);
/* AUTO unless a test or a support session needs one dialect. */
void           ct_odoo_client_set_dialect        (CtOdooClient        *self,
                                                  CtOdooDialect        dialect);

/* Connects: checks the address (http:// outside loopback only with
 * connection->allow_insecure_http), detects the version, picks the dialect,
 * signs in and reads the user's context and companies. @secret is the
 * password or API key as connection->secret_kind says; it is kept in memory
 * only while the client lives. */
void           ct_odoo_client_connect_async      (CtOdooClient        *self,
                                                  const CtConnection  *connection,
                                                  const char          *secret,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       ct_odoo_client_connect_finish     (CtOdooClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Signal "signed-in" (GCancellable *cancellable, nullable: the connect's):
 * emitted once per connect_async, as soon as Odoo accepted the login and
 * the uid is known — with JSON-RPC before the user's context and companies
 * are asked, so that what needs only the uid and the secret can go out
 * beside them, on @cancellable. Calls made from then on carry no language,
 * time zone or companies in their context: only what does not depend on
 * those belongs there. Never emitted for a refused login, nor for an
 * answer asked in a dialect the version then ruled out. The connect may
 * still fail afterwards; what was learnt then belongs to a failed connect
 * (see ct_odoo_client_get_connect_serial). */

/* Grows with each connect_async: what was learnt about the server under
 * one connect (a cache kept on the client) is not trusted under another;
 * with ct_odoo_client_is_connected() FALSE, under none. */
guint          ct_odoo_client_get_connect_serial (CtOdooClient        *self);

/* A cookie session through /web/session/authenticate (password only), for
 * the bus. With JSON-RPC, later calls then go through
 * /web/dataset/call_kw on that session (the password no longer travels with
 * each call); an expired session is signed in again once per call. JSON-2
 * calls keep their bearer key. */
void           ct_odoo_client_authenticate_session_async  (CtOdooClient        *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean       ct_odoo_client_authenticate_session_finish (CtOdooClient        *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* Whether a cookie session is open (authenticate_session succeeded). */
gboolean       ct_odoo_client_has_web_session    (CtOdooClient        *self);
/* Posts @params (nullable) in a JSON-RPC envelope to a web client route
 * such as /mail/thread/messages, on the cookie session; returns the
 * result (NULL for None). Without a session Odoo answers SESSION_EXPIRED. */
void           ct_odoo_client_web_call_async     (CtOdooClient        *self,
                                                  const char          *path,
                                                  JsonObject          *params,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonNode      *ct_odoo_client_web_call_finish    (CtOdooClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* What connecting found out. */
gboolean       ct_odoo_client_is_connected       (CtOdooClient        *self);
CtOdooDialect  ct_odoo_client_get_dialect        (CtOdooClient        *self);
const char    *ct_odoo_client_get_server_version (CtOdooClient        *self);
int            ct_odoo_client_get_major_version  (CtOdooClient        *self);
gint64         ct_odoo_client_get_uid            (CtOdooClient        *self);
const char    *ct_odoo_client_get_url            (CtOdooClient        *self);
const char    *ct_odoo_client_get_database       (CtOdooClient        *self);
const char    *ct_odoo_client_get_lang           (CtOdooClient        *self);
const char    *ct_odoo_client_get_tz             (CtOdooClient        *self);
/* The user's companies (all of them go into allowed_company_ids). */
const gint64  *ct_odoo_client_get_company_ids    (CtOdooClient        *self,
                                                  guint               *n_ids);
void           ct_odoo_client_set_company_ids    (CtOdooClient        *self,
                                                  const gint64        *ids,
                                                  guint                n_ids);
CtHttp        *ct_odoo_client_get_http           (CtOdooClient        *self);
/* How many answers were large enough to be decoded in a worker thread (the
 * rest are decoded on the caller's thread), for the benchmark and tests. */
guint          ct_odoo_client_get_thread_decodes (CtOdooClient        *self);

/* Calls @method on @model. JSON-2 only takes named arguments, so a call is
 * always (ids, kwargs): @ids (nullable) are the records for a record
 * method, NULL for a model method; @kwargs (nullable) the named arguments;
 * @context (nullable) is merged over the user's lang, tz and
 * allowed_company_ids. Reads (search_read, read, search_count, fields_get,
 * grouped reads) are retried on network errors and 502/503; nothing else is.
 *
 * call_finish returns the result, or NULL with no error when the method
 * returned None. */
void           ct_odoo_client_call_async         (CtOdooClient        *self,
                                                  const char          *model,
                                                  const char          *method,
                                                  JsonArray           *ids,
                                                  JsonObject          *kwargs,
                                                  JsonObject          *context,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonNode      *ct_odoo_client_call_finish        (CtOdooClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Runs on a call's decoded @result (never NULL) where it was decoded: in a
 * worker thread for a large answer, else in the caller's. It may change
 * @result in place and keep what it makes in @user_data, and must touch
 * nothing the caller's thread may use meanwhile (json-glib's arrays and
 * objects count their references without atomics). It does not run for an
 * error, and at most once per call. */
typedef void (*CtOdooDecodeFunc) (JsonNode *result,
                                  gpointer  user_data);

/* ct_odoo_client_call_async() with @decode_func run on the answer where it
 * is decoded; @decode_data must live until the call completes. */
void           ct_odoo_client_call_full_async    (CtOdooClient        *self,
                                                  const char          *model,
                                                  const char          *method,
                                                  JsonArray           *ids,
                                                  JsonObject          *kwargs,
                                                  JsonObject          *context,
                                                  CtOdooDecodeFunc     decode_func,
                                                  gpointer             decode_data,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);

/* Reads every matching record in pages of @page_size (0: 500), up to
 * @limit (0: all). @order (nullable) defaults to "id" so pages are stable. */
void           ct_odoo_client_search_read_async  (CtOdooClient        *self,
                                                  const char          *model,
                                                  JsonArray           *domain,
                                                  const char * const  *fields,
                                                  const char          *order,
                                                  guint                limit,
                                                  guint                page_size,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonArray     *ct_odoo_client_search_read_finish (CtOdooClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void           ct_odoo_client_read_async         (CtOdooClient        *self,
                                                  const char          *model,
                                                  const gint64        *ids,
                                                  guint                n_ids,
                                                  const char * const  *fields,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonArray     *ct_odoo_client_read_finish        (CtOdooClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void           ct_odoo_client_search_count_async (CtOdooClient        *self,
                                                  const char          *model,
                                                  JsonArray           *domain,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       ct_odoo_client_search_count_finish (CtOdooClient       *self,
                                                   GAsyncResult       *result,
                                                   gint64             *count,
                                                   GError            **error);

/* Field definitions (string, type, relation, selection, required,
 * readonly), asked once per model and then served from a cache. */
void           ct_odoo_client_fields_get_async   (CtOdooClient        *self,
                                                  const char          *model,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonObject    *ct_odoo_client_fields_get_finish  (CtOdooClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* The definitions fields_get gave for @model on this connection, or NULL
 * when not asked yet (transfer none): what the next fields_get answers. */
JsonObject    *ct_odoo_client_lookup_fields      (CtOdooClient        *self,
                                                  const char          *model);

/* Grouped totals: formatted_read_group on 19+, read_group before. Both give
 * the same shape, an array of objects:
 *   { "groupby": { "state": "draft", "date_order:month": [..] },
 *     "count": 9,
 *     "aggregates": { "amount_total:sum": 18242 },
 *     "domain": [...] }          (the group's own domain; may be absent)
 * @aggregates are "field:function" specs. */
void           ct_odoo_client_read_group_async   (CtOdooClient        *self,
                                                  const char          *model,
                                                  JsonArray           *domain,
                                                  const char * const  *groupby,
                                                  const char * const  *aggregates,
                                                  const char          *order,
                                                  guint                limit,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
JsonArray     *ct_odoo_client_read_group_finish  (CtOdooClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Posts to a record's chatter; @is_note posts an internal note
 * (mail.mt_note) instead of a message to followers. */
void           ct_odoo_client_message_post_async (CtOdooClient        *self,
                                                  const char          *model,
                                                  gint64               id,
                                                  const char          *body,
                                                  gboolean             is_note,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       ct_odoo_client_message_post_finish (CtOdooClient       *self,
                                                   GAsyncResult       *result,
                                                   gint64             *message_id,
                                                   GError            **error);

/* The normalisation read_group_async applies, for callers holding a raw
 * answer: @formatted says whether @raw came from formatted_read_group (19+)
 * or read_group (16-18, lazy or not). */
JsonArray     *ct_odoo_normalize_groups          (JsonArray           *raw,
                                                  const char * const  *groupby,
                                                  const char * const  *aggregates,
                                                  gboolean             formatted,
                                                  GError             **error);

/* TRUE for the methods that only read and may be retried. */
gboolean       ct_odoo_method_is_read            (const char          *method);

/* The groups an AccessError (403) names as allowed, joined with ", ", for a
 * sentence saying which Odoo right would help; NULL when it names none. */
char          *ct_odoo_error_dup_allowed_groups  (const GError        *error);

G_END_DECLS
