/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sensitivity: elasticities by numerical differentiation, and the swing of
 * the metric for a +-pct change of each parameter (tornado data). */
#include <gsl/gsl_deriv.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/analysis.h"

typedef struct {
    roof_scenario *s;
    roof_result *r;
    const roof_knob *knob;
    const roof_metric *m;
    int failed;
    int rc;         /* a result the model cannot report: the run stops */
    roof_error err; /* its error */
    roof_error why; /* the first point of this row that did not evaluate */
    const char *at; /* which point metric_at is asked for ("-10%"), for why */
} sens_ctx;

/* M with the knob at v; NaN when the point does not evaluate. */
static double metric_at(sens_ctx *c, double v)
{
    double saved = roof_knob_get(c->knob, c->s);
    roof_knob_put(c->knob, c->s, v);
    roof_error e;
    int rc = roof_evaluate_phases(c->s, c->m->phases, c->r, &e);
    roof_knob_put(c->knob, c->s, saved);
    if (rc != ROOF_OK && roof_result_error(&e) && c->rc == ROOF_OK) {
        c->rc = rc;
        c->err = e;
    }
    /* A plan that the perturbed value breaks (tp no longer divides the
     * heads, a batch of 0): the row says why instead of an empty cell. */
    if (rc != ROOF_OK && c->at && !c->why.msg[0])
        snprintf(c->why.msg, sizeof c->why.msg, "p %.32s: %.120s%s%.300s", c->at, e.where, e.where[0] ? ": " : "",
                 e.msg);
    return rc == ROOF_OK ? c->m->get(c->r) : NAN;
}

/* ln M as a function of x = ln p: its slope is the elasticity. */
static double ln_metric(double x, void *params)
{
    sens_ctx *c = params;
    double m = metric_at(c, exp(x));
    if (!(m > 0.0)) {
        c->failed = 1;
        return 0.0;
    }
    return log(m);
}

static int by_rank(const void *a, const void *b)
{
    const roof_sens_row *x = a, *y = b;
    if (x->has_elasticity != y->has_elasticity)
        return y->has_elasticity - x->has_elasticity;
    double kx = x->has_elasticity ? fabs(x->elasticity) : x->swing;
    double ky = y->has_elasticity ? fabs(y->elasticity) : y->swing;
    if (isnan(kx) != isnan(ky))
        return isnan(kx) - isnan(ky);
    if (kx != ky)
        return kx < ky ? 1 : -1;
    /* Ties (zeros, mostly) keep the registry's order. */
    if (x->knob.table != y->knob.table)
        return x->knob.table < y->knob.table ? -1 : 1;
    return (x->knob.param > y->knob.param) - (x->knob.param < y->knob.param);
}

int roof_sensitivity(const roof_scenario *s0, const roof_metric *m, double pct, roof_sens_row *rows, size_t max,
                     size_t *n, roof_error *err)
{
    *n = 0;
    if (!(pct > 0.0 && pct < 100.0))
        return roof_error_set(err, ROOF_ERR_USAGE, "--percent", "must be in (0, 100) (got %g)", pct);
    roof_scenario *s = malloc(sizeof *s);
    roof_result *r = malloc(sizeof *r);
    int rc = ROOF_OK;
    if (!s || !r) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "sensitivity", "out of memory");
        goto out;
    }
    *s = *s0;
    if ((rc = roof_evaluate_phases(s, m->phases, r, err)) != ROOF_OK)
        goto out;
    double m0 = m->get(r);
    if (!(m0 > 0.0)) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "sensitivity", "'%s' is %g: elasticities need a positive metric",
                            m->name, m0);
        goto out;
    }
    const roof_param_table *tables[ROOF_SCENARIO_TABLES];
    void *bases[ROOF_SCENARIO_TABLES];
    roof_scenario_tables(s, tables, bases);
    for (size_t t = 0; t < ROOF_SCENARIO_TABLES; t++) {
        for (size_t i = 0; i < tables[t]->count; i++) {
            const roof_param *p = &tables[t]->params[i];
            if (!(p->flags & ROOF_PARAM_CONTINUOUS) || roof_param_get(p, bases[t]) == 0.0)
                continue;
            if (*n == max) {
                rc = roof_error_set(err, ROOF_ERR_RUNTIME, "sensitivity", "more than %zu parameters", max);
                goto out;
            }
            roof_sens_row *row = &rows[(*n)++];
            row->knob = (roof_knob){p, t};
            row->value = roof_param_get(p, bases[t]);
            row->metric = m0;
            sens_ctx c = {s, r, &row->knob, m, 0, ROOF_OK, {0}, {0}, NULL};
            row->has_elasticity = p->kind == ROOF_PARAM_DOUBLE;
            row->elasticity = row->abserr = NAN;
            if (row->has_elasticity) {
                /* A step of 1e-4 in ln p: small next to the regime changes
                 * of the roofline, large next to rounding in M. At an end
                 * of the parameter's range (an efficiency of 1) the
                 * difference is one-sided, so that no point leaves it. */
                gsl_function F = {ln_metric, &c};
                double d, e, x = log(row->value), h = 1e-4;
                int st;
                if (roof_param_clamp(p, exp(x + h)) < exp(x + h))
                    st = gsl_deriv_backward(&F, x, h, &d, &e);
                else if (roof_param_clamp(p, exp(x - h)) > exp(x - h))
                    st = gsl_deriv_forward(&F, x, h, &d, &e);
                else
                    st = gsl_deriv_central(&F, x, h, &d, &e);
                if (st == GSL_SUCCESS && !c.failed) {
                    row->elasticity = d;
                    row->abserr = e;
                }
            }
            double lo = row->value * (1.0 - pct / 100.0), hi = row->value * (1.0 + pct / 100.0);
            if (p->kind != ROOF_PARAM_DOUBLE) {
                lo = round(lo);
                hi = round(hi);
            }
            /* The swing stays inside the parameter's range (roof_param_clamp):
             * an efficiency of 0.95 + 10% is 1, not 1.045, which no
             * profile or --set may hold. The row says it was clamped. */
            row->low_value = roof_param_clamp(p, lo);
            row->high_value = roof_param_clamp(p, hi);
            row->low_clamped = row->low_value != lo;
            row->high_clamped = row->high_value != hi;
            char at_low[32], at_high[32];
            snprintf(at_low, sizeof at_low, "-%g%%", pct);
            snprintf(at_high, sizeof at_high, "+%g%%", pct);
            c.at = at_low;
            row->metric_low = metric_at(&c, row->low_value);
            c.at = at_high;
            row->metric_high = metric_at(&c, row->high_value);
            row->swing = fabs(row->metric_high - row->metric_low);
            snprintf(row->why, sizeof row->why, "%s", c.why.msg);
            /* NaN compares unequal: a failed point counts as moving. */
            row->moves = row->why[0] || row->swing != 0.0 || (row->has_elasticity && row->elasticity != 0.0);
            if (c.rc != ROOF_OK) {
                *err = c.err;
                rc = c.rc;
                goto out;
            }
        }
    }
    qsort(rows, *n, sizeof *rows, by_rank);
out:
    free(s);
    free(r);
    return rc;
}
