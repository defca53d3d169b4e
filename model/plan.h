/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plan: checks that a parallel plan fits the model and the hardware,
 * and derives what one rank sees (heads, widths, tokens, experts, and the
 * nodes each communication group spans). Written into a caller-owned
 * struct; nothing is allocated.
 *
 * Ranks are ordered as Megatron-LM orders them, tensor-parallel innermost,
 * then context, then data parallel, with pipeline stages outermost; the MoE
 * layers fold the stage's tp*cp*dp ranks into etp x ep x edp (Megatron-Core
 * "MoE parallel folding").
 */
#ifndef ROOF_MODEL_PLAN_H
#define ROOF_MODEL_PLAN_H

#include <stdint.h>

#include "core/error.h"
#include "model/model.h"

typedef struct roof_plan {
    /* The model with its derived defaults filled in. */
    int64_t kv_heads, head_dim, ffn_hidden, expert_hidden, context;
    int moe; /* the model has MoE layers */

    int64_t gpus, stage_ranks; /* tp*pp*dp*cp; tp*cp*dp */
    int64_t etp, edp;          /* expert tensor-parallel ranks, expert replicas */
    int64_t layers_per_stage;
    int64_t seqs_per_replica, seqs_per_microbatch;

    int64_t heads_r, kv_heads_r; /* heads on one tp rank (KV replicated when tp > kv_heads) */
    double kv_replicas;          /* ranks holding a copy of one KV head */
    int64_t local_experts;       /* experts on one ep rank */

    /* Nodes spanned by each group (for the collectives' tier). */
    int64_t tp_nodes, tpcp_nodes, cp_nodes, ep_nodes, etp_nodes;
    int64_t dp_nodes, edp_nodes; /* training: the gradient reduction groups (dp*cp; edp) */
    int pp_cross_node;           /* consecutive stages sit on different nodes */
} roof_plan;

/* Checks s's plan and fills p. Errors (ROOF_ERR_RUNTIME, where "plan") name
 * the settings at fault with their values. */
int roof_plan_make(const roof_scenario *s, roof_plan *p, roof_error *err);

/* MoE layers among layers [0, end): the layers from first_dense on, every
 * `every`-th. */
int64_t roof_plan_moe_layers_before(const roof_model *m, int64_t end);

#endif
