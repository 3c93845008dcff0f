/* ct-odoo-wire.h - Pure decoding of Odoo answers: bytes in, node or error out
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ct-odoo-error.h"

G_BEGIN_DECLS

/* These functions never touch the network and keep no state, so the fuzzer
 * and the benchmark run exactly the code the clients run.
 *
 * On success they return TRUE and set *result to the answer's value, which
 * is NULL when the method returned None (JSON-RPC: no "result" key; JSON-2:
 * a bare null): that is a success, not an error. On failure they return
 * FALSE with an error in CT_ODOO_ERROR carrying the server's details. */
gboolean  ct_odoo_wire_decode_jsonrpc (const char   *data,
                                       gsize         length,
                                       guint         http_status,
                                       const char   *content_type,
                                       JsonNode    **result,
                                       GError      **error);
gboolean  ct_odoo_wire_decode_json2   (const char   *data,
                                       gsize         length,
                                       guint         http_status,
                                       const char   *content_type,
                                       JsonNode    **result,
                                       GError      **error);

/* Reads /json/version's or common.version's answer: major and minor
 * version ("saas~18.3" gives 18, 3). */
gboolean  ct_odoo_wire_parse_version  (JsonNode     *node,
                                       int          *major,
                                       int          *minor,
                                       char        **version_string,
                                       GError      **error);

/* The error for an answer that is not a decodable error body: an HTML page,
 * an empty 502, ... @what names the server in the message ("Odoo", "n8n"). */
GError   *ct_odoo_wire_error_for_status (guint        http_status,
                                         const char  *content_type,
                                         const char  *data,
                                         gsize        length,
                                         const char  *what);

/* Parses @data as JSON, bounded (ct-json.h); a PROTOCOL error when it is
 * not JSON or not safe to read. @what names the server in the message. */
JsonNode *ct_odoo_wire_parse_json     (const char   *data,
                                       gsize         length,
                                       const char   *what,
                                       GError      **error);

/* TRUE when @content_type or the first bytes say the body is an HTML page. */
gboolean  ct_odoo_wire_looks_like_html (const char  *content_type,
                                        const char  *data,
                                        gsize        length);

G_END_DECLS
