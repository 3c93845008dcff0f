/* ct-sla-pill.c - A case's service level as a tinted pill with a word in it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sla-pill"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-incident.h"
#include "ct-sla-pill.h"

GtkWidget *
ct_sla_pill_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, "sla-pill");
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  /* The word is the point of the pill: it is never cut. */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  return label;
}

char *
ct_format_duration_short (gint64 seconds)
{
  gint64 minutes = (seconds < 0 ? -seconds : seconds) / 60;

  /* Minutes matter in the first hour, not after it: a column stays short. */
  if (minutes >= 60)
    return g_strdup_printf (_("%d h"), (int) ((minutes + 30) / 60));
  return ct_format_business_duration (seconds);
}

char *
ct_sla_pill_text (CtCase *c)
{
  if (c->kind == CT_CASE_KIND_INCIDENT)
    return g_strdup (_("Stalled"));
  if (c->sla.paused)
    return g_strdup (_("Paused"));
  switch (c->sla.status)
    {
    case CT_SLA_STATUS_BREACHED:
      {
        g_autofree char *late = ct_format_duration_short (c->sla.breached_seconds);

        /* Translators: "Breached 3 h": business time past the due time. */
        return g_strdup_printf (_("Breached %s"), late);
      }
    case CT_SLA_STATUS_AT_RISK:
      return g_strdup (_("At risk"));
    case CT_SLA_STATUS_ON_TRACK:
      return g_strdup (_("On track"));
    case CT_SLA_STATUS_NONE:
    default:
      return g_strdup (_("No SLA"));
    }
}

void
ct_sla_pill_update (GtkWidget *pill,
                    CtCase    *c)
{
  static const char *const classes[] = { "breached", "at-risk", "on-track", "none", NULL };
  g_autofree char *text = ct_sla_pill_text (c);
  const char *style = "none";

  if (c->kind == CT_CASE_KIND_INCIDENT || c->sla.status == CT_SLA_STATUS_BREACHED)
    style = "breached";
  else if (c->sla.status == CT_SLA_STATUS_AT_RISK)
    style = "at-risk";
  else if (c->sla.status == CT_SLA_STATUS_ON_TRACK)
    style = "on-track";
  for (guint i = 0; classes[i]; i++)
    gtk_widget_remove_css_class (pill, classes[i]);
  gtk_widget_add_css_class (pill, style);
  gtk_label_set_text (GTK_LABEL (pill), text);
}
