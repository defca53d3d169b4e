/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The documented fits of the GPU profiles to the published rows (declared
 * in validation/published.h). Each fit starts from the built-in profile,
 * varies the named hw.* parameters by GSL nonlinear least squares on the
 * log ratio of predicted to measured time (validation/fit.h), over the fit
 * rows of one group, and is judged on the group's check rows. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/profile.h"
#include "validation/published.h"

static const struct {
    const char *group, *hw;
    size_t nparams;
    const char *paths[4];
} fits[] = {
    /* The A100 rows are compute-bound but for the tall-skinny one, which
     * sits on the ridge: they fix the compute efficiency, the per-kernel
     * overhead and the ridge exponent, not the memory efficiency (that stays
     * the measured triad ratio of specs.csv). */
    {"gemm-a100", "a100-sxm", 3, {"hw.efficiency.compute", "hw.kernel.overhead", "hw.gemm.ridge"}},
    /* The efficiencies stay H100's sourced values (MAMF-H100, the Azure
     * triad): fitting them to DeepGEMM's rows pushed the memory efficiency
     * onto its bound and did not generalize. What the rows show instead is
     * the C write of the M = 4096 rows adding to the main loop, and the
     * M = 64 and 128 rows with few output tiles streaming below the
     * bandwidth: the epilogue fraction and the tiles that saturate it. */
    {"gemm-h800", "h800", 2, {"hw.gemm.epilogue", "hw.gemm.bw_units"}},
    /* NCCL's tuning model times these rows (hw/nccl_tuning.c, its tables
     * unfitted); one residual factor on its latencies is all the sweep
     * sets. */
    {"allreduce-h100", "h100-sxm", 1, {"hw.network.node.nccl_latency_scale"}},
    /* Whole training steps sustain less than the isolated GEMM benchmarks
     * that fix efficiency.compute (gaps between kernels, casts, the
     * optimizer's work), beyond the power-limited clock of
     * efficiency.sustained (none on A100, whose efficiency.compute is
     * fitted mostly on Azure's runs after 10000 warm-up iterations): one
     * fraction (hw.efficiency.training), on A100 fitted on half of
     * Narayanan's steps and checked on the other half and on Korthikanti's
     * layers, on the newer parts each on its rows of corpus/training.csv. */
    {"train-megatron", "a100-sxm", 1, {"hw.efficiency.training"}},
    {"train-h100", "h100-sxm", 1, {"hw.efficiency.training"}},
    {"train-b200", "b200", 1, {"hw.efficiency.training"}},
    {"train-gb200", "gb200", 1, {"hw.efficiency.training"}},
};

size_t roof_pub_fit_count(void)
{
    return sizeof fits / sizeof fits[0];
}

typedef struct {
    roof_hw base;
    const roof_param *params[4];
    size_t nparams;
    roof_pub_case *rows;
} fit_ctx;

static int model(const double *p, size_t i, void *vctx, double *pred, roof_error *err)
{
    fit_ctx *c = vctx;
    roof_hw hw = c->base;
    for (size_t j = 0; j < c->nparams; j++)
        roof_param_put(c->params[j], &hw, p[j]);
    roof_pub_case one = c->rows[i];
    int rc = roof_pub_predict(&one, 1, &hw, err);
    *pred = one.predicted_s;
    return rc;
}

/* MAPE of the rows with fit == want, predicted on hw. */
static int mape_of(roof_pub_case *rows, size_t n, int want, const roof_hw *hw, double *mape, roof_error *err)
{
    double sum = 0.0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].fit != want)
            continue;
        int rc = roof_pub_predict(&rows[i], 1, hw, err);
        if (rc != ROOF_OK)
            return rc;
        sum += fabs(rows[i].predicted_s - rows[i].measured_s) / rows[i].measured_s;
        k++;
    }
    *mape = k ? sum / (double)k : 0.0;
    return ROOF_OK;
}

