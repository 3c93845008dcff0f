/* test-tower.c - The tower: sidebar, overview, queues, freshness, driven through actions and models
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "ct-application.h"
#include "ct-bar-chart.h"
#include "ct-case-page.h"
#include "ct-case-filter.h"
#include "ct-kpi-tile.h"
#include "ct-overview-page.h"
#include "ct-queue-page.h"
#include "ct-secrets.h"
#include "ct-sim-faults.h"
#include "ct-sim-server.h"
#include "ct-test-gui.h"
#include "ct-window-case.h"
#include "ct-window.h"

static CtApplication *the_app;

typedef struct
{
  CtWindow *window;
  GWeakRef  window_ref;
} Fixture;

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  reset_settings ();
  if (the_app == NULL)
    {
      the_app = ct_application_new ();
      g_application_set_flags (G_APPLICATION (the_app),
                               G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (the_app), NULL, &error));
      g_application_hold (G_APPLICATION (the_app));
    }
  g_application_activate (G_APPLICATION (the_app));
  fixture->window = CT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  g_assert_nonnull (fixture->window);
  g_weak_ref_init (&fixture->window_ref, fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 860);
  ct_test_gui_wait_painted (GTK_WIDGET (fixture->window));
}

static gboolean
window_gone (gpointer data)
{
  g_autoptr(GObject) alive = g_weak_ref_get (data);

  return alive == NULL;
}

static void
close_all_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_all_windows ();
  /* Nothing in flight may keep a closed window alive for long. */
  g_assert_true (ct_test_gui_wait (window_gone, &fixture->window_ref, 2000));
  g_weak_ref_clear (&fixture->window_ref);
}

static gboolean
synced (gpointer data)
{
  CtSync *sync = ct_window_get_sync (data);

  return sync != NULL && ct_sync_get_synced_at (sync) != 0 && !ct_sync_is_stale (sync) &&
         !ct_window_is_refreshing (data) && ct_case_store_get_n_cases (ct_window_get_store (data)) > 0;
}

static void
assert_counts_match_store (CtWindow *window)
{
  static const struct { const char *page; CtCaseScope scope; } pages[] = {
    { "mine", CT_CASE_SCOPE_MINE }, { "pending", CT_CASE_SCOPE_ALL_PENDING },
    { "breaches", CT_CASE_SCOPE_BREACHED }, { "escalations", CT_CASE_SCOPE_ESCALATED },
    { "integrations", CT_CASE_SCOPE_INCIDENTS },
  };
  GPtrArray *cases = ct_case_store_get_cases (ct_window_get_store (window));

  ct_window_update_now (window);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(CtCaseFilter) filter = ct_case_filter_new (pages[i].scope);
      g_autofree char *expected = NULL;

      filter->user_id = ct_window_get_user_id (window);
      expected = g_strdup_printf ("%u", ct_case_filter_count (filter, cases));
      g_assert_cmpstr (ct_window_get_count_text (window, pages[i].page), ==, expected);
    }
}

