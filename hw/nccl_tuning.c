/* SPDX-License-Identifier: GPL-3.0-or-later */
/* NCCL's tuning model, single node. Every table and formula below is NVIDIA/nccl
 * v2.27.7-1 (593de54e52679b51428571c13271e2ea9f91b1b1), src/graph/tuning.cc,
 * read and restated (no code copied); the comments name the array or line. */
#include "hw/nccl_tuning.h"

#include <math.h>

/* baseLat[algo][proto], us: Tree {6.8, 14.0, 8.4}, Ring {6.6, 14.0, 8.4};
 * NVLS 0 (its latency is set to the hardware latency alone). */
static const double base_lat[ROOF_NCCL_ALGO_COUNT][ROOF_NCCL_PROTO_COUNT] = {
    {6.8, 14.0, 8.4}, {6.6, 14.0, 8.4}, {0.0, 0.0, 0.0}};

/* hwLat[NCCL_HW_NVLINK][algo][proto], us: Tree {.6, 1.25, 4.0}, Ring {.6,
 * 1.9, 3.4}, NVLS {0, 0, 25}. */
static const double nvlink_lat[ROOF_NCCL_ALGO_COUNT][ROOF_NCCL_PROTO_COUNT] = {
    {0.6, 1.25, 4.0}, {0.6, 1.9, 3.4}, {0.0, 0.0, 25.0}};

/* Per architecture, column N1 (one node) of llMaxBws, perChMaxRingLL128Bws,
 * perChMaxTreeLL128Bws and perChMaxTreeBws, GB/s. Blackwell's rows are
 * written as twice Hopper's in the source. Index: roof_nccl_arch. */
static const double ll_max_bw[ROOF_NCCL_ARCH_COUNT] = {0.0, 87.7, 141.0, 2 * 141.0};
static const double ring_ll128_ch_bw[ROOF_NCCL_ARCH_COUNT] = {0.0, 20.0, 36.7, 2 * 36.7};
static const double tree_ll128_ch_bw[ROOF_NCCL_ARCH_COUNT] = {0.0, 20.0, 36.7, 2 * 36.7};
static const double tree_ch_bw[ROOF_NCCL_ARCH_COUNT] = {0.0, 24.0, 38.7, 2 * 38.7};

/* treeCorrectionFactor[proto][log2(nBytes / 64)], powers of two from 64 B
 * to 256 MiB. */
static const double tree_corr[ROOF_NCCL_PROTO_COUNT][23] = {
    {1.0, 1.0, 1.0, 1.0, .9, .8, .7, .7, .7, .7, .6, .5, .4, .4, .5, .6, .7, .8, .9, 1.0, 1.0, 1.0, 1.0},
    {1.0, 1.0, 1.0, 1.0, 1.0, .9, .8, .8, .8, .7, .6, .6, .6, .6, .6, .6, .8, .9, .9, .9, .9, 1.0, 1.0},
    {.9, .9, .9, .9, .9, .9, .9, .8, .7, .6, .6, .5, .5, .5, .5, .6, .7, .8, .7, .7, .8, .9, .9}};

static double min2(double a, double b)
{
    return a < b ? a : b;
}

/* nsteps of ncclTopoTuneModel: 2(n-1) for all-reduce, n-1 for all-gather
 * and reduce-scatter, n for the others (broadcast). */
static double ring_steps(roof_nccl_func f, double n)
{
    if (f == ROOF_NCCL_ALL_REDUCE)
        return 2.0 * (n - 1.0);
    if (f == ROOF_NCCL_ALL_GATHER || f == ROOF_NCCL_REDUCE_SCATTER)
        return n - 1.0;
    return n;
}

/* The algorithms NCCL runs each function with: broadcast ring only; all-gather
 * and reduce-scatter ring or NVLS (PAT needs one GPU per node, CollNet a
 * SHARP network); all-reduce all three. NVLS is Simple only. */
static int offered(const roof_nccl_topo *t, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p)
{
    if (t->arch <= ROOF_NCCL_ARCH_NONE || t->arch >= ROOF_NCCL_ARCH_COUNT || t->ranks < 2 || t->channels < 1)
        return 0;
    if (f == ROOF_NCCL_BROADCAST && a != ROOF_NCCL_RING)
        return 0;
    if (a == ROOF_NCCL_TREE && f != ROOF_NCCL_ALL_REDUCE)
        return 0;
    if (a == ROOF_NCCL_NVLS && (p != ROOF_NCCL_SIMPLE || t->nvls_channels < 1 || t->arch < ROOF_NCCL_ARCH_HOPPER))
        return 0;
    return 1;
}

