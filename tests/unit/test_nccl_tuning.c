/* SPDX-License-Identifier: GPL-3.0-or-later */
/* NCCL's tuning model (hw/nccl_tuning.c) against values worked out by hand
 * from NVIDIA/nccl v2.27.7-1 src/graph/tuning.cc (NVLS inside one node:
 * v2.29.2-1's; the tables and formulas restated in each comment). One case per algorithm and protocol on a
 * Hopper node (8 GPUs, 12 ring channels of 30 GB/s, 8 NVLS channels of
 * 40 GB/s), plus the per-architecture caps of Ampere and Blackwell. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "check.h"

#include "hw/nccl_tuning.h"

static const roof_nccl_topo hopper = {ROOF_NCCL_ARCH_HOPPER, 8, 12, 30.0, 8, 40.0, 1, 0, 0.0, 0, 0, 0.0};

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
    check_rel(roof_nccl_time_s(&hopper, &c, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 1048576.0),
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
    check_rel(roof_nccl_time_s(&hopper, &c, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_SIMPLE, 67108864.0),
              570.95845410628020e-6, 1e-12, "tree Simple 64 MiB");
}

static void test_nvls(void **state)
{
    (void)state;
    /* Inside one node NVLS is NCCL v2.29.2-1's (tuning.cc lines 285-299,
     * 348): per channel bwIntra x nvlsEfficiency (Hopper 0.85) x (8-1)/8,
     * x 2 for all-reduce, at most bwInter (here unset: = bwIntra 40):
     * min(40 x .85 x 7/8 x 2 = 59.5, 40) = 40; bus 8 x 40 = 320; algorithm
     * bandwidth bus x nRanks/nsteps = 320 x 8/14 = 182.85714285714286;
     * latency hwLat[NVLINK][NVLS][Simple] = 25 us. */
    roof_nccl_cost c = cost(&hopper, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 25.0, 1e-12, "nvls lat");
    check_rel(c.bw_gbs, 182.85714285714286, 1e-12, "nvls bw");
    /* With the bwInter of 60 the search gives an H100 node: min(59.5, 60)
     * = 59.5; 8 x 59.5 x 8/14 = 272 (2.27.7: 8 x 40 x 5/6 = 266.67). */
    roof_nccl_topo h100 = hopper;
    h100.nvls_inter_bw = 60.0;
    c = cost(&h100, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 272.0, 1e-12, "nvls bw, bwInter 60");
    /* All-gather: per channel 40 x .85 x 7/8 x (8-1)/8 = 26.03125 (under
     * bwInter 40); 8 x 26.03125 = 208.25, no bus-to-algorithm ratio for
     * NVLS all-gather. */
    c = cost(&hopper, ROOF_NCCL_ALL_GATHER, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 208.25, 1e-12, "nvls all_gather bw");
    /* Blackwell (nvlsEfficiency 0.74), 8 channels of 90, bwInter 90:
     * min(90 x .74 x 7/8 x 2 = 116.55, 90) = 90; 720 x 8/14 =
     * 411.42857142857143 (2.27.7: 600). */
    roof_nccl_topo b200 = {ROOF_NCCL_ARCH_BLACKWELL, 8, 16, 45.0, 8, 90.0, 1, 0, 0.0, 0, 0, 90.0};
    c = cost(&b200, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 411.42857142857143, 1e-12, "blackwell nvls bw");
    /* NVLS is Simple only; Ampere has none. */
    roof_nccl_cost none;
    assert_int_equal(roof_nccl_cost_of(&hopper, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS, ROOF_NCCL_LL, &none), 0);
    roof_nccl_topo ampere = {ROOF_NCCL_ARCH_AMPERE, 8, 12, 20.0, 8, 40.0, 1, 0, 0.0, 0, 0, 0.0};
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
    roof_nccl_topo ampere = {ROOF_NCCL_ARCH_AMPERE, 8, 12, 20.0, 0, 0.0, 1, 0, 0.0, 0, 0, 0.0};
    roof_nccl_cost c = cost(&ampere, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.bw_gbs, 50.114285714285714, 1e-12, "ampere ring LL");
    /* Ampere ring LL128: min(240 x .92 = 220.8, 12 x 20 = 240) x 8/14 = 126.17142857142857. */
    c = cost(&ampere, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL128);
    check_rel(c.bw_gbs, 126.17142857142857, 1e-12, "ampere ring LL128");
    /* Blackwell, 16 x 45 = 720: ring LL = min(2 x 141 = 282, 360) x 8/14
     * = 161.14285714285714; tree Simple = min(662.4, 16 x 70.0 = 1120) / 2 = 331.2. */
    roof_nccl_topo bw = {ROOF_NCCL_ARCH_BLACKWELL, 8, 16, 45.0, 8, 90.0, 1, 0, 0.0, 0, 0, 0.0};
    c = cost(&bw, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.bw_gbs, 161.14285714285714, 1e-12, "blackwell ring LL");
    c = cost(&bw, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 331.2, 1e-12, "blackwell tree Simple");
    /* Blackwell's per-channel caps are NCCL 2.29.7's (hw/nccl_tuning.c):
     * across 2 nodes (8 network channels of 48 GB/s) the tree all-reduce
     * is min(384 x .92 = 353.28, 8 x 42.8 = 342.4) / 2 = 171.2; across 4,
     * min(353.28, 8 x 24.0 = 192) / 2 = 96 (2.27.7's twice-Hopper rows
     * gave 176.64 for both). Ring LL128 inside the node: min(720 x .92 =
     * 662.4, 16 x 40.0 = 640) x 8/14 = 365.71428571428571. */
    roof_nccl_topo bw2 = {ROOF_NCCL_ARCH_BLACKWELL, 16, 16, 45.0, 8, 90.0, 2, 8, 48.0, 0, 0, 0.0};
    c = cost(&bw2, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 171.2, 1e-12, "blackwell tree Simple, 2 nodes");
    bw2.ranks = 32;
    bw2.nodes = 4;
    c = cost(&bw2, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 96.0, 1e-12, "blackwell tree Simple, 4 nodes");
    c = cost(&bw, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL128);
    check_rel(c.bw_gbs, 365.71428571428571, 1e-12, "blackwell ring LL128");
    /* No architecture: nothing offered. */
    roof_nccl_topo none_t = {ROOF_NCCL_ARCH_NONE, 8, 12, 30.0, 0, 0.0, 1, 0, 0.0, 0, 0, 0.0};
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