static char *
render_both (GtkWidget  *window,
             const char *name)
{
  g_autofree char *light = g_strdup_printf ("%s-light.png", name);
  g_autofree char *dark = g_strdup_printf ("%s-dark.png", name);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  a = ct_test_gui_render_png (window, light);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ct_test_gui_wait_painted (window);
  b = ct_test_gui_render_png (window, dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  ct_test_gui_wait_painted (window);
  return g_steal_pointer (&a);
}

static void
start_demo (Fixture *fixture)
{
  g_action_group_activate_action (G_ACTION_GROUP (the_app), "demo", NULL);
  g_assert_true (ct_application_get_demo (the_app));
  g_assert_true (ct_test_gui_wait (synced, fixture->window, 60000));
  ct_window_update_now (fixture->window);
  g_test_message ("demo: %u cases in the store", ct_case_store_get_n_cases (ct_window_get_store (fixture->window)));
}

/* Every control a screen reader reaches has a name: a button, toggle or
 * menu button without a label of its own (icon-only, or a custom child)
 * carries an accessible label or is labelled by a widget, since GTK 4.8
 * does not use a tooltip as a name. Collects the unnamed ones in @missing;
 * returns how many controls were checked. */
static guint
collect_unnamed (GtkWidget *root,
                 GString   *missing)
{
  guint n = 0;

  if (!gtk_widget_get_visible (root))
    return 0;
  if (GTK_IS_MENU_BUTTON (root) ||
      (GTK_IS_BUTTON (root) && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (root))))
    {
      const char *label = GTK_IS_MENU_BUTTON (root) ? gtk_menu_button_get_label (GTK_MENU_BUTTON (root))
                                                    : gtk_button_get_label (GTK_BUTTON (root));

      n++;
      if ((label == NULL || *label == '\0') &&
          !gtk_test_accessible_has_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
          !gtk_test_accessible_has_relation (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
        g_string_append_printf (missing, "\n  %s (%s) in %s", G_OBJECT_TYPE_NAME (root),
                                gtk_widget_get_tooltip_text (root) ? gtk_widget_get_tooltip_text (root)
                                                                   : "no tooltip",
                                G_OBJECT_TYPE_NAME (gtk_widget_get_parent (root)));
      if (GTK_IS_MENU_BUTTON (root))
        return n;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    n += collect_unnamed (c, missing);
  return n;
}

static guint
assert_named (GtkWidget *root)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n = collect_unnamed (root, missing);

  if (missing->len > 0)
    g_error ("controls without an accessible name:%s", missing->str);
  return n;
}

/* Counts, tiles, charts: what the overview says is what the store holds. */
static void
test_overview (Fixture       *fixture,
               gconstpointer  data)
{
  CtWindow *window = fixture->window;
  CtOverviewPage *overview = ct_window_get_overview_page (window);
  GPtrArray *cases;
  g_autoptr(CtCaseFilter) breached = ct_case_filter_new (CT_CASE_SCOPE_BREACHED);
  g_autoptr(CtCaseFilter) pending = ct_case_filter_new (CT_CASE_SCOPE_ALL_PENDING);
  g_autofree char *expected = NULL;
  g_autofree char *png = NULL;
  CtBarChart *ageing;
  guint sum = 0;

  start_demo (fixture);
  cases = ct_case_store_get_cases (ct_window_get_store (window));
  g_assert_cmpuint (cases->len, >, 100);
  g_assert_cmpuint (assert_named (GTK_WIDGET (window)), >=, 4);
  g_assert_cmpstr (ct_window_get_page (window), ==, "overview");
  assert_counts_match_store (window);

  expected = g_strdup_printf ("%u", ct_case_filter_count (breached, cases));
  g_assert_cmpstr (ct_kpi_tile_get_value (CT_KPI_TILE (ct_overview_page_get_tile (overview, "breached"))),
                   ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%u", ct_case_filter_count (pending, cases));
  g_assert_cmpstr (ct_kpi_tile_get_value (CT_KPI_TILE (ct_overview_page_get_tile (overview, "pending"))),
                   ==, expected);

  /* No source reads decided cases: the cycle time says it is not measured
   * rather than that nothing was decided. */
  g_assert_cmpstr (ct_kpi_tile_get_value (CT_KPI_TILE (ct_overview_page_get_tile (overview, "cycle"))),
                   ==, "—");
  g_assert_nonnull (ct_test_gui_find (ct_overview_page_get_tile (overview, "cycle"), GTK_TYPE_LABEL,
                                      "Not measured: only open cases are read"));

  /* The ageing histogram adds up to the pending cases and says so in words. */
  ageing = CT_BAR_CHART (ct_overview_page_get_chart (overview, "ageing"));
  for (guint i = 0; i < ct_bar_chart_get_n_bars (ageing); i++)
    sum += ct_bar_chart_get_value (ageing, i);
  g_assert_cmpuint (sum, ==, ct_case_filter_count (pending, cases));
  g_assert_nonnull (strstr (ct_bar_chart_get_description (ageing), "Pending cases by business age"));
  g_assert_nonnull (ct_bar_chart_get_description (CT_BAR_CHART (ct_overview_page_get_chart (overview, "trend"))));

  /* A demo that looks like a distributor: most cases on track, a few
   * breached, the work spread over people, every amount with a currency. */
  {
    CtQueuePage *queue = ct_window_get_queue_page (window);
    g_autoptr(GHashTable) waiting = g_hash_table_new (g_str_hash, g_str_equal);
    guint n_pending = ct_case_filter_count (pending, cases), n_breached = ct_case_filter_count (breached, cases);
    guint on_track = 0, biggest = 0;

    for (guint i = 0; i < cases->len; i++)
      {
        CtCase *c = cases->pdata[i];

        if (!ct_case_in_scope (c, CT_CASE_SCOPE_ALL_PENDING, 0))
          continue;
        on_track += c->sla.status == CT_SLA_STATUS_ON_TRACK;
        if (c->amount != 0)
          {
            g_autofree char *amount = ct_queue_page_format_amount (queue, c);

            /* Grouped thousands, the currency on the same line. */
            g_assert_true (g_regex_match_simple ("[0-9]\\x{00A0}[A-Z]{3}$", amount, 0, 0));
            if (fabs (c->amount) >= 1000)
              g_assert_true (g_regex_match_simple ("^\\x{2212}?[0-9]{1,3}\\x{202F}[0-9]{3}", amount, 0, 0));
          }
        for (guint r = 0; r < c->requirements->len; r++)
          {
            const CtRequirement *req = c->requirements->pdata[r];
            guint n;

            if (req->state != CT_APPROVER_STATE_PENDING || req->approver == NULL)
              continue;
            n = GPOINTER_TO_UINT (g_hash_table_lookup (waiting, req->approver)) + 1;
            g_hash_table_insert (waiting, req->approver, GUINT_TO_POINTER (n));
            biggest = MAX (biggest, n);
          }
      }
    g_test_message ("demo: %u pending, %u on track, %u breached, busiest approver %u",
                    n_pending, on_track, n_breached, biggest);
    g_assert_cmpuint (on_track * 2, >, n_pending);
    g_assert_cmpuint (n_breached * 4, <, n_pending);
    g_assert_cmpuint (n_breached, >, 0);
    g_assert_cmpuint (biggest * 4, <, n_pending);
  }

  png = render_both (GTK_WIDGET (window), "overview");
}

static gboolean
page_is (gpointer data)
{
  return TRUE;
}

/* A KPI tile opens its queue with the filter set; every row belongs there. */
static void
test_tile_opens_queue (Fixture       *fixture,
                       gconstpointer  data)
{
  CtWindow *window = fixture->window;
  CtOverviewPage *overview = ct_window_get_overview_page (window);
  CtQueuePage *queue = ct_window_get_queue_page (window);
  GListModel *rows = ct_queue_page_get_model (queue);
  GPtrArray *cases;
  g_autoptr(CtCaseFilter) breached = ct_case_filter_new (CT_CASE_SCOPE_BREACHED);
  g_autofree char *png = NULL;
  GtkWidget *area_row;
  const char *area;
  guint n;

  start_demo (fixture);
  cases = ct_case_store_get_cases (ct_window_get_store (window));

  g_signal_emit_by_name (ct_overview_page_get_tile (overview, "breached"), "clicked");
  ct_test_gui_wait (page_is, NULL, 0);
  g_assert_cmpstr (ct_window_get_page (window), ==, "breaches");
  n = g_list_model_get_n_items (rows);
  g_assert_cmpuint (n, ==, ct_case_filter_count (breached, cases));
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (rows, i);

      g_assert_cmpint (c->sla.status, ==, CT_SLA_STATUS_BREACHED);
    }
  /* Worst first: sorted by the SLA column, most overdue on top. */
  {
    g_autoptr(CtCase) first = g_list_model_get_item (rows, 0);
    g_autoptr(CtCase) last = g_list_model_get_item (rows, n - 1);

    g_assert_cmpint (first->sla.due, <=, last->sla.due);
  }
  png = render_both (GTK_WIDGET (window), "queue-breaches");
  g_clear_pointer (&png, g_free);

  /* At risk opens All Pending with an SLA chip. */
  g_signal_emit_by_name (ct_overview_page_get_tile (overview, "at-risk"), "clicked");
  g_assert_cmpstr (ct_window_get_page (window), ==, "pending");
  g_assert_cmpint (ct_queue_page_get_filter (queue)->sla_status, ==, CT_SLA_STATUS_AT_RISK);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (rows, i);

      g_assert_cmpint (c->sla.status, ==, CT_SLA_STATUS_AT_RISK);
    }

  /* An area row of the overview opens that area's queue. */
  ct_window_show_page (window, "overview");
  area_row = gtk_widget_get_next_sibling (gtk_widget_get_first_child (ct_overview_page_get_area_list (overview)));
  g_assert_nonnull (area_row);
  area = gtk_widget_get_name (area_row);
  gtk_widget_activate (area_row);
  g_assert_cmpstr (ct_window_get_page (window), ==, "pending");
  g_assert_cmpstr (ct_queue_page_get_filter (queue)->area_id, ==, area);
  g_assert_cmpuint (g_list_model_get_n_items (rows), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (rows, i);

      g_assert_cmpstr (c->area_id, ==, area);
    }
}

static guint
shown (CtQueuePage *queue)
{
  return g_list_model_get_n_items (ct_queue_page_get_model (queue));
}

typedef struct
{
  CtQueuePage *queue;
  guint        n;
} CountWait;

static gboolean
count_is (gpointer data)
{
  CountWait *w = data;

  return shown (w->queue) == w->n;
}

/* What the row widgets of the queue's list show, top to bottom, is the
 * model's rows from the first: no row keeps a case it showed before a
 * change (the rows' widgets are kept and only re-pointed). */
static void
assert_rows_shown (CtWindow    *window,
                   CtQueuePage *queue)
{
  GListModel *rows = ct_queue_page_get_model (queue);
  GtkWidget *view = ct_test_gui_find (GTK_WIDGET (queue), GTK_TYPE_COLUMN_VIEW, NULL);
  GtkWidget *list = ct_test_gui_find (view, GTK_TYPE_LIST_VIEW, NULL);
  guint n = 0;

  ct_test_gui_wait_painted (GTK_WIDGET (window));
  g_assert_nonnull (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *cell = gtk_widget_get_first_child (row);
      GtkWidget *label = cell ? gtk_widget_get_first_child (cell) : NULL;
      g_autoptr(CtCase) c = NULL;

      if (!GTK_IS_LABEL (label))
        continue;
      c = g_list_model_get_item (rows, n);
      g_assert_nonnull (c);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                       c->reference ? c->reference : ct_case_get_key (c));
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

/* Search as you type over the store's fast filter; each filter narrows;
 * chips remove them; an empty result says what is empty. */
static void
test_search_and_filters (Fixture       *fixture,
                         gconstpointer  data)
{
  CtWindow *window = fixture->window;
  CtQueuePage *queue = ct_window_get_queue_page (window);
  GListModel *rows = ct_queue_page_get_model (queue);
  g_autoptr(CtCaseFilter) filter = NULL;
  g_autoptr(CtCase) sample = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *png = NULL;
  GtkWidget *entry;
  guint all, narrowed;

  start_demo (fixture);
  ct_window_show_page (window, "pending");
  all = shown (queue);
  g_assert_cmpuint (all, >, 10);
  assert_rows_shown (window, queue);
  {
    g_autofree char *expected = g_strdup_printf ("%u of %u", all, all);

    g_assert_cmpstr (ct_queue_page_get_count_text (queue), ==, expected);
  }

  /* Typing in the search entry (Ctrl+F) narrows to the cases that match. */
  for (guint i = all / 2; i < all && sample == NULL; i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (rows, i);

      if (c->partner.name != NULL)
        sample = g_steal_pointer (&c);
    }
  g_assert_nonnull (sample);
  needle = g_strdup (sample->partner.name);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  entry = ct_test_gui_find (GTK_WIDGET (queue), GTK_TYPE_SEARCH_ENTRY, NULL);
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_has_focus (gtk_widget_get_first_child (entry)) || gtk_widget_has_focus (entry) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), needle);
  {
    g_autofree char *folded = ct_case_fold_text (needle);
    CountWait w = { queue, ct_case_store_count_matching (ct_window_get_store (window), needle) };
    g_autoptr(CtCaseFilter) scope = ct_case_filter_new (CT_CASE_SCOPE_ALL_PENDING);

    ct_case_filter_set_search (scope, needle);
    w.n = ct_case_filter_count (scope, ct_case_store_get_cases (ct_window_get_store (window)));
    g_assert_true (ct_test_gui_wait (count_is, &w, 5000));
    narrowed = shown (queue);
    g_assert_cmpuint (narrowed, <, all);
    g_assert_cmpuint (narrowed, >, 0);
    for (guint i = 0; i < narrowed; i++)
      {
        g_autoptr(CtCase) c = g_list_model_get_item (rows, i);

        g_assert_true (ct_case_matches (c, folded));
      }
    assert_rows_shown (window, queue);
  }
  png = render_both (GTK_WIDGET (window), "queue-search");
  g_clear_pointer (&png, g_free);

  /* Nothing matches: the page says what is empty and why. */
  ct_queue_page_set_search (queue, "zzzz-no-such-case");
  g_assert_cmpuint (shown (queue), ==, 0);
  g_assert_true (ct_queue_page_is_empty_shown (queue));
  g_assert_cmpstr (ct_queue_page_get_empty_title (queue), ==, "No case matches “zzzz-no-such-case”");
  png = render_both (GTK_WIDGET (window), "queue-no-match");
  g_clear_pointer (&png, g_free);
  ct_queue_page_set_search (queue, NULL);
  g_assert_cmpuint (shown (queue), ==, all);
  assert_rows_shown (window, queue);

  /* Each filter narrows and is shown as a chip that removes it. */
  filter = ct_case_filter_copy (ct_queue_page_get_filter (queue));
  filter->area_id = g_strdup ("procurement");
  ct_queue_page_set_filter (queue, filter);
  narrowed = shown (queue);
  g_assert_cmpuint (narrowed, <, all);
  g_assert_cmpuint (narrowed, >, 0);
  filter->sla_status = CT_SLA_STATUS_ON_TRACK;
  ct_queue_page_set_filter (queue, filter);
  g_assert_cmpuint (shown (queue), <, narrowed);
  filter->amount_min = 10000;
  ct_queue_page_set_filter (queue, filter);
  for (guint i = 0; i < shown (queue); i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (rows, i);

      g_assert_cmpstr (c->area_id, ==, "procurement");
      g_assert_cmpint (c->sla.status, ==, CT_SLA_STATUS_ON_TRACK);
      g_assert_cmpfloat (c->amount, >=, 10000);
    }
  png = render_both (GTK_WIDGET (window), "queue-filtered");
  g_clear_pointer (&png, g_free);
  {
    GtkWidget *chip = ct_test_gui_find (GTK_WIDGET (queue), GTK_TYPE_BUTTON, NULL);

    /* The first button is the Filters menu; chips follow in the flow box. */
    chip = ct_test_gui_find (GTK_WIDGET (queue), GTK_TYPE_FLOW_BOX, NULL);
    chip = ct_test_gui_find (chip, GTK_TYPE_BUTTON, NULL);
    g_assert_nonnull (chip);
    g_signal_emit_by_name (chip, "clicked");
    g_assert_null (ct_queue_page_get_filter (queue)->area_id);
  }
  {
    g_autoptr(CtCaseFilter) all_pending = ct_case_filter_new (CT_CASE_SCOPE_ALL_PENDING);

    ct_queue_page_set_filter (queue, all_pending);
  }

  /* Branch and mechanism. */
  {
    g_autoptr(CtCaseFilter) by_source = ct_case_filter_new (CT_CASE_SCOPE_ALL_PENDING);

    by_source->source = CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION;
    ct_queue_page_set_filter (queue, by_source);
    g_assert_cmpuint (shown (queue), <, all);
    for (guint i = 0; i < shown (queue); i++)
      {
        g_autoptr(CtCase) c = g_list_model_get_item (rows, i);

        g_assert_true (ct_case_has_source (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION));
      }
  }

  /* Sorting reads the struct: amount ascending. */
  {
    g_autoptr(CtCaseFilter) all_pending = ct_case_filter_new (CT_CASE_SCOPE_ALL_PENDING);

    ct_queue_page_set_filter (queue, all_pending);
  }
  ct_queue_page_sort_by (queue, "Amount", GTK_SORT_ASCENDING);
  for (guint i = 1; i < shown (queue); i++)
    {
      g_autoptr(CtCase) a = g_list_model_get_item (rows, i - 1);
      g_autoptr(CtCase) b = g_list_model_get_item (rows, i);

      g_assert_cmpfloat (a->amount, <=, b->amount);
    }

  /* Multi-selection, for the decisions to come. */
  gtk_selection_model_select_range (ct_queue_page_get_selection (queue), 0, 3, TRUE);
  {
    g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (ct_queue_page_get_selection (queue));

    g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 3);
  }
  assert_rows_shown (window, queue);

  /* The rows keep their widgets and change cases: the selection follows
   * the cases, not the positions. */
  {
    g_autoptr(GPtrArray) before = ct_queue_page_dup_selected_cases (queue);
    g_autoptr(GPtrArray) after = NULL;
    g_autoptr(GtkBitset) selected = NULL;
    g_autofree char *reference = NULL;

    g_assert_cmpuint (before->len, ==, 3);
    ct_queue_page_sort_by (queue, "Amount", GTK_SORT_DESCENDING);
    assert_rows_shown (window, queue);
    after = ct_queue_page_dup_selected_cases (queue);
    g_assert_cmpuint (after->len, ==, 3);
    for (guint i = 0; i < 3; i++)
      g_assert_true (g_ptr_array_find (after, before->pdata[i], NULL));
    selected = gtk_selection_model_get_selection (ct_queue_page_get_selection (queue));
    g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 3);
    g_assert_cmpuint (gtk_bitset_get_minimum (selected), >=, 3);
    g_clear_pointer (&after, g_ptr_array_unref);

    /* A search that leaves one of them: only that one stays selected. */
    reference = g_strdup (((CtCase *) before->pdata[1])->reference);
    ct_queue_page_set_search (queue, reference);
    after = ct_queue_page_dup_selected_cases (queue);
    g_assert_cmpuint (after->len, ==, 1);
    g_assert_true (after->pdata[0] == before->pdata[1]);
    ct_queue_page_set_search (queue, NULL);
    g_clear_pointer (&after, g_ptr_array_unref);
    after = ct_queue_page_dup_selected_cases (queue);
    g_assert_cmpuint (after->len, ==, 1);
  }
}

