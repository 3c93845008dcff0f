/* ct-sim-odoo.c - The Odoo 19 side of the simulator: routes, sessions, ORM calls
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every status code, key and error class here is the one tests/data/protocol/odoo-19
 * recorded from a real Odoo 19: JSON-RPC errors are HTTP 200 envelopes, JSON-2
 * errors are bare objects with HTTP status codes, and a method returning None
 * has no "result" key.
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <string.h>

#include "ct-json.h"
#include "ct-sim-datasets.h"
#include "ct-sim-odoo.h"
#include "ct-sim-orm.h"
#include "ct-sim-route.h"

/* How Odoo's res.users._on_login_cooldown behaves by default
 * (base.login_cooldown_after = 5, base.login_cooldown_duration = 60). */
#define COOLDOWN_AFTER    5
#define COOLDOWN_SECONDS 60

/* json_object_set_string_member that takes the string. */
#define json_object_set_string_member_take(o, k, s) \
  G_STMT_START { \
    char *_s = (s); \
    json_object_set_string_member ((o), (k), _s); \
    g_free (_s); \
  } G_STMT_END

typedef struct
{
  gint64 uid;   /* 0: anonymous */
} Session;

typedef struct
{
  guint  failures;
  gint64 last_us;
} LoginFailures;

struct _CtSimOdoo
{
  CtSimDb    *db;
  GPtrArray  *users;     /* CtSimUser */
  GHashTable *sessions;  /* sid -> Session */
  GHashTable *failures;  /* remote address -> LoginFailures */
};

/* The recorded answer of /web/session/authenticate; per-user keys are patched in. */
static const char session_info_template[] =
  "{\"uid\":2,\"is_system\":true,\"is_admin\":true,\"is_public\":false,\"is_internal_user\":true,"
  "\"user_context\":{\"lang\":\"en_US\",\"tz\":\"Europe/Brussels\",\"uid\":2},\"db\":\"ct\",\"reg"
  "istry_hash\":\"f0b7dbd22897912910d574d83e93058d07164767021fb6ed1d02073400e37011\",\"user_setti"
  "ngs\":{\"id\":1,\"embedded_actions_config_ids\":{},\"is_discuss_sidebar_category_channel_open"
  "\":true,\"is_discuss_sidebar_category_chat_open\":true,\"push_to_talk_key\":false,\"use_push_t"
  "o_talk\":false,\"voice_active_duration\":200,\"channel_notifications\":false,\"user_id\":{\"id"
  "\":2},\"volumes\":[[\"ADD\",[]]]},\"server_version\":\"19.0\",\"server_version_info\":[19,0,0,"
  "\"final\",0,\"\"],\"support_url\":\"https://www.odoo.com/buy\",\"name\":\"Mitchell Admin\",\"u"
  "sername\":\"admin\",\"quick_login\":true,\"partner_write_date\":\"2026-11-26 15:18:05\",\"part"
  "ner_display_name\":\"YourCompany, Mitchell Admin\",\"partner_id\":3,\"web.base.url\":\"http://"
  "127.0.0.1:8069\",\"active_ids_limit\":20000,\"profile_session\":null,\"profile_collectors\":nu"
  "ll,\"profile_params\":null,\"max_file_upload_size\":134217728,\"home_action_id\":false,\"curre"
  "ncies\":{\"1\":{\"name\":\"USD\",\"symbol\":\"$\",\"position\":\"before\",\"digits\":[69,2]}},"
  "\"bundle_params\":{\"lang\":\"en_US\"},\"test_mode\":false,\"view_info\":{\"list\":{\"display_"
  "name\":\"List\",\"icon\":\"oi oi-view-list\",\"multi_record\":true},\"form\":{\"display_name\""
  ":\"Form\",\"icon\":\"fa fa-address-card\",\"multi_record\":false},\"graph\":{\"display_name\":"
  "\"Graph\",\"icon\":\"fa fa-area-chart\",\"multi_record\":true},\"pivot\":{\"display_name\":\"P"
  "ivot\",\"icon\":\"oi oi-view-pivot\",\"multi_record\":true},\"calendar\":{\"display_name\":\"C"
  "alendar\",\"icon\":\"fa fa-calendar\",\"multi_record\":true},\"kanban\":{\"display_name\":\"Ka"
  "nban\",\"icon\":\"oi oi-view-kanban\",\"multi_record\":true},\"search\":{\"display_name\":\"Se"
  "arch\",\"icon\":\"oi oi-search\",\"multi_record\":true},\"activity\":{\"display_name\":\"Activ"
  "ity\",\"icon\":\"fa fa-clock-o\",\"multi_record\":true}},\"groups\":{\"base.group_allow_export"
  "\":true},\"user_companies\":{\"current_company\":1,\"allowed_companies\":{\"3\":{\"id\":3,\"na"
  "me\":\"My Company (Chicago)\",\"sequence\":10,\"child_ids\":[],\"parent_id\":false,\"currency_"
  "id\":1},\"2\":{\"id\":2,\"name\":\"My US Company\",\"sequence\":10,\"child_ids\":[],\"parent_i"
  "d\":false,\"currency_id\":1},\"1\":{\"id\":1,\"name\":\"My Company (San Francisco)\",\"sequenc"
  "e\":0,\"child_ids\":[],\"parent_id\":false,\"currency_id\":1}},\"disallowed_ancestor_companies"
  "\":{}},\"show_effect\":true,\"max_time_between_keys_in_ms\":150,\"websocket_worker_version\":"
  "\"19.0-2\",\"tour_enabled\":false,\"current_tour\":null,\"storeData\":{\"Store\":{\"action_dis"
  "cuss_id\":125,\"channel_types_with_seen_infos\":[\"chat\",\"group\"],\"hasCannedResponses\":tr"
  "ue,\"hasGifPickerFeature\":false,\"hasLinkPreviewFeature\":true,\"hasMessageTranslationFeature"
  "\":false,\"internalUserGroupId\":1,\"mt_comment\":1,\"mt_note\":2,\"odoobot\":2,\"self_partner"
  "\":3,\"settings\":{\"id\":1,\"embedded_actions_config_ids\":{},\"is_discuss_sidebar_category_c"
  "hannel_open\":true,\"is_discuss_sidebar_category_chat_open\":true,\"push_to_talk_key\":false,"
  "\"use_push_to_talk\":false,\"voice_active_duration\":200,\"channel_notifications\":false,\"use"
  "r_id\":{\"id\":2},\"volumes\":[[\"ADD\",[]]]}},\"res.partner\":[{\"active\":false,\"avatar_128"
  "_access_token\":\"9d3ab38f19541c2935573e9d496ce79b4428fe36c68001ce9034f94f6d7c396co0x6b2f2f51"
  "\",\"email\":\"odoobot@example.com\",\"id\":2,\"im_status\":\"bot\",\"im_status_access_token\""
  ":\"be53088f7afb3de7a74ebe8a41d984016cda2eafbfb1e27c13512bcb2bfc7bd2o0x6b2ea475\",\"is_company"
  "\":false,\"main_user_id\":1,\"name\":\"OdooBot\",\"write_date\":\"2026-11-26 15:18:05\"},{\"ac"
  "tive\":true,\"avatar_128_access_token\":\"d3f428b53e118ca153af0fc222b062dd46ed08d09a3d62b7223a"
  "0b11406fd3afo0x6b2f3078\",\"id\":3,\"im_status\":\"offline\",\"im_status_access_token\":\"febd"
  "e458daa4f90dd8adb81098324daa4c1846f5064e9edefa6bb86d1d3cb1d5o0x6b2ea589\",\"main_user_id\":2,"
  "\"name\":\"Mitchell Admin\",\"write_date\":\"2026-11-26 15:18:05\"}],\"res.users\":[{\"id\":1,"
  "\"share\":false},{\"id\":2,\"is_admin\":true,\"notification_type\":\"email\",\"share\":false,"
  "\"signature\":[\"markup\",\"<div>Mitchell Admin</div>\"]}]},\"iap_company_enrich\":true,\"can_"
  "insert_in_spreadsheet\":false}";

static void
user_free (gpointer data)
{
  CtSimUser *user = data;

  g_free (user->login);
  g_free (user->name);
  g_free (user->password);
  g_ptr_array_unref (user->api_keys);
  g_strfreev (user->groups);
  g_free (user);
}

