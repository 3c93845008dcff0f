/* ct-decisions.c - Deciding cases in the server's own terms: re-read, act, verify, journal
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One decision is a fixed sequence, never repeated: check what needs no
 * server (outcome's inputs, stale, four-eyes, confirmation) → keep the typed
 * text as a draft → re-read the requirement (decided or reassigned
 * meanwhile: stop, send nothing) → act once → read back → only then the
 * structured chatter note, the follow-up activity and a verified journal
 * entry. A call whose answer is lost is settled by the read-back, never by
 * sending it again; the same for an answer of success that changed nothing.
 */

#define G_LOG_DOMAIN "ct-decisions"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-decide.h"
#include "ct-decisions.h"
#include "ct-incident.h"

struct _CtDecisions
{
  GObject       parent_instance;

  CtOdooClient *client;
  CtProfile    *profile;
  CtJournal    *journal;
  CtSync       *sync;       /* (nullable) */
  char         *login;
  GHashTable   *running;    /* case keys with a decision being sent */
};

G_DEFINE_FINAL_TYPE (CtDecisions, ct_decisions, G_TYPE_OBJECT)

G_DEFINE_QUARK (ct-decision-error-quark, ct_decision_error)

static const struct
{
  CtDecisionOutcome outcome;
  const char       *name;
  const char       *label;
} outcomes[] = {
  { CT_DECISION_APPROVE, "approve", N_("Approve") },
  { CT_DECISION_REJECT, "reject", N_("Reject") },
  { CT_DECISION_REVISE, "revise", N_("Request revision") },
  { CT_DECISION_APPROVE_WITH_CONDITIONS, "approve-with-conditions", N_("Approve with conditions") },
  { CT_DECISION_ESCALATE, "escalate", N_("Escalate") },
  { CT_DECISION_DELEGATE, "delegate", N_("Delegate") },
};

const char *
ct_decision_outcome_to_string (CtDecisionOutcome outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (outcomes[i].outcome == outcome)
      return outcomes[i].name;
  return "?";
}

gboolean
ct_decision_outcome_from_string (const char        *text,
                                 CtDecisionOutcome *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (g_strcmp0 (outcomes[i].name, text) == 0)
      {
        *outcome = outcomes[i].outcome;
        return TRUE;
      }
  return FALSE;
}

const char *
ct_decision_outcome_label (CtDecisionOutcome outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (outcomes[i].outcome == outcome)
      return _(outcomes[i].label);
  return "?";
}

void
ct_decision_result_free (CtDecisionResult *result)
{
  if (result == NULL)
    return;
  g_free (result->case_key);
  g_free (result->correlation_id);
  g_free (result->summary);
  g_free (result->state);
  g_free (result->still_open);
  g_free (result->server_answer);
  g_free (result->target);
  g_clear_error (&result->error);
  g_free (result);
}

static void
skip_free (CtDecisionSkip *skip)
{
  g_free (skip->case_key);
  g_free (skip->reason);
  g_free (skip);
}

void
ct_decision_plan_free (CtDecisionPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->eligible);
  g_ptr_array_unref (plan->skipped);
  g_free (plan);
}

static void
user_free (CtDecisionUser *user)
{
  g_free (user->name);
  g_free (user);
}

static void
ct_decisions_finalize (GObject *object)
{
  CtDecisions *self = (CtDecisions *) object;

  g_clear_object (&self->client);
  g_clear_object (&self->profile);
  g_clear_object (&self->journal);
  g_clear_object (&self->sync);
  g_free (self->login);
  g_hash_table_unref (self->running);
  G_OBJECT_CLASS (ct_decisions_parent_class)->finalize (object);
}

static void
ct_decisions_class_init (CtDecisionsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ct_decisions_finalize;
}

