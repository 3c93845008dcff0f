/* ct-source-tier.c - OCA tier validation: tier.review and the record it reviews
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-incident.h"
#include "ct-decide.h"
#include "ct-source.h"

/* A review `pending` is a requirement open now; `waiting` is one whose turn
 * has not come (an earlier tier first), shown as upcoming. A record with no
 * pending review but a waiting one is an upcoming case. */

G_DECLARE_FINAL_TYPE (CtSourceTier, ct_source_tier, CT, SOURCE_TIER, CtSource)

struct _CtSourceTier
{
  CtSource  parent_instance;

  char     *seen_second;   /* (nullable) the newest review write_date read */
  GArray   *seen_ids;      /* (element-type gint64) the reviews read at that second */
};

G_DEFINE_FINAL_TYPE (CtSourceTier, ct_source_tier, CT_TYPE_SOURCE)

/* The mechanism's own part of a fetch. The queues are read at once, each
 * its reviews then their records; the fetch ends when the last is in. */
typedef struct
{
  GHashTable *affected;   /* model → GArray of ids; NULL for a full read */
  GPtrArray  *reviews;    /* per queue: record id → GPtrArray of JsonObject */
  guint       running;    /* queues still reading */
} Tier;

static void
tier_free (Tier *t)
{
  g_clear_pointer (&t->affected, g_hash_table_unref);
  g_clear_pointer (&t->reviews, g_ptr_array_unref);
  g_free (t);
}

static void read_queues (CtSourceFetch *f);

/* Ends the fetch; with no review read the cursor stays where it was. */
static void
tier_return (CtSourceFetch *f)
{
  if (f->key == NULL && f->new_cursor == NULL)
    f->new_cursor = g_strdup (f->cursor);
  ct_source_fetch_return (f);
}

static void
add_affected (CtSourceFetch *f,
              const char    *model,
              gint64         id)
{
  Tier *t = f->data;
  GArray *ids;

  if (t->affected == NULL)
    t->affected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_array_unref);
  ids = g_hash_table_lookup (t->affected, model);
  if (ids == NULL)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (t->affected, g_strdup (model), ids);
    }
  g_array_append_val (ids, id);
  ct_source_fetch_note_read (f, model, id);
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

/* One queue is read through. */
static void
queue_done (CtSourceFetch *f)
{
  Tier *t = f->data;

  if (--t->running == 0)
    tier_return (f);
}

static void
records_done (CtSourceFetch *f,
              JsonArray     *rows)
{
  Tier *t = f->data;
  const CtQueue *queue = ct_source_fetch_queue (f);
  GHashTable *by_record = t->reviews->pdata[f->queue];

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
      reviews = g_hash_table_lookup (by_record, &id);
      if (id <= 0 || reviews == NULL)
        continue;
      c = ct_source_fetch_add_case (f, queue->model, id, row);
      for (guint r = 0; r < reviews->len; r++)
        {
          JsonObject *review = reviews->pdata[r];
          g_autofree char *ref = g_strdup_printf ("tier.review:%" G_GINT64_FORMAT,
                                                  ct_source_get_int (review, "id"));
          const char *who = ct_source_get_string (review, "todo_by");
          CtApproverState state = review_state (ct_source_get_string (review, "status"));
          JsonNode *created = json_object_get_member (review, "create_date");
          gint64 at = created ? ct_parse_odoo_datetime (created) : 0;
          JsonNode *can = json_object_get_member (review, "can_review");
          CtRequirement *req;

          if (who == NULL)
            who = ct_source_m2o_name (review, "reviewer_id");
          req = ct_case_add_requirement (c, CT_SOURCE_KIND_TIER_VALIDATION, ref,
                                         ct_source_m2o_id (review, "reviewer_id"), who, state,
                                         (guint)ct_source_get_int (review, "sequence"));
          /* The server knows who may review (a user, a group, a field of the
           * record): can_review answers for the signed-in user. */
          if (can != NULL && JSON_NODE_HOLDS_VALUE (can) &&
              json_node_get_value_type (can) == G_TYPE_BOOLEAN)
            req->actor = json_node_get_boolean (can) ? CT_ACTOR_YOU : CT_ACTOR_SOMEONE_ELSE;
          any_pending = any_pending || state == CT_APPROVER_STATE_PENDING;
          /* The clock starts when the first review was requested. */
          if (at > 0 && (c->requested_at == 0 || at < c->requested_at))
            c->requested_at = at;
        }
      if (c->requested_at == 0 && json_object_has_member (row, "create_date"))
        c->requested_at = ct_parse_odoo_datetime (json_object_get_member (row, "create_date"));
      c->status = any_pending ? CT_CASE_STATUS_PENDING : CT_CASE_STATUS_UPCOMING;
      ct_case_update_search_text (c);
    }
  queue_done (f);
}

