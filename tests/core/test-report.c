/* test-report.c - Rendering the reports: grouping, SLA states, hostile text, CSV and JSON shape
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-incident.h"
#include "ct-report.h"
#include "ct-sla.h"

/* Monday 2026-11-23 10:00 Brussels (09:00 UTC). */
#define MONDAY_10H 1795424400

static CtCase *
make_case (const char *model,
           gint64      id,
           const char *area,
           const char *title,
           gint64      requested_at)
{
  CtCase *c = ct_case_new (model, id);

  c->area_id = g_strdup (area);
  c->title = g_strdup (title);
  c->reference = g_strdup_printf ("REF%03" G_GINT64_FORMAT, id);
  c->requester = g_strdup ("Paula Purchaser");
  c->amount = 1234.5;
  c->currency = g_strdup ("EUR");
  c->requested_at = requested_at;
  c->status = CT_CASE_STATUS_PENDING;
  ct_case_add_requirement (c, CT_SOURCE_KIND_TIER_VALIDATION, "tier.review:1", 7,
                           "Paula Purchaser", CT_APPROVER_STATE_PENDING, 1);
  ct_case_update_search_text (c);
  return c;
}

static GPtrArray *
make_cases (CtProfile *profile,
            gint64     now)
{
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_object_unref);
  CtCase *decided, *incident;

  /* Procurement breaches after 16 business hours: requested the Monday
   * before at 10:00 it is breached by now; requested an hour ago it is on
   * track. */
  g_ptr_array_add (cases, make_case ("purchase.order", 1, "procurement", "Old order",
                                     now - 7 * 86400));
  g_ptr_array_add (cases, make_case ("purchase.order", 2, "procurement", "Fresh order",
                                     now - 3600));
  g_ptr_array_add (cases, make_case ("sale.order", 3, "sales",
                                     "=HYPERLINK(\"http://evil\") \x1b[31mred\x1b[0m,"
                                     " \"quoted\"\nnext",
                                     now - 3600));
  g_ptr_array_add (cases, make_case ("x.model", 4, NULL, "No area", now - 60));
  decided = make_case ("purchase.order", 5, "procurement", "Decided", now - 86400);
  decided->status = CT_CASE_STATUS_DECIDED;
  decided->decided_at = now - 60;
  g_ptr_array_add (cases, decided);
  incident = ct_case_new_incident (CT_INCIDENT_N8N_ERROR, "n8n.execution", 17);
  incident->title = g_strdup ("Credit check");
  incident->detail = g_strdup ("Bureau answered 503");
  ct_case_add_linked_key (incident, "sale.order:3");
  incident->requested_at = now - 600;
  g_ptr_array_add (cases, incident);
  ct_sla_update_all (profile, cases, now);
  return cases;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
test_pending_json (void)
{
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  g_autoptr(GPtrArray) cases = make_cases (profile, MONDAY_10H);
  g_autofree char *text = ct_report_render (CT_REPORT_PENDING, CT_REPORT_FORMAT_JSON, profile,
                                            cases, MONDAY_10H);
  g_autoptr(JsonNode) root = parse (text);
  JsonObject *obj = json_node_get_object (root);
  JsonArray *areas = json_object_get_array_member (obj, "areas");
  JsonObject *procurement = NULL;
  JsonArray *list;
  guint n_areas = ct_profile_get_n_areas (profile);

  g_assert_cmpstr (json_object_get_string_member (obj, "report"), ==, "pending");
  g_assert_cmpint (json_object_get_int_member (obj, "total"), ==, 4);
  /* Every area of the profile in its order, then the cases without one. */
  g_assert_cmpuint (json_array_get_length (areas), ==, n_areas + 1);
  for (guint i = 0; i < n_areas; i++)
    {
      JsonObject *area = json_array_get_object_element (areas, i);

      g_assert_cmpstr (json_object_get_string_member (area, "id"), ==,
                       ct_profile_get_area (profile, i)->id);
      if (g_strcmp0 (json_object_get_string_member (area, "id"), "procurement") == 0)
        procurement = area;
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (areas, n_areas),
                                                  "id"), ==, "unassigned");
  g_assert_nonnull (procurement);
  /* The decided order is no longer pending; the most urgent comes first. */
  g_assert_cmpint (json_object_get_int_member (procurement, "count"), ==, 2);
  list = json_object_get_array_member (procurement, "cases");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "key"),
                   ==, "purchase.order:1");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_array_get_object_element (list, 0), "sla"),
                     "state"), ==, "breached");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_array_get_object_element (list, 1), "sla"),
                     "state"), ==, "on-track");
  /* Hostile text is still the same text once parsed back. */
  g_assert_nonnull (strstr (text, "HYPERLINK"));
}

