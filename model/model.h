/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A deployment: the model (transformer, dense or MoE), the workload (phase,
 * batch, sequence lengths, dtype, attention kernel) and the parallel plan,
 * with the hardware it runs on. Plain data, caller-owned; filled from a
 * config file (model/config.c) and --set through the registry tables below,
 * which are the single list of every model.*, workload.* and parallel.*
 * path (model/model_params.c).
 *
 * A count of 0 in a "derived" field means "take the documented default":
 * kv_heads = heads, head_dim = hidden / heads, ffn_hidden = 4 * hidden,
 * expert_hidden = ffn_hidden, context = seq_len, etp = tp when ep = 1 else 1.
 */
#ifndef ROOF_MODEL_MODEL_H
#define ROOF_MODEL_MODEL_H

#include <stdint.h>

#include "core/param.h"
#include "hw/hw.h"
#include "model/runtime.h"

typedef enum { ROOF_ACT_GELU, ROOF_ACT_SWIGLU } roof_act;
typedef enum { ROOF_PHASE_PREFILL, ROOF_PHASE_DECODE, ROOF_PHASE_TRAINING } roof_phase;
typedef enum { ROOF_ATTN_NAIVE, ROOF_ATTN_FLASH } roof_attn;
/* Activation recomputation in training (Korthikanti et al. 2022, Sec. 5):
 * none, selective (the attention core: Q K^T, softmax, its dropout, and
 * attention over V) or full (every layer's forward again before its
 * backward). */
typedef enum { ROOF_RECOMPUTE_NONE, ROOF_RECOMPUTE_SELECTIVE, ROOF_RECOMPUTE_FULL } roof_recompute;

typedef struct roof_model {
    int64_t layers, hidden, heads, kv_heads, head_dim, ffn_hidden, vocab;
    int ffn_act; /* roof_act */
    int64_t experts, top_k, expert_hidden, shared_experts;
    int64_t moe_first_dense; /* dense layers before the first MoE layer */
    int64_t moe_every;       /* after those, every k-th layer is MoE */
    double imbalance;        /* busiest expert rank's tokens over the mean */
    int dropout;             /* training applies dropout (attention probabilities and both block outputs) */
} roof_model;

typedef struct roof_workload {
    int phase;          /* roof_phase */
    int64_t batch;      /* sequences in flight, over all data-parallel replicas */
    int64_t seq_len;    /* prompt tokens per sequence (prefill) */
    int64_t context;    /* KV tokens per sequence when decoding starts */
    int64_t gen_tokens; /* output tokens per sequence */
    int64_t microbatches;
    int dtype;     /* roof_dtype */
    int attention; /* roof_attn */
    int causal;

    /* Training only (workload.phase = training). batch is the global batch
     * of one step (sequences); microbatches per replica is the gradient
     * accumulation. */
    int recompute;          /* roof_recompute */
    int zero;               /* ZeRO stage 0-3 (Rajbhandari et al. 2020); 3 = FSDP */
    int dp_overlap;         /* data-parallel communication overlaps the backward */
    int comm_overlap;       /* training: Megatron's TP and pipeline communication overlap (model/training.c) */
    double optimizer_bytes; /* optimizer state bytes per parameter (Adam, fp32: 12) */
    double train_tokens;    /* tokens to train on, for time and cost to train */
} roof_workload;

typedef struct roof_parallel {
    int64_t tp, pp, ep, dp, cp, etp, gpus;
    int64_t vp; /* training: virtual pipeline stages per GPU (interleaved 1F1B when > 1) */
    int sp;
} roof_parallel;

typedef struct roof_scenario {
    char name[128];
    char config_path[512]; /* "" when not from a file */
    char hw_ref[512];      /* the profile name or path the config gave */
    int hw_line;           /* its line in the config, for errors (0: none) */
    roof_hw hw;
    roof_model model;
    roof_workload workload;
    roof_parallel parallel;
    roof_runtime runtime; /* the serving engine's overheads (model/runtime.h); engine none = the pure model */
} roof_scenario;

/* The registry tables, in the order `llmroof params` lists them. */
extern const roof_param_table roof_model_params;
extern const roof_param_table roof_workload_params;
extern const roof_param_table roof_parallel_params;

enum { ROOF_SCENARIO_TABLES = 5 };
/* tables[i] and the struct of s it describes, hw first. */
void roof_scenario_tables(roof_scenario *s, const roof_param_table *tables[ROOF_SCENARIO_TABLES],
                          void *bases[ROOF_SCENARIO_TABLES]);

/* Sets every model, workload and parallel field to its documented default
 * (required fields to 0). The hw struct is left alone. */
void roof_scenario_defaults(roof_scenario *s);

/* Applies one "PATH=VALUE" to s (any table, hw included). */
int roof_scenario_set(roof_scenario *s, const char *assignment, roof_error *err);

#endif
