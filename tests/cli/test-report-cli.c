/* test-report-cli.c - control-tower --report, as support and cron run it, with no display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ct-sim-faults.h"
#include "ct-sim-server.h"
#include "ct-test-run.h"

static CtSimServer *
start_recorded_sim (void)
{
  CtSimOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  CtSimServer *sim;

  options.dataset = "recorded";
  options.seed = 1;
  options.n_cases = 10;
  sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  if (!ct_sim_server_start (sim, &error))
    g_error ("ct-sim did not start: %s", error->message);
  return sim;
}

static JsonObject *
parse_report (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
find_area (JsonObject *report,
           const char *id)
{
  JsonArray *areas = json_object_get_array_member (report, "areas");

  for (guint i = 0; i < json_array_get_length (areas); i++)
    {
      JsonObject *area = json_array_get_object_element (areas, i);

      if (g_strcmp0 (json_object_get_string_member (area, "id"), id) == 0)
        return area;
    }
  return NULL;
}

static void
assert_no_secret (Run        *run,
                  const char *secret)
{
  g_assert_null (strstr (run->out, secret));
  g_assert_null (strstr (run->err, secret));
}

static void
test_pending_json (void)
{
  g_autoptr(CtSimServer) sim = start_recorded_sim ();
  g_autofree char *url = ct_sim_server_dup_url (sim);
  const char *key = ct_sim_server_get_api_key (sim, "admin");
  const char *env[] = { "CT_TEST_ODOO_KEY", key, NULL };
  g_autoptr(JsonObject) report = NULL;
  JsonObject *procurement;
  JsonArray *cases;
  Run run = { 0 };
  gboolean found_two = FALSE;

  ct_test_run_control_tower (&run, env, "--report=pending", "--format=json", "--server", url,
                     "--database", "ct", "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY",
                     NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_no_secret (&run, key);
  report = parse_report (run.out);
  g_assert_cmpstr (json_object_get_string_member (report, "report"), ==, "pending");
  /* What the recorded server holds: 12 orders to approve, three of them
   * also under tier review, counted once. */
  g_assert_cmpint (json_object_get_int_member (report, "total"), ==, 12);
  procurement = find_area (report, "procurement");
  g_assert_nonnull (procurement);
  g_assert_cmpint (json_object_get_int_member (procurement, "count"), ==, 12);
  g_assert_nonnull (find_area (report, "sales"));
  cases = json_object_get_array_member (procurement, "cases");
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      const char *state = json_object_get_string_member (json_object_get_object_member (c, "sla"),
                                                         "state");

      g_assert_true (g_strv_contains ((const char *[]) { "on-track", "at-risk", "breached", NULL },
                                      state));
      if (g_strcmp0 (json_object_get_string_member (c, "key"), "purchase.order:110") == 0)
        found_two = json_array_get_length (json_object_get_array_member (c, "requirements")) == 2;
    }
  g_assert_true (found_two);
  ct_test_run_clear (&run);
  ct_sim_server_stop (sim);
}

static void
test_formats_and_stats (void)
{
  g_autoptr(CtSimServer) sim = start_recorded_sim ();
  g_autofree char *url = ct_sim_server_dup_url (sim);
  const char *key = ct_sim_server_get_api_key (sim, "admin");
  const char *n8n_key = ct_sim_server_get_n8n_api_key (sim);
  const char *env[] = { "CT_TEST_ODOO_KEY", key, "CT_TEST_N8N_KEY", n8n_key, NULL };
  Run run = { 0 };

  ct_test_run_control_tower (&run, env, "--report=pending", "--server", url, "--database", "ct",
                     "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Procurement (12)"));
  g_assert_nonnull (strstr (run.out, "P00013"));
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--report=breaches", "--format=csv", "--stats", "--server", url,
                     "--database", "ct", "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY",
                     "--n8n-url", url, "--n8n-key-env", "CT_TEST_N8N_KEY", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "area,key,reference,"));
  /* --stats: per source, on stderr, stdout stays a clean CSV. */
  g_assert_nonnull (strstr (run.err, "purchase-double-validation"));
  g_assert_nonnull (strstr (run.err, "n8n"));
  g_assert_null (strstr (run.out, "REQUESTS"));
  assert_no_secret (&run, key);
  assert_no_secret (&run, n8n_key);
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--report=incidents", "--format=json", "--server", url,
                     "--database", "ct", "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY",
                     "--n8n-url", url, "--n8n-key-env", "CT_TEST_N8N_KEY", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) report = parse_report (run.out);

    g_assert_cmpint (json_object_get_int_member (report, "total"), >, 0);
  }
  assert_no_secret (&run, n8n_key);
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--report=metrics", "--format=json", "--server", url,
                     "--database", "ct", "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY",
                     NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) report = parse_report (run.out);

    g_assert_nonnull (report);
  }
  ct_test_run_clear (&run);
  ct_sim_server_stop (sim);
}

