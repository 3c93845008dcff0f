/* ct-sim-peer-fallback.c - Stand-ins for the n8n side and the fault rules until theirs land
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * meson compiles this file only when ct-sim-n8n.c or ct-sim-faults.c is not
 * in the tree (CT_SIM_FALLBACK_N8N / CT_SIM_FALLBACK_FAULTS say which), so the
 * Odoo side builds and runs on its own. The real implementations replace it
 * without any change to the server.
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <string.h>

#include "ct-sim-faults.h"
#include "ct-sim-n8n.h"

#ifdef CT_SIM_FALLBACK_N8N

struct _CtSimN8n
{
  GObject parent_instance;
  guint   n_links;
};

G_DEFINE_FINAL_TYPE (CtSimN8n, ct_sim_n8n, G_TYPE_OBJECT)

static void
ct_sim_n8n_class_init (CtSimN8nClass *klass)
{
}

static void
ct_sim_n8n_init (CtSimN8n *self)
{
}

CtSimN8n *
ct_sim_n8n_new (guint64     seed,
                guint       n_cases,
                GDateTime  *now,
                const char *dataset)
{
  return g_object_new (CT_TYPE_SIM_N8N, NULL);
}

void
ct_sim_n8n_set_links (CtSimN8n           *self,
                      const CtSimN8nLink *links,
                      guint               n_links)
{
  self->n_links = n_links;
}

void
ct_sim_n8n_handle (CtSimN8n          *self,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query)
{
  static const char body[] = "{\"message\":\"not found\"}";

  /* n8n's answer for a route it does not know. */
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_STATIC,
                                    body, strlen (body));
}

const char *
ct_sim_n8n_get_api_key (CtSimN8n *self)
{
  return "n8n_api_ct_sim_fallback_key";
}

gboolean
ct_sim_n8n_owns_path (const char *path)
{
  return g_str_has_prefix (path, "/api/") || g_str_has_prefix (path, "/healthz");
}

#endif

#ifdef CT_SIM_FALLBACK_FAULTS

struct _CtSimFaults
{
  int unused;
};

CtSimFaults *
ct_sim_faults_new (void)
{
  return g_new0 (CtSimFaults, 1);
}

void
ct_sim_faults_free (CtSimFaults *self)
{
  g_free (self);
}

gboolean
ct_sim_faults_parse (CtSimFaults  *self,
                     const char   *spec,
                     GError      **error)
{
  if (spec == NULL || spec[0] == '\0')
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "This build has no fault rules (ct-sim-faults.c is missing)");
  return FALSE;
}

void
ct_sim_faults_clear (CtSimFaults *self)
{
}

gboolean
ct_sim_faults_before (CtSimFaults       *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      guint             *delay_ms)
{
  *delay_ms = 0;
  return FALSE;
}

void
ct_sim_faults_after (CtSimFaults       *self,
                     SoupServerMessage *msg,
                     const char        *path)
{
}

gboolean
ct_sim_faults_session_should_expire (CtSimFaults *self)
{
  return FALSE;
}

#endif
