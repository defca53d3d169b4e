/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The validation library beyond its fits (tests/unit/test_fit.c): the host
 * GEMM case list and timer (validation/cpu_gemm.c), the host's datasheet
 * values, copy bandwidth, profiles and .cfg text (validation/host_fit.c),
 * the loaders of the published rows on small CSVs written here, each bad
 * input with its exact error (validation/published.c, published_train.c),
 * and the error paths of the GPU fits and the cross-validation
 * (validation/gpu_fit.c). Timing is asserted only by invariants that no
 * load on the machine can break (positive, finite, the fastest sample not
 * above the fastest wall time), never against a threshold. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hw/profile.h"
#include "validation/cpu_gemm.h"
#include "validation/published.h"
#include "validation/published_rows.h"

static void check_rel(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * fabs(want)))
        fail_msg("%s: got %.17g, want %.17g (rel tol %g)", what, got, want, tol);
}

static void check_err(const roof_error *err, int code, const char *where, const char *msg)
{
    assert_int_equal(err->code, code);
    assert_string_equal(err->where, where);
    assert_string_equal(err->msg, msg);
}

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

/* ---- The published rows' loaders (published.c, published_train.c) ------- */

/* Minimal valid data: every file roof_pub_load reads, a few rows each. */
static const char GEMM_CSV[] =
    "case_id,source,locator,gpu,library,dtype,m,n,k,batch,tflops,trust,notes\n"
    "G1,Azure/AI-benchmarking-guide @8fd0c6e,loc,A100-SXM4-80GB,cuBLASLt,fp16,1024,1024,1024,1,100,high,\n"
    "G2,deepseek-ai/DeepGEMM,loc,H800-SXM5,DeepGEMM,fp8,64,2112,7168,,1000,high,\n"
    "G3,DeepGEMM,loc,H800-SXM5,DeepGEMM,fp8,128,2112,7168,,1000,high,\n"
    "G4,x/y,loc,TPU-v5,lib,bf16,64,64,64,1,1,high,no profile\n"
    "G5,x/y,loc,A100-SXM,FlashAttention,bf16,seq 2k,,,,150,high,not a GEMM\n"
    "G6,x/y,loc,H100-SXM,cuBLAS,bf16,8192,8192,8192,2,700,high,\n";
static const char ALLREDUCE_CSV[] = "size_bytes,time_us,busbw_GBps\n512,10,0\n1024,20,0\n2048,25,0\n";
static const char TTFT_CSV[] = "case_id,model,input_len,metric,value,notes\n"
                               "T-7B-2048,Llama-2-7B,2048,TTFT,133,128 tokens: 16 ms\n"
                               "T-7B-tput,Llama-2-7B,2048,throughput,5000,\n"
                               "T-mistral,Mistral-7B,2048,TTFT,120,no config\n"
                               "T-70B,Llama-2-70B,512,TTFT,88.5,\n";
static const char TRAIN_CSV[] = "case_id,model,layers,hidden,ffn,heads,vocab,seq_len,global_batch_seqs,micro_batch,tp,"
                                "pp,vp,dp,gpus,recompute,seq_parallel,value\n"
                                "N-1,GPT 1.7B,24,2304,,24,51200,2048,512,,1,1,,32,32,full,no,137\n"
                                "N-2,GPT 18B,40,6144,24576,48,51200,2048,1024,2,8,2,3,4,64,full,yes,135\n";
static const char LAYER_CSV[] = "case_id,value\nK-T4-base,7.7|11.9|19.6\nK-T4-other,1|2|3\n";
static const char CORPUS_CSV[] =
    "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust\n"
    "C1,Azure/AI-benchmarking-guide@8fd0c6e1bd,H100-SXM5-80GB,fp8,1024,1024,1024,1,274.1,,high\n"
    "C2,yosoyjay/AI-benchmarking-guide@abc,MI300X,bf16,2048,2048,2048,,,50,high\n"
    "C3,x/y,GH200,bf16,64,64,64,1,10,,high\n"
    "C4,x/y,A100 PCIe,bf16,64,64,64,1,10,,high\n"
    "C5,x/y,H100 (SKU not stated),bf16,64,64,64,1,10,,low\n"
    "C6,x/y,B200,fp4,64,64,64,1,10,,high\n"
    "C7,x/y,A100-SXM4,fp8,64,64,64,1,10,,high\n"
    "C8,stas00/ml-engineering,H100 (SKU not stated),bf16,4096,4096,4096,4,600,,medium\n"
    "C9,someone/else,A100-SXM4,fp16,4096,4096,4096,,250,,high\n";

/* corpus/training.csv: one usable tokens/s row, a LoRA row and a model
 * TFLOP/s row whose twin is there (both left out), a NeMo model TFLOP/s
 * row without a twin (kept, converted by NeMo's formula). */
