/* ct-source-tier.c - OCA tier validation: tier.review and the record it reviews
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-incident.h"
#include "ct-source.h"

/* A review `pending` is a requirement open now; `waiting` is one whose turn
 * has not come (an earlier tier first), shown as upcoming. A record with no
 * pending review but a waiting one is an upcoming case. */

G_DECLARE_FINAL_TYPE (CtSourceTier, ct_source_tier, CT, SOURCE_TIER, CtSource)

struct _CtSourceTier
{
  CtSource parent_instance;
};

G_DEFINE_FINAL_TYPE (CtSourceTier, ct_source_tier, CT_TYPE_SOURCE)

typedef struct
{
  char          *cursor;
  char          *key;
  char          *new_cursor;
  GHashTable    *affected;   /* model → GArray of ids; NULL for a full read */
  guint          queue;
  GHashTable    *reviews;    /* record id → GPtrArray of JsonObject, for the current queue */
  GHashTable    *open;       /* key → CtCase */
  CtSourceBatch *batch;
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_free (f->cursor);
  g_free (f->key);
  g_free (f->new_cursor);
  g_clear_pointer (&f->affected, g_hash_table_unref);
  g_clear_pointer (&f->reviews, g_hash_table_unref);
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
add_affected (Fetch      *f,
              const char *model,
              gint64      id)
{
  GArray *ids = g_hash_table_lookup (f->affected, model);

  if (ids == NULL)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (f->affected, g_strdup (model), ids);
    }
  g_array_append_val (ids, id);
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
  if (f->affected != NULL)
    {
      g_hash_table_iter_init (&iter, f->affected);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          GArray *ids = value;

          for (guint i = 0; i < ids->len; i++)
            {
              char *k = ct_case_make_key (key, g_array_index (ids, gint64, i));

              if (!g_hash_table_contains (f->open, k))
                g_ptr_array_add (batch->gone, k);
              else
                g_free (k);
            }
        }
    }
  batch->complete = f->affected == NULL;
  batch->cursor = g_strdup (f->key != NULL ? f->cursor : f->new_cursor);
  g_task_return_pointer (task, batch, (GDestroyNotify)ct_source_batch_free);
  g_object_unref (task);
}

static CtApproverState
review_state (const char *status)
{
  if (g_strcmp0 (status, "pending") == 0)
    return CT_APPROVER_STATE_PENDING;
  if (g_strcmp0 (status, "approved") == 0)
    return CT_APPROVER_STATE_APPROVED;
  if (g_strcmp0 (status, "rejected") == 0)
    return CT_APPROVER_STATE_REJECTED;
  return CT_APPROVER_STATE_WAITING;
}

static void
records_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  CtSource *self = CT_SOURCE (object);
  const CtQueue *queue = ct_source_get_queues (self)->pdata[f->queue];
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_source_read_ids_finish (self, result, &error);

  if (rows == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *row;
      gint64 id;
      GPtrArray *reviews;
      CtCase *c;
      gboolean any_pending = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      row = json_node_get_object (node);
      id = ct_source_get_int (row, "id");
      reviews = g_hash_table_lookup (f->reviews, &id);
      if (id <= 0 || reviews == NULL)
        continue;
      c = ct_case_new (queue->model, id);
      ct_case_fill_from_record (c, ct_source_get_profile (self), queue, row);
      g_free (c->queue_id);
      c->queue_id = g_strdup (queue->id);
      for (guint r = 0; r < reviews->len; r++)
        {
          JsonObject *review = reviews->pdata[r];
          g_autofree char *ref = g_strdup_printf ("tier.review:%" G_GINT64_FORMAT,
                                                  ct_source_get_int (review, "id"));
          const char *who = ct_source_get_string (review, "todo_by");
          CtApproverState state = review_state (ct_source_get_string (review, "status"));
          JsonNode *created = json_object_get_member (review, "create_date");
          gint64 at = created ? ct_parse_odoo_datetime (created) : 0;

          if (who == NULL)
            who = ct_source_m2o_name (review, "reviewer_id");
          ct_case_add_requirement (c, CT_SOURCE_KIND_TIER_VALIDATION, ref,
                                   ct_source_m2o_id (review, "reviewer_id"), who, state,
                                   (guint)ct_source_get_int (review, "sequence"));
          any_pending = any_pending || state == CT_APPROVER_STATE_PENDING;
          /* The clock starts when the first review was requested. */
          if (at > 0 && (c->requested_at == 0 || at < c->requested_at))
            c->requested_at = at;
        }
      if (c->requested_at == 0 && json_object_has_member (row, "create_date"))
        c->requested_at = ct_parse_odoo_datetime (json_object_get_member (row, "create_date"));
      c->status = any_pending ? CT_CASE_STATUS_PENDING : CT_CASE_STATUS_UPCOMING;
      ct_case_update_search_text (c);
      g_hash_table_replace (f->open, c->key, c);
    }
  f->queue++;
  next_queue (task);
}

