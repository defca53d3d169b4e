/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loading profiles: the embedded ones against the datasheets in
 * shared/reference/specs.csv, and fixture files with each kind of mistake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hw/profile.h"
#include "model/config.h"

static const char *fixture(const char *name)
{
    static char path[1024];
    const char *dir = getenv("LLMROOF_FIXTURES");
    snprintf(path, sizeof path, "%s/hw/%s", dir ? dir : "tests/fixtures", name);
    return path;
}

static void test_builtins_load(void **state)
{
    (void)state;
    const char *want[] = {"a100-sxm",  "b200",     "b300",   "gaudi3",       "gb200",   "gb300",   "h100-nvl",
                          "h100-pcie", "h100-sxm", "h20",    "h200",         "h800",    "l40",     "l40s",
                          "mi300x",    "mi325x",   "mi355x", "rtx-pro-6000", "tpu-v5e", "tpu-v5p", "tpu-v6e"};
    const size_t nwant = sizeof want / sizeof want[0];
    assert_int_equal(roof_hw_builtin_count(), nwant);
    for (size_t i = 0; i < nwant; i++) {
        assert_string_equal(roof_hw_builtin_name(i), want[i]);
        roof_hw hw;
        roof_error err;
        if (roof_hw_load(want[i], &hw, &err) != ROOF_OK)
            fail_msg("%s: %s: %s", want[i], err.where, err.msg);
        assert_string_equal(hw.name, want[i]);
        assert_true(hw.compute[ROOF_DT_BF16] > 0.0);
        /* A scale-up domain: 2 (NVLink-bridged PCIe pairs) and up. */
        assert_true(hw.node.size >= 2);
    }
}

/* Datasheet figures, shared/reference/specs.csv. */
static void test_builtin_values(void **state)
{
    (void)state;
    const struct {
        const char *name;
        double bf16, hbm, nvlink;
    } rows[] = {
        {"a100-sxm", 312e12, 2039e9, 300e9},   /* A100 datasheet; NVLink3 300 per direction */
        {"h100-sxm", 989.4e12, 3350e9, 450e9}, /* H100 datasheet; NVLink4 450 per direction */
        {"h200", 989.4e12, 4800e9, 450e9},     /* H200 datasheet */
        {"h800", 989.4e12, 3350e9, 200e9},     /* H800 product brief: H100 with NVLink 400 both ways */
        {"b200", 2250e12, 8000e9, 900e9},      /* DGX B200 datasheet; NVLink5 */
        {"gb200", 2500e12, 8000e9, 900e9},     /* GB200 NVL72 */
        {"mi300x", 1307.4e12, 5300e9, 448e9},  /* MI300X spec; 7 x 64 GB/s links */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        roof_hw hw;
        roof_error err;
        assert_int_equal(roof_hw_load(rows[i].name, &hw, &err), ROOF_OK);
        if (hw.compute[ROOF_DT_BF16] != rows[i].bf16 || hw.mem_bandwidth != rows[i].hbm ||
            hw.node.bandwidth != rows[i].nvlink)
            fail_msg("%s: bf16 %g hbm %g link %g", rows[i].name, hw.compute[ROOF_DT_BF16], hw.mem_bandwidth,
                     hw.node.bandwidth);
    }
    roof_hw a100;
    roof_error err;
    assert_int_equal(roof_hw_load("a100-sxm", &a100, &err), ROOF_OK);
    assert_true(a100.compute[ROOF_DT_FP8] == 0.0); /* A100 has no fp8 */
    assert_int_equal(a100.node.nvls, 0);
}

static void test_fixture_values(void **state)
{
    (void)state;
    roof_hw hw;
    roof_error err;
    assert_int_equal(roof_hw_load(fixture("good.cfg"), &hw, &err), ROOF_OK);
    assert_string_equal(hw.name, "testgpu");
    assert_true(hw.mem_bandwidth == 2.385e12);
    assert_true(hw.compute[ROOF_DT_FP32] == 23.85e12);
    assert_true(hw.compute[ROOF_DT_FP64] == 0.0);
    assert_true(hw.units == 10);
    assert_true(hw.cluster.latency == 4.3e-6);
    /* The same value written with a suffix string. */
    roof_hw hs;
    assert_int_equal(roof_hw_load(fixture("suffix.cfg"), &hs, &err), ROOF_OK);
    assert_true(hs.mem_bandwidth == 2.385e12);
}

