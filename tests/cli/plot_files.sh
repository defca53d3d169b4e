#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The files of `llmroof plot` (the security issue's items 8, 9 and 11): a
# hung gnuplot is stopped after LLMROOF_GNUPLOT_TIMEOUT and leaves no file;
# the script kept by --data redraws the picture itself; a kept script can be
# passed back with --script; --script is never overwritten by --data; and an
# error names no file that is removed afterwards.
#   plot_files.sh LLMROOF CONFIG
set -u
llmroof=$1
cfg=$2
case $llmroof in /*) ;; *) llmroof=$(pwd)/$llmroof ;; esac
case $cfg in /*) ;; *) cfg=$(pwd)/$cfg ;; esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
mkdir tmp
export TMPDIR="$dir/tmp"
fail=0
# check NAME EXIT STDERR CMD...: the exit code and stderr exactly.
check() {
    name=$1 want_rc=$2 want_err=$3
    shift 3
    "$@" >out 2>err
    rc=$?
    if [ "$rc" != "$want_rc" ] || [ "$(cat err)" != "$want_err" ]; then
        echo "FAIL: $name: exit $rc (want $want_rc)"; echo "  got:  $(cat err)"; echo "  want: $want_err"; fail=1
    else
        echo "ok: $name"
    fi
}
# clean NAME: no temporary folder of plot and no temporary picture is left.
clean() {
    left=$( (ls -A tmp; ls -A | grep '\.tmp\.') 2>/dev/null)
    if [ -n "$left" ]; then
        echo "FAIL: $1: left behind: $left"; fail=1; rm -rf tmp/* ./*.tmp.*
    fi
}

# Item 8: a gnuplot that never ends is stopped at the limit.
printf '#!/bin/sh\nexec sleep 20\n' > hang
chmod +x hang
start=$(date +%s)
check "hung gnuplot" 1 \
    "llmroof: plot: gnuplot did not finish within 0.5 s and was stopped (LLMROOF_GNUPLOT_TIMEOUT sets the limit in seconds)" \
    env LLMROOF_GNUPLOT="$dir/hang" LLMROOF_GNUPLOT_TIMEOUT=0.5 "$llmroof" plot roofline "$cfg" -o h.png
took=$(($(date +%s) - start))
[ "$took" -le 10 ] || { echo "FAIL: hung gnuplot: took $took s"; fail=1; }
[ -e h.png ] && { echo "FAIL: hung gnuplot: h.png was written"; fail=1; }
clean "hung gnuplot"
check "bad time limit" 2 \
    "llmroof: LLMROOF_GNUPLOT_TIMEOUT: expected a number of seconds in (0, 1e6] (got 'soon')" \
    env LLMROOF_GNUPLOT_TIMEOUT=soon "$llmroof" plot roofline "$cfg" -o h.png
clean "bad time limit"

if ! command -v gnuplot >/dev/null 2>&1; then
    echo "skipped: the rest (no gnuplot)"
    exit $fail
fi

# Item 9: the kept script draws the picture, not the temporary name.
check "--data" 0 "" "$llmroof" plot roofline "$cfg" -o a.png --data D
rm -f a.png
gnuplot D/roofline.gp 2>gp.err || { echo "FAIL: gnuplot D/roofline.gp: $(cat gp.err)"; fail=1; }
[ -s a.png ] || { echo "FAIL: gnuplot D/roofline.gp did not draw a.png"; fail=1; }
clean "redraw of the kept script"
# A kept script, copied and passed back with --script, works (with and
# without --data) and leaves no stray picture.
cp D/roofline.gp mine.gp
check "kept script as --script" 0 "" "$llmroof" plot roofline "$cfg" -o b.png --script mine.gp --data D2
[ -s b.png ] || { echo "FAIL: kept script as --script: no b.png"; fail=1; }
check "kept script as --script, no --data" 0 "" "$llmroof" plot roofline "$cfg" -o c.png --script mine.gp
[ -s c.png ] || { echo "FAIL: kept script as --script, no --data: no c.png"; fail=1; }
clean "kept script as --script"
# --script inside --data's folder under the name --data writes: refused,
# and the user's script is left as it was.
echo "# my restyling" >> D/roofline.gp
cp D/roofline.gp before.gp
check "--script that --data would overwrite" 2 \
    "llmroof: --script: 'D/roofline.gp' would be overwritten by --data: copy it out of the folder first" \
    "$llmroof" plot roofline "$cfg" -o d.png --script D/roofline.gp --data D
cmp -s D/roofline.gp before.gp || { echo "FAIL: --script D/roofline.gp was changed"; fail=1; }
[ -e d.png ] && { echo "FAIL: --script that --data would overwrite: d.png was written"; fail=1; }
ln -s roofline.gp D/link.gp
check "--script linked to what --data writes" 2 \
    "llmroof: --script: 'D/link.gp' is the file 'D/roofline.gp', which --data writes: copy it out of the folder first" \
    "$llmroof" plot roofline "$cfg" -o d.png --script D/link.gp --data D
cmp -s D/roofline.gp before.gp || { echo "FAIL: --script D/link.gp: D/roofline.gp was changed"; fail=1; }
clean "--script that --data would overwrite"

# Item 11: gnuplot's error names the user's script at its own line, and
# never the temporary folder, which is gone when the message is read.
printf 'set title "x"\nplot nosuch(x)\n' > bad.gp
check "gnuplot error, temporary files" 1 \
    "llmroof: plot: gnuplot failed: bad.gp line 2: undefined function: nosuch (--data DIR keeps its script)" \
    "$llmroof" plot roofline "$cfg" -o e.png --script bad.gp
clean "gnuplot error, temporary files"
# A kept script with an error, passed back: the line is the copy's own.
{ cat D2/roofline.gp; echo 'plot nosuch(x)'; } > bad2.gp
n=$(wc -l < bad2.gp)
check "gnuplot error in a kept script passed back" 1 \
    "llmroof: plot: gnuplot failed: bad2.gp line $n: undefined function: nosuch (--data DIR keeps its script)" \
    "$llmroof" plot roofline "$cfg" -o e.png --script bad2.gp
clean "gnuplot error in a kept script passed back"
# With --data, the kept script is named, and it exists.
check "gnuplot error, --data" 1 \
    "llmroof: plot: gnuplot failed: \"./D3/roofline.gp\" line 8: undefined function: nosuch (script D3/roofline.gp)" \
    "$llmroof" plot roofline "$cfg" -o e.png --script bad.gp --data D3
[ -s D3/roofline.gp ] || { echo "FAIL: gnuplot error, --data: D3/roofline.gp is missing"; fail=1; }
clean "gnuplot error, --data"
# The picture reaches -o as every output does (core/outfile.h): through a
# symbolic link, which survives, into the file it names, whose mode stays.
echo old > real.png
chmod 600 real.png
ln -s real.png link.png
check "picture through a link" 0 "" "$llmroof" plot roofline "$cfg" -o link.png
[ -L link.png ] || { echo "FAIL: picture through a link: the link was replaced"; fail=1; }
[ "$(head -c 4 real.png | od -An -c | tr -d ' ')" = "211PNG" ] ||
    { echo "FAIL: picture through a link: real.png is not the picture"; fail=1; }
[ "$(stat -c %a real.png)" = 600 ] || { echo "FAIL: picture through a link: mode $(stat -c %a real.png), want 600"; fail=1; }
clean "picture through a link"
exit $fail
