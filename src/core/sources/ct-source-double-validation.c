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
 * an incremental read sees orders approved or cancelled elsewhere (ct-sim's
 * button_cancel keeps write_date: there the reconciliation sees it). */

G_DECLARE_FINAL_TYPE (CtSourceDoubleValidation, ct_source_double_validation, CT,
                      SOURCE_DOUBLE_VALIDATION, CtSource)

struct _CtSourceDoubleValidation
{
  CtSource  parent_instance;

  char     *seen_second;   /* (nullable) the newest write_date read */
  GArray   *seen_ids;      /* (element-type gint64) the orders read at that second */
  gint64    manager_uid;   /* the user @manager was asked for, 0 not yet */
  CtActor   manager;       /* whether that user is a purchase manager */
};

G_DEFINE_FINAL_TYPE (CtSourceDoubleValidation, ct_source_double_validation, CT_TYPE_SOURCE)

static void next_queue (CtSourceFetch *f);

/* An incremental read asks for the ids of the orders whose write_date moved
 * since the cursor, whatever their state: one that was approved, cancelled
 * or reset elsewhere arrives as a change and leaves. It reads the cursor's
 * own second again (`>=`: a write later in that second is not lost) but
 * leaves out the orders already read at that second, so a refresh where
 * nothing changed is one request answering nothing. Only when something
 * changed, a second read brings those still open with their fields. The
 * cursor is the newest write_date read: no request of its own. */
typedef struct
{
  GPtrArray *changed;      /* (element-type JsonObject) the changed orders of the current queue */
  gboolean   asking;       /* has_group is out, beside the reads */
  gboolean   read_all;     /* the reads are done, waiting for has_group */
  gboolean   checking;     /* a reconciliation: the held orders' ids are being checked */
} Changes;

static void
changes_free (Changes *changes)
{
  g_ptr_array_unref (changes->changed);
  g_free (changes);
}

/* The case of one order: pure, so a full read builds it in a worker;
 * whether the user is a purchase manager is filled in on the main thread
 * (set_actors). */
static CtCase *
build_order (CtProfile     *profile,
             const CtQueue *queue,
             JsonObject    *row,
             gpointer       data)
{
  gint64 id = ct_source_get_int (row, "id");
  CtCase *c;
  char ref[128];
  JsonNode *when;

  if (id <= 0)
    return NULL;
  c = ct_source_new_case (profile, queue, queue->model, id, row);
  /* When the order went to approval is not on the record; its confirmation
   * date (date_order) is the closest, then its creation. */
  when = json_object_get_member (row, "date_order");
  c->requested_at = when ? ct_parse_odoo_datetime (when) : 0;
  if (c->requested_at == 0 && (when = json_object_get_member (row, "create_date")) != NULL)
    c->requested_at = ct_parse_odoo_datetime (when);
  g_snprintf (ref, sizeof ref, "%s:%" G_GINT64_FORMAT ":double-validation", queue->model, id);
  ct_case_add_requirement (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION, ref, 0,
                           _("Purchase managers"), CT_APPROVER_STATE_PENDING, 0)->actor =
    CT_ACTOR_UNKNOWN;
  ct_case_update_search_text (c);
  return c;
}

static void
add_order (CtSourceFetch *f,
           JsonObject    *row)
{
  CtCase *c = build_order (ct_source_get_profile (f->source), ct_source_fetch_queue (f), row,
                           NULL);

  if (c != NULL)
    ct_source_fetch_take_case (f, c);
}

/* Who may approve the orders read: known once has_group answered. */
static void
set_actors (CtSourceFetch *f)
{
  CtSourceDoubleValidation *self = CT_SOURCE_DOUBLE_VALIDATION (f->source);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, f->open);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CtCase *c = value;

      for (guint i = 0; i < c->requirements->len; i++)
        {
          CtRequirement *req = c->requirements->pdata[i];

          if (req->source == CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION)
            req->actor = self->manager;
        }
    }
}

static void
note_seen (CtSourceDoubleValidation *self,
           const char               *cursor,
           JsonObject               *row)
{
  ct_source_note_seen (&self->seen_second, self->seen_ids, cursor, row);
}

