/* ct-decision-dialog.c - Asks what a decision needs, sends it once, says what the server shows
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialog talks to CtDecisions, never to a client: the service re-reads,
 * acts once, verifies and journals. What the dialog adds is the asking —
 * the outcome's inputs, the confirmation above the profile's amount or for
 * several cases — and the telling: a result only once the server's state
 * shows it, a failure in words with the typed text kept (the journal holds
 * it as a draft across restarts until it is sent or discarded).
 */

#define G_LOG_DOMAIN "ct-decision-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-decision-dialog.h"

#define SEARCH_DELAY_MS 250

struct _CtDecisionDialog
{
  AdwWindow          parent_instance;

  CtDecisions       *decisions;          /* (owned) */
  CtJournal         *journal;            /* (owned) */
  GPtrArray         *cases;              /* (owned) (element-type CtCase) */
  CtDecisionOutcome  outcome;
  CtDecisionPlan    *plan;               /* (owned) (nullable) bulk: what is being sent */
  GPtrArray         *results;            /* (owned) (nullable) (element-type CtDecisionResult) */
  GCancellable      *search_cancellable; /* (owned) (nullable) */
  guint              search_timeout;
  gint64             target_id;
  char              *target_name;        /* (owned) (nullable) */
  gint64             deadline;
  const char        *state;
  char              *error;              /* (owned) (nullable) */
  char              *comment;            /* (owned) (nullable) what is being sent */
  GStrv              conditions;         /* (owned) (nullable) what is being sent */
  AdwMessageDialog  *confirmation;       /* (unowned) (nullable) while it shows */

  GtkWidget         *calendar;
  GtkWidget         *cancel_button;
  GtkWidget         *case_label;
  GtkWidget         *close_button;
  GtkWidget         *comment_group;
  GtkWidget         *comment_view;
  GtkWidget         *conditions_group;
  GtkWidget         *conditions_list;
  GtkWidget         *deadline_button;
  GtkWidget         *deadline_group;
  GtkWidget         *deadline_row;
  GtkWidget         *delegate_group;
  GtkWidget         *draft_box;
  GtkWidget         *draft_label;
  GtkWidget         *error_label;
  GtkWidget         *facts_label;
  GtkWidget         *form;
  GtkWidget         *progress_box;
  GtkWidget         *progress_label;
  GtkWidget         *result_page;
  GtkWidget         *results_list;
  GtkWidget         *send_button;
  GtkWidget         *skipped_group;
  GtkWidget         *spinner;
  GtkWidget         *stack;
  GtkWidget         *user_entry;
  GtkWidget         *users_list;
  AdwWindowTitle    *window_title;
};

G_DEFINE_FINAL_TYPE (CtDecisionDialog, ct_decision_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- words ---- */

static const char *
send_label (CtDecisionOutcome outcome)
{
  switch (outcome)
    {
    case CT_DECISION_APPROVE: return _("_Approve");
    case CT_DECISION_REJECT: return _("_Reject");
    case CT_DECISION_REVISE: return _("_Request Revision");
    case CT_DECISION_APPROVE_WITH_CONDITIONS: return _("_Approve");
    case CT_DECISION_ESCALATE: return _("_Escalate");
    case CT_DECISION_DELEGATE: return _("_Delegate");
    default: g_assert_not_reached ();
    }
}

static const char *
done_title (CtDecisionOutcome outcome)
{
  switch (outcome)
    {
    case CT_DECISION_APPROVE: return _("Approved");
    case CT_DECISION_REJECT: return _("Rejected");
    case CT_DECISION_REVISE: return _("Revision Requested");
    case CT_DECISION_APPROVE_WITH_CONDITIONS: return _("Approved with Conditions");
    case CT_DECISION_ESCALATE: return _("Escalated");
    case CT_DECISION_DELEGATE: return _("Delegated");
    default: g_assert_not_reached ();
    }
}

static const char *
comment_hint (CtDecisionOutcome outcome)
{
  switch (outcome)
    {
    case CT_DECISION_REJECT: return _("Required: say why. The requester reads it in Odoo.");
    case CT_DECISION_REVISE: return _("Required: say what to change. It becomes the requester’s activity.");
    case CT_DECISION_ESCALATE:
    case CT_DECISION_DELEGATE: return _("Optional: a note for the person who takes it over.");
    default: return _("Optional: added to the decision’s note in Odoo’s chatter.");
    }
}

static gboolean
needs_comment (CtDecisionOutcome outcome)
{
  return outcome == CT_DECISION_REJECT || outcome == CT_DECISION_REVISE;
}

/* As the case page and the queue show amounts. */
static char *
format_money (double      value,
              const char *currency)
{
  return currency ? g_strdup_printf ("%'.2f %s", value, currency) : g_strdup_printf ("%'.2f", value);
}

/* The cases' currency when they share one, else NULL. */
static const char *
common_currency (GPtrArray *cases)
{
  const char *currency = NULL;

  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];

      if (i == 0)
        currency = c->currency;
      else if (g_strcmp0 (currency, c->currency) != 0)
        return NULL;
    }
  return currency;
}

