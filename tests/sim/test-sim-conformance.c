/* test-sim-conformance.c - Replays every recorded Odoo 19 exchange against the simulator
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each file of $CT_PROTOCOL_DIR/odoo-19 is replayed on a fresh simulator with
 * the "recorded" dataset. What must match (tests/data/protocol/README.md): the
 * status code, the body's content type, key names, value types, error class
 * names and codes, and which keys are absent. Ids, dates, cookies, tracebacks
 * and timings are not compared. Recorded session cookies are replaced by live
 * ones obtained the way the recording did (authenticate, destroy, ...).
 */

#define G_LOG_DOMAIN "ct-sim-test"

#include "config.h"

#include "../ct-test-protocol.h"

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ct-sim-server.h"
#include "ct-test-bus-replay.h"

#define ADMIN_KEY "c7228151caed75975ed94b42be0ccf28a17c3947"

/* Files that cannot apply, each with the reason. Every other recording is
 * replayed. */

static const struct
{
  const char *prefix;
  const char *reason;
} skipped[] = {
  { "08-perf", "a timing report, not a request/response transcript; see ct-sim-bench" },
  { "setup-02-create-user-purchaser", "the recorded fixture already has user purchaser: "
    "replaying its creation gives the duplicate-login ValidationError by design" },
  { "setup-03-create-user-noright", "the recorded fixture already has user noright: "
    "replaying its creation gives the duplicate-login ValidationError by design" },
};

typedef struct
{
  char        *method;
  char        *path;
  char        *annotation;   /* (nullable) text after the request line */
  GPtrArray   *headers;      /* "Name: value" */
  char        *body;
  guint        status;
  GPtrArray   *resp_headers;
  char        *resp_body;
} Exchange;

static void
exchange_free (gpointer data)
{
  Exchange *ex = data;

  g_free (ex->method);
  g_free (ex->path);
  g_free (ex->annotation);
  g_ptr_array_unref (ex->headers);
  g_free (ex->body);
  g_ptr_array_unref (ex->resp_headers);
  g_free (ex->resp_body);
  g_free (ex);
}

static void
split_head (const char  *text,
            char       **first_line,
            GPtrArray   *headers,
            char       **body)
{
  const char *blank = strstr (text, "\n\n");
  g_autofree char *head = blank != NULL ? g_strndup (text, blank - text) : g_strdup (text);
  g_auto(GStrv) lines = g_strsplit (head, "\n", -1);

  *first_line = g_strdup (lines[0] != NULL ? lines[0] : "");
  for (guint i = 1; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (headers, g_strdup (lines[i]));
  *body = g_strdup (blank != NULL ? blank + 2 : "");
  g_strstrip (*body);
}

static GPtrArray *
parse_transcript (const char *contents)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (exchange_free);
  const char *p = contents;

  while ((p = strstr (p, "### REQUEST\n")) != NULL)
    {
      const char *req = p + strlen ("### REQUEST\n");
      const char *res = strstr (req, "### RESPONSE\n");
      const char *next;
      g_autofree char *req_text = NULL;
      g_autofree char *res_text = NULL;
      g_autofree char *line = NULL;
      g_autofree char *status_line = NULL;
      g_auto(GStrv) words = NULL;
      Exchange *ex;

      if (res == NULL)
        break;
      next = strstr (res, "### REQUEST\n");
      req_text = g_strndup (req, res - req);
      res_text = next != NULL ? g_strndup (res + 13, next - res - 13) : g_strdup (res + 13);

      ex = g_new0 (Exchange, 1);
      ex->headers = g_ptr_array_new_with_free_func (g_free);
      ex->resp_headers = g_ptr_array_new_with_free_func (g_free);
      split_head (req_text, &line, ex->headers, &ex->body);
      words = g_strsplit (line, " ", 3);
      ex->method = g_strdup (words[0]);
      ex->path = g_strdup (words[1] != NULL ? words[1] : "/");
      if (words[1] != NULL && words[2] != NULL && strchr (words[2], '(') != NULL)
        ex->annotation = g_strdup (strchr (words[2], '('));
      split_head (res_text, &status_line, ex->resp_headers, &ex->resp_body);
      {
        g_auto(GStrv) sw = g_strsplit (status_line, " ", 3);

        ex->status = sw[1] != NULL ? (guint) g_ascii_strtoull (sw[1], NULL, 10) : 0;
      }
      g_ptr_array_add (out, ex);
      p = res;
    }
  return out;
}

