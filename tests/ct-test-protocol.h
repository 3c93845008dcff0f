/* ct-test-protocol.h - Where the recorded real-server transcripts are, for tests that replay them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stdlib.h>

/* The transcripts live in ../shared/protocol beside the checkout (CI always
 * has them; .ci/run refuses to run without). A clone elsewhere skips the
 * tests that replay them, saying why, instead of failing. */
static inline void
ct_test_require_protocol_dir (void)
{
  const char *dir = g_getenv ("CT_PROTOCOL_DIR");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_print ("1..0 # SKIP the recorded transcripts (../shared/protocol) are not beside this checkout\n");
      exit (0);
    }
}
