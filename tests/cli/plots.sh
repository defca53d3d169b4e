#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every kind of `llmroof plot` (10) as PNG and SVG: the file must exist and be a
# valid, non-empty picture (PNG signature; SVG root element closed). Without
# gnuplot: exit 1, the package to install named, and no file left behind.
#   plots.sh LLMROOF CONFIG
set -u
llmroof=$1
config=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
# The analyses' plots read the csv of their command.
"$llmroof" sensitivity "$config" --format csv -o "$dir/sensitivity.csv" || fail=1
"$llmroof" sweep "$config" --vary workload.batch=1:64:x4 --vary parallel.tp=4,8 --metrics tpot_s --format csv \
    -o "$dir/sweep.csv" || fail=1
"$llmroof" compare "$config" --hw a100-sxm,h100-sxm,b200 --format csv -o "$dir/compare.csv" || fail=1
"$llmroof" validate published --format csv -o "$dir/validation.csv" || fail=1
# The reliability table by hand (the real one takes a cross-validation run,
# which tests/cli/validate_cv.sh and the bench make): the plot is what is
# tested here.
printf 'stated,observed_cv,observed_insample\n10,9.5,11.25\n50,57.8,59.8\n80,80.3,89.9\n95,84.8,97.9\n' \
    > "$dir/calibration.csv"
"$llmroof" comm all_reduce --sweep --group 8 --hw h100-sxm --format csv -o "$dir/comm.csv" || fail=1
"$llmroof" frontier "$config" --gpus 8 --hw h100-sxm,b200 --format csv -o "$dir/frontier.csv" || fail=1
for kind in roofline pipeline breakdown sensitivity sweep compare validation comm calibration frontier; do
    input=$config
    [ -f "$dir/$kind.csv" ] && input=$dir/$kind.csv
    for ext in png svg; do
        out="$dir/$kind.$ext"
        if ! "$llmroof" plot "$kind" "$input" -o "$out" 2> "$dir/err"; then
            echo "FAIL: $kind.$ext: $(cat "$dir/err")"; fail=1; continue
        fi
        size=$(wc -c < "$out")
        if [ "$ext" = png ]; then
            sig=$(head -c 8 "$out" | od -An -tx1 | tr -d ' \n')
            [ "$sig" = 89504e470d0a1a0a ] || { echo "FAIL: $kind.png: not a PNG ($sig)"; fail=1; continue; }
        else
            grep -q '<svg' "$out" && grep -q '</svg>' "$out" || { echo "FAIL: $kind.svg: not an SVG"; fail=1; continue; }
        fi
        [ "$size" -gt 2000 ] || { echo "FAIL: $kind.$ext: only $size bytes"; fail=1; continue; }
        echo "ok: $kind.$ext ($size bytes)"
    done
done
# plot comm: a line per chosen algorithm/protocol and, for 8 H100s in one
# node, the measured points of the corpus (Azure's sweep) as the last block.
if "$llmroof" plot comm "$dir/comm.csv" -o "$dir/c2.png" --data "$dir/cd" 2> "$dir/err"; then
    grep -q "^bname\[1\] = 'ring/ll'" "$dir/cd/comm.vars.gp" || { echo "FAIL: comm: no ring/ll line"; fail=1; }
    grep -q '^nmeasured = [1-9]' "$dir/cd/comm.vars.gp" || { echo "FAIL: comm: no measured points"; fail=1; }
else
    echo "FAIL: comm --data: $(cat "$dir/err")"; fail=1
fi
# No gnuplot: a clear error and no partial file.
LLMROOF_GNUPLOT=/nonexistent/gnuplot "$llmroof" plot roofline "$config" -o "$dir/none.png" 2> "$dir/err"
rc=$?
want="llmroof: plot: cannot run '/nonexistent/gnuplot' (No such file or directory): install gnuplot, e.g. 'apt-get install gnuplot-nox'"
if [ $rc -ne 1 ] || [ "$(cat "$dir/err")" != "$want" ]; then
    echo "FAIL: without gnuplot: exit $rc, stderr: $(cat "$dir/err")"; fail=1
fi
if ls "$dir" | grep -q none; then
    echo "FAIL: a partial file was left: $(ls "$dir")"; fail=1
fi
[ $fail = 0 ] && echo "ok: without gnuplot"
exit $fail
