/* test-sim-faults.c - Fault rules: parsing, and each fault seen by a client
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sim-faults"

#include "config.h"

#include <string.h>

#include "test-sim-n8n-harness.h"

static void
test_parse_valid (void)
{
  static const char *const specs[] = {
    "",
    "latency@/jsonrpc:1500;http503@/api/v1*2;expire-session:5",
    " latency:10 ; truncate@/api/v1/executions ; ",
    "http500;http502*1;http503@/json/2*3;badjson@/api;reset*1;expire-session:1*2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr(CtSimFaults) faults = ct_sim_faults_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (ct_sim_faults_parse (faults, specs[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_parse_errors (void)
{
  static const struct
  {
    const char *spec;
    const char *expected;   /* part of the message */
  } cases[] = {
    { "latency", "Fault rule 1 (“latency”) at character 7: “latency” needs “:N”" },
    { "latency:fast", "Fault rule 1 (“latency:fast”) at character 8" },
    { "latency:5;http504@/api", "Fault rule 2 (“http504@/api”) at character 10: unknown kind "
                                "“http504”" },
    { "http500@api", "Fault rule 1 (“http500@api”) at character 8: a route must be a path" },
    { "http500@:3", "a route must be a path" },
    { "truncate:3", "Fault rule 1 (“truncate:3”) at character 8: “truncate” takes no" },
    { "reset*0", "Fault rule 1 (“reset*0”) at character 6: “*” needs a count" },
    { "reset*", "“*” needs a count" },
    { "reset*-1", "“*” needs a count" },
    { "expire-session:0", "“expire-session” needs “:N” with N calls" },
    { "latency:999999999", "milliseconds" },
    { "; ;badjson;  LATENCY:5", "Fault rule 2 (“LATENCY:5”) at character 13: unknown kind" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CtSimFaults) faults = ct_sim_faults_new ();
      g_autoptr(GError) error = NULL;
      guint delay = 42;

      g_test_message ("spec: %s", cases[i].spec);
      g_assert_false (ct_sim_faults_parse (faults, cases[i].spec, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      if (strstr (error->message, cases[i].expected) == NULL)
        g_error ("“%s” does not contain “%s”", error->message, cases[i].expected);

      /* A spec with a bad rule adds none of its rules. */
      g_assert_false (ct_sim_faults_before (faults, NULL, "/api/v1/executions", &delay));
      g_assert_cmpuint (delay, ==, 0);
    }
}

static void
test_latency_routes (void)
{
  g_autoptr(CtSimFaults) faults = ct_sim_faults_new ();
  g_autoptr(GError) error = NULL;
  guint delay = 0;

  g_assert_true (ct_sim_faults_parse (faults, "latency@/api/v1:200;latency@/api:50*1;"
                                      "latency@/jsonrpc:7", &error));
  g_assert_no_error (error);

  /* Rules add up; the counted one runs out after one request. */
  g_assert_false (ct_sim_faults_before (faults, NULL, "/api/v1/executions", &delay));
  g_assert_cmpuint (delay, ==, 250);
  g_assert_false (ct_sim_faults_before (faults, NULL, "/api/v1/executions", &delay));
  g_assert_cmpuint (delay, ==, 200);
  g_assert_false (ct_sim_faults_before (faults, NULL, "/healthz", &delay));
  g_assert_cmpuint (delay, ==, 0);
  g_assert_false (ct_sim_faults_before (faults, NULL, "/jsonrpc", &delay));
  g_assert_cmpuint (delay, ==, 7);

  ct_sim_faults_clear (faults);
  g_assert_false (ct_sim_faults_before (faults, NULL, "/api/v1/executions", &delay));
  g_assert_cmpuint (delay, ==, 0);
}

static void
test_latency_http (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (1, 20, NULL, "generated");
  g_autoptr(TestN8nReply) slow = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ct_sim_faults_parse (server->faults, "latency@/api/v1/executions:400*1",
                                      &error));
  slow = test_n8n_server_get (server, "/api/v1/executions?limit=1");
  g_assert_cmpuint (slow->status, ==, 200);
  /* Held back at least as long as asked, and still a good answer. */
  g_assert_cmpint (slow->elapsed_ms, >=, 400);
  g_assert_true (json_object_has_member (test_n8n_reply_object (slow), "data"));
}

static void
test_http_errors (void)
{
  static const struct
  {
    const char *spec;
    guint       status;
    const char *title;
  } cases[] = {
    { "http500@/api/v1*2", 500, "500 Internal Server Error" },
    { "http502@/api/v1*2", 502, "502 Bad Gateway" },
    { "http503@/api*2", 503, "503 Service Unavailable" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TestN8nServer) server = test_n8n_server_new (1, 20, NULL, "generated");
      g_autoptr(GError) error = NULL;
      g_autoptr(TestN8nReply) health = NULL;
      g_autoptr(TestN8nReply) after = NULL;

      g_assert_true (ct_sim_faults_parse (server->faults, cases[i].spec, &error));
      g_assert_no_error (error);

      for (guint n = 0; n < 2; n++)
        {
          g_autoptr(TestN8nReply) reply = test_n8n_server_get (server, "/api/v1/executions");
          gsize size = 0;
          const char *data = g_bytes_get_data (reply->body, &size);
          g_autofree char *text = g_strndup (data, size);

          g_assert_no_error (reply->error);
          g_assert_cmpuint (reply->status, ==, cases[i].status);
          g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                           "text/html");
          g_assert_null (reply->json);
          g_assert_nonnull (strstr (text, cases[i].title));
        }

      /* Another route is untouched, and the count ran out for this one. */
      health = test_n8n_server_get (server, "/healthz");
      g_assert_cmpuint (health->status, ==, 200);
      after = test_n8n_server_get (server, "/api/v1/executions");
      g_assert_cmpuint (after->status, ==, 200);
      g_assert_nonnull (after->json);
    }
}

