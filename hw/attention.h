/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The time of a fused attention kernel (FlashAttention's forward or
 * backward; model/ops.c ROOF_OP_FUSED, dag/graph.c ROOF_DAG_FUSED,
 * validation/published_attn.c): the roofline of roof_roofline_time at the
 * attention fraction, plus the two costs that a fraction of the peak
 * cannot follow over head dims and sequence lengths (hw/attention.c). */
#ifndef ROOF_HW_ATTENTION_H
#define ROOF_HW_ATTENTION_H

#include "hw/gemm.h"

/* The work of one attention kernel on one rank. */
/* Queries per thread block of a FlashAttention forward: 128 (Shah et al.
 * 2024 Sec. 4: block size 128 x 128 at head dim 64-256; FlashAttention-2's
 * kBlockM 128 in its forward kernels). */
#define ROOF_ATTN_TILE_Q 128.0

typedef struct roof_attn_work {
    double flops; /* tensor-core FLOPs: 2 x pairs x (d_qk + d_v); the backward 2.5x that */
    double bytes; /* Q, K, V and O once; the backward twice that */
    double pairs; /* query-key pairs, one exponential each (the backward recomputes them once);
                     0 = not known: no exponential term */
    double keys;  /* keys one query attends to on average; 0 = not known: no per-tile term */
    int backward; /* the backward kernel: its matmuls at hw.attention.backward times the forward's rate */
    double tiles; /* a prefill forward's thread blocks: sequences x heads x ceil(queries / 128), whatever share of
                     the layers the op stands for; 0 = not known or not a prefill: no wave term (hw/attention.c) */
} roof_attn_work;

/* FlashAttention's backward as the forward's multiple (Dao 2023, arXiv
 * 2307.08691, Sec. 4.1: the backward does 5 matmuls to the forward's 2,
 * 2.5x its FLOPs; it reads Q, K, V, O and dO and writes dQ, dK, dV, about
 * twice its bytes). model/backward.c derives the backward op with them,
 * the validation rows their backward. */
#define ROOF_ATTN_BWD_FLOPS 2.5
#define ROOF_ATTN_BWD_BYTES 2.0

/* The waves w's tiles run in on hw, where its kernel runs them one per SM
 * without splitting the keys (cuDNN's, in a forward with tiles counted);
 * 0 where no wave term applies (hw/attention.c). */
double roof_attention_waves(const roof_hw *hw, const roof_attn_work *w);

/* Whether w is a decode kernel: a forward without query tiles (model/ops.c
 * counts tiles for a prefill only), which hw.attention.memory and
 * unit_keys time (hw/attention.c). */
static inline int roof_attn_is_decode(const roof_attn_work *w)
{
    return !w->backward && !(w->tiles > 0.0);
}

/* The backward kernel's work from the forward's: 2.5x the FLOPs, twice
 * the bytes, the exponentials recomputed once, the same keys. */
roof_attn_work roof_attn_backward(const roof_attn_work *forward);

/* Times w on hw: max(compute, memory) + overhead, where compute is the
 * longer of the tensor-core time at the attention fraction and the
 * exponentials' time pairs / exp_rate, plus exp_exposed times the shorter,
 * all times (1 + tile_keys / keys) for each query tile's fixed cost. Terms whose profile value (hw.attention.*) or
 * work value is 0 are left out, so a profile without them times as
 * roof_roofline_time with ROOF_KERNEL_ATTENTION; ROOF_GEMM_IDEAL leaves
 * both out. Fails as roof_roofline_time does. */
int roof_attention_time(const roof_hw *hw, const roof_attn_work *w, roof_dtype dtype, int flags, roof_kernel_time *out,
                        roof_error *err);

#endif
