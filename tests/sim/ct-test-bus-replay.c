/* ct-test-bus-replay.c - Replays the recorded bus websocket transcripts against ct-sim
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The 06-bus-websocket recordings are not request/response pairs but notes
 * of a websocket probe. What they fix, and what is checked here:
 * - health: GET /websocket/health answers the recorded status and keys;
 * - subscribe-and-notifications: with the session cookie, after the
 *   recorded subscribe frame, a change arrives as a text frame shaped like
 *   the recorded ones (an array of {"id": int, "message": {"type": str,
 *   "payload": object}});
 * - version-and-user-agent: A (no ?version, non-browser agent) and B
 *   (?version) get frames, A2 (no ?version, browser agent) is closed with
 *   1000 OUTDATED_VERSION, C (no cookie) stays open and silent.
 */

#define G_LOG_DOMAIN "ct-sim-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ct-test-bus-replay.h"

#define DEADLINE_SECONDS 20

typedef struct
{
  CtSimServer             *sim;
  char                    *base;
  SoupSession             *session;
  char                    *cookie;   /* "session_id=…" */
} Bus;

typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *frames;   /* (element-type utf8) */
  gboolean                 closed;
  GError                  *error;
  gboolean                 done;
} Socket;

static gboolean
on_deadline (gpointer data)
{
  g_error ("the websocket replay did not get there within %d s", DEADLINE_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
iterate_until (gboolean *flag)
{
  guint id = g_timeout_add_seconds (DEADLINE_SECONDS, on_deadline, NULL);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_for (guint ms)
{
  gboolean over = FALSE;

  g_timeout_add (ms, set_flag, &over);
  iterate_until (&over);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GBytes **) user_data = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  if (*(GBytes **) user_data == NULL)
    *(GBytes **) user_data = g_bytes_new (NULL, 0);
}

static GBytes *
send (Bus          *bus,
      SoupMessage  *msg)
{
  GBytes *body = NULL;
  guint id = g_timeout_add_seconds (DEADLINE_SECONDS, on_deadline, NULL);

  soup_session_send_and_read_async (bus->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return body;
}

static void
bus_sign_in (Bus *bus)
{
  static const char params[] =
    "{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"id\": 1, \"params\": "
    "{\"db\": \"ct\", \"login\": \"admin\", \"password\": \"admin\"}}";
  g_autofree char *url = g_strconcat (bus->base, "/web/session/authenticate", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new_static (params, strlen (params));
  g_autoptr(GBytes) body = NULL;
  const char *set_cookie;

  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  body = send (bus, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  set_cookie = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                             "Set-Cookie");
  g_assert_nonnull (set_cookie);
  bus->cookie = g_strndup (set_cookie, strcspn (set_cookie, ";"));
}

/* A change any signed-in subscriber hears about: a note on P00013. */
static void
bus_post (Bus *bus)
{
  static const char params[] = "{\"ids\": [13], \"body\": \"bus probe\"}";
  g_autofree char *url = g_strconcat (bus->base, "/json/2/purchase.order/message_post", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new_static (params, strlen (params));
  g_autoptr(GBytes) body = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "bearer c7228151caed75975ed94b42be0ccf28a17c3947");
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  body = send (bus, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
on_frame (SoupWebsocketConnection *conn,
          gint                     type,
          GBytes                  *message,
          Socket                  *socket)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  g_ptr_array_add (socket->frames, g_strndup (data, length));
}

static void
on_closed (SoupWebsocketConnection *conn,
           Socket                  *socket)
{
  socket->closed = TRUE;
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Socket *socket = user_data;

  socket->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                        &socket->error);
  socket->done = TRUE;
}

static void
socket_open (Bus        *bus,
             Socket     *socket,
             const char *query,
             const char *agent,
             gboolean    with_cookie)
{
  g_autofree char *url = g_strconcat (bus->base, "/websocket", query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  memset (socket, 0, sizeof *socket);
  socket->frames = g_ptr_array_new_with_free_func (g_free);
  soup_message_headers_replace (headers, "User-Agent", agent);
  if (with_cookie)
    soup_message_headers_replace (headers, "Cookie", bus->cookie);
  soup_session_websocket_connect_async (bus->session, msg, bus->base, NULL, G_PRIORITY_DEFAULT,
                                        NULL, on_connected, socket);
  iterate_until (&socket->done);
  g_assert_no_error (socket->error);
  g_signal_connect (socket->conn, "message", G_CALLBACK (on_frame), socket);
  g_signal_connect (socket->conn, "closed", G_CALLBACK (on_closed), socket);
  /* The frame the recordings send. */
  soup_websocket_connection_send_text (socket->conn,
                                       "{\"event_name\": \"subscribe\", \"data\": "
                                       "{\"channels\": [], \"last\": 0}}");
}

static void
socket_clear (Socket *socket)
{
  if (socket->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (socket->conn, socket);
      if (soup_websocket_connection_get_state (socket->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (socket->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&socket->conn);
    }
  g_clear_pointer (&socket->frames, g_ptr_array_unref);
}

/* A frame has the recorded shape: [{"id": int, "message": {"type": str,
 * "payload": {...}}}, ...]. */
static void
assert_frame_shape (const char *frame)
{
  g_autoptr(JsonNode) root = json_from_string (frame, NULL);
  JsonArray *items;

  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  items = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      JsonObject *message;

      g_assert_nonnull (item);
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (item, "id")), ==,
                       G_TYPE_INT64);
      message = json_object_get_object_member (item, "message");
      g_assert_nonnull (message);
      g_assert_nonnull (json_object_get_string_member (message, "type"));
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (message, "payload")));
    }
}

static void
expect_frames (Bus    *bus,
               Socket *socket)
{
  guint id = g_timeout_add_seconds (DEADLINE_SECONDS, on_deadline, NULL);

  bus_post (bus);
  while (socket->frames->len == 0 && !socket->closed)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_false (socket->closed);
  assert_frame_shape (socket->frames->pdata[0]);
}

static void
replay_health (Bus        *bus,
               const char *contents)
{
  g_autofree char *url = g_strconcat (bus->base, "/websocket/health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = send (bus, msg);
  g_autoptr(JsonNode) live = json_from_string (g_bytes_get_data (body, NULL), NULL);
  g_autoptr(JsonNode) recorded = json_from_string (strstr (contents, "\n\n") + 2, NULL);
  g_autoptr(GList) members = NULL;

  g_assert_true (g_str_has_prefix (contents, "HTTP/1.1 200 "));
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (live);
  g_assert_nonnull (recorded);
  members = json_object_get_members (json_node_get_object (recorded));
  for (GList *l = members; l != NULL; l = l->next)
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (live), l->data), ==,
                     json_object_get_string_member (json_node_get_object (recorded), l->data));
}

static void
replay_subscribe (Bus        *bus,
                  const char *contents)
{
  Socket socket;

  g_assert_nonnull (strstr (contents, "handshake status 101"));
  bus_sign_in (bus);
  socket_open (bus, &socket, "?version=19.0-2", "python-websocket/1.2.3", TRUE);
  expect_frames (bus, &socket);
  socket_clear (&socket);
}

static void
replay_versions (Bus        *bus,
                 const char *contents)
{
  Socket socket;

  bus_sign_in (bus);

  /* A: no ?version, a non-browser agent: frames. */
  g_assert_nonnull (strstr (contents, "== A: no ?version, non-browser User-Agent\nhandshake 101\n"
                                      "received opcode 1"));
  socket_open (bus, &socket, "", "python-websocket/1.2.3", TRUE);
  expect_frames (bus, &socket);
  socket_clear (&socket);

  /* A2: no ?version, a browser: closed as outdated. */
  g_assert_nonnull (strstr (contents, "code=1000 reason='OUTDATED_VERSION'"));
  socket_open (bus, &socket, "",
               "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
               TRUE);
  iterate_until (&socket.closed);
  g_assert_cmpint (soup_websocket_connection_get_close_code (socket.conn), ==,
                   SOUP_WEBSOCKET_CLOSE_NORMAL);
  g_assert_cmpstr (soup_websocket_connection_get_close_data (socket.conn), ==, "OUTDATED_VERSION");
  socket_clear (&socket);

  /* B: ?version: frames. */
  socket_open (bus, &socket, "?version=19.0-2", "Mozilla/5.0 (X11; Linux x86_64)", TRUE);
  expect_frames (bus, &socket);
  socket_clear (&socket);

  /* C: no cookie: open, subscribed, silent. */
  g_assert_nonnull (strstr (contents, "no frame within 5 s (connection open, subscribed)"));
  socket_open (bus, &socket, "?version=19.0-2", "python-websocket/1.2.3", FALSE);
  bus_post (bus);
  iterate_for (1000);
  g_assert_false (socket.closed);
  g_assert_cmpuint (socket.frames->len, ==, 0);
  socket_clear (&socket);
}

void
ct_test_replay_bus (CtSimServer *sim,
                    const char  *name,
                    const char  *contents)
{
  Bus bus = { 0 };

  bus.sim = sim;
  bus.base = ct_sim_server_dup_url (sim);
  bus.session = soup_session_new ();

  if (strstr (name, "health") != NULL)
    replay_health (&bus, contents);
  else if (strstr (name, "subscribe") != NULL)
    replay_subscribe (&bus, contents);
  else if (strstr (name, "version") != NULL)
    replay_versions (&bus, contents);
  else
    g_error ("no websocket replay for %s", name);

  g_free (bus.cookie);
  g_object_unref (bus.session);
  g_free (bus.base);
}
