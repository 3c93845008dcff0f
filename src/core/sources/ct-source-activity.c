/* ct-source-activity.c - Approval activities: mail.activity of the profile's types
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-incident.h"
#include "ct-decide.h"
#include "ct-model-probe.h"
#include "ct-source.h"

/* The case is the record the activity sits on (res_model, res_id), so an
 * order with an approval activity and a tier review is one case. Odoo
 * deletes an activity when it is marked done, which no write_date shows:
 * this source always reads the open activities whole. There are few of
 * them (one per person and record), so that stays cheap.
 *
 * res_model is a stored related field of res_model_id. An activity whose
 * res_model is empty cannot name its record: it is skipped and counted.
 * Its model could come only from ir.model, which Odoo lets administrators
 * alone read; no path an ordinary user takes may depend on it.
 *
 * An activity says nothing of its record's amount or partner: where the
 * profile maps the record's model for another queue (an order's
 * amount_total and partner_id), those are read for the records not seen
 * before, all of one model in one request, and kept while the activity is
 * open. A user who may not read the record gets the activity without them. */

G_DECLARE_FINAL_TYPE (CtSourceActivity, ct_source_activity, CT, SOURCE_ACTIVITY, CtSource)

struct _CtSourceActivity
{
  CtSource    parent_instance;
  GHashTable *parties;   /* key → JsonObject: the record's amount, currency, partner */
};

typedef struct
{
  CtSourceFetch  *f;        /* (unowned) */
  const CtQueue  *queue;    /* (unowned) the profile queue whose mapping names the fields */
  char           *model;
  GArray         *ids;      /* gint64 */
  guint          *pending;  /* (unowned) in the fetch's data */
} PartyCall;

G_DEFINE_FINAL_TYPE (CtSourceActivity, ct_source_activity, CT_TYPE_SOURCE)

static void next_queue (CtSourceFetch *f);

static void
party_call_free (PartyCall *call)
{
  g_free (call->model);
  g_array_unref (call->ids);
  g_free (call);
}

/* Every case of this fetch gets what is known of its record; then the
 * fetch ends. */
static void
parties_apply (CtSourceFetch *f)
{
  CtSourceActivity *self = CT_SOURCE_ACTIVITY (f->source);
  CtProfile *profile = ct_source_get_profile (f->source);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, f->open);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CtCase *c = value;
      JsonObject *party = g_hash_table_lookup (self->parties, key);
      const CtQueue *queue = party != NULL ? ct_profile_find_queue_for_model (profile, c->model)
                                           : NULL;

      if (queue != NULL)
        ct_case_fill_party (c, &queue->fields, party);
      ct_case_update_search_text (c);
    }
  /* Forget the records no open activity sits on any more. */
  if (f->key == NULL)
    {
      g_hash_table_iter_init (&iter, self->parties);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (f->open, key))
          g_hash_table_iter_remove (&iter);
    }
  ct_source_fetch_return (f);
}

static void
party_call_done (PartyCall *call)
{
  CtSourceFetch *f = call->f;
  guint *pending = call->pending;

  party_call_free (call);
  if (--*pending == 0)
    parties_apply (f);
}

static void
party_read_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PartyCall *call = user_data;
  CtSourceActivity *self = CT_SOURCE_ACTIVITY (call->f->source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);

  /* Without the record's figures the activity is still shown. */
  if (rows == NULL)
    g_debug ("The records of %s's activities could not be read: %s", call->model, error->message);
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      gint64 id = row != NULL ? ct_source_get_int (row, "id") : 0;

      if (id > 0)
        g_hash_table_insert (self->parties, ct_case_make_key (call->model, id),
                             json_object_ref (row));
    }
  party_call_done (call);
}

static void
party_fields_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PartyCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = ct_model_probe_fields_finish (CT_ODOO_CLIENT (object), result,
                                                               &error);
  const CtQueueFields *mapping = &call->queue->fields;
  const char *wanted[] = { mapping->amount, mapping->currency, mapping->partner };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autoptr(JsonArray) domain = json_array_new ();
  guint n = 0;

  for (guint i = 0; fields != NULL && i < G_N_ELEMENTS (wanted); i++)
    if (wanted[i] != NULL && *wanted[i] != '\0' && json_object_has_member (fields, wanted[i]))
      {
        g_strv_builder_add (builder, wanted[i]);
        n++;
      }
  if (n == 0)
    {
      party_call_done (call);
      return;
    }
  g_strv_builder_add (builder, "id");
  names = g_strv_builder_end (builder);
  ct_source_domain_add (domain, "id", "in", ct_source_ids_node (call->ids));
  ct_odoo_client_search_read_async (CT_ODOO_CLIENT (object), call->model, domain,
                                    (const char * const *) names, "id", 0, 0,
                                    ct_source_fetch_get_cancellable (call->f), party_read_done,
                                    call);
}

static void
party_access_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PartyCall *call = user_data;
  CtModelAccess access = CT_MODEL_MISSING;

  if (!ct_model_probe_access_finish (CT_ODOO_CLIENT (object), result, &access, NULL) ||
      access != CT_MODEL_READABLE)
    {
      party_call_done (call);
      return;
    }
  ct_model_probe_fields_async (CT_ODOO_CLIENT (object), call->model,
                               ct_source_fetch_get_cancellable (call->f), party_fields_done, call);
}

