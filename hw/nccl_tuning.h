/* SPDX-License-Identifier: GPL-3.0-or-later */
/* NCCL's own cost model of a collective inside one NVLink domain: for each
 * algorithm (ring, tree, NVLS) and protocol (LL, LL128, Simple) a latency
 * and a bandwidth, time = latency + bytes / bandwidth, and NCCL's choice is
 * the fastest predicted.
 *
 * Source: NVIDIA/nccl v2.27.7-1 (commit 593de54e52679b51428571c13271e2ea9f91b1b1;
 * Blackwell's per-channel caps from v2.29.7-1, hw/nccl_tuning.c),
 * src/graph/tuning.cc: ncclTopoTuneModel (the tables baseLat, hwLat,
 * llMaxBws, perChMax*Bws, the "model refinements" and the bus-to-algorithm
 * bandwidth ratios) and ncclTopoGetAlgoTime (treeCorrectionFactor and
 * time = lat + nBytes / (1000 * bw), lat in us, bw in GB/s). The channels
 * and per-channel bandwidths that NCCL's topology search (src/graph/search.cc)
 * finds are inputs here, given by the hardware profile.
 *
 * Across nodes (nodes > 1) the same function's multi-node branch runs:
 * ring and tree over the network graph (its channels and per-channel
 * bwInter, given by the profile's cluster tier), the N2/N4 columns of the
 * per-architecture tables, hwLat[NCCL_HW_NET], the network overhead of each
 * intra-node ring step, and NVLS becomes NVLS-tree (NVLS inside each node,
 * a tree of NICs between them). Where the network reduces in its switches
 * (InfiniBand SHARP through NCCL's CollNet, NCCL_COLLNET_ENABLE=1), the
 * all-reduce also has CollNetDirect, CollNetChain and NVLS across nodes.
 * The host CPU is taken as Intel x86 (llMaxBws
 * row 0 and a 1 us net overhead, getNetOverhead), and the network plugin's
 * own latency (graph latencyInter) as 0, as for InfiniBand verbs.
 */
#ifndef ROOF_HW_NCCL_TUNING_H
#define ROOF_HW_NCCL_TUNING_H

#include <stdint.h>

/* GPU architecture, as NCCL's compCapIndex (tuning.cc): 0 = none, the
 * profile does not use NCCL's model (alpha-beta instead). */
typedef enum {
    ROOF_NCCL_ARCH_NONE,
    ROOF_NCCL_ARCH_AMPERE,    /* sm80: AMPERE_COMPCAP_IDX */
    ROOF_NCCL_ARCH_HOPPER,    /* sm90: HOPPER_COMPCAP_IDX */
    ROOF_NCCL_ARCH_BLACKWELL, /* sm100: BLACKWELL_COMPCAP_IDX */
    ROOF_NCCL_ARCH_GFX942,    /* AMD MI300X/MI325X: RCCL's model (roof_nccl_is_rccl) */
    ROOF_NCCL_ARCH_COUNT
} roof_nccl_arch;

/* NCCL's algorithms and protocols in its order (NCCL_ALGO_*, NCCL_PROTO_*). */
typedef enum {
    ROOF_NCCL_TREE,
    ROOF_NCCL_RING,
    ROOF_NCCL_NVLS,
    ROOF_NCCL_ALLPAIRS, /* RCCL only: MSCCL's all-pairs all-reduce (roof_rccl_allpairs_proto) */
    /* Across nodes with in-network reduction (roof_nccl_topo.collnet):
     * NCCL's CollNetDirect and CollNetChain, and its NVLS algorithm across
     * nodes (NVLink SHARP inside each node, the network's SHARP between;
     * ROOF_NCCL_NVLS across nodes is NCCL's NVLSTree). */
    ROOF_NCCL_COLLNET_DIRECT,
    ROOF_NCCL_COLLNET_CHAIN,
    ROOF_NCCL_NVLS_SHARP,
    ROOF_NCCL_ALGO_COUNT
} roof_nccl_algo;
typedef enum { ROOF_NCCL_LL, ROOF_NCCL_LL128, ROOF_NCCL_SIMPLE, ROOF_NCCL_PROTO_COUNT } roof_nccl_proto;