static const char *
case_name (CtCase *c)
{
  return c->reference ? c->reference : c->key;
}

static CtCase *
find_case (CtDecisionDialog *self,
           const char       *key)
{
  for (guint i = 0; i < self->cases->len; i++)
    if (g_str_equal (((CtCase *) self->cases->pdata[i])->key, key))
      return self->cases->pdata[i];
  return NULL;
}

static gboolean
is_bulk (CtDecisionDialog *self)
{
  return self->cases->len > 1;
}

/* ---- inputs ---- */

static char *
dup_comment (CtDecisionDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->comment_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static GStrv
dup_conditions (CtDecisionDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (self->conditions_list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      g_autofree char *text = NULL;

      if (!ADW_IS_ENTRY_ROW (row))
        continue;
      text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
      if (*text != '\0')
        g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

static gboolean
inputs_complete (CtDecisionDialog *self)
{
  if (needs_comment (self->outcome))
    {
      g_autofree char *comment = g_strstrip (dup_comment (self));

      if (*comment == '\0')
        return FALSE;
    }
  if (self->outcome == CT_DECISION_APPROVE_WITH_CONDITIONS)
    {
      g_auto(GStrv) conditions = dup_conditions (self);

      if (conditions[0] == NULL)
        return FALSE;
    }
  if (self->outcome == CT_DECISION_DELEGATE && self->target_id <= 0)
    return FALSE;
  return TRUE;
}

static void
update_send (CtDecisionDialog *self)
{
  gboolean eligible = !is_bulk (self) || self->plan == NULL || self->plan->eligible->len > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "decision.send",
                                 g_str_equal (self->state, "form") && eligible &&
                                 inputs_complete (self));
}

static void
show_error (CtDecisionDialog *self,
            const char       *text)
{
  g_free (self->error);
  self->error = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->error_label), text ? text : "");
  gtk_widget_set_visible (self->error_label, text != NULL);
}

/* ---- conditions ---- */

static void
remove_condition_cb (GtkButton *button,
                     GtkWidget *row)
{
  CtDecisionDialog *self = CT_DECISION_DIALOG (gtk_widget_get_root (row));

  gtk_list_box_remove (GTK_LIST_BOX (self->conditions_list), row);
  update_send (self);
}

static GtkWidget *
add_condition_row (CtDecisionDialog *self,
                   const char       *text)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  guint n = 0;

  for (GtkWidget *w = gtk_widget_get_first_child (self->conditions_list); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    n++;
  {
    g_autofree char *title = g_strdup_printf (_("Condition %u"), n + 1);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  }
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Condition"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Condition"), -1);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_condition_cb), row);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (update_send), self);
  gtk_list_box_append (GTK_LIST_BOX (self->conditions_list), row);
  update_send (self);
  return row;
}

static void
add_condition_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CtDecisionDialog *self = CT_DECISION_DIALOG (widget);

  gtk_widget_grab_focus (add_condition_row (self, NULL));
}

/* ---- delegate: search as you type ---- */

