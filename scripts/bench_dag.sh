#!/bin/sh
# The critical path of a generated DAG of 1,000,000 nodes (a chain of
# 333,333 diamonds, 1,333,332 edges), parsing included: generates it once,
# then times `llmroof critical-path` REPS times and prints each wall time
# and the median. Not a pass/fail test (ctest label bench).
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
