#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every writer of an output file writes a temporary file beside the target
# and renames it into place only when the whole output was written (issue 10).
# For each, a run that fails part-way must leave no new file, no temporary
# file, and an existing target byte for byte as it was. The failure is made
# in the middle of the write: a file-size limit (ulimit -f) with SIGXFSZ
# ignored, so that write() fails with EFBIG after the first bytes; or a
# later output of the same run that cannot be created.
#   atomic.sh LLMROOF CONFIG
set -u
llmroof=$1
config=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
old="old content, must survive"

# limited CMD...: runs CMD with files limited to 1 KiB (ulimit -f counts
# 512-byte blocks in sh and 1024-byte blocks in bash: 2 or 1).
limited() {
    (trap '' XFSZ; ulimit -f 1; exec "$@") >"$dir/out" 2>"$dir/err"
}

# check NAME TARGET...: after a failed run, each target holds $old (when it
# was made before) or does not exist, and no temporary file is left.
check() {
    name=$1
    rc=$2
    shift 2
    if [ "$rc" = 0 ]; then
        echo "FAIL: $name: the run did not fail"; fail=1
    fi
    for t in "$@"; do
        case $t in
        new:*) f=${t#new:}
            [ -e "$f" ] && { echo "FAIL: $name: $f was created"; fail=1; } ;;
        *) [ "$(cat "$t" 2>/dev/null)" = "$old" ] || { echo "FAIL: $name: $t was changed"; fail=1; } ;;
        esac
    done
    if ls "$dir" | grep -q '\.tmp\.'; then
        echo "FAIL: $name: a temporary file was left:"; ls "$dir"; fail=1
    fi
    [ $fail = 0 ] && echo "ok: $name: exit $rc, $(head -1 "$dir/err")"
}

# -o FILE of the table/csv/json writer (cli/out.c): estimate's output is
# about 4 KiB, beyond the limit.
printf '%s' "$old" > "$dir/est.txt"
limited "$llmroof" estimate "$config" -o "$dir/est.txt"
check "estimate -o (existing)" $? "$dir/est.txt"
limited "$llmroof" estimate "$config" --format json -o "$dir/new.json"
check "estimate -o (new)" $? "new:$dir/new.json"

# A search shard (-o of one shard's csv): the same writer, the file that
# --merge reads.
printf '%s' "$old" > "$dir/shard0.csv"
limited "$llmroof" search --config "$config" --gpus 8 --shard 0/2 --format csv -o "$dir/shard0.csv"
check "search --shard -o" $? "$dir/shard0.csv"

# dag: -o FILE.dot (cgraph's writer), and -o with --svg and --png, all or
# nothing: the PNG's folder does not exist, so neither the DOT nor the SVG
# may appear or change.
printf '%s' "$old" > "$dir/g.dot"
limited "$llmroof" dag "$config" -o "$dir/g.dot"
check "dag -o" $? "$dir/g.dot"
printf '%s' "$old" > "$dir/g.dot"
"$llmroof" dag "$config" -o "$dir/g.dot" --svg "$dir/g.svg" --png "$dir/nowhere/g.png" >"$dir/out" 2>"$dir/err"
check "dag -o --svg --png (png fails)" $? "$dir/g.dot" "new:$dir/g.svg"
"$llmroof" dag "$config" --svg "$dir/g.svg" --png "$dir/nowhere/g.png" >"$dir/out" 2>"$dir/err"
rc=$?
[ -s "$dir/out" ] && { echo "FAIL: dag to stdout: the DOT was printed though the run failed"; fail=1; }
check "dag --svg --png to stdout (png fails)" $rc "new:$dir/g.svg"
printf '%s' "$old" > "$dir/g.svg"
limited "$llmroof" dag "$config" --svg "$dir/g.svg"
check "dag --svg" $? "$dir/g.svg"
# The synthetic DAG's plain writer.
printf '%s' "$old" > "$dir/syn.dot"
limited "$llmroof" dag --synthetic 1000 -o "$dir/syn.dot"
check "dag --synthetic -o" $? "$dir/syn.dot"

# plot: gnuplot draws into the temporary file. A limit of 8 blocks (4 or
# 8 KiB) lets the data and script through (about 1 KiB each) and stops the
# picture (13 KiB SVG, 60 KiB PNG) part-way; gnuplot still exits 0 then.
if command -v gnuplot >/dev/null 2>&1; then
    printf '%s' "$old" > "$dir/p.png"
    (trap '' XFSZ; ulimit -f 8; exec "$llmroof" plot roofline "$config" -o "$dir/p.png") >"$dir/out" 2>"$dir/err"
    check "plot -o PNG" $? "$dir/p.png"
    (trap '' XFSZ; ulimit -f 8; exec "$llmroof" plot pipeline "$config" -o "$dir/p.svg") >"$dir/out" 2>"$dir/err"
    check "plot -o SVG (new)" $? "new:$dir/p.svg"
else
    echo "skipped: plot (no gnuplot)"
fi

# validate gemm -o PROFILE.cfg (the fitted profile, cli/cmd_validate.c):
# the shortest run (--quick, one thread) still times GEMMs for a while.
printf '%s' "$old" > "$dir/prof.cfg"
(trap '' XFSZ; ulimit -f 1; exec "$llmroof" validate gemm --quick --threads 1 -o "$dir/prof.cfg" --format csv) \
    >/dev/null 2>"$dir/err"
check "validate gemm -o" $? "$dir/prof.cfg"

# A full stdout is an error too (jq's rule), not a silent success.
if [ -w /dev/full ]; then
    "$llmroof" estimate "$config" > /dev/full 2>"$dir/err"
    rc=$?
    [ $rc = 1 ] || { echo "FAIL: stdout on /dev/full: exit $rc, want 1"; fail=1; }
fi
exit $fail
