/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof serve CONFIG: one replica of a deployment serving a stream of
 * requests (analysis/serve.h): latency percentiles, throughput, goodput
 * under SLOs, KV occupancy, cost and energy at that load. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/serve.h"
#include "analysis/serve_interval.h"
#include "cli/interval_out.h"
#include "cli/parse_opts.h"
#include "core/number.h"
#include "model/config.h"

typedef struct {
    const char *rate, *concurrency, *requests;
    const char *slo[ROOF_SERVE_MAX_SLOS];
    int nslo, analytic, no_interval;
    const char *disagg;                  /* "P:D" */
    const char *pool_hw[2], *pool_tp[2]; /* --prefill-hw/--decode-hw, --prefill-tp/--decode-tp */
} serve_opts;

enum {
    OPT_RATE = 1,
    OPT_CONCURRENCY,
    OPT_SLO,
    OPT_REQUESTS,
    OPT_ANALYTIC,
    OPT_DISAGG,
    OPT_NO_INTERVAL,
    OPT_PREFILL_HW,
    OPT_DECODE_HW,
    OPT_PREFILL_TP,
    OPT_DECODE_TP
};

static void help(void)
{
    printf("usage: llmroof serve [CONFIG] [--rate R | --concurrency C] [--slo 'METRIC_STAT<=SECONDS']...\n"
           "                     [--requests N] [--analytic] [--disagg P:D [--prefill-hw NAME] [--prefill-tp N]\n"
           "                     [--decode-hw NAME] [--decode-tp N]] [--no-interval] [--hw NAME|FILE]\n"
           "                     [--set PATH=VALUE]... [--format table|csv|json] [-o FILE]\n\n"
           "Simulates one replica of the deployment serving requests with continuous batching,\n"
           "chunked prefill mixed with decodes, and a paged KV cache whose capacity comes from\n"
           "the memory model (docs/serving.md). Iteration times are the op list's, as in\n"
           "'estimate'. Prints TTFT, inter-token latency (ITL, per token), TPOT (per request),\n"
           "end-to-end latency and queueing delay (mean, p50, p90, p99), throughput, goodput\n"
           "(requests/s meeting every SLO), KV occupancy, $/Mtok and J/token at that load.\n"
           "A fixed traffic.seed gives the same output. --analytic computes the steady state's\n"
           "means instead of simulating (for searches).\n\n"
           "Beside the latencies, rates and costs: their 80%% interval under the model's own\n"
           "error (docs/accuracy.md), from %d draws of the simulation (or of the steady\n"
           "state) with every op scaled by its regime's error: \"1.2 s (1.1-1.5)\" in the\n"
           "table, metrics_interval.NAME.p10 and .p90 in json; --no-interval hides it.\n\n"
           "--disagg P:D splits the deployment into P replicas that only prefill and D that\n"
           "only decode (DistServe, Splitwise), the prompt's KV sent between them over the\n"
           "cluster network, each pool by the analytic steady state at its share of --rate;\n"
           "it prints them beside the same P + D replicas serving aggregated. SLOs are judged\n"
           "on the means. --prefill-hw/--decode-hw NAME and --prefill-tp/--decode-tp N give a\n"
           "pool its own hardware and tensor-parallel width (the KV then resharded: each GPU\n"
           "sends or receives its own shard, the slower side bounds); the aggregated row is\n"
           "then as many replicas of the config's deployment as fit in the same GPUs.\n\n"
           "Traffic and engine settings: the config's traffic and engine groups, or --set\n"
           "(see 'llmroof params'): traffic.arrival (poisson, concurrency, trace),\n"
           "traffic.rate, traffic.concurrency, traffic.requests, traffic.seed, traffic.trace\n"
           "(CSV: arrival_s,prompt_tokens,output_tokens), traffic.prompt.{dist,mean,spread},\n"
           "traffic.output.{dist,mean,spread} (fixed, uniform, lognormal), engine.max_batch,\n"
           "engine.max_tokens, engine.chunk, engine.page_tokens, engine.prefix_hit,\n"
           "engine.kv_tokens, engine.mem_fraction. --rate R is traffic.arrival=poisson with\n"
           "traffic.rate=R; --concurrency C is traffic.arrival=concurrency with\n"
           "traffic.concurrency=C; --requests N is traffic.requests=N.\n\n"
           "SLOs: METRIC ttft, itl, tpot, e2e or queue; STAT p50, p90, p99 or mean; for\n"
           "example --slo 'ttft_p90<=1' --slo 'itl_p99<=0.05'.\n\n"
           "Examples:\n"
           "  llmroof serve configs/llama3-70b-tp8.cfg --rate 10 --slo 'ttft_p90<=1' --slo 'itl_p90<=0.05'\n"
           "  llmroof serve configs/llama3-70b-tp8.cfg --concurrency 64 --hw h200 --format json\n"
           "  llmroof serve configs/llama3-8b.cfg --rate 20 --set traffic.prompt.dist=lognormal \\\n"
           "      --set traffic.prompt.spread=0.5 --set engine.chunk=512\n"
           "  llmroof serve configs/llama3-70b-tp8.cfg --rate 10 --analytic\n"
           "  llmroof serve configs/llama3-70b-tp8.cfg --rate 10 --disagg 1:3 --slo 'itl_mean<=0.03'\n",
           ROOF_SERVE_IV_DRAWS);
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    serve_opts *o = ctx;
    switch (opt) {
    case OPT_RATE:
        o->rate = arg;
        break;
    case OPT_CONCURRENCY:
        o->concurrency = arg;
        break;
    case OPT_REQUESTS:
        o->requests = arg;
        break;
    case OPT_ANALYTIC:
        o->analytic = 1;
        break;
    case OPT_DISAGG:
        o->disagg = arg;
        break;
    case OPT_NO_INTERVAL:
        o->no_interval = 1;
        break;
    case OPT_PREFILL_HW:
    case OPT_DECODE_HW:
        o->pool_hw[opt == OPT_DECODE_HW] = arg;
        break;
    case OPT_PREFILL_TP:
    case OPT_DECODE_TP:
        o->pool_tp[opt == OPT_DECODE_TP] = arg;
        break;
    case OPT_SLO:
        if (o->nslo == ROOF_SERVE_MAX_SLOS)
            return roof_cli_usage_error("serve", "at most %d --slo options", ROOF_SERVE_MAX_SLOS);
        o->slo[o->nslo++] = arg;
        break;
    default:
        return roof_cli_usage_error("serve", "unknown option");
    }
    return 0;
}

