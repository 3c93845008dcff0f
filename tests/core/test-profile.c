/* test-profile.c - The governance profile: default, overrides, bad files
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-profile"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ct-profile.h"

static void
test_default (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  static const char *areas[] = { "sales", "procurement", "inventory", "returns", "credit",
                                 "vendors", "invoices" };
  const CtArea *sales, *credit;
  const CtQueue *q;

  g_assert_cmpuint (ct_profile_get_n_areas (p), ==, G_N_ELEMENTS (areas));
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      const CtArea *a = ct_profile_get_area (p, i);

      g_assert_cmpstr (a->id, ==, areas[i]);
      g_assert_nonnull (a->label);
      g_assert_true (g_str_has_suffix (a->icon_name, "-symbolic"));
      g_assert_nonnull (a->calendar);
      g_assert_cmpuint (a->index, ==, i);
    }
  sales = ct_profile_find_area (p, "sales");
  g_assert_cmpint (sales->sla.window_seconds, ==, 8 * 3600);
  g_assert_cmpfloat_with_epsilon (sales->sla.warning_ratio, 0.75, 1e-9);
  g_assert_cmpuint (sales->sla.overrides->len, ==, 2);
  g_assert_cmpstr (ct_calendar_get_id (sales->calendar), ==, "office");
  g_assert_cmpstr (g_time_zone_get_identifier (ct_calendar_get_timezone (sales->calendar)), ==,
                   "Europe/Brussels");
  /* Two spans of 4 h on five days. */
  g_assert_cmpint (ct_calendar_get_weekly_seconds (sales->calendar), ==, 40 * 3600);
  g_assert_cmpstr (sales->escalation->id, ==, "standard");
  credit = ct_profile_find_area (p, "credit");
  g_assert_cmpstr (credit->escalation->id, ==, "finance");
  /* A case escalates because it is late: no chain starts before the
   * area's window ends, so escalations never outnumber breaches. */
  for (guint i = 0; i < ct_profile_get_n_areas (p); i++)
    {
      const CtArea *a = ct_profile_get_area (p, i);
      const CtEscalationLevel *first = a->escalation ? a->escalation->levels->pdata[0] : NULL;

      if (first != NULL)
        g_assert_cmpint (first->after_seconds, >=, a->sla.window_seconds);
    }
  g_assert_null (ct_profile_find_area (p, "nope"));

  q = ct_profile_find_queue (p, "purchase-double");
  g_assert_nonnull (q);
  g_assert_cmpint (q->kind, ==, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION);
  g_assert_cmpstr (q->model, ==, "purchase.order");
  g_assert_cmpstr (q->domain_json, ==, "[[\"state\",\"=\",\"to approve\"]]");
  g_assert_cmpstr (q->fields.amount, ==, "amount_total");
  q = ct_profile_find_queue (p, "activities");
  g_assert_cmpint (q->kind, ==, CT_SOURCE_KIND_ACTIVITY);
  g_assert_cmpstr (q->activity_types[0], ==, "mail.mail_activity_data_todo");

  g_assert_cmpfloat (ct_profile_get_confirm_amount (p), ==, 10000);
  g_assert_true (ct_profile_needs_confirmation (p, 10000));
  g_assert_false (ct_profile_needs_confirmation (p, 9999.99));
  g_assert_cmpint (ct_profile_get_incident_thresholds (p)->n8n_running_seconds, ==, 30 * 60);
  g_assert_cmpint (ct_profile_get_incident_thresholds (p)->cron_grace_seconds, ==, 15 * 60);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_area_for_record (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  const CtQueue *pickings = ct_profile_find_queue (p, "picking-tier");
  const CtQueue *approvals = ct_profile_find_queue (p, "approvals");
  g_autoptr(JsonObject) in = parse_object ("{\"picking_type_code\": \"incoming\"}");
  g_autoptr(JsonObject) out = parse_object ("{\"picking_type_code\": \"outgoing\"}");
  g_autoptr(JsonObject) odd = parse_object ("{\"picking_type_code\": \"mrp_operation\"}");
  g_autoptr(JsonObject) credit = parse_object ("{\"category_id\": [3, \"Credit release\"]}");
  g_autoptr(JsonObject) none = parse_object ("{\"category_id\": false}");

  g_assert_cmpstr (ct_profile_area_for_record (p, pickings, in)->id, ==, "returns");
  g_assert_cmpstr (ct_profile_area_for_record (p, pickings, out)->id, ==, "sales");
  g_assert_cmpstr (ct_profile_area_for_record (p, pickings, odd)->id, ==, "inventory");
  /* A many2one matches by its display name. */
  g_assert_cmpstr (ct_profile_area_for_record (p, approvals, credit)->id, ==, "credit");
  g_assert_cmpstr (ct_profile_area_for_record (p, approvals, none)->id, ==, "sales");
  g_assert_cmpstr (ct_profile_area_for_record (p, ct_profile_find_queue (p, "purchase-tier"),
                                               none)->id, ==, "procurement");
}

