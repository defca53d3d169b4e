/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof check REPORT [--config CFG]: is this performance report right? */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/parse_opts.h"
#include "model/config.h"
#include "report/check.h"

typedef struct {
    const char *config;
    const char *dtype;
    const char *lines;
    const char *explain; /* --explain LINE */
} check_opts;

enum { OPT_CONFIG = 1, OPT_DTYPE, OPT_LINES, OPT_EXPLAIN };

static void help(void)
{
    printf("usage: llmroof check REPORT [--config CFG] [--lines A-B,...] [--hw NAME|FILE] [--dtype D]\n"
           "                     [--set PATH=VALUE]... [--format table|csv|json] [-o FILE]\n\n"
           "Reads a Markdown or text performance report, finds every Get_Time(m, k, n) call\n"
           "(arguments may be arithmetic: 1024x10000, 1024*10000, 10,240,000; multipliers\n"
           "before or after: 16xGet_Time(...), Get_Time(...) x 3) and every total formula it\n"
           "writes, and evaluates them on the hardware. With --config (a deployment, see\n"
           "configs/), it matches each call to the op it most likely means and flags wrong\n"
           "shapes, composition mistakes (max() over ops that run in sequence, sums over\n"
           "work that runs in parallel, a missing layer multiplier, missing communication,\n"
           "replicated work) and numeric claims the model contradicts.\n\n"
           "Findings are errors, warnings or notes with the report's line. The exit code is\n"
           "4 when there is an error, so that a CI job can gate on it.\n\n"
           "  --config CFG   the deployment the report describes (its hw unless --hw)\n"
           "  --dtype D      the dtype of the calls without --config (default bf16)\n"
           "  --lines A-B,.. check only these lines (a report comparing two plans: once per\n"
           "                 plan, each with its own --config)\n"
           "  --explain LINE how the calls and formulas of LINE were read: the ops matched,\n"
           "                 the plan assumed, the numbers compared\n\n"
           "Examples:\n"
           "  llmroof check ../shared/seeds/001_5dd09aa645330067.txt --config configs/seed-001-tp8-pp2.cfg\n"
           "  llmroof check report.md --hw b200 --format json\n");
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    check_opts *o = ctx;
    if (opt == OPT_CONFIG)
        o->config = arg;
    else if (opt == OPT_DTYPE)
        o->dtype = arg;
    else if (opt == OPT_LINES)
        o->lines = arg;
    else if (opt == OPT_EXPLAIN)
        o->explain = arg;
    else
        return roof_cli_usage_error("check", "unknown option");
    return 0;
}

/* A value a call or formula does not have: "-" in the table, null in json
 * (empty in csv). */
static void put_missing(roof_out *out, const char *key, int table)
{
    if (table)
        roof_out_str(out, key, "-");
    else
        roof_out_null(out, key, NULL);
}

static void put_findings(roof_out *out, const roof_check *c)
{
    for (int i = 0; i < c->nfindings; i++) {
        const roof_finding *f = &c->findings[i];
        roof_out_row(out);
        roof_out_str(out, "severity", roof_severity_name(f->severity));
        roof_out_int(out, "line", f->line);
        roof_out_str(out, "kind", f->kind);
        roof_out_str(out, "message", f->message);
    }
}

