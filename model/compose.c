/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The composition that inference (evaluate.c) and training (training.c)
 * share: stage times from the timed layer ops, the work over every rank,
 * and the parameters of a stage. Both compositions call this file; it calls
 * neither (DESIGN.md: composition, step 5). */
#include "model/compose.h"

#include "model/arch.h"
#include "model/plan.h"

/* Layers of each kind on stage i, and the stage's time for one microbatch. */
void roof_compose_stages(const roof_scenario *s, const roof_plan *p, roof_phase_result *ph)
{
    int64_t pp = s->parallel.pp, L = p->layers_per_stage;
    ph->stages = pp;
    ph->send_time_s = ph->ops.send.time_s;
    ph->sum_stage_s = 0.0;
    ph->max_stage_s = 0.0;
    ph->slowest_stage = 0;
    for (int64_t i = 0; i < pp && i < ROOF_MAX_STAGES; i++) {
        int64_t moe =
            roof_plan_moe_layers_before(&s->model, (i + 1) * L) - roof_plan_moe_layers_before(&s->model, i * L);
        double t = (double)moe * ph->ops.moe.time_s + (double)(L - moe) * ph->ops.dense.time_s;
        if (i == 0)
            t += ph->ops.first.time_s;
        if (i == pp - 1)
            t += ph->ops.last.time_s;
        ph->stage_moe_layers[i] = moe;
        ph->stage_time_s[i] = t;
        ph->sum_stage_s += t;
        if (t > ph->max_stage_s) {
            ph->max_stage_s = t;
            ph->slowest_stage = i;
        }
    }
}

static double list_sum(const roof_op_list *l, int useful, int flops)
{
    double sum = 0.0;
    for (int i = 0; i < l->n; i++) {
        const roof_op *o = &l->ops[i];
        if (flops && o->kind != ROOF_OP_GEMM && o->kind != ROOF_OP_FUSED)
            continue;
        if (!flops && o->kind == ROOF_OP_COMM)
            continue;
        double v = (flops ? o->flops : o->bytes) * o->mean_scale;
        sum += useful ? v / o->replicas : v;
    }
    return sum;
}

/* Work summed over every rank: each of the stage's ranks runs the lists of
 * its stage once per microbatch. */
void roof_compose_work(const roof_scenario *s, const roof_plan *p, roof_phase_result *ph)
{
    double per_stage_ranks = (double)p->stage_ranks * (double)s->workload.microbatches;
    int64_t moe_total = roof_plan_moe_layers_before(&s->model, s->model.layers);
    int64_t dense_total = s->model.layers - moe_total;
    for (int useful = 0; useful < 2; useful++) {
        double f = (double)dense_total * list_sum(&ph->ops.dense, useful, 1) +
                   (double)moe_total * list_sum(&ph->ops.moe, useful, 1) + list_sum(&ph->ops.first, useful, 1) +
                   list_sum(&ph->ops.last, useful, 1);
        if (useful)
            ph->useful_flops = f * per_stage_ranks;
        else
            ph->gemm_flops = f * per_stage_ranks;
    }
    ph->bytes = per_stage_ranks * ((double)dense_total * list_sum(&ph->ops.dense, 0, 0) +
                                   (double)moe_total * list_sum(&ph->ops.moe, 0, 0) + list_sum(&ph->ops.first, 0, 0) +
                                   list_sum(&ph->ops.last, 0, 0));
    double peak = 0.0;
    const roof_op_list *lists[] = {&ph->ops.dense, &ph->ops.moe, &ph->ops.first, &ph->ops.last};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < lists[i]->n; j++)
            if (lists[i]->ops[j].kind != ROOF_OP_COMM && lists[i]->ops[j].act_bytes > peak)
                peak = lists[i]->ops[j].act_bytes;
    ph->peak_act_bytes = peak;
}

static double nmat(const roof_model *m)
{
    return m->ffn_act == ROOF_ACT_SWIGLU ? 3.0 : 2.0;
}

/* Parameters on one rank of stage i (the prefill layout: tensor split over
 * tp; decode with context parallelism re-splits the MLP, using less).
 * *expert (when not NULL) gets the routed experts' share, which training
 * reduces over the expert data-parallel group instead of dp. */
double roof_compose_stage_params(const roof_scenario *s, const roof_plan *p, const roof_phase_result *ph, int64_t i,
                                 double *expert)
{
    const roof_model *m = &s->model;
    double h = (double)m->hidden, tp = (double)s->parallel.tp;
    double attn = roof_arch_attn_params(s, p, tp); /* model/arch.c: GQA or MLA */
    double dense = nmat(m) * h * (double)p->ffn_hidden / tp;
    double moe = (double)p->local_experts * nmat(m) * h * (double)p->expert_hidden / (double)p->etp +
                 h * (double)m->experts + (double)m->shared_experts * nmat(m) * h * (double)p->expert_hidden / tp;
    double moe_layers = (double)ph->stage_moe_layers[i];
    if (expert)
        *expert = moe_layers * (double)p->local_experts * nmat(m) * h * (double)p->expert_hidden / (double)p->etp;
    double params = moe_layers * (attn + moe) + ((double)p->layers_per_stage - moe_layers) * (attn + dense);
    double V = (double)m->vocab;
    if (i == 0)
        params += V * h / tp;
    if (i == s->parallel.pp - 1)
        params += (m->tied_embeddings && s->parallel.pp == 1 ? 0.0 : V * h / tp) + h; /* one copy when tied */
    return params;
}
