/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Today's models (issue 20): per-tensor dtypes and quantized weights,
 * speculative decoding against its closed form, MLA, sliding windows and a
 * Zipf expert skew against hand arithmetic and the papers' counts, and the
 * shipped model configs against their published parameter counts. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check.h"

#include "hw/profile.h"
#include "model/arch.h"
#include "model/config.h"
#include "model/count.h"
#include "model/evaluate.h"
#include "model/spec.h"

static const char *fixture_hw(void)
{
    static char path[1024];
    const char *dir = getenv("LLMROOF_FIXTURES");
    snprintf(path, sizeof path, "%s/hw/good.cfg", dir ? dir : "tests/fixtures");
    return path;
}

static const char *config_path(const char *name)
{
    static char path[1024];
    const char *dir = getenv("LLMROOF_CONFIGS");
    snprintf(path, sizeof path, "%s/%s.cfg", dir ? dir : "configs", name);
    return path;
}

/* 3 layers of hidden 1536, 12 heads and 4 KV heads of 128, GELU MLP 4096,
 * no vocabulary; decode of 3 sequences from 640 tokens, 64 generated.
 * Parameters per layer: Q and O 2 x 1536^2 = 4718592, K and V 2 x 1536 x
 * 512 = 1572864, norms 3072, MLP 2 x 1536 x 4096 = 12582912: 18877440;
 * 3 layers 56632320, and the final norm 1536: 56633856. KV per token and
 * layer: 2 x 4 x 128 = 1024 elements. */
static const char *small = "model = { layers = 3; hidden = 1536; heads = 12; kv_heads = 4; head_dim = 128;\n"
                           "  ffn_hidden = 4096; ffn_act = \"gelu\"; };\n"
                           "workload = { phase = \"decode\"; batch = 3; seq_len = 640; gen_tokens = 64; };\n";

static void load_text(const char *text, const char *hw, const char *const *sets, int nsets, roof_scenario *s)
{
    roof_error err;
    char path[] = "/tmp/llmroof-test-arch-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    int rc = roof_scenario_load(path, NULL, hw, "h100-sxm", sets, nsets, s, NULL, &err);
    unlink(path);
    if (rc != ROOF_OK)
        fail_msg("load: %s: %s", err.where, err.msg);
}

static void load_config(const char *name, const char *const *sets, int nsets, roof_scenario *s)
{
    roof_error err;
    if (roof_scenario_load(config_path(name), NULL, NULL, "h100-sxm", sets, nsets, s, NULL, &err) != ROOF_OK)
        fail_msg("load %s: %s: %s", name, err.where, err.msg);
}

static roof_result *eval_ok(const roof_scenario *s)
{
    static roof_result r;
    roof_error err;
    if (roof_evaluate(s, &r, &err) != ROOF_OK)
        fail_msg("evaluate: %s: %s", err.where, err.msg);
    return &r;
}

static const roof_op *find_op(const roof_op_list *l, const char *name)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->ops[i].name, name) == 0)
            return &l->ops[i];
    fail_msg("no op %s in %s", name, l->kind);
    return NULL;
}

/* workload.dtype sets every tensor left "auto"; an explicit one wins
 * whatever the order; dispatch and combine follow the compute dtype. */
