/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Error bars (docs/accuracy.md): the interval of a hand-made error model
 * on a hand-computed case, the error model table's parser and its exact
 * messages, and the coverage of a planted data set. */
#include <gsl/gsl_cdf.h>
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

#include "analysis/interval.h"
#include "model/config.h"
#include "validation/error_fit.h"

static void load(const char *text, roof_scenario *s)
{
    static const char *const sets[] = {"hw.kernel.overhead=0"};
    static char hw[1024];
    const char *dir = getenv("LLMROOF_FIXTURES");
    snprintf(hw, sizeof hw, "%s/hw/good.cfg", dir ? dir : "tests/fixtures");
    roof_error err;
    char path[] = "/tmp/llmroof-test-errbars-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    int rc = roof_scenario_load(path, NULL, hw, "h100-sxm", sets, 1, s, NULL, &err);
    unlink(path);
    if (rc != ROOF_OK)
        fail_msg("load: %s: %s", err.where, err.msg);
}

/* One GPU, a prefill of 8 x 4096 tokens: every GEMM of a layer is
 * compute-bound on the fixture (the arithmetic of tests/unit/test_analysis.c,
 * big_prefill: intensity far above the ridge of 42.6 FLOP/B). */
static const char *big_prefill = "model = { layers = 2; hidden = 2048; heads = 16; kv_heads = 8; head_dim = 128;\n"
                                 "  ffn_hidden = 5632; ffn_act = \"swiglu\"; vocab = 0; };\n"
                                 "workload = { phase = \"prefill\"; batch = 8; seq_len = 4096; gen_tokens = 16; };\n";

/* The error model table's header row. */
#define HEADER                                                                                                         \
    "regime,generation,decade,n,sources,mean_log,sd_log,tau_log,sigma_log,se_mean_log,p10_log,p90_log,tau_from,scale," \
    "scale_rows\n"

static double gemm_time(const roof_result *r)
{
    double t = 0.0;
    for (int i = 0; i < r->prefill.ops.dense.n; i++)
        if (r->prefill.ops.dense.ops[i].kind == ROOF_OP_GEMM)
            t += r->prefill.ops.dense.ops[i].time_s;
    return t;
}
static const roof_metric gemm_metric = {"gemm_time_s", "s", 0, ROOF_EVAL_PREFILL, gemm_time, "GEMMs of a layer"};

/* One regime with a spread, log-normal: mean 0.1, sd 0.3. Every GEMM is
 * in it and shares one draw, so the GEMM time is G0 exp(0.1 + 0.3 z) and
 * its quantiles are G0 exp(0.1 -+ 1.2816 x 0.3) (1.2816 = the standard
 * normal's 90th percentile): p10 = G0 exp(-0.28448) = 0.75245 G0, p90 =
 * G0 exp(0.48448) = 1.62333 G0. A memory row with its own spread must not
 * move them (the GEMMs are compute-bound). */
static const char *one_regime = "# hand-made\n" HEADER "gemm_compute,all,-1,40,4,0.1,0.3,0.3,0,0,-0.3,0.5,fit,1,0\n"
                                "memory,all,-1,40,3,0.0,0.7,0.0,0.7,0.0,-0.9,0.9,fit,1,0\n";

