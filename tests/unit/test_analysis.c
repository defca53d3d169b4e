/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analyses: elasticities of a compute-bound GEMM workload (-1 to the
 * peak, 0 to the bandwidth), the homogeneity of the roofline (elasticities
 * to peak and bandwidth sum to -1), solve recovering known values, the
 * search against a brute-force enumeration, merged shards equal to one run,
 * Monte Carlo reproducible by seed, and the parsers' exact messages. */
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

#include "analysis/analysis.h"
#include "analysis/search.h"
#include "model/config.h"

static const char *fixture_hw(void)
{
    static char path[1024];
    const char *dir = getenv("LLMROOF_FIXTURES");
    snprintf(path, sizeof path, "%s/hw/good.cfg", dir ? dir : "tests/fixtures");
    return path;
}

static void load(const char *text, const char *const *sets, int nsets, roof_scenario *s)
{
    roof_error err;
    char path[] = "/tmp/llmroof-test-analysis-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    int rc = roof_scenario_load(path, NULL, fixture_hw(), "h100-sxm", sets, nsets, s, NULL, &err);
    unlink(path);
    if (rc != ROOF_OK)
        fail_msg("load: %s: %s", err.where, err.msg);
}

/* A single GPU (no collectives), no kernel overhead, a prefill of 8 x 4096
 * tokens: every GEMM of a layer (m = 32768 tokens, k and n >= 1024) has an
 * arithmetic intensity far above the fixture's ridge point (123.4e12 * 0.7
 * / (2.385e12 * 0.85) = 42.6 FLOP/B), so each is compute-bound. */
static const char *big_prefill = "model = { layers = 2; hidden = 2048; heads = 16; kv_heads = 8; head_dim = 128;\n"
                                 "  ffn_hidden = 5632; ffn_act = \"swiglu\"; vocab = 0; };\n"
                                 "workload = { phase = \"prefill\"; batch = 8; seq_len = 4096; gen_tokens = 16; };\n";
static const char *const no_overhead[] = {"hw.kernel.overhead=0"};

/* The GEMM-only workload: the GEMM ops of one dense prefill layer. */
static double gemm_time(const roof_result *r)
{
    double t = 0.0;
    for (int i = 0; i < r->prefill.ops.dense.n; i++)
        if (r->prefill.ops.dense.ops[i].kind == ROOF_OP_GEMM)
            t += r->prefill.ops.dense.ops[i].time_s;
    return t;
}
static const roof_metric gemm_metric = {"gemm_time_s", "s", 0, ROOF_EVAL_PREFILL, gemm_time, "GEMMs of a layer"};

static const roof_sens_row *row_of(const roof_sens_row *rows, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].knob.param->path, path) == 0)
            return &rows[i];
    fail_msg("no sensitivity row for %s", path);
    return NULL;
}

