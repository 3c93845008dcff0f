/* test-sim-n8n-bench.c - How fast the n8n side answers its heaviest lists
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sim-n8n"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "test-sim-n8n-harness.h"

/* Prints, for the requests that tests/data/protocol/n8n-1.123/130-* timed on a
 * real n8n, the same figures for the simulator over loopback HTTP: one
 * warm-up call, then 20 sequential calls. Numbers only, no pass/fail. */

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
measure (TestN8nServer *server,
         const char    *target)
{
  double samples[20];
  double sum = 0;
  gsize bytes = 0;
  guint items = 0;

  for (int i = -1; i < (int) G_N_ELEMENTS (samples); i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(TestN8nReply) reply = test_n8n_server_get (server, target);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      g_assert_cmpuint (reply->status, ==, 200);
      if (i < 0)
        continue;
      samples[i] = ms;
      sum += ms;
      bytes = g_bytes_get_size (reply->body);
      items = json_array_get_length (json_object_get_array_member (
        test_n8n_reply_object (reply), "data"));
    }
  qsort (samples, G_N_ELEMENTS (samples), sizeof (double), compare_doubles);
  printf ("GET %s\n  items per page: [%u]  body bytes: [%" G_GSIZE_FORMAT "]\n"
          "  median %.1f ms | mean %.1f ms | min %.1f ms | p90 %.1f ms | max %.1f ms\n",
          target, items, bytes, (samples[9] + samples[10]) / 2, sum / G_N_ELEMENTS (samples),
          samples[0], samples[17], samples[19]);
}

int
main (int   argc,
      char *argv[])
{
  guint n_cases = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 5000;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 9, 30, 0);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(TestN8nServer) server = test_n8n_server_new (1, n_cases, now, "generated");

  printf ("n8n simulator, generated dataset, %u executions: built in %.1f ms\n", n_cases,
          (g_get_monotonic_time () - start) / 1000.0);
  measure (server, "/api/v1/executions?limit=100");
  measure (server, "/api/v1/executions?limit=250");
  measure (server, "/api/v1/executions?limit=100&includeData=true");
  measure (server, "/api/v1/executions?status=error&limit=100");
  measure (server, "/api/v1/workflows");
  return 0;
}
