#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The decode-attention rows of validation/data/corpus/attention.csv read
from AIConfigurator's measured attention tables
(ai-dynamo/aiconfigurator@095f58a51c4ca8e61b66ec108d86f223f8d559ce,
aic-core/src/aiconfigurator_core/systems/data/<gpu>/attention/trtllm/<version>/
generation_attention_perf.parquet, read to CSV by scripts/parquet_min.py),
printed in that file's columns (LF), one per line.

Each table row is one decode step of TensorRT-LLM's attention op
(collector/trtllm/collect_attn.py run_attention_torch, is_context_phase
False): batch_size sequences, each with `step` tokens in its paged KV cache
and one new token, whose forward (the QKV preprocessing that applies RoPE
and appends the new K and V, then the decode kernel over every cached key)
is replayed from a CUDA graph, 6 replays timed after warm-ups
(collector/helper.py benchmark_with_power), in ms. The query attends to
step + 1 keys (the cached ones and its own): seqlen_kv.

Taken: the newest TensorRT-LLM table per GPU (H100, H200, B200, GB200,
L40S, RTX PRO 6000 Server: 1.3.0rc20), the kernel_source 'torch_flow' rows
(TensorRT-LLM's own backend, not FlashInfer) with bf16 attention (the
tables have no other), no sliding window, head dim
128, (heads, KV heads) in {(8, 1), (32, 8), (64, 8), (32, 32)}, batch in
{1, 8, 64, 512}, step in {127, 1023, 8191, 65535}, the KV cache in bf16
and fp8, where the KV cache read (2 x batch x seqlen_kv x KV heads x 128 x
its bytes) is at least twice the GPU's L2, so that it streams from memory.
A100's only table (TensorRT-LLM 1.0.0) is not taken: its long rows read
faster than A100's memory allows (up to 1.28 of 2.039 TB/s at step 131071:
another timing or another layout than the newer tables'), which no row
here can explain.

overhead_us: the harness's own floor, the table's fastest 'torch_flow' row
(a batch of one over a few keys: the whole timed region with nothing to
stream), which
validation/published_attn.c takes for the per-kernel overhead.

usage: aic_decode_rows.py CSV_DIR >> validation/data/corpus/attention.csv
  CSV_DIR holds <gpu>_gen.csv (parquet_min.py of each GPU's
  generation_attention_perf.parquet).
"""
import csv
import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aic_gemm_check import FILES  # noqa: E402  (each GPU's L2)
from aic_gemm_rows import COMMIT, DATA, TABLES as GEMM_TABLES  # noqa: E402  (table directory, GPU cell)

# The GPUs whose decode tables are taken (A100's is not: above).
PROFILES = ('h100-sxm', 'h200', 'b200', 'gb200', 'l40s', 'rtx-pro-6000')
HEADS = {(8, 1), (32, 8), (64, 8), (32, 32)}
BATCH = {1, 8, 64, 512}
STEP = {127, 1023, 8191, 65535}
KV = {'bfloat16': ('bf16', 2), 'fp8': ('fp8', 1)}
NOTES = ("TensorRT-LLM attention op, one decode step: QKV preprocessing (RoPE, KV append) and the decode kernel "
         "over step + 1 keys (collector/trtllm/collect_attn.py); CUDA graph, 6 replays after warm-ups "
         "(collector/helper.py benchmark_with_power); paged KV cache; the KV read at least twice L2")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = csv.writer(sys.stdout, lineterminator='\n')
    for hw in PROFILES:
        (table, gpu), l2 = GEMM_TABLES[hw], FILES[hw][1]
        path = os.path.join(sys.argv[1], table + '_gen.csv')
        if not os.path.exists(path):
            sys.exit(f'{path}: missing (parquet_min.py of {table}\'s generation_attention_perf.parquet)')
        found, seen, floor, version = [], set(), None, None
        with open(path, newline='') as f:
            for r in csv.DictReader(f):
                if r['kernel_source'] != 'torch_flow':
                    continue
                lat = Decimal(r['latency'])
                if floor is None or lat < floor[0]:
                    floor = (lat, r['batch_size'], r['step'], r['num_heads'], r['num_key_value_heads'])
                version = r['version']
                b, s, h, kvh, d = (int(r[k]) for k in ('batch_size', 'step', 'num_heads', 'num_key_value_heads',
                                                       'head_dim'))
                if (r['window_size'] != '0' or d != 128 or (h, kvh) not in HEADS or b not in BATCH or
                        s not in STEP or r['attn_dtype'] != 'bfloat16' or r['kv_cache_dtype'] not in KV):
                    continue
                kv, kvbytes = KV[r['kv_cache_dtype']]
                if 2 * b * (s + 1) * kvh * d * kvbytes < 2 * l2:
                    continue
                key = (b, s, h, kvh, kv)
                if key in seen:
                    sys.exit(f'{path}: {key} twice')
                seen.add(key)
                found.append((h, kvh, kv, b, s, format((lat * 1000).normalize(), 'f')))
        floor_us = format((floor[0] * 1000).normalize(), 'f')
        locator = (f'{DATA}/{table}/attention/trtllm/{version}/generation_attention_perf.parquet '
                   f'(op generation_attention, torch_flow)')
        notes = NOTES + (f'; overhead_us: the table\'s fastest row (batch {floor[1]}, step {floor[2]}, '
                         f'{floor[3]}/{floor[4]} heads), its graph floor')
        for h, kvh, kv, b, s, us in sorted(found):
            out.writerow([f'AIC-{hw}-decode-{h}x{kvh}-{kv}-b{b}-s{s}', f'ai-dynamo/aiconfigurator@{COMMIT}', locator,
                          f'TensorRT-LLM {version} (other versions not stated in the table)', gpu,
                          'TensorRT-LLM decode attention', 'bf16', 'decode', b, 1, s + 1, h, kvh, 128, 'no', '', us, '',
                          'high', notes, kv, floor_us])


if __name__ == '__main__':
    main()
