/* ct-source.h - One approval mechanism (or integration side) behind one small interface
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ct-case.h"
#include "ct-http.h"
#include "ct-n8n-client.h"
#include "ct-odoo-client.h"
#include "ct-profile.h"

G_BEGIN_DECLS

#define CT_SOURCE_ERROR (ct_source_error_quark ())

typedef enum
{
  CT_SOURCE_ERROR_UNAVAILABLE,     /* the models this mechanism needs are not installed */
  CT_SOURCE_ERROR_NOT_SUPPORTED,   /* this source cannot do that (yet) */
  CT_SOURCE_ERROR_INVALID,         /* a bad key or a profile queue that does not parse */
  CT_SOURCE_ERROR_UNREADABLE,      /* the server sent rows, and none could be read */
} CtSourceError;

/* What one fetch found. Each case in @cases is this source's view of one
 * record: its requirements from this mechanism only. The sync merges the
 * views of all sources into one case per record. */
typedef struct
{
  GPtrArray *cases;     /* (element-type CtCase) records with something open here */
  GPtrArray *gone;      /* (element-type utf8) keys read that have nothing open here any more */
  gboolean   complete;  /* a full read: every key not in @cases has nothing open here */
  char      *cursor;    /* (nullable) what to pass as the cursor next time */
} CtSourceBatch;

void ct_source_batch_free (CtSourceBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtSourceBatch, ct_source_batch_free)

#define CT_TYPE_SOURCE (ct_source_get_type ())

G_DECLARE_DERIVABLE_TYPE (CtSource, ct_source, CT, SOURCE, GObject)

struct _CtSourceClass
{
  GObjectClass parent_class;

  /* Runs one fetch and returns a CtSourceBatch through @task. @cursor
   * (nullable): NULL reads everything (complete); otherwise only what
   * changed since. @key (nullable): read only that record (one case's
   * detail), ignoring the cursor. */
  void (*fetch)          (CtSource     *self,
                          const char   *cursor,
                          const char   *key,
                          GTask        *task);
  /* The slot for the decision service (issue 6): applies @outcome to @c in
   * the server's own terms; returns a boolean through @task. */
  void (*apply_decision) (CtSource     *self,
                          CtCase       *c,
                          const char   *outcome,
                          const char   *comment,
                          GTask        *task);
};

GQuark          ct_source_error_quark        (void);

/* The mechanisms. Each reads the profile's queues of its kind. */
CtSource       *ct_source_tier_new            (CtOdooClient *client,
                                               CtProfile    *profile);
CtSource       *ct_source_approvals_new       (CtOdooClient *client,
                                               CtProfile    *profile);
CtSource       *ct_source_double_validation_new (CtOdooClient *client,
                                                 CtProfile    *profile);
CtSource       *ct_source_activity_new        (CtOdooClient *client,
                                               CtProfile    *profile);
/* Odoo's integration incidents: ir.cron, and OCA queue.job where installed. */
CtSource       *ct_source_odoo_incidents_new  (CtOdooClient *client,
                                               CtProfile    *profile);
/* n8n executions. @api_key is kept in memory only, for the requests that
 * read customData (the client's structures do not carry it). */
CtSource       *ct_source_n8n_incidents_new   (CtN8nClient  *client,
                                               const char   *api_key,
                                               const char   *base_url,
                                               CtProfile    *profile);

/* "tier-validation", "approvals", ... (ct_source_kind_to_string) */
const char     *ct_source_get_name           (CtSource     *self);
CtSourceKind    ct_source_get_kind           (CtSource     *self);
/* The HTTP transport the source's requests go through (for --stats). */
CtHttp         *ct_source_get_http           (CtSource     *self);
CtProfile      *ct_source_get_profile        (CtSource     *self);
/* Whether the profile has a queue of this kind at all: a source with none
 * never asks anything. */
gboolean        ct_source_has_queues         (CtSource     *self);

/* Whether the models the mechanism needs exist in this database (ir.model);
 * a source is on only when they do. n8n sources are always available. */
