/* test-sim-access.c - Every fixture user sees what a real Odoo 19 would let them see
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The access rights of tests/data/protocol/README.md, asked of the simulator
 * as each user of both datasets, in both dialects (JSON-2 with the user's API
 * key, JSON-RPC execute_kw with the password): administrator-only models, no
 * purchase orders without a purchase right, read-only purchase for demo, 404
 * for models that are not installed, fields_get without read rights but
 * without the fields the user may not read, tier reviews for every internal
 * user, has_group for oneself.
 */

#define G_LOG_DOMAIN "ct-sim-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ct-sim-server.h"

typedef struct
{
  CtSimServer *server;
  SoupSession *session;
  char        *url;
  const char  *database;
} Fixture;

static void
fixture_start (Fixture    *f,
               const char *dataset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 12, 0, 0);
  CtSimOptions options = { .dataset = dataset, .now = now, .seed = 3, .n_cases = 100 };

  f->server = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (f->server, &error));
  f->url = ct_sim_server_dup_url (f->server);
  f->database = ct_sim_server_get_database (f->server);
  f->session = soup_session_new_with_options ("timeout", 30, NULL);
}

static void
fixture_stop (Fixture *f)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->url, g_free);
  ct_sim_server_stop (f->server);
  g_assert_finalize_object (f->server);
}

static JsonNode *
post (Fixture    *f,
      const char *path,
      const char *api_key,   /* (nullable) */
      const char *body,
      guint      *status)
{
  g_autofree char *url = g_strconcat (f->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  if (api_key != NULL)
    {
      g_autofree char *bearer = g_strdup_printf ("bearer %s", api_key);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Odoo-Database",
                                    f->database);
    }
  answer = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  node = json_from_string (g_bytes_get_data (answer, NULL), &error);
  g_assert_no_error (error);
  return node;
}

/* The outcome of one call, in either dialect: "ok", or the error class name
 * ("odoo.exceptions.AccessError", "werkzeug.exceptions.NotFound", ...).
 * @result: (out) (optional): the answer of a call that worked. */
static char *
call (Fixture     *f,
      const char  *login,
      gboolean     json2,
      const char  *model,
      const char  *method,
      const char  *ids,      /* (nullable) "[13]" for a record method */
      const char  *kwargs,   /* JSON object of the named arguments */
      JsonNode   **result)
{
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  if (json2)
    {
      g_autofree char *path = g_strdup_printf ("/json/2/%s/%s", model, method);
      const char *key = ct_sim_server_get_api_key (f->server, login);

      g_assert_nonnull (key);
      g_autofree char *body = ids == NULL ? g_strdup (kwargs) :
        g_strdup_printf ("{\"ids\":%s%s%s", ids, g_str_equal (kwargs, "{}") ? "" : ",", kwargs + 1);

      answer = post (f, path, key, body, &status);
      if (status != 200)
        {
          const char *name = json_object_get_string_member (json_node_get_object (answer), "name");

          /* The HTTP status goes with the class, as recorded. */
          if (g_str_equal (name, "odoo.exceptions.AccessError"))
            g_assert_cmpuint (status, ==, 403);
          else if (g_str_equal (name, "werkzeug.exceptions.NotFound"))
            g_assert_cmpuint (status, ==, 404);
          return g_strdup (name);
        }
    }
  else
    {
      g_autofree char *body = NULL;
      g_autoptr(JsonNode) uid_answer = NULL;
      g_autofree char *auth = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"id\":1,"
                                               "\"params\":{\"service\":\"common\",\"method\":"
                                               "\"authenticate\",\"args\":[\"%s\",\"%s\",\"%s\",{}]}}",
                                               f->database, login,
                                               ct_sim_server_get_password (f->server, login));
      JsonObject *root;
      gint64 uid;

      uid_answer = post (f, "/jsonrpc", NULL, auth, &status);
      uid = json_object_get_int_member (json_node_get_object (uid_answer), "result");
      g_assert_cmpint (uid, >, 0);
      body = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"id\":2,\"params\":"
                              "{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":"
                              "[\"%s\",%" G_GINT64_FORMAT ",\"%s\",\"%s\",\"%s\",[%s],%s]}}",
                              f->database, uid, ct_sim_server_get_password (f->server, login),
                              model, method, ids != NULL ? ids : "", kwargs);
      answer = post (f, "/jsonrpc", NULL, body, &status);
      g_assert_cmpuint (status, ==, 200);
      root = json_node_get_object (answer);
      if (json_object_has_member (root, "error"))
        return g_strdup (json_object_get_string_member (
          json_object_get_object_member (json_object_get_object_member (root, "error"), "data"),
          "name"));
      if (result != NULL)
        *result = json_node_copy (json_object_get_member (root, "result"));
      return g_strdup ("ok");
    }
  if (result != NULL)
    *result = g_steal_pointer (&answer);
  return g_strdup ("ok");
}

