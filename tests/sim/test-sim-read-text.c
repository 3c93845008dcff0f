/* test-sim-read-text.c - Reads written as text are the bytes json-glib generates from their trees
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator answers search_read and read by writing JSON straight into
 * the body instead of building a node per record. What a client receives
 * must not change by a byte: every record of every model of both datasets,
 * as the administrator and users with fewer rights read it, is compared with json_to_string() of the tree the
 * simulator built before, and the escaping with json-glib's own for every
 * ASCII character and for UTF-8.
 */

#define G_LOG_DOMAIN "ct-sim-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ct-sim-datasets.h"
#include "ct-sim-orm.h"
#include "ct-sim-schema.h"

static char *
generated (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static char *
written (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  ct_sim_json_write (out, node);
  return g_string_free (out, FALSE);
}

static void
test_escaping (void)
{
  static const char *const samples[] = {
    "", "plain", "é€😀", "\xc2\x80\xe2\x80\xa8", "P00013 \"quoted\" \\ back/slash",
    "line\nbreak\ttab\r\f\b", "\x1f\x7f\x01", "<b>&amp;</b>",
  };
  static const double doubles[] = { 0.1, 1.5, 7200.25, 1e20, -0.5, 1e-7, 3.0, -1234567.125 };

  for (guint c = 1; c < 128; c++)
    {
      char text[2] = { (char) c, '\0' };
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
      g_autofree char *expected = generated (node);
      g_autofree char *actual = written (node);

      g_assert_cmpstr (actual, ==, expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), samples[i]);
      g_autofree char *expected = generated (node);
      g_autofree char *actual = written (node);

      g_assert_cmpstr (actual, ==, expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      g_autoptr(JsonNode) node = json_node_init_double (json_node_alloc (), doubles[i]);
      g_autofree char *expected = generated (node);
      g_autofree char *actual = written (node);

      g_assert_cmpstr (actual, ==, expected);
    }
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"b\":[1,-2,true,null,{\"x\\\"y\":\"z\"}],"
                                                 "\"a\":{},\"c\":[],\"d\":false}", NULL);
    g_autofree char *expected = generated (node);
    g_autofree char *actual = written (node);

    g_assert_cmpstr (actual, ==, expected);
  }
}

typedef struct
{
  guint models;
  guint records;
} Counts;

/* Every live record of every model, all fields the user may read. */
static void
compare_model (CtSimModel *model,
               Counts     *counts)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) tree = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *expected = NULL;

  for (guint row = 0; row < ct_sim_model_n_rows (model); row++)
    if (ct_sim_model_row_alive (model, row))
      g_array_append_val (rows, row);
  tree = ct_sim_orm_read_rows (model, rows, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_orm_write_rows (model, rows, NULL, text, &error));
  g_assert_no_error (error);
  expected = generated (tree);
  if (g_strcmp0 (text->str, expected) != 0)
    g_error ("%s: written and generated reads differ:\n%.400s\n%.400s", model->name, text->str,
             expected);
  counts->models++;
  counts->records += rows->len;
}

static void
compare_dataset (CtSimOdoo *odoo,
                 Counts    *counts)
{
  CtSimDb *db = ct_sim_odoo_get_db (odoo);
  GPtrArray *users = ct_sim_odoo_get_users (odoo);

  /* The administrator reads every field; the others are refused some
   * (resolve_fields leaves them out the same way for both writers). */
  static const char *const logins[] = { "admin", "purchaser", "noright", NULL };

  for (guint u = 0; u < users->len; u++)
    {
      CtSimUser *user = g_ptr_array_index (users, u);
      GHashTableIter iter;
      gpointer value;

      if (!g_strv_contains (logins, user->login))
        continue;

      db->current_uid = user->uid;
      db->current_groups = user->groups;
      g_hash_table_iter_init (&iter, db->models);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        compare_model (value, counts);
    }
}

/* As ct_sim_server_new() builds it; @extras: the enterprise and
 * distribution models. */
static CtSimOdoo *
new_odoo (const char *name,
          gboolean    extras)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 4, 14, 0, 0);
  CtSimDb *db = ct_sim_db_new (name, now);

  ct_sim_schema_build (db, extras);
  ct_sim_models_install_computes (db);
  ct_sim_attachments_install (db);
  return ct_sim_odoo_new (db);
}

static void
test_recorded (void)
{
  CtSimOdoo *odoo = new_odoo ("ct", TRUE);
  Counts counts = { 0 };

  ct_sim_dataset_recorded (odoo);
  compare_dataset (odoo, &counts);
  g_test_message ("%u model reads, %u records", counts.models, counts.records);
  g_assert_cmpuint (counts.records, >, 1000);
  ct_sim_odoo_free (odoo);
}

static void
test_distributor (void)
{
  CtSimOdoo *odoo = new_odoo ("distribution", TRUE);
  g_autoptr(GArray) links = g_array_new (FALSE, TRUE, sizeof (CtSimLink));
  Counts counts = { 0 };

  ct_sim_dataset_distributor (odoo, 7, 60, links);
  compare_dataset (odoo, &counts);
  g_test_message ("%u model reads, %u records", counts.models, counts.records);
  g_assert_cmpuint (counts.records, >, 500);
  for (guint i = 0; i < links->len; i++)
    {
      g_free (g_array_index (links, CtSimLink, i).model);
      g_free (g_array_index (links, CtSimLink, i).name);
    }
  ct_sim_odoo_free (odoo);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ct/sim/read-text/escaping", test_escaping);
  g_test_add_func ("/ct/sim/read-text/recorded", test_recorded);
  g_test_add_func ("/ct/sim/read-text/distributor", test_distributor);
  return g_test_run ();
}
