/* test-sla.c - SLA state of a case: due, at risk, breached, paused, escalated
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sla"

#include "config.h"

#include "ct-case.h"
#include "ct-sla.h"

static gint64
at (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

/* A sales case (default profile: 8 business hours, at risk from 75 %,
 * strategic customers 4 h, urgent shipments 2 h; office calendar in
 * Brussels, 08–12 and 13–17). */
static CtCase *
sales_case (const char *requested)
{
  CtCase *c = ct_case_new ("sale.order", 42);

  c->area_id = g_strdup ("sales");
  c->requested_at = at (requested);
  return c;
}

static void
test_across_spring_forward (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(CtCase) c = sales_case ("2026-03-27T16:00:00+01:00");
  CtSlaState s;

  /* Monday 10:00 CEST: 1 h Friday + 2 h Monday used. */
  ct_sla_compute (p, c, at ("2026-03-30T10:00:00+02:00"), &s);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_ON_TRACK);
  g_assert_cmpint (s.elapsed_seconds, ==, 3 * 3600);
  g_assert_cmpint (s.window_seconds, ==, 8 * 3600);
  g_assert_cmpfloat_with_epsilon (s.used, 0.375, 1e-9);
  /* Due after 7 more business hours: Monday 16:00 CEST (14:00 UTC). */
  g_assert_cmpint (s.due, ==, at ("2026-03-30T16:00:00+02:00"));
  g_assert_cmpint (s.breached_seconds, ==, 0);
  g_assert_cmpuint (s.escalation_level, ==, 0);
  g_assert_false (s.paused);

  /* 15:00: 7 h of 8 = 87.5 % ≥ 75 %. */
  ct_sla_compute (p, c, at ("2026-03-30T15:00:00+02:00"), &s);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_AT_RISK);
  g_assert_cmpint (s.elapsed_seconds, ==, 7 * 3600);

  /* Tuesday 09:30: 1 + 8 + 1.5 = 10.5 h, breached for 2.5 business hours —
   * not for the 17.5 wall-clock hours since Monday 16:00 — and not yet
   * escalated: the chain starts 16 h in, a business day after the due time. */
  ct_sla_compute (p, c, at ("2026-03-31T09:30:00+02:00"), &s);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_BREACHED);
  g_assert_cmpint (s.breached_seconds, ==, 150 * 60);
  g_assert_cmpuint (s.escalation_level, ==, 0);
  g_assert_cmpfloat_with_epsilon (s.used, 10.5 / 8, 1e-9);

  /* 16 business hours: level 1, on Tuesday at 16:00; 24 h: level 2. */
  ct_sla_compute (p, c, at ("2026-03-31T15:59:00+02:00"), &s);
  g_assert_cmpuint (s.escalation_level, ==, 0);
  ct_sla_compute (p, c, at ("2026-03-31T16:00:00+02:00"), &s);
  g_assert_cmpint (s.elapsed_seconds, ==, 16 * 3600);
  g_assert_cmpuint (s.escalation_level, ==, 1);
  ct_sla_compute (p, c, at ("2026-04-02T12:00:00+02:00"), &s);
  g_assert_cmpint (s.elapsed_seconds, >=, 24 * 3600);
  g_assert_cmpuint (s.escalation_level, ==, 2);
}

static void
test_exactly_at_due (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(CtCase) c = sales_case ("2026-03-23T08:00:00+01:00");
  CtSlaState s;

  /* The window ends at Monday 17:00: breached then, not before. */
  ct_sla_compute (p, c, at ("2026-03-23T16:59:59+01:00"), &s);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_AT_RISK);
  ct_sla_compute (p, c, at ("2026-03-23T17:00:00+01:00"), &s);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_BREACHED);
  g_assert_cmpint (s.due, ==, at ("2026-03-23T17:00:00+01:00"));
  g_assert_cmpint (s.breached_seconds, ==, 0);
  /* Monday night: still breached by 0 business seconds, the clock is closed. */
  ct_sla_compute (p, c, at ("2026-03-23T23:00:00+01:00"), &s);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_BREACHED);
  g_assert_cmpint (s.breached_seconds, ==, 0);
}

