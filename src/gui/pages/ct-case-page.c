/* ct-case-page.c - One case as a controller reads it before deciding
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page only shows what the window passes in (a CtCase at once, its
 * CtCaseDetail when the re-read finishes); it never talks to a server.
 * Every string from the server goes into a label with markup off.
 */

#define G_LOG_DOMAIN "ct-case-page"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ct-case-page.h"
#include "ct-sla-bar.h"
#include "ct-decision-bar.h"
#include "ct-format.h"
#include "ct-sla-pill.h"

struct _CtCasePage
{
  GtkWidget     parent_instance;

  CtCase       *c;                /* (owned) (nullable) */
  CtCaseDetail *detail;           /* (owned) (nullable) */
  CtCaseStore  *store;            /* (owned) (nullable) where linked incidents are looked up */
  guint         spinner_timeout;

  GtkWidget    *box;              /* the page's one child */
  GtkWidget    *reference;
  GtkWidget    *title;
  GtkWidget    *partner;
  GtkWidget    *amount;
  GtkWidget    *facts;
  GtkWidget    *sla_pill;
  GtkWidget    *sla_bar;
  GtkWidget    *left_label;
  GtkWidget    *body_stack;
  GtkWidget    *spinner;
  GtkWidget    *error_page;
  GtkWidget    *sections;
  GtkWidget    *odoo_button;
  GtkWidget    *action_bar;
  GtkAdjustment *vadjustment;     /* (unowned) the content's scrolling */
  GtkWidget    *decision_bar;
};

G_DEFINE_FINAL_TYPE (CtCasePage, ct_case_page, GTK_TYPE_WIDGET)

/* A label for server text: never markup, wraps, can be selected. */
static GtkWidget *
plain_label (const char *text,
             const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
text_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static GtkWidget *
value_row (const char *title,
           const char *subtitle,
           const char *value)
{
  GtkWidget *row = text_row (title, subtitle);
  GtkWidget *label = gtk_label_new (value);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static GtkWidget *
add_group (CtCasePage *self,
           const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (GTK_BOX (self->sections), group);
  return group;
}

static void
group_add (GtkWidget *group,
           GtkWidget *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static char *
format_money (double      value,
              const char *currency)
{
  return ct_format_amount (value, currency);
}

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_seconds);

  /* TRANSLATORS: a date and time in the case view, see g_date_time_format */
  return dt ? g_date_time_format (dt, _("%-e %b %Y, %H:%M")) : g_strdup ("");
}

static const char *
approver_state_word (CtApproverState state)
{
  switch (state)
    {
    case CT_APPROVER_STATE_PENDING: return _("Waiting for a decision");
    case CT_APPROVER_STATE_WAITING: return _("Not their turn yet");
    case CT_APPROVER_STATE_APPROVED: return _("Approved");
    case CT_APPROVER_STATE_REJECTED: return _("Rejected");
    default: return "";
    }
}

static const char *
approver_state_icon (CtApproverState state)
{
  switch (state)
    {
    case CT_APPROVER_STATE_APPROVED: return "emblem-ok-symbolic";
    case CT_APPROVER_STATE_REJECTED: return "window-close-symbolic";
    case CT_APPROVER_STATE_WAITING: return "content-loading-symbolic";
    default: return "alarm-symbolic";
    }
}

static void
clear_sections (CtCasePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->sections)) != NULL)
    gtk_box_remove (GTK_BOX (self->sections), child);
}

