/* main.c - Entry point of Control Tower
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ct-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(CtApplication) app = NULL;

  /* Standard output is for reports and checks a script reads; log
   * messages, debug ones included, go to standard error. */
  g_log_writer_default_set_use_stderr (TRUE);

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ct_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
