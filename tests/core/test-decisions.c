/* test-decisions.c - Every outcome through every mechanism against ct-sim, and the safety rules
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test decides as a user would (admin, uid 2, a purchase manager; or
 * purchaser, uid 7, who requested the recorded orders) and then reads the
 * server back on its own: the record's state, the structured chatter note
 * with the correlation id, the activity — never our own objects alone.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "ct-decisions.h"
#include "test-sources-fixture.h"

typedef struct
{
  Fixture      fx;
  char        *dir;
  CtJournal   *journal;
  CtDecisions *decisions;     /* as admin */
} DFixture;

/* The default profile with @target in place of the standard chain's
 * first level, or with every chain by login when @target is NULL. */
static CtProfile *profile_with_target (const char *target);

static CtProfile *
profile_with_chain (void)
{
  return profile_with_target (NULL);
}

static CtProfile *
profile_with_target (const char *target)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/com/sysgenpro/ControlTower/core/profiles/default.json",
                                                     0, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *chains;
  CtProfile *profile;

  g_assert_nonnull (bytes);
  root = json_from_string (g_bytes_get_data (bytes, NULL), &error);
  g_assert_no_error (error);
  /* Every chain by login, so the levels name known users; the default
   * profile's group targets are resolved in escalate-to-group. */
  chains = json_object_get_array_member (json_node_get_object (root), "escalations");
  for (guint i = 0; i < json_array_get_length (chains); i++)
    {
      JsonObject *chain = json_array_get_object_element (chains, i);
      JsonArray *levels = json_object_get_array_member (chain, "levels");

      for (guint l = 0; l < json_array_get_length (levels); l++)
        {
          JsonArray *targets = json_array_new ();

          if (target != NULL)
            {
              json_array_add_string_element (targets, l == 0 ? target : "user:demo");
              json_object_set_array_member (json_array_get_object_element (levels, l), "targets",
                                            targets);
              continue;
            }
          json_array_add_string_element (targets, l == 0 ? "user:purchaser" : "user:demo");
          json_object_set_array_member (json_array_get_object_element (levels, l), "targets",
                                        targets);
        }
    }
  text = json_to_string (root, FALSE);
  profile = ct_profile_new_from_data (text, -1, "test", &error);
  g_assert_no_error (error);
  return profile;
}

static void
d_set_up (DFixture      *d,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_set_up (&d->fx, data);
  g_clear_object (&d->fx.profile);
  d->fx.profile = profile_with_chain ();
  d->dir = g_dir_make_tmp ("ct-decisions-XXXXXX", &error);
  g_assert_no_error (error);
  d->journal = ct_journal_open (d->dir, &error);
  g_assert_no_error (error);
  d->decisions = ct_decisions_new (d->fx.client, d->fx.profile, d->journal, NULL, "admin");
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) gd = g_dir_open (dir, 0, NULL);
  const char *name;

  while (gd && (name = g_dir_read_name (gd)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);

      g_unlink (p);
    }
  g_rmdir (dir);
}

static void
d_tear_down (DFixture      *d,
             gconstpointer  data)
{
  g_assert_finalize_object (d->decisions);
  g_assert_finalize_object (d->journal);
  remove_tree (d->dir);
  g_free (d->dir);
  fixture_tear_down (&d->fx, data);
}

/* The case as the sources see it now, merged across mechanisms. */
static CtCase *
read_case (DFixture     *d,
           CtOdooClient *client,
           const char   *key)
{
  CtSource *sources[] = {
    ct_source_tier_new (client, d->fx.profile),
    ct_source_double_validation_new (client, d->fx.profile),
    ct_source_approvals_new (client, d->fx.profile),
    ct_source_activity_new (client, d->fx.profile),
  };
  CtCase *merged = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CtCase) c = NULL;

      /* Each source alone says whether the record is open there; a source
       * whose models this database lacks answers with an error. */
      ct_source_fetch_case_async (sources[i], key, NULL, store_result, &result);
      wait_for (&result);
      c = ct_source_fetch_case_finish (sources[i], result, &error);
      if (error != NULL)
        g_test_message ("%s: %s", ct_source_get_name (sources[i]), error->message);
      if (c != NULL && merged == NULL)
        merged = g_object_ref (c);
      else if (c != NULL)
        ct_case_merge (merged, c);
      g_object_unref (sources[i]);
    }
  g_assert_nonnull (merged);
  return merged;
}

static CtDecisionResult *
decide (CtDecisions             *decisions,
        CtCase                  *c,
        const CtDecisionRequest *request,
        GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ct_decisions_decide_async (decisions, c, request, NULL, store_result, &result);
  wait_for (&result);
  return ct_decisions_decide_finish (decisions, result, error);
}

