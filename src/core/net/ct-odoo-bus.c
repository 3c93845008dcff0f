/* ct-odoo-bus.c - Odoo's bus websocket: which records changed, live, with polling as the fallback
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * As recorded against Odoo 19 (tests/data/protocol/odoo-19/06-bus-websocket-*):
 * GET /websocket with the session cookie and an Origin upgrades; the client
 * sends {"event_name": "subscribe", "data": {"channels": [], "last": N}};
 * text frames are JSON arrays of {"id", "message": {"type", "payload"}}.
 * Without ?version Odoo closes a browser-like User-Agent with
 * OUTDATED_VERSION, so the request says who it is instead. Without a
 * cookie the socket stays open and silent: the bus needs a web session,
 * which only a password sign-in gives.
 */

#define G_LOG_DOMAIN "ct-odoo-bus"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "ct-odoo-bus.h"

#define MAX_RETRY_MS (10 * 60 * 1000)
#define KEEPALIVE_SECONDS 20

struct _CtOdooBus
{
  GObject                  parent_instance;

  CtOdooClient            *client;       /* (owned) */
  SoupWebsocketConnection *conn;         /* (owned) (nullable) */
  GCancellable            *cancellable;  /* (owned) (nullable) the pending connect */
  CtBusState               state;
  char                    *status_text;  /* (owned) */
  gint64                   last_id;
  guint                    retry_ms;
  guint                    next_retry_ms;
  guint                    retry_source;
};

enum
{
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

G_DEFINE_ENUM_TYPE (CtBusState, ct_bus_state,
                    G_DEFINE_ENUM_VALUE (CT_BUS_STATE_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (CT_BUS_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (CT_BUS_STATE_LIVE, "live"),
                    G_DEFINE_ENUM_VALUE (CT_BUS_STATE_POLLING, "polling"))

G_DEFINE_FINAL_TYPE (CtOdooBus, ct_odoo_bus, G_TYPE_OBJECT)

static void connect_socket (CtOdooBus *self);

static void
set_state (CtOdooBus  *self,
           CtBusState  state,
           char       *text)
{
  g_free (self->status_text);
  self->status_text = text;
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
}

/* ---- parsing ------------------------------------------------------------- */

typedef struct
{
  GHashTable      *seen;
  CtBusRecordFunc  func;
  gpointer         user_data;
} Collect;

static void
collect_record (Collect    *collect,
                const char *model,
                gint64      id)
{
  g_autofree char *key = NULL;

  if (model == NULL || id <= 0)
    return;
  key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, model, id);
  if (!g_hash_table_add (collect->seen, g_steal_pointer (&key)))
    return;
  collect->func (model, id, collect->user_data);
}

/* Records in a store payload: mail.message rows name their thread
 * ({"thread": {"model", "id"}}, or "model" and "res_id"), mail.thread rows
 * are records themselves. */
static void
collect_store (Collect    *collect,
               JsonObject *store)
{
  JsonNode *node;

  if (store == NULL)
    return;
  node = json_object_get_member (store, "mail.message");
  for (guint i = 0; node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
       i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (node), i);
      JsonObject *message = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *thread = message != NULL ? json_object_get_member (message, "thread") : NULL;

      if (thread != NULL && JSON_NODE_HOLDS_OBJECT (thread))
        {
          JsonObject *t = json_node_get_object (thread);

          collect_record (collect, json_object_get_string_member_with_default (t, "model", NULL),
                          json_object_get_int_member_with_default (t, "id", 0));
        }
      else if (message != NULL)
        collect_record (collect,
                        json_object_get_string_member_with_default (message, "model", NULL),
                        json_object_get_int_member_with_default (message, "res_id", 0));
    }
  node = json_object_get_member (store, "mail.thread");
  for (guint i = 0; node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
       i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (node), i);

      if (JSON_NODE_HOLDS_OBJECT (item))
        collect_record (collect,
                        json_object_get_string_member_with_default (json_node_get_object (item),
                                                                    "model", NULL),
                        json_object_get_int_member_with_default (json_node_get_object (item),
                                                                 "id", 0));
    }
}

