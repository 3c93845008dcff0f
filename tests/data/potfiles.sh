#!/bin/bash
# potfiles.sh - Every source with translatable strings is in po/POTFILES.in
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
src="$1"
cd "$src"
missing=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort -u)
echo "1..2"
candidates=$( (grep -rlE '\b(N?_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"' src --include='*.c';
               grep -rl 'translatable="yes"' src --include='*.ui';
               ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null) | sort -u)
for f in $candidates; do
  if ! grep -qxF "$f" <<<"$listed"; then
    echo "# $f has translatable strings but is not in po/POTFILES.in"
    missing=1
  fi
done
if [ $missing = 0 ]; then echo "ok 1 - POTFILES.in lists every translatable source"; else echo "not ok 1 - POTFILES.in lists every translatable source"; fi
stale=0
for f in $listed; do
  if [ ! -f "$f" ]; then echo "# $f is in POTFILES.in but does not exist"; stale=1; fi
done
if [ $stale = 0 ]; then echo "ok 2 - POTFILES.in names only existing files"; else echo "not ok 2 - POTFILES.in names only existing files"; fi
[ $missing = 0 ] && [ $stale = 0 ]
