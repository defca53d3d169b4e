#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# --model: each Hugging Face config.json under configs/hf/ (configs/hf/
# SOURCES.md) loads and gives its published parameter count within 1%; the
# mapped fields and quantization_config reach the deployment; a field that is
# not understood is an error naming the file and the field.
#   hf_models.sh LLMROOF CONFIGS_HF
set -u
llmroof=$1
hf=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
num() { sed -n "s/.*\"$1\": *\([0-9.eE+-]*\).*/\1/p" | head -1; }
str() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" | head -1; }
within() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d <= t * b) }'; }

# FILE TOTAL ACTIVE (0: not checked): the published counts.
#  Llama 3.1 8B: 8.03e9 = 2 x 128256 x 4096 (embedding, untied head)
#    + 32 x (4096 x (4096 + 2 x 1024 + 4096) + 3 x 4096 x 14336 + 2 x 4096)
#    + 4096 = 8,030,261,248, the model card's "8B" (safetensors index
#    total_size 16,060,522,496 B in bf16 = 8.03e9 parameters).
#  Llama 3.1 70B, 405B: model cards' "70B", "405B" (safetensors indexes:
#    70.55e9, 405.85e9).
#  Qwen3: model cards' "Number of Parameters": 235B total and 22B activated
#    (Qwen3-235B-A22B and -FP8), 32.8B (Qwen3-32B), 8.2B (Qwen3-8B).
#  DeepSeek-V3: README "671B total parameters with 37B activated" (the Hub's
#    685B adds the 14B MTP module: README_WEIGHTS.md); activated not checked
#    (llmroof counts the embedding and head in the active set: 37.5e9).
#  Mixtral: Mistral AI, "Cheaper, Better, Faster, Stronger" (2024): 8x22B
#    141B total, 39B active; Jiang et al. 2024 (Mixtral of Experts), Sec. 2:
#    8x7B 47B total (46.7e9), 13B active (12.9e9).
#  gpt-oss: OpenAI model card (2025), Table 1: 120b 116.83B total, 20b
#    20.91B total (active not checked: the card's excludes the unembedding).
while read -r file total active; do
    out=$("$llmroof" estimate -q --model "$hf/$file" --format json 2>"$tmp/err")
    p=$(printf '%s\n' "$out" | num parameters)
    a=$(printf '%s\n' "$out" | num active_parameters)
    if within "$p" "$total" 0.01; then
        echo "ok: $file: $p parameters, published $total"
    else
        echo "FAIL: $file: $p parameters, published $total ($(cat "$tmp/err"))"
        fail=1
    fi
    if [ "$active" != 0 ]; then
        within "$a" "$active" 0.01 && echo "ok: $file: $a active, published $active" ||
            { echo "FAIL: $file: $a active, published $active"; fail=1; }
    fi
done <<TABLE
meta-llama--Meta-Llama-3.1-8B.json 8.03e9 0
meta-llama--Meta-Llama-3.1-70B.json 70.6e9 0
meta-llama--Meta-Llama-3.1-405B.json 405.9e9 0
Qwen--Qwen3-235B-A22B.json 235e9 22e9
Qwen--Qwen3-235B-A22B-FP8.json 235e9 22e9
Qwen--Qwen3-32B.json 32.8e9 0
Qwen--Qwen3-8B.json 8.2e9 0
deepseek-ai--DeepSeek-V3.json 671e9 0
mistralai--Mixtral-8x22B-v0.1.json 141e9 39e9
mistralai--Mixtral-8x7B-v0.1.json 46.7e9 12.9e9
openai--gpt-oss-120b.json 116.83e9 0
openai--gpt-oss-20b.json 20.91e9 0
TABLE

# quantization_config reaches the per-tensor dtypes. DeepSeek-V3: fp8 e4m3,
# 128 x 128 blocks with one fp32 scale: 1 + 4 / 16384 = 1.000244 B/weight.
out=$("$llmroof" estimate -q --model "$hf/deepseek-ai--DeepSeek-V3.json" --format json)
w=$(printf '%s\n' "$out" | str weights_dtype)
cdt=$(printf '%s\n' "$out" | str compute_dtype)
b=$(printf '%s\n' "$out" | num weight_bytes_per_param)
[ "$w $cdt" = "fp8 fp8" ] && within "$b" 1.000244140625 1e-12 && echo "ok: DeepSeek-V3 fp8 W8A8, $b B/weight" ||
    { echo "FAIL: DeepSeek-V3: weights $w, compute $cdt, $b B/weight (want fp8 fp8 1.000244)"; fail=1; }