static JsonObject *
read_record (CtOdooClient *client,
             const char   *model,
             gint64        id,
             const char   *fields_csv)
{
  g_auto(GStrv) fields = g_strsplit (fields_csv, ",", -1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = NULL;

  ct_odoo_client_read_async (client, model, &id, 1, (const char * const *) fields, NULL,
                             store_result, &result);
  wait_for (&result);
  rows = ct_odoo_client_read_finish (client, result, &error);
  g_assert_no_error (error);
  if (json_array_get_length (rows) == 0)
    return NULL;
  return json_object_ref (json_array_get_object_element (rows, 0));
}

static JsonArray *
search (CtOdooClient *client,
        const char   *model,
        const char   *domain_json,
        const char   *fields_csv)
{
  g_auto(GStrv) fields = g_strsplit (fields_csv, ",", -1);
  g_autoptr(JsonNode) domain = json_from_string (domain_json, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *rows;

  ct_odoo_client_search_read_async (client, model, json_node_get_array (domain),
                                    (const char * const *) fields, "id", 0, 0, NULL,
                                    store_result, &result);
  wait_for (&result);
  rows = ct_odoo_client_search_read_finish (client, result, &error);
  g_assert_no_error (error);
  return rows;
}

static char *
state_of (CtOdooClient *client,
          const char   *key)
{
  g_autofree char *model = NULL;
  gint64 id;
  g_autoptr(JsonObject) row = NULL;

  g_assert_true (ct_source_parse_key (key, &model, &id));
  row = read_record (client, model, id, "state");
  return g_strdup (json_object_get_string_member (row, "state"));
}

/* The structured note is on the record, with the correlation id, outcome
 * and what the user typed (escaped). */
static void
assert_note (CtOdooClient           *client,
             const CtDecisionResult *r,
             const char             *outcome,
             const char             *contains)
{
  g_autofree char *model = NULL;
  gint64 id;
  g_autofree char *domain = NULL;
  g_autoptr(JsonArray) rows = NULL;
  const char *body;

  g_assert_true (ct_source_parse_key (r->case_key, &model, &id));
  domain = g_strdup_printf ("[[\"model\", \"=\", \"%s\"], [\"res_id\", \"=\", %" G_GINT64_FORMAT "],"
                            " [\"body\", \"ilike\", \"%s\"]]", model, id, r->correlation_id);
  rows = search (client, "mail.message", domain, "body,subtype_id,message_type");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  body = json_object_get_string_member (json_array_get_object_element (rows, 0), "body");
  g_assert_nonnull (strstr (body, outcome));
  g_assert_nonnull (strstr (body, "admin"));
  if (contains != NULL)
    g_assert_nonnull (strstr (body, contains));
  g_assert_cmpint (r->message_id, >, 0);
}

static CtJournalEntry *
last_entry (DFixture *d)
{
  g_autoptr(GPtrArray) entries = ct_journal_list (d->journal, NULL, 1, NULL);

  g_assert_nonnull (entries);
  g_assert_cmpuint (entries->len, ==, 1);
  return g_ptr_array_steal_index (entries, 0);
}

/* ---- outcomes × mechanisms ---- */

static void
test_double_validation_approve (DFixture      *d,
                                gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:13");
  CtDecisionRequest request = { CT_DECISION_APPROVE, .comment = "Budget <ok> & signed" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = decide (d->decisions, c, &request, &error);
  g_autoptr(CtJournalEntry) entry = NULL;
  g_autofree char *state = NULL;

  g_assert_no_error (error);
  g_assert_true (r->verified);
  g_assert_false (r->answer_lost);
  g_assert_cmpstr (r->state, ==, "purchase");
  state = state_of (d->fx.client, "purchase.order:13");
  g_assert_cmpstr (state, ==, "purchase");
  /* Escaped in the note: the comment is text, not markup. */
  assert_note (d->fx.client, r, "approve", "Budget &lt;ok&gt; &amp; signed");
  entry = last_entry (d);
  g_assert_cmpstr (entry->outcome, ==, "approve");
  g_assert_cmpstr (entry->correlation_id, ==, r->correlation_id);
  g_assert_true (entry->succeeded);
  g_assert_cmpstr (entry->verified_state, ==, "purchase");
  g_assert_null (ct_journal_load_draft (d->journal, "purchase.order:13", NULL));
}

static void
test_double_validation_reject (DFixture      *d,
                               gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:101");
  CtDecisionRequest request = { CT_DECISION_REJECT };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autofree char *state = NULL;

  /* A rejection needs a comment: nothing is sent without one. */
  r = decide (d->decisions, c, &request, &error);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_INVALID);
  g_assert_null (r);
  g_clear_error (&error);
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, "/json/2/purchase.order/button_cancel"), ==, 0);

  request.comment = "Wrong vendor";
  r = decide (d->decisions, c, &request, &error);
  g_assert_no_error (error);
  g_assert_true (r->verified);
  state = state_of (d->fx.client, "purchase.order:101");
  g_assert_cmpstr (state, ==, "cancel");
  assert_note (d->fx.client, r, "reject", "Wrong vendor");
}

/* The tier definition's reviewer becomes admin, and TIER-003 (110) gets a
 * fresh pending review for admin. */
static void
tier_for_admin (DFixture *d,
                gboolean  with_comment)
{
  g_autoptr(CtOdooClient) purchaser = fixture_connect (&d->fx, "purchaser");
  g_autoptr(JsonObject) vals = json_object_new ();
  g_autoptr(JsonObject) kwargs = json_object_new ();
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_int_member (vals, "reviewer_id", 2);
  json_object_set_boolean_member (vals, "has_comment", with_comment);
  json_object_set_object_member (kwargs, "vals", json_object_ref (vals));
  json_array_add_int_element (ids, 1);
  node = fixture_call (d->fx.client, "tier.definition", "write", ids, kwargs, &error);
  g_assert_no_error (error);
  fixture_call_ok (purchaser, "purchase.order", "restart_validation", 110, NULL);
  fixture_call_ok (purchaser, "purchase.order", "request_validation", 110, NULL);
}

static void
test_tier_approve (DFixture      *d,
                   gconstpointer  data)
{
  g_autoptr(CtCase) c = NULL;
  CtDecisionRequest request = { CT_DECISION_APPROVE };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autoptr(JsonObject) order = NULL;

  tier_for_admin (d, FALSE);
  c = read_case (d, d->fx.client, "purchase.order:110");
  g_assert_true (ct_case_has_source (c, CT_SOURCE_KIND_TIER_VALIDATION));
  r = decide (d->decisions, c, &request, &error);
  g_assert_no_error (error);
  g_assert_true (r->verified);
  g_assert_cmpstr (r->state, ==, "approved");
  /* validate_tier settles the review only: the order stays `to approve`,
   * and the result says what stays open. */
  order = read_record (d->fx.client, "purchase.order", 110, "state,validation_status");
  g_assert_cmpstr (json_object_get_string_member (order, "state"), ==, "to approve");
  g_assert_cmpstr (json_object_get_string_member (order, "validation_status"), ==, "validated");
  g_assert_nonnull (r->still_open);
  g_assert_nonnull (strstr (r->still_open, "purchase-double-validation"));
  assert_note (d->fx.client, r, "approve", NULL);
}

