/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "validation/error_fit.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/profile.h"

/* The regime a published case is timed in: a GEMM by its roofline bound
 * on its profile, the all-reduce sweep by its size decade, time to first
 * token and request latency as serving, training steps and layers as a
 * training step. */
static int case_regime(const roof_pub_case *c, roof_error *err, int *regime)
{
    switch (c->kind) {
    case ROOF_PUB_GEMM: {
        roof_hw hw;
        roof_gemm_time t;
        int rc = roof_hw_load(c->hw, &hw, err);
        if (rc == ROOF_OK)
            rc = roof_gemm_time_of(&hw, &c->gemm, ROOF_GEMM_TIME_ONLY, &t, err);
        if (rc != ROOF_OK)
            return rc;
        *regime = t.bound == ROOF_BOUND_COMPUTE ? ROOF_REGIME_GEMM_COMPUTE : ROOF_REGIME_MEMORY;
        return ROOF_OK;
    }
    case ROOF_PUB_ALLREDUCE:
        *regime = roof_comm_regime(c->comm.bytes);
        return ROOF_OK;
    case ROOF_PUB_TTFT:
    case ROOF_PUB_REQUEST:
        *regime = ROOF_REGIME_SERVING;
        return ROOF_OK;
    default:
        *regime = ROOF_REGIME_TRAIN_STEP;
        return ROOF_OK;
    }
}

static void put(roof_resid *r, int regime, const char *hw, const char *source, const char *id, double meas, double pred)
{
    r->regime = regime;
    snprintf(r->generation, sizeof r->generation, "%s", roof_hw_generation(hw));
    snprintf(r->source, sizeof r->source, "%s", source);
    snprintf(r->id, sizeof r->id, "%s", id);
    r->measured_s = meas;
    r->predicted_s = pred;
}

int roof_resid_collect(const roof_pub_case *cases, size_t n, const roof_pub_cv *cv, const roof_comm_corpus *comm,
                       roof_resid **out, size_t *nout, roof_error *err)
{
    size_t ncomm = comm ? comm->n : 0;
    roof_resid *r = malloc((n + ncomm) * sizeof *r + 1);
    if (!r)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "error model", "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int regime;
        int rc = case_regime(&cases[i], err, &regime);
        if (rc != ROOF_OK) {
            free(r);
            return rc;
        }
        if (isfinite(cv->cv_s[i]) && cv->cv_s[i] > 0.0)
            put(&r[k++], regime, cases[i].hw, cases[i].source, cases[i].id, cases[i].measured_s, cv->cv_s[i]);
    }
    for (size_t i = 0; i < ncomm; i++) {
        const roof_comm_row *c = &comm->rows[i];
        if (isfinite(c->cv_s) && c->cv_s > 0.0)
            put(&r[k++], roof_comm_regime(c->comm.bytes), c->hw, c->source, c->id, c->measured_s, c->cv_s);
    }
    *out = r;
    *nout = k;
    return ROOF_OK;
}

/* The statistics of the log residuals of regime on generation ("all":
 * every generation) into row; 0 when fewer than need rows. */
static int fit_row(const roof_resid *r, size_t n, const char *exclude, int regime, const char *generation, size_t need,
                   double *buf, roof_errm_row *row)
{
    size_t k = 0;
    int all = strcmp(generation, "all") == 0;
    for (size_t i = 0; i < n; i++)
        if (r[i].regime == regime && (all || strcmp(r[i].generation, generation) == 0) &&
            !(exclude && strcmp(r[i].source, exclude) == 0))
            buf[k++] = log(r[i].measured_s / r[i].predicted_s);
    if (k < need)
        return 0;
    row->regime = regime;
    snprintf(row->generation, sizeof row->generation, "%s", generation);
    row->n = (int)k;
    row->mean_log = gsl_stats_mean(buf, 1, k);
    row->sd_log = gsl_stats_sd_m(buf, 1, k, row->mean_log);
    gsl_sort(buf, 1, k);
    row->p10_log = gsl_stats_quantile_from_sorted_data(buf, 1, k, 0.10);
    row->p90_log = gsl_stats_quantile_from_sorted_data(buf, 1, k, 0.90);
    return 1;
}