static void progress(void *ctx, int64_t done, int64_t total)
{
    (void)ctx;
    fprintf(stderr, "\rserve: %lld of %lld requests", (long long)done, (long long)total);
}

/* The command line's traffic options, as the --set they stand for. */
static int apply_opts(const serve_opts *o, roof_serve_cfg *c, roof_error *err)
{
    char a[128];
    int rc = ROOF_OK;
    if (o->rate && o->concurrency)
        return roof_error_set(err, ROOF_ERR_USAGE, "serve", "--rate and --concurrency exclude each other");
    if (o->rate) {
        snprintf(a, sizeof a, "traffic.rate=%.100s", o->rate);
        rc = roof_serve_set(c, "traffic.arrival=poisson", err);
        if (rc == ROOF_OK)
            rc = roof_serve_set(c, a, err);
        if (rc != ROOF_OK)
            snprintf(err->where, sizeof err->where, "--rate");
    }
    if (rc == ROOF_OK && o->concurrency) {
        snprintf(a, sizeof a, "traffic.concurrency=%.100s", o->concurrency);
        rc = roof_serve_set(c, "traffic.arrival=concurrency", err);
        if (rc == ROOF_OK)
            rc = roof_serve_set(c, a, err);
        if (rc != ROOF_OK)
            snprintf(err->where, sizeof err->where, "--concurrency");
    }
    if (rc == ROOF_OK && o->requests) {
        snprintf(a, sizeof a, "traffic.requests=%.100s", o->requests);
        if ((rc = roof_serve_set(c, a, err)) != ROOF_OK)
            snprintf(err->where, sizeof err->where, "--requests");
    }
    return rc;
}

