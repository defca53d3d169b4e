/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The serving simulation (analysis/serve*.c): Little's law, an M/D/1 queue
 * against its closed form, the KV cache capping concurrency exactly, the
 * static batch reproducing estimate's TTFT and TPOT, a fixed seed giving
 * the same run, the settings' exact errors, goodput by hand, and the
 * search's fast iteration times against the direct evaluation. */
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

static void check_rel(double got, double want, double tol, const char *what)
{
    if (fabs(got - want) > tol * fabs(want))
        fail_msg("%s: got %.17g, want %.17g (rel tol %g)", what, got, want, tol);
}

static void load_config(const char *name, roof_scenario *s)
{
    char path[1024];
    const char *dir = getenv("LLMROOF_CONFIGS");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "configs", name);
    roof_error err;
    if (roof_scenario_load(path, NULL, NULL, "h100-sxm", NULL, 0, s, NULL, &err) != ROOF_OK)
        fail_msg("load %s: %s: %s", path, err.where, err.msg);
}

static void set(roof_serve_cfg *c, const char *a)
{
    roof_error err;
    if (roof_serve_set(c, a, &err) != ROOF_OK)
        fail_msg("set %s: %s: %s", a, err.where, err.msg);
}

/* Runs c on s into sim and st. */
static void run(const roof_scenario *s, const roof_serve_cfg *c, roof_serve_cost **cost, roof_serve_sim *sim,
                roof_serve_stats *st)
{
    roof_error err;
    roof_request *reqs;
    int64_t n;
    if (roof_serve_cost_new(s, &c->engine, cost, &err) != ROOF_OK ||
        roof_serve_requests(&c->traffic, &reqs, &n, &err) != ROOF_OK ||
        roof_serve_run(*cost, c, reqs, n, NULL, NULL, sim, &err) != ROOF_OK ||
        roof_serve_stats_of(sim, roof_serve_cost_capacity(*cost), NULL, 0, st, &err) != ROOF_OK)
        fail_msg("serve: %s: %s", err.where, err.msg);
}

/* Little's law, L = lambda W (Little 1961). Over a horizon that starts and
 * ends with the system empty (first arrival to last completion), the area
 * under the number in the system equals the sum of the requests' times in
 * it, so L = (1/T) sum W_i = (n/T) (1/n) sum W_i = lambda W holds as an
 * identity of the sample path (Stidham 1974), not only in expectation: the
 * only error is rounding in sums of 4000 terms, far below the 1e-9 allowed.
 * The engine keeps the area from its own bookkeeping (arrivals during an
 * iteration counted from their arrival), so a lost or double-counted
 * request would break it. Lognormal lengths, and a rate beyond what the
 * engine serves, so that requests queue, chunk and mix. */
static void test_little(void **state)
{
    (void)state;
    static roof_scenario s;
    load_config("llama3-8b.cfg", &s);
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    set(&c, "traffic.rate=37.5");
    set(&c, "traffic.requests=4000");
    set(&c, "traffic.seed=2385");
    set(&c, "traffic.prompt.dist=lognormal");
    set(&c, "traffic.prompt.mean=1500");
    set(&c, "traffic.prompt.spread=0.8");
    set(&c, "traffic.output.dist=uniform");
    set(&c, "traffic.output.mean=200");
    set(&c, "traffic.output.spread=0.9");
    set(&c, "engine.chunk=512");
    roof_serve_cost *cost;
    roof_serve_sim sim;
    roof_serve_stats st;
    run(&s, &c, &cost, &sim, &st);
    assert_true(st.queue.mean > 0.0); /* the load queues: the test covers waiting */
    double lambda = (double)st.requests / st.duration_s;
    check_rel(st.mean_in_system, lambda * st.e2e.mean, 1e-9, "L = lambda W");
    roof_serve_sim_free(&sim);
    roof_serve_cost_free(cost);
}

