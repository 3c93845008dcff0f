/* ct-sim-html.c - Odoo's HTML sanitiser and message preview, as recorded
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <string.h>

#include "ct-sim-html.h"

#define PREVIEW_LENGTH 190
#define PREVIEW_MORE   " [...]"

/* The end of the tag that starts at @p ('<'), past quoted values, or NULL. */
static const char *
tag_end (const char *p)
{
  char quote = 0;

  for (p++; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '>')
        return p;
    }
  return NULL;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == ':';
}

/* Appends the start tag @tag (from '<' to before '>') without on*
 * attributes and with javascript: URLs emptied. */
static void
append_clean_tag (GString    *out,
                  const char *tag,
                  const char *end)
{
  const char *p = tag + 1;

  g_string_append_c (out, '<');
  while (p < end && is_name_char (*p))
    g_string_append_c (out, *p++);
  while (p < end)
    {
      const char *name, *value = NULL;
      gsize name_len, value_len = 0;

      while (p < end && (g_ascii_isspace (*p) || *p == '/'))
        p++;
      if (p >= end)
        break;
      name = p;
      while (p < end && !g_ascii_isspace (*p) && *p != '=' && *p != '/')
        p++;
      name_len = p - name;
      while (p < end && g_ascii_isspace (*p))
        p++;
      if (p < end && *p == '=')
        {
          p++;
          while (p < end && g_ascii_isspace (*p))
            p++;
          if (p < end && (*p == '"' || *p == '\''))
            {
              char quote = *p++;

              value = p;
              while (p < end && *p != quote)
                p++;
              value_len = p - value;
              if (p < end)
                p++;
            }
          else
            {
              value = p;
              while (p < end && !g_ascii_isspace (*p))
                p++;
              value_len = p - value;
            }
        }
      if (name_len == 0 || (name_len > 2 && g_ascii_strncasecmp (name, "on", 2) == 0))
        continue;
      g_string_append_c (out, ' ');
      g_string_append_len (out, name, name_len);
      if (value != NULL)
        {
          g_autofree char *text = g_strndup (value, value_len);

          g_strstrip (text);
          g_string_append (out, "=\"");
          if (g_ascii_strncasecmp (text, "javascript:", 11) != 0)
            g_string_append_len (out, value, value_len);
          g_string_append_c (out, '"');
        }
    }
  g_string_append_c (out, '>');
}

char *
ct_sim_html_sanitize (const char *html)
{
  GString *out = g_string_new (NULL);
  const char *p = html != NULL ? html : "";

  while (*p != '\0')
    {
      const char *end;

      if (*p != '<' || (end = tag_end (p)) == NULL)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      if (g_ascii_strncasecmp (p, "<script", 7) == 0 && !is_name_char (p[7]))
        {
          const char *close = end;
          const char *close_end = NULL;

          /* Odoo's cleaner drops the tag and its text. */
          while ((close = strchr (close, '<')) != NULL &&
                 g_ascii_strncasecmp (close, "</script", 8) != 0)
            close++;
          if (close != NULL)
            close_end = tag_end (close);
          p = close_end != NULL ? close_end + 1 : p + strlen (p);
          continue;
        }
      if (p[1] == '/' || p[1] == '!')
        g_string_append_len (out, p, end - p + 1);
      else
        append_clean_tag (out, p, end);
      p = end + 1;
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_block_tag (const char *tag)
{
  static const char *const blocks[] = { "p", "div", "br", "li", "ul", "ol", "tr", "td", "h1", "h2",
                                        "h3", "h4", "blockquote", "pre", "table" };
  const char *name = tag + 1 + (tag[1] == '/');
  gsize len = 0;

  while (is_name_char (name[len]))
    len++;
  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    if (strlen (blocks[i]) == len && g_ascii_strncasecmp (name, blocks[i], len) == 0)
      return TRUE;
  return FALSE;
}

char *
ct_sim_html_from_text (const char *text)
{
  GString *out = g_string_new ("<p>");

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      default: g_string_append_c (out, *p);
      }
  g_string_append (out, "</p>");
  return g_string_free (out, FALSE);
}

static void
append_entity (GString     *out,
               const char **p)
{
  static const struct { const char *name; const char *text; } entities[] = {
    { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" }, { "&quot;", "\"" }, { "&#39;", "'" },
    { "&nbsp;", " " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (g_str_has_prefix (*p, entities[i].name))
      {
        g_string_append (out, entities[i].text);
        *p += strlen (entities[i].name);
        return;
      }
  g_string_append_c (out, **p);
  (*p)++;
}

char *
ct_sim_html_preview (const char *html)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  GString *out = g_string_new (NULL);
  const char *p = html != NULL ? html : "";

  while (*p != '\0')
    {
      const char *end;

      if (*p == '<' && (end = tag_end (p)) != NULL)
        {
          /* Blocks separate words; inline tags do not. */
          if (is_block_tag (p))
            g_string_append_c (text, ' ');
          p = end + 1;
        }
      else if (*p == '&')
        append_entity (text, &p);
      else
        g_string_append_c (text, *p++);
    }
  /* textwrap.shorten: words joined by one space, cut at a word. */
  words = g_strsplit_set (text->str, " \t\r\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }
  if (g_utf8_strlen (out->str, -1) > PREVIEW_LENGTH)
    {
      GString *cut = g_string_new (NULL);

      for (guint i = 0; words[i] != NULL; i++)
        {
          if (words[i][0] == '\0')
            continue;
          if (g_utf8_strlen (cut->str, -1) + (cut->len > 0) + g_utf8_strlen (words[i], -1) +
              strlen (PREVIEW_MORE) > PREVIEW_LENGTH)
            break;
          if (cut->len > 0)
            g_string_append_c (cut, ' ');
          g_string_append (cut, words[i]);
        }
      g_string_append (cut, PREVIEW_MORE);
      g_string_free (out, TRUE);
      out = cut;
    }
  return g_string_free (out, FALSE);
}