static void put_dist(roof_out *out, roof_format fmt, const roof_iv_set *iv, const char *name, const roof_serve_dist *d)
{
    char key[64];
    snprintf(key, sizeof key, "%s_mean_s", name);
    roof_iv_put(out, fmt, iv, key, "s", d->mean);
    static const char *const q[ROOF_SERVE_NQ] = {"p50", "p90", "p99"};
    for (int i = 0; i < ROOF_SERVE_NQ; i++) {
        snprintf(key, sizeof key, "%s_%s_s", name, q[i]);
        roof_iv_put(out, fmt, iv, key, "s", d->q[i]);
    }
}

/* The statistics given an interval, with the report's keys. */
#define STAT(key_, field_)                       \
    {                                            \
        key_, offsetof(roof_serve_stats, field_) \
    }
static const struct {
    const char *key;
    roof_serve_stat stat;
} iv_stats[] = {STAT("ttft_mean_s", ttft.mean),
                STAT("ttft_p50_s", ttft.q[ROOF_SERVE_Q50]),
                STAT("ttft_p90_s", ttft.q[ROOF_SERVE_Q90]),
                STAT("itl_mean_s", itl.mean),
                STAT("itl_p50_s", itl.q[ROOF_SERVE_Q50]),
                STAT("itl_p90_s", itl.q[ROOF_SERVE_Q90]),
                STAT("e2e_mean_s", e2e.mean),
                STAT("e2e_p50_s", e2e.q[ROOF_SERVE_Q50]),
                STAT("e2e_p90_s", e2e.q[ROOF_SERVE_Q90]),
                STAT("tokens_per_s", tokens_per_s),
                STAT("tokens_per_s_per_gpu", tokens_per_s_per_gpu),
                STAT("goodput_requests_per_s", goodput_req_per_s),
                STAT("usd_per_mtok", usd_per_mtok),
                STAT("joules_per_token", joules_per_token)};
#undef STAT

static void iv_progress(void *ctx, int done, int total)
{
    (void)ctx;
    fprintf(stderr, "\rserve: interval, draw %d of %d", done, total);
}

/* The intervals of iv_stats under the built-in error model. A draw the
 * engine cannot serve leaves none, with a warning. */
static int serve_intervals(const roof_cli *cli, const roof_scenario *s, const roof_serve_cfg *c, const roof_slo *slos,
                           int nslo, int analytic, roof_iv_set *iv, roof_error *err)
{
    static roof_errm em; /* large: not on the stack */
    int rc = roof_errm_load(NULL, &em, err);
    if (rc != ROOF_OK)
        return rc;
    enum { NS = sizeof iv_stats / sizeof iv_stats[0] };
    roof_serve_stat stat[NS];
    iv->n = NS;
    for (size_t j = 0; j < NS; j++) {
        iv->key[j] = iv_stats[j].key;
        iv->metric[j] = iv_stats[j].key;
        stat[j] = iv_stats[j].stat;
    }
    int show = roof_cli_progress_on(cli), failed = 0, saturated = 0;
    roof_error why;
    rc = roof_serve_interval(s, c, slos, nslo, analytic, &em, stat, NS, show ? iv_progress : NULL, NULL, iv->lo, iv->hi,
                             &saturated, &failed, &why, err);
    if (show)
        fputc('\n', stderr);
    if (rc == ROOF_OK && failed)
        fprintf(stderr, "llmroof: warning: serve: no interval: a draw of the model's error cannot be served (%s)\n",
                why.msg);
    else if (rc == ROOF_OK && saturated)
        fprintf(stderr,
                "llmroof: warning: serve: %d of %d draws of the model's error saturate the engine at this load: "
                "their latencies are unbounded (\"unbounded\" where that reaches p90) and their rates undefined (no "
                "interval; json null)\n",
                saturated, ROOF_SERVE_IV_DRAWS);
    return rc;
}