static void
test_failures (void)
{
  g_autoptr(CtSimServer) sim = start_recorded_sim ();
  g_autofree char *url = ct_sim_server_dup_url (sim);
  const char *key = ct_sim_server_get_api_key (sim, "admin");
  const char *n8n_key = ct_sim_server_get_n8n_api_key (sim);
  const char *env[] = { "CT_TEST_ODOO_KEY", key, "CT_TEST_N8N_KEY", n8n_key, NULL };
  const char *bad_env[] = { "CT_TEST_ODOO_KEY", "0000000000000000000000000000000000000000", NULL };
  Run run = { 0 };

  ct_test_run_control_tower (&run, env, "--report=everything", "--server", url, "--database", "ct",
                     "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--report"));
  g_assert_cmpstr (run.out, ==, "");
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--report=pending", "--format=xml", "--server", url,
                     "--database", "ct", "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY",
                     NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--format"));
  ct_test_run_clear (&run);

  /* A refused key: a clear error on stderr, exit 1, no key anywhere. */
  ct_test_run_control_tower (&run, bad_env, "--report=pending", "--server", url, "--database", "ct",
                     "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "control-tower: "));
  assert_no_secret (&run, bad_env[1]);
  ct_test_run_clear (&run);

  /* n8n down, Odoo up: the report still lists the cases, n8n is named on
   * stderr and in the report, and the exit status says it is partial. n8n
   * feeds no approval area, so the pending counts stay known. */
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (sim), "http500@/api/v1", NULL));
  ct_test_run_control_tower (&run, env, "--report=pending", "--format=json", "--server", url,
                     "--database", "ct", "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY",
                     "--n8n-url", url, "--n8n-key-env", "CT_TEST_N8N_KEY", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "n8n"));
  {
    g_autoptr(JsonObject) report = parse_report (run.out);
    JsonArray *failed = json_object_get_array_member (report, "failed_sources");

    g_assert_false (json_object_get_boolean_member (report, "complete"));
    g_assert_cmpuint (json_array_get_length (failed), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (failed, 0), ==, "n8n");
    g_assert_cmpint (json_object_get_int_member (report, "total"), ==, 12);
  }
  assert_no_secret (&run, n8n_key);
  ct_test_run_clear (&run);
  ct_sim_faults_clear (ct_sim_server_get_faults (sim));
  ct_sim_server_stop (sim);
}

/* Tier validation cannot be read (its server answers 503): every format
 * says the report is partial, the areas tier validation feeds read
 * "unknown" rather than a count, and the exit status is 3. */
