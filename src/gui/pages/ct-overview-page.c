/* ct-overview-page.c - The overview: KPI tiles, areas, ageing, breach trend, reasons, sources
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-overview-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ct-bar-chart.h"
#include "ct-kpi-tile.h"
#include "ct-metrics.h"
#include "ct-overview-page.h"

struct _CtOverviewPage
{
  GtkWidget   parent_instance;

  GtkWidget  *scrolled;
  GtkWidget  *tiles;
  GHashTable *tile_by_name;    /* (owned) name → CtKpiTile (borrowed) */
  GtkWidget  *area_list;
  GtkWidget  *ageing;
  GtkWidget  *trend;
  GtkWidget  *reasons;
  GtkWidget  *reasons_empty;
  GtkWidget  *source_list;
  GtkSizeGroup *column_group[5];
};

G_DEFINE_FINAL_TYPE (CtOverviewPage, ct_overview_page, GTK_TYPE_WIDGET)

static const struct
{
  const char *name;
  const char *label;
  const char *queue;
} tile_specs[] = {
  { "pending", N_("Pending approvals"), "pending" },
  { "at-risk", N_("At risk"), "at-risk" },
  { "breached", N_("Breached"), "breaches" },
  { "integrations", N_("Stalled integrations"), "integrations" },
  { "oldest", N_("Oldest pending case"), "pending" },
  { "cycle", N_("Median cycle time, 30 days"), NULL },
};

static char *
count_text (guint    n,
            gboolean unknown)
{
  if (unknown)
    return n == 0 ? g_strdup ("—") : g_strdup_printf ("%u+", n);
  return g_strdup_printf ("%u", n);
}

static GtkWidget *
section (GtkWidget  *box,
         const char *title,
         GtkWidget  *child)
{
  GtkWidget *section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  gtk_box_append (GTK_BOX (section), label);
  gtk_box_append (GTK_BOX (section), child);
  gtk_box_append (GTK_BOX (box), section);
  return section;
}

static GtkWidget *
chart_card (GtkWidget  *chart,
            const char *title,
            const char *caption)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *sub = gtk_label_new (caption);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "chart-card");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (sub, "caption");
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_box_append (GTK_BOX (card), label);
  gtk_box_append (GTK_BOX (card), sub);
  gtk_widget_set_margin_top (chart, 12);
  gtk_box_append (GTK_BOX (card), chart);
  return card;
}

static GtkWidget *
table_row (CtOverviewPage *self,
           const char     *name,
           const char    **cells,
           const char    **styles,
           gboolean        header)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (name);

  gtk_widget_set_margin_top (box, header ? 6 : 10);
  gtk_widget_set_margin_bottom (box, header ? 6 : 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  if (header)
    {
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
    }
  gtk_box_append (GTK_BOX (box), label);
  for (guint i = 0; i < 4; i++)
    {
      GtkWidget *cell = gtk_label_new (cells[i]);

      gtk_label_set_xalign (GTK_LABEL (cell), 1);
      gtk_widget_add_css_class (cell, "numeric");
      if (header)
        {
          gtk_widget_add_css_class (cell, "caption-heading");
          gtk_widget_add_css_class (cell, "dim-label");
        }
      else if (styles && styles[i])
        gtk_widget_add_css_class (cell, styles[i]);
      gtk_size_group_add_widget (self->column_group[i], cell);
      gtk_box_append (GTK_BOX (box), cell);
    }
  return box;
}