/* M/D/1: Poisson arrivals, one server, deterministic service D. A request
 * of one prompt token and one output token is one prefill iteration of
 * fixed time D = P(1, 1), and engine.max_batch = 1 serves one at a time,
 * first come first served: the engine is exactly an M/D/1 queue. The
 * Pollaczek-Khinchine formula (Kleinrock 1975, "Queueing Systems" vol. 1,
 * eq. 5.73, with service variance 0) gives the mean wait in the queue
 * Wq = rho / (2 mu (1 - rho)), mu = 1 / D, rho = lambda D. At rho = 0.6:
 * Wq = 0.6 D / (2 * 0.4) = 0.75 D.
 * The tolerance is statistical: 40 batches of 5000 consecutive requests
 * give batch means whose spread estimates the standard error of the mean
 * (the batch-means method, Law and Kelton, "Simulation Modeling and
 * Analysis", Sec. 9.5.3); the estimate must be within 4 standard errors
 * (a false failure about 1 in 16,000 for a normal mean) and, so that a
 * wide spread cannot hide a bias, within 5% of the formula. */
static void test_md1(void **state)
{
    (void)state;
    static roof_scenario s;
    load_config("llama3-8b.cfg", &s);
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    roof_error err;
    roof_serve_cost *cost;
    set(&c, "engine.max_batch=1");
    set(&c, "engine.max_tokens=1");
    if (roof_serve_cost_new(&s, &c.engine, &cost, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    double D;
    assert_int_equal(roof_serve_cost_iter(cost, 1, 1, 0, 0.0, &D, &err), ROOF_OK);
    /* D is estimate's TTFT of one request of one token. */
    static roof_scenario one;
    one = s;
    one.workload.batch = 1;
    one.workload.seq_len = 1;
    one.workload.context = 0;
    one.workload.phase = ROOF_PHASE_PREFILL;
    static roof_result r;
    assert_int_equal(roof_evaluate(&one, &r, &err), ROOF_OK);
    check_rel(D, r.metrics.ttft_s, 1e-12, "D = estimate's TTFT(1 x 1)");
    roof_serve_cost_free(cost);

    double rho = 0.6;
    char a[64];
    snprintf(a, sizeof a, "traffic.rate=%.17g", rho / D);
    set(&c, a);
    set(&c, "traffic.requests=200000");
    set(&c, "traffic.seed=7");
    set(&c, "traffic.prompt.mean=1");
    set(&c, "traffic.output.mean=1");
    roof_serve_sim sim;
    roof_serve_stats st;
    run(&s, &c, &cost, &sim, &st);
    double wq = rho / (2.0 * (1.0 / D) * (1.0 - rho));
    enum { BATCHES = 40 };
    int64_t per = sim.n / BATCHES;
    double bm[BATCHES], mean = 0.0;
    for (int b = 0; b < BATCHES; b++) {
        double sum = 0.0;
        for (int64_t i = b * per; i < (b + 1) * per; i++)
            sum += sim.log[i].admit_s - sim.req[i].arrival_s;
        bm[b] = sum / (double)per;
        mean += bm[b] / BATCHES;
    }
    double var = 0.0;
    for (int b = 0; b < BATCHES; b++)
        var += (bm[b] - mean) * (bm[b] - mean) / (BATCHES - 1);
    double se = sqrt(var / BATCHES);
    check_rel(st.queue.mean, mean, 1e-9, "the statistics' mean queueing delay");
    if (fabs(mean - wq) > 4.0 * se || fabs(mean - wq) > 0.05 * wq)
        fail_msg("M/D/1 wait: got %.6g s, Pollaczek-Khinchine %.6g s (standard error %.3g s)", mean, wq, se);
    /* Service is one iteration: TTFT = wait + D for every request. */
    check_rel(st.ttft.mean, mean + D, 1e-9, "TTFT = Wq + D");
    roof_serve_sim_free(&sim);
    roof_serve_cost_free(cost);
}

/* The KV cache caps concurrency exactly: 100 prompt + 50 output tokens are
 * ceil(150 / 16) = 10 pages; engine.kv_tokens = 1279 holds
 * floor(1279 / 16) = 79 pages, room for floor(79 / 10) = 7 requests. With
 * 20 in the system and max_batch 256, exactly 7 run at once and 70 pages
 * are the most in use. */
static void test_kv_cap(void **state)
{
    (void)state;
    static roof_scenario s;
    load_config("llama3-8b.cfg", &s);
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    set(&c, "traffic.arrival=concurrency");
    set(&c, "traffic.concurrency=20");
    set(&c, "traffic.requests=60");
    set(&c, "traffic.prompt.mean=100");
    set(&c, "traffic.output.mean=50");
    set(&c, "engine.kv_tokens=1279");
    roof_serve_cost *cost;
    roof_serve_sim sim;
    roof_serve_stats st;
    run(&s, &c, &cost, &sim, &st);
    assert_int_equal(roof_serve_cost_capacity(cost)->kv_pages, 79);
    assert_int_equal(sim.max_running, 7);
    assert_int_equal(sim.kv_pages_peak, 70);
    assert_true(st.queue.mean > 0.0);
    roof_serve_sim_free(&sim);
    roof_serve_cost_free(cost);
}

/* The static batch: 16 requests of 2048 + 256 tokens all at 0, room for
 * all 16 prompts in one iteration (max_tokens 32768 = 16 x 2048). The
 * first iteration is estimate's prefill of the batch: every TTFT equals
 * estimate's TTFT (2048 is a node of the length grid: no interpolation).
 * Then 255 decode steps of 16, step j attending to 2048 + j tokens: their
 * mean attends to 2048 + 128 = 2176, where estimate's TPOT takes the mean
 * KV length of its 256 steps, 2048 + 255/2 = 2175.5. A step's time is
 * a + c kv with a, c >= 0 (within one regime), so the two differ by at
 * most 0.5 / 2175.5 = 2.3e-4 of the step. */
static void test_static_batch(void **state)
{
    (void)state;
    static roof_scenario s;
    static roof_result r;
    load_config("llama3-70b-tp8.cfg", &s);
    roof_error err;
    assert_int_equal(roof_evaluate(&s, &r, &err), ROOF_OK);
    assert_int_equal(s.workload.batch, 16);
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    set(&c, "traffic.arrival=concurrency");
    set(&c, "traffic.concurrency=16");
    set(&c, "traffic.requests=16");
    set(&c, "traffic.prompt.mean=2048");
    set(&c, "traffic.output.mean=256");
    set(&c, "engine.max_tokens=32768");
    roof_serve_cost *cost;
    roof_serve_sim sim;
    roof_serve_stats st;
    run(&s, &c, &cost, &sim, &st);
    check_rel(st.ttft.q[ROOF_SERVE_Q50], r.metrics.ttft_s, 1e-12, "TTFT p50 = estimate's TTFT");
    check_rel(st.ttft.q[ROOF_SERVE_Q99], r.metrics.ttft_s, 1e-12, "TTFT p99 = estimate's TTFT");
    check_rel(st.tpot.mean, r.metrics.tpot_s, 2.3e-4, "TPOT = estimate's TPOT");
    check_rel(st.itl.mean, r.metrics.tpot_s, 2.3e-4, "ITL = estimate's TPOT");
    check_rel(st.e2e.mean, r.metrics.ttft_s + 255.0 * st.tpot.mean, 1e-9, "e2e = TTFT + 255 TPOT");
    assert_int_equal(sim.max_running, 16);
    roof_serve_sim_free(&sim);
    roof_serve_cost_free(cost);
}

/* One seed, one run; another seed, another. */
static void test_seed(void **state)
{
    (void)state;
    static roof_scenario s;
    load_config("llama3-8b.cfg", &s);
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    set(&c, "traffic.rate=20");
    set(&c, "traffic.requests=500");
    set(&c, "traffic.output.dist=lognormal");
    set(&c, "traffic.output.spread=1");
    roof_serve_cost *cost;
    roof_serve_sim sim;
    roof_serve_stats a, b, d;
    run(&s, &c, &cost, &sim, &a);
    roof_serve_sim_free(&sim);
    roof_serve_cost_free(cost);
    run(&s, &c, &cost, &sim, &b);
    roof_serve_sim_free(&sim);
    roof_serve_cost_free(cost);
    assert_memory_equal(&a, &b, sizeof a);
    set(&c, "traffic.seed=2");
    run(&s, &c, &cost, &sim, &d);
    roof_serve_sim_free(&sim);
    roof_serve_cost_free(cost);
    assert_true(a.e2e.mean != d.e2e.mean);
}

/* Lognormal lengths: mean and CV as asked (sigma^2 = ln(1 + CV^2)). Over
 * 100,000 draws of mean 1000, CV 0.5, the sample mean's standard error is
 * 1000 * 0.5 / sqrt(1e5) = 1.6 tokens; 1% (10 tokens) is over 6 of them.
 * Rounding to whole tokens moves the mean by less than 0.5. */
static void test_lognormal(void **state)
{
    (void)state;
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    set(&c, "traffic.requests=100000");
    set(&c, "traffic.prompt.dist=lognormal");
    set(&c, "traffic.prompt.mean=1000");
    set(&c, "traffic.prompt.spread=0.5");
    roof_request *q;
    int64_t n;
    roof_error err;
    assert_int_equal(roof_serve_requests(&c.traffic, &q, &n, &err), ROOF_OK);
    double sum = 0.0, sum2 = 0.0;
    for (int64_t i = 0; i < n; i++) {
        sum += (double)q[i].prompt;
        sum2 += (double)q[i].prompt * (double)q[i].prompt;
        assert_int_equal(q[i].output, 256);
    }
    double mean = sum / (double)n, sd = sqrt(sum2 / (double)n - mean * mean);
    check_rel(mean, 1000.0, 0.01, "lognormal mean");
    check_rel(sd / mean, 0.5, 0.03, "lognormal CV");
    free(q);
}

static void expect_err(roof_serve_cfg *c, const char *a, const char *where, const char *msg)
{
    roof_error err;
    int rc = roof_serve_set(c, a, &err);
    if (rc == ROOF_OK)
        rc = roof_serve_check(c, &err);
    assert_int_not_equal(rc, ROOF_OK);
    assert_string_equal(err.where, where);
    assert_string_equal(err.msg, msg);
}

static void test_bad_settings(void **state)
{
    (void)state;
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    expect_err(&c, "traffic.arrival=burst", "--set",
               "'traffic.arrival' must be poisson, concurrency or trace (got 'burst')");
    expect_err(&c, "traffic.rate=0", "--set", "'traffic.rate' must be in (0, 1e+09] (got 0)");
    expect_err(&c, "traffic.sed=3", "--set", "unknown parameter 'traffic.sed' (did you mean 'traffic.seed'?)");
    expect_err(&c, "traffic.trace=", "--set", "'traffic.trace' needs a file name");
    roof_serve_defaults(&c);
    set(&c, "traffic.prompt.dist=uniform");
    expect_err(&c, "traffic.prompt.spread=1.5", "traffic",
               "'traffic.prompt.spread' must be below 1 for a uniform length (got 1.5): lengths would reach 0");
    roof_serve_defaults(&c);
    expect_err(&c, "engine.max_tokens=100", "engine",
               "'engine.max_tokens' (100) must be at least 'engine.max_batch' (256)");
    roof_serve_defaults(&c);
    expect_err(&c, "traffic.arrival=trace", "traffic", "'traffic.arrival' is trace but 'traffic.trace' names no file");

    roof_slo slo;
    roof_error err;
    assert_int_equal(roof_slo_parse("itl_p99<=50e-3", &slo, &err), ROOF_OK);
    assert_int_equal(slo.metric, ROOF_SLO_ITL);
    assert_true(slo.quantile == 0.99 && slo.limit_s == 50e-3);
    assert_int_equal(roof_slo_parse("ttft_p95<=1", &slo, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "unknown statistic 'p95' in 'ttft_p95<=1' (expected p50, p90, p99 or mean)");
    assert_int_equal(roof_slo_parse("ttft<=1", &slo, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "'ttft<=1' is not METRIC_PCT<=SECONDS (for example ttft_p90<=1 or itl_p99<=0.05)");
}

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
        cmocka_unit_test(test_little),         cmocka_unit_test(test_md1),       cmocka_unit_test(test_kv_cap),
        cmocka_unit_test(test_static_batch),   cmocka_unit_test(test_seed),      cmocka_unit_test(test_lognormal),
        cmocka_unit_test(test_bad_settings),   cmocka_unit_test(test_pareto),    cmocka_unit_test(test_frontier),
        cmocka_unit_test(test_kv_token_bytes), cmocka_unit_test(test_disagg),    cmocka_unit_test(test_interval),
        cmocka_unit_test(test_goodput),        cmocka_unit_test(test_fast_cost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
