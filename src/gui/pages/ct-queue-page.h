/* ct-queue-page.h - One page for every queue: search, filter chips, a sortable table
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-case-filter.h"
#include "ct-case-store.h"

G_BEGIN_DECLS

#define CT_TYPE_QUEUE_PAGE (ct_queue_page_get_type ())

G_DECLARE_FINAL_TYPE (CtQueuePage, ct_queue_page, CT, QUEUE_PAGE, GtkWidget)

void                ct_queue_page_set_store      (CtQueuePage        *self,
                                                  CtProfile          *profile,
                                                  CtCaseStore        *store);
/* The signed-in user, for My Queue. */
void                ct_queue_page_set_user_id    (CtQueuePage        *self,
                                                  gint64              user_id);
/* Shows the queue @filter describes (copied); the search text stays. */
void                ct_queue_page_set_filter     (CtQueuePage        *self,
                                                  const CtCaseFilter *filter);
const CtCaseFilter *ct_queue_page_get_filter     (CtQueuePage        *self);
void                ct_queue_page_set_search     (CtQueuePage        *self,
                                                  const char         *text);
void                ct_queue_page_start_search   (CtQueuePage        *self);
/* After the store changed: the count and the empty state. */
void                ct_queue_page_update         (CtQueuePage        *self);
/* Whether a big list is still being filtered in batches. */
gboolean            ct_queue_page_is_filtering   (CtQueuePage        *self);
/* The rows as shown, sorted and filtered. */
GListModel         *ct_queue_page_get_model      (CtQueuePage        *self);
GtkSelectionModel  *ct_queue_page_get_selection  (CtQueuePage        *self);
/* The selected rows' cases (element-type CtCase), for decisions. */
GPtrArray          *ct_queue_page_dup_selected_cases (CtQueuePage    *self);
/* "37 of 619" */
const char         *ct_queue_page_get_count_text (CtQueuePage        *self);
gboolean            ct_queue_page_is_empty_shown (CtQueuePage        *self);
const char         *ct_queue_page_get_empty_title (CtQueuePage       *self);
/* Sorts by the column titled @title. */
void                ct_queue_page_sort_by        (CtQueuePage        *self,
                                                  const char         *title,
                                                  GtkSortType         order);
/* The title a row shows for @c: its own, or what identifies it to a person. */
char               *ct_queue_page_case_title     (CtQueuePage        *self,
                                                  CtCase             *c);

/* "12,400.00 EUR": the amount as the Amount column shows it. */
char               *ct_queue_page_format_amount  (CtQueuePage        *self,
                                                  CtCase             *c);

G_END_DECLS
