/* ct-test-gui.h - Helpers GUI tests share: waiting for paint, rendering, finding widgets
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void       ct_test_gui_init            (int         *argc,
                                        char      ***argv);
/* Iterates the default main context until @condition returns TRUE or
 * @timeout_ms passes; returns the last value of @condition. */
gboolean   ct_test_gui_wait            (gboolean   (*condition) (gpointer data),
                                        gpointer     data,
                                        guint        timeout_ms);
void       ct_test_gui_wait_painted    (GtkWidget   *window);
void       ct_test_gui_spin            (guint        ms);
/* Renders @widget as a user sees it to @filename in the build directory
 * and returns the path. */
char      *ct_test_gui_render_png      (GtkWidget   *widget,
                                        const char  *filename);
/* The first descendant of @root of @type whose label/title is @text (or any
 * when @text is NULL). */
GtkWidget *ct_test_gui_find            (GtkWidget   *root,
                                        GType        type,
                                        const char  *text);
GtkWindow *ct_test_gui_find_window     (GType        type);
/* Renders @widget as <name>-light.png and <name>-dark.png; returns the
 * light one's path. */
char      *ct_test_gui_render_both     (GtkWidget   *widget,
                                        const char  *name);
/* Every key of the app's settings back to its default. */
void       ct_test_gui_reset_settings  (void);

G_END_DECLS
