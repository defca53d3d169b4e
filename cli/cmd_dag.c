/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof dag CONFIG: the operator DAG of a deployment as DOT (seed 003's
 * conventions, the critical path in red), optionally rendered to SVG or
 * PNG through Graphviz's library; or, with --synthetic N, a chain of N
 * diamonds for the benchmark. docs/dag.md describes the graph. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/parse_opts.h"
#include "core/number.h"
#include "dag/dot.h"
#include "model/config.h"

typedef struct {
    const char *svg, *png, *phase, *synthetic;
    int expand, force_layout;
} dag_opts;

enum { OPT_SVG = 1, OPT_PNG, OPT_PHASE, OPT_EXPAND, OPT_SYNTHETIC, OPT_FORCE_LAYOUT };

static void help(void)
{
    printf("usage: llmroof dag [CONFIG] [-o FILE.dot] [--svg FILE] [--png FILE] [--phase prefill|decode|both]\n"
           "                   [--expand] [--force-layout] [--hw NAME|FILE] [--set PATH=VALUE]...\n"
           "       llmroof dag --synthetic N -o FILE.dot\n\n"
           "Writes the operator DAG of a deployment as DOT (to stdout without -o): one node per op\n"
           "of one representative rank per stage (its GPU ids in the label), edges for the data\n"
           "dependencies, the pipeline's microbatches, rectangles for computation, ellipses for\n"
           "communication, parallelograms for MoE routing (gate routing dashed), the critical path\n"
           "in red. Identical layers are folded into one node with repeat=LAYERS; --expand draws\n"
           "every layer and microbatch (refused above %d nodes). --phase picks prefill (its\n"
           "critical path is the TTFT), decode (one step: the TPOT) or both (decode after\n"
           "prefill; the default). --svg and --png render through Graphviz (dot layout), which\n"
           "takes minutes for a large graph (17,000 nodes: 145 s): a warning from %d nodes, the\n"
           "time so far on a terminal, and a refusal above %d nodes unless --force-layout.\n"
           "--synthetic N writes a chain of N diamonds (3N+1 nodes) for benchmarks.\n"
           "'llmroof critical-path FILE.dot' reads any of these back (docs/dag.md).\n\n"
           "Examples:\n"
           "  llmroof dag configs/seed-003-moe-tp2-ep2-pp2.cfg -o seed003.dot --png seed003.png\n"
           "  llmroof dag configs/llama3-70b-tp8.cfg --phase decode -o decode.dot\n"
           "  llmroof dag configs/seed-001-tp8-pp2.cfg --expand --phase prefill -o expanded.dot\n"
           "  llmroof dag --synthetic 333333 -o bench.dot\n",
           ROOF_DAG_MAX_NODES, ROOF_DAG_LAYOUT_WARN, ROOF_DAG_LAYOUT_MAX);
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    dag_opts *o = ctx;
    switch (opt) {
    case OPT_SVG:
        o->svg = arg;
        return 0;
    case OPT_PNG:
        o->png = arg;
        return 0;
    case OPT_PHASE:
        o->phase = arg;
        return 0;
    case OPT_EXPAND:
        o->expand = 1;
        return 0;
    case OPT_SYNTHETIC:
        o->synthetic = arg;
        return 0;
    case OPT_FORCE_LAYOUT:
        o->force_layout = 1;
        return 0;
    default:
        return roof_cli_usage_error("dag", "unknown option");
    }
}

static int phases_of(const char *text, int *out)
{
    if (!text || strcmp(text, "both") == 0)
        *out = ROOF_DAG_BOTH;
    else if (strcmp(text, "prefill") == 0)
        *out = ROOF_DAG_PREFILL;
    else if (strcmp(text, "decode") == 0)
        *out = ROOF_DAG_DECODE;
    else
        return roof_cli_usage_error("dag", "unknown phase '%s' (expected prefill, decode or both)", text);
    return 0;
}

/* The time so far of Graphviz's layout and rendering, on stderr once a
 * second: gvLayout is one call that reports nothing while it runs. */
typedef struct {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started, stop;
    const char *stage;
    int64_t nodes;
    struct timespec t0;
} ticker;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static void tick_line(const ticker *t)
{
    if (strcmp(t->stage, "layout") == 0)
        fprintf(stderr, "\rdag: laying out %lld nodes with Graphviz (dot): %.0f s ", (long long)t->nodes,
                since(&t->t0));
    else
        fprintf(stderr, "\rdag: rendering %s: %.0f s                              ", t->stage, since(&t->t0));
}

static void *tick(void *arg)
{
    ticker *t = arg;
    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        tick_line(t);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&t->cv, &t->mu, &until);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

static void progress(void *ctx, const char *stage)
{
    ticker *t = ctx;
    if (!t->started) {
        if (!stage)
            return;
        t->stage = stage;
        clock_gettime(CLOCK_MONOTONIC, &t->t0);
        pthread_mutex_init(&t->mu, NULL);
        pthread_cond_init(&t->cv, NULL);
        t->started = pthread_create(&t->thread, NULL, tick, t) == 0;
        return;
    }
    pthread_mutex_lock(&t->mu);
    if (stage)
        t->stage = stage;
    else
        t->stop = 1;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    if (!stage) {
        pthread_join(t->thread, NULL);
        fprintf(stderr, "\rdag: laid out and rendered %lld nodes in %.1f s                    \n", (long long)t->nodes,
                since(&t->t0));
        t->started = 0;
    }
}

