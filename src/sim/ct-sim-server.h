/* ct-sim-server.h - An Odoo 19 + n8n simulator on a loopback port
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CT_TYPE_SIM_SERVER (ct_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (CtSimServer, ct_sim_server, CT, SIM_SERVER, GObject)

typedef struct
{
  guint        port;      /* 0 picks a free one */
  guint64      seed;
  guint        n_cases;   /* 10 to 200 000; 0 means 1000 */
  GDateTime   *now;       /* (nullable): fixed clock for tests; NULL is the wall clock */
  const char  *faults;    /* (nullable): fault spec, see ct-sim-faults.h */
  const char  *dataset;   /* (nullable): "generated" (default) or "recorded" */
  gboolean     tls;       /* serve HTTPS with a self-signed certificate */
} CtSimOptions;

CtSimServer *ct_sim_server_new        (const CtSimOptions  *options,
                                       GError             **error);
/* Starts listening on 127.0.0.1 from a thread of its own with its own main
 * context, so a caller's main loop never waits on the simulator. */
gboolean     ct_sim_server_start      (CtSimServer         *self,
                                       GError             **error);
void         ct_sim_server_stop       (CtSimServer         *self);
guint        ct_sim_server_get_port   (CtSimServer         *self);
/* "http://127.0.0.1:PORT" (or https) */
char        *ct_sim_server_dup_url    (CtSimServer         *self);
const char  *ct_sim_server_get_database (CtSimServer       *self);

/* Fault rules a test may change while the server runs. */
struct _CtSimFaults *ct_sim_server_get_faults (CtSimServer *self);
/* How many requests whose path starts with @path_prefix the server has
 * received since start (or since the last reset); NULL counts all. */
guint        ct_sim_server_count_requests (CtSimServer      *self,
                                           const char       *path_prefix);
void         ct_sim_server_reset_counts   (CtSimServer      *self);
/* Credentials of a user of the current dataset (generated: "admin",
 * "manager", "approver", "requester", "noright"; recorded: as in
 * tests/data/protocol/README.md). NULL when the user or key does not exist. */
const char  *ct_sim_server_get_password   (CtSimServer      *self,
                                           const char       *login);
const char  *ct_sim_server_get_api_key    (CtSimServer      *self,
                                           const char       *login);
const char  *ct_sim_server_get_n8n_api_key (CtSimServer     *self);
/* As `ct-sim --print-credentials` prints it: base URL, database, every user
 * with password, uid, groups and API key, the n8n API key. Pretty JSON. */
char        *ct_sim_server_dup_credentials_json (CtSimServer *self);
/* Drops every open bus websocket, as a restarting Odoo would (for tests of
 * the app's fallback to polling). Returns before they are closed. */
void         ct_sim_server_close_websockets (CtSimServer  *self);
/* Replaces the groups of @login (comma-separated xml ids), as an
 * administrator changing a user's rights while the app runs; the next call
 * of that user is checked against them. Returns once the server has them;
 * FALSE when there is no such user. */
gboolean     ct_sim_server_set_user_groups (CtSimServer *self,
                                            const char  *login,
                                            const char  *groups);
/* The PEM of the self-signed certificate when serving TLS (for pinning tests). */
const char  *ct_sim_server_get_certificate_pem (CtSimServer *self);

G_END_DECLS
