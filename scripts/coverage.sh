#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Line and branch coverage of the library folders from the normal test suite
# (every ctest test but the benchmarks), with gcov and gcovr.
#   scripts/coverage.sh            build in build-cov/, run the tests, report
#   scripts/coverage.sh --html     also write build-cov/coverage/index.html
# The table lists each library folder (core, hw, model, dag, report,
# analysis, validation, plots); the CLI and the tests are not counted.
set -eu
cd "$(dirname "$0")/.."
html=0
case "${1:-}" in
--html) html=1 ;;
'') ;;
-h | --help)
    sed -n '3,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
*)
    echo "coverage.sh: unknown argument '$1' (try --help)" >&2
    exit 2
    ;;
esac
command -v gcovr >/dev/null 2>&1 || {
    echo "coverage.sh: gcovr not found: install it (apt-get install gcovr)" >&2
    exit 1
}
jobs=${LLMROOF_JOBS:-2}
cmake -S . -B build-cov -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O0 --coverage" \
    -DCMAKE_EXE_LINKER_FLAGS=--coverage >/dev/null
find build-cov -name '*.gcda' -delete
cmake --build build-cov -j "$jobs" >/dev/null
# cli_atomic_outputs runs llmroof under `ulimit -f 8`, which truncates the
# .gcda files it writes: the next process then fails to merge them and says
# so on stderr, failing every test that checks stderr. It runs alone, its
# counts written to a throwaway folder (GCOV_PREFIX).
# gcovr replaces its output file, so never point it at /dev/null (as root
# that turned the device into a regular file): its report goes here.
discard=$(mktemp -d)
trap 'rm -rf "$discard"' EXIT INT TERM
{ ctest --test-dir build-cov -LE bench -E '^cli_atomic_outputs$' -j "$jobs" &&
    GCOV_PREFIX=$discard ctest --test-dir build-cov -R '^cli_atomic_outputs$'; } >build-cov/ctest.log 2>&1 || {
    tail -20 build-cov/ctest.log >&2
    echo "coverage.sh: tests failed (build-cov/ctest.log)" >&2
    exit 1
}
printf '%-11s %8s %8s\n' folder lines branches
for d in core hw model dag report analysis validation plots; do
    # gcovr's summary for the folder's sources alone. gcovr 5.2 cannot parse
    # the "returned -3" call counts gcc 12 writes; they are not line or
    # branch counts, so skipping them changes neither figure.
    s=$(gcovr -r . build-cov --gcov-ignore-parse-errors --filter "$d/" --exclude-unreachable-branches --print-summary -o "$discard/report.txt" 2>/dev/null)
    l=$(printf '%s\n' "$s" | sed -n 's/^lines: *\([0-9.]*%\).*/\1/p')
    b=$(printf '%s\n' "$s" | sed -n 's/^branches: *\([0-9.]*%\).*/\1/p')
    printf '%-11s %8s %8s\n' "$d" "${l:-?}" "${b:-?}"
done
s=$(gcovr -r . build-cov --gcov-ignore-parse-errors --filter 'core/' --filter 'hw/' --filter 'model/' --filter 'dag/' --filter 'report/' \
    --filter 'analysis/' --filter 'validation/' --filter 'plots/' --exclude-unreachable-branches --print-summary \
    -o "$discard/report.txt" 2>/dev/null)
printf '%-11s %8s %8s\n' all "$(printf '%s\n' "$s" | sed -n 's/^lines: *\([0-9.]*%\).*/\1/p')" \
    "$(printf '%s\n' "$s" | sed -n 's/^branches: *\([0-9.]*%\).*/\1/p')"
if [ $html = 1 ]; then
    mkdir -p build-cov/coverage
    gcovr -r . build-cov --gcov-ignore-parse-errors --filter 'core/' --filter 'hw/' --filter 'model/' --filter 'dag/' --filter 'report/' \
        --filter 'analysis/' --filter 'validation/' --filter 'plots/' --exclude-unreachable-branches \
        --html-details build-cov/coverage/index.html
    echo "coverage.sh: build-cov/coverage/index.html"
fi
