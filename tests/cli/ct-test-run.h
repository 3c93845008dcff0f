/* ct-test-run.h - Runs the real control-tower binary as support and cron do
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

void ct_test_run_clear         (Run                *run);
/* Runs $CT_BUILD_ROOT/src/control-tower with no display and every debug
 * message on, with @env_pairs (name, value, ..., NULL) added. */
void ct_test_run_control_tower (Run                *run,
                                const char * const *env_pairs,
                                const char         *first_arg,
                                ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
