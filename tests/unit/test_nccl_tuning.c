/* SPDX-License-Identifier: GPL-3.0-or-later */
/* NCCL's tuning model (hw/nccl_tuning.c) against values worked out by hand
 * from NVIDIA/nccl v2.27.7-1 src/graph/tuning.cc (the tables and formulas
 * restated in each comment). One case per algorithm and protocol on a
 * Hopper node (8 GPUs, 12 ring channels of 30 GB/s, 8 NVLS channels of
 * 40 GB/s), plus the per-architecture caps of Ampere and Blackwell. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hw/nccl_tuning.h"

static const roof_nccl_topo hopper = {ROOF_NCCL_ARCH_HOPPER, 8, 12, 30.0, 8, 40.0};

static void check_rel(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * fabs(want)))
        fail_msg("%s: got %.17g, want %.17g (rel tol %g)", what, got, want, tol);
}

static roof_nccl_cost cost(const roof_nccl_topo *t, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p)
{
    roof_nccl_cost c;
    if (!roof_nccl_cost_of(t, f, a, p, &c))
        fail_msg("algo %d proto %d not offered", (int)a, (int)p);
    return c;
}

static void test_ring_all_reduce(void **state)
{
    (void)state;
    /* nsteps = 2(8-1) = 14; busBw = 12 x 30 = 360 GB/s; algbw = bus x 8/14.
     * LL: lat 6.6 + 14 x 0.6 = 15.0 us; bus = min(llMaxBw 141, 360 x .5 = 180)
     * = 141; 141 x 8/14 = 80.571428571428571. */
    roof_nccl_cost c = cost(&hopper, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.lat_us, 15.0, 1e-12, "ring LL lat");
    check_rel(c.bw_gbs, 80.571428571428571, 1e-12, "ring LL bw");
    /* LL128: lat 14.0 + 14 x 1.9 = 40.6 us; bus = min(360 x .92 = 331.2,
     * 12 x 36.7 = 440.4) = 331.2; x 8/14 = 189.25714285714286. */
    c = cost(&hopper, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL128);
    check_rel(c.lat_us, 40.6, 1e-12, "ring LL128 lat");
    check_rel(c.bw_gbs, 189.25714285714286, 1e-12, "ring LL128 bw");
    /* Simple: lat 8.4 + 14 x 3.4 = 56.0 us; bw 360 x 8/14 = 205.71428571428571. */
    c = cost(&hopper, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 56.0, 1e-12, "ring Simple lat");
    check_rel(c.bw_gbs, 205.71428571428571, 1e-12, "ring Simple bw");
    /* time of 1 MiB by Simple: 56 us + 1048576 / 205.714e9 = 56 + 5.0972444 us
     * = 61.097244444444 us. */
    check_rel(roof_nccl_time_s(&c, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 1048576.0),
              61.097244444444444e-6, 1e-12, "ring Simple 1 MiB");
}

static void test_tree_all_reduce(void **state)
{
    (void)state;
    /* busBw = min(360 x .92 = 331.2, 12 x perChMaxTreeBw 38.7 = 464.4) = 331.2;
     * algbw = bus / 2. Latency: 2 (8 - 1) hops.
     * LL: lat 6.8 + 14 x 0.6 = 15.2; bus min(331.2 / 3.8, 141) = 87.157894736842105;
     * / 2 = 43.578947368421053. */
    roof_nccl_cost c = cost(&hopper, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_LL);
    check_rel(c.lat_us, 15.2, 1e-12, "tree LL lat");
    check_rel(c.bw_gbs, 43.578947368421053, 1e-12, "tree LL bw");
    /* LL128: lat 14 + 14 x 1.25 = 31.5; bus min(331.2 x 7/9 = 257.6, 12 x 36.7) = 257.6;
     * / 2 = 128.8. */
    c = cost(&hopper, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_LL128);
    check_rel(c.lat_us, 31.5, 1e-12, "tree LL128 lat");
    check_rel(c.bw_gbs, 128.8, 1e-12, "tree LL128 bw");
    /* Simple: lat 8.4 + 14 x 4.0 = 64.4; bw 331.2 / 2 = 165.6. At 64 MiB the
     * correction is treeCorrectionFactor[Simple][log2(2^26 / 64) = 20] = 0.8:
     * 64.4 us + 67108864 / (165.6e9 x 0.8) = 64.4 + 506.55845410628 us. */
    c = cost(&hopper, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 64.4, 1e-12, "tree Simple lat");
    check_rel(c.bw_gbs, 165.6, 1e-12, "tree Simple bw");
    check_rel(roof_nccl_time_s(&c, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_SIMPLE, 67108864.0),
              570.95845410628020e-6, 1e-12, "tree Simple 64 MiB");
}

