/* ct-test-protocol.h - Where the recorded real-server transcripts are, for tests that replay them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stdlib.h>

/* The transcripts are part of the project (tests/data/protocol, see its
 * README); the test environment points CT_PROTOCOL_DIR at them. A missing
 * folder is a broken checkout, so the test says so and fails. */
static inline void
ct_test_require_protocol_dir (void)
{
  const char *dir = g_getenv ("CT_PROTOCOL_DIR");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_print ("Bail out! the recorded transcripts (tests/data/protocol) are missing: %s\n",
               dir != NULL ? dir : "CT_PROTOCOL_DIR is not set");
      exit (1);
    }
}
