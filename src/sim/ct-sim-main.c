/* ct-sim-main.c - The ct-sim command: run the simulator by hand or for tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-sim"

#include "config.h"

#include <stdio.h>

#include "ct-sim-server.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  CtSimOptions options = { 0 };
  int port = 0;
  gint64 seed = 1;
  int cases = 1000;
  g_autofree char *now = NULL;
  g_autofree char *faults = NULL;
  g_autofree char *dataset = NULL;
  gboolean print_port = FALSE;
  gboolean print_credentials = FALSE;
  gboolean tls = FALSE;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on (0 picks a free one)", "PORT" },
    { "print-port", 0, 0, G_OPTION_ARG_NONE, &print_port, "Print the port once listening", NULL },
    { "print-credentials", 0, 0, G_OPTION_ARG_NONE, &print_credentials,
      "Print the URL, database, users, passwords, API keys and the n8n API key as JSON once "
      "listening (after the port line with --print-port)", NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the generated distributor", "N" },
    { "cases", 0, 0, G_OPTION_ARG_INT, &cases, "Number of approval cases (10-200000)", "N" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now, "Fixed clock, ISO 8601", "ISO8601" },
    { "faults", 0, 0, G_OPTION_ARG_STRING, &faults, "Fault specification", "SPEC" },
    { "dataset", 0, 0, G_OPTION_ARG_STRING, &dataset, "generated or recorded", "NAME" },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &tls, "Serve HTTPS with a self-signed certificate", NULL },
    { NULL }
  };

  context = g_option_context_new ("- Odoo and n8n simulator");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ct-sim: %s\n", error->message);
      return 2;
    }

  options.port = port;
  options.seed = seed;
  options.n_cases = cases;
  options.faults = faults;
  options.dataset = dataset;
  options.tls = tls;
  if (now != NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

      options.now = g_date_time_new_from_iso8601 (now, utc);
      if (options.now == NULL)
        {
          g_printerr ("ct-sim: --now: not an ISO 8601 date and time: %s\n", now);
          return 2;
        }
    }

  server = ct_sim_server_new (&options, &error);
  g_clear_pointer (&options.now, g_date_time_unref);
  if (server == NULL || !ct_sim_server_start (server, &error))
    {
      g_printerr ("ct-sim: %s\n", error->message);
      return 1;
    }

  if (print_port)
    printf ("%u\n", ct_sim_server_get_port (server));
  if (print_credentials)
    {
      g_autofree char *json = ct_sim_server_dup_credentials_json (server);

      printf ("%s\n", json);
    }
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);

  return 0;
}
