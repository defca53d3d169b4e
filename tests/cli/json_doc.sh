#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every command that has --format json on shipped configs (and the
# test fixtures where a command reads something else) and checks each
# output against its key list in docs/json.md, both ways: every documented
# key is there with its documented type, every key there is documented
# (tests/cli/json_doc_check.c). Also: every document opens with
# "schema_version": 1.
#   json_doc.sh LLMROOF JSON_DOC_CHECK SOURCE_DIR
bin=$1 checker=$2 src=$3
doc=$src/docs/json.md
cfg=$src/configs/llama3-70b-tp8.cfg
fx=$src/tests/fixtures
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
# case NAME ARGS...: runs llmroof ARGS (its exit status is not checked:
# check exits 4 on findings) and checks the output against NAME's list.
case_() {
    name=$1
    shift
    "$bin" "$@" --format json >"$dir/$name.json" 2>"$dir/$name.err"
    if ! "$checker" "$doc" "$name" "$dir/$name.json"; then
        echo "FAIL: $name (llmroof $*)"
        sed -n 1,5p "$dir/$name.err"
        fail=1
    fi
    if [ "$(sed -n 2p "$dir/$name.json")" != '  "schema_version": 1,' ]; then
        echo "FAIL: $name: the second line is not '  \"schema_version\": 1,'"
        fail=1
    fi
}
case_ bench bench --seconds 0.01 --reps 1
case_ check check "$fx/reports/llama70b-planted.md" --config "$cfg"
case_ comm comm all_reduce 64Mi --group 8
case_ compare compare "$cfg" --hw h100-sxm,h200
case_ critical-path critical-path "$fx/dag/seed001.dot"
case_ critical-path-summary critical-path "$fx/dag/seed001.dot" --summary
case_ estimate estimate "$cfg"
case_ estimate-training estimate "$src/configs/gpt3-175b-train-a100.cfg"
case_ estimate-explain estimate "$cfg" --explain tpot_s
case_ frontier frontier "$cfg" --gpus 8
case_ gettime gettime 4096 4096 4096
case_ hw-list hw list
case_ hw-show hw show h100-sxm
case_ hw-check hw check "$fx/hw/check_errors.cfg"
case_ hw-diff hw diff h100-sxm h200
case_ params params
case_ search search "$cfg" --gpus 8 --top 3
case_ search-quantile search "$cfg" --gpus 8 --top 3 --quantile 0.9
case_ search-goodput search "$fx/serve/small.cfg" --gpus 4 --top 2 --objective goodput --slo 'ttft_p90<=1' --disagg
case_ search-training search "$src/configs/gpt3-175b-train-a100.cfg" --gpus 64 --top 2 --fix tp=8 --fix pp=8
case_ sensitivity sensitivity "$cfg"
case_ serve serve "$fx/serve/small.cfg"
case_ serve-disagg serve "$fx/serve/small.cfg" --disagg 1:2 --slo 'ttft_mean<=1'
case_ solve solve "$cfg" --target 'tpot_s<=0.02' --vary workload.batch --range 1:256
case_ sweep sweep "$cfg" --vary workload.batch=1,8
case_ uncertainty uncertainty "$cfg" --spread hw.memory.bandwidth=3T:3.35T --samples 50
case_ validate-published validate published
case_ validate-calibration validate published --cv --calibration
exit $fail
