/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hw/collective.h"

#include <math.h>
#include <string.h>

#include "hw/a2a.h"
#include "hw/nccl_tuning.h"

static const char *const coll_names[ROOF_COLL_COUNT] = {"all_reduce", "all_gather", "reduce_scatter",
                                                        "all_to_all", "send_recv",  "broadcast"};
static const char *const algo_names[ROOF_ALGO_COUNT] = {
    "auto", "ring", "tree", "nvls", "hier", "allpairs", "collnet_direct", "collnet_chain", "nvls_sharp"};
static const char *const proto_names[ROOF_PROTO_COUNT] = {"auto", "ll", "ll128", "simple"};
static const char *const a2a_names[ROOF_A2A_COUNT] = {"nccl", "low_latency"};

const char *roof_proto_name(roof_proto p)
{
    return (unsigned)p < ROOF_PROTO_COUNT ? proto_names[p] : "?";
}

const char *roof_a2a_mode_name(roof_a2a_mode m)
{
    return (unsigned)m < ROOF_A2A_COUNT ? a2a_names[m] : "?";
}

int roof_proto_parse(const char *name, roof_proto *out, roof_error *err)
{
    for (int i = 0; i < ROOF_PROTO_COUNT; i++) {
        if (strcmp(name, proto_names[i]) == 0) {
            *out = (roof_proto)i;
            return ROOF_OK;
        }
    }
    return roof_error_set(err, ROOF_ERR_USAGE, "--proto", "unknown protocol '%s' (expected auto, ll, ll128 or simple)",
                          name);
}

const char *roof_collective_name(roof_collective c)
{
    return (unsigned)c < ROOF_COLL_COUNT ? coll_names[c] : "?";
}

const char *roof_algo_name(roof_algo a)
{
    return (unsigned)a < ROOF_ALGO_COUNT ? algo_names[a] : "?";
}

int roof_collective_parse(const char *name, roof_collective *out, roof_error *err)
{
    for (int i = 0; i < ROOF_COLL_COUNT; i++) {
        if (strcmp(name, coll_names[i]) == 0) {
            *out = (roof_collective)i;
            return ROOF_OK;
        }
    }
    return roof_error_set(err, ROOF_ERR_USAGE, "comm",
                          "unknown collective '%s' (expected all_reduce, all_gather, reduce_scatter, "
                          "all_to_all, send_recv or broadcast)",
                          name);
}

int roof_algo_parse(const char *name, roof_algo *out, roof_error *err)
{
    for (int i = 0; i < ROOF_ALGO_COUNT; i++) {
        if (strcmp(name, algo_names[i]) == 0) {
            *out = (roof_algo)i;
            return ROOF_OK;
        }
    }
    return roof_error_set(err, ROOF_ERR_USAGE, "--algo",
                          "unknown algorithm '%s' (expected auto, ring, tree, nvls, hier, allpairs, collnet_direct, "
                          "collnet_chain or nvls_sharp)",
                          name);
}

double roof_collective_bus_factor(roof_collective op, int64_t p)
{
    double dp = (double)p;
    switch (op) {
    case ROOF_COLL_ALL_REDUCE:
        return 2.0 * (dp - 1.0) / dp;
    case ROOF_COLL_ALL_GATHER:
    case ROOF_COLL_REDUCE_SCATTER:
    case ROOF_COLL_ALL_TO_ALL:
        return (dp - 1.0) / dp;
    default:
        return 1.0;
    }
}

/* A latency part and a bandwidth part, kept apart so that users see both. */
typedef struct {
    double a, b;
    roof_proto proto; /* NCCL's protocol where its model timed it, else auto */
    double choice;    /* NCCL's modelled time that it chooses by (0: a + b) */
} ab;

/* The time an algorithm is chosen by: NCCL's modelled time where NCCL's
 * model timed it (its full channels), else the time itself. */
static double choice_of(ab x)
{
    return x.choice > 0.0 ? x.choice : x.a + x.b;
}

static ab ab_add(ab x, ab y)
{
    return (ab){x.a + y.a, x.b + y.b, ROOF_PROTO_AUTO, 0.0};
}

static double tier_beta(const roof_net_tier *t)
{
    return t->bandwidth * t->efficiency;
}

/* Flat single-tier forms, DESIGN.md "Core formulas" (after Thakur,
 * Rabenseifner and Gropp, "Optimization of Collective Communication
 * Operations in MPICH", IJHPCA 2005, and Patarasuk and Yuan 2009 for the
 * bandwidth-optimal ring): p ranks, n bytes (nccl-tests size), link beta. */
/* ---- NCCL's model of the node tier (hw/nccl_tuning.h) ---------------- */

/* The NCCL function of op, or -1 where NCCL's tuning model has none
 * (all_to_all and send_recv run as grouped point-to-point). */
