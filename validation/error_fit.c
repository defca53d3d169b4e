/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "validation/error_fit.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/profile.h"
#include "validation/published_rows.h"

/* The regime a published case is timed in: a GEMM or an attention kernel
 * by its roofline bound on its profile, the all-reduce sweep by its size decade, a static
 * batch's first token and request latency as serving, latencies and throughput under load as
 * serving under load (their own regime: the engine's queueing and scheduling scatter them more
 * than a static batch, whose spread they would otherwise widen), training steps and layers as a
 * training step. */
static int case_regime(const roof_pub_case *c, roof_error *err, int *regime)
{
    switch (c->kind) {
    case ROOF_PUB_GEMM: {
        /* On the profile the row is predicted on (its clock and library). */
        roof_hw hw, timed;
        roof_gemm_time t;
        int rc = roof_hw_load(c->hw, &hw, err);
        if (rc == ROOF_OK) {
            roof_pub_gemm_hw(c, &hw, &timed);
            rc = roof_gemm_time_of(&timed, &c->gemm, ROOF_GEMM_TIME_ONLY, &t, err);
        }
        if (rc != ROOF_OK)
            return rc;
        *regime = t.bound == ROOF_BOUND_COMPUTE ? ROOF_REGIME_GEMM_COMPUTE : ROOF_REGIME_MEMORY;
        return ROOF_OK;
    }
    case ROOF_PUB_ALLREDUCE:
        *regime = roof_comm_regime(c->comm.bytes);
        return ROOF_OK;
    case ROOF_PUB_ATTENTION: {
        /* A fused attention kernel, by its forward's roofline bound. */
        roof_hw hw;
        roof_kernel_time t;
        int rc = roof_hw_load(c->hw, &hw, err);
        if (rc == ROOF_OK)
            rc = roof_attention_time(&hw, &c->attn, c->gemm.dtype, 0, &t, err);
        if (rc != ROOF_OK)
            return rc;
        *regime = t.bound == ROOF_BOUND_COMPUTE ? ROOF_REGIME_ATTENTION : ROOF_REGIME_MEMORY;
        return ROOF_OK;
    }
    case ROOF_PUB_TTFT:
    case ROOF_PUB_REQUEST:
        *regime = ROOF_REGIME_SERVING;
        return ROOF_OK;
    case ROOF_PUB_SERVE:
        /* Throughput under load is the engine held at its limits (a
         * static batch's compute and memory, much as `serving`); its
         * latencies add the queue and the scheduler's policy, which
         * scatter far more (the TTFT of clients that meet in the same
         * prefills or not: docs/validation.md). */
        *regime = c->serve_metric == ROOF_PUB_SERVE_TPUT ? ROOF_REGIME_SERVING_TPUT : ROOF_REGIME_SERVING_LOAD;
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
        /* Rows judged by their ratio (relative_to) leave out their run's
         * level, which the error bars are for. */
        if (isfinite(cv->cv_s[i]) && cv->cv_s[i] > 0.0 && !cases[i].relative)
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

/* Workspace of a fit: per residual of a row its log and its cluster;
 * per cluster (a source on one GPU generation) its first residual, count
 * and sum. Each array holds n. */
typedef struct {
    double *e, *sum, *dev, *work; /* dev, work: per cluster, for the medians */
    size_t *cl, *rep, *cnt;
    /* Per residual: its cluster and its generation as dense numbers, and
     * whether its source is held out; per cluster its index in the row
     * being fitted (SIZE_MAX: none yet). Made once a fit (ids_of): the
     * fits run once per held-out source and level, thousands a report,
     * where comparing the names row by row took seconds. */
    size_t *cid, *gid, *local, *table;
    unsigned char *skip;
} fit_ws;

/* FNV-1a over a, a separator and b (Fowler, Noll and Vo; IETF
 * draft-eastlake-fnv). */
static uint64_t fnv2(const char *a, const char *b)
{
    uint64_t h = UINT64_C(14695981039346656037);
    for (const char *p = a; *p; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    h = (h ^ 0x1f) * UINT64_C(1099511628211);
    for (const char *p = b; *p; p++)
        h = (h ^ (unsigned char)*p) * UINT64_C(1099511628211);
    return h;
}

/* The keys dense_ids numbers: a residual's source, its GPU generation,
 * or the pair. */
enum { KEY_SOURCE = 1, KEY_GENERATION = 2 };

/* Slots of a hash table for n keys: a power of two above 2n. */
static size_t table_size(size_t n)
{
    size_t t = 16;
    while (t < 2 * n)
        t *= 2;
    return t;
}

static int same_key(const roof_resid *a, const roof_resid *b, int key)
{
    return (!(key & KEY_SOURCE) || strcmp(a->source, b->source) == 0) &&
           (!(key & KEY_GENERATION) || strcmp(a->generation, b->generation) == 0);
}

/* Dense ids of the residuals' keys into id: 0, 1, ... in order of first
 * row, by open addressing over table's tsize slots (table_size(n)). */
static void dense_ids(const roof_resid *r, size_t n, int key, size_t *table, size_t tsize, size_t *id)
{
    size_t next = 0;
    for (size_t t = 0; t < tsize; t++)
        table[t] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = fnv2(key & KEY_SOURCE ? r[i].source : "", key & KEY_GENERATION ? r[i].generation : "");
        size_t t = (size_t)h & (tsize - 1);
        while (table[t] != SIZE_MAX && !same_key(&r[table[t]], &r[i], key))
            t = (t + 1) & (tsize - 1);
        if (table[t] == SIZE_MAX) {
            table[t] = i;
            id[i] = next++;
        } else {
            id[i] = id[table[t]];
        }
    }
}

/* The ids of a fit: the residuals' (source, generation) pairs into
 * w->cid, their generations into w->gid; w->skip marks exclude's rows. */
static void ids_of(const roof_resid *r, size_t n, const char *exclude, size_t tsize, fit_ws *w)
{
    dense_ids(r, n, KEY_SOURCE | KEY_GENERATION, w->table, tsize, w->cid);
    dense_ids(r, n, KEY_GENERATION, w->table, tsize, w->gid);
    for (size_t i = 0; i < n; i++) {
        w->skip[i] = exclude && strcmp(r[i].source, exclude) == 0;
        w->local[i] = SIZE_MAX;
    }
}

/* The random-effects fit of the log residuals of regime on generation
 * ("all": every generation) into row; 0 when fewer than need rows.
 *
 * Model (one-way random effects): e_ij = mu + b_i + w_ij for residual j
 * of cluster i, the cluster a source measured on one GPU generation;
 * b_i ~ N(0, tau^2) is how far that source's setup sits from the others
 * (software version, cluster, measurement method), w_ij ~ N(0, sigma^2)
 * the scatter within it. With k clusters of n_i rows (N in all) and
 * means m_i:
 *   sigma^2 = sum_ij (e_ij - m_i)^2 / (N - k)           (pooled within)
 *   tau^2   = max(0, (1.4826 MAD(m_i))^2 - median_i(sigma^2 / n_i))
 * MAD the median absolute deviation from the median (Hampel 1974, J. Am.
 * Stat. Assoc. 69:383-393; 1.4826 makes it the sd of a normal), the
 * cluster means' spread less the part their own scatter explains. Why not
 * the moment (DerSimonian and Laird 1986) estimator, which this replaced:
 * one source far off the others (a cloud's TCP network read through an
 * InfiniBand profile, 3.7x slow) squares into tau for every row of its
 * regime, so the intervals of the sources that agree widen until they
 * cover nearly all their rows while still missing the far one; Lin, Chu
 * and Hodges 2017 (Biometrics 73:156-166) measure heterogeneity by
 * absolute deviations and medians for that reason. Out of sample the
 * moment tau covered collectives 87.8% and training steps 86.3% at the
 * 80% level (docs/accuracy.md). The within-source scatter keeps its
 * moment estimate: a source's own long tail (a serving run's slow
 * requests) is what its next row may show. The mean is the
 * random-effects weighted one, mu = sum w*_i m_i / sum w*_i with
 * w*_i = 1 / (tau^2 + sigma^2 / n_i), and its variance se^2 =
 * 1 / sum w*_i (DerSimonian and Laird 1986, Controlled Clinical Trials
 * 7:177-188). A residual of a new source is then N(mu, tau^2 + sigma^2 +
 * se^2): the predictive distribution of Higgins, Thompson and
 * Spiegelhalter 2009 (J. R. Stat. Soc. A 172:137-159) plus one
 * measurement's own scatter, with the normal quantile where they take
 * Student's t on k - 2 degrees of freedom (the intervals are drawn
 * log-normal).
 *
 * When every cluster has a single row, sigma and tau cannot be told
 * apart: sigma = 0 and tau is the means' robust spread alone. With a
 * single cluster tau cannot be estimated: tau2_given (>= 0) supplies it,
 * else row->tau_log is NaN and the mean and sd wait for it. */
static int fit_row(const roof_resid *r, size_t n, int regime, const char *generation, size_t need, double tau2_given,
                   fit_ws *w, roof_errm_row *row)
{
    size_t N = 0, k = 0;
    int all = strcmp(generation, "all") == 0;
    size_t gen = SIZE_MAX; /* the generation's id: that of a row of it */
    for (size_t i = 0; i < n && !all && gen == SIZE_MAX; i++)
        if (strcmp(r[i].generation, generation) == 0)
            gen = w->gid[i];
    for (size_t i = 0; i < n; i++) {
        if (r[i].regime != regime || !(all || w->gid[i] == gen) || w->skip[i])
            continue;
        size_t c = w->local[w->cid[i]];
        if (c == SIZE_MAX) {
            c = k;
            w->local[w->cid[i]] = k;
            w->rep[k] = i;
            w->cnt[k] = 0;
            w->sum[k++] = 0.0;
        }
        w->e[N] = log(r[i].measured_s / r[i].predicted_s);
        w->cl[N++] = c;
        w->cnt[c]++;
        w->sum[c] += w->e[N - 1];
    }
    for (size_t c = 0; c < k; c++) /* the clusters' indices back to none */
        w->local[w->cid[w->rep[c]]] = SIZE_MAX;
    if (N < need || N < 2)
        return 0;
    double ssw = 0.0;
    for (size_t j = 0; j < N; j++) {
        double d = w->e[j] - w->sum[w->cl[j]] / (double)w->cnt[w->cl[j]];
        ssw += d * d;
    }
    double sigma2 = N > k ? ssw / ((double)N - (double)k) : 0.0, tau2 = NAN;
    if (k >= 2) {
        for (size_t c = 0; c < k; c++)
            w->dev[c] = w->sum[c] / (double)w->cnt[c];
        double spread = gsl_stats_mad(w->dev, 1, k, w->work); /* 1.4826 MAD */
        for (size_t c = 0; c < k; c++)
            w->dev[c] = sigma2 / (double)w->cnt[c];
        gsl_sort(w->dev, 1, k);
        tau2 = fmax(0.0, spread * spread - gsl_stats_median_from_sorted_data(w->dev, 1, k));
    }
    if (tau2_given >= 0.0)
        tau2 = tau2_given;
    row->regime = regime;
    snprintf(row->generation, sizeof row->generation, "%s", generation);
    row->n = (int)N;
    row->sources = (int)k;
    row->sigma_log = sqrt(sigma2);
    row->tau_log = sqrt(tau2);
    row->mean_log = row->sd_log = row->se_mean_log = NAN;
    row->scale = 1.0; /* roof_errm_calibrate sets it */
    row->scale_rows = 0;
    if (!isnan(tau2)) {
        double sw = 0.0, swm = 0.0;
        for (size_t c = 0; c < k; c++) {
            double nc = (double)w->cnt[c], v = tau2 + sigma2 / nc;
            double wc = v > 0.0 ? 1.0 / v : nc; /* every residual equal: weigh by count */
            sw += wc;
            swm += wc * w->sum[c] / nc;
        }
        double se2 = tau2 + sigma2 > 0.0 ? 1.0 / sw : 0.0;
        row->mean_log = swm / sw;
        row->se_mean_log = sqrt(se2);
        row->sd_log = sqrt(tau2 + sigma2 + se2);
    }
    gsl_sort(w->e, 1, N);
    row->p10_log = gsl_stats_quantile_from_sorted_data(w->e, 1, N, 0.10);
    row->p90_log = gsl_stats_quantile_from_sorted_data(w->e, 1, N, 0.90);
    return 1;
}

void roof_errm_fit(const roof_resid *r, size_t n, const char *exclude, roof_errm *m)
{
    m->n = 0;
    fit_ws w;
    w.e = malloc(n * sizeof *w.e + 1);
    w.sum = malloc(n * sizeof *w.sum + 1);
    w.dev = malloc(n * sizeof *w.dev + 1);
    w.work = malloc(n * sizeof *w.work + 1);
    w.cl = malloc(n * sizeof *w.cl + 1);
    w.rep = malloc(n * sizeof *w.rep + 1);
    w.cnt = malloc(n * sizeof *w.cnt + 1);
    size_t tsize = table_size(n);
    w.cid = malloc(n * sizeof *w.cid + 1);
    w.gid = malloc(n * sizeof *w.gid + 1);
    w.local = malloc(n * sizeof *w.local + 1);
    w.table = malloc(tsize * sizeof *w.table);
    w.skip = malloc(n + 1);
    unsigned char *seen = malloc(n + 1); /* per generation id: fitted in this regime */
    if (!w.e || !w.sum || !w.dev || !w.work || !w.cl || !w.rep || !w.cnt || !w.cid || !w.gid || !w.local || !w.table ||
        !w.skip || !seen)
        goto out;
    ids_of(r, n, exclude, tsize, &w);
    for (int regime = 0; regime < ROOF_REGIME_COUNT; regime++) {
        if (m->n < ROOF_ERRM_MAX_ROWS && fit_row(r, n, regime, "all", 2, -1.0, &w, &m->rows[m->n]))
            m->n++;
        /* The generations present, each once, in order of first row. */
        memset(seen, 0, n + 1);
        for (size_t i = 0; i < n; i++) {
            if (r[i].regime != regime || !r[i].generation[0] || seen[w.gid[i]])
                continue;
            seen[w.gid[i]] = 1;
            if (m->n < ROOF_ERRM_MAX_ROWS &&
                fit_row(r, n, regime, r[i].generation, ROOF_ERRM_MIN_GEN_ROWS, -1.0, &w, &m->rows[m->n]))
                m->n++;
        }
    }
    /* The between-source spread of the rows with a single source: a
     * generation's row takes its regime's tau over every GPU (the spread
     * between sources and GPUs, an upper bound for one GPU's); a regime
     * with a single source takes tau^2 pooled over the other regimes'
     * rows over every GPU, weighted by their degrees of freedom k - 1.
     * Both are assumptions, labelled in tau_from. */
    double pool = 0.0, dof = 0.0;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->rows[i].generation, "all") == 0 && !isnan(m->rows[i].tau_log)) {
            pool += (double)(m->rows[i].sources - 1) * m->rows[i].tau_log * m->rows[i].tau_log;
            dof += (double)(m->rows[i].sources - 1);
        }
    for (size_t i = 0; i < m->n; i++) {
        roof_errm_row *row = &m->rows[i];
        const char *from = "fit";
        if (isnan(row->tau_log)) {
            const roof_errm_row *reg = NULL;
            for (size_t j = 0; j < m->n && strcmp(row->generation, "all") != 0; j++)
                if (m->rows[j].regime == row->regime && strcmp(m->rows[j].generation, "all") == 0 &&
                    !isnan(m->rows[j].tau_log))
                    reg = &m->rows[j];
            double tau2 = reg ? reg->tau_log * reg->tau_log : dof > 0.0 ? pool / dof : 0.0;
            from = reg ? "regime" : dof > 0.0 ? "pooled" : "none";
            char gen[sizeof row->generation]; /* fit_row writes row->generation */
            snprintf(gen, sizeof gen, "%s", row->generation);
            fit_row(r, n, row->regime, gen, 0, tau2, &w, row);
        }
        snprintf(row->tau_from, sizeof row->tau_from, "%s", from);
    }
out:
    free(w.e);
    free(w.sum);
    free(w.dev);
    free(w.work);
    free(w.cl);
    free(w.rep);
    free(w.cnt);
    free(w.cid);
    free(w.gid);
    free(w.local);
    free(w.table);
    free(w.skip);
    free(seen);
}

