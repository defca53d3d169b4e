/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof comm COLLECTIVE SIZE --group P: one collective by alpha-beta, or
 * the nccl-tests-style sweep from 8 B to 16 GiB. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/parse_opts.h"
#include "core/number.h"
#include "hw/collective.h"
#include "model/evaluate.h"

typedef struct {
    const char *group;
    const char *nodes;
    const char *placement;
    const char *algo;
    int sweep;
} comm_opts;

enum { OPT_GROUP = 1, OPT_NODES, OPT_PLACEMENT, OPT_ALGO, OPT_SWEEP };

static void help(void)
{
    printf("usage: llmroof comm COLLECTIVE SIZE --group P [--nodes N | --placement node|cluster]\n"
           "                    [--algo auto|ring|tree|nvls|hier] [--sweep] [--hw NAME|FILE]\n"
           "                    [--set PATH=VALUE]... [--format table|csv|json]\n\n"
           "The time of one collective on P ranks by the alpha-beta model, with the latency\n"
           "(alpha) and bandwidth (beta) terms apart, algorithm and bus bandwidth as\n"
           "nccl-tests reports them. COLLECTIVE: all_reduce, all_gather, reduce_scatter,\n"
           "all_to_all, send_recv, broadcast. SIZE in bytes, nccl-tests convention (all_gather:\n"
           "the gathered output; reduce_scatter: the input), with suffixes: 64Mi, 1G.\n\n"
           "  --group P        ranks in the group (required)\n"
           "  --nodes N        nodes the group spans (default: packed, ceil(P / node size))\n"
           "  --placement node|cluster  all ranks in one node, or one rank per node\n"
           "  --algo A         ring, tree, nvls (in-switch, NVSwitch nodes, >4 GPUs), hier\n"
           "                   (two-level across nodes), or auto: the fastest allowed (default)\n"
           "  --sweep          sizes 8 B .. 16 GiB in powers of two (SIZE not given)\n\n"
           "Examples:\n"
           "  llmroof comm all_reduce 64Mi --group 8 --hw h100-sxm\n"
           "  llmroof comm all_reduce 1Gi --group 16 --nodes 2 --algo hier\n"
           "  llmroof comm all_reduce --sweep --group 8 --format csv\n");
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
    case OPT_SWEEP:
        o->sweep = 1;
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

static void put_result(roof_out *out, const roof_comm *c, const roof_comm_time *t, int full)
{
    if (full) {
        roof_out_str(out, "collective", roof_collective_name(c->op));
        roof_out_int(out, "group", c->group);
        roof_out_int(out, "nodes", t->nodes);
    }
    roof_out_int(out, "size", (int64_t)c->bytes);
    roof_out_str(out, "algo", roof_algo_name(t->algo));
    roof_out_str(out, "tiers", tier_text(t->tiers));
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
    return roof_algo_parse(o->algo, &c->algo, err);
}

int roof_cmd_comm(int argc, char **argv)
{
    static const struct option longopts[] = {{"group", required_argument, NULL, OPT_GROUP},
                                             {"nodes", required_argument, NULL, OPT_NODES},
                                             {"placement", required_argument, NULL, OPT_PLACEMENT},
                                             {"algo", required_argument, NULL, OPT_ALGO},
                                             {"sweep", no_argument, NULL, OPT_SWEEP},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    comm_opts o = {NULL, NULL, NULL, "auto", 0};
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
        put_result(out, &c, &t, 1);
        rc = roof_cli_emit(&cli, out);
        goto out;
    }
    char title[200];
    snprintf(title, sizeof title, "%s over %lld ranks on %s (nccl-tests sizes)", roof_collective_name(c.op),
             (long long)c.group, cli.hw.name);
    roof_out *out = roof_out_new(cli.format, ROOF_OUT_ROWS, title);
    for (double size = 8.0; size <= 17179869184.0; size *= 2.0) {
        c.bytes = size;
        if (roof_comm_time_of(&cli.hw, &c, &t, &err) != ROOF_OK || check_time(&cli.hw, &c, &t, &err) != ROOF_OK) {
            roof_out_free(out);
            rc = roof_cli_fail(&err);
            goto out;
        }
        roof_out_row(out);
        put_result(out, &c, &t, 0);
    }
    rc = roof_cli_emit(&cli, out);
out:
    free(posv);
    return rc;
}
