/* ct-sim-bus.c - Odoo's bus websocket (/websocket): notifications when records change
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the recordings show (tests/data/protocol/odoo-19/06-bus-websocket-*):
 * the client connects to /websocket with its session cookie, sends
 * {"event_name": "subscribe", "data": {"channels": [], "last": N}} and gets
 * text frames, each a JSON array of {"id": n, "message": {"type", "payload"}}.
 * Without ?version a browser-like User-Agent is closed with 1000
 * OUTDATED_VERSION; a public (cookie-less) socket stays open and silent.
 *
 * The simulation: every new chatter message (posted, or the tracking
 * message a state change writes) becomes a "mail.record/insert" with the
 * message and its thread, sent to every signed-in subscriber. Real Odoo
 * sends it to followers and to the clients watching the thread; the app
 * only needs to learn which record changed. GET /websocket/health answers
 * {"status": "pass"}.
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <string.h>

#include "ct-sim-bus.h"

#define SCAN_INTERVAL_MS 50
#define BACKLOG 200

typedef struct
{
  CtSimBus                *bus;   /* (unowned) */
  SoupWebsocketConnection *conn;  /* (owned) */
  gint64                   uid;   /* 0: the public user */
  gboolean                 subscribed;
} Client;

struct _CtSimBus
{
  CtSimOdoo    *odoo;     /* (unowned) */
  GMainContext *context;  /* (unowned) */
  GPtrArray    *clients;  /* (owned) (element-type Client) */
  GPtrArray    *backlog;  /* (owned) (element-type utf8) notifications as JSON, ids ascending */
  gint64        first_id; /* bus id of backlog[0] */
  gint64        next_id;
  guint         scanned;  /* mail.message rows already announced */
  GSource      *scan;     /* (owned) */
};

static void
client_free (Client *client)
{
  g_signal_handlers_disconnect_by_data (client->conn, client);
  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_object_unref (client->conn);
  g_free (client);
}

static void
send_array (Client     *client,
            const char *items)
{
  g_autofree char *frame = g_strdup_printf ("[%s]", items);

  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (client->conn, frame);
}

static void
on_client_message (SoupWebsocketConnection *conn,
                   gint                     type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  Client *client = user_data;
  CtSimBus *bus = client->bus;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) items = NULL;
  JsonObject *root, *data;
  gsize length;
  const char *text = g_bytes_get_data (message, &length);
  gint64 last = 0;

  if (type != SOUP_WEBSOCKET_DATA_TEXT || !json_parser_load_from_data (parser, text, length, NULL))
    return;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  root = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (root, "event_name", ""),
                 "subscribe") != 0)
    return;
  client->subscribed = TRUE;
  data = json_object_has_member (root, "data") &&
         JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "data")) ?
         json_object_get_object_member (root, "data") : NULL;
  if (data != NULL)
    last = json_object_get_int_member_with_default (data, "last", 0);
  /* A client coming back asks for what it missed since @last. */
  if (last <= 0 || client->uid == 0)
    return;
  items = g_string_new (NULL);
  for (guint i = 0; i < bus->backlog->len; i++)
    if (bus->first_id + i > last)
      g_string_append_printf (items, "%s%s", items->len > 0 ? "," : "",
                              (char *) bus->backlog->pdata[i]);
  if (items->len > 0)
    send_array (client, items->str);
}

static void
on_client_closed (SoupWebsocketConnection *conn,
                  gpointer                 user_data)
{
  Client *client = user_data;

  g_ptr_array_remove (client->bus->clients, client);
}

static gboolean
close_outdated (gpointer data)
{
  SoupWebsocketConnection *conn = data;

  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, "OUTDATED_VERSION");
  return G_SOURCE_REMOVE;
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  CtSimBus *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *agent = soup_message_headers_get_one (headers, "User-Agent");
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = query != NULL ?
    g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  CtSimUser *user = ct_sim_odoo_session_user (self->odoo, msg);
  Client *client;

  /* Odoo tells a browser running old assets to reload (A2). */
  if ((params == NULL || !g_hash_table_contains (params, "version")) && agent != NULL &&
      strstr (agent, "Mozilla") != NULL)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_callback (source, close_outdated, g_object_ref (conn), g_object_unref);
      g_source_attach (source, self->context);
      g_source_unref (source);
      return;
    }
  client = g_new0 (Client, 1);
  client->bus = self;
  client->conn = g_object_ref (conn);
  client->uid = user != NULL ? user->uid : 0;
  g_signal_connect (conn, "message", G_CALLBACK (on_client_message), client);
  g_signal_connect (conn, "closed", G_CALLBACK (on_client_closed), client);
  g_ptr_array_add (self->clients, client);
}

