/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "analysis/serve_interval.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/interval.h"

/* One draw: the deployment with its ops scaled, served. */
static int serve_once(const roof_scenario *s, const roof_serve_cfg *c, const roof_slo *slos, int nslo, int analytic,
                      roof_serve_stats *st, roof_error *err)
{
    roof_serve_cost *cost = NULL;
    roof_serve_sim sim = {0};
    int rc = roof_serve_cost_new(s, &c->engine, &cost, err);
    if (rc == ROOF_OK && analytic) {
        rc = roof_serve_analytic(cost, c, slos, nslo, st, err);
    } else if (rc == ROOF_OK) {
        roof_request *reqs = NULL;
        int64_t n = 0;
        rc = roof_serve_requests(&c->traffic, &reqs, &n, err);
        if (rc == ROOF_OK)
            rc = roof_serve_run(cost, c, reqs, n, NULL, NULL, &sim, err);
        if (rc == ROOF_OK)
            rc = roof_serve_stats_of(&sim, roof_serve_cost_capacity(cost), slos, nslo, st, err);
    }
    roof_serve_sim_free(&sim);
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

int roof_serve_interval(const roof_scenario *s0, const roof_serve_cfg *c, const roof_slo *slos, int nslo, int analytic,
                        const roof_errm *em, const roof_serve_stat_get *get, size_t nm, roof_serve_iv_progress progress,
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
            v[j * N + i] = get[j](st);
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
        gsl_sort(col, 1, N);
        lo[j] = quantile(col, N, ROOF_INTERVAL_LO);
        hi[j] = quantile(col, N, ROOF_INTERVAL_HI);
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
