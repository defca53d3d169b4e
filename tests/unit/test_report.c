/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The arithmetic of reports: every way the issue lists of writing a
 * Get_Time call, multipliers before and after, sums, max(), prose comments,
 * and the limits that keep hostile input harmless. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "report/extract.h"

static roof_report *scan(const char *text)
{
    roof_report *r = NULL;
    roof_error err;
    assert_int_equal(roof_report_scan(text, strlen(text), "t.md", &r, &err), ROOF_OK);
    return r;
}

static void check_call(const char *text, double m, double k, double n, double before, double after)
{
    roof_report *r = scan(text);
    if (r->ncalls != 1 || !r->calls[0].ok)
        fail_msg("'%s': %d calls, ok %d (%s)", text, r->ncalls, r->ncalls ? r->calls[0].ok : 0,
                 r->ncalls ? r->calls[0].problem : "");
    const roof_report_call *c = &r->calls[0];
    if (c->args.v[0] != m || c->args.v[1] != k || c->args.v[2] != n || c->mult_before != before ||
        c->mult_after != after)
        fail_msg("'%s': got (%g, %g, %g) x%g x%g", text, c->args.v[0], c->args.v[1], c->args.v[2], c->mult_before,
                 c->mult_after);
    roof_report_free(r);
}

static void test_argument_forms(void **state)
{
    (void)state;
    /* 1024 x 10000 = 10240000 in every spelling the reports use. */
    check_call("Get_Time(1024×10000, 8192, 1024)", 10240000, 8192, 1024, 1, 1);
    check_call("Get_Time(1024*10000, 8192, 1024)", 10240000, 8192, 1024, 1, 1);
    check_call("Get_Time(1024 x 10000, 8192, 1024)", 10240000, 8192, 1024, 1, 1);
    check_call("Get_Time(1024x10000, 8192, 1024)", 10240000, 8192, 1024, 1, 1);
    check_call("Get_Time(10,240,000, 8192, 1024)", 10240000, 8192, 1024, 1, 1);
    check_call("Get_Time(10240000, 8192, 1024)", 10240000, 8192, 1024, 1, 1);
    check_call("Get_Time(1024×2×10000, 512, 10000)", 20480000, 512, 10000, 1, 1);
    check_call("get_time( (1024+1024)*5 , 8192 ,1024 )", 10240, 8192, 1024, 1, 1);
    /* No spaces: "128,512,64" is three arguments, not 128512 and 64. */
    check_call("Get_Time(128,512,64)", 128, 512, 64, 1, 1);
    check_call("Get_Time(4096,512,128)", 4096, 512, 128, 1, 1);
    /* Multipliers before and after. */
    check_call("16×Get_Time(10240000, 512, 10000)", 10240000, 512, 10000, 16, 1);
    check_call("3 × Get_Time(2, 3, 4)", 2, 3, 4, 3, 1);
    check_call("Get_Time(2, 3, 4) × 3", 2, 3, 4, 1, 3);
    check_call("Get_Time(2, 3, 4) * 12 (QKV)", 2, 3, 4, 1, 12);
}

static void test_bad_calls(void **state)
{
    (void)state;
    roof_report *r =
        scan("a Get_Time(avg_tokens, 8192, 32768)\nb Get_Time(1, 2)\nc Get_Time(1, 2, (3\n\nd Get_Time(1e999, 2, 3)\n");
    assert_int_equal(r->ncalls, 4);
    assert_string_equal(r->calls[0].problem, "a dimension is the word 'avg_tokens', not a number");
    assert_string_equal(r->calls[1].problem, "Get_Time takes 3 arguments (m, k, n); found 2");
    assert_string_equal(r->calls[2].problem, "unbalanced parentheses: the call does not close");
    assert_string_equal(r->calls[3].problem, "dimensions must be finite numbers of at least 1 (got inf, 2, 3)");
    assert_int_equal(r->calls[3].line, 5);
    roof_report_free(r);
}

/* Evaluates the first formula of text with every call taking `value`. */
static double total(const char *text, double value, double *coef, int *in_max, int *ncalls, int *has_max)
{
    roof_report *r = scan(text);
    assert_true(r->nformulas >= 1);
    const roof_report_formula *f = &r->formulas[0];
    static roof_expr e;
    roof_gt_span spans[64];
    int n = 0;
    for (int k = f->first_call; k >= 0 && k < f->first_call + f->ncalls; k++) {
        spans[n] = r->calls[k].span;
        spans[n].start -= f->start;
        spans[n].end -= f->start;
        n++;
    }
    roof_error err;
    if (roof_expr_parse(r->text + f->start, f->end - f->start, spans, n, 0, &e, &err) != ROOF_OK)
        fail_msg("parse: %s", err.msg);
    double calls[64];
    for (int i = 0; i < n; i++)
        calls[i] = value * (i + 1);
    double v = roof_expr_eval(&e, r->text + f->start, calls, coef, in_max, n, NULL, NULL);
    *ncalls = n;
    *has_max = e.has_max;
    roof_report_free(r);
    return v;
}

