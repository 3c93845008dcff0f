/* test-odoo-client-server.c - The server the connector tests talk to
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-server"

#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ct-sim-faults.h"
#include "ct-sim-server.h"
#include "test-odoo-client-server.h"
#include "test-wait.h"

/* The simulator's test accessors may not be linked in yet while it is a
 * stub; weak references let this file build either way, and they are only
 * called once ct_sim_server_start has succeeded. */
#pragma weak ct_sim_server_get_faults
#pragma weak ct_sim_server_count_requests
#pragma weak ct_sim_server_reset_counts
#pragma weak ct_sim_server_get_password
#pragma weak ct_sim_server_get_api_key
#pragma weak ct_sim_server_get_n8n_api_key
#pragma weak ct_sim_server_get_certificate_pem
#pragma weak ct_sim_faults_parse
#pragma weak ct_sim_faults_clear

/* The recorded fixture (tests/data/protocol/README.md). */
static const struct
{
  const char *login;
  const char *password;
  gint64      uid;
  const char *api_key;
} users[] = {
  { "admin", "admin", 2, "c7228151caed75975ed94b42be0ccf28a17c3947" },
  { "purchaser", "purchaser", 7, "21e39ed4dc2377e5bdc04eb0859dc772b7088428" },
  { "noright", "noright", 8, "ae8f57c5702b9ff7f10ebc902e1a3f62c7fd69cf" },
  { "demo", "demo", 5, NULL },
};

/* The n8n key is shown as <API_KEY> in the transcripts: any fixed value
 * stands for it. */
#define REPLAY_N8N_KEY "n8n_api_test_0b5e2f0c9d7a41e3"
/* What the replay's /web/session/authenticate hands out. */
#define REPLAY_SESSION "replay-session-cookie-3f9a"

typedef struct
{
  char  *kind;
  char  *route;
  guint  arg;
  int    count;    /* -1: always */
} Fault;

struct _TestServer
{
  CtSimServer *sim;

  /* replay */
  SoupServer  *server;
  guint        port;
  gboolean     tls;
  char        *certificate_pem;
  char        *tmpdir;
  GPtrArray   *faults;
  GPtrArray   *paths;           /* every request path received */
  GHashTable  *client_ports;    /* distinct client connections seen */
  GHashTable  *overrides;       /* key → transcript name */
  GHashTable  *last_bodies;     /* key → JSON text */
  GHashTable  *last_headers;    /* key → SoupMessageHeaders */
  GHashTable  *n8n_routes;      /* "GET /api/v1/...?sorted" → transcript */
  guint        session_length;    /* expire-session:N */
  guint        calls_in_session;
  gboolean     expiry_armed;
};

/* ---- transcripts ------------------------------------------------------ */

static char *
protocol_path (const char *name)
{
  const char *dir = g_getenv ("CT_PROTOCOL_DIR");

  if (dir == NULL)
    dir = PROTOCOL_DIR;
  /* n8n transcripts start with three digits, Odoo's with two or a word */
  if (g_ascii_isdigit (name[0]) && g_ascii_isdigit (name[1]) && g_ascii_isdigit (name[2]))
    return g_build_filename (dir, "n8n-1.123", name, NULL);
  return g_build_filename (dir, "odoo-19", name, NULL);
}

void
test_transcript_free (TestTranscript *transcript)
{
  if (transcript == NULL)
    return;
  g_free (transcript->content_type);
  g_free (transcript->request_line);
  g_clear_pointer (&transcript->body, g_bytes_unref);
  g_free (transcript);
}

static guint
parse_status (const char *line)
{
  /* "HTTP/1.1 200 OK" */
  const char *space = strchr (line, ' ');

  return space ? (guint) g_ascii_strtoull (space + 1, NULL, 10) : 0;
}

static TestTranscript *
parse_odoo (const char *text)
{
  TestTranscript *t = g_new0 (TestTranscript, 1);
  const char *request = strstr (text, "### REQUEST\n");
  const char *response = strstr (text, "### RESPONSE\n");
  g_auto(GStrv) lines = NULL;
  GString *body = g_string_new (NULL);
  gboolean in_body = FALSE;

  if (request != NULL)
    {
      const char *end = strchr (request + strlen ("### REQUEST\n"), '\n');

      t->request_line = g_strndup (request + strlen ("### REQUEST\n"),
                                   end ? (gsize) (end - request - strlen ("### REQUEST\n")) : 0);
    }
  lines = g_strsplit (response ? response + strlen ("### RESPONSE\n") : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (in_body)
        {
          g_string_append (body, lines[i]);
          if (lines[i + 1] != NULL)
            g_string_append_c (body, '\n');
          continue;
        }
      if (t->status == 0)
        {
          t->status = parse_status (lines[i]);
          continue;
        }
      if (*lines[i] == '\0')
        {
          in_body = TRUE;
          continue;
        }
      if (g_ascii_strncasecmp (lines[i], "Content-Type:", 13) == 0)
        t->content_type = g_strstrip (g_strdup (lines[i] + 13));
    }
  while (body->len > 0 && g_ascii_isspace (body->str[body->len - 1]))
    g_string_truncate (body, body->len - 1);
  t->body = g_string_free_to_bytes (body);
  return t;
}

