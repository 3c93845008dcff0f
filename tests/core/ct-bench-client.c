/* ct-bench-client.c - How fast the Odoo client pages through 100 000 records
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-bench-client"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ct-odoo-client.h"
#include "ct-odoo-wire.h"
#include "ct-sim-server.h"

/* Until the simulator's accessors are linked in (the stub has none), weak
 * references keep this building; they are called only once it started. */
#pragma weak ct_sim_server_get_password
#pragma weak ct_sim_server_get_api_key

/* Usage: ct-bench-client [N_RECORDS [PAGE_SIZE]]
 *
 * Against ct-sim when it is built; until then against a SoupServer in a
 * thread of its own serving generated purchase orders in the shape of the
 * recorded 02-jsonrpc-execute_kw-search_read / 04-json2-search_read
 * answers. Prints records/s, bytes, requests, and the time spent decoding
 * alone (the same bodies through ct_odoo_wire_decode_*). */

#define API_KEY "c7228151caed75975ed94b42be0ccf28a17c3947"
#define CONTEXT_JSON "{\"lang\": \"en_US\", \"tz\": \"Europe/Brussels\", \"uid\": 2}"
#define USER_JSON "[{\"id\": 2, \"company_id\": [1, \"My Company\"], \"company_ids\": [1]}]"

static guint n_records = 100000;

typedef struct
{
  SoupServer   *server;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  guint         port;
  GMutex        lock;
  GCond         ready;
  gboolean      started;
} Server;

static const char * const partners[] = {
  "OpenWood", "The Jackson Group", "Ready Mat", "Gemini Furniture", "Wood Corner",
  "Azure Interior", "Deco Addict", "Lumber Inc", "Café <Crème> & Co",
};
static const char * const states[] = {
  "draft", "sent", "to approve", "purchase", "done", "cancel",
};

static void
append_record (GString *out,
               guint    id)
{
  guint partner = id % G_N_ELEMENTS (partners);

  g_string_append_printf (out,
                          "{\"id\": %u, \"name\": \"P%05u\", \"state\": \"%s\", "
                          "\"partner_id\": [%u, \"%s\"], \"amount_total\": %u.%02u, "
                          "\"currency_id\": [1, \"USD\"], "
                          "\"date_order\": \"2026-11-%02u 10:%02u:00\", "
                          "\"user_id\": [2, \"Mitchell Admin\"], "
                          "\"company_id\": [1, \"My Company (San Francisco)\"], "
                          "\"order_line\": [%u, %u, %u], \"partner_ref\": %s}",
                          id, id, states[id % G_N_ELEMENTS (states)], 10 + partner,
                          g_str_equal (partners[partner], "Café <Crème> & Co")
                          ? "Caf\\u00e9 <Cr\\u00e8me> & Co" : partners[partner],
                          (id * 37) % 20000, id % 100, 1 + id % 28, id % 60,
                          id * 3, id * 3 + 1, id * 3 + 2,
                          id % 5 == 0 ? "false" : "\"BULK-REF\"");
}

/* The records [offset, offset+limit) as a JSON array. */
static GString *
make_page (guint offset,
           guint limit)
{
  GString *out = g_string_sized_new (limit * 420);
  guint end = MIN (n_records, offset + limit);

  g_string_append_c (out, '[');
  for (guint i = offset; i < end; i++)
    {
      if (i > offset)
        g_string_append (out, ", ");
      append_record (out, i + 1);
    }
  g_string_append_c (out, ']');
  return out;
}

static void
reply (SoupServerMessage *msg,
       GString           *json)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    json->str, json->len);
  g_string_free (json, FALSE);
}