static int report_out(roof_cli *cli, const roof_report *rep, const roof_check *c, const roof_scenario *s,
                      const char *hwname)
{
    char title[1024];
    snprintf(title, sizeof title, "%s: %d error(s), %d warning(s), %d note(s) on %s%s%s", rep->path, c->errors,
             c->warnings, c->notes, hwname, s ? " against " : " (no --config: calls and totals only)",
             s ? s->name : "");
    roof_out *out = roof_out_new(cli->format, ROOF_OUT_ROWS, NULL);
    int table = cli->format == ROOF_FMT_TABLE;
    roof_out_section(out, "findings", ROOF_OUT_ROWS, title);
    roof_out_csv_here(out);
    put_findings(out, c);

    roof_out_section(out, "calls", ROOF_OUT_ROWS, "Get_Time calls");
    for (int i = 0; i < rep->ncalls; i++) {
        const roof_report_call *call = &rep->calls[i];
        const roof_checked_call *cc = &c->calls[i];
        roof_out_row(out);
        roof_out_int(out, "line", call->line);
        roof_out_str(out, "call", call->text);
        /* A call that did not parse has no shape: null (empty in csv). */
        const char *dims[3] = {"m", "k", "n"};
        for (int d = 0; d < 3; d++) {
            if (call->ok)
                roof_out_count(out, dims[d], call->args.v[d]);
            else
                roof_out_null(out, dims[d], NULL);
        }
        roof_out_count(out, "times", call->mult_before * call->mult_after);
        if (call->ok) {
            roof_out_num(out, "flops", "FLOP", cc->t.flops);
            roof_out_num(out, "time_s", "s", cc->t.time_s);
            roof_out_str(out, "bound", roof_bound_name(cc->t.bound));
        } else {
            put_missing(out, "flops", table);
            put_missing(out, "time_s", table);
            put_missing(out, "bound", table);
        }
        char match[96] = "-";
        if (cc->match)
            snprintf(match, sizeof match, "%s%s (%s %s)", cc->match->name, cc->exact ? "" : "?", cc->match_phase,
                     cc->match_layer);
        if (s && (cc->match || table))
            roof_out_str(out, "op", match);
        else if (s)
            roof_out_null(out, "op", NULL);
    }
    roof_out_section(out, "totals", ROOF_OUT_ROWS, "Total formulas");
    for (int i = 0; i < rep->nformulas; i++) {
        const roof_report_formula *f = &rep->formulas[i];
        roof_out_row(out);
        roof_out_int(out, "line", f->line);
        roof_out_str(out, "name", f->name);
        roof_out_int(out, "calls", f->ncalls);
        if (c->formulas[i].parsed)
            roof_out_num(out, "value_s", "s", c->formulas[i].value_s);
        else
            put_missing(out, "value_s", table);
        roof_out_num(out, "flops", "FLOP", c->formulas[i].flops);
        roof_out_bool(out, "max", c->formulas[i].has_max);
    }
    roof_out_section(out, "summary", ROOF_OUT_RECORD, cli->format == ROOF_FMT_TABLE ? "Summary" : NULL);
    roof_out_str(out, "report", rep->path);
    roof_out_str(out, "hw", hwname);
    if (s || table)
        roof_out_str(out, "config", s ? s->config_path : "");
    else
        roof_out_null(out, "config", NULL);
    roof_out_int(out, "errors", c->errors);
    roof_out_int(out, "warnings", c->warnings);
    roof_out_int(out, "notes", c->notes);
    roof_out_int(out, "calls", rep->ncalls);
    roof_out_int(out, "formulas", rep->nformulas);
    roof_out_int(out, "claims", rep->nclaims + c->nconfig_claims);
    if (s) {
        roof_out_num(out, "model_critical_path_s", "s", c->model_time_s);
        roof_out_num(out, "model_parameters", "", c->params_total);
    }
    int rc = roof_cli_emit(cli, out);
    return rc ? rc : c->errors ? ROOF_ERR_CHECK : 0;
}

/* The numbers of --lines, each a whole line number up to 1e9: strtol
 * alone took 4294967325 and the report checker kept it as an int (29). */
#define MAX_LINE 1000000000LL

typedef struct {
    long long from, to;
} line_range;

static int lines_ranges(const char *spec, line_range *r, int max, int *n, roof_error *err)
{
    *n = 0;
    for (const char *p = spec; *p;) {
        line_range x;
        for (int side = 0; side < 2; side++) {
            if (*p < '0' || *p > '9')
                return roof_error_set(err, ROOF_ERR_USAGE, "--lines", "expected FROM-TO[,FROM-TO...] (got '%s')", spec);
            errno = 0;
            char *end;
            long long v = strtoll(p, &end, 10);
            if (errno == ERANGE || v > MAX_LINE)
                return roof_error_set(err, ROOF_ERR_USAGE, "--lines", "line %.*s is beyond %lld (got '%s')",
                                      (int)(end - p), p, MAX_LINE, spec);
            *(side ? &x.to : &x.from) = v;
            x.to = v;
            p = end;
            if (side == 1 || *p != '-')
                break;
            p++;
        }
        if (*n < max)
            r[*n] = x;
        ++*n;
        if (*p == ',')
            p++;
        else if (*p)
            return roof_error_set(err, ROOF_ERR_USAGE, "--lines", "expected FROM-TO[,FROM-TO...] (got '%s')", spec);
    }
    return ROOF_OK;
}

