/* ct-case-filter.c - Which cases a queue shows: scope, filters and search
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-case-filter"

#include "config.h"

#include <string.h>

#include "ct-case-filter.h"

CtCaseFilter *
ct_case_filter_new (CtCaseScope scope)
{
  CtCaseFilter *self = g_new0 (CtCaseFilter, 1);

  self->scope = scope;
  self->sla_status = -1;
  self->source = -1;
  self->amount_min = NAN;
  self->amount_max = NAN;
  return self;
}

CtCaseFilter *
ct_case_filter_copy (const CtCaseFilter *self)
{
  CtCaseFilter *copy = g_memdup2 (self, sizeof *self);

  copy->area_id = g_strdup (self->area_id);
  copy->branch = g_strdup (self->branch);
  copy->company = g_strdup (self->company);
  copy->needle = g_strdup (self->needle);
  return copy;
}

void
ct_case_filter_free (CtCaseFilter *self)
{
  if (self == NULL)
    return;
  g_free (self->area_id);
  g_free (self->branch);
  g_free (self->company);
  g_free (self->needle);
  g_free (self);
}

void
ct_case_filter_set_search (CtCaseFilter *self,
                           const char   *text)
{
  g_clear_pointer (&self->needle, g_free);
  if (text != NULL && *text != '\0')
    self->needle = ct_case_fold_text (text);
}

static gboolean
is_open_approval (CtCase *c)
{
  return c->kind == CT_CASE_KIND_APPROVAL &&
         (c->status == CT_CASE_STATUS_PENDING || c->status == CT_CASE_STATUS_AWAITING_REVISION);
}

/* Whether the signed-in user must act now: the source said so
 * (ct_case_user_can_act(): their tier's turn, their activity, a manager's
 * second validation). Only when no source said who may act on any pending
 * requirement does the approver's id decide. */
static gboolean
user_must_act (CtCase *c,
               gint64  user_id)
{
  gboolean any_known = FALSE, named = FALSE;

  if (ct_case_user_can_act (c))
    return TRUE;
  for (guint i = 0; c->requirements && i < c->requirements->len; i++)
    {
      const CtRequirement *r = c->requirements->pdata[i];

      if (r->state != CT_APPROVER_STATE_PENDING)
        continue;
      any_known |= r->actor != CT_ACTOR_UNKNOWN;
      named |= user_id > 0 && r->approver_id == user_id;
    }
  return !any_known && named;
}

gboolean
ct_case_in_scope (CtCase      *c,
                  CtCaseScope  scope,
                  gint64       user_id)
{
  switch (scope)
    {
    case CT_CASE_SCOPE_INCIDENTS:
      return c->kind == CT_CASE_KIND_INCIDENT && c->status != CT_CASE_STATUS_DECIDED;
    case CT_CASE_SCOPE_MINE:
      return is_open_approval (c) && user_must_act (c, user_id);
    case CT_CASE_SCOPE_AT_RISK:
      return is_open_approval (c) && c->sla.status == CT_SLA_STATUS_AT_RISK;
    case CT_CASE_SCOPE_BREACHED:
      return is_open_approval (c) && c->sla.status == CT_SLA_STATUS_BREACHED;
    case CT_CASE_SCOPE_ESCALATED:
      return is_open_approval (c) && c->sla.escalation_level > 0;
    case CT_CASE_SCOPE_ALL_PENDING:
    case CT_CASE_N_SCOPES:
    default:
      return is_open_approval (c);
    }
}

gboolean
ct_case_filter_matches (const CtCaseFilter *self,
                        CtCase             *c)
{
  if (!ct_case_in_scope (c, self->scope, self->user_id))
    return FALSE;
  if (self->area_id != NULL && g_strcmp0 (c->area_id, self->area_id) != 0)
    return FALSE;
  if (self->branch != NULL && g_strcmp0 (c->branch, self->branch) != 0)
    return FALSE;
  if (self->company != NULL && g_strcmp0 (c->company, self->company) != 0)
    return FALSE;
  if (self->sla_status >= 0 && (int) c->sla.status != self->sla_status)
    return FALSE;
  if (self->source >= 0 && !ct_case_has_source (c, (CtSourceKind) self->source))
    return FALSE;
  if (!isnan (self->amount_min) && !(c->amount >= self->amount_min))
    return FALSE;
  if (!isnan (self->amount_max) && !(c->amount <= self->amount_max))
    return FALSE;
  return self->needle == NULL || ct_case_matches (c, self->needle);
}

guint
ct_case_filter_count (const CtCaseFilter *self,
                      GPtrArray          *cases)
{
  guint n = 0;

  for (guint i = 0; i < cases->len; i++)
    n += ct_case_filter_matches (self, cases->pdata[i]);
  return n;
}

void
ct_case_scope_count_all (GPtrArray *cases,
                         gint64     user_id,
                         guint     *counts)
{
  memset (counts, 0, sizeof (guint) * CT_CASE_N_SCOPES);
  for (guint i = 0; i < cases->len; i++)
    {
      CtCase *c = cases->pdata[i];

      for (guint s = 0; s < CT_CASE_N_SCOPES; s++)
        counts[s] += ct_case_in_scope (c, s, user_id);
    }
}
