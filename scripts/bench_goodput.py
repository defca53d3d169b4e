#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The goodput search's speed (issue 19 item 7: configurations evaluated
per second per core in the analytic mode). Llama-3-70B (CONFIG) on H100,
SLOs TTFT p90 <= 1 s and ITL p90 <= 50 ms, one thread, the best 1:
aggregated on 64 GPUs (plans x chunk x max_batch), with the screen
(analysis/goodput_screen.c, the default) and with --exhaustive (every
goodput exact), and disaggregated on 256 (x the prefill:decode splits).
Prints, for each, the median over REPS runs of the configurations
evaluated per CPU-second (plans_per_cpu_s of the search
record: the rate per core, which a shared machine's other programs do not
inflate) and of the wall time. Timing only: never a pass/fail test (ctest
label bench).

usage: bench_goodput.py LLMROOF CONFIG [REPS]
"""
import json
import statistics
import subprocess
import sys

CASES = [("aggregated", 64, []), ("aggregated, --exhaustive", 64, ["--exhaustive"]),
         ("disaggregated", 256, ["--disagg"])]


def run(binary, config, gpus, extra):
    out = subprocess.run(
        [binary, "search", config, "--gpus", str(gpus), "--objective", "goodput", "--slo", "ttft_p90<=1",
         "--slo", "itl_p90<=0.05", "--set", "hw.network.cluster.size=1024", "--threads", "1", "--top", "1",
         "--quiet", "--format", "json"] + extra,
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)["search"]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, config = sys.argv[1], sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    for name, gpus, extra in CASES:
        runs = [run(binary, config, gpus, extra) for _ in range(reps)]
        rate = statistics.median(r["plans_per_cpu_s"] for r in runs)
        wall = statistics.median(r["seconds"] for r in runs)
        s = runs[0]
        print(f"goodput search, {name}, {gpus} GPUs: {s['evaluated']} configurations evaluated"
              f" ({s.get('screened', 0)} screened; {s['candidates']} candidates, space {s['space']}); median of {reps}:"
              f" {rate / 1e3:.0f} k configurations per CPU-second, wall {wall * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