static TestTranscript *
parse_n8n (const char *text)
{
  TestTranscript *t = g_new0 (TestTranscript, 1);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *body = g_string_new (NULL);
  gboolean in_body = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (in_body)
        {
          g_string_append (body, line);
          if (lines[i + 1] != NULL)
            g_string_append_c (body, '\n');
          continue;
        }
      if (t->request_line == NULL && g_str_has_prefix (line, "> ") && g_ascii_isupper (line[2]) &&
          strstr (line, " HTTP/") != NULL)
        t->request_line = g_strdup (line + 2);
      else if (g_str_has_prefix (line, "< HTTP/"))
        t->status = parse_status (line + 2);
      else if (g_ascii_strncasecmp (line, "< Content-Type:", 15) == 0)
        t->content_type = g_strstrip (g_strdup (line + 15));
      else if (g_str_equal (line, "<") && t->status != 0)
        in_body = TRUE;
    }
  while (body->len > 0 && g_ascii_isspace (body->str[body->len - 1]))
    g_string_truncate (body, body->len - 1);
  t->body = g_string_free_to_bytes (body);
  return t;
}

TestTranscript *
test_transcript_load (const char  *name,
                      GError     **error)
{
  g_autofree char *path = protocol_path (name);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  if (strstr (text, "### RESPONSE") != NULL)
    return parse_odoo (text);
  return parse_n8n (text);
}

static TestTranscript *
load_or_die (const char *name)
{
  g_autoptr(GError) error = NULL;
  TestTranscript *t = test_transcript_load (name, &error);

  g_assert_no_error (error);
  return t;
}

/* ---- answering -------------------------------------------------------- */

static void
respond_bytes (SoupServerMessage *msg,
               guint              status,
               const char        *content_type,
               GBytes            *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type ? content_type : "application/json",
                                    SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
respond_transcript (SoupServerMessage *msg,
                    const char        *name)
{
  g_autoptr(TestTranscript) t = load_or_die (name);

  respond_bytes (msg, t->status, t->content_type, t->body);
  if (g_str_has_prefix (name, "01-session-authenticate-ok"))
    soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie",
                                 "session_id=" REPLAY_SESSION "; HttpOnly; Path=/");
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *json)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  respond_bytes (msg, status, "application/json; charset=utf-8", body);
}

/* Same envelope as the recorded 02-jsonrpc-common-authenticate-ok. */
static void
respond_rpc_result (SoupServerMessage *msg,
                    const char        *result_json)
{
  g_autofree char *json =
    g_strdup_printf ("{\n  \"jsonrpc\": \"2.0\",\n  \"id\": 1,\n  \"result\": %s\n}", result_json);

  respond_json (msg, 200, json);
}

static gint64
uid_for_password (const char *login,
                  const char *secret)
{
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    if (g_strcmp0 (users[i].login, login) == 0 &&
        (g_strcmp0 (users[i].password, secret) == 0 ||
         (users[i].api_key != NULL && g_strcmp0 (users[i].api_key, secret) == 0)))
      return users[i].uid;
  return 0;
}

static gint64
uid_for_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    if (users[i].api_key != NULL && g_strcmp0 (users[i].api_key, key) == 0)
      return users[i].uid;
  return 0;
}

static gboolean
uid_secret_ok (gint64      uid,
               const char *secret)
{
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    if (users[i].uid == uid &&
        (g_strcmp0 (users[i].password, secret) == 0 ||
         (users[i].api_key != NULL && g_strcmp0 (users[i].api_key, secret) == 0)))
      return TRUE;
  return FALSE;
}

/* Default answers per "model.method": the recorded JSON-RPC and JSON-2
 * transcripts. Calls the recording did not make are answered below from
 * the fixture's facts in the same shapes. */
