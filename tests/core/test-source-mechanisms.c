/* test-source-mechanisms.c - Each case source against ct-sim (recorded dataset)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ct-incident.h"
#include "test-sources-fixture.h"

static CtRequirement *
requirement (CtCase     *c,
             const char *source_ref)
{
  for (guint i = 0; i < c->requirements->len; i++)
    {
      CtRequirement *r = c->requirements->pdata[i];

      if (g_strcmp0 (r->source_ref, source_ref) == 0)
        return r;
    }
  return NULL;
}

static CtCase *
fetch_case (CtSource   *source,
            const char *key,
            GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ct_source_fetch_case_async (source, key, NULL, store_result, &result);
  wait_for (&result);
  return ct_source_fetch_case_finish (source, result, error);
}

static void
test_double_validation (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(CtSource) source = ct_source_double_validation_new (fx->client, fx->profile);
  g_autoptr(CtSourceBatch) full = NULL;
  g_autoptr(CtSourceBatch) delta = NULL;
  g_autoptr(CtCase) gone = NULL;
  g_autoptr(CtCase) still = NULL;
  g_autoptr(GError) error = NULL;
  static const gint64 expected[] = { 12, 13, 14, 15, 101, 102, 103, 104, 109, 110, 111, 112 };
  CtCase *c;

  full = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (full->complete);
  g_assert_nonnull (full->cursor);
  g_assert_cmpuint (full->cases->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *key = ct_case_make_key ("purchase.order", expected[i]);

      c = batch_find (full, key);
      g_assert_nonnull (c);
      g_assert_cmpstr (c->area_id, ==, "procurement");
      g_assert_cmpstr (c->queue_id, ==, "purchase-double");
      g_assert_cmpint (c->status, ==, CT_CASE_STATUS_PENDING);
      g_assert_cmpuint (c->requirements->len, ==, 1);
      g_assert_cmpint (((CtRequirement *)c->requirements->pdata[0])->source, ==,
                       CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION);
      g_assert_cmpint (c->requested_at, >, 0);
    }
  c = batch_find (full, "purchase.order:13");
  g_assert_cmpstr (c->reference, ==, "P00013");
  g_assert_cmpfloat (c->amount, ==, 10 * 800);
  g_assert_nonnull (c->partner.name);

  /* Approved elsewhere (the manager, in Odoo): the next incremental read
   * says it is gone and leaves the others alone. */
  fixture_call_ok (fx->client, "purchase.order", "button_approve", 13, NULL);
  delta = fixture_fetch (source, full->cursor, &error);
  g_assert_no_error (error);
  g_assert_false (delta->complete);
  g_assert_true (batch_has_gone (delta, "purchase.order:13"));
  g_assert_null (batch_find (delta, "purchase.order:13"));
  g_assert_cmpuint (delta->cases->len, <, full->cases->len);

  gone = fetch_case (source, "purchase.order:13", &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  still = fetch_case (source, "purchase.order:12", &error);
  g_assert_no_error (error);
  g_assert_nonnull (still);
  g_assert_cmpstr (still->reference, ==, "P00012");
}

