/* test-decide.c - Deciding from the keyboard on the demo simulator: bar, dialog, result, journal, bulk
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ct-application.h"
#include "ct-case-page.h"
#include "ct-decision-bar.h"
#include "ct-decision-dialog.h"
#include "ct-journal-page.h"
#include "ct-queue-menu.h"
#include "ct-queue-page.h"
#include "ct-sim-faults.h"
#include "ct-sim-server.h"
#include "ct-test-gui.h"
#include "ct-window-case.h"
#include "ct-window-decisions.h"
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

static gboolean
dialog_asks (gpointer data)
{
  return ct_decision_dialog_get_confirmation (data) != NULL ||
         g_strcmp0 (ct_decision_dialog_get_state (data), "result") == 0;
}

static gboolean
dialog_done (gpointer data)
{
  return g_strcmp0 (ct_decision_dialog_get_state (data), "result") == 0 ||
         (g_strcmp0 (ct_decision_dialog_get_state (data), "form") == 0 &&
          ct_decision_dialog_get_error (data) != NULL);
}

static gboolean
user_listed (gpointer data)
{
  GtkWidget *root = *(GtkWidget **) data;

  return ct_test_gui_find (root, ADW_TYPE_ACTION_ROW, "Avery Brooks") != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return ct_window_get_decision_dialog (data) == NULL;
}

/* Presses @accel ("<Control>Return") the way GTK does for a shortcut of
 * @widget or its class: the shortcut's action, on @widget. FALSE when
 * the action is disabled. */
static gboolean
press (GtkWidget  *widget,
       const char *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint key;
  GdkModifierType mods;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (key, mods);

          if (gtk_shortcut_trigger_equal (trigger, wanted) ||
              (GTK_IS_ALTERNATIVE_TRIGGER (trigger) &&
               (gtk_shortcut_trigger_equal (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted) ||
                gtk_shortcut_trigger_equal (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted))))
            {
              return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                   NULL);
            }
        }
    }
  g_error ("No shortcut %s on %s", accel, G_OBJECT_TYPE_NAME (widget));
  return FALSE;
}

/* One application for the whole run, as a session has: a second one
 * would not register. Both tests use its demo simulator. */
static CtApplication *the_app;

static CtWindow *
start_demo (void)
{
  g_autoptr(GError) error = NULL;
  CtApplication *app;
  CtWindow *window;

  if (the_app == NULL)
    {
      the_app = ct_application_new ();
      g_application_set_flags (G_APPLICATION (the_app),
                               G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (the_app), NULL, &error));
      g_application_hold (G_APPLICATION (the_app));
    }
  app = the_app;
  g_application_activate (G_APPLICATION (app));
  window = CT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  g_assert_true (ct_test_gui_wait (demo_synced, window, 60000));
  ct_window_update_now (window);
  g_assert_nonnull (ct_window_get_decisions (window));
  return window;
}

/* One pending requirement, through purchase double validation, and no
 * tier definition that applies (the demo's purchase tier starts above
 * 20 000): Odoo approves it for a purchase manager. */
static gboolean
double_validation_only (CtCase *c)
{
  guint n = 0;

  if (c->amount > 20000)
    return FALSE;
  for (guint i = 0; i < c->requirements->len; i++)
    {
      const CtRequirement *r = c->requirements->pdata[i];

      if (r->state != CT_APPROVER_STATE_PENDING)
        continue;
      if (r->source != CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION)
        return FALSE;
      n++;
    }
  return n == 1;
}

/* The first approval the signed-in user may approve and that asks for
 * the high-value confirmation. */
static guint
pick_case (CtWindow    *window,
           CtQueuePage *queue)
{
  CtDecisions *decisions = ct_window_get_decisions (window);
  GListModel *model = ct_queue_page_get_model (queue);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (model, i);

      if (ct_decisions_can_decide (decisions, c, CT_DECISION_APPROVE, NULL) &&
          double_validation_only (c) &&
          ct_decisions_needs_confirmation (decisions, c, CT_DECISION_APPROVE, NULL) &&
          c->partner.name != NULL)
        return i;
    }
  g_error ("No case to approve among %u", g_list_model_get_n_items (model));
}