#define ACCESS_ERROR "odoo.exceptions.AccessError"

static void
assert_outcome (Fixture    *f,
                const char *login,
                const char *model,
                const char *method,
                const char *ids,
                const char *kwargs,
                const char *expected)
{
  for (guint dialect = 0; dialect < 2; dialect++)
    {
      g_autofree char *outcome = NULL;

      /* demo has no API key on the recorded server: JSON-RPC only. */
      if (dialect == 1 && ct_sim_server_get_api_key (f->server, login) == NULL)
        continue;
      outcome = call (f, login, dialect == 1, model, method, ids, kwargs, NULL);
      if (g_strcmp0 (outcome, expected) != 0)
        g_error ("%s %s.%s over %s: %s, expected %s", login, model, method,
                 dialect == 1 ? "JSON-2" : "JSON-RPC", outcome, expected);
    }
}

static guint
fields_count (Fixture    *f,
              const char *login,
              const char *model,
              const char *field,
              gboolean   *has_field)
{
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *outcome = call (f, login, FALSE, model, "fields_get", NULL,
                                   "{\"attributes\":[\"type\"]}", &result);

  g_assert_cmpstr (outcome, ==, "ok");
  *has_field = json_object_has_member (json_node_get_object (result), field);
  return json_object_get_size (json_node_get_object (result));
}

/* Whether @login may act on any pending review; on every row, can_review
 * must say exactly whether the user is among its reviewers. */
static gboolean
user_can_review (Fixture    *f,
                 const char *login)
{
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *domain = g_strdup_printf ("{\"domain\":[[\"login\",\"=\",\"%s\"]],"
                                             "\"fields\":[\"id\"]}", login);
  g_autofree char *who = call (f, login, FALSE, "res.users", "search_read", NULL, domain, &me);
  g_autofree char *outcome = call (f, login, FALSE, "tier.review", "search_read", NULL,
                                   "{\"domain\":[[\"status\",\"=\",\"pending\"]],"
                                   "\"fields\":[\"res_id\",\"can_review\",\"reviewer_ids\"]}",
                                   &result);
  JsonArray *rows;
  gint64 uid;
  gboolean any = FALSE;

  g_assert_cmpstr (who, ==, "ok");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (me)), ==, 1);
  uid = json_object_get_int_member (json_array_get_object_element (json_node_get_array (me), 0),
                                    "id");
  g_assert_cmpstr (outcome, ==, "ok");
  rows = json_node_get_array (result);
  g_assert_cmpuint (json_array_get_length (rows), >, 0);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonArray *reviewers = json_object_get_array_member (row, "reviewer_ids");
      gboolean listed = FALSE;
      gboolean can = json_object_get_boolean_member (row, "can_review");

      for (guint j = 0; j < json_array_get_length (reviewers); j++)
        listed = listed || json_array_get_int_element (reviewers, j) == uid;
      if (can != listed)
        g_error ("%s: can_review is %s on a review that %s them", login, can ? "true" : "false",
                 listed ? "lists" : "does not list");
      any = any || can;
    }
  return any;
}