static void
test_partial (void)
{
  g_autoptr(CtSimServer) sim = start_recorded_sim ();
  g_autofree char *url = ct_sim_server_dup_url (sim);
  const char *key = ct_sim_server_get_api_key (sim, "admin");
  const char *env[] = { "CT_TEST_ODOO_KEY", key, NULL };
  Run run = { 0 };

  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (sim), "http503@/json/2/tier.review",
                                      NULL));

  ct_test_run_control_tower (&run, env, "--report=pending", "--server", url, "--database", "ct",
                             "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_true (g_str_has_prefix (run.out, "INCOMPLETE: tier-validation could not be read"));
  /* The double validation still brought its 12 orders; how many more tier
   * validation holds is unknown, so no count is claimed. */
  g_assert_nonnull (strstr (run.out, "Procurement (unknown, 12 read)"));
  g_assert_null (strstr (run.out, "Procurement (12)"));
  g_assert_nonnull (strstr (run.out, "Sales (unknown)"));
  g_assert_null (strstr (run.out, "Sales (0)"));
  /* stderr words the 503 as what it is. */
  g_assert_nonnull (strstr (run.err, "control-tower: tier-validation: Odoo is temporarily "
                                     "unavailable"));
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--report=pending", "--format=json", "--server", url,
                             "--database", "ct", "--login", "admin", "--secret-env",
                             "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 3);
  {
    g_autoptr(JsonObject) report = parse_report (run.out);
    JsonArray *failed = json_object_get_array_member (report, "failed_sources");
    JsonObject *procurement = find_area (report, "procurement");

    g_assert_false (json_object_get_boolean_member (report, "complete"));
    g_assert_cmpuint (json_array_get_length (failed), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (failed, 0), ==, "tier-validation");
    g_assert_true (json_object_get_null_member (report, "total"));
    g_assert_false (json_object_get_boolean_member (procurement, "complete"));
    g_assert_true (json_object_get_null_member (procurement, "count"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (procurement, "cases")),
                      ==, 12);
  }
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--report=pending", "--format=csv", "--server", url,
                             "--database", "ct", "--login", "admin", "--secret-env",
                             "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_true (g_str_has_prefix (run.out, "# incomplete: failed_sources=tier-validation; "));
  g_assert_nonnull (strstr (run.out, "procurement"));
  g_assert_nonnull (strstr (run.out, "\r\narea,key,reference,"));
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--report=metrics", "--server", url, "--database", "ct",
                             "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.out, "unknown"));
  ct_test_run_clear (&run);

  /* Nothing readable at all: no report, exit 1. */
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (sim),
                                      "http503@/json/2/purchase.order;http503@/json/2/ir.cron;"
                                      "http503@/json/2/mail.activity;"
                                      "http503@/json/2/approval.request;"
                                      "http503@/json/2/approval.approver;"
                                      "http503@/json/2/ir.model;http503@/json/2/queue.job",
                                      NULL));
  ct_test_run_control_tower (&run, env, "--report=pending", "--server", url, "--database", "ct",
                             "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  ct_test_run_clear (&run);

  ct_sim_faults_clear (ct_sim_server_get_faults (sim));
  ct_sim_server_stop (sim);
}

