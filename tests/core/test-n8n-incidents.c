/* test-n8n-incidents.c - n8n incidents as n8n reports them: retries, chains, workflows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-incident.h"
#include "ct-source.h"
#include "test-sources-fixture.h"

/* The recorded n8n (tests/data/protocol/n8n-1.123) as ct-sim serves it:
 * runs 1–5 of "Credit check (fails)" failed in the Code node "Call credit
 * bureau" (041), 17 and 18 of "Payment capture" (retries succeed, 051/052),
 * 19 and 20 of "Inventory push" in the HTTP node "Push to warehouse API"
 * (043). */
#define CREDIT_CHECK "o7IlixzRe9J4S49v"
#define PAYMENT      "qfRX7evV64uUp9Ag"
#define INVENTORY    "vcUwUIbYyIHF0HX1"

static CtSource *
n8n_source (Fixture *fx)
{
  return ct_source_n8n_incidents_new (fx->n8n, ct_sim_server_get_n8n_api_key (fx->sim), fx->url,
                                      fx->profile);
}

/* The failure incident of one workflow, or NULL; asserts there is at most
 * one. */
static CtCase *
find_workflow (CtSourceBatch *batch,
               const char    *workflow_id)
{
  CtCase *found = NULL;

  for (guint i = 0; i < batch->cases->len; i++)
    {
      CtCase *c = batch->cases->pdata[i];

      if ((c->incident_kind == CT_INCIDENT_N8N_ERROR ||
           c->incident_kind == CT_INCIDENT_N8N_CRASHED) &&
          g_strcmp0 (c->branch, workflow_id) == 0)
        {
          g_assert_null (found);
          found = c;
        }
    }
  return found;
}

static void
retry (Fixture    *fx,
       const char *id,
       const char *expect_status)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtN8nExecution) run = NULL;

  ct_n8n_client_retry_async (fx->n8n, id, FALSE, NULL, store_result, &result);
  wait_for (&result);
  run = ct_n8n_client_retry_finish (fx->n8n, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (run->status, ==, expect_status);
  g_assert_cmpstr (run->retry_of, ==, id);
}

static gint64
iso (const char *text)
{
  return ct_parse_iso8601 (text);
}

/* Several failures of one workflow are one incident with their count, the
 * first and the last time, and the message and node n8n recorded for the
 * latest; read with the lists, one request per page, never run by run. */
static void
test_workflow_groups (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(CtSource) source = n8n_source (fx);
  g_autoptr(CtSourceBatch) batch = NULL;
  g_autoptr(CtSourceBatch) again = NULL;
  g_autoptr(GError) error = NULL;
  CtCase *c;
  guint failures = 0;

  ct_sim_server_reset_counts (fx->sim);
  batch = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (batch->complete);

  c = find_workflow (batch, CREDIT_CHECK);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->key, ==, "n8n.execution:5");
  g_assert_cmpuint (c->n_failures, ==, 5);
  g_assert_cmpuint (MAX (c->n_attempts, 1), ==, 1);
  g_assert_cmpstr (c->detail, ==, "credit bureau timeout [line 2]");
  g_assert_cmpstr (c->failed_node, ==, "Call credit bureau");
  g_assert_cmpstr (c->attempt_status, ==, "error");
  g_assert_nonnull (strstr (c->title, "Credit check (fails)"));
  g_assert_cmpint (c->requested_at, ==, iso ("2026-11-26T15:36:28.704Z"));
  g_assert_cmpint (c->last_failed_at, ==, iso ("2026-11-26T15:36:33.558Z"));

  c = find_workflow (batch, INVENTORY);
  g_assert_nonnull (c);
  g_assert_cmpuint (c->n_failures, ==, 2);
  g_assert_cmpstr (c->failed_node, ==, "Push to warehouse API");
  g_assert_nonnull (strstr (c->detail, "The resource you are requesting could not be found"));
  g_assert_nonnull (strstr (c->detail, "is not registered"));

  c = find_workflow (batch, PAYMENT);
  g_assert_nonnull (c);
  g_assert_cmpuint (c->n_failures, ==, 2);
  g_assert_cmpstr (c->key, ==, "n8n.execution:18");

  for (guint i = 0; i < batch->cases->len; i++)
    if (((CtCase *) batch->cases->pdata[i])->incident_kind == CT_INCIDENT_N8N_ERROR)
      failures++;
  g_assert_cmpuint (failures, ==, 3);
  g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/api/v1/executions/"), ==, 0);

  /* Nothing new: nothing read by id, the same incidents. */
  ct_sim_server_reset_counts (fx->sim);
  again = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->cases->len, ==, batch->cases->len);
  g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/api/v1/executions/"), ==, 0);
  c = find_workflow (again, CREDIT_CHECK);
  g_assert_cmpstr (c->detail, ==, "credit bureau timeout [line 2]");
  g_assert_true (ct_case_equal (c, find_workflow (batch, CREDIT_CHECK)));
}

