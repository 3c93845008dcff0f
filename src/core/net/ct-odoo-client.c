/* ct-odoo-client.c - Async Odoo client: JSON-RPC (16+) and JSON-2 (19+)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-odoo-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-odoo-client.h"
#include "ct-odoo-wire.h"

struct _CtOdooClient
{
  GObject        parent_instance;

  CtHttp        *http;
  SoupCookieJar *cookie_jar;
  CtOdooDialect  wanted_dialect;
  guint          read_attempts;

  /* connection */
  char          *url;
  char          *database;
  char          *login;
  char          *secret;       /* wiped on finalize; never logged */
  CtSecretKind   secret_kind;
  gboolean       connected;
  gboolean       cookie_session;
  guint          connect_serial;  /* connect_async calls so far */

  /* what connecting found */
  CtOdooDialect  dialect;
  char          *server_version;
  int            major_version;
  gint64         uid;
  char          *lang;
  char          *tz;
  GArray        *company_ids;

  GHashTable    *fields_cache;  /* model → JsonObject */
  gint64         next_id;

  /* signing in again after "session expired" */
  GPtrArray     *reauth_waiters;      /* (element-type GTask) calls waiting for it */
  guint          session_generation;  /* sign-ins so far */

  guint          thread_decodes;      /* answers handed to a worker to decode */
};

G_DEFINE_FINAL_TYPE (CtOdooClient, ct_odoo_client, G_TYPE_OBJECT)

enum
{
  SIGNAL_SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const read_methods[] = {
  "search_read", "read", "search_count", "fields_get", "formatted_read_group",
  "read_group", "web_read_group", "search", "name_search", "context_get",
  "check_access_rights", "has_access", "web_search_read", "default_get", NULL,
};

gboolean
ct_odoo_method_is_read (const char *method)
{
  return method != NULL && g_strv_contains (read_methods, method);
}

static void
wipe_secret (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
ct_odoo_client_finalize (GObject *object)
{
  CtOdooClient *self = CT_ODOO_CLIENT (object);

  g_clear_object (&self->http);
  g_clear_object (&self->cookie_jar);
  wipe_secret (&self->secret);
  g_free (self->url);
  g_free (self->database);
  g_free (self->login);
  g_free (self->server_version);
  g_free (self->lang);
  g_free (self->tz);
  g_clear_pointer (&self->company_ids, g_array_unref);
  g_clear_pointer (&self->fields_cache, g_hash_table_unref);
  /* A waiting call holds the client: none can be left at finalize. */
  g_assert (self->reauth_waiters->len == 0);
  g_clear_pointer (&self->reauth_waiters, g_ptr_array_unref);
  G_OBJECT_CLASS (ct_odoo_client_parent_class)->finalize (object);
}

static void
ct_odoo_client_class_init (CtOdooClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_odoo_client_finalize;

  /* See ct-odoo-client.h: the argument is the connect's cancellable. */
  signals[SIGNAL_SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_CANCELLABLE);
}

static void
ct_odoo_client_init (CtOdooClient *self)
{
  self->http = ct_http_new ("Odoo");
  /* The jar is there from the start but takes no cookie until a session is
   * asked for: a stray anonymous session_id next to a bearer key only
   * confuses Odoo. */
  self->cookie_jar = soup_cookie_jar_new ();
  soup_cookie_jar_set_accept_policy (self->cookie_jar, SOUP_COOKIE_JAR_ACCEPT_NEVER);
  soup_session_add_feature (ct_http_get_session (self->http),
                            SOUP_SESSION_FEATURE (self->cookie_jar));
  self->read_attempts = 3;
  self->company_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->fields_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) json_object_unref);
  self->next_id = 1;
  self->reauth_waiters = g_ptr_array_new ();
}

CtOdooClient *
ct_odoo_client_new (void)
{
  return g_object_new (CT_TYPE_ODOO_CLIENT, NULL);
}

void
ct_odoo_client_set_timeouts (CtOdooClient *self,
                             guint         connect_ms,
                             guint         call_ms)
{
  ct_http_set_timeouts (self->http, connect_ms, call_ms);
}

void
ct_odoo_client_set_max_response_size (CtOdooClient *self,
                                      gsize         max_size)
{
  ct_http_set_max_size (self->http, max_size);
}

void
ct_odoo_client_set_retry_backoff (CtOdooClient *self,
                                  guint         first_ms)
{
  ct_http_set_retry_backoff (self->http, first_ms);
}

void
ct_odoo_client_set_read_attempts (CtOdooClient *self,
                                  guint         attempts)
{
  self->read_attempts = MAX (1u, attempts);
}

void
ct_odoo_client_set_pinned_certificate (CtOdooClient *self,
                                       const char   *sha256)
{
  ct_http_set_pinned_certificate (self->http, sha256);
}

void
ct_odoo_client_set_dialect (CtOdooClient  *self,
                            CtOdooDialect  dialect)
{
  self->wanted_dialect = dialect;
}

gboolean
ct_odoo_client_is_connected (CtOdooClient *self)
{
  return self->connected;
}

guint
ct_odoo_client_get_connect_serial (CtOdooClient *self)
{
  return self->connect_serial;
}

CtOdooDialect
ct_odoo_client_get_dialect (CtOdooClient *self)
{
  return self->dialect;
}

const char *
ct_odoo_client_get_server_version (CtOdooClient *self)
{
  return self->server_version;
}

int
ct_odoo_client_get_major_version (CtOdooClient *self)
{
  return self->major_version;
}

gint64
ct_odoo_client_get_uid (CtOdooClient *self)
{
  return self->uid;
}

const char *
ct_odoo_client_get_url (CtOdooClient *self)
{
  return self->url;
}

const char *
ct_odoo_client_get_database (CtOdooClient *self)
{
  return self->database;
}

const char *
ct_odoo_client_get_lang (CtOdooClient *self)
{
  return self->lang;
}

const char *
ct_odoo_client_get_tz (CtOdooClient *self)
{
  return self->tz;
}

const gint64 *
ct_odoo_client_get_company_ids (CtOdooClient *self,
                                guint        *n_ids)
{
  if (n_ids)
    *n_ids = self->company_ids->len;
  return (const gint64 *) (gpointer) self->company_ids->data;
}

void
ct_odoo_client_set_company_ids (CtOdooClient *self,
                                const gint64 *ids,
                                guint         n_ids)
{
  g_array_set_size (self->company_ids, 0);
  g_array_append_vals (self->company_ids, ids, n_ids);
}

guint
ct_odoo_client_get_thread_decodes (CtOdooClient *self)
{
  g_return_val_if_fail (CT_IS_ODOO_CLIENT (self), 0);
  return self->thread_decodes;
}

CtHttp *
ct_odoo_client_get_http (CtOdooClient *self)
{
  return self->http;
}

/* ---- one request ------------------------------------------------------ */

typedef enum
{
  ROUTE_JSONRPC,     /* POST /jsonrpc */
  ROUTE_WEB,         /* POST /web/...: JSON-RPC envelope, cookie session */
  ROUTE_JSON2,       /* POST /json/2/model/method */
} Route;

/* Answers at least this large are decoded in a worker thread: parsing a
 * page of 5 000 orders takes tens of milliseconds that the main loop (the
 * window, the other sources' answers) should not wait for. Smaller ones
 * cost less than the hand-over. */
#define DECODE_IN_THREAD_MIN (64 * 1024)

typedef struct
{
  Route             route;
  char             *label;
  CtHttpResponse   *response;      /* (owned) (nullable) once answered */
  CtOdooDecodeFunc  decode_func;   /* (nullable) run where the answer is decoded */
  gpointer          decode_data;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_free (data->label);
  g_clear_pointer (&data->response, ct_http_response_free);
  g_free (data);
}

