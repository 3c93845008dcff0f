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
  gint64   manager_uid;     /* the user @manager was asked for, 0 not yet */
  CtActor  manager;         /* whether that user is a purchase manager */
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
                           _("Purchase managers"), CT_APPROVER_STATE_PENDING, 0)->actor =
    ((CtSourceDoubleValidation *)f->source)->manager;
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
read_orders (CtSourceFetch *f)
{
  GPtrArray *queues = ct_source_get_queues (f->source);

  if (queues->len == 0 || f->key != NULL)
    next_queue (f);
  else
    ct_source_fetch_latest_write (f, ((const CtQueue *)queues->pdata[0])->model, latest_done);
}

static void
has_group_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CtSourceFetch *f = user_data;
  CtSourceDoubleValidation *self = (CtSourceDoubleValidation *)f->source;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = ct_odoo_client_call_finish (CT_ODOO_CLIENT (object), result, &error);
  /* A bare boolean (08-26). Anything else leaves it unknown: the orders are
   * still worth listing. */
  if (answer != NULL && JSON_NODE_HOLDS_VALUE (answer) &&
      json_node_get_value_type (answer) == G_TYPE_BOOLEAN)
    self->manager = json_node_get_boolean (answer) ? CT_ACTOR_YOU : CT_ACTOR_SOMEONE_ELSE;
  else if (error != NULL)
    {
      g_debug ("has_group: %s", error->message);
      self->manager_uid = 0;  /* ask again next time */
    }
  read_orders (f);
}

static void
ct_source_double_validation_fetch_async (CtSource            *source,
                                         const char          *cursor,
                                         const char          *key,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  CtSourceDoubleValidation *self = (CtSourceDoubleValidation *)source;
  CtSourceFetch *f = ct_source_fetch_begin (source, cursor, key, NULL, NULL, cancellable,
                                            callback, user_data);
  CtOdooClient *client = ct_source_get_client (source);
  gint64 uid = ct_odoo_client_get_uid (client);
  g_autoptr(JsonArray) ids = NULL;
  g_autoptr(JsonObject) kwargs = NULL;

  /* Who may give the second validation is a group: ask once per user
   * whether it is ours (a user may ask about themself, 08-26). */
  if (uid <= 0 || uid == self->manager_uid || ct_source_get_queues (source)->len == 0)
    {
      read_orders (f);
      return;
    }
  self->manager_uid = uid;
  self->manager = CT_ACTOR_UNKNOWN;
  ids = json_array_new ();
  json_array_add_int_element (ids, uid);
  kwargs = json_object_new ();
  json_object_set_string_member (kwargs, "group_ext_id", "purchase.group_purchase_manager");
  ct_odoo_client_call_async (client, "res.users", "has_group", ids, kwargs, NULL,
                             ct_source_fetch_get_cancellable (f), has_group_cb, f);
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
