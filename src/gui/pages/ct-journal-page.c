/* ct-journal-page.c - The decisions taken here: search, filters, CSV export, the chain's state
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal is local (SQLite) and append-only; the page reads it, newest
 * first, up to a page of entries, and checks the hash chain each time it
 * reloads so a changed or removed entry shows at once.
 */

#define G_LOG_DOMAIN "ct-journal-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-decisions.h"
#include "ct-journal-page.h"

#define PAGE_SIZE 500

struct _CtJournalPage
{
  GtkWidget    parent_instance;

  CtJournal   *journal;            /* (owned) (nullable) */
  CtCaseStore *store;              /* (owned) (nullable) */
  guint        n_entries;
  char        *chain_text;         /* (owned) (nullable) */

  GtkWidget   *box;
  GtkWidget   *chain_box;
  GtkWidget   *chain_icon;
  GtkWidget   *chain_label;
  GtkWidget   *count_label;
  GtkWidget   *date_dropdown;
  GtkWidget   *empty_page;
  GtkWidget   *export_button;
  GtkWidget   *list;
  GtkWidget   *outcome_dropdown;
  GtkWidget   *result_dropdown;
  GtkWidget   *search_entry;
  GtkWidget   *stack;
};

G_DEFINE_FINAL_TYPE (CtJournalPage, ct_journal_page, GTK_TYPE_WIDGET)

/* The query the filters describe; strings are borrowed from the widgets. */
static void
make_query (CtJournalPage  *self,
            CtJournalQuery *query,
            guint           limit)
{
  guint outcome = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->outcome_dropdown));
  guint result = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->result_dropdown));
  guint date = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->date_dropdown));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  static const int days[] = { 0, 0, 7, 30 };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  *query = (CtJournalQuery) { .succeeded = -1, .limit = limit };
  if (*text != '\0')
    query->text = text;
  if (outcome != GTK_INVALID_LIST_POSITION && outcome > 0)
    query->outcome = ct_decision_outcome_to_string (outcome - 1);
  if (result == 1 || result == 2)
    query->succeeded = result == 1 ? 1 : 0;
  if (date != GTK_INVALID_LIST_POSITION && date > 0 && date < G_N_ELEMENTS (days))
    {
      g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                             g_date_time_get_month (now),
                                                             g_date_time_get_day_of_month (now),
                                                             0, 0, 0);
      g_autoptr(GDateTime) since = g_date_time_add_days (midnight, -days[date]);

      query->since = g_date_time_to_unix (since);
    }
}

static char *
case_name (CtJournalPage *self,
           const char    *key)
{
  CtCase *c = self->store && key ? ct_case_store_lookup (self->store, key) : NULL;
  char *kept = NULL;

  if (c != NULL)
    return ct_case_dup_label (c);
  /* Decided and gone from the tower: the name it had then. */
  if (self->journal != NULL && (kept = ct_journal_dup_case_name (self->journal, key)) != NULL)
    return kept;
  return g_strdup (key);
}

static GtkWidget *
entry_row (CtJournalPage        *self,
           const CtJournalEntry *e)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *result = gtk_label_new (e->succeeded ? _("Verified") : _("Not applied"));
  CtDecisionOutcome outcome;
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (e->at);
  g_autofree char *time = when ? g_date_time_format (when, "%x %H:%M") : g_strdup ("?");
  g_autofree char *name = case_name (self, e->case_key);
  g_autofree char *title = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);

  title = g_strdup_printf ("%s · %s",
                           ct_decision_outcome_from_string (e->outcome, &outcome)
                           ? ct_decision_outcome_label (outcome) : e->outcome, name);
  /* Translators: "2026-12-04 18:30 by admin" */
  g_string_append_printf (subtitle, _("%s by %s"), time, e->actor ? e->actor : "?");
  if (e->verified_state != NULL)
    g_string_append_printf (subtitle, _(" · the server showed “%s”"), e->verified_state);
  if (e->comment != NULL && *e->comment != '\0')
    g_string_append_printf (subtitle, "\n%s", e->comment);
  if (e->conditions != NULL && *e->conditions != '\0')
    g_string_append_printf (subtitle, "\n%s", e->conditions);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  gtk_widget_set_tooltip_text (row, e->correlation_id);
  gtk_widget_add_css_class (result, "ct-journal-result");
  gtk_widget_add_css_class (result, e->succeeded ? "verified" : "failed");
  gtk_widget_add_css_class (result, "caption-heading");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), result);
  return row;
}

