/* SPDX-License-Identifier: GPL-3.0-or-later */
/* This host's CPU in the validation library (its fits: tests/unit/test_fit.c;
 * the published rows: tests/unit/test_validation.c): the host GEMM case
 * list and timer (validation/cpu_gemm.c), and the host's datasheet values,
 * copy bandwidth, profiles, .cfg text and the fit's bad inputs
 * (validation/host_fit.c). Timing is asserted only by invariants that no
 * load on the machine can break (positive, finite, the fastest sample not
 * above the fastest wall time), never against a threshold. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hw/profile.h"
#include "validation/cpu_gemm.h"
#include "check.h"

/* ---- The host GEMM cases (cpu_gemm.c) ---------------------------------- */

/* The shape list by hand: 15 squares (32 to 4096), 5 skinny-k, 3 tall-m, 4
 * GEMV-like and 4 odd shapes, 31 in all. Quick mode drops those above
 * 2.2e9 FLOP: the squares 1500, 2048, 3000 and 4096 (2 x 1500^3 = 6.75e9)
 * and tall-m 65536 x 256 x 128 (4.29e9); 1024^3 (2.147e9) and odd
 * 1023 x 1025 x 1027 (2.154e9) stay: 26 shapes. */
#define SHAPES_FULL 31
#define SHAPES_QUICK 26

static void test_cpu_cases(void **state)
{
    (void)state;
    static roof_cpu_case cases[512];
    const int threads[2] = {1, 4};
    const size_t ndt = roof_cpu_have_sbgemm() ? 3 : 2;
    size_t n = 0;
    roof_error err;
    assert_int_equal(roof_cpu_cases(0, threads, 2, cases, 512, &n, &err), ROOF_OK);
    assert_int_equal(n, 2 * ndt * SHAPES_FULL);
    assert_int_equal(roof_cpu_cases(1, threads, 2, cases, 512, &n, &err), ROOF_OK);
    assert_int_equal(n, 2 * ndt * SHAPES_QUICK);
    /* Grouped by thread count, then dtype (fp64, fp32, bf16), each group
     * the shapes in order; every third of a group, from its second, is
     * held out, and the timings start empty. */
    const roof_dtype dts[3] = {ROOF_DT_FP64, ROOF_DT_FP32, ROOF_DT_BF16};
    size_t held = 0;
    for (size_t i = 0; i < n; i++) {
        size_t group = i / SHAPES_QUICK, in_group = i % SHAPES_QUICK;
        assert_int_equal(cases[i].threads, threads[group / ndt]);
        assert_int_equal(cases[i].dtype, dts[group % ndt]);
        assert_int_equal(cases[i].held_out, in_group % 3 == 1);
        assert_true(2.0 * (double)cases[i].m * (double)cases[i].k * (double)cases[i].n <= 2.2e9);
        assert_true(cases[i].time_s == 0.0 && cases[i].wall_s == 0.0 && cases[i].reps == 0);
        held += (size_t)cases[i].held_out;
    }
    /* Positions 1, 4, ..., 25 of each group of 26. */
    assert_int_equal(held, 2 * ndt * 9);
    assert_string_equal(cases[0].kind, "square");
    assert_true(cases[0].m == 32 && cases[0].k == 32 && cases[0].n == 32);
    /* The quick list's last shape is the last odd one, 97 x 3001 x 101. */
    const roof_cpu_case *last = &cases[SHAPES_QUICK - 1];
    assert_string_equal(last->kind, "odd");
    assert_true(last->m == 97 && last->k == 3001 && last->n == 101);
    /* The 11th quick shape is 1024^3 and the 12th skinny-k 2048 x 1 x 2048:
     * 1500^3 and above are gone. */
    assert_true(cases[10].m == 1024 && cases[10].k == 1024);
    assert_string_equal(cases[11].kind, "skinny-k");
    assert_true(cases[11].m == 2048 && cases[11].k == 1 && cases[11].n == 2048);
    /* The full list keeps 4096^3, the 15th shape. */
    assert_int_equal(roof_cpu_cases(0, threads, 1, cases, 512, &n, &err), ROOF_OK);
    assert_true(cases[14].m == 4096 && cases[14].k == 4096 && cases[14].n == 4096);
    assert_string_equal(cases[20].kind, "tall-m");
    /* No thread count: no cases. */
    assert_int_equal(roof_cpu_cases(1, threads, 0, cases, 512, &n, &err), ROOF_OK);
    assert_int_equal(n, 0);
}

