/* test-sync.c - Merging, decisions elsewhere, failures and the offline snapshot, against ct-sim
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "test-sources-fixture.h"

static void
rm_rf (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static CtSync *
make_sync (Fixture     *fx,
           CtCaseStore *store)
{
  CtSync *sync = ct_sync_new (fx->profile, store);

  ct_sync_add_default_sources (sync, fx->client, fx->n8n, fx->url,
                               ct_sim_server_get_n8n_api_key (fx->sim));
  return sync;
}

static const CtSourceHealth *
health_of (CtSync       *sync,
           CtSourceKind  kind)
{
  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    if (ct_sync_get_health (sync, i)->kind == kind)
      return ct_sync_get_health (sync, i);
  g_assert_not_reached ();
}

/* Nothing (a refresh, a timer, a source) keeps the sync or the store it
 * fills alive once their owner lets go. */
static void
assert_finalized (CtSync      **sync,
                  CtCaseStore **store)
{
  g_assert_finalize_object (g_steal_pointer (sync));
  g_assert_finalize_object (g_steal_pointer (store));
}

static guint
count_model (CtCaseStore *store,
             const char  *model)
{
  GPtrArray *cases = ct_case_store_get_cases (store);
  guint n = 0;

  for (guint i = 0; i < cases->len; i++)
    n += g_strcmp0 (((CtCase *)cases->pdata[i])->model, model) == 0;
  return n;
}

static void
test_one_record_one_case (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = make_sync (fx, store);
  g_autoptr(GError) error = NULL;
  CtCase *c;

  g_assert_true (sync_refresh (sync, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (ct_sync_is_stale (sync));
  g_assert_cmpint (ct_sync_get_synced_at (sync), >, 0);

  /* 12 orders to approve, three of them also under tier review: 12 cases. */
  g_assert_cmpuint (count_model (store, "purchase.order"), ==, 12);
  c = ct_case_store_lookup (store, "purchase.order:110");
  g_assert_nonnull (c);
  g_assert_cmpuint (c->requirements->len, ==, 2);
  g_assert_true (ct_case_has_source (c, CT_SOURCE_KIND_TIER_VALIDATION));
  g_assert_true (ct_case_has_source (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION));
  g_assert_cmpint (c->sla.status, !=, CT_SLA_STATUS_NONE);
  c = ct_case_store_lookup (store, "purchase.order:13");
  g_assert_cmpuint (c->requirements->len, ==, 1);

  /* Per-source health: what the UI lists. */
  g_assert_true (health_of (sync, CT_SOURCE_KIND_TIER_VALIDATION)->available);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_TIER_VALIDATION)->cases, ==, 3);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION)->cases, ==, 12);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_TIER_VALIDATION)->requests, >, 0);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_N8N)->bytes, >, 0);
  g_assert_cmpint (health_of (sync, CT_SOURCE_KIND_N8N)->last_success, >, 0);
  g_assert_null (health_of (sync, CT_SOURCE_KIND_N8N)->last_error);
  /* Incidents are in the same store. */
  g_assert_cmpuint (count_model (store, "n8n.execution"), >, 0);
  assert_finalized (&sync, &store);
}