/* NCCL's functions that the model covers. */
typedef enum {
    ROOF_NCCL_ALL_REDUCE,
    ROOF_NCCL_ALL_GATHER,
    ROOF_NCCL_REDUCE_SCATTER,
    ROOF_NCCL_BROADCAST
} roof_nccl_func;

/* RCCL (ROCm/rccl 2.21.5, commit 0cbce2a7571c907554199fad7e905f16ec0a565c,
 * src/graph/tuning.cc) keeps NCCL's structure, time = lat + nBytes / (1000
 * bw), with AMD's own tables: baseLat (lines 57-60), and per platform an
 * rcclTuningModel entry (lines 67-261) of hwLat, a bwRatio in place of
 * NCCL's refinements (lines 376-381) and tree and ring correction factors
 * by size (lines 650-658, no channel term). gfx942 takes tuning_model_5,
 * which src/graph/rome_models.cc assigns to the 8-GPU fully connected
 * XGMI nodes (rome_model_79: no NIC, as a single-node communicator sees
 * its node once ncclTopoTrimSystem drops the NICs, paths.cc lines 810-814;
 * rome_model_81: 8 NICs; rome_model_84: 16 NICs; "tuning=5"). One node
 * only: across nodes RCCL's ring correction factors (0.1 on a Simple ring
 * below 512 MiB) are for choosing, not timing (docs/validation.md). */
int roof_nccl_is_rccl(roof_nccl_arch arch);

/* Does the model of arch cover a communicator of ranks over nodes? NCCL's:
 * always. RCCL's: 8 ranks on one node only, the communicator rome_model_79
 * matches (nGpus = 8); a smaller group on an MI300X node sees only its
 * (ranks - 1) links per GPU and no rome model (tuning_model_0), which the
 * profile's graph does not describe. */
int roof_nccl_covers(roof_nccl_arch arch, int64_t ranks, int64_t nodes);

/* Does RCCL hand an all-reduce of bytes on ranks to MSCCL's all-pairs
 * kernels, and with which protocol? ROCm/rccl@0cbce2a7 ships for 8 ranks
 * (tools/msccl-algorithms/allreduce-allpairs-8n-*.xml, minBytes..maxBytes
 * of each): LL from 0 to 64 KiB (4 channels) and 64 KiB + 1 to 512 KiB - 1
 * (8 channels), Simple from 512 KiB to 16 MiB (out of place; in place to 11
 * MiB, then 14..16 MiB); rome_model_79 enables MSCCL ("mscclEnabled=1").
 * msccl_lifecycle.cc (mscclInternalSchedulerSelectAlgo) takes a file only
 * when the element count is a multiple of its 256 or 512 chunks per loop:
 * from 1 KiB in fp32, nccl-tests' default type, taken here as the lower
 * bound. Returns 1 and sets *p there, 0 elsewhere. MSCCL has no cost model
 * in RCCL: roof_nccl_cost_of times ROOF_NCCL_ALLPAIRS as derived there. */
int roof_rccl_allpairs_proto(double bytes, int64_t ranks, roof_nccl_proto *p);

/* One communicator: what the topology search found. */
typedef struct roof_nccl_topo {
    roof_nccl_arch arch;
    int64_t ranks;          /* nRanks */
    int64_t channels;       /* ring/tree graph nChannels */
    double channel_bw;      /* ring/tree graph bwIntra, GB/s per channel */
    int64_t nvls_channels;  /* NVLS graph nChannels; 0 = no NVLS */
    double nvls_channel_bw; /* NVLS graph bwIntra, GB/s */
    /* Across nodes (absent, zero: one node) */
    int64_t nodes;         /* nNodes; 0 or 1 = one node */
    int64_t net_channels;  /* ring/tree graph nChannels across nodes */
    double net_channel_bw; /* that graph's bwInter (= bwIntra), GB/s per channel */
    int collnet;           /* the network reduces in its switches (SHARP): config.collnetEnable */
    int pci;               /* the node graph's GPUs meet over PCIe, not NVLink (typeIntra != LINK_NVL:
                              hwLat[PCI]; no LL128, NVLS or CollNetDirect) */
    double nvls_inter_bw;  /* NVLS graph bwInter inside one node, GB/s (0: = nvls_channel_bw) */
} roof_nccl_topo;