static int report(roof_cli *cli, const roof_scenario *s, const roof_serve_cfg *c, const roof_serve_capacity *cap,
                  const roof_serve_stats *st, const roof_slo *slos, const roof_iv_set *iv)
{
    roof_format fmt = cli->format;
    const roof_traffic *t = &c->traffic;
    char title[512];
    snprintf(title, sizeof title, "Serving %s on %s, %lld GPUs (%s)", s->name, s->hw.name, (long long)cap->gpus,
             st->analytic ? "analytic steady state: means" : "simulation");
    roof_out *out = roof_out_new(cli->format, ROOF_OUT_RECORD, title);
    roof_out_str(out, "name", s->name);
    roof_out_str(out, "hw", s->hw.name);
    roof_out_int(out, "gpus", cap->gpus);
    roof_out_str(out, "mode", st->analytic ? "analytic" : "simulation");
    roof_out_str(out, "arrival",
                 roof_param_choice_name(roof_param_find(&roof_traffic_params, "traffic.arrival"), t->arrival));
    if (t->arrival == ROOF_ARRIVAL_POISSON)
        roof_out_num(out, "rate", "1/s", t->rate);
    if (t->arrival == ROOF_ARRIVAL_CONCURRENCY)
        roof_out_int(out, "concurrency", t->concurrency);
    if (!st->analytic) {
        roof_out_int(out, "requests", st->requests);
        roof_out_int(out, "seed", t->seed);
        roof_out_num(out, "duration_s", "s", st->duration_s);
    }
    roof_out_int(out, "kv_pages", cap->kv_pages);
    roof_out_int(out, "kv_tokens", cap->kv_pages * c->engine.page_tokens);
    put_dist(out, fmt, iv, "ttft", &st->ttft);
    put_dist(out, fmt, iv, "itl", &st->itl);
    put_dist(out, fmt, iv, "tpot", &st->tpot);
    put_dist(out, fmt, iv, "e2e", &st->e2e);
    put_dist(out, fmt, iv, "queue", &st->queue);
    roof_out_num(out, "requests_per_s", "1/s", st->req_per_s);
    roof_iv_put(out, fmt, iv, "tokens_per_s", "tok/s", st->tokens_per_s);
    roof_iv_put(out, fmt, iv, "tokens_per_s_per_gpu", "tok/s", st->tokens_per_s_per_gpu);
    roof_out_num(out, "input_tokens_per_s", "tok/s", st->input_tokens_per_s);
    roof_iv_put(out, fmt, iv, "goodput_requests_per_s", "1/s", st->goodput_req_per_s);
    roof_out_num(out, "slo_attained", "", st->slo_attained);
    roof_out_num(out, "mean_in_system", "", st->mean_in_system);
    roof_out_int(out, "max_running", st->max_running);
    roof_out_num(out, "kv_occupancy", "", st->kv_occupancy);
    roof_out_num(out, "kv_peak", "", st->kv_peak);
    roof_iv_put(out, fmt, iv, "usd_per_mtok", "USD", st->usd_per_mtok);
    roof_iv_put(out, fmt, iv, "joules_per_token", "J", st->joules_per_token);
    if (st->nslo > 0 && cli->format != ROOF_FMT_CSV) {
        roof_out_section(out, "slo", ROOF_OUT_ROWS, "Service-level objectives");
        for (int k = 0; k < st->nslo; k++) {
            roof_out_row(out);
            roof_out_str(out, "slo", slos[k].text);
            roof_out_num(out, "value_s", "s", st->slo_value[k]);
            roof_out_num(out, "limit_s", "s", slos[k].limit_s);
            roof_out_bool(out, "met", st->slo_met[k]);
        }
    }
    roof_iv_put_json(out, fmt, iv);
    roof_iv_note(out, fmt, iv);
    return roof_cli_emit(cli, out);
}

/* "P:D", each a whole number of replicas >= 1. */
static int parse_disagg(const char *text, int64_t *p, int64_t *d, roof_error *err)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", text);
    char *colon = strchr(buf, ':');
    double vp = 0.0, vd = 0.0;
    roof_error ignored;
    if (!colon || (*colon = '\0', roof_parse_double(buf, &vp, &ignored) != ROOF_OK) ||
        roof_parse_double(colon + 1, &vd, &ignored) != ROOF_OK || vp != floor(vp) || vd != floor(vd) || vp < 1.0 ||
        vd < 1.0 || vp > 1e6 || vd > 1e6)
        return roof_error_set(err, ROOF_ERR_USAGE, "--disagg",
                              "expected P:D, prefill and decode replicas, whole numbers from 1 (got '%.40s')", text);
    *p = (int64_t)vp;
    *d = (int64_t)vd;
    return ROOF_OK;
}

