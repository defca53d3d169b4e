/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof comm COLLECTIVE SIZE --group P: one collective (NCCL's tuning
 * model inside a node where the profile names its architecture, alpha-beta
 * otherwise), or the nccl-tests-style sweep from 8 B to 16 GiB. --explain
 * and --sweep set NCCL's algorithms and protocols side by side. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/parse_opts.h"
#include "core/number.h"
#include "hw/collective.h"
#include "hw/nccl_tuning.h"
#include "model/evaluate.h"

typedef struct {
    const char *group;
    const char *nodes;
    const char *placement;
    const char *algo;
    const char *proto;
    const char *a2a;
    int sweep;
    int explain;
} comm_opts;

enum { OPT_GROUP = 1, OPT_NODES, OPT_PLACEMENT, OPT_ALGO, OPT_PROTO, OPT_A2A, OPT_SWEEP, OPT_EXPLAIN };

static void help(void)
{
    printf("usage: llmroof comm COLLECTIVE SIZE --group P [--nodes N | --placement node|cluster]\n"
           "                    [--algo auto|ring|tree|nvls|hier|allpairs|collnet_direct|collnet_chain|nvls_sharp]\n"
           "                    [--proto auto|ll|ll128|simple]\n"
           "                    [--a2a nccl|low_latency] [--explain] [--sweep] [--hw NAME|FILE]\n"
           "                    [--set PATH=VALUE]... [--format table|csv|json]\n\n"
           "The time of one collective on P ranks, with the latency (alpha) and bandwidth\n"
           "(beta) terms apart, algorithm, protocol and bus bandwidth as nccl-tests reports\n"
           "them. On a profile that names its GPU architecture (hw.network.node.arch),\n"
           "all_reduce, all_gather, reduce_scatter and broadcast follow NCCL's own tuning\n"
           "model (NCCL 2.27.7 src/graph/tuning.cc: ring, tree and NVLS times the LL, LL128\n"
           "and Simple protocols; NCCL picks the fastest predicted, then runs small sizes on\n"
           "fewer channels): inside one node, and across nodes where the profile gives the\n"
           "network graph (hw.network.cluster.channels; NVLS becomes NVLS-tree there);\n"
           "otherwise the alpha-beta model. COLLECTIVE: all_reduce,\n"
           "all_gather, reduce_scatter, all_to_all, send_recv, broadcast. SIZE in bytes,\n"
           "nccl-tests convention (all_gather: the gathered output; reduce_scatter: the\n"
           "input; all_to_all: what each rank sends), with suffixes: 64Mi, 1G.\n\n"
           "  --group P        ranks in the group (required)\n"
           "  --nodes N        nodes the group spans (default: packed, ceil(P / node size))\n"
           "  --placement node|cluster  all ranks in one node, or one rank per node\n"
           "  --algo A         ring, tree, nvls (in-switch, NVSwitch nodes, >4 GPUs), hier\n"
           "                   (two-level across nodes), allpairs (RCCL's MSCCL all-reduce, 8 MI300X\n"
           "                   ranks, 1 KiB..16 MiB), collnet_direct, collnet_chain, nvls_sharp\n"
           "                   (all_reduce with the network's in-switch reduction, SHARP:\n"
           "                   hw.network.cluster.sharp = true), or auto: the fastest allowed\n"
           "                   (default)\n"
           "  --proto P        NCCL protocol ll, ll128, simple, or auto: the fastest (default);\n"
           "                   only where NCCL's model applies\n"
           "  --a2a M          all_to_all: nccl (grouped send/receive, default) or low_latency\n"
           "                   (DeepEP-style per-peer writes: fixed latency + busiest link)\n"
           "  --explain        the chosen algorithm and protocol, the terms of its time, and\n"
           "                   every algorithm x protocol NCCL's model offers\n"
           "  --sweep          sizes 8 B .. 16 GiB in powers of two (SIZE not given), with\n"
           "                   the time of each algorithm x protocol beside NCCL's choice\n\n"
           "Examples:\n"
           "  llmroof comm all_reduce 64Mi --group 8 --hw h100-sxm --explain\n"
           "  llmroof comm all_reduce 1Gi --group 16 --nodes 2 --algo hier\n"
           "  llmroof comm all_reduce --sweep --group 8 --format csv\n"
           "  llmroof comm all_to_all 7Mi --group 64 --a2a low_latency --hw h800\n");
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    comm_opts *o = ctx;
    switch (opt) {
    case OPT_GROUP:
        o->group = arg;
        return 0;
    case OPT_NODES:
        o->nodes = arg;
        return 0;
    case OPT_PLACEMENT:
        o->placement = arg;
        return 0;
    case OPT_ALGO:
        o->algo = arg;
        return 0;
    case OPT_PROTO:
        o->proto = arg;
        return 0;
    case OPT_A2A:
        o->a2a = arg;
        return 0;
    case OPT_SWEEP:
        o->sweep = 1;
        return 0;
    case OPT_EXPLAIN:
        o->explain = 1;
        return 0;
    default:
        return roof_cli_usage_error("comm", "unknown option");
    }
}