static void
test_decided_elsewhere (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = make_sync (fx, store);
  g_autoptr(CtOdooClient) purchaser = fixture_connect (fx, "purchaser");
  g_autoptr(GError) error = NULL;
  guint before;

  g_assert_true (sync_refresh (sync, FALSE, &error));
  before = ct_case_store_get_n_cases (store);
  g_assert_nonnull (ct_case_store_lookup (store, "purchase.order:12"));

  /* The manager approves P00012 in Odoo between two syncs: the next
   * (incremental) refresh drops it and nothing else. */
  fixture_call_ok (fx->client, "purchase.order", "button_approve", 12, NULL);
  g_assert_true (sync_refresh (sync, FALSE, &error));
  g_assert_no_error (error);
  g_assert_null (ct_case_store_lookup (store, "purchase.order:12"));
  g_assert_cmpuint (ct_case_store_get_n_cases (store), ==, before - 1);

  /* The reviewer validates 111's tier in Odoo: the reconciliation sees the
   * review gone and the case keeps only its double validation. */
  fixture_call_ok (purchaser, "purchase.order", "validate_tier", 111, NULL);
  g_assert_true (sync_refresh (sync, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ct_case_store_lookup (store, "purchase.order:111")->requirements->len, ==, 1);
  g_assert_false (ct_case_has_source (ct_case_store_lookup (store, "purchase.order:111"),
                                      CT_SOURCE_KIND_TIER_VALIDATION));

  /* Cancelled elsewhere: gone after the reconciliation. (ct-sim's
   * button_cancel leaves write_date as it was, unlike Odoo, so only the
   * reconciliation can see this one there.) */
  fixture_call_ok (fx->client, "purchase.order", "button_cancel", 14, NULL);
  g_assert_true (sync_refresh (sync, TRUE, &error));
  g_assert_null (ct_case_store_lookup (store, "purchase.order:14"));
  assert_finalized (&sync, &store);
}

static void
test_sources_fail_on_their_own (Fixture       *fx,
                                gconstpointer  data)
{
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = make_sync (fx, store);
  CtSimFaults *faults = ct_sim_server_get_faults (fx->sim);
  g_autoptr(GError) error = NULL;
  guint n8n_cases;

  g_autoptr(GSettings) settings = g_settings_new ("com.sysgenpro.ControlTower");

  g_settings_set_uint (settings, "sync-interval", 30);
  ct_sync_bind_interval (sync, settings);
  g_assert_true (sync_refresh (sync, FALSE, &error));
  n8n_cases = count_model (store, "n8n.execution");
  g_assert_cmpuint (ct_sync_get_next_delay (sync), ==, 30);

  /* n8n down, Odoo up. */
  g_assert_true (ct_sim_faults_parse (faults, "http500@/api/v1", NULL));
  g_assert_false (sync_refresh (sync, TRUE, &error));
  g_assert_error (error, CT_SYNC_ERROR, CT_SYNC_ERROR_SOURCES_FAILED);
  g_assert_nonnull (strstr (error->message, "n8n"));
  g_clear_error (&error);
  g_assert_nonnull (health_of (sync, CT_SOURCE_KIND_N8N)->last_error);
  g_assert_cmpuint (health_of (sync, CT_SOURCE_KIND_N8N)->failures, ==, 1);
  g_assert_null (health_of (sync, CT_SOURCE_KIND_TIER_VALIDATION)->last_error);
  g_assert_true (ct_sync_is_stale (sync));
  g_assert_cmpuint (ct_sync_get_next_delay (sync), ==, 60);
  /* The last known incidents stay, marked stale; the Odoo cases are fresh. */
  g_assert_cmpuint (count_model (store, "n8n.execution"), ==, n8n_cases);
  g_assert_cmpuint (count_model (store, "purchase.order"), ==, 12);
  {
    GPtrArray *cases = ct_case_store_get_cases (store);

    for (guint i = 0; i < cases->len; i++)
      {
        CtCase *c = cases->pdata[i];

        g_assert_cmpint (ct_sync_case_is_stale (sync, c), ==,
                         g_str_has_prefix (c->key, "n8n.execution:"));
      }
  }

  /* Only tier.review refuses: the orders keep their tier requirement from
   * before, the double validation still reads. */
  ct_sim_faults_clear (faults);
  g_assert_true (ct_sim_faults_parse (faults, "http500@/json/2/tier.review", NULL));
  fixture_call_ok (fx->client, "purchase.order", "button_approve", 13, NULL);
  g_assert_false (sync_refresh (sync, FALSE, &error));
  g_clear_error (&error);
  g_assert_nonnull (health_of (sync, CT_SOURCE_KIND_TIER_VALIDATION)->last_error);
  g_assert_null (health_of (sync, CT_SOURCE_KIND_N8N)->last_error);
  g_assert_null (ct_case_store_lookup (store, "purchase.order:13"));
  g_assert_cmpuint (ct_case_store_lookup (store, "purchase.order:110")->requirements->len, ==, 2);

  ct_sim_faults_clear (faults);
  g_assert_true (sync_refresh (sync, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (ct_sync_is_stale (sync));
  g_assert_null (health_of (sync, CT_SOURCE_KIND_TIER_VALIDATION)->last_error);
  g_assert_cmpuint (ct_sync_get_next_delay (sync), ==, 30);

  /* The setting changes: the schedule follows. */
  g_settings_set_uint (settings, "sync-interval", 45);
  g_assert_cmpuint (ct_sync_get_next_delay (sync), ==, 45);
  assert_finalized (&sync, &store);
}

static void
test_snapshot_start (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("ct-sync-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  guint n;

  {
    g_autoptr(CtJournal) journal = ct_journal_open (dir, &error);
    g_autoptr(CtCaseStore) store = ct_case_store_new ();
    g_autoptr(CtSync) sync = make_sync (fx, store);

    g_assert_no_error (error);
    ct_sync_set_journal (sync, journal);
    g_assert_true (sync_refresh (sync, FALSE, &error));
    n = ct_case_store_get_n_cases (store);
    g_assert_cmpuint (n, >, 12);
    assert_finalized (&sync, &store);
  }

  /* Next start, servers unreachable: the snapshot shows at once, stale. */
  ct_sim_server_stop (fx->sim);
  {
    g_autoptr(CtJournal) journal = ct_journal_open (dir, &error);
    g_autoptr(CtCaseStore) store = ct_case_store_new ();
    g_autoptr(CtSync) sync = make_sync (fx, store);
    gint64 now = g_get_real_time () / G_USEC_PER_SEC;
    CtCase *c;

    ct_sync_set_journal (sync, journal);
    g_assert_true (ct_sync_load_snapshot (sync, &error));
    g_assert_no_error (error);
    g_assert_null (ct_sync_get_notice (sync));
    g_assert_cmpuint (ct_case_store_get_n_cases (store), ==, n);
    g_assert_true (ct_sync_is_stale (sync));
    g_assert_true (ct_sync_case_is_stale (sync, ct_case_store_lookup (store, "purchase.order:13")));
    g_assert_cmpint (ct_sync_get_synced_at (sync), >, now - 60);
    g_assert_cmpint (ct_sync_get_synced_at (sync), <=, now);
    c = ct_case_store_lookup (store, "purchase.order:110");
    g_assert_nonnull (c);
    g_assert_cmpuint (c->requirements->len, ==, 2);
    g_assert_cmpint (c->sla.status, !=, CT_SLA_STATUS_NONE);

    /* Refreshing against a dead server keeps everything, still stale. */
    ct_odoo_client_set_timeouts (fx->client, 500, 500);
    g_assert_false (sync_refresh (sync, FALSE, &error));
    g_clear_error (&error);
    g_assert_cmpuint (ct_case_store_get_n_cases (store), ==, n);
    g_assert_true (ct_sync_is_stale (sync));
    assert_finalized (&sync, &store);
  }
  rm_rf (dir);
}

static void
test_corrupt_snapshot (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("ct-sync-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "snapshot.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtJournal) journal = NULL;
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = make_sync (fx, store);
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gboolean moved = FALSE;

  g_assert_true (g_file_set_contents (path, "this is not SQLite, it is a damaged file.........."
                                      "................................................", -1,
                                      NULL));
  journal = ct_journal_open (dir, &error);
  g_assert_no_error (error);
  ct_sync_set_journal (sync, journal);
  g_assert_false (ct_sync_load_snapshot (sync, &error));
  g_assert_error (error, CT_JOURNAL_ERROR, CT_JOURNAL_ERROR_CORRUPT);
  g_assert_nonnull (ct_sync_get_notice (sync));
  g_assert_cmpuint (ct_case_store_get_n_cases (store), ==, 0);
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    moved = moved || g_str_has_prefix (name, "snapshot.sqlite.corrupt-");
  g_assert_true (moved);

  /* And the app goes on: a refresh fills the store and rewrites it. */
  g_clear_error (&error);
  g_assert_true (sync_refresh (sync, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ct_case_store_get_n_cases (store), >, 12);
  assert_finalized (&sync, &store);
  rm_rf (dir);
}

static void
test_slow_n8n_does_not_hold_back (Fixture       *fx,
                                  gconstpointer  data)
{
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = make_sync (fx, store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* n8n's first answer comes after 1.5 s: the approvals are in the store before
   * the refresh ends. */
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (fx->sim),
                                      "latency@/api/v1:1500*1", NULL));
  ct_sync_refresh_async (sync, FALSE, NULL, store_result, &result);
  WAIT_UNTIL (count_model (store, "purchase.order") >= 12);
  g_assert_null (result);
  g_assert_nonnull (ct_case_store_lookup (store, "purchase.order:110"));
  g_assert_cmpint (ct_case_store_lookup (store, "purchase.order:110")->sla.status, !=,
                   CT_SLA_STATUS_NONE);
  wait_for (&result);
  g_assert_true (ct_sync_refresh_finish (sync, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_model (store, "n8n.execution"), >, 0);
  ct_sim_faults_clear (ct_sim_server_get_faults (fx->sim));
  g_clear_object (&result);   /* the finished task holds the sync */
  assert_finalized (&sync, &store);
}

static void
on_refreshed (CtSync   *sync,
              gpointer  user_data)
{
  (*(guint *)user_data)++;
}

static void
test_schedule (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = make_sync (fx, store);
  guint refreshed = 0;

  g_signal_connect (sync, "refreshed", G_CALLBACK (on_refreshed), &refreshed);
  ct_sync_start (sync);
  WAIT_UNTIL (refreshed > 0);
  g_assert_cmpuint (count_model (store, "purchase.order"), ==, 12);
  ct_sync_stop (sync);
  assert_finalized (&sync, &store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ct/core/sync/one-record-one-case", test_one_record_one_case);
  ADD ("/ct/core/sync/decided-elsewhere", test_decided_elsewhere);
  ADD ("/ct/core/sync/sources-fail-on-their-own", test_sources_fail_on_their_own);
  ADD ("/ct/core/sync/snapshot-start", test_snapshot_start);
  ADD ("/ct/core/sync/corrupt-snapshot", test_corrupt_snapshot);
  ADD ("/ct/core/sync/schedule", test_schedule);
  ADD ("/ct/core/sync/slow-n8n-does-not-hold-back", test_slow_n8n_does_not_hold_back);
#undef ADD

  return g_test_run ();
}