static void
fill_header (CtCasePage *self,
             const char *amount)
{
  CtCase *c = self->c;
  g_autoptr(GString) facts = g_string_new (NULL);
  g_autofree char *age = NULL;
  g_autofree char *requested = NULL;

  gtk_label_set_text (GTK_LABEL (self->reference), c->reference ? c->reference : c->key);
  gtk_label_set_text (GTK_LABEL (self->title), ct_case_get_title (c) ? ct_case_get_title (c) : "");
  gtk_widget_set_visible (self->title, ct_case_get_title (c) != NULL);
  gtk_label_set_text (GTK_LABEL (self->partner), c->partner.name ? c->partner.name : "");
  gtk_widget_set_visible (self->partner, c->partner.name != NULL);
  gtk_label_set_text (GTK_LABEL (self->amount), amount ? amount : "");

  if (c->requester != NULL)
    /* TRANSLATORS: who asked for the approval */
    g_string_append_printf (facts, _("Requested by %s"), c->requester);
  if (c->requested_at > 0)
    {
      requested = g_strstrip (format_time (c->requested_at));
      age = ct_format_duration_short (c->sla.elapsed_seconds > 0 ? c->sla.elapsed_seconds
                                      : MAX (0, g_get_real_time () / G_USEC_PER_SEC - c->requested_at));
      if (facts->len > 0)
        g_string_append (facts, " · ");
      /* TRANSLATORS: "on 4 Dec 2026, 14:02 · waiting 2 d 3 h" */
      g_string_append_printf (facts, _("on %s · waiting %s"), requested, age);
    }
  gtk_label_set_text (GTK_LABEL (self->facts), facts->str);

  ct_sla_pill_update (self->sla_pill, c);
  gtk_widget_set_visible (self->sla_pill, c->sla.status != CT_SLA_STATUS_NONE);
  ct_sla_bar_update (CT_SLA_BAR (self->sla_bar), c);
}

static void
spinner_cb (gpointer data)
{
  CtCasePage *self = data;

  self->spinner_timeout = 0;
  gtk_widget_set_opacity (self->spinner, 1);
}

void
ct_case_page_show_loading (CtCasePage *self,
                           CtCase     *c,
                           const char *amount)
{
  g_return_if_fail (CT_IS_CASE_PAGE (self));
  g_return_if_fail (CT_IS_CASE (c));

  g_set_object (&self->c, c);
  g_clear_pointer (&self->detail, ct_case_detail_unref);
  fill_header (self, amount);
  gtk_widget_set_visible (self->left_label, FALSE);
  gtk_widget_set_sensitive (self->odoo_button, FALSE);
  clear_sections (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->body_stack), "loading");
  gtk_widget_set_opacity (self->spinner, 0);
  g_clear_handle_id (&self->spinner_timeout, g_source_remove);
  self->spinner_timeout = g_timeout_add_once (250, spinner_cb, self);
}

/* A refresh brought a newer copy of the case shown: the header follows,
 * the sections stay until the re-read replaces them. */
void
ct_case_page_update_case (CtCasePage *self,
                          CtCase     *c)
{
  g_return_if_fail (CT_IS_CASE_PAGE (self));
  g_return_if_fail (CT_IS_CASE (c));

  g_set_object (&self->c, c);
  fill_header (self, gtk_label_get_text (GTK_LABEL (self->amount)));
}

static void
add_reasons (CtCasePage   *self,
             CtCaseDetail *d)
{
  GtkWidget *group = add_group (self, _("Why It Needs Approval"), NULL);

  for (guint i = 0; d->reasons && i < d->reasons->len; i++)
    group_add (group, text_row (d->reasons->pdata[i], NULL));
  if (d->reasons == NULL || d->reasons->len == 0)
    group_add (group, text_row (_("The server gave no reason"), NULL));
}

static void
add_approvers (CtCasePage   *self,
               CtCaseDetail *d)
{
  GtkWidget *group = add_group (self, _("Approvers"),
                                d->approvers && d->approvers->len > 1
                                ? (d->sequential ? _("One after the other, in this order")
                                                 : _("All at the same time"))
                                : NULL);

  for (guint i = 0; d->approvers && i < d->approvers->len; i++)
    {
      const CtCaseApprover *a = d->approvers->pdata[i];
      g_autoptr(GString) sub = g_string_new (approver_state_word (a->state));
      g_autofree char *title = NULL;
      GtkWidget *row;
      GtkWidget *icon = gtk_image_new_from_icon_name (approver_state_icon (a->state));

      if (a->decided_at > 0)
        {
          g_autofree char *when = format_time (a->decided_at);

          g_string_append_printf (sub, " · %s", when);
        }
      if (a->via != NULL)
        g_string_append_printf (sub, " · %s", a->via);
      title = d->sequential ? g_strdup_printf ("%u. %s", i + 1, a->name ? a->name : "")
                            : g_strdup (a->name ? a->name : "");
      row = text_row (title, sub->str);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      approver_state_word (a->state), -1);
      if (a->state == CT_APPROVER_STATE_APPROVED)
        gtk_widget_add_css_class (icon, "success");
      else if (a->state == CT_APPROVER_STATE_REJECTED)
        gtk_widget_add_css_class (icon, "error");
      else
        gtk_widget_add_css_class (icon, "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      group_add (group, row);
    }
  if (d->approvers == NULL || d->approvers->len == 0)
    group_add (group, text_row (_("No approver is named on the record"), NULL));
}

