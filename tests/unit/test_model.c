/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inference model: a single-GPU layer worked out by hand, FLOPs
 * conserved under every sharding, decode memory-bound, monotonicity in
 * bandwidth, the pipeline bubble, and plan and config errors with their
 * exact messages. */
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

#include "model/config.h"
#include "hw/profile.h"
#include "model/evaluate.h"

static const char *fixture_hw(void)
{
    static char path[1024];
    const char *dir = getenv("LLMROOF_FIXTURES");
    snprintf(path, sizeof path, "%s/hw/good.cfg", dir ? dir : "tests/fixtures");
    return path;
}

/* A small dense model with high-entropy sizes on the test profile
 * (tests/fixtures/hw/good.cfg: bf16 123.4e12, fp32 23.85e12 FLOP/s,
 * 2.385e12 B/s, efficiencies 0.7 and 0.85, tiles 64 x 128 over 10 units,
 * 2.5 us per kernel). */
static const char *small_dense = "model = { layers = 3; hidden = 1536; heads = 12; kv_heads = 4; head_dim = 128;\n"
                                 "  ffn_hidden = 4096; ffn_act = \"gelu\"; };\n"
                                 "workload = { phase = \"prefill\"; batch = 3; seq_len = 640; gen_tokens = 64; };\n";