static void
test_tier_reject_with_comment_wizard (DFixture      *d,
                                      gconstpointer  data)
{
  g_autoptr(CtCase) c = NULL;
  CtDecisionRequest request = { CT_DECISION_REJECT, .comment = "Price too high" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autoptr(JsonArray) reviews = NULL;
  JsonObject *review;

  tier_for_admin (d, TRUE);
  c = read_case (d, d->fx.client, "purchase.order:110");
  r = decide (d->decisions, c, &request, &error);
  g_assert_no_error (error);
  g_assert_true (r->verified);
  g_assert_cmpstr (r->state, ==, "rejected");
  /* Through the comment wizard: the review carries the comment. */
  reviews = search (d->fx.client, "tier.review",
                    "[[\"model\", \"=\", \"purchase.order\"], [\"res_id\", \"=\", 110]]",
                    "status,comment");
  review = json_array_get_object_element (reviews, json_array_get_length (reviews) - 1);
  g_assert_cmpstr (json_object_get_string_member (review, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (review, "comment"), ==, "Price too high");
  assert_note (d->fx.client, r, "reject", "Price too high");
}

static gint64
create_request (DFixture *d)
{
  gint64 category_id = fixture_create (d->fx.client, "approval.category",
                                       "{\"name\": \"Credit release\", \"approver_sequence\": false,"
                                       " \"approval_minimum\": 1}");
  g_autofree char *request = g_strdup_printf (
    "{\"name\": \"Release Acme's order\", \"category_id\": %" G_GINT64_FORMAT ","
    " \"request_owner_id\": 7, \"amount\": 4000, \"partner_id\": 9,"
    " \"approver_ids\": [[0, 0, {\"user_id\": 2, \"sequence\": 1, \"status\": \"new\"}]]}",
    category_id);
  gint64 id = fixture_create (d->fx.client, "approval.request", request);

  fixture_call_ok (d->fx.client, "approval.request", "action_confirm", id, NULL);
  return id;
}

static void
test_approvals (DFixture      *d,
                gconstpointer  data)
{
  gint64 approve_id = create_request (d);
  gint64 refuse_id = create_request (d);
  g_autofree char *approve_key = ct_case_make_key ("approval.request", approve_id);
  g_autofree char *refuse_key = ct_case_make_key ("approval.request", refuse_id);
  g_autoptr(CtCase) a = read_case (d, d->fx.client, approve_key);
  g_autoptr(CtCase) b = read_case (d, d->fx.client, refuse_key);
  CtDecisionRequest approve = { CT_DECISION_APPROVE };
  CtDecisionRequest refuse = { CT_DECISION_REJECT, .comment = "Over the credit limit" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r1 = decide (d->decisions, a, &approve, &error);
  g_autoptr(CtDecisionResult) r2 = NULL;
  g_autoptr(JsonObject) req1 = NULL;
  g_autoptr(JsonObject) req2 = NULL;

  g_assert_no_error (error);
  g_assert_true (r1->verified);
  g_assert_cmpstr (r1->state, ==, "approved");
  r2 = decide (d->decisions, b, &refuse, &error);
  g_assert_no_error (error);
  g_assert_true (r2->verified);
  g_assert_cmpstr (r2->state, ==, "refused");
  req1 = read_record (d->fx.client, "approval.request", approve_id, "request_status");
  req2 = read_record (d->fx.client, "approval.request", refuse_id, "request_status");
  g_assert_cmpstr (json_object_get_string_member (req1, "request_status"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (req2, "request_status"), ==, "refused");
  assert_note (d->fx.client, r1, "approve", NULL);
  assert_note (d->fx.client, r2, "reject", "Over the credit limit");
}

static gint64
create_activity (DFixture *d,
                 gint64    res_id,
                 gint64    user_id)
{
  gint64 type = fixture_create (d->fx.client, "mail.activity.type", "{\"name\": \"Approval\"}");
  g_autoptr(JsonObject) kwargs = json_object_new ();
  g_autoptr(JsonObject) write = json_object_new ();
  g_autoptr(JsonObject) vals = json_object_new ();
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autoptr(JsonArray) activity_ids = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtOdooClient) purchaser = fixture_connect (&d->fx, "purchaser");
  gint64 id;

  /* Scheduled by the requester (purchaser) on the order as Odoo's UI
   * does, then given the approval type. */
  json_object_set_string_member (kwargs, "summary", "Approve the order");
  json_object_set_string_member (kwargs, "date_deadline", "2026-12-01");
  json_object_set_int_member (kwargs, "user_id", user_id);
  json_array_add_int_element (ids, res_id);
  node = fixture_call (purchaser, "purchase.order", "activity_schedule", ids, kwargs, &error);
  g_assert_no_error (error);
  id = json_array_get_int_element (json_node_get_array (node), 0);
  json_object_set_int_member (vals, "activity_type_id", type);
  json_object_set_object_member (write, "vals", json_object_ref (vals));
  json_array_add_int_element (activity_ids, id);
  written = fixture_call (d->fx.client, "mail.activity", "write", activity_ids, write, &error);
  g_assert_no_error (error);
  return id;
}

static void
test_activity_approve (DFixture      *d,
                       gconstpointer  data)
{
  gint64 activity = create_activity (d, 16, 2);
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:16");
  CtDecisionRequest request = { CT_DECISION_APPROVE, .comment = "Fine" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autoptr(JsonArray) open = NULL;
  g_autofree char *domain = g_strdup_printf ("[[\"id\", \"=\", %" G_GINT64_FORMAT "]]", activity);

  g_assert_true (ct_case_has_source (c, CT_SOURCE_KIND_ACTIVITY));
  r = decide (d->decisions, c, &request, &error);
  g_assert_no_error (error);
  g_assert_true (r->verified);
  open = search (d->fx.client, "mail.activity", domain, "id");
  g_assert_cmpuint (json_array_get_length (open), ==, 0);
  assert_note (d->fx.client, r, "approve", "Fine");
}

static void
test_activity_reject (DFixture      *d,
                      gconstpointer  data)
{
  create_activity (d, 17, 2);
  {
    g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:17");
    CtDecisionRequest request = { CT_DECISION_REJECT, .comment = "Not needed" };
    g_autoptr(GError) error = NULL;
    g_autoptr(CtDecisionResult) r = decide (d->decisions, c, &request, &error);

    g_assert_no_error (error);
    g_assert_true (r->verified);
    assert_note (d->fx.client, r, "reject", "Not needed");
  }
}

static JsonObject *
activity_of (DFixture           *d,
             const CtDecisionResult *r)
{
  g_autofree char *domain = g_strdup_printf ("[[\"id\", \"=\", %" G_GINT64_FORMAT "]]",
                                             r->activity_id);
  g_autoptr(JsonArray) rows = search (d->fx.client, "mail.activity", domain,
                                      "user_id,summary,note,date_deadline,res_id");

  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  return json_object_ref (json_array_get_object_element (rows, 0));
}

static void
test_revise (DFixture      *d,
             gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:102");
  CtDecisionRequest request = { CT_DECISION_REVISE, .comment = "Split the order per site\nand re-quote" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = decide (d->decisions, c, &request, &error);
  g_autoptr(JsonObject) activity = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CtOdooClient) purchaser = NULL;
  g_autoptr(JsonObject) vals = json_object_new ();
  g_autofree char *state = NULL;

  g_assert_no_error (error);
  g_assert_true (r->verified);
  /* An activity for the requester, the order untouched. */
  activity = activity_of (d, r);
  g_assert_cmpint (ct_source_m2o_id (activity, "user_id"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (activity, "summary"), ==,
                   "Revision requested: Split the order per site");
  g_assert_nonnull (json_object_get_string_member (activity, "date_deadline"));
  state = state_of (d->fx.client, "purchase.order:102");
  g_assert_cmpstr (state, ==, "to approve");
  assert_note (d->fx.client, r, "revise", "Split the order");

  /* Awaiting revision, the SLA clock paused … */
  ct_decisions_refresh_revision_async (d->decisions, c, NULL, store_result, &result);
  wait_for (&result);
  g_assert_cmpint (ct_decisions_refresh_revision_finish (d->decisions, result, &error), ==,
                   CT_CASE_STATUS_AWAITING_REVISION);
  g_assert_no_error (error);
  g_assert_cmpint (c->status, ==, CT_CASE_STATUS_AWAITING_REVISION);
  g_assert_cmpint (g_array_index (c->pauses, CtPeriod, c->pauses->len - 1).end, ==, 0);
  g_clear_object (&result);

  /* A refresh shows it so too: the source reads it as pending, the sync
   * marks it from the journal, with its SLA clock paused. */
  {
    g_autoptr(CtCaseStore) store = ct_case_store_new ();
    g_autoptr(CtSync) sync = ct_sync_new (d->fx.profile, store);
    CtCase *shown;

    ct_sync_add_default_sources (sync, d->fx.client, d->fx.n8n, d->fx.url,
                                 ct_sim_server_get_n8n_api_key (d->fx.sim));
    ct_sync_set_journal (sync, d->journal);
    ct_sync_refresh_async (sync, TRUE, NULL, store_result, &result);
    wait_for (&result);
    g_assert_true (ct_sync_refresh_finish (sync, result, &error));
    g_assert_no_error (error);
    g_clear_object (&result);
    shown = ct_case_store_lookup (store, "purchase.order:102");
    g_assert_nonnull (shown);
    g_assert_cmpint (shown->status, ==, CT_CASE_STATUS_AWAITING_REVISION);
    g_assert_cmpint (g_array_index (shown->pauses, CtPeriod, shown->pauses->len - 1).end, ==, 0);
    ct_sync_stop (sync);
  }

  /* … until the requester changes the record (write_date has whole seconds). */
  g_usleep (1100 * 1000);
  purchaser = fixture_connect (&d->fx, "purchaser");
  json_object_set_string_member (vals, "partner_ref", "SPLIT-1");
  {
    g_autoptr(JsonObject) kwargs = json_object_new ();
    g_autoptr(JsonArray) ids = json_array_new ();
    g_autoptr(JsonNode) node = NULL;

    json_object_set_object_member (kwargs, "vals", json_object_ref (vals));
    json_array_add_int_element (ids, 102);
    node = fixture_call (purchaser, "purchase.order", "write", ids, kwargs, &error);
    g_assert_no_error (error);
  }
  ct_decisions_refresh_revision_async (d->decisions, c, NULL, store_result, &result);
  wait_for (&result);
  g_assert_cmpint (ct_decisions_refresh_revision_finish (d->decisions, result, &error), ==,
                   CT_CASE_STATUS_PENDING);
  g_assert_cmpint (c->status, ==, CT_CASE_STATUS_PENDING);
  g_assert_cmpint (g_array_index (c->pauses, CtPeriod, c->pauses->len - 1).end, >, 0);
}

static void
test_approve_with_conditions (DFixture      *d,
                              gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:103");
  const char *conditions[] = { "Deliver before 15 Dec", "Invoice <net 30>", NULL };
  CtDecisionRequest request = { CT_DECISION_APPROVE_WITH_CONDITIONS };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autoptr(JsonObject) activity = NULL;
  g_autofree char *state = NULL;

  /* At least one condition. */
  r = decide (d->decisions, c, &request, &error);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_INVALID);
  g_clear_error (&error);

  request.conditions = conditions;
  r = decide (d->decisions, c, &request, &error);
  g_assert_no_error (error);
  g_assert_true (r->verified);
  state = state_of (d->fx.client, "purchase.order:103");
  g_assert_cmpstr (state, ==, "purchase");
  /* The follow-up activity for the requester carries the conditions. */
  g_assert_cmpint (r->activity_id, >, 0);
  activity = activity_of (d, r);
  g_assert_cmpint (ct_source_m2o_id (activity, "user_id"), ==, 7);
  g_assert_nonnull (strstr (json_object_get_string_member (activity, "note"), "Deliver before 15 Dec"));
  assert_note (d->fx.client, r, "approve-with-conditions", "Invoice &lt;net 30&gt;");

  /* The conditions stay on the case until the requester marks the
   * follow-up done. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) open = NULL;
    g_autoptr(JsonObject) feedback = json_object_new ();
    g_autoptr(CtOdooClient) purchaser = fixture_connect (&d->fx, "purchaser");

    ct_decisions_open_conditions_async (d->decisions, c->key, NULL, store_result, &result);
    wait_for (&result);
    open = ct_decisions_open_conditions_finish (d->decisions, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (open->len, ==, 2);
    g_assert_cmpstr (open->pdata[0], ==, "Deliver before 15 Dec");
    g_clear_object (&result);
    g_clear_pointer (&open, g_ptr_array_unref);

    json_object_set_string_member (feedback, "feedback", "Both met");
    fixture_call_ok (purchaser, "mail.activity", "action_feedback", r->activity_id, feedback);
    ct_decisions_open_conditions_async (d->decisions, c->key, NULL, store_result, &result);
    wait_for (&result);
    open = ct_decisions_open_conditions_finish (d->decisions, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (open->len, ==, 0);
  }
}

static void
test_escalate (DFixture      *d,
               gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:104");
  CtDecisionRequest request = { CT_DECISION_ESCALATE, .comment = "Needs a second look" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r1 = decide (d->decisions, c, &request, &error);
  g_autoptr(CtDecisionResult) r2 = NULL;
  g_autoptr(JsonObject) activity = NULL;

  g_assert_no_error (error);
  g_assert_true (r1->verified);
  g_assert_cmpuint (r1->escalation_level, ==, 1);
  activity = activity_of (d, r1);
  g_assert_cmpint (ct_source_m2o_id (activity, "user_id"), ==, 7);
  g_assert_nonnull (strstr (json_object_get_string_member (activity, "summary"), "level 1"));
  assert_note (d->fx.client, r1, "escalate", "Needs a second look");

  /* Escalating again raises the level. */
  r2 = decide (d->decisions, c, &request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r2->escalation_level, ==, 2);
  g_clear_pointer (&activity, json_object_unref);
  activity = activity_of (d, r2);
  g_assert_cmpint (ct_source_m2o_id (activity, "user_id"), ==, 5);
}

/* Chains name groups by external id: resolved through ir.model.data,
 * which every employee may read, to the group's internal users other than
 * the one deciding. */
static void
test_escalate_to_group (DFixture      *d,
                        gconstpointer  data)
{
  g_autoptr(CtProfile) profile = profile_with_target ("group:purchase.group_purchase_user");
  g_autoptr(CtDecisions) decisions = ct_decisions_new (d->fx.client, profile, d->journal, NULL,
                                                       "admin");
  g_autoptr(CtProfile) managers = ct_profile_new_default ();
  g_autoptr(CtDecisions) as_manager = NULL;
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:104");
  CtDecisionRequest request = { CT_DECISION_ESCALATE, .comment = "Over the buyer limit" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autoptr(JsonObject) activity = NULL;

  ct_sim_server_reset_counts (d->fx.sim);
  r = decide (decisions, c, &request, &error);
  g_assert_no_error (error);
  g_assert_true (r->verified);
  g_assert_cmpuint (r->escalation_level, ==, 1);
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, "/json/2/ir.model.data/search_read"),
                    ==, 1);
  activity = activity_of (d, r);
  /* Purchase users: admin, who decides, and Paula Purchaser. */
  g_assert_cmpint (ct_source_m2o_id (activity, "user_id"), ==, 7);
  g_assert_cmpstr (r->target, ==, "Paula Purchaser");
  assert_note (d->fx.client, r, "escalate", "Over the buyer limit");

  /* The default chain's purchase managers are admin alone on the
   * recorded server: nobody else to escalate to, and nothing is sent. */
  g_clear_pointer (&r, ct_decision_result_free);
  as_manager = ct_decisions_new (d->fx.client, managers, d->journal, NULL, "admin");
  ct_sim_server_reset_counts (d->fx.sim);
  r = decide (as_manager, c, &request, &error);
  g_assert_null (r);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_INVALID);
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, "/json/2/mail.activity/create"), ==, 0);
}

