/* ct-sync.c - Schedules the sources' fetches and merges them into the case store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-http.h"
#include "ct-model-probe.h"
#include "ct-priority.h"
#include "ct-sync.h"

#define MAX_BACKOFF_SHIFT 4
#define MAX_DELAY_SECONDS (15 * 60)

typedef struct
{
  CtSource       *source;
  CtSourceHealth  health;
  char           *cursor;
  gboolean        complete_once;  /* a full read succeeded in this session */
  GHashTable     *views;          /* key → CtCase: this source's view of each open record */
} SourceState;

struct _CtSync
{
  GObject      parent_instance;

  CtProfile   *profile;
  CtCaseStore *store;
  CtJournal   *journal;
  GPtrArray   *sources;           /* (element-type SourceState) */

  guint        interval;
  guint        reconcile_interval;
  gboolean     reconcile_requested;
  gint64       last_full;         /* the last full read or reconciliation */
  gint64       synced_at;
  gboolean     from_snapshot;
  gboolean     refreshing;
  guint        refresh_stamp;     /* counts refreshes; the current one has this stamp */
  guint        scheduled_stamp;   /* the stamp of the schedule's last refresh */
  CtSyncCost   last_cost;
  gboolean     writing_snapshot;
  gboolean     schemas_restored;  /* the journal's field schemas were given to the client */
  char        *schemas_saved;     /* (nullable) what the journal holds */
  char        *notice;

  guint        timeout_id;
  GCancellable *cancellable;
  GSettings   *settings;
  gulong       settings_handler;
};

G_DEFINE_FINAL_TYPE (CtSync, ct_sync, G_TYPE_OBJECT)

G_DEFINE_QUARK (ct-sync-error-quark, ct_sync_error)

enum
{
  SIGNAL_REFRESHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
source_state_free (SourceState *state)
{
  g_object_unref (state->source);
  g_free (state->health.last_error);
  g_free (state->cursor);
  g_hash_table_unref (state->views);
  g_free (state);
}

static void
ct_sync_dispose (GObject *object)
{
  CtSync *self = CT_SYNC (object);

  ct_sync_stop (self);
  if (self->settings != NULL)
    g_clear_signal_handler (&self->settings_handler, self->settings);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ct_sync_parent_class)->dispose (object);
}

static void
ct_sync_finalize (GObject *object)
{
  CtSync *self = CT_SYNC (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->store);
  g_clear_object (&self->journal);
  g_ptr_array_unref (self->sources);
  g_free (self->schemas_saved);
  g_free (self->notice);
  G_OBJECT_CLASS (ct_sync_parent_class)->finalize (object);
}

static void
ct_sync_class_init (CtSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ct_sync_dispose;
  object_class->finalize = ct_sync_finalize;

  /* After each refresh, successful or not: read the health and staleness. */
  signals[SIGNAL_REFRESHED] = g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
}

static void
ct_sync_init (CtSync *self)
{
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify)source_state_free);
  self->interval = 60;
  self->reconcile_interval = 15 * 60;
}

CtSync *
ct_sync_new (CtProfile   *profile,
             CtCaseStore *store)
{
  CtSync *self = g_object_new (CT_TYPE_SYNC, NULL);

  self->profile = g_object_ref (profile);
  self->store = g_object_ref (store);
  return self;
}

static void restore_schemas (CtSync *self);

/* @client accepted the sign-in of a connect: the sources' probes go out
 * now, beside the user's context and companies (JSON-RPC), rather than
 * one round trip after them; the first refresh finds them answered or in
 * flight. Nothing is kept on the sources: should the connect fail, the
 * answers are dropped with it (ct-model-probe.c). */
static void
client_signed_in_cb (CtOdooClient *client,
                     GCancellable *cancellable,
                     CtSync       *self)
{
  restore_schemas (self);
  for (guint i = 0; i < self->sources->len; i++)
    {
      SourceState *state = self->sources->pdata[i];

      if (ct_source_get_client (state->source) == client && !state->health.probed &&
          ct_source_has_queues (state->source))
        ct_source_probe_ahead (state->source, cancellable);
    }
}

void
ct_sync_add_source (CtSync   *self,
                    CtSource *source)
{
  SourceState *state = g_new0 (SourceState, 1);
  CtOdooClient *client = ct_source_get_client (source);
  gboolean watched = FALSE;

  for (guint i = 0; i < self->sources->len && client != NULL; i++)
    watched |= ct_source_get_client (((SourceState *) self->sources->pdata[i])->source) == client;
  if (client != NULL && !watched)
    g_signal_connect_object (client, "signed-in", G_CALLBACK (client_signed_in_cb), self, 0);

  state->source = g_object_ref (source);
  state->health.name = ct_source_get_name (source);
  state->health.kind = ct_source_get_kind (source);
  state->views = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_ptr_array_add (self->sources, state);
}

