/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Statistics of a serving run and its service-level objectives.
 *
 * Per request: TTFT (first token less arrival), end-to-end latency (last
 * token less arrival), queueing delay (admission less arrival) and TPOT,
 * the request's mean inter-token latency ((last - first) / (output - 1),
 * as vLLM's benchmark_serving.py computes it). ITL is per token: each
 * decode token waited for its whole iteration, so the token-level
 * distribution is the iterations' durations, each counted once per decode
 * token it produced (vLLM's benchmark reports the same, from the gaps
 * between streamed tokens). Percentiles: gsl_stats_quantile_from_sorted_data
 * (linear interpolation between order statistics).
 *
 * Goodput (Zhong et al. 2024, "DistServe", OSDI, Sec. 2.2): requests per
 * second that meet every SLO, each request judged by its own TTFT, TPOT
 * (for an ITL objective too), end-to-end latency and queueing delay.
 */
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/serve.h"
#include "core/number.h"

static const char *const slo_names[] = {"ttft", "itl", "tpot", "e2e", "queue"};

int roof_slo_parse(const char *text, roof_slo *slo, roof_error *err)
{
    memset(slo, 0, sizeof *slo);
    snprintf(slo->text, sizeof slo->text, "%s", text);
    const char *us = strchr(text, '_');
    const char *le = strstr(text, "<=");
    if (!us || !le || le < us)
        return roof_error_set(err, ROOF_ERR_USAGE, "--slo",
                              "'%.60s' is not METRIC_PCT<=SECONDS (for example ttft_p90<=1 or itl_p99<=0.05)", text);
    size_t ml = (size_t)(us - text);
    slo->metric = -1;
    for (int i = 0; i < 5; i++)
        if (strlen(slo_names[i]) == ml && strncmp(text, slo_names[i], ml) == 0)
            slo->metric = i;
    if (slo->metric < 0)
        return roof_error_set(err, ROOF_ERR_USAGE, "--slo",
                              "unknown metric '%.*s' in '%.60s' (expected ttft, itl, tpot, e2e or queue)", (int)ml,
                              text, text);
    size_t pl = (size_t)(le - us - 1);
    const char *pct = us + 1;
    if (pl == 4 && strncmp(pct, "mean", 4) == 0)
        slo->quantile = -1.0;
    else if (pl == 3 && strncmp(pct, "p50", 3) == 0)
        slo->quantile = 0.5;
    else if (pl == 3 && strncmp(pct, "p90", 3) == 0)
        slo->quantile = 0.9;
    else if (pl == 3 && strncmp(pct, "p99", 3) == 0)
        slo->quantile = 0.99;
    else
        return roof_error_set(err, ROOF_ERR_USAGE, "--slo",
                              "unknown statistic '%.*s' in '%.60s' (expected p50, p90, p99 or mean)", (int)pl, pct,
                              text);
    double v;
    roof_error e2;
    if (roof_parse_double(le + 2, &v, &e2) != ROOF_OK || !isfinite(v) || v <= 0.0)
        return roof_error_set(err, ROOF_ERR_USAGE, "--slo", "the limit in '%.60s' must be a positive number of seconds",
                              text);
    slo->limit_s = v;
    return ROOF_OK;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void dist_of(double *x, size_t n, roof_serve_dist *d)
{
    static const double qs[ROOF_SERVE_NQ] = {0.5, 0.9, 0.99};
    if (n == 0) {
        d->mean = 0.0;
        for (int i = 0; i < ROOF_SERVE_NQ; i++)
            d->q[i] = 0.0;
        return;
    }
    d->mean = gsl_stats_mean(x, 1, n);
    qsort(x, n, sizeof *x, by_value);
    for (int i = 0; i < ROOF_SERVE_NQ; i++)
        d->q[i] = gsl_stats_quantile_from_sorted_data(x, 1, n, qs[i]);
}

static int by_dur(const void *a, const void *b)
{
    double x = ((const roof_iter_log *)a)->dur_s, y = ((const roof_iter_log *)b)->dur_s;
    return (x > y) - (x < y);
}

/* Element j of the sample where iteration i's duration appears
 * it[i].decodes times, it sorted by duration. */
static double order_stat(const roof_iter_log *it, int64_t n, int64_t j)
{
    int64_t seen = 0;
    for (int64_t i = 0; i < n; i++) {
        seen += it[i].decodes;
        if (j < seen)
            return it[i].dur_s;
    }
    return n > 0 ? it[n - 1].dur_s : 0.0;
}

static const roof_serve_dist *slo_dist(const roof_serve_stats *st, int metric)
{
    switch (metric) {
    case ROOF_SLO_TTFT:
        return &st->ttft;
    case ROOF_SLO_ITL:
        return &st->itl;
    case ROOF_SLO_TPOT:
        return &st->tpot;
    case ROOF_SLO_E2E:
        return &st->e2e;
    default:
        return &st->queue;
    }
}

static double dist_value(const roof_serve_dist *d, double quantile)
{
    if (quantile < 0.0)
        return d->mean;
    return quantile == 0.5 ? d->q[ROOF_SERVE_Q50] : quantile == 0.9 ? d->q[ROOF_SERVE_Q90] : d->q[ROOF_SERVE_Q99];
}

void roof_serve_token_cost(const roof_serve_capacity *cap, double gpus, double tokens_per_s, double *usd_per_mtok,
                           double *joules_per_token)
{
    /* The GPUs' price and board power over the run, per output token (the
     * same convention as estimate's usd_per_mtok and joules_per_token). */
    *usd_per_mtok = cap->usd_per_hour * gpus / 3600.0 / tokens_per_s * 1e6;
    *joules_per_token = cap->watts * gpus / tokens_per_s;
}

/* Throughput, cost and the SLOs' verdicts, shared with the analytic mode. */
static int finish(const roof_serve_capacity *cap, const roof_slo *slos, int nslo, roof_serve_stats *st, roof_error *err)
{
    double T = st->duration_s, gpus = (double)cap->gpus;
    if (!st->analytic) { /* the analytic mode gives the rates themselves */
        st->req_per_s = (double)st->requests / T;
        st->tokens_per_s = (double)st->output_tokens / T;
        st->input_tokens_per_s = (double)st->prompt_tokens / T;
    }
    st->tokens_per_s_per_gpu = st->tokens_per_s / gpus;
    st->goodput_req_per_s = st->slo_attained * st->req_per_s;
    roof_serve_token_cost(cap, gpus, st->tokens_per_s, &st->usd_per_mtok, &st->joules_per_token);
    st->nslo = nslo;
    for (int k = 0; k < nslo; k++) {
        st->slo_value[k] = dist_value(slo_dist(st, slos[k].metric), slos[k].quantile);
        st->slo_met[k] = st->slo_value[k] <= slos[k].limit_s;
    }
    const double check[] = {st->req_per_s,        st->tokens_per_s, st->goodput_req_per_s, st->usd_per_mtok,
                            st->joules_per_token, st->ttft.mean,    st->e2e.mean,          st->itl.mean,
                            st->mean_in_system,   st->kv_occupancy};
    for (size_t i = 0; i < sizeof check / sizeof check[0]; i++)
        if (!isfinite(check[i]))
            return roof_error_set(err, ROOF_ERR_RUNTIME, "serve",
                                  "a statistic of the run is not finite (duration %g s): check the hardware profile",
                                  T);
    return ROOF_OK;
}

static int meets(const roof_slo *slos, int nslo, double ttft, double tpot, double e2e, double queue)
{
    for (int k = 0; k < nslo; k++) {
        const double v[] = {ttft, tpot, tpot, e2e, queue};
        if (!(v[slos[k].metric] <= slos[k].limit_s))
            return 0;
    }
    return 1;
}

int roof_serve_stats_of(const roof_serve_sim *sim, const roof_serve_capacity *cap, const roof_slo *slos, int nslo,
                        roof_serve_stats *st, roof_error *err)
{
    memset(st, 0, sizeof *st);
    size_t n = (size_t)sim->n;
    int64_t decode_tokens = 0;
    for (int64_t i = 0; i < sim->niters; i++)
        decode_tokens += sim->iters[i].decodes;
    double *a = malloc(4 * n * sizeof *a);
    roof_iter_log *it = malloc((size_t)(sim->niters > 0 ? sim->niters : 1) * sizeof *it);
    if (!a || !it) {
        free(a);
        free(it);
        return roof_error_set(err, ROOF_ERR_RUNTIME, "serve", "out of memory for the statistics");
    }
    double *ttft = a, *e2e = a + n, *queue = a + 2 * n, *tpot = a + 3 * n;
    size_t ntpot = 0, good = 0;
    for (size_t i = 0; i < n; i++) {
        const roof_request *r = &sim->req[i];
        const roof_request_log *l = &sim->log[i];
        /* The engine's per-request work (runtime.request_overhead). */
        ttft[i] = l->first_s - r->arrival_s + cap->request_s;
        e2e[i] = l->done_s - r->arrival_s + cap->request_s;
        queue[i] = l->admit_s - r->arrival_s;
        double tp = 0.0;
        if (r->output > 1)
            tpot[ntpot++] = tp = (l->done_s - l->first_s) / (double)(r->output - 1);
        good += (size_t)meets(slos, nslo, ttft[i], tp, e2e[i], queue[i]);
        st->output_tokens += r->output;
        st->prompt_tokens += r->prompt;
    }
    st->requests = sim->n;
    st->slo_attained = n ? (double)good / (double)n : 0.0;
    /* The token-level ITL: the iterations sorted by duration, each
     * repeated once per decode token, are the sorted sample x[0..k). It is
     * not written out (10,000 requests of 256 tokens would be 2.5 million
     * values): order statistic j is the duration of the first iteration
     * whose cumulative count passes j, and each quantile interpolates x[j]
     * and x[j + 1] as gsl_stats_quantile_from_sorted_data does (index
     * f (k - 1), GSL's statistics/quantiles_source.c), by calling it on
     * those two values with the fraction delta. */
    if (sim->niters > 0)
        memcpy(it, sim->iters, (size_t)sim->niters * sizeof *it);
    qsort(it, (size_t)sim->niters, sizeof *it, by_dur);
    double wsum = 0.0;
    for (int64_t i = 0; i < sim->niters; i++)
        wsum += it[i].dur_s * (double)it[i].decodes;
    if (decode_tokens > 0) {
        st->itl.mean = wsum / (double)decode_tokens;
        static const double qs[ROOF_SERVE_NQ] = {0.5, 0.9, 0.99};
        for (int i = 0; i < ROOF_SERVE_NQ; i++) {
            double index = qs[i] * (double)(decode_tokens - 1);
            int64_t lhs = (int64_t)floor(index);
            double pair[2] = {order_stat(it, sim->niters, lhs), order_stat(it, sim->niters, lhs + 1)};
            st->itl.q[i] = lhs + 1 < decode_tokens
                               ? gsl_stats_quantile_from_sorted_data(pair, 1, 2, index - (double)lhs)
                               : pair[0];
        }
    }
    dist_of(ttft, n, &st->ttft);
    dist_of(e2e, n, &st->e2e);
    dist_of(queue, n, &st->queue);
    dist_of(tpot, ntpot, &st->tpot);
    free(a);
    free(it);

    st->duration_s = sim->end_s - sim->start_s;
    st->mean_in_system = sim->busy_area / st->duration_s;
    st->kv_occupancy = sim->kv_area / ((double)sim->kv_pages * st->duration_s);
    st->kv_peak = (double)sim->kv_pages_peak / (double)sim->kv_pages;
    st->max_running = sim->max_running;
    return finish(cap, slos, nslo, st, err);
}

int roof_serve_stats_finish(const roof_serve_capacity *cap, const roof_slo *slos, int nslo, roof_serve_stats *st,
                            roof_error *err)
{
    return finish(cap, slos, nslo, st, err);
}

int roof_serve_simulate(roof_serve_cost *cost, const roof_serve_cfg *c, const roof_slo *slos, int nslo,
                        roof_serve_progress_fn progress, void *pctx, roof_serve_stats *st, roof_error *err)
{
    roof_serve_sim sim;
    memset(&sim, 0, sizeof sim);
    roof_request *reqs = NULL;
    int64_t n = 0;
    int rc = roof_serve_requests(&c->traffic, &reqs, &n, err);
    if (rc == ROOF_OK)
        rc = roof_serve_run(cost, c, reqs, n, progress, pctx, &sim, err); /* takes reqs over */
    else
        free(reqs);
    if (rc == ROOF_OK)
        rc = roof_serve_stats_of(&sim, roof_serve_cost_capacity(cost), slos, nslo, st, err);
    roof_serve_sim_free(&sim);
    return rc;
}
