#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The output of a search does not depend on how it is split: 1, 2 and 3
# threads give the same csv, byte for byte, and so do the merges of 2 and 3
# shards run with 2 threads each; --exhaustive (every plan evaluated in
# full: no memory pruning, no reuse of the op lists) gives the same rows and
# the same counts but those of evaluations (evaluated, valid, fit_memory);
# and the counts add up: space = the removed by every rule + feasible.
#   search_threads.sh LLMROOF CONFIG GPUS [SEARCH OPTIONS...]
set -e
bin=$1 cfg=$2 gpus=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run() { # OUT ARGS...
    out=$1
    shift
    "$bin" search --config "$cfg" --gpus "$gpus" "$@" --format csv -o "$dir/$out" --quiet
}
same() { # A B WHAT
    if ! cmp -s "$dir/$1" "$dir/$2"; then
        echo "$3 differ:"
        diff "$dir/$1" "$dir/$2" | head -20 || true
        exit 1
    fi
}
run t1.csv "$@" --threads 1
run t2.csv "$@" --threads 2
run t3.csv "$@" --threads 3
same t1.csv t2.csv "1 and 2 threads"
same t1.csv t3.csv "1 and 3 threads"
rows=$(($(wc -l <"$dir/t1.csv") - 1))
for n in 2 3; do
    files=""
    i=0
    while [ $i -lt $n ]; do
        run "s$n-$i.csv" "$@" --threads 2 --shard "$i/$n"
        files="$files $dir/s$n-$i.csv"
        i=$((i + 1))
    done
    # shellcheck disable=SC2086
    "$bin" search --merge $files --top "$rows" --format csv -o "$dir/m$n.csv"
    same t1.csv "m$n.csv" "the merge of $n shards and one run"
done
# Without the columns of evaluations, --exhaustive gives the same file.
run ex.csv "$@" --threads 2 --exhaustive
drop='NR == 1 { for (i = 1; i <= NF; i++) keep[i] = $i != "evaluated" && $i != "valid" && $i != "fit_memory" }
{ s = ""; for (i = 1; i <= NF; i++) if (keep[i]) s = s $i ","; print s }'
awk -F, "$drop" "$dir/t1.csv" >"$dir/t1.cut"
awk -F, "$drop" "$dir/ex.csv" >"$dir/ex.cut"
same t1.cut ex.cut "the pruned search and --exhaustive"
# space = sum of the removed + feasible, on the first row's counts.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
NR == 2 { sum = $col["feasible"]
  for (k in col) if (k ~ /^removed_/) sum += $col[k]
  if (sum != $col["space"]) { print "space " $col["space"] " but removed + feasible " sum; exit 1 }
  print "space " $col["space"] " = removed + feasible; candidates " $col["candidates"] }' "$dir/t1.csv"
echo "$rows rows identical for 1, 2, 3 threads, 2 and 3 shards, and --exhaustive"
