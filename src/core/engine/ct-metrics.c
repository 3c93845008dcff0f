/* ct-metrics.c - Counts, ageing, cycle times and breach rates over cases
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-metrics"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ct-metrics.h"

#define DAY (24 * 3600)

/* Working state of one group while counting. */
typedef struct
{
  CtMetricsGroup *group;
  GArray         *cycles_30;    /* double business hours */
  GArray         *cycles_90;
  GHashTable     *reasons;      /* normalised reason → count */
} Acc;

static const gint64 age_limits[CT_METRICS_N_AGE_BUCKETS - 1] = {
  4 * 3600, 8 * 3600, 16 * 3600, 40 * 3600,
};

static void
reason_count_free (CtReasonCount *r)
{
  g_free (r->reason);
  g_free (r);
}

static void
group_free (CtMetricsGroup *g)
{
  g_free (g->id);
  g_free (g->label);
  g_ptr_array_unref (g->top_reasons);
  g_free (g);
}

static void
backlog_free (CtApproverBacklog *b)
{
  g_free (b->approver);
  g_free (b);
}

static void
acc_init (Acc        *acc,
          const char *id,
          const char *label)
{
  acc->group = g_new0 (CtMetricsGroup, 1);
  acc->group->id = g_strdup (id);
  acc->group->label = g_strdup (label);
  acc->group->top_reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) reason_count_free);
  acc->cycles_30 = g_array_new (FALSE, FALSE, sizeof (double));
  acc->cycles_90 = g_array_new (FALSE, FALSE, sizeof (double));
  acc->reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
ct_percentile (double *values,
               guint   n,
               double  percent)
{
  guint rank;

  if (n == 0)
    return NAN;
  qsort (values, n, sizeof (double), cmp_double);
  rank = (guint) ceil (percent / 100.0 * n);
  return values[CLAMP (rank, 1, n) - 1];
}

static int
cmp_reason_count (gconstpointer a,
                  gconstpointer b)
{
  const CtReasonCount *x = *(CtReasonCount **) a, *y = *(CtReasonCount **) b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->reason, y->reason);
}

static CtMetricsGroup *
acc_finish (Acc *acc)
{
  CtMetricsGroup *g = acc->group;
  double *c30 = (double *) (gpointer) acc->cycles_30->data;
  double *c90 = (double *) (gpointer) acc->cycles_90->data;
  GHashTableIter iter;
  gpointer k, v;

  g->decided_30d = acc->cycles_30->len;
  g->decided_90d = acc->cycles_90->len;
  g->cycle_p50_30d = ct_percentile (c30, acc->cycles_30->len, 50);
  g->cycle_p90_30d = ct_percentile (c30, acc->cycles_30->len, 90);
  g->cycle_p50_90d = ct_percentile (c90, acc->cycles_90->len, 50);
  g->cycle_p90_90d = ct_percentile (c90, acc->cycles_90->len, 90);
  g->breach_rate_30d = g->decided_30d ? (double) g->breached_decided_30d / g->decided_30d : NAN;

  g_hash_table_iter_init (&iter, acc->reasons);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      CtReasonCount *r = g_new0 (CtReasonCount, 1);

      r->reason = g_strdup (k);
      r->count = GPOINTER_TO_UINT (v);
      g_ptr_array_add (g->top_reasons, r);
    }
  g_ptr_array_sort (g->top_reasons, cmp_reason_count);
  if (g->top_reasons->len > 5)
    g_ptr_array_set_size (g->top_reasons, 5);

  g_array_unref (acc->cycles_30);
  g_array_unref (acc->cycles_90);
  g_hash_table_unref (acc->reasons);
  acc->group = NULL;
  return g;
}

/* "discount 18 % > 10 % limit" and "discount 25 % > 10 % limit" are the
 * same reason: replace each figure ("12 400", "3.5") by "…". */
