/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "analysis/interval.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

void roof_interval_scales(const roof_errm *em, const char *generation, const double *z, double *scale)
{
    for (int r = 0; r < ROOF_REGIME_OPS; r++) {
        const roof_errm_row *row = roof_errm_find(em, r, generation);
        scale[r] = row ? exp(row->mean_log + row->scale * row->sd_log * z[r]) : 1.0;
    }
}

int roof_interval(const roof_scenario *s0, const roof_errm *em, const roof_metric *const *m, size_t nm, double *lo,
                  double *hi, roof_error *err)
{
    const double p[2] = {ROOF_INTERVAL_LO, ROOF_INTERVAL_HI};
    double *q = malloc(2 * nm * sizeof *q + 1);
    if (!q)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "interval", "out of memory");
    int rc = roof_interval_quantiles(s0, em, m, nm, p, 2, q, err);
    for (size_t j = 0; rc == ROOF_OK && j < nm; j++) {
        lo[j] = q[2 * j];
        hi[j] = q[2 * j + 1];
    }
    free(q);
    return rc;
}

int roof_interval_normals(size_t n, double *z, roof_error *err)
{
    size_t *perm = malloc(ROOF_REGIME_OPS * n * sizeof *perm + 1);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!perm || !rng) {
        free(perm);
        if (rng)
            gsl_rng_free(rng);
        return roof_error_set(err, ROOF_ERR_RUNTIME, "interval", "out of memory");
    }
    gsl_rng_set(rng, ROOF_INTERVAL_SEED);
    /* Latin hypercube (McKay, Beckman and Conover 1979): draw i of regime
     * k takes the stratum perm[k][i] of n equal-probability strata, at a
     * uniform point inside it; independent permutations keep the regimes
     * uncorrelated. */
    for (int k = 0; k < ROOF_REGIME_OPS; k++) {
        size_t *pk = perm + (size_t)k * n;
        for (size_t i = 0; i < n; i++)
            pk[i] = i;
        gsl_ran_shuffle(rng, pk, n, sizeof pk[0]);
    }
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < ROOF_REGIME_OPS; k++)
            z[i * ROOF_REGIME_OPS + (size_t)k] =
                gsl_cdf_ugaussian_Pinv(((double)perm[(size_t)k * n + i] + gsl_rng_uniform_pos(rng)) / (double)n);
    gsl_rng_free(rng);
    free(perm);
    return ROOF_OK;
}

int roof_interval_quantiles(const roof_scenario *s0, const roof_errm *em, const roof_metric *const *m, size_t nm,
                            const double *p, size_t np, double *q, roof_error *err)
{
    enum { N = ROOF_INTERVAL_DRAWS };
    roof_scenario *s = malloc(sizeof *s);
    roof_result *r = malloc(sizeof *r);
    double *v = malloc(nm * N * sizeof *v + 1);
    double *zs = malloc((size_t)N * ROOF_REGIME_OPS * sizeof *zs);
    int rc = ROOF_OK, phases = 0;
    if (!s || !r || !v || !zs) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "interval", "out of memory");
        goto out;
    }
    if ((rc = roof_interval_normals(N, zs, err)) != ROOF_OK)
        goto out;
    for (size_t j = 0; j < nm; j++)
        phases |= m[j]->phases;
    const char *gen = roof_hw_generation(s0->hw.name);
    double scale[ROOF_REGIME_OPS];
    for (size_t i = 0; i < N; i++) {
        roof_interval_scales(em, gen, zs + i * ROOF_REGIME_OPS, scale);
        *s = *s0;
        s->op_scale = scale;
        if ((rc = roof_evaluate_phases(s, phases, r, err)) != ROOF_OK)
            goto out;
        for (size_t j = 0; j < nm; j++)
            v[j * N + i] = m[j]->get(r);
    }
    for (size_t j = 0; j < nm; j++) {
        double *col = v + j * N;
        if (isnan(col[0])) {
            for (size_t k = 0; k < np; k++)
                q[j * np + k] = NAN;
            continue;
        }
        gsl_sort(col, 1, N);
        for (size_t k = 0; k < np; k++)
            q[j * np + k] = gsl_stats_quantile_from_sorted_data(col, 1, N, p[k]);
    }
out:
    free(zs);
    free(s);
    free(r);
    free(v);
    return rc;
}