static void test_elasticity_compute_bound(void **state)
{
    (void)state;
    static roof_scenario s;
    static roof_sens_row rows[ROOF_SENS_MAX_ROWS];
    roof_error err;
    size_t n;
    load(big_prefill, no_overhead, 1, &s);
    assert_int_equal(roof_sensitivity(&s, &gemm_metric, 10.0, rows, ROOF_SENS_MAX_ROWS, &n, &err), ROOF_OK);
    /* t = issued FLOPs / (P * eff): d ln t / d ln P = -1 exactly; the
     * memory side of the max() is not taken, so the bandwidth has none. */
    check_rel(row_of(rows, n, "hw.compute.bf16")->elasticity, -1.0, 1e-6, "elasticity to bf16 peak");
    check_rel(row_of(rows, n, "hw.efficiency.compute")->elasticity, -1.0, 1e-6, "elasticity to compute eff");
    assert_true(fabs(row_of(rows, n, "hw.memory.bandwidth")->elasticity) < 1e-9);
    assert_true(fabs(row_of(rows, n, "hw.network.node.bandwidth")->elasticity) < 1e-9);
    /* Ranked by |elasticity|: the two compute knobs first. */
    assert_true(fabs(rows[0].elasticity) >= fabs(rows[1].elasticity));
    check_rel(fabs(rows[0].elasticity), 1.0, 1e-6, "top elasticity");
    /* +-10% swing: t(0.9 P) - t(1.1 P) = t0 (1/0.9 - 1/1.1). */
    const roof_sens_row *p = row_of(rows, n, "hw.compute.bf16");
    check_rel(p->swing, p->metric * (1.0 / 0.9 - 1.0 / 1.1), 1e-12, "swing to bf16 peak");
    /* Whole-number parameters have a swing but no elasticity. */
    assert_false(row_of(rows, n, "workload.batch")->has_elasticity);
    /* The compute knobs move a compute-bound GEMM; the bandwidth and the
     * price do not (the memory side of the max() is not taken; a time
     * has no price in it), so a caller may leave them out. */
    assert_true(row_of(rows, n, "hw.compute.bf16")->moves);
    assert_false(row_of(rows, n, "hw.memory.bandwidth")->moves);
    assert_false(row_of(rows, n, "hw.price.usd_per_hour")->moves);
    assert_string_equal(row_of(rows, n, "hw.compute.bf16")->why, "");

    /* The whole TTFT: with no overhead and no collectives every op is a
     * roofline max(F / P, B / BW), so TTFT is homogeneous of degree -1 in
     * (P, BW) and, by Euler's theorem, the two elasticities sum to -1. */
    const roof_metric *ttft;
    assert_int_equal(roof_metric_find("ttft_s", "--metric", &ttft, &err), ROOF_OK);
    assert_int_equal(roof_sensitivity(&s, ttft, 10.0, rows, ROOF_SENS_MAX_ROWS, &n, &err), ROOF_OK);
    double ep = row_of(rows, n, "hw.compute.bf16")->elasticity, eb = row_of(rows, n, "hw.memory.bandwidth")->elasticity;
    check_rel(ep + eb, -1.0, 1e-6, "euler: elasticities to peak and bandwidth");
    assert_true(ep < -0.5 && eb < 0.0); /* mostly compute, some memory-bound elementwise ops */
}

/* A perturbation that breaks the plan says why: with tp 8, ffn_hidden
 * 5632 - 10% = 5068.8, rounded 5069, is not divisible by 8 (5632 / 8 = 704
 * is). The row moves (it cannot be left out as irrelevant) and its
 * metric_low is NaN. */
static void test_sensitivity_says_why(void **state)
{
    (void)state;
    static roof_scenario s;
    static roof_sens_row rows[ROOF_SENS_MAX_ROWS];
    static const char *const tp8[] = {"hw.kernel.overhead=0", "parallel.tp=8"};
    roof_error err;
    size_t n;
    load(big_prefill, tp8, 2, &s);
    const roof_metric *ttft;
    assert_int_equal(roof_metric_find("ttft_s", "--metric", &ttft, &err), ROOF_OK);
    assert_int_equal(roof_sensitivity(&s, ttft, 10.0, rows, ROOF_SENS_MAX_ROWS, &n, &err), ROOF_OK);
    const roof_sens_row *f = row_of(rows, n, "model.ffn_hidden");
    assert_string_equal(f->why, "p -10%: plan: model.ffn_hidden (5069) is not divisible by parallel.tp (8)");
    assert_true(f->moves);
    assert_true(isnan(f->metric_low));
}