/* Two Hopper nodes of 8 GPUs (16 ranks): the network graph has 8 channels
 * of 48 GB/s; column N2 of the tables, hwLat[NET], the 1 us Intel net
 * overhead (x3 for Simple) on each intra-node ring step. */
static const roof_nccl_topo two_nodes = {ROOF_NCCL_ARCH_HOPPER, 16, 12, 30.0, 8, 40.0, 2, 8, 48.0, 0, 0, 0.0};

static void test_ring_across_nodes(void **state)
{
    (void)state;
    /* nsteps = 2(16-1) = 30, of which 2(2-1) = 2 cross the network; busBw
     * = 8 x 48 = 384; ratio 16/30.
     * Simple: lat 8.4 + 28 x max(3.4, 3 x 1.0) + 2 x 14.0 = 8.4 + 95.2 + 28
     * = 131.6 us; bw 384 x 16/30 = 204.8. */
    roof_nccl_cost c = cost(&two_nodes, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 131.6, 1e-12, "2-node ring Simple lat");
    check_rel(c.bw_gbs, 204.8, 1e-12, "2-node ring Simple bw");
    /* 1 MiB: 1048576 / (8 ch x 16 ranks) = 8192 >= 64, so the plateau
     * factor 1.4: 131.6 x 1.4 = 184.24 us + 1048576 / 204.8e9 = 5.12 us ->
     * 189.36 us. 512 B: 512/128 = 4 < 64, no factor: 131.6 + 0.0025. */
    check_rel(roof_nccl_time_s(&two_nodes, &c, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 1048576.0),
              189.36e-6, 1e-12, "2-node ring Simple 1 MiB");
    check_rel(roof_nccl_time_s(&two_nodes, &c, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 512.0),
              131.6025e-6, 1e-12, "2-node ring Simple 512 B");
    /* LL: bus = min(llMaxBws Intel N2 39.0, 384 x .5) = 39 -> x 16/30 = 20.8;
     * lat 6.6 + 28 x max(.6, 1.0) + 2 x 2.7 = 40.0 us. */
    c = cost(&two_nodes, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.lat_us, 40.0, 1e-12, "2-node ring LL lat");
    check_rel(c.bw_gbs, 20.8, 1e-12, "2-node ring LL bw");
    /* LL128: bus = min(384 x .92 = 353.28, 8 x 36.7 = 293.6) = 293.6 x 16/30
     * = 156.58666...; lat 14.0 + 28 x 1.9 + 2 x 4.0 = 75.2 us. */
    c = cost(&two_nodes, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL128);
    check_rel(c.lat_us, 75.2, 1e-12, "2-node ring LL128 lat");
    check_rel(c.bw_gbs, 293.6 * 16.0 / 30.0, 1e-12, "2-node ring LL128 bw");
    /* All-gather: nsteps 15, 1 network step; Simple lat 8.4 + 14 x 3.4 +
     * 14.0 = 70.0 us; bw 384 x 16/15 = 409.6. */
    c = cost(&two_nodes, ROOF_NCCL_ALL_GATHER, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 70.0, 1e-12, "2-node ring all-gather lat");
    check_rel(c.bw_gbs, 409.6, 1e-12, "2-node ring all-gather bw");
}