void
ct_sync_add_default_sources (CtSync       *self,
                             CtOdooClient *client,
                             CtN8nClient  *n8n,
                             const char   *n8n_url,
                             const char   *n8n_api_key)
{
  g_autoptr(CtSource) tier = ct_source_tier_new (client, self->profile);
  g_autoptr(CtSource) dv = ct_source_double_validation_new (client, self->profile);
  g_autoptr(CtSource) approvals = ct_source_approvals_new (client, self->profile);
  g_autoptr(CtSource) activity = ct_source_activity_new (client, self->profile);
  g_autoptr(CtSource) odoo_incidents = ct_source_odoo_incidents_new (client, self->profile);
  g_autoptr(CtSource) jobs = ct_source_queue_jobs_new (client, self->profile);

  ct_sync_add_source (self, tier);
  ct_sync_add_source (self, dv);
  ct_sync_add_source (self, approvals);
  ct_sync_add_source (self, activity);
  ct_sync_add_source (self, odoo_incidents);
  ct_sync_add_source (self, jobs);
  if (n8n != NULL && n8n_url != NULL && n8n_api_key != NULL)
    {
      g_autoptr(CtSource) n8n_incidents = ct_source_n8n_incidents_new (n8n, n8n_api_key, n8n_url,
                                                                       self->profile);
      ct_sync_add_source (self, n8n_incidents);
    }
}

guint
ct_sync_get_n_sources (CtSync *self)
{
  return self->sources->len;
}

CtSource *
ct_sync_get_source (CtSync *self,
                    guint   index)
{
  g_return_val_if_fail (index < self->sources->len, NULL);
  return ((SourceState *)self->sources->pdata[index])->source;
}

const CtSourceHealth *
ct_sync_get_health (CtSync *self,
                    guint   index)
{
  g_return_val_if_fail (index < self->sources->len, NULL);
  return &((SourceState *)self->sources->pdata[index])->health;
}

CtCaseStore *
ct_sync_get_store (CtSync *self)
{
  return self->store;
}

void
ct_sync_set_interval (CtSync *self,
                      guint   seconds)
{
  self->interval = MAX (seconds, 5);
}

static void
interval_changed (GSettings  *settings,
                  const char *key,
                  gpointer    user_data)
{
  ct_sync_set_interval (CT_SYNC (user_data), g_settings_get_uint (settings, "sync-interval"));
}

void
ct_sync_bind_interval (CtSync    *self,
                       GSettings *settings)
{
  if (self->settings != NULL)
    g_clear_signal_handler (&self->settings_handler, self->settings);
  g_set_object (&self->settings, settings);
  self->settings_handler = g_signal_connect (settings, "changed::sync-interval",
                                             G_CALLBACK (interval_changed), self);
  interval_changed (settings, "sync-interval", self);
}

void
ct_sync_set_reconcile_interval (CtSync *self,
                                guint   seconds)
{
  self->reconcile_interval = seconds;
}

void
ct_sync_request_reconcile (CtSync *self)
{
  self->reconcile_requested = TRUE;
}

guint
ct_sync_get_next_delay (CtSync *self)
{
  guint failures = 0;
  guint64 delay;

  for (guint i = 0; i < self->sources->len; i++)
    {
      SourceState *state = self->sources->pdata[i];

      failures = MAX (failures, state->health.failures);
    }
  delay = (guint64)self->interval << MIN (failures, MAX_BACKOFF_SHIFT);
  if (failures > 0)
    delay = MIN (delay, MAX (MAX_DELAY_SECONDS, self->interval));
  return (guint)delay;
}

void
ct_sync_set_journal (CtSync    *self,
                     CtJournal *journal)
{
  g_set_object (&self->journal, journal);
}

const char *
ct_sync_get_notice (CtSync *self)
{
  return self->notice;
}

gboolean
ct_sync_is_stale (CtSync *self)
{
  if (self->from_snapshot)
    return TRUE;
  for (guint i = 0; i < self->sources->len; i++)
    {
      SourceState *state = self->sources->pdata[i];

      if (state->health.available && state->health.failures > 0)
        return TRUE;
    }
  return FALSE;
}

gint64
ct_sync_get_synced_at (CtSync *self)
{
  return self->synced_at;
}

