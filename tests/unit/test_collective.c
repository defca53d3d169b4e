/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Collectives by the alpha-beta model (hw/collective.c), against values
 * worked out by hand (python3 as a calculator) on a synthetic profile with
 * high-entropy numbers, so that a missing factor cannot hide. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"

#include "hw/a2a.h"
#include "hw/collective.h"
#include "hw/nccl_tuning.h"
#include "synthetic_hw.h"

static roof_comm_time comm_ok(const roof_hw *hw, roof_collective op, double bytes, int64_t group, int64_t nodes,
                              roof_algo algo)
{
    roof_comm c = {.op = op, .bytes = bytes, .group = group, .nodes = nodes, .algo = algo};
    roof_comm_time t;
    roof_error err;
    memset(&err, 0, sizeof err);
    int rc = roof_comm_time_of(hw, &c, &t, &err);
    if (rc != ROOF_OK)
        fail_msg("%s %s %g B on %lld ranks: rc %d: %s", roof_collective_name(op), roof_algo_name(algo), bytes,
                 (long long)group, rc, err.msg);
    return t;
}

static void check_usage_error(const roof_hw *hw, roof_collective op, double bytes, int64_t group, int64_t nodes,
                              roof_algo algo, const char *msg)
{
    roof_comm c = {.op = op, .bytes = bytes, .group = group, .nodes = nodes, .algo = algo};
    roof_comm_time t;
    roof_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(roof_comm_time_of(hw, &c, &t, &err), ROOF_ERR_USAGE);
    assert_int_equal(err.code, ROOF_ERR_USAGE);
    if (msg)
        assert_string_equal(err.msg, msg);
}

/* Node tier beta = 123e9 * 0.9 = 110.7e9 B/s, alpha = 1.7e-6 s. */

static void test_ring_all_reduce(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    /* n = 64 MiB = 67108864 B, p = 8 */
    roof_comm_time t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 8, 0, ROOF_ALGO_AUTO);
    /* alpha = 2*7*1.7e-6 = 2.38e-5 s */
    check_rel(t.alpha_s, 2.38e-5, 1e-12, "alpha_s");
    /* beta = 2*7/8 * 67108864 / 110.7e9 = 1.0608899006323397e-3 s */
    check_rel(t.beta_s, 1.0608899006323397e-3, 1e-12, "beta_s");
    /* time = 1.0846899006323398e-3 s */
    check_rel(t.time_s, 1.0846899006323398e-3, 1e-12, "time_s");
    /* algbw = n / time = 61869170129.525185 B/s */
    check_rel(t.algbw, 61869170129.525185, 1e-12, "algbw");
    /* busbw = algbw * 1.75 = 108271047726.66907 B/s */
    check_rel(t.busbw, 108271047726.66907, 1e-12, "busbw");
    assert_int_equal(t.algo, ROOF_ALGO_RING);
    assert_int_equal(t.nodes, 1);
    assert_int_equal(t.tiers, ROOF_TIER_NODE);

    /* Named explicitly, ring gives the same. */
    roof_comm_time r = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 8, 1, ROOF_ALGO_RING);
    check_rel(r.time_s, 1.0846899006323398e-3, 1e-12, "explicit ring time_s");
}

static void test_other_ops_one_node(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    const double n = 37.9e6;
    const roof_collective pm1[] = {ROOF_COLL_ALL_GATHER, ROOF_COLL_REDUCE_SCATTER, ROOF_COLL_ALL_TO_ALL};
    for (size_t i = 0; i < sizeof pm1 / sizeof pm1[0]; i++) {
        roof_comm_time t = comm_ok(&hw, pm1[i], n, 8, 0, ROOF_ALGO_AUTO);
        char what[64];
        /* alpha = 7*1.7e-6 = 1.19e-5 s */
        snprintf(what, sizeof what, "%s alpha_s", roof_collective_name(pm1[i]));
        check_rel(t.alpha_s, 1.19e-5, 1e-12, what);
        /* beta = 7/8 * 37.9e6 / 110.7e9 = 2.995709123757904e-4 s */
        snprintf(what, sizeof what, "%s beta_s", roof_collective_name(pm1[i]));
        check_rel(t.beta_s, 2.995709123757904e-4, 1e-12, what);
        /* time = 3.114709123757904e-4 s */
        snprintf(what, sizeof what, "%s time_s", roof_collective_name(pm1[i]));
        check_rel(t.time_s, 3.114709123757904e-4, 1e-12, what);
        /* busbw = n/time * 7/8 = 37.9e6 / 3.114709123757904e-4 * 0.875
         * = 106470616299.44232 B/s */
        snprintf(what, sizeof what, "%s busbw", roof_collective_name(pm1[i]));
        check_rel(t.busbw, 106470616299.44232, 1e-12, what);
    }

    /* send_recv: alpha + n/beta = 1.7e-6 + 37.9e6/110.7e9
     * = 1.7e-6 + 3.4236675700090335e-4 = 3.4406675700090334e-4 s */
    roof_comm_time t = comm_ok(&hw, ROOF_COLL_SEND_RECV, n, 8, 0, ROOF_ALGO_AUTO);
    check_rel(t.alpha_s, 1.7e-6, 1e-12, "send_recv alpha_s");
    check_rel(t.beta_s, 3.4236675700090335e-4, 1e-12, "send_recv beta_s");
    check_rel(t.time_s, 3.4406675700090334e-4, 1e-12, "send_recv time_s");
    check_rel(t.busbw, t.algbw, 1e-15, "send_recv busbw");

    /* broadcast: (p-1)*alpha + n/beta = 1.19e-5 + 3.4236675700090335e-4
     * = 3.5426675700090337e-4 s */
    t = comm_ok(&hw, ROOF_COLL_BROADCAST, n, 8, 0, ROOF_ALGO_AUTO);
    check_rel(t.alpha_s, 1.19e-5, 1e-12, "broadcast alpha_s");
    check_rel(t.beta_s, 3.4236675700090335e-4, 1e-12, "broadcast beta_s");
    check_rel(t.time_s, 3.5426675700090337e-4, 1e-12, "broadcast time_s");
    assert_int_equal(t.algo, ROOF_ALGO_RING);
}

