/* ct-bar-chart.h - Columns or horizontal bars with labels, drawn with GtkSnapshot
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CT_TYPE_BAR_CHART (ct_bar_chart_get_type ())

G_DECLARE_FINAL_TYPE (CtBarChart, ct_bar_chart, CT, BAR_CHART, GtkWidget)

/* GTK_ORIENTATION_VERTICAL: columns with their labels below (a histogram, a
 * trend); HORIZONTAL: one bar per row with its label above (top reasons). */
GtkWidget *ct_bar_chart_new         (GtkOrientation      orientation);
/* @labels and @values have @n entries; @emphasis (nullable) marks the bars
 * drawn in the error colour. @description is the chart in one sentence for
 * a screen reader, with the numbers. */
void       ct_bar_chart_set_data    (CtBarChart         *self,
                                     const char * const *labels,
                                     const guint        *values,
                                     const gboolean     *emphasis,
                                     guint               n,
                                     const char         *description);
guint      ct_bar_chart_get_n_bars  (CtBarChart         *self);
guint      ct_bar_chart_get_value   (CtBarChart         *self,
                                     guint               index);
const char *ct_bar_chart_get_description (CtBarChart    *self);

G_END_DECLS