static void
ct_decisions_init (CtDecisions *self)
{
  self->running = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

CtDecisions *
ct_decisions_new (CtOdooClient *client,
                  CtProfile    *profile,
                  CtJournal    *journal,
                  CtSync       *sync,
                  const char   *login)
{
  CtDecisions *self;

  g_return_val_if_fail (CT_IS_ODOO_CLIENT (client), NULL);
  g_return_val_if_fail (CT_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (CT_IS_JOURNAL (journal), NULL);

  self = g_object_new (CT_TYPE_DECISIONS, NULL);
  self->client = g_object_ref (client);
  self->profile = g_object_ref (profile);
  self->journal = g_object_ref (journal);
  self->sync = sync ? g_object_ref (sync) : NULL;
  self->login = g_strdup (login ? login : "?");
  return self;
}

/* ---- checks that need no server ---- */

static gboolean
is_approval (CtDecisionOutcome outcome)
{
  return outcome == CT_DECISION_APPROVE || outcome == CT_DECISION_APPROVE_WITH_CONDITIONS;
}

static gboolean
acts_through_mechanism (CtDecisionOutcome outcome)
{
  return is_approval (outcome) || outcome == CT_DECISION_REJECT;
}

/* An open tier review on the record, which holds up its double validation. */
static const CtRequirement *
pending_tier (CtCase *c)
{
  for (guint i = 0; c->requirements != NULL && i < c->requirements->len; i++)
    {
      const CtRequirement *req = c->requirements->pdata[i];

      if (req->state == CT_APPROVER_STATE_PENDING && req->source == CT_SOURCE_KIND_TIER_VALIDATION)
        return req;
    }
  return NULL;
}

/* Who an open requirement names, for "waits for …": a tier reviewer first. */
static const char *
waiting_for (CtCase *c)
{
  const CtRequirement *tier = pending_tier (c);

  if (tier != NULL && tier->approver != NULL)
    return tier->approver;
  for (guint i = 0; c->requirements != NULL && i < c->requirements->len; i++)
    {
      const CtRequirement *req = c->requirements->pdata[i];

      if (req->state == CT_APPROVER_STATE_PENDING && req->approver != NULL)
        return req->approver;
    }
  return NULL;
}

static gboolean
has_pending (CtCase       *c,
             CtSourceKind  source)
{
  for (guint i = 0; c->requirements != NULL && i < c->requirements->len; i++)
    {
      const CtRequirement *req = c->requirements->pdata[i];

      if (req->state == CT_APPROVER_STATE_PENDING && req->source == source)
        return TRUE;
    }
  return FALSE;
}

/* The requirement this user's decision settles: their own pending one
 * (tier review, approver, activity), else a group's (double validation).
 * For the outcomes that only hand the case on, any open one will do. */
static const CtRequirement *
pick_requirement (CtDecisions       *self,
                  CtCase            *c,
                  CtDecisionOutcome  outcome)
{
  gint64 uid = ct_odoo_client_get_uid (self->client);
  const CtRequirement *group = NULL;
  const CtRequirement *any = NULL;
  const CtRequirement *tier = pending_tier (c);

  for (guint i = 0; c->requirements != NULL && i < c->requirements->len; i++)
    {
      const CtRequirement *req = c->requirements->pdata[i];

      if (req->state != CT_APPROVER_STATE_PENDING || ct_decide_mechanism_for (req->source) == NULL)
        continue;
      if (req->approver_id == uid)
        return req;
      /* Odoo refuses button_approve while a tier review is open ("A
       * validation process is still open"): not this user's turn. */
      if (req->approver_id == 0 && group == NULL &&
          !(tier != NULL && req->source == CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION))
        group = req;
      if (any == NULL)
        any = req;
    }
  if (group != NULL)
    return group;
  return acts_through_mechanism (outcome) ? NULL : any;
}

static char *
format_amount (CtCase *c)
{
  return ct_format_money (c->amount, c->currency);
}

gboolean
ct_decisions_needs_confirmation (CtDecisions        *self,
                                 CtCase             *c,
                                 CtDecisionOutcome   outcome,
                                 char              **question)
{
  g_autofree char *amount = NULL;

  g_return_val_if_fail (CT_IS_DECISIONS (self), FALSE);
  if (!is_approval (outcome) || !ct_profile_needs_confirmation (self->profile, c->amount))
    return FALSE;
  amount = format_amount (c);
  if (question != NULL)
    *question = g_strdup_printf (_("Approve %s for %s to %s?"),
                                 c->reference ? c->reference : c->key, g_strstrip (amount),
                                 c->partner.name ? c->partner.name : _("an unknown partner"));
  return TRUE;
}

static gboolean
check_inputs (const CtDecisionRequest  *request,
              GError                  **error)
{
  gboolean has_comment = FALSE;
  guint n_conditions = 0;

  /* g_strstrip on a copy: the request is the caller's. */
  if (request->comment != NULL)
    {
      g_autofree char *copy = g_strstrip (g_strdup (request->comment));

      has_comment = *copy != '\0';
    }
  for (guint i = 0; request->conditions != NULL && request->conditions[i] != NULL; i++)
    if (*request->conditions[i] != '\0')
      n_conditions++;
  if ((request->outcome == CT_DECISION_REJECT || request->outcome == CT_DECISION_REVISE) &&
      !has_comment)
    {
      g_set_error_literal (error, CT_DECISION_ERROR, CT_DECISION_ERROR_INVALID,
                           request->outcome == CT_DECISION_REJECT
                           ? _("A rejection needs a comment saying why")
                           : _("A revision request needs a comment saying what to change"));
      return FALSE;
    }
  if (request->outcome == CT_DECISION_APPROVE_WITH_CONDITIONS && n_conditions == 0)
    {
      g_set_error_literal (error, CT_DECISION_ERROR, CT_DECISION_ERROR_INVALID,
                           _("An approval with conditions needs at least one condition"));
      return FALSE;
    }
  if (request->outcome == CT_DECISION_DELEGATE && request->target_id <= 0 &&
      (request->target_login == NULL || *request->target_login == '\0'))
    {
      g_set_error_literal (error, CT_DECISION_ERROR, CT_DECISION_ERROR_INVALID,
                           _("A delegation needs the user to delegate to"));
      return FALSE;
    }
  return TRUE;
}

/* What needs no server: stale, four-eyes, something open for this user. */
static gboolean
check_case (CtDecisions        *self,
            CtCase             *c,
            CtDecisionOutcome   outcome,
            GError            **error)
{
  if (c->kind != CT_CASE_KIND_APPROVAL)
    {
      g_set_error_literal (error, CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_ELIGIBLE,
                           _("Incidents are not decided here"));
      return FALSE;
    }
  if (self->sync != NULL && ct_sync_case_is_stale (self->sync, c))
    {
      g_set_error_literal (error, CT_DECISION_ERROR, CT_DECISION_ERROR_STALE,
                           _("This case may be out of date: no decision until the next successful refresh"));
      return FALSE;
    }
  if (is_approval (outcome) && c->requester_id != 0 &&
      c->requester_id == ct_odoo_client_get_uid (self->client))
    {
      g_set_error_literal (error, CT_DECISION_ERROR, CT_DECISION_ERROR_FOUR_EYES,
                           _("You requested this yourself: someone else must approve it"));
      return FALSE;
    }
  if (pick_requirement (self, c, outcome) == NULL)
    {
      const CtRequirement *tier = pending_tier (c);

      if (tier != NULL && tier->approver != NULL &&
          has_pending (c, CT_SOURCE_KIND_PURCHASE_DOUBLE_VALIDATION))
        g_set_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_ELIGIBLE,
                     _("The tier review by %s comes first: Odoo refuses the approval until it is done"),
                     tier->approver);
      else if (waiting_for (c) != NULL)
        g_set_error (error, CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_ELIGIBLE,
                     _("This case waits for %s, not for you"), waiting_for (c));
      else
        g_set_error_literal (error, CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_ELIGIBLE,
                             _("Nothing on this case waits for your decision"));
      return FALSE;
    }
  if (outcome == CT_DECISION_REVISE && c->requester_id == 0)
    {
      g_set_error_literal (error, CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_ELIGIBLE,
                           _("The requester of this case is not known: a revision cannot be sent back"));
      return FALSE;
    }
  return TRUE;
}

gboolean
ct_decisions_can_decide (CtDecisions        *self,
                         CtCase             *c,
                         CtDecisionOutcome   outcome,
                         char              **reason)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CT_IS_DECISIONS (self), FALSE);
  if (check_case (self, c, outcome, &error))
    return TRUE;
  if (reason != NULL)
    *reason = g_strdup (error->message);
  return FALSE;
}

/* ---- one decision ---- */

typedef struct
{
  CtDecisions             *self;
  CtCase                  *c;
  CtDecisionOutcome        outcome;
  char                    *comment;
  GStrv                    conditions;
  gint64                   target_id;
  char                    *target_login;
  gint64                   deadline;
  const CtRequirement     *req;          /* in c */
  const CtDecideMechanism *mech;
  CtDecisionResult        *result;
  gint64                   started;
  gint64                   baseline;     /* revise: the record's write_date when sent back */
  char                    *reason;       /* (nullable) why it was not applied */
} Decide;

static void
decide_free (Decide *d)
{
  g_hash_table_remove (d->self->running, d->c->key);
  g_object_unref (d->self);
  g_object_unref (d->c);
  g_free (d->comment);
  g_strfreev (d->conditions);
  g_free (d->target_login);
  ct_decision_result_free (d->result);
  g_free (d->reason);
  g_free (d);
}

static char *
conditions_text (Decide *d)
{
  return d->conditions && d->conditions[0] ? g_strjoinv ("\n", d->conditions) : NULL;
}

static void
keep_draft (Decide     *d,
            const char *failure)
{
  g_autofree char *conditions = conditions_text (d);
  CtJournalDraft draft = {
    .case_key = d->c->key, .outcome = (char *) ct_decision_outcome_to_string (d->outcome),
    .comment = d->comment, .conditions = conditions, .failure = (char *) failure,
  };
  g_autoptr(GError) error = NULL;

  if (!ct_journal_save_draft (d->self->journal, &draft, &error))
    g_warning ("%s", error->message);
}

