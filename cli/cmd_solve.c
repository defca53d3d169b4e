/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof solve CONFIG --target 'METRIC<=VALUE' --vary PATH [--range A:B]:
 * the value of one parameter at which the metric meets the target, or why
 * none in the range does. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cli/parse_opts.h"

typedef struct {
    const char *target, *vary, *range;
} solve_opts;

enum { OPT_TARGET = 1, OPT_VARY, OPT_RANGE };

static void help(void)
{
    printf("usage: llmroof solve [CONFIG] --target 'METRIC<=VALUE' --vary PATH [--range A:B]\n"
           "                     [--hw NAME|FILE] [--set PATH=VALUE]... [--format table|csv|json] [-o FILE]\n\n"
           "Finds the value of PATH at which METRIC equals VALUE (Brent's method on a\n"
           "bracket found by a log-spaced scan of A..B; default: the current value / 100\n"
           "to x 100), so that the target METRIC<=VALUE (or >=) is just met. When no value\n"
           "in A..B meets it, says so with the best value found and exits 1. A whole-number\n"
           "PATH is rounded to the nearest whole number that meets the target. A value whose\n"
           "deployment does not fit in memory at its peak over the request (the end of\n"
           "prefill or the last generated token, against capacity x\n"
           "workload.memory.utilization - workload.memory.reserve) is never the answer:\n"
           "when the target is met only there, solve says so and exits 1. 'bound' says\n"
           "what limits the answer: target, memory or range.\n\n"
           "Examples:\n"
           "  llmroof solve configs/llama3-70b-tp8.cfg --target 'tpot_s<=0.02' --vary hw.memory.bandwidth\n"
           "  llmroof solve configs/llama3-8b.cfg --target 'ttft_s<=0.1' --vary hw.compute.bf16 --range 100T:10P\n"
           "  llmroof solve --target 'tokens_per_s>=10000' --vary workload.batch --range 1:4096\n");
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    solve_opts *o = ctx;
    if (opt == OPT_TARGET)
        o->target = arg;
    else if (opt == OPT_VARY)
        o->vary = arg;
    else if (opt == OPT_RANGE)
        o->range = arg;
    else
        return roof_cli_usage_error("solve", "unknown option");
    return 0;
}

/* "A:B", each a value of the knob's parameter. */
static int parse_range(const char *text, const roof_knob *k, double *lo, double *hi, roof_error *err)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s=%s", k->param->path, text);
    roof_spread sp;
    int rc = roof_spread_parse(buf, "--range", &sp, err);
    if (rc != ROOF_OK)
        return rc;
    *lo = sp.low;
    *hi = sp.high;
    return ROOF_OK;
}