static void test_tree_across_nodes(void **state)
{
    (void)state;
    /* busBw = min(384 x .92 = 353.28, 8 x perChMaxTreeBw N2 41.4 = 331.2) =
     * 331.2. Simple: x .5 = 165.6; lat 8.4 + 2 (7 x 4.0 + log2i(2) x 14) =
     * 8.4 + 84 = 92.4 us. */
    roof_nccl_cost c = cost(&two_nodes, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 92.4, 1e-12, "2-node tree Simple lat");
    check_rel(c.bw_gbs, 165.6, 1e-12, "2-node tree Simple bw");
    /* LL: min(331.2 / 3.8 = 87.16, 39.0) = 39 x .5 = 19.5; lat 6.8 + 2 (7 x
     * .6 + 5.0) = 25.2 us. */
    c = cost(&two_nodes, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_LL);
    check_rel(c.lat_us, 25.2, 1e-12, "2-node tree LL lat");
    check_rel(c.bw_gbs, 19.5, 1e-12, "2-node tree LL bw");
    /* LL128: min(331.2 x 120/128 = 310.5, 8 x 36.7 = 293.6) x .5 = 146.8;
     * lat 14.0 + 2 (7 x 1.25 + 8.5) = 48.5 us. */
    c = cost(&two_nodes, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_LL128);
    check_rel(c.lat_us, 48.5, 1e-12, "2-node tree LL128 lat");
    check_rel(c.bw_gbs, 146.8, 1e-12, "2-node tree LL128 bw");
}

static void test_nvls_tree(void **state)
{
    (void)state;
    /* NVLS-tree, 2 nodes: bwInter = 8 x 48 / 8 NVLS channels = 48; bw =
     * min(40, 48) = 40; 8 x 40 x 5/6 = 266.666...; lat 0 + 25 + 2 x
     * log2i(2) x 14 = 53 us. */
    roof_nccl_cost c = cost(&two_nodes, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 53.0, 1e-12, "NVLS-tree lat");
    check_rel(c.bw_gbs, 320.0 * 5.0 / 6.0, 1e-12, "NVLS-tree bw");
    /* 4 nodes: bwInter / 2 = 24 < 40: 8 x 24 x 5/6 = 160; lat 25 + 2 x 2 x
     * 14 = 81 us. */
    roof_nccl_topo four = two_nodes;
    four.ranks = 32;
    four.nodes = 4;
    c = cost(&four, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 81.0, 1e-12, "NVLS-tree 4 nodes lat");
    check_rel(c.bw_gbs, 160.0, 1e-12, "NVLS-tree 4 nodes bw");
    /* 4 nodes, ring LL: llMaxBws Intel N4 20.4 caps 384 x .5: 20.4 x 32/62. */
    c = cost(&four, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.bw_gbs, 20.4 * 32.0 / 62.0, 1e-12, "4-node ring LL bw");
    /* NVLS all-gather across nodes needs CollNet: not offered; nor is any
     * algorithm without the network graph. */
    roof_nccl_cost none;
    assert_int_equal(roof_nccl_cost_of(&two_nodes, ROOF_NCCL_ALL_GATHER, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE, &none), 0);
    roof_nccl_topo no_net = two_nodes;
    no_net.net_channels = 0;
    assert_int_equal(roof_nccl_cost_of(&no_net, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, &none), 0);
}

/* NCCL's choice across 2 nodes switches where the model says: tree LL
 * (25.2 us + n / 19.5 GB/s) at 1 KiB, NVLS-tree (53 us + n / 266.7) at 64
 * MiB. At 1 KiB (correction 1.0 for LL, log2i(16) = 4 -> .9): tree LL 25.2
 * + 1024/19.5e3 x (1/.9) = 25.258 us beats ring LL 40.05 and NVLS-tree
 * 53.004. At 64 MiB: NVLS-tree 53 + 67108864 / 266666.67 = 304.66 us beats
 * ring Simple 184.24 + 327.68 = 511.92 and tree Simple 92.4 + 67108864 /
 * (165.6e3 x .7) = 671.3 us. */
static double best_us(const roof_nccl_topo *topo, double bytes, roof_nccl_algo *algo)
{
    double best = INFINITY;
    for (int a = 0; a < ROOF_NCCL_ALGO_COUNT; a++)
        for (int p = 0; p < ROOF_NCCL_PROTO_COUNT; p++) {
            roof_nccl_cost c;
            if (!roof_nccl_cost_of(topo, ROOF_NCCL_ALL_REDUCE, (roof_nccl_algo)a, (roof_nccl_proto)p, &c))
                continue;
            double t = roof_nccl_time_s(topo, &c, ROOF_NCCL_ALL_REDUCE, (roof_nccl_algo)a, (roof_nccl_proto)p, bytes);
            if (t < best) {
                best = t;
                *algo = (roof_nccl_algo)a;
            }
        }
    return best * 1e6;
}

