/* ct-notification-policy.h - When to tell the desktop: new breaches, cases newly waiting for me
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ct-case.h"

G_BEGIN_DECLS

#define CT_NOTIFICATION_ID "ct-summary"
#define CT_NOTIFICATION_RATE_SECONDS 60

/* One desktop notification's content. The GUI sends it with
 * g_application_send_notification (app, CT_NOTIFICATION_ID, ...), so a new
 * summary replaces the previous one. */
typedef struct
{
  char  *title;        /* "2 new breaches, 1 case waiting for you" */
  char  *body;         /* up to three cases, one a line; plain text */
  char  *target_key;   /* the case activating it opens: the most urgent one */
  guint  n_breaches;
  guint  n_waiting;
} CtNotificationContent;

void ct_notification_content_free (CtNotificationContent *content);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtNotificationContent, ct_notification_content_free)

/* A GNotification whose default action is @action (e.g. "app.open-case")
 * with the case key as its string target. */
GNotification *ct_notification_content_to_notification (const CtNotificationContent *content,
                                                        const char                  *action);

#define CT_TYPE_NOTIFICATION_POLICY (ct_notification_policy_get_type ())

G_DECLARE_FINAL_TYPE (CtNotificationPolicy, ct_notification_policy, CT, NOTIFICATION_POLICY,
                      GObject)

/* @user_id: the signed-in user (res.users id), whose pending requirements
 * count as "waiting for you". */
CtNotificationPolicy  *ct_notification_policy_new         (gint64                user_id);
/* The "enabled" property; bind it to the "desktop-notifications" key with
 * g_settings_bind. Disabled, the policy keeps watching (so enabling it
 * later does not announce everything at once) but returns nothing. */
void                   ct_notification_policy_set_enabled (CtNotificationPolicy *self,
                                                           gboolean              enabled);
gboolean               ct_notification_policy_get_enabled (CtNotificationPolicy *self);

/* Feeds the cases after a refresh (element-type CtCase, e.g. the store's
 * ct_case_store_get_cases) at @now (Unix seconds). The first call only
 * learns what is there. Returns a summary of what is new since the last
 * call — or since the last summary, if one was sent less than a minute ago
 * (then this returns NULL and the news wait for a later call) — or NULL
 * when nothing is new. */
CtNotificationContent *ct_notification_policy_update     (CtNotificationPolicy *self,
                                                           GPtrArray            *cases,
                                                           gint64                now);

G_END_DECLS
