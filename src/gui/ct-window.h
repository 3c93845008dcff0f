/* ct-window.h - The main window: sidebar of queues, pages, freshness
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-application.h"
#include "ct-case-store.h"
#include "ct-overview-page.h"
#include "ct-queue-page.h"
#include "ct-sync.h"

G_BEGIN_DECLS

#define CT_TYPE_WINDOW (ct_window_get_type ())

G_DECLARE_FINAL_TYPE (CtWindow, ct_window, CT, WINDOW, AdwApplicationWindow)

CtWindow       *ct_window_new               (CtApplication *application);
/* Selects a sidebar page: "overview", "mine", "pending", "breaches",
 * "escalations", "integrations", "journal". */
void            ct_window_show_page         (CtWindow      *self,
                                             const char    *name);
const char     *ct_window_get_page          (CtWindow      *self);
/* What the sidebar shows as the count of a queue page ("—" when unknown). */
const char     *ct_window_get_count_text    (CtWindow      *self,
                                             const char    *page);
/* A count as the tower shows it: "—" or "N+" when a source that feeds
 * @scope (a CtCaseScope) has never been read. */
char           *ct_window_format_count      (CtWindow      *self,
                                             int            scope,
                                             guint          n);
CtCaseStore    *ct_window_get_store         (CtWindow      *self);
CtSync         *ct_window_get_sync          (CtWindow      *self);
gint64          ct_window_get_user_id       (CtWindow      *self);
guint           ct_window_get_n_sessions    (CtWindow      *self);
gboolean        ct_window_is_refreshing     (CtWindow      *self);
CtQueuePage    *ct_window_get_queue_page    (CtWindow      *self);
CtOverviewPage *ct_window_get_overview_page (CtWindow      *self);
void            ct_window_update_now        (CtWindow      *self);

G_END_DECLS
