#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rows of validation/data/corpus/gemm.csv read from AIConfigurator's
GEMM database (ai-dynamo/aiconfigurator@095f58a51c4ca8e61b66ec108d86f223f8d559ce),
printed in that file's columns, one per line (CRLF, as the corpus files).

The same grid and the same filter as scripts/aic_gemm_check.py (whose FILES,
M and NK this reads): the bf16 rows of the newest TensorRT-LLM table per
GPU, m in {1, 8, 64, 256, 1024, 4096, 8192}, n and k in {1024, 4096, 8192,
16384}, the weight (2 n k bytes) at least twice the GPU's L2 so that the
collector's single weight copy is read from memory (its docstring says
why). Each value is the table's latency (ms per GEMM) times 1000, printed
with the digits the table stores; nothing is rounded or interpolated.
The last column (overhead_us) is the harness's own floor: the table's
fastest bf16 GEMM (m <= 16, n and k of 32-128: no work to speak of),
replayed from the same CUDA graph, which validation/published_gemm.c
takes for the per-kernel overhead that the profiles set from launches
timed one by one.

usage: aic_gemm_rows.py CSV_DIR >> validation/data/corpus/gemm.csv
  CSV_DIR as for aic_gemm_check.py (parquet_min.py's output per table).
"""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aic_gemm_check import FILES, M, NK  # noqa: E402
from decimal import Decimal  # noqa: E402

COMMIT = '095f58a51c4ca8e61b66ec108d86f223f8d559ce'
DATA = 'aic-core/src/aiconfigurator_core/systems/data'
# The table's directory and the GPU cell (validation/gpu_names.c reads the
# start of it; the table's own device string follows in brackets).
TABLES = {
    'a100-sxm': ('a100_sxm', 'A100-SXM4-80GB (NVIDIA A100-SXM4-80GB)'),
    'h100-sxm': ('h100_sxm', 'H100-SXM5-80GB (NVIDIA H100 80GB HBM3)'),
    'h200': ('h200_sxm', 'H200-SXM-141GB (NVIDIA H200)'),
    'b200': ('b200_sxm', 'B200 (NVIDIA B200)'),
    'gb200': ('gb200', 'GB200 (NVIDIA GB200)'),
    'l40s': ('l40s', 'L40S (NVIDIA L40S)'),
    'rtx-pro-6000': ('rtx_pro_6000_server', 'RTX PRO 6000 Blackwell Server Edition'),
}
NOTES = ('TensorRT-LLM Linear without quantization (torch_flow: torch matmul); CUDA graph of one GEMM, '
         '6 replays timed after 3 eager calls and 3 replays (collector/helper.py benchmark_with_power); '
         'weight at least twice L2: one copy (collector/trtllm/collect_gemm.py outside_loop_count)')


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = csv.writer(sys.stdout, lineterminator='\r\n')
    for hw, (name, l2) in FILES.items():
        path = os.path.join(sys.argv[1], name + '.csv')
        if not os.path.exists(path):
            sys.exit(f'{path}: missing (parquet_min.py of {name}\'s gemm_perf.parquet)')
        table, gpu = TABLES[hw]
        version = name.split('__')[2]
        locator = f'{DATA}/{table}/gemm/trtllm/{version}/gemm_perf.parquet (gemm_dtype bfloat16, op gemm, torch_flow)'
        seen, found, floor = set(), [], None
        with open(path, newline='') as f:
            for r in csv.DictReader(f):
                m, n, k = int(r['m']), int(r['n']), int(r['k'])
                if r['gemm_dtype'] == 'bfloat16' and (floor is None or Decimal(r['latency']) < floor[0]):
                    floor = (Decimal(r['latency']), m, n, k)
                if r['gemm_dtype'] != 'bfloat16' or m not in M or n not in NK or k not in NK or 2 * n * k < 2 * l2:
                    continue
                if (m, n, k) in seen:
                    sys.exit(f'{path}: ({m}, {n}, {k}) twice')
                seen.add((m, n, k))
                us = format((Decimal(r['latency']) * 1000).normalize(), 'f')  # ms -> us, exact in decimal
                found.append((m, n, k, us))
        floor_us = format((floor[0] * 1000).normalize(), 'f')
        notes = NOTES + f'; overhead_us: the table\'s fastest bf16 GEMM (m={floor[1]} n={floor[2]} k={floor[3]}), its graph floor'
        for m, n, k, us in sorted(found):
            out.writerow([f'AIC-{hw}-bf16-{m}-{n}-{k}', f'ai-dynamo/aiconfigurator@{COMMIT}', locator,
                          f'TensorRT-LLM {version} (other versions not stated in the table)', gpu, 'cuBLASLt', 'bf16',
                          m, n, k, 1, '', us, 'high', '', notes, 6, floor_us])


if __name__ == '__main__':
    main()