static void
add_flags (CtCasePage *self)
{
  CtCase *c = self->c;
  GtkWidget *group = add_group (self, _("Priority and Anomalies"), NULL);
  gboolean any = FALSE;

  if (c->urgent)
    {
      group_add (group, text_row (_("Urgent shipment"), _("A shorter service level applies")));
      any = TRUE;
    }
  for (guint i = 0; c->priority_components && i < c->priority_components->len; i++)
    {
      const CtPriorityComponent *p = c->priority_components->pdata[i];
      g_autofree char *points = NULL;

      if (p->points <= 0)
        continue;
      points = g_strdup_printf (_("+%.0f priority"), p->points);
      group_add (group, value_row (p->explanation, NULL, points));
      any = TRUE;
    }
  for (guint i = 0; c->anomalies && i < c->anomalies->len; i++)
    {
      const CtAnomaly *a = c->anomalies->pdata[i];
      GtkWidget *row = text_row (a->explanation, _("Unusual for this kind of case"));
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Anomaly"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      group_add (group, row);
      any = TRUE;
    }
  if (!any)
    group_add (group, text_row (_("Nothing unusual"), NULL));
}

static void
add_lines (CtCasePage   *self,
           CtCaseDetail *d)
{
  g_autofree char *total = NULL;
  GtkWidget *group;

  if (d->lines == NULL || d->lines->len == 0)
    return;
  if (!isnan (d->lines_total))
    total = format_money (d->lines_total, d->currency);
  group = add_group (self, _("Lines"), NULL);
  for (guint i = 0; i < d->lines->len; i++)
    {
      const CtCaseLine *l = d->lines->pdata[i];
      g_autoptr(GString) sub = g_string_new (NULL);
      g_autofree char *value = NULL;
      double amount = !isnan (l->total) ? l->total : l->subtotal;

      if (!isnan (l->quantity))
        g_string_append_printf (sub, l->unit ? "%g %s" : "%g", l->quantity, l->unit);
      if (!isnan (l->price_unit))
        {
          g_autofree char *price = ct_format_decimal (l->price_unit, 2);

          g_string_append_printf (sub, " × %s", price);
        }
      if (!isnan (l->discount) && l->discount != 0)
        /* TRANSLATORS: a line's discount, "−5 %" */
        g_string_append_printf (sub, _(", discount %g %%"), l->discount);
      if (l->product != NULL && l->description != NULL && g_strcmp0 (l->product, l->description) != 0)
        g_string_append_printf (sub, "\n%s", l->description);
      value = isnan (amount) ? g_strdup ("") : format_money (amount, d->currency);
      group_add (group, value_row (l->product ? l->product : l->description, sub->str, value));
    }
  if (total != NULL)
    {
      GtkWidget *row = value_row (_("Total"), NULL, total);

      gtk_widget_add_css_class (row, "heading");
      group_add (group, row);
    }
}

static void
add_credit (CtCasePage   *self,
            CtCaseDetail *d)
{
  const CtCreditExposure *e = &d->credit;
  const struct { const char *label; double value; } figures[] = {
    { N_("Credit limit"), e->limit },
    { N_("Receivables"), e->receivable },
    { N_("Open orders"), e->open_orders },
    { N_("Overdue"), e->overdue },
    { N_("This case adds"), e->case_adds },
    { N_("Exposure after approval"), e->exposure_after },
  };
  GtkWidget *group;

  if (e->partner_id == 0)
    return;
  group = add_group (self, _("Credit Exposure"), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autofree char *value = NULL;
      GtkWidget *row;

      if (isnan (figures[i].value))
        continue;
      value = format_money (figures[i].value, d->currency);
      row = value_row (_(figures[i].label), NULL, value);
      group_add (group, row);
    }
  if (e->note != NULL)
    {
      GtkWidget *row = text_row (e->note, NULL);
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");

      gtk_widget_add_css_class (row, "dim-label");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Left out"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      group_add (group, row);
    }
}

