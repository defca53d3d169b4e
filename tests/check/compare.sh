#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# compare.sh LLMROOF [--all]: runs `llmroof check` on every pair of
# tests/check/pairs.tsv and compares its findings with the expected
# findings, written by reading each report by hand (expected/NAME.tsv).
#
# The rule:
# - errors are compared exactly, as a multiset of (line, kind): an expected
#   error check does not give is "missing", an error check gives that is not
#   expected is "extra";
# - warnings and notes are compared loosely: an expected warning that check
#   does not give at that line (as a warning or an error) is counted and
#   listed, not failed; extra warnings and notes are free;
# - known-gaps.tsv lists the missing and extra errors not fixed yet: they
#   do not fail, but a listed gap that no longer happens fails (so that the
#   list only shrinks);
# - precision and recall of errors over all pairs are printed at the end
#   (known gaps included).
# Exit 0 when everything matches, 1 otherwise. --all: print every finding.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
tests=$(dirname "$here")
cd "$tests" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
tp=0 fp=0 fn=0 wmiss=0 wtot=0
: >"$tmp/gaps-seen"
while IFS='	' read -r name report config lines; do
  case $name in ''|'#'*) continue ;; esac
  if [ ! -f "$report" ]; then
    echo "skip $name: $report is not here"
    continue
  fi
  set -- check "$report" --config "$config" --format csv
  [ "$lines" = "-" ] || set -- "$@" --lines "$lines"
  "$bin" "$@" >"$tmp/out.csv" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 4 ]; then
    echo "FAIL $name: llmroof check exited $rc: $(cat "$tmp/err")"
    fail=1
    continue
  fi
  # got: severity line kind, from the findings (the first CSV block)
  awk -F, 'NR==1{next} /^$/{exit} {print $1"\t"$2"\t"$3}' "$tmp/out.csv" >"$tmp/got"
  grep -v '^#' "check/expected/$name.tsv" | awk -F'\t' 'NF>=3{print $2"\t"$1"\t"$3}' >"$tmp/exp"
  awk -F'\t' '$1=="error"{print $2"\t"$3}' "$tmp/got" | sort >"$tmp/got-err"
  awk -F'\t' '$1=="error"{print $2"\t"$3}' "$tmp/exp" | sort >"$tmp/exp-err"
  # multiset differences
  comm -23 "$tmp/exp-err" "$tmp/got-err" >"$tmp/missing"
  comm -13 "$tmp/exp-err" "$tmp/got-err" >"$tmp/extra"
  n_exp=$(wc -l <"$tmp/exp-err"); n_miss=$(wc -l <"$tmp/missing"); n_extra=$(wc -l <"$tmp/extra")
  n_got=$(wc -l <"$tmp/got-err")
  tp=$((tp + n_exp - n_miss)); fn=$((fn + n_miss)); fp=$((fp + n_extra))
  for what in missing extra; do
    while IFS='	' read -r line kind; do
      if awk -F'\t' -v n="$name" -v w="$what" -v l="$line" -v k="$kind" '$1==n && $2==w && $3==l && $4==k {f=1} END{exit !f}' check/known-gaps.tsv 2>/dev/null; then
        echo "gap  $name: $what error at line $line ($kind) (known-gaps.tsv)"
        printf '%s\t%s\t%s\t%s\n' "$name" "$what" "$line" "$kind" >>"$tmp/gaps-seen"
      else
        echo "FAIL $name: $what error at line $line ($kind)"
        grep "^error,$line,$kind," "$tmp/out.csv" | sed 's/^/       /'
        fail=1
      fi
    done <"$tmp/$what"
  done
  # warnings: loose
  awk -F'\t' '$1=="warning"{print $2}' "$tmp/exp" | while read -r line; do
    if ! awk -F'\t' -v l="$line" '$2==l && ($1=="warning" || $1=="error"){f=1} END{exit !f}' "$tmp/got"; then
      echo "note $name: expected warning at line $line not given"
    fi
  done >"$tmp/wmiss"
  cat "$tmp/wmiss"
  wmiss=$((wmiss + $(wc -l <"$tmp/wmiss")))
  wtot=$((wtot + $(awk -F'\t' '$1=="warning"' "$tmp/exp" | wc -l)))
  echo "pair $name: $n_exp expected error(s), $n_got given, $n_miss missing, $n_extra extra"
  [ "${2:-}" = "--all" ] && cat "$tmp/out.csv"
done <check/pairs.tsv
# a known gap that no longer happens
grep -v '^#' check/known-gaps.tsv 2>/dev/null | sort -u | while IFS='	' read -r name what line kind rest; do
  [ -n "$name" ] || continue
  grep -q "^$name	$what	$line	$kind\$" "$tmp/gaps-seen" || echo "FAIL $name: known gap '$what error at line $line ($kind)' no longer happens: remove it from known-gaps.tsv"
done >"$tmp/stale"
if [ -s "$tmp/stale" ]; then cat "$tmp/stale"; fail=1; fi
awk -v tp=$tp -v fp=$fp -v fn=$fn -v wm=$wmiss -v wt=$wtot 'BEGIN{
  p = tp+fp ? tp/(tp+fp) : 1; r = tp+fn ? tp/(tp+fn) : 1;
  printf "errors: %d right, %d extra, %d missing: precision %.3f, recall %.3f; expected warnings not given: %d of %d\n", tp, fp, fn, p, r, wm, wt }'
exit $fail
