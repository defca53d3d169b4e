/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The layer ops of a transformer on one rank, closed form (model/ops_time.c
 * times them).
 *
 * Sources: the Megatron-LM tensor split (Shoeybi et al. 2019, "Megatron-LM",
 * Sec. 3: Q, K, V and the first MLP matrix column-parallel, the attention
 * output and second MLP matrix row-parallel, one all-reduce after each);
 * sequence parallelism (Korthikanti et al. 2022, "Reducing Activation
 * Recomputation in Large Transformer Models", Sec. 4.2.2: each all-reduce
 * becomes a reduce-scatter, and an all-gather precedes each block); GQA
 * (Ainslie et al. 2023); FlashAttention (Dao et al. 2022: scores never
 * reach memory; causal masking skips half the blocks); MoE routing with
 * top-k and expert parallel all-to-all dispatch and combine (Lepikhin et al.
 * 2020, GShard; Fedus et al. 2021, Switch); ring attention for context
 * parallelism in prefill (Liu et al. 2023, Megatron-Core's CP); Helix for
 * decode (Bhatia et al. 2025: the KV cache sharded along the sequence over
 * cp ranks, partial attention outputs exchanged by all-to-all, then the
 * output projection and MLP split over tp*cp ranks).
 */
#include "model/ops.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "model/arch.h"

typedef struct {
    const roof_scenario *s;
    const roof_plan *p;
    roof_dtype dt;      /* the compute dtype: activations and GEMM math */
    double sb;          /* bytes per element of the compute dtype: GEMM operands, attention */
    double ab;          /* bytes per activation element between the GEMMs (workload.act_dtype; training: sb) */
    roof_dtype attn_dt; /* fused attention's dtype (attn_dtype) */
    double atb;         /* its bytes per element: Q, O, and K, V of the pass in prefill */
    double wb;          /* bytes per stored weight, scales included */
    double kvb;         /* bytes per KV cache element */
    int weight_only;    /* weights stored narrower than the math: dequantized in the GEMM */
} ctx;

/* The dtype fused attention computes in, in inference: the compute dtype
 * where the KV cache holds it too, else the activations' (workload.act_dtype).
 * An 8-bit attention kernel reads an 8-bit cache: FlashAttention-3's fp8
 * forward takes fp8 Q, K and V (Shah et al. 2024, Sec. 3.3), and
 * TensorRT-LLM's fp8 context FMHA needs the fp8 KV cache
 * (use_fp8_context_fmha); with a 16-bit cache an fp8 engine runs
 * attention in 16 bits. Training: the compute dtype (model/training.c
 * times fp8 training's other ops at bf16). */
static roof_dtype attn_dtype(const roof_workload *w, roof_phase phase)
{
    roof_dtype c = roof_workload_dt(w, ROOF_TENSOR_COMPUTE);
    if (phase == ROOF_PHASE_TRAINING || roof_workload_dt(w, ROOF_TENSOR_KV) == c)
        return c;
    return roof_workload_dt(w, ROOF_TENSOR_ACT);
}

/* What a GEMM's B operand is: an activation, the layer's weights, or the
 * K or V read from the KV cache. */
enum { B_ACT, B_WEIGHTS, B_KV };

static roof_op *add(roof_op_list *l, const char *name, const char *what, roof_op_kind kind)
{
    if (l->n >= ROOF_MAX_OPS)
        return NULL; /* cannot happen: the longest list has about 30 ops */
    roof_op *o = &l->ops[l->n++];
    memset(o, 0, sizeof *o);
    o->name = name;
    o->what = what;
    o->kind = kind;
    o->replicas = 1.0;
    o->mean_scale = 1.0;
    o->count = 1.0;
    return o;
}

static void gemm_b(const ctx *c, roof_op_list *l, const char *name, const char *what, double batch, double m, double k,
                   double n, int shared_b, double replicas, int b_is)
{
    roof_op *o = add(l, name, what, ROOF_OP_GEMM);
    if (!o)
        return;
    double bb = b_is == B_WEIGHTS ? c->wb : b_is == B_KV ? c->kvb : c->sb;
    o->gemm = (roof_gemm){batch, m, k, n, c->dt, shared_b, bb != c->sb ? bb : 0.0};
    o->flops = 2.0 * batch * m * k * n;
    /* Bytes as Get_Time counts them (an fp8 GEMM writes C in bf16:
     * hw/gemm.c), so the reported traffic and the time agree. */
    double a, b, cb;
    roof_gemm_operand_bytes(&o->gemm, &a, &b, &cb);
    o->bytes = a + b + cb;
    /* Live activations are A and C only: B is a weight (in weights_bytes,
     * batched experts included) or K and V of the attention (in kv_bytes). */
    o->act_bytes = a + cb;
    o->replicas = replicas;
    if (b_is == B_WEIGHTS && c->weight_only)
        o->dequant_elems = shared_b ? k * n : batch * k * n;
}

/* A GEMM whose B is the layer's weights. */
static void gemm(const ctx *c, roof_op_list *l, const char *name, const char *what, double batch, double m, double k,
                 double n, int shared_b, double replicas)
{
    gemm_b(c, l, name, what, batch, m, k, n, shared_b, replicas, B_WEIGHTS);
}

/* An elementwise op reading and writing `passes` tensors of elems
 * elements; its training backward moves bwd_passes of them (the output
 * gradient and saved inputs read, input gradients written). */
static void elem(const ctx *c, roof_op_list *l, const char *name, const char *what, double elems, double passes,
                 double bwd_passes, double flops_per_elem, double replicas)
{
    roof_op *o = add(l, name, what, ROOF_OP_ELEMWISE);
    if (!o)
        return;
    o->bytes = c->ab * elems * passes;
    o->bwd_bytes = c->ab * elems * bwd_passes;
    o->act_bytes = o->bytes;
    o->flops = flops_per_elem * elems;
    o->replicas = replicas;
}

static void comm(roof_op_list *l, const char *name, const char *what, roof_collective op, double bytes, int64_t group,
                 int64_t nodes, double count)
{
    if (group <= 1 || bytes <= 0.0)
        return;
    roof_op *o = add(l, name, what, ROOF_OP_COMM);
    if (!o)
        return;
    o->comm = (roof_comm){.op = op, .bytes = bytes, .group = group, .nodes = nodes, .algo = ROOF_ALGO_AUTO};
    o->bytes = bytes;
    o->act_bytes = bytes;
    o->count = count;
}

/* parallel.a2a on the all-to-all just added as name (none where the group
 * had one rank). */
static void a2a_mode(roof_op_list *l, const char *name, int mode)
{
    if (l->n > 0 && strcmp(l->ops[l->n - 1].name, name) == 0)
        l->ops[l->n - 1].comm.a2a_mode = (roof_a2a_mode)mode;
}

/* Tokens and widths of one microbatch on one rank, shared by the blocks. */
typedef struct {
    int decode;
    int train;     /* the forward of a training step */
    int dropout;   /* training with dropout */
    double t;      /* tokens entering the layer on this rank */
    double t_norm; /* tokens of norms and residuals (t / tp with sequence parallelism) */
    double q_len;  /* query tokens per sequence on this rank */
    double kv_len; /* key tokens per sequence each query attends (on this rank) */
    double prefix; /* prefill: tokens of the sequence already in the KV cache before these */
    int expanded;  /* prefill: the prefix's K and V are computed here (MLA's up-projection), not read from the cache */
    double tpl;    /* ranks splitting the output projection and MLP: tp, or tp*cp in Helix decode */
    int64_t tpl_nodes;
    int sp;          /* sequence parallel in effect (prefill, tp > 1) */
    double norm_rep; /* ranks repeating norm work */
} shape;

/* The all-reduce (or, with sequence parallelism, reduce-scatter) closing a
 * row-parallel block, and the all-gather opening the next. */
static void block_reduce(const ctx *c, const shape *sh, roof_op_list *l, const char *name_ar, const char *name_rs)
{
    double bytes = sh->t * (double)c->s->model.hidden * c->ab;
    if (sh->sp)
        comm(l, name_rs, "reduce-scatter of the row-parallel output (sequence parallel)", ROOF_COLL_REDUCE_SCATTER,
             bytes, c->s->parallel.tp, c->p->tp_nodes, 1);
    else
        comm(l, name_ar, "all-reduce of the row-parallel output over the tensor-parallel group", ROOF_COLL_ALL_REDUCE,
             bytes, (int64_t)sh->tpl, sh->tpl_nodes, 1);
}

static void block_gather(const ctx *c, const shape *sh, roof_op_list *l, const char *name)
{
    if (sh->sp)
        comm(l, name, "all-gather of the sequence-parallel input", ROOF_COLL_ALL_GATHER,
             sh->t * (double)c->s->model.hidden * c->ab, c->s->parallel.tp, c->p->tp_nodes, 1);
}

/* The residual add closing a block; in training with dropout it is
 * Megatron's fused bias-dropout-add, which also writes a one-byte mask per
 * element (Korthikanti et al. 2022, Sec. 4.1: the "sbh" mask terms). Its
 * backward sums the two gradients where the residual stream forked (two
 * in, one out) and, with dropout, applies the mask (gradient and mask in,
 * gradient out). */
static void residual(const ctx *c, const shape *sh, roof_op_list *l, const char *name, const char *what)
{
    double elems = sh->t_norm * (double)c->s->model.hidden;
    elem(c, l, name, what, elems, 3.0, sh->dropout ? 5.0 : 3.0, sh->dropout ? 3.0 : 1.0, sh->norm_rep);
    if (sh->dropout && l->n > 0) {
        l->ops[l->n - 1].bytes += elems;
        l->ops[l->n - 1].bwd_bytes += elems;
    }
}

/* Keys one query attends to on average: the KV length, half of it under a
 * causal mask in prefill (FlashAttention skips the masked blocks; Dao et
 * al. 2022), and for a local layer at most the window (a query at position
 * i sees min(i, W) keys in prefill: S W - W^2 / 2 pairs over S queries when
 * S > W). A prefill whose first P tokens are already cached (a chunk of a
 * chunked prefill, or a prefix-cache hit) computes its S queries at
 * positions P to P + S, each seeing every cached key and the causal part
 * of its own: P + S / 2 keys (the mask aligned to the bottom right, as
 * FlashAttention from 2.1 and cuDNN align it when s_q < s_kv; chunks
 * "attend to all the tokens of the prompt before them": Agrawal et al.
 * 2024, Sarathi-Serve, OSDI, Sec. 4.1), so that the chunks of a prompt
 * together do its unchunked attention. */
static double keys_per_query(const ctx *c, const shape *sh, int local)
{
    const roof_model *m = &c->s->model;
    double len = sh->kv_len, W = (double)m->window, P = sh->prefix; /* 0 in decode */
    int causal = !sh->decode && c->s->workload.causal;
    if (!local || !(W > 0.0) || !(W < len + P))
        return causal ? P + 0.5 * len : P + len;
    if (!causal)
        return W;
    /* The mean over positions i in [P, P + S) of min(i, W). */
    double end = P + len, knee = W < P ? P : W > end ? end : W;
    return (0.5 * (knee * knee - P * P) + W * (end - knee)) / len;
}

/* The fused attention of one kind of layer (local or global), scaled by
 * the share of layers of that kind: its FLOPs (qk and pv widths per pair)
 * and bytes (Q and O per query, the cached K and V per key). */
static void flash(const ctx *c, const shape *sh, roof_op_list *l, int local, double share, double qk_dim, double v_dim,
                  double q_width, double kv_width)
{
    if (!(share > 0.0))
        return;
    roof_op *o = add(l, local ? "flash_attn_local" : "flash_attn",
                     local ? "fused sliding-window attention (FlashAttention) of the local layers, per layer"
                           : "fused attention (FlashAttention): Q K^T, softmax, P V",
                     ROOF_OP_FUSED);
    if (!o)
        return;
    double smb = (double)c->p->seqs_per_microbatch;
    double keys = keys_per_query(c, sh, local);
    /* Keys read: this pass's, and the cached prefix's: a local layer's
     * first query reaches back W keys at most. */
    double own = local ? roof_arch_window_len(&c->s->model, sh->kv_len, 1) : sh->kv_len;
    double cached = local ? roof_arch_window_len(&c->s->model, sh->prefix, 1) : sh->prefix;
    double pairs = smb * (double)c->p->heads_r * sh->q_len * keys;
    o->flops = share * 2.0 * pairs * (qk_dim + v_dim);
    /* The shape hw/attention.c times beyond the roofline: one exponential
     * per pair, each query tile's cost spread over its keys. */
    o->attn_pairs = share * pairs;
    o->attn_keys = keys;
    /* The kernel's thread blocks: one per 128 queries of one sequence and
     * head, in prefill (hw/attention.c: whatever the layers' share). */
    o->attn_tiles = sh->decode ? 0.0 : smb * (double)c->p->heads_r * ceil(sh->q_len / ROOF_ATTN_TILE_Q);
    /* In prefill the K and V are this pass's activations; in decode they
     * come from the cache, in its dtype. */
    double kvb = sh->decode ? c->kvb : c->atb;
    o->bytes = share * smb *
               (q_width * sh->q_len * c->atb + kv_width * (own * kvb + cached * (sh->expanded ? c->atb : c->kvb)));
    /* Live: Q in and O out. K and V are the KV cache (kv_bytes); the
     * scores stay on chip (Dao et al. 2022, Sec. 3.1). */
    o->act_bytes = share * smb * q_width * sh->q_len * c->atb;
    o->attn_dtype = c->attn_dt;
}

/* Multi-head latent attention (DeepSeek-V2, Sec. 2.1.2-2.1.3): Q from a
 * low-rank latent (q_lora_rank), K and V from the cached c_KV
 * (kv_lora_rank) with a decoupled RoPE key k^R shared by the heads. The
 * down-projections are replicated over tensor parallelism, the
 * up-projections split by head. Prefill decompresses K and V and runs
 * ordinary attention over qk = nope + rope, v widths; decode absorbs W^UK
 * into the query and W^UV into the output (Sec. 2.1.2, "we can absorb W^UK
 * into W^Q, and W^UV into W^O"), so attention runs over the latent: each
 * key-query pair costs 2 (d_c + d_R) + 2 d_c FLOPs and every head reads
 * the same d_c + d_R elements per token (the MQA-like form of FlashMLA). */
static void mla(const ctx *c, const shape *sh, roof_op_list *l, double qkv_rep)
{
    const roof_scenario *s = c->s;
    const roof_model *m = &s->model;
    const roof_plan *p = c->p;
    double h = (double)m->hidden, hr = (double)p->heads_r, tp = (double)s->parallel.tp;
    double dc = (double)m->kv_lora_rank, dr = (double)m->qk_rope_head_dim, dn = (double)m->qk_nope_head_dim,
           dv = (double)m->v_head_dim, dq = (double)m->q_lora_rank;
    double f = roof_arch_local_fraction(m);
    if (dq > 0.0) {
        gemm(c, l, "q_a_proj", "MLA query down-projection to the latent (replicated over tp)", 1, sh->t, h, dq, 1,
             qkv_rep * tp);
        gemm(c, l, "q_b_proj", "MLA query up-projection, column-parallel by head", 1, sh->t, dq, hr * (dn + dr), 1,
             qkv_rep);
    } else
        gemm(c, l, "q_proj", "column-parallel Q projection (MLA, no query latent)", 1, sh->t, h, hr * (dn + dr), 1,
             qkv_rep);
    gemm(c, l, "kv_a_proj", "MLA KV down-projection to c_KV and the RoPE key (replicated over tp)", 1, sh->t, h,
         dc + dr, 1, qkv_rep * tp);
    if (sh->decode) {
        gemm(c, l, "q_absorb", "query times W^UK per head: the query in the latent space (absorbed MLA)", hr, sh->t, dn,
             dc, 0, qkv_rep);
        flash(c, sh, l, 1, f, dc + dr, dc, hr * (dc + dr) + hr * dc, dc + dr);
        flash(c, sh, l, 0, 1.0 - f, dc + dr, dc, hr * (dc + dr) + hr * dc, dc + dr);
        gemm(c, l, "v_absorb", "latent attention output times W^UV per head (absorbed MLA)", hr, sh->t, dc, dv, 0, 1);
    } else {
        /* A chunk after a cached prefix up-projects the prefix's cached
         * latent too, to attend to it with full heads (vLLM's MLA prefill
         * with context: the cached c_KV expanded chunk by chunk,
         * vllm/v1/attention/backends/mla/common.py
         * _compute_prefill_context); its K and V then come from that GEMM,
         * in the activations' dtype. */
        shape sx = *sh;
        sx.expanded = 1;
        gemm(c, l, "kv_b_proj", "MLA KV up-projection: K (no RoPE part) and V of every head, column-parallel", 1,
             sh->t + (double)p->seqs_per_microbatch * sh->prefix, dc, hr * (dn + dv), 1, 1);
        flash(c, &sx, l, 1, f, dn + dr, dv, hr * (dn + dr + dv), hr * (dn + dr + dv));
        flash(c, &sx, l, 0, 1.0 - f, dn + dr, dv, hr * (dn + dr + dv), hr * (dn + dr + dv));
    }
}

/* parallel: the attention of a parallel block (model.parallel_block, a
 * dense layer), whose output the MLP's reduce sums in: GPT-J (Wang and
 * Komatsuzaki 2021), GPT-NeoX (Black et al. 2022, Sec. 2.1), PaLM
 * (Chowdhery et al. 2022, Sec. 2: "Parallel Layers"), and TensorRT-LLM's
 * Falcon, which "allreduce applies after those layer"
 * (tensorrt_llm/models/falcon/model.py, FalconDecoderLayer: attention and
 * MLP built without their tp_group, one allreduce of their sum). */
static void attention(const ctx *c, const shape *sh, roof_op_list *l, int parallel)
{
    const roof_scenario *s = c->s;
    const roof_plan *p = c->p;
    double h = (double)s->model.hidden, d = (double)p->head_dim;
    double hr = (double)p->heads_r, kvr = (double)p->kv_heads_r;
    double smb = (double)p->seqs_per_microbatch, cp = (double)s->parallel.cp;
    double qkv_rep = sh->decode ? cp : 1.0; /* Helix: every KV shard needs the query */
    int is_mla = roof_arch_mla(&s->model);

    elem(c, l, "attn_norm", "RMSNorm/LayerNorm before attention", sh->t_norm * h, 2.0, 3.0, 4.0, sh->norm_rep);
    block_gather(c, sh, l, "attn_allgather");
    if (is_mla)
        mla(c, sh, l, qkv_rep);
    else {
        gemm(c, l, "q_proj", "column-parallel Q projection", 1, sh->t, h, hr * d, 1, qkv_rep);
        gemm(c, l, "k_proj", "column-parallel K projection", 1, sh->t, h, kvr * d, 1, qkv_rep * p->kv_replicas);
        gemm(c, l, "v_proj", "column-parallel V projection", 1, sh->t, h, kvr * d, 1, qkv_rep * p->kv_replicas);
    }

    if (!sh->decode && cp > 1.0)
        comm(l, "cp_kv_ring", "ring exchange of K,V chunks between context-parallel ranks (cp-1 steps)",
             ROOF_COLL_SEND_RECV, smb * roof_arch_kv_elems(s, p) * sh->q_len * c->atb, 2, p->cp_nodes > 1 ? 2 : 1,
             cp - 1.0);

    double keys = sh->kv_len + sh->prefix;      /* the naive kernel computes every pair (prefix: 0 in decode) */
    double pairs = smb * hr * sh->q_len * keys; /* query-key pairs */
    if (is_mla) {
        /* the fused kernels above */
    } else if (s->workload.attention == ROOF_ATTN_NAIVE) {
        /* The score matrix is materialized: two batched GEMMs over the
         * sequences x heads, and a softmax over it. A naive kernel computes
         * the masked half too. */
        int core = l->n;
        int kv_b = sh->decode ? B_KV : B_ACT;
        /* In attention's own dtype, as the fused kernel (attn_dtype). */
        ctx ca = *c;
        ca.dt = c->attn_dt;
        ca.sb = c->atb;
        gemm_b(&ca, l, "qk_scores", "attention scores Q K^T per sequence and head", smb * hr, sh->q_len, d, keys, 0, 1,
               kv_b);
        elem(c, l, "softmax", "softmax over the score matrix", pairs, 2.0, 3.0, 5.0, 1);
        if (sh->dropout) {
            /* Dropout on the probabilities: reads them, writes the result
             * and a one-byte mask (Korthikanti et al. 2022, Sec. 4.1). */
            elem(c, l, "attn_dropout", "dropout on the attention probabilities", pairs, 2.0, 2.0, 2.0, 1);
            if (l->n > 0) {
                l->ops[l->n - 1].bytes += pairs;
                l->ops[l->n - 1].bwd_bytes += pairs;
            }
        }
        gemm_b(&ca, l, "av", "attention output P V per sequence and head", smb * hr, sh->q_len, keys, d, 0, 1, kv_b);
        for (int i = core; i < l->n; i++)
            l->ops[i].attn_core = 1;
    } else {
        /* FLOPs 4 x pairs x d (Q K^T and P V); bytes Q and O, K and V. */
        double f = roof_arch_local_fraction(&s->model);
        flash(c, sh, l, 1, f, d, d, 2.0 * hr * d, 2.0 * kvr * d);
        flash(c, sh, l, 0, 1.0 - f, d, d, 2.0 * hr * d, 2.0 * kvr * d);
    }
    double vd = is_mla ? (double)s->model.v_head_dim : d;
    if (sh->decode)
        comm(l, "cp_combine", "all-to-all of partial attention outputs over the KV shards (Helix)",
             ROOF_COLL_ALL_TO_ALL, smb * hr * vd * c->ab, s->parallel.cp, p->cp_nodes, 1);

    double o_k = (double)s->model.heads * vd / sh->tpl;
    gemm(c, l, "o_proj", "row-parallel attention output projection", 1, sh->t, o_k, h, 1, 1);
    if (parallel)
        return; /* the MLP's reduce and residual add close both */
    block_reduce(c, sh, l, "attn_allreduce", "attn_reducescatter");
    residual(c, sh, l, "attn_residual",
             sh->dropout ? "dropout and residual add after attention" : "residual add after attention");
}

/* The MLP matrices of a dense layer, the routed experts or the shared
 * experts; kind picks the names people read ("expert up projection"). */
typedef enum { MLP_DENSE, MLP_EXPERTS, MLP_SHARED } mlp_kind;

static void mlp_matrices(const ctx *c, roof_op_list *l, mlp_kind kind, double batch, double m, double inner,
                         double replicas, double mean_scale)
{
    static const char *const names[3][4] = {{"gate_proj", "up_proj", "act", "down_proj"},
                                            {"expert_gate", "expert_up", "expert_act", "expert_down"},
                                            {"shared_gate", "shared_up", "shared_act", "shared_down"}};
    static const char *const whats[3][4] = {
        {"column-parallel gate projection (SwiGLU)", "column-parallel up projection", "",
         "row-parallel down projection"},
        {"expert gate projection (the GPU's experts, batched)", "expert up projection (the GPU's experts, batched)", "",
         "expert down projection (the GPU's experts, batched)"},
        {"shared-expert gate projection", "shared-expert up projection", "", "shared-expert down projection"}};
    double h = (double)c->s->model.hidden;
    int first = l->n;
    if (c->s->model.ffn_act == ROOF_ACT_SWIGLU) {
        gemm(c, l, names[kind][0], whats[kind][0], batch, m, h, inner, batch == 1.0, replicas);
        gemm(c, l, names[kind][1], whats[kind][1], batch, m, h, inner, batch == 1.0, replicas);
        elem(c, l, names[kind][2], "SiLU(gate) * up", batch * m * inner, 3.0, 5.0, 5.0, replicas);
    } else {
        gemm(c, l, names[kind][1], whats[kind][1], batch, m, h, inner, batch == 1.0, replicas);
        elem(c, l, names[kind][2], "GELU", batch * m * inner, 2.0, 3.0, 8.0, replicas);
    }
    gemm(c, l, names[kind][3], whats[kind][3], batch, m, inner, h, batch == 1.0, replicas);
    for (int i = first; i < l->n; i++)
        l->ops[i].mean_scale = mean_scale;
}

/* parallel: the MLP of a parallel block reads the input attention
 * gathered (its own norm: Falcon-40B and -180B normalize each branch). */
static void dense_mlp(const ctx *c, const shape *sh, roof_op_list *l, int parallel)
{
    double h = (double)c->s->model.hidden;
    elem(c, l, "mlp_norm", "RMSNorm/LayerNorm before the MLP", sh->t_norm * h, 2.0, 3.0, 4.0, sh->norm_rep);
    if (!parallel)
        block_gather(c, sh, l, "mlp_allgather");
    mlp_matrices(c, l, MLP_DENSE, 1, sh->t, (double)c->p->ffn_hidden / sh->tpl, 1, 1);
    block_reduce(c, sh, l, "mlp_allreduce", "mlp_reducescatter");
    residual(c, sh, l, "mlp_residual",
             sh->dropout ? "dropout and residual add after the MLP" : "residual add after the MLP");
}

static void moe_mlp(const ctx *c, const shape *sh, roof_op_list *l)
{
    const roof_scenario *s = c->s;
    const roof_plan *p = c->p;
    const roof_model *m = &s->model;
    double h = (double)m->hidden, E = (double)m->experts, k = (double)m->top_k;
    double R = (double)p->stage_ranks, etp = (double)p->etp;

    elem(c, l, "mlp_norm", "RMSNorm/LayerNorm before the MoE block", sh->t_norm * h, 2.0, 3.0, 4.0, sh->norm_rep);
    block_gather(c, sh, l, "mlp_allgather");
    gemm(c, l, "router", "router (gate) logits, replicated over the tensor-parallel group", 1, sh->t, h, E, 1, sh->tpl);
    elem(c, l, "topk", "top-k selection and routing weights", sh->t * E, 2.0, 2.0, 2.0, sh->tpl);

    /* Distinct tokens of the microbatch in the whole stage, and the
     * token-expert pairs each rank computes (mean and busiest). */
    double t_stage = (double)s->parallel.dp * (double)p->seqs_per_microbatch *
                     (sh->decode ? sh->q_len : (double)s->workload.seq_len);
    double pairs_mean = t_stage * k * etp / R;
    double imbalance = roof_arch_imbalance(s, p);
    double pairs_busy = pairs_mean * imbalance;
    /* Dispatch and combine may travel narrower than the activations
     * (DeepEP dispatches fp8 and combines bf16; DeepSeek-V3 report, Sec.
     * 3.3.2). */
    double dispatch = t_stage / R * k * h;
    double dispatch_b = roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_DISPATCH));
    double combine_b = roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_COMBINE));
    if (s->parallel.ep > 1) {
        comm(l, "ep_dispatch", "all-to-all dispatch of tokens to their experts", ROOF_COLL_ALL_TO_ALL,
             dispatch * dispatch_b, s->parallel.ep, p->ep_nodes, 1);
        a2a_mode(l, "ep_dispatch", s->parallel.a2a);
    }

    /* With fewer tokens than local experts (decode), only as many experts
     * as tokens are busy, and only their weights are read. */
    double le = (double)p->local_experts;
    double active = pairs_busy < le ? (pairs_busy > 1.0 ? pairs_busy : 1.0) : le;
    mlp_matrices(c, l, MLP_EXPERTS, active, pairs_busy / active, (double)p->expert_hidden / etp, 1, 1.0 / imbalance);

    double shared_inner = (double)m->shared_experts * (double)p->expert_hidden / sh->tpl;
    if (m->shared_experts > 0)
        mlp_matrices(c, l, MLP_SHARED, 1, sh->t, shared_inner, 1, 1);

    if (s->parallel.ep == 1) {
        /* Experts split like the dense MLP: one reduction closes the block,
         * shared experts included. */
        block_reduce(c, sh, l, "mlp_allreduce", "mlp_reducescatter");
    } else {
        if (p->etp > 1)
            comm(l, "expert_allreduce", "all-reduce of partial expert outputs over the expert tensor-parallel group",
                 ROOF_COLL_ALL_REDUCE, pairs_mean * h * c->ab, p->etp, p->etp_nodes, 1);
        comm(l, "ep_combine", "all-to-all combine of expert outputs back to their tokens", ROOF_COLL_ALL_TO_ALL,
             dispatch * combine_b, s->parallel.ep, p->ep_nodes, 1);
        a2a_mode(l, "ep_combine", s->parallel.a2a);
        if (m->shared_experts > 0 && sh->tpl > 1.0)
            comm(l, "shared_allreduce", "all-reduce of the shared experts' row-parallel output", ROOF_COLL_ALL_REDUCE,
                 sh->t * h * c->ab, (int64_t)sh->tpl, sh->tpl_nodes, 1);
    }
    residual(c, sh, l, "mlp_residual",
             sh->dropout ? "dropout and residual add after the MoE block" : "residual add after the MoE block");
}

