/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The serving simulation (analysis/serve*.c): Little's law, an M/D/1 queue
 * against its closed form, the KV cache capping concurrency exactly, the
 * static batch reproducing estimate's TTFT and TPOT, a fixed seed giving
 * the same run, lognormal lengths, a closed loop's turnaround, and the
 * settings' exact errors. What
 * serve answers from it (frontier, disaggregation, error bars, goodput):
 * tests/unit/test_serve_deploy.c. */
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
#include "model/config.h"
#include "model/ops.h"
#include "check.h"
#include "serve_run.h"

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

/* The KV cache's room: vLLM's share of all memory less the weights and
 * the activations, or TensorRT-LLM's share of what the weights, the
 * activations and the reserve leave (engine.kv_of_free): pages = floor(room
 * / (bytes per token x tokens per page)), from the cost's own capacity
 * figures. */
static void test_kv_room(void **state)
{
    (void)state;
    static roof_scenario s;
    load_config("llama3-70b-tp8.cfg", &s);
    for (int free_share = 0; free_share < 2; free_share++) {
        roof_serve_cfg c;
        roof_serve_defaults(&c);
        set(&c, free_share ? "engine.kv_of_free=1" : "engine.kv_of_free=0");
        set(&c, "engine.mem_fraction=0.8");
        roof_serve_cost *cost;
        roof_error err;
        if (roof_serve_cost_new(&s, &c.engine, &cost, &err) != ROOF_OK)
            fail_msg("%s: %s", err.where, err.msg);
        const roof_serve_capacity *cap = roof_serve_cost_capacity(cost);
        double room =
            free_share
                ? 0.8 * (cap->capacity_bytes - s.workload.mem_reserve - cap->weights_bytes - cap->activation_bytes)
                : 0.8 * cap->capacity_bytes - cap->weights_bytes - cap->activation_bytes;
        assert_true(room > 0.0);
        assert_int_equal(cap->kv_pages, (int64_t)floor(room / (cap->kv_token_bytes * 16.0)));
        roof_serve_cost_free(cost);
    }
}

/* The flash_attn op of a prefill of seq tokens at context ctx (ctx - seq of
 * the prompt already cached), one sequence: its FLOPs and keys per query. */
static void attn_of(roof_scenario *s, int64_t seq, int64_t ctx, const char *op, double *flops, double *keys)
{
    static roof_result r;
    roof_error err;
    s->workload.phase = ROOF_PHASE_PREFILL;
    s->workload.batch = 1;
    s->workload.microbatches = 1;
    s->workload.seq_len = seq;
    s->workload.context = ctx;
    if (roof_evaluate(s, &r, &err) != ROOF_OK)
        fail_msg("evaluate: %s: %s", err.where, err.msg);
    for (int i = 0; i < r.prefill.ops.dense.n; i++)
        if (strcmp(r.prefill.ops.dense.ops[i].name, op) == 0) {
            *flops = r.prefill.ops.dense.ops[i].flops;
            *keys = r.prefill.ops.dense.ops[i].attn_keys;
            return;
        }
    fail_msg("no %s op", op);
}

/* Chunked prefill (Agrawal et al. 2024, Sarathi-Serve): a chunk attends to
 * the prompt tokens cached before it. By hand: a chunk of 1024 after 3072
 * cached tokens, causal (bottom-right), sees 3072 + 1024 / 2 = 3584 keys per
 * query; the 8 chunks of an 8192-token prompt do exactly its attention
 * (sum_j 1024 (1024 j + 512) = 8192^2 / 2 pairs). Then serving: a 16384-
 * token prompt in chunks of 2048 takes no less time to its first token than
 * unchunked (the same attention, the weights read 8 times), in the
 * simulation and in the analytic steady state, which agree for one client
 * at a time; before the chunks saw their prefix, the chunked TTFT was 30%
 * below the unchunked one. A sliding window with a prefix, by hand
 * (Gemma-3's local layers, W = 1024): 1000 cached, a chunk of 500 at
 * positions 1000-1499 sees on average ((1024^2 - 1000^2) / 2 + 1024 x 476)
 * / 500 = 1023.424 keys; after 5000 cached, all 1024. */