static const char *
find_header (GPtrArray  *headers,
             const char *name)
{
  gsize len = strlen (name);

  for (guint i = 0; i < headers->len; i++)
    {
      const char *h = g_ptr_array_index (headers, i);

      if (g_ascii_strncasecmp (h, name, len) == 0 && h[len] == ':')
        return h + len + 1 + (h[len + 1] == ' ');
    }
  return NULL;
}

/* Live sessions */

typedef struct
{
  CtSimServer *server;
  SoupSession *session;
  char        *base;
  GHashTable  *cookies;  /* recorded session_id -> live session_id */
  gboolean     quiet;    /* replaying an earlier file's requests: send only */
  GHashTable  *ids;      /* recorded record id -> live id, for records the replay created */
  GHashTable  *renamed;  /* recorded id or token -> the live one, in paths and bodies */
} Replay;

static SoupMessage *
new_message (Replay     *replay,
             const char *method,
             const char *path,
             const char *content_type,
             const char *body)
{
  g_autofree char *url = g_strconcat (replay->base, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  return msg;
}

static char *
send_message (Replay       *replay,
              SoupMessage  *msg,
              guint        *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read (replay->session, msg, NULL, &error);

  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static char *
session_cookie_of (SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  char *sid = NULL;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Set-Cookie") == 0 && g_str_has_prefix (value, "session_id="))
      {
        const char *end = strchr (value, ';');

        g_free (sid);
        sid = g_strndup (value + 11, end != NULL ? (gsize) (end - value - 11) : strlen (value + 11));
      }
  return sid;
}

static char *
live_login (Replay     *replay,
            const char *login)
{
  g_autofree char *body = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":"
                                           "{\"db\":\"ct\",\"login\":\"%s\",\"password\":\"%s\"},"
                                           "\"id\":1}", login, login);
  g_autoptr(SoupMessage) msg = new_message (replay, "POST", "/web/session/authenticate",
                                            "application/json", body);
  guint status;
  g_autofree char *answer = send_message (replay, msg, &status);

  g_assert_cmpuint (status, ==, 200);
  return session_cookie_of (msg);
}

static char *
live_destroy (Replay     *replay,
              const char *sid)
{
  g_autoptr(SoupMessage) msg = new_message (replay, "POST", "/web/session/destroy", "application/json",
                                            "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{},\"id\":1}");
  g_autofree char *cookie = g_strdup_printf ("session_id=%s", sid);
  guint status;
  g_autofree char *answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie);
  answer = send_message (replay, msg, &status);
  g_assert_cmpuint (status, ==, 200);
  return session_cookie_of (msg);
}

/* Returns the "result" of a JSON-RPC call (NULL for None). */
static JsonNode *
live_jsonrpc_result (Replay     *replay,
                     const char *body)
{
  g_autoptr(SoupMessage) msg = new_message (replay, "POST", "/jsonrpc", "application/json", body);
  guint status;
  g_autofree char *answer = send_message (replay, msg, &status);
  g_autoptr(JsonNode) root = json_from_string (answer, NULL);
  JsonObject *object;

  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (root);
  object = json_node_get_object (root);
  return json_object_has_member (object, "result") ?
    json_node_copy (json_object_get_member (object, "result")) : NULL;
}

static void
live_jsonrpc (Replay     *replay,
              const char *body)
{
  g_autoptr(JsonNode) result = live_jsonrpc_result (replay, body);
}

static JsonNode *
live_execute_result (Replay     *replay,
                     gint64      uid,
                     const char *password,
                     const char *model,
                     const char *method,
                     const char *args)
{
  g_autofree char *body = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":"
                                           "{\"service\":\"object\",\"method\":\"execute_kw\","
                                           "\"args\":[\"ct\",%" G_GINT64_FORMAT ",\"%s\",\"%s\",\"%s\",%s]},"
                                           "\"id\":1}", uid, password, model, method, args);

  return live_jsonrpc_result (replay, body);
}

static void
live_execute (Replay     *replay,
              gint64      uid,
              const char *password,
              const char *model,
              const char *method,
              const char *args)
{
  g_autoptr(JsonNode) result = live_execute_result (replay, uid, password, model, method, args);
}