static void
update_areas (CtOverviewPage *self,
              CtMetrics      *metrics,
              const gboolean *unknown)
{
  GtkWidget *child;
  const char *headers[] = { _("Pending"), _("At risk"), _("Breached"), _("Escalated") };
  GtkWidget *header;

  while ((child = gtk_widget_get_first_child (self->area_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->area_list), child);

  header = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (header), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (header), FALSE);
  /* Column titles, not a control: Tab does not stop on them. */
  gtk_widget_set_focusable (header, FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (header), table_row (self, _("Area"), headers, NULL, TRUE));
  gtk_list_box_append (GTK_LIST_BOX (self->area_list), header);

  for (guint i = 0; i < metrics->areas->len; i++)
    {
      const CtMetricsGroup *g = metrics->areas->pdata[i];
      GtkWidget *row = gtk_list_box_row_new ();
      g_autofree char *pending = count_text (g->pending, unknown[CT_CASE_SCOPE_ALL_PENDING]);
      g_autofree char *risk = count_text (g->at_risk, unknown[CT_CASE_SCOPE_ALL_PENDING]);
      g_autofree char *breached = count_text (g->breached, unknown[CT_CASE_SCOPE_ALL_PENDING]);
      g_autofree char *escalated = count_text (g->escalated, unknown[CT_CASE_SCOPE_ALL_PENDING]);
      g_autofree char *target = g_strdup_printf ("pending;area=%s", g->id);
      g_autofree char *a11y = NULL;
      const char *cells[] = { pending, risk, breached, escalated };
      const char *styles[] = { NULL, g->at_risk ? "warning" : "dim-label",
                               g->breached ? "error" : "dim-label", g->escalated ? NULL : "dim-label" };

      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), table_row (self, g->label, cells, styles, FALSE));
      gtk_widget_set_name (row, g->id);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", target);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-queue");
      a11y = g_strdup_printf (_("%s: %s pending, %s at risk, %s breached, %s escalated"),
                              g->label, pending, risk, breached, escalated);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      gtk_list_box_append (GTK_LIST_BOX (self->area_list), row);
    }
}

static void
update_tiles (CtOverviewPage *self,
              CtMetrics      *metrics,
              GPtrArray      *cases,
              const gboolean *unknown,
              gboolean        never_read)
{
  const CtMetricsGroup *t = metrics->total;
  gboolean approvals_unknown = unknown[CT_CASE_SCOPE_ALL_PENDING];
  CtCase *oldest = NULL;
  guint incidents = 0;
  g_autofree char *pending = count_text (t->pending, approvals_unknown);
  g_autofree char *risk = count_text (t->at_risk, approvals_unknown);
  g_autofree char *breached = count_text (t->breached, approvals_unknown);
  g_autofree char *stalled = NULL;
  g_autofree char *share = NULL;
  g_autofree char *escalated = NULL;

  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];

      if (ct_case_in_scope (c, CT_CASE_SCOPE_INCIDENTS, 0))
        incidents++;
      else if (ct_case_in_scope (c, CT_CASE_SCOPE_ALL_PENDING, 0) &&
               (oldest == NULL || c->requested_at < oldest->requested_at))
        oldest = c;
    }
  stalled = count_text (incidents, unknown[CT_CASE_SCOPE_INCIDENTS]);

  if (t->pending > 0)
    share = g_strdup_printf (_("%u on track, %u awaiting revision"), t->on_track, t->awaiting_revision);
  ct_kpi_tile_set_value (g_hash_table_lookup (self->tile_by_name, "pending"), pending,
                         never_read ? _("Not read yet")
                         : approvals_unknown ? _("Some sources could not be read") : share, NULL);
  g_clear_pointer (&share, g_free);
  if (t->pending > 0)
    share = g_strdup_printf (_("%.0f %% of pending"), 100.0 * t->at_risk / t->pending);
  ct_kpi_tile_set_value (g_hash_table_lookup (self->tile_by_name, "at-risk"), risk, share,
                         t->at_risk > 0 ? "warning" : NULL);
  escalated = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u escalated", "%u escalated", t->escalated),
                               t->escalated);
  ct_kpi_tile_set_value (g_hash_table_lookup (self->tile_by_name, "breached"), breached,
                         never_read ? NULL : escalated, t->breached > 0 ? "error" : NULL);
  ct_kpi_tile_set_value (g_hash_table_lookup (self->tile_by_name, "integrations"), stalled,
                         never_read ? _("Not read yet")
                         : unknown[CT_CASE_SCOPE_INCIDENTS] ? _("A source could not be read")
                                                            : _("Failed, stuck or overdue"),
                         incidents > 0 ? "error" : NULL);

  if (oldest != NULL)
    {
      g_autofree char *age = ct_format_business_duration (oldest->sla.elapsed_seconds);
      g_autofree char *what = g_strdup_printf ("%s · %s", oldest->reference ? oldest->reference : oldest->key,
                                               oldest->partner.name ? oldest->partner.name
                                                                    : (oldest->requester ? oldest->requester : ""));

      ct_kpi_tile_set_value (g_hash_table_lookup (self->tile_by_name, "oldest"), age, what,
                             oldest->sla.status == CT_SLA_STATUS_BREACHED ? "error" : NULL);
    }
  else
    ct_kpi_tile_set_value (g_hash_table_lookup (self->tile_by_name, "oldest"), "—",
                           never_read ? _("Not read yet") : _("Nothing pending"), NULL);

  if (!isnan (t->cycle_p50_30d))
    {
      g_autofree char *median = ct_format_business_duration ((gint64) (t->cycle_p50_30d * 3600));
      g_autofree char *decided = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u decision",
                                                               "%u decisions", t->decided_30d),
                                                  t->decided_30d);

      ct_kpi_tile_set_value (g_hash_table_lookup (self->tile_by_name, "cycle"), median, decided, NULL);
    }
  else if (t->decided_90d > 0)
    ct_kpi_tile_set_value (g_hash_table_lookup (self->tile_by_name, "cycle"), "—",
                           _("No decisions in the last 30 days"), NULL);
  else
    /* The sources read what is open; saying "no decisions" would be false. */
    ct_kpi_tile_set_value (g_hash_table_lookup (self->tile_by_name, "cycle"), "—",
                           _("Not measured: only open cases are read"), NULL);
}

