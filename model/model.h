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
/* Offload in training (ZeRO-Offload, Ren et al. 2021): none, or the
 * optimizer's states and step to the host CPU (model/training.c). */
typedef enum { ROOF_OFFLOAD_NONE, ROOF_OFFLOAD_OPTIMIZER } roof_offload;
/* Who proposes the speculative tokens: a separate draft model (draft.*) or
 * the model's own multi-token-prediction module. */
typedef enum { ROOF_SPEC_DRAFT, ROOF_SPEC_MTP } roof_spec;
/* Which tensor a dtype is for (roof_workload_dt). */
typedef enum {
    ROOF_TENSOR_WEIGHTS,
    ROOF_TENSOR_COMPUTE,
    ROOF_TENSOR_KV,
    ROOF_TENSOR_DISPATCH,
    ROOF_TENSOR_COMBINE,
    ROOF_TENSOR_ACT
} roof_tensor;

typedef struct roof_model {
    int64_t layers, hidden, heads, kv_heads, head_dim, ffn_hidden, vocab;
    int ffn_act; /* roof_act */
    int64_t experts, top_k, expert_hidden, shared_experts;
    int64_t moe_first_dense; /* dense layers before the first MoE layer */
    int64_t moe_every;       /* after those, every k-th layer is MoE */
    double imbalance;        /* busiest expert rank's tokens over the mean */
    double zipf;             /* expert popularity ~ rank^-zipf; 0 = use imbalance (model/arch.c) */
    int dropout;             /* training applies dropout (attention probabilities and both block outputs) */
    int tied_embeddings;     /* the LM head is the embedding matrix (counted once) */
    int parallel_block;      /* dense layers: attention and MLP read one input and their outputs are summed, so one
                                row-parallel reduce closes both (GPT-J, GPT-NeoX, PaLM, Falcon; model/ops.c) */

    /* Multi-head latent attention (DeepSeek-V2, Sec. 2.1); kv_lora_rank 0 = none. */
    int64_t q_lora_rank;      /* 0 = Q projected from h directly */
    int64_t kv_lora_rank;     /* the compressed KV latent c_KV cached per token */
    int64_t qk_rope_head_dim; /* the decoupled RoPE key, shared by the heads and cached */
    int64_t qk_nope_head_dim; /* per head: the part of q and k without RoPE */
    int64_t v_head_dim;       /* per head: the value width */

    /* Sliding-window attention (Mistral 7B; Gemma 2/3, GPT-OSS interleave it
     * with global layers): window 0 = every layer global. */
    int64_t window;       /* tokens a local layer attends to */
    int64_t global_every; /* every global_every-th layer is global; 0 = every layer local */
} roof_model;

typedef struct roof_workload {
    int phase;          /* roof_phase */
    int64_t batch;      /* sequences in flight, over all data-parallel replicas */
    int64_t seq_len;    /* prompt tokens per sequence (prefill) */
    int64_t context;    /* KV tokens per sequence when decoding starts */
    int64_t gen_tokens; /* output tokens per sequence */
    int64_t microbatches;
    int dtype; /* roof_dtype: the shorthand for every tensor below left "auto" */
    /* Per tensor: a roof_dtype, or ROOF_DT_COUNT ("auto") for workload.dtype.
     * Read them through roof_workload_dt. */
    int weights_dtype;          /* stored weights (weight-only quantization when narrower than compute) */
    int compute_dtype;          /* the GEMMs' math and inputs (the tensor-core peak used) */
    int kv_dtype;               /* the KV cache */
    int dispatch_dtype;         /* expert-parallel dispatch all-to-all */
    int combine_dtype;          /* expert-parallel combine all-to-all */
    int act_dtype;              /* inference activations between the GEMMs (norms, residual, collectives) */
    int64_t weights_group;      /* weight elements per quantization scale; 0 = per tensor or channel (no bytes) */
    double weights_scale_bytes; /* bytes of one scale (and zero point) */
    int attention;              /* roof_attn */

    /* Speculative decoding (Leviathan et al. 2023) with a draft model (the
     * draft.* section) or MTP heads (DeepSeek-V3, Sec. 2.2); spec_k 0 = off. */
    int spec_method;        /* roof_spec */
    int64_t spec_k;         /* tokens proposed per step */
    double spec_acceptance; /* probability each proposed token is accepted (i.i.d.) */
    int causal;

    /* Training only (workload.phase = training). batch is the global batch
     * of one step (sequences); microbatches per replica is the gradient
     * accumulation. */
    int recompute;          /* roof_recompute */
    int zero;               /* ZeRO stage 0-3 (Rajbhandari et al. 2020); 3 = FSDP */
    int dp_overlap;         /* data-parallel communication overlaps the backward */
    int comm_overlap;       /* training: Megatron's TP and pipeline communication overlap (model/training.c) */
    int offload;            /* roof_offload: the optimizer states and step on the host (model/training.c) */
    double optimizer_bytes; /* optimizer state bytes per parameter (Adam, fp32: 12) */
    double train_tokens;    /* tokens to train on, for time and cost to train */
    /* Inference: the memory a serving engine leaves to the model on each GPU
     * is capacity * mem_utilization - mem_reserve (model/evaluate.c). */
    double mem_utilization; /* the engine's share of the capacity (vLLM gpu_memory_utilization) */
    double mem_reserve;     /* B outside the tensors: CUDA context, library workspaces, NCCL buffers */
} roof_workload;

typedef struct roof_parallel {
    int64_t tp, pp, ep, dp, cp, etp, gpus;
    int64_t vp; /* training: virtual pipeline stages per GPU (interleaved 1F1B when > 1) */
    int sp;
    int a2a; /* roof_a2a_mode (hw/collective.h) of the expert-parallel all-to-alls */
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
    roof_model draft;     /* the draft model of speculative decoding (draft.*; layers 0 = none) */
    roof_runtime runtime; /* the serving engine's overheads (model/runtime.h); engine none = the pure model */
    /* Error draws (analysis/interval.c): each op's time is multiplied by
     * op_scale[its regime] (model/error_model.h); NULL: the point estimate. */
    const double *op_scale;
    /* Where set, roof_ops_time keeps its GEMM and collective times in this
     * memo (model/ops.h; the serving cost's searches): the caller owns it
     * and empties it when hw changes. NULL: none. */
    struct roof_op_memo *op_memo;
} roof_scenario;

/* The registry tables, in the order `llmroof params` lists them. */
extern const roof_param_table roof_model_params;
extern const roof_param_table roof_workload_params;
extern const roof_param_table roof_parallel_params;
extern const roof_param_table roof_draft_params;

enum { ROOF_SCENARIO_TABLES = 6 };
/* tables[i] and the struct of s it describes, hw first. */
void roof_scenario_tables(roof_scenario *s, const roof_param_table *tables[ROOF_SCENARIO_TABLES],
                          void *bases[ROOF_SCENARIO_TABLES]);

/* Sets every model, workload and parallel field to its documented default
 * (required fields to 0). The hw struct is left alone. */
void roof_scenario_defaults(roof_scenario *s);

/* The dtype of tensor t: its own setting, or workload.dtype when "auto".
 * The dispatch defaults to the compute dtype, and the combine too. */
roof_dtype roof_workload_dt(const roof_workload *w, roof_tensor t);

/* Bytes per stored weight: the weights dtype's, plus a scale of
 * weights_scale_bytes per weights_group elements. */
double roof_workload_weight_bytes(const roof_workload *w);

/* Applies one "PATH=VALUE" to s (any table, hw included). */
int roof_scenario_set(roof_scenario *s, const char *assignment, roof_error *err);

#endif