CtSimOdoo *
ct_sim_odoo_new (CtSimDb *db)
{
  CtSimOdoo *self = g_new0 (CtSimOdoo, 1);

  self->db = db;
  self->users = g_ptr_array_new_with_free_func (user_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
ct_sim_odoo_free (CtSimOdoo *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->users);
  g_hash_table_unref (self->sessions);
  g_hash_table_unref (self->failures);
  ct_sim_db_free (self->db);
  g_free (self);
}

CtSimDb *
ct_sim_odoo_get_db (CtSimOdoo *self)
{
  return self->db;
}

CtSimUser *
ct_sim_odoo_add_user (CtSimOdoo  *self,
                      gint64      uid,
                      const char *login,
                      const char *name,
                      const char *password,
                      const char *api_key,
                      const char *groups)
{
  CtSimUser *user = g_new0 (CtSimUser, 1);

  user->uid = uid;
  user->login = g_strdup (login);
  user->name = g_strdup (name);
  user->password = g_strdup (password);
  user->api_keys = g_ptr_array_new_with_free_func (g_free);
  if (api_key != NULL)
    g_ptr_array_add (user->api_keys, g_strdup (api_key));
  user->groups = g_strsplit (groups != NULL ? groups : "", ",", -1);
  g_ptr_array_add (self->users, user);
  return user;
}

GPtrArray *
ct_sim_odoo_get_users (CtSimOdoo *self)
{
  return self->users;
}

CtSimUser *
ct_sim_odoo_find_user (CtSimOdoo  *self,
                       const char *login)
{
  for (guint i = 0; i < self->users->len; i++)
    {
      CtSimUser *user = g_ptr_array_index (self->users, i);

      if (g_strcmp0 (user->login, login) == 0)
        return user;
    }
  return NULL;
}

CtSimUser *
ct_sim_odoo_get_user (CtSimOdoo *self,
                      gint64     uid)
{
  for (guint i = 0; i < self->users->len; i++)
    {
      CtSimUser *user = g_ptr_array_index (self->users, i);

      if (user->uid == uid)
        return user;
    }
  return NULL;
}

gboolean
ct_sim_user_has_group (CtSimUser  *user,
                       const char *group)
{
  return user != NULL && g_strv_contains ((const char * const *) user->groups, group);
}

static gboolean
user_has_api_key (CtSimUser  *user,
                  const char *key)
{
  for (guint i = 0; key != NULL && i < user->api_keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (user->api_keys, i), key) == 0)
      return TRUE;
  return FALSE;
}

static CtSimUser *
user_for_api_key (CtSimOdoo  *self,
                  const char *key)
{
  for (guint i = 0; i < self->users->len; i++)
    if (user_has_api_key (g_ptr_array_index (self->users, i), key))
      return g_ptr_array_index (self->users, i);
  return NULL;
}

gboolean
ct_sim_odoo_owns_path (const char *path)
{
  return g_strcmp0 (path, "/jsonrpc") == 0 ||
    g_str_has_prefix (path, "/web/") ||
    g_str_has_prefix (path, "/json/") ||
    g_str_has_prefix (path, "/mail/");
}

/* Answers */

static void
set_json_text (SoupServerMessage *msg,
               guint              status,
               GString           *text)   /* (transfer full) */
{
  gsize len = text->len;

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_TAKE, g_string_free (text, FALSE), len);
}

static void
set_json_body (SoupServerMessage *msg,
               guint              status,
               JsonNode          *root)
{
  g_autofree char *body = json_to_string (root, FALSE);
  gsize len = strlen (body);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_TAKE, g_steal_pointer (&body), len);
}

static void
set_text_body (SoupServerMessage *msg,
               guint              status,
               const char        *content_type,
               const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
}

static void
not_found_html (SoupServerMessage *msg)
{
  set_text_body (msg, SOUP_STATUS_NOT_FOUND, "text/html; charset=utf-8",
                 "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n"
                 "<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you "
                 "entered the URL manually please check your spelling and try again.</p>\n");
}

static char *
fake_traceback (const char *class_name,
                const char *message)
{
  const char *short_name = strrchr (class_name, '.');

  short_name = short_name != NULL ? short_name + 1 : class_name;
  return g_strdup_printf ("Traceback (most recent call last):\n"
                          "  File \"/opt/odoo/odoo/http.py\", line 2273, in _serve_db\n"
                          "    return service_model.retrying(serve_func, env=self.env)\n"
                          "%s: %s\n", short_name, message);
}

static JsonObject *
error_data (const GError *error,
            gboolean      with_status,
            guint         status)
{
  JsonObject *data = json_object_new ();
  JsonArray *arguments = json_array_new ();
  const char *cls = ct_sim_odoo_error_class_name (error->code);

  json_object_set_string_member (data, "name", cls);
  json_object_set_string_member (data, "message", error->message);
  json_array_add_string_element (arguments, error->message);
  if (with_status)
    json_array_add_int_element (arguments, status);
  json_object_set_array_member (data, "arguments", arguments);
  json_object_set_object_member (data, "context", json_object_new ());
  json_object_set_string_member_take (data, "debug", fake_traceback (cls, error->message));
  return data;
}


static void
jsonrpc_answer (SoupServerMessage *msg,
                JsonNode          *id,
                JsonNode          *result,   /* (transfer full) (nullable): None */
                const GError      *error)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (root, "jsonrpc", "2.0");
  if (error != NULL && (error->code == CT_SIM_ODOO_SESSION_EXPIRED ||
                        error->code == CT_SIM_ODOO_NOT_FOUND))
    json_object_set_null_member (root, "id");
  else if (id != NULL)
    json_object_set_member (root, "id", json_node_copy (id));
  else
    json_object_set_null_member (root, "id");

  if (error != NULL)
    {
      JsonObject *err = json_object_new ();
      JsonObject *data;

      if (error->code == CT_SIM_ODOO_SESSION_EXPIRED)
        {
          json_object_set_int_member (err, "code", 100);
          json_object_set_string_member (err, "message", "Odoo Session Expired");
          data = error_data (error, FALSE, 0);
        }
      else if (error->code == CT_SIM_ODOO_NOT_FOUND)
        {
          json_object_set_int_member (err, "code", 404);
          json_object_set_string_member (err, "message", "404: Not Found");
          data = error_data (error, FALSE, 0);
          json_object_set_array_member (data, "arguments", json_array_new ());
        }
      else
        {
          json_object_set_int_member (err, "code", 0);
          json_object_set_string_member (err, "message", "Odoo Server Error");
          data = error_data (error, FALSE, 0);
        }
      json_object_set_object_member (err, "data", data);
      json_object_set_object_member (root, "error", err);
    }
  else if (result != NULL)
    json_object_set_member (root, "result", result);

  json_node_set_object (node, root);
  set_json_body (msg, SOUP_STATUS_OK, node);
}

/* A successful answer whose result a method wrote as text: the envelope
 * jsonrpc_answer() would give, members in the same order. */
static void
jsonrpc_answer_text (SoupServerMessage *msg,
                     JsonNode          *id,
                     GString           *result)   /* (transfer full) */
{
  GString *body = g_string_sized_new (result->len + 64);

  g_string_append (body, "{\"jsonrpc\":\"2.0\",\"id\":");
  if (id != NULL)
    ct_sim_json_write (body, id);
  else
    g_string_append (body, "null");
  g_string_append (body, ",\"result\":");
  g_string_append_len (body, result->str, result->len);
  g_string_append_c (body, '}');
  g_string_free (result, TRUE);
  set_json_text (msg, SOUP_STATUS_OK, body);
}

static guint
json2_status (int code)
{
  switch ((CtSimOdooError) code)
    {
    case CT_SIM_ODOO_ACCESS_DENIED:
    case CT_SIM_ODOO_ACCESS_ERROR:
      return 403;
    case CT_SIM_ODOO_MISSING_ERROR:
    case CT_SIM_ODOO_NOT_FOUND:
      return 404;
    case CT_SIM_ODOO_USER_ERROR:
    case CT_SIM_ODOO_VALIDATION_ERROR:
    case CT_SIM_ODOO_UNPROCESSABLE:
      return 422;
    case CT_SIM_ODOO_SESSION_EXPIRED:
      return 401;
    default:
      return 500;
    }
}

