/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Serving under load: a discrete-event simulation of one replica of a
 * deployment serving a stream of requests with continuous batching
 * (Yu et al. 2022, "Orca", OSDI, Sec. 4: iteration-level scheduling),
 * chunked prefill mixed with decodes in one iteration (Agrawal et al.
 * 2024, "Sarathi-Serve", OSDI, Sec. 4) and a paged KV cache (Kwon et al.
 * 2023, "vLLM / PagedAttention", SOSP, Sec. 4).
 *
 * One idea per file: the traffic and engine settings (serve_params.c), the
 * requests (serve_traffic.c), the iteration times from the op list
 * (serve_cost.c), the engine (serve_engine.c), the statistics
 * (serve_stats.c) and the analytic steady state (serve_analytic.c).
 * docs/serving.md describes the model and its assumptions.
 *
 * The caller owns every struct; roof_serve_run allocates its working
 * arrays once per run (roof_serve_sim_free releases them), never per
 * iteration. Nothing here prints.
 */
#ifndef ROOF_ANALYSIS_SERVE_H
#define ROOF_ANALYSIS_SERVE_H

#include <stdint.h>

#include "model/evaluate.h"

typedef enum { ROOF_ARRIVAL_POISSON, ROOF_ARRIVAL_CONCURRENCY, ROOF_ARRIVAL_TRACE } roof_arrival;
typedef enum { ROOF_DIST_FIXED, ROOF_DIST_UNIFORM, ROOF_DIST_LOGNORMAL } roof_dist;

/* traffic.*: who arrives, when, with how many tokens. */
typedef struct roof_traffic {
    int arrival;           /* roof_arrival */
    double rate;           /* requests per second (poisson) */
    int64_t concurrency;   /* requests in the system (concurrency): a new one arrives as one completes */
    int64_t requests;      /* requests to simulate */
    int64_t seed;          /* of gsl_rng_mt19937 */
    int prompt_dist;       /* roof_dist */
    double prompt_mean;    /* tokens */
    double prompt_spread;  /* uniform: half-width over the mean; lognormal: standard deviation over the mean */
    int output_dist;       /* roof_dist */
    double output_mean;    /* tokens */
    double output_spread;  /* as prompt_spread */
    char trace[512];       /* trace CSV (arrival_s,prompt_tokens,output_tokens); "" = none */
    char trace_where[600]; /* where the path was given, for errors */
} roof_traffic;

/* engine.*: the scheduler's limits. */
typedef struct roof_serve_engine {
    int64_t max_batch;   /* requests running at once */
    int64_t max_tokens;  /* tokens (prefill and decode) one iteration processes */
    int64_t chunk;       /* prompt tokens of one request per iteration; 0 = max_tokens */
    int64_t page_tokens; /* tokens per KV page */
    double prefix_hit;   /* fraction of each prompt found in the prefix cache */
    int64_t kv_tokens;   /* KV cache capacity in tokens; 0 = from the memory model */
    double mem_fraction; /* share of GPU memory the engine may use */
    int64_t kv_of_free; /* 1: mem_fraction is the KV cache's share of what the weights, activations and reserve leave */
    int64_t mixed;      /* 1: prompt chunks share iterations with decodes; 0: a prompt's iteration stalls them */
    int64_t steps;      /* decode steps per scheduling round (multi-step scheduling) */
} roof_serve_engine;

typedef struct roof_serve_cfg {
    roof_traffic traffic;
    roof_serve_engine engine;
} roof_serve_cfg;

extern const roof_param_table roof_traffic_params;
extern const roof_param_table roof_engine_params;

/* Every setting to its default (trace ""). */
void roof_serve_defaults(roof_serve_cfg *c);

/* Reads the traffic and engine groups of the config file at path (which
 * model/config.c passes over); unknown settings are errors with file:line.
 * A trace path is relative to the config's folder. */
int roof_serve_load(const char *path, roof_serve_cfg *c, roof_error *err);

/* Whether "PATH=VALUE" names a traffic.* or engine.* setting. */
int roof_serve_is_setting(const char *assignment);

/* Applies one "PATH=VALUE" (traffic.trace takes a file name). */
int roof_serve_set(roof_serve_cfg *c, const char *assignment, roof_error *err);

/* Checks across settings ("engine.max_tokens must be at least
 * engine.max_batch"); where names the source ("traffic"). */
int roof_serve_check(const roof_serve_cfg *c, roof_error *err);

/* One request. Times in seconds from the start. */
typedef struct roof_request {
    double arrival_s;
    int64_t prompt, output; /* tokens */
} roof_request;