static void
clear_user_rows (CtDecisionDialog *self)
{
  GtkWidget *row = gtk_widget_get_next_sibling (self->user_entry);

  while (row != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (row);

      gtk_list_box_remove (GTK_LIST_BOX (self->users_list), row);
      row = next;
    }
}

static void
update_user_checks (CtDecisionDialog *self)
{
  for (GtkWidget *row = gtk_widget_get_next_sibling (self->user_entry); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "user-id"));
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "check");

      if (check != NULL)
        gtk_widget_set_opacity (check, id == self->target_id ? 1.0 : 0.0);
    }
}

static void
users_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CtDecisionDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = ct_decisions_search_users_finish (CT_DECISIONS (object), result,
                                                                 &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->search_cancellable);
  clear_user_rows (self);
  if (users == NULL || users->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *text = users == NULL
        ? g_strdup_printf (_("Users could not be searched: %s"), error->message)
        : g_strdup (_("No user matches"));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (GTK_LIST_BOX (self->users_list), row);
      return;
    }
  for (guint i = 0; i < users->len; i++)
    {
      const CtDecisionUser *user = users->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), user->name ? user->name : "?");
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
      g_object_set_data (G_OBJECT (row), "user-id", GSIZE_TO_POINTER ((gsize) user->id));
      g_object_set_data_full (G_OBJECT (row), "user-name", g_strdup (user->name), g_free);
      g_object_set_data (G_OBJECT (row), "check", check);
      gtk_list_box_append (GTK_LIST_BOX (self->users_list), row);
    }
  update_user_checks (self);
}

static gboolean
search_timeout_cb (gpointer data)
{
  CtDecisionDialog *self = data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->user_entry));

  self->search_timeout = 0;
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (*text == '\0')
    {
      clear_user_rows (self);
      return G_SOURCE_REMOVE;
    }
  self->search_cancellable = g_cancellable_new ();
  ct_decisions_search_users_async (self->decisions, text, 8, self->search_cancellable,
                                   users_found_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
user_entry_changed_cb (CtDecisionDialog *self)
{
  g_clear_handle_id (&self->search_timeout, g_source_remove);
  self->search_timeout = g_timeout_add (SEARCH_DELAY_MS, search_timeout_cb, self);
}

static void
user_row_activated_cb (CtDecisionDialog *self,
                       GtkListBoxRow    *row)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "user-id"));

  if (id <= 0)
    return;
  self->target_id = id;
  g_free (self->target_name);
  self->target_name = g_strdup (g_object_get_data (G_OBJECT (row), "user-name"));
  update_user_checks (self);
  update_send (self);
}

/* ---- deadline ---- */

static void
day_selected_cb (CtDecisionDialog *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (GTK_CALENDAR (self->calendar));
  g_autoptr(GDateTime) noon = g_date_time_new_local (g_date_time_get_year (day),
                                                     g_date_time_get_month (day),
                                                     g_date_time_get_day_of_month (day),
                                                     12, 0, 0);
  g_autofree char *text = g_date_time_format (noon, "%x");

  self->deadline = g_date_time_to_unix (noon);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->deadline_button), text);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->deadline_button));
}

/* ---- drafts ---- */

