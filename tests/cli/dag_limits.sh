#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The DAG commands on hostile or very large input (the security issue's
# DOT and DAG items), end to end, through both DOT readers where a file is
# read: a 20000-byte node name (it overflowed a stack buffer), an edge chain
# longer than Graphviz's parser takes, two graphs and trailing garbage in
# one file, names holding a newline, a file over the size limit, the
# critical-path report written as it is produced (json of a large path in
# the memory of --summary; a name that is not UTF-8; the Get_Time formula
# cut), and `dag` warning before, or refusing, a long Graphviz layout.
# Inputs are generated here. Exact stderr and exit code for each error.
#   dag_limits.sh LLMROOF CONFIGS_DIR
set -u
llmroof=$1
configs=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

# expect NAME EXIT STDERR CMD...: the exit code and stderr, exactly.
expect() {
    name=$1 want_rc=$2 want_err=$3
    shift 3
    "$@" >"$dir/out" 2>"$dir/err"
    rc=$?
    if [ "$rc" != "$want_rc" ] || [ "$(cat "$dir/err")" != "$want_err" ]; then
        echo "FAIL: $name: exit $rc (want $want_rc), stderr:"
        head -c 2000 "$dir/err"
        echo "  want: $want_err"
        fail=1
    else
        echo "ok: $name"
    fi
}

# Both readers: the default (plain files read directly) and --cgraph.
expect_both() {
    name=$1 want_rc=$2 want_err=$3
    shift 3
    expect "$name" "$want_rc" "$want_err" "$@"
    expect "$name (cgraph)" "$want_rc" "$want_err" "$@" --cgraph
}

x57=$(awk 'BEGIN { for (i = 0; i < 57; i++) printf "x" }')
awk 'BEGIN { printf "digraph { \""; for (i = 0; i < 20000; i++) printf "x"; printf "\" [kind=gemm]; b [kind=gemm]; }\n" }' \
    >"$dir/long_name.dot"
expect_both long_name 3 "llmroof: $dir/long_name.dot: nodes '$x57...', 'b': kind 'gemm' needs dims gemm=\"m,k,n\"" \
    "$llmroof" critical-path "$dir/long_name.dot"

awk 'BEGIN { printf "digraph {\n"; for (i = 0; i < 3000; i++) printf "%sn%d", i ? " -> " : "", i; printf ";\n}\n" }' \
    >"$dir/chain.dot"
expect_both long_chain 3 "llmroof: $dir/chain.dot:2: a statement too long for Graphviz's parser near '->' (an edge chain of 2500 nodes or more, or subgraphs nested as deep): split it into several statements" \
    "$llmroof" critical-path "$dir/chain.dot"
printf 'digraph { a -> b; }\ndigraph { c -> d; }\n' >"$dir/two.dot"
expect_both two_graphs 3 "llmroof: $dir/two.dot: more than one graph in the file (llmroof reads one)" \
    "$llmroof" critical-path "$dir/two.dot"
printf 'digraph { a -> b; }\n\ngarbage here\n' >"$dir/garbage.dot"
expect_both trailing_garbage 3 "llmroof: $dir/garbage.dot:3: syntax error near 'garbage'" \
    "$llmroof" critical-path "$dir/garbage.dot"

# A quoted name holding a real newline, and the escape \n: the readers
# agree (Graphviz drops a newline that starts a piece of a string).
printf 'digraph { "\n" [time_s=1]; "\\n" [time_s=2]; "a\nb" [time_s=3]; "\n" -> "\\n" -> "a\nb"; }\n' >"$dir/newline.dot"
"$llmroof" critical-path "$dir/newline.dot" --format csv >"$dir/fast.csv" 2>&1
"$llmroof" critical-path "$dir/newline.dot" --format csv --cgraph >"$dir/cgraph.csv" 2>&1
printf 'step,node,op,kind,time_s,repeat,path_time_s,cumulative_s\n0,,,none,1,1,1,1\n1,\\n,\\n,none,2,1,2,3\n2,"a\nb","a\nb",none,3,1,3,6\n' \
    >"$dir/want.csv"
if cmp -s "$dir/fast.csv" "$dir/want.csv" && cmp -s "$dir/cgraph.csv" "$dir/want.csv"; then
    echo "ok: newline names"
