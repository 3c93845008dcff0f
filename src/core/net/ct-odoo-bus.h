/* ct-odoo-bus.h - Odoo's bus websocket: which records changed, live, with polling as the fallback
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ct-odoo-client.h"

G_BEGIN_DECLS

typedef enum
{
  CT_BUS_STATE_STOPPED,
  CT_BUS_STATE_CONNECTING,
  CT_BUS_STATE_LIVE,      /* the socket is open and subscribed */
  CT_BUS_STATE_POLLING,   /* no socket: refresh on the interval (see the status text) */
} CtBusState;

GType ct_bus_state_get_type (void) G_GNUC_CONST;
#define CT_TYPE_BUS_STATE (ct_bus_state_get_type ())

#define CT_TYPE_ODOO_BUS (ct_odoo_bus_get_type ())

G_DECLARE_FINAL_TYPE (CtOdooBus, ct_odoo_bus, CT, ODOO_BUS, GObject)

/* Listens on @client's server with @client's web session (cookie). The
 * "changed" signal (model, record id) says a record's chatter moved —
 * refresh the source that owns it. The "state" property says whether
 * updates are live or the app polls. */
CtOdooBus   *ct_odoo_bus_new                (CtOdooClient *client);
/* First wait before trying the socket again after it failed (doubles up
 * to ten minutes); 30 s by default. */
void         ct_odoo_bus_set_retry_interval (CtOdooBus    *self,
                                             guint         ms);
/* Connects where the client has a web session (a password sign-in);
 * otherwise goes straight to POLLING, saying why. */
void         ct_odoo_bus_start              (CtOdooBus    *self);
void         ct_odoo_bus_stop               (CtOdooBus    *self);
CtBusState   ct_odoo_bus_get_state          (CtOdooBus    *self);
/* For the health popover: "Live updates from the Odoo bus", or "Polling:
 * <why>". */
const char  *ct_odoo_bus_get_status_text    (CtOdooBus    *self);
/* The id of the newest notification seen (sent back on reconnection so
 * nothing is missed). */
gint64       ct_odoo_bus_get_last_id        (CtOdooBus    *self);

/* Parses one text frame (a JSON array of notifications): calls @func for
 * each record it names, once per record, and returns the largest
 * notification id (or @last when none is larger). Malformed frames name
 * nothing. */
typedef void (*CtBusRecordFunc) (const char *model,
                                 gint64      id,
                                 gpointer    user_data);
gint64       ct_odoo_bus_parse_frame        (const char      *data,
                                             gsize            length,
                                             gint64           last,
                                             CtBusRecordFunc  func,
                                             gpointer         user_data);

G_END_DECLS
