/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof: the entry point and the table of subcommands (sorted by name,
 * as git keeps its builtins). */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/outfile.h"

static const roof_cmd commands[] = {
    {"bench", roof_cmd_bench, "measure evaluations per second of the model's kernels"},
    {"check", roof_cmd_check, "check a performance report: its Get_Time shapes, totals and claims"},
    {"comm", roof_cmd_comm, "time a collective (all-reduce, all-gather, ...): NCCL's tuning model or alpha-beta"},
    {"compare", roof_cmd_compare, "compare hardware profiles: best plan, metrics, $/Mtok, J/token, GPUs needed"},
    {"critical-path", roof_cmd_critical_path, "read a DOT DAG and print its longest path, timed per node"},
    {"dag", roof_cmd_dag, "write the operator DAG of a deployment as DOT (and SVG, PNG)"},
    {"estimate", roof_cmd_estimate, "predict a deployment: TTFT, TPOT, throughput, memory, per-op times"},
    {"frontier", roof_cmd_frontier, "throughput per GPU against tokens/s per user over plans and concurrency"},
    {"gettime", roof_cmd_gettime, "time one GEMM on a hardware profile (roofline Get_Time)"},
    {"hw", roof_cmd_hw, "list and show hardware profiles"},
    {"params", roof_cmd_params, "list every parameter path with unit, meaning and range"},
    {"plot", roof_cmd_plot, "draw through gnuplot: an estimate (roofline, pipeline, breakdown) or an analysis's csv"},
    {"search", roof_cmd_search, "search every parallel plan for N GPUs: the best K for an objective"},
    {"sensitivity", roof_cmd_sensitivity, "elasticity of a metric to every continuous parameter (tornado)"},
    {"serve", roof_cmd_serve, "simulate serving under load: latency percentiles, goodput under SLOs, $/Mtok"},
    {"solve", roof_cmd_solve, "the value of a parameter that meets a target (e.g. tpot_s<=0.02)"},
    {"sweep", roof_cmd_sweep, "evaluate a grid of parameter values: one row per point"},
    {"uncertainty", roof_cmd_uncertainty, "Monte Carlo over uncertain inputs: p5, p50, p95 of the metrics"},
    {"validate", roof_cmd_validate, "check the model against this host's GEMMs and published measurements"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: llmroof [COMMAND] [ARGS] [--model CONFIG.JSON] [--hw NAME|FILE] [--set PATH=VALUE]... "
               "[--format table|csv|json] [-o FILE]\n\n"
               "A roofline performance model of LLM deployments.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\nWith no command, llmroof runs 'estimate' on the built-in default deployment:\n"
            "Llama-3-70B on 8 x %s, tensor parallel 8 (configs/llama3-70b-tp8.cfg).\n"
            "'llmroof COMMAND --help' tells more.\n\n"
            "Examples:\n"
            "  llmroof estimate configs/llama3-70b-tp8.cfg --hw b200\n"
            "  llmroof gettime 10240000 8192 1024 --hw h100-sxm\n"
            "  llmroof comm all_reduce 64Mi --group 8 --hw h100-sxm\n"
            "  llmroof hw show b200 --format json\n"
            "  llmroof validate published\n",
            ROOF_DEFAULT_HW);
}

/* A failed write to stdout is an error (jq's rule): the help text, a table
 * or JSON lost to a full disk or a closed descriptor must not exit 0. A
 * command that failed already said why; one that thinks it succeeded is
 * told here. */
static int finish_stdout(int rc)
{
    int bad = fflush(stdout) != 0;
    int e = bad ? errno : 0;
    if (ferror(stdout))
        bad = 1;
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad || rc != 0)
        return rc;
    fprintf(stderr, "llmroof: stdout: write error%s%s\n", e ? ": " : "", e ? strerror(e) : "");
    return ROOF_ERR_RUNTIME;
}

static int run(int argc, char **argv);

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; the library checks every status. */
    gsl_set_error_handler_off();
    /* An interrupted run removes its temporary output files (core/outfile.h). */
    if (roof_outfile_catch_signals() != 0)
        fprintf(stderr, "llmroof: warning: cannot catch signals: %s\n", strerror(errno));
    return finish_stdout(run(argc, argv));
}

static int run(int argc, char **argv)
{
    /* With no command: the estimate of the built-in default deployment. */
    if (argc < 2) {
        char *def[] = {"estimate", NULL};
        return roof_cmd_estimate(1, def);
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        roof_print_version();
        return 0;
    }
    /* Options without a command (llmroof --hw b200) go to the default run. */
    if (name[0] == '-') {
        argv[0] = "estimate";
        return roof_cmd_estimate(argc, argv);
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "llmroof: unknown command '%s'\n", name);
    usage(stderr);
    return 2;
}
