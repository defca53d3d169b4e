/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Error bars: the model's own error (model/error_model.h) propagated to
 * the metrics of a deployment. Each op's time is multiplied by a factor
 * exp(mean + sd * z) of its regime; ops of one regime share one z (a GPU
 * that is slow on one GEMM is slow on all), regimes draw independently.
 * The whole deployment is evaluated once per draw, so stages, pipeline
 * and overlap compose the draws as they compose the point estimate.
 * Draws: Latin hypercube over each regime's standard normal (stratified,
 * so that the marginal quantiles are exact up to 1/draws), with a fixed
 * seed: the same input gives the same interval.
 */
#ifndef ROOF_ANALYSIS_INTERVAL_H
#define ROOF_ANALYSIS_INTERVAL_H

#include <stddef.h>

#include "analysis/metric.h"
#include "model/error_model.h"

#define ROOF_INTERVAL_DRAWS 1000
#define ROOF_INTERVAL_SEED 24UL
/* The stated interval: the 10th to the 90th percentile. */
#define ROOF_INTERVAL_LO 0.10
#define ROOF_INTERVAL_HI 0.90

/* lo[j], hi[j]: the ROOF_INTERVAL_LO and _HI quantiles of metric m[j]
 * (NaN for a metric that is NaN at the point: a phase not built). Errors:
 * a draw the model refuses (roof_result_check), out of memory. */
int roof_interval(const roof_scenario *s, const roof_errm *em, const roof_metric *const *m, size_t nm, double *lo,
                  double *hi, roof_error *err);

/* q[j * np + k]: the p[k] quantile (0 < p[k] < 1) of metric m[j], from
 * the same draws as roof_interval. */
int roof_interval_quantiles(const roof_scenario *s, const roof_errm *em, const roof_metric *const *m, size_t nm,
                            const double *p, size_t np, double *q, roof_error *err);

/* z[i * ROOF_REGIME_OPS + k]: the standard normal of regime k in draw i of
 * n, a Latin hypercube with the fixed seed (the draws roof_interval uses
 * for n = ROOF_INTERVAL_DRAWS). Errors: out of memory. */
int roof_interval_normals(size_t n, double *z, roof_error *err);

/* The factors of one draw: scale[r] = exp(mean + sd * z[r]) for each op
 * regime r with a row for s's generation, else 1. */
void roof_interval_scales(const roof_errm *em, const char *generation, const double *z, double *scale);

#endif