gboolean
ct_sync_is_refreshing (CtSync *self)
{
  g_return_val_if_fail (CT_IS_SYNC (self), FALSE);
  return self->refreshing;
}

gboolean
ct_sync_case_is_stale (CtSync *self,
                       CtCase *c)
{
  gboolean claimed = FALSE;

  if (self->from_snapshot)
    return TRUE;
  for (guint i = 0; i < self->sources->len; i++)
    {
      SourceState *state = self->sources->pdata[i];

      if (!g_hash_table_contains (state->views, c->key))
        continue;
      claimed = TRUE;
      if (state->health.failures > 0)
        return TRUE;
    }
  /* Still in the store but claimed by no source: left from a snapshot by a
   * source that has not read everything yet. */
  return !claimed;
}

gboolean
ct_sync_load_snapshot (CtSync  *self,
                       GError **error)
{
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 synced_at = 0;

  g_return_val_if_fail (self->journal != NULL, FALSE);
  cases = ct_journal_read_snapshot (self->journal, &synced_at, &local_error);
  if (local_error == NULL && ct_journal_was_recovered (self->journal))
    {
      const char * const *moved = ct_journal_get_recovered_files (self->journal);

      local_error = g_error_new (CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_CORRUPT,
                                 _("A damaged file was moved to %s"),
                                 moved[0] ? moved[0] : "?");
    }
  if (cases == NULL || local_error != NULL)
    {
      g_clear_pointer (&self->notice, g_free);
      if (g_error_matches (local_error, CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_CORRUPT))
        self->notice = g_strdup (_("The saved copy of your cases was damaged. It has been set "
                                   "aside and a new one will be made at the next refresh."));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];

      if (c->search_text == NULL)
        ct_case_update_search_text (c);
    }
  ct_case_store_replace_all (self->store, cases);
  self->synced_at = synced_at;
  self->from_snapshot = cases->len > 0 || synced_at > 0;
  if (self->from_snapshot)
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      ct_case_store_update_sla (self->store, self->profile, now);
      ct_priority_update_all (self->profile, ct_case_store_get_cases (self->store), now, FALSE);
    }
  return TRUE;
}

/* ---- merging ---- */

static CtCase *
merge_key (CtSync     *self,
           const char *key)
{
  CtCase *first = NULL;
  CtCase *merged = NULL;

  for (guint i = 0; i < self->sources->len; i++)
    {
      SourceState *state = self->sources->pdata[i];
      CtCase *view = g_hash_table_lookup (state->views, key);

      if (view == NULL)
        continue;
      if (first == NULL)
        first = view;
      else
        {
          if (merged == NULL)
            merged = ct_case_copy (first);
          ct_case_merge (merged, view);
        }
    }
  /* Most records are pending through one mechanism: the store then holds
   * that source's view itself (views are never edited once made; the store
   * only refreshes the derived fields), which halves the memory. */
  if (merged == NULL)
    return first != NULL ? g_object_ref (first) : NULL;
  g_clear_pointer (&merged->search_text, g_free);
  ct_case_update_search_text (merged);
  return merged;
}

/* Applies @batch to @state's views; adds the keys whose merged case may
 * have changed to @affected. */
static void
apply_batch (SourceState   *state,
             CtSourceBatch *batch,
             GHashTable    *affected)
{
  if (batch->complete)
    {
      g_autoptr(GHashTable) fresh = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                           g_object_unref);
      GHashTableIter iter;
      gpointer key, value;

      for (guint i = 0; i < batch->cases->len; i++)
        {
          CtCase *c = batch->cases->pdata[i];

          g_hash_table_replace (fresh, c->key, g_object_ref (c));
        }
      /* Whatever this source had and no longer has was decided or deleted
       * elsewhere. */
      g_hash_table_iter_init (&iter, state->views);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (fresh, key))
          g_hash_table_add (affected, g_strdup (key));
      g_hash_table_iter_init (&iter, fresh);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          CtCase *old = g_hash_table_lookup (state->views, key);

          if (old == NULL || !ct_case_equal (old, value))
            g_hash_table_add (affected, g_strdup (key));
        }
      g_hash_table_unref (state->views);
      state->views = g_steal_pointer (&fresh);
      state->complete_once = TRUE;
    }
  else
    {
      for (guint i = 0; i < batch->cases->len; i++)
        {
          CtCase *c = batch->cases->pdata[i];
          CtCase *old = g_hash_table_lookup (state->views, c->key);

          /* Read again but unchanged (the cursor's own second is always
           * read again): keep the object the store already has. */
          if (old != NULL && ct_case_equal (old, c))
            continue;
          g_hash_table_replace (state->views, c->key, g_object_ref (c));
          g_hash_table_add (affected, g_strdup (c->key));
        }
      for (guint i = 0; i < batch->gone->len; i++)
        if (g_hash_table_remove (state->views, batch->gone->pdata[i]))
          g_hash_table_add (affected, g_strdup (batch->gone->pdata[i]));
    }
  state->health.cases = g_hash_table_size (state->views);
}

