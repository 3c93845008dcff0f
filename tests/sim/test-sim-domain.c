/* test-sim-domain.c - The simulator's Odoo domain evaluator, operator by operator
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim-test"

#include "config.h"

#include "ct-sim-db.h"
#include "ct-sim-domain.h"

typedef struct
{
  CtSimDb    *db;
  CtSimModel *orders;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 12, 0, 0);
  CtSimModel *partners;
  static const struct { const char *name; gint64 parent; } partner_rows[] = {
    { "OpenWood", 0 }, { "Ready Mat", 0 }, { "Wood Corner", 1 }, { "50% Off_Store", 0 },
  };
  static const struct {
    const char *name; const char *state; double amount; gint64 partner; const char *ref;
    gboolean urgent; const char *date; gint64 lines[2];
  } rows[] = {
    { "P1", "draft", 100.0, 1, NULL, FALSE, "2026-10-01 10:00:00", { 1, 2 } },
    { "P2", "to approve", 8000.0, 2, "TIER-1", TRUE, "2026-11-02 09:00:00", { 3, 0 } },
    { "P3", "purchase", 9600.5, 3, "tier-2", FALSE, "2026-11-20 18:30:00", { 0, 0 } },
    { "P4", "cancel", 0.0, 0, "BULK-001", TRUE, NULL, { 4, 0 } },
    { "P5", "to approve", 12000.0, 4, "X_1", FALSE, "2026-11-25 00:00:00", { 5, 0 } },
  };
  CtSimModel *lines;

  f->db = ct_sim_db_new ("test", now);
  partners = ct_sim_db_add_model (f->db, "res.partner", "Contact");
  ct_sim_model_add_fields_spec (partners, "name|char|Name||;parent_id|many2one|Parent|res.partner|");
  partners->rec_name = "name";
  lines = ct_sim_db_add_model (f->db, "purchase.order.line", "Line");
  ct_sim_model_add_fields_spec (lines, "name|char|Name||;product_qty|float|Quantity||");
  f->orders = ct_sim_db_add_model (f->db, "purchase.order", "Purchase Order");
  ct_sim_model_add_fields_spec (f->orders,
                                "name|char|Name||;state|selection|Status|draft=RFQ,to approve=To Approve,"
                                "purchase=Purchase Order,cancel=Cancelled|;amount_total|monetary|Total||;"
                                "partner_id|many2one|Vendor|res.partner|;partner_ref|char|Reference||;"
                                "urgent|boolean|Urgent||;date_order|datetime|Order Date||;"
                                "order_line|one2many|Lines|purchase.order.line:order_id|;"
                                "priority|integer|Priority||");

  for (guint i = 0; i < G_N_ELEMENTS (partner_rows); i++)
    {
      guint row = ct_sim_model_new_row (partners, 0);

      ct_sim_model_set_str (partners, row, "name", partner_rows[i].name);
      ct_sim_model_set_int (partners, row, "parent_id", partner_rows[i].parent);
    }
  for (guint i = 0; i < 5; i++)
    {
      guint row = ct_sim_model_new_row (lines, 0);

      ct_sim_model_set_str (lines, row, "name", i == 2 ? "Oak table" : "Chair");
      ct_sim_model_set_float (lines, row, "product_qty", (double) (i + 1) * 2);
    }
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      guint row = ct_sim_model_new_row (f->orders, 0);

      ct_sim_model_set_str (f->orders, row, "name", rows[i].name);
      ct_sim_model_set_str (f->orders, row, "state", rows[i].state);
      ct_sim_model_set_float (f->orders, row, "amount_total", rows[i].amount);
      ct_sim_model_set_int (f->orders, row, "partner_id", rows[i].partner);
      ct_sim_model_set_str (f->orders, row, "partner_ref", rows[i].ref);
      ct_sim_model_set_int (f->orders, row, "urgent", rows[i].urgent);
      ct_sim_model_set_str (f->orders, row, "date_order", rows[i].date);
      ct_sim_model_set_int (f->orders, row, "priority", (gint64) i);
      for (guint j = 0; j < 2; j++)
        if (rows[i].lines[j] != 0)
          ct_sim_model_add_id (f->orders, row, "order_line", rows[i].lines[j]);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  ct_sim_db_free (f->db);
}

/* The names of the orders @domain (JSON text) matches, comma-separated. */
static char *
match (Fixture    *f,
       const char *domain_json)
{
  g_autoptr(JsonNode) node = json_from_string (domain_json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSimDomain) domain = NULL;
  GString *out = g_string_new (NULL);

  g_assert_nonnull (node);
  domain = ct_sim_domain_parse (f->orders, node, &error);
  g_assert_no_error (error);
  for (guint row = 0; row < ct_sim_model_n_rows (f->orders); row++)
    if (ct_sim_domain_match (domain, row))
      g_string_append_printf (out, "%s%s", out->len > 0 ? "," : "",
                              ct_sim_model_get_str (f->orders, row, "name"));
  return g_string_free (out, FALSE);
}

