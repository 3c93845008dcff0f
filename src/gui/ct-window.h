/* ct-window.h - The main window
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-application.h"

G_BEGIN_DECLS

#define CT_TYPE_WINDOW (ct_window_get_type ())

G_DECLARE_FINAL_TYPE (CtWindow, ct_window, CT, WINDOW, AdwApplicationWindow)

CtWindow *ct_window_new       (CtApplication *application);
void      ct_window_add_toast (CtWindow      *self,
                               const char    *title);
/* Shows the page that fits the saved connection or the demo. */
void      ct_window_refresh   (CtWindow      *self);

G_END_DECLS