/* Calls a method whose result is a list of one id or token (create,
 * message_post, generate_access_token) and has the replay use that one
 * wherever the recording used @recorded. @args: the positional arguments,
 * then optionally ",{keywords}". */
static void
live_rename (Replay     *replay,
             const char *recorded,
             const char *model,
             const char *method,
             const char *args)
{
  g_autoptr(JsonNode) result = live_execute_result (replay, 2, "admin", model, method, args);
  JsonNode *first;

  g_assert_nonnull (result);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (result));
  first = json_array_get_element (json_node_get_array (result), 0);
  g_hash_table_insert (replay->renamed, g_strdup (recorded),
                       json_node_get_value_type (first) == G_TYPE_STRING ?
                       g_strdup (json_node_get_string (first)) :
                       g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (first)));
}

static char *
renamed (Replay     *replay,
         const char *text)
{
  GString *out = g_string_new (text);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, replay->renamed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_replace (out, key, value, 0);
  return g_string_free (out, FALSE);
}

/* 09-22 and 09-23: the same HTML posted on P00013 as plain text and with
 * body_is_html, as 721 and 722. */
static void
post_html_pair (Replay *replay)
{
  static const char html[] = "<p>Please check the <b>bold</b> terms and <a href=\\\"https://"
    "example.com/terms?a=1&amp;b=2\\\">the terms page</a>.</p><script>alert(1)</script><p><a "
    "href=\\\"javascript:alert(2)\\\">js link</a> <img src=\\\"x\\\" onerror=\\\"alert(3)\\\"> "
    "<span style=\\\"color:red\\\" onclick=\\\"alert(4)\\\">red</span></p>";
  g_autofree char *plain = g_strdup_printf ("[[13]],{\"body\":\"%s\",\"message_type\":\"comment\","
                                            "\"subtype_xmlid\":\"mail.mt_note\"}", html);
  g_autofree char *is_html = g_strdup_printf ("[[13]],{\"body\":\"%s\",\"body_is_html\":true,"
                                              "\"message_type\":\"comment\","
                                              "\"subtype_xmlid\":\"mail.mt_note\"}", html);

  live_rename (replay, "721", "purchase.order", "message_post", plain);
  live_rename (replay, "722", "purchase.order", "message_post", is_html);
}