static void
test_delegate (DFixture      *d,
               gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:12");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autoptr(JsonObject) activity = NULL;
  CtDecisionRequest request = { CT_DECISION_DELEGATE, .comment = "Please handle while I am away",
                                .deadline = 1796000000 };

  /* Search as you type: name_search. */
  ct_decisions_search_users_async (d->decisions, "pur", 5, NULL, store_result, &result);
  wait_for (&result);
  users = ct_decisions_search_users_finish (d->decisions, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 1);
  g_assert_cmpstr (((CtDecisionUser *) users->pdata[0])->name, ==, "Paula Purchaser");

  request.target_id = ((CtDecisionUser *) users->pdata[0])->id;
  r = decide (d->decisions, c, &request, &error);
  g_assert_no_error (error);
  g_assert_true (r->verified);
  g_assert_cmpstr (r->target, ==, "Paula Purchaser");
  activity = activity_of (d, r);
  g_assert_cmpint (ct_source_m2o_id (activity, "user_id"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (activity, "date_deadline"), ==, "2026-11-30");
  assert_note (d->fx.client, r, "delegate", "while I am away");
}

/* ---- safety ---- */

static void
test_conflict_decided_meanwhile (DFixture      *d,
                                 gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:104");
  CtDecisionRequest request = { CT_DECISION_REJECT, .comment = "No" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autofree char *state = NULL;

  /* Someone approves it in Odoo after the case was read. */
  fixture_call_ok (d->fx.client, "purchase.order", "button_approve", 104, NULL);
  r = decide (d->decisions, c, &request, &error);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Mitchell Admin"));
  g_assert_nonnull (strstr (error->message, "purchase"));
  /* Nothing was sent, nothing journaled; the typed comment is kept. */
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, "/json/2/purchase.order/button_cancel"), ==, 0);
  state = state_of (d->fx.client, "purchase.order:104");
  g_assert_cmpstr (state, ==, "purchase");
  {
    g_autoptr(GPtrArray) entries = ct_journal_list (d->journal, NULL, 0, NULL);
    g_autoptr(CtJournalDraft) draft = ct_journal_load_draft (d->journal, c->key, NULL);

    g_assert_cmpuint (entries->len, ==, 0);
    g_assert_nonnull (draft);
    g_assert_cmpstr (draft->comment, ==, "No");
  }
}

