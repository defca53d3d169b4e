/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "model/arch.h"

#include <math.h>

int roof_arch_mla(const roof_model *m)
{
    return m->kv_lora_rank > 0;
}

double roof_arch_kv_elems(const roof_scenario *s, const roof_plan *p)
{
    const roof_model *m = &s->model;
    /* MLA caches c_KV (d_c = kv_lora_rank) and the decoupled key k^R
     * (d_h^R = qk_rope_head_dim) per token and layer, shared by every head
     * (DeepSeek-V2, Sec. 2.1.3 and Table 1: (d_c + d_h^R) l elements per
     * token); each tensor-parallel rank keeps the whole latent. */
    if (roof_arch_mla(m))
        return (double)(m->kv_lora_rank + m->qk_rope_head_dim);
    /* K and V per KV head on the rank (Pope et al. 2022, Sec. 3.1). */
    return 2.0 * (double)p->kv_heads_r * (double)p->head_dim;
}

/* Mistral 7B (Jiang et al. 2023, Sec. 2): every layer attends over a window
 * of W tokens. Gemma 2 (Gemma Team 2024, Sec. 2) alternates local (4096)
 * and global layers; Gemma 3 (Gemma Team 2025, Sec. 2.1) has five local
 * (1024) for one global; GPT-OSS (OpenAI 2025 model card, Sec. 2.1)
 * alternates banded windows of 128 and dense layers. */
double roof_arch_local_fraction(const roof_model *m)
{
    if (m->window <= 0)
        return 0.0;
    if (m->global_every <= 0)
        return 1.0;
    return 1.0 - 1.0 / (double)m->global_every;
}

double roof_arch_window_len(const roof_model *m, double len, int local)
{
    if (local && m->window > 0 && (double)m->window < len)
        return (double)m->window;
    return len;
}

/* A local layer keeps only the last W tokens' K and V (vLLM and SGLang free
 * the blocks that leave the window). */
double roof_arch_mean_kv_len(const roof_model *m, double len)
{
    double f = roof_arch_local_fraction(m);
    return f * roof_arch_window_len(m, len, 1) + (1.0 - f) * len;
}

double roof_arch_kv_bytes(const roof_scenario *s, const roof_plan *p, double layers, double len)
{
    double sb = roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_KV));
    return layers * roof_arch_kv_elems(s, p) * sb * roof_arch_mean_kv_len(&s->model, len);
}

/* A Zipf popularity over the E experts, p_i = i^-z / sum_j j^-z (expert
 * routing counts are heavy-tailed: DeepSeek-V3 report, Sec. 2.1.2 and Fig.
 * 9, motivate the balancing loss by it). Experts sorted by popularity are
 * dealt to the ep ranks in turn (expert i on rank (i - 1) mod ep), the best
 * a static placement without replicas does; the busiest rank, which holds
 * experts 1, 1 + ep, 1 + 2 ep, ..., sets the step. Its tokens over the
 * mean: ep x the sum of its experts' shares. */
double roof_arch_imbalance(const roof_scenario *s, const roof_plan *p)
{
    const roof_model *m = &s->model;
    (void)p;
    if (!(m->zipf > 0.0) || m->experts <= 0 || s->parallel.ep <= 1)
        return m->imbalance;
    double z = m->zipf, total = 0.0, busiest = 0.0;
    int64_t ep = s->parallel.ep;
    for (int64_t i = 1; i <= m->experts; i++) {
        double w = pow((double)i, -z);
        total += w;
        if ((i - 1) % ep == 0)
            busiest += w;
    }
    return (double)ep * busiest / total;
}

double roof_arch_attn_params(const roof_scenario *s, const roof_plan *p, double tp)
{
    const roof_model *m = &s->model;
    double h = (double)m->hidden, H = (double)m->heads, norms = 2.0 * h;
    if (roof_arch_mla(m)) {
        double dc = (double)m->kv_lora_rank, dr = (double)m->qk_rope_head_dim, dn = (double)m->qk_nope_head_dim,
               dv = (double)m->v_head_dim, dq = (double)m->q_lora_rank;
        double q = dq > 0.0 ? h * dq + dq + dq * H * (dn + dr) / tp : h * H * (dn + dr) / tp;
        double kv = h * (dc + dr) + dc + dc * H * (dn + dv) / tp;
        return q + kv + H * dv * h / tp + norms;
    }
    double d = (double)p->head_dim;
    /* K and V: the heads on this rank, or one replicated head when tp >
     * kv_heads. */
    double kv_heads = tp > 1.0 ? (double)p->kv_heads_r : (double)p->kv_heads;
    return h * H * d / tp + 2.0 * h * kv_heads * d + H * d / tp * h + norms;
}