static int nccl_func(roof_collective op)
{
    switch (op) {
    case ROOF_COLL_ALL_REDUCE:
        return ROOF_NCCL_ALL_REDUCE;
    case ROOF_COLL_ALL_GATHER:
        return ROOF_NCCL_ALL_GATHER;
    case ROOF_COLL_REDUCE_SCATTER:
        return ROOF_NCCL_REDUCE_SCATTER;
    case ROOF_COLL_BROADCAST:
        return ROOF_NCCL_BROADCAST;
    default:
        return -1;
    }
}

/* Does NCCL's model time c on hw? Inside one node where the node tier
 * names its architecture; across nodes where the cluster tier also gives
 * the network graph's channels (hw.network.cluster.channels). */
static int uses_nccl(const roof_hw *hw, const roof_comm *c, int64_t nodes)
{
    if (hw->node.arch == ROOF_NCCL_ARCH_NONE || nccl_func(c->op) < 0)
        return 0;
    /* Across nodes the model takes nRanks / nNodes ranks on every node: an
     * uneven group keeps the alpha-beta forms. RCCL's model covers a full
     * 8-GPU node only (hw/nccl_tuning.h roof_nccl_covers). */
    if (!roof_nccl_covers((roof_nccl_arch)hw->node.arch, c->group, nodes))
        return 0;
    return nodes == 1 || (hw->cluster.channels > 0 && hw->cluster.channel_bw > 0.0 && c->group % nodes == 0);
}

static roof_nccl_topo nccl_topo(const roof_hw *hw, int64_t group, int64_t nodes)
{
    const roof_net_tier *t = &hw->node;
    return (roof_nccl_topo){.arch = (roof_nccl_arch)t->arch,
                            .ranks = group,
                            .channels = t->channels,
                            .channel_bw = t->channel_bw / 1e9,
                            .nvls_channels = t->nvls ? t->nvls_channels : 0,
                            .nvls_channel_bw = t->nvls_channel_bw / 1e9,
                            .nvls_inter_bw = t->nvls_inter_bw / 1e9,
                            .nodes = nodes,
                            .net_channels = hw->cluster.channels,
                            .net_channel_bw = hw->cluster.channel_bw / 1e9,
                            .collnet = hw->cluster.sharp,
                            .pci = t->link == 1};
}

/* NCCL's latency and bandwidth of each algorithm and protocol depend on
 * the topology and the collective, not on the size (hw/nccl_tuning.c),
 * and a serving search times the same few groups at hundreds of sizes:
 * each thread keeps the whole table of its last few (topology, collective)
 * pairs. A lookup compares every field the table was computed from, so a
 * hit returns exactly what roof_nccl_cost_of returns. */
#define COST_TABLES 4
typedef struct {
    int valid;
    roof_nccl_topo topo;
    roof_nccl_func f;
    int ok[ROOF_NCCL_ALGO_COUNT][ROOF_NCCL_PROTO_COUNT];
    roof_nccl_cost cost[ROOF_NCCL_ALGO_COUNT][ROOF_NCCL_PROTO_COUNT];
} cost_table;
static _Thread_local cost_table cost_tables[COST_TABLES];
static _Thread_local unsigned cost_tables_next;

static int same_topo(const roof_nccl_topo *a, const roof_nccl_topo *b)
{
    return a->arch == b->arch && a->ranks == b->ranks && a->channels == b->channels && a->channel_bw == b->channel_bw &&
           a->nvls_channels == b->nvls_channels && a->nvls_channel_bw == b->nvls_channel_bw &&
           a->nvls_inter_bw == b->nvls_inter_bw && a->nodes == b->nodes && a->net_channels == b->net_channels &&
           a->net_channel_bw == b->net_channel_bw && a->collnet == b->collnet && a->pci == b->pci;
}

static const cost_table *cost_table_of(const roof_nccl_topo *t, roof_nccl_func f)
{
    for (int i = 0; i < COST_TABLES; i++)
        if (cost_tables[i].valid && cost_tables[i].f == f && same_topo(&cost_tables[i].topo, t))
            return &cost_tables[i];
    cost_table *c = &cost_tables[cost_tables_next++ % COST_TABLES];
    c->valid = 1;
    c->topo = *t;
    c->f = f;
    for (int a = 0; a < ROOF_NCCL_ALGO_COUNT; a++)
        for (int p = 0; p < ROOF_NCCL_PROTO_COUNT; p++)
            c->ok[a][p] = roof_nccl_cost_of(t, f, (roof_nccl_algo)a, (roof_nccl_proto)p, &c->cost[a][p]);
    return c;
}

/* One algorithm by NCCL's model: its fastest protocol by the model, or
 * want's. The profile's residual latency factor scales NCCL's latency. The
 * time returned runs on the channels NCCL gives that size
 * (roof_nccl_channel_share); the choice is by the model's own time. */