static void
queue_done (CtSourceFetch *f,
            JsonArray     *rows)
{
  CtSourceDoubleValidation *self = CT_SOURCE_DOUBLE_VALIDATION (f->source);
  Changes *changes = f->data;

  /* The orders read at the newest second, for the next read to leave out. */
  for (guint i = 0; changes != NULL && i < changes->changed->len; i++)
    note_seen (self, f->new_cursor, changes->changed->pdata[i]);
  if (changes != NULL)
    g_ptr_array_set_size (changes->changed, 0);
  f->queue++;
  next_queue (f);
}

/* The cursor is the newest write_date of @rows, and the orders read at
 * that second are left out of the next read. */
static void
cursor_page (CtSourceFetch *f,
             JsonArray     *rows)
{
  CtSourceDoubleValidation *self = CT_SOURCE_DOUBLE_VALIDATION (f->source);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (rows, i)))
      ct_source_track_cursor (&f->new_cursor, json_array_get_object_element (rows, i));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (rows, i)))
      note_seen (self, f->new_cursor, json_array_get_object_element (rows, i));
}

static void
orders_page (CtSourceFetch *f,
             JsonArray     *rows)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (rows, i)))
      add_order (f, json_array_get_object_element (rows, i));
}

static void
open_page (CtSourceFetch *f,
           JsonArray     *rows)
{
  orders_page (f, rows);
  if (f->key == NULL)
    cursor_page (f, rows);
}

static void
changed_page (CtSourceFetch *f,
              JsonArray     *rows)
{
  const CtQueue *queue = ct_source_fetch_queue (f);
  Changes *changes = f->data;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      JsonObject *order;

      if (!JSON_NODE_HOLDS_OBJECT (row))
        continue;
      order = json_node_get_object (row);
      ct_source_fetch_note_read (f, queue->model, ct_source_get_int (order, "id"));
      ct_source_track_cursor (&f->new_cursor, order);
      g_ptr_array_add (changes->changed, json_object_ref (order));
    }
}

/* Something changed: the same orders again, those still open only, with
 * what their cases need. An id list would make the server test every
 * order against it; the same "changed since" does not. */
static void
changed_done (CtSourceFetch *f,
              JsonArray     *rows)
{
  CtSourceDoubleValidation *self = CT_SOURCE_DOUBLE_VALIDATION (f->source);
  Changes *changes = f->data;
  const CtQueue *queue = ct_source_fetch_queue (f);
  g_autoptr(JsonArray) domain = NULL;
  g_auto(GStrv) fields = NULL;
  static const char *const extra[] = { "id", "date_order", "create_date", "write_date", NULL };

  if (changes->changed->len == 0)
    {
      queue_done (f, NULL);
      return;
    }
  if ((domain = ct_source_fetch_queue_domain (f)) == NULL)
    return;
  ct_source_domain_changed_since (domain, f->cursor, self->seen_second, self->seen_ids);
  fields = ct_source_queue_fields (f->source, queue, extra);
  ct_source_fetch_read_pages (f, queue->model, domain, (const char * const *)fields, 5000,
                              open_page, queue_done);
}

static void check_next (CtSourceFetch *f);

static void
fetch_end (CtSourceFetch *f)
{
  Changes *changes = f->data;

  if (f->key == NULL && f->new_cursor == NULL)
    f->new_cursor = g_strdup (f->cursor);
  changes->read_all = TRUE;
  if (!changes->asking)
    {
      set_actors (f);
      ct_source_fetch_return (f);
    }
}

static void
checked_queue_done (CtSourceFetch *f,
                    JsonArray     *rows)
{
  f->queue++;
  check_next (f);
}

/* Orders open that no read brought (a change the cursor missed): read in
 * full, like a refresh would have. */