static const char *tier_text(int tiers)
{
    if (tiers == (ROOF_TIER_NODE | ROOF_TIER_CLUSTER))
        return "node+cluster";
    return tiers == ROOF_TIER_CLUSTER ? "cluster" : "node";
}

/* The part of a node the group's ranks on each node run in (hw/hw.h). */
static const char *domain_text(int domain)
{
    return domain == ROOF_DOMAIN_BRIDGE ? "nvlink_bridge" : domain == ROOF_DOMAIN_SOCKETS ? "across_sockets" : "node";
}

/* "rccl" where the profile names RCCL's architecture (hw/nccl_tuning.h). */
static const char *model_text(const roof_hw *hw, const roof_comm_time *t)
{
    if (t->low_latency)
        return "low-latency a2a";
    if (t->nccl)
        return roof_nccl_is_rccl((roof_nccl_arch)hw->node.arch) ? "rccl" : "nccl";
    return "alpha-beta";
}

static void put_result(roof_out *out, const roof_hw *hw, const roof_comm *c, const roof_comm_time *t, int full)
{
    if (full) {
        roof_out_str(out, "collective", roof_collective_name(c->op));
        roof_out_int(out, "group", c->group);
        roof_out_int(out, "nodes", t->nodes);
    }
    roof_out_int(out, "size", (int64_t)c->bytes);
    roof_out_str(out, "algo", t->low_latency ? "low_latency" : roof_algo_name(t->algo));
    roof_out_str(out, "proto", t->proto == ROOF_PROTO_AUTO ? "-" : roof_proto_name(t->proto));
    roof_out_str(out, "model", model_text(hw, t));
    roof_out_str(out, "tiers", tier_text(t->tiers));
    roof_out_str(out, "domain", domain_text(t->domain));
    roof_out_num(out, "time_s", "s", t->time_s);
    roof_out_num(out, "alpha_s", "s", t->alpha_s);
    roof_out_num(out, "beta_s", "s", t->beta_s);
    roof_out_num(out, "algbw", "B/s", t->algbw);
    roof_out_num(out, "busbw", "B/s", t->busbw);
}

/* An infinite or absurd time (a bandwidth of 1e-300 B/s) is an error
 * naming the parameter, as for every result of the model. */
static int check_time(const roof_hw *hw, const roof_comm *c, const roof_comm_time *t, roof_error *err)
{
    roof_op op = {.name = "comm",
                  .kind = ROOF_OP_COMM,
                  .comm = *c,
                  .count = 1.0,
                  .time_s = t->time_s,
                  .bound = ROOF_OP_BOUND_NETWORK};
    return roof_op_check(hw, ROOF_DT_BF16, &op, "time_s", err);
}

