/* ct-window-decisions.c - The window's side of deciding: actions, shortcuts, the dialog, the journal page
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every way to decide — the case page's bar, a queue row's context menu, a
 * multi-selection, a shortcut — names one of six window actions, and every
 * action opens the decision dialog: nothing is sent from a key press
 * alone. The actions are enabled for the case shown (the bar says why
 * not) or for the queue's selection (the dialog lists who is left out and
 * why). The state lives beside the window struct (object data), as the
 * case view's does.
 */

#define G_LOG_DOMAIN "ct-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ct-application.h"
#include "ct-connection.h"
#include "ct-decision-dialog.h"
#include "ct-journal-page.h"
#include "ct-window-case.h"
#include "ct-window-decisions.h"
#include "ct-window-private.h"

typedef struct
{
  CtDecisions      *decisions;    /* (owned) (nullable) */
  guint             session;      /* the session @decisions was made for (a freed client's
                                   * address may come back as the next one's) */
  CtJournal        *made_with;    /* (unowned) what it was made with, only compared */
  CtJournal        *demo_journal; /* (owned) (nullable) the demo keeps none on disk */
  char             *demo_dir;     /* (owned) (nullable) removed with the window */
  CtDecisionDialog *dialog;       /* (unowned) (nullable) the open one */
  gint64            revisions_at; /* the sync pass whose revisions were checked */
} DecisionsView;

typedef struct
{
  CtWindow *window;  /* (owned) */
  CtCase   *c;       /* (owned) a copy of the store's case */
} RevisionCheck;

static const struct
{
  const char        *action;
  CtDecisionOutcome  outcome;
  guint              key;
  GdkModifierType    mods;
} outcome_actions[] = {
  { "win.approve", CT_DECISION_APPROVE, GDK_KEY_Return, GDK_CONTROL_MASK },
  { "win.approve-with-conditions", CT_DECISION_APPROVE_WITH_CONDITIONS, GDK_KEY_Return,
    GDK_CONTROL_MASK | GDK_SHIFT_MASK },
  { "win.reject", CT_DECISION_REJECT, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK },
  { "win.request-revision", CT_DECISION_REVISE, GDK_KEY_b, GDK_CONTROL_MASK | GDK_SHIFT_MASK },
  { "win.escalate", CT_DECISION_ESCALATE, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK },
  { "win.delegate", CT_DECISION_DELEGATE, GDK_KEY_t, GDK_CONTROL_MASK | GDK_SHIFT_MASK },
};

static void
remove_demo_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
decisions_view_free (gpointer data)
{
  DecisionsView *view = data;

  g_clear_object (&view->decisions);
  g_clear_object (&view->demo_journal);
  if (view->demo_dir != NULL)
    remove_demo_dir (view->demo_dir);
  g_free (view->demo_dir);
  g_free (view);
}

static DecisionsView *
decisions_view (CtWindow *self)
{
  return g_object_get_data (G_OBJECT (self), "ct-decisions-view");
}

static CtJournal *
journal (CtWindow *self)
{
  DecisionsView *view = decisions_view (self);

  if (self->journal != NULL)
    return self->journal;
  if (!self->demo)
    return NULL;
  /* The demo's decisions go to a journal of their own that lives as long
   * as the window: a later demo starts from a clean simulator. */
  if (view->demo_journal == NULL)
    {
      g_autoptr(GError) error = NULL;

      g_free (view->demo_dir);
      view->demo_dir = g_dir_make_tmp ("control-tower-demo-XXXXXX", &error);
      if (view->demo_dir != NULL)
        view->demo_journal = ct_journal_open (view->demo_dir, &error);
      if (view->demo_journal == NULL)
        g_warning ("No demo journal: %s", error->message);
    }
  return view->demo_journal;
}

static char *
dup_login (CtWindow *self)
{
  CtApplication *app = CT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(CtConnection) connection = NULL;

  if (self->demo && app != NULL)
    connection = ct_application_dup_demo_connection (app);
  else
    connection = ct_connection_load (self->settings);
  return connection ? g_strdup (connection->login) : NULL;
}

static CtDecisions *
ensure_decisions (CtWindow *self)
{
  DecisionsView *view = decisions_view (self);
  CtJournal *j = journal (self);

  /* Connected means signed in: the uid decides four-eyes. */
  if (self->client == NULL || self->user_id == 0 || j == NULL)
    {
      g_clear_object (&view->decisions);
      return NULL;
    }
  if (view->decisions == NULL || view->session != self->n_sessions || view->made_with != j)
    {
      g_autofree char *login = dup_login (self);

      g_clear_object (&view->decisions);
      view->decisions = ct_decisions_new (self->client, self->profile, j, self->sync, login);
      view->session = self->n_sessions;
      view->made_with = j;
    }
  return view->decisions;
}