/* The state a transcript was recorded in, reached the way the recording did. */
static void
prelude (Replay     *replay,
         const char *name,
         Exchange   *ex)
{
  const char *cookie = find_header (ex->headers, "Cookie");

  if (g_str_has_prefix (name, "01-session-authenticate-login-cooldown") ||
      g_str_has_prefix (name, "02-jsonrpc-authenticate-during-session-login-cooldown"))
    for (guint i = 0; i < 10; i++)
      {
        g_autoptr(SoupMessage) msg = new_message (replay, "POST", "/web/session/authenticate",
                                                  "application/json",
                                                  "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":"
                                                  "{\"db\":\"ct\",\"login\":\"admin\",\"password\":\"x\"},"
                                                  "\"id\":1}");
        guint status;
        g_autofree char *answer = send_message (replay, msg, &status);
      }
  if (g_str_has_prefix (name, "02-jsonrpc-no-login-cooldown-after-5-failed-logins"))
    for (guint i = 0; i < 5; i++)
      live_jsonrpc (replay, "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{\"service\":"
                    "\"common\",\"method\":\"authenticate\",\"args\":[\"ct\",\"admin\",\"x\",{}]},\"id\":1}");
  if (g_str_has_prefix (name, "05-read-mail.activity-after-done"))
    live_execute (replay, 2, "admin", "mail.activity", "action_feedback", "[[24]]");
  if (g_str_has_prefix (name, "07-tier-button_approve-after-rejection") ||
      g_str_has_prefix (name, "07-tier-restart_validation-after-rejection"))
    live_execute (replay, 7, "purchaser", "purchase.order", "reject_tier", "[[110]]");
  if (g_str_has_prefix (name, "07-tier-button_approve-after-validation"))
    live_execute (replay, 7, "purchaser", "purchase.order", "validate_tier", "[[109]]");
  if (g_str_has_prefix (name, "07-tier-button_approve-by-admin-who-is-reviewer"))
    live_execute (replay, 2, "admin", "tier.definition", "write", "[[1],{\"reviewer_id\":2}]");
  if (g_str_has_prefix (name, "07-tier-json2-validate_tier") ||
      g_str_has_prefix (name, "07-tier-json2-button_approve-after-validation"))
    live_execute (replay, 7, "purchaser", "purchase.order", "request_validation", "[[112]]");
  if (g_str_has_prefix (name, "07-tier-json2-button_approve-after-validation"))
    live_execute (replay, 7, "purchaser", "purchase.order", "validate_tier", "[[112]]");
  if (g_str_has_prefix (name, "04-json2-read"))
    live_execute (replay, 2, "admin", "purchase.order", "write",
                  "[[14],{\"partner_ref\":\"GTK-REF-14\",\"priority\":\"1\"}]");
  if (g_str_has_prefix (name, "07-tier-request_validation"))
    live_execute (replay, 7, "purchaser", "purchase.order", "restart_validation", "[[109,110,111]]");
  /* The case detail of P00013: its activity was done in 05-*, 09-08 attached
   * a quote, 09-15 made a token for it, 09-22 and 09-23 posted HTML. */
  if (g_str_has_prefix (name, "09-01-"))
    live_execute (replay, 2, "admin", "mail.activity", "action_feedback", "[[24]]");
  if (strcmp (name, "09-09") >= 0 && strcmp (name, "09-17") < 0)
    live_rename (replay, "927", "ir.attachment", "create",
                 "[[{\"name\":\"quote-P00013.pdf\",\"mimetype\":\"application/pdf\",\"datas\":"
                 "\"JVBERi0xLjQKJSBDb250cm9sIFRvd2VyIHRyYW5zY3JpcHQgdGVzdCBxdW90ZSBmb3IgUDAwMDEzCiUlRU9GCg==\","
                 "\"res_model\":\"purchase.order\",\"res_id\":13}]]");
  if (g_str_has_prefix (name, "09-16-"))
    {
      g_autofree char *args = g_strdup_printf ("[[%s]]", (char *) g_hash_table_lookup (replay->renamed,
                                                                                     "927"));

      live_rename (replay, "afc2ae6a-086c-4ff1-82a3-516f9c7c5818", "ir.attachment",
                   "generate_access_token", args);
    }
  if (g_str_has_prefix (name, "09-24-") || g_str_has_prefix (name, "10-5"))
    post_html_pair (replay);
  /* By the 08-* recordings 12, 14, 15, 109 and 112 had left "to approve". */
  if (g_str_has_prefix (name, "08-21-"))
    live_execute (replay, 2, "admin", "purchase.order", "button_cancel", "[[12,14,15,109,112]]");
  if (g_str_has_prefix (name, "apikey-03") || g_str_has_prefix (name, "apikey-04"))
    live_execute (replay, 2, "admin", "res.users.apikeys.description", "create",
                  "[{\"name\":\"gtk-client\",\"duration\":\"0\"}]");
  if (g_str_has_prefix (name, "apikey-04"))
    live_execute (replay, 2, "admin", "res.users.apikeys.description", "make_key", "[[1]]");

  if (cookie != NULL && g_str_has_prefix (cookie, "session_id="))
    {
      const char *recorded = cookie + strlen ("session_id=");
      g_autofree char *live = NULL;

      if (g_strcmp0 (recorded, "garbage") == 0)
        return;
      live = live_login (replay, strstr (name, "noright") != NULL ? "noright" : "admin");
      if (strstr (name, "after-destroy") != NULL)
        {
          g_autofree char *anonymous = live_destroy (replay, live);

          if (strstr (name, "new-anonymous-cookie") != NULL)
            {
              g_free (live);
              live = g_steal_pointer (&anonymous);
            }
        }
      g_hash_table_insert (replay->cookies, g_strdup (recorded), g_steal_pointer (&live));
    }
}

/* Comparison */

static const char *
type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN: return "boolean";
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE: return "number";
    case G_TYPE_STRING: return "string";
    default: return "?";
    }
}

typedef struct
{
  GString     *errors;
  gboolean     open_top;   /* fields_get: the recorded server had fewer modules */
  const char **extra_ok;   /* (nullable) keys a record may have beyond the recording */
} Compare;

