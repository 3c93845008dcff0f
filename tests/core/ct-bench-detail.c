/* ct-bench-detail.c - Opening a case (the detail re-read) on ct-sim with 100 000 cases
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints numbers, never a pass or fail: the median of opening 21 different
 * pending purchase orders (target ≤ 150 ms), the first open (field lists
 * not cached yet) and the requests one open costs.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "ct-case-detail.h"
#include "ct-sim-server.h"
#include "ct-source.h"
#include "test-detail-fixture.h"

#define N_OPENS 21

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
open_case (CtCaseDetailReader *reader,
           CtCase             *c,
           guint              *n_requests)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCaseDetail) detail = NULL;
  gint64 start = g_get_monotonic_time ();

  ct_case_detail_reader_read_async (reader, c, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  detail = ct_case_detail_reader_read_finish (reader, result, &error);
  g_assert_no_error (error);
  *n_requests = detail->n_requests;
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  guint n_cases = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  CtSimOptions options = { .seed = 1, .n_cases = n_cases };
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSimServer) sim = NULL;
  g_autoptr(CtOdooClient) client = NULL;
  g_autoptr(CtProfile) profile = ct_profile_new_default ();
  g_autoptr(CtSource) source = NULL;
  g_autoptr(CtCaseDetailReader) reader = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CtSourceBatch) batch = NULL;
  double times[N_OPENS], cold;
  guint n = 0, requests = 0, lines = 0;
  gint64 start;

  start = g_get_monotonic_time ();
  sim = ct_sim_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_true (ct_sim_server_start (sim, &error));
  printf ("simulator with %u cases up in %.0f ms\n", n_cases,
          (g_get_monotonic_time () - start) / 1000.0);
  client = detail_connect (sim, "admin", FALSE);
  source = ct_source_double_validation_new (client, profile);
  reader = ct_case_detail_reader_new (client, profile);

  ct_source_fetch_async (source, NULL, NULL, detail_store_result, &result);
  detail_wait_for (&result);
  batch = ct_source_fetch_finish (source, result, &error);
  g_assert_no_error (error);
  if (batch->cases->len < N_OPENS + 1)
    {
      fprintf (stderr, "only %u pending purchase orders\n", batch->cases->len);
      return EXIT_FAILURE;
    }

  cold = open_case (reader, batch->cases->pdata[0], &requests);
  for (guint i = 0; i < N_OPENS; i++)
    {
      guint r;
      /* Spread over the whole table, not neighbours. */
      CtCase *c = batch->cases->pdata[1 + i * (batch->cases->len - 1) / N_OPENS];

      times[n++] = open_case (reader, c, &r);
      requests = r;
    }
  {
    g_autoptr(GAsyncResult) last = NULL;
    g_autoptr(CtCaseDetail) detail = NULL;

    ct_case_detail_reader_read_async (reader, batch->cases->pdata[1], NULL, detail_store_result,
                                      &last);
    detail_wait_for (&last);
    detail = ct_case_detail_reader_read_finish (reader, last, &error);
    g_assert_no_error (error);
    lines = detail->lines->len;
  }
  qsort (times, n, sizeof times[0], compare_doubles);
  printf ("open a case (detail re-read), %u cases in the database, %u opens:\n", n_cases, n);
  printf ("  median   %7.1f ms   (target <= 150 ms)\n", times[n / 2]);
  printf ("  p90      %7.1f ms\n", times[(n * 9) / 10]);
  printf ("  max      %7.1f ms\n", times[n - 1]);
  printf ("  first    %7.1f ms   (field lists not cached yet)\n", cold);
  printf ("  requests %5u        per open, whatever the number of lines (%u here)\n", requests,
          lines);
  return EXIT_SUCCESS;
}
