/* ct-integrations-page.h - Stalled integrations by system, what they hold up, and what to do
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ct-case-store.h"
#include "ct-sync.h"

G_BEGIN_DECLS

#define CT_TYPE_INTEGRATIONS_PAGE (ct_integrations_page_get_type ())

G_DECLARE_FINAL_TYPE (CtIntegrationsPage, ct_integrations_page, CT, INTEGRATIONS_PAGE, GtkWidget)

GtkWidget  *ct_integrations_page_new             (void);
/* Shows the incidents of @store grouped by system, and the health of the
 * sources that feed them (@sync may be NULL). Rows are rebuilt only when
 * what they say changed; an expanded incident stays expanded, the scroll
 * position and the focused incident stay where they were. */
void        ct_integrations_page_update          (CtIntegrationsPage *self,
                                                  CtCaseStore        *store,
                                                  CtSync             *sync);
/* An action on @key started (a spinner, its buttons insensitive) or
 * ended with @result in words (@failed: said as an error). */
void        ct_integrations_page_set_running     (CtIntegrationsPage *self,
                                                  const char         *key);
void        ct_integrations_page_set_result      (CtIntegrationsPage *self,
                                                  const char         *key,
                                                  const char         *result,
                                                  gboolean            failed);
const char *ct_integrations_page_get_result      (CtIntegrationsPage *self,
                                                  const char         *key);
gboolean    ct_integrations_page_is_running      (CtIntegrationsPage *self,
                                                  const char         *key);
/* What n8n says about a failed run, read with its data: the message and
 * the node that failed. */
void        ct_integrations_page_set_run_details (CtIntegrationsPage *self,
                                                  const char         *key,
                                                  const char         *message,
                                                  const char         *node);
gboolean    ct_integrations_page_has_run_details (CtIntegrationsPage *self,
                                                  const char         *key);
/* The keys of the n8n runs shown whose data was not read yet. */
GStrv       ct_integrations_page_dup_unread_runs (CtIntegrationsPage *self);
/* Expands @key's incident, scrolls to it and gives it the focus. FALSE
 * when the page does not list it. */
gboolean    ct_integrations_page_reveal          (CtIntegrationsPage *self,
                                                  const char         *key);
/* The incident's row (its expander, or an n8n run's row inside its
 * workflow's expander); NULL if not listed. */
GtkWidget  *ct_integrations_page_get_row         (CtIntegrationsPage *self,
                                                  const char         *key);

G_END_DECLS
