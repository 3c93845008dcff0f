/* ct-cli.h - The command-line face of Control Tower: checks and reports without a display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the command line asked for. Filled by GOption through the group
 * from ct_cli_options_get_group(). */
typedef struct
{
  gboolean  check_connection;
  char     *report;          /* pending, breaches, incidents, metrics */
  char     *format;          /* table, json, csv */
  gboolean  stats;
  gboolean  demo;
  char     *server;
  char     *database;
  char     *login;
  char     *secret_env;      /* name of the variable that holds the secret */
  gboolean  password;        /* the secret is a password, not an API key */
  gboolean  insecure;        /* accept http:// to another host */
  char     *n8n_url;
  char     *n8n_key_env;
  /* Deciding one case (--decide=MODEL:ID --action=…) */
  char     *decide;
  char     *action;
  char     *comment;
  GStrv     conditions;
  char     *to;              /* delegate: the target's login */
  gboolean  yes;             /* confirm a high-value approval */
  gboolean  verify_journal;
  char     *journal_dir;     /* (nullable) default: $XDG_DATA_HOME/control-tower */
} CtCliOptions;

CtCliOptions *ct_cli_options_new        (void);
void          ct_cli_options_free       (CtCliOptions *options);
/* Options shared by --check-connection and --report. */
GOptionGroup *ct_cli_options_get_group  (CtCliOptions *options);
/* TRUE when the command line asks for a command-line run, not the window. */
gboolean      ct_cli_options_wants_run  (CtCliOptions *options);

/* Runs what the options ask for and returns the exit status: 0 success,
 * 1 the check failed, the report has no result, or (for --decide) the server
 * refused the decision or its state does not show it, 2 usage errors, 3 a
 * partial report (a source could not be read). Output goes to @out, errors
 * to stderr. Secrets are never printed. @settings (nullable) gives the saved
 * connection when no --server is given. */
int           ct_cli_run                (CtCliOptions *options,
                                         GSettings    *settings,
                                         GOutputStream *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CtCliOptions, ct_cli_options_free)

G_END_DECLS
