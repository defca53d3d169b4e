#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The critical path of a generated DAG of 1,000,000 nodes (a chain of
# 333,333 diamonds, 1,333,332 edges), parsing included: generates it once,
# then times `llmroof critical-path --summary` REPS times and prints each
# wall time and the median, then the full report once in each format. Not
# a pass/fail test (ctest label bench).
#   scripts/bench_dag.sh [LLMROOF] [REPS]
set -eu
llmroof=${1:-build/llmroof}
reps=${2:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$llmroof" dag --synthetic 333333 -o "$dir/bench.dot"
times=""
i=0
while [ "$i" -lt "$reps" ]; do
    t0=$(date +%s.%N)
    "$llmroof" critical-path "$dir/bench.dot" --summary --format csv >/dev/null
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc)
    echo "run $((i + 1)): $t s"
    times="$times $t"
    i=$((i + 1))
done
median=$(printf '%s\n' $times | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
echo "critical-path of 1000000 nodes, parsing included: median $median s over $reps runs (goal: 2 s)"
# The full report (every node of the 666,667 on the path) in each format,
# once: the rows are written as they are made, so that json takes no more
# memory than --summary (it took 1.6 GB and 17 s as a jansson tree). Peak
# memory where GNU time is installed.
for fmt in table csv json; do
    t0=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' -o "$dir/rss" "$llmroof" critical-path "$dir/bench.dot" --format "$fmt" >/dev/null
        rss=", peak $(($(cat "$dir/rss") / 1024)) MB"
    else
        "$llmroof" critical-path "$dir/bench.dot" --format "$fmt" >/dev/null
        rss=""
    fi
    t1=$(date +%s.%N)
    echo "critical-path of 1000000 nodes, every path node as $fmt: $(echo "$t1 - $t0" | bc) s$rss"
done