/* The model's two numbers for one algorithm and protocol. */
typedef struct roof_nccl_cost {
    double lat_us; /* comm->latencies */
    double bw_gbs; /* comm->bandwidths: algorithm bandwidth, GB/s */
} roof_nccl_cost;

/* The latency and bandwidth NCCL's model gives f, a and p on t. Returns 0
 * when NCCL does not offer that combination (tree for all_gather; NVLS
 * with LL; NVLS without NVLS channels; CollNet without collnet or inside
 * one node; no architecture), 1 otherwise. */
int roof_nccl_cost_of(const roof_nccl_topo *t, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p,
                      roof_nccl_cost *out);

/* NCCL's predicted time in seconds of c for a message of bytes (nBytes:
 * nccl-tests' size), with the tree correction factor of all_reduce and, for
 * a Simple ring all-reduce across nodes with at least 64 bytes per channel
 * and rank, the ring's plateau factor 1.4 on the latency (Ampere and later;
 * inside one node, roof_nccl_ring_plateau). t gives nodes, ranks and
 * channels. */
double roof_nccl_time_s(const roof_nccl_topo *t, const roof_nccl_cost *c, roof_nccl_func f, roof_nccl_algo a,
                        roof_nccl_proto p, double bytes);

/* The share of the modelled bandwidth that one operation of bytes gets
 * from the channels NCCL runs it on. The communicator holds twice the
 * graph's channels (connect.cc ncclTopoPostset, "Duplication"; across nodes
 * on Hopper and later with bwIntra > 45 GB/s and under 16, twice again);
 * topoGetAlgoInfo (enqueue.cc) then drops channels while nBytes < nc x nt x
 * threadThreshold (nt: 512 threads for LL and Simple, 640 for LL128,
 * device.h; threshold 8 for LL and LL128, 64 for Simple, the ring's LL
 * times nRanks, tuning.cc). NVLS keeps its channels, and so, here, do CollNet
 * and NVLS across nodes (their own thresholds, tuning.cc lines 525-526,
 * are not modelled). The bandwidth scales
 * as nc / comm->nChannels, as NCCL's own time model did until 2.21
 * (ncclTopoGetAlgoTime: "bw = bw / comm->nChannels * info->nChannels"; the
 * copy in ROCm/rccl@0cbce2a7 src/graph/tuning.cc, NCCL 2.21.5 base, lines
 * 659-660). */
double roof_nccl_channel_share(const roof_nccl_topo *t, roof_nccl_algo a, roof_nccl_proto p, double bytes);

/* The factor on a one-node Simple ring's latency in the time it runs
 * (not in NCCL's choice, which 2.27.7's model makes without it): NCCL's
 * "plateau effect of ring" as its tuning model states it inside one
 * NVLink domain since the refactored tuner (NVIDIA/nccl@12df1a11,
 * src/tuning/ring.cc, ncclTuningRingModelSim; there for Blackwell, here
 * for every NVLink node from Ampere on: docs/validation.md says why).
 * 1 for other algorithms and protocols, across nodes (roof_nccl_time_s
 * applies NCCL's own factor there), over PCIe, for RCCL, broadcast, and
 * under 64 bytes per rank and channel. */
double roof_nccl_ring_plateau(const roof_nccl_topo *t, roof_nccl_func f, roof_nccl_algo a, roof_nccl_proto p,
                              double bytes);

/* The tree correction factor of ncclTopoGetAlgoTime for p and bytes (1
 * outside its 64 B .. 256 MiB range). */
double roof_nccl_tree_correction(roof_nccl_proto p, double bytes);

#endif
