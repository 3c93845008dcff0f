/* fuzz-snapshot.c - libFuzzer target over the offline snapshot's case reader
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-snapshot"

#include "config.h"

#include "ct-case.h"

/* The input is one snapshot row (ct_case_serialize's bytes) as the journal
 * reads it back from disk, where anything may have changed it. */
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(CtCase) c = ct_case_deserialize (data, size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CtCase) again = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;

  if (c == NULL)
    return 0;
  /* What was read is written back the same, and renders as a report would. */
  bytes = ct_case_serialize (c);
  again = ct_case_deserialize (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert (again != NULL);
  g_assert (ct_case_equal (c, again));
  json = ct_case_to_json (c);
  text = json_to_string (json, FALSE);
  g_assert (text != NULL);
  return 0;
}