/* ---- refresh ---- */

/* One source's part of a refresh. The sources run at once, each on its own
 * cancellable (cancelled with the refresh's) carrying its own tally, so the
 * requests of sources that share one client are still counted apart. */
typedef struct
{
  SourceState   *state;          /* (unowned) */
  GCancellable  *cancellable;    /* (owned) */
  GCancellable  *parent;         /* (owned) (nullable) the caller's cancellable */
  gulong         parent_id;
  CtHttpTally   *tally;          /* (owned) */
  gint64         start_time;
  gboolean       done;
  gboolean       skipped;        /* a refresh of other models' sources: asks nothing */
  gboolean       probe_failed;   /* the probe itself failed: availability unknown */
  CtSourceBatch *batch;          /* (owned) (nullable) */
  GError        *error;          /* (owned) (nullable) */
} Slot;

typedef struct
{
  gboolean      full;
  gboolean      reconcile;       /* incremental, and the held cases checked by id */
  guint         stamp;           /* self->refresh_stamp when it began */
  GHashTable   *affected;
  guint         failed;
  guint         available;
  GString      *errors;
  GPtrArray    *slots;           /* (element-type Slot) one per source, in the sources' order */
  guint         running;         /* slots still waiting for their server */
  guint         committed;       /* slots applied: always a prefix of @slots */
  gboolean      odoo_flushed;
  gboolean      cancelled;
  CtHttpTally  *tally;           /* (owned) the whole refresh */
  gint64        start_time;
} Refresh;