#define assert_match(f, domain, expected) \
  G_STMT_START { g_autofree char *_got = match ((f), (domain)); \
                 g_assert_cmpstr (_got, ==, (expected)); } G_STMT_END

static void
test_comparisons (Fixture       *f,
                  gconstpointer  data)
{
  assert_match (f, "[]", "P1,P2,P3,P4,P5");
  assert_match (f, "[[\"state\", \"=\", \"to approve\"]]", "P2,P5");
  assert_match (f, "[[\"state\", \"!=\", \"to approve\"]]", "P1,P3,P4");
  assert_match (f, "[[\"amount_total\", \">\", 8000]]", "P3,P5");
  assert_match (f, "[[\"amount_total\", \">=\", 8000]]", "P2,P3,P5");
  assert_match (f, "[[\"amount_total\", \"<\", 100]]", "P4");
  assert_match (f, "[[\"amount_total\", \"<=\", 100.0]]", "P1,P4");
  assert_match (f, "[[\"priority\", \">\", 2]]", "P4,P5");
  assert_match (f, "[[\"date_order\", \">=\", \"2026-11-01\"]]", "P2,P3,P5");
  /* NULL never compares */
  assert_match (f, "[[\"date_order\", \"<\", \"2027-01-01\"]]", "P1,P2,P3,P5");
  assert_match (f, "[[\"urgent\", \"=\", true]]", "P2,P4");
  assert_match (f, "[[\"urgent\", \"=\", false]]", "P1,P3,P5");
}

static void
test_false_and_sets (Fixture       *f,
                     gconstpointer  data)
{
  assert_match (f, "[[\"partner_ref\", \"=\", false]]", "P1");
  assert_match (f, "[[\"partner_ref\", \"!=\", false]]", "P2,P3,P4,P5");
  assert_match (f, "[[\"partner_id\", \"=\", false]]", "P4");
  assert_match (f, "[[\"state\", \"in\", [\"draft\", \"cancel\"]]]", "P1,P4");
  assert_match (f, "[[\"state\", \"not in\", [\"draft\", \"cancel\"]]]", "P2,P3,P5");
  assert_match (f, "[[\"partner_id\", \"in\", [1, 3]]]", "P1,P3");
  assert_match (f, "[[\"partner_ref\", \"in\", [false, \"X_1\"]]]", "P1,P5");
  assert_match (f, "[[\"order_line\", \"in\", [3, 5]]]", "P2,P5");
  assert_match (f, "[[\"order_line\", \"=\", false]]", "P3");
  assert_match (f, "[[\"state\", \"in\", \"draft\"]]", "P1");
}

static void
test_like_family (Fixture       *f,
                  gconstpointer  data)
{
  assert_match (f, "[[\"partner_ref\", \"like\", \"TIER\"]]", "P2");
  assert_match (f, "[[\"partner_ref\", \"ilike\", \"tier\"]]", "P2,P3");
  assert_match (f, "[[\"partner_ref\", \"not ilike\", \"tier\"]]", "P1,P4,P5");
  assert_match (f, "[[\"partner_ref\", \"not like\", \"TIER\"]]", "P1,P3,P4,P5");
  assert_match (f, "[[\"partner_ref\", \"=like\", \"TIER-%\"]]", "P2");
  assert_match (f, "[[\"partner_ref\", \"=ilike\", \"tier-%\"]]", "P2,P3");
  assert_match (f, "[[\"partner_ref\", \"=like\", \"X__\"]]", "P5");
  assert_match (f, "[[\"partner_ref\", \"=like\", \"X\\\\_1\"]]", "P5");
  assert_match (f, "[[\"partner_id\", \"ilike\", \"wood\"]]", "P1,P3");
  assert_match (f, "[[\"partner_id.name\", \"ilike\", \"50%\"]]", "P5");
}

static void
test_logic (Fixture       *f,
            gconstpointer  data)
{
  /* The recorded search: to approve and over 8000, or a vendor with wood. */
  assert_match (f, "[\"|\", \"&\", [\"state\", \"=\", \"to approve\"], [\"amount_total\", \">\", 8000],"
                " [\"partner_id.name\", \"ilike\", \"wood\"]]", "P1,P3,P5");
  assert_match (f, "[[\"state\", \"=\", \"to approve\"], [\"amount_total\", \">\", 8000]]", "P5");
  assert_match (f, "[\"!\", [\"state\", \"=\", \"draft\"]]", "P2,P3,P4,P5");
  assert_match (f, "[\"|\", [\"state\", \"=\", \"draft\"], \"!\", [\"urgent\", \"=\", false]]",
                "P1,P2,P4");
  assert_match (f, "[\"&\", \"|\", [\"state\", \"=\", \"draft\"], [\"state\", \"=\", \"cancel\"],"
                " [\"urgent\", \"=\", true]]", "P4");
  assert_match (f, "[[1, \"=\", 1]]", "P1,P2,P3,P4,P5");
  assert_match (f, "[[0, \"=\", 1]]", "");
}

