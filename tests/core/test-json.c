/* test-json.c - Bounded JSON parsing refuses what would crash or mislead json-glib
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-json.h"

static char *
nested (const char *open,
        const char *close,
        guint       depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static void
test_depth (void)
{
  g_autofree char *ok = nested ("[", "]", CT_JSON_MAX_DEPTH);
  g_autofree char *deep = nested ("{\"a\":", "}", CT_JSON_MAX_DEPTH + 1);
  g_autofree char *huge = nested ("[", "]", 100000);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gsize offset = 0;

  node = ct_json_parse (ok, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_false (ct_json_check (deep, strlen (deep), CT_JSON_MAX_DEPTH, &offset, &error));
  g_assert_error (error, CT_JSON_ERROR, CT_JSON_ERROR_TOO_DEEP);
  g_assert_cmpuint (offset, ==, 5 * CT_JSON_MAX_DEPTH);
  g_clear_error (&error);
  /* json-glib alone overflows its stack on this one. */
  g_assert_null (ct_json_parse (huge, -1, &error));
  g_assert_error (error, CT_JSON_ERROR, CT_JSON_ERROR_TOO_DEEP);
}

/* Brackets inside what json-glib reads as a string or a comment do not
 * count; brackets after them do, whatever quote hides in them. */
static void
test_tokens (void)
{
  g_autofree char *deep = nested ("[", "]", 300);
  static const char *const hidden[] = {
    "\"[[[[\"", "'[[[['", "/ [[[[ /", "\"\\\"[[[[\"", "\"\\\\\"",
  };
  static const char *const hiding[] = {
    "'\"', ", "/\"/ ", "\"'\", ", "\"\\ud83d\\ude00\", ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    g_assert_true (ct_json_check (hidden[i], strlen (hidden[i]), 2, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (hiding); i++)
    {
      g_autofree char *text = g_strconcat ("[", hiding[i], deep, "]", NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (ct_json_check (text, strlen (text), CT_JSON_MAX_DEPTH, NULL, &error));
      g_assert_error (error, CT_JSON_ERROR, CT_JSON_ERROR_TOO_DEEP);
    }
}

static void
test_numbers_and_escapes (void)
{
  static const struct { const char *text; int code; } cases[] = {
    { "[9223372036854775807]", -1 },
    { "[-9223372036854775807]", -1 },
    { "[9223372036854775808]", CT_JSON_ERROR_NUMBER },
    { "[99999999999999999999]", CT_JSON_ERROR_NUMBER },
    { "[0xffffffffffffffff]", CT_JSON_ERROR_NUMBER },
    { "[$ffffffffffffffff]", CT_JSON_ERROR_NUMBER },
    { "[1e308]", -1 },
    { "[1e999]", CT_JSON_ERROR_NUMBER },
    { "[-1e999]", CT_JSON_ERROR_NUMBER },
    { "[\"a99999999999999999999\"]", -1 },
    { "[abc99999999999999999999]", -1 },   /* an identifier: json-glib refuses it */
    { "[\"\\ud83d\\ude00\"]", -1 },
    { "[\"\\ud800\"]", CT_JSON_ERROR_ESCAPE },
    { "[\"\\ud800x\"]", CT_JSON_ERROR_ESCAPE },
    { "[\"\\udc00\"]", CT_JSON_ERROR_ESCAPE },
    { "[\"\\ud800\\u0041\"]", CT_JSON_ERROR_ESCAPE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = ct_json_check (cases[i].text, strlen (cases[i].text), CT_JSON_MAX_DEPTH,
                                   NULL, &error);

      g_test_message ("%s", cases[i].text);
      if (cases[i].code < 0)
        g_assert_no_error (error);
      else
        g_assert_error (error, CT_JSON_ERROR, cases[i].code);
      g_assert_true (ok == (cases[i].code < 0));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ct/base/json/depth", test_depth);
  g_test_add_func ("/ct/base/json/tokens", test_tokens);
  g_test_add_func ("/ct/base/json/numbers-and-escapes", test_numbers_and_escapes);
  return g_test_run ();
}