else
    echo "FAIL: newline names:"
    cat "$dir/fast.csv" "$dir/cgraph.csv"
    fail=1
fi

# Over the size limit (a sparse file: nothing is written to disk).
truncate -s 1100000000 "$dir/huge.dot"
expect huge_file 3 "llmroof: $dir/huge.dot: the file is 1.1 GB: a DOT file may be 1 GiB at most" \
    "$llmroof" critical-path "$dir/huge.dot"
rm -f "$dir/huge.dot"

# A name that is not UTF-8 is written as U+FFFD in json (it was left out).
printf 'digraph { "a\377b" [time_s=1]; }\n' >"$dir/latin1.dot"
"$llmroof" critical-path "$dir/latin1.dot" --format json >"$dir/out" 2>&1
if grep -q "\"node\": \"a$(printf '\357\277\275')b\"," "$dir/out"; then
    echo "ok: not UTF-8"
else
    echo "FAIL: not UTF-8:"
    cat "$dir/out"
    fail=1
fi

# The formula of a path of 1,200 GEMMs is cut, and says where.
"$llmroof" dag "$configs/llama3-70b-tp8.cfg" --expand --phase prefill -o "$dir/l70.dot" >/dev/null
"$llmroof" critical-path "$dir/l70.dot" --summary --format csv >"$dir/out" 2>&1
if grep -q '+ \.\.\. = [0-9.]* ms (terms cut at 16384 bytes: written up to node 1185 of the path.s 1207)"$' "$dir/out"; then
    echo "ok: terms cut"
else
    echo "FAIL: terms cut:"
    tail -c 300 "$dir/out"
    fail=1
fi

# Json of a path of 100,001 nodes takes about the memory of --summary: the
# rows are written, not built into a tree first (which took 4 times as
# much). Peak memory by GNU time, where it is installed.
"$llmroof" dag --synthetic 50000 -o "$dir/syn.dot" >/dev/null
"$llmroof" critical-path "$dir/syn.dot" --format json >"$dir/out" 2>"$dir/err"
rows=$(grep -c '"step":' "$dir/out")
if [ "$rows" = 100001 ] && grep -q '"path_nodes": 100001,' "$dir/out" && [ "$(tail -c 2 "$dir/out")" = "}" ]; then
    echo "ok: json rows"
else
    echo "FAIL: json rows: $rows"
    fail=1
fi
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$dir/rss_summary" "$llmroof" critical-path "$dir/syn.dot" --summary >/dev/null 2>&1
    /usr/bin/time -f '%M' -o "$dir/rss_json" "$llmroof" critical-path "$dir/syn.dot" --format json >/dev/null 2>&1
    s=$(tail -1 "$dir/rss_summary") j=$(tail -1 "$dir/rss_json")
    if [ $((j * 10)) -le $((s * 13)) ]; then
        echo "ok: json memory: $j KB against $s KB for --summary"
    else
        echo "FAIL: json memory: $j KB against $s KB for --summary"
        fail=1
    fi
fi

# dag: a warning before a long layout (the output folder is missing, so
# the run stops before laying out), a refusal above 50,000 nodes.
expect layout_warning 1 "llmroof: warning: dag: laying out 12150 nodes with Graphviz (dot) takes minutes (17,000 nodes: 145 s); without --expand, layers are folded
llmroof: $dir/none/x.dot: cannot create output: No such file or directory" \
    "$llmroof" dag "$configs/gpt3-175b-a100-tp8-pp2.cfg" --expand -o "$dir/none/x.dot" --svg "$dir/none/x.svg"
expect layout_refused 1 "llmroof: dag: laying out 62556 nodes with Graphviz (dot) would take hours: refused above 50000 nodes (--force-layout to wait for it; without --expand, layers are folded)" \
    "$llmroof" dag "$configs/llama3.1-405b-tp8-pp2.cfg" --expand --set workload.microbatches=16 -o "$dir/big.dot" \
    --svg "$dir/big.svg"
if [ -e "$dir/big.dot" ] || [ -e "$dir/big.svg" ]; then
    echo "FAIL: layout_refused wrote a file"
    fail=1
fi
exit $fail
