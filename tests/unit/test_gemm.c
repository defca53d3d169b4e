/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Get_Time of one GEMM on a GPU (hw/gemm.c): the roofline with tile and
 * wave quantization, split-K and stream-K, the ideal roofline, the fp8,
 * per-library and unaligned efficiencies, and the GPU profiles untouched by
 * the CPU terms (those: tests/unit/test_gemm_cpu.c), against values worked
 * out by hand (python3 as a calculator) on a synthetic profile with
 * high-entropy numbers, so that a missing factor cannot hide. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hw/gemm.h"
#include "hw/profile.h"
#include "model/ops.h"
#include "synthetic_hw.h"
#include "check.h"
#include "gemm_run.h"

static void test_compute_bound(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    roof_gemm g = shape(1, 4096, 4096, 4096, ROOF_DT_BF16);
    roof_gemm_time t = run_ok(&hw, &g, 0);

    /* F = 2*4096^3 = 137438953472 */
    check_rel(t.flops, 137438953472.0, 1e-15, "flops");
    /* B = 2 B * 3 * 4096^2 = 100663296 */
    check_rel(t.bytes, 100663296.0, 1e-15, "bytes");
    /* I = F / B = 4096/3 = 1365.3333333333333 */
    check_rel(t.intensity, 1365.3333333333333, 1e-14, "intensity");
    /* tiles = 32*16 = 512 >= 132 units, no split; waves = ceil(512/132) = 4;
     * util = 4096^3 / (4*132*128*256*4096) = 512/528 = 0.9696969696969697 */
    check_rel(t.waves, 4.0, 0.0, "waves");
    check_rel(t.utilization, 0.9696969696969697, 1e-14, "utilization");
    /* tc = F / (723.9e12 * 0.7 * 0.969697) = 2.7970303863596e-4 s */
    check_rel(t.compute_time_s, 2.7970303863596e-4, 1e-12, "compute_time_s");
    /* tm = B / (2.385e12 * 0.83) = 5.085160566795484e-5 s */
    check_rel(t.memory_time_s, 5.085160566795484e-5, 1e-12, "memory_time_s");
    /* time = tc + 4.7e-6 = 2.8440303863596e-4 s */
    check_rel(t.overhead_s, 4.7e-6, 0.0, "overhead_s");
    check_rel(t.time_s, 2.8440303863596e-4, 1e-12, "time_s");
    assert_int_equal(t.bound, ROOF_BOUND_COMPUTE);
}

static void test_memory_bound_gemv(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    roof_gemm g = shape(1, 1, 8192, 8192, ROOF_DT_BF16);
    roof_gemm_time t = run_ok(&hw, &g, 0);

    /* F = 2*8192^2 = 134217728 */
    check_rel(t.flops, 134217728.0, 1e-15, "flops");
    /* B = 2*(8192 + 8192^2 + 8192) = 134250496 */
    check_rel(t.bytes, 134250496.0, 1e-15, "bytes");
    /* m = 1 < 128: the tile is cut to 16 rows (the smallest MMA's), so
     * tiles = 1*1*32 = 32 < 132: split = min(floor(132/32) = 4,
     * floor(8192/64) = 128) = 4; 128 items in 1 wave;
     * issued = 1*132*16*256*2048 = 1107296256 MACs;
     * util = 8192^2 / 1107296256 = 8/132 = 0.06060606060606061 */
    check_rel(t.waves, 1.0, 0.0, "waves");
    check_rel(t.utilization, 0.06060606060606061, 1e-14, "utilization");
    /* tc = 2 * 1107296256 / (723.9e12 * 0.7) = 4.370359978686875e-06 s */
    check_rel(t.compute_time_s, 4.370359978686875e-06, 1e-12, "compute_time_s");
    /* tm = B / (2.385e12 * 0.83) = 6.781869414765982e-5 s */
    check_rel(t.memory_time_s, 6.781869414765982e-5, 1e-12, "memory_time_s");
    /* time = tm + 4.7e-6 = 7.251869414765983e-5 s */
    check_rel(t.time_s, 7.251869414765983e-5, 1e-12, "time_s");
    assert_int_equal(t.bound, ROOF_BOUND_MEMORY);
}

