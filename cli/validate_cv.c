/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `llmroof validate published --cv`: the published cases' sections. */
#include "cli/validate_cv.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/validate_load.h"

/* MAPE of pred against the measurements of the cases that match (only: 0
 * any kind, else one roof_pub_kind + 1). */
static double mape_where(const roof_pub_case *cases, size_t n, const double *pred, const char *group, const char *hw,
                         const char *source, int only, size_t *count)
{
    double sum = 0.0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const roof_pub_case *c = &cases[i];
        if ((group && strcmp(c->group, group) != 0) || (hw && strcmp(c->hw, hw) != 0) ||
            (source && strcmp(c->source, source) != 0) || (only && (int)c->kind != only - 1))
            continue;
        sum += fabs(pred[i] - c->measured_s) / c->measured_s;
        k++;
    }
    if (count)
        *count = k;
    return k ? sum / (double)k : 0.0;
}

/* One summary row: the shipped profiles (their values partly fitted on
 * these rows), then in-sample and leave-one-source-out, without
 * (base) and with the fp8 efficiency. */
static void cv_row(roof_out *out, const char *key, const char *name, const roof_pub_case *cases, size_t n,
                   const double *shipped, const roof_pub_cv *base, const roof_pub_cv *cv, const char *group,
                   const char *hw, const char *source, int only)
{
    size_t k;
    double m = mape_where(cases, n, shipped, group, hw, source, only, &k);
    roof_out_row(out);
    roof_out_str(out, key, name);
    roof_out_int(out, "cases", (int64_t)k);
    roof_out_num(out, "profile_mape_insample", "%", 100.0 * m);
    roof_out_num(out, "base_mape_insample", "%",
                 100.0 * mape_where(cases, n, base->insample_s, group, hw, source, only, NULL));
    roof_out_num(out, "base_mape_cv", "%", 100.0 * mape_where(cases, n, base->cv_s, group, hw, source, only, NULL));
    roof_out_num(out, "mape_insample", "%",
                 100.0 * mape_where(cases, n, cv->insample_s, group, hw, source, only, NULL));
    roof_out_num(out, "mape_cv", "%", 100.0 * mape_where(cases, n, cv->cv_s, group, hw, source, only, NULL));
}

static int first_of(const roof_pub_case *cases, size_t i, size_t field)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp((const char *)&cases[j] + field, (const char *)&cases[i] + field) == 0)
            return 0;
    return 1;
}

