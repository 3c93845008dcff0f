/* ct-cli.c - The command-line face of Control Tower: checks and reports without a display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ct-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ct-cli.h"
#include "ct-connection.h"
#include "ct-connection-check.h"
#include "ct-decisions.h"
#include "ct-journal.h"
#include "ct-report.h"
#include "ct-secrets.h"
#include "ct-sim-server.h"
#include "ct-sync.h"

CtCliOptions *
ct_cli_options_new (void)
{
  return g_new0 (CtCliOptions, 1);
}

void
ct_cli_options_free (CtCliOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->report);
  g_free (options->format);
  g_free (options->server);
  g_free (options->database);
  g_free (options->login);
  g_free (options->secret_env);
  g_free (options->n8n_url);
  g_free (options->n8n_key_env);
  g_free (options->decide);
  g_free (options->action);
  g_free (options->comment);
  g_strfreev (options->conditions);
  g_free (options->to);
  g_free (options->journal_dir);
  g_free (options);
}

GOptionGroup *
ct_cli_options_get_group (CtCliOptions *options)
{
  GOptionGroup *group;
  const GOptionEntry entries[] = {
    { "check-connection", 0, 0, G_OPTION_ARG_NONE, &options->check_connection,
      N_("Check the connection step by step and print the checklist"), NULL },
    { "report", 0, 0, G_OPTION_ARG_STRING, &options->report,
      N_("Print a report: pending, breaches, incidents or metrics. Exit status: 0 complete, "
         "3 partial (a source could not be read: the report names it and shows what it feeds "
         "as unknown), 1 no result, 2 usage error"), N_("REPORT") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options->format,
      N_("Report format: table (default), json or csv"), N_("FORMAT") },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &options->stats,
      N_("Print the requests, bytes and time each source took, to standard error"), NULL },
    { "server", 0, 0, G_OPTION_ARG_STRING, &options->server,
      N_("Odoo server address (default: the saved connection)"), N_("URL") },
    { "database", 0, 0, G_OPTION_ARG_STRING, &options->database,
      N_("Odoo database"), N_("NAME") },
    { "login", 0, 0, G_OPTION_ARG_STRING, &options->login,
      N_("Odoo login"), N_("LOGIN") },
    { "secret-env", 0, 0, G_OPTION_ARG_STRING, &options->secret_env,
      N_("Environment variable that holds the API key (or the password with --password)"),
      N_("VARIABLE") },
    { "password", 0, 0, G_OPTION_ARG_NONE, &options->password,
      N_("The secret is a password, not an API key"), NULL },
    { "insecure-http", 0, 0, G_OPTION_ARG_NONE, &options->insecure,
      N_("Accept sending credentials over unencrypted http:// to another host"), NULL },
    { "n8n-url", 0, 0, G_OPTION_ARG_STRING, &options->n8n_url,
      N_("n8n address"), N_("URL") },
    { "n8n-key-env", 0, 0, G_OPTION_ARG_STRING, &options->n8n_key_env,
      N_("Environment variable that holds the n8n API key"), N_("VARIABLE") },
    { "decide", 0, 0, G_OPTION_ARG_STRING, &options->decide,
      N_("Decide one case, e.g. purchase.order:13 (with --action); exit 0 only when the server's state shows the decision"),
      N_("MODEL:ID") },
    { "action", 0, 0, G_OPTION_ARG_STRING, &options->action,
      N_("approve, reject, revise, approve-with-conditions, escalate or delegate"), N_("ACTION") },
    { "comment", 0, 0, G_OPTION_ARG_STRING, &options->comment,
      N_("The decision's comment (needed to reject or revise)"), N_("TEXT") },
    { "condition", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->conditions,
      N_("A condition of the approval (repeat for several)"), N_("TEXT") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &options->to,
      N_("The user to delegate to"), N_("LOGIN") },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &options->yes,
      N_("Confirm an approval above the profile's confirmation amount"), NULL },
    { "verify-journal", 0, 0, G_OPTION_ARG_NONE, &options->verify_journal,
      N_("Check the decision journal's hash chain and report the first broken link"), NULL },
    { "journal-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->journal_dir,
      N_("Where the decision journal lives (default: the user's data folder)"), N_("DIR") },
    { NULL }
  };

  group = g_option_group_new ("connection", _("Connection Options:"),
                              _("Show the options that choose the servers for command-line runs"),
                              NULL, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

gboolean
ct_cli_options_wants_run (CtCliOptions *options)
{
  return options->check_connection || options->report != NULL || options->decide != NULL ||
         options->action != NULL || options->verify_journal;
}

/* Everything a command-line run needs to reach the servers. */
typedef struct
{
  CtConnection *connection;
  char         *secret;        /* (owned): wiped on free */
  char         *n8n_api_key;   /* (owned) (nullable) */
  CtSimServer  *sim;           /* (owned) (nullable): the demo backend */
} CliTarget;

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static void
cli_target_free (CliTarget *target)
{
  if (target == NULL)
    return;
  ct_connection_free (target->connection);
  wipe_free (target->secret);
  wipe_free (target->n8n_api_key);
  if (target->sim != NULL)
    ct_sim_server_stop (target->sim);
  g_clear_object (&target->sim);
  g_free (target);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliTarget, cli_target_free)

