/* ct-sim-server.c - An Odoo 19 + n8n simulator on a loopback port
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SoupServer lives in a thread of its own with its own GMainContext: the
 * app's UI (or a test's main loop) never waits on the simulator, and the
 * simulator's state is only ever touched from that thread.
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ct-sim-cert.h"
#include "ct-sim-datasets.h"
#include "ct-sim-faults.h"
#include "ct-sim-n8n.h"
#include "ct-sim-bus.h"
#include "ct-sim-odoo.h"
#include "ct-sim-schema.h"
#include "ct-sim-server.h"

struct _CtSimServer
{
  GObject       parent_instance;

  CtSimOptions  options;
  GDateTime    *now;       /* (owned) (nullable) */
  char         *faults_spec;
  char         *dataset;
  CtSimFaults  *faults;    /* (owned) internally locked */
  CtSimOdoo    *odoo;      /* (owned) server thread only once started */
  CtSimN8n     *n8n;       /* (owned) */
  CtSimBus     *bus;       /* (owned) server thread only, while serving */
  GHashTable   *passwords; /* login -> password, immutable after new() */
  GHashTable   *api_keys;  /* login -> key, immutable after new() */
  JsonArray    *users;     /* the users as --print-credentials shows them, immutable after new() */

  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  guint         port;

  GMutex        lock;      /* protects the fields below and the start handshake */
  GCond         cond;
  gboolean      started;
  GError       *start_error;
  GHashTable   *counts;    /* path -> count */
};

G_DEFINE_FINAL_TYPE (CtSimServer, ct_sim_server, G_TYPE_OBJECT)

static void
ct_sim_server_finalize (GObject *object)
{
  CtSimServer *self = (CtSimServer *) object;

  ct_sim_server_stop (self);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->faults_spec, g_free);
  g_clear_pointer (&self->dataset, g_free);
  g_clear_pointer (&self->faults, ct_sim_faults_free);
  g_clear_pointer (&self->odoo, ct_sim_odoo_free);
  g_clear_object (&self->n8n);
  g_clear_pointer (&self->passwords, g_hash_table_unref);
  g_clear_pointer (&self->api_keys, g_hash_table_unref);
  g_clear_pointer (&self->users, json_array_unref);
  g_clear_pointer (&self->counts, g_hash_table_unref);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (ct_sim_server_parent_class)->finalize (object);
}

static void
ct_sim_server_class_init (CtSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ct_sim_server_finalize;
}

