/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "analysis/serve_interval.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/interval.h"

double roof_serve_stat_value(const roof_serve_stats *st, roof_serve_stat stat)
{
    double v;
    memcpy(&v, (const char *)st + stat, sizeof v);
    return v;
}

/* One draw: the deployment with its ops scaled, served. */
static int serve_once(const roof_scenario *s, const roof_serve_cfg *c, const roof_slo *slos, int nslo, int analytic,
                      roof_serve_stats *st, roof_error *err)
{
    roof_serve_cost *cost = NULL;
    int rc = roof_serve_cost_new(s, &c->engine, &cost, err);
    if (rc == ROOF_OK)
        rc = analytic ? roof_serve_analytic(cost, c, slos, nslo, st, err)
                      : roof_serve_simulate(cost, c, slos, nslo, NULL, NULL, st, err);
    roof_serve_cost_free(cost);
    return rc;
}

/* A saturated steady state: latencies without bound, rates undefined. */
static void saturate(roof_serve_stats *st)
{
    roof_serve_dist *d[] = {&st->ttft, &st->itl, &st->tpot, &st->e2e, &st->queue};
    for (size_t k = 0; k < sizeof d / sizeof d[0]; k++) {
        d[k]->mean = INFINITY;
        for (int q = 0; q < ROOF_SERVE_NQ; q++)
            d[k]->q[q] = INFINITY;
    }
    st->req_per_s = st->tokens_per_s = st->tokens_per_s_per_gpu = st->input_tokens_per_s = NAN;
    st->goodput_req_per_s = st->usd_per_mtok = st->joules_per_token = NAN;
}

/* The p quantile of sorted[0..n) (gsl's interpolation), INFINITY where
 * it would interpolate towards an infinite value. */
static double quantile(const double *sorted, size_t n, double p)
{
    double at = p * (double)(n - 1);
    size_t above = (size_t)ceil(at);
    if (above >= n)
        above = n - 1;
    if (isinf(sorted[above]))
        return INFINITY;
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, p);
}

/* The stated interval of the n draws in col (sorted in place). */
static void interval_of(double *col, size_t n, double *lo, double *hi)
{
    gsl_sort(col, 1, n);
    *lo = quantile(col, n, ROOF_INTERVAL_LO);
    *hi = quantile(col, n, ROOF_INTERVAL_HI);
}

int roof_serve_interval(const roof_scenario *s0, const roof_serve_cfg *c, const roof_slo *slos, int nslo, int analytic,
                        const roof_errm *em, const roof_serve_stat *stat, size_t nm, roof_serve_iv_progress progress,
                        void *progress_ctx, double *lo, double *hi, int *saturated, int *failed, roof_error *why,
                        roof_error *err)
{
    enum { N = ROOF_SERVE_IV_DRAWS };
    *failed = *saturated = 0;
    for (size_t j = 0; j < nm; j++)
        lo[j] = hi[j] = NAN;
    roof_scenario *s = malloc(sizeof *s);
    roof_serve_stats *st = malloc(sizeof *st);
    double *z = malloc((size_t)N * ROOF_REGIME_OPS * sizeof *z);
    double *v = malloc(nm * N * sizeof *v + 1);
    int rc = ROOF_OK;
    if (!s || !st || !z || !v) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "interval", "out of memory");
        goto out;
    }
    if ((rc = roof_interval_normals(N, z, err)) != ROOF_OK)
        goto out;
    const char *gen = roof_hw_generation(s0->hw.name);
    double scale[ROOF_REGIME_OPS];
    for (size_t i = 0; i < N; i++) {
        roof_interval_scales(em, gen, z + i * ROOF_REGIME_OPS, scale);
        *s = *s0;
        s->op_scale = scale;
        memset(st, 0, sizeof *st);
        if (serve_once(s, c, slos, nslo, analytic, st, why) != ROOF_OK) {
            if (!(analytic && st->saturated)) {
                *failed = 1;
                goto out;
            }
            ++*saturated;
            saturate(st);
        }
        for (size_t j = 0; j < nm; j++)
            v[j * N + i] = roof_serve_stat_value(st, stat[j]);
        if (progress)
            progress(progress_ctx, (int)i + 1, N);
    }
    for (size_t j = 0; j < nm; j++) {
        double *col = v + j * N;
        int defined = 1;
        for (size_t i = 0; i < N; i++)
            defined &= !isnan(col[i]);
        if (!defined)
            continue; /* no interval for a statistic some draw leaves undefined */
        interval_of(col, N, &lo[j], &hi[j]);
    }
out:
    if (*failed)
        for (size_t j = 0; j < nm; j++)
            lo[j] = hi[j] = NAN;
    free(s);
    free(st);
    free(z);
    free(v);
    return rc;
}

/* The frontier's plan of tp (serve_frontier.c's: tp x replicas). */
static void frontier_plan(roof_scenario *s, int64_t tp)
{
    s->parallel.tp = tp;
    s->parallel.pp = s->parallel.dp = s->parallel.cp = s->parallel.ep = 1;
    s->parallel.gpus = 0;
    s->parallel.etp = 0;
}