static void
journal (Decide *d)
{
  g_autofree char *conditions = conditions_text (d);
  CtJournalEntry entry = {
    .at = g_get_real_time () / G_USEC_PER_SEC, .actor = d->self->login,
    .outcome = (char *) ct_decision_outcome_to_string (d->outcome), .case_key = d->c->key,
    .comment = d->comment, .conditions = conditions, .correlation_id = d->result->correlation_id,
    .server_answer = d->result->server_answer, .succeeded = d->result->verified,
    .verified_state = d->result->state,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *name = ct_case_dup_label (d->c);

  if (!ct_journal_append (d->self->journal, &entry, &error))
    g_warning ("%s", error->message);
  /* The journal page names the case by it once the case has left. */
  g_clear_error (&error);
  if (!ct_journal_set_case_name (d->self->journal, d->c->key, name, &error))
    g_warning ("%s", error->message);
}

static char *
format_when (gint64 at)
{
  g_autoptr(GDateTime) dt = at > 0 ? g_date_time_new_from_unix_local (at) : NULL;

  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup (_("an unknown time"));
}

/* Ends the task with @error after journaling what happened and keeping
 * the draft. @sent: the call went out (journal it), else nothing did. */
static void
fail (GTask   *task,
      GError  *error,
      gboolean sent)
{
  Decide *d = g_task_get_task_data (task);

  if (sent)
    journal (d);
  keep_draft (d, error->message);
  g_task_return_error (task, error);
}

static void act (GTask *task);
static void verify (GTask *task);
static void schedule_activity (GTask *task, gint64 user_id, const char *summary, const char *note,
                               gboolean main_action);

static void
reread_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Decide *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecideState) state = ct_decide_read_finish (result, &error);
  gint64 uid = ct_odoo_client_get_uid (d->self->client);

  if (state == NULL)
    {
      g_prefix_error (&error, _("Could not re-read the case before deciding: "));
      fail (task, g_steal_pointer (&error), FALSE);
      return;
    }
  if (!state->open)
    {
      g_autofree char *when = format_when (state->at);

      fail (task, g_error_new (CT_DECISION_ERROR, CT_DECISION_ERROR_CONFLICT,
                               _("%s already settled this (%s) at %s: nothing was sent"),
                               state->by ? state->by : _("Someone"),
                               state->state ? state->state : "?", when), FALSE);
      return;
    }
  if (acts_through_mechanism (d->outcome) && state->holder_id != 0 && state->holder_id != uid)
    {
      g_autofree char *when = format_when (state->at);

      fail (task, g_error_new (CT_DECISION_ERROR, CT_DECISION_ERROR_CONFLICT,
                               _("This was reassigned to %s by %s at %s: nothing was sent"),
                               state->holder ? state->holder : "?",
                               state->by ? state->by : _("someone"), when), FALSE);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  act (task);
}

static gboolean
is_lost_answer (const GError *error)
{
  /* An Odoo error answer means the call was handled and refused. A broken
   * connection, a timeout, a 5xx page or a garbled body may have come
   * after the server applied it: only the read-back can tell. */
  return error->domain != CT_ODOO_ERROR ||
         error->code == CT_ODOO_ERROR_NETWORK || error->code == CT_ODOO_ERROR_TIMEOUT ||
         error->code == CT_ODOO_ERROR_SERVER || error->code == CT_ODOO_ERROR_PROTOCOL;
}

static void
mechanism_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Decide *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  d->result->server_answer = ct_decide_act_finish (result, &error);
  if (error != NULL && !is_lost_answer (error))
    {
      d->result->server_answer = g_strdup (error->message);
      fail (task, g_error_new (CT_DECISION_ERROR, CT_DECISION_ERROR_REFUSED,
                               _("The server refused: %s"), error->message), TRUE);
      return;
    }
  if (error != NULL)
    {
      g_debug ("The answer for %s was lost (%s): reading back", d->c->key, error->message);
      d->result->answer_lost = TRUE;
      d->result->server_answer = g_strdup_printf ("(no answer: %s)", error->message);
    }
  verify (task);
}

static char *
deadline_date (Decide *d)
{
  gint64 at = d->deadline;
  g_autoptr(GDateTime) dt = NULL;

  if (at <= 0)
    {
      const CtArea *area = d->c->area_id ? ct_profile_find_area (d->self->profile, d->c->area_id)
                                         : NULL;
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      /* The profile's time for the area: its SLA window in business time. */
      if (area != NULL && area->sla.window_seconds > 0)
        at = ct_calendar_add_business_seconds (area->calendar, now, area->sla.window_seconds);
      else
        at = now + 2 * 24 * 3600;
    }
  dt = g_date_time_new_from_unix_utc (at);
  return g_date_time_format (dt, "%Y-%m-%d");
}

/* ---- users: escalation targets, delegation ---- */

static void
user_found (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Decide *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);
  gint64 uid = ct_odoo_client_get_uid (d->self->client);
  JsonObject *pick = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *note = NULL;

  if (rows == NULL)
    {
      fail (task, g_steal_pointer (&error), FALSE);
      return;
    }
  for (guint i = 0; i < json_array_get_length (rows) && pick == NULL; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (ct_source_get_int (row, "id") != uid)
        pick = row;
    }
  if (pick == NULL)
    {
      fail (task, g_error_new_literal (CT_DECISION_ERROR, CT_DECISION_ERROR_INVALID,
                                       d->outcome == CT_DECISION_ESCALATE
                                       ? _("No user for the next escalation level was found")
                                       : _("The user to delegate to was not found")), FALSE);
      return;
    }
  d->result->target = g_strdup (ct_source_get_string (pick, "name"));
  if (d->outcome == CT_DECISION_ESCALATE)
    summary = g_strdup_printf (_("Escalated (level %u): %s"), d->result->escalation_level,
                               d->c->reference ? d->c->reference : d->c->key);
  else
    summary = g_strdup_printf (_("Delegated: %s"), d->c->reference ? d->c->reference : d->c->key);
  note = g_strdup (d->comment ? d->comment : "");
  schedule_activity (task, ct_source_get_int (pick, "id"), summary, note, TRUE);
}

static void
find_users (GTask      *task,
            JsonArray  *domain)
{
  Decide *d = g_task_get_task_data (task);
  static const char *const fields[] = { "id", "name", "login", NULL };

  ct_odoo_client_search_read_async (d->self->client, "res.users", domain, fields, "id", 10, 0,
                                    g_task_get_cancellable (task), user_found,
                                    g_object_ref (task));
}