/* Folded, whether the leaflet shows the sidebar (its .navigation-sidebar list). */
static gboolean
has_sidebar_list (GtkWidget *root)
{
  if (GTK_IS_LIST_BOX (root) && gtk_widget_has_css_class (root, "navigation-sidebar"))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    if (has_sidebar_list (c))
      return TRUE;
  return FALSE;
}

static gboolean
shows_sidebar (AdwLeaflet *leaflet)
{
  return has_sidebar_list (adw_leaflet_get_visible_child (leaflet));
}

/* Every queue page has a title and an empty state in words. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  CtWindow *window = fixture->window;
  AdwLeaflet *leaflet = ADW_LEAFLET (ct_test_gui_find (GTK_WIDGET (window), ADW_TYPE_LEAFLET, NULL));
  g_autofree char *png = NULL;

  start_demo (fixture);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  ct_test_gui_spin (100);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_test_message ("narrow: %u cases, pending %s", ct_case_store_get_n_cases (ct_window_get_store (window)),
                  ct_window_get_count_text (window, "pending"));
  /* The back button's action is there; that it shows the sidebar is not
   * asserted: AdwLeaflet 1.2 kept the content visible under Xvfb here. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-sidebar", NULL));
  ct_window_show_page (window, "overview");
  g_assert_false (shows_sidebar (leaflet));
  g_assert_true (adw_leaflet_get_folded (leaflet));
  png = render_both (GTK_WIDGET (window), "narrow-overview");
}

static gboolean
case_loaded (gpointer data)
{
  CtCasePage *page = ct_window_get_case_page (data);

  return page != NULL && g_strcmp0 (ct_case_page_get_state (page), "loading") != 0;
}

/* Every screen, wide and narrow, with chips, search, popovers and a case
 * open: no button, toggle or menu button is read as just "button". */
