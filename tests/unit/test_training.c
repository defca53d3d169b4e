/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Training mode: FLOP counts against Narayanan et al. 2021 Eq. 3 and
 * Korthikanti et al. 2022's model FLOPs, activation memory against
 * Korthikanti's per-layer formulas (Sec. 4 and 5), the pipeline bubble of
 * 1F1B and the interleaved schedule, ZeRO's sharded memory, backward GEMM
 * shapes, FLOPs conserved under sharding, and monotonicity. */
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

#include "model/activations.h"
#include "model/config.h"
#include "model/evaluate.h"
#include "model/training.h"

/* A GPT as Megatron-LM trains it (Narayanan et al. 2021, Sec. 5.1): MHA,
 * GELU MLP of 4h, vocabulary 51200, fp16, the score matrix materialized. */
static const char *gpt = "model = { layers = 8; hidden = 1024; heads = 16; vocab = 51200; ffn_act = \"gelu\";\n"
                         "  dropout = true; };\n"
                         "workload = { phase = \"training\"; batch = 16; microbatches = 4; seq_len = 2048;\n"
                         "  dtype = \"fp16\"; attention = \"naive\"; };\n"
                         "parallel = { tp = 2; pp = 2; dp = 2; };\n";

static void load(const char *const *sets, int nsets, roof_scenario *s)
{
    roof_error err;
    char path[] = "/tmp/llmroof-test-training-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(gpt, f);
    fclose(f);
    int rc = roof_scenario_load(path, NULL, "a100-sxm", "a100-sxm", sets, nsets, s, NULL, &err);
    unlink(path);
    if (rc != ROOF_OK)
        fail_msg("load: %s: %s", err.where, err.msg);
}

static roof_result *eval(const char *const *sets, int nsets)
{
    static roof_result r;
    static roof_scenario s;
    load(sets, nsets, &s);
    roof_error err;
    if (roof_evaluate(&s, &r, &err) != ROOF_OK)
        fail_msg("evaluate: %s: %s", err.where, err.msg);
    return &r;
}

/* Narayanan's Eq. 3 (FLOPs of one iteration with full recomputation) is
 * what the GPUs execute: our hardware FLOPs. Without recomputation they
 * are Korthikanti's model FLOPs, 72 B s l h^2 (1 + s/(6h) + V/(12 l h));
 * selective recomputation adds the attention core's forward again,
 * Q K^T and attention over V: 4 B s^2 h per layer. */
static void test_flops_against_papers(void **state)
{
    (void)state;
    double B = 16, s = 2048, l = 8, h = 1024, V = 51200;
    double eq3 = 96.0 * B * s * l * h * h * (1.0 + s / (6.0 * h) + V / (16.0 * l * h));
    double model = 72.0 * B * s * l * h * h * (1.0 + s / (6.0 * h) + V / (12.0 * l * h));
    const char *full[] = {"workload.recompute=full"};
    roof_result *r = eval(full, 1);
    check_rel(r->training.hw_flops, eq3, 1e-12, "full recomputation: Narayanan Eq. 3");
    check_rel(r->training.model_flops, model, 1e-12, "model FLOPs (72 B s l h^2 ...)");
    const char *none[] = {"workload.recompute=none"};
    r = eval(none, 1);
    check_rel(r->training.hw_flops, model, 1e-12, "no recomputation: hardware = model FLOPs");
    const char *sel[] = {"workload.recompute=selective"};
    r = eval(sel, 1);
    check_rel(r->training.hw_flops, model + 4.0 * B * s * s * h * l, 1e-12, "selective: + attention core");
    /* MFU and HFU are those FLOPs over the step's peak. */
    double peak = 312e12 * 8.0 * r->training.step_s;
    check_rel(r->training.hfu, (model + 4.0 * B * s * s * h * l) / peak, 1e-12, "hfu");
    check_rel(r->training.mfu, model / peak, 1e-12, "mfu");
}

/* The model FLOPs of a step do not depend on how it is split. */
static void test_flops_conserved(void **state)
{
    (void)state;
    static const char *const plans[][4] = {
        {"parallel.tp=1", "parallel.pp=1", "parallel.dp=1", "workload.microbatches=16"},
        {"parallel.tp=4", "parallel.pp=1", "parallel.dp=2", "workload.microbatches=1"},
        {"parallel.tp=1", "parallel.pp=4", "parallel.dp=4", "workload.microbatches=2"},
        {"parallel.tp=8", "parallel.pp=2", "parallel.dp=1", "workload.microbatches=8"},
    };
    roof_result *r = eval(plans[0], 4);
    double want = r->training.model_flops;
    for (size_t i = 1; i < sizeof plans / sizeof plans[0]; i++) {
        r = eval(plans[i], 4);
        check_rel(r->training.model_flops, want, 1e-12, plans[i][0]);
    }
}