static void
load_draft (CtDecisionDialog *self)
{
  CtCase *c = self->cases->pdata[0];
  g_autoptr(GError) error = NULL;
  g_autoptr(CtJournalDraft) draft = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *time = NULL;
  g_autofree char *text = NULL;
  CtDecisionOutcome outcome;

  if (is_bulk (self) || self->journal == NULL)
    return;
  draft = ct_journal_load_draft (self->journal, c->key, &error);
  if (draft == NULL)
    return;
  if (draft->comment != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->comment_view)),
                              draft->comment, -1);
  if (draft->conditions != NULL && self->outcome == CT_DECISION_APPROVE_WITH_CONDITIONS)
    {
      g_auto(GStrv) lines = g_strsplit (draft->conditions, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        if (*lines[i] != '\0')
          add_condition_row (self, lines[i]);
    }
  when = g_date_time_new_from_unix_local (draft->updated_at);
  time = when ? g_date_time_format (when, "%x %H:%M") : g_strdup ("?");
  if (!ct_decision_outcome_from_string (draft->outcome, &outcome))
    outcome = self->outcome;
  text = draft->failure != NULL
    ? g_strdup_printf (_("Kept from your attempt to %s on %s, which did not go through: %s"),
                       ct_decision_outcome_label (outcome), time, draft->failure)
    : g_strdup_printf (_("Kept from your attempt to %s on %s, which was not finished."),
                       ct_decision_outcome_label (outcome), time);
  gtk_label_set_text (GTK_LABEL (self->draft_label), text);
  gtk_widget_set_visible (self->draft_box, TRUE);
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  CtDecisionDialog *self = CT_DECISION_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  GtkWidget *row;

  if (!ct_journal_discard_draft (self->journal, ((CtCase *) self->cases->pdata[0])->key, &error))
    {
      show_error (self, error->message);
      return;
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->comment_view)), "", -1);
  while ((row = gtk_widget_get_first_child (self->conditions_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->conditions_list), row);
  if (self->outcome == CT_DECISION_APPROVE_WITH_CONDITIONS)
    add_condition_row (self, NULL);
  gtk_widget_set_visible (self->draft_box, FALSE);
  update_send (self);
}

/* ---- sending ---- */

static void
set_state (CtDecisionDialog *self,
           const char       *state)
{
  gboolean sending = g_str_equal (state, "sending");

  self->state = state;
  gtk_widget_set_sensitive (self->form, !sending);
  gtk_widget_set_sensitive (self->cancel_button, !sending);
  gtk_widget_set_visible (self->spinner, sending);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), sending);
  gtk_widget_set_visible (self->progress_box, sending);
  gtk_widget_set_sensitive (self->progress_box, TRUE);
  if (g_str_equal (state, "result"))
    {
      gtk_widget_set_visible (self->cancel_button, FALSE);
      gtk_widget_set_visible (self->send_button, FALSE);
      gtk_widget_set_visible (self->close_button, TRUE);
      gtk_window_set_default_widget (GTK_WINDOW (self), self->close_button);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "result");
      gtk_widget_grab_focus (self->close_button);
    }
  update_send (self);
}

typedef enum
{
  ROW_DONE,
  ROW_FAILED,
  ROW_LEFT_OUT,
} RowKind;

static GtkWidget *
result_row (const char *title,
            const char *subtitle,
            RowKind     kind)
{
  static const char *const icons[] = { "object-select-symbolic", "dialog-error-symbolic",
                                       "action-unavailable-symbolic" };
  static const char *const classes[] = { "success", "error", "dim-label" };
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icons[kind]);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : "");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, classes[kind]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  kind == ROW_DONE ? _("Done")
                                  : kind == ROW_FAILED ? _("Failed") : _("Left out"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

static void
show_results (CtDecisionDialog *self)
{
  guint n_ok = 0;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  for (guint i = 0; i < self->results->len; i++)
    if (((CtDecisionResult *) self->results->pdata[i])->verified)
      n_ok++;

  if (!is_bulk (self))
    {
      const CtDecisionResult *r = self->results->pdata[0];

      title = g_strdup (done_title (self->outcome));
      description = g_markup_escape_text (r->summary ? r->summary : "", -1);
    }
  else
    {
      guint n_skipped = self->plan ? self->plan->skipped->len : 0;

      /* Translators: "3 of 5 cases: Approved" */
      title = n_ok == self->results->len
        ? g_strdup_printf (ngettext ("%u Case: %s", "%u Cases: %s", n_ok), n_ok,
                           done_title (self->outcome))
        : g_strdup_printf (_("%u of %u Cases: %s"), n_ok, self->results->len,
                           done_title (self->outcome));
      description = g_strdup_printf ("%s%s%s",
        n_ok < self->results->len ? _("Some were not decided: each case says why. Their comments are kept.")
                                  : _("The server shows every decision."),
        n_skipped > 0 ? " " : "",
        n_skipped > 0 ? _("Cases that were not included are listed too.") : "");

      for (guint i = 0; i < self->results->len; i++)
        {
          const CtDecisionResult *r = self->results->pdata[i];
          CtCase *c = find_case (self, r->case_key);

          gtk_list_box_append (GTK_LIST_BOX (self->results_list),
                               result_row (c ? case_name (c) : r->case_key, r->summary,
                                           r->verified ? ROW_DONE : ROW_FAILED));
        }
      for (guint i = 0; self->plan != NULL && i < self->plan->skipped->len; i++)
        {
          const CtDecisionSkip *skip = self->plan->skipped->pdata[i];
          CtCase *c = find_case (self, skip->case_key);
          g_autofree char *subtitle = g_strdup_printf (_("Not included: %s"), skip->reason);

          gtk_list_box_append (GTK_LIST_BOX (self->results_list),
                               result_row (c ? case_name (c) : skip->case_key, subtitle,
                                           ROW_LEFT_OUT));
        }
      gtk_widget_set_visible (self->results_list, TRUE);
    }
  /* The icon backs the words up: all done, some, or none. */
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->result_page),
                                 n_ok == self->results->len ? "object-select-symbolic"
                                 : n_ok > 0 ? "dialog-warning-symbolic" : "dialog-error-symbolic");
  gtk_widget_add_css_class (self->result_page, n_ok == self->results->len ? "success"
                                               : n_ok > 0 ? "warning" : "error");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->result_page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (self->result_page), description);
  set_state (self, "result");
}

