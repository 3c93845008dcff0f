/* ct-model-probe.c - Which models this user may read, and their fields, asked once per connection
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-source"

#include "config.h"

#include "ct-model-probe.h"

/* What is known (or being asked) about one model on one client. */
typedef struct
{
  gboolean       known;
  CtModelAccess  access;
  JsonObject    *fields;    /* (owned) (nullable) */
  char          *groups;    /* (owned) (nullable) who may read it, when forbidden */
  GPtrArray     *waiting;   /* (element-type GTask) (owned) askers of the request in flight */
} Entry;

typedef struct
{
  GHashTable *access;   /* model → Entry */
  GHashTable *fields;   /* model → Entry */
} Cache;

typedef enum
{
  ASK_ACCESS,
  ASK_FIELDS,
} Ask;

static void
entry_free (Entry *entry)
{
  g_clear_pointer (&entry->fields, json_object_unref);
  g_free (entry->groups);
  if (entry->waiting != NULL)
    g_ptr_array_unref (entry->waiting);
  g_free (entry);
}

static void
cache_free (Cache *cache)
{
  g_hash_table_unref (cache->access);
  g_hash_table_unref (cache->fields);
  g_free (cache);
}

static Cache *
get_cache (CtOdooClient *client)
{
  Cache *cache = g_object_get_data (G_OBJECT (client), "ct-model-probe");

  if (cache == NULL)
    {
      cache = g_new0 (Cache, 1);
      cache->access = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) entry_free);
      cache->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) entry_free);
      g_object_set_data_full (G_OBJECT (client), "ct-model-probe", cache,
                              (GDestroyNotify) cache_free);
    }
  return cache;
}

void
ct_model_probe_forget (CtOdooClient *client)
{
  Cache *cache = get_cache (client);
  GHashTableIter iter;
  gpointer value;

  /* Entries with askers waiting stay: their answer is still coming. */
  for (guint i = 0; i < 2; i++)
    {
      g_hash_table_iter_init (&iter, i == 0 ? cache->access : cache->fields);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Entry *) value)->waiting == NULL)
          g_hash_table_iter_remove (&iter);
    }
}

static void ask (CtOdooClient *client,
                 Ask           what,
                 const char   *model,
                 GTask        *task);

static GHashTable *
table_for (CtOdooClient *client,
           Ask           what)
{
  Cache *cache = get_cache (client);

  return what == ASK_ACCESS ? cache->access : cache->fields;
}

/* The shared request answered (@error NULL) or failed: every asker gets
 * the answer or the error. An asker that was not cancelled itself, whose
 * request went out on another asker's cancelled cancellable, asks again. */
static void
answered (CtOdooClient  *client,
          Ask            what,
          const char    *model,
          CtModelAccess  access,
          JsonObject    *fields,
          char          *groups,
          const GError  *error)
{
  GHashTable *table = table_for (client, what);
  Entry *entry = g_hash_table_lookup (table, model);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&entry->waiting);
  g_autofree char *name = g_strdup (model);

  if (error == NULL)
    {
      entry->known = TRUE;
      entry->access = access;
      entry->fields = fields ? json_object_ref (fields) : NULL;
      entry->groups = groups;
    }
  else
    {
      g_free (groups);
      g_hash_table_remove (table, name);
    }
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = waiting->pdata[i];

      if (error == NULL && what == ASK_ACCESS)
        g_task_return_int (task, access);
      else if (error == NULL)
        g_task_return_pointer (task, json_object_ref (fields), (GDestroyNotify) json_object_unref);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
               !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        ask (client, what, name, g_object_ref (task));
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

typedef struct
{
  CtOdooClient *client;   /* (owned) */
  Ask           what;
  char         *model;
} Request;