/* 02-jsonrpc-execute_kw-read-no-fields was recorded before the OCA tier
 * modules were installed; the simulator has them, as the later recordings do. */
static const char *tier_fields[] = {
  "review_ids", "to_validate_message", "validated_message", "need_validation",
  "rejected_message", "validation_status", "reviewer_ids", "can_review", "has_comment",
  "next_review", "hide_reviews", NULL
};

static void
compare_nodes (Compare    *cmp,
               JsonNode   *rec,
               JsonNode   *live,
               const char *path,
               guint       depth)
{
  if (g_strcmp0 (type_name (rec), type_name (live)) != 0)
    {
      g_string_append_printf (cmp->errors, "%s: recorded %s, live %s\n", path, type_name (rec),
                              type_name (live));
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (rec))
    {
      JsonObject *ro = json_node_get_object (rec);
      JsonObject *lo = json_node_get_object (live);
      GList *members = json_object_get_members (ro);
      gboolean is_result = g_str_has_suffix (path, ".result") || g_strcmp0 (path, "$") == 0;

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *sub = g_strdup_printf ("%s.%s", path, (const char *) l->data);

          if (!json_object_has_member (lo, l->data))
            {
              g_string_append_printf (cmp->errors, "%s: missing\n", sub);
              continue;
            }
          if (g_strcmp0 (l->data, "debug") == 0)
            continue;
          compare_nodes (cmp, json_object_get_member (ro, l->data),
                         json_object_get_member (lo, l->data), sub, depth + 1);
        }
      g_list_free (members);
      if (!(cmp->open_top && is_result))
        {
          members = json_object_get_members (lo);
          for (GList *l = members; l != NULL; l = l->next)
            if (!json_object_has_member (ro, l->data) &&
                !(cmp->extra_ok != NULL && g_strv_contains (cmp->extra_ok, l->data)))
              g_string_append_printf (cmp->errors, "%s.%s: present but absent in the recording\n",
                                      path, (const char *) l->data);
          g_list_free (members);
        }
      /* Error class names and codes are part of the contract. */
      if (json_object_has_member (ro, "name") && json_object_has_member (ro, "arguments") &&
          g_strcmp0 (json_object_get_string_member (ro, "name"),
                     json_object_get_string_member_with_default (lo, "name", "")) != 0)
        g_string_append_printf (cmp->errors, "%s.name: recorded %s, live %s\n", path,
                                json_object_get_string_member (ro, "name"),
                                json_object_get_string_member_with_default (lo, "name", ""));
      if (json_object_has_member (ro, "code") && json_object_has_member (ro, "data") &&
          json_object_get_int_member (ro, "code") != json_object_get_int_member_with_default (lo, "code", -1))
        g_string_append_printf (cmp->errors, "%s.code: recorded %" G_GINT64_FORMAT "\n", path,
                                json_object_get_int_member (ro, "code"));
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (rec))
    {
      JsonArray *ra = json_node_get_array (rec);
      JsonArray *la = json_node_get_array (live);
      guint rn = json_array_get_length (ra);
      guint ln = json_array_get_length (la);

      if ((rn == 0) != (ln == 0))
        {
          g_string_append_printf (cmp->errors, "%s: recorded %u items, live %u\n", path, rn, ln);
          return;
        }
      for (guint i = 0; i < MIN (rn, ln); i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);

          compare_nodes (cmp, json_array_get_element (ra, i), json_array_get_element (la, i), sub,
                         depth + 1);
        }
    }
}

