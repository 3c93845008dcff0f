/* ct-calendar.c - Business-hours calendar: weekly hours, holidays, time zone
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-calendar"

#include "config.h"

#include "ct-calendar.h"

typedef struct
{
  guint16 start;
  guint16 end;
} Span;

/* Business time is precomputed as a sorted table of open intervals in UTC,
 * with the business seconds before each one. A lookup is then one binary
 * search, so recomputing 100 000 cases a minute costs a few milliseconds
 * whatever the DST rules and holidays are. The table covers a range of local
 * days and grows when a time outside it is asked for. */
struct _CtCalendar
{
  gatomicrefcount  ref_count;
  char            *id;              /* (owned) */
  GTimeZone       *tz;              /* (owned) */
  Span             week[8][CT_CALENDAR_MAX_SPANS_PER_DAY];
  guint            n_spans[8];
  GHashTable      *holidays;        /* (owned) julian day → 1 */
  gboolean         annual[13][32];

  guint32          first_julian;    /* range of local days in the table: [first, last) */
  guint32          last_julian;
  gint64           range_start;     /* local midnight of first_julian, Unix */
  gint64           range_end;       /* local midnight of last_julian, Unix */
  gint64          *starts;          /* (owned) */
  gint64          *ends;            /* (owned) */
  gint64          *prefix;          /* (owned) n + 1 entries */
  guint            n;
  gboolean         built;
};

#define SECONDS_PER_DAY 86400
#define JULIAN_OF_UNIX_EPOCH 719163 /* g_date_get_julian (1970-01-01) */

/* The table never covers more than 1970–2199: a date from a damaged record
 * ("9999-12-31") must not make it grow to gigabytes. Times outside give
 * saturated answers (no business time before 1970 or after 2199). */
#define MIN_TIME G_GINT64_CONSTANT (0)
#define MAX_TIME G_GINT64_CONSTANT (7258118400) /* 2200-01-01T00:00:00Z */

CtCalendar *
ct_calendar_new (const char *id,
                 GTimeZone  *tz)
{
  CtCalendar *self = g_new0 (CtCalendar, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->id = g_strdup (id);
  self->tz = tz ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
  self->holidays = g_hash_table_new (NULL, NULL);
  return self;
}

CtCalendar *
ct_calendar_ref (CtCalendar *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
invalidate (CtCalendar *self)
{
  g_clear_pointer (&self->starts, g_free);
  g_clear_pointer (&self->ends, g_free);
  g_clear_pointer (&self->prefix, g_free);
  self->n = 0;
  self->built = FALSE;
}

void
ct_calendar_unref (CtCalendar *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  invalidate (self);
  g_hash_table_unref (self->holidays);
  g_time_zone_unref (self->tz);
  g_free (self->id);
  g_free (self);
}

const char *
ct_calendar_get_id (CtCalendar *self)
{
  return self->id;
}

GTimeZone *
ct_calendar_get_timezone (CtCalendar *self)
{
  return self->tz;
}

gboolean
ct_calendar_add_hours (CtCalendar   *self,
                       GDateWeekday  weekday,
                       guint         start_minute,
                       guint         end_minute)
{
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);

  if (weekday < G_DATE_MONDAY || weekday > G_DATE_SUNDAY)
    return FALSE;
  if (start_minute >= end_minute || end_minute > 1440)
    return FALSE;
  n = self->n_spans[weekday];
  if (n >= CT_CALENDAR_MAX_SPANS_PER_DAY)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (start_minute < self->week[weekday][i].end && self->week[weekday][i].start < end_minute)
      return FALSE;

  /* Keep the spans of a day sorted so the table is built in time order. */
  while (n > 0 && self->week[weekday][n - 1].start > start_minute)
    {
      self->week[weekday][n] = self->week[weekday][n - 1];
      n--;
    }
  self->week[weekday][n].start = start_minute;
  self->week[weekday][n].end = end_minute;
  self->n_spans[weekday]++;
  invalidate (self);
  return TRUE;
}

void
ct_calendar_add_holiday (CtCalendar *self,
                         GDateYear   year,
                         GDateMonth  month,
                         GDateDay    day)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (g_date_valid_dmy (day, month, year));

  {
    GDate d;

    g_date_clear (&d, 1);
    g_date_set_dmy (&d, day, month, year);
    g_hash_table_add (self->holidays, GUINT_TO_POINTER (g_date_get_julian (&d)));
  }
  invalidate (self);
}

void
ct_calendar_add_annual_holiday (CtCalendar *self,
                                GDateMonth  month,
                                GDateDay    day)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (month >= 1 && month <= 12 && day >= 1 && day <= 31);

  self->annual[month][day] = TRUE;
  invalidate (self);
}