static void test_ridge_ideal(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.compute[ROOF_DT_BF16] = 1.2e15;
    hw.mem_bandwidth = 3e12;
    /* Ridge = 1.2e15 / 3e12 = 400 FLOP/B; a square bf16 GEMM has
     * I = 2N^3 / (2*3*N^2) = N/3, so N = 1200 sits on it. */
    roof_gemm g = shape(1, 1200, 1200, 1200, ROOF_DT_BF16);
    roof_gemm_time t = run_ok(&hw, &g, ROOF_GEMM_IDEAL);

    /* tc = 2*1200^3 / 1.2e15 = 3.456e9 / 1.2e15 = 2.88e-6 s */
    check_rel(t.compute_time_s, 2.88e-6, 1e-12, "compute_time_s");
    /* tm = 6*1200^2 / 3e12 = 8.64e6 / 3e12 = 2.88e-6 s */
    check_rel(t.memory_time_s, 2.88e-6, 1e-12, "memory_time_s");
    check_rel(t.compute_time_s, t.memory_time_s, 1e-12, "compute vs memory at the ridge");
    check_rel(t.intensity, 400.0, 1e-12, "intensity");
    /* Ideal: no overhead, utilization 1, no waves. */
    check_rel(t.time_s, 2.88e-6, 1e-12, "time_s");
    assert_true(t.overhead_s == 0.0);
    assert_true(t.utilization == 1.0);
    assert_true(t.waves == 0.0);
}

static void test_wasted_wave(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.units = 10;
    hw.tile_m = 64;
    hw.tile_n = 128;
    /* tiles = ceil(704/64) * ceil(128/128) = 11 = units + 1, no split:
     * 2 waves of 64x128 (util 11/20 = 0.55), or 22 half-width 64x64 tiles
     * in 3 waves (util 22/30): the half width wastes less and is taken. */
    roof_gemm g = shape(1, 64 * 11, 4096, 128, ROOF_DT_BF16);
    roof_gemm_time t = run_ok(&hw, &g, 0);

    /* waves = ceil(22/10) = 3 */
    check_rel(t.waves, 3.0, 0.0, "waves");
    /* util = 704*128*4096 / (3*10*64*64*4096) = 90112/122880 = 11/15 */
    check_rel(t.utilization, 11.0 / 15.0, 1e-15, "utilization");
    /* F = 2*704*4096*128 = 738197504 */
    check_rel(t.flops, 738197504.0, 1e-15, "flops");
    /* tc = F / (723.9e12 * 0.7 * 11/15) = 1.9865272630394888e-6 s */
    check_rel(t.compute_time_s, 1.9865272630394888e-06, 1e-12, "compute_time_s");
    /* B = 2*(704*4096 + 4096*128 + 704*128) = 6995968;
     * tm = B / (2.385e12 * 0.83) = 3.5341203808946476e-6 s, above tc */
    check_rel(t.memory_time_s, 3.5341203808946476e-6, 1e-12, "memory_time_s");
    /* time = tm + 4.7e-6 = 8.234120380894648e-6 s */
    check_rel(t.time_s, 8.234120380894648e-6, 1e-12, "time_s");
    assert_int_equal(t.bound, ROOF_BOUND_MEMORY);
}

