/* test-metrics.c - Counts, ageing, cycle-time percentiles, breach rates
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-metrics"

#include "config.h"

#include <math.h>

#include "ct-metrics.h"

static gint64
at (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static CtCase *
open_case (guint       id,
           const char *area,
           const char *queue,
           const char *requested,
           const char *approver)
{
  CtCase *c = ct_case_new ("sale.order", id);

  c->area_id = g_strdup (area);
  c->queue_id = g_strdup (queue);
  c->requested_at = at (requested);
  if (approver)
    {
      g_autofree char *ref = g_strdup_printf ("tier.review:%u", id);
      ct_case_add_requirement (c, CT_SOURCE_KIND_TIER_VALIDATION, ref, 0, approver,
                               CT_APPROVER_STATE_PENDING, 1);
    }
  return c;
}

static CtCase *
decided_case (guint       id,
              const char *area,
              const char *requested,
              const char *decided,
              gboolean    breached)
{
  CtCase *c = open_case (id, area, "sale-tier", requested, NULL);

  c->status = CT_CASE_STATUS_DECIDED;
  c->decided_at = at (decided);
  c->breached_when_decided = breached;
  return c;
}

static void
test_counts_and_ageing (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CtMetrics) m = NULL;
  gint64 now = at ("2026-03-31T10:00:00+02:00");   /* Tuesday */
  const CtMetricsGroup *sales, *proc;
  CtCase *c;

  /* Sales (8 h window, 75 %): 1 h; 7 h (at risk); 7 + 8 + 2 = 17 h (breached,
   * level 2); 4 h (second bucket); and an upcoming one. */
  g_ptr_array_add (cases, open_case (1, "sales", "sale-tier", "2026-03-31T09:00:00+02:00", "Ann"));
  g_ptr_array_add (cases, open_case (2, "sales", "sale-tier", "2026-03-30T11:00:00+02:00", "Ann"));
  g_ptr_array_add (cases, open_case (3, "sales", "sale-tier", "2026-03-27T09:00:00+01:00", "Bob"));
  c = open_case (4, "sales", "sale-tier", "2026-03-30T15:00:00+02:00", "Bob");
  ct_case_add_reason (c, "discount 18 % > 10 % limit");
  g_ptr_array_add (cases, c);
  c = open_case (5, "sales", "sale-tier", "2026-03-31T08:00:00+02:00", "Ann");
  c->status = CT_CASE_STATUS_UPCOMING;
  ct_case_add_reason (c, "discount 25 % > 10 % limit");
  g_ptr_array_add (cases, c);
  /* Procurement (16 h): 10 h. */
  c = open_case (6, "procurement", "purchase-double", "2026-03-30T08:00:00+02:00", "Ann");
  ct_case_add_reason (c, "customer 12 400 EUR overdue");
  g_ptr_array_add (cases, c);
  /* Incidents are counted apart. */
  g_ptr_array_add (cases, ct_case_new_incident (CT_INCIDENT_CRON_OVERDUE, "ir.cron", 3));

  ct_sla_update_all (p, cases, now);
  m = ct_metrics_compute (p, cases, NULL, now);

  g_assert_cmpuint (m->incidents, ==, 1);
  g_assert_cmpuint (m->total->pending, ==, 5);
  g_assert_cmpuint (m->total->upcoming, ==, 1);
  sales = ct_metrics_find_area (m, "sales");
  g_assert_cmpuint (sales->pending, ==, 4);
  g_assert_cmpuint (sales->on_track, ==, 2);
  g_assert_cmpuint (sales->at_risk, ==, 1);
  g_assert_cmpuint (sales->breached, ==, 1);
  g_assert_cmpuint (sales->escalated, ==, 1);
  g_assert_cmpuint (sales->ageing[0], ==, 1);
  g_assert_cmpuint (sales->ageing[1], ==, 2);
  g_assert_cmpuint (sales->ageing[2], ==, 0);
  g_assert_cmpuint (sales->ageing[3], ==, 1);
  g_assert_cmpuint (sales->ageing[4], ==, 0);
  proc = ct_metrics_find_area (m, "procurement");
  g_assert_cmpuint (proc->pending, ==, 1);
  g_assert_cmpuint (proc->on_track, ==, 1);
  g_assert_cmpuint (proc->ageing[2], ==, 1);
  g_assert_cmpuint (ct_metrics_find_area (m, "vendors")->pending, ==, 0);

  /* Two discount reasons with different figures are one reason. */
  g_assert_cmpuint (sales->top_reasons->len, ==, 1);
  g_assert_cmpstr (((CtReasonCount *) sales->top_reasons->pdata[0])->reason, ==,
                   "discount … % > … % limit");
  g_assert_cmpuint (((CtReasonCount *) sales->top_reasons->pdata[0])->count, ==, 2);
  g_assert_cmpuint (m->total->top_reasons->len, ==, 2);

  /* Per queue. */
  g_assert_cmpstr (((CtMetricsGroup *) m->queues->pdata[1])->id, ==, "purchase-double");
  g_assert_cmpuint (((CtMetricsGroup *) m->queues->pdata[1])->pending, ==, 1);
  g_assert_cmpuint (((CtMetricsGroup *) m->queues->pdata[2])->pending, ==, 4);

  /* Backlog per approver: Ann has 3 pending (not the upcoming one), Bob 2,
   * one of them breached. */
  g_assert_cmpuint (m->approvers->len, ==, 2);
  g_assert_cmpstr (((CtApproverBacklog *) m->approvers->pdata[0])->approver, ==, "Ann");
  g_assert_cmpuint (((CtApproverBacklog *) m->approvers->pdata[0])->pending, ==, 3);
  g_assert_cmpuint (((CtApproverBacklog *) m->approvers->pdata[1])->pending, ==, 2);
  g_assert_cmpuint (((CtApproverBacklog *) m->approvers->pdata[1])->breached, ==, 1);
}