static void
test_paths_and_any (Fixture       *f,
                    gconstpointer  data)
{
  assert_match (f, "[[\"partner_id.name\", \"=\", \"Ready Mat\"]]", "P2");
  assert_match (f, "[[\"partner_id.parent_id.name\", \"=\", \"OpenWood\"]]", "P3");
  assert_match (f, "[[\"partner_id.name\", \"!=\", \"Ready Mat\"]]", "P1,P3,P4,P5");
  assert_match (f, "[[\"order_line.name\", \"=\", \"Oak table\"]]", "P2");
  assert_match (f, "[[\"order_line\", \"any\", [[\"product_qty\", \">\", 7]]]]", "P4,P5");
  assert_match (f, "[[\"order_line\", \"not any\", [[\"product_qty\", \">\", 7]]]]", "P1,P2,P3");
  assert_match (f, "[[\"partner_id\", \"any\", [[\"parent_id\", \"!=\", false]]]]", "P3");
  assert_match (f, "[[\"partner_ref\", \"=?\", false]]", "P1,P2,P3,P4,P5");
  assert_match (f, "[[\"partner_ref\", \"=?\", \"X_1\"]]", "P5");
}

static void
assert_error (Fixture    *f,
              const char *domain_json,
              const char *message)
{
  g_autoptr(JsonNode) node = json_from_string (domain_json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSimDomain) domain = ct_sim_domain_parse (f->orders, node, &error);

  g_assert_null (domain);
  g_assert_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALUE_ERROR);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  /* The recorded ValueError text */
  assert_error (f, "[[\"no_field\", \"=\", 1]]",
                "Invalid field purchase.order.no_field in condition ('no_field', '=', 1)");
  assert_error (f, "[[\"partner_id.nope\", \"=\", \"x\"]]",
                "Invalid field res.partner.nope in condition ('partner_id.nope', '=', 'x')");
  assert_error (f, "[[\"state\", \"~\", 1]]",
                "Invalid operator ~ in condition ('state', '~', 1)");
  assert_error (f, "[\"&\", [\"state\", \"=\", \"draft\"]]", NULL);
  assert_error (f, "[\"|\"]", NULL);
  assert_error (f, "[\"xor\", [\"state\", \"=\", 1], [\"state\", \"=\", 2]]", NULL);
  assert_error (f, "[[\"state\", \"=\"]]", NULL);
  assert_error (f, "[42]", NULL);
  assert_error (f, "{\"state\": \"draft\"}", NULL);
  assert_error (f, "[[\"state\", \"any\", [[\"x\", \"=\", 1]]]]", NULL);
  assert_error (f, "[[\"order_line\", \"any\", [[\"nope\", \"=\", 1]]]]", NULL);
  assert_error (f, "[[\"\", \"=\", 1]]", NULL);
  assert_error (f, "[[null, \"=\", 1]]", NULL);
}

static void
test_like_matcher (void)
{
  g_assert_true (ct_sim_like ("TIER-003", "TIER-%", FALSE));
  g_assert_false (ct_sim_like ("XTIER-003", "TIER-%", FALSE));
  g_assert_true (ct_sim_like ("abc", "%", FALSE));
  g_assert_true (ct_sim_like ("", "%", FALSE));
  g_assert_false (ct_sim_like ("", "_", FALSE));
  g_assert_true (ct_sim_like ("a%c", "a\\%c", FALSE));
  g_assert_false (ct_sim_like ("abc", "a\\%c", FALSE));
  g_assert_true (ct_sim_like ("Ärger", "%ärg%", TRUE));
  g_assert_true (ct_sim_like ("aaaaaaaaaaaaaaaaaaaaaaaaaaab", "%a%a%a%a%b", FALSE));
  g_assert_false (ct_sim_like ("aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "%a%a%a%a%b", FALSE));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ct/sim/domain/comparisons", test_comparisons);
  ADD ("/ct/sim/domain/false-and-sets", test_false_and_sets);
  ADD ("/ct/sim/domain/like-family", test_like_family);
  ADD ("/ct/sim/domain/logic", test_logic);
  ADD ("/ct/sim/domain/paths-and-any", test_paths_and_any);
  ADD ("/ct/sim/domain/malformed", test_malformed);
#undef ADD
  g_test_add_func ("/ct/sim/domain/like-matcher", test_like_matcher);

  return g_test_run ();
}
