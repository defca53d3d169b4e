#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# llmroof check on hostile input: binary junk, huge numbers, unbalanced and
# deeply nested parentheses, a 10 MB file, an empty file. Each must end with
# exit 0 (findings, no error) or 4 (errors found), print no sanitizer or
# crash output, and finish (ctest's TIMEOUT catches a hang).
#   robust.sh LLMROOF CONFIG
set -u
llmroof=$1
config=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

: > "$dir/empty.md"
# Deterministic junk: every byte value, NULs included, 64 times over.
awk 'BEGIN { for (r = 0; r < 64; r++) for (i = 0; i < 256; i++) printf "%c", (i * 7 + r) % 256 }' > "$dir/junk.bin"
printf 'Get_Time(1e400, 5, 5)\nGet_Time(99999999999999999999999999999999, 8192, 8192)\nTotal = 1e308 x 1e308 x Get_Time(1, 1, 1)\n' > "$dir/huge.md"
printf 'Get_Time(1024, 2048, (5\nTotal = ((Get_Time(1, 2, 3) + 4\nmax(Get_Time(1,2,3)\n]]]) = Get_Time(3,3,3)\nGet_Time(,,)\nGet_Time(1,2)\nGet_Time(a b c, 1, 1)\n' > "$dir/unbalanced.md"
awk 'BEGIN { printf "Deep = "; for (i = 0; i < 200; i++) printf "("; printf "2 x Get_Time(5, 6, 7)"; for (i = 0; i < 200; i++) printf ")"; printf "\n"; printf "Total = "; for (i = 0; i < 20000; i++) printf "("; printf "Get_Time(1, 2, 3)"; for (i = 0; i < 20000; i++) printf ")"; printf "\n"; printf "T2 = max("; for (i = 0; i < 3000; i++) printf "max(Get_Time(1,2,3), "; printf "1"; for (i = 0; i < 3001; i++) printf ")"; printf "\n"; printf "T3 = 1"; for (i = 0; i < 5000; i++) printf " x 2"; printf " x Get_Time(4,4,4)\n" }' > "$dir/nested.md"
yes "Total = 3 x Get_Time(1024x10000, 8192, 1024) + Get_Time(10,240,000, 8192, 128) // TTFT: 2 s, 10B parameter model, 99% memory" | head -c 10000000 > "$dir/big.md"

for f in empty.md junk.bin huge.md unbalanced.md nested.md big.md; do
    for cfg in "" "--config $config"; do
        # shellcheck disable=SC2086
        "$llmroof" check "$dir/$f" $cfg --format csv > "$dir/out" 2> "$dir/err"
        rc=$?
        if [ $rc -ne 0 ] && [ $rc -ne 4 ]; then
            echo "FAIL: $f ${cfg:+with config}: exit $rc"; cat "$dir/err"; fail=1
        elif [ -s "$dir/err" ]; then
            echo "FAIL: $f ${cfg:+with config}: unexpected stderr"; cat "$dir/err"; fail=1
        else
            echo "ok: $f ${cfg:+with config}: exit $rc, $(wc -l < "$dir/out") finding line(s)"
        fi
    done
done
grep -q 'no Get_Time(m, k, n) calls found' "$dir/out" 2>/dev/null || true
"$llmroof" check "$dir/unbalanced.md" --format csv > "$dir/out" 2>&1
grep -q 'unbalanced parentheses: the call does not close' "$dir/out" || { echo "FAIL: no unbalanced finding"; fail=1; }
"$llmroof" check "$dir/nested.md" --format csv > "$dir/out" 2>&1
grep -q 'nested too deeply' "$dir/out" || { echo "FAIL: no nesting finding"; fail=1; }
"$llmroof" check "$dir/junk.bin" --format csv > "$dir/out" 2>&1
grep -q 'NUL bytes' "$dir/out" || { echo "FAIL: no binary finding"; fail=1; }
exit $fail
