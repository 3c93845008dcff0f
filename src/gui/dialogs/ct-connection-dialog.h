/* ct-connection-dialog.h - Set up where the servers are and who signs in
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CT_TYPE_CONNECTION_DIALOG (ct_connection_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CtConnectionDialog, ct_connection_dialog, CT, CONNECTION_DIALOG, AdwWindow)

CtConnectionDialog *ct_connection_dialog_new (GtkWindow *parent,
                                              GSettings *settings);

G_END_DECLS