static void
group_found (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Decide *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);
  g_autoptr(JsonArray) domain = json_array_new ();
  gint64 group_id;

  if (rows == NULL || json_array_get_length (rows) == 0)
    {
      fail (task, error ? g_steal_pointer (&error)
                        : g_error_new_literal (CT_DECISION_ERROR, CT_DECISION_ERROR_INVALID,
                                               _("The escalation group does not exist on this server")),
            FALSE);
      return;
    }
  group_id = ct_source_get_int (json_array_get_object_element (rows, 0), "res_id");
  {
    g_autoptr(JsonArray) ids = json_array_new ();

    json_array_add_int_element (ids, group_id);
    ct_source_domain_add (domain, "group_ids", "in", json_node_init_array (json_node_alloc (), ids));
  }
  ct_source_domain_add (domain, "share", "=", json_node_init_boolean (json_node_alloc (), FALSE));
  (void) d;
  find_users (task, domain);
}

static void
escalate (GTask *task)
{
  Decide *d = g_task_get_task_data (task);
  const CtArea *area = d->c->area_id ? ct_profile_find_area (d->self->profile, d->c->area_id) : NULL;
  const CtEscalationLevel *level = NULL;
  guint done = ct_journal_count_outcome (d->self->journal, d->c->key, "escalate", NULL);
  g_autoptr(JsonArray) domain = json_array_new ();
  const char *target;

  if (area == NULL || area->escalation == NULL || area->escalation->levels->len == 0)
    {
      fail (task, g_error_new_literal (CT_DECISION_ERROR, CT_DECISION_ERROR_INVALID,
                                       _("The profile has no escalation chain for this case's area")),
            FALSE);
      return;
    }
  /* Each verified escalation raises the level by one, up to the last. */
  level = area->escalation->levels->pdata[MIN (done, area->escalation->levels->len - 1)];
  d->result->escalation_level = level->level;
  target = level->targets && level->targets[0] ? level->targets[0] : "";
  if (g_str_has_prefix (target, "user:"))
    {
      ct_source_domain_add (domain, "login", "=", json_node_init_string (json_node_alloc (), target + 5));
      find_users (task, domain);
    }
  else if (g_str_has_prefix (target, "group:") && strchr (target, '.') != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (target + 6, ".", 2);
      static const char *const fields[] = { "res_id", NULL };

      ct_source_domain_add (domain, "module", "=", json_node_init_string (json_node_alloc (), parts[0]));
      ct_source_domain_add (domain, "name", "=", json_node_init_string (json_node_alloc (), parts[1]));
      ct_source_domain_add (domain, "model", "=", json_node_init_string (json_node_alloc (), "res.groups"));
      ct_odoo_client_search_read_async (d->self->client, "ir.model.data", domain, fields, "id", 1, 0,
                                        g_task_get_cancellable (task), group_found,
                                        g_object_ref (task));
    }
  else
    fail (task, g_error_new (CT_DECISION_ERROR, CT_DECISION_ERROR_INVALID,
                             _("The escalation target “%s” is neither user:LOGIN nor group:XMLID"),
                             target), FALSE);
}

/* ---- activities ---- */

typedef struct
{
  gboolean main_action;   /* the decision itself (revise, escalate, delegate), not a follow-up */
  gint64   user_id;
} Scheduled;

static gint64
first_id (JsonNode *answer)
{
  if (answer == NULL)
    return 0;
  if (JSON_NODE_HOLDS_VALUE (answer) && json_node_get_value_type (answer) == G_TYPE_INT64)
    return json_node_get_int (answer);
  if (JSON_NODE_HOLDS_ARRAY (answer) && json_array_get_length (json_node_get_array (answer)) > 0)
    return json_node_get_int (json_array_get_element (json_node_get_array (answer), 0));
  return 0;
}

static void finish_verified (GTask *task);
static void activity_verify (GTask *task);

static void
activity_scheduled (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Decide *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = ct_odoo_client_call_finish (CT_ODOO_CLIENT (object), result, &error);
  gboolean main_action = d->mech == NULL || !acts_through_mechanism (d->outcome);

  if (!main_action)
    {
      /* The follow-up of an approval with conditions: the approval stands. */
      if (error != NULL)
        g_warning ("The follow-up activity of %s failed: %s", d->c->key, error->message);
      d->result->activity_id = first_id (answer);
      finish_verified (task);
      return;
    }
  if (error != NULL && !is_lost_answer (error))
    {
      d->result->server_answer = g_strdup (error->message);
      fail (task, g_error_new (CT_DECISION_ERROR, CT_DECISION_ERROR_REFUSED,
                               _("The server refused: %s"), error->message), TRUE);
      return;
    }
  if (error != NULL)
    {
      d->result->answer_lost = TRUE;
      d->result->server_answer = g_strdup_printf ("(no answer: %s)", error->message);
    }
  else
    {
      d->result->server_answer = answer ? json_to_string (answer, FALSE) : g_strdup ("null");
      d->result->activity_id = first_id (answer);
    }
  activity_verify (task);
}

static void
schedule_activity (GTask      *task,
                   gint64      user_id,
                   const char *summary,
                   const char *note,
                   gboolean    main_action)
{
  Decide *d = g_task_get_task_data (task);
  g_autoptr(JsonObject) kwargs = json_object_new ();
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autofree char *date = deadline_date (d);
  g_autofree char *escaped = g_markup_escape_text (note ? note : "", -1);
  /* The correlation id in the note finds the activity again when the
   * answer is lost. */
  g_autofree char *html = g_strdup_printf ("<p>%s</p><p>%s</p>", escaped,
                                           d->result->correlation_id);
  Scheduled *s = g_new0 (Scheduled, 1);

  s->main_action = main_action;
  s->user_id = user_id;
  g_object_set_data_full (G_OBJECT (task), "scheduled", s, g_free);
  json_array_add_int_element (ids, d->c->record_id);
  json_object_set_string_member (kwargs, "act_type_xmlid", "mail.mail_activity_data_todo");
  json_object_set_string_member (kwargs, "date_deadline", date);
  json_object_set_string_member (kwargs, "summary", summary);
  json_object_set_string_member (kwargs, "note", html);
  json_object_set_int_member (kwargs, "user_id", user_id);
  ct_odoo_client_call_async (d->self->client, d->c->model, "activity_schedule", ids, kwargs, NULL,
                             NULL, activity_scheduled, g_object_ref (task));
}

static void
baseline_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Decide *d = g_task_get_task_data (task);
  g_autoptr(JsonArray) rows = ct_odoo_client_read_finish (CT_ODOO_CLIENT (object), result, NULL);
  JsonObject *row = rows && json_array_get_length (rows) > 0
                    ? json_array_get_object_element (rows, 0) : NULL;

  if (row != NULL && json_object_has_member (row, "write_date"))
    d->baseline = ct_parse_odoo_datetime (json_object_get_member (row, "write_date"));
  finish_verified (task);
}