static void
reviews_done (CtSourceFetch *f,
              JsonArray     *rows)
{
  Tier *t = f->data;
  const CtQueue *queue = ct_source_fetch_queue (f);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) fields = NULL;
  static const char *const extra[] = { "id", "create_date", NULL };
  GHashTable *by_record = t->reviews->pdata[f->queue];

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *review;
      gint64 res_id;
      GPtrArray *list;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      review = json_node_get_object (node);
      /* A full read takes its cursor from the reviews it reads: no request
       * of its own (the newest open review is no later than the newest). */
      if (f->cursor == NULL && f->key == NULL)
        ct_source_track_cursor (&f->new_cursor, review);
      res_id = ct_source_get_int (review, "res_id");
      if (res_id <= 0 || g_strcmp0 (ct_source_get_string (review, "model"), queue->model) != 0)
        continue;
      list = g_hash_table_lookup (by_record, &res_id);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
          g_hash_table_insert (by_record, g_memdup2 (&res_id, sizeof res_id), list);
          g_array_append_val (ids, res_id);
        }
      g_ptr_array_add (list, json_object_ref (review));
    }
  if (ids->len == 0)
    {
      queue_done (f);
      return;
    }
  fields = ct_source_queue_fields (f->source, queue, extra);
  ct_source_fetch_read_ids (f, queue->model, ids, (const char * const *)fields, records_done);
}

static void
unref_domain (gpointer domain)
{
  if (domain != NULL)
    json_array_unref (domain);
}

/* Asks every queue's reviews at once (an incremental read only the
 * queues whose records' reviews changed); each queue then reads its
 * records, and the merge does not depend on which answers first: cases are
 * keyed, and each queue keeps its own reviews. */
static void
read_queues (CtSourceFetch *f)
{
  Tier *t = f->data;
  GPtrArray *queues = ct_source_get_queues (f->source);
  static const char *const fields[] = { "id", "model", "res_id", "status", "sequence",
                                        "reviewer_id", "todo_by", "create_date", "write_date",
                                        "can_review", NULL };
  g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func (unref_domain);

  t->reviews = g_ptr_array_new_with_free_func ((GDestroyNotify)g_hash_table_unref);
  for (guint i = 0; i < queues->len; i++)
    g_ptr_array_add (t->reviews, g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        (GDestroyNotify)g_ptr_array_unref));
  /* Every domain first: a queue whose domain is broken fails the fetch
   * before anything is asked. */
  for (f->queue = 0; f->queue < queues->len; f->queue++)
    {
      const CtQueue *queue = queues->pdata[f->queue];
      GArray *ids = NULL;
      JsonArray *domain;

      g_ptr_array_add (domains, NULL);
      /* An incremental read looks only at the records whose reviews changed. */
      if (!ct_source_queue_usable (f->source, queue) ||
          (t->affected != NULL &&
           ((ids = g_hash_table_lookup (t->affected, queue->model)) == NULL || ids->len == 0)))
        continue;
      if ((domain = ct_source_fetch_queue_domain (f)) == NULL)
        return;
      ct_source_domain_add (domain, "model", "=", json_node_init_string (json_node_alloc (),
                                                                         queue->model));
      if (ids != NULL)
        ct_source_domain_add (domain, "res_id", "in", ct_source_ids_node (ids));
      domains->pdata[f->queue] = domain;
      t->running++;
    }
  if (t->running == 0)
    {
      tier_return (f);
      return;
    }
  for (f->queue = 0; f->queue < queues->len; f->queue++)
    if (domains->pdata[f->queue] != NULL)
      ct_source_fetch_read (f, "tier.review", domains->pdata[f->queue], fields, "id",
                            reviews_done);
}