static void
test_holiday_window (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(CtCase) c = ct_case_new ("purchase.order", 13);
  CtSlaState s;

  /* Procurement: 16 h. Thursday 30 April 2026 16:00: 1 h Thursday, 1 May
   * (Friday) closed, Monday 4 May 8 h, Tuesday 7 h → Tuesday 16:00. */
  c->area_id = g_strdup ("procurement");
  c->requested_at = at ("2026-04-30T16:00:00+02:00");
  ct_sla_compute (p, c, at ("2026-05-01T12:00:00+02:00"), &s);
  g_assert_cmpint (s.elapsed_seconds, ==, 3600);
  g_assert_cmpint (s.due, ==, at ("2026-05-05T16:00:00+02:00"));
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_ON_TRACK);
}

static void
test_shorter_windows (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(CtCase) c = sales_case ("2026-03-27T16:00:00+01:00");
  CtSlaState s;

  c->partner.tier = g_strdup ("strategic");
  ct_sla_compute (p, c, at ("2026-03-30T10:00:00+02:00"), &s);
  g_assert_cmpint (s.window_seconds, ==, 4 * 3600);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_AT_RISK);
  g_assert_cmpint (s.due, ==, at ("2026-03-30T11:00:00+02:00"));

  /* Urgent and strategic: the tighter (2 h) wins. */
  c->urgent = TRUE;
  ct_sla_compute (p, c, at ("2026-03-30T10:00:00+02:00"), &s);
  g_assert_cmpint (s.window_seconds, ==, 2 * 3600);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_BREACHED);
  g_assert_cmpint (s.breached_seconds, ==, 3600);
  g_assert_cmpint (s.due, ==, at ("2026-03-30T09:00:00+02:00"));

  /* Another tier gets the area's window. */
  g_free (c->partner.tier);
  c->partner.tier = g_strdup ("standard");
  c->urgent = FALSE;
  ct_sla_compute (p, c, at ("2026-03-30T10:00:00+02:00"), &s);
  g_assert_cmpint (s.window_seconds, ==, 8 * 3600);
}

static void
test_pauses (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(CtCase) c = sales_case ("2026-03-30T08:00:00+02:00");
  CtSlaState s;

  /* Sent back for revision Monday 10:00 to Tuesday 10:00: 8 business hours
   * do not count. Tuesday 12:00: 2 h + 2 h used; due moves by 8 h. */
  ct_case_add_pause (c, at ("2026-03-30T10:00:00+02:00"), at ("2026-03-31T10:00:00+02:00"));
  ct_sla_compute (p, c, at ("2026-03-31T12:00:00+02:00"), &s);
  g_assert_cmpint (s.elapsed_seconds, ==, 4 * 3600);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_ON_TRACK);
  g_assert_cmpint (s.due, ==, at ("2026-03-31T17:00:00+02:00"));
  g_assert_false (s.paused);

  /* The same pause reported twice, and one inside it, count once. */
  ct_case_add_pause (c, at ("2026-03-30T10:00:00+02:00"), at ("2026-03-31T10:00:00+02:00"));
  ct_case_add_pause (c, at ("2026-03-30T14:00:00+02:00"), at ("2026-03-30T15:00:00+02:00"));
  g_assert_cmpuint (c->pauses->len, ==, 1);
  ct_sla_compute (p, c, at ("2026-03-31T12:00:00+02:00"), &s);
  g_assert_cmpint (s.elapsed_seconds, ==, 4 * 3600);

  /* Awaiting revision again since Tuesday 13:00, still open: the clock
   * stands still whatever the time. */
  ct_case_add_pause (c, at ("2026-03-31T13:00:00+02:00"), 0);
  c->status = CT_CASE_STATUS_AWAITING_REVISION;
  ct_sla_compute (p, c, at ("2026-04-03T12:00:00+02:00"), &s);
  g_assert_true (s.paused);
  g_assert_cmpint (s.elapsed_seconds, ==, 4 * 3600);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_ON_TRACK);
  /* Were it picked up at once (Friday 12:00), 4 h remain: Friday 17:00. */
  g_assert_cmpint (s.due, ==, at ("2026-04-03T17:00:00+02:00"));
}

