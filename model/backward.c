/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Backward op lists from forward ones.
 *
 * Sources: a GEMM C = A B has two gradient GEMMs of the same FLOPs, dA =
 * dC B^T and dB = A^T dC (Narayanan et al. 2021, Sec. 5.1: "the backward
 * pass is twice the forward"); Megatron-LM's conjugate collectives
 * (Shoeybi et al. 2019, Sec. 3: the forward's all-reduce g has an identity
 * backward and the identity f an all-reduce backward, so each block has one
 * all-reduce in each direction; with sequence parallelism an all-gather's
 * backward is a reduce-scatter and back, Korthikanti et al. 2022, Sec.
 * 4.2.2); FlashAttention's backward does 5 matrix products to the
 * forward's 2, recomputing the scores (Dao 2023, "FlashAttention-2",
 * Sec. 2.3.2): 2.5x the FLOPs; recomputation as Korthikanti et al. 2022,
 * Sec. 5 (full: the layer's forward again; selective: Q K^T, softmax,
 * dropout and attention over V).
 */
#include "model/backward.h"

#include <string.h>

static roof_op *push(roof_op_list *l, const roof_op *from, roof_pass pass)
{
    if (l->n >= ROOF_MAX_OPS)
        return NULL; /* cannot happen: see ROOF_MAX_OPS */
    roof_op *o = &l->ops[l->n++];
    *o = *from;
    o->pass = pass;
    o->time_s = 0.0;
    return o;
}

/* The two gradient GEMMs of C[m,n] = A[m,k] B[k,n] (per batch entry):
 * dA[m,k] = dC[m,n] B^T[n,k], and dB[k,n] = A^T[k,m] dC[m,n]. A weight
 * gradient (B shared over the batch) of a batch-1 GEMM reads no shared
 * operand: A^T and dC both vary. */
static void gemm_grads(roof_op_list *l, const roof_op *f, double sb)
{
    const roof_gemm *g = &f->gemm;
    roof_op *d = push(l, f, ROOF_PASS_DGRAD);
    if (d) {
        d->gemm = (roof_gemm){g->batch, g->m, g->n, g->k, g->dtype, g->shared_b, 0.0};
        double b_elems = g->shared_b ? g->n * g->k : g->batch * g->n * g->k;
        d->bytes = sb * (g->batch * g->m * g->n + b_elems + g->batch * g->m * g->k);
    }
    roof_op *w = push(l, f, ROOF_PASS_WGRAD);
    if (w) {
        w->gemm = (roof_gemm){g->batch, g->k, g->m, g->n, g->dtype, 0, 0.0};
        w->bytes = sb * g->batch * (g->k * g->m + g->m * g->n + g->k * g->n);
    }
}

static roof_collective conjugate(roof_collective c)
{
    switch (c) {
    case ROOF_COLL_ALL_GATHER:
        return ROOF_COLL_REDUCE_SCATTER;
    case ROOF_COLL_REDUCE_SCATTER:
        return ROOF_COLL_ALL_GATHER;
    default:
        return c; /* all-reduce, all-to-all, send/recv: their own conjugates */
    }
}

static void grad(roof_op_list *l, const roof_op *f, double sb)
{
    roof_op *o;
    switch (f->kind) {
    case ROOF_OP_GEMM:
        gemm_grads(l, f, sb);
        break;
    case ROOF_OP_FUSED:
        /* FlashAttention's backward (hw/attention.h): 2.5x the FLOPs and
         * about twice the bytes; the same pairs and keys per query. */
        if ((o = push(l, f, ROOF_PASS_BWD))) {
            o->flops *= ROOF_ATTN_BWD_FLOPS;
            o->bytes *= ROOF_ATTN_BWD_BYTES;
        }
        break;
    case ROOF_OP_ELEMWISE:
        /* Reads the output gradient and the saved inputs, writes the input
         * gradients: the traffic the forward op set (model/ops.c), twice
         * the arithmetic. */
        if ((o = push(l, f, ROOF_PASS_BWD))) {
            o->flops *= 2.0;
            o->bytes = f->bwd_bytes;
        }
        break;
    case ROOF_OP_COMM:
        if (f->no_grad)
            break;
        /* Sequence parallelism keeps the layer input split and gathers it
         * again in the backward, for the weight gradients (Korthikanti et
         * al. 2022, Sec. 4.2.2). */
        if (f->comm.op == ROOF_COLL_ALL_GATHER)
            push(l, f, ROOF_PASS_RECOMPUTE);
        if ((o = push(l, f, ROOF_PASS_BWD))) {
            o->comm.op = conjugate(f->comm.op);
            /* Context parallelism's ring passes K, V and their gradients
             * in the backward (Megatron-Core context parallel): twice the
             * bytes per step. */
            if (strcmp(f->name, "cp_kv_ring") == 0) {
                o->comm.bytes *= 2.0;
                o->bytes = o->comm.bytes;
            }
        }
        break;
    }
}

static void backward_list(const roof_scenario *s, const roof_op_list *f, roof_op_list *b, int layer)
{
    double sb = roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE));
    b->kind = f->kind;
    b->n = 0;
    b->time_s = 0.0;
    int rc = s->workload.recompute;
    if (layer && rc != ROOF_RECOMPUTE_NONE)
        for (int i = 0; i < f->n; i++)
            if (rc == ROOF_RECOMPUTE_FULL || f->ops[i].attn_core)
                push(b, &f->ops[i], ROOF_PASS_RECOMPUTE);
    for (int i = f->n - 1; i >= 0; i--)
        grad(b, &f->ops[i], sb);
}

void roof_ops_backward(const roof_scenario *s, const roof_phase_ops *fwd, roof_phase_ops *bwd)
{
    bwd->phase = fwd->phase;
    bwd->backward = 1;
    bwd->kv_len = fwd->kv_len;
    backward_list(s, &fwd->dense, &bwd->dense, 1);
    backward_list(s, &fwd->moe, &bwd->moe, 1);
    backward_list(s, &fwd->first, &bwd->first, 0);
    backward_list(s, &fwd->last, &bwd->last, 0);
    backward_list(s, &fwd->send, &bwd->send, 0);
}