/* Decodes the answer into the task's result. Pure: it touches nothing but
 * @data, so it may run in any thread. */
static void
request_decode (GTask       *task,
                RequestData *data)
{
  CtHttpResponse *response = data->response;
  GError *error = NULL;
  JsonNode *node = NULL;
  gboolean ok;
  gsize length;
  const char *bytes;

  bytes = g_bytes_get_data (response->body, &length);
  if (data->route == ROUTE_JSON2)
    ok = ct_odoo_wire_decode_json2 (bytes, length, response->status, response->content_type,
                                    &node, &error);
  else
    ok = ct_odoo_wire_decode_jsonrpc (bytes, length, response->status, response->content_type,
                                      &node, &error);
  if (!ok)
    {
      ct_odoo_error_set_request (error, data->label);
      g_task_return_error (task, error);
      return;
    }
  if (data->decode_func != NULL && node != NULL)
    data->decode_func (node, data->decode_data);
  g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

/* GTask delivers what the worker returns on the caller's main context; a
 * request cancelled meanwhile gets G_IO_ERROR_CANCELLED there and the
 * decoded node is freed with the task. */
static void
request_decode_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  if (g_task_return_error_if_cancelled (task))
    return;
  request_decode (task, task_data);
}

static void
on_request_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->response = ct_http_send_finish (CT_HTTP (source), result, &error);
  if (data->response == NULL)
    {
      ct_odoo_error_set_request (error, data->label);
      g_task_return_error (task, error);
      return;
    }
  if (g_bytes_get_size (data->response->body) >= DECODE_IN_THREAD_MIN)
    {
      CT_ODOO_CLIENT (g_task_get_source_object (task))->thread_decodes++;
      g_task_run_in_thread (task, request_decode_thread);
    }
  else
    request_decode (task, data);
}

static GBytes *
node_to_bytes (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/* Sends @payload and decodes the answer; the task's pointer is the result
 * node (NULL for None). */
static void
request_full_async (CtOdooClient        *self,
                    Route                route,
                    const char          *path,
                    JsonNode            *payload,
                    const char          *label,
                    guint                attempts,
                    CtOdooDecodeFunc     decode_func,
                    gpointer             decode_data,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RequestData *data = g_new0 (RequestData, 1);
  g_autofree char *uri = g_strconcat (self->url, path, NULL);
  g_autofree char *bearer = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *headers[7] = { NULL, };
  guint n = 0;

  data->route = route;
  data->label = g_strdup (label);
  data->decode_func = decode_func;
  data->decode_data = decode_data;
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);
  g_task_set_source_tag (task, request_full_async);

  /* Without the database header every /jsonrpc call makes real Odoo list
   * its databases first (about 45 ms each). */
  if (self->database != NULL)
    {
      headers[n++] = "X-Odoo-Database";
      headers[n++] = self->database;
    }
  /* The key goes only where it is needed: never to /json/version. */
  if (route == ROUTE_JSON2 && g_str_has_prefix (path, "/json/2/"))
    {
      bearer = g_strconcat ("bearer ", self->secret, NULL);
      headers[n++] = "Authorization";
      headers[n++] = bearer;
    }
  body = payload ? node_to_bytes (payload) : NULL;
  ct_http_send_async (self->http, payload ? "POST" : "GET", uri, headers, body, label, attempts,
                      cancellable, on_request_done, task);
  if (bearer != NULL)
    explicit_bzero (bearer, strlen (bearer));
}

static void
request_async (CtOdooClient        *self,
               Route                route,
               const char          *path,
               JsonNode            *payload,
               const char          *label,
               guint                attempts,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  request_full_async (self, route, path, payload, label, attempts, NULL, NULL, cancellable,
                      callback, user_data);
}

static JsonNode *
request_finish (CtOdooClient  *self,
                GAsyncResult  *result,
                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static JsonNode *
jsonrpc_envelope (CtOdooClient *self,
                  const char   *service,
                  const char   *method,
                  JsonArray    *args)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "call");
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "service");
  json_builder_add_string_value (builder, service);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  json_builder_set_member_name (builder, "args");
  json_builder_add_value (builder, json_node_init_array (json_node_alloc (), args));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->next_id++);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
web_envelope (CtOdooClient *self,
              JsonObject   *params)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "call");
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), params));
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->next_id++);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ---- calls -------------------------------------------------------------- */

static JsonObject *
build_context (CtOdooClient *self,
               JsonObject   *extra)
{
  JsonObject *context = json_object_new ();

  if (self->lang != NULL)
    json_object_set_string_member (context, "lang", self->lang);
  if (self->tz != NULL)
    json_object_set_string_member (context, "tz", self->tz);
  if (self->company_ids->len > 0)
    {
      JsonArray *companies = json_array_new ();

      for (guint i = 0; i < self->company_ids->len; i++)
        json_array_add_int_element (companies, g_array_index (self->company_ids, gint64, i));
      json_object_set_array_member (context, "allowed_company_ids", companies);
    }
  if (extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (context, name, json_node_copy (value));
    }
  return context;
}

static JsonObject *
copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();

  if (object != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (copy, name, json_node_copy (value));
    }
  return copy;
}

typedef struct
{
  char       *model;
  char       *method;
  JsonArray  *ids;
  JsonObject *kwargs;
  JsonObject *context;
  char       *label;
  gboolean    reauthenticated;
  guint       generation;     /* the sign-in the call was last sent under */
  CtOdooDecodeFunc decode_func;
  gpointer         decode_data;
} CallData;

static void
call_data_free (CallData *data)
{
  g_free (data->model);
  g_free (data->method);
  g_clear_pointer (&data->ids, json_array_unref);
  g_clear_pointer (&data->kwargs, json_object_unref);
  g_clear_pointer (&data->context, json_object_unref);
  g_free (data->label);
  g_free (data);
}