/* One notification for a new message row, as Odoo's store format has it. */
static char *
notification_for (CtSimBus   *self,
                  CtSimModel *messages,
                  guint       row,
                  gint64      id)
{
  CtSimDb *db = ct_sim_odoo_get_db (self->odoo);
  const char *model_name = ct_sim_model_get_str (messages, row, "model");
  gint64 res_id = ct_sim_model_get_int (messages, row, "res_id");
  const char *body = ct_sim_model_get_str (messages, row, "body");
  CtSimModel *target = model_name != NULL ? ct_sim_db_get_model (db, model_name) : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *display = NULL;
  guint trow;

  if (target != NULL && ct_sim_model_lookup (target, res_id, &trow))
    display = ct_sim_model_display_name (target, trow);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, id);
  json_builder_set_member_name (b, "message");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "mail.record/insert");
  json_builder_set_member_name (b, "payload");
  json_builder_begin_object (b);

  json_builder_set_member_name (b, "mail.message");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "author_id");
  json_builder_add_int_value (b, ct_sim_model_get_int (messages, row, "author_id"));
  json_builder_set_member_name (b, "body");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "markup");
  json_builder_add_string_value (b, body != NULL ? body : "");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, ct_sim_model_get_str (messages, row, "date"));
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, ct_sim_model_row_id (messages, row));
  json_builder_set_member_name (b, "message_type");
  json_builder_add_string_value (b, ct_sim_model_get_str (messages, row, "message_type"));
  json_builder_set_member_name (b, "thread");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, res_id);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model_name);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "mail.thread");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "display_name");
  json_builder_add_string_value (b, display != NULL ? display : "");
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, res_id);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model_name);
  json_builder_end_object (b);
  json_builder_end_array (b);

  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  {
    g_autoptr(JsonNode) root = json_builder_get_root (b);

    return json_to_string (root, FALSE);
  }
}

static gboolean
scan_messages (gpointer user_data)
{
  CtSimBus *self = user_data;
  CtSimModel *messages = ct_sim_db_get_model (ct_sim_odoo_get_db (self->odoo), "mail.message");
  guint n = messages != NULL ? ct_sim_model_n_rows (messages) : 0;

  for (; self->scanned < n; self->scanned++)
    {
      guint row = self->scanned;
      char *item;

      if (!ct_sim_model_row_alive (messages, row) ||
          ct_sim_model_get_str (messages, row, "model") == NULL)
        continue;
      item = notification_for (self, messages, row, self->next_id);
      self->next_id++;
      g_ptr_array_add (self->backlog, item);
      if (self->backlog->len > BACKLOG)
        {
          g_ptr_array_remove_index (self->backlog, 0);
          self->first_id++;
        }
      for (guint i = 0; i < self->clients->len; i++)
        {
          Client *client = self->clients->pdata[i];

          if (client->subscribed && client->uid != 0)
            send_array (client, item);
        }
    }
  return G_SOURCE_CONTINUE;
}

CtSimBus *
ct_sim_bus_new (CtSimOdoo    *odoo,
                GMainContext *context)
{
  CtSimBus *self = g_new0 (CtSimBus, 1);
  CtSimModel *messages = ct_sim_db_get_model (ct_sim_odoo_get_db (odoo), "mail.message");

  self->odoo = odoo;
  self->context = context;
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  self->backlog = g_ptr_array_new_with_free_func (g_free);
  self->first_id = 1;
  self->next_id = 1;
  /* What the dataset starts with is history, not news. */
  self->scanned = messages != NULL ? ct_sim_model_n_rows (messages) : 0;
  self->scan = g_timeout_source_new (SCAN_INTERVAL_MS);
  g_source_set_callback (self->scan, scan_messages, self, NULL);
  g_source_attach (self->scan, context);
  return self;
}

void
ct_sim_bus_free (CtSimBus *self)
{
  if (self == NULL)
    return;
  g_source_destroy (self->scan);
  g_source_unref (self->scan);
  g_ptr_array_unref (self->clients);
  g_ptr_array_unref (self->backlog);
  g_free (self);
}

void
ct_sim_bus_attach (CtSimBus   *self,
                   SoupServer *server)
{
  soup_server_add_websocket_handler (server, "/websocket", NULL, NULL, on_websocket, self, NULL);
}

gboolean
ct_sim_bus_owns_path (const char *path)
{
  return g_strcmp0 (path, "/websocket") == 0 || g_str_has_prefix (path, "/websocket/");
}

void
ct_sim_bus_handle (CtSimBus          *self,
                   SoupServerMessage *msg,
                   const char        *path)
{
  static const char health[] = "{\"status\": \"pass\"}";

  if (g_strcmp0 (path, "/websocket/health") == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Cache-Control", "no-store");
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, health,
                                        strlen (health));
    }
  else if (g_strcmp0 (path, "/websocket") != 0)
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  /* /websocket itself: leave the status unset so the server completes
   * the upgrade (or refuses a request that is no handshake). */
}

void
ct_sim_bus_close_all (CtSimBus *self)
{
  g_ptr_array_set_size (self->clients, 0);
}

guint
ct_sim_bus_count_open (CtSimBus *self)
{
  return self->clients->len;
}
