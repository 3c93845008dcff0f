/* ct-window-private.h - The window's state, shared by ct-window.c and ct-window-actions.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-case-filter.h"
#include "ct-journal.h"
#include "ct-n8n-client.h"
#include "ct-odoo-client.h"
#include "ct-overview-page.h"
#include "ct-queue-page.h"
#include "ct-sync.h"
#include "ct-window.h"

G_BEGIN_DECLS

struct _CtWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;          /* (owned) */
  gboolean              demo;
  CtProfile            *profile;           /* (owned) */
  CtCaseStore          *store;             /* (owned) one per window, refilled per session */

  /* One session: a connection, its sync and snapshot. Replaced when the
   * connection changes; cancelled when the window closes. */
  GCancellable         *session_cancellable; /* (owned) (nullable) */
  CtOdooClient         *client;            /* (owned) (nullable) */
  CtN8nClient          *n8n;               /* (owned) (nullable) */
  CtSync               *sync;              /* (owned) (nullable) */
  CtJournal            *journal;           /* (owned) (nullable) */
  char                 *connect_error;     /* (owned) (nullable) why the session has no sync */
  char                 *database;          /* (owned) (nullable) for the subtitle */
  gint64                user_id;
  guint                 n_sessions;        /* sessions started, for the tests */
  guint                 session_idle;      /* coalesces one change set into one session */
  gboolean              refreshing;
  gboolean              refresh_again;     /* Retry came while a pass ran */
  guint                 spinner_timeout;
  guint                 update_idle;
  guint                 clock_timeout;

  char                 *page;              /* (owned) sidebar row name */

  /* Template widgets */
  GtkWidget            *account_row;
  GtkWidget            *connect_button;
  GtkWidget            *content_box;
  GtkWidget            *demo_button;
  GtkWidget            *health_button;
  GtkWidget            *health_list;
  GtkWidget            *info_bar;
  GtkWidget            *info_label;
  AdwLeaflet           *leaflet;
  GtkWidget            *refresh_button;
  GtkWidget            *n8n_row;
  CtOverviewPage       *overview_page;
  GtkWidget            *pages;
  CtQueuePage          *queue_page;
  GtkWidget            *search_button;
  GtkWidget            *server_row;
  GtkWidget            *sidebar;
  GtkWidget            *sidebar_box;
  GtkWidget            *spinner;
  GtkWidget            *stack;
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwStatusPage        *welcome_page;
};

void ct_window_class_add_actions (GtkWidgetClass *widget_class);
void ct_window_update_actions    (CtWindow       *self);
void ct_window_start_refresh     (CtWindow       *self);
/* Refreshes only the sources a change to @models concerns (the bus). */
void ct_window_start_refresh_models (CtWindow           *self,
                                     const char * const *models);
void ct_window_update_page       (CtWindow       *self);

G_END_DECLS
