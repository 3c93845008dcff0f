/* test-format.c - Numbers as a person reads them: grouping, sign, currency
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <math.h>

#include "ct-format.h"

#define NNBSP "\xe2\x80\xaf"

static void
assert_grouped (double      value,
                guint       decimals,
                const char *thousands,
                const char *point,
                const char *expected)
{
  g_autofree char *text = ct_format_grouped (value, decimals, thousands, point);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_grouped (void)
{
  /* English and German conventions, whatever the test's locale. */
  assert_grouped (23816.45, 2, ",", ".", "23,816.45");
  assert_grouped (23816.45, 2, ".", ",", "23.816,45");
  assert_grouped (1234567.891, 2, ",", ".", "1,234,567.89");
  assert_grouped (999.999, 2, ",", ".", "1,000.00");
  assert_grouped (100, 0, ",", ".", "100");
  assert_grouped (0, 2, ",", ".", "0.00");
  /* A minus sign, not a hyphen; nothing that rounds to zero is negative. */
  assert_grouped (-5281.01, 2, ",", ".", "\xe2\x88\x92" "5,281.01");
  assert_grouped (-0.001, 2, ",", ".", "0.00");
  assert_grouped (NAN, 2, ",", ".", "—");
}

static void
test_amount (void)
{
  g_autofree char *amount = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *chip = NULL;

  /* The C locale groups nothing: a narrow no-break space does. */
  setlocale (LC_NUMERIC, "C");
  amount = ct_format_amount (23816.45, "EUR");
  g_assert_cmpstr (amount, ==, "23" NNBSP "816.45\xc2\xa0" "EUR");
  bare = ct_format_amount (12, NULL);
  g_assert_cmpstr (bare, ==, "12.00");
  chip = ct_format_decimal (10000, 0);
  g_assert_cmpstr (chip, ==, "10" NNBSP "000");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ct/gui/format/grouped", test_grouped);
  g_test_add_func ("/ct/gui/format/amount", test_amount);
  return g_test_run ();
}
