/* test-decide-cli.c - control-tower --decide and --verify-journal, run as a script would
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exit 0 only when the server's state shows the decision; 1 when it was
 * refused or not applied (the reason on standard error); 2 for usage.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include <libsoup/soup.h>

#include "ct-sim-faults.h"
#include "ct-sim-server.h"
#include "ct-test-run.h"

typedef struct
{
  CtSimServer *sim;
  char        *url;
  char        *dir;
  const char  *env[3];
} Cli;

static void
cli_set_up (Cli           *cli,
            gconstpointer  data)
{
  CtSimOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  options.dataset = "recorded";
  options.seed = 1;
  options.n_cases = 10;
  cli->sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (cli->sim, &error));
  cli->url = ct_sim_server_dup_url (cli->sim);
  cli->dir = g_dir_make_tmp ("ct-decide-cli-XXXXXX", &error);
  g_assert_no_error (error);
  cli->env[0] = "CT_TEST_ODOO_KEY";
  cli->env[1] = ct_sim_server_get_api_key (cli->sim, "admin");
  cli->env[2] = NULL;
}

static void
cli_tear_down (Cli           *cli,
               gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (cli->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (cli->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (cli->dir);
  g_free (cli->dir);
  g_free (cli->url);
  ct_sim_server_stop (cli->sim);
  g_clear_object (&cli->sim);
}

#define DECIDE(cli, run, ...) \
  ct_test_run_control_tower (run, (cli)->env, "--server", (cli)->url, "--database", "ct", \
                             "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY", \
                             "--journal-dir", (cli)->dir, __VA_ARGS__, NULL)

static void
test_approve (Cli           *cli,
              gconstpointer  data)
{
  Run run = { 0 };

  DECIDE (cli, &run, "--decide=purchase.order:13", "--action=approve", "--comment=Signed off");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "P00013: Approved"));
  g_assert_nonnull (strstr (run.out, "“purchase”"));
  g_assert_nonnull (strstr (run.out, "ct-"));
  g_assert_null (strstr (run.out, cli->env[1]));
  g_assert_null (strstr (run.err, cli->env[1]));
  ct_test_run_clear (&run);

  /* Decided already: refused, nothing sent. */
  DECIDE (cli, &run, "--decide=purchase.order:13", "--action=reject", "--comment=Too late");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpuint (ct_sim_server_count_requests (cli->sim, "/json/2/purchase.order/button_cancel"), ==, 0);
  ct_test_run_clear (&run);

  /* The journal holds the decision, chained. */
  ct_test_run_control_tower (&run, NULL, "--verify-journal", "--journal-dir", cli->dir, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "intact"));
  g_assert_nonnull (strstr (run.out, "1"));
  ct_test_run_clear (&run);
}

static void
test_outcomes (Cli           *cli,
               gconstpointer  data)
{
  Run run = { 0 };

  DECIDE (cli, &run, "--decide=purchase.order:101", "--action=reject", "--comment=Wrong vendor");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Rejected"));
  ct_test_run_clear (&run);

  DECIDE (cli, &run, "--decide=purchase.order:102", "--action=revise", "--comment=Split it");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Paula Purchaser"));
  ct_test_run_clear (&run);

  DECIDE (cli, &run, "--decide=purchase.order:103", "--action=approve-with-conditions",
          "--condition=Deliver by Friday", "--condition=Net 30");
  g_assert_cmpint (run.status, ==, 0);
  ct_test_run_clear (&run);

  DECIDE (cli, &run, "--decide=purchase.order:104", "--action=delegate", "--to=purchaser",
          "--comment=While I am away");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Delegated to Paula Purchaser"));
  ct_test_run_clear (&run);

  /* The default profile escalates procurement to a group: the simulator
   * cannot resolve group xmlids (no ir.model.data), so this is refused
   * with the reason, and nothing is scheduled. */
  DECIDE (cli, &run, "--decide=purchase.order:12", "--action=escalate");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "control-tower: "));
  ct_test_run_clear (&run);
}

static void
test_not_applied (Cli           *cli,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  g_assert_true (ct_sim_faults_parse (ct_sim_server_get_faults (cli->sim),
                                      "noop@/json/2/purchase.order/button_approve", &error));
  DECIDE (cli, &run, "--decide=purchase.order:13", "--action=approve");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "did not apply"));
  g_assert_null (strstr (run.out, "Approved"));
  ct_test_run_clear (&run);
}

static void
test_four_eyes (Cli           *cli,
                gconstpointer  data)
{
  const char *env[] = { "CT_TEST_ODOO_KEY", ct_sim_server_get_api_key (cli->sim, "purchaser"), NULL };
  Run run = { 0 };

  ct_test_run_control_tower (&run, env, "--server", cli->url, "--database", "ct", "--login",
                             "purchaser", "--secret-env", "CT_TEST_ODOO_KEY", "--journal-dir",
                             cli->dir, "--decide=purchase.order:13", "--action=approve", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "someone else"));
  g_assert_cmpuint (ct_sim_server_count_requests (cli->sim, "/json/2/purchase.order/button_approve"), ==, 0);
  ct_test_run_clear (&run);
}

