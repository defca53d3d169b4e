/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model's own error: for each regime of op (a compute-bound GEMM, a
 * memory-bound GEMM or elementwise op, a collective of one size decade)
 * and, where the calibration data allow, each GPU generation, the
 * distribution of log(measured / predicted) seen in leave-one-source-out
 * cross-validation (validation/error_fit.c fits it; docs/accuracy.md).
 * The table ships embedded (validation/data/error_model.csv); another can
 * be read from a file. Whole-metric regimes (a training step, a served
 * request) are stored for the calibration report and are not applied to
 * ops.
 *
 * roof_errm_parse fills a caller-owned roof_errm; nothing is allocated.
 */
#ifndef ROOF_MODEL_ERROR_MODEL_H
#define ROOF_MODEL_ERROR_MODEL_H

#include <stddef.h>

#include "core/error.h"
#include "model/ops.h"

/* The regimes ops are timed in. Collectives take one slot per size
 * decade of their bytes, 10^0 .. 10^12 B (outside: the nearest). */
enum {
    ROOF_REGIME_GEMM_COMPUTE, /* a GEMM bound by compute */
    ROOF_REGIME_MEMORY,       /* a GEMM, fused or elementwise op bound by memory */
    ROOF_REGIME_ATTENTION,    /* a fused attention kernel bound by compute (corpus/attention.csv) */
    ROOF_REGIME_COMM0,        /* a collective of 10^0 B; + d for 10^d B */
    ROOF_REGIME_COMM_DECADES = 13,
    ROOF_REGIME_OPS = ROOF_REGIME_COMM0 + ROOF_REGIME_COMM_DECADES,
    ROOF_REGIME_TRAIN_STEP = ROOF_REGIME_OPS, /* whole metrics: calibration only */
    ROOF_REGIME_SERVING,                      /* a static batch: its first token, its whole request */
    ROOF_REGIME_SERVING_LOAD,                 /* latencies under load: queueing and the engine's scheduling too */
    ROOF_REGIME_SERVING_TPUT,                 /* throughput under load: the engine held at its limits */
    ROOF_REGIME_COUNT
};

#define ROOF_ERRM_MAX_ROWS 128

/* One row: a regime (with the collective's decade), a GPU generation
 * ("all" for every GPU), and the log residuals' statistics under a
 * random-effects model (validation/error_fit.c): a residual is mean_log
 * plus the effect of its source on its GPU (sd tau_log) plus noise within
 * the source (sd sigma_log). The interval for a deployment the table has
 * not seen draws log-normal with mean mean_log and sd sd_log =
 * sqrt(tau^2 + sigma^2 + se_mean^2), se_mean_log the standard error of
 * mean_log. tau_from says where tau came from: "fit" (from the row's own
 * sources, at least 2), "regime" (one source on this generation: the
 * regime's tau over every GPU), "pooled" (one source in the regime: the
 * other regimes' tau pooled), "none" (nothing to borrow: 0). */
typedef struct roof_errm_row {
    int regime;
    char generation[16];
    int n, sources;
    double mean_log, sd_log, tau_log, sigma_log, se_mean_log, p10_log, p90_log;
    char tau_from[8];
    /* The intervals draw with sd scale * sd_log: scale widens the
     * random-effects width where unseen sources were missed more often
     * than it states (cross-conformal, at ROOF_ERRM_SCALE_LEVEL,
     * validation/error_fit.c) from scale_rows scores of the row's regime
     * (a collective's decades together); 1 with scale_rows 0 where too
     * few. */
    double scale;
    int scale_rows;
} roof_errm_row;

/* The coverage the scale is calibrated at: the intervals' p10-p90. */
#define ROOF_ERRM_SCALE_LEVEL 0.80

typedef struct roof_errm {
    size_t n;
    roof_errm_row rows[ROOF_ERRM_MAX_ROWS];
} roof_errm;

/* The regime's name in the table ("gemm_compute", "memory", "attention",
 * "collective", "train_step", "serving", "serving_load", "serving_tput")
 * and, for a
 * collective, its decade
 * (else -1). */
const char *roof_regime_name(int regime);
int roof_regime_decade(int regime);
/* The regime of a name and decade (collective: decade 0..12), or -1. */
int roof_regime_of_name(const char *name, int decade);

/* The regime of a timed op (its kind and roofline bound). */
int roof_op_regime(const roof_op *o);
/* A collective of bytes bytes. */
int roof_comm_regime(double bytes);

/* The GPU generation of a built-in profile's name ("ampere", "hopper",
 * "blackwell", "cdna3"), or "" when unknown. */
const char *roof_hw_generation(const char *hw_name);

/* Parses the CSV text of an error model (lines starting with '#' before
 * the header are comments). display names it in errors. */
int roof_errm_parse(const char *text, const char *display, roof_errm *m, roof_error *err);
/* Reads path, or the built-in table when path is NULL. */
int roof_errm_load(const char *path, roof_errm *m, roof_error *err);

/* The row for regime on generation: the generation's own row, else the
 * "all" row, else (a collective) the nearest decade with a row; NULL when
 * the table has none. */
const roof_errm_row *roof_errm_find(const roof_errm *m, int regime, const char *generation);

#endif