static void test_one_regime_lognormal(void **state)
{
    (void)state;
    static roof_scenario s;
    static roof_result r;
    static roof_errm em;
    roof_error err;
    load(big_prefill, &s);
    assert_int_equal(roof_errm_parse(one_regime, "hand", &em, &err), ROOF_OK);
    assert_int_equal(em.n, 2);
    assert_int_equal(roof_evaluate(&s, &r, &err), ROOF_OK);
    double g0 = gemm_time(&r);
    const roof_metric *m[] = {&gemm_metric};
    double lo, hi;
    assert_int_equal(roof_interval(&s, &em, m, 1, &lo, &hi, &err), ROOF_OK);
    /* Latin hypercube: the 10th percentile of 1000 stratified draws lies
     * within one stratum (0.1%) of the exact one: a z error under 0.006,
     * under 0.2% on the time. */
    check_rel(lo, 0.75245 * g0, 0.005, "p10");
    check_rel(hi, 1.62333 * g0, 0.005, "p90");
    /* The same input gives the same interval (fixed seed). */
    double lo2, hi2;
    assert_int_equal(roof_interval(&s, &em, m, 1, &lo2, &hi2, &err), ROOF_OK);
    assert_true(lo2 == lo && hi2 == hi);
    /* The point estimate is left alone. */
    assert_null(s.op_scale);
    /* A scale of 2 draws with sd 2 x 0.3: p10 = exp(0.1 - 1.2816 x 0.6)
     * = 0.51226, p90 = exp(0.1 + 1.2816 x 0.6) = 2.38436. */
    em.rows[0].scale = 2.0;
    assert_int_equal(roof_interval(&s, &em, m, 1, &lo, &hi, &err), ROOF_OK);
    check_rel(lo, 0.51226 * g0, 0.005, "p10 at scale 2");
    check_rel(hi, 2.38436 * g0, 0.005, "p90 at scale 2");
}

