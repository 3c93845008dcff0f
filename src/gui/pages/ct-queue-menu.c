/* ct-queue-menu.c - A queue's context menu: the decisions for the selected rows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-queue-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-queue-menu.h"

static GMenuModel *
build_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) approve = g_menu_new ();
  g_autoptr(GMenu) hand_on = g_menu_new ();

  g_menu_append (approve, _("_Approve…"), "win.approve");
  g_menu_append (approve, _("Approve _with Conditions…"), "win.approve-with-conditions");
  g_menu_append (approve, _("_Reject…"), "win.reject");
  g_menu_append (hand_on, _("Request Re_vision…"), "win.request-revision");
  g_menu_append (hand_on, _("_Escalate…"), "win.escalate");
  g_menu_append (hand_on, _("_Delegate…"), "win.delegate");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (approve));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (hand_on));
  return G_MENU_MODEL (menu);
}

static void
popup_at (GtkWidget *view,
          double     x,
          double     y)
{
  GtkWidget *popover = g_object_get_data (G_OBJECT (view), "ct-context-menu");
  GtkWidget *parent = gtk_widget_get_parent (popover);
  double px = x, py = y;

  gtk_widget_translate_coordinates (view, parent, x, y, &px, &py);
  gtk_popover_set_pointing_to (GTK_POPOVER (popover),
                               &(GdkRectangle) { (int) px, (int) py, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            GtkWidget       *view)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_at (view, x, y);
}

static gboolean
menu_key_cb (GtkWidget *view,
             GVariant  *args,
             gpointer   user_data)
{
  popup_at (view, gtk_widget_get_width (view) / 2.0, gtk_widget_get_height (view) / 3.0);
  return TRUE;
}

void
ct_queue_menu_attach (GtkWidget *view,
                      GtkWidget *parent)
{
  g_autoptr(GMenuModel) model = build_menu ();
  GtkWidget *popover = gtk_popover_menu_new_from_model (model);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  gtk_widget_set_parent (popover, parent);
  g_object_set_data (G_OBJECT (view), "ct-context-menu", popover);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), view);
  gtk_widget_add_controller (view, GTK_EVENT_CONTROLLER (click));

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_F10,
                                                                           GDK_SHIFT_MASK)),
                      gtk_callback_action_new (menu_key_cb, NULL, NULL)));
  gtk_widget_add_controller (view, keys);
}
