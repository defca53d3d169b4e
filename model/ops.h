/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Layer ops: the list of operations one rank runs for one layer of each kind
 * (dense, MoE), and at the pipeline's ends (embedding; final norm and LM
 * head) and between stages, for one microbatch of one phase. Closed form,
 * from the model and the plan. This list is the single source of truth:
 * the estimate, the DAG, the report checker and the explanations all read
 * it.
 *
 * Ops are built into caller-owned fixed arrays; nothing is allocated.
 */
#ifndef ROOF_MODEL_OPS_H
#define ROOF_MODEL_OPS_H

#include "hw/attention.h"
#include "hw/collective.h"
#include "hw/gemm.h"
#include "model/model.h"
#include "model/plan.h"

/* The longest list is the backward of a MoE layer with full recomputation
 * (its forward again, then two GEMMs per forward GEMM): about 75 ops. */
#define ROOF_MAX_OPS 96

typedef enum {
    ROOF_OP_GEMM,     /* a (batched) matrix multiplication, timed by Get_Time */
    ROOF_OP_FUSED,    /* a fused kernel (flash attention): one roofline over its FLOPs and bytes */
    ROOF_OP_ELEMWISE, /* norms, activations, residuals, softmax: memory-bound */
    ROOF_OP_COMM      /* a collective, timed by alpha-beta */
} roof_op_kind;

/* Which pass of training an op belongs to (inference: always FWD). A
 * backward GEMM keeps its forward op's name; the pass tells them apart. */
typedef enum {
    ROOF_PASS_FWD,      /* forward */
    ROOF_PASS_DGRAD,    /* backward: gradient of the input (or of the first operand) */
    ROOF_PASS_WGRAD,    /* backward: gradient of the weights (or of the second operand) */
    ROOF_PASS_BWD,      /* backward of a non-GEMM op (elementwise, fused, a collective's conjugate) */
    ROOF_PASS_RECOMPUTE /* forward again before the backward (activation recomputation) */
} roof_pass;

typedef enum { ROOF_OP_BOUND_COMPUTE, ROOF_OP_BOUND_MEMORY, ROOF_OP_BOUND_NETWORK } roof_op_bound;

typedef struct roof_op {
    const char *name; /* "q_proj" */
    const char *what; /* "column-parallel Q projection" */
    roof_op_kind kind;
    roof_gemm gemm;        /* GEMM: the shape on this rank */
    roof_comm comm;        /* COMM: the collective */
    double flops;          /* work on this rank (GEMM: 2*b*m*k*n) */
    double bytes;          /* bytes moved from memory (COMM: the collective's size) */
    double bwd_bytes;      /* ELEMWISE: bytes its training backward moves */
    double act_bytes;      /* activation bytes it reads and writes, for the memory peak */
    double replicas;       /* ranks computing the same result (1 = split, no repeated work) */
    double mean_scale;     /* this rank's work over the mean rank's (MoE imbalance) */
    double count;          /* times it runs per layer (ring steps of context parallelism) */
    double dequant_elems;  /* GEMM with weight-only quantized B: its weight elements, dequantized to the
                             compute dtype once per row block of C (0 = none) */
    double attn_pairs;     /* FUSED: query-key pairs, one softmax exponential each (hw/attention.h) */
    double attn_keys;      /* FUSED: keys one query attends to on average */
    double attn_tiles;     /* FUSED: a prefill's thread blocks, sequences x heads x ceil(queries / 128); 0 in decode */
    roof_dtype attn_dtype; /* FUSED: the dtype the kernel computes in (model/ops.c attn_dtype) */
    roof_pass pass;
    int attn_core; /* part of the attention core that selective recomputation redoes */
    int no_grad;   /* training: no backward counterpart (the embedding's all-reduce, the loss's reductions) */

    /* Filled by roof_ops_time. */
    double time_s; /* count times one run */
    roof_op_bound bound;
} roof_op;

typedef struct roof_op_list {
    const char *kind; /* "dense", "moe", "first", "last", "send" */
    int n;
    roof_op ops[ROOF_MAX_OPS];
    double time_s; /* sum of the ops' times: one rank runs them in order */
} roof_op_list;

