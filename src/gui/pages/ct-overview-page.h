/* ct-overview-page.h - The overview: KPI tiles, areas, ageing, breach trend, reasons, sources
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-case-filter.h"
#include "ct-case-store.h"
#include "ct-sync.h"

G_BEGIN_DECLS

#define CT_TYPE_OVERVIEW_PAGE (ct_overview_page_get_type ())

G_DECLARE_FINAL_TYPE (CtOverviewPage, ct_overview_page, CT, OVERVIEW_PAGE, GtkWidget)

#define CT_OVERVIEW_TREND_DAYS 14

/* Redraws everything from the store at @now. @unknown (CT_CASE_N_SCOPES
 * entries) marks the scopes whose source has never been read: their
 * numbers read "—" or "N+", never a false 0. @sync may be NULL. */
void       ct_overview_page_update   (CtOverviewPage *self,
                                      CtProfile      *profile,
                                      CtCaseStore    *store,
                                      CtSync         *sync,
                                      const gboolean *unknown,
                                      gint64          now);
/* The tile for a queue ("pending", "at-risk", "breaches", "integrations",
 * "oldest", "cycle"), for tests. */
GtkWidget *ct_overview_page_get_tile (CtOverviewPage *self,
                                      const char     *name);
GtkWidget *ct_overview_page_get_area_list (CtOverviewPage *self);
GtkWidget *ct_overview_page_get_chart (CtOverviewPage *self,
                                       const char     *name);

G_END_DECLS