static void
test_demo (void)
{
  g_autoptr(JsonObject) report = NULL;
  JsonArray *areas;
  gint64 sum = 0;
  Run run = { 0 };
  CtSimOptions options = { .seed = 1, .n_cases = 2000 };
  g_autoptr(CtSimServer) probe = ct_sim_server_new (&options, NULL);

  /* The generated distributor is built in another branch; until it is
   * merged its database has no users, and --demo cannot sign in. */
  if (probe == NULL || ct_sim_server_get_api_key (probe, "admin") == NULL)
    {
      g_test_skip ("the generated distributor dataset is not in this build");
      return;
    }

  /* The embedded simulator's generated distributor, area by area. */
  ct_test_run_control_tower (&run, NULL, "--demo", "--report=pending", "--format=json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  report = parse_report (run.out);
  areas = json_object_get_array_member (report, "areas");
  g_assert_cmpuint (json_array_get_length (areas), >=, 7);
  for (guint i = 0; i < json_array_get_length (areas); i++)
    sum += json_object_get_int_member (json_array_get_object_element (areas, i), "count");
  g_assert_cmpint (sum, ==, json_object_get_int_member (report, "total"));
  g_assert_cmpint (sum, >, 0);
  ct_test_run_clear (&run);
}

/* Runs the pending report as @login in @format; demo has no API key on the
 * recorded server, so it signs in with its password. */
static void
run_report_as (Run         *run,
               CtSimServer *sim,
               const char  *login,
               const char  *format)
{
  g_autofree char *url = ct_sim_server_dup_url (sim);
  const char *key = ct_sim_server_get_api_key (sim, login);
  const char *secret = key != NULL ? key : ct_sim_server_get_password (sim, login);
  const char *env[] = { "CT_TEST_ODOO_KEY", secret, NULL };

  g_assert_nonnull (secret);
  ct_test_run_control_tower (run, env, "--report=pending", format, "--server", url,
                             "--database", ct_sim_server_get_database (sim), "--login", login, "--secret-env",
                             "CT_TEST_ODOO_KEY", key != NULL ? NULL : "--password", NULL);
  assert_no_secret (run, secret);
}

/* The requirement of @source on case @key of the procurement area. */
static JsonObject *
find_requirement (JsonObject *report,
                  const char *key,
                  const char *source)
{
  JsonObject *area = find_area (report, "procurement");
  JsonArray *cases;

  g_assert_nonnull (area);
  cases = json_object_get_array_member (area, "cases");
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonArray *reqs;

      if (g_strcmp0 (json_object_get_string_member (c, "key"), key) != 0)
        continue;
      reqs = json_object_get_array_member (c, "requirements");
      for (guint j = 0; j < json_array_get_length (reqs); j++)
        {
          JsonObject *r = json_array_get_object_element (reqs, j);

          if (g_strcmp0 (json_object_get_string_member (r, "source"), source) == 0)
            return r;
        }
    }
  return NULL;
}

static const char *
actor_of (JsonObject *report,
          const char *key,
          const char *source)
{
  JsonObject *r = find_requirement (report, key, source);

  g_assert_nonnull (r);
  return json_object_get_string_member (r, "actor");
}