static void
test_truncate (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (3, 30, NULL, "generated");
  g_autoptr(TestN8nReply) whole = test_n8n_server_get (server, "/api/v1/executions");
  g_autoptr(TestN8nReply) cut = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (whole->status, ==, 200);
  g_assert_nonnull (whole->json);

  g_assert_true (ct_sim_faults_parse (server->faults, "truncate@/api/v1/executions*1", &error));
  cut = test_n8n_server_get (server, "/api/v1/executions");
  g_assert_no_error (cut->error);
  g_assert_cmpuint (cut->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (cut->body), ==, g_bytes_get_size (whole->body) / 2);
  g_assert_cmpmem (g_bytes_get_data (cut->body, NULL), g_bytes_get_size (cut->body),
                   g_bytes_get_data (whole->body, NULL), g_bytes_get_size (whole->body) / 2);
  g_assert_null (cut->json);
}

static void
test_badjson (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (3, 30, NULL, "generated");
  g_autoptr(TestN8nReply) bad = NULL;
  g_autoptr(TestN8nReply) good = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ct_sim_faults_parse (server->faults, "badjson@/api/v1/workflows*1", &error));
  bad = test_n8n_server_get (server, "/api/v1/workflows");
  g_assert_no_error (bad->error);
  g_assert_cmpuint (bad->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (bad->headers, NULL),
                                   "application/json"));
  g_assert_cmpuint (g_bytes_get_size (bad->body), >, 0);
  g_assert_null (bad->json);

  good = test_n8n_server_get (server, "/api/v1/workflows");
  g_assert_nonnull (good->json);
}

static void
test_reset (void)
{
  g_autoptr(TestN8nServer) server = test_n8n_server_new (3, 30, NULL, "generated");
  g_autoptr(TestN8nReply) reset = NULL;
  g_autoptr(TestN8nReply) next = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ct_sim_faults_parse (server->faults, "reset@/api/v1*1", &error));
  reset = test_n8n_server_get (server, "/api/v1/executions");
  /* The client sees the connection go away, not an HTTP answer. */
  g_assert_nonnull (reset->error);
  g_test_message ("reset seen as: %s", reset->error->message);
  g_assert_cmpuint (reset->status, ==, 0);

  next = test_n8n_server_get (server, "/api/v1/executions");
  g_assert_no_error (next->error);
  g_assert_cmpuint (next->status, ==, 200);
}

static void
test_expire_session (void)
{
  g_autoptr(CtSimFaults) faults = ct_sim_faults_new ();
  g_autoptr(GError) error = NULL;
  gboolean seen[9];

  g_assert_true (ct_sim_faults_parse (faults, "expire-session:2*2", &error));
  for (guint i = 0; i < G_N_ELEMENTS (seen); i++)
    seen[i] = ct_sim_faults_session_should_expire (faults);

  /* Two good calls, an expiry, two good calls, an expiry, then no more. */
  g_assert_false (seen[0]);
  g_assert_false (seen[1]);
  g_assert_true (seen[2]);
  g_assert_false (seen[3]);
  g_assert_false (seen[4]);
  g_assert_true (seen[5]);
  g_assert_false (seen[6]);
  g_assert_false (seen[7]);
  g_assert_false (seen[8]);
}

static gpointer
expire_thread (gpointer data)
{
  CtSimFaults *faults = data;
  guint expired = 0;

  for (guint i = 0; i < 20000; i++)
    if (ct_sim_faults_session_should_expire (faults))
      expired++;
  return GUINT_TO_POINTER (expired);
}

static void
test_threads (void)
{
  g_autoptr(CtSimFaults) faults = ct_sim_faults_new ();
  g_autoptr(GError) error = NULL;
  GThread *a;
  GThread *b;
  guint total;

  /* Every second call expires: with the lock, exactly half of all calls do,
   * however the two threads interleave. */
  g_assert_true (ct_sim_faults_parse (faults, "expire-session:1", &error));
  a = g_thread_new ("expire-a", expire_thread, faults);
  b = g_thread_new ("expire-b", expire_thread, faults);
  total = GPOINTER_TO_UINT (g_thread_join (a)) + GPOINTER_TO_UINT (g_thread_join (b));
  g_assert_cmpuint (total, ==, 20000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ct/sim/faults/parse/valid", test_parse_valid);
  g_test_add_func ("/ct/sim/faults/parse/errors", test_parse_errors);
  g_test_add_func ("/ct/sim/faults/latency/routes", test_latency_routes);
  g_test_add_func ("/ct/sim/faults/latency/http", test_latency_http);
  g_test_add_func ("/ct/sim/faults/http-errors", test_http_errors);
  g_test_add_func ("/ct/sim/faults/truncate", test_truncate);
  g_test_add_func ("/ct/sim/faults/badjson", test_badjson);
  g_test_add_func ("/ct/sim/faults/reset", test_reset);
  g_test_add_func ("/ct/sim/faults/expire-session", test_expire_session);
  g_test_add_func ("/ct/sim/faults/threads", test_threads);

  return g_test_run ();
}