static void test_nvls(void **state)
{
    (void)state;
    /* All-reduce: bus = 8 x min(40, 40) = 320; x 5/6 = 266.66666666666667;
     * latency hwLat[NVLINK][NVLS][Simple] = 25 us. */
    roof_nccl_cost c = cost(&hopper, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 25.0, 1e-12, "nvls lat");
    check_rel(c.bw_gbs, 266.66666666666667, 1e-12, "nvls bw");
    /* All-gather: bw per channel min(40 x 7/8 = 35, 40 x 0.9 = 36) = 35;
     * 8 x 35 = 280, no bus-to-algorithm ratio for NVLS all-gather. */
    c = cost(&hopper, ROOF_NCCL_ALL_GATHER, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 280.0, 1e-12, "nvls all_gather bw");
    /* NVLS is Simple only; Ampere has none. */
    roof_nccl_cost none;
    assert_int_equal(roof_nccl_cost_of(&hopper, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS, ROOF_NCCL_LL, &none), 0);
    roof_nccl_topo ampere = {ROOF_NCCL_ARCH_AMPERE, 8, 12, 20.0, 8, 40.0};
    assert_int_equal(roof_nccl_cost_of(&ampere, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE, &none), 0);
}

static void test_other_functions(void **state)
{
    (void)state;
    /* All-gather ring: nsteps 7; LL lat 6.6 + 7 x 0.6 = 10.8; Simple bw
     * 360 x 8/7 = 411.42857142857143. */
    roof_nccl_cost c = cost(&hopper, ROOF_NCCL_ALL_GATHER, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.lat_us, 10.8, 1e-12, "all_gather LL lat");
    c = cost(&hopper, ROOF_NCCL_REDUCE_SCATTER, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 411.42857142857143, 1e-12, "reduce_scatter Simple bw");
    /* Broadcast ring on identical channels: one hop, 8.4 + 3.4 = 11.8 us;
     * nsteps = nRanks: bw 360 x 8/8 = 360. */
    c = cost(&hopper, ROOF_NCCL_BROADCAST, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 11.8, 1e-12, "broadcast lat");
    check_rel(c.bw_gbs, 360.0, 1e-12, "broadcast bw");
    roof_nccl_cost none;
    assert_int_equal(roof_nccl_cost_of(&hopper, ROOF_NCCL_ALL_GATHER, ROOF_NCCL_TREE, ROOF_NCCL_SIMPLE, &none), 0);
    assert_int_equal(roof_nccl_cost_of(&hopper, ROOF_NCCL_BROADCAST, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE, &none), 0);
}

static void test_architectures(void **state)
{
    (void)state;
    /* Ampere, 12 x 20 = 240: ring LL = min(87.7, 120) x 8/14 = 50.114285714285714. */
    roof_nccl_topo ampere = {ROOF_NCCL_ARCH_AMPERE, 8, 12, 20.0, 0, 0.0};
    roof_nccl_cost c = cost(&ampere, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.bw_gbs, 50.114285714285714, 1e-12, "ampere ring LL");
    /* Ampere ring LL128: min(240 x .92 = 220.8, 12 x 20 = 240) x 8/14 = 126.17142857142857. */
    c = cost(&ampere, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL128);
    check_rel(c.bw_gbs, 126.17142857142857, 1e-12, "ampere ring LL128");
    /* Blackwell, 16 x 45 = 720: ring LL = min(2 x 141 = 282, 360) x 8/14
     * = 161.14285714285714; tree Simple = min(662.4, 16 x 77.4 = 1238.4) / 2 = 331.2. */
    roof_nccl_topo bw = {ROOF_NCCL_ARCH_BLACKWELL, 8, 16, 45.0, 8, 90.0};
    c = cost(&bw, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.bw_gbs, 161.14285714285714, 1e-12, "blackwell ring LL");
    c = cost(&bw, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 331.2, 1e-12, "blackwell tree Simple");
    /* No architecture: nothing offered. */
    roof_nccl_topo none_t = {ROOF_NCCL_ARCH_NONE, 8, 12, 30.0, 0, 0.0};
    roof_nccl_cost none;
    assert_int_equal(roof_nccl_cost_of(&none_t, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, &none), 0);
}

static void test_tree_correction(void **state)
{
    (void)state;
    /* log2i(nBytes >> 6): 64 B -> 0 (LL 1.0, Simple .9); 2^17 B -> 11
     * (LL .5, LL128 .6, Simple .5); 2^29 B -> 23, past the table: 1. Below
     * 64 B log2i(0) = -1: no correction. */
    check_rel(roof_nccl_tree_correction(ROOF_NCCL_LL, 64.0), 1.0, 0.0, "LL 64");
    check_rel(roof_nccl_tree_correction(ROOF_NCCL_SIMPLE, 64.0), 0.9, 0.0, "Simple 64");
    check_rel(roof_nccl_tree_correction(ROOF_NCCL_LL, 131072.0), 0.5, 0.0, "LL 2^17");
    check_rel(roof_nccl_tree_correction(ROOF_NCCL_LL128, 131072.0), 0.6, 0.0, "LL128 2^17");
    check_rel(roof_nccl_tree_correction(ROOF_NCCL_SIMPLE, 536870912.0), 1.0, 0.0, "Simple 2^29");
    check_rel(roof_nccl_tree_correction(ROOF_NCCL_SIMPLE, 32.0), 1.0, 0.0, "Simple 32");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_all_reduce),
        cmocka_unit_test(test_tree_all_reduce),
        cmocka_unit_test(test_nvls),
        cmocka_unit_test(test_other_functions),
        cmocka_unit_test(test_architectures),
        cmocka_unit_test(test_tree_correction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