static void call_send (GTask *task);
static void reauthenticate_async (CtOdooClient *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
static gboolean reauthenticate_finish (CtOdooClient *self, GAsyncResult *result,
                                       GError **error);

static void
on_reauthenticated (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!reauthenticate_finish (CT_ODOO_CLIENT (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  call_send (g_steal_pointer (&task));
}

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CtOdooClient *self = CT_ODOO_CLIENT (source);
  CallData *data = g_task_get_task_data (task);
  GError *error = NULL;
  JsonNode *node;

  node = request_finish (self, result, &error);
  if (error != NULL)
    {
      /* An expired session failed before the method ran, so trying once
       * more after signing in again is safe even for a write. */
      if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_SESSION_EXPIRED) &&
          !data->reauthenticated && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          GCancellable *cancellable = g_task_get_cancellable (task);

          data->reauthenticated = TRUE;
          g_clear_error (&error);
          if (data->generation != self->session_generation)
            {
              /* Another call signed in again while this one was on its
               * way: the new session is there already. */
              g_debug ("%s: session expired, already signed in again", data->label);
              call_send (g_steal_pointer (&task));
              return;
            }
          g_debug ("%s: session expired, signing in again", data->label);
          reauthenticate_async (self, cancellable, on_reauthenticated, g_steal_pointer (&task));
          return;
        }
      if (g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_SESSION_EXPIRED))
        {
          g_free (error->message);
          error->message =
            g_strdup (_("The Odoo session expired and signing in again did not help."));
        }
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
call_send (GTask *task)
{
  CtOdooClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  guint attempts = ct_odoo_method_is_read (data->method) ? self->read_attempts : 1;
  g_autoptr(JsonNode) payload = NULL;
  JsonObject *kwargs = copy_object (data->kwargs);

  data->generation = self->session_generation;
  json_object_set_object_member (kwargs, "context", build_context (self, data->context));

  if (self->dialect == CT_ODOO_DIALECT_JSON2)
    {
      g_autofree char *path = g_strdup_printf ("/json/2/%s/%s", data->model, data->method);

      if (data->ids != NULL)
        json_object_set_array_member (kwargs, "ids", json_array_ref (data->ids));
      payload = json_node_init_object (json_node_alloc (), kwargs);
      json_object_unref (kwargs);
      request_full_async (self, ROUTE_JSON2, path, payload, data->label, attempts,
                          data->decode_func, data->decode_data, g_task_get_cancellable (task),
                          on_call_done, task);
    }
  else if (self->cookie_session)
    {
      /* Once a session exists, calls go the web client's way: the password
       * stops travelling with every call, and an expired session (code 100)
       * is signed in again once. */
      g_autofree char *path = g_strdup_printf ("/web/dataset/call_kw/%s/%s", data->model,
                                               data->method);
      JsonObject *params = json_object_new ();
      JsonArray *positional = json_array_new ();

      if (data->ids != NULL)
        json_array_add_array_element (positional, json_array_ref (data->ids));
      json_object_set_string_member (params, "model", data->model);
      json_object_set_string_member (params, "method", data->method);
      json_object_set_array_member (params, "args", positional);
      json_object_set_object_member (params, "kwargs", kwargs);
      payload = web_envelope (self, params);
      json_object_unref (params);
      request_full_async (self, ROUTE_WEB, path, payload, data->label, attempts,
                          data->decode_func, data->decode_data, g_task_get_cancellable (task),
                          on_call_done, task);
    }
  else
    {
      JsonArray *args = json_array_new ();
      JsonArray *positional = json_array_new ();

      if (data->ids != NULL)
        json_array_add_array_element (positional, json_array_ref (data->ids));
      json_array_add_string_element (args, self->database);
      json_array_add_int_element (args, self->uid);
      json_array_add_string_element (args, self->secret);
      json_array_add_string_element (args, data->model);
      json_array_add_string_element (args, data->method);
      json_array_add_array_element (args, positional);
      json_array_add_object_element (args, kwargs);
      payload = jsonrpc_envelope (self, "object", "execute_kw", args);
      json_array_unref (args);
      request_full_async (self, ROUTE_JSONRPC, "/jsonrpc", payload, data->label, attempts,
                          data->decode_func, data->decode_data, g_task_get_cancellable (task),
                          on_call_done, task);
    }
}

void
ct_odoo_client_call_async (CtOdooClient        *self,
                           const char          *model,
                           const char          *method,
                           JsonArray           *ids,
                           JsonObject          *kwargs,
                           JsonObject          *context,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  ct_odoo_client_call_full_async (self, model, method, ids, kwargs, context, NULL, NULL,
                                  cancellable, callback, user_data);
}

void
ct_odoo_client_call_full_async (CtOdooClient        *self,
                                const char          *model,
                                const char          *method,
                                JsonArray           *ids,
                                JsonObject          *kwargs,
                                JsonObject          *context,
                                CtOdooDecodeFunc     decode_func,
                                gpointer             decode_data,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  CallData *data;

  g_return_if_fail (CT_IS_ODOO_CLIENT (self));
  g_return_if_fail (model != NULL && method != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_odoo_client_call_async);
  if (!self->connected)
    {
      g_task_return_new_error (task, CT_ODOO_ERROR, CT_ODOO_ERROR_AUTH,
                               _("Not signed in to Odoo yet."));
      g_object_unref (task);
      return;
    }

  data = g_new0 (CallData, 1);
  data->model = g_strdup (model);
  data->method = g_strdup (method);
  data->ids = ids ? json_array_ref (ids) : NULL;
  data->kwargs = kwargs ? json_object_ref (kwargs) : NULL;
  data->context = context ? json_object_ref (context) : NULL;
  data->label = g_strdup_printf ("%s.%s", model, method);
  data->decode_func = decode_func;
  data->decode_data = decode_data;
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);
  call_send (task);
}

JsonNode *
ct_odoo_client_call_finish (CtOdooClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- connecting ------------------------------------------------------- */

/* Connecting walks these steps in order, each one request and one handler;
 * a re-authentication runs CONNECT_AUTHENTICATE alone. */
typedef enum
{
  CONNECT_VERSION,        /* /json/version (recent servers) */
  CONNECT_VERSION_RPC,    /* common.version, which every version understands */
  CONNECT_AUTHENTICATE,   /* the login checked, the uid known */
  CONNECT_CONTEXT,        /* the user's language and time zone (JSON-RPC) */
  CONNECT_COMPANIES,      /* the user's companies */
  CONNECT_DONE,
} ConnectStep;

/* The steps that do not wait for one another go out together, as one
 * round: the version, and (guessing the dialect from the secret's kind) the
 * sign-in and the user's companies beside it; with JSON-RPC, the context
 * and the companies once the uid is known. Their answers are then handled
 * in the steps' order, as if they had come one by one; an answer asked in
 * a dialect the version then rules out is dropped and its step asked again. */
typedef struct
{
  ConnectStep    step;
  gboolean       reauth_only;
  gboolean       company_only;   /* company_ids could not be read */
  gboolean       by_login;       /* the companies were asked by login, before the uid */
  gboolean       signed_in;      /* the sign-in was accepted: "signed-in" is to be emitted */
  guint          pending;        /* answers of the current round still out */
  CtOdooDialect  round_dialect;  /* the dialect the round's sign-in was asked in */
  JsonNode      *answers[CONNECT_DONE];
  GError        *errors[CONNECT_DONE];
  gboolean       answered[CONNECT_DONE];
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  for (guint i = 0; i < CONNECT_DONE; i++)
    {
      g_clear_pointer (&data->answers[i], json_node_unref);
      g_clear_error (&data->errors[i]);
    }
  g_free (data);
}

/* Handles a step's answer: @node is the result (NULL with *@error set when
 * the request failed; a handler may clear the error to take another way).
 * Returns the next step; with *@error set the connection fails. */
typedef ConnectStep (*ConnectHandler) (CtOdooClient  *self,
                                       ConnectData   *data,
                                       JsonNode      *node,
                                       GError       **error);

static GError *
wrong_type_error (const char *what)
{
  return ct_odoo_error_new_full (CT_ODOO_ERROR_PROTOCOL,
                                 _("Odoo sent an answer of an unexpected type."),
                                 200, -1, NULL, what, NULL);
}

static ConnectStep
use_version (CtOdooClient  *self,
             JsonNode      *node,
             GError       **error)
{
  g_clear_pointer (&self->server_version, g_free);
  if (!ct_odoo_wire_parse_version (node, &self->major_version, NULL, &self->server_version,
                                   error))
    return CONNECT_DONE;
  if (self->wanted_dialect != CT_ODOO_DIALECT_AUTO)
    self->dialect = self->wanted_dialect;
  else if (self->major_version >= 19 && self->secret_kind == CT_SECRET_KIND_API_KEY)
    self->dialect = CT_ODOO_DIALECT_JSON2;
  else
    self->dialect = CT_ODOO_DIALECT_JSONRPC;
  if (self->dialect == CT_ODOO_DIALECT_JSON2 &&
      (self->major_version < 19 || self->secret_kind != CT_SECRET_KIND_API_KEY))
    {
      g_set_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_SUPPORTED,
                   _("JSON-2 needs Odoo 19 or later and an API key; this server runs %s."),
                   self->server_version);
      return CONNECT_DONE;
    }
  g_debug ("Odoo %s (major %d), dialect %s", self->server_version, self->major_version,
           self->dialect == CT_ODOO_DIALECT_JSON2 ? "JSON-2" : "JSON-RPC");
  return CONNECT_AUTHENTICATE;
}

