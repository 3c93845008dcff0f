/* ct-source-approvals.c - Odoo Approvals: approval.request and its approvers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-incident.h"
#include "ct-source.h"

/* A request is open while `pending`; each approver is a requirement. With
 * a sequential category the approvers after the current one are `waiting`
 * (or still `new`): listed, but not their turn. A request changes when an
 * approver acts, so an incremental read looks at both models' write_date. */

G_DECLARE_FINAL_TYPE (CtSourceApprovals, ct_source_approvals, CT, SOURCE_APPROVALS, CtSource)

struct _CtSourceApprovals
{
  CtSource parent_instance;
};

G_DEFINE_FINAL_TYPE (CtSourceApprovals, ct_source_approvals, CT_TYPE_SOURCE)

typedef struct
{
  char          *cursor;
  char          *key;
  char          *new_cursor;
  GArray        *changed;    /* request ids to re-read; NULL for a full read */
  GHashTable    *changed_set;
  guint          queue;
  GHashTable    *open;       /* key → CtCase */
  GHashTable    *by_id;      /* request id → CtCase (unowned), current queue */
  CtSourceBatch *batch;
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_free (f->cursor);
  g_free (f->key);
  g_free (f->new_cursor);
  g_clear_pointer (&f->changed, g_array_unref);
  g_clear_pointer (&f->changed_set, g_hash_table_unref);
  g_clear_pointer (&f->by_id, g_hash_table_unref);
  g_hash_table_unref (f->open);
  ct_source_batch_free (f->batch);
  g_free (f);
}

static void next_queue (GTask *task);

static void
fail (GTask  *task,
      GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
note_changed (Fetch  *f,
              gint64  id)
{
  if (id > 0 && g_hash_table_add (f->changed_set, g_memdup2 (&id, sizeof id)))
    g_array_append_val (f->changed, id);
}

static void
finish (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  CtSourceBatch *batch = g_steal_pointer (&f->batch);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, f->open);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (batch->cases, g_object_ref (value));
  if (f->changed != NULL)
    for (guint i = 0; i < f->changed->len; i++)
      {
        char *k = ct_case_make_key ("approval.request", g_array_index (f->changed, gint64, i));

        if (!g_hash_table_contains (f->open, k))
          g_ptr_array_add (batch->gone, k);
        else
          g_free (k);
      }
  batch->complete = f->changed == NULL;
  batch->cursor = g_strdup (f->key != NULL ? f->cursor : f->new_cursor);
  g_task_return_pointer (task, batch, (GDestroyNotify)ct_source_batch_free);
  g_object_unref (task);
}

static CtApproverState
approver_state (const char *status)
{
  if (g_strcmp0 (status, "pending") == 0)
    return CT_APPROVER_STATE_PENDING;
  if (g_strcmp0 (status, "approved") == 0)
    return CT_APPROVER_STATE_APPROVED;
  if (g_strcmp0 (status, "refused") == 0 || g_strcmp0 (status, "cancel") == 0)
    return CT_APPROVER_STATE_REJECTED;
  return CT_APPROVER_STATE_WAITING;
}

static void
approvers_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);
  GHashTableIter iter;
  gpointer value;

  if (rows == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  ct_source_keep_readable (CT_SOURCE (g_task_get_source_object (task)), "approval.approver", rows);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *approver;
      gint64 request_id;
      CtCase *c;
      g_autofree char *ref = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      approver = json_node_get_object (node);
      request_id = ct_source_m2o_id (approver, "request_id");
      c = g_hash_table_lookup (f->by_id, &request_id);
      if (c == NULL)
        continue;
      ref = g_strdup_printf ("approval.approver:%" G_GINT64_FORMAT,
                             ct_source_get_int (approver, "id"));
      ct_case_add_requirement (c, CT_SOURCE_KIND_APPROVALS, ref,
                               ct_source_m2o_id (approver, "user_id"),
                               ct_source_m2o_name (approver, "user_id"),
                               approver_state (ct_source_get_string (approver, "status")),
                               (guint)ct_source_get_int (approver, "sequence"));
    }
  g_hash_table_iter_init (&iter, f->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CtCase *c = value;

      gboolean any_pending = FALSE;

      for (guint r = 0; r < c->requirements->len; r++)
        {
          CtRequirement *req = c->requirements->pdata[r];

          any_pending = any_pending || req->state == CT_APPROVER_STATE_PENDING;
        }
      /* Nobody can act yet (every approver waits for an earlier one): upcoming. */
      c->status = any_pending || c->requirements->len == 0 ? CT_CASE_STATUS_PENDING
                                                           : CT_CASE_STATUS_UPCOMING;
      ct_case_update_search_text (c);
    }
  f->queue++;
  next_queue (task);
}

static void
requests_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  CtSource *self = g_task_get_source_object (task);
  const CtQueue *queue = ct_source_get_queues (self)->pdata[f->queue];
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonArray) domain = json_array_new ();
  static const char *const fields[] = { "id", "request_id", "user_id", "status", "sequence",
                                        NULL };

  if (rows == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  ct_source_keep_readable (CT_SOURCE (g_task_get_source_object (task)), "approval.request", rows);
  g_clear_pointer (&f->by_id, g_hash_table_unref);
  f->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *row;
      gint64 id;
      CtCase *c;
      JsonNode *when;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      row = json_node_get_object (node);
      id = ct_source_get_int (row, "id");
      if (id <= 0)
        continue;
      c = ct_case_new ("approval.request", id);
      ct_case_fill_from_record (c, ct_source_get_profile (self), queue, row);
      g_free (c->queue_id);
      c->queue_id = g_strdup (queue->id);
      when = json_object_get_member (row, "date_confirmed");
      c->requested_at = when ? ct_parse_odoo_datetime (when) : 0;
      if (c->requested_at == 0 && (when = json_object_get_member (row, "create_date")) != NULL)
        c->requested_at = ct_parse_odoo_datetime (when);
      c->status = CT_CASE_STATUS_PENDING;
      g_hash_table_replace (f->open, c->key, c);
      g_hash_table_insert (f->by_id, g_memdup2 (&id, sizeof id), c);
      g_array_append_val (ids, id);
    }
  if (ids->len == 0)
    {
      f->queue++;
      next_queue (task);
      return;
    }
  ct_source_domain_add (domain, "request_id", "in", ct_source_ids_node (ids));
  ct_odoo_client_search_read_async (CT_ODOO_CLIENT (object), "approval.approver", domain, fields,
                                    "sequence, id", 0, 5000, g_task_get_cancellable (task),
                                    approvers_done, task);
}

