/* ct-sim-route.h - One route table shape for the simulator's Odoo and n8n halves
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A new endpoint is one CtSimRoute row plus its function. Patterns are paths
 * whose segments are literal, "{name}" (one non-empty segment, captured) or,
 * as the last segment only, "*" (the rest of the path, possibly empty,
 * captured). The first row whose method and pattern match wins.
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define CT_SIM_ROUTE_MAX_ARGS 4

typedef struct
{
  SoupServerMessage *msg;
  const char        *method;
  const char        *path;
  GHashTable        *query;           /* (nullable) */
  gboolean           expire_session;  /* the fault layer expires this call's session */
  guint              n_args;
  char              *args[CT_SIM_ROUTE_MAX_ARGS];  /* the {…} and * parts, in order */
} CtSimRequest;

typedef void (*CtSimRouteFunc) (gpointer      self,
                                CtSimRequest *request);

typedef struct
{
  const char     *method;   /* NULL: any method */
  const char     *pattern;
  CtSimRouteFunc  func;
} CtSimRoute;

/* Finds the route for @request's method and path in @routes (ended by a row
 * whose pattern is NULL) and fills @request->args. NULL when none matches. */
const CtSimRoute *ct_sim_route_find    (const CtSimRoute *routes,
                                        CtSimRequest     *request);
/* Finds and runs the route; FALSE when none matched. */
gboolean          ct_sim_route_dispatch (const CtSimRoute *routes,
                                         gpointer          self,
                                         CtSimRequest     *request);
void              ct_sim_request_clear  (CtSimRequest     *request);

G_END_DECLS
