#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fuzzes llmroof's input readers with libFuzzer (docs/fuzzing.md): builds
# the harnesses of fuzz/ with clang, ASan and UBSan in build-fuzz/, then
# runs each one on its seed corpus, regression inputs and dictionary.
#
#   scripts/fuzz.sh                    each harness for 60 s
#   scripts/fuzz.sh --seconds 5        each for 5 s (the CI's bounded run)
#   scripts/fuzz.sh --seconds 300 dot  one harness (config, set, report, dot)
#
# New inputs go to build-fuzz/corpus/NAME (fuzz/corpus/NAME is only read).
# A crash, leak, timeout or out-of-memory leaves its input in
# build-fuzz/crashes/NAME/ and the script exits 1. Without clang or
# libFuzzer it says so and exits 0: fuzzing is an extra, not a dependency.
set -eu

seconds=60
harnesses=""
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds)
        [ $# -ge 2 ] || { echo "fuzz.sh: --seconds needs a number" >&2; exit 2; }
        seconds="$2"
        shift 2
        ;;
    --seconds=*)
        seconds="${1#--seconds=}"
        shift
        ;;
    -h | --help)
        sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    config | set | report | dot)
        harnesses="$harnesses $1"
        shift
        ;;
    *)
        echo "fuzz.sh: unknown argument '$1' (try --help)" >&2
        exit 2
        ;;
    esac
done
case "$seconds" in
'' | *[!0-9]* | 0)
    echo "fuzz.sh: --seconds must be a positive whole number (got '$seconds')" >&2
    exit 2
    ;;
esac
[ -n "$harnesses" ] || harnesses="config set report dot"

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
cc="${FUZZ_CC:-clang}"

# libFuzzer ships with clang; a clang without it fails this link.
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz.sh: skipped: $cc not found (libFuzzer needs clang)"
    exit 0
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
    >"$probe/p.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
    echo "fuzz.sh: skipped: $cc cannot link -fsanitize=fuzzer,address,undefined (libFuzzer missing)"
    exit 0
fi

jobs="${FUZZ_BUILD_JOBS:-2}"
mkdir -p "$build"
blog="$build/build.log"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DLLMROOF_FUZZ=ON -DLLMROOF_TESTS=OFF >"$blog" 2>&1 || { cat "$blog" >&2; exit 1; }
targets=""
for h in $harnesses; do targets="$targets fuzz_$h"; done
# shellcheck disable=SC2086 # one word per target
cmake --build "$build" -j "$jobs" --target $targets >>"$blog" 2>&1 || {
    tail -40 "$blog" >&2
    exit 1
}

# Leaks inside system libraries that we cannot fix (fuzz/lsan.supp).
export LSAN_OPTIONS="suppressions=$root/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

failed=0
printf '%-8s %12s %8s %8s %s\n' harness executions seconds corpus result
for h in $harnesses; do
    corpus="$build/corpus/$h"
    crashes="$build/crashes/$h"
    mkdir -p "$corpus" "$crashes"
    log="$build/fuzz-$h.log"
    set +e
    # No -max_len: libFuzzer takes the largest seed (at least 4 KB), about
    # the size of a real config, report or DAG; longer inputs only slowed
    # the report harness down (docs/fuzzing.md).
    "$build/fuzz/fuzz_$h" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        -dict="$root/fuzz/dict/$h.dict" -artifact_prefix="$crashes/" \
        "$corpus" "$root/fuzz/corpus/$h" "$root/fuzz/regressions/$h" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    size=$(find "$corpus" -type f | wc -l)
    if [ "$rc" -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $rc): $(ls "$crashes" | head -3 | tr '\n' ' ')see $log"
        failed=1
    fi
    printf '%-8s %12s %8s %8s %s\n' "$h" "${execs:-?}" "$seconds" "$size" "$result"
done
if [ "$failed" -ne 0 ]; then
    echo "fuzz.sh: a harness failed; its input is under $build/crashes/ (replay: build-fuzz/fuzz/fuzz_NAME FILE)" >&2
    exit 1
fi