static const struct
{
  const char *key;
  const char *rpc;
  const char *json2;
  const char *rpc_noright;
  const char *json2_noright;
} defaults[] = {
  { "purchase.order.search_read",
    "02-jsonrpc-execute_kw-search_read.txt", "04-json2-search_read.txt",
    "02-jsonrpc-execute_kw-search_read-as-noright-AccessError.txt",
    "04-json2-button_approve-as-noright-AccessError.txt" },
  { "purchase.order.search_count", "02-jsonrpc-execute_kw-search_count.txt",
    "04-json2-search_count.txt",
    "02-jsonrpc-execute_kw-search_read-as-noright-AccessError.txt",
    "04-json2-button_approve-as-noright-AccessError.txt" },
  { "purchase.order.read", "02-jsonrpc-execute_kw-read.txt", "04-json2-read.txt", NULL, NULL },
  { "purchase.order.fields_get", "02-jsonrpc-execute_kw-fields_get-purchase.order-attributes.txt",
    "04-json2-fields_get-purchase.order.txt", NULL, NULL },
  { "purchase.order.formatted_read_group", "02-jsonrpc-execute_kw-formatted_read_group.txt",
    "04-json2-formatted_read_group.txt", NULL, NULL },
  { "purchase.order.read_group", "02-jsonrpc-execute_kw-read_group.txt",
    "04-json2-read_group-deprecated.txt", NULL, NULL },
  { "purchase.order.message_post", "02-jsonrpc-execute_kw-message_post.txt",
    "04-json2-message_post.txt", NULL, NULL },
  { "purchase.order.button_approve", "02-jsonrpc-execute_kw-button_approve-to-approve.txt",
    "04-json2-button_approve-to-approve.txt",
    "02-jsonrpc-execute_kw-button_approve-as-noright-AccessError.txt",
    "04-json2-button_approve-as-noright-AccessError.txt" },
  { "purchase.order.write", "02-jsonrpc-execute_kw-write.txt", "04-json2-write.txt", NULL, NULL },
  { "tier.review.search_count",
    "02-jsonrpc-execute_kw-search_count.txt", "04-json2-search_count.txt",
    NULL, NULL },
  { "purchase.order.validate_tier", "07-tier-validate_tier-by-reviewer.txt",
    "07-tier-json2-validate_tier-by-reviewer-returns-null.txt", NULL, NULL },
  { "mail.activity.search_count",
    "02-jsonrpc-execute_kw-search_count.txt", "04-json2-search_count.txt",
    NULL, NULL },
  { "ir.cron.search_read", "05-search_read-ir.cron.txt", NULL,
    "05-ir.cron-search_read-as-purchaser-AccessError.txt", NULL },
};

static void
answer_call (TestServer        *self,
             SoupServerMessage *msg,
             const char        *key,
             gboolean           json2,
             gint64             uid)
{
  const char *override = g_hash_table_lookup (self->overrides, key);

  if (override != NULL)
    {
      respond_transcript (msg, override);
      return;
    }

  /* Calls the recorded session made under another route: same data. */
  if (g_str_equal (key, "res.users.context_get"))
    {
      g_autoptr(TestTranscript) t = load_or_die ("04-json2-res.users-context_get-whoami.txt");
      g_autofree char *body = g_strndup (g_bytes_get_data (t->body, NULL),
                                         g_bytes_get_size (t->body));
      g_autofree char *uid_text = g_strdup_printf ("\"uid\": %" G_GINT64_FORMAT, uid);
      g_autoptr(GRegex) regex = g_regex_new ("\"uid\": [0-9]+", 0, 0, NULL);
      g_autofree char *fixed = g_regex_replace_literal (regex, body, -1, 0, uid_text, 0, NULL);

      if (json2)
        respond_json (msg, 200, fixed);
      else
        respond_rpc_result (msg, fixed);
      return;
    }
  if (g_str_equal (key, "res.users.read"))
    {
      /* Companies of the recorded users (01-session-authenticate-ok's
       * user_companies: admin sees 1, 2 and 3). */
      g_autofree char *json =
        g_strdup_printf ("[{\"id\": %" G_GINT64_FORMAT ", "
                         "\"company_id\": [1, \"My Company (San Francisco)\"], "
                         "\"company_ids\": %s}]",
                         uid, uid == 2 ? "[1, 2, 3]" : "[1]");
      if (json2)
        respond_json (msg, 200, json);
      else
        respond_rpc_result (msg, json);
      return;
    }
  if (g_str_equal (key, "res.company.read"))
    {
      const char *json =
        "[{\"id\": 1, \"name\": \"My Company (San Francisco)\", "
        "\"po_double_validation\": \"two_step\", \"po_double_validation_amount\": 5000.0}, "
        "{\"id\": 2, \"name\": \"My US Company\", "
        "\"po_double_validation\": \"one_step\", \"po_double_validation_amount\": 5000.0}, "
        "{\"id\": 3, \"name\": \"My Company (Chicago)\", "
        "\"po_double_validation\": \"one_step\", \"po_double_validation_amount\": 5000.0}]";
      if (json2)
        respond_json (msg, 200, json);
      else
        respond_rpc_result (msg, json);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (g_str_equal (defaults[i].key, key))
      {
        const char *name = json2 ? defaults[i].json2 : defaults[i].rpc;
        const char *noright = json2 ? defaults[i].json2_noright : defaults[i].rpc_noright;

        if (uid == 8 && noright != NULL)
          name = noright;
        if (name != NULL)
          {
            respond_transcript (msg, name);
            return;
          }
      }

  /* Anything else: what real Odoo says about a model it does not have. */
  respond_transcript (msg, json2 ? "04-json2-nonexistent-model-404.txt"
                                 : "02-jsonrpc-execute_kw-nonexistent-model.txt");
}

static void
remember (TestServer        *self,
          SoupServerMessage *msg,
          const char        *key)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *copy = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  g_hash_table_replace (self->last_bodies, g_strdup (key),
                        g_strndup (body->data ? body->data : "", body->length));
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (copy, name, value);
  g_hash_table_replace (self->last_headers, g_strdup (key), copy);
}