static void test_split_k(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.units = 10;
    hw.tile_m = 64;
    hw.tile_n = 128;

    /* tiles = ceil(65/64) * 1 = 2 < 10 units, so split-K (slices of at
     * least 64) and narrower tiles (128, 64, 32, 16 wide) are tried and the
     * least issued work is taken.
     * k = 4096: 128 wide, split = min(floor(10/2) = 5, floor(4096/64) = 64)
     * = 5; 10 items, 1 wave; issued = 10*64*128*(4096/5) MACs;
     * util = 65*128*4096 / issued = 65/128 = 0.5078125 (64 wide: 4 tiles,
     * split 2, 8 items, issued 10*64*64*2048: more); F = 2*65*4096*128 =
     * 68157440; tc = F / (723.9e12*0.7*0.5078125) = 2.648703017385985e-7 s */
    roof_gemm g = shape(1, 65, 4096, 128, ROOF_DT_BF16);
    roof_gemm_time t = run_ok(&hw, &g, 0);
    check_rel(t.waves, 1.0, 0.0, "k=4096 waves");
    check_rel(t.utilization, 0.5078125, 1e-15, "k=4096 utilization");
    check_rel(t.flops, 68157440.0, 1e-15, "k=4096 flops");
    check_rel(t.compute_time_s, 2.648703017385985e-7, 1e-12, "k=4096 compute_time_s");

    /* k = 700: 128 wide, split = min(5, floor(700/64) = 10) = 5; 10 items,
     * 1 wave; issued = 10*64*128*140 = 11468800; util = 65*128*700 /
     * 11468800 = 0.5078125 (64 wide: split 2, issued 10*64*64*350 =
     * 14336000: more); tc = 2*11468800 / (723.9e12*0.7) =
     * 4.526592070728002e-8 s */
    g = shape(1, 65, 700, 128, ROOF_DT_BF16);
    t = run_ok(&hw, &g, 0);
    check_rel(t.waves, 1.0, 0.0, "k=700 waves");
    check_rel(t.utilization, 0.5078125, 1e-15, "k=700 utilization");
    check_rel(t.compute_time_s, 4.526592070728002e-8, 1e-12, "k=700 compute_time_s");

    /* k = 200: floor(200/64) = 3 slices at most. 128 wide: split 3,
     * issued 10*64*128*(200/3) = 5461333; 64 wide: 4 tiles, split 2,
     * issued 10*64*64*100 = 4096000 (the least; 32 wide ties, 16 wide takes
     * 2 waves and also ties); util = 65*128*200 / 4096000 = 0.40625;
     * tc = 2*4096000 / (723.9e12*0.7) = 1.6166400252600007e-8 s */
    g = shape(1, 65, 200, 128, ROOF_DT_BF16);
    t = run_ok(&hw, &g, 0);
    check_rel(t.waves, 1.0, 0.0, "k=200 waves");
    check_rel(t.utilization, 0.40625, 1e-15, "k=200 utilization");
    check_rel(t.compute_time_s, 1.6166400252600007e-8, 1e-12, "k=200 compute_time_s");

    /* A split over more waves (hw/gemm.c, SPLIT_WAVES): m = 64, n = 768,
     * k = 4096: 6 tiles of 64 x 128 on 10 units, floor(10/6) = 1: no
     * split in one wave, 60 % busy. Over w waves, floor(10 w / 6) slices:
     * w = 2: 3 slices, 18 items, 2 waves of k/3 (cost 2/3 of the unsplit
     * wave); w = 3: 5 slices, 30 items, 3 waves of k/5 (3/5, every unit
     * busy); w = 4: 6 slices, 36 items, 4 waves of k/6 (2/3). Free split
     * (no stream_k key): w = 3. 64-wide tiles: 12 tiles, 2 waves of k
     * (cost 1): no better. tc = 2*64*768*4096 / (723.9e12*0.7) =
     * 7.946109052157955e-7 s. */
    g = shape(1, 64, 4096, 768, ROOF_DT_BF16);
    t = run_ok(&hw, &g, 0);
    check_rel(t.waves, 3.0, 0.0, "split waves");
    check_rel(t.utilization, 1.0, 1e-15, "split over 3 waves utilization");
    check_rel(t.compute_time_s, 7.946109052157955e-7, 1e-12, "split over 3 waves compute_time_s");
}

/* hw.gemm.stream_k (hw/gemm.c issued_for; Osama et al., "Stream-K", PPoPP
 * 2023): split s = ceil(C / M) within 1 and the largest split, and its
 * fixup B (s - 1) multiply-adds after the loop, C = units tm tn k,
 * M = bytes mpb, B = 2 tiles 4 tm tn mpb, mpb = rate / (2 bw). Synthetic profile with 10x the bandwidth (so that the split is
 * not capped), 10 units, 64 x 16 tiles: m = 64, n = 16 is one tile (16 is
 * the narrowest edge: no narrower tile is tried). By hand (python3 as a
 * calculator): rate = 723.9e12 * 0.7 = 506.73e12, bw = 2.385e13 * 0.83 =
 * 1.97955e13, mpb = 12.799121012351291.
 * k = 512: bytes = 2 (64*512 + 512*16 + 64*16) = 83968, M = 1074716.59,
 * C = 10*64*16*512 = 5242880, B = 8192 mpb = 104850.40; largest split
 * min(floor(10/1), floor(512/64)) = 8; C / M = 4.88, so split 5, one
 * wave: issued = C / 5 = 1048576,
 * tc = 2 issued / rate = 4.138598464665601e-9 s; memory 83968 / bw =
 * 4.241772119926246e-9 s (memory-bound); fixup 2 * 4B / rate =
 * 1.6553257053370717e-9 s; time = memory + 4.7e-6 + fixup =
 * 4.7058970978252634e-6 s. Free (key off): split 8, tc = 2 C / 8 / rate =
 * 2.586624040416001e-9 s, time = memory + 4.7e-6 = 4.7042417721199264e-6 s.
 * k = 64: at most 1 slice of 64: no split, no fixup, as free. */