static void test_choice_across_nodes(void **state)
{
    (void)state;
    roof_nccl_algo a = ROOF_NCCL_ALGO_COUNT;
    check_rel(best_us(&two_nodes, 1024.0, &a), 25.2 + 1024.0 / (19.5e3 * 0.9), 1e-9, "1 KiB");
    assert_int_equal(a, ROOF_NCCL_TREE);
    check_rel(best_us(&two_nodes, 67108864.0, &a), 53.0 + 67108864.0 / (320.0e3 * 5.0 / 6.0), 1e-9, "64 MiB");
    assert_int_equal(a, ROOF_NCCL_NVLS);
}

/* The channels NCCL runs a size on (enqueue.cc topoGetAlgoInfo): the
 * communicator has 2 x 12 = 24 channels on the Hopper node; a channel is
 * dropped while nBytes < nc x nt x threshold. */
static void test_channel_share(void **state)
{
    (void)state;
    /* Ring LL: nt 512, threshold 8 x 8 ranks = 64: 32768 B a channel. 64
     * KiB -> 2 of 24; 1 MiB -> 32, capped at 24; 1 KiB -> 0, at least 1. */
    check_rel(roof_nccl_channel_share(&hopper, ROOF_NCCL_RING, ROOF_NCCL_LL, 65536.0), 2.0 / 24.0, 1e-12, "LL 64K");
    check_rel(roof_nccl_channel_share(&hopper, ROOF_NCCL_RING, ROOF_NCCL_LL, 1048576.0), 1.0, 1e-12, "LL 1M");
    check_rel(roof_nccl_channel_share(&hopper, ROOF_NCCL_RING, ROOF_NCCL_LL, 1024.0), 1.0 / 24.0, 1e-12, "LL 1K");
    /* Tree LL128: nt 640, threshold 8: 5120 B; 65536 / 5120 = 12.8 -> 12. */
    check_rel(roof_nccl_channel_share(&hopper, ROOF_NCCL_TREE, ROOF_NCCL_LL128, 65536.0), 0.5, 1e-12, "LL128 64K");
    /* Ring Simple: nt 512, threshold 64: 32768 B; 256 KiB -> 8 of 24. */
    check_rel(roof_nccl_channel_share(&hopper, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 262144.0), 1.0 / 3.0, 1e-12,
              "Simple 256K");
    /* NVLS keeps its channels. */
    check_rel(roof_nccl_channel_share(&hopper, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE, 1024.0), 1.0, 0.0, "NVLS");
    /* Two nodes: 2 x 8 = 16 (not under 16: no further doubling); ring
     * Simple 64 KiB -> 2 of 16. With 4 network channels of 48 GB/s (> 45,
     * Hopper): 2 x 4 = 8 < 16, doubled to 16. */
    check_rel(roof_nccl_channel_share(&two_nodes, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 65536.0), 2.0 / 16.0, 1e-12,
              "2 nodes Simple 64K");
    roof_nccl_topo four_ch = two_nodes;
    four_ch.net_channels = 4;
    check_rel(roof_nccl_channel_share(&four_ch, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 65536.0), 2.0 / 16.0, 1e-12,
              "4 network channels, doubled twice");
    four_ch.arch = ROOF_NCCL_ARCH_AMPERE; /* no second doubling before Hopper: 2 of 8 */
    check_rel(roof_nccl_channel_share(&four_ch, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 65536.0), 2.0 / 8.0, 1e-12,
              "Ampere, 4 network channels");
}

/* The one-node Simple ring's plateau (NVIDIA/nccl@12df1a11
 * src/tuning/ring.cc), on the Hopper node (24 channels in the
 * communicator): 1 + (1 - 0.25^(nsteps - 1)) x delta, delta 0.4 less up to
 * 0.1 from 256 to 512 KiB per rank and channel. */
