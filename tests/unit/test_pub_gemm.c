/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GEMM rows of corpus/gemm.csv (validation/published_gemm.c): a row
 * with relative_to is judged by its ratio to its run's reference, so its
 * prediction is the reference's measured time times the ratio of the two
 * predictions; that prediction does not move with a fraction that scales
 * both (the run's level), while a row alone moves with it; the reference
 * is read even where its own trust is low; and the exact errors of a
 * reference that cannot be one. And, in the cross-validation of the GEMM
 * fractions, a prior that names another value of the same fit (the fp8
 * fraction's: the profile's 16-bit one) is that value as fitted in the
 * fold, not as it stood before the fit. A row warmed up for a second or
 * more (warmup_iters) is timed at the sustained fraction. A row with its
 * harness's own floor (overhead_us) is timed with it in place of the
 * profile's per-kernel overhead, and such rows do not let the
 * cross-validation fit that overhead. */
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

#include "hw/profile.h"
#include "pub_load.h"
#include "validation/published.h"
#include "validation/published_rows.h"

#define HEAD "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust,relative_to\n"
/* REF: 4 x 4096 x 4096 x 10944 at 398.38 TFLOP/s, trust low (left out
 * as a case); ODD and NEAR relative to it; ALONE on its own. */
static const char CSV[] = HEAD "REF,a/b@c,H100 (SKU not stated),fp16,4096,4096,10944,4,398.38,,low,\n"
                               "ODD,a/b@c,H100 (SKU not stated),fp16,4096,4096,10922,4,272.73,,medium,REF\n"
                               "NEAR,a/b@c,H100 (SKU not stated),fp16,4096,4096,10848,4,,3680,medium,REF\n"
                               "ALONE,a/b@c,H100 (SKU not stated),fp16,4096,4096,10848,4,,3680,medium,\n";

static const roof_pub_case *find(const roof_pub_case *c, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].id, id) == 0)
            return &c[i];
    fail_msg("no case '%s'", id);
    return NULL;
}

static void test_relative(void **state)
{
    (void)state;
    size_t n;
    roof_pub_skips sk;
    roof_error err;
    roof_pub_case *cases = pub_loaded(roof_pub_load_corpus_gemm, CSV, &n, &sk);
    assert_int_equal(n, 3);
    assert_int_equal(sk.n, 1);
    assert_string_equal(sk.reason[0], "trust 'low'");
    const roof_pub_case *odd = find(cases, n, "ODD"), *alone = find(cases, n, "ALONE");
    assert_int_equal(odd->relative, 1);
    assert_int_equal(alone->relative, 0);
    assert_string_equal(odd->what, "4 x m=4096 n=4096 k=10922 fp16 / REF");
    assert_string_equal(odd->hw, "h100-sxm");
    /* The reference: its shape, and 2 b m n k / rate by hand. */
    assert_true(odd->ref_gemm.k == 10944.0 && odd->ref_gemm.m == 4096.0 && odd->ref_gemm.batch == 4.0);
    assert_true(fabs(odd->ref_measured_s - 2.0 * 4 * 4096.0 * 4096 * 10944 / 398.38e12) < 1e-15);
    assert_true(fabs(find(cases, n, "NEAR")->measured_s - 3680e-6) < 1e-15);

    /* The prediction: measured(REF) x t(ODD) / t(REF), t on the profile. */
    roof_hw hw;
    assert_int_equal(roof_hw_load("h100-sxm", &hw, &err), ROOF_OK);
    roof_gemm_time t_odd, t_ref;
    assert_int_equal(roof_gemm_time_of(&hw, &odd->gemm, 0, &t_odd, &err), ROOF_OK);
    assert_int_equal(roof_gemm_time_of(&hw, &odd->ref_gemm, 0, &t_ref, &err), ROOF_OK);
    roof_pub_case r = *odd, a = *alone;
    assert_int_equal(roof_pub_predict_gemm(&r, &hw, &err), ROOF_OK);
    assert_true(fabs(r.predicted_s / (odd->ref_measured_s * t_odd.time_s / t_ref.time_s) - 1.0) < 1e-12);
    assert_int_equal(roof_pub_predict_gemm(&a, &hw, &err), ROOF_OK);

    /* Halving the 16-bit fraction without a per-kernel overhead doubles
     * the time of a compute-bound row alone and leaves the ratio. */
    hw.kernel_overhead = 0.0;
    roof_pub_case r1 = *odd, a1 = *alone, r2 = *odd, a2 = *alone;
    assert_int_equal(roof_pub_predict_gemm(&r1, &hw, &err), ROOF_OK);
    assert_int_equal(roof_pub_predict_gemm(&a1, &hw, &err), ROOF_OK);
    hw.eff_compute *= 0.5;
    assert_int_equal(roof_pub_predict_gemm(&r2, &hw, &err), ROOF_OK);
    assert_int_equal(roof_pub_predict_gemm(&a2, &hw, &err), ROOF_OK);
    assert_true(fabs(a2.predicted_s / a1.predicted_s - 2.0) < 1e-9);
    assert_true(fabs(r2.predicted_s / r1.predicted_s - 1.0) < 1e-12);
    free(cases);
}

