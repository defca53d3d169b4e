/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The error model's fit and its calibration check (docs/accuracy.md).
 * The residuals are the leave-one-source-out cross-validation ones: each
 * published case predicted with its own source held out from every fit
 * (validation/published.h, roof_pub_cv_run) and each collective of the
 * corpus likewise (validation/comm_corpus.h). A residual is
 * log(measured / predicted), filed under the regime the model times the
 * case in (model/error_model.h) and the GPU's generation.
 *
 * roof_resid_collect allocates the residual array (free() it);
 * roof_errm_text allocates the table's text (free() it).
 */
#ifndef ROOF_VALIDATION_ERROR_FIT_H
#define ROOF_VALIDATION_ERROR_FIT_H

#include <stddef.h>

#include "model/error_model.h"
#include "validation/comm_corpus.h"
#include "validation/published.h"

/* Rows a generation needs for its own row of a regime; fewer fall back to
 * the regime's row over every GPU ("all"), which needs 2. */
#define ROOF_ERRM_MIN_GEN_ROWS 10

typedef struct roof_resid {
    int regime;
    char generation[16];
    char source[64];
    char id[80];
    double measured_s, predicted_s;
} roof_resid;

/* The residuals of cases (with cv's held-out predictions) and of the
 * collective corpus comm (may be NULL). */
int roof_resid_collect(const roof_pub_case *cases, size_t n, const roof_pub_cv *cv, const roof_comm_corpus *comm,
                       roof_resid **out, size_t *nout, roof_error *err);

/* Fits the error model to the residuals, leaving out those of source
 * exclude (NULL: none). */
void roof_errm_fit(const roof_resid *r, size_t n, const char *exclude, roof_errm *m);

/* The CSV text of m, with a header comment saying how it was made. */
char *roof_errm_text(const roof_errm *m, size_t nresid);

/* Scores a group's scale needs from two sources at least. */
#define ROOF_ERRM_MIN_SCALE_ROWS 20

/* score[i]: residual i's distance from the mean of the table fitted
 * without its own source, in that table's sd (NaN without a row). 0, or
 * -1 when out of memory. */
int roof_errm_scores(const roof_resid *r, size_t n, double *score);

/* Sets every row's scale (and scale_rows) from the scores of the
 * residuals not of source exclude (NULL: every one): per regime, a
 * collective's decades together, the conformal quantile at
 * ROOF_ERRM_SCALE_LEVEL over the normal one, at least 1; 1 (scale_rows 0)
 * with fewer than ROOF_ERRM_MIN_SCALE_ROWS scores or one source. */
void roof_errm_calibrate(roof_errm *m, const roof_resid *r, size_t n, const double *score, const char *exclude);

/* Whether residual r falls inside the central interval of probability
 * level that m states for it (log-normal: mean +- z scale sd, z the
 * standard normal quantile of (1 + level) / 2): 1 or 0, or -1 when m has
 * no row. */
int roof_errm_covers(const roof_errm *m, const roof_resid *r, double level);

/* covered[l n + i] for every residual i at each of the nlevels levels[l],
 * with the error model refitted and its scale calibrated without the
 * residual's own source (loso 1), or fitted and calibrated on every row
 * (loso 0); score from roof_errm_scores. */
void roof_errm_coverage(const roof_resid *r, size_t n, const double *score, const double *levels, size_t nlevels,
                        int loso, signed char *covered);

/* How one source's rows of one regime (a collective's decades together)
 * on one GPU generation fared: its rows, those covered[] judged (>= 0)
 * and found inside (1), and the sum of their log(measured / predicted).
 * A group with one or two sources is covered or missed by whether the
 * held-out source's offset lies inside the others' spread; this shows
 * which source does it (docs/accuracy.md). */
typedef struct roof_errm_src {
    int regime; /* ROOF_REGIME_COMM0 for every collective decade */
    char generation[16];
    char source[64];
    size_t rows, judged, inside;
    double sum_log;
} roof_errm_src;

/* Fills out (room for n entries) with one entry per regime, generation
 * and source, in order of first row; returns how many. */
size_t roof_errm_by_source(const roof_resid *r, size_t n, const signed char *covered, roof_errm_src *out);

#endif