static void test_nothing_moves(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    for (int op = 0; op < ROOF_COLL_COUNT; op++) {
        roof_comm_time t = comm_ok(&hw, (roof_collective)op, 2.385e9, 1, 0, ROOF_ALGO_AUTO);
        assert_true(t.time_s == 0.0);
        assert_true(t.alpha_s == 0.0);
        assert_true(t.beta_s == 0.0);
        t = comm_ok(&hw, (roof_collective)op, 0.0, 8, 0, ROOF_ALGO_AUTO);
        assert_true(t.time_s == 0.0);
        assert_true(t.alpha_s == 0.0);
        assert_true(t.beta_s == 0.0);
    }
}

static void test_grows_with_size(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.node.nvls = 1;
    const int64_t groups[][2] = {{2, 1}, {8, 1}, {16, 2}, {64, 8}};
    for (size_t gi = 0; gi < sizeof groups / sizeof groups[0]; gi++) {
        for (int op = 0; op < ROOF_COLL_COUNT; op++) {
            double prev = 0.0;
            /* 8 B = 2^3 .. 16 GiB = 2^34 */
            for (int e = 3; e <= 34; e++) {
                double n = ldexp(1.0, e);
                roof_comm_time t = comm_ok(&hw, (roof_collective)op, n, groups[gi][0], groups[gi][1], ROOF_ALGO_AUTO);
                if (!(t.time_s > prev))
                    fail_msg("%s p=%lld: time at 2^%d B %.17g is not above %.17g",
                             roof_collective_name((roof_collective)op), (long long)groups[gi][0], e, t.time_s, prev);
                if (!(t.alpha_s > 0.0 && t.time_s >= t.alpha_s))
                    fail_msg("%s p=%lld 2^%d B: alpha_s %.17g, time_s %.17g", roof_collective_name((roof_collective)op),
                             (long long)groups[gi][0], e, t.alpha_s, t.time_s);
                prev = t.time_s;
            }
        }
    }
}

static void test_hier_two_nodes(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.node.size = 4;
    /* g = 4 ranks on each of N = 2 nodes, n = 256 MiB = 268435456 B.
     * Node tier: alpha 1.7e-6, beta 123e9*0.9 = 110.7e9.
     * Cluster tier: alpha 6.1e-6, beta 47.3e9*0.83 = 39.259e9.
     * RS over 4 (node) on n:      a = 3*1.7e-6 = 5.1e-6,
     *                             b = 3/4 * n / 110.7e9 = 1.818668401084011e-3
     * AR over 2 (cluster) on n/4: a = 2*1*6.1e-6 = 1.22e-5,
     *                             b = 2*(1/2) * (n/4) / 39.259e9 = 1.7093880129397082e-3
     * AG over 4 (node) on n:      a = 5.1e-6, b = 1.818668401084011e-3
     * alpha = 2.24e-5; beta = 5.34672481510773e-3; time = 5.36912481510773e-3 s */
    roof_comm_time t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 268435456.0, 8, 2, ROOF_ALGO_HIER);
    check_rel(t.alpha_s, 2.24e-5, 1e-12, "hier alpha_s");
    check_rel(t.beta_s, 5.34672481510773e-3, 1e-12, "hier beta_s");
    check_rel(t.time_s, 5.36912481510773e-3, 1e-12, "hier time_s");
    assert_int_equal(t.algo, ROOF_ALGO_HIER);
    assert_int_equal(t.nodes, 2);
    assert_int_equal(t.tiers, ROOF_TIER_NODE | ROOF_TIER_CLUSTER);

    /* Packed placement (nodes 0) puts 8 ranks on ceil(8/4) = 2 nodes. */
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 268435456.0, 8, 0, ROOF_ALGO_HIER);
    check_rel(t.time_s, 5.36912481510773e-3, 1e-12, "packed hier time_s");
    assert_int_equal(t.nodes, 2);

    /* The flat ring across the 2 nodes: alpha 6.1e-6 (cluster), beta
     * min(110.7e9, 4*39.259e9 = 157.036e9) = 110.7e9;
     * time = 14*6.1e-6 + 1.75*n/110.7e9 = 4.328959602529359e-3 s, faster, so
     * auto takes it over hier. */
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 268435456.0, 8, 2, ROOF_ALGO_AUTO);
    check_rel(t.time_s, 4.328959602529359e-3, 1e-12, "auto across 2 nodes");
    assert_int_equal(t.algo, ROOF_ALGO_RING);
}