gboolean
ct_calendar_is_holiday (CtCalendar  *self,
                        const GDate *date)
{
  if (self->annual[g_date_get_month (date)][g_date_get_day (date)])
    return TRUE;
  return g_hash_table_contains (self->holidays, GUINT_TO_POINTER (g_date_get_julian (date)));
}

gint64
ct_calendar_get_weekly_seconds (CtCalendar *self)
{
  gint64 total = 0;

  for (guint d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    for (guint i = 0; i < self->n_spans[d]; i++)
      total += (self->week[d][i].end - self->week[d][i].start) * 60;
  return total;
}

/* Wall-clock time of a local day to a UTC instant. GDateTime resolves times
 * that do not exist (spring forward) by moving them forward and picks the
 * first of two repeated ones, which is what an office clock does. */
static gint64
local_to_unix (CtCalendar *self,
               guint32     julian,
               guint       minute)
{
  GDate d;
  g_autoptr(GDateTime) dt = NULL;

  if (minute >= 1440)
    {
      julian += minute / 1440;
      minute %= 1440;
    }
  g_date_clear (&d, 1);
  g_date_set_julian (&d, julian);
  dt = g_date_time_new (self->tz, g_date_get_year (&d), g_date_get_month (&d),
                        g_date_get_day (&d), minute / 60, minute % 60, 0);
  if (dt == NULL)
    return ((gint64) julian - JULIAN_OF_UNIX_EPOCH) * SECONDS_PER_DAY + minute * 60;
  return g_date_time_to_unix (dt);
}

static guint32
unix_to_local_julian (CtCalendar *self,
                      gint64      t)
{
  gint interval = g_time_zone_find_interval (self->tz, G_TIME_TYPE_UNIVERSAL, t);
  gint64 local = t + (interval >= 0 ? g_time_zone_get_offset (self->tz, interval) : 0);
  gint64 days = local >= 0 ? local / SECONDS_PER_DAY
                           : -((-local + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY);
  gint64 j = days + JULIAN_OF_UNIX_EPOCH;

  return (guint32) CLAMP (j, 1, (gint64) G_MAXUINT32 / 2);
}

static void
build (CtCalendar *self,
       guint32     first_julian,
       guint32     last_julian)
{
  guint cap = (last_julian - first_julian) * CT_CALENDAR_MAX_SPANS_PER_DAY + 1;
  gint64 sum = 0;
  guint n = 0;

  invalidate (self);
  self->starts = g_new (gint64, cap);
  self->ends = g_new (gint64, cap);
  self->prefix = g_new (gint64, cap + 1);

  for (guint32 j = first_julian; j < last_julian; j++)
    {
      GDate d;
      GDateWeekday wd;

      g_date_clear (&d, 1);
      g_date_set_julian (&d, j);
      if (ct_calendar_is_holiday (self, &d))
        continue;
      wd = g_date_get_weekday (&d);
      for (guint i = 0; i < self->n_spans[wd]; i++)
        {
          gint64 s = local_to_unix (self, j, self->week[wd][i].start);
          gint64 e = local_to_unix (self, j, self->week[wd][i].end);

          /* A span swallowed by a DST gap, or overlapping the previous one
           * after a fall-back, must not count twice. */
          if (n > 0 && s < self->ends[n - 1])
            s = self->ends[n - 1];
          if (e <= s)
            continue;
          self->starts[n] = s;
          self->ends[n] = e;
          self->prefix[n] = sum;
          sum += e - s;
          n++;
        }
    }
  self->prefix[n] = sum;
  self->n = n;
  self->first_julian = first_julian;
  self->last_julian = last_julian;
  self->range_start = local_to_unix (self, first_julian, 0);
  self->range_end = local_to_unix (self, last_julian, 0);
  self->built = TRUE;
}

/* Makes sure [from, to] lies inside the table. Growing forward keeps the
 * offset origin; growing backward moves it. */
static void
ensure_range (CtCalendar *self,
              gint64      from,
              gint64      to)
{
  guint32 jf, jt;
  guint32 first, last;

  from = CLAMP (from, MIN_TIME, MAX_TIME);
  to = CLAMP (to, MIN_TIME, MAX_TIME);
  if (self->built && from >= self->range_start && to < self->range_end)
    return;
  /* Already as wide as allowed. */
  if (self->built && self->range_start <= MIN_TIME + SECONDS_PER_DAY &&
      self->range_end >= MAX_TIME - SECONDS_PER_DAY)
    return;

  jf = unix_to_local_julian (self, from);
  jt = unix_to_local_julian (self, to);
  if (!self->built)
    {
      first = jf > 400 ? jf - 400 : 1;
      last = jt + 800;
    }
  else
    {
      first = self->first_julian;
      last = self->last_julian;
      if (from < self->range_start)
        first = MIN (first, jf > 366 ? jf - 366 : 1);
      if (to >= self->range_end)
        last = MAX (last, jt + 366);
    }
  first = MAX (first, JULIAN_OF_UNIX_EPOCH);
  last = MIN (last, unix_to_local_julian (self, MAX_TIME) + 1);
  g_debug ("Calendar %s: business table over %u days", self->id, last - first);
  build (self, first, last);
}

void
ct_calendar_prepare_range (CtCalendar *self,
                           gint64      from,
                           gint64      to)
{
  ensure_range (self, MIN (from, to), MAX (from, to));
}

/* Index of the last interval starting at or before t, or -1. */
static gssize
find_interval (CtCalendar *self,
               gint64      t)
{
  gssize lo = 0, hi = (gssize) self->n;

  while (lo < hi)
    {
      gssize mid = lo + (hi - lo) / 2;

      if (self->starts[mid] <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo - 1;
}

static gint64
offset_unchecked (CtCalendar *self,
                  gint64      t)
{
  gssize i = find_interval (self, t);

  if (i < 0)
    return 0;
  return self->prefix[i] + MIN (t, self->ends[i]) - self->starts[i];
}

gint64
ct_calendar_offset (CtCalendar *self,
                    gint64      t)
{
  ensure_range (self, t, t);
  return offset_unchecked (self, t);
}

gint64
ct_calendar_instant_at_offset (CtCalendar *self,
                               gint64      offset)
{
  gssize lo = 0, hi;

  if (!self->built)
    ensure_range (self, g_get_real_time () / G_USEC_PER_SEC, g_get_real_time () / G_USEC_PER_SEC);
  if (self->n == 0 || offset <= 0)
    return self->n > 0 ? self->starts[0] : self->range_start;

  /* Smallest i with prefix[i + 1] >= offset: the interval in which the
   * offset is reached, ending at a closing time rather than the next opening. */
  hi = (gssize) self->n;
  while (lo < hi)
    {
      gssize mid = lo + (hi - lo) / 2;

      if (self->prefix[mid + 1] >= offset)
        hi = mid;
      else
        lo = mid + 1;
    }
  if ((guint) lo >= self->n)
    return self->range_end;
  return self->starts[lo] + (offset - self->prefix[lo]);
}

gboolean
ct_calendar_is_business_time (CtCalendar *self,
                              gint64      t)
{
  gssize i;

  ensure_range (self, t, t);
  i = find_interval (self, t);
  return i >= 0 && t < self->ends[i];
}

gint64
ct_calendar_business_seconds_between (CtCalendar *self,
                                      gint64      from,
                                      gint64      to)
{
  ensure_range (self, MIN (from, to), MAX (from, to));
  return offset_unchecked (self, to) - offset_unchecked (self, from);
}

gint64
ct_calendar_add_business_seconds (CtCalendar *self,
                                  gint64      from,
                                  gint64      seconds)
{
  gint64 weekly = ct_calendar_get_weekly_seconds (self);

  if (seconds <= 0)
    return from;
  if (weekly == 0)
    return G_MAXINT64;

  ensure_range (self, from, from);
  /* Grow forward until the target lies in the table, by a guess of the
   * weeks it needs plus a year for holidays, up to the table's limit. */
  for (;;)
    {
      gint64 target = offset_unchecked (self, from) + seconds;
      guint32 limit = unix_to_local_julian (self, MAX_TIME) + 1;
      gint64 want;

      if (target <= self->prefix[self->n])
        return ct_calendar_instant_at_offset (self, target);
      if (self->last_julian >= limit)
        return G_MAXINT64;
      want = (gint64) self->last_julian + 366 + MIN (seconds / weekly, 100000) * 7;
      build (self, self->first_julian, (guint32) MIN (want, (gint64) limit));
    }
}

gint64
ct_calendar_instant_at_offset_or_add (CtCalendar *self,
                                      gint64      from,
                                      gint64      from_offset,
                                      gint64      seconds)
{
  if (seconds <= 0)
    return from;
  if (self->built && self->n > 0 && from_offset + seconds <= self->prefix[self->n])
    return ct_calendar_instant_at_offset (self, from_offset + seconds);
  return ct_calendar_add_business_seconds (self, from, seconds);
}