static void
checked (CtSourceFetch *f,
         JsonArray     *missed)
{
  const CtQueue *queue = ct_source_fetch_queue (f);
  g_autoptr(JsonArray) domain = NULL;
  g_autoptr(GArray) ids = NULL;
  g_auto(GStrv) fields = NULL;
  static const char *const extra[] = { "id", "date_order", "create_date", "write_date", NULL };

  if (json_array_get_length (missed) == 0)
    {
      checked_queue_done (f, NULL);
      return;
    }
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < json_array_get_length (missed); i++)
    {
      gint64 id = ct_source_get_int (json_array_get_object_element (missed, i), "id");

      g_array_append_val (ids, id);
    }
  if ((domain = ct_source_fetch_queue_domain (f)) == NULL)
    return;
  ct_source_domain_add (domain, "id", "in", ct_source_ids_node (ids));
  fields = ct_source_queue_fields (f->source, queue, extra);
  ct_source_fetch_read_pages (f, queue->model, domain, (const char * const *)fields, 5000,
                              open_page, checked_queue_done);
}

/* A reconciliation, after the changes: which held orders are still open,
 * by id only (a deleted order leaves no write_date to find). */
static void
check_next (CtSourceFetch *f)
{
  const CtQueue *queue = ct_source_fetch_next_queue (f);
  GPtrArray *queues = ct_source_get_queues (f->source);
  g_autoptr(JsonArray) domain = NULL;

  if (queue == NULL)
    {
      fetch_end (f);
      return;
    }
  /* One check per model: a second queue on a model checked already adds
   * nothing (its orders were in the first one's union). */
  for (guint i = 0; i < f->queue; i++)
    if (g_strcmp0 (((const CtQueue *)queues->pdata[i])->model, queue->model) == 0)
      {
        checked_queue_done (f, NULL);
        return;
      }
  domain = json_array_new ();
  for (guint i = f->queue; i < queues->len; i++)
    {
      const CtQueue *other = queues->pdata[i];
      g_autoptr(JsonArray) part = NULL;
      guint n;

      if (g_strcmp0 (other->model, queue->model) != 0 ||
          !ct_source_queue_usable (f->source, other))
        continue;
      if ((part = ct_source_queue_domain (other, NULL)) == NULL ||
          (n = json_array_get_length (part)) == 0)
        {
          /* a queue over all the model's records: all of them */
          json_array_unref (domain);
          domain = json_array_new ();
          break;
        }
      /* OR of the queues' domains, each an AND of its terms (prefix form). */
      if (json_array_get_length (domain) > 0)
        {
          g_autoptr(JsonArray) joined = json_array_new ();

          json_array_add_string_element (joined, "|");
          for (guint k = 0; k < json_array_get_length (domain); k++)
            json_array_add_element (joined, json_node_copy (json_array_get_element (domain, k)));
          json_array_unref (domain);
          domain = json_array_ref (joined);
        }
      for (guint k = 1; k < n; k++)
        json_array_add_string_element (domain, "&");
      for (guint k = 0; k < n; k++)
        json_array_add_element (domain, json_node_copy (json_array_get_element (part, k)));
    }
  ct_source_fetch_check_known (f, queue->model, domain, "id", queue->model, checked);
}