static void test_parse_errors(void **state)
{
    (void)state;
    static roof_errm em;
    roof_error err;
    assert_int_equal(roof_errm_parse(HEADER "gemm,all,-1,40,4,0.1,0.3,0.3,0,0,-0.3,0.5,fit,1,0\n", "t.csv", &em, &err),
                     ROOF_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:2");
    assert_string_equal(err.msg, "unknown regime 'gemm' with decade -1");
    assert_int_equal(
        roof_errm_parse("# c\n" HEADER "memory,all,-1,1,1,0.1,0.3,0.3,0,0,-0.3,0.5,fit,1,0\n", "t.csv", &em, &err),
        ROOF_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:3");
    assert_string_equal(err.msg, "needs n >= 2 (whole), sd_log >= 0 and p90_log >= p10_log (got n 1, sd_log 0.3)");
    assert_int_equal(roof_errm_parse("regime,generation\nmemory,all\n", "t.csv", &em, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.msg, "missing column 'decade'");
    /* A collective of a decade without a row takes the nearest decade's. */
    /* The interval's sd must be the sum of its three variances (0.3^2 +
     * 0.4^2 = 0.5^2), the count of sources 1 to n, tau_from a known word. */
    assert_int_equal(
        roof_errm_parse(HEADER "memory,all,-1,40,3,0.1,0.6,0.3,0.4,0,-0.3,0.5,fit,1,0\n", "t.csv", &em, &err),
        ROOF_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:2");
    assert_string_equal(err.msg, "'sd_log' must be sqrt(tau_log^2 + sigma_log^2 + se_mean_log^2), each >= 0 (got "
                                 "sd_log 0.6, from the others 0.5)");
    assert_int_equal(
        roof_errm_parse(HEADER "memory,all,-1,40,41,0.1,0.5,0.3,0.4,0,-0.3,0.5,fit,1,0\n", "t.csv", &em, &err),
        ROOF_ERR_INPUT);
    assert_string_equal(err.msg, "'sources' must be a whole number from 1 to n (got 41)");
    assert_int_equal(
        roof_errm_parse(HEADER "memory,all,-1,40,4,0.1,0.5,0.3,0.4,0,-0.3,0.5,guess,1,0\n", "t.csv", &em, &err),
        ROOF_ERR_INPUT);
    assert_string_equal(err.msg, "'tau_from' must be fit, regime, pooled or none (got 'guess')");
    /* A scale from no scores must be 1. */
    assert_int_equal(
        roof_errm_parse(HEADER "memory,all,-1,40,4,0.1,0.5,0.3,0.4,0,-0.3,0.5,fit,1.5,0\n", "t.csv", &em, &err),
        ROOF_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:2");
    assert_string_equal(err.msg, "needs 0 < scale <= 100 and scale_rows a whole number >= 0, scale 1 where "
                                 "scale_rows is 0 (got scale 1.5, scale_rows 0)");
    assert_int_equal(roof_errm_parse("regime,generation,decade,n,mean_log,sd_log,p10_log,p90_log\n"
                                     "memory,all,-1,40,0.1,0.3,-0.3,0.5\n",
                                     "old.csv", &em, &err),
                     ROOF_ERR_INPUT);
    assert_string_equal(err.where, "old.csv");
    assert_string_equal(err.msg, "missing column 'sources'");
    assert_int_equal(roof_errm_parse(HEADER "collective,all,3,5,2,0.2,0.1,0.1,0,0,0.1,0.3,fit,1,0\n"
                                            "collective,hopper,7,12,3,0.4,0.1,0,0.1,0,0.3,0.5,fit,1,0\n",
                                     "t.csv", &em, &err),
                     ROOF_OK);
    assert_ptr_equal(roof_errm_find(&em, roof_comm_regime(2e4), "ampere"), &em.rows[0]);
    assert_ptr_equal(roof_errm_find(&em, roof_comm_regime(3e7), "hopper"), &em.rows[1]);
    assert_ptr_equal(roof_errm_find(&em, roof_comm_regime(3e7), "ampere"), &em.rows[0]);
    assert_null(roof_errm_find(&em, ROOF_REGIME_MEMORY, "hopper"));
    /* The built-in table parses, and keeps serving a static batch,
     * latencies under load and throughput under load apart: each name to
     * its regime and back. */
    assert_int_equal(roof_errm_load(NULL, &em, &err), ROOF_OK);
    assert_true(em.n > 0);
    assert_int_equal(roof_regime_of_name("serving", -1), ROOF_REGIME_SERVING);
    assert_int_equal(roof_regime_of_name("serving_load", -1), ROOF_REGIME_SERVING_LOAD);
    assert_string_equal(roof_regime_name(ROOF_REGIME_SERVING_LOAD), "serving_load");
    assert_int_equal(roof_regime_of_name("serving_load", 3), -1);
    assert_non_null(roof_errm_find(&em, ROOF_REGIME_SERVING_LOAD, "hopper"));
    assert_non_null(roof_errm_find(&em, ROOF_REGIME_SERVING, "hopper"));
    assert_int_equal(roof_regime_of_name("serving_tput", -1), ROOF_REGIME_SERVING_TPUT);
    assert_string_equal(roof_regime_name(ROOF_REGIME_SERVING_TPUT), "serving_tput");
    assert_non_null(roof_errm_find(&em, ROOF_REGIME_SERVING_TPUT, "hopper"));
}

/* A planted data set: 200 memory-bound rows on Hopper whose log residuals
 * are 0.2 x the standard normal quantiles at (i + 0.5) / 200, alternately
 * from two sources. Their sample sd is 0.2 x 0.99929; the two sources'
 * means are -+0.0030665, so SSB = 200 x 0.0030665^2 = 0.0018807, SSW =
 * 199 (0.2 x 0.99929)^2 - SSB = 7.9468, sigma^2 = SSW / 198 = 0.040136
 * (sigma = 0.2 x 1.00170); the means' spread 1.4826 x 0.0030665 =
 * 0.0045464 squared, 2.07e-5, is under sigma^2 / 100 = 4.01e-4, so
 * tau = 0; the mean is 0 with
 * se^2 = sigma^2 / 200, so sd = sigma x sqrt(1.005) = 0.2 x 1.00420. In
 * sample the 80% interval is |e| <= 1.2816 x 1.00420 x 0.2, i.e.
 * Phi^-1((i + 0.5) / 200) in +-1.2870: (i + 0.5) / 200 in [0.0991,
 * 0.9009], i = 20..179: 160 rows, exactly 80%. Left out by source, each
 * half's fit is close to the whole's: coverage 80% +- 2.5%. */
static void test_planted_coverage(void **state)
{
    (void)state;
    enum { N = 200 };
    static roof_resid r[N];
    for (int i = 0; i < N; i++) {
        r[i].regime = ROOF_REGIME_MEMORY;
        snprintf(r[i].generation, sizeof r[i].generation, "hopper");
        snprintf(r[i].source, sizeof r[i].source, "%s", i % 2 ? "odd/source" : "even/source");
        r[i].predicted_s = 1e-3;
        r[i].measured_s = 1e-3 * exp(0.2 * gsl_cdf_ugaussian_Pinv((i + 0.5) / N));
    }
    static roof_errm em;
    roof_errm_fit(r, N, NULL, &em);
    assert_int_equal(em.n, 2); /* memory on every GPU, and on hopper */
    check_rel(em.rows[1].sigma_log, 0.2 * 1.00170, 0.0001, "fitted sigma");
    assert_true(em.rows[1].tau_log == 0.0);
    check_rel(em.rows[1].sd_log, 0.2 * 1.00420, 0.0001, "fitted sd");
    assert_true(fabs(em.rows[1].mean_log) < 1e-12);
    static signed char cov[N];
    static double score[N];
    assert_int_equal(roof_errm_scores(r, N, score), 0);
    roof_errm_coverage(r, N, score, (const double[]){0.80}, 1, 0, cov);
    int in = 0;
    for (int i = 0; i < N; i++)
        in += cov[i];
    assert_int_equal(in, 160);
    roof_errm_coverage(r, N, score, (const double[]){0.80}, 1, 1, cov);
    in = 0;
    for (int i = 0; i < N; i++)
        in += cov[i];
    assert_true(in >= 155 && in <= 165);
    /* Residuals twice as spread as the model states are covered far less:
     * |z| <= 1.2870 / 2 holds for 96 of the 200 grid points. */
    for (int i = 0; i < N; i++)
        r[i].measured_s = 1e-3 * exp(0.4 * gsl_cdf_ugaussian_Pinv((i + 0.5) / N));
    in = 0;
    for (int i = 0; i < N; i++)
        in += roof_errm_covers(&em, &r[i], 0.80) == 1;
    assert_true(in >= 94 && in <= 100);
}

/* The scale by hand: 25 memory-bound residuals, alternately of sources A
 * and B, with scores 0.1, 0.2, ..., 2.5 (given, not fitted). Over all 25
 * the conformal rank is ceil(26 x 0.8) = 21: score 2.1, scale 2.1 /
 * 1.28155 = 1.63864. With B held out, A's 13 scores are under the 20 a
 * scale needs: 1. Scores all 0.5 would narrow (0.5 / 1.28155): the scale
 * only widens, 1. A compute-bound row keeps 1: no score of its regime. */
static void test_calibrate(void **state)
{
    (void)state;
    enum { N = 25 };
    static roof_resid r[N];
    double score[N];
    for (int i = 0; i < N; i++) {
        r[i].regime = ROOF_REGIME_MEMORY;
        snprintf(r[i].source, sizeof r[i].source, "%s", i % 2 ? "B" : "A");
        score[i] = 0.1 * (i + 1);
    }
    static roof_errm em;
    memset(&em, 0, sizeof em);
    em.n = 2;
    em.rows[0].regime = ROOF_REGIME_MEMORY;
    em.rows[1].regime = ROOF_REGIME_GEMM_COMPUTE;
    roof_errm_calibrate(&em, r, N, score, NULL);
    check_rel(em.rows[0].scale, 1.63864, 1e-5, "scale");
    assert_int_equal(em.rows[0].scale_rows, 25);
    assert_true(em.rows[1].scale == 1.0 && em.rows[1].scale_rows == 0);
    roof_errm_calibrate(&em, r, N, score, "B");
    assert_true(em.rows[0].scale == 1.0 && em.rows[0].scale_rows == 0);
    for (int i = 0; i < N; i++)
        score[i] = 0.5;
    roof_errm_calibrate(&em, r, N, score, NULL);
    assert_true(em.rows[0].scale == 1.0 && em.rows[0].scale_rows == 25);
    /* One source only: no scale. */
    for (int i = 0; i < N; i++)
        snprintf(r[i].source, sizeof r[i].source, "A");
    score[0] = 3.0;
    roof_errm_calibrate(&em, r, N, score, NULL);
    assert_true(em.rows[0].scale == 1.0 && em.rows[0].scale_rows == 0);
}

static void plant(roof_resid *r, int regime, const char *source, double e)
{
    r->regime = regime;
    r->generation[0] = '\0'; /* no generation: the rows over every GPU only */
    snprintf(r->source, sizeof r->source, "%s", source);
    snprintf(r->id, sizeof r->id, "%s", source);
    r->predicted_s = 2.385e-3;
    r->measured_s = 2.385e-3 * exp(e);
}

/* The random-effects fit by hand. Memory-bound rows from three sources:
 * A 0.1, 0.3 (mean 0.2); B 0.5, 0.7, 0.9 (mean 0.7); C -0.2. N = 6, k = 3.
 *   SSW = 0.02 + 0.08 + 0 = 0.1, sigma^2 = 0.1 / (6 - 3) = 0.033333;
 *   the means' median is 0.2, their absolute deviations 0, 0.5, 0.4,
 *   MAD 0.4, spread 1.482602 x 0.4 = 0.593041, squared 0.351697;
 *   sigma^2 / n_i = 0.016667, 0.011111, 0.033333, median 0.016667;
 *   tau^2 = 0.351697 - 0.016667 = 0.335031;
 *   w* = 1 / (0.335031 + sigma^2 / n_i) = 2.843353, 2.888988, 2.714705
 *   (sum 8.447046); mu = (0.568671 + 2.022292 - 0.542941) / 8.447046
 *   = 0.242454; se^2 = 1 / 8.447046 = 0.118385;
 *   sd = sqrt(0.335031 + 0.033333 + 0.118385) = sqrt(0.486749) = 0.697674.
 * Compute-bound GEMM rows from one source D: 0.05, 0.45: its tau cannot be
 * estimated, so it takes the other regimes' pooled tau^2, here memory's
 * 0.335031 alone (2 degrees of freedom); sigma^2 = 2 x 0.2^2 / 1 = 0.08,
 * mu = 0.25, se^2 = 0.335031 + 0.08 / 2 = 0.375031, sd = sqrt(0.335031
 * + 0.08 + 0.375031) = sqrt(0.790062) = 0.888854. */
static void test_random_effects(void **state)
{
    (void)state;
    static roof_resid r[8];
    static const double e[] = {0.1, 0.3, 0.5, 0.7, 0.9, -0.2};
    static const char *const src[] = {"A", "A", "B", "B", "B", "C"};
    for (int i = 0; i < 6; i++)
        plant(&r[i], ROOF_REGIME_MEMORY, src[i], e[i]);
    plant(&r[6], ROOF_REGIME_GEMM_COMPUTE, "D", 0.05);
    plant(&r[7], ROOF_REGIME_GEMM_COMPUTE, "D", 0.45);
    static roof_errm em;
    roof_errm_fit(r, 8, NULL, &em);
    assert_int_equal(em.n, 2);
    const roof_errm_row *mem = roof_errm_find(&em, ROOF_REGIME_MEMORY, "");
    const roof_errm_row *gemm = roof_errm_find(&em, ROOF_REGIME_GEMM_COMPUTE, "");
    assert_non_null(mem);
    assert_non_null(gemm);
    assert_int_equal(mem->sources, 3);
    check_rel(mem->sigma_log * mem->sigma_log, 0.033333, 1e-4, "sigma^2");
    check_rel(mem->tau_log * mem->tau_log, 0.335031, 1e-5, "tau^2");
    check_rel(mem->mean_log, 0.242454, 1e-5, "mu");
    check_rel(mem->se_mean_log * mem->se_mean_log, 0.118385, 1e-5, "se^2");
    check_rel(mem->sd_log, 0.697674, 1e-5, "sd");
    assert_string_equal(mem->tau_from, "fit");
    assert_int_equal(gemm->sources, 1);
    assert_string_equal(gemm->tau_from, "pooled");
    check_rel(gemm->tau_log * gemm->tau_log, 0.335031, 1e-5, "pooled tau^2");
    check_rel(gemm->mean_log, 0.25, 1e-9, "one source's mean");
    check_rel(gemm->sd_log, 0.888854, 1e-5, "sd with pooled tau");
    /* The table's text parses back to the same rows (6 decimals). */
    char *text = roof_errm_text(&em, 8);
    assert_non_null(text);
    static roof_errm back;
    roof_error err;
    int rc = roof_errm_parse(text, "text", &back, &err);
    free(text);
    if (rc != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    assert_int_equal(back.n, 2);
    check_rel(back.rows[1].tau_log, em.rows[1].tau_log, 1e-5, "tau read back"); /* rows: gemm, memory */
    assert_string_equal(back.rows[0].tau_from, "pooled");
}

/* A generation's row with one source borrows its regime's tau over every
 * GPU. The memory rows of test_random_effects (no generation) and ten of
 * source E on hopper, five at 0.1 and five at 0.3 (mean 0.2, SSW = 0.1).
 * Over every GPU: N = 16, k = 4,
 *   sigma^2 = (0.1 + 0.1) / 12 = 0.016667;
 *   means -0.2, 0.2, 0.2, 0.7: median 0.2, absolute deviations 0.4, 0,
 *   0, 0.5, MAD 0.2, spread 1.482602 x 0.2 = 0.296520, squared 0.087924;
 *   sigma^2 / n_i = 0.008333, 0.005556, 0.016667, 0.001667, median
 *   (0.005556 + 0.008333) / 2 = 0.006944;
 *   tau^2 = 0.087924 - 0.006944 = 0.080980.
 * On hopper (one source, ten rows): sigma^2 = 0.1 / 9 = 0.011111, tau^2 =
 * 0.080980 borrowed, mu = 0.2, se^2 = 0.080980 + 0.011111 / 10 = 0.082091,
 * sd = sqrt(0.080980 + 0.011111 + 0.082091) = sqrt(0.174182) = 0.417351. */
static void test_borrowed_tau(void **state)
{
    (void)state;
    static roof_resid r[16];
    static const double e[] = {0.1, 0.3, 0.5, 0.7, 0.9, -0.2};
    static const char *const src[] = {"A", "A", "B", "B", "B", "C"};
    for (int i = 0; i < 6; i++)
        plant(&r[i], ROOF_REGIME_MEMORY, src[i], e[i]);
    for (int i = 6; i < 16; i++) {
        plant(&r[i], ROOF_REGIME_MEMORY, "E", i < 11 ? 0.1 : 0.3);
        snprintf(r[i].generation, sizeof r[i].generation, "hopper");
    }
    static roof_errm em;
    roof_errm_fit(r, 16, NULL, &em);
    assert_int_equal(em.n, 2);
    const roof_errm_row *all = roof_errm_find(&em, ROOF_REGIME_MEMORY, "ampere"); /* no row: all */
    const roof_errm_row *hop = roof_errm_find(&em, ROOF_REGIME_MEMORY, "hopper");
    assert_string_equal(all->generation, "all");
    assert_string_equal(hop->generation, "hopper");
    check_rel(all->tau_log * all->tau_log, 0.080980, 1e-4, "tau^2 over every GPU");
    assert_string_equal(all->tau_from, "fit");
    assert_int_equal(hop->sources, 1);
    assert_string_equal(hop->tau_from, "regime");
    check_rel(hop->tau_log, all->tau_log, 1e-12, "borrowed tau");
    check_rel(hop->sigma_log * hop->sigma_log, 0.011111, 1e-4, "sigma^2 on hopper");
    check_rel(hop->mean_log, 0.2, 1e-9, "mu on hopper");
    check_rel(hop->sd_log, 0.417351, 1e-5, "sd on hopper");
}

/* Per source, regime and generation (validation/error_fit.c
 * roof_errm_by_source), by hand: source A's two compute-bound GEMMs on
 * Hopper (log residuals 0.1137 and -0.2961, one inside) make one entry
 * (rows 2, judged 2, inside 1, sum -0.1824); source B's collectives of
 * 1 kB and 10 MB make one (decades merged; the second has no interval:
 * rows 2, judged 1, sum 0.2213 + 0.4172 = 0.6385); A on Ampere (0.0389)
 * and A's memory-bound op (-0.5077) are entries of their own; the entries
 * come in order of first row. */
static void test_by_source(void **state)
{
    (void)state;
    static const struct {
        int regime;
        const char *gen, *src;
        double log;
        signed char cov;
    } in[] = {
        {ROOF_REGIME_GEMM_COMPUTE, "hopper", "A", 0.1137, 1}, {ROOF_REGIME_GEMM_COMPUTE, "hopper", "A", -0.2961, 0},
        {ROOF_REGIME_COMM0 + 3, "hopper", "B", 0.2213, 1},    {ROOF_REGIME_COMM0 + 7, "hopper", "B", 0.4172, -1},
        {ROOF_REGIME_GEMM_COMPUTE, "ampere", "A", 0.0389, 1}, {ROOF_REGIME_MEMORY, "hopper", "A", -0.5077, 0},
    };
    enum { N = sizeof in / sizeof in[0] };
    roof_resid r[N];
    signed char cov[N];
    for (size_t i = 0; i < N; i++) {
        memset(&r[i], 0, sizeof r[i]);
        r[i].regime = in[i].regime;
        snprintf(r[i].generation, sizeof r[i].generation, "%s", in[i].gen);
        snprintf(r[i].source, sizeof r[i].source, "%s", in[i].src);
        r[i].predicted_s = 1.7341e-3;
        r[i].measured_s = 1.7341e-3 * exp(in[i].log);
        cov[i] = in[i].cov;
    }
    roof_errm_src s[N];
    assert_int_equal(roof_errm_by_source(r, N, cov, s), 4);
    assert_int_equal(s[0].regime, ROOF_REGIME_GEMM_COMPUTE);
    assert_string_equal(s[0].generation, "hopper");
    assert_string_equal(s[0].source, "A");
    assert_true(s[0].rows == 2 && s[0].judged == 2 && s[0].inside == 1);
    check_rel(s[0].sum_log, -0.1824, 1e-12, "A's compute-bound sum");
    assert_int_equal(s[1].regime, ROOF_REGIME_COMM0);
    assert_string_equal(s[1].source, "B");
    assert_true(s[1].rows == 2 && s[1].judged == 1 && s[1].inside == 1);
    check_rel(s[1].sum_log, 0.6385, 1e-12, "B's collectives' sum");
    assert_int_equal(s[2].regime, ROOF_REGIME_GEMM_COMPUTE);
    assert_string_equal(s[2].generation, "ampere");
    assert_true(s[2].rows == 1 && s[2].judged == 1 && s[2].inside == 1);
    check_rel(s[2].sum_log, 0.0389, 1e-12, "A on Ampere");
    assert_int_equal(s[3].regime, ROOF_REGIME_MEMORY);
    assert_true(s[3].rows == 1 && s[3].judged == 1 && s[3].inside == 0);
    check_rel(s[3].sum_log, -0.5077, 1e-12, "A's memory-bound op");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_regime_lognormal),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_planted_coverage),
        cmocka_unit_test(test_random_effects),
        cmocka_unit_test(test_borrowed_tau),
        cmocka_unit_test(test_by_source),
        cmocka_unit_test(test_calibrate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
