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
  guint       serial;   /* the client's connect this was learnt under */
  GHashTable *access;   /* model → Entry */
  GHashTable *fields;   /* model → Entry */

  /* What a former session learnt (ct_model_probe_restore): trusted once
   * the database's fingerprint proves unchanged. */
  char       *fingerprint;        /* (nullable) this database's, once known */
  gboolean    fingerprint_asked;
  GPtrArray  *fingerprint_waiting; /* (element-type utf8) models whose fields wait for it */
  char       *saved_fingerprint;  /* (nullable) */
  JsonObject *saved_fields;       /* (nullable) model → fields */
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
  g_free (cache->fingerprint);
  g_clear_pointer (&cache->fingerprint_waiting, g_ptr_array_unref);
  g_free (cache->saved_fingerprint);
  g_clear_pointer (&cache->saved_fields, json_object_unref);
  g_free (cache);
}

/* Forgets what this database told (not what a former session kept). */
static void
forget_learnt (Cache *cache)
{
  GHashTableIter iter;
  gpointer value;

  g_clear_pointer (&cache->fingerprint, g_free);
  cache->fingerprint_asked = FALSE;
  /* Entries with askers waiting stay: their answer is still coming. */
  for (guint i = 0; i < 2; i++)
    {
      g_hash_table_iter_init (&iter, i == 0 ? cache->access : cache->fields);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Entry *) value)->waiting == NULL)
          g_hash_table_iter_remove (&iter);
    }
}

/* Whether an answer asked under connect @serial may be kept: not once the
 * client connected again (perhaps as another user), nor when that connect
 * failed after the sign-in (the probes go out beside its last round). */
static gboolean
is_current (CtOdooClient *client,
            guint         serial)
{
  return serial == ct_odoo_client_get_connect_serial (client) &&
         ct_odoo_client_is_connected (client);
}

static Cache *
get_cache (CtOdooClient *client)
{
  Cache *cache = g_object_get_data (G_OBJECT (client), "ct-model-probe");

  if (cache == NULL)
    {
      cache = g_new0 (Cache, 1);
      cache->serial = ct_odoo_client_get_connect_serial (client);
      cache->access = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) entry_free);
      cache->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) entry_free);
      cache->fingerprint_waiting = g_ptr_array_new_with_free_func (g_free);
      g_object_set_data_full (G_OBJECT (client), "ct-model-probe", cache,
                              (GDestroyNotify) cache_free);
    }
  if (!is_current (client, cache->serial))
    {
      forget_learnt (cache);
      cache->serial = ct_odoo_client_get_connect_serial (client);
    }
  return cache;
}

void
ct_model_probe_forget (CtOdooClient *client)
{
  Cache *cache = get_cache (client);

  g_clear_pointer (&cache->saved_fields, json_object_unref);
  g_clear_pointer (&cache->saved_fingerprint, g_free);
  forget_learnt (cache);
}

static void ask (CtOdooClient *client,
                 Ask           what,
                 const char   *model,
                 GTask        *task);
static void send_request (CtOdooClient *client,
                          Ask           what,
                          const char   *model,
                          GCancellable *cancellable);
static void ask_fingerprint (CtOdooClient *client,
                             GCancellable *cancellable);

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
  char         *model;    /* (nullable) NULL for the fingerprint */
  guint         serial;   /* the connect it was asked under */
  gboolean      signed_in; /* and whether it was signed in then (else the client refused it) */
} Request;

static Request *
request_new (CtOdooClient *client,
             Ask           what,
             const char   *model)
{
  Request *request = g_new0 (Request, 1);

  request->client = g_object_ref (client);
  request->what = what;
  request->model = g_strdup (model);
  request->serial = ct_odoo_client_get_connect_serial (client);
  request->signed_in = ct_odoo_client_is_connected (client);
  return request;
}

/* An answer to a connect that is over (or failed) is not kept: its askers
 * that still want one ask again, as after a cancelled shared request. So
 * do those of a request the client refused (not signed in) when it has
 * signed in since; while it has not, the refusal is the answer. */
