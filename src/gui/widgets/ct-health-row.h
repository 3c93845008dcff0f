/* ct-health-row.h - A source's health as a word and a dot on a row, said the same everywhere
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-sync.h"

G_BEGIN_DECLS

/* "Working", "Stale", "Failing", "Not installed", "Not read yet"; *@style
 * is the CSS class for its dot ("success", "warning", "error", "dim-label"). */
const char *ct_health_word          (const CtSourceHealth *health,
                                     const char          **style);
/* Adds the dot (labelled with the word) before @row's title and the word
 * after it. */
void        ct_health_row_decorate  (AdwActionRow         *row,
                                     const CtSourceHealth *health);

G_END_DECLS
