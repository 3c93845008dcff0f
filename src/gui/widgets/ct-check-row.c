/* ct-check-row.c - One line of a connection check, as a row
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-check-row"

#include "config.h"

#include "ct-check-row.h"

static const char *
check_icon (CtCheckState state)
{
  switch (state)
    {
    case CT_CHECK_OK:
      return "emblem-ok-symbolic";
    case CT_CHECK_WARNING:
      return "dialog-warning-symbolic";
    case CT_CHECK_ERROR:
      return "dialog-error-symbolic";
    case CT_CHECK_SKIPPED:
    default:
      return "content-loading-symbolic";
    }
}

static const char *
check_style (CtCheckState state)
{
  switch (state)
    {
    case CT_CHECK_OK:
      return "success";
    case CT_CHECK_WARNING:
      return "warning";
    case CT_CHECK_ERROR:
      return "error";
    case CT_CHECK_SKIPPED:
    default:
      return "dim-label";
    }
}

GtkWidget *
ct_check_row_new (CtCheckState  state,
                  const char   *title,
                  const char   *text)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (check_icon (state));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text != NULL ? text : "");
  gtk_widget_add_css_class (icon, check_style (state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ct_check_state_to_string (state), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}
