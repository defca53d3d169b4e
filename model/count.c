/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "model/count.h"

#include "model/arch.h"

/* Per layer: attention Q, K, V, O (h x heads*d, 2 x h x kv*d, heads*d x h)
 * and two norms (2h); a dense MLP of 2 (GELU) or 3 (SwiGLU) matrices of
 * h x ffn; a MoE layer's router (h x E), experts and shared experts of 2 or
 * 3 matrices of h x expert_hidden. Embedding and LM head are counted apart
 * (untied): vocab x h each, or once when tied, and a final norm. MLA's
 * attention weights: model/arch.c. (Kaplan et al. 2020, Sec. 2.1,
 * count 12 l h^2 for the GELU MLP with ffn = 4h and MHA, which this
 * reproduces.) */
void roof_count_params(const roof_scenario *s, const roof_plan *p, roof_param_count *out)
{
    const roof_model *m = &s->model;
    double h = (double)m->hidden;
    double nmat = m->ffn_act == ROOF_ACT_SWIGLU ? 3.0 : 2.0;
    double attn = roof_arch_attn_params(s, p, 1.0); /* GQA or MLA, model/arch.c */
    double dense = nmat * h * (double)p->ffn_hidden;
    double expert = nmat * h * (double)p->expert_hidden;
    double moe_all = h * (double)m->experts + (double)(m->experts + m->shared_experts) * expert;
    double moe_active = h * (double)m->experts + (double)(m->top_k + m->shared_experts) * expert;
    double L_moe = (double)roof_plan_moe_layers_before(m, m->layers);
    double L_dense = (double)m->layers - L_moe;
    /* A tied LM head is the embedding matrix (Press and Wolf 2017). */
    double ends = (m->tied_embeddings ? 1.0 : 2.0) * (double)m->vocab * h + h;
    out->total = L_dense * (attn + dense) + L_moe * (attn + moe_all) + ends;
    out->active = L_dense * (attn + dense) + L_moe * (attn + moe_active) + ends;
}