static void
test_usage (Cli           *cli,
            gconstpointer  data)
{
  static const char *const bad[][3] = {
    { "--decide=purchase.order:13", NULL, NULL },
    { "--decide=purchase.order:13", "--action=sign", NULL },
    { "--decide=purchase.order", "--action=approve", NULL },
    { "--decide=purchase.order:13", "--action=reject", NULL },
    { "--decide=purchase.order:13", "--action=approve-with-conditions", NULL },
    { "--decide=purchase.order:13", "--action=delegate", NULL },
    { "--decide=purchase.order:13", "--action=approve", "--to=purchaser" },
    { "--decide=purchase.order:13", "--action=approve", "--report=pending" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      Run run = { 0 };

      if (bad[i][1] == NULL)
        DECIDE (cli, &run, bad[i][0]);
      else if (bad[i][2] == NULL)
        DECIDE (cli, &run, bad[i][0], bad[i][1]);
      else
        DECIDE (cli, &run, bad[i][0], bad[i][1], bad[i][2]);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, "control-tower: "));
      ct_test_run_clear (&run);
    }
  g_assert_cmpuint (ct_sim_server_count_requests (cli->sim, "/json/2"), ==, 0);
}

/* Calls the simulator over JSON-2 as @login; returns the body. */
static char *
call_sim (Cli        *cli,
          const char *login,
          const char *route,
          const char *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strdup_printf ("%s/json/2/%s", cli->url, route);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autofree char *auth = g_strdup_printf ("bearer %s", ct_sim_server_get_api_key (cli->sim, login));
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

static void
test_confirmation (Cli           *cli,
                   gconstpointer  data)
{
  g_autofree char *created = NULL;
  g_autofree char *confirm = NULL;
  g_autofree char *confirmed = NULL;
  g_autofree char *key = NULL;
  gint64 id;
  Run run = { 0 };

  /* 20 × 800 = 16 000, above the default profile's 10 000. */
  created = call_sim (cli, "purchaser", "purchase.order/create",
                      "{\"vals_list\": [{\"partner_id\": 11, \"partner_ref\": \"CT-BIG\","
                      " \"order_line\": [[0, 0, {\"product_id\": 20, \"product_qty\": 20,"
                      " \"price_unit\": 800}]]}]}");
  id = g_ascii_strtoll (created + 1, NULL, 10);
  g_assert_cmpint (id, >, 0);
  confirm = g_strdup_printf ("{\"ids\": [%" G_GINT64_FORMAT "]}", id);
  confirmed = call_sim (cli, "purchaser", "purchase.order/button_confirm", confirm);
  key = g_strdup_printf ("--decide=purchase.order:%" G_GINT64_FORMAT, id);

  DECIDE (cli, &run, key, "--action=approve");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "16 000"));
  g_assert_nonnull (strstr (run.err, "--yes"));
  g_assert_cmpuint (ct_sim_server_count_requests (cli->sim, "/json/2/purchase.order/button_approve"), ==, 0);
  ct_test_run_clear (&run);

  DECIDE (cli, &run, key, "--action=approve", "--yes");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Approved"));
  ct_test_run_clear (&run);
}

static void
test_verify_journal_broken (Cli           *cli,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (cli->dir, "journal.sqlite", NULL);
  sqlite3 *db = NULL;
  Run run = { 0 };

  DECIDE (cli, &run, "--decide=purchase.order:13", "--action=approve");
  g_assert_cmpint (run.status, ==, 0);
  ct_test_run_clear (&run);
  DECIDE (cli, &run, "--decide=purchase.order:101", "--action=approve");
  g_assert_cmpint (run.status, ==, 0);
  ct_test_run_clear (&run);

  /* Rewrite history behind the app's back. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER decisions_no_update;"
                                 "UPDATE decisions SET actor = 'someone' WHERE id = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  ct_test_run_control_tower (&run, NULL, "--verify-journal", "--journal-dir", cli->dir, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "entry 1"));
  ct_test_run_clear (&run);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Cli, NULL, cli_set_up, func, cli_tear_down)
  ADD ("/ct/cli/decide/approve-then-conflict", test_approve);
  ADD ("/ct/cli/decide/outcomes", test_outcomes);
  ADD ("/ct/cli/decide/not-applied", test_not_applied);
  ADD ("/ct/cli/decide/four-eyes", test_four_eyes);
  ADD ("/ct/cli/decide/usage", test_usage);
  ADD ("/ct/cli/decide/confirmation", test_confirmation);
  ADD ("/ct/cli/verify-journal/broken", test_verify_journal_broken);
#undef ADD

  return g_test_run ();
}
