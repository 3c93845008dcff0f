/* ct-decide-activity.c - Decisions on an approval activity: action_feedback
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * action_feedback archives the activity (active false, state done): a
 * search no longer finds it, a read by id does — or nothing at all on
 * servers that delete done activities. Either way it is settled.
 */

#define G_LOG_DOMAIN "ct-decide"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-decide.h"

static void
build_activity (JsonObject    *row,
                CtDecideState *state)
{
  JsonNode *active = json_object_get_member (row, "active");
  gboolean archived = active != NULL && JSON_NODE_HOLDS_VALUE (active) &&
                      json_node_get_value_type (active) == G_TYPE_BOOLEAN &&
                      !json_node_get_boolean (active);
  const char *s = ct_source_get_string (row, "state");

  state->state = g_strdup (archived || g_strcmp0 (s, "done") == 0 ? "done" : s);
  state->open = !archived && g_strcmp0 (s, "done") != 0;
  state->approved = !state->open;
  state->rejected = !state->open;
  state->holder_id = ct_source_m2o_id (row, "user_id");
  state->holder = g_strdup (ct_source_m2o_name (row, "user_id"));
  ct_decide_fill_writer (row, state);
}

static void
activity_read_async (CtOdooClient        *client,
                     CtCase              *c,
                     const CtRequirement *req,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  static const char *const fields[] = { "state", "active", "user_id", "write_uid", "write_date",
                                        NULL };

  ct_decide_read_record (client, "mail.activity", ct_decide_ref_id (req->source_ref), fields,
                         build_activity, cancellable, callback, user_data);
}

static void
activity_act_async (CtOdooClient        *client,
                    CtCase              *c,
                    const CtRequirement *req,
                    gboolean             approve,
                    const char          *comment,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  JsonObject *kwargs = json_object_new ();
  g_autofree char *feedback = NULL;

  /* The feedback says the outcome in words; the structured note follows. */
  feedback = comment && *comment ? g_strdup_printf ("%s: %s", approve ? _("Approved") : _("Rejected"),
                                                    comment)
                                 : g_strdup (approve ? _("Approved") : _("Rejected"));
  json_object_set_string_member (kwargs, "feedback", feedback);
  ct_decide_call (client, "mail.activity", "action_feedback", ct_decide_ref_id (req->source_ref),
                  kwargs, cancellable, callback, user_data);
}

static const char *
activity_not_applied (gboolean approve)
{
  return _("the activity may be assigned to someone else");
}

const CtDecideMechanism *
ct_decide_activity_mechanism (void)
{
  static const CtDecideMechanism mech = {
    CT_SOURCE_KIND_ACTIVITY, activity_read_async, activity_act_async, activity_not_applied,
  };

  return &mech;
}
