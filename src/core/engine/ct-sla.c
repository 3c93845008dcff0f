/* ct-sla.c - The SLA clock: due time, risk, breach and escalation of a case
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sla"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-case.h"
#include "ct-profile.h"
#include "ct-sla.h"

static gint64
window_for (const CtArea *area,
            CtCase       *c)
{
  gint64 window = area->sla.window_seconds;

  /* The shortest matching override wins: a strategic customer's urgent
   * shipment gets the tighter of the two promises. */
  for (guint i = 0; area->sla.overrides && i < area->sla.overrides->len; i++)
    {
      const CtSlaOverride *o = area->sla.overrides->pdata[i];
      gboolean match = FALSE;

      if (o->customer_tier != NULL && c->partner.tier != NULL &&
          strcmp (o->customer_tier, c->partner.tier) == 0)
        match = TRUE;
      if (o->urgent && c->urgent)
        match = TRUE;
      if (match && o->window_seconds < window)
        window = o->window_seconds;
    }
  return window;
}

static void
compute_with_area (const CtArea *area,
                   CtCase       *c,
                   gint64        now,
                   CtSlaState   *out)
{
  CtCalendar *cal = area->calendar;
  gint64 window = window_for (area, c);
  gint64 start = c->requested_at;
  gint64 off_start, off_now, paused = 0, elapsed;
  gboolean paused_now = c->status == CT_CASE_STATUS_AWAITING_REVISION;

  memset (out, 0, sizeof *out);
  if (start > now)
    start = now;

  /* Offsets of one computation must share an origin: make the table cover
   * the whole span first (two comparisons when it already does). */
  ct_calendar_prepare_range (cal, start, now);
  off_start = ct_calendar_offset (cal, start);
  off_now = ct_calendar_offset (cal, now);

  for (guint i = 0; i < c->pauses->len; i++)
    {
      const CtPeriod *p = &g_array_index (c->pauses, CtPeriod, i);
      gint64 ps = MAX (p->start, start);
      gint64 pe = p->end == 0 ? now : MIN (p->end, now);

      if (p->end == 0 && p->start <= now)
        paused_now = TRUE;
      if (pe > ps)
        paused += ct_calendar_offset (cal, pe) - ct_calendar_offset (cal, ps);
    }

  elapsed = MAX (0, off_now - off_start - paused);
  out->paused = paused_now;
  out->window_seconds = window;
  out->elapsed_seconds = elapsed;
  out->used = window > 0 ? (double) elapsed / (double) window : 0;
  /* While paused the due time is where it would be if work resumed now. */
  out->due = ct_calendar_instant_at_offset_or_add (cal, start, off_start, window + paused);

  if (elapsed >= window)
    {
      out->status = CT_SLA_STATUS_BREACHED;
      out->breached_seconds = elapsed - window;
    }
  else if (out->used >= area->sla.warning_ratio)
    out->status = CT_SLA_STATUS_AT_RISK;
  else
    out->status = CT_SLA_STATUS_ON_TRACK;

  if (area->escalation != NULL)
    for (guint i = 0; i < area->escalation->levels->len; i++)
      {
        const CtEscalationLevel *l = area->escalation->levels->pdata[i];

        if (elapsed >= l->after_seconds)
          out->escalation_level = l->level;
      }
}

void
ct_sla_compute (CtProfile  *profile,
                CtCase     *c,
                gint64      now,
                CtSlaState *out)
{
  const CtArea *area;

  g_return_if_fail (CT_IS_PROFILE (profile));
  g_return_if_fail (CT_IS_CASE (c));
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  /* Upcoming cases are not yet anyone's turn, and decided ones are done. */
  if (c->kind != CT_CASE_KIND_APPROVAL || c->status == CT_CASE_STATUS_DECIDED ||
      c->status == CT_CASE_STATUS_UPCOMING || c->requested_at <= 0)
    return;
  area = ct_profile_find_area (profile, c->area_id);
  if (area == NULL)
    return;
  compute_with_area (area, c, now, out);
}

guint
ct_sla_update_all (CtProfile *profile,
                   GPtrArray *cases,
                   gint64     now)
{
  gint64 earliest = now;
  guint changed = 0;
  const CtArea *last_area = NULL;

  g_return_val_if_fail (CT_IS_PROFILE (profile), 0);

  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];

      if (c->requested_at > 0 && c->requested_at < earliest)
        earliest = c->requested_at;
    }
  /* Grow every table once, up front, to cover all starts and the due times
   * of a generous window, so the loop below never rebuilds one. */
  for (guint i = 0; i < ct_profile_get_n_areas (profile); i++)
    ct_calendar_prepare_range (ct_profile_get_area (profile, i)->calendar, earliest,
                               now + 120 * 24 * 3600);

  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];
      CtSlaState s;
      const CtArea *area;

      memset (&s, 0, sizeof s);
      if (c->kind == CT_CASE_KIND_APPROVAL && c->status != CT_CASE_STATUS_DECIDED &&
          c->status != CT_CASE_STATUS_UPCOMING && c->requested_at > 0 && c->area_id != NULL)
        {
          if (last_area != NULL && strcmp (last_area->id, c->area_id) == 0)
            area = last_area;
          else
            area = last_area = ct_profile_find_area (profile, c->area_id);
          if (area != NULL)
            compute_with_area (area, c, now, &s);
        }
      if (s.status != c->sla.status || s.escalation_level != c->sla.escalation_level)
        changed++;
      c->sla = s;
    }
  return changed;
}

const char *
ct_sla_status_to_string (CtSlaStatus status)
{
  static const char *names[] = { "none", "on-track", "at-risk", "breached" };

  return (guint) status < G_N_ELEMENTS (names) ? names[status] : "none";
}

const char *
ct_sla_status_get_label (CtSlaStatus status)
{
  switch (status)
    {
    case CT_SLA_STATUS_ON_TRACK:
      return _("On track");
    case CT_SLA_STATUS_AT_RISK:
      return _("At risk");
    case CT_SLA_STATUS_BREACHED:
      return _("Breached");
    case CT_SLA_STATUS_NONE:
    default:
      return _("No SLA");
    }
}

char *
ct_format_business_duration (gint64 seconds)
{
  gint64 minutes = (seconds < 0 ? -seconds : seconds) / 60;
  gint64 h = minutes / 60, m = minutes % 60;

  if (h == 0)
    /* Translators: a duration in business time, e.g. "45 min" */
    return g_strdup_printf (_("%d min"), (int) m);
  if (m == 0)
    /* Translators: a duration in business time, e.g. "8 h" */
    return g_strdup_printf (_("%d h"), (int) h);
  /* Translators: a duration in business time, e.g. "2 h 15 min" */
  return g_strdup_printf (_("%d h %d min"), (int) h, (int) m);
}
