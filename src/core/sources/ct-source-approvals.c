/* ct-source-approvals.c - Odoo Approvals: approval.request and its approvers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-incident.h"
#include "ct-decide.h"
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

/* The mechanism's own part of a fetch. */
typedef struct
{
  GArray     *changed;      /* request ids to re-read; NULL for a full read */
  GHashTable *changed_set;
  GHashTable *by_id;        /* request id → CtCase (unowned), current queue */
} Approvals;

static void
approvals_free (Approvals *a)
{
  g_clear_pointer (&a->changed, g_array_unref);
  g_clear_pointer (&a->changed_set, g_hash_table_unref);
  g_clear_pointer (&a->by_id, g_hash_table_unref);
  g_free (a);
}

static void next_queue (CtSourceFetch *f);

/* From here on the fetch reads only the requests noted as changed. */
static void
read_only_changed (Approvals *a)
{
  if (a->changed != NULL)
    return;
  a->changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  a->changed_set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
note_changed (CtSourceFetch *f,
              gint64         id)
{
  Approvals *a = f->data;

  read_only_changed (a);
  if (id > 0 && g_hash_table_add (a->changed_set, g_memdup2 (&id, sizeof id)))
    {
      g_array_append_val (a->changed, id);
      ct_source_fetch_note_read (f, "approval.request", id);
    }
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
approvers_done (CtSourceFetch *f,
                JsonArray     *rows)
{
  Approvals *a = f->data;
  GHashTableIter iter;
  gpointer value;

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
      c = g_hash_table_lookup (a->by_id, &request_id);
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
  g_hash_table_iter_init (&iter, a->by_id);
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
  next_queue (f);
}

static void
requests_done (CtSourceFetch *f,
               JsonArray     *rows)
{
  Approvals *a = f->data;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonArray) domain = json_array_new ();
  static const char *const fields[] = { "id", "request_id", "user_id", "status", "sequence",
                                        NULL };

  g_clear_pointer (&a->by_id, g_hash_table_unref);
  a->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
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
      c = ct_source_fetch_add_case (f, "approval.request", id, row);
      when = json_object_get_member (row, "date_confirmed");
      c->requested_at = when ? ct_parse_odoo_datetime (when) : 0;
      if (c->requested_at == 0 && (when = json_object_get_member (row, "create_date")) != NULL)
        c->requested_at = ct_parse_odoo_datetime (when);
      g_hash_table_insert (a->by_id, g_memdup2 (&id, sizeof id), c);
      g_array_append_val (ids, id);
    }
  if (ids->len == 0)
    {
      f->queue++;
      next_queue (f);
      return;
    }
  ct_source_domain_add (domain, "request_id", "in", ct_source_ids_node (ids));
  ct_source_fetch_read (f, "approval.approver", domain, fields, "sequence, id", approvers_done);
}

static void
next_queue (CtSourceFetch *f)
{
  Approvals *a = f->data;
  const CtQueue *queue = ct_source_fetch_next_queue (f);
  g_autoptr(JsonArray) domain = NULL;
  g_auto(GStrv) fields = NULL;
  static const char *const extra[] = { "id", "date_confirmed", "create_date", NULL };

  if (queue == NULL || (a->changed != NULL && a->changed->len == 0))
    {
      ct_source_fetch_return (f);
      return;
    }
  if ((domain = ct_source_fetch_queue_domain (f)) == NULL)
    return;
  if (a->changed != NULL)
    ct_source_domain_add (domain, "id", "in", ct_source_ids_node (a->changed));
  fields = ct_source_queue_fields (f->source, queue, extra);
  ct_source_fetch_read (f, "approval.request", domain, (const char * const *)fields, NULL,
                        requests_done);
}

static void
changed_approvers_done (CtSourceFetch *f,
                        JsonArray     *rows)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        note_changed (f, ct_source_m2o_id (json_node_get_object (node), "request_id"));
    }
  next_queue (f);
}

static void
changed_requests_done (CtSourceFetch *f,
                       JsonArray     *rows)
{
  g_autoptr(JsonArray) domain = json_array_new ();
  static const char *const fields[] = { "request_id", NULL };

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        note_changed (f, ct_source_get_int (json_node_get_object (node), "id"));
    }
  ct_source_domain_add (domain, "write_date", ">=",
                        json_node_init_string (json_node_alloc (), f->cursor));
  ct_source_fetch_read (f, "approval.approver", domain, fields, "id", changed_approvers_done);
}

static void
latest_done (CtSourceFetch *f,
             JsonArray     *rows)
{
  g_autoptr(JsonArray) domain = json_array_new ();
  static const char *const fields[] = { "id", NULL };

  if (f->cursor == NULL)
    {
      next_queue (f);
      return;
    }
  /* A request changes when an approver acts: both models' changes count. */
  read_only_changed (f->data);
  ct_source_domain_add (domain, "write_date", ">=",
                        json_node_init_string (json_node_alloc (), f->cursor));
  ct_source_fetch_read (f, "approval.request", domain, fields, "id", changed_requests_done);
}

static void
ct_source_approvals_fetch_async (CtSource            *self,
                                 const char          *cursor,
                                 const char          *key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CtSourceFetch *f = ct_source_fetch_begin (self, cursor, key, g_new0 (Approvals, 1),
                                            (GDestroyNotify)approvals_free, cancellable,
                                            callback, user_data);

  if (ct_source_get_queues (self)->len == 0)
    ct_source_fetch_return (f);
  else if (key != NULL)
    {
      read_only_changed (f->data);
      if (g_strcmp0 (f->key_model, "approval.request") == 0)
        note_changed (f, f->key_id);
      next_queue (f);
    }
  else
    ct_source_fetch_latest_write (f, "approval.approver", latest_done);
}

static void
ct_source_approvals_class_init (CtSourceApprovalsClass *klass)
{
  CT_SOURCE_CLASS (klass)->fetch_async = ct_source_approvals_fetch_async;
  CT_SOURCE_CLASS (klass)->apply_decision_async = ct_decide_apply_async;
  CT_SOURCE_CLASS (klass)->apply_decision_finish = ct_decide_apply_finish;
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