/* A session lives for N calls after each sign-in, as the simulator's
 * expire-session:N rule says. */
static gboolean
session_expires_now (TestServer *self)
{
  if (!self->expiry_armed)
    return FALSE;
  self->calls_in_session++;
  return self->calls_in_session > self->session_length;
}

static void
handle_jsonrpc (TestServer        *self,
                SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *params;
  const char *service, *method;
  JsonArray *args;

  if (!json_parser_load_from_data (parser, body->data ? body->data : "", body->length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      respond_transcript (msg, "02-jsonrpc-invalid-json-400.txt");
      return;
    }
  params = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "params");
  service = json_object_get_string_member_with_default (params, "service", "");
  method = json_object_get_string_member_with_default (params, "method", "");
  args = json_object_get_array_member (params, "args");

  if (g_str_equal (service, "common"))
    {
      g_autofree char *key = g_strconcat ("common.", method, NULL);
      const char *override = g_hash_table_lookup (self->overrides, key);

      remember (self, msg, key);
      if (override != NULL)
        respond_transcript (msg, override);
      else if (g_str_equal (method, "version"))
        respond_transcript (msg, "02-jsonrpc-common-version.txt");
      else if (g_str_equal (method, "authenticate") || g_str_equal (method, "login"))
        {
          const char *db = json_array_get_string_element (args, 0);
          gint64 uid = uid_for_password (json_array_get_string_element (args, 1),
                                         json_array_get_string_element (args, 2));

          if (g_strcmp0 (db, "ct") != 0)
            respond_transcript (msg, "02-jsonrpc-common-authenticate-bad-db.txt");
          else if (uid == 0)
            respond_transcript (msg, "02-jsonrpc-common-authenticate-bad-password.txt");
          else
            {
              g_autofree char *result = g_strdup_printf ("%" G_GINT64_FORMAT, uid);

              respond_rpc_result (msg, result);
            }
        }
      else
        respond_transcript (msg, "02-jsonrpc-common-unknown-method.txt");
      return;
    }

  if (g_str_equal (service, "object") && g_str_equal (method, "execute_kw"))
    {
      const char *db = json_array_get_string_element (args, 0);
      gint64 uid = json_array_get_int_element (args, 1);
      const char *secret = json_array_get_string_element (args, 2);
      g_autofree char *key = g_strdup_printf ("%s.%s", json_array_get_string_element (args, 3),
                                              json_array_get_string_element (args, 4));

      remember (self, msg, key);
      if (g_strcmp0 (db, "ct") != 0)
        respond_transcript (msg, "02-jsonrpc-common-authenticate-bad-db.txt");
      else if (!uid_secret_ok (uid, secret))
        respond_transcript (msg, "02-jsonrpc-execute_kw-wrong-password-AccessDenied.txt");
      else
        answer_call (self, msg, key, FALSE, uid);
      return;
    }
  respond_transcript (msg, "02-jsonrpc-unknown-service.txt");
}