static int lines_parse(const char *spec, roof_error *err)
{
    line_range r[1];
    int n;
    return lines_ranges(spec, r, 0, &n, err);
}

/* A range past the report's end checks nothing, and the run would pass
 * with no finding: say so. */
static int lines_in(const roof_report *rep, const char *spec, roof_error *err)
{
    long long count = 0;
    for (size_t i = 0; i < rep->len; i++)
        count += rep->text[i] == '\n';
    if (rep->len > 0 && rep->text[rep->len - 1] != '\n')
        count++;
    line_range r[16];
    int n;
    if (lines_ranges(spec, r, 16, &n, err) != ROOF_OK)
        return ROOF_ERR_USAGE;
    for (int i = 0; i < n && i < 16; i++)
        if (r[i].from > count) {
            if (r[i].from == r[i].to)
                return roof_error_set(err, ROOF_ERR_USAGE, "--lines", "line %lld is past the end of '%s' (%lld lines)",
                                      r[i].from, rep->path, count);
            return roof_error_set(err, ROOF_ERR_USAGE, "--lines",
                                  "lines %lld-%lld are past the end of '%s' (%lld lines)", r[i].from, r[i].to,
                                  rep->path, count);
        }
    return ROOF_OK;
}

int roof_cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {{"config", required_argument, NULL, OPT_CONFIG},
                                             {"dtype", required_argument, NULL, OPT_DTYPE},
                                             {"lines", required_argument, NULL, OPT_LINES},
                                             {"explain", required_argument, NULL, OPT_EXPLAIN},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    check_opts o = {NULL, "bf16", NULL, NULL};
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_scenario *s = calloc(1, sizeof *s);
    roof_result *res = calloc(1, sizeof *res);
    roof_check *c = calloc(1, sizeof *c);
    roof_report *rep = NULL;
    int rc = ROOF_ERR_RUNTIME;
    if (!posv || !s || !res || !c)
        goto out;
    int posc = 0;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc != 1) {
        rc = roof_cli_usage_error("check", "expected one REPORT (got %d arguments)", posc);
        goto out;
    }
    /* The reader names the file where the problem is: an empty name would
     * print an empty location. */
    if (!posv[0][0]) {
        rc = roof_cli_usage_error("check", "REPORT is an empty file name");
        goto out;
    }
    roof_error err;
    if (o.lines && (lines_parse(o.lines, &err) != ROOF_OK || roof_check_set_lines(c, o.lines, &err) != ROOF_OK)) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    roof_dtype dt = ROOF_DT_BF16;
    const roof_hw *hw;
    if (o.config) {
        if (roof_scenario_load(o.config, NULL, cli.hw_explicit ? cli.hw_name : NULL, ROOF_DEFAULT_HW, cli.sets,
                               cli.nsets, s, NULL, &err) != ROOF_OK ||
            roof_evaluate(s, res, &err) != ROOF_OK || roof_check_config_claims(o.config, c, &err) != ROOF_OK) {
            rc = roof_cli_fail(&err);
            goto out;
        }
        hw = &s->hw;
        dt = roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE);
    } else {
        if (roof_dtype_parse(o.dtype, &dt, &err) != ROOF_OK || roof_cli_load_hw(&cli, &err) != ROOF_OK) {
            rc = roof_cli_fail(&err);
            goto out;
        }
        hw = &cli.hw;
    }
    if (roof_report_read(posv[0], &rep, &err) != ROOF_OK || (o.lines && lines_in(rep, o.lines, &err) != ROOF_OK) ||
        roof_check_run(rep, hw, dt, o.config ? s : NULL, o.config ? res : NULL, c, &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    if (o.explain) {
        rc = roof_check_explain(c, o.explain, stdout, &err) == ROOF_OK ? 0 : roof_cli_fail(&err);
        goto out;
    }
    rc = report_out(&cli, rep, c, o.config ? s : NULL, hw->name);
out:
    roof_report_free(rep);
    free(posv);
    free(s);
    free(res);
    free(c);
    return rc;
}