static void
request_free (Request *request)
{
  g_object_unref (request->client);
  g_free (request->model);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
on_count (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  gint64 count = 0;
  CtModelAccess access = CT_MODEL_READABLE;
  char *groups = NULL;

  if (!ct_odoo_client_search_count_finish (request->client, result, &count, &error))
    {
      if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND))
        access = CT_MODEL_MISSING;
      else if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_ACCESS))
        {
          access = CT_MODEL_FORBIDDEN;
          /* Odoo names the groups that may read it: the user's way in. */
          groups = ct_odoo_error_dup_allowed_groups (error);
        }
      if (access != CT_MODEL_READABLE)
        {
          g_debug ("%s: %s", request->model, error->message);
          g_clear_error (&error);
        }
    }
  answered (request->client, ASK_ACCESS, request->model, access, NULL, groups, error);
}

static void
on_fields (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = ct_odoo_client_call_finish (request->client, result, &error);

  if (error == NULL && (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)))
    error = g_error_new (CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL,
                         "fields_get of %s did not answer an object", request->model);
  answered (request->client, ASK_FIELDS, request->model, CT_MODEL_READABLE,
            error == NULL ? json_node_get_object (node) : NULL, NULL, error);
}

/* Takes @task (owned). */
static void
ask (CtOdooClient *client,
     Ask           what,
     const char   *model,
     GTask        *task)
{
  GHashTable *table = table_for (client, what);
  Entry *entry = g_hash_table_lookup (table, model);
  Request *request;

  if (entry != NULL && entry->known)
    {
      if (what == ASK_ACCESS)
        g_task_return_int (task, entry->access);
      else
        g_task_return_pointer (task, json_object_ref (entry->fields),
                               (GDestroyNotify) json_object_unref);
      g_object_unref (task);
      return;
    }
  if (entry != NULL)
    {
      g_ptr_array_add (entry->waiting, task);
      return;
    }
  entry = g_new0 (Entry, 1);
  entry->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (entry->waiting, task);
  g_hash_table_insert (table, g_strdup (model), entry);

  request = g_new0 (Request, 1);
  request->client = g_object_ref (client);
  request->what = what;
  request->model = g_strdup (model);
  if (what == ASK_ACCESS)
    {
      /* No record matches id = 0: the answer is cheap whatever the size
       * of the table, and its status says installed or readable. */
      g_autoptr(JsonArray) domain = json_array_new ();
      JsonArray *term = json_array_new ();

      json_array_add_string_element (term, "id");
      json_array_add_string_element (term, "=");
      json_array_add_int_element (term, 0);
      json_array_add_array_element (domain, term);
      ct_odoo_client_search_count_async (client, model, domain, g_task_get_cancellable (task),
                                         on_count, request);
    }
  else
    {
      g_autoptr(JsonObject) kwargs = json_object_new ();
      JsonArray *attributes = json_array_new ();

      json_array_add_string_element (attributes, "type");
      json_object_set_array_member (kwargs, "attributes", attributes);
      ct_odoo_client_call_async (client, model, "fields_get", NULL, kwargs, NULL,
                                 g_task_get_cancellable (task), on_fields, request);
    }
}

void
ct_model_probe_access_async (CtOdooClient        *client,
                             const char          *model,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, ct_model_probe_access_async);
  ask (client, ASK_ACCESS, model, task);
}

gboolean
ct_model_probe_access_finish (CtOdooClient   *client,
                              GAsyncResult   *result,
                              CtModelAccess  *access,
                              GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize value = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (access != NULL)
    *access = (CtModelAccess) value;
  return TRUE;
}

void
ct_model_probe_fields_async (CtOdooClient        *client,
                             const char          *model,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, ct_model_probe_fields_async);
  ask (client, ASK_FIELDS, model, task);
}

JsonObject *
ct_model_probe_fields_finish (CtOdooClient  *client,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
ct_model_probe_get_allowed_groups (CtOdooClient *client,
                                   const char   *model)
{
  Entry *entry = g_hash_table_lookup (table_for (client, ASK_ACCESS), model);

  return entry != NULL && entry->known ? entry->groups : NULL;
}
