/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The search over parallel plans: every (tp, cp, pp, dp, ep, microbatches,
 * sp) whose tp*cp*pp*dp is the GPU count, evaluated, filtered (memory fit,
 * constraints) and ranked by an objective; the best K are kept in a
 * caller-owned result (roof_search_result_free).
 *
 * Candidates are numbered in one fixed order (tp, cp, pp, ep, microbatches,
 * sp, each ascending; dp is what is left); ties in the objective go to the
 * lower number. Shard I of N evaluates the candidates whose number is I mod
 * N (round-robin, so that shards balance), and the best K of the shards'
 * best K are the best K of the whole space: roof_search_merge.
 */
#ifndef ROOF_ANALYSIS_SEARCH_H
#define ROOF_ANALYSIS_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/metric.h"

#define ROOF_SEARCH_MAX_CONSTRAINTS 16
#define ROOF_SEARCH_MAX_TOP 10000

typedef struct roof_plan_choice {
    int64_t tp, cp, pp, dp, ep, microbatches;
    int sp;
} roof_plan_choice;

typedef struct roof_search_row {
    int64_t index; /* the candidate's number in the enumeration */
    roof_plan_choice plan;
    double objective;                 /* the objective metric's value */
    double metrics[ROOF_MAX_METRICS]; /* every metric, in roof_metric_at order */
} roof_search_row;

typedef struct roof_search_opts {
    int64_t gpus;
    const roof_metric *objective;
    roof_target constraints[ROOF_SEARCH_MAX_CONSTRAINTS];
    size_t nconstraints;
    size_t top;            /* K */
    int64_t shard, shards; /* shard in 0..shards-1; 0 of 1 for all */
    /* Called about every 2^16 candidates; may be NULL. */
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *progress_ctx;
} roof_search_opts;

typedef struct roof_search_result {
    roof_search_row *rows; /* best first, n <= top */
    size_t n, cap;
    int64_t candidates; /* in the whole space */
    int64_t evaluated;  /* by this shard */
    int64_t valid;      /* plans the model accepts */
    int64_t fit;        /* ... that fit memory */
    int64_t feasible;   /* ... that meet every constraint */
    double seconds;     /* wall time of the evaluations */
} roof_search_result;

/* The objective names of the CLI: ttft, tpot, throughput, cost (or any
 * metric name). */
int roof_search_objective(const char *name, const roof_metric **out, roof_error *err);

/* "I/N" with 0 <= I < N. */
int roof_search_shard_parse(const char *text, int64_t *shard, int64_t *shards, roof_error *err);

int roof_search_run(const roof_scenario *base, const roof_search_opts *o, roof_search_result *res, roof_error *err);

/* Offers one row to the best K (the merge of shard outputs uses it too).
 * higher_better: the objective's direction. */
int roof_search_offer(roof_search_result *res, size_t top, int higher_better, const roof_search_row *row,
                      roof_error *err);

void roof_search_result_free(roof_search_result *res);

#endif