static void
reply_rpc (SoupServerMessage *msg,
           const char        *result)
{
  GString *out = g_string_new ("{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": ");

  g_string_append (out, result);
  g_string_append_c (out, '}');
  reply (msg, out);
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) root = body->length ? json_from_string (body->data, NULL) : NULL;

  if (g_str_equal (path, "/json/version"))
    {
      reply (msg, g_string_new ("{\"version_info\": [19, 0, 0, \"final\", 0, \"\"], "
                                "\"version\": \"19.0\"}"));
      return;
    }
  if (g_str_equal (path, "/jsonrpc") && root != NULL)
    {
      JsonObject *params = json_object_get_object_member (json_node_get_object (root), "params");
      JsonArray *args = json_object_get_array_member (params, "args");
      const char *method = json_object_get_string_member (params, "method");

      if (g_str_equal (method, "authenticate"))
        reply_rpc (msg, "2");
      else if (g_str_equal (json_array_get_string_element (args, 4), "context_get"))
        reply_rpc (msg, CONTEXT_JSON);
      else if (g_str_equal (json_array_get_string_element (args, 4), "read"))
        reply_rpc (msg, USER_JSON);
      else
        {
          JsonObject *kwargs = json_array_get_object_element (args, 6);
          g_autoptr(GString) page = make_page (json_object_get_int_member (kwargs, "offset"),
                                               json_object_get_int_member (kwargs, "limit"));

          reply_rpc (msg, page->str);
        }
      return;
    }
  if (g_str_has_prefix (path, "/json/2/") && root != NULL)
    {
      JsonObject *kwargs = json_node_get_object (root);

      if (g_str_has_suffix (path, "/context_get"))
        reply (msg, g_string_new (CONTEXT_JSON));
      else if (g_str_has_suffix (path, "/read"))
        reply (msg, g_string_new (USER_JSON));
      else
        reply (msg, make_page (json_object_get_int_member (kwargs, "offset"),
                               json_object_get_int_member (kwargs, "limit")));
      return;
    }
  soup_server_message_set_status (msg, 404, NULL);
}

static gpointer
server_thread (gpointer user_data)
{
  Server *s = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (s->context);
  s->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (s->server, NULL, handle, s, NULL);
  soup_server_listen_local (s->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (s->server);
  s->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&s->lock);
  s->started = TRUE;
  g_cond_signal (&s->ready);
  g_mutex_unlock (&s->lock);

  g_main_loop_run (s->loop);
  soup_server_disconnect (s->server);
  g_object_unref (s->server);
  g_main_context_pop_thread_default (s->context);
  return NULL;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static double
decode_only (gboolean json2,
             guint    page_size)
{
  double total = 0;

  for (guint offset = 0; offset < n_records; offset += page_size)
    {
      g_autoptr(GString) page = make_page (offset, page_size);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;

      if (!json2)
        {
          g_string_prepend (page, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": ");
          g_string_append_c (page, '}');
        }
      start = g_get_monotonic_time ();
      if (json2)
        ct_odoo_wire_decode_json2 (page->str, page->len, 200, "application/json", &node, &error);
      else
        ct_odoo_wire_decode_jsonrpc (page->str, page->len, 200, "application/json", &node, &error);
      total += (g_get_monotonic_time () - start) / 1e6;
      g_assert_no_error (error);
    }
  return total;
}

static void
run (const char *url,
     const char *database,
     gboolean    json2,
     guint       page_size,
     const char *secret)
{
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) records = NULL;
  static const char * const fields[] = {
    "name", "state", "partner_id", "amount_total", "currency_id", "date_order", "user_id",
    "company_id", "order_line", "partner_ref", NULL,
  };
  GAsyncResult *result = NULL;
  CtHttp *http = ct_odoo_client_get_http (client);
  guint64 bytes_before;
  guint requests_before;
  gint64 start;
  double seconds, decoding;

  g_free (connection->odoo_url);
  connection->odoo_url = g_strdup (url);
  g_free (connection->database);
  connection->database = g_strdup (database);
  g_free (connection->login);
  connection->login = g_strdup ("admin");
  connection->secret_kind = json2 ? CT_SECRET_KIND_API_KEY : CT_SECRET_KIND_PASSWORD;
  ct_odoo_client_connect_async (client, connection, secret, NULL, on_done, &result);
  ct_odoo_client_connect_finish (client, wait_for (&result), &error);
  g_clear_object (&result);
  if (error != NULL)
    g_error ("connect: %s", error->message);

  bytes_before = ct_http_get_bytes_received (http);
  requests_before = ct_http_get_request_count (http);
  start = g_get_monotonic_time ();
  ct_odoo_client_search_read_async (client, "purchase.order", NULL, fields, "id", n_records,
                                    page_size, NULL, on_done, &result);
  records = ct_odoo_client_search_read_finish (client, wait_for (&result), &error);
  g_clear_object (&result);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  if (error != NULL)
    g_error ("search_read: %s", error->message);

  decoding = decode_only (json2, page_size);
  printf ("%-8s page %5u: %6u records in %6.3f s = %8.0f records/s, %6.1f MB, %4u requests, "
          "decoding alone %6.3f s (%4.1f%%)\n",
          json2 ? "JSON-2" : "JSON-RPC", page_size, json_array_get_length (records), seconds,
          json_array_get_length (records) / seconds,
          (ct_http_get_bytes_received (http) - bytes_before) / 1e6,
          ct_http_get_request_count (http) - requests_before, decoding, 100 * decoding / seconds);
}