gint64
ct_odoo_bus_parse_frame (const char      *data,
                         gsize            length,
                         gint64           last,
                         CtBusRecordFunc  func,
                         gpointer         user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Collect collect = { seen, func, user_data };
  JsonNode *root;
  JsonArray *items;

  if (data == NULL || !json_parser_load_from_data (parser, data, length, NULL))
    return last;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return last;
  items = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      JsonObject *notification, *message;
      JsonNode *payload, *inner;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      notification = json_node_get_object (item);
      last = MAX (last, json_object_get_int_member_with_default (notification, "id", 0));
      inner = json_object_get_member (notification, "message");
      if (inner == NULL || !JSON_NODE_HOLDS_OBJECT (inner))
        continue;
      message = json_node_get_object (inner);
      payload = json_object_get_member (message, "payload");
      if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
        continue;
      collect_store (&collect, json_node_get_object (payload));
      /* discuss.channel/new_message nests its store under "data". */
      inner = json_object_get_member (json_node_get_object (payload), "data");
      if (inner != NULL && JSON_NODE_HOLDS_OBJECT (inner))
        collect_store (&collect, json_node_get_object (inner));
    }
  return last;
}

/* ---- the socket ------------------------------------------------------------ */

static gboolean
retry_cb (gpointer user_data)
{
  CtOdooBus *self = user_data;

  self->retry_source = 0;
  connect_socket (self);
  return G_SOURCE_REMOVE;
}

static void
drop_connection (CtOdooBus *self)
{
  if (self->conn == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->conn, self);
  if (soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_clear_object (&self->conn);
}

/* The socket failed: poll, and try again later. */
static void
fall_back (CtOdooBus  *self,
           const char *why)
{
  drop_connection (self);
  /* Translators: %s says why the live connection is not available */
  set_state (self, CT_BUS_STATE_POLLING, g_strdup_printf (_("Polling: %s"), why));
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_source = g_timeout_add (self->next_retry_ms, retry_cb, self);
  self->next_retry_ms = MIN (self->next_retry_ms * 2, MAX_RETRY_MS);
}

static void
emit_changed (const char *model,
              gint64      id,
              gpointer    user_data)
{
  g_signal_emit (user_data, signals [CHANGED], 0, model, id);
}

static void
on_message (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  CtOdooBus *self = user_data;
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  g_object_ref (self);
  self->last_id = ct_odoo_bus_parse_frame (data, length, self->last_id, emit_changed, self);
  g_object_unref (self);
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  CtOdooBus *self = user_data;
  const char *reason = soup_websocket_connection_get_close_data (conn);
  g_autofree char *why = NULL;

  if (reason != NULL && reason[0] != '\0')
    /* Translators: %s is Odoo's close reason, e.g. OUTDATED_VERSION */
    why = g_strdup_printf (_("Odoo closed the live connection (%s)."), reason);
  else
    why = g_strdup (_("the live connection to Odoo was closed."));
  fall_back (self, why);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CtOdooBus) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autofree char *subscribe = NULL;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (conn == NULL)
    {
      g_autofree char *why = g_strdup_printf (_("the live connection failed: %s"),
                                              error->message);

      g_debug ("bus: %s", error->message);
      fall_back (self, why);
      return;
    }
  self->conn = g_steal_pointer (&conn);
  soup_websocket_connection_set_keepalive_interval (self->conn, KEEPALIVE_SECONDS);
  g_signal_connect (self->conn, "message", G_CALLBACK (on_message), self);
  g_signal_connect (self->conn, "closed", G_CALLBACK (on_closed), self);
  subscribe = g_strdup_printf ("{\"event_name\": \"subscribe\", \"data\": {\"channels\": [], "
                               "\"last\": %" G_GINT64_FORMAT "}}", self->last_id);
  soup_websocket_connection_send_text (self->conn, subscribe);
  self->next_retry_ms = self->retry_ms;
  set_state (self, CT_BUS_STATE_LIVE, g_strdup (_("Live updates from the Odoo bus")));
}

