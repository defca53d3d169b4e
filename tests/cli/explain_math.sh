#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# --explain shows its arithmetic: for each printed identity the numbers on
# the right must give the number after the last '=' (within the 6 printed
# digits). An explanation whose terms do not add up is wrong however it
# reads. Inference (llama3-70b) and training (GPT-3 175B, with ZeRO 1-3 and
# full recomputation) paths, and the training step's errors.
#   explain_math.sh LLMROOF CONFIGS_DIR
set -u
llmroof=$1
cfgs=$2
inf="$cfgs/llama3-70b-tp8.cfg"
trn="$cfgs/gpt3-175b-train-a100.cfg"
fail=0
# same NAME GOT WANT: GOT within 1e-4 of WANT (relative).
same() {
    if [ -z "$2" ] || [ -z "$3" ] || [ "$3" = 0 ]; then
        echo "FAIL: $1: could not read the numbers (got '$2', terms give '$3')"
        fail=1
        return
    fi
    if awk -v g="$2" -v w="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; s = w < 0 ? -w : w; exit !(d <= 1e-4 * s + 1e-12) }'; then
        echo "ok: $1"
    else
        echo "FAIL: $1: the terms give $3, the explanation says $2"
        fail=1
    fi
}
# line PATH PATTERN [ARGS]: the first line of `estimate --explain PATH` matching PATTERN.
line() {
    p=$1 pat=$2
    shift 2
    "$llmroof" estimate "$@" --explain "$p" 2>&1 | grep -m1 -E -- "$pat"
}
# The numbers of a line after its last '=' but one: "a = 1 x 2 = 3" -> "1 x 2" and "3".
rhs() { printf '%s\n' "$1" | awk -F' = ' '{ print $(NF - 1) }'; }
res() { printf '%s\n' "$1" | awk -F' = ' '{ split($NF, a, " "); print a[1] }'; }
# calc EXPR: the value of an expression of x, /, +, numbers (awk arithmetic).
calc() { printf '%s\n' "$1" | sed 's/ x / * /g; s/(\([^)]*\))/(\1)/g' | awk '{ v = 0; cmd = "awk \"BEGIN { print " $0 " }\""; cmd | getline v; close(cmd); print v }'; }
check() {
    name=$1 l=$2
    if [ -z "$l" ]; then
        echo "FAIL: $name: no such line"
        fail=1
        return
    fi
    same "$name" "$(res "$l")" "$(calc "$(rhs "$l")")"
}

check "tokens_per_s = batch / tpot" "$(line metrics.tokens_per_s '^metrics.tokens_per_s =' "$inf")"
check "request latency = ttft + n x tpot" "$(line metrics.request_latency_s '^metrics.request_latency_s =' "$inf")"
check "usd_per_mtok" "$(line metrics.usd_per_mtok '^metrics.usd_per_mtok =' "$inf")"
check "joules_per_token" "$(line metrics.usd_per_mtok '^metrics.joules_per_token =' "$inf")"
# The peak over the request: each point's weights + KV + activation, and
# the usable memory (capacity x utilization - reserve).
l=$(line memory.total_bytes '^  end of prefill =' "$inf")
check "inference memory at the end of prefill" "$(printf '%s\n' "$l" | sed 's/ B (KV.*//')"
l=$(line memory.total_bytes '^  last generated token =' "$inf")
check "inference memory at the last token" "$(printf '%s\n' "$l" | sed 's/ B (KV.*//')"
l=$(line memory.total_bytes '^memory.usable_bytes =' "$inf")
check "usable memory" "$(printf '%s\n' "$l" | sed 's/ B: .*//')"
l=$(line ops.prefill.dense.q_proj.time_s 'Get_Time' "$inf")
dims=$(printf '%s\n' "$l" | sed 's/.*m=\([0-9]*\), k=\([0-9]*\), n=\([0-9]*\)).*/2 x \1 x \2 x \3/')
f=$(line ops.prefill.dense.q_proj.time_s 'F = 2\*batch' "$inf" | sed 's/.*F = 2\*batch\*m\*k\*n = \([0-9.e+]*\) FLOP.*/\1/')
same "q_proj FLOPs = 2 m k n" "$f" "$(calc "$dims")"

check "training tokens_per_s" "$(line training.tokens_per_s '^training.tokens_per_s =' "$trn" | sed 's/ tokens\/s.*//')"
check "training mfu" "$(line training.mfu '^training.mfu =' "$trn")"
check "training hfu" "$(line training.mfu '^training.hfu =' "$trn")"
check "time to train" "$(line training.time_to_train_s '^training.time_to_train_s =' "$trn" | sed 's/ s (.*//')"
check "cost to train" "$(line training.time_to_train_s '^training.cost_to_train_usd =' "$trn" | sed 's/ USD.*//')"
for z in 0 1 2 3; do
    l=$("$llmroof" estimate "$trn" --set workload.zero=$z --set workload.recompute=full --explain memory.total_bytes 2>&1 |
        sed -n '2p')
    check "training memory, ZeRO-$z" "$(printf '%s\n' "$l" | sed 's/^ *= *//; s/ B (capacity.*//' | sed 's/^/x = /')"
