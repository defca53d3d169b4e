/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Uncertainty: Monte Carlo over uniform ranges of the inputs, and the
 * percentiles of the metrics. Seeded, so that a run can be repeated. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/analysis.h"
#include "analysis/interval.h"

int roof_uncertainty(const roof_scenario *s0, const roof_spread *sp, size_t nsp, const roof_metric *const *m, size_t nm,
                     size_t samples, unsigned long seed, const roof_errm *em, double *q, size_t *failed,
                     roof_error *err)
{
    /* 1e7 draws take about half a minute and 80 MB per metric; 1e8 took
     * minutes and gigabytes, for percentiles no better than 1e6 give. */
    if (samples < 1 || samples > ROOF_UNCERTAINTY_MAX_SAMPLES)
        return roof_error_set(err, ROOF_ERR_USAGE, "--samples", "must be in 1..%d (got %zu)",
                              ROOF_UNCERTAINTY_MAX_SAMPLES, samples);
    /* MT19937 is seeded with 32 bits (gsl_rng_set keeps seed & 0xffffffff):
     * a larger seed would silently repeat a smaller one's draws. */
    if (seed > 0xffffffffUL)
        return roof_error_set(err, ROOF_ERR_USAGE, "--seed", "must be at most 4294967295 = 2^32-1 (got %lu)", seed);
    roof_scenario *s = malloc(sizeof *s);
    roof_result *r = malloc(sizeof *r);
    double *v = malloc(nm * samples * sizeof *v + 1);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = ROOF_OK, phases = 0;
    if (!s || !r || !v || !rng) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "uncertainty", "out of memory");
        goto out;
    }
    gsl_rng_set(rng, seed);
    for (size_t j = 0; j < nm; j++)
        phases |= m[j]->phases;
    size_t ok = 0;
    *failed = 0;
    const char *gen = roof_hw_generation(s0->hw.name);
    double z[ROOF_REGIME_OPS], scale[ROOF_REGIME_OPS];
    for (size_t i = 0; i < samples; i++) {
        *s = *s0;
        /* Every draw takes one number per spread, in order, so that a
         * failed draw does not shift the stream of the next. */
        for (size_t k = 0; k < nsp; k++)
            roof_knob_put(&sp[k].knob, s, sp[k].low + (sp[k].high - sp[k].low) * gsl_rng_uniform(rng));
        if (em) {
            /* The model's error, after the inputs: a GPU slow on one op of
             * a regime is slow on all of them (analysis/interval.h). */
            for (int k = 0; k < ROOF_REGIME_OPS; k++)
                z[k] = gsl_ran_ugaussian(rng);
            roof_interval_scales(em, gen, z, scale);
            s->op_scale = scale;
        }
        roof_error e;
        if (roof_evaluate_phases(s, phases, r, &e) != ROOF_OK) {
            /* A draw whose plan does not fit is counted; a result the model
             * cannot report (an infinite time) ends the run. */
            if (roof_result_error(&e)) {
                *err = e;
                rc = e.code;
                goto out;
            }
            (*failed)++;
            continue;
        }
        for (size_t j = 0; j < nm; j++)
            v[j * samples + ok] = m[j]->get(r);
        ok++;
    }
    if (ok == 0) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "uncertainty", "none of the %zu draws evaluated", samples);
        goto out;
    }
    static const double levels[3] = {0.05, 0.50, 0.95};
    for (size_t j = 0; j < nm; j++) {
        double *col = v + j * samples;
        gsl_sort(col, 1, ok);
        for (int l = 0; l < 3; l++)
            q[j * 3 + (size_t)l] = gsl_stats_quantile_from_sorted_data(col, 1, ok, levels[l]);
    }
out:
    gsl_rng_free(rng);
    free(s);
    free(r);
    free(v);
    return rc;
}
