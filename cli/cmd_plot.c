/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof plot KIND CONFIG -o FILE.png|FILE.svg: pictures through gnuplot. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/serve.h"
#include "core/infile.h"
#include "cli/parse_opts.h"
#include "model/config.h"
#include "plots/plot.h"
#include "validation/comm_corpus.h"

#define MAX_PLOT_SLOS 8

typedef struct {
    const char *phase, *script, *data;
    const char *slo[MAX_PLOT_SLOS];
    int nslo;
} plot_opts;

enum { OPT_PHASE = 1, OPT_SCRIPT, OPT_DATA, OPT_SLO };

static void help(void)
{
    printf("usage: llmroof plot KIND INPUT -o FILE.png|FILE.svg [--phase prefill|decode] [--script FILE.gp]\n"
           "                    [--data DIR] [--slo 'itl_p90<=SECONDS']... [--hw NAME|FILE] [--set PATH=VALUE]...\n\n"
           "Draws through gnuplot. Of an estimate (INPUT is a config):\n"
           "  roofline     the hardware's roofs (each dtype and memory, log-log) with every op as a point\n"
           "  pipeline     a Gantt chart of stages x microbatches over time: the bubble is the white space\n"
           "  breakdown    stacked bars of time per op kind for each layer kind and the pipeline ends\n"
           "Of an analysis (INPUT is the --format csv output of that command):\n"
           "  sensitivity  a tornado chart (llmroof sensitivity)\n"
           "  sweep        a metric against a parameter, a line per value of a second (llmroof sweep)\n"
           "  comm         bus bandwidth against size, a line per algorithm/protocol chosen, with the\n"
           "               corpus's measured points of the same case (llmroof comm COLLECTIVE --sweep)\n"
           "  compare      hardware side by side: time, USD/Mtok, memory used (llmroof compare)\n"
           "  frontier     output tokens/s per GPU against per user, log-log, a line per GPU through its\n"
           "               Pareto points with their 80%% intervals (llmroof frontier); each --slo on\n"
           "               inter-token latency or TPOT (itl_* or tpot_*, at most 8) as a dashed line at\n"
           "               1 / limit tokens/s per user\n"
           "  validation   predicted against measured, log-log, y = x and +-10%% (llmroof validate published)\n"
           "  calibration  the error bars' stated against observed coverage, out of sample and in sample,\n"
           "               with the diagonal (llmroof validate published --cv --calibration)\n\n"
           "The scripts are plots/KIND.gp, built in; --script takes your restyled copy. --data DIR\n"
           "keeps the data, the variables and the script there (else they go to a temporary folder):\n"
           "'gnuplot DIR/KIND.gp', run from the same folder, redraws FILE, and a copy of DIR/KIND.gp\n"
           "is taken by --script. Needs gnuplot (Debian: gnuplot-nox; LLMROOF_GNUPLOT names another\n"
           "program); it is stopped after LLMROOF_GNUPLOT_TIMEOUT seconds (default 60).\n\n"
           "Examples:\n"
           "  llmroof plot roofline configs/llama3-70b-tp8.cfg -o roofline.png\n"
           "  llmroof plot pipeline configs/llama3.1-405b-tp8-pp2.cfg -o gantt.svg\n"
           "  llmroof plot breakdown configs/seed-002-ep16.cfg -o breakdown.png --data plotdata\n"
           "  llmroof sensitivity configs/llama3-70b-tp8.cfg --format csv -o sens.csv\n"
           "  llmroof plot sensitivity sens.csv -o tornado.png\n"
           "  llmroof comm all_reduce --sweep --group 8 --hw h100-sxm --format csv -o ar.csv\n"
           "  llmroof plot comm ar.csv -o ar.png\n"
           "  llmroof validate published --cv --calibration --format csv -o cal.csv\n"
           "  llmroof plot calibration cal.csv -o calibration.png\n"
           "  llmroof frontier configs/llama3-70b-tp8.cfg --gpus 8 --hw h100-sxm,h200,b200 --format csv -o f.csv\n"
           "  llmroof plot frontier f.csv --slo 'itl_p90<=0.05' -o frontier.png\n");
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    plot_opts *o = ctx;
    if (opt == OPT_PHASE)
        o->phase = arg;
    else if (opt == OPT_SCRIPT)
        o->script = arg;
    else if (opt == OPT_DATA)
        o->data = arg;
    else if (opt == OPT_SLO && o->nslo == MAX_PLOT_SLOS)
        return roof_cli_usage_error("plot", "at most %d --slo options", MAX_PLOT_SLOS);
    else if (opt == OPT_SLO)
        o->slo[o->nslo++] = arg;
    else
        return roof_cli_usage_error("plot", "unknown option");
    return 0;
}