static void test_solve_recovers(void **state)
{
    (void)state;
    static roof_scenario s;
    static roof_result r;
    roof_error err;
    roof_knob peak, bw;
    load(big_prefill, no_overhead, 1, &s);
    assert_int_equal(roof_knob_find("hw.compute.bf16", "--vary", &peak, &err), ROOF_OK);
    assert_int_equal(roof_evaluate(&s, &r, &err), ROOF_OK);
    /* The GEMM time is proportional to 1/P: t0 / 2.385 needs 2.385 P0. */
    double t0 = gemm_time(&r);
    roof_target t = {&gemm_metric, 1, t0 / 2.385};
    roof_solve_result res;
    assert_int_equal(roof_solve(&s, &t, &peak, 1e12, 1e16, &res, &err), ROOF_OK);
    assert_true(res.reached);
    check_rel(res.value, 2.385 * 123.4e12, 1e-9, "solved bf16 peak");

    /* A known bandwidth: the TTFT at 1.7e12 B/s, then solve for it. */
    assert_int_equal(roof_knob_find("hw.memory.bandwidth", "--vary", &bw, &err), ROOF_OK);
    roof_knob_put(&bw, &s, 1.7e12);
    assert_int_equal(roof_evaluate(&s, &r, &err), ROOF_OK);
    const roof_metric *ttft;
    assert_int_equal(roof_metric_find("ttft_s", "--metric", &ttft, &err), ROOF_OK);
    roof_target t2 = {ttft, 1, r.metrics.ttft_s};
    roof_knob_put(&bw, &s, 2.385e12);
    assert_int_equal(roof_solve(&s, &t2, &bw, 1e11, 1e14, &res, &err), ROOF_OK);
    assert_true(res.reached);
    check_rel(res.value, 1.7e12, 1e-6, "solved bandwidth");

    /* Out of reach: half the compute-bound time cannot come from bandwidth;
     * the best found is the top of the range. */
    roof_target t3 = {ttft, 1, r.metrics.ttft_s / 3.0};
    assert_int_equal(roof_solve(&s, &t3, &bw, 1e12, 1e13, &res, &err), ROOF_OK);
    assert_false(res.reached);
    check_rel(res.best_value, 1e13, 1e-12, "best bandwidth when out of reach");
}

/* A small dense model on 4 GPUs of one node (the fixture's node is 4). */
static const char *small = "model = { layers = 4; hidden = 1536; heads = 12; kv_heads = 4; head_dim = 128;\n"
                           "  ffn_hidden = 4096; vocab = 32000; };\n"
                           "workload = { phase = \"decode\"; batch = 8; seq_len = 640; gen_tokens = 64; };\n";

/* The search against brute force: every (tp, cp, pp, dp, mb, sp) with
 * tp*cp*pp*dp = 4 written out independently, evaluated, and the best
 * throughput among those that fit picked by a plain comparison. The plans'
 * throughputs on the fixture (`llmroof search --top 40 --format csv`, each
 * equal to `llmroof estimate` of that plan): tp 2 x dp 2 34854 tok/s,
 * tp 2 x pp 2 33376, dp 4 31207, pp 4 with 2 microbatches 29887, tp 4
 * 29839, tp 2 x cp 2 28594. Decode reads every weight and the KV cache once
 * per step, so splitting them is what pays: tp 2 halves both per rank with
 * 4 KV heads split evenly and a 2-rank all-reduce on the node's links; tp 4
 * pays four times the all-reduce steps for a smaller gain; dp 4 reads the
 * whole weights on every rank; more microbatches read them once per
 * microbatch. sp makes no difference in decode (it ties with sp off and
 * ranks after it: the lower candidate number wins). */
