/* ct-notification-policy.c - When to tell the desktop: new breaches, cases newly waiting for me
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure logic over the cases a refresh produced: no timers, no GApplication.
 * What is "new" is a key that was not breached (or not waiting for the
 * user) in the previous refresh. News found less than a minute after the
 * last summary wait and go into the next one, so a burst of refreshes
 * never becomes a burst of notifications.
 */

#define G_LOG_DOMAIN "ct-notification"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ct-notification-policy.h"

#define MAX_BODY_LINES 3

typedef struct
{
  char     *key;
  char     *line;       /* "P00013 — Azure Interior" */
  gboolean  breach;
  double    priority;
} News;

struct _CtNotificationPolicy
{
  GObject     parent_instance;

  gint64      user_id;
  gboolean    enabled;
  gboolean    learned;     /* the first refresh was seen */
  GHashTable *breached;    /* (owned) keys breached at the last refresh */
  GHashTable *waiting;     /* (owned) keys waiting for the user at the last refresh */
  GPtrArray  *pending;     /* (owned) (element-type News) not announced yet */
  gint64      last_sent;   /* Unix seconds, 0 never */
};

enum
{
  PROP_0,
  PROP_ENABLED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (CtNotificationPolicy, ct_notification_policy, G_TYPE_OBJECT)

static void
news_free (News *news)
{
  g_free (news->key);
  g_free (news->line);
  g_free (news);
}

void
ct_notification_content_free (CtNotificationContent *content)
{
  if (content == NULL)
    return;
  g_free (content->title);
  g_free (content->body);
  g_free (content->target_key);
  g_free (content);
}

GNotification *
ct_notification_content_to_notification (const CtNotificationContent *content,
                                         const char                  *action)
{
  GNotification *notification;

  g_return_val_if_fail (content != NULL, NULL);

  notification = g_notification_new (content->title);
  g_notification_set_body (notification, content->body);
  if (content->n_breaches > 0)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  if (action != NULL && content->target_key != NULL)
    g_notification_set_default_action_and_target (notification, action, "s",
                                                  content->target_key);
  return notification;
}

static gboolean
waits_for (CtCase *c,
           gint64  user_id)
{
  for (guint i = 0; c->requirements != NULL && i < c->requirements->len; i++)
    {
      CtRequirement *req = g_ptr_array_index (c->requirements, i);

      if (req->approver_id == user_id && req->state == CT_APPROVER_STATE_PENDING)
        return TRUE;
    }
  return FALSE;
}

static void
add_news (CtNotificationPolicy *self,
          CtCase               *c,
          gboolean              breach)
{
  News *news;

  for (guint i = 0; i < self->pending->len; i++)
    {
      News *old = self->pending->pdata[i];

      if (old->breach == breach && g_str_equal (old->key, c->key))
        return;
    }
  news = g_new0 (News, 1);
  news->key = g_strdup (c->key);
  news->breach = breach;
  news->priority = c->priority;
  /* Server text: the notification shows it as plain text. */
  if (c->reference != NULL && c->title != NULL)
    news->line = g_strdup_printf ("%s — %s", c->reference, c->title);
  else
    news->line = g_strdup (c->reference != NULL ? c->reference :
                           c->title != NULL ? c->title : c->key);
  g_ptr_array_add (self->pending, news);
}

static int
compare_news (gconstpointer a,
              gconstpointer b)
{
  const News *x = *(News * const *) a;
  const News *y = *(News * const *) b;

  /* Breaches first, then the higher priority. */
  if (x->breach != y->breach)
    return x->breach ? -1 : 1;
  return (x->priority < y->priority) - (x->priority > y->priority);
}

static CtNotificationContent *
summarise (CtNotificationPolicy *self)
{
  CtNotificationContent *content = g_new0 (CtNotificationContent, 1);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *breaches = NULL;
  g_autofree char *waiting = NULL;

  g_ptr_array_sort (self->pending, compare_news);
  for (guint i = 0; i < self->pending->len; i++)
    {
      News *news = self->pending->pdata[i];

      if (news->breach)
        content->n_breaches++;
      else
        content->n_waiting++;
      if (i < MAX_BODY_LINES)
        g_string_append_printf (body, "%s%s", body->len > 0 ? "\n" : "", news->line);
    }
  if (self->pending->len > MAX_BODY_LINES)
    {
      guint more = self->pending->len - MAX_BODY_LINES;

      g_string_append_c (body, '\n');
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more",
                                                 more), more);
    }
  if (content->n_breaches > 0)
    breaches = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new SLA breach",
                                             "%u new SLA breaches", content->n_breaches),
                                content->n_breaches);
  if (content->n_waiting > 0)
    waiting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case waiting for you",
                                            "%u cases waiting for you", content->n_waiting),
                               content->n_waiting);
  if (breaches != NULL && waiting != NULL)
    /* Translators: "2 new SLA breaches, 1 case waiting for you" */
    content->title = g_strdup_printf (_("%s, %s"), breaches, waiting);
  else
    content->title = g_strdup (breaches != NULL ? breaches : waiting);
  content->body = g_string_free (g_steal_pointer (&body), FALSE);
  content->target_key = g_strdup (((News *) self->pending->pdata[0])->key);
  return content;
}