/* Before a layout: refused above ROOF_DAG_LAYOUT_MAX nodes without
 * --force-layout, a warning from ROOF_DAG_LAYOUT_WARN. */
static int layout_check(const dag_opts *o, const roof_dag *g)
{
    if (!o->svg && !o->png)
        return 0;
    const char *hint = o->expand ? "; without --expand, layers are folded" : "";
    if (g->n > ROOF_DAG_LAYOUT_MAX && !o->force_layout) {
        fprintf(stderr,
                "llmroof: dag: laying out %lld nodes with Graphviz (dot) would take hours: refused above %d nodes "
                "(--force-layout to wait for it%s)\n",
                (long long)g->n, ROOF_DAG_LAYOUT_MAX, hint);
        return ROOF_ERR_RUNTIME;
    }
    if (g->n >= ROOF_DAG_LAYOUT_WARN)
        fprintf(stderr,
                "llmroof: warning: dag: laying out %lld nodes with Graphviz (dot) takes minutes (17,000 nodes: "
                "145 s)%s\n",
                (long long)g->n, hint);
    return 0;
}

/* Builds the deployment's DAG into g (or the synthetic one). */
static int build(roof_cli *cli, const dag_opts *o, int posc, char **posv, roof_dag *g, roof_error *err)
{
    if (o->synthetic) {
        int64_t n;
        if (roof_parse_count(o->synthetic, "--synthetic", &n, err) != ROOF_OK) {
            snprintf(err->where, sizeof err->where, "dag"); /* every error names where it is */
            return roof_cli_fail(err);
        }
        int rc = roof_dag_synthetic(n, g, err);
        return rc == ROOF_OK ? 0 : roof_cli_fail(err);
    }
    int phases = ROOF_DAG_BOTH;
    int rc = phases_of(o->phase, &phases);
    if (rc)
        return rc;
    roof_scenario *s = calloc(1, sizeof *s);
    roof_result *r = calloc(1, sizeof *r);
    rc = ROOF_ERR_RUNTIME;
    if (s && r) {
        roof_dag_build_opts bo = {phases, o->expand};
        if (roof_cli_scenario(cli, posc ? posv[0] : NULL, s, err) != ROOF_OK || roof_evaluate(s, r, err) != ROOF_OK ||
            roof_dag_build(s, r, &bo, g, err) != ROOF_OK)
            rc = roof_cli_fail(err);
        else
            rc = 0;
    }
    free(s);
    free(r);
    return rc;
}

int roof_cmd_dag(int argc, char **argv)
{
    static const struct option longopts[] = {{"svg", required_argument, NULL, OPT_SVG},
                                             {"png", required_argument, NULL, OPT_PNG},
                                             {"phase", required_argument, NULL, OPT_PHASE},
                                             {"expand", no_argument, NULL, OPT_EXPAND},
                                             {"synthetic", required_argument, NULL, OPT_SYNTHETIC},
                                             {"force-layout", no_argument, NULL, OPT_FORCE_LAYOUT},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    dag_opts o = {NULL, NULL, NULL, NULL, 0, 0};
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_dag *g = roof_dag_alloc();
    roof_dag_path path = {0, NULL, 0.0};
    int rc = ROOF_ERR_RUNTIME;
    if (!posv || !g)
        goto out;
    int posc = 0;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc > 1 || (o.synthetic && posc)) {
        rc = roof_cli_usage_error(
            "dag", o.synthetic ? "--synthetic takes no CONFIG" : "expected one CONFIG (got %d arguments)", posc);
        goto out;
    }
    roof_error err;
    if ((rc = build(&cli, &o, posc, posv, g, &err)) != 0)
        goto out;
    /* The synthetic graph is written lean, with no time_s: the reader
     * times every node, as the benchmark wants. */
    if (o.synthetic) {
        if (o.svg || o.png) {
            rc = roof_cli_usage_error("dag", "--synthetic writes DOT only (no --svg or --png)");
            goto out;
        }
        if (roof_dag_write_plain(g, cli.output, &err) != ROOF_OK) {
            rc = roof_cli_fail(&err);
            goto out;
        }
        if (cli.output && strcmp(cli.output, "-") != 0 && !cli.quiet)
            printf("%s: %lld nodes, %lld edges\n", cli.output, (long long)g->n, (long long)g->ne);
        rc = fflush(stdout) == 0 ? 0 : ROOF_ERR_RUNTIME;
        goto out;
    }
    if ((rc = layout_check(&o, g)) != 0)
        goto out;
    ticker tk = {.nodes = g->n};
    roof_dag_outputs outs = {cli.output, o.svg, o.png, NULL, &tk};
    if (roof_cli_progress_on(&cli))
        outs.progress = progress;
    if (roof_dag_critical_path(g, "dag", &path, &err) != ROOF_OK ||
        roof_dag_write_outputs(g, &path, &outs, &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    if (cli.output && strcmp(cli.output, "-") != 0 && !cli.quiet)
        printf("%s: %lld nodes, %lld edges; critical path %lld nodes, %.6g ms\n", cli.output, (long long)g->n,
               (long long)g->ne, (long long)path.n, path.total_s * 1e3);
    rc = fflush(stdout) == 0 ? 0 : ROOF_ERR_RUNTIME;
out:
    roof_dag_path_free(&path);
    roof_dag_free(g);
    free(posv);
    return rc;
}
