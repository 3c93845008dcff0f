/* ct-queue-page.c - One page for every queue: search, filter chips, a sortable table
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-queue-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ct-case-list-model.h"
#include "ct-case-row-model.h"
#include "ct-format.h"
#include "ct-incident.h"
#include "ct-queue-menu.h"
#include "ct-queue-page.h"
#include "ct-sla-pill.h"

struct _CtQueuePage
{
  GtkWidget           parent_instance;

  CtProfile          *profile;        /* (owned) (nullable) */
  CtCaseStore        *store;          /* (owned) (nullable) */
  CtCaseFilter       *filter;         /* (owned) what the queue shows */
  gint64              user_id;
  char               *count_text;     /* (owned) */

  CtCaseListModel    *rows;           /* (owned) the store, filtered and sorted */
  CtCaseRowModel     *slots;          /* (owned) a stable row object per position of @rows */
  GHashTable         *selected_keys;  /* (owned) the selected cases' keys, kept across changes */
  gboolean            remapping;
  const struct _Column *sort_column;  /* (nullable) */
  GMenu              *columns_menu;   /* (owned) which columns show */
  GSimpleActionGroup *column_actions; /* (owned) */
  GtkMultiSelection  *selection;      /* (owned) */

  GtkWidget          *box;
  GtkWidget          *search_bar;
  GtkWidget          *search_entry;
  GtkWidget          *chips;
  GtkWidget          *count_label;
  GtkWidget          *filter_button;
  GtkWidget          *stack;
  GtkWidget          *column_view;
  GtkWidget          *empty_page;
  GtkWidget          *area_dropdown;
  GtkWidget          *sla_dropdown;
  GtkWidget          *source_dropdown;
  GtkWidget          *branch_dropdown;
  GtkWidget          *company_dropdown;
  GtkWidget          *min_spin;
  GtkWidget          *max_spin;
  gboolean            syncing_controls;
};

G_DEFINE_FINAL_TYPE (CtQueuePage, ct_queue_page, GTK_TYPE_WIDGET)

/* ---- cell text ---- */

static const char *
area_label (CtQueuePage *self,
            const char  *area_id)
{
  const CtArea *area = self->profile && area_id ? ct_profile_find_area (self->profile, area_id) : NULL;

  return area ? area->label : area_id;
}

char *
ct_queue_page_case_title (CtQueuePage *self,
                          CtCase      *c)
{
  char *title;

  /* Only a partner: say which queue it waits in, since the partner has a
   * column of its own. */
  if ((c->title == NULL || *c->title == '\0') && c->kind != CT_CASE_KIND_INCIDENT &&
      c->partner.name != NULL && (c->reasons == NULL || c->reasons->len == 0))
    return g_strdup_printf (_("%s for %s"), area_label (self, c->area_id), c->partner.name);
  title = ct_case_dup_display_title (c);
  return title ? title : g_strdup (area_label (self, c->area_id));
}

/* An amount always with its currency: a record that names none is in the
 * company's currency, which the profile gives. */
static char *
format_amount (CtQueuePage *self,
               CtCase      *c)
{
  const char *currency = c->currency;

  if (c->kind == CT_CASE_KIND_INCIDENT || (c->amount == 0 && c->currency == NULL))
    return g_strdup ("");
  if (currency == NULL && self->profile != NULL)
    currency = ct_profile_get_currency (self->profile);
  return ct_format_amount (c->amount, currency);
}

char *
ct_queue_page_format_amount (CtQueuePage *self,
                             CtCase      *c)
{
  return format_amount (self, c);
}

static char *
format_age (CtCase *c)
{
  gint64 seconds = c->sla.elapsed_seconds;

  if (c->kind == CT_CASE_KIND_INCIDENT || seconds == 0)
    seconds = MAX (0, g_get_real_time () / G_USEC_PER_SEC - c->requested_at);
  return ct_format_duration_short (seconds);
}

static char *
format_waiting (CtCase *c)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; c->requirements && i < c->requirements->len; i++)
    {
      const CtRequirement *r = c->requirements->pdata[i];

      if (r->state != CT_APPROVER_STATE_PENDING || r->approver == NULL)
        continue;
      if (strstr (out->str, r->approver) != NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, r->approver);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef char *(*CellText) (CtQueuePage *self, CtCase *c);

static char *cell_reference (CtQueuePage *self, CtCase *c) { return g_strdup (c->reference ? c->reference : c->key); }
static char *cell_area (CtQueuePage *self, CtCase *c) { return g_strdup (area_label (self, c->area_id)); }
static char *cell_title (CtQueuePage *self, CtCase *c) { return ct_queue_page_case_title (self, c); }
static char *cell_partner (CtQueuePage *self, CtCase *c) { return g_strdup (c->partner.name); }
static char *cell_requester (CtQueuePage *self, CtCase *c) { return g_strdup (c->requester); }
static char *cell_amount (CtQueuePage *self, CtCase *c) { return format_amount (self, c); }
static char *cell_age (CtQueuePage *self, CtCase *c) { return format_age (c); }
static char *cell_waiting (CtQueuePage *self, CtCase *c) { return format_waiting (c); }
static char *cell_branch (CtQueuePage *self, CtCase *c) { return g_strdup (c->branch); }
static char *cell_priority (CtQueuePage *self, CtCase *c) { return g_strdup_printf ("%.0f", c->priority); }

/* ---- sorting: read the struct, never a GValue ---- */

static int
cmp_str (const char *a,
         const char *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL) - (b == NULL);
  return g_utf8_collate (a, b);
}

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

