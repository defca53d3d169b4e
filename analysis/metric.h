/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The metrics that analyses ask for by name ("ttft_s", "tpot_s", ...): a
 * static table of name -> accessor on a roof_result, with the unit, whether
 * more is better, and the phases the metric needs (so that a search
 * evaluates only those). Nothing here allocates; the table is static.
 */
#ifndef ROOF_ANALYSIS_METRIC_H
#define ROOF_ANALYSIS_METRIC_H

#include <stddef.h>

#include "core/error.h"
#include "model/evaluate.h"

#define ROOF_MAX_METRICS 32

typedef struct roof_metric {
    const char *name;
    const char *unit;
    int higher_better; /* throughput: 1; times, cost, memory: 0 */
    int phases;        /* ROOF_EVAL_PREFILL | ROOF_EVAL_DECODE it reads */
    double (*get)(const roof_result *r);
    const char *meaning;
} roof_metric;

/* What a command shows when the user names no metric, by the workload's
 * phase: inference metrics, or training ones. */
typedef enum {
    ROOF_METRICS_SWEEP,       /* sweep's columns */
    ROOF_METRICS_UNCERTAINTY, /* uncertainty's rows */
    ROOF_METRICS_SENSITIVITY, /* sensitivity's one metric */
    ROOF_METRICS_OBJECTIVE,   /* search and compare's objective (an alias) */
    ROOF_METRICS_SHOWN        /* search and compare's columns */
} roof_metric_use;

const char *roof_metric_defaults(int phase, roof_metric_use use);

size_t roof_metric_count(void);
const roof_metric *roof_metric_at(size_t i);

/* Finds a metric by name. Unknown name: ROOF_ERR_USAGE at where, "unknown
 * metric 'X' (expected ttft_s, tpot_s, ...)". */
int roof_metric_find(const char *name, const char *where, const roof_metric **out, roof_error *err);

/* Parses a comma-separated list ("ttft_s,tpot_s") into out[max]. */
int roof_metric_list(const char *text, const char *where, const roof_metric **out, size_t max, size_t *n,
                     roof_error *err);

/* A target or constraint: METRIC<=VALUE or METRIC>=VALUE (VALUE with SI
 * suffixes). */
typedef struct roof_target {
    const roof_metric *metric;
    int at_most; /* 1: <=, 0: >= */
    double value;
} roof_target;

int roof_target_parse(const char *text, const char *where, roof_target *t, roof_error *err);

/* 1 when r meets t (a NaN metric never does). */
int roof_target_met(const roof_target *t, const roof_result *r);

#endif