static void
cancel_slot_cb (GCancellable *parent,
                gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
slot_free (Slot *slot)
{
  if (slot->parent_id != 0)
    g_cancellable_disconnect (slot->parent, slot->parent_id);
  g_clear_object (&slot->parent);
  g_clear_object (&slot->cancellable);
  g_clear_pointer (&slot->tally, ct_http_tally_unref);
  g_clear_pointer (&slot->batch, ct_source_batch_free);
  g_clear_error (&slot->error);
  g_free (slot);
}

static void
refresh_free (Refresh *r)
{
  g_ptr_array_unref (r->slots);
  g_hash_table_unref (r->affected);
  g_string_free (r->errors, TRUE);
  ct_http_tally_unref (r->tally);
  g_free (r);
}

/* Whether @r still is the sync's refresh: ct_sync_stop() lets go of a
 * refresh at once (so a start right after it is not refused as busy), and
 * whatever the old one still brings back is dropped. */
static gboolean
refresh_is_current (CtSync  *self,
                    Refresh *r)
{
  return self->refreshing && r->stamp == self->refresh_stamp;
}

static void
record_cost (CtSync  *self,
             Refresh *r)
{
  self->last_cost.requests = r->tally->requests;
  self->last_cost.bytes = r->tally->bytes;
  self->last_cost.depth = r->tally->depth;
  self->last_cost.max_in_flight = r->tally->max_in_flight;
  self->last_cost.elapsed_us = g_get_monotonic_time () - r->start_time;
}

/* Ends @task; the refresh's own reference goes with it. */
static void
refresh_return (GTask *task)
{
  CtSync *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);

  if (!refresh_is_current (self, r) || r->cancelled)
    {
      if (refresh_is_current (self, r))
        self->refreshing = FALSE;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The refresh was stopped"));
      g_object_unref (task);
      return;
    }
  self->refreshing = FALSE;
  record_cost (self, r);
  g_signal_emit (self, signals[SIGNAL_REFRESHED], 0);
  if (r->failed > 0)
    g_task_return_new_error (task, CT_SYNC_ERROR, CT_SYNC_ERROR_SOURCES_FAILED,
                             "%s", r->errors->str);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* The Odoo client the sources share, if any. */
static CtOdooClient *
odoo_client (CtSync *self)
{
  for (guint i = 0; i < self->sources->len; i++)
    {
      CtOdooClient *client = ct_source_get_client (((SourceState *)self->sources->pdata[i])->source);

      if (client != NULL)
        return client;
    }
  return NULL;
}

/* The field schemas learnt go beside the snapshot when they changed, for
 * the next session to skip fields_get while the database stays the same. */
static void
save_schemas (CtSync *self)
{
  CtOdooClient *client = odoo_client (self);
  g_autofree char *json = client != NULL ? ct_model_probe_dup_saved (client) : NULL;
  g_autoptr(GError) error = NULL;

  if (json == NULL || self->journal == NULL || g_strcmp0 (json, self->schemas_saved) == 0)
    return;
  if (!ct_journal_write_schemas (self->journal, json, &error))
    {
      g_debug ("The field schemas were not saved: %s", error->message);
      return;
    }
  g_free (self->schemas_saved);
  self->schemas_saved = g_steal_pointer (&json);
}

/* The first refresh of a session (or its probes, sent ahead) starts from
 * the schemas a former one kept, if the database proves unchanged. */
static void
restore_schemas (CtSync *self)
{
  if (self->schemas_restored || self->journal == NULL || odoo_client (self) == NULL)
    return;
  self->schemas_restored = TRUE;
  self->schemas_saved = ct_journal_read_schemas (self->journal);
  ct_model_probe_restore (odoo_client (self), self->schemas_saved);
}

static void
snapshot_written (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  CtSync *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->writing_snapshot = FALSE;
  /* A snapshot that cannot be written costs the offline start, not the
   * refresh: say so in the log and go on. */
  if (!ct_journal_write_snapshot_finish (CT_JOURNAL (object), result, &error))
    g_debug ("The snapshot was not written: %s", error->message);
  else
    save_schemas (self);
  refresh_return (task);
}

/* Merges the records @r->affected names and applies them to the store
 * (with @extra_removals), with SLA states and priorities already set so a
 * view never shows a case without them. */
/* A case sent back for revision comes from its source as pending: it
 * waits for the requester instead, its SLA clock paused since the request
 * (the journal keeps which). CtDecisions puts it back to pending once the
 * record changes (ct_decisions_refresh_revision_async). */
static void
mark_revisions (CtSync    *self,
                GPtrArray *upserts)
{
  g_autoptr(GHashTable) revisions = NULL;

  if (self->journal == NULL)
    return;
  revisions = ct_journal_list_revisions (self->journal);
  for (guint i = 0; g_hash_table_size (revisions) > 0 && i < upserts->len; i++)
    {
      CtCase *c = upserts->pdata[i];
      const gint64 *since = g_hash_table_lookup (revisions, c->key);
      CtCase *marked;

      if (since == NULL || c->status != CT_CASE_STATUS_PENDING)
        continue;
      /* Views are never edited (the store may hold one): mark a copy. */
      marked = ct_case_copy (c);
      marked->status = CT_CASE_STATUS_AWAITING_REVISION;
      ct_case_add_pause (marked, *since, 0);
      upserts->pdata[i] = marked;
      g_object_unref (c);
    }
}

static void
flush (CtSync    *self,
       Refresh   *r,
       GPtrArray *extra_removals)
{
  g_autoptr(GPtrArray) upserts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) removals = g_ptr_array_new_with_free_func (g_free);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, r->affected);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      CtCase *merged = merge_key (self, key);

      if (merged != NULL)
        g_ptr_array_add (upserts, merged);
      else
        g_ptr_array_add (removals, g_strdup (key));
    }
  for (guint i = 0; extra_removals != NULL && i < extra_removals->len; i++)
    g_ptr_array_add (removals, g_strdup (extra_removals->pdata[i]));
  g_hash_table_remove_all (r->affected);
  if (upserts->len == 0 && removals->len == 0)
    return;
  mark_revisions (self, upserts);
  ct_sla_update_all (self->profile, upserts, now);
  ct_priority_update_all (self->profile, upserts, now, FALSE);
  g_ptr_array_add (removals, NULL);
  ct_case_store_apply_changes (self->store, upserts, (const char * const *)removals->pdata);
}

