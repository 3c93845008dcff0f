/* ct-sla-bar.c - A case's service level as a bar: due time, business time left or past, escalation
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkLevelBar holds the share of the window used (full and red once
 * breached); the words above it say the same, so colour is never alone.
 */

#define G_LOG_DOMAIN "ct-sla-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-sla-bar.h"

struct _CtSlaBar
{
  GtkWidget  parent_instance;

  GtkWidget *box;         /* the one child */
  GtkWidget *due;
  GtkWidget *left;
  GtkWidget *level;
  GtkWidget *escalation;
};

G_DEFINE_FINAL_TYPE (CtSlaBar, ct_sla_bar, GTK_TYPE_WIDGET)

static char *
format_due (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_seconds);
  g_autofree char *when = NULL;

  if (dt == NULL)
    return g_strdup ("");
  /* TRANSLATORS: the SLA due time, see g_date_time_format */
  when = g_date_time_format (dt, _("%-d %b %Y, %H:%M"));
  /* TRANSLATORS: "Due 5 Dec 2026, 14:00" */
  return g_strdup_printf (_("Due %s"), when);
}

void
ct_sla_bar_update (CtSlaBar *self,
                   CtCase   *c)
{
  static const char *const classes[] = { "on-track", "at-risk", "breached", "paused", NULL };
  const CtSlaState *sla;
  g_autofree char *due = NULL;
  g_autofree char *left = NULL;
  g_autofree char *escalation = NULL;
  g_autofree char *description = NULL;
  const char *style;

  g_return_if_fail (CT_IS_SLA_BAR (self));
  g_return_if_fail (CT_IS_CASE (c));

  sla = &c->sla;
  gtk_widget_set_visible (GTK_WIDGET (self), sla->status != CT_SLA_STATUS_NONE);
  if (sla->status == CT_SLA_STATUS_NONE)
    return;

  due = format_due (sla->due);
  if (sla->status == CT_SLA_STATUS_BREACHED)
    {
      g_autofree char *late = ct_format_business_duration (sla->breached_seconds);

      /* TRANSLATORS: "Breached 2 h 15 min ago, in business time" */
      left = g_strdup_printf (_("Breached %s ago, in business time"), late);
      style = "breached";
    }
  else
    {
      g_autofree char *rest = ct_format_business_duration (MAX (0, sla->window_seconds -
                                                                   sla->elapsed_seconds));

      /* TRANSLATORS: "3 h 20 min of business time left" */
      left = g_strdup_printf (_("%s of business time left"), rest);
      style = sla->status == CT_SLA_STATUS_AT_RISK ? "at-risk" : "on-track";
    }
  if (sla->paused)
    {
      char *paused = g_strdup_printf (_("Paused while awaiting revision · %s"), left);

      g_free (left);
      left = paused;
      style = "paused";
    }
  if (sla->escalation_level > 0)
    escalation = g_strdup_printf (_("Escalation level %u"), sla->escalation_level);

  gtk_label_set_text (GTK_LABEL (self->due), due);
  gtk_label_set_text (GTK_LABEL (self->left), left);
  gtk_label_set_text (GTK_LABEL (self->escalation), escalation ? escalation : "");
  gtk_widget_set_visible (self->escalation, escalation != NULL);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (self->level), CLAMP (sla->used, 0.0, 1.0));
  for (guint i = 0; classes[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self), style);

  description = escalation ? g_strdup_printf ("%s. %s. %s.", due, left, escalation)
                           : g_strdup_printf ("%s. %s.", due, left);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->level),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
}

const char *
ct_sla_bar_get_due (CtSlaBar *self)
{
  return gtk_label_get_text (GTK_LABEL (self->due));
}

const char *
ct_sla_bar_get_left (CtSlaBar *self)
{
  return gtk_label_get_text (GTK_LABEL (self->left));
}

const char *
ct_sla_bar_get_escalation (CtSlaBar *self)
{
  return gtk_widget_get_visible (self->escalation) ? gtk_label_get_text (GTK_LABEL (self->escalation))
                                                  : NULL;
}

static void
ct_sla_bar_dispose (GObject *object)
{
  CtSlaBar *self = CT_SLA_BAR (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (ct_sla_bar_parent_class)->dispose (object);
}

static void
ct_sla_bar_class_init (CtSlaBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_sla_bar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "slabar");
}

static void
ct_sla_bar_init (CtSlaBar *self)
{
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->due = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->due), 0);
  gtk_widget_set_hexpand (self->due, TRUE);
  gtk_widget_add_css_class (self->due, "caption");
  self->left = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->left), 1);
  gtk_label_set_wrap (GTK_LABEL (self->left), TRUE);
  gtk_widget_add_css_class (self->left, "caption-heading");
  gtk_widget_add_css_class (self->left, "sla-words");
  gtk_box_append (GTK_BOX (line), self->due);
  gtk_box_append (GTK_BOX (line), self->left);
  gtk_box_append (GTK_BOX (self->box), line);

  self->level = gtk_level_bar_new_for_interval (0, 1);
  /* The bar's own offsets would colour it by value; the state says it. */
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (self->level), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (self->level), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (self->level), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->level), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Service level time used"), -1);
  gtk_box_append (GTK_BOX (self->box), self->level);

  self->escalation = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->escalation), 0);
  gtk_widget_add_css_class (self->escalation, "caption");
  gtk_widget_add_css_class (self->escalation, "warning");
  gtk_widget_set_visible (self->escalation, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->escalation);
}

GtkWidget *
ct_sla_bar_new (void)
{
  return g_object_new (CT_TYPE_SLA_BAR, NULL);
}
