/* ct-window-case.c - The window's side of the case view: open, read, back, attachments
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window owns the connection, so it owns the CtCaseDetailReader too:
 * the case page only gets the case and, once read, its CtCaseDetail. The
 * state lives beside the window struct (object data) to keep this apart
 * from the window's own file.
 */

#define G_LOG_DOMAIN "ct-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-window-case.h"
#include "ct-window-decisions.h"
#include "ct-window-private.h"

typedef struct
{
  CtCasePage         *page;          /* (unowned) in the pages stack */
  CtCaseDetailReader *reader;        /* (owned) (nullable) */
  CtOdooClient       *reader_client; /* (unowned) what @reader was made for, only compared */
  GCancellable       *cancellable;   /* (owned) (nullable) the read in flight */
  char               *key;           /* (owned) (nullable) the case shown */
  char               *back_page;     /* (owned) (nullable) the pages child to return to */
  char               *back_title;    /* (owned) (nullable) */
  guint               store_idle;    /* the store changed: look at the open case once */
  GWeakRef            back_focus;    /* what had the focus when the case opened */
  GCancellable       *quiet;         /* (owned) (nullable) a re-read after a refresh */
} CaseView;

static void
case_view_free (gpointer data)
{
  CaseView *view = data;

  g_cancellable_cancel (view->cancellable);
  g_clear_object (&view->cancellable);
  g_cancellable_cancel (view->quiet);
  g_clear_object (&view->quiet);
  g_clear_handle_id (&view->store_idle, g_source_remove);
  g_clear_object (&view->reader);
  g_weak_ref_clear (&view->back_focus);
  g_free (view->key);
  g_free (view->back_page);
  g_free (view->back_title);
  g_free (view);
}

static CaseView *
case_view (CtWindow *self)
{
  return g_object_get_data (G_OBJECT (self), "ct-case-view");
}

static CtCaseDetailReader *
ensure_reader (CtWindow *self)
{
  CaseView *view = case_view (self);

  if (self->client == NULL)
    return NULL;
  if (view->reader == NULL || view->reader_client != self->client)
    {
      g_clear_object (&view->reader);
      view->reader = ct_case_detail_reader_new (self->client, self->profile);
      ct_case_detail_reader_set_cases (view->reader, G_LIST_MODEL (self->store));
      view->reader_client = self->client;
    }
  return view->reader;
}

/* A read ended: NULL when it was cancelled or the window went (nothing
 * to do), else the view, with the detail or the error. The view's
 * cancellable at @cancellable_offset (the read's) is dropped. */
static CaseView *
finish_read (GObject        *source,
             GAsyncResult   *result,
             CtWindow       *self,
             gsize           cancellable_offset,
             CtCaseDetail  **detail,
             GError        **error)
{
  CaseView *view;

  *detail = ct_case_detail_reader_read_finish (CT_CASE_DETAIL_READER (source), result, error);
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  view = case_view (self);
  if (view != NULL)
    g_clear_object (&G_STRUCT_MEMBER (GCancellable *, view, cancellable_offset));
  return view;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CtWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCaseDetail) detail = NULL;
  CaseView *view = finish_read (source, result, self,
                                G_STRUCT_OFFSET (CaseView, cancellable),
                                &detail, &error);

  if (view == NULL)
    return;
  if (detail == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The case could not be read from Odoo: %s"),
                                               error->message);

      ct_case_page_set_error (view->page, text);
      return;
    }
  ct_case_page_set_detail (view->page, detail);
}

static void
start_read (CtWindow *self,
            CtCase   *c)
{
  CaseView *view = case_view (self);
  CtCaseDetailReader *reader = ensure_reader (self);
  g_autofree char *amount = ct_queue_page_format_amount (self->queue_page, c);

  g_cancellable_cancel (view->cancellable);
  g_clear_object (&view->cancellable);
  g_cancellable_cancel (view->quiet);
  g_clear_object (&view->quiet);
  ct_case_page_show_loading (view->page, c, amount);
  ct_window_decisions_update (self);
  if (reader == NULL)
    {
      ct_case_page_set_error (view->page, self->connect_error ? self->connect_error
                              : _("There is no connection to Odoo."));
      return;
    }
  view->cancellable = g_cancellable_new ();
  ct_case_detail_reader_read_async (reader, c, view->cancellable, read_cb, g_object_ref (self));
}