int roof_pub_fit_run(size_t which, const roof_pub_case *cases, size_t n, roof_pub_fit *out, roof_error *err)
{
    memset(out, 0, sizeof *out);
    if (which >= roof_pub_fit_count())
        return roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "no fit %zu", which);
    out->group = fits[which].group;
    out->hw = fits[which].hw;
    out->nparams = fits[which].nparams;
    fit_ctx *c = calloc(1, sizeof *c);
    roof_pub_case *rows = calloc(n ? n : 1, sizeof *rows);
    double *meas = calloc(n ? n : 1, sizeof *meas);
    int rc = ROOF_OK;
    if (!c || !rows || !meas) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "out of memory");
        goto out;
    }
    if ((rc = roof_hw_load(out->hw, &c->base, err)) != ROOF_OK)
        goto out;
    c->nparams = out->nparams;
    double p[4], lo[4], hi[4];
    for (size_t j = 0; j < out->nparams; j++) {
        out->paths[j] = fits[which].paths[j];
        c->params[j] = roof_param_find(&roof_hw_params, out->paths[j]);
        if (!c->params[j]) {
            rc = roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "unknown parameter '%s'", out->paths[j]);
            goto out;
        }
        p[j] = out->before[j] = roof_param_get(c->params[j], &c->base);
        /* The registry's range (an efficiency in (0, 1], a latency in
         * [0, 1] s); the ridge exponent from the sum (1) up. Starts on a
         * bound move just inside it. */
        lo[j] = c->params[j]->min;
        hi[j] = c->params[j]->max;
        if (strcmp(c->params[j]->unit, "s") == 0)
            hi[j] = INFINITY; /* a time: the logarithm scales microseconds well, a logistic over 1 s does not */
        if (c->params[j]->offset == offsetof(roof_hw, gemm_ridge)) {
            lo[j] = 1.0;
            hi[j] = 100.0;
        }
        /* The tiles that saturate the bandwidth start at a tenth of the
         * units: from a start below every row's tile count the fit would
         * see no gradient. */
        if (c->params[j]->offset == offsetof(roof_hw, gemm_bw_units) && !(p[j] > lo[j]))
            p[j] = 0.1 * (double)c->base.units;
        if (!(p[j] > lo[j]))
            p[j] = lo[j] + 0.5 * (hi[j] - lo[j] < 8.0 ? hi[j] - lo[j] : 8.0);
        if (!(p[j] < hi[j]))
            p[j] = lo[j] + 0.999 * (hi[j] - lo[j]);
    }
    /* The fit rows first, then the check rows: the fit sees the first nfit. */
    size_t k = 0;
    for (int pass = 1; pass >= 0; pass--)
        for (size_t i = 0; i < n; i++)
            if (strcmp(cases[i].group, out->group) == 0 && cases[i].fit == pass)
                rows[k++] = cases[i];
    for (size_t i = 0; i < k; i++) {
        meas[i] = rows[i].measured_s;
        if (rows[i].fit)
            out->nfit++;
        else
            out->ncheck++;
    }
    c->rows = rows;
    if ((rc = mape_of(rows, k, 0, &c->base, &out->check_mape_before, err)) != ROOF_OK)
        goto out;
    if ((rc = roof_fit_log(out->nparams, p, lo, hi, out->nfit, meas, model, c, &out->res, err)) != ROOF_OK)
        goto out;
    roof_hw fitted = c->base;
    for (size_t j = 0; j < out->nparams; j++) {
        out->after[j] = p[j];
        roof_param_put(c->params[j], &fitted, p[j]);
    }
    if ((rc = mape_of(rows, k, 0, &fitted, &out->check_mape_after, err)) == ROOF_OK)
        rc = mape_of(rows, k, 1, &fitted, &out->fit_mape_after, err);
out:
    free(c);
    free(rows);
    free(meas);
    return rc;
}
