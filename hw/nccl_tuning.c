/* SPDX-License-Identifier: GPL-3.0-or-later */
/* NCCL's tuning model, one node and across nodes. Every table and formula below is NVIDIA/nccl
 * v2.27.7-1 (593de54e52679b51428571c13271e2ea9f91b1b1), src/graph/tuning.cc,
 * read and restated (no code copied), but for Blackwell's rows of the
 * per-channel caps, which are v2.29.7-1's, and the ring's plateau inside
 * one node, the refactored tuner's (roof_nccl_ring_plateau, below); the
 * comments name the array or line. */
#include "hw/nccl_tuning.h"

#include <math.h>

/* baseLat[algo][proto], us (tuning.cc lines 134-137): Tree {6.8, 14.0, 8.4},
 * Ring {6.6, 14.0, 8.4}; NVLS, NVLS-tree, CollNetDirect and CollNetChain 0
 * (their latency is the hardware latency alone). Rows in roof_nccl_algo
 * order (the all-pairs row is RCCL's, unused here). */
static const double base_lat[ROOF_NCCL_ALGO_COUNT][ROOF_NCCL_PROTO_COUNT] = {
    {6.8, 14.0, 8.4}, {6.6, 14.0, 8.4}, {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0},
    {0.0, 0.0, 0.0},  {0.0, 0.0, 0.0},  {0.0, 0.0, 0.0}};

/* hwLat[NCCL_HW_NVLINK][algo][proto], us (lines 143-147): Tree {.6, 1.25,
 * 4.0}, Ring {.6, 1.9, 3.4}, CollNetDirect {0, 0, 3.7}, CollNetChain {0, 0,
 * 2.8}, NVLS {0, 0, 25}, NVLSTree {0, 0, 25}. The third row here is NVLS
 * inside one node and NVLS-tree across nodes (both 25); the last, NCCL's
 * NVLS across nodes (25). */
static const double nvlink_lat[ROOF_NCCL_ALGO_COUNT][ROOF_NCCL_PROTO_COUNT] = {
    {0.6, 1.25, 4.0}, {0.6, 1.9, 3.4}, {0.0, 0.0, 25.0}, {0.0, 0.0, 0.0},
    {0.0, 0.0, 3.7},  {0.0, 0.0, 2.8}, {0.0, 0.0, 25.0}};

/* hwLat[NCCL_HW_PCI][algo][proto], us (lines 149-151): Tree {1.0, 1.9,
 * 4.0}, Ring {1.0, 2.5, 5.7}, CollNetDirect {0, 0, 3.7}, CollNetChain {0,
 * 0, 2.8}, NVLS and NVLSTree 0: the intra-node row where the graph's GPUs
 * meet over PCIe (intraHw, line 246: typeIntra == LINK_NVL ? NVLINK : PCI). */
static const double pci_lat[ROOF_NCCL_ALGO_COUNT][ROOF_NCCL_PROTO_COUNT] = {
    {1.0, 1.9, 4.0}, {1.0, 2.5, 5.7}, {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0},
    {0.0, 0.0, 3.7}, {0.0, 0.0, 2.8}, {0.0, 0.0, 0.0}};

/* hwLat[NCCL_HW_NET][algo][proto], us (lines 153-155): Tree {5.0, 8.5, 14},
 * Ring {2.7, 4.0, 14.0}, CollNetDirect {0, 0, 31}, CollNetChain {0, 0, 30},
 * NVLS {0, 0, 18}, NVLSTree {0, 0, 14}; the third row here is NVLSTree,
 * the last NVLS (across nodes). */
static const double net_lat[ROOF_NCCL_ALGO_COUNT][ROOF_NCCL_PROTO_COUNT] = {
    {5.0, 8.5, 14.0}, {2.7, 4.0, 14.0}, {0.0, 0.0, 14.0}, {0.0, 0.0, 0.0},
    {0.0, 0.0, 31.0}, {0.0, 0.0, 30.0}, {0.0, 0.0, 18.0}};

