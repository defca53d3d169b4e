/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Error bars of a served load: the model's own error (analysis/interval.h,
 * model/error_model.h) drawn through the serving simulation or its
 * analytic steady state. Each draw scales every op's time by its regime's
 * factor (ops of one regime share it, as in estimate's intervals), builds
 * the iteration cost again and serves the same traffic (the same seed: the
 * same arrivals and lengths), so batching and queueing compose the draws
 * as they compose the point estimate.
 *
 * ROOF_SERVE_IV_DRAWS draws, fewer than estimate's 1000 because each is a
 * whole simulation (about 30 ms for 1000 requests of the default
 * deployment): 100 Latin hypercube draws put each stated percentile within
 * one stratum (1%) of its probability.
 */
#ifndef ROOF_ANALYSIS_SERVE_INTERVAL_H
#define ROOF_ANALYSIS_SERVE_INTERVAL_H

#include <stddef.h>

#include "analysis/serve.h"
#include "model/error_model.h"

#define ROOF_SERVE_IV_DRAWS 100

/* One statistic of a served load (a latency percentile, a rate, a cost):
 * the offset of its double in roof_serve_stats, e.g.
 * offsetof(roof_serve_stats, ttft.q[ROOF_SERVE_Q90]). */
typedef size_t roof_serve_stat;

/* The value of stat in st. */
double roof_serve_stat_value(const roof_serve_stats *st, roof_serve_stat stat);

/* Called after each draw with done and total. */
typedef void (*roof_serve_iv_progress)(void *ctx, int done, int total);

/* lo[j], hi[j]: the ROOF_INTERVAL_LO and _HI quantiles of stat[j] over the
 * draws, serving s under c (analytic: the steady state, else the
 * simulation) with the SLOs. A draw whose load saturates the analytic
 * steady state counts in *saturated: its latencies are infinite (a
 * quantile among them is INFINITY: unbounded) and its rates and costs
 * undefined (those statistics get no interval: NaN). Any other error of a
 * draw makes every interval NaN: *failed = 1 and why holds the error.
 * Errors (returned): out of memory. */
int roof_serve_interval(const roof_scenario *s, const roof_serve_cfg *c, const roof_slo *slos, int nslo, int analytic,
                        const roof_errm *em, const roof_serve_stat *stat, size_t nm, roof_serve_iv_progress progress,
                        void *progress_ctx, double *lo, double *hi, int *saturated, int *failed, roof_error *why,
                        roof_error *err);

/* The frontier's statistics given an interval, per point. */
enum {
    ROOF_FRONTIER_IV_USER, /* tok_s_user */
    ROOF_FRONTIER_IV_GPU,  /* tok_s_gpu */
    ROOF_FRONTIER_IV_TTFT, /* ttft_s */
    ROOF_FRONTIER_IV_TPOT, /* tpot_s */
    ROOF_FRONTIER_IV_USD,  /* usd_per_mtok */
    ROOF_FRONTIER_IV_N
};

/* lo, hi[i * ROOF_FRONTIER_IV_N + k]: the interval of statistic k of
 * pts[i] (roof_serve_frontier's points of base under c) where pts[i] is on
 * the Pareto frontier, NaN elsewhere; ROOF_SERVE_IV_DRAWS draws of the
 * steady state at each point's tp and concurrency. Errors: a draw the
 * model refuses, out of memory. */
int roof_serve_frontier_interval(const roof_scenario *base, const roof_serve_cfg *c, const roof_frontier_point *pts,
                                 int n, const roof_errm *em, double *lo, double *hi, roof_error *err);

/* The disaggregated deployment's statistics given an interval: its mean
 * TTFT, ITL and end-to-end latency, then the aggregated comparison's. */
enum {
    ROOF_DISAGG_IV_TTFT,
    ROOF_DISAGG_IV_ITL,
    ROOF_DISAGG_IV_E2E,
    ROOF_DISAGG_IV_AGG_TTFT,
    ROOF_DISAGG_IV_AGG_ITL,
    ROOF_DISAGG_IV_AGG_E2E,
    ROOF_DISAGG_IV_N
};

/* lo, hi[k]: the interval of statistic k of roof_serve_disagg_pools(s_p's
 * prefill pool, s_d's decode pool, s's aggregated replicas) over
 * ROOF_SERVE_IV_DRAWS draws. One draw scales the ops of every pool by the
 * same regime normals (a kernel slow on one GPU of a generation is slow on
 * the others; each pool takes its own generation's error rows). A draw
 * whose load a pool cannot carry counts in *unserved, its latencies
 * unbounded. Errors: the model refuses a scenario, out of memory. */
int roof_serve_disagg_interval(const roof_scenario *s_p, const roof_scenario *s_d, const roof_scenario *s,
                               int64_t aggregated, const roof_serve_cfg *c, int64_t prefill, int64_t decode,
                               const roof_slo *slos, int nslo, const roof_errm *em, double *lo, double *hi,
                               int *unserved, roof_error *err);

#endif