static void
activity_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Decide *d = g_task_get_task_data (task);
  Scheduled *s = g_object_get_data (G_OBJECT (task), "scheduled");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);
  JsonObject *row;

  if (rows == NULL)
    {
      d->result->state = g_strdup (_("unknown"));
      fail (task, g_error_new (CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_APPLIED,
                               _("Could not read back whether the server applied it: %s. "
                                 "Check the record before deciding again."), error->message), TRUE);
      return;
    }
  row = json_array_get_length (rows) > 0 ? json_array_get_object_element (rows, 0) : NULL;
  if (row == NULL || ct_source_m2o_id (row, "user_id") != s->user_id)
    {
      d->result->state = g_strdup (_("no activity"));
      fail (task, g_error_new (CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_APPLIED,
                               _("The server did not apply it: no activity for %s is on the record "
                                 "(the user may not be allowed to see this document)"),
                               d->result->target ? d->result->target : "?"), TRUE);
      return;
    }
  d->result->activity_id = ct_source_get_int (row, "id");
  d->result->state = g_strdup_printf (_("activity for %s due %s"),
                                      ct_source_m2o_name (row, "user_id"),
                                      ct_source_get_string (row, "date_deadline")
                                      ? ct_source_get_string (row, "date_deadline") : "?");
  d->result->verified = TRUE;
  if (d->outcome == CT_DECISION_REVISE)
    {
      static const char *const fields[] = { "write_date", NULL };

      /* The revision is the requester's next change: compared with the
       * server's own clock, never ours. */
      ct_odoo_client_read_async (d->self->client, d->c->model, &d->c->record_id, 1, fields, NULL,
                                 baseline_read, g_object_ref (task));
      return;
    }
  finish_verified (task);
}

static void
activity_verify (GTask *task)
{
  Decide *d = g_task_get_task_data (task);
  g_autoptr(JsonArray) domain = json_array_new ();
  static const char *const fields[] = { "id", "user_id", "date_deadline", "summary", NULL };

  ct_source_domain_add (domain, "res_model", "=", json_node_init_string (json_node_alloc (), d->c->model));
  ct_source_domain_add (domain, "res_id", "=", json_node_init_int (json_node_alloc (), d->c->record_id));
  if (d->result->activity_id > 0)
    ct_source_domain_add (domain, "id", "=", json_node_init_int (json_node_alloc (), d->result->activity_id));
  else
    ct_source_domain_add (domain, "note", "ilike",
                          json_node_init_string (json_node_alloc (), d->result->correlation_id));
  ct_odoo_client_search_read_async (d->self->client, "mail.activity", domain, fields, "id desc", 1,
                                    0, NULL, activity_read, g_object_ref (task));
}

/* ---- acting ---- */

static void
act (GTask *task)
{
  Decide *d = g_task_get_task_data (task);
  g_autoptr(JsonArray) domain = json_array_new ();
  g_autofree char *summary = NULL;

  switch (d->outcome)
    {
    case CT_DECISION_APPROVE:
    case CT_DECISION_APPROVE_WITH_CONDITIONS:
    case CT_DECISION_REJECT:
      /* Not cancellable from here on: once sent, the read-back must run. */
      d->mech->act_async (d->self->client, d->c, d->req, d->outcome != CT_DECISION_REJECT,
                          d->comment, NULL, mechanism_done, g_object_ref (task));
      break;

    case CT_DECISION_REVISE:
      {
        g_autofree char *first = g_strdup (d->comment);
        char *nl = strchr (first, '\n');

        if (nl != NULL)
          *nl = '\0';
        summary = g_strdup_printf (_("Revision requested: %s"), first);
        d->result->target = g_strdup (d->c->requester);
        schedule_activity (task, d->c->requester_id, summary, d->comment, TRUE);
      }
      break;

    case CT_DECISION_ESCALATE:
      escalate (task);
      break;

    case CT_DECISION_DELEGATE:
    default:
      if (d->target_id > 0)
        ct_source_domain_add (domain, "id", "=", json_node_init_int (json_node_alloc (), d->target_id));
      else
        ct_source_domain_add (domain, "login", "=",
                              json_node_init_string (json_node_alloc (), d->target_login));
      find_users (task, domain);
      break;
    }
}

static char *
still_open (Decide *d)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; d->c->requirements != NULL && i < d->c->requirements->len; i++)
    {
      const CtRequirement *req = d->c->requirements->pdata[i];

      if (req == d->req || req->state == CT_APPROVER_STATE_APPROVED ||
          req->state == CT_APPROVER_STATE_REJECTED)
        continue;
      g_string_append_printf (text, "%s%s (%s)", text->len ? ", " : "",
                              req->approver ? req->approver : "?",
                              ct_source_kind_to_string (req->source));
    }
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

static void
verified_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Decide *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtDecideState) state = ct_decide_read_finish (result, &error);
  gboolean approve = d->outcome != CT_DECISION_REJECT;

  if (state == NULL)
    {
      d->result->state = g_strdup (_("unknown"));
      fail (task, g_error_new (CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_APPLIED,
                               _("Could not read back whether the server applied it: %s. "
                                 "Check the record before deciding again."), error->message), TRUE);
      return;
    }
  /* Servers that delete a done activity instead of archiving it. */
  if (!state->exists && d->mech->kind == CT_SOURCE_KIND_ACTIVITY)
    {
      g_free (state->state);
      state->state = g_strdup ("done");
      state->approved = state->rejected = TRUE;
    }
  d->result->state = g_strdup (state->state);
  if (approve ? !state->approved : !state->rejected)
    {
      if (d->result->answer_lost)
        fail (task, g_error_new (CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_APPLIED,
                                 _("The server did not apply it: its answer was lost (%s) and %s "
                                   "still reads “%s”. Nothing was sent again."),
                                 d->result->server_answer,
                                 d->c->reference ? d->c->reference : d->c->key,
                                 state->state ? state->state : "?"), TRUE);
      else
        fail (task, g_error_new (CT_DECISION_ERROR, CT_DECISION_ERROR_NOT_APPLIED,
                                 _("The server did not apply it: %s still reads “%s”. Likely reason: %s."),
                                 d->c->reference ? d->c->reference : d->c->key,
                                 state->state ? state->state : "?",
                                 d->mech->not_applied_reason (approve)), TRUE);
      return;
    }
  d->result->verified = TRUE;
  if (d->outcome == CT_DECISION_APPROVE_WITH_CONDITIONS)
    {
      g_autofree char *summary = g_strdup_printf (_("Conditions of approval: %s"),
                                                  d->c->reference ? d->c->reference : d->c->key);
      g_autofree char *note = g_strjoinv ("\n", d->conditions);

      if (d->c->requester_id > 0)
        {
          schedule_activity (task, d->c->requester_id, summary, note, FALSE);
          return;
        }
    }
  finish_verified (task);
}

static void
verify (GTask *task)
{
  Decide *d = g_task_get_task_data (task);

  d->mech->read_async (d->self->client, d->c, d->req, NULL, verified_read, g_object_ref (task));
}

/* ---- after the server's state shows it ---- */