static int resolve(roof_cli *cli, comm_opts *o, roof_comm *c, roof_error *err)
{
    if (!o->group)
        return roof_error_set(err, ROOF_ERR_USAGE, "comm", "--group P is required");
    int64_t g = 0;
    if (roof_parse_count(o->group, "--group", &g, err) != ROOF_OK)
        return roof_error_set(err, ROOF_ERR_USAGE, "comm", "%s", err->msg);
    c->group = g;
    if (o->nodes && o->placement)
        return roof_error_set(err, ROOF_ERR_USAGE, "comm", "give --nodes or --placement, not both");
    if (o->nodes) {
        int64_t n = 0;
        if (roof_parse_count(o->nodes, "--nodes", &n, err) != ROOF_OK)
            return roof_error_set(err, ROOF_ERR_USAGE, "comm", "%s", err->msg);
        c->nodes = n;
    } else if (o->placement) {
        if (strcmp(o->placement, "node") == 0) {
            if (g > cli->hw.node.size)
                return roof_error_set(err, ROOF_ERR_USAGE, "--placement",
                                      "a group of %lld does not fit one node of %lld GPUs ('%s')", (long long)g,
                                      (long long)cli->hw.node.size, cli->hw.name);
            c->nodes = 1;
        } else if (strcmp(o->placement, "cluster") == 0) {
            c->nodes = g;
        } else {
            return roof_error_set(err, ROOF_ERR_USAGE, "--placement",
                                  "unknown placement '%s' (expected node or cluster)", o->placement);
        }
    }
    if (o->a2a) {
        if (strcmp(o->a2a, "nccl") == 0)
            c->a2a_mode = ROOF_A2A_NCCL;
        else if (strcmp(o->a2a, "low_latency") == 0)
            c->a2a_mode = ROOF_A2A_LOW_LATENCY;
        else
            return roof_error_set(err, ROOF_ERR_USAGE, "--a2a",
                                  "unknown all-to-all mode '%s' (expected nccl or low_latency)", o->a2a);
    }
    if (roof_proto_parse(o->proto, &c->proto, err) != ROOF_OK)
        return ROOF_ERR_USAGE;
    return roof_algo_parse(o->algo, &c->algo, err);
}

/* NCCL's algorithms x protocols, in the order they are shown. */
static const struct {
    roof_algo algo;
    roof_proto proto;
    const char *key;
} combos[] = {{ROOF_ALGO_RING, ROOF_PROTO_LL, "ring_ll_s"},
              {ROOF_ALGO_RING, ROOF_PROTO_LL128, "ring_ll128_s"},
              {ROOF_ALGO_RING, ROOF_PROTO_SIMPLE, "ring_simple_s"},
              {ROOF_ALGO_TREE, ROOF_PROTO_LL, "tree_ll_s"},
              {ROOF_ALGO_TREE, ROOF_PROTO_LL128, "tree_ll128_s"},
              {ROOF_ALGO_TREE, ROOF_PROTO_SIMPLE, "tree_simple_s"},
              {ROOF_ALGO_NVLS, ROOF_PROTO_SIMPLE, "nvls_simple_s"},
              {ROOF_ALGO_ALLPAIRS, ROOF_PROTO_LL, "allpairs_ll_s"},
              {ROOF_ALGO_ALLPAIRS, ROOF_PROTO_SIMPLE, "allpairs_simple_s"},
              {ROOF_ALGO_COLLNET_DIRECT, ROOF_PROTO_SIMPLE, "collnet_direct_simple_s"},
              {ROOF_ALGO_COLLNET_CHAIN, ROOF_PROTO_SIMPLE, "collnet_chain_simple_s"},
              {ROOF_ALGO_NVLS_SHARP, ROOF_PROTO_SIMPLE, "nvls_sharp_simple_s"}};
enum { NCOMBOS = sizeof combos / sizeof combos[0] };

/* Which combinations NCCL's model offers for c on hw (none where it does
 * not time c). Whether one applies does not depend on the size, except
 * RCCL's all-pairs, which RCCL runs for some sizes only: probed at c's
 * size (none in the sweep). */
static int offered(const roof_hw *hw, const roof_comm *c, int ok[NCOMBOS])
{
    int any = 0;
    for (int i = 0; i < NCOMBOS; i++) {
        roof_comm one = *c;
        one.algo = combos[i].algo;
        one.proto = combos[i].proto;
        one.bytes = combos[i].algo == ROOF_ALGO_ALLPAIRS ? c->bytes : 1048576.0;
        roof_comm_time t;
        roof_error e;
        ok[i] = roof_comm_time_of(hw, &one, &t, &e) == ROOF_OK && t.nccl;
        any |= ok[i];
    }
    return any;
}

static int combo_time(const roof_hw *hw, const roof_comm *c, int i, roof_comm_time *t, roof_error *err)
{
    roof_comm one = *c;
    one.algo = combos[i].algo;
    one.proto = combos[i].proto;
    return roof_comm_time_of(hw, &one, t, err);
}