static void test_nvls(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.node.nvls = 1;
    /* n = 16 GiB = 17179869184 B; time = 147e-6 + n / (123e9*0.61)
     * = 147e-6 + 0.2289733331200853 = 0.2291203331200853 s */
    roof_comm_time t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 17179869184.0, 8, 0, ROOF_ALGO_NVLS);
    check_rel(t.alpha_s, 147e-6, 1e-12, "nvls alpha_s");
    check_rel(t.beta_s, 0.2289733331200853, 1e-12, "nvls beta_s");
    check_rel(t.time_s, 0.2291203331200853, 1e-12, "nvls time_s");
    assert_int_equal(t.algo, ROOF_ALGO_NVLS);

    /* Ring would take 14*1.7e-6 + 1.75*n/110.7e9 = 0.271611614561879 s, so
     * auto picks NVLS. */
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 17179869184.0, 8, 0, ROOF_ALGO_AUTO);
    assert_int_equal(t.algo, ROOF_ALGO_NVLS);
    check_rel(t.time_s, 0.2291203331200853, 1e-12, "auto nvls time_s");

    check_usage_error(&hw, ROOF_COLL_ALL_REDUCE, 17179869184.0, 4, 0, ROOF_ALGO_NVLS,
                      "algorithm 'nvls' cannot run all_reduce: NVLS needs more than 4 GPUs");
    hw.node.nvls = 0;
    check_usage_error(&hw, ROOF_COLL_ALL_REDUCE, 17179869184.0, 8, 0, ROOF_ALGO_NVLS,
                      "algorithm 'nvls' cannot run all_reduce: the profile's switch has no NVLS "
                      "(hw.network.node.nvls)");
}

static void test_auto_is_fastest(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.node.nvls = 1;
    const int64_t groups[][2] = {{8, 1}, {6, 1}, {16, 2}, {32, 4}, {64, 8}, {24, 6}};
    for (size_t gi = 0; gi < sizeof groups / sizeof groups[0]; gi++) {
        for (int op = 0; op < ROOF_COLL_COUNT; op++) {
            /* 8 B .. 16 GiB in steps of 16 */
            for (int e = 3; e <= 34; e += 4) {
                double n = ldexp(1.0, e);
                int64_t p = groups[gi][0], nodes = groups[gi][1];
                roof_comm_time a = comm_ok(&hw, (roof_collective)op, n, p, nodes, ROOF_ALGO_AUTO);
                int ran = 0;
                double best = INFINITY;
                for (int algo = ROOF_ALGO_RING; algo < ROOF_ALGO_COUNT; algo++) {
                    roof_comm c = {
                        .op = (roof_collective)op, .bytes = n, .group = p, .nodes = nodes, .algo = (roof_algo)algo};
                    roof_comm_time t;
                    roof_error err;
                    if (roof_comm_time_of(&hw, &c, &t, &err) != ROOF_OK)
                        continue;
                    ran++;
                    if (t.time_s < best)
                        best = t.time_s;
                    if (a.time_s > t.time_s)
                        fail_msg("%s p=%lld nodes=%lld 2^%d B: auto %.17g > %s %.17g",
                                 roof_collective_name((roof_collective)op), (long long)p, (long long)nodes, e, a.time_s,
                                 roof_algo_name((roof_algo)algo), t.time_s);
                }
                assert_true(ran >= 1);
                /* auto is the best one that applies, not something faster. */
                if (a.time_s != best)
                    fail_msg("%s p=%lld 2^%d B: auto %.17g, best explicit %.17g",
                             roof_collective_name((roof_collective)op), (long long)p, e, a.time_s, best);
            }
        }
    }
}

