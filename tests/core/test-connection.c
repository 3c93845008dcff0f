/* test-connection.c - Server addresses as the connection setup judges them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ct-connection.h"

typedef struct
{
  const char *input;
  gboolean    insecure_ok;
  const char *expected;    /* NULL: refused */
  int         code;
} UrlCase;

static void
test_normalize (void)
{
  const UrlCase cases[] = {
    { "https://erp.example.com", FALSE, "https://erp.example.com", 0 },
    { "  https://erp.example.com/  ", FALSE, "https://erp.example.com", 0 },
    { "HTTPS://erp.example.com:8443/odoo/", FALSE, "https://erp.example.com:8443/odoo", 0 },
    { "http://127.0.0.1:8069", FALSE, "http://127.0.0.1:8069", 0 },
    { "http://localhost:8069/", FALSE, "http://localhost:8069", 0 },
    { "http://[::1]:8069", FALSE, "http://[::1]:8069", 0 },
    { "http://erp.example.com", FALSE, NULL, CT_CONNECTION_ERROR_INSECURE },
    { "http://erp.example.com", TRUE, "http://erp.example.com", 0 },
    { "http://10.0.0.5:8069", FALSE, NULL, CT_CONNECTION_ERROR_INSECURE },
    { "", FALSE, NULL, CT_CONNECTION_ERROR_EMPTY },
    { "   ", FALSE, NULL, CT_CONNECTION_ERROR_EMPTY },
    { "erp.example.com", FALSE, NULL, CT_CONNECTION_ERROR_INVALID_URL },
    { "ftp://erp.example.com", FALSE, NULL, CT_CONNECTION_ERROR_INVALID_URL },
    { "https://", FALSE, NULL, CT_CONNECTION_ERROR_INVALID_URL },
    { "https://admin:secret@erp.example.com", FALSE, NULL, CT_CONNECTION_ERROR_INVALID_URL },
    { "https://erp.example.com/?db=prod", FALSE, NULL, CT_CONNECTION_ERROR_INVALID_URL },
    { "https://erp.example.com/#home", FALSE, NULL, CT_CONNECTION_ERROR_INVALID_URL },
    { "https://erp.example.com:99999", FALSE, NULL, CT_CONNECTION_ERROR_INVALID_URL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = ct_connection_normalize_url (cases[i].input, cases[i].insecure_ok, &error);

      g_test_message ("%s", cases[i].input);
      if (cases[i].expected != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (url, ==, cases[i].expected);
        }
      else
        {
          g_assert_null (url);
          g_assert_error (error, CT_CONNECTION_ERROR, cases[i].code);
          /* A message a person can act on, not an empty string. */
          g_assert_cmpuint (strlen (error->message), >, 10);
        }
    }
}

static void
test_insecure_message_names_host (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ct_connection_normalize_url ("http://erp.acme.test", FALSE, &error);

  g_assert_null (url);
  g_assert_nonnull (strstr (error->message, "erp.acme.test"));
}

static void
test_validate (void)
{
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (ct_connection_is_configured (connection));
  g_assert_false (ct_connection_validate (connection, &error));
  g_assert_error (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_EMPTY);
  g_clear_error (&error);

  g_free (connection->odoo_url);
  connection->odoo_url = g_strdup ("https://erp.example.com");
  g_assert_false (ct_connection_validate (connection, &error));
  g_assert_error (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_EMPTY);
  g_clear_error (&error);

  g_free (connection->login);
  connection->login = g_strdup ("controller");
  g_assert_false (ct_connection_validate (connection, &error));
  g_assert_error (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "database"));
  g_clear_error (&error);

  g_free (connection->database);
  connection->database = g_strdup ("distribution");
  g_assert_true (ct_connection_validate (connection, &error));
  g_assert_no_error (error);
  g_assert_true (ct_connection_is_configured (connection));

  connection->n8n_url = g_strdup ("http://n8n.example.com");
  g_assert_false (ct_connection_validate (connection, &error));
  g_assert_error (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INSECURE);
  g_assert_true (g_str_has_prefix (error->message, "n8n"));
  g_clear_error (&error);

  connection->allow_insecure_http = TRUE;
  g_assert_true (ct_connection_validate (connection, &error));
}

static void
test_settings_round_trip (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CtConnection) connection = ct_connection_new ();
  g_autoptr(CtConnection) loaded = NULL;
  g_autoptr(CtConnection) copy = NULL;

  g_free (connection->odoo_url);
  connection->odoo_url = g_strdup ("https://erp.example.com");
  g_free (connection->database);
  connection->database = g_strdup ("distribution");
  g_free (connection->login);
  connection->login = g_strdup ("controller");
  connection->secret_kind = CT_SECRET_KIND_PASSWORD;
  connection->n8n_url = g_strdup ("https://n8n.example.com");
  ct_connection_save (connection, settings);

  /* The caller's settings object is not left in delay mode. */
  g_settings_set_uint (settings, "sync-interval", 90);
  {
    g_autoptr(GSettings) other = g_settings_new (APP_ID);
    g_assert_cmpuint (g_settings_get_uint (other, "sync-interval"), ==, 90);
  }

  loaded = ct_connection_load (settings);
  g_assert_cmpstr (loaded->odoo_url, ==, "https://erp.example.com");
  g_assert_cmpstr (loaded->database, ==, "distribution");
  g_assert_cmpstr (loaded->login, ==, "controller");
  g_assert_cmpint (loaded->secret_kind, ==, CT_SECRET_KIND_PASSWORD);
  g_assert_cmpstr (loaded->n8n_url, ==, "https://n8n.example.com");
  g_assert_false (loaded->allow_insecure_http);

  copy = ct_connection_copy (loaded);
  g_assert_cmpstr (copy->odoo_url, ==, loaded->odoo_url);
  g_assert_true (copy->odoo_url != loaded->odoo_url);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ct/core/connection/normalize-url", test_normalize);
  g_test_add_func ("/ct/core/connection/insecure-names-host", test_insecure_message_names_host);
  g_test_add_func ("/ct/core/connection/validate", test_validate);
  g_test_add_func ("/ct/core/connection/settings-round-trip", test_settings_round_trip);

  return g_test_run ();
}