static void test_stream_k(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.mem_bandwidth = 2.385e13;
    hw.units = 10;
    hw.tile_m = 64;
    hw.tile_n = 128;
    roof_gemm g = shape(1, 64, 512, 16, ROOF_DT_BF16);
    roof_gemm_time t = run_ok(&hw, &g, 0);
    check_rel(t.compute_time_s, 2.586624040416001e-9, 1e-12, "free split tc");
    check_rel(t.time_s, 4.7042417721199264e-6, 1e-12, "free split time");
    hw.gemm_stream_k = 1;
    t = run_ok(&hw, &g, 0);
    check_rel(t.waves, 1.0, 0.0, "stream-K waves");
    check_rel(t.compute_time_s, 4.138598464665601e-9, 1e-12, "stream-K tc");
    check_rel(t.memory_time_s, 4.241772119926246e-9, 1e-12, "stream-K memory");
    check_rel(t.time_s, 4.7058970978252634e-6, 1e-12, "stream-K time");
    assert_int_equal(t.bound, ROOF_BOUND_MEMORY);
    /* The hot path (time only) agrees with the full model. */
    roof_gemm_time fast = run_ok(&hw, &g, ROOF_GEMM_TIME_ONLY);
    check_rel(fast.time_s, t.time_s, 1e-15, "stream-K time, hot path");
    g = shape(1, 64, 64, 16, ROOF_DT_BF16);
    roof_gemm_time on = run_ok(&hw, &g, 0);
    hw.gemm_stream_k = 0;
    roof_gemm_time off = run_ok(&hw, &g, 0);
    check_rel(on.time_s, off.time_s, 0.0, "k=64: no split, no fixup");
}

static void test_ideal_exact(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    const struct {
        double batch, m, k, n;
        roof_dtype dt;
    } cases[] = {
        {1, 4096, 4096, 4096, ROOF_DT_BF16}, {1, 1, 8192, 8192, ROOF_DT_BF16},   {7, 333, 4096, 1024, ROOF_DT_BF16},
        {3, 1000, 2385, 77, ROOF_DT_FP32},   {13, 1, 8192, 28672, ROOF_DT_FP32}, {5, 6144, 6144, 6144, ROOF_DT_FP32},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        roof_gemm g = shape(cases[i].batch, cases[i].m, cases[i].k, cases[i].n, cases[i].dt);
        roof_gemm_time t = run_ok(&hw, &g, ROOF_GEMM_IDEAL);
        /* The spec's ideal: max(2*b*m*k*n / P, s*b*(m*k + k*n + m*n) / BW),
         * s = 2 for bf16 and 4 for fp32. */
        double s = cases[i].dt == ROOF_DT_FP32 ? 4.0 : 2.0;
        double b = g.batch, m = g.m, k = g.k, n = g.n;
        double tc = 2.0 * b * m * k * n / hw.compute[cases[i].dt];
        double tm = s * b * (m * k + k * n + m * n) / hw.mem_bandwidth;
        char what[96];
        snprintf(what, sizeof what, "ideal %gx%gx%gx%g %s", b, m, k, n, cases[i].dt == ROOF_DT_FP32 ? "fp32" : "bf16");
        check_rel(t.time_s, tc > tm ? tc : tm, 1e-12, what);
        assert_true(t.overhead_s == 0.0);
        assert_true(t.utilization == 1.0);
    }
}

