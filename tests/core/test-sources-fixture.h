/* test-sources-fixture.h - ct-sim with the recorded dataset, a connected client, helpers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ct-sim-server.h"
#include "ct-sim-faults.h"
#include "ct-sync.h"
#include "test-wait.h"

typedef struct
{
  CtSimServer  *sim;
  char         *url;
  CtProfile    *profile;
  CtOdooClient *client;     /* admin */
  CtN8nClient  *n8n;
} Fixture;

static inline void
wait_for (GAsyncResult **result)
{
  WAIT_UNTIL (*result != NULL);
}

static inline void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* The simulator's address and database, @login with an API key. */
static inline CtConnection *
fixture_connection (Fixture    *fx,
                    const char *login)
{
  CtConnection *connection = ct_connection_new ();

  g_free (connection->odoo_url);
  connection->odoo_url = g_strdup (fx->url);
  g_free (connection->database);
  connection->database = g_strdup (ct_sim_server_get_database (fx->sim));
  g_free (connection->login);
  connection->login = g_strdup (login);
  connection->secret_kind = CT_SECRET_KIND_API_KEY;
  return connection;
}

static inline CtOdooClient *
fixture_connect (Fixture    *fx,
                 const char *login)
{
  g_autoptr(CtConnection) connection = fixture_connection (fx, login);
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ct_odoo_client_set_retry_backoff (client, 10);
  ct_odoo_client_set_read_attempts (client, 1);
  ct_odoo_client_connect_async (client, connection, ct_sim_server_get_api_key (fx->sim, login),
                                NULL, store_result, &result);
  wait_for (&result);
  g_assert_true (ct_odoo_client_connect_finish (client, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static inline void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  CtSimOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  options.dataset = "recorded-enterprise";
  options.seed = 1;
  fx->sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (fx->sim, &error));
  fx->url = ct_sim_server_dup_url (fx->sim);
  fx->profile = ct_profile_new_default ();
  fx->client = fixture_connect (fx, "admin");
  fx->n8n = ct_n8n_client_new (fx->url, ct_sim_server_get_n8n_api_key (fx->sim), FALSE, &error);
  g_assert_no_error (error);
}

static inline void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_object (&fx->n8n);
  g_clear_object (&fx->client);
  g_clear_object (&fx->profile);
  ct_sim_server_stop (fx->sim);
  g_clear_object (&fx->sim);
  g_free (fx->url);
}

/* Calls model.method as @client and returns the result (NULL for None). */
static inline JsonNode *
fixture_call (CtOdooClient *client,
              const char   *model,
              const char   *method,
              JsonArray    *ids,
              JsonObject   *kwargs,
              GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ct_odoo_client_call_async (client, model, method, ids, kwargs, NULL, NULL, store_result,
                             &result);
  wait_for (&result);
  return ct_odoo_client_call_finish (client, result, error);
}

static inline void
fixture_call_ok (CtOdooClient *client,
                 const char   *model,
                 const char   *method,
                 gint64        id,
                 JsonObject   *kwargs)
{
  g_autoptr(JsonArray) ids = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (id > 0)
    {
      ids = json_array_new ();
      json_array_add_int_element (ids, id);
    }
  node = fixture_call (client, model, method, ids, kwargs, &error);
  if (error != NULL && ct_odoo_error_get_details (error) != NULL)
    g_test_message ("%s.%s: %s", model, method, ct_odoo_error_get_details (error)->traceback);
  g_assert_no_error (error);
}

static inline gint64
fixture_create (CtOdooClient *client,
                const char   *model,
                const char   *json_vals)
{
  g_autoptr(JsonObject) kwargs = json_object_new ();
  g_autoptr(JsonNode) vals = json_from_string (json_vals, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (vals);
  json_object_set_member (kwargs, "vals_list", g_steal_pointer (&vals));
  node = fixture_call (client, model, "create", NULL, kwargs, &error);
  if (error != NULL && ct_odoo_error_get_details (error) != NULL)
    g_test_message ("%s.create: %s", model, ct_odoo_error_get_details (error)->traceback);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_int_element (json_node_get_array (node), 0);
  return json_node_get_int (node);
}

/* The health of @sync's source of @kind. */
static inline const CtSourceHealth *
health_of (CtSync       *sync,
           CtSourceKind  kind)
{
  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    if (ct_sync_get_health (sync, i)->kind == kind)
      return ct_sync_get_health (sync, i);
  g_assert_not_reached ();
}

static inline CtSourceBatch *
fixture_fetch (CtSource   *source,
               const char *cursor,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ct_source_fetch_async (source, cursor, NULL, store_result, &result);
  wait_for (&result);
  return ct_source_fetch_finish (source, result, error);
}

static inline CtCase *
batch_find (CtSourceBatch *batch,
            const char    *key)
{
  for (guint i = 0; i < batch->cases->len; i++)
    if (g_strcmp0 (((CtCase *)batch->cases->pdata[i])->key, key) == 0)
      return batch->cases->pdata[i];
  return NULL;
}

static inline gboolean
batch_has_gone (CtSourceBatch *batch,
                const char    *key)
{
  for (guint i = 0; i < batch->gone->len; i++)
    if (g_strcmp0 (batch->gone->pdata[i], key) == 0)
      return TRUE;
  return FALSE;
}

static inline gboolean
sync_refresh (CtSync   *sync,
              gboolean  full,
              GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ct_sync_refresh_async (sync, full, NULL, store_result, &result);
  wait_for (&result);
  return ct_sync_refresh_finish (sync, result, error);
}