done
"$llmroof" estimate "$trn" --set workload.zero=2 --explain memory.total_bytes 2>&1 |
    grep -q "ZeRO-2 shards optimizer states and gradients over" || { echo "FAIL: ZeRO-2 wording"; fail=1; }
"$llmroof" estimate "$trn" --set workload.recompute=full --explain memory.total_bytes 2>&1 |
    grep -q "+ one layer recomputed whole" || { echo "FAIL: full recomputation wording"; fail=1; }
# The step: its first line's time is the sum on its third.
first=$(line training.step_time_s '^training.step_time_s =' "$trn" | sed 's/^training.step_time_s = \([0-9.e+-]*\) s.*/\1/')
sum=$("$llmroof" estimate "$trn" --explain training.step_time_s 2>&1 | sed -n '3s/^ *= *//p')
same "step = pipeline + exposed dp + optimizer" "$first" "$(calc "$sum")"
# With the optimizer offloaded (ZeRO-Offload): the step's sum, and the
# offload's parts (in this plan the download outlasts the last backward).
off="--set workload.offload=optimizer"
first=$(line training.step_time_s '^training.step_time_s =' "$trn" $off | sed 's/^training.step_time_s = \([0-9.e+-]*\) s.*/\1/')
sum=$("$llmroof" estimate "$trn" $off --explain training.step_time_s 2>&1 | sed -n '3s/^ *= *//p')
same "step = pipeline + exposed dp + offload" "$first" "$(calc "$sum")"
l=$(line training.step_time_s '^  offload ' "$trn" $off)
parts=$(printf '%s\n' "$l" | sed -n 's/.* down \([0-9.e+-]*\) s less the last backward.s \([0-9.e+-]*\) s .* CPU Adam \([0-9.e+-]*\) s .* up \([0-9.e+-]*\) s .*/\1 - \2 + \3 + \4/p')
tot=$(printf '%s\n' "$l" | sed -n 's/^  offload \([0-9.e+-]*\) s .*/\1/p')
same "offload = down - hidden + CPU + up" "$tot" "$(calc "$parts")"

# Every GEMM's FLOPs are 2 x batch x m x k x n, batched experts included;
# every collective's time is its latency terms plus its bandwidth terms.
gemm() {
    out=$("$llmroof" estimate "$1" --explain "$2" 2>&1)
    dims=$(printf '%s\n' "$out" | sed -n 's/.*Get_Time(m=\([0-9]*\), k=\([0-9]*\), n=\([0-9]*\)) x batch \([0-9]*\).*/2 x \4 x \1 x \2 x \3/p')
    f=$(printf '%s\n' "$out" | sed -n 's/.*F = 2\*batch\*m\*k\*n = \([0-9.e+]*\) FLOP.*/\1/p')
    same "$2 FLOPs = 2 batch m k n" "$f" "$(calc "$dims")"
}
gemm "$cfgs/mixtral-8x7b-tp2.cfg" ops.prefill.moe.expert_gate.time_s
gemm "$cfgs/mixtral-8x7b-tp2.cfg" ops.prefill.moe.router.time_s
gemm "$cfgs/mixtral-8x7b-tp2.cfg" ops.decode.moe.expert_down.time_s
comm() {
    l=$("$llmroof" estimate "$1" --explain "$2" 2>&1 | grep -m1 'latency terms')
    parts=$(printf '%s\n' "$l" | sed -n 's/.*latency terms \([0-9.e+-]*\) s + bandwidth terms \([0-9.e+-]*\) s = .*/\1 + \2/p')
    tot=$(printf '%s\n' "$l" | sed -n 's/.* = \([0-9.e+-]*\) s, x .*/\1/p')
    same "$2 = latency + bandwidth" "$tot" "$(calc "$parts")"
}
comm "$inf" ops.prefill.dense.attn_allreduce.time_s
comm "$cfgs/deepseek-v3-like-ep32.cfg" ops.prefill.moe.ep_dispatch.time_s
check "prefill tokens/s" "$(line metrics.prefill_tokens_per_s '^metrics.prefill_tokens_per_s =' "$inf")"

# Errors of the training step's explanations, exactly.
want="llmroof: --explain: 'metrics.ttft_s' is an inference metric and this is a training step (workload.phase = training): try training.step_time_s, training.mfu or memory.total_bytes"
got=$("$llmroof" estimate "$trn" --explain metrics.ttft_s 2>&1)
[ "$got" = "$want" ] && echo "ok: inference metric on a training step" || { echo "FAIL: got: $got"; fail=1; }
want="llmroof: --explain: cannot explain 'training.nosuch' (try training.step_time_s, training.tokens_per_s, training.mfu, training.time_to_train_s, memory.total_bytes, ops.backward.dense.q_proj.wgrad.time_s, or a parameter path)"
got=$("$llmroof" estimate "$trn" --explain training.nosuch 2>&1)
[ "$got" = "$want" ] && echo "ok: unknown training path" || { echo "FAIL: got: $got"; fail=1; }
exit $fail
