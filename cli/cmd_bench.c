/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof bench: how many evaluations per second the model's kernels run on
 * one core. A benchmark, never a pass/fail test: machines are shared and
 * noisy, so it reports the median and the spread of several repetitions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/parse_opts.h"
#include "core/number.h"
#include "hw/collective.h"
#include "hw/gemm.h"
#include "model/config.h"
#include "model/evaluate.h"
#include "analysis/search.h"
#include "analysis/search_goodput.h"
#include "analysis/serve.h"

#define NSHAPES 1024
#define MAX_REPS 101

typedef struct {
    double seconds;
    int reps;
    const char *seconds_text, *reps_text;
} bench_opts;

enum { OPT_SECONDS = 1, OPT_REPS };

static void help(void)
{
    printf("usage: llmroof bench [--seconds S] [--reps R] [--hw NAME|FILE] [--format table|csv|json]\n\n"
           "Measures evaluations per second, on one core, of Get_Time (the GEMM roofline, as\n"
           "the model calls it: the time, without the reporting fields)\n"
           "and of a collective's alpha-beta time, over %d varied shapes, and of one full\n"
           "estimate of the default deployment (plan, prefill and decode ops, pipeline,\n"
           "memory; the batch varied), and of the plan search's inner loop (every plan of\n"
           "that deployment in decode, batch 256, on 64 GPUs, by throughput), and of the\n"
           "goodput search (issue 19: its configurations, plan x chunk x max_batch, on 64\n"
           "GPUs under TTFT p90 <= 1 s and ITL p90 <= 50 ms, the serving defaults, best 1,\n"
           "screened as `search --objective goodput` screens). Each of R\n"
           "repetitions (default 7) runs for about S seconds (default 0.2); the median,\n"
           "minimum and maximum rate are printed. Progress goes to stderr on a terminal only.\n\n"
           "Examples:\n"
           "  llmroof bench\n"
           "  llmroof bench --reps 21 --format json\n",
           NSHAPES);
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    bench_opts *o = ctx;
    if (opt == OPT_SECONDS)
        o->seconds_text = arg;
    else if (opt == OPT_REPS)
        o->reps_text = arg;
    else
        return roof_cli_usage_error("bench", "unknown option");
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Deterministic shapes from prefill-sized GEMMs to decode-sized ones. */
static void make_shapes(roof_gemm *g, roof_comm *c)
{
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < NSHAPES; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        g[i] = (roof_gemm){1.0 + (double)(s % 4),
                           (double)(1 + s % 100000),
                           (double)(64 + (s >> 20) % 16384),
                           (double)(64 + (s >> 40) % 16384),
                           ROOF_DT_BF16,
                           (int)(s & 1),
                           0.0};
        c[i] = (roof_comm){.op = (roof_collective)(s % 4),
                           .bytes = (double)(1 + (s >> 8) % (1u << 30)),
                           .group = 2 + (int64_t)(s % 15)};
    }
}

typedef double (*kernel_fn)(const roof_hw *hw, const roof_gemm *g, const roof_comm *c, long n);

/* The full evaluation of the default deployment (plan, prefill and decode
 * ops, composition, memory), varying the batch so that nothing is cached. */
static roof_scenario *bench_scenario;
static roof_result *bench_result;
static roof_scenario *bench_search;

static double run_estimate(const roof_hw *hw, const roof_gemm *g, const roof_comm *c, long n)
{
    (void)hw, (void)g, (void)c;
    double sink = 0.0;
    roof_error err;
    for (long i = 0; i < n; i++) {
        bench_scenario->workload.batch = 8 + 8 * (i & 7);
        roof_evaluate(bench_scenario, bench_result, &err);
        sink += bench_result->metrics.ttft_s;
    }
    return sink;
}

/* Searches of bench_search under so until n candidates are evaluated. */
static double searches(const roof_search_opts *so, long n)
{
    roof_error err;
    double sink = 0.0;
    for (long done = 0; done < n;) {
        roof_search_result res;
        if (roof_search_run(bench_search, so, &res, &err) != ROOF_OK || res.counts.evaluated == 0)
            break;
        done += res.counts.evaluated;
        sink += res.n ? res.rows[0].objective : 0.0;
        roof_search_result_free(&res);
    }
    return sink;
}