static void
update_charts (CtOverviewPage *self,
               CtMetrics      *metrics,
               GPtrArray      *cases,
               gint64          now)
{
  const CtMetricsGroup *t = metrics->total;
  const char *labels[CT_OVERVIEW_TREND_DAYS];
  char *day_names[CT_OVERVIEW_TREND_DAYS] = { NULL };
  guint trend[CT_OVERVIEW_TREND_DAYS];
  gboolean emphasis[CT_OVERVIEW_TREND_DAYS];
  g_autoptr(GString) text = g_string_new (NULL);
  guint total = 0;

  /* Ageing. */
  for (guint i = 0; i < CT_METRICS_N_AGE_BUCKETS; i++)
    {
      labels[i] = ct_metrics_age_bucket_label (i);
      emphasis[i] = i == CT_METRICS_N_AGE_BUCKETS - 1;
      g_string_append_printf (text, "%s%s: %u", i ? ", " : "", labels[i], t->ageing[i]);
    }
  {
    g_autofree char *description = g_strdup_printf (_("Pending cases by business age. %s."), text->str);

    ct_bar_chart_set_data (CT_BAR_CHART (self->ageing), labels, t->ageing, emphasis,
                           CT_METRICS_N_AGE_BUCKETS, description);
  }

  /* Breaches per day. */
  ct_metrics_breach_trend (cases, now, CT_OVERVIEW_TREND_DAYS, trend);
  g_string_truncate (text, 0);
  for (guint i = 0; i < CT_OVERVIEW_TREND_DAYS; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_new_from_unix_local (now - (gint64) (CT_OVERVIEW_TREND_DAYS - 1 - i) * 86400);

      /* Every other day's date, so the labels never collide. */
      day_names[i] = (CT_OVERVIEW_TREND_DAYS - 1 - i) % 2 == 0 ? g_date_time_format (day, "%-e") : NULL;
      labels[i] = day_names[i];
      emphasis[i] = TRUE;
      total += trend[i];
      if (trend[i] > 0)
        {
          g_autofree char *date = g_date_time_format (day, "%d %b");

          g_string_append_printf (text, "%s%s: %u", text->len ? ", " : "", date, trend[i]);
        }
    }
  {
    g_autofree char *description =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case breached its service window in the last 14 days. %s",
                                    "%u cases breached their service window in the last 14 days. %s", total),
                       total, text->str);

    ct_bar_chart_set_data (CT_BAR_CHART (self->trend), labels, trend, emphasis, CT_OVERVIEW_TREND_DAYS,
                           description);
  }
  for (guint i = 0; i < CT_OVERVIEW_TREND_DAYS; i++)
    g_free (day_names[i]);
  memset (day_names, 0, sizeof day_names);

  /* Top reasons. */
  {
    guint n = t->top_reasons ? t->top_reasons->len : 0;
    guint values[5];

    g_string_truncate (text, 0);
    for (guint i = 0; i < n && i < 5; i++)
      {
        const CtReasonCount *r = t->top_reasons->pdata[i];

        labels[i] = r->reason;
        values[i] = r->count;
        g_string_append_printf (text, "%s%s: %u", i ? "; " : "", r->reason, r->count);
      }
    {
      g_autofree char *description = g_strdup_printf (_("Most frequent reasons for approval. %s."), text->str);

      ct_bar_chart_set_data (CT_BAR_CHART (self->reasons), labels, values, NULL, MIN (n, 5u), description);
    }
    gtk_widget_set_visible (self->reasons, n > 0);
    gtk_widget_set_visible (self->reasons_empty, n == 0);
  }
}