/* Reads the amount and partner of the records not known yet, one request
 * per model (the model's access and fields are shared per connection, and
 * usually known already); then ends the fetch. */
static void
parties_read (CtSourceFetch *f)
{
  CtSourceActivity *self = CT_SOURCE_ACTIVITY (f->source);
  CtProfile *profile = ct_source_get_profile (f->source);
  CtOdooClient *client = ct_source_get_client (f->source);
  g_autoptr(GHashTable) by_model = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_array_unref);
  guint *pending = f->data;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, f->open);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CtCase *c = value;
      GArray *ids;

      if (g_hash_table_contains (self->parties, key) ||
          ct_profile_find_queue_for_model (profile, c->model) == NULL)
        continue;
      ids = g_hash_table_lookup (by_model, c->model);
      if (ids == NULL)
        {
          ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (by_model, c->model, ids);
        }
      g_array_append_val (ids, c->record_id);
    }
  if (g_hash_table_size (by_model) == 0)
    {
      parties_apply (f);
      return;
    }
  *pending = g_hash_table_size (by_model);
  g_hash_table_iter_init (&iter, by_model);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      PartyCall *call = g_new0 (PartyCall, 1);

      call->f = f;
      call->queue = ct_profile_find_queue_for_model (profile, key);
      call->model = g_strdup (key);
      call->ids = g_array_ref (value);
      call->pending = pending;
      ct_model_probe_access_async (client, call->model, ct_source_fetch_get_cancellable (f),
                                   party_access_done, call);
    }
}

static void
activities_done (CtSourceFetch *f,
                 JsonArray     *rows)
{
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
      res_id = ct_source_get_int (row, "res_id");
      id = ct_source_get_int (row, "id");
      if (res_model == NULL || *res_model == '\0')
        {
          ct_source_count_unreadable (f->source, CT_ROW_IMPOSSIBLE_VALUE, "res_model");
          continue;
        }
      if (res_id <= 0 || id <= 0)
        continue;
      key = ct_case_make_key (res_model, res_id);
      c = g_hash_table_lookup (f->open, key);
      if (c == NULL)
        c = ct_source_fetch_add_case (f, res_model, res_id, row);
      ref = g_strdup_printf ("mail.activity:%" G_GINT64_FORMAT, id);
      ct_case_add_requirement (c, CT_SOURCE_KIND_ACTIVITY, ref,
                               ct_source_m2o_id (row, "user_id"),
                               ct_source_m2o_name (row, "user_id"),
                               CT_APPROVER_STATE_PENDING, 0)->actor =
        ct_source_actor_for_user (f->source, ct_source_m2o_id (row, "user_id"));
      at = json_object_has_member (row, "create_date")
           ? ct_parse_odoo_datetime (json_object_get_member (row, "create_date")) : 0;
      if (at > 0 && (c->requested_at == 0 || at < c->requested_at))
        c->requested_at = at;
    }
  f->queue++;
  next_queue (f);
}

static void
next_queue (CtSourceFetch *f)
{
  const CtQueue *queue = ct_source_fetch_next_queue (f);
  g_autoptr(JsonArray) domain = NULL;
  g_auto(GStrv) fields = NULL;
  static const char *const extra[] = { "id", "res_model", "res_id", "res_name", "summary",
                                       "user_id", "activity_type_id", "date_deadline",
                                       "create_date", NULL };

  if (queue == NULL)
    {
      parties_read (f);
      return;
    }
  if ((domain = ct_source_fetch_queue_domain (f)) == NULL)
    return;
  if (f->key != NULL)
    {
      ct_source_domain_add (domain, "res_model", "=",
                            json_node_init_string (json_node_alloc (), f->key_model));
      ct_source_domain_add (domain, "res_id", "=",
                            json_node_init_int (json_node_alloc (), f->key_id));
    }
  fields = ct_source_queue_fields (f->source, queue, extra);
  ct_source_fetch_read (f, "mail.activity", domain, (const char * const *)fields, "id",
                        activities_done);
}

static void
ct_source_activity_fetch_async (CtSource            *self,
                                const char          *cursor,
                                const char          *key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  /* Open activities are few: every read is a full one, whatever the cursor. */
  next_queue (ct_source_fetch_begin (self, NULL, key, g_new0 (guint, 1), g_free, cancellable,
                                     callback, user_data));
}

static void
ct_source_activity_finalize (GObject *object)
{
  g_hash_table_unref (CT_SOURCE_ACTIVITY (object)->parties);
  G_OBJECT_CLASS (ct_source_activity_parent_class)->finalize (object);
}

static void
ct_source_activity_class_init (CtSourceActivityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_source_activity_finalize;
  CT_SOURCE_CLASS (klass)->fetch_async = ct_source_activity_fetch_async;
  CT_SOURCE_CLASS (klass)->apply_decision_async = ct_decide_apply_async;
  CT_SOURCE_CLASS (klass)->apply_decision_finish = ct_decide_apply_finish;
}

static void
ct_source_activity_init (CtSourceActivity *self)
{
  self->parties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) json_object_unref);
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