static void
decided_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CtDecisionDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  CtDecisionResult *r = ct_decisions_decide_finish (CT_DECISIONS (object), result, &error);

  if (r != NULL && r->verified)
    {
      self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_decision_result_free);
      g_ptr_array_add (self->results, r);
      show_results (self);
    }
  else
    {
      g_autofree char *text = NULL;

      g_clear_pointer (&r, ct_decision_result_free);
      text = g_strdup_printf ("%s\n%s",
                              error ? error->message : _("The server’s state does not show the decision."),
                              _("What you typed is kept until you send it or discard it."));
      show_error (self, text);
      set_state (self, "form");
    }
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
progress_cb (CtDecisionResult *result,
             guint             done,
             guint             total,
             gpointer          user_data)
{
  CtDecisionDialog *self = user_data;
  g_autofree char *text = g_strdup_printf (_("Deciding %u of %u; each is read back from Odoo…"),
                                           MIN (done + 1, total), total);

  gtk_label_set_text (GTK_LABEL (self->progress_label), text);
}

static void
bulk_decided_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CtDecisionDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->results = ct_decisions_decide_bulk_finish (CT_DECISIONS (object), result, &error);
  if (self->results == NULL)
    {
      show_error (self, error->message);
      set_state (self, "form");
    }
  else
    show_results (self);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
fill_request (CtDecisionDialog  *self,
              CtDecisionRequest *request)
{
  g_free (self->comment);
  self->comment = g_strstrip (dup_comment (self));
  g_strfreev (self->conditions);
  self->conditions = dup_conditions (self);
  *request = (CtDecisionRequest) {
    .outcome = self->outcome,
    .comment = *self->comment ? self->comment : NULL,
    .conditions = (const char * const *) self->conditions,
    .target_id = self->target_id,
    .deadline = self->deadline,
  };
}

static void
start_sending (CtDecisionDialog *self)
{
  CtDecisionRequest request;

  fill_request (self, &request);
  request.confirmed = TRUE;
  show_error (self, NULL);
  gtk_label_set_text (GTK_LABEL (self->progress_label),
                      _("Sending to Odoo, then reading the record back…"));
  set_state (self, "sending");
  if (is_bulk (self))
    ct_decisions_decide_bulk_async (self->decisions, self->plan, &request, progress_cb, self, NULL,
                                    bulk_decided_cb, g_object_ref (self));
  else
    ct_decisions_decide_async (self->decisions, self->cases->pdata[0], &request, NULL, decided_cb,
                               g_object_ref (self));
}