/* The requests of c->traffic: n = traffic.requests (or the trace's rows),
 * sorted by arrival. Concurrency mode gives arrival 0 to all; the engine
 * releases them one per completion. *reqs is malloc'ed (free it). */
int roof_serve_requests(const roof_traffic *t, roof_request **reqs, int64_t *n, roof_error *err);

/* Iteration times from the op list (serve_cost.c), cached. */
typedef struct roof_serve_cost roof_serve_cost;

/* Builds the cache for scenario s (copied) under engine e; fills the KV
 * capacity in pages. Errors: the plan's, a result the model refuses, a
 * cache with no room. */
int roof_serve_cost_new(const roof_scenario *s, const roof_serve_engine *e, roof_serve_cost **out, roof_error *err);
void roof_serve_cost_free(roof_serve_cost *c);

/* For searches, one cache for many plans: an empty cache (no scenario yet:
 * retarget it before use), and the cache emptied and pointed at scenario s
 * (one replica: s's dp is not checked) under engine e, its KV capacity
 * made again; nothing allocated. A plan whose weights and activations
 * leave no room for the cache fails with ROOF_ERR_RUNTIME at "engine". */
int roof_serve_cost_alloc(roof_serve_cost **out, roof_error *err);
int roof_serve_cost_retarget(roof_serve_cost *c, const roof_scenario *s, const roof_serve_engine *e, roof_error *err);

/* The time of one iteration: prefill of q requests with n_p prompt tokens
 * in all, and b decodes whose KV lengths average kv tokens. With a
 * runtime.engine, the engine's pass overheads (model/runtime.c,
 * roof_runtime_pass) are added: a decode-only iteration replays a CUDA
 * graph (runtime.cuda_graphs), one with a prompt chunk launches eagerly. */
int roof_serve_cost_iter(roof_serve_cost *c, int64_t n_p, int64_t q, int64_t b, double kv, double *t, roof_error *err);
/* The same with prefix_s more GPU time where the iteration has prompt
 * tokens: their chunks' attention to the prompt tokens cached before them
 * (the sum of roof_serve_cost_prefix over the chunks). */
int roof_serve_cost_iter_prefixed(roof_serve_cost *c, int64_t n_p, int64_t q, int64_t b, double kv, double prefix_s,
                                  double *t, roof_error *err);
/* The GPU time a chunk of n prompt tokens adds by attending to the p tokens
 * of its prompt already cached (chunked prefill; a prefix-cache hit):
 * the prefill of n tokens at context n + p less that at context n, from
 * the op lists (model/ops.c keys_per_query), interpolated on the length
 * grid in p; 0 when p < 1. */
int roof_serve_cost_prefix(roof_serve_cost *c, int64_t n, double p, double *t, roof_error *err);
/* A lower bound of roof_serve_cost_iter, cheaper: the lengths at their grid node at or below
 * (serve_cost.c; the time grows with the length), one evaluation where the
 * interpolation takes two (the goodput search's screen). */
int roof_serve_cost_iter_lower(roof_serve_cost *c, int64_t n_p, int64_t q, int64_t b, double kv, double prefix_s,
                               double *t, roof_error *err);
/* The prefix attention of one request's whole prompt (roof_serve_cost_prefix
 * over its chunks): Sc tokens computed in chunks of at most chunk after
 * cached tokens found in the prefix cache. The full chunks are summed as
 * their count times the chunk at their mean prefix (the time is linear in
 * the prefix within a roofline regime: the trapezoid rule of
 * model/evaluate.c's TPOT), the last one on its own. */
int roof_serve_cost_prompt_prefix(roof_serve_cost *c, double Sc, double cached, double chunk, double *t,
                                  roof_error *err);

typedef struct roof_serve_capacity {
    int64_t kv_pages;      /* pages the cache holds */
    double kv_token_bytes; /* bytes per token on the fullest GPU */
    double weights_bytes, activation_bytes, capacity_bytes;
    int64_t gpus;
    double usd_per_hour, watts; /* per GPU */
    double request_s;           /* runtime.request_overhead in force: added to each TTFT and e2e (0: engine none) */
} roof_serve_capacity;
const roof_serve_capacity *roof_serve_cost_capacity(const roof_serve_cost *c);
/* Evaluations made and cache hits, for the benchmark. */
void roof_serve_cost_counts(const roof_serve_cost *c, int64_t *evals, int64_t *hits);

/* What happened to each request. */
typedef struct roof_request_log {
    double admit_s, first_s, done_s; /* admitted (KV reserved), first token, last token */
} roof_request_log;

typedef struct roof_iter_log {
    double dur_s;
    int64_t decodes; /* tokens of requests past their first: each waited dur_s for it */
} roof_iter_log;