static void test_overflow_dims(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    /* m*k*n = 3.4e25 does not fit in 64 bits (9.2e18). */
    roof_gemm g = shape(1, 4e18, 8192, 1024, ROOF_DT_BF16);
    roof_gemm_time t = run_ok(&hw, &g, 0);
    /* F = 2*4e18*8192*1024 = 6.7108864e25 */
    check_rel(t.flops, 6.7108864e25, 1e-15, "flops");
    assert_true(isfinite(t.time_s));
    assert_true(t.time_s > 0.0);
    t = run_ok(&hw, &g, ROOF_GEMM_IDEAL);
    check_rel(t.flops, 6.7108864e25, 1e-15, "ideal flops");
    assert_true(isfinite(t.time_s));
    assert_true(t.time_s > 0.0);
}

static void test_shared_b(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    roof_gemm g = shape(7, 333, 4096, 1024, ROOF_DT_BF16);
    g.shared_b = 1;
    roof_gemm_time t = run_ok(&hw, &g, 0);
    /* B = 2*(7*333*4096 + 4096*1024 + 7*333*1024) = 2*(9547776 + 4194304 + 2386944)
     * = 32258048 */
    check_rel(t.bytes, 32258048.0, 1e-15, "shared bytes");
    /* F unchanged: 2*7*333*4096*1024 = 19553845248 */
    check_rel(t.flops, 19553845248.0, 1e-15, "shared flops");

    g.shared_b = 0;
    t = run_ok(&hw, &g, 0);
    /* B = 2*7*(333*4096 + 4096*1024 + 333*1024) = 82589696 */
    check_rel(t.bytes, 82589696.0, 1e-15, "unshared bytes");
}

static void test_no_peak(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.compute[ROOF_DT_FP8] = 0.0;
    roof_gemm g = shape(1, 4096, 4096, 4096, ROOF_DT_FP8);
    roof_gemm_time t;
    roof_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(roof_gemm_time_of(&hw, &g, 0, &t, &err), ROOF_ERR_RUNTIME);
    assert_int_equal(err.code, ROOF_ERR_RUNTIME);
    assert_string_equal(err.msg, "'synthetic' has no fp8 peak (hw.compute.fp8 is not set)");
}

static void test_more_is_never_slower(void **state)
{
    (void)state;
    const double ms[] = {1, 7, 64, 1000, 100000};
    const double kn[] = {64, 1000, 8192};
    roof_hw base = synthetic();
    roof_hw fast_mem = synthetic();
    fast_mem.mem_bandwidth *= 2.0;
    roof_hw fast_peak = synthetic();
    fast_peak.compute[ROOF_DT_BF16] *= 2.0;
    for (int ideal = 0; ideal < 2; ideal++) {
        int flags = ideal ? ROOF_GEMM_IDEAL : 0;
        for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
            for (size_t j = 0; j < sizeof kn / sizeof kn[0]; j++) {
                for (size_t l = 0; l < sizeof kn / sizeof kn[0]; l++) {
                    roof_gemm g = shape(1, ms[i], kn[j], kn[l], ROOF_DT_BF16);
                    double t0 = run_ok(&base, &g, flags).time_s;
                    double tb = run_ok(&fast_mem, &g, flags).time_s;
                    double tp = run_ok(&fast_peak, &g, flags).time_s;
                    if (tb > t0)
                        fail_msg("m=%g k=%g n=%g ideal=%d: 2x bandwidth %.17g > %.17g", ms[i], kn[j], kn[l], ideal, tb,
                                 t0);
                    if (tp > t0)
                        fail_msg("m=%g k=%g n=%g ideal=%d: 2x peak %.17g > %.17g", ms[i], kn[j], kn[l], ideal, tp, t0);
                }
            }
        }
    }
}

/* hw.gemm.bw_units: 64 x 7168 x 2112 fp16 on the synthetic 128 x 256 tile
 * (cut to 64 rows): ceil(2112/256) = 9 tiles < 11.9, so A and B, 2 * (64*7168
 * + 7168*2112) = 31195136 B, stream at 9/11.9 of 2.385e12 * 0.83 B/s:
 * 2.0836504278469573e-5 s; C, 2 * 64 * 2112 = 270336 B, at the full rate:
 * 1.365643706903084e-7 s. Compute (bf16 peak raised to 1e18) is negligible. */