/* A total order for doubles: NAN (no figure) sorts first. */
static int
cmp_double (double a,
            double b)
{
  if (isnan (a) || isnan (b))
    return (int) !isnan (a) - (int) !isnan (b);
  return CMP (a, b);
}

static int sort_reference (gconstpointer a, gconstpointer b, gpointer d)
{ return cmp_str (((CtCase *) a)->reference, ((CtCase *) b)->reference); }
static int sort_area (gconstpointer a, gconstpointer b, gpointer d)
{ return cmp_str (((CtCase *) a)->area_id, ((CtCase *) b)->area_id); }
static int sort_title (gconstpointer a, gconstpointer b, gpointer d)
{ return cmp_str (((CtCase *) a)->title, ((CtCase *) b)->title); }
static int sort_partner (gconstpointer a, gconstpointer b, gpointer d)
{ return cmp_str (((CtCase *) a)->partner.name, ((CtCase *) b)->partner.name); }
static int sort_requester (gconstpointer a, gconstpointer b, gpointer d)
{ return cmp_str (((CtCase *) a)->requester, ((CtCase *) b)->requester); }
static int sort_amount (gconstpointer a, gconstpointer b, gpointer d)
{ return cmp_double (((CtCase *) a)->amount, ((CtCase *) b)->amount); }
static int sort_age (gconstpointer a, gconstpointer b, gpointer d)
{ return CMP (((CtCase *) b)->requested_at, ((CtCase *) a)->requested_at); }
static int sort_sla (gconstpointer a, gconstpointer b, gpointer d)
{
  const CtCase *x = a, *y = b;

  /* Status, then how late in business time (what the pill says), then the
   * due time: later due sorts lower, so descending puts the most overdue
   * first. The rows are re-sorted whenever the store changes (the minute
   * tick included), never in between, so the order holds still. */
  if (x->sla.status != y->sla.status)
    return CMP (x->sla.status, y->sla.status);
  if (x->sla.breached_seconds != y->sla.breached_seconds)
    return CMP (x->sla.breached_seconds, y->sla.breached_seconds);
  return CMP (y->sla.due, x->sla.due);
}
static int sort_waiting (gconstpointer a, gconstpointer b, gpointer d)
{
  const CtCase *x = a, *y = b;
  const char *p = x->requirements && x->requirements->len ? ((CtRequirement *) x->requirements->pdata[0])->approver : NULL;
  const char *q = y->requirements && y->requirements->len ? ((CtRequirement *) y->requirements->pdata[0])->approver : NULL;

  return cmp_str (p, q);
}
static int sort_branch (gconstpointer a, gconstpointer b, gpointer d)
{ return cmp_str (((CtCase *) a)->branch, ((CtCase *) b)->branch); }
static int sort_priority (gconstpointer a, gconstpointer b, gpointer d)
{ return cmp_double (((CtCase *) a)->priority, ((CtCase *) b)->priority); }

typedef struct _Column
{
  const char       *title;
  CellText          text;
  GCompareDataFunc  sort;
  float             xalign;
  gboolean          expand;
  gboolean          numeric;
  int               width;
  gboolean          visible;   /* the others are a right click on a header away */
} Column;

/* String columns sort by the collated text the cell shows; the others by
 * their compare function. */
static gboolean
sorts_by_text (const Column *column)
{
  return column->text != NULL && !column->numeric;
}

static const Column columns[] = {
  { N_("Reference"), cell_reference, sort_reference, 0, FALSE, FALSE, 120, TRUE },
  { N_("SLA"), NULL, sort_sla, 0, FALSE, FALSE, 140, TRUE },
  { N_("Title"), cell_title, sort_title, 0, TRUE, FALSE, 180, TRUE },
  { N_("Area"), cell_area, sort_area, 0, FALSE, FALSE, 120, TRUE },
  { N_("Partner"), cell_partner, sort_partner, 0, FALSE, FALSE, 140, TRUE },
  { N_("Amount"), cell_amount, sort_amount, 1, FALSE, TRUE, 120, TRUE },
  { N_("Age"), cell_age, sort_age, 1, FALSE, TRUE, 70, TRUE },
  { N_("Waiting For"), cell_waiting, sort_waiting, 0, FALSE, FALSE, 120, TRUE },
  { N_("Requester"), cell_requester, sort_requester, 0, FALSE, FALSE, 130, FALSE },
  { N_("Branch"), cell_branch, sort_branch, 0, FALSE, FALSE, 130, FALSE },
  { N_("Priority"), cell_priority, sort_priority, 1, FALSE, TRUE, 70, FALSE },
};

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  const Column *column = data;
  GtkWidget *label;

  if (column->text == NULL)
    label = ct_sla_pill_new ();
  else
    {
      label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (label), column->xalign);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
      if (column->numeric)
        gtk_widget_add_css_class (label, "numeric");
    }
  gtk_list_item_set_child (item, label);
  g_object_set_data (G_OBJECT (item), "ct-column", (gpointer) column);
  g_object_set_data (G_OBJECT (item), "ct-page", g_object_get_data (G_OBJECT (factory), "page"));
  /* The context menu finds the row under the pointer through it. */
  g_object_set_data (G_OBJECT (label), "ct-list-item", item);
}