static void
test_tier (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(CtSource) source = ct_source_tier_new (fx->client, fx->profile);
  g_autoptr(CtOdooClient) purchaser = fixture_connect (fx, "purchaser");
  g_autoptr(CtSourceBatch) full = NULL;
  g_autoptr(CtSourceBatch) after = NULL;
  g_autoptr(CtCase) gone = NULL;
  g_autoptr(GError) error = NULL;
  CtRequirement *r;
  CtCase *c;

  full = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (full->complete);
  g_assert_cmpuint (full->cases->len, ==, 3);
  for (gint64 id = 109; id <= 111; id++)
    {
      g_autofree char *key = ct_case_make_key ("purchase.order", id);
      g_autofree char *ref = g_strdup_printf ("tier.review:%" G_GINT64_FORMAT, id - 106);

      c = batch_find (full, key);
      g_assert_nonnull (c);
      g_assert_cmpint (c->status, ==, CT_CASE_STATUS_PENDING);
      r = requirement (c, ref);
      g_assert_nonnull (r);
      g_assert_cmpint (r->source, ==, CT_SOURCE_KIND_TIER_VALIDATION);
      g_assert_cmpint (r->state, ==, CT_APPROVER_STATE_PENDING);
      g_assert_cmpstr (r->approver, ==, "Paula Purchaser");
      g_assert_cmpstr (c->queue_id, ==, "purchase-tier");
    }
  /* The order approved through tier validation before is not pending. */
  g_assert_null (batch_find (full, "purchase.order:107"));

  /* The reviewer validates 110 in Odoo: it leaves this source. */
  fixture_call_ok (purchaser, "purchase.order", "validate_tier", 110, NULL);
  after = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->cases->len, ==, 2);
  g_assert_null (batch_find (after, "purchase.order:110"));
  gone = fetch_case (source, "purchase.order:110", &error);
  g_assert_no_error (error);
  g_assert_null (gone);
}

static void
test_tier_upcoming (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(CtSource) source = ct_source_tier_new (fx->client, fx->profile);
  g_autoptr(CtSourceBatch) first = NULL;
  g_autoptr(CtSourceBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  CtCase *c;

  /* A second tier on 112 that waits for an earlier one: upcoming. */
  fixture_create (fx->client, "tier.review",
                  "{\"model\": \"purchase.order\", \"res_id\": 112, \"definition_id\": 1,"
                  " \"status\": \"waiting\", \"sequence\": 2, \"reviewer_id\": 2}");
  first = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first->cursor);
  c = batch_find (first, "purchase.order:112");
  g_assert_nonnull (c);
  g_assert_cmpint (c->status, ==, CT_CASE_STATUS_UPCOMING);
  g_assert_cmpuint (c->requirements->len, ==, 1);
  g_assert_cmpint (((CtRequirement *)c->requirements->pdata[0])->state, ==,
                   CT_APPROVER_STATE_WAITING);
  g_assert_cmpint (batch_find (first, "purchase.order:109")->status, ==, CT_CASE_STATUS_PENDING);

  /* A review requested on 108 afterwards: the incremental read brings it
   * and leaves the untouched reviews of 109-111 out. */
  fixture_create (fx->client, "tier.review",
                  "{\"model\": \"purchase.order\", \"res_id\": 108, \"definition_id\": 1,"
                  " \"status\": \"pending\", \"sequence\": 1, \"reviewer_id\": 7}");
  batch = fixture_fetch (source, first->cursor, &error);
  g_assert_no_error (error);
  g_assert_false (batch->complete);
  g_assert_nonnull (batch_find (batch, "purchase.order:108"));
  g_assert_cmpint (batch_find (batch, "purchase.order:108")->status, ==, CT_CASE_STATUS_PENDING);
  g_assert_null (batch_find (batch, "purchase.order:109"));
}

static gint64
create_request (Fixture    *fx,
                gboolean    sequential,
                const char *category_name)
{
  g_autofree char *category = g_strdup_printf ("{\"name\": \"%s\", \"approver_sequence\": %s,"
                                               " \"approval_minimum\": 2}",
                                               category_name, sequential ? "true" : "false");
  gint64 category_id = fixture_create (fx->client, "approval.category", category);
  g_autofree char *request = g_strdup_printf (
    "{\"name\": \"Release Acme's order\", \"category_id\": %" G_GINT64_FORMAT ","
    " \"request_owner_id\": 7, \"amount\": 12400, \"partner_id\": 9,"
    " \"approver_ids\": [[0, 0, {\"user_id\": 2, \"sequence\": 1, \"status\": \"new\"}],"
    "                    [0, 0, {\"user_id\": 7, \"sequence\": 2, \"status\": \"new\"}]]}",
    category_id);
  gint64 id = fixture_create (fx->client, "approval.request", request);

  fixture_call_ok (fx->client, "approval.request", "action_confirm", id, NULL);
  return id;
}