static void
refresh_apply (GTask *task)
{
  CtSync *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  g_autoptr(GPtrArray) orphans = g_ptr_array_new_with_free_func (g_free);
  gboolean all_complete = r->available > 0 && r->failed == 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < self->sources->len && all_complete; i++)
    {
      SourceState *state = self->sources->pdata[i];

      if (state->health.available && !state->complete_once)
        all_complete = FALSE;
    }
  /* Once every available source has read everything, what nobody claims
   * (cases from the snapshot, sources now unavailable) goes. */
  if (all_complete)
    {
      GPtrArray *cases = ct_case_store_get_cases (self->store);

      for (guint i = 0; i < cases->len; i++)
        {
          CtCase *c = cases->pdata[i];
          gboolean claimed = FALSE;

          for (guint s = 0; s < self->sources->len && !claimed; s++)
            claimed = g_hash_table_contains (((SourceState *)self->sources->pdata[s])->views,
                                             c->key);
          if (!claimed && !g_hash_table_contains (r->affected, c->key))
            g_ptr_array_add (orphans, g_strdup (c->key));
        }
      self->from_snapshot = FALSE;
    }
  flush (self, r, orphans);
  /* The minute tick's work for the cases nothing changed. */
  ct_case_store_update_sla (self->store, self->profile, now);
  ct_priority_update_all (self->profile, ct_case_store_get_cases (self->store), now, FALSE);
  if (r->failed < r->available || r->available == 0)
    self->synced_at = now;
  if ((r->full || r->reconcile) && r->failed == 0)
    self->last_full = now;

  /* The refresh is done once its result is on disk, so a quit right after
   * it still starts from it next time. */
  if (self->journal != NULL && r->failed == 0 && !self->writing_snapshot)
    {
      GPtrArray *cases = ct_case_store_get_cases (self->store);
      g_autoptr(GPtrArray) copy = g_ptr_array_new_full (cases->len, g_object_unref);

      for (guint i = 0; i < cases->len; i++)
        g_ptr_array_add (copy, g_object_ref (cases->pdata[i]));
      self->writing_snapshot = TRUE;
      ct_journal_write_snapshot_async (self->journal, copy, now, NULL, snapshot_written, task);
      return;
    }
  refresh_return (task);
}

static void
source_failed (Refresh     *r,
               SourceState *state,
               GError      *error)
{
  g_free (state->health.last_error);
  state->health.last_error = g_strdup (error->message);
  state->health.failures++;
  r->failed++;
  if (r->errors->len > 0)
    g_string_append (r->errors, "\n");
  /* "tier-validation: Odoo did not answer in time" */
  g_string_append_printf (r->errors, "%s: %s", state->health.name, error->message);
  g_debug ("Source %s failed: %s", state->health.name, error->message);
}

static void
account (Slot *slot)
{
  CtSourceHealth *health = &slot->state->health;

  health->requests = slot->tally->requests;
  health->bytes = slot->tally->bytes;
  health->depth = slot->tally->depth;
  health->elapsed_us = g_get_monotonic_time () - slot->start_time;
  health->total_requests += health->requests;
  health->total_bytes += health->bytes;
  health->total_elapsed_us += health->elapsed_us;
}

/* Applies one finished slot to its source's state. Called in the sources'
 * order only, so the result is the same whichever server answered first. */
static void
commit_slot (Refresh *r,
             Slot    *slot)
{
  SourceState *state = slot->state;

  if (slot->skipped)
    return;
  if (slot->probe_failed)
    {
      state->health.available = TRUE;   /* unknown: count the failure against it */
      r->available++;
      source_failed (r, state, slot->error);
      return;
    }
  if (!state->health.available)
    {
      /* Models missing (or no queue of this kind): nothing to read, and
       * nothing of it stays. */
      if (g_hash_table_size (state->views) > 0)
        {
          GHashTableIter iter;
          gpointer key;

          g_hash_table_iter_init (&iter, state->views);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            g_hash_table_add (r->affected, g_strdup (key));
          g_hash_table_remove_all (state->views);
        }
      state->health.cases = 0;
      return;
    }
  r->available++;
  if (slot->batch == NULL)
    {
      source_failed (r, state, slot->error);
      return;
    }
  apply_batch (state, slot->batch, r->affected);
  g_free (state->cursor);
  state->cursor = g_strdup (slot->batch->cursor);
  state->health.last_success = g_get_real_time () / G_USEC_PER_SEC;
  state->health.failures = 0;
  g_clear_pointer (&state->health.last_error, g_free);
}

/* Applies the finished slots that all the earlier ones are in front of;
 * once every Odoo source is in, what they brought goes to the store before
 * n8n (another server, maybe slow or down) has answered. */
static void
refresh_advance (GTask *task)
{
  CtSync *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  gboolean only_n8n_left;

  if (!refresh_is_current (self, r) || r->cancelled)
    {
      if (r->running == 0)
        refresh_return (task);
      return;
    }
  while (r->committed < r->slots->len)
    {
      Slot *slot = r->slots->pdata[r->committed];

      if (!r->odoo_flushed)
        {
          only_n8n_left = TRUE;
          for (guint i = r->committed; i < r->slots->len && only_n8n_left; i++)
            only_n8n_left = ((Slot *)r->slots->pdata[i])->state->health.kind == CT_SOURCE_KIND_N8N;
          /* Whether n8n answered before or after: the same flushes, in the
           * same order. */
          if (only_n8n_left)
            {
              r->odoo_flushed = TRUE;
              flush (self, r, NULL);
            }
        }
      if (!slot->done)
        break;
      commit_slot (r, slot);
      r->committed++;
    }
  if (r->committed == r->slots->len)
    refresh_apply (task);
}