/* GTK 4.8's column view reads a row out as its class name: the row
 * (the reference cell's grandparent) gets the case's reference, title,
 * service level and amount as its name instead. */
static void
name_row (CtQueuePage *self,
          GtkWidget   *label,
          CtCase      *c)
{
  GtkWidget *cell = gtk_widget_get_parent (label);
  GtkWidget *row = cell != NULL ? gtk_widget_get_parent (cell) : NULL;
  g_autoptr(GString) name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *sla = NULL;
  g_autofree char *amount = NULL;

  if (row == NULL || g_strcmp0 (gtk_widget_get_css_name (row), "row") != 0)
    return;
  if (c == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }
  name = g_string_new (c->reference ? c->reference : c->key);
  title = ct_queue_page_case_title (self, c);
  sla = ct_sla_pill_text (c);
  amount = format_amount (self, c);
  if (title != NULL && *title != '\0')
    g_string_append_printf (name, ", %s", title);
  if (sla != NULL && *sla != '\0')
    g_string_append_printf (name, ", %s", sla);
  if (amount != NULL && *amount != '\0')
    g_string_append_printf (name, ", %s", amount);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name->str,
                                  -1);
}

static void
render_cell (GtkListItem *item,
             CtCaseRow   *row)
{
  const Column *column = g_object_get_data (G_OBJECT (item), "ct-column");
  CtQueuePage *self = g_object_get_data (G_OBJECT (item), "ct-page");
  CtCase *c = ct_case_row_get_case (row);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  if (column == &columns[0])
    name_row (self, label, c);
  /* A row kept while the queue is empty, behind the empty state. */
  if (c == NULL)
    {
      if (GTK_IS_LABEL (label))
        gtk_label_set_text (GTK_LABEL (label), "");
      return;
    }
  if (column->text == NULL)
    {
      ct_sla_pill_update (label, c);
      return;
    }
  text = column->text (self, c);
  gtk_label_set_text (GTK_LABEL (label), text ? text : "");
}

/* The row slot now shows another case: the same widgets, new text. */
static void
row_case_changed_cb (CtCaseRow   *row,
                     GParamSpec  *pspec,
                     GtkListItem *item)
{
  render_cell (item, row);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  CtCaseRow *row = gtk_list_item_get_item (item);

  render_cell (item, row);
  g_signal_connect (row, "notify::case", G_CALLBACK (row_case_changed_cb), item);
  g_object_set_data (G_OBJECT (item), "ct-row", row);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  data)
{
  CtCaseRow *row = g_object_steal_data (G_OBJECT (item), "ct-row");

  if (row != NULL)
    g_signal_handlers_disconnect_by_func (row, row_case_changed_cb, item);
}

/* ---- filtering ---- */

static const char *
empty_title (CtQueuePage *self,
             const char **description,
             const char **icon)
{
  static char buffer[256];
  const CtCaseFilter *f = self->filter;
  gboolean filtered = f->area_id || f->branch || f->company || f->sla_status >= 0 || f->source >= 0 ||
                      !isnan (f->amount_min) || !isnan (f->amount_max);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  *icon = "system-search-symbolic";
  if (f->needle != NULL)
    {
      *description = _("Search looks in the reference, title, partner and requester.");
      g_snprintf (buffer, sizeof buffer, _("No case matches “%s”"), text);
      return buffer;
    }
  if (filtered)
    {
      *description = _("Remove a filter to see more cases.");
      return _("No case matches these filters");
    }
  *icon = "emblem-ok-symbolic";
  switch (f->scope)
    {
    case CT_CASE_SCOPE_MINE:
      *description = _("Cases where you must approve appear here.");
      return _("Nothing waits for you");
    case CT_CASE_SCOPE_BREACHED:
      *description = _("Every pending case is within its service window.");
      return _("No breaches");
    case CT_CASE_SCOPE_ESCALATED:
      *description = _("No case has climbed its escalation chain.");
      return _("No escalations");
    case CT_CASE_SCOPE_INCIDENTS:
      *description = _("Every watched workflow, scheduled action and job is running.");
      return _("No stalled integrations");
    case CT_CASE_SCOPE_AT_RISK:
    case CT_CASE_SCOPE_ALL_PENDING:
    case CT_CASE_N_SCOPES:
    default:
      *description = _("No approval is waiting in the sources Control Tower reads.");
      return _("Nothing pending");
    }
}