static void test_search_brute_force(void **state)
{
    (void)state;
    static roof_scenario s, t;
    static roof_result r;
    roof_error err;
    load(small, NULL, 0, &s);
    roof_search_opts o;
    roof_search_opts_init(&o);
    assert_int_equal(roof_search_objective("throughput", &o.objective, &err), ROOF_OK);
    o.gpus = 4;
    o.top = 3;
    roof_search_result res;
    assert_int_equal(roof_search_run(&s, &o, &res, &err), ROOF_OK);
    double best = -1.0;
    int64_t count = 0, valid = 0;
    roof_plan_choice arg = {.tp = 0};
    for (int64_t tp = 1; tp <= 4; tp++)
        for (int64_t cp = 1; cp <= 4; cp++)
            for (int64_t pp = 1; pp <= 4; pp++)
                for (int64_t dp = 1; dp <= 4; dp++)
                    for (int64_t mb = 1; mb <= 8; mb++)
                        for (int sp = 0; sp <= 1; sp++) {
                            if (tp * cp * pp * dp != 4 || (sp && tp == 1))
                                continue;
                            t = s;
                            t.parallel =
                                (roof_parallel){.tp = tp, .pp = pp, .ep = 1, .dp = dp, .cp = cp, .vp = 1, .sp = sp};
                            t.workload.microbatches = mb;
                            if (roof_evaluate(&t, &r, &err) != ROOF_OK)
                                continue;
                            valid++;
                            count++;
                            if (r.memory.fits && r.metrics.tokens_per_s > best) {
                                best = r.metrics.tokens_per_s;
                                arg = (roof_plan_choice){
                                    .tp = tp, .cp = cp, .pp = pp, .dp = dp, .ep = 1, .microbatches = mb, .sp = sp};
                            }
                        }
    assert_int_equal(res.counts.valid, valid);
    assert_true(res.n == 3);
    check_rel(res.rows[0].objective, best, 0.0, "best throughput");
    assert_int_equal(res.rows[0].plan.tp, arg.tp);
    assert_int_equal(res.rows[0].plan.pp, arg.pp);
    assert_int_equal(res.rows[0].plan.dp, arg.dp);
    assert_int_equal(res.rows[0].plan.cp, arg.cp);
    assert_int_equal(res.rows[0].plan.microbatches, arg.microbatches);
    /* The optimum argued above: tp 2 x dp 2, one microbatch, sp off. */
    assert_int_equal(arg.tp, 2);
    assert_int_equal(arg.dp, 2);
    assert_int_equal(arg.microbatches, 1);
    check_rel(best, 34853.761428406528, 1e-12, "tp 2 x dp 2 throughput");
    assert_int_equal(res.rows[1].plan.sp, 1); /* the tie, second */
    assert_true(res.rows[0].objective >= res.rows[1].objective && res.rows[1].objective >= res.rows[2].objective);
    roof_search_result_free(&res);
}

/* Three shards merged through roof_search_offer give the unsharded rows. */
static void test_shards_merge(void **state)
{
    (void)state;
    static roof_scenario s;
    roof_error err;
    const char *sets[] = {"workload.batch=64"};
    load(small, sets, 1, &s);
    roof_search_opts o;
    roof_search_opts_init(&o);
    assert_int_equal(roof_search_objective("tpot", &o.objective, &err), ROOF_OK);
    o.gpus = 16;
    o.top = 7;
    assert_int_equal(roof_target_parse("ttft_s<=10", "--constraint", &o.constraints[0], &err), ROOF_OK);
    o.nconstraints = 1;
    roof_search_result all, merged;
    memset(&merged, 0, sizeof merged);
    assert_int_equal(roof_search_run(&s, &o, &all, &err), ROOF_OK);
    int64_t evaluated = 0;
    for (int64_t i = 0; i < 3; i++) {
        roof_search_result part;
        o.shard = i;
        o.shards = 3;
        assert_int_equal(roof_search_run(&s, &o, &part, &err), ROOF_OK);
        assert_int_equal(part.counts.candidates, all.counts.candidates);
        evaluated += part.counts.evaluated;
        for (size_t k = 0; k < part.n; k++)
            assert_int_equal(roof_search_offer(&merged, o.top, 0, &part.rows[k], &err), ROOF_OK);
        roof_search_result_free(&part);
    }
    assert_int_equal(evaluated, all.counts.evaluated);
    assert_true(all.n == 7);
    assert_true(merged.n == all.n);
    for (size_t k = 0; k < all.n; k++) {
        assert_int_equal(merged.rows[k].index, all.rows[k].index);
        assert_true(merged.rows[k].objective == all.rows[k].objective);
        assert_memory_equal(merged.rows[k].metrics, all.rows[k].metrics, sizeof all.rows[k].metrics);
    }
    roof_search_result_free(&all);
    roof_search_result_free(&merged);
}

