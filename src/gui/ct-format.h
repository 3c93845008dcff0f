/* ct-format.h - Numbers as a person reads them: grouped thousands, amounts with their currency
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @value with @decimals digits after @decimal_point and its thousands
 * grouped by @thousands_sep in threes; a negative value starts with a minus
 * sign (U+2212). "12 400.50" */
char *ct_format_grouped (double      value,
                         guint       decimals,
                         const char *thousands_sep,
                         const char *decimal_point);
/* The same with the separators of the user's locale (LC_NUMERIC); where
 * the locale groups nothing (C, POSIX), a narrow no-break space groups. */
char *ct_format_decimal (double      value,
                         guint       decimals);
/* "23 816.45 EUR": two decimals and the currency; just the number when
 * @currency is NULL or empty. */
char *ct_format_amount  (double      value,
                         const char *currency);

G_END_DECLS
