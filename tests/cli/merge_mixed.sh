#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# search --merge refuses what is not one search: a file given twice (or
# under two names), shards of different GPU counts or scenarios.
#   merge_mixed.sh LLMROOF CONFIG
bin=$1 cfg=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
run() { # NAME EXIT STDERR ARGS...
    name=$1 want_rc=$2 want_err=$3
    shift 3
    "$bin" "$@" >"$dir/out" 2>"$dir/err"
    rc=$?
    if [ "$rc" != "$want_rc" ] || [ "$(cat "$dir/err")" != "$want_err" ]; then
        echo "$name: exit $rc (want $want_rc), stderr:"
        cat "$dir/err"
        echo "want: $want_err"
        fail=1
    fi
}
set -e
"$bin" search "$cfg" --gpus 8 --format csv --shard 0/2 -o "$dir/s0.csv"
"$bin" search "$cfg" --gpus 8 --format csv --shard 1/2 -o "$dir/s1.csv"
"$bin" search "$cfg" --gpus 16 --format csv --shard 1/2 -o "$dir/g16.csv"
"$bin" search "$cfg" --gpus 8 --set workload.batch=16 --format csv --shard 1/2 -o "$dir/b16.csv"
ln -s "$dir/s0.csv" "$dir/link.csv"
set +e
run ok 0 "" search --merge "$dir/s0.csv" "$dir/s1.csv"
run twice 2 "llmroof: search: '$dir/s0.csv' is given twice to --merge" search --merge "$dir/s0.csv" "$dir/s1.csv" "$dir/s0.csv"
run same_file 2 "llmroof: search: '$dir/s0.csv' and '$dir/link.csv' are the same file" search --merge "$dir/s0.csv" "$dir/link.csv"
run gpus 3 "llmroof: search: '$dir/s0.csv' and '$dir/g16.csv' are outputs of different searches: 8 GPUs and 16" search --merge "$dir/s0.csv" "$dir/g16.csv"
s0=$(sed -n 2p "$dir/s0.csv" | awk -F, '{print $NF}')
b16=$(sed -n 2p "$dir/b16.csv" | awk -F, '{print $NF}')
run scenario 3 "llmroof: search: '$dir/s0.csv' and '$dir/b16.csv' are outputs of different searches: the config, hardware, --set or constraints differ (scenario $s0 and $b16)" search --merge "$dir/s0.csv" "$dir/b16.csv"
# One shard twice under two files: its counts would count twice.
cp "$dir/s0.csv" "$dir/copy.csv"
run dup_shard 3 "llmroof: search: '$dir/s0.csv' and '$dir/copy.csv' are both shard 0/2" search --merge "$dir/s0.csv" "$dir/copy.csv"
# One shard of two: the rows merge, the counts say they are partial.
run partial 0 "llmroof: warning: search: the counts cover 1 of 2 shards (a shard without plans has no rows to carry them)" search --merge "$dir/s0.csv"
# A row whose plan is not of the file's GPU count.
head -2 "$dir/s0.csv" >"$dir/mixed.csv"
sed -n 2p "$dir/g16.csv" >>"$dir/mixed.csv"
run mixed_rows 3 "llmroof: $dir/mixed.csv:3: a plan of 16 GPUs among plans of 8" search --merge "$dir/mixed.csv"
exit $fail
