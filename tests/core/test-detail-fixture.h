/* test-detail-fixture.h - Waiting with a deadline and signing in to ct-sim, for the issue 12 tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-odoo-client.h"
#include "ct-sim-server.h"

#define DETAIL_DEADLINE_SECONDS 30

static inline gboolean
detail_on_deadline (gpointer user_data)
{
  g_error ("no answer within %d s", DETAIL_DEADLINE_SECONDS);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *result is set; a hang fails the test. */
static inline void
detail_wait_for (GAsyncResult **result)
{
  guint id = g_timeout_add_seconds (DETAIL_DEADLINE_SECONDS, detail_on_deadline, NULL);

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static inline void
detail_store_result (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A client signed in as @login with its API key, or with its password and
 * a web session (cookie) on top. */
static inline CtOdooClient *
detail_connect (CtSimServer *sim,
                const char  *login,
                gboolean     password)
{
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_free (connection->odoo_url);
  connection->odoo_url = ct_sim_server_dup_url (sim);
  g_free (connection->database);
  connection->database = g_strdup (ct_sim_server_get_database (sim));
  g_free (connection->login);
  connection->login = g_strdup (login);
  connection->secret_kind = password ? CT_SECRET_KIND_PASSWORD : CT_SECRET_KIND_API_KEY;
  ct_odoo_client_set_read_attempts (client, 1);
  ct_odoo_client_connect_async (client, connection,
                                password ? ct_sim_server_get_password (sim, login) :
                                           ct_sim_server_get_api_key (sim, login),
                                NULL, detail_store_result, &result);
  detail_wait_for (&result);
  g_assert_true (ct_odoo_client_connect_finish (client, result, &error));
  g_assert_no_error (error);
  if (password)
    {
      g_clear_object (&result);
      ct_odoo_client_authenticate_session_async (client, NULL, detail_store_result, &result);
      detail_wait_for (&result);
      g_assert_true (ct_odoo_client_authenticate_session_finish (client, result, &error));
      g_assert_no_error (error);
      g_assert_true (ct_odoo_client_has_web_session (client));
    }
  return g_steal_pointer (&client);
}