static void
handle_json2 (TestServer        *self,
              SoupServerMessage *msg,
              const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *database = soup_message_headers_get_one (headers, "X-Odoo-Database");
  g_auto(GStrv) parts = g_strsplit (path + strlen ("/json/2/"), "/", 3);
  g_autofree char *key = NULL;
  gint64 uid;

  if (g_strv_length (parts) != 2)
    {
      respond_transcript (msg, "04-json2-GET-method-404.txt");
      return;
    }
  key = g_strdup_printf ("%s.%s", parts[0], parts[1]);
  remember (self, msg, key);
  if (database != NULL && !g_str_equal (database, "ct"))
    {
      respond_transcript (msg, "04-json2-wrong-database-header.txt");
      return;
    }
  if (authorization == NULL)
    {
      respond_transcript (msg, "04-json2-no-authorization-401.txt");
      return;
    }
  uid = g_ascii_strncasecmp (authorization, "bearer ", 7) == 0 ? uid_for_key (authorization + 7)
                                                                : 0;
  if (uid == 0)
    {
      respond_transcript (msg, "04-json2-bad-apikey-401.txt");
      return;
    }
  answer_call (self, msg, key, TRUE, uid);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The web client's route: a cookie session instead of uid and password.
 * Sessions expire here (and only here), as in real Odoo. */
static void
handle_call_kw (TestServer        *self,
                SoupServerMessage *msg,
                const char        *path)
{
  const char *cookie = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Cookie");
  g_auto(GStrv) parts = g_strsplit (path + strlen ("/web/dataset/call_kw/"), "/", 3);
  g_autofree char *key = NULL;

  if (g_strv_length (parts) != 2)
    {
      respond_transcript (msg, "03-call_kw-nonexistent-model-with-session.txt");
      return;
    }
  key = g_strdup_printf ("%s.%s", parts[0], parts[1]);
  remember (self, msg, key);
  if (cookie == NULL || strstr (cookie, "session_id=" REPLAY_SESSION) == NULL)
    respond_transcript (msg, "03-call_kw-without-cookie.txt");
  else if (session_expires_now (self))
    respond_transcript (msg, "03-call_kw-after-destroy-session-expired.txt");
  else
    answer_call (self, msg, key, FALSE, 2);
}

static char *
normalize_request (const char *method,
                   const char *path,
                   const char *query)
{
  g_auto(GStrv) pairs = query && *query ? g_strsplit (query, "&", -1) : g_new0 (char *, 1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  gboolean has_cursor = FALSE;
  g_autofree char *joined = NULL;

  for (guint i = 0; pairs[i]; i++)
    {
      char *plain = g_uri_unescape_string (pairs[i], NULL);

      if (plain != NULL)
        {
          g_free (pairs[i]);
          pairs[i] = plain;
        }
    }
  for (guint i = 0; pairs[i]; i++)
    if (g_str_has_prefix (pairs[i], "cursor="))
      has_cursor = TRUE;
  for (guint i = 0; pairs[i]; i++)
    /* n8n ignores limit next to a cursor (the cursor encodes it) */
    if (!(has_cursor && g_str_has_prefix (pairs[i], "limit=")))
      g_ptr_array_add (kept, pairs[i]);
  g_ptr_array_sort (kept, compare_strings);
  g_ptr_array_add (kept, NULL);
  joined = g_strjoinv ("&", (char **) kept->pdata);
  return g_strdup_printf ("%s %s?%s", method, path, joined);
}

static void
load_n8n_routes (TestServer *self)
{
  const char *dir_env = g_getenv ("CT_PROTOCOL_DIR");
  g_autofree char *dir_path = g_build_filename (dir_env ? dir_env : PROTOCOL_DIR, "n8n-1.123",
                                                NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(TestTranscript) t = load_or_die (names->pdata[i]);
      g_auto(GStrv) words = NULL;
      g_autofree char *path = NULL;
      char *query;
      char *key;
      g_autofree char *text = NULL;
      g_autofree char *file = g_build_filename (dir_path, names->pdata[i], NULL);

      if (t->request_line == NULL || !strstr (t->request_line, " /api/"))
        continue;
      /* Only recordings made with the real key, not the auth failures. */
      g_file_get_contents (file, &text, NULL, NULL);
      if (text == NULL || strstr (text, "> X-N8N-API-KEY: <API_KEY>") == NULL)
        continue;
      words = g_strsplit (t->request_line, " ", 3);
      path = g_strdup (words[1]);
      query = strchr (path, '?');
      if (query)
        *query++ = '\0';
      key = normalize_request (words[0], path, query);
      if (!g_hash_table_contains (self->n8n_routes, key))
        g_hash_table_insert (self->n8n_routes, key, g_strdup (names->pdata[i]));
      else
        g_free (key);
    }
}

static void
handle_n8n (TestServer        *self,
            SoupServerMessage *msg,
            const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key_header = soup_message_headers_get_one (headers, "X-N8N-API-KEY");
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *key = normalize_request (soup_server_message_get_method (msg), path,
                                            g_uri_get_query (uri));
  g_autofree char *override_key = g_strdup_printf ("n8n:%s %s",
                                                   soup_server_message_get_method (msg), path);
  const char *override = g_hash_table_lookup (self->overrides, override_key);
  const char *name;

  remember (self, msg, override_key);
  if (key_header == NULL)
    {
      respond_transcript (msg, "070-api-auth-missing-key.txt");
      return;
    }
  if (!g_str_equal (key_header, REPLAY_N8N_KEY))
    {
      respond_transcript (msg, "071-api-auth-wrong-key.txt");
      return;
    }
  if (override != NULL)
    {
      respond_transcript (msg, override);
      return;
    }
  name = g_hash_table_lookup (self->n8n_routes, key);
  if (name != NULL)
    respond_transcript (msg, name);
  else if (g_str_has_prefix (key, "GET /api/v1/executions?") && strstr (key, "cursor="))
    respond_transcript (msg, "087-api-executions-bad-cursor.txt");
  else if (g_str_has_prefix (key, "GET /api/v1/executions?"))
    /* a page size the recording did not use: the recorded list, which the
     * client cuts to what it asked for */
    respond_transcript (msg, "030-api-executions-list-default.txt");
  else if (g_str_has_prefix (key, "GET /api/v1/executions/"))
    respond_transcript (msg, "080-api-executions-nonexistent-id.txt");
  else
    respond_transcript (msg, "142-api-unknown-route.txt");
}

/* ---- faults ------------------------------------------------------------- */

static void
fault_free (Fault *fault)
{
  g_free (fault->kind);
  g_free (fault->route);
  g_free (fault);
}

static void
parse_faults (TestServer *self,
              const char *spec)
{
  g_auto(GStrv) rules = NULL;

  g_ptr_array_set_size (self->faults, 0);
  self->expiry_armed = FALSE;
  if (spec == NULL)
    return;
  rules = g_strsplit (spec, ";", -1);
  for (guint i = 0; rules[i] != NULL; i++)
    {
      Fault *fault = g_new0 (Fault, 1);
      char *rule = g_strstrip (rules[i]);
      char *star = strchr (rule, '*');
      char *colon;
      char *at;

      if (*rule == '\0')
        {
          fault_free (fault);
          continue;
        }
      fault->count = -1;
      if (star)
        {
          *star = '\0';
          fault->count = atoi (star + 1);
        }
      colon = strchr (rule, ':');
      if (colon)
        {
          *colon = '\0';
          fault->arg = atoi (colon + 1);
        }
      at = strchr (rule, '@');
      if (at)
        {
          *at = '\0';
          fault->route = g_strdup (at + 1);
        }
      fault->kind = g_strdup (rule);
      if (g_str_equal (fault->kind, "expire-session"))
        {
          self->expiry_armed = TRUE;
          self->session_length = fault->arg;
          self->calls_in_session = 0;
          fault_free (fault);
          continue;
        }
      g_ptr_array_add (self->faults, fault);
    }
}

static Fault *
take_fault (TestServer *self,
            const char *path,
            gboolean    after)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *fault = self->faults->pdata[i];
      gboolean is_after = g_str_equal (fault->kind, "truncate") ||
                          g_str_equal (fault->kind, "badjson");

      if (is_after != after || fault->count == 0)
        continue;
      if (fault->route != NULL && !g_str_has_prefix (path, fault->route))
        continue;
      if (fault->count > 0)
        fault->count--;
      return fault;
    }
  return NULL;
}

