/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The attention fraction (hw.efficiency.attention, hw/hw.h
 * roof_hw_attn_eff): the fused attention roofline with it set, unset (the
 * GEMM fraction, as before it existed), derated by the sustained fraction;
 * a FUSED op of the model timed with it, worked out by hand; and the
 * attention rows in leave-one-source-out cross-validation, where a
 * planted source never sees its own rows. */
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

#include "hw/gemm.h"
#include "hw/profile.h"
#include "model/config.h"
#include "model/evaluate.h"
#include "model/ops.h"
#include "validation/published.h"

static void check_rel(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * fabs(want)))
        fail_msg("%s: got %.17g, want %.17g (rel tol %g)", what, got, want, tol);
}

/* A part with high-entropy numbers: bf16 723.9e12 FLOP/s at 0.7 in
 * GEMMs, fp8 1447.8e12 at 0.6173, 3.35e12 B/s at 0.887, 4.7 us per
 * kernel. */
static roof_hw part(void)
{
    roof_hw hw;
    memset(&hw, 0, sizeof hw);
    snprintf(hw.name, sizeof hw.name, "test");
    hw.compute[ROOF_DT_BF16] = 723.9e12;
    hw.compute[ROOF_DT_FP8] = 1447.8e12;
    hw.eff_compute = 0.7;
    hw.eff_fp8 = 0.6173;
    hw.mem_bandwidth = 3.35e12;
    hw.eff_memory = 0.887;
    hw.kernel_overhead = 4.7e-6;
    return hw;
}

static roof_kernel_time roofline(const roof_hw *hw, double flops, double bytes, roof_dtype dt, int flags)
{
    roof_kernel_time k;
    roof_error err;
    assert_int_equal(roof_roofline_time(hw, flops, bytes, dt, flags, &k, &err), ROOF_OK);
    return k;
}

/* Set: a fused attention kernel's compute time is F / (P x
 * efficiency.attention); a GEMM-like kernel keeps efficiency.compute;
 * fp8 attention keeps the GEMM's fp8 fraction (no fp8 attention row). */
static void test_attention_fraction(void **state)
{
    (void)state;
    roof_hw hw = part();
    hw.eff_attention = 0.5137;
    const double F = 2.385e15, B = 1.234e9;
    roof_kernel_time k = roofline(&hw, F, B, ROOF_DT_BF16, ROOF_KERNEL_ATTENTION);
    check_rel(k.compute_time_s, F / (723.9e12 * 0.5137), 1e-15, "attention compute");
    check_rel(k.memory_time_s, B / (3.35e12 * 0.887), 1e-15, "attention memory");
    check_rel(k.time_s, F / (723.9e12 * 0.5137) + 4.7e-6, 1e-15, "attention time");
    assert_int_equal(k.bound, ROOF_BOUND_COMPUTE);
    check_rel(roofline(&hw, F, B, ROOF_DT_BF16, 0).compute_time_s, F / (723.9e12 * 0.7), 1e-15, "not attention");
    check_rel(roofline(&hw, F, B, ROOF_DT_FP8, ROOF_KERNEL_ATTENTION).compute_time_s, F / (1447.8e12 * 0.6173), 1e-15,
              "fp8 attention");
    /* --ideal: the pure roofline, whatever the fraction. */
    check_rel(roofline(&hw, F, B, ROOF_DT_BF16, ROOF_KERNEL_ATTENTION | ROOF_GEMM_IDEAL).time_s, F / 723.9e12, 1e-15,
              "ideal");
    assert_string_equal(roof_hw_attn_eff_path(&hw, ROOF_DT_BF16), "hw.efficiency.attention");
    assert_string_equal(roof_hw_attn_eff_path(&hw, ROOF_DT_FP8), "hw.efficiency.fp8");
    /* The sustained derate (model/ops.c roof_ops_hw) scales it too. */
    hw.eff_sustained = 0.9137;
    roof_hw derated;
    check_rel(roof_ops_hw(&hw, &derated)->eff_attention, 0.5137 * 0.9137, 1e-15, "sustained attention");
}

/* Unset (0, absent from the profile): the GEMM fraction, exactly as
 * before the key existed; a derate leaves it unset. */