static void
open_case_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);
  CaseView *view = case_view (self);
  const char *key = g_variant_get_string (param, NULL);
  CtCase *c = ct_case_store_lookup (self->store, key);
  const char *current = gtk_stack_get_visible_child_name (GTK_STACK (self->pages));

  if (c == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s is no longer in the tower."), key);

      gtk_widget_activate_action (widget, "win.toast", "s", text);
      return;
    }
  /* Back from a linked incident to its case: the way back stays the
   * queue (or page) the case was first opened from. */
  if (g_strcmp0 (current, "case") != 0 &&
      !(g_strcmp0 (current, "integrations") == 0 && g_strcmp0 (view->key, key) == 0))
    {
      g_free (view->back_page);
      view->back_page = g_strdup (current);
      g_free (view->back_title);
      view->back_title = g_strdup (adw_window_title_get_title (self->window_title));
      g_weak_ref_set (&view->back_focus, gtk_root_get_focus (GTK_ROOT (self)));
    }
  g_free (view->key);
  view->key = g_strdup (key);
  adw_window_title_set_title (self->window_title, c->reference ? c->reference : key);
  gtk_window_set_title (GTK_WINDOW (self), c->reference ? c->reference : key);
  gtk_stack_set_visible_child_name (GTK_STACK (self->pages), "case");
  gtk_widget_grab_focus (GTK_WIDGET (view->page));
  start_read (self, c);
}

static void
reload_case_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);
  CaseView *view = case_view (self);
  CtCase *c = view->key ? ct_case_store_lookup (self->store, view->key) : NULL;

  if (c == NULL)
    c = ct_case_page_get_case (view->page);
  if (c != NULL)
    start_read (self, c);
}

static void
close_case_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);
  CaseView *view = case_view (self);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->pages)), "case") != 0)
    return;
  g_cancellable_cancel (view->cancellable);
  g_clear_object (&view->cancellable);
  gtk_stack_set_visible_child_name (GTK_STACK (self->pages),
                                    view->back_page ? view->back_page : "overview");
  if (view->back_title != NULL)
    {
      adw_window_title_set_title (self->window_title, view->back_title);
      gtk_window_set_title (GTK_WINDOW (self), view->back_title);
    }
  /* Back where the keyboard was: the row that opened the case. */
  {
    g_autoptr(GtkWidget) focus = g_weak_ref_get (&view->back_focus);

    if (focus != NULL && gtk_widget_get_root (focus) == GTK_ROOT (self) &&
        gtk_widget_is_visible (focus) && gtk_widget_grab_focus (focus))
      return;
  }
  if (g_strcmp0 (view->back_page, "queue") == 0)
    gtk_widget_child_focus (GTK_WIDGET (self->queue_page), GTK_DIR_TAB_FORWARD);
}

static void
open_url_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  const char *url = g_variant_get_string (param, NULL);

  if (*url != '\0')
    gtk_show_uri (GTK_WINDOW (widget), url, GDK_CURRENT_TIME);
}

typedef struct
{
  CtWindow *window;      /* (owned) */
  GFile    *target;      /* (owned) (nullable) save here; open when NULL */
} AttachmentJob;

static void
attachment_job_free (AttachmentJob *job)
{
  g_clear_object (&job->window);
  g_clear_object (&job->target);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttachmentJob, attachment_job_free)

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AttachmentJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;

  file = ct_case_detail_reader_fetch_attachment_finish (CT_CASE_DETAIL_READER (source), result,
                                                         &error);
  if (file != NULL && job->target != NULL)
    {
      if (g_file_copy (file, job->target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
        {
          g_autofree char *name = g_file_get_basename (job->target);
          g_autofree char *text = g_strdup_printf (_("Saved %s"), name);

          gtk_widget_activate_action (GTK_WIDGET (job->window), "win.toast", "s", text);
        }
    }
  else if (file != NULL)
    {
      uri = g_file_get_uri (file);
      g_app_info_launch_default_for_uri (uri, NULL, &error);
    }
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The attachment could not be opened: %s"),
                                               error->message);

      gtk_widget_activate_action (GTK_WIDGET (job->window), "win.toast", "s", text);
    }
}

static void
fetch_attachment (CtWindow *self,
                  gint64    id,
                  GFile    *target)
{
  CtCaseDetailReader *reader = ensure_reader (self);
  AttachmentJob *job;

  if (reader == NULL)
    return;
  job = g_new0 (AttachmentJob, 1);
  job->window = g_object_ref (self);
  job->target = target ? g_object_ref (target) : NULL;
  ct_case_detail_reader_fetch_attachment_async (reader, id, NULL, fetched_cb, job);
}

static void
open_attachment_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  fetch_attachment (CT_WINDOW (widget), g_variant_get_int64 (param), NULL);
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  CtWindow *self = CT_WINDOW (gtk_native_dialog_get_transient_for (dialog));
  gint64 id = *(gint64 *) user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      fetch_attachment (self, id, file);
    }
  g_free (user_data);
  g_object_unref (dialog);
}

