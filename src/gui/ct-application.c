/* ct-application.c - The Control Tower application
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ct-application.h"
#include "ct-window.h"

struct _CtApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;   /* (owned) */
};

G_DEFINE_FINAL_TYPE (CtApplication, ct_application, ADW_TYPE_APPLICATION)

static void
ct_application_activate (GApplication *app)
{
  CtApplication *self = CT_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (ct_window_new (self));
  gtk_window_present (window);
}

static void
ct_application_dispose (GObject *object)
{
  CtApplication *self = CT_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ct_application_parent_class)->dispose (object);
}

static void
ct_application_class_init (CtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ct_application_dispose;
  app_class->activate = ct_application_activate;
}

static void
ct_application_init (CtApplication *self)
{
  self->settings = g_settings_new (APP_ID);
}

CtApplication *
ct_application_new (void)
{
  return g_object_new (CT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/com/sysgenpro/ControlTower",
                       NULL);
}

GSettings *
ct_application_get_settings (CtApplication *self)
{
  return self->settings;
}
