/* ct-sim-n8n.h - The n8n public API v1 of the simulator
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define CT_TYPE_SIM_N8N (ct_sim_n8n_get_type ())

G_DECLARE_FINAL_TYPE (CtSimN8n, ct_sim_n8n, CT, SIM_N8N, GObject)

/* A record of the Odoo side that executions may point at through customData. */
typedef struct
{
  const char *model;   /* "sale.order", "purchase.order", "res.partner", ... */
  gint64      id;
  const char *name;    /* display name, e.g. "S00042" */
  const char *topic;   /* (nullable) static: only a workflow with this link topic points here
                        * ("credit-check": the orders waiting for a credit release) */
} CtSimN8nLink;

/* @dataset: "generated" (default) or "recorded" (the workflows and executions of
 * tests/data/protocol/n8n-1.123). @now: (nullable) fixed clock. */
CtSimN8n   *ct_sim_n8n_new          (guint64              seed,
                                     guint                n_cases,
                                     GDateTime           *now,
                                     const char          *dataset);
/* Tells the n8n side which Odoo records exist, so failed runs link to real
 * cases. Called once after the Odoo data is generated. */
void        ct_sim_n8n_set_links    (CtSimN8n            *self,
                                     const CtSimN8nLink  *links,
                                     guint                n_links);
/* Answers one request whose path starts with /api/ or is /healthz*.
 * Runs on the server's thread. */
void        ct_sim_n8n_handle       (CtSimN8n            *self,
                                     SoupServerMessage   *msg,
                                     const char          *path,
                                     GHashTable          *query);
/* The API key that X-N8N-API-KEY must carry. */
const char *ct_sim_n8n_get_api_key  (CtSimN8n            *self);
/* Whether @path belongs to the n8n side. */
gboolean    ct_sim_n8n_owns_path    (const char          *path);
/* A key the n8n side knows but refuses as expired (401 "unauthorized"). */
const char *ct_sim_n8n_get_expired_api_key (CtSimN8n       *self);
/* "recorded" dataset only: the state at the time transcript @name (a file
 * name of tests/data/protocol/n8n-1.123) was recorded; only moves forward. */
void        ct_sim_n8n_replay_until (CtSimN8n            *self,
                                     const char          *name);

G_END_DECLS