static void test_cpu_cases_full(void **state)
{
    (void)state;
    roof_cpu_case cases[60];
    const int threads[1] = {1};
    size_t n = 7;
    roof_error err;
    /* One dtype's quick shapes fit in 26 places, not two dtypes'. */
    assert_int_equal(roof_cpu_cases(1, threads, 1, cases, SHAPES_QUICK, &n, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "validate", "too many cases (at most 26)");
    assert_int_equal(n, 7); /* untouched on failure */
    assert_int_equal(roof_cpu_cases(1, threads, 1, cases, 0, &n, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "validate", "too many cases (at most 0)");
}

typedef struct {
    size_t calls, last_done, total;
    const roof_cpu_case *cases;
    size_t n;
    int in_order;
    int reps_seen[3]; /* each case's samples when last reported */
} progress_log;

static void progress(void *ctx, size_t done, size_t total, const roof_cpu_case *c)
{
    progress_log *p = ctx;
    p->calls++;
    /* Rounds over every case: call j reports case (j - 1) mod n, whose
     * round added 3 to MAX_SAMPLES (51) samples to its count. */
    size_t i = (done - 1) % p->n;
    if (done != p->last_done + 1 || c != &p->cases[i] || c->reps < p->reps_seen[i] + 3 ||
        c->reps > p->reps_seen[i] + 51)
        p->in_order = 0;
    p->reps_seen[i] = c->reps;
    p->last_done = done;
    p->total = total;
}

/* Tiny GEMMs on one thread (fp64, fp32) and one threaded call (2 threads,
 * 128 x 32 x 128 = 524288 > OpenBLAS's serial 262144, so timed by the
 * wall clock): quick mode takes 3 rounds of 3 to 51 samples, each about
 * 15 ms at most. */
static void test_cpu_bench(void **state)
{
    (void)state;
    roof_cpu_case cases[3] = {
        {"square", ROOF_DT_FP64, 16, 16, 16, 1, 0, -1.0, -1.0, 99},
        {"odd", ROOF_DT_FP32, 24, 8, 40, 1, 1, -1.0, -1.0, 99},
        {"square", ROOF_DT_FP64, 128, 32, 128, 2, 0, -1.0, -1.0, 99},
    };
    progress_log log = {0, 0, 0, cases, 3, 1, {0, 0, 0}};
    roof_error err;
    assert_int_equal(roof_cpu_bench(cases, 3, 1, progress, &log, &err), ROOF_OK);
    assert_int_equal(log.calls, 9);
    assert_int_equal(log.total, 9);
    assert_true(log.in_order);
    for (int i = 0; i < 3; i++) {
        const roof_cpu_case *c = &cases[i];
        if (!(c->time_s > 0.0 && isfinite(c->time_s) && c->wall_s > 0.0 && isfinite(c->wall_s)))
            fail_msg("case %d: time %g s, wall %g s: want positive and finite", i, c->time_s, c->wall_s);
        /* Each sample's time is its wall time or less (the CPU time, where
         * that is smaller): the fastest cannot exceed the fastest wall. */
        assert_true(c->time_s <= c->wall_s);
        /* 3 rounds of 3 to MAX_SAMPLES (51) samples, counted afresh. */
        assert_true(c->reps >= 9 && c->reps <= 153);
    }
    /* The threaded call is timed by the wall clock alone. */
    assert_true(cases[2].time_s == cases[2].wall_s);
    /* The shapes and the hold-out flag are the caller's, kept. */
    assert_true(cases[1].m == 24 && cases[1].k == 8 && cases[1].n == 40 && cases[1].held_out == 1);
    /* Nothing to time: done at once, no progress. */
    log = (progress_log){0, 0, 0, cases, 3, 1, {0, 0, 0}};
    assert_int_equal(roof_cpu_bench(cases, 0, 1, progress, &log, &err), ROOF_OK);
    assert_int_equal(log.calls, 0);
    /* No callback: the same timing, nothing reported. */
    assert_int_equal(roof_cpu_bench(cases, 1, 1, NULL, NULL, &err), ROOF_OK);
    assert_true(cases[0].time_s > 0.0 && cases[0].reps >= 9);
}

/* A bf16 case without cblas_sbgemm stops at that case, after the ones
 * before it in the round; with sbgemm it is timed like the others. */
static void test_cpu_bench_bf16(void **state)
{
    (void)state;
    roof_cpu_case cases[2] = {
        {"square", ROOF_DT_FP64, 8, 8, 8, 1, 0, 0.0, 0.0, 0},
        {"square", ROOF_DT_BF16, 32, 32, 32, 1, 0, 0.0, 0.0, 0},
    };
    progress_log log = {0, 0, 0, cases, 2, 1, {0, 0, 0}};
    roof_error err;
    int rc = roof_cpu_bench(cases, 2, 1, progress, &log, &err);
    if (roof_cpu_have_sbgemm()) {
        assert_int_equal(rc, ROOF_OK);
        assert_int_equal(log.calls, 6);
        assert_true(cases[1].time_s > 0.0 && isfinite(cases[1].time_s));
    } else {
        assert_int_equal(rc, ROOF_ERR_RUNTIME);
        check_err(&err, ROOF_ERR_RUNTIME, "validate", "this OpenBLAS has no sbgemm");
        assert_int_equal(log.calls, 1);
        assert_true(cases[0].time_s > 0.0 && isinf(cases[1].time_s));
    }
}

/* ---- The host's profile (host_fit.c) ----------------------------------- */

static void test_copy_bandwidth(void **state)
{
    (void)state;
    /* A measurement (256 MiB copied 5 times, about a second on a loaded
     * 2-core machine) runs once, in test_host_info; here only the thread
     * counts that cannot be had. */
    double bw = -1.0;
    roof_error err;
    assert_int_equal(roof_cpu_copy_bandwidth(0, &bw, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "validate", "cannot measure the copy bandwidth on 0 threads");
    assert_true(bw == 0.0);
    /* validate gemm --threads allows at most 1024. */
    assert_int_equal(roof_cpu_copy_bandwidth(1025, &bw, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "validate", "cannot measure the copy bandwidth on 1025 threads");
    assert_int_equal(roof_cpu_copy_bandwidth(-1, &bw, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "validate", "cannot measure the copy bandwidth on -1 threads");
}

/* What /proc/cpuinfo says, whatever the machine: the peaks follow from the
 * cores, the clock and the FLOP per cycle (2 FMA pipes x 2, 4 or 8 fp64
 * lanes x 2), or a machine without "cpu MHz" (most ARM kernels) is told so. */
static void test_host_info(void **state)
{
    (void)state;
    roof_cpu_host h;
    roof_error err;
    int rc = roof_cpu_host_info(&h, &err);
    if (rc != ROOF_OK) {
        check_err(&err, ROOF_ERR_RUNTIME, "/proc/cpuinfo", "no 'cpu MHz' line: cannot tell the clock");
        skip();
    }
    assert_true(h.cores >= 1 && h.mhz > 0.0 && h.model[0] != '\0');
    assert_true(h.flops_per_cycle == 8.0 || h.flops_per_cycle == 16.0 || h.flops_per_cycle == 32.0);
    check_rel(h.peak_fp64, (double)h.cores * h.mhz * 1e6 * h.flops_per_cycle, 1e-15, "fp64 peak");
    check_rel(h.peak_fp32, 2.0 * h.peak_fp64, 1e-15, "fp32 peak");
    assert_true(h.peak_bf16 == h.peak_fp32 || h.peak_bf16 == 2.0 * h.peak_fp32);
    assert_true(h.copy_bandwidth > 0.0 && isfinite(h.copy_bandwidth));
}

/* A host of 4 cores at 2.5 GHz, 16 fp64 FLOP per cycle: 160 GFLOP/s fp64,
 * 320 fp32 and bf16, 20 GB/s copy. */
static const roof_cpu_host HOST = {"Test CPU 2385", 4, 2500.0, 16.0, 160e9, 320e9, 320e9, 20e9};

/* Without a fit, the datasheet roofline: t = max(F / P, bytes / BW), the
 * bytes of A, B and C once, no overhead, no packing, no C passes. */
static void test_profile_datasheet(void **state)
{
    (void)state;
    roof_hw hw;
    roof_cpu_profile(&HOST, NULL, &hw);
    assert_string_equal(hw.name, "host-cpu");
    assert_true(hw.compute[ROOF_DT_FP64] == 160e9 && hw.compute[ROOF_DT_FP32] == 320e9 &&
                hw.compute[ROOF_DT_BF16] == 320e9 && hw.mem_bandwidth == 20e9);
    assert_true(hw.eff_compute == 1.0 && hw.eff_memory == 1.0 && hw.kernel_overhead == 0.0);
    assert_true(hw.tile_m == 1 && hw.tile_n == 1 && hw.units == 1 && hw.gemm_block_k == 0.0 && hw.gemm_threads == 1 &&
                hw.gemm_serial_mnk == 0.0 && hw.gemm_switch_ratio == 0);
    roof_error err;
    double t;
    /* fp64 1000^3: 2e9 FLOP / 160e9 = 12.5 ms; 24e6 B / 20e9 = 1.2 ms. */
    roof_cpu_case sq = {"square", ROOF_DT_FP64, 1000, 1000, 1000, 1, 0, 0.0, 0.0, 0};
    assert_int_equal(roof_cpu_predict(&hw, &sq, &t, &err), ROOF_OK);
    check_rel(t, 12.5e-3, 1e-12, "square fp64");
    /* fp32 GEMV 4096 x 4096 x 1: 4 (4096^2 + 2 x 4096) B = 67141632 B over
     * 20e9 = 3.3570816 ms; 33554432 FLOP / 320e9 = 0.1 ms. */
    roof_cpu_case gemv = {"gemv", ROOF_DT_FP32, 4096, 4096, 1, 1, 0, 0.0, 0.0, 0};
    assert_int_equal(roof_cpu_predict(&hw, &gemv, &t, &err), ROOF_OK);
    check_rel(t, 67141632.0 / 20e9, 1e-12, "gemv fp32");
}

/* A fitted 2-thread profile whose fp64 beats the datasheet's share of two
 * threads (2 x 40 = 80 GFLOP/s): the fit becomes the peak with efficiency
 * 1; its bandwidth below the copy bandwidth keeps the copy's as the peak. */
static roof_cpu_fit fit_2t(void)
{
    roof_cpu_fit f = {
        .bandwidth = 12.5e9,
        .overhead_s = 3.7e-6,
        .ridge = 2.385,
        .pack = 3.17,
        .epilogue = 0.317,
        .cache = 21.7e6,
        .dram_bandwidth = 7.93e9,
        .serial_bandwidth = 8.9e9,
        .serial_ridge = 3.61,
        .threads = 2,
        .res = {0.0123, 17},
    };
    f.peak[ROOF_DT_FP64] = 95e9;
    f.peak[ROOF_DT_FP32] = 190e9;
    return f;
}

static void test_profile_fitted(void **state)
{
    (void)state;
    roof_cpu_fit f = fit_2t();
    roof_hw hw;
    roof_cpu_profile(&HOST, &f, &hw);
    assert_true(hw.eff_compute == 1.0 && hw.compute[ROOF_DT_FP64] == 95e9 && hw.compute[ROOF_DT_FP32] == 190e9);
    assert_true(hw.compute[ROOF_DT_BF16] == 0.0); /* not fitted: no peak */
    assert_true(hw.mem_bandwidth == 20e9);
    check_rel(hw.eff_memory, 12.5e9 / 20e9, 1e-15, "memory efficiency");
    assert_true(hw.kernel_overhead == 3.7e-6 && hw.gemm_ridge == 2.385 && hw.gemm_pack == 3.17 &&
                hw.gemm_epilogue == 0.317 && hw.gemm_cache == 21.7e6 && hw.gemm_dram_bw == 7.93e9 &&
                hw.gemm_serial_bw == 8.9e9 && hw.gemm_serial_ridge == 3.61);
    assert_true(hw.gemm_threads == 2 && hw.gemm_serial_mnk == 262144.0 && hw.gemm_switch_ratio == 2 &&
                hw.gemm_block_k == 256.0);
    /* Below the datasheet share (60 of 80 GFLOP/s): efficiency 0.75, the
     * peaks the datasheet's, fp32's scaled so that 150 GFLOP/s is kept; a
     * fitted bandwidth above the copy's (25 > 20 GB/s) becomes the peak. */
    f.peak[ROOF_DT_FP64] = 60e9;
    f.peak[ROOF_DT_FP32] = 150e9;
    f.bandwidth = 25e9;
    roof_cpu_profile(&HOST, &f, &hw);
    check_rel(hw.eff_compute, 0.75, 1e-15, "compute efficiency");
    check_rel(hw.compute[ROOF_DT_FP64], 80e9, 1e-15, "fp64 peak");
    check_rel(hw.compute[ROOF_DT_FP32], 200e9, 1e-15, "fp32 peak");
    assert_true(hw.mem_bandwidth == 25e9 && hw.eff_memory == 1.0);
    /* A host that reports no cores counts as one: its whole 160 GFLOP/s
     * is one thread's, 320 for two; 60 / 320 = 0.1875. */
    roof_cpu_host h0 = HOST;
    h0.cores = 0;
    roof_cpu_profile(&h0, &f, &hw);
    check_rel(hw.eff_compute, 0.1875, 1e-15, "compute efficiency, no cores");
    check_rel(hw.compute[ROOF_DT_FP64], 320e9, 1e-15, "fp64 peak, no cores");
}

/* The .cfg text: the values at 6 digits, the threads' plural, the serial
 * terms only from a threaded fit on a base; all or nothing: a buffer one
 * byte short of the text (and its NUL) is an error at every length. */
static void test_profile_text(void **state)
{
    (void)state;
    static char text[8192], part[8192];
    roof_cpu_fit f = fit_2t();
    roof_hw hw, loaded;
    roof_error err;
    roof_cpu_profile(&HOST, &f, &hw);
    assert_int_equal(roof_cpu_profile_text(&HOST, &f, &hw, text, sizeof text, &err), ROOF_OK);
    const char *want[] = {
        "# This host (Test CPU 2385, 2 threads), fitted by `llmroof validate gemm --threads 2`:\n",
        " over the training shapes (rms log error 0.012).\n",
        "name = \"host-cpu\";\ndescription = \"Test CPU 2385, 2 threads (fitted)\";\n",
        "  fp64 = 9.5e+10;  # fit: dgemm achieves 9.5e+10 FLOP/s; divided by efficiency.compute\n",
        "  fp32 = 1.9e+11;  # fit: sgemm achieves 1.9e+11 FLOP/s; divided by efficiency.compute\n",
        "  bandwidth = 2e+10;  # max of measured memcpy (read + write, 256 MiB) 2e+10 B/s and the fit\n",
        "  compute = 1;  # fit: dgemm 9.5e+10 / peak fp64\n",
        "  memory = 0.625;   # fit: achieved 1.25e+10 B/s / memory.bandwidth\n",
        "  ridge = 2.385;",
        "  pack = 3.17;",
        "  epilogue = 0.317;",
        "  block_k = 256;",
        "  cache = 2.17e+07;",
        "  dram_bandwidth = 7.93e+09;",
        "  threads = 2;\n",
        "  serial_mnk = 262144;",
        "  switch_ratio = 2;",
        "  serial_bandwidth = 8.9e+09;",
        "  serial_ridge = 3.61;",
        "  overhead = 3.7e-06;",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(text, want[i]))
            fail_msg("the profile text lacks '%s':\n%s", want[i], text);
    assert_null(strstr(text, "bf16 ="));
    /* It loads back as the profile it was written from. */
    if (roof_hw_load_text(text, "host.cfg", &loaded, &err) != ROOF_OK)
        fail_msg("the written profile does not load: %s: %s", err.where, err.msg);
    assert_true(loaded.compute[ROOF_DT_FP64] == 95e9 && loaded.gemm_serial_bw == 8.9e9 && loaded.gemm_threads == 2 &&
                loaded.kernel_overhead == 3.7e-6 && loaded.eff_memory == 0.625);
    size_t len = strlen(text);
    for (size_t cap = 0; cap <= len; cap++) {
        if (roof_cpu_profile_text(&HOST, &f, &hw, part, cap, &err) != ROOF_ERR_RUNTIME)
            fail_msg("a buffer of %zu bytes for %zu of text did not fail", cap, len);
        check_err(&err, ROOF_ERR_RUNTIME, "validate", "profile text too long");
    }
    assert_int_equal(roof_cpu_profile_text(&HOST, &f, &hw, part, len + 1, &err), ROOF_OK);
    assert_string_equal(part, text);
    /* One thread, no base: singular, and no serial terms. */
    f.threads = 1;
    f.serial_bandwidth = f.serial_ridge = 0.0;
    roof_cpu_profile(&HOST, &f, &hw);
    assert_int_equal(roof_cpu_profile_text(&HOST, &f, &hw, text, sizeof text, &err), ROOF_OK);
    assert_non_null(
        strstr(text, "# This host (Test CPU 2385, 1 thread), fitted by `llmroof validate gemm --threads 1`"));
    assert_non_null(strstr(text, "description = \"Test CPU 2385, 1 thread (fitted)\";"));
    assert_non_null(strstr(text, "  threads = 1;\n  serial_mnk = 0;"));
    assert_null(strstr(text, "serial_bandwidth"));
    assert_null(strstr(text, "serial_ridge"));
}

/* The fit's inputs: a DRAM bandwidth that is not positive, more dtypes than
 * parameters allow (7 peaks + 6 = 13 > 12), and too few usable cases
 * (held out, another thread count, or no time) each fail with the reason. */
static void test_cpu_fit_bad(void **state)
{
    (void)state;
    roof_cpu_case cases[7];
    for (int d = 0; d < 7; d++)
        cases[d] = (roof_cpu_case){"square", (roof_dtype)d, 64, 64, 64, 1, 0, 1e-4, 1e-4, 3};
    roof_cpu_fit fit;
    roof_error err;
    assert_int_equal(roof_cpu_fit_cases(cases, 2, 1, 0.0, NULL, &fit, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "fit", "the DRAM bandwidth must be positive");
    assert_int_equal(roof_cpu_fit_cases(cases, 2, 1, NAN, NULL, &fit, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "fit", "the DRAM bandwidth must be positive");
    assert_true(ROOF_DT_COUNT >= 7);
    assert_int_equal(roof_cpu_fit_cases(cases, 7, 1, 1e10, NULL, &fit, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "fit", "too many dtypes");
    /* No cases: the 6 common and kernel parameters, nothing to fit them. */
    assert_int_equal(roof_cpu_fit_cases(cases, 0, 1, 1e10, NULL, &fit, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "fit", "0 cases cannot determine 6 parameters");
    assert_int_equal(fit.threads, 1);
    /* Two fp64 cases and four left out: 2 cases, 1 peak + 6. */
    cases[1].dtype = ROOF_DT_FP64;
    cases[2].held_out = 1;
    cases[3].threads = 2;
    cases[4].time_s = 0.0;
    cases[5].time_s = NAN;
    assert_int_equal(roof_cpu_fit_cases(cases, 6, 1, 1e10, NULL, &fit, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "fit", "2 cases cannot determine 7 parameters");
    /* On a one-thread base, the kernel terms are the base's: on 2 threads
     * the two fp64 cases and the bf16 one, 2 peaks + 3. */
    roof_cpu_fit base = fit_2t();
    base.threads = 1;
    cases[0].threads = cases[1].threads = 2;
    assert_int_equal(roof_cpu_fit_cases(cases, 6, 2, 1e10, &base, &fit, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "fit", "3 cases cannot determine 5 parameters");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_cases),         cmocka_unit_test(test_cpu_cases_full),
        cmocka_unit_test(test_cpu_bench),         cmocka_unit_test(test_cpu_bench_bf16),
        cmocka_unit_test(test_copy_bandwidth),    cmocka_unit_test(test_host_info),
        cmocka_unit_test(test_profile_datasheet), cmocka_unit_test(test_profile_fitted),
        cmocka_unit_test(test_profile_text),      cmocka_unit_test(test_cpu_fit_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
