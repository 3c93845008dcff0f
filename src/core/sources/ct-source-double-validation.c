/* ct-source-double-validation.c - Purchase orders waiting in `to approve`
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-incident.h"
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

static void next_queue (CtSourceFetch *f);

static void
add_order (CtSourceFetch *f,
           JsonObject    *row)
{
  const CtQueue *queue = ct_source_fetch_queue (f);
  gint64 id = ct_source_get_int (row, "id");
  CtCase *c;
  g_autofree char *ref = NULL;
  JsonNode *when;

  if (id <= 0)
    return;
  c = ct_source_fetch_add_case (f, queue->model, id, row);
  /* When the order went to approval is not on the record; its confirmation
   * date (date_order) is the closest, then its creation. */
  when = json_object_get_member (row, "date_order");
  c->requested_at = when ? ct_parse_odoo_datetime (when) : 0;
  if (c->requested_at == 0 && (when = json_object_get_member (row, "create_date")) != NULL)
    c->requested_at = ct_parse_odoo_datetime (when);
  ref = g_strdup_printf ("%s:%" G_GINT64_FORMAT ":double-validation", queue->model, id);
  ct_case_add_requirement (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION, ref, 0,
                           _("Purchase managers"), CT_APPROVER_STATE_PENDING, 0);
  ct_case_update_search_text (c);
}

static void
changed_page (CtSourceFetch *f,
              JsonArray     *rows)
{
  const CtQueue *queue = ct_source_fetch_queue (f);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);

      if (JSON_NODE_HOLDS_OBJECT (row))
        ct_source_fetch_note_read (f, queue->model,
                                   ct_source_get_int (json_node_get_object (row), "id"));
    }
}

static void
queue_done (CtSourceFetch *f,
            JsonArray     *rows)
{
  f->queue++;
  next_queue (f);
}

static void
open_page (CtSourceFetch *f,
           JsonArray     *rows)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);

      if (JSON_NODE_HOLDS_OBJECT (row))
        add_order (f, json_node_get_object (row));
    }
}

static void
open_done (CtSourceFetch *f,
           JsonArray     *rows)
{
  if (f->cursor != NULL && f->key == NULL)
    {
      /* Which orders changed at all: those no longer open have been
       * approved, cancelled or reset elsewhere. Ids only: cheap. */
      g_autoptr(JsonArray) domain = json_array_new ();
      static const char *const fields[] = { "id", NULL };

      ct_source_domain_add (domain, "write_date", ">=",
                            json_node_init_string (json_node_alloc (), f->cursor));
      ct_source_fetch_read_pages (f, ct_source_fetch_queue (f)->model, domain, fields, 10000,
                                  changed_page, queue_done);
      return;
    }
  queue_done (f, NULL);
}

static void
next_queue (CtSourceFetch *f)
{
  const CtQueue *queue;
  g_autoptr(JsonArray) domain = NULL;
  g_auto(GStrv) fields = NULL;
  /* What the case needs, no more: at 100 000 orders each field costs. */
  static const char *const extra[] = { "id", "date_order", "create_date", NULL };

  /* One record's detail reads only the queues on its model. */
  while ((queue = ct_source_fetch_next_queue (f)) != NULL && f->key != NULL &&
         g_strcmp0 (queue->model, f->key_model) != 0)
    f->queue++;
  if (queue == NULL)
    {
      ct_source_fetch_return (f);
      return;
    }
  if ((domain = ct_source_fetch_queue_domain (f)) == NULL)
    return;
  if (f->key != NULL)
    ct_source_domain_add (domain, "id", "=", json_node_init_int (json_node_alloc (), f->key_id));
  else if (f->cursor != NULL)
    ct_source_domain_add (domain, "write_date", ">=",
                          json_node_init_string (json_node_alloc (), f->cursor));
  fields = ct_source_queue_fields (f->source, queue, extra);
  ct_source_fetch_read_pages (f, queue->model, domain, (const char * const *)fields, 5000,
                              open_page, open_done);
}

static void
latest_done (CtSourceFetch *f,
             JsonArray     *rows)
{
  next_queue (f);
}

static void
ct_source_double_validation_fetch_async (CtSource            *self,
                                         const char          *cursor,
                                         const char          *key,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  CtSourceFetch *f = ct_source_fetch_begin (self, cursor, key, NULL, NULL, cancellable, callback,
                                            user_data);
  GPtrArray *queues = ct_source_get_queues (self);

  if (queues->len == 0 || key != NULL)
    next_queue (f);
  else
    ct_source_fetch_latest_write (f, ((const CtQueue *)queues->pdata[0])->model, latest_done);
}

static void
ct_source_double_validation_class_init (CtSourceDoubleValidationClass *klass)
{
  CT_SOURCE_CLASS (klass)->fetch_async = ct_source_double_validation_fetch_async;
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