static void load_bad(const char *rows, const char *where_line, const char *msg)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s", HEAD, rows);
    pub_load_fails(roof_pub_load_corpus_gemm, text, where_line, msg);
}

static void test_relative_bad(void **state)
{
    (void)state;
    const char *ref = "R,a/b@c,H100-SXM,bf16,64,64,64,1,10,,high,\n";
    char rows[512];
    snprintf(rows, sizeof rows, "%sX,a/b@c,H100-SXM,bf16,64,64,128,1,10,,high,NOPE\n", ref);
    load_bad(rows, ":3", "relative_to 'NOPE': no row has that case_id");
    load_bad("X,a/b@c,H100-SXM,bf16,64,64,128,1,10,,high,X\n", ":2",
             "relative_to 'X': a row cannot be its own reference");
    snprintf(rows, sizeof rows,
             "%sY,a/b@c,H100-SXM,bf16,64,64,96,1,10,,low,R\nX,a/b@c,H100-SXM,bf16,64,64,128,1,10,,high,Y\n", ref);
    load_bad(rows, ":4", "relative_to 'Y': that row is itself relative (to 'R'); name a row measured alone");
    snprintf(rows, sizeof rows, "%sX,a/b@c,H200-SXM,bf16,64,64,128,1,10,,high,R\n", ref);
    load_bad(rows, ":3", "relative_to 'R': its gpu 'H100-SXM' is not this row's 'H200-SXM' (a ratio needs one run)");
    snprintf(rows, sizeof rows, "%sX,d/e@f,H100-SXM,bf16,64,64,128,1,10,,high,R\n", ref);
    load_bad(rows, ":3", "relative_to 'R': its source 'a/b@c' is not this row's 'd/e@f' (a ratio needs one run)");
    snprintf(rows, sizeof rows, "%sX,a/b@c,H100-SXM,fp8,64,64,128,1,10,,high,R\n", ref);
    load_bad(rows, ":3", "relative_to 'R': its dtype 'bf16' is not this row's 'fp8' (a ratio needs one run)");
    /* The reference's cells are checked as a row's own. */
    snprintf(rows, sizeof rows,
             "R,a/b@c,H100-SXM,bf16,64,64,0,1,10,,low,\nX,a/b@c,H100-SXM,bf16,64,64,128,1,10,,high,R\n");
    load_bad(rows, ":2", "'0' must be positive (column 'k')");
}

/* MI300X: a 16-bit row of source S1 run at half the peak, an fp8 row of
 * S2. Holding out S2, the fold fits the 16-bit fraction on S1's row alone
 * (0.5: one row, so the per-kernel overhead keeps its prior), and the fp8
 * fraction, without rows, takes that 0.5, not the 16-bit prior it came
 * from (H100's, A100's, 0.869). */
