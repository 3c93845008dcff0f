/* test-calendar.c - Business-hours arithmetic across DST and holidays
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-calendar"

#include "config.h"

#include "ct-calendar.h"

/* A Brussels office: 08:00–12:00 and 13:00–17:00 on weekdays, closed on
 * 1 May every year and on Easter Monday 2026 (6 April). */
static CtCalendar *
office (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Brussels");
  CtCalendar *cal;

  g_assert_nonnull (tz);
  cal = ct_calendar_new ("office", tz);
  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    {
      g_assert_true (ct_calendar_add_hours (cal, d, 8 * 60, 12 * 60));
      g_assert_true (ct_calendar_add_hours (cal, d, 13 * 60, 17 * 60));
    }
  ct_calendar_add_holiday (cal, 2026, 4, 6);
  ct_calendar_add_annual_holiday (cal, 5, 1);
  return cal;
}

/* Unix time of an ISO 8601 instant with its offset, e.g. "2026-03-27T16:00:00+01:00". */
static gint64
at (const char *iso)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static void
assert_instant (gint64      t,
                const char *expected_iso)
{
  if (t != at (expected_iso))
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
      g_autofree char *got = g_date_time_format_iso8601 (dt);
      g_error ("expected %s, got %s", expected_iso, got);
    }
}

static void
test_split_day (void)
{
  g_autoptr(CtCalendar) cal = office ();

  /* Monday 2026-03-23 (CET, +01:00). The lunch hour does not count. */
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2026-03-23T11:30:00+01:00"), 3600),
                  "2026-03-23T13:30:00+01:00");
  /* An amount that ends at closing time ends at 17:00, not the next 08:00. */
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2026-03-23T08:00:00+01:00"),
                                                    8 * 3600),
                  "2026-03-23T17:00:00+01:00");
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2026-03-23T08:00:00+01:00"),
                                                    8 * 3600 + 1),
                  "2026-03-24T08:00:01+01:00");
  /* Starting outside hours (Saturday) counts from Monday's opening. */
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2026-03-21T10:00:00+01:00"), 3600),
                  "2026-03-23T09:00:00+01:00");
  /* Zero adds nothing, even outside hours. */
  g_assert_cmpint (ct_calendar_add_business_seconds (cal, at ("2026-03-21T10:00:00+01:00"), 0),
                   ==, at ("2026-03-21T10:00:00+01:00"));

  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2026-03-23T07:00:00+01:00"),
                                                         at ("2026-03-23T18:00:00+01:00")),
                   ==, 8 * 3600);
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2026-03-23T12:15:00+01:00"),
                                                         at ("2026-03-23T12:45:00+01:00")),
                   ==, 0);
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2026-03-23T18:00:00+01:00"),
                                                         at ("2026-03-23T07:00:00+01:00")),
                   ==, -8 * 3600);
  /* A full week. */
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2026-03-16T00:00:00+01:00"),
                                                         at ("2026-03-23T00:00:00+01:00")),
                   ==, 40 * 3600);

  g_assert_true (ct_calendar_is_business_time (cal, at ("2026-03-23T08:00:00+01:00")));
  g_assert_false (ct_calendar_is_business_time (cal, at ("2026-03-23T12:00:00+01:00")));
  g_assert_false (ct_calendar_is_business_time (cal, at ("2026-03-23T17:00:00+01:00")));
  g_assert_false (ct_calendar_is_business_time (cal, at ("2026-03-22T10:00:00+01:00")));
}

static void
test_dst_spring_forward (void)
{
  g_autoptr(CtCalendar) cal = office ();

  /* Brussels moves from +01:00 to +02:00 at 02:00 on Sunday 29 March 2026.
   * Friday 16:00 CET plus 2 business hours: 1 h on Friday, then Monday
   * 08:00–09:00 CEST — 07:00 UTC, not 08:00 UTC. */
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2026-03-27T16:00:00+01:00"),
                                                    2 * 3600),
                  "2026-03-30T09:00:00+02:00");
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2026-03-27T16:00:00+01:00"),
                                                         at ("2026-03-30T09:00:00+02:00")),
                   ==, 2 * 3600);
  /* Monday opens at 08:00 local, which is 06:00 UTC after the change. */
  g_assert_true (ct_calendar_is_business_time (cal, at ("2026-03-30T06:00:00Z")));
  g_assert_false (ct_calendar_is_business_time (cal, at ("2026-03-30T05:59:59Z")));
  g_assert_false (ct_calendar_is_business_time (cal, at ("2026-03-27T06:30:00Z")));
}

