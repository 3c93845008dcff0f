/* ct-sync.h - Schedules the sources' fetches and merges them into the case store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ct-case-store.h"
#include "ct-journal.h"
#include "ct-profile.h"
#include "ct-source.h"

G_BEGIN_DECLS

#define CT_SYNC_ERROR (ct_sync_error_quark ())

typedef enum
{
  CT_SYNC_ERROR_SOURCES_FAILED,   /* one or more sources failed; see the health */
  CT_SYNC_ERROR_BUSY,             /* a refresh is already running */
} CtSyncError;

/* What the UI shows per source. Times are Unix seconds, 0 for never. */
typedef struct
{
  const char   *name;            /* ct_source_get_name() */
  CtSourceKind  kind;
  gboolean      probed;
  gboolean      available;       /* its models exist in this database */
  gint64        last_attempt;
  gint64        last_success;
  char         *last_error;      /* (nullable) the last failure's message; cleared on success */
  guint         failures;        /* consecutive */
  guint         cases;           /* records with something open here */
  /* The last fetch, then every fetch since the sync was made. */
  guint         requests;
  guint64       bytes;
  guint         depth;           /* round trips one after another in the last fetch */
  gint64        elapsed_us;
  guint         total_requests;
  guint64       total_bytes;
  gint64        total_elapsed_us;
} CtSourceHealth;

/* What the last refresh cost on the wire, all sources together. */
typedef struct
{
  guint    requests;
  guint64  bytes;
  guint    depth;          /* round trips deep: the longest chain of requests each sent
                            * after an earlier one had answered */
  guint    max_in_flight;  /* most requests outstanding at once */
  gint64   elapsed_us;
} CtSyncCost;

#define CT_TYPE_SYNC (ct_sync_get_type ())

G_DECLARE_FINAL_TYPE (CtSync, ct_sync, CT, SYNC, GObject)

GQuark          ct_sync_error_quark        (void);

CtSync         *ct_sync_new                (CtProfile    *profile,
                                            CtCaseStore  *store);
/* Sources are fetched at once; what they bring is applied in the order
 * they were added, whichever answers first, and when several have the same
 * record, the first one's view is the base of the merged case. Sources
 * added before their Odoo client connects send their probes as soon as
 * it has signed in (its "signed-in"), beside the rest of the connect: the
 * first refresh then starts with its reads. */
void            ct_sync_add_source         (CtSync       *self,
                                            CtSource     *source);
/* The usual set: tier validation, double validation, approvals, activities,
 * Odoo incidents, and n8n when @n8n is not NULL. */
void            ct_sync_add_default_sources (CtSync       *self,
                                             CtOdooClient *client,
                                             CtN8nClient  *n8n,
                                             const char   *n8n_url,
                                             const char   *n8n_api_key);
guint           ct_sync_get_n_sources      (CtSync       *self);
CtSource       *ct_sync_get_source         (CtSync       *self,
                                            guint         index);
const CtSourceHealth *ct_sync_get_health   (CtSync       *self,
                                            guint         index);
CtCaseStore    *ct_sync_get_store          (CtSync       *self);

/* Seconds between refreshes (the "sync-interval" setting); failures back
 * it off, doubling up to 16 times or 15 minutes. */
void            ct_sync_set_interval       (CtSync       *self,
                                            guint         seconds);
guint           ct_sync_get_next_delay     (CtSync       *self);
/* Takes the interval from the "sync-interval" key of @settings (seconds)
 * and follows its changes. */
void            ct_sync_bind_interval      (CtSync       *self,
                                            GSettings    *settings);
/* How often an incremental refresh is also a reconciliation, which
 * notices records deleted outright (no write_date left to read): the held
 * cases' ids are checked, ids only where the source can, otherwise it reads
 * everything. 15 minutes by default; 0 never. */
void            ct_sync_set_reconcile_interval (CtSync   *self,
                                                guint     seconds);
/* Makes the next incremental refresh a reconciliation. */
void            ct_sync_request_reconcile  (CtSync       *self);

/* The offline snapshot: with a journal, each successful refresh writes
 * the store to it. */
void            ct_sync_set_journal        (CtSync       *self,
                                            CtJournal    *journal);
/* Fills the store from the snapshot at once, marked stale with its age.
 * A damaged snapshot has been moved aside and rebuilt: returns FALSE with
 * CT_JOURNAL_ERROR_CORRUPT and ct_sync_get_notice() says it to the user. */
gboolean        ct_sync_load_snapshot      (CtSync       *self,
                                            GError      **error);
/* (nullable) A sentence for the user about something that happened to
 * their data (a damaged snapshot), until the next one. */
const char     *ct_sync_get_notice         (CtSync       *self);

/* Stale: what the store shows comes from the snapshot, or the last
 * refresh of some available source failed. */
gboolean        ct_sync_is_stale           (CtSync       *self);
/* When the store was last brought up to date from the servers (or the
 * snapshot's time), Unix seconds, 0 never. */
gint64          ct_sync_get_synced_at      (CtSync       *self);
/* Whether a refresh is running (another one asked now is refused as busy). */
gboolean        ct_sync_is_refreshing      (CtSync       *self);
/* Whether @c may be out of date: it comes from the snapshot, or a source
 * that has it failed at its last refresh. The UI allows no decision then. */
gboolean        ct_sync_case_is_stale      (CtSync       *self,
                                            CtCase       *c);

/* One pass over every source, all at once: probes those not probed yet,
 * then fetches each (incremental from its cursor, or everything when @full or when the
 * reconciliation is due), merges and applies to the store, recomputes SLA
 * states and priorities. A failing source leaves its cases as they were and
 * the others go on. Fails with CT_SYNC_ERROR_SOURCES_FAILED when any
 * available source failed (the store still has what the others brought). */
void            ct_sync_refresh_async      (CtSync              *self,
                                            gboolean             full,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* The same for the sources a change to a record of one of @models concerns
 * (ct_source_watches_model): what Odoo's bus names. The other sources ask
 * nothing and keep what they hold; no reconciliation runs. Finish with
 * ct_sync_refresh_finish. */
void            ct_sync_refresh_models_async (CtSync              *self,
                                              const char * const  *models,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* Whether a change to a record of @model concerns any source. */
gboolean        ct_sync_refreshes_model    (CtSync              *self,
                                            const char          *model);
gboolean        ct_sync_refresh_finish     (CtSync              *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* The last successful refresh's cost (zeros before the first). */
const CtSyncCost *ct_sync_get_last_cost   (CtSync       *self);

/* Refreshes now and then every interval (backed off on errors) until
 * ct_sync_stop(). Emits "refreshed" after each pass. */
void            ct_sync_start              (CtSync       *self);
void            ct_sync_stop               (CtSync       *self);

G_END_DECLS