static ConnectStep
on_version (CtOdooClient  *self,
            ConnectData   *data,
            JsonNode      *node,
            GError       **error)
{
  /* /json/version is new in recent versions; older ones answer 404 or a
   * web page: ask the way every version understands. */
  if (*error != NULL)
    {
      if ((*error)->domain == CT_ODOO_ERROR &&
          ((*error)->code == CT_ODOO_ERROR_NOT_FOUND || (*error)->code == CT_ODOO_ERROR_SERVER ||
           (*error)->code == CT_ODOO_ERROR_PROTOCOL))
        {
          g_clear_error (error);
          return CONNECT_VERSION_RPC;
        }
      return CONNECT_DONE;
    }
  return use_version (self, node, error);
}

static ConnectStep
on_version_rpc (CtOdooClient  *self,
                ConnectData   *data,
                JsonNode      *node,
                GError       **error)
{
  if (*error != NULL)
    return CONNECT_DONE;
  return use_version (self, node, error);
}

static ConnectStep
on_authenticate (CtOdooClient  *self,
                 ConnectData   *data,
                 JsonNode      *node,
                 GError       **error)
{
  if (*error != NULL)
    return CONNECT_DONE;
  if (self->dialect == CT_ODOO_DIALECT_JSON2)
    {
      /* res.users.context_get doubles as the key check */
      JsonObject *object;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          *error = wrong_type_error ("context_get");
          return CONNECT_DONE;
        }
      object = json_node_get_object (node);
      self->uid = json_object_get_int_member_with_default (object, "uid", 0);
      g_free (self->lang);
      self->lang = g_strdup (json_object_get_string_member_with_default (object, "lang", NULL));
      g_free (self->tz);
      self->tz = g_strdup (json_object_get_string_member_with_default (object, "tz", NULL));
      if (self->uid <= 0)
        {
          *error = wrong_type_error ("uid");
          return CONNECT_DONE;
        }
      self->connected = TRUE;
      data->signed_in = !data->reauth_only;
      return data->reauth_only ? CONNECT_DONE : CONNECT_COMPANIES;
    }
  /* common.authenticate answers false for a wrong login or password
   * rather than an error */
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) <= 0)
    {
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        *error = ct_odoo_error_new_full (CT_ODOO_ERROR_AUTH,
                                         _("Odoo did not accept the login or password."),
                                         200, -1, NULL, "authenticate returned false", NULL);
      else
        *error = wrong_type_error ("authenticate");
      return CONNECT_DONE;
    }
  self->uid = json_node_get_int (node);
  self->connected = TRUE;
  data->signed_in = !data->reauth_only;
  return data->reauth_only ? CONNECT_DONE : CONNECT_CONTEXT;
}

static ConnectStep
on_context (CtOdooClient  *self,
            ConnectData   *data,
            JsonNode      *node,
            GError       **error)
{
  JsonObject *context;

  if (*error != NULL)
    return CONNECT_DONE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *error = wrong_type_error ("context_get");
      return CONNECT_DONE;
    }
  context = json_node_get_object (node);
  g_free (self->lang);
  self->lang = g_strdup (json_object_get_string_member_with_default (context, "lang", NULL));
  g_free (self->tz);
  self->tz = g_strdup (json_object_get_string_member_with_default (context, "tz", NULL));
  return CONNECT_COMPANIES;
}

static void
add_company_ids (CtOdooClient *self,
                 JsonArray    *list)
{
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *element = json_array_get_element (list, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_INT64)
        {
          gint64 id = json_node_get_int (element);

          g_array_append_val (self->company_ids, id);
        }
    }
}

static ConnectStep
on_companies (CtOdooClient  *self,
              ConnectData   *data,
              JsonNode      *node,
              GError       **error)
{
  JsonArray *records;
  JsonObject *user;
  JsonNode *companies;

  /* Not knowing the companies is no reason to refuse the connection:
   * without allowed_company_ids Odoo uses the user's current company. */
  if (*error != NULL && (*error)->domain == CT_ODOO_ERROR &&
      ((*error)->code == CT_ODOO_ERROR_ACCESS || (*error)->code == CT_ODOO_ERROR_PROTOCOL ||
       (*error)->code == CT_ODOO_ERROR_USER || (*error)->code == CT_ODOO_ERROR_SERVER ||
       (data->by_login && (*error)->code == CT_ODOO_ERROR_NOT_FOUND)))
    {
      g_debug ("could not read the user's companies: %s", (*error)->message);
      g_clear_error (error);
      g_array_set_size (self->company_ids, 0);
      data->by_login = FALSE;
      if (data->company_only)
        return CONNECT_DONE;
      /* a server without company_ids (some builds, the simulator): the
       * user's own company is still worth knowing */
      data->company_only = TRUE;
      return CONNECT_COMPANIES;
    }
  if (*error != NULL)
    return CONNECT_DONE;
  /* Asked by login: unless that found exactly the signed-in user (a key
   * of another user, a login spelt otherwise), ask by uid. */
  if (data->by_login)
    {
      data->by_login = FALSE;
      if (!JSON_NODE_HOLDS_ARRAY (node) ||
          json_array_get_length (records = json_node_get_array (node)) != 1 ||
          !JSON_NODE_HOLDS_OBJECT (json_array_get_element (records, 0)) ||
          json_object_get_int_member_with_default (json_array_get_object_element (records, 0),
                                                   "id", 0) != self->uid)
        return CONNECT_COMPANIES;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (records = json_node_get_array (node)) != 1 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (records, 0)))
    {
      *error = wrong_type_error ("res.users.read");
      return CONNECT_DONE;
    }
  user = json_array_get_object_element (records, 0);
  companies = json_object_get_member (user, "company_ids");
  g_array_set_size (self->company_ids, 0);
  if (companies != NULL && JSON_NODE_HOLDS_ARRAY (companies) &&
      json_array_get_length (json_node_get_array (companies)) > 0)
    {
      add_company_ids (self, json_node_get_array (companies));
      return CONNECT_DONE;
    }
  /* company_id is a many2one: [id, name] */
  companies = json_object_get_member (user, "company_id");
  if (companies != NULL && JSON_NODE_HOLDS_ARRAY (companies) &&
      json_array_get_length (json_node_get_array (companies)) > 1)
    {
      g_autoptr(JsonArray) first = json_array_new ();

      json_array_add_element (first, json_node_copy (
        json_array_get_element (json_node_get_array (companies), 0)));
      add_company_ids (self, first);
    }
  return CONNECT_DONE;
}

static const ConnectHandler connect_handlers[] = {
  [CONNECT_VERSION] = on_version,
  [CONNECT_VERSION_RPC] = on_version_rpc,
  [CONNECT_AUTHENTICATE] = on_authenticate,
  [CONNECT_CONTEXT] = on_context,
  [CONNECT_COMPANIES] = on_companies,
};

typedef struct
{
  GTask       *task;   /* (owned) */
  ConnectStep  step;
} RoundCall;

static void connect_send_round (GTask *task);

/* Tells, once per connect, that the sign-in was accepted: with JSON-RPC
 * before the context and the companies are asked, so that what needs only
 * the uid and the secret goes out beside them (see ct-odoo-client.h). */
