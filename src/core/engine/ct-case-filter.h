/* ct-case-filter.h - Which cases a queue shows: scope, filters and search
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <math.h>

#include "ct-case.h"

G_BEGIN_DECLS

/* The queues of the tower's sidebar. */
typedef enum
{
  CT_CASE_SCOPE_ALL_PENDING,   /* open approvals: pending or awaiting revision */
  CT_CASE_SCOPE_MINE,          /* open approvals the user must act on now (ct_case_user_can_act()) */
  CT_CASE_SCOPE_AT_RISK,
  CT_CASE_SCOPE_BREACHED,
  CT_CASE_SCOPE_ESCALATED,     /* escalation level 1 or more */
  CT_CASE_SCOPE_INCIDENTS,     /* stalled integrations */
  CT_CASE_N_SCOPES
} CtCaseScope;

/* Everything is optional: NULL strings, -1 enums and NAN bounds match all.
 * Read straight from the CtCase struct, so a GtkCustomFilter over 100 000
 * cases costs a few milliseconds. */
typedef struct
{
  CtCaseScope  scope;
  gint64       user_id;        /* for CT_CASE_SCOPE_MINE when no source said who may act */
  char        *area_id;        /* (owned) (nullable) */
  char        *branch;         /* (owned) (nullable) */
  char        *company;        /* (owned) (nullable) */
  int          sla_status;     /* CtSlaStatus or -1 */
  int          source;         /* CtSourceKind or -1 */
  double       amount_min;     /* NAN: no bound */
  double       amount_max;     /* NAN: no bound */
  char        *needle;         /* (owned) (nullable) folded with ct_case_fold_text() */
} CtCaseFilter;

CtCaseFilter *ct_case_filter_new        (CtCaseScope         scope);
CtCaseFilter *ct_case_filter_copy       (const CtCaseFilter *self);
void          ct_case_filter_free       (CtCaseFilter       *self);
/* Sets the search text (folded here); NULL or "" searches nothing. */
void          ct_case_filter_set_search (CtCaseFilter       *self,
                                         const char         *text);
/* Whether @c belongs to the queue @scope, ignoring the other filters. */
gboolean      ct_case_in_scope          (CtCase             *c,
                                         CtCaseScope         scope,
                                         gint64              user_id);
gboolean      ct_case_filter_matches    (const CtCaseFilter *self,
                                         CtCase             *c);
/* How many of @cases (element-type CtCase) match. */
guint         ct_case_filter_count      (const CtCaseFilter *self,
                                         GPtrArray          *cases);
/* Cases per scope in one pass: @counts has CT_CASE_N_SCOPES entries. */
void          ct_case_scope_count_all   (GPtrArray          *cases,
                                         gint64              user_id,
                                         guint              *counts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtCaseFilter, ct_case_filter_free)

G_END_DECLS