static void test_ring_plateau(void **state)
{
    (void)state;
    const roof_nccl_func ar = ROOF_NCCL_ALL_REDUCE;
    /* 16 MiB on 8: 87381 B per rank and channel, 14 steps: 1 + 0.4 (1 -
     * 2^-26) = 1.3999999940395355. */
    check_rel(roof_nccl_ring_plateau(&hopper, ar, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 16777216.0), 1.3999999940395355,
              1e-12, "8 GPUs 16 MiB");
    /* 384 KiB per rank and channel (75497472 B): delta 0.35, 1.3499999947845936. */
    check_rel(roof_nccl_ring_plateau(&hopper, ar, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 75497472.0), 1.3499999947845936,
              1e-12, "384 KiB per rank and channel");
    /* 1 GiB: 5592405 B, past 512 KiB: delta 0.3, 1.2999999955296516. */
    check_rel(roof_nccl_ring_plateau(&hopper, ar, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 1073741824.0), 1.2999999955296516,
              1e-12, "8 GPUs 1 GiB");
    /* 64 B per rank and channel (24 x 8 x 64 = 12288 B) counts; 63 does not. */
    check_rel(roof_nccl_ring_plateau(&hopper, ar, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 12288.0), 1.3999999940395355, 1e-12,
              "64 B per rank and channel");
    check_rel(roof_nccl_ring_plateau(&hopper, ar, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 12287.0), 1.0, 0.0, "63 B");
    /* Fewer steps: 2 GPUs all-reduce (2 steps: 1 + 0.4 x 0.75 = 1.3),
     * all-gather (1 step: 1), 4 GPUs reduce-scatter (3 steps: 1 + 0.4 x
     * 0.9375 = 1.375). */
    roof_nccl_topo t = hopper;
    t.ranks = 2;
    check_rel(roof_nccl_ring_plateau(&t, ar, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 1048576.0), 1.3, 1e-12, "2 GPUs AR");
    check_rel(roof_nccl_ring_plateau(&t, ROOF_NCCL_ALL_GATHER, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 1048576.0), 1.0, 0.0,
              "2 GPUs AG");
    t.ranks = 4;
    check_rel(roof_nccl_ring_plateau(&t, ROOF_NCCL_REDUCE_SCATTER, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 1048576.0), 1.375,
              1e-12, "4 GPUs RS");
    /* Ampere's NVLink node too; none for the other protocols and
     * algorithms, broadcast, across nodes, over PCIe, RCCL. */
    t = hopper;
    t.arch = ROOF_NCCL_ARCH_AMPERE;
    check_rel(roof_nccl_ring_plateau(&t, ar, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 16777216.0), 1.3999999940395355, 1e-12,
              "Ampere");
    check_rel(roof_nccl_ring_plateau(&hopper, ar, ROOF_NCCL_RING, ROOF_NCCL_LL128, 16777216.0), 1.0, 0.0, "LL128");
    check_rel(roof_nccl_ring_plateau(&hopper, ar, ROOF_NCCL_TREE, ROOF_NCCL_SIMPLE, 16777216.0), 1.0, 0.0, "tree");
    check_rel(roof_nccl_ring_plateau(&hopper, ar, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE, 16777216.0), 1.0, 0.0, "NVLS");
    check_rel(roof_nccl_ring_plateau(&hopper, ROOF_NCCL_BROADCAST, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 16777216.0), 1.0,
              0.0, "broadcast");
    check_rel(roof_nccl_ring_plateau(&two_nodes, ar, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 16777216.0), 1.0, 0.0,
              "two nodes");
    t = hopper;
    t.pci = 1;
    check_rel(roof_nccl_ring_plateau(&t, ar, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 16777216.0), 1.0, 0.0, "PCIe");
    t.pci = 0;
    t.arch = ROOF_NCCL_ARCH_GFX942;
    check_rel(roof_nccl_ring_plateau(&t, ar, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 16777216.0), 1.0, 0.0, "RCCL");
}

/* RCCL's model on an MI300X node: ROCm/rccl 2.21.5 (0cbce2a7) tuning.cc
 * with rcclTuningModel[5]; 8 GPUs, 28 channels of 12 GB/s (7 XGMI links x
 * GFX94X_XGMI_WIDTH 48 GB/s = 336 GB/s over rome_model_79's 28 rings). */
static const roof_nccl_topo mi300x = {ROOF_NCCL_ARCH_GFX942, 8, 28, 12.0, 0, 0.0, 1, 0, 0.0, 0, 0, 0.0};