static void test_bus_factors(void **state)
{
    (void)state;
    /* 2*(8-1)/8 = 1.75 */
    check_rel(roof_collective_bus_factor(ROOF_COLL_ALL_REDUCE, 8), 1.75, 1e-15, "all_reduce 8");
    /* (8-1)/8 = 0.875 */
    check_rel(roof_collective_bus_factor(ROOF_COLL_ALL_GATHER, 8), 0.875, 1e-15, "all_gather 8");
    check_rel(roof_collective_bus_factor(ROOF_COLL_REDUCE_SCATTER, 8), 0.875, 1e-15, "reduce_scatter 8");
    check_rel(roof_collective_bus_factor(ROOF_COLL_ALL_TO_ALL, 8), 0.875, 1e-15, "all_to_all 8");
    /* 2*(24-1)/24 = 46/24 = 1.9166666666666667 */
    check_rel(roof_collective_bus_factor(ROOF_COLL_ALL_REDUCE, 24), 1.9166666666666667, 1e-15, "all_reduce 24");
    check_rel(roof_collective_bus_factor(ROOF_COLL_SEND_RECV, 8), 1.0, 0.0, "send_recv");
    check_rel(roof_collective_bus_factor(ROOF_COLL_BROADCAST, 8), 1.0, 0.0, "broadcast");
}

static void test_bad_input(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    check_usage_error(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 0, 0, ROOF_ALGO_AUTO, "group must be at least 1 (got 0)");
    check_usage_error(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 8, 3, ROOF_ALGO_AUTO,
                      "group 8 does not divide evenly over 3 nodes");
    check_usage_error(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 4, 5, ROOF_ALGO_AUTO,
                      "a group of 4 ranks cannot span 5 nodes");
    check_usage_error(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 32, 2, ROOF_ALGO_AUTO,
                      "16 ranks per node exceed the node size 8 of 'synthetic'");
    check_usage_error(&hw, ROOF_COLL_ALL_REDUCE, -2.385, 8, 0, ROOF_ALGO_AUTO,
                      "size must be zero or positive (got -2.385)");
    check_usage_error(&hw, ROOF_COLL_ALL_GATHER, 67108864.0, 16, 2, ROOF_ALGO_TREE,
                      "algorithm 'tree' cannot run all_gather: tree applies to all_reduce and "
                      "broadcast only");
    check_usage_error(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 8, 1, ROOF_ALGO_HIER,
                      "algorithm 'hier' cannot run all_reduce: the group must span several "
                      "nodes with 2 or more ranks on each");
}

/* The synthetic profile with NCCL's model of a Hopper node: 12 ring
 * channels of 30 GB/s, and NVLS on 8 channels of 40 GB/s (bwInter 60, an
 * H100 node's) where nvls. */
static roof_hw synthetic_nccl(int nvls)
{
    roof_hw hw = synthetic();
    hw.node.arch = ROOF_NCCL_ARCH_HOPPER;
    hw.node.channels = 12;
    hw.node.channel_bw = 30e9;
    hw.node.nvls = nvls;
    hw.node.nvls_channels = 8;
    hw.node.nvls_channel_bw = 40e9;
    hw.node.nvls_inter_bw = 60e9;
    return hw;
}

static void expect_choice(const roof_hw *hw, double bytes, roof_algo algo, roof_proto proto)
{
    roof_comm_time t = comm_ok(hw, ROOF_COLL_ALL_REDUCE, bytes, 8, 1, ROOF_ALGO_AUTO);
    assert_int_equal(t.nccl, 1);
    if (t.algo != algo || t.proto != proto)
        fail_msg("%.0f B: chose %s/%s, want %s/%s", bytes, roof_algo_name(t.algo), roof_proto_name(t.proto),
                 roof_algo_name(algo), roof_proto_name(proto));
}

/* NCCL picks the fastest predicted (tuning.cc figures in test_nccl_tuning.c;
 * time in us = lat + bytes / (1e3 x GB/s)). Without NVLS: ring LL (15 us,
 * 80.5714 GB/s) meets ring LL128 (40.6 us, 189.2571 GB/s) where
 * n (1/80571.4286 - 1/189257.143) = 25.6, n = 25.6 / 7.127536e-6 = 3591703 B;
 * LL128 meets Simple (56 us, 205.7143 GB/s) where n (1/189257.143 -
 * 1/205714.286) = 15.4, n = 15.4 / 4.227025e-7 = 36432200 B. Tree loses
 * at these sizes (its correction factors are 0.6-0.9 there). With NVLS
 * (25 us, 272 GB/s: test_nccl_tuning.c): ring LL meets it where
 * n (1/80571.4286 - 1/272000) = 10, n = 10 / 8.734880e-6 = 1144836 B. */