static void load(const char *text, const char *hw, const char *const *sets, int nsets, roof_scenario *s)
{
    roof_error err;
    char path[] = "/tmp/llmroof-test-model-XXXXXX";
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

/* t = 3 sequences x 640 tokens = 1920 tokens. Each time below is the
 * Get_Time or roofline formula of DESIGN.md worked out by hand (with tile
 * and wave quantization: 64 x 128 tiles, 10 units): for q_proj, 1920 x 1536
 * x 1536: F = 2*1920*1536*1536 = 9059696640; tiles 30*12 = 360, 36 waves of
 * 10, issued = 36*10*64*128*1536 MACs, compute = 2*issued/(123.4e12*0.7) =
 * 1.0487e-4 s > memory 16515072/(2.385e12*0.85) = 8.1e-6 s; + 2.5e-6 s. */
static void test_single_gpu_layer(void **state)
{
    (void)state;
    roof_scenario s;
    load(small_dense, fixture_hw(), NULL, 0, &s);
    roof_result *r = eval_ok(&s);
    const roof_op_list *l = &r->prefill.ops.dense;
    assert_int_equal(l->n, 12); /* 2 norms, 4 projections, attention, 2 residuals, 2 MLP matrices, GELU */
    const roof_op *q = find_op(l, "q_proj");
    check_rel(q->gemm.m, 1920, 0, "q m");
    check_rel(q->gemm.k, 1536, 0, "q k");
    check_rel(q->gemm.n, 1536, 0, "q n");
    check_rel(q->flops, 9059696640.0, 1e-15, "q flops");
    check_rel(q->time_s, 1.0738187821254921e-04, 1e-12, "q time");
    /* K, V: n = 4 KV heads x 128 = 512: F = 3019898880. */
    check_rel(find_op(l, "k_proj")->flops, 3019898880.0, 1e-15, "k flops");
    check_rel(find_op(l, "k_proj")->time_s, 3.7460626070849735e-05, 1e-12, "k time");
    /* Flash: 4 * 3 seqs * 12 heads * 640 * 640 * 128 * 0.5 (causal) =
     * 3774873600 FLOP; bytes 2*3*(2*12*640*128 + 2*4*640*128) = 15728640. */
    const roof_op *fa = find_op(l, "flash_attn");
    check_rel(fa->flops, 3774873600.0, 1e-15, "flash flops");
    check_rel(fa->bytes, 15728640.0, 1e-15, "flash bytes");
    check_rel(fa->time_s, 4.620078258856217e-05, 1e-12, "flash time");
    check_rel(find_op(l, "up_proj")->time_s, 2.821850085667979e-04, 1e-12, "up time");
    check_rel(find_op(l, "down_proj")->time_s, 2.821850085667979e-04, 1e-12, "down time");
    /* Norm: 2 passes over 1920*1536 bf16 at 2.385e12*0.85 B/s + 2.5 us. */
    check_rel(find_op(l, "attn_norm")->time_s, 8.318956714761376e-06, 1e-12, "norm time");
    check_rel(find_op(l, "act")->time_s, 1.8017217906030338e-05, 1e-12, "gelu time");
    /* The layer is the sum of its 12 ops; TTFT is 3 layers (pp 1, one
     * microbatch, no vocabulary). */
    check_rel(l->time_s, 9.573678097687931e-04, 1e-12, "layer time");
    check_rel(r->metrics.ttft_s, 2.8721034293063795e-03, 1e-12, "ttft");
    /* GEMM and attention FLOPs: 3 layers x 76252446720. */
    check_rel(r->totals.gemm_flops, 228757340160.0, 1e-12, "gemm flops");
    check_rel(r->prefill.useful_flops, 228757340160.0, 1e-12, "useful flops");
    assert_int_equal(r->plan.gpus, 1);
}

/* A MoE model with GQA, shared experts, a leading dense layer, a vocabulary
 * and imbalance: every plan below must compute the same useful FLOPs as one
 * GPU, in prefill and in decode. */
static const char *moe_model =
    "model = { layers = 4; hidden = 1024; heads = 16; kv_heads = 4; head_dim = 64; ffn_hidden = 2816;\n"
    "  ffn_act = \"swiglu\"; vocab = 32000;\n"
    "  moe = { experts = 8; top_k = 2; expert_hidden = 1408; shared_experts = 1; first_dense = 1; imbalance = 1.3; }; "
    "};\n"
    "workload = { phase = \"prefill\"; batch = 16; seq_len = 512; context = 700; gen_tokens = 33; };\n";

static void test_flops_conserved(void **state)
{
    (void)state;
    const char *plans[][6] = {
        {"parallel.tp=2", NULL},
        {"parallel.tp=4", "parallel.pp=2", NULL},
        {"parallel.dp=2", "parallel.ep=2", NULL},
        {"parallel.dp=4", "parallel.ep=8", "parallel.tp=2", NULL},
        {"parallel.tp=2", "parallel.ep=2", "parallel.pp=2", NULL},
        {"parallel.tp=2", "parallel.cp=2", NULL},
        {"parallel.tp=4", "parallel.cp=4", NULL},
        {"parallel.tp=4", "parallel.sp=true", "workload.microbatches=2", NULL},
        {"parallel.dp=2", "parallel.tp=2", "parallel.ep=4", "parallel.etp=1", NULL},
        {"parallel.pp=4", "workload.microbatches=4", NULL},
    };
    for (int naive = 0; naive < 2; naive++) {
        const char *base_sets[] = {naive ? "workload.attention=naive" : "workload.attention=flash"};
        roof_scenario one;
        load(moe_model, "h100-sxm", base_sets, 1, &one);
        roof_result *r = eval_ok(&one);
        double want_prefill = r->prefill.useful_flops, want_decode = r->decode.useful_flops;
        assert_true(want_prefill > 0 && want_decode > 0);
        for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++) {
            const char *sets[8];
            int n = 0;
            sets[n++] = base_sets[0];
            for (int j = 0; plans[i][j]; j++)
                sets[n++] = plans[i][j];
            roof_scenario s;
            load(moe_model, "h100-sxm", sets, n, &s);
            r = eval_ok(&s);
            char what[128];
            snprintf(what, sizeof what, "plan %zu (%s ...) prefill", i, plans[i][0]);
            check_rel(r->prefill.useful_flops, want_prefill, 1e-12, what);
            snprintf(what, sizeof what, "plan %zu (%s ...) decode", i, plans[i][0]);
            check_rel(r->decode.useful_flops, want_decode, 1e-12, what);
            /* Repeated work (router, replicated KV heads) only adds. */
            assert_true(r->prefill.gemm_flops >= r->prefill.useful_flops * (1 - 1e-12));
        }
    }
}

/* Decode of one sequence: every GEMM streams its weights once for one
 * token, far below the ridge (about 267 FLOP/B on the H100). */
