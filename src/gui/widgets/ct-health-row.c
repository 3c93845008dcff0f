/* ct-health-row.c - A source's health as a word and a dot on a row, said the same everywhere
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-health-row"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-health-row.h"

const char *
ct_health_word (const CtSourceHealth *h,
                const char          **style)
{
  if (!h->probed)
    {
      *style = "dim-label";
      return _("Not read yet");
    }
  if (!h->available)
    {
      *style = "dim-label";
      return _("Not installed");
    }
  if (h->failures > 0)
    {
      *style = h->last_success == 0 ? "error" : "warning";
      return h->last_success == 0 ? _("Failing") : _("Stale");
    }
  *style = "success";
  return _("Working");
}

void
ct_health_row_decorate (AdwActionRow         *row,
                        const CtSourceHealth *health)
{
  const char *style = NULL;
  const char *word = ct_health_word (health, &style);
  GtkWidget *dot = gtk_image_new_from_icon_name ("media-record-symbolic");
  GtkWidget *state = gtk_label_new (word);

  /* The colour backs the word up; a screen reader hears the word. */
  gtk_widget_add_css_class (dot, style);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dot), GTK_ACCESSIBLE_PROPERTY_LABEL, word, -1);
  adw_action_row_add_prefix (row, dot);
  gtk_widget_add_css_class (state, "dim-label");
  adw_action_row_add_suffix (row, state);
}
