/* Solve: the value of one parameter that makes a metric meet a target, by
 * Brent's method on g(x) = M(e^x) - target, x = ln p (a bandwidth or a
 * peak spans decades: the log keeps the bracket well scaled). */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/analysis.h"

#define SCAN_POINTS 65
#define MAX_ITER 200

typedef struct {
    roof_scenario *s;
    roof_result *r;
    const roof_knob *knob;
    const roof_target *t;
} solve_ctx;

static double metric_at(solve_ctx *c, double v)
{
    roof_knob_put(c->knob, c->s, v);
    roof_error e;
    if (roof_evaluate_phases(c->s, c->t->metric->phases, c->r, &e) != ROOF_OK)
        return NAN;
    return c->t->metric->get(c->r);
}

static double g(double x, void *params)
{
    solve_ctx *c = params;
    return metric_at(c, exp(x)) - c->t->value;
}

/* How far v is from meeting the target (0 when it does). */
static double miss(const roof_target *t, double v)
{
    if (isnan(v))
        return INFINITY;
    return t->at_most ? fmax(v - t->value, 0.0) : fmax(t->value - v, 0.0);
}

static int meets(const roof_target *t, double v)
{
    return !isnan(v) && (t->at_most ? v <= t->value : v >= t->value);
}

int roof_solve(const roof_scenario *s0, const roof_target *t, const roof_knob *knob, double lo, double hi,
               roof_solve_result *out, roof_error *err)
{
    if (!(lo > 0.0) || !(hi > lo))
        return roof_error_set(err, ROOF_ERR_USAGE, "--range", "expected 0 < A < B (got %g:%g)", lo, hi);
    roof_scenario *s = malloc(sizeof *s);
    roof_result *r = malloc(sizeof *r);
    gsl_root_fsolver *sv = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    int rc = ROOF_OK;
    if (!s || !r || !sv) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "solve", "out of memory");
        goto out;
    }
    *s = *s0;
    solve_ctx c = {s, r, knob, t};
    *out = (roof_solve_result){0, NAN, NAN, NAN, NAN, 0};
    /* Scan log-spaced points: for the best value when the target is out of
     * reach, and for a bracket with a sign change (the first one). */
    double a = log(lo), b = log(hi), best_miss = INFINITY, xl = NAN, xh = NAN;
    double prev_x = NAN, prev_g = NAN;
    for (int i = 0; i < SCAN_POINTS; i++) {
        double x = a + (b - a) * i / (SCAN_POINTS - 1);
        double v = metric_at(&c, exp(x));
        double d = miss(t, v);
        if (d < best_miss) {
            best_miss = d;
            out->best_value = exp(x);
            out->best_metric = v;
        }
        double gx = v - t->value;
        if (isnan(xl) && !isnan(prev_g) && !isnan(gx) && (gx == 0.0 || (prev_g < 0.0) != (gx < 0.0))) {
            xl = prev_x;
            xh = x;
        }
        prev_x = x;
        prev_g = gx;
    }
    if (isnan(xl))
        goto out; /* not reachable: best_* say how close */
    gsl_function F = {g, &c};
    int st = gsl_root_fsolver_set(sv, &F, xl, xh);
    double root = xh;
    for (int it = 0; st == GSL_SUCCESS && it < MAX_ITER; it++) {
        out->iterations = it + 1;
        if ((st = gsl_root_fsolver_iterate(sv)) != GSL_SUCCESS)
            break;
        root = gsl_root_fsolver_root(sv);
        st = gsl_root_test_interval(gsl_root_fsolver_x_lower(sv), gsl_root_fsolver_x_upper(sv), 0.0, 1e-13);
        if (st == GSL_SUCCESS)
            break;
        if (st != GSL_CONTINUE)
            break;
        st = GSL_SUCCESS;
    }
    if (st != GSL_SUCCESS) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "solve", "root finding failed: %s", gsl_strerror(st));
        goto out;
    }
    double v = exp(root);
    if (knob->param->kind != ROOF_PARAM_DOUBLE) {
        /* The whole number next to the root that meets the target. */
        double f = floor(v), cl = ceil(v);
        v = f >= 1.0 && meets(t, metric_at(&c, f)) ? f : cl;
    } else if (!meets(t, metric_at(&c, v))) {
        /* The root may sit a rounding error on the wrong side: take the
         * bracket's end that meets the target. */
        double l = exp(gsl_root_fsolver_x_lower(sv)), u = exp(gsl_root_fsolver_x_upper(sv));
        v = meets(t, metric_at(&c, l)) ? l : u;
    }
    out->value = v;
    out->metric = metric_at(&c, v);
    out->reached = meets(t, out->metric) || fabs(out->metric - t->value) <= 1e-12 * fabs(t->value);
    if (!out->reached) {
        out->best_value = v;
        out->best_metric = out->metric;
    }
out:
    gsl_root_fsolver_free(sv);
    free(s);
    free(r);
    return rc;
}
