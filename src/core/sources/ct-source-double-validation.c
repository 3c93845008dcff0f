/* ct-source-double-validation.c - Purchase orders waiting in `to approve`
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-incident.h"
#include "ct-decide.h"
#include "ct-source.h"

/* The order itself is the mechanism: its state says whether the second
 * validation is open, and its write_date moves whenever that state does, so
 * an incremental read sees orders approved or cancelled elsewhere. */

G_DECLARE_FINAL_TYPE (CtSourceDoubleValidation, ct_source_double_validation, CT,
                      SOURCE_DOUBLE_VALIDATION, CtSource)

struct _CtSourceDoubleValidation
{
  CtSource parent_instance;
};

G_DEFINE_FINAL_TYPE (CtSourceDoubleValidation, ct_source_double_validation, CT_TYPE_SOURCE)

typedef struct
{
  char          *cursor;      /* (nullable) what we were asked from */
  char          *key;         /* (nullable) */
  char          *key_model;
  gint64         key_id;
  char          *new_cursor;
  guint          queue;
  GHashTable    *open;        /* key → CtCase */
  GHashTable    *changed;     /* keys read as changed (incremental) */
  CtSourceBatch *batch;
} Fetch;

static void
fetch_free (Fetch *f)
{
  g_free (f->cursor);
  g_free (f->key);
  g_free (f->key_model);
  g_free (f->new_cursor);
  g_hash_table_unref (f->open);
  g_hash_table_unref (f->changed);
  ct_source_batch_free (f->batch);
  g_free (f);
}

static void next_queue (GTask *task);

static CtCase *
case_from_order (CtSource      *self,
                 const CtQueue *queue,
                 JsonObject    *row)
{
  gint64 id = ct_source_get_int (row, "id");
  CtCase *c;
  g_autofree char *ref = NULL;
  JsonNode *when;

  if (id <= 0)
    return NULL;
  c = ct_case_new (queue->model, id);
  ct_case_fill_from_record (c, ct_source_get_profile (self), queue, row);
  g_free (c->queue_id);
  c->queue_id = g_strdup (queue->id);
  /* When the order went to approval is not on the record; its confirmation
   * date (date_order) is the closest, then its creation. */
  when = json_object_get_member (row, "date_order");
  c->requested_at = when ? ct_parse_odoo_datetime (when) : 0;
  if (c->requested_at == 0 && (when = json_object_get_member (row, "create_date")) != NULL)
    c->requested_at = ct_parse_odoo_datetime (when);
  c->status = CT_CASE_STATUS_PENDING;
  ref = g_strdup_printf ("%s:%" G_GINT64_FORMAT ":double-validation", queue->model, id);
  ct_case_add_requirement (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION, ref, 0,
                           _("Purchase managers"), CT_APPROVER_STATE_PENDING, 0);
  ct_case_update_search_text (c);
  return c;
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
  g_hash_table_iter_init (&iter, f->changed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (f->open, key))
      g_ptr_array_add (batch->gone, g_strdup (key));
  if (f->key != NULL && !g_hash_table_contains (f->open, f->key))
    g_ptr_array_add (batch->gone, g_strdup (f->key));
  batch->complete = f->cursor == NULL && f->key == NULL;
  batch->cursor = f->key != NULL ? g_strdup (f->cursor) : g_strdup (f->new_cursor);
  g_task_return_pointer (task, batch, (GDestroyNotify)ct_source_batch_free);
  g_object_unref (task);
}

static void
changed_page (JsonArray *rows,
              gpointer   user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  CtSource *self = g_task_get_source_object (task);
  const CtQueue *queue = ct_source_get_queues (self)->pdata[f->queue];

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      gint64 id = JSON_NODE_HOLDS_OBJECT (row) ? ct_source_get_int (json_node_get_object (row),
                                                                    "id") : 0;

      if (id > 0)
        g_hash_table_add (f->changed, ct_case_make_key (queue->model, id));
    }
}

static void
changed_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ct_source_search_pages_finish (CT_SOURCE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  f->queue++;
  next_queue (task);
}