static void
test_accessible_names (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char *const pages[] = { "overview", "mine", "pending", "breaches", "escalations",
                                       "integrations", "journal" };
  CtWindow *window = fixture->window;
  CtQueuePage *queue = ct_window_get_queue_page (window);
  g_autoptr(CtCaseFilter) filter = ct_case_filter_new (CT_CASE_SCOPE_ALL_PENDING);
  g_autoptr(CtCase) first = NULL;
  g_autofree char *png = NULL;
  GtkWidget *button;
  guint checked = 0;

  start_demo (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      ct_window_show_page (window, pages[i]);
      ct_test_gui_wait_painted (GTK_WIDGET (window));
      checked += assert_named (GTK_WIDGET (window));
    }

  /* Chips and the search bar. */
  ct_window_show_page (window, "pending");
  filter->area_id = g_strdup ("procurement");
  filter->sla_status = CT_SLA_STATUS_ON_TRACK;
  filter->amount_min = 10000;
  ct_queue_page_set_filter (queue, filter);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  checked += assert_named (GTK_WIDGET (window));

  /* The popovers: filters, sources, primary menu. */
  button = ct_test_gui_find (GTK_WIDGET (queue), GTK_TYPE_MENU_BUTTON, NULL);
  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  checked += assert_named (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));

  /* A case, opened as a row's Enter would. */
  first = g_list_model_get_item (ct_queue_page_get_model (queue), 0);
  g_assert_nonnull (first);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-case", "s", ct_case_get_key (first));
  g_assert_true (ct_test_gui_wait (case_loaded, window, 20000));
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  checked += assert_named (GTK_WIDGET (window));

  /* Narrow: the back button, the folded queue. */
  ct_window_show_page (window, "breaches");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  ct_test_gui_spin (100);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  checked += assert_named (GTK_WIDGET (window));
  png = render_both (GTK_WIDGET (window), "narrow-queue");
  g_test_message ("%u controls checked", checked);
  g_assert_cmpuint (checked, >=, 40);
}