static void
next_queue (CtSourceFetch *f)
{
  CtSourceDoubleValidation *self = CT_SOURCE_DOUBLE_VALIDATION (f->source);
  const CtQueue *queue;
  g_autoptr(JsonArray) domain = NULL;
  g_auto(GStrv) fields = NULL;
  /* What the case needs, no more: at 100 000 orders each field costs. */
  static const char *const extra[] = { "id", "date_order", "create_date", "write_date", NULL };

  /* One record's detail reads only the queues on its model. */
  while ((queue = ct_source_fetch_next_queue (f)) != NULL && f->key != NULL &&
         g_strcmp0 (queue->model, f->key_model) != 0)
    f->queue++;
  if (queue == NULL)
    {
      Changes *changes = f->data;

      if (f->known != NULL && !changes->checking)
        {
          changes->checking = TRUE;
          f->queue = 0;
          check_next (f);
          return;
        }
      fetch_end (f);
      return;
    }
  if (f->cursor != NULL && f->key == NULL)
    {
      /* Which orders changed at all, whatever their state: ids only. */
      static const char *const changed_fields[] = { "id", "write_date", NULL };

      domain = json_array_new ();
      ct_source_domain_changed_since (domain, f->cursor, self->seen_second, self->seen_ids);
      ct_source_fetch_read_pages (f, queue->model, domain, changed_fields, 10000, changed_page,
                                  changed_done);
      return;
    }
  fields = ct_source_queue_fields (f->source, queue, extra);
  if ((domain = ct_source_fetch_queue_domain (f)) == NULL)
    return;
  if (f->key != NULL)
    {
      ct_source_domain_add (domain, "id", "=", json_node_init_int (json_node_alloc (), f->key_id));
      ct_source_fetch_read_pages (f, queue->model, domain, (const char * const *)fields, 5000,
                                  open_page, queue_done);
      return;
    }
  /* A full read: the ids and their write_dates first (the cursor, as of
   * before the orders are read: an order written meanwhile is newer and
   * comes with the next refresh), then the orders in id ranges, several at
   * once, so the server builds a chunk while the client reads another. */
  ct_source_fetch_read_chunks (f, queue->model, domain, (const char * const *)fields, 5000,
                               cursor_page, build_order, NULL, queue_done);
}


static void
has_group_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CtSourceFetch *f = user_data;
  CtSourceDoubleValidation *self = CT_SOURCE_DOUBLE_VALIDATION (f->source);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  Changes *changes;

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
  if (ct_source_fetch_is_over (f))
    {
      ct_source_fetch_release (f);
      return;
    }
  /* The orders read meanwhile learn who may approve them when all are in. */
  changes = f->data;
  changes->asking = FALSE;
  if (changes->read_all)
    {
      set_actors (f);
      ct_source_fetch_return (f);
    }
  ct_source_fetch_release (f);
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
  Changes *changes = g_new0 (Changes, 1);
  CtSourceFetch *f;
  CtOdooClient *client = ct_source_get_client (source);
  gint64 uid = ct_odoo_client_get_uid (client);
  g_autoptr(JsonArray) ids = NULL;
  g_autoptr(JsonObject) kwargs = NULL;

  changes->changed = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  f = ct_source_fetch_begin (source, cursor, key, changes, (GDestroyNotify) changes_free,
                             cancellable, callback, user_data);
  /* Who may give the second validation is a group: ask once per user
   * whether it is ours (a user may ask about themself, 08-26), beside
   * the reads rather than before them. */
  if (uid > 0 && uid != self->manager_uid && ct_source_get_queues (source)->len > 0)
    {
      self->manager_uid = uid;
      self->manager = CT_ACTOR_UNKNOWN;
      ids = json_array_new ();
      json_array_add_int_element (ids, uid);
      kwargs = json_object_new ();
      json_object_set_string_member (kwargs, "group_ext_id", "purchase.group_purchase_manager");
      changes->asking = TRUE;
      ct_source_fetch_hold (f);
      ct_odoo_client_call_async (client, "res.users", "has_group", ids, kwargs, NULL,
                                 ct_source_fetch_get_cancellable (f), has_group_cb, f);
    }
  next_queue (f);
}

static void
ct_source_double_validation_finalize (GObject *object)
{
  CtSourceDoubleValidation *self = CT_SOURCE_DOUBLE_VALIDATION (object);

  g_free (self->seen_second);
  g_array_unref (self->seen_ids);
  G_OBJECT_CLASS (ct_source_double_validation_parent_class)->finalize (object);
}

static void
ct_source_double_validation_class_init (CtSourceDoubleValidationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_source_double_validation_finalize;
  CT_SOURCE_CLASS (klass)->fetch_async = ct_source_double_validation_fetch_async;
  CT_SOURCE_CLASS (klass)->reconciles_by_id = TRUE;
  CT_SOURCE_CLASS (klass)->apply_decision_async = ct_decide_apply_async;
  CT_SOURCE_CLASS (klass)->apply_decision_finish = ct_decide_apply_finish;
}

static void
ct_source_double_validation_init (CtSourceDoubleValidation *self)
{
  self->seen_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
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
