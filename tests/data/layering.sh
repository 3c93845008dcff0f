#!/bin/bash
# layering.sh - The layers see only what is below them
# SPDX-License-Identifier: GPL-3.0-or-later
#
# - nothing outside src/gui includes a GTK header (the build already refuses
#   one in src/core and src/sim, which are compiled without GTK's include
#   paths; this also covers src/cli and src/main.c's neighbours);
# - ct-sim links no GTK library (a GTK dependency sneaking in);
# - src/core/engine knows no network: it includes no header of src/core/net,
#   src/core/sources or src/core/services (only the sources join the wire and
#   the engine);
# - src/core/net knows no engine, source or service: it includes none of
#   their headers;
# - src/core/base is the foundation all of them (and src/sim) include: it
#   includes no header of net, engine, sources or services.
set -u
src="$1"
build="$2"
status=0
echo "1..5"

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

# headers_of DIR: the header names a folder of src/core defines, as a regex.
headers_of () {
  (cd "$src/src/core/$1" && ls *.h 2>/dev/null) | sed 's/\./\\./g' | paste -sd'|'
}

check_includes () {
  # check_includes N FOLDER FORBIDDEN...: FOLDER includes no header of FORBIDDEN.
  local n="$1" folder="$2" pattern="" f h
  shift 2
  for f in "$@"; do
    h=$(headers_of "$f")
    [ -n "$h" ] && pattern="${pattern:+$pattern|}$h"
  done
  if grep -rnE "#\s*include\s*\"([a-z]+/)?($pattern)\"" "$src/src/core/$folder"; then
    echo "not ok $n - src/core/$folder includes no header of $*"
    status=1
  else
    echo "ok $n - src/core/$folder includes no header of $*"
  fi
}

check_includes 3 engine net sources services
check_includes 4 net engine sources services
check_includes 5 base net engine sources services
exit $status
