#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The house rule of docs/hacking.md, checked on the built objects: every
# dependency points one way. A file may call into its own layer's folder and
# the layers below it (core 0, hw 1, model 2; dag, report, analysis and
# plots 3, which do not call each other; validation 3.5, which may call them,
# as docs/hacking.md's table says; cli 4), and no two
# files may call each other, directly or through their folder's other files
# at the same level.
#   scripts/layers.sh BUILD_DIR     (after a build; exit 1 on a violation)
set -eu
build=${1:-build}
command -v nm >/dev/null 2>&1 || { echo "layers.sh: nm not found (binutils)" >&2; exit 1; }
tab=$(mktemp)
trap 'rm -f "$tab"' EXIT INT TERM
# One line per symbol: D|U SYMBOL SOURCE, from the library and program objects.
find "$build/CMakeFiles" -path '*/roof.dir/*' -name '*.c.o' -o -path '*/roof_validation.dir/*' -name '*.c.o' \
    -o -path '*/llmroof.dir/*' -name '*.c.o' | while IFS= read -r o; do
    src=${o#*.dir/}
    src=${src%.o}
    case "$src" in generated/* | */generated/*) continue ;; esac
    nm "$o" | awk -v s="$src" '$1 == "U" { print "U", $2, s } NF == 3 && $2 ~ /[TDRB]/ { print "D", $3, s }'
done >"$tab"
awk '
function layer(f,   d) {
    d = f; sub(/\/.*/, "", d)
    if (d == "core") return 0
    if (d == "hw") return 1
    if (d == "model") return 2
    if (d == "dag" || d == "report" || d == "analysis" || d == "plots") return 3
    if (d == "validation") return 3.5
    if (d == "cli") return 4
    return -1
}
function folder(f,   d) { d = f; sub(/\/.*/, "", d); return d }
$1 == "D" { def[$2] = $3 }
$1 == "U" { n++; us[n] = $2; uf[n] = $3 }
END {
    bad = 0
    for (i = 1; i <= n; i++) {
        s = us[i]; f = uf[i]
        if (!(s in def)) continue          # a library symbol
        g = def[s]
        if (g == f) continue
        edge[f SUBSEP g] = s
        lf = layer(f); lg = layer(g)
        if (lg > lf || (lg == lf && lf == 3 && folder(f) != folder(g))) {
            printf "layers.sh: %s (layer %g) calls %s of %s (layer %g)\n", f, lf, s, g, lg
            bad = 1
        }
    }
    for (k in edge) {
        split(k, p, SUBSEP)
        if ((p[2] SUBSEP p[1]) in edge && p[1] < p[2]) {
            printf "layers.sh: %s and %s call each other (%s, %s)\n", p[1], p[2], edge[k], edge[p[2] SUBSEP p[1]]
            bad = 1
        }
    }
    if (!bad) print "layers.sh: every dependency points one way"
    exit bad
}' "$tab"
