/* ct-decide-tier.c - Decisions through OCA tier validation: validate_tier / reject_tier
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * validate_tier approves this user's pending review only: the record's
 * validation_status becomes `validated` when no review is left, and a
 * purchase order stays `to approve` until a manager's button_approve
 * (tests/data/protocol/README.md). Verification therefore reads the
 * review, never the record's state. When the tier definition asks for a
 * comment, the call answers with the comment wizard's action instead: the
 * wizard is created with the comment and its add_comment settles the review.
 */

#define G_LOG_DOMAIN "ct-decide"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-decide.h"
#include "ct-incident.h"

static void
build_review (JsonObject    *row,
              CtDecideState *state)
{
  const char *status = ct_source_get_string (row, "status");
  JsonNode *when = json_object_get_member (row, "reviewed_date");

  state->state = g_strdup (status);
  state->open = g_strcmp0 (status, "pending") == 0 || g_strcmp0 (status, "waiting") == 0;
  state->approved = g_strcmp0 (status, "approved") == 0;
  state->rejected = g_strcmp0 (status, "rejected") == 0;
  state->holder_id = ct_source_m2o_id (row, "reviewer_id");
  state->holder = g_strdup (ct_source_get_string (row, "todo_by"));
  if (state->holder == NULL)
    state->holder = g_strdup (ct_source_m2o_name (row, "reviewer_id"));
  if (state->open)
    ct_decide_fill_writer (row, state);
  else
    {
      state->by = g_strdup (ct_source_m2o_name (row, "done_by"));
      state->at = when ? ct_parse_odoo_datetime (when) : 0;
    }
}

static void
tier_read_async (CtOdooClient        *client,
                 CtCase              *c,
                 const CtRequirement *req,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  static const char *const fields[] = { "status", "reviewer_id", "todo_by", "done_by",
                                        "reviewed_date", "write_uid", "write_date", NULL };

  ct_decide_read_record (client, "tier.review", ct_decide_ref_id (req->source_ref), fields,
                         build_review, cancellable, callback, user_data);
}

typedef struct
{
  CtOdooClient *client;
  char         *model;
  gint64        id;
  gboolean      approve;
  char         *comment;
  char         *answer;
} Act;

static void
act_free (Act *act)
{
  g_object_unref (act->client);
  g_free (act->model);
  g_free (act->comment);
  g_free (act->answer);
  g_free (act);
}

static void
comment_added (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Act *act = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = ct_decide_act_finish (result, &error);

  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_strdup_printf ("%s; add_comment: %s", act->answer, answer),
                           g_free);
}

static void
wizard_created (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Act *act = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = ct_odoo_client_call_finish (CT_ODOO_CLIENT (object), result, &error);
  gint64 wizard_id = 0;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (answer != NULL && JSON_NODE_HOLDS_VALUE (answer))
    wizard_id = json_node_get_int (answer);
  else if (answer != NULL && JSON_NODE_HOLDS_ARRAY (answer) &&
           json_array_get_length (json_node_get_array (answer)) == 1)
    wizard_id = json_array_get_int_element (json_node_get_array (answer), 0);
  if (wizard_id <= 0)
    {
      g_task_return_new_error (task, CT_SOURCE_ERROR, CT_SOURCE_ERROR_INVALID,
                               _("The server did not create the tier comment"));
      return;
    }
  ct_decide_call (act->client, "comment.wizard", "add_comment", wizard_id, NULL,
                  g_task_get_cancellable (task), comment_added, g_object_ref (task));
}

static void
tier_called (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Act *act = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonArray) values = NULL;
  JsonObject *action, *vals;

  act->answer = ct_decide_act_finish (result, &error);
  if (act->answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  node = json_from_string (act->answer, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      g_strcmp0 (ct_source_get_string (json_node_get_object (node), "res_model"),
                 "comment.wizard") != 0)
    {
      /* None: the review is settled (or not, which the read-back tells). */
      g_task_return_pointer (task, g_steal_pointer (&act->answer), g_free);
      return;
    }
  action = json_node_get_object (node);
  if (act->comment == NULL || *act->comment == '\0')
    {
      g_task_return_new_error (task, CT_SOURCE_ERROR, CT_SOURCE_ERROR_INVALID,
                               _("This tier asks for a comment with the decision"));
      return;
    }
  /* The wizard's defaults come from the action's context; give them
   * explicitly too, so the wizard is complete whatever the context says. */
  vals = json_object_new ();
  json_object_set_string_member (vals, "comment", act->comment);
  json_object_set_string_member (vals, "res_model", act->model);
  json_object_set_int_member (vals, "res_id", act->id);
  json_object_set_string_member (vals, "validate_reject", act->approve ? "validate" : "reject");
  values = json_array_new ();
  json_array_add_object_element (values, vals);
  {
    g_autoptr(JsonObject) kwargs = json_object_new ();
    JsonObject *context = json_object_has_member (action, "context") &&
                          JSON_NODE_HOLDS_OBJECT (json_object_get_member (action, "context"))
                          ? json_object_get_object_member (action, "context") : NULL;

    json_object_set_array_member (kwargs, "vals_list", json_array_ref (values));
    ct_odoo_client_call_async (act->client, "comment.wizard", "create", NULL, kwargs, context,
                               g_task_get_cancellable (task), wizard_created,
                               g_object_ref (task));
  }
}

static void
tier_act_async (CtOdooClient        *client,
                CtCase              *c,
                const CtRequirement *req,
                gboolean             approve,
                const char          *comment,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  Act *act = g_new0 (Act, 1);

  act->client = g_object_ref (client);
  act->model = g_strdup (c->model);
  act->id = c->record_id;
  act->approve = approve;
  act->comment = g_strdup (comment);
  g_task_set_task_data (task, act, (GDestroyNotify) act_free);
  ct_decide_call (client, c->model, approve ? "validate_tier" : "reject_tier", c->record_id, NULL,
                  cancellable, tier_called, task);
}

static const char *
tier_not_applied (gboolean approve)
{
  return _("the review may not be yours to settle now (another reviewer, or an earlier tier "
           "in the sequence, comes first)");
}

const CtDecideMechanism *
ct_decide_tier_mechanism (void)
{
  static const CtDecideMechanism mech = {
    CT_SOURCE_KIND_TIER_VALIDATION, tier_read_async, tier_act_async, tier_not_applied,
  };

  return &mech;
}