static void
changed_done (CtSourceFetch *f,
              JsonArray     *rows)
{
  CtSourceTier *self = CT_SOURCE_TIER (f->source);
  Tier *t = f->data;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);

  /* Even with nothing changed, the read is incremental. */
  t->affected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify)g_array_unref);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *review;
      const char *model;
      gint64 res_id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      review = json_node_get_object (node);
      ct_source_track_cursor (&f->new_cursor, review);
      g_ptr_array_add (changed, json_object_ref (review));
      model = ct_source_get_string (review, "model");
      res_id = ct_source_get_int (review, "res_id");
      if (model != NULL && res_id > 0 &&
          g_hash_table_add (seen, ct_case_make_key (model, res_id)))
        add_affected (f, model, res_id);
    }
  /* The reviews read at the newest second, for the next read to leave out. */
  for (guint i = 0; i < changed->len; i++)
    ct_source_note_seen (&self->seen_second, self->seen_ids, f->new_cursor, changed->pdata[i]);
  read_queues (f);
}

/* Reviews touched since the cursor, whatever their status (a review
 * approved elsewhere is how a case leaves), leaving out those read at the
 * cursor's second already; the newest of them is the next cursor. */
static void
read_changed (CtSourceFetch *f)
{
  CtSourceTier *self = CT_SOURCE_TIER (f->source);
  GPtrArray *queues = ct_source_get_queues (f->source);
  g_autoptr(JsonArray) domain = json_array_new ();
  g_autoptr(JsonArray) models = json_array_new ();
  static const char *const fields[] = { "id", "model", "res_id", "write_date", NULL };

  for (guint i = 0; i < queues->len; i++)
    json_array_add_string_element (models, ((const CtQueue *)queues->pdata[i])->model);
  ct_source_domain_add (domain, "model", "in", json_node_init_array (json_node_alloc (), models));
  ct_source_domain_changed_since (domain, f->cursor, self->seen_second, self->seen_ids);
  ct_source_fetch_read (f, "tier.review", domain, fields, "id", changed_done);
}

static void
ct_source_tier_fetch_async (CtSource            *self,
                            const char          *cursor,
                            const char          *key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  CtSourceFetch *f = ct_source_fetch_begin (self, cursor, key, g_new0 (Tier, 1),
                                            (GDestroyNotify)tier_free, cancellable, callback,
                                            user_data);

  if (ct_source_get_queues (self)->len == 0)
    ct_source_fetch_return (f);
  else if (key != NULL)
    {
      add_affected (f, f->key_model, f->key_id);
      read_queues (f);
    }
  else if (cursor == NULL)
    read_queues (f);
  else
    read_changed (f);
}

static void
ct_source_tier_finalize (GObject *object)
{
  CtSourceTier *self = CT_SOURCE_TIER (object);

  g_free (self->seen_second);
  g_array_unref (self->seen_ids);
  G_OBJECT_CLASS (ct_source_tier_parent_class)->finalize (object);
}

static void
ct_source_tier_class_init (CtSourceTierClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_source_tier_finalize;
  CT_SOURCE_CLASS (klass)->fetch_async = ct_source_tier_fetch_async;
  CT_SOURCE_CLASS (klass)->apply_decision_async = ct_decide_apply_async;
  CT_SOURCE_CLASS (klass)->apply_decision_finish = ct_decide_apply_finish;
}

static void
ct_source_tier_init (CtSourceTier *self)
{
  self->seen_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

CtSource *
ct_source_tier_new (CtOdooClient *client,
                    CtProfile    *profile)
{
  CtSource *self = g_object_new (ct_source_tier_get_type (), NULL);
  /* tier.definition comes with it, but only tier.review is read. */
  static const char *const models[] = { "tier.review", NULL };

  ct_source_setup (self, CT_SOURCE_KIND_TIER_VALIDATION, client, NULL, profile, models);
  return self;
}
