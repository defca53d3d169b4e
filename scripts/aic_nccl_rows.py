#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The NVLink-node rows of validation/data/corpus/collectives.csv read from
AIConfigurator's NCCL tables (ai-dynamo/aiconfigurator@095f58a51c4ca8e61b66ec108d86f223f8d559ce,
aic-core/src/aiconfigurator_core/systems/data/<gpu>/comm/nccl/<version>/nccl_perf.parquet,
read to CSV by scripts/parquet_min.py), in that file's columns (CRLF, as the
corpus files), one per line. The PCIe cards' rows (L40S, RTX PRO 6000)
were taken before, in the same form.

The collector (collector/network/collect_nccl.py) runs one nccl-tests
process per size, `<op>_perf -b S -e S -t N -d half -w 40 -a 1 -n 100 -c 0`
(-n 60 above 16 MiB): one process, N threads of one GPU each, GPUs 0..N-1
of one node; it stores the out-of-place time column of the first row, in
ms, and the size in elements (bytes = 2 x it for half). Taken: the newest
table per GPU (A100 SXM 2.27.3, whose collection_meta.yaml says
'provenance: legacy'; H100 SXM, H200, B200, GB200 2.29.2), the half rows of
all_gather, all_reduce and reduce_scatter on 2, 4 and 8 GPUs (GB200: 2 and
4, a tray's NVLink domain as the table has it), every size (512 B to
512 MiB). Each time is the table's latency times 1000, exact in decimal.

usage: aic_nccl_rows.py CSV_DIR >> validation/data/corpus/collectives.csv
  CSV_DIR holds <table>.csv (parquet_min.py of each nccl_perf.parquet):
  a100_sxm.csv, h100_sxm.csv, h200_sxm.csv, b200_sxm.csv, gb200.csv.
"""
import csv
import os
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aic_gemm_rows import COMMIT, DATA  # noqa: E402
# table -> (case prefix, NCCL version, GPU cell, interconnect cell)
TABLES = {
    'a100_sxm': ('A100', '2.27.3', 'A100-SXM4-80GB', 'NVLink3/NVSwitch (systems/a100_sxm.yaml: 8 GPUs per node)'),
    'h100_sxm': ('H100', '2.29.2', 'H100 80GB HBM3', 'NVLink4/NVSwitch (systems/h100_sxm.yaml: 8 GPUs per node)'),
    'h200_sxm': ('H200', '2.29.2', 'H200 141GB', 'NVLink4/NVSwitch (systems/h200_sxm.yaml: 8 GPUs per node)'),
    'b200_sxm': ('B200', '2.29.2', 'B200', 'NVLink5/NVSwitch (systems/b200_sxm.yaml: 8 GPUs per node)'),
    'gb200': ('GB200', '2.29.2', 'GB200', 'NVLink5 (systems/gb200.yaml: 4 GPUs per node, 72 per rack; the table has 2 and 4, one node)'),
}
OPS = {'all_gather': 'ag', 'all_reduce': 'ar', 'reduce_scatter': 'rs'}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = csv.writer(sys.stdout, lineterminator='\r\n')
    for table, (prefix, version, gpu, link) in TABLES.items():
        path = os.path.join(sys.argv[1], table + '.csv')
        if not os.path.exists(path):
            sys.exit(f'{path}: missing (parquet_min.py of {table}\'s nccl_perf.parquet)')
        found, seen = [], set()
        with open(path, newline='') as f:
            for r in csv.DictReader(f):
                if r['op_name'] not in OPS or r['nccl_dtype'] != 'half' or r['version'] != version:
                    continue
                n, size = int(r['num_gpus']), 2 * int(r['message_size'])
                key = (r['op_name'], n, size)
                if key in seen:
                    sys.exit(f'{path}: {key} twice')
                seen.add(key)
                us = format((Decimal(r['latency']) * 1000).normalize(), 'f')
                found.append((r['op_name'], n, size, us))
        for op, n, size, us in sorted(found):
            iters = 100 if size <= 16777216 else 60
            locator = (f'{DATA}/{table}/comm/nccl/{version}/nccl_perf.parquet (rows op_name={op} nccl_dtype=half '
                       f'num_gpus={n}); collector/network/collect_nccl.py')
            notes = (f'one nccl-tests process per size: {op}_perf -b S -e S -t {n} -d half -w 40 -a 1 -n {iters} -c 0; '
                     'time = the out-of-place time column of its first row, stored as latency in ms (message_size in '
                     'elements: bytes = 2 x it); one run per size; NCCL defaults; GPUs 0..N-1 of one node')
            out.writerow([f'AIC-{prefix}-{n}g-{OPS[op]}-{size}', f'ai-dynamo/aiconfigurator@{COMMIT}', locator,
                          f'NCCL {version} (the table\'s version; nccl-tests version not recorded)', gpu, n, 1, link,
                          op, 'out_of_place', 'fp16', size, us, '', '', '', '', '', 'medium', notes])


if __name__ == '__main__':
    main()
