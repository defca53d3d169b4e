/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof uncertainty CONFIG --spread PATH=LOW:HIGH ...: Monte Carlo over
 * uncertain inputs (uniform in each range), and the 5th, 50th and 95th
 * percentiles of the metrics. */
#include <stdio.h>
#include <stdlib.h>

#include "analysis/analysis.h"
#include "cli/parse_opts.h"
#include "core/number.h"

#define MAX_SPREAD 32

typedef struct {
    const char *spread[MAX_SPREAD];
    int nspread;
    const char *metrics, *samples, *seed;
    int model_error;
} unc_opts;

enum { OPT_SPREAD = 1, OPT_METRICS, OPT_SAMPLES, OPT_SEED, OPT_MODEL_ERROR };

static void help(void)
{
    printf("usage: llmroof uncertainty [CONFIG] [--spread PATH=LOW:HIGH]... [--model-error] [--metrics M1,...]\n"
           "                           [--samples N] [--seed S] [--hw NAME|FILE] [--set PATH=VALUE]...\n"
           "                           [--format table|csv|json] [-o FILE]\n\n"
           "Draws N samples (default 2000, at most 10M: about 80 MB per metric), each\n"
           "parameter uniform in its [LOW, HIGH] (GSL's MT19937 seeded with S, 1 to\n"
           "2^32-1, default 1: the same seed gives the same answer),\n"
           "evaluates each, and prints the 5th, 50th and 95th percentiles of the metrics\n"
           "(default ttft_s,tpot_s,tokens_per_s). Whole-number parameters are rounded.\n"
           "--model-error adds the model's own error to every draw, as the error bars of\n"
           "'estimate' draw it (docs/accuracy.md: each op regime's log-normal factor,\n"
           "one per regime and draw), independent of the spreads: the percentiles then\n"
           "answer for both what you do not know about the inputs and what the model\n"
           "gets wrong. It needs no --spread; without it at least one --spread is required.\n\n"
           "Examples:\n"
           "  llmroof uncertainty configs/llama3-70b-tp8.cfg --spread hw.efficiency.compute=0.5:0.8 \\\n"
           "      --spread hw.efficiency.memory=0.7:0.9\n"
           "  llmroof uncertainty configs/llama3-8b.cfg --spread hw.kernel.overhead=2u:8u --samples 10000 --seed 7\n"
           "  llmroof uncertainty configs/llama3-70b-tp8.cfg --spread hw.memory.bandwidth=3T:3.35T --model-error\n");
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    unc_opts *o = ctx;
    if (opt == OPT_SPREAD) {
        if (o->nspread == MAX_SPREAD)
            return roof_cli_usage_error("uncertainty", "at most %d --spread options", MAX_SPREAD);
        o->spread[o->nspread++] = arg;
    } else if (opt == OPT_METRICS) {
        o->metrics = arg;
    } else if (opt == OPT_SAMPLES) {
        o->samples = arg;
    } else if (opt == OPT_SEED) {
        o->seed = arg;
    } else if (opt == OPT_MODEL_ERROR) {
        o->model_error = 1;
    } else {
        return roof_cli_usage_error("uncertainty", "unknown option");
    }
    return 0;
}