static void
test_explain (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(JsonObject) order =
    parse_object ("{\"discount\": 18, \"partner\": {\"overdue\": 12400, \"exposure_ratio\": 80}}");
  g_autoptr(JsonObject) fine =
    parse_object ("{\"discount\": 10, \"partner\": {\"overdue\": 0}}");
  g_autoptr(JsonObject) writeoff = parse_object ("{\"write_off\": 3200}");
  g_autoptr(JsonObject) wrong_types =
    parse_object ("{\"discount\": \"lots\", \"partner\": false, \"write_off\": null}");
  g_autoptr(GPtrArray) r1 = ct_profile_explain (p, "sales", order, NULL);
  g_autoptr(GPtrArray) r2 = ct_profile_explain (p, "sales", fine, NULL);
  g_autoptr(GPtrArray) r3 = ct_profile_explain (p, "inventory", writeoff, "EUR");
  g_autoptr(GPtrArray) r4 = ct_profile_explain (p, "procurement", order, "USD");
  g_autoptr(GPtrArray) r5 = ct_profile_explain (p, "inventory", wrong_types, NULL);

  g_assert_cmpuint (r1->len, ==, 2);
  g_assert_cmpstr (r1->pdata[0], ==, "discount 18 % > 10 % limit");
  g_assert_cmpstr (r1->pdata[1], ==, "customer 12 400 EUR overdue");
  g_assert_cmpuint (r2->len, ==, 0);
  g_assert_cmpuint (r3->len, ==, 1);
  g_assert_cmpstr (r3->pdata[0], ==, "write-off 3 200 EUR > 1 000 EUR");
  /* The discount rule is for sales only; the overdue one for every area. */
  g_assert_cmpuint (r4->len, ==, 1);
  g_assert_cmpstr (r4->pdata[0], ==, "customer 12 400 USD overdue");
  g_assert_cmpuint (r5->len, ==, 0);
}

