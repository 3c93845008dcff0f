/* fuzz-sim-request.c - libFuzzer target: request parsing, dispatch and domain evaluation
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte of an input picks what the rest is:
 *   0  a domain, parsed and evaluated over the recorded purchase orders
 *   1  a /jsonrpc body            (over HTTP to an in-process simulator)
 *   2  a /json/2/purchase.order/search_read body (over HTTP, admin's API key)
 *   3  a /web/dataset/call_kw body (over HTTP, admin's session cookie)
 *   4  {"model", "method", "args", "kwargs"} called through the ORM dispatch
 * Build: CC=clang meson setup _fuzz -Dfuzzing=true -Db_sanitize=address,undefined
 * Run:   _fuzz/tests/sim/fuzz-sim-request -max_total_time=30 tests/sim/fuzz-corpus
 */

#define G_LOG_DOMAIN "ct-sim-fuzz"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "ct-sim-datasets.h"
#include "ct-sim-domain.h"
#include "ct-sim-odoo.h"
#include "ct-sim-schema.h"
#include "ct-sim-server.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static CtSimOdoo   *odoo;
static CtSimServer *server;
static SoupSession *session;
static char        *base_url;
static char        *cookie;

static void
setup (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 12, 0, 0);
  g_autoptr(GError) error = NULL;
  CtSimOptions options = { .dataset = "recorded", .now = now, .n_cases = 100 };
  CtSimDb *db = ct_sim_db_new ("ct", now);

  ct_sim_schema_build (db, FALSE);
  ct_sim_models_install_computes (db);
  odoo = ct_sim_odoo_new (db);
  ct_sim_dataset_recorded (odoo);

  server = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (server, &error));
  base_url = ct_sim_server_dup_url (server);
  session = soup_session_new ();
  {
    g_autofree char *url = g_strconcat (base_url, "/web/session/authenticate", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    static const char body[] = "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":"
                               "{\"db\":\"ct\",\"login\":\"admin\",\"password\":\"admin\"},\"id\":1}";
    g_autoptr(GBytes) req = g_bytes_new_static (body, strlen (body));
    g_autoptr(GBytes) answer = NULL;
    const char *set;

    soup_message_set_request_body_from_bytes (msg, "application/json", req);
    answer = soup_session_send_and_read (session, msg, NULL, NULL);
    set = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Set-Cookie");
    g_assert_nonnull (set);
    cookie = g_strndup (set, strcspn (set, ";"));
  }
}

static void
over_http (const char   *path,
           const guint8 *body,
           gsize         len,
           gboolean      with_cookie)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) req = g_bytes_new (body, len);
  g_autoptr(GBytes) answer = NULL;
  guint status;

  soup_message_set_request_body_from_bytes (msg, "application/json", req);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "bearer c7228151caed75975ed94b42be0ccf28a17c3947");
  if (with_cookie)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie);
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  status = soup_message_get_status (msg);
  /* Whatever the input, the simulator answers like Odoo does: never a
   * dropped connection, never a 5xx other than JSON-2's TypeError 500. */
  if (status == 0 || (status >= 500 && strstr (path, "/json/2/") == NULL))
    __builtin_trap ();
}

static void
domain_eval (const guint8 *data,
             gsize         len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(CtSimDomain) domain = NULL;
  CtSimModel *model;

  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) len, NULL))
    return;
  model = ct_sim_db_get_model (ct_sim_odoo_get_db (odoo), "purchase.order");
  domain = ct_sim_domain_parse (model, json_parser_get_root (parser), NULL);
  if (domain == NULL)
    return;
  for (guint row = 0; row < ct_sim_model_n_rows (model); row++)
    ct_sim_domain_match (domain, row);
}

static void
orm_call (const guint8 *data,
          gsize         len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *args, *kwargs;

  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) len, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  args = json_object_get_member (object, "args");
  kwargs = json_object_get_member (object, "kwargs");
  result = ct_sim_odoo_call (odoo, ct_sim_odoo_find_user (odoo, "admin"),
                             json_object_get_string_member_with_default (object, "model", NULL),
                             json_object_get_string_member_with_default (object, "method", NULL),
                             args != NULL && JSON_NODE_HOLDS_ARRAY (args) ? json_node_get_array (args) : NULL,
                             kwargs != NULL && JSON_NODE_HOLDS_OBJECT (kwargs) ? json_node_get_object (kwargs) : NULL,
                             FALSE, &error);
  if (result != NULL)
    g_free (json_to_string (result, FALSE));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static gboolean initialized;

  if (!initialized)
    {
      /* Odoo's answers to bad input are not warnings worth aborting on. */
      g_log_set_always_fatal (G_LOG_LEVEL_ERROR);
      setup ();
      initialized = TRUE;
    }
  if (size < 1)
    return 0;
  switch (data[0] % 5)
    {
    case 0:
      domain_eval (data + 1, size - 1);
      break;
    case 1:
      over_http ("/jsonrpc", data + 1, size - 1, FALSE);
      break;
    case 2:
      over_http ("/json/2/purchase.order/search_read", data + 1, size - 1, FALSE);
      break;
    case 3:
      over_http ("/web/dataset/call_kw", data + 1, size - 1, TRUE);
      break;
    default:
      orm_call (data + 1, size - 1);
      break;
    }
  return 0;
}