static void
next_queue (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  CtSource *self = g_task_get_source_object (task);
  GPtrArray *queues = ct_source_get_queues (self);
  const CtQueue *queue;
  g_autoptr(JsonArray) domain = NULL;
  g_auto(GStrv) fields = NULL;
  GError *error = NULL;
  static const char *const extra[] = { "id", "date_confirmed", "create_date", NULL };

  while (f->queue < queues->len && !ct_source_queue_usable (self, queues->pdata[f->queue]))
    f->queue++;
  if (f->queue >= queues->len || (f->changed != NULL && f->changed->len == 0))
    {
      finish (task);
      return;
    }
  queue = queues->pdata[f->queue];
  domain = ct_source_queue_domain (queue, &error);
  if (domain == NULL)
    {
      fail (task, error);
      return;
    }
  if (f->changed != NULL)
    ct_source_domain_add (domain, "id", "in", ct_source_ids_node (f->changed));
  fields = ct_source_queue_fields (self, queue, extra);
  ct_odoo_client_search_read_async (ct_source_get_client (self), "approval.request", domain,
                                    (const char * const *)fields, NULL, 0, 5000,
                                    g_task_get_cancellable (task), requests_done, task);
}

static void
changed_approvers_done (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);

  if (rows == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  ct_source_keep_readable (CT_SOURCE (g_task_get_source_object (task)), "approval.approver", rows);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        note_changed (f, ct_source_m2o_id (json_node_get_object (node), "request_id"));
    }
  next_queue (task);
}

static void
changed_requests_done (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);
  g_autoptr(JsonArray) domain = json_array_new ();
  static const char *const fields[] = { "request_id", NULL };

  if (rows == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  ct_source_keep_readable (CT_SOURCE (g_task_get_source_object (task)), "approval.request", rows);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        note_changed (f, ct_source_get_int (json_node_get_object (node), "id"));
    }
  ct_source_domain_add (domain, "write_date", ">=",
                        json_node_init_string (json_node_alloc (), f->cursor));
  ct_odoo_client_search_read_async (CT_ODOO_CLIENT (object), "approval.approver", domain, fields,
                                    "id", 0, 5000, g_task_get_cancellable (task),
                                    changed_approvers_done, task);
}

static void
latest_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  CtSource *self = CT_SOURCE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) domain = json_array_new ();
  static const char *const fields[] = { "id", NULL };

  f->new_cursor = ct_source_latest_write_finish (self, result, &error);
  if (error != NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  if (f->new_cursor == NULL)
    f->new_cursor = g_strdup (f->cursor);
  if (f->cursor == NULL)
    {
      next_queue (task);
      return;
    }
  f->changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->changed_set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ct_source_domain_add (domain, "write_date", ">=",
                        json_node_init_string (json_node_alloc (), f->cursor));
  ct_odoo_client_search_read_async (ct_source_get_client (self), "approval.request", domain,
                                    fields, "id", 0, 5000, g_task_get_cancellable (task),
                                    changed_requests_done, task);
}

static void
ct_source_approvals_fetch (CtSource   *self,
                           const char *cursor,
                           const char *key,
                           GTask      *task)
{
  Fetch *f = g_new0 (Fetch, 1);

  f->cursor = g_strdup (cursor);
  f->key = g_strdup (key);
  f->open = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  f->batch = g_new0 (CtSourceBatch, 1);
  f->batch->cases = g_ptr_array_new_with_free_func (g_object_unref);
  f->batch->gone = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, f, (GDestroyNotify)fetch_free);
  if (ct_source_get_queues (self)->len == 0)
    {
      finish (task);
      return;
    }
  if (key != NULL)
    {
      g_autofree char *model = NULL;
      gint64 id = 0;

      f->changed = g_array_new (FALSE, FALSE, sizeof (gint64));
      f->changed_set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      if (ct_source_parse_key (key, &model, &id) && g_strcmp0 (model, "approval.request") == 0)
        note_changed (f, id);
      next_queue (task);
      return;
    }
  ct_source_latest_write_async (self, "approval.approver", NULL, g_task_get_cancellable (task),
                                latest_done, task);
}

static void
ct_source_approvals_class_init (CtSourceApprovalsClass *klass)
{
  CT_SOURCE_CLASS (klass)->fetch = ct_source_approvals_fetch;
}

static void
ct_source_approvals_init (CtSourceApprovals *self)
{
}

CtSource *
ct_source_approvals_new (CtOdooClient *client,
                         CtProfile    *profile)
{
  CtSource *self = g_object_new (ct_source_approvals_get_type (), NULL);
  static const char *const models[] = { "approval.request", "approval.approver", NULL };

  ct_source_setup (self, CT_SOURCE_KIND_APPROVALS, client, NULL, profile, models);
  return self;
}