static gboolean
drop_if_stale (Request  *request,
               GError  **error)
{
  gboolean stale = request->signed_in ? !is_current (request->client, request->serial)
                                      : ct_odoo_client_is_connected (request->client);

  if (!stale)
    return FALSE;
  g_debug ("%s: answered for another connect than the client's",
           request->model != NULL ? request->model : "ir.module.module");
  g_clear_error (error);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       "asked under a connect that is over");
  return TRUE;
}

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

  if (!ct_odoo_client_search_count_finish (request->client, result, &count, &error) &&
      !drop_if_stale (request, &error))
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
  drop_if_stale (request, &error);
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
  drop_if_stale (request, &error);
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

  /* A field schema a former session kept waits for the fingerprint (asked
   * once, beside the first requests) rather than asking fields_get. */
  if (what == ASK_FIELDS)
    {
      Cache *cache = get_cache (client);

      ask_fingerprint (client, g_task_get_cancellable (task));
      if (cache->fingerprint == NULL && cache->saved_fields != NULL &&
          json_object_has_member (cache->saved_fields, model))
        {
          g_ptr_array_add (cache->fingerprint_waiting, g_strdup (model));
          return;
        }
      if (cache->fingerprint != NULL && cache->saved_fields != NULL &&
          json_object_has_member (cache->saved_fields, model))
        {
          answered (client, ASK_FIELDS, model, CT_MODEL_READABLE,
                    json_object_get_object_member (cache->saved_fields, model), NULL, NULL);
          return;
        }
    }
  send_request (client, what, model, g_task_get_cancellable (task));
}

static void
send_request (CtOdooClient *client,
              Ask           what,
              const char   *model,
              GCancellable *cancellable)
{
  Request *request = request_new (client, what, model);

  /* Sent from the client's "signed-in" too, before the user's language,
   * time zone and companies are in the context: nothing asked here may
   * depend on them. A count over no record, field types (not their
   * translated labels) and ir.module.module (no company rule) do not. */
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
      ct_odoo_client_search_count_async (client, model, domain, cancellable, on_count, request);
    }
  else
    {
      g_autoptr(JsonObject) kwargs = json_object_new ();
      JsonArray *attributes = json_array_new ();

      json_array_add_string_element (attributes, "type");
      json_object_set_array_member (kwargs, "attributes", attributes);
      ct_odoo_client_call_async (client, model, "fields_get", NULL, kwargs, NULL, cancellable,
                                 on_fields, request);
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

gboolean
ct_model_probe_lookup_access (CtOdooClient  *client,
                              const char    *model,
                              CtModelAccess *access)
{
  Entry *entry = g_hash_table_lookup (table_for (client, ASK_ACCESS), model);

  if (entry == NULL || !entry->known)
    return FALSE;
  *access = entry->access;
  return TRUE;
}

const char *
ct_model_probe_get_allowed_groups (CtOdooClient *client,
                                   const char   *model)
{
  Entry *entry = g_hash_table_lookup (table_for (client, ASK_ACCESS), model);

  return entry != NULL && entry->known ? entry->groups : NULL;
}

/* ---- kept between sessions ---- */

/* The fingerprint is in (@fingerprint NULL: it could not be read): the
 * schemas waiting for it are answered from the saved ones if the database
 * is the same, asked otherwise. */
static void
fingerprint_known (CtOdooClient *client,
                   const char   *fingerprint,
                   GCancellable *cancellable)
{
  Cache *cache = get_cache (client);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&cache->fingerprint_waiting);
  gboolean same;

  cache->fingerprint_waiting = g_ptr_array_new_with_free_func (g_free);
  g_free (cache->fingerprint);
  cache->fingerprint = g_strdup (fingerprint != NULL ? fingerprint : "");
  same = fingerprint != NULL && g_strcmp0 (fingerprint, cache->saved_fingerprint) == 0;
  if (!same && cache->saved_fields != NULL)
    {
      g_debug ("The database changed since the saved field schemas (%s, now %s)",
               cache->saved_fingerprint, fingerprint ? fingerprint : "unknown");
      g_clear_pointer (&cache->saved_fields, json_object_unref);
    }
  for (guint i = 0; i < waiting->len; i++)
    {
      const char *model = waiting->pdata[i];
      Entry *entry = g_hash_table_lookup (cache->fields, model);

      if (entry == NULL || entry->waiting == NULL)
        continue;
      if (same)
        answered (client, ASK_FIELDS, model, CT_MODEL_READABLE,
                  json_object_get_object_member (cache->saved_fields, model), NULL, NULL);
      else
        send_request (client, ASK_FIELDS, model, cancellable);
    }
}