static void
json2_error (SoupServerMessage *msg,
             guint              status,
             const char        *class_name,
             const char        *message,
             gboolean           werkzeug)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *body = json_object_new ();
  JsonArray *arguments = json_array_new ();

  json_object_set_string_member (body, "name", class_name);
  json_object_set_string_member (body, "message", message);
  json_array_add_string_element (arguments, message);
  if (werkzeug)
    json_array_add_int_element (arguments, status);
  json_object_set_array_member (body, "arguments", arguments);
  json_object_set_object_member (body, "context", json_object_new ());
  json_object_set_string_member_take (body, "debug", fake_traceback (class_name, message));
  json_node_take_object (node, body);
  set_json_body (msg, status, node);
  if (status == 401)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer ");
}

static void
json2_gerror (SoupServerMessage *msg,
              const GError      *error)
{
  guint status = json2_status (error->code);
  gboolean werkzeug = error->code == CT_SIM_ODOO_NOT_FOUND || error->code == CT_SIM_ODOO_UNPROCESSABLE;

  json2_error (msg, status, ct_sim_odoo_error_class_name (error->code), error->message, werkzeug);
}

/* Sessions */

static char *
new_session_id (void)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  GString *sid = g_string_sized_new (84);

  for (guint i = 0; i < 84; i++)
    g_string_append_c (sid, alphabet[g_random_int_range (0, 64)]);
  return g_string_free (sid, FALSE);
}

static void
set_session_cookie (SoupServerMessage *msg,
                    const char        *sid)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add_days (now, 365);
  g_autofree char *date = g_date_time_format (expires, "%a, %d %b %Y %H:%M:%S GMT");
  g_autofree char *cookie = g_strdup_printf ("session_id=%s; Expires=%s; Max-Age=604800; "
                                             "HttpOnly; Path=/", sid, date);

  soup_message_headers_append (soup_server_message_get_response_headers (msg),
                               "Set-Cookie", cookie);
}

static char *
create_session (CtSimOdoo *self,
                gint64     uid)
{
  char *sid = new_session_id ();
  Session *session = g_new0 (Session, 1);

  session->uid = uid;
  g_hash_table_insert (self->sessions, g_strdup (sid), session);
  return sid;
}

static char *
request_session_id (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Cookie");
  g_auto(GStrv) pairs = NULL;
  char *sid = NULL;

  if (header == NULL)
    return NULL;
  pairs = g_strsplit (header, ";", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *pair = g_strstrip (pairs[i]);

      if (g_str_has_prefix (pair, "session_id="))
        {
          g_free (sid);
          sid = g_strdup (pair + strlen ("session_id="));
        }
    }
  return sid;
}

static CtSimUser *
session_user (CtSimOdoo         *self,
              SoupServerMessage *msg,
              char             **sid_out)
{
  g_autofree char *sid = request_session_id (msg);
  Session *session = sid != NULL ? g_hash_table_lookup (self->sessions, sid) : NULL;

  if (session == NULL || session->uid == 0)
    return NULL;
  if (sid_out != NULL)
    *sid_out = g_steal_pointer (&sid);
  return ct_sim_odoo_get_user (self, session->uid);
}

CtSimUser *
ct_sim_odoo_session_user (CtSimOdoo         *self,
                          SoupServerMessage *msg)
{
  return session_user (self, msg, NULL);
}

static JsonNode *
session_info (CtSimOdoo *self,
              CtSimUser *user,
              SoupServerMessage *msg)
{
  JsonNode *node = ct_json_parse (session_info_template, -1, NULL);
  JsonObject *info = json_node_get_object (node);
  gboolean admin = ct_sim_user_has_group (user, "base.group_system");
  CtSimModel *partners = ct_sim_db_get_model (self->db, "res.partner");
  g_autofree char *partner_name = NULL;
  g_autofree char *base_url = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  guint row;

  if (partners != NULL && ct_sim_model_lookup (partners, user->partner_id, &row))
    partner_name = ct_sim_model_display_name (partners, row);
  base_url = g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                              g_uri_get_port (uri));
  json_object_set_int_member (info, "uid", user->uid);
  json_object_set_boolean_member (info, "is_system", admin);
  json_object_set_boolean_member (info, "is_admin", admin);
  json_object_set_int_member (json_object_get_object_member (info, "user_context"), "uid", user->uid);
  json_object_set_int_member (json_object_get_object_member (
                                json_object_get_object_member (info, "user_settings"), "user_id"),
                              "id", user->uid);
  json_object_set_string_member (info, "db", self->db->name);
  json_object_set_string_member (info, "name", user->name);
  json_object_set_string_member (info, "username", user->login);
  json_object_set_string_member (info, "partner_display_name",
                                 partner_name != NULL ? partner_name : user->name);
  json_object_set_int_member (info, "partner_id", user->partner_id);
  json_object_set_string_member (info, "web.base.url", base_url);
  json_object_set_int_member (json_object_get_object_member (
                                json_object_get_object_member (info, "storeData"), "Store"),
                              "self_partner", user->partner_id);
  if (!admin)
    {
      /* A user without a time zone in one company, not the administrator of
       * the template (10-53): tz false, company 1 only, no IAP enrichment. */
      JsonObject *companies = json_object_get_object_member (
        json_object_get_object_member (info, "user_companies"), "allowed_companies");

      json_object_set_boolean_member (json_object_get_object_member (info, "user_context"),
                                      "tz", FALSE);
      json_object_remove_member (companies, "2");
      json_object_remove_member (companies, "3");
      json_object_remove_member (info, "iap_company_enrich");
    }
  return node;
}

/* Parsing */

static gboolean
content_type_is_json (SoupServerMessage *msg)
{
  const char *ct = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);

  return ct != NULL && (g_ascii_strcasecmp (ct, "application/json") == 0 ||
                        g_ascii_strcasecmp (ct, "application/json-rpc") == 0);
}

static JsonNode *
parse_body (SoupServerMessage  *msg,
            GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (!ct_json_parser_load (parser, data != NULL ? data : "", (gssize) len, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "Expecting value: line 1 column 1 (char 0)");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static gsize
body_length (SoupServerMessage *msg)
{
  return (gsize) soup_server_message_get_request_body (msg)->length;
}

/* Returns the JSON-RPC params object, or answers the message itself. */
static gboolean
read_jsonrpc (SoupServerMessage  *msg,
              JsonNode          **root_out,
              JsonNode          **id_out,
              JsonObject        **params_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST || !content_type_is_json (msg))
    {
      g_autofree char *html = g_strdup_printf (
        "<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n"
        "<h1>Unsupported Media Type</h1>\n<p>Request inferred type is compatible with "
        "[&#39;http&#39;] but &#39;%s&#39; is type=&#39;jsonrpc&#39;.<br><br>Please verify the "
        "Content-Type request header and try again.</p>\n",
        g_uri_get_path (soup_server_message_get_uri (msg)));

      set_text_body (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "text/html; charset=utf-8", html);
      return FALSE;
    }
  root = parse_body (msg, &error);
  if (root == NULL)
    {
      set_text_body (msg, SOUP_STATUS_BAD_REQUEST, "text/html; charset=utf-8", "Invalid JSON data");
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_text_body (msg, SOUP_STATUS_BAD_REQUEST, "text/html; charset=utf-8",
                     "Invalid JSON-RPC data");
      return FALSE;
    }
  object = json_node_get_object (root);
  *id_out = json_object_get_member (object, "id");
  if (json_object_has_member (object, "params") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "params")))
    *params_out = json_object_get_object_member (object, "params");
  else
    *params_out = NULL;
  *root_out = g_steal_pointer (&root);
  return TRUE;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static gboolean
check_database (CtSimOdoo   *self,
                const char  *db,
                GError     **error)
{
  if (g_strcmp0 (db, self->db->name) == 0)
    return TRUE;
  g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_OPERATIONAL_ERROR,
               "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database "
               "\"%s\" does not exist\n", db != NULL ? db : "None");
  return FALSE;
}