static void test_nccl_choice_switches(void **state)
{
    (void)state;
    roof_hw hw = synthetic_nccl(0);
    expect_choice(&hw, 8.0, ROOF_ALGO_RING, ROOF_PROTO_LL);
    expect_choice(&hw, 3.5e6, ROOF_ALGO_RING, ROOF_PROTO_LL);
    expect_choice(&hw, 3.7e6, ROOF_ALGO_RING, ROOF_PROTO_LL128);
    expect_choice(&hw, 36.0e6, ROOF_ALGO_RING, ROOF_PROTO_LL128);
    expect_choice(&hw, 37.0e6, ROOF_ALGO_RING, ROOF_PROTO_SIMPLE);
    hw = synthetic_nccl(1);
    expect_choice(&hw, 1.10e6, ROOF_ALGO_RING, ROOF_PROTO_LL);
    expect_choice(&hw, 1.20e6, ROOF_ALGO_NVLS, ROOF_PROTO_SIMPLE);
    /* 1 GiB by NVLS: 25 us + 2^30 / 272e9 = 25 + 3947.58023529 us. */
    roof_comm_time t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 1073741824.0, 8, 1, ROOF_ALGO_AUTO);
    check_rel(t.time_s, 3972.58023529e-6, 1e-9, "nvls 1 GiB");
    check_rel(t.alpha_s, 25e-6, 1e-12, "nvls alpha");
    /* 4 GPUs: NVLS off (more than 4 only); the ring on 4: nsteps 6, Simple
     * 8.4 + 6 x 3.4 = 28.8 us at 360 x 4/6 = 240 GB/s (LL128 40.6... slower
     * at 1 GiB). It runs with the one-node plateau (hw/nccl_tuning.c
     * roof_nccl_ring_plateau): 2^30 / (24 channels x 4) = 11184810 B per
     * rank and channel, over 512 KiB: delta 0.4 - 0.1 = 0.3; 6 steps: 1 -
     * 0.25^5 = 0.9990234375; x 1.29970703125: 37.4315625 us. 1 GiB takes
     * 37.4315625 + 4473.92426667 = 4511.35582917 us. */
    roof_comm c = {.op = ROOF_COLL_ALL_REDUCE, .bytes = 1073741824.0, .group = 4, .nodes = 1};
    roof_error err;
    assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_OK);
    assert_int_equal(t.algo, ROOF_ALGO_RING);
    assert_int_equal(t.proto, ROOF_PROTO_SIMPLE);
    check_rel(t.time_s, 4511.3558291667e-6, 1e-9, "ring 4 GPUs 1 GiB");
}

/* A forced protocol; the NCCL model's errors. */
static void test_nccl_forced_and_errors(void **state)
{
    (void)state;
    roof_hw hw = synthetic_nccl(1);
    roof_comm c = {.op = ROOF_COLL_ALL_REDUCE,
                   .bytes = 1048576.0,
                   .group = 8,
                   .nodes = 1,
                   .algo = ROOF_ALGO_RING,
                   .proto = ROOF_PROTO_SIMPLE};
    roof_comm_time t;
    roof_error err;
    assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_OK);
    /* 56 us, run with the one-node plateau: 1048576 / (24 x 8) = 5461 B per
     * rank and channel (64 .. 256 KiB: delta 0.4), 14 steps: 1 + 0.4 (1 -
     * 0.25^13) = 1.3999999940395355; 78.399999666 us + 1048576 / 205.7143e9
     * = 83.497244111 us. */
    check_rel(t.time_s, 83.497244110658e-6, 1e-9, "ring simple 1 MiB");
    check_rel(t.alpha_s, 78.399999666214e-6, 1e-9, "ring simple 1 MiB alpha");
    /* The residual factor scales the latency only: 2 x 78.399999666 =
     * 156.799999332 us + 5.0972444 us. */
    hw.node.nccl_latency_scale = 2.0;
    assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_OK);
    check_rel(t.time_s, 161.897243776872e-6, 1e-9, "ring simple 1 MiB, latency x 2");
    hw.node.nccl_latency_scale = 0.0;
    c.algo = ROOF_ALGO_NVLS;
    c.proto = ROOF_PROTO_LL;
    assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "NVLS runs the simple protocol only (got 'll')");
    c.algo = ROOF_ALGO_AUTO;
    c.nodes = 0;
    c.group = 16; /* two nodes, no network graph (cluster.channels 0): alpha-beta */
    assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "protocol 'll' needs NCCL's model: all_reduce, all_gather, reduce_scatter or "
                                 "broadcast, a profile with hw.network.node.arch and, across nodes, "
                                 "hw.network.cluster.channels (got all_reduce over 2 node(s) on 'synthetic')");
    /* With the network graph (8 channels of 48 GB/s) NCCL's model runs
     * across the 2 nodes: ring LL as test_nccl_tuning's 2-node case, 40.0
     * us + 1 MiB / 20.8 GB/s = 40 + 50.412307692 = 90.412307692 us (this
     * node has 12 x 30 GB/s, 8 NVLS x 40 as there). */
    hw.cluster.channels = 8;
    hw.cluster.channel_bw = 48e9;
    c.algo = ROOF_ALGO_RING;
    assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_OK);
    assert_int_equal(t.nccl, 1);
    check_rel(t.time_s, 90.412307692307692e-6, 1e-9, "2-node ring LL 1 MiB");
    c.proto = ROOF_PROTO_AUTO;
    c.group = 9; /* 9 ranks packed on 2 nodes of 8: uneven, alpha-beta */
    assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_OK);
    assert_int_equal(t.nccl, 0);
    c.group = 16;
    c.proto = ROOF_PROTO_LL;
    hw.cluster.channel_bw = 0.0; /* channels without their bandwidth */
    assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg,
                        "'synthetic' has hw.network.cluster.channels but no hw.network.cluster.channel_bandwidth");
    c.algo = ROOF_ALGO_AUTO;
    hw.cluster.channels = 0;
    hw.node.channels = 0;
    c.group = 8;
    c.proto = ROOF_PROTO_AUTO;
    assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "'synthetic' names an architecture but not hw.network.node.channels and "
                                 "hw.network.node.channel_bandwidth (NCCL's topology)");
}

