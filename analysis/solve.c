/* SPDX-License-Identifier: GPL-3.0-or-later */
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
    int rc;         /* a result the model cannot report: the solve stops */
    roof_error err; /* its error */
    roof_solve_result *out;
    int last_unfit; /* the last value evaluated gave a valid plan that does not fit */
} solve_ctx;

static int meets(const roof_target *t, double v);

/* The metric at v, or NaN where the plan is invalid or does not fit in
 * memory at its peak (roof_memory): such a value is never an answer. The
 * unfit ones are counted, and the one meeting the target nearest the
 * fitting range kept, to say that memory, not the target, bounds it. */
static double metric_at(solve_ctx *c, double v)
{
    roof_knob_put(c->knob, c->s, v);
    roof_error e;
    c->last_unfit = 0;
    if (roof_evaluate_phases(c->s, c->t->metric->phases, c->r, &e) != ROOF_OK) {
        if (roof_result_error(&e) && c->rc == ROOF_OK) {
            c->rc = e.code;
            c->err = e;
        }
        return NAN;
    }
    double m = c->t->metric->get(c->r);
    if (!c->r->memory.fits) {
        roof_solve_result *o = c->out;
        c->last_unfit = 1;
        o->unfit++;
        if (meets(c->t, m) &&
            (isnan(o->unfit_value) || fabs(log(v / o->fit_value)) < fabs(log(o->unfit_value / o->fit_value)))) {
            o->unfit_value = v;
            o->unfit_metric = m;
            o->unfit_bytes = c->r->memory.total_bytes;
            o->usable_bytes = c->r->memory.usable_bytes;
        }
        return NAN;
    }
    if (isnan(c->out->fit_value))
        c->out->fit_value = v;
    return m;
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

/* Keeps v at p as the answer when every point meets the target: the one
 * closest to it (the boundary lies beyond that end of the range). */
static void keep_closest(const roof_target *t, double p, double v, double *slack, roof_solve_result *out)
{
    if (meets(t, v) && fabs(v - t->value) < *slack) {
        *slack = fabs(v - t->value);
        out->value = p;
        out->metric = v;
    }
}

/* Whole-number parameters (tp, batch, layers): only some values give a
 * valid plan (tp must divide the heads), so a bracket of neighbours with
 * a sign change rarely exists. The answer is the valid value next to the
 * crossing that meets the target: every whole number of a range of at most
 * DISCRETE_SCAN, else log-spaced ones, then bisection between the two
 * valid values the crossing lies between. */
#define DISCRETE_SCAN 4096

/* The valid whole number in (a, b) nearest mid, or NAN. */
static double valid_near(solve_ctx *c, double a, double b, double mid, double *v)
{
    for (double d = 0.0; d < 64.0; d++) {
        double cand[2] = {mid - d, mid + d};
        for (int i = 0; i < 2; i++)
            if (cand[i] > a && cand[i] < b && !isnan(*v = metric_at(c, cand[i])))
                return cand[i];
    }
    return NAN;
}

/* The edge of memory: lo fits and meets the target, hi does not fit;
 * bisection to the largest whole number that fits (a value whose plan is
 * invalid is skipped downwards, as valid_near does). */
static void fit_edge(solve_ctx *c, double lo, double hi, roof_solve_result *out)
{
    while (hi - lo > 1.0 && c->rc == ROOF_OK) {
        double mid = floor(0.5 * (lo + hi)), v = metric_at(c, mid);
        if (c->last_unfit) {
            hi = mid;
            continue;
        }
        double m = mid;
        while (isnan(v) && !c->last_unfit && m - 1.0 > lo)
            v = metric_at(c, --m);
        out->iterations++;
        if (isnan(v) || !meets(c->t, v))
            hi = m; /* nothing valid in (lo, mid], or the target stops first */
        else
            lo = m;
    }
    out->value = lo;
    out->metric = metric_at(c, lo);
}

static void solve_discrete(solve_ctx *c, double lo, double hi, roof_solve_result *out)
{
    const roof_target *t = c->t;
    lo = ceil(lo);
    hi = floor(hi);
    double best_miss = INFINITY, slack = INFINITY;
    double pa = NAN, va = NAN; /* the previous valid point */
    double last = 0.0;         /* the previous point scanned (log-spaced points repeat when rounded) */
    double xa = NAN, xb = NAN; /* the crossing: valid points on either side */
    double fit_hi = NAN;       /* the first point that does not fit after the answer so far */
    int dense = hi - lo < DISCRETE_SCAN;
    for (int i = 0;; i++) {
        double p;
        if (dense) {
            p = lo + i;
        } else {
            int n = SCAN_POINTS;
            if (i >= n)
                break;
            p = round(exp(log(lo) + (log(hi) - log(lo)) * i / (n - 1)));
            if (p <= last)
                continue;
            last = p;
        }
        if (p > hi || c->rc != ROOF_OK)
            break;
        double v = metric_at(c, p);
        if (c->last_unfit && isnan(fit_hi) && !isnan(out->value))
            fit_hi = p;
        if (isnan(v))
            continue;
        double d = miss(t, v);
        if (d < best_miss) {
            best_miss = d;
            out->best_value = p;
            out->best_metric = v;
        }
        double kept = out->value;
        keep_closest(t, p, v, &slack, out);
        if (out->value != kept)
            fit_hi = NAN;
        if (isnan(xa) && !isnan(pa) && meets(t, va) != meets(t, v)) {
            xa = pa;
            xb = p;
        }
        pa = p;
        va = v;
    }
    if (c->rc != ROOF_OK)
        return;
    if (isnan(xa)) {
        /* No crossing: every valid point meets the target (value is the
         * closest), or none does (best_* say how close). */
        out->reached = !isnan(out->value);
        out->edge = out->reached;
        /* Every value that fits meets it, and a larger one did not fit:
         * the answer is the largest that fits (memory bounds it). */
        if (out->reached && !isnan(fit_hi) && fit_hi > out->value)
            fit_edge(c, out->value, fit_hi, out);
        return;
    }
    double ma = metric_at(c, xa);
    int a_meets = meets(t, ma);
    while (xb - xa > 1.0 && c->rc == ROOF_OK) {
        double v, mid = valid_near(c, xa, xb, floor(0.5 * (xa + xb)), &v);
        if (isnan(mid))
            break;
        out->iterations++;
        if (meets(t, v) == a_meets)
            xa = mid;
        else
            xb = mid;
    }
    out->value = a_meets ? xa : xb;
    out->metric = metric_at(c, out->value);
    out->reached = meets(t, out->metric);
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
    solve_ctx c = {s, r, knob, t, ROOF_OK, {0}, out, 0};
    *out = (roof_solve_result){0, NAN, NAN, NAN, NAN, 0, 0, 0, NAN, NAN, NAN, NAN, NAN};
    if (knob->param->kind != ROOF_PARAM_DOUBLE) {
        solve_discrete(&c, lo, hi, out);
        goto out;
    }
    /* Scan log-spaced points: for the best value when the target is out of
     * reach, and for a bracket with a sign change (the first one). */
    double a = log(lo), b = log(hi), best_miss = INFINITY, xl = NAN, xh = NAN, slack = INFINITY;
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
        keep_closest(t, exp(x), v, &slack, out);
        double gx = v - t->value;
        if (isnan(xl) && !isnan(prev_g) && !isnan(gx) && (gx == 0.0 || (prev_g < 0.0) != (gx < 0.0))) {
            xl = prev_x;
            xh = x;
        }
        prev_x = x;
        prev_g = gx;
    }
    if (isnan(xl)) {
        /* No sign change: every point meets the target (value is the
         * closest to it), or none does (best_* say how close). */
        out->reached = !isnan(out->value);
        out->edge = out->reached;
        goto out;
    }
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
    if (!meets(t, metric_at(&c, v))) {
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
    if (c.rc != ROOF_OK && rc == ROOF_OK) {
        *err = c.err;
        rc = c.rc;
    }
    gsl_root_fsolver_free(sv);
    free(s);
    free(r);
    return rc;
}