/* --explain: the formula of the chosen time and every combination. */
static int explain(roof_out *out, const roof_hw *hw, const roof_comm *c, const roof_comm_time *t, roof_error *err)
{
    char line[600];
    if (t->low_latency)
        snprintf(line, sizeof line,
                 "time = a2a latency + busiest of (NVLink, network) writes = %.6g s + %.6g s "
                 "(hw/a2a.h, DeepEP low-latency kernels)",
                 t->alpha_s, t->beta_s);
    else if (t->nccl && t->algo == ROOF_ALGO_ALLPAIRS)
        snprintf(line, sizeof line,
                 "time = latency + bytes / bandwidth = %.6g s + %.6g B / %.6g B/s (MSCCL all-pairs, protocol %s: "
                 "RCCL 2.21.5 runs it for 8 ranks from 1 KiB to 16 MiB ahead of its tuning model; RCCL has no cost "
                 "model for it, so the latency is RCCL's baseLat + 2 hops of hwLat and the bandwidth all XGMI "
                 "links at once, LL at half rate: a derivation, hw/nccl_tuning.c)",
                 t->alpha_s, c->bytes, t->beta_s > 0.0 ? c->bytes / t->beta_s : 0.0, roof_proto_name(t->proto));
    else if (t->nccl && roof_nccl_is_rccl((roof_nccl_arch)hw->node.arch))
        snprintf(line, sizeof line,
                 "time = latency + bytes / bandwidth = %.6g s + %.6g B / %.6g B/s (RCCL 2.21.5 tuning.cc, "
                 "rcclTuningModel[5] of gfx942: %s, protocol %s, the fastest of the candidates by the model; a "
                 "tree's bandwidth carries RCCL's correction factor for the size)",
                 t->alpha_s, c->bytes, t->beta_s > 0.0 ? c->bytes / t->beta_s : 0.0, roof_algo_name(t->algo),
                 roof_proto_name(t->proto));
    else if (t->nccl)
        snprintf(line, sizeof line,
                 "time = latency + bytes / bandwidth = %.6g s + %.6g B / %.6g B/s (NCCL 2.27.7 tuning.cc, Blackwell's "
                 "per-channel caps 2.29.7's, NVLS inside one node 2.29.2's: %s, "
                 "protocol %s: the fastest of the candidates by the model on all channels; the bandwidth is that of "
                 "the channels NCCL runs this size on, and a Simple ring's latency carries the plateau factor, "
                 "1.4 across nodes, by its steps inside an NVLink node)",
                 t->alpha_s, c->bytes, t->beta_s > 0.0 ? c->bytes / t->beta_s : 0.0, roof_algo_name(t->algo),
                 roof_proto_name(t->proto));
    else
        snprintf(line, sizeof line, "time = alpha + beta = %.6g s + %.6g s (alpha-beta model, algorithm %s)",
                 t->alpha_s, t->beta_s, roof_algo_name(t->algo));
    roof_out_note(out, line);
    int ok[NCOMBOS];
    if (!offered(hw, c, ok))
        return ROOF_OK;
    roof_out_section(out, "candidates", ROOF_OUT_ROWS,
                     roof_nccl_is_rccl((roof_nccl_arch)hw->node.arch) ? "RCCL's model: every algorithm x protocol"
                                                                      : "NCCL's model: every algorithm x protocol");
    for (int i = 0; i < NCOMBOS; i++) {
        if (!ok[i])
            continue;
        roof_comm_time ti;
        int rc = combo_time(hw, c, i, &ti, err);
        if (rc != ROOF_OK)
            return rc;
        roof_out_row(out);
        roof_out_str(out, "algo", roof_algo_name(combos[i].algo));
        roof_out_str(out, "proto", roof_proto_name(combos[i].proto));
        roof_out_num(out, "latency_s", "s", ti.alpha_s);
        roof_out_num(out, "bandwidth", "B/s", ti.beta_s > 0.0 ? c->bytes / ti.beta_s : 0.0);
        roof_out_num(out, "time_s", "s", ti.time_s);
        roof_out_num(out, "estimate_s", "s", ti.estimate_s);
        roof_out_bool(out, "chosen", combos[i].algo == t->algo && combos[i].proto == t->proto);
    }
    return ROOF_OK;
}

