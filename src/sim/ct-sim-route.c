/* ct-sim-route.c - One route table shape for the simulator's Odoo and n8n halves
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <string.h>

#include "ct-sim-route.h"

void
ct_sim_request_clear (CtSimRequest *request)
{
  for (guint i = 0; i < request->n_args; i++)
    g_clear_pointer (&request->args[i], g_free);
  request->n_args = 0;
}

static gboolean
pattern_matches (const char   *pattern,
                 const char   *path,
                 CtSimRequest *request)
{
  const char *p = pattern;
  const char *s = path;

  ct_sim_request_clear (request);
  while (*p != '\0')
    {
      if (p[0] == '*' && p[1] == '\0')
        {
          if (request->n_args < CT_SIM_ROUTE_MAX_ARGS)
            request->args[request->n_args++] = g_strdup (s);
          return TRUE;
        }
      if (*p == '{')
        {
          const char *close = strchr (p, '}');
          gsize len = strcspn (s, "/");

          if (close == NULL || len == 0 || request->n_args == CT_SIM_ROUTE_MAX_ARGS)
            return FALSE;
          request->args[request->n_args++] = g_strndup (s, len);
          p = close + 1;
          s += len;
          continue;
        }
      if (*p != *s)
        return FALSE;
      p++;
      s++;
    }
  return *s == '\0';
}

const CtSimRoute *
ct_sim_route_find (const CtSimRoute *routes,
                   CtSimRequest     *request)
{
  for (const CtSimRoute *route = routes; route->pattern != NULL; route++)
    {
      if (route->method != NULL && g_strcmp0 (route->method, request->method) != 0)
        continue;
      if (pattern_matches (route->pattern, request->path, request))
        return route;
    }
  ct_sim_request_clear (request);
  return NULL;
}

gboolean
ct_sim_route_dispatch (const CtSimRoute *routes,
                       gpointer          self,
                       CtSimRequest     *request)
{
  const CtSimRoute *route = ct_sim_route_find (routes, request);

  if (route == NULL)
    return FALSE;
  route->func (self, request);
  ct_sim_request_clear (request);
  return TRUE;
}