int roof_serve_frontier_interval(const roof_scenario *base, const roof_serve_cfg *c, const roof_frontier_point *pts,
                                 int n, const roof_errm *em, double *lo, double *hi, roof_error *err)
{
    enum { N = ROOF_SERVE_IV_DRAWS, K = ROOF_FRONTIER_IV_N };
    for (int i = 0; i < n * K; i++)
        lo[i] = hi[i] = NAN;
    roof_scenario *s = malloc(sizeof *s);
    double *z = malloc((size_t)N * ROOF_REGIME_OPS * sizeof *z);
    double *v = malloc((size_t)(n > 0 ? n : 1) * K * N * sizeof *v);
    int rc = ROOF_OK;
    if (!s || !z || !v) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "interval", "out of memory");
        goto out;
    }
    if ((rc = roof_interval_normals(N, z, err)) != ROOF_OK)
        goto out;
    const char *gen = roof_hw_generation(base->hw.name);
    double scale[ROOF_REGIME_OPS];
    roof_serve_cfg cc = *c;
    cc.traffic.arrival = ROOF_ARRIVAL_CONCURRENCY;
    for (size_t d = 0; d < N && rc == ROOF_OK; d++) {
        roof_interval_scales(em, gen, z + d * ROOF_REGIME_OPS, scale);
        /* One iteration cost per tp of a Pareto point, as the frontier
         * builds it; the points of that tp from it. */
        for (int i = 0; i < n && rc == ROOF_OK; i++) {
            int first = pts[i].pareto;
            for (int j = 0; j < i && first; j++)
                first = !(pts[j].pareto && pts[j].tp == pts[i].tp);
            if (!first)
                continue;
            *s = *base;
            frontier_plan(s, pts[i].tp);
            s->op_scale = scale;
            roof_serve_cost *cost;
            if ((rc = roof_serve_cost_new(s, &c->engine, &cost, err)) != ROOF_OK)
                break;
            for (int j = i; j < n && rc == ROOF_OK; j++) {
                if (!pts[j].pareto || pts[j].tp != pts[i].tp)
                    continue;
                cc.traffic.concurrency = pts[j].concurrency;
                roof_serve_stats st;
                if ((rc = roof_serve_analytic(cost, &cc, NULL, 0, &st, err)) != ROOF_OK)
                    break;
                double *row = v + (size_t)j * K * N;
                row[ROOF_FRONTIER_IV_USER * N + d] = 1.0 / st.tpot.mean;
                row[ROOF_FRONTIER_IV_GPU * N + d] = st.tokens_per_s / (double)roof_serve_cost_capacity(cost)->gpus;
                row[ROOF_FRONTIER_IV_TTFT * N + d] = st.ttft.mean;
                row[ROOF_FRONTIER_IV_TPOT * N + d] = st.tpot.mean;
                row[ROOF_FRONTIER_IV_USD * N + d] = st.usd_per_mtok;
            }
            roof_serve_cost_free(cost);
        }
    }
    for (int i = 0; i < n && rc == ROOF_OK; i++) {
        if (!pts[i].pareto)
            continue;
        for (int k = 0; k < K; k++) {
            double *col = v + ((size_t)i * K + (size_t)k) * N;
            interval_of(col, N, &lo[i * K + k], &hi[i * K + k]);
        }
    }
out:
    free(s);
    free(z);
    free(v);
    return rc;
}

int roof_serve_disagg_interval(const roof_scenario *s_p, const roof_scenario *s_d, const roof_scenario *s,
                               int64_t aggregated, const roof_serve_cfg *c, int64_t prefill, int64_t decode,
                               const roof_slo *slos, int nslo, const roof_errm *em, double *lo, double *hi,
                               int *unserved, roof_error *err)
{
    enum { N = ROOF_SERVE_IV_DRAWS, K = ROOF_DISAGG_IV_N };
    *unserved = 0;
    for (int k = 0; k < K; k++)
        lo[k] = hi[k] = NAN;
    roof_scenario *sc = malloc(3 * sizeof *sc);
    double *z = malloc((size_t)N * ROOF_REGIME_OPS * sizeof *z);
    double *v = malloc((size_t)K * N * sizeof *v);
    int rc = ROOF_OK;
    if (!sc || !z || !v) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "interval", "out of memory");
        goto out;
    }
    if ((rc = roof_interval_normals(N, z, err)) != ROOF_OK)
        goto out;
    const roof_scenario *base[3] = {s_p, s_d, s};
    double scale[3][ROOF_REGIME_OPS];
    for (size_t d = 0; d < N && rc == ROOF_OK; d++) {
        roof_serve_cost *cost[3] = {NULL, NULL, NULL};
        for (int k = 0; k < 3 && rc == ROOF_OK; k++) {
            roof_interval_scales(em, roof_hw_generation(base[k]->hw.name), z + d * ROOF_REGIME_OPS, scale[k]);
            sc[k] = *base[k];
            sc[k].op_scale = scale[k];
            rc = roof_serve_cost_new(&sc[k], &c->engine, &cost[k], err);
        }
        roof_disagg_result r;
        roof_error why;
        if (rc == ROOF_OK) {
            if (roof_serve_disagg_pools(cost[0], &sc[0], cost[1], &sc[1], cost[2], aggregated, c, prefill, decode, slos,
                                        nslo, &r, &why) == ROOF_OK) {
                const double got[K] = {
                    r.ttft_s, r.itl_s, r.e2e_s, r.aggregated.ttft.mean, r.aggregated.itl.mean, r.aggregated.e2e.mean};
                for (int k = 0; k < K; k++)
                    v[(size_t)k * N + d] = got[k];
            } else {
                ++*unserved; /* a pool saturated at this draw's speed */
                for (int k = 0; k < K; k++)
                    v[(size_t)k * N + d] = INFINITY;
            }
        }
        for (int k = 0; k < 3; k++)
            roof_serve_cost_free(cost[k]);
    }
    for (int k = 0; k < K && rc == ROOF_OK; k++) {
        double *col = v + (size_t)k * N;
        interval_of(col, N, &lo[k], &hi[k]);
    }
out:
    free(sc);
    free(z);
    free(v);
    return rc;
}