static void test_cv_prior_after_fit(void **state)
{
    (void)state;
    roof_hw hw;
    roof_error err;
    assert_int_equal(roof_hw_load("mi300x", &hw, &err), ROOF_OK);
    roof_pub_case c[2];
    memset(c, 0, sizeof c);
    for (int i = 0; i < 2; i++) {
        snprintf(c[i].group, sizeof c[i].group, "gemm-test");
        snprintf(c[i].id, sizeof c[i].id, "row%d", i);
        snprintf(c[i].hw, sizeof c[i].hw, "mi300x");
        snprintf(c[i].source, sizeof c[i].source, "S%d", i + 1);
        c[i].kind = ROOF_PUB_GEMM;
        c[i].gemm = (roof_gemm){1, 8192, 8192, 8192, i ? ROOF_DT_FP8 : ROOF_DT_BF16, 0, 0.0};
        c[i].fit = 1;
    }
    roof_hw half = hw;
    half.eff_compute = 0.5;
    roof_pub_case m = c[0];
    assert_int_equal(roof_pub_predict_gemm(&m, &half, &err), ROOF_OK);
    c[0].measured_s = m.predicted_s;
    c[1].measured_s = m.predicted_s;
    roof_pub_cv cv;
    if (roof_pub_cv_run(c, 2, ROOF_CV_DEFAULT, &cv, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    size_t s2 = 0;
    while (s2 < cv.nsources && strcmp(cv.sources[s2], "S2") != 0)
        s2++;
    assert_true(s2 < cv.nsources);
    const roof_pub_cv_param *p16 = NULL, *p8 = NULL;
    for (size_t i = 0; i < cv.nparams; i++)
        if (strcmp(cv.params[i].fit, "gemm-mi300x") == 0) {
            if (strcmp(cv.params[i].path, "hw.efficiency.compute") == 0)
                p16 = &cv.params[i];
            if (strcmp(cv.params[i].path, "hw.efficiency.fp8") == 0)
                p8 = &cv.params[i];
        }
    assert_non_null(p16);
    assert_non_null(p8);
    assert_int_equal(p16->fold_fitted[s2], 1);
    assert_int_equal(p8->fold_fitted[s2], 0);
    /* 0.5 to 0.2%: the fold's overhead is its prior (H100's), not the
     * profile's own that timed the row. */
    if (!(fabs(p16->fold[s2] - 0.5) < 1e-3))
        fail_msg("16-bit fraction %.17g", p16->fold[s2]);
    assert_true(p8->fold[s2] == p16->fold[s2]);
    roof_pub_cv_free(&cv);
}

/* warmup_iters: a row warmed at full load for at least ROOF_PUB_SUSTAINED_S
 * (1 s) is predicted at the profile's sustained fraction. 8192^3 at
 * 1099.5 TFLOP/s takes 2 * 8192^3 / 1099.5e12 = 1.0000 ms: 1200
 * iterations are 1.2 s (sustained), 800 are 0.8 s (a burst); a row
 * timed at 1000 us run 1000 times is exactly 1 s (sustained). On h100-sxm
 * (no ridge: max of compute and memory, compute-bound here) the compute
 * time grows by 1 / efficiency.sustained = 1 / 0.880 and the per-kernel
 * overhead does not. */
static void test_sustained(void **state)
{
    (void)state;
    static const char text[] = "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust,warmup_iters\n"
                               "LONG,a/b@c,H100-SXM,bf16,8192,8192,8192,1,916.25,,high,1200\n"
                               "SHORT,a/b@c,H100-SXM,bf16,8192,8192,8192,1,916.25,,high,800\n"
                               "NONE,a/b@c,H100-SXM,bf16,8192,8192,8192,1,916.25,,high,\n"
                               "EDGE,a/b@c,H100-SXM,bf16,8192,8192,8192,1,,1250,high,800\n";
    size_t n;
    roof_pub_skips sk;
    roof_error err;
    roof_pub_case *cases = pub_loaded(roof_pub_load_corpus_gemm, text, &n, &sk);
    assert_int_equal(n, 4);
    /* 916.25 TFLOP/s: 1.2 ms a run (above the 1.111 ms of the peak), 1.44 s
     * over 1200 iterations, 0.96 s over 800. 1250 us a run (time_us, no
     * rate) times 800 iterations: exactly the threshold, which is
     * sustained. */
    assert_int_equal(find(cases, n, "EDGE")->sustained, 1);
    roof_pub_case *lng = (roof_pub_case *)find(cases, n, "LONG"), *shrt = (roof_pub_case *)find(cases, n, "SHORT"),
                  *none = (roof_pub_case *)find(cases, n, "NONE");
    assert_int_equal(lng->sustained, 1);
    assert_int_equal(shrt->sustained, 0);
    assert_int_equal(none->sustained, 0);
    roof_hw hw;
    assert_int_equal(roof_hw_load("h100-sxm", &hw, &err), ROOF_OK);
    assert_true(hw.eff_sustained == 0.880);
    assert_int_equal(roof_pub_predict_gemm(lng, &hw, &err), ROOF_OK);
    assert_int_equal(roof_pub_predict_gemm(shrt, &hw, &err), ROOF_OK);
    assert_int_equal(roof_pub_predict_gemm(none, &hw, &err), ROOF_OK);
    assert_true(shrt->predicted_s == none->predicted_s);
    double ratio = (lng->predicted_s - hw.kernel_overhead) / (none->predicted_s - hw.kernel_overhead);
    if (!(fabs(ratio - 1.0 / 0.880) < 1e-9))
        fail_msg("sustained over burst compute time %.12g, want 1/0.880", ratio);
    free(cases);
    /* A warm-up count that is not a positive number is an error. */
    pub_load_fails(roof_pub_load_corpus_gemm,
                   "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust,warmup_iters\n"
                   "X,a/b@c,H100-SXM,bf16,64,64,64,1,10,,high,-5\n",
                   ":2", "'-5' must be positive (column 'warmup_iters')");
}

/* overhead_us: the harness's floor in place of the profile's per-kernel
 * overhead. The same shape with and without it differs by exactly the
 * two: h100-sxm's 6.1 us less the row's 2.5 us = 3.6 us. */
static void test_harness_floor(void **state)
{
    (void)state;
    static const char text[] = "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust,overhead_us\n"
                               "GRAPH,a/b@c,H100-SXM,bf16,64,8192,8192,1,,50,high,2.5\n"
                               "LAUNCH,a/b@c,H100-SXM,bf16,64,8192,8192,1,,50,high,\n";
    size_t n;
    roof_pub_skips sk;
    roof_error err;
    roof_pub_case *cases = pub_loaded(roof_pub_load_corpus_gemm, text, &n, &sk);
    assert_int_equal(n, 2);
    roof_pub_case *graph = (roof_pub_case *)find(cases, n, "GRAPH"),
                  *launch = (roof_pub_case *)find(cases, n, "LAUNCH");
    assert_true(graph->harness_overhead_s == 2.5e-6);
    assert_true(launch->harness_overhead_s == 0.0);
    roof_hw hw;
    assert_int_equal(roof_hw_load("h100-sxm", &hw, &err), ROOF_OK);
    assert_true(hw.kernel_overhead == 6.1e-6);
    assert_int_equal(roof_pub_predict_gemm(graph, &hw, &err), ROOF_OK);
    assert_int_equal(roof_pub_predict_gemm(launch, &hw, &err), ROOF_OK);
    if (!(fabs(launch->predicted_s - graph->predicted_s - 3.6e-6) < 1e-15))
        fail_msg("launch - graph = %.17g s, want 3.6e-6", launch->predicted_s - graph->predicted_s);
    free(cases);
    pub_load_fails(roof_pub_load_corpus_gemm,
                   "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust,overhead_us\n"
                   "X,a/b@c,H100-SXM,bf16,64,64,64,1,10,,high,0\n",
                   ":2", "'0' must be positive (column 'overhead_us')");
}

/* A row timed below the roofline at the part's peaks is left out, with
 * its reason: 4096^3 bf16 on H100 needs 2 x 4096^3 / 989.4e12 =
 * 138.9114 us at the peak (its 100.7 MB at 3.35 TB/s take 30.0 us), so
 * 138.9 us is left out and 139.0 us kept. */
static void test_below_peak_roofline(void **state)
{
    (void)state;
    static const char text[] = "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust\n"
                               "FAST,a/b@c,H100-SXM,bf16,4096,4096,4096,1,,138.9,high\n"
                               "OK,a/b@c,H100-SXM,bf16,4096,4096,4096,1,,139.0,high\n";
    size_t n;
    roof_pub_skips sk;
    roof_pub_case *cases = pub_loaded(roof_pub_load_corpus_gemm, text, &n, &sk);
    assert_int_equal(n, 1);
    assert_string_equal(cases[0].id, "OK");
    assert_int_equal(sk.n, 1);
    assert_string_equal(sk.reason[0], "faster than the roofline at the part's peaks allows");
    assert_int_equal(sk.rows[0], 1);
    free(cases);
}

/* The in-sample fit of gemm-<profile> on five graph-replayed rows (a
 * harness floor each) and `launched` rows timed one by one. On H100 the
 * 16-bit fraction is fitted either way; the per-kernel overhead only where
 * the launched rows outnumber the parameters fitted before it (one: the
 * fraction), so not from one launched row whose fit the graph rows'
 * fraction would leave to it alone. On GB200 the fractions are B200's
 * (CLS_NEVER in validation/gpu_cv.c), never fitted, and count as well: the
 * overhead needs three launched rows, not one. */
static int overhead_fitted(const char *profile, int launched)
{
    roof_hw hw;
    roof_error err;
    char fit[32];
    snprintf(fit, sizeof fit, "gemm-%s", strcmp(profile, "h100-sxm") == 0 ? "h100" : profile);
    assert_int_equal(roof_hw_load(profile, &hw, &err), ROOF_OK);
    roof_hw slow = hw;
    slow.eff_compute = 0.6;
    slow.kernel_overhead = 4e-6;
    roof_pub_case c[8];
    memset(c, 0, sizeof c);
    int n = 5 + launched;
    for (int i = 0; i < n; i++) {
        snprintf(c[i].group, sizeof c[i].group, "gemm-test");
        snprintf(c[i].id, sizeof c[i].id, "row%d", i);
        snprintf(c[i].hw, sizeof c[i].hw, "%s", profile);
        snprintf(c[i].source, sizeof c[i].source, "%s", i < 5 ? "G" : "L");
        c[i].kind = ROOF_PUB_GEMM;
        double m = 1024.0 * (double)(1 << (i % 5)); /* compute-bound: the fraction moves every row */
        c[i].gemm = (roof_gemm){1, m, 8192, 8192, ROOF_DT_BF16, 0, 0.0};
        c[i].harness_overhead_s = i < 5 ? 2.5e-6 : 0.0;
        c[i].fit = 1;
        roof_pub_case m1 = c[i];
        assert_int_equal(roof_pub_predict_gemm(&m1, &slow, &err), ROOF_OK);
        c[i].measured_s = m1.predicted_s;
    }
    roof_pub_cv cv;
    if (roof_pub_cv_run(c, (size_t)n, ROOF_CV_DEFAULT, &cv, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    int fitted = -1, frac = -1;
    for (size_t i = 0; i < cv.nparams; i++)
        if (strcmp(cv.params[i].fit, fit) == 0) {
            if (strcmp(cv.params[i].path, "hw.kernel.overhead") == 0)
                fitted = cv.params[i].insample_fitted;
            if (strcmp(cv.params[i].path, "hw.efficiency.compute") == 0)
                frac = cv.params[i].insample_fitted;
        }
    assert_int_equal(frac, strcmp(profile, "h100-sxm") == 0);
    roof_pub_cv_free(&cv);
    return fitted;
}

static void test_cv_overhead_launched_rows(void **state)
{
    (void)state;
    assert_int_equal(overhead_fitted("h100-sxm", 1), 0);
    assert_int_equal(overhead_fitted("h100-sxm", 2), 1);
    assert_int_equal(overhead_fitted("gb200", 2), 0);
    assert_int_equal(overhead_fitted("gb200", 3), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relative),
        cmocka_unit_test(test_relative_bad),
        cmocka_unit_test(test_cv_prior_after_fit),
        cmocka_unit_test(test_sustained),
        cmocka_unit_test(test_harness_floor),
        cmocka_unit_test(test_cv_overhead_launched_rows),
        cmocka_unit_test(test_below_peak_roofline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
