/* ct-window-actions.c - The window's actions: refresh, toast, pages, queues, search
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-window-private.h"

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ct_window_update_page (CT_WINDOW (widget));
}

/* A toast's title is markup in libadwaita 1.2: the text it gets (often an
 * error message with server text in it) is escaped here, once. */
static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);
  g_autofree char *escaped = g_markup_escape_text (g_variant_get_string (param, NULL), -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  ct_window_show_page (CT_WINDOW (widget), g_variant_get_string (param, NULL));
}

static const struct
{
  const char *word;
  const char *page;
  CtCaseScope scope;
} scope_words[] = {
  { "pending", "pending", CT_CASE_SCOPE_ALL_PENDING },
  { "mine", "mine", CT_CASE_SCOPE_MINE },
  { "at-risk", "pending", CT_CASE_SCOPE_ALL_PENDING },
  { "breaches", "breaches", CT_CASE_SCOPE_BREACHED },
  { "escalations", "escalations", CT_CASE_SCOPE_ESCALATED },
  { "integrations", "integrations", CT_CASE_SCOPE_INCIDENTS },
};

/* "pending", "breaches;area=sales", "at-risk;area=credit": a queue page with
 * its filter set, as a KPI tile or an area row asks. */
static void
show_queue_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);
  g_auto(GStrv) parts = g_strsplit (g_variant_get_string (param, NULL), ";", -1);
  g_autoptr(CtCaseFilter) filter = NULL;
  const char *page = "pending";

  for (guint i = 0; i < G_N_ELEMENTS (scope_words); i++)
    if (g_str_equal (parts[0], scope_words[i].word))
      {
        filter = ct_case_filter_new (scope_words[i].scope);
        page = scope_words[i].page;
        if (g_str_equal (parts[0], "at-risk"))
          filter->sla_status = CT_SLA_STATUS_AT_RISK;
      }
  if (filter == NULL)
    {
      g_warning ("Unknown queue %s", parts[0]);
      return;
    }
  for (guint i = 1; parts[i] != NULL; i++)
    if (g_str_has_prefix (parts[i], "area="))
      filter->area_id = g_strdup (parts[i] + 5);
    else if (g_str_has_prefix (parts[i], "sla="))
      filter->sla_status = atoi (parts[i] + 4);

  ct_window_show_page (self, page);
  ct_queue_page_set_filter (self->queue_page, filter);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);

  if (!g_str_equal (gtk_stack_get_visible_child_name (GTK_STACK (self->pages)), "queue"))
    ct_window_show_page (self, "pending");
  ct_queue_page_start_search (self->queue_page);
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar_box);
}

void
ct_window_update_actions (CtWindow *self)
{
  gboolean tower = g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)),
                              "tower") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", tower);
}

void
ct_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-queue", "s", show_queue_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
}