static void
test_approvals (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(CtSource) source = ct_source_approvals_new (fx->client, fx->profile);
  g_autoptr(CtSourceBatch) batch = NULL;
  g_autoptr(CtSourceBatch) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 sequential = create_request (fx, TRUE, "Credit release");
  gint64 parallel = create_request (fx, FALSE, "Vendor onboarding");
  g_autofree char *seq_key = ct_case_make_key ("approval.request", sequential);
  g_autofree char *par_key = ct_case_make_key ("approval.request", parallel);
  CtCase *c;

  batch = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->cases->len, ==, 2);

  c = batch_find (batch, seq_key);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->area_id, ==, "credit");
  g_assert_cmpfloat (c->amount, ==, 12400);
  g_assert_cmpint (c->status, ==, CT_CASE_STATUS_PENDING);
  g_assert_cmpuint (c->requirements->len, ==, 2);
  /* Sequential: the second approver waits for the first. */
  g_assert_cmpint (((CtRequirement *)c->requirements->pdata[0])->state, ==,
                   CT_APPROVER_STATE_PENDING);
  g_assert_cmpint (((CtRequirement *)c->requirements->pdata[1])->state, ==,
                   CT_APPROVER_STATE_WAITING);
  g_assert_cmpstr (((CtRequirement *)c->requirements->pdata[1])->approver, ==, "Paula Purchaser");

  c = batch_find (batch, par_key);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->area_id, ==, "vendors");
  g_assert_cmpuint (c->requirements->len, ==, 2);
  /* Parallel: both may act now. */
  g_assert_cmpint (((CtRequirement *)c->requirements->pdata[0])->state, ==,
                   CT_APPROVER_STATE_PENDING);
  g_assert_cmpint (((CtRequirement *)c->requirements->pdata[1])->state, ==,
                   CT_APPROVER_STATE_PENDING);

  /* Refused in Odoo: the request leaves. */
  fixture_call_ok (fx->client, "approval.request", "action_refuse", sequential, NULL);
  after = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (batch_find (after, seq_key));
  g_assert_nonnull (batch_find (after, par_key));
}

static void
test_activity (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(CtSource) source = ct_source_activity_new (fx->client, fx->profile);
  g_autoptr(CtSourceBatch) before = NULL;
  g_autoptr(CtSourceBatch) batch = NULL;
  g_autoptr(CtSourceBatch) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) feedback = json_object_new ();
  g_autofree char *vals = NULL;
  gint64 type, activity;
  CtCase *c;

  /* The recorded database has no approval activity type. The activity is
   * made with res_model_id only, as the recorded transcript does: res_model
   * is a stored related field, filled from it (never read from ir.model). */
  before = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->cases->len, ==, 0);

  type = fixture_create (fx->client, "mail.activity.type", "{\"name\": \"Approval\"}");
  vals = g_strdup_printf ("{\"res_model_id\": 592, \"res_id\": 14, \"activity_type_id\": %"
                          G_GINT64_FORMAT ", \"user_id\": 7,"
                          " \"summary\": \"Approve <b>P00014</b>\","
                          " \"date_deadline\": \"2026-12-01\"}", type);
  activity = fixture_create (fx->client, "mail.activity", vals);
  batch = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (batch->complete);
  g_assert_cmpuint (batch->cases->len, ==, 1);
  c = batch_find (batch, "purchase.order:14");
  g_assert_nonnull (c);
  g_assert_cmpstr (c->area_id, ==, "credit");
  /* Markup in a name stays text. */
  g_assert_cmpstr (c->title, ==, "Approve <b>P00014</b>");
  g_assert_cmpuint (c->requirements->len, ==, 1);
  g_assert_cmpstr (((CtRequirement *)c->requirements->pdata[0])->approver, ==, "Paula Purchaser");
  /* The order's amount and partner, which the activity does not carry,
   * read from the order as the purchase queues map it. */
  {
    g_autoptr(JsonArray) domain = json_array_new ();
    g_autoptr(JsonArray) rows = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    static const char *const fields[] = { "amount_total", "partner_id", NULL };
    JsonObject *order;
    g_autoptr(CtSourceBatch) again = NULL;

    ct_source_domain_add (domain, "id", "=", json_node_init_int (json_node_alloc (), 14));
    ct_odoo_client_search_read_async (fx->client, "purchase.order", domain, fields, "id", 0, 0,
                                      NULL, store_result, &result);
    wait_for (&result);
    rows = ct_odoo_client_search_read_finish (fx->client, result, &error);
    g_assert_no_error (error);
    order = json_array_get_object_element (rows, 0);
    g_assert_cmpfloat (c->amount, ==, json_object_get_double_member (order, "amount_total"));
    g_assert_cmpfloat (c->amount, >, 0);
    g_assert_cmpstr (c->partner.name, ==,
                     json_array_get_string_element (json_object_get_array_member (order,
                                                                                  "partner_id"), 1));
    /* Known now: the next read asks for the activities only. */
    ct_sim_server_reset_counts (fx->sim);
    again = fixture_fetch (source, NULL, &error);
    g_assert_no_error (error);
    c = batch_find (again, "purchase.order:14");
    g_assert_nonnull (c);
    g_assert_cmpfloat (c->amount, >, 0);
    g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/json/2/purchase.order"), ==, 0);
    g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/json/2/mail.activity"), ==, 1);
  }

  /* Marked done in Odoo: Odoo deletes the activity; a full read notices. */
  json_object_set_string_member (feedback, "feedback", "ok");
  fixture_call_ok (fx->client, "mail.activity", "action_feedback", activity, feedback);
  after = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (after->complete);
  g_assert_null (batch_find (after, "purchase.order:14"));
}

