/* test-sim-distributor.c - The generated distributor, seen through the Odoo API
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim-test"

#include "config.h"

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ct-sim-server.h"

typedef struct
{
  CtSimServer *server;
  SoupSession *session;
  char        *url;
} Sim;

static Sim *
sim_new (guint64 seed,
         guint   cases)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 12, 0, 0);
  CtSimOptions options = { .seed = seed, .n_cases = cases, .now = now };
  Sim *sim = g_new0 (Sim, 1);

  sim->server = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (sim->server, &error));
  g_assert_no_error (error);
  sim->url = ct_sim_server_dup_url (sim->server);
  sim->session = soup_session_new ();
  return sim;
}

static void
sim_free (Sim *sim)
{
  g_object_unref (sim->session);
  g_free (sim->url);
  ct_sim_server_stop (sim->server);
  g_object_unref (sim->server);
  g_free (sim);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sim, sim_free)

/* POST /json/2/model/method as @login; returns the parsed body. */
static JsonNode *
call (Sim        *sim,
      const char *login,
      const char *model,
      const char *method,
      const char *body,
      guint      *status)
{
  g_autofree char *url = g_strdup_printf ("%s/json/2/%s/%s", sim->url, model, method);
  g_autofree char *auth = g_strdup_printf ("bearer %s", ct_sim_server_get_api_key (sim->server, login));
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) req = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *node;

  soup_message_set_request_body_from_bytes (msg, "application/json", req);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Odoo-Database", "distribution");
  bytes = soup_session_send_and_read (sim->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (msg);
  else
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  node = json_from_string (text, NULL);
  g_assert_nonnull (node);
  return node;
}

static gint64
count (Sim        *sim,
       const char *login,
       const char *model,
       const char *domain)
{
  g_autofree char *body = g_strdup_printf ("{\"domain\": %s}", domain);
  g_autoptr(JsonNode) node = call (sim, login, model, "search_count", body, NULL);

  return json_node_get_int (node);
}

static void
test_users_and_keys (void)
{
  g_autoptr(Sim) sim = sim_new (7, 200);
  g_autoptr(JsonNode) who = NULL;
  const char *logins[] = { "admin", "manager", "approver", "requester", "noright" };
  guint status;

  g_assert_cmpstr (ct_sim_server_get_database (sim->server), ==, "distribution");
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      g_autoptr(JsonNode) ctx = NULL;

      g_assert_cmpstr (ct_sim_server_get_password (sim->server, logins[i]), ==, logins[i]);
      g_assert_cmpuint (strlen (ct_sim_server_get_api_key (sim->server, logins[i])), ==, 40);
      ctx = call (sim, logins[i], "res.users", "context_get", "{}", NULL);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (ctx), "uid"), >, 0);
    }
  /* noright sees no purchase orders, as on a real server */
  who = call (sim, "noright", "purchase.order", "search_count", "{\"domain\": []}", &status);
  g_assert_cmpuint (status, ==, 403);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (who), "name"), ==,
                   "odoo.exceptions.AccessError");
}

static void
test_deterministic (void)
{
  g_autoptr(Sim) a = sim_new (42, 500);
  g_autoptr(Sim) b = sim_new (42, 500);
  g_autoptr(Sim) c = sim_new (43, 500);
  const char *body = "{\"domain\": [], \"fields\": [\"name\", \"status\", \"res_id\", \"model\"], \"order\": \"id\"}";
  g_autoptr(JsonNode) ra = call (a, "admin", "tier.review", "search_read", body, NULL);
  g_autoptr(JsonNode) rb = call (b, "admin", "tier.review", "search_read", body, NULL);
  g_autoptr(JsonNode) rc = call (c, "admin", "tier.review", "search_read", body, NULL);
  g_autofree char *sa = json_to_string (ra, FALSE);
  g_autofree char *sb = json_to_string (rb, FALSE);
  g_autofree char *sc = json_to_string (rc, FALSE);

  g_assert_cmpstr (sa, ==, sb);
  g_assert_cmpstr (sa, !=, sc);
  g_assert_cmpstr (ct_sim_server_get_api_key (a->server, "approver"), ==,
                   ct_sim_server_get_api_key (b->server, "approver"));
  g_assert_cmpstr (ct_sim_server_get_api_key (a->server, "approver"), !=,
                   ct_sim_server_get_api_key (c->server, "approver"));
}

