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

#include "analysis/interval.h"
#include "model/config.h"
#include "validation/error_fit.h"

static void check_rel(double got, double want, double tol, const char *what)
{
    if (fabs(got - want) > tol * fabs(want))
        fail_msg("%s: got %.17g, want %.17g (rel tol %g)", what, got, want, tol);
}

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
static const char *one_regime = "# hand-made\n"
                                "regime,generation,decade,n,mean_log,sd_log,p10_log,p90_log\n"
                                "gemm_compute,all,-1,40,0.1,0.3,-0.3,0.5\n"
                                "memory,all,-1,40,0.0,0.7,-0.9,0.9\n";

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
}

static void test_parse_errors(void **state)
{
    (void)state;
    static roof_errm em;
    roof_error err;
    assert_int_equal(roof_errm_parse("regime,generation,decade,n,mean_log,sd_log,p10_log,p90_log\n"
                                     "gemm,all,-1,40,0.1,0.3,-0.3,0.5\n",
                                     "t.csv", &em, &err),
                     ROOF_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:2");
    assert_string_equal(err.msg, "unknown regime 'gemm' with decade -1");
    assert_int_equal(roof_errm_parse("# c\nregime,generation,decade,n,mean_log,sd_log,p10_log,p90_log\n"
                                     "memory,all,-1,1,0.1,0.3,-0.3,0.5\n",
                                     "t.csv", &em, &err),
                     ROOF_ERR_INPUT);
    assert_string_equal(err.where, "t.csv:3");
    assert_string_equal(err.msg, "needs n >= 2 (whole), sd_log >= 0 and p90_log >= p10_log (got n 1, sd_log 0.3)");
    assert_int_equal(roof_errm_parse("regime,generation\nmemory,all\n", "t.csv", &em, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.msg, "missing column 'decade'");
    /* A collective of a decade without a row takes the nearest decade's. */
    assert_int_equal(roof_errm_parse("regime,generation,decade,n,mean_log,sd_log,p10_log,p90_log\n"
                                     "collective,all,3,5,0.2,0.1,0.1,0.3\n"
                                     "collective,hopper,7,12,0.4,0.1,0.3,0.5\n",
                                     "t.csv", &em, &err),
                     ROOF_OK);
    assert_ptr_equal(roof_errm_find(&em, roof_comm_regime(2e4), "ampere"), &em.rows[0]);
    assert_ptr_equal(roof_errm_find(&em, roof_comm_regime(3e7), "hopper"), &em.rows[1]);
    assert_ptr_equal(roof_errm_find(&em, roof_comm_regime(3e7), "ampere"), &em.rows[0]);
    assert_null(roof_errm_find(&em, ROOF_REGIME_MEMORY, "hopper"));
    /* The built-in table parses. */
    assert_int_equal(roof_errm_load(NULL, &em, &err), ROOF_OK);
    assert_true(em.n > 0);
}

/* A planted data set: 200 memory-bound rows on Hopper whose log residuals
 * are 0.2 x the standard normal quantiles at (i + 0.5) / 200, alternately
 * from two sources. In sample the fitted sd is 0.2 x 0.99929 (the sample
 * sd of the 200 grid quantiles), so the 80% interval is |e| <= 1.2816 x
 * 0.99929 x 0.2, i.e. Phi^-1((i + 0.5) / 200) in +-1.2807: (i + 0.5) / 200
 * in [0.10015, 0.89985], i = 20..179: 160 rows, exactly 80%. Left out by source, each
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
    check_rel(em.rows[1].sd_log, 0.2 * 0.99929, 0.0005, "fitted sd");
    static signed char cov[N];
    roof_errm_coverage(r, N, 0.80, 0, cov);
    int in = 0;
    for (int i = 0; i < N; i++)
        in += cov[i];
    assert_int_equal(in, 160);
    roof_errm_coverage(r, N, 0.80, 1, cov);
    in = 0;
    for (int i = 0; i < N; i++)
        in += cov[i];
    assert_true(in >= 155 && in <= 165);
    /* Residuals twice as spread as the model states are covered far less:
     * |z| <= 1.2807 / 2 holds for 96 of the 200 grid points. */
    for (int i = 0; i < N; i++)
        r[i].measured_s = 1e-3 * exp(0.4 * gsl_cdf_ugaussian_Pinv((i + 0.5) / N));
    in = 0;
    for (int i = 0; i < N; i++)
        in += roof_errm_covers(&em, &r[i], 0.80) == 1;
    assert_true(in >= 94 && in <= 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_regime_lognormal),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_planted_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
