/* ct-case-page.h - One case as a controller reads it before deciding
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-case-detail.h"
#include "ct-case-store.h"
#include "ct-sla-bar.h"
#include "ct-decision-bar.h"

G_BEGIN_DECLS

#define CT_TYPE_CASE_PAGE (ct_case_page_get_type ())

G_DECLARE_FINAL_TYPE (CtCasePage, ct_case_page, CT, CASE_PAGE, GtkWidget)

GtkWidget    *ct_case_page_new          (void);
/* Shows @c's header at once and a spinner (after 250 ms) until the
 * window passes the detail or an error in. */
void          ct_case_page_show_loading (CtCasePage   *self,
                                         CtCase       *c,
                                         const char   *amount);
/* A newer copy of the case shown (after a refresh): the header follows. */
void          ct_case_page_update_case  (CtCasePage   *self,
                                         CtCase       *c);
void          ct_case_page_set_detail   (CtCasePage   *self,
                                         CtCaseDetail *detail);
void          ct_case_page_set_error    (CtCasePage   *self,
                                         const char   *message);
/* Where the linked incidents' titles are looked up. */
void          ct_case_page_set_store    (CtCasePage   *self,
                                         CtCaseStore  *store);
CtSlaBar     *ct_case_page_get_sla_bar  (CtCasePage   *self);
/* What the page says about a case that left the queues, NULL if it did not. */
const char   *ct_case_page_get_left_text (CtCasePage  *self);
CtCase       *ct_case_page_get_case     (CtCasePage   *self);
CtCaseDetail *ct_case_page_get_detail   (CtCasePage   *self);
CtDecisionBar *ct_case_page_get_decision_bar (CtCasePage *self);
/* "loading", "detail" or "error" */
const char   *ct_case_page_get_state    (CtCasePage   *self);

G_END_DECLS