/* Disaggregated against aggregated, a row each. */
static int report_disagg(roof_cli *cli, const roof_scenario *s, const roof_serve_cfg *c, const roof_disagg_result *r,
                         int64_t base_gpus, const char *pools, const double *lo, const double *hi)
{
    char title[512];
    snprintf(title, sizeof title,
             "Serving %s on %s at %g requests/s: disaggregated %lld:%lld against aggregated (analytic means)", s->name,
             s->hw.name, c->traffic.rate, (long long)r->prefill, (long long)r->decode);
    roof_out *out = roof_out_new(cli->format, ROOF_OUT_ROWS, title);
    const roof_serve_stats *a = &r->aggregated;
    double replicas = (double)r->aggregated_replicas;
    for (int row = 0; row < 2; row++) {
        char what[256];
        roof_out_row(out);
        if (row == 0)
            snprintf(what, sizeof what, "aggregated x %lld", (long long)r->aggregated_replicas);
        else
            snprintf(what, sizeof what, "disaggregated %lld:%lld%s", (long long)r->prefill, (long long)r->decode,
                     pools);
        roof_out_str(out, "deployment", what);
        roof_out_int(out, "gpus", row ? r->gpus : r->aggregated_replicas * base_gpus);
        static const char *const keys[3] = {"ttft_s", "itl_s", "e2e_s"};
        const double v[3] = {row ? r->ttft_s : a->ttft.mean, row ? r->itl_s : a->itl.mean,
                             row ? r->e2e_s : a->e2e.mean};
        int first = row ? ROOF_DISAGG_IV_TTFT : ROOF_DISAGG_IV_AGG_TTFT;
        for (int k = 0; k < 3; k++)
            if (!(lo && roof_iv_put_text(out, cli->format, keys[k], "s", v[k], lo[first + k], hi[first + k])))
                roof_out_num(out, keys[k], "s", v[k]);
        roof_out_num(out, "kv_transfer_s", "s", row ? r->transfer_s : 0.0);
        roof_out_num(out, "tokens_per_s_per_gpu", "tok/s", row ? r->tokens_per_s_per_gpu : a->tokens_per_s_per_gpu);
        roof_out_num(out, "goodput_requests_per_s", "1/s",
                     row ? r->goodput_req_per_s : a->goodput_req_per_s * replicas);
        roof_out_bool(out, "slo_met", row ? r->slo_met : a->slo_attained >= 1.0);
        roof_out_num(out, "usd_per_mtok", "USD", row ? r->usd_per_mtok : a->usd_per_mtok);
        roof_out_num(out, "joules_per_token", "J", row ? r->joules_per_token : a->joules_per_token);
        for (int k = 0; lo && cli->format == ROOF_FMT_JSON && k < 3; k++)
            roof_iv_put_bounds(out, keys[k], lo[first + k], hi[first + k]);
    }
    if (lo && cli->format == ROOF_FMT_TABLE)
        roof_out_note(out, "(p10-p90): the model's own error, from leave-one-source-out cross-validation "
                           "(docs/accuracy.md); --no-interval hides it");
    return roof_cli_emit(cli, out);
}

/* The pools of --disagg: the config's deployment, or with --prefill-hw,
 * --prefill-tp (--decode-*) a scenario of their own; then the
 * disaggregated result, against as many aggregated replicas of the base
 * as fit in the same GPUs. pools describes them ("" when both are the
 * base). */