static GtkWidget *
message_row (const CtCaseMessage *m)
{
  /* A preferences row, so the group puts it inside its boxed list. */
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *when = format_time (m->date);
  g_autofree char *head = NULL;
  const char *kind = m->kind == CT_MESSAGE_NOTE ? _("note")
                     : m->kind == CT_MESSAGE_NOTIFICATION ? _("update") : _("message");

  head = g_strdup_printf ("%s · %s · %s", m->author ? m->author : _("Someone"), when, kind);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_box_append (GTK_BOX (box), plain_label (head, "dim-label"));
  gtk_widget_add_css_class (gtk_widget_get_last_child (box), "caption");
  if (m->text != NULL && *m->text != '\0')
    gtk_box_append (GTK_BOX (box), plain_label (m->text, NULL));
  for (guint i = 0; m->changes && i < m->changes->len; i++)
    {
      const CtTrackingChange *t = m->changes->pdata[i];
      /* TRANSLATORS: a tracked field change: "Status: Draft → Purchase Order" */
      g_autofree char *text = g_strdup_printf (_("%s: %s → %s"), t->field,
                                               t->old_value ? t->old_value : "—",
                                               t->new_value ? t->new_value : "—");

      gtk_box_append (GTK_BOX (box), plain_label (text, NULL));
    }
  for (guint i = 0; m->links && i < m->links->len; i++)
    {
      const CtTextLink *link = m->links->pdata[i];
      GtkWidget *button = gtk_link_button_new_with_label (link->url, link->text && *link->text
                                                          ? link->text : link->url);

      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (box), button);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), head);
  return row;
}

static void
add_trail (CtCasePage   *self,
           CtCaseDetail *d)
{
  GtkWidget *group = add_group (self, _("Trail"), _("Newest first"));

  if (d->tracking_note != NULL)
    group_add (group, text_row (d->tracking_note, NULL));
  for (guint i = 0; d->messages && i < d->messages->len; i++)
    group_add (group, message_row (d->messages->pdata[i]));
  if (d->messages == NULL || d->messages->len == 0)
    group_add (group, text_row (_("No messages"), NULL));
}

static GtkWidget *
icon_button (const char *icon,
             const char *label,
             const char *action,
             GVariant   *target)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  return button;
}

static void
add_attachments (CtCasePage   *self,
                 CtCaseDetail *d)
{
  GtkWidget *group;

  if (d->attachments == NULL || d->attachments->len == 0)
    return;
  group = add_group (self, _("Attachments"), NULL);
  for (guint i = 0; i < d->attachments->len; i++)
    {
      const CtCaseAttachment *a = d->attachments->pdata[i];
      g_autofree char *size = a->size >= 0 ? g_format_size (a->size) : g_strdup ("");
      g_autofree char *sub = g_strdup_printf ("%s%s%s", size, a->mimetype ? " · " : "",
                                              a->mimetype ? a->mimetype : "");
      GtkWidget *row = text_row (a->name, sub);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button ("document-save-symbolic", _("Save"),
                                              "win.save-attachment", g_variant_new_int64 (a->id)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button ("document-open-symbolic", _("Open"),
                                              "win.open-attachment", g_variant_new_int64 (a->id)));
      group_add (group, row);
    }
}

static void
add_incidents (CtCasePage   *self,
               CtCaseDetail *d)
{
  GtkWidget *group;

  if (d->incident_keys == NULL || d->incident_keys->len == 0)
    return;
  group = add_group (self, _("Linked Incidents"), _("Integrations holding this case up"));
  for (guint i = 0; i < d->incident_keys->len; i++)
    {
      const char *key = d->incident_keys->pdata[i];
      CtCase *incident = self->store ? ct_case_store_lookup (self->store, key) : NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (incident != NULL)
        {
          title = g_strdup_printf ("%s %s", ct_case_get_title (incident) ? ct_case_get_title (incident)
                                                                           : key,
                                   incident->reference ? incident->reference : "");
          subtitle = incident->detail ? g_strdup (incident->detail)
                                      : g_strdup (_("Open it on the Integrations page"));
        }
      row = text_row (title ? g_strstrip (title) : key, subtitle);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-incident");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", key);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      group_add (group, row);
    }
}

static void
add_notes (CtCasePage   *self,
           CtCaseDetail *d)
{
  GtkWidget *group;

  if (d->notes == NULL || d->notes->len == 0)
    return;
  group = add_group (self, _("Not Shown"), NULL);
  for (guint i = 0; i < d->notes->len; i++)
    group_add (group, text_row (d->notes->pdata[i], NULL));
}