static void check_bad(const char *name, int line, const char *msg)
{
    roof_hw hw;
    roof_error err;
    assert_int_equal(roof_hw_load(fixture(name), &hw, &err), ROOF_ERR_INPUT);
    char where[1100];
    snprintf(where, sizeof where, "%s:%d", fixture(name), line);
    assert_string_equal(err.where, where);
    assert_string_equal(err.msg, msg);
}

static void test_bad_files(void **state)
{
    (void)state;
    check_bad("syntax.cfg", 7, "syntax error");
    check_bad("missing_bandwidth.cfg", 5, "missing setting 'memory.bandwidth'");
    check_bad("negative_bandwidth.cfg", 6, "'memory.bandwidth' must be positive (got -2.385e+12)");
    check_bad("efficiency_range.cfg", 9, "'efficiency.compute' must be in (0, 1] (got 1.7)");
    check_bad("typo.cfg", 6, "unknown setting 'memory.bandwith' (did you mean 'memory.bandwidth'?)");
    check_bad("not_a_number.cfg", 6, "'memory.bandwidth': 'fast' is not a number");
}

static void test_unknown_name(void **state)
{
    (void)state;
    roof_hw hw;
    roof_error err;
    /* The product name reaches its profile (issue 25: it suggested h200). */
    assert_int_equal(roof_hw_load("h100", &hw, &err), ROOF_OK);
    assert_string_equal(hw.name, "h100-sxm");
    assert_int_equal(roof_hw_load("MI300", &hw, &err), ROOF_OK);
    assert_string_equal(hw.name, "mi300x");
    /* A near miss suggests a profile the word begins, not the nearest by
     * edit distance (h10 is 2 edits from h200, 5 from h100-sxm); of the
     * three H100 forms, the first in name order. */
    assert_int_equal(roof_hw_load("h10", &hw, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "unknown hardware profile 'h10' (did you mean 'h100-nvl'? see 'llmroof hw list')");
    assert_int_equal(roof_hw_load("tpu-v9000", &hw, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "unknown hardware profile 'tpu-v9000' (see 'llmroof hw list')");
}

/* Profile text with every dtype absent is rejected. */
static void test_no_peak(void **state)
{
    (void)state;
    const char *text = "memory = { bandwidth = 1e12; capacity = 1e9; };\n"
                       "efficiency = { compute = 0.5; memory = 0.5; };\n"
                       "gemm = { tile_m = 64; tile_n = 64; units = 4; };\n"
                       "kernel = { overhead = 0.0; };\n"
                       "network = { node = { size = 8; bandwidth = 1e9; latency = 1e-6; efficiency = 0.5; };\n"
                       "  cluster = { size = 2; bandwidth = 1e9; latency = 1e-6; efficiency = 0.5; }; };\n"
                       "price = { usd_per_hour = 1.0; };\npower = { watts = 100.0; };\ncompute = { };\n";
    roof_hw hw;
    roof_error err;
    assert_int_equal(roof_hw_load_text(text, "inline.cfg", &hw, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.where, "inline.cfg:9");
    assert_string_equal(err.msg, "'compute' must give at least one dtype's peak");
}

/* A built-in profile is parsed once per thread and copied after: a copy
 * the caller changes leaves the next load as the file says, and a traced
 * load (which parses again, to say where each value came from) gives the
 * same values. */
static void test_builtin_cached_copy(void **state)
{
    (void)state;
    roof_hw a, b, c;
    roof_error err;
    assert_int_equal(roof_hw_load("h100-sxm", &a, &err), ROOF_OK);
    double eff = a.eff_compute;
    a.eff_compute = 0.01;
    a.mem_bandwidth = 1.0;
    assert_int_equal(roof_hw_load("h100-sxm", &b, &err), ROOF_OK);
    assert_true(b.eff_compute == eff);
    assert_true(b.eff_compute == 0.803);
    assert_true(b.mem_bandwidth == 3.35e12);
    static roof_where where[ROOF_MAX_TABLE_PARAMS];
    assert_int_equal(roof_hw_load_traced("h100-sxm", &c, where, &err), ROOF_OK);
    assert_memory_equal(&b, &c, sizeof b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtins_load),       cmocka_unit_test(test_builtin_values),
        cmocka_unit_test(test_fixture_values),      cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_unknown_name),        cmocka_unit_test(test_no_peak),
        cmocka_unit_test(test_builtin_cached_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
