#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# search --objective goodput end to end (docs/serving.md, "The goodput
# search"), on the serve fixture (Llama-3-8B on H100, prompts of 1000 and
# outputs of 200 tokens on average, chunk 1024, max_batch 64):
# - by hand: at 2 requests/s `serve --analytic` reads an ITL of L s, its
#   iterations holding np = ceil(lambda t 1000) prompt tokens (16 with the
#   profiles of 2026-12-06) and b = round(lambda t 199) = 3 decodes. The
#   steady state keeps those counts, so the same iteration of L s, while
#   x = lambda t, the requests an iteration takes in, stays in
#   ((np - 1) / 1000, np / 1000]: up to np / 1000 / L requests/s. Beyond,
#   np + 1 prompt tokens make the iteration longer. Under
#   --slo 'itl_mean<=L' the goodput is np / 1000 / L (2.045), and
#   serve agrees on both sides of it (0.1% below: serve --analytic bisects
#   for its fixed point, which can step over the narrow interval of fixed
#   points that the last 1e-4 below a count's step leaves; the search
#   takes the least fixed point, docs/serving.md);
# - an SLO nothing meets gives goodput 0, never NaN; one that only some
#   plans meet ranks the zeros last;
# - goodput-per-dollar is the goodput per GPU over the GPU's price;
# - --threads 1, 2 and 3 give the same bytes, aggregated and --disagg;
# - the screen keeps the best K of --exhaustive, byte for byte;
# - no non-finite number anywhere.
#   search_goodput.sh LLMROOF FIXTURES
set -u
bin=$1
fx=$2
cfg=$fx/serve/small.cfg
fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ok() { echo "ok: $1"; }
bad() {
    echo "FAIL: $1"
    fail=1
}
# col FILE NAME [ROW]: the csv cell of column NAME in data row ROW (1).
col() { awk -F, -v n="$2" -v r="${3:-1}" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i } NR == r + 1 { print $h[n] }' "$1"; }
close() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= t * b) }'; }
serve_itl() { "$bin" serve "$cfg" --analytic --rate "$1" --format csv >"$dir/s.csv" && col "$dir/s.csv" itl_mean_s; }

L=$(serve_itl 2)
"$bin" search "$cfg" --gpus 1 --objective goodput --slo "itl_mean<=$L" --fix chunk=1024 --fix max_batch=64 \
    --format csv --quiet >"$dir/hand.csv"
g=$(col "$dir/hand.csv" goodput_requests_per_s)
np=$(awk -v l="$L" 'BEGIN { x = 2 * l * 1000; n = int(x); if (n < x) n++; print n }')
want=$(awk -v l="$L" -v n="$np" 'BEGIN { printf "%.17g", n / 1000 / l }')
close "$g" "$want" 1e-6 && ok "goodput $g = $np / 1000 / $L = $want requests/s" ||
    bad "goodput $g, want $np / 1000 / $L = $want"
[ "$(col "$dir/hand.csv" bound)" = "itl_mean<=$L" ] && ok "bound by the ITL SLO" || bad "bound $(col "$dir/hand.csv" bound)"
below=$(serve_itl "$(awk -v g="$g" 'BEGIN { printf "%.17g", g * (1 - 1e-3) }')")
above=$(serve_itl "$(awk -v g="$g" 'BEGIN { printf "%.17g", g * (1 + 1e-4) }')")
awk -v a="$below" -v l="$L" 'BEGIN { exit !(a <= l * (1 + 1e-9)) }' && ok "serve just below the goodput: ITL $below <= $L" ||
    bad "serve just below the goodput: ITL $below > $L"
awk -v a="$above" -v l="$L" 'BEGIN { exit !(a > l * (1 + 1e-9)) }' && ok "serve just above the goodput: ITL $above > $L" ||
    bad "serve just above the goodput: ITL $above <= $L"

# No rate meets 1 us of TTFT: goodput 0 everywhere, exit 0.
if "$bin" search "$cfg" --gpus 2 --objective goodput --slo 'ttft_mean<=1e-6' --top 1000 --format csv --quiet \
    >"$dir/none.csv"; then
    nz=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i } NR > 1 && $h["goodput_requests_per_s"] != 0' \
        "$dir/none.csv" | wc -l)
    n=$(($(wc -l <"$dir/none.csv") - 1))
    [ "$nz" -eq 0 ] && [ "$n" -gt 0 ] && ok "infeasible SLO: $n configurations, goodput 0" ||
        bad "infeasible SLO: $nz of $n configurations with goodput"
else
    bad "infeasible SLO: search failed"
fi
# ITL within 6 ms: tensor parallel 2 and 4 meet it, tp 1 never: its zeros
# come after every positive goodput.
"$bin" search "$cfg" --gpus 4 --objective goodput --slo 'itl_mean<=0.006' --top 1000 --format csv --quiet \
    >"$dir/mixed.csv"