static char *
note_html (Decide *d)
{
  GString *html = g_string_new (NULL);
  g_autofree char *label = g_markup_escape_text (ct_decision_outcome_label (d->outcome), -1);
  g_autofree char *who = g_markup_escape_text (d->self->login, -1);

  g_string_append_printf (html, "<p><b>%s</b>: %s</p><ul>", _("Control Tower decision"), label);
  g_string_append_printf (html, "<li>%s: %s</li>", _("Outcome"),
                          ct_decision_outcome_to_string (d->outcome));
  if (d->comment != NULL && *d->comment != '\0')
    {
      g_autofree char *text = g_markup_escape_text (d->comment, -1);

      g_string_append_printf (html, "<li>%s: %s</li>", _("Comment"), text);
    }
  for (guint i = 0; d->conditions != NULL && d->conditions[i] != NULL; i++)
    {
      g_autofree char *text = g_markup_escape_text (d->conditions[i], -1);

      g_string_append_printf (html, "<li>%s: %s</li>", _("Condition"), text);
    }
  if (d->result->target != NULL)
    {
      g_autofree char *text = g_markup_escape_text (d->result->target, -1);

      g_string_append_printf (html, "<li>%s: %s</li>", _("Assigned to"), text);
    }
  if (d->result->escalation_level > 0)
    g_string_append_printf (html, "<li>%s: %u</li>", _("Escalation level"),
                            d->result->escalation_level);
  g_string_append_printf (html, "<li>%s: %s (uid %" G_GINT64_FORMAT ")</li>", _("Decided by"), who,
                          ct_odoo_client_get_uid (d->self->client));
  g_string_append_printf (html, "<li>%s: %s</li></ul>", _("Correlation id"),
                          d->result->correlation_id);
  return g_string_free (html, FALSE);
}

static void
note_posted (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Decide *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = ct_odoo_client_call_finish (CT_ODOO_CLIENT (object), result, &error);
  CtDecisionResult *out;

  if (error != NULL)
    g_warning ("The decision note on %s failed: %s", d->c->key, error->message);
  d->result->message_id = first_id (answer);
  journal (d);
  ct_journal_discard_draft (d->self->journal, d->c->key, NULL);
  if (d->outcome == CT_DECISION_REVISE)
    ct_journal_set_revision (d->self->journal, d->c->key, d->started,
                             d->baseline > 0 ? d->baseline : d->started, NULL);
  d->result->still_open = acts_through_mechanism (d->outcome) ? still_open (d) : NULL;
  switch (d->outcome)
    {
    case CT_DECISION_APPROVE:
    case CT_DECISION_APPROVE_WITH_CONDITIONS:
      d->result->summary = d->result->still_open
        ? g_strdup_printf (_("Approved: the server shows “%s”. Still open: %s"), d->result->state,
                           d->result->still_open)
        : g_strdup_printf (_("Approved: the server shows “%s”"), d->result->state);
      break;
    case CT_DECISION_REJECT:
      d->result->summary = g_strdup_printf (_("Rejected: the server shows “%s”"), d->result->state);
      break;
    case CT_DECISION_REVISE:
      d->result->summary = g_strdup_printf (_("Sent back to %s for revision; the case waits for them"),
                                            d->result->target ? d->result->target : "?");
      break;
    case CT_DECISION_ESCALATE:
      d->result->summary = g_strdup_printf (_("Escalated to %s (level %u)"),
                                            d->result->target ? d->result->target : "?",
                                            d->result->escalation_level);
      break;
    case CT_DECISION_DELEGATE:
    default:
      d->result->summary = g_strdup_printf (_("Delegated to %s"),
                                            d->result->target ? d->result->target : "?");
      break;
    }
  out = g_steal_pointer (&d->result);
  g_task_return_pointer (task, out, (GDestroyNotify) ct_decision_result_free);
}

static void
finish_verified (GTask *task)
{
  Decide *d = g_task_get_task_data (task);
  g_autoptr(JsonObject) kwargs = json_object_new ();
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autofree char *body = note_html (d);

  json_array_add_int_element (ids, d->c->record_id);
  json_object_set_string_member (kwargs, "body", body);
  json_object_set_boolean_member (kwargs, "body_is_html", TRUE);
  json_object_set_string_member (kwargs, "message_type", "comment");
  json_object_set_string_member (kwargs, "subtype_xmlid", "mail.mt_note");
  ct_odoo_client_call_async (d->self->client, d->c->model, "message_post", ids, kwargs, NULL, NULL,
                             note_posted, g_object_ref (task));
}

void
ct_decisions_decide_async (CtDecisions              *self,
                           CtCase                   *c,
                           const CtDecisionRequest  *request,
                           GCancellable             *cancellable,
                           GAsyncReadyCallback       callback,
                           gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *question = NULL;
  Decide *d;

  g_return_if_fail (CT_IS_DECISIONS (self));
  g_return_if_fail (CT_IS_CASE (c));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ct_decisions_decide_async);
  if (g_hash_table_contains (self->running, c->key))
    {
      g_task_return_new_error (task, CT_DECISION_ERROR, CT_DECISION_ERROR_BUSY,
                               _("A decision on this case is already being sent"));
      return;
    }
  d = g_new0 (Decide, 1);
  d->self = g_object_ref (self);
  d->c = g_object_ref (c);
  d->outcome = request->outcome;
  d->comment = request->comment ? g_strstrip (g_strdup (request->comment)) : NULL;
  d->conditions = request->conditions ? g_strdupv ((char **) request->conditions) : NULL;
  d->target_id = request->target_id;
  d->target_login = g_strdup (request->target_login);
  d->deadline = request->deadline;
  d->started = g_get_real_time () / G_USEC_PER_SEC;
  d->result = g_new0 (CtDecisionResult, 1);
  d->result->case_key = g_strdup (c->key);
  d->result->outcome = request->outcome;
  {
    g_autofree char *uuid = g_uuid_string_random ();

    d->result->correlation_id = g_strdup_printf ("ct-%s", uuid);
  }
  g_hash_table_add (self->running, g_strdup (c->key));
  g_task_set_task_data (task, d, (GDestroyNotify) decide_free);

  if (!check_inputs (request, &error) || !check_case (self, c, request->outcome, &error))
    {
      keep_draft (d, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!request->confirmed && ct_decisions_needs_confirmation (self, c, request->outcome, &question))
    {
      keep_draft (d, question);
      g_task_return_new_error (task, CT_DECISION_ERROR, CT_DECISION_ERROR_NEEDS_CONFIRMATION,
                               "%s", question);
      return;
    }
  d->req = pick_requirement (self, c, request->outcome);
  d->mech = ct_decide_mechanism_for (d->req->source);
  keep_draft (d, NULL);
  d->mech->read_async (self->client, c, d->req, cancellable, reread_done, g_object_ref (task));
}

