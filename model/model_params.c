/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The model.*, workload.* and parallel.* parameters: path, field, unit,
 * meaning, valid range, default. The config loader reads exactly these
 * settings, --set writes them and `llmroof params` prints them. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "hw/collective.h"
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
static const char *const offloads[] = {"none", "optimizer", NULL}; /* roof_offload order */
static const char *const dtypes[] = {"fp64", "fp32", "tf32", "bf16", "fp16", "fp8", "int8", "fp4", "int4", "fp6", NULL};
/* The same and "auto" (index ROOF_DT_COUNT): take workload.dtype. */
static const char *const tensor_dtypes[] = {"fp64", "fp32", "tf32", "bf16", "fp16", "fp8",
                                            "int8", "fp4",  "int4", "fp6",  "auto", NULL};
static const char *const spec_methods[] = {"draft", "mtp", NULL};
static const char *const a2a_modes[] = {"nccl", "low_latency", NULL}; /* roof_a2a_mode order */

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
    M("model.moe.zipf", ROOF_PARAM_DOUBLE, zipf, "",
      "expert popularity falls as rank^-zipf; the busiest expert rank sets the step (0 = use moe.imbalance)", 0, 10,
      CONT, 0),
    M("model.dropout", ROOF_PARAM_BOOL, dropout, "",
      "training applies dropout: attention probabilities and both block outputs (Korthikanti Sec. 4.1)", 0, 1, 0, 0),
    M("model.tied_embeddings", ROOF_PARAM_BOOL, tied_embeddings, "",
      "the LM head shares the embedding matrix (counted and stored once)", 0, 1, 0, 0),
    M("model.parallel_block", ROOF_PARAM_BOOL, parallel_block, "",
      "dense layers run attention and MLP in parallel on one input and sum them (GPT-J, GPT-NeoX, PaLM, Falcon): one "
      "tensor-parallel all-reduce per layer instead of two",
      0, 1, 0, 0),
    M("model.mla.q_lora_rank", ROOF_PARAM_INT, q_lora_rank, "",
      "MLA: rank of the query compression; 0 = queries projected from h directly", 0, 1e6, 0, 0),
    M("model.mla.kv_lora_rank", ROOF_PARAM_INT, kv_lora_rank, "",
      "MLA: width of the cached KV latent (DeepSeek-V2 Sec. 2.1.2); 0 = no MLA", 0, 1e6, 0, 0),
    M("model.mla.qk_rope_head_dim", ROOF_PARAM_INT, qk_rope_head_dim, "",
      "MLA: decoupled RoPE key width, shared by the heads and cached", 0, 1e6, 0, 0),
    M("model.mla.qk_nope_head_dim", ROOF_PARAM_INT, qk_nope_head_dim, "", "MLA: per-head query/key width without RoPE",
      0, 1e6, 0, 0),
    M("model.mla.v_head_dim", ROOF_PARAM_INT, v_head_dim, "", "MLA: per-head value width", 0, 1e6, 0, 0),
    M("model.window", ROOF_PARAM_INT, window, "", "sliding-window attention: tokens a local layer sees; 0 = none", 0,
      1e9, CONT, 0),
    M("model.global_every", ROOF_PARAM_INT, global_every, "",
      "with a window: every k-th layer is global (Gemma 3: 6, Gemma 2 and GPT-OSS: 2); 0 = every layer local", 0, 1e6,
      0, 0),
};

