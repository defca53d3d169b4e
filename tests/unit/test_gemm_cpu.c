/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Get_Time's CPU BLAS terms (hw/gemm_cpu.c, through hw/gemm.c): OpenBLAS's
 * packing and C traffic, its serial threshold and serial kernel, the DRAM
 * share beyond the cache, its split over threads, and the epilogue that
 * does not overlap the main loop, on a CPU-like profile (no quantization,
 * fp64) derived from the synthetic one, against values worked out by hand
 * (python3 as a calculator). The GPU roofline: tests/unit/test_gemm.c. */
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
#include "synthetic_hw.h"
#include "check.h"
#include "gemm_run.h"

/* A CPU-like profile (validation/host_fit.c): no quantization, fp64. */
static roof_hw cpu_like(void)
{
    roof_hw hw = synthetic();
    hw.compute[ROOF_DT_FP64] = 37.9e9;
    hw.mem_bandwidth = 11.3e9;
    hw.eff_compute = hw.eff_memory = 1.0;
    hw.tile_m = hw.tile_n = hw.units = 1;
    hw.kernel_overhead = 2.7e-6;
    return hw;
}

/* OpenBLAS's traffic (hw.gemm.pack, hw.gemm.block_k). 1000 x 600 x 70
 * fp64, pack 3.17, KC 256: A and B 3.17 * 8 * (1000*600 + 600*70) =
 * 16281120 B; C 8 * 1000*70 * (1 + 2 * ceil(600/256) = 7) = 3920000 B;
 * 20201120 B / 11.3e9 B/s = 1.7877097345132744e-3 s. The peak is raised
 * to 37.9 TFLOP/s so that the 84 MFLOP (2.2 us) leave it memory-bound. */
static void test_cpu_traffic(void **state)
{
    (void)state;
    roof_hw hw = cpu_like();
    hw.compute[ROOF_DT_FP64] = 37.9e12;
    hw.gemm_pack = 3.17;
    hw.gemm_block_k = 256.0;
    roof_gemm g = shape(1, 1000, 600, 70, ROOF_DT_FP64);
    roof_gemm_time t = run_ok(&hw, &g, 0);
    check_rel(t.bytes, 20201120.0, 1e-15, "bytes with packing and C per KC block");
    check_rel(t.memory_time_s, 1.7877097345132744e-3, 1e-12, "memory time");
    check_rel(t.time_s, 1.7877097345132744e-3 + 2.7e-6, 1e-12, "time");
    /* k = 256 is one KC block (3 passes of C), 257 two (5). */
    g.k = 256;
    check_rel(run_ok(&hw, &g, 0).bytes, 3.17 * 8 * (1000 * 256 + 256 * 70) + 8.0 * 1000 * 70 * 3, 1e-15, "k = KC");
    g.k = 257;
    check_rel(run_ok(&hw, &g, 0).bytes, 3.17 * 8 * (1000 * 257 + 257 * 70) + 8.0 * 1000 * 70 * 5, 1e-15, "k = KC + 1");
    /* The hot path agrees. */
    check_rel(run_ok(&hw, &g, ROOF_GEMM_TIME_ONLY).time_s, run_ok(&hw, &g, 0).time_s, 1e-15, "hot path");
}

/* OpenBLAS's serial threshold (hw.gemm.threads, hw.gemm.serial_mnk): 64^3
 * = 262144 runs on one of 3 threads without the overhead: 2 * 262144 * 3 /
 * 37.9e9 = 4.150036939313984e-5 s; 65 x 64 x 64 = 266240 > 262144 runs
 * threaded: 2 * 266240 / 37.9e9 + 2.7e-6 = 1.6749604221635885e-5 s. */
static void test_cpu_serial(void **state)
{
    (void)state;
    roof_hw hw = cpu_like();
    hw.mem_bandwidth = 1e18; /* compute-bound */
    hw.gemm_threads = 3;
    hw.gemm_serial_mnk = 262144.0;
    roof_gemm g = shape(1, 64, 64, 64, ROOF_DT_FP64);
    check_rel(run_ok(&hw, &g, 0).time_s, 4.150036939313984e-5, 1e-12, "serial 64^3");
    check_rel(run_ok(&hw, &g, ROOF_GEMM_TIME_ONLY).time_s, 4.150036939313984e-5, 1e-12, "serial, hot path");
    g.m = 65;
    check_rel(run_ok(&hw, &g, 0).time_s, 1.6749604221635885e-5, 1e-12, "threaded 65x64x64");
}