static void
confirmation_cb (CtDecisionDialog *self,
                 const char       *response,
                 AdwMessageDialog *dialog)
{
  self->confirmation = NULL;
  if (g_str_equal (response, "send"))
    start_sending (self);
  else
    set_state (self, "form");
}

static void
ask (CtDecisionDialog *self,
     const char       *heading,
     const char       *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);

  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", send_label (self->outcome),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                              self->outcome == CT_DECISION_REJECT
                                              ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "send");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirmation_cb), self,
                           G_CONNECT_SWAPPED);
  self->confirmation = ADW_MESSAGE_DIALOG (dialog);
  set_state (self, "confirming");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  CtDecisionDialog *self = CT_DECISION_DIALOG (widget);
  CtDecisionRequest request;
  g_autofree char *question = NULL;

  /* A second activation while one is asked or sent does nothing. */
  if (!g_str_equal (self->state, "form") || !inputs_complete (self))
    return;
  fill_request (self, &request);
  if (!is_bulk (self))
    {
      CtCase *c = self->cases->pdata[0];

      if (ct_decisions_needs_confirmation (self->decisions, c, self->outcome, &question))
        {
          ask (self, _("Confirm a High-Value Approval"), question);
          return;
        }
      start_sending (self);
      return;
    }

  g_clear_pointer (&self->plan, ct_decision_plan_free);
  self->plan = ct_decisions_plan_bulk (self->decisions, self->cases, &request);
  if (self->plan->eligible->len == 0)
    {
      show_error (self, _("None of the selected cases can be decided this way: each says why."));
      update_send (self);
      return;
    }
  {
    const char *currency = common_currency (self->plan->eligible);
    g_autofree char *total = format_money (self->plan->total, currency);
    g_autofree char *heading = NULL;
    g_autofree char *body = NULL;

    /* Translators: "Approve 5 Cases?" */
    heading = g_strdup_printf (ngettext ("%s %u Case?", "%s %u Cases?", self->plan->eligible->len),
                               ct_decision_outcome_label (self->outcome), self->plan->eligible->len);
    body = self->plan->skipped->len > 0
      ? g_strdup_printf (ngettext ("Total value %s. %u selected case is left out; the list says why.",
                                   "Total value %s. %u selected cases are left out; the list says why.",
                                   self->plan->skipped->len), total, self->plan->skipped->len)
      : g_strdup_printf (_("Total value %s. Each case is sent on its own and read back."), total);
    ask (self, heading, body);
  }
}

/* ---- setup ---- */

static void
show_case (CtDecisionDialog *self)
{
  g_autofree char *facts = NULL;
  g_autofree char *subtitle = NULL;

  if (!is_bulk (self))
    {
      CtCase *c = self->cases->pdata[0];
      g_autofree char *amount = format_money (c->amount, c->currency);

      /* The reference is the heading unless the case has a title of its
       * own; the facts line does not repeat it. */
      gtk_label_set_text (GTK_LABEL (self->case_label), c->title ? c->title : case_name (c));
      if (c->title != NULL)
        facts = c->partner.name ? g_strdup_printf ("%s · %s · %s", case_name (c), c->partner.name, amount)
                                : g_strdup_printf ("%s · %s", case_name (c), amount);
      else
        facts = c->partner.name ? g_strdup_printf ("%s · %s", c->partner.name, amount)
                                : g_strdup (amount);
      subtitle = g_strdup (case_name (c));
    }
  else
    {
      /* Eligibility does not depend on the typed inputs: plan with
       * placeholders to list who is left out, and plan again on send. */
      static const char *const placeholder[] = { "-", NULL };
      CtDecisionRequest probe = {
        .outcome = self->outcome, .comment = "-", .conditions = placeholder, .target_id = 1,
      };
      g_autoptr(CtDecisionPlan) plan = ct_decisions_plan_bulk (self->decisions, self->cases, &probe);
      const char *currency = common_currency (plan->eligible);
      g_autofree char *total = format_money (plan->total, currency);
      g_autofree char *title = g_strdup_printf (ngettext ("%u case selected", "%u cases selected",
                                                          self->cases->len), self->cases->len);

      gtk_label_set_text (GTK_LABEL (self->case_label), title);
      facts = g_strdup_printf (ngettext ("%u can be decided, total value %s",
                                         "%u can be decided, total value %s",
                                         plan->eligible->len), plan->eligible->len, total);
      subtitle = g_strdup (title);
      for (guint i = 0; i < plan->skipped->len; i++)
        {
          const CtDecisionSkip *skip = plan->skipped->pdata[i];
          CtCase *c = find_case (self, skip->case_key);

          adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->skipped_group),
                                     result_row (c ? case_name (c) : skip->case_key, skip->reason,
                                                 ROW_LEFT_OUT));
        }
      gtk_widget_set_visible (self->skipped_group, plan->skipped->len > 0);
      if (plan->eligible->len == 0)
        show_error (self, _("None of the selected cases can be decided this way: each says why."));
      self->plan = g_steal_pointer (&plan);
    }
  gtk_label_set_text (GTK_LABEL (self->facts_label), facts);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