static void
test_all_mechanisms_and_ages (void)
{
  g_autoptr(Sim) sim = sim_new (1, 2000);
  g_autoptr(JsonNode) groups = NULL;
  JsonArray *array;
  guint n_area_groups;

  /* Four mechanisms, pending */
  g_assert_cmpint (count (sim, "admin", "tier.review", "[[\"status\", \"=\", \"pending\"]]"), >, 50);
  g_assert_cmpint (count (sim, "admin", "approval.request", "[[\"request_status\", \"=\", \"pending\"]]"), >, 50);
  g_assert_cmpint (count (sim, "admin", "purchase.order", "[[\"state\", \"=\", \"to approve\"]]"), >, 10);
  g_assert_cmpint (count (sim, "admin", "mail.activity", "[[\"activity_type_id.name\", \"=\", \"Approval\"]]"), >, 50);
  /* Upcoming tiers, and orders pending through two mechanisms at once */
  g_assert_cmpint (count (sim, "admin", "tier.review", "[[\"status\", \"=\", \"waiting\"]]"), >, 0);
  g_assert_cmpint (count (sim, "admin", "purchase.order",
                          "[[\"state\", \"=\", \"to approve\"], [\"review_ids.status\", \"=\", \"pending\"]]"), >, 0);
  /* Decided history with timestamps, and escalations */
  g_assert_cmpint (count (sim, "admin", "tier.review", "[[\"status\", \"=\", \"rejected\"], [\"reviewed_date\", \"!=\", false]]"), >, 20);
  g_assert_cmpint (count (sim, "admin", "tier.review", "[[\"name\", \"=\", \"Escalation to management\"]]"), >, 5);
  g_assert_cmpint (count (sim, "admin", "tier.review", "[[\"reviewed_date\", \"<\", \"2026-09-15 00:00:00\"]]"), >, 0);
  g_assert_cmpint (count (sim, "admin", "tier.review", "[[\"reviewed_date\", \"<\", \"2026-08-27 11:00:00\"]]"), ==, 0);
  /* Ages: on track, at risk, breached */
  g_assert_cmpint (count (sim, "admin", "tier.review", "[[\"status\", \"=\", \"pending\"], [\"create_date\", \">\", \"2026-11-25 12:00:00\"]]"), >, 5);
  g_assert_cmpint (count (sim, "admin", "tier.review", "[[\"status\", \"=\", \"pending\"], [\"create_date\", \"<\", \"2026-11-25 12:00:00\"], [\"create_date\", \">\", \"2026-11-23 12:00:00\"]]"), >, 5);
  g_assert_cmpint (count (sim, "admin", "tier.review", "[[\"status\", \"=\", \"pending\"], [\"create_date\", \"<\", \"2026-11-23 12:00:00\"]]"), >, 5);
  /* Every area has approval requests */
  groups = call (sim, "admin", "approval.request", "formatted_read_group",
                 "{\"domain\": [], \"groupby\": [\"x_ct_area\"], \"aggregates\": [\"__count\"]}", NULL);
  array = json_node_get_array (groups);
  n_area_groups = json_array_get_length (array);
  g_assert_cmpuint (n_area_groups, ==, 7);
  {
    /* Grouped results order by an aggregate, then by the group values. */
    g_autoptr(JsonNode) top = call (sim, "admin", "approval.request", "formatted_read_group",
                                    "{\"domain\": [], \"groupby\": [\"x_ct_area\"],"
                                    " \"aggregates\": [\"amount:sum\", \"__count\"],"
                                    " \"order\": \"__count desc, x_ct_area\"}", NULL);
    JsonArray *rows = json_node_get_array (top);

    for (guint i = 1; i < json_array_get_length (rows); i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, i - 1), "__count"), >=,
                       json_object_get_int_member (json_array_get_object_element (rows, i), "__count"));
  }
  /* Master data */
  g_assert_cmpint (count (sim, "admin", "res.company", "[[\"parent_id\", \"=\", 1]]"), ==, 3);
  g_assert_cmpint (count (sim, "admin", "stock.warehouse", "[]"), ==, 4);
  g_assert_cmpint (count (sim, "admin", "res.partner", "[[\"x_ct_onboarding_state\", \"=\", \"pending\"]]"), >, 0);
  g_assert_cmpint (count (sim, "admin", "res.partner", "[[\"credit\", \">\", 0], [\"x_ct_tier\", \"=\", \"gold\"]]"), >, 0);
  g_assert_cmpint (count (sim, "admin", "product.product", "[[\"x_ct_regulated\", \"=\", true]]"), >, 0);
  g_assert_cmpint (count (sim, "admin", "product.product", "[[\"tracking\", \"=\", \"serial\"]]"), >, 0);
  g_assert_cmpint (count (sim, "admin", "sale.order.line", "[[\"discount\", \">\", 15]]"), >, 0);
  g_assert_cmpint (count (sim, "admin", "ir.attachment", "[]"), >, 100);
  g_assert_cmpint (count (sim, "admin", "queue.job", "[[\"state\", \"=\", \"failed\"]]"), >, 0);
  g_assert_cmpint (count (sim, "admin", "ir.cron", "[[\"failure_count\", \">\", 0]]"), >, 0);
  g_assert_cmpint (count (sim, "admin", "ir.cron", "[[\"nextcall\", \"<\", \"2026-11-26 12:00:00\"]]"), >, 0);
  g_assert_cmpint (count (sim, "admin", "mail.message", "[[\"model\", \"=\", \"sale.order\"]]"), >, 100);
}

