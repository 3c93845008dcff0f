/* ct-metrics.h - Counts, ageing, cycle times and breach rates over cases
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ct-case.h"
#include "ct-profile.h"

G_BEGIN_DECLS

/* Ageing in business hours (pauses excluded): < 4 h, 4–8 h, 8–16 h,
 * 16–40 h, ≥ 40 h — half a day, a day, two days, a week. */
#define CT_METRICS_N_AGE_BUCKETS 5

typedef struct
{
  char  *reason;    /* (owned) the reason with its figures replaced by "…" */
  guint  count;
} CtReasonCount;

typedef struct
{
  char      *id;                 /* (owned) area or queue id, "all" for the total */
  char      *label;              /* (owned) */
  guint      pending;            /* open cases (pending + awaiting revision) */
  guint      upcoming;
  guint      awaiting_revision;
  guint      on_track;
  guint      at_risk;
  guint      breached;
  guint      escalated;          /* escalation level ≥ 1 */
  guint      ageing[CT_METRICS_N_AGE_BUCKETS];
  guint      decided_30d;
  guint      decided_90d;
  double     cycle_p50_30d;      /* business hours from request to decision; NAN: no data */
  double     cycle_p90_30d;
  double     cycle_p50_90d;
  double     cycle_p90_90d;
  guint      breached_decided_30d;
  double     breach_rate_30d;    /* share of the last 30 days' decisions that breached; NAN */
  GPtrArray *top_reasons;        /* (owned) (element-type CtReasonCount) most frequent first,
                                  * at most 5 */
} CtMetricsGroup;

typedef struct
{
  char  *approver;   /* (owned) */
  guint  pending;
  guint  breached;
} CtApproverBacklog;

typedef struct
{
  gint64          now;
  CtMetricsGroup *total;         /* (owned) */
  GPtrArray      *areas;         /* (owned) (element-type CtMetricsGroup) profile order */
  GPtrArray      *queues;        /* (owned) (element-type CtMetricsGroup) profile order */
  GPtrArray      *approvers;     /* (owned) (element-type CtApproverBacklog) biggest first */
  guint           incidents;
} CtMetrics;

/* Metrics at @now over @cases (open cases, with c->sla already up to date —
 * see ct_sla_update_all()) and @history (decided cases; may be NULL, and
 * decided cases inside @cases count as history too). Pure. */
CtMetrics  *ct_metrics_compute            (CtProfile  *profile,
                                           GPtrArray  *cases,
                                           GPtrArray  *history,
                                           gint64      now);
void        ct_metrics_free               (CtMetrics  *self);
/* For `--report=metrics --format=json`: the total, areas, queues and
 * approvers; cycle times in business hours, null where there is no data. */
JsonNode   *ct_metrics_to_json            (CtMetrics  *self);
const CtMetricsGroup *ct_metrics_find_area (CtMetrics *self,
                                            const char *area_id);
const char *ct_metrics_age_bucket_label   (guint       bucket);
/* Nearest-rank percentile (0–100) of @values, sorted in place; NAN if empty. */
double      ct_percentile                 (double     *values,
                                           guint       n,
                                           double      percent);

/* How many approvals breached on each of the last @n_days local days,
 * oldest first in @out: open breached cases on the day they fell due,
 * decided ones that breached on the day they were decided. */
void        ct_metrics_breach_trend       (GPtrArray  *cases,
                                           gint64      now,
                                           guint       n_days,
                                           guint      *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtMetrics, ct_metrics_free)

G_END_DECLS
