/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof sensitivity CONFIG [--metric M]: the elasticity of a metric to
 * every continuous parameter, ranked, with the swing of the metric for a
 * +-X% change of each (the data of a tornado chart). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "analysis/analysis.h"
#include "cli/parse_opts.h"
#include "core/number.h"

typedef struct {
    const char *metric, *percent;
    int all;
} sens_opts;

enum { OPT_METRIC = 1, OPT_PERCENT, OPT_ALL };

static void help(void)
{
    printf("usage: llmroof sensitivity [CONFIG] [--metric M] [--percent X] [--all] [--hw NAME|FILE]\n"
           "                           [--set PATH=VALUE]... [--format table|csv|json] [-o FILE]\n\n"
           "For every continuous parameter of the hardware, model and workload (those\n"
           "marked so in 'llmroof params', with a value other than 0): the elasticity\n"
           "d ln M / d ln p of the metric (default ttft_s), by a central difference in\n"
           "ln p (GSL), and the metric at p -X%% and +X%% (default 10) with their swing.\n"
           "An elasticity of -1 means that 1%% more of p gives 1%% less of M; 0 that M does\n"
           "not depend on p here. Whole-number parameters (batch, sizes) get no elasticity,\n"
           "only the swing, at rounded values. Rows are ranked by |elasticity|, then swing.\n"
           "A swing that would leave the parameter's range (an efficiency above 1) stops at\n"
           "its end, and the row's 'clamped' column says low or high. A point that does\n"
           "not evaluate (tp no longer divides the heads) leaves its metric empty and\n"
           "the row's 'why' column says what broke.\n\n"
           "Only the parameters that move the metric are listed (an fp64 peak does not\n"
           "move a bf16 run's time, nor the price a time); a note counts the others.\n"
           "--all lists every parameter. --metrics is the same as --metric (one metric).\n\n"
           "Examples:\n"
           "  llmroof sensitivity configs/llama3-70b-tp8.cfg --metric tpot_s\n"
           "  llmroof sensitivity configs/llama3-8b.cfg --percent 20 --format csv\n"
           "  llmroof sensitivity configs/llama3-70b-tp8.cfg --metric usd_per_mtok --all\n");
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    sens_opts *o = ctx;
    if (opt == OPT_METRIC)
        o->metric = arg;
    else if (opt == OPT_PERCENT)
        o->percent = arg;
    else if (opt == OPT_ALL)
        o->all = 1;
    else
        return roof_cli_usage_error("sensitivity", "unknown option");
    return 0;
}

int roof_cmd_sensitivity(int argc, char **argv)
{
    /* --metrics as sweep and uncertainty spell it, for one metric here. */
    static const struct option longopts[] = {{"metric", required_argument, NULL, OPT_METRIC},
                                             {"metrics", required_argument, NULL, OPT_METRIC},
                                             {"percent", required_argument, NULL, OPT_PERCENT},
                                             {"all", no_argument, NULL, OPT_ALL},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    sens_opts o = {NULL, "10", 0};
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_scenario *s = calloc(1, sizeof *s);
    roof_sens_row *rows = calloc(ROOF_SENS_MAX_ROWS, sizeof *rows);
    int rc = ROOF_ERR_RUNTIME, posc = 0;
    if (!posv || !s || !rows)
        goto out;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc > 1) {
        rc = roof_cli_usage_error("sensitivity", "expected one CONFIG (got %d arguments)", posc);
        goto out;
    }
    roof_error err;
    const roof_metric *m;
    double pct;
    size_t n = 0;
    if (o.metric && strchr(o.metric, ','))
        rc = roof_error_set(&err, ROOF_ERR_USAGE, "--metric",
                            "sensitivity ranks the parameters for one metric (got '%.200s'); run it once per metric",
                            o.metric);
    else
        rc = o.metric ? roof_metric_find(o.metric, "--metric", &m, &err) : ROOF_OK;
    if (rc == ROOF_OK && roof_parse_double(o.percent, &pct, &err) != ROOF_OK)
        rc = roof_error_set(&err, ROOF_ERR_USAGE, "--percent", "%s", err.msg);
    if (rc == ROOF_OK)
        rc = roof_cli_scenario(&cli, posc ? posv[0] : NULL, s, &err);
    if (rc == ROOF_OK && !o.metric)
        rc = roof_metric_find(roof_metric_defaults(s->workload.phase, ROOF_METRICS_SENSITIVITY), "--metric", &m, &err);
    if (rc == ROOF_OK)
        rc = roof_sensitivity(s, m, pct, rows, ROOF_SENS_MAX_ROWS, &n, &err);
    if (rc != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    char title[512];
    snprintf(title, sizeof title, "Sensitivity of %s = %.6g %s (%s on %s), +-%g%%", m->name, rows[0].metric, m->unit,
             s->name, s->hw.name, pct);
    roof_out *out = roof_out_new(cli.format, ROOF_OUT_ROWS, n ? title : NULL);
    int clamped = 0, still = 0;
    int64_t rank = 0;
    for (size_t i = 0; i < n; i++) {
        const roof_sens_row *r = &rows[i];
        if (!r->moves && !o.all) {
            still++;
            continue;
        }
        const roof_param *p = r->knob.param;
        roof_out_row(out);
        roof_out_int(out, "rank", ++rank);
        roof_out_str(out, "path", p->path);
        int tb = cli.format == ROOF_FMT_TABLE;
        roof_cli_put_param_as(out, "value", p, r->value, tb);
        roof_cli_put_metric(out, "elasticity", "", r->elasticity);
        roof_cli_put_param_as(out, "low", p, r->low_value, tb);
        roof_cli_put_param_as(out, "high", p, r->high_value, tb);
        roof_cli_put_metric(out, "metric_low", m->unit, r->metric_low);
        roof_cli_put_metric(out, "metric_high", m->unit, r->metric_high);
        roof_cli_put_metric(out, "swing", m->unit, r->swing);
        /* Where p -+X% left the parameter's range, its end was taken. */
        if (r->low_clamped || r->high_clamped)
            roof_out_str(out, "clamped",
                         r->low_clamped && r->high_clamped ? "low,high"
                         : r->low_clamped                  ? "low"
                                                           : "high");
        else
            roof_out_null(out, "clamped", NULL);
        clamped += r->low_clamped || r->high_clamped;
        if (r->why[0])
            roof_out_str(out, "why", r->why);
        else
            roof_out_null(out, "why", NULL);
        if (cli.format != ROOF_FMT_TABLE) {
            /* For scripts and `llmroof plot sensitivity`: the metric and
             * its value at the base point. */
            roof_out_str(out, "metric_name", m->name);
            roof_cli_put_metric(out, "metric", m->unit, r->metric);
            roof_out_str(out, "config", s->name);
            roof_out_str(out, "profile", s->hw.name);
        }
    }
    if (clamped && cli.format == ROOF_FMT_TABLE) {
        char note[160];
        snprintf(note, sizeof note,
                 "%d row%s clamped: where p -+%g%% leaves the parameter's range, low or high is its end", clamped,
                 clamped == 1 ? "" : "s", pct);
        roof_out_note(out, note);
    }
    if (still && cli.format == ROOF_FMT_TABLE) {
        char note[200];
        snprintf(note, sizeof note, "%d parameter%s that do%s not move %s left out (--all lists them)", still,
                 still == 1 ? "" : "s", still == 1 ? "es" : "", m->name);
        roof_out_note(out, note);
    }
    rc = roof_cli_emit(&cli, out);
out:
    free(posv);
    free(s);
    free(rows);
    return rc;
}