CtDecisionResult *
ct_decisions_decide_finish (CtDecisions   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- bulk ---- */

CtDecisionPlan *
ct_decisions_plan_bulk (CtDecisions              *self,
                        GPtrArray                *cases,
                        const CtDecisionRequest  *request)
{
  CtDecisionPlan *plan = g_new0 (CtDecisionPlan, 1);
  g_autoptr(GError) input_error = NULL;
  gboolean inputs_ok;

  g_return_val_if_fail (CT_IS_DECISIONS (self), NULL);
  plan->eligible = g_ptr_array_new_with_free_func (g_object_unref);
  plan->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) skip_free);
  inputs_ok = check_inputs (request, &input_error);
  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];
      g_autoptr(GError) error = NULL;

      if (!inputs_ok || g_hash_table_contains (self->running, c->key) ||
          !check_case (self, c, request->outcome, &error))
        {
          CtDecisionSkip *skip = g_new0 (CtDecisionSkip, 1);

          skip->case_key = g_strdup (c->key);
          skip->reason = g_strdup (!inputs_ok ? input_error->message
                                   : error ? error->message
                                   : _("A decision on this case is already being sent"));
          g_ptr_array_add (plan->skipped, skip);
          continue;
        }
      g_ptr_array_add (plan->eligible, g_object_ref (c));
      plan->total += c->amount;
      plan->needs_confirmation = plan->needs_confirmation ||
        ct_decisions_needs_confirmation (self, c, request->outcome, NULL);
    }
  /* One confirmation for the lot, with count and total. */
  plan->needs_confirmation = plan->needs_confirmation || plan->eligible->len > 1;
  return plan;
}

typedef struct
{
  CtDecisionPlan         *plan;      /* (unowned): the caller keeps it until done */
  CtDecisionRequest       request;
  char                   *comment;
  GStrv                   conditions;
  char                   *target_login;
  CtDecisionProgressFunc  progress;
  gpointer                progress_data;
  GPtrArray              *results;
  guint                   next;
} Bulk;

static void
bulk_free (Bulk *b)
{
  g_free (b->comment);
  g_strfreev (b->conditions);
  g_free (b->target_login);
  g_ptr_array_unref (b->results);
  g_free (b);
}

static void bulk_next (GTask *task);

static void
bulk_one_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Bulk *b = g_task_get_task_data (task);
  CtCase *c = b->plan->eligible->pdata[b->next];
  GError *error = NULL;
  CtDecisionResult *r = ct_decisions_decide_finish (CT_DECISIONS (object), result, &error);

  if (r == NULL)
    {
      r = g_new0 (CtDecisionResult, 1);
      r->case_key = g_strdup (c->key);
      r->outcome = b->request.outcome;
      r->summary = g_strdup (error->message);
      r->error = error;
    }
  g_ptr_array_add (b->results, r);
  b->next++;
  if (b->progress != NULL)
    b->progress (r, b->next, b->plan->eligible->len, b->progress_data);
  bulk_next (task);
}

static void
bulk_next (GTask *task)
{
  Bulk *b = g_task_get_task_data (task);

  if (b->next >= b->plan->eligible->len || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_pointer (task, g_ptr_array_ref (b->results), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  ct_decisions_decide_async (g_task_get_source_object (task), b->plan->eligible->pdata[b->next],
                             &b->request, g_task_get_cancellable (task), bulk_one_done,
                             g_object_ref (task));
}

void
ct_decisions_decide_bulk_async (CtDecisions              *self,
                                CtDecisionPlan           *plan,
                                const CtDecisionRequest  *request,
                                CtDecisionProgressFunc    progress,
                                gpointer                  progress_data,
                                GCancellable             *cancellable,
                                GAsyncReadyCallback       callback,
                                gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Bulk *b = g_new0 (Bulk, 1);

  g_task_set_source_tag (task, ct_decisions_decide_bulk_async);
  b->plan = plan;
  b->request = *request;
  b->comment = g_strdup (request->comment);
  b->conditions = request->conditions ? g_strdupv ((char **) request->conditions) : NULL;
  b->target_login = g_strdup (request->target_login);
  b->request.comment = b->comment;
  b->request.conditions = (const char * const *) b->conditions;
  b->request.target_login = b->target_login;
  b->progress = progress;
  b->progress_data = progress_data;
  b->results = g_ptr_array_new_with_free_func ((GDestroyNotify) ct_decision_result_free);
  g_task_set_task_data (task, b, (GDestroyNotify) bulk_free);
  bulk_next (task);
}

GPtrArray *
ct_decisions_decide_bulk_finish (CtDecisions   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- users ---- */

static void
names_found (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = ct_odoo_client_call_finish (CT_ODOO_CLIENT (object), result, &error);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) user_free);
  JsonArray *pairs;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  pairs = answer && JSON_NODE_HOLDS_ARRAY (answer) ? json_node_get_array (answer) : NULL;
  for (guint i = 0; pairs != NULL && i < json_array_get_length (pairs); i++)
    {
      JsonNode *pair = json_array_get_element (pairs, i);
      JsonArray *a = JSON_NODE_HOLDS_ARRAY (pair) ? json_node_get_array (pair) : NULL;
      CtDecisionUser *user;

      if (a == NULL || json_array_get_length (a) < 2 ||
          json_node_get_value_type (json_array_get_element (a, 1)) != G_TYPE_STRING)
        continue;
      user = g_new0 (CtDecisionUser, 1);
      user->id = json_array_get_int_element (a, 0);
      user->name = g_strdup (json_array_get_string_element (a, 1));
      g_ptr_array_add (users, user);
    }
  g_task_return_pointer (task, g_steal_pointer (&users), (GDestroyNotify) g_ptr_array_unref);
}

void
ct_decisions_search_users_async (CtDecisions         *self,
                                 const char          *text,
                                 guint                limit,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonObject) kwargs = json_object_new ();
  g_autoptr(JsonArray) domain = json_array_new ();

  g_task_set_source_tag (task, ct_decisions_search_users_async);
  json_object_set_string_member (kwargs, "name", text ? text : "");
  json_object_set_string_member (kwargs, "operator", "ilike");
  json_object_set_int_member (kwargs, "limit", limit ? limit : 8);
  /* Internal users only: a portal user cannot decide. */
  ct_source_domain_add (domain, "share", "=", json_node_init_boolean (json_node_alloc (), FALSE));
  json_object_set_array_member (kwargs, "domain", json_array_ref (domain));
  ct_odoo_client_call_async (self->client, "res.users", "name_search", NULL, kwargs, NULL,
                             cancellable, names_found, task);
}

GPtrArray *
ct_decisions_search_users_finish (CtDecisions   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- reading one case ---- */

typedef struct
{
  GPtrArray *sources;
  char      *key;
  guint      next;
  CtCase    *merged;
} ReadCase;

static void
read_case_free (ReadCase *rc)
{
  g_ptr_array_unref (rc->sources);
  g_free (rc->key);
  g_clear_object (&rc->merged);
  g_free (rc);
}

static void read_case_next (GTask *task);

static void
read_case_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadCase *rc = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCase) c = ct_source_fetch_case_finish (CT_SOURCE (object), result, &error);

  /* A mechanism whose models this database lacks has nothing to say. */
  if (error != NULL && !g_error_matches (error, CT_SOURCE_ERROR, CT_SOURCE_ERROR_UNAVAILABLE) &&
      !g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_NOT_FOUND) &&
      !g_error_matches (error, CT_ODOO_ERROR, CT_ODOO_ERROR_ACCESS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (c != NULL && rc->merged == NULL)
    rc->merged = g_object_ref (c);
  else if (c != NULL)
    ct_case_merge (rc->merged, c);
  rc->next++;
  read_case_next (task);
}

