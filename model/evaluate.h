/* SPDX-License-Identifier: GPL-3.0-or-later */
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
    double send_time_s; /* one send between consecutive stages */
    double sum_stage_s; /* one microbatch through every stage, sends excluded */
    double max_stage_s;
    int64_t slowest_stage;
    double time_s;         /* prefill: the whole batch; decode: one step (TPOT) */
    double bubble;         /* idle fraction of the stages' time */
    double gemm_flops;     /* GEMM and attention FLOPs over every rank, layer and microbatch */
    double useful_flops;   /* the same without repeated work: conserved under sharding */
    double bytes;          /* memory traffic over every rank, layer and microbatch */
    double peak_act_bytes; /* largest activation footprint of one op, one rank */
} roof_phase_result;

typedef struct roof_metrics {
    double ttft_s;            /* prefill of the whole batch: the last request's first token */
    double tpot_s;            /* one decode step, at the mean KV length of the generation */
    double decode_time_s;     /* gen_tokens decode steps */
    double request_latency_s; /* ttft + decode */
    double tokens_per_s;      /* output tokens per second while decoding, all GPUs */
    double tokens_per_s_per_gpu;
    double prefill_tokens_per_s; /* prompt tokens per second in prefill */
    double usd_per_mtok;         /* price of a million output tokens */
    double joules_per_token;     /* energy per output token at board power */
    double usd_per_mtok_owned;   /* the same on owned GPUs (model/cost.c); NaN unless hw.cost.gpu_usd is set */
    /* The same end to end: the batch's output tokens over the whole request
     * (prefill, then gen_tokens decode steps), as a deployment serving one
     * batch after another sees them; the three above count decode only. */
    double e2e_tokens_per_s;
    double e2e_usd_per_mtok;
    double e2e_joules_per_token;
    /* Speculative decoding (model/spec.h; workload.spec.k > 0, else 0): a
     * step drafts k tokens and verifies k + 1, emitting spec_tokens. */
    double spec_tokens;  /* expected tokens per step and sequence */
    double spec_draft_s; /* the k proposer steps */
    double spec_step_s;  /* draft + verify: tpot_s x spec_tokens */
} roof_metrics;

/* Memory per GPU of the fullest stage. Inference: at its peak over the
 * whole request, the larger of the end of prefill (the prompt's KV and the
 * prefill's largest activation) and the last generated token (the KV of
 * context + gen_tokens and decode's largest activation), whatever the
 * workload's phase: a deployment fits only if it fits at both. */
typedef struct roof_memory {
    double weights_bytes, kv_bytes, activation_bytes, total_bytes, capacity_bytes; /* at the peak */
    double grads_bytes, optimizer_bytes;                                           /* training; 0 in inference */
    double host_bytes;          /* training with offload: the optimizer states and gradients in host memory */
    double host_capacity_bytes; /* hw.host.memory (0: not checked) */
    double kv_len;              /* KV tokens per sequence the cache holds at the peak */
    double usable_bytes;        /* capacity * workload.memory.utilization - workload.memory.reserve */
    /* Inference: the two points the peak is taken over (0 in training). */
    double prefill_kv_bytes, prefill_activation_bytes, prefill_total_bytes;
    double decode_kv_bytes, decode_activation_bytes, decode_total_bytes;
    roof_phase peak_phase; /* PREFILL or DECODE: where total_bytes is reached (TRAINING in training) */
    int fits;              /* total_bytes <= usable_bytes */
} roof_memory;

/* One training step (workload.phase = training); model/training.c. */
typedef struct roof_training {
    roof_phase_result fwd, bwd;           /* one microbatch's forward and backward, per stage */
    int64_t schedule_vp;                  /* virtual stages: 1 = 1F1B, more = interleaved */
    double microbatch_s[ROOF_MAX_STAGES]; /* stage i: forward + backward + its sends, one microbatch */
    double send_s;                        /* sends of one microbatch on one stage (forward and backward) */
    double pipeline_s;                    /* every microbatch through the pipeline */
    double bubble;                        /* idle fraction of the pipeline's time */
    double dp_comm_s;                     /* data-parallel (ZeRO) communication of one step, one rank */
    double dp_exposed_s;                  /* the part not hidden behind the backward */
    double optimizer_s;                   /* the optimizer step on the GPU (memory-bound); 0 with offload */
    double offload_s;                     /* offload: CPU step, weights up, gradients down not hidden; else 0 */
    double offload_down_s;                /* its parts: the gradients to the host, */
    double offload_cpu_s;                 /* CPU Adam, */
    double offload_up_s;                  /* the weights back */
    double step_s;                        /* pipeline + exposed data-parallel + optimizer + offload */
    double tokens_per_s, tokens_per_s_per_gpu;
    double model_flops;    /* one step, every GPU: forward and backward, no recomputation or repeats */
    double hw_flops;       /* the same with recomputation and repeated work: what the GPUs execute */
    double mfu, hfu;       /* model / hardware FLOPs over the step's peak (dense, the workload dtype) */
    double tflops_per_gpu; /* hardware FLOP/s per GPU achieved (Narayanan's "achieved teraFLOP/s") */
    double time_to_train_s, cost_to_train_usd; /* workload.train_tokens */
    double act_layer_bytes; /* stored activations of one layer, one microbatch (Korthikanti Sec. 4) */
    double inflight;        /* microbatches whose activations the fullest stage holds */
} roof_training;

