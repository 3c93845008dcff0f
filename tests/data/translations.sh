#!/bin/bash
# translations.sh - German and French translate every string of the template
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds a fresh template from po/POTFILES.in and checks that each catalogue
# has a non-fuzzy translation for every message in it, so new strings cannot
# land untranslated.
set -u
src="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"
xgettext --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --files-from=<(grep -v '^#' po/POTFILES.in | sed '/^$/d' | grep -vE '\.(desktop\.in|metainfo\.xml\.in|gschema\.xml)$') \
  -o "$tmp/code.pot" 2>"$tmp/xgettext.log" || { cat "$tmp/xgettext.log"; exit 1; }
n=0
status=0
langs=$(cat po/LINGUAS)
echo "1..$(echo $langs | wc -w)"
for lang in $langs; do
  n=$((n+1))
  msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/code.pot" -o "$tmp/$lang.po"
  untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry too when anything is printed.
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated-1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy-1))
  if [ "$untranslated" = 0 ] && [ "$fuzzy" = 0 ]; then
    echo "ok $n - $lang translates every string"
  else
    echo "not ok $n - $lang: $untranslated untranslated, $fuzzy fuzzy"
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep '^msgid ' | head -20 | sed 's/^/# /'
    status=1
  fi
done
exit $status