static void
test_breaches_and_incidents (void)
{
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  g_autoptr(GPtrArray) cases = make_cases (profile, MONDAY_10H);
  g_autofree char *breaches = ct_report_render (CT_REPORT_BREACHES, CT_REPORT_FORMAT_JSON, profile,
                                                cases, MONDAY_10H);
  g_autofree char *incidents = ct_report_render (CT_REPORT_INCIDENTS, CT_REPORT_FORMAT_JSON,
                                                 profile, cases, MONDAY_10H);
  g_autofree char *table = ct_report_render (CT_REPORT_INCIDENTS, CT_REPORT_FORMAT_TABLE, profile,
                                             cases, MONDAY_10H);
  g_autoptr(JsonNode) b = parse (breaches);
  g_autoptr(JsonNode) i = parse (incidents);
  JsonArray *list;

  g_assert_cmpint (json_object_get_int_member (json_node_get_object (b), "total"), ==, 1);
  g_assert_nonnull (strstr (breaches, "purchase.order:1"));
  g_assert_null (strstr (breaches, "purchase.order:2"));

  list = json_object_get_array_member (json_node_get_object (i), "incidents");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_nonnull (strstr (table, "Credit check"));
  g_assert_nonnull (strstr (table, "sale.order:3"));
}

static void
test_csv_and_table_are_safe (void)
{
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  g_autoptr(GPtrArray) cases = make_cases (profile, MONDAY_10H);
  g_autofree char *csv = ct_report_render (CT_REPORT_PENDING, CT_REPORT_FORMAT_CSV, profile, cases,
                                           MONDAY_10H);
  g_autofree char *table = ct_report_render (CT_REPORT_PENDING, CT_REPORT_FORMAT_TABLE, profile,
                                             cases, MONDAY_10H);
  g_auto(GStrv) rows = g_strsplit (csv, "\r\n", -1);
  guint n_rows = g_strv_length (rows);

  /* Header, four cases, the empty string after the last CRLF. */
  g_assert_cmpuint (n_rows, ==, 6);
  g_assert_true (g_str_has_prefix (rows[0], "area,key,reference,"));
  /* No escape character and no raw newline inside a row. */
  g_assert_null (strchr (csv, '\x1b'));
  g_assert_null (strchr (table, '\x1b'));
  for (guint r = 0; r < n_rows; r++)
    g_assert_null (strchr (rows[r], '\n'));
  /* A formula is quoted so a spreadsheet shows it as text; quotes doubled. */
  g_assert_nonnull (strstr (csv, "\"'=HYPERLINK(\"\"http://evil\"\")"));
  g_assert_nonnull (strstr (table, "Procurement (2)"));
  g_assert_nonnull (strstr (table, "Without an area (1)"));
}

static void
test_metrics (void)
{
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  g_autoptr(GPtrArray) cases = make_cases (profile, MONDAY_10H);
  g_autofree char *json = ct_report_render (CT_REPORT_METRICS, CT_REPORT_FORMAT_JSON, profile,
                                            cases, MONDAY_10H);
  g_autofree char *table = ct_report_render (CT_REPORT_METRICS, CT_REPORT_FORMAT_TABLE, profile,
                                             cases, MONDAY_10H);
  g_autofree char *csv = ct_report_render (CT_REPORT_METRICS, CT_REPORT_FORMAT_CSV, profile, cases,
                                           MONDAY_10H);
  g_autoptr(JsonNode) root = parse (json);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_assert_nonnull (strstr (table, "Procurement"));
  g_assert_nonnull (strstr (table, "1 incident"));
  g_assert_true (g_str_has_prefix (csv, "group,id,label,pending,"));
}

/* Approval activities and n8n could not be read: the report says so in
 * each format, and the areas activities feed are unknown, never 0. */
