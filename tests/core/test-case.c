/* test-case.c - Cases: one record one case, search text, snapshot form,
 * priority and anomaly explanations
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-case"

#include "config.h"

#include "../ct-test-protocol.h"

#include <math.h>
#include <string.h>

#include "ct-anomaly.h"
#include "ct-case-filter.h"
#include "ct-case.h"
#include "ct-priority.h"

static CtCase *
purchase_order (void)
{
  CtCase *c = ct_case_new ("purchase.order", 110);

  c->reference = g_strdup ("P00110");
  c->title = g_strdup ("TIER-003");
  c->area_id = g_strdup ("procurement");
  c->queue_id = g_strdup ("purchase-tier");
  c->requester_id = 7;
  c->requester = g_strdup ("Purchaser");
  c->amount = 9600;
  c->currency = g_strdup ("EUR");
  c->partner.id = 42;
  c->partner.name = g_strdup ("Société Générale de Distribution");
  c->partner.tier = g_strdup ("strategic");
  c->partner.credit_limit = 50000;
  c->partner.exposure = 41000;
  c->partner.overdue = 12400;
  c->company = g_strdup ("YourCompany");
  c->branch = g_strdup ("Antwerp warehouse");
  c->requested_at = 1795000000;
  ct_case_add_requirement (c, CT_SOURCE_KIND_TIER_VALIDATION, "tier.review:3", 7, "Purchaser",
                           CT_APPROVER_STATE_PENDING, 1);
  ct_case_add_reason (c, "order 9 600 EUR ≥ 5 000 EUR double-validation threshold");
  return c;
}

/* The body of a recorded Odoo answer (after the response headers). */
static JsonNode *
load_recorded (const char *relpath)
{
  const char *dir = g_getenv ("CT_PROTOCOL_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : PROTOCOL_DIR, relpath, NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *body;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  body = strstr (strstr (text, "### RESPONSE"), "\n\n") + 2;
  g_assert_true (json_parser_load_from_data (parser, body, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_fill_from_record (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(JsonNode) root = load_recorded ("odoo-19/02-jsonrpc-execute_kw-search_read.txt");
  JsonArray *orders = json_object_get_array_member (json_node_get_object (root), "result");
  JsonObject *po = json_array_get_object_element (orders, 0);
  const CtQueue *q = ct_profile_find_queue (p, "purchase-double");
  g_autoptr(CtCase) c = ct_case_new ("purchase.order", json_object_get_int_member (po, "id"));
  g_autoptr(CtCase) credit = NULL;

  /* P00015: 9 600 USD from OpenWood, confirmed by Paula Purchaser (uid 7),
   * partner_ref false. */
  c->partner.credit_limit = 20000;
  c->partner.exposure = 24000;
  c->partner.overdue = 3200;
  ct_case_fill_from_record (c, p, q, po);
  g_assert_cmpstr (c->key, ==, "purchase.order:15");
  g_assert_cmpstr (c->reference, ==, "P00015");
  g_assert_null (c->title);
  g_assert_cmpfloat (c->amount, ==, 9600);
  g_assert_cmpstr (c->currency, ==, "USD");
  g_assert_cmpstr (c->requester, ==, "Paula Purchaser");
  g_assert_cmpint (c->requester_id, ==, 7);
  g_assert_cmpstr (c->partner.name, ==, "OpenWood");
  g_assert_cmpint (c->partner.id, ==, 12);
  g_assert_cmpstr (c->company, ==, "My Company (San Francisco)");
  g_assert_cmpstr (c->area_id, ==, "procurement");
  g_assert_cmpstr (c->queue_id, ==, "purchase-double");
  /* Procurement rules: the double-validation threshold and the overdue
   * customer; the exposure rule is for sales and credit only. */
  g_assert_cmpuint (c->reasons->len, ==, 2);
  g_assert_cmpstr (c->reasons->pdata[0], ==, "customer 3 200 USD overdue");
  g_assert_cmpstr (c->reasons->pdata[1], ==,
                   "order 9 600 USD ≥ 5 000 USD double-validation threshold");

  /* A credit release from Approvals: exposure over the limit explains it. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_data (parser,
      "{\"id\": 4, \"name\": \"CR/0004\", \"reason\": \"<b>Ship now</b>\","
      " \"category_id\": [2, \"Credit release\"], \"amount\": 12400,"
      " \"request_owner_id\": [9, \"Ann\"], \"partner_id\": false,"
      " \"currency_id\": 42}", -1, NULL));
    credit = ct_case_new ("approval.request", 4);
    credit->partner.credit_limit = 10000;
    credit->partner.exposure = 12500;
    ct_case_fill_from_record (credit, p, ct_profile_find_queue (p, "approvals"),
                              json_node_get_object (json_parser_get_root (parser)));
    g_assert_cmpstr (credit->area_id, ==, "credit");
    g_assert_cmpstr (credit->title, ==, "<b>Ship now</b>");
    g_assert_null (credit->partner.name);
    /* A wrong type is no value; the reasons then use the profile's currency. */
    g_assert_null (credit->currency);
    g_assert_cmpuint (credit->reasons->len, ==, 1);
    g_assert_cmpstr (credit->reasons->pdata[0], ==, "credit exposure 125 % of the limit");
  }

  /* A rule on a field of the record itself (write_off), beside what the
   * case adds: the case's "partner" figures hide a record member of that
   * name, and the record is read where the case adds nothing. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(CtCase) write_off = ct_case_new ("approval.request", 5);

    g_assert_true (json_parser_load_from_data (parser,
      "{\"id\": 5, \"name\": \"WO/0005\", \"category_id\": [3, \"Write-off\"],"
      " \"amount\": 80, \"write_off\": 2500, \"partner\": {\"overdue\": 900},"
      " \"currency_id\": [1, \"EUR\"]}", -1, NULL));
    ct_case_fill_from_record (write_off, p, ct_profile_find_queue (p, "approvals"),
                              json_node_get_object (json_parser_get_root (parser)));
    g_assert_cmpstr (write_off->area_id, ==, "inventory");
    g_assert_cmpuint (write_off->reasons->len, ==, 1);
    g_assert_cmpstr (write_off->reasons->pdata[0], ==, "write-off 2 500 EUR > 1 000 EUR");
  }
}

static void
test_key (void)
{
  g_autoptr(CtCase) c = ct_case_new ("sale.order", 42);
  g_autofree char *k = ct_case_make_key ("account.move", 7);

  g_assert_cmpstr (ct_case_get_key (c), ==, "sale.order:42");
  g_assert_cmpstr (k, ==, "account.move:7");
  g_assert_cmpint (c->kind, ==, CT_CASE_KIND_APPROVAL);
  g_assert_cmpint (c->status, ==, CT_CASE_STATUS_PENDING);
  g_assert_true (isnan (c->discount));
}

static void
test_one_record_one_case (void)
{
  g_autoptr(CtCase) tier = purchase_order ();
  g_autoptr(CtCase) dv = ct_case_new ("purchase.order", 110);

  /* The same order in `to approve` by double validation, seen by another
   * source: merging lists both requirements on one case. */
  dv->requested_at = tier->requested_at - 600;
  dv->amount = 9600;
  ct_case_add_requirement (dv, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION, "purchase.order:110",
                           0, "Purchase managers", CT_APPROVER_STATE_PENDING, 2);
  ct_case_add_reason (dv, "order 9 600 EUR ≥ 5 000 EUR double-validation threshold");
  ct_case_merge (tier, dv);

  g_assert_cmpuint (tier->requirements->len, ==, 2);
  g_assert_cmpuint (ct_case_count_open_requirements (tier), ==, 2);
  g_assert_true (ct_case_has_source (tier, CT_SOURCE_KIND_TIER_VALIDATION));
  g_assert_true (ct_case_has_source (tier, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION));
  g_assert_false (ct_case_has_source (tier, CT_SOURCE_KIND_APPROVALS));
  /* The same reason is not listed twice; the earliest request starts the clock. */
  g_assert_cmpuint (tier->reasons->len, ==, 1);
  g_assert_cmpint (tier->requested_at, ==, dv->requested_at);

  /* Merging the same source again (next sync) updates, never duplicates. */
  ct_case_add_requirement (dv, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION, "purchase.order:110",
                           2, "Mitchell Admin", CT_APPROVER_STATE_APPROVED, 2);
  ct_case_merge (tier, dv);
  g_assert_cmpuint (tier->requirements->len, ==, 2);
  g_assert_cmpuint (ct_case_count_open_requirements (tier), ==, 1);
}

static void
test_pauses_merge (void)
{
  g_autoptr(CtCase) c = ct_case_new ("sale.order", 1);
  CtPeriod *p;

  ct_case_add_pause (c, 1000, 2000);
  ct_case_add_pause (c, 5000, 0);
  ct_case_add_pause (c, 1500, 3000);   /* overlaps the first */
  ct_case_add_pause (c, 3000, 3500);   /* touches it */
  ct_case_add_pause (c, 6000, 7000);   /* inside the open one */
  ct_case_add_pause (c, 4000, 4500);
  g_assert_cmpuint (c->pauses->len, ==, 3);
  p = &g_array_index (c->pauses, CtPeriod, 0);
  g_assert_cmpint (p->start, ==, 1000);
  g_assert_cmpint (p->end, ==, 3500);
  p = &g_array_index (c->pauses, CtPeriod, 1);
  g_assert_cmpint (p->start, ==, 4000);
  g_assert_cmpint (p->end, ==, 4500);
  p = &g_array_index (c->pauses, CtPeriod, 2);
  g_assert_cmpint (p->start, ==, 5000);
  g_assert_cmpint (p->end, ==, 0);
  /* The open pause closes when the case comes back. */
  ct_case_add_pause (c, 5000, 8000);
  g_assert_cmpint (g_array_index (c->pauses, CtPeriod, 2).end, ==, 8000);
}

static void
test_search_text (void)
{
  g_autoptr(CtCase) c = purchase_order ();
  g_autofree char *n1 = ct_case_fold_text ("SOCIETE");
  g_autofree char *n2 = ct_case_fold_text ("générale");
  g_autofree char *n3 = ct_case_fold_text ("p00110");
  g_autofree char *n4 = ct_case_fold_text ("antwerp WARE");
  g_autofree char *n5 = ct_case_fold_text ("rotterdam");
  g_autofree char *n6 = ct_case_fold_text ("double-validation");

  ct_case_update_search_text (c);
  g_assert_true (ct_case_matches (c, n1));
  g_assert_true (ct_case_matches (c, n2));
  g_assert_true (ct_case_matches (c, n3));
  g_assert_true (ct_case_matches (c, n4));
  g_assert_false (ct_case_matches (c, n5));
  g_assert_true (ct_case_matches (c, n6));
  g_assert_true (ct_case_matches (c, ""));
  g_assert_cmpstr (n2, ==, "generale");
  /* Fields are separated: a needle does not match across two of them. */
  {
    g_autofree char *across = ct_case_fold_text ("p00110tier");
    g_assert_false (ct_case_matches (c, across));
  }
}

static void
test_serialize_round_trip (void)
{
  g_autoptr(CtCase) c = purchase_order ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CtCase) back = NULL;
  CtRequirement *r;

  c->status = CT_CASE_STATUS_AWAITING_REVISION;
  c->urgent = TRUE;
  c->shipment_cutoff = 1795100000;
  c->stock_criticality = 0.8;
  c->discount = 12.5;
  ct_case_add_pause (c, 1795000100, 0);
  ct_case_add_anomaly (c, "amount-vs-customer", 5.2, "Amount 9 600 is far above …");
  ct_case_add_linked_key (c, "n8n.execution:20");

  bytes = ct_case_serialize (c);
  back = ct_case_deserialize (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (back);
  g_assert_cmpstr (back->key, ==, "purchase.order:110");
  g_assert_cmpstr (back->reference, ==, "P00110");
  g_assert_cmpstr (back->partner.name, ==, "Société Générale de Distribution");
  g_assert_cmpstr (back->partner.tier, ==, "strategic");
  g_assert_cmpfloat (back->partner.overdue, ==, 12400);
  g_assert_cmpfloat (back->amount, ==, 9600);
  g_assert_cmpint (back->status, ==, CT_CASE_STATUS_AWAITING_REVISION);
  g_assert_true (back->urgent);
  g_assert_cmpint (back->shipment_cutoff, ==, 1795100000);
  g_assert_cmpfloat (back->discount, ==, 12.5);
  g_assert_cmpuint (back->requirements->len, ==, 1);
  r = back->requirements->pdata[0];
  g_assert_cmpstr (r->source_ref, ==, "tier.review:3");
  g_assert_cmpint (r->source, ==, CT_SOURCE_KIND_TIER_VALIDATION);
  g_assert_cmpint (r->approver_id, ==, 7);
  g_assert_cmpuint (back->pauses->len, ==, 1);
  g_assert_cmpint (g_array_index (back->pauses, CtPeriod, 0).end, ==, 0);
  g_assert_cmpuint (back->anomalies->len, ==, 1);
  g_assert_cmpstr (back->linked_keys->pdata[0], ==, "n8n.execution:20");
  g_assert_cmpstr (back->reasons->pdata[0], ==, c->reasons->pdata[0]);
  g_assert_nonnull (back->search_text);
  g_assert_null (back->outcome);
}

static void
test_deserialize_garbage (void)
{
  g_autoptr(CtCase) c = purchase_order ();
  g_autoptr(GBytes) bytes = ct_case_serialize (c);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *copy = g_memdup2 (data, len);
  g_autofree guint8 *longer = g_malloc0 (len + 1);
  GRand *rand = g_rand_new_with_seed (7);

  g_assert_null (ct_case_deserialize (NULL, 0));
  g_assert_null (ct_case_deserialize ((const guint8 *) "", 0));
  g_assert_null (ct_case_deserialize ((const guint8 *) "hello", 5));
  /* Every truncation is refused. */
  for (gsize n = 0; n < len; n++)
    g_assert_null (ct_case_deserialize (data, n));
  /* Trailing bytes too. */
  memcpy (longer, data, len);
  g_assert_null (ct_case_deserialize (longer, len + 1));
  /* Random bit flips never crash (ASan checks the reads); most are refused,
   * and anything accepted is a well-formed case. */
  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(CtCase) back = NULL;
      gsize at = g_rand_int_range (rand, 0, len);

      memcpy (copy, data, len);
      copy[at] ^= 1 << g_rand_int_range (rand, 0, 8);
      back = ct_case_deserialize (copy, len);
      if (back != NULL)
        {
          g_assert_true (g_utf8_validate (back->key, -1, NULL));
          g_assert_nonnull (back->search_text);
        }
    }
  /* A string that is not UTF-8 is refused. */
  memcpy (copy, data, len);
  {
    guint8 *p = NULL;

    for (gsize i = 0; i + 6 <= len && p == NULL; i++)
      if (memcmp (copy + i, "P00110", 6) == 0)
        p = copy + i;
    g_assert_nonnull (p);
    p[1] = 0xff;
    g_assert_null (ct_case_deserialize (copy, len));
  }
  g_rand_free (rand);
}

static void
test_priority (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(CtCase) c = purchase_order ();
  g_autoptr(CtCase) small = ct_case_new ("sale.order", 1);
  gint64 now = 1795000000;
  CtPriorityComponent *pc;

  c->shipment_cutoff = now + 6 * 3600;
  c->stock_criticality = 0.5;
  ct_priority_compute (p, c, now);
  g_assert_cmpuint (c->priority_components->len, ==, 4);
  pc = c->priority_components->pdata[0];
  g_assert_cmpstr (pc->name, ==, "value");
  g_assert_cmpstr (pc->explanation, ==, "Value 9 600 EUR");
  /* log1p (9600) / log1p (10000) of 40 points. */
  g_assert_cmpfloat_with_epsilon (pc->points, 39.8, 0.05);
  pc = c->priority_components->pdata[1];
  g_assert_cmpstr (pc->name, ==, "cutoff");
  g_assert_cmpstr (pc->explanation, ==, "Shipment cut-off in 6 h");
  g_assert_cmpfloat_with_epsilon (pc->points, 22.5, 0.01);  /* 30 × (1 − 6/24) */
  pc = c->priority_components->pdata[2];
  g_assert_cmpstr (pc->explanation, ==, "Strategic customer Société Générale de Distribution");
  g_assert_cmpfloat (pc->points, ==, 20);
  pc = c->priority_components->pdata[3];
  g_assert_cmpstr (pc->explanation, ==, "Stock criticality 50 %");
  g_assert_cmpfloat (pc->points, ==, 5);
  g_assert_cmpfloat_with_epsilon (c->priority, 39.8 + 22.5 + 20 + 5, 0.11);

  /* Nothing to say: score 0 and no components. */
  ct_priority_compute (p, small, now);
  g_assert_cmpfloat (small->priority, ==, 0);
  g_assert_cmpuint (small->priority_components->len, ==, 0);

  /* The tick recomputes what moves with time, and what was never computed. */
  {
    g_autoptr(GPtrArray) all = g_ptr_array_new ();
    g_autoptr(CtCase) fresh = ct_case_new ("sale.order", 2);

    g_ptr_array_add (all, c);
    g_ptr_array_add (all, small);
    g_ptr_array_add (all, fresh);
    fresh->amount = 10000;
    g_assert_cmpuint (ct_priority_update_all (p, all, now + 3 * 3600, FALSE), ==, 2);
    g_assert_cmpfloat (fresh->priority, ==, 40);
    pc = c->priority_components->pdata[1];
    g_assert_cmpstr (pc->explanation, ==, "Shipment cut-off in 3 h");
    g_assert_cmpuint (ct_priority_update_all (p, all, now, TRUE), ==, 3);
  }

  /* A passed cut-off earns the full weight. */
  c->shipment_cutoff = now - 2 * 3600;
  ct_priority_compute (p, c, now);
  pc = c->priority_components->pdata[1];
  g_assert_cmpstr (pc->explanation, ==, "Shipment cut-off passed 2 h ago");
  g_assert_cmpfloat (pc->points, ==, 30);
}

static void
test_baseline (void)
{
  const double v[] = { 5, 3, 4, 4, 6, 40, 5, 4 };
  CtBaseline b;

  g_assert_false (ct_baseline_compute (v, 0, &b));
  g_assert_true (ct_baseline_compute (v, G_N_ELEMENTS (v), &b));
  /* Sorted: 3 4 4 4 5 5 6 40 → median 4.5; deviations .5 .5 .5 .5 .5 1.5 1.5 35.5 → MAD 0.5. */
  g_assert_cmpfloat (b.median, ==, 4.5);
  g_assert_cmpfloat (b.mad, ==, 0.5);
  g_assert_cmpfloat_with_epsilon (ct_baseline_score (&b, 18), 0.6745 * 13.5 / 0.5, 1e-9);
  /* The 40 % outlier in the history does not drag the median. */
  g_assert_cmpfloat_with_epsilon (ct_baseline_score (&b, 5), 0.6745, 1e-9);
}

static void
test_anomaly (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(CtAnomalyDetector) det = ct_anomaly_detector_new ();
  g_autoptr(CtCase) odd = ct_case_new ("sale.order", 900);
  g_autoptr(CtCase) usual = ct_case_new ("sale.order", 901);
  g_autoptr(CtCase) newcomer = ct_case_new ("sale.order", 902);
  const double past[] = { 3, 4, 5, 4, 3, 5, 4, 6, 4, 5, 3, 4 };
  CtAnomaly *a;

  for (guint i = 0; i < G_N_ELEMENTS (past); i++)
    {
      g_autoptr(CtCase) h = ct_case_new ("sale.order", i + 1);

      h->status = CT_CASE_STATUS_DECIDED;
      h->requester_id = 7;
      h->partner.id = 100 + i % 2;   /* two customers, six orders each */
      h->discount = past[i];
      h->amount = 1000;
      ct_anomaly_detector_learn (det, h);
    }

  odd->requester_id = 7;
  odd->partner.id = 100;
  odd->discount = 18;
  odd->amount = 1000;
  g_assert_cmpuint (ct_anomaly_detector_check (det, ct_profile_get_anomaly_settings (p), odd),
                    ==, 1);
  a = odd->anomalies->pdata[0];
  g_assert_cmpstr (a->code, ==, "discount-vs-salesperson");
  g_assert_cmpstr (a->explanation, ==,
                   "Discount 18 % is far above this salesperson’s usual 4 % (median of 12 orders)");
  g_assert_cmpfloat (a->score, >, 3.5);
  /* Six orders per customer are fewer than the 8 the profile asks for, so
   * the customer comparison says nothing. */

  usual->requester_id = 7;
  usual->discount = 5;
  g_assert_cmpuint (ct_anomaly_detector_check (det, ct_profile_get_anomaly_settings (p), usual),
                    ==, 0);
  g_assert_cmpuint (usual->anomalies->len, ==, 0);

  newcomer->requester_id = 99;
  newcomer->discount = 60;
  g_assert_cmpuint (ct_anomaly_detector_check (det, ct_profile_get_anomaly_settings (p),
                                               newcomer), ==, 0);
}

static void
test_to_json (void)
{
  g_autoptr(CtProfile) p = ct_profile_new_default ();
  g_autoptr(CtCase) c = purchase_order ();
  g_autoptr(CtCase) inc = ct_case_new_incident (CT_INCIDENT_QUEUE_JOB_FAILED, "queue.job", 9);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) inode = NULL;
  g_autofree char *text = NULL;
  JsonObject *o, *sla;

  /* Requested Friday 27 March 2026 16:00 CET, seen on Tuesday 09:30 CEST:
   * procurement's 16 h window is used up to 1 + 8 + 1.5 = 10.5 h. */
  c->requested_at = 1774623600;
  g_ptr_array_add (c->reasons, g_strdup ("quote \" and <markup>"));
  ct_sla_compute (p, c, 1774942200, &c->sla);
  ct_priority_compute (p, c, 1774942200);
  node = ct_case_to_json (c);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "key"), ==, "purchase.order:110");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (o, "requested_at"), ==, "2026-03-27T15:00:00Z");
  g_assert_cmpfloat (json_object_get_double_member (o, "amount"), ==, 9600);
  sla = json_object_get_object_member (o, "sla");
  g_assert_cmpstr (json_object_get_string_member (sla, "state"), ==, "on-track");
  g_assert_cmpint (json_object_get_int_member (sla, "elapsed_seconds"), ==, 37800);
  /* Due after 5.5 more hours: Tuesday 16:00 CEST. */
  g_assert_cmpstr (json_object_get_string_member (sla, "due"), ==, "2026-03-31T14:00:00Z");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "requirements")), ==,
                    1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "reasons")), ==, 2);
  g_assert_false (json_object_has_member (o, "incident"));
  text = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "\"quote \\\" and <markup>\""));

  ct_case_add_linked_key (inc, "account.move:31");
  inode = ct_case_to_json (inc);
  o = json_node_get_object (inode);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "incident");
  g_assert_cmpstr (json_object_get_string_member (o, "incident"), ==, "queue-job-failed");
  g_assert_true (json_object_get_null_member (o, "requested_at"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o,
                                                  "linked_cases"), 0), ==, "account.move:31");
}