static CtSimServer *
start_sim (const char *faults)
{
  CtSimOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  CtSimServer *sim;

  options.seed = 3;
  options.n_cases = 400;
  options.faults = faults;
  sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (sim, &error));
  g_assert_no_error (error);
  return sim;
}

/* Saves a connection to @sim as a user would have: settings and keyring. */
static void
save_connection (CtSimServer *sim,
                 const char  *login,
                 gboolean     with_n8n)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = ct_sim_server_dup_url (sim);

  g_assert_true (ct_secrets_store_sync (CT_SECRET_ODOO_API_KEY, url, login,
                                        ct_sim_server_get_api_key (sim, "admin"), NULL, NULL));
  if (with_n8n)
    g_assert_true (ct_secrets_store_sync (CT_SECRET_N8N_API_KEY, url, NULL,
                                          ct_sim_server_get_n8n_api_key (sim), NULL, NULL));
  g_settings_delay (settings);
  g_settings_set_string (settings, "odoo-url", url);
  g_settings_set_string (settings, "odoo-database", ct_sim_server_get_database (sim));
  g_settings_set_string (settings, "odoo-login", login);
  g_settings_set_string (settings, "n8n-url", with_n8n ? url : "");
  g_settings_apply (settings);
}

static gboolean
bar_revealed (gpointer data)
{
  GtkWidget *bar = ct_test_gui_find (GTK_WIDGET (data), GTK_TYPE_INFO_BAR, NULL);

  return bar != NULL && gtk_info_bar_get_revealed (GTK_INFO_BAR (bar));
}

