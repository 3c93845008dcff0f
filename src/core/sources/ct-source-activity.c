/* ct-source-activity.c - Approval activities: mail.activity of the profile's types
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-incident.h"
#include "ct-source.h"

/* The case is the record the activity sits on (res_model, res_id), so an
 * order with an approval activity and a tier review is one case. Odoo
 * deletes an activity when it is marked done, which no write_date shows:
 * this source always reads the open activities whole. There are few of
 * them (one per person and record), so that stays cheap. */

G_DECLARE_FINAL_TYPE (CtSourceActivity, ct_source_activity, CT, SOURCE_ACTIVITY, CtSource)

struct _CtSourceActivity
{
  CtSource parent_instance;
};

G_DEFINE_FINAL_TYPE (CtSourceActivity, ct_source_activity, CT_TYPE_SOURCE)

typedef struct
{
  char          *key;
  char          *key_model;
  gint64         key_id;
  guint          queue;
  GHashTable    *open;       /* key → CtCase */
  JsonArray     *rows;       /* the current queue's activities */
  GHashTable    *models;     /* ir.model id → model name */
  CtSourceBatch *batch;
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_free (f->key);
  g_free (f->key_model);
  g_hash_table_unref (f->open);
  g_clear_pointer (&f->rows, json_array_unref);
  g_hash_table_unref (f->models);
  ct_source_batch_free (f->batch);
  g_free (f);
}

static void next_queue (GTask *task);

static void
finish (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  CtSourceBatch *batch = g_steal_pointer (&f->batch);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, f->open);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ct_case_update_search_text (value);
      g_ptr_array_add (batch->cases, g_object_ref (value));
    }
  if (f->key != NULL && !g_hash_table_contains (f->open, f->key))
    g_ptr_array_add (batch->gone, g_strdup (f->key));
  batch->complete = f->key == NULL;
  batch->cursor = NULL;
  g_task_return_pointer (task, batch, (GDestroyNotify)ct_source_batch_free);
  g_object_unref (task);
}

static void
build (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  CtSource *self = g_task_get_source_object (task);
  const CtQueue *queue = ct_source_get_queues (self)->pdata[f->queue];
  JsonArray *rows = f->rows;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *row;
      const char *res_model;
      gint64 res_id, id;
      g_autofree char *key = NULL;
      g_autofree char *ref = NULL;
      CtCase *c;
      gint64 at;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      row = json_node_get_object (node);
      res_model = ct_source_get_string (row, "res_model");
      if (res_model == NULL)
        {
          gint64 model_id = ct_source_m2o_id (row, "res_model_id");

          res_model = g_hash_table_lookup (f->models, &model_id);
        }
      res_id = ct_source_get_int (row, "res_id");
      id = ct_source_get_int (row, "id");
      if (res_model == NULL || res_id <= 0 || id <= 0)
        continue;
      key = ct_case_make_key (res_model, res_id);
      c = g_hash_table_lookup (f->open, key);
      if (c == NULL)
        {
          c = ct_case_new (res_model, res_id);
          ct_case_fill_from_record (c, ct_source_get_profile (self), queue, row);
          g_free (c->queue_id);
          c->queue_id = g_strdup (queue->id);
          c->status = CT_CASE_STATUS_PENDING;
          g_hash_table_replace (f->open, c->key, c);
        }
      ref = g_strdup_printf ("mail.activity:%" G_GINT64_FORMAT, id);
      ct_case_add_requirement (c, CT_SOURCE_KIND_ACTIVITY, ref,
                               ct_source_m2o_id (row, "user_id"),
                               ct_source_m2o_name (row, "user_id"),
                               CT_APPROVER_STATE_PENDING, 0);
      at = json_object_has_member (row, "create_date")
           ? ct_parse_odoo_datetime (json_object_get_member (row, "create_date")) : 0;
      if (at > 0 && (c->requested_at == 0 || at < c->requested_at))
        c->requested_at = at;
    }
  g_clear_pointer (&f->rows, json_array_unref);
  f->queue++;
  next_queue (task);
}