char *roof_errm_text(const roof_errm *m, size_t nresid)
{
    size_t size = 3072 + m->n * 200;
    char *t = malloc(size);
    if (!t)
        return NULL;
    size_t len = (size_t)snprintf(
        t, size,
        "# The error model of llmroof's error bars (docs/accuracy.md). Made by\n"
        "#   llmroof validate published --cv --write-error-model validation/data/error_model.csv\n"
        "# from %zu leave-one-source-out residuals log(measured / predicted): the\n"
        "# published cases (validation/data) and the collective corpus (corpus/collectives.csv,\n"
        "# ep_a2a.csv), each predicted with its own source held out of every fit.\n"
        "# Per regime (model/error_model.h) over every GPU ('all', at least 2 rows) and per\n"
        "# GPU generation with at least %d rows; collectives per size decade (10^decade B).\n"
        "# Random effects per row: a residual is mean_log + the effect of its source on its GPU\n"
        "# (sd tau_log) + the scatter within the source (sd sigma_log); tau from the median\n"
        "# absolute deviation of the row's sources' means (validation/error_fit.c). The intervals draw\n"
        "# log-normal with mean mean_log and sd sd_log = sqrt(tau^2 + sigma^2 + se_mean^2),\n"
        "# the spread of a source not in this table. tau_from: fit (the row's own sources),\n"
        "# regime (one source on the generation: the regime's tau over every GPU), pooled (one\n"
        "# source in the regime: the other regimes' tau^2 pooled by degrees of freedom), none.\n"
        "# sources: source-GPU pairs; p10_log, p90_log: empirical quantiles (shown, not used).\n"
        "# scale: the intervals draw with sd scale * sd_log, scale cross-conformal (Vovk 2015):\n"
        "# the %.0f%% quantile of scale_rows residuals' |log(measured / predicted) - mean_log| / sd_log\n"
        "# with each residual's source held out of the table, over the normal quantile, at least 1\n"
        "# (it only widens); per regime (a collective's decades together); 1 with scale_rows 0\n"
        "# where under %d scores or one source.\n"
        "regime,generation,decade,n,sources,mean_log,sd_log,tau_log,sigma_log,se_mean_log,"
        "p10_log,p90_log,tau_from,scale,scale_rows\n",
        nresid, ROOF_ERRM_MIN_GEN_ROWS, 100.0 * ROOF_ERRM_SCALE_LEVEL, ROOF_ERRM_MIN_SCALE_ROWS);
    for (size_t i = 0; i < m->n && len < size; i++) {
        const roof_errm_row *r = &m->rows[i];
        len += (size_t)snprintf(t + len, size - len, "%s,%s,%d,%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%s,%.6f,%d\n",
                                roof_regime_name(r->regime), r->generation, roof_regime_decade(r->regime), r->n,
                                r->sources, r->mean_log, r->sd_log, r->tau_log, r->sigma_log, r->se_mean_log,
                                r->p10_log, r->p90_log, r->tau_from, r->scale, r->scale_rows);
    }
    return t;
}