/* Per architecture and column (N1 one node, N2 two nodes, N4 more) of
 * perChMaxRingLL128Bws, perChMaxTreeLL128Bws and perChMaxTreeBws (lines
 * 165-189), GB/s per channel. Index: roof_nccl_arch, then column.
 * Blackwell's rows are not 2.27.7's, which wrote them as twice Hopper's:
 * they are NVIDIA/nccl v2.29.7-1's (b91894bd5b190c874d98a017f93f5daa515b65d0,
 * src/graph/tuning.cc lines 176-193, ncclTunerConstantsDefaults), where
 * NVIDIA replaced those placeholders: tree and tree LL128 since v2.28.3-1
 * (unchanged through v2.30.7-1), ring LL128 40.0 since v2.29.7-1. A B200
 * sweep under NCCL 2.29.7 confirms the tree's: 4 to 64 nodes measure a
 * busbw of 186-193 GB/s where 8 channels x 24.0 give 186-191
 * (docs/validation.md). The rest of the model stays 2.27.7's. */
static const double ring_ll128_ch_bw[ROOF_NCCL_ARCH_COUNT][3] = {
    {0, 0, 0}, {20.0, 20.0, 20.0}, {36.7, 36.7, 36.7}, {40.0, 40.0, 40.0}};
static const double tree_ll128_ch_bw[ROOF_NCCL_ARCH_COUNT][3] = {
    {0, 0, 0}, {20.0, 20.0, 20.0}, {36.7, 36.7, 29.0}, {55.6, 31.67, 20.0}};
static const double tree_ch_bw[ROOF_NCCL_ARCH_COUNT][3] = {
    {0, 0, 0}, {24.0, 23.6, 17.8}, {38.7, 41.4, 36.0}, {70.0, 42.8, 24.0}};

/* nvlsEfficiency (NVIDIA/nccl v2.29.2-1, ebd1e929285881cb4df02c3459588a2e12b2d8c0,
 * src/graph/tuning.cc lines 133-139, since v2.28.3-1): the share of an NVLS
 * channel's bwIntra its busBw reaches, Hopper 0.85, Blackwell 0.74 (none
 * before Hopper, which has no NVLS). Index: roof_nccl_arch. */
static const double nvls_efficiency[ROOF_NCCL_ARCH_COUNT] = {0.0, 0.0, 0.85, 0.74};

/* llMaxBws (lines 165-170): one node looks the row up by GPU (Ampere 87.7,
 * Hopper 141.0, Blackwell 2 x 141.0, column N1); across nodes by CPU, row 0
 * for Intel hosts: 39.0 (N2) and 20.4 (N4). */
static double ll_max_bw(roof_nccl_arch arch, int column)
{
    static const double gpu_n1[ROOF_NCCL_ARCH_COUNT] = {0.0, 87.7, 141.0, 2 * 141.0};
    static const double intel[3] = {39.0, 39.0, 20.4};
    return column == 0 ? gpu_n1[arch] : intel[column];
}

/* getNetOverhead (lines 204-209): 1 us on an Intel x86 host. */
static const double net_overhead_us = 1.0;

/* treeCorrectionFactor[proto][log2(nBytes / 64)], powers of two from 64 B
 * to 256 MiB (lines 553-558). */
static const double tree_corr[ROOF_NCCL_PROTO_COUNT][23] = {
    {1.0, 1.0, 1.0, 1.0, .9, .8, .7, .7, .7, .7, .6, .5, .4, .4, .5, .6, .7, .8, .9, 1.0, 1.0, 1.0, 1.0},
    {1.0, 1.0, 1.0, 1.0, 1.0, .9, .8, .8, .8, .7, .6, .6, .6, .6, .6, .6, .8, .9, .9, .9, .9, 1.0, 1.0},
    {.9, .9, .9, .9, .9, .9, .9, .8, .7, .6, .6, .5, .5, .5, .5, .6, .7, .8, .7, .7, .8, .9, .9}};

static double min2(double a, double b)
{
    return a < b ? a : b;
}

static double max2(double a, double b)
{
    return a > b ? a : b;
}