static ab nccl_form(const roof_hw *hw, const roof_comm *c, const roof_nccl_topo *topo, roof_nccl_algo a,
                    roof_proto want)
{
    ab best = {INFINITY, INFINITY, ROOF_PROTO_AUTO, 0.0};
    roof_nccl_func f = (roof_nccl_func)nccl_func(c->op);
    double scale = hw->node.nccl_latency_scale > 0.0 ? hw->node.nccl_latency_scale : 1.0;
    const cost_table *table = cost_table_of(topo, f);
    for (int p = ROOF_NCCL_LL; p < ROOF_NCCL_PROTO_COUNT; p++) {
        roof_proto rp = (roof_proto)(p + ROOF_PROTO_LL);
        if ((want != ROOF_PROTO_AUTO && rp != want) || (unsigned)a >= ROOF_NCCL_ALGO_COUNT || !table->ok[a][p])
            continue;
        roof_nccl_cost cost = table->cost[a][p];
        cost.lat_us *= scale;
        double model = roof_nccl_time_s(topo, &cost, f, a, (roof_nccl_proto)p, c->bytes);
        if (!(model < choice_of(best)))
            continue;
        roof_nccl_cost run = cost;
        run.bw_gbs *= roof_nccl_channel_share(topo, a, (roof_nccl_proto)p, c->bytes);
        run.lat_us *= roof_nccl_ring_plateau(topo, f, a, (roof_nccl_proto)p, c->bytes);
        double t = roof_nccl_time_s(topo, &run, f, a, (roof_nccl_proto)p, c->bytes);
        best = (ab){run.lat_us * 1e-6, t - run.lat_us * 1e-6, rp, model};
    }
    return best;
}

static ab ring_form(roof_collective op, double p, double n, double alpha, double beta)
{
    switch (op) {
    case ROOF_COLL_ALL_REDUCE: /* reduce-scatter then all-gather: 2(p-1) steps of n/p */
        return (ab){2.0 * (p - 1.0) * alpha, 2.0 * (p - 1.0) * n / (p * beta), ROOF_PROTO_AUTO, 0.0};
    case ROOF_COLL_ALL_GATHER:
    case ROOF_COLL_REDUCE_SCATTER:
    case ROOF_COLL_ALL_TO_ALL: /* p-1 steps of n/p each */
        return (ab){(p - 1.0) * alpha, (p - 1.0) * n / (p * beta), ROOF_PROTO_AUTO, 0.0};
    case ROOF_COLL_BROADCAST: /* pipelined ring: p-1 hops to fill, then n at link rate */
        return (ab){(p - 1.0) * alpha, n / beta, ROOF_PROTO_AUTO, 0.0};
    case ROOF_COLL_SEND_RECV:
    default:
        return (ab){alpha, n / beta, ROOF_PROTO_AUTO, 0.0};
    }
}

/* Double binary tree across nodes (Sanders, Speck, Traeff, "Two-tree
 * algorithms for full bandwidth broadcast, reduction and scan", Parallel
 * Computing 2009; NCCL 2.4, which chains the g GPUs inside each node and runs
 * the trees between nodes): (g-1) node steps and ceil(log2 N) cluster steps,
 * up for the reduction and down for the broadcast. Each node sends and
 * receives about 2n in all, spread over its g NICs. */
static ab tree_form(roof_collective op, double g, double N, double n, const roof_net_tier *nt, const roof_net_tier *ct)
{
    double steps_a = (g - 1.0) * nt->latency + ceil(log2(N)) * ct->latency;
    double beta = g * tier_beta(ct) < tier_beta(nt) ? g * tier_beta(ct) : tier_beta(nt);
    if (op == ROOF_COLL_BROADCAST)
        return (ab){steps_a, n / beta, ROOF_PROTO_AUTO, 0.0};
    return (ab){2.0 * steps_a, 2.0 * n / beta, ROOF_PROTO_AUTO, 0.0};
}

/* NVLink SHARP all-reduce: each GPU sends its buffer once to the switch,
 * which reduces and multicasts the result back; one fixed cost plus n at the
 * NVLS algorithm bandwidth (the fit of hw/profiles: algbw ~275 GB/s on
 * 8xH100, NCCL issue 212). */
static ab nvls_form(const roof_net_tier *t, double n)
{
    return (ab){t->nvls_latency, n / (t->bandwidth * t->nvls_efficiency), ROOF_PROTO_AUTO, 0.0};
}

/* Two-level form for a group of g ranks on each of N nodes: the node tier
 * works on the whole buffer, the cluster tier on 1/g of it, over g rails at
 * once (one NIC per GPU). All-reduce: reduce-scatter inside nodes,
 * all-reduce across nodes on n/g, all-gather inside nodes (the hierarchical
 * scheme of Horovod and NCCL's CollNet; Jia et al. 2018, "Highly Scalable
 * Deep Learning Training System with Mixed-Precision", Sec. 3.3). */
