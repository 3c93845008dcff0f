/* ct-sim-server.c - An Odoo 19 + n8n simulator on a loopback port
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <libsoup/soup.h>

#include "ct-sim-server.h"

struct _CtSimServer
{
  GObject      parent_instance;

  CtSimOptions options;
  GDateTime   *now;       /* (owned) (nullable) */
  char        *faults;    /* (owned) (nullable) */
  char        *dataset;   /* (owned) (nullable) */
  SoupServer  *server;    /* (owned) (nullable) */
  guint        port;
};

G_DEFINE_FINAL_TYPE (CtSimServer, ct_sim_server, G_TYPE_OBJECT)

static void
ct_sim_server_finalize (GObject *object)
{
  CtSimServer *self = (CtSimServer *)object;

  ct_sim_server_stop (self);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->faults, g_free);
  g_clear_pointer (&self->dataset, g_free);

  G_OBJECT_CLASS (ct_sim_server_parent_class)->finalize (object);
}

static void
ct_sim_server_class_init (CtSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ct_sim_server_finalize;
}

static void
ct_sim_server_init (CtSimServer *self)
{
}

CtSimServer *
ct_sim_server_new (const CtSimOptions  *options,
                   GError             **error)
{
  CtSimServer *self = g_object_new (CT_TYPE_SIM_SERVER, NULL);

  self->options = *options;
  self->now = options->now ? g_date_time_ref (options->now) : NULL;
  self->faults = g_strdup (options->faults);
  self->dataset = g_strdup (options->dataset);
  self->options.now = self->now;
  self->options.faults = self->faults;
  self->options.dataset = self->dataset;

  return self;
}

gboolean
ct_sim_server_start (CtSimServer  *self,
                     GError      **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "The simulator is not built yet");
  return FALSE;
}

void
ct_sim_server_stop (CtSimServer *self)
{
  g_return_if_fail (CT_IS_SIM_SERVER (self));
  g_clear_object (&self->server);
}

guint
ct_sim_server_get_port (CtSimServer *self)
{
  return self->port;
}

char *
ct_sim_server_dup_url (CtSimServer *self)
{
  return g_strdup_printf ("%s://127.0.0.1:%u", self->options.tls ? "https" : "http", self->port);
}

const char *
ct_sim_server_get_database (CtSimServer *self)
{
  return g_strcmp0 (self->dataset, "recorded") == 0 ? "ct" : "distribution";
}

const char *
ct_sim_server_get_password (CtSimServer *self,
                            const char  *login)
{
  return NULL;
}

const char *
ct_sim_server_get_api_key (CtSimServer *self,
                           const char  *login)
{
  return NULL;
}

const char *
ct_sim_server_get_n8n_api_key (CtSimServer *self)
{
  return NULL;
}
