/* ct-sim-html.h - Odoo's HTML sanitiser and message preview, as recorded
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What Odoo 19 keeps of a body posted with body_is_html (09-23): <script> is
 * dropped with its content, javascript: links are emptied and on* attributes
 * removed; other tags, style and https links stay. */
char *ct_sim_html_sanitize (const char *html);
/* A plain-text body as message_post stores it (09-22): &, < and > escaped
 * (quotes are not), wrapped in <p>. */
char *ct_sim_html_from_text (const char *text);
/* mail.message.preview: the body's text with entities decoded, white space
 * collapsed, shortened to 190 characters with " [...]" (09-24). For an
 * escaped plain-text body that is the raw markup, <script> included. */
char *ct_sim_html_preview  (const char *html);

G_END_DECLS