static ab hier_form(const roof_hw *hw, roof_collective op, double g, double N, double n)
{
    const roof_net_tier *nt = &hw->node, *ct = &hw->cluster;
    double an = nt->latency, bn = tier_beta(nt), ac = ct->latency, bc = tier_beta(ct);
    switch (op) {
    case ROOF_COLL_ALL_REDUCE:
        return ab_add(ab_add(ring_form(ROOF_COLL_REDUCE_SCATTER, g, n, an, bn),
                             ring_form(ROOF_COLL_ALL_REDUCE, N, n / g, ac, bc)),
                      ring_form(ROOF_COLL_ALL_GATHER, g, n, an, bn));
    case ROOF_COLL_ALL_GATHER: /* across nodes on n/g, then inside nodes on n */
        return ab_add(ring_form(ROOF_COLL_ALL_GATHER, N, n / g, ac, bc), ring_form(ROOF_COLL_ALL_GATHER, g, n, an, bn));
    case ROOF_COLL_REDUCE_SCATTER: /* inside nodes on n, then across nodes on n/g */
        return ab_add(ring_form(ROOF_COLL_REDUCE_SCATTER, g, n, an, bn),
                      ring_form(ROOF_COLL_REDUCE_SCATTER, N, n / g, ac, bc));
    default:
        return (ab){INFINITY, INFINITY, ROOF_PROTO_AUTO, 0.0};
    }
}

/* All-to-all across nodes: each rank sends n/p to every other rank; the
 * g-1 peers on its node over the node tier and the p-g others over its NIC,
 * both at once, so the slower of the two sets the time. */
static ab all_to_all_spanning(const roof_hw *hw, double p, double g, double n)
{
    const roof_net_tier *nt = &hw->node, *ct = &hw->cluster;
    ab local = {(g - 1.0) * nt->latency, (g - 1.0) * n / (p * tier_beta(nt)), ROOF_PROTO_AUTO, 0.0};
    ab remote = {(p - g) * ct->latency, (p - g) * n / (p * tier_beta(ct)), ROOF_PROTO_AUTO, 0.0};
    return local.a + local.b >= remote.a + remote.b ? local : remote;
}

static int resolve_nodes(const roof_hw *hw, const roof_comm *c, int64_t *nodes, roof_error *err)
{
    int64_t per_node = hw->node.size;
    if (c->nodes <= 0) {
        *nodes = (c->group + per_node - 1) / per_node;
        return ROOF_OK;
    }
    if (c->nodes > c->group)
        return roof_error_set(err, ROOF_ERR_USAGE, "--nodes", "a group of %lld ranks cannot span %lld nodes",
                              (long long)c->group, (long long)c->nodes);
    if (c->group % c->nodes != 0)
        return roof_error_set(err, ROOF_ERR_USAGE, "--nodes", "group %lld does not divide evenly over %lld nodes",
                              (long long)c->group, (long long)c->nodes);
    if (c->group / c->nodes > per_node)
        return roof_error_set(err, ROOF_ERR_USAGE, "--nodes", "%lld ranks per node exceed the node size %lld of '%s'",
                              (long long)(c->group / c->nodes), (long long)per_node, hw->name);
    *nodes = c->nodes;
    return ROOF_OK;
}

const char *roof_node_domains_problem(const roof_net_tier *t, const char **key)
{
    *key = "network.node.bridge_size";
    if (t->bridge_size > 1 && !(t->bridge_bw > 0.0))
        return "is set but 'network.node.bridge_bandwidth' is not";
    if (t->bridge_size > t->size)
        return "exceeds 'network.node.size'";
    *key = "network.node.socket_size";
    if (t->socket_size > 0 && !(t->socket_bw > 0.0))
        return "is set but 'network.node.socket_bandwidth' is not";
    if (t->socket_size > 0 && t->socket_size >= t->size)
        return "must be below 'network.node.size' (one socket: leave it out)";
    *key = NULL;
    return NULL;
}

roof_comm_domain roof_comm_domain_of(const roof_hw *hw, int64_t g, roof_hw *local)
{
    const roof_net_tier *t = &hw->node;
    /* The tier's own achieved rate: NCCL's graph (channels x bwIntra)
     * where NCCL's model times it, else bandwidth x efficiency. */
    double own = t->arch != ROOF_NCCL_ARCH_NONE && t->channels > 0 ? (double)t->channels * t->channel_bw : tier_beta(t);
    roof_comm_domain d = ROOF_DOMAIN_NODE;
    double rate = own;
    if (g < 2) {
        /* one rank per node: nothing moves inside a node */
    } else if (t->bridge_size > 1 && g <= t->bridge_size && t->bridge_bw > 0.0) {
        d = ROOF_DOMAIN_BRIDGE, rate = t->bridge_bw;
    } else if (t->socket_size > 0 && g > t->socket_size && t->socket_bw > 0.0 && t->socket_bw < own) {
        d = ROOF_DOMAIN_SOCKETS, rate = t->socket_bw;
    }
    if (d != ROOF_DOMAIN_NODE && local) {
        *local = *hw;
        roof_net_tier *n = &local->node;
        n->bandwidth = t->efficiency > 0.0 ? rate / t->efficiency : rate;
        if (t->channels > 0)
            n->channel_bw = rate / (double)t->channels;
        if (d == ROOF_DOMAIN_BRIDGE)
            n->link = 0; /* NVLink: NCCL's NVLink latencies, LL128 allowed */
    }
    return d;
}

