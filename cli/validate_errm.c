/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/validate_errm.h"

#include <stdlib.h>
#include <string.h>

#include "validation/error_fit.h"

enum { NLEVELS = 10 };
/* The stated central intervals of the reliability table and plot. */
static const double levels[NLEVELS] = {0.10, 0.20, 0.30, 0.40, 0.50, 0.60, 0.70, 0.80, 0.90, 0.95};
#define LEVEL_80 7

/* A group of residuals: every one (regime -1), a regime name, or a
 * regime name on one generation. */
static int in_group(const roof_resid *r, const char *regime, const char *gen)
{
    return (!regime || strcmp(roof_regime_name(r->regime), regime) == 0) && (!gen || strcmp(r->generation, gen) == 0);
}

static void group_row(roof_out *out, const roof_resid *r, size_t n, signed char *const *cov, const char *regime,
                      const char *gen)
{
    size_t rows = 0, inside[2] = {0, 0}, counted[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        if (!in_group(&r[i], regime, gen))
            continue;
        rows++;
        for (int k = 0; k < 2; k++)
            if (cov[k][i] >= 0) {
                counted[k]++;
                inside[k] += (size_t)cov[k][i];
            }
    }
    char name[64];
    snprintf(name, sizeof name, "%s%s%s", regime ? regime : "all", gen ? " on " : "", gen ? gen : "");
    roof_out_row(out);
    roof_out_str(out, "group", name);
    roof_out_int(out, "rows", (int64_t)rows);
    roof_out_int(out, "rows_with_interval", (int64_t)counted[0]);
    roof_out_num(out, "covered_80_cv", "%", counted[0] ? 100.0 * (double)inside[0] / (double)counted[0] : 0.0);
    roof_out_num(out, "covered_80_insample", "%", counted[1] ? 100.0 * (double)inside[1] / (double)counted[1] : 0.0);
}

/* Each source's rows of each regime and generation: covered out of
 * sample, and their mean offset (validation/error_fit.h roof_errm_by_source). */
static void by_source(roof_out *out, const roof_resid *r, size_t n, const signed char *cov80, roof_errm_src *s)
{
    size_t k = roof_errm_by_source(r, n, cov80, s);
    roof_out_section(out, "calibration_sources", ROOF_OUT_ROWS,
                     "Coverage of the stated 80% interval per source, out of sample (its source held out of the "
                     "error model), with the source's mean log(measured / predicted)");
    for (int g = 0; g < ROOF_REGIME_COUNT; g++)
        for (size_t i = 0; i < k; i++) {
            if (s[i].regime != g)
                continue;
            roof_out_row(out);
            roof_out_str(out, "regime", roof_regime_name(g));
            roof_out_str(out, "generation", s[i].generation);
            roof_out_str(out, "source", s[i].source);
            roof_out_int(out, "rows", (int64_t)s[i].rows);
            roof_out_int(out, "rows_with_interval", (int64_t)s[i].judged);
            roof_out_num(out, "covered_80_cv", "%",
                         s[i].judged ? 100.0 * (double)s[i].inside / (double)s[i].judged : 0.0);
            roof_out_num(out, "mean_log", "", s[i].sum_log / (double)s[i].rows);
        }
}

static void calibration(roof_out *out, const roof_resid *r, size_t n, signed char *buf, roof_errm_src *src)
{
    signed char *cov80[2] = {buf + (size_t)LEVEL_80 * n, buf + ((size_t)NLEVELS + LEVEL_80) * n};
    roof_out_section(out, "calibration", ROOF_OUT_ROWS,
                     "Coverage of the stated 80% interval (goal 75-85%): cv = error model refitted without the row's "
                     "source; insample = fitted on every row");
    group_row(out, r, n, cov80, NULL, NULL);
    for (int g = 0; g < ROOF_REGIME_COUNT; g++) {
        if (roof_regime_decade(g) > 0)
            continue; /* collectives: one group over every decade */
        const char *name = roof_regime_name(g);
        size_t rows = 0;
        for (size_t i = 0; i < n; i++)
            rows += (size_t)in_group(&r[i], name, NULL);
        if (rows == 0)
            continue;
        group_row(out, r, n, cov80, name, NULL);
        for (size_t i = 0; i < n; i++) { /* each generation with enough rows, once */
            int first = in_group(&r[i], name, NULL) && r[i].generation[0];
            for (size_t j = 0; j < i && first; j++)
                first = !(in_group(&r[j], name, NULL) && strcmp(r[j].generation, r[i].generation) == 0);
            size_t k = 0;
            for (size_t j = i; j < n && first; j++)
                k += (size_t)in_group(&r[j], name, r[i].generation);
            if (first && k >= ROOF_ERRM_MIN_GEN_ROWS)
                group_row(out, r, n, cov80, name, r[i].generation);
        }
    }
    by_source(out, r, n, cov80[0], src);
    roof_out_section(out, "reliability", ROOF_OUT_ROWS, "Stated against observed coverage (all rows)");
    roof_out_csv_here(out);
    for (size_t l = 0; l < NLEVELS; l++) {
        double seen[2];
        for (int k = 0; k < 2; k++) {
            const signed char *c = buf + ((size_t)k * (size_t)NLEVELS + l) * n;
            size_t in = 0, counted = 0;
            for (size_t i = 0; i < n; i++)
                if (c[i] >= 0) {
                    counted++;
                    in += (size_t)c[i];
                }
            seen[k] = counted ? 100.0 * (double)in / (double)counted : 0.0;
        }
        roof_out_row(out);
        roof_out_num(out, "stated", "%", 100.0 * levels[l]);
        roof_out_num(out, "observed_cv", "%", seen[0]);
        roof_out_num(out, "observed_insample", "%", seen[1]);
    }
}