/* In-network reduction across nodes (hw.network.cluster.sharp): on the
 * synthetic Hopper node with the 2-node network graph of
 * test_nccl_forced_and_errors (8 channels of 48 GB/s), 64 MiB over 16 GPUs
 * runs NVLS across nodes (test_nccl_tuning's test_collnet: 43 us + n /
 * 266.67 GB/s = 43 + 251.658240 us), ahead of NVLS-tree without SHARP (53
 * us + the same, test_nccl_tuning's test_nvls_tree). Forced CollNetChain:
 * 69.2 us + n / 192 GB/s = 69.2 + 349.525333 us. The errors name what is
 * missing. */
static void test_sharp_across_nodes(void **state)
{
    (void)state;
    roof_hw hw = synthetic_nccl(1);
    hw.cluster.channels = 8;
    hw.cluster.channel_bw = 48e9;
    roof_comm_time t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 16, 2, ROOF_ALGO_AUTO);
    assert_int_equal(t.algo, ROOF_ALGO_NVLS);
    check_rel(t.time_s, 304.65824e-6, 1e-9, "NVLS-tree 64 MiB without SHARP");
    check_usage_error(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 16, 2, ROOF_ALGO_COLLNET_DIRECT,
                      "algorithm 'collnet_direct' cannot run all_reduce: the profile's network does not reduce "
                      "in-network (hw.network.cluster.sharp)");
    hw.cluster.sharp = 1;
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 16, 2, ROOF_ALGO_AUTO);
    assert_int_equal(t.algo, ROOF_ALGO_NVLS_SHARP);
    assert_int_equal(t.proto, ROOF_PROTO_SIMPLE);
    check_rel(t.time_s, 294.65824e-6, 1e-9, "NVLS across nodes 64 MiB");
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 16, 2, ROOF_ALGO_COLLNET_CHAIN);
    check_rel(t.time_s, 418.725333333e-6, 1e-9, "CollNetChain 64 MiB");
    check_usage_error(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 8, 1, ROOF_ALGO_COLLNET_CHAIN,
                      "algorithm 'collnet_chain' cannot run all_reduce: it reduces in the network's switches: the "
                      "group must span nodes");
    check_usage_error(&hw, ROOF_COLL_ALL_GATHER, 67108864.0, 16, 2, ROOF_ALGO_NVLS_SHARP,
                      "algorithm 'nvls_sharp' cannot run all_gather: NCCL's model runs in-network reduction for "
                      "all_reduce only here");
}

/* Low-latency all-to-all: L + max(n (g-1)/p / B_nvl, n (p-g)/p / B_net). On
 * the synthetic profile L = 39 us, B_nvl = 155e9, B_net = 47.3e9 x 0.83 =
 * 39.259e9 B/s, n = 7340032 B (128 tokens x 8 x 7168 fp8), g = 8:
 *   p = 8:   local n 7/8 / 155e9 = 41.43 us, remote 0: 80.43 us
 *   p = 16:  remote n 8/16 / 39.259e9 = 93.48 us: 132.48 us
 *   p = 256: remote n 248/256 / 39.259e9 = 181.12 us: 220.12 us
 * and the limit is 39 + n / 39.259e9 = 225.96 us: it levels off. */
static void test_a2a_levels_off(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.cluster.size = 64;
    hw.node.a2a_latency = 39e-6;
    hw.node.a2a_bandwidth = 155e9;
    double n = 7340032.0, prev = 0.0, prev_step = INFINITY;
    const int64_t ps[] = {8, 16, 32, 64, 128, 256, 512};
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        roof_comm c = {.op = ROOF_COLL_ALL_TO_ALL, .bytes = n, .group = ps[i], .a2a_mode = ROOF_A2A_LOW_LATENCY};
        roof_comm_time t;
        roof_error err;
        assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_OK);
        assert_int_equal(t.low_latency, 1);
        if (ps[i] == 8)
            check_rel(t.time_s, 39e-6 + n * 7.0 / 8.0 / 155e9, 1e-12, "ep 8");
        if (ps[i] == 16)
            check_rel(t.time_s, 39e-6 + n * 8.0 / 16.0 / (47.3e9 * 0.83), 1e-12, "ep 16");
        if (ps[i] == 256)
            check_rel(t.time_s, 220.1227e-6, 1e-5, "ep 256");
        assert_true(t.time_s < 39e-6 + n / (47.3e9 * 0.83));
        if (i >= 2) { /* past the node: each doubling adds less */
            assert_true(t.time_s - prev < prev_step);
            prev_step = t.time_s - prev;
        }
        prev = t.time_s;
    }
    /* The nccl mode of the same group still grows step by step. */
    roof_comm_time a = comm_ok(&hw, ROOF_COLL_ALL_TO_ALL, n, 512, 0, ROOF_ALGO_AUTO);
    assert_true(a.time_s > prev);
    roof_a2a_time d = roof_a2a_low_latency(&hw, n, 1, 1);
    check_rel(d.latency_s + d.transfer_s + 1.0, 1.0, 0.0, "group of 1");
}

