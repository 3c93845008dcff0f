/* test-integration-actions.c - Retry, Run Now and Requeue against ct-sim, checked by re-reading
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-integration-actions.h"
#include "ct-sim-faults.h"
#include "ct-sim-server.h"
#include "test-detail-fixture.h"

typedef struct
{
  CtSimServer  *sim;
  char         *url;
  CtOdooClient *admin;
  CtN8nClient  *n8n;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  CtSimOptions options = { .seed = 1, .n_cases = 200 };
  g_autoptr(GError) error = NULL;

  fx->sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (fx->sim, &error));
  fx->url = ct_sim_server_dup_url (fx->sim);
  fx->admin = detail_connect (fx->sim, "admin", FALSE);
  fx->n8n = ct_n8n_client_new (fx->url, ct_sim_server_get_n8n_api_key (fx->sim), FALSE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_object (&fx->n8n);
  g_clear_object (&fx->admin);
  ct_sim_server_stop (fx->sim);
  g_clear_object (&fx->sim);
  g_free (fx->url);
}

static CtIntegrationResult *
run (CtOdooClient  *odoo,
     CtN8nClient   *n8n,
     const char    *key,
     GError       **error)
{
  g_autoptr(CtIntegrationActions) actions = ct_integration_actions_new (odoo, n8n);
  g_autoptr(GAsyncResult) result = NULL;
  CtIntegrationResult *res;

  ct_integration_actions_run_async (actions, key, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  res = ct_integration_actions_run_finish (actions, result, error);
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&actions));
  return res;
}

static char *
first_execution (CtN8nClient *n8n,
                 const char  *status)
{
  CtN8nExecutionQuery query = { .status = status, .limit = 5, .max_items = 5 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;

  ct_n8n_client_list_executions_async (n8n, &query, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  runs = ct_n8n_client_list_executions_finish (n8n, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, >, 0);
  return g_strdup (((CtN8nExecution *) runs->pdata[0])->id);
}

static void
test_retry (Fixture       *fx,
            gconstpointer  data)
{
  g_autofree char *failed = first_execution (fx->n8n, "error");
  g_autofree char *key = g_strdup_printf ("n8n.execution:%s", failed);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtIntegrationResult) res = run (fx->admin, fx->n8n, key, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CtN8nExecution) reread = NULL;
  g_autofree char *new_id = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (res->action, ==, CT_INTEGRATION_ACTION_RETRY);
  g_assert_nonnull (res->new_key);
  g_assert_cmpstr (res->new_key, !=, key);
  new_id = g_strdup (res->new_key + strlen ("n8n.execution:"));
  g_assert_nonnull (strstr (res->summary, new_id));

  /* The result tells what n8n now says about the new run. */
  ct_n8n_client_get_execution_async (fx->n8n, new_id, FALSE, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  reread = ct_n8n_client_get_execution_finish (fx->n8n, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reread->status, ==, res->status);
  g_assert_cmpstr (reread->retry_of, ==, failed);
  g_assert_true (res->resolved == (g_strcmp0 (reread->status, "success") == 0));
  if (!res->resolved)
    g_assert_nonnull (strstr (res->summary, "failed again"));
  else
    g_assert_nonnull (strstr (res->summary, "succeeded"));
}

/* n8n refuses to retry a run that succeeded: its reason, in words. */
static void
test_retry_refused (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *ok = first_execution (fx->n8n, "success");
  g_autofree char *key = g_strdup_printf ("n8n.execution:%s", ok);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtIntegrationResult) res = run (fx->admin, fx->n8n, key, &error);

  g_assert_null (res);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_USER);
  g_assert_nonnull (strstr (error->message, "cannot be retried"));
}

static char *
cron_lastcall (CtOdooClient *client,
               gint64        id)
{
  static const char *const fields[] = { "lastcall", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = NULL;

  ct_odoo_client_read_async (client, "ir.cron", &id, 1, fields, NULL, detail_store_result,
                             &result);
  detail_wait_for (&result);
  rows = ct_odoo_client_read_finish (client, result, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                  "lastcall"));
}

static void
test_run_now (Fixture       *fx,
              gconstpointer  data)
{
  g_autofree char *before = cron_lastcall (fx->admin, 1);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtIntegrationResult) res = NULL;

  /* The clock of the simulator moves in whole seconds. */
  g_usleep (1100 * 1000);
  res = run (fx->admin, NULL, "ir.cron:1", &error);
  g_assert_no_error (error);
  after = cron_lastcall (fx->admin, 1);
  g_assert_cmpstr (after, !=, before);
  g_assert_true (res->resolved);
  g_assert_cmpstr (res->status, ==, "ran");
  g_assert_nonnull (strstr (res->summary, "ran now without an error"));

  /* A cron that keeps failing ran, but is not healthy. */
  g_clear_pointer (&res, ct_integration_result_free);
  g_usleep (1100 * 1000);
  res = run (fx->admin, NULL, "ir.cron:15", &error);
  g_assert_no_error (error);
  g_assert_false (res->resolved);
  g_assert_nonnull (strstr (res->summary, "failures in a row"));
}

/* A manager is no administrator: Odoo's refusal, in words. */
static void
test_run_now_refused (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(CtOdooClient) manager = detail_connect (fx->sim, "manager", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtIntegrationResult) res = run (manager, NULL, "ir.cron:1", &error);

  g_assert_null (res);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_ACCESS);
  g_assert_true (g_str_has_prefix (error->message, "Odoo refused: "));
  g_assert_nonnull (strstr (error->message, "Administrator"));
  g_assert_null (strchr (error->message, '\n'));
}