/* The fabric must hold the nodes a group spans. */
static int check_cluster(const roof_hw *hw, int64_t nodes, roof_error *err)
{
    if (nodes > hw->cluster.size)
        return roof_error_set(err, ROOF_ERR_USAGE, "--nodes",
                              "the group spans %lld nodes but '%s' has %lld in its fabric "
                              "(hw.network.cluster.size)",
                              (long long)nodes, hw->name, (long long)hw->cluster.size);
    return ROOF_OK;
}

/* A protocol needs NCCL's model; NCCL's model needs its channels. */
static int check_nccl(const roof_hw *hw, const roof_comm *c, int64_t nodes, roof_error *err)
{
    const roof_net_tier *t = &hw->node;
    if (t->arch != ROOF_NCCL_ARCH_NONE && (t->channels < 1 || !(t->channel_bw > 0.0)))
        return roof_error_set(err, ROOF_ERR_USAGE, "hw.network.node.arch",
                              "'%s' names an architecture but not hw.network.node.channels and "
                              "hw.network.node.channel_bandwidth (NCCL's topology)",
                              hw->name);
    if (t->arch != ROOF_NCCL_ARCH_NONE && t->nvls && t->nvls_channels > 0 && !(t->nvls_channel_bw > 0.0))
        return roof_error_set(err, ROOF_ERR_USAGE, "hw.network.node.nvls_channel_bandwidth",
                              "'%s' has NVLS channels but no hw.network.node.nvls_channel_bandwidth", hw->name);
    if (t->arch != ROOF_NCCL_ARCH_NONE && hw->cluster.channels > 0 && !(hw->cluster.channel_bw > 0.0))
        return roof_error_set(err, ROOF_ERR_USAGE, "hw.network.cluster.channel_bandwidth",
                              "'%s' has hw.network.cluster.channels but no hw.network.cluster.channel_bandwidth",
                              hw->name);
    if ((unsigned)c->proto >= ROOF_PROTO_COUNT)
        return roof_error_set(err, ROOF_ERR_USAGE, "--proto", "unknown protocol %d", (int)c->proto);
    if (c->proto == ROOF_PROTO_AUTO)
        return ROOF_OK;
    if (!uses_nccl(hw, c, nodes) && nccl_func(c->op) >= 0 && roof_nccl_is_rccl((roof_nccl_arch)t->arch))
        return roof_error_set(err, ROOF_ERR_USAGE, "--proto",
                              "protocol '%s' needs RCCL's model, which covers 8 ranks on one gfx942 node "
                              "(got %lld rank(s) over %lld node(s) on '%s')",
                              roof_proto_name(c->proto), (long long)c->group, (long long)nodes, hw->name);
    if (!uses_nccl(hw, c, nodes))
        return roof_error_set(err, ROOF_ERR_USAGE, "--proto",
                              "protocol '%s' needs NCCL's model: all_reduce, all_gather, reduce_scatter or broadcast, "
                              "a profile with hw.network.node.arch and, across nodes, hw.network.cluster.channels "
                              "(got %s over %lld node(s) on '%s')",
                              roof_proto_name(c->proto), roof_collective_name(c->op), (long long)nodes, hw->name);
    if (c->proto == ROOF_PROTO_LL128 && roof_nccl_is_rccl((roof_nccl_arch)t->arch))
        return roof_error_set(err, ROOF_ERR_USAGE, "--proto",
                              "RCCL enables LL128 on gfx90a only (got 'll128' on '%s', hw.network.node.arch gfx942)",
                              hw->name);
    if (c->proto == ROOF_PROTO_LL128 && t->link == 1)
        return roof_error_set(err, ROOF_ERR_USAGE, "--proto",
                              "NCCL enables LL128 only where the node's GPUs meet through NVLink (got 'll128' on '%s', "
                              "hw.network.node.link pci)",
                              hw->name);
    if (c->algo == ROOF_ALGO_NVLS && c->proto != ROOF_PROTO_SIMPLE)
        return roof_error_set(err, ROOF_ERR_USAGE, "--proto", "NVLS runs the simple protocol only (got '%s')",
                              roof_proto_name(c->proto));
    if ((c->algo == ROOF_ALGO_COLLNET_DIRECT || c->algo == ROOF_ALGO_COLLNET_CHAIN ||
         c->algo == ROOF_ALGO_NVLS_SHARP) &&
        c->proto != ROOF_PROTO_SIMPLE)
        return roof_error_set(err, ROOF_ERR_USAGE, "--proto", "%s runs the simple protocol only (got '%s')",
                              roof_algo_name(c->algo), roof_proto_name(c->proto));
    return ROOF_OK;
}