/* A run whose retry succeeded is resolved; a run retried and failing again
 * is one failure with its attempts and the latest attempt's message; only
 * the new runs are read. */
static void
test_retries (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(CtSource) source = n8n_source (fx);
  g_autoptr(CtSourceBatch) first = NULL;
  g_autoptr(CtSourceBatch) second = NULL;
  g_autoptr(CtSourceBatch) third = NULL;
  g_autoptr(GError) error = NULL;
  CtCase *c;

  first = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);

  /* As recorded: 5 fails again (run 21, retryOf 5, 050); 17 succeeds on
   * retry (run 22, 051) and gets retrySuccessId 22 (052). */
  retry (fx, "5", "error");
  retry (fx, "17", "success");

  ct_sim_server_reset_counts (fx->sim);
  second = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  c = find_workflow (second, PAYMENT);
  g_assert_nonnull (c);
  g_assert_cmpuint (c->n_failures, ==, 1);
  g_assert_cmpstr (c->key, ==, "n8n.execution:18");
  c = find_workflow (second, CREDIT_CHECK);
  g_assert_nonnull (c);
  g_assert_cmpuint (c->n_failures, ==, 5);
  g_assert_cmpstr (c->key, ==, "n8n.execution:21");
  g_assert_cmpuint (c->n_attempts, ==, 2);
  g_assert_cmpstr (c->attempt_status, ==, "error");
  g_assert_cmpstr (c->detail, ==, "credit bureau timeout [line 2]");
  g_assert_cmpstr (c->failed_node, ==, "Call credit bureau");
  g_assert_cmpint (c->requested_at, ==, iso ("2026-11-26T15:36:28.704Z"));
  g_assert_cmpint (c->last_failed_at, >, iso ("2026-11-26T15:36:33.558Z"));
  /* Only the one new failed run (21) was read, with its data. */
  g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/api/v1/executions/"), ==, 1);

  /* The payment's last failure succeeds on retry: no payment incident. The
   * credit check's retry is retried and fails again: still one failure of
   * the five, now with three attempts. */
  retry (fx, "18", "success");
  retry (fx, "21", "error");
  ct_sim_server_reset_counts (fx->sim);
  third = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (find_workflow (third, PAYMENT));
  c = find_workflow (third, CREDIT_CHECK);
  g_assert_nonnull (c);
  g_assert_cmpuint (c->n_failures, ==, 5);
  g_assert_cmpuint (c->n_attempts, ==, 3);
  g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/api/v1/executions/"), ==, 1);
  g_assert_nonnull (find_workflow (third, INVENTORY));
}

/* Many new failures since the last fetch: listed again with their data, a
 * page at a time, not read one by one. One run retried eight times, each
 * retry failing again, is still one failure, with nine attempts. */