static void
connect_tell_signed_in (GTask *task)
{
  CtOdooClient *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (!data->signed_in || g_cancellable_is_cancelled (cancellable))
    return;
  data->signed_in = FALSE;
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, cancellable);
}

/* Handles the answers in, in the steps' order, as far as they go; then
 * asks what is still missing, or ends. Takes @task. */
static void
connect_advance (GTask *task)
{
  CtOdooClient *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);

  while (data->step < CONNECT_DONE && data->answered[data->step])
    {
      ConnectStep step = data->step;
      GError *error = g_steal_pointer (&data->errors[step]);
      g_autoptr(JsonNode) node = g_steal_pointer (&data->answers[step]);

      data->answered[step] = FALSE;
      /* Asked in the dialect the version then ruled out: ask again. */
      if (step != CONNECT_VERSION && step != CONNECT_VERSION_RPC &&
          data->round_dialect != self->dialect &&
          (step == CONNECT_AUTHENTICATE || data->by_login))
        {
          g_clear_error (&error);
          data->by_login = FALSE;
          data->answered[CONNECT_COMPANIES] = FALSE;
          break;
        }
      /* Only authenticate may answer null (as false). */
      if (error == NULL && node == NULL && step != CONNECT_AUTHENTICATE)
        error = wrong_type_error ("null");
      data->step = connect_handlers[step] (self, data, node, &error);
      if (error != NULL)
        {
          if (!data->reauth_only)
            self->connected = FALSE;
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }
  if (data->step == CONNECT_DONE)
    {
      self->session_generation++;
      connect_tell_signed_in (task);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  connect_tell_signed_in (task);
  connect_send_round (task);
}

static void
on_round_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RoundCall *call = user_data;
  GTask *task = call->task;
  ConnectData *data = g_task_get_task_data (task);
  ConnectStep step = call->step;
  GError *error = NULL;
  JsonNode *node;

  g_free (call);
  /* Both a bare request's and a call's task hold the result node. */
  node = g_task_propagate_pointer (G_TASK (result), &error);
  g_clear_pointer (&data->answers[step], json_node_unref);
  g_clear_error (&data->errors[step]);
  data->answers[step] = node;
  data->errors[step] = error;
  data->answered[step] = TRUE;
  if (--data->pending > 0)
    {
      g_object_unref (task);
      return;
    }
  connect_advance (task);
}

/* Sends the request of @step in @dialect, as part of the current round. */
static void
connect_send_step (GTask         *task,
                   ConnectStep    step,
                   CtOdooDialect  dialect)
{
  CtOdooClient *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(JsonNode) payload = NULL;
  RoundCall *call = g_new0 (RoundCall, 1);

  call->task = g_object_ref (task);
  call->step = step;
  data->pending++;
  switch (step)
    {
    case CONNECT_VERSION:
      request_async (self, ROUTE_JSON2, "/json/version", NULL, "version", self->read_attempts,
                     cancellable, on_round_answer, call);
      break;

    case CONNECT_VERSION_RPC:
      {
        JsonArray *args = json_array_new ();

        payload = jsonrpc_envelope (self, "common", "version", args);
        json_array_unref (args);
        request_async (self, ROUTE_JSONRPC, "/jsonrpc", payload, "common.version",
                       self->read_attempts, cancellable, on_round_answer, call);
      }
      break;

    case CONNECT_AUTHENTICATE:
      data->round_dialect = dialect;
      if (dialect == CT_ODOO_DIALECT_JSON2)
        {
          JsonObject *body = json_object_new ();

          payload = json_node_init_object (json_node_alloc (), body);
          json_object_unref (body);
          request_async (self, ROUTE_JSON2, "/json/2/res.users/context_get", payload,
                         "res.users.context_get", self->read_attempts, cancellable,
                         on_round_answer, call);
        }
      else
        {
          JsonArray *args = json_array_new ();

          json_array_add_string_element (args, self->database);
          json_array_add_string_element (args, self->login);
          json_array_add_string_element (args, self->secret);
          json_array_add_object_element (args, json_object_new ());
          payload = jsonrpc_envelope (self, "common", "authenticate", args);
          json_array_unref (args);
          request_async (self, ROUTE_JSONRPC, "/jsonrpc", payload, "common.authenticate",
                         self->read_attempts, cancellable, on_round_answer, call);
        }
      break;

    case CONNECT_CONTEXT:
      ct_odoo_client_call_async (self, "res.users", "context_get", NULL, NULL, NULL, cancellable,
                                 on_round_answer, call);
      break;

    case CONNECT_COMPANIES:
      {
        g_autoptr(JsonObject) kwargs = json_object_new ();
        JsonArray *fields = json_array_new ();

        json_array_add_string_element (fields, "company_id");
        if (!data->company_only)
          json_array_add_string_element (fields, "company_ids");
        json_object_set_array_member (kwargs, "fields", fields);
        if (data->by_login)
          {
            /* Before the uid is known (beside the key check): the user
             * whose login this is; checked against the uid afterwards. */
            JsonArray *domain = json_array_new ();
            JsonArray *term = json_array_new ();

            json_array_add_string_element (term, "login");
            json_array_add_string_element (term, "=");
            json_array_add_string_element (term, self->login);
            json_array_add_array_element (domain, term);
            json_object_set_array_member (kwargs, "domain", domain);
            json_object_set_int_member (kwargs, "limit", 2);
            payload = json_node_init_object (json_node_alloc (), kwargs);
            request_async (self, ROUTE_JSON2, "/json/2/res.users/search_read", payload,
                           "res.users.search_read", self->read_attempts, cancellable,
                           on_round_answer, call);
          }
        else
          {
            g_autoptr(JsonArray) ids = json_array_new ();

            json_array_add_int_element (ids, self->uid);
            ct_odoo_client_call_async (self, "res.users", "read", ids, kwargs, NULL, cancellable,
                                       on_round_answer, call);
          }
      }
      break;

    case CONNECT_DONE:
    default:
      g_assert_not_reached ();
    }
}

/* Sends the round that starts at the current step; takes @task. */
static void
connect_send_round (GTask *task)
{
  CtOdooClient *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  switch (data->step)
    {
    case CONNECT_VERSION:
      {
        /* Odoo 19 with an API key speaks JSON-2: sign in that way (and
         * ask for the companies by login) while the version is on its
         * way; otherwise JSON-RPC's authenticate, which every version
         * understands. */
        CtOdooDialect guess = self->wanted_dialect != CT_ODOO_DIALECT_JSONRPC &&
                              self->secret_kind == CT_SECRET_KIND_API_KEY
                              ? CT_ODOO_DIALECT_JSON2 : CT_ODOO_DIALECT_JSONRPC;

        connect_send_step (task, CONNECT_VERSION, CT_ODOO_DIALECT_AUTO);
        connect_send_step (task, CONNECT_AUTHENTICATE, guess);
        if (guess == CT_ODOO_DIALECT_JSON2 && self->login != NULL && *self->login != '\0')
          {
            data->by_login = TRUE;
            connect_send_step (task, CONNECT_COMPANIES, guess);
          }
      }
      break;

    case CONNECT_CONTEXT:
      /* JSON-RPC, signed in: the context and the companies at once. */
      data->by_login = FALSE;
      connect_send_step (task, CONNECT_CONTEXT, self->dialect);
      connect_send_step (task, CONNECT_COMPANIES, self->dialect);
      break;

    default:
      connect_send_step (task, data->step, self->dialect);
      break;
    }
  g_object_unref (task);
}