static void test_rccl_all_reduce(void **state)
{
    (void)state;
    /* busBw = 28 x 12 = 336 GB/s x bwRatio[0]; ring algbw x 8/14.
     * Ring LL: lat baseLat 12 + 14 x hwLat 0.8 = 23.2 us; 336 x .08 x 8/14
     * = 15.36 GB/s. */
    roof_nccl_cost c = cost(&mi300x, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.lat_us, 23.2, 1e-12, "rccl ring LL lat");
    check_rel(c.bw_gbs, 15.36, 1e-12, "rccl ring LL bw");
    /* Ring Simple: 17 + 14 x 2.1 = 46.4 us; 336 x 1.0 x 8/14 = 192 GB/s;
     * 64 MiB: 46.4 + 67108864 / 192e3 us = 46.4 + 349.52533 = 395.92533 us. */
    c = cost(&mi300x, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 46.4, 1e-12, "rccl ring Simple lat");
    check_rel(c.bw_gbs, 192.0, 1e-12, "rccl ring Simple bw");
    check_rel(roof_nccl_time_s(&mi300x, &c, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, 67108864.0),
              395.92533333333333e-6, 1e-12, "rccl ring Simple 64 MiB");
    /* Tree LL: 12 + 2 x 7 x 0.9 = 24.6 us; 336 x .06 x .5 = 10.08 GB/s, times
     * treeCorrectionFactor[LL][log2i(nBytes >> 6)]: 64 KiB -> index 10, 1.0;
     * 512 B -> index 3, 0.1. 64 KiB: 24.6 + 65536 / 10.08e3 = 31.101587 us. */
    c = cost(&mi300x, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_LL);
    check_rel(c.lat_us, 24.6, 1e-12, "rccl tree LL lat");
    check_rel(c.bw_gbs, 10.08, 1e-12, "rccl tree LL bw");
    check_rel(roof_nccl_time_s(&mi300x, &c, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_LL, 65536.0),
              31.101587301587302e-6, 1e-12, "rccl tree LL 64 KiB");
    check_rel(roof_nccl_time_s(&mi300x, &c, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_LL, 512.0),
              (24.6 + 512.0 / 1008.0) * 1e-6, 1e-12, "rccl tree LL 512 B");
    /* Not offered: tree Simple inside a gfx94 node, LL128, NVLS; nor any
     * combination across nodes. */
    roof_nccl_cost none;
    assert_int_equal(roof_nccl_cost_of(&mi300x, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_SIMPLE, &none), 0);
    assert_int_equal(roof_nccl_cost_of(&mi300x, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL128, &none), 0);
    assert_int_equal(roof_nccl_cost_of(&mi300x, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS, ROOF_NCCL_SIMPLE, &none), 0);
    roof_nccl_topo two = mi300x;
    two.ranks = 16;
    two.nodes = 2;
    two.net_channels = 8;
    two.net_channel_bw = 48.0;
    assert_int_equal(roof_nccl_cost_of(&two, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, &none), 0);
    /* A 4-rank group on the node: no rome model covers it. */
    roof_nccl_topo four = mi300x;
    four.ranks = 4;
    assert_int_equal(roof_nccl_cost_of(&four, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE, &none), 0);
    assert_int_equal(roof_nccl_covers(ROOF_NCCL_ARCH_GFX942, 8, 1), 1);
    assert_int_equal(roof_nccl_covers(ROOF_NCCL_ARCH_GFX942, 4, 1), 0);
    assert_int_equal(roof_nccl_covers(ROOF_NCCL_ARCH_HOPPER, 4, 1), 1);
    /* No channel share (RCCL's time model has no channel term). */
    check_rel(roof_nccl_channel_share(&mi300x, ROOF_NCCL_RING, ROOF_NCCL_LL, 8.0), 1.0, 0.0, "rccl share");
}

static void test_rccl_allpairs(void **state)
{
    (void)state;
    /* MSCCL all-pairs (derived, hw/nccl_tuning.c): LL latency 12 + 2 x 0.8
     * = 13.6 us, bandwidth 336 x 0.5 / (2 x 7/8) = 96 GB/s; 64 KiB: 13.6 +
     * 65536 / 96e3 = 14.282667 us (HIS measured 13.82-14.25 us). Simple:
     * 17 + 2 x 2.1 = 21.2 us at 336 / 1.75 = 192 GB/s; 1 MiB: 21.2 +
     * 1048576 / 192e3 = 26.661333 us (HIS 28.04-28.39 us). */
    roof_nccl_cost c = cost(&mi300x, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_ALLPAIRS, ROOF_NCCL_LL);
    check_rel(c.lat_us, 13.6, 1e-12, "allpairs LL lat");
    check_rel(c.bw_gbs, 96.0, 1e-12, "allpairs LL bw");
    check_rel(roof_nccl_time_s(&mi300x, &c, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_ALLPAIRS, ROOF_NCCL_LL, 65536.0),
              14.282666666666667e-6, 1e-12, "allpairs LL 64 KiB");
    c = cost(&mi300x, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_ALLPAIRS, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 21.2, 1e-12, "allpairs Simple lat");
    check_rel(c.bw_gbs, 192.0, 1e-12, "allpairs Simple bw");
    check_rel(roof_nccl_time_s(&mi300x, &c, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_ALLPAIRS, ROOF_NCCL_SIMPLE, 1048576.0),
              26.661333333333333e-6, 1e-12, "allpairs Simple 1 MiB");
    /* Where RCCL runs it (the XML files' minBytes..maxBytes, 8 ranks). */
    roof_nccl_proto p = ROOF_NCCL_LL128;
    assert_int_equal(roof_rccl_allpairs_proto(512.0, 8, &p), 0);
    assert_int_equal(roof_rccl_allpairs_proto(1024.0, 8, &p), 1);
    assert_int_equal(p, ROOF_NCCL_LL);
    assert_int_equal(roof_rccl_allpairs_proto(524287.0, 8, &p), 1);
    assert_int_equal(p, ROOF_NCCL_LL);
    assert_int_equal(roof_rccl_allpairs_proto(524288.0, 8, &p), 1);
    assert_int_equal(p, ROOF_NCCL_SIMPLE);
    assert_int_equal(roof_rccl_allpairs_proto(16777216.0, 8, &p), 1);
    assert_int_equal(roof_rccl_allpairs_proto(16777217.0, 8, &p), 0);
    assert_int_equal(roof_rccl_allpairs_proto(65536.0, 4, &p), 0);
    /* Not NCCL's; not for all-gather. */
    roof_nccl_cost none;
    assert_int_equal(roof_nccl_cost_of(&hopper, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_ALLPAIRS, ROOF_NCCL_LL, &none), 0);
    assert_int_equal(roof_nccl_cost_of(&mi300x, ROOF_NCCL_ALL_GATHER, ROOF_NCCL_ALLPAIRS, ROOF_NCCL_LL, &none), 0);
}

