/* test-cli.c - control-tower on the command line, as support and cron use it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "ct-sim-server.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Runs the real binary without a display, with @env_pairs added to a clean
 * copy of the environment. */
static void
run_control_tower (Run                *run,
                   const char * const *env_pairs,
                   const char         *first_arg,
                   ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = NULL;
  va_list args;

  binary = g_build_filename (g_getenv ("CT_BUILD_ROOT"), "src", "control-tower", NULL);
  g_ptr_array_add (argv, binary);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* No display at all: checks must run over ssh and from cron. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  for (guint i = 0; env_pairs != NULL && env_pairs[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env_pairs[i], env_pairs[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout:\n%s\nstderr (first 2000 bytes):\n%.2000s",
                  run->status, run->out, run->err);
}

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

  run_control_tower (&run, NULL, "--check-connection", "--demo", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "✓"));
  g_assert_null (strstr (run.out, "✗"));
  run_clear (&run);
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

  run_control_tower (&run, good_env, "--check-connection", "--server", url, "--database", "ct",
                     "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "✓"));
  /* Never the key, not even with every debug message on. */
  g_assert_null (strstr (run.out, key));
  g_assert_null (strstr (run.err, key));
  run_clear (&run);

  run_control_tower (&run, bad_env, "--check-connection", "--server", url, "--database", "ct",
                     "--login", "admin", "--secret-env", "CT_TEST_ODOO_KEY", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "✗"));
  g_assert_null (strstr (run.out, bad_env[1]));
  g_assert_null (strstr (run.err, bad_env[1]));
  run_clear (&run);

  ct_sim_server_stop (sim);
}

static void
test_usage_errors (void)
{
  const char *env[] = { "CT_TEST_SET", "x", NULL };
  Run run = { 0 };

  run_control_tower (&run, env, "--check-connection", "--server", "https://erp.example.com",
                     "--database", "x", "--secret-env", "CT_TEST_SET", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--login"));
  run_clear (&run);

  run_control_tower (&run, env, "--check-connection", "--server", "https://erp.example.com",
                     "--database", "x", "--login", "admin", "--secret-env", "CT_TEST_UNSET_VARIABLE",
                     NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "CT_TEST_UNSET_VARIABLE"));
  run_clear (&run);

  run_control_tower (&run, env, "--check-connection", "--server", "http://erp.example.com",
                     "--database", "x", "--login", "admin", "--secret-env", "CT_TEST_SET", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "unencrypted"));
  run_clear (&run);

  run_control_tower (&run, env, "--check-connection", "--server", "erp.example.com",
                     "--database", "x", "--login", "admin", "--secret-env", "CT_TEST_SET", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
}

static void
test_server_down (void)
{
  const char *env[] = { "CT_TEST_SET", "x", NULL };
  Run run = { 0 };

  /* Port 9 (discard) on loopback: nothing listens there. */
  run_control_tower (&run, env, "--check-connection", "--server", "http://127.0.0.1:9",
                     "--database", "x", "--login", "admin", "--secret-env", "CT_TEST_SET", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "✗"));
  g_assert_nonnull (strstr (run.out, "127.0.0.1"));
  run_clear (&run);
}

static void
test_version (void)
{
  Run run = { 0 };

  run_control_tower (&run, NULL, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "control-tower " PACKAGE_VERSION));
  run_clear (&run);
}

static void
test_help (void)
{
  Run run = { 0 };

  run_control_tower (&run, NULL, "--help-all", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--demo"));
  g_assert_nonnull (strstr (run.out, "--version"));
  g_assert_nonnull (strstr (run.out, "--check-connection"));
  g_assert_nonnull (strstr (run.out, "--secret-env"));
  run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/cli/version", test_version);
  g_test_add_func ("/ct/cli/help", test_help);
  g_test_add_func ("/ct/cli/check-connection/usage-errors", test_usage_errors);
  g_test_add_func ("/ct/cli/check-connection/server-down", test_server_down);
  g_test_add_func ("/ct/cli/check-connection/demo", test_demo);
  g_test_add_func ("/ct/cli/check-connection/flags-and-secrets", test_server_flags_and_secrets_stay_secret);

  return g_test_run ();
}