static void
check_chain (CtJournalPage *self)
{
  g_autoptr(GError) error = NULL;
  gint64 broken = 0;
  guint n_checked = 0;
  gboolean ok = ct_journal_verify (self->journal, &broken, &n_checked, &error);

  g_free (self->chain_text);
  if (ok)
    self->chain_text = g_strdup_printf (ngettext ("The journal’s chain holds: %u entry checks out.",
                                                  "The journal’s chain holds: all %u entries check out.",
                                                  n_checked), n_checked);
  else if (broken > 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, broken);

      self->chain_text = g_strdup_printf (_("The journal’s chain is broken at entry %s: it was "
                                            "changed or removed after it was written. The %u "
                                            "entries before it check out."),
                                          id, n_checked);
    }
  else
    self->chain_text = g_strdup_printf (_("The journal could not be checked: %s"), error->message);
  gtk_label_set_text (GTK_LABEL (self->chain_label), self->chain_text);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->chain_icon),
                                ok ? "security-high-symbolic" : "dialog-warning-symbolic");
  if (ok)
    gtk_widget_remove_css_class (self->chain_box, "broken");
  else
    gtk_widget_add_css_class (self->chain_box, "broken");
}

static void
show_empty (CtJournalPage *self,
            const char    *title,
            const char    *description)
{
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page), description);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
}

void
ct_journal_page_reload (CtJournalPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *count = NULL;
  CtJournalQuery query;
  GtkWidget *row;

  g_return_if_fail (CT_IS_JOURNAL_PAGE (self));

  while ((row = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), row);
  self->n_entries = 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "journal.export", FALSE);
  if (self->journal == NULL)
    {
      show_empty (self, _("No Decisions Yet"),
                  _("Decisions you make in Control Tower will be listed here with the server’s answer."));
      return;
    }
  check_chain (self);
  make_query (self, &query, PAGE_SIZE);
  entries = ct_journal_query (self->journal, &query, &error);
  if (entries == NULL)
    {
      g_autofree char *text = g_markup_escape_text (error->message, -1);

      show_empty (self, _("The Journal Could Not Be Read"), text);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->list), entry_row (self, entries->pdata[i]));
  self->n_entries = entries->len;
  count = entries->len >= PAGE_SIZE
    ? g_strdup_printf (_("The latest %u decisions; search or filter to find older ones"), entries->len)
    : g_strdup_printf (ngettext ("%u decision", "%u decisions", entries->len), entries->len);
  gtk_label_set_text (GTK_LABEL (self->count_label), count);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "journal.export", entries->len > 0);
  if (entries->len > 0)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
  else if (query.text || query.outcome || query.succeeded >= 0 || query.since)
    show_empty (self, _("No Matching Decisions"), _("Try other words or fewer filters."));
  else
    {
      /* The chain's state still matters with no entries shown. */
      show_empty (self, _("No Decisions Yet"),
                  _("Decisions you make in Control Tower will be listed here with the server’s answer."));
    }
}

static void
filters_changed_cb (CtJournalPage *self)
{
  if (self->journal != NULL)
    ct_journal_page_reload (self);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    CtJournalPage   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *text = NULL;

      if (ct_journal_page_export (self, file, &error))
        text = g_strdup_printf (_("Saved %s"), name);
      else
        text = g_strdup_printf (_("The journal could not be exported: %s"), error->message);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CtJournalPage *self = CT_JOURNAL_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;

  /* GtkFileDialog is GTK 4.10: the native chooser is what 4.8 has. */
  dialog = gtk_file_chooser_native_new (_("Export Decision Journal"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "decision-journal.csv");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static GListModel *
strings (const char *first,
         ...)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    gtk_string_list_append (list, s);
  va_end (args);
  return G_LIST_MODEL (list);
}

static void
ct_journal_page_dispose (GObject *object)
{
  CtJournalPage *self = CT_JOURNAL_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_JOURNAL_PAGE);
  g_clear_object (&self->journal);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ct_journal_page_parent_class)->dispose (object);
}