int roof_validate_errm(roof_out *out, const roof_pub_case *cases, size_t n, const char *data_dir,
                       const char *write_path, int calib, roof_error *err)
{
    roof_pub_cv cv;
    roof_comm_corpus comm;
    roof_resid *r = NULL;
    roof_errm *m = NULL;
    double *score = NULL;
    signed char *buf = NULL;
    roof_errm_src *src = NULL;
    char *text = NULL;
    size_t nr = 0;
    memset(&comm, 0, sizeof comm);
    int rc = roof_pub_cv_run(cases, n, ROOF_CV_DEFAULT, &cv, err);
    if (rc != ROOF_OK)
        return rc;
    if ((rc = roof_comm_corpus_run(data_dir, &comm, err)) != ROOF_OK ||
        (rc = roof_resid_collect(cases, n, &cv, &comm, &r, &nr, err)) != ROOF_OK)
        goto out;
    m = malloc(sizeof *m);
    if (!m) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "error model", "out of memory");
        goto out;
    }
    score = malloc(nr * sizeof *score + 1);
    if (!score || roof_errm_scores(r, nr, score) != 0) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "error model", "out of memory");
        goto out;
    }
    roof_errm_fit(r, nr, NULL, m);
    roof_errm_calibrate(m, r, nr, score, NULL);
    roof_out_section(out, "error_model", ROOF_OUT_ROWS,
                     "Error model: log(measured / predicted) of the leave-one-source-out residuals per regime, random "
                     "effects (sd_log = sqrt(tau^2 + sigma^2 + se_mean^2): a source not seen)");
    for (size_t i = 0; i < m->n; i++) {
        const roof_errm_row *row = &m->rows[i];
        roof_out_row(out);
        roof_out_str(out, "regime", roof_regime_name(row->regime));
        roof_out_str(out, "generation", row->generation);
        roof_out_int(out, "decade", roof_regime_decade(row->regime));
        roof_out_int(out, "n", row->n);
        roof_out_int(out, "sources", row->sources);
        roof_out_num(out, "mean_log", "", row->mean_log);
        roof_out_num(out, "sd_log", "", row->sd_log);
        roof_out_num(out, "tau_log", "", row->tau_log);
        roof_out_num(out, "sigma_log", "", row->sigma_log);
        roof_out_num(out, "se_mean_log", "", row->se_mean_log);
        roof_out_num(out, "p10_log", "", row->p10_log);
        roof_out_num(out, "p90_log", "", row->p90_log);
        roof_out_str(out, "tau_from", row->tau_from);
        roof_out_num(out, "scale", "", row->scale);
        roof_out_int(out, "scale_rows", row->scale_rows);
    }
    if (write_path) {
        if (!(text = roof_errm_text(m, nr))) {
            rc = roof_error_set(err, ROOF_ERR_RUNTIME, "error model", "out of memory");
            goto out;
        }
        if ((rc = roof_out_write_text(text, write_path, err)) != ROOF_OK)
            goto out;
    }
    if (calib) {
        /* The coverage of every level, out of and in sample, and the
         * per-source table: only the calibration report needs them. */
        buf = malloc(2 * (size_t)NLEVELS * nr + 1);
        src = malloc(nr * sizeof *src + 1);
        if (!buf || !src) {
            rc = roof_error_set(err, ROOF_ERR_RUNTIME, "error model", "out of memory");
            goto out;
        }
        for (int k = 0; k < 2; k++)
            roof_errm_coverage(r, nr, score, levels, NLEVELS, k == 0, buf + (size_t)k * (size_t)NLEVELS * nr);
        calibration(out, r, nr, buf, src);
    }
out:
    free(text);
    free(score);
    free(buf);
    free(src);
    free(m);
    free(r);
    roof_comm_corpus_free(&comm);
    roof_pub_cv_free(&cv);
    return rc;
}