order=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
    NR > 1 { z = $h["goodput_requests_per_s"] == 0; if (z) zeros++; else if (zeros) late++; else pos++;
             if (z && $h["tp"] != 1) wrong++ }
    END { print pos + 0, zeros + 0, late + 0, wrong + 0 }' "$dir/mixed.csv")
set -- $order
[ "$1" -gt 0 ] && [ "$2" -gt 0 ] && [ "$3" -eq 0 ] && [ "$4" -eq 0 ] &&
    ok "partly infeasible: $1 positive, then $2 zeros (all tp 1)" || bad "partly infeasible: positive, zeros, late, not tp 1: $order"

# Per dollar: the same plans, the goodput per GPU over the price per GPU-hour.
"$bin" search "$cfg" --gpus 4 --objective goodput-per-dollar --slo 'itl_mean<=0.006' --top 3 --format csv --quiet \
    --set hw.price.usd_per_hour=2.5 >"$dir/usd.csv"
a=$(col "$dir/usd.csv" goodput_per_usd_hour)
b=$(col "$dir/usd.csv" goodput_per_gpu)
close "$a" "$(awk -v b="$b" 'BEGIN { printf "%.17g", b / 2.5 }')" 1e-12 && ok "per USD/hour $a = $b / 2.5" ||
    bad "per USD/hour $a, per GPU $b, price 2.5"
[ "$(col "$dir/usd.csv" objective_value)" = "$a" ] && ok "ranked by it" || bad "objective_value is not goodput_per_usd_hour"

# One output whatever the threads.
for t in 1 2 3; do
    "$bin" search "$cfg" --gpus 8 --objective goodput --slo 'ttft_p90<=0.5' --slo 'itl_p90<=0.02' --top 20 \
        --threads $t --format csv --quiet >"$dir/a$t.csv"
    "$bin" search "$cfg" --gpus 8 --objective goodput --slo 'ttft_p90<=0.5' --slo 'e2e_mean<=4' --disagg --top 20 \
        --threads $t --format csv --quiet >"$dir/d$t.csv"
done
cmp -s "$dir/a1.csv" "$dir/a2.csv" && cmp -s "$dir/a1.csv" "$dir/a3.csv" && ok "1, 2, 3 threads: same bytes" ||
    bad "1, 2, 3 threads differ"
cmp -s "$dir/d1.csv" "$dir/d2.csv" && cmp -s "$dir/d1.csv" "$dir/d3.csv" &&
    ok "1, 2, 3 threads, --disagg: same bytes" || bad "1, 2, 3 threads differ (--disagg)"
[ "$(col "$dir/d1.csv" prefill)" -ge 1 ] && ok "--disagg: a prefill:decode split ranks first" || bad "--disagg: no split"

# The screen (analysis/goodput_screen.c) drops plans it shows below the
# best K found so far: the best K are those of --exhaustive (every
# goodput exact), byte for byte, aggregated under three SLO sets, and it
# did screen some (json "screened"); --exhaustive screens none.
same=0
for k in 1 5; do
    for slos in "--slo ttft_p90<=0.5 --slo itl_p90<=0.02" "--slo itl_mean<=0.006" "--slo tpot_mean<=0.01 --slo e2e_p99<=3"; do
        # shellcheck disable=SC2086
        "$bin" search "$cfg" --gpus 16 --objective goodput $slos --top $k --format csv --quiet >"$dir/s.csv"
        # shellcheck disable=SC2086
        "$bin" search "$cfg" --gpus 16 --objective goodput $slos --top $k --exhaustive --format csv --quiet >"$dir/e.csv"
        if cmp -s "$dir/s.csv" "$dir/e.csv"; then same=$((same + 1)); else bad "screened vs --exhaustive differ: top $k $slos"; fi
    done
done
[ "$same" -eq 6 ] && ok "screened and --exhaustive: the same best K in 6 searches"
screened() { "$bin" search "$cfg" --gpus 16 --objective goodput --slo 'itl_mean<=0.006' --top 1 --format json --quiet "$@" |
    awk -F'[:,]' '/"screened"/ { gsub(/ /, "", $2); print $2 }'; }
n=$(screened)
[ "${n:-0}" -gt 0 ] && ok "screened $n configurations" || bad "screened '${n}' configurations, want some"
[ "$(screened --exhaustive)" = 0 ] && ok "--exhaustive: none screened" || bad "--exhaustive screened $(screened --exhaustive)"

if grep -Eiq 'nan|inf' "$dir"/*.csv; then
    bad "a non-finite number in the output"
else
    ok "every number finite"
fi
exit $fail
