#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Output edge cases (security issue, item 11, the output part): an empty
# -o is a usage error; a failed write to stdout (the help text, a table,
# JSON) exits 1 with a message, as jq does; `estimate --explain` honours -o.
#   outfile_stdout.sh LLMROOF CONFIG
set -u
llmroof=$1
config=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

# expect NAME EXIT STDERR -- ARGS...: runs llmroof ARGS (stdout to $dir/out)
# and checks the exit code and that stderr is exactly STDERR.
expect() {
    name=$1 want=$2 text=$3
    shift 4
    "$llmroof" "$@" >"$dir/out" 2>"$dir/err"
    rc=$?
    if [ $rc != "$want" ] || [ "$(cat "$dir/err")" != "$text" ]; then
        echo "FAIL: $name: exit $rc (want $want), stderr: $(cat "$dir/err") (want: $text)"
        fail=1
    else
        echo "ok: $name"
    fi
}

expect "-o ''" 2 "llmroof: -o: the output path is empty" -- gettime 1 1 1 -o ''
expect "--output=" 2 "llmroof: -o: the output path is empty" -- estimate "$config" --output=
expect "sweep -o ''" 2 "llmroof: -o: the output path is empty" -- sweep "$config" --vary workload.batch=1,2 -o ''
[ -s "$dir/out" ] && { echo "FAIL: -o '': something was printed"; fail=1; }

# full_stdout NAME TEXT -- ARGS...: llmroof ARGS with stdout on /dev/full
# exits 1 with TEXT on stderr.
full_stdout() {
    name=$1 text=$2
    shift 3
    "$llmroof" "$@" >/dev/full 2>"$dir/err"
    rc=$?
    if [ $rc != 1 ] || [ "$(cat "$dir/err")" != "$text" ]; then
        echo "FAIL: $name on /dev/full: exit $rc (want 1), stderr: $(cat "$dir/err")"
        fail=1
    else
        echo "ok: $name on /dev/full"
    fi
}
if [ -c /dev/full ]; then
    nospace="llmroof: stdout: write error: No space left on device"
    full_stdout "--help" "$nospace" -- --help
    full_stdout "estimate --help" "$nospace" -- estimate --help
    full_stdout "--version" "$nospace" -- --version
    full_stdout "estimate (table)" "$nospace" -- estimate "$config"
    full_stdout "hw show --format json" "$nospace" -- hw show h100-sxm --format json
    full_stdout "params" "$nospace" -- params
    full_stdout "estimate --explain" "$nospace" -- estimate "$config" --explain metrics.ttft_s
    full_stdout "estimate --explain -o /dev/full" "llmroof: /dev/full: cannot write output: No space left on device" \
        -- estimate "$config" --explain metrics.ttft_s -o /dev/full
else
    echo "skipped: /dev/full (not a character device)"
fi
# A closed stdout.
"$llmroof" --help >&- 2>"$dir/err"
rc=$?
if [ $rc != 1 ] || [ "$(cat "$dir/err")" != "llmroof: stdout: write error: Bad file descriptor" ]; then
    echo "FAIL: --help with stdout closed: exit $rc, stderr: $(cat "$dir/err")"
    fail=1
else
    echo "ok: --help with stdout closed"
fi

# --explain -o FILE: the explanation goes to FILE, nothing to stdout.
"$llmroof" estimate "$config" --explain metrics.ttft_s >"$dir/want" 2>"$dir/err"
expect "--explain -o FILE (exit, stderr)" 0 "" -- estimate "$config" --explain metrics.ttft_s -o "$dir/explain.txt"
if [ -s "$dir/out" ]; then
    echo "FAIL: --explain -o FILE: printed to stdout: $(head -1 "$dir/out")"
    fail=1
elif ! cmp -s "$dir/want" "$dir/explain.txt"; then
    echo "FAIL: --explain -o FILE: the file differs from the explanation on stdout"
    fail=1
fi
exit $fail
