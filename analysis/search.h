/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The search over parallel plans: every choice of the knobs below whose
 * tp*cp*pp*dp is the GPU count, evaluated, filtered (model checks, memory
 * fit, constraints) and ranked by an objective; the best K are kept in a
 * caller-owned result (roof_search_result_free).
 *
 * The knobs: tp, cp, pp (dp is what is left), ep (MoE), microbatches (the
 * gradient accumulation in training; with dp they set the micro-batch
 * size batch/(dp*microbatches)) and sp; in training also vp (interleaved
 * stages), recompute (none, selective, full), ZeRO stage 0-3, dp_overlap and
 * offload (none or optimizer, where the profile has a host: hw.host.*);
 * in inference etp (expert tensor parallelism, MoE). Their costs are the
 * model's (model/training.c, model/activations.c, model/plan.c).
 *
 * The space is every combination of the knobs' values (divisors of the GPU
 * count, experts, batch and layers; the listed values otherwise). Rules
 * remove plans as early as they can, each counted: divisibility (heads by
 * tp, sequence by cp, layers by pp and by pp*vp, batch by dp*microbatches,
 * tp*cp*dp by ep, microbatches by pp for vp > 1), redundant (sp with tp 1;
 * ZeRO > 0 or dp_overlap without a data-parallel group: the same plan as
 * ZeRO 0 without overlap), fixed (--fix), model (the model's plan check),
 * memory (does not fit; a plan whose ZeRO-z twin does not fit is not
 * evaluated, as ZeRO stages below z hold more of the same memory) and
 * constraint. space = sum of the removed + feasible.
 *
 * The plans left after the first three rules (the candidates) are numbered
 * in one fixed order (tp, cp, pp, ep, microbatches, sp, vp, recompute, zero,
 * dp_overlap, offload, etp, each ascending); ties in the objective go to the lower
 * number. Plans sharing tp..sp form a block; shard I of N evaluates the
 * blocks whose number is I mod N, its threads take blocks in turn, each
 * with its own best K, and the best K of the best K are the best K of the
 * whole space whatever the split (roof_search_offer's order is total).
 */
#ifndef ROOF_ANALYSIS_SEARCH_H
#define ROOF_ANALYSIS_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/metric.h"
#include "analysis/serve.h"

#define ROOF_SEARCH_MAX_CONSTRAINTS 16
#define ROOF_SEARCH_MAX_TOP 10000
#define ROOF_SEARCH_MAX_THREADS 1024

typedef struct roof_plan_choice {
    int64_t tp, cp, pp, dp, ep, microbatches;
    int64_t vp, etp; /* etp 0: the model's default */
    int sp, recompute, zero, dp_overlap;
    int offload; /* roof_offload: none or optimizer (training) */
    /* Serving (the goodput objectives; 0 otherwise): engine.max_batch,
     * engine.chunk (0: engine.max_tokens) and the prefill replicas of a
     * disaggregated deployment (0: aggregated; dp - prefill decode). */
    int64_t chunk, max_batch, prefill;
} roof_plan_choice;

/* The knobs, in the order of the numbering; names as the csv columns. */
enum {
    ROOF_KNOB_TP,
    ROOF_KNOB_CP,
    ROOF_KNOB_PP,
    ROOF_KNOB_DP,
    ROOF_KNOB_EP,
    ROOF_KNOB_MICROBATCHES,
    ROOF_KNOB_SP,
    ROOF_KNOB_VP,
    ROOF_KNOB_RECOMPUTE,
    ROOF_KNOB_ZERO,
    ROOF_KNOB_DP_OVERLAP,
    ROOF_KNOB_ETP,
    ROOF_KNOB_OFFLOAD,
    ROOF_KNOB_CHUNK,
    ROOF_KNOB_MAX_BATCH,
    ROOF_KNOB_PREFILL,
    ROOF_KNOBS
};
const char *roof_search_knob_name(int knob);
int64_t roof_plan_choice_get(const roof_plan_choice *c, int knob);

/* The rules that remove plans, in the order they apply. */
enum {
    ROOF_RULE_DIVISIBILITY,
    ROOF_RULE_REDUNDANT,
    ROOF_RULE_FIXED,
    ROOF_RULE_MODEL,
    ROOF_RULE_MEMORY,
    ROOF_RULE_CONSTRAINT,
    ROOF_RULES
};
const char *roof_search_rule_name(int rule);

/* The serving search's figures of a row (the goodput objectives). */
typedef struct roof_search_serving_row {
    double goodput;            /* requests/s of the N GPUs meeting every SLO */
    double goodput_per_gpu;    /* requests/s per GPU */
    double goodput_per_usd_hr; /* requests/s per USD/hour of the N GPUs */
    int bound;                 /* roof_goodput's bound */
    /* The analytic means at the goodput (at a vanishing load where it is
     * 0): the values the SLOs are judged on, whatever their percentile. */
    double ttft_s, itl_s, tpot_s, e2e_s, queue_s, transfer_s;
} roof_search_serving_row;

typedef struct roof_search_row {
    int64_t index; /* the candidate's number in the enumeration */
    roof_plan_choice plan;
    double objective;                 /* the objective metric's value */
    double metrics[ROOF_MAX_METRICS]; /* every metric, in roof_metric_at order */
    roof_search_serving_row serve;    /* goodput objectives only */
} roof_search_row;

/* The goodput objectives: their SLOs, traffic lengths and engine. */
enum { ROOF_GOODPUT_PER_GPU = 1, ROOF_GOODPUT_PER_USD = 2 };
#define ROOF_SEARCH_GRID 16
typedef struct roof_search_serving {
    int objective; /* ROOF_GOODPUT_PER_GPU or ROOF_GOODPUT_PER_USD */
    int disagg;    /* search prefill:decode splits of the replicas */
    roof_serve_cfg cfg;
    roof_slo slos[ROOF_SERVE_MAX_SLOS];
    int nslo;
    /* The grids of the engine knobs (analysis/search_goodput.c), each
     * ascending; --fix adds its value. */
    int64_t chunk[ROOF_SEARCH_GRID], nchunk;
    int64_t max_batch[ROOF_SEARCH_GRID], nmax_batch;
} roof_search_serving;

typedef struct roof_search_opts {
    int64_t gpus;
    const roof_metric *objective;
    roof_target constraints[ROOF_SEARCH_MAX_CONSTRAINTS];
    size_t nconstraints;
    size_t top;            /* K */
    int64_t shard, shards; /* shard in 0..shards-1; 0 of 1 for all */
    int threads;           /* 0 or 1: the calling thread alone */
    /* fixed[k] >= 0 holds knob k at that value (--fix); -1 searches it. A
     * memset(0) opts has none fixed only after roof_search_opts_init. */
    int64_t fixed[ROOF_KNOBS];
    /* Every candidate evaluated in full: no memory pruning and no reuse of
     * the op lists (a check of both: the output must not change). */
    int exhaustive;
    /* The goodput objectives: NULL for a metric (then objective is set). */
    const roof_search_serving *serving;
    /* Called about every 2^12 plans (every block, from one thread); may be
     * NULL. */
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *progress_ctx;
} roof_search_opts;

/* Zeroes o and frees every knob (fixed[] = -1), one shard, one thread. */
void roof_search_opts_init(roof_search_opts *o);

/* The counts of one search (or shard); merged shards add theirs. space,
 * candidates and the removed by divisibility, redundant and fixed are of
 * the whole space (every shard has the same); the others are the shard's. */
typedef struct roof_search_counts {
    int64_t space;      /* every combination of the knobs' values */
    int64_t candidates; /* numbered: past divisibility, redundant and fixed */
    int64_t removed[ROOF_RULES];
    int64_t evaluated; /* by the model (memory pruning skips some) */
    int64_t valid;     /* plans the model accepts (of those evaluated) */
    int64_t fit;       /* ... that fit memory */
    int64_t feasible;  /* ... that meet every constraint */
    /* Goodput objectives: of the evaluated, those the screen showed below
     * the best K without their exact goodput (analysis/goodput_screen.c);
     * how many depends on the order the plans came in, so on --threads. */
    int64_t screened;
} roof_search_counts;

typedef struct roof_search_result {
    roof_search_row *rows; /* best first, n <= top */
    size_t n, cap;
    roof_search_counts counts;
    double seconds;     /* wall time of the evaluations and the workers' scratch (allocated, zeroed) */
    double cpu_seconds; /* CPU time of the same, every thread's: the rate per core on a shared machine */
    int threads;        /* threads used */
} roof_search_result;

/* The objective names of the CLI: ttft, tpot, throughput, cost (or any
 * metric name). */
int roof_search_objective(const char *name, const roof_metric **out, roof_error *err);

/* Whether scenario s can rank by objective m: the cost of owned GPUs
 * (usd_per_mtok_owned) needs hw.cost.gpu_usd and valid hw.cost.* settings,
 * else every plan would be NaN and the search would find none without
 * saying why. ROOF_ERR_INPUT naming the setting and the profile. */
int roof_search_objective_ready(const roof_metric *m, const roof_scenario *s, roof_error *err);

/* "I/N" with 0 <= I < N. */
int roof_search_shard_parse(const char *text, int64_t *shard, int64_t *shards, roof_error *err);

/* "KNOB=VALUE" into o->fixed (recompute takes none, selective or full;
 * offload none or optimizer). */
int roof_search_fix_parse(const char *text, roof_search_opts *o, roof_error *err);

/* Counts the space and the candidates alone (no evaluation): cheap, for
 * the size and a time estimate before the search. */
/* Whether the search may offload on s's profile: it has a host link and
 * host memory bandwidth (hw.host.*). */
int roof_search_can_offload(const roof_scenario *s);

int roof_search_count(const roof_scenario *base, const roof_search_opts *o, roof_search_counts *c, roof_error *err);

int roof_search_run(const roof_scenario *base, const roof_search_opts *o, roof_search_result *res, roof_error *err);

/* Sets s's knobs to c. */
void roof_plan_choice_apply(const roof_plan_choice *c, roof_scenario *s);

/* Offers one row to the best K (the merge of shard outputs uses it too).
 * higher_better: the objective's direction. */
int roof_search_offer(roof_search_result *res, size_t top, int higher_better, const roof_search_row *row,
                      roof_error *err);

void roof_search_result_free(roof_search_result *res);

#endif
