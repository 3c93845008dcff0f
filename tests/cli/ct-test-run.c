/* ct-test-run.c - Runs the real control-tower binary as support and cron do
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ct-test-run.h"

void
ct_test_run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Runs the real binary without a display, with @env_pairs added to a clean
 * copy of the environment. */
void
ct_test_run_control_tower (Run                *run,
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

