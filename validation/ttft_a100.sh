#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Prefill TTFT against TensorRT-LLM's published batch-1 A100 figures
# (data/inference_measured.csv): prediction, measurement and error per case,
# and the MAPE. A benchmark (ctest label bench), not a pass/fail test.
#   validation/ttft_a100.sh LLMROOF
set -eu
llmroof=$1
here=$(cd "$(dirname "$0")" && pwd)
run() { # case_id config input_len measured_ms
    pred=$("$llmroof" estimate "$here/configs/$2" --set "workload.seq_len=$3" --format json |
        sed -n 's/^ *"ttft_s": \([0-9.e+-]*\),*$/\1/p' | head -1)
    awk -v id="$1" -v p="$pred" -v m="$4" -v n="$3" 'BEGIN {
        e = (p * 1e3 - m) / m
        printf "%-20s input %5d  measured %7.1f ms  predicted %7.1f ms  error %+6.1f%%\n", id, n, m, p * 1e3, 100 * e }'
}
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
{
    run TRT-A100-7B-128 llama2-7b-a100.cfg 128 16
    run TRT-A100-7B-2048 llama2-7b-a100.cfg 2048 133
    run TRT-A100-70B-128 llama2-70b-a100-tp4.cfg 128 47
    run TRT-A100-70B-2048 llama2-70b-a100-tp4.cfg 2048 377
    run TRT-A100-GPTJ-128 gptj-6b-a100.cfg 128 12
    run TRT-A100-GPTJ-2048 gptj-6b-a100.cfg 2048 129
    run TRT-A100-F180-128 falcon-180b-a100-tp8.cfg 128 61
    run TRT-A100-F180-2048 falcon-180b-a100-tp8.cfg 2048 509
} > "$rows"
cat "$rows"
awk '{ e = $NF; sub("%", "", e); if (e < 0) e = -e; s += e; n++ }
    END { printf "MAPE over %d cases: %.1f%%\n", n, s / n }' "$rows"