static void test_attention_unset(void **state)
{
    (void)state;
    roof_hw hw = part();
    const double F = 2.385e15, B = 1.234e9;
    roof_kernel_time a = roofline(&hw, F, B, ROOF_DT_BF16, ROOF_KERNEL_ATTENTION);
    roof_kernel_time g = roofline(&hw, F, B, ROOF_DT_BF16, 0);
    assert_true(a.time_s == g.time_s);
    check_rel(a.time_s, F / (723.9e12 * 0.7) + 4.7e-6, 1e-15, "unset: efficiency.compute");
    assert_string_equal(roof_hw_attn_eff_path(&hw, ROOF_DT_BF16), "hw.efficiency.compute");
    hw.eff_sustained = 0.9137;
    roof_hw derated;
    assert_true(roof_ops_hw(&hw, &derated)->eff_attention == 0.0);
    /* The registry knows the key and its range. */
    const roof_param *p = roof_param_find(&roof_hw_params, "hw.efficiency.attention");
    assert_non_null(p);
    assert_true(p->min == 0.0 && p->max == 1.0);
}

/* The model's FUSED op on the test profile (tests/fixtures/hw/good.cfg:
 * bf16 123.4e12 FLOP/s, 2.385e12 B/s at 0.85, 2.5 us per kernel), with
 * --set hw.efficiency.attention=0.5137: small_dense's flash_attn (3
 * sequences x 12 heads x 640 queries x 320 keys (causal) x 2 x 256 =
 * 3774873600 FLOP; 15728640 B, tests/unit/test_model.c) is compute-bound:
 * 3774873600 / (123.4e12 x 0.5137) + 2.5e-6 = 6.2048e-5 s, where the GEMM
 * fraction 0.7 gave 4.6201e-5 s. The GEMMs keep 0.7. */
static const char *small_dense = "model = { layers = 3; hidden = 1536; heads = 12; kv_heads = 4; head_dim = 128;\n"
                                 "  ffn_hidden = 4096; ffn_act = \"gelu\"; };\n"
                                 "workload = { phase = \"prefill\"; batch = 3; seq_len = 640; gen_tokens = 64; };\n";

