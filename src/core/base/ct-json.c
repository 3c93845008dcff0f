/* ct-json.c - Bounded JSON parsing: a linear check before json-glib sees the text
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-json"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ct-json.h"

G_DEFINE_QUARK (ct-json-error-quark, ct_json_error)

/* The scanner below mirrors json-glib 1.6's tokenizer (json-scanner.c with
 * its default configuration), so that it never sees a bracket outside a
 * string where json-glib sees it inside one, or the other way round:
 *   "..."  string with backslash escapes;
 *   '...'  string without escapes;
 *   /.../  a comment (the single-line comment pair is "/" and "/");
 *   identifiers start with a letter or '_' and go on over [A-Za-z0-9_-];
 *   numbers start with a digit, '.' or '$' (hex) and go on over letters,
 *   digits, '.' and a sign after an exponent.
 * Where json-glib would read further than we do (a NUL, an unterminated
 * string), we only ever count more brackets, never fewer. */

static gboolean
is_ident_first (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_ident_nth (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

static int
hex4 (const char *p,
      const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);

      if (d < 0)
        return -1;
      value = value * 16 + d;
    }
  return value;
}

/* Checks the number token [start, end): TRUE when json-glib reads it as
 * what it says, or refuses it; FALSE when it would wrap or overflow. */
static gboolean
number_fits (const char *start,
             const char *end,
             gboolean    dollar)
{
  g_autofree char *token = g_strndup (start, end - start);
  gboolean hex = dollar || (token[0] == '0' && (token[1] == 'x' || token[1] == 'X'));
  gboolean is_float = FALSE;
  const char *digits = token;
  char *endptr = NULL;
  guint base = 10;
  guint64 value;

  if (!hex)
    is_float = strpbrk (token, ".eE") != NULL || token[0] == '.';
  if (is_float)
    {
      double d;

      errno = 0;
      d = g_ascii_strtod (token, &endptr);
      return endptr == NULL || *endptr != '\0' || isfinite (d);
    }
  if (dollar)
    base = 16;
  else if (hex)
    {
      base = 16;
      digits += 2;
    }
  else if (token[0] == '0' && (token[1] == 'b' || token[1] == 'B'))
    {
      base = 2;
      digits += 2;
    }
  else if (token[0] == '0')
    base = 8;
  if (*digits == '\0')
    return TRUE;
  errno = 0;
  value = g_ascii_strtoull (digits, &endptr, base);
  if (*endptr != '\0')
    return TRUE;   /* json-glib refuses it itself */
  return errno != ERANGE && value <= G_MAXINT64;
}

gboolean
ct_json_check (const char  *data,
               gsize        length,
               guint        max_depth,
               gsize       *offset,
               GError     **error)
{
  const char *p = data;
  const char *end = data + length;
  guint depth = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  while (p < end)
    {
      const char *start = p;
      char c = *p;

      if (c == '"')
        {
          for (p++; p < end && *p != '"'; p++)
            {
              int u, lo;

              if (*p != '\\' || p + 1 >= end)
                continue;
              p++;
              if (*p != 'u' || (u = hex4 (p + 1, end)) < 0)
                continue;
              p += 4;
              if (u >= 0xDC00 && u <= 0xDFFF)
                goto bad_escape;
              if (u < 0xD800 || u > 0xDBFF)
                continue;
              /* A high surrogate must be followed by a low one. */
              if (end - p < 7 || p[1] != '\\' || p[2] != 'u' ||
                  (lo = hex4 (p + 3, end)) < 0xDC00 || lo > 0xDFFF)
                goto bad_escape;
              p += 6;
            }
          p++;
          continue;

        bad_escape:
          if (offset)
            *offset = start - data;
          g_set_error (error, CT_JSON_ERROR, CT_JSON_ERROR_ESCAPE,
                       _("it holds a text with a broken \\u escape (at byte %lu)"),
                       (gulong) (p - data));
          return FALSE;
        }
      else if (c == '\'' || c == '/')
        {
          const char *close = memchr (p + 1, c, end - p - 1);

          p = close != NULL ? close + 1 : end;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            {
              if (offset)
                *offset = p - data;
              g_set_error (error, CT_JSON_ERROR, CT_JSON_ERROR_TOO_DEEP,
                           _("it is nested deeper than %u levels (at byte %lu)"),
                           max_depth, (gulong) (p - data));
              return FALSE;
            }
          p++;
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0)
            depth--;
          p++;
        }
      else if (is_ident_first (c))
        {
          for (p++; p < end && is_ident_nth (*p); p++)
            ;
        }
      else if (g_ascii_isdigit (c) || c == '$' ||
               (c == '.' && p + 1 < end && g_ascii_isdigit (p[1])))
        {
          gboolean dollar = c == '$';

          if (dollar)
            start = ++p;
          for (; p < end; p++)
            {
              if (g_ascii_isalnum (*p) || *p == '.')
                continue;
              if ((*p == '+' || *p == '-') && p > start && (p[-1] == 'e' || p[-1] == 'E'))
                continue;
              break;
            }
          if (p > start && !number_fits (start, p, dollar))
            {
              if (offset)
                *offset = start - data;
              g_set_error (error, CT_JSON_ERROR, CT_JSON_ERROR_NUMBER,
                           _("it holds a number too large to read exactly (at byte %lu)"),
                           (gulong) (start - data));
              return FALSE;
            }
        }
      else
        p++;
    }
  return TRUE;
}

gboolean
ct_json_parser_load (JsonParser  *parser,
                     const char  *data,
                     gssize       length,
                     GError     **error)
{
  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);

  /* An empty body flattens to NULL. */
  if (data == NULL)
    data = "";
  if (length < 0)
    length = strlen (data);
  if (!ct_json_check (data, length, CT_JSON_MAX_DEPTH, NULL, error))
    return FALSE;
  return json_parser_load_from_data (parser, data, length, error);
}

JsonNode *
ct_json_parse (const char  *data,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (data == NULL)
    data = "";
  if (!ct_json_parser_load (parser, data, length, error))
    return NULL;
  root = json_parser_steal_root (parser);
  if (root == NULL)
    g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, _("it is empty"));
  return root;
}
