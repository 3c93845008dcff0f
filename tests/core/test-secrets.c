/* test-secrets.c - Secrets go to the keyring and come back, and only there
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ct-secrets.h"
#include "test-wait.h"

static void
test_store_lookup_clear (void)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = ct_secrets_lookup_sync (CT_SECRET_ODOO_API_KEY, "https://erp.example.com", "controller",
                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  g_assert_true (ct_secrets_store_sync (CT_SECRET_ODOO_API_KEY, "https://erp.example.com",
                                        "controller", "key-1234", NULL, &error));
  g_assert_no_error (error);

  /* Another slot, server or login does not see it. */
  secret = ct_secrets_lookup_sync (CT_SECRET_ODOO_PASSWORD, "https://erp.example.com", "controller",
                                   NULL, &error);
  g_assert_null (secret);
  secret = ct_secrets_lookup_sync (CT_SECRET_ODOO_API_KEY, "https://other.example.com", "controller",
                                   NULL, &error);
  g_assert_null (secret);
  secret = ct_secrets_lookup_sync (CT_SECRET_ODOO_API_KEY, "https://erp.example.com", "someone",
                                   NULL, &error);
  g_assert_null (secret);

  secret = ct_secrets_lookup_sync (CT_SECRET_ODOO_API_KEY, "https://erp.example.com", "controller",
                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "key-1234");
  ct_secrets_free (secret);

  /* Storing again replaces. */
  ct_secrets_store_sync (CT_SECRET_ODOO_API_KEY, "https://erp.example.com",
                         "controller", "key-5678", NULL, &error);
  g_assert_no_error (error);
  secret = ct_secrets_lookup_sync (CT_SECRET_ODOO_API_KEY, "https://erp.example.com", "controller",
                                   NULL, &error);
  g_assert_cmpstr (secret, ==, "key-5678");
  ct_secrets_free (secret);

  g_assert_true (ct_secrets_clear_sync (CT_SECRET_ODOO_API_KEY, "https://erp.example.com",
                                        "controller", NULL, &error));
  g_assert_no_error (error);
  secret = ct_secrets_lookup_sync (CT_SECRET_ODOO_API_KEY, "https://erp.example.com", "controller",
                                   NULL, &error);
  g_assert_null (secret);
}

static void
store_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ct_secrets_store_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *)user_data = TRUE;
}

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  char *secret = ct_secrets_lookup_finish (result, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "n8n-key-abcd");
  ct_secrets_free (secret);
  *(gboolean *)user_data = TRUE;
}

static void
test_async (void)
{
  gboolean done = FALSE;

  ct_secrets_store_async (CT_SECRET_N8N_API_KEY, "https://n8n.example.com", NULL, "n8n-key-abcd",
                          NULL, store_done_cb, &done);
  WAIT_UNTIL (done);

  done = FALSE;
  ct_secrets_lookup_async (CT_SECRET_N8N_API_KEY, "https://n8n.example.com", NULL,
                           NULL, lookup_done_cb, &done);
  WAIT_UNTIL (done);

  g_assert_true (ct_secrets_clear_sync (CT_SECRET_N8N_API_KEY, "https://n8n.example.com", NULL,
                                        NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/core/secrets/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/ct/core/secrets/async", test_async);

  return g_test_run ();
}
