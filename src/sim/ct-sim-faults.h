/* ct-sim-faults.h - Faults the simulator injects on purpose
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A set of fault rules, safe to change from a test's thread while the
 * server's thread applies them (internally locked).
 *
 * Spec grammar (--faults and ct_sim_faults_parse), rules separated by ';':
 *   RULE     := KIND [ '@' ROUTE ] [ ':' ARG ] [ '*' COUNT ]
 *   KIND     := latency | http500 | http502 | http503 | truncate | badjson
 *             | reset | expire-session | noop | lose-answer
 *   ROUTE    := a path prefix such as /jsonrpc, /json/2, /api/v1 (default: every route)
 *   ARG      := milliseconds for latency; N for expire-session (expire after N calls)
 *   COUNT    := apply to the next COUNT matching requests only (default: all)
 * noop answers success (JSON-2 `null`) and changes nothing, as Odoo does
 * for a purchase user's button_approve; lose-answer lets the server apply
 * the call and then drops the connection before the answer (a network
 * failure after the server applied a decision). Both take a route such as
 * /json/2/purchase.order/button_approve.
 * Example: "latency@/jsonrpc:1500;http503@/api/v1*2;expire-session:5"
 */
typedef struct _CtSimFaults CtSimFaults;

CtSimFaults *ct_sim_faults_new                   (void);
void         ct_sim_faults_free                  (CtSimFaults        *self);
gboolean     ct_sim_faults_parse                 (CtSimFaults        *self,
                                                  const char         *spec,
                                                  GError            **error);
void         ct_sim_faults_clear                 (CtSimFaults        *self);

/* Called by the server for each request before it is handled. Returns TRUE
 * when the fault answered the message itself (an HTML error page, a reset
 * connection): the server then does nothing more with it. Otherwise
 * *delay_ms is how long the server must hold the answer back (0: none). */
gboolean     ct_sim_faults_before                (CtSimFaults        *self,
                                                  SoupServerMessage  *msg,
                                                  const char         *path,
                                                  guint              *delay_ms);
/* Called after the handler has set the response body: may truncate it or
 * make it invalid JSON. */
void         ct_sim_faults_after                 (CtSimFaults        *self,
                                                  SoupServerMessage  *msg,
                                                  const char         *path);
/* The Odoo side asks this on each authenticated call: TRUE when an
 * expire-session rule says this call's session has expired. */
gboolean     ct_sim_faults_session_should_expire (CtSimFaults        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtSimFaults, ct_sim_faults_free)

G_END_DECLS