# gpt-oss: MXFP4, 32 E2M1 values (0.5 B each) per E8M0 scale (1 B): 0.5 + 1/32
# = 0.53125 B/weight; weight-only, so compute stays bf16.
out=$("$llmroof" estimate -q --model "$hf/openai--gpt-oss-120b.json" --format json)
w=$(printf '%s\n' "$out" | str weights_dtype)
cdt=$(printf '%s\n' "$out" | str compute_dtype)
b=$(printf '%s\n' "$out" | num weight_bytes_per_param)
[ "$w $cdt" = "fp4 bf16" ] && within "$b" 0.53125 1e-12 && echo "ok: gpt-oss mxfp4, $b B/weight" ||
    { echo "FAIL: gpt-oss: weights $w, compute $cdt, $b B/weight (want fp4 bf16 0.53125)"; fail=1; }
# ... and its note says what stays unquantized.
"$llmroof" estimate --model "$hf/openai--gpt-oss-120b.json" --format json 2>"$tmp/err" >/dev/null
grep -q "modules_to_not_convert keeps self_attn, embed_tokens, lm_head unquantized" "$tmp/err" &&
    echo "ok: gpt-oss note on modules_to_not_convert" || { echo "FAIL: no note: $(cat "$tmp/err")"; fail=1; }

# An AWQ int4 model (the Llama 3.1 8B file with AutoAWQ's quantization_config
# added): int4 + (2 B fp16 scale + 0.5 B int4 zero) / 128 = 0.5 + 2.5/128 =
# 0.51953125 B/weight, compute bf16.
sed 's/^{/{ "quantization_config": { "quant_method": "awq", "bits": 4, "group_size": 128, "zero_point": true, "version": "gemm" },/' \
    "$hf/meta-llama--Meta-Llama-3.1-8B.json" >"$tmp/awq.json"
out=$("$llmroof" estimate -q --model "$tmp/awq.json" --format json)
b=$(printf '%s\n' "$out" | num weight_bytes_per_param)
w=$(printf '%s\n' "$out" | str weights_dtype)
[ "$w" = int4 ] && within "$b" 0.51953125 1e-12 && echo "ok: AWQ int4 g128, $b B/weight" ||
    { echo "FAIL: AWQ: weights $w, $b B/weight (want int4 0.51953125)"; fail=1; }

# A --set after --model wins; --model replaces the config's model section.
out=$("$llmroof" estimate -q --model "$hf/meta-llama--Meta-Llama-3.1-8B.json" --set model.layers=16 --format json)
p=$(printf '%s\n' "$out" | num parameters)
# 8,030,261,248 - 16 x 218,112,000 (one layer: 41,943,040 + 176,160,768 + 8192) = 4,540,469,248
within "$p" 4540469248 1e-9 && echo "ok: --set model.layers=16 after --model: $p" ||
    { echo "FAIL: --set after --model: $p, want 4540469248"; fail=1; }
n=$("$llmroof" estimate -q "${hf%/hf}/mixtral-8x7b-tp2.cfg" --model "$hf/meta-llama--Meta-Llama-3.1-8B.json" \
    --format json | num parameters)
within "$n" 8030261248 1e-9 && echo "ok: --model over a MoE config is dense: $n" ||
    { echo "FAIL: --model over mixtral-8x7b-tp2.cfg: $n, want 8030261248"; fail=1; }

# The Gemma, Phi-3 and Qwen window rules, on inputs made here from the
# Llama 3.1 8B file (test inputs, not models): gemma3_text with a 1024-token
# window every 6th layer global, its tie_word_embeddings left out (true by
# default in Gemma3TextConfig): 8,030,261,248 - 128256 x 4096 =
# 7,504,924,672 parameters; the same as the text_config of a gemma3 file.
llama="$hf/meta-llama--Meta-Llama-3.1-8B.json"
explain() { "$llmroof" estimate -q --model "$1" --explain "$2" | sed -n 2p | awk '{ print $3 }'; }
sed 's/"model_type": "llama"/"model_type": "gemma3_text"/; /tie_word_embeddings/d; s/^{/{ "sliding_window": 1024, "sliding_window_pattern": 6,/' \
    "$llama" >"$tmp/g3text.json"
{ printf '{ "model_type": "gemma3", "mm_tokens_per_image": 256, "text_config": '; cat "$tmp/g3text.json"; printf '}\n'; } >"$tmp/g3.json"
for f in g3text g3; do
    w=$(explain "$tmp/$f.json" model.window)
    g=$(explain "$tmp/$f.json" model.global_every)
    p=$("$llmroof" estimate -q --model "$tmp/$f.json" --format json | num parameters)
    [ "$w $g" = "1024 6" ] && within "$p" 7504924672 1e-9 && echo "ok: $f: window $w, every $g global, tied: $p" ||
        { echo "FAIL: $f: window $w, global_every $g, $p parameters (want 1024 6 7504924672)"; fail=1; }
