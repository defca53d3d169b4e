/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "validation/fit.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>

typedef struct {
    size_t nparams;
    double lo[ROOF_FIT_MAX_PARAMS], hi[ROOF_FIT_MAX_PARAMS];
    const double *meas;
    roof_fit_model model;
    void *ctx;
    roof_error *err;
    int failed; /* the model returned an error: stop the solver */
} fit_ctx;

static double to_param(const fit_ctx *c, size_t j, double x)
{
    if (isinf(c->hi[j]))
        return c->lo[j] + exp(x);
    return c->lo[j] + (c->hi[j] - c->lo[j]) / (1.0 + exp(-x));
}

static double from_param(const fit_ctx *c, size_t j, double p)
{
    if (isinf(c->hi[j]))
        return log(p - c->lo[j]);
    return log((p - c->lo[j]) / (c->hi[j] - p));
}

/* Residual f_i = log(pred_i / meas_i) at the parameters of x. */
static int residuals(const gsl_vector *x, void *data, gsl_vector *f)
{
    fit_ctx *c = data;
    double p[ROOF_FIT_MAX_PARAMS];
    for (size_t j = 0; j < c->nparams; j++)
        p[j] = to_param(c, j, gsl_vector_get(x, j));
    for (size_t i = 0; i < f->size; i++) {
        double pred = 0.0;
        if (c->model(p, i, c->ctx, &pred, c->err) != ROOF_OK) {
            c->failed = 1;
            return GSL_EDOM;
        }
        if (!(pred > 0.0) || !isfinite(pred)) {
            /* Outside the model's domain: a large residual steers the
             * trust region back, where an error would end the fit. */
            gsl_vector_set(f, i, 50.0);
            continue;
        }
        gsl_vector_set(f, i, log(pred / c->meas[i]));
    }
    return GSL_SUCCESS;
}

int roof_fit_log(size_t nparams, double *params, const double *lo, const double *hi, size_t n, const double *meas,
                 roof_fit_model model, void *ctx, roof_fit_result *res, roof_error *err)
{
    if (nparams == 0 || nparams > ROOF_FIT_MAX_PARAMS)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "%zu parameters (expected 1 to %d)", nparams,
                              ROOF_FIT_MAX_PARAMS);
    if (n < nparams)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "%zu cases cannot determine %zu parameters", n, nparams);
    fit_ctx c = {.nparams = nparams, .meas = meas, .model = model, .ctx = ctx, .err = err};
    for (size_t j = 0; j < nparams; j++) {
        c.lo[j] = lo ? lo[j] : 0.0;
        c.hi[j] = hi ? hi[j] : INFINITY;
        if (!(params[j] > c.lo[j] && params[j] < c.hi[j]) || !isfinite(params[j]))
            return roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "start value %zu must be inside (%g, %g) (got %g)", j,
                                  c.lo[j], c.hi[j], params[j]);
    }
    for (size_t i = 0; i < n; i++)
        if (!(meas[i] > 0.0) || !isfinite(meas[i]))
            return roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "measurement %zu must be positive (got %g)", i,
                                  meas[i]);

    gsl_multifit_nlinear_fdf fdf = {.f = residuals, .df = NULL, .fvv = NULL, .n = n, .p = nparams, .params = &c};
    gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_workspace *w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, n, nparams);
    gsl_vector *x = gsl_vector_alloc(nparams);
    int rc = ROOF_OK;
    if (!w || !x) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "out of memory");
        goto out;
    }
    for (size_t j = 0; j < nparams; j++)
        gsl_vector_set(x, j, from_param(&c, j, params[j]));
    /* GSL's errors as status codes, not its default handler's abort: a
     * library call must fail with a message, not end the process (the CLI
     * turns the handler off too, cli/main.c). */
    gsl_set_error_handler_off();
    int gs = gsl_multifit_nlinear_init(x, &fdf, w);
    int info = 0;
    /* Parameters that move no prediction at their start (a compute fraction
     * over rows that are all memory-bound there) leave the Jacobian zero:
     * the solver's QR then has no rank to work with (GSL: "rank must have
     * 0 < rank <= N"). Said here, with the parameters, rather than as the
     * solver's failure. One zero column among others is the solver's to
     * handle (a term hidden in a max at the start may come out of it). */
    if (gs == GSL_SUCCESS && !c.failed) {
        const gsl_matrix *jac = gsl_multifit_nlinear_jac(w);
        double moved = 0.0;
        for (size_t j = 0; j < nparams; j++)
            for (size_t i = 0; i < n; i++)
                moved += fabs(gsl_matrix_get(jac, i, j));
        if (!(moved > 0.0)) {
            rc = roof_error_set(err, ROOF_ERR_RUNTIME, "fit",
                                "no parameter moves any of the %zu cases at the start (parameter 0 at %g): nothing "
                                "can be fitted",
                                n, params[0]);
            goto out;
        }
    }
    if (gs == GSL_SUCCESS)
        gs = gsl_multifit_nlinear_driver(500, 1e-10, 1e-10, 0.0, NULL, NULL, &info, w);
    if (c.failed) {
        rc = err ? err->code : ROOF_ERR_RUNTIME;
        goto out;
    }
    /* Reaching the iteration limit still leaves the best point found; any
     * other status means the solver could not proceed. */
    if (gs != GSL_SUCCESS && gs != GSL_EMAXITER) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "the least-squares solver failed: %s", gsl_strerror(gs));
        goto out;
    }
    gsl_vector *xs = gsl_multifit_nlinear_position(w);
    for (size_t j = 0; j < nparams; j++)
        params[j] = to_param(&c, j, gsl_vector_get(xs, j));
    if (res) {
        double chi = gsl_blas_dnrm2(gsl_multifit_nlinear_residual(w));
        res->rms_log = chi / sqrt((double)n);
        res->iterations = gsl_multifit_nlinear_niter(w);
    }
out:
    gsl_vector_free(x);
    if (w)
        gsl_multifit_nlinear_free(w);
    return rc;
}

void roof_fit_errors(size_t n, const double *pred, const double *meas, double *mape, double *max_err)
{
    double sum = 0.0, worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = fabs(pred[i] - meas[i]) / meas[i];
        sum += e;
        if (e > worst)
            worst = e;
    }
    *mape = n ? sum / (double)n : 0.0;
    *max_err = worst;
}