typedef struct
{
  CtWindow *window;
  guint     sessions;   /* before Retry */
} RetryState;

static gboolean
signed_in_again_and_failed (gpointer data)
{
  RetryState *state = data;

  return ct_window_get_n_sessions (state->window) > state->sessions &&
         bar_revealed (state->window) && !ct_window_is_refreshing (state->window);
}

static gboolean
refreshed_once (gpointer data)
{
  CtSync *sync = ct_window_get_sync (data);

  for (guint i = 0; sync && i < ct_sync_get_n_sources (sync); i++)
    if (ct_sync_get_health (sync, i)->last_attempt != 0 && ct_sync_get_health (sync, i)->kind == CT_SOURCE_KIND_N8N)
      return TRUE;
  return FALSE;
}

/* The content header's subtitle: the one window title that has one. */
static const char *
window_subtitle (GtkWidget *root)
{
  if (ADW_IS_WINDOW_TITLE (root))
    {
      const char *subtitle = adw_window_title_get_subtitle (ADW_WINDOW_TITLE (root));

      if (subtitle != NULL && *subtitle != '\0')
        return subtitle;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      const char *subtitle = window_subtitle (c);

      if (subtitle != NULL)
        return subtitle;
    }
  return NULL;
}

/* n8n fails from the start: the bar names it and offers Retry; the
 * Integrations count is not a false 0; Retry after the fault clears. */
