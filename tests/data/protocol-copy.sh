#!/bin/bash
# protocol-copy.sh - The project's transcripts agree with ../shared/protocol
# SPDX-License-Identifier: GPL-3.0-or-later
#
# tests/data/protocol is the project's copy of the recordings the tests
# replay. Where the shared recordings sit beside the checkout (the team's
# machines), new or changed recordings must reach the copy: this fails until
# they are copied with
#   rsync -a --delete ../shared/protocol/ tests/data/protocol/
# On a clone with nothing beside it, there is nothing to compare.
set -u
src="$1"
shared="$src/../shared/protocol"
echo "1..1"
if [ ! -d "$shared" ]; then
  echo "# no ../shared/protocol beside this checkout: the project's copy is the only one"
  echo "ok 1 - tests/data/protocol is the only copy"
  exit 0
fi
if diff -rq "$shared" "$src/tests/data/protocol"; then
  echo "ok 1 - tests/data/protocol agrees with ../shared/protocol"
else
  echo "not ok 1 - tests/data/protocol agrees with ../shared/protocol (copy them: rsync -a --delete ../shared/protocol/ tests/data/protocol/)"
  exit 1
fi
