/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Activation memory of training: the bytes one layer stores for its
 * backward, for one microbatch on one rank (Korthikanti et al. 2022,
 * "Reducing Activation Recomputation in Large Transformer Models", Sec. 4
 * and 5), generalized to GQA, SwiGLU, MoE, FlashAttention and context
 * parallelism.
 */
#ifndef ROOF_MODEL_ACTIVATIONS_H
#define ROOF_MODEL_ACTIVATIONS_H

#include "model/plan.h"

/* Bytes stored by one layer (MoE when moe is set) under recompute
 * (roof_recompute). Full recomputation stores only the layer's input. */
double roof_activation_layer_bytes(const roof_scenario *s, const roof_plan *p, int moe, int recompute);

#endif
