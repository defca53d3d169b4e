#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian packages that llmroof needs to build and test, and only
# those that are missing (so that a machine that has them needs no network).
set -eu
# clang-format and cppcheck: the format and lint stages of scripts/test.sh;
# dpkg-dev: dpkg-shlibdeps for `cpack -G DEB`; gcovr: scripts/coverage.sh.
pkgs="cmake gcc make clang pkgconf libopenblas-dev libgsl-dev libconfig-dev libjansson-dev libcmocka-dev gnuplot-nox libgraphviz-dev graphviz clang-format cppcheck dpkg-dev gcovr"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
echo "deps.sh: installing$missing" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >&2