static void
test_pending_per_user (void)
{
  g_autoptr(CtSimServer) sim = start_recorded_sim ();
  Run run = { 0 };

  /* The purchase user reviews orders 110 and 111; the second validation
   * waits for a manager. */
  run_report_as (&run, sim, "purchaser", "--format=json");
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) report = parse_report (run.out);

    g_assert_cmpstr (actor_of (report, "purchase.order:110", "tier-validation"), ==, "you");
    g_assert_cmpstr (actor_of (report, "purchase.order:111", "tier-validation"), ==, "you");
    g_assert_cmpstr (actor_of (report, "purchase.order:110", "purchase-double-validation"), ==,
                     "someone-else");
  }
  ct_test_run_clear (&run);

  /* Without purchase rights: in words what it cannot see and why, and the
   * areas those mechanisms feed as not visible rather than 0. */
  run_report_as (&run, sim, "noright", "--format=table");
  g_test_message ("noright: %s\n%s", run.out, run.err);
  g_assert_nonnull (strstr (run.out, "purchase-double-validation is not visible to you: Odoo lets "
                                     "only these groups read purchase.order: "));
  g_assert_nonnull (strstr (run.out, "Purchase/User"));
  /* Scheduled actions are incidents: --report=incidents says so. */
  g_assert_null (strstr (run.out, "cron is not visible to you"));
  g_assert_null (strstr (run.out, "Procurement (0)\n"));
  /* Tier validation is readable (tier.review), the orders it reviews are
   * not (403): the areas read "not visible" with the right that would
   * show them, the report is not a failure. */
  g_assert_nonnull (strstr (run.out, "tier-validation cannot show you purchase.order records: "
                                     "Odoo lets only these groups read purchase.order: "));
  g_assert_nonnull (strstr (run.out, "\nProcurement (not visible to you)\n"));
  g_assert_nonnull (strstr (run.out, "\nSales (not visible to you)\n"));
  g_assert_null (strstr (run.out, "unknown"));
  g_assert_cmpint (run.status, ==, 0);
  ct_test_run_clear (&run);

  run_report_as (&run, sim, "noright", "--format=json");
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) report = parse_report (run.out);
    JsonObject *procurement = find_area (report, "procurement");
    JsonArray *hidden = json_object_get_array_member (report, "not_visible");
    gboolean said = FALSE;

    g_assert_cmpstr (json_object_get_string_member (procurement, "visibility"), ==,
                     "not-visible");
    g_assert_true (json_object_get_null_member (procurement, "count"));
    g_assert_true (json_object_get_null_member (report, "total"));
    g_assert_cmpstr (json_object_get_string_member (find_area (report, "credit"), "visibility"),
                     ==, "visible");
    for (guint i = 0; i < json_array_get_length (hidden); i++)
      said |= g_str_has_prefix (json_array_get_string_element (hidden, i),
                                "tier-validation cannot show you purchase.order records");
    g_assert_true (said);
  }
  ct_test_run_clear (&run);

  run_report_as (&run, sim, "noright", "--format=csv");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "# not-visible: areas=inventory invoices procurement "
                                            "returns sales\r\n"));
  g_assert_nonnull (strstr (run.out, "\r\n# tier-validation cannot show you purchase.order "
                                     "records: "));
  g_assert_nonnull (strstr (run.out, "\r\narea,key,reference,"));
  ct_test_run_clear (&run);

  /* Metrics: the areas noright may not read are not counted as empty. */
  {
    g_autofree char *url = ct_sim_server_dup_url (sim);
    const char *env[] = { "CT_TEST_ODOO_KEY", ct_sim_server_get_api_key (sim, "noright"), NULL };

    ct_test_run_control_tower (&run, env, "--report=metrics", "--server", url, "--database", "ct",
                               "--login", "noright", "--secret-env", "CT_TEST_ODOO_KEY", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "\nProcurement                 hidden    hidden  "));
    g_assert_null (strstr (run.out, "\nProcurement                      0"));
    ct_test_run_clear (&run);
  }

  /* The purchase user sees the orders, not the sales orders. */
  run_report_as (&run, sim, "purchaser", "--format=json");
  {
    g_autoptr(JsonObject) report = parse_report (run.out);
    JsonObject *procurement = find_area (report, "procurement");

    g_assert_cmpstr (json_object_get_string_member (procurement, "visibility"), ==, "visible");
    g_assert_cmpint (json_object_get_int_member (procurement, "count"), ==, 12);
    g_assert_cmpstr (json_object_get_string_member (find_area (report, "sales"), "visibility"),
                     ==, "not-visible");
  }
  ct_test_run_clear (&run);
  run_report_as (&run, sim, "purchaser", "--format=table");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\nProcurement (12)\n"));
  g_assert_nonnull (strstr (run.out, "\nSales (not visible to you)\n"));
  g_assert_nonnull (strstr (run.out, "Paula Purchaser (tier-validation, you)"));
  g_assert_nonnull (strstr (run.out, "Purchase managers (purchase-double-validation, someone else)"));
  ct_test_run_clear (&run);
  run_report_as (&run, sim, "purchaser", "--format=csv");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "# not-visible: areas=inventory invoices returns "
                                            "sales\r\n"));
  g_assert_nonnull (strstr (run.out, "\r\nprocurement,purchase.order:110,P00110,TIER-003,"));
  g_assert_nonnull (strstr (run.out, ",\"Paula Purchaser (tier-validation, you); Purchase "
                                     "managers (purchase-double-validation, someone else)\"\r\n"));
  ct_test_run_clear (&run);

  run_report_as (&run, sim, "admin", "--format=json");
  {
    g_autoptr(JsonObject) report = parse_report (run.out);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (actor_of (report, "purchase.order:110", "purchase-double-validation"), ==,
                     "you");
  }
  ct_test_run_clear (&run);

  /* demo reads purchase orders but may not approve them. */
  run_report_as (&run, sim, "demo", "--format=json");
  g_test_message ("demo: %s\n%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) report = parse_report (run.out);

    g_assert_cmpstr (actor_of (report, "purchase.order:110", "purchase-double-validation"), ==,
                     "someone-else");
  }
  ct_test_run_clear (&run);
  ct_sim_server_stop (sim);
}

