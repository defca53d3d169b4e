/* One evaluation of a deployment: the plan, the layer ops of prefill and
 * decode timed on the hardware, composed into stage and pipeline times, the
 * phase metrics (TTFT, TPOT, throughput, latency, cost) and memory per GPU.
 *
 * The result is written into a caller-owned struct (large: keep one and
 * reuse it); nothing is allocated, and the cost is O(pipeline stages), not
 * O(layers): identical layers are multiplied.
 */
#ifndef ROOF_MODEL_EVALUATE_H
#define ROOF_MODEL_EVALUATE_H

#include "model/ops.h"
#include "model/plan.h"

#define ROOF_MAX_STAGES 1024

typedef struct roof_phase_result {
    roof_phase_ops ops;
    int64_t stages;
    double stage_time_s[ROOF_MAX_STAGES]; /* one microbatch through stage i */
    int64_t stage_moe_layers[ROOF_MAX_STAGES];
    double send_time_s;   /* one send between consecutive stages */
    double sum_stage_s;   /* one microbatch through every stage, sends excluded */
    double max_stage_s;
    int64_t slowest_stage;
    double time_s;        /* prefill: the whole batch; decode: one step (TPOT) */
    double bubble;        /* idle fraction of the stages' time */
    double gemm_flops;    /* GEMM and attention FLOPs over every rank, layer and microbatch */
    double useful_flops;  /* the same without repeated work: conserved under sharding */
    double bytes;         /* memory traffic over every rank, layer and microbatch */
    double peak_act_bytes; /* largest activation footprint of one op, one rank */
} roof_phase_result;

typedef struct roof_metrics {
    double ttft_s;               /* prefill of the whole batch: the last request's first token */
    double tpot_s;               /* one decode step, at the mean KV length of the generation */
    double decode_time_s;        /* gen_tokens decode steps */
    double request_latency_s;    /* ttft + decode */
    double tokens_per_s;         /* output tokens per second while decoding, all GPUs */
    double tokens_per_s_per_gpu;
    double prefill_tokens_per_s; /* prompt tokens per second in prefill */
    double usd_per_mtok;         /* price of a million output tokens */
    double joules_per_token;     /* energy per output token at board power */
} roof_metrics;

typedef struct roof_memory {
    double weights_bytes, kv_bytes, activation_bytes, total_bytes, capacity_bytes;
    double kv_len; /* KV tokens per sequence the cache holds */
    int fits;
} roof_memory;

typedef struct roof_result {
    roof_phase phase; /* the workload's phase: the one totals describe */
    roof_plan plan;
    roof_phase_result prefill, decode;
    roof_metrics metrics;
    roof_memory memory;
    struct {
        double gemm_flops; /* the phase's GEMM and attention FLOPs, every rank and layer */
        double time_s;     /* the phase's wall time: TTFT, or the whole decode */
    } totals;
} roof_result;

/* Evaluates s into r. Errors: the plan's (ROOF_ERR_RUNTIME, where "plan"),
 * or a dtype the hardware lacks. */
int roof_evaluate(const roof_scenario *s, roof_result *r, roof_error *err);

/* Which phases roof_evaluate_phases builds. */
enum { ROOF_EVAL_PREFILL = 1, ROOF_EVAL_DECODE = 2, ROOF_EVAL_ALL = 3 };

/* The same, building only the phases in the mask (the workload's own phase
 * is always added: memory reads it). Searches ask for the one phase their
 * objective needs, which halves the cost. The metrics of a phase left out
 * are NaN (and those derived from it: request latency, throughput, cost). */
int roof_evaluate_phases(const roof_scenario *s, int phases, roof_result *r, roof_error *err);

#endif
