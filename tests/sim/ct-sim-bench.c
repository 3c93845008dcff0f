/* ct-sim-bench.c - How fast the simulator answers and generates (median ms)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: prints numbers so a slow simulator shows up before it becomes
 * the bottleneck of the app's own benchmarks. Requests go over HTTP on
 * loopback, like the app's.
 */

#define G_LOG_DOMAIN "ct-sim-bench"

#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct-sim-server.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static CtSimServer *
start (guint cases)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 12, 0, 0);
  CtSimOptions options = { .seed = 1, .n_cases = cases, .now = now };
  CtSimServer *server = ct_sim_server_new (&options, &error);

  if (server == NULL || !ct_sim_server_start (server, &error))
    g_error ("ct-sim-bench: %s", error->message);
  return server;
}

static gsize
post (SoupSession *session,
      CtSimServer *server,
      const char  *path,
      const char  *body)
{
  g_autofree char *base = ct_sim_server_dup_url (server);
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autofree char *auth = g_strdup_printf ("bearer %s", ct_sim_server_get_api_key (server, "admin"));
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) req = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", req);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  if (bytes == NULL || soup_message_get_status (msg) != 200)
    g_error ("ct-sim-bench: %s failed", path);
  return g_bytes_get_size (bytes);
}

static void
bench_request (const char  *label,
               SoupSession *session,
               CtSimServer *server,
               const char  *path,
               const char  *body,
               guint        runs)
{
  g_autofree double *times = g_new0 (double, runs);
  gsize size = post (session, server, path, body);   /* warm-up */

  for (guint i = 0; i < runs; i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      post (session, server, path, body);
      times[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  printf ("%-58s median %8.2f ms  (n=%u, %" G_GSIZE_FORMAT " B)\n", label, median (times, runs), runs, size);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(CtSimServer) small = NULL;
  g_autoptr(CtSimServer) big = NULL;
  double gen[5];
  static const char fields10[] =
    "[\"name\",\"state\",\"partner_id\",\"amount_total\",\"currency_id\",\"date_order\",\"user_id\","
    "\"company_id\",\"amount_untaxed\",\"margin\"]";
  static const char fields15[] =
    "[\"name\",\"state\",\"partner_id\",\"amount_total\",\"currency_id\",\"date_order\",\"user_id\","
    "\"company_id\",\"amount_untaxed\",\"margin\",\"margin_percent\",\"warehouse_id\",\"invoice_status\","
    "\"x_ct_max_discount\",\"amount_tax\"]";
  g_autofree char *body80 = g_strdup_printf ("{\"domain\":[],\"fields\":%s,\"limit\":80,\"order\":\"id\"}", fields10);
  g_autofree char *body2000 = g_strdup_printf ("{\"domain\":[],\"fields\":%s,\"limit\":2000,\"order\":\"date_order desc, id\"}",
                                               fields15);

  printf ("# ct-sim-bench: loopback HTTP, JSON-2 with an API key, median of n runs\n");
  for (guint i = 0; i < G_N_ELEMENTS (gen); i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(CtSimServer) server = start (100000);

      gen[i] = (g_get_monotonic_time () - t0) / 1000.0;
      if (i == G_N_ELEMENTS (gen) - 1)
        big = g_steal_pointer (&server);
    }
  printf ("%-58s median %8.2f ms  (n=%u)\n", "generate 100 000 cases (ct_sim_server_new)",
          median (gen, G_N_ELEMENTS (gen)), (guint) G_N_ELEMENTS (gen));

  small = start (10000);
  bench_request ("search_read sale.order 80 x 10 (10 000 cases)", session, small,
                 "/json/2/sale.order/search_read", body80, 20);
  bench_request ("search_read sale.order 2 000 x 15 (10 000 cases)", session, small,
                 "/json/2/sale.order/search_read", body2000, 20);
  bench_request ("search_read sale.order 80 x 10 (100 000 cases)", session, big,
                 "/json/2/sale.order/search_read", body80, 20);
  bench_request ("formatted_read_group tier.review status x model (100 000 cases)", session, big,
                 "/json/2/tier.review/formatted_read_group",
                 "{\"domain\":[],\"groupby\":[\"status\",\"model\"],\"aggregates\":[\"__count\"]}", 10);
  bench_request ("formatted_read_group approval.request area x month (100 000)", session, big,
                 "/json/2/approval.request/formatted_read_group",
                 "{\"domain\":[],\"groupby\":[\"x_ct_area\",\"date:month\"],"
                 "\"aggregates\":[\"amount:sum\",\"__count\"]}", 10);
  bench_request ("search_count pending tier.review (100 000 cases)", session, big,
                 "/json/2/tier.review/search_count",
                 "{\"domain\":[[\"status\",\"=\",\"pending\"],[\"reviewer_ids\",\"in\",[7]]]}", 20);
  return 0;
}