void
ct_case_page_set_detail (CtCasePage   *self,
                         CtCaseDetail *detail)
{
  gboolean same;
  double scroll;

  g_return_if_fail (CT_IS_CASE_PAGE (self));
  g_return_if_fail (self->c != NULL);

  /* The same case read again (after a refresh): stay where the reader was. */
  same = self->detail != NULL && g_strcmp0 (self->detail->key, detail->key) == 0;
  scroll = gtk_adjustment_get_value (self->vadjustment);
  g_clear_handle_id (&self->spinner_timeout, g_source_remove);
  g_clear_pointer (&self->detail, ct_case_detail_unref);
  self->detail = ct_case_detail_ref (detail);
  if (detail->reference != NULL)
    gtk_label_set_text (GTK_LABEL (self->reference), detail->reference);
  if (detail->partner != NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->partner), detail->partner);
      gtk_widget_set_visible (self->partner, TRUE);
    }
  gtk_label_set_text (GTK_LABEL (self->left_label),
                      detail->left_explanation ? detail->left_explanation
                      : _("This case is no longer waiting for anyone."));
  gtk_widget_set_visible (self->left_label, detail->left_queue);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->odoo_button), "s",
                                    detail->odoo_url ? detail->odoo_url : "");
  gtk_widget_set_sensitive (self->odoo_button, detail->odoo_url != NULL);

  clear_sections (self);
  add_reasons (self, detail);
  add_approvers (self, detail);
  add_flags (self);
  add_lines (self, detail);
  add_credit (self, detail);
  add_trail (self, detail);
  add_attachments (self, detail);
  add_incidents (self, detail);
  add_notes (self, detail);
  gtk_stack_set_visible_child_name (GTK_STACK (self->body_stack), "detail");
  if (same)
    gtk_adjustment_set_value (self->vadjustment, scroll);
}

void
ct_case_page_set_error (CtCasePage *self,
                        const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  g_return_if_fail (CT_IS_CASE_PAGE (self));

  g_clear_handle_id (&self->spinner_timeout, g_source_remove);
  /* The status page's description is markup in libadwaita 1.2. */
  adw_status_page_set_description (ADW_STATUS_PAGE (self->error_page), escaped);
  gtk_stack_set_visible_child_name (GTK_STACK (self->body_stack), "error");
}

void
ct_case_page_set_store (CtCasePage  *self,
                        CtCaseStore *store)
{
  g_return_if_fail (CT_IS_CASE_PAGE (self));
  g_set_object (&self->store, store);
}

const char *
ct_case_page_get_left_text (CtCasePage *self)
{
  g_return_val_if_fail (CT_IS_CASE_PAGE (self), NULL);
  return gtk_widget_get_visible (self->left_label) ? gtk_label_get_text (GTK_LABEL (self->left_label))
                                                   : NULL;
}

CtSlaBar *
ct_case_page_get_sla_bar (CtCasePage *self)
{
  g_return_val_if_fail (CT_IS_CASE_PAGE (self), NULL);
  return CT_SLA_BAR (self->sla_bar);
}

CtCase *
ct_case_page_get_case (CtCasePage *self)
{
  g_return_val_if_fail (CT_IS_CASE_PAGE (self), NULL);
  return self->c;
}

CtCaseDetail *
ct_case_page_get_detail (CtCasePage *self)
{
  g_return_val_if_fail (CT_IS_CASE_PAGE (self), NULL);
  return self->detail;
}

CtDecisionBar *
ct_case_page_get_decision_bar (CtCasePage *self)
{
  g_return_val_if_fail (CT_IS_CASE_PAGE (self), NULL);
  return CT_DECISION_BAR (self->decision_bar);
}

const char *
ct_case_page_get_state (CtCasePage *self)
{
  g_return_val_if_fail (CT_IS_CASE_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->body_stack));
}

static void
ct_case_page_dispose (GObject *object)
{
  CtCasePage *self = CT_CASE_PAGE (object);

  g_clear_handle_id (&self->spinner_timeout, g_source_remove);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->c);
  g_clear_object (&self->store);
  g_clear_pointer (&self->detail, ct_case_detail_unref);
  G_OBJECT_CLASS (ct_case_page_parent_class)->dispose (object);
}