static void
update_state (CtQueuePage *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->rows));

  g_free (self->count_text);
  self->count_text = g_strdup_printf (_("%u of %u"), shown,
                                      ct_case_list_model_get_scope_total (self->rows));
  gtk_label_set_text (GTK_LABEL (self->count_label), self->count_text);
  if (shown == 0)
    {
      const char *description = NULL, *icon = NULL;
      const char *title = empty_title (self, &description, &icon);

      adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), title);
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page), description);
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty_page), icon);
      gtk_stack_set_visible_child (GTK_STACK (self->stack), self->empty_page);
    }
  else
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
}

/* ---- chips ---- */

static void
chip_clicked_cb (GtkButton   *button,
                 CtQueuePage *self)
{
  const char *what = g_object_get_data (G_OBJECT (button), "filter");
  g_autoptr(CtCaseFilter) filter = ct_case_filter_copy (self->filter);

  if (g_str_equal (what, "area"))
    g_clear_pointer (&filter->area_id, g_free);
  else if (g_str_equal (what, "branch"))
    g_clear_pointer (&filter->branch, g_free);
  else if (g_str_equal (what, "company"))
    g_clear_pointer (&filter->company, g_free);
  else if (g_str_equal (what, "sla"))
    filter->sla_status = -1;
  else if (g_str_equal (what, "source"))
    filter->source = -1;
  else if (g_str_equal (what, "amount"))
    filter->amount_min = filter->amount_max = NAN;
  ct_queue_page_set_filter (self, filter);
}

static void
add_chip (CtQueuePage *self,
          const char  *what,
          const char  *text)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *icon = gtk_image_new_from_icon_name ("window-close-symbolic");
  g_autofree char *a11y = g_strdup_printf (_("Remove filter: %s"), text);

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "chip");
  gtk_widget_set_tooltip_text (button, a11y);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_object_set_data_full (G_OBJECT (button), "filter", g_strdup (what), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (chip_clicked_cb), self);
  gtk_flow_box_append (GTK_FLOW_BOX (self->chips), button);
}

static const char *
source_label (int source)
{
  switch (source)
    {
    case CT_SOURCE_KIND_TIER_VALIDATION: return _("Tier validation");
    case CT_SOURCE_KIND_APPROVALS: return _("Approvals");
    case CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION: return _("Purchase double validation");
    case CT_SOURCE_KIND_ACTIVITY: return _("Approval activities");
    default: return "";
    }
}

static void
update_chips (CtQueuePage *self)
{
  const CtCaseFilter *f = self->filter;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->chips)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->chips), child);
  if (f->area_id != NULL)
    add_chip (self, "area", area_label (self, f->area_id));
  if (f->sla_status >= 0)
    add_chip (self, "sla", ct_sla_status_get_label (f->sla_status));
  if (f->source >= 0)
    add_chip (self, "source", source_label (f->source));
  if (f->branch != NULL)
    add_chip (self, "branch", f->branch);
  if (f->company != NULL)
    add_chip (self, "company", f->company);
  if (!isnan (f->amount_min) || !isnan (f->amount_max))
    {
      g_autofree char *text = NULL;
      g_autofree char *min = ct_format_decimal (f->amount_min, 0);
      g_autofree char *max = ct_format_decimal (f->amount_max, 0);

      if (isnan (f->amount_max))
        text = g_strdup_printf (_("Amount ≥ %s"), min);
      else if (isnan (f->amount_min))
        text = g_strdup_printf (_("Amount ≤ %s"), max);
      else
        text = g_strdup_printf (_("Amount %s–%s"), min, max);
      add_chip (self, "amount", text);
    }
  gtk_widget_set_visible (self->chips, gtk_widget_get_first_child (self->chips) != NULL);
}

/* ---- the filter popover ---- */

static int
cmp_indirect (gconstpointer a,
              gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

static GtkStringList *
distinct_values (CtQueuePage *self,
                 gsize        offset)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  GtkStringList *list = gtk_string_list_new (NULL);
  GPtrArray *cases = self->store ? ct_case_store_get_cases (self->store) : NULL;

  gtk_string_list_append (list, _("Any"));
  for (guint i = 0; cases && i < cases->len; i++)
    {
      const char *value = G_STRUCT_MEMBER (const char *, cases->pdata[i], offset);

      if (value != NULL && g_hash_table_add (seen, (gpointer) value))
        g_ptr_array_add (values, (gpointer) value);
    }
  g_ptr_array_sort (values, cmp_indirect);
  for (guint i = 0; i < values->len; i++)
    gtk_string_list_append (list, values->pdata[i]);
  return list;
}

static void
select_string (GtkWidget  *dropdown,
               const char *value)
{
  GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  guint n = g_list_model_get_n_items (model);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 0);
  for (guint i = 1; value != NULL && i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), value) == 0)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
}