static void
test_format_number (void)
{
  struct { double v; const char *s; } cases[] = {
    { 0, "0" }, { 7, "7" }, { 999, "999" }, { 1000, "1 000" }, { 12400, "12 400" },
    { 1234567, "1 234 567" }, { 3.5, "3.5" }, { -1500, "-1 500" }, { 2.96, "3" },
    { 1999.95, "2 000" }, { 12.25, "12.2" }, { 1e300, "1e+300" }, { -2.5e16, "-2.5e+16" },
  };
  /* Amounts keep their cents. */
  struct { double v; const char *s; } money[] = {
    { 10498.6, "10 498.60" }, { 12400, "12 400" }, { 0.004, "0" }, { -0.004, "0" },
    { 999.999, "1 000" }, { -1234.5, "-1 234.50" }, { 5000.01, "5 000.01" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = ct_format_number (cases[i].v);
      g_assert_cmpstr (s, ==, cases[i].s);
    }
  for (guint i = 0; i < G_N_ELEMENTS (money); i++)
    {
      g_autofree char *s = ct_format_number_decimals (money[i].v, 2);
      g_assert_cmpstr (s, ==, money[i].s);
    }
}

/* A small valid profile; bad ones below change one thing in it. */
#define CAL "{ \"id\": \"c\", \"timezone\": \"Europe/Brussels\", \"hours\": { \"mon\": " \
  "[\"08:00-12:00\"] } }"
#define AREA "{ \"id\": \"sales\", \"label\": \"Sales\", \"calendar\": \"c\", \"sla\": { " \
  "\"breach_after_hours\": 8 } }"

static char *
profile_text (const char *calendars,
              const char *areas,
              const char *extra)
{
  return g_strdup_printf ("{\n"
                          "  \"version\": 1,\n"
                          "  \"name\": \"t\",\n"
                          "  \"currency\": \"EUR\",\n"
                          "  \"calendars\": [ %s ],\n"
                          "  \"areas\": [ %s ]%s%s\n"
                          "}\n",
                          calendars ? calendars : CAL, areas ? areas : AREA,
                          extra ? ",\n  " : "", extra ? extra : "");
}

typedef struct
{
  const char *calendars;
  const char *areas;
  const char *extra;
  const char *marker;     /* where the error must point: first occurrence of this text */
  const char *message;    /* what it must say */
} BadProfile;

static const BadProfile bad_profiles[] = {
  { "{ \"id\": \"c\", \"timezone\": \"Mars/Olympus\", \"hours\": { \"mon\": [\"08:00-12:00\"] } }",
    NULL, NULL, "\"Mars/Olympus\"", "unknown time zone “Mars/Olympus”" },
  { "{ \"id\": \"c\", \"timezone\": \"Europe/Brussels\", \"hours\": { \"mon\": [\"8-12\"] } }",
    NULL, NULL, "\"8-12\"", "is not a span like 08:00-12:00" },
  { "{ \"id\": \"c\", \"timezone\": \"Europe/Brussels\", \"hours\": { \"mon\": [\"12:00-08:00\"] "
    "} }",
    NULL, NULL, "\"12:00-08:00\"", "ends before it starts" },
  { "{ \"id\": \"c\", \"timezone\": \"Europe/Brussels\", \"hours\": { \"mon\": [\"08:00-12:00\", "
    "\"11:00-13:00\"] } }",
    NULL, NULL, "\"11:00-13:00\"", "overlaps" },
  { "{ \"id\": \"c\", \"timezone\": \"Europe/Brussels\", \"hours\": { \"mon\": [\"08:00-25:00\"] "
    "} }",
    NULL, NULL, "\"08:00-25:00\"", "is not a span" },
  { "{ \"id\": \"c\", \"timezone\": \"Europe/Brussels\", \"hours\": { \"monday\": "
    "[\"08:00-12:00\"] } }",
    NULL, NULL, "[\"08:00-12:00\"]", "unknown key “monday”" },
  { "{ \"id\": \"c\", \"timezone\": \"Europe/Brussels\", \"hours\": { } }",
    NULL, NULL, "{ } }", "never open" },
  { "{ \"id\": \"c\", \"timezone\": \"Europe/Brussels\", \"hours\": { \"mon\": [\"08:00-12:00\"] "
    "}, \"holidays\": [\"2026-02-30\"] }",
    NULL, NULL, "\"2026-02-30\"", "is not a date" },
  { "{ \"id\": \"c\", \"timezone\": \"Europe/Brussels\", \"hours\": { \"mon\": \"08:00-12:00\" } }",
    NULL, NULL, "\"08:00-12:00\"", "must be a list" },
  { "{ \"id\": \"c\", \"timezone\": 1, \"hours\": { \"mon\": [\"08:00-12:00\"] } }",
    NULL, NULL, "1, \"hours\"", "“timezone” must be a string" },
  { NULL, "{ \"id\": \"sales\", \"label\": \"Sales\", \"calendar\": \"x\", \"sla\": { "
    "\"breach_after_hours\": 8 } }",
    NULL, "\"x\"", "unknown calendar “x”" },
  { NULL, "{ \"id\": \"sales\", \"label\": \"Sales\", \"calendar\": \"c\", \"sla\": { "
    "\"breach_after_hours\": \"8\" } }",
    NULL, "\"8\"", "“breach_after_hours” must be a number" },
  { NULL, "{ \"id\": \"sales\", \"label\": \"Sales\", \"calendar\": \"c\", \"sla\": { "
    "\"breach_after_hours\": -2 } }",
    NULL, "-2", "must be between" },
  { NULL, "{ \"id\": \"sales\", \"label\": \"Sales\", \"calendar\": \"c\", \"sla\": { "
    "\"breach_after_hour\": 8 } }",
    NULL, "8 }", "unknown key “breach_after_hour”" },
  { NULL, "{ \"id\": \"sales\", \"label\": \"Sales\", \"calendar\": \"c\", \"sla\": { "
    "\"breach_after_hours\": 8, \"warning_percent\": 150 } }",
    NULL, "150", "must be between 1 and 100, not 150" },
  { NULL, "{ \"id\": \"sales\", \"label\": \"Sales\", \"calendar\": \"c\", \"sla\": { "
    "\"breach_after_hours\": 8, \"overrides\": [ { \"when\": { \"urgent\": true }, "
    "\"breach_after_hours\": 12 } ] } }",
    NULL, "12 }", "must be shorter than the area’s window" },
  { NULL, "{ \"id\": \"sales\", \"label\": \"Sales\", \"calendar\": \"c\", \"sla\": { "
    "\"breach_after_hours\": 8, \"overrides\": [ { \"when\": { \"urgent\": \"yes\" }, "
    "\"breach_after_hours\": 2 } ] } }",
    NULL, "\"yes\"", "“urgent” must be true or false" },
  { NULL, "{ \"id\": \"sales\", \"label\": \"Sales\", \"calendar\": \"c\" }",
    NULL, "{ \"id\": \"sales\"", "missing “sla”" },
  { NULL, AREA ", " AREA, NULL, "\"sales\", \"label\": \"Sales\", \"calendar\": \"c\", \"sla\": "
    "{ \"breach_after_hours\": 8 } } ]",
    "area “sales” is defined twice" },
  { NULL, "{ \"id\": \"sa les\", \"label\": \"Sales\", \"calendar\": \"c\", \"sla\": { "
    "\"breach_after_hours\": 8 } }",
    NULL, "\"sa les\"", "is not a valid id" },
  { NULL, NULL, "\"escalations\": [ { \"id\": \"e\", \"levels\": [ { \"level\": 2, "
    "\"after_hours\": 4, \"targets\": [\"user:a\"] } ] } ]",
    "2, \"after_hours\"", "levels must count 1, 2, 3" },
  { NULL, NULL, "\"escalations\": [ { \"id\": \"e\", \"levels\": [ { \"level\": 1, "
    "\"after_hours\": 4, \"targets\": [\"user:a\"] }, { \"level\": 2, \"after_hours\": 3, "
    "\"targets\": [\"user:b\"] } ] } ]",
    "3, \"targets\"", "each level must come later" },
  { NULL, NULL, "\"escalations\": [ { \"id\": \"e\", \"levels\": [ { \"level\": 1, "
    "\"after_hours\": 4, \"targets\": [\"boss\"] } ] } ]",
    "\"boss\"", "must start with user: or group:" },
  { NULL, "{ \"id\": \"sales\", \"label\": \"Sales\", \"calendar\": \"c\", \"escalation\": "
    "\"nope\", \"sla\": { \"breach_after_hours\": 8 } }",
    NULL, "\"nope\"", "unknown escalation chain “nope”" },
  { NULL, NULL, "\"queues\": [ { \"id\": \"q\", \"label\": \"Q\", \"source\": \"magic\", "
    "\"model\": \"sale.order\", \"area\": \"sales\" } ]",
    "\"magic\"", "unknown source “magic”" },
  { NULL, NULL, "\"queues\": [ { \"id\": \"q\", \"label\": \"Q\", \"source\": \"approvals\", "
    "\"model\": \"sale.order\", \"area\": \"sale\" } ]",
    "\"sale\" }", "unknown area “sale”" },
  { NULL, NULL, "\"queues\": [ { \"id\": \"q\", \"label\": \"Q\", \"source\": \"approvals\", "
    "\"model\": \"sale.order\" } ]",
    "{ \"id\": \"q\"", "needs “area” or “area_by”" },
  { NULL, NULL, "\"queues\": [ { \"id\": \"q\", \"label\": \"Q\", \"source\": \"approvals\", "
    "\"model\": \"sale.order\", \"area\": \"sales\", \"domain\": [[\"state\", \"=\"]] } ]",
    "[\"state\", \"=\"]", "a domain term must be" },
  { NULL, NULL, "\"queues\": [ { \"id\": \"q\", \"label\": \"Q\", \"source\": \"approvals\", "
    "\"model\": \"sale.order\", \"area\": \"sales\", \"domain\": [\"and\", [\"a\", \"=\", 1]] } ]",
    "\"and\"", "is not a domain operator" },
  { NULL, NULL, "\"queues\": [ { \"id\": \"q\", \"label\": \"Q\", \"source\": \"approvals\", "
    "\"model\": \"sale.order\", \"area\": \"sales\", \"domain\": \"state = 1\" } ]",
    "\"state = 1\"", "must be an Odoo domain" },
  { NULL, NULL, "\"queues\": [ { \"id\": \"q\", \"label\": \"Q\", \"source\": \"activity\", "
    "\"model\": \"mail.activity\", \"area\": \"sales\" } ]",
    "{ \"id\": \"q\"", "needs “activity_types”" },
  { NULL, NULL, "\"queues\": [ { \"id\": \"q\", \"label\": \"Q\", \"source\": \"approvals\", "
    "\"model\": \"x\", \"area_by\": { \"field\": \"f\", \"map\": { \"a\": \"ghost\" } } } ]",
    "\"ghost\"", "unknown area “ghost”" },
  { NULL, NULL, "\"queues\": [ { \"id\": \"q\", \"label\": \"Q\", \"source\": \"approvals\", "
    "\"model\": \"x\", \"area\": \"sales\", \"fields\": { \"amout\": \"amount\" } } ]",
    "\"amount\"", "unknown key “amout”" },
  { NULL, NULL, "\"reasons\": [ { \"id\": \"r\", \"field\": \"discount\", \"op\": \"=>\", "
    "\"limit\": 10, \"message\": \"{value}\" } ]",
    "\"=>\"", "is not an operator" },
  { NULL, NULL, "\"reasons\": [ { \"id\": \"r\", \"field\": \"discount\", \"op\": \">\", "
    "\"limit\": 10, \"message\": \"too much\" } ]",
    "\"too much\"", "must show the {value}" },
  { NULL, NULL, "\"reasons\": [ { \"id\": \"r\", \"areas\": [\"sales\", \"nowhere\"], \"field\": "
    "\"d\", \"op\": \">\", \"limit\": 1, \"message\": \"{value}\" } ]",
    "\"nowhere\"", "unknown area “nowhere”" },
  { NULL, NULL, "\"incidents\": { \"cron_grace_minutes\": \"soon\" }",
    "\"soon\"", "must be a number" },
  { NULL, NULL, "\"colour\": \"blue\"", "\"blue\"", "unknown key “colour”" },
  { NULL, NULL, "\"version\": 2", NULL, NULL },  /* duplicate member: json-glib takes the last */
};

static void
assert_error_at (const char *text,
                 const char *marker,
                 const char *message,
                 GError     *error)
{
  const char *at = strstr (text, marker);
  guint line = 1, col = 1;
  g_autofree char *prefix = NULL;

  g_assert_nonnull (at);
  for (const char *p = text; p < at; p++)
    {
      if (*p == '\n')
        {
          line++;
          col = 1;
        }
      else if (((guchar) *p & 0xC0) != 0x80)
        col++;
    }
  prefix = g_strdup_printf ("bad.json:%u:%u: ", line, col);
  if (!g_str_has_prefix (error->message, prefix) || strstr (error->message, message) == NULL)
    g_error ("Expected “%s…%s”, got “%s”", prefix, message, error->message);
}

static void
test_bad_profiles (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_profiles); i++)
    {
      const BadProfile *b = &bad_profiles[i];
      g_autofree char *text = profile_text (b->calendars, b->areas, b->extra);
      g_autoptr(GError) error = NULL;
      g_autoptr(CtProfile) p = ct_profile_new_from_data (text, -1, "bad.json", &error);

      g_test_message ("bad profile %u: %s", i, error ? error->message : "(loaded)");
      if (b->marker == NULL)
        {
          /* "version": 2 appended after "version": 1 */
          g_assert_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_INVALID);
          g_assert_true (g_str_has_prefix (error->message, "bad.json:"));
          g_assert_nonnull (strstr (error->message, "version 2 is not supported"));
          continue;
        }
      g_assert_null (p);
      g_assert_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_INVALID);
      assert_error_at (text, b->marker, b->message, error);
    }
}