/* How many open requirements of @source in @report are marked @actor. */
static guint
count_actor (JsonObject *report,
             const char *source,
             const char *actor)
{
  JsonArray *areas = json_object_get_array_member (report, "areas");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (areas); i++)
    {
      JsonArray *cases = json_object_get_array_member (json_array_get_object_element (areas, i),
                                                       "cases");

      for (guint j = 0; j < json_array_get_length (cases); j++)
        {
          JsonArray *reqs = json_object_get_array_member (json_array_get_object_element (cases, j),
                                                          "requirements");

          for (guint k = 0; k < json_array_get_length (reqs); k++)
            {
              JsonObject *r = json_array_get_object_element (reqs, k);

              if (g_strcmp0 (json_object_get_string_member (r, "source"), source) == 0 &&
                  g_strcmp0 (json_object_get_string_member (r, "state"), "pending") == 0 &&
                  g_strcmp0 (json_object_get_string_member (r, "actor"), actor) == 0)
                n++;
            }
        }
    }
  return n;
}

/* The generated distributor's five users: managers may give the second
 * validation, a requester waits for them, a user without rights is told
 * what it cannot see. */
static void
test_pending_generated_users (void)
{
  CtSimOptions options = { .seed = 1, .n_cases = 200 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSimServer) sim = ct_sim_server_new (&options, &error);
  static const char *const users[] = { "admin", "manager", "approver", "requester", "noright" };

  if (sim == NULL || ct_sim_server_get_api_key (sim, "admin") == NULL)
    {
      g_test_skip ("the generated distributor dataset is not in this build");
      return;
    }
  if (!ct_sim_server_start (sim, &error))
    g_error ("ct-sim did not start: %s", error->message);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autoptr(JsonObject) report = NULL;
      Run run = { 0 };

      run_report_as (&run, sim, users[i], "--format=json");
      g_test_message ("%s: status %d\n%s", users[i], run.status, run.err);
      report = parse_report (run.out);
      if (i < 3)
        {
          /* Purchase managers give the second validation themselves. */
          g_assert_cmpint (run.status, ==, 0);
          g_assert_cmpuint (count_actor (report, "purchase-double-validation", "you"), >, 0);
          g_assert_cmpuint (count_actor (report, "purchase-double-validation", "someone-else"),
                            ==, 0);
        }
      else if (i == 3)
        {
          g_assert_cmpuint (count_actor (report, "purchase-double-validation", "you"), ==, 0);
          g_assert_cmpuint (count_actor (report, "purchase-double-validation", "someone-else"),
                            >, 0);
        }
      ct_test_run_clear (&run);
    }
  ct_sim_server_stop (sim);
}

/* --report=incidents: each failed n8n workflow once, with the message n8n
 * recorded, the node that failed, how many failures, the first and the last;
 * as a user without purchase rights too (n8n does not ask Odoo). */