static void
models_done (GObject      *object,
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
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      gint64 id;
      const char *model;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      id = ct_source_get_int (json_node_get_object (node), "id");
      model = ct_source_get_string (json_node_get_object (node), "model");
      if (id > 0 && model != NULL)
        g_hash_table_replace (f->models, g_memdup2 (&id, sizeof id), g_strdup (model));
    }
  build (task);
}

static void
activities_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) model_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  f->rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result, &error);
  if (f->rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  ct_source_keep_readable (CT_SOURCE (g_task_get_source_object (task)), "mail.activity", f->rows);
  /* res_model is a related field some servers leave empty: then the
   * model comes from res_model_id, through ir.model. */
  for (guint i = 0; i < json_array_get_length (f->rows); i++)
    {
      JsonNode *node = json_array_get_element (f->rows, i);
      gint64 model_id;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          ct_source_get_string (json_node_get_object (node), "res_model") != NULL)
        continue;
      model_id = ct_source_m2o_id (json_node_get_object (node), "res_model_id");
      if (model_id > 0 && !g_hash_table_contains (f->models, &model_id))
        g_array_append_val (model_ids, model_id);
    }
  if (model_ids->len > 0)
    {
      g_autoptr(JsonArray) domain = json_array_new ();
      static const char *const fields[] = { "id", "model", NULL };

      ct_source_domain_add (domain, "id", "in", ct_source_ids_node (model_ids));
      ct_odoo_client_search_read_async (CT_ODOO_CLIENT (object), "ir.model", domain, fields, NULL,
                                        0, 0, g_task_get_cancellable (task), models_done, task);
      return;
    }
  build (task);
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
  static const char *const extra[] = { "id", "res_model", "res_model_id", "res_id", "res_name",
                                       "summary",
                                       "user_id", "activity_type_id", "date_deadline",
                                       "create_date", NULL };

  while (f->queue < queues->len && !ct_source_queue_usable (self, queues->pdata[f->queue]))
    f->queue++;
  if (f->queue >= queues->len)
    {
      finish (task);
      return;
    }
  queue = queues->pdata[f->queue];
  domain = ct_source_queue_domain (queue, &error);
  if (domain == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (f->key != NULL)
    {
      ct_source_domain_add (domain, "res_model", "=",
                            json_node_init_string (json_node_alloc (), f->key_model));
      ct_source_domain_add (domain, "res_id", "=",
                            json_node_init_int (json_node_alloc (), f->key_id));
    }
  fields = ct_source_queue_fields (self, queue, extra);
  ct_odoo_client_search_read_async (ct_source_get_client (self), "mail.activity", domain,
                                    (const char * const *)fields, "id", 0, 5000,
                                    g_task_get_cancellable (task), activities_done, task);
}

static void
ct_source_activity_fetch (CtSource   *self,
                          const char *cursor,
                          const char *key,
                          GTask      *task)
{
  Fetch *f = g_new0 (Fetch, 1);

  f->key = g_strdup (key);
  if (key != NULL)
    ct_source_parse_key (key, &f->key_model, &f->key_id);
  f->open = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  f->models = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  f->batch = g_new0 (CtSourceBatch, 1);
  f->batch->cases = g_ptr_array_new_with_free_func (g_object_unref);
  f->batch->gone = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, f, (GDestroyNotify)fetch_free);
  next_queue (task);
}

static void
ct_source_activity_class_init (CtSourceActivityClass *klass)
{
  CT_SOURCE_CLASS (klass)->fetch = ct_source_activity_fetch;
}

static void
ct_source_activity_init (CtSourceActivity *self)
{
}

CtSource *
ct_source_activity_new (CtOdooClient *client,
                        CtProfile    *profile)
{
  CtSource *self = g_object_new (ct_source_activity_get_type (), NULL);
  static const char *const models[] = { "mail.activity", NULL };

  ct_source_setup (self, CT_SOURCE_KIND_ACTIVITY, client, NULL, profile, models);
  return self;
}
