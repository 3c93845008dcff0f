/* ct-check-row.h - One line of a connection check, as a row
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-connection-check.h"

G_BEGIN_DECLS

/* A row with a state icon, a title and the check's sentence. Server text
 * (database and company names) is shown as plain text, never as markup. */
GtkWidget *ct_check_row_new (CtCheckState  state,
                             const char   *title,
                             const char   *text);

G_END_DECLS