static void
test_many_new_failures (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(CtSource) source = n8n_source (fx);
  g_autoptr(CtSourceBatch) first = NULL;
  g_autoptr(CtSourceBatch) second = NULL;
  g_autoptr(GError) error = NULL;
  char id[16] = "5";
  CtCase *c;

  first = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  /* 5 → 21 → 22 → … → 28, each the retry of the one before. */
  for (guint i = 0; i < 8; i++)
    {
      retry (fx, id, "error");
      g_snprintf (id, sizeof id, "%u", 21 + i);
    }

  ct_sim_server_reset_counts (fx->sim);
  second = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/api/v1/executions/"), ==, 0);
  c = find_workflow (second, CREDIT_CHECK);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->key, ==, "n8n.execution:28");
  g_assert_cmpuint (c->n_failures, ==, 5);
  g_assert_cmpuint (c->n_attempts, ==, 9);
  g_assert_cmpstr (c->detail, ==, "credit bureau timeout [line 2]");
  g_assert_cmpstr (c->failed_node, ==, "Call credit bureau");
}

/* The generated n8n: a failed run retried into success (retrySuccessId) is
 * never an incident, whatever the dataset; every workflow has at most one
 * failure incident; failed runs name the Odoo record they worked on in
 * customData, and the incident holds those cases up. */
static void
test_generated (void)
{
  CtSimOptions options = { .seed = 3, .n_cases = 400 };
  g_autoptr(CtSimServer) sim = NULL;
  g_autoptr(CtN8nClient) n8n = NULL;
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  g_autoptr(CtSource) source = NULL;
  g_autoptr(CtSourceBatch) batch = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GHashTable) workflows = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  CtN8nExecutionQuery query = { .status = "error" };
  guint resolved = 0, failures = 0, linked = 0;

  sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (sim, &error));
  url = ct_sim_server_dup_url (sim);
  n8n = ct_n8n_client_new (url, ct_sim_server_get_n8n_api_key (sim), FALSE, &error);
  g_assert_no_error (error);

  ct_n8n_client_list_executions_async (n8n, &query, NULL, store_result, &result);
  wait_for (&result);
  runs = ct_n8n_client_list_executions_finish (n8n, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < runs->len; i++)
    {
      CtN8nExecution *run = runs->pdata[i];

      if (run->retry_success_id != NULL)
        resolved++;
    }
  g_assert_cmpuint (resolved, >, 0);

  source = ct_source_n8n_incidents_new (n8n, ct_sim_server_get_n8n_api_key (sim), url, profile);
  batch = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < batch->cases->len; i++)
    {
      CtCase *c = batch->cases->pdata[i];

      if (c->incident_kind != CT_INCIDENT_N8N_ERROR && c->incident_kind != CT_INCIDENT_N8N_CRASHED)
        continue;
      /* One incident per workflow, counting its unresolved failures. */
      g_assert_false (g_hash_table_contains (workflows, c->branch));
      g_hash_table_add (workflows, c->branch);
      g_assert_cmpuint (c->n_failures, >=, 1);
      g_assert_cmpint (c->last_failed_at, >=, c->requested_at);
      failures += c->n_failures;
      for (guint j = 0; j < c->linked_keys->len; j++)
        {
          g_autofree char *model = NULL;

          g_assert_true (ct_source_parse_key (c->linked_keys->pdata[j], &model, NULL));
          linked++;
        }
    }
  g_test_message ("%u failed runs, %u resolved by a retry, %u failures in %u incidents "
                  "holding up %u cases", runs->len, resolved, failures,
                  g_hash_table_size (workflows), linked);
  g_assert_cmpuint (g_hash_table_size (workflows), >, 0);
  g_assert_cmpuint (linked, >, 0);
  /* Every failure still open is a run without a successful retry. */
  g_assert_cmpuint (failures, <=, runs->len - resolved);
  ct_sim_server_stop (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ct/core/n8n-incidents/workflow-groups", test_workflow_groups);
  ADD ("/ct/core/n8n-incidents/retries", test_retries);
  ADD ("/ct/core/n8n-incidents/many-new-failures", test_many_new_failures);
#undef ADD
  g_test_add_func ("/ct/core/n8n-incidents/generated", test_generated);

  return g_test_run ();
}
