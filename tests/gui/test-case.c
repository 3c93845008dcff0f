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

/* How many rows the group titled @title shows (0 when there is none). */
static guint
rows_in_group (GtkWidget  *page,
               const char *title)
{
  GtkWidget *group = ct_test_gui_find (page, ADW_TYPE_PREFERENCES_GROUP, title);
  GtkWidget *list = group ? ct_test_gui_find (group, GTK_TYPE_LIST_BOX, NULL) : NULL;
  guint n = 0;

  for (GtkWidget *row = list ? gtk_widget_get_first_child (list) : NULL; row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n += ADW_IS_PREFERENCES_ROW (row);
  return n;
}

static CtCaseDetail *
open_and_read (CtWindow   *window,
               const char *key)
{
  CtCasePage *page = ct_window_get_case_page (window);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-case", "s", key);
  g_assert_true (ct_test_gui_wait (case_read, page, 20000));
  g_assert_cmpstr (ct_case_page_get_state (page), ==, "detail");
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  g_assert_cmpstr (ct_case_page_get_detail (page)->key, ==, key);
  return ct_case_detail_ref (ct_case_page_get_detail (page));
}

/* One case opened after another shows the second one's partner, lines and
 * messages and nothing left of the first (the one with more lines first);
 * and the sections fill the page's column, as wide as the header. */
static void
check_one_after_another (CtWindow *window)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CtCaseDetail) more = NULL;
  g_autoptr(CtCaseDetail) fewer = NULL;
  CtCasePage *page = ct_window_get_case_page (window);
  GPtrArray *cases;
  guint most = 0, least = G_MAXUINT;
  const char *most_key = NULL, *least_key = NULL;

  /* Orders with a partner (purchase orders have one line in the demo, sales
   * orders up to four): the one with the most lines and the one with the
   * fewest, among the first eight of each. */
  cases = ct_case_store_get_cases (ct_window_get_store (window));
  for (guint m = 0; m < 2; m++)
    for (guint i = 0, n = 0; i < cases->len && n < 8; i++)
      {
        CtCase *c = cases->pdata[i];

        if (c->kind == CT_CASE_KIND_APPROVAL && c->partner.id != 0 &&
            g_strcmp0 (c->model, m == 0 ? "purchase.order" : "sale.order") == 0)
          {
            g_ptr_array_add (keys, g_strdup (c->key));
            n++;
          }
      }
  g_assert_cmpuint (keys->len, >=, 2);
  for (guint i = 0; i < keys->len; i++)
    {
      g_autoptr(CtCaseDetail) d = open_and_read (window, keys->pdata[i]);

      if (d->lines->len > most)
        {
          most = d->lines->len;
          most_key = keys->pdata[i];
        }
      if (d->lines->len < least)
        {
          least = d->lines->len;
          least_key = keys->pdata[i];
        }
    }
  g_assert_cmpuint (most, >, least);
  g_test_message ("%s with %u lines, then %s with %u", most_key, most, least_key, least);

  more = open_and_read (window, most_key);
  /* The lines and their total. */
  g_assert_cmpuint (rows_in_group (GTK_WIDGET (page), "Lines"), ==, more->lines->len + 1);
  {
    GtkWidget *header = gtk_widget_get_first_child (gtk_widget_get_parent (
      ct_test_gui_find (GTK_WIDGET (page), CT_TYPE_SLA_BAR, NULL)));
    GtkWidget *sections = gtk_widget_get_parent (
      ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_PREFERENCES_GROUP, "Why It Needs Approval"));

    g_assert_cmpint (gtk_widget_get_width (sections), >, 0);
    g_assert_cmpint (gtk_widget_get_width (sections), ==, gtk_widget_get_width (header));
  }

  fewer = open_and_read (window, least_key);
  g_assert_cmpuint (rows_in_group (GTK_WIDGET (page), "Lines"),
                    ==, fewer->lines->len > 0 ? fewer->lines->len + 1 : 0);
  for (guint i = 0; i < fewer->lines->len; i++)
    {
      const CtCaseLine *l = fewer->lines->pdata[i];

      g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW,
                                          l->product ? l->product : l->description));
    }
  for (guint i = 0; i < more->lines->len; i++)
    {
      const CtCaseLine *l = more->lines->pdata[i];
      const char *product = l->product ? l->product : l->description;
      gboolean shared = FALSE;

      for (guint j = 0; j < fewer->lines->len; j++)
        {
          const CtCaseLine *f = fewer->lines->pdata[j];

          shared |= g_strcmp0 (f->product ? f->product : f->description, product) == 0;
        }
      if (!shared)
        g_assert_null (ct_test_gui_find (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW, product));
    }
  find_plain_label (GTK_WIDGET (page), fewer->partner);
  if (g_strcmp0 (more->partner, fewer->partner) != 0)
    g_assert_null (ct_test_gui_find (GTK_WIDGET (page), GTK_TYPE_LABEL, more->partner));
  g_assert_cmpuint (rows_in_group (GTK_WIDGET (page), "Trail"),
                    ==, MAX (fewer->messages->len, 1) + (fewer->tracking_note != NULL));
  for (guint i = 0; i < more->messages->len; i++)
    {
      const CtCaseMessage *m = more->messages->pdata[i];
      gboolean shared = FALSE;

      for (guint j = 0; j < fewer->messages->len; j++)
        shared |= g_strcmp0 (((CtCaseMessage *) fewer->messages->pdata[j])->text, m->text) == 0;
      if (!shared && m->text != NULL && *m->text != '\0')
        g_assert_null (ct_test_gui_find (GTK_WIDGET (page), GTK_TYPE_LABEL, m->text));
    }
  g_assert_cmpuint (rows_in_group (GTK_WIDGET (page), "Approvers"), ==, fewer->approvers->len);
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

  check_one_after_another (window);

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