/* The recorded server's four users: admin, purchaser, noright, demo. */
static void
test_recorded (void)
{
  static const char *const users[] = { "admin", "purchaser", "noright", "demo" };
  Fixture f = { 0 };
  g_autoptr(JsonNode) group = NULL;
  g_autofree char *outcome = NULL;
  gboolean has_credit, has_tracking;
  guint purchaser_fields, noright_fields;

  fixture_start (&f, "recorded");
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      const char *login = users[i];
      gboolean admin = g_str_equal (login, "admin");
      gboolean buyer = admin || g_str_equal (login, "purchaser") || g_str_equal (login, "demo");

      assert_outcome (&f, login, "ir.model", "search_count", NULL, "{\"domain\":[]}",
                      admin ? "ok" : ACCESS_ERROR);
      assert_outcome (&f, login, "ir.model.fields", "search_count", NULL, "{\"domain\":[]}",
                      admin ? "ok" : ACCESS_ERROR);
      assert_outcome (&f, login, "ir.cron", "search_count", NULL, "{\"domain\":[]}",
                      admin ? "ok" : ACCESS_ERROR);
      assert_outcome (&f, login, "mail.tracking.value", "search_count", NULL, "{\"domain\":[]}",
                      admin ? "ok" : ACCESS_ERROR);
      assert_outcome (&f, login, "purchase.order", "search_count", NULL,
                      "{\"domain\":[[\"state\",\"=\",\"to approve\"]]}", buyer ? "ok" : ACCESS_ERROR);
      /* Every internal user reads the reviews, and may read fields_get. */
      assert_outcome (&f, login, "tier.review", "search_count", NULL, "{\"domain\":[]}", "ok");
      assert_outcome (&f, login, "purchase.order", "fields_get", NULL,
                      "{\"attributes\":[\"type\"]}", "ok");
      /* Not installed on the recorded Community server: 404 over JSON-2. */
      if (ct_sim_server_get_api_key (f.server, login) != NULL)
        {
          g_autofree char *queue = call (&f, login, TRUE, "queue.job", "search_count", NULL,
                                         "{\"domain\":[]}", NULL);

          g_assert_cmpstr (queue, ==, "werkzeug.exceptions.NotFound");
        }
      /* Tracking values come only to administrators over the ORM. */
      fields_count (&f, login, "mail.message", "tracking_value_ids", &has_tracking);
      g_assert_true (has_tracking == admin);
      assert_outcome (&f, login, "mail.message", "search_count", NULL, "{\"domain\":[]}", "ok");
    }

  /* demo reads purchase orders but may not change them. */
  assert_outcome (&f, "demo", "purchase.order", "write", "[13]", "{\"vals\":{\"note\":\"x\"}}",
                  ACCESS_ERROR);
  assert_outcome (&f, "demo", "purchase.order", "search_read", NULL,
                  "{\"domain\":[[\"state\",\"=\",\"to approve\"]],\"fields\":[\"name\"]}", "ok");

  /* noright gets the same purchase.order fields as purchaser. */
  purchaser_fields = fields_count (&f, "purchaser", "purchase.order", "state", &has_credit);
  noright_fields = fields_count (&f, "noright", "purchase.order", "state", &has_credit);
  g_assert_cmpuint (purchaser_fields, ==, noright_fields);

  /* A purchase user does not see partner credit; naming it fails the read. */
  fields_count (&f, "purchaser", "res.partner", "credit", &has_credit);
  g_assert_false (has_credit);
  fields_count (&f, "admin", "res.partner", "credit", &has_credit);
  g_assert_true (has_credit);
  assert_outcome (&f, "purchaser", "res.partner", "read", "[9]",
                  "{\"fields\":[\"name\",\"credit\"]}", ACCESS_ERROR);
  assert_outcome (&f, "purchaser", "res.partner", "read", "[9]", "{\"fields\":[\"name\"]}", "ok");
  assert_outcome (&f, "admin", "res.partner", "read", "[9]", "{\"fields\":[\"name\",\"credit\"]}",
                  "ok");

  /* The tier reviewer may act; the others read the same reviews. */
  g_assert_true (user_can_review (&f, "purchaser"));
  g_assert_false (user_can_review (&f, "noright"));
  g_assert_false (user_can_review (&f, "demo"));

  /* has_group for oneself, over JSON-2: a bare boolean. */
  outcome = call (&f, "purchaser", TRUE, "res.users", "has_group", NULL,
                  "{\"ids\":[7],\"group_ext_id\":\"purchase.group_purchase_manager\"}", &group);
  g_assert_cmpstr (outcome, ==, "ok");
  g_assert_true (JSON_NODE_HOLDS_VALUE (group));
  g_assert_false (json_node_get_boolean (group));
  g_clear_pointer (&group, json_node_unref);
  g_clear_pointer (&outcome, g_free);
  outcome = call (&f, "purchaser", TRUE, "res.users", "has_group", NULL,
                  "{\"ids\":[7],\"group_ext_id\":\"purchase.group_purchase_user\"}", &group);
  g_assert_true (json_node_get_boolean (group));
  fixture_stop (&f);
}

