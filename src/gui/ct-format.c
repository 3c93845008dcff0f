/* ct-format.c - Numbers as a person reads them: grouped thousands, amounts with their currency
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-format"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "ct-format.h"

/* U+202F, what typography groups thousands with where no locale says. */
#define NARROW_NBSP "\xe2\x80\xaf"
#define MINUS_SIGN  "\xe2\x88\x92"

char *
ct_format_grouped (double      value,
                   guint       decimals,
                   const char *thousands_sep,
                   const char *decimal_point)
{
  g_autoptr(GString) out = g_string_new (NULL);
  char digits[G_ASCII_DTOSTR_BUF_SIZE + 32];
  char format[8];
  const char *point;
  gsize n_int, first;

  if (!isfinite (value))
    return g_strdup ("—");
  /* Beyond 10¹⁵ digits stop meaning anything to a reader. */
  if (fabs (value) >= 1e15)
    return g_strdup_printf ("%g", value);
  decimals = MIN (decimals, 6);
  /* Rounded first, so -0.001 shows as 0.00 and not as −0.00. */
  g_snprintf (format, sizeof format, "%%.%uf", decimals);
  g_ascii_formatd (digits, sizeof digits, format, fabs (value));
  if (value < 0 && strspn (digits, "0.") != strlen (digits))
    g_string_append (out, MINUS_SIGN);
  point = strchr (digits, '.');
  n_int = point ? (gsize) (point - digits) : strlen (digits);
  first = n_int % 3 ? n_int % 3 : 3;
  g_string_append_len (out, digits, MIN (first, n_int));
  for (gsize i = first; i < n_int; i += 3)
    {
      g_string_append (out, thousands_sep ? thousands_sep : "");
      g_string_append_len (out, digits + i, 3);
    }
  if (point != NULL)
    {
      g_string_append (out, decimal_point && *decimal_point ? decimal_point : ".");
      g_string_append (out, point + 1);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
ct_format_decimal (double value,
                   guint  decimals)
{
  const struct lconv *lc = localeconv ();
  const char *sep = lc->thousands_sep && *lc->thousands_sep ? lc->thousands_sep : NARROW_NBSP;

  return ct_format_grouped (value, decimals, sep, lc->decimal_point);
}

char *
ct_format_amount (double      value,
                  const char *currency)
{
  g_autofree char *number = ct_format_decimal (value, 2);

  if (currency == NULL || *currency == '\0')
    return g_steal_pointer (&number);
  /* A no-break space keeps the currency on the number's line. */
  return g_strdup_printf ("%s\xc2\xa0%s", number, currency);
}
