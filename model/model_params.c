/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model.*, workload.* and parallel.* parameters: path, field, unit,
 * meaning, valid range, default. The config loader reads exactly these
 * settings, --set writes them and `llmroof params` prints them. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "model/model.h"

#define INF INFINITY
#define REQ ROOF_PARAM_REQUIRED
#define DERIVED ROOF_PARAM_ZERO_OK /* 0 = the documented default */
#define CONT ROOF_PARAM_CONTINUOUS

#define P(type_, path_, kind_, field_, unit_, meaning_, min_, max_, flags_, def_)                            \
    {                                                                                                        \
        .path = path_, .kind = kind_, .offset = offsetof(type_, field_), .unit = unit_, .meaning = meaning_, \
        .min = min_, .max = max_, .flags = flags_, .def = def_                                               \
    }
#define PE(type_, path_, field_, meaning_, choices_, def_)                                                          \
    {                                                                                                               \
        .path = path_, .kind = ROOF_PARAM_ENUM, .offset = offsetof(type_, field_), .unit = "", .meaning = meaning_, \
        .min = 0, .max = 0, .flags = 0, .def = def_, .choices = choices_                                            \
    }

static const char *const acts[] = {"gelu", "swiglu", NULL};
static const char *const phases[] = {"prefill", "decode", "training", NULL};
static const char *const attns[] = {"naive", "flash", NULL};
static const char *const recomputes[] = {"none", "selective", "full", NULL};
static const char *const dtypes[] = {"fp64", "fp32", "tf32", "bf16", "fp16", "fp8", "int8", NULL};

#define M(...) P(roof_model, __VA_ARGS__)
static const roof_param model[] = {
    M("model.layers", ROOF_PARAM_INT, layers, "", "transformer layers", 1, 1e6, REQ, 0),
    M("model.hidden", ROOF_PARAM_INT, hidden, "", "hidden size h", 1, 1e9, REQ | CONT, 0),
    M("model.heads", ROOF_PARAM_INT, heads, "", "attention (query) heads", 1, 1e6, REQ, 0),
    M("model.kv_heads", ROOF_PARAM_INT, kv_heads, "", "key/value heads (GQA); 0 = heads (MHA)", 1, 1e6, DERIVED, 0),
    M("model.head_dim", ROOF_PARAM_INT, head_dim, "", "dimension per head; 0 = hidden / heads", 1, 1e6, DERIVED, 0),
    M("model.ffn_hidden", ROOF_PARAM_INT, ffn_hidden, "", "MLP inner size; 0 = 4 * hidden", 1, 1e9, DERIVED | CONT, 0),
    PE(roof_model, "model.ffn_act", ffn_act, "MLP kind: gelu (two matrices) or swiglu (three)", acts, ROOF_ACT_GELU),
    M("model.vocab", ROOF_PARAM_INT, vocab, "", "vocabulary size; 0 = no embedding and LM head", 0, 1e9, 0, 0),
    M("model.moe.experts", ROOF_PARAM_INT, experts, "", "routed experts per MoE layer; 0 = dense model", 0, 1e6, 0, 0),
    M("model.moe.top_k", ROOF_PARAM_INT, top_k, "", "experts each token is routed to", 1, 1e6, 0, 2),
    M("model.moe.expert_hidden", ROOF_PARAM_INT, expert_hidden, "", "inner size of one expert; 0 = ffn_hidden", 1, 1e9,
      DERIVED, 0),
    M("model.moe.shared_experts", ROOF_PARAM_INT, shared_experts, "", "always-on shared experts per MoE layer", 0, 1e6,
      0, 0),
    M("model.moe.first_dense", ROOF_PARAM_INT, moe_first_dense, "", "dense layers before the first MoE layer", 0, 1e6,
      0, 0),
    M("model.moe.every", ROOF_PARAM_INT, moe_every, "", "after those, every k-th layer is MoE", 1, 1e6, 0, 1),
    M("model.moe.imbalance", ROOF_PARAM_DOUBLE, imbalance, "",
      "busiest expert rank's tokens over the mean (1 = perfect balance)", 1, 1e6, CONT, 1),
    M("model.dropout", ROOF_PARAM_BOOL, dropout, "",
      "training applies dropout: attention probabilities and both block outputs (Korthikanti Sec. 4.1)", 0, 1, 0, 0),
};

