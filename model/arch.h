/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Architecture variants that change what a layer stores and reads: the KV
 * cache per token of plain, grouped-query, multi-head latent (MLA) and
 * sliding-window attention, and the expert load of a skewed router. Closed
 * form; the ops (model/ops.c), the memory (model/evaluate.c) and the
 * parameter count (model/count.c) read them. */
#ifndef ROOF_MODEL_ARCH_H
#define ROOF_MODEL_ARCH_H

#include "model/model.h"
#include "model/plan.h"

/* The model uses multi-head latent attention (model.mla.kv_lora_rank > 0). */
int roof_arch_mla(const roof_model *m);

/* KV cache elements one token adds to one layer on one tensor-parallel
 * rank: 2 x KV heads on the rank x head_dim, or for MLA the latent and the
 * RoPE key, kv_lora_rank + qk_rope_head_dim, on every rank (the latent is
 * not split by head; DeepSeek-V2, Sec. 2.1.2, Table 1). */
double roof_arch_kv_elems(const roof_scenario *s, const roof_plan *p);

/* The fraction of layers that attend over a sliding window (0 when
 * model.window is 0). */
double roof_arch_local_fraction(const roof_model *m);

/* KV tokens a layer holds or reads at KV length len: len for a global
 * layer, min(len, window) for a local one. */
double roof_arch_window_len(const roof_model *m, double len, int local);

/* Tokens cached per layer on average at KV length len, local and global
 * layers weighted by their share. */
double roof_arch_mean_kv_len(const roof_model *m, double len);

/* KV cache bytes of one sequence on one rank of a stage of `layers`
 * layers at KV length len (before the cp split). */
double roof_arch_kv_bytes(const roof_scenario *s, const roof_plan *p, double layers, double len);

/* The busiest expert-parallel rank's tokens over the mean: model.moe.zipf
 * when set (a Zipf popularity over the experts), else model.moe.imbalance. */
double roof_arch_imbalance(const roof_scenario *s, const roof_plan *p);

/* Attention weights of one layer on one tensor-parallel rank of tp (tp = 1:
 * the whole layer), its two norms included. Plain/GQA: Q, K, V and O
 * split by head. MLA (DeepSeek-V2, Sec. 2.1.2, eqs. 9-13 and 37-40): the
 * down-projections W^DQ (h x d_c'), W^DKV (h x d_c) and W^KR (h x d_R) with
 * the latents' norms replicated; W^UQ, W^QR (d_c' x heads (d_n + d_R)),
 * W^UK, W^UV (d_c x heads (d_n + d_v)) and W^O (heads d_v x h) split by
 * head. */
double roof_arch_attn_params(const roof_scenario *s, const roof_plan *p, double tp);

#endif