/* Each forward GEMM C[m,n] = A[m,k] B[k,n] has two backward GEMMs of the
 * same FLOPs: dA = dC B^T (m, n, k) and dB = A^T dC (k, m, n). */
static void test_backward_gemms(void **state)
{
    (void)state;
    const char *none[] = {"workload.recompute=none"};
    roof_result *r = eval(none, 1);
    const roof_op_list *f = &r->training.fwd.ops.dense, *b = &r->training.bwd.ops.dense;
    double ff = 0.0, bf = 0.0;
    for (int i = 0; i < f->n; i++)
        if (f->ops[i].kind == ROOF_OP_GEMM)
            ff += f->ops[i].flops;
    for (int i = 0; i < b->n; i++)
        if (b->ops[i].kind == ROOF_OP_GEMM)
            bf += b->ops[i].flops;
    check_rel(bf, 2.0 * ff, 1e-15, "backward GEMM FLOPs = 2 x forward");
    /* q_proj on one rank: 2 sequences x 2048 tokens, h = 1024, n = 512. */
    int dgrad = 0, wgrad = 0;
    for (int i = 0; i < b->n; i++) {
        const roof_op *o = &b->ops[i];
        if (strcmp(o->name, "q_proj") != 0)
            continue;
        if (o->pass == ROOF_PASS_DGRAD) {
            dgrad = 1;
            assert_true(o->gemm.m == 4096 && o->gemm.k == 512 && o->gemm.n == 1024);
        } else if (o->pass == ROOF_PASS_WGRAD) {
            wgrad = 1;
            assert_true(o->gemm.m == 1024 && o->gemm.k == 4096 && o->gemm.n == 512);
        }
    }
    assert_true(dgrad && wgrad);
}

/* Korthikanti et al. 2022, Sec. 4 and 5, for their 22B layer: s = 2048,
 * b = 4, h = 6144, a = 64, t = 8, fp16, dropout. */
