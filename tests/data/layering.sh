#!/bin/bash
# layering.sh - src/core and src/sim must not know GTK
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The build already refuses a GTK header there (those libraries are compiled
# without GTK's include paths); this also catches a GTK library sneaking in
# through a dependency, by looking at what ct-sim links.
set -u
src="$1"
build="$2"
status=0
echo "1..2"
if grep -rnE '#\s*include\s*[<"](gtk|gdk|gsk|adwaita|adw)[/.]' "$src/src/core" "$src/src/sim" "$src/src/cli" ; then
  echo "not ok 1 - src/core, src/sim and src/cli include no GTK header"
  status=1
else
  echo "ok 1 - src/core, src/sim and src/cli include no GTK header"
fi
sim="$build/src/sim/ct-sim"
if [ ! -x "$sim" ]; then
  echo "not ok 2 - ct-sim links no GTK library # ct-sim not built"
  status=1
elif ldd "$sim" | grep -E 'libgtk|libadwaita|libgdk'; then
  echo "not ok 2 - ct-sim links no GTK library"
  status=1
else
  echo "ok 2 - ct-sim links no GTK library"
fi
exit $status
