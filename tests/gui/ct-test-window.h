/* ct-test-window.h - The app and its window as GUI tests open them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-application.h"
#include "ct-window.h"

G_BEGIN_DECLS

/* Resets the settings, makes *@app (once: a registered, held, non-unique
 * application) and returns its active window at 1280×900, painted. */
CtWindow *ct_test_window_open   (CtApplication **app);
/* The window's session has synced once, is not refreshing and has cases. */
gboolean  ct_test_window_synced (gpointer        window);

G_END_DECLS