static gboolean
recorded_sets_session (Exchange *ex)
{
  for (guint i = 0; i < ex->resp_headers->len; i++)
    {
      const char *h = g_ptr_array_index (ex->resp_headers, i);

      if (g_ascii_strncasecmp (h, "Set-Cookie: session_id=", 23) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
live_sets_session (SoupMessage *msg)
{
  g_autofree char *sid = session_cookie_of (msg);

  return sid != NULL;
}

static gboolean
skip_reason (const char  *name,
             const char **reason)
{
  for (guint i = 0; i < G_N_ELEMENTS (skipped); i++)
    if (g_str_has_prefix (name, skipped[i].prefix))
      {
        *reason = skipped[i].reason;
        return TRUE;
      }
  return FALSE;
}

/* Records the replay creates get the simulator's ids, not the recorded
 * server's: creating answers (an id or a list of ids) teach the mapping,
 * and later requests' "ids" are translated with it. */
static void
learn_ids (Replay     *replay,
           Exchange   *ex,
           const char *answer)
{
  static const char *const creating[] = { "/create", "/activity_schedule", "/message_post",
                                          "/request_validation", NULL };
  g_autoptr(JsonNode) rec = NULL;
  g_autoptr(JsonNode) live = NULL;
  gboolean creates = FALSE;

  for (guint i = 0; creating[i] != NULL; i++)
    creates = creates || (g_str_has_prefix (ex->path, "/json/2/") && g_str_has_suffix (ex->path, creating[i]));
  if (!creates || answer == NULL)
    return;
  rec = json_from_string (ex->resp_body, NULL);
  live = json_from_string (answer, NULL);
  if (rec == NULL || live == NULL || !JSON_NODE_HOLDS_ARRAY (rec) || !JSON_NODE_HOLDS_ARRAY (live))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (rec)) &&
                    i < json_array_get_length (json_node_get_array (live)); i++)
    {
      JsonNode *r = json_array_get_element (json_node_get_array (rec), i);
      JsonNode *l = json_array_get_element (json_node_get_array (live), i);
      gint64 *key, *value;

      if (json_node_get_value_type (r) != G_TYPE_INT64 || json_node_get_value_type (l) != G_TYPE_INT64)
        continue;
      key = g_new (gint64, 1);
      value = g_new (gint64, 1);
      *key = json_node_get_int (r);
      *value = json_node_get_int (l);
      g_hash_table_replace (replay->ids, key, value);
    }
}

static char *
map_ids (Replay     *replay,
         const char *body)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *ids;

  if (g_hash_table_size (replay->ids) == 0 || body[0] != '{' ||
      (node = json_from_string (body, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (json_node_get_object (node), "ids") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (node), "ids")))
    return g_strdup (body);
  ids = json_object_get_array_member (json_node_get_object (node), "ids");
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      JsonNode *element = json_array_get_element (ids, i);
      gint64 id;
      gint64 *live;

      if (json_node_get_value_type (element) != G_TYPE_INT64)
        continue;
      id = json_node_get_int (element);
      live = g_hash_table_lookup (replay->ids, &id);
      if (live != NULL)
        json_node_set_int (element, *live);
    }
  return json_to_string (node, TRUE);
}