/* What a new user sees first: people per region and role, a calm spread,
 * names a distributor would have, amounts in the company's currency. */
static void
test_looks_like_a_distributor (void)
{
  g_autoptr(Sim) sim = sim_new (1, 2000);
  g_autoptr(JsonNode) owners = NULL;
  g_autoptr(JsonNode) reviewers = NULL;
  g_autoptr(JsonNode) types = NULL;
  gint64 pending = count (sim, "admin", "approval.request", "[[\"request_status\", \"=\", \"pending\"]]");
  gint64 biggest = 0;
  JsonArray *rows;

  /* No one person owns or reviews most of the work. */
  owners = call (sim, "admin", "approval.request", "formatted_read_group",
                 "{\"domain\": [[\"request_status\", \"=\", \"pending\"]], \"groupby\": [\"request_owner_id\"],"
                 " \"aggregates\": [\"__count\"]}", NULL);
  rows = json_node_get_array (owners);
  g_assert_cmpuint (json_array_get_length (rows), >=, 6);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    biggest = MAX (biggest, json_object_get_int_member (json_array_get_object_element (rows, i), "__count"));
  g_assert_cmpint (biggest * 4, <, pending);
  reviewers = call (sim, "admin", "tier.review", "formatted_read_group",
                    "{\"domain\": [[\"status\", \"=\", \"pending\"]], \"groupby\": [\"reviewer_id\"],"
                    " \"aggregates\": [\"__count\"]}", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (reviewers)), >=, 6);

  /* Most pending cases are young: the oldest few are the exception. */
  g_assert_cmpint (count (sim, "admin", "tier.review",
                          "[[\"status\", \"=\", \"pending\"], [\"create_date\", \"<\", \"2026-11-20 12:00:00\"]]") * 10, <,
                   count (sim, "admin", "tier.review", "[[\"status\", \"=\", \"pending\"]]"));

  /* Branches named after the hubs, not the template's "YourCompany". */
  g_assert_cmpint (count (sim, "admin", "purchase.order", "[[\"picking_type_id.name\", \"ilike\", \"YourCompany\"]]"), ==, 0);
  types = call (sim, "admin", "stock.picking.type", "search_read",
                "{\"domain\": [[\"name\", \"ilike\", \"Hub: Receipts\"]], \"fields\": [\"name\"]}", NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (types)), ==, 3);
  g_assert_cmpint (count (sim, "admin", "res.partner", "[[\"name\", \"ilike\", \"Customer 0\"]]"), ==, 0);
  g_assert_cmpint (count (sim, "admin", "res.partner", "[[\"name\", \"ilike\", \"New Vendor\"]]"), ==, 0);
  g_assert_cmpint (count (sim, "admin", "res.users", "[[\"name\", \"ilike\", \"Requester\"]]"), ==, 0);

  /* Orders are in euros, like the company. */
  g_assert_cmpint (count (sim, "admin", "sale.order", "[[\"currency_id.name\", \"!=\", \"EUR\"]]"), ==, 0);
  g_assert_cmpint (count (sim, "admin", "purchase.order", "[[\"currency_id.name\", \"!=\", \"EUR\"]]"), ==, 0);
}

