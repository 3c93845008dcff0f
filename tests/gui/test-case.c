/* test-case.c - The case view on the demo simulator: opened from a queue row, read, and left
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "ct-application.h"
#include "ct-case-page.h"
#include "ct-format.h"
#include "ct-queue-page.h"
#include "ct-test-gui.h"
#include "ct-window-case.h"
#include "ct-window.h"

static gboolean
demo_synced (gpointer data)
{
  CtSync *sync = ct_window_get_sync (data);

  return sync != NULL && ct_sync_get_synced_at (sync) != 0 && !ct_window_is_refreshing (data) &&
         ct_case_store_get_n_cases (ct_window_get_store (data)) > 0;
}

static gboolean
case_read (gpointer data)
{
  return g_strcmp0 (ct_case_page_get_state (data), "loading") != 0;
}

static gboolean
queue_filtered (gpointer data)
{
  return !ct_queue_page_is_filtering (data);
}

/* A label showing exactly @text as plain text. */
static GtkWidget *
find_plain_label (GtkWidget  *root,
                  const char *text)
{
  GtkWidget *label = ct_test_gui_find (root, GTK_TYPE_LABEL, text);

  g_assert_nonnull (label);
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
  return label;
}

/* The purchase order with the most lines and a partner: what a
 * controller would open. Returns its position in the queue as shown. */
static guint
pick_case (CtQueuePage *queue)
{
  GListModel *model = ct_queue_page_get_model (queue);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (model, i);

      if (c->kind == CT_CASE_KIND_APPROVAL && g_strcmp0 (c->model, "purchase.order") == 0 &&
          c->partner.id != 0)
        return i;
    }
  g_assert_not_reached ();
}

static void
activate_shortcut (GtkWidget *widget,
                   guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *name = gtk_accelerator_name (keyval, 0);

          if (strstr (trigger, name) != NULL)
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                           widget, NULL));
              return;
            }
        }
    }
  g_assert_not_reached ();
}

static void
test_open_case (void)
{
  g_autoptr(CtApplication) app = ct_application_new ();
  g_autoptr(GError) error = NULL;
  CtWindow *window;
  CtQueuePage *queue;
  CtCasePage *page;
  CtCaseDetail *detail;
  GtkWidget *view;
  g_autofree char *text = NULL;
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;
  guint position;

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_application_hold (G_APPLICATION (app));
  g_application_activate (G_APPLICATION (app));
  window = CT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  g_assert_true (ct_test_gui_wait (demo_synced, window, 60000));
  ct_window_update_now (window);

  /* A queue row activated (Enter, double click) opens the case. */
  ct_window_show_page (window, "pending");
  queue = ct_window_get_queue_page (window);
  g_assert_true (ct_test_gui_wait (queue_filtered, queue, 10000));
  position = pick_case (queue);
  view = ct_test_gui_find (GTK_WIDGET (queue), GTK_TYPE_COLUMN_VIEW, NULL);
  g_signal_emit_by_name (view, "activate", position);
  page = ct_window_get_case_page (window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_true (ct_test_gui_wait (case_read, page, 20000));
  g_assert_cmpstr (ct_case_page_get_state (page), ==, "detail");
  detail = ct_case_page_get_detail (page);
  g_assert_nonnull (detail);

  /* The header, a line, the credit figures, the trail: as plain text. */
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_PREFERENCES_GROUP,
                                      "Why It Needs Approval"));
  find_plain_label (GTK_WIDGET (page), ct_case_page_get_case (page)->reference);
  g_assert_cmpuint (detail->lines->len, >, 0);
  {
    const CtCaseLine *line = detail->lines->pdata[0];
    GtkWidget *row = ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW,
                                       line->product ? line->product : line->description);

    g_assert_nonnull (row);
    g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  }
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_PREFERENCES_GROUP,
                                      "Credit Exposure"));
  if (!isnan (detail->credit.receivable))
    {
      text = ct_format_amount (detail->credit.receivable, detail->currency);
      g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, "Receivables"));
      find_plain_label (GTK_WIDGET (page), text);
    }
  g_assert_cmpuint (detail->messages->len, >, 0);
  for (guint i = 0; i < detail->messages->len; i++)
    {
      const CtCaseMessage *m = detail->messages->pdata[i];

      if (m->text != NULL && *m->text != '\0')
        {
          find_plain_label (GTK_WIDGET (page), m->text);
          break;
        }
    }
  light = ct_test_gui_render_png (GTK_WIDGET (window), "case-light.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  dark = ct_test_gui_render_png (GTK_WIDGET (window), "case-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  {
    /* The lower sections: credit, trail, attachments. */
    GtkWidget *scrolled = ct_test_gui_find (GTK_WIDGET (page), GTK_TYPE_SCROLLED_WINDOW, NULL);
    GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
    g_autofree char *lower = NULL;

    gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
    ct_test_gui_wait_painted (GTK_WIDGET (window));
    lower = ct_test_gui_render_png (GTK_WIDGET (window), "case-lower-light.png");
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
    ct_test_gui_wait_painted (GTK_WIDGET (window));
    g_free (lower);
    lower = ct_test_gui_render_png (GTK_WIDGET (window), "case-lower-dark.png");
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  }

  /* Escape goes back to the queue it came from. */
  activate_shortcut (GTK_WIDGET (page), GDK_KEY_Escape);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (queue)));
  g_assert_cmpstr (ct_window_get_page (window), ==, "pending");

  gtk_window_destroy (GTK_WINDOW (window));
  g_application_release (G_APPLICATION (app));
}

/* A case that cannot be read says so, and server text stays text. */
static void
test_error_state (void)
{
  GtkWidget *window = gtk_window_new ();
  CtCasePage *page = CT_CASE_PAGE (ct_case_page_new ());
  g_autoptr(CtCase) c = ct_case_new ("purchase.order", 7);
  GtkWidget *status;

  ct_case_set_text (&c->reference, "<b>P7</b> & co");
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  ct_case_page_show_loading (page, c, "10.00 EUR");
  g_assert_cmpstr (ct_case_page_get_state (page), ==, "loading");
  find_plain_label (GTK_WIDGET (page), "<b>P7</b> & co");
  ct_case_page_set_error (page, "Odoo said <i>no</i> & more");
  g_assert_cmpstr (ct_case_page_get_state (page), ==, "error");
  status = ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_STATUS_PAGE, "Could Not Open the Case");
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (status)), ==,
                   "Odoo said &lt;i&gt;no&lt;/i&gt; &amp; more");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  ct_test_gui_init (&argc, &argv);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_test_add_func ("/ct/gui/case/error-state", test_error_state);
  g_test_add_func ("/ct/gui/case/open-from-queue", test_open_case);
  return g_test_run ();
}