static void
connect_socket (CtOdooBus *self)
{
  SoupSession *session = ct_http_get_session (ct_odoo_client_get_http (self->client));
  const char *base = ct_odoo_client_get_url (self->client);
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (base == NULL)
    {
      fall_back (self, _("not connected to Odoo."));
      return;
    }
  url = g_strconcat (base, "/websocket", NULL);
  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      fall_back (self, _("the server address does not allow a live connection."));
      return;
    }
  /* Not a browser: Odoo then accepts a request without ?version. */
  soup_message_headers_replace (soup_message_get_request_headers (msg), "User-Agent",
                                "ControlTower/" PACKAGE_VERSION);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_state (self, CT_BUS_STATE_CONNECTING, g_strdup (_("Connecting to the Odoo bus…")));
  /* The session carries the cookie jar (and the pinned certificate). */
  soup_session_websocket_connect_async (session, msg, base, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, on_connected, g_object_ref (self));
}

/* ---- GObject ------------------------------------------------------------- */

static void
ct_odoo_bus_dispose (GObject *object)
{
  CtOdooBus *self = (CtOdooBus *) object;

  ct_odoo_bus_stop (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (ct_odoo_bus_parent_class)->dispose (object);
}

static void
ct_odoo_bus_finalize (GObject *object)
{
  CtOdooBus *self = (CtOdooBus *) object;

  g_free (self->status_text);

  G_OBJECT_CLASS (ct_odoo_bus_parent_class)->finalize (object);
}

static void
ct_odoo_bus_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CtOdooBus *self = CT_ODOO_BUS (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_odoo_bus_class_init (CtOdooBusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ct_odoo_bus_dispose;
  object_class->finalize = ct_odoo_bus_finalize;
  object_class->get_property = ct_odoo_bus_get_property;

  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CT_TYPE_BUS_STATE, CT_BUS_STATE_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* CtOdooBus::changed (model, id): a record's chatter moved on the server. */
  signals [CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);
}

static void
ct_odoo_bus_init (CtOdooBus *self)
{
  self->retry_ms = 30000;
  self->next_retry_ms = self->retry_ms;
  self->status_text = g_strdup (_("Stopped"));
}

/* ---- public API -------------------------------------------------------------- */

CtOdooBus *
ct_odoo_bus_new (CtOdooClient *client)
{
  CtOdooBus *self;

  g_return_val_if_fail (CT_IS_ODOO_CLIENT (client), NULL);

  self = g_object_new (CT_TYPE_ODOO_BUS, NULL);
  self->client = g_object_ref (client);
  return self;
}

void
ct_odoo_bus_set_retry_interval (CtOdooBus *self,
                                guint      ms)
{
  g_return_if_fail (CT_IS_ODOO_BUS (self));

  self->retry_ms = MAX (ms, 10);
  self->next_retry_ms = self->retry_ms;
}

void
ct_odoo_bus_start (CtOdooBus *self)
{
  g_return_if_fail (CT_IS_ODOO_BUS (self));

  if (self->state == CT_BUS_STATE_LIVE || self->state == CT_BUS_STATE_CONNECTING)
    return;
  if (!ct_odoo_client_has_web_session (self->client))
    {
      /* Not a failure to retry: an API key never opens a web session. */
      set_state (self, CT_BUS_STATE_POLLING,
                 g_strdup_printf (_("Polling: %s"),
                                  _("live updates need a password sign-in.")));
      return;
    }
  self->next_retry_ms = self->retry_ms;
  connect_socket (self);
}

void
ct_odoo_bus_stop (CtOdooBus *self)
{
  g_return_if_fail (CT_IS_ODOO_BUS (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  drop_connection (self);
  set_state (self, CT_BUS_STATE_STOPPED, g_strdup (_("Stopped")));
}

CtBusState
ct_odoo_bus_get_state (CtOdooBus *self)
{
  g_return_val_if_fail (CT_IS_ODOO_BUS (self), CT_BUS_STATE_STOPPED);
  return self->state;
}

const char *
ct_odoo_bus_get_status_text (CtOdooBus *self)
{
  g_return_val_if_fail (CT_IS_ODOO_BUS (self), NULL);
  return self->status_text;
}

gint64
ct_odoo_bus_get_last_id (CtOdooBus *self)
{
  g_return_val_if_fail (CT_IS_ODOO_BUS (self), 0);
  return self->last_id;
}