static void
test_conflict_reassigned (DFixture      *d,
                          gconstpointer  data)
{
  gint64 activity = create_activity (d, 16, 2);
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:16");
  CtDecisionRequest request = { CT_DECISION_APPROVE };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autoptr(JsonObject) kwargs = json_object_new ();
  g_autoptr(JsonObject) vals = json_object_new ();
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_int_member (vals, "user_id", 7);
  json_object_set_object_member (kwargs, "vals", json_object_ref (vals));
  json_array_add_int_element (ids, activity);
  node = fixture_call (d->fx.client, "mail.activity", "write", ids, kwargs, &error);
  g_assert_no_error (error);
  r = decide (d->decisions, c, &request, &error);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Paula Purchaser"));
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, "/json/2/mail.activity/action_feedback"), ==, 0);
}

static void
test_four_eyes (DFixture      *d,
                gconstpointer  data)
{
  g_autoptr(CtOdooClient) purchaser = fixture_connect (&d->fx, "purchaser");
  g_autoptr(CtDecisions) as_purchaser = ct_decisions_new (purchaser, d->fx.profile, d->journal,
                                                          NULL, "purchaser");
  g_autoptr(CtCase) c = read_case (d, purchaser, "purchase.order:13");
  CtDecisionRequest request = { CT_DECISION_APPROVE };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autofree char *reason = NULL;

  /* The window disables the action, with the reason … */
  g_assert_cmpint (c->requester_id, ==, 7);
  g_assert_false (ct_decisions_can_decide (as_purchaser, c, CT_DECISION_APPROVE, &reason));
  g_assert_nonnull (strstr (reason, "someone else"));
  /* … and the service refuses, sending nothing; rejecting stays possible. */
  r = decide (as_purchaser, c, &request, &error);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_FOUR_EYES);
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, "/json/2/purchase.order/button_approve"), ==, 0);
  g_assert_true (ct_decisions_can_decide (as_purchaser, c, CT_DECISION_REJECT, NULL));
}

