/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sweep: a mixed-radix counter over the value lists, the last
 * parameter fastest, one evaluation per point into one reused result. */
#include <stdlib.h>

#include "analysis/analysis.h"

int roof_sweep(const roof_scenario *base, const roof_vary *v, size_t nv, roof_sweep_fn fn, void *ctx, roof_error *err)
{
    size_t points;
    int rc = roof_vary_points(v, nv, "--vary", &points, err);
    if (rc != ROOF_OK)
        return rc;
    roof_scenario *s = malloc(sizeof *s);
    roof_result *r = malloc(sizeof *r);
    size_t *idx = calloc(nv ? nv : 1, sizeof *idx);
    double *values = calloc(nv ? nv : 1, sizeof *values);
    if (!s || !r || !idx || !values) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "sweep", "out of memory");
        goto out;
    }
    for (size_t p = 0; p < points; p++) {
        *s = *base;
        for (size_t i = 0; i < nv; i++) {
            values[i] = v[i].values[idx[i]];
            roof_knob_put(&v[i].knob, s, values[i]);
        }
        roof_error perr;
        int st = roof_evaluate(s, r, &perr);
        /* A point whose plan does not fit is a row with its error; a result
         * the model cannot report (an infinite time) ends the sweep. */
        if (st != ROOF_OK && roof_result_error(&perr)) {
            *err = perr;
            rc = perr.code;
            goto out;
        }
        if ((rc = fn(ctx, values, r, st, &perr)) != ROOF_OK)
            goto out;
        for (size_t i = nv; i-- > 0;) {
            if (++idx[i] < v[i].n)
                break;
            idx[i] = 0;
        }
    }
    rc = ROOF_OK;
out:
    free(s);
    free(r);
    free(idx);
    free(values);
    return rc;
}