static int disagg_pools(const roof_cli *scen, const char *config, const serve_opts *o, const roof_scenario *s,
                        roof_serve_cost *cost, const roof_serve_cfg *cfg, int64_t np, int64_t nd, const roof_slo *slos,
                        roof_disagg_result *dr, char *pools, size_t size, double *lo, double *hi, roof_error *err)
{
    static roof_scenario ps[2]; /* large: not on the stack */
    roof_serve_cost *pc[2] = {cost, cost};
    const roof_scenario *pscen[2] = {s, s};
    char tp_set[2][64];
    int rc = ROOF_OK;
    for (int k = 0; k < 2 && rc == ROOF_OK; k++) {
        if (!o->pool_hw[k] && !o->pool_tp[k])
            continue;
        roof_cli pool = *scen;
        if (o->pool_hw[k]) {
            pool.hw_name = o->pool_hw[k];
            pool.hw_explicit = 1;
        }
        if (o->pool_tp[k]) {
            int64_t tp;
            if (roof_parse_count(o->pool_tp[k], k ? "--decode-tp" : "--prefill-tp", &tp, err) != ROOF_OK ||
                tp > 1000000) {
                rc = roof_error_set(err, ROOF_ERR_USAGE, k ? "--decode-tp" : "--prefill-tp",
                                    "expected a whole number of GPUs from 1 (got '%.40s')", o->pool_tp[k]);
                break;
            }
            if (pool.nsets == ROOF_MAX_SETS) {
                rc = roof_error_set(err, ROOF_ERR_USAGE, "--set", "at most %d --set options", ROOF_MAX_SETS);
                break;
            }
            snprintf(tp_set[k], sizeof tp_set[k], "parallel.tp=%lld", (long long)tp);
            pool.sets[pool.nsets++] = tp_set[k];
        }
        if ((rc = roof_cli_scenario(&pool, config, &ps[k], err)) == ROOF_OK &&
            (rc = roof_serve_cost_new(&ps[k], &cfg->engine, &pc[k], err)) == ROOF_OK)
            pscen[k] = &ps[k];
    }
    int64_t agg = 0;
    if (rc == ROOF_OK && (pc[0] != cost || pc[1] != cost)) {
        int64_t total = np * roof_serve_cost_capacity(pc[0])->gpus + nd * roof_serve_cost_capacity(pc[1])->gpus;
        agg = total / roof_serve_cost_capacity(cost)->gpus;
        if (agg < 1)
            agg = 1;
        snprintf(pools, size, " (prefill %.40s tp %lld, decode %.40s tp %lld)", pscen[0]->hw.name,
                 (long long)pscen[0]->parallel.tp, pscen[1]->hw.name, (long long)pscen[1]->parallel.tp);
    }
    if (rc == ROOF_OK)
        rc = roof_serve_disagg_pools(pc[0], pscen[0], pc[1], pscen[1], cost, agg, cfg, np, nd, slos, o->nslo, dr, err);
    /* The latencies' intervals under the model's error (lo NULL: none). */
    if (rc == ROOF_OK && lo) {
        static roof_errm em; /* large: not on the stack */
        int unserved = 0;
        rc = roof_errm_load(NULL, &em, err);
        if (rc == ROOF_OK)
            rc = roof_serve_disagg_interval(pscen[0], pscen[1], s, agg, cfg, np, nd, slos, o->nslo, &em, lo, hi,
                                            &unserved, err);
        if (rc == ROOF_OK && unserved)
            fprintf(stderr,
                    "llmroof: warning: serve: %d of %d draws of the model's error saturate a pool at this rate: their "
                    "latencies are unbounded (\"unbounded\" where that reaches p90; json null)\n",
                    unserved, ROOF_SERVE_IV_DRAWS);
    }
    for (int k = 0; k < 2; k++)
        if (pc[k] != cost)
            roof_serve_cost_free(pc[k]);
    return rc;
}