static char *
secret_from_env (const char  *variable,
                 const char  *what,
                 GError     **error)
{
  const char *value = g_getenv (variable);

  if (value == NULL || *value == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The environment variable %s, which should hold the %s, is not set"),
                   variable, what);
      return NULL;
    }
  return g_strdup (value);
}

static CliTarget *
resolve_target (CtCliOptions  *options,
                GSettings     *settings,
                GError       **error)
{
  g_autoptr(CliTarget) target = g_new0 (CliTarget, 1);

  if (options->demo)
    {
      CtSimOptions sim_options = { 0 };
      g_autofree char *url = NULL;
      const char *key;

      sim_options.seed = 1;
      sim_options.n_cases = 2000;
      target->sim = ct_sim_server_new (&sim_options, error);
      if (target->sim == NULL || !ct_sim_server_start (target->sim, error))
        return NULL;
      url = ct_sim_server_dup_url (target->sim);
      target->connection = ct_connection_new ();
      g_free (target->connection->odoo_url);
      target->connection->odoo_url = g_strdup (url);
      g_free (target->connection->database);
      target->connection->database = g_strdup (ct_sim_server_get_database (target->sim));
      g_free (target->connection->login);
      target->connection->login = g_strdup ("admin");
      key = ct_sim_server_get_api_key (target->sim, "admin");
      if (key != NULL)
        {
          target->connection->secret_kind = CT_SECRET_KIND_API_KEY;
          target->secret = g_strdup (key);
        }
      else
        {
          target->connection->secret_kind = CT_SECRET_KIND_PASSWORD;
          target->secret = g_strdup (ct_sim_server_get_password (target->sim, "admin"));
        }
      target->connection->n8n_url = g_strdup (url);
      target->n8n_api_key = g_strdup (ct_sim_server_get_n8n_api_key (target->sim));
      return g_steal_pointer (&target);
    }

  if (options->server != NULL)
    {
      target->connection = ct_connection_new ();
      g_free (target->connection->odoo_url);
      target->connection->odoo_url = ct_connection_normalize_url (options->server, options->insecure,
                                                                  error);
      if (target->connection->odoo_url == NULL)
        return NULL;
      g_free (target->connection->database);
      target->connection->database = g_strdup (options->database ? options->database : "");
      g_free (target->connection->login);
      target->connection->login = g_strdup (options->login ? options->login : "");
      target->connection->secret_kind = options->password ? CT_SECRET_KIND_PASSWORD
                                                          : CT_SECRET_KIND_API_KEY;
      target->connection->allow_insecure_http = options->insecure;
      if (options->login == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("--server needs --login"));
          return NULL;
        }
      if (options->secret_env == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("--server needs --secret-env naming the variable that holds the API key or password"));
          return NULL;
        }
      target->secret = secret_from_env (options->secret_env,
                                        options->password ? _("password") : _("API key"), error);
      if (target->secret == NULL)
        return NULL;
    }
  else
    {
      if (settings == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No connection is set up: give --server, --login and --secret-env, or --demo"));
          return NULL;
        }
      target->connection = ct_connection_load (settings);
      if (!ct_connection_is_configured (target->connection))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No connection is set up: give --server, --login and --secret-env, or --demo"));
          return NULL;
        }
      if (options->secret_env != NULL)
        target->secret = secret_from_env (options->secret_env, _("secret"), error);
      else
        {
          g_autoptr(GError) local_error = NULL;
          char *stored;

          stored = ct_secrets_lookup_sync (target->connection->secret_kind == CT_SECRET_KIND_PASSWORD
                                           ? CT_SECRET_ODOO_PASSWORD : CT_SECRET_ODOO_API_KEY,
                                           target->connection->odoo_url,
                                           target->connection->login, NULL, &local_error);
          if (stored == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The keyring has no secret for %s on %s%s%s"),
                           target->connection->login, target->connection->odoo_url,
                           local_error ? ": " : "", local_error ? local_error->message : "");
              return NULL;
            }
          target->secret = g_strdup (stored);
          ct_secrets_free (stored);
        }
      if (target->secret == NULL)
        return NULL;
    }

  if (options->n8n_url != NULL)
    {
      g_free (target->connection->n8n_url);
      target->connection->n8n_url = ct_connection_normalize_url (options->n8n_url, options->insecure,
                                                                 error);
      if (target->connection->n8n_url == NULL)
        return NULL;
    }
  if (target->connection->n8n_url != NULL && *target->connection->n8n_url != '\0')
    {
      if (options->n8n_key_env != NULL)
        {
          target->n8n_api_key = secret_from_env (options->n8n_key_env, _("n8n API key"), error);
          if (target->n8n_api_key == NULL)
            return NULL;
        }
      else if (options->server == NULL)
        {
          char *stored = ct_secrets_lookup_sync (CT_SECRET_N8N_API_KEY, target->connection->n8n_url,
                                                 NULL, NULL, NULL);
          if (stored != NULL)
            {
              target->n8n_api_key = g_strdup (stored);
              ct_secrets_free (stored);
            }
        }
    }

  return g_steal_pointer (&target);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *outer = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *items = ct_connection_check_finish (result, &error);

  if (items == NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_pointer (outer, items, (GDestroyNotify)g_ptr_array_unref);
}