static void
sync_controls (CtQueuePage *self)
{
  const CtCaseFilter *f = self->filter;
  g_autoptr(GtkStringList) branches = distinct_values (self, G_STRUCT_OFFSET (CtCase, branch));
  g_autoptr(GtkStringList) companies = distinct_values (self, G_STRUCT_OFFSET (CtCase, company));
  guint area = 0;

  self->syncing_controls = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->branch_dropdown), G_LIST_MODEL (branches));
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->company_dropdown), G_LIST_MODEL (companies));
  select_string (self->branch_dropdown, f->branch);
  select_string (self->company_dropdown, f->company);
  for (guint i = 0; self->profile && f->area_id && i < ct_profile_get_n_areas (self->profile); i++)
    if (g_str_equal (ct_profile_get_area (self->profile, i)->id, f->area_id))
      area = i + 1;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->area_dropdown), area);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->sla_dropdown),
                              f->sla_status > 0 ? (guint) f->sla_status : 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->source_dropdown),
                              f->source >= 0 && f->source <= CT_SOURCE_KIND_ACTIVITY ? (guint) f->source + 1 : 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->min_spin), isnan (f->amount_min) ? 0 : f->amount_min);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->max_spin), isnan (f->amount_max) ? 0 : f->amount_max);
  self->syncing_controls = FALSE;
}

static char *
dropdown_string (GtkWidget *dropdown)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown));
  GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));

  if (i == 0 || i == GTK_INVALID_LIST_POSITION)
    return NULL;
  return g_strdup (gtk_string_list_get_string (GTK_STRING_LIST (model), i));
}

static void
control_changed_cb (CtQueuePage *self)
{
  g_autoptr(CtCaseFilter) filter = NULL;
  guint area, sla, source;
  double min, max;

  if (self->syncing_controls)
    return;
  filter = ct_case_filter_copy (self->filter);
  area = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->area_dropdown));
  g_clear_pointer (&filter->area_id, g_free);
  if (area > 0 && self->profile)
    filter->area_id = g_strdup (ct_profile_get_area (self->profile, area - 1)->id);
  sla = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->sla_dropdown));
  filter->sla_status = sla > 0 && sla != GTK_INVALID_LIST_POSITION ? (int) sla : -1;
  source = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->source_dropdown));
  filter->source = source > 0 && source != GTK_INVALID_LIST_POSITION ? (int) source - 1 : -1;
  g_free (filter->branch);
  filter->branch = dropdown_string (self->branch_dropdown);
  g_free (filter->company);
  filter->company = dropdown_string (self->company_dropdown);
  min = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->min_spin));
  max = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->max_spin));
  filter->amount_min = min > 0 ? min : NAN;
  filter->amount_max = max > 0 ? max : NAN;
  ct_queue_page_set_filter (self, filter);
}

static GtkWidget *
labelled (GtkWidget  *grid,
          int         row,
          const char *text,
          GtkWidget  *control)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_widget_set_hexpand (control, TRUE);
  gtk_grid_attach (GTK_GRID (grid), control, 1, row, 1, 1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  /* A drop-down is reached through the toggle button inside it: that is
   * what a screen reader announces, so it carries the name too. */
  for (GtkWidget *c = gtk_widget_get_first_child (control); GTK_IS_DROP_DOWN (control) && c;
       c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_TOGGLE_BUTTON (c))
      gtk_accessible_update_relation (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                      label, NULL, -1);
  return control;
}

static void
popover_show_cb (CtQueuePage *self)
{
  sync_controls (self);
}

