/* test-case-detail.c - The case view's content, read from ct-sim as different users
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ct-case-detail.h"
#include "ct-case-store.h"
#include "ct-incident.h"
#include "ct-sim-faults.h"
#include "ct-sim-server.h"
#include "ct-source.h"
#include "ct-sync.h"
#include "test-detail-fixture.h"

typedef struct
{
  CtSimServer  *sim;
  char         *url;
  CtProfile    *profile;
  CtOdooClient *admin;
  gint64        partner_id;
  gint64        order_id;
  gint64        attachment_id;
} Fixture;

static const char attachment_bytes[] = "%PDF-1.4\nquote for the detail test\n\x01\x02\xff";

static JsonNode *
call (CtOdooClient *client,
      const char   *model,
      const char   *method,
      gint64        id,
      const char   *kwargs_json)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) ids = NULL;
  g_autoptr(JsonNode) kwargs = kwargs_json ? json_from_string (kwargs_json, NULL) : NULL;
  JsonNode *node;

  if (id > 0)
    {
      ids = json_array_new ();
      json_array_add_int_element (ids, id);
    }
  ct_odoo_client_call_async (client, model, method, ids,
                             kwargs ? json_node_get_object (kwargs) : NULL, NULL, NULL,
                             detail_store_result, &result);
  detail_wait_for (&result);
  node = ct_odoo_client_call_finish (client, result, &error);
  g_assert_no_error (error);
  return node;
}

static gint64
create (CtOdooClient *client,
        const char   *model,
        const char   *vals_json)
{
  g_autofree char *kwargs = g_strdup_printf ("{\"vals_list\": [%s]}", vals_json);
  g_autoptr(JsonNode) node = call (client, model, "create", 0, kwargs);

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_int_element (json_node_get_array (node), 0);
  return json_node_get_int (node);
}

/* A purchase order above the double-validation threshold, raised by the
 * requester, with two lines, a partner whose name is markup, a plain and an
 * HTML message and an attachment. */
static gint64
create_order (Fixture *fx,
              guint    n_lines)
{
  g_autoptr(CtOdooClient) requester = detail_connect (fx->sim, "requester", FALSE);
  g_autofree char *vals = g_strdup_printf ("{\"partner_id\": %" G_GINT64_FORMAT ", "
                                           "\"company_id\": 1, \"partner_ref\": \"DETAIL\"}",
                                           fx->partner_id);
  gint64 order = create (requester, "purchase.order", vals);
  g_autoptr(JsonNode) confirmed = NULL;

  for (guint i = 0; i < n_lines; i++)
    {
      g_autofree char *line = g_strdup_printf ("{\"order_id\": %" G_GINT64_FORMAT ", "
                                               "\"name\": \"Pallet <%u>\", "
                                               "\"product_qty\": %u, \"price_unit\": 1500.5}",
                                               order, i + 1, i + 4);
      create (requester, "purchase.order.line", line);
    }
  confirmed = call (requester, "purchase.order", "button_confirm", order, NULL);
  return order;
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  CtSimOptions options = { .seed = 1, .n_cases = 200 };
  g_autoptr(GError) error = NULL;
  g_autofree char *datas = NULL;
  g_autofree char *vals = NULL;
  g_autoptr(JsonNode) posted = NULL;
  g_autoptr(JsonNode) html = NULL;
  g_autofree char *kwargs = NULL;

  fx->sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (fx->sim, &error));
  fx->url = ct_sim_server_dup_url (fx->sim);
  fx->profile = ct_profile_new_default ();
  fx->admin = detail_connect (fx->sim, "admin", FALSE);

  fx->partner_id = create (fx->admin, "res.partner",
                           "{\"name\": \"<b>Bold</b> & Co <i>Ltd</i>\", \"is_company\": true, "
                           "\"credit_limit\": 50000}");
  fx->order_id = create_order (fx, 2);

  posted = call (fx->admin, "purchase.order", "message_post", fx->order_id,
                 "{\"body\": \"<script>alert(1)</script>Please <b>check</b>\", "
                 "\"message_type\": \"comment\", \"subtype_xmlid\": \"mail.mt_note\"}");
  html = call (fx->admin, "purchase.order", "message_post", fx->order_id,
               "{\"body\": \"<p>See <a href=\\\"https://example.com/terms?a=1&amp;b=2\\\">the "
               "terms</a> and <a href=\\\"javascript:alert(2)\\\">this</a></p>\", "
               "\"body_is_html\": true, \"message_type\": \"comment\"}");
  datas = g_base64_encode ((const guchar *) attachment_bytes, sizeof attachment_bytes - 1);
  vals = g_strdup_printf ("{\"name\": \"../quote <1>.pdf\", \"res_model\": \"purchase.order\", "
                          "\"res_id\": %" G_GINT64_FORMAT ", \"mimetype\": \"application/pdf\", "
                          "\"file_size\": %zu, \"type\": \"binary\", \"datas\": \"%s\"}",
                          fx->order_id, sizeof attachment_bytes - 1, datas);
  fx->attachment_id = create (fx->admin, "ir.attachment", vals);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_object (&fx->admin);
  g_clear_object (&fx->profile);
  ct_sim_server_stop (fx->sim);
  g_clear_object (&fx->sim);
  g_free (fx->url);
}