static const char *
state_mark (CtCheckState state)
{
  switch (state)
    {
    case CT_CHECK_OK:
      return "✓";
    case CT_CHECK_WARNING:
      return "!";
    case CT_CHECK_ERROR:
      return "✗";
    case CT_CHECK_SKIPPED:
    default:
      return "-";
    }
}

static gboolean
print_to (GOutputStream *out,
          const char    *text)
{
  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL);
}

static int
run_check_connection (CliTarget     *target,
                      GOutputStream *out)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  CtCheckOptions check = { 0 };

  check.connection = target->connection;
  check.secret = target->secret;
  check.n8n_api_key = target->n8n_api_key;
  ct_connection_check_async (&check, NULL, check_done_cb, task);
  while (!g_task_get_completed (task))
    g_main_context_iteration (NULL, TRUE);

  items = g_task_propagate_pointer (task, &error);
  if (items == NULL)
    {
      g_printerr ("control-tower: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < items->len; i++)
    {
      CtCheckItem *item = items->pdata[i];
      g_autofree char *line = g_strdup_printf ("%s %s: %s\n", state_mark (item->state),
                                               item->title ? item->title : item->id,
                                               item->text ? item->text : "");

      print_to (out, line);
    }

  return ct_connection_check_passed (items) ? 0 : 1;
}

static void
task_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static CtProfile *
load_profile (GSettings *settings)
{
  g_autofree char *path = settings ? g_settings_get_string (settings, "profile-file") : NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  CtProfile *profile;

  if (path == NULL || *path == '\0')
    return ct_profile_new_default ();
  file = g_file_new_for_path (path);
  profile = ct_profile_load_or_keep (file, NULL, &error);
  if (error != NULL)
    g_printerr ("control-tower: %s\n", error->message);
  return profile;
}

/* Exit statuses of a report (also in --help and the README). */
#define EXIT_NO_RESULT 1
#define EXIT_PARTIAL   3

/* Whether any source of @sync read something at its last refresh. */
static gboolean
some_source_read (CtSync *sync)
{
  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    {
      const CtSourceHealth *h = ct_sync_get_health (sync, i);

      if (h->available && h->failures == 0)
        return TRUE;
    }
  return FALSE;
}

/* Connects, reads every source once (a full read), and prints the report.
 * A source that fails is named on stderr and in the report, which shows
 * what it feeds as unknown, and the exit status is 3 (partial); with no
 * source read at all nothing is printed and the status is 1. */
static int
run_report (CliTarget     *target,
            CtCliOptions  *options,
            GSettings     *settings,
            GOutputStream *out)
{
  g_autoptr(CtProfile) profile = load_profile (options->demo ? NULL : settings);
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(CtN8nClient) n8n = NULL;
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  CtReportKind kind = CT_REPORT_PENDING;
  CtReportFormat format = CT_REPORT_FORMAT_TABLE;
  const char *n8n_url = target->connection->n8n_url;
  g_autoptr(CtReportGaps) gaps = NULL;
  g_autoptr(GError) n8n_error = NULL;
  gboolean n8n_failed = FALSE;
  int status = 0;

  ct_report_kind_from_string (options->report, &kind);
  if (options->format != NULL)
    ct_report_format_from_string (options->format, &format);
  if (settings != NULL && !options->demo)
    ct_odoo_client_set_timeouts (client, g_settings_get_uint (settings, "connect-timeout") * 1000,
                                 g_settings_get_uint (settings, "call-timeout") * 1000);

  if (n8n_url != NULL && *n8n_url != '\0' && target->n8n_api_key != NULL)
    {
      n8n = ct_n8n_client_new (n8n_url, target->n8n_api_key,
                               target->connection->allow_insecure_http, &n8n_error);
      n8n_failed = n8n == NULL;
    }
  /* The sources are there before the connect: their probes go out as soon
   * as Odoo accepted the sign-in, beside the rest of the connect. */
  sync = ct_sync_new (profile, store);
  ct_sync_add_default_sources (sync, client, n8n, n8n_url, target->n8n_api_key);

  ct_odoo_client_connect_async (client, target->connection, target->secret, NULL, task_done_cb,
                                &result);
  wait_result (&result);
  if (!ct_odoo_client_connect_finish (client, result, &error))
    {
      g_printerr ("control-tower: %s\n", error->message);
      return 1;
    }
  g_clear_object (&result);
  if (n8n_failed)
    g_printerr ("control-tower: n8n: %s\n", n8n_error->message);

  ct_sync_refresh_async (sync, TRUE, NULL, task_done_cb, &result);
  wait_result (&result);
  if (!ct_sync_refresh_finish (sync, result, &error))
    {
      g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_printerr ("control-tower: %s\n", lines[i]);
      if (!g_error_matches (error, CT_SYNC_ERROR, CT_SYNC_ERROR_SOURCES_FAILED) ||
          !some_source_read (sync))
        status = EXIT_NO_RESULT;
      g_clear_error (&error);
    }
  gaps = ct_report_gaps_from_sync (sync);
  if (n8n_failed)
    ct_report_gaps_add (gaps, ct_source_kind_to_string (CT_SOURCE_KIND_N8N), CT_SOURCE_KIND_N8N);
  if (status == 0 && ct_report_gaps_get_n (gaps) > 0)
    status = EXIT_PARTIAL;

  if (status != EXIT_NO_RESULT)
    {
      text = ct_report_render_partial (kind, format, profile, ct_case_store_get_cases (store),
                                       gaps, g_get_real_time () / G_USEC_PER_SEC);
      /* Records a source could not read are counted, in the report and here. */
      text = ct_report_add_unreadable (text, format, sync);
    }
  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    {
      CtSource *source = ct_sync_get_source (sync, i);
      g_autofree char *skipped = ct_source_describe_unreadable (source);

      if (skipped != NULL && ct_sync_get_health (sync, i)->last_error == NULL)
        g_printerr ("control-tower: %s: %s\n", ct_source_get_name (source), skipped);
    }
  if (text != NULL &&
      (!g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error) ||
       !g_output_stream_flush (out, NULL, &error)))
    {
      g_printerr ("control-tower: %s\n", error->message);
      status = EXIT_NO_RESULT;
    }
  if (options->stats)
    {
      g_autofree char *stats = ct_report_format_stats (sync);

      g_printerr ("%s", stats);
    }
  return status;
}