void roof_errm_fit(const roof_resid *r, size_t n, const char *exclude, roof_errm *m)
{
    m->n = 0;
    double *buf = malloc(n * sizeof *buf + 1);
    if (!buf)
        return;
    for (int regime = 0; regime < ROOF_REGIME_COUNT; regime++) {
        if (m->n < ROOF_ERRM_MAX_ROWS && fit_row(r, n, exclude, regime, "all", 2, buf, &m->rows[m->n]))
            m->n++;
        /* The generations present, each once, in order of first row. */
        for (size_t i = 0; i < n; i++) {
            int first = r[i].regime == regime && r[i].generation[0];
            for (size_t j = 0; j < i && first; j++)
                first = !(r[j].regime == regime && strcmp(r[j].generation, r[i].generation) == 0);
            if (first && m->n < ROOF_ERRM_MAX_ROWS &&
                fit_row(r, n, exclude, regime, r[i].generation, ROOF_ERRM_MIN_GEN_ROWS, buf, &m->rows[m->n]))
                m->n++;
        }
    }
    free(buf);
}

char *roof_errm_text(const roof_errm *m, size_t nresid)
{
    size_t size = 2048 + m->n * 160;
    char *t = malloc(size);
    if (!t)
        return NULL;
    size_t len =
        (size_t)snprintf(t, size,
                         "# The error model of llmroof's error bars (docs/accuracy.md). Made by\n"
                         "#   llmroof validate published --cv --write-error-model validation/data/error_model.csv\n"
                         "# from %zu leave-one-source-out residuals log(measured / predicted): the\n"
                         "# published cases (validation/data) and the collective corpus (corpus/collectives.csv,\n"
                         "# ep_a2a.csv), each predicted with its own source held out of every fit.\n"
                         "# Per regime (model/error_model.h) over every GPU ('all', at least 2 rows) and per\n"
                         "# GPU generation with at least %d rows; collectives per size decade (10^decade B).\n"
                         "# mean_log, sd_log: mean and sample standard deviation; p10_log, p90_log: empirical\n"
                         "# quantiles (shown, not used: the intervals use mean and sd as a log-normal).\n"
                         "regime,generation,decade,n,mean_log,sd_log,p10_log,p90_log\n",
                         nresid, ROOF_ERRM_MIN_GEN_ROWS);
    for (size_t i = 0; i < m->n && len < size; i++) {
        const roof_errm_row *r = &m->rows[i];
        len += (size_t)snprintf(t + len, size - len, "%s,%s,%d,%d,%.6f,%.6f,%.6f,%.6f\n", roof_regime_name(r->regime),
                                r->generation, roof_regime_decade(r->regime), r->n, r->mean_log, r->sd_log, r->p10_log,
                                r->p90_log);
    }
    return t;
}

int roof_errm_covers(const roof_errm *m, const roof_resid *r, double level)
{
    const roof_errm_row *row = roof_errm_find(m, r->regime, r->generation);
    if (!row)
        return -1;
    double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * level);
    double e = log(r->measured_s / r->predicted_s);
    return e >= row->mean_log - z * row->sd_log && e <= row->mean_log + z * row->sd_log;
}

void roof_errm_coverage(const roof_resid *r, size_t n, double level, int loso, signed char *covered)
{
    roof_errm *m = malloc(sizeof *m);
    if (!m) {
        memset(covered, -1, n);
        return;
    }
    if (!loso)
        roof_errm_fit(r, n, NULL, m);
    for (size_t i = 0; i < n; i++) {
        if (loso) { /* one fit per source, at its first row */
            int first = 1;
            for (size_t j = 0; j < i && first; j++)
                first = strcmp(r[j].source, r[i].source) != 0;
            if (!first)
                continue;
            roof_errm_fit(r, n, r[i].source, m);
            for (size_t j = i; j < n; j++)
                if (strcmp(r[j].source, r[i].source) == 0)
                    covered[j] = (signed char)roof_errm_covers(m, &r[j], level);
        } else {
            covered[i] = (signed char)roof_errm_covers(m, &r[i], level);
        }
    }
    free(m);
}