static void
test_incidents (void)
{
  g_autoptr(CtSimServer) sim = start_recorded_sim ();
  g_autofree char *url = ct_sim_server_dup_url (sim);
  const char *key = ct_sim_server_get_api_key (sim, "noright");
  const char *n8n_key = ct_sim_server_get_n8n_api_key (sim);
  const char *env[] = { "CT_TEST_ODOO_KEY", key, "CT_TEST_N8N_KEY", n8n_key, NULL };
  const char *line;
  Run run = { 0 };

  ct_test_run_control_tower (&run, env, "--report=incidents", "--server", url, "--database", "ct",
                             "--login", "noright", "--secret-env", "CT_TEST_ODOO_KEY",
                             "--n8n-url", url, "--n8n-key-env", "CT_TEST_N8N_KEY", NULL);
  g_test_message ("%s\n%s", run.out, run.err);
  /* What noright may not see is said, not a failure: the scheduled
   * actions need Administrator (ir.cron), the approvals are not this
   * report's business. */
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "cron is not visible to you: Odoo lets only these "
                                            "groups read ir.cron: "));
  g_assert_null (strstr (run.out, "purchase.order"));
  line = strstr (run.out, "Workflow run failed         Credit check (fails)  ");
  g_assert_nonnull (line);
  /* Runs 1–5 failed: five, from the first to the last (041). */
  g_assert_true (g_str_has_prefix (strstr (line, "  5  "), "  5      2026-11-26T15:36:28Z  "
                                                          "2026-11-26T15:36:33Z\n"
                                   "    Failed in “Call credit bureau”: credit bureau timeout "
                                   "[line 2]\n"));
  g_assert_nonnull (strstr (run.out, "    Failed in “Push to warehouse API”: The resource you are "
                                     "requesting could not be found (The requested webhook "));
  /* Three workflows failed, each said once. */
  g_assert_nonnull (strstr (run.out, "\n3 incidents\n"));
  assert_no_secret (&run, n8n_key);
  assert_no_secret (&run, key);
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--report=incidents", "--format=json", "--server", url,
                             "--database", "ct", "--login", "noright", "--secret-env",
                             "CT_TEST_ODOO_KEY", "--n8n-url", url, "--n8n-key-env",
                             "CT_TEST_N8N_KEY", NULL);
  {
    g_autoptr(JsonObject) report = parse_report (run.out);
    JsonArray *incidents = json_object_get_array_member (report, "incidents");
    JsonObject *credit = NULL;

    g_assert_cmpuint (json_array_get_length (incidents), ==, 3);
    for (guint i = 0; i < json_array_get_length (incidents); i++)
      {
        JsonObject *incident = json_array_get_object_element (incidents, i);

        if (g_strcmp0 (json_object_get_string_member (incident, "key"), "n8n.execution:5") == 0)
          credit = incident;
      }
    g_assert_nonnull (credit);
    g_assert_cmpstr (json_object_get_string_member (credit, "detail"), ==,
                     "credit bureau timeout [line 2]");
    g_assert_cmpstr (json_object_get_string_member (credit, "failed_node"), ==,
                     "Call credit bureau");
    g_assert_cmpint (json_object_get_int_member (credit, "failures"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (credit, "attempts"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (credit, "first_failed_at"), ==,
                     "2026-11-26T15:36:28Z");
    g_assert_cmpstr (json_object_get_string_member (credit, "last_failed_at"), ==,
                     "2026-11-26T15:36:33Z");
  }
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--report=incidents", "--format=csv", "--server", url,
                             "--database", "ct", "--login", "noright", "--secret-env",
                             "CT_TEST_ODOO_KEY", "--n8n-url", url, "--n8n-key-env",
                             "CT_TEST_N8N_KEY", NULL);
  g_assert_nonnull (strstr (run.out, "n8n-error,n8n.execution:5,Workflow run failed — Credit check "
                                     "(fails),credit bureau timeout [line 2],,2026-11-26T15:36:28Z,"
                                     "Call credit bureau,5,1,error,2026-11-26T15:36:28Z,"
                                     "2026-11-26T15:36:33Z\r\n"));
  ct_test_run_clear (&run);
  ct_sim_server_stop (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/cli/report/pending-json", test_pending_json);
  g_test_add_func ("/ct/cli/report/formats-and-stats", test_formats_and_stats);
  g_test_add_func ("/ct/cli/report/failures", test_failures);
  g_test_add_func ("/ct/cli/report/partial", test_partial);
  g_test_add_func ("/ct/cli/report/demo", test_demo);
  g_test_add_func ("/ct/cli/report/pending-per-user", test_pending_per_user);
  g_test_add_func ("/ct/cli/report/pending-generated-users", test_pending_generated_users);
  g_test_add_func ("/ct/cli/report/incidents", test_incidents);

  return g_test_run ();
}