static void test_totals(void **state)
{
    (void)state;
    double coef[64];
    int in_max[64], n, has_max;
    /* Calls take 1.5, 3, 4.5, ... (value x position). */
    /* 4 x [3 x 1.5 + 16 x (3 + 4.5)] + word = 4 x 124.5 = 498. */
    double v = total("Total = 4 × [3×Get_Time(1,1,1) + 16×(Get_Time(2,2,2) + Get_Time(3,3,3))] + Pipeline_Overhead\n",
                     1.5, coef, in_max, &n, &has_max);
    assert_int_equal(n, 3);
    assert_true(v == 498.0);
    assert_true(coef[0] == 12.0 && coef[1] == 64.0 && coef[2] == 64.0);
    /* Continued lines and prose in parentheses (comments). */
    v = total("**Total Runtime** = Get_Time(1,1,1) × 2 (QKV projections per layer)\n"
              "                  + Get_Time(2,2,2) × 2 (Q×K^T per layer)\n"
              "                  + Get_Time(3,3,3) (parallel across 8 experts)\n",
              1.5, coef, in_max, &n, &has_max);
    assert_int_equal(n, 3);
    assert_true(v == 2 * 1.5 + 2 * 3.0 + 4.5);
    /* max() over calls: only the largest counts, all are marked. */
    v = total(
        "```\nLayer_Runtime = max(\n  Get_Time(1,1,1),   // Q\n  Get_Time(2,2,2),   // K\n  Get_Time(3,3,3)\n)\n```\n",
        2.0, coef, in_max, &n, &has_max);
    assert_true(has_max);
    assert_true(v == 6.0);
    assert_true(coef[0] == 0.0 && coef[1] == 0.0 && coef[2] == 1.0);
    assert_true(in_max[0] && in_max[1] && in_max[2]);
    /* A code block holding an expression under a heading. */
    v = total("Total Longest Path:\n```\n2×[Get_Time(1,1,1)] \n+ Pipeline_Communication \n+ 2×[Same as above]\n```\n",
              1.0, coef, in_max, &n, &has_max);
    assert_true(v == 2.0);
}

static void test_limits(void **state)
{
    (void)state;
    /* Nesting past the bound is an error, not a stack overflow: each
     * parenthesis takes two levels of the bound (48), so the 25th fails. */
    char deep[400];
    size_t o = 0;
    for (int i = 0; i < 100; i++)
        deep[o++] = '(';
    deep[o++] = '1';
    for (int i = 0; i < 100; i++)
        deep[o++] = ')';
    deep[o] = '\0';
    static roof_expr e;
    roof_error err;
    assert_int_equal(roof_expr_parse(deep, strlen(deep), NULL, 0, 0, &e, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.msg, "expression nested too deeply at column 25");
    /* Nested max() evaluates in linear time (a naive evaluator takes 2^20
     * steps here): 20 levels, the most the depth bound allows. */
    char nest[2000];
    o = 0;
    for (int i = 0; i < 20; i++)
        o += (size_t)snprintf(nest + o, sizeof nest - o, "max(%d, ", i);
    o += (size_t)snprintf(nest + o, sizeof nest - o, "7");
    for (int i = 0; i < 20; i++)
        nest[o++] = ')';
    nest[o] = '\0';
    assert_int_equal(roof_expr_parse(nest, strlen(nest), NULL, 0, 0, &e, &err), ROOF_OK);
    assert_true(roof_expr_eval(&e, nest, NULL, NULL, NULL, 0, NULL, NULL) == 19.0);
}

static void test_claims(void **state)
{
    (void)state;
    roof_report *r = scan("# A 10B MoE Model\n- **Throughput**: 850+ tokens/ms per GPU (target: 100)\n"
                          "- **TTFT**: < 2 seconds\n- **Memory Utilization**: 23.4% per GPU\n");
    assert_int_equal(r->nclaims, 4);
    assert_int_equal(r->claims[0].kind, ROOF_CLAIM_PARAMS);
    assert_true(r->claims[0].value == 10e9);
    assert_int_equal(r->claims[1].kind, ROOF_CLAIM_TOKENS_PER_S_PER_GPU);
    assert_true(r->claims[1].value == 850e3 && r->claims[1].bound == 1);
    assert_int_equal(r->claims[2].kind, ROOF_CLAIM_TTFT_S);
    assert_true(r->claims[2].value == 2.0 && r->claims[2].bound == -1);
    assert_int_equal(r->claims[3].kind, ROOF_CLAIM_MEMORY_FRACTION);
    assert_true(fabs(r->claims[3].value - 0.234) < 1e-12);
    roof_report_free(r);
}

/* The count of an enclosing "N x (" group: per head in seed 002
 * ("2x(Get_Time(a) + Get_Time(b))" counts both twice), not a layer bracket
 * "[", not across a "=" or a blank line, balanced comments skipped. */
static void test_group_counts(void **state)
{
    (void)state;
    struct {
        const char *text;
        double want[2];
    } cases[] = {
        {"T = 2 x [3 x Get_Time(1,2,3) + 2x(Get_Time(4,5,6)+Get_Time(7,8,9))]", {1, 2}},
        {"T = 16x(Get_Time(1,2,3) +  // per head (TP=8)\n    Get_Time(4,5,6))", {16, 16}},
        {"T = Get_Time(1,2,3) x 3  (QKV)\n+ Get_Time(4,5,6)  (A x V)", {1, 1}},
        {"4 x (a + b)\n\nGet_Time(1,2,3) and Get_Time(4,5,6)", {1, 1}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        roof_report *r = scan(cases[i].text);
        int first = 0;
        assert_true(r->ncalls >= 2);
        if (r->calls[first].mult_group != cases[i].want[0] || r->calls[r->ncalls - 1].mult_group != cases[i].want[1])
            fail_msg("'%s': groups %g, %g; want %g, %g", cases[i].text, r->calls[first].mult_group,
                     r->calls[r->ncalls - 1].mult_group, cases[i].want[0], cases[i].want[1]);
        roof_report_free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_argument_forms), cmocka_unit_test(test_bad_calls), cmocka_unit_test(test_totals),
        cmocka_unit_test(test_limits),         cmocka_unit_test(test_claims),    cmocka_unit_test(test_group_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