static void
test_confirmation (DFixture      *d,
                   gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:13");
  CtDecisionRequest request = { CT_DECISION_APPROVE };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;

  /* Above the profile's amount (10 000): confirm first, with amount and partner. */
  c->amount = 25000;
  r = decide (d->decisions, c, &request, &error);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_NEEDS_CONFIRMATION);
  g_assert_nonnull (strstr (error->message, "25 000"));
  g_assert_nonnull (strstr (error->message, c->partner.name));
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, "/json/2/purchase.order/button_approve"), ==, 0);
  g_clear_error (&error);

  request.confirmed = TRUE;
  r = decide (d->decisions, c, &request, &error);
  g_assert_no_error (error);
  g_assert_true (r->verified);
}

static void
test_success_but_no_change (DFixture      *d,
                            gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:13");
  CtDecisionRequest request = { CT_DECISION_APPROVE, .comment = "Looks right" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autoptr(CtJournalEntry) entry = NULL;
  g_autofree char *state = NULL;

  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (d->fx.sim),
                                      "noop@/json/2/purchase.order/button_approve", &error));
  r = decide (d->decisions, c, &request, &error);
  g_assert_null (r);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_APPLIED);
  g_assert_nonnull (strstr (error->message, "did not apply"));
  g_assert_nonnull (strstr (error->message, "purchase manager"));
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, "/json/2/purchase.order/button_approve"), ==, 1);
  state = state_of (d->fx.client, "purchase.order:13");
  g_assert_cmpstr (state, ==, "to approve");
  /* Journaled as not applied; no note claims an approval. */
  entry = last_entry (d);
  g_assert_false (entry->succeeded);
  g_assert_cmpstr (entry->verified_state, ==, "to approve");
  {
    g_autoptr(JsonArray) notes = search (d->fx.client, "mail.message",
                                         "[[\"model\", \"=\", \"purchase.order\"], [\"res_id\", \"=\", 13],"
                                         " [\"body\", \"ilike\", \"Control Tower decision\"]]", "id");

    g_assert_cmpuint (json_array_get_length (notes), ==, 0);
  }
}

static void
test_real_silent_noop (DFixture      *d,
                       gconstpointer  data)
{
  /* A purchase user (not manager) approving an order above the double
   * validation amount: Odoo answers {} and changes nothing. The order is
   * admin's (no four-eyes). */
  g_autoptr(CtOdooClient) purchaser = fixture_connect (&d->fx, "purchaser");
  g_autoptr(CtDecisions) as_purchaser = ct_decisions_new (purchaser, d->fx.profile, d->journal,
                                                          NULL, "purchaser");
  gint64 id = fixture_create (d->fx.client, "purchase.order",
                              "{\"partner_id\": 11, \"partner_ref\": \"CT-ADMIN\", \"user_id\": 2,"
                              " \"order_line\": [[0, 0, {\"product_id\": 20, \"product_qty\": 10,"
                              " \"price_unit\": 800}]]}");
  g_autofree char *key = ct_case_make_key ("purchase.order", id);
  g_autoptr(CtCase) c = NULL;
  CtDecisionRequest request = { CT_DECISION_APPROVE };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autofree char *state = NULL;

  fixture_call_ok (purchaser, "purchase.order", "button_confirm", id, NULL);
  state = state_of (d->fx.client, key);
  g_assert_cmpstr (state, ==, "to approve");
  c = read_case (d, purchaser, key);
  r = decide (as_purchaser, c, &request, &error);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_APPLIED);
  g_assert_nonnull (strstr (error->message, "purchase manager"));
  g_free (state);
  state = state_of (d->fx.client, key);
  g_assert_cmpstr (state, ==, "to approve");
}