static CtJournal *
open_journal (CtCliOptions  *options,
              GError       **error)
{
  g_autofree char *dir = options->journal_dir
                         ? g_strdup (options->journal_dir)
                         : g_build_filename (g_get_user_data_dir (), "control-tower", NULL);

  return ct_journal_open (dir, error);
}

static int
run_verify_journal (CtCliOptions  *options,
                    GOutputStream *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtJournal) journal = open_journal (options, &error);
  g_autofree char *text = NULL;
  gint64 broken = 0;
  guint checked = 0;

  if (journal == NULL)
    {
      g_printerr ("control-tower: %s\n", error->message);
      return 1;
    }
  if (!ct_journal_verify (journal, &broken, &checked, &error))
    {
      if (error != NULL)
        g_printerr ("control-tower: %s\n", error->message);
      else
        {
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, broken);
          g_autofree char *line = g_strdup_printf (_("The decision journal is broken at entry %s: it or "
                                                     "its link to the entry before it was changed (the "
                                                     "%u entries before it are intact)"),
                                                   id, checked);

          g_printerr ("control-tower: %s\n", line);
        }
      return 1;
    }
  text = g_strdup_printf (_("The decision journal is intact (entries checked: %u)\n"), checked);
  print_to (out, text);
  return 0;
}