static void test_decode_small_batch_memory_bound(void **state)
{
    (void)state;
    const char *sets[] = {"workload.batch=1", "workload.phase=decode"};
    roof_scenario s;
    load(moe_model, "h100-sxm", sets, 2, &s);
    roof_result *r = eval_ok(&s);
    const roof_op_list *lists[] = {&r->decode.ops.dense, &r->decode.ops.moe, &r->decode.ops.last};
    int gemms = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < lists[i]->n; j++)
            if (lists[i]->ops[j].kind == ROOF_OP_GEMM) {
                gemms++;
                if (lists[i]->ops[j].bound != ROOF_OP_BOUND_MEMORY)
                    fail_msg("%s is %s-bound in decode at batch 1", lists[i]->ops[j].name,
                             roof_op_bound_name(lists[i]->ops[j].bound));
            }
    assert_true(gemms >= 10);
}

static void test_more_bandwidth_never_slower(void **state)
{
    (void)state;
    const char *variants[][3] = {
        {"parallel.tp=1", NULL},
        {"parallel.tp=4", "workload.batch=64", NULL},
        {"parallel.dp=4", "parallel.ep=4", NULL},
        {"workload.attention=naive", NULL},
    };
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        double last_ttft = INFINITY, last_tpot = INFINITY;
        for (int k = 0; k < 5; k++) {
            char bw[64];
            snprintf(bw, sizeof bw, "hw.memory.bandwidth=%g", 1e12 * pow(2.0, k));
            const char *sets[4] = {bw};
            int n = 1;
            for (int j = 0; variants[i][j]; j++)
                sets[n++] = variants[i][j];
            roof_scenario s;
            load(moe_model, "h100-sxm", sets, n, &s);
            roof_result *r = eval_ok(&s);
            if (r->metrics.ttft_s > last_ttft || r->metrics.tpot_s > last_tpot)
                fail_msg("variant %zu: bandwidth %s made it slower", i, bw);
            last_ttft = r->metrics.ttft_s;
            last_tpot = r->metrics.tpot_s;
        }
    }
}

/* pp = 4 equal stages (no vocabulary), m = 8 microbatches: the prefill takes
 * (m + pp - 1) stage times plus pp - 1 sends, and the bubble is
 * (pp - 1) / (m + pp - 1) = 3/11 (Huang et al. 2019; Narayanan et al. 2021). */
static void test_pipeline_bubble(void **state)
{
    (void)state;
    const char *sets[] = {"parallel.pp=4", "workload.microbatches=8", "workload.batch=16", "model.layers=8"};
    roof_scenario s;
    load(small_dense, fixture_hw(), sets, 4, &s);
    roof_result *r = eval_ok(&s);
    double t = r->prefill.stage_time_s[0];
    check_rel(r->prefill.stage_time_s[3], t, 1e-15, "equal stages");
    check_rel(t, 2.0 * r->prefill.ops.dense.time_s, 1e-15, "two layers per stage");
    check_rel(r->metrics.ttft_s, 11.0 * t + 3.0 * r->prefill.send_time_s, 1e-12, "pipeline time");
    check_rel(r->prefill.bubble, 3.0 / 11.0, 1e-12, "bubble");
}

static void check_plan_error(const char *const *sets, int n, const char *msg)
{
    roof_scenario s;
    load(moe_model, "h100-sxm", sets, n, &s);
    static roof_result r;
    roof_error err;
    assert_int_equal(roof_evaluate(&s, &r, &err), ROOF_ERR_RUNTIME);
    assert_string_equal(err.where, "plan");
    assert_string_equal(err.msg, msg);
}