static void
test_lost_answer (DFixture      *d,
                  gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:13");
  CtDecisionRequest request = { CT_DECISION_APPROVE };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;

  /* The server applies the approval; the answer never arrives. */
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (d->fx.sim),
                                      "lose-answer@/json/2/purchase.order/button_approve*1", &error));
  r = decide (d->decisions, c, &request, &error);
  g_assert_no_error (error);
  g_assert_true (r->verified);
  g_assert_true (r->answer_lost);
  g_assert_cmpstr (r->state, ==, "purchase");
  /* Settled by re-reading, never by sending again. */
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, "/json/2/purchase.order/button_approve"), ==, 1);
}

static void
test_lost_answer_not_applied (DFixture      *d,
                              gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:13");
  CtDecisionRequest request = { CT_DECISION_APPROVE };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;

  /* The connection drops before the server handles it: the read-back
   * shows nothing happened, and nothing is sent again. */
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (d->fx.sim),
                                      "reset@/json/2/purchase.order/button_approve", &error));
  r = decide (d->decisions, c, &request, &error);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_APPLIED);
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, "/json/2/purchase.order/button_approve"), ==, 1);
}

static void
test_double_activation (DFixture      *d,
                        gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:13");
  CtDecisionRequest request = { CT_DECISION_APPROVE };
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r1 = NULL;
  g_autoptr(CtDecisionResult) r2 = NULL;

  ct_decisions_decide_async (d->decisions, c, &request, NULL, store_result, &first);
  ct_decisions_decide_async (d->decisions, c, &request, NULL, store_result, &second);
  wait_for (&second);
  r2 = ct_decisions_decide_finish (d->decisions, second, &error);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_BUSY);
  g_clear_error (&error);
  wait_for (&first);
  r1 = ct_decisions_decide_finish (d->decisions, first, &error);
  g_assert_no_error (error);
  g_assert_true (r1->verified);
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, "/json/2/purchase.order/button_approve"), ==, 1);
}

static void
test_draft_survives_restart (DFixture      *d,
                             gconstpointer  data)
{
  g_autoptr(CtCase) c = read_case (d, d->fx.client, "purchase.order:101");
  const char *conditions[] = { "Two quotes", NULL };
  CtDecisionRequest request = { CT_DECISION_APPROVE_WITH_CONDITIONS, .comment = "Typed with care",
                                .conditions = conditions };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autoptr(CtJournal) reopened = NULL;
  g_autoptr(CtJournalDraft) draft = NULL;

  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (d->fx.sim),
                                      "http500@/json/2/purchase.order/button_approve*1", &error));
  r = decide (d->decisions, c, &request, &error);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_APPLIED);
  g_clear_error (&error);

  /* A restart: the journal is opened again from disk. */
  reopened = ct_journal_open (d->dir, &error);
  g_assert_no_error (error);
  draft = ct_journal_load_draft (reopened, "purchase.order:101", &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);
  g_assert_cmpstr (draft->outcome, ==, "approve-with-conditions");
  g_assert_cmpstr (draft->comment, ==, "Typed with care");
  g_assert_cmpstr (draft->conditions, ==, "Two quotes");
  g_assert_nonnull (draft->failure);

  /* Sent successfully: the draft goes. */
  r = decide (d->decisions, c, &request, &error);
  g_assert_no_error (error);
  g_clear_pointer (&draft, ct_journal_draft_free);
  draft = ct_journal_load_draft (reopened, "purchase.order:101", &error);
  g_assert_null (draft);
}

static void
test_bulk_partial_failure (DFixture      *d,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  CtDecisionRequest request = { CT_DECISION_APPROVE };
  g_autoptr(CtDecisionPlan) plan = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 activity = create_activity (d, 16, 7);
  guint verified = 0, failed = 0;

  (void) activity;
  g_ptr_array_add (cases, read_case (d, d->fx.client, "purchase.order:13"));
  g_ptr_array_add (cases, read_case (d, d->fx.client, "purchase.order:101"));
  g_ptr_array_add (cases, read_case (d, d->fx.client, "purchase.order:102"));
  /* Paula's activity: nothing there waits for admin. */
  g_ptr_array_add (cases, read_case (d, d->fx.client, "purchase.order:16"));

  plan = ct_decisions_plan_bulk (d->decisions, cases, &request);
  g_assert_cmpuint (plan->eligible->len, ==, 3);
  g_assert_cmpuint (plan->skipped->len, ==, 1);
  g_assert_cmpstr (((CtDecisionSkip *) plan->skipped->pdata[0])->case_key, ==, "purchase.order:16");
  g_assert_nonnull (((CtDecisionSkip *) plan->skipped->pdata[0])->reason);
  g_assert_true (plan->needs_confirmation);
  g_assert_cmpfloat (plan->total, >, 0);

  /* The second approval is ignored by the server. */
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (d->fx.sim),
                                      "noop@/json/2/purchase.order/button_approve*1", &error));
  request.confirmed = TRUE;
  ct_decisions_decide_bulk_async (d->decisions, plan, &request, NULL, NULL, NULL, store_result,
                                  &result);
  wait_for (&result);
  results = ct_decisions_decide_bulk_finish (d->decisions, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    {
      CtDecisionResult *r = results->pdata[i];

      if (r->verified)
        verified++;
      else
        {
          failed++;
          g_assert_error (r->error, CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_APPLIED);
          g_assert_cmpstr (r->case_key, ==, "purchase.order:13");
        }
    }
  g_assert_cmpuint (verified, ==, 2);
  g_assert_cmpuint (failed, ==, 1);
}