/* A finished simulation: per-request and per-iteration logs. */
typedef struct roof_serve_sim {
    int64_t n;
    roof_request *req;
    roof_request_log *log;
    roof_iter_log *iters;
    int64_t niters, iters_cap;
    double start_s, end_s; /* first arrival, last completion */
    double busy_area;      /* integral of requests in the system over time */
    double kv_area;        /* integral of KV pages in use over time */
    int64_t kv_pages_peak; /* most KV pages in use */
    int64_t max_running;   /* most requests admitted at once */
    int64_t kv_pages;      /* capacity */
} roof_serve_sim;

/* Progress: called every so many completions with done and total. */
typedef void (*roof_serve_progress_fn)(void *ctx, int64_t done, int64_t total);

/* Runs the engine over reqs[0..n) (taken over by sim: freed by
 * roof_serve_sim_free). */
int roof_serve_run(roof_serve_cost *cost, const roof_serve_cfg *c, roof_request *reqs, int64_t n,
                   roof_serve_progress_fn progress, void *pctx, roof_serve_sim *sim, roof_error *err);
void roof_serve_sim_free(roof_serve_sim *sim);

/* Service-level objectives: "ttft_p90<=1" (metric ttft, itl, tpot, e2e or
 * queue; percentile p50, p90, p99 or mean; seconds with SI suffixes). */
typedef enum { ROOF_SLO_TTFT, ROOF_SLO_ITL, ROOF_SLO_TPOT, ROOF_SLO_E2E, ROOF_SLO_QUEUE } roof_slo_metric;
typedef struct roof_slo {
    int metric;      /* roof_slo_metric */
    double quantile; /* 0.5, 0.9, 0.99; negative = mean */
    double limit_s;
    char text[64];
} roof_slo;
int roof_slo_parse(const char *text, roof_slo *slo, roof_error *err);

enum { ROOF_SERVE_Q50, ROOF_SERVE_Q90, ROOF_SERVE_Q99, ROOF_SERVE_NQ };

/* The distribution of one latency: mean and p50/p90/p99. */
typedef struct roof_serve_dist {
    double mean, q[ROOF_SERVE_NQ];
} roof_serve_dist;

#define ROOF_SERVE_MAX_SLOS 16

typedef struct roof_serve_stats {
    int64_t requests, output_tokens, prompt_tokens;
    double duration_s;
    roof_serve_dist ttft, itl, tpot, e2e, queue;
    double req_per_s, tokens_per_s, tokens_per_s_per_gpu, input_tokens_per_s;
    double goodput_req_per_s; /* requests/s meeting every SLO */
    double slo_attained;      /* share of requests meeting every SLO */
    int nslo;
    double slo_value[ROOF_SERVE_MAX_SLOS]; /* the distribution's value each SLO bounds */
    int slo_met[ROOF_SERVE_MAX_SLOS];
    double mean_in_system; /* time-average requests in the system (L) */
    double kv_occupancy;   /* time-average share of KV pages in use */
    double kv_peak;        /* largest share */
    int64_t max_running;
    double usd_per_mtok, joules_per_token;
    int analytic;  /* from roof_serve_analytic: only means; q = the mean */
    int saturated; /* analytic: the load exceeds what the engine can serve */
} roof_serve_stats;

/* Statistics of a finished simulation (percentiles by
 * gsl_stats_quantile_from_sorted_data). Allocates scratch once. */
int roof_serve_stats_of(const roof_serve_sim *sim, const roof_serve_capacity *cap, const roof_slo *slos, int nslo,
                        roof_serve_stats *st, roof_error *err);

/* A whole simulation: c's requests drawn (roof_serve_requests), served on
 * cost (roof_serve_run, progress as there) and summed up
 * (roof_serve_stats_of) into st. */
int roof_serve_simulate(roof_serve_cost *cost, const roof_serve_cfg *c, const roof_slo *slos, int nslo,
                        roof_serve_progress_fn progress, void *pctx, roof_serve_stats *st, roof_error *err);

/* $/Mtok and J/token of gpus GPUs of cap producing tokens_per_s. */
void roof_serve_token_cost(const roof_serve_capacity *cap, double gpus, double tokens_per_s, double *usd_per_mtok,
                           double *joules_per_token);

/* Throughput, cost and the SLOs' verdicts of st, whose duration, counts,
 * latency distributions and slo_attained are filled (the analytic mode). */
int roof_serve_stats_finish(const roof_serve_capacity *cap, const roof_slo *slos, int nslo, roof_serve_stats *st,
                            roof_error *err);