static void test_bw_units(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.compute[ROOF_DT_FP16] = 1e18;
    hw.gemm_bw_units = 11.9;
    roof_gemm g = shape(1, 64, 7168, 2112, ROOF_DT_FP16);
    roof_gemm_time t = run_ok(&hw, &g, 0);
    double bw = 2.385e12 * 0.83;
    check_rel(t.memory_time_s, 31195136.0 / (bw * 9.0 / 11.9) + 270336.0 / bw, 1e-12, "memory time, 9 tiles");
    check_rel(t.memory_time_s, 2.0836504278469573e-5 + 1.365643706903084e-7, 1e-12, "memory time, by hand");
    /* 12 tiles or more stream at the full rate: n = 3072. */
    g.n = 3072;
    t = run_ok(&hw, &g, 0);
    check_rel(t.memory_time_s, (2.0 * (64 * 7168 + 7168 * 3072) + 2.0 * 64 * 3072) / bw, 1e-12, "12 tiles");
}

/* hw.efficiency.fp8 (hw/hw.h roof_hw_eff): the fp8 and int8 GEMMs run at
 * their own fraction of the peak, 16-bit ones keep efficiency.compute, and
 * 0 falls back to it. By hand: 4096^3 fp8 on 132 units in 128 x 256 tiles
 * is 512 tiles, 4 waves (the 128 x 128 tiles' 8 waves issue the same), so
 * issued = 4 * 132 * 128 * 256 * 4096 MACs; compute = 2 * issued /
 * (1447.8e12 * 0.6173) = 1.5859e-4 s, far above the memory time (A and B
 * at 1 byte, C in bf16: 4 * 4096^2 B / (2.385e12 * 0.83) = 3.4e-5 s). */
static void test_fp8_efficiency(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.compute[ROOF_DT_FP8] = 1447.8e12;
    hw.compute[ROOF_DT_INT8] = 1447.8e12;
    hw.eff_fp8 = 0.6173;
    double issued = 4.0 * 132 * 128 * 256 * 4096;
    double want = 2.0 * issued / (1447.8e12 * 0.6173) + 4.7e-6;
    for (int flags = 0; flags <= ROOF_GEMM_TIME_ONLY; flags += ROOF_GEMM_TIME_ONLY) {
        roof_gemm g = shape(1, 4096, 4096, 4096, ROOF_DT_FP8);
        check_rel(run_ok(&hw, &g, flags).time_s, want, 1e-12, "fp8 at efficiency.fp8");
        g.dtype = ROOF_DT_INT8;
        /* int8 moves C at 1 byte, but the time is compute's: the same. */
        check_rel(run_ok(&hw, &g, flags).time_s, want, 1e-12, "int8 at efficiency.fp8");
        g.dtype = ROOF_DT_BF16;
        double want16 = 2.0 * issued / (723.9e12 * 0.7) + 4.7e-6;
        check_rel(run_ok(&hw, &g, flags).time_s, want16, 1e-12, "bf16 keeps efficiency.compute");
    }
    roof_kernel_time k;
    roof_error err;
    assert_int_equal(roof_roofline_time(&hw, 2.385e15, 1.0, ROOF_DT_FP8, 0, &k, &err), ROOF_OK);
    check_rel(k.compute_time_s, 2.385e15 / (1447.8e12 * 0.6173), 1e-12, "roofline fp8");
    /* The sustained derate (model/ops.c) scales both fractions. */
    hw.eff_sustained = 0.9137;
    roof_hw derated;
    const roof_hw *d = roof_ops_hw(&hw, &derated);
    check_rel(d->eff_fp8, 0.6173 * 0.9137, 1e-15, "sustained fp8");
    check_rel(d->eff_compute, 0.7 * 0.9137, 1e-15, "sustained compute");
    /* Absent: efficiency.compute, as before the key existed. */
    hw.eff_fp8 = 0.0;
    hw.eff_sustained = 0.0;
    roof_gemm g = shape(1, 4096, 4096, 4096, ROOF_DT_FP8);
    check_rel(run_ok(&hw, &g, ROOF_GEMM_TIME_ONLY).time_s, 2.0 * issued / (1447.8e12 * 0.7) + 4.7e-6, 1e-12,
              "fp8 without efficiency.fp8");
}

