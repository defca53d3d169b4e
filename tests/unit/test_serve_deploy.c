/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What serve answers about deployments, beyond one simulation
 * (tests/unit/test_serve.c): the Pareto marking and the frontier of tp and
 * concurrency with its intervals (analysis/serve_frontier.c), one token's
 * KV bytes, disaggregated prefill and decode pools (serve_disagg.c), the
 * error bars (serve_interval.c), goodput by hand (serve_goodput.c), and
 * the goodput search's fast iteration times against the direct
 * evaluation (serve_cost.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/serve.h"
#include "analysis/serve_interval.h"
#include "model/config.h"
#include "model/ops.h"
#include "check.h"
#include "serve_run.h"

/* The Pareto marking on points worked out by hand: (user, gpu) =
 * A (10, 100), B (20, 50), C (15, 40), D (20, 50), E (5, 100). C is beaten
 * by B (20 >= 15, 50 >= 40); E by A (10 > 5, 100 = 100); B and D tie, and
 * neither beats the other, so both stay; A is beaten by no one. */
static void test_pareto(void **state)
{
    (void)state;
    roof_frontier_point p[5];
    memset(p, 0, sizeof p);
    const double user[5] = {10, 20, 15, 20, 5}, gpu[5] = {100, 50, 40, 50, 100};
    for (int i = 0; i < 5; i++) {
        p[i].tok_s_user = user[i];
        p[i].tok_s_gpu = gpu[i];
    }
    roof_serve_frontier_mark(p, 5);
    const int want[5] = {1, 1, 0, 1, 0};
    for (int i = 0; i < 5; i++)
        assert_int_equal(p[i].pareto, want[i]);
}

/* The frontier of Llama-3-8B on 8 GPUs: tp 1, 2, 4, 8 (8 query and 8 KV
 * heads per 32/8 divide evenly) and concurrency 1 to 256 (9 levels): 36
 * points. Each point's rates agree with its TPOT (user = 1 / TPOT) and at
 * concurrency 1 a replica serves one request at a time: 256 output tokens
 * per TTFT + 255 TPOT, over its tp GPUs. */
/* An error table whose every op regime says "factor exp(mean), no
 * spread". */
static void flat_errm(roof_errm *em, double mean_log)
{
    memset(em, 0, sizeof *em);
    for (int k = 0; k < ROOF_REGIME_OPS; k++) {
        roof_errm_row *row = &em->rows[em->n++];
        row->regime = k;
        snprintf(row->generation, sizeof row->generation, "all");
        row->n = 10;
        row->mean_log = mean_log;
    }
}

static void test_frontier(void **state)
{
    (void)state;
    static roof_scenario s;
    load_config("llama3-8b.cfg", &s);
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    static roof_frontier_point p[64];
    int n;
    roof_error err;
    if (roof_serve_frontier(&s, &c, 8, p, 64, &n, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    assert_int_equal(n, 36);
    int pareto = 0;
    for (int i = 0; i < n; i++) {
        check_rel(p[i].tok_s_user, 1.0 / p[i].tpot_s, 1e-12, "user = 1 / TPOT");
        assert_int_equal(p[i].tp * p[i].replicas, 8);
        if (p[i].concurrency == 1)
            check_rel(p[i].tok_s_gpu * (double)p[i].tp, 256.0 / (p[i].ttft_s + 255.0 * p[i].tpot_s), 1e-9,
                      "one request at a time per replica");
        pareto += p[i].pareto;
    }
    assert_true(pareto >= 1 && pareto < n);
    /* Its intervals: "twice as slow, no spread" gives each Pareto point
     * p10 = p90 = the same point of the frontier with every op doubled;
     * points off the frontier get none (NaN). */
    static roof_errm em;
    flat_errm(&em, log(2.0));
    static double lo[64 * ROOF_FRONTIER_IV_N], hi[64 * ROOF_FRONTIER_IV_N], two[ROOF_REGIME_OPS];
    if (roof_serve_frontier_interval(&s, &c, p, n, &em, lo, hi, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    for (int k = 0; k < ROOF_REGIME_OPS; k++)
        two[k] = 2.0;
    static roof_scenario s2;
    s2 = s;
    s2.op_scale = two;
    static roof_frontier_point p2[64];
    int n2;
    if (roof_serve_frontier(&s2, &c, 8, p2, 64, &n2, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    assert_int_equal(n2, n);
    for (int i = 0; i < n; i++) {
        const double *l = lo + i * ROOF_FRONTIER_IV_N, *h = hi + i * ROOF_FRONTIER_IV_N;
        if (!p[i].pareto) {
            assert_true(isnan(l[0]) && isnan(h[ROOF_FRONTIER_IV_USD]));
            continue;
        }
        assert_true(p2[i].tp == p[i].tp && p2[i].concurrency == p[i].concurrency);
        check_rel(l[ROOF_FRONTIER_IV_USER], p2[i].tok_s_user, 1e-12, "p10 tok/s/user");
        check_rel(h[ROOF_FRONTIER_IV_GPU], p2[i].tok_s_gpu, 1e-12, "p90 tok/s/GPU");
        check_rel(l[ROOF_FRONTIER_IV_TTFT], p2[i].ttft_s, 1e-12, "p10 TTFT");
        check_rel(h[ROOF_FRONTIER_IV_TPOT], p2[i].tpot_s, 1e-12, "p90 TPOT");
        check_rel(h[ROOF_FRONTIER_IV_USD], p2[i].usd_per_mtok, 1e-12, "p90 $/Mtok");
        assert_true(p2[i].tpot_s > p[i].tpot_s);
    }
}

/* One token's KV on the GPU, by hand: Llama-3-8B (32 layers, 8 KV heads
 * of 128) in bf16 on one GPU: 32 x 2 (K, V) x 8 x 128 x 2 B = 131,072 B.
 * (It once took the request's peak, two tokens with gen_tokens 1, and
 * halved the cache.) */
static void test_kv_token_bytes(void **state)
{
    (void)state;
    static roof_scenario s;
    load_config("llama3-8b.cfg", &s);
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    roof_serve_cost *cost;
    roof_error err;
    if (roof_serve_cost_new(&s, &c.engine, &cost, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    check_rel(roof_serve_cost_capacity(cost)->kv_token_bytes, 131072.0, 1e-12, "KV bytes per token");
    roof_serve_cost_free(cost);
}

/* Disaggregated 1:2 (analysis/serve_disagg.c) at a rate so low that no
 * iteration holds more than one request: Llama-3-8B on one H100, prompt
 * 1000, output 100, 1e-4 requests/s.
 * - transfer, by hand: cluster latency 5 us + 1000 x 131,072 B over
 *   50 GB/s x 0.94 = 5e-6 + 2.788766e-3 = 2.793766e-3 s (h100-sxm.cfg);
 * - ITL: the decode pool's step at batch 1 and KV 1000 + 100/2 = 1050;
 * - e2e = TTFT + transfer + decode queue + 99 ITL, the pools' means;
 * - GPUs 3, $/Mtok = 3 x 2.90 / 3600 / (1e-4 x 100) x 1e6;
 * - an SLO no deployment meets: goodput 0. */
static void test_disagg(void **state)
{
    (void)state;
    static roof_scenario s;
    load_config("llama3-8b.cfg", &s);
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    set(&c, "traffic.arrival=poisson");
    set(&c, "traffic.rate=1e-4");
    set(&c, "traffic.prompt.mean=1000");
    set(&c, "traffic.output.mean=100");
    roof_serve_cost *cost;
    roof_error err;
    if (roof_serve_cost_new(&s, &c.engine, &cost, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    roof_slo slo;
    assert_int_equal(roof_slo_parse("ttft_mean<=1n", &slo, &err), ROOF_OK);
    roof_disagg_result r;
    if (roof_serve_disagg(cost, &s, &c, 1, 2, &slo, 1, &r, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    check_rel(r.transfer_s, 5e-6 + 1000.0 * 131072.0 / (50e9 * 0.94), 1e-12, "transfer");
    double step;
    assert_int_equal(roof_serve_cost_iter(cost, 0, 0, 1, 1050.0, &step, &err), ROOF_OK);
    check_rel(r.itl_s, step, 1e-9, "ITL = one decode step");
    check_rel(r.e2e_s, r.ttft_s + r.transfer_s + r.decode_queue_s + 99.0 * r.itl_s, 1e-12, "e2e");
    assert_int_equal(r.gpus, 3);
    check_rel(r.usd_per_mtok, 3.0 * 2.90 / 3600.0 / (1e-4 * 100.0) * 1e6, 1e-12, "$/Mtok");
    assert_int_equal(r.slo_met, 0);
    assert_true(r.goodput_req_per_s == 0.0);
    /* Concurrency has no rate to split. */
    set(&c, "traffic.arrival=concurrency");
    assert_int_equal(roof_serve_disagg(cost, &s, &c, 1, 2, NULL, 0, &r, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "the prefill pool of 1 replica(s): prefill and decode pools need traffic.arrival "
                                 "poisson (a rate to split)");
    /* Pools of their own: prefill at tp 2, decode at tp 1 (Llama-3-8B's 8
     * KV heads split over 2 GPUs: 65,536 B per token each; one GPU holds
     * 131,072). Each side moves its GPU's shard over its own link at once,
     * so the decode GPU's 1000 x 131,072 B over 50 GB/s x 0.94 bounds it;
     * GPUs 1 x 2 + 2 x 1 = 4, and dollars at 4 H100s' price. */
    set(&c, "traffic.arrival=poisson");
    static roof_scenario s2;
    s2 = s;
    s2.parallel.tp = 2;
    roof_serve_cost *cost2;
    if (roof_serve_cost_new(&s2, &c.engine, &cost2, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    assert_int_equal(roof_serve_disagg_pools(cost2, &s2, cost, &s, cost, 0, &c, 1, 2, NULL, 0, &r, &err), ROOF_OK);
    check_rel(r.transfer_s, 5e-6 + 1000.0 * 131072.0 / (50e9 * 0.94), 1e-12, "resharded transfer: the decode side");
    assert_int_equal(r.gpus, 4);
    check_rel(r.usd_per_mtok, 4.0 * 2.90 / 3600.0 / (1e-4 * 100.0) * 1e6, 1e-12, "$/Mtok of both pools");
    assert_int_equal(r.aggregated_replicas, 3);
    /* The other way round: the prefill GPU's shard is the larger. */
    assert_int_equal(roof_serve_disagg_pools(cost, &s, cost2, &s2, cost, 0, &c, 1, 2, NULL, 0, &r, &err), ROOF_OK);
    check_rel(r.transfer_s, 5e-6 + 1000.0 * 131072.0 / (50e9 * 0.94), 1e-12, "resharded transfer: the prefill side");
    assert_int_equal(r.gpus, 5);
    /* The disaggregated intervals: "twice as slow, no spread" gives p10 =
     * p90 = the pools with every op doubled. */
    static roof_errm em;
    flat_errm(&em, log(2.0));
    double lo[ROOF_DISAGG_IV_N], hi[ROOF_DISAGG_IV_N], two[ROOF_REGIME_OPS];
    int unserved;
    assert_int_equal(roof_serve_disagg_interval(&s2, &s, &s, 0, &c, 1, 2, NULL, 0, &em, lo, hi, &unserved, &err),
                     ROOF_OK);
    assert_int_equal(unserved, 0);
    for (int k = 0; k < ROOF_REGIME_OPS; k++)
        two[k] = 2.0;
    static roof_scenario d1, d2;
    d1 = s;
    d1.op_scale = two;
    d2 = s2;
    d2.op_scale = two;
    roof_serve_cost *c1, *c2;
    if (roof_serve_cost_new(&d1, &c.engine, &c1, &err) != ROOF_OK ||
        roof_serve_cost_new(&d2, &c.engine, &c2, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    assert_int_equal(roof_serve_disagg_pools(c2, &d2, c1, &d1, c1, 0, &c, 1, 2, NULL, 0, &r, &err), ROOF_OK);
    check_rel(lo[ROOF_DISAGG_IV_TTFT], r.ttft_s, 1e-12, "p10 TTFT, twice as slow");
    check_rel(hi[ROOF_DISAGG_IV_ITL], r.itl_s, 1e-12, "p90 ITL, twice as slow");
    check_rel(hi[ROOF_DISAGG_IV_AGG_E2E], r.aggregated.e2e.mean, 1e-12, "p90 aggregated e2e, twice as slow");
    roof_serve_cost_free(c1);
    roof_serve_cost_free(c2);
    roof_serve_cost_free(cost2);
    roof_serve_cost_free(cost);
}

/* Serve's error bars (analysis/serve_interval.c). With no spread every draw
 * is the same run: "twice as slow" gives p10 = p90 = the run with every op
 * time doubled (op_scale 2 everywhere), and "no error" the point itself,
 * in the simulation and in the steady state. A load the doubled engine
 * cannot carry (12 requests/s on one H100 for Llama-3-8B: the point
 * serves it, at half the speed the steady state saturates) makes every
 * draw saturate: unbounded latencies, no interval for the rate. */
static void test_interval(void **state)
{
    (void)state;
    static roof_scenario s, s2;
    load_config("llama3-8b.cfg", &s);
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    set(&c, "traffic.arrival=poisson");
    set(&c, "traffic.rate=2");
    set(&c, "traffic.requests=200");
    static roof_errm em;
    static const roof_serve_stat get[] = {offsetof(roof_serve_stats, ttft.q[ROOF_SERVE_Q90]),
                                          offsetof(roof_serve_stats, itl.mean),
                                          offsetof(roof_serve_stats, tokens_per_s)};
    double lo[3], hi[3], two[ROOF_REGIME_OPS];
    for (int k = 0; k < ROOF_REGIME_OPS; k++)
        two[k] = 2.0;
    s2 = s;
    s2.op_scale = two;
    roof_error err, why;
    int sat, failed;
    for (int analytic = 0; analytic < 2; analytic++) {
        roof_serve_cost *cost;
        roof_serve_sim sim = {0}, sim2 = {0};
        roof_serve_stats st, st2;
        if (analytic) {
            if (roof_serve_cost_new(&s, &c.engine, &cost, &err) != ROOF_OK ||
                roof_serve_analytic(cost, &c, NULL, 0, &st, &err) != ROOF_OK)
                fail_msg("%s: %s", err.where, err.msg);
            roof_serve_cost_free(cost);
            if (roof_serve_cost_new(&s2, &c.engine, &cost, &err) != ROOF_OK ||
                roof_serve_analytic(cost, &c, NULL, 0, &st2, &err) != ROOF_OK)
                fail_msg("%s: %s", err.where, err.msg);
            roof_serve_cost_free(cost);
        } else {
            run(&s, &c, &cost, &sim, &st);
            roof_serve_cost_free(cost);
            run(&s2, &c, &cost, &sim2, &st2);
            roof_serve_cost_free(cost);
        }
        flat_errm(&em, log(2.0));
        assert_int_equal(
            roof_serve_interval(&s, &c, NULL, 0, analytic, &em, get, 3, NULL, NULL, lo, hi, &sat, &failed, &why, &err),
            ROOF_OK);
        assert_int_equal(sat + failed, 0);
        for (int j = 0; j < 3; j++) {
            check_rel(lo[j], roof_serve_stat_value(&st2, get[j]), 1e-12, "p10, twice as slow");
            check_rel(hi[j], roof_serve_stat_value(&st2, get[j]), 1e-12, "p90, twice as slow");
        }
        assert_true(st2.ttft.q[ROOF_SERVE_Q90] > st.ttft.q[ROOF_SERVE_Q90]);
        flat_errm(&em, 0.0);
        assert_int_equal(
            roof_serve_interval(&s, &c, NULL, 0, analytic, &em, get, 3, NULL, NULL, lo, hi, &sat, &failed, &why, &err),
            ROOF_OK);
        for (int j = 0; j < 3; j++) {
            check_rel(lo[j], roof_serve_stat_value(&st, get[j]), 1e-12, "p10, no error");
            check_rel(hi[j], roof_serve_stat_value(&st, get[j]), 1e-12, "p90, no error");
        }
        roof_serve_sim_free(&sim);
        roof_serve_sim_free(&sim2);
    }
    set(&c, "traffic.rate=12");
    flat_errm(&em, log(2.0));
    assert_int_equal(
        roof_serve_interval(&s, &c, NULL, 0, 1, &em, get, 3, NULL, NULL, lo, hi, &sat, &failed, &why, &err), ROOF_OK);
    assert_int_equal(failed, 0);
    assert_int_equal(sat, ROOF_SERVE_IV_DRAWS);
    assert_true(isinf(lo[0]) && isinf(hi[0]) && isinf(hi[1]));
    assert_true(isnan(lo[2]) && isnan(hi[2]));
}

/* Goodput (serve_goodput.c) by hand. Llama-3-8B on one H100, 1000 + 200
 * tokens, chunk 1024, max_batch 64: at 2 requests/s the analytic steady
 * state's iterations hold np = ceil(lambda t 1000) prompt tokens and
 * b = round(lambda t 199) decodes (16 and 3 with the profiles of
 * 2026-12-06), an ITL of L. The counts, so that iteration, hold while
 * x = lambda t stays in ((np - 1) / 1000, np / 1000]: under the SLO
 * ITL <= L the goodput is np / 1000 / L (found to 1e-7, printed to 7
 * digits), three times that over 3 replicas. An SLO that no load meets
 * (TTFT within 1 ns) gives 0, never NaN, with the SLO as bound; with
 * max_batch 4 and a loose TTFT SLO the batch limit binds: x (k + G - 1) =
 * 4, k = 1, G = 200, so x = 0.02 and the goodput is 0.02 / C(0.02). */
static void test_goodput(void **state)
{
    (void)state;
    static roof_scenario s;
    load_config("llama3-8b.cfg", &s);
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    set(&c, "traffic.rate=2");
    set(&c, "traffic.prompt.mean=1000");
    set(&c, "traffic.output.mean=200");
    set(&c, "engine.chunk=1024");
    set(&c, "engine.max_batch=64");
    set(&c, "engine.max_tokens=4096");
    roof_serve_cost *cost;
    roof_error err;
    if (roof_serve_cost_new(&s, &c.engine, &cost, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    roof_serve_stats st;
    assert_int_equal(roof_serve_analytic(cost, &c, NULL, 0, &st, &err), ROOF_OK);
    double L = st.itl.mean, t, np = ceil(2.0 * L * 1000.0);
    assert_int_equal(roof_serve_cost_iter(cost, (int64_t)np, 1, (int64_t)nearbyint(2.0 * L * 199.0), 1100.0, &t, &err),
                     ROOF_OK);
    check_rel(L, t, 1e-9, "ITL at 2 requests/s: the iteration of its counts");
    roof_slo slo[2];
    char text[64];
    snprintf(text, sizeof text, "itl_mean<=%.17g", L);
    assert_int_equal(roof_slo_parse(text, &slo[0], &err), ROOF_OK);
    roof_goodput_memo *memo = malloc(sizeof *memo);
    assert_non_null(memo);
    roof_goodput g;
    roof_serve_goodput_reset(memo);
    assert_int_equal(roof_serve_goodput(cost, &c, slo, 1, 1, 0, 0.0, 1, memo, &g, &err), ROOF_OK);
    check_rel(g.rate, np / 1000.0 / L, 1e-6, "goodput = np / 1000 / L");
    assert_int_equal(g.bound, 0);
    assert_true(g.itl_s <= L * (1.0 + 1e-9));
    assert_int_equal(roof_serve_goodput(cost, &c, slo, 1, 3, 0, 0.0, 0, memo, &g, &err), ROOF_OK);
    check_rel(g.rate, 3.0 * np / 1000.0 / L, 1e-6, "3 replicas");
    /* Nothing meets 1 ns of TTFT. */
    assert_int_equal(roof_slo_parse("ttft_mean<=1n", &slo[1], &err), ROOF_OK);
    roof_serve_goodput_reset(memo);
    assert_int_equal(roof_serve_goodput(cost, &c, slo, 2, 1, 0, 0.0, 1, memo, &g, &err), ROOF_OK);
    assert_true(g.rate == 0.0);
    assert_int_equal(g.bound, 1);
    assert_true(isfinite(g.ttft_s) && isfinite(g.itl_s) && isfinite(g.e2e_s));
    /* The batch limit: x = 4 / 200. */
    set(&c, "engine.max_batch=4");
    assert_int_equal(roof_slo_parse("ttft_mean<=100", &slo[0], &err), ROOF_OK);
    roof_serve_goodput_reset(memo);
    assert_int_equal(roof_serve_goodput(cost, &c, slo, 1, 1, 0, 0.0, 0, memo, &g, &err), ROOF_OK);
    assert_int_equal(g.bound, ROOF_GOODPUT_BOUND_BATCH);
    assert_int_equal(roof_serve_cost_iter(cost, 20, 1, 4, 1100.0, &t, &err), ROOF_OK);
    check_rel(g.rate, 0.02 / t, 1e-6, "goodput at the batch limit = 0.02 / C(0.02)");
    free(memo);
    roof_serve_cost_free(cost);
}

/* The iteration time as serve_cost.c asks for it: the op list of kind
 * (1 prefill, 2 decode) at batch a and length x, evaluated in full. */
static double direct_time(const roof_scenario *base, int kind, int64_t a, int64_t x)
{
    static roof_scenario s;
    static roof_result r;
    s = *base;
    s.op_memo = NULL;
    s.workload.batch = a, s.workload.microbatches = 1, s.workload.gen_tokens = 1;
    s.workload.seq_len = x, s.workload.context = x;
    s.workload.phase = kind == 1 ? ROOF_PHASE_PREFILL : ROOF_PHASE_DECODE;
    roof_error err;
    if (roof_evaluate_phases(&s, kind == 1 ? ROOF_EVAL_PREFILL : ROOF_EVAL_DECODE, &r, &err) != ROOF_OK)
        fail_msg("evaluate: %s: %s", err.where, err.msg);
    return kind == 1 ? r.prefill.time_s : r.decode.time_s;
}

/* The goodput search's fast path (issue 19 item 7) against the direct
 * evaluation, for hand-picked iterations of three deployments (dense TP 8;
 * dense TP 4 x PP 2, which adds the stage send; MoE over EP, which adds the
 * all-to-alls): roof_evaluate_time through an op-time memo (twice, the
 * second from the memo) and the serving cost's iterations on grid nodes
 * (prefill 2 x 512 tokens, decodes at KV 2176 and 1) must equal
 * roof_evaluate_phases without a memo. A memo that mixed up two ops, or
 * a time-only path that left a step out, fails here. */
static void test_fast_cost(void **state)
{
    (void)state;
    static roof_scenario s, t;
    static roof_result r;
    roof_op_memo *memo = calloc(1, sizeof *memo);
    assert_non_null(memo);
    const char *cfgs[] = {"llama3-70b-tp8.cfg", "llama3-70b-tp8.cfg", "mixtral-8x7b-tp2.cfg"};
    const int64_t pts[][3] = {{1, 1, 1},     {1, 1, 2048}, {1, 3, 777},    {1, 8, 256},  {2, 1, 2176},
                              {2, 37, 2176}, {2, 37, 1},   {2, 300, 4096}, {2, 1024, 64}};
    roof_error err;
    for (int c = 0; c < 3; c++) {
        load_config(cfgs[c], &s);
        if (c == 1)
            s.parallel.tp = 4, s.parallel.pp = 2;
        if (c == 2)
            s.parallel.ep = 2;
        for (int rep = 0; rep < 2; rep++)
            for (size_t i = 0; i < sizeof pts / sizeof *pts; i++) {
                int kind = (int)pts[i][0];
                double want = direct_time(&s, kind, pts[i][1], pts[i][2]), got;
                t = s;
                t.op_memo = memo;
                t.workload.batch = pts[i][1], t.workload.microbatches = 1, t.workload.gen_tokens = 1;
                t.workload.seq_len = t.workload.context = pts[i][2];
                t.workload.phase = kind == 1 ? ROOF_PHASE_PREFILL : ROOF_PHASE_DECODE;
                if (roof_evaluate_time(&t, &r, &got, &err) != ROOF_OK)
                    fail_msg("%s: %s: %s", cfgs[c], err.where, err.msg);
                check_rel(got, want, 1e-12, "time through the memo = direct evaluation");
            }
        assert_true(memo->hits > 0);

        roof_serve_cfg sc;
        roof_serve_defaults(&sc);
        set(&sc, "engine.max_tokens=8192");
        s.parallel.gpus = 0;
        roof_serve_cost *cost;
        if (roof_serve_cost_new(&s, &sc.engine, &cost, &err) != ROOF_OK)
            fail_msg("%s: %s: %s", cfgs[c], err.where, err.msg);
        double got;
        assert_int_equal(roof_serve_cost_iter(cost, 1024, 2, 0, 2176.0, &got, &err), ROOF_OK);
        check_rel(got, direct_time(&s, 1, 2, 512), 1e-12, "prefill 2 x 512 = direct evaluation");
        assert_int_equal(roof_serve_cost_iter(cost, 0, 0, 37, 2176.0, &got, &err), ROOF_OK);
        check_rel(got, direct_time(&s, 2, 37, 2176), 1e-12, "37 decodes at KV 2176 = direct evaluation");
        /* A mixed iteration: the prefill of 512 + 37 tokens in one request
         * (549, no node: between 544 and 560), plus the decodes' attention
         * D(37, 2176) - D(37, 1), all on the direct evaluations. */
        double lo = direct_time(&s, 1, 1, 544), hi = direct_time(&s, 1, 1, 560);
        double want = lo + (549.0 - 544.0) / 16.0 * (hi - lo);
        want += direct_time(&s, 2, 37, 2176) - direct_time(&s, 2, 37, 1);
        assert_int_equal(roof_serve_cost_iter(cost, 512, 1, 37, 2176.0, &got, &err), ROOF_OK);
        check_rel(got, want, 1e-12, "mixed iteration = direct evaluations");
        roof_serve_cost_free(cost);
    }
    free(memo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pareto),    cmocka_unit_test(test_frontier), cmocka_unit_test(test_kv_token_bytes),
        cmocka_unit_test(test_disagg),    cmocka_unit_test(test_interval), cmocka_unit_test(test_goodput),
        cmocka_unit_test(test_fast_cost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