/* NCCL chooses by its model on all channels, then runs a small size on
 * fewer: 64 KiB on the Hopper node (no NVLS) is ring LL by the model (15 us
 * + 65536 / 80.571e3 = 15.81 us, against tree LL 15.2 + 65536 / (43.58e3
 * x .6) = 17.71 us) and runs on 2 of the 24 channels (test_nccl_tuning's
 * share): 15 + 65536 / (80.571428571e3 / 12 = 6.7142857e3) = 15 + 9.7606809 =
 * 24.7606809 us. */
static void test_nccl_channels_by_size(void **state)
{
    (void)state;
    roof_hw hw = synthetic_nccl(0);
    roof_comm_time t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 65536.0, 8, 1, ROOF_ALGO_AUTO);
    assert_int_equal(t.algo, ROOF_ALGO_RING);
    assert_int_equal(t.proto, ROOF_PROTO_LL);
    check_rel(t.time_s, 24.76068085106383e-6, 1e-9, "64 KiB on 2 channels");
}

/* A two-tier fat tree: the hierarchical all-reduce of test_hier_two_nodes
 * (2 nodes of 4) with leaves of one node and a 2:1 spine crosses it, so
 * its cluster step runs at 39.259e9 / 2: b = 2 x 1.7093880129397082e-3 =
 * 3.4187760258794164e-3, beta = 2 x 1.818668401084011e-3 + that =
 * 7.056112828047438e-3 s; alpha unchanged (2.24e-5). With leaves of two
 * nodes the group stays under one leaf: unchanged. */
static void test_fat_tree(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.node.size = 4;
    hw.cluster.oversubscription = 2.0;
    hw.cluster.leaf_nodes = 1;
    roof_comm_time t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 268435456.0, 8, 2, ROOF_ALGO_HIER);
    check_rel(t.alpha_s, 2.24e-5, 1e-12, "fat tree alpha_s");
    check_rel(t.beta_s, 7.056112828047438e-3, 1e-12, "fat tree beta_s: the spine at half the rate");
    hw.cluster.leaf_nodes = 2;
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 268435456.0, 8, 2, ROOF_ALGO_HIER);
    check_rel(t.beta_s, 5.34672481510773e-3, 1e-12, "inside one leaf: no taper");
    /* Non-blocking (oversubscription 0 or 1): no taper whatever the leaves. */
    hw.cluster.leaf_nodes = 1;
    hw.cluster.oversubscription = 1.0;
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 268435456.0, 8, 2, ROOF_ALGO_HIER);
    check_rel(t.beta_s, 5.34672481510773e-3, 1e-12, "1:1 tree");
}

/* The NCCL cost tables each thread keeps (hw/collective.c): a topology
 * that differs in one field (the NVLS channels' bandwidth) gets its own
 * table, and after more topologies than the tables hold have pushed it
 * out, the first one is timed as it was the first time: the hand value of
 * test_nccl_choice_switches, 1 GiB by NVLS on 8 GPUs in 3972.58023529 us.
 * The neighbour's channels of 80 GB/s reach min(80 x .85 x 7/8 x 2 = 119,
 * bwInter 60) = 60: 8 x 60 x 8/14 = 274.28571 GB/s, 25 + 3914.68373 us. */
static void test_nccl_cost_tables(void **state)
{
    (void)state;
    roof_hw hw = synthetic_nccl(1), faster = hw;
    faster.node.nvls_channel_bw *= 2.0;
    roof_comm_time t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 1073741824.0, 8, 1, ROOF_ALGO_AUTO);
    check_rel(t.time_s, 3972.58023529e-6, 1e-9, "nvls 1 GiB, first");
    roof_comm_time f = comm_ok(&faster, ROOF_COLL_ALL_REDUCE, 1073741824.0, 8, 1, ROOF_ALGO_AUTO);
    check_rel(f.time_s, 3939.68373333e-6, 1e-9, "nvls 1 GiB, the neighbour");
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 1073741824.0, 8, 1, ROOF_ALGO_AUTO);
    check_rel(t.time_s, 3972.58023529e-6, 1e-9, "nvls 1 GiB, after a neighbour");
    for (int64_t g = 2; g <= 7; g++)
        (void)comm_ok(&hw, ROOF_COLL_ALL_GATHER, 1e6 * (double)g, g, 1, ROOF_ALGO_AUTO);
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 1073741824.0, 8, 1, ROOF_ALGO_AUTO);
    check_rel(t.time_s, 3972.58023529e-6, 1e-9, "nvls 1 GiB, after eviction");
    assert_int_equal(t.algo, ROOF_ALGO_NVLS);
}