int roof_cmd_comm(int argc, char **argv)
{
    static const struct option longopts[] = {{"group", required_argument, NULL, OPT_GROUP},
                                             {"nodes", required_argument, NULL, OPT_NODES},
                                             {"placement", required_argument, NULL, OPT_PLACEMENT},
                                             {"algo", required_argument, NULL, OPT_ALGO},
                                             {"proto", required_argument, NULL, OPT_PROTO},
                                             {"a2a", required_argument, NULL, OPT_A2A},
                                             {"sweep", no_argument, NULL, OPT_SWEEP},
                                             {"explain", no_argument, NULL, OPT_EXPLAIN},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    comm_opts o = {NULL, NULL, NULL, "auto", "auto", NULL, 0, 0};
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    if (!posv)
        return ROOF_ERR_RUNTIME;
    int posc = 0;
    int rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    int want = o.sweep ? 1 : 2;
    if (posc != want) {
        rc = roof_cli_usage_error("comm",
                                  o.sweep ? "expected COLLECTIVE with --sweep (got %d arguments)"
                                          : "expected COLLECTIVE SIZE (got %d arguments)",
                                  posc);
        goto out;
    }
    roof_error err;
    roof_comm c = {0};
    if (roof_collective_parse(posv[0], &c.op, &err) != ROOF_OK || roof_cli_load_hw(&cli, &err) != ROOF_OK ||
        resolve(&cli, &o, &c, &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    if (!o.sweep) {
        roof_error perr = {0};
        if (roof_parse_double(posv[1], &c.bytes, &perr) != ROOF_OK || c.bytes < 0.0 || c.bytes != floor(c.bytes) ||
            c.bytes >= 9.2e18) {
            if (perr.code == ROOF_OK)
                roof_error_set(&perr, ROOF_ERR_USAGE, NULL, "size must be a whole number of bytes >= 0 (got %s)",
                               posv[1]);
            roof_error_set(&err, ROOF_ERR_USAGE, "comm", "invalid SIZE: %s", perr.msg);
            rc = roof_cli_fail(&err);
            goto out;
        }
    }
    roof_comm_time t;
    if (!o.sweep) {
        if (roof_comm_time_of(&cli.hw, &c, &t, &err) != ROOF_OK || check_time(&cli.hw, &c, &t, &err) != ROOF_OK) {
            rc = roof_cli_fail(&err);
            goto out;
        }
        char title[200];
        snprintf(title, sizeof title, "%s of %s B over %lld ranks on %s", roof_collective_name(c.op), posv[1],
                 (long long)c.group, cli.hw.name);
        roof_out *out = roof_out_new(cli.format, ROOF_OUT_RECORD, title);
        put_result(out, &cli.hw, &c, &t, 1);
        if (o.explain && (rc = explain(out, &cli.hw, &c, &t, &err)) != ROOF_OK) {
            roof_out_free(out);
            rc = roof_cli_fail(&err);
            goto out;
        }
        rc = roof_cli_emit(&cli, out);
        goto out;
    }
    char title[200];
    snprintf(title, sizeof title, "%s over %lld ranks on %s (nccl-tests sizes)", roof_collective_name(c.op),
             (long long)c.group, cli.hw.name);
    roof_out *out = roof_out_new(cli.format, ROOF_OUT_ROWS, title);
    int ok[NCOMBOS];
    offered(&cli.hw, &c, ok);
    /* All-pairs runs for some sizes only: no column; the chosen algo names it. */
    for (int i = 0; i < NCOMBOS; i++)
        ok[i] = ok[i] && combos[i].algo != ROOF_ALGO_ALLPAIRS;
    for (double size = 8.0; size <= 17179869184.0; size *= 2.0) {
        c.bytes = size;
        if (roof_comm_time_of(&cli.hw, &c, &t, &err) != ROOF_OK || check_time(&cli.hw, &c, &t, &err) != ROOF_OK) {
            roof_out_free(out);
            rc = roof_cli_fail(&err);
            goto out;
        }
        roof_out_row(out);
        put_result(out, &cli.hw, &c, &t, 0);
        /* Each combination NCCL's model offers, beside its choice. */
        for (int i = 0; i < NCOMBOS; i++) {
            roof_comm_time ti;
            if (!ok[i])
                continue;
            if (combo_time(&cli.hw, &c, i, &ti, &err) != ROOF_OK) {
                roof_out_free(out);
                rc = roof_cli_fail(&err);
                goto out;
            }
            roof_out_num(out, combos[i].key, "s", ti.time_s);
        }
        /* What the sweep is of, for `llmroof plot comm`. */
        roof_out_str(out, "collective", roof_collective_name(c.op));
        roof_out_int(out, "group", c.group);
        roof_out_int(out, "nodes", t.nodes);
        roof_out_str(out, "profile", cli.hw.name);
    }
    rc = roof_cli_emit(&cli, out);
out:
    free(posv);
    return rc;
}