static void test_plan_errors(void **state)
{
    (void)state;
    const char *a[] = {"parallel.tp=3"};
    check_plan_error(a, 1, "model.heads (16) is not divisible by parallel.tp (3)");
    const char *b[] = {"model.heads=32", "model.kv_heads=12"};
    check_plan_error(b, 2, "model.heads (32) is not a multiple of model.kv_heads (12)");
    const char *b2[] = {"model.kv_heads=8", "model.heads=24", "parallel.tp=12"};
    check_plan_error(b2, 3, "model.kv_heads (8) and parallel.tp (12): one must divide the other");
    const char *c[] = {"parallel.pp=3"};
    check_plan_error(c, 1, "model.layers (4) is not divisible by parallel.pp (3)");
    const char *d[] = {"parallel.ep=3", "parallel.dp=3", "workload.batch=18"};
    check_plan_error(d, 3, "model.moe.experts (8) is not divisible by parallel.ep (3)");
    const char *e[] = {"parallel.tp=2", "parallel.gpus=16"};
    check_plan_error(e, 2, "parallel.gpus (16) does not equal tp*pp*dp*cp = 2*1*1*1 = 2");
    const char *f[] = {"parallel.ep=4"};
    check_plan_error(f, 1, "parallel.ep * etp (4 * 1) must divide tp*cp*dp = 1, the ranks of a pipeline stage");
    const char *g[] = {"parallel.dp=3"};
    check_plan_error(g, 1, "workload.batch (16) is not divisible by parallel.dp (3)");
    const char *h[] = {"workload.microbatches=3"};
    check_plan_error(h, 1, "workload.batch / parallel.dp (16) is not divisible by workload.microbatches (3)");
    const char *i[] = {"parallel.vp=2"};
    check_plan_error(i, 1, "parallel.vp (2) applies to training only (workload.phase is 'prefill')");
    const char *j[] = {"workload.phase=training", "parallel.vp=2"};
    check_plan_error(j, 2, "parallel.vp (2) needs pipeline stages (parallel.pp is 1)");
    const char *k[] = {"workload.phase=training", "parallel.pp=2", "parallel.vp=4"};
    check_plan_error(k, 3, "model.layers / parallel.pp (2) is not divisible by parallel.vp (4)");
    const char *l[] = {"workload.phase=training", "parallel.pp=2", "parallel.vp=2", "workload.microbatches=1"};
    check_plan_error(l, 4,
                     "workload.microbatches (1) is not a multiple of parallel.pp (2), as the interleaved schedule "
                     "(parallel.vp > 1) needs");
}