static void
ct_journal_page_finalize (GObject *object)
{
  CtJournalPage *self = CT_JOURNAL_PAGE (object);

  g_free (self->chain_text);
  G_OBJECT_CLASS (ct_journal_page_parent_class)->finalize (object);
}

static void
ct_journal_page_class_init (CtJournalPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ct_journal_page_dispose;
  object_class->finalize = ct_journal_page_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/sysgenpro/ControlTower/pages/ct-journal-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, box);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, chain_box);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, chain_icon);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, chain_label);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, date_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, list);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, outcome_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, result_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CtJournalPage, stack);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_install_action (widget_class, "journal.export", NULL, export_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "journalpage");
}

/* A drop-down is reached through the toggle button inside it: that is what
 * a screen reader announces, so it carries the drop-down's name too. */
static void
name_dropdown_toggle (GtkWidget *dropdown)
{
  for (GtkWidget *c = gtk_widget_get_first_child (dropdown); c; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_TOGGLE_BUTTON (c))
      gtk_accessible_update_property (GTK_ACCESSIBLE (c), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_widget_get_tooltip_text (dropdown), -1);
}

static void
ct_journal_page_init (CtJournalPage *self)
{
  g_autoptr(GListModel) outcomes = NULL;
  g_autoptr(GListModel) results = strings (_("Any result"), _("Verified"), _("Not applied"), NULL);
  g_autoptr(GListModel) dates = strings (_("Any time"), _("Today"), _("Last 7 days"),
                                         _("Last 30 days"), NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  outcomes = strings (_("Any outcome"), NULL);
  for (CtDecisionOutcome o = CT_DECISION_APPROVE; o <= CT_DECISION_DELEGATE; o++)
    gtk_string_list_append (GTK_STRING_LIST (outcomes), ct_decision_outcome_label (o));
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->outcome_dropdown), outcomes);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->result_dropdown), results);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->date_dropdown), dates);
  name_dropdown_toggle (self->outcome_dropdown);
  name_dropdown_toggle (self->result_dropdown);
  name_dropdown_toggle (self->date_dropdown);
  ct_journal_page_reload (self);
}

void
ct_journal_page_set_journal (CtJournalPage *self,
                             CtJournal     *journal,
                             CtCaseStore   *store)
{
  g_return_if_fail (CT_IS_JOURNAL_PAGE (self));

  if (self->journal == journal && self->store == store)
    return;
  g_set_object (&self->journal, journal);
  g_set_object (&self->store, store);
  ct_journal_page_reload (self);
}

guint
ct_journal_page_get_n_entries (CtJournalPage *self)
{
  g_return_val_if_fail (CT_IS_JOURNAL_PAGE (self), 0);
  return self->n_entries;
}

const char *
ct_journal_page_get_chain_text (CtJournalPage *self)
{
  g_return_val_if_fail (CT_IS_JOURNAL_PAGE (self), NULL);
  return self->chain_text;
}

void
ct_journal_page_set_search (CtJournalPage *self,
                            const char    *text)
{
  g_return_if_fail (CT_IS_JOURNAL_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  /* search-changed comes after a delay; the caller wants it now. */
  ct_journal_page_reload (self);
}

gboolean
ct_journal_page_export (CtJournalPage *self,
                        GFile         *file,
                        GError       **error)
{
  g_autoptr(GFileOutputStream) out = NULL;
  CtJournalQuery query;

  g_return_val_if_fail (CT_IS_JOURNAL_PAGE (self), FALSE);
  if (self->journal == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no journal yet"));
      return FALSE;
    }
  make_query (self, &query, 0);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error);
  if (out == NULL)
    return FALSE;
  if (!ct_journal_export_csv (self->journal, &query, G_OUTPUT_STREAM (out), NULL, error))
    return FALSE;
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}