static void test_uncertainty_seeded(void **state)
{
    (void)state;
    static roof_scenario s;
    roof_error err;
    load(small, NULL, 0, &s);
    const roof_metric *m[2];
    size_t nm, failed;
    assert_int_equal(roof_metric_list("tpot_s,ttft_s", "--metrics", m, 2, &nm, &err), ROOF_OK);
    roof_spread sp[2];
    assert_int_equal(roof_spread_parse("hw.memory.bandwidth=1T:3T", "--spread", &sp[0], &err), ROOF_OK);
    assert_int_equal(roof_spread_parse("hw.efficiency.memory=0.7:0.9", "--spread", &sp[1], &err), ROOF_OK);
    double q1[6], q2[6], q3[6];
    assert_int_equal(roof_uncertainty(&s, sp, 2, m, nm, 500, 7, NULL, q1, &failed, &err), ROOF_OK);
    assert_int_equal(roof_uncertainty(&s, sp, 2, m, nm, 500, 7, NULL, q2, &failed, &err), ROOF_OK);
    assert_memory_equal(q1, q2, sizeof q1);
    assert_int_equal(failed, 0);
    assert_true(q1[0] < q1[1] && q1[1] < q1[2]);
    /* A range of one point: every percentile is the point's value. */
    static roof_result r;
    assert_int_equal(roof_spread_parse("hw.memory.bandwidth=2.385T:2.385T", "--spread", &sp[0], &err), ROOF_OK);
    assert_int_equal(roof_uncertainty(&s, sp, 1, m, nm, 50, 1, NULL, q3, &failed, &err), ROOF_OK);
    s.hw.mem_bandwidth = 2.385e12;
    assert_int_equal(roof_evaluate(&s, &r, &err), ROOF_OK);
    check_rel(q3[0], r.metrics.tpot_s, 0.0, "p5 of a point");
    check_rel(q3[2], r.metrics.tpot_s, 0.0, "p95 of a point");
    /* With the model's error: a table whose every op regime says "twice
     * as slow, no spread" (mean log 2, sd 0) doubles every op, so every
     * percentile of TPOT and TTFT is twice the point's (no pipeline: a
     * sum of op times). */
    static roof_errm em;
    memset(&em, 0, sizeof em);
    for (int k = 0; k < ROOF_REGIME_OPS; k++) {
        roof_errm_row *row = &em.rows[em.n++];
        row->regime = k;
        snprintf(row->generation, sizeof row->generation, "all");
        row->n = 10;
        row->mean_log = log(2.0);
    }
    double q4[6];
    assert_int_equal(roof_uncertainty(&s, sp, 1, m, nm, 20, 1, &em, q4, &failed, &err), ROOF_OK);
    for (int l = 0; l < 3; l++) {
        check_rel(q4[l], 2.0 * r.metrics.tpot_s, 1e-12, "tpot with the model's error");
        check_rel(q4[3 + l], 2.0 * r.metrics.ttft_s, 1e-12, "ttft with the model's error");
    }
}

static void expect_error(int rc, const roof_error *err, const char *where, const char *msg)
{
    assert_int_equal(rc, ROOF_ERR_USAGE);
    assert_string_equal(err->where, where);
    assert_string_equal(err->msg, msg);
}