int roof_errm_covers(const roof_errm *m, const roof_resid *r, double level)
{
    const roof_errm_row *row = roof_errm_find(m, r->regime, r->generation);
    if (!row)
        return -1;
    double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * level), sd = row->scale * row->sd_log;
    double e = log(r->measured_s / r->predicted_s);
    return e >= row->mean_log - z * sd && e <= row->mean_log + z * sd;
}

/* first[i]: whether residual i is its source's first (the fits per
 * held-out source run there), by hashing the names once (a scan of the
 * rows before each took seconds a report). 0, or -1 out of memory. */
static int source_firsts(const roof_resid *r, size_t n, unsigned char *first)
{
    size_t tsize = table_size(n);
    size_t *table = malloc(tsize * sizeof *table), *id = malloc(n * sizeof *id + 1);
    if (!table || !id) {
        free(table);
        free(id);
        return -1;
    }
    dense_ids(r, n, KEY_SOURCE, table, tsize, id);
    for (size_t i = 0, seen = 0; i < n; i++) { /* a first row takes the next id */
        first[i] = id[i] == seen;
        seen += first[i];
    }
    free(table);
    free(id);
    return 0;
}

/* The residual's distance from the table's mean in its row's sd (before
 * any scale): |log(measured / predicted) - mean_log| / sd_log; NaN
 * without a row or with a sd of 0. */