/* The search's inner loop: every plan of the default deployment in decode
 * (batch 256) on 64 GPUs, ranked by throughput; the rate counts every
 * candidate evaluated, valid or not (as Calculon counts its configurations). */
static double run_search(const roof_hw *hw, const roof_gemm *g, const roof_comm *c, long n)
{
    (void)hw, (void)g, (void)c;
    static roof_search_opts so;
    roof_error err;
    if (!so.objective) {
        roof_search_opts_init(&so);
        roof_search_objective("throughput", &so.objective, &err);
        so.gpus = 64;
        so.top = 10;
    }
    return searches(&so, n);
}

/* The goodput search of that deployment: every configuration (plan x
 * chunk x max_batch) on 64 GPUs under two SLOs, the serving defaults'
 * traffic and engine, one thread, the best 1; the rate counts every
 * configuration evaluated (screened ones included: the search's own
 * count, `search --objective goodput`'s plans_per_cpu_s). */
static roof_search_serving *bench_serving;
static double run_goodput(const roof_hw *hw, const roof_gemm *g, const roof_comm *c, long n)
{
    (void)hw, (void)g, (void)c;
    static roof_search_opts so;
    static int state; /* 0: not set up; 1: ready; -1: the setup failed (no rate) */
    roof_error err;
    if (!state) {
        static const char *const slo[2] = {"ttft_p90<=1", "itl_p90<=0.05"};
        roof_search_opts_init(&so);
        so.gpus = 64;
        so.top = 1;
        roof_serve_defaults(&bench_serving->cfg);
        bench_serving->objective = roof_search_goodput_objective("goodput", &so.objective);
        bench_serving->nslo = 2;
        state = bench_serving->objective && roof_slo_parse(slo[0], &bench_serving->slos[0], &err) == ROOF_OK &&
                        roof_slo_parse(slo[1], &bench_serving->slos[1], &err) == ROOF_OK &&
                        roof_search_serving_init(bench_serving, &so, bench_search, &err) == ROOF_OK
                    ? 1
                    : -1;
        so.serving = bench_serving;
    }
    return state > 0 ? searches(&so, n) : 0.0;
}

static double run_gemm(const roof_hw *hw, const roof_gemm *g, const roof_comm *c, long n)
{
    (void)c;
    double sink = 0.0;
    roof_gemm_time t;
    for (long i = 0; i < n; i++) {
        roof_gemm_time_of(hw, &g[i & (NSHAPES - 1)], ROOF_GEMM_TIME_ONLY, &t, NULL);
        sink += t.time_s;
    }
    return sink;
}

static double run_comm(const roof_hw *hw, const roof_gemm *g, const roof_comm *c, long n)
{
    (void)g;
    double sink = 0.0;
    roof_comm_time t;
    for (long i = 0; i < n; i++) {
        roof_comm_time_of(hw, &c[i & (NSHAPES - 1)], &t, NULL);
        sink += t.time_s;
    }
    return sink;
}

static void measure(const char *what, kernel_fn fn, const roof_hw *hw, const roof_gemm *g, const roof_comm *c,
                    const bench_opts *o, roof_out *out, int quiet)
{
    /* Calibrate the count so that one repetition lasts about o->seconds. */
    long n = 1000;
    volatile double sink = 0.0;
    for (;;) {
        double t0 = now_s();
        sink += fn(hw, g, c, n);
        double dt = now_s() - t0;
        if (dt > o->seconds / 4.0 || n > (1L << 40)) {
            n = (long)((double)n * o->seconds / (dt > 1e-9 ? dt : 1e-9));
            break;
        }
        n *= 4;
    }
    if (n < 1)
        n = 1;
    double rates[MAX_REPS] = {0};
    for (int r = 0; r < o->reps; r++) {
        if (!quiet)
            fprintf(stderr, "\rbench %s: repetition %d/%d", what, r + 1, o->reps);
        double t0 = now_s();
        sink += fn(hw, g, c, n);
        rates[r] = (double)n / (now_s() - t0);
    }
    if (!quiet)
        fprintf(stderr, "\n");
    qsort(rates, (size_t)o->reps, sizeof rates[0], cmp_double);
    roof_out_row(out);
    roof_out_str(out, "kernel", what);
    roof_out_int(out, "evals_per_rep", n);
    roof_out_int(out, "reps", o->reps);
    roof_out_num(out, "median_per_s", "/s", rates[o->reps / 2]);
    roof_out_num(out, "min_per_s", "/s", rates[0]);
    roof_out_num(out, "max_per_s", "/s", rates[o->reps - 1]);
    roof_out_num(out, "median_ns_per_eval", "", 1e9 / rates[o->reps / 2]);
    (void)sink;
}