static void
test_odoo_incidents (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(CtSource) source = ct_source_odoo_incidents_new (fx->client, fx->profile);
  g_autoptr(CtSource) jobs = ct_source_queue_jobs_new (fx->client, fx->profile);
  g_autoptr(CtSourceBatch) jobs_batch = NULL;
  g_autoptr(CtSourceBatch) before = NULL;
  g_autoptr(CtSourceBatch) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) kwargs = json_object_new ();
  JsonObject *vals = json_object_new ();
  CtCase *c;

  before = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (before->complete);
  g_assert_null (batch_find (before, "ir.cron:1"));

  /* Cron 1 stops running: its next call lies an hour in the past. */
  json_object_set_string_member (vals, "nextcall", "2020-01-01 08:00:00");
  json_object_set_object_member (kwargs, "vals", vals);
  fixture_call_ok (fx->client, "ir.cron", "write", 1, kwargs);
  /* Cron 2 keeps failing (failure_count exists on 18.0+ and in ct-sim). */
  {
    g_autoptr(JsonObject) kw = json_object_new ();
    JsonObject *v = json_object_new ();

    json_object_set_int_member (v, "failure_count", 3);
    json_object_set_string_member (v, "first_failure_date", "2026-11-20 08:00:00");
    json_object_set_object_member (kw, "vals", v);
    fixture_call_ok (fx->client, "ir.cron", "write", 2, kw);
  }
  /* An OCA queue job failed on order 13. */
  fixture_create (fx->client, "queue.job",
                  "{\"name\": \"Send order to the carrier\", \"model_name\": \"purchase.order\","
                  " \"method_name\": \"action_send\", \"record_ids\": [13], \"state\": \"failed\","
                  " \"exc_message\": \"Carrier API timeout\","
                  " \"date_started\": \"2026-11-26 10:00:00\"}");
  after = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  jobs_batch = fixture_fetch (jobs, NULL, &error);
  g_assert_no_error (error);
  /* Each source reads its own model only. */
  g_assert_null (batch_find (after, "queue.job:1"));
  g_assert_null (batch_find (jobs_batch, "ir.cron:1"));
  c = batch_find (after, "ir.cron:1");
  g_assert_nonnull (c);
  g_assert_cmpint (c->kind, ==, CT_CASE_KIND_INCIDENT);
  g_assert_cmpint (c->incident_kind, ==, CT_INCIDENT_CRON_OVERDUE);
  c = batch_find (after, "ir.cron:2");
  g_assert_nonnull (c);
  g_assert_cmpint (c->incident_kind, ==, CT_INCIDENT_CRON_FAILING);
  c = batch_find (jobs_batch, "queue.job:1");
  g_assert_nonnull (c);
  g_assert_cmpint (c->incident_kind, ==, CT_INCIDENT_QUEUE_JOB_FAILED);
  /* The job holds up the order it worked on. */
  g_assert_cmpuint (c->linked_keys->len, ==, 1);
  g_assert_cmpstr (c->linked_keys->pdata[0], ==, "purchase.order:13");
}

