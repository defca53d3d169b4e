/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hw check (hw/profile_check.c): each rule on its fixture with the exact
 * message, every built-in profile free of errors and warnings, the comment
 * reader and the link-generation names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hw/profile.h"
#include "hw/profile_check.h"

static const char *fixture(const char *name)
{
    static char path[1024];
    const char *dir = getenv("LLMROOF_FIXTURES");
    snprintf(path, sizeof path, "%s/hw/%s", dir ? dir : "tests/fixtures", name);
    return path;
}

/* Checks fixture `name`; the report in *rep, the display name in path. */
static void check_fixture(const char *name, roof_check_report *rep, char *path, size_t size)
{
    char *text = NULL;
    roof_error err;
    if (roof_hw_profile_text(fixture(name), &text, path, size, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    assert_int_equal(roof_hw_check_text(text, path, rep, &err), ROOF_OK);
    free(text);
}

static void expect(const roof_finding *f, roof_finding_level level, const char *path, int line, const char *msg)
{
    char where[1100];
    snprintf(where, sizeof where, "%s:%d", path, line);
    assert_int_equal(f->level, level);
    assert_string_equal(f->where, where);
    assert_string_equal(f->msg, msg);
}

static void test_builtins_pass(void **state)
{
    (void)state;
    for (size_t i = 0; i < roof_hw_builtin_count(); i++) {
        roof_check_report rep;
        roof_error err;
        assert_int_equal(roof_hw_check_text(roof_hw_builtin_text(i), roof_hw_builtin_name(i), &rep, &err), ROOF_OK);
        for (size_t k = 0; k < rep.count; k++)
            print_message("%s: %s\n", rep.items[k].where, rep.items[k].msg);
        if (rep.errors + rep.warnings != 0)
            fail_msg("%s: %zu errors, %zu warnings", roof_hw_builtin_name(i), rep.errors, rep.warnings);
    }
}

/* Every error the loader stops at, not only the first. */
static void test_errors_all(void **state)
{
    (void)state;
    roof_check_report rep;
    char path[1024];
    check_fixture("check_errors.cfg", &rep, path, sizeof path);
    assert_int_equal(rep.errors, 3);
    assert_int_equal(rep.warnings, 0);
    expect(&rep.items[0], ROOF_FINDING_ERROR, path, 6,
           "unknown setting 'memory.bandwith' (did you mean 'memory.bandwidth'?)");
    expect(&rep.items[1], ROOF_FINDING_ERROR, path, 5, "missing setting 'memory.bandwidth'");
    expect(&rep.items[2], ROOF_FINDING_ERROR, path, 10, "'efficiency.compute' must be in (0, 1] (got 1.2)");
}

/* 3.35e9 B/s is below the 1e10 floor; the ridge 123.4e12 / 3.35e9 =
 * 36836 FLOP/B is above 20000. */
static void test_units(void **state)
{
    (void)state;
    roof_check_report rep;
    char path[1024];
    check_fixture("check_units.cfg", &rep, path, sizeof path);
    assert_int_equal(rep.errors, 0);
    assert_int_equal(rep.warnings, 2);
    expect(&rep.items[0], ROOF_FINDING_WARNING, path, 6,
           "'memory.bandwidth' is 3.350 GB/s, outside 10.000 GB/s to 100.000 TB/s: a unit off by 1000? (units are "
           "B/s: 3.35e12 for 3.35 TB/s)");
    expect(&rep.items[1], ROOF_FINDING_WARNING, path, 6,
           "'compute.bf16' / 'memory.bandwidth' is 3.68e+04 FLOP/B, outside 0.5 to 20000: one of them looks 1000 "
           "times off");
}

static void test_dtype_order(void **state)
{
    (void)state;
    roof_check_report rep;
    char path[1024];
    check_fixture("check_dtype.cfg", &rep, path, sizeof path);
    assert_int_equal(rep.warnings, 1);
    expect(&rep.items[0], ROOF_FINDING_WARNING, path, 6,
           "'compute.fp8' (100 TFLOP/s) is below 'compute.bf16' (123.4 TFLOP/s), a wider dtype: a sparse figure in "
           "one of them?");
}

/* Settings without effect: SHARP where NCCL's model does not time the
 * cluster (no node.arch), a stream-K tail without stream-K,
 * FlashAttention-2 above the native fraction. */
static void test_no_effect(void **state)
{
    (void)state;
    roof_check_report rep;
    char path[1024];
    check_fixture("check_no_effect.cfg", &rep, path, sizeof path);
    assert_int_equal(rep.errors, 0);
    assert_int_equal(rep.warnings, 3);
    expect(&rep.items[0], ROOF_FINDING_WARNING, path, 14,
           "'network.cluster.sharp' changes nothing here: in-network reduction is timed by NCCL's model across nodes, "
           "which needs 'network.node.arch' (an NVIDIA architecture) and 'network.cluster.channels'");
    expect(&rep.items[1], ROOF_FINDING_WARNING, path, 9,
           "'gemm.stream_k_tail' changes nothing here: the stream-K tail is timed with stream-K's fixup, which needs "
           "'gemm.stream_k = true'");
    expect(&rep.items[2], ROOF_FINDING_WARNING, path, 8,
           "'efficiency.attention_fa2' (0.6) is above 'efficiency.attention' (0.5): FlashAttention-2 faster than the "
           "part's own FlashAttention?");
}

/* NVLink 4: 18 links x 25 GB/s = 450 GB/s per direction; NDR 400 Gb/s =
 * 50 GB/s. */
static void test_link_rate(void **state)
{
    (void)state;
    roof_check_report rep;
    char path[1024];
    check_fixture("check_link.cfg", &rep, path, sizeof path);
    assert_int_equal(rep.warnings, 2);
    expect(&rep.items[0], ROOF_FINDING_WARNING, path, 12,
           "'network.node.bandwidth' is 900 GB/s per direction, above the 450 GB/s of NVLink 4 (18 links x 25 GB/s): "
           "a bidirectional figure?");
    expect(&rep.items[1], ROOF_FINDING_WARNING, path, 18,
           "'network.cluster.bandwidth' is 100 GB/s per direction, above the 50 GB/s of InfiniBand NDR (400 Gb/s): a "
           "bidirectional figure?");
}

static void test_syntax(void **state)
{
    (void)state;
    roof_check_report rep;
    char path[1024];
    check_fixture("syntax.cfg", &rep, path, sizeof path);
    assert_int_equal(rep.errors, 1);
    expect(&rep.items[0], ROOF_FINDING_ERROR, path, 7, "syntax error");
}

static void test_link_names(void **state)
{
    (void)state;
    assert_string_equal(roof_hw_link_gen("H100 NVLink4 450 GB/s")->token, "nvlink4");
    assert_string_equal(roof_hw_link_gen("NVLink 5 switch")->token, "nvlink5");
    assert_string_equal(roof_hw_link_gen("PCIe Gen5 x16")->token, "pcie5");
    assert_string_equal(roof_hw_link_gen("pcie 4.0 x16")->token, "pcie4");
    assert_string_equal(roof_hw_link_gen("IB XDR, 800G")->token, "xdr");
    /* No generation: a rate in GB/s after the word, a word inside another. */
    assert_null(roof_hw_link_gen("NVLink 400 GB/s (both directions)"));
    assert_null(roof_hw_link_gen("LANDR"));
    assert_null(roof_hw_link_gen(""));
}

static void test_comment(void **state)
{
    (void)state;
    const char *text = "a = 1; # one\nb = \"x#y\"; // two  \nc = 3;\n";
    char buf[64];
    roof_hw_line_comment(text, 1, buf, sizeof buf);
    assert_string_equal(buf, "one");
    roof_hw_line_comment(text, 2, buf, sizeof buf);
    assert_string_equal(buf, "two");
    roof_hw_line_comment(text, 3, buf, sizeof buf);
    assert_string_equal(buf, "");
    roof_hw_line_comment(text, 9, buf, sizeof buf);
    assert_string_equal(buf, "");
    char small[4];
    roof_hw_line_comment(text, 1, small, sizeof small);
    assert_string_equal(small, "one");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtins_pass), cmocka_unit_test(test_errors_all), cmocka_unit_test(test_units),
        cmocka_unit_test(test_dtype_order),   cmocka_unit_test(test_link_rate),  cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_link_names),    cmocka_unit_test(test_comment),    cmocka_unit_test(test_no_effect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