static void
test_decide (void)
{
  g_autoptr(Sim) sim = sim_new (5, 600);
  g_autoptr(JsonNode) pending = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) review = NULL;
  g_autoptr(JsonNode) jobs = NULL;
  g_autofree char *body = NULL;
  JsonObject *req;
  gint64 id;
  guint status;

  /* Odoo Approvals: approve as the approver, the request's status follows. */
  pending = call (sim, "admin", "approval.request", "search_read",
                  "{\"domain\": [[\"request_status\", \"=\", \"pending\"], [\"approval_minimum\", \"=\", 1],"
                  " [\"approver_ids.user_id\", \"=\", 7]],"
                  " \"fields\": [\"id\"], \"limit\": 1}", NULL);
  id = json_object_get_int_member (json_array_get_object_element (json_node_get_array (pending), 0), "id");
  body = g_strdup_printf ("{\"ids\": [%" G_GINT64_FORMAT "]}", id);
  g_clear_pointer (&after, json_node_unref);
  after = call (sim, "approver", "approval.request", "action_approve", body, NULL);
  g_assert_true (JSON_NODE_HOLDS_NULL (after));
  g_clear_pointer (&after, json_node_unref);
  g_free (body);
  body = g_strdup_printf ("{\"ids\": [%" G_GINT64_FORMAT "], \"fields\": [\"request_status\"]}", id);
  after = call (sim, "admin", "approval.request", "read", body, NULL);
  req = json_array_get_object_element (json_node_get_array (after), 0);
  g_assert_cmpstr (json_object_get_string_member (req, "request_status"), ==, "approved");

  /* tier.review on a sales order: validate_tier by the reviewer */
  review = call (sim, "admin", "tier.review", "search_read",
                 "{\"domain\": [[\"status\", \"=\", \"pending\"], [\"model\", \"=\", \"sale.order\"],"
                 " [\"reviewer_ids\", \"in\", [7]]], \"fields\": [\"res_id\"], \"limit\": 1}", NULL);
  id = json_object_get_int_member (json_array_get_object_element (json_node_get_array (review), 0), "res_id");
  g_free (body);
  body = g_strdup_printf ("{\"ids\": [%" G_GINT64_FORMAT "], \"fields\": [\"can_review\", \"validation_status\"]}", id);
  g_clear_pointer (&after, json_node_unref);
  after = call (sim, "approver", "sale.order", "read", body, NULL);
  req = json_array_get_object_element (json_node_get_array (after), 0);
  g_assert_true (json_object_get_boolean_member (req, "can_review"));
  g_assert_cmpstr (json_object_get_string_member (req, "validation_status"), ==, "pending");
  g_free (body);
  body = g_strdup_printf ("{\"ids\": [%" G_GINT64_FORMAT "]}", id);
  g_clear_pointer (&after, json_node_unref);
  after = call (sim, "approver", "sale.order", "validate_tier", body, NULL);
  g_free (body);
  body = g_strdup_printf ("{\"ids\": [%" G_GINT64_FORMAT "], \"fields\": [\"validation_status\"]}", id);
  g_clear_pointer (&after, json_node_unref);
  after = call (sim, "approver", "sale.order", "read", body, NULL);
  req = json_array_get_object_element (json_node_get_array (after), 0);
  g_assert_cmpstr (json_object_get_string_member (req, "validation_status"), !=, "pending");

  /* A failed queue job is requeued */
  jobs = call (sim, "admin", "queue.job", "search_read",
               "{\"domain\": [[\"state\", \"=\", \"failed\"]], \"fields\": [\"exc_message\", \"record_ids\"], \"limit\": 1}",
               NULL);
  req = json_array_get_object_element (json_node_get_array (jobs), 0);
  g_assert_nonnull (json_object_get_string_member (req, "exc_message"));
  id = json_object_get_int_member (req, "id");
  g_free (body);
  body = g_strdup_printf ("{\"ids\": [%" G_GINT64_FORMAT "]}", id);
  g_clear_pointer (&after, json_node_unref);
  after = call (sim, "requester", "queue.job", "requeue", body, &status);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&after, json_node_unref);
  after = call (sim, "manager", "queue.job", "requeue", body, NULL);
  g_assert_true (json_node_get_boolean (after));
  g_assert_cmpint (count (sim, "admin", "queue.job", "[[\"state\", \"=\", \"failed\"]]"), ==, 4);
}

