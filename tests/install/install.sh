#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The installed tree, as a user gets it from `cmake --install build --prefix P`:
# the files are where docs/install.md says; a C program builds against the
# library with nothing but `pkg-config --cflags --libs roof` and predicts what
# `llmroof estimate` predicts; the man page holds every subcommand; bash
# completion completes subcommands, parameter paths and profile names;
# `llmroof --version` names the newest version of CHANGELOG.md.
#   sh install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
p=$(mktemp -d)
trap 'rm -rf "$p"' EXIT INT TERM
fail() {
    echo "install.sh: $*" >&2
    exit 1
}
cmake --install "$build" --prefix "$p" >"$p/install.log" 2>&1 || { cat "$p/install.log" >&2; fail "cmake --install failed"; }

bin="$p/bin/llmroof"
[ -x "$bin" ] || fail "no $bin"
pc=$(find "$p" -name roof.pc | head -1)
[ -n "$pc" ] || fail "no roof.pc installed"
lib=$(find "$p" -name libroof.a | head -1)
[ -n "$lib" ] || fail "no libroof.a installed"
[ -f "$p/include/llmroof/model/evaluate.h" ] || fail "no include/llmroof/model/evaluate.h"
if find "$p/include" -name '*_private.h' | grep -q .; then fail "a private header was installed"; fi
man="$p/share/man/man1/llmroof.1"
comp="$p/share/bash-completion/completions/llmroof"
[ -f "$man" ] || fail "no $man"
[ -f "$comp" ] || fail "no $comp"

# pkg-config alone builds a program against the library.
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
flags=$(pkg-config --cflags --libs roof) || fail "pkg-config --cflags --libs roof failed"
# shellcheck disable=SC2086 # the flags are words
# LDFLAGS: the build's own link flags (a coverage build's --coverage).
# shellcheck disable=SC2086
cc -std=c11 -o "$p/use_roof" "$src/tests/install/use_roof.c" $flags ${LDFLAGS:-} || fail "the example does not build with: $flags"
got=$("$p/use_roof") || fail "the example failed"
want=$("$bin" estimate --format json | sed -n 's/.*"ttft_s": *\([0-9.eE+-]*\).*/\1/p' | head -1)
[ -n "$want" ] || fail "llmroof estimate --format json printed no ttft_s"
awk -v g="${got#ttft_s }" -v w="$want" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(w > 0 && d <= 1e-12 * w) }' ||
    fail "the library predicts TTFT $got, llmroof estimate $want"

# --version names CHANGELOG.md's newest version.
ver=$(sed -n 's/^## \([0-9][0-9.]*\) .*/\1/p' "$src/CHANGELOG.md" | head -1)
"$bin" --version | grep -q "^llmroof $ver " || fail "llmroof --version ($("$bin" --version)) does not name $ver (CHANGELOG.md)"

# The man page: a title line and a section for every subcommand of --help.
grep -q '^\.TH LLMROOF 1 ' "$man" || fail "the man page has no .TH line"
for c in $("$bin" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\).*/\1/p'); do
    grep -q "^\.SS $c\$" "$man" || fail "the man page has no section for '$c'"
done
if command -v groff >/dev/null 2>&1; then
    w=$(groff -man -Tutf8 -ww -z "$man" 2>&1) || fail "groff cannot read the man page"
    [ -z "$w" ] || fail "groff warns about the man page: $w"
fi

# Completion, in bash, against the installed binary.
if command -v bash >/dev/null 2>&1; then
    out=$(PATH="$p/bin:$PATH" bash -c '
        . "$1"
        try() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _llmroof; printf "%s\n" "${COMPREPLY[@]}"; }
        try llmroof esti
        try llmroof estimate --set hw.memory.bandw
        try llmroof estimate --hw h20
        try llmroof estimate --for
        try llmroof estimate --format j' sh "$comp")
    for want in estimate hw.memory.bandwidth= h200 --format json; do
        printf '%s\n' "$out" | grep -qx -- "$want" || fail "completion did not offer '$want' (got: $(echo $out))"
    done
fi
echo "install.sh: ok ($(find "$p" -type f | wc -l) files installed)"
