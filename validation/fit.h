/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Least-squares fits of model parameters to measurements, by GSL's
 * nonlinear least squares (gsl_multifit_nlinear, trust region,
 * Levenberg-Marquardt step, finite-difference Jacobian).
 *
 * Every fit here minimizes the sum of squared log ratios,
 * sum_i log(pred_i / meas_i)^2: the measurements span six or more decades
 * (1 us to 1 s), and an absolute residual would fit the largest cases only.
 * A parameter with bounds (lo, hi) is fitted through a transform that
 * keeps it inside: p = lo + exp(x) when hi is infinite, else the logistic
 * p = lo + (hi - lo) / (1 + exp(-x)); so an efficiency cannot pass 1 nor a
 * latency go negative. The caller owns every array; the fit allocates
 * GSL workspaces only for its own duration.
 */
#ifndef ROOF_VALIDATION_FIT_H
#define ROOF_VALIDATION_FIT_H

#include <stddef.h>

#include "core/error.h"

#define ROOF_FIT_MAX_PARAMS 12

/* The model: the prediction for case i under params (all positive).
 * Returns ROOF_OK or an error code with *err set. */
typedef int (*roof_fit_model)(const double *params, size_t i, void *ctx, double *pred, roof_error *err);

typedef struct roof_fit_result {
    double rms_log;    /* sqrt(mean(log(pred/meas)^2)) at the fitted parameters */
    size_t iterations; /* solver iterations */
} roof_fit_result;

/* Fits nparams parameters (params: the start on entry, strictly inside its
 * bounds; the fit on return) to the n measurements meas (all positive).
 * lo and hi (either may be NULL: 0 and infinity) bound each parameter.
 * Fails (ROOF_ERR_RUNTIME) when there are fewer cases than parameters, a
 * start is outside its bounds, a measurement is not positive, or the
 * solver fails. */
int roof_fit_log(size_t nparams, double *params, const double *lo, const double *hi, size_t n, const double *meas,
                 roof_fit_model model, void *ctx, roof_fit_result *res, roof_error *err);

/* Mean absolute percentage error and the largest absolute relative error of
 * pred against meas over n cases, as fractions (0.1 = 10%). */
void roof_fit_errors(size_t n, const double *pred, const double *meas, double *mape, double *max_err);

#endif