static void
test_dst_fall_back (void)
{
  g_autoptr(CtCalendar) cal = office ();

  /* Back from +02:00 to +01:00 at 03:00 on Sunday 25 October 2026. */
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2026-10-23T16:30:00+02:00"),
                                                    4 * 3600),
                  "2026-10-26T11:30:00+01:00");
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2026-10-23T08:00:00+02:00"),
                                                         at ("2026-10-26T17:00:00+01:00")),
                   ==, 16 * 3600);
}

static void
test_dst_sunday_lengths (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Brussels");
  g_autoptr(CtCalendar) cal = ct_calendar_new ("sunday", tz);

  /* Open around the clock on Sundays: the spring Sunday has 23 hours and the
   * autumn one 25, and a night shift spanning the change counts real time. */
  g_assert_true (ct_calendar_add_hours (cal, G_DATE_SUNDAY, 0, 1440));
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2026-03-28T12:00:00+01:00"),
                                                         at ("2026-03-30T12:00:00+02:00")),
                   ==, 23 * 3600);
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2026-10-24T12:00:00+02:00"),
                                                         at ("2026-10-26T12:00:00+01:00")),
                   ==, 25 * 3600);
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2026-03-22T12:00:00+01:00"),
                                                         at ("2026-03-23T12:00:00+01:00")),
                   ==, 12 * 3600);
  /* 01:30 + 1 h on the spring Sunday is 03:30 local: 02:xx does not exist. */
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2026-03-29T01:30:00+01:00"), 3600),
                  "2026-03-29T03:30:00+02:00");
  /* 01:30 CEST + 2 h on the autumn Sunday is 02:30 CET: 02:xx happens twice. */
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2026-10-25T01:30:00+02:00"),
                                                    2 * 3600),
                  "2026-10-25T02:30:00+01:00");
}

static void
test_holidays (void)
{
  g_autoptr(CtCalendar) cal = office ();

  /* Friday 3 April 16:00 + 8 h: 1 h Friday, Easter Monday closed, Tuesday
   * 08–12 and 13–16. */
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2026-04-03T16:00:00+02:00"),
                                                    8 * 3600),
                  "2026-04-07T16:00:00+02:00");
  /* 1 May is closed every year: Thursday 30 April 2026 16:00 + 2 h → Monday
   * 4 May 09:00; and in 2031 (a Thursday) too. */
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2026-04-30T16:00:00+02:00"),
                                                    2 * 3600),
                  "2026-05-04T09:00:00+02:00");
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2031-04-30T16:00:00+02:00"),
                                                    2 * 3600),
                  "2031-05-02T09:00:00+02:00");
  g_assert_false (ct_calendar_is_business_time (cal, at ("2026-04-06T10:00:00+02:00")));
  /* A one-off holiday is only that year's. */
  g_assert_true (ct_calendar_is_business_time (cal, at ("2027-04-06T10:00:00+02:00")));
}

static void
test_far_times (void)
{
  g_autoptr(CtCalendar) cal = office ();
  gint64 t0 = at ("2026-03-23T08:00:00+01:00");

  /* Asking about 2026, then 2019, then 2035 grows the table both ways and
   * keeps the answers exact. */
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, t0, t0 + 3600), ==, 3600);
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2019-01-07T08:00:00+01:00"),
                                                         at ("2019-01-07T17:00:00+01:00")),
                   ==, 8 * 3600);
  /* 1000 business hours = 25 weeks of 40 h, minus holidays on the way:
   * from Monday 23 March 2026 it ends after Easter Monday and 1 May too, at
   * a closing time (checked against Python zoneinfo). */
  assert_instant (ct_calendar_add_business_seconds (cal, t0, 1000 * 3600),
                  "2026-09-15T17:00:00+02:00");
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, t0,
                                                         at ("2026-09-15T17:00:00+02:00")),
                   ==, 1000 * 3600);
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2035-01-08T08:00:00+01:00"),
                                                         at ("2035-01-08T12:00:00+01:00")),
                   ==, 4 * 3600);
}

