/* test-cli.c - control-tower on the command line, as support and cron use it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ct-sim-server.h"
#include "ct-test-run.h"

static CtSimServer *
start_recorded_sim (void)
{
  CtSimOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  CtSimServer *sim;

  options.dataset = "recorded";
  options.seed = 1;
  options.n_cases = 10;
  sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  if (!ct_sim_server_start (sim, &error))
    g_error ("ct-sim did not start: %s", error->message);
  return sim;
}

static void
test_demo (void)
{
  Run run = { 0 };

  ct_test_run_control_tower (&run, NULL, "--check-connection", "--demo", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "✓"));
  g_assert_null (strstr (run.out, "✗"));
  ct_test_run_clear (&run);
}

static void
test_server_flags_and_secrets_stay_secret (void)
{
  g_autoptr(CtSimServer) sim = start_recorded_sim ();
  g_autofree char *url = ct_sim_server_dup_url (sim);
  const char *key = ct_sim_server_get_api_key (sim, "admin");
  const char *good_env[] = { "CT_TEST_ODOO_KEY", key, NULL };
  const char *bad_env[] = { "CT_TEST_ODOO_KEY", "0000000000000000000000000000000000000000", NULL };
  Run run = { 0 };

  g_assert_nonnull (key);

  ct_test_run_control_tower (&run, good_env, "--check-connection", "--server", url, "--database", "ct",
                     "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "✓"));
  /* Never the key, not even with every debug message on. */
  g_assert_null (strstr (run.out, key));
  g_assert_null (strstr (run.err, key));
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, bad_env, "--check-connection", "--server", url, "--database", "ct",
                     "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "✗"));
  g_assert_null (strstr (run.out, bad_env[1]));
  g_assert_null (strstr (run.err, bad_env[1]));
  ct_test_run_clear (&run);

  ct_sim_server_stop (sim);
}

static void
test_usage_errors (void)
{
  const char *env[] = { "CT_TEST_SET", "x", NULL };
  Run run = { 0 };

  ct_test_run_control_tower (&run, env, "--check-connection", "--server", "https://erp.example.com",
                     "--database", "x", "--secret-env", "CT_TEST_SET", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--login"));
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--check-connection", "--server", "https://erp.example.com",
                     "--database", "x", "--login", "admin", "--secret-env", "CT_TEST_UNSET_VARIABLE",
                     NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "CT_TEST_UNSET_VARIABLE"));
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--check-connection", "--server", "http://erp.example.com",
                     "--database", "x", "--login", "admin", "--secret-env", "CT_TEST_SET", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "unencrypted"));
  ct_test_run_clear (&run);

  ct_test_run_control_tower (&run, env, "--check-connection", "--server", "erp.example.com",
                     "--database", "x", "--login", "admin", "--secret-env", "CT_TEST_SET", NULL);
  g_assert_cmpint (run.status, ==, 2);
  ct_test_run_clear (&run);
}

static void
test_server_down (void)
{
  const char *env[] = { "CT_TEST_SET", "x", NULL };
  Run run = { 0 };

  /* Port 9 (discard) on loopback: nothing listens there. */
  ct_test_run_control_tower (&run, env, "--check-connection", "--server", "http://127.0.0.1:9",
                     "--database", "x", "--login", "admin", "--secret-env", "CT_TEST_SET", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "✗"));
  g_assert_nonnull (strstr (run.out, "127.0.0.1"));
  ct_test_run_clear (&run);
}

/* Started straight from the build folder with no schema anywhere: one line
 * that says what to do, exit 1, no GLib trap. */
static void
test_missing_schema (void)
{
  g_autofree char *empty = g_dir_make_tmp ("ct-no-schema-XXXXXX", NULL);
  const char *env[] = { "GSETTINGS_SCHEMA_DIR", empty, "XDG_DATA_DIRS", empty, NULL };
  Run run = { 0 };

  ct_test_run_control_tower (&run, env, "--report=pending", "--demo", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "settings schema com.sysgenpro.ControlTower is not installed"));
  g_assert_nonnull (strstr (run.err, "GSETTINGS_SCHEMA_DIR"));
  g_assert_null (strstr (run.err, "GLib-GIO-ERROR"));
  g_assert_cmpstr (run.out, ==, "");
  ct_test_run_clear (&run);
  g_rmdir (empty);
}

static void
test_version (void)
{
  Run run = { 0 };

  ct_test_run_control_tower (&run, NULL, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "control-tower " PACKAGE_VERSION));
  ct_test_run_clear (&run);
}

static void
test_help (void)
{
  Run run = { 0 };

  ct_test_run_control_tower (&run, NULL, "--help-all", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--demo"));
  g_assert_nonnull (strstr (run.out, "--version"));
  g_assert_nonnull (strstr (run.out, "--check-connection"));
  g_assert_nonnull (strstr (run.out, "--secret-env"));
  ct_test_run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/cli/version", test_version);
  g_test_add_func ("/ct/cli/help", test_help);
  g_test_add_func ("/ct/cli/missing-schema", test_missing_schema);
  g_test_add_func ("/ct/cli/check-connection/usage-errors", test_usage_errors);
  g_test_add_func ("/ct/cli/check-connection/server-down", test_server_down);
  g_test_add_func ("/ct/cli/check-connection/demo", test_demo);
  g_test_add_func ("/ct/cli/check-connection/flags-and-secrets", test_server_flags_and_secrets_stay_secret);

  return g_test_run ();
}