/* A slot's server work is over (@error: owned, NULL on success). */
static void
slot_done (GTask         *task,
           Slot          *slot,
           CtSourceBatch *batch,
           GError        *error)
{
  Refresh *r = g_task_get_task_data (task);

  slot->batch = batch;
  slot->error = error;
  slot->done = TRUE;
  r->running--;
  account (slot);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    r->cancelled = TRUE;
  refresh_advance (task);
}

typedef struct
{
  GTask *task;   /* (owned) */
  Slot  *slot;   /* (unowned) owned by the task's Refresh */
} SlotCall;

static SlotCall *
slot_call_new (GTask *task,
               Slot  *slot)
{
  SlotCall *call = g_new (SlotCall, 1);

  call->task = g_object_ref (task);
  call->slot = slot;
  return call;
}

static void
slot_call_free (SlotCall *call)
{
  g_object_unref (call->task);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlotCall, slot_call_free)

static void
fetch_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SlotCall) call = user_data;
  GError *error = NULL;
  CtSourceBatch *batch = ct_source_fetch_finish (CT_SOURCE (object), result, &error);

  slot_done (call->task, call->slot, batch, error);
}

static void
slot_fetch (GTask *task,
            Slot  *slot)
{
  CtSync *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  SourceState *state = slot->state;

  /* A refresh that has been let go asks nothing more. */
  if (!refresh_is_current (self, r))
    {
      slot_done (task, slot, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                        "stopped"));
      return;
    }
  if (r->reconcile && state->complete_once && state->cursor != NULL)
    ct_source_reconcile_async (state->source, state->cursor, state->views, slot->cancellable,
                               fetch_done, slot_call_new (task, slot));
  else
    ct_source_fetch_async (state->source,
                           r->full || !state->complete_once ? NULL : state->cursor,
                           slot->cancellable, fetch_done, slot_call_new (task, slot));
}

static void
probe_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SlotCall) call = user_data;
  CtSync *self = g_task_get_source_object (call->task);
  Refresh *r = g_task_get_task_data (call->task);
  Slot *slot = call->slot;
  GError *error = NULL;
  gboolean available = FALSE;

  if (!ct_source_probe_finish (CT_SOURCE (object), result, &available, &error))
    {
      slot->probe_failed = !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      slot_done (call->task, slot, NULL, error);
      return;
    }
  if (refresh_is_current (self, r))
    {
      slot->state->health.probed = TRUE;
      slot->state->health.available = available;
    }
  if (!available)
    {
      slot_done (call->task, slot, NULL, NULL);
      return;
    }
  slot_fetch (call->task, slot);
}

/* Starts one source: probes it if it never was, then fetches. */
static void
slot_start (GTask *task,
            Slot  *slot)
{
  Refresh *r = g_task_get_task_data (task);
  SourceState *state = slot->state;

  slot->start_time = g_get_monotonic_time ();
  /* A source that asks nothing this time costs nothing this time. */
  state->health.requests = 0;
  state->health.bytes = 0;
  state->health.depth = 0;
  state->health.elapsed_us = 0;
  if (slot->skipped)
    {
      slot->done = TRUE;
      return;
    }
  if (!ct_source_has_queues (state->source))
    {
      state->health.probed = TRUE;
      state->health.available = FALSE;
      slot->done = TRUE;
      return;
    }
  state->health.last_attempt = g_get_real_time () / G_USEC_PER_SEC;
  if (state->health.probed && !state->health.available)
    {
      slot->done = TRUE;
      return;
    }
  r->running++;
  if (!state->health.probed)
    ct_source_probe_async (state->source, slot->cancellable, probe_done,
                           slot_call_new (task, slot));
  else
    slot_fetch (task, slot);
}

/* Whether @state's source is one a change to @models concerns (every
 * source when @models is NULL). */
static gboolean
source_concerned (SourceState        *state,
                  const char * const *models)
{
  if (models == NULL)
    return TRUE;
  for (guint i = 0; models[i] != NULL; i++)
    if (ct_source_watches_model (state->source, models[i]))
      return TRUE;
  return FALSE;
}