static void
test_bad_answers (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(CtSource) source = ct_source_double_validation_new (fx->client, fx->profile);
  g_autoptr(CtSource) n8n = ct_source_n8n_incidents_new (fx->n8n,
                                                         ct_sim_server_get_n8n_api_key (fx->sim),
                                                         fx->url, fx->profile);
  CtSimFaults *faults = ct_sim_server_get_faults (fx->sim);
  static const char *const specs[] = { "badjson@/json/2/purchase.order", "http500@/json/2",
                                       "truncate@/json/2", "http502@/api/v1", "badjson@/api/v1" };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr(CtSourceBatch) batch = NULL;
      g_autoptr(GError) error = NULL;
      CtSource *target = g_str_has_suffix (specs[i], "/api/v1") ? n8n : source;

      ct_sim_faults_clear (faults);
      g_assert_true (ct_sim_faults_parse (faults, specs[i], NULL));
      batch = fixture_fetch (target, NULL, &error);
      g_assert_null (batch);
      g_assert_error (error, CT_ODOO_ERROR, error->code);
      g_assert_true (error->code == CT_ODOO_ERROR_PROTOCOL || error->code == CT_ODOO_ERROR_SERVER ||
                     error->code == CT_ODOO_ERROR_NETWORK);
      /* No secret in what the user reads. */
      g_assert_null (strstr (error->message, ct_sim_server_get_api_key (fx->sim, "admin")));
      g_assert_null (strstr (error->message, ct_sim_server_get_n8n_api_key (fx->sim)));
    }
  ct_sim_faults_clear (faults);
}

static void
test_unavailable (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(CtSource) tier = ct_source_tier_new (fx->client, fx->profile);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCase) none = NULL;
  gboolean available = FALSE;

  /* The decision slot acts only on a requirement of this user: a case
   * with none is refused, and nothing is sent. Asked before the probe,
   * whose prefetched schemas may still be in flight once it returns. */
  {
    g_autoptr(GAsyncResult) decided = NULL;
    g_autoptr(CtCase) c = ct_case_new ("purchase.order", 110);

    ct_sim_server_reset_counts (fx->sim);
    ct_source_apply_decision_async (tier, c, "approve", NULL, NULL, store_result, &decided);
    wait_for (&decided);
    g_assert_false (ct_source_apply_decision_finish (tier, decided, &error));
    g_assert_error (error, CT_SOURCE_ERROR, CT_SOURCE_ERROR_INVALID);
    g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, NULL), ==, 0);
    g_clear_error (&error);
  }

  ct_source_probe_async (tier, NULL, store_result, &result);
  wait_for (&result);
  g_assert_true (ct_source_probe_finish (tier, result, &available, &error));
  g_assert_no_error (error);
  g_assert_true (available);

  none = fetch_case (tier, "not a key", &error);
  g_assert_error (error, CT_SOURCE_ERROR, CT_SOURCE_ERROR_INVALID);
  g_assert_null (none);
  g_clear_error (&error);
}