static double score_in(const roof_errm *m, const roof_resid *r)
{
    const roof_errm_row *row = roof_errm_find(m, r->regime, r->generation);
    if (!row || !(row->sd_log > 0.0))
        return NAN;
    return fabs(log(r->measured_s / r->predicted_s) - row->mean_log) / row->sd_log;
}

/* The group one scale serves: a regime, a collective's decades together. */
static int scale_group(int regime)
{
    return roof_regime_decade(regime) >= 0 ? ROOF_REGIME_COMM0 : regime;
}

int roof_errm_scores(const roof_resid *r, size_t n, double *score)
{
    roof_errm *m = malloc(sizeof *m);
    unsigned char *first = malloc(n + 1);
    if (!m || !first || source_firsts(r, n, first) != 0) {
        free(m);
        free(first);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!first[i])
            continue;
        roof_errm_fit(r, n, r[i].source, m);
        for (size_t j = i; j < n; j++)
            if (strcmp(r[j].source, r[i].source) == 0)
                score[j] = score_in(m, &r[j]);
    }
    free(m);
    free(first);
    return 0;
}

/* Cross-conformal scale of the intervals (Vovk 2015, "Cross-conformal
 * predictors", Annals of Mathematics and Artificial Intelligence 74:9-28;
 * the jackknife+ of Barber, Candes, Ramdas and Tibshirani 2021, Annals of
 * Statistics 49:486-507): each residual's score is its distance from the
 * mean of the table fitted without its own source, in that table's sd
 * (roof_errm_scores); the scale of a group is the conformal quantile of
 * the scores at ROOF_ERRM_SCALE_LEVEL, the ceil((N + 1) level)-th
 * smallest of N (Lei, G'Sell, Rinaldo, Tibshirani and Wasserman 2018,
 * JASA 113:1094-1111), over the normal quantile the table would state:
 * the sd that would have covered that share of unseen sources' rows.
 *
 * It only widens (at least 1). Where a regime has three or four sources
 * (attention), a held-out one sits further from the rest than their
 * random-effects spread says, and the scale widens it. Where the scores
 * say narrower (collectives, memory-bound, training steps), they come
 * mostly from one or two large sources, and with such a source held out
 * the rest set a scale that misses it: narrowing was tried (2026-12-07)
 * and took serving, 97% of whose rows are one source's, from 76% to 66%
 * covered out of sample, training steps from 86% to 73%.
 * Scores of other sources were scored by tables that saw the held-out
 * source (as in the jackknife+); the held-out source's own scores never
 * set its scale. */
