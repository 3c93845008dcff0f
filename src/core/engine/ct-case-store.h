/* ct-case-store.h - All cases and incidents, by key, as a GListModel
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ct-case.h"
#include "ct-profile.h"

G_BEGIN_DECLS

#define CT_TYPE_CASE_STORE (ct_case_store_get_type ())

G_DECLARE_FINAL_TYPE (CtCaseStore, ct_case_store, CT, CASE_STORE, GObject)

CtCaseStore *ct_case_store_new              (void);
/* O(1). Returns (transfer none) or NULL. */
CtCase      *ct_case_store_lookup           (CtCaseStore  *self,
                                             const char   *key);
guint        ct_case_store_get_n_cases      (CtCaseStore  *self);
/* The items in list order, (transfer none): for batch passes (SLA tick,
 * metrics) without a GObject ref per item. Do not modify the array. */
GPtrArray   *ct_case_store_get_cases        (CtCaseStore  *self);

/* Applies one sync's changes. @upserts: cases whose key is new are appended
 * (in key order, so the order is stable from one run to the next); a case whose
 * key exists replaces the old object in place, unless it is equal to it
 * (ct_case_equal()): a full reconciliation that re-reads every record then
 * emits nothing for the ones that did not change. @removals: keys to drop
 * (unknown ones are ignored). Emits one items-changed per contiguous range
 * of positions that changed, from the last to the first, each against the
 * state that the previous one left — never a full reset. Keys present in
 * both lists are removed. A case's search text is computed if missing.
 * Returns the number of items-changed emissions. */
guint        ct_case_store_apply_changes    (CtCaseStore  *self,
                                             GPtrArray    *upserts,
                                             const char * const *removals);
/* Replaces everything with @cases, as one items-changed: for the first
 * load (snapshot, first sync). */
void         ct_case_store_replace_all      (CtCaseStore  *self,
                                             GPtrArray    *cases);

/* The minute tick: recomputes every case's SLA state (ct_sla_update_all())
 * and emits items-changed (same items, so views rebind them) for each run
 * of cases whose status or escalation level changed — a view re-sorts and
 * re-filters only those. Returns how many cases changed. */
guint        ct_case_store_update_sla       (CtCaseStore  *self,
                                             CtProfile    *profile,
                                             gint64        now);

/* Counts the cases whose search text contains @needle (folded here). The
 * same test a GtkCustomFilter runs per row with ct_case_matches(). */
guint        ct_case_store_count_matching   (CtCaseStore  *self,
                                             const char   *needle);

G_END_DECLS