#define W(...) P(roof_workload, __VA_ARGS__)
static const roof_param workload[] = {
    PE(roof_workload, "workload.phase", phase, "prefill, decode or training (one optimizer step)", phases,
       ROOF_PHASE_PREFILL),
    W("workload.batch", ROOF_PARAM_INT, batch, "",
      "sequences in flight (training: the global batch of a step), over all data-parallel replicas", 1, INF, CONT, 1),
    W("workload.seq_len", ROOF_PARAM_INT, seq_len, "", "prompt tokens per sequence (prefill)", 1, INF, CONT, 2048),
    W("workload.context", ROOF_PARAM_INT, context, "",
      "KV tokens per sequence when decoding starts; in prefill, the first context - seq_len are already cached (a "
      "later chunk, a prefix hit) and attended to; 0 = seq_len",
      1, INF, DERIVED | CONT, 0),
    W("workload.gen_tokens", ROOF_PARAM_INT, gen_tokens, "", "output tokens per sequence", 1, INF, CONT, 128),
    W("workload.microbatches", ROOF_PARAM_INT, microbatches, "",
      "microbatches per replica (pipeline; training: gradient accumulation steps)", 1, 1e9, 0, 1),
    PE(roof_workload, "workload.dtype", dtype,
       "numeric format of every tensor whose own dtype below is auto (weights, activations, KV cache, dispatch)",
       dtypes, ROOF_DT_BF16),
    PE(roof_workload, "workload.weights_dtype", weights_dtype,
       "stored weights; narrower than compute_dtype = weight-only quantization (dequantized in the GEMM)",
       tensor_dtypes, ROOF_DT_COUNT),
    PE(roof_workload, "workload.compute_dtype", compute_dtype, "the GEMMs' math and inputs (the peak used)",
       tensor_dtypes, ROOF_DT_COUNT),
    PE(roof_workload, "workload.kv_dtype", kv_dtype, "the KV cache", tensor_dtypes, ROOF_DT_COUNT),
    PE(roof_workload, "workload.dispatch_dtype", dispatch_dtype,
       "expert-parallel dispatch all-to-all; auto = compute_dtype", tensor_dtypes, ROOF_DT_COUNT),
    PE(roof_workload, "workload.combine_dtype", combine_dtype,
       "expert-parallel combine all-to-all; auto = compute_dtype", tensor_dtypes, ROOF_DT_COUNT),
    PE(roof_workload, "workload.act_dtype", act_dtype,
       "inference activations between the GEMMs (norms, residual adds, tensor-parallel collectives, pipeline "
       "sends); auto = compute_dtype, or bf16 where compute_dtype is 8-bit or narrower (W8A8 and W4A4 engines "
       "quantize the linear layers' inputs only)",
       tensor_dtypes, ROOF_DT_COUNT),
    W("workload.weights_group", ROOF_PARAM_INT, weights_group, "",
      "weight elements per quantization scale (AWQ/GPTQ 128, NVFP4 16, MXFP4 32, DeepSeek fp8 128x128 = 16384); "
      "0 = per tensor or per channel",
      0, 1e9, 0, 0),
    W("workload.weights_scale_bytes", ROOF_PARAM_DOUBLE, weights_scale_bytes, "B",
      "bytes of one weight scale and its zero point (fp16 2, AWQ fp16 + int4 zero 2.5, E4M3/E8M0 1, fp32 4)", 0, 64,
      CONT, 2),
    PE(roof_workload, "workload.spec.method", spec_method,
       "speculative decoding: a draft model (draft.*) or the model's MTP module", spec_methods, ROOF_SPEC_DRAFT),
    W("workload.spec.k", ROOF_PARAM_INT, spec_k, "", "speculative tokens proposed per decode step; 0 = off", 0, 64, 0,
      0),
    W("workload.spec.acceptance", ROOF_PARAM_DOUBLE, spec_acceptance, "",
      "probability a proposed token is accepted (Leviathan et al. 2023 alpha)", 0, 0.999, CONT, 0.7),
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
    PE(roof_workload, "workload.offload", offload,
       "training: none, or optimizer: Adam states in host memory, the step on the CPU, gradients down and weights up "
       "the host link each step (ZeRO-Offload, Ren et al. 2021; needs hw.host.bandwidth)",
       offloads, ROOF_OFFLOAD_NONE),
    W("workload.optimizer_bytes", ROOF_PARAM_DOUBLE, optimizer_bytes, "B",
      "training: optimizer state bytes per parameter (Adam: fp32 master, m, v = 12)", 0, 1e3, CONT, 12),
    W("workload.train_tokens", ROOF_PARAM_DOUBLE, train_tokens, "",
      "training: tokens to train on, for time and cost to train (GPT-3: 300e9)", 1, INF, CONT, 300e9),
    /* vLLM's default gpu_memory_utilization, 0.9 (vllm-project/vllm
     * vllm/config.py CacheConfig; the "gpu_memory_utilization 0.90" of the
     * profiling log in vllm-project/vllm pull request #10511): the engine
     * takes this share of each GPU's memory for weights, activations, KV
     * cache and its own non-torch memory. */
    W("workload.memory.utilization", ROOF_PARAM_DOUBLE, mem_utilization, "",
      "inference: share of each GPU's memory the serving engine may use (vLLM gpu_memory_utilization)", 0, 1,
      CONT | ROOF_PARAM_MIN_OPEN, 0.9),
    /* vLLM's "non_torch_memory 1.79GiB" on an H100 80GB, Llama-3-8B, tp 1
     * (vllm-project/vllm pull request #10511, 2024-12-14: CUDA context,
     * cuBLAS workspaces; 3.58 GiB at tp 2 with the NCCL buffers):
     * 1.79 * 2^30 = 1,921,997,865 B. */
    W("workload.memory.reserve", ROOF_PARAM_DOUBLE, mem_reserve, "B",
      "inference: memory outside the model's tensors on each GPU (CUDA context, workspaces, NCCL buffers)", 0, INF,
      CONT, 1921997865.0),
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
    PE(roof_parallel, "parallel.a2a", a2a,
       "expert-parallel dispatch/combine: nccl (grouped send/receive) or low_latency (DeepEP-style per-peer writes, "
       "hw/a2a.h)",
       a2a_modes, ROOF_A2A_NCCL),
};

