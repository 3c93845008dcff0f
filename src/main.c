/* main.c - Entry point of Control Tower
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ct-application.h"

/* g_settings_new() aborts the process when the schema is missing, which is
 * what happens when the app is started straight from a build folder without
 * GSETTINGS_SCHEMA_DIR: say so in one line, with what to do, instead. */
static gboolean
settings_schema_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  return schema != NULL;
}

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

  if (!settings_schema_installed ())
    {
      g_printerr (_("control-tower: the settings schema %s is not installed; "
                    "install the app (meson install), start it with build-aux/ct run, "
                    "or set GSETTINGS_SCHEMA_DIR to the build's data folder\n"),
                  APP_ID);
      return 1;
    }

  app = ct_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
