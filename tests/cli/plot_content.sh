#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Each plot kind holds what it should (issue 25 item 13), read from the data
# and variables that --data keeps, not only that a picture exists:
#   roofline: --phase decode draws decode ops only, the default both; the
#     workload's dtype (bf16) is the bold roof; ranges are fitted (ymin > 0,
#     ymin < ymax); every point has a legend entry.
#   compare: bars start at zero; under each bar its GPU count and plan.
#   sweep: a time below 1 s is drawn in ms (yscale 1000), the title names
#     the config and the hardware, one point per row of the csv.
#   sensitivity: the axis carries its unit, the title names config and hw.
#   breakdown: two blocks (prefill, decode), bars from zero.
#   calibration: the data file holds the csv's points (stated, observed
#     out of sample, in sample) in order, and only those.
#   frontier: a block per GPU of its Pareto points only, by tokens/s per
#     user, with intervals; an ITL limit of 50 ms is the line at 20 tokens/s
#     per user.
#   plot_content.sh LLMROOF CONFIG
set -u
llmroof=$1
config=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }

"$llmroof" plot roofline "$config" --phase decode -o "$dir/r.png" --data "$dir/rd" || no "roofline decode"
awk '$4 != 1 { bad = 1 } END { exit bad }' "$dir/rd/roofline.dat" || no "roofline --phase decode has prefill points"
"$llmroof" plot roofline "$config" -o "$dir/r2.png" --data "$dir/rb" || no "roofline"
awk '{ seen[$4] = 1 } END { exit !(seen[0] && seen[1]) }' "$dir/rb/roofline.dat" || no "roofline default lacks a phase"
grep -q "^dtname\[4\] = 'bf16'" "$dir/rb/roofline.vars.gp" && grep -q '^hi = 4$' "$dir/rb/roofline.vars.gp" ||
    no "roofline: bf16 is not the highlighted roof"
awk '/^ymin = / { lo = $3 } /^ymax = / { hi = $3 } END { exit !(lo > 0 && lo < hi) }' "$dir/rb/roofline.vars.gp" ||
    no "roofline: y range not fitted"
points=$(wc -l < "$dir/rb/roofline.dat")
entries=$(grep -c '^lbl\[' "$dir/rb/roofline.vars.gp")
[ "$points" -gt 0 ] && [ "$points" = "$entries" ] || no "roofline: $points points, $entries legend entries"

"$llmroof" compare "$config" --hw h100-sxm,b200 --format csv -o "$dir/c.csv" || no "compare"
"$llmroof" plot compare "$dir/c.csv" -o "$dir/c.png" --data "$dir/cd" || no "plot compare"
grep -q '^set yrange \[0:\*\]' "$dir/cd/compare.gp" || no "compare: bars do not start at zero"
grep -q '^"h100-sxm\\n[0-9]* GPUs, ' "$dir/cd/compare.dat" || no "compare: no GPU count and plan under the bar"

"$llmroof" sweep "$config" --vary workload.batch=1:8:x2 --metrics tpot_s --format csv -o "$dir/s.csv" || no "sweep"
"$llmroof" plot sweep "$dir/s.csv" -o "$dir/s.png" --data "$dir/sd" || no "plot sweep"
grep -q '^yscale = 1000$' "$dir/sd/sweep.vars.gp" && grep -q "^yname = 'tpot_s (ms)'" "$dir/sd/sweep.vars.gp" ||
    no "sweep: tpot not in ms"
grep -q "^ptitle = 'tpot_s against workload.batch: .* on h100-sxm'" "$dir/sd/sweep.vars.gp" || no "sweep: title"
[ "$(grep -c . "$dir/sd/sweep.dat")" = 4 ] || no "sweep: expected 4 points (batch 1, 2, 4, 8)"

"$llmroof" sensitivity "$config" --format csv -o "$dir/t.csv" || no "sensitivity"
"$llmroof" plot sensitivity "$dir/t.csv" -o "$dir/t.png" --data "$dir/td" || no "plot sensitivity"
grep -q "^xname = 'ttft_s (\(s\|ms\|us\))'" "$dir/td/sensitivity.vars.gp" || no "sensitivity: axis without unit"
grep -q "^ptitle = 'sensitivity of ttft_s .*: .* on h100-sxm'" "$dir/td/sensitivity.vars.gp" || no "sensitivity: title"

"$llmroof" plot breakdown "$config" -o "$dir/b.png" --data "$dir/bd" || no "breakdown"
awk 'BEGIN { blocks = 1 } /^$/ { gap = 1; next } gap { blocks++; gap = 0 } END { exit blocks != 2 }' \
    "$dir/bd/breakdown.dat" || no "breakdown: expected a prefill and a decode block"
grep -q '^set yrange \[0:\*\]' "$dir/bd/breakdown.gp" || no "breakdown: bars do not start at zero"
# A hand-made reliability table: three levels, 10 and 80 and 95 percent.
printf 'stated,observed_cv,observed_insample\n10,9.5,11.25\n80,76.875,88.5\n95,82,97.125\n' > "$dir/cal.csv"
"$llmroof" plot calibration "$dir/cal.csv" -o "$dir/cal.png" --data "$dir/kd" || no "plot calibration"
printf '10 9.5 11.25\n80 76.875 88.5\n95 82 97.125\n' > "$dir/cal.want"
cmp -s "$dir/kd/calibration.dat" "$dir/cal.want" || no "calibration: data file $(tr '\n' '|' < "$dir/kd/calibration.dat")"
grep -q "^levels = '$dir/kd/calibration.dat'$" "$dir/kd/calibration.vars.gp" || no "calibration: levels variable"

"$llmroof" frontier "$config" --gpus 8 --hw h100-sxm,b200 --format csv -o "$dir/f.csv" || no "frontier"
"$llmroof" plot frontier "$dir/f.csv" --slo 'itl_p90<=0.05' -o "$dir/f.png" --data "$dir/fd" || no "plot frontier"
pareto=$(grep -c ',true,' "$dir/f.csv")
rows=$(grep -c '^[0-9]' "$dir/fd/frontier.dat")
[ "$pareto" -gt 0 ] && [ "$rows" = "$pareto" ] || no "frontier: $rows points drawn, $pareto Pareto points in the csv"
grep -q '^nblocks = 2$' "$dir/fd/frontier.vars.gp" || no "frontier: not one block per GPU"
grep -q '^intervals = 1$' "$dir/fd/frontier.vars.gp" || no "frontier: no intervals"
grep -q '^sx\[1\] = 20$' "$dir/fd/frontier.vars.gp" || no "frontier: the 50 ms ITL line is not at 20 tokens/s per user"
awk 'NF == 6 && $1 < prev { bad = 1 } NF == 6 { prev = $1 } NF == 0 { prev = 0 } END { exit bad }' \
    "$dir/fd/frontier.dat" || no "frontier: points not by tokens/s per user"

[ $fail = 0 ] && echo "ok: every plot kind holds its data"
exit $fail