static void test_chunk_prefix(void **state)
{
    (void)state;
    static roof_scenario s;
    load_config("llama3-8b.cfg", &s);
    double whole, chunks = 0.0, f, keys;
    attn_of(&s, 1024, 4096, "flash_attn", &f, &keys);
    check_rel(keys, 3584.0, 1e-15, "keys per query of a chunk after 3072 cached");
    attn_of(&s, 8192, 8192, "flash_attn", &whole, &keys);
    check_rel(keys, 4096.0, 1e-15, "keys per query of a whole causal prompt");
    for (int j = 0; j < 8; j++) {
        attn_of(&s, 1024, 1024 * (j + 1), "flash_attn", &f, &keys);
        chunks += f;
    }
    check_rel(chunks, whole, 1e-12, "the chunks' attention = the prompt's");
    load_config("gemma-3-27b.cfg", &s);
    attn_of(&s, 500, 1500, "flash_attn_local", &f, &keys);
    check_rel(keys, 1023.424, 1e-12, "a window's keys after 1000 cached");
    attn_of(&s, 500, 5500, "flash_attn_local", &f, &keys);
    check_rel(keys, 1024.0, 1e-15, "a window's keys after 5000 cached");

    load_config("llama3-8b.cfg", &s);
    double ttft[2][2];
    for (int chunked = 0; chunked < 2; chunked++) {
        roof_serve_cfg c;
        roof_serve_defaults(&c);
        set(&c, "traffic.arrival=concurrency");
        set(&c, "traffic.concurrency=1");
        set(&c, "traffic.requests=3");
        set(&c, "traffic.prompt.mean=16384");
        set(&c, "traffic.output.mean=2");
        set(&c, "engine.max_tokens=16384");
        set(&c, chunked ? "engine.chunk=2048" : "engine.chunk=16384");
        roof_serve_cost *cost;
        roof_serve_sim sim;
        roof_serve_stats st;
        run(&s, &c, &cost, &sim, &st);
        ttft[0][chunked] = st.ttft.mean;
        roof_serve_sim_free(&sim);
        roof_error err;
        if (roof_serve_analytic(cost, &c, NULL, 0, &st, &err) != ROOF_OK)
            fail_msg("analytic: %s: %s", err.where, err.msg);
        ttft[1][chunked] = st.ttft.mean;
        roof_serve_cost_free(cost);
    }
    for (int m = 0; m < 2; m++) {
        if (!(ttft[m][1] >= ttft[m][0]) || !(ttft[m][1] <= 1.2 * ttft[m][0]))
            fail_msg("%s: chunked TTFT %.6g s against unchunked %.6g s", m ? "analytic" : "simulation", ttft[m][1],
                     ttft[m][0]);
    }
    /* One client at a time: the analytic mode's k chunk iterations, each
     * with its share of the prefix attention (full chunks at their mean
     * prefix: exact where the time is linear in it), are the simulation's. */
    check_rel(ttft[1][0], ttft[0][0], 1e-6, "analytic = simulation, unchunked");
    check_rel(ttft[1][1], ttft[0][1], 1e-6, "analytic = simulation, chunks of 2048");
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

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A closed loop's turnaround: each completion releases the next request,
 * which reaches the engine runtime.request_overhead (here 3 ms) later, so
 * the k-th completion in time order plus 3 ms is the arrival of request
 * C + k, and the first C arrive at 0. With the 4096-token budget the four
 * 2000-token prompts take two iterations, so the clients come back in
 * pairs an iteration apart; each pair arrives 3 ms into an iteration
 * already running (a decode, or the other pair's prefill) and waits for
 * it, where, released at that iteration's start (no turnaround), it would
 * have joined it: what makes equal clients meet in the same prefills. The
 * analytic steady state keeps the same cycle: lambda (service +
 * turnaround) = C for one client. */
static void test_turnaround(void **state)
{
    (void)state;
    static roof_scenario s;
    load_config("llama3-8b.cfg", &s);
    s.runtime.engine = ROOF_ENGINE_TRTLLM;
    s.runtime.request_s = 3e-3;
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    set(&c, "traffic.arrival=concurrency");
    set(&c, "traffic.concurrency=4");
    set(&c, "traffic.requests=40");
    set(&c, "traffic.prompt.mean=2000");
    set(&c, "traffic.output.mean=20");
    set(&c, "engine.max_tokens=4096");
    roof_serve_cost *cost;
    roof_serve_sim sim;
    roof_serve_stats st;
    run(&s, &c, &cost, &sim, &st);
    double done[40];
    for (int i = 0; i < 40; i++)
        done[i] = sim.log[i].done_s;
    qsort(done, 40, sizeof done[0], by_value);
    for (int i = 0; i < 4; i++)
        assert_true(sim.req[i].arrival_s == 0.0);
    for (int k = 0; k < 36; k++)
        if (fabs(sim.req[4 + k].arrival_s - (done[k] + 3e-3)) > 1e-12)
            fail_msg("request %d arrives at %.9g s, %.9g s after the completion that released it", 4 + k,
                     sim.req[4 + k].arrival_s, sim.req[4 + k].arrival_s - done[k]);
    /* Requests 4 and 5 (the first pair back) are prefilled together, after
     * the iteration they came back into: admitted after they arrive. */
    assert_true(sim.log[4].first_s == sim.log[5].first_s);
    assert_true(sim.log[4].admit_s > sim.req[4].arrival_s);
    roof_serve_sim_free(&sim);
    roof_serve_cost_free(cost);

    set(&c, "traffic.concurrency=1");
    set(&c, "traffic.requests=3");
    run(&s, &c, &cost, &sim, &st);
    roof_error err;
    if (roof_serve_analytic(cost, &c, NULL, 0, &st, &err) != ROOF_OK)
        fail_msg("analytic: %s: %s", err.where, err.msg);
    /* One client: no queue, its e2e (the overhead included) is its cycle. */
    check_rel(st.req_per_s * st.e2e.mean, 1.0, 1e-9, "lambda (service + turnaround) = 1 client");
    assert_true(st.queue.mean == 0.0);
    roof_serve_sim_free(&sim);
    roof_serve_cost_free(cost);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_little),       cmocka_unit_test(test_md1),          cmocka_unit_test(test_kv_cap),
        cmocka_unit_test(test_static_batch), cmocka_unit_test(test_seed),         cmocka_unit_test(test_lognormal),
        cmocka_unit_test(test_bad_settings), cmocka_unit_test(test_chunk_prefix), cmocka_unit_test(test_kv_room),
        cmocka_unit_test(test_turnaround),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
