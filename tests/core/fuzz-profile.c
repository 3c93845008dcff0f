/* fuzz-profile.c - libFuzzer target over the governance profile parser
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-profile"

#include "config.h"

#include "ct-profile.h"

/* The input is a profile file as an administrator (or whoever can write
 * the file) would save it. The seeds are the shipped profiles. */
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CtProfile) profile = NULL;

  profile = ct_profile_new_from_data ((const char *) data, (gssize) size, "fuzz.json", &error);
  /* the contract: a profile xor an error that names the file */
  g_assert ((profile != NULL) == (error == NULL));
  if (error != NULL)
    g_assert (g_str_has_prefix (error->message, "fuzz.json:"));
  else
    for (guint i = 0; i < ct_profile_get_n_queues (profile); i++)
      g_assert (ct_profile_get_queue (profile, i) != NULL);
  return 0;
}
