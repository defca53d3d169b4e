#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole test suite, as CI runs it: the normal build (build/) and the
# sanitized one (build-asan/: AddressSanitizer, LeakSanitizer and
# UndefinedBehaviorSanitizer), each with every test but the benchmarks.
# Before them the format check and cppcheck; after them the fuzz stage.
#   scripts/test.sh            both builds
#   scripts/test.sh --no-asan  the normal build only (quick local runs)
set -eu
cd "$(dirname "$0")/.."
asan=1
[ "${1:-}" = "--no-asan" ] && asan=0
jobs=${LLMROOF_JOBS:-2}

stage() { printf '\n=== test.sh: %s ===\n' "$*"; }

# Style and static analysis first: they take seconds and say the most
# about a change that does not build cleanly by the house rules.
stage "format (scripts/format.sh --check)"
scripts/format.sh --check
stage "static analysis (scripts/lint.sh: cppcheck)"
scripts/lint.sh

stage "normal build (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"
ctest --test-dir build -LE bench -j "$jobs" --output-on-failure

if [ $asan = 1 ]; then
    # Debug (asserts on) at -O1: the usual level for sanitizers, which keeps
    # every check and runs the suite about three times faster than -O0.
    stage "sanitized build (build-asan/)"
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DLLMROOF_SANITIZE=ON
    cmake --build build-asan -j "$jobs"
    ctest --test-dir build-asan -LE bench -j "$jobs" --output-on-failure
fi

# --- Fuzz stage (issue 10): scripts/fuzz.sh runs each harness briefly. ---
if [ -x scripts/fuzz.sh ]; then
    stage "fuzz (scripts/fuzz.sh --seconds 5)"
    scripts/fuzz.sh --seconds 5
fi
stage "all passed"