void roof_errm_calibrate(roof_errm *m, const roof_resid *r, size_t n, const double *score, const char *exclude)
{
    double scale[ROOF_REGIME_COUNT];
    int rows[ROOF_REGIME_COUNT];
    double *s = malloc(n * sizeof *s + 1);
    double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * ROOF_ERRM_SCALE_LEVEL);
    for (int g = 0; g < ROOF_REGIME_COUNT; g++) {
        scale[g] = 1.0; /* too few unseen-source scores: the fit's own width */
        rows[g] = 0;
        if (!s || scale_group(g) != g)
            continue;
        size_t k = 0, first = 0;
        int two = 0; /* scores from two sources at least */
        for (size_t j = 0; j < n; j++) {
            if (scale_group(r[j].regime) != g || !isfinite(score[j]) || (exclude && strcmp(r[j].source, exclude) == 0))
                continue;
            if (k == 0)
                first = j;
            else if (!two)
                two = strcmp(r[j].source, r[first].source) != 0;
            s[k++] = score[j];
        }
        if (k < ROOF_ERRM_MIN_SCALE_ROWS || !two)
            continue;
        gsl_sort(s, 1, k);
        size_t rank = (size_t)ceil(((double)k + 1.0) * ROOF_ERRM_SCALE_LEVEL);
        scale[g] = fmax(1.0, s[(rank > k ? k : rank) - 1] / z);
        rows[g] = (int)k;
    }
    for (size_t i = 0; i < m->n; i++) {
        m->rows[i].scale = scale[scale_group(m->rows[i].regime)];
        m->rows[i].scale_rows = rows[scale_group(m->rows[i].regime)];
    }
    free(s);
}