static JsonNode *
version_info (gboolean json_version)
{
  return ct_json_parse (json_version ?
                           "{\"version_info\":[19,0,0,\"final\",0,\"\"],\"version\":\"19.0\"}" :
                           "{\"server_version\":\"19.0\",\"server_version_info\":[19,0,0,"
                           "\"final\",0,\"\"],\"server_serie\":\"19.0\",\"protocol_version\":1}",
                        -1, NULL);
}

/* /jsonrpc */

static CtSimUser *
check_credentials (CtSimOdoo  *self,
                   CtSimUser  *user,
                   const char *password)
{
  if (user == NULL || password == NULL)
    return NULL;
  if (g_strcmp0 (user->password, password) == 0 || user_has_api_key (user, password))
    return user;
  return NULL;
}

static JsonNode *
dispatch_common (CtSimOdoo   *self,
                 const char  *method,
                 JsonArray   *args,
                 GError     **error)
{
  guint n = args != NULL ? json_array_get_length (args) : 0;

  if (g_strcmp0 (method, "version") == 0)
    return version_info (FALSE);
  if (g_strcmp0 (method, "login") == 0 || g_strcmp0 (method, "authenticate") == 0)
    {
      gboolean is_login = method[0] == 'l';
      guint want = is_login ? 3 : 4;
      CtSimUser *user;

      if (n != want)
        {
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                       "exp_%s() takes %u positional arguments but %u were given",
                       method, want, n);
          return NULL;
        }
      if (!check_database (self, json_array_get_string_element (args, 0), error))
        return NULL;
      user = check_credentials (self,
                                ct_sim_odoo_find_user (self, json_array_get_string_element (args, 1)),
                                json_array_get_string_element (args, 2));
      if (user == NULL)
        return json_node_init_boolean (json_node_alloc (), FALSE);
      return json_node_init_int (json_node_alloc (), user->uid);
    }
  g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_EXCEPTION, "Method not found: %s", method);
  return NULL;
}

static JsonNode *
dispatch_object (CtSimOdoo   *self,
                 const char  *method,
                 JsonArray   *args,
                 gboolean    *none,
                 GString     *text,
                 GError     **error)
{
  guint n = args != NULL ? json_array_get_length (args) : 0;
  gboolean kw = g_strcmp0 (method, "execute_kw") == 0;
  g_autoptr(JsonArray) positional = NULL;
  JsonObject *kwargs = NULL;
  JsonNode *uid_node;
  CtSimUser *user;
  JsonNode *result;
  g_autoptr(GError) local = NULL;

  *none = FALSE;
  if (!kw && g_strcmp0 (method, "execute") != 0)
    {
      g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_EXCEPTION, "Method not found: %s", method);
      return NULL;
    }
  if (n < 5)
    {
      g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                   "%s() missing %u required positional arguments", method, 5 - n);
      return NULL;
    }
  if (!check_database (self, json_array_get_string_element (args, 0), error))
    return NULL;
  uid_node = json_array_get_element (args, 1);
  user = NULL;
  if (JSON_NODE_HOLDS_VALUE (uid_node) && json_node_get_value_type (uid_node) == G_TYPE_INT64)
    user = check_credentials (self, ct_sim_odoo_get_user (self, json_node_get_int (uid_node)),
                              JSON_NODE_HOLDS_VALUE (json_array_get_element (args, 2)) &&
                              json_node_get_value_type (json_array_get_element (args, 2)) == G_TYPE_STRING ?
                              json_array_get_string_element (args, 2) : NULL);
  if (user == NULL)
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_ACCESS_DENIED, "Access Denied");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (json_array_get_element (args, 3)) ||
      !JSON_NODE_HOLDS_VALUE (json_array_get_element (args, 4)))
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                           "model and method must be strings");
      return NULL;
    }

  positional = json_array_new ();
  if (kw)
    {
      if (n >= 6)
        {
          JsonNode *a = json_array_get_element (args, 5);

          if (!JSON_NODE_HOLDS_ARRAY (a))
            {
              g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                                   "execute_kw: args must be a list");
              return NULL;
            }
          for (guint i = 0; i < json_array_get_length (json_node_get_array (a)); i++)
            json_array_add_element (positional,
                                    json_node_copy (json_array_get_element (json_node_get_array (a), i)));
        }
      if (n >= 7)
        {
          JsonNode *k = json_array_get_element (args, 6);

          if (JSON_NODE_HOLDS_OBJECT (k))
            kwargs = json_node_get_object (k);
          else if (!JSON_NODE_HOLDS_NULL (k))
            {
              g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                                   "execute_kw: kwargs must be a dict");
              return NULL;
            }
        }
    }
  else
    for (guint i = 5; i < n; i++)
      json_array_add_element (positional, json_node_copy (json_array_get_element (args, i)));

  result = ct_sim_odoo_call_text (self, user, json_array_get_string_element (args, 3),
                                  json_array_get_string_element (args, 4), positional, kwargs,
                                  FALSE, text, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  *none = result == NULL;
  return result;
}

static void
route_jsonrpc (gpointer      data,
               CtSimRequest *request)
{
  CtSimOdoo *self = data;
  SoupServerMessage *msg = request->msg;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *id = NULL;
  JsonObject *params = NULL;
  const char *service, *method;
  JsonArray *args = NULL;
  JsonNode *result = NULL;
  gboolean none = FALSE;
  GString *text = g_string_new (NULL);

  if (!read_jsonrpc (msg, &root, &id, &params))
    {
      g_string_free (text, TRUE);
      return;
    }
  service = get_string (params, "service");
  method = get_string (params, "method");
  if (params != NULL && json_object_has_member (params, "args") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (params, "args")))
    args = json_object_get_array_member (params, "args");

  if (g_strcmp0 (service, "common") == 0)
    result = dispatch_common (self, method, args, &error);
  else if (g_strcmp0 (service, "object") == 0)
    result = dispatch_object (self, method, args, &none, text, &error);
  else
    g_set_error_literal (&error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_KEY_ERROR,
                         service != NULL ? service : "service");
  if (error == NULL && text->len > 0)
    {
      jsonrpc_answer_text (msg, id, text);
      return;
    }
  g_string_free (text, TRUE);

  if (error == NULL && result == NULL && !none)
    result = json_node_init_boolean (json_node_alloc (), FALSE);
  jsonrpc_answer (msg, id, result, error);
}

/* /web/session/... */

static gboolean
on_cooldown (CtSimOdoo  *self,
             const char *source)
{
  LoginFailures *f = g_hash_table_lookup (self->failures, source);

  return f != NULL && f->failures >= COOLDOWN_AFTER &&
    g_get_monotonic_time () - f->last_us < (gint64) COOLDOWN_SECONDS * G_USEC_PER_SEC;
}

static void
register_failure (CtSimOdoo  *self,
                  const char *source)
{
  LoginFailures *f = g_hash_table_lookup (self->failures, source);

  if (f == NULL)
    {
      f = g_new0 (LoginFailures, 1);
      g_hash_table_insert (self->failures, g_strdup (source), f);
    }
  f->failures++;
  f->last_us = g_get_monotonic_time ();
}

static void
handle_session_authenticate (CtSimOdoo         *self,
                             SoupServerMessage *msg,
                             JsonNode          *id,
                             JsonObject        *params)
{
  g_autoptr(GError) error = NULL;
  const char *names[] = { "db", "login", "password" };
  const char *source = soup_server_message_get_remote_host (msg);
  g_autofree char *sid = NULL;
  CtSimUser *user;
  guint missing = 0;
  GString *missing_names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (params == NULL || !json_object_has_member (params, names[i]))
      {
        if (missing++ > 0)
          g_string_append (missing_names, " and ");
        g_string_append_printf (missing_names, "'%s'", names[i]);
      }
  if (missing > 0)
    {
      g_set_error (&error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                   "Session.authenticate() missing %u required positional argument%s: %s",
                   missing, missing > 1 ? "s" : "", missing_names->str);
      g_string_free (missing_names, TRUE);
      jsonrpc_answer (msg, id, NULL, error);
      return;
    }
  g_string_free (missing_names, TRUE);
  if (!check_database (self, get_string (params, "db"), &error))
    {
      jsonrpc_answer (msg, id, NULL, error);
      return;
    }
  if (source == NULL)
    source = "unknown";
  if (on_cooldown (self, source))
    {
      g_set_error_literal (&error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_ACCESS_DENIED,
                           "Too many login failures, please wait a bit before trying again.");
      jsonrpc_answer (msg, id, NULL, error);
      return;
    }
  /* Only the password: Odoo refuses API keys for interactive sessions. */
  user = ct_sim_odoo_find_user (self, get_string (params, "login"));
  if (user == NULL || get_string (params, "password") == NULL ||
      g_strcmp0 (user->password, get_string (params, "password")) != 0)
    {
      register_failure (self, source);
      g_set_error_literal (&error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_ACCESS_DENIED, "Access Denied");
      jsonrpc_answer (msg, id, NULL, error);
      return;
    }
  g_hash_table_remove (self->failures, source);
  sid = create_session (self, user->uid);
  set_session_cookie (msg, sid);
  jsonrpc_answer (msg, id, session_info (self, user, msg), NULL);
}