static CtJournalPage *
journal_page (CtWindow *self)
{
  return CT_JOURNAL_PAGE (gtk_stack_get_child_by_name (GTK_STACK (self->pages), "journal"));
}

static const char *
visible_page (CtWindow *self)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (self->pages));
}

/* The case the case page shows, as the store has it now. */
static CtCase *
shown_case (CtWindow *self)
{
  CtCasePage *page = ct_window_get_case_page (self);
  CtCase *c = ct_case_page_get_case (page);
  CtCase *fresh = c ? ct_case_store_lookup (self->store, c->key) : NULL;

  return fresh ? fresh : c;
}

/* The cases an action applies to: the case shown, or the queue's
 * selection (element-type CtCase). */
static GPtrArray *
target_cases (CtWindow *self)
{
  const char *page = visible_page (self);
  GPtrArray *cases = NULL;

  if (g_strcmp0 (page, "case") == 0)
    {
      CtCase *c = shown_case (self);

      cases = g_ptr_array_new_with_free_func (g_object_unref);
      if (c != NULL)
        g_ptr_array_add (cases, g_object_ref (c));
    }
  else if (g_strcmp0 (page, "queue") == 0)
    cases = ct_queue_page_dup_selected_cases (self->queue_page);
  return cases;
}

static char *
reason_for (CtWindow          *self,
            CtDecisions       *decisions,
            CtCase            *c,
            CtDecisionOutcome  outcome)
{
  char *reason = NULL;

  if (decisions == NULL)
    return g_strdup (_("Not connected to Odoo: a decision needs the server"));
  if (!ct_decisions_can_decide (decisions, c, outcome, &reason))
    return reason;
  /* The server would refuse anyway; say whose turn it is instead. */
  if ((outcome == CT_DECISION_APPROVE || outcome == CT_DECISION_REJECT ||
       outcome == CT_DECISION_APPROVE_WITH_CONDITIONS) &&
      !ct_case_user_can_act (c) && ct_case_waits_for_others (c))
    {
      for (guint i = 0; i < c->requirements->len; i++)
        {
          const CtRequirement *r = c->requirements->pdata[i];

          if (r->state == CT_APPROVER_STATE_PENDING && r->approver != NULL)
            return g_strdup_printf (_("This case waits for %s, not for you"), r->approver);
        }
      return g_strdup (_("This case waits for someone else, not for you"));
    }
  return NULL;
}

static void
revision_checked_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  RevisionCheck *check = user_data;
  CtWindow *self = check->window;
  g_autoptr(GError) error = NULL;
  CtCaseStatus status = ct_decisions_refresh_revision_finish (CT_DECISIONS (object), result, &error);

  /* The requester changed the record: pending again, the pause closed. */
  if (error == NULL && status == CT_CASE_STATUS_PENDING &&
      ct_case_store_lookup (self->store, check->c->key) != NULL)
    {
      g_autoptr(GPtrArray) upserts = g_ptr_array_new_with_free_func (g_object_unref);
      static const char *const none[] = { NULL };

      g_ptr_array_add (upserts, g_object_ref (check->c));
      ct_sla_update_all (self->profile, upserts, g_get_real_time () / G_USEC_PER_SEC);
      ct_case_store_apply_changes (self->store, upserts, none);
    }
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Revision of %s not checked: %s", check->c->key, error->message);
  g_object_unref (check->window);
  g_object_unref (check->c);
  g_free (check);
}

/* After each sync pass: the cases waiting for a revision whose record the
 * requester has changed since go back to pending (the sync marks them
 * from the journal; only a read of the record tells they moved). */
static void
check_revisions (CtWindow    *self,
                 CtDecisions *decisions)
{
  DecisionsView *view = decisions_view (self);
  gint64 synced_at = self->sync ? ct_sync_get_synced_at (self->sync) : 0;
  g_autoptr(GHashTable) revisions = NULL;
  GHashTableIter iter;
  gpointer key;

  if (synced_at == 0 || synced_at == view->revisions_at)
    return;
  view->revisions_at = synced_at;
  revisions = ct_journal_list_revisions (journal (self));
  g_hash_table_iter_init (&iter, revisions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      CtCase *c = ct_case_store_lookup (self->store, key);
      RevisionCheck *check;

      if (c == NULL || c->status != CT_CASE_STATUS_AWAITING_REVISION)
        continue;
      check = g_new0 (RevisionCheck, 1);
      check->window = g_object_ref (self);
      check->c = ct_case_copy (c);
      ct_decisions_refresh_revision_async (decisions, check->c, self->session_cancellable,
                                           revision_checked_cb, check);
    }
}