void roof_ops_build(const roof_scenario *s, const roof_plan *p, roof_phase phase, double kv_len, roof_phase_ops *out)
{
    ctx c;
    c.s = s;
    c.p = p;
    c.dt = roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE);
    c.sb = roof_dtype_bytes(c.dt);
    /* Training keeps its own account of fp8 (model/training.c mixed_fp8:
     * the ops other than GEMMs timed at bf16). */
    c.ab = phase == ROOF_PHASE_TRAINING ? c.sb : roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_ACT));
    c.attn_dt = attn_dtype(&s->workload, phase);
    c.atb = roof_dtype_bytes(c.attn_dt);
    c.wb = roof_workload_weight_bytes(&s->workload);
    c.kvb = roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_KV));
    /* Weight-only quantization (W4A16, W8A16): weights stored in a format
     * the GEMM does not compute in. W8A8 and NVFP4 compute in the weights'
     * own format and need no dequantization. */
    roof_dtype wdt = roof_workload_dt(&s->workload, ROOF_TENSOR_WEIGHTS);
    c.weight_only = wdt != c.dt && roof_dtype_bytes(wdt) < c.sb;
    double tp = (double)s->parallel.tp, cp = (double)s->parallel.cp;
    double smb = (double)p->seqs_per_microbatch;
    shape sh;
    sh.decode = phase == ROOF_PHASE_DECODE;
    sh.train = phase == ROOF_PHASE_TRAINING;
    sh.dropout = sh.train && s->model.dropout;
    if (sh.decode) {
        /* With speculation the model verifies the k proposed tokens and one
         * of its own in one pass (Leviathan et al. 2023, Sec. 3). */
        sh.q_len = 1.0 + (s->workload.spec_k > 0 ? (double)s->workload.spec_k : 0.0);
        sh.kv_len = kv_len / cp;
        sh.prefix = 0.0;
        sh.expanded = 0;
        sh.tpl = tp * cp;
        sh.tpl_nodes = p->tpcp_nodes;
        sh.sp = 0;
    } else {
        sh.q_len = (double)s->workload.seq_len / cp;
        sh.kv_len = (double)s->workload.seq_len;
        /* A context beyond the prompt's tokens: the tokens before them,
         * cached (keys_per_query). */
        sh.prefix = phase == ROOF_PHASE_PREFILL && p->context > s->workload.seq_len
                        ? (double)(p->context - s->workload.seq_len)
                        : 0.0;
        sh.expanded = 0;
        sh.tpl = tp;
        sh.tpl_nodes = p->tp_nodes;
        sh.sp = s->parallel.sp && s->parallel.tp > 1;
    }
    sh.t = smb * sh.q_len;
    sh.t_norm = sh.sp ? sh.t / tp : sh.t;
    sh.norm_rep = sh.sp ? 1.0 : sh.tpl;

    out->phase = phase;
    out->backward = 0;
    out->kv_len = sh.decode ? kv_len : (double)s->workload.seq_len;
    roof_op_list *lists[] = {&out->dense, &out->moe, &out->first, &out->last, &out->send};
    const char *kinds[] = {"dense", "moe", "first", "last", "send"};
    for (int i = 0; i < 5; i++) {
        lists[i]->kind = kinds[i];
        lists[i]->n = 0;
        lists[i]->time_s = 0.0;
    }

    attention(&c, &sh, &out->dense, s->model.parallel_block);
    dense_mlp(&c, &sh, &out->dense, s->model.parallel_block);
    if (p->moe) {
        attention(&c, &sh, &out->moe, 0);
        moe_mlp(&c, &sh, &out->moe);
    }

    double h = (double)s->model.hidden, V = (double)s->model.vocab;
    if (V > 0.0) {
        elem(&c, &out->first, "embedding", "token embedding lookup (vocabulary-parallel)", sh.t * h, 1.0, 3.0, 0.0, 1);
        /* The vocabulary-parallel embedding's all-reduce is the forward half
         * of a conjugate pair whose backward is the identity (Shoeybi et al.
         * 2019, Sec. 3): no backward counterpart. */
        comm(&out->first, "embed_allreduce", "all-reduce of the vocabulary-parallel embedding", ROOF_COLL_ALL_REDUCE,
             sh.t * h * c.ab, s->parallel.tp, p->tp_nodes, 1);
        if (out->first.n > 0 && out->first.ops[out->first.n - 1].kind == ROOF_OP_COMM)
            out->first.ops[out->first.n - 1].no_grad = 1;
        elem(&c, &out->last, "final_norm", "final RMSNorm/LayerNorm", sh.t * h, 2.0, 3.0, 4.0, sh.tpl);
        if (sh.train) {
            /* Training needs the logits of every position, and a
             * vocabulary-parallel cross-entropy that never gathers them:
             * three all-reduces of one float per token (max, sum of
             * exponentials, target logit) over tp (Megatron-LM,
             * vocab_parallel_cross_entropy). */
            gemm(&c, &out->last, "lm_head", "column-parallel LM head over every position (vocabulary split over tp)", 1,
                 sh.t, h, V / tp, 1, 1);
            elem(&c, &out->last, "cross_entropy", "vocabulary-parallel softmax cross-entropy over the logits",
                 sh.t * V / tp, 2.0, 2.0, 5.0, 1);
            comm(&out->last, "loss_allreduce", "three all-reduces of one float per token (vocabulary-parallel loss)",
                 ROOF_COLL_ALL_REDUCE, sh.t * 4.0, s->parallel.tp, p->tp_nodes, 3);
            if (out->last.n > 0 && out->last.ops[out->last.n - 1].kind == ROOF_OP_COMM)
                out->last.ops[out->last.n - 1].no_grad = 1;
        } else {
            /* Generation needs the logits of the last position only: one per
             * sequence in prefill, and in decode (each verified position
             * with speculation). */
            double rows = sh.decode ? smb * sh.q_len : smb;
            gemm(&c, &out->last, "lm_head", "column-parallel LM head (vocabulary split over tp)", 1, rows, h, V / tp, 1,
                 cp);
            comm(&out->last, "logits_gather", "all-gather of the vocabulary-parallel logits", ROOF_COLL_ALL_GATHER,
                 rows * V * c.ab, s->parallel.tp, p->tp_nodes, 1);
        }
    }
    if (s->parallel.pp > 1)
        comm(&out->send, "pp_send", "send of the activations to the next pipeline stage", ROOF_COLL_SEND_RECV,
             sh.t_norm * h * c.ab, 2, p->pp_cross_node ? 2 : 1, 1);
}

const char *roof_pass_suffix(roof_pass p)
{
    static const char *const suffix[] = {"", ".dgrad", ".wgrad", ".bwd", ".recompute"};
    return (unsigned)p < sizeof suffix / sizeof suffix[0] ? suffix[p] : "";
}

const char *roof_op_bound_name(roof_op_bound b)
{
    return b == ROOF_OP_BOUND_COMPUTE ? "compute" : b == ROOF_OP_BOUND_MEMORY ? "memory" : "network";
}