static void
reviews_done (GObject      *object,
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
  g_auto(GStrv) fields = NULL;
  static const char *const extra[] = { "id", "create_date", NULL };

  if (rows == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  ct_source_keep_readable (CT_SOURCE (g_task_get_source_object (task)), "tier.review", rows);
  g_clear_pointer (&f->reviews, g_hash_table_unref);
  f->reviews = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                      (GDestroyNotify)g_ptr_array_unref);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *review;
      gint64 res_id;
      GPtrArray *list;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      review = json_node_get_object (node);
      res_id = ct_source_get_int (review, "res_id");
      if (res_id <= 0 || g_strcmp0 (ct_source_get_string (review, "model"), queue->model) != 0)
        continue;
      list = g_hash_table_lookup (f->reviews, &res_id);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
          g_hash_table_insert (f->reviews, g_memdup2 (&res_id, sizeof res_id), list);
          g_array_append_val (ids, res_id);
        }
      g_ptr_array_add (list, json_object_ref (review));
    }
  if (ids->len == 0)
    {
      f->queue++;
      next_queue (task);
      return;
    }
  fields = ct_source_queue_fields (self, queue, extra);
  ct_source_read_ids_async (self, queue->model, ids, (const char * const *)fields,
                            g_task_get_cancellable (task), records_done, task);
}

static void
next_queue (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  CtSource *self = g_task_get_source_object (task);
  GPtrArray *queues = ct_source_get_queues (self);
  const CtQueue *queue;
  g_autoptr(JsonArray) domain = NULL;
  GError *error = NULL;
  GArray *ids = NULL;
  static const char *const fields[] = { "id", "model", "res_id", "status", "sequence",
                                        "reviewer_id", "todo_by", "create_date", NULL };

  for (; f->queue < queues->len; f->queue++)
    {
      queue = queues->pdata[f->queue];
      if (!ct_source_queue_usable (self, queue))
        continue;
      if (f->affected == NULL)
        break;
      ids = g_hash_table_lookup (f->affected, queue->model);
      if (ids != NULL && ids->len > 0)
        break;
    }
  if (f->queue >= queues->len)
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
  ct_source_domain_add (domain, "model", "=", json_node_init_string (json_node_alloc (),
                                                                     queue->model));
  if (ids != NULL)
    ct_source_domain_add (domain, "res_id", "in", ct_source_ids_node (ids));
  ct_odoo_client_search_read_async (ct_source_get_client (self), "tier.review", domain, fields,
                                    "id", 0, 5000, g_task_get_cancellable (task), reviews_done,
                                    task);
}

static void
changed_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (rows == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }
  ct_source_keep_readable (CT_SOURCE (g_task_get_source_object (task)), "tier.review", rows);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *review;
      const char *model;
      gint64 res_id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      review = json_node_get_object (node);
      model = ct_source_get_string (review, "model");
      res_id = ct_source_get_int (review, "res_id");
      if (model != NULL && res_id > 0 &&
          g_hash_table_add (seen, ct_case_make_key (model, res_id)))
        add_affected (f, model, res_id);
    }
  next_queue (task);
}

static void
latest_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  CtSource *self = CT_SOURCE (object);
  GPtrArray *queues = ct_source_get_queues (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) domain = json_array_new ();
  g_autoptr(JsonArray) models = json_array_new ();
  static const char *const fields[] = { "model", "res_id", NULL };

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
  /* Reviews touched since the cursor, whatever their status: a review
   * approved elsewhere is how a case leaves. */
  f->affected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify)g_array_unref);
  for (guint i = 0; i < queues->len; i++)
    json_array_add_string_element (models, ((const CtQueue *)queues->pdata[i])->model);
  ct_source_domain_add (domain, "model", "in", json_node_init_array (json_node_alloc (), models));
  ct_source_domain_add (domain, "write_date", ">=",
                        json_node_init_string (json_node_alloc (), f->cursor));
  ct_odoo_client_search_read_async (ct_source_get_client (self), "tier.review", domain, fields,
                                    "id", 0, 5000, g_task_get_cancellable (task), changed_done,
                                    task);
}

static void
ct_source_tier_fetch (CtSource   *self,
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
      gint64 id;

      ct_source_parse_key (key, &model, &id);
      f->affected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify)g_array_unref);
      add_affected (f, model, id);
      next_queue (task);
      return;
    }
  ct_source_latest_write_async (self, "tier.review", NULL, g_task_get_cancellable (task),
                                latest_done, task);
}

static void
ct_source_tier_class_init (CtSourceTierClass *klass)
{
  CT_SOURCE_CLASS (klass)->fetch = ct_source_tier_fetch;
}

static void
ct_source_tier_init (CtSourceTier *self)
{
}

CtSource *
ct_source_tier_new (CtOdooClient *client,
                    CtProfile    *profile)
{
  CtSource *self = g_object_new (ct_source_tier_get_type (), NULL);
  static const char *const models[] = { "tier.review", "tier.definition", NULL };

  ct_source_setup (self, CT_SOURCE_KIND_TIER_VALIDATION, client, NULL, profile, models);
  return self;
}