static void
test_no_sla (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(CtCase) c = sales_case ("2026-03-23T08:00:00+01:00");
  g_autoptr(CtCase) inc = ct_case_new_incident (CT_INCIDENT_N8N_ERROR, "n8n.execution", 5);
  CtSlaState s;

  c->status = CT_CASE_STATUS_UPCOMING;
  ct_sla_compute (p, c, at ("2026-03-25T08:00:00+01:00"), &s);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_NONE);
  c->status = CT_CASE_STATUS_DECIDED;
  ct_sla_compute (p, c, at ("2026-03-25T08:00:00+01:00"), &s);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_NONE);
  c->status = CT_CASE_STATUS_PENDING;
  g_free (c->area_id);
  c->area_id = g_strdup ("unknown-area");
  ct_sla_compute (p, c, at ("2026-03-25T08:00:00+01:00"), &s);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_NONE);
  inc->requested_at = at ("2026-03-23T08:00:00+01:00");
  ct_sla_compute (p, inc, at ("2026-03-25T08:00:00+01:00"), &s);
  g_assert_cmpint (s.status, ==, CT_SLA_STATUS_NONE);
}

static void
test_update_all_matches_compute (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  static const char *areas[] = { "sales", "procurement", "inventory", "credit", "invoices" };
  gint64 now = at ("2026-10-27T10:00:00+01:00");
  guint changed;

  /* Cases from a year before to now, across both DST changes. */
  for (guint i = 0; i < 500; i++)
    {
      CtCase *c = ct_case_new ("sale.order", i);

      c->area_id = g_strdup (areas[i % G_N_ELEMENTS (areas)]);
      c->requested_at = now - (gint64) i * 17 * 3607;
      if (i % 7 == 0)
        c->partner.tier = g_strdup ("strategic");
      if (i % 11 == 0)
        ct_case_add_pause (c, c->requested_at + 3600, c->requested_at + 7200);
      g_ptr_array_add (cases, c);
    }
  changed = ct_sla_update_all (p, cases, now);
  g_assert_cmpuint (changed, >, 0);
  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];
      CtSlaState s;

      ct_sla_compute (p, c, now, &s);
      g_assert_cmpint (s.status, ==, c->sla.status);
      g_assert_cmpint (s.due, ==, c->sla.due);
      g_assert_cmpint (s.elapsed_seconds, ==, c->sla.elapsed_seconds);
      g_assert_cmpuint (s.escalation_level, ==, c->sla.escalation_level);
    }
  /* Nothing moved: nothing reported as changed. */
  g_assert_cmpuint (ct_sla_update_all (p, cases, now), ==, 0);
}

static void
test_labels (void)
{
  g_autofree char *a = ct_format_business_duration (45 * 60);
  g_autofree char *b = ct_format_business_duration (8 * 3600);
  g_autofree char *c = ct_format_business_duration (2 * 3600 + 15 * 60);

  g_assert_cmpstr (a, ==, "45 min");
  g_assert_cmpstr (b, ==, "8 h");
  g_assert_cmpstr (c, ==, "2 h 15 min");
  g_assert_cmpstr (ct_sla_status_to_string (CT_SLA_STATUS_AT_RISK), ==, "at-risk");
  g_assert_cmpstr (ct_sla_status_get_label (CT_SLA_STATUS_BREACHED), ==, "Breached");
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/sla/dst-spring-forward", test_across_spring_forward);
  g_test_add_func ("/ct/core/sla/exactly-at-due", test_exactly_at_due);
  g_test_add_func ("/ct/core/sla/holiday", test_holiday_window);
  g_test_add_func ("/ct/core/sla/shorter-windows", test_shorter_windows);
  g_test_add_func ("/ct/core/sla/pauses", test_pauses);
  g_test_add_func ("/ct/core/sla/no-sla", test_no_sla);
  g_test_add_func ("/ct/core/sla/update-all", test_update_all_matches_compute);
  g_test_add_func ("/ct/core/sla/labels", test_labels);

  return g_test_run ();
}