/* The analytic steady state (serve_analytic.c): mean latencies at the
 * traffic's rate or concurrency from the fixed point of the iteration time,
 * for searches that cannot afford a simulation. */
int roof_serve_analytic(roof_serve_cost *cost, const roof_serve_cfg *c, const roof_slo *slos, int nslo,
                        roof_serve_stats *st, roof_error *err);

/* One pool of a disaggregated deployment (serve_disagg.c), or the whole
 * replica: prefill pools answer with the first token, decode pools take
 * the KV whole and generate the rest. Pools need Poisson arrivals. */
enum { ROOF_SERVE_POOL_ALL, ROOF_SERVE_POOL_PREFILL, ROOF_SERVE_POOL_DECODE };
int roof_serve_analytic_pool(roof_serve_cost *cost, const roof_serve_cfg *c, int pool, const roof_slo *slos, int nslo,
                             roof_serve_stats *st, roof_error *err);

/* Disaggregated prefill and decode (serve_disagg.c): P prefill and D decode
 * replicas of the scenario's plan, the traffic's rate split evenly over
 * each pool, the prompt's KV sent from prefill to decode over the cluster
 * network. The same P + D replicas serving aggregated, for comparison. */
typedef struct roof_disagg_result {
    int64_t prefill, decode; /* replicas in each pool */
    int64_t gpus;            /* P x GPUs per prefill replica + D x GPUs per decode replica */
    double ttft_s, itl_s, e2e_s;
    double transfer_s; /* the prompt's KV, prefill to decode, per request */
    double prefill_queue_s, decode_queue_s;
    double tokens_per_s, tokens_per_s_per_gpu, goodput_req_per_s;
    double usd_per_mtok, joules_per_token;
    int slo_met;                 /* every SLO met by the means */
    roof_serve_stats aggregated; /* the aggregated replicas (P + D, or as asked) at an even share of the rate */
    int64_t aggregated_replicas;
} roof_disagg_result;
int roof_serve_disagg(roof_serve_cost *cost, const roof_scenario *s, const roof_serve_cfg *c, int64_t prefill,
                      int64_t decode, const roof_slo *slos, int nslo, roof_disagg_result *out, roof_error *err);

/* The same with a plan and hardware of its own for each pool (xPyD with
 * different parts, DistServe Sec. 4: each phase its own parallelism):
 * prefill replicas of (cost_p, s_p), decode replicas of (cost_d, s_d), the
 * KV resharded between them (roof_serve_kv_transfer_pools); GPUs, cost and
 * energy summed over both pools. The aggregated comparison: replicas of
 * cost's deployment at an even share of the rate, `aggregated` of them
 * (0: P + D). */
int roof_serve_disagg_pools(roof_serve_cost *cost_p, const roof_scenario *s_p, roof_serve_cost *cost_d,
                            const roof_scenario *s_d, roof_serve_cost *cost, int64_t aggregated,
                            const roof_serve_cfg *c, int64_t prefill, int64_t decode, const roof_slo *slos, int nslo,
                            roof_disagg_result *out, roof_error *err);

/* The prompt's KV from a prefill replica of s_p to a decode replica of
 * s_d, resharded where their plans differ: every GPU of each side sends or
 * receives its own shard through its own link of the cluster tier at once
 * (no gather to one GPU), so the side whose GPU moves more bytes per
 * second of its link bounds the transfer; plus the larger latency. */
int roof_serve_kv_transfer_pools(const roof_scenario *s_p, const roof_serve_capacity *cap_p, const roof_scenario *s_d,
                                 const roof_serve_capacity *cap_d, double prompt_tokens, double *seconds,
                                 roof_error *err);

/* The prompt's KV from a prefill to a decode replica (serve_disagg.c): the
 * cluster tier's latency plus prompt_tokens of KV on the fullest GPU over
 * its link (bandwidth x efficiency). ROOF_ERR_USAGE where s's profile has
 * no cluster link. */
int roof_serve_kv_transfer(const roof_scenario *s, const roof_serve_capacity *cap, double prompt_tokens,
                           double *seconds, roof_error *err);

/* Goodput (serve_goodput.c): the highest request rate whose analytic
 * steady state meets every SLO (DistServe's goodput, Zhong et al. 2024,
 * OSDI, Sec. 2.2), for the traffic's lengths and the engine of c, over
 * `replicas` replicas of the plan of cost: aggregated (prefill 0) or
 * `prefill` prefill and replicas - prefill decode replicas (transfer_s:
 * roof_serve_kv_transfer). 0 when no rate meets them (never NaN). bound
 * says what stops a higher rate: an SLO (its index) or a limit. The
 * steady state at a rate is its least fixed point (serve_analytic.c's
 * definition); serve_goodput.c explains the search. */