/* The outcomes that are not a plain approve/reject, through each of the
 * other mechanisms: the mechanism's approval plus the follow-up, or the
 * activity for the requester, the next level or the delegate. */
static void
test_outcomes_by_mechanism (DFixture      *d,
                            gconstpointer  data)
{
  const char *conditions[] = { "Keep the quote on file", NULL };
  const CtDecisionRequest requests[] = {
    { CT_DECISION_APPROVE_WITH_CONDITIONS, .conditions = conditions },
    { CT_DECISION_REVISE, .comment = "Attach the quote" },
    { CT_DECISION_ESCALATE, .comment = "Above my limit" },
    { CT_DECISION_DELEGATE, .comment = "Yours", .target_login = "demo" },
  };
  const gint64 expected_user[] = { 7, 7, 7, 5 };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autofree char *approval_key = ct_case_make_key ("approval.request", create_request (d));
      g_autofree char *activity_key = ct_case_make_key ("purchase.order", 16 + i);
      const char *keys[] = { approval_key, activity_key, "purchase.order:110" };

      create_activity (d, 16 + i, 2);
      tier_for_admin (d, FALSE);
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          g_autoptr(CtCase) c = read_case (d, d->fx.client, keys[k]);
          g_autoptr(GError) error = NULL;
          g_autoptr(CtDecisionResult) r = decide (d->decisions, c, &requests[i], &error);
          g_autoptr(JsonObject) activity = NULL;

          g_test_message ("%s on %s", ct_decision_outcome_to_string (requests[i].outcome), keys[k]);
          g_assert_no_error (error);
          g_assert_true (r->verified);
          activity = activity_of (d, r);
          g_assert_cmpint (ct_source_m2o_id (activity, "user_id"), ==, expected_user[i]);
          assert_note (d->fx.client, r, ct_decision_outcome_to_string (requests[i].outcome), NULL);
        }
    }
}

static void
test_stale (DFixture      *d,
            gconstpointer  data)
{
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = ct_sync_new (d->fx.profile, store);
  g_autoptr(CtSource) source = ct_source_double_validation_new (d->fx.client, d->fx.profile);
  g_autoptr(CtDecisions) decisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecisionResult) r = NULL;
  g_autofree char *reason = NULL;
  CtDecisionRequest request = { CT_DECISION_APPROVE };
  CtCase *c;

  ct_sync_add_source (sync, source);
  g_assert_true (sync_refresh (sync, TRUE, &error));
  g_assert_no_error (error);
  decisions = ct_decisions_new (d->fx.client, d->fx.profile, d->journal, sync, "admin");
  c = ct_case_store_lookup (store, "purchase.order:13");
  g_assert_nonnull (c);
  g_assert_true (ct_decisions_can_decide (decisions, c, CT_DECISION_APPROVE, NULL));

  /* The next refresh fails: what the store shows may be out of date. */
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (d->fx.sim),
                                      "http503@/json/2/purchase.order", &error));
  g_assert_false (sync_refresh (sync, TRUE, &error));
  g_clear_error (&error);
  c = ct_case_store_lookup (store, "purchase.order:13");
  g_assert_nonnull (c);
  g_assert_false (ct_decisions_can_decide (decisions, c, CT_DECISION_APPROVE, &reason));
  g_assert_nonnull (strstr (reason, "out of date"));
  ct_sim_faults_clear (ct_sim_server_get_faults (d->fx.sim));
  ct_sim_server_reset_counts (d->fx.sim);
  r = decide (decisions, c, &request, &error);
  g_assert_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_STALE);
  g_assert_cmpuint (ct_sim_server_count_requests (d->fx.sim, NULL), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, DFixture, NULL, d_set_up, func, d_tear_down)
  ADD ("/ct/core/decisions/double-validation/approve", test_double_validation_approve);
  ADD ("/ct/core/decisions/double-validation/reject", test_double_validation_reject);
  ADD ("/ct/core/decisions/tier/approve", test_tier_approve);
  ADD ("/ct/core/decisions/tier/reject-comment-wizard", test_tier_reject_with_comment_wizard);
  ADD ("/ct/core/decisions/approvals/approve-and-refuse", test_approvals);
  ADD ("/ct/core/decisions/activity/approve", test_activity_approve);
  ADD ("/ct/core/decisions/activity/reject", test_activity_reject);
  ADD ("/ct/core/decisions/revise", test_revise);
  ADD ("/ct/core/decisions/approve-with-conditions", test_approve_with_conditions);
  ADD ("/ct/core/decisions/escalate", test_escalate);
  ADD ("/ct/core/decisions/escalate-to-group", test_escalate_to_group);
  ADD ("/ct/core/decisions/delegate", test_delegate);
  ADD ("/ct/core/decisions/conflict/decided-meanwhile", test_conflict_decided_meanwhile);
  ADD ("/ct/core/decisions/conflict/reassigned", test_conflict_reassigned);
  ADD ("/ct/core/decisions/four-eyes", test_four_eyes);
  ADD ("/ct/core/decisions/confirmation", test_confirmation);
  ADD ("/ct/core/decisions/success-but-no-change", test_success_but_no_change);
  ADD ("/ct/core/decisions/purchase-user-silent-noop", test_real_silent_noop);
  ADD ("/ct/core/decisions/lost-answer/applied", test_lost_answer);
  ADD ("/ct/core/decisions/lost-answer/not-applied", test_lost_answer_not_applied);
  ADD ("/ct/core/decisions/double-activation", test_double_activation);
  ADD ("/ct/core/decisions/draft-survives-restart", test_draft_survives_restart);
  ADD ("/ct/core/decisions/bulk-partial-failure", test_bulk_partial_failure);
  ADD ("/ct/core/decisions/stale", test_stale);
  ADD ("/ct/core/decisions/outcomes-by-mechanism", test_outcomes_by_mechanism);
#undef ADD

  return g_test_run ();
}