static GtkWidget *
build_filter_popover (CtQueuePage *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *grid = gtk_grid_new ();
  g_autoptr(GtkStringList) areas = gtk_string_list_new (NULL);
  const char *sla[] = { _("Any"), _("On track"), _("At risk"), _("Breached"), NULL };
  const char *sources[] = { _("Any"), source_label (0), source_label (1), source_label (2), source_label (3), NULL };

  gtk_string_list_append (areas, _("Any"));
  for (guint i = 0; self->profile && i < ct_profile_get_n_areas (self->profile); i++)
    gtk_string_list_append (areas, ct_profile_get_area (self->profile, i)->label);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);
  gtk_widget_set_margin_start (grid, 6);
  gtk_widget_set_margin_end (grid, 6);
  self->area_dropdown = labelled (grid, 0, _("_Area"), gtk_drop_down_new (G_LIST_MODEL (g_object_ref (areas)), NULL));
  self->sla_dropdown = labelled (grid, 1, _("_Service level"), gtk_drop_down_new_from_strings (sla));
  self->source_dropdown = labelled (grid, 2, _("_Mechanism"), gtk_drop_down_new_from_strings (sources));
  self->branch_dropdown = labelled (grid, 3, _("_Branch"), gtk_drop_down_new (NULL, NULL));
  self->company_dropdown = labelled (grid, 4, _("_Company"), gtk_drop_down_new (NULL, NULL));
  self->min_spin = labelled (grid, 5, _("Amount _from"), gtk_spin_button_new_with_range (0, 1e9, 100));
  self->max_spin = labelled (grid, 6, _("Amount _to"), gtk_spin_button_new_with_range (0, 1e9, 100));
  gtk_popover_set_child (GTK_POPOVER (popover), grid);

  g_signal_connect_swapped (self->area_dropdown, "notify::selected", G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (self->sla_dropdown, "notify::selected", G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (self->source_dropdown, "notify::selected", G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (self->branch_dropdown, "notify::selected", G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (self->company_dropdown, "notify::selected", G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (self->min_spin, "value-changed", G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (self->max_spin, "value-changed", G_CALLBACK (control_changed_cb), self);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (popover_show_cb), self);
  return popover;
}

/* ---- search ---- */

static void
search_changed_cb (CtQueuePage    *self,
                   GtkSearchEntry *entry)
{
  ct_queue_page_set_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
stop_search_cb (CtQueuePage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), FALSE);
}

/* ---- sorting the model as the headers say ---- */

/* GTK 4.8 cannot tell which column the view sorts by (that getter came in
 * 4.10), so ask its sorter once: while probing, each column's sorter notes
 * that it was asked first and answers "less"; the view inverts that when
 * the order is descending. */
static const Column *probe_first;
static gboolean      probing;

static int
column_sort_cb (gconstpointer a,
                gconstpointer b,
                gpointer      data)
{
  const Column *column = data;

  if (probing)
    {
      if (probe_first == NULL)
        probe_first = column;
      return -1;
    }
  return column->sort (a, b, NULL);
}

static char *
sort_text_cb (gpointer  data,
              CtCase   *c)
{
  CtQueuePage *self = data;

  return self->sort_column->text (self, c);
}

static void
sorter_changed_cb (CtQueuePage *self,
                   GtkSorterChange change,
                   GtkSorter   *sorter)
{
  GtkOrdering order;

  probing = TRUE;
  probe_first = NULL;
  /* Two distinct pointers the probing sorters never read. */
  order = gtk_sorter_compare (sorter, self, self->rows);
  probing = FALSE;
  self->sort_column = probe_first;
  if (self->sort_column == NULL)
    ct_case_list_model_set_sort (self->rows, NULL, NULL, NULL, FALSE);
  else if (sorts_by_text (self->sort_column))
    ct_case_list_model_set_sort (self->rows, NULL, sort_text_cb, self, order == GTK_ORDERING_LARGER);
  else
    ct_case_list_model_set_sort (self->rows, self->sort_column->sort, NULL, NULL,
                                 order == GTK_ORDERING_LARGER);
}

/* ---- building ---- */

static void
build_columns (CtQueuePage *self)
{
  GtkSorter *sorter;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      g_autoptr(GtkSorter) column_sorter = GTK_SORTER (gtk_custom_sorter_new (column_sort_cb,
                                                                             (gpointer) &columns[i],
                                                                             NULL));

      g_object_set_data (G_OBJECT (factory), "page", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), (gpointer) &columns[i]);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), (gpointer) &columns[i]);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), (gpointer) &columns[i]);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_sorter (column, column_sorter);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, columns[i].width);
      gtk_column_view_column_set_visible (column, columns[i].visible);
      gtk_column_view_column_set_header_menu (column, G_MENU_MODEL (self->columns_menu));
      {
        g_autofree char *action = g_strdup_printf ("queue.column-%u", i);
        g_autoptr(GMenuItem) item = g_menu_item_new (_(columns[i].title), action);
        g_autoptr(GPropertyAction) toggle = g_property_action_new (action + 6, column, "visible");

        g_action_map_add_action (G_ACTION_MAP (self->column_actions), G_ACTION (toggle));
        g_menu_append_item (self->columns_menu, item);
      }
      gtk_column_view_append_column (GTK_COLUMN_VIEW (self->column_view), column);
      g_object_unref (column);
    }
  sorter = gtk_column_view_get_sorter (GTK_COLUMN_VIEW (self->column_view));
  g_signal_connect_object (sorter, "changed", G_CALLBACK (sorter_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
ct_queue_page_dispose (GObject *object)
{
  CtQueuePage *self = CT_QUEUE_PAGE (object);

  if (self->rows != NULL)
    g_signal_handlers_disconnect_by_data (self->rows, self);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->slots);
  g_clear_object (&self->rows);
  g_clear_object (&self->columns_menu);
  g_clear_object (&self->column_actions);
  g_clear_object (&self->store);
  g_clear_object (&self->profile);
  G_OBJECT_CLASS (ct_queue_page_parent_class)->dispose (object);
}

static void
ct_queue_page_finalize (GObject *object)
{
  CtQueuePage *self = CT_QUEUE_PAGE (object);

  ct_case_filter_free (self->filter);
  g_free (self->count_text);
  g_hash_table_unref (self->selected_keys);
  G_OBJECT_CLASS (ct_queue_page_parent_class)->finalize (object);
}

static void
ct_queue_page_class_init (CtQueuePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_queue_page_dispose;
  object_class->finalize = ct_queue_page_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "queuepage");
}