static const char CTRAIN_CSV[] =
    "case_id,source,model,layers,hidden,ffn,heads,kv_heads,vocab,seq_len,global_batch,micro_batch,tp,pp,cp,vp,ep,dp,"
    "gpus,gpu,dtype,metric,value,notes\n"
    "CT1-tokens,x/y@abc,tiny,2,256,512,4,2,1000,1024,8,1,1,1,1,,,8,8,H100-SXM,bf16,tokens_per_s_per_gpu,1000,\n"
    "CT1-model,x/y@abc,tiny,2,256,512,4,2,1000,1024,8,1,1,1,1,,,8,8,H100-SXM,bf16,model_tflops_per_gpu,5,\n"
    "CT2,x/y@abc,tiny,2,256,512,4,2,1000,1024,8,1,1,1,1,,,8,8,H100-SXM,bf16,tokens_per_s_per_gpu,1000,LoRA\n"
    "CT3,NVIDIA/NeMo@abc,tiny,2,256,512,4,2,1000,1024,8,1,1,1,1,,,8,8,H100-SXM,fp8,model_tflops_per_gpu,0.001,\n";

/* corpus/serving.csv: a static batch (kept) and a row at a request rate
 * (left out). */
static const char CSERVE_CSV[] =
    "case_id,source,engine,model,gpu,gpus,tp,dtype,batch,concurrency,request_rate,input_len,output_len,metric,value\n"
    "S1,a/b@c,TensorRT-LLM,Llama-3-70B,A100-SXM4-80GB,8,8,fp16,16,,,128,8,throughput_tok_s,64\n"
    "S2,a/b@c,vLLM,Llama-3-70B,H100 80GB,8,8,bf16,,,4,128,8,ttft_ms,50\n";

/* corpus/attention.csv: a FlashAttention-2 fwd+bwd row on A100 (kept)
 * and one that does not say which pass it timed (left out). */
static const char CATTN_CSV[] =
    "case_id,source,gpu,kernel,dtype,phase,batch,seqlen_q,seqlen_kv,heads,kv_heads,head_dim,causal,tflops,time_us,"
    "trust\n"
    "A1,Dao 2023 (arXiv 2307.08691),A100-SXM4-80GB,FlashAttention-2,fp16/bf16,fwd+bwd,2,8192,8192,16,16,128,yes,182,,"
    "medium-high\n"
    "A2,x/y@abc,H100-SXM5-80GB,FlashAttention-2,bf16,unstated,2,8192,8192,16,16,128,no,300,,medium\n";

enum { F_GEMM, F_ALLREDUCE, F_TTFT, F_TRAIN, F_LAYER, F_CORPUS, F_CTRAIN, F_CSERVE, F_CATTN, F_COUNT };
static const char *const FILES[F_COUNT] = {"gemm_measured.csv",     "allreduce_h100_8gpu.csv", "inference_measured.csv",
                                           "training_measured.csv", "layer_measured.csv",      "corpus/gemm.csv",
                                           "corpus/training.csv",   "corpus/serving.csv",      "corpus/attention.csv"};

/* A data folder of its own under $TMPDIR, removed by data_remove. */
typedef struct {
    char dir[512];
    char path[F_COUNT][600];
} data_dir;

static void data_write(data_dir *d, int which, const char *text)
{
    if (!text) { /* the file left out */
        unlink(d->path[which]);
        return;
    }
    FILE *f = fopen(d->path[which], "w");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* The valid files, then text instead of file which (which < 0: none). */
static void data_make(data_dir *d, int which, const char *text)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(d->dir, sizeof d->dir, "%s/llmroof-validation-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    assert_non_null(mkdtemp(d->dir));
    char corpus[600];
    snprintf(corpus, sizeof corpus, "%s/corpus", d->dir);
    assert_int_equal(mkdir(corpus, 0700), 0);
    const char *const base[F_COUNT] = {GEMM_CSV,   ALLREDUCE_CSV, TTFT_CSV,   TRAIN_CSV, LAYER_CSV,
                                       CORPUS_CSV, CTRAIN_CSV,    CSERVE_CSV, CATTN_CSV};
    for (int i = 0; i < F_COUNT; i++) {
        snprintf(d->path[i], sizeof d->path[i], "%s/%s", d->dir, FILES[i]);
        data_write(d, i, i == which ? text : base[i]);
    }
}

static void data_remove(data_dir *d)
{
    for (int i = 0; i < F_COUNT; i++)
        unlink(d->path[i]);
    char corpus[600];
    snprintf(corpus, sizeof corpus, "%s/corpus", d->dir);
    assert_int_equal(rmdir(corpus), 0);
    assert_int_equal(rmdir(d->dir), 0);
}

static const roof_pub_case *find_case(const roof_pub_case *cases, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cases[i].id, id) == 0)
            return &cases[i];
    fail_msg("no case '%s'", id);
    return NULL;
}