static void test_rccl_other_functions(void **state)
{
    (void)state;
    /* All-gather Simple: nsteps 7; 17 + 7 x 2.1 = 31.7 us; 336 x 8/7 = 384
     * GB/s. Tree: not for all-gather. */
    roof_nccl_cost c = cost(&mi300x, ROOF_NCCL_ALL_GATHER, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 31.7, 1e-12, "rccl all-gather Simple lat");
    check_rel(c.bw_gbs, 384.0, 1e-12, "rccl all-gather Simple bw");
    roof_nccl_cost none;
    assert_int_equal(roof_nccl_cost_of(&mi300x, ROOF_NCCL_ALL_GATHER, ROOF_NCCL_TREE, ROOF_NCCL_LL, &none), 0);
    /* Broadcast ring LL on gfx94: bus 336 x .08 x 1.65 = 44.352 GB/s, nsteps
     * = nRanks so algbw = bus; one hop on a sameChannels graph: 12 + 0.8 =
     * 12.8 us. */
    c = cost(&mi300x, ROOF_NCCL_BROADCAST, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.lat_us, 12.8, 1e-12, "rccl broadcast LL lat");
    check_rel(c.bw_gbs, 44.352, 1e-12, "rccl broadcast LL bw");
}

/* In-network reduction (collnet: SHARP through NCCL's CollNet) on the two
 * Hopper nodes: all-reduce, Simple only, across nodes only.
 * CollNetDirect: bus 8 x 48 = 384, GPU:NIC factor 8/8 = 1 (less (1-1)/2),
 * x .85 (sm90) = 326.4, x .5 = 163.2; lat 0 + 2 (min(1, 7) x 3.7 + 7 x
 * 0.4) + hwLat[NET][CollNetDirect] 31 = 44 us.
 * CollNetChain: 384 x .5 = 192; lat 2 x 7 x 2.8 + 30 = 69.2 us.
 * NVLS across nodes: 8 x min(40, 8 x 48 / 8) x 5/6 = 266.67; lat 25 + 18 =
 * 43 us. */
static void test_collnet(void **state)
{
    (void)state;
    roof_nccl_topo sharp = two_nodes;
    sharp.collnet = 1;
    roof_nccl_cost c = cost(&sharp, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_COLLNET_DIRECT, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 163.2, 1e-12, "CollNetDirect bw");
    check_rel(c.lat_us, 44.0, 1e-12, "CollNetDirect lat");
    c = cost(&sharp, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_COLLNET_CHAIN, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 192.0, 1e-12, "CollNetChain bw");
    check_rel(c.lat_us, 69.2, 1e-12, "CollNetChain lat");
    c = cost(&sharp, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS_SHARP, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 320.0 * 5.0 / 6.0, 1e-12, "NVLS across nodes bw");
    check_rel(c.lat_us, 43.0, 1e-12, "NVLS across nodes lat");
    /* 4 NICs for 8 GPUs: factor 2 - (2-1)/2 = 1.5: 4 x 48 / 1.5 x .85 x .5
     * = 54.4. One GPU per node (8 nodes): the Tree row of hwLat[NET], 14,
     * and no local hop: 14 us. */
    roof_nccl_topo four_nics = sharp;
    four_nics.net_channels = 4;
    c = cost(&four_nics, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_COLLNET_DIRECT, ROOF_NCCL_SIMPLE);
    check_rel(c.bw_gbs, 54.4, 1e-12, "CollNetDirect, 2 GPUs per NIC");
    roof_nccl_topo one_per_node = sharp;
    one_per_node.ranks = 8;
    one_per_node.nodes = 8;
    c = cost(&one_per_node, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_COLLNET_DIRECT, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 14.0, 1e-12, "CollNetDirect, one GPU per node");
    /* The channel share leaves them whole. */
    check_rel(roof_nccl_channel_share(&sharp, ROOF_NCCL_COLLNET_CHAIN, ROOF_NCCL_SIMPLE, 1024.0), 1.0, 0.0,
              "CollNet channels");
    /* Not offered: without collnet, with LL, for all-gather, in one node,
     * NVLS across nodes before Hopper, and on RCCL. */
    roof_nccl_cost none;
    assert_int_equal(
        roof_nccl_cost_of(&two_nodes, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_COLLNET_DIRECT, ROOF_NCCL_SIMPLE, &none), 0);
    assert_int_equal(roof_nccl_cost_of(&two_nodes, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS_SHARP, ROOF_NCCL_SIMPLE, &none),
                     0);
    assert_int_equal(roof_nccl_cost_of(&sharp, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_COLLNET_CHAIN, ROOF_NCCL_LL, &none), 0);
    assert_int_equal(roof_nccl_cost_of(&sharp, ROOF_NCCL_ALL_GATHER, ROOF_NCCL_COLLNET_DIRECT, ROOF_NCCL_SIMPLE, &none),
                     0);
    roof_nccl_topo one_node = hopper;
    one_node.collnet = 1;
    assert_int_equal(
        roof_nccl_cost_of(&one_node, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_COLLNET_DIRECT, ROOF_NCCL_SIMPLE, &none), 0);
    roof_nccl_topo ampere = sharp;
    ampere.arch = ROOF_NCCL_ARCH_AMPERE;
    assert_int_equal(roof_nccl_cost_of(&ampere, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_NVLS_SHARP, ROOF_NCCL_SIMPLE, &none),
                     0);
    roof_nccl_topo amd = mi300x;
    amd.collnet = 1;
    assert_int_equal(roof_nccl_cost_of(&amd, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_COLLNET_DIRECT, ROOF_NCCL_SIMPLE, &none),
                     0);
}

