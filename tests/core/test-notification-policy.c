/* test-notification-policy.c - New breaches and cases waiting for me, at most one summary a minute
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-notification-policy.h"

#define ME 7
#define T0 1790000000

static CtCase *
make_case (guint       id,
           CtSlaStatus sla,
           gint64      approver)
{
  CtCase *c = ct_case_new ("purchase.order", id);

  c->reference = g_strdup_printf ("P%05u", id);
  c->title = g_strdup ("<b>Azure</b> & Co");
  c->sla.status = sla;
  c->priority = id;
  if (approver != 0)
    ct_case_add_requirement (c, CT_SOURCE_KIND_TIER_VALIDATION, "tier.review:1", approver,
                             "Someone", CT_APPROVER_STATE_PENDING, 1);
  return c;
}

static GPtrArray *
cases_new (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static void
test_first_refresh_is_quiet (void)
{
  g_autoptr(CtNotificationPolicy) policy = ct_notification_policy_new (ME);
  g_autoptr(GPtrArray) cases = cases_new ();

  g_ptr_array_add (cases, make_case (1, CT_SLA_STATUS_BREACHED, ME));
  g_ptr_array_add (cases, make_case (2, CT_SLA_STATUS_BREACHED, 0));
  /* What is there at start-up is not news. */
  g_assert_null (ct_notification_policy_update (policy, cases, T0));
  g_assert_null (ct_notification_policy_update (policy, cases, T0 + 120));
}

static void
test_new_breach_and_waiting (void)
{
  g_autoptr(CtNotificationPolicy) policy = ct_notification_policy_new (ME);
  g_autoptr(GPtrArray) cases = cases_new ();
  g_autoptr(CtNotificationContent) content = NULL;
  g_autoptr(GNotification) notification = NULL;

  g_ptr_array_add (cases, make_case (1, CT_SLA_STATUS_AT_RISK, 0));
  g_assert_null (ct_notification_policy_update (policy, cases, T0));

  /* Case 1 breaches, case 2 arrives for me, case 3 for someone else. */
  ((CtCase *) cases->pdata[0])->sla.status = CT_SLA_STATUS_BREACHED;
  g_ptr_array_add (cases, make_case (2, CT_SLA_STATUS_ON_TRACK, ME));
  g_ptr_array_add (cases, make_case (3, CT_SLA_STATUS_ON_TRACK, 99));
  content = ct_notification_policy_update (policy, cases, T0 + 60);
  g_assert_nonnull (content);
  g_assert_cmpuint (content->n_breaches, ==, 1);
  g_assert_cmpuint (content->n_waiting, ==, 1);
  g_assert_cmpstr (content->title, ==, "1 new SLA breach, 1 case waiting for you");
  g_assert_cmpstr (content->body, ==, "P00001 — <b>Azure</b> & Co\nP00002 — <b>Azure</b> & Co");
  /* The breach is the most urgent: activating opens it. */
  g_assert_cmpstr (content->target_key, ==, "purchase.order:1");

  notification = ct_notification_content_to_notification (content, "app.open-case");
  g_assert_true (G_IS_NOTIFICATION (notification));
}