static void
test_decide_by_keyboard (void)
{
  CtWindow *window = start_demo ();
  CtQueuePage *queue;
  CtCasePage *page;
  CtDecisionBar *bar;
  CtDecisionDialog *dialog;
  AdwMessageDialog *confirm;
  CtJournalPage *journal;
  const CtDecisionResult *result;
  GtkWidget *view;
  g_autoptr(CtCase) c = NULL;
  g_autofree char *png = NULL;
  gint64 started;
  guint position;

  /* All Pending, a row chosen and Enter: the case opens. */
  ct_window_show_page (window, "pending");
  queue = ct_window_get_queue_page (window);
  g_assert_true (ct_test_gui_wait (queue_filtered, queue, 10000));
  position = pick_case (window, queue);
  c = g_list_model_get_item (ct_queue_page_get_model (queue), position);
  view = ct_test_gui_find (GTK_WIDGET (queue), GTK_TYPE_COLUMN_VIEW, NULL);
  gtk_selection_model_select_item (ct_queue_page_get_selection (queue), position, TRUE);
  g_signal_emit_by_name (view, "activate", position);
  page = ct_window_get_case_page (window);
  g_assert_true (ct_test_gui_wait (case_read, page, 20000));
  g_assert_cmpstr (ct_case_page_get_state (page), ==, "detail");

  /* The bar: every decision available, each saying what it does. */
  bar = ct_case_page_get_decision_bar (page);
  g_assert_null (ct_decision_bar_get_reason (bar, CT_DECISION_APPROVE));
  g_assert_true (gtk_widget_is_sensitive (ct_decision_bar_get_button (bar, CT_DECISION_APPROVE)));
  g_assert_true (gtk_widget_has_css_class (ct_decision_bar_get_button (bar, CT_DECISION_APPROVE),
                                           "suggested-action"));
  g_assert_true (gtk_widget_has_css_class (ct_decision_bar_get_button (bar, CT_DECISION_REJECT),
                                           "destructive-action"));
  png = ct_test_gui_render_png (GTK_WIDGET (window), "decide-bar.png");
  g_clear_pointer (&png, g_free);

  /* Reject needs a comment: its dialog cannot send without one. */
  g_assert_true (press (GTK_WIDGET (window), "<Shift><Control>r"));
  dialog = CT_DECISION_DIALOG (ct_window_get_decision_dialog (window));
  g_assert_cmpint (ct_decision_dialog_get_outcome (dialog), ==, CT_DECISION_REJECT);
  g_assert_false (press (GTK_WIDGET (dialog), "<Control>Return"));
  g_assert_cmpstr (ct_decision_dialog_get_state (dialog), ==, "form");
  g_assert_true (press (GTK_WIDGET (dialog), "Escape"));
  g_assert_true (ct_test_gui_wait (no_dialog, window, 5000));

  /* Delegate finds users as you type, through the decision service. */
  g_assert_true (press (GTK_WIDGET (window), "<Shift><Control>t"));
  dialog = CT_DECISION_DIALOG (ct_window_get_decision_dialog (window));
  {
    GtkWidget *entry = ct_test_gui_find (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW,
                                         "Search users by name");
    GtkWidget *root = GTK_WIDGET (dialog);

    g_assert_nonnull (entry);
    gtk_editable_set_text (GTK_EDITABLE (entry), "Avery");
    g_assert_true (ct_test_gui_wait (user_listed, &root, 10000));
    g_assert_false (press (GTK_WIDGET (dialog), "<Control>Return"));
    gtk_widget_activate (ct_test_gui_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, "Avery Brooks"));
    /* Chosen: Ctrl+Enter would now send (the action is enabled). */
    g_assert_true (gtk_widget_is_sensitive (ct_test_gui_find (GTK_WIDGET (dialog), GTK_TYPE_BUTTON,
                                                              "_Delegate")));
  }
  png = ct_test_gui_render_png (GTK_WIDGET (dialog), "decide-delegate.png");
  g_clear_pointer (&png, g_free);
  g_assert_true (press (GTK_WIDGET (dialog), "Escape"));
  g_assert_true (ct_test_gui_wait (no_dialog, window, 5000));

  /* Ctrl+Enter opens the approval; nothing is sent yet. The server will
   * ignore the first attempt (answers success, changes nothing). */
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (ct_application_get_demo_sim (the_app)),
                                      "noop@/json/2/purchase.order/button_approve*1", NULL));
  g_assert_true (press (GTK_WIDGET (window), "<Control>Return"));
  dialog = CT_DECISION_DIALOG (ct_window_get_decision_dialog (window));
  g_assert_nonnull (dialog);
  g_assert_cmpint (ct_decision_dialog_get_outcome (dialog), ==, CT_DECISION_APPROVE);
  g_assert_cmpstr (ct_decision_dialog_get_state (dialog), ==, "form");
  ct_decision_dialog_set_comment (dialog, "Prices match the framework agreement.");
  png = ct_test_gui_render_png (GTK_WIDGET (dialog), "decide-dialog.png");
  g_clear_pointer (&png, g_free);
  g_assert_true (press (GTK_WIDGET (dialog), "<Control>Return"));
  g_assert_true (ct_test_gui_wait (dialog_asks, dialog, 5000));
  confirm = ct_decision_dialog_get_confirmation (dialog);
  adw_message_dialog_response (confirm, adw_message_dialog_get_default_response (confirm));
  g_assert_true (ct_test_gui_wait (dialog_done, dialog, 30000));

  /* Not approved: the dialog says what happened and keeps the comment. */
  g_assert_cmpstr (ct_decision_dialog_get_state (dialog), ==, "form");
  g_assert_nonnull (strstr (ct_decision_dialog_get_error (dialog), "did not apply"));
  g_assert_null (ct_test_gui_find (GTK_WIDGET (dialog), ADW_TYPE_STATUS_PAGE, "Approved"));
  {
    g_autofree char *kept = ct_decision_dialog_dup_comment (dialog);

    g_assert_cmpstr (kept, ==, "Prices match the framework agreement.");
  }
  png = ct_test_gui_render_png (GTK_WIDGET (dialog), "decide-failure.png");
  g_clear_pointer (&png, g_free);

  /* Closed and opened again, the draft comes back from the journal. */
  g_assert_true (press (GTK_WIDGET (dialog), "Escape"));
  g_assert_true (ct_test_gui_wait (no_dialog, window, 5000));
  g_assert_true (press (GTK_WIDGET (window), "<Control>Return"));
  dialog = CT_DECISION_DIALOG (ct_window_get_decision_dialog (window));
  {
    g_autofree char *kept = ct_decision_dialog_dup_comment (dialog);

    g_assert_cmpstr (kept, ==, "Prices match the framework agreement.");
    g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "_Discard Draft"));
  }

  /* Ctrl+Enter in the dialog asks for the high-value confirmation, which
   * names the amount and the partner; Enter takes its default answer. */
  g_assert_true (press (GTK_WIDGET (dialog), "<Control>Return"));
  g_assert_true (ct_test_gui_wait (dialog_asks, dialog, 5000));
  confirm = ct_decision_dialog_get_confirmation (dialog);
  g_assert_nonnull (confirm);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), c->partner.name));
  png = ct_test_gui_render_png (GTK_WIDGET (confirm), "decide-confirm.png");
  g_clear_pointer (&png, g_free);
  /* A second Ctrl+Enter while it is asked sends nothing more. */
  g_assert_false (press (GTK_WIDGET (dialog), "<Control>Return"));
  started = g_get_monotonic_time ();
  adw_message_dialog_response (confirm, adw_message_dialog_get_default_response (confirm));
  g_assert_cmpstr (ct_decision_dialog_get_state (dialog), ==, "sending");
  g_assert_false (press (GTK_WIDGET (dialog), "<Control>Return"));

  /* The result in words, only once Odoo shows it. */
  g_assert_true (ct_test_gui_wait (dialog_done, dialog, 30000));
  g_test_message ("confirmed to verified result: %.1f ms",
                  (g_get_monotonic_time () - started) / 1000.0);
  g_assert_cmpstr (ct_decision_dialog_get_error (dialog), ==, NULL);
  g_assert_cmpstr (ct_decision_dialog_get_state (dialog), ==, "result");
  g_assert_cmpuint (ct_decision_dialog_get_results (dialog)->len, ==, 1);
  result = ct_decision_dialog_get_results (dialog)->pdata[0];
  g_assert_true (result->verified);
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (dialog), ADW_TYPE_STATUS_PAGE, "Approved"));
  png = ct_test_gui_render_png (GTK_WIDGET (dialog), "decide-result.png");
  g_clear_pointer (&png, g_free);

  /* Escape closes it; the journal lists the decision, verified, its
   * chain whole. */
  g_assert_true (press (GTK_WIDGET (dialog), "Escape"));
  g_assert_true (ct_test_gui_wait (no_dialog, window, 5000));
  ct_window_show_page (window, "journal");
  journal = CT_JOURNAL_PAGE (ct_test_gui_find (GTK_WIDGET (window), CT_TYPE_JOURNAL_PAGE, NULL));
  g_assert_nonnull (journal);
  /* Both attempts: the one the server ignored, and the approval. */
  g_assert_cmpuint (ct_journal_page_get_n_entries (journal), ==, 2);
  ct_journal_page_set_search (journal, "framework agreement");
  g_assert_cmpuint (ct_journal_page_get_n_entries (journal), ==, 2);
  ct_journal_page_set_search (journal, "no such words");
  g_assert_cmpuint (ct_journal_page_get_n_entries (journal), ==, 0);
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (journal), ADW_TYPE_STATUS_PAGE,
                                      "No Matching Decisions"));
  ct_journal_page_set_search (journal, "framework agreement");
  g_assert_nonnull (strstr (ct_journal_page_get_chain_text (journal), "holds"));
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (journal), GTK_TYPE_LABEL, "Verified"));
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (journal), GTK_TYPE_LABEL, "Not applied"));
  /* The approved case has left the tower: the journal still names it as
   * it was, not by model and id. */
  g_assert_true (ct_test_gui_wait (demo_synced, window, 30000));
  ct_journal_page_set_search (journal, "");
  ct_journal_page_set_search (journal, "framework agreement");
  {
    g_autofree char *label = ct_case_dup_label (c);
    g_autofree char *title = g_strdup_printf ("%s · %s", ct_decision_outcome_label (CT_DECISION_APPROVE),
                                              label);

    g_test_message ("journal row: %s (in the tower: %s)", title,
                    ct_case_store_lookup (ct_window_get_store (window), c->key) ? "yes" : "no");
    g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (journal), ADW_TYPE_ACTION_ROW, title));
  }
  png = ct_test_gui_render_png (GTK_WIDGET (window), "decide-journal.png");
  g_clear_pointer (&png, g_free);
  {
    g_autofree char *dir = g_dir_make_tmp ("ct-journal-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "journal.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *csv = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (ct_journal_page_export (journal, file, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
    g_assert_nonnull (strstr (csv, c->key));
    g_assert_nonnull (strstr (csv, "framework agreement"));
    g_unlink (path);
    g_rmdir (dir);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
menu_released (gpointer data)
{
  return ct_queue_menu_get_selection (data) == NULL;
}

/* A right click on a row outside the selection selects that row alone and
 * pops the menu up; the selection made before is given back after. */
static void
right_click_selects (GtkWidget         *view,
                     GtkWidget         *menu,
                     GtkSelectionModel *selection)
{
  g_autoptr(GtkBitset) live = gtk_selection_model_get_selection (selection);
  g_autoptr(GtkBitset) before = gtk_bitset_copy (live);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);
  GtkGesture *click = NULL;
  GtkWidget *label = NULL;
  GtkListItem *item = NULL;
  double x, y;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && click == NULL; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (c) &&
          gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (c)) == GDK_BUTTON_SECONDARY)
        click = GTK_GESTURE (c);
    }
  g_assert_nonnull (click);
  ct_test_gui_wait_painted (GTK_WIDGET (gtk_widget_get_root (view)));
  /* A shown row that is not selected. */
  {
    g_autoptr(GQueue) queue = g_queue_new ();

    g_queue_push_tail (queue, view);
    while (!g_queue_is_empty (queue) && item == NULL)
      {
        GtkWidget *w = g_queue_pop_head (queue);
        GtkListItem *it = g_object_get_data (G_OBJECT (w), "ct-list-item");

        /* Rows above or below the scrolled view are mapped too: take one
         * the pointer can reach. */
        if (it != NULL && gtk_widget_get_mapped (w) &&
            !gtk_bitset_contains (before, gtk_list_item_get_position (it)) &&
            gtk_widget_translate_coordinates (w, view, 2, 2, &x, &y) &&
            gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT) == w)
          {
            item = it;
            label = w;
          }
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
             c = gtk_widget_get_next_sibling (c))
          g_queue_push_tail (queue, c);
      }
  }
  g_assert_nonnull (item);
  g_assert_true (gtk_widget_translate_coordinates (label, view, 2, 2, &x, &y));
  g_assert_cmpuint (gtk_bitset_get_size (before), >, 1);
  g_signal_emit_by_name (click, "pressed", 1, x, y);
  g_assert_true (gtk_widget_get_visible (menu));
  g_assert_true (gtk_selection_model_is_selected (selection, gtk_list_item_get_position (item)));
  {
    g_autoptr(GtkBitset) now = gtk_selection_model_get_selection (selection);

    g_assert_cmpuint (gtk_bitset_get_size (now), ==, 1);
  }
  /* Closed, the menu gives the selection back as it was when it opened. */
  gtk_popover_popdown (GTK_POPOVER (menu));
  g_assert_true (ct_test_gui_wait (menu_released, view, 5000));
  {
    g_autoptr(GtkBitset) now = gtk_selection_model_get_selection (selection);

    g_assert_cmpuint (gtk_bitset_get_size (now), ==, 1);
  }
  {
    g_autoptr(GtkBitset) all = gtk_bitset_new_range (0, G_MAXUINT);

    g_autoptr(GtkBitset) after = NULL;

    gtk_selection_model_set_selection (selection, before, all);
    after = gtk_selection_model_get_selection (selection);
    g_assert_true (gtk_bitset_equals (after, before));
  }
}