static void test_parsers(void **state)
{
    (void)state;
    roof_vary v;
    roof_error err;
    assert_int_equal(roof_vary_parse("workload.batch=1:64:x2", "--vary", &v, &err), ROOF_OK);
    assert_int_equal(v.n, 7);
    check_rel(v.values[6], 64.0, 0.0, "last of x2");
    roof_vary_free(&v);
    /* Suffixes, and a STOP reached by steps of 0.1 despite rounding. */
    assert_int_equal(roof_vary_parse("hw.memory.bandwidth=1T:2T:0.5T", "--vary", &v, &err), ROOF_OK);
    assert_int_equal(v.n, 3);
    check_rel(v.values[1], 1.5e12, 0.0, "middle step");
    roof_vary_free(&v);
    assert_int_equal(roof_vary_parse("hw.efficiency.compute=0.1:1:0.1", "--vary", &v, &err), ROOF_OK);
    assert_int_equal(v.n, 10);
    roof_vary_free(&v);
    assert_int_equal(roof_vary_parse("workload.attention=naive,flash", "--vary", &v, &err), ROOF_OK);
    assert_int_equal(v.n, 2);
    roof_vary_free(&v);
    expect_error(roof_vary_parse("workload.batch", "--vary", &v, &err), &err, "--vary",
                 "expected PATH=LIST, PATH=START:STOP:STEP or PATH=START:STOP:xFACTOR (got 'workload.batch')");
    expect_error(roof_vary_parse("hw.memory.bandwdth=1T", "--vary", &v, &err), &err, "--vary",
                 "unknown parameter 'hw.memory.bandwdth' (did you mean 'hw.memory.bandwidth'?)");
    expect_error(roof_vary_parse("workload.batch=8:1:1", "--vary", &v, &err), &err, "--vary",
                 "'workload.batch': STOP is below START in '8:1:1'");
    expect_error(roof_vary_parse("workload.batch=1:8:x1", "--vary", &v, &err), &err, "--vary",
                 "'workload.batch': a factor walk needs START > 0 and FACTOR > 1 (got 'x1')");
    roof_vary big[2];
    assert_int_equal(roof_vary_parse("workload.batch=1:2000:1", "--vary", &big[0], &err), ROOF_OK);
    assert_int_equal(roof_vary_parse("workload.seq_len=1:1000:1", "--vary", &big[1], &err), ROOF_OK);
    size_t points;
    expect_error(roof_vary_points(big, 2, "--vary", &points, &err), &err, "--vary",
                 "the sweep has 2000000 points, more than the limit of 1000000");
    roof_vary_free(&big[0]);
    roof_vary_free(&big[1]);

    const roof_metric *m;
    expect_error(
        roof_metric_find("ttft", "--metric", &m, &err), &err, "--metric",
        "unknown metric 'ttft' (expected ttft_s, tpot_s, tokens_per_s, tokens_per_s_per_gpu, "
        "prefill_tokens_per_s, request_latency_s, decode_time_s, usd_per_mtok, usd_per_mtok_owned, joules_per_token, "
        "e2e_tokens_per_s, e2e_usd_per_mtok, e2e_joules_per_token, "
        "memory_total_bytes, memory_used_fraction, gemm_flops, step_time_s, train_tokens_per_s, "
        "train_tokens_per_s_per_gpu, mfu, hfu, time_to_train_s or cost_to_train_usd)");
    roof_target t;
    assert_int_equal(roof_target_parse("tpot_s<=0.02", "--target", &t, &err), ROOF_OK);
    check_rel(t.value, 0.02, 0.0, "target");
    assert_true(t.at_most);
    expect_error(roof_target_parse("tpot_s=0.02", "--target", &t, &err), &err, "--target",
                 "expected METRIC<=VALUE or METRIC>=VALUE (got 'tpot_s=0.02')");
    int64_t i, n;
    expect_error(roof_search_shard_parse("3/3", &i, &n, &err), &err, "--shard",
                 "expected I/N with 0 <= I < N (got '3/3')");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elasticity_compute_bound),
        cmocka_unit_test(test_sensitivity_says_why),
        cmocka_unit_test(test_solve_recovers),
        cmocka_unit_test(test_search_brute_force),
        cmocka_unit_test(test_shards_merge),
        cmocka_unit_test(test_uncertainty_seeded),
        cmocka_unit_test(test_parsers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