/* The generated distributor's five users. */
static void
test_generated (void)
{
  static const struct
  {
    const char *login;
    gboolean    admin;
    gboolean    purchase;
    gboolean    credit;
    int         reviewer;   /* -1: whatever the generated data gives */
  } users[] = {
    { "admin", TRUE, TRUE, TRUE, FALSE },
    /* The manager reviews escalations only, and the realistic demo has one or
     * two: whether one of them waits for Morgan Hale depends on the draw, but
     * can_review must still match the review's reviewers. */
    { "manager", FALSE, TRUE, TRUE, -1 },
    { "approver", FALSE, TRUE, TRUE, TRUE },
    { "requester", FALSE, TRUE, FALSE, FALSE },
    { "noright", FALSE, FALSE, FALSE, FALSE },
  };
  Fixture f = { 0 };

  fixture_start (&f, "generated");
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      const char *login = users[i].login;
      gboolean has_credit, can_review;

      assert_outcome (&f, login, "ir.model", "search_count", NULL, "{\"domain\":[]}",
                      users[i].admin ? "ok" : ACCESS_ERROR);
      assert_outcome (&f, login, "ir.model.fields", "search_count", NULL, "{\"domain\":[]}",
                      users[i].admin ? "ok" : ACCESS_ERROR);
      assert_outcome (&f, login, "ir.cron", "search_count", NULL, "{\"domain\":[]}",
                      users[i].admin ? "ok" : ACCESS_ERROR);
      assert_outcome (&f, login, "purchase.order", "search_count", NULL, "{\"domain\":[]}",
                      users[i].purchase ? "ok" : ACCESS_ERROR);
      assert_outcome (&f, login, "tier.review", "search_count", NULL, "{\"domain\":[]}", "ok");
      assert_outcome (&f, login, "purchase.order", "fields_get", NULL,
                      "{\"attributes\":[\"type\"]}", "ok");
      fields_count (&f, login, "res.partner", "credit", &has_credit);
      g_assert_true (has_credit == users[i].credit);
      assert_outcome (&f, login, "res.partner", "search_read", NULL,
                      "{\"domain\":[],\"fields\":[\"name\",\"credit\"],\"limit\":1}",
                      users[i].credit ? "ok" : ACCESS_ERROR);
      /* External ids: every employee reads them (base.access_ir_model_data_group_user),
       * only the system group writes them. */
      assert_outcome (&f, login, "ir.model.data", "search_count", NULL, "{\"domain\":[]}", "ok");
      assert_outcome (&f, login, "ir.model.data", "write", "[1]",
                      "{\"vals\":{\"noupdate\":true}}", users[i].admin ? "ok" : ACCESS_ERROR);
      can_review = user_can_review (&f, login);
      if (users[i].reviewer >= 0 && can_review != users[i].reviewer)
        g_error ("%s: can_review on a pending review is %s, expected %s", login,
                 users[i].reviewer ? "never true" : "true", users[i].reviewer ? "true" : "never");
    }
  {
    /* A group's external id resolves as env.ref() does: module and name to
     * the res.groups row, whose users include the purchase managers. */
    g_autoptr(JsonNode) result = NULL;
    g_autofree char *outcome = call (&f, "noright", TRUE, "ir.model.data", "search_read", NULL,
                                     "{\"domain\":[[\"module\",\"=\",\"purchase\"],"
                                     "[\"name\",\"=\",\"group_purchase_manager\"],"
                                     "[\"model\",\"=\",\"res.groups\"]],"
                                     "\"fields\":[\"res_id\",\"complete_name\"]}", &result);
    JsonArray *rows;
    JsonObject *row;
    g_autoptr(JsonNode) group = NULL;
    g_autofree char *query = NULL;

    g_assert_cmpstr (outcome, ==, "ok");
    rows = json_node_get_array (result);
    g_assert_cmpuint (json_array_get_length (rows), ==, 1);
    row = json_array_get_object_element (rows, 0);
    g_assert_cmpstr (json_object_get_string_member (row, "complete_name"), ==,
                     "purchase.group_purchase_manager");
    query = g_strdup_printf ("{\"domain\":[[\"group_ids\",\"in\",[%" G_GINT64_FORMAT "]],"
                             "[\"login\",\"=\",\"approver\"]],\"fields\":[\"id\"]}",
                             json_object_get_int_member (row, "res_id"));
    g_free (outcome);
    outcome = call (&f, "admin", TRUE, "res.users", "search_read", NULL, query, &group);
    g_assert_cmpstr (outcome, ==, "ok");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (group)), ==, 1);
  }
  fixture_stop (&f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ct/sim/access/recorded", test_recorded);
  g_test_add_func ("/ct/sim/access/generated", test_generated);
  return g_test_run ();
}
