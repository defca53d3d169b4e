#include "model/evaluate.h"

#include <math.h>
#include <string.h>

#include "model/compose.h"
#include "model/training.h"

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
        int64_t moe = roof_plan_moe_layers_before(&s->model, (i + 1) * L) -
                      roof_plan_moe_layers_before(&s->model, i * L);
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
                                   (double)moe_total * list_sum(&ph->ops.moe, 0, 0) +
                                   list_sum(&ph->ops.first, 0, 0) + list_sum(&ph->ops.last, 0, 0));
    double peak = 0.0;
    const roof_op_list *lists[] = {&ph->ops.dense, &ph->ops.moe, &ph->ops.first, &ph->ops.last};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < lists[i]->n; j++)
            if (lists[i]->ops[j].kind != ROOF_OP_COMM && lists[i]->ops[j].act_bytes > peak)
                peak = lists[i]->ops[j].act_bytes;
    ph->peak_act_bytes = peak;
}

static int phase(const roof_scenario *s, const roof_plan *p, roof_phase which, double kv_len,
                 roof_phase_result *ph, roof_error *err)
{
    roof_ops_build(s, p, which, kv_len, &ph->ops);
    int rc = roof_ops_time(s, &ph->ops, err);
    if (rc != ROOF_OK)
        return rc;
    roof_compose_stages(s, p, ph);
    double m = (double)s->workload.microbatches, pp = (double)s->parallel.pp;
    double fill = ph->sum_stage_s + (pp - 1.0) * ph->send_time_s;
    if (which == ROOF_PHASE_PREFILL) {
        /* GPipe-style forward pipeline (Huang et al. 2019; DESIGN.md): the
         * first microbatch crosses every stage, the other m-1 follow at the
         * pace of the slowest: (m + pp - 1) t for equal stages. */
        ph->time_s = fill + (m - 1.0) * ph->max_stage_s;
        double busy = m * ph->sum_stage_s;
        ph->bubble = ph->time_s > 0.0 ? 1.0 - busy / (pp * (ph->sum_stage_s + (m - 1.0) * ph->max_stage_s)) : 0.0;
    } else {
        /* Decode: each microbatch's next token needs a full trip through
         * the stages; with m >= pp microbatches in flight the slowest stage
         * is busy all the time and sets the pace instead. */
        double paced = m * ph->max_stage_s;
        ph->time_s = fill > paced ? fill : paced;
        ph->bubble = ph->time_s > 0.0 ? 1.0 - m * ph->sum_stage_s / (pp * ph->time_s) : 0.0;
    }
    roof_compose_work(s, p, ph);
    return ROOF_OK;
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
    double h = (double)m->hidden, d = (double)p->head_dim, tp = (double)s->parallel.tp;
    double attn = h * (double)p->heads_r * d + 2.0 * h * (double)p->kv_heads_r * d +
                  (double)m->heads * d / tp * h + 2.0 * h;
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
        params += V * h / tp + h;
    return params;
}

static void memory(const roof_scenario *s, const roof_plan *p, const roof_result *r, roof_memory *mem)
{
    const roof_phase_result *ph = r->phase == ROOF_PHASE_DECODE ? &r->decode : &r->prefill;
    double sb = roof_dtype_bytes((roof_dtype)s->workload.dtype);
    double weights = 0.0;
    for (int64_t i = 0; i < s->parallel.pp && i < ROOF_MAX_STAGES; i++) {
        double w = roof_compose_stage_params(s, p, ph, i, NULL) * sb;
        if (w > weights)
            weights = w;
    }
    /* KV cache: K and V per layer, per KV head on this rank, per token of
     * every sequence this replica holds (Pope et al. 2022, "Efficiently
     * Scaling Transformer Inference", Sec. 3.1), sharded over cp. */
    /* Summed as doubles: both may be near 2^63 (found by fuzz/config.c). */
    mem->kv_len = r->phase == ROOF_PHASE_DECODE ? (double)p->context + (double)s->workload.gen_tokens
                                                : (double)s->workload.seq_len;
    mem->kv_bytes = 2.0 * (double)p->layers_per_stage * (double)p->kv_heads_r * (double)p->head_dim * sb *
                    (double)p->seqs_per_replica * mem->kv_len / (double)s->parallel.cp;
    mem->weights_bytes = weights;
    mem->activation_bytes = ph->peak_act_bytes;
    mem->total_bytes = mem->weights_bytes + mem->kv_bytes + mem->activation_bytes;
    mem->grads_bytes = 0.0;
    mem->optimizer_bytes = 0.0;
    mem->capacity_bytes = s->hw.mem_capacity;
    mem->fits = mem->total_bytes <= mem->capacity_bytes;
}

int roof_evaluate_phases(const roof_scenario *s, int phases, roof_result *r, roof_error *err)
{
    int rc = roof_plan_make(s, &r->plan, err);
    if (rc != ROOF_OK)
        return rc;
    const roof_plan *p = &r->plan;
    r->phase = (roof_phase)s->workload.phase;
    if (r->phase == ROOF_PHASE_TRAINING)
        return roof_training_evaluate(s, r, err);
    phases |= r->phase == ROOF_PHASE_DECODE ? ROOF_EVAL_DECODE : ROOF_EVAL_PREFILL;
    /* A phase left out reads as NaN, so that no metric silently uses it. */
    r->prefill.time_s = NAN;
    r->decode.time_s = NAN;
    if (phases & ROOF_EVAL_PREFILL) {
        rc = phase(s, p, ROOF_PHASE_PREFILL, (double)s->workload.seq_len, &r->prefill, err);
        if (rc != ROOF_OK)
            return rc;
    }
    /* TPOT at the mean KV length of the generation: decode time is linear in
     * the KV length within one roofline regime, so gen_tokens times this is
     * the whole decode (the trapezoid rule). */
    double kv_mid = (double)p->context + 0.5 * (double)(s->workload.gen_tokens - 1);
    if (phases & ROOF_EVAL_DECODE) {
        rc = phase(s, p, ROOF_PHASE_DECODE, kv_mid, &r->decode, err);
        if (rc != ROOF_OK)
            return rc;
    }

    roof_metrics *mt = &r->metrics;
    double gpus = (double)p->gpus, batch = (double)s->workload.batch;
    mt->ttft_s = r->prefill.time_s;
    mt->tpot_s = r->decode.time_s;
    mt->decode_time_s = (double)s->workload.gen_tokens * mt->tpot_s;
    mt->request_latency_s = mt->ttft_s + mt->decode_time_s;
    mt->tokens_per_s = batch / mt->tpot_s;
    mt->tokens_per_s_per_gpu = mt->tokens_per_s / gpus;
    mt->prefill_tokens_per_s = batch * (double)s->workload.seq_len / mt->ttft_s;
    mt->usd_per_mtok = s->hw.price_usd_per_hour * gpus / 3600.0 / mt->tokens_per_s * 1e6;
    mt->joules_per_token = s->hw.power_watts * gpus / mt->tokens_per_s;

    memory(s, p, r, &r->memory);
    if (r->phase == ROOF_PHASE_DECODE) {
        r->totals.gemm_flops = r->decode.gemm_flops * (double)s->workload.gen_tokens;
        r->totals.time_s = mt->decode_time_s;
    } else {
        r->totals.gemm_flops = r->prefill.gemm_flops;
        r->totals.time_s = mt->ttft_s;
    }
    return ROOF_OK;
}

int roof_evaluate(const roof_scenario *s, roof_result *r, roof_error *err)
{
    return roof_evaluate_phases(s, ROOF_EVAL_ALL, r, err);
}