int roof_cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {{"rate", required_argument, NULL, OPT_RATE},
                                             {"concurrency", required_argument, NULL, OPT_CONCURRENCY},
                                             {"slo", required_argument, NULL, OPT_SLO},
                                             {"requests", required_argument, NULL, OPT_REQUESTS},
                                             {"analytic", no_argument, NULL, OPT_ANALYTIC},
                                             {"disagg", required_argument, NULL, OPT_DISAGG},
                                             {"no-interval", no_argument, NULL, OPT_NO_INTERVAL},
                                             {"prefill-hw", required_argument, NULL, OPT_PREFILL_HW},
                                             {"decode-hw", required_argument, NULL, OPT_DECODE_HW},
                                             {"prefill-tp", required_argument, NULL, OPT_PREFILL_TP},
                                             {"decode-tp", required_argument, NULL, OPT_DECODE_TP},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    serve_opts o;
    memset(&o, 0, sizeof o);
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_scenario *s = calloc(1, sizeof *s);
    roof_serve_cost *cost = NULL;
    int rc = ROOF_ERR_RUNTIME, posc = 0;
    if (!posv || !s)
        goto out;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc > 1) {
        rc = roof_cli_usage_error("serve", "expected one CONFIG (got %d arguments)", posc);
        goto out;
    }
    /* --set: traffic.* and engine.* are serve's; the rest the scenario's. */
    roof_cli scen = cli;
    scen.nsets = 0;
    const char *serve_sets[ROOF_MAX_SETS];
    int nserve = 0;
    for (int i = 0; i < cli.nsets; i++) {
        if (roof_serve_is_setting(cli.sets[i]))
            serve_sets[nserve++] = cli.sets[i];
        else
            scen.sets[scen.nsets++] = cli.sets[i];
    }
    roof_error err;
    roof_serve_cfg cfg;
    roof_serve_defaults(&cfg);
    roof_slo slos[ROOF_SERVE_MAX_SLOS];
    rc = roof_cli_scenario(&scen, posc ? posv[0] : NULL, s, &err);
    if (rc == ROOF_OK && posc)
        rc = roof_serve_load(posv[0], &cfg, &err);
    for (int i = 0; rc == ROOF_OK && i < nserve; i++)
        rc = roof_serve_set(&cfg, serve_sets[i], &err);
    if (rc == ROOF_OK)
        rc = apply_opts(&o, &cfg, &err);
    if (rc == ROOF_OK)
        rc = roof_serve_check(&cfg, &err);
    for (int i = 0; rc == ROOF_OK && i < o.nslo; i++)
        rc = roof_slo_parse(o.slo[i], &slos[i], &err);
    if (rc == ROOF_OK && !o.disagg && (o.pool_hw[0] || o.pool_hw[1] || o.pool_tp[0] || o.pool_tp[1]))
        rc = roof_error_set(&err, ROOF_ERR_USAGE, "serve",
                            "--prefill-hw, --decode-hw, --prefill-tp and --decode-tp need --disagg P:D");
    if (rc == ROOF_OK)
        rc = roof_serve_cost_new(s, &cfg.engine, &cost, &err);
    roof_serve_stats st;
    if (rc == ROOF_OK && o.disagg) {
        int64_t np = 0, nd = 0;
        roof_disagg_result dr;
        char pools[200] = "";
        double lo[ROOF_DISAGG_IV_N], hi[ROOF_DISAGG_IV_N];
        rc = parse_disagg(o.disagg, &np, &nd, &err);
        if (rc == ROOF_OK)
            rc = disagg_pools(&scen, posc ? posv[0] : NULL, &o, s, cost, &cfg, np, nd, slos, &dr, pools, sizeof pools,
                              o.no_interval ? NULL : lo, o.no_interval ? NULL : hi, &err);
        if (rc == ROOF_OK)
            rc = report_disagg(&cli, s, &cfg, &dr, roof_serve_cost_capacity(cost)->gpus, pools,
                               o.no_interval ? NULL : lo, o.no_interval ? NULL : hi);
        else
            rc = roof_cli_fail(&err);
        goto out;
    }
    if (rc == ROOF_OK && o.analytic) {
        rc = roof_serve_analytic(cost, &cfg, slos, o.nslo, &st, &err);
    } else if (rc == ROOF_OK) {
        int show = roof_cli_progress_on(&cli);
        rc = roof_serve_simulate(cost, &cfg, slos, o.nslo, show ? progress : NULL, NULL, &st, &err);
        if (show)
            fputc('\n', stderr);
    }
    if (rc != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    roof_iv_set *iv = NULL;
    if (!o.no_interval) {
        iv = calloc(1, sizeof *iv);
        if (!iv || (rc = serve_intervals(&cli, s, &cfg, slos, o.nslo, o.analytic, iv, &err)) != ROOF_OK) {
            free(iv);
            rc = iv ? roof_cli_fail(&err) : ROOF_ERR_RUNTIME;
            goto out;
        }
    }
    rc = report(&cli, s, &cfg, roof_serve_cost_capacity(cost), &st, slos, iv);
    free(iv);
out:
    roof_serve_cost_free(cost);
    free(posv);
    free(s);
    return rc;
}