void            ct_source_probe_async        (CtSource            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean        ct_source_probe_finish       (CtSource            *self,
                                              GAsyncResult        *result,
                                              gboolean            *available,
                                              GError             **error);

/* Cases changed since @cursor (NULL: all of them). */
void            ct_source_fetch_async        (CtSource            *self,
                                              const char          *cursor,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
CtSourceBatch  *ct_source_fetch_finish       (CtSource            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* One case's detail as this source sees it, re-read now: NULL with no
 * error when the record has nothing open here any more. */
void            ct_source_fetch_case_async   (CtSource            *self,
                                              const char          *key,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
CtCase         *ct_source_fetch_case_finish  (CtSource            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

void            ct_source_apply_decision_async  (CtSource            *self,
                                                 CtCase              *c,
                                                 const char          *outcome,
                                                 const char          *comment,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        ct_source_apply_decision_finish (CtSource            *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* ---- for the mechanisms ---- */

/* Set once by a subclass's constructor. */
void            ct_source_setup              (CtSource           *self,
                                              CtSourceKind        kind,
                                              CtOdooClient       *client,
                                              CtHttp             *http,
                                              CtProfile          *profile,
                                              const char * const *required_models);
CtOdooClient   *ct_source_get_client         (CtSource           *self);
/* The profile's queues of this source's kind (element-type CtQueue, unowned). */
GPtrArray      *ct_source_get_queues         (CtSource           *self);
/* FALSE when the queue's model cannot be read in this database (not
 * installed, or no access): the mechanism skips that queue. */
gboolean        ct_source_queue_usable       (CtSource           *self,
                                              const CtQueue      *queue);
/* A queue's domain as a new array (empty when it has none); NULL with
 * @error for one that does not parse. */
JsonArray      *ct_source_queue_domain       (const CtQueue      *queue,
                                              GError            **error);
/* The record fields a queue's mapping names, plus @extra (NULL-terminated),
 * without duplicates, empty names or fields the model does not have in
 * this database. */
GStrv           ct_source_queue_fields       (CtSource           *self,
                                              const CtQueue      *queue,
                                              const char * const *extra);
/* Rows that do not make sense are counted, not hidden. Drops from @rows
 * (in place) the records of @model that ct_case_check_record() refuses,
 * and counts every row checked in this fetch; returns @rows. A fetch in
 * which rows came and none could be read fails (CT_SOURCE_ERROR_UNREADABLE). */
JsonArray      *ct_source_keep_readable      (CtSource           *self,
                                              const char         *model,
                                              JsonArray          *rows);
/* Counts one row checked by other means (n8n), with its problem. */
void            ct_source_count_unreadable   (CtSource           *self,
                                              CtRowProblem        problem,
                                              const char         *field);
/* The rows the last fetch could not read: their number, and in words
 * ("3 records could not be read: wrong type for write_date"; NULL when
 * none). */
guint           ct_source_get_n_unreadable   (CtSource           *self);
char           *ct_source_describe_unreadable (CtSource          *self);
/* Splits "model:id". */
gboolean        ct_source_parse_key          (const char         *key,
                                              char              **model,
                                              gint64             *id);
/* Appends [field, op, value] to @domain. */
void            ct_source_domain_add         (JsonArray          *domain,
                                              const char         *field,
                                              const char         *op,
                                              JsonNode           *value);
JsonNode       *ct_source_ids_node           (GArray             *ids);
/* The id of a many2one value ([id, "name"] or an integer), 0 otherwise. */
gint64          ct_source_m2o_id             (JsonObject         *record,
                                              const char         *field);
const char     *ct_source_m2o_name           (JsonObject         *record,
                                              const char         *field);
/* A string field, NULL for false or another type. */
const char     *ct_source_get_string         (JsonObject         *record,
                                              const char         *field);
gint64          ct_source_get_int            (JsonObject         *record,
                                              const char         *field);
/* Keeps the largest write_date seen in *cursor. */
void            ct_source_track_cursor       (char              **cursor,
                                              JsonObject         *record);

/* Reads the newest write_date of @model (matching @domain, nullable) — the
 * cursor for the next fetch, taken before the data it covers is read, so a
 * change made meanwhile is read again rather than missed. Returns it (or
 * NULL when the model is empty) through g_task_propagate_pointer. */
void            ct_source_latest_write_async (CtSource            *self,
                                              const char          *model,
                                              JsonArray           *domain,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char           *ct_source_latest_write_finish (CtSource           *self,
                                               GAsyncResult       *result,
                                               GError            **error);

/* Reads @ids of @model (search_read by id, in chunks), in any order. */
void            ct_source_read_ids_async     (CtSource            *self,
                                              const char          *model,
                                              GArray              *ids,
                                              const char * const  *fields,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonArray      *ct_source_read_ids_finish    (CtSource            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Reads every record of @model matching @domain in pages of @page_size,
 * walking the ids upwards (id > last), so no page is re-read or skipped
 * when records change meanwhile and no page costs the server an offset;
 * @page_func sees each page and may keep references to its rows. Only one
 * page is in memory at a time. */
typedef void (*CtSourcePageFunc) (JsonArray *rows,
                                  gpointer   user_data);

void            ct_source_search_pages_async (CtSource            *self,
                                              const char          *model,
                                              JsonArray           *domain,
                                              const char * const  *fields,
                                              guint                page_size,
                                              CtSourcePageFunc     page_func,
                                              gpointer             page_data,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean        ct_source_search_pages_finish (CtSource           *self,
                                               GAsyncResult       *result,
                                               GError            **error);

G_END_DECLS