static void
ct_case_page_class_init (CtCasePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_case_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "casepage");
}

static void
ct_case_page_init (CtCasePage *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *names = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *figures = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *loading = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label;
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  /* Back to the queue: Escape, or Alt+Left as in a browser. */
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_Left,
                                                                           GDK_ALT_MASK)),
                      gtk_named_action_new ("win.close-case")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  /* Focus rests on the page itself when it opens, so the shortcuts work
   * without selecting a label's text. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 800);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 600);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 24);

  self->reference = plain_label (NULL, "title-2");
  self->title = plain_label (NULL, "title-4");
  self->partner = plain_label (NULL, "dim-label");
  self->facts = plain_label (NULL, "dim-label");
  gtk_widget_add_css_class (self->facts, "caption");
  gtk_box_append (GTK_BOX (names), self->reference);
  gtk_box_append (GTK_BOX (names), self->title);
  gtk_box_append (GTK_BOX (names), self->partner);
  gtk_box_append (GTK_BOX (names), self->facts);
  gtk_widget_set_hexpand (names, TRUE);

  self->amount = gtk_label_new (NULL);
  gtk_label_set_selectable (GTK_LABEL (self->amount), TRUE);
  gtk_widget_add_css_class (self->amount, "title-2");
  gtk_widget_add_css_class (self->amount, "numeric");
  gtk_widget_set_halign (self->amount, GTK_ALIGN_END);
  self->sla_pill = ct_sla_pill_new ();
  gtk_widget_set_halign (self->sla_pill, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (figures), self->amount);
  gtk_box_append (GTK_BOX (figures), self->sla_pill);
  gtk_widget_set_valign (figures, GTK_ALIGN_START);

  gtk_box_append (GTK_BOX (header), names);
  gtk_box_append (GTK_BOX (header), figures);
  gtk_box_append (GTK_BOX (content), header);
  /* Due time, business time left or past, escalation: under the header. */
  self->sla_bar = ct_sla_bar_new ();
  gtk_box_append (GTK_BOX (content), self->sla_bar);

  self->left_label = plain_label (NULL, "card");
  gtk_widget_add_css_class (self->left_label, "ct-case-left");
  gtk_widget_set_visible (self->left_label, FALSE);
  gtk_box_append (GTK_BOX (content), self->left_label);

  self->body_stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->body_stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  self->spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), TRUE);
  gtk_widget_set_size_request (self->spinner, 32, 32);
  gtk_widget_set_margin_top (self->spinner, 48);
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Loading the case"), -1);
  gtk_box_append (GTK_BOX (loading), self->spinner);
  gtk_stack_add_named (GTK_STACK (self->body_stack), loading, "loading");

  self->error_page = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->error_page), "dialog-error-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->error_page), _("Could Not Open the Case"));
  label = gtk_button_new_with_mnemonic (_("_Try Again"));
  gtk_widget_set_halign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (label), "win.reload-case");
  adw_status_page_set_child (ADW_STATUS_PAGE (self->error_page), label);
  gtk_stack_add_named (GTK_STACK (self->body_stack), self->error_page, "error");

  self->sections = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_stack_add_named (GTK_STACK (self->body_stack), self->sections, "detail");
  gtk_box_append (GTK_BOX (content), self->body_stack);

  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  self->vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_box_append (GTK_BOX (self->box), scrolled);

  /* The decisions stay at the bottom, outside the scrolled content. */
  self->action_bar = gtk_action_bar_new ();
  self->odoo_button = gtk_button_new_with_mnemonic (_("Open in _Odoo"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->odoo_button), "win.open-url");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->odoo_button), "s", "");
  gtk_action_bar_pack_start (GTK_ACTION_BAR (self->action_bar), self->odoo_button);
  /* The bar grows a line for why a decision is not available: the
   * buttons stay on one baseline. */
  gtk_widget_set_valign (self->odoo_button, GTK_ALIGN_END);
  self->decision_bar = ct_decision_bar_new ();
  gtk_action_bar_pack_end (GTK_ACTION_BAR (self->action_bar), self->decision_bar);
  gtk_box_append (GTK_BOX (self->box), self->action_bar);
}

GtkWidget *
ct_case_page_new (void)
{
  return g_object_new (CT_TYPE_CASE_PAGE, NULL);
}
