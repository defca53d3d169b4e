#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# llmroof serve end to end: one seed gives the same bytes, another seed
# other numbers; a request alone in the engine (a trace of three requests
# 100 s apart) has estimate's TTFT of one prompt; the static batch (16
# requests of 2048 + 256 tokens at once, all prompts in one iteration) has
# estimate's TTFT; and the analytic mode's throughput is the offered load
# (rate x output tokens) below saturation.
#   serve.sh LLMROOF FIXTURES CONFIGS
set -u
llmroof=$1
fx=$2
configs=$3
fail=0
num() { sed -n "s/.*\"$1\": *\([0-9.eE+-]*\).*/\1/p" | head -1; }
close() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= t * b) }'; }

a=$("$llmroof" serve "$fx/serve/small.cfg" --format json 2>&1)
b=$("$llmroof" serve "$fx/serve/small.cfg" --format json 2>&1)
c=$("$llmroof" serve "$fx/serve/small.cfg" --set traffic.seed=43 --format json 2>&1)
[ "$a" = "$b" ] && echo "ok: seed 42 twice, same output" || { echo "FAIL: seed 42 twice, different output"; fail=1; }
[ "$a" != "$c" ] && echo "ok: seed 43 differs" || { echo "FAIL: seed 43 gives seed 42's output"; fail=1; }

s=$("$llmroof" serve "$fx/serve/trace.cfg" --format json | num ttft_p99_s)
e=$("$llmroof" estimate "$fx/serve/trace.cfg" --set workload.batch=1 --set workload.seq_len=512 --format json | num ttft_s)
close "$s" "$e" 1e-9 && echo "ok: a lone request's TTFT $s s = estimate's $e s" ||
    { echo "FAIL: a lone request's TTFT $s s, estimate's $e s"; fail=1; }

s=$("$llmroof" serve "$configs/llama3-70b-tp8.cfg" --concurrency 16 --requests 16 --set engine.max_tokens=32768 \
    --format json | num ttft_p50_s)
e=$("$llmroof" estimate "$configs/llama3-70b-tp8.cfg" --format json | num ttft_s)
close "$s" "$e" 1e-12 && echo "ok: static batch TTFT $s s = estimate's $e s" ||
    { echo "FAIL: static batch TTFT $s s, estimate's $e s"; fail=1; }

# 3 requests/s x 256 output tokens = 768 tokens/s.
s=$("$llmroof" serve "$configs/llama3-70b-tp8.cfg" --rate 3 --analytic --format json | num tokens_per_s)
close "$s" 768 1e-12 && echo "ok: analytic throughput $s tok/s = 3 x 256" ||
    { echo "FAIL: analytic throughput $s tok/s, want 768"; fail=1; }
exit $fail