/* The low-latency all-to-all (hw/a2a.h): one fixed cost and the busier of
 * the NVLink and network writes. */
static int low_latency(const roof_hw *hw, const roof_comm *c, int64_t nodes, roof_comm_time *out)
{
    roof_a2a_time t = roof_a2a_low_latency(hw, c->bytes, c->group, nodes);
    out->low_latency = 1;
    out->nccl = 0;
    out->algo = ROOF_ALGO_AUTO;
    out->alpha_s = t.latency_s;
    out->beta_s = t.transfer_s;
    out->time_s = t.latency_s + t.transfer_s;
    out->algbw = c->bytes / out->time_s;
    out->busbw = out->algbw * roof_collective_bus_factor(c->op, c->group);
    out->tiers = nodes > 1 ? ROOF_TIER_NODE | ROOF_TIER_CLUSTER : ROOF_TIER_NODE;
    return ROOF_OK;
}

/* Time of one algorithm, or infinity where it does not apply. topo: the
 * group's NCCL topology where NCCL's model times c (uses_nccl), else NULL. */
static ab algo_time(const roof_hw *hw, const roof_comm *c, roof_algo algo, int64_t nodes, const roof_nccl_topo *topo)
{
    if (topo) {
        /* NVLS: NCCL's model offers it from Hopper on where the profile's
         * switch has it; by default it runs for more than 4 GPUs only
         * (shared/reference collectives_notes.csv, MLE rows: 4 GPUs ran
         * ring, 5 and more NVLS). */
        switch (algo) {
        case ROOF_ALGO_RING:
            return nccl_form(hw, c, topo, ROOF_NCCL_RING, c->proto);
        case ROOF_ALGO_TREE:
            return nccl_form(hw, c, topo, ROOF_NCCL_TREE, c->proto);
        case ROOF_ALGO_ALLPAIRS: {
            /* MSCCL's all-pairs, where RCCL runs it, with the protocol of
             * its kernel for the size. */
            roof_nccl_proto p;
            if (c->op != ROOF_COLL_ALL_REDUCE || !roof_nccl_is_rccl((roof_nccl_arch)hw->node.arch) ||
                !roof_rccl_allpairs_proto(c->bytes, c->group, &p) ||
                (c->proto != ROOF_PROTO_AUTO && c->proto != (roof_proto)(p + ROOF_PROTO_LL)))
                return (ab){INFINITY, INFINITY, ROOF_PROTO_AUTO, 0.0};
            return nccl_form(hw, c, topo, ROOF_NCCL_ALLPAIRS, (roof_proto)(p + ROOF_PROTO_LL));
        }
        case ROOF_ALGO_NVLS:
            if (c->group <= 4)
                return (ab){INFINITY, INFINITY, ROOF_PROTO_AUTO, 0.0};
            return nccl_form(hw, c, topo, ROOF_NCCL_NVLS, c->proto);
        case ROOF_ALGO_COLLNET_DIRECT:
            return nccl_form(hw, c, topo, ROOF_NCCL_COLLNET_DIRECT, c->proto);
        case ROOF_ALGO_COLLNET_CHAIN:
            return nccl_form(hw, c, topo, ROOF_NCCL_COLLNET_CHAIN, c->proto);
        case ROOF_ALGO_NVLS_SHARP:
            return nccl_form(hw, c, topo, ROOF_NCCL_NVLS_SHARP, c->proto);
        default:
            return (ab){INFINITY, INFINITY, ROOF_PROTO_AUTO, 0.0};
        }
    }
    double p = (double)c->group, n = c->bytes, N = (double)nodes, g = p / N;
    const roof_net_tier *nt = &hw->node, *ct = &hw->cluster;
    const ab none = {INFINITY, INFINITY, ROOF_PROTO_AUTO, 0.0};
    int one_node = nodes == 1;
    /* A flat ring spanning nodes runs one channel per NIC, so each node
     * moves its traffic over g NICs at once (NCCL's rail-aligned rings); the
     * steps wait for the slowest hop, the cluster tier's. */
    double alpha = one_node ? nt->latency : ct->latency;
    double beta = tier_beta(nt);
    if (!one_node && g * tier_beta(ct) < beta)
        beta = g * tier_beta(ct);
    if (!one_node && c->op == ROOF_COLL_SEND_RECV)
        beta = tier_beta(ct); /* one pair of GPUs, one NIC */

    switch (algo) {
    case ROOF_ALGO_RING:
        if (c->op == ROOF_COLL_ALL_TO_ALL && !one_node)
            return all_to_all_spanning(hw, p, g, n);
        return ring_form(c->op, p, n, alpha, beta);
    case ROOF_ALGO_TREE:
        if ((c->op != ROOF_COLL_ALL_REDUCE && c->op != ROOF_COLL_BROADCAST) || one_node)
            return none;
        return tree_form(c->op, g, N, n, nt, ct);
    case ROOF_ALGO_NVLS:
        /* NCCL enables NVLS all-reduce only on NVSwitch systems and, by
         * default, for more than 4 GPUs (collectives_notes.csv, MLE rows: 4
         * GPUs run ring, 5 and more NVLS). */
        if (c->op != ROOF_COLL_ALL_REDUCE || !one_node || !nt->nvls || c->group <= 4)
            return none;
        return nvls_form(nt, n);
    case ROOF_ALGO_HIER:
        if (one_node || g < 2.0)
            return none;
        return hier_form(hw, c->op, g, N, n);
    default:
        return none;
    }
}