/* The draft model of speculative decoding: a dense transformer. */
#define D(...) P(roof_model, __VA_ARGS__)
static const roof_param draft[] = {
    D("draft.layers", ROOF_PARAM_INT, layers, "", "draft model: transformer layers; 0 = no draft model", 0, 1e6, 0, 0),
    D("draft.hidden", ROOF_PARAM_INT, hidden, "", "draft model: hidden size", 0, 1e9, 0, 0),
    D("draft.heads", ROOF_PARAM_INT, heads, "", "draft model: attention heads", 0, 1e6, 0, 0),
    D("draft.kv_heads", ROOF_PARAM_INT, kv_heads, "", "draft model: key/value heads; 0 = heads", 1, 1e6, DERIVED, 0),
    D("draft.head_dim", ROOF_PARAM_INT, head_dim, "", "draft model: dimension per head; 0 = hidden / heads", 1, 1e6,
      DERIVED, 0),
    D("draft.ffn_hidden", ROOF_PARAM_INT, ffn_hidden, "", "draft model: MLP inner size; 0 = 4 * hidden", 1, 1e9,
      DERIVED, 0),
    PE(roof_model, "draft.ffn_act", ffn_act, "draft model: MLP kind", acts, ROOF_ACT_SWIGLU),
    D("draft.vocab", ROOF_PARAM_INT, vocab, "", "draft model: vocabulary size", 0, 1e9, 0, 0),
    D("draft.tied_embeddings", ROOF_PARAM_BOOL, tied_embeddings, "", "draft model: LM head shares the embedding", 0, 1,
      0, 0),
};

const roof_param_table roof_model_params = {"model", model, sizeof model / sizeof model[0]};
const roof_param_table roof_draft_params = {"draft", draft, sizeof draft / sizeof draft[0]};
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
    tables[4] = &roof_draft_params;
    bases[4] = &s->draft;
    tables[5] = &roof_runtime_params;
    bases[5] = &s->runtime;
}

roof_dtype roof_workload_dt(const roof_workload *w, roof_tensor t)
{
    int v = t == ROOF_TENSOR_WEIGHTS    ? w->weights_dtype
            : t == ROOF_TENSOR_COMPUTE  ? w->compute_dtype
            : t == ROOF_TENSOR_KV       ? w->kv_dtype
            : t == ROOF_TENSOR_DISPATCH ? w->dispatch_dtype
            : t == ROOF_TENSOR_COMBINE  ? w->combine_dtype
                                        : w->act_dtype;
    if (v >= 0 && v < ROOF_DT_COUNT)
        return (roof_dtype)v;
    if (t == ROOF_TENSOR_DISPATCH || t == ROOF_TENSOR_COMBINE)
        return roof_workload_dt(w, ROOF_TENSOR_COMPUTE);
    if (t == ROOF_TENSOR_ACT) {
        /* FP8 W8A8 in vLLM quantizes the weights of the linear modules and
         * their input activations, per token and on the fly; everything
         * else keeps the model's 16-bit dtype (docs.vllm.ai, v0.5.4,
         * "FP8": "all Linear modules (except for the final lm_head) have
         * their weights quantized down to FP8_E4M3 ... Activations have
         * their scale calculated dynamically"). So the residual stream, the
         * norms and the tensor-parallel all-reduces move 16-bit values. */
        roof_dtype c = roof_workload_dt(w, ROOF_TENSOR_COMPUTE);
        return roof_dtype_bytes(c) < 2.0 ? ROOF_DT_BF16 : c;
    }
    return (roof_dtype)w->dtype;
}

/* Group-quantized weights carry one scale (and zero point) per group: AWQ
 * (Lin et al. 2024, Sec. 4) and GPTQ (Frantar et al. 2023, Sec. 4) use
 * groups of 128 with fp16 scales; the OCP MX formats a shared E8M0 scale
 * per 32 elements (OCP Microscaling Formats v1.0, Sec. 5.2); NVFP4 an E4M3
 * scale per 16 (NVIDIA Blackwell technical brief); DeepSeek-V3's fp8
 * weights an fp32 scale per 128 x 128 block (DeepSeek-V3 report, Sec.
 * 3.3.2). */
double roof_workload_weight_bytes(const roof_workload *w)
{
    double b = roof_dtype_bytes(roof_workload_dt(w, ROOF_TENSOR_WEIGHTS));
    if (w->weights_group > 0)
        b += w->weights_scale_bytes / (double)w->weights_group;
    return b;
}

void roof_scenario_defaults(roof_scenario *s)
{
    const roof_param_table *tables[ROOF_SCENARIO_TABLES];
    void *bases[ROOF_SCENARIO_TABLES];
    roof_scenario_tables(s, tables, bases);
    for (int t = 1; t < ROOF_SCENARIO_TABLES; t++)
        for (size_t i = 0; i < tables[t]->count; i++)
            roof_param_put(&tables[t]->params[i], bases[t], tables[t]->params[i].def);
    s->op_scale = NULL; /* the point estimate; not a parameter, so no table resets it */
    s->op_memo = NULL;
}

int roof_scenario_set(roof_scenario *s, const char *assignment, roof_error *err)
{
    const roof_param_table *tables[ROOF_SCENARIO_TABLES];
    void *bases[ROOF_SCENARIO_TABLES];
    roof_scenario_tables(s, tables, bases);
    return roof_param_set(tables, bases, ROOF_SCENARIO_TABLES, assignment, err);
}