static void
test_bulk_partial_failure (void)
{
  CtWindow *window = start_demo ();
  CtDecisions *decisions = ct_window_get_decisions (window);
  CtSimServer *sim = ct_application_get_demo_sim (the_app);
  g_autoptr(GError) error = NULL;
  CtQueuePage *queue;
  CtCasePage *page = NULL;
  CtDecisionBar *bar;
  GtkWidget *button;
  CtDecisionDialog *dialog;
  AdwMessageDialog *confirm;
  GtkSelectionModel *selection;
  GListModel *model;
  GPtrArray *results;
  guint n_eligible = 0, n_other = 0, n_ok = 0;
  gint64 started;
  g_autofree char *png = NULL;

  ct_window_show_page (window, "pending");
  queue = ct_window_get_queue_page (window);
  g_assert_true (ct_test_gui_wait (queue_filtered, queue, 10000));
  model = ct_queue_page_get_model (queue);
  selection = ct_queue_page_get_selection (queue);
  gtk_selection_model_unselect_all (selection);

  /* A case the user cannot approve: the bar says why, in the tooltip too,
   * and the shortcut does nothing. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (model, i);
      g_autofree char *reason = NULL;

      if (c->kind != CT_CASE_KIND_APPROVAL ||
          ct_decisions_can_decide (decisions, c, CT_DECISION_APPROVE, &reason))
        continue;
      g_signal_emit_by_name (ct_test_gui_find (GTK_WIDGET (queue), GTK_TYPE_COLUMN_VIEW, NULL),
                             "activate", i);
      page = ct_window_get_case_page (window);
      bar = ct_case_page_get_decision_bar (page);
      g_assert_cmpstr (ct_decision_bar_get_reason (bar, CT_DECISION_APPROVE), ==, reason);
      button = ct_decision_bar_get_button (bar, CT_DECISION_APPROVE);
      g_assert_false (gtk_widget_is_sensitive (button));
      g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, reason);
      g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (bar), GTK_TYPE_LABEL, reason));
      g_assert_false (press (GTK_WIDGET (window), "<Control>Return"));
      g_assert_null (ct_window_get_decision_dialog (window));
      g_assert_true (ct_test_gui_wait (case_read, page, 20000));
      png = ct_test_gui_render_png (GTK_WIDGET (window), "decide-bar-disabled.png");
      g_clear_pointer (&png, g_free);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.close-case", NULL);
      break;
    }
  g_assert_nonnull (page);

  /* Two the user may approve, both through double validation, and one
   * that is not theirs to approve. */
  for (guint i = 0; i < g_list_model_get_n_items (model) && (n_eligible < 2 || n_other < 1); i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (model, i);
      gboolean can = ct_decisions_can_decide (decisions, c, CT_DECISION_APPROVE, NULL);

      if (can && n_eligible < 2 && double_validation_only (c))
        n_eligible++;
      else if (!can && n_other < 1 && c->kind == CT_CASE_KIND_APPROVAL)
        n_other++;
      else
        continue;
      gtk_selection_model_select_item (selection, i, FALSE);
    }
  g_assert_cmpuint (n_eligible, ==, 2);
  g_assert_cmpuint (n_other, ==, 1);

  /* The Menu key on the list pops up the decisions for the selection. */
  {
    GtkWidget *view = ct_test_gui_find (GTK_WIDGET (queue), GTK_TYPE_COLUMN_VIEW, NULL);
    GtkWidget *menu = ct_test_gui_find (GTK_WIDGET (queue), GTK_TYPE_POPOVER_MENU, NULL);

    g_assert_nonnull (menu);
    g_assert_false (gtk_widget_get_visible (menu));
    right_click_selects (view, menu, selection);
    g_assert_true (press (view, "Menu"));
    g_assert_true (gtk_widget_get_visible (menu));

    png = ct_test_gui_render_png (menu, "decide-queue-menu.png");
    g_clear_pointer (&png, g_free);
    gtk_popover_popdown (GTK_POPOVER (menu));
    g_assert_true (ct_test_gui_wait (menu_released, view, 5000));
  }

  /* The server will ignore the first approval: a partial failure. */
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (sim),
                                      "noop@/json/2/purchase.order/button_approve*1", &error));
  g_assert_no_error (error);

  /* Ctrl+Enter on the queue: one dialog for the selection. */
  {
    g_autoptr(GPtrArray) selected = ct_queue_page_dup_selected_cases (queue);

    g_assert_cmpuint (selected->len, ==, 3);
    g_assert_cmpstr (ct_window_get_page (window), ==, "pending");
  }
  g_assert_true (press (GTK_WIDGET (window), "<Control>Return"));
  dialog = CT_DECISION_DIALOG (ct_window_get_decision_dialog (window));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (ct_test_gui_find (GTK_WIDGET (dialog),
                                                           ADW_TYPE_PREFERENCES_GROUP,
                                                           "Not Included")));
  ct_decision_dialog_set_comment (dialog, "Month-end batch.");
  png = ct_test_gui_render_png (GTK_WIDGET (dialog), "decide-bulk-dialog.png");
  g_clear_pointer (&png, g_free);
  g_assert_true (press (GTK_WIDGET (dialog), "<Control>Return"));
  ct_test_gui_wait (dialog_asks, dialog, 5000);
  g_assert_cmpstr (ct_decision_dialog_get_error (dialog), ==, NULL);
  confirm = ct_decision_dialog_get_confirmation (dialog);
  g_assert_nonnull (confirm);
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==, "Approve 2 Cases?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "Total value"));
  started = g_get_monotonic_time ();
  adw_message_dialog_response (confirm, adw_message_dialog_get_default_response (confirm));
  g_assert_true (ct_test_gui_wait (dialog_done, dialog, 60000));
  g_test_message ("bulk of 2 to per-case results: %.1f ms",
                  (g_get_monotonic_time () - started) / 1000.0);
  g_assert_cmpstr (ct_decision_dialog_get_state (dialog), ==, "result");

  /* Per case: one approved, one the server did not apply, and why. */
  results = ct_decision_dialog_get_results (dialog);
  g_assert_cmpuint (results->len, ==, 2);
  for (guint i = 0; i < results->len; i++)
    {
      const CtDecisionResult *r = results->pdata[i];

      if (r->verified)
        n_ok++;
      else
        g_assert_error (r->error, CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_APPLIED);
    }
  g_assert_cmpuint (n_ok, ==, 1);
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (dialog), ADW_TYPE_STATUS_PAGE,
                                      "1 of 2 Cases: Approved"));
  png = ct_test_gui_render_png (GTK_WIDGET (dialog), "decide-bulk-result.png");
  g_clear_pointer (&png, g_free);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  ct_test_gui_init (&argc, &argv);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_test_add_func ("/ct/gui/decide/keyboard", test_decide_by_keyboard);
  g_test_add_func ("/ct/gui/decide/bulk-partial-failure", test_bulk_partial_failure);
  return g_test_run ();
}