done
# gpt-oss-120b's layer_types alternate sliding (128) and full from layer 0.
w=$(explain "$hf/openai--gpt-oss-120b.json" model.window)
g=$(explain "$hf/openai--gpt-oss-120b.json" model.global_every)
[ "$w $g" = "128 2" ] && echo "ok: gpt-oss: window $w, every $g-nd layer global" ||
    { echo "FAIL: gpt-oss: window $w, global_every $g (want 128 2)"; fail=1; }
# Phi-3 with a window: every layer local.
sed 's/"model_type": "llama"/"model_type": "phi3"/; s/^{/{ "sliding_window": 2047,/' "$llama" >"$tmp/phi3.json"
w=$(explain "$tmp/phi3.json" model.window)
g=$(explain "$tmp/phi3.json" model.global_every)
[ "$w $g" = "2047 0" ] && echo "ok: phi3: window $w on every layer" ||
    { echo "FAIL: phi3: window $w, global_every $g (want 2047 0)"; fail=1; }

# Errors: a field not understood, a quant_method not understood, bad JSON.
expect_err() {
    want=$1
    shift
    "$llmroof" estimate "$@" >/dev/null 2>"$tmp/err"
    rc=$?
    got=$(cat "$tmp/err")
    [ "$rc" = 3 ] && [ "$got" = "$want" ] && echo "ok: $want" ||
        { echo "FAIL: exit $rc, stderr '$got', want 3 and '$want'"; fail=1; }
}
sed 's/^{/{ "num_experts_per_layer": 4,/' "$hf/meta-llama--Meta-Llama-3.1-8B.json" >"$tmp/extra.json"
expect_err "llmroof: $tmp/extra.json: field 'num_experts_per_layer' is not understood (it may change the cost; a field llmroof does not read is an error, not a guess)" --model "$tmp/extra.json"
sed 's/"quant_method": "fp8"/"quant_method": "bitsandbytes"/' "$hf/deepseek-ai--DeepSeek-V3.json" >"$tmp/bnb.json"
expect_err "llmroof: $tmp/bnb.json: field 'quantization_config.quant_method' ('bitsandbytes') is not understood (read: fp8, awq, gptq, mxfp4)" --model "$tmp/bnb.json"
sed 's/"model_type": "llama"/"model_type": "falcon"/' "$hf/meta-llama--Meta-Llama-3.1-8B.json" >"$tmp/falcon.json"
expect_err "llmroof: $tmp/falcon.json: field 'model_type' ('falcon') is not understood (read: llama, mistral, mixtral, qwen2, qwen2_moe, qwen3, qwen3_moe, deepseek_v2, deepseek_v3, gemma2, gemma3, gemma3_text, gpt_oss, phi3)" --model "$tmp/falcon.json"
sed 's/"model_type": "llama"/"model_type": "qwen3"/; s/^{/{ "use_sliding_window": true, "sliding_window": 4096,/' "$llama" >"$tmp/qsw.json"
expect_err "llmroof: $tmp/qsw.json: field 'use_sliding_window' = true is not understood (Qwen's max_window_layers split is not modelled)" --model "$tmp/qsw.json"
sed 's/"model_type": "llama"/"model_type": "gemma2"/; s/^{/{ "sliding_window": 4096, "layer_types": ["sliding_attention", "full_attention", "full_attention", "sliding_attention"],/' "$llama" >"$tmp/lt.json"
expect_err "llmroof: $tmp/lt.json: field 'layer_types' must list num_hidden_layers (32) entries" --model "$tmp/lt.json"
printf '{ "model_type": "llama",\n  "hidden_size": 4096,, }\n' >"$tmp/bad.json"
"$llmroof" estimate --model "$tmp/bad.json" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" = 3 ] && grep -q "^llmroof: $tmp/bad.json: line 2: " "$tmp/err" && echo "ok: bad JSON names file and line" ||
    { echo "FAIL: bad JSON: exit $rc, $(cat "$tmp/err")"; fail=1; }
exit $fail
