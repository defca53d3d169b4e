#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An out-of-sample check of Get_Time against AIConfigurator's GEMM
database (ai-dynamo/aiconfigurator@095f58a51c4ca8e61b66ec108d86f223f8d559ce,
aic-core/src/aiconfigurator_core/systems/data/<gpu>/gemm/<framework>/<version>/
gemm_perf.parquet, read to CSV by scripts/parquet_min.py). Each row is one
GEMM C[m,n] = A[m,k] W[n,k]^T (m tokens, n outputs, k inputs), timed by the
collector from a CUDA graph between two CUDA events, 6 runs after 3
warm-ups, over several weight copies so that the weights are not in L2
(collector/helper.py benchmark_with_power; collector/trtllm/collect_gemm.py),
in ms per GEMM. No value of llmroof was set from these rows.

The copies keep the weights out of L2 only where they outgrow it: the
collector cycles through min(5, ceil(L2 / weight bytes)) copies
(collector/trtllm/collect_gemm.py lines 176-179), about one L2's worth
for a weight under L2, so such a weight is partly read from L2 (the
L40S's 96 MB L2 gives an 8 MB weight 1.3 TB/s and the RTX PRO 6000 a 128
MB one 3.8 TB/s, above their 864 GB/s and 1792 GB/s memories). Only rows
whose weight is at least twice the GPU's L2 are kept (A100 40 MB, H100
and H200 50 MB: NVIDIA's tuning guides as tabled in stas00/ml-engineering
compute/accelerator/README.md; L40S 96 MB, NVIDIA Ada GPU architecture
whitepaper; 128 MB taken as the bound for the Blackwell parts, whose L2
that table does not state).

For each GPU it predicts the bf16 rows of a small grid (m in 1 .. 8192, n
and k in 1024 .. 16384, the weight at least twice L2, below) with `llmroof gettime M K N --dtype bf16` on the
GPU's profile and prints the MAPE, the mean signed error and the worst
row, over all rows and for m <= 64 and m > 64 apart. Timing nothing: a
validation report, never a test.

usage: aic_gemm_check.py LLMROOF CSV_DIR [bf16|fp8]
  CSV_DIR holds <gpu>__<framework>__<version>.csv files (parquet_min.py's
  output, one per gemm_perf.parquet). fp8: the table's per-tensor fp8 rows,
  whose timed region also quantizes the bf16 activations (a kernel of its
  own: collector/trtllm/collect_gemm.py lines 198-201), with the weight
  (1 byte an element) at least twice L2.
"""
import collections
import csv
import json
import os
import statistics
import subprocess
import sys

# Profile -> (the file of the newest collector, L2 bytes). TRT-LLM's
# PyTorch Linear: torch's cuBLASLt for bf16; A100's only TRT-LLM table is
# 1.0.0's.
FILES = {
    'a100-sxm': ('a100_sxm__trtllm__1.0.0', 40e6),
    'h100-sxm': ('h100_sxm__trtllm__1.3.0rc20', 50e6),
    'h200': ('h200_sxm__trtllm__1.3.0rc20', 50e6),
    'b200': ('b200_sxm__trtllm__1.3.0rc20', 128e6),
    'gb200': ('gb200__trtllm__1.3.0rc20', 128e6),
    'l40s': ('l40s__trtllm__1.3.0rc20', 96e6),
    'rtx-pro-6000': ('rtx_pro_6000_server__trtllm__1.3.0rc20', 128e6),
}
M = {1, 8, 64, 256, 1024, 4096, 8192}
NK = {1024, 4096, 8192, 16384}


def rows(path, l2, dtype):
    table = 'bfloat16' if dtype == 'bf16' else 'fp8'
    size = 2 if dtype == 'bf16' else 1
    seen = set()
    with open(path, newline='') as f:
        for r in csv.DictReader(f):
            if r['gemm_dtype'] != table:
                continue
            m, n, k = int(r['m']), int(r['n']), int(r['k'])
            if m in M and n in NK and k in NK and (m, n, k) not in seen and size * n * k >= 2 * l2:
                seen.add((m, n, k))
                yield m, n, k, float(r['latency']) * 1e-3


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] not in ('bf16', 'fp8')):
        sys.exit(__doc__)
    binary, csv_dir = sys.argv[1], sys.argv[2]
    dtype = sys.argv[3] if len(sys.argv) == 4 else 'bf16'
    for hw, (name, l2) in FILES.items():
        path = os.path.join(csv_dir, name + '.csv')
        if not os.path.exists(path):
            print(f'{hw}: {path} missing, skipped')
            continue
        err = collections.defaultdict(list)
        for m, n, k, measured in rows(path, l2, dtype):
            out = subprocess.run([binary, 'gettime', str(m), str(k), str(n), '--hw', hw, '--dtype', dtype,
                                  '--format', 'json'], check=True, capture_output=True, text=True).stdout
            e = json.loads(out)['time_s'] / measured - 1.0
            err['all'].append(e)
            err['m<=64' if m <= 64 else 'm>64'].append(e)
        for part in ('all', 'm<=64', 'm>64'):
            v = err[part]
            if v:
                print(f'{hw:13s} {name:42s} {part:6s} rows {len(v):3d}  MAPE {100 * statistics.mean(abs(x) for x in v):5.1f} %'
                      f'  bias {100 * statistics.mean(v):+6.1f} %  worst {100 * max(v, key=abs):+7.1f} %')


if __name__ == '__main__':
    main()