static void
test_comment_wizard_and_cursor (void)
{
  g_autoptr(Sim) sim = sim_new (9, 800);
  g_autoptr(JsonNode) review = NULL;
  g_autoptr(JsonNode) action = NULL;
  g_autoptr(JsonNode) wizard = NULL;
  g_autoptr(JsonNode) done = NULL;
  g_autoptr(JsonNode) changed = NULL;
  g_autofree char *body = NULL;
  g_autofree char *context = NULL;
  JsonObject *act;
  gint64 res_id, review_id;

  /* The invoice discrepancy definition asks for a comment. */
  review = call (sim, "admin", "tier.review", "search_read",
                 "{\"domain\": [[\"status\", \"=\", \"pending\"], [\"model\", \"=\", \"account.move\"],"
                 " [\"reviewer_ids\", \"in\", [7]]], \"fields\": [\"res_id\", \"write_date\"], \"limit\": 1}", NULL);
  res_id = json_object_get_int_member (json_array_get_object_element (json_node_get_array (review), 0), "res_id");
  review_id = json_object_get_int_member (json_array_get_object_element (json_node_get_array (review), 0), "id");
  g_assert_nonnull (json_object_get_string_member (json_array_get_object_element (json_node_get_array (review), 0),
                                                   "write_date"));
  body = g_strdup_printf ("{\"ids\": [%" G_GINT64_FORMAT "]}", res_id);
  action = call (sim, "approver", "account.move", "validate_tier", body, NULL);
  act = json_node_get_object (action);
  g_assert_cmpstr (json_object_get_string_member (act, "res_model"), ==, "comment.wizard");
  context = json_to_string (json_object_get_member (act, "context"), FALSE);
  g_free (body);
  body = g_strdup_printf ("{\"vals_list\": [{\"comment\": \"Checked against the PO\"}], \"context\": %s}", context);
  wizard = call (sim, "approver", "comment.wizard", "create", body, NULL);
  g_free (body);
  body = g_strdup_printf ("{\"ids\": [%" G_GINT64_FORMAT "]}",
                          json_array_get_int_element (json_node_get_array (wizard), 0));
  done = call (sim, "approver", "comment.wizard", "add_comment", body, NULL);
  g_assert_true (JSON_NODE_HOLDS_NULL (done));

  /* The decision shows up in a "changed since" sync. */
  g_free (body);
  body = g_strdup_printf ("{\"domain\": [[\"write_date\", \">=\", \"2026-11-26 12:00:00\"], [\"id\", \"=\", %"
                          G_GINT64_FORMAT "]], \"fields\": [\"status\", \"comment\", \"done_by\"]}", review_id);
  changed = call (sim, "admin", "tier.review", "search_read", body, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (changed)), ==, 1);
  act = json_array_get_object_element (json_node_get_array (changed), 0);
  g_assert_cmpstr (json_object_get_string_member (act, "status"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (act, "comment"), ==, "Checked against the PO");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/sim/distributor/users-and-keys", test_users_and_keys);
  g_test_add_func ("/ct/sim/distributor/deterministic", test_deterministic);
  g_test_add_func ("/ct/sim/distributor/all-mechanisms-and-ages", test_all_mechanisms_and_ages);
  g_test_add_func ("/ct/sim/distributor/decide", test_decide);
  g_test_add_func ("/ct/sim/distributor/looks-like-a-distributor", test_looks_like_a_distributor);
  g_test_add_func ("/ct/sim/distributor/comment-wizard-and-cursor", test_comment_wizard_and_cursor);

  return g_test_run ();
}