void roof_errm_coverage(const roof_resid *r, size_t n, const double *score, const double *levels, size_t nlevels,
                        int loso, signed char *covered)
{
    roof_errm *m = malloc(sizeof *m);
    unsigned char *first = malloc(n + 1);
    if (!m || !first || source_firsts(r, n, first) != 0) {
        memset(covered, -1, nlevels * n);
        free(m);
        free(first);
        return;
    }
    if (!loso) {
        roof_errm_fit(r, n, NULL, m);
        roof_errm_calibrate(m, r, n, score, NULL);
    }
    /* One fit (per held-out source, at its first row) serves every level:
     * neither the table nor its scale depends on the level. */
    for (size_t i = 0; i < n; i++) {
        if (loso) { /* its scores never set its scale */
            if (!first[i])
                continue;
            roof_errm_fit(r, n, r[i].source, m);
            roof_errm_calibrate(m, r, n, score, r[i].source);
            for (size_t j = i; j < n; j++)
                if (strcmp(r[j].source, r[i].source) == 0)
                    for (size_t l = 0; l < nlevels; l++)
                        covered[l * n + j] = (signed char)roof_errm_covers(m, &r[j], levels[l]);
        } else {
            for (size_t l = 0; l < nlevels; l++)
                covered[l * n + i] = (signed char)roof_errm_covers(m, &r[i], levels[l]);
        }
    }
    free(m);
    free(first);
}

size_t roof_errm_by_source(const roof_resid *r, size_t n, const signed char *covered, roof_errm_src *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int regime = roof_regime_decade(r[i].regime) >= 0 ? ROOF_REGIME_COMM0 : r[i].regime;
        size_t g = 0;
        while (g < k && !(out[g].regime == regime && strcmp(out[g].generation, r[i].generation) == 0 &&
                          strcmp(out[g].source, r[i].source) == 0))
            g++;
        if (g == k) {
            memset(&out[k], 0, sizeof out[k]);
            out[k].regime = regime;
            snprintf(out[k].generation, sizeof out[k].generation, "%s", r[i].generation);
            snprintf(out[k].source, sizeof out[k].source, "%s", r[i].source);
            k++;
        }
        out[g].rows++;
        out[g].sum_log += log(r[i].measured_s / r[i].predicted_s);
        if (covered[i] >= 0) {
            out[g].judged++;
            out[g].inside += (size_t)covered[i];
        }
    }
    return k;
}
