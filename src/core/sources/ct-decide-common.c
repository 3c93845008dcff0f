/* ct-decide-common.c - What the mechanisms' decision code shares: reading a state, calling a method
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-decide"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-decide.h"
#include "ct-incident.h"

void
ct_decide_state_free (CtDecideState *state)
{
  if (state == NULL)
    return;
  g_free (state->holder);
  g_free (state->state);
  g_free (state->by);
  g_free (state);
}

const CtDecideMechanism *
ct_decide_mechanism_for (CtSourceKind kind)
{
  switch (kind)
    {
    case CT_SOURCE_KIND_TIER_VALIDATION:
      return ct_decide_tier_mechanism ();
    case CT_SOURCE_KIND_APPROVALS:
      return ct_decide_approvals_mechanism ();
    case CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION:
      return ct_decide_double_validation_mechanism ();
    case CT_SOURCE_KIND_ACTIVITY:
      return ct_decide_activity_mechanism ();
    case CT_SOURCE_KIND_N8N:
    case CT_SOURCE_KIND_CRON:
    case CT_SOURCE_KIND_QUEUE_JOB:
    default:
      return NULL;
    }
}

gint64
ct_decide_ref_id (const char *source_ref)
{
  const char *colon;

  if (source_ref == NULL)
    return 0;
  colon = strrchr (source_ref, ':');
  return g_ascii_strtoll (colon ? colon + 1 : source_ref, NULL, 10);
}

void
ct_decide_fill_writer (JsonObject    *row,
                       CtDecideState *state)
{
  JsonNode *when = json_object_get_member (row, "write_date");

  g_free (state->by);
  state->by = g_strdup (ct_source_m2o_name (row, "write_uid"));
  state->at = when ? ct_parse_odoo_datetime (when) : 0;
}

typedef struct
{
  CtDecideBuildFunc build;
} ReadData;

static void
read_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CtDecideBuildFunc build = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_read_finish (CT_ODOO_CLIENT (object), result, &error);
  CtDecideState *state;

  if (rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  state = g_new0 (CtDecideState, 1);
  if (json_array_get_length (rows) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (rows, 0)))
    {
      state->exists = TRUE;
      build (json_array_get_object_element (rows, 0), state);
    }
  else
    state->state = g_strdup ("deleted");
  g_task_return_pointer (task, state, (GDestroyNotify) ct_decide_state_free);
}

void
ct_decide_read_record (CtOdooClient        *client,
                       const char          *model,
                       gint64               id,
                       const char * const  *fields,
                       CtDecideBuildFunc    build,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, ct_decide_read_record);
  g_task_set_task_data (task, build, NULL);
  ct_odoo_client_read_async (client, model, &id, 1, fields, cancellable, read_done, task);
}

CtDecideState *
ct_decide_read_finish (GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
call_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = ct_odoo_client_call_finish (CT_ODOO_CLIENT (object), result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, answer ? json_to_string (answer, FALSE) : g_strdup ("null"),
                           g_free);
}

void
ct_decide_call (CtOdooClient        *client,
                const char          *model,
                const char          *method,
                gint64               id,
                JsonObject          *kwargs,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  g_autoptr(JsonArray) ids = json_array_new ();

  g_task_set_source_tag (task, ct_decide_call);
  json_array_add_int_element (ids, id);
  ct_odoo_client_call_async (client, model, method, ids, kwargs, NULL, cancellable, call_done, task);
  if (kwargs != NULL)
    json_object_unref (kwargs);
}

char *
ct_decide_act_finish (GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the CtSource vfunc ---- */

static const CtRequirement *
own_requirement (CtCase       *c,
                 CtSourceKind  kind,
                 gint64        uid)
{
  const CtRequirement *group = NULL;

  for (guint i = 0; c->requirements != NULL && i < c->requirements->len; i++)
    {
      const CtRequirement *req = c->requirements->pdata[i];

      if (req->source != kind || req->state != CT_APPROVER_STATE_PENDING)
        continue;
      if (req->approver_id == uid)
        return req;
      if (req->approver_id == 0 && group == NULL)
        group = req;
    }
  return group;
}

static void
vfunc_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = ct_decide_act_finish (result, &error);

  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
ct_decide_apply_async (CtSource            *self,
                       CtCase              *c,
                       const char          *outcome,
                       const char          *comment,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const CtDecideMechanism *mech = ct_decide_mechanism_for (ct_source_get_kind (self));
  CtOdooClient *client = ct_source_get_client (self);
  const CtRequirement *req;
  gboolean approve = g_strcmp0 (outcome, "approve") == 0;

  g_task_set_source_tag (task, ct_decide_apply_async);
  if (mech == NULL || client == NULL || (!approve && g_strcmp0 (outcome, "reject") != 0))
    {
      g_task_return_new_error (task, CT_SOURCE_ERROR, CT_SOURCE_ERROR_NOT_SUPPORTED,
                               _("Decisions through %s are not available in this version"),
                               ct_source_get_name (self));
      return;
    }
  req = own_requirement (c, mech->kind, ct_odoo_client_get_uid (client));
  if (req == NULL)
    {
      g_task_return_new_error (task, CT_SOURCE_ERROR, CT_SOURCE_ERROR_INVALID,
                               _("Nothing on this case waits for your decision"));
      return;
    }
  mech->act_async (client, c, req, approve, comment, cancellable, vfunc_done, g_object_ref (task));
}

gboolean
ct_decide_apply_finish (CtSource      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