static void test_activation_memory(void **state)
{
    (void)state;
    static const char *const base[] = {"model.layers=1", "model.hidden=6144", "model.heads=64",
                                       "model.vocab=0",  "workload.batch=4",  "workload.microbatches=1",
                                       "parallel.pp=1",  "parallel.dp=1",     "parallel.tp=8"};
    double s = 2048, b = 4, h = 6144, a = 64, t = 8, sbh = s * b * h, as = 5.0 * a * s / h;
    struct {
        const char *tp, *sp, *rc;
        double want;
        const char *what;
    } cases[] = {
        {"parallel.tp=1", "parallel.sp=false", "workload.recompute=none", sbh * (34.0 + as), "34sbh + 5as^2b"},
        {"parallel.tp=8", "parallel.sp=false", "workload.recompute=none", sbh * (10.0 + 24.0 / t + as / t),
         "sbh (10 + 24/t + 5as/(ht))"},
        {"parallel.tp=8", "parallel.sp=true", "workload.recompute=none", sbh / t * (34.0 + as), "sbh/t (34 + 5as/h)"},
        {"parallel.tp=8", "parallel.sp=true", "workload.recompute=selective", 34.0 * sbh / t, "34 sbh/t"},
        {"parallel.tp=8", "parallel.sp=false", "workload.recompute=full", 2.0 * sbh, "2sbh"},
        {"parallel.tp=8", "parallel.sp=true", "workload.recompute=full", 2.0 * sbh / t, "2sbh/t"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *sets[12];
        memcpy(sets, base, sizeof base);
        sets[9] = cases[i].tp;
        sets[10] = cases[i].sp;
        sets[11] = cases[i].rc;
        roof_result *r = eval(sets, 12);
        check_rel(r->training.act_layer_bytes, cases[i].want, 1e-12, cases[i].what);
    }
}

/* 1F1B with p equal stages and m microbatches: (m + p - 1) microbatch
 * times, bubble (p-1)/(m+p-1); interleaved with v chunks: (m + (p-1)/v),
 * bubble (p-1)/(v m + p - 1) (Narayanan et al. 2021, Sec. 2.2). No
 * vocabulary, so that every stage is the same. */
static void test_pipeline_bubble(void **state)
{
    (void)state;
    const char *one[] = {"model.vocab=0", "parallel.tp=1", "parallel.pp=4", "parallel.dp=1", "workload.microbatches=8"};
    roof_result *r = eval(one, 5);
    double c = r->training.microbatch_s[0];
    check_rel(r->training.microbatch_s[3], c, 1e-15, "equal stages");
    check_rel(r->training.pipeline_s, 11.0 * c, 1e-12, "1F1B: (m + p - 1) c");
    check_rel(r->training.bubble, 3.0 / 11.0, 1e-12, "1F1B bubble");
    const char *two[] = {"model.vocab=0", "parallel.tp=1",           "parallel.pp=4",
                         "parallel.dp=1", "workload.microbatches=8", "parallel.vp=2"};
    r = eval(two, 6);
    c = r->training.microbatch_s[0];
    check_rel(r->training.pipeline_s, (8.0 + 3.0 / 2.0) * c, 1e-12, "interleaved: (m + (p-1)/v) c");
    check_rel(r->training.bubble, 3.0 / 19.0, 1e-12, "interleaved bubble");
    check_rel(roof_training_bubble(4, 8, 2), 3.0 / 19.0, 1e-15, "roof_training_bubble");
    /* The first stage holds p microbatches (1F1B), or (1 + (p-1)/(p v))
     * times as many (Korthikanti et al. 2022, Sec. 4.2.3). */
    check_rel(r->training.inflight, 4.0 * (1.0 + 3.0 / 8.0), 1e-15, "interleaved in flight");
}

/* ZeRO (Rajbhandari et al. 2020, Sec. 5): 2 bytes of weights, 2 of
 * gradients and 12 of Adam states per parameter; stage 1 shards the
 * states over dp, 2 the gradients too, 3 the weights too. One stage, tp 1:
 * psi = L (4h^2 + 2hf + 2h) + 2Vh + h parameters (projections, MLP, two
 * norm weights per layer; embedding, LM head and the final norm). */
static void test_zero_memory(void **state)
{
    (void)state;
    double L = 8, h = 1024, f = 4096, V = 51200;
    double psi = L * (4.0 * h * h + 2.0 * h * f + 2.0 * h) + 2.0 * V * h + h;
    for (int z = 0; z <= 3; z++) {
        char zs[32];
        snprintf(zs, sizeof zs, "workload.zero=%d", z);
        const char *sets[] = {"parallel.tp=1", "parallel.pp=1", "parallel.dp=4", "workload.microbatches=1", zs};
        roof_result *r = eval(sets, 5);
        check_rel(r->memory.weights_bytes, 2.0 * psi / (z >= 3 ? 4.0 : 1.0), 1e-12, "weights");
        check_rel(r->memory.grads_bytes, 2.0 * psi / (z >= 2 ? 4.0 : 1.0), 1e-12, "gradients");
        check_rel(r->memory.optimizer_bytes, 12.0 * psi / (z >= 1 ? 4.0 : 1.0), 1e-12, "optimizer states");
    }
}

/* Optimizer offload (ZeRO-Offload, Ren et al. 2021), worked by hand on the
 * ZeRO case above: tp 1, pp 1, dp 4, ZeRO-2, fp16 (s = 2), Adam K = 12,
 * psi = 205,538,304 parameters, so each GPU updates L = psi / 4 =
 * 51,384,576. High-entropy host figures: link 0.2385e9 B/s (a slow link, so that part of the download shows), DRAM 61.7e9 B/s.
 *   down = up = L s / link = 51384576 x 2 / 0.2385e9 = 0.430898 s
 *   CPU Adam = L (2K + 2s) / DRAM = 51384576 x 28 / 61.7e9 = 0.0233188 s
 *   offload = (down - the last backward, when longer) + CPU + up
 * Memory: the GPU keeps 2 psi of weights and 2 psi / 4 of gradients, no
 * states; the host holds (K + s) L = 14 x 51384576 = 719,384,064 B. */
static void test_offload(void **state)
{
    (void)state;
    double L = 205538304.0 / 4.0, down = L * 2.0 / 0.2385e9, cpu = L * 28.0 / 61.7e9;
    check_rel(down, 0.430898, 1e-5, "hand value: down");
    check_rel(cpu, 0.0233188, 1e-5, "hand value: CPU Adam");
    const char *sets[] = {"parallel.tp=1",
                          "parallel.pp=1",
                          "parallel.dp=4",
                          "workload.microbatches=1",
                          "workload.zero=2",
                          "workload.offload=optimizer",
                          "hw.host.bandwidth=0.2385e9",
                          "hw.host.memory_bandwidth=61.7e9",
                          "hw.host.memory=0.72e9"};
    roof_result *r = eval(sets, 9);
    const roof_training *tr = &r->training;
    check_rel(tr->offload_down_s, down, 1e-12, "gradients down");
    check_rel(tr->offload_up_s, down, 1e-12, "weights up");
    check_rel(tr->offload_cpu_s, cpu, 1e-12, "CPU Adam");
    /* The backward of one microbatch (4 sequences of 2048 tokens, 8 layers
     * of h 1024 on an A100) is shorter than the download: partly hidden. */
    assert_true(tr->bwd.max_stage_s > 0.0 && tr->bwd.max_stage_s < down);
    check_rel(tr->offload_s, down - tr->bwd.max_stage_s + cpu + down, 1e-12, "offload in the step");
    assert_true(tr->optimizer_s == 0.0);
    check_rel(tr->step_s, tr->pipeline_s + tr->dp_exposed_s + tr->offload_s, 1e-12, "step");
    check_rel(r->memory.weights_bytes, 2.0 * 205538304.0, 1e-12, "offload: weights stay");
    check_rel(r->memory.grads_bytes, 2.0 * L, 1e-12, "offload: gradients stay (ZeRO-2 shard)");
    assert_true(r->memory.optimizer_bytes == 0.0);
    check_rel(r->memory.host_bytes, 719384064.0, 1e-12, "host memory");
    assert_true(r->memory.fits);
    /* The same states do not fit 0.71 GB of host memory. */
    const char *tight[] = {"parallel.tp=1",
                           "parallel.pp=1",
                           "parallel.dp=4",
                           "workload.microbatches=1",
                           "workload.zero=2",
                           "workload.offload=optimizer",
                           "hw.host.bandwidth=0.2385e9",
                           "hw.host.memory_bandwidth=61.7e9",
                           "hw.host.memory=0.71e9"};
    assert_false(eval(tight, 9)->memory.fits);
    /* Two stages, dp 2, ZeRO-1: the last stage holds 4 layers, the final
     * norm and the LM head, 4 x 12,584,960 + 51200 x 1024 + 1024 =
     * 102,769,664 parameters (the first 1024 fewer: the embedding, no
     * norm); its host holds 14 x 102769664 / 2 = 719,387,648 B, though the
     * first stage is the GPU's fullest (two microbatches in flight). */
    const char *two[] = {"parallel.tp=1",
                         "parallel.pp=2",
                         "parallel.dp=2",
                         "workload.microbatches=2",
                         "workload.zero=1",
                         "workload.offload=optimizer",
                         "hw.host.memory=0.719384e9"}; /* between the stages' 719,380,480 and 719,387,648 */
    r = eval(two, 7);
    check_rel(r->memory.host_bytes, 719387648.0, 1e-12, "host memory of the last stage");
    assert_false(r->memory.fits);
}

/* Offload on a profile without a host link: an input error naming the
 * setting, the profile and the missing key. */
static void test_offload_no_host(void **state)
{
    (void)state;
    roof_scenario *s = malloc(sizeof *s);
    roof_result *r = malloc(sizeof *r);
    assert_non_null(s);
    assert_non_null(r);
    const char *sets[] = {"workload.offload=optimizer", "hw.host.bandwidth=0"};
    load(sets, 2, s);
    roof_error err;
    assert_int_equal(roof_evaluate(s, r, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.where, "workload.offload");
    assert_string_equal(err.msg, "'optimizer' needs the host of each GPU: profile 'a100-sxm' has no "
                                 "hw.host.bandwidth (set it in the profile or with --set hw.host.bandwidth=B/S)");
    free(s);
    free(r);
}

/* More work is never faster; overlap never slower. */
static void test_monotone(void **state)
{
    (void)state;
    const char *none[] = {"workload.recompute=none"}, *sel[] = {"workload.recompute=selective"},
               *full[] = {"workload.recompute=full"};
    double t0 = eval(none, 1)->training.step_s, t1 = eval(sel, 1)->training.step_s, t2 = eval(full, 1)->training.step_s;
    assert_true(t0 < t1 && t1 < t2);
    const char *nov[] = {"workload.dp_overlap=false"}, *ov[] = {"workload.dp_overlap=true"};
    double a = eval(nov, 1)->training.step_s, b = eval(ov, 1)->training.step_s;
    assert_true(b <= a);
    const char *z0[] = {"workload.zero=0"}, *z3[] = {"workload.zero=3"};
    assert_true(eval(z3, 1)->training.dp_comm_s > eval(z0, 1)->training.dp_comm_s);
    const char *slow[] = {"hw.network.node.bandwidth=100e9"}, *fast[] = {"hw.network.node.bandwidth=600e9"};
    assert_true(eval(fast, 1)->training.step_s < eval(slow, 1)->training.step_s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flops_against_papers),
        cmocka_unit_test(test_flops_conserved),
        cmocka_unit_test(test_backward_gemms),
        cmocka_unit_test(test_activation_memory),
        cmocka_unit_test(test_pipeline_bubble),
        cmocka_unit_test(test_zero_memory),
        cmocka_unit_test(test_monotone),
        cmocka_unit_test(test_offload),
        cmocka_unit_test(test_offload_no_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