static void
on_held_disconnected (SoupServerMessage *msg,
                      gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "test-gone", GINT_TO_POINTER (1));
}

static gboolean
release_held (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  /* the client may have given up (timeout, cancel) meanwhile */
  if (g_object_get_data (G_OBJECT (msg), "test-gone") == NULL)
    soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  TestServer *self = user_data;
  guint delay = 0;
  Fault *fault;

  g_ptr_array_add (self->paths, g_strdup (path));
  {
    GSocketAddress *remote = soup_server_message_get_remote_address (msg);

    if (G_IS_INET_SOCKET_ADDRESS (remote))
      {
        guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote));

        g_hash_table_add (self->client_ports, GUINT_TO_POINTER (port));
      }
  }

  while ((fault = take_fault (self, path, FALSE)) != NULL)
    {
      if (g_str_equal (fault->kind, "latency"))
        {
          delay += fault->arg;
          continue;
        }
      if (g_str_equal (fault->kind, "reset"))
        {
          GIOStream *stream = soup_server_message_steal_connection (msg);

          g_io_stream_close (stream, NULL, NULL);
          g_object_unref (stream);
          return;
        }
      if (g_str_has_prefix (fault->kind, "http"))
        {
          guint status = (guint) atoi (fault->kind + 4);
          g_autofree char *page =
            g_strdup_printf ("<!doctype html>\n<html lang=en>\n<title>%u %s</title>\n"
                             "<h1>%s</h1>\n<p>The server could not answer.</p>\n",
                             status, soup_status_get_phrase (status),
                             soup_status_get_phrase (status));

          soup_server_message_set_status (msg, status, NULL);
          soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                            page, strlen (page));
          return;
        }
    }

  if (g_str_equal (path, "/json/version") || g_str_equal (path, "/web/version"))
    {
      const char *override = g_hash_table_lookup (self->overrides, "version");

      respond_transcript (msg, override ? override : "04-json2-GET-json-version.txt");
    }
  else if (g_str_equal (path, "/jsonrpc"))
    handle_jsonrpc (self, msg);
  else if (g_str_has_prefix (path, "/json/2/"))
    handle_json2 (self, msg, path);
  else if (g_str_equal (path, "/web/session/authenticate"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *params = NULL;

      remember (self, msg, "session.authenticate");
      if (json_parser_load_from_data (parser, body->data ? body->data : "", body->length, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        params = json_object_get_object_member (
          json_node_get_object (json_parser_get_root (parser)), "params");
      if (params != NULL &&
          uid_for_password (json_object_get_string_member_with_default (params, "login", ""),
                            json_object_get_string_member_with_default (params, "password", ""))
          == 2 &&
          !g_str_equal (json_object_get_string_member_with_default (params, "password", ""),
                        users[0].api_key))
        {
          self->calls_in_session = 0;
          respond_transcript (msg, "01-session-authenticate-ok.txt");
        }
      else
        respond_transcript (msg, "01-session-authenticate-bad-password.txt");
    }
  else if (g_str_has_prefix (path, "/web/dataset/call_kw/"))
    handle_call_kw (self, msg, path);
  else if (g_str_has_prefix (path, "/api/"))
    handle_n8n (self, msg, path);
  else
    respond_transcript (msg, "143-api-v2-route.txt");

  fault = take_fault (self, path, TRUE);
  if (fault != NULL)
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);
      g_autoptr(GBytes) flat = soup_message_body_flatten (body);
      gsize length = g_bytes_get_size (flat);

      soup_message_body_truncate (body);
      if (g_str_equal (fault->kind, "truncate"))
        soup_message_body_append (body, SOUP_MEMORY_COPY, g_bytes_get_data (flat, NULL),
                                  length / 2);
      else
        soup_message_body_append (body, SOUP_MEMORY_COPY,
                                  "{\"jsonrpc\": \"2.0\", \"result\": [tru", 34);
    }

  if (delay > 0)
    {
      g_signal_connect (msg, "disconnected", G_CALLBACK (on_held_disconnected), NULL);
      soup_server_message_pause (msg);
      g_timeout_add (delay, release_held, g_object_ref (msg));
    }
}

