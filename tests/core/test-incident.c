/* test-incident.c - Incidents from recorded n8n and Odoo answers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-incident"

#include "config.h"

#include "../ct-test-protocol.h"

#include <string.h>

#include "ct-incident.h"

/* The body of a recorded answer: n8n files put it after a line "<", Odoo
 * files after the blank line that ends the response headers. */
static JsonNode *
load_recorded (const char *relpath)
{
  const char *dir = g_getenv ("CT_PROTOCOL_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : PROTOCOL_DIR, relpath, NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *body;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  if ((body = strstr (text, "### RESPONSE")) != NULL)
    body = strstr (body, "\n\n") + 2;
  else
    body = strstr (text, "\n<\n") + 3;
  g_assert_true (json_parser_load_from_data (parser, body, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static gint64
at (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static CtIncidentThresholds
thresholds (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();

  return *ct_profile_get_incident_thresholds (p);
}

static void
test_n8n_list (void)
{
  g_autoptr(JsonNode) root =
    load_recorded ("n8n-1.123/123-api-executions-list-default-after-restart.txt");
  JsonArray *data = json_object_get_array_member (json_node_get_object (root), "data");
  CtIncidentThresholds t = thresholds ();
  guint errors = 0, crashed = 0;

  g_assert_cmpuint (json_array_get_length (data), ==, 10);
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      g_autoptr(CtCase) c = ct_incident_from_n8n_execution (json_array_get_object_element (data, i),
                                                            "Credit check", &t,
                                                            at ("2026-11-26T16:00:00Z"));
      if (c == NULL)
        continue;
      g_assert_cmpint (c->kind, ==, CT_CASE_KIND_INCIDENT);
      g_assert_true (g_str_has_prefix (c->key, "n8n.execution:"));
      g_assert_cmpint (c->requested_at, >, at ("2026-11-26T15:00:00Z"));
      g_assert_true (g_str_has_suffix (c->title, "— Credit check"));
      if (c->incident_kind == CT_INCIDENT_N8N_ERROR)
        errors++;
      else if (c->incident_kind == CT_INCIDENT_N8N_CRASHED)
        crashed++;
      else
        g_assert_not_reached ();
    }
  /* The recording holds 3 failed runs, 1 crashed and 6 successful ones. */
  g_assert_cmpuint (errors, ==, 3);
  g_assert_cmpuint (crashed, ==, 1);
}

static void
test_n8n_crashed (void)
{
  g_autoptr(JsonNode) root = load_recorded ("n8n-1.123/120-api-execution-get-crashed.txt");
  CtIncidentThresholds t = thresholds ();
  g_autoptr(CtCase) c = ct_incident_from_n8n_execution (json_node_get_object (root), NULL, &t,
                                                        at ("2026-11-26T16:00:00Z"));

  g_assert_nonnull (c);
  g_assert_cmpstr (c->key, ==, "n8n.execution:29");
  g_assert_cmpint (c->incident_kind, ==, CT_INCIDENT_N8N_CRASHED);
  g_assert_cmpstr (c->title, ==, "Workflow run crashed — y7d4YRgWKHzCIbd1");
  /* customData is {} there: nothing to link. */
  g_assert_cmpuint (c->linked_keys->len, ==, 0);
}

static void
test_n8n_running_and_waiting (void)
{
  g_autoptr(JsonNode) running = load_recorded ("n8n-1.123/102-api-execution-get-running.txt");
  g_autoptr(JsonNode) waiting =
    load_recorded ("n8n-1.123/044-api-execution-get-waiting-includeData.txt");
  CtIncidentThresholds t = thresholds ();
  JsonObject *r = json_node_get_object (running), *w = json_node_get_object (waiting);
  g_autoptr(CtCase) early =
    ct_incident_from_n8n_execution (r, NULL, &t, at ("2026-11-26T15:50:00Z"));
  g_autoptr(CtCase) late =
    ct_incident_from_n8n_execution (r, NULL, &t, at ("2026-11-26T16:10:03Z"));
  g_autoptr(CtCase) w_early =
    ct_incident_from_n8n_execution (w, NULL, &t, at ("2026-11-26T19:30:00Z"));
  g_autoptr(CtCase) w_late =
    ct_incident_from_n8n_execution (w, NULL, &t, at ("2026-11-26T19:37:00Z"));

  /* Started 15:40:02: 30 min allowed. */
  g_assert_null (early);
  g_assert_nonnull (late);
  g_assert_cmpint (late->incident_kind, ==, CT_INCIDENT_N8N_RUNNING_TOO_LONG);
  g_assert_cmpint (late->requested_at, ==, at ("2026-11-26T15:40:02Z"));
  /* Waiting since 15:36:35: 4 h allowed. */
  g_assert_null (w_early);
  g_assert_nonnull (w_late);
  g_assert_cmpint (w_late->incident_kind, ==, CT_INCIDENT_N8N_WAITING_TOO_LONG);
}

static void
test_n8n_links (void)
{
  g_autoptr(JsonNode) root = load_recorded ("n8n-1.123/120-api-execution-get-crashed.txt");
  JsonObject *ex = json_node_get_object (root);
  CtIncidentThresholds t = thresholds ();
  JsonObject *custom = json_object_new ();
  g_autoptr(CtCase) a = NULL;
  g_autoptr(CtCase) b = NULL;

  json_object_set_string_member (custom, "caseKey", "sale.order:42");
  json_object_set_object_member (ex, "customData", custom);
  a = ct_incident_from_n8n_execution (ex, NULL, &t, at ("2026-11-26T16:00:00Z"));
  g_assert_cmpuint (a->linked_keys->len, ==, 1);
  g_assert_cmpstr (a->linked_keys->pdata[0], ==, "sale.order:42");

  custom = json_object_new ();
  json_object_set_string_member (custom, "model", "purchase.order");
  json_object_set_string_member (custom, "recordId", "13");  /* customData values are strings */
  json_object_set_object_member (ex, "customData", custom);
  b = ct_incident_from_n8n_execution (ex, NULL, &t, at ("2026-11-26T16:00:00Z"));
  g_assert_cmpstr (b->linked_keys->pdata[0], ==, "purchase.order:13");
}

static void
test_n8n_malformed (void)
{
  CtIncidentThresholds t = thresholds ();
  const char *bad[] = {
    "{}",
    "{\"id\": \"abc\", \"status\": \"error\"}",
    "{\"id\": null, \"status\": \"error\"}",
    "{\"id\": 5, \"status\": 7}",
    "{\"id\": 5}",
    "{\"id\": 5, \"status\": \"running\", \"startedAt\": \"yesterday\"}",
    "{\"id\": 5, \"status\": \"success\", \"startedAt\": \"2026-11-26T15:00:00Z\"}",
    "{\"id\": [1], \"status\": \"error\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(CtCase) c = NULL;

      g_assert_true (json_parser_load_from_data (parser, bad[i], -1, NULL));
      c = ct_incident_from_n8n_execution (json_node_get_object (json_parser_get_root (parser)),
                                          NULL, &t, at ("2026-11-27T16:00:00Z"));
      g_assert_null (c);
    }
  g_assert_null (ct_incident_from_n8n_execution (NULL, NULL, &t, 0));
  {
    /* A numeric id, as some answers give it, is fine. */
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(CtCase) c = NULL;

    json_parser_load_from_data (parser, "{\"id\": 77, \"status\": \"error\", \"workflowId\": "
                                "\"<b>x</b>\"}", -1, NULL);
    c = ct_incident_from_n8n_execution (json_node_get_object (json_parser_get_root (parser)),
                                        NULL, &t, 0);
    g_assert_cmpstr (c->key, ==, "n8n.execution:77");
    /* Markup from the server stays text; escaping is the view's job. */
    g_assert_cmpstr (c->title, ==, "Workflow run failed — <b>x</b>");
  }
}

static void
test_crons (void)
{
  g_autoptr(JsonNode) root = load_recorded ("odoo-19/05-search_read-ir.cron.txt");
  JsonArray *crons = json_object_get_array_member (json_node_get_object (root), "result");
  CtIncidentThresholds t = thresholds ();
  guint n_at_recording = 0, n_later = 0;
  CtCase *overdue = NULL;

  g_assert_cmpuint (json_array_get_length (crons), ==, 5);
  for (guint i = 0; i < json_array_get_length (crons); i++)
    {
      JsonObject *cron = json_array_get_object_element (crons, i);
      g_autoptr(CtCase) a = ct_incident_from_cron (cron, &t, at ("2026-11-26T15:24:57Z"));
      g_autoptr(CtCase) b = ct_incident_from_cron (cron, &t, at ("2026-11-26T16:30:00Z"));
      CtCase *c = ct_incident_from_cron (cron, &t, at ("2026-11-26T16:32:00Z"));

      n_at_recording += a != NULL;
      n_later += b != NULL;
      if (c != NULL)
        {
          g_assert_null (overdue);
          overdue = c;
        }
    }
  /* Healthy when recorded; the mail queue (next call 16:16:49) is overdue
   * once the 15 min grace has passed, not before. */
  g_assert_cmpuint (n_at_recording, ==, 0);
  g_assert_cmpuint (n_later, ==, 0);
  g_assert_nonnull (overdue);
  g_assert_cmpstr (overdue->key, ==, "ir.cron:3");
  g_assert_cmpint (overdue->incident_kind, ==, CT_INCIDENT_CRON_OVERDUE);
  g_assert_cmpstr (overdue->title, ==, "Scheduled action is overdue — Mail: Email Queue Manager");
  g_assert_cmpstr (overdue->branch, ==, "Outgoing Mails");
  g_object_unref (overdue);

  {
    JsonObject *cron = json_array_get_object_element (crons, 0);
    g_autoptr(CtCase) failing = NULL;
    g_autoptr(CtCase) off = NULL;

    json_object_set_int_member (cron, "failure_count", 3);
    json_object_set_string_member (cron, "first_failure_date", "2026-11-25 09:00:00");
    failing = ct_incident_from_cron (cron, &t, at ("2026-11-26T15:24:57Z"));
    g_assert_cmpint (failing->incident_kind, ==, CT_INCIDENT_CRON_FAILING);
    g_assert_cmpstr (failing->detail, ==, "3 failures in a row");
    g_assert_cmpint (failing->requested_at, ==, at ("2026-11-25T09:00:00Z"));
    json_object_set_boolean_member (cron, "active", FALSE);
    off = ct_incident_from_cron (cron, &t, at ("2026-11-26T15:24:57Z"));
    g_assert_cmpint (off->incident_kind, ==, CT_INCIDENT_CRON_DEACTIVATED);
  }
}

static void
test_queue_jobs (void)
{
  CtIncidentThresholds t = thresholds ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *jobs;
  g_autoptr(CtCase) failed = NULL;
  g_autoptr(CtCase) stuck = NULL;
  g_autoptr(CtCase) fine = NULL;
  g_autoptr(CtCase) done = NULL;

  g_assert_true (json_parser_load_from_data (parser,
    "[{\"id\": 9, \"name\": \"Send invoice to carrier\", \"state\": \"failed\","
    "  \"date_started\": \"2026-11-26 10:00:00\", \"model_name\": \"account.move\","
    "  \"record_ids\": [31, 32],"
    "  \"exc_info\": \"Traceback (most recent call last):\\n  File \\\"x.py\\\"\\n"
    "requests.exceptions.ConnectTimeout: carrier API timed out\\n\"},"
    " {\"id\": 10, \"name\": \"Sync stock\", \"state\": \"started\","
    "  \"date_started\": \"2026-11-26 10:00:00\", \"model_name\": \"stock.picking\","
    "  \"record_ids\": [5]},"
    " {\"id\": 11, \"name\": \"Sync stock\", \"state\": \"started\","
    "  \"date_started\": \"2026-11-26 10:30:00\"},"
    " {\"id\": 12, \"name\": \"Old\", \"state\": \"done\", \"date_started\": false}]", -1, NULL));
  jobs = json_node_get_array (json_parser_get_root (parser));

  failed = ct_incident_from_queue_job (json_array_get_object_element (jobs, 0), &t,
                                       at ("2026-11-26T11:15:00Z"));
  stuck = ct_incident_from_queue_job (json_array_get_object_element (jobs, 1), &t,
                                      at ("2026-11-26T11:15:00Z"));
  fine = ct_incident_from_queue_job (json_array_get_object_element (jobs, 2), &t,
                                     at ("2026-11-26T11:15:00Z"));
  done = ct_incident_from_queue_job (json_array_get_object_element (jobs, 3), &t,
                                     at ("2026-11-26T11:15:00Z"));

  g_assert_cmpint (failed->incident_kind, ==, CT_INCIDENT_QUEUE_JOB_FAILED);
  g_assert_cmpstr (failed->detail, ==, "requests.exceptions.ConnectTimeout: carrier API timed out");
  g_assert_cmpuint (failed->linked_keys->len, ==, 2);
  g_assert_cmpstr (failed->linked_keys->pdata[1], ==, "account.move:32");
  g_assert_cmpint (stuck->incident_kind, ==, CT_INCIDENT_QUEUE_JOB_STUCK);
  g_assert_cmpstr (stuck->linked_keys->pdata[0], ==, "stock.picking:5");
  /* 45 minutes in, under the hour allowed. */
  g_assert_null (fine);
  g_assert_null (done);
}

static void
test_datetimes (void)
{
  g_autoptr(JsonNode) s = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) f = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (s, "2026-11-26 16:16:49");
  json_node_set_boolean (f, FALSE);
  g_assert_cmpint (ct_parse_odoo_datetime (s), ==, at ("2026-11-26T16:16:49Z"));
  g_assert_cmpint (ct_parse_odoo_datetime (f), ==, 0);
  g_assert_cmpint (ct_parse_odoo_datetime (NULL), ==, 0);
  json_node_set_string (s, "2026-13-45 99:00:00");
  g_assert_cmpint (ct_parse_odoo_datetime (s), ==, 0);
  g_assert_cmpint (ct_parse_iso8601 ("2026-11-26T15:36:38.584Z"), ==, at ("2026-11-26T15:36:38Z"));
  g_assert_cmpint (ct_parse_iso8601 ("not a date"), ==, 0);
  g_assert_cmpint (ct_parse_iso8601 (NULL), ==, 0);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ct_test_require_protocol_dir ();

  g_test_add_func ("/ct/core/incident/n8n-list", test_n8n_list);
  g_test_add_func ("/ct/core/incident/n8n-crashed", test_n8n_crashed);
  g_test_add_func ("/ct/core/incident/n8n-running-waiting", test_n8n_running_and_waiting);
  g_test_add_func ("/ct/core/incident/n8n-links", test_n8n_links);
  g_test_add_func ("/ct/core/incident/n8n-malformed", test_n8n_malformed);
  g_test_add_func ("/ct/core/incident/crons", test_crons);
  g_test_add_func ("/ct/core/incident/queue-jobs", test_queue_jobs);
  g_test_add_func ("/ct/core/incident/datetimes", test_datetimes);

  return g_test_run ();
}