static void
test_rate_limit (void)
{
  g_autoptr(CtNotificationPolicy) policy = ct_notification_policy_new (ME);
  g_autoptr(GPtrArray) cases = cases_new ();
  g_autoptr(CtNotificationContent) first = NULL;
  g_autoptr(CtNotificationContent) later = NULL;

  g_assert_null (ct_notification_policy_update (policy, cases, T0));
  g_ptr_array_add (cases, make_case (1, CT_SLA_STATUS_BREACHED, 0));
  first = ct_notification_policy_update (policy, cases, T0 + 10);
  g_assert_nonnull (first);
  g_assert_cmpstr (first->title, ==, "1 new SLA breach");

  /* More news within the minute waits... */
  for (guint i = 2; i <= 6; i++)
    {
      g_ptr_array_add (cases, make_case (i, CT_SLA_STATUS_BREACHED, 0));
      g_assert_null (ct_notification_policy_update (policy, cases, T0 + 10 + i * 5));
    }
  g_assert_null (ct_notification_policy_update (policy, cases, T0 + 69));

  /* ... and comes as one summary once the minute is over. */
  later = ct_notification_policy_update (policy, cases, T0 + 70);
  g_assert_nonnull (later);
  g_assert_cmpuint (later->n_breaches, ==, 5);
  g_assert_cmpstr (later->title, ==, "5 new SLA breaches");
  g_assert_cmpstr (later->target_key, ==, "purchase.order:6");
  g_assert_nonnull (strstr (later->body, "and 2 more"));
  g_assert_null (ct_notification_policy_update (policy, cases, T0 + 200));
}

static void
test_news_that_went_away (void)
{
  g_autoptr(CtNotificationPolicy) policy = ct_notification_policy_new (ME);
  g_autoptr(GPtrArray) cases = cases_new ();
  g_autoptr(CtNotificationContent) first = NULL;

  g_assert_null (ct_notification_policy_update (policy, cases, T0));
  g_ptr_array_add (cases, make_case (1, CT_SLA_STATUS_BREACHED, 0));
  first = ct_notification_policy_update (policy, cases, T0 + 1);
  g_assert_nonnull (first);
  /* Case 2 is waiting for me within the minute, then decided elsewhere. */
  g_ptr_array_add (cases, make_case (2, CT_SLA_STATUS_ON_TRACK, ME));
  g_assert_null (ct_notification_policy_update (policy, cases, T0 + 5));
  g_ptr_array_remove_index (cases, 1);
  g_assert_null (ct_notification_policy_update (policy, cases, T0 + 90));
}

static void
test_switched_off (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("com.sysgenpro.ControlTower");
  g_autoptr(CtNotificationPolicy) policy = ct_notification_policy_new (ME);
  g_autoptr(GPtrArray) cases = cases_new ();
  g_autoptr(CtNotificationContent) content = NULL;

  g_assert_true (g_settings_get_boolean (settings, "desktop-notifications"));
  g_settings_bind (settings, "desktop-notifications", policy, "enabled", G_SETTINGS_BIND_DEFAULT);
  g_assert_true (ct_notification_policy_get_enabled (policy));
  g_settings_set_boolean (settings, "desktop-notifications", FALSE);
  g_assert_false (ct_notification_policy_get_enabled (policy));

  g_assert_null (ct_notification_policy_update (policy, cases, T0));
  g_ptr_array_add (cases, make_case (1, CT_SLA_STATUS_BREACHED, ME));
  g_assert_null (ct_notification_policy_update (policy, cases, T0 + 100));

  /* Switched on again: what broke while off is not announced late. */
  g_settings_set_boolean (settings, "desktop-notifications", TRUE);
  g_assert_null (ct_notification_policy_update (policy, cases, T0 + 200));
  g_ptr_array_add (cases, make_case (2, CT_SLA_STATUS_BREACHED, 0));
  content = ct_notification_policy_update (policy, cases, T0 + 300);
  g_assert_nonnull (content);
  g_assert_cmpuint (content->n_breaches, ==, 1);
  g_assert_cmpstr (content->target_key, ==, "purchase.order:2");
  g_settings_unbind (policy, "enabled");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/notification-policy/first-refresh-is-quiet",
                   test_first_refresh_is_quiet);
  g_test_add_func ("/ct/core/notification-policy/new-breach-and-waiting",
                   test_new_breach_and_waiting);
  g_test_add_func ("/ct/core/notification-policy/rate-limit", test_rate_limit);
  g_test_add_func ("/ct/core/notification-policy/news-that-went-away", test_news_that_went_away);
  g_test_add_func ("/ct/core/notification-policy/switched-off", test_switched_off);
  return g_test_run ();
}