/* ---- TLS ------------------------------------------------------------------ */

static GTlsCertificate *
make_certificate (TestServer  *self,
                  GError     **error)
{
  g_autofree char *key = NULL;
  g_autofree char *cert = NULL;
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
    "-subj", "/CN=127.0.0.1", "-keyout", NULL, "-out", NULL, NULL,
  };
  int status;

  self->tmpdir = g_dir_make_tmp ("ct-test-tls-XXXXXX", error);
  if (self->tmpdir == NULL)
    return NULL;
  key = g_build_filename (self->tmpdir, "key.pem", NULL);
  cert = g_build_filename (self->tmpdir, "cert.pem", NULL);
  argv[11] = key;
  argv[13] = cert;
  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, error) ||
      !g_spawn_check_wait_status (status, error))
    return NULL;
  if (!g_file_get_contents (cert, &self->certificate_pem, NULL, error))
    return NULL;
  return g_tls_certificate_new_from_files (cert, key, error);
}

/* ---- lifecycle ------------------------------------------------------------ */

TestServer *
test_server_start (const TestServerOptions *options)
{
  TestServer *self = g_new0 (TestServer, 1);
  CtSimOptions sim_options = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  GSList *uris;

  sim_options.dataset = "recorded";
  sim_options.tls = options ? options->tls : FALSE;
  sim_options.faults = options ? options->faults : NULL;
  self->sim = ct_sim_server_new (&sim_options, &error);
  if (self->sim != NULL && ct_sim_server_start (self->sim, &error))
    return self;
  g_assert_true (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED));
  g_clear_object (&self->sim);
  g_clear_error (&error);

  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  self->paths = g_ptr_array_new_with_free_func (g_free);
  self->client_ports = g_hash_table_new (NULL, NULL);
  self->overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->last_bodies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) soup_message_headers_unref);
  self->n8n_routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  load_n8n_routes (self);
  parse_faults (self, options ? options->faults : NULL);

  self->tls = options ? options->tls : FALSE;
  if (self->tls)
    {
      certificate = make_certificate (self, &error);
      g_assert_no_error (error);
    }
  self->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (self->server, NULL, handler, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY |
                            (self->tls ? SOUP_SERVER_LISTEN_HTTPS : 0), &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return self;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_remove (child);
    }
  g_rmdir (path);
}

