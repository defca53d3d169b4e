#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every key docs/json.md documents for "metrics", "memory" and
# "totals" is in `estimate --format json`, for serving and for training,
# also at extreme but finite inputs (a key whose number jansson cannot
# write, inf or NaN, would vanish: such results are errors instead).
#   json_keys.sh LLMROOF CONFIGS_DIR
bin=$1 configs=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail=0
check() { # LABEL KEYS... (after the command ran into $out)
    label=$1
    shift
    for k in "$@"; do
        if ! grep -q "^ *\"$k\": " "$out"; then
            echo "$label: no key '$k'"
            fail=1
        fi
    done
}
serving="ttft_s tpot_s tokens_per_s tokens_per_s_per_gpu prefill_tokens_per_s decode_time_s request_latency_s
usd_per_mtok joules_per_token weights_bytes kv_bytes activation_bytes total_bytes capacity_bytes used_fraction fits
gemm_flops time_s"
training="step_time_s tokens_per_s tokens_per_s_per_gpu mfu hfu flops_per_gpu model_flops hw_flops train_tokens
time_to_train_s cost_to_train_usd pipeline_s bubble send_s dp_comm_s dp_exposed_s optimizer_s weights_bytes grads_bytes
optimizer_bytes activation_bytes total_bytes capacity_bytes used_fraction fits gemm_flops time_s"
for set in "hw.memory.bandwidth=3.35T" "hw.memory.bandwidth=1k" "hw.compute.bf16=1e9" "hw.gemm.ridge=0.5"; do
    "$bin" estimate --set "$set" --format json >"$out" || { echo "estimate --set $set failed"; fail=1; }
    # shellcheck disable=SC2086
    check "serving, $set" $serving
    "$bin" estimate "$configs/gpt3-175b-train-a100.cfg" --set "$set" --format json >"$out" ||
        { echo "training --set $set failed"; fail=1; }
    # shellcheck disable=SC2086
    check "training, $set" $training
done
exit $fail
