/* ct-window-integrations.h - The window's side of the Integrations page: run, verify, open
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-integrations-page.h"
#include "ct-window.h"

G_BEGIN_DECLS

void                ct_window_integrations_class_init (GtkWidgetClass *widget_class);
void                ct_window_integrations_init       (CtWindow       *self);
/* After a refresh: the page's rows and health, and the n8n runs it has
 * not read in detail yet. */
void                ct_window_integrations_update     (CtWindow       *self);
/* Shows the Integrations page with @key's incident expanded and focused. */
void                ct_window_show_incident           (CtWindow       *self,
                                                       const char     *key);
CtIntegrationsPage *ct_window_get_integrations_page   (CtWindow       *self);

G_END_DECLS
