/* ct-sync.c - Schedules the sources' fetches and merges them into the case store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

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
  gint64       last_full;
  gint64       synced_at;
  gboolean     from_snapshot;
  gboolean     refreshing;
  gboolean     writing_snapshot;
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

void
ct_sync_add_source (CtSync   *self,
                    CtSource *source)
{
  SourceState *state = g_new0 (SourceState, 1);

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

  ct_sync_add_source (self, tier);
  ct_sync_add_source (self, dv);
  ct_sync_add_source (self, approvals);
  ct_sync_add_source (self, activity);
  ct_sync_add_source (self, odoo_incidents);
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

typedef struct
{
  gboolean    full;
  guint       index;
  gboolean    probing;
  GHashTable *affected;
  guint       failed;
  guint       available;
  GString    *errors;
  guint       start_requests;
  guint64     start_bytes;
  gint64      start_time;
} Refresh;

static void
refresh_free (Refresh *r)
{
  g_hash_table_unref (r->affected);
  g_string_free (r->errors, TRUE);
  g_free (r);
}

static void refresh_next (GTask *task);

static void
refresh_return (GTask *task)
{
  CtSync *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);

  self->refreshing = FALSE;
  g_signal_emit (self, signals[SIGNAL_REFRESHED], 0);
  if (r->failed > 0)
    g_task_return_new_error (task, CT_SYNC_ERROR, CT_SYNC_ERROR_SOURCES_FAILED,
                             "%s", r->errors->str);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
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
  refresh_return (task);
}

/* Merges the records @r->affected names and applies them to the store
 * (with @extra_removals), with SLA states and priorities already set so a
 * view never shows a case without them. */
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
  if (r->full && r->failed == 0)
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
source_failed (CtSync      *self,
               Refresh     *r,
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
account (SourceState *state,
         Refresh     *r)
{
  CtHttp *http = ct_source_get_http (state->source);

  if (http == NULL)
    return;
  state->health.requests = ct_http_get_request_count (http) - r->start_requests;
  state->health.bytes = ct_http_get_bytes_received (http) - r->start_bytes;
  state->health.elapsed_us = g_get_monotonic_time () - r->start_time;
  state->health.total_requests += state->health.requests;
  state->health.total_bytes += state->health.bytes;
  state->health.total_elapsed_us += state->health.elapsed_us;
}

static void
fetch_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  CtSync *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  SourceState *state = self->sources->pdata[r->index];
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSourceBatch) batch = ct_source_fetch_finish (CT_SOURCE (object), result, &error);

  account (state, r);
  if (batch == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->refreshing = FALSE;
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      source_failed (self, r, state, error);
    }
  else
    {
      apply_batch (state, batch, r->affected);
      g_free (state->cursor);
      state->cursor = g_strdup (batch->cursor);
      state->health.last_success = g_get_real_time () / G_USEC_PER_SEC;
      state->health.failures = 0;
      g_clear_pointer (&state->health.last_error, g_free);
    }
  r->index++;
  refresh_next (task);
}

static void
probe_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  CtSync *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  SourceState *state = self->sources->pdata[r->index];
  g_autoptr(GError) error = NULL;
  gboolean available = FALSE;

  if (!ct_source_probe_finish (CT_SOURCE (object), result, &available, &error))
    {
      account (state, r);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->refreshing = FALSE;
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      state->health.available = TRUE;   /* unknown: count the failure against it */
      r->available++;
      source_failed (self, r, state, error);
      r->index++;
      refresh_next (task);
      return;
    }
  state->health.probed = TRUE;
  state->health.available = available;
  refresh_next (task);
}

static void
refresh_next (GTask *task)
{
  CtSync *self = g_task_get_source_object (task);
  Refresh *r = g_task_get_task_data (task);
  SourceState *state;
  CtHttp *http;

  if (r->index >= self->sources->len)
    {
      refresh_apply (task);
      return;
    }
  state = self->sources->pdata[r->index];
  if (!ct_source_has_queues (state->source))
    {
      state->health.probed = TRUE;
      state->health.available = FALSE;
      r->index++;
      refresh_next (task);
      return;
    }
  /* n8n is another server: what Odoo brought goes to the store first, so a
   * slow or dead n8n never holds the approvals back. */
  if (state->health.kind == CT_SOURCE_KIND_N8N)
    flush (self, r, NULL);
  state->health.last_attempt = g_get_real_time () / G_USEC_PER_SEC;
  http = ct_source_get_http (state->source);
  if (!state->health.probed)
    {
      if (http != NULL)
        {
          r->start_requests = ct_http_get_request_count (http);
          r->start_bytes = ct_http_get_bytes_received (http);
        }
      r->start_time = g_get_monotonic_time ();
      ct_source_probe_async (state->source, g_task_get_cancellable (task), probe_done, task);
      return;
    }
  if (!state->health.available)
    {
      /* Models missing: nothing to read, and nothing of it stays. */
      g_hash_table_remove_all (state->views);
      state->health.cases = 0;
      r->index++;
      refresh_next (task);
      return;
    }
  r->available++;
  if (http != NULL)
    {
      r->start_requests = ct_http_get_request_count (http);
      r->start_bytes = ct_http_get_bytes_received (http);
    }
  r->start_time = g_get_monotonic_time ();
  ct_source_fetch_async (state->source,
                         r->full || !state->complete_once ? NULL : state->cursor,
                         g_task_get_cancellable (task), fetch_done, task);
}

void
ct_sync_refresh_async (CtSync              *self,
                       gboolean             full,
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
  r->full = full || self->last_full == 0 ||
            (self->reconcile_interval > 0 && now - self->last_full >= self->reconcile_interval);
  r->affected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->errors = g_string_new (NULL);
  g_task_set_task_data (task, r, (GDestroyNotify)refresh_free);
  self->refreshing = TRUE;
  refresh_next (task);
}

gboolean
ct_sync_refresh_finish (CtSync        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
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

static gboolean
tick (gpointer data)
{
  CtSync *self = data;

  self->timeout_id = 0;
  ct_sync_refresh_async (self, FALSE, self->cancellable, scheduled_done, NULL);
  return G_SOURCE_REMOVE;
}

void
ct_sync_start (CtSync *self)
{
  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  ct_sync_refresh_async (self, FALSE, self->cancellable, scheduled_done, NULL);
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
}