int roof_cmd_solve(int argc, char **argv)
{
    static const struct option longopts[] = {{"target", required_argument, NULL, OPT_TARGET},
                                             {"vary", required_argument, NULL, OPT_VARY},
                                             {"range", required_argument, NULL, OPT_RANGE},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    solve_opts o = {NULL, NULL, NULL};
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
        rc = roof_cli_usage_error("solve", "expected one CONFIG (got %d arguments)", posc);
        goto out;
    }
    if (!o.target || !o.vary) {
        rc = roof_cli_usage_error("solve", "--target METRIC<=VALUE and --vary PATH are required");
        goto out;
    }
    roof_error err;
    roof_target t;
    roof_knob k;
    double lo = 0.0, hi = 0.0;
    rc = roof_target_parse(o.target, "--target", &t, &err);
    if (rc == ROOF_OK)
        rc = roof_knob_find(o.vary, "--vary", &k, &err);
    if (rc == ROOF_OK && k.param->kind != ROOF_PARAM_DOUBLE && k.param->kind != ROOF_PARAM_INT)
        rc = roof_error_set(&err, ROOF_ERR_USAGE, "--vary", "'%s' is not a number to solve for", o.vary);
    if (rc == ROOF_OK && o.range)
        rc = parse_range(o.range, &k, &lo, &hi, &err);
    if (rc == ROOF_OK)
        rc = roof_cli_scenario(&cli, posc ? posv[0] : NULL, s, &err);
    if (rc != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    double v0 = roof_knob_get(&k, s);
    if (!o.range) {
        if (!(v0 > 0.0)) {
            rc = roof_cli_fail(
                &(roof_error){ROOF_ERR_USAGE, "--range", "the current value is 0: give the range A:B to search"});
            goto out;
        }
        lo = v0 / 100.0;
        hi = v0 * 100.0;
        if (k.param->kind == ROOF_PARAM_INT && lo < 1.0)
            lo = 1.0;
    }
    roof_solve_result res;
    if ((rc = roof_solve(s, &t, &k, lo, hi, &res, &err)) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    const roof_param *p = k.param;
    char a[64], b[64], bv[64];
    roof_param_format(p, lo, a, sizeof a);
    roof_param_format(p, hi, b, sizeof b);
    if (!res.reached) {
        roof_param_format(p, res.best_value, bv, sizeof bv);
        if (!isnan(res.unfit_value)) {
            /* Met only where the deployment does not fit: memory bounds it. */
            char uv[64];
            roof_param_format(p, res.unfit_value, uv, sizeof uv);
            fprintf(stderr,
                    "llmroof: solve: '%s' is not reachable in %s..%s of %s within memory: it is met at %s (%s = "
                    "%.6g %s), which needs %.4g GB per GPU at its peak against %.4g GB usable",
                    o.target, a, b, p->path, uv, t.metric->name, res.unfit_metric, t.metric->unit,
                    res.unfit_bytes / 1e9, res.usable_bytes / 1e9);
            if (isnan(res.best_value))
                fprintf(stderr, "; no value fits\n");
            else
                fprintf(stderr, " (best that fits: %s = %.6g %s at %s)\n", t.metric->name, res.best_metric,
                        t.metric->unit, bv);
        } else if (isnan(res.best_value)) {
            fprintf(stderr, "llmroof: solve: '%s' is not reachable in %s..%s of %s: no value gives a plan that %s\n",
                    o.target, a, b, p->path, res.unfit ? "fits in memory" : "is valid");
        } else {
            fprintf(stderr, "llmroof: solve: '%s' is not reachable in %s..%s of %s (best %s = %.6g %s at %s)\n",
                    o.target, a, b, p->path, t.metric->name, res.best_metric, t.metric->unit, bv);
        }
        rc = ROOF_ERR_RUNTIME;
        goto out;
    }
    if (res.edge && !cli.quiet) {
        roof_param_format(p, res.value, bv, sizeof bv);
        fprintf(stderr,
                "llmroof: warning: solve: every value of %s in %s..%s meets '%s': %s is the one closest to it "
                "(widen --range to find where it stops)\n",
                p->path, a, b, o.target, bv);
    }
    char title[512];
    snprintf(title, sizeof title, "Solve %s for %s (%s on %s)", p->path, o.target, s->name, s->hw.name);
    roof_out *out = roof_out_new(cli.format, ROOF_OUT_RECORD, title);
    roof_out_str(out, "path", p->path);
    roof_cli_put_param(out, "value", p, res.value);
    roof_cli_put_param(out, "current", p, v0);
    roof_out_num(out, "ratio", "", res.value / v0);
    roof_out_str(out, "metric", t.metric->name);
    roof_cli_put_metric(out, "metric_value", t.metric->unit, res.metric);
    roof_out_num(out, "target", t.metric->unit, t.value);
    roof_out_int(out, "iterations", res.iterations);
    /* What bounds the answer: the target (a crossing), or, when every
     * value that fits meets it, the range or memory (values beyond did not
     * fit). */
    roof_out_str(out, "bound", !res.edge ? "target" : res.unfit ? "memory" : "range");
    rc = roof_cli_emit(&cli, out);
out:
    free(posv);
    free(s);
    return rc;
}