static void
test_missing_model (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("CT_SOURCE_ROOT"), "data", "profiles",
                                            "default.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(CtProfile) profile = NULL;
  g_autoptr(CtSource) source = NULL;
  g_autoptr(CtSourceBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *edited = NULL;
  JsonObject *queue;

  /* A queue on a model this database does not have (say, manufacturing
   * orders): the tier source skips it and reads the others. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  queue = json_object_new ();
  json_object_set_string_member (queue, "id", "mrp-tier");
  json_object_set_string_member (queue, "label", "Manufacturing orders under tier review");
  json_object_set_string_member (queue, "source", "tier-validation");
  json_object_set_string_member (queue, "model", "mrp.production");
  json_object_set_string_member (queue, "area", "inventory");
  json_array_add_object_element (json_object_get_array_member (json_node_get_object (root),
                                                               "queues"), queue);
  edited = json_to_string (root, FALSE);
  profile = ct_profile_new_from_data (edited, -1, "edited.json", &error);
  g_assert_no_error (error);

  source = ct_source_tier_new (fx->client, profile);
  batch = fixture_fetch (source, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->cases->len, ==, 3);
}

/* A server that ignores the "id" conditions of its reads: every
 * search_read answers with the first rows of the model, up to its limit.
 * Just enough JSON-2 to sign in. */
/* Whether the stub answers 403 to purchase.order's search_count, as for a
 * user without purchase rights; the paging test reads purchase.order. */
static gboolean purchase_forbidden = TRUE;

static void
ignoring_server_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  guint *searches = user_data;
  g_autoptr(GString) body = g_string_new (NULL);

  if (g_strcmp0 (path, "/json/version") == 0)
    g_string_append (body, "{\"version\": \"19.0\", \"version_info\": [19, 0, 0, \"final\", 0, \"\"]}");
  else if (g_str_has_suffix (path, "/context_get"))
    g_string_append (body, "{\"uid\": 2, \"lang\": \"en_US\", \"tz\": \"UTC\"}");
  else if (g_str_has_suffix (path, "/res.users/read"))
    g_string_append (body, "[{\"id\": 2, \"company_id\": [1, \"Company\"], \"company_ids\": [1]}]");
  else if (g_str_has_suffix (path, "/fields_get"))
    g_string_append (body, "{\"id\": {\"type\": \"integer\"}}");
  else if (purchase_forbidden && g_strcmp0 (path, "/json/2/purchase.order/search_count") == 0)
    {
      /* as the recorded 08-03 answers for a user without the right */
      soup_server_message_set_status (msg, 403, NULL);
      g_string_append (body, "{\"name\": \"odoo.exceptions.AccessError\", \"message\": "
                       "\"You are not allowed to access 'Purchase Order' (purchase.order) "
                       "records.\\n\\nThis operation is allowed for the following groups:\\n"
                       "\\t- Purchase/User\\n\\t- Inventory/Administrator\\n\\nContact your "
                       "administrator to request access if necessary.\", \"arguments\": [], "
                       "\"context\": {}, \"debug\": \"\"}");
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body->str,
                                        body->len);
      return;
    }
  else if (g_strcmp0 (path, "/json/2/approval.request/search_count") == 0)
    {
      /* 08-14: a model that is not installed */
      soup_server_message_set_status (msg, 404, NULL);
      g_string_append (body, "{\"name\": \"werkzeug.exceptions.NotFound\", \"message\": "
                       "\"the model 'approval.request' does not exist\", \"arguments\": [], "
                       "\"context\": {}, \"debug\": \"\"}");
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body->str,
                                        body->len);
      return;
    }
  else if (g_str_has_suffix (path, "/search_count"))
    g_string_append (body, "3");
  else if (g_str_has_suffix (path, "/search_read"))
    {
      SoupMessageBody *request = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
      g_autoptr(JsonNode) kwargs = json_from_string (g_bytes_get_data (bytes, NULL), NULL);
      gint64 limit = kwargs != NULL && JSON_NODE_HOLDS_OBJECT (kwargs)
                     ? json_object_get_int_member_with_default (json_node_get_object (kwargs),
                                                                "limit", 0) : 0;

      /* the orders' pages (not the sign-in's or the schemas' reads) */
      if (g_str_has_prefix (path, "/json/2/purchase.order/"))
        (*searches)++;
      g_string_append_c (body, '[');
      for (gint64 id = 1; id <= MIN (limit > 0 ? limit : 6000, 6000); id++)
        g_string_append_printf (body, "%s{\"id\": %" G_GINT64_FORMAT "}", id > 1 ? ", " : "", id);
      g_string_append_c (body, ']');
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body->str,
                                    body->len);
}