static int
decide_usage (CtCliOptions       *options,
              CtDecisionOutcome  *outcome)
{
  const char *problem = NULL;
  g_autofree char *model = NULL;
  gint64 id = 0;

  if (options->decide == NULL || options->action == NULL)
    problem = _("--decide=MODEL:ID and --action=ACTION go together");
  else if (!ct_decision_outcome_from_string (options->action, outcome))
    problem = _("--action takes approve, reject, revise, approve-with-conditions, escalate or delegate");
  else if (!ct_source_parse_key (options->decide, &model, &id) || id <= 0 || *model == '\0')
    problem = _("--decide takes MODEL:ID, e.g. purchase.order:13");
  else if ((*outcome == CT_DECISION_REJECT || *outcome == CT_DECISION_REVISE) &&
           (options->comment == NULL || *options->comment == '\0'))
    problem = _("--action=reject and --action=revise need --comment");
  else if (*outcome == CT_DECISION_APPROVE_WITH_CONDITIONS &&
           (options->conditions == NULL || options->conditions[0] == NULL))
    problem = _("--action=approve-with-conditions needs at least one --condition");
  else if ((*outcome == CT_DECISION_DELEGATE) != (options->to != NULL))
    problem = _("--to goes with --action=delegate, and delegating needs it");
  else if (options->conditions != NULL && *outcome != CT_DECISION_APPROVE_WITH_CONDITIONS)
    problem = _("--condition goes with --action=approve-with-conditions");
  if (problem == NULL)
    return 0;
  g_printerr ("control-tower: %s\n", problem);
  return 2;
}

/* Connects, reads the case afresh from the sources, decides it through the
 * decision service (same rules, verification and journal as the window)
 * and says what the server's state shows. */
