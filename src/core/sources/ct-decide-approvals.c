/* ct-decide-approvals.c - Decisions through Odoo Approvals: action_approve / action_refuse
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-decide"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-decide.h"

static void
build_approver (JsonObject    *row,
                CtDecideState *state)
{
  const char *s = ct_source_get_string (row, "status");

  state->state = g_strdup (s);
  state->open = g_strcmp0 (s, "pending") == 0 || g_strcmp0 (s, "new") == 0 ||
                g_strcmp0 (s, "waiting") == 0;
  state->approved = g_strcmp0 (s, "approved") == 0;
  state->rejected = g_strcmp0 (s, "refused") == 0 || g_strcmp0 (s, "cancel") == 0;
  state->holder_id = ct_source_m2o_id (row, "user_id");
  state->holder = g_strdup (ct_source_m2o_name (row, "user_id"));
  ct_decide_fill_writer (row, state);
}

static void
approver_read_async (CtOdooClient        *client,
                     CtCase              *c,
                     const CtRequirement *req,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  static const char *const fields[] = { "status", "user_id", "write_uid", "write_date", NULL };

  ct_decide_read_record (client, "approval.approver", ct_decide_ref_id (req->source_ref), fields,
                         build_approver, cancellable, callback, user_data);
}

static void
request_act_async (CtOdooClient        *client,
                   CtCase              *c,
                   const CtRequirement *req,
                   gboolean             approve,
                   const char          *comment,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  ct_decide_call (client, c->model, approve ? "action_approve" : "action_refuse", c->record_id,
                  NULL, cancellable, callback, user_data);
}

static const char *
approver_not_applied (gboolean approve)
{
  return _("the request may wait for an earlier approver first, or you are no longer one of "
           "its approvers");
}

const CtDecideMechanism *
ct_decide_approvals_mechanism (void)
{
  static const CtDecideMechanism mech = {
    CT_SOURCE_KIND_APPROVALS, approver_read_async, request_act_async, approver_not_applied,
  };

  return &mech;
}