static void
session_expired (GError **error)
{
  g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_SESSION_EXPIRED, "Session expired");
}

/* The signed-in user of a web session route, or NULL after answering code
 * 100 "Session expired" (also when the fault layer @expire-s the session). */
static CtSimUser *
web_session_user (CtSimOdoo          *self,
                  SoupServerMessage  *msg,
                  JsonNode           *id,
                  gboolean            expire,
                  char              **sid)
{
  g_autoptr(GError) error = NULL;
  CtSimUser *user = session_user (self, msg, sid);

  if (user != NULL && expire)
    {
      g_hash_table_remove (self->sessions, *sid);
      user = NULL;
    }
  if (user == NULL)
    {
      session_expired (&error);
      jsonrpc_answer (msg, id, NULL, error);
    }
  return user;
}

static void
route_session (gpointer      data,
               CtSimRequest *request)
{
  CtSimOdoo *self = data;
  SoupServerMessage *msg = request->msg;
  const char *what = request->args[0];
  gboolean expire = request->expire_session;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sid = NULL;
  JsonNode *id = NULL;
  JsonObject *params = NULL;
  CtSimUser *user;

  if (!read_jsonrpc (msg, &root, &id, &params))
    return;
  if (g_strcmp0 (what, "authenticate") == 0)
    {
      handle_session_authenticate (self, msg, id, params);
      return;
    }
  user = web_session_user (self, msg, id, expire, &sid);
  if (user == NULL)
    return;
  if (g_strcmp0 (what, "get_session_info") == 0)
    {
      set_session_cookie (msg, sid);
      jsonrpc_answer (msg, id, session_info (self, user, msg), NULL);
    }
  else if (g_strcmp0 (what, "check") == 0)
    jsonrpc_answer (msg, id, NULL, NULL);
  else if (g_strcmp0 (what, "destroy") == 0)
    {
      g_autofree char *anonymous = NULL;

      g_hash_table_remove (self->sessions, sid);
      anonymous = create_session (self, 0);
      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie",
                                   "cids=; Max-Age=0; Path=/");
      set_session_cookie (msg, anonymous);
      jsonrpc_answer (msg, id, NULL, NULL);
    }
  else
    not_found_html (msg);
}

/* /web/dataset/call_kw and call_button */

static void
call_kw (CtSimOdoo         *self,
         SoupServerMessage *msg,
         gboolean           button,
         gboolean           expire)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sid = NULL;
  JsonNode *id = NULL;
  JsonObject *params = NULL;
  JsonArray *args = NULL;
  JsonObject *kwargs = NULL;
  CtSimUser *user;
  JsonNode *result;
  GString *text;
  const char *model;

  if (!read_jsonrpc (msg, &root, &id, &params))
    return;
  user = web_session_user (self, msg, id, expire, &sid);
  if (user == NULL)
    return;
  model = get_string (params, "model");
  if (ct_sim_db_get_model (self->db, model) == NULL)
    {
      g_set_error_literal (&error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_NOT_FOUND,
                           "404 Not Found: The requested URL was not found on the server. If you "
                           "entered the URL manually please check your spelling and try again.");
      jsonrpc_answer (msg, id, NULL, error);
      return;
    }
  if (json_object_has_member (params, "args") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (params, "args")))
    args = json_object_get_array_member (params, "args");
  if (json_object_has_member (params, "kwargs") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (params, "kwargs")))
    kwargs = json_object_get_object_member (params, "kwargs");

  /* A button's answer is looked at below: only call_kw takes text. */
  text = button ? NULL : g_string_new (NULL);
  result = ct_sim_odoo_call_text (self, user, model, get_string (params, "method"), args, kwargs,
                                  FALSE, text, &error);
  if (error != NULL)
    {
      if (text != NULL)
        g_string_free (text, TRUE);
      jsonrpc_answer (msg, id, NULL, error);
      return;
    }
  if (text != NULL && text->len > 0)
    {
      jsonrpc_answer_text (msg, id, text);
      return;
    }
  if (text != NULL)
    g_string_free (text, TRUE);
  if (button)
    {
      /* call_button: an action dict gets its type filled in; anything else is False. */
      if (result != NULL && JSON_NODE_HOLDS_OBJECT (result))
        {
          JsonObject *action = json_node_get_object (result);

          if (!json_object_has_member (action, "type"))
            json_object_set_string_member (action, "type", "ir.actions.act_window_close");
        }
      else
        {
          g_clear_pointer (&result, json_node_unref);
          result = json_node_init_boolean (json_node_alloc (), FALSE);
        }
    }
  jsonrpc_answer (msg, id, result, NULL);
}

static void
route_call_kw (gpointer      data,
               CtSimRequest *request)
{
  call_kw (data, request->msg, FALSE, request->expire_session);
}

static void
route_call_button (gpointer      data,
                   CtSimRequest *request)
{
  call_kw (data, request->msg, TRUE, request->expire_session);
}

/* /json/2 */