static void
refresh_start (CtSync              *self,
               gboolean             full,
               const char * const  *models,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Refresh *r;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_task_set_source_tag (task, ct_sync_refresh_async);
  if (self->refreshing)
    {
      g_task_return_new_error (task, CT_SYNC_ERROR, CT_SYNC_ERROR_BUSY,
                               _("A refresh is already running"));
      g_object_unref (task);
      return;
    }
  r = g_new0 (Refresh, 1);
  r->full = full || self->last_full == 0;
  /* Now and then, what was deleted outright (no write_date left to read)
   * is found by checking the held cases' ids: a full read where a source
   * cannot. Not in a refresh of some sources only: the others would miss
   * their turn. */
  r->reconcile = !r->full && models == NULL &&
                 (self->reconcile_requested ||
                  (self->reconcile_interval > 0 &&
                   now - self->last_full >= self->reconcile_interval));
  self->reconcile_requested = FALSE;
  r->affected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->errors = g_string_new (NULL);
  r->slots = g_ptr_array_new_with_free_func ((GDestroyNotify)slot_free);
  /* A caller measuring more than the refresh (a connect and the report
   * after it) gets the refresh's requests in its tally too. */
  r->tally = ct_http_tally_new (ct_http_tally_get (cancellable));
  r->start_time = g_get_monotonic_time ();
  r->stamp = ++self->refresh_stamp;
  g_task_set_task_data (task, r, (GDestroyNotify)refresh_free);
  self->refreshing = TRUE;

  restore_schemas (self);

  for (guint i = 0; i < self->sources->len; i++)
    {
      Slot *slot = g_new0 (Slot, 1);

      slot->state = self->sources->pdata[i];
      slot->skipped = !r->full && !source_concerned (slot->state, models);
      slot->tally = ct_http_tally_new (r->tally);
      slot->cancellable = g_cancellable_new ();
      ct_http_tally_attach (slot->cancellable, slot->tally);
      if (cancellable != NULL)
        {
          slot->parent = g_object_ref (cancellable);
          slot->parent_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_slot_cb),
                                                   slot->cancellable, NULL);
        }
      g_ptr_array_add (r->slots, slot);
    }
  /* Every source asks at once: the refresh takes as long as the slowest
   * source, not as long as all of them together. */
  for (guint i = 0; i < r->slots->len; i++)
    slot_start (task, r->slots->pdata[i]);
  refresh_advance (task);
}

void
ct_sync_refresh_async (CtSync              *self,
                       gboolean             full,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  refresh_start (self, full, NULL, cancellable, callback, user_data);
}

gboolean
ct_sync_refreshes_model (CtSync     *self,
                         const char *model)
{
  const char *models[] = { model, NULL };

  g_return_val_if_fail (CT_IS_SYNC (self), FALSE);

  for (guint i = 0; i < self->sources->len; i++)
    if (source_concerned (self->sources->pdata[i], models))
      return TRUE;
  return FALSE;
}

void
ct_sync_refresh_models_async (CtSync              *self,
                              const char * const  *models,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CT_IS_SYNC (self));
  g_return_if_fail (models != NULL);

  refresh_start (self, FALSE, models, cancellable, callback, user_data);
}

gboolean
ct_sync_refresh_finish (CtSync        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

const CtSyncCost *
ct_sync_get_last_cost (CtSync *self)
{
  return &self->last_cost;
}

/* ---- the schedule ---- */

static gboolean tick (gpointer data);

static void
scheduled_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CtSync *self = CT_SYNC (object);
  g_autoptr(GError) error = NULL;

  if (!ct_sync_refresh_finish (self, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("Refresh: %s", error->message);
  if (self->cancellable != NULL && self->timeout_id == 0)
    self->timeout_id = g_timeout_add_seconds (ct_sync_get_next_delay (self), tick, self);
}

/* Starts a refresh for the schedule and remembers it as the schedule's. */
static void
scheduled_refresh (CtSync *self)
{
  ct_sync_refresh_async (self, FALSE, self->cancellable, scheduled_done, NULL);
  if (self->refreshing)
    self->scheduled_stamp = self->refresh_stamp;
}

static gboolean
tick (gpointer data)
{
  CtSync *self = data;

  self->timeout_id = 0;
  scheduled_refresh (self);
  return G_SOURCE_REMOVE;
}

void
ct_sync_start (CtSync *self)
{
  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  scheduled_refresh (self);
}

void
ct_sync_stop (CtSync *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  /* Let go of the schedule's refresh now rather than when its cancelled
   * requests come back: a start right after this refreshes at once
   * instead of being refused as busy and waiting a whole interval. What
   * the old refresh still brings back is dropped. */
  if (self->refreshing && self->refresh_stamp == self->scheduled_stamp)
    self->refreshing = FALSE;
}
