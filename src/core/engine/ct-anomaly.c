/* ct-anomaly.c - Robust outlier flags: median and MAD over a subject's history
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-anomaly"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ct-anomaly.h"

struct _CtAnomalyDetector
{
  GHashTable *histories;   /* "dimension\x1fsubject" → GArray of double */
};

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_sorted (const double *v,
               guint         n)
{
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

gboolean
ct_baseline_compute (const double *values,
                     guint         n,
                     CtBaseline   *out)
{
  g_autofree double *v = NULL;

  memset (out, 0, sizeof *out);
  if (n == 0)
    return FALSE;
  v = g_memdup2 (values, n * sizeof (double));
  qsort (v, n, sizeof (double), cmp_double);
  out->n = n;
  out->median = median_sorted (v, n);
  for (guint i = 0; i < n; i++)
    v[i] = fabs (v[i] - out->median);
  qsort (v, n, sizeof (double), cmp_double);
  out->mad = median_sorted (v, n);
  return TRUE;
}

double
ct_baseline_score (const CtBaseline *b,
                   double            value)
{
  double d = value - b->median;

  /* Median and MAD resist the outliers they are meant to find: one past
   * 40 % discount does not make 40 % look normal. */
  if (b->mad > 0)
    return 0.6745 * d / b->mad;
  if (fabs (d) < 1e-9)
    return 0;
  return d > 0 ? 1e9 : -1e9;
}

CtAnomalyDetector *
ct_anomaly_detector_new (void)
{
  CtAnomalyDetector *self = g_new0 (CtAnomalyDetector, 1);

  self->histories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_array_unref);
  return self;
}

void
ct_anomaly_detector_free (CtAnomalyDetector *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->histories);
  g_free (self);
}

void
ct_anomaly_detector_add (CtAnomalyDetector *self,
                         const char        *dimension,
                         const char        *subject,
                         double             value)
{
  g_autofree char *key = g_strconcat (dimension, "\x1f", subject, NULL);
  GArray *arr;

  if (!isfinite (value))
    return;
  arr = g_hash_table_lookup (self->histories, key);
  if (arr == NULL)
    {
      arr = g_array_new (FALSE, FALSE, sizeof (double));
      g_hash_table_insert (self->histories, g_steal_pointer (&key), arr);
    }
  g_array_append_val (arr, value);
}

gboolean
ct_anomaly_detector_get_baseline (CtAnomalyDetector *self,
                                  const char        *dimension,
                                  const char        *subject,
                                  CtBaseline        *out)
{
  g_autofree char *key = g_strconcat (dimension, "\x1f", subject, NULL);
  GArray *arr = g_hash_table_lookup (self->histories, key);

  if (arr == NULL)
    {
      memset (out, 0, sizeof *out);
      return FALSE;
    }
  return ct_baseline_compute ((double *) (gpointer) arr->data, arr->len, out);
}

void
ct_anomaly_detector_learn (CtAnomalyDetector *self,
                           CtCase            *c)
{
  char subject[64];

  if (c->requester_id > 0 && isfinite (c->discount))
    {
      g_snprintf (subject, sizeof subject, "salesperson:%" G_GINT64_FORMAT, c->requester_id);
      ct_anomaly_detector_add (self, "discount", subject, c->discount);
    }
  if (c->partner.id > 0)
    {
      g_snprintf (subject, sizeof subject, "customer:%" G_GINT64_FORMAT, c->partner.id);
      if (isfinite (c->discount))
        ct_anomaly_detector_add (self, "discount", subject, c->discount);
      if (c->amount > 0)
        ct_anomaly_detector_add (self, "amount", subject, c->amount);
    }
}

static gboolean
check_one (CtAnomalyDetector       *self,
           const CtAnomalySettings *settings,
           CtCase                  *c,
           const char              *dimension,
           const char              *subject,
           double                   value,
           const char              *code)
{
  CtBaseline b;
  double score;
  g_autofree char *v = NULL;
  g_autofree char *m = NULL;
  g_autofree char *text = NULL;

  if (!ct_anomaly_detector_get_baseline (self, dimension, subject, &b) ||
      b.n < settings->min_history)
    return FALSE;
  score = ct_baseline_score (&b, value);
  if (fabs (score) < settings->threshold)
    return FALSE;

  /* Discounts with one decimal, amounts with their cents. */
  v = ct_format_number_decimals (value, g_str_has_prefix (code, "discount") ? 1 : 2);
  m = ct_format_number_decimals (b.median, g_str_has_prefix (code, "discount") ? 1 : 2);
  if (strcmp (code, "discount-vs-salesperson") == 0)
    text = g_strdup_printf (score > 0
                              ? _("Discount %s %% is far above this salesperson’s usual %s %% "
                                  "(median of %u orders)")
                              : _("Discount %s %% is far below this salesperson’s usual %s %% "
                                  "(median of %u orders)"),
                            v, m, b.n);
  else if (strcmp (code, "discount-vs-customer") == 0)
    text = g_strdup_printf (score > 0
                              ? _("Discount %s %% is far above this customer’s usual %s %% "
                                  "(median of %u orders)")
                              : _("Discount %s %% is far below this customer’s usual %s %% "
                                  "(median of %u orders)"),
                            v, m, b.n);
  else
    text = g_strdup_printf (score > 0
                              ? _("Amount %s is far above this customer’s usual %s "
                                  "(median of %u orders)")
                              : _("Amount %s is far below this customer’s usual %s "
                                  "(median of %u orders)"),
                            v, m, b.n);
  ct_case_add_anomaly (c, code, score, text);
  return TRUE;
}

guint
ct_anomaly_detector_check (CtAnomalyDetector       *self,
                           const CtAnomalySettings *settings,
                           CtCase                  *c)
{
  char subject[64];
  guint n = 0;

  g_ptr_array_set_size (c->anomalies, 0);
  if (isfinite (c->discount) && c->requester_id > 0)
    {
      g_snprintf (subject, sizeof subject, "salesperson:%" G_GINT64_FORMAT, c->requester_id);
      n += check_one (self, settings, c, "discount", subject, c->discount,
                      "discount-vs-salesperson");
    }
  if (c->partner.id > 0)
    {
      g_snprintf (subject, sizeof subject, "customer:%" G_GINT64_FORMAT, c->partner.id);
      if (isfinite (c->discount))
        n += check_one (self, settings, c, "discount", subject, c->discount,
                        "discount-vs-customer");
      /* Only unusually large amounts matter; a small order is no risk. */
      if (c->amount > 0)
        {
          CtBaseline b;
          if (ct_anomaly_detector_get_baseline (self, "amount", subject, &b) &&
              c->amount > b.median)
            n += check_one (self, settings, c, "amount", subject, c->amount,
                            "amount-vs-customer");
        }
    }
  return n;
}