/* log2i: floor(log2(n)) for n >= 1. */
static double log2i(double n)
{
    return floor(log2(n));
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

static int64_t nodes_of(const roof_nccl_topo *t)
{
    return t->nodes > 1 ? t->nodes : 1;
}

/* ---- RCCL (hw/nccl_tuning.h roof_nccl_is_rccl) ---------------------
 * ROCm/rccl 2.21.5 (0cbce2a7571c907554199fad7e905f16ec0a565c),
 * src/graph/tuning.cc, read and restated (no code copied). */

/* baseLat[algo][proto], us (lines 57-60): Tree and Ring {12, 12, 17}. */
static const double rccl_base_lat[ROOF_NCCL_PROTO_COUNT] = {12.0, 12.0, 17.0};

/* tuning_model_5 (lines 224-252). hwLat[NCCL_HW_NVLINK] (line 227): Tree
 * {0.9, 0, 2.3}, Ring {0.8, 0, 2.1}; index: tree, ring. */
static const double rccl5_nvlink_lat[2][ROOF_NCCL_PROTO_COUNT] = {{0.9, 0.0, 2.3}, {0.8, 0.0, 2.1}};

/* bwRatio[0] (2 nodes or fewer, line 236): Tree {0.06, 0, 0.11}, Ring
 * {0.08, 0, 1.00}. */
static const double rccl5_bw_ratio[2][ROOF_NCCL_PROTO_COUNT] = {{0.06, 0.0, 0.11}, {0.08, 0.0, 1.00}};

/* treeCorrectionFactor[proto][logSize], logSize = log2i(nBytes >> 6)
 * capped at 26 (lines 242-244). LL128's row is all 0 (never offered). */
static const double rccl5_tree_corr[ROOF_NCCL_PROTO_COUNT][27] = {
    {.1, .1, .1, .1, .1, .1, 1., 1., 1., 1., 1., .6, 1., .9, 1., 1., .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1},
    {0.0},
    {.1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .7, 1., 1., 1., 1., 1., 1., 1., 1., 1., 1., .8}};

int roof_nccl_is_rccl(roof_nccl_arch arch)
{
    return arch == ROOF_NCCL_ARCH_GFX942;
}

/* rome_model_79: nGpus = 8 (rome_models.cc), matched by parseA2a8P only
 * for 8 GPUs on 2 CPUs (its "ngpus != 8" check). */
enum { RCCL_MODEL_79_GPUS = 8 };

int roof_nccl_covers(roof_nccl_arch arch, int64_t ranks, int64_t nodes)
{
    if (!roof_nccl_is_rccl(arch))
        return 1;
    return nodes <= 1 && ranks == RCCL_MODEL_79_GPUS;
}

/* What RCCL offers on one gfx942 node: ring for every function, tree for
 * all-reduce (as NCCL, lines 359-362) but not with Simple on a gfx94 node
 * holding every rank (line 365: its entry is skipped and stays 0); LL128
 * is off (lines 509-517: only gfx90a with a tuning table enables it, and
 * tuning_model_5's bwRatio for it is 0); no NVLS. */
static int rccl_offered(const roof_nccl_topo *t, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p)
{
    if (!roof_nccl_covers(t->arch, t->ranks, t->nodes) || t->channels < 1 || p == ROOF_NCCL_LL128 ||
        (a != ROOF_NCCL_TREE && a != ROOF_NCCL_RING && a != ROOF_NCCL_ALLPAIRS))
        return 0;
    if (a == ROOF_NCCL_TREE && (f != ROOF_NCCL_ALL_REDUCE || p == ROOF_NCCL_SIMPLE))
        return 0;
    if (a == ROOF_NCCL_ALLPAIRS && f != ROOF_NCCL_ALL_REDUCE)
        return 0;
    return 1;
}

/* The ranges of tools/msccl-algorithms/allreduce-allpairs-8n-*.xml (their
 * algo element: ngpus 8, minBytes, maxBytes, proto), the union of in place
 * and out of place, from 1 KiB (hw/nccl_tuning.h). */
int roof_rccl_allpairs_proto(double bytes, int64_t ranks, roof_nccl_proto *p)
{
    if (ranks != 8 || !(bytes >= 1024.0) || bytes > 16777216.0)
        return 0;
    *p = bytes < 524288.0 ? ROOF_NCCL_LL : ROOF_NCCL_SIMPLE;
    return 1;
}

/* ncclTopoTuneModel's HIP branch, one node (lines 366-466). busBw =
 * nChannels x bwIntra (line 369; baseBw is 0 outside tuning=4 models) times
 * bwRatio (lines 377-380), x1.65 for a ring LL broadcast on gfx94 (line
 * 381); then bus to algorithm bandwidth as NCCL (lines 416-423). Latency:
 * baseLat plus nsteps x hwLat for a ring (lines 435-453; broadcast on a
 * graph with sameChannels, which the rome-model graphs keep from
 * ncclTopoCompute, search.cc line 934: one hop), 2 (nRanks - 1) x hwLat for
 * a tree (lines 454-456). */
static int rccl_cost_of(const roof_nccl_topo *t, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p,
                        roof_nccl_cost *out)
{
    if (!rccl_offered(t, f, a, p))
        return 0;
    double n = (double)t->ranks, nsteps = ring_steps(f, n);
    if (a == ROOF_NCCL_ALLPAIRS) {
        /* MSCCL all-pairs (the XML files of roof_rccl_allpairs_proto): every
         * GPU reduces its 1/n share from all n - 1 peers at once, then sends
         * the result to them, 2 hops deep. Derived here, not RCCL's: the
         * latency as RCCL's ring with nsteps = 2, baseLat + 2 hwLat[NVLINK]
         * [Ring] (12 + 1.6 us LL, 17 + 4.2 us Simple); the bandwidth, all
         * links at once: each GPU sends 2 (n - 1)/n of the buffer over its
         * links (channels x bwIntra = totalBw), Simple at the full rate as
         * RCCL's ring Simple (bwRatio 1.0), LL at half of it, the 8 B of
         * data in every 16 B line of NCCL's LL protocol (NCCL's ring LL
         * busBw x .5: ROCm/rccl@0cbce2a7 tuning.cc line 383, the non-HIP
         * branch; refined_bus above). */
        double links = (double)t->channels * t->channel_bw;
        out->bw_gbs = links * (p == ROOF_NCCL_LL ? 0.5 : 1.0) / (2.0 * (n - 1.0) / n);
        out->lat_us = rccl_base_lat[p] + 2.0 * rccl5_nvlink_lat[1][p];
        return out->bw_gbs > 0.0;
    }
    int ai = a == ROOF_NCCL_TREE ? 0 : 1;
    double bus = (double)t->channels * t->channel_bw * rccl5_bw_ratio[ai][p];
    if (a == ROOF_NCCL_RING && p == ROOF_NCCL_LL && f == ROOF_NCCL_BROADCAST)
        bus *= 1.65;
    out->bw_gbs = bus * (a == ROOF_NCCL_RING ? n / nsteps : 0.5);
    double hop = rccl5_nvlink_lat[ai][p];
    if (a == ROOF_NCCL_TREE)
        out->lat_us = rccl_base_lat[p] + 2.0 * (n - 1.0) * hop;
    else if (f == ROOF_NCCL_BROADCAST)
        out->lat_us = rccl_base_lat[p] + hop;
    else
        out->lat_us = rccl_base_lat[p] + nsteps * hop;
    return out->bw_gbs > 0.0;
}

/* ncclTopoGetAlgoTime's HIP branch (lines 648-658): a tree's bandwidth
 * times treeCorrectionFactor[p][min(logSize, 26)], with RCCL's log2i (0
 * for 0 and 1, src/include/utils.h lines 46-50); a ring inside one node
 * uncorrected; no channel term. */
static double rccl_tree_correction(roof_nccl_proto p, double bytes)
{
    double units = floor(bytes / 64.0);
    int log_size = units >= 2.0 ? (int)floor(log2(units)) : 0;
    return rccl5_tree_corr[p][log_size < 26 ? log_size : 26];
}

/* Is a CollNet algorithm (or NVLS across nodes over SHARP)? */
static int in_network(roof_nccl_algo a)
{
    return a == ROOF_NCCL_COLLNET_DIRECT || a == ROOF_NCCL_COLLNET_CHAIN || a == ROOF_NCCL_NVLS_SHARP;
}

/* The algorithms NCCL runs each function with: broadcast ring only; all-gather
 * and reduce-scatter ring or NVLS (PAT needs one GPU per node); all-reduce
 * all three. NVLS is Simple only. Across nodes NVLS is NVLS-tree, an
 * all-reduce algorithm (NVLS all-gather and reduce-scatter across nodes
 * need CollNet, lines 301-316), and NCCL's default enable disables NVLS
 * proper there (lines 443-448).
 * With the network's in-switch reduction (t->collnet: collnetEnable, lines
 * 443-448 then keep them): CollNetDirect, CollNetChain and NVLS proper
 * across nodes, Simple only (lines 286-287, 262), for all-reduce. Their
 * all-gather and reduce-scatter (CollNetDirect, NVLS) need the CollNet
 * plugin's iallgather and ireducescatter and no more local ranks than
 * CollNet heads (lines 301-316), which the profile does not describe: left
 * out. CollNetDirect needs an NVSwitch (line 450): every NVLink profile
 * with an arch and a cluster tier is an NVSwitch (HGX/DGX or NVL72) system;
 * a PCIe node (t->pci) has none. */
static int offered(const roof_nccl_topo *t, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p)
{
    if (t->arch <= ROOF_NCCL_ARCH_NONE || t->arch >= ROOF_NCCL_ARCH_COUNT || t->ranks < 2 || t->channels < 1)
        return 0;
    int multi = nodes_of(t) > 1;
    if (multi && (t->net_channels < 1 || !(t->net_channel_bw > 0.0) || t->ranks % t->nodes != 0))
        return 0;
    if (in_network(a))
        return multi && t->collnet && f == ROOF_NCCL_ALL_REDUCE && p == ROOF_NCCL_SIMPLE &&
               (a != ROOF_NCCL_NVLS_SHARP || (t->nvls_channels >= 1 && t->arch >= ROOF_NCCL_ARCH_HOPPER));
    if (f == ROOF_NCCL_BROADCAST && a != ROOF_NCCL_RING)
        return 0;
    if (a == ROOF_NCCL_TREE && f != ROOF_NCCL_ALL_REDUCE)
        return 0;
    if (a == ROOF_NCCL_NVLS && (p != ROOF_NCCL_SIMPLE || t->nvls_channels < 1 || t->arch < ROOF_NCCL_ARCH_HOPPER))
        return 0;
    /* LL128 is on by default only where the graph's GPUs meet through
     * NVLink (line 468: typeIntra <= PATH_NVB). A PCIe node has no NVSwitch:
     * no NVLS (its graph needs one) and no CollNetDirect (line 450:
     * nvsCount == 0). */
    if (t->pci &&
        (p == ROOF_NCCL_LL128 || a == ROOF_NCCL_NVLS || a == ROOF_NCCL_NVLS_SHARP || a == ROOF_NCCL_COLLNET_DIRECT))
        return 0;
    if (a == ROOF_NCCL_NVLS && multi && f != ROOF_NCCL_ALL_REDUCE)
        return 0;
    return a != ROOF_NCCL_ALLPAIRS; /* RCCL's MSCCL only */
}

/* Bus bandwidth (GB/s) after the "various model refinements" (lines
 * 278-298), column col of the per-architecture tables. */
static double refined_bus(const roof_nccl_topo *t, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p, double nch,
                          double bw, int col)
{
    double bus = nch * bw;
    int one = col == 0;
    if (a == ROOF_NCCL_RING && p == ROOF_NCCL_LL)
        bus = min2(ll_max_bw(t->arch, col), bus * 0.5);
    if (a == ROOF_NCCL_RING && p == ROOF_NCCL_LL128)
        bus = min2(bus * 0.92, nch * ring_ll128_ch_bw[t->arch][col]);
    if (a == ROOF_NCCL_TREE && f == ROOF_NCCL_ALL_REDUCE)
        bus = min2(bus * 0.92, nch * tree_ch_bw[t->arch][col]);
    if (a == ROOF_NCCL_TREE && p == ROOF_NCCL_LL)
        bus = min2(bus / 3.8, ll_max_bw(t->arch, col));
    if (a == ROOF_NCCL_TREE && p == ROOF_NCCL_LL128)
        bus = min2(bus * (one ? 7.0 / 9.0 : 120.0 / 128.0), nch * tree_ll128_ch_bw[t->arch][col]);
    return bus;
}

int roof_nccl_cost_of(const roof_nccl_topo *t, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p,
                      roof_nccl_cost *out)
{
    out->lat_us = 0.0;
    out->bw_gbs = 0.0;
    if ((unsigned)p >= ROOF_NCCL_PROTO_COUNT || (unsigned)a >= ROOF_NCCL_ALGO_COUNT)
        return 0;
    if (roof_nccl_is_rccl(t->arch))
        return rccl_cost_of(t, f, a, p, out);
    if (!offered(t, f, a, p))
        return 0;
    double n = (double)t->ranks, nodes = (double)nodes_of(t), ppn = n / nodes;
    int multi = nodes > 1.0;
    int col = nodes <= 2.0 ? (int)nodes - 1 : 2; /* index2 */
    double nsteps = ring_steps(f, n);
    /* One node: the node graph (bwIntra). Across nodes: the network graph,
     * bwIntra for 2 nodes and bwInter beyond (equal here). */
    double nch = multi ? (double)t->net_channels : (double)t->channels;
    double bw = multi ? t->net_channel_bw : t->channel_bw;
    if (a == ROOF_NCCL_NVLS && !multi) {
        /* NVLS inside one node as NCCL v2.28.3-1 and later model it
         * (v2.29.2-1 tuning.cc lines 285-299), where 2.27.7 took
         * min(bwIntra, bwInter) for all-reduce and 5/6 of the bus bandwidth
         * as its algorithm bandwidth: the channel's bwIntra x nvlsEfficiency
         * x (nChannels - 1) / nChannels, twice that for all-reduce ("pipelines
         * two operations"), (ppn - 1) / ppn of it for all-gather and
         * reduce-scatter; at most the graph's bwInter, which the search
         * raises above bwIntra where the architecture's speeds allow
         * (hw.network.node.nvls_inter_bandwidth). All-reduce's bus bandwidth
         * then converts to algorithm bandwidth as a ring's, nRanks / nsteps
         * (below). On an H100 node (bwIntra 40, bwInter 60, 8 channels) that
         * gives 8 x min(59.5, 60) x 8/14 = 272 GB/s, where 2.27.7 gave 266.7;
         * on a B200 node (90, 90) 8 x min(116.6, 90) x 8/14 = 411, where
         * 2.27.7 gave 600 (docs/validation.md, "NVLS inside one node"). */
        nch = (double)t->nvls_channels;
        double inter = t->nvls_inter_bw > 0.0 ? t->nvls_inter_bw : t->nvls_channel_bw;
        double intra = t->nvls_channel_bw * nvls_efficiency[t->arch] * (nch - 1.0) / nch *
                       (f == ROOF_NCCL_ALL_REDUCE ? 2.0 : (ppn - 1.0) / ppn);
        bw = min2(intra, inter);
    } else if (a == ROOF_NCCL_NVLS) {
        /* NVLS-tree (line 275): min(bwIntra, bwInter for 2 nodes, bwInter/2
         * beyond) on the NVLS graph. Its bwInter is the network graph's
         * bandwidth per GPU spread over the NVLS channels (one head GPU and
         * NIC per channel, search.cc ncclTopoSearchTryNvls). */
        nch = (double)t->nvls_channels;
        double inter = (double)t->net_channels * t->net_channel_bw / nch;
        bw = min2(t->nvls_channel_bw, nodes <= 2.0 ? inter : inter / 2.0);
    } else if (a == ROOF_NCCL_NVLS_SHARP) {
        /* NVLS across nodes, all-reduce (line 269): min(bwIntra, bwInter) of
         * the NVLS graph, its bwInter as NVLS-tree's above. */
        nch = (double)t->nvls_channels;
        bw = min2(t->nvls_channel_bw, (double)t->net_channels * t->net_channel_bw / nch);
    }
    /* CollNet (line 266) takes its graph's bwIntra at any node count. The
     * CollNet graphs are searched over the NICs as the network graph is
     * (CollNetChain with the ring graph's nChannels, init.cc lines 863-868):
     * taken as the network graph's channels and bandwidth. */
    double bus = refined_bus(t, f, a, p, nch, bw, col);
    if (a == ROOF_NCCL_COLLNET_DIRECT) {
        /* "Collnet+Direct requires all GPUs to have a local NIC to work at
         * full speed" (lines 288-298): busBw over the GPU:NIC ratio
         * ppn / nChannels, less half its excess over 1; x .85 from sm90. */
        double factor = ppn / nch;
        factor -= (factor - 1.0) / 2.0;
        bus /= factor;
        if (t->arch >= ROOF_NCCL_ARCH_HOPPER)
            bus *= 0.85;
    }
    /* Bus bandwidth to algorithm bandwidth (lines 320-327): ring
     * nRanks/nsteps, NVLS and NVLS-tree 5/6, tree 1/2; none for NVLS
     * all-gather/reduce-scatter (already algbw). NVLS all-reduce inside one
     * node: nRanks/nsteps (v2.29.2-1 line 348, with its bandwidth above). */
    if (a == ROOF_NCCL_RING || (a == ROOF_NCCL_NVLS && !multi && f == ROOF_NCCL_ALL_REDUCE))
        bus *= n / nsteps;
    else if ((a == ROOF_NCCL_NVLS || a == ROOF_NCCL_NVLS_SHARP) && f == ROOF_NCCL_ALL_REDUCE)
        bus *= 5.0 / 6.0;
    else if (a == ROOF_NCCL_TREE || a == ROOF_NCCL_COLLNET_DIRECT || a == ROOF_NCCL_COLLNET_CHAIN)
        bus *= 0.5; /* tree and CollNet: the "else" ratio */
    out->bw_gbs = bus;

    /* Latencies (lines 329-378): baseLat, intraLat = hwLat[NVLINK] (PCI over
     * PCIe), interLat
     * = hwLat[NET] (the Tree row when ppn = 1, all exposed; the plugin's
     * latencyInter taken as 0). */
    double intra = t->pci ? pci_lat[a][p] : nvlink_lat[a][p];
    double inter = ppn == 1.0 ? net_lat[ROOF_NCCL_TREE][p] : net_lat[a][p];
    if (a == ROOF_NCCL_RING && f == ROOF_NCCL_BROADCAST) {
        /* Broadcast's ring on a graph whose channels are all the same ring
         * (sameChannels, as NVSwitch graphs are after ncclTopoDupChannels)
         * pays one hop, on the network's table across nodes. A PCIe graph
         * is taken as the same (the search tries sameChannels first; its
         * two channels are not duplicated below 25 GB/s, search.cc line
         * 940): an assumption, no broadcast row checks it. */
        out->lat_us = base_lat[a][p] + (multi ? net_lat[a][p] : intra);
    } else if (a == ROOF_NCCL_RING) {
        /* Every intra-node step waits at least the network overhead (x3 for
         * Simple); 2(nNodes-1) (all-reduce) or nNodes-1 of the steps cross
         * the network. */
        double over = multi ? net_overhead_us * (p == ROOF_NCCL_SIMPLE ? 3.0 : 1.0) : 0.0;
        double inter_steps = !multi ? 0.0 : f == ROOF_NCCL_ALL_REDUCE ? 2.0 * (nodes - 1.0) : nodes - 1.0;
        out->lat_us = base_lat[a][p] + (nsteps - inter_steps) * max2(intra, over) + inter_steps * inter;
    } else if (a == ROOF_NCCL_TREE) {
        /* Up and down: ppn-1 chain hops inside a node, log2i(nNodes) tree
         * hops between nodes (log2i(1) = 0). */
        out->lat_us = base_lat[a][p] + 2.0 * ((ppn - 1.0) * intra + log2i(nodes) * inter);
    } else if (a == ROOF_NCCL_COLLNET_DIRECT) {
        /* One NVLink hop to the node's NICs each way and 0.4 us of "arity
         * serialization" per local peer, then the switch (lines 362-364). */
        out->lat_us = base_lat[a][p] + 2.0 * (min2(1.0, ppn - 1.0) * intra + (ppn - 1.0) * 0.4) + inter;
    } else if (a == ROOF_NCCL_COLLNET_CHAIN) {
        /* A chain through the node's ranks each way, then the switch (lines
         * 365-366). */
        out->lat_us = base_lat[a][p] + 2.0 * (ppn - 1.0) * intra + inter;
    } else if (a == ROOF_NCCL_NVLS_SHARP) {
        out->lat_us = intra + inter; /* NVLS across nodes (lines 367-369) */
    } else if (!multi) {
        out->lat_us = intra; /* NVLS: the hardware latency alone */
    } else {
        out->lat_us = base_lat[a][p] + intra + 2.0 * log2i(nodes) * inter; /* NVLS-tree */
    }
    return out->bw_gbs > 0.0;
}

/* comm->nChannels: twice the ring graph's channels, at most MAXCHANNELS
 * 64, and across nodes on Hopper and later with bwInter above 45 GB/s and
 * under 16, twice again (roof_nccl_channel_share's sources). */
static double comm_channels(const roof_nccl_topo *t)
{
    int multi = nodes_of(t) > 1;
    double graph = multi ? (double)t->net_channels : (double)t->channels;
    double comm = min2(64.0, 2.0 * graph);
    if (multi && t->arch >= ROOF_NCCL_ARCH_HOPPER && t->net_channel_bw > 45.0 && comm < 16.0)
        comm *= 2.0;
    return comm;
}

double roof_nccl_channel_share(const roof_nccl_topo *t, roof_nccl_algo a, roof_nccl_proto p, double bytes)
{
    /* RCCL: none (its tables were set with the time model that has no
     * channel term, tuning.cc lines 650-658). */
    if (a == ROOF_NCCL_NVLS || in_network(a) || (unsigned)p >= ROOF_NCCL_PROTO_COUNT || roof_nccl_is_rccl(t->arch))
        return 1.0;
    double comm = comm_channels(t);
    if (!(comm >= 1.0))
        return 1.0;
    double nt = p == ROOF_NCCL_LL128 ? 640.0 : 512.0;
    double thr = p == ROOF_NCCL_SIMPLE ? 64.0 : 8.0;
    if (a == ROOF_NCCL_RING && p == ROOF_NCCL_LL)
        thr *= (double)t->ranks;
    /* The largest nc <= comm with nBytes >= nc nt thr, at least 1. */
    double nc = floor(bytes / (nt * thr));
    nc = nc < 1.0 ? 1.0 : nc > comm ? comm : nc;
    return nc / comm;
}

/* NVIDIA/nccl@12df1a11 src/tuning/ring.cc, ncclTuningRingModelSim (read
 * and restated, no code copied): inside one NVLink domain the Simple
 * ring's plateau factor (1.4 from compute capability 8.0) grows with the
 * ring's steps, 1 + (1 - (0.1 / 0.4)^(nsteps - 1)) x 0.4 (none for one
 * step, 1.3 for two, 1.4 from about six), its delta less up to 0.1 as
 * the bytes per rank and channel go from 256 to 512 KiB; channels:
 * comm->nChannels (comm_channels). NCCL
 * applies it to Blackwell's choice; the one-node measurements of Ampere,
 * Hopper and Blackwell show it in the time (docs/validation.md,
 * "NCCL's plateau inside one node"). */
double roof_nccl_ring_plateau(const roof_nccl_topo *t, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p,
                              double bytes)
{
    enum { PLATEAU_MIN_BYTES = 64 };
    const double max_delta = 0.4, delta_step = 0.1, kib = 1024.0;
    if (a != ROOF_NCCL_RING || p != ROOF_NCCL_SIMPLE || nodes_of(t) > 1 || t->pci || roof_nccl_is_rccl(t->arch) ||
        t->arch < ROOF_NCCL_ARCH_AMPERE || t->ranks < 2 || t->channels < 1 ||
        (f != ROOF_NCCL_ALL_REDUCE && f != ROOF_NCCL_ALL_GATHER && f != ROOF_NCCL_REDUCE_SCATTER))
        return 1.0;
    double per = floor(bytes / (comm_channels(t) * (double)t->ranks));
    if (!(per >= PLATEAU_MIN_BYTES))
        return 1.0;
    double steps = ring_steps(f, (double)t->ranks);
    double step_scale = 1.0 - pow(delta_step / max_delta, max2(0.0, steps - 1.0));
    double delta = max_delta;
    if (per > 256.0 * kib)
        delta -= delta_step * min2(1.0, (per - 256.0 * kib) / (256.0 * kib));
    return 1.0 + step_scale * delta;
}

double roof_nccl_tree_correction(roof_nccl_proto p, double bytes)
{
    /* logSize = log2i(nBytes >> 6); log2i(0) = -1: no correction. */
    double units = floor(bytes / 64.0);
    if ((unsigned)p >= ROOF_NCCL_PROTO_COUNT || !(units >= 1.0))
        return 1.0;
    int log_size = ilogb(units); /* floor(log2(units)), exactly, for units >= 1 */
    return log_size < 23 ? tree_corr[p][log_size] : 1.0;
}

double roof_nccl_time_s(const roof_nccl_topo *t, const roof_nccl_cost *c, roof_nccl_func f, roof_nccl_algo a,
                        roof_nccl_proto p, double bytes)
{
    double bw = c->bw_gbs, lat = c->lat_us;
    if (roof_nccl_is_rccl(t->arch)) {
        if (a == ROOF_NCCL_TREE && (unsigned)p < ROOF_NCCL_PROTO_COUNT)
            bw *= rccl_tree_correction(p, bytes);
        return lat * 1e-6 + bytes / (bw * 1e9);
    }
    if (a == ROOF_NCCL_TREE && f == ROOF_NCCL_ALL_REDUCE)
        bw *= roof_nccl_tree_correction(p, bytes);
    /* Plateau effect of ring (ncclTopoGetAlgoTime, lines 570-573): x1.4 on
     * Ampere and later when nBytes / (nChannels nRanks) >= 64. */
    int64_t nch = nodes_of(t) > 1 ? t->net_channels : t->channels;
    if (a == ROOF_NCCL_RING && p == ROOF_NCCL_SIMPLE && f == ROOF_NCCL_ALL_REDUCE && nodes_of(t) > 1 && nch > 0 &&
        t->ranks > 0 && bytes / ((double)nch * (double)t->ranks) >= 64.0)
        lat *= 1.4;
    /* time (us) = lat * latCount + nBytes / (1000 * bw), one operation. */
    return lat * 1e-6 + bytes / (bw * 1e9);
}