static char *
normalise_reason (const char *reason)
{
  GString *out = g_string_sized_new (strlen (reason));

  for (const char *p = reason; *p;)
    {
      if (g_ascii_isdigit (*p))
        {
          while (g_ascii_isdigit (*p) ||
                 ((*p == ' ' || *p == '.' || *p == ',') && g_ascii_isdigit (p[1])))
            p++;
          g_string_append (out, "…");
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static void
count_open (Acc    *acc,
            CtCase *c)
{
  CtMetricsGroup *g = acc->group;
  gint64 age = c->sla.elapsed_seconds;
  guint bucket = 0;

  if (c->status == CT_CASE_STATUS_UPCOMING)
    {
      g->upcoming++;
      return;
    }
  g->pending++;
  if (c->status == CT_CASE_STATUS_AWAITING_REVISION)
    g->awaiting_revision++;
  switch (c->sla.status)
    {
    case CT_SLA_STATUS_ON_TRACK: g->on_track++; break;
    case CT_SLA_STATUS_AT_RISK: g->at_risk++; break;
    case CT_SLA_STATUS_BREACHED: g->breached++; break;
    case CT_SLA_STATUS_NONE: default: break;
    }
  if (c->sla.escalation_level > 0)
    g->escalated++;
  while (bucket < CT_METRICS_N_AGE_BUCKETS - 1 && age >= age_limits[bucket])
    bucket++;
  g->ageing[bucket]++;
}

static void
count_reasons (Acc       *acc,
               GPtrArray *normalised)
{
  for (guint i = 0; i < normalised->len; i++)
    {
      gpointer orig, v;

      if (g_hash_table_lookup_extended (acc->reasons, normalised->pdata[i], &orig, &v))
        g_hash_table_insert (acc->reasons, g_strdup (orig),
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (v) + 1));
      else
        g_hash_table_insert (acc->reasons, g_strdup (normalised->pdata[i]),
                             GUINT_TO_POINTER (1));
    }
}

static void
count_decided (Acc    *acc,
               double  hours,
               gint64  age,
               gboolean breached)
{
  if (age <= 90 * DAY)
    g_array_append_val (acc->cycles_90, hours);
  if (age <= 30 * DAY)
    {
      g_array_append_val (acc->cycles_30, hours);
      if (breached)
        acc->group->breached_decided_30d++;
    }
}

static int
cmp_backlog (gconstpointer a,
             gconstpointer b)
{
  const CtApproverBacklog *x = *(CtApproverBacklog **) a, *y = *(CtApproverBacklog **) b;

  if (x->pending != y->pending)
    return x->pending > y->pending ? -1 : 1;
  return g_strcmp0 (x->approver, y->approver);
}

CtMetrics *
ct_metrics_compute (CtProfile *profile,
                    GPtrArray *cases,
                    GPtrArray *history,
                    gint64     now)
{
  guint n_areas = ct_profile_get_n_areas (profile);
  guint n_queues = ct_profile_get_n_queues (profile);
  g_autofree Acc *areas = g_new0 (Acc, n_areas);
  g_autofree Acc *queues = g_new0 (Acc, n_queues);
  g_autoptr(GHashTable) queue_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) backlog = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) normalised = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *lists[2] = { cases, history };
  CtMetrics *m = g_new0 (CtMetrics, 1);
  Acc total;
  GHashTableIter iter;
  gpointer k, v;

  m->now = now;
  acc_init (&total, "all", _("All areas"));
  for (guint i = 0; i < n_areas; i++)
    acc_init (&areas[i], ct_profile_get_area (profile, i)->id,
              ct_profile_get_area (profile, i)->label);
  for (guint i = 0; i < n_queues; i++)
    {
      const CtQueue *q = ct_profile_get_queue (profile, i);

      acc_init (&queues[i], q->id, q->label);
      g_hash_table_insert (queue_index, q->id, GUINT_TO_POINTER (i + 1));
    }
  m->approvers = g_ptr_array_new_with_free_func ((GDestroyNotify) backlog_free);

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] && i < lists[l]->len; i++)
      {
        CtCase *c = lists[l]->pdata[i];
        const CtArea *area;
        Acc *aa = NULL, *qa = NULL;
        guint qi;

        if (c->kind == CT_CASE_KIND_INCIDENT)
          {
            m->incidents++;
            continue;
          }
        area = ct_profile_find_area (profile, c->area_id);
        if (area != NULL)
          aa = &areas[area->index];
        qi = c->queue_id ? GPOINTER_TO_UINT (g_hash_table_lookup (queue_index, c->queue_id)) : 0;
        if (qi > 0)
          qa = &queues[qi - 1];

        if (c->status == CT_CASE_STATUS_DECIDED)
          {
            gint64 age = now - c->decided_at;
            double hours;

            if (c->decided_at <= 0 || c->requested_at <= 0 || age > 90 * DAY || age < 0 ||
                area == NULL)
              continue;
            hours = ct_calendar_business_seconds_between (area->calendar, c->requested_at,
                                                          c->decided_at) / 3600.0;
            count_decided (&total, hours, age, c->breached_when_decided);
            count_decided (aa, hours, age, c->breached_when_decided);
            if (qa)
              count_decided (qa, hours, age, c->breached_when_decided);
            continue;
          }

        count_open (&total, c);
        if (aa)
          count_open (aa, c);
        if (qa)
          count_open (qa, c);

        g_ptr_array_set_size (normalised, 0);
        for (guint r = 0; r < c->reasons->len; r++)
          g_ptr_array_add (normalised, normalise_reason (c->reasons->pdata[r]));
        count_reasons (&total, normalised);
        if (aa)
          count_reasons (aa, normalised);
        if (qa)
          count_reasons (qa, normalised);

        if (c->status == CT_CASE_STATUS_UPCOMING)
          continue;
        for (guint r = 0; r < c->requirements->len; r++)
          {
            CtRequirement *req = c->requirements->pdata[r];
            CtApproverBacklog *b;

            if (req->state != CT_APPROVER_STATE_PENDING || req->approver == NULL)
              continue;
            b = g_hash_table_lookup (backlog, req->approver);
            if (b == NULL)
              {
                b = g_new0 (CtApproverBacklog, 1);
                b->approver = g_strdup (req->approver);
                g_hash_table_insert (backlog, b->approver, b);
              }
            b->pending++;
            if (c->sla.status == CT_SLA_STATUS_BREACHED)
              b->breached++;
          }
      }

  m->total = acc_finish (&total);
  m->areas = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  for (guint i = 0; i < n_areas; i++)
    g_ptr_array_add (m->areas, acc_finish (&areas[i]));
  m->queues = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  for (guint i = 0; i < n_queues; i++)
    g_ptr_array_add (m->queues, acc_finish (&queues[i]));
  g_hash_table_iter_init (&iter, backlog);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_ptr_array_add (m->approvers, v);
  g_ptr_array_sort (m->approvers, cmp_backlog);
  return m;
}