enum {
    ROOF_GOODPUT_BOUND_TOKENS = -1, /* engine.max_tokens */
    ROOF_GOODPUT_BOUND_BATCH = -2,  /* engine.max_batch */
    ROOF_GOODPUT_BOUND_KV = -3,     /* the KV cache */
};
typedef struct roof_goodput {
    double rate; /* requests/s over every replica */
    int bound;   /* 0..nslo-1: that SLO; else ROOF_GOODPUT_BOUND_* */
    /* With means: the steady state's means at that rate (at a vanishing
     * load where it is 0), the values the SLOs are judged on. */
    double ttft_s, itl_s, tpot_s, e2e_s, queue_s, transfer_s;
    /* The memo's floor showed the rate below it (aggregated, no means):
     * rate is then 0 and says nothing. */
    int below_floor;
} roof_goodput;

/* The work of one plan shared between its configurations: filled by the
 * calls, emptied by roof_serve_goodput_reset (after a retarget). */
/* Entries: a search plan's SLO boundaries (a chunk each) and batch
 * limits, at most 8 + 8 x 9 with one value of each added by --fix, so that
 * none is dropped (a full memo starts again, and which entries a plan
 * then searches again would depend on the order of its configurations). */
#define ROOF_GOODPUT_MEMO 128
#define ROOF_GOODPUT_CURVES 8
#define ROOF_GOODPUT_POINTS 96
typedef struct roof_goodput_curve {
    int pool, n;
    double k, own;
    double x[ROOF_GOODPUT_POINTS], c[ROOF_GOODPUT_POINTS];
} roof_goodput_curve;
typedef struct roof_goodput_memo {
    int n;
    struct {
        int pool;
        double k, own;  /* the prompt's chunks and the largest */
        double key;     /* -1: the SLO boundary; else the cap of x */
        double x, rate; /* the boundary, or where the highest rate is */
        int bound;
    } e[ROOF_GOODPUT_MEMO];
    /* The points (x, C(x)) each boundary search evaluated, ascending: the
     * first cells of the highest rate's branch and bound. */
    roof_goodput_curve curve[ROOF_GOODPUT_CURVES];
    int ncurve;
    /* A rate per replica (aggregated) no configuration needs to be known
     * below, or -1: where the points of the SLO boundary show a batch
     * limit's highest rate below it, its branch and bound is skipped
     * (below_floor). The configurations above it get the exact search's
     * result, bit for bit: the boundaries are searched as without it. */
    double floor;
} roof_goodput_memo;
/* Empties m; no floor. */
void roof_serve_goodput_reset(roof_goodput_memo *m);

int roof_serve_goodput(roof_serve_cost *cost, const roof_serve_cfg *c, const roof_slo *slos, int nslo, int64_t replicas,
                       int64_t prefill, double transfer_s, int means, roof_goodput_memo *memo, roof_goodput *out,
                       roof_error *err);

/* The goodput search's screen (goodput_screen.c): below = 1 where no rate
 * of one aggregated replica under c's traffic and chunking, at any
 * max_batch, meets the SLOs at floor requests/s or more (each bound by the
 * exact search's own: C and the latencies grow with the load); at floor
 * 0, where no load meets them (goodput 0); 0 where one might (the exact
 * search, roof_serve_goodput, decides) or floor < 0. */
int roof_serve_goodput_screen(roof_serve_cost *cost, const roof_serve_cfg *c, const roof_slo *slos, int nslo,
                              double floor, int *below, roof_error *err);

/* The throughput-interactivity frontier (serve_frontier.c). */
typedef struct roof_frontier_point {
    int64_t tp, replicas, concurrency; /* concurrency per replica */
    double tok_s_user;                 /* output tokens per second per user: 1 / TPOT */
    double tok_s_gpu;                  /* output tokens per second per GPU */
    double ttft_s, tpot_s, usd_per_mtok;
    int pareto; /* no other point has both rates at least as high and one higher */
} roof_frontier_point;

/* Every tp (a power of two dividing gpus) and concurrency (1, 2, 4, ... up
 * to engine.max_batch) of base on gpus GPUs, by the analytic steady state,
 * into pts[0..*n), Pareto points marked. */
int roof_serve_frontier(const roof_scenario *base, const roof_serve_cfg *c, int64_t gpus, roof_frontier_point *pts,
                        int max, int *n, roof_error *err);

/* Marks the Pareto points of pts[0..n). */
void roof_serve_frontier_mark(roof_frontier_point *pts, int n);

#endif