/* The op lists of one phase, for one microbatch on one rank. Training has
 * two: the forward (phase TRAINING, pass FWD) and the backward built from
 * it (model/backward.h). */
typedef struct roof_phase_ops {
    roof_phase phase;
    int backward;  /* the lists are a training backward */
    double kv_len; /* decode: KV tokens per sequence the step attends to */
    roof_op_list dense, moe, first, last, send;
} roof_phase_ops;

/* Builds the op lists of phase (PREFILL, DECODE, or TRAINING: the forward
 * of a training step) at KV length kv_len (decode; ignored otherwise). */
void roof_ops_build(const roof_scenario *s, const roof_plan *p, roof_phase phase, double kv_len, roof_phase_ops *out);

/* Times every op of every list on s->hw. Fails only when the hardware lacks
 * the workload's dtype. With s->op_memo, a GEMM or collective whose inputs
 * the memo holds takes the time kept there (below). */
int roof_ops_time(const roof_scenario *s, roof_phase_ops *ops, roof_error *err);

/* A memo of op times for callers that time many op lists on one hw (the
 * serving cost's searches, analysis/serve_cost.c): the Get_Time of a GEMM
 * (roof_gemm_time_of) and the time of a collective (roof_comm_time_of),
 * keyed by every field of the op those functions read, for the hw it was
 * filled on (a copy is kept: another hw empties it). The time is that
 * function's own result, so an op list timed through the memo times bit
 * for bit as without it: a cache of the one op-list evaluation, not a
 * second formula for it. A fixed table, never grown: when half full it is
 * emptied (kept small, so that its probes stay in the cache). The caller
 * owns it, in zeroed memory (calloc; roof_op_memo_init, then point
 * roof_scenario.op_memo at it); one thread at a time. */
#define ROOF_OP_MEMO_SLOTS (1 << 10)
typedef struct roof_op_memo_slot {
    double d[5];     /* GEMM: batch, m, k, n, b_elem_bytes; collective: bytes */
    int64_t i[4];    /* GEMM: dtype, shared_b; collective: op, group, nodes, algo | proto << 8 | a2a << 16 */
    double time_s;   /* one run */
    uint32_t gen;    /* filled in generation gen: empty unless the memo's */
    int kind, bound; /* roof_op_kind; GEMM: roof_bound */
} roof_op_memo_slot;
typedef struct roof_op_memo {
    roof_hw from; /* the scenario's profile the times are for */
    roof_hw hw;   /* from as its ops are timed (roof_ops_hw: the sustained fraction applied) */
    int64_t used, hits, misses;
    uint32_t gen;
    roof_op_memo_slot slot[ROOF_OP_MEMO_SLOTS];
} roof_op_memo;

/* Empties m (a new generation: nothing is cleared but the count). */
void roof_op_memo_init(roof_op_memo *m);

/* The work of a FUSED op as hw/attention.c times it: its FLOPs, bytes,
 * pairs and keys per query, and whether it is the backward kernel. */
roof_attn_work roof_op_attn_work(const roof_op *o);

/* The dtype whose peak times o on hw: a GEMM's own, fused attention's
 * (attn_dtype), elementwise arithmetic's fp32 where hw has that peak,
 * else compute (the workload's compute dtype). */
roof_dtype roof_op_dtype(const roof_hw *hw, const roof_op *o, roof_dtype compute);

/* The hardware the ops are timed on: hw, or a copy in *derated whose
 * compute efficiency is scaled by hw.efficiency.sustained when set. */
const roof_hw *roof_ops_hw(const roof_hw *hw, roof_hw *derated);

const char *roof_op_bound_name(roof_op_bound b);

/* The time a weight-only quantized GEMM g adds to its Get_Time t (timed
 * without ROOF_GEMM_TIME_ONLY) by dequantizing dequant_elems weights; 0
 * when dequant_elems is 0. The DAG re-times with it. */
double roof_op_dequant_s(const roof_hw *hw, const roof_gemm *g, double dequant_elems, const roof_gemm_time *t);

/* "", ".dgrad", ".wgrad", ".bwd" or ".recompute": what names an op of a
 * backward list ("q_proj.wgrad") in the outputs. */
const char *roof_pass_suffix(roof_pass p);

#endif