/* The case as the double-validation source sees it. */
static CtCase *
fetch_case (Fixture      *fx,
            CtOdooClient *client,
            gint64        order)
{
  g_autoptr(CtSource) source = ct_source_double_validation_new (client, fx->profile);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = ct_case_make_key ("purchase.order", order);
  CtCase *c;

  ct_source_fetch_case_async (source, key, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  c = ct_source_fetch_case_finish (source, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

static CtCaseDetail *
read_detail (Fixture      *fx,
             CtOdooClient *client,
             CtCase       *c)
{
  g_autoptr(CtCaseDetailReader) reader = ct_case_detail_reader_new (client, fx->profile);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CtCaseDetail *detail;

  ct_case_detail_reader_read_async (reader, c, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  detail = ct_case_detail_reader_read_finish (reader, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (detail);
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&reader));
  return detail;
}

static CtCaseMessage *
find_message (CtCaseDetail *detail,
              const char   *needle)
{
  for (guint i = 0; i < detail->messages->len; i++)
    {
      CtCaseMessage *m = detail->messages->pdata[i];

      if (strstr (m->text, needle) != NULL)
        return m;
    }
  return NULL;
}

static CtTrackingChange *
find_state_change (CtCaseDetail *detail)
{
  for (guint i = 0; i < detail->messages->len; i++)
    {
      CtCaseMessage *m = detail->messages->pdata[i];

      for (guint j = 0; j < m->changes->len; j++)
        {
          CtTrackingChange *change = m->changes->pdata[j];

          if (g_strcmp0 (change->new_value, "To Approve") == 0)
            return change;
        }
    }
  return NULL;
}

static void
test_content (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(CtCase) c = fetch_case (fx, fx->admin, fx->order_id);
  g_autoptr(CtCaseDetail) detail = read_detail (fx, fx->admin, c);
  g_autofree char *url_tail = g_strdup_printf ("/odoo/purchase.order/%" G_GINT64_FORMAT,
                                               fx->order_id);
  CtCaseLine *line;
  CtCaseMessage *note, *html;
  CtCaseAttachment *attachment;
  CtTrackingChange *change;
  gboolean threshold = FALSE;

  /* Lines with quantities, prices and totals. */
  g_assert_cmpuint (detail->lines->len, ==, 2);
  line = detail->lines->pdata[0];
  g_assert_cmpstr (line->description, ==, "Pallet <1>");
  g_assert_cmpfloat (line->quantity, ==, 4);
  g_assert_cmpfloat (line->price_unit, ==, 1500.5);
  g_assert_cmpfloat (line->subtotal, ==, 6002);
  g_assert_cmpfloat (detail->lines_total, ==, 6002 + 7502.5);

  /* Markup in the partner's name stays text, in the header and the credit. */
  g_assert_cmpstr (detail->partner, ==, "<b>Bold</b> & Co <i>Ltd</i>");
  g_assert_cmpstr (detail->credit.partner, ==, "<b>Bold</b> & Co <i>Ltd</i>");
  g_assert_cmpfloat (detail->credit.limit, ==, 50000);
  g_assert_cmpuint (detail->credit.omitted->len, ==, 0);
  g_assert_null (detail->credit.note);

  /* Why: the company's double-validation threshold. */
  for (guint i = 0; i < detail->reasons->len; i++)
    threshold |= strstr (detail->reasons->pdata[i], "Purchase double validation") != NULL;
  g_assert_true (threshold);
  g_assert_cmpuint (detail->approvers->len, >=, 1);
  g_assert_cmpint (((CtCaseApprover *) detail->approvers->pdata[0])->state, ==,
                   CT_APPROVER_STATE_PENDING);

  /* The escaped post shows its markup as text; the HTML one keeps its safe
   * link and loses the javascript: one. */
  note = find_message (detail, "check");
  g_assert_nonnull (note);
  g_assert_cmpstr (note->text, ==, "<script>alert(1)</script>Please <b>check</b>");
  g_assert_cmpint (note->kind, ==, CT_MESSAGE_NOTE);
  html = find_message (detail, "See the terms");
  g_assert_nonnull (html);
  g_assert_cmpstr (html->text, ==, "See the terms and this");
  g_assert_cmpuint (html->links->len, ==, 1);
  g_assert_cmpstr (((CtTextLink *) html->links->pdata[0])->url, ==,
                   "https://example.com/terms?a=1&b=2");
  g_assert_cmpstr (((CtTextLink *) html->links->pdata[0])->text, ==, "the terms");

  /* An administrator reads tracking values over the API. */
  g_assert_true (detail->tracking_shown);
  g_assert_null (detail->tracking_note);
  change = find_state_change (detail);
  g_assert_nonnull (change);
  g_assert_cmpstr (change->old_value, ==, "RFQ");

  g_assert_cmpuint (detail->attachments->len, ==, 1);
  attachment = detail->attachments->pdata[0];
  g_assert_cmpstr (attachment->name, ==, "../quote <1>.pdf");
  g_assert_cmpint (attachment->size, ==, sizeof attachment_bytes - 1);
  g_assert_cmpstr (attachment->mimetype, ==, "application/pdf");

  g_assert_true (g_str_has_prefix (detail->odoo_url, fx->url));
  g_assert_true (g_str_has_suffix (detail->odoo_url, url_tail));
  g_assert_false (detail->left_queue);
  g_assert_cmpuint (detail->notes->len, ==, 0);
}

/* A purchase user may not read the partner's credit: the read still
 * works, without those figures, saying which right would show them. */
static void
test_credit_forbidden (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(CtOdooClient) requester = detail_connect (fx->sim, "requester", FALSE);
  g_autoptr(CtCase) c = fetch_case (fx, requester, fx->order_id);
  g_autoptr(CtCaseDetail) detail = read_detail (fx, requester, c);
  gboolean limit = FALSE;

  g_assert_cmpuint (detail->lines->len, ==, 2);
  g_assert_cmpstr (detail->credit.partner, ==, "<b>Bold</b> & Co <i>Ltd</i>");
  g_assert_true (isnan (detail->credit.limit));
  g_assert_true (isnan (detail->credit.receivable));
  for (guint i = 0; i < detail->credit.omitted->len; i++)
    limit |= g_str_equal (detail->credit.omitted->pdata[i], "Credit limit");
  g_assert_true (limit);
  g_assert_nonnull (detail->credit.note);
  g_assert_nonnull (strstr (detail->credit.note, "Accounting / Invoicing"));
  g_assert_cmpuint (detail->notes->len, ==, 0);

  /* Not an administrator, no web session: messages without tracking, and
   * the reason. */
  g_assert_false (detail->tracking_shown);
  g_assert_nonnull (detail->tracking_note);
  g_assert_nonnull (strstr (detail->tracking_note, "password sign-in"));
  g_assert_null (find_state_change (detail));
  g_assert_nonnull (find_message (detail, "check"));
}

/* With a password sign-in the chatter route gives the tracking values to
 * a user who may not read them over the API. */
static void
test_tracking_with_session (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(CtOdooClient) manager = detail_connect (fx->sim, "manager", TRUE);
  g_autoptr(CtCase) c = fetch_case (fx, manager, fx->order_id);
  g_autoptr(CtCaseDetail) detail = NULL;
  CtTrackingChange *change;

  /* The chatter route answers before the messages it annotates. */
  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (fx->sim),
                                      "latency@/web/dataset/call_kw/mail.message:300", NULL));
  detail = read_detail (fx, manager, c);
  ct_sim_faults_clear (ct_sim_server_get_faults (fx->sim));
  g_assert_true (detail->tracking_shown);
  g_assert_null (detail->tracking_note);
  change = find_state_change (detail);
  g_assert_nonnull (change);
  g_assert_cmpstr (change->field, ==, "Status");
  g_assert_cmpstr (change->old_value, ==, "RFQ");
  g_assert_nonnull (find_message (detail, "check"));
}

static void
test_attachment (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(CtCaseDetailReader) reader = ct_case_detail_reader_new (fx->admin, fx->profile);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  g_autofree char *cache = NULL;
  gsize length = 0;

  ct_case_detail_reader_fetch_attachment_async (reader, fx->attachment_id, NULL, detail_store_result,
                                                &result);
  detail_wait_for (&result);
  file = ct_case_detail_reader_fetch_attachment_finish (reader, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
  path = g_file_get_path (file);
  cache = g_build_filename (g_get_user_cache_dir (), "control-tower", "attachments", NULL);
  /* In the cache, whatever the name tried ("../"). */
  g_assert_true (g_str_has_prefix (path, cache));
  g_assert_null (strstr (path + strlen (cache), ".."));
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, attachment_bytes, sizeof attachment_bytes - 1);

  /* One that does not exist says so. */
  g_clear_object (&result);
  ct_case_detail_reader_fetch_attachment_async (reader, 987654, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  g_assert_null (ct_case_detail_reader_fetch_attachment_finish (reader, result, &error));
  g_assert_nonnull (error);
}

/* Approved in Odoo while open: the re-read says who and when. */
static void
test_left_queue (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(CtCase) c = fetch_case (fx, fx->admin, fx->order_id);
  g_autoptr(JsonNode) approved = call (fx->admin, "purchase.order", "button_approve", fx->order_id,
                                       NULL);
  g_autoptr(CtCaseDetail) detail = read_detail (fx, fx->admin, c);

  g_assert_true (detail->left_queue);
  g_assert_nonnull (detail->left_explanation);
  g_autofree char *expected = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autofree char *kwargs = g_strdup_printf ("{\"fields\": [\"name\"]}");

  me = call (fx->admin, "res.users", "read", ct_odoo_client_get_uid (fx->admin), kwargs);
  expected = g_strdup_printf ("Approved by %s at ",
                              json_object_get_string_member (
                                json_array_get_object_element (json_node_get_array (me), 0),
                                "name"));
  g_assert_true (g_str_has_prefix (detail->left_explanation, expected));
  g_assert_true (g_str_has_suffix (detail->left_explanation, " in Odoo"));
  g_assert_cmpint (((CtCaseApprover *) detail->approvers->pdata[0])->state, ==,
                   CT_APPROVER_STATE_APPROVED);
}

/* Batched: the same number of requests for 2 lines as for 40. */
static void
test_batched (Fixture       *fx,
              gconstpointer  data)
{
  gint64 big = create_order (fx, 40);
  g_autoptr(CtCase) small_case = fetch_case (fx, fx->admin, fx->order_id);
  g_autoptr(CtCase) big_case = fetch_case (fx, fx->admin, big);
  g_autoptr(CtCaseDetail) warm = read_detail (fx, fx->admin, small_case);
  g_autoptr(CtCaseDetail) small_detail = NULL;
  g_autoptr(CtCaseDetail) big_detail = NULL;
  guint small_requests, big_requests;

  ct_sim_server_reset_counts (fx->sim);
  small_detail = read_detail (fx, fx->admin, small_case);
  small_requests = ct_sim_server_count_requests (fx->sim, NULL);
  ct_sim_server_reset_counts (fx->sim);
  big_detail = read_detail (fx, fx->admin, big_case);
  big_requests = ct_sim_server_count_requests (fx->sim, NULL);

  g_assert_cmpuint (big_detail->lines->len, ==, 40);
  g_assert_cmpuint (small_requests, ==, big_requests);
  g_assert_cmpuint (big_requests, <=, 8);
  g_assert_cmpuint (big_detail->n_requests, ==, big_requests);
}

/* The companies are searched beside the record; when that search fails,
 * the record's company is read by id once the record is in, and the
 * double-validation threshold is still there. */
static void
test_company_read_by_id (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(CtCase) c = fetch_case (fx, fx->admin, fx->order_id);
  g_autoptr(CtCaseDetail) warm = read_detail (fx, fx->admin, c);
  g_autoptr(CtCaseDetail) detail = NULL;
  CtSimFaults *faults = ct_sim_server_get_faults (fx->sim);
  gboolean threshold = FALSE;

  g_assert_true (ct_sim_faults_parse (faults, "http500@/json/2/res.company/search_read", NULL));
  ct_sim_server_reset_counts (fx->sim);
  detail = read_detail (fx, fx->admin, c);
  ct_sim_faults_clear (faults);
  g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/json/2/res.company/search_read"),
                    >=, 1);
  g_assert_cmpuint (ct_sim_server_count_requests (fx->sim, "/json/2/res.company/read"), ==, 1);
  for (guint i = 0; i < detail->reasons->len; i++)
    threshold |= strstr (detail->reasons->pdata[i], "Purchase double validation") != NULL;
  g_assert_true (threshold);
  /* the failed search is not a note: the read by id answered it */
  g_assert_cmpuint (detail->notes->len, ==, 0);
  g_assert_cmpuint (detail->n_requests, ==, warm->n_requests + 1);
}

/* The first case a source has, as a full fetch gives it. */
static CtCase *
first_case_of (CtSource *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSourceBatch) batch = NULL;

  ct_source_fetch_async (source, NULL, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  batch = ct_source_fetch_finish (source, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->cases->len, >, 0);
  return g_object_ref (batch->cases->pdata[0]);
}

static gboolean
has_reason_prefix (CtCaseDetail *detail,
                   const char   *prefix)
{
  for (guint i = 0; i < detail->reasons->len; i++)
    if (g_str_has_prefix (detail->reasons->pdata[i], prefix))
      return TRUE;
  return FALSE;
}

/* The mechanism's own reason: the tier definition's name, the approval
 * category; approvers in their order. */
static void
test_mechanism_reasons (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(CtSource) tier = ct_source_tier_new (fx->admin, fx->profile);
  g_autoptr(CtSource) approvals = ct_source_approvals_new (fx->admin, fx->profile);
  g_autoptr(CtCase) reviewed = first_case_of (tier);
  g_autoptr(CtCase) requested = first_case_of (approvals);
  g_autoptr(CtCaseDetail) tier_detail = read_detail (fx, fx->admin, reviewed);
  g_autoptr(CtCaseDetail) request_detail = read_detail (fx, fx->admin, requested);

  g_assert_true (has_reason_prefix (tier_detail, "Tier validation: "));
  g_assert_cmpuint (tier_detail->approvers->len, >, 0);
  g_assert_cmpstr (((CtCaseApprover *) tier_detail->approvers->pdata[0])->via, ==,
                   "Tier validation");
  g_assert_true (has_reason_prefix (request_detail, "Approval category: "));
  g_assert_cmpuint (request_detail->approvers->len, >, 0);
  for (guint i = 1; i < request_detail->approvers->len; i++)
    g_assert_cmpuint (((CtCaseApprover *) request_detail->approvers->pdata[i - 1])->sequence, <=,
                      ((CtCaseApprover *) request_detail->approvers->pdata[i])->sequence);
  g_assert_cmpuint (tier_detail->notes->len, ==, 0);
  g_assert_cmpuint (request_detail->notes->len, ==, 0);
}

static gboolean
has_open (CtCase       *c,
          CtSourceKind  kind)
{
  for (guint i = 0; c->requirements != NULL && i < c->requirements->len; i++)
    {
      CtRequirement *r = c->requirements->pdata[i];

      if (r->source == kind && r->state == CT_APPROVER_STATE_PENDING)
        return TRUE;
    }
  return FALSE;
}

/* An order under tier validation and double validation: the tier
 * reviewers come first, then the purchase managers, whose turn it is not
 * yet while a review is open (Odoo refuses their approval until then). */
static void
test_approvers_stages (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = ct_sync_new (fx->profile, store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCaseDetail) detail = NULL;
  GPtrArray *cases;
  CtCase *both = NULL;
  gboolean seen_double = FALSE;

  ct_sync_add_default_sources (sync, fx->admin, NULL, NULL, NULL);
  ct_sync_refresh_async (sync, FALSE, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  g_assert_true (ct_sync_refresh_finish (sync, result, &error));
  g_assert_no_error (error);
  cases = ct_case_store_get_cases (store);
  for (guint i = 0; i < cases->len && both == NULL; i++)
    if (has_open (cases->pdata[i], CT_SOURCE_KIND_TIER_VALIDATION) &&
        has_open (cases->pdata[i], CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION))
      both = cases->pdata[i];
  g_assert_nonnull (both);

  detail = read_detail (fx, fx->admin, both);
  g_assert_true (detail->sequential);
  g_assert_cmpint (((CtCaseApprover *) detail->approvers->pdata[0])->source, ==,
                   CT_SOURCE_KIND_TIER_VALIDATION);
  for (guint i = 0; i < detail->approvers->len; i++)
    {
      CtCaseApprover *a = detail->approvers->pdata[i];

      g_test_message ("%u. %s (%s): %d", i + 1, a->name, a->via, a->state);
      if (a->source == CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION)
        {
          seen_double = TRUE;
          g_assert_cmpint (a->state, ==, CT_APPROVER_STATE_WAITING);
        }
      else
        g_assert_false (seen_double);
    }
  g_assert_true (seen_double);
}

/* Incidents that hold the case up, from the cases the reader was given:
 * any list model of cases, or the tower's own CtCaseStore (read as an
 * array). @data is TRUE for the store. */
static void
test_linked_incidents (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(CtCase) c = fetch_case (fx, fx->admin, fx->order_id);
  g_autoptr(CtCase) incident = ct_case_new_incident (CT_INCIDENT_N8N_ERROR, "n8n.execution", 77);
  g_autoptr(CtCase) other = ct_case_new_incident (CT_INCIDENT_CRON_FAILING, "ir.cron", 3);
  g_autoptr(GListModel) cases = NULL;
  g_autoptr(CtCaseDetailReader) reader = ct_case_detail_reader_new (fx->admin, fx->profile);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCaseDetail) detail = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);

  ct_case_add_linked_key (incident, c->key);
  ct_case_add_linked_key (other, "purchase.order:1");
  g_ptr_array_add (all, g_object_ref (other));
  g_ptr_array_add (all, g_object_ref (c));
  g_ptr_array_add (all, g_object_ref (incident));
  if (GPOINTER_TO_INT (data))
    {
      CtCaseStore *store = ct_case_store_new ();

      ct_case_store_replace_all (store, all);
      cases = G_LIST_MODEL (store);
    }
  else
    {
      GListStore *store = g_list_store_new (CT_TYPE_CASE);

      g_list_store_splice (store, 0, 0, all->pdata, all->len);
      cases = G_LIST_MODEL (store);
    }
  ct_case_detail_reader_set_cases (reader, cases);
  ct_case_detail_reader_read_async (reader, c, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  detail = ct_case_detail_reader_read_finish (reader, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->incident_keys->len, ==, 1);
  g_assert_cmpstr (detail->incident_keys->pdata[0], ==, "n8n.execution:77");
}

static void
test_html_to_text (void)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_text_link_free);
  g_autofree char *text = NULL;
  g_autofree char *list = NULL;
  g_autofree char *broken = NULL;

  text = ct_html_to_text ("<div style=\"x\">Dear <span>Paula</span>,<br><br><p>Mitchell "
                          "&amp; co&#39;s <a href='https://a.example/x?y=1&amp;z=2'>link</a>"
                          "<script>evil()</script><style>p{}</style> "
                          "<a href=\"data:text/html,x\">data</a> &#0; &#x1F600; &bogus;</p></div>",
                          links);
  g_assert_cmpstr (text, ==, "Dear Paula,\nMitchell & co's link data &#0; \360\237\230\200 &bogus;");
  g_assert_cmpuint (links->len, ==, 1);
  g_assert_cmpstr (((CtTextLink *) links->pdata[0])->url, ==, "https://a.example/x?y=1&z=2");

  list = ct_html_to_text ("<ul><li>One</li><li>Two &lt;b&gt;</li></ul>", NULL);
  g_assert_cmpstr (list, ==, "• One\n• Two <b>");
  broken = ct_html_to_text ("a <b unterminated \xff", NULL);
  g_assert_true (g_utf8_validate (broken, -1, NULL));
}

