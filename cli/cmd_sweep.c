/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof sweep CONFIG --vary PATH=VALUES...: the cartesian product of the
 * values, one row per point with the chosen metrics. A point whose plan
 * does not fit the model (say, tp that does not divide the heads) is a row
 * with its error, not the end of the sweep. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cli/parse_opts.h"

#define MAX_VARY 16

typedef struct {
    const char *vary[MAX_VARY];
    int nvary;
    const char *metrics;
} sweep_opts;

enum { OPT_VARY = 1, OPT_METRICS };

static void help(void)
{
    printf("usage: llmroof sweep [CONFIG] --vary PATH=VALUES [--vary ...] [--metric|--metrics M1,M2,...]\n"
           "                     [--hw NAME|FILE] [--set PATH=VALUE]... [--format table|csv|json] [-o FILE]\n\n"
           "Evaluates the deployment at every point of the cartesian product of the values\n"
           "(the last --vary fastest) and prints one row per point with the metrics\n"
           "(default ttft_s,tpot_s,tokens_per_s,memory_used_fraction). VALUES is a list\n"
           "(1,2,4), START:STOP:STEP (1T:4T:0.5T) or START:STOP:xFACTOR (1:64:x2); numbers\n"
           "take SI suffixes. At most %d points. A point whose plan is invalid shows its\n"
           "error. Metrics: see 'llmroof sweep --metrics help'.\n\n"
           "Examples:\n"
           "  llmroof sweep configs/llama3-8b.cfg --vary workload.batch=1:64:x2\n"
           "  llmroof sweep configs/llama3-70b-tp8.cfg --vary hw.memory.bandwidth=2T:5T:0.5T \\\n"
           "      --vary parallel.tp=2,4,8 --metrics tpot_s,usd_per_mtok --format csv\n",
           ROOF_SWEEP_MAX_POINTS);
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    sweep_opts *o = ctx;
    if (opt == OPT_VARY) {
        if (o->nvary == MAX_VARY)
            return roof_cli_usage_error("sweep", "at most %d --vary options", MAX_VARY);
        o->vary[o->nvary++] = arg;
    } else if (opt == OPT_METRICS) {
        o->metrics = arg;
    } else {
        return roof_cli_usage_error("sweep", "unknown option");
    }
    return 0;
}

typedef struct {
    roof_out *out;
    const roof_vary *v;
    size_t nv;
    const roof_metric **m;
    size_t nm;
    const char *config, *hw; /* in csv and json, for the plot's title */
} sweep_ctx;

static int row(void *ctx, const double *values, const roof_result *r, int status, const roof_error *perr)
{
    sweep_ctx *c = ctx;
    roof_out_row(c->out);
    for (size_t i = 0; i < c->nv; i++)
        roof_cli_put_param(c->out, c->v[i].knob.param->path, c->v[i].knob.param, values[i]);
    for (size_t j = 0; j < c->nm; j++)
        roof_cli_put_metric(c->out, c->m[j]->name, c->m[j]->unit, status == ROOF_OK ? c->m[j]->get(r) : NAN);
    /* A boolean; null where the point failed (no plan to fit). */
    if (status != ROOF_OK)
        roof_out_null(c->out, "fits", NULL);
    else
        roof_out_bool(c->out, "fits", r->memory.fits);
    if (status == ROOF_OK)
        roof_out_null(c->out, "error", NULL);
    else
        roof_out_str(c->out, "error", perr->msg);
    if (c->config)
        roof_out_str(c->out, "config", c->config);
    if (c->hw)
        roof_out_str(c->out, "profile", c->hw);
    return ROOF_OK;
}

int roof_cmd_sweep(int argc, char **argv)
{
    static const struct option longopts[] = {{"vary", required_argument, NULL, OPT_VARY},
                                             {"metrics", required_argument, NULL, OPT_METRICS},
                                             /* One name everywhere: sensitivity's --metric works here too. */
                                             {"metric", required_argument, NULL, OPT_METRICS},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    sweep_opts o = {{NULL}, 0, NULL};
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_scenario *s = calloc(1, sizeof *s);
    roof_vary v[MAX_VARY] = {{{NULL, 0}, NULL, 0}};
    int rc = ROOF_ERR_RUNTIME, posc = 0;
    if (!posv || !s)
        goto out;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc > 1) {
        rc = roof_cli_usage_error("sweep", "expected one CONFIG (got %d arguments)", posc);
        goto out;
    }
    /* The help text points here: list the metrics rather than reject "help"
     * as an unknown metric. */
    if (o.metrics && strcmp(o.metrics, "help") == 0) {
        for (size_t i = 0; i < roof_metric_count(); i++) {
            const roof_metric *mt = roof_metric_at(i);
            printf("%-28s %-8s %s\n", mt->name, mt->unit[0] ? mt->unit : "-", mt->meaning);
        }
        rc = fflush(stdout) == 0 ? 0 : ROOF_ERR_RUNTIME;
        goto out;
    }
    if (o.nvary == 0) {
        rc = roof_cli_usage_error("sweep", "at least one --vary PATH=VALUES is required");
        goto out;
    }
    roof_error err;
    const roof_metric *m[ROOF_MAX_METRICS];
    size_t nm = 0, points;
    rc = o.metrics ? roof_metric_list(o.metrics, "--metrics", m, ROOF_MAX_METRICS, &nm, &err) : ROOF_OK;
    for (int i = 0; rc == ROOF_OK && i < o.nvary; i++)
        rc = roof_vary_parse(o.vary[i], "--vary", &v[i], &err);
    /* Two --vary of one path: the later would silently overwrite the
     * earlier at every point, and the rows would repeat. */
    for (int i = 0; rc == ROOF_OK && i < o.nvary; i++)
        for (int j = 0; rc == ROOF_OK && j < i; j++)
            if (v[i].knob.param == v[j].knob.param)
                rc = roof_error_set(&err, ROOF_ERR_USAGE, "--vary", "'%s' is varied twice", v[i].knob.param->path);
    if (rc == ROOF_OK)
        rc = roof_vary_points(v, (size_t)o.nvary, "--vary", &points, &err);
    if (rc == ROOF_OK)
        rc = roof_cli_scenario(&cli, posc ? posv[0] : NULL, s, &err);
    if (rc == ROOF_OK && !o.metrics)
        rc = roof_metric_list(roof_metric_defaults(s->workload.phase, ROOF_METRICS_SWEEP), "--metrics", m,
                              ROOF_MAX_METRICS, &nm, &err);
    if (rc != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    char title[512];
    snprintf(title, sizeof title, "Sweep of %s on %s: %zu points", s->name, s->hw.name, points);
    roof_out *out = roof_out_new(cli.format, ROOF_OUT_ROWS, title);
    int table = cli.format == ROOF_FMT_TABLE; /* the table's title names them */
    int hw_varied = 0;                        /* --vary hw=a,b: each row has its own, in column hw */
    for (int i = 0; i < o.nvary; i++)
        hw_varied |= strcmp(v[i].knob.param->path, "hw") == 0;
    sweep_ctx c = {out, v, (size_t)o.nvary, m, nm, table ? NULL : s->name, table || hw_varied ? NULL : s->hw.name};
    if ((rc = roof_sweep(s, v, (size_t)o.nvary, row, &c, &err)) != ROOF_OK) {
        roof_out_free(out);
        rc = roof_cli_fail(&err);
        goto out;
    }
    rc = roof_cli_emit(&cli, out);
out:
    for (int i = 0; i < MAX_VARY; i++)
        roof_vary_free(&v[i]);
    free(posv);
    free(s);
    return rc;
}
