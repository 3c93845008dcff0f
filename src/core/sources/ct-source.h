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

/* The source contract. Both pairs follow one ownership rule, the GIO one:
 * the _async function makes a GTask of its own (g_task_new with @self as
 * source object and the caller's @cancellable, @callback and @user_data),
 * owns it, completes it exactly once and copies whatever of its arguments
 * it keeps; the _finish function propagates that task's result. The base
 * class never hands a task, task data or object data to a subclass, so a
 * subclass may set its task's data as it pleases. The _finish functions
 * default to g_task_propagate_pointer / g_task_propagate_boolean. */
struct _CtSourceClass
{
  GObjectClass parent_class;

  /* One fetch: a CtSourceBatch (transfer full). @cursor (nullable): NULL
   * reads everything (complete); otherwise only what changed since. @key
   * (nullable): read only that record (one case's detail), ignoring the
   * cursor. Called once the queues' fields are known. */
  void            (*fetch_async)           (CtSource             *self,
                                            const char           *cursor,
                                            const char           *key,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
  CtSourceBatch * (*fetch_finish)          (CtSource             *self,
                                            GAsyncResult         *result,
                                            GError              **error);
  /* Applies @outcome to @c in the server's own terms (the decision
   * service's slot). The default refuses with NOT_SUPPORTED. */
  void            (*apply_decision_async)  (CtSource             *self,
                                            CtCase               *c,
                                            const char           *outcome,
                                            const char           *comment,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
  gboolean        (*apply_decision_finish) (CtSource             *self,
                                            GAsyncResult         *result,
                                            GError              **error);
  /* fetch_async handles fetch->known (a reconciliation by ids); without
   * it a reconciliation reads everything. */
  gboolean          reconciles_by_id;
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
/* Odoo's integration incidents: ir.cron (administrators only), and OCA
 * queue.job where installed (its managers), apart since not the same users
 * may read them. */
CtSource       *ct_source_odoo_incidents_new  (CtOdooClient *client,
                                               CtProfile    *profile);
CtSource       *ct_source_queue_jobs_new      (CtOdooClient *client,
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
/* How many ids one request of a full read in id ranges covers, instead of
 * the source's own size (5 000 orders); 0 goes back to it. Tests make it
 * small to see many ranges on a small dataset. */
void            ct_source_set_chunk_size     (CtSource     *self,
                                              guint         ids);
/* Whether the profile has a queue of this kind at all: a source with none
 * never asks anything. */
gboolean        ct_source_has_queues         (CtSource     *self);

/* Whether a change to a record of @model (Odoo's bus names one) may change
 * what this source holds: one of the mechanism's own models, or the model
 * of one of its queues' records. */
gboolean        ct_source_watches_model      (CtSource     *self,
                                              const char   *model);

/* Whether the models the mechanism needs exist for the signed-in user: a
 * source is on only when they do. Not installed (404) and not visible to
 * this user (403) are FALSE with no error, and
 * ct_source_get_unavailable_reason says which in a sentence; ir.model
 * (administrators only) is never read. n8n sources are always available. */
void            ct_source_probe_async        (CtSource            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean        ct_source_probe_finish       (CtSource            *self,
                                              GAsyncResult        *result,
                                              gboolean            *available,
                                              GError             **error);

/* Sends what the probe and the fetch ask first about the database (the
 * models' access and field types, ct-model-probe.h), without waiting: the
 * answers are kept on the client for the probe to find. Needs only the
 * uid and the secret — not the user's context or companies — so it may
 * run from the client's "signed-in", beside the rest of the connect. */
void            ct_source_probe_ahead        (CtSource            *self,
                                              GCancellable        *cancellable);

/* After a probe that found the source off: why, in a sentence naming the
 * model and the Odoo right that would show it. NULL otherwise. */
const char     *ct_source_get_unavailable_reason (CtSource         *self);

/* Cases changed since @cursor (NULL: all of them). */
void            ct_source_fetch_async        (CtSource            *self,
                                              const char          *cursor,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
CtSourceBatch  *ct_source_fetch_finish       (CtSource            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* A reconciliation: what changed since @cursor, and which of @known (keys,
 * the cases the caller holds from this source) are not open any more, read
 * by id only where the mechanism can (ct_source_fetch_check_known);
 * otherwise a full read. Finish with ct_source_fetch_finish. */
void            ct_source_reconcile_async    (CtSource            *self,
                                              const char          *cursor,
                                              GHashTable          *known,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);

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
/* @ids as a new JSON array node (transfer full), for ct_source_domain_add (). */
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

/* Whether the last probe found the source installed but not readable by
 * this user (403), rather than not installed. */
gboolean        ct_source_is_not_visible     (CtSource           *self);

/* The models of this source's queues that the signed-in user may not read
 * (Odoo answered 403), learnt by the first fetch: model → the groups Odoo
 * said may read it (nullable). Their queues are skipped: what they would
 * hold is not visible to this user, which is not the same as none.
 * (transfer none) */
GHashTable     *ct_source_get_hidden_models  (CtSource           *self);

/* Whether the requirement of @user_id (res.users id, 0 for nobody) is the
 * signed-in user's: you, someone else, or unknown before connecting. */
CtActor         ct_source_actor_for_user     (CtSource           *self,
                                              gint64              user_id);

/* Incremental reads re-read the cursor's own second (`>=`, so a write later
 * in that second is not lost) but leave out the records already read at
 * it, so a refresh where nothing changed gets an empty answer. A mechanism
 * keeps @seen_second and @seen_ids (element-type gint64) between fetches. */
#define CT_SOURCE_MAX_SEEN 500

/* Adds "changed since @cursor, not already read at it" to @domain (beyond
 * CT_SOURCE_MAX_SEEN records read at that second, those up to the highest
 * id read). */
void            ct_source_domain_changed_since (JsonArray        *domain,
                                                const char       *cursor,
                                                const char       *seen_second,
                                                GArray           *seen_ids);
/* Notes @row (with "id" and "write_date") as read if it was written at
 * @cursor's second; a new second starts a new list. */
void            ct_source_note_seen            (char            **seen_second,
                                                GArray           *seen_ids,
                                                const char       *cursor,
                                                JsonObject       *row);

/* ---- one fetch: the scaffolding every approval mechanism shares ----
 *
 * A mechanism's fetch_async begins with ct_source_fetch_begin, which makes
 * the task it owns and the state below, and walks its steps through the
 * ct_source_fetch_read* helpers: each reads from Odoo, fails the fetch
 * itself on any error, and hands the rows (or nothing) to the next step.
 * A mechanism ends with ct_source_fetch_return, exactly once, unless a
 * helper failed the fetch. */
typedef struct _CtSourceFetch CtSourceFetch;

struct _CtSourceFetch
{
  CtSource   *source;      /* (unowned) the task's source object */
  char       *cursor;      /* (nullable) changes since this; NULL: everything */
  char       *key;         /* (nullable) only this record */
  char       *key_model;   /* (nullable) @key's model */
  gint64      key_id;      /* @key's id */
  char       *new_cursor;  /* (nullable) what to pass next time */
  guint       queue;       /* the current queue: index in ct_source_get_queues */
  GHashTable *open;        /* key → CtCase (owned): what has something open here */
  GHashTable *read;        /* keys read as changed: those not in @open are gone */
  gpointer    data;        /* (nullable) the mechanism's own */
  GHashTable *known;       /* (nullable) a reconciliation: the keys the caller holds open */
};

/* The mechanism's continuation: after a read, @rows (unowned) or NULL for
 * a step that returns nothing. */
typedef void (*CtSourceFetchFunc) (CtSourceFetch *fetch,
                                   JsonArray     *rows);

CtSourceFetch  *ct_source_fetch_begin        (CtSource            *self,
                                              const char          *cursor,
                                              const char          *key,
                                              gpointer             data,
                                              GDestroyNotify       data_free,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GCancellable   *ct_source_fetch_get_cancellable (CtSourceFetch    *fetch);
/* The queue the fetch is at; or the first from there on (moving
 * @fetch->queue) whose model this database lets us read, NULL when none
 * is left. */
const CtQueue  *ct_source_fetch_queue        (CtSourceFetch       *fetch);
const CtQueue  *ct_source_fetch_next_queue   (CtSourceFetch       *fetch);
/* The current queue's domain as a new array, or NULL after failing the
 * fetch (a domain that does not parse). */
JsonArray      *ct_source_fetch_queue_domain (CtSourceFetch       *fetch);
/* A new case for @model:@id of the current queue, filled from @row and
 * added to @fetch->open (which owns it). */
CtCase         *ct_source_fetch_add_case     (CtSourceFetch       *fetch,
                                              const char          *model,
                                              gint64               id,
                                              JsonObject          *row);
/* Files @c (transfer full) in @fetch->open, in place of one with its key. */
void            ct_source_fetch_take_case    (CtSourceFetch       *fetch,
                                              CtCase              *c);
/* A new pending case for @model:@id of @queue filled from @row, touching
 * nothing else: it may be built in any thread. */
CtCase         *ct_source_new_case           (CtProfile           *profile,
                                              const CtQueue       *queue,
                                              const char          *model,
                                              gint64               id,
                                              JsonObject          *row);
/* Notes that @model:@id was read as changed: gone unless open. */
void            ct_source_fetch_note_read    (CtSourceFetch       *fetch,
                                              const char          *model,
                                              gint64               id);
/* Completes the fetch with what @fetch->open holds. */
void            ct_source_fetch_return       (CtSourceFetch       *fetch);
/* Several reads of one fetch may be in flight at once; the first failure
 * ends the fetch and the others' answers are dropped. A call of the
 * mechanism's own holds the fetch while it is out and, when it answers,
 * lets go: ct_source_fetch_release() returns FALSE (and the fetch may be
 * gone) when the fetch ended meanwhile. Each helper's @then runs with
 * fetch->queue as it was when the read was asked. */
void            ct_source_fetch_hold         (CtSourceFetch       *fetch);
/* A reconciliation's check of one queue: reads the ids of @model's
 * records matching @domain (@id_field, "id" or a reference such as
 * "res_id", names the case's record on @case_model), only the ids, page by
 * page; the keys of fetch->known on @case_model that are missing and not
 * open in this fetch are noted as read, so they leave. @then gets the open
 * ids nobody knew (rows of "id"), a change missed, for the mechanism to
 * read in full. */
void            ct_source_fetch_check_known  (CtSourceFetch       *fetch,
                                              const char          *model,
                                              JsonArray           *domain,
                                              const char          *id_field,
                                              const char          *case_model,
                                              CtSourceFetchFunc    then);
gboolean        ct_source_fetch_release      (CtSourceFetch       *fetch);
gboolean        ct_source_fetch_is_over      (CtSourceFetch       *fetch);
void            ct_source_fetch_fail         (CtSourceFetch       *fetch,
                                              GError              *error);

/* Every record of @model matching @domain, collected (pages of 5 000,
 * @order nullable: "id"). */
void            ct_source_fetch_read         (CtSourceFetch       *fetch,
                                              const char          *model,
                                              JsonArray           *domain,
                                              const char * const  *fields,
                                              const char          *order,
                                              CtSourceFetchFunc    then);
/* @ids of @model (search_read by id, in chunks of 2 000), in any order. */
void            ct_source_fetch_read_ids     (CtSourceFetch       *fetch,
                                              const char          *model,
                                              GArray              *ids,
                                              const char * const  *fields,
                                              CtSourceFetchFunc    then);
/* Every record of @model matching @domain in pages of @page_size, walking
 * the ids upwards (id > last), so no page is re-read or skipped when
 * records change meanwhile and no page costs the server an offset; @page
 * sees each page as it comes (only one is in memory at a time), then @then
 * runs with NULL rows. A full page that does not raise the last id is a
 * protocol error (a server that ignores the condition). */
void            ct_source_fetch_read_pages   (CtSourceFetch       *fetch,
                                              const char          *model,
                                              JsonArray           *domain,
                                              const char * const  *fields,
                                              guint                page_size,
                                              CtSourceFetchFunc    page,
                                              CtSourceFetchFunc    then);
/* Builds the case of a readable @row of @queue, or returns NULL to leave
 * it out. It runs in a worker thread: it may read @profile, @queue, @row
 * and @data, and nothing else. */
typedef CtCase *(*CtSourceBuildFunc) (CtProfile     *profile,
                                      const CtQueue *queue,
                                      JsonObject    *row,
                                      gpointer       data);

/* Every record of @model matching @domain, for a full read: first the
 * matching ids with their write_date (pages of 20 000, each shown to
 * @ids_page, nullable: the cursor is taken there, before the records are
 * read, so nothing written meanwhile is skipped), then the records in id
 * ranges of @page_size ids, several requests at once. Each chunk's rows
 * are checked and turned into cases by @build (with @build_data) where the
 * answer is decoded, off the main thread for a large one, and the cases
 * join @fetch->open strictly in id order whatever order the answers come
 * in; then @then runs with NULL rows. The first failure ends the fetch. */
void            ct_source_fetch_read_chunks  (CtSourceFetch       *fetch,
                                              const char          *model,
                                              JsonArray           *domain,
                                              const char * const  *fields,
                                              guint                page_size,
                                              CtSourceFetchFunc    ids_page,
                                              CtSourceBuildFunc    build,
                                              gpointer             build_data,
                                              CtSourceFetchFunc    then);
/* Sets @fetch->new_cursor to the newest write_date of @model (the cursor
 * as it was when the model is empty), read before the data it covers, so
 * a change made meanwhile is read again rather than missed. */
void            ct_source_fetch_latest_write (CtSourceFetch       *fetch,
                                              const char          *model,
                                              CtSourceFetchFunc    then);

G_END_DECLS