/* hw.gemm.library (hw/hw.h roof_hw_eff): a library's own fraction where
 * the profile sets it, else cuBLASLt's. The same 4096^3 GEMM as above
 * (issued = 4 * 132 * 128 * 256 * 4096 MACs, compute-bound) with
 * efficiency.fp8 = 0.6173 and deepgemm.fp8 = 0.7711:
 *   cuBLASLt fp8: 2 * issued / (1447.8e12 * 0.6173) + 4.7e-6 s
 *   DeepGEMM fp8: 2 * issued / (1447.8e12 * 0.7711) + 4.7e-6 s
 *   DeepGEMM bf16 (deepgemm.compute absent): cuBLASLt's 0.7
 *   CUTLASS fp8 (cutlass.* absent): cuBLASLt's 0.6173. */
static void test_library_efficiency(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.compute[ROOF_DT_FP8] = 1447.8e12;
    hw.eff_fp8 = 0.6173;
    hw.eff_library[ROOF_GEMM_LIB_DEEPGEMM][1] = 0.7711;
    double issued = 4.0 * 132 * 128 * 256 * 4096;
    roof_gemm g = shape(1, 4096, 4096, 4096, ROOF_DT_FP8);
    for (int flags = 0; flags <= ROOF_GEMM_TIME_ONLY; flags += ROOF_GEMM_TIME_ONLY) {
        hw.gemm_library = ROOF_GEMM_LIB_CUBLASLT;
        g.dtype = ROOF_DT_FP8;
        check_rel(run_ok(&hw, &g, flags).time_s, 2.0 * issued / (1447.8e12 * 0.6173) + 4.7e-6, 1e-12, "cublaslt fp8");
        hw.gemm_library = ROOF_GEMM_LIB_DEEPGEMM;
        check_rel(run_ok(&hw, &g, flags).time_s, 2.0 * issued / (1447.8e12 * 0.7711) + 4.7e-6, 1e-12, "deepgemm fp8");
        g.dtype = ROOF_DT_BF16;
        check_rel(run_ok(&hw, &g, flags).time_s, 2.0 * issued / (723.9e12 * 0.7) + 4.7e-6, 1e-12,
                  "deepgemm bf16 falls back to efficiency.compute");
        hw.gemm_library = ROOF_GEMM_LIB_CUTLASS;
        g.dtype = ROOF_DT_FP8;
        check_rel(run_ok(&hw, &g, flags).time_s, 2.0 * issued / (1447.8e12 * 0.6173) + 4.7e-6, 1e-12,
                  "cutlass fp8 falls back to efficiency.fp8");
    }
    hw.gemm_library = ROOF_GEMM_LIB_DEEPGEMM;
    assert_string_equal(roof_hw_eff_path(&hw, ROOF_DT_FP8), "hw.efficiency.deepgemm.fp8");
    assert_string_equal(roof_hw_eff_path(&hw, ROOF_DT_BF16), "hw.efficiency.compute");
    hw.gemm_library = ROOF_GEMM_LIB_CUBLASLT;
    assert_string_equal(roof_hw_eff_path(&hw, ROOF_DT_FP8), "hw.efficiency.fp8");
    /* The sustained derate scales a library's fraction too. */
    hw.eff_sustained = 0.9137;
    roof_hw derated;
    const roof_hw *d = roof_ops_hw(&hw, &derated);
    check_rel(d->eff_library[ROOF_GEMM_LIB_DEEPGEMM][1], 0.7711 * 0.9137, 1e-15, "sustained deepgemm fp8");
    /* The setting by name, as a profile or --set writes it. */
    const roof_param *p = roof_param_find(&roof_hw_params, "hw.gemm.library");
    assert_non_null(p);
    assert_int_equal(roof_param_choice(p, "deepgemm"), ROOF_GEMM_LIB_DEEPGEMM);
    assert_int_equal(roof_param_choice(p, "cublas"), -1);
}

/* hw.gemm.unaligned (cuBLAS "Tensor Core Usage": leading dimensions in
 * multiples of 16 bytes): k = 4095 in bf16 is 8190 bytes, not a multiple
 * of 16, so the rate is times 0.6173; k = 4096 (8192 bytes) keeps it; an
 * fp8 n = 2145 (2145 bytes) misses it too (Azure's 1024 x 2145 x 1024). By
 * hand as in test_fp8_efficiency: 4 waves of 132 128 x 256 tiles. */