static void
replay_exchange (Replay     *replay,
                 const char *name,
                 Exchange   *ex)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(JsonNode) rec = NULL;
  g_autoptr(JsonNode) live = NULL;
  const char *content_type = find_header (ex->headers, "Content-Type");
  const char *rec_type = find_header (ex->resp_headers, "Content-Type");
  const char *live_type;
  const char *rec_body = ex->resp_body;
  gboolean truncated = g_str_has_prefix (rec_body, "(body truncated");
  gboolean cut = g_str_has_prefix (rec_body, "(body cut");
  g_autofree char *body = NULL;
  Compare cmp = { g_string_new (NULL), strstr (name, "fields_get") != NULL,
                  strstr (name, "read-no-fields") != NULL ? tier_fields : NULL };
  g_autofree char *live_path = NULL;
  g_autofree char *live_body = NULL;
  guint status;

  live_path = renamed (replay, ex->path);
  live_body = renamed (replay, ex->body);
  body = map_ids (replay, live_body);
  msg = new_message (replay, ex->method, live_path, content_type,
                     ex->body[0] != '\0' || g_strcmp0 (ex->method, "POST") == 0 ? body : NULL);
  for (guint i = 0; i < ex->headers->len; i++)
    {
      const char *h = g_ptr_array_index (ex->headers, i);
      g_auto(GStrv) kv = g_strsplit (h, ": ", 2);

      if (kv[1] == NULL || g_ascii_strcasecmp (kv[0], "Host") == 0 ||
          g_ascii_strcasecmp (kv[0], "Content-Length") == 0 ||
          g_ascii_strcasecmp (kv[0], "Content-Type") == 0)
        continue;
      if (g_ascii_strcasecmp (kv[0], "Cookie") == 0 && g_str_has_prefix (kv[1], "session_id="))
        {
          const char *live_sid = g_hash_table_lookup (replay->cookies, kv[1] + 11);
          g_autofree char *cookie = g_strdup_printf ("session_id=%s", live_sid ? live_sid : kv[1] + 11);

          soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie);
          continue;
        }
      soup_message_headers_replace (soup_message_get_request_headers (msg), kv[0], kv[1]);
    }
  if (ex->annotation != NULL)
    {
      if (strstr (ex->annotation, "<admin key>") != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                      "bearer " ADMIN_KEY);
      if (strstr (ex->annotation, "X-Odoo-Database: ct") != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Odoo-Database", "ct");
    }

  answer = send_message (replay, msg, &status);
  learn_ids (replay, ex, answer);
  if (replay->quiet)
    {
      g_string_free (cmp.errors, TRUE);
      return;
    }
  if (status != ex->status)
    g_string_append_printf (cmp.errors, "status: recorded %u, live %u\n", ex->status, status);
  live_type = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Type");
  if (rec_type != NULL && (strstr (rec_type, "json") != NULL) != (live_type != NULL && strstr (live_type, "json") != NULL))
    g_string_append_printf (cmp.errors, "content type: recorded %s, live %s\n", rec_type,
                            live_type ? live_type : "(none)");
  /* A new or destroyed session must come with its cookie. Odoo also re-sends
   * the cookie of a session it happened to save (call_kw after a login): that
   * is timing, not contract, so other routes are not compared. */
  if ((g_str_has_prefix (ex->path, "/web/session/") || g_str_has_prefix (ex->path, "/json/version")) &&
      recorded_sets_session (ex) != live_sets_session (msg))
    g_string_append (cmp.errors, "Set-Cookie session_id: presence differs\n");

  if (truncated)
    {
      const char *json = strchr (rec_body, '\n');
      JsonObject *first_rec, *first_live;
      GList *members;

      rec = json_from_string (json != NULL ? json : "", NULL);
      live = json_from_string (answer, NULL);
      g_assert_nonnull (rec);
      if (live == NULL || !JSON_NODE_HOLDS_ARRAY (live) ||
          json_array_get_length (json_node_get_array (live)) == 0)
        g_string_append (cmp.errors, "$: expected a non-empty array\n");
      else
        {
          /* The recorder kept only the first record: compare its key set. */
          first_rec = json_node_get_object (rec);
          first_live = json_array_get_object_element (json_node_get_array (live), 0);
          members = json_object_get_members (first_rec);
          for (GList *l = members; l != NULL; l = l->next)
            if (!json_object_has_member (first_live, l->data))
              g_string_append_printf (cmp.errors, "$[0].%s: missing\n", (const char *) l->data);
          g_list_free (members);
          if (json_object_get_size (first_live) != json_object_get_size (first_rec))
            g_string_append_printf (cmp.errors, "$[0]: %u keys, recorded %u\n",
                                    json_object_get_size (first_live), json_object_get_size (first_rec));
        }
    }
  else if (cut)
    {
      /* The recorder kept some members of an object: each must be there,
       * alike; the live answer may have more. */
      const char *json = strchr (rec_body, '\n');

      rec = json_from_string (json != NULL ? json : "", NULL);
      live = json_from_string (answer, NULL);
      g_assert_nonnull (rec);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (rec));
      if (live == NULL || !JSON_NODE_HOLDS_OBJECT (live))
        g_string_append (cmp.errors, "$: expected an object\n");
      else
        {
          JsonObject *ro = json_node_get_object (rec);
          JsonObject *lo = json_node_get_object (live);
          GList *members = json_object_get_members (ro);

          for (GList *l = members; l != NULL; l = l->next)
            {
              g_autofree char *sub = g_strdup_printf ("$.%s", (const char *) l->data);

              if (!json_object_has_member (lo, l->data))
                g_string_append_printf (cmp.errors, "%s: missing\n", sub);
              else
                compare_nodes (&cmp, json_object_get_member (ro, l->data),
                               json_object_get_member (lo, l->data), sub, 1);
            }
          g_list_free (members);
        }
    }
  else if (rec_type != NULL && strstr (rec_type, "json") != NULL)
    {
      rec = json_from_string (rec_body, NULL);
      live = json_from_string (answer, NULL);
      g_assert_nonnull (rec);
      if (live == NULL)
        g_string_append_printf (cmp.errors, "live body is not JSON: %.200s\n", answer);
      else
        compare_nodes (&cmp, rec, live, "$", 0);
    }

  if (cmp.errors->len > 0)
    g_test_message ("%s %s:\n%s", ex->method, ex->path, cmp.errors->str);
  if (cmp.errors->len > 0)
    {
      g_string_free (cmp.errors, TRUE);
      g_test_fail_printf ("%s differs from the recording", name);
      return;
    }
  g_string_free (cmp.errors, TRUE);
}

