#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# solve over a whole-number parameter with a wide range (the scan in
# steps, then bisection): the answer B meets the target and B + 1 does not
# (tpot_s grows with the batch), checked by estimate at both; and the
# metric solve reports is estimate's at B.
#   solve_bound.sh LLMROOF CONFIG
set -u
llmroof=$1
cfg=$2
fail=0
b=$("$llmroof" solve "$cfg" --target 'tpot_s<=0.05' --vary workload.batch --range 1:100000 2>/dev/null |
    sed -n 's/^  value  *\([0-9]*\)$/\1/p')
[ -n "$b" ] || { echo "FAIL: solve printed no value"; exit 1; }
tpot() { "$llmroof" estimate "$cfg" --set workload.batch="$1" --format json 2>/dev/null | sed -n 's/.*"tpot_s": *\([0-9.eE+-]*\).*/\1/p' | head -1; }
at=$(tpot "$b")
next=$(tpot $((b + 1)))
awk -v a="$at" -v n="$next" 'BEGIN { exit !(a != "" && n != "" && a <= 0.05 && n > 0.05) }' &&
    echo "ok: batch $b meets tpot_s<=0.05 ($at s), $((b + 1)) does not ($next s)" ||
    { echo "FAIL: batch $b gives $at s, $((b + 1)) gives $next s: not the boundary of tpot_s<=0.05"; fail=1; }
exit $fail
