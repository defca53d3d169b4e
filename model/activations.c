/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Korthikanti et al. 2022, Sec. 4.1, count the bytes a 16-bit transformer
 * layer keeps for its backward, per microbatch of b sequences of s tokens:
 *
 *   attention 11sbh + 5as^2b: the QKV input (2sbh), Q and K for Q K^T
 *     (4sbh), the softmax output (2as^2b), its dropout mask (as^2b) and
 *     output (2as^2b), V (2sbh), the output projection's input (2sbh), the
 *     output dropout mask (sbh);
 *   MLP 19sbh: its input (2sbh), the first matrix's output (8sbh), the
 *     activation's output (8sbh), the dropout mask (sbh);
 *   two norms' inputs, 4sbh.
 *
 * Sum 34sbh + 5as^2b. Tensor parallelism splits all but the norms' inputs,
 * the QKV and MLP inputs and the two masks (10sbh stay whole: Sec. 4.2.1);
 * sequence parallelism splits those too (Sec. 4.2.2); selective
 * recomputation drops the 5as^2b of the attention core (Sec. 5); full
 * recomputation keeps the layer input alone, 2sbh (split over tp with
 * sequence parallelism).
 *
 * Generalized here term by term: element size from the dtype, widths from
 * the heads (GQA shrinks K and V), SwiGLU keeps gate and up outputs, the
 * masks only with model.dropout, FlashAttention keeps the log-sum-exp (one
 * fp32 per query and head) instead of the score matrices (Dao et al.
 * 2022), and a MoE layer keeps its routed tokens' expert activations.
 */
#include "model/activations.h"

double roof_activation_layer_bytes(const roof_scenario *s, const roof_plan *p, int moe, int recompute)
{
    const roof_model *m = &s->model;
    double sb = roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE));
    double tp = (double)s->parallel.tp, cp = (double)s->parallel.cp;
    double smb = (double)p->seqs_per_microbatch;
    double q_len = (double)s->workload.seq_len / cp, kv_len = (double)s->workload.seq_len;
    double t = smb * q_len; /* tokens of the microbatch on this rank, before the tp split */
    double h = (double)m->hidden, d = (double)p->head_dim;
    int sp = s->parallel.sp && s->parallel.tp > 1;
    double whole = sp ? tp : 1.0; /* divides the terms tensor parallelism alone leaves whole */
    double mask = m->dropout ? 1.0 : 0.0;

    if (recompute == ROOF_RECOMPUTE_FULL)
        return sb * t * h / whole;

    /* Whole without sequence parallelism: two norm inputs, the QKV input,
     * the MLP input, two dropout masks (one byte each). */
    double bytes = (4.0 * sb * t * h + 2.0 * mask * t * h) / whole;

    /* Attention, split over tp: Q and K, V, the output projection's input. */
    double q_w = (double)p->heads_r * d, kv_w = (double)p->kv_heads_r * d;
    bytes += sb * t * (q_w + kv_w) + sb * t * kv_w + sb * t * q_w;

    /* The attention core: the score matrices (naive) or FlashAttention's
     * log-sum-exp. Selective recomputation redoes the naive core instead. */
    double pairs = smb * (double)p->heads_r * q_len * kv_len;
    if (s->workload.attention == ROOF_ATTN_NAIVE) {
        if (recompute != ROOF_RECOMPUTE_SELECTIVE)
            bytes += sb * pairs + mask * (1.0 + sb) * pairs;
    } else {
        bytes += 4.0 * smb * (double)p->heads_r * q_len;
    }

    /* MLP, split over tp: the first matrices' outputs (gate and up with
     * SwiGLU) and the activation's output. */
    double outs = m->ffn_act == ROOF_ACT_SWIGLU ? 2.0 : 1.0;
    if (!moe) {
        double f = (double)p->ffn_hidden / tp;
        bytes += sb * t * f * (outs + 1.0);
        return bytes;
    }
    /* MoE: the router logits, and per routed token-expert pair on this
     * rank (the busiest, as the op lists count them) its input copy and
     * the expert's intermediate outputs; shared experts like a dense MLP. */
    double t_stage = (double)s->parallel.dp * smb * (double)s->workload.seq_len;
    double pairs_r = t_stage * (double)m->top_k * (double)p->etp / (double)p->stage_ranks * m->imbalance;
    double fe = (double)p->expert_hidden / (double)p->etp;
    bytes += sb * t * (double)m->experts;
    bytes += sb * pairs_r * (h + fe * (outs + 1.0));
    bytes += sb * t * (double)m->shared_experts * (double)p->expert_hidden / tp * (outs + 1.0);
    return bytes;
}
