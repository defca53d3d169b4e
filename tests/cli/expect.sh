#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command and checks its exit code, its stderr (exactly) and,
# optionally, that its stdout contains a line matching a pattern.
#   expect.sh EXIT STDERR STDOUT_PATTERN CMD [ARGS...]
# An empty STDERR means "anything"; an empty STDOUT_PATTERN means "not checked".
want_rc=$1
want_err=$2
want_out=$3
shift 3
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
rc=$?
ok=1
if [ "$rc" != "$want_rc" ]; then
    echo "exit code: got $rc, want $want_rc"
    ok=0
fi
if [ -n "$want_err" ] && [ "$(cat "$err")" != "$want_err" ]; then
    echo "stderr differs:"
    echo "  got:  $(cat "$err")"
    echo "  want: $want_err"
    ok=0
fi
if [ -n "$want_out" ] && ! grep -Eq -- "$want_out" "$out"; then
    echo "stdout has no line matching: $want_out"
    ok=0
fi
if [ $ok = 0 ]; then
    echo "--- stdout:"
    head -40 "$out"
    echo "--- stderr:"
    cat "$err"
    exit 1
fi
exit 0
