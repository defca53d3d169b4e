/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stream-K tail of persistent kernels (hw/gemm.c stream_k_tail,
 * hw.gemm.stream_k_tail): CUTLASS's sm90 heuristic, worked out by hand on
 * the synthetic profile (synthetic_hw.h: 132 units, 128 x 256 tiles, 723.9
 * TFLOP/s at 0.7, 2.385 TB/s at 0.83, 4.7 us per kernel): where it applies (a last wave
 * under half full, more than 8 k-tiles of 64 per tile), what it issues
 * (the waves before the last full one data-parallel, the rest spread over
 * the units in k-tiles) and its fixup (one fp32 partial tile written and
 * read per stream-K unit); where it does not, the time is the one without
 * it, bit for bit. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"

#include "hw/gemm.h"
#include "hw/profile.h"
#include "synthetic_hw.h"

static roof_hw with_tail(int stream_k, int tail)
{
    roof_hw hw = synthetic();
    hw.gemm_stream_k = stream_k;
    hw.gemm_stream_k_tail = tail;
    return hw;
}

static roof_gemm_time timed(const roof_hw *hw, double m, double k, double n, int flags)
{
    roof_gemm g = {1, m, k, n, ROOF_DT_BF16, 0, 0.0};
    roof_gemm_time t;
    roof_error err;
    if (roof_gemm_time_of(hw, &g, flags, &t, &err) != ROOF_OK)
        fail_msg("%s", err.msg);
    return t;
}

#define RATE (723.9e12 * 0.7)
#define BW (2.385e12 * 0.83)
/* One fp32 128 x 256 partial tile written and read per stream-K unit, at
 * the memory bandwidth: 2 x 4 x 32768 bytes x units. */
#define FIXUP_S(units) (2.0 * 4.0 * 128.0 * 256.0 * (units) / BW)

/* 71 x 2 = 142 tiles of 128 x 256 (m 9088, n 512), k 16384: one full wave
 * and a tail of 10 (under 66): no data-parallel wave, the 142 tiles' 256
 * k-tiles each over min(132, 142 x 256 / 8) = 132 units, ceil(142 x 256 /
 * 132) = 276 k-tiles of 64 each. Compute-bound (the operands' 323.88 MB
 * take 163.6 us, the loop 301.5 us). Without the tail: 3 waves of
 * half-width tiles (284 tiles of 128 x 128; the full width takes 2 waves
 * of twice the work). */
static void test_one_wave_and_tail(void **state)
{
    (void)state;
    roof_hw on = with_tail(1, 1), off = with_tail(1, 0);
    roof_gemm_time t = timed(&on, 9088, 16384, 512, 0);
    double issued = 132.0 * 128 * 256 * 276 * 64;
    check_rel(t.compute_time_s, 2.0 * issued / RATE, 1e-12, "compute");
    check_rel(t.memory_time_s, 2.0 * (9088.0 * 16384 + 16384.0 * 512 + 9088.0 * 512) / BW, 1e-12, "memory");
    check_rel(t.waves, 142.0 / 132.0, 1e-15, "waves");
    check_rel(t.time_s, 2.0 * issued / RATE + 4.7e-6 + FIXUP_S(132), 1e-12, "time");
    roof_gemm_time d = timed(&off, 9088, 16384, 512, 0);
    assert_true(d.waves == 3.0);
    check_rel(d.time_s, 2.0 * 3 * 132 * 128 * 128 * 16384 / RATE + 4.7e-6, 1e-12, "data-parallel time");
    /* The model's hot path (ROOF_GEMM_TIME_ONLY) gives the same time. */
    check_rel(timed(&on, 9088, 16384, 512, ROOF_GEMM_TIME_ONLY).time_s, t.time_s, 1e-15, "hot path");
}

/* 137 x 2 = 274 tiles: two full waves and a tail of 10, so one wave stays
 * data-parallel and 142 tiles go stream-K, as above. */
static void test_data_parallel_waves_before(void **state)
{
    (void)state;
    roof_hw on = with_tail(1, 1);
    roof_gemm_time t = timed(&on, 17536, 16384, 512, 0);
    double issued = 132.0 * 128 * 256 * 16384 + 132.0 * 128 * 256 * 276 * 64;
    check_rel(t.compute_time_s, 2.0 * issued / RATE, 1e-12, "compute");
    check_rel(t.waves, 1.0 + 142.0 / 132.0, 1e-15, "waves");
    check_rel(t.time_s, 2.0 * issued / RATE + 4.7e-6 + FIXUP_S(132), 1e-12, "time");
}

/* Where the heuristic keeps data-parallel waves, the time is the one
 * without the tail: a tail of 66 tiles (half the units: not under half),
 * 8 k-tiles per tile (k 512: not more than 8), no full wave at any tile
 * width (m 128, n 256: 1 to 16 tiles, split-K as before), a tail dearer
 * than the data-parallel waves (m 9088, n 512, k 1024: 3 half-width
 * waves take 26.2 us of multiply-adds; the tail 19.7 us plus its fixup, 2
 * x 4 x 32768 B x 132 / 1.980 TB/s = 17.5 us), and the tail without
 * stream-K's fixup. */
static void test_where_not(void **state)
{
    (void)state;
    roof_hw on = with_tail(1, 1), off = with_tail(1, 0), tail_only = with_tail(0, 1), none = with_tail(0, 0);
    const double shapes[][3] = {{12672, 16384, 512}, {9088, 512, 512}, {128, 16384, 256}, {9088, 1024, 512}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        roof_gemm_time a = timed(&on, shapes[i][0], shapes[i][1], shapes[i][2], 0);
        roof_gemm_time b = timed(&off, shapes[i][0], shapes[i][1], shapes[i][2], 0);
        assert_true(a.time_s == b.time_s && a.waves == b.waves);
    }
    roof_gemm_time a = timed(&tail_only, 9088, 16384, 512, 0), b = timed(&none, 9088, 16384, 512, 0);
    assert_true(a.time_s == b.time_s && a.waves == b.waves);
}

/* The shipped Hopper and Blackwell profiles set it; A100's and MI300X's
 * do not (docs/validation.md). */
static void test_profiles(void **state)
{
    (void)state;
    const char *on[] = {"h100-sxm", "h200", "h800", "b200", "gb200"}, *off[] = {"a100-sxm", "mi300x"};
    roof_hw hw;
    roof_error err;
    for (size_t i = 0; i < sizeof on / sizeof on[0]; i++) {
        assert_int_equal(roof_hw_load(on[i], &hw, &err), ROOF_OK);
        assert_true(hw.gemm_stream_k && hw.gemm_stream_k_tail);
    }
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
        assert_int_equal(roof_hw_load(off[i], &hw, &err), ROOF_OK);
        assert_false(hw.gemm_stream_k_tail);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_wave_and_tail),
        cmocka_unit_test(test_data_parallel_waves_before),
        cmocka_unit_test(test_where_not),
        cmocka_unit_test(test_profiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
