/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Collective communication by the alpha-beta model: each algorithm step costs
 * a latency alpha plus its bytes over the link bandwidth beta. One
 * implementation serves `llmroof comm` and every collective inside an
 * estimate.
 *
 * Sizes follow the nccl-tests convention (nccl-tests doc/PERFORMANCE.md), so
 * that predictions sit beside measured runs: for all_reduce and broadcast the
 * buffer per rank; for all_gather the gathered output; for reduce_scatter the
 * input before scattering; for all_to_all the data each rank sends in all;
 * for send_recv the message.
 *
 * Results go into a caller-owned struct; nothing is allocated.
 */
#ifndef ROOF_HW_COLLECTIVE_H
#define ROOF_HW_COLLECTIVE_H

#include <stdint.h>

#include "core/error.h"
#include "hw/hw.h"

typedef enum {
    ROOF_COLL_ALL_REDUCE,
    ROOF_COLL_ALL_GATHER,
    ROOF_COLL_REDUCE_SCATTER,
    ROOF_COLL_ALL_TO_ALL,
    ROOF_COLL_SEND_RECV,
    ROOF_COLL_BROADCAST,
    ROOF_COLL_COUNT
} roof_collective;

typedef enum {
    ROOF_ALGO_AUTO,     /* the fastest the profile allows */
    ROOF_ALGO_RING,     /* flat ring over the whole group */
    ROOF_ALGO_TREE,     /* double binary tree (all_reduce, broadcast) */
    ROOF_ALGO_NVLS,     /* in-switch reduction (all_reduce inside a node) */
    ROOF_ALGO_HIER,     /* two-level: inside nodes, then across them */
    ROOF_ALGO_ALLPAIRS, /* RCCL's MSCCL all-pairs all-reduce (8 gfx942 ranks) */
    /* In-network reduction across nodes (hw.network.cluster.sharp, NCCL's
     * model): all_reduce only, Simple only. */
    ROOF_ALGO_COLLNET_DIRECT, /* NCCL CollNetDirect: every GPU to its NIC, the switch reduces */
    ROOF_ALGO_COLLNET_CHAIN,  /* NCCL CollNetChain: a chain in each node, the switch reduces */
    ROOF_ALGO_NVLS_SHARP,     /* NCCL NVLS across nodes: NVLink SHARP inside, the network's SHARP between */
    ROOF_ALGO_COUNT
} roof_algo;

/* NCCL's protocols (hw/nccl_tuning.h); auto: the fastest NCCL's model
 * predicts. A result's protocol is auto where the alpha-beta forms timed
 * it (no NCCL model: profiles without hw.network.node.arch, groups across
 * nodes, all_to_all and send_recv). */
typedef enum { ROOF_PROTO_AUTO, ROOF_PROTO_LL, ROOF_PROTO_LL128, ROOF_PROTO_SIMPLE, ROOF_PROTO_COUNT } roof_proto;

/* How all_to_all runs: NCCL's grouped send/receive (alpha-beta), or a
 * low-latency expert-parallel kernel (DeepEP-style, hw/a2a.h). */
typedef enum { ROOF_A2A_NCCL, ROOF_A2A_LOW_LATENCY, ROOF_A2A_COUNT } roof_a2a_mode;

typedef struct roof_comm {
    roof_collective op;
    double bytes;  /* nccl-tests size (see above) */
    int64_t group; /* ranks in the group */
    int64_t nodes; /* nodes the group spans; 0 = packed: ceil(group / node.size) */
    roof_algo algo;
    roof_proto proto;       /* 0 = auto */
    roof_a2a_mode a2a_mode; /* all_to_all only; 0 = nccl */
} roof_comm;

typedef struct roof_comm_time {
    double time_s;
    double alpha_s;    /* latency part of time_s */
    double beta_s;     /* bandwidth part of time_s */
    double algbw;      /* bytes / time, B/s */
    double busbw;      /* algbw times the nccl-tests bus factor, B/s */
    double estimate_s; /* the library model's own time it chooses by (all channels, no plateau inside a node); 0
                          where no library model timed it */
    roof_algo algo;    /* the algorithm used (auto resolved) */
    roof_proto proto;  /* NCCL's protocol used; auto where the alpha-beta forms timed it */
    int nccl;          /* 1: NCCL's tuning model timed it (hw/nccl_tuning.h) */
    int low_latency;   /* 1: the low-latency all-to-all timed it (hw/a2a.h) */
    int tiers;         /* 1: node tier; 2: cluster tier; 3: both */
    int domain;        /* roof_comm_domain: the part of the node its ranks on one node run in */
    int64_t nodes;     /* nodes spanned */
} roof_comm_time;

enum { ROOF_TIER_NODE = 1, ROOF_TIER_CLUSTER = 2 };

/* Where a group's ranks on one node meet (hw.h roof_net_tier's
 * sub-domains): the whole node tier, one NVLink bridge group, or across
 * the node's CPU sockets. */
typedef enum { ROOF_DOMAIN_NODE, ROOF_DOMAIN_BRIDGE, ROOF_DOMAIN_SOCKETS } roof_comm_domain;

/* The domain of g ranks on one node of hw, packed from the node's first
 * GPU (bridge groups and sockets hold consecutive GPUs), and, where it is
 * not the whole node, *local: hw with the node tier's bandwidths set to
 * the domain's rate (the bridge's, or the CPU-CPU link's where that is
 * slower than the tier) and, on a bridge, its GPUs meeting over NVLink.
 * local may be NULL. */
roof_comm_domain roof_comm_domain_of(const roof_hw *hw, int64_t g, roof_hw *local);

/* Whether the node tier's sub-domains hang together: NULL if so, else
 * why, with *key the setting it names ("network.node.bridge_size" or
 * "network.node.socket_size"). The profile loader reports it at the
 * setting's line, roof_comm_time_of for a --set that broke it. */
const char *roof_node_domains_problem(const roof_net_tier *t, const char **key);

const char *roof_collective_name(roof_collective c);
int roof_collective_parse(const char *name, roof_collective *out, roof_error *err);
const char *roof_algo_name(roof_algo a);
int roof_algo_parse(const char *name, roof_algo *out, roof_error *err);
const char *roof_proto_name(roof_proto p);
int roof_proto_parse(const char *name, roof_proto *out, roof_error *err);
const char *roof_a2a_mode_name(roof_a2a_mode m);

/* The nccl-tests bus-bandwidth factor for op on p ranks: 2(p-1)/p for
 * all_reduce, (p-1)/p for all_gather, reduce_scatter and all_to_all, 1 for
 * send_recv and broadcast. */
double roof_collective_bus_factor(roof_collective op, int64_t p);

/* Times c on hw. A group of 1 costs nothing; so does a size of 0. Inside
 * one node of a profile that names its architecture
 * (hw.network.node.arch), all_reduce, all_gather, reduce_scatter and
 * broadcast follow NCCL's tuning model (hw/nccl_tuning.h): each algorithm
 * with its fastest protocol (or c->proto), auto the fastest of all, as NCCL
 * chooses. Otherwise the alpha-beta forms below. An all_to_all with
 * a2a_mode low_latency follows hw/a2a.h. Errors (ROOF_ERR_USAGE): group <
 * 1, negative size, a placement the profile cannot hold, an algorithm or
 * protocol that does not apply (nvls without switch support, or across
 * nodes; tree for an op other than all_reduce/broadcast; a protocol without
 * NCCL's model; nvls with LL or LL128). */
int roof_comm_time_of(const roof_hw *hw, const roof_comm *c, roof_comm_time *out, roof_error *err);

#endif
