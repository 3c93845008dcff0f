/* ct-calendar.h - Business-hours calendar: weekly hours, holidays, time zone
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Times are Unix seconds (UTC instants). Business hours are wall-clock hours in
 * the calendar's own time zone, so 08:00 stays 08:00 across DST changes.
 *
 * A calendar grows its lookup table on demand, so it is not thread-safe: use
 * one from one thread at a time (the profile's calendars belong to the main
 * thread). */
typedef struct _CtCalendar CtCalendar;

#define CT_CALENDAR_MAX_SPANS_PER_DAY 4

CtCalendar *ct_calendar_new                     (const char  *id,
                                                 GTimeZone   *tz);
CtCalendar *ct_calendar_ref                     (CtCalendar  *self);
void        ct_calendar_unref                   (CtCalendar  *self);

const char *ct_calendar_get_id                  (CtCalendar  *self);
GTimeZone  *ct_calendar_get_timezone            (CtCalendar  *self);

/* weekday: 1 = Monday … 7 = Sunday (GDateWeekday). Minutes from local midnight,
 * start < end <= 1440. Returns FALSE if the span is invalid, overlaps another
 * span of that day, or the day already has CT_CALENDAR_MAX_SPANS_PER_DAY. */
gboolean    ct_calendar_add_hours               (CtCalendar  *self,
                                                 GDateWeekday weekday,
                                                 guint        start_minute,
                                                 guint        end_minute);
/* A closed day on one date. */
void        ct_calendar_add_holiday             (CtCalendar  *self,
                                                 GDateYear    year,
                                                 GDateMonth   month,
                                                 GDateDay     day);
/* A closed day every year (e.g. 25 December). */
void        ct_calendar_add_annual_holiday      (CtCalendar  *self,
                                                 GDateMonth   month,
                                                 GDateDay     day);
gboolean    ct_calendar_is_holiday              (CtCalendar  *self,
                                                 const GDate *date);
/* Business seconds in one week (0 means the calendar never opens). */
gint64      ct_calendar_get_weekly_seconds      (CtCalendar  *self);

gboolean    ct_calendar_is_business_time        (CtCalendar  *self,
                                                 gint64       t);
/* Business seconds in [from, to); negative when to < from. */
gint64      ct_calendar_business_seconds_between (CtCalendar *self,
                                                  gint64      from,
                                                  gint64      to);
/* The instant at which @seconds business seconds have passed since @from. An
 * amount that ends exactly at a closing time gives that closing time. Returns
 * G_MAXINT64 when the calendar never opens. */
gint64      ct_calendar_add_business_seconds    (CtCalendar  *self,
                                                 gint64       from,
                                                 gint64       seconds);

/* A monotonic business-seconds coordinate: between (a, b) == offset (b) - offset (a).
 * Its origin moves when the table grows, so only compare offsets taken after the
 * same ct_calendar_prepare_range() call. Callers that compute many cases at once
 * prepare the range first so no lookup rebuilds the table. */
void        ct_calendar_prepare_range           (CtCalendar  *self,
                                                 gint64       from,
                                                 gint64       to);
gint64      ct_calendar_offset                  (CtCalendar  *self,
                                                 gint64       t);
gint64      ct_calendar_instant_at_offset       (CtCalendar  *self,
                                                 gint64       offset);

/* ct_calendar_add_business_seconds (self, from, seconds) for a caller that
 * already holds from's offset: one lookup instead of two when the result
 * lies in the table. */
gint64      ct_calendar_instant_at_offset_or_add (CtCalendar *self,
                                                  gint64      from,
                                                  gint64      from_offset,
                                                  gint64      seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtCalendar, ct_calendar_unref)

G_END_DECLS