static void
ct_notification_policy_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CtNotificationPolicy *self = CT_NOTIFICATION_POLICY (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_notification_policy_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CtNotificationPolicy *self = CT_NOTIFICATION_POLICY (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      ct_notification_policy_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ct_notification_policy_finalize (GObject *object)
{
  CtNotificationPolicy *self = (CtNotificationPolicy *) object;

  g_hash_table_unref (self->breached);
  g_hash_table_unref (self->waiting);
  g_ptr_array_unref (self->pending);

  G_OBJECT_CLASS (ct_notification_policy_parent_class)->finalize (object);
}

static void
ct_notification_policy_class_init (CtNotificationPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ct_notification_policy_finalize;
  object_class->get_property = ct_notification_policy_get_property;
  object_class->set_property = ct_notification_policy_set_property;

  properties [PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ct_notification_policy_init (CtNotificationPolicy *self)
{
  self->enabled = TRUE;
  self->breached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) news_free);
}

CtNotificationPolicy *
ct_notification_policy_new (gint64 user_id)
{
  CtNotificationPolicy *self = g_object_new (CT_TYPE_NOTIFICATION_POLICY, NULL);

  self->user_id = user_id;
  return self;
}

void
ct_notification_policy_set_enabled (CtNotificationPolicy *self,
                                    gboolean              enabled)
{
  g_return_if_fail (CT_IS_NOTIFICATION_POLICY (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_ptr_array_set_size (self->pending, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ENABLED]);
}

gboolean
ct_notification_policy_get_enabled (CtNotificationPolicy *self)
{
  g_return_val_if_fail (CT_IS_NOTIFICATION_POLICY (self), FALSE);
  return self->enabled;
}

CtNotificationContent *
ct_notification_policy_update (CtNotificationPolicy *self,
                               GPtrArray            *cases,
                               gint64                now)
{
  g_autoptr(GHashTable) breached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  CtNotificationContent *content;

  g_return_val_if_fail (CT_IS_NOTIFICATION_POLICY (self), NULL);

  for (guint i = 0; cases != NULL && i < cases->len; i++)
    {
      CtCase *c = g_ptr_array_index (cases, i);

      if (c->kind != CT_CASE_KIND_APPROVAL || c->status == CT_CASE_STATUS_DECIDED)
        continue;
      if (c->sla.status == CT_SLA_STATUS_BREACHED)
        {
          g_hash_table_add (breached, g_strdup (c->key));
          if (self->learned && !g_hash_table_contains (self->breached, c->key))
            add_news (self, c, TRUE);
        }
      if (waits_for (c, self->user_id))
        {
          g_hash_table_add (waiting, g_strdup (c->key));
          if (self->learned && !g_hash_table_contains (self->waiting, c->key))
            add_news (self, c, FALSE);
        }
    }
  /* News about a case that is no longer breached or waiting (decided in
   * the meantime) is no news. */
  for (guint i = self->pending->len; i > 0; i--)
    {
      News *news = self->pending->pdata[i - 1];

      if (!g_hash_table_contains (news->breach ? breached : waiting, news->key))
        g_ptr_array_remove_index (self->pending, i - 1);
    }
  g_clear_pointer (&self->breached, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  self->breached = g_steal_pointer (&breached);
  self->waiting = g_steal_pointer (&waiting);
  self->learned = TRUE;

  if (!self->enabled)
    {
      g_ptr_array_set_size (self->pending, 0);
      return NULL;
    }
  if (self->pending->len == 0)
    return NULL;
  if (self->last_sent != 0 && now - self->last_sent < CT_NOTIFICATION_RATE_SECONDS)
    return NULL;
  content = summarise (self);
  g_ptr_array_set_size (self->pending, 0);
  self->last_sent = now;
  return content;
}
