/* ct-anomaly.h - Robust outlier flags: median and MAD over a subject's history
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-case.h"
#include "ct-profile.h"

G_BEGIN_DECLS

typedef struct
{
  guint  n;
  double median;
  double mad;       /* median absolute deviation */
} CtBaseline;

/* Median and MAD of @values (not modified). FALSE when @n is 0. */
gboolean ct_baseline_compute (const double *values,
                              guint         n,
                              CtBaseline   *out);
/* Robust z-score 0.6745 (x − median) / MAD. With MAD 0 (a history of
 * identical values), any different value scores ±G_MAXDOUBLE-like 1e9. */
double   ct_baseline_score   (const CtBaseline *baseline,
                              double            value);

typedef struct _CtAnomalyDetector CtAnomalyDetector;

/* Histories of past values, per dimension ("discount") and subject
 * ("salesperson:7", "customer:42"). */
CtAnomalyDetector *ct_anomaly_detector_new    (void);
void               ct_anomaly_detector_free   (CtAnomalyDetector *self);
void               ct_anomaly_detector_add    (CtAnomalyDetector *self,
                                               const char        *dimension,
                                               const char        *subject,
                                               double             value);
gboolean           ct_anomaly_detector_get_baseline (CtAnomalyDetector *self,
                                                     const char        *dimension,
                                                     const char        *subject,
                                                     CtBaseline        *out);
/* Learns discounts and amounts from decided cases (salesperson = requester,
 * customer = partner). */
void               ct_anomaly_detector_learn  (CtAnomalyDetector *self,
                                               CtCase            *decided);
/* Replaces c->anomalies with the flags that hold under @settings: a discount
 * far outside this salesperson's or this customer's history, an amount far
 * above this customer's usual. Returns how many flags were set. */
guint              ct_anomaly_detector_check  (CtAnomalyDetector       *self,
                                               const CtAnomalySettings *settings,
                                               CtCase                  *c);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtAnomalyDetector, ct_anomaly_detector_free)

G_END_DECLS
