/* lsan-canary.c - Leaks a JsonArray the way issue 15's bug did, so the sanitizer run must fail
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

/* Registered with should_fail in sanitizer builds: if LeakSanitizer stops
 * seeing this leak (GSlice's magazines back in use, leak detection turned
 * off), the suite says so instead of passing quietly. */
static __attribute__ ((noinline)) void
leak_one_array (void)
{
  JsonArray *array = json_array_sized_new (2);
  JsonNode *node;

  json_array_add_int_element (array, 1);
  json_array_add_int_element (array, 2);
  /* json_node_init_array () takes a reference of its own: ours is lost. */
  node = json_node_init_array (json_node_alloc (), array);
  json_node_unref (node);
}

int
main (void)
{
  leak_one_array ();
  return 0;
}