static void
route_json2 (gpointer      data,
             CtSimRequest *request)
{
  CtSimOdoo *self = data;
  SoupServerMessage *msg = request->msg;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *database = soup_message_headers_get_one (headers, "X-Odoo-Database");
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  g_auto(GStrv) parts = g_strsplit (request->args[0], "/", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *sid = NULL;
  CtSimUser *user;
  CtSimUser *cookie_user;
  JsonNode *result;
  GString *answer;

  if (g_strv_length (parts) != 2 || parts[0][0] == '\0' || parts[1][0] == '\0')
    {
      json2_error (msg, 404, "werkzeug.exceptions.NotFound",
                   "404 Not Found: The requested URL was not found on the server. If you entered "
                   "the URL manually please check your spelling and try again.", TRUE);
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      json2_error (msg, 404, "werkzeug.exceptions.NotFound",
                   "Did you mean POST /json/2/<model>/<method>?", TRUE);
      return;
    }
  if (database != NULL && g_strcmp0 (database, self->db->name) != 0)
    {
      set_text_body (msg, SOUP_STATUS_NOT_FOUND, "text/html; charset=utf-8",
                     "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
                     "<p>No database is selected and the requested URL was not found in the "
                     "server-wide controllers.</p>\n<p>Please verify the hostname, <a "
                     "href=/web/login>login</a> and try again.</p>\n\n<!-- Alternatively, use "
                     "the X-Odoo-Database header. -->\n");
      return;
    }
  cookie_user = session_user (self, msg, &sid);
  if (auth == NULL)
    {
      g_autofree char *cookie_sid = request_session_id (msg);

      json2_error (msg, 401, "werkzeug.exceptions.Unauthorized",
                   cookie_sid != NULL ?
                   "Missing \"Authorization\" or Sec-headers for interactive usage." :
                   "User not authenticated, use an API Key with a Bearer Authorization header.",
                   TRUE);
      return;
    }
  if (g_ascii_strncasecmp (auth, "bearer ", 7) == 0)
    {
      g_autofree char *key = g_strstrip (g_strdup (auth + 7));

      user = user_for_api_key (self, key);
    }
  else
    user = NULL;
  if (user == NULL)
    {
      json2_error (msg, 401, "werkzeug.exceptions.Unauthorized", "Invalid apikey", TRUE);
      return;
    }
  if (cookie_user != NULL && cookie_user != user)
    {
      json2_error (msg, 403, "odoo.exceptions.AccessDenied",
                   "Session user does not match the used apikey.", FALSE);
      return;
    }
  if (body_length (msg) == 0)
    body = ct_sim_json_object (json_object_new ());
  else
    {
      g_autoptr(GError) parse_error = NULL;

      body = parse_body (msg, &parse_error);
      if (body == NULL)
        {
          g_autofree char *text = g_strdup_printf ("could not parse the body as json: %s",
                                                   parse_error->message);

          json2_error (msg, 400, "werkzeug.exceptions.BadRequest", text, TRUE);
          return;
        }
      if (!JSON_NODE_HOLDS_OBJECT (body))
        {
          json2_error (msg, 400, "werkzeug.exceptions.BadRequest",
                       "could not parse the body, expecting a json object", TRUE);
          return;
        }
    }
  if (ct_sim_db_get_model (self->db, parts[0]) == NULL)
    {
      g_autofree char *text = g_strdup_printf ("the model '%s' does not exist", parts[0]);

      json2_error (msg, 404, "werkzeug.exceptions.NotFound", text, TRUE);
      return;
    }
  answer = g_string_new (NULL);
  result = ct_sim_odoo_call_text (self, user, parts[0], parts[1], NULL,
                                  json_node_get_object (body), TRUE, answer, &error);
  if (error != NULL)
    {
      g_string_free (answer, TRUE);
      json2_gerror (msg, error);
      return;
    }
  if (answer->len > 0)
    {
      set_json_text (msg, SOUP_STATUS_OK, answer);
      return;
    }
  g_string_free (answer, TRUE);
  if (result == NULL)
    result = json_node_init_null (json_node_alloc ());
  set_json_body (msg, SOUP_STATUS_OK, result);
  json_node_unref (result);
}


/* /mail/thread/messages: the web client's chatter, in its store format */

static JsonNode *
chatter_value (CtSimModel *m,
               guint       row,
               const char *field)
{
  return ct_sim_model_value_to_json (m, row, ct_sim_model_get_field (m, field));
}

static JsonObject *
chatter_message (CtSimOdoo  *self,
                 guint       row,
                 GHashTable *partners,
                 GHashTable *subtypes)
{
  CtSimModel *messages = ct_sim_db_get_model (self->db, "mail.message");
  CtSimModel *partner_model = ct_sim_db_get_model (self->db, "res.partner");
  CtSimModel *tracking = ct_sim_db_get_model (self->db, "mail.tracking.value");
  CtSimModel *fields = ct_sim_db_get_model (self->db, "ir.model.fields");
  JsonObject *out = json_object_new ();
  JsonObject *thread = json_object_new ();
  JsonArray *values = json_array_new ();
  const char *body = ct_sim_model_get_str (messages, row, "body");
  const char *model_name = ct_sim_model_get_str (messages, row, "model");
  gint64 author = ct_sim_model_get_int (messages, row, "author_id");
  gint64 subtype = ct_sim_model_get_int (messages, row, "subtype_id");
  CtSimValue tracked = ct_sim_model_get (messages, row, ct_sim_model_get_field (messages, "tracking_value_ids"));
  const char *email = NULL;
  guint p;

  if (ct_sim_model_lookup (partner_model, author, &p))
    {
      email = ct_sim_model_get_str (partner_model, p, "email");
      g_hash_table_add (partners, GINT_TO_POINTER ((int) author));
    }
  if (subtype != 0)
    g_hash_table_add (subtypes, GINT_TO_POINTER ((int) subtype));
  json_object_set_array_member (out, "attachment_ids", json_array_new ());
  json_object_set_boolean_member (out, "author_guest_id", FALSE);
  if (author != 0)
    json_object_set_int_member (out, "author_id", author);
  else
    json_object_set_boolean_member (out, "author_id", FALSE);
  /* Empty bodies are "", others travel as ["markup", html]. */
  if (body == NULL || body[0] == '\0')
    json_object_set_string_member (out, "body", "");
  else
    {
      JsonArray *markup = json_array_new ();

      json_array_add_string_element (markup, "markup");
      json_array_add_string_element (markup, body);
      json_object_set_array_member (out, "body", markup);
    }
  json_object_set_member (out, "create_date", chatter_value (messages, row, "create_date"));
  json_object_set_member (out, "date", chatter_value (messages, row, "date"));
  json_object_set_member (out, "default_subject", chatter_value (messages, row, "record_name"));
  if (email != NULL && ct_sim_model_lookup (partner_model, author, &p))
    {
      g_autofree char *from = g_strdup_printf ("\"%s\" <%s>", ct_sim_model_get_str (partner_model, p, "name"),
                                               email);

      json_object_set_string_member (out, "email_from", from);
    }
  else
    json_object_set_boolean_member (out, "email_from", FALSE);
  json_object_set_int_member (out, "id", ct_sim_model_row_id (messages, row));
  json_object_set_boolean_member (out, "incoming_email_cc", FALSE);
  json_object_set_boolean_member (out, "incoming_email_to", FALSE);
  json_object_set_array_member (out, "message_link_preview_ids", json_array_new ());
  json_object_set_member (out, "message_type", chatter_value (messages, row, "message_type"));
  json_object_set_string_member (out, "model", model_name);
  json_object_set_boolean_member (out, "needaction", FALSE);
  json_object_set_array_member (out, "notification_ids", json_array_new ());
  json_object_set_array_member (out, "partner_ids", json_array_new ());
  json_object_set_boolean_member (out, "pinned_at", FALSE);
  json_object_set_array_member (out, "reactions", json_array_new ());
  json_object_set_member (out, "record_name", chatter_value (messages, row, "record_name"));
  json_object_set_int_member (out, "res_id", ct_sim_model_get_int (messages, row, "res_id"));
  json_object_set_boolean_member (out, "scheduledDatetime", FALSE);
  json_object_set_boolean_member (out, "starred", FALSE);
  json_object_set_member (out, "subject", chatter_value (messages, row, "subject"));
  if (subtype != 0)
    json_object_set_int_member (out, "subtype_id", subtype);
  else
    json_object_set_boolean_member (out, "subtype_id", FALSE);
  json_object_set_int_member (thread, "id", ct_sim_model_get_int (messages, row, "res_id"));
  json_object_set_string_member (thread, "model", model_name);
  json_object_set_object_member (out, "thread", thread);
  for (guint i = 0; tracked.ids != NULL && i < tracked.ids->len; i++)
    {
      JsonObject *value = json_object_new ();
      JsonObject *info = json_object_new ();
      guint t, f;
      const char *changed = "";
      const char *type = "char";

      if (!ct_sim_model_lookup (tracking, g_array_index (tracked.ids, gint64, i), &t))
        {
          json_object_unref (value);
          json_object_unref (info);
          continue;
        }
      if (ct_sim_model_lookup (fields, ct_sim_model_get_int (tracking, t, "field_id"), &f))
        {
          changed = ct_sim_model_get_str (fields, f, "field_description");
          type = ct_sim_model_get_str (fields, f, "ttype");
        }
      json_object_set_int_member (value, "id", ct_sim_model_row_id (tracking, t));
      json_object_set_string_member (info, "changedField", changed);
      json_object_set_boolean_member (info, "currencyId", FALSE);
      json_object_set_null_member (info, "floatPrecision");
      json_object_set_string_member (info, "fieldType", type);
      json_object_set_boolean_member (info, "isPropertyField", FALSE);
      json_object_set_object_member (value, "fieldInfo", info);
      json_object_set_member (value, "newValue", chatter_value (tracking, t, "new_value_char"));
      json_object_set_member (value, "oldValue", chatter_value (tracking, t, "old_value_char"));
      json_array_add_object_element (values, value);
    }
  json_object_set_array_member (out, "trackingValues", values);
  json_object_set_member (out, "write_date", chatter_value (messages, row,
                                                           ct_sim_model_get_str (messages, row, "write_date") ?
                                                           "write_date" : "create_date"));
  return out;
}

static void
route_thread_messages (gpointer      data,
                       CtSimRequest *request)
{
  CtSimOdoo *self = data;
  SoupServerMessage *msg = request->msg;
  gboolean expire = request->expire_session;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sid = NULL;
  g_autoptr(GHashTable) partners = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) subtypes = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(JsonNode) domain = NULL;
  JsonNode *id = NULL;
  JsonObject *params = NULL;
  JsonObject *fetch = NULL;
  CtSimUser *user;
  CtSimModel *target, *messages, *partner_model, *subtype_model;
  JsonObject *result, *store, *thread;
  JsonArray *list, *ids, *thread_list, *partner_list, *user_list, *subtype_list;
  g_autofree char *domain_json = NULL;
  g_autofree char *display = NULL;
  GHashTableIter iter;
  gpointer key;
  gint64 limit = 30, res_id;
  guint trow;

  if (!read_jsonrpc (msg, &root, &id, &params))
    return;
  user = web_session_user (self, msg, id, expire, &sid);
  if (user == NULL)
    return;
  target = ct_sim_db_get_model (self->db, get_string (params, "thread_model"));
  res_id = params != NULL && json_object_has_member (params, "thread_id") &&
    JSON_NODE_HOLDS_VALUE (json_object_get_member (params, "thread_id")) ?
    json_object_get_int_member (params, "thread_id") : 0;
  if (target == NULL || !ct_sim_model_lookup (target, res_id, &trow))
    {
      g_set_error_literal (&error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_NOT_FOUND,
                           "404 Not Found: The requested URL was not found on the server. If you "
                           "entered the URL manually please check your spelling and try again.");
      jsonrpc_answer (msg, id, NULL, error);
      return;
    }
  self->db->current_uid = user->uid;
  self->db->current_groups = user->groups;
  if (!ct_sim_orm_check_access (self, user, target, FALSE, &error))
    {
      jsonrpc_answer (msg, id, NULL, error);
      return;
    }
  if (json_object_has_member (params, "fetch_params") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (params, "fetch_params")))
    fetch = json_object_get_object_member (params, "fetch_params");
  if (fetch != NULL && json_object_has_member (fetch, "limit") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (fetch, "limit")))
    limit = json_object_get_int_member (fetch, "limit");

  messages = ct_sim_db_get_model (self->db, "mail.message");
  partner_model = ct_sim_db_get_model (self->db, "res.partner");
  subtype_model = ct_sim_db_get_model (self->db, "mail.message.subtype");
  domain_json = g_strdup_printf ("[[\"model\",\"=\",\"%s\"],[\"res_id\",\"=\",%" G_GINT64_FORMAT "]]",
                                 target->name, res_id);
  domain = ct_json_parse (domain_json, -1, NULL);
  rows = ct_sim_orm_search_rows (messages, domain, NULL, "id desc", 0, limit, &error);
  if (rows == NULL)
    {
      jsonrpc_answer (msg, id, NULL, error);
      return;
    }
  list = json_array_new ();
  ids = json_array_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      guint row = g_array_index (rows, guint, i);

      json_array_add_object_element (list, chatter_message (self, row, partners, subtypes));
      json_array_add_int_element (ids, ct_sim_model_row_id (messages, row));
    }
  store = json_object_new ();
  json_object_set_array_member (store, "mail.message", list);
  subtype_list = json_array_new ();
  g_hash_table_iter_init (&iter, subtypes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      JsonObject *st = json_object_new ();
      guint srow;

      json_object_set_member (st, "description",
                              ct_sim_model_lookup (subtype_model, GPOINTER_TO_INT (key), &srow) ?
                              chatter_value (subtype_model, srow, "description") :
                              json_node_init_boolean (json_node_alloc (), FALSE));
      json_object_set_int_member (st, "id", GPOINTER_TO_INT (key));
      json_array_add_object_element (subtype_list, st);
    }
  json_object_set_array_member (store, "mail.message.subtype", subtype_list);
  thread_list = json_array_new ();
  thread = json_object_new ();
  display = ct_sim_model_display_name (target, trow);
  json_object_set_string_member (thread, "display_name", display != NULL ? display : "");
  json_object_set_int_member (thread, "id", res_id);
  json_object_set_string_member (thread, "model", target->name);
  json_object_set_string_member (thread, "module_icon", "/base/static/description/icon.png");
  json_array_add_object_element (thread_list, thread);
  json_object_set_array_member (store, "mail.thread", thread_list);
  partner_list = json_array_new ();
  user_list = json_array_new ();
  g_hash_table_iter_init (&iter, partners);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      JsonObject *partner = json_object_new ();
      gint64 pid = GPOINTER_TO_INT (key);
      gint64 main_user = 0;
      guint prow;

      for (guint i = 0; i < self->users->len; i++)
        if (((CtSimUser *) g_ptr_array_index (self->users, i))->partner_id == pid)
          main_user = ((CtSimUser *) g_ptr_array_index (self->users, i))->uid;
      ct_sim_model_lookup (partner_model, pid, &prow);
      json_object_set_string_member (partner, "avatar_128_access_token",
                                     "0000000000000000000000000000000000000000000000000000000000000000o0x0");
      json_object_set_int_member (partner, "id", pid);
      json_object_set_member (partner, "is_company", chatter_value (partner_model, prow, "is_company"));
      if (main_user != 0)
        {
          JsonObject *u = json_object_new ();

          json_object_set_int_member (partner, "main_user_id", main_user);
          json_object_set_int_member (u, "id", main_user);
          json_object_set_boolean_member (u, "share", FALSE);
          json_array_add_object_element (user_list, u);
        }
      else
        json_object_set_boolean_member (partner, "main_user_id", FALSE);
      json_object_set_member (partner, "name", chatter_value (partner_model, prow, "name"));
      json_object_set_string_member (partner, "write_date", ct_sim_db_datetime (self->db, -3600));
      json_array_add_object_element (partner_list, partner);
    }
  json_object_set_array_member (store, "res.partner", partner_list);
  json_object_set_array_member (store, "res.users", user_list);
  result = json_object_new ();
  json_object_set_object_member (result, "data", store);
  json_object_set_array_member (result, "messages", ids);
  set_session_cookie (msg, sid);
  jsonrpc_answer (msg, id, ct_sim_json_object (result), NULL);
}