void
ct_metrics_free (CtMetrics *self)
{
  if (self == NULL)
    return;
  group_free (self->total);
  g_ptr_array_unref (self->areas);
  g_ptr_array_unref (self->queues);
  g_ptr_array_unref (self->approvers);
  g_free (self);
}

static void
add_number (JsonBuilder *b,
            const char  *name,
            double       v)
{
  json_builder_set_member_name (b, name);
  if (isnan (v))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, v);
}

static void
add_count (JsonBuilder *b,
           const char  *name,
           guint        v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
add_group (JsonBuilder          *b,
           const CtMetricsGroup *g)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, g->id);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, g->label);
  add_count (b, "pending", g->pending);
  add_count (b, "upcoming", g->upcoming);
  add_count (b, "awaiting_revision", g->awaiting_revision);
  add_count (b, "on_track", g->on_track);
  add_count (b, "at_risk", g->at_risk);
  add_count (b, "breached", g->breached);
  add_count (b, "escalated", g->escalated);
  json_builder_set_member_name (b, "ageing_hours");
  json_builder_begin_object (b);
  {
    static const char *names[CT_METRICS_N_AGE_BUCKETS] = { "0-4", "4-8", "8-16", "16-40", "40+" };

    for (guint i = 0; i < CT_METRICS_N_AGE_BUCKETS; i++)
      add_count (b, names[i], g->ageing[i]);
  }
  json_builder_end_object (b);
  add_count (b, "decided_30d", g->decided_30d);
  add_count (b, "decided_90d", g->decided_90d);
  add_number (b, "cycle_hours_p50_30d", g->cycle_p50_30d);
  add_number (b, "cycle_hours_p90_30d", g->cycle_p90_30d);
  add_number (b, "cycle_hours_p50_90d", g->cycle_p50_90d);
  add_number (b, "cycle_hours_p90_90d", g->cycle_p90_90d);
  add_number (b, "breach_rate_30d", g->breach_rate_30d);
  json_builder_set_member_name (b, "top_reasons");
  json_builder_begin_array (b);
  for (guint i = 0; i < g->top_reasons->len; i++)
    {
      CtReasonCount *r = g->top_reasons->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, r->reason);
      add_count (b, "count", r->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

JsonNode *
ct_metrics_to_json (CtMetrics *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "total");
  add_group (b, self->total);
  json_builder_set_member_name (b, "areas");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->areas->len; i++)
    add_group (b, self->areas->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "queues");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->queues->len; i++)
    add_group (b, self->queues->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "approvers");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->approvers->len; i++)
    {
      CtApproverBacklog *a = self->approvers->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "approver");
      json_builder_add_string_value (b, a->approver);
      add_count (b, "pending", a->pending);
      add_count (b, "breached", a->breached);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_count (b, "incidents", self->incidents);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

const CtMetricsGroup *
ct_metrics_find_area (CtMetrics  *self,
                      const char *area_id)
{
  for (guint i = 0; i < self->areas->len; i++)
    if (g_strcmp0 (((CtMetricsGroup *) self->areas->pdata[i])->id, area_id) == 0)
      return self->areas->pdata[i];
  return NULL;
}

const char *
ct_metrics_age_bucket_label (guint bucket)
{
  switch (bucket)
    {
    case 0: return _("Under 4 business hours");
    case 1: return _("4 to 8 business hours");
    case 2: return _("8 to 16 business hours");
    case 3: return _("16 to 40 business hours");
    case 4: return _("40 business hours or more");
    default: return "";
    }
}

void
ct_metrics_breach_trend (GPtrArray *cases,
                         gint64     now,
                         guint      n_days,
                         guint     *out)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now);
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (local),
                                                         g_date_time_get_month (local),
                                                         g_date_time_get_day_of_month (local),
                                                         0, 0, 0);
  gint64 today = g_date_time_to_unix (midnight);

  memset (out, 0, sizeof (guint) * n_days);
  for (guint i = 0; cases != NULL && i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];
      gint64 when;
      gint64 day;

      if (c->kind != CT_CASE_KIND_APPROVAL)
        continue;
      if (c->status == CT_CASE_STATUS_DECIDED)
        {
          if (!c->breached_when_decided)
            continue;
          when = c->decided_at;
        }
      else if (c->sla.status == CT_SLA_STATUS_BREACHED)
        when = c->sla.due;
      else
        continue;
      day = when >= today ? (when - today) / 86400 : -((today - when + 86399) / 86400);
      day += (gint64) n_days - 1;
      if (day >= 0 && day < (gint64) n_days)
        out[day]++;
    }
}