static void
test_cycle_times (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(GPtrArray) history = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CtMetrics) m = NULL;
  gint64 now = at ("2026-06-30T12:00:00+02:00");
  const CtMetricsGroup *sales;

  /* Ten decisions in June taking 1..10 business hours (Mondays 08:00 plus
   * N hours within the day or into Tuesday), three of them breached, and
   * two in April (within 90 days, not 30) taking 20 h, one older than 90 days. */
  for (guint h = 1; h <= 10; h++)
    {
      gint64 start = at ("2026-06-22T08:00:00+02:00");
      CtCase *c = decided_case (h, "sales", "2026-06-22T08:00:00+02:00",
                                "2026-06-22T08:00:00+02:00", h > 7);
      CtCalendar *cal = ct_profile_find_area (p, "sales")->calendar;

      c->decided_at = ct_calendar_add_business_seconds (cal, start, h * 3600);
      g_ptr_array_add (history, c);
    }
  g_ptr_array_add (history, decided_case (20, "sales", "2026-04-13T08:00:00+02:00",
                                          "2026-04-15T12:00:00+02:00", TRUE));
  g_ptr_array_add (history, decided_case (21, "sales", "2026-04-13T08:00:00+02:00",
                                          "2026-04-15T12:00:00+02:00", TRUE));
  g_ptr_array_add (history, decided_case (22, "sales", "2026-01-05T08:00:00+01:00",
                                          "2026-01-05T09:00:00+01:00", FALSE));

  m = ct_metrics_compute (p, NULL, history, now);
  sales = ct_metrics_find_area (m, "sales");
  g_assert_cmpuint (sales->decided_30d, ==, 10);
  g_assert_cmpuint (sales->decided_90d, ==, 12);
  /* Nearest rank: p50 of 1..10 is 5, p90 is 9. */
  g_assert_cmpfloat (sales->cycle_p50_30d, ==, 5);
  g_assert_cmpfloat (sales->cycle_p90_30d, ==, 9);
  /* Over 90 days, 1..10 and 20, 20 (Mon 08:00 → Wed 12:00 = 8 + 8 + 4). */
  g_assert_cmpfloat (sales->cycle_p50_90d, ==, 6);
  g_assert_cmpfloat (sales->cycle_p90_90d, ==, 20);
  g_assert_cmpuint (sales->breached_decided_30d, ==, 3);
  g_assert_cmpfloat_with_epsilon (sales->breach_rate_30d, 0.3, 1e-9);
  g_assert_cmpuint (sales->pending, ==, 0);

  g_assert_true (isnan (ct_metrics_find_area (m, "credit")->cycle_p50_30d));
  g_assert_true (isnan (ct_metrics_find_area (m, "credit")->breach_rate_30d));

  {
    g_autoptr(JsonNode) node = ct_metrics_to_json (m);
    JsonArray *areas = json_object_get_array_member (json_node_get_object (node), "areas");
    JsonObject *s0 = json_array_get_object_element (areas, 0);
    JsonObject *credit = json_array_get_object_element (areas, 4);

    g_assert_cmpstr (json_object_get_string_member (s0, "id"), ==, "sales");
    g_assert_cmpfloat (json_object_get_double_member (s0, "cycle_hours_p90_30d"), ==, 9);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (s0, "breach_rate_30d"), 0.3,
                                    1e-9);
    g_assert_cmpstr (json_object_get_string_member (credit, "id"), ==, "credit");
    g_assert_true (json_object_get_null_member (credit, "cycle_hours_p50_30d"));
  }
}

static void
test_percentile (void)
{
  double v[] = { 9, 1, 5, 3, 7 };

  g_assert_true (isnan (ct_percentile (v, 0, 50)));
  g_assert_cmpfloat (ct_percentile (v, 5, 50), ==, 5);
  g_assert_cmpfloat (ct_percentile (v, 5, 90), ==, 9);
  g_assert_cmpfloat (ct_percentile (v, 5, 0), ==, 1);
  g_assert_cmpfloat (ct_percentile (v, 5, 100), ==, 9);
  g_assert_cmpstr (ct_metrics_age_bucket_label (0), ==, "Under 4 business hours");
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/metrics/counts-ageing", test_counts_and_ageing);
  g_test_add_func ("/ct/core/metrics/cycle-times", test_cycle_times);
  g_test_add_func ("/ct/core/metrics/percentile", test_percentile);

  return g_test_run ();
}
