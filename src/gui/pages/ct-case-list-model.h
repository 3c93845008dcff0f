/* ct-case-list-model.h - A queue's rows: the store filtered and sorted by reading CtCase directly
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ct-case-filter.h"
#include "ct-case-store.h"

G_BEGIN_DECLS

#define CT_TYPE_CASE_LIST_MODEL (ct_case_list_model_get_type ())

G_DECLARE_FINAL_TYPE (CtCaseListModel, ct_case_list_model, CT, CASE_LIST_MODEL, GObject)

/* The text a string column sorts by (what the cell shows); collated once per sort. */
typedef char *(*CtCaseSortText) (gpointer data,
                                 CtCase  *c);

CtCaseListModel    *ct_case_list_model_new             (void);
/* Follows @store: its changes are applied in one pass before the next frame
 * (or at ct_case_list_model_flush()), as one items-changed. */
void                ct_case_list_model_set_store       (CtCaseListModel    *self,
                                                        CtCaseStore        *store);
/* Shows the cases @filter matches (copied). When only the search text grew
 * (the new needle contains the old one), only the rows shown are tested. */
void                ct_case_list_model_set_filter      (CtCaseListModel    *self,
                                                        const CtCaseFilter *filter);
const CtCaseFilter *ct_case_list_model_get_filter      (CtCaseListModel    *self);
/* Sorts by @compare, or, when @text is set, by the collated @text of each
 * case; both NULL: the store's order. Ties keep the store's order. */
void                ct_case_list_model_set_sort        (CtCaseListModel    *self,
                                                        GCompareDataFunc    compare,
                                                        CtCaseSortText      text,
                                                        gpointer            data,
                                                        gboolean            descending);
/* Applies pending store changes now. */
void                ct_case_list_model_flush           (CtCaseListModel    *self);
/* How many cases are in the filter's scope, before the other filters and search. */
guint               ct_case_list_model_get_scope_total (CtCaseListModel    *self);

G_END_DECLS