static int compare_paths (gconstpointer a,
                          gconstpointer b);

static void
replay_earlier (Replay     *replay,
                const char *file,
                const char *name)
{
  g_autofree char *dir_path = g_path_get_dirname (file);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) earlier = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, "10-") && strcmp (entry, name) < 0)
      g_ptr_array_add (earlier, g_strdup (entry));
  g_ptr_array_sort (earlier, compare_paths);
  replay->quiet = TRUE;
  for (guint i = 0; i < earlier->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, g_ptr_array_index (earlier, i), NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GPtrArray) exchanges = NULL;

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      exchanges = parse_transcript (contents);
      prelude (replay, g_ptr_array_index (earlier, i), g_ptr_array_index (exchanges, 0));
      for (guint j = 0; j < exchanges->len; j++)
        replay_exchange (replay, g_ptr_array_index (earlier, i), g_ptr_array_index (exchanges, j));
    }
  replay->quiet = FALSE;
}

static void
test_transcript (gconstpointer data)
{
  const char *file = data;
  g_autofree char *name = g_path_get_basename (file);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) exchanges = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 15, 30, 0);
  CtSimOptions options = { .dataset = "recorded", .now = now, .seed = 1, .n_cases = 100 };
  Replay replay = { 0 };
  const char *reason;

  if (skip_reason (name, &reason))
    {
      g_test_skip (reason);
      return;
    }
  g_assert_true (g_file_get_contents (file, &contents, NULL, &error));
  if (g_str_has_prefix (name, "06-bus-websocket"))
    {
      /* Notes of a websocket probe, not request/response pairs. */
      replay.server = ct_sim_server_new (&options, &error);
      g_assert_no_error (error);
      g_assert_true (ct_sim_server_start (replay.server, &error));
      ct_test_replay_bus (replay.server, name, contents);
      ct_sim_server_stop (replay.server);
      g_object_unref (replay.server);
      return;
    }
  exchanges = parse_transcript (contents);
  g_assert_cmpuint (exchanges->len, >, 0);

  replay.server = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (replay.server, &error));
  g_assert_no_error (error);
  replay.base = ct_sim_server_dup_url (replay.server);
  replay.session = soup_session_new ();
  replay.cookies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  replay.ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  replay.renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* The decision recordings 10-01…10-49 build on each other (setup files
   * create the orders later ones act on): replay the earlier ones first.
   * 10-50 on read P00013's chatter as the fixture has it. */
  if (g_str_has_prefix (name, "10-") && strcmp (name, "10-50") < 0)
    replay_earlier (&replay, file, name);
  prelude (&replay, name, g_ptr_array_index (exchanges, 0));
  for (guint i = 0; i < exchanges->len; i++)
    replay_exchange (&replay, name, g_ptr_array_index (exchanges, i));

  g_hash_table_unref (replay.cookies);
  g_hash_table_unref (replay.ids);
  g_hash_table_unref (replay.renamed);
  g_object_unref (replay.session);
  g_free (replay.base);
  ct_sim_server_stop (replay.server);
  g_object_unref (replay.server);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  const char *protocol = g_getenv ("CT_PROTOCOL_DIR");
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  g_test_init (&argc, &argv, NULL);
  ct_test_require_protocol_dir ();
  dir_path = g_build_filename (protocol != NULL ? protocol : PROTOCOL_DIR, "odoo-19", NULL);
  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (entry, ".txt"))
      g_ptr_array_add (files, g_build_filename (dir_path, entry, NULL));
  g_ptr_array_sort (files, compare_paths);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (files, i));
      g_autofree char *path = NULL;

      base[strlen (base) - 4] = '\0';
      path = g_strdup_printf ("/ct/sim/conformance/%s", base);
      g_test_add_data_func (path, g_ptr_array_index (files, i), test_transcript);
    }
  return g_test_run ();
}