static void test_dtype_shorthand(void **state)
{
    (void)state;
    roof_scenario s;
    const char *sets[] = {"workload.kv_dtype=bf16", "workload.dtype=fp8"};
    load_text(small, "h100-sxm", sets, 2, &s);
    assert_int_equal(roof_workload_dt(&s.workload, ROOF_TENSOR_WEIGHTS), ROOF_DT_FP8);
    assert_int_equal(roof_workload_dt(&s.workload, ROOF_TENSOR_COMPUTE), ROOF_DT_FP8);
    assert_int_equal(roof_workload_dt(&s.workload, ROOF_TENSOR_KV), ROOF_DT_BF16);
    assert_int_equal(roof_workload_dt(&s.workload, ROOF_TENSOR_DISPATCH), ROOF_DT_FP8);
    const char *sets2[] = {"workload.dtype=fp8", "workload.compute_dtype=bf16", "workload.combine_dtype=fp16"};
    load_text(small, "h100-sxm", sets2, 3, &s);
    assert_int_equal(roof_workload_dt(&s.workload, ROOF_TENSOR_WEIGHTS), ROOF_DT_FP8);
    assert_int_equal(roof_workload_dt(&s.workload, ROOF_TENSOR_DISPATCH), ROOF_DT_BF16);
    assert_int_equal(roof_workload_dt(&s.workload, ROOF_TENSOR_COMBINE), ROOF_DT_FP16);

    roof_error err;
    assert_int_equal(roof_scenario_set(&s, "workload.kv_dtype=fp7", &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg,
                        "'workload.kv_dtype' must be fp64, fp32, tf32, bf16, fp16, fp8, int8, fp4, int4, fp6 or auto "
                        "(got 'fp7')");
}

/* Bytes per stored weight, scales included. */
static void test_weight_bytes(void **state)
{
    (void)state;
    roof_workload w = {0};
    w.dtype = ROOF_DT_BF16;
    w.weights_dtype = ROOF_DT_COUNT;
    check_rel(roof_workload_weight_bytes(&w), 2.0, 0, "bf16");
    w.weights_dtype = ROOF_DT_INT4; /* AWQ: 0.5 + (2 + 0.5) / 128 */
    w.weights_group = 128;
    w.weights_scale_bytes = 2.5;
    check_rel(roof_workload_weight_bytes(&w), 0.51953125, 0, "awq int4");
    w.weights_dtype = ROOF_DT_FP4; /* NVFP4: 0.5 + 1 / 16 */
    w.weights_group = 16;
    w.weights_scale_bytes = 1;
    check_rel(roof_workload_weight_bytes(&w), 0.5625, 0, "nvfp4");
    w.weights_group = 32; /* MXFP4: 0.5 + 1 / 32 */
    check_rel(roof_workload_weight_bytes(&w), 0.53125, 0, "mxfp4");
    w.weights_dtype = ROOF_DT_FP6; /* MXFP6: 6 bits = 0.75 + 1 / 32 */
    check_rel(roof_workload_weight_bytes(&w), 0.78125, 0, "mxfp6");
    w.weights_dtype = ROOF_DT_FP8; /* DeepSeek-V3: 1 + 4 / (128 x 128) */
    w.weights_group = 16384;
    w.weights_scale_bytes = 4;
    check_rel(roof_workload_weight_bytes(&w), 1.000244140625, 0, "fp8 block");
}

/* Memory and op bytes follow the weights and KV dtypes; a weight-only
 * GEMM pays its dequantization where it is compute-bound. */
static void test_quantized_memory_and_ops(void **state)
{
    (void)state;
    roof_scenario s;
    load_text(small, fixture_hw(), NULL, 0, &s);
    roof_result *r = eval_ok(&s);
    /* 56633856 x 2 B; KV 3 layers x 1024 x 2 B x 3 sequences x (640 + 64). */
    check_rel(r->memory.weights_bytes, 113267712.0, 1e-15, "bf16 weights");
    check_rel(r->memory.decode_kv_bytes, 12976128.0, 1e-15, "bf16 kv");
    double prefill_q_bf16 = find_op(&r->prefill.ops.dense, "q_proj")->time_s;

    const char *sets[] = {"workload.weights_dtype=int4", "workload.weights_group=128", "workload.weights_scale_bytes=2",
                          "workload.kv_dtype=fp8"};
    load_text(small, fixture_hw(), sets, 4, &s);
    r = eval_ok(&s);
    check_rel(r->memory.weights_bytes, 56633856.0 * 0.515625, 1e-15, "int4 weights");
    check_rel(r->memory.decode_kv_bytes, 12976128.0 / 2.0, 1e-15, "fp8 kv");
    /* Decode q_proj, 3 x 1536 x 1536: A and C in bf16, B at 0.515625 B. */
    const roof_op *q = find_op(&r->decode.ops.dense, "q_proj");
    check_rel(q->gemm.b_elem_bytes, 0.515625, 0, "B bytes");
    check_rel(q->bytes, 2.0 * (3.0 * 1536 + 3.0 * 1536) + 0.515625 * 1536.0 * 1536.0, 1e-15, "q bytes");
    check_rel(q->dequant_elems, 1536.0 * 1536.0, 0, "dequant elems");
    /* Prefill q_proj (1920 rows, compute-bound on the test GPU): the
     * dequantization adds 2 ops x 1536^2 weights x ceil(1920 / 64) = 30 row
     * blocks at the fp32 peak: 141557760 / (23.85e12 x 0.7) s. */
    double dq = 2.0 * 1536.0 * 1536.0 * 30.0 / (23.85e12 * 0.7);
    double prefill_q_int4 = find_op(&r->prefill.ops.dense, "q_proj")->time_s;
    check_rel(prefill_q_int4 - prefill_q_bf16, dq, 1e-9, "dequantization time");
}

/* W8A8: weights and math in fp8, no dequantization; W8A16 dequantizes. */
static void test_w8a8_and_w8a16(void **state)
{
    (void)state;
    roof_scenario s;
    const char *w8a8[] = {"workload.dtype=fp8"};
    load_text(small, "h100-sxm", w8a8, 1, &s);
    roof_result *r = eval_ok(&s);
    const roof_op *q = find_op(&r->decode.ops.dense, "q_proj");
    assert_int_equal(q->gemm.dtype, ROOF_DT_FP8);
    check_rel(q->dequant_elems + 1.0, 1.0, 0, "no dequantization");
    /* A at 1 B, C at 2 B (fp8 GEMMs write bf16), B at 1 B. */
    check_rel(q->bytes, 3.0 * 1536 + 2.0 * 3.0 * 1536 + 1536.0 * 1536.0, 1e-15, "fp8 bytes");
    const char *w8a16[] = {"workload.weights_dtype=fp8"};
    load_text(small, "h100-sxm", w8a16, 1, &s);
    r = eval_ok(&s);
    q = find_op(&r->decode.ops.dense, "q_proj");
    assert_int_equal(q->gemm.dtype, ROOF_DT_BF16);
    check_rel(q->dequant_elems, 1536.0 * 1536.0, 0, "dequantized");
}

/* Expected tokens per step, (1 - a^(k+1)) / (1 - a) (Leviathan et al.
 * 2023, eq. 1): a = 0.8, k = 3: (1 - 0.4096) / 0.2 = 2.952. */
static void test_spec_closed_form(void **state)
{
    (void)state;
    check_rel(roof_spec_expected_tokens(0.8, 3), 2.952, 1e-14, "a=0.8 k=3");
    check_rel(roof_spec_expected_tokens(0.5, 1), 1.5, 1e-15, "a=0.5 k=1");
    check_rel(roof_spec_expected_tokens(0.0, 4), 1.0, 0, "a=0");
    check_rel(roof_spec_expected_tokens(1.0, 4), 5.0, 0, "a=1");
    /* Geometric sum 1 + a + ... + a^k. */
    check_rel(roof_spec_expected_tokens(0.6, 5), 1 + 0.6 + 0.36 + 0.216 + 0.1296 + 0.07776, 1e-14, "a=0.6 k=5");
}

static const char *with_draft = "draft = { layers = 1; hidden = 512; heads = 4; head_dim = 128; ffn_hidden = 1024;\n"
                                "  ffn_act = \"gelu\"; };\n";

/* A draft model: TPOT = (verify of k + 1 tokens + k draft steps) / E. */
static void test_spec_draft(void **state)
{
    (void)state;
    char text[1024];
    snprintf(text, sizeof text, "%s%s", small, with_draft);
    const char *sets[] = {"workload.spec.k=3", "workload.spec.acceptance=0.8"};
    roof_scenario s;
    load_text(text, fixture_hw(), sets, 2, &s);
    roof_result *r = eval_ok(&s);
    const roof_metrics m = r->metrics;
    check_rel(m.spec_tokens, 2.952, 1e-14, "tokens per step");
    check_rel(m.tpot_s * m.spec_tokens, m.spec_step_s, 1e-14, "tpot x tokens");
    check_rel(m.tokens_per_s, 3.0 / m.tpot_s, 1e-14, "throughput");
    /* The verify pass has 4 query tokens per sequence at KV 640 + 31.5:
     * 2 x 3 seqs x 12 heads x 4 x 671.5 keys x (128 + 128) FLOPs. */
    check_rel(find_op(&r->decode.ops.dense, "flash_attn")->flops, 2.0 * 3 * 12 * 4 * 671.5 * 256, 1e-15,
              "verify attention");
    /* Draft: the draft model alone as the deployment, times k. */
    char alone[1024];
    snprintf(alone, sizeof alone,
             "model = { layers = 1; hidden = 512; heads = 4; head_dim = 128; ffn_hidden = 1024; ffn_act = \"gelu\"; "
             "};\nworkload = { phase = \"decode\"; batch = 3; seq_len = 640; gen_tokens = 64; };\n");
    roof_scenario d;
    load_text(alone, fixture_hw(), NULL, 0, &d);
    double one = eval_ok(&d)->decode.sum_stage_s;
    r = eval_ok(&s);
    check_rel(r->metrics.spec_draft_s, 3.0 * one, 1e-14, "draft = k steps");
    /* Memory: the draft's KV, 1 layer x 2 x 4 x 128 x 2 B x 3 x 704, and
     * weights, (4 x 512^2 + 1024 + 2 x 512 x 1024 + its final norm 512) x 2 B. */
    check_rel(r->memory.decode_kv_bytes, 12976128.0 + 4325376.0, 1e-15, "kv with draft");
    check_rel(r->memory.weights_bytes, 113267712.0 + 4197376.0, 1e-15, "weights with draft");

    roof_error err;
    snprintf(text, sizeof text, "%s", small);
    load_text(text, fixture_hw(), sets, 2, &s);
    assert_int_equal(roof_evaluate(&s, r, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.where, "draft");
    assert_string_equal(err.msg, "workload.spec.method = draft needs draft.layers, draft.hidden and draft.heads");
}

/* DeepSeek-V3's MLA: KV per token 61 x (512 + 64) x 2 B = 70272 B in bf16
 * (DeepSeek-V2, Sec. 2.1.3, Table 1: (d_c + d_R) l elements); absorbed
 * decode attention 2 x pairs x (2 d_c + d_R) FLOPs. */
static void test_mla_deepseek_v3(void **state)
{
    (void)state;
    roof_scenario s;
    const char *sets[] = {"workload.spec.k=0"};
    load_config("deepseek-v3-mtp-ep32", sets, 1, &s);
    roof_result *r = eval_ok(&s);
    /* 32 sequences per replica (1024 / dp 32), 4096 + 512 tokens. */
    check_rel(r->memory.decode_kv_bytes, 70272.0 * 32 * 4608, 1e-15, "MLA KV");
    check_rel(roof_arch_kv_elems(&s, &r->plan) * 2.0 * 61, 70272.0, 0, "KV per token");
    const roof_op *fa = find_op(&r->decode.ops.dense, "flash_attn");
    /* 32 sequences x 128 heads x KV 4096 + 255.5. */
    check_rel(fa->flops, 2.0 * 32 * 128 * 4351.5 * (2 * 512 + 64), 1e-15, "absorbed FLOPs");
    /* It reads the latent once for every head: 32 x 4351.5 x 576 x 2 B,
     * plus q (128 x 576) and the latent output (128 x 512) in bf16: the
     * KV cache is bf16, so the fp8 deployment's attention runs in 16 bits
     * (model/ops.c attn_dtype), as FlashMLA does. */
    check_rel(fa->bytes, 32.0 * (128 * 576 + 128 * 512) * 2 + 32.0 * 4351.5 * 576 * 2, 1e-15, "absorbed bytes");
    assert_int_equal(fa->attn_dtype, ROOF_DT_BF16);
    find_op(&r->decode.ops.dense, "q_absorb");
    /* Prefill decompresses: q K over 128 + 64, V 128, causal half. */
    find_op(&r->prefill.ops.dense, "kv_b_proj");
    const roof_op *pf = find_op(&r->prefill.ops.dense, "flash_attn");
    double smb = (double)r->plan.seqs_per_microbatch;
    check_rel(pf->flops, 2.0 * smb * 128 * 4096 * 2048 * (192 + 128), 1e-15, "prefill FLOPs");

    /* Parameters: 671e9 in total, 36.6e9 activated with the 0.9e9 output
     * head but not the embedding (deepseek-ai/DeepSeek-V3@b4e06d8
     * README_WEIGHTS.md). Hand count: attention 187121664 per layer (Q
     * 7168 x 1536 + 1536 + 1536 x 128 x 192; KV 7168 x 576 + 512 + 512 x
     * 128 x 256; O 128 x 128 x 7168; norms 14336); 3 dense MLPs of 3 x 7168
     * x 18432; 58 MoE layers of 257 x 3 x 7168 x 2048 + 7168 x 256. */
    roof_param_count c;
    roof_count_params(&s, &r->plan, &c);
    double attn = 7168.0 * 1536 + 1536 + 1536.0 * 128 * 192 + 7168.0 * 576 + 512 + 512.0 * 128 * 256 +
                  128.0 * 128 * 7168 + 2 * 7168.0;
    check_rel(attn, 187121664.0, 0, "attention by hand");
    double total =
        61 * attn + 3 * 3 * 7168.0 * 18432 + 58 * (257 * 3 * 7168.0 * 2048 + 7168.0 * 256) + 2 * 129280.0 * 7168 + 7168;
    check_rel(c.total, total, 1e-15, "total by hand");
    check_rel(c.total, 671e9, 0.01, "total vs published");
    check_rel(c.active - 129280.0 * 7168, 36.6e9, 0.01, "active vs published");
}

/* Sliding windows: Gemma 3's five local (1024) layers per global one. */
static void test_sliding_window(void **state)
{
    (void)state;
    roof_scenario s;
    load_config("gemma-3-27b", NULL, 0, &s);
    roof_result *r = eval_ok(&s);
    /* At the last generated token: 62 layers x 2 x 16 x 128 x 2 B x 16 sequences x (5/6 x 1024 + 1/6 x
     * 8704) tokens: the local layers cache the window only. */
    double mean = 5.0 / 6.0 * 1024 + 8704.0 / 6.0;
    check_rel(r->memory.decode_kv_bytes, 62.0 * 4096 * 2 * 16 * mean, 1e-14, "gemma KV");
    /* Decode: the local op reads 1024 keys, for 5/6 of the layers. */
    const roof_op *lo = find_op(&r->decode.ops.dense, "flash_attn_local");
    check_rel(lo->flops, 5.0 / 6.0 * 2.0 * 16 * 32 * 1024 * 256, 1e-14, "local decode FLOPs");
    const roof_op *gl = find_op(&r->decode.ops.dense, "flash_attn");
    check_rel(gl->flops, 1.0 / 6.0 * 2.0 * 16 * 32 * (8192 + 255.5) * 256, 1e-14, "global decode FLOPs");

    /* Prefill, every layer local (Mistral): a query at position i sees
     * min(i, W) keys, S W - W^2 / 2 pairs over S queries: 512 - 512^2 /
     * 4096 = 448 keys per query for S = 2048, W = 512. */
    const char *sets[] = {"model.window=512", "workload.seq_len=2048", "workload.phase=prefill"};
    load_text(small, fixture_hw(), sets, 3, &s);
    r = eval_ok(&s);
    lo = find_op(&r->prefill.ops.dense, "flash_attn_local");
    check_rel(lo->flops, 2.0 * 3 * 12 * 2048 * 448 * 256, 1e-15, "local prefill FLOPs");
    check_rel(r->memory.kv_bytes, 3.0 * 1024 * 2 * 3 * 512, 1e-15, "KV of the window");
}

/* Zipf skew: 8 experts over ep = 2, exponent 1. Rank 0 holds experts 1,
 * 3, 5, 7: (1 + 1/3 + 1/5 + 1/7) / H_8 of the load, H_8 = 761/280; the
 * busiest over the mean is 2 x that = 2 x (352/210) / (761/280). */
static void test_zipf_imbalance(void **state)
{
    (void)state;
    roof_scenario s;
    const char *text = "model = { layers = 2; hidden = 512; heads = 4; ffn_hidden = 1024;\n"
                       "  moe = { experts = 8; top_k = 2; zipf = 1.0; imbalance = 1.5; }; };\n"
                       "workload = { phase = \"decode\"; batch = 8; seq_len = 128; gen_tokens = 16; };\n"
                       "parallel = { dp = 2; ep = 2; };\n";
    load_text(text, fixture_hw(), NULL, 0, &s);
    roof_plan p;
    roof_error err;
    assert_int_equal(roof_plan_make(&s, &p, &err), ROOF_OK);
    check_rel(roof_arch_imbalance(&s, &p), 2.0 * (352.0 / 210.0) / (761.0 / 280.0), 1e-14, "zipf 1");
    s.model.zipf = 0.0; /* back to the single figure */
    check_rel(roof_arch_imbalance(&s, &p), 1.5, 0, "imbalance");
}

/* Every shipped model config reproduces its published parameter count
 * within 1% (sources in each file's header). */
static void test_config_param_counts(void **state)
{
    (void)state;
    static const struct {
        const char *config;
        double total;
    } models[] = {
        {"llama-3.1-8b", 8.03e9},            /* model card: 8B (8.03e9 in the safetensors index) */
        {"llama-3.1-70b-awq-int4", 70.6e9},  /* model card: 70B */
        {"llama-3.1-405b-fp8-tp8", 405.9e9}, /* model card: 405B */
        {"qwen3-235b-a22b-tp8", 235e9},      /* model card: 235B total */
        {"mixtral-8x22b-tp8", 141e9},        /* Mistral AI: 141B total */
        {"gemma-3-27b", 27.016e9},           /* Gemma 3 report, Table 1: 1416M + 25600M */
        {"gpt-oss-120b-mxfp4", 116.83e9},    /* model card, Table 1 */
        {"deepseek-v3-mtp-ep32", 671e9},     /* README_WEIGHTS.md */
    };
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        roof_scenario s;
        load_config(models[i].config, NULL, 0, &s);
        roof_plan p;
        roof_error err;
        if (roof_plan_make(&s, &p, &err) != ROOF_OK)
            fail_msg("%s: %s", models[i].config, err.msg);
        roof_param_count c;
        roof_count_params(&s, &p, &c);
        check_rel(c.total, models[i].total, 0.01, models[i].config);
    }
    /* Active: Mixtral 39B, Qwen3 22B (their model cards). */
    roof_scenario s;
    roof_plan p;
    roof_error err;
    roof_param_count c;
    load_config("mixtral-8x22b-tp8", NULL, 0, &s);
    assert_int_equal(roof_plan_make(&s, &p, &err), ROOF_OK);
    roof_count_params(&s, &p, &c);
    check_rel(c.active, 39e9, 0.01, "mixtral active");
    load_config("qwen3-235b-a22b-tp8", NULL, 0, &s);
    assert_int_equal(roof_plan_make(&s, &p, &err), ROOF_OK);
    roof_count_params(&s, &p, &c);
    check_rel(c.active, 22e9, 0.01, "qwen3 active");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dtype_shorthand),          cmocka_unit_test(test_weight_bytes),
        cmocka_unit_test(test_quantized_memory_and_ops), cmocka_unit_test(test_w8a8_and_w8a16),
        cmocka_unit_test(test_spec_closed_form),         cmocka_unit_test(test_spec_draft),
        cmocka_unit_test(test_mla_deepseek_v3),          cmocka_unit_test(test_sliding_window),
        cmocka_unit_test(test_zipf_imbalance),           cmocka_unit_test(test_config_param_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