/* The node tier's sub-domains (hw/hw.h): on the synthetic node (ring
 * beta 123e9 x 0.9 = 110.7e9 B/s) with NVLink bridges of 2 at 247.3e9 and
 * sockets of 4 joined at 41.3e9, a 64 MiB all-reduce (n = 67108864) runs
 * its ring at the rate of the slowest link its group crosses:
 * 2 ranks: 2 x 1/2 x n / 247.3e9 = 2.713662110796603e-4 s (the bridge);
 * 4 ranks: 2 x 3/4 x n / 110.7e9 = 9.093342005420055e-4 s (the node);
 * 8 ranks: 2 x 7/8 x n / 41.3e9 = 2.84359593220339e-3 s (across sockets).
 * A CPU-CPU link faster than the tier changes nothing (the 8-rank value
 * of test_ring_all_reduce), and across nodes each node's ranks keep their
 * domain. The latency is the tier's (2 (p - 1) x 1.7e-6). */
static void test_node_domains(void **state)
{
    (void)state;
    roof_hw hw = synthetic();
    hw.node.bridge_size = 2;
    hw.node.bridge_bw = 247.3e9;
    hw.node.socket_size = 4;
    hw.node.socket_bw = 41.3e9;
    roof_comm_time t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 2, 0, ROOF_ALGO_AUTO);
    assert_int_equal(t.domain, ROOF_DOMAIN_BRIDGE);
    check_rel(t.alpha_s, 3.4e-6, 1e-12, "bridge alpha_s");
    check_rel(t.beta_s, 2.713662110796603e-4, 1e-12, "bridge beta_s");
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 4, 0, ROOF_ALGO_AUTO);
    assert_int_equal(t.domain, ROOF_DOMAIN_NODE);
    check_rel(t.beta_s, 9.093342005420055e-4, 1e-12, "one socket beta_s");
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 8, 0, ROOF_ALGO_AUTO);
    assert_int_equal(t.domain, ROOF_DOMAIN_SOCKETS);
    check_rel(t.alpha_s, 2.38e-5, 1e-12, "across sockets alpha_s");
    check_rel(t.beta_s, 2.84359593220339e-3, 1e-12, "across sockets beta_s");
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 16, 2, ROOF_ALGO_AUTO);
    assert_int_equal(t.domain, ROOF_DOMAIN_SOCKETS);
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 2, 2, ROOF_ALGO_AUTO);
    assert_int_equal(t.domain, ROOF_DOMAIN_NODE); /* one rank per node: nothing moves inside a node */
    hw.node.socket_bw = 200e9;
    t = comm_ok(&hw, ROOF_COLL_ALL_REDUCE, 67108864.0, 8, 0, ROOF_ALGO_AUTO);
    assert_int_equal(t.domain, ROOF_DOMAIN_NODE);
    check_rel(t.beta_s, 1.0608899006323397e-3, 1e-12, "a faster CPU link: the tier's rate");
}

/* Under NCCL's model a node of PCIe cards refuses LL128 (NCCL enables it
 * only where the graph's GPUs meet through NVLink), but a group inside one
 * NVLink bridge meets through NVLink and may run it. */
static void test_bridge_nvlink_protocols(void **state)
{
    (void)state;
    roof_hw hw = synthetic_nccl(0);
    hw.node.link = 1;
    hw.node.bridge_size = 2;
    hw.node.bridge_bw = 247.3e9;
    roof_comm c = {.op = ROOF_COLL_ALL_REDUCE, .bytes = 1048576.0, .group = 2, .proto = ROOF_PROTO_LL128};
    roof_comm_time t;
    roof_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_OK);
    assert_int_equal(t.proto, ROOF_PROTO_LL128);
    assert_int_equal(t.domain, ROOF_DOMAIN_BRIDGE);
    c.group = 4;
    assert_int_equal(roof_comm_time_of(&hw, &c, &t, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "NCCL enables LL128 only where the node's GPUs meet through NVLink (got 'll128' on "
                                 "'synthetic', hw.network.node.link pci)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_all_reduce),
        cmocka_unit_test(test_other_ops_one_node),
        cmocka_unit_test(test_nothing_moves),
        cmocka_unit_test(test_grows_with_size),
        cmocka_unit_test(test_hier_two_nodes),
        cmocka_unit_test(test_nvls),
        cmocka_unit_test(test_auto_is_fastest),
        cmocka_unit_test(test_bus_factors),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_nccl_choice_switches),
        cmocka_unit_test(test_nccl_forced_and_errors),
        cmocka_unit_test(test_sharp_across_nodes),
        cmocka_unit_test(test_nccl_channels_by_size),
        cmocka_unit_test(test_a2a_levels_off),
        cmocka_unit_test(test_fat_tree),
        cmocka_unit_test(test_nccl_cost_tables),
        cmocka_unit_test(test_node_domains),
        cmocka_unit_test(test_bridge_nvlink_protocols),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