static void
test_good_minimal (void)
{
  g_autofree char *text = profile_text (NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtProfile) p = ct_profile_new_from_data (text, -1, "ok.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ct_profile_get_n_areas (p), ==, 1);
  g_assert_cmpuint (ct_profile_get_n_queues (p), ==, 0);
  /* Defaults when a section is absent. */
  g_assert_cmpfloat_with_epsilon (ct_profile_find_area (p, "sales")->sla.warning_ratio, 0.75, 1e-9);
  g_assert_cmpint (ct_profile_get_incident_thresholds (p)->queue_job_started_seconds, ==, 3600);
}

static void
test_syntax_errors (void)
{
  struct { const char *text; const char *expect; } cases[] = {
    { "{\n  \"version\": 1,\n  \"name\": \"t\",,\n}", "bad.json:3:" },
    { "{ \"version\": 1", "bad.json:1:" },
    { "<html><body>502 Bad Gateway</body></html>", "bad.json:1:1: " },
    { "", "bad.json:1:1: " },
    { "   \n  ", "bad.json:" },
    { "[1, 2, 3]", "bad.json:1:1: a profile must be an object" },
    { "null", "bad.json:1:1: a profile must be an object" },
    { "{}", "bad.json:1:1: missing “version”" },
    { "{\"version\": 1, \"name\": \"t\", \"currency\": \"EUR\", \"calendars\": [], \"areas\": []}",
      "bad.json:1:74: a profile needs at least one area" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CtProfile) p = ct_profile_new_from_data (cases[i].text, -1, "bad.json", &error);

      g_assert_null (p);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      if (!g_str_has_prefix (error->message, cases[i].expect))
        g_error ("case %u: expected “%s…”, got “%s”", i, cases[i].expect, error->message);
    }

  {
    /* Deep nesting is refused before json-glib recurses into it. */
    GString *deep = g_string_new ("{\"version\": 1, \"x\":\n");
    g_autoptr(GError) error = NULL;
    g_autoptr(CtProfile) p = NULL;

    for (guint i = 0; i < 200000; i++)
      g_string_append_c (deep, '[');
    p = ct_profile_new_from_data (deep->str, deep->len, "bad.json", &error);
    g_assert_null (p);
    g_assert_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_SYNTAX);
    g_assert_cmpstr (error->message, ==, "bad.json:2:32: nested too deep to be a profile");
    g_string_free (deep, TRUE);
  }
  {
    /* Not UTF-8. */
    g_autoptr(GError) error = NULL;
    g_autoptr(CtProfile) p = ct_profile_new_from_data ("{\"name\": \"\xff\xfe\"}", -1, "bad.json",
                                                       &error);
    g_assert_null (p);
    g_assert_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_SYNTAX);
    g_assert_true (g_str_has_prefix (error->message, "bad.json:1:1: "));
  }
}