/* The choice with SHARP on two Ampere nodes (8 network channels of 24
 * GB/s): tree LL at 1 KiB (as without SHARP: CollNet's 44 us latency is
 * above tree LL's 25.2), CollNetDirect at 64 MiB: 44 + 67108864 / (8 x 24
 * x .5 = 96 GB/s) = 743.05 us, ahead of CollNetChain (69.2 + 699.05 =
 * 768.25), the ring Simple (131.6 x 1.4 + 67108864 / 102.4e3 = 839.6) and
 * the tree Simple (92.4 + 67108864 / (min(176.64, 188.8) x .5 x .8) =
 * 1042.2: its correction .8 at 2^20 units of 64 B). */
static void test_collnet_choice(void **state)
{
    (void)state;
    roof_nccl_topo ampere = {ROOF_NCCL_ARCH_AMPERE, 16, 12, 20.0, 0, 0.0, 2, 8, 24.0, 1, 0, 0.0};
    roof_nccl_algo a = ROOF_NCCL_ALGO_COUNT;
    best_us(&ampere, 1024.0, &a);
    assert_int_equal(a, ROOF_NCCL_TREE);
    check_rel(best_us(&ampere, 67108864.0, &a), 44.0 + 67108864.0 / 96.0e3, 1e-12, "64 MiB by CollNetDirect");
    assert_int_equal(a, ROOF_NCCL_COLLNET_DIRECT);
}

/* 8 GPUs of one node that meet over PCIe (Ampere tables, as NCCL's
 * compCapIndex gives sm89; 2 channels of 12 GB/s): hwLat[PCI] per step,
 * no LL128 (tuning.cc line 468). Ring LL: lat 6.6 + 14 x 1.0 = 20.6 us;
 * bus = min(llMaxBw 87.7, 24 x .5 = 12) = 12, x 8/14 = 6.8571428571428571.
 * Ring Simple: 8.4 + 14 x 5.7 = 88.2 us. Tree LL: 6.8 + 2 x 7 x 1.0 = 20.8
 * us. The same topology over NVLink: ring LL 6.6 + 14 x .6 = 15.0 us. */
static void test_pci(void **state)
{
    (void)state;
    roof_nccl_topo pcie = {ROOF_NCCL_ARCH_AMPERE, 8, 2, 12.0, 0, 0.0, 1, 0, 0.0, 0, 1, 0.0};
    roof_nccl_cost c = cost(&pcie, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.lat_us, 20.6, 1e-12, "PCIe ring LL lat");
    check_rel(c.bw_gbs, 6.8571428571428571, 1e-12, "PCIe ring LL bw");
    c = cost(&pcie, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_SIMPLE);
    check_rel(c.lat_us, 88.2, 1e-12, "PCIe ring Simple lat");
    c = cost(&pcie, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_LL);
    check_rel(c.lat_us, 20.8, 1e-12, "PCIe tree LL lat");
    roof_nccl_cost none;
    assert_int_equal(roof_nccl_cost_of(&pcie, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL128, &none), 0);
    assert_int_equal(roof_nccl_cost_of(&pcie, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_TREE, ROOF_NCCL_LL128, &none), 0);
    pcie.pci = 0;
    c = cost(&pcie, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL);
    check_rel(c.lat_us, 15.0, 1e-12, "NVLink ring LL lat");
    assert_int_equal(roof_nccl_cost_of(&pcie, ROOF_NCCL_ALL_REDUCE, ROOF_NCCL_RING, ROOF_NCCL_LL128, &none), 1);
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
        cmocka_unit_test(test_ring_across_nodes),
        cmocka_unit_test(test_tree_across_nodes),
        cmocka_unit_test(test_nvls_tree),
        cmocka_unit_test(test_choice_across_nodes),
        cmocka_unit_test(test_channel_share),
        cmocka_unit_test(test_ring_plateau),
        cmocka_unit_test(test_rccl_all_reduce),
        cmocka_unit_test(test_rccl_other_functions),
        cmocka_unit_test(test_rccl_allpairs),
        cmocka_unit_test(test_collnet),
        cmocka_unit_test(test_collnet_choice),
        cmocka_unit_test(test_pci),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
