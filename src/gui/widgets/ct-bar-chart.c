/* ct-bar-chart.c - Columns or horizontal bars with labels, drawn with GtkSnapshot
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-bar-chart"

#include "config.h"

#include "ct-bar-chart.h"

struct _CtBarChart
{
  GtkWidget       parent_instance;

  GtkOrientation  orientation;
  GStrv           labels;       /* (owned) */
  GArray         *values;       /* (owned) guint */
  GArray         *emphasis;     /* (owned) gboolean */
  char           *description;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (CtBarChart, ct_bar_chart, GTK_TYPE_WIDGET)

#define ROW_HEIGHT    40
#define COLUMN_HEIGHT 180
#define BAR_RADIUS    3

static guint
max_value (CtBarChart *self)
{
  guint max = 0;

  for (guint i = 0; i < self->values->len; i++)
    max = MAX (max, g_array_index (self->values, guint, i));
  return max;
}

/* Named colours of the theme, so light, dark and high contrast all hold. */
static void
theme_colors (CtBarChart *self,
              GdkRGBA    *fg,
              GdkRGBA    *bar,
              GdkRGBA    *emphasis)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, fg);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", bar))
    gdk_rgba_parse (bar, "#3584e4");
  if (!gtk_style_context_lookup_color (context, "error_bg_color", emphasis))
    gdk_rgba_parse (emphasis, "#e01b24");
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
append_text (CtBarChart  *self,
             GtkSnapshot *snapshot,
             const char  *text,
             float        x,
             float        y,
             float        width,
             float        xalign,
             const GdkRGBA *color,
             gboolean     small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w, h;

  if (small)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + (width - w) * xalign, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
append_bar (GtkSnapshot   *snapshot,
            float          x,
            float          y,
            float          width,
            float          height,
            const GdkRGBA *color)
{
  GskRoundedRect rounded;

  if (width <= 0 || height <= 0)
    return;
  gsk_rounded_rect_init_from_rect (&rounded, &GRAPHENE_RECT_INIT (x, y, width, height),
                                   MIN (BAR_RADIUS, MIN (width, height) / 2));
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
  gtk_snapshot_pop (snapshot);
}

static void
ct_bar_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  CtBarChart *self = CT_BAR_CHART (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  guint n = self->values->len;
  guint max = MAX (1, max_value (self));
  GdkRGBA fg, dim, bar, emphasis, track;

  if (n == 0)
    return;
  theme_colors (self, &fg, &bar, &emphasis);
  dim = fg;
  dim.alpha *= 0.6f;
  track = fg;
  track.alpha *= 0.08f;

  if (self->orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      float row = MIN ((float) ROW_HEIGHT, height / n);

      for (guint i = 0; i < n; i++)
        {
          guint v = g_array_index (self->values, guint, i);
          float y = i * row;
          float bar_w = (width - 48) * v / max;
          g_autofree char *number = g_strdup_printf ("%u", v);
          gboolean em = g_array_index (self->emphasis, gboolean, i);

          append_text (self, snapshot, self->labels[i], 0, y, width - 48, 0, &fg, TRUE);
          append_bar (snapshot, 0, y + row - 14, width - 48, 8, &track);
          append_bar (snapshot, 0, y + row - 14, MAX (bar_w, v > 0 ? 4 : 0), 8, em ? &emphasis : &bar);
          append_text (self, snapshot, number, width - 44, y + row - 20, 44, 1, &dim, TRUE);
        }
      return;
    }

  {
    float label_h = 20, value_h = 18;
    float slot = width / n;
    float bar_w = MIN (40, slot * 0.64f);
    float plot = height - label_h - value_h;

    /* A baseline only: no gridlines. */
    gtk_snapshot_append_color (snapshot, &track, &GRAPHENE_RECT_INIT (0, value_h + plot, width, 1));
    for (guint i = 0; i < n; i++)
      {
        guint v = g_array_index (self->values, guint, i);
        float h = plot * v / max;
        float x = i * slot + (slot - bar_w) / 2;
        gboolean em = g_array_index (self->emphasis, gboolean, i);
        g_autofree char *number = g_strdup_printf ("%u", v);

        append_bar (snapshot, x, value_h + plot - h, bar_w, h, em ? &emphasis : &bar);
        if (v > 0 || n <= 8)
          append_text (self, snapshot, number, i * slot, value_h + plot - h - value_h + 2, slot, 0.5,
                       &dim, TRUE);
        if (self->labels[i] != NULL)
          append_text (self, snapshot, self->labels[i], i * slot, value_h + plot + 4, slot, 0.5, &dim, TRUE);
      }
  }
}

static void
ct_bar_chart_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  CtBarChart *self = CT_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = self->orientation == GTK_ORIENTATION_VERTICAL ? 24 * MAX (1u, self->values->len) : 160;
      *natural = MAX (*minimum, 320);
    }
  else
    *minimum = *natural = self->orientation == GTK_ORIENTATION_VERTICAL
                          ? COLUMN_HEIGHT : ROW_HEIGHT * (int) MAX (1u, self->values->len);
}

static void
ct_bar_chart_finalize (GObject *object)
{
  CtBarChart *self = CT_BAR_CHART (object);

  g_strfreev (self->labels);
  g_array_unref (self->values);
  g_array_unref (self->emphasis);
  g_free (self->description);
  G_OBJECT_CLASS (ct_bar_chart_parent_class)->finalize (object);
}

static void
ct_bar_chart_class_init (CtBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ct_bar_chart_finalize;
  widget_class->snapshot = ct_bar_chart_snapshot;
  widget_class->measure = ct_bar_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "barchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ct_bar_chart_init (CtBarChart *self)
{
  self->labels = g_new0 (char *, 1);
  self->values = g_array_new (FALSE, TRUE, sizeof (guint));
  self->emphasis = g_array_new (FALSE, TRUE, sizeof (gboolean));
}

GtkWidget *
ct_bar_chart_new (GtkOrientation orientation)
{
  CtBarChart *self = g_object_new (CT_TYPE_BAR_CHART, NULL);

  self->orientation = orientation;
  return GTK_WIDGET (self);
}

void
ct_bar_chart_set_data (CtBarChart         *self,
                       const char * const *labels,
                       const guint        *values,
                       const gboolean     *emphasis,
                       guint               n,
                       const char         *description)
{
  g_strfreev (self->labels);
  self->labels = g_new0 (char *, n + 1);
  g_array_set_size (self->values, 0);
  g_array_set_size (self->emphasis, 0);
  for (guint i = 0; i < n; i++)
    {
      gboolean em = emphasis ? emphasis[i] : FALSE;

      self->labels[i] = g_strdup (labels[i] ? labels[i] : "");
      g_array_append_val (self->values, values[i]);
      g_array_append_val (self->emphasis, em);
    }
  g_free (self->description);
  self->description = g_strdup (description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description ? description : "", -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
ct_bar_chart_get_n_bars (CtBarChart *self)
{
  return self->values->len;
}

guint
ct_bar_chart_get_value (CtBarChart *self,
                        guint       index)
{
  g_return_val_if_fail (index < self->values->len, 0);
  return g_array_index (self->values, guint, index);
}

const char *
ct_bar_chart_get_description (CtBarChart *self)
{
  return self->description;
}
