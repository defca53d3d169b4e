#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Merged shard outputs equal one unsharded run, row for row:
#   search_merge.sh LLMROOF CONFIG GPUS SHARDS [SEARCH OPTIONS...]
set -e
bin=$1 cfg=$2 gpus=$3 n=$4
shift 4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" search --config "$cfg" --gpus "$gpus" "$@" --format csv -o "$dir/all.csv"
i=0
files=""
while [ $i -lt "$n" ]; do
    "$bin" search --config "$cfg" --gpus "$gpus" "$@" --shard "$i/$n" --format csv -o "$dir/s$i.csv"
    files="$files $dir/s$i.csv"
    i=$((i + 1))
done
# shellcheck disable=SC2086
"$bin" search --merge $files --top "$(($(wc -l <"$dir/all.csv") - 1))" --format csv -o "$dir/merged.csv"
if ! cmp -s "$dir/all.csv" "$dir/merged.csv"; then
    echo "merged shards differ from the unsharded run:"
    diff "$dir/all.csv" "$dir/merged.csv" || true
    exit 1
fi
echo "merged $n shards: $(($(wc -l <"$dir/all.csv") - 1)) rows identical"