/* ---- selection: by case, not by position ---- */

static void
selection_changed_cb (CtQueuePage       *self,
                      guint              position,
                      guint              n_items,
                      GtkSelectionModel *selection)
{
  if (self->remapping)
    return;
  for (guint i = position; i < position + n_items; i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      if (c == NULL)
        break;
      if (gtk_selection_model_is_selected (selection, i))
        g_hash_table_add (self->selected_keys, g_strdup (ct_case_get_key (c)));
      else
        g_hash_table_remove (self->selected_keys, ct_case_get_key (c));
    }
}

/* The slots at each position now show other cases, and GtkMultiSelection
 * keeps positions: select again the cases that were selected and are still
 * shown. Nothing to do, and nothing spent, without a selection. */
static void
reselect_cb (CtQueuePage *self)
{
  GListModel *rows = G_LIST_MODEL (self->rows);
  guint n = g_list_model_get_n_items (rows);
  g_autoptr(GHashTable) kept = NULL;
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GtkBitset) all = NULL;

  if (g_hash_table_size (self->selected_keys) == 0)
    return;
  kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  selected = gtk_bitset_new_empty ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CtCase) c = g_list_model_get_item (rows, i);

      if (g_hash_table_contains (self->selected_keys, ct_case_get_key (c)))
        {
          gtk_bitset_add (selected, i);
          g_hash_table_add (kept, g_strdup (ct_case_get_key (c)));
        }
    }
  /* The slots may outnumber the rows: they stay while the queue is empty. */
  all = gtk_bitset_new_range (0, g_list_model_get_n_items (G_LIST_MODEL (self->slots)));
  self->remapping = TRUE;
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, all);
  self->remapping = FALSE;
  g_hash_table_unref (self->selected_keys);
  self->selected_keys = g_steal_pointer (&kept);
}

/* Enter or a double click: the window opens the case (win.open-case). */
static void
row_activated_cb (CtQueuePage   *self,
                  guint          position,
                  GtkColumnView *view)
{
  g_autoptr(CtCase) c = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

  if (c != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-case", "s", ct_case_get_key (c));
}

static void
ct_queue_page_init (CtQueuePage *self)
{
  GtkWidget *toolbar, *scrolled, *clamp;

  self->filter = ct_case_filter_new (CT_CASE_SCOPE_ALL_PENDING);
  self->count_text = g_strdup ("");
  self->rows = ct_case_list_model_new ();
  /* Row slots: GTK 4.8 then keeps its row widgets when the rows change. */
  self->slots = ct_case_row_model_new (G_LIST_MODEL (self->rows));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->slots)));
  self->selected_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb),
                            self);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->search_bar = gtk_search_bar_new ();
  self->search_entry = gtk_search_entry_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search cases"), -1);
  g_object_set (self->search_entry, "placeholder-text", _("Search reference, title, partner, requester"), NULL);
  gtk_widget_set_size_request (self->search_entry, 320, -1);
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 480);
  adw_clamp_set_child (ADW_CLAMP (clamp), self->search_entry);
  gtk_search_bar_set_child (GTK_SEARCH_BAR (self->search_bar), clamp);
  gtk_search_bar_connect_entry (GTK_SEARCH_BAR (self->search_bar), GTK_EDITABLE (self->search_entry));
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (stop_search_cb), self);
  gtk_box_append (GTK_BOX (self->box), self->search_bar);

  toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (toolbar, "queue-toolbar");
  self->filter_button = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->filter_button), _("_Filters"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (self->filter_button), TRUE);
  gtk_widget_set_valign (self->filter_button, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (toolbar), self->filter_button);
  self->chips = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->chips), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->chips), 8);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->chips), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->chips), 6);
  gtk_widget_set_hexpand (self->chips, TRUE);
  gtk_widget_set_valign (self->chips, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chips), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Filters in use"), -1);
  gtk_box_append (GTK_BOX (toolbar), self->chips);
  self->count_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->count_label), 1);
  gtk_widget_set_hexpand (self->count_label, TRUE);
  gtk_widget_set_halign (self->count_label, GTK_ALIGN_END);
  gtk_widget_set_valign (self->count_label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->count_label, "dim-label");
  gtk_widget_add_css_class (self->count_label, "numeric");
  gtk_box_append (GTK_BOX (toolbar), self->count_label);
  gtk_box_append (GTK_BOX (self->box), toolbar);

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  self->column_view = gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection)));
  gtk_column_view_set_show_column_separators (GTK_COLUMN_VIEW (self->column_view), FALSE);
  gtk_column_view_set_reorderable (GTK_COLUMN_VIEW (self->column_view), FALSE);
  gtk_widget_add_css_class (self->column_view, "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cases"), -1);
  g_signal_connect_object (self->column_view, "activate", G_CALLBACK (row_activated_cb), self,
                           G_CONNECT_SWAPPED);
  self->columns_menu = g_menu_new ();
  self->column_actions = g_simple_action_group_new ();
  gtk_widget_insert_action_group (GTK_WIDGET (self), "queue", G_ACTION_GROUP (self->column_actions));
  build_columns (self);
  ct_queue_menu_attach (self->column_view, self->box);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->column_view);
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "list");
  self->empty_page = adw_status_page_new ();
  gtk_widget_add_css_class (self->empty_page, "compact");
  gtk_stack_add_named (GTK_STACK (self->stack), self->empty_page, "empty");
  gtk_box_append (GTK_BOX (self->box), self->stack);

  /* After the slots: the selection follows the cases it had. */
  g_signal_connect_swapped (self->rows, "items-changed", G_CALLBACK (reselect_cb), self);
  g_signal_connect_swapped (self->rows, "items-changed", G_CALLBACK (update_state), self);
  update_chips (self);
  ct_queue_page_sort_by (self, _("SLA"), GTK_SORT_DESCENDING);
}