static void
test_file_keeps_last_good (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ct-profile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "mine.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *good = profile_text (NULL, NULL, NULL);
  g_autoptr(CtProfile) first = NULL;
  g_autoptr(CtProfile) second = NULL;
  g_autoptr(CtProfile) third = NULL;
  g_autoptr(GError) error = NULL;

  /* Missing file: the default stays. */
  first = ct_profile_load_or_keep (file, NULL, &error);
  g_assert_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_cmpuint (ct_profile_get_n_areas (first), ==, 7);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, good, -1, NULL));
  second = ct_profile_load_or_keep (file, first, &error);
  g_assert_no_error (error);
  g_assert_true (second != first);
  g_assert_cmpuint (ct_profile_get_n_areas (second), ==, 1);

  /* A broken edit: the last good profile stays in force. */
  g_assert_true (g_file_set_contents (path, "{\n  \"version\": 1,\n  \"name\": \"t\" "
    "\"x\"\n}", -1, NULL));
  third = ct_profile_load_or_keep (file, second, &error);
  g_assert_error (error, CT_PROFILE_ERROR, CT_PROFILE_ERROR_SYNTAX);
  g_assert_true (third == second);
  {
    g_autofree char *expect = g_strdup_printf ("%s:3:", path);
    g_assert_true (g_str_has_prefix (error->message, expect));
  }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_default_file_matches_resource (void)
{
  /* The shipped file is the resource, and parses with its file name. */
  g_autofree char *path = g_build_filename (g_getenv ("CT_SOURCE_ROOT"), "data", "profiles",
                                            "default.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtProfile) p = ct_profile_new_from_file (file, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ct_profile_get_name (p), ==, "Distributor (default)");
  g_assert_cmpuint (ct_profile_get_n_queues (p), ==, 7);
  g_assert_cmpuint (ct_profile_get_n_reason_rules (p), ==, 5);
}

static void
test_resource_registered (void)
{
  g_autoptr(CtProfile) first = ct_profile_new_default ();
  g_autoptr(GFile) file =
    g_file_new_for_uri ("resource:///com/sysgenpro/ControlTower/core/profiles/default.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CtProfile) p = NULL;

  /* The resource is registered process-wide, so the app can also reach it
   * by URI (e.g. to offer "copy the default profile"). */
  bytes = g_resources_lookup_data ("/com/sysgenpro/ControlTower/core/profiles/default.json",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 1000);
  p = ct_profile_new_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ct_profile_get_n_areas (p), ==, ct_profile_get_n_areas (first));
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/profile/default", test_default);
  g_test_add_func ("/ct/core/profile/default-file", test_default_file_matches_resource);
  g_test_add_func ("/ct/core/profile/resource", test_resource_registered);
  g_test_add_func ("/ct/core/profile/area-for-record", test_area_for_record);
  g_test_add_func ("/ct/core/profile/explain", test_explain);
  g_test_add_func ("/ct/core/profile/format-number", test_format_number);
  g_test_add_func ("/ct/core/profile/minimal", test_good_minimal);
  g_test_add_func ("/ct/core/profile/bad-semantics", test_bad_profiles);
  g_test_add_func ("/ct/core/profile/bad-syntax", test_syntax_errors);
  g_test_add_func ("/ct/core/profile/keep-last-good", test_file_keeps_last_good);

  return g_test_run ();
}