static void
ct_sim_server_init (CtSimServer *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->api_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
is_recorded (CtSimServer *self)
{
  return g_strcmp0 (self->dataset, "recorded") == 0 ||
         g_strcmp0 (self->dataset, "recorded-enterprise") == 0;
}

/* The recorded database with Odoo Approvals and OCA queue_job installed as
 * well: the recorded records, plus the models a Community server lacks. */
static gboolean
has_extras (CtSimServer *self)
{
  return !is_recorded (self) || g_strcmp0 (self->dataset, "recorded-enterprise") == 0;
}

CtSimServer *
ct_sim_server_new (const CtSimOptions  *options,
                   GError             **error)
{
  g_autoptr(CtSimServer) self = g_object_new (CT_TYPE_SIM_SERVER, NULL);
  g_autoptr(GDateTime) wall = g_date_time_new_now_utc ();
  g_autoptr(GArray) links = g_array_new (FALSE, TRUE, sizeof (CtSimLink));
  CtSimDb *db;

  g_return_val_if_fail (options != NULL, NULL);

  if (options->dataset != NULL && g_strcmp0 (options->dataset, "recorded") != 0 &&
      g_strcmp0 (options->dataset, "recorded-enterprise") != 0 &&
      g_strcmp0 (options->dataset, "generated") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Unknown dataset “%s”: use “generated” or “recorded”", options->dataset);
      return NULL;
    }
  if (options->dataset == NULL || g_strcmp0 (options->dataset, "generated") == 0)
    if (options->n_cases != 0 && (options->n_cases < 10 || options->n_cases > 200000))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "The number of cases must be between 10 and 200 000, not %u",
                     options->n_cases);
        return NULL;
      }

  self->options = *options;
  if (self->options.n_cases == 0)
    self->options.n_cases = 1000;
  self->now = options->now != NULL ? g_date_time_ref (options->now) : NULL;
  self->faults_spec = g_strdup (options->faults);
  self->dataset = g_strdup (options->dataset);
  self->options.now = self->now;
  self->options.faults = self->faults_spec;
  self->options.dataset = self->dataset;

  self->faults = ct_sim_faults_new ();
  if (options->faults != NULL && !ct_sim_faults_parse (self->faults, options->faults, error))
    return NULL;

  db = ct_sim_db_new (is_recorded (self) ? "ct" : "distribution",
                      self->now != NULL ? self->now : wall);
  ct_sim_schema_build (db, has_extras (self));
  ct_sim_models_install_computes (db);
  ct_sim_attachments_install (db);
  self->odoo = ct_sim_odoo_new (db);
  if (is_recorded (self))
    ct_sim_dataset_recorded (self->odoo);
  else
    ct_sim_dataset_distributor (self->odoo, options->seed, self->options.n_cases, links);
  db->live_since_us = g_get_monotonic_time ();

  self->users = json_array_new ();
  for (guint i = 0; i < ct_sim_odoo_get_users (self->odoo)->len; i++)
    {
      CtSimUser *user = g_ptr_array_index (ct_sim_odoo_get_users (self->odoo), i);
      JsonObject *entry;
      JsonArray *groups;

      if (user->password == NULL)
        continue;  /* __system__ and the like cannot sign in */
      g_hash_table_insert (self->passwords, g_strdup (user->login), g_strdup (user->password));
      if (user->api_keys->len > 0)
        g_hash_table_insert (self->api_keys, g_strdup (user->login),
                             g_strdup (g_ptr_array_index (user->api_keys, 0)));
      entry = json_object_new ();
      json_object_set_string_member (entry, "login", user->login);
      json_object_set_string_member (entry, "password", user->password);
      json_object_set_int_member (entry, "uid", user->uid);
      json_object_set_string_member (entry, "name", user->name);
      groups = json_array_new ();
      for (guint j = 0; user->groups[j] != NULL; j++)
        if (user->groups[j][0] != '\0')
          json_array_add_string_element (groups, user->groups[j]);
      json_object_set_array_member (entry, "groups", groups);
      if (user->api_keys->len > 0)
        json_object_set_string_member (entry, "api_key", g_ptr_array_index (user->api_keys, 0));
      else
        json_object_set_null_member (entry, "api_key");
      json_array_add_object_element (self->users, entry);
    }

  self->n8n = ct_sim_n8n_new (options->seed, self->options.n_cases, self->now,
                              is_recorded (self) ? "recorded" : "generated");
  if (links->len > 0)
    {
      g_autofree CtSimN8nLink *n8n_links = g_new0 (CtSimN8nLink, links->len);

      for (guint i = 0; i < links->len; i++)
        {
          CtSimLink *link = &g_array_index (links, CtSimLink, i);

          n8n_links[i].model = link->model;
          n8n_links[i].id = link->id;
          n8n_links[i].name = link->name;
          n8n_links[i].topic = link->topic;
        }
      ct_sim_n8n_set_links (self->n8n, n8n_links, links->len);
    }
  for (guint i = 0; i < links->len; i++)
    {
      CtSimLink *link = &g_array_index (links, CtSimLink, i);

      g_free (link->model);
      g_free (link->name);
    }

  return g_steal_pointer (&self);
}

/* Request handling, on the server thread */

typedef struct
{
  CtSimServer       *self;
  SoupServerMessage *msg;
} Delayed;

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_object_unref (delayed->msg);
  g_free (delayed);
}

/* Freed by delayed_free, also when the server stops before it fires. */
static gboolean
unpause_delayed (gpointer data)
{
  Delayed *delayed = data;

  soup_server_message_unpause (delayed->msg);
  return G_SOURCE_REMOVE;
}