static void
test_failing_source (Fixture       *fixture,
                     gconstpointer  data)
{
  CtWindow *window = fixture->window;
  g_autoptr(CtSimServer) sim = start_sim ("http503@/api/v1");
  g_autofree char *png = NULL;
  GtkWidget *bar;
  const char *count;

  save_connection (sim, "admin", TRUE);
  g_assert_true (ct_test_gui_wait (refreshed_once, window, 60000));
  g_assert_true (ct_test_gui_wait (bar_revealed, window, 10000));
  ct_window_update_now (window);
  bar = ct_test_gui_find (GTK_WIDGET (window), GTK_TYPE_INFO_BAR, NULL);
  g_assert_nonnull (ct_test_gui_find (bar, GTK_TYPE_BUTTON, "_Retry"));
  count = ct_window_get_count_text (window, "integrations");
  g_assert_cmpstr (count, !=, "0");
  g_assert_true (g_str_equal (count, "—") || g_str_has_suffix (count, "+"));
  /* The approvals' counts are known and exact. */
  g_assert_false (g_str_equal (ct_window_get_count_text (window, "pending"), "—"));
  /* The window is current but for n8n: not "offline". */
  {
    const char *subtitle = window_subtitle (GTK_WIDGET (window));

    g_assert_nonnull (subtitle);
    g_assert_null (strstr (subtitle, "offline"));
    g_assert_nonnull (strstr (subtitle, "some sources failed"));
  }
  png = render_both (GTK_WIDGET (window), "source-failing");

  /* Retry once n8n answers: the bar goes away and the count is exact. */
  ct_sim_faults_clear (ct_sim_server_get_faults (sim));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (bar_revealed (window) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  for (guint i = 0; i < ct_sync_get_n_sources (ct_window_get_sync (window)); i++)
    {
      const CtSourceHealth *h = ct_sync_get_health (ct_window_get_sync (window), i);

      g_test_message ("%s: failures %u error %s", h->name, h->failures, h->last_error);
    }
  g_assert_false (bar_revealed (window));
  assert_counts_match_store (window);

  {
    g_autofree char *url = ct_sim_server_dup_url (sim);

    ct_secrets_clear_sync (CT_SECRET_ODOO_API_KEY, url, "admin", NULL, NULL);
  }
  ct_sim_server_stop (sim);
}

static gboolean
has_cases (gpointer data)
{
  return ct_case_store_get_n_cases (ct_window_get_store (data)) > 0;
}

/* The snapshot first: a second start shows the last cases at once, marked
 * stale, while the server is away. */
static void
test_stale_snapshot (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CtSimServer) sim = start_sim (NULL);
  g_autofree char *url = ct_sim_server_dup_url (sim);
  g_autofree char *png = NULL;
  CtWindow *window;
  guint n;
  const char *subtitle;

  save_connection (sim, "admin", FALSE);
  g_assert_true (ct_test_gui_wait (synced, fixture->window, 60000));
  n = ct_case_store_get_n_cases (ct_window_get_store (fixture->window));
  g_assert_cmpuint (n, >, 0);
  /* Let the snapshot be written. */
  ct_test_gui_spin (500);
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (ct_test_gui_wait (window_gone, &fixture->window_ref, 5000));
  ct_sim_server_stop (sim);

  g_application_activate (G_APPLICATION (the_app));
  window = CT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  g_weak_ref_set (&fixture->window_ref, window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
  /* At once: no wait for the server. */
  g_assert_true (has_cases (window));
  g_assert_cmpuint (ct_case_store_get_n_cases (ct_window_get_store (window)), ==, n);
  g_assert_true (ct_sync_is_stale (ct_window_get_sync (window)));
  g_assert_true (ct_test_gui_wait (bar_revealed, window, 30000));
  ct_window_update_now (window);
  subtitle = window_subtitle (GTK_WIDGET (window));
  g_assert_nonnull (subtitle);
  /* Every source is away: the window shows the snapshot and says so. */
  g_assert_nonnull (strstr (subtitle, "offline — snapshot"));
  png = render_both (GTK_WIDGET (window), "stale");

  /* Retry signs in again (the sign-in failed, so a refresh alone would
   * read nothing), and the snapshot stays while Odoo is still away. */
  {
    RetryState state = { window, ct_window_get_n_sessions (window) };

    gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
    g_assert_true (ct_test_gui_wait (signed_in_again_and_failed, &state, 30000));
    g_assert_cmpuint (ct_case_store_get_n_cases (ct_window_get_store (window)), ==, n);
  }
  ct_secrets_clear_sync (CT_SECRET_ODOO_API_KEY, url, "admin", NULL, NULL);
}

static gboolean
settled (gpointer data)
{
  return synced (data) || bar_revealed (data);
}

/* Issue 15 (5): a login with markup characters is text, never markup. */
static void
test_markup_login (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CtSimServer) sim = start_sim ("latency:200");
  GtkWidget *label;

  save_connection (sim, "R&D <b>ops</b>", FALSE);
  g_assert_true (ct_test_gui_wait (settled, fixture->window, 30000));
  label = ct_test_gui_find (GTK_WIDGET (fixture->window), ADW_TYPE_ACTION_ROW, "Signed In As");
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (label)), "R&D <b>ops</b>"));
  ct_window_update_now (fixture->window);

  /* A toast with server text says it as it is. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.toast", "s", "R&D <failed> & co");
  ct_test_gui_wait_painted (GTK_WIDGET (fixture->window));
  g_assert_nonnull (ct_test_gui_find (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL, NULL));
  {
    GtkWidget *toast_label = NULL;
    GPtrArray *stack = g_ptr_array_new ();

    g_ptr_array_add (stack, fixture->window);
    while (stack->len > 0 && toast_label == NULL)
      {
        GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_LABEL (w) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (w)), "R&D <failed> & co") == 0)
          toast_label = w;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (stack, c);
      }
    g_ptr_array_unref (stack);
    g_assert_nonnull (toast_label);
  }
  ct_sim_server_stop (sim);
}

/* Issue 15 (3): one Save writes several keys; the window reacts once. */
static void
test_one_session_per_save (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CtSimServer) sim = start_sim (NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *url = ct_sim_server_dup_url (sim);
  guint before = ct_window_get_n_sessions (fixture->window);

  /* Not delayed: each set is its own "changed", as the dialog's Save does. */
  g_assert_true (ct_secrets_store_sync (CT_SECRET_ODOO_API_KEY, url, "admin",
                                        ct_sim_server_get_api_key (sim, "admin"), NULL, NULL));
  g_settings_set_string (settings, "odoo-url", url);
  g_settings_set_string (settings, "odoo-database", ct_sim_server_get_database (sim));
  g_settings_set_string (settings, "odoo-login", "admin");
  g_settings_set_string (settings, "n8n-url", "");
  g_settings_set_boolean (settings, "allow-insecure-http", TRUE);
  g_assert_true (ct_test_gui_wait (synced, fixture->window, 60000));
  g_assert_cmpuint (ct_window_get_n_sessions (fixture->window), ==, before + 1);
  ct_secrets_clear_sync (CT_SECRET_ODOO_API_KEY, url, "admin", NULL, NULL);
  ct_sim_server_stop (sim);
}

