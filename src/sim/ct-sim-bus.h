/* ct-sim-bus.h - Odoo's bus websocket (/websocket): notifications when records change
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ct-sim-odoo.h"

G_BEGIN_DECLS

typedef struct _CtSimBus CtSimBus;

/* Lives on the server thread; @context is that thread's main context. */
CtSimBus *ct_sim_bus_new         (CtSimOdoo         *odoo,
                                  GMainContext      *context);
/* Closes every socket. */
void      ct_sim_bus_free        (CtSimBus          *self);

/* Registers the websocket handler for /websocket on @server. The plain
 * handler for that path (counts, faults, /websocket/health) is the
 * server's; a fault answering the handshake prevents the upgrade. */
void      ct_sim_bus_attach      (CtSimBus          *self,
                                  SoupServer        *server);
gboolean  ct_sim_bus_owns_path   (const char        *path);
/* The HTTP side: /websocket/health, and leaving an upgrade request alone. */
void      ct_sim_bus_handle      (CtSimBus          *self,
                                  SoupServerMessage *msg,
                                  const char        *path);
/* Closes every open socket now, as a restarting server would (tests). */
void      ct_sim_bus_close_all   (CtSimBus          *self);
guint     ct_sim_bus_count_open  (CtSimBus          *self);

G_END_DECLS