int roof_cmd_uncertainty(int argc, char **argv)
{
    static const struct option longopts[] = {{"spread", required_argument, NULL, OPT_SPREAD},
                                             {"metrics", required_argument, NULL, OPT_METRICS},
                                             {"samples", required_argument, NULL, OPT_SAMPLES},
                                             {"seed", required_argument, NULL, OPT_SEED},
                                             {"model-error", no_argument, NULL, OPT_MODEL_ERROR},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    unc_opts o = {{NULL}, 0, NULL, "2000", "1", 0};
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_scenario *s = calloc(1, sizeof *s);
    int rc = ROOF_ERR_RUNTIME, posc = 0;
    if (!posv || !s)
        goto out;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc > 1) {
        rc = roof_cli_usage_error("uncertainty", "expected one CONFIG (got %d arguments)", posc);
        goto out;
    }
    if (o.nspread == 0 && !o.model_error) {
        rc = roof_cli_usage_error("uncertainty", "at least one --spread PATH=LOW:HIGH (or --model-error) is required");
        goto out;
    }
    roof_error err;
    const roof_metric *m[ROOF_MAX_METRICS];
    roof_spread sp[MAX_SPREAD];
    size_t nm = 0, failed = 0;
    int64_t samples = 0, seed = 0;
    rc = o.metrics ? roof_metric_list(o.metrics, "--metrics", m, ROOF_MAX_METRICS, &nm, &err) : ROOF_OK;
    for (int i = 0; rc == ROOF_OK && i < o.nspread; i++)
        rc = roof_spread_parse(o.spread[i], "--spread", &sp[i], &err);
    /* One path spread twice: the later draw would silently win. */
    for (int i = 0; rc == ROOF_OK && i < o.nspread; i++)
        for (int j = 0; rc == ROOF_OK && j < i; j++)
            if (sp[i].knob.param == sp[j].knob.param)
                rc = roof_error_set(&err, ROOF_ERR_USAGE, "--spread", "'%s' is spread twice", sp[i].knob.param->path);
    if (rc == ROOF_OK && (rc = roof_parse_count(o.samples, "--samples", &samples, &err)) != ROOF_OK)
        snprintf(err.where, sizeof err.where, "uncertainty");
    if (rc == ROOF_OK && (rc = roof_parse_count(o.seed, "--seed", &seed, &err)) != ROOF_OK)
        snprintf(err.where, sizeof err.where, "uncertainty");
    /* GSL's MT19937 takes an unsigned long but keeps 32 bits of it: 2^32 + 1
     * would draw what 1 draws. */
    if (rc == ROOF_OK && seed > 4294967295LL)
        rc = roof_error_set(&err, ROOF_ERR_USAGE, "--seed", "must be at most 4294967295 = 2^32-1 (got %lld)",
                            (long long)seed);
    if (rc == ROOF_OK)
        rc = roof_cli_scenario(&cli, posc ? posv[0] : NULL, s, &err);
    if (rc == ROOF_OK && !o.metrics)
        rc = roof_metric_list(roof_metric_defaults(s->workload.phase, ROOF_METRICS_UNCERTAINTY), "--metrics", m,
                              ROOF_MAX_METRICS, &nm, &err);
    double q[ROOF_MAX_METRICS * 3];
    static roof_errm em; /* large: not on the stack */
    if (rc == ROOF_OK && o.model_error)
        rc = roof_errm_load(NULL, &em, &err);
    if (rc == ROOF_OK)
        rc = roof_uncertainty(s, sp, (size_t)o.nspread, m, nm, (size_t)samples, (unsigned long)seed,
                              o.model_error ? &em : NULL, q, &failed, &err);
    if (rc != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    char title[512];
    snprintf(title, sizeof title, "Uncertainty of %s on %s: %lld draws (seed %lld), %zu failed%s", s->name, s->hw.name,
             (long long)samples, (long long)seed, failed, o.model_error ? ", with the model's own error" : "");
    roof_out *out = roof_out_new(cli.format, ROOF_OUT_ROWS, title);
    for (size_t j = 0; j < nm; j++) {
        roof_out_row(out);
        roof_out_str(out, "metric", m[j]->name);
        int tb = cli.format == ROOF_FMT_TABLE;
        roof_out_str(out, "unit", m[j]->unit);
        roof_cli_put_mixed(out, "p5", m[j]->unit, q[j * 3], tb);
        roof_cli_put_mixed(out, "p50", m[j]->unit, q[j * 3 + 1], tb);
        roof_cli_put_mixed(out, "p95", m[j]->unit, q[j * 3 + 2], tb);
    }
    rc = roof_cli_emit(&cli, out);
out:
    free(posv);
    free(s);
    return rc;
}