/* A client signed in to @server (ignoring_server_cb). */
static CtOdooClient *
connect_to_ignoring_server (SoupServer *server)
{
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;

  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_free (connection->odoo_url);
  connection->odoo_url = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify)g_uri_unref);
  g_free (connection->database);
  connection->database = g_strdup ("broken");
  g_free (connection->login);
  connection->login = g_strdup ("admin");
  connection->secret_kind = CT_SECRET_KIND_API_KEY;
  ct_odoo_client_set_read_attempts (client, 1);
  /* a loaded machine (the sanitizer build) is slow, not broken */
  ct_odoo_client_set_timeouts (client, 60000, 60000);
  ct_odoo_client_connect_async (client, connection, "key", NULL, store_result, &result);
  wait_for (&result);
  g_assert_true (ct_odoo_client_connect_finish (client, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static void
test_paging_server_ignores_id (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(CtOdooClient) client = NULL;
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  g_autoptr(CtSource) source = NULL;
  g_autoptr(CtSourceBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  guint searches = 0;

  purchase_forbidden = FALSE;
  soup_server_add_handler (server, NULL, ignoring_server_cb, &searches, NULL);
  client = connect_to_ignoring_server (server);

  /* Double validation reads the ids of its queue, then the orders in id
   * ranges of 5 000: the second range answers the first rows again. A
   * protocol error that says so, not a refresh that never ends. */
  source = ct_source_double_validation_new (client, profile);
  batch = fixture_fetch (source, NULL, &error);
  g_assert_null (batch);
  g_assert_error (error, CT_ODOO_ERROR, CT_ODOO_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "purchase.order"));
  g_assert_nonnull (strstr (error->message, "outside the range of ids"));
  g_assert_cmpuint (searches, <=, 3);
  purchase_forbidden = TRUE;
}

/* The source contract, seen from a mechanism: its _async functions make
 * and own their tasks, may set task data of their own and may answer later;
 * the base class neither lends them a task nor keeps state in one. */
#define TEST_TYPE_SOURCE (test_source_get_type ())
G_DECLARE_FINAL_TYPE (TestSource, test_source, TEST, SOURCE, CtSource)

struct _TestSource
{
  CtSource parent_instance;
};

G_DEFINE_FINAL_TYPE (TestSource, test_source, CT_TYPE_SOURCE)

static gboolean
fetch_later_cb (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  CtSourceBatch *batch = g_new0 (CtSourceBatch, 1);
  g_autofree char *model = NULL;
  gint64 id = 0;

  g_assert_true (ct_source_parse_key (g_task_get_task_data (task), &model, &id));
  batch->cases = g_ptr_array_new_with_free_func (g_object_unref);
  batch->gone = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (batch->cases, ct_case_new (model, id));
  g_task_return_pointer (task, batch, (GDestroyNotify)ct_source_batch_free);
  return G_SOURCE_REMOVE;
}

static void
test_source_fetch_async (CtSource            *self,
                         const char          *cursor,
                         const char          *key,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, g_strdup (key != NULL ? key : "purchase.order:7"), g_free);
  g_idle_add (fetch_later_cb, task);
}

static gboolean
decide_later_cb (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;

  g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

static void
test_source_apply_decision_async (CtSource            *self,
                                  CtCase              *c,
                                  const char          *outcome,
                                  const char          *comment,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_idle_add (decide_later_cb, g_task_new (self, cancellable, callback, user_data));
}

static void
test_source_class_init (TestSourceClass *klass)
{
  CT_SOURCE_CLASS (klass)->fetch_async = test_source_fetch_async;
  CT_SOURCE_CLASS (klass)->apply_decision_async = test_source_apply_decision_async;
}

static void
test_source_init (TestSource *self)
{
}

static void
test_contract (void)
{
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  CtSource *source = g_object_new (TEST_TYPE_SOURCE, NULL);
  g_autoptr(GError) error = NULL;

  ct_source_setup (source, CT_SOURCE_KIND_ACTIVITY, NULL, NULL, profile, NULL);
  {
    g_autoptr(CtSourceBatch) batch = fixture_fetch (source, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (batch_find (batch, "purchase.order:7"));
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(CtCase) c = NULL;

    ct_source_fetch_case_async (source, "sale.order:3", NULL, store_result, &result);
    wait_for (&result);
    c = ct_source_fetch_case_finish (source, result, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (c->key, ==, "sale.order:3");
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(CtCase) c = ct_case_new ("sale.order", 3);

    ct_source_apply_decision_async (source, c, "approve", NULL, NULL, store_result, &result);
    wait_for (&result);
    g_assert_true (ct_source_apply_decision_finish (source, result, &error));
    g_assert_no_error (error);
  }
  g_assert_finalize_object (source);
}

static gboolean
probe (CtSource *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean available = TRUE;

  ct_source_probe_async (source, NULL, store_result, &result);
  wait_for (&result);
  g_assert_true (ct_source_probe_finish (source, result, &available, &error));
  g_assert_no_error (error);
  return available;
}

/* Availability per user, the way the recorded server answers a
 * search_count: 404 for a model not installed, 403 naming the groups for
 * one this user may not read. Never an ir.model read. */
static void
test_probe_per_user (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(CtOdooClient) client = NULL;
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  g_autoptr(CtSource) double_validation = NULL;
  g_autoptr(CtSource) approvals = NULL;
  g_autoptr(CtSource) activity = NULL;
  guint searches = 0;
  const char *reason;

  soup_server_add_handler (server, NULL, ignoring_server_cb, &searches, NULL);
  client = connect_to_ignoring_server (server);
  double_validation = ct_source_double_validation_new (client, profile);
  approvals = ct_source_approvals_new (client, profile);
  activity = ct_source_activity_new (client, profile);

  g_assert_false (probe (double_validation));
  reason = ct_source_get_unavailable_reason (double_validation);
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "not visible to you"));
  g_assert_nonnull (strstr (reason, "Purchase/User, Inventory/Administrator"));

  g_assert_false (probe (approvals));
  reason = ct_source_get_unavailable_reason (approvals);
  g_assert_nonnull (strstr (reason, "not installed"));
  g_assert_nonnull (strstr (reason, "approval.request"));

  g_assert_true (probe (activity));
  g_assert_null (ct_source_get_unavailable_reason (activity));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ct/core/source/double-validation/decided-elsewhere", test_double_validation);
  ADD ("/ct/core/source/tier/pending-and-decided", test_tier);
  ADD ("/ct/core/source/tier/waiting-is-upcoming", test_tier_upcoming);
  ADD ("/ct/core/source/approvals/sequential-and-parallel", test_approvals);
  ADD ("/ct/core/source/activity/open-and-done", test_activity);
  ADD ("/ct/core/source/incidents/crons-and-queue-jobs", test_odoo_incidents);
  ADD ("/ct/core/source/bad-answers", test_bad_answers);
  ADD ("/ct/core/source/probe-and-bad-key", test_unavailable);
  ADD ("/ct/core/source/tier/missing-model", test_missing_model);
#undef ADD
  g_test_add_func ("/ct/core/source/paging/server-ignores-id", test_paging_server_ignores_id);
  g_test_add_func ("/ct/core/source/contract/own-tasks", test_contract);
  g_test_add_func ("/ct/core/source/probe/per-user", test_probe_per_user);

  return g_test_run ();
}
