#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Static analysis: cppcheck over the library and the CLI, at zero findings.
# Checks: warning (undefined behaviour, bounds, uninitialised values),
# performance and portability. A finding fails the script; a suppression is
# an inline '// cppcheck-suppress ID' comment beside the line, with its
# reason on the line above it.
#   scripts/lint.sh
set -eu
cd "$(dirname "$0")/.."
if ! command -v cppcheck >/dev/null 2>&1; then
    echo "lint.sh: cppcheck not found: install it (apt-get install cppcheck)" >&2
    exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM
# --error-exitcode: any finding fails; -I .: the project's include root.
if cppcheck --quiet --std=c11 --enable=warning,performance,portability --inline-suppr \
    --error-exitcode=1 --template='{file}:{line}: {severity}: {id}: {message}' \
    -I . core hw model dag report analysis validation plots cli fuzz 2>"$out"; then
    echo "lint.sh: cppcheck: no findings"
else
    grep -E '^[a-z]+/[^:]+:[0-9]+: ' "$out" >&2 || cat "$out" >&2
    echo "lint.sh: cppcheck found the problems above" >&2
    exit 1
fi