void
ct_odoo_client_connect_async (CtOdooClient        *self,
                              const CtConnection  *connection,
                              const char          *secret,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  ConnectData *data;
  g_autofree char *url = NULL;
  GError *error = NULL;

  g_return_if_fail (CT_IS_ODOO_CLIENT (self));
  g_return_if_fail (connection != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_odoo_client_connect_async);

  url = ct_connection_normalize_url (connection->odoo_url, connection->allow_insecure_http,
                                     &error);
  if (url == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (connection->database == NULL || *connection->database == '\0' ||
      connection->login == NULL || *connection->login == '\0' ||
      secret == NULL || *secret == '\0')
    {
      g_task_return_new_error (task, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_EMPTY,
                               _("The database, login and password or key are all needed."));
      g_object_unref (task);
      return;
    }

  self->connected = FALSE;
  self->cookie_session = FALSE;
  self->connect_serial++;
  g_free (self->url);
  self->url = g_steal_pointer (&url);
  g_free (self->database);
  self->database = g_strdup (connection->database);
  g_free (self->login);
  self->login = g_strdup (connection->login);
  wipe_secret (&self->secret);
  self->secret = g_strdup (secret);
  self->secret_kind = connection->secret_kind;
  self->uid = 0;
  self->dialect = CT_ODOO_DIALECT_AUTO;
  g_array_set_size (self->company_ids, 0);
  g_hash_table_remove_all (self->fields_cache);

  data = g_new0 (ConnectData, 1);
  data->step = CONNECT_VERSION;
  g_task_set_task_data (task, data, (GDestroyNotify) connect_data_free);
  connect_send_round (task);
}

gboolean
ct_odoo_client_connect_finish (CtOdooClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- cookie session --------------------------------------------------- */

static void
on_session_authenticated (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CtOdooClient *self = CT_ODOO_CLIENT (source);
  GError *error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = request_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      json_object_get_int_member_with_default (json_node_get_object (node), "uid", 0) <= 0)
    {
      g_task_return_error (task, ct_odoo_error_new_full (CT_ODOO_ERROR_AUTH,
                                                         _("Odoo did not open a session."),
                                                         200, -1, NULL, NULL, NULL));
      return;
    }
  self->cookie_session = TRUE;
  g_task_return_boolean (task, TRUE);
}

void
ct_odoo_client_authenticate_session_async (CtOdooClient        *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  JsonObject *params;
  g_autoptr(JsonNode) payload = NULL;

  g_task_set_source_tag (task, ct_odoo_client_authenticate_session_async);
  if (self->url == NULL || self->secret_kind != CT_SECRET_KIND_PASSWORD)
    {
      /* Odoo refuses an API key as a session password (AccessDenied). */
      g_task_return_new_error (task, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_SUPPORTED,
                               _("A browser-style session needs the password, not an API key."));
      g_object_unref (task);
      return;
    }
  soup_cookie_jar_set_accept_policy (self->cookie_jar, SOUP_COOKIE_JAR_ACCEPT_ALWAYS);

  params = json_object_new ();
  json_object_set_string_member (params, "db", self->database);
  json_object_set_string_member (params, "login", self->login);
  json_object_set_string_member (params, "password", self->secret);
  payload = web_envelope (self, params);
  json_object_unref (params);
  request_async (self, ROUTE_WEB, "/web/session/authenticate", payload, "session.authenticate",
                 1, cancellable, on_session_authenticated, task);
}

gboolean
ct_odoo_client_authenticate_session_finish (CtOdooClient  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
ct_odoo_client_has_web_session (CtOdooClient *self)
{
  g_return_val_if_fail (CT_IS_ODOO_CLIENT (self), FALSE);
  return self->cookie_session;
}

void
ct_odoo_client_web_call_async (CtOdooClient        *self,
                               const char          *path,
                               JsonObject          *params,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(JsonObject) owned = NULL;

  g_return_if_fail (CT_IS_ODOO_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  if (params == NULL)
    params = owned = json_object_new ();
  payload = web_envelope (self, params);
  /* Routes of the web client read data: safe to try again. */
  request_async (self, ROUTE_WEB, path, payload, path, self->read_attempts, cancellable,
                 callback, user_data);
}

JsonNode *
ct_odoo_client_web_call_finish (CtOdooClient  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return request_finish (self, result, error);
}

/* Signing in again after an expired session: the same login as connecting,
 * without re-reading version and companies. One at a time: calls that find
 * their session expired while it runs wait for it and share its result,
 * rather than each signing in (and each replacing the others' session). */
static void
on_reauthenticated_all (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  CtOdooClient *self = CT_ODOO_CLIENT (source);
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->reauth_waiters);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  self->reauth_waiters = g_ptr_array_new ();
  if (g_task_get_source_tag (G_TASK (result)) == ct_odoo_client_authenticate_session_async)
    {
      ok = ct_odoo_client_authenticate_session_finish (self, result, &error);
      if (ok)
        self->session_generation++;
    }
  else
    ok = g_task_propagate_boolean (G_TASK (result), &error);
  for (guint i = 0; i < waiters->len; i++)
    {
      g_autoptr(GTask) waiter = waiters->pdata[i];

      if (ok)
        g_task_return_boolean (waiter, TRUE);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }
}

static void
reauthenticate_async (CtOdooClient        *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GTask *shared;
  ConnectData *data;

  g_task_set_source_tag (task, reauthenticate_async);
  g_ptr_array_add (self->reauth_waiters, task);
  if (self->reauth_waiters->len > 1)
    return;   /* one is running: wait for it */

  /* No caller's cancellable: the others still wait for it. The transport's
   * timeouts bound it. */
  if (self->cookie_session)
    {
      ct_odoo_client_authenticate_session_async (self, NULL, on_reauthenticated_all, NULL);
      return;
    }
  shared = g_task_new (self, NULL, on_reauthenticated_all, NULL);
  data = g_new0 (ConnectData, 1);
  data->step = CONNECT_AUTHENTICATE;
  data->reauth_only = TRUE;
  g_task_set_task_data (shared, data, (GDestroyNotify) connect_data_free);
  connect_send_round (shared);
}

static gboolean
reauthenticate_finish (CtOdooClient  *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- access errors ---------------------------------------------------- */

/* The groups an AccessError says would be allowed ("This operation is
 * allowed for the following groups:" then one "\t- Group" per line), joined
 * with ", "; NULL when it names none. */
char *
ct_odoo_error_dup_allowed_groups (const GError *error)
{
  const CtOdooErrorDetails *details = ct_odoo_error_get_details (error);
  const char *list;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) groups = g_string_new (NULL);

  if (details == NULL || details->server_message == NULL ||
      (list = strstr (details->server_message, "following groups:")) == NULL)
    return NULL;
  lines = g_strsplit (list, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (!g_str_has_prefix (line, "- "))
        continue;
      if (groups->len > 0)
        g_string_append (groups, ", ");
      g_string_append (groups, line + 2);
    }
  return groups->len > 0 ? g_string_free (g_steal_pointer (&groups), FALSE) : NULL;
}

/* ---- helpers ---------------------------------------------------------- */

static JsonArray *
strv_to_array (const char * const *strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  return array;
}

static JsonArray *
domain_or_empty (JsonArray *domain)
{
  return domain ? json_array_ref (domain) : json_array_new ();
}

/* search_read with paging */

typedef struct
{
  char       *model;
  JsonArray  *domain;
  JsonArray  *fields;
  char       *order;
  guint       limit;
  guint       page_size;
  guint       offset;
  JsonArray  *records;
} SearchReadData;

static void
search_read_data_free (SearchReadData *data)
{
  g_free (data->model);
  json_array_unref (data->domain);
  g_clear_pointer (&data->fields, json_array_unref);
  g_free (data->order);
  json_array_unref (data->records);
  g_free (data);
}

static void search_read_page (GTask *task);

static void
append_records (JsonArray *records,
                JsonArray *page,
                guint      n)
{
  for (guint i = 0; i < n; i++)
    json_array_add_element (records, json_node_ref (json_array_get_element (page, i)));
}

static void
on_search_read_page (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchReadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *page;
  guint n;
  guint asked;

  node = ct_odoo_client_call_finish (CT_ODOO_CLIENT (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_task_return_error (task, wrong_type_error ("search_read"));
      return;
    }
  page = json_node_get_array (node);
  n = json_array_get_length (page);
  asked = data->page_size;
  if (data->limit > 0)
    asked = MIN (asked, data->limit - data->offset);
  /* never more than asked for, even from a server that ignores the limit */
  n = MIN (n, asked);
  for (guint i = 0; i < n; i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (page, i)))
      {
        g_task_return_error (task, wrong_type_error ("search_read record"));
        return;
      }
  /* A short page is the last one. */
  if (n < asked || n == 0 || (data->limit > 0 && data->offset + n >= data->limit))
    {
      /* The only page, as a full read's ranges are: it is the answer. */
      if (data->offset == 0 && n == json_array_get_length (page))
        {
          g_task_return_pointer (task, json_array_ref (page), (GDestroyNotify) json_array_unref);
          return;
        }
      append_records (data->records, page, n);
      g_task_return_pointer (task, json_array_ref (data->records),
                             (GDestroyNotify) json_array_unref);
      return;
    }
  append_records (data->records, page, n);
  data->offset += n;
  search_read_page (g_steal_pointer (&task));
}

static void
search_read_page (GTask *task)
{
  CtOdooClient *self = g_task_get_source_object (task);
  SearchReadData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) kwargs = json_object_new ();
  guint page = data->page_size;

  if (data->limit > 0)
    page = MIN (page, data->limit - data->offset);
  json_object_set_array_member (kwargs, "domain", json_array_ref (data->domain));
  if (data->fields != NULL)
    json_object_set_array_member (kwargs, "fields", json_array_ref (data->fields));
  json_object_set_string_member (kwargs, "order", data->order);
  json_object_set_int_member (kwargs, "offset", data->offset);
  json_object_set_int_member (kwargs, "limit", page);
  ct_odoo_client_call_async (self, data->model, "search_read", NULL, kwargs, NULL,
                             g_task_get_cancellable (task), on_search_read_page, task);
}

void
ct_odoo_client_search_read_async (CtOdooClient        *self,
                                  const char          *model,
                                  JsonArray           *domain,
                                  const char * const  *fields,
                                  const char          *order,
                                  guint                limit,
                                  guint                page_size,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SearchReadData *data = g_new0 (SearchReadData, 1);

  g_task_set_source_tag (task, ct_odoo_client_search_read_async);
  data->model = g_strdup (model);
  data->domain = domain_or_empty (domain);
  /* Without fields JSON-2 returns every field of every record. */
  data->fields = fields ? strv_to_array (fields) : NULL;
  data->order = g_strdup (order ? order : "id");
  data->limit = limit;
  data->page_size = page_size > 0 ? page_size : 500;
  data->records = json_array_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) search_read_data_free);
  search_read_page (task);
}