static void
test_absurd_times (void)
{
  g_autoptr(CtCalendar) cal = office ();

  /* A damaged record's year 9999 or a negative time must neither hang nor
   * allocate gigabytes; answers saturate at the table's 1970–2199 limits. */
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, at ("2026-03-23T08:00:00+01:00"),
                                                         at ("9999-12-31T00:00:00Z")),
                   >, 0);
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, -G_GINT64_CONSTANT (86400000000),
                                                         -G_GINT64_CONSTANT (86400)),
                   ==, 0);
  g_assert_cmpint (ct_calendar_add_business_seconds (cal, at ("2026-03-23T08:00:00+01:00"),
                                                     G_MAXINT64 / 2),
                   ==, G_MAXINT64);
  g_assert_cmpint (ct_calendar_add_business_seconds (cal, at ("9999-01-01T00:00:00Z"), 3600),
                   ==, G_MAXINT64);
  /* And ordinary times still work after that. */
  assert_instant (ct_calendar_add_business_seconds (cal, at ("2026-03-23T11:30:00+01:00"), 3600),
                  "2026-03-23T13:30:00+01:00");
}

static void
test_invalid_spans (void)
{
  g_autoptr(CtCalendar) cal = ct_calendar_new ("x", NULL);

  g_assert_false (ct_calendar_add_hours (cal, G_DATE_MONDAY, 600, 600));
  g_assert_false (ct_calendar_add_hours (cal, G_DATE_MONDAY, 600, 1441));
  g_assert_false (ct_calendar_add_hours (cal, G_DATE_BAD_WEEKDAY, 0, 60));
  g_assert_true (ct_calendar_add_hours (cal, G_DATE_MONDAY, 600, 700));
  g_assert_false (ct_calendar_add_hours (cal, G_DATE_MONDAY, 650, 750));
  g_assert_true (ct_calendar_add_hours (cal, G_DATE_MONDAY, 0, 60));
  g_assert_true (ct_calendar_add_hours (cal, G_DATE_MONDAY, 100, 200));
  g_assert_true (ct_calendar_add_hours (cal, G_DATE_MONDAY, 1000, 1100));
  /* A fifth span on one day is refused. */
  g_assert_false (ct_calendar_add_hours (cal, G_DATE_MONDAY, 1200, 1300));
  g_assert_cmpint (ct_calendar_get_weekly_seconds (cal), ==, (100 + 60 + 100 + 100) * 60);
}

static void
test_never_open (void)
{
  g_autoptr(CtCalendar) cal = ct_calendar_new ("closed", NULL);

  g_assert_cmpint (ct_calendar_add_business_seconds (cal, 0, 60), ==, G_MAXINT64);
  g_assert_cmpint (ct_calendar_business_seconds_between (cal, 0, 86400 * 10), ==, 0);
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/calendar/split-day", test_split_day);
  g_test_add_func ("/ct/core/calendar/dst-spring-forward", test_dst_spring_forward);
  g_test_add_func ("/ct/core/calendar/dst-fall-back", test_dst_fall_back);
  g_test_add_func ("/ct/core/calendar/dst-sunday-lengths", test_dst_sunday_lengths);
  g_test_add_func ("/ct/core/calendar/holidays", test_holidays);
  g_test_add_func ("/ct/core/calendar/far-times", test_far_times);
  g_test_add_func ("/ct/core/calendar/absurd-times", test_absurd_times);
  g_test_add_func ("/ct/core/calendar/invalid-spans", test_invalid_spans);
  g_test_add_func ("/ct/core/calendar/never-open", test_never_open);

  return g_test_run ();
}
