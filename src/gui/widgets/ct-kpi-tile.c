/* ct-kpi-tile.c - A big number with a label, a qualifier, and a queue behind it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-kpi-tile"

#include "config.h"

#include "ct-kpi-tile.h"

struct _CtKpiTile
{
  GtkButton  parent_instance;

  GtkWidget *value;
  GtkWidget *label;
  GtkWidget *qualifier;
};

G_DEFINE_FINAL_TYPE (CtKpiTile, ct_kpi_tile, GTK_TYPE_BUTTON)

static void
ct_kpi_tile_class_init (CtKpiTileClass *klass)
{
}

static void
ct_kpi_tile_init (CtKpiTile *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  self->value = gtk_label_new ("—");
  self->label = gtk_label_new (NULL);
  self->qualifier = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->value, "title-1");
  gtk_widget_add_css_class (self->value, "numeric");
  gtk_widget_add_css_class (self->label, "heading");
  gtk_widget_add_css_class (self->qualifier, "caption");
  gtk_widget_add_css_class (self->qualifier, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (self->value), 0);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_label_set_xalign (GTK_LABEL (self->qualifier), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->qualifier), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), self->value);
  gtk_box_append (GTK_BOX (box), self->label);
  gtk_box_append (GTK_BOX (box), self->qualifier);
  gtk_button_set_child (GTK_BUTTON (self), box);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_add_css_class (GTK_WIDGET (self), "kpi-tile");
}

GtkWidget *
ct_kpi_tile_new (const char *label,
                 const char *queue)
{
  CtKpiTile *self = g_object_new (CT_TYPE_KPI_TILE, NULL);

  gtk_label_set_text (GTK_LABEL (self->label), label);
  if (queue != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "s", queue);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self), queue ? "win.show-queue" : NULL);
  return GTK_WIDGET (self);
}

void
ct_kpi_tile_set_value (CtKpiTile  *self,
                       const char *value,
                       const char *qualifier,
                       const char *style)
{
  g_autofree char *a11y = NULL;

  gtk_label_set_text (GTK_LABEL (self->value), value);
  gtk_label_set_text (GTK_LABEL (self->qualifier), qualifier ? qualifier : "");
  gtk_widget_set_visible (self->qualifier, qualifier != NULL && *qualifier != '\0');
  gtk_widget_remove_css_class (self->value, "error");
  gtk_widget_remove_css_class (self->value, "warning");
  if (style != NULL)
    gtk_widget_add_css_class (self->value, style);
  a11y = g_strdup_printf ("%s: %s%s%s", gtk_label_get_text (GTK_LABEL (self->label)), value,
                          qualifier && *qualifier ? ", " : "", qualifier ? qualifier : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

const char *
ct_kpi_tile_get_value (CtKpiTile *self)
{
  return gtk_label_get_text (GTK_LABEL (self->value));
}
