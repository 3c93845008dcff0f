/* ct-source-activity.c - Approval activities: mail.activity of the profile's types
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-incident.h"
#include "ct-decide.h"
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
 * alone read; no path an ordinary user takes may depend on it. */

G_DECLARE_FINAL_TYPE (CtSourceActivity, ct_source_activity, CT, SOURCE_ACTIVITY, CtSource)

struct _CtSourceActivity
{
  CtSource parent_instance;
};

G_DEFINE_FINAL_TYPE (CtSourceActivity, ct_source_activity, CT_TYPE_SOURCE)

static void next_queue (CtSourceFetch *f);

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
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, f->open);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        ct_case_update_search_text (value);
      ct_source_fetch_return (f);
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
  next_queue (ct_source_fetch_begin (self, NULL, key, NULL, NULL, cancellable, callback,
                                     user_data));
}

static void
ct_source_activity_class_init (CtSourceActivityClass *klass)
{
  CT_SOURCE_CLASS (klass)->fetch_async = ct_source_activity_fetch_async;
  CT_SOURCE_CLASS (klass)->apply_decision_async = ct_decide_apply_async;
  CT_SOURCE_CLASS (klass)->apply_decision_finish = ct_decide_apply_finish;
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