static void check_config_error(const char *text, const char *where, const char *msg)
{
    roof_scenario s;
    roof_error err;
    assert_int_equal(roof_config_load_text(text, "t.cfg", &s, NULL, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.where, where);
    assert_string_equal(err.msg, msg);
}

static void test_config_errors(void **state)
{
    (void)state;
    check_config_error("model = { hidden = 64; heads = 4; };\n", "t.cfg:1", "missing setting 'model.layers'");
    check_config_error("workload = { batch = 2; };\n", "t.cfg", "missing setting 'model.layers'");
    check_config_error("model = { layers = 2; hidden = 64;\n heads = 4; hiden = 3; };\n", "t.cfg:2",
                       "unknown setting 'model.hiden' (did you mean 'model.hidden'?)");
    check_config_error("model = { layers = 2; hidden = 64; heads = 4; ffn_act = \"relu\"; };\n", "t.cfg:1",
                       "'model.ffn_act' must be gelu or swiglu (got 'relu')");
    check_config_error("model = { layers = 2; hidden = 64; heads = 4; };\nworkload = { batch = -2; };\n", "t.cfg:2",
                       "'workload.batch' must be at least 1 (got -2)");
    check_config_error(
        "model = { layers = 2; hidden = 64; heads = 4; };\nworkload = { dtype = \"fp7\"; };\n", "t.cfg:2",
        "'workload.dtype' must be fp64, fp32, tf32, bf16, fp16, fp8, int8, fp4, int4 or fp6 (got 'fp7')");
    check_config_error("model = { layers = 2; hidden = 64; heads = 4 };\nhw = 5;\n", "t.cfg:2",
                       "'hw' must be a profile name or path in quotes (see 'llmroof hw list')");
    check_config_error("model = { layers = = 2; };\n", "t.cfg:1", "syntax error");
    /* Derived defaults: kv_heads = heads, head_dim = hidden / heads,
     * ffn_hidden = 4 * hidden, context = seq_len. */
    roof_scenario s;
    roof_error err;
    assert_int_equal(
        roof_config_load_text("model = { layers = 2; hidden = 96; heads = 4; };\n", "t.cfg", &s, NULL, &err), ROOF_OK);
    assert_int_equal(roof_hw_load("h100-sxm", &s.hw, &err), ROOF_OK);
    roof_plan p;
    assert_int_equal(roof_plan_make(&s, &p, &err), ROOF_OK);
    assert_int_equal(p.kv_heads, 4);
    assert_int_equal(p.head_dim, 24);
    assert_int_equal(p.ffn_hidden, 384);
    assert_int_equal(p.context, 2048);
}

/* The serving engine's overheads (model/runtime.c), worked by hand. */
static void test_runtime(void **state)
{
    (void)state;
    check_config_error("model = { layers = 2; hidden = 64; heads = 4; };\nruntime = { engine = \"fast\"; };\n",
                       "t.cfg:2", "'runtime.engine' must be none, vllm, sglang or trtllm (got 'fast')");
    /* vllm's defaults: 0.3 ms scheduling + 0.2 ms sampling per pass, 5 us
     * per eager launch, 0.5 us per graph node, 2 ms per request. A set
     * value wins over the engine's. */
    roof_runtime rt = {.engine = ROOF_ENGINE_VLLM, .cuda_graphs = 1, .sampling_s = 1e-3};
    roof_runtime r;
    roof_runtime_resolve(&rt, &r);
    assert_true(r.iteration_s == 0.3e-3 && r.sampling_s == 1e-3 && r.launch_s == 5e-6 && r.graph_launch_s == 0.5e-6 &&
                r.request_s == 2e-3);
    /* 1000 kernels over a 2 ms GPU pass: eager, the host needs 1000 x 5 us
     * = 5 ms > 2 ms, so 0.3 + 1 + 5 = 6.3 ms; from a graph 1000 x 0.5 us =
     * 0.5 ms < 2 ms, so 0.3 + 1 + 2 = 3.3 ms. */
    assert_true(fabs(roof_runtime_pass(&r, 2e-3, 1000.0, 0) - 6.3e-3) < 1e-12);
    assert_true(fabs(roof_runtime_pass(&r, 2e-3, 1000.0, 1) - 3.3e-3) < 1e-12);
    /* none: every overhead 0, the GPU time unchanged. */
    roof_runtime none = {.engine = ROOF_ENGINE_NONE};
    roof_runtime_resolve(&none, &r);
    assert_true(roof_runtime_pass(&r, 2e-3, 1000.0, 0) == 2e-3);
    /* On a whole estimate: the default (none) gives the same metrics as an
     * explicit none, bit for bit; trtllm adds exactly its 1 ms per request
     * to a long prefill (no scheduling or sampling left in the pass: its
     * overlap scheduler) and nothing to a decode step whose graph launches
     * (0.5 us x a few hundred kernels) stay below the GPU time. */
    static const char cfg[] = "model = { layers = 32; hidden = 4096; heads = 32; kv_heads = 8; ffn_hidden = 14336; "
                              "vocab = 128256; ffn_act = \"swiglu\"; };\nworkload = { batch = 1; seq_len = 2048; };\n";
    roof_scenario s;
    roof_error err;
    assert_int_equal(roof_config_load_text(cfg, "t.cfg", &s, NULL, &err), ROOF_OK);
    assert_int_equal(roof_hw_load("h100-sxm", &s.hw, &err), ROOF_OK);
    roof_result *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(roof_evaluate(&s, a, &err), ROOF_OK);
    assert_int_equal(roof_scenario_set(&s, "runtime.engine=none", &err), ROOF_OK);
    assert_int_equal(roof_evaluate(&s, b, &err), ROOF_OK);
    assert_true(memcmp(&a->metrics, &b->metrics, sizeof a->metrics) == 0);
    assert_int_equal(roof_scenario_set(&s, "runtime.engine=trtllm", &err), ROOF_OK);
    assert_int_equal(roof_evaluate(&s, b, &err), ROOF_OK);
    assert_true(fabs(b->metrics.ttft_s - (a->metrics.ttft_s + 1e-3)) < 1e-12);
    assert_true(b->metrics.tpot_s == a->metrics.tpot_s);
    free(a);
    free(b);
}

static const roof_op *op_named(const roof_op_list *l, const char *name)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->ops[i].name, name) == 0)
            return &l->ops[i];
    fail_msg("no op '%s'", name);
    return NULL;
}