int roof_comm_time_of(const roof_hw *hw, const roof_comm *c, roof_comm_time *out, roof_error *err)
{
    memset(out, 0, sizeof *out);
    if (c->group < 1)
        return roof_error_set(err, ROOF_ERR_USAGE, "--group", "group must be at least 1 (got %lld)",
                              (long long)c->group);
    if (!(c->bytes >= 0.0) || !isfinite(c->bytes))
        return roof_error_set(err, ROOF_ERR_USAGE, "comm", "size must be zero or positive (got %g)", c->bytes);
    int64_t nodes = 1;
    int rc = resolve_nodes(hw, c, &nodes, err);
    if (rc == ROOF_OK)
        rc = check_cluster(hw, nodes, err);
    if (rc != ROOF_OK)
        return rc;
    /* A group over more nodes than one leaf switch serves crosses the
     * spine of a two-tier fat tree, whose uplinks carry 1 / o of the
     * leaves' downlinks (Leiserson 1985, IEEE Trans. Comput. C-34:892; an
     * o:1 oversubscribed tree): every GPU's share of the scale-out
     * bandwidth, and each of NCCL's network channels, shrink by o. A ring
     * or tree across the spine is bounded by its slowest link, so the
     * whole cluster-tier time takes the tapered rate. */
    roof_hw tapered;
    if (hw->cluster.oversubscription > 1.0 && hw->cluster.leaf_nodes > 0 && nodes > hw->cluster.leaf_nodes) {
        tapered = *hw;
        tapered.cluster.bandwidth /= hw->cluster.oversubscription;
        tapered.cluster.channel_bw /= hw->cluster.oversubscription;
        hw = &tapered;
    }
    /* Inside a node of bridged cards behind two sockets (h100-nvl), the
     * ranks on each node run at their domain's rate. */
    const char *key, *problem = roof_node_domains_problem(&hw->node, &key);
    if (problem)
        return roof_error_set(err, ROOF_ERR_USAGE, "--set", "'hw.%s' %s (profile '%s')", key, problem, hw->name);
    roof_hw local;
    if ((out->domain = roof_comm_domain_of(hw, c->group / nodes, &local)) != ROOF_DOMAIN_NODE)
        hw = &local;
    out->nodes = nodes;
    out->algo = c->algo == ROOF_ALGO_AUTO ? ROOF_ALGO_RING : c->algo;
    out->tiers = nodes > 1 ? ROOF_TIER_CLUSTER : ROOF_TIER_NODE;
    if ((rc = check_nccl(hw, c, nodes, err)) != ROOF_OK)
        return rc;
    out->nccl = uses_nccl(hw, c, nodes);
    if (c->group == 1 || c->bytes == 0.0)
        return ROOF_OK; /* nothing moves */
    if (c->op == ROOF_COLL_ALL_TO_ALL && c->a2a_mode == ROOF_A2A_LOW_LATENCY)
        return low_latency(hw, c, nodes, out);

    ab best = {INFINITY, INFINITY, ROOF_PROTO_AUTO, 0.0}, allpairs = best;
    roof_algo chosen = c->algo;
    /* The topology once for every algorithm NCCL's model times. */
    roof_nccl_topo topo_v;
    const roof_nccl_topo *topo = NULL;
    if (out->nccl) {
        topo_v = nccl_topo(hw, c->group, nodes);
        topo = &topo_v;
    }
    if (c->algo == ROOF_ALGO_AUTO && out->nccl &&
        isfinite(choice_of(allpairs = algo_time(hw, c, ROOF_ALGO_ALLPAIRS, nodes, topo)))) {
        /* RCCL hands the all-reduce to MSCCL before its tuning model
         * chooses (ROCm/rccl@0cbce2a7 src/collectives.cc ncclAllReduce,
         * lines 61-69: mscclEnqueueCheck ahead of ncclEnqueueCheck), so
         * all-pairs is taken whatever the model's times (hw/nccl_tuning.h
         * roof_rccl_allpairs_proto). */
        best = allpairs;
        chosen = ROOF_ALGO_ALLPAIRS;
    } else if (c->algo == ROOF_ALGO_AUTO) {
        for (int a = ROOF_ALGO_RING; a < ROOF_ALGO_COUNT; a++) {
            ab t = algo_time(hw, c, (roof_algo)a, nodes, topo);
            if (choice_of(t) < choice_of(best)) {
                best = t;
                chosen = (roof_algo)a;
            }
        }
    } else {
        best = algo_time(hw, c, c->algo, nodes, topo);
        if (!isfinite(best.a + best.b)) {
            const char *why = "it does not apply to this collective";
            int ar = c->op == ROOF_COLL_ALL_REDUCE;
            if (c->algo == ROOF_ALGO_NVLS)
                why = out->nccl && c->op == ROOF_COLL_BROADCAST ? "NCCL runs broadcast as a ring only"
                      : !ar && !out->nccl                       ? "NVLS applies to all_reduce only"
                      : !hw->node.nvls ? "the profile's switch has no NVLS (hw.network.node.nvls)"
                      : out->nccl && (hw->node.arch < ROOF_NCCL_ARCH_HOPPER || hw->node.nvls_channels < 1)
                          ? "NCCL's model has no NVLS channels here (Hopper or later, hw.network.node.nvls_channels)"
                      : nodes > 1 ? "NVLS works inside one node only"
                                  : "NVLS needs more than 4 GPUs";
            else if (c->algo == ROOF_ALGO_TREE && out->nccl && ar && roof_nccl_is_rccl((roof_nccl_arch)hw->node.arch))
                why = "RCCL runs no Simple tree inside one gfx942 node";
            else if (c->algo == ROOF_ALGO_TREE && out->nccl)
                why = "NCCL's model runs tree for all_reduce only";
            else if (c->algo == ROOF_ALGO_TREE)
                why = !ar && c->op != ROOF_COLL_BROADCAST ? "tree applies to all_reduce and broadcast only"
                                                          : "tree runs across nodes (inside one node NCCL uses rings)";
            else if (c->algo == ROOF_ALGO_ALLPAIRS)
                why = !ar || !out->nccl || !roof_nccl_is_rccl((roof_nccl_arch)hw->node.arch)
                          ? "all-pairs is RCCL's MSCCL all-reduce on 8 gfx942 ranks in one node"
                          : "RCCL runs MSCCL's all-pairs from 1 KiB to 16 MiB on 8 ranks, LL below 512 KiB and "
                            "Simple from there";
            else if (c->algo == ROOF_ALGO_COLLNET_DIRECT || c->algo == ROOF_ALGO_COLLNET_CHAIN ||
                     c->algo == ROOF_ALGO_NVLS_SHARP)
                why = !ar          ? "NCCL's model runs in-network reduction for all_reduce only here"
                      : !out->nccl ? "it needs NCCL's model across nodes (hw.network.node.arch and "
                                     "hw.network.cluster.channels)"
                      : nodes < 2  ? "it reduces in the network's switches: the group must span nodes"
                      : !hw->cluster.sharp
                          ? "the profile's network does not reduce in-network (hw.network.cluster.sharp)"
                          : "NCCL's model has no NVLS channels here (Hopper or later, "
                            "hw.network.node.nvls_channels)";
            else if (c->algo == ROOF_ALGO_HIER)
                why = !ar && c->op != ROOF_COLL_ALL_GATHER && c->op != ROOF_COLL_REDUCE_SCATTER
                          ? "hier applies to all_reduce, all_gather and reduce_scatter only"
                          : "the group must span several nodes with 2 or more ranks on each";
            return roof_error_set(err, ROOF_ERR_USAGE, "--algo", "algorithm '%s' cannot run %s: %s",
                                  roof_algo_name(c->algo), roof_collective_name(c->op), why);
        }
    }
    /* As roof_op_check's bound on any result (1e12 s), naming NCCL's own
     * parameters, which that check does not know. */
    if (out->nccl && !(best.a + best.b <= 1e12))
        return roof_error_set(err, ROOF_ERR_USAGE, "hw.network.node.channel_bandwidth",
                              "%s of %g B by NCCL's model takes %g s, beyond 1e12 s: check "
                              "hw.network.node.channel_bandwidth = %g, hw.network.node.nvls_channel_bandwidth = %g",
                              roof_collective_name(c->op), c->bytes, best.a + best.b, hw->node.channel_bw,
                              hw->node.nvls_channel_bw);
    out->algo = chosen;
    out->proto = best.proto;
    out->alpha_s = best.a;
    out->beta_s = best.b;
    out->time_s = best.a + best.b;
    out->estimate_s = best.choice > 0.0 ? best.choice : 0.0;
    out->algbw = c->bytes / out->time_s;
    out->busbw = out->algbw * roof_collective_bus_factor(c->op, c->group);
    out->tiers = nodes == 1                                                    ? ROOF_TIER_NODE
                 : chosen == ROOF_ALGO_HIER || (c->op == ROOF_COLL_ALL_TO_ALL) ? ROOF_TIER_NODE | ROOF_TIER_CLUSTER
                                                                               : ROOF_TIER_CLUSTER;
    return ROOF_OK;
}