JsonArray *
ct_odoo_client_search_read_finish (CtOdooClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* read */

static void
on_array_result (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = ct_odoo_client_call_finish (CT_ODOO_CLIENT (source), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    g_task_return_error (task, wrong_type_error ("array expected"));
  else
    g_task_return_pointer (task, json_array_ref (json_node_get_array (node)),
                           (GDestroyNotify) json_array_unref);
}

void
ct_odoo_client_read_async (CtOdooClient        *self,
                           const char          *model,
                           const gint64        *ids,
                           guint                n_ids,
                           const char * const  *fields,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonArray) id_array = json_array_new ();
  g_autoptr(JsonObject) kwargs = json_object_new ();

  g_task_set_source_tag (task, ct_odoo_client_read_async);
  for (guint i = 0; i < n_ids; i++)
    json_array_add_int_element (id_array, ids[i]);
  if (fields != NULL)
    json_object_set_array_member (kwargs, "fields", strv_to_array (fields));
  ct_odoo_client_call_async (self, model, "read", id_array, kwargs, NULL, cancellable,
                             on_array_result, task);
}

JsonArray *
ct_odoo_client_read_finish (CtOdooClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* search_count and message_post: one integer */

static void
on_int_result (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonNode *value;

  node = ct_odoo_client_call_finish (CT_ODOO_CLIENT (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  value = node;
  /* message_post answers [id] */
  if (value != NULL && JSON_NODE_HOLDS_ARRAY (value) &&
      json_array_get_length (json_node_get_array (value)) == 1)
    value = json_array_get_element (json_node_get_array (value), 0);
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
      json_node_get_value_type (value) != G_TYPE_INT64)
    {
      g_task_return_error (task, wrong_type_error ("integer expected"));
      return;
    }
  g_task_return_int (task, json_node_get_int (value));
}

void
ct_odoo_client_search_count_async (CtOdooClient        *self,
                                   const char          *model,
                                   JsonArray           *domain,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonObject) kwargs = json_object_new ();

  g_task_set_source_tag (task, ct_odoo_client_search_count_async);
  json_object_set_array_member (kwargs, "domain", domain_or_empty (domain));
  ct_odoo_client_call_async (self, model, "search_count", NULL, kwargs, NULL, cancellable,
                             on_int_result, task);
}

gboolean
ct_odoo_client_search_count_finish (CtOdooClient  *self,
                                    GAsyncResult  *result,
                                    gint64        *count,
                                    GError       **error)
{
  GError *local_error = NULL;
  gssize value = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (count)
    *count = value;
  return TRUE;
}

void
ct_odoo_client_message_post_async (CtOdooClient        *self,
                                   const char          *model,
                                   gint64               id,
                                   const char          *body,
                                   gboolean             is_note,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autoptr(JsonObject) kwargs = json_object_new ();

  g_task_set_source_tag (task, ct_odoo_client_message_post_async);
  json_array_add_int_element (ids, id);
  /* Plain text: Odoo escapes it, so markup in a user's words stays text. */
  json_object_set_string_member (kwargs, "body", body);
  json_object_set_string_member (kwargs, "message_type", "comment");
  json_object_set_string_member (kwargs, "subtype_xmlid",
                                 is_note ? "mail.mt_note" : "mail.mt_comment");
  ct_odoo_client_call_async (self, model, "message_post", ids, kwargs, NULL, cancellable,
                             on_int_result, task);
}

gboolean
ct_odoo_client_message_post_finish (CtOdooClient  *self,
                                    GAsyncResult  *result,
                                    gint64        *message_id,
                                    GError       **error)
{
  return ct_odoo_client_search_count_finish (self, result, message_id, error);
}

/* fields_get, cached */

typedef struct
{
  char *model;
} FieldsData;

static void
fields_data_free (FieldsData *data)
{
  g_free (data->model);
  g_free (data);
}

static void
on_fields_get (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CtOdooClient *self = CT_ODOO_CLIENT (source);
  FieldsData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *fields;

  node = ct_odoo_client_call_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_error (task, wrong_type_error ("fields_get"));
      return;
    }
  fields = json_node_get_object (node);
  g_hash_table_replace (self->fields_cache, g_strdup (data->model), json_object_ref (fields));
  g_task_return_pointer (task, json_object_ref (fields), (GDestroyNotify) json_object_unref);
}

void
ct_odoo_client_fields_get_async (CtOdooClient        *self,
                                 const char          *model,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  static const char * const attributes[] = {
    "string", "type", "relation", "selection", "required", "readonly", NULL,
  };
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  JsonObject *cached = g_hash_table_lookup (self->fields_cache, model);
  g_autoptr(JsonObject) kwargs = NULL;
  FieldsData *data;

  g_task_set_source_tag (task, ct_odoo_client_fields_get_async);
  if (cached != NULL)
    {
      g_task_return_pointer (task, json_object_ref (cached), (GDestroyNotify) json_object_unref);
      g_object_unref (task);
      return;
    }
  data = g_new0 (FieldsData, 1);
  data->model = g_strdup (model);
  g_task_set_task_data (task, data, (GDestroyNotify) fields_data_free);
  kwargs = json_object_new ();
  json_object_set_array_member (kwargs, "attributes", strv_to_array (attributes));
  ct_odoo_client_call_async (self, model, "fields_get", NULL, kwargs, NULL, cancellable,
                             on_fields_get, task);
}

JsonObject *
ct_odoo_client_fields_get_finish (CtOdooClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonObject *
ct_odoo_client_lookup_fields (CtOdooClient *self,
                              const char   *model)
{
  g_return_val_if_fail (CT_IS_ODOO_CLIENT (self), NULL);
  return model != NULL ? g_hash_table_lookup (self->fields_cache, model) : NULL;
}

/* grouped reads */

typedef struct
{
  GStrv    groupby;
  GStrv    aggregates;
  gboolean formatted;
} GroupData;

static JsonArray *normalize_groups (JsonArray *raw, GroupData *data, GError **error);

static void
group_data_free (GroupData *data)
{
  g_strfreev (data->groupby);
  g_strfreev (data->aggregates);
  g_free (data);
}

JsonArray *
ct_odoo_normalize_groups (JsonArray           *raw,
                          const char * const  *groupby,
                          const char * const  *aggregates,
                          gboolean             formatted,
                          GError             **error)
{
  GroupData data = { (GStrv) groupby, (GStrv) aggregates, formatted };
  static const char * const none[] = { NULL };

  if (data.groupby == NULL)
    data.groupby = (GStrv) none;
  if (data.aggregates == NULL)
    data.aggregates = (GStrv) none;
  return normalize_groups (raw, &data, error);
}

static JsonArray *
normalize_groups (JsonArray  *raw,
                  GroupData  *data,
                  GError    **error)
{
  g_autoptr(JsonArray) groups = json_array_new ();

  for (guint i = 0; i < json_array_get_length (raw); i++)
    {
      JsonNode *element = json_array_get_element (raw, i);
      JsonObject *in;
      JsonObject *out;
      JsonObject *keys;
      JsonObject *values;
      JsonNode *domain;
      gint64 count = 0;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          *error = wrong_type_error ("group");
          return NULL;
        }
      in = json_node_get_object (element);
      out = json_object_new ();
      keys = json_object_new ();
      values = json_object_new ();

      for (guint g = 0; data->groupby[g] != NULL; g++)
        {
          JsonNode *value = json_object_get_member (in, data->groupby[g]);

          json_object_set_member (keys, data->groupby[g],
                                  value ? json_node_copy (value) : json_node_new (JSON_NODE_NULL));
        }
      /* 19's formatted_read_group counts in "__count"; read_group with
       * lazy=false does too. */
      count = json_object_get_int_member_with_default (in, "__count", -1);
      if (count < 0 && data->groupby[0] != NULL)
        {
          /* lazy read_group counts in "<first groupby>_count" */
          g_autofree char *field = g_strndup (data->groupby[0], strcspn (data->groupby[0], ":"));
          g_autofree char *name = g_strconcat (field, "_count", NULL);

          count = json_object_get_int_member_with_default (in, name, 0);
        }
      count = MAX (count, 0);
      for (guint a = 0; data->aggregates[a] != NULL; a++)
        {
          const char *spec = data->aggregates[a];
          g_autofree char *field = g_strndup (spec, strcspn (spec, ":"));
          JsonNode *value;

          if (g_str_equal (spec, "__count"))
            continue;
          /* read_group keys aggregates by field name, formatted_read_group by spec */
          value = json_object_get_member (in, data->formatted ? spec : field);
          json_object_set_member (values, spec,
                                  value ? json_node_copy (value) : json_node_new (JSON_NODE_NULL));
        }
      json_object_set_object_member (out, "groupby", keys);
      json_object_set_int_member (out, "count", count);
      json_object_set_object_member (out, "aggregates", values);
      domain = json_object_get_member (in, data->formatted ? "__extra_domain" : "__domain");
      if (domain != NULL && JSON_NODE_HOLDS_ARRAY (domain))
        json_object_set_member (out, "domain", json_node_copy (domain));
      json_array_add_object_element (groups, out);
    }
  return g_steal_pointer (&groups);
}

static void
on_read_group (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GroupData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *groups;

  node = ct_odoo_client_call_finish (CT_ODOO_CLIENT (source), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_task_return_error (task, wrong_type_error ("read_group"));
      return;
    }
  groups = normalize_groups (json_node_get_array (node), data, &error);
  if (groups == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, groups, (GDestroyNotify) json_array_unref);
}

void
ct_odoo_client_read_group_async (CtOdooClient        *self,
                                 const char          *model,
                                 JsonArray           *domain,
                                 const char * const  *groupby,
                                 const char * const  *aggregates,
                                 const char          *order,
                                 guint                limit,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GroupData *data = g_new0 (GroupData, 1);
  g_autoptr(JsonObject) kwargs = json_object_new ();
  JsonArray *aggregate_array = json_array_new ();
  const char *method;

  g_task_set_source_tag (task, ct_odoo_client_read_group_async);
  data->groupby = g_strdupv ((char **) groupby);
  if (data->groupby == NULL)
    data->groupby = g_new0 (char *, 1);
  data->aggregates = g_strdupv ((char **) aggregates);
  if (data->aggregates == NULL)
    data->aggregates = g_new0 (char *, 1);
  data->formatted = self->major_version >= 19;
  g_task_set_task_data (task, data, (GDestroyNotify) group_data_free);

  for (guint a = 0; data->aggregates[a] != NULL; a++)
    if (!g_str_equal (data->aggregates[a], "__count"))
      json_array_add_string_element (aggregate_array, data->aggregates[a]);

  json_object_set_array_member (kwargs, "domain", domain_or_empty (domain));
  json_object_set_array_member (kwargs, "groupby", strv_to_array (groupby));
  if (data->formatted)
    {
      method = "formatted_read_group";
      json_array_add_string_element (aggregate_array, "__count");
      json_object_set_array_member (kwargs, "aggregates", aggregate_array);
      if (order != NULL)
        json_object_set_string_member (kwargs, "order", order);
    }
  else
    {
      /* read_group (16-18): aggregates are "fields"; lazy=false groups by
       * every field at once and counts in __count. */
      method = "read_group";
      json_object_set_array_member (kwargs, "fields", aggregate_array);
      json_object_set_boolean_member (kwargs, "lazy", FALSE);
      if (order != NULL)
        json_object_set_string_member (kwargs, "orderby", order);
    }
  if (limit > 0)
    json_object_set_int_member (kwargs, "limit", limit);
  ct_odoo_client_call_async (self, model, method, NULL, kwargs, NULL, cancellable,
                             on_read_group, task);
}

JsonArray *
ct_odoo_client_read_group_finish (CtOdooClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