static void
read_case_next (GTask *task)
{
  ReadCase *rc = g_task_get_task_data (task);
  g_autofree char *model = NULL;
  gint64 id;

  ct_source_parse_key (rc->key, &model, &id);
  while (rc->next < rc->sources->len)
    {
      CtSource *source = rc->sources->pdata[rc->next];
      const CtDecideMechanism *mech = ct_decide_mechanism_for (ct_source_get_kind (source));
      gboolean reads_model = FALSE;
      GPtrArray *queues;

      if (mech != NULL && ct_source_has_queues (source))
        {
          queues = ct_source_get_queues (source);
          for (guint i = 0; i < queues->len; i++)
            reads_model = reads_model || g_strcmp0 (((CtQueue *) queues->pdata[i])->model, model) == 0 ||
                          ct_source_get_kind (source) == CT_SOURCE_KIND_ACTIVITY;
        }
      if (reads_model)
        {
          ct_source_fetch_case_async (source, rc->key, g_task_get_cancellable (task),
                                      read_case_done, g_object_ref (task));
          return;
        }
      rc->next++;
    }
  g_task_return_pointer (task, g_steal_pointer (&rc->merged), g_object_unref);
}

void
ct_decisions_read_case_async (CtDecisions         *self,
                              GPtrArray           *sources,
                              const char          *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ReadCase *rc = g_new0 (ReadCase, 1);
  g_autofree char *model = NULL;
  gint64 id;

  g_task_set_source_tag (task, ct_decisions_read_case_async);
  rc->sources = g_ptr_array_ref (sources);
  rc->key = g_strdup (key);
  g_task_set_task_data (task, rc, (GDestroyNotify) read_case_free);
  if (!ct_source_parse_key (key, &model, &id) || id <= 0)
    {
      g_task_return_new_error (task, CT_DECISION_ERROR, CT_DECISION_ERROR_INVALID,
                               _("“%s” is not MODEL:ID"), key);
      return;
    }
  read_case_next (task);
}

CtCase *
ct_decisions_read_case_finish (CtDecisions   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- conditions ---- */

static void
conditions_read (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *conditions = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_search_read_finish (CT_ODOO_CLIENT (object), result,
                                                                 &error);
  GPtrArray *open = g_ptr_array_new_with_free_func (g_free);

  if (rows == NULL)
    {
      g_ptr_array_unref (open);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* search_read finds open activities only: a done one is archived. */
  if (json_array_get_length (rows) > 0)
    {
      g_auto(GStrv) lines = g_strsplit (conditions, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        if (*lines[i] != '\0')
          g_ptr_array_add (open, g_strdup (lines[i]));
    }
  g_task_return_pointer (task, open, (GDestroyNotify) g_ptr_array_unref);
}

void
ct_decisions_open_conditions_async (CtDecisions         *self,
                                    const char          *key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  CtJournalQuery q = { .case_key = key, .outcome = "approve-with-conditions", .succeeded = 1,
                       .limit = 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = ct_journal_query (self->journal, &q, &error);
  g_autoptr(JsonArray) domain = json_array_new ();
  static const char *const fields[] = { "id", NULL };
  g_autofree char *model = NULL;
  CtJournalEntry *entry;
  gint64 id;

  g_task_set_source_tag (task, ct_decisions_open_conditions_async);
  if (entries == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (entries->len == 0 || !ct_source_parse_key (key, &model, &id))
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_free),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  entry = entries->pdata[0];
  g_task_set_task_data (task, g_strdup (entry->conditions ? entry->conditions : ""), g_free);
  ct_source_domain_add (domain, "res_model", "=", json_node_init_string (json_node_alloc (), model));
  ct_source_domain_add (domain, "res_id", "=", json_node_init_int (json_node_alloc (), id));
  ct_source_domain_add (domain, "note", "ilike",
                        json_node_init_string (json_node_alloc (), entry->correlation_id));
  ct_odoo_client_search_read_async (self->client, "mail.activity", domain, fields, "id", 1, 0,
                                    cancellable, conditions_read, g_object_ref (task));
}

GPtrArray *
ct_decisions_open_conditions_finish (CtDecisions   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- revisions ---- */

static void
revision_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CtDecisions *self = g_task_get_source_object (task);
  CtCase *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = ct_odoo_client_read_finish (CT_ODOO_CLIENT (object), result, &error);
  gint64 baseline = 0;
  gint64 since = ct_journal_get_revision (self->journal, c->key, &baseline);
  JsonObject *row;
  gint64 changed;

  if (rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  row = json_array_get_length (rows) > 0 ? json_array_get_object_element (rows, 0) : NULL;
  changed = row && json_object_has_member (row, "write_date")
            ? ct_parse_odoo_datetime (json_object_get_member (row, "write_date")) : 0;
  /* write_date has whole seconds and our own note does not move it: a
   * change in a later second is the requester's revision. */
  if (row == NULL || changed > baseline)
    {
      ct_journal_clear_revision (self->journal, c->key, NULL);
      if (c->status == CT_CASE_STATUS_AWAITING_REVISION)
        c->status = CT_CASE_STATUS_PENDING;
      for (guint i = 0; c->pauses != NULL && i < c->pauses->len; i++)
        {
          CtPeriod *p = &g_array_index (c->pauses, CtPeriod, i);

          if (p->end == 0)
            p->end = MAX (changed, p->start);
        }
      g_task_return_int (task, CT_CASE_STATUS_PENDING);
      return;
    }
  c->status = CT_CASE_STATUS_AWAITING_REVISION;
  ct_case_add_pause (c, since, 0);
  g_task_return_int (task, CT_CASE_STATUS_AWAITING_REVISION);
}

void
ct_decisions_refresh_revision_async (CtDecisions         *self,
                                     CtCase              *c,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  static const char *const fields[] = { "write_date", NULL };

  g_task_set_source_tag (task, ct_decisions_refresh_revision_async);
  g_task_set_task_data (task, g_object_ref (c), g_object_unref);
  if (ct_journal_get_revision (self->journal, c->key, NULL) == 0)
    {
      g_task_return_int (task, c->status);
      g_object_unref (task);
      return;
    }
  ct_odoo_client_read_async (self->client, c->model, &c->record_id, 1, fields, cancellable,
                             revision_read, task);
}

CtCaseStatus
ct_decisions_refresh_revision_finish (CtDecisions   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), CT_CASE_STATUS_PENDING);
  return (CtCaseStatus) g_task_propagate_int (G_TASK (result), error);
}