static void test_unaligned(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.gemm_unaligned = 0.6173;
    for (int flags = 0; flags <= ROOF_GEMM_TIME_ONLY; flags += ROOF_GEMM_TIME_ONLY) {
        roof_gemm g = shape(1, 4096, 4095, 4096, ROOF_DT_BF16);
        double want = 2.0 * (4.0 * 132 * 128 * 256 * 4095) / (723.9e12 * 0.7 * 0.6173) + 4.7e-6;
        check_rel(run_ok(&hw, &g, flags).time_s, want, 1e-12, "k = 4095 bf16");
        g.k = 4096;
        want = 2.0 * (4.0 * 132 * 128 * 256 * 4096) / (723.9e12 * 0.7) + 4.7e-6;
        check_rel(run_ok(&hw, &g, flags).time_s, want, 1e-12, "k = 4096 bf16");
    }
    roof_gemm a = shape(1, 1024, 1024, 2145, ROOF_DT_FP8), b = shape(1, 1024, 1024, 2144, ROOF_DT_FP8);
    assert_false(roof_gemm_aligned(&a));
    assert_true(roof_gemm_aligned(&b));
    /* Absent: no penalty, as before the key existed. */
    hw.gemm_unaligned = 0.0;
    roof_gemm g = shape(1, 4096, 4095, 4096, ROOF_DT_BF16);
    check_rel(run_ok(&hw, &g, ROOF_GEMM_TIME_ONLY).time_s,
              2.0 * (4.0 * 132 * 128 * 256 * 4095) / (723.9e12 * 0.7) + 4.7e-6, 1e-12, "no penalty when absent");
}

/* The optional terms are absent from the GPU profiles that predate them,
 * and their neutral values change no bit of Get_Time. */
static void test_gpu_profiles_unchanged(void **state)
{
    (void)state;
    const char *names[] = {"a100-sxm", "b200", "gb200", "h100-sxm", "h200", "mi300x"};
    const double shapes[][3] = {{1, 8192, 8192}, {4096, 4096, 4096}, {802816, 768, 192}, {333, 777, 1001}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        roof_hw hw;
        roof_error err;
        assert_int_equal(roof_hw_load(names[i], &hw, &err), ROOF_OK);
        assert_true(hw.gemm_pack == 0.0 && hw.gemm_block_k == 0.0 && hw.gemm_threads == 0 &&
                    hw.gemm_serial_mnk == 0.0 && hw.gemm_epilogue == 0.0 && hw.gemm_bw_units == 0.0);
        roof_hw neutral = hw;
        neutral.gemm_pack = 1.0;  /* A and B read once */
        neutral.gemm_threads = 1; /* one thread: the serial rule never applies */
        for (size_t j = 0; j < sizeof shapes / sizeof shapes[0]; j++) {
            roof_gemm g = shape(1, shapes[j][0], shapes[j][1], shapes[j][2], ROOF_DT_BF16);
            for (int flags = 0; flags <= ROOF_GEMM_TIME_ONLY; flags += ROOF_GEMM_TIME_ONLY) {
                roof_gemm_time a = run_ok(&hw, &g, flags), b = run_ok(&neutral, &g, flags);
                if (a.time_s != b.time_s || a.bytes != b.bytes)
                    fail_msg("%s %g x %g x %g: %.17g != %.17g", names[i], g.m, g.k, g.n, a.time_s, b.time_s);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compute_bound),  cmocka_unit_test(test_memory_bound_gemv),
        cmocka_unit_test(test_ridge_ideal),    cmocka_unit_test(test_wasted_wave),
        cmocka_unit_test(test_split_k),        cmocka_unit_test(test_ideal_exact),
        cmocka_unit_test(test_overflow_dims),  cmocka_unit_test(test_shared_b),
        cmocka_unit_test(test_no_peak),        cmocka_unit_test(test_more_is_never_slower),
        cmocka_unit_test(test_bw_units),       cmocka_unit_test(test_gpu_profiles_unchanged),
        cmocka_unit_test(test_fp8_efficiency), cmocka_unit_test(test_library_efficiency),
        cmocka_unit_test(test_unaligned),      cmocka_unit_test(test_stream_k),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
