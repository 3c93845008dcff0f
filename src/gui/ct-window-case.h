/* ct-window-case.h - The window's side of the case view: open, read, back, attachments
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-case-page.h"
#include "ct-window.h"

G_BEGIN_DECLS

void        ct_window_case_class_init (GtkWidgetClass *widget_class);
void        ct_window_case_init       (CtWindow       *self);
CtCasePage *ct_window_get_case_page   (CtWindow       *self);

G_END_DECLS
