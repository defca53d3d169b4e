/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Analyses that evaluate a scenario many times to answer a question: a
 * sweep over a grid of values, the sensitivity (elasticity) of a metric to
 * every continuous parameter, the value of a parameter that meets a target,
 * and the spread of the metrics under uncertain inputs (Monte Carlo).
 * They never print: results go to caller-owned arrays or to a callback.
 * The search over parallel plans is in analysis/search.h.
 */
#ifndef ROOF_ANALYSIS_ANALYSIS_H
#define ROOF_ANALYSIS_ANALYSIS_H

#include <stddef.h>

#include "analysis/metric.h"
#include "analysis/vary.h"
#include "model/error_model.h"

/* Sweep: every point of the cartesian product of v[0..nv), the last
 * parameter varying fastest. fn gets the values of the point and either the
 * result (status ROOF_OK) or the point's error (a plan that does not fit:
 * the point is reported, the sweep goes on); a non-zero return of fn stops
 * the sweep and is returned. */
typedef int (*roof_sweep_fn)(void *ctx, const double *values, const roof_result *r, int status, const roof_error *perr);
int roof_sweep(const roof_scenario *base, const roof_vary *v, size_t nv, roof_sweep_fn fn, void *ctx, roof_error *err);

/* Sensitivity of metric m to one parameter. The elasticity
 * d ln M / d ln p is the central difference of ln M over ln p (GSL's
 * gsl_deriv_central) for DOUBLE parameters; INT parameters have none
 * (has_elasticity = 0) and show only the swing, at values rounded to whole
 * numbers. The swing: M at p (1 - pct/100) and p (1 + pct/100), each
 * clamped to the parameter's range (roof_param_clamp; the row's *_clamped
 * say so); a point that fails to evaluate (a plan no longer divisible) is
 * NaN. A result the model cannot report (roof_result_check) ends the run
 * with its error. */
typedef struct roof_sens_row {
    roof_knob knob;
    double value, metric;
    int has_elasticity;
    double elasticity, abserr;
    double low_value, high_value, metric_low, metric_high, swing; /* swing = |high - low| */
    int low_clamped, high_clamped; /* p (1 -+ pct/100) left the parameter's range: its end was taken */
    int moves;     /* the metric depends on p here: a nonzero elasticity or swing, or a point that fails */
    char why[512]; /* why a point failed ("p -10%: ..."), empty when every point evaluated */
} roof_sens_row;

#define ROOF_SENS_MAX_ROWS 128

/* Fills rows for every ROOF_PARAM_CONTINUOUS parameter of every table whose
 * value is not 0, ranked by |elasticity| (parameters without one after, by
 * swing). A row whose metric does not move (an fp64 peak for a bf16 run,
 * the price for a time) has moves = 0: the caller may leave it out. */
int roof_sensitivity(const roof_scenario *s, const roof_metric *m, double pct, roof_sens_row *rows, size_t max,
                     size_t *n, roof_error *err);

/* Solve: the value of knob in [lo, hi] at which t's metric equals t's
 * value (Brent's method on M(p) - target over ln p, GSL
 * gsl_root_fsolver_brent), after checking for a sign change. Without one:
 * reached = 0 and best_* hold the value of p (of 65 log-spaced points) that
 * comes closest to meeting the target; when every point meets it,
 * reached = 1, edge = 1 and value is the point closest to the target (the
 * crossing lies beyond the range). INT parameters are scanned at whole
 * numbers (every one of a range up to 4096 wide, else 65 log-spaced, then
 * bisection): value is the valid one next to the crossing that meets the
 * target (the plan rules leave gaps: tp 3 does not divide 64 heads). A
 * result the model cannot report (roof_result_check) is an error. */
/* A value whose plan does not fit in memory at its peak over the request
 * (model/evaluate.h) is never an answer, as one that breaks the plan
 * rules: unfit counts them, and unfit_* keep the one that meets the target
 * closest to a fitting value (NaN when none does), so that a target out
 * of reach says it is memory that bounds it. */
typedef struct roof_solve_result {
    int reached;
    double value, metric;
    double best_value, best_metric;
    int iterations;
    int edge;
    int64_t unfit;
    double fit_value; /* the first value evaluated that fits (NaN: none) */
    double unfit_value, unfit_metric, unfit_bytes, usable_bytes;
} roof_solve_result;

int roof_solve(const roof_scenario *s, const roof_target *t, const roof_knob *knob, double lo, double hi,
               roof_solve_result *out, roof_error *err);

/* Uncertainty: samples Monte Carlo draws, each parameter uniform in its
 * [low, high] (GSL's gsl_rng_mt19937 seeded with seed), and the 5th, 50th
 * and 95th percentiles of each metric (gsl_stats_quantile_from_sorted_data):
 * q[i*3 + 0..2] for metric i. Draws that fail to evaluate are counted in
 * *failed and left out. With em (else NULL) each draw also takes the
 * model's own error (issue 24 item 4): one standard normal per op regime,
 * the op times scaled as the error bars scale them
 * (roof_interval_scales), so the percentiles combine the user's spreads
 * of the inputs with the model's error, independent of each other. */
#define ROOF_UNCERTAINTY_MAX_SAMPLES 10000000
int roof_uncertainty(const roof_scenario *s, const roof_spread *sp, size_t nsp, const roof_metric *const *m, size_t nm,
                     size_t samples, unsigned long seed, const roof_errm *em, double *q, size_t *failed,
                     roof_error *err);

#endif