static void
update_sources (CtOverviewPage *self,
                CtSync         *sync)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->source_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->source_list), child);

  for (guint i = 0; sync && i < ct_sync_get_n_sources (sync); i++)
    {
      const CtSourceHealth *h = ct_sync_get_health (sync, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *dot = gtk_image_new_from_icon_name ("media-record-symbolic");
      GtkWidget *cases = gtk_label_new (NULL);
      const char *word, *style;
      g_autofree char *subtitle = NULL;
      g_autofree char *when = NULL;

      if (!h->probed)
        word = _("Not read yet"), style = "dim-label";
      else if (!h->available)
        word = _("Not installed"), style = "dim-label";
      else if (h->failures > 0)
        word = _("Failing"), style = "error";
      else
        word = _("Working"), style = "success";
      if (h->last_success != 0)
        {
          g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (h->last_success);

          when = g_date_time_format (t, "%H:%M");
        }
      if (h->last_error != NULL)
        subtitle = g_strdup_printf ("%s · %s", word, h->last_error);
      else if (when != NULL)
        subtitle = g_strdup_printf (_("%s · last read %s"), word, when);
      else
        subtitle = g_strdup (word);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), h->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_widget_add_css_class (dot, style);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dot), GTK_ACCESSIBLE_PROPERTY_LABEL, word, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), dot);
      if (h->available && h->probed)
        {
          g_autofree char *n = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case", "%u cases", h->cases),
                                                h->cases);

          gtk_label_set_text (GTK_LABEL (cases), n);
        }
      gtk_widget_add_css_class (cases, "dim-label");
      gtk_widget_add_css_class (cases, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), cases);
      /* Words to read, nothing to activate: Tab goes past (a screen reader
       * still reads the rows, and the header's health popover has them). */
      gtk_widget_set_focusable (row, FALSE);
      gtk_list_box_append (GTK_LIST_BOX (self->source_list), row);
    }
  if (sync == NULL || ct_sync_get_n_sources (sync) == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Connecting…"));
      gtk_list_box_append (GTK_LIST_BOX (self->source_list), row);
    }
}

void
ct_overview_page_update (CtOverviewPage *self,
                         CtProfile      *profile,
                         CtCaseStore    *store,
                         CtSync         *sync,
                         const gboolean *unknown,
                         gint64          now)
{
  GPtrArray *cases = ct_case_store_get_cases (store);
  g_autoptr(CtMetrics) metrics = ct_metrics_compute (profile, cases, NULL, now);

  update_tiles (self, metrics, cases, unknown, sync != NULL && ct_sync_get_synced_at (sync) == 0);
  update_areas (self, metrics, unknown);
  update_charts (self, metrics, cases, now);
  update_sources (self, sync);
}

GtkWidget *
ct_overview_page_get_tile (CtOverviewPage *self,
                           const char     *name)
{
  return g_hash_table_lookup (self->tile_by_name, name);
}

