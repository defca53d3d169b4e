#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# No text of plot's inputs may run as gnuplot code (the security issue's item
# 1). Every payload below, if it reached gnuplot as code, would run
# `touch PWNED` (a line starting with '!' is a shell command in gnuplot;
# '<cmd' as a file read and '|cmd' as an output run one too; system() in an
# expression). Each case checks that no PWNED file appears and the exact
# error, or, where the input is accepted, the sanitised text gnuplot got.
#   plot_inject.sh LLMROOF SOURCE_DIR
set -u
llmroof=$1
src=$2
case $llmroof in /*) ;; *) llmroof=$(pwd)/$llmroof ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
fail=0
nl='
'
have_gnuplot=0
command -v gnuplot >/dev/null 2>&1 && have_gnuplot=1

# case NAME EXIT STDERR CMD...: the exit code and stderr (exactly; "-" for
# any), and no PWNED file.
case_() {
    name=$1 want_rc=$2 want_err=$3
    shift 3
    "$@" >out 2>err
    rc=$?
    if [ -e PWNED ]; then
        echo "FAIL: $name: the payload ran (PWNED was created)"; fail=1; rm -f PWNED
    elif [ "$rc" != "$want_rc" ]; then
        echo "FAIL: $name: exit $rc, want $want_rc: $(cat err)"; fail=1
    elif [ "$want_err" != - ] && [ "$(cat err)" != "$want_err" ]; then
        echo "FAIL: $name: stderr differs"; echo "  got:  $(cat err)"; echo "  want: $want_err"; fail=1
    else
        echo "ok: $name"
    fi
}
# has NAME FILE LINE: FILE holds LINE exactly.
has() {
    if ! grep -qxF -- "$3" "$2"; then
        echo "FAIL: $1: no line '$3' in $2:"; cat "$2"; fail=1
    fi
}
cfg=$src/configs/llama3-70b-tp8.cfg
payload='!touch PWNED'

# (b) Names are refused at load: the config's name, for each kind drawn of
# a config, and a profile's name given with --hw FILE.
printf 'name = "x\\n%s\\n#";\nmodel = { layers = 2; hidden = 256; heads = 4; };\n' "$payload" > inj.cfg
for kind in roofline pipeline breakdown; do
    case_ "config name ($kind)" 3 "llmroof: inj.cfg:1: 'name' must not contain control characters" \
        "$llmroof" plot "$kind" inj.cfg -o c.png
done
{ printf 'name = "p\\n%s\\n#";\n' "$payload"; grep -v '^name' "$src/hw/profiles/h100-sxm.cfg"; } > prof.cfg
case_ "profile name (--hw FILE)" 3 "llmroof: prof.cfg:1: 'name' must not contain control characters" \
    "$llmroof" plot roofline "$cfg" --hw prof.cfg -o c.png
# A tab is a control character too.
printf 'name = "a\\tb";\nmodel = { layers = 2; hidden = 256; heads = 4; };\n' > tab.cfg
case_ "config name with a tab" 3 "llmroof: tab.cfg:1: 'name' must not contain control characters" \
    "$llmroof" plot roofline tab.cfg -o c.png

# ... and a column name of each kind's csv.
printf 'workload.batch,"tpot\n%s\n#"\n1,0.1\n2,0.2\n' "$payload" > sweep_h.csv
printf 'path,metric_low,metric_high,metric,"metric_name\n%s"\nhw.x,1,2,1.5,tpot\n' "$payload" > sens_h.csv
printf 'hw,ttft_s,tpot_s,usd_per_mtok,memory_used_fraction,"x\n%s\n#"\nh100,1,2,3,0.5,1\n' "$payload" > cmp_h.csv
printf 'group,measured_s,"predicted_s\n%s\n#"\ng,1,1.1\n' "$payload" > val_h.csv
case_ "csv header (sweep)" 3 \
    "llmroof: sweep_h.csv:1: column 2's name must not contain control characters (got 'tpot?!touch PWNED?#')" \
    "$llmroof" plot sweep sweep_h.csv -o c.png
case_ "csv header (sensitivity)" 3 \
    "llmroof: sens_h.csv:1: column 5's name must not contain control characters (got 'metric_name?!touch PWNED')" \
    "$llmroof" plot sensitivity sens_h.csv -o c.png
case_ "csv header (compare)" 3 \
    "llmroof: cmp_h.csv:1: column 6's name must not contain control characters (got 'x?!touch PWNED?#')" \
    "$llmroof" plot compare cmp_h.csv -o c.png
case_ "csv header (validation)" 3 \
    "llmroof: val_h.csv:1: column 3's name must not contain control characters (got 'predicted_s?!touch PWNED?#')" \
    "$llmroof" plot validation val_h.csv -o c.png

# Paths given on the command line: a control character is refused ...
case_ "-o with a newline" 2 \
    "llmroof: -o: a path with control characters cannot be passed to gnuplot (got 'x?!touch PWNED?#.png')" \
    "$llmroof" plot roofline "$cfg" -o "x$nl$payload$nl#.png"
case_ "--data with a newline" 2 \
    "llmroof: --data: a path with control characters cannot be passed to gnuplot (got 'd?!touch PWNED?#')" \
    "$llmroof" plot roofline "$cfg" -o c.png --data "d$nl$payload$nl#"
case_ "TMPDIR with a newline" 2 \
    "llmroof: TMPDIR: a path with control characters cannot be passed to gnuplot (got 't?!touch PWNED?#')" \
    env TMPDIR="t$nl$payload$nl#" "$llmroof" plot roofline "$cfg" -o c.png

if [ $have_gnuplot = 0 ]; then
    echo "skipped: the accepted inputs (no gnuplot)"
    exit $fail
fi

# (a) What is accepted reaches gnuplot only as sanitised text. Names that
# come from file names (no 'name' setting) ...
grep -v '^name' inj.cfg > "c$nl$payload$nl#.cfg"
case_ "config file name as the name" 0 "" "$llmroof" plot breakdown "c$nl$payload$nl#.cfg" -o c1.png --data d1
has "config file name as the name" d1/breakdown.vars.gp \
    "ptitle = 'time per op kind, one layer of each kind and the pipeline ends, one rank: c?!touch PWNED?# on h100-sxm'"
grep -v '^name' "$src/hw/profiles/h100-sxm.cfg" > "h$nl$payload$nl#.cfg"
case_ "profile file name as the name" 0 "" "$llmroof" plot roofline "$cfg" --hw "./h$nl$payload$nl#.cfg" -o c2.png \
    --data d2
has "profile file name as the name" d2/roofline.vars.gp "ptitle = 'roofline, prefill and decode ops: llama3-70b-tp8 on h?!touch PWNED?#'"
# ... and the cells of a csv, whether they go to the variables or the data.
printf 'workload.batch,parallel.tp,tpot_s\n1,"a\n%s\n#",0.1\n2,"a\n%s\n#",0.2\n' "$payload" "$payload" > sweep.csv
case_ "csv cell (sweep legend)" 0 "" "$llmroof" plot sweep sweep.csv -o c3.png --data d3
has "csv cell (sweep legend)" d3/sweep.vars.gp "bname[1] = 'parallel.tp = a?!touch PWNED?#'"
printf 'path,metric_low,metric_high,metric,metric_name\n"hw.x\n%s",1,2,1.5,"tpot\n%s\n#"\n' "$payload" \
    "$payload" > sens.csv
case_ "csv cell (sensitivity axis and label)" 0 "" "$llmroof" plot sensitivity sens.csv -o c4.png --data d4
has "csv cell (sensitivity axis)" d4/sensitivity.vars.gp "xname = 'tpot?!touch PWNED?#'"
has "csv cell (sensitivity label)" d4/sensitivity.dat '1 1 2 "hw.x?!touch PWNED"'
printf 'hw,ttft_s,tpot_s,usd_per_mtok,memory_used_fraction\n"h\n%s\n"" `touch PWNED`",1,2,3,0.5\n' "$payload" \
    > cmp.csv
case_ "csv cell (compare label)" 0 "" "$llmroof" plot compare cmp.csv -o c5.png --data d5
has "csv cell (compare label)" d5/compare.dat '"h?!touch PWNED?? ?touch PWNED?\nno plan" 1 2 3 0.5'
printf 'group,measured_s,predicted_s\n"g\n%s\n#",1,1.1\n"x'"'"' . system('"'"'touch PWNED'"'"') . '"'"'",2,2\n' \
    "$payload" > val.csv
case_ "csv cell (validation legend)" 0 "" "$llmroof" plot validation val.csv -o c6.png --data d6
has "csv cell (validation legend)" d6/validation.vars.gp "gname[1] = 'g?!touch PWNED?#'"
has "csv cell (validation legend)" d6/validation.vars.gp "gname[2] = 'x? . system(?touch PWNED?) . ?'"

# Paths: quoted, and never read by gnuplot as '<command' or '|command'.
case_ "-o with quotes" 0 "" "$llmroof" plot roofline "$cfg" -o "x' . system('touch PWNED') . '.png"
[ -s "x' . system('touch PWNED') . '.png" ] || { echo "FAIL: -o with quotes: no picture"; fail=1; }
case_ "-o starting with '|'" 0 "" "$llmroof" plot roofline "$cfg" -o "|touch PWNED;.png"
[ -s "|touch PWNED;.png" ] || { echo "FAIL: -o starting with '|': no picture"; fail=1; }
case_ "--data starting with '<'" 0 "" "$llmroof" plot roofline "$cfg" -o c7.png --data "<touch PWNED;x"
[ -s c7.png ] || { echo "FAIL: --data starting with '<': no picture"; fail=1; }
leftover=$(ls | grep '\.tmp\.')
[ -z "$leftover" ] || { echo "FAIL: temporary pictures left: $leftover"; fail=1; }
exit $fail
