#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Accuracy of the collective model against a measured nccl-tests all-reduce
# sweep: MAPE per decade of size, 1 KiB to 16 GiB. A benchmark (ctest label
# bench), not a pass/fail test.
#   validation/allreduce_mape.sh LLMROOF [MEASURED.csv] [HW]
# MEASURED.csv has columns size_bytes,time_us,busbw_GBps (nccl-tests output).
set -eu
llmroof=$1
measured=${2:-$(dirname "$0")/data/allreduce_h100_8gpu.csv}
hw=${3:-h100-sxm}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$llmroof" comm all_reduce --sweep --group 8 --hw "$hw" --format csv > "$tmp"
awk -F, '
  FNR == 1 { next }
  FILENAME == ARGV[1] { pred[$1] = $4 * 1e6; algo[$1] = $2; next }
  {
    size = $1; meas = $2
    if (size < 1024 || !(size in pred)) next
    err = (pred[size] - meas) / meas
    d = int(log(size) / log(10))
    sum[d] += (err < 0 ? -err : err); cnt[d]++
    all += (err < 0 ? -err : err); n++
    printf "%12.0f  %-5s  measured %10.2f us  predicted %10.2f us  error %+6.1f%%\n", size, algo[size], meas, pred[size], 100 * err
  }
  END {
    for (d = 3; d <= 10; d++) if (cnt[d]) printf "decade 1e%d..1e%d B: MAPE %5.1f%% (%d sizes)\n", d, d + 1, 100 * sum[d] / cnt[d], cnt[d]
    printf "all sizes 1 KiB..16 GiB: MAPE %.1f%% (%d sizes)\n", 100 * all / n, n
  }' "$tmp" "$measured"