static void
open_page (JsonArray *rows,
           gpointer   user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  CtSource *self = g_task_get_source_object (task);
  const CtQueue *queue = ct_source_get_queues (self)->pdata[f->queue];

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      CtCase *c = JSON_NODE_HOLDS_OBJECT (row) ? case_from_order (self, queue,
                                                                  json_node_get_object (row))
                                               : NULL;

      if (c != NULL)
        g_hash_table_replace (f->open, c->key, c);
    }
}

static void
open_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  CtSource *self = CT_SOURCE (object);
  const CtQueue *queue = ct_source_get_queues (self)->pdata[f->queue];
  g_autoptr(GError) error = NULL;

  if (!ct_source_search_pages_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (f->cursor != NULL && f->key == NULL)
    {
      /* Which orders changed at all: those no longer open have been
       * approved, cancelled or reset elsewhere. Ids only: cheap. */
      g_autoptr(JsonArray) domain = json_array_new ();
      static const char *const fields[] = { "id", NULL };

      ct_source_domain_add (domain, "write_date", ">=",
                            json_node_init_string (json_node_alloc (), f->cursor));
      ct_source_search_pages_async (self, queue->model, domain, fields, 10000, changed_page, task,
                                    g_task_get_cancellable (task), changed_done, task);
      return;
    }
  f->queue++;
  next_queue (task);
}

static void
next_queue (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  CtSource *self = g_task_get_source_object (task);
  GPtrArray *queues = ct_source_get_queues (self);
  const CtQueue *queue;
  g_autoptr(JsonArray) domain = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  /* What the case needs, no more: at 100 000 orders each field costs. */
  static const char *const extra[] = { "id", "date_order", "create_date", NULL };

  while (f->queue < queues->len &&
         ((f->key != NULL &&
           g_strcmp0 (((const CtQueue *)queues->pdata[f->queue])->model, f->key_model) != 0) ||
          !ct_source_queue_usable (self, queues->pdata[f->queue])))
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
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (f->key != NULL)
    ct_source_domain_add (domain, "id", "=", json_node_init_int (json_node_alloc (), f->key_id));
  else if (f->cursor != NULL)
    ct_source_domain_add (domain, "write_date", ">=",
                          json_node_init_string (json_node_alloc (), f->cursor));
  fields = ct_source_queue_fields (self, queue, extra);
  ct_source_search_pages_async (self, queue->model, domain, (const char * const *)fields, 5000,
                                open_page, task, g_task_get_cancellable (task), open_done, task);
}

static void
latest_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *f = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  f->new_cursor = ct_source_latest_write_finish (CT_SOURCE (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (f->new_cursor == NULL)
    f->new_cursor = g_strdup (f->cursor);
  next_queue (task);
}

static void
ct_source_double_validation_fetch (CtSource   *self,
                                   const char *cursor,
                                   const char *key,
                                   GTask      *task)
{
  Fetch *f = g_new0 (Fetch, 1);
  GPtrArray *queues = ct_source_get_queues (self);

  f->cursor = g_strdup (cursor);
  f->key = g_strdup (key);
  if (key != NULL)
    ct_source_parse_key (key, &f->key_model, &f->key_id);
  f->open = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  f->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->batch = g_new0 (CtSourceBatch, 1);
  f->batch->cases = g_ptr_array_new_with_free_func (g_object_unref);
  f->batch->gone = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, f, (GDestroyNotify)fetch_free);
  if (queues->len == 0 || key != NULL)
    {
      next_queue (task);
      return;
    }
  ct_source_latest_write_async (self, ((const CtQueue *)queues->pdata[0])->model, NULL,
                                g_task_get_cancellable (task), latest_done, task);
}

static void
ct_source_double_validation_class_init (CtSourceDoubleValidationClass *klass)
{
  CT_SOURCE_CLASS (klass)->fetch = ct_source_double_validation_fetch;
  CT_SOURCE_CLASS (klass)->apply_decision = ct_decide_apply_vfunc;
}

static void
ct_source_double_validation_init (CtSourceDoubleValidation *self)
{
}

CtSource *
ct_source_double_validation_new (CtOdooClient *client,
                                 CtProfile    *profile)
{
  CtSource *self = g_object_new (ct_source_double_validation_get_type (), NULL);
  static const char *const models[] = { "purchase.order", NULL };

  ct_source_setup (self, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION, client, NULL, profile, models);
  return self;
}