int roof_nccl_cost_of(const roof_nccl_topo *t, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p,
                      roof_nccl_cost *out)
{
    out->lat_us = 0.0;
    out->bw_gbs = 0.0;
    if (!offered(t, f, a, p) || (unsigned)p >= ROOF_NCCL_PROTO_COUNT)
        return 0;
    double n = (double)t->ranks, ch = (double)t->channels, ppn = n; /* one node: ppn = nRanks */
    double nsteps = ring_steps(f, n);
    double bw = t->channel_bw; /* nNodes <= 2: bwIntra */
    double nch = ch;
    if (a == ROOF_NCCL_NVLS) {
        nch = (double)t->nvls_channels;
        /* all-reduce: min(bwIntra, bwInter); all-gather/reduce-scatter:
         * min(bwIntra (ppn-1)/ppn, bwInter 0.9). Inside one node the NVLS
         * search sets bwInter = bwIntra. */
        bw = f == ROOF_NCCL_ALL_REDUCE ? t->nvls_channel_bw
                                       : min2(t->nvls_channel_bw * (ppn - 1.0) / ppn, t->nvls_channel_bw * 0.9);
    }
    double bus = nch * bw;
    /* "Various model refinements". */
    if (a == ROOF_NCCL_RING && p == ROOF_NCCL_LL)
        bus = min2(ll_max_bw[t->arch], bus * 0.5);
    if (a == ROOF_NCCL_RING && p == ROOF_NCCL_LL128)
        bus = min2(bus * 0.92, nch * ring_ll128_ch_bw[t->arch]);
    if (a == ROOF_NCCL_TREE) /* all-reduce only here */
        bus = min2(bus * 0.92, nch * tree_ch_bw[t->arch]);
    if (a == ROOF_NCCL_TREE && p == ROOF_NCCL_LL)
        bus = min2(bus / 3.8, ll_max_bw[t->arch]);
    if (a == ROOF_NCCL_TREE && p == ROOF_NCCL_LL128)
        bus = min2(bus * 7.0 / 9.0, nch * tree_ll128_ch_bw[t->arch]); /* nNodes == 1: 7/9 */
    /* Bus bandwidth to algorithm bandwidth: ring nRanks/nsteps, NVLS 5/6,
     * tree 1/2; none for NVLS all-gather/reduce-scatter (already algbw). */
    if (a == ROOF_NCCL_RING)
        bus *= n / nsteps;
    else if (a == ROOF_NCCL_NVLS && f == ROOF_NCCL_ALL_REDUCE)
        bus *= 5.0 / 6.0;
    else if (a == ROOF_NCCL_TREE)
        bus *= 0.5;
    out->bw_gbs = bus;

    /* Latencies: baseLat plus intraLat = hwLat[NVLINK] per step. Ring:
     * nsteps steps (no inter-node steps); broadcast's ring on a graph whose
     * channels are all the same ring (sameChannels, as NVSwitch graphs are
     * after ncclTopoDupChannels) pays one hop. Tree: 2 (nRanks - 1) hops
     * (log2i(1) = 0 network hops). NVLS: the hardware latency alone. */
    double hop = nvlink_lat[a][p];
    if (a == ROOF_NCCL_RING)
        out->lat_us = base_lat[a][p] + (f == ROOF_NCCL_BROADCAST ? hop : nsteps * hop);
    else if (a == ROOF_NCCL_TREE)
        out->lat_us = base_lat[a][p] + 2.0 * (n - 1.0) * hop;
    else
        out->lat_us = hop;
    return out->bw_gbs > 0.0;
}

double roof_nccl_tree_correction(roof_nccl_proto p, double bytes)
{
    /* logSize = log2i(nBytes >> 6); log2i(0) = -1: no correction. */
    double units = floor(bytes / 64.0);
    if ((unsigned)p >= ROOF_NCCL_PROTO_COUNT || !(units >= 1.0))
        return 1.0;
    int log_size = (int)floor(log2(units));
    return log_size < 23 ? tree_corr[p][log_size] : 1.0;
}

double roof_nccl_time_s(const roof_nccl_cost *c, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p, double bytes)
{
    double bw = c->bw_gbs;
    if (a == ROOF_NCCL_TREE && f == ROOF_NCCL_ALL_REDUCE)
        bw *= roof_nccl_tree_correction(p, bytes);
    /* time (us) = lat * latCount + nBytes / (1000 * bw), one operation. */
    return c->lat_us * 1e-6 + bytes / (bw * 1e9);
}