/* hw.gemm.cache and hw.gemm.dram_bandwidth: test_cpu_traffic's GEMM with a
 * 1.9e6 B cache. Its footprint, 8 * (1000*600 + 600*70 + 1000*70) =
 * 5696000 B, misses by 1 - 1.9e6 / 5696000 = 0.66643258426966...; that
 * share of A and B once, 8 * 642000 = 5136000 B, and of C's 7 passes,
 * 3920000 B, moves at 7.93e9 B/s: 7.610609688708785e-4 s, added to
 * 1.7877097345132744e-3 s and the 2.7 us overhead. A cache the footprint
 * fits in adds nothing. */
static void test_cpu_dram(void **state)
{
    (void)state;
    roof_hw hw = cpu_like();
    hw.compute[ROOF_DT_FP64] = 37.9e12;
    hw.gemm_pack = 3.17;
    hw.gemm_block_k = 256.0;
    hw.gemm_cache = 1.9e6;
    hw.gemm_dram_bw = 7.93e9;
    roof_gemm g = shape(1, 1000, 600, 70, ROOF_DT_FP64);
    roof_gemm_time t = run_ok(&hw, &g, 0);
    check_rel(t.memory_time_s, 1.7877097345132744e-3, 1e-12, "in-cache memory time unchanged");
    check_rel(t.time_s, 2.551470703384153e-3, 1e-12, "time with the DRAM share");
    check_rel(run_ok(&hw, &g, ROOF_GEMM_TIME_ONLY).time_s, t.time_s, 1e-15, "hot path");
    roof_gemm_cpu parts;
    roof_gemm_cpu_parts(&hw, &g, &parts);
    check_rel(parts.dram_s, 7.610609688708785e-4, 1e-12, "DRAM term for --explain");
    assert_true(parts.epilogue_s == 0.0 && parts.a_threads == 1.0 && parts.b_threads == 1.0 && !parts.one_thread);
    hw.gemm_cache = 5696000.0;
    check_rel(run_ok(&hw, &g, 0).time_s, 1.7877097345132744e-3 + 2.7e-6, 1e-12, "footprint fits");
    /* Without a DRAM bandwidth (only --set can leave it so) there is no term. */
    hw.gemm_cache = 1.9e6;
    hw.gemm_dram_bw = 0.0;
    check_rel(run_ok(&hw, &g, 0).time_s, 1.7877097345132744e-3 + 2.7e-6, 1e-12, "no DRAM bandwidth");
}

/* hw.gemm.serial_bandwidth and serial_ridge: on 3 threads with ridge 1
 * (the sum), 64^3 fp64 runs on one thread at its own 5.1e9 B/s and r = 2:
 * compute 2 * 262144 * 3 / 37.9e9 = 4.150036939313984e-5 s, memory
 * 98304 B / 5.1e9 = 1.9275294117647057e-5 s, sqrt of the squares
 * 4.57582519671464e-5 s, no overhead; 65 x 64 x 64 runs threaded: compute
 * 1.4049604221635884e-5 s plus memory 99328 B / 11.3e9 =
 * 8.790088495575221e-6 s plus 2.7 us = 2.5539692717211105e-5 s. */
static void test_cpu_serial_kernel(void **state)
{
    (void)state;
    roof_hw hw = cpu_like();
    hw.gemm_threads = 3;
    hw.gemm_serial_mnk = 262144.0;
    hw.gemm_ridge = 1.0;
    hw.gemm_serial_bw = 5.1e9;
    hw.gemm_serial_ridge = 2.0;
    roof_gemm g = shape(1, 64, 64, 64, ROOF_DT_FP64);
    check_rel(run_ok(&hw, &g, 0).time_s, 4.57582519671464e-5, 1e-12, "serial 64^3");
    check_rel(run_ok(&hw, &g, ROOF_GEMM_TIME_ONLY).time_s, 4.57582519671464e-5, 1e-12, "serial, hot path");
    g.m = 65;
    check_rel(run_ok(&hw, &g, 0).time_s, 2.5539692717211105e-5, 1e-12, "threaded 65x64x64");
}