/* /web/content/<id>: an attachment's bytes for a web session or with its
 * access_token. A bearer key is ignored: the public user gets the plain 404
 * page (09-12, 09-14, 09-16). */
static void
route_web_content (gpointer      data,
                   CtSimRequest *request)
{
  CtSimOdoo *self = data;
  SoupServerMessage *msg = request->msg;
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = query != NULL ?
    g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  const char *token = params != NULL ? g_hash_table_lookup (params, "access_token") : NULL;
  CtSimModel *attachments = ct_sim_db_get_model (self->db, "ir.attachment");
  CtSimUser *user = session_user (self, msg, NULL);
  g_autoptr(GBytes) content = NULL;
  g_autofree char *disposition = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *checksum = NULL;
  const char *stored_token, *mimetype, *name;
  CtSimModel *target;
  gboolean allowed;
  gint64 id;
  char *end;
  guint row;

  id = g_ascii_strtoll (request->args[0], &end, 10);
  if (*end != '\0' || attachments == NULL || !ct_sim_model_lookup (attachments, id, &row) ||
      (content = ct_sim_attachment_content (attachments, row)) == NULL)
    {
      not_found_html (msg);
      return;
    }
  stored_token = ct_sim_model_get_str (attachments, row, "access_token");
  allowed = token != NULL && g_strcmp0 (token, stored_token) == 0;
  if (!allowed && user != NULL)
    {
      target = ct_sim_db_get_model (self->db, ct_sim_model_get_str (attachments, row, "res_model"));
      allowed = ct_sim_orm_check_access (self, user, target != NULL ? target : attachments,
                                         FALSE, NULL);
    }
  if (!allowed)
    {
      not_found_html (msg);
      return;
    }
  mimetype = ct_sim_model_get_str (attachments, row, "mimetype");
  name = ct_sim_model_get_str (attachments, row, "name");
  disposition = g_strdup_printf ("attachment; filename=%s", name != NULL ? name : "file");
  checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, content);
  etag = g_strdup_printf ("\"%s\"", checksum);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Disposition", disposition);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", user != NULL ? "no-cache, private" : "no-cache");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Security-Policy", "default-src 'none'");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, mimetype != NULL ? mimetype : "application/octet-stream",
                                    SOUP_MEMORY_COPY, g_bytes_get_data (content, NULL),
                                    g_bytes_get_size (content));
}

