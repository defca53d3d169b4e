#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The plan search's speed over the wide training space (GPT-3 175B on
1,024 A100s: tp, cp, pp, dp, microbatches, sp, vp, recompute, ZeRO,
dp_overlap). Prints, for 1 and 2 threads, the median over REPS runs of the
plans evaluated per CPU-second of the threads (plans_per_cpu_s: the rate per
core; on a shared machine the wall clock counts other programs' work too),
of the wall-clock rates, and the ratio of the 1- and 2-thread wall times.
Timing only: never a pass/fail test (ctest label bench).

usage: bench_search.py LLMROOF CONFIG [GPUS [REPS]]
"""
import json
import statistics
import subprocess
import sys


def run(binary, config, gpus, threads):
    out = subprocess.run(
        [binary, "search", "--config", config, "--gpus", str(gpus), "--threads", str(threads), "--top", "1",
         "--quiet", "--format", "json"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)["search"]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, config = sys.argv[1], sys.argv[2]
    gpus = int(sys.argv[3]) if len(sys.argv) > 3 else 1024
    reps = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    wall = {}
    for threads in (1, 2):
        runs = [run(binary, config, gpus, threads) for _ in range(reps)]
        med = {k: statistics.median(r[k] for r in runs)
               for k in ("seconds", "cpu_seconds", "plans_per_s", "plans_per_cpu_s", "candidates_per_s")}
        wall[threads] = med["seconds"]
        s = runs[0]
        print(f"threads {threads}: space {s['space']}, candidates {s['candidates']}, evaluated {s['evaluated']}"
              f" (the rest removed by memory pruning unevaluated); median of {reps}:"
              f" wall {med['seconds']:.3f} s, CPU {med['cpu_seconds']:.3f} s,"
              f" {med['plans_per_cpu_s'] / 1e3:.0f} k plans per CPU-second,"
              f" {med['plans_per_s'] / 1e3:.0f} k plans/s and {med['candidates_per_s'] / 1e3:.0f} k candidates/s"
              f" wall")
    print(f"1 vs 2 threads: wall time ratio {wall[1] / wall[2]:.2f} (2.00 is linear)")


if __name__ == "__main__":
    main()