static const roof_op *eval_flash(const char *set, const roof_op **q)
{
    static roof_scenario s;
    static roof_result r;
    roof_error err;
    char cfg[] = "/tmp/llmroof-test-attention-XXXXXX", hw[1024];
    int fd = mkstemp(cfg);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(small_dense, f);
    fclose(f);
    const char *dir = getenv("LLMROOF_FIXTURES");
    snprintf(hw, sizeof hw, "%s/hw/good.cfg", dir ? dir : "tests/fixtures");
    const char *sets[] = {set};
    int rc = roof_scenario_load(cfg, NULL, hw, "h100-sxm", sets, set ? 1 : 0, &s, NULL, &err);
    unlink(cfg);
    if (rc != ROOF_OK || roof_evaluate(&s, &r, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    const roof_op *fa = NULL;
    for (int i = 0; i < r.prefill.ops.dense.n; i++) {
        if (strcmp(r.prefill.ops.dense.ops[i].name, "flash_attn") == 0)
            fa = &r.prefill.ops.dense.ops[i];
        if (strcmp(r.prefill.ops.dense.ops[i].name, "q_proj") == 0)
            *q = &r.prefill.ops.dense.ops[i];
    }
    assert_non_null(fa);
    return fa;
}

static void test_fused_op(void **state)
{
    (void)state;
    const roof_op *q;
    const roof_op *fa = eval_flash("hw.efficiency.attention=0.5137", &q);
    assert_int_equal(fa->kind, ROOF_OP_FUSED);
    check_rel(fa->flops, 3774873600.0, 1e-15, "flash flops");
    check_rel(fa->time_s, 3774873600.0 / (123.4e12 * 0.5137) + 2.5e-6, 1e-12, "flash time, attention set");
    assert_int_equal(fa->bound, ROOF_OP_BOUND_COMPUTE);
    check_rel(q->time_s, 1.0738187821254921e-04, 1e-12, "q_proj keeps the GEMM fraction");
    fa = eval_flash(NULL, &q);
    check_rel(fa->time_s, 4.620078258856217e-05, 1e-12, "flash time, unset (test_model.c)");
}

/* An attention row of source src on hw (its group: attn-<gpu>, as
 * validation/published_attn.c names them), measured as the shipped
 * profile predicts it with the attention fraction eff. Causal forwards
 * of b=1, h=32, d=128, s = 16k to 64k: compute-bound on every profile, and
 * long enough (2 ms and more) that the kernel floor, which the
 * cross-validation refits per fold, moves them by less than 0.3%. */
static void planted(roof_pub_case *c, const char *src, const char *hw, const char *group, double eff, int i)
{
    memset(c, 0, sizeof *c);
    snprintf(c->group, sizeof c->group, "%s", group);
    snprintf(c->id, sizeof c->id, "%s-%d", src, i);
    snprintf(c->hw, sizeof c->hw, "%s", hw);
    snprintf(c->source, sizeof c->source, "%s", src);
    c->kind = ROOF_PUB_ATTENTION;
    c->gemm.dtype = ROOF_DT_BF16;
    double s = 16384.0 * (i + 1), h = 32.0, d = 128.0;
    c->attn_flops = 2.0 * h * s * 0.5 * s * 2.0 * d;
    c->attn_bytes = (2.0 * h * d * s + 2.0 * 8.0 * d * s) * 2.0;
    roof_hw p;
    roof_error err;
    assert_int_equal(roof_hw_load(hw, &p, &err), ROOF_OK);
    p.eff_attention = eff;
    assert_int_equal(roof_pub_predict(c, 1, &p, &err), ROOF_OK);
    c->measured_s = c->predicted_s;
}

/* Leave-one-source-out on the attention rows: a planted source whose B200
 * attention runs at 0.4123 of the peak is matched in-sample (attn-b200
 * fits its rows), but with it held out B200 has no attention rows left
 * and takes the prior, H100's attention fraction of the same fold (0.6871,
 * fitted on the other source's rows): the planted rows come out at
 * 0.4123 / 0.6871 of their time, 40% off. */
static void test_cv_attention_holds_out_source(void **state)
{
    (void)state;
    roof_pub_case cases[8];
    for (int i = 0; i < 4; i++) {
        planted(&cases[i], "planted/fake", "b200", "attn-b200", 0.4123, i);
        planted(&cases[4 + i], "other/real", "h100-sxm", "attn-h100", 0.6871, i);
    }
    roof_pub_cv cv;
    roof_error err;
    assert_int_equal(roof_pub_cv_run(cases, 8, ROOF_CV_DEFAULT, &cv, &err), ROOF_OK);
    assert_int_equal(cv.nsources, 2);
    assert_string_equal(cv.sources[0], "planted/fake");
    for (int i = 0; i < 4; i++) {
        double in = fabs(cv.insample_s[i] - cases[i].measured_s) / cases[i].measured_s;
        double out = (cv.cv_s[i] - cases[i].measured_s) / cases[i].measured_s;
        if (!(in < 5e-3))
            fail_msg("planted row %d: in-sample error %g, want < 0.5%%", i, in);
        if (!(fabs(out - (0.4123 / 0.6871 - 1.0)) < 0.01))
            fail_msg("planted row %d: cross-validated error %g, want %g", i, out, 0.4123 / 0.6871 - 1.0);
        /* In-sample, H100's rows get their own fraction, not B200's. */
        assert_true(fabs(cv.insample_s[4 + i] - cases[4 + i].measured_s) < 5e-3 * cases[4 + i].measured_s);
    }
    const roof_pub_cv_param *b200 = NULL, *h100 = NULL;
    for (size_t j = 0; j < cv.nparams; j++) {
        const roof_pub_cv_param *p = &cv.params[j];
        if (strcmp(p->path, "hw.efficiency.attention") != 0)
            continue;
        if (strcmp(p->fit, "attn-b200") == 0)
            b200 = p;
        if (strcmp(p->fit, "attn-h100-first") == 0)
            h100 = p;
    }
    assert_non_null(b200);
    assert_non_null(h100);
    check_rel(b200->insample, 0.4123, 3e-3, "b200 in-sample");
    assert_int_equal(b200->insample_fitted, 1);
    /* The planted source's fold: no B200 row, H100's fold value. */
    assert_int_equal(b200->fold_fitted[0], 0);
    assert_int_equal(h100->fold_fitted[0], 1);
    assert_true(b200->fold[0] == h100->fold[0]);
    check_rel(h100->fold[0], 0.6871, 3e-3, "h100 in the planted source's fold");
    /* The other source's fold: B200's rows only, its own fit. */
    assert_int_equal(b200->fold_fitted[1], 1);
    check_rel(b200->fold[1], 0.4123, 3e-3, "b200 without the other source");
    roof_pub_cv_free(&cv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attention_fraction),
        cmocka_unit_test(test_attention_unset),
        cmocka_unit_test(test_fused_op),
        cmocka_unit_test(test_cv_attention_holds_out_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
