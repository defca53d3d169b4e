#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Files that exist but cannot be read: each reader says so with the
# system's reason. Root reads any file, so the test is skipped there
# (exit 77, ctest's SKIP_RETURN_CODE).
#   unreadable.sh LLMROOF
set -u
llmroof=$1
[ "$(id -u)" = 0 ] && { echo "skipped: root can read a mode-000 file"; exit 77; }
dir=$(mktemp -d)
trap 'chmod -R u+rwx "$dir"; rm -rf "$dir"' EXIT
for f in c.cfg h.cfg r.md g.dot s.csv; do : > "$dir/$f"; chmod 000 "$dir/$f"; done
fail=0
expect() {
    want_rc=$1 want=$2
    shift 2
    got=$("$llmroof" "$@" 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" != "$want_rc" ] || [ "$got" != "$want" ]; then
        echo "FAIL: $*: exit $rc, '$got' (want $want_rc, '$want')"
        fail=1
    fi
}
expect 3 "llmroof: $dir/c.cfg: cannot read config: Permission denied" estimate "$dir/c.cfg"
expect 3 "llmroof: $dir/h.cfg: cannot read profile: Permission denied" gettime 1 1 1 --hw "$dir/h.cfg"
expect 3 "llmroof: $dir/r.md: cannot read report: Permission denied" check "$dir/r.md"
expect 3 "llmroof: $dir/g.dot: cannot read DOT file: Permission denied" critical-path "$dir/g.dot"
expect 3 "llmroof: $dir/s.csv: cannot read search output: Permission denied" search --merge "$dir/s.csv"
expect 3 "llmroof: $dir/s.csv: cannot read data: Permission denied" plot sweep "$dir/s.csv" -o "$dir/x.png"
exit $fail
