/* test-sim-n8n-harness.c - A SoupServer around the n8n side, for tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sim-n8n"

#include "config.h"

#include <string.h>

#include "test-sim-n8n-harness.h"

static gboolean
unpause_cb (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  TestN8nServer *self = user_data;
  guint delay_ms = 0;

  if (ct_sim_faults_before (self->faults, msg, path, &delay_ms))
    return;

  if (ct_sim_n8n_owns_path (path))
    ct_sim_n8n_handle (self->n8n, msg, path, query);
  else
    soup_server_message_set_status (msg, 404, NULL);

  ct_sim_faults_after (self->faults, msg, path);

  if (delay_ms > 0)
    {
      soup_server_message_pause (msg);
      g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, unpause_cb, g_object_ref (msg),
                          g_object_unref);
    }
}

TestN8nServer *
test_n8n_server_new (guint64     seed,
                     guint       n_cases,
                     GDateTime  *now,
                     const char *dataset)
{
  TestN8nServer *self = g_new0 (TestN8nServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *uri_text = NULL;

  self->n8n = ct_sim_n8n_new (seed, n_cases, now, dataset);
  self->faults = ct_sim_faults_new ();
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  uri_text = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  /* "http://127.0.0.1:PORT/" without the trailing slash */
  if (g_str_has_suffix (uri_text, "/"))
    uri_text[strlen (uri_text) - 1] = '\0';
  self->base_url = g_steal_pointer (&uri_text);
  /* Generous: under the sanitizers on a loaded machine generating the runs
   * took more than 10 s once; a hang still ends here. */
  self->session = soup_session_new_with_options ("timeout", 60, NULL);
  return self;
}

void
test_n8n_server_free (TestN8nServer *self)
{
  if (self == NULL)
    return;
  soup_session_abort (self->session);
  g_clear_object (&self->session);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  /* Let pending sources (unpause timeouts, closing sockets) run out. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&self->n8n);
  g_clear_pointer (&self->faults, ct_sim_faults_free);
  g_free (self->base_url);
  g_free (self);
}

typedef struct
{
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
} FetchState;

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  FetchState *state = user_data;

  state->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                    &state->error);
  state->done = TRUE;
}

TestN8nReply *
test_n8n_server_fetch (TestN8nServer  *self,
                       const char     *method,
                       const char     *path_and_query,
                       const char     *api_key,
                       const char     *body,
                       const char    **extra_headers)
{
  g_autofree char *url = g_strconcat (self->base_url, path_and_query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  TestN8nReply *reply = g_new0 (TestN8nReply, 1);
  FetchState state = { 0 };
  SoupMessageHeaders *headers;
  gint64 start;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (api_key != NULL)
    soup_message_headers_replace (headers, "X-N8N-API-KEY", api_key);
  for (guint i = 0; extra_headers != NULL && extra_headers[i] != NULL; i += 2)
    soup_message_headers_replace (headers, extra_headers[i], extra_headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  start = g_get_monotonic_time ();
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    fetch_cb, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  reply->elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  reply->error = state.error;
  reply->body = state.bytes;
  if (state.error == NULL)
    {
      reply->status = soup_message_get_status (msg);
      reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
      if (reply->body != NULL)
        {
          gsize size = 0;
          const char *data = g_bytes_get_data (reply->body, &size);
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (size > 0 && json_parser_load_from_data (parser, data, size, NULL))
            reply->json = json_node_copy (json_parser_get_root (parser));
        }
    }
  return reply;
}

TestN8nReply *
test_n8n_server_get (TestN8nServer *self,
                     const char    *path_and_query)
{
  return test_n8n_server_fetch (self, "GET", path_and_query,
                                ct_sim_n8n_get_api_key (self->n8n), NULL, NULL);
}

void
test_n8n_reply_free (TestN8nReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

JsonObject *
test_n8n_reply_object (TestN8nReply *reply)
{
  g_assert_no_error (reply->error);
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}