setup (CtDecisionDialog *self)
{
  CtDecisionOutcome o = self->outcome;

  adw_window_title_set_title (self->window_title, ct_decision_outcome_label (o));
  gtk_window_set_title (GTK_WINDOW (self), ct_decision_outcome_label (o));
  gtk_button_set_label (GTK_BUTTON (self->send_button), send_label (o));
  gtk_widget_add_css_class (self->send_button, o == CT_DECISION_REJECT ? "destructive-action"
                                                                       : "suggested-action");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->comment_group),
                                         comment_hint (o));
  gtk_widget_set_visible (self->conditions_group, o == CT_DECISION_APPROVE_WITH_CONDITIONS);
  gtk_widget_set_visible (self->delegate_group, o == CT_DECISION_DELEGATE);
  gtk_widget_set_visible (self->deadline_group, o != CT_DECISION_APPROVE && o != CT_DECISION_REJECT);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->deadline_row),
                               _("Unless you pick a day, the area’s service level sets it."));
  show_case (self);
  load_draft (self);
  if (o == CT_DECISION_APPROVE_WITH_CONDITIONS &&
      gtk_widget_get_first_child (self->conditions_list) == NULL)
    add_condition_row (self, NULL);

  gtk_window_set_default_widget (GTK_WINDOW (self), self->send_button);
  if (o == CT_DECISION_APPROVE_WITH_CONDITIONS)
    gtk_widget_grab_focus (gtk_widget_get_first_child (self->conditions_list));
  else if (o == CT_DECISION_DELEGATE)
    gtk_widget_grab_focus (self->user_entry);
  else if (needs_comment (o))
    gtk_widget_grab_focus (self->comment_view);
  else
    gtk_widget_grab_focus (self->send_button);
  set_state (self, "form");
}

static gboolean
ct_decision_dialog_close_request (GtkWindow *window)
{
  CtDecisionDialog *self = CT_DECISION_DIALOG (window);

  /* Sent is sent: closing cannot take it back, and the answer must be
   * read. The dialog stays until the server's state is known. */
  if (g_str_equal (self->state, "sending"))
    return TRUE;
  return GTK_WINDOW_CLASS (ct_decision_dialog_parent_class)->close_request (window);
}

static void
ct_decision_dialog_dispose (GObject *object)
{
  CtDecisionDialog *self = CT_DECISION_DIALOG (object);

  g_clear_handle_id (&self->search_timeout, g_source_remove);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CT_TYPE_DECISION_DIALOG);
  g_clear_object (&self->decisions);
  g_clear_object (&self->journal);
  G_OBJECT_CLASS (ct_decision_dialog_parent_class)->dispose (object);
}

static void
ct_decision_dialog_finalize (GObject *object)
{
  CtDecisionDialog *self = CT_DECISION_DIALOG (object);

  g_clear_pointer (&self->cases, g_ptr_array_unref);
  g_clear_pointer (&self->plan, ct_decision_plan_free);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_free (self->target_name);
  g_free (self->error);
  g_free (self->comment);
  g_strfreev (self->conditions);
  G_OBJECT_CLASS (ct_decision_dialog_parent_class)->finalize (object);
}