static void
test_partial (void)
{
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  g_autoptr(GPtrArray) cases = make_cases (profile, MONDAY_10H);
  g_autoptr(CtReportGaps) gaps = ct_report_gaps_new ();
  g_autofree char *complete = NULL;
  g_autofree char *json = NULL;
  g_autofree char *table = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *incidents = NULL;
  g_autofree char *metrics = NULL;
  g_autofree char *metrics_table = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) metrics_root = NULL;
  JsonObject *obj;
  JsonArray *areas;
  gboolean some_unknown = FALSE, some_known = FALSE;

  /* Without gaps: complete, and says it. */
  complete = ct_report_render_partial (CT_REPORT_PENDING, CT_REPORT_FORMAT_JSON, profile, cases,
                                       gaps, MONDAY_10H);
  root = parse (complete);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "complete"));
  g_clear_pointer (&root, json_node_unref);

  ct_report_gaps_add (gaps, "approval-activities", CT_SOURCE_KIND_ACTIVITY);
  ct_report_gaps_add (gaps, "n8n", CT_SOURCE_KIND_N8N);
  json = ct_report_render_partial (CT_REPORT_PENDING, CT_REPORT_FORMAT_JSON, profile, cases, gaps,
                                   MONDAY_10H);
  root = parse (json);
  obj = json_node_get_object (root);
  g_assert_false (json_object_get_boolean_member (obj, "complete"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "failed_sources")),
                    ==, 2);
  g_assert_true (json_object_get_null_member (obj, "total"));
  areas = json_object_get_array_member (obj, "areas");
  for (guint i = 0; i < json_array_get_length (areas); i++)
    {
      JsonObject *area = json_array_get_object_element (areas, i);
      gboolean known = json_object_get_boolean_member (area, "complete");

      /* Known areas keep their count; unknown ones have none at all. */
      g_assert_cmpint (json_object_get_null_member (area, "count"), ==, !known);
      some_unknown = some_unknown || !known;
      some_known = some_known || known;
    }
  g_assert_true (some_unknown);
  g_assert_true (some_known);

  table = ct_report_render_partial (CT_REPORT_PENDING, CT_REPORT_FORMAT_TABLE, profile, cases,
                                    gaps, MONDAY_10H);
  g_assert_true (g_str_has_prefix (table, "INCOMPLETE: approval-activities, n8n could not be "
                                          "read"));
  /* The default profile's activities feed credit release: no case of it
   * was read, and it says unknown, not 0; procurement is not fed by them. */
  g_assert_nonnull (strstr (table, "\nCredit release (unknown)\n"));
  g_assert_null (strstr (table, "Credit release (0)"));
  g_assert_nonnull (strstr (table, "\nProcurement (2)\n"));

  csv = ct_report_render_partial (CT_REPORT_PENDING, CT_REPORT_FORMAT_CSV, profile, cases, gaps,
                                  MONDAY_10H);
  g_assert_true (g_str_has_prefix (csv, "# incomplete: failed_sources=approval-activities n8n; "
                                        "unknown_areas="));
  g_assert_nonnull (strstr (csv, "; incidents=unknown\r\narea,key,reference,"));

  incidents = ct_report_render_partial (CT_REPORT_INCIDENTS, CT_REPORT_FORMAT_TABLE, profile,
                                        cases, gaps, MONDAY_10H);
  g_assert_nonnull (strstr (incidents, "1 incident read; how many there are is unknown"));

  metrics = ct_report_render_partial (CT_REPORT_METRICS, CT_REPORT_FORMAT_JSON, profile, cases,
                                      gaps, MONDAY_10H);
  metrics_root = parse (metrics);
  obj = json_node_get_object (metrics_root);
  g_assert_false (json_object_get_boolean_member (obj, "complete"));
  g_assert_true (json_object_get_null_member (obj, "incidents"));
  g_assert_true (json_object_get_null_member (json_object_get_object_member (obj, "total"),
                                              "pending"));
  metrics_table = ct_report_render_partial (CT_REPORT_METRICS, CT_REPORT_FORMAT_TABLE, profile,
                                            cases, gaps, MONDAY_10H);
  g_assert_nonnull (strstr (metrics_table, "unknown"));
}

static void
test_names (void)
{
  CtReportKind kind;
  CtReportFormat format;

  g_assert_true (ct_report_kind_from_string ("breaches", &kind));
  g_assert_cmpint (kind, ==, CT_REPORT_BREACHES);
  g_assert_false (ct_report_kind_from_string ("everything", &kind));
  g_assert_false (ct_report_kind_from_string (NULL, &kind));
  g_assert_true (ct_report_format_from_string ("csv", &format));
  g_assert_cmpint (format, ==, CT_REPORT_FORMAT_CSV);
  g_assert_false (ct_report_format_from_string ("xml", &format));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/report/pending-json", test_pending_json);
  g_test_add_func ("/ct/core/report/breaches-and-incidents", test_breaches_and_incidents);
  g_test_add_func ("/ct/core/report/csv-and-table-are-safe", test_csv_and_table_are_safe);
  g_test_add_func ("/ct/core/report/metrics", test_metrics);
  g_test_add_func ("/ct/core/report/partial", test_partial);
  g_test_add_func ("/ct/core/report/names", test_names);

  return g_test_run ();
}