int roof_cmd_bench(int argc, char **argv)
{
    static const struct option longopts[] = {{"seconds", required_argument, NULL, OPT_SECONDS},
                                             {"reps", required_argument, NULL, OPT_REPS},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    bench_opts o = {0.2, 7, NULL, NULL};
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_gemm *g = calloc(NSHAPES, sizeof *g);
    roof_comm *c = calloc(NSHAPES, sizeof *c);
    int rc = ROOF_ERR_RUNTIME;
    if (!posv || !g || !c)
        goto out;
    int posc = 0;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    roof_error err;
    int64_t reps = 7;
    if (o.seconds_text &&
        (roof_parse_double(o.seconds_text, &o.seconds, &err) != ROOF_OK || o.seconds <= 0 || o.seconds > 60)) {
        rc = roof_cli_usage_error("bench", "--seconds must be a number in (0, 60] (got '%s')", o.seconds_text);
        goto out;
    }
    if (o.reps_text) {
        if (roof_parse_count(o.reps_text, "--reps", &reps, &err) != ROOF_OK || reps > MAX_REPS) {
            rc = roof_cli_usage_error("bench", "--reps must be a whole number in [1, %d] (got '%s')", MAX_REPS,
                                      o.reps_text);
            goto out;
        }
        o.reps = (int)reps;
    }
    if (posc != 0) {
        rc = roof_cli_usage_error("bench", "takes no arguments");
        goto out;
    }
    if (roof_cli_load_hw(&cli, &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    make_shapes(g, c);
    bench_scenario = calloc(1, sizeof *bench_scenario);
    bench_result = calloc(1, sizeof *bench_result);
    bench_search = calloc(1, sizeof *bench_search);
    bench_serving = calloc(1, sizeof *bench_serving);
    if (!bench_scenario || !bench_result || !bench_search || !bench_serving ||
        roof_scenario_load(NULL, roof_config_default_text(), cli.hw_explicit ? cli.hw_name : NULL, ROOF_DEFAULT_HW,
                           cli.sets, cli.nsets, bench_scenario, NULL, &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    roof_out *out = roof_out_new(cli.format, ROOF_OUT_ROWS, "evaluations per second, one core");
    measure("gettime", run_gemm, &cli.hw, g, c, &o, out, !roof_cli_progress_on(&cli));
    measure("comm", run_comm, &cli.hw, g, c, &o, out, !roof_cli_progress_on(&cli));
    measure("estimate", run_estimate, &cli.hw, g, c, &o, out, !roof_cli_progress_on(&cli));
    *bench_search = *bench_scenario;
    bench_search->workload.phase = ROOF_PHASE_DECODE;
    bench_search->workload.batch = 256;
    measure("search", run_search, &cli.hw, g, c, &o, out, !roof_cli_progress_on(&cli));
    *bench_search = *bench_scenario;
    measure("goodput", run_goodput, &cli.hw, g, c, &o, out, !roof_cli_progress_on(&cli));
    rc = roof_cli_emit(&cli, out);
out:
    free(posv);
    free(g);
    free(c);
    free(bench_scenario);
    free(bench_result);
    free(bench_search);
    free(bench_serving);
    return rc;
}