GtkWidget *
ct_overview_page_get_area_list (CtOverviewPage *self)
{
  return self->area_list;
}

GtkWidget *
ct_overview_page_get_chart (CtOverviewPage *self,
                            const char     *name)
{
  if (g_str_equal (name, "ageing"))
    return self->ageing;
  if (g_str_equal (name, "trend"))
    return self->trend;
  return self->reasons;
}

static void
ct_overview_page_dispose (GObject *object)
{
  CtOverviewPage *self = CT_OVERVIEW_PAGE (object);

  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_pointer (&self->tile_by_name, g_hash_table_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->column_group); i++)
    g_clear_object (&self->column_group[i]);
  G_OBJECT_CLASS (ct_overview_page_parent_class)->dispose (object);
}

static void
ct_overview_page_class_init (CtOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_overview_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "overviewpage");
}

static void
ct_overview_page_init (CtOverviewPage *self)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 32);
  GtkWidget *charts = gtk_flow_box_new ();
  GtkWidget *reasons_box;

  for (guint i = 0; i < G_N_ELEMENTS (self->column_group); i++)
    self->column_group[i] = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  self->tile_by_name = g_hash_table_new (g_str_hash, g_str_equal);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1100);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 800);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 32);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), clamp);

  /* Tiles. */
  self->tiles = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->tiles), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->tiles), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->tiles), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->tiles), 3);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->tiles), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->tiles), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tiles), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Key figures"), -1);
  for (guint i = 0; i < G_N_ELEMENTS (tile_specs); i++)
    {
      GtkWidget *tile = ct_kpi_tile_new (_(tile_specs[i].label), tile_specs[i].queue);

      if (tile_specs[i].queue == NULL)
        gtk_widget_set_can_target (tile, FALSE);
      gtk_widget_set_size_request (tile, 200, -1);
      gtk_widget_set_name (tile, tile_specs[i].name);
      g_hash_table_insert (self->tile_by_name, (gpointer) tile_specs[i].name, tile);
      gtk_flow_box_append (GTK_FLOW_BOX (self->tiles), tile);
      /* The tile is the focusable control, not the flow box child around it. */
      gtk_widget_set_focusable (gtk_widget_get_parent (tile), FALSE);
    }
  gtk_box_append (GTK_BOX (box), self->tiles);

  /* By area. */
  self->area_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->area_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->area_list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("By area"), -1);
  section (box, _("By Area"), self->area_list);

  /* Charts. */
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (charts), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (charts), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (charts), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (charts), 2);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (charts), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (charts), 12);
  self->ageing = ct_bar_chart_new (GTK_ORIENTATION_VERTICAL);
  self->trend = ct_bar_chart_new (GTK_ORIENTATION_VERTICAL);
  gtk_flow_box_append (GTK_FLOW_BOX (charts),
                       chart_card (self->ageing, _("Ageing"), _("Pending cases by business time waited")));
  gtk_flow_box_append (GTK_FLOW_BOX (charts),
                       chart_card (self->trend, _("Breaches, Last 14 Days"),
                                   _("Cases that ran out of their service window, per day")));
  for (GtkWidget *c = gtk_widget_get_first_child (charts); c; c = gtk_widget_get_next_sibling (c))
    gtk_widget_set_focusable (c, FALSE);
  section (box, _("Trends"), charts);

  self->reasons = ct_bar_chart_new (GTK_ORIENTATION_HORIZONTAL);
  self->reasons_empty = gtk_label_new (_("No reasons recorded on pending cases."));
  gtk_widget_add_css_class (self->reasons_empty, "dim-label");
  reasons_box = chart_card (self->reasons, _("Top Exception Reasons"),
                            _("Why pending cases need an approval"));
  gtk_box_append (GTK_BOX (reasons_box), self->reasons_empty);
  gtk_box_append (GTK_BOX (box), reasons_box);

  /* Sources. */
  self->source_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->source_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->source_list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->source_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sources"), -1);
  section (box, _("Sources"), self->source_list);
}