static int
run_decide (CliTarget         *target,
            CtCliOptions      *options,
            CtDecisionOutcome  outcome,
            GSettings         *settings,
            GOutputStream     *out)
{
  g_autoptr(CtProfile) profile = load_profile (options->demo ? NULL : settings);
  g_autoptr(CtOdooClient) client = ct_odoo_client_new ();
  g_autoptr(CtCaseStore) store = ct_case_store_new ();
  g_autoptr(CtSync) sync = NULL;
  g_autoptr(CtJournal) journal = NULL;
  g_autoptr(CtDecisions) decisions = NULL;
  g_autoptr(GPtrArray) sources = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CtCase) c = NULL;
  g_autoptr(CtDecisionResult) decided = NULL;
  g_autofree char *line = NULL;
  CtDecisionRequest request = { outcome };

  journal = open_journal (options, &error);
  if (journal == NULL)
    {
      g_printerr ("control-tower: %s\n", error->message);
      return 1;
    }
  if (settings != NULL && !options->demo)
    ct_odoo_client_set_timeouts (client, g_settings_get_uint (settings, "connect-timeout") * 1000,
                                 g_settings_get_uint (settings, "call-timeout") * 1000);
  ct_odoo_client_connect_async (client, target->connection, target->secret, NULL, task_done_cb,
                                &result);
  wait_result (&result);
  if (!ct_odoo_client_connect_finish (client, result, &error))
    {
      g_printerr ("control-tower: %s\n", error->message);
      return 1;
    }
  g_clear_object (&result);

  sync = ct_sync_new (profile, store);
  ct_sync_add_default_sources (sync, client, NULL, NULL, NULL);
  for (guint i = 0; i < ct_sync_get_n_sources (sync); i++)
    g_ptr_array_add (sources, ct_sync_get_source (sync, i));
  /* The case is read now, from the server: it cannot be stale. */
  decisions = ct_decisions_new (client, profile, journal, NULL, target->connection->login);
  ct_decisions_read_case_async (decisions, sources, options->decide, NULL, task_done_cb, &result);
  wait_result (&result);
  c = ct_decisions_read_case_finish (decisions, result, &error);
  g_clear_object (&result);
  if (c == NULL)
    {
      if (error != NULL)
        g_printerr ("control-tower: %s\n", error->message);
      else
        g_printerr ("control-tower: %s\n", _("Nothing on this record waits for a decision"));
      return 1;
    }

  request.comment = options->comment;
  request.conditions = (const char * const *) options->conditions;
  request.target_login = options->to;
  request.confirmed = options->yes;
  ct_decisions_decide_async (decisions, c, &request, NULL, task_done_cb, &result);
  wait_result (&result);
  decided = ct_decisions_decide_finish (decisions, result, &error);
  if (decided == NULL)
    {
      g_printerr ("control-tower: %s\n", error->message);
      if (g_error_matches (error, CT_DECISION_ERROR, CT_DECISION_ERROR_NEEDS_CONFIRMATION))
        g_printerr ("control-tower: %s\n", _("Give --yes to confirm"));
      return 1;
    }
  line = g_strdup_printf ("%s: %s\n%s: %s\n", c->reference ? c->reference : c->key, decided->summary,
                          _("Correlation id"), decided->correlation_id);
  print_to (out, line);
  return 0;
}

int
ct_cli_run (CtCliOptions  *options,
            GSettings     *settings,
            GOutputStream *out)
{
  g_autoptr(CliTarget) target = NULL;
  g_autoptr(GError) error = NULL;

  CtDecisionOutcome outcome = CT_DECISION_APPROVE;
  gboolean deciding = options->decide != NULL || options->action != NULL;

  if ((options->check_connection ? 1 : 0) + (options->report != NULL ? 1 : 0) +
      (deciding ? 1 : 0) + (options->verify_journal ? 1 : 0) > 1)
    {
      g_printerr ("control-tower: %s\n",
                  _("Give one of --check-connection, --report, --decide or --verify-journal"));
      return 2;
    }
  if (options->verify_journal)
    return run_verify_journal (options, out);
  if (deciding)
    {
      int usage = decide_usage (options, &outcome);

      if (usage != 0)
        return usage;
    }
  if (options->report != NULL)
    {
      CtReportKind kind;
      CtReportFormat format;

      if (!ct_report_kind_from_string (options->report, &kind))
        {
          g_printerr ("control-tower: %s\n",
                      _("--report takes pending, breaches, incidents or metrics"));
          return 2;
        }
      if (options->format != NULL && !ct_report_format_from_string (options->format, &format))
        {
          g_printerr ("control-tower: %s\n", _("--format takes table, json or csv"));
          return 2;
        }
    }

  target = resolve_target (options, settings, &error);
  if (target == NULL)
    {
      g_printerr ("control-tower: %s\n", error->message);
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ||
             g_error_matches (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INVALID_URL) ||
             g_error_matches (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_EMPTY) ||
             g_error_matches (error, CT_CONNECTION_ERROR, CT_CONNECTION_ERROR_INSECURE) ? 2 : 1;
    }

  if (options->check_connection)
    return run_check_connection (target, out);
  if (deciding)
    return run_decide (target, options, outcome, settings, out);

  return run_report (target, options, settings, out);
}
