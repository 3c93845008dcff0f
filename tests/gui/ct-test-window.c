/* ct-test-window.c - The app and its window as GUI tests open them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ct-test-gui.h"
#include "ct-test-window.h"

CtWindow *
ct_test_window_open (CtApplication **app)
{
  CtWindow *window;

  ct_test_gui_reset_settings ();
  if (*app == NULL)
    {
      g_autoptr(GError) error = NULL;

      *app = ct_application_new ();
      g_application_set_flags (G_APPLICATION (*app),
                               G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (*app), NULL, &error));
      g_application_hold (G_APPLICATION (*app));
    }
  g_application_activate (G_APPLICATION (*app));
  window = CT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (*app)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  ct_test_gui_wait_painted (GTK_WIDGET (window));
  return window;
}

gboolean
ct_test_window_synced (gpointer window)
{
  CtSync *sync = ct_window_get_sync (window);

  return sync != NULL && ct_sync_get_synced_at (sync) != 0 && !ct_window_is_refreshing (window) &&
         ct_case_store_get_n_cases (ct_window_get_store (window)) > 0;
}