#define W(...) P(roof_workload, __VA_ARGS__)
static const roof_param workload[] = {
    PE(roof_workload, "workload.phase", phase, "prefill, decode or training (one optimizer step)", phases,
       ROOF_PHASE_PREFILL),
    W("workload.batch", ROOF_PARAM_INT, batch, "",
      "sequences in flight (training: the global batch of a step), over all data-parallel replicas", 1, INF, CONT, 1),
    W("workload.seq_len", ROOF_PARAM_INT, seq_len, "", "prompt tokens per sequence (prefill)", 1, INF, CONT, 2048),
    W("workload.context", ROOF_PARAM_INT, context, "", "KV tokens per sequence when decoding starts; 0 = seq_len", 1,
      INF, DERIVED | CONT, 0),
    W("workload.gen_tokens", ROOF_PARAM_INT, gen_tokens, "", "output tokens per sequence", 1, INF, CONT, 128),
    W("workload.microbatches", ROOF_PARAM_INT, microbatches, "",
      "microbatches per replica (pipeline; training: gradient accumulation steps)", 1, 1e9, 0, 1),
    PE(roof_workload, "workload.dtype", dtype, "numeric format of weights, activations and KV cache", dtypes,
       ROOF_DT_BF16),
    PE(roof_workload, "workload.attention", attention, "attention kernel: naive (scores materialized) or flash (fused)",
       attns, ROOF_ATTN_FLASH),
    W("workload.causal", ROOF_PARAM_BOOL, causal, "", "causal mask: flash skips the masked half", 0, 1, 0, 1),
    PE(roof_workload, "workload.recompute", recompute,
       "training: activation recomputation none, selective (attention core) or full (Korthikanti 2022)", recomputes,
       ROOF_RECOMPUTE_NONE),
    W("workload.zero", ROOF_PARAM_INT, zero, "",
      "training: ZeRO stage; 1 shards optimizer states, 2 also gradients, 3 also parameters (FSDP)", 0, 3, 0, 0),
    W("workload.dp_overlap", ROOF_PARAM_BOOL, dp_overlap, "",
      "training: data-parallel gradient communication overlaps the backward pass", 0, 1, 0, 0),
    W("workload.comm_overlap", ROOF_PARAM_BOOL, comm_overlap, "",
      "training: Megatron's overlap of TP all-gathers/reduce-scatters with their GEMMs (sp) and, with vp > 1, of "
      "pipeline sends",
      0, 1, 0, 0),
    W("workload.optimizer_bytes", ROOF_PARAM_DOUBLE, optimizer_bytes, "B",
      "training: optimizer state bytes per parameter (Adam: fp32 master, m, v = 12)", 0, 1e3, CONT, 12),
    W("workload.train_tokens", ROOF_PARAM_DOUBLE, train_tokens, "",
      "training: tokens to train on, for time and cost to train (GPT-3: 300e9)", 1, INF, CONT, 300e9),
};

#define Q(...) P(roof_parallel, __VA_ARGS__)
static const roof_param parallel[] = {
    Q("parallel.tp", ROOF_PARAM_INT, tp, "", "tensor parallel ranks (Megatron column/row split)", 1, 1e6, 0, 1),
    Q("parallel.pp", ROOF_PARAM_INT, pp, "", "pipeline stages", 1, 1e6, 0, 1),
    Q("parallel.ep", ROOF_PARAM_INT, ep, "", "expert parallel ranks (within a pipeline stage)", 1, 1e6, 0, 1),
    Q("parallel.dp", ROOF_PARAM_INT, dp, "", "data parallel replicas", 1, 1e9, 0, 1),
    Q("parallel.cp", ROOF_PARAM_INT, cp, "", "context parallel ranks: sequence (prefill) or KV (decode) shards", 1, 1e6,
      0, 1),
    Q("parallel.etp", ROOF_PARAM_INT, etp, "", "tensor parallel ranks inside one expert; 0 = tp if ep = 1, else 1", 1,
      1e6, DERIVED, 0),
    Q("parallel.gpus", ROOF_PARAM_INT, gpus, "", "GPUs in all; 0 = tp*pp*dp*cp (when set, must equal it)", 1, 1e9,
      DERIVED, 0),
    Q("parallel.vp", ROOF_PARAM_INT, vp, "",
      "training: virtual pipeline stages per GPU; > 1 = interleaved 1F1B (Narayanan et al. 2021, Sec. 2.2.2)", 1, 1e6,
      0, 1),
    Q("parallel.sp", ROOF_PARAM_BOOL, sp, "", "sequence parallelism: reduce-scatter + all-gather for all-reduce", 0, 1,
      0, 0),
};

const roof_param_table roof_model_params = {"model", model, sizeof model / sizeof model[0]};
const roof_param_table roof_workload_params = {"workload", workload, sizeof workload / sizeof workload[0]};
const roof_param_table roof_parallel_params = {"parallel", parallel, sizeof parallel / sizeof parallel[0]};

void roof_scenario_tables(roof_scenario *s, const roof_param_table *tables[ROOF_SCENARIO_TABLES],
                          void *bases[ROOF_SCENARIO_TABLES])
{
    tables[0] = &roof_hw_params;
    bases[0] = &s->hw;
    tables[1] = &roof_model_params;
    bases[1] = &s->model;
    tables[2] = &roof_workload_params;
    bases[2] = &s->workload;
    tables[3] = &roof_parallel_params;
    bases[3] = &s->parallel;
    tables[4] = &roof_runtime_params;
    bases[4] = &s->runtime;
}

void roof_scenario_defaults(roof_scenario *s)
{
    const roof_param_table *tables[ROOF_SCENARIO_TABLES];
    void *bases[ROOF_SCENARIO_TABLES];
    roof_scenario_tables(s, tables, bases);
    for (int t = 1; t < ROOF_SCENARIO_TABLES; t++)
        for (size_t i = 0; i < tables[t]->count; i++)
            roof_param_put(&tables[t]->params[i], bases[t], tables[t]->params[i].def);
}

int roof_scenario_set(roof_scenario *s, const char *assignment, roof_error *err)
{
    const roof_param_table *tables[ROOF_SCENARIO_TABLES];
    void *bases[ROOF_SCENARIO_TABLES];
    roof_scenario_tables(s, tables, bases);
    return roof_param_set(tables, bases, ROOF_SCENARIO_TABLES, assignment, err);
}