/* model/training.c's training fraction, FP8 GEMMs only, TP overlap. */
static void test_training_mechanisms(void **state)
{
    (void)state;
    static const char cfg[] = "model = { layers = 4; hidden = 4096; heads = 32; kv_heads = 8; ffn_hidden = 14336; "
                              "vocab = 0; ffn_act = \"swiglu\"; };\nworkload = { phase = \"training\"; batch = 8; "
                              "microbatches = 8; seq_len = 4096; };\nparallel = { tp = 2; sp = true; };\n";
    roof_scenario s;
    roof_error err;
    assert_int_equal(roof_config_load_text(cfg, "t.cfg", &s, NULL, &err), ROOF_OK);
    assert_int_equal(roof_hw_load("h100-sxm", &s.hw, &err), ROOF_OK);
    s.hw.kernel_overhead = 0.0;
    s.hw.eff_training = 0.0;
    roof_result *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(roof_evaluate(&s, a, &err), ROOF_OK);
    /* A compute-bound GEMM (gate_proj: 2 x 4096 x 4096 x 7168 FLOP) at
     * efficiency.training 0.5 takes twice as long: t = F / (peak x eff x
     * sustained x 0.5). */
    s.hw.eff_training = 0.5;
    assert_int_equal(roof_evaluate(&s, b, &err), ROOF_OK);
    const roof_op *g1 = op_named(&a->training.fwd.ops.dense, "gate_proj");
    const roof_op *g2 = op_named(&b->training.fwd.ops.dense, "gate_proj");
    assert_true(g1->bound == ROOF_OP_BOUND_COMPUTE && g2->bound == ROOF_OP_BOUND_COMPUTE);
    assert_true(fabs(g2->time_s / g1->time_s - 2.0) < 1e-12);
    /* FP8: the GEMMs at the fp8 rate, attention at bf16's (Transformer
     * Engine's recipes): flash_attn takes exactly the bf16 step's time. */
    s.hw.eff_training = 0.0;
    assert_int_equal(roof_scenario_set(&s, "workload.dtype=fp8", &err), ROOF_OK);
    assert_int_equal(roof_evaluate(&s, b, &err), ROOF_OK);
    assert_true(op_named(&b->training.fwd.ops.dense, "flash_attn")->time_s ==
                op_named(&a->training.fwd.ops.dense, "flash_attn")->time_s);
    assert_true(op_named(&b->training.fwd.ops.dense, "gate_proj")->time_s < g1->time_s);
    /* comm_overlap: the all-gather before q_proj keeps only what exceeds
     * q_proj's time, max(0, ag - q). */
    assert_int_equal(roof_scenario_set(&s, "workload.dtype=bf16", &err), ROOF_OK);
    assert_int_equal(roof_scenario_set(&s, "workload.comm_overlap=true", &err), ROOF_OK);
    assert_int_equal(roof_evaluate(&s, b, &err), ROOF_OK);
    double ag = op_named(&a->training.fwd.ops.dense, "attn_allgather")->time_s;
    double q = op_named(&a->training.fwd.ops.dense, "q_proj")->time_s;
    assert_true(fabs(op_named(&b->training.fwd.ops.dense, "attn_allgather")->time_s - (ag > q ? ag - q : 0.0)) < 1e-15);
    assert_true(b->training.step_s < a->training.step_s);
    free(a);
    free(b);
}

/* Activations between the GEMMs in inference (workload.act_dtype): with
 * fp8 compute they stay bf16 by default (W8A8 quantizes the linear
 * layers' inputs only), so on tp 2 the attention all-reduce moves t h 2
 * bytes and the norm reads and writes t h 2 bytes each, while q_proj runs
 * in fp8; act_dtype = fp8 halves both; bf16 compute is unchanged. t =
 * 3 x 640 = 1920 tokens, h = 1536. Attention computes in fp8 only where
 * the KV cache is fp8 too (kv_dtype auto = fp8 here), else in bf16. */