/* Issue 15 (4): a window closed while it connects goes away at once. */
static void
test_close_while_connecting (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(CtSimServer) sim = start_sim ("latency:20000");

  save_connection (sim, "admin", FALSE);
  ct_test_gui_spin (300);
  g_assert_nonnull (ct_window_get_sync (fixture->window));
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (ct_test_gui_wait (window_gone, &fixture->window_ref, 1000));
  ct_sim_server_stop (sim);
}

/* Issue 15 (2): Quit closes every window, walking a list that closing
 * changes. Before the fix valgrind reported "Invalid read of size 8 at
 * quit_action" on this test:
 *   G_SLICE=always-malloc build-aux/headless-session valgrind \
 *     --suppressions=/usr/share/glib-2.0/valgrind/glib.supp \
 *     _build/tests/gui/test-tower -p /ct/gui/tower/quit-closes-all
 * and now reports 0 errors. */
static void
test_quit_closes_all (Fixture       *fixture,
                      gconstpointer  data)
{
  CtWindow *second = ct_window_new (the_app);
  GWeakRef second_ref;

  g_weak_ref_init (&second_ref, second);
  gtk_window_present (GTK_WINDOW (second));
  ct_test_gui_wait_painted (GTK_WIDGET (second));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (the_app))), ==, 2);
  g_action_group_activate_action (G_ACTION_GROUP (the_app), "quit", NULL);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (the_app)));
  g_assert_true (ct_test_gui_wait (window_gone, &second_ref, 2000));
  g_weak_ref_clear (&second_ref);
}

int
main (int   argc,
      char *argv[])
{
  /* The test accessibility backend keeps what widgets tell a screen reader,
   * so the names can be checked; it needs no bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  ct_test_gui_init (&argc, &argv);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add ("/ct/gui/tower/one-session-per-save", Fixture, NULL,
              fixture_set_up, test_one_session_per_save, fixture_tear_down);
  g_test_add ("/ct/gui/tower/markup-login", Fixture, NULL,
              fixture_set_up, test_markup_login, fixture_tear_down);
  g_test_add ("/ct/gui/tower/close-while-connecting", Fixture, NULL,
              fixture_set_up, test_close_while_connecting, fixture_tear_down);
  g_test_add ("/ct/gui/tower/failing-source", Fixture, NULL,
              fixture_set_up, test_failing_source, fixture_tear_down);
  g_test_add ("/ct/gui/tower/stale-snapshot", Fixture, NULL,
              fixture_set_up, test_stale_snapshot, fixture_tear_down);
  /* The demo stays on for the rest of the process. */
  g_test_add ("/ct/gui/tower/overview", Fixture, NULL,
              fixture_set_up, test_overview, fixture_tear_down);
  g_test_add ("/ct/gui/tower/tile-opens-queue", Fixture, NULL,
              fixture_set_up, test_tile_opens_queue, fixture_tear_down);
  g_test_add ("/ct/gui/tower/search-and-filters", Fixture, NULL,
              fixture_set_up, test_search_and_filters, fixture_tear_down);
  g_test_add ("/ct/gui/tower/narrow", Fixture, NULL,
              fixture_set_up, test_narrow, fixture_tear_down);
  g_test_add ("/ct/gui/tower/accessible-names", Fixture, NULL,
              fixture_set_up, test_accessible_names, fixture_tear_down);
  g_test_add ("/ct/gui/tower/quit-closes-all", Fixture, NULL,
              fixture_set_up, test_quit_closes_all, fixture_tear_down);

  {
    int status = g_test_run ();

    g_clear_object (&the_app);
    return status;
  }
}
