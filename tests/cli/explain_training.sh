#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# --explain of a training step's op derives the time the op was given: the
# breakdown's last line (time = ... = T s) equals the op's own time (the
# first line, in us), on A100 (training fraction, no sustained one) and on
# H100 (both).
#   explain_training.sh LLMROOF CONFIG
set -u
llmroof=$1
cfg=$2
fail=0
for hw in a100-sxm h100-sxm; do
    out=$("$llmroof" estimate "$cfg" --hw "$hw" --explain ops.forward.dense.q_proj.time_s 2>&1) || {
        echo "FAIL: $hw: exit $?"
        fail=1
        continue
    }
    top=$(printf '%s\n' "$out" | sed -n '1s/.*= \([0-9.]*\) us$/\1/p')
    sum=$(printf '%s\n' "$out" | sed -n 's/^    time = .* = \([0-9.e+-]*\) s (.*-bound)$/\1/p')
    if [ -z "$top" ] || [ -z "$sum" ] ||
        ! awk -v a="$top" -v b="$sum" 'BEGIN { d = a * 1e-6 - b; if (d < 0) d = -d; exit !(d <= 1e-9) }'; then
        echo "FAIL: $hw: op time '$top' us, breakdown '$sum' s"
        fail=1
    fi
done
[ "$fail" -eq 0 ] && echo "explain of a training op: breakdown equals the op's time on a100-sxm and h100-sxm"
exit "$fail"
