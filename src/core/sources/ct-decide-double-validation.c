/* ct-decide-double-validation.c - Decisions through purchase double validation: button_approve / button_cancel
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * button_approve answers {} whatever happened: for a purchase user it is a
 * silent no-op, and with a pending tier review an administrator's call
 * raises ValidationError. Only the order's state read back says whether it
 * was approved (`purchase`) or cancelled (`cancel`).
 */

#define G_LOG_DOMAIN "ct-decide"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-decide.h"

static void
build_order (JsonObject    *row,
             CtDecideState *state)
{
  const char *s = ct_source_get_string (row, "state");

  state->state = g_strdup (s);
  state->open = g_strcmp0 (s, "to approve") == 0;
  state->approved = g_strcmp0 (s, "purchase") == 0 || g_strcmp0 (s, "done") == 0;
  state->rejected = g_strcmp0 (s, "cancel") == 0;
  ct_decide_fill_writer (row, state);
}

static void
order_read_async (CtOdooClient        *client,
                  CtCase              *c,
                  const CtRequirement *req,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  static const char *const fields[] = { "state", "write_uid", "write_date", NULL };

  ct_decide_read_record (client, c->model, c->record_id, fields, build_order, cancellable,
                         callback, user_data);
}

static void
order_act_async (CtOdooClient        *client,
                 CtCase              *c,
                 const CtRequirement *req,
                 gboolean             approve,
                 const char          *comment,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  ct_decide_call (client, c->model, approve ? "button_approve" : "button_cancel", c->record_id,
                  NULL, cancellable, callback, user_data);
}

static const char *
order_not_applied (gboolean approve)
{
  return approve ? _("only a purchase manager may approve an order above the company's double "
                     "validation amount")
                 : _("you may not have the right to cancel this order");
}

const CtDecideMechanism *
ct_decide_double_validation_mechanism (void)
{
  static const CtDecideMechanism mech = {
    CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION, order_read_async, order_act_async,
    order_not_applied,
  };

  return &mech;
}