static char *read_all(const char *path, roof_error *err)
{
    char *text;
    return roof_infile_read(path, "script", 0, ROOF_INFILE_TEXT, &text, NULL, err) == ROOF_OK ? text : NULL;
}

/* `plot comm`: the sweep's lines, then the corpus's measurements of the
 * same profile, collective, ranks and nodes (validation/data/corpus, rows
 * without a node count taken as packed, as the sweep is by default). No
 * corpus (an installed binary away from its sources): no points. */
static int draw_comm(const char *csv_path, const char *data_path, FILE *pre, FILE *data, roof_error *err)
{
    roof_plot_comm_key key;
    int rc = roof_plot_comm(csv_path, data_path, pre, data, &key, err);
    if (rc != ROOF_OK)
        return rc;
    roof_comm_corpus c;
    roof_error e2;
    if (roof_comm_corpus_run(LLMROOF_SOURCE_DIR "/validation/data", &c, &e2) != ROOF_OK) {
        roof_plot_comm_measured(pre, data, NULL, NULL, 0);
        return ROOF_OK;
    }
    double *size = calloc(c.n + 1, sizeof *size), *bus = calloc(c.n + 1, sizeof *bus);
    size_t n = 0;
    for (size_t i = 0; size && bus && i < c.n; i++) {
        const roof_comm_row *r = &c.rows[i];
        long long nodes = r->comm.nodes > 0 ? (long long)r->comm.nodes : key.nodes;
        if (r->comm.a2a_mode != ROOF_A2A_NCCL || strcmp(r->hw, key.profile) != 0 ||
            strcmp(roof_collective_name(r->comm.op), key.collective) != 0 || (long long)r->comm.group != key.group ||
            nodes != key.nodes)
            continue;
        size[n] = r->comm.bytes;
        bus[n++] = r->comm.bytes / r->measured_s * roof_collective_bus_factor(r->comm.op, r->comm.group);
    }
    roof_plot_comm_measured(pre, data, size, bus, n);
    free(size);
    free(bus);
    roof_comm_corpus_free(&c);
    return ROOF_OK;
}

/* Writes the kind's data and preamble into f's folder, then renders. */
static int draw(const char *kind, const roof_scenario *s, const roof_result *r, roof_phase phase, int phases,
                const char *csv_path, const roof_plot_slo *slos, int nslo, roof_plot_files *f, const char *script,
                const char *script_name, const char *out, roof_error *err)
{
    FILE *data = fopen(f->data, "w"), *pre = fopen(f->vars, "w");
    /* A temporary folder is removed afterwards: the error names none of its files. */
    const char *where_data = f->temporary ? "plot" : f->data, *where_vars = f->temporary ? "plot" : f->vars;
    int rc = ROOF_OK;
    if (!data || !pre)
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, !data ? where_data : where_vars, "cannot write plot data: %s",
                            strerror(errno));
    else if (strcmp(kind, "roofline") == 0)
        rc = roof_plot_roofline(s, r, phases, f->data, pre, data, err);
    else if (strcmp(kind, "pipeline") == 0)
        rc = roof_plot_pipeline(s, r, phase, f->data, pre, data, err);
    else if (strcmp(kind, "breakdown") == 0)
        rc = roof_plot_breakdown(s, r, f->data, pre, data, err);
    else if (strcmp(kind, "comm") == 0)
        rc = draw_comm(csv_path, f->data, pre, data, err);
    else if (strcmp(kind, "frontier") == 0)
        rc = roof_plot_frontier(csv_path, f->data, slos, nslo, pre, data, err);
    else
        rc = roof_plot_csv(kind, csv_path, f->data, pre, data, err);
    if (data && fclose(data) != 0 && rc == ROOF_OK)
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, where_data, "cannot write plot data");
    if (pre && fclose(pre) != 0 && rc == ROOF_OK)
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, where_vars, "cannot write plot data");
    if (rc == ROOF_OK)
        rc = roof_plot_render(f, kind, script, script_name, out, err);
    return rc;
}

/* --script must not be one of the files --data is about to write: the
 * user's script would be overwritten by what plot makes of it. */