static void
route_version (gpointer      data,
               CtSimRequest *request)
{
  g_autoptr(JsonNode) info = version_info (TRUE);
  g_autofree char *sid = create_session (data, 0);

  set_session_cookie (request->msg, sid);
  set_json_body (request->msg, SOUP_STATUS_OK, info);
}

/* Every Odoo route: a new endpoint is one row plus its function. */
static const CtSimRoute odoo_routes[] = {
  { NULL, "/jsonrpc", route_jsonrpc },
  { NULL, "/json/version", route_version },
  { NULL, "/web/version", route_version },
  { NULL, "/json/2/*", route_json2 },
  { NULL, "/web/session/*", route_session },
  { NULL, "/web/dataset/call_kw", route_call_kw },
  { NULL, "/web/dataset/call_kw/*", route_call_kw },
  { NULL, "/web/dataset/call_button", route_call_button },
  { NULL, "/web/dataset/call_button/*", route_call_button },
  { NULL, "/mail/thread/messages", route_thread_messages },
  { "GET", "/web/content/{id}", route_web_content },
  { NULL, NULL, NULL }
};

void
ct_sim_odoo_handle (CtSimOdoo         *self,
                    SoupServerMessage *msg,
                    const char        *path,
                    gboolean           expire_session)
{
  CtSimRequest request = { .msg = msg, .method = soup_server_message_get_method (msg),
                           .path = path, .expire_session = expire_session };

  if (!ct_sim_route_dispatch (odoo_routes, self, &request))
    not_found_html (msg);
}

/* Dispatch with Odoo's rules */

static gboolean
node_is_int (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
    json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
parse_ids (JsonNode  *node,
           GArray    *ids,
           GError   **error)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (node_is_int (node))
    {
      gint64 id = json_node_get_int (node);

      g_array_append_val (ids, id);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          gint64 id;

          if (!node_is_int (item))
            {
              g_autoptr(GString) repr = g_string_new (NULL);

              ct_sim_py_repr (repr, item);
              g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                           "Invalid record id %s", repr->str);
              return FALSE;
            }
          id = json_node_get_int (item);
          g_array_append_val (ids, id);
        }
      return TRUE;
    }
  g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                       "Record ids must be a list of integers");
  return FALSE;
}

JsonNode *
ct_sim_odoo_call (CtSimOdoo   *self,
                  CtSimUser   *user,
                  const char  *model_name,
                  const char  *method_name,
                  JsonArray   *args,
                  JsonObject  *kwargs,
                  gboolean     json2,
                  GError     **error)
{
  return ct_sim_odoo_call_text (self, user, model_name, method_name, args, kwargs, json2, NULL,
                                error);
}

JsonNode *
ct_sim_odoo_call_text (CtSimOdoo   *self,
                       CtSimUser   *user,
                       const char  *model_name,
                       const char  *method_name,
                       JsonArray   *args,
                       JsonObject  *kwargs,
                       gboolean     json2,
                       GString     *text,
                       GError     **error)
{
  CtSimModel *model = ct_sim_db_get_model (self->db, model_name);
  const CtSimMethod *method;
  g_auto(GStrv) params = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonObject) bound = json_object_new ();
  g_autofree char *unexpected = NULL;
  JsonObject *context = NULL;
  gboolean var_kw = FALSE;
  guint n_params, n_args, first_arg = 0;
  CtSimCall call = { 0 };

  if (model == NULL)
    {
      if (json2)
        g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_NOT_FOUND,
                     "the model '%s' does not exist", model_name);
      else
        g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_USER_ERROR,
                     "Object %s doesn't exist", model_name != NULL ? model_name : "None");
      return NULL;
    }
  if (method_name == NULL || method_name[0] == '\0')
    {
      g_set_error_literal (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                           "call_kw() missing 1 required positional argument: 'method'");
      return NULL;
    }
  if (method_name[0] == '_')
    {
      g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_ACCESS_ERROR,
                   "Private methods (such as '%s.%s') cannot be called remotely.",
                   model->name, method_name);
      return NULL;
    }
  method = ct_sim_orm_find_method (model, method_name);
  if (method == NULL)
    {
      g_set_error (error, CT_SIM_ODOO_ERROR,
                   json2 ? CT_SIM_ODOO_NOT_FOUND : CT_SIM_ODOO_ATTRIBUTE_ERROR,
                   "The method '%s.%s' does not exist", model->name, method_name);
      return NULL;
    }

  params = g_strsplit (method->params, ",", -1);
  n_params = 0;
  for (guint i = 0; params[i] != NULL; i++)
    {
      if (g_strcmp0 (params[i], "**") == 0)
        {
          var_kw = TRUE;
          g_free (params[i]);
          params[i] = NULL;
          break;
        }
      if (params[i][0] != '\0')
        n_params = i + 1;
    }

  if (kwargs != NULL && json_object_has_member (kwargs, "context") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (kwargs, "context")))
    context = json_object_get_object_member (kwargs, "context");

  /* Record ids */
  if (json2)
    {
      if (kwargs != NULL && json_object_has_member (kwargs, "ids"))
        {
          if (method->api_model)
            {
              g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_UNPROCESSABLE,
                           "cannot call %s.%s with ids", model->name, method_name);
              return NULL;
            }
          if (!parse_ids (json_object_get_member (kwargs, "ids"), ids, error))
            return NULL;
        }
    }
  else if (!method->api_model)
    {
      if (args == NULL || json_array_get_length (args) == 0)
        {
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                       "%s.%s() missing 1 required positional argument: 'ids'",
                       model->name, method_name);
          return NULL;
        }
      if (!parse_ids (json_array_get_element (args, 0), ids, error))
        return NULL;
      first_arg = 1;
    }

  /* Bind positional arguments, then keywords, like Python's signature.bind */
  n_args = args != NULL ? json_array_get_length (args) : 0;
  if (n_args - first_arg > n_params && n_args > first_arg)
    {
      g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                   "BaseModel.%s() takes %u positional arguments but %u were given",
                   method_name, n_params + 1, n_args - first_arg + 1);
      return NULL;
    }
  for (guint i = first_arg; i < n_args; i++)
    {
      const char *name = params[i - first_arg];

      json_object_set_member (bound, name[0] == '?' ? name + 1 : name,
                              json_node_copy (json_array_get_element (args, i)));
    }
  if (kwargs != NULL)
    {
      GList *members = json_object_get_members (kwargs);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *key = l->data;
          gboolean known = FALSE;

          if (g_strcmp0 (key, "context") == 0 || (json2 && g_strcmp0 (key, "ids") == 0))
            continue;
          for (guint i = 0; i < n_params && !known; i++)
            known = g_strcmp0 (params[i][0] == '?' ? params[i] + 1 : params[i], key) == 0;
          if (known && json_object_has_member (bound, key))
            {
              g_list_free (members);
              g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                           "BaseModel.%s() got multiple values for argument '%s'",
                           method_name, key);
              return NULL;
            }
          if (!known && !var_kw && unexpected == NULL)
            unexpected = g_strdup (key);
          json_object_set_member (bound, key, json_node_copy (json_object_get_member (kwargs, key)));
        }
      g_list_free (members);
    }
  for (guint i = 0; i < n_params; i++)
    if (params[i][0] != '?' && !json_object_has_member (bound, params[i]))
      {
        if (json2)
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_UNPROCESSABLE,
                       "missing a required argument: '%s'", params[i]);
        else
          g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                       "BaseModel.%s() missing 1 required positional argument: '%s'",
                       method_name, params[i]);
        return NULL;
      }
  if (unexpected != NULL)
    {
      if (json2)
        g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_UNPROCESSABLE,
                     "got an unexpected keyword argument '%s'", unexpected);
      else
        g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_TYPE_ERROR,
                     "BaseModel.%s() got an unexpected keyword argument '%s'",
                     method_name, unexpected);
      return NULL;
    }

  if (method->access != CT_SIM_ACCESS_NONE &&
      !ct_sim_orm_check_access (self, user, model, method->access == CT_SIM_ACCESS_WRITE, error))
    return NULL;

  self->db->current_uid = user->uid;
  self->db->current_groups = user->groups;
  call.odoo = self;
  call.db = self->db;
  call.model = model;
  call.method = method_name;
  call.user = user;
  call.ids = ids;
  call.kwargs = bound;
  call.context = context;
  call.json2 = json2;
  call.text = text;
  return method->func (&call, error);
}