typedef struct roof_result {
    roof_phase phase; /* the workload's phase: the one totals describe */
    roof_plan plan;
    roof_phase_result prefill, decode;
    roof_training training; /* filled in training only */
    roof_metrics metrics;
    roof_memory memory;
    roof_phase_ops mem_ops; /* scratch: the ops of a phase not timed, built for its activation peak */
    struct {
        double gemm_flops; /* the phase's GEMM and attention FLOPs, every rank and layer */
        double time_s;     /* the phase's wall time: TTFT, the whole decode, or one training step */
    } totals;
} roof_result;

/* What the model may use on each GPU of an inference deployment:
 * capacity * workload.memory.utilization - workload.memory.reserve (may be
 * negative: nothing fits). */
double roof_memory_usable(const roof_scenario *s);

/* Evaluates s into r. Errors: the plan's (ROOF_ERR_RUNTIME, where "plan"),
 * or a dtype the hardware lacks. */
int roof_evaluate(const roof_scenario *s, roof_result *r, roof_error *err);

/* Which phases roof_evaluate_phases builds. */
enum { ROOF_EVAL_PREFILL = 1, ROOF_EVAL_DECODE = 2, ROOF_EVAL_ALL = 3 };
/* Marks the metrics of a training step (analysis/metric.c); a training
 * workload always builds its forward and backward, whatever the mask. */
enum { ROOF_EVAL_TRAINING = 4 };

/* The same, building only the phases in the mask (the workload's own phase
 * is always added: memory reads it). Searches ask for the one phase their
 * objective needs, which halves the cost. The metrics of a phase left out
 * are NaN (and those derived from it: request latency, throughput, cost). */
int roof_evaluate_phases(const roof_scenario *s, int phases, roof_result *r, roof_error *err);

/* The time of s's own phase (workload.phase: the prefill of the batch, or
 * one decode step; training is refused) into *time_s, as roof_evaluate_phases(s, that phase)
 * gives it in r->prefill.time_s or r->decode.time_s, bit for bit: the same
 * plan, op lists and composition, without the memory model and the
 * metrics, which only the report reads. Where that time is not plainly
 * fine (not finite, not positive, near ROOF_MAX_PASS_S) it runs
 * roof_evaluate_phases itself, so that its result and error are the full
 * evaluation's. For callers that need the time of many iterations (the
 * serving cost, analysis/serve_cost.c); r's other fields are left stale. */
int roof_evaluate_time(const roof_scenario *s, roof_result *r, double *time_s, roof_error *err);

/* Results the model refuses to report (docs/errors.md). Every metric of
 * the phases built must be finite, and one pass (the prefill of the batch,
 * one decode step, one training step) at most ROOF_MAX_PASS_S: 31,700
 * years, beyond any real deployment, reached only from a parameter far
 * below any hardware's (a bandwidth of 1e-300 B/s, a ridge exponent near
 * 0). Such an error has where = ROOF_RESULT_WHERE and names the metric and
 * the parameter most likely to blame ("check hw.memory.bandwidth =
 * 1e-300"); analyses stop on it rather than skip the point as they skip a
 * plan that does not fit. roof_evaluate_phases runs this check itself. */
#define ROOF_MAX_PASS_S 1e12
#define ROOF_MAX_PASS_TEXT "1e12"
#define ROOF_RESULT_WHERE "result"
int roof_result_check(const roof_scenario *s, const roof_result *r, int phases, roof_error *err);

/* The same for one op timed alone (gettime's GEMM, comm's collective):
 * o->time_s with o's kind, shape and bound filled, named name. */
int roof_op_check(const roof_hw *hw, roof_dtype dt, const roof_op *o, const char *name, roof_error *err);

/* Whether e came from those checks (not from a plan that does not fit). */
int roof_result_error(const roof_error *e);

#endif
