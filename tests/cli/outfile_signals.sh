#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# An interrupted run leaves no temporary file (security issue, item 8): a
# SIGTERM or SIGINT while a large `sweep -o` writes its output removes
# FILE.tmp.XXXXXX, leaves the target absent or as it was, and the run still
# ends by that signal (exit status 128 + the signal's number). The same for
# temporary folder that `plot` gives gnuplot, with a stand-in gnuplot that
# only waits.
#   outfile_signals.sh LLMROOF CONFIG
set -u
llmroof=$1
config=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
old="old content, must survive"
# 100000 rows, 26 MB of JSON: the temporary file exists for seconds.
sweep="sweep $config --vary workload.batch=1:50000:1 --vary workload.seq_len=1k,2k --format json"

# A shell without job control starts background commands with SIGINT
# ignored, and llmroof leaves an ignored signal ignored: env
# --default-signal (coreutils 8.31) undoes that.
if env --default-signal=INT true 2>/dev/null; then
    launch="env --default-signal=INT"
else
    launch=""
fi

# interrupt NAME SIGNAL STATUS TARGET [PREVIOUS] -- ARGS...: starts llmroof
# ARGS in the background, waits for its temporary file, sends SIGNAL and
# checks the exit status, that no temporary file is left, and that TARGET
# is absent (no PREVIOUS) or holds PREVIOUS.
interrupt() {
    name=$1 sig=$2 want=$3 target=$4 previous=$5
    shift 6
    $launch "$llmroof" "$@" >"$dir/out" 2>"$dir/err" &
    pid=$!
    i=0
    while ! ls "$dir" | grep -q '\.tmp\.'; do
        if ! kill -0 $pid 2>/dev/null || [ $i -ge 3000 ]; then
            echo "FAIL: $name: no temporary file appeared"
            fail=1
            kill $pid 2>/dev/null
            wait $pid
            return
        fi
        sleep 0.01
        i=$((i + 1))
    done
    kill -s "$sig" $pid
    wait $pid
    rc=$?
    ok=1
    if [ $rc != "$want" ]; then
        echo "FAIL: $name: exit status $rc, want $want (killed by SIG$sig)"
        ok=0
    fi
    if ls "$dir" | grep -q '\.tmp\.'; then
        echo "FAIL: $name: a temporary file was left: $(ls -l "$dir" | grep '\.tmp\.')"
        rm -f "$dir"/*.tmp.*
        ok=0
    fi
    if [ -z "$previous" ] && [ -e "$target" ]; then
        echo "FAIL: $name: $target was created"
        ok=0
    elif [ -n "$previous" ] && [ "$(cat "$target")" != "$previous" ]; then
        echo "FAIL: $name: $target was changed"
        ok=0
    fi
    if [ $ok = 1 ]; then
        echo "ok: $name: exit $rc"
    else
        fail=1
    fi
}

# shellcheck disable=SC2086 # $sweep is a list of words
interrupt "sweep -o, SIGTERM, new file" TERM 143 "$dir/new.json" "" -- $sweep -o "$dir/new.json"
printf '%s' "$old" >"$dir/old.json"
# shellcheck disable=SC2086
interrupt "sweep -o, SIGTERM, existing file" TERM 143 "$dir/old.json" "$old" -- $sweep -o "$dir/old.json"
if [ -n "$launch" ]; then
    # shellcheck disable=SC2086
    interrupt "sweep -o, SIGINT, existing file" INT 130 "$dir/old.json" "$old" -- $sweep -o "$dir/old.json"
else
    echo "skipped: SIGINT (no env --default-signal to undo a background job's ignored SIGINT)"
fi

# plot: gnuplot draws into its own temporary folder under TMPDIR (the data,
# the variables, the script, the log and the picture); a signal while it runs
# removes the folder with all of it, and no *.tmp.* appears beside the target.
printf '#!/bin/sh\nexec sleep 5\n' >"$dir/gnuplot"
chmod +x "$dir/gnuplot"
mkdir "$dir/tmp"
LLMROOF_GNUPLOT=$dir/gnuplot TMPDIR=$dir/tmp $launch "$llmroof" plot roofline "$config" -o "$dir/p.png" \
    >"$dir/out" 2>"$dir/err" &
pid=$!
i=0
while ! ls "$dir"/tmp/llmroof-plot-*/picture.tmp.* >/dev/null 2>&1 && [ $i -lt 3000 ]; do
    sleep 0.01
    i=$((i + 1))
done
if [ $i -ge 3000 ]; then
    echo "FAIL: plot -o, SIGTERM: no temporary picture appeared"
    fail=1
fi
kill -s TERM $pid
wait $pid
rc=$?
if [ $rc != 143 ]; then
    echo "FAIL: plot -o, SIGTERM: exit status $rc, want 143"
    fail=1
elif [ -n "$(ls -A "$dir/tmp")" ] || ls "$dir" | grep -q '\.tmp\.' || [ -e "$dir/p.png" ]; then
    echo "FAIL: plot -o, SIGTERM: left behind: $(ls -A "$dir/tmp") $(ls "$dir" | grep '\.tmp\.')"
    fail=1
else
    echo "ok: plot -o, SIGTERM: exit 143, its temporary folder removed"
fi
exit $fail
