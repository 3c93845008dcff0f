/* test-wait.h - Iterating a main context until something happens, with a deadline
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

/* Every wait has a deadline: a regression that never answers fails the
 * test instead of hanging it. Generous, for the sanitizer build. */
#define WAIT_DEADLINE_S 60

static inline gboolean
wait_deadline_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the thread-default main context until @cond holds; fails the
 * test when it still does not after WAIT_DEADLINE_S seconds. The timer
 * wakes the context, so a wait on nothing at all ends too. */
#define WAIT_UNTIL(cond) \
  G_STMT_START \
  { \
    GMainContext *wait_context_ = g_main_context_get_thread_default (); \
    gboolean wait_expired_ = FALSE; \
    GSource *wait_timer_ = g_timeout_source_new_seconds (WAIT_DEADLINE_S); \
 \
    g_source_set_callback (wait_timer_, wait_deadline_cb, &wait_expired_, NULL); \
    g_source_attach (wait_timer_, wait_context_); \
    while (!(cond) && !wait_expired_) \
      g_main_context_iteration (wait_context_, TRUE); \
    g_source_destroy (wait_timer_); \
    g_source_unref (wait_timer_); \
    if (!(cond)) \
      g_test_message ("waited %d s for %s", WAIT_DEADLINE_S, #cond); \
    g_assert_true (cond); \
  } \
  G_STMT_END
