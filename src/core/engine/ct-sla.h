/* ct-sla.h - The SLA clock: due time, risk, breach and escalation of a case
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CT_SLA_STATUS_NONE,       /* no SLA applies (decided, incident, unknown area) */
  CT_SLA_STATUS_ON_TRACK,
  CT_SLA_STATUS_AT_RISK,
  CT_SLA_STATUS_BREACHED,
} CtSlaStatus;

typedef struct
{
  CtSlaStatus status;
  gboolean    paused;            /* awaiting revision now: the clock stands still */
  gint64      due;               /* Unix time the window ends (moves with pauses) */
  gint64      window_seconds;    /* business seconds allowed */
  gint64      elapsed_seconds;   /* business seconds used, pauses excluded */
  double      used;              /* elapsed / window; > 1 when breached */
  gint64      breached_seconds;  /* business seconds past due, 0 unless breached */
  guint       escalation_level;  /* 0 = none, else the chain's level reached */
} CtSlaState;

/* A pause: [start, end); end 0 means still paused. */
typedef struct
{
  gint64 start;
  gint64 end;
} CtPeriod;

typedef struct _CtCase    CtCase;
typedef struct _CtProfile CtProfile;

/* SLA state of @c under @profile at @now (Unix seconds). Pure: the case is
 * not changed. */
void         ct_sla_compute            (CtProfile   *profile,
                                        CtCase      *c,
                                        gint64       now,
                                        CtSlaState  *out);
/* Computes and stores the SLA state (c->sla) of every case in @cases, for the
 * minute tick. Prepares the calendars' tables first so no lookup rebuilds one.
 * Returns how many cases changed status or escalation level. */
guint        ct_sla_update_all         (CtProfile   *profile,
                                        GPtrArray   *cases,
                                        gint64       now);

const char  *ct_sla_status_to_string   (CtSlaStatus  status);
/* "on track", "at risk", "breached", in the user's language. */
const char  *ct_sla_status_get_label   (CtSlaStatus  status);
/* "2 h 15 min" of business time, in the user's language. */
char        *ct_format_business_duration (gint64     seconds);

G_END_DECLS
