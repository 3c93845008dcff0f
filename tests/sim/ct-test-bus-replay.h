/* ct-test-bus-replay.h - Replays the recorded bus websocket transcripts against ct-sim
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ct-sim-server.h"

/* Checks what the 06-bus-websocket recording @name (its text in @contents)
 * shows against the running @sim (dataset "recorded"). */
void ct_test_replay_bus (CtSimServer *sim,
                         const char  *name,
                         const char  *contents);