static void test_act_dtype(void **state)
{
    (void)state;
    const struct {
        const char *sets[3];
        int n;
        double width;
        roof_dtype gemm, attn;
    } cases[] = {
        {{"parallel.tp=2", "workload.dtype=fp8"}, 2, 2.0, ROOF_DT_FP8, ROOF_DT_FP8},
        {{"parallel.tp=2", "workload.dtype=fp8", "workload.act_dtype=fp8"}, 3, 1.0, ROOF_DT_FP8, ROOF_DT_FP8},
        {{"parallel.tp=2", "workload.dtype=fp8", "workload.kv_dtype=bf16"}, 3, 2.0, ROOF_DT_FP8, ROOF_DT_BF16},
        {{"parallel.tp=2"}, 1, 2.0, ROOF_DT_BF16, ROOF_DT_BF16},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        roof_scenario s;
        load(small_dense, "h100-sxm", cases[i].sets, cases[i].n, &s);
        roof_result *r = eval_ok(&s);
        const roof_op_list *l = &r->prefill.ops.dense;
        check_rel(find_op(l, "attn_allreduce")->bytes, 1920.0 * 1536 * cases[i].width, 1e-15, "all-reduce bytes");
        check_rel(find_op(l, "attn_norm")->bytes, 1920.0 * 1536 * 2 * cases[i].width, 1e-15, "norm bytes");
        assert_int_equal(find_op(l, "q_proj")->gemm.dtype, cases[i].gemm);
        assert_int_equal(find_op(l, "flash_attn")->attn_dtype, cases[i].attn);
        assert_int_equal(roof_workload_dt(&s.workload, ROOF_TENSOR_ACT),
                         cases[i].width == 2.0 ? ROOF_DT_BF16 : ROOF_DT_FP8);
    }
}

/* How many ops of l are named name. */
static int count_named(const roof_op_list *l, const char *name)
{
    int k = 0;
    for (int i = 0; i < l->n; i++)
        k += strcmp(l->ops[i].name, name) == 0;
    return k;
}

/* The FLOPs of every op of l. */
static double total_flops(const roof_op_list *l)
{
    double f = 0.0;
    for (int i = 0; i < l->n; i++)
        f += l->ops[i].flops;
    return f;
}

/* A parallel block (model.parallel_block): attention and MLP read one
 * input and one reduce closes both. On tp 2 the dense layer then keeps the
 * MLP's all-reduce (t h 2 = 1920 x 1536 x 2 B) and drops the attention's
 * and its residual add; with sequence parallelism one reduce-scatter and
 * one all-gather remain of two each. The GEMMs and their FLOPs are the
 * same, so the layer's time falls by the dropped ops' time. */
static void test_parallel_block(void **state)
{
    (void)state;
    const char *seq[] = {"parallel.tp=2"}, *par[] = {"parallel.tp=2", "model.parallel_block=true"};
    roof_scenario s;
    load(small_dense, "h100-sxm", seq, 1, &s);
    roof_result *r = eval_ok(&s);
    const roof_op_list *l = &r->prefill.ops.dense;
    assert_int_equal(count_named(l, "attn_allreduce") + count_named(l, "mlp_allreduce"), 2);
    double t_seq = l->time_s, flops_seq = total_flops(l);
    double dropped = find_op(l, "attn_allreduce")->time_s + find_op(l, "attn_residual")->time_s;
    load(small_dense, "h100-sxm", par, 2, &s);
    r = eval_ok(&s);
    l = &r->prefill.ops.dense;
    assert_int_equal(count_named(l, "attn_allreduce"), 0);
    assert_int_equal(count_named(l, "attn_residual"), 0);
    check_rel(find_op(l, "mlp_allreduce")->bytes, 1920.0 * 1536 * 2, 1e-15, "the one all-reduce");
    check_rel(total_flops(l), flops_seq - 1920.0 * 1536, 1e-12, "FLOPs less the residual add's");
    check_rel(l->time_s, t_seq - dropped, 1e-9, "layer time less the dropped ops");
    const char *sp[] = {"parallel.tp=2", "model.parallel_block=true", "parallel.sp=true"};
    load(small_dense, "h100-sxm", sp, 3, &s);
    r = eval_ok(&s);
    l = &r->prefill.ops.dense;
    assert_int_equal(count_named(l, "attn_reducescatter") + count_named(l, "mlp_allgather"), 0);
    assert_int_equal(count_named(l, "attn_allgather") + count_named(l, "mlp_reducescatter"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_training_mechanisms),
        cmocka_unit_test(test_runtime),
        cmocka_unit_test(test_single_gpu_layer),
        cmocka_unit_test(test_flops_conserved),
        cmocka_unit_test(test_decode_small_batch_memory_bound),
        cmocka_unit_test(test_more_bandwidth_never_slower),
        cmocka_unit_test(test_pipeline_bubble),
        cmocka_unit_test(test_plan_errors),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_act_dtype),
        cmocka_unit_test(test_parallel_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