static void
test_form_url (void)
{
  g_autofree char *v19 = ct_odoo_form_url ("https://erp.example/", 19, "sale.order", 7);
  g_autofree char *v17 = ct_odoo_form_url ("https://erp.example", 17, "sale.order", 7);

  g_assert_cmpstr (v19, ==, "https://erp.example/odoo/sale.order/7");
  g_assert_cmpstr (v17, ==, "https://erp.example/web#id=7&model=sale.order&view_type=form");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("ct-case-detail-XXXXXX", NULL);
  int status;

  /* A cache of our own (G_TEST_OPTION_ISOLATE_DIRS would also hide the
   * proxy settings schema that libsoup's resolver reads). */
  g_assert_nonnull (cache);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/case-detail/html-to-text", test_html_to_text);
  g_test_add_func ("/ct/core/case-detail/form-url", test_form_url);
  g_test_add ("/ct/core/case-detail/content", Fixture, NULL, fixture_set_up, test_content,
              fixture_tear_down);
  g_test_add ("/ct/core/case-detail/credit-forbidden", Fixture, NULL, fixture_set_up,
              test_credit_forbidden, fixture_tear_down);
  g_test_add ("/ct/core/case-detail/tracking-with-session", Fixture, NULL, fixture_set_up,
              test_tracking_with_session, fixture_tear_down);
  g_test_add ("/ct/core/case-detail/attachment", Fixture, NULL, fixture_set_up, test_attachment,
              fixture_tear_down);
  g_test_add ("/ct/core/case-detail/left-queue", Fixture, NULL, fixture_set_up, test_left_queue,
              fixture_tear_down);
  g_test_add ("/ct/core/case-detail/batched", Fixture, NULL, fixture_set_up, test_batched,
              fixture_tear_down);
  g_test_add ("/ct/core/case-detail/company-read-by-id", Fixture, NULL, fixture_set_up,
              test_company_read_by_id, fixture_tear_down);
  g_test_add ("/ct/core/case-detail/approvers-stages", Fixture, NULL, fixture_set_up,
              test_approvers_stages, fixture_tear_down);
  g_test_add ("/ct/core/case-detail/mechanism-reasons", Fixture, NULL, fixture_set_up,
              test_mechanism_reasons, fixture_tear_down);
  g_test_add ("/ct/core/case-detail/linked-incidents", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_linked_incidents, fixture_tear_down);
  g_test_add ("/ct/core/case-detail/linked-incidents-store", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_linked_incidents, fixture_tear_down);
  status = g_test_run ();

  remove_tree (cache);
  return status;
}
