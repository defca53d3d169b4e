#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# solve over a whole-number parameter with a wide range (the scan in
# steps, then bisection): the answer B meets the target and B + 1 does not
# (tpot_s grows with the batch), checked by estimate at both; and the
# metric solve reports is estimate's at B. When solve says memory bounds
# the answer (bound = memory), B fits and B + 1 does not (estimate's
# "fits"): a batch that does not fit is never the answer.
#   solve_bound.sh LLMROOF CONFIG [TARGET]
set -u
llmroof=$1
cfg=$2
target=${3:-tpot_s<=0.05}
limit=${target#tpot_s<=}
fail=0
out=$("$llmroof" solve "$cfg" --target "$target" --vary workload.batch --range 1:100000 2>/dev/null)
b=$(printf '%s\n' "$out" | sed -n 's/^  value  *\([0-9]*\)$/\1/p')
bound=$(printf '%s\n' "$out" | sed -n 's/^  bound  *\([a-z]*\)$/\1/p')
[ -n "$b" ] || { echo "FAIL: solve printed no value"; exit 1; }
json() { "$llmroof" estimate "$cfg" --set workload.batch="$1" --format json 2>/dev/null; }
tpot() { json "$1" | sed -n 's/.*"tpot_s": *\([0-9.eE+-]*\).*/\1/p' | head -1; }
fits() { json "$1" | sed -n 's/.*"fits": *\([a-z]*\).*/\1/p' | head -1; }
at=$(tpot "$b")
next=$(tpot $((b + 1)))
if [ "$bound" = memory ]; then
    f_at=$(fits "$b")
    f_next=$(fits $((b + 1)))
    awk -v a="$at" -v l="$limit" 'BEGIN { exit !(a != "" && a <= l) }' && [ "$f_at" = true ] && [ "$f_next" = false ] &&
        echo "ok: batch $b meets $target ($at s) and fits; $((b + 1)) does not fit (bound: memory)" ||
        { echo "FAIL: bound memory but batch $b gives $at s, fits $f_at; $((b + 1)) fits $f_next"; fail=1; }
else
    awk -v a="$at" -v n="$next" -v l="$limit" 'BEGIN { exit !(a != "" && n != "" && a <= l && n > l) }' &&
        echo "ok: batch $b meets $target ($at s), $((b + 1)) does not ($next s)" ||
        { echo "FAIL: batch $b gives $at s, $((b + 1)) gives $next s: not the boundary of $target"; fail=1; }
fi
exit $fail