void
ct_window_decisions_update (CtWindow *self)
{
  DecisionsView *view = decisions_view (self);
  CtDecisions *decisions;
  CtDecisionBar *bar;
  const char *page;
  CtCase *c = NULL;
  gboolean queue_selection = FALSE;

  if (view == NULL)
    return;
  decisions = ensure_decisions (self);
  if (decisions != NULL)
    check_revisions (self, decisions);
  ct_journal_page_set_journal (journal_page (self), journal (self), self->store);
  bar = ct_case_page_get_decision_bar (ct_window_get_case_page (self));
  page = visible_page (self);
  if (g_strcmp0 (page, "case") == 0)
    c = shown_case (self);
  else if (g_strcmp0 (page, "queue") == 0)
    {
      g_autoptr(GtkBitset) selected =
        gtk_selection_model_get_selection (ct_queue_page_get_selection (self->queue_page));

      queue_selection = decisions != NULL && !gtk_bitset_is_empty (selected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (outcome_actions); i++)
    {
      CtDecisionOutcome o = outcome_actions[i].outcome;
      g_autofree char *reason = c ? reason_for (self, decisions, c, o) : NULL;

      if (c != NULL)
        ct_decision_bar_set_reason (bar, o, reason);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), outcome_actions[i].action,
                                     (c != NULL && reason == NULL) || queue_selection);
    }
}

static void
dialog_finished_cb (CtWindow         *self,
                    CtDecisionDialog *dialog)
{
  /* What the server now shows: the case re-read, the queues refreshed. */
  if (g_strcmp0 (visible_page (self), "case") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.reload-case", NULL);
  ct_window_start_refresh (self);
  ct_journal_page_reload (journal_page (self));
}

static void
dialog_destroy_cb (CtWindow  *self,
                   GtkWidget *dialog)
{
  DecisionsView *view = decisions_view (self);

  if (view != NULL && view->dialog == CT_DECISION_DIALOG (dialog))
    view->dialog = NULL;
  ct_window_decisions_update (self);
}

static void
decide_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);
  DecisionsView *view = decisions_view (self);
  CtDecisions *decisions = ensure_decisions (self);
  g_autoptr(GPtrArray) cases = NULL;
  CtDecisionOutcome outcome = CT_DECISION_APPROVE;

  /* One dialog at a time: a second shortcut brings the open one back. */
  if (view->dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (view->dialog));
      return;
    }
  if (decisions == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (outcome_actions); i++)
    if (g_str_equal (outcome_actions[i].action, action_name))
      outcome = outcome_actions[i].outcome;
  cases = target_cases (self);
  if (cases == NULL || cases->len == 0)
    return;
  view->dialog = ct_decision_dialog_new (GTK_WINDOW (self), decisions, journal (self), cases,
                                         outcome);
  g_signal_connect_object (view->dialog, "finished", G_CALLBACK (dialog_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view->dialog, "destroy", G_CALLBACK (dialog_destroy_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (view->dialog));
}

void
ct_window_decisions_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (CT_TYPE_JOURNAL_PAGE);
  for (guint i = 0; i < G_N_ELEMENTS (outcome_actions); i++)
    {
      gtk_widget_class_install_action (widget_class, outcome_actions[i].action, NULL,
                                       decide_action);
      gtk_widget_class_add_binding_action (widget_class, outcome_actions[i].key,
                                           outcome_actions[i].mods, outcome_actions[i].action,
                                           NULL);
    }
}

static void
pages_changed_cb (CtWindow *self)
{
  if (g_strcmp0 (visible_page (self), "journal") == 0)
    ct_journal_page_reload (journal_page (self));
  ct_window_decisions_update (self);
}

void
ct_window_decisions_init (CtWindow *self)
{
  DecisionsView *view = g_new0 (DecisionsView, 1);

  g_object_set_data_full (G_OBJECT (self), "ct-decisions-view", view, decisions_view_free);
  g_signal_connect_object (self->pages, "notify::visible-child-name",
                           G_CALLBACK (pages_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ct_queue_page_get_selection (self->queue_page), "selection-changed",
                           G_CALLBACK (ct_window_decisions_update), self, G_CONNECT_SWAPPED);
  ct_window_decisions_update (self);
}

CtDecisions *
ct_window_get_decisions (CtWindow *self)
{
  g_return_val_if_fail (CT_IS_WINDOW (self), NULL);
  return ensure_decisions (self);
}

CtJournal *
ct_window_get_journal (CtWindow *self)
{
  g_return_val_if_fail (CT_IS_WINDOW (self), NULL);
  return journal (self);
}

GtkWindow *
ct_window_get_decision_dialog (CtWindow *self)
{
  g_return_val_if_fail (CT_IS_WINDOW (self), NULL);
  return GTK_WINDOW (decisions_view (self)->dialog);
}