static gboolean
uses_session (const char *path)
{
  return g_str_has_prefix (path, "/web/dataset/") || g_strcmp0 (path, "/mail/thread/messages") == 0 ||
    g_strcmp0 (path, "/web/session/get_session_info") == 0 ||
    g_strcmp0 (path, "/web/session/check") == 0;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  CtSimServer *self = user_data;
  guint delay_ms = 0;

  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->counts, g_strdup (path),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, path)) + 1));
  g_mutex_unlock (&self->lock);

  if (ct_sim_faults_before (self->faults, msg, path, &delay_ms))
    return;

  if (ct_sim_bus_owns_path (path))
    ct_sim_bus_handle (self->bus, msg, path);
  else if (ct_sim_n8n_owns_path (path))
    ct_sim_n8n_handle (self->n8n, msg, path, query);
  else if (ct_sim_odoo_owns_path (path))
    ct_sim_odoo_handle (self->odoo, msg, path,
                        uses_session (path) && ct_sim_faults_session_should_expire (self->faults));
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);

  ct_sim_faults_after (self->faults, msg, path);

  if (delay_ms > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);
      GSource *source = g_timeout_source_new (delay_ms);

      delayed->self = self;
      delayed->msg = g_object_ref (msg);
      soup_server_message_pause (msg);
      g_source_set_callback (source, unpause_delayed, delayed, delayed_free);
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
}

/* Listens on 127.0.0.1:@port. The backlog is a server's, not GLib's
 * default of 10: a client's first refresh opens twenty-odd connections at
 * once, and a full accept queue drops a SYN that is then sent again only a
 * second later, which a latency benchmark would count as the server's. */
static gboolean
listen_loopback (SoupServer  *server,
                 guint        port,
                 gboolean     tls,
                 GError     **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, 128);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  return soup_server_listen_socket (server, socket, tls ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

static gpointer
server_thread (gpointer data)
{
  CtSimServer *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);

  if (self->options.tls)
    {
      g_autofree char *pem = g_strconcat (ct_sim_cert_pem, ct_sim_cert_key_pem, NULL);

      certificate = g_tls_certificate_new_from_pem (pem, -1, &error);
    }
  if (error == NULL)
    {
      self->server = certificate != NULL ?
        soup_server_new ("tls-certificate", certificate, "server-header", "Werkzeug/2.2.2 Python/3.11.2", NULL) :
        soup_server_new ("server-header", "Werkzeug/2.2.2 Python/3.11.2", NULL);
      soup_server_add_handler (self->server, NULL, handle_request, self, NULL);
      /* The same handler on the websocket path counts and faults the
       * handshake; the bus completes the upgrade when it passes. */
      soup_server_add_handler (self->server, "/websocket", handle_request, self, NULL);
      self->bus = ct_sim_bus_new (self->odoo, self->context);
      ct_sim_bus_attach (self->bus, self->server);
      listen_loopback (self->server, self->options.port, self->options.tls, &error);
    }
  if (error == NULL)
    {
      uris = soup_server_get_uris (self->server);
      if (uris != NULL)
        self->port = g_uri_get_port (uris->data);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&self->lock);
  self->started = TRUE;
  if (error != NULL)
    self->start_error = g_error_copy (error);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  if (error == NULL)
    g_main_loop_run (self->loop);

  g_clear_pointer (&self->bus, ct_sim_bus_free);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  /* Let pending sources (delayed answers) finish before the context goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

gboolean
ct_sim_server_start (CtSimServer  *self,
                     GError      **error)
{
  g_return_val_if_fail (CT_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->started = FALSE;
  self->thread = g_thread_new ("ct-sim", server_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->started)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      ct_sim_server_stop (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
ct_sim_server_stop (CtSimServer *self)
{
  g_return_if_fail (CT_IS_SIM_SERVER (self));

  if (self->thread == NULL)
    return;
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);
  self->thread = NULL;
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}

guint
ct_sim_server_get_port (CtSimServer *self)
{
  g_return_val_if_fail (CT_IS_SIM_SERVER (self), 0);
  return self->port;
}

char *
ct_sim_server_dup_url (CtSimServer *self)
{
  g_return_val_if_fail (CT_IS_SIM_SERVER (self), NULL);
  return g_strdup_printf ("%s://127.0.0.1:%u", self->options.tls ? "https" : "http", self->port);
}

const char *
ct_sim_server_get_database (CtSimServer *self)
{
  g_return_val_if_fail (CT_IS_SIM_SERVER (self), NULL);
  return is_recorded (self) ? "ct" : "distribution";
}

CtSimFaults *
ct_sim_server_get_faults (CtSimServer *self)
{
  g_return_val_if_fail (CT_IS_SIM_SERVER (self), NULL);
  return self->faults;
}

guint
ct_sim_server_count_requests (CtSimServer *self,
                              const char  *path_prefix)
{
  GHashTableIter iter;
  gpointer key, value;
  guint count = 0;

  g_return_val_if_fail (CT_IS_SIM_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (path_prefix == NULL || g_str_has_prefix (key, path_prefix))
      count += GPOINTER_TO_UINT (value);
  g_mutex_unlock (&self->lock);
  return count;
}

void
ct_sim_server_reset_counts (CtSimServer *self)
{
  g_return_if_fail (CT_IS_SIM_SERVER (self));

  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->counts);
  g_mutex_unlock (&self->lock);
}

const char *
ct_sim_server_get_password (CtSimServer *self,
                            const char  *login)
{
  g_return_val_if_fail (CT_IS_SIM_SERVER (self), NULL);
  return login != NULL ? g_hash_table_lookup (self->passwords, login) : NULL;
}

const char *
ct_sim_server_get_api_key (CtSimServer *self,
                           const char  *login)
{
  g_return_val_if_fail (CT_IS_SIM_SERVER (self), NULL);
  return login != NULL ? g_hash_table_lookup (self->api_keys, login) : NULL;
}

const char *
ct_sim_server_get_n8n_api_key (CtSimServer *self)
{
  g_return_val_if_fail (CT_IS_SIM_SERVER (self), NULL);
  return ct_sim_n8n_get_api_key (self->n8n);
}

/**
 * ct_sim_server_dup_credentials_json:
 *
 * What a person or a script needs to connect to the running simulator, as
 * `ct-sim --print-credentials` prints it: the base URL, the Odoo database,
 * every user with password, uid, groups and API key (null for a user
 * without one), and the n8n API key.
 *
 * Returns: (transfer full): pretty-printed JSON
 */
char *
ct_sim_server_dup_credentials_json (CtSimServer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *url = NULL;

  g_return_val_if_fail (CT_IS_SIM_SERVER (self), NULL);

  url = ct_sim_server_dup_url (self);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "odoo");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, "19.0");
  json_builder_set_member_name (builder, "database");
  json_builder_add_string_value (builder, ct_sim_server_get_database (self));
  json_builder_set_member_name (builder, "users");
  json_builder_add_value (builder, json_node_init_array (json_node_alloc (), self->users));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "n8n");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "api_key");
  json_builder_add_string_value (builder, ct_sim_server_get_n8n_api_key (self));
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