static void
save_attachment_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  CtWindow *self = CT_WINDOW (widget);
  CaseView *view = case_view (self);
  CtCaseDetail *detail = ct_case_page_get_detail (view->page);
  gint64 id = g_variant_get_int64 (param);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Save Attachment"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);
  for (guint i = 0; detail && detail->attachments && i < detail->attachments->len; i++)
    {
      const CtCaseAttachment *a = detail->attachments->pdata[i];

      if (a->id == id && a->name != NULL)
        gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), a->name);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb),
                    g_memdup2 (&id, sizeof id));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
quiet_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CtWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCaseDetail) detail = NULL;
  CaseView *view = finish_read (source, result, self,
                                G_STRUCT_OFFSET (CaseView, quiet),
                                &detail, &error);

  if (view == NULL)
    return;
  /* The page keeps what it showed when the re-read fails: a refresh is no
   * reason to replace a case with an error. */
  if (detail == NULL)
    {
      g_debug ("Re-reading the open case: %s", error->message);
      return;
    }
  /* The words sit at the top of the page, maybe scrolled away: say it once
   * where it is seen too. */
  if (detail->left_queue && ct_case_page_get_left_text (view->page) == NULL)
    {
      CtCase *c = ct_case_page_get_case (view->page);
      g_autofree char *text = g_strdup_printf (_("%s left the queue: %s"),
                                               c->reference ? c->reference : c->key,
                                               detail->left_explanation ? detail->left_explanation
                                               : _("it is no longer waiting for anyone"));

      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
    }
  ct_case_page_set_detail (view->page, detail);
}

/* After a refresh changed the store: the open case stays open, where it
 * was scrolled to. If its record changed, it is read again quietly; if it
 * left the queues (decided in Odoo, say), the re-read says how. */
static gboolean
store_idle_cb (gpointer data)
{
  CtWindow *self = data;
  CaseView *view = case_view (self);
  CtCase *shown = ct_case_page_get_case (view->page);
  CtCase *now;
  CtCaseDetailReader *reader;

  view->store_idle = 0;
  if (shown == NULL || view->key == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->pages)), "case") != 0 ||
      view->cancellable != NULL)
    return G_SOURCE_REMOVE;
  now = ct_case_store_lookup (self->store, view->key);
  if (now == shown || (now != NULL && ct_case_equal (now, shown)))
    {
      if (now != NULL && now != shown)
        ct_case_page_update_case (view->page, now);
      return G_SOURCE_REMOVE;
    }
  if (now != NULL)
    ct_case_page_update_case (view->page, now);
  reader = ensure_reader (self);
  if (reader == NULL)
    return G_SOURCE_REMOVE;
  g_cancellable_cancel (view->quiet);
  g_clear_object (&view->quiet);
  view->quiet = g_cancellable_new ();
  ct_case_detail_reader_read_async (reader, now ? now : shown, view->quiet, quiet_read_cb,
                                    g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (CtWindow *self)
{
  CaseView *view = case_view (self);

  if (view != NULL && view->store_idle == 0)
    view->store_idle = g_idle_add_full (G_PRIORITY_LOW, store_idle_cb, self, NULL);
}

void
ct_window_case_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (CT_TYPE_CASE_PAGE);
  gtk_widget_class_install_action (widget_class, "win.open-case", "s", open_case_action);
  gtk_widget_class_install_action (widget_class, "win.close-case", NULL, close_case_action);
  gtk_widget_class_install_action (widget_class, "win.reload-case", NULL, reload_case_action);
  gtk_widget_class_install_action (widget_class, "win.open-url", "s", open_url_action);
  gtk_widget_class_install_action (widget_class, "win.open-attachment", "x",
                                   open_attachment_action);
  gtk_widget_class_install_action (widget_class, "win.save-attachment", "x",
                                   save_attachment_action);
}

/* A read in flight holds the window: end it when the window goes. */
static void
window_destroy_cb (CtWindow *self)
{
  CaseView *view = case_view (self);

  if (view != NULL)
    {
      g_cancellable_cancel (view->cancellable);
      g_cancellable_cancel (view->quiet);
      g_clear_handle_id (&view->store_idle, g_source_remove);
    }
}

void
ct_window_case_init (CtWindow *self)
{
  CaseView *view = g_new0 (CaseView, 1);

  g_weak_ref_init (&view->back_focus, NULL);

  view->page = CT_CASE_PAGE (ct_case_page_new ());
  ct_case_page_set_store (view->page, self->store);
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_add_named (GTK_STACK (self->pages), GTK_WIDGET (view->page), "case");
  g_object_set_data_full (G_OBJECT (self), "ct-case-view", view, case_view_free);
  g_signal_connect (self, "destroy", G_CALLBACK (window_destroy_cb), NULL);
}

CtCasePage *
ct_window_get_case_page (CtWindow *self)
{
  g_return_val_if_fail (CT_IS_WINDOW (self), NULL);
  return case_view (self)->page;
}
