/* ct-sim-decisions.c - What the recorded server does around decisions that the method table does not say
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The decision methods themselves (button_approve/cancel/draft/confirm,
 * validate_tier/reject_tier/restart_validation/request_validation,
 * activity_schedule, action_feedback, message_post, name_search) are in
 * the simulator's method table (ct-sim-models.c, ct-sim-orm.c). This file
 * holds the rules the 10-* recordings add to ordinary calls.
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <string.h>

#include "ct-sim-orm.h"

gboolean ct_sim_decisions_check_write (CtSimCall   *call,
                                       CtSimModel  *m,
                                       guint        row,
                                       JsonObject  *vals,
                                       GError     **error);

/* Fields OCA base_tier_validation lets anyone write while a review is open
 * (_get_under_validation_exceptions). */
static const char *const under_validation_ok[] = { "message_follower_ids", "access_token", NULL };

static gboolean
under_validation (CtSimCall  *call,
                  CtSimModel *m,
                  guint       row)
{
  CtSimModel *reviews = ct_sim_db_get_model (call->db, "tier.review");
  CtSimField *field = ct_sim_model_get_field (m, "review_ids");
  CtSimValue v;

  if (reviews == NULL || field == NULL)
    return FALSE;
  v = ct_sim_model_get (m, row, field);
  for (guint i = 0; v.ids != NULL && i < v.ids->len; i++)
    {
      guint r;
      const char *status;

      if (!ct_sim_model_lookup (reviews, g_array_index (v.ids, gint64, i), &r))
        continue;
      status = ct_sim_model_get_str (reviews, r, "status");
      if (g_strcmp0 (status, "pending") == 0 || g_strcmp0 (status, "waiting") == 0)
        return TRUE;
    }
  return FALSE;
}

static const char *
label_of (CtSimModel *m,
          const char *name)
{
  CtSimField *field = ct_sim_model_get_field (m, name);

  return field != NULL && field->string != NULL ? field->string : name;
}

/* 10-30: a requester cannot edit an order under tier review (422
 * ValidationError naming the fields); the same write on an order under
 * double validation only works (10-48). */
gboolean
ct_sim_decisions_check_write (CtSimCall   *call,
                              CtSimModel  *m,
                              guint        row,
                              JsonObject  *vals,
                              GError     **error)
{
  g_autoptr(GString) denied = NULL;
  g_autoptr(GList) members = NULL;

  if (row == G_MAXUINT || !under_validation (call, m, row))
    return TRUE;
  members = json_object_get_members (vals);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (g_strv_contains (under_validation_ok, l->data))
        continue;
      if (denied == NULL)
        denied = g_string_new (NULL);
      g_string_append_printf (denied, "\n- %s", label_of (m, l->data));
    }
  if (denied == NULL)
    return TRUE;
  g_set_error (error, CT_SIM_ODOO_ERROR, CT_SIM_ODOO_VALIDATION_ERROR,
               "You are not allowed to write those fields under validation.%s\n\n"
               "Only those fields can be modified:\n- %s\n- %s", denied->str,
               label_of (m, under_validation_ok[0]), label_of (m, under_validation_ok[1]));
  return FALSE;
}

void ct_sim_decisions_notify_assignee (CtSimCall  *call,
                                       CtSimModel *target,
                                       guint       row,
                                       const char *summary,
                                       const char *deadline,
                                       gint64      user_id);
void ct_sim_decisions_mark_feedback   (CtSimCall  *call,
                                       gint64      message_id,
                                       gint64      activity_type_id);

/* 10-34/10-40: an activity scheduled for someone else also posts a
 * user_notification on the record, "Dear …, … has just assigned you …". */
void
ct_sim_decisions_notify_assignee (CtSimCall  *call,
                                  CtSimModel *target,
                                  guint       row,
                                  const char *summary,
                                  const char *deadline,
                                  gint64      user_id)
{
  CtSimModel *users = ct_sim_db_get_model (call->db, "res.users");
  g_autofree char *document = ct_sim_model_display_name (target, row);
  g_autofree char *name = NULL;
  g_autofree char *by = NULL;
  g_autofree char *what = NULL;
  g_autofree char *body = NULL;
  guint u;

  if (user_id == call->user->uid || !ct_sim_model_lookup (users, user_id, &u))
    return;
  name = g_markup_escape_text (ct_sim_model_get_str (users, u, "name") ?
                               ct_sim_model_get_str (users, u, "name") : "", -1);
  by = g_markup_escape_text (call->user->name ? call->user->name : "", -1);
  what = g_markup_escape_text (summary ? summary : "", -1);
  body = g_strdup_printf ("<div style=\"margin:0px; padding:0px; font-size:13px\">\n"
                          "    Dear <span>%s</span>,\n    <br><br>\n    <p>\n"
                          "        <span>%s</span> has just assigned you the following activity:"
                          "</p><p>Document: \"%s\"</p><p>Summary: %s</p><p>Deadline: %s</p></div>",
                          name, by, document ? document : "", what, deadline ? deadline : "");
  ct_sim_orm_post_message (call->db, target->name, ct_sim_model_row_id (target, row),
                           call->user->partner_id, body, "user_notification", 2);
}

/* 10-40: the message action_feedback posts is of the "Activities" subtype
 * and names the activity's type. */
void
ct_sim_decisions_mark_feedback (CtSimCall *call,
                                gint64     message_id,
                                gint64     activity_type_id)
{
  CtSimModel *messages = ct_sim_db_get_model (call->db, "mail.message");
  CtSimModel *subtypes = ct_sim_db_get_model (call->db, "mail.message.subtype");
  guint m, s;

  if (subtypes != NULL && !ct_sim_model_lookup (subtypes, 3, &s))
    {
      s = ct_sim_model_new_row (subtypes, 3);
      ct_sim_model_set_str (subtypes, s, "name", "Activities");
      ct_sim_model_set_int (subtypes, s, "internal", 0);
    }
  if (messages == NULL || !ct_sim_model_lookup (messages, message_id, &m))
    return;
  ct_sim_model_set_int (messages, m, "subtype_id", 3);
  if (activity_type_id > 0 && ct_sim_model_get_field (messages, "mail_activity_type_id") != NULL)
    ct_sim_model_set_int (messages, m, "mail_activity_type_id", activity_type_id);
}
