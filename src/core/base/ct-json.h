/* ct-json.h - Bounded JSON parsing: a linear check before json-glib sees the text
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* json-glib 1.6 parses recursively: 100 000 nested brackets exhaust the
 * stack. No real answer, profile or snapshot nests anywhere near this. */
#define CT_JSON_MAX_DEPTH 256

#define CT_JSON_ERROR (ct_json_error_quark ())

typedef enum
{
  CT_JSON_ERROR_TOO_DEEP,   /* nested deeper than the bound */
  CT_JSON_ERROR_NUMBER,     /* an integer beyond 64 bits or a float beyond double */
  CT_JSON_ERROR_ESCAPE,     /* a \u escape json-glib would turn into invalid UTF-8 */
} CtJsonError;

GQuark     ct_json_error_quark (void);

/* One linear scan over @data that tokenises strings, comments and numbers
 * as json-glib 1.6 does and refuses what would crash it or silently change
 * a value: nesting beyond @max_depth, integers that wrap, floats that
 * overflow to infinity, lone surrogates. On failure *@offset (if not NULL)
 * is the byte where the problem starts. */
gboolean   ct_json_check       (const char  *data,
                                gsize        length,
                                guint        max_depth,
                                gsize       *offset,
                                GError     **error);

/* ct_json_check() with CT_JSON_MAX_DEPTH, then json_parser_load_from_data();
 * json-glib's own errors pass through unchanged. @length may be -1. */
gboolean   ct_json_parser_load (JsonParser  *parser,
                                const char  *data,
                                gssize       length,
                                GError     **error);

/* The bounded json_from_string(): the root node, or NULL with @error set. */
JsonNode  *ct_json_parse       (const char  *data,
                                gssize       length,
                                GError     **error);

G_END_DECLS