static void
ct_decision_dialog_class_init (CtDecisionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ct_decision_dialog_dispose;
  object_class->finalize = ct_decision_dialog_finalize;
  window_class->close_request = ct_decision_dialog_close_request;

  /* Emitted when a send ends, done or not: the window re-reads the case. */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/sysgenpro/ControlTower/dialogs/ct-decision-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, calendar);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, case_label);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, comment_group);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, comment_view);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, conditions_group);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, conditions_list);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, deadline_button);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, deadline_group);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, deadline_row);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, delegate_group);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, draft_box);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, draft_label);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, facts_label);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, form);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, result_page);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, results_list);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, send_button);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, skipped_group);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, user_entry);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, users_list);
  gtk_widget_class_bind_template_child (widget_class, CtDecisionDialog, window_title);
  gtk_widget_class_bind_template_callback (widget_class, day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, user_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, user_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "decision.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "decision.add-condition", NULL,
                                   add_condition_action);
  gtk_widget_class_install_action (widget_class, "decision.discard", NULL, discard_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "decision.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "decision.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ct_decision_dialog_init (CtDecisionDialog *self)
{
  self->state = "form";
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->comment_view)),
                            "changed", G_CALLBACK (update_send), self);
}

CtDecisionDialog *
ct_decision_dialog_new (GtkWindow         *parent,
                        CtDecisions       *decisions,
                        CtJournal         *journal,
                        GPtrArray         *cases,
                        CtDecisionOutcome  outcome)
{
  CtDecisionDialog *self;

  g_return_val_if_fail (CT_IS_DECISIONS (decisions), NULL);
  g_return_val_if_fail (cases != NULL && cases->len > 0, NULL);

  self = g_object_new (CT_TYPE_DECISION_DIALOG, "transient-for", parent, NULL);
  self->decisions = g_object_ref (decisions);
  self->journal = journal ? g_object_ref (journal) : NULL;
  self->cases = g_ptr_array_ref (cases);
  self->outcome = outcome;
  setup (self);
  return self;
}

CtDecisionOutcome
ct_decision_dialog_get_outcome (CtDecisionDialog *self)
{
  g_return_val_if_fail (CT_IS_DECISION_DIALOG (self), CT_DECISION_APPROVE);
  return self->outcome;
}

const char *
ct_decision_dialog_get_state (CtDecisionDialog *self)
{
  g_return_val_if_fail (CT_IS_DECISION_DIALOG (self), NULL);
  return self->state;
}

const char *
ct_decision_dialog_get_error (CtDecisionDialog *self)
{
  g_return_val_if_fail (CT_IS_DECISION_DIALOG (self), NULL);
  return self->error;
}

void
ct_decision_dialog_set_comment (CtDecisionDialog *self,
                                const char       *text)
{
  g_return_if_fail (CT_IS_DECISION_DIALOG (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->comment_view)),
                            text ? text : "", -1);
}

char *
ct_decision_dialog_dup_comment (CtDecisionDialog *self)
{
  g_return_val_if_fail (CT_IS_DECISION_DIALOG (self), NULL);
  return dup_comment (self);
}

void
ct_decision_dialog_add_condition (CtDecisionDialog *self,
                                  const char       *text)
{
  GtkWidget *first;

  g_return_if_fail (CT_IS_DECISION_DIALOG (self));
  /* Fill the empty row the dialog opened with before adding one. */
  first = gtk_widget_get_first_child (self->conditions_list);
  if (first != NULL && gtk_widget_get_next_sibling (first) == NULL &&
      *gtk_editable_get_text (GTK_EDITABLE (first)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (first), text);
  else
    add_condition_row (self, text);
}

GPtrArray *
ct_decision_dialog_get_results (CtDecisionDialog *self)
{
  g_return_val_if_fail (CT_IS_DECISION_DIALOG (self), NULL);
  return self->results;
}

AdwMessageDialog *
ct_decision_dialog_get_confirmation (CtDecisionDialog *self)
{
  g_return_val_if_fail (CT_IS_DECISION_DIALOG (self), NULL);
  return self->confirmation;
}