const char *
ct_sim_server_get_certificate_pem (CtSimServer *self)
{
  return ct_sim_cert_pem;
}

static gboolean
close_websockets_cb (gpointer data)
{
  CtSimServer *self = data;

  if (self->bus != NULL)
    ct_sim_bus_close_all (self->bus);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

void
ct_sim_server_close_websockets (CtSimServer *self)
{
  g_return_if_fail (CT_IS_SIM_SERVER (self));

  if (self->context != NULL)
    g_main_context_invoke (self->context, close_websockets_cb, g_object_ref (self));
}

typedef struct
{
  CtSimServer *self;
  const char  *login;
  const char  *groups;
  gboolean     found;
  gboolean     done;
  GMutex       mutex;
  GCond        cond;
} SetGroups;

static gboolean
set_user_groups_cb (gpointer data)
{
  SetGroups *call = data;
  CtSimUser *user = ct_sim_odoo_find_user (call->self->odoo, call->login);

  if (user != NULL)
    {
      g_strfreev (user->groups);
      user->groups = g_strsplit (call->groups, ",", -1);
    }
  g_mutex_lock (&call->mutex);
  call->found = user != NULL;
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->mutex);
  return G_SOURCE_REMOVE;
}

gboolean
ct_sim_server_set_user_groups (CtSimServer *self,
                               const char  *login,
                               const char  *groups)
{
  SetGroups call = { self, login, groups, FALSE, FALSE };

  g_return_val_if_fail (CT_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (login != NULL && groups != NULL, FALSE);

  if (self->thread == NULL)
    {
      set_user_groups_cb (&call);
      return call.found;
    }
  g_mutex_init (&call.mutex);
  g_cond_init (&call.cond);
  g_main_context_invoke (self->context, set_user_groups_cb, &call);
  g_mutex_lock (&call.mutex);
  while (!call.done)
    g_cond_wait (&call.cond, &call.mutex);
  g_mutex_unlock (&call.mutex);
  g_mutex_clear (&call.mutex);
  g_cond_clear (&call.cond);
  return call.found;
}