static void test_pub_load_good(void **state)
{
    (void)state;
    data_dir d;
    data_make(&d, -1, NULL);
    roof_pub_case *cases;
    size_t n;
    roof_pub_skips sk;
    roof_error err;
    if (roof_pub_load(d.dir, "cfgs", &cases, &n, &sk, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    /* GEMM 4 (of 6: no profile, no number in m), all-reduce 2 (of 3: 512 B
     * is below 1 KiB), TTFT 3 (one row twice, throughput and an unknown
     * model left out), training 2, layers 3 (one variant of 2), corpus 4
     * (of 9), corpus training 2 (of 4), serving 1 (of 2), attention 1 (of
     * 2). */
    assert_int_equal(n, 4 + 2 + 3 + 2 + 3 + 4 + 2 + 1 + 1);
    /* A1: causal, 2 x 16 heads x 8192 queries x 4096 keys x 2 x 256 FLOP
     * forward; fwd+bwd counts 3.5 forwards (Dao 2023 Sec. 4.1): 3.5 x
     * 549755813888 / 182e12 s. Bytes Q, O, K, V once: 2 x 4 x 16 x 128 x
     * 8192 x 2 B. */
    const roof_pub_case *at = find_case(cases, n, "A1");
    assert_true(at->kind == ROOF_PUB_ATTENTION && at->part == 2 && at->fit == 1 && at->gemm.dtype == ROOF_DT_BF16);
    assert_string_equal(at->group, "attn-a100");
    assert_string_equal(at->hw, "a100-sxm");
    assert_string_equal(at->source, "Dao 2023");
    check_rel(at->attn.flops, 549755813888.0, 1e-15, "A1 flops");
    check_rel(at->attn.bytes, 268435456.0, 1e-15, "A1 bytes");
    check_rel(at->measured_s, 3.5 * 549755813888.0 / 182e12, 1e-12, "A1 time");
    /* S1: 16 prompts x 8 output tokens / 64 tokens/s = 2 s for the
     * batch's requests (TensorRT-LLM's gpt_benchmark.py counts output
     * tokens only), with TensorRT-LLM's runtime. */
    const roof_pub_case *sv = find_case(cases, n, "S1");
    assert_string_equal(sv->group, "serve-trtllm-a100-sxm");
    assert_true(sv->kind == ROOF_PUB_REQUEST && sv->fit == 0);
    check_rel(sv->measured_s, 2.0, 1e-12, "S1 time");
    assert_string_equal(sv->sets[5], "runtime.engine=trtllm");
    /* CT1: 8 sequences x 1024 tokens / (1000 tokens/s/GPU x 8 GPUs)
     * = 1.024 s. CT3 by NeMo's formula: F = B s l h^2 (12 + 12 g/a + 18 f/h
     * + 12 s/h + 6 V/(l h)) = 8 * 1024 * 2 * 256^2 * (12 + 6 + 36 + 48 +
     * 11.71875) = 1073741824 * 113.71875 = 1.22105e11 FLOP, over 0.001
     * TFLOP/s x 8 GPUs = 8e9 FLOP/s: 15.2632 s. */
    const roof_pub_case *t = find_case(cases, n, "CT1-tokens");
    assert_string_equal(t->group, "train-h100");
    assert_string_equal(t->source, "x/y");
    check_rel(t->measured_s, 1.024, 1e-12, "CT1 time");
    t = find_case(cases, n, "CT3");
    check_rel(t->measured_s, 1073741824.0 * 113.71875 / 8e9, 1e-12, "CT3 time");
    assert_string_equal(t->source, "NVIDIA/NeMo");
    const roof_pub_case *c = find_case(cases, n, "G1");
    assert_string_equal(c->group, "gemm-a100");
    assert_string_equal(c->hw, "a100-sxm");
    assert_string_equal(c->source, "Azure/AI-benchmarking-guide");
    assert_string_equal(c->what, "m=1024 n=1024 k=1024 fp16");
    assert_true(c->kind == ROOF_PUB_GEMM && c->gemm.dtype == ROOF_DT_FP16 && c->fit == 1);
    check_rel(c->measured_s, 2.0 * 1024.0 * 1024.0 * 1024.0 / 100e12, 1e-15, "G1 time");
    /* The bare "DeepGEMM" is the earlier row's owner/name; the group's
     * rows alternate between fitting and checking; an empty batch is 1. */
    c = find_case(cases, n, "G2");
    assert_true(strcmp(c->group, "gemm-h800") == 0 && c->fit == 1 && c->gemm.dtype == ROOF_DT_FP8 &&
                c->gemm.batch == 1);
    c = find_case(cases, n, "G3");
    assert_true(strcmp(c->source, "deepseek-ai/DeepGEMM") == 0 && c->fit == 0);
    /* gemm-mamf rows only check; a batch of 2 doubles the FLOP. */
    c = find_case(cases, n, "G6");
    assert_true(strcmp(c->group, "gemm-mamf") == 0 && c->fit == 0 && c->gemm.batch == 2);
    check_rel(c->measured_s, 2.0 * 2.0 * 8192.0 * 8192.0 * 8192.0 / 700e12, 1e-15, "G6 time");
    c = find_case(cases, n, "AR-1024");
    assert_true(c->kind == ROOF_PUB_ALLREDUCE && c->fit == 1 && c->comm.bytes == 1024.0 && c->comm.group == 8);
    check_rel(c->measured_s, 20e-6, 1e-15, "AR-1024 time");
    assert_int_equal(find_case(cases, n, "AR-2048")->fit, 0);
    assert_string_equal(c->what, "all_reduce 1024 B over 8");
    /* The note's 128-token time is a case of its own, named after the
     * row's id up to its last '-'. */
    c = find_case(cases, n, "T-7B-2048");
    assert_true(c->kind == ROOF_PUB_TTFT && c->seq_len == 2048);
    check_rel(c->measured_s, 133e-3, 1e-15, "T-7B-2048 time");
    assert_string_equal(c->config, "cfgs/llama2-7b-a100.cfg");
    c = find_case(cases, n, "T-7B-128");
    assert_int_equal(c->seq_len, 128);
    check_rel(c->measured_s, 16e-3, 1e-15, "T-7B-128 time");
    c = find_case(cases, n, "T-70B");
    assert_string_equal(c->config, "cfgs/llama2-70b-a100-tp4.cfg");
    check_rel(c->measured_s, 88.5e-3, 1e-15, "T-70B time");
    /* Narayanan's Eq. 3 by hand: 96 B s l h^2 (1 + s / 6h + V / 16 l h)
     * over TFLOP/s x GPUs; no ffn: 4h, no microbatch: 1, so 512 / 32 = 16
     * microbatches; 32 GPUs on 4 nodes. */
    c = find_case(cases, n, "N-1");
    double f1 = 96.0 * 512 * 2048 * 24 * 2304.0 * 2304.0 * (1.0 + 2048.0 / (6.0 * 2304) + 51200.0 / (16.0 * 24 * 2304));
    check_rel(c->measured_s, f1 / (137e12 * 32), 1e-13, "N-1 step");
    assert_true(c->kind == ROOF_PUB_TRAIN_STEP && c->fit == 1 && c->nsets == 15);
    const char *sets1[] = {"model.ffn_hidden=9216",   "workload.microbatches=16",
                           "workload.recompute=full", "parallel.sp=false",
                           "parallel.vp=1",           "hw.network.cluster.size=4"};
    for (size_t s = 0; s < sizeof sets1 / sizeof sets1[0]; s++) {
        int found = 0;
        for (int i = 0; i < c->nsets; i++)
            found |= strcmp(c->sets[i], sets1[s]) == 0;
        if (!found)
            fail_msg("N-1 lacks --set %s", sets1[s]);
    }
    c = find_case(cases, n, "N-2");
    assert_true(c->fit == 0);
    assert_string_equal(c->what, "GPT 18B, tp 8 pp 2 dp 4, 64 GPUs, batch 1024");
    /* 1024 / (4 x 2) = 128 microbatches of 2; 64 GPUs on 8 nodes. */
    assert_string_equal(c->sets[7], "workload.microbatches=128");
    assert_string_equal(c->sets[9], "parallel.sp=true");
    assert_string_equal(c->sets[12], "parallel.vp=3");
    assert_string_equal(c->sets[14], "hw.network.cluster.size=8");
    c = find_case(cases, n, "K-T4-base-bwd");
    assert_true(c->kind == ROOF_PUB_LAYER && c->part == 1 && c->nsets == 2);
    check_rel(c->measured_s, 11.9e-3, 1e-15, "K-T4-base-bwd time");
    assert_string_equal(c->what, "22B layer bwd, sp false, recompute none");
    check_rel(find_case(cases, n, "K-T4-base-combined")->measured_s, 19.6e-3, 1e-15, "combined");
    /* The corpus: the fork's rows are the original's; a time in us where
     * no rate is given; unknown sources report as gemm-corpus. */
    c = find_case(cases, n, "C1");
    assert_true(strcmp(c->group, "gemm-azure") == 0 && strcmp(c->hw, "h100-sxm") == 0 && c->fit == 1);
    c = find_case(cases, n, "C2");
    assert_true(strcmp(c->source, "Azure/AI-benchmarking-guide") == 0 && strcmp(c->group, "gemm-azure") == 0);
    assert_true(c->fit == 0 && strcmp(c->hw, "mi300x") == 0);
    check_rel(c->measured_s, 50e-6, 1e-15, "C2 time");
    c = find_case(cases, n, "C8");
    assert_true(strcmp(c->group, "gemm-mle") == 0 && c->gemm.batch == 4.0);
    assert_string_equal(c->what, "4 x m=4096 n=4096 k=4096 bf16");
    c = find_case(cases, n, "C9");
    assert_true(strcmp(c->group, "gemm-corpus") == 0 && c->fit == 1);
    /* The skipped corpus rows by reason, in the order first met: four from
     * corpus/gemm.csv, then corpus/training.csv's LoRA row (met first, as
     * CT2 comes after CT1-model) and its model TFLOP/s twin. */
    assert_int_equal(sk.n, 8);
    assert_string_equal(sk.reason[7], "attention: not one kernel's fwd, bwd or fwd+bwd (unstated, in a step, decode)");
    assert_string_equal(sk.reason[6], "at a request rate: number of prompts not stated");
    assert_string_equal(sk.reason[4], "model TFLOP/s twin of a tokens/s row (kept once)");
    assert_string_equal(sk.reason[5], "LoRA fine-tuning (frozen base weights: no weight gradients, not modelled)");
    assert_string_equal(sk.reason[0], "GPU without a built-in profile");
    assert_int_equal(sk.rows[0], 2);
    assert_string_equal(sk.reason[1], "trust 'low'");
    assert_string_equal(sk.reason[2], "dtype llmroof does not model (fp4)");
    assert_string_equal(sk.reason[3], "dtype without a peak in the profile");
    assert_true(sk.rows[1] == 1 && sk.rows[2] == 1 && sk.rows[3] == 1);
    roof_pub_free(cases);
    /* The skips are optional. */
    assert_int_equal(roof_pub_load(d.dir, "cfgs", &cases, &n, NULL, &err), ROOF_OK);
    assert_int_equal(n, 22);
    roof_pub_free(cases);
    data_remove(&d);
}

/* 1024 GEMM rows fill the case array (ROOF_PUB_MAX_CASES). */
static char *gemm_rows(size_t rows)
{
    const char *head = "case_id,source,locator,gpu,library,dtype,m,n,k,batch,tflops,trust,notes\n";
    size_t cap = strlen(head) + rows * 64 + 1, k = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    k += (size_t)snprintf(s, cap, "%s", head);
    for (size_t r = 0; r < rows; r++)
        k += (size_t)snprintf(s + k, cap - k, "R%zu,x/y,l,A100-SXM,lib,bf16,64,64,64,1,10,high,\n", r);
    return s;
}

/* Loads d (with file which replaced by text) and checks the error: where is
 * the file's path, followed by suffix (":LINE" or ""). */
static void load_bad(int which, const char *text, int gemm_full, const char *suffix, const char *msg)
{
    data_dir d;
    data_make(&d, which, text);
    if (gemm_full) {
        /* The GEMM rows fill (gemm_full - 1 short of) the array; the other
         * files before `which` add no rows. */
        char *g = gemm_rows(ROOF_PUB_MAX_CASES - (size_t)(gemm_full - 1));
        data_write(&d, F_GEMM, g);
        free(g);
        const char *empty[F_COUNT] = {NULL,
                                      "size_bytes,time_us\n512,10\n",
                                      "case_id,model,input_len,metric,value,notes\n",
                                      "case_id,model,layers,hidden,ffn,heads,vocab,seq_len,global_batch_seqs,"
                                      "micro_batch,tp,pp,vp,dp,gpus,recompute,seq_parallel,value\n",
                                      "case_id,value\n",
                                      "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust\n"};
        for (int i = F_ALLREDUCE; i < F_COUNT; i++)
            if (i != which)
                data_write(&d, i, empty[i]);
    }
    roof_pub_case sentinel, *cases = &sentinel;
    size_t n = 99;
    roof_error err;
    int rc = roof_pub_load(d.dir, "cfgs", &cases, &n, NULL, &err);
    char where[700];
    snprintf(where, sizeof where, "%s%s", d.path[which], suffix);
    if (rc != ROOF_ERR_INPUT || strcmp(err.where, where) != 0 || strcmp(err.msg, msg) != 0)
        fail_msg("%s: got %d '%s: %s', want '%s: %s'", FILES[which], rc, err.where, err.msg, where, msg);
    assert_null(cases);
    assert_int_equal(n, 0);
    data_remove(&d);
}

static void test_pub_load_bad_gemm(void **state)
{
    (void)state;
    load_bad(F_GEMM, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_GEMM,
             "case_id,source,locator,gpu,library,dtype,m,n,k,batch,tflops\n"
             "G1,x/y,l,A100-SXM,lib,bf16,64,64,64,-1,10\n",
             0, ":2", "'-1' must be positive (column 'batch')");
    load_bad(F_GEMM,
             "case_id,source,locator,gpu,library,dtype,m,n,k,batch,tflops\n"
             "G0,x/y,l,TPU,lib,bf16,1,1,1,1,1\n"
             "G1,x/y,l,A100-SXM,lib,bf16,64,0,64,1,10\n",
             0, ":3", "'0' must be positive (column 'n')");
    load_bad(F_GEMM, "case_id,source,gpu,m,n,k,batch,tflops\n", 0, "", "no column 'dtype'");
    char *g = gemm_rows(ROOF_PUB_MAX_CASES + 1);
    load_bad(F_GEMM, g, 0, "", "too many cases (at most 1024)");
    free(g);
}

static void test_pub_load_bad_allreduce(void **state)
{
    (void)state;
    load_bad(F_ALLREDUCE, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_ALLREDUCE, "size_bytes,busbw_GBps\n1024,1\n", 0, "", "no column 'time_us'");
    load_bad(F_ALLREDUCE, "time_us\n1\n", 0, "", "no column 'size_bytes'");
    load_bad(F_ALLREDUCE, "size_bytes,time_us\n1024,20\nabc,3\n", 0, ":3",
             "'abc' is not a number (column 'size_bytes')");
    /* strtod reads "inf"; a measurement must be finite. */
    load_bad(F_ALLREDUCE, "size_bytes,time_us\ninf,3\n", 0, ":2", "'inf' is not a number (column 'size_bytes')");
    load_bad(F_ALLREDUCE, "size_bytes,time_us\n2048,0\n", 0, ":2", "'0' must be positive (column 'time_us')");
    load_bad(F_ALLREDUCE, "size_bytes,time_us\n2048,20\n", 1, "", "too many cases (at most 1024)");
}

static void test_pub_load_bad_ttft(void **state)
{
    (void)state;
    const char *head = "case_id,model,input_len,metric,value,notes\n";
    char text[512];
    load_bad(F_TTFT, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_TTFT, "case_id,model,input_len,metric,value\n", 0, "", "no column 'notes'");
    snprintf(text, sizeof text, "%sT1,Llama-2-7B,0,TTFT,16,\n", head);
    load_bad(F_TTFT, text, 0, ":2", "'0' must be positive (column 'input_len')");
    snprintf(text, sizeof text, "%sT1,Llama-2-7B,128,TTFT,16ms,\n", head);
    load_bad(F_TTFT, text, 0, ":2", "'16ms' is not a number (column 'value')");
    snprintf(text, sizeof text, "%sT1,Llama-2-7B,128,TTFT,16,\n", head);
    load_bad(F_TTFT, text, 1, "", "too many cases (at most 1024)");
    /* One place left: the row fits, its 128-token note does not. */
    snprintf(text, sizeof text, "%sT1-2048,Llama-2-7B,2048,TTFT,133,128 tokens: 16 ms\n", head);
    load_bad(F_TTFT, text, 2, "", "too many cases (at most 1024)");
}

static void test_pub_load_bad_training(void **state)
{
    (void)state;
    char text[1024];
    const char *head = "case_id,model,layers,hidden,ffn,heads,vocab,seq_len,global_batch_seqs,micro_batch,tp,pp,vp,dp,"
                       "gpus,recompute,seq_parallel,value\n";
    load_bad(F_TRAIN, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_TRAIN, "case_id,model,layers\n", 0, "", "no column 'hidden'");
    snprintf(text, sizeof text,
             "%sN-1,GPT,24,2304,,24,51200,2048,512,,1,1,,32,32,full,no,137\nN-2,GPT,x,2304,,24,51200,2048,512,,1,1,,32,"
             "32,full,no,137\n",
             head);
    load_bad(F_TRAIN, text, 0, ":3", "'x' is not a number (column 'layers')");
    snprintf(text, sizeof text, "%sN-1,GPT,24,2304,4h,24,51200,2048,512,,1,1,,32,32,full,no,137\n", head);
    load_bad(F_TRAIN, text, 0, ":2", "'4h' is not a number (column 'ffn')");
    snprintf(text, sizeof text, "%sN-1,GPT,24,2304,,24,51200,2048,512,one,1,1,,32,32,full,no,137\n", head);
    load_bad(F_TRAIN, text, 0, ":2", "'one' is not a number (column 'micro_batch')");
    snprintf(text, sizeof text, "%sN-1,GPT,24,2304,,24,51200,2048,512,,1,1,?,32,32,full,no,137\n", head);
    load_bad(F_TRAIN, text, 0, ":2", "'?' is not a number (column 'vp')");
    snprintf(text, sizeof text, "%sN-1,GPT,24,2304,,24,51200,2048,512,,1,1,,32,32,full,no,137\n", head);
    load_bad(F_TRAIN, text, 1, "", "too many cases");
}

static void test_pub_load_bad_layers(void **state)
{
    (void)state;
    load_bad(F_LAYER, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_LAYER, "value\n1|2|3\n", 0, "", "no column 'case_id'");
    load_bad(F_LAYER, "case_id\nK-T4-sp\n", 0, "", "no column 'value'");
    /* Two parts, four, another separator, an empty part, not positive, not
     * a number. */
    const char *values[] = {"7.7|11.9", "7.7|11.9|19.6|1", "7.7,11.9,19.6", "|11.9|19.6", "7.7|0|19.6", "7.7|11.9|nan"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char text[256], msg[256];
        snprintf(text, sizeof text, "case_id,value\nK-T4-full,1|2|3\nK-T4-sel,\"%s\"\n", values[i]);
        snprintf(msg, sizeof msg, "expected FWD|BWD|COMBINED milliseconds in column 'value' (got '%s')", values[i]);
        load_bad(F_LAYER, text, 0, ":3", msg);
    }
    load_bad(F_LAYER, "case_id,value\nK-T4-selsp,1|2|3\n", 1, "", "too many cases");
    /* Two places left: the forward and backward cases fit, the combined
     * one does not. */
    load_bad(F_LAYER, "case_id,value\nK-T4-selsp,1|2|3\n", 3, "", "too many cases");
}

static void test_pub_load_bad_corpus(void **state)
{
    (void)state;
    const char *head = "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust\n";
    char text[512];
    load_bad(F_CORPUS, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_CORPUS, "case_id,source,gpu,dtype,m,n,k,batch,tflops,trust\n", 0, "", "no column 'time_us'");
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,0,1,10,,high\n", head);
    load_bad(F_CORPUS, text, 0, ":2", "'0' must be positive (column 'k')");
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,64,-2,10,,high\n", head);
    load_bad(F_CORPUS, text, 0, ":2", "'-2' must be positive (column 'batch')");
    /* No rate: the time must be there and positive. */
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,64,,,,high\n", head);
    load_bad(F_CORPUS, text, 0, ":2", "'' is not a number (column 'time_us')");
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,64,,,-5,high\n", head);
    load_bad(F_CORPUS, text, 0, ":2", "'-5' must be positive (column 'time_us')");
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,64,,-1,,high\n", head);
    load_bad(F_CORPUS, text, 0, ":2", "'-1' must be positive (column 'tflops')");
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,64,,100,,high\n", head);
    load_bad(F_CORPUS, text, 1, "", "too many cases (at most 1024)");
}

/* A case on a profile that does not exist, and a training case whose
 * config cannot be read, fail their prediction with the loader's error. */
static void test_pub_predict_bad(void **state)
{
    (void)state;
    roof_pub_case c;
    memset(&c, 0, sizeof c);
    snprintf(c.hw, sizeof c.hw, "tpu-v9000");
    c.kind = ROOF_PUB_GEMM;
    c.gemm = (roof_gemm){1, 64, 64, 64, ROOF_DT_BF16, 0, 0.0};
    roof_error err;
    assert_int_equal(roof_pub_predict(&c, 1, NULL, &err), ROOF_ERR_USAGE);
    check_err(&err, ROOF_ERR_USAGE, "--hw", "unknown hardware profile 'tpu-v9000' (see 'llmroof hw list')");
    snprintf(c.hw, sizeof c.hw, "a100-sxm");
    c.kind = ROOF_PUB_TRAIN_STEP;
    snprintf(c.config, sizeof c.config, "/nonexistent/megatron.cfg");
    assert_int_equal(roof_pub_predict(&c, 1, NULL, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.where, "/nonexistent/megatron.cfg");
    /* No cases: nothing to predict. */
    assert_int_equal(roof_pub_predict(&c, 0, NULL, &err), ROOF_OK);
}

/* ---- The GPU fits and the cross-validation (gpu_fit.c) ----------------- */

static void gemm_case(roof_pub_case *c, const char *group, const char *hw, const char *source, int fit)
{
    memset(c, 0, sizeof *c);
    snprintf(c->group, sizeof c->group, "%s", group);
    snprintf(c->id, sizeof c->id, "%s-%s", group, source);
    snprintf(c->hw, sizeof c->hw, "%s", hw);
    snprintf(c->source, sizeof c->source, "%s", source);
    c->kind = ROOF_PUB_GEMM;
    c->gemm = (roof_gemm){1, 4096, 4096, 4096, ROOF_DT_BF16, 0, 0.0};
    c->fit = fit;
    c->measured_s = 1e-3;
}

static void test_pub_fit_bad(void **state)
{
    (void)state;
    roof_pub_fit fit;
    roof_pub_case c[2];
    roof_error err;
    /* Four documented fits, and the training fractions of H100, B200 and
     * GB200 (validation/gpu_fit.c). */
    assert_int_equal(roof_pub_fit_count(), 7);
    assert_int_equal(roof_pub_fit_run(7, c, 0, &fit, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "fit", "no fit 7");
    /* The A100 fit has 3 parameters and no rows. */
    assert_int_equal(roof_pub_fit_run(0, c, 0, &fit, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "fit", "0 cases cannot determine 3 parameters");
    assert_string_equal(fit.group, "gemm-a100");
    assert_int_equal(fit.nfit, 0);
    /* A check row on a profile that does not exist fails before the fit;
     * as a fit row it fails inside the fit, with the same error. */
    gemm_case(&c[0], "gemm-a100", "tpu-v9000", "x/y", 0);
    assert_int_equal(roof_pub_fit_run(0, c, 1, &fit, &err), ROOF_ERR_USAGE);
    check_err(&err, ROOF_ERR_USAGE, "--hw", "unknown hardware profile 'tpu-v9000' (see 'llmroof hw list')");
    assert_int_equal(fit.ncheck, 1);
    /* The sustained fraction: 1 parameter, 1 fit row. */
    gemm_case(&c[0], "train-megatron", "tpu-v9000", "x/y", 1);
    assert_int_equal(roof_pub_fit_run(3, c, 1, &fit, &err), ROOF_ERR_USAGE);
    check_err(&err, ROOF_ERR_USAGE, "--hw", "unknown hardware profile 'tpu-v9000' (see 'llmroof hw list')");
    assert_int_equal(fit.nfit, 1);
}

static void test_cv_bad(void **state)
{
    (void)state;
    static roof_pub_case c[ROOF_CV_MAX_SOURCES + 1];
    roof_pub_cv cv;
    roof_error err;
    /* 17 sources: one more than the folds hold. */
    for (int i = 0; i <= ROOF_CV_MAX_SOURCES; i++) {
        char src[32];
        snprintf(src, sizeof src, "src/%d", i);
        gemm_case(&c[i], "gemm-mamf", "h100-sxm", src, 0);
    }
    assert_int_equal(roof_pub_cv_run(c, ROOF_CV_MAX_SOURCES + 1, ROOF_CV_DEFAULT, &cv, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "validate", "more than 16 sources");
    assert_true(cv.insample_s == NULL && cv.cv_s == NULL && cv.params == NULL);
    /* A row on a profile outside the set: inside a fit that selects it
     * (gemm-a100's group), or when the rows are predicted. */
    gemm_case(&c[0], "gemm-a100", "a100-pcie", "x/y", 1);
    assert_int_equal(roof_pub_cv_run(c, 1, ROOF_CV_DEFAULT, &cv, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "validate", "'a100-pcie' is not a profile of the cross-validation");
    assert_null(cv.params);
    gemm_case(&c[0], "gemm-test", "a100-pcie", "x/y", 1);
    assert_int_equal(roof_pub_cv_run(c, 1, ROOF_CV_DEFAULT, &cv, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "validate", "'a100-pcie' is not a profile of the cross-validation");
    /* The A100 fraction's prior is ml-engineering's MAMF row: with that
     * source held out and no A100 row left, the fold has no honest value
     * (in-sample, its one row fits the fraction). */
    gemm_case(&c[0], "gemm-a100", "a100-sxm", "stas00/ml-engineering", 1);
    assert_int_equal(roof_pub_cv_run(c, 1, ROOF_CV_DEFAULT, &cv, &err), ROOF_ERR_RUNTIME);
    check_err(
        &err, ROOF_ERR_RUNTIME, "fit",
        "the prior of 'hw.efficiency.compute' (gemm-a100) comes from the held-out source 'stas00/ml-engineering'");
    /* Freeing nothing, or twice, is harmless. */
    roof_pub_cv_free(NULL);
    roof_pub_cv_free(&cv);
    assert_null(cv.insample_s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_cases),
        cmocka_unit_test(test_cpu_cases_full),
        cmocka_unit_test(test_cpu_bench),
        cmocka_unit_test(test_cpu_bench_bf16),
        cmocka_unit_test(test_copy_bandwidth),
        cmocka_unit_test(test_host_info),
        cmocka_unit_test(test_profile_datasheet),
        cmocka_unit_test(test_profile_fitted),
        cmocka_unit_test(test_profile_text),
        cmocka_unit_test(test_cpu_fit_bad),
        cmocka_unit_test(test_pub_load_good),
        cmocka_unit_test(test_pub_load_bad_gemm),
        cmocka_unit_test(test_pub_load_bad_allreduce),
        cmocka_unit_test(test_pub_load_bad_ttft),
        cmocka_unit_test(test_pub_load_bad_training),
        cmocka_unit_test(test_pub_load_bad_layers),
        cmocka_unit_test(test_pub_load_bad_corpus),
        cmocka_unit_test(test_pub_predict_bad),
        cmocka_unit_test(test_pub_fit_bad),
        cmocka_unit_test(test_cv_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