void
ct_queue_page_set_store (CtQueuePage *self,
                         CtProfile   *profile,
                         CtCaseStore *store)
{
  GtkWidget *popover;

  g_set_object (&self->profile, profile);
  g_set_object (&self->store, store);
  /* The areas come from the profile. */
  popover = build_filter_popover (self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->filter_button), popover);
  ct_case_list_model_set_store (self->rows, store);
  ct_queue_page_update (self);
}

void
ct_queue_page_set_user_id (CtQueuePage *self,
                           gint64       user_id)
{
  if (self->user_id == user_id)
    return;
  self->user_id = user_id;
  self->filter->user_id = user_id;
  if (self->filter->scope == CT_CASE_SCOPE_MINE)
    {
      ct_case_list_model_set_filter (self->rows, self->filter);
      ct_queue_page_update (self);
    }
}

void
ct_queue_page_set_filter (CtQueuePage        *self,
                          const CtCaseFilter *filter)
{
  g_autofree char *needle = g_strdup (self->filter->needle);

  ct_case_filter_free (self->filter);
  self->filter = ct_case_filter_copy (filter);
  self->filter->user_id = self->user_id;
  g_free (self->filter->needle);
  self->filter->needle = g_steal_pointer (&needle);
  update_chips (self);
  ct_case_list_model_set_filter (self->rows, self->filter);
  update_state (self);
}

const CtCaseFilter *
ct_queue_page_get_filter (CtQueuePage *self)
{
  return self->filter;
}

void
ct_queue_page_set_search (CtQueuePage *self,
                          const char  *text)
{
  g_autofree char *old = g_strdup (self->filter->needle);

  ct_case_filter_set_search (self->filter, text);
  if (g_strcmp0 (old, self->filter->needle) == 0)
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text ? text : "") != 0)
    {
      g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
      g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
    }
  /* Typing one more letter only narrows: the model then tests only the
   * rows it shows. */
  ct_case_list_model_set_filter (self->rows, self->filter);
  update_state (self);
}

void
ct_queue_page_start_search (CtQueuePage *self)
{
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
  gtk_widget_grab_focus (self->search_entry);
}

/* The rows follow the store before the next frame by themselves; this
 * brings them up to date now. */
void
ct_queue_page_update (CtQueuePage *self)
{
  ct_case_list_model_flush (self->rows);
  update_state (self);
}

/* The model filters in one pass: never in batches. */
gboolean
ct_queue_page_is_filtering (CtQueuePage *self)
{
  return FALSE;
}

GListModel *
ct_queue_page_get_model (CtQueuePage *self)
{
  return G_LIST_MODEL (self->rows);
}

GtkSelectionModel *
ct_queue_page_get_selection (CtQueuePage *self)
{
  return GTK_SELECTION_MODEL (self->selection);
}

/* The selected rows' cases, in the order shown (element-type CtCase). */
GPtrArray *
ct_queue_page_dup_selected_cases (CtQueuePage *self)
{
  GtkBitset *pinned = ct_queue_menu_get_selection (self->column_view);
  g_autoptr(GtkBitset) selected = pinned ? gtk_bitset_ref (pinned)
                                  : gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      CtCase *c = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

      if (c != NULL)
        g_ptr_array_add (cases, c);
    }
  return cases;
}

const char *
ct_queue_page_get_count_text (CtQueuePage *self)
{
  return self->count_text;
}

gboolean
ct_queue_page_is_empty_shown (CtQueuePage *self)
{
  return gtk_stack_get_visible_child (GTK_STACK (self->stack)) == self->empty_page;
}

const char *
ct_queue_page_get_empty_title (CtQueuePage *self)
{
  return adw_status_page_get_title (ADW_STATUS_PAGE (self->empty_page));
}

void
ct_queue_page_sort_by (CtQueuePage *self,
                       const char  *title,
                       GtkSortType  order)
{
  GListModel *list = gtk_column_view_get_columns (GTK_COLUMN_VIEW (self->column_view));

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (list, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (self->column_view), column, order);
    }
}