static int script_apart(const char *script_path, const roof_plot_files *f, roof_error *err)
{
    struct stat a, b;
    if (stat(script_path, &a) != 0)
        return ROOF_OK;
    const char *ours[] = {f->data, f->vars, f->script, f->log};
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
        if (stat(ours[i], &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
            if (strcmp(script_path, ours[i]) == 0)
                return roof_error_set(err, ROOF_ERR_USAGE, "--script",
                                      "'%s' would be overwritten by --data: copy it out of the folder first",
                                      script_path);
            return roof_error_set(err, ROOF_ERR_USAGE, "--script",
                                  "'%s' is the file '%s', which --data writes: copy it out of the folder first",
                                  script_path, ours[i]);
        }
    return ROOF_OK;
}

int roof_cmd_plot(int argc, char **argv)
{
    static const struct option longopts[] = {{"phase", required_argument, NULL, OPT_PHASE},
                                             {"script", required_argument, NULL, OPT_SCRIPT},
                                             {"data", required_argument, NULL, OPT_DATA},
                                             {"slo", required_argument, NULL, OPT_SLO},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    plot_opts o;
    memset(&o, 0, sizeof o);
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_scenario *s = calloc(1, sizeof *s);
    roof_result *r = calloc(1, sizeof *r);
    char *script_owned = NULL;
    roof_plot_files files;
    memset(&files, 0, sizeof files);
    const char *kind = NULL;
    int rc = ROOF_ERR_RUNTIME;
    if (!posv || !s || !r)
        goto out;
    int posc = 0;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc != 2) {
        rc = roof_cli_usage_error("plot", "expected KIND INPUT (got %d arguments)", posc);
        goto out;
    }
    kind = posv[0];
    const char *script = roof_plot_script(kind);
    if (!script) {
        rc = roof_cli_usage_error("plot",
                                  "unknown kind '%s' (expected breakdown, calibration, comm, compare, frontier, "
                                  "pipeline, roofline, sensitivity, sweep or validation)",
                                  kind);
        goto out;
    }
    if (!cli.output) {
        rc = roof_cli_usage_error("plot", "-o FILE.png or -o FILE.svg is required");
        goto out;
    }
    /* Without --phase: the roofline shows both phases, the pipeline the
     * prefill; with it, only that phase. */
    roof_phase phase = ROOF_PHASE_PREFILL;
    int phases = ROOF_EVAL_PREFILL | ROOF_EVAL_DECODE;
    if (o.phase && strcmp(o.phase, "decode") == 0) {
        phase = ROOF_PHASE_DECODE;
        phases = ROOF_EVAL_DECODE;
    } else if (o.phase && strcmp(o.phase, "prefill") == 0) {
        phases = ROOF_EVAL_PREFILL;
    } else if (o.phase) {
        rc = roof_cli_usage_error("plot", "unknown phase '%s' (expected prefill or decode)", o.phase);
        goto out;
    }
    roof_error err;
    if (o.script && !(script = script_owned = read_all(o.script, &err))) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    if ((rc = roof_plot_path_check("-o", cli.output, &err)) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    roof_plot_slo slos[MAX_PLOT_SLOS];
    if (o.nslo && strcmp(kind, "frontier") != 0) {
        rc = roof_cli_usage_error("plot", "--slo applies to 'plot frontier' only");
        goto out;
    }
    for (int i = 0; i < o.nslo; i++) {
        roof_slo slo;
        if (roof_slo_parse(o.slo[i], &slo, &err) != ROOF_OK) {
            rc = roof_cli_fail(&err);
            goto out;
        }
        /* The chart's x axis is tokens/s per user, 1 / TPOT: an inter-token
         * or per-output-token limit L is the line x = 1 / L. */
        if (slo.metric != ROOF_SLO_ITL && slo.metric != ROOF_SLO_TPOT) {
            rc = roof_cli_usage_error("plot",
                                      "'plot frontier' marks inter-token latency and TPOT objectives (tokens/s per "
                                      "user = 1 / limit); '%s' is neither",
                                      slo.text);
            goto out;
        }
        slos[i].tok_s_user = 1.0 / slo.limit_s;
        snprintf(slos[i].text, sizeof slos[i].text, "%s", slo.text);
    }
    int from_csv = strcmp(kind, "roofline") != 0 && strcmp(kind, "pipeline") != 0 && strcmp(kind, "breakdown") != 0;
    if (!from_csv && (roof_scenario_load(posv[1], NULL, cli.hw_explicit ? cli.hw_name : NULL, ROOF_DEFAULT_HW, cli.sets,
                                         cli.nsets, s, NULL, &err) != ROOF_OK ||
                      roof_evaluate(s, r, &err) != ROOF_OK)) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    if (!from_csv && r->phase == ROOF_PHASE_TRAINING) {
        roof_error_set(&err, ROOF_ERR_RUNTIME, "plot",
                       "'%s' draws prefill and decode; a training step is not drawn yet (set workload.phase)", kind);
        rc = roof_cli_fail(&err);
        goto out;
    }
    if (roof_plot_files_init(&files, kind, o.data, &err) != ROOF_OK ||
        (o.script && script_apart(o.script, &files, &err) != ROOF_OK)) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    rc = draw(kind, s, r, phase, phases, posv[1], slos, o.nslo, &files, script, o.script, cli.output, &err) == ROOF_OK
             ? 0
             : roof_cli_fail(&err);
out:
    roof_plot_files_release(&files);
    free(script_owned);
    free(posv);
    free(s);
    free(r);
    return rc;
}