/* Who can act travels with the requirement: through a snapshot, a merge,
 * and into what "My Queue" asks. */
static void
test_user_can_act (void)
{
  g_autoptr(CtCase) c = ct_case_new ("purchase.order", 110);
  g_autoptr(CtCase) other = ct_case_new ("purchase.order", 110);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CtCase) back = NULL;
  CtRequirement *r;

  ct_case_add_requirement (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION, "dv", 0,
                           "Purchase managers", CT_APPROVER_STATE_PENDING, 0)->actor =
    CT_ACTOR_SOMEONE_ELSE;
  g_assert_false (ct_case_user_can_act (c));
  g_assert_true (ct_case_waits_for_others (c));
  /* My Queue: not while someone else must act, even with the user's id on it. */
  c->status = CT_CASE_STATUS_PENDING;
  ((CtRequirement *) c->requirements->pdata[0])->approver_id = 7;
  g_assert_false (ct_case_in_scope (c, CT_CASE_SCOPE_MINE, 7));

  ct_case_add_requirement (other, CT_SOURCE_KIND_TIER_VALIDATION, "tier.review:3", 7,
                           "Paula Purchaser", CT_APPROVER_STATE_PENDING, 1)->actor = CT_ACTOR_YOU;
  ct_case_merge (c, other);
  g_assert_true (ct_case_user_can_act (c));
  g_assert_false (ct_case_waits_for_others (c));
  c->status = CT_CASE_STATUS_PENDING;
  g_assert_true (ct_case_in_scope (c, CT_CASE_SCOPE_MINE, 0));

  bytes = ct_case_serialize (c);
  back = ct_case_deserialize (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (back);
  g_assert_true (ct_case_equal (c, back));
  g_assert_true (ct_case_user_can_act (back));
  r = back->requirements->pdata[0];
  g_assert_cmpint (r->actor, ==, CT_ACTOR_SOMEONE_ELSE);
  g_assert_cmpint (r->state, ==, CT_APPROVER_STATE_PENDING);

  /* The user is a purchase manager, but a tier review by someone else is
   * open: Odoo refuses the order's approval until it is done, so it is not
   * the user's to act on yet, and waits for the reviewer. */
  {
    g_autoptr(CtCase) order = ct_case_new ("purchase.order", 111);

    ct_case_add_requirement (order, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION, "dv", 0,
                             "Purchase managers", CT_APPROVER_STATE_PENDING, 0)->actor = CT_ACTOR_YOU;
    order->status = CT_CASE_STATUS_PENDING;
    g_assert_true (ct_case_user_can_act (order));
    ct_case_add_requirement (order, CT_SOURCE_KIND_TIER_VALIDATION, "tier.review:4", 9,
                             "Sofia Costa", CT_APPROVER_STATE_PENDING, 1)->actor =
      CT_ACTOR_SOMEONE_ELSE;
    g_assert_false (ct_case_user_can_act (order));
    g_assert_true (ct_case_waits_for_others (order));
    g_assert_false (ct_case_in_scope (order, CT_CASE_SCOPE_MINE, 0));
    /* Reviewed: now it is. */
    ((CtRequirement *) order->requirements->pdata[1])->state = CT_APPROVER_STATE_APPROVED;
    g_assert_true (ct_case_user_can_act (order));
    g_assert_false (ct_case_waits_for_others (order));
  }

  /* A change of who can act is a change of the case. */
  r->actor = CT_ACTOR_UNKNOWN;
  g_assert_false (ct_case_equal (c, back));
  g_assert_false (ct_case_waits_for_others (back));
}

int
main (int argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ct_test_require_protocol_dir ();

  g_test_add_func ("/ct/core/case/key", test_key);
  g_test_add_func ("/ct/core/case/fill-from-record", test_fill_from_record);
  g_test_add_func ("/ct/core/case/one-record-one-case", test_one_record_one_case);
  g_test_add_func ("/ct/core/case/pauses", test_pauses_merge);
  g_test_add_func ("/ct/core/case/search-text", test_search_text);
  g_test_add_func ("/ct/core/case/serialize", test_serialize_round_trip);
  g_test_add_func ("/ct/core/case/to-json", test_to_json);
  g_test_add_func ("/ct/core/case/deserialize-garbage", test_deserialize_garbage);
  g_test_add_func ("/ct/core/case/priority", test_priority);
  g_test_add_func ("/ct/core/case/baseline", test_baseline);
  g_test_add_func ("/ct/core/case/user-can-act", test_user_can_act);
  g_test_add_func ("/ct/core/case/anomaly", test_anomaly);

  return g_test_run ();
}
