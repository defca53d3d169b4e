/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof frontier CONFIG --gpus N [--hw A,B,...]: throughput per GPU
 * against tokens per second per user over tensor-parallel widths and
 * concurrency levels, per hardware, with $/Mtok (analysis/serve.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

#include "analysis/serve.h"
#include "analysis/serve_interval.h"
#include "cli/interval_out.h"
#include "cli/parse_opts.h"
#include "core/number.h"
#include "model/config.h"

#define MAX_HW 16
#define MAX_POINTS 4096

typedef struct {
    const char *gpus;
    int pareto_only, no_interval;
} frontier_opts;

enum { OPT_GPUS = 1, OPT_PARETO, OPT_NO_INTERVAL };

static void help(void)
{
    printf("usage: llmroof frontier [CONFIG] --gpus N [--hw A,B,...] [--pareto] [--no-interval] [--set PATH=VALUE]...\n"
           "                        [--format table|csv|json] [-o FILE]\n\n"
           "The throughput-interactivity frontier: for each hardware (--hw, a list; default the\n"
           "config's), each tensor-parallel width tp (a power of two dividing N; N / tp\n"
           "replicas) and each concurrency per replica (1, 2, 4, ... up to engine.max_batch),\n"
           "the analytic serving steady state (llmroof serve --analytic; docs/serving.md) at\n"
           "the traffic's prompt and output lengths: output tokens/s per user (1 / TPOT), per\n"
           "GPU, TTFT, TPOT and $/Mtok. 'pareto' marks the points no other point of the\n"
           "same hardware beats on both rates; --pareto prints only those.\n\n"
           "Each Pareto point carries the 80%% interval of its rates, TTFT, TPOT and $/Mtok\n"
           "under the model's own error (docs/accuracy.md; %d draws of the steady state):\n"
           "beside the number in the table, metrics_interval.NAME.p10 and .p90 columns in csv\n"
           "and json (null off the frontier); --no-interval hides them.\n\n"
           "Examples:\n"
           "  llmroof frontier configs/llama3-70b-tp8.cfg --gpus 8 --hw h100-sxm,h200,b200,mi300x --pareto\n"
           "  llmroof frontier configs/llama3-8b.cfg --gpus 8 --set traffic.prompt.mean=1024 --format csv\n",
           ROOF_SERVE_IV_DRAWS);
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    frontier_opts *o = ctx;
    if (opt == OPT_GPUS)
        o->gpus = arg;
    else if (opt == OPT_PARETO)
        o->pareto_only = 1;
    else if (opt == OPT_NO_INTERVAL)
        o->no_interval = 1;
    else
        return roof_cli_usage_error("frontier", "unknown option");
    return 0;
}

/* The statistics with an interval, in ROOF_FRONTIER_IV_* order. */
static const struct {
    const char *key, *unit;
} iv_cols[ROOF_FRONTIER_IV_N] = {
    {"tok_s_user", "tok/s"}, {"tok_s_gpu", "tok/s"}, {"ttft_s", "s"}, {"tpot_s", "s"}, {"usd_per_mtok", "USD"}};

/* One hardware's points into out; lo and hi (NULL: no intervals) hold
 * ROOF_FRONTIER_IV_N per point. */
static int one_hw(roof_cli *scen, const char *config, const char *hw, const roof_serve_cfg *cfg, int64_t gpus,
                  int pareto_only, roof_frontier_point *pts, double *lo, double *hi, roof_out *out, roof_error *err)
{
    static roof_scenario s;
    if (hw) {
        scen->hw_name = hw;
        scen->hw_explicit = 1;
    }
    int n = 0;
    int rc = roof_cli_scenario(scen, config, &s, err);
    if (rc == ROOF_OK)
        rc = roof_serve_frontier(&s, cfg, gpus, pts, MAX_POINTS, &n, err);
    if (rc == ROOF_OK && lo) {
        static roof_errm em; /* large: not on the stack */
        rc = roof_errm_load(NULL, &em, err);
        if (rc == ROOF_OK)
            rc = roof_serve_frontier_interval(&s, cfg, pts, n, &em, lo, hi, err);
    }
    roof_format fmt = scen->format;
    for (int i = 0; rc == ROOF_OK && i < n; i++) {
        if (pareto_only && !pts[i].pareto)
            continue;
        roof_out_row(out);
        roof_out_str(out, "hw", s.hw.name);
        roof_out_int(out, "tp", pts[i].tp);
        roof_out_int(out, "replicas", pts[i].replicas);
        roof_out_int(out, "concurrency", pts[i].concurrency);
        const double v[ROOF_FRONTIER_IV_N] = {pts[i].tok_s_user, pts[i].tok_s_gpu, pts[i].ttft_s, pts[i].tpot_s,
                                              pts[i].usd_per_mtok};
        const double *l = lo ? lo + i * ROOF_FRONTIER_IV_N : NULL, *h = hi ? hi + i * ROOF_FRONTIER_IV_N : NULL;
        for (int k = 0; k < ROOF_FRONTIER_IV_N; k++)
            if (!(l && roof_iv_put_text(out, fmt, iv_cols[k].key, iv_cols[k].unit, v[k], l[k], h[k])))
                roof_out_num(out, iv_cols[k].key, iv_cols[k].unit, v[k]);
        roof_out_bool(out, "pareto", pts[i].pareto);
        for (int k = 0; l && fmt != ROOF_FMT_TABLE && k < ROOF_FRONTIER_IV_N; k++)
            roof_iv_put_bounds(out, iv_cols[k].key, l[k], h[k]);
    }
    return rc;
}

int roof_cmd_frontier(int argc, char **argv)
{
    static const struct option longopts[] = {{"gpus", required_argument, NULL, OPT_GPUS},
                                             {"pareto", no_argument, NULL, OPT_PARETO},
                                             {"no-interval", no_argument, NULL, OPT_NO_INTERVAL},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    frontier_opts o;
    memset(&o, 0, sizeof o);
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_frontier_point *pts = calloc(MAX_POINTS, sizeof *pts);
    double *lo = calloc((size_t)MAX_POINTS * ROOF_FRONTIER_IV_N, sizeof *lo);
    double *hi = calloc((size_t)MAX_POINTS * ROOF_FRONTIER_IV_N, sizeof *hi);
    char list[1024] = "";
    int rc = ROOF_ERR_RUNTIME, posc = 0;
    if (!posv || !pts || !lo || !hi)
        goto out;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc > 1) {
        rc = roof_cli_usage_error("frontier", "expected one CONFIG (got %d arguments)", posc);
        goto out;
    }
    if (!o.gpus) {
        rc = roof_cli_usage_error("frontier", "--gpus N is required");
        goto out;
    }
    roof_error err;
    int64_t gpus;
    if (roof_parse_count(o.gpus, "--gpus", &gpus, &err) != ROOF_OK || gpus > 1000000) {
        rc = roof_cli_usage_error("frontier", "--gpus must be a whole number in [1, 1e6] (got '%.60s')", o.gpus);
        goto out;
    }
    roof_cli scen = cli;
    scen.nsets = 0;
    roof_serve_cfg cfg;
    roof_serve_defaults(&cfg);
    rc = ROOF_OK;
    if (posc)
        rc = roof_serve_load(posv[0], &cfg, &err);
    for (int i = 0; i < cli.nsets && rc == ROOF_OK; i++) {
        if (roof_serve_is_setting(cli.sets[i]))
            rc = roof_serve_set(&cfg, cli.sets[i], &err);
        else
            scen.sets[scen.nsets++] = cli.sets[i];
    }
    if (rc == ROOF_OK)
        rc = roof_serve_check(&cfg, &err);
    if (rc != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    roof_out *out =
        roof_out_new(cli.format, ROOF_OUT_ROWS, "Throughput-interactivity frontier (analytic steady state)");
    if (cli.hw_explicit) {
        snprintf(list, sizeof list, "%s", cli.hw_name);
        int nhw = 0;
        for (char *save = NULL, *hw = strtok_r(list, ",", &save); hw && rc == ROOF_OK;
             hw = strtok_r(NULL, ",", &save)) {
            if (++nhw > MAX_HW) {
                rc = roof_error_set(&err, ROOF_ERR_USAGE, "--hw", "at most %d hardware profiles", MAX_HW);
                break;
            }
            rc = one_hw(&scen, posc ? posv[0] : NULL, hw, &cfg, gpus, o.pareto_only, pts, o.no_interval ? NULL : lo,
                        o.no_interval ? NULL : hi, out, &err);
        }
    } else {
        rc = one_hw(&scen, posc ? posv[0] : NULL, NULL, &cfg, gpus, o.pareto_only, pts, o.no_interval ? NULL : lo,
                    o.no_interval ? NULL : hi, out, &err);
    }
    if (rc != ROOF_OK) {
        roof_out_free(out);
        rc = roof_cli_fail(&err);
        goto out;
    }
    rc = roof_cli_emit(&cli, out);
out:
    free(posv);
    free(pts);
    free(lo);
    free(hi);
    return rc;
}