int
main (int argc, char **argv)
{
  CtSimOptions options = { .dataset = "generated" };
  g_autoptr(CtSimServer) sim = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Server server = { 0, };
  const char *database = "ct";
  guint page_sizes[] = { 500, 2000 };
  guint n_page_sizes = 2;

  if (argc > 1)
    n_records = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (argc > 2)
    {
      page_sizes[0] = (guint) g_ascii_strtoull (argv[2], NULL, 10);
      n_page_sizes = 1;
    }

  options.n_cases = n_records;
  sim = ct_sim_server_new (&options, &error);
  if (sim != NULL && ct_sim_server_start (sim, &error) &&
      ct_sim_server_get_password (sim, "admin") == NULL)
    {
      printf ("ct-sim started but has no \"admin\" user in its generated dataset; "
              "using generated pages instead\n");
      ct_sim_server_stop (sim);
    }
  else if (sim != NULL && error == NULL)
    {
      url = ct_sim_server_dup_url (sim);
      database = ct_sim_server_get_database (sim);
      printf ("server: ct-sim at %s\n", url);
      /* ct-sim's generated users: see ct-sim-server.h */
      for (guint p = 0; p < n_page_sizes; p++)
        {
          const char *key = ct_sim_server_get_api_key (sim, "admin");

          run (url, database, FALSE, page_sizes[p], ct_sim_server_get_password (sim, "admin"));
          if (key != NULL)
            run (url, database, TRUE, page_sizes[p], key);
        }
      ct_sim_server_stop (sim);
      return 0;
    }
  g_clear_error (&error);
  g_clear_object (&sim);

  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);
  g_mutex_init (&server.lock);
  g_cond_init (&server.ready);
  server.thread = g_thread_new ("bench-server", server_thread, &server);
  g_mutex_lock (&server.lock);
  while (!server.started)
    g_cond_wait (&server.ready, &server.lock);
  g_mutex_unlock (&server.lock);
  url = g_strdup_printf ("http://127.0.0.1:%u", server.port);
  printf ("server: generated pages in the recorded search_read shape, from a thread of its own, "
          "%u records of 10 fields\n", n_records);

  for (guint p = 0; p < n_page_sizes; p++)
    {
      run (url, database, FALSE, page_sizes[p], "admin");
      run (url, database, TRUE, page_sizes[p], API_KEY);
    }

  g_main_loop_quit (server.loop);
  g_thread_join (server.thread);
  g_main_loop_unref (server.loop);
  g_main_context_unref (server.context);
  return 0;
}
