#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# One run of `validate published --cv` (the slowest command of the suite,
# about 20 s under ASan), checked for each of its tables: leave-one-source-
# out over the 428 GEMM rows, the sources held out (XLA's 121 rows,
# AIConfigurator's 210 GEMMs, 146 decode steps and 1260 collectives), and the
# low-latency all-to-all rows of the collective corpus (DeepEP's 20 on H800),
# and every case's held-out prediction (as many rows as the cases table);
# with DeepGEMM's rows held out (its one fold on the priors), H800's
# overhead and epilogue sit at their priors: AIConfigurator's H100 graph
# floor, 2.5354666 us, and 1 (validation/gpu_cv.c, gemm-h800).
#   validate_cv.sh LLMROOF
set -u
llmroof=$1
out=$("$llmroof" validate published --cv 2>/dev/null)
rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: validate published --cv exited $rc"; exit 1; }
fail=0
for pat in '^all GEMMs +428 ' '^tensorflow/tensorflow +121 ' '^ai-dynamo/aiconfigurator +356 ' '^all_to_all low_latency +h800 +1 +EP rows +20 ' \
    '^gemm-h800 +h800 +hw\.kernel\.overhead +[0-9.e-]+ +fit +2\.535e-06 +[0-9.e-]+ +1$' \
    '^gemm-h800-terms +h800 +hw\.gemm\.epilogue +[0-9.e-]+ +fit +[0-9.e-]+ +1 +1$'; do
    printf '%s\n' "$out" | grep -Eq "$pat" || { echo "FAIL: no line matching: $pat"; fail=1; }
done
rows_of() { # the rows under section title $1 (its header line included)
    printf '%s\n' "$out" | awk -v t="$1" 'index($0, t) == 1 { f = 1; next } f && /^$/ { exit } f' | wc -l
}
cases=$(rows_of 'Published measurements: predicted vs measured')
held=$(rows_of 'Every case: measured, in sample and predicted with its own source held out')
if [ "$cases" -lt 2 ] || [ "$held" -ne "$cases" ]; then
    echo "FAIL: $held rows of held-out predictions for $cases rows of cases"
    fail=1
fi
[ "$fail" -eq 0 ] && echo "validate published --cv: the four tables hold"
exit "$fail"