int roof_validate_cv_sections(roof_out *out, const roof_pub_case *cases, size_t n, roof_error *err)
{
    roof_pub_cv base, cv;
    double *shipped = calloc(n ? n : 1, sizeof *shipped);
    if (!shipped)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "out of memory");
    int rc = roof_pub_cv_run(cases, n, 0, &base, err);
    if (rc == ROOF_OK && (rc = roof_pub_cv_run(cases, n, ROOF_CV_DEFAULT, &cv, err)) != ROOF_OK)
        roof_pub_cv_free(&base);
    if (rc != ROOF_OK) {
        free(shipped);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        shipped[i] = cases[i].predicted_s;
    roof_out_section(
        out, "cv_groups", ROOF_OUT_ROWS,
        "Leave-one-source-out MAPE per group (in-sample: fitted on every row; base: without efficiency.fp8)");
    for (size_t i = 0; i < n; i++)
        if (first_of(cases, i, offsetof(roof_pub_case, group)))
            cv_row(out, "group", cases[i].group, cases, n, shipped, &base, &cv, cases[i].group, NULL, NULL, 0);
    roof_out_section(out, "cv_gpus", ROOF_OUT_ROWS, "Leave-one-source-out MAPE of the GEMM rows per GPU");
    for (size_t i = 0; i < n; i++)
        if (cases[i].kind == ROOF_PUB_GEMM && first_of(cases, i, offsetof(roof_pub_case, hw)))
            cv_row(out, "hw", cases[i].hw, cases, n, shipped, &base, &cv, NULL, cases[i].hw, NULL, ROOF_PUB_GEMM + 1);
    cv_row(out, "hw", "all GEMMs", cases, n, shipped, &base, &cv, NULL, NULL, NULL, ROOF_PUB_GEMM + 1);
    /* The attention rows (corpus/attention.csv): each generation's own
     * FlashAttention, one source each (docs/validation.md). */
    roof_out_section(out, "cv_attention", ROOF_OUT_ROWS, "Leave-one-source-out MAPE of the attention rows per GPU");
    for (size_t i = 0; i < n; i++) {
        int first = cases[i].kind == ROOF_PUB_ATTENTION;
        for (size_t j = 0; j < i && first; j++)
            first = !(cases[j].kind == ROOF_PUB_ATTENTION && strcmp(cases[j].hw, cases[i].hw) == 0);
        if (first)
            cv_row(out, "hw", cases[i].hw, cases, n, shipped, &base, &cv, NULL, cases[i].hw, NULL,
                   ROOF_PUB_ATTENTION + 1);
    }
    cv_row(out, "hw", "all attention", cases, n, shipped, &base, &cv, NULL, NULL, NULL, ROOF_PUB_ATTENTION + 1);
    roof_out_section(out, "cv_sources", ROOF_OUT_ROWS, "Leave-one-source-out MAPE per source (all its rows)");
    for (size_t s = 0; s < cv.nsources; s++)
        cv_row(out, "source", cv.sources[s], cases, n, shipped, &base, &cv, NULL, NULL, cv.sources[s], 0);
    /* The worst cases of all, and of the GEMMs (the all-reduce prior
     * dominates the first list: that group has one source). */
    for (int gemm_only = 0; gemm_only <= 1; gemm_only++) {
        roof_out_section(out, gemm_only ? "cv_worst_gemm" : "cv_worst", ROOF_OUT_ROWS,
                         gemm_only ? "The 5 GEMM cases with the largest leave-one-source-out error"
                                   : "The 5 cases with the largest leave-one-source-out error");
        int used[5] = {-1, -1, -1, -1, -1};
        for (int w = 0; w < 5; w++) {
            double worst = -1.0;
            for (size_t i = 0; i < n; i++) {
                double e = fabs(cv.cv_s[i] - cases[i].measured_s) / cases[i].measured_s;
                int seen = gemm_only && cases[i].kind != ROOF_PUB_GEMM;
                for (int u = 0; u < w; u++)
                    seen |= used[u] == (int)i;
                if (!seen && e > worst) {
                    worst = e;
                    used[w] = (int)i;
                }
            }
            if (used[w] < 0)
                break;
            const roof_pub_case *c = &cases[used[w]];
            roof_out_row(out);
            roof_out_str(out, "group", c->group);
            roof_out_str(out, "case", c->id);
            roof_out_str(out, "what", c->what);
            roof_out_str(out, "hw", c->hw);
            roof_out_str(out, "source", c->source);
            roof_out_num(out, "measured_s", "s", c->measured_s);
            roof_out_num(out, "cv_s", "s", cv.cv_s[used[w]]);
            roof_out_num(out, "cv_error", "%", 100.0 * (cv.cv_s[used[w]] - c->measured_s) / c->measured_s);
            roof_out_num(out, "insample_error", "%", 100.0 * (cv.insample_s[used[w]] - c->measured_s) / c->measured_s);
        }
    }
    /* Every row's own out-of-sample prediction, for a reader's own cuts
     * of the residuals (per model, batch, size, ...). */
    roof_out_section(out, "cv_cases", ROOF_OUT_ROWS,
                     "Every case: measured, in sample and predicted with its own source held out");
    for (size_t i = 0; i < n; i++) {
        const roof_pub_case *c = &cases[i];
        if (!(isfinite(cv.cv_s[i]) && isfinite(cv.insample_s[i])))
            continue; /* never printed as inf or nan (none is, today) */
        roof_out_row(out);
        roof_out_str(out, "group", c->group);
        roof_out_str(out, "case", c->id);
        roof_out_str(out, "hw", c->hw);
        roof_out_str(out, "source", c->source);
        roof_out_num(out, "measured_s", "s", c->measured_s);
        roof_out_num(out, "insample_s", "s", cv.insample_s[i]);
        roof_out_num(out, "cv_s", "s", cv.cv_s[i]);
        roof_out_num(out, "cv_error", "%", 100.0 * (cv.cv_s[i] - c->measured_s) / c->measured_s);
    }
    roof_out_section(out, "cv_params", ROOF_OUT_ROWS,
                     "Fitted parameters: in-sample, and their range over the folds (prior: no rows left)");
    for (size_t j = 0; j < cv.nparams; j++) {
        const roof_pub_cv_param *p = &cv.params[j];
        if (isnan(p->insample))
            continue;
        size_t priors = 0;
        for (size_t s = 0; s < cv.nsources; s++)
            priors += !p->fold_fitted[s];
        roof_out_row(out);
        roof_out_str(out, "fit", p->fit);
        roof_out_str(out, "hw", p->hw);
        roof_out_str(out, "param", p->path);
        roof_out_num(out, "insample", "", p->insample);
        roof_out_str(out, "insample_from", p->insample_fitted ? "fit" : "prior");
        roof_out_num(out, "fold_min", "", p->lo);
        roof_out_num(out, "fold_max", "", p->hi);
        roof_out_int(out, "folds_on_prior", (int64_t)priors);
    }
    roof_validate_load_section(out, cases, n, &cv);
    roof_pub_cv_free(&base);
    roof_pub_cv_free(&cv);
    free(shipped);
    return ROOF_OK;
}