/* hw.gemm.switch_ratio: OpenBLAS 0.3.21's split over threads (hw/gemm.c,
 * split_of), pack 3.17, KC 256, fp64, by hand:
 * - 2 threads, 4096 x 4096 x 4: n = 4 >= 2 x 2 splits n over both
 *   threads (t_m = 2), m = 4096 gives t_n = min(ceil(4096 / 4), 2 / 2) = 1:
 *   A moves twice: 3.17 * 8 * (2 * 4096*4096 + 4096*4) + 8 * 4096*4 * 33
 *   = 855681269.76 B;
 * - 4096 x 4096 x 3: n < 4, t_m = 1, t_n = min(ceil(4096 / 2), 2) = 2: B
 *   moves twice: 3.17 * 8 * (4096*4096 + 2 * 4096*3) + 8 * 4096*3 * 33 =
 *   429337477.12 B;
 * - 16 threads, 100 x 500 x 40: t_m = 16 (40 >= 16 x 2), t_n = 1 (4 groups
 *   would need 64 threads): 3.17 * 8 * (16 * 50000 + 20000) + 8 * 4000 * 5
 *   = 20955200 B; 100 x 500 x 20: t_m halves to 8 (20 < 16 x 2), t_n =
 *   min(ceil(100 / 16), 16 / 8) = 2: 3.17 * 8 * (8 * 50000 + 2 * 10000) +
 *   8 * 2000 * 5 = 10731200 B;
 * - 2 threads, 1 x 10^6 x 3: t_m = t_n = 1: one thread, as below the serial
 *   threshold: 2 * 3e6 * 2 / 37.9e9 s of compute, no overhead. */
static void test_cpu_split(void **state)
{
    (void)state;
    roof_hw hw = cpu_like();
    hw.gemm_pack = 3.17;
    hw.gemm_block_k = 256.0;
    hw.gemm_threads = 2;
    hw.gemm_serial_mnk = 262144.0;
    hw.gemm_switch_ratio = 2;
    roof_gemm g = shape(1, 4096, 4096, 4, ROOF_DT_FP64);
    check_rel(run_ok(&hw, &g, 0).bytes, 855681269.76, 1e-15, "n split: A twice");
    g.n = 3;
    check_rel(run_ok(&hw, &g, 0).bytes, 429337477.12, 1e-15, "m split: B twice");
    hw.gemm_switch_ratio = 0;
    check_rel(run_ok(&hw, &g, 0).bytes, 3.17 * 8 * (4096.0 * 4096 + 4096 * 3) + 8.0 * 4096 * 3 * 33, 1e-15,
              "no split modelled");
    hw.gemm_threads = 16;
    hw.gemm_switch_ratio = 2;
    g = shape(1, 100, 500, 40, ROOF_DT_FP64);
    check_rel(run_ok(&hw, &g, 0).bytes, 20955200.0, 1e-15, "16 threads over n");
    g.n = 20;
    check_rel(run_ok(&hw, &g, 0).bytes, 10731200.0, 1e-15, "8 x 2 threads");
    hw.gemm_threads = 2;
    hw.mem_bandwidth = 1e18; /* compute-bound */
    g = shape(1, 1, 1e6, 3, ROOF_DT_FP64);
    assert_true(roof_gemm_serial(&hw, &g));
    check_rel(run_ok(&hw, &g, 0).time_s, 2.0 * 3e6 * 2 / 37.9e9, 1e-12, "one thread left");
    check_rel(run_ok(&hw, &g, ROOF_GEMM_TIME_ONLY).time_s, 2.0 * 3e6 * 2 / 37.9e9, 1e-12, "hot path");
}

/* hw.gemm.epilogue: compute-bound 1000^3 fp16 on tile 1 (no quantization),
 * P 1e12, BW 1e12, overhead 0: compute 2e9 / 1e12 = 2e-3 s; C = 2e6 B,
 * 2e-6 s, of which 0.4 after the main loop: 8e-7 s added;
 * time 2.0008e-3 s. */
static void test_epilogue(void **state)
{
    (void)state;
    roof_hw hw = cpu_like();
    hw.compute[ROOF_DT_FP16] = 1e12;
    hw.mem_bandwidth = 1e12;
    hw.kernel_overhead = 0.0;
    hw.gemm_epilogue = 0.4;
    roof_gemm g = shape(1, 1000, 1000, 1000, ROOF_DT_FP16);
    roof_gemm_time t = run_ok(&hw, &g, 0);
    check_rel(t.memory_time_s, 6e-6 - 8e-7, 1e-12, "overlapped memory time");
    check_rel(t.time_s, 2.0008e-3, 1e-12, "time");
    check_rel(run_ok(&hw, &g, ROOF_GEMM_TIME_ONLY).time_s, 2.0008e-3, 1e-12, "hot path");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_traffic),       cmocka_unit_test(test_cpu_serial), cmocka_unit_test(test_cpu_dram),
        cmocka_unit_test(test_cpu_serial_kernel), cmocka_unit_test(test_cpu_split),  cmocka_unit_test(test_epilogue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