static void
on_fingerprint (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  CtOdooClient *client = request->client;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (client, result, &error);
  g_autofree char *fingerprint = NULL;

  if (drop_if_stale (request, &error))
    g_clear_pointer (&rows, json_array_unref);
  if (rows != NULL)
    {
      JsonNode *row = json_array_get_length (rows) > 0 ? json_array_get_element (rows, 0) : NULL;
      JsonNode *when = row != NULL && JSON_NODE_HOLDS_OBJECT (row)
                       ? json_object_get_member (json_node_get_object (row), "write_date") : NULL;

      fingerprint = g_strdup_printf ("%s|%s", ct_odoo_client_get_server_version (client),
                                     when != NULL && JSON_NODE_HOLDS_VALUE (when) &&
                                     json_node_get_value_type (when) == G_TYPE_STRING
                                     ? json_node_get_string (when) : "-");
    }
  else
    g_debug ("No fingerprint of the installed modules: %s", error->message);
  /* Whatever went wrong, the waiting schemas are asked (not kept waiting);
   * a cancelled fingerprint is asked again by the next asker. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      Cache *cache = get_cache (client);
      g_autoptr(GPtrArray) waiting = g_steal_pointer (&cache->fingerprint_waiting);

      cache->fingerprint_waiting = g_ptr_array_new_with_free_func (g_free);
      cache->fingerprint_asked = FALSE;
      for (guint i = 0; i < waiting->len; i++)
        {
          Entry *entry = g_hash_table_lookup (cache->fields, waiting->pdata[i]);

          if (entry != NULL && entry->waiting != NULL)
            send_request (client, ASK_FIELDS, waiting->pdata[i], NULL);
        }
      return;
    }
  fingerprint_known (client, fingerprint, NULL);
}

/* Which modules are installed, in one small answer: the server's version
 * and the latest change to any module record (an install, an upgrade or
 * an uninstall writes it). Asked once per client. */
static void
ask_fingerprint (CtOdooClient *client,
                 GCancellable *cancellable)
{
  Cache *cache = get_cache (client);
  g_autoptr(JsonArray) domain = json_array_new ();
  static const char *const fields[] = { "write_date", NULL };

  if (cache->fingerprint_asked)
    return;
  cache->fingerprint_asked = TRUE;
  ct_odoo_client_search_read_async (client, "ir.module.module", domain, fields,
                                    "write_date desc", 1, 1, cancellable, on_fingerprint,
                                    request_new (client, ASK_FIELDS, NULL));
}

void
ct_model_probe_restore (CtOdooClient *client,
                        const char   *saved)
{
  Cache *cache = get_cache (client);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  const char *fingerprint;

  if (saved == NULL || !json_parser_load_from_data (parser, saved, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  root = json_node_get_object (json_parser_get_root (parser));
  fingerprint = json_object_get_string_member_with_default (root, "fingerprint", NULL);
  if (fingerprint == NULL || *fingerprint == '\0' ||
      !json_object_has_member (root, "fields") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "fields")))
    return;
  g_free (cache->saved_fingerprint);
  cache->saved_fingerprint = g_strdup (fingerprint);
  g_clear_pointer (&cache->saved_fields, json_object_unref);
  cache->saved_fields = json_object_ref (json_object_get_object_member (root, "fields"));
}

char *
ct_model_probe_dup_saved (CtOdooClient *client)
{
  Cache *cache = get_cache (client);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0;

  if (cache->fingerprint == NULL || *cache->fingerprint == '\0')
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fingerprint");
  json_builder_add_string_value (builder, cache->fingerprint);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, cache->fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Entry *entry = value;

      if (!entry->known || entry->fields == NULL)
        continue;
      json_builder_set_member_name (builder, key);
      json_builder_add_value (builder, json_node_init_object (json_node_alloc (), entry->fields));
      n++;
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  if (n == 0)
    return NULL;
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