/* The server fails while running it: the error says so and nothing is
 * claimed. */
static void
test_run_now_fails (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtIntegrationResult) res = NULL;

  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (fx->sim),
                                      "http500@/json/2/ir.cron/method_direct_trigger*1", &error));
  g_assert_no_error (error);
  res = run (fx->admin, NULL, "ir.cron:1", &error);
  g_assert_null (res);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_SERVER);
}

static gint64
failed_job (CtOdooClient *client)
{
  static const char *const fields[] = { "state", NULL };
  g_autoptr(JsonNode) domain = json_from_string ("[[\"state\", \"=\", \"failed\"]]", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = NULL;

  ct_odoo_client_search_read_async (client, "queue.job", json_node_get_array (domain), fields,
                                    "id", 1, 0, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  rows = ct_odoo_client_search_read_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  return json_object_get_int_member (json_array_get_object_element (rows, 0), "id");
}

static void
test_requeue (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(CtOdooClient) manager = detail_connect (fx->sim, "manager", FALSE);
  g_autoptr(CtOdooClient) requester = detail_connect (fx->sim, "requester", FALSE);
  gint64 job = failed_job (fx->admin);
  g_autofree char *key = g_strdup_printf ("queue.job:%" G_GINT64_FORMAT, job);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtIntegrationResult) refused = run (requester, NULL, key, &error);
  g_autoptr(CtIntegrationResult) res = NULL;

  /* Without the job queue right: refused, in Odoo's words. */
  g_assert_null (refused);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_ACCESS);
  g_assert_nonnull (strstr (error->message, "Job Queue Manager"));
  g_clear_error (&error);

  res = run (manager, NULL, key, &error);
  g_assert_no_error (error);
  g_assert_true (res->resolved);
  g_assert_cmpstr (res->status, ==, "pending");
  g_assert_nonnull (strstr (res->summary, "waiting to run"));

  /* A job that does not exist. */
  g_clear_pointer (&res, ct_integration_result_free);
  res = run (manager, NULL, "queue.job:999999", &error);
  g_assert_null (res);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_MISSING);
}

static void
test_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtIntegrationResult) res = NULL;

  g_assert_cmpint (ct_integration_action_for_key ("n8n.execution:4"), ==,
                   CT_INTEGRATION_ACTION_RETRY);
  g_assert_cmpint (ct_integration_action_for_key ("ir.cron:4"), ==, CT_INTEGRATION_ACTION_RUN_NOW);
  g_assert_cmpint (ct_integration_action_for_key ("queue.job:4"), ==,
                   CT_INTEGRATION_ACTION_REQUEUE);
  g_assert_cmpint (ct_integration_action_for_key ("purchase.order:4"), ==,
                   CT_INTEGRATION_ACTION_NONE);
  g_assert_cmpstr (ct_integration_action_get_label (CT_INTEGRATION_ACTION_RUN_NOW), ==, "Run Now");

  {
    g_autoptr(CtCase) run_incident = ct_case_new_incident (CT_INCIDENT_N8N_ERROR, "n8n.execution",
                                                           42);
    g_autoptr(CtCase) cron = ct_case_new_incident (CT_INCIDENT_CRON_FAILING, "ir.cron", 15);
    g_autofree char *n8n_url = NULL;
    g_autofree char *odoo_url = NULL;

    run_incident->branch = g_strdup ("qfRX7evV64uUp9Ag");
    n8n_url = ct_integration_open_url (run_incident, "https://erp.example", 19,
                                       "https://n8n.example/");
    odoo_url = ct_integration_open_url (cron, "https://erp.example", 19, NULL);
    g_assert_cmpstr (n8n_url, ==, "https://n8n.example/workflow/qfRX7evV64uUp9Ag/executions/42");
    g_assert_cmpstr (odoo_url, ==, "https://erp.example/odoo/ir.cron/15");
    g_assert_null (ct_integration_open_url (run_incident, "https://erp.example", 19, NULL));
  }

  res = run (NULL, NULL, "purchase.order:4", &error);
  g_assert_null (res);
  g_assert_nonnull (error);
  g_clear_error (&error);
  res = run (NULL, NULL, "n8n.execution:4", &error);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_SUPPORTED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/integration-actions/keys", test_keys);
  g_test_add ("/ct/core/integration-actions/retry", Fixture, NULL, fixture_set_up, test_retry,
              fixture_tear_down);
  g_test_add ("/ct/core/integration-actions/retry-refused", Fixture, NULL, fixture_set_up,
              test_retry_refused, fixture_tear_down);
  g_test_add ("/ct/core/integration-actions/run-now", Fixture, NULL, fixture_set_up,
              test_run_now, fixture_tear_down);
  g_test_add ("/ct/core/integration-actions/run-now-refused", Fixture, NULL, fixture_set_up,
              test_run_now_refused, fixture_tear_down);
  g_test_add ("/ct/core/integration-actions/run-now-fails", Fixture, NULL, fixture_set_up,
              test_run_now_fails, fixture_tear_down);
  g_test_add ("/ct/core/integration-actions/requeue", Fixture, NULL, fixture_set_up,
              test_requeue, fixture_tear_down);
  return g_test_run ();
}
