/* ct-queue-menu.h - A queue's context menu: the decisions for the selected rows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Right click, the Menu key or Shift+F10 on @view pops up the decisions
 * (window actions, which apply to the selection). The popover is a child
 * of @parent, a widget whose layout skips popovers (a GtkBox). */
void ct_queue_menu_attach (GtkWidget *view,
                           GtkWidget *parent);

G_END_DECLS
