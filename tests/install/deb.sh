#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package (`cpack -G DEB`): it builds, declares the run-time
# libraries it links as dependencies (found by dpkg-shlibdeps), and holds
# the program, the man page and the completion under /usr.
#   sh deb.sh BUILD_DIR
set -eu
build=$1
if ! command -v dpkg-deb >/dev/null 2>&1 || ! command -v dpkg-shlibdeps >/dev/null 2>&1; then
    echo "deb.sh: skipped: dpkg-deb or dpkg-shlibdeps missing (not a Debian system)"
    exit 0
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT INT TERM
fail() {
    echo "deb.sh: $*" >&2
    exit 1
}
(cd "$build" && cpack -G DEB -B "$t" -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip --config CPackConfig.cmake >"$t/cpack.log" 2>&1) ||
    { tail -20 "$t/cpack.log" >&2; fail "cpack -G DEB failed"; }
deb=$(find "$t" -maxdepth 1 -name 'llmroof_*.deb' | head -1)
[ -n "$deb" ] || fail "no .deb written"
deps=$(dpkg-deb -f "$deb" Depends)
for lib in libconfig9 libgsl27 libjansson4 libgvc6 libcgraph6 libopenblas0; do
    case "$deps" in
    *"$lib"*) ;;
    *) fail "Depends lacks $lib: $deps" ;;
    esac
done
files=$(dpkg-deb -c "$deb")
for f in ./usr/bin/llmroof ./usr/share/man/man1/llmroof.1 ./usr/share/bash-completion/completions/llmroof; do
    printf '%s\n' "$files" | grep -q " $f\$" || fail "the package lacks $f"
done
echo "deb.sh: ok: $(basename "$deb"), Depends: $deps"