void
test_server_free (TestServer *self)
{
  if (self->sim != NULL)
    {
      ct_sim_server_stop (self->sim);
      g_object_unref (self->sim);
      g_free (self);
      return;
    }
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_ptr_array_unref (self->faults);
  g_ptr_array_unref (self->paths);
  g_hash_table_unref (self->client_ports);
  g_hash_table_unref (self->overrides);
  g_hash_table_unref (self->last_bodies);
  g_hash_table_unref (self->last_headers);
  g_hash_table_unref (self->n8n_routes);
  g_free (self->certificate_pem);
  if (self->tmpdir)
    remove_tree (self->tmpdir);
  g_free (self->tmpdir);
  g_free (self);
}

gboolean
test_server_is_replay (TestServer *self)
{
  return self->sim == NULL;
}

char *
test_server_dup_url (TestServer *self)
{
  if (self->sim)
    return ct_sim_server_dup_url (self->sim);
  return g_strdup_printf ("%s://127.0.0.1:%u", self->tls ? "https" : "http", self->port);
}

const char *
test_server_get_database (TestServer *self)
{
  return self->sim ? ct_sim_server_get_database (self->sim) : "ct";
}

const char *
test_server_get_password (TestServer *self,
                          const char *login)
{
  if (self->sim)
    return ct_sim_server_get_password (self->sim, login);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    if (g_str_equal (users[i].login, login))
      return users[i].password;
  return NULL;
}

const char *
test_server_get_api_key (TestServer *self,
                         const char *login)
{
  if (self->sim)
    return ct_sim_server_get_api_key (self->sim, login);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    if (g_str_equal (users[i].login, login))
      return users[i].api_key;
  return NULL;
}

const char *
test_server_get_n8n_api_key (TestServer *self)
{
  return self->sim ? ct_sim_server_get_n8n_api_key (self->sim) : REPLAY_N8N_KEY;
}

const char *
test_server_get_certificate_pem (TestServer *self)
{
  return self->sim ? ct_sim_server_get_certificate_pem (self->sim) : self->certificate_pem;
}

void
test_server_set_faults (TestServer *self,
                        const char *spec)
{
  if (self->sim)
    {
      g_autoptr(GError) error = NULL;

      ct_sim_faults_clear (ct_sim_server_get_faults (self->sim));
      if (spec != NULL)
        ct_sim_faults_parse (ct_sim_server_get_faults (self->sim), spec, &error);
      g_assert_no_error (error);
      return;
    }
  parse_faults (self, spec);
}

guint
test_server_count_requests (TestServer *self,
                            const char *path_prefix)
{
  guint n = 0;

  if (self->sim)
    return ct_sim_server_count_requests (self->sim, path_prefix);
  for (guint i = 0; i < self->paths->len; i++)
    if (path_prefix == NULL || g_str_has_prefix (self->paths->pdata[i], path_prefix))
      n++;
  return n;
}

void
test_server_reset_counts (TestServer *self)
{
  if (self->sim)
    ct_sim_server_reset_counts (self->sim);
  else
    {
      g_ptr_array_set_size (self->paths, 0);
      g_hash_table_remove_all (self->client_ports);
    }
}

guint
test_server_count_connections (TestServer *self)
{
  g_assert_null (self->sim);
  return g_hash_table_size (self->client_ports);
}

void
test_server_answer_with (TestServer *self,
                         const char *key,
                         const char *transcript)
{
  g_assert_null (self->sim);
  if (transcript == NULL)
    g_hash_table_remove (self->overrides, key);
  else
    g_hash_table_replace (self->overrides, g_strdup (key), g_strdup (transcript));
}

const char *
test_server_last_body (TestServer *self,
                       const char *key)
{
  g_assert_null (self->sim);
  return g_hash_table_lookup (self->last_bodies, key);
}

const char *
test_server_last_header (TestServer *self,
                         const char *key,
                         const char *header)
{
  SoupMessageHeaders *headers;

  g_assert_null (self->sim);
  headers = g_hash_table_lookup (self->last_headers, key);
  return headers ? soup_message_headers_get_one (headers, header) : NULL;
}

void
test_wait (gboolean *done)
{
  WAIT_UNTIL (*done);
}
