/* ct-case-page.h - One case as a controller reads it before deciding
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-case-detail.h"
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
void          ct_case_page_set_detail   (CtCasePage   *self,
                                         CtCaseDetail *detail);
void          ct_case_page_set_error    (CtCasePage   *self,
                                         const char   *message);
CtCase       *ct_case_page_get_case     (CtCasePage   *self);
CtCaseDetail *ct_case_page_get_detail   (CtCasePage   *self);
CtDecisionBar *ct_case_page_get_decision_bar (CtCasePage *self);
/* "loading", "detail" or "error" */
const char   *ct_case_page_get_state    (CtCasePage   *self);

G_END_DECLS
