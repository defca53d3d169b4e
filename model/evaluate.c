/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "model/evaluate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/arch.h"
#include "model/compose.h"
#include "model/cost.h"
#include "model/spec.h"
#include "model/runtime.h"
#include "model/training.h"

static int phase(const roof_scenario *s, const roof_plan *p, roof_phase which, double kv_len, roof_phase_result *ph,
                 roof_error *err)
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
        /* (m - 1) t only when there are more microbatches: 0 x inf would
         * make an infinite time NaN, and the result check say less. */
        ph->time_s = m > 1.0 ? fill + (m - 1.0) * ph->max_stage_s : fill;
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

double roof_memory_usable(const roof_scenario *s)
{
    /* vLLM's budget (vllm-project/vllm pull request #10511: "the current
     * vLLM instance can use total_gpu_memory x gpu_memory_utilization", of
     * which non_torch_memory is part): what remains for weights, KV cache
     * and activations. */
    return s->hw.mem_capacity * s->workload.mem_utilization - s->workload.mem_reserve;
}

/* The largest activation footprint of one op (collectives excluded: their
 * buffers are the op's output), as roof_compose_work takes it. */
static double ops_peak_act(const roof_phase_ops *ops)
{
    double peak = 0.0;
    const roof_op_list *lists[] = {&ops->dense, &ops->moe, &ops->first, &ops->last};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < lists[i]->n; j++)
            if (lists[i]->ops[j].kind != ROOF_OP_COMM && lists[i]->ops[j].act_bytes > peak)
                peak = lists[i]->ops[j].act_bytes;
    return peak;
}

/* KV cache of one rank holding kv_len tokens per sequence: K and V per
 * layer, per KV head on this rank, per token of every sequence this replica
 * holds (Pope et al. 2022, "Efficiently Scaling Transformer Inference",
 * Sec. 3.1), sharded over cp. */
static double kv_cache_bytes(const roof_scenario *s, const roof_plan *p, double kv_len)
{
    /* In the KV dtype; MLA's latent and sliding windows in model/arch.c. */
    return roof_arch_kv_bytes(s, p, (double)p->layers_per_stage, kv_len) * (double)p->seqs_per_replica /
           (double)s->parallel.cp;
}

/* The KV tokens per sequence at the end of prefill: the prompt's, and a
 * context beyond it (its tokens cached before the prompt, attended to:
 * model/ops.c keys_per_query). */
static double prefill_kv_len(const roof_scenario *s, const roof_plan *p)
{
    double seq = (double)s->workload.seq_len, ctx = (double)p->context;
    return ctx > seq ? ctx : seq;
}

/* The peak of the two points (end of prefill, last generated token) into
 * mem's headline fields; seq and kv_end are their KV lengths. */
static void take_peak(roof_memory *mem, double seq, double kv_end)
{
    int pf = mem->prefill_total_bytes > mem->decode_total_bytes;
    mem->peak_phase = pf ? ROOF_PHASE_PREFILL : ROOF_PHASE_DECODE;
    mem->kv_len = pf ? seq : kv_end;
    mem->kv_bytes = pf ? mem->prefill_kv_bytes : mem->decode_kv_bytes;
    mem->activation_bytes = pf ? mem->prefill_activation_bytes : mem->decode_activation_bytes;
    mem->total_bytes = pf ? mem->prefill_total_bytes : mem->decode_total_bytes;
    mem->fits = mem->total_bytes <= mem->usable_bytes;
}

static void memory(const roof_scenario *s, const roof_plan *p, roof_result *r, roof_memory *mem)
{
    const roof_phase_result *ph = r->phase == ROOF_PHASE_DECODE ? &r->decode : &r->prefill;
    double wb = roof_workload_weight_bytes(&s->workload); /* per-tensor dtypes: model/model_params.c */
    double weights = 0.0;
    for (int64_t i = 0; i < s->parallel.pp && i < ROOF_MAX_STAGES; i++) {
        double w = roof_compose_stage_params(s, p, ph, i, NULL) * wb;
        if (w > weights)
            weights = w;
    }
    /* End of prefill: the prompt's KV (and a cached prefix's), and prefill's
     * largest activation; the phase's ops when it was timed, else built
     * (untimed) for the peak. */
    double seq = (double)s->workload.seq_len;
    double act_pf;
    if (!isnan(r->prefill.time_s)) {
        act_pf = r->prefill.peak_act_bytes;
    } else {
        roof_ops_build(s, p, ROOF_PHASE_PREFILL, seq, &r->mem_ops);
        act_pf = ops_peak_act(&r->mem_ops);
    }
    /* The last generated token: the KV of context + gen_tokens (summed as
     * doubles: both may be near 2^63, found by fuzz/config.c) and decode's
     * largest activation at that length (the timed decode step sits at the
     * mean length: naive attention's scores grow with it, so rebuild). */
    double kv_end = (double)p->context + (double)s->workload.gen_tokens;
    double act_de;
    if (!isnan(r->decode.time_s) && s->workload.attention == ROOF_ATTN_FLASH) {
        act_de = r->decode.peak_act_bytes;
    } else {
        roof_ops_build(s, p, ROOF_PHASE_DECODE, kv_end, &r->mem_ops);
        act_de = ops_peak_act(&r->mem_ops);
    }
    mem->prefill_kv_bytes = kv_cache_bytes(s, p, prefill_kv_len(s, p));
    mem->prefill_activation_bytes = act_pf;
    mem->prefill_total_bytes = weights + mem->prefill_kv_bytes + act_pf;
    mem->decode_kv_bytes = kv_cache_bytes(s, p, kv_end);
    mem->decode_activation_bytes = act_de;
    mem->decode_total_bytes = weights + mem->decode_kv_bytes + act_de;
    mem->weights_bytes = weights;
    mem->grads_bytes = 0.0;
    mem->optimizer_bytes = 0.0;
    mem->host_bytes = mem->host_capacity_bytes = 0.0;
    mem->capacity_bytes = s->hw.mem_capacity;
    mem->usable_bytes = roof_memory_usable(s);
    take_peak(mem, prefill_kv_len(s, p), kv_end);
}

int roof_evaluate_phases(const roof_scenario *s, int phases, roof_result *r, roof_error *err)
{
    int rc = roof_plan_make(s, &r->plan, err);
    if (rc != ROOF_OK)
        return rc;
    const roof_plan *p = &r->plan;
    r->phase = (roof_phase)s->workload.phase;
    if (r->phase == ROOF_PHASE_TRAINING) {
        memset(&r->memory, 0, sizeof r->memory);
        rc = roof_training_evaluate(s, r, err);
        /* Training keeps the whole capacity (model/training.c): the serving
         * engine's share and reserve are inference settings. */
        r->memory.usable_bytes = r->memory.capacity_bytes;
        r->memory.peak_phase = ROOF_PHASE_TRAINING;
        return rc == ROOF_OK ? roof_result_check(s, r, ROOF_EVAL_TRAINING, err) : rc;
    }
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
    /* Speculative decoding: draft steps added, time per token (model/spec.c). */
    r->metrics.spec_tokens = r->metrics.spec_draft_s = r->metrics.spec_step_s = 0.0;
    if ((phases & ROOF_EVAL_DECODE) && roof_spec_on(s)) {
        rc = roof_spec_apply(s, kv_mid, &r->decode, &r->metrics, err);
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
    /* Owned GPUs (model/cost.c: purchase amortised, hosting, energy at
     * load): only when the user priced them; a cost setting out of range
     * leaves it NaN here and is reported by the commands that print it. */
    mt->usd_per_mtok_owned = NAN;
    roof_cost_result own;
    roof_error cost_err;
    if (s->hw.cost.gpu_usd > 0.0 && mt->tokens_per_s > 0.0 && isfinite(mt->tokens_per_s) &&
        roof_cost_eval(&s->hw, gpus, mt->tokens_per_s, &own, &cost_err) == ROOF_OK)
        mt->usd_per_mtok_owned = own.usd_per_mtok_owned;
    /* End to end: batch * gen_tokens output tokens per request time
     * (ttft + gen_tokens * tpot), the GPUs priced and powered all along. */
    mt->e2e_tokens_per_s = batch * (double)s->workload.gen_tokens / mt->request_latency_s;
    mt->e2e_usd_per_mtok = s->hw.price_usd_per_hour * gpus / 3600.0 / mt->e2e_tokens_per_s * 1e6;
    mt->e2e_joules_per_token = s->hw.power_watts * gpus / mt->e2e_tokens_per_s;

    memory(s, p, r, &r->memory);
    if (r->phase == ROOF_PHASE_DECODE && roof_spec_on(s)) {
        /* The proposer's weights at both points, its KV at each point's
         * length (the end of prefill, then context + gen_tokens); then the peak again. */
        roof_memory *mem = &r->memory;
        double w, kv_pf, kv_de;
        rc = roof_spec_memory(s, p, prefill_kv_len(s, p), &w, &kv_pf, err);
        if (rc == ROOF_OK)
            rc = roof_spec_memory(s, p, (double)p->context + (double)s->workload.gen_tokens, &w, &kv_de, err);
        if (rc != ROOF_OK)
            return rc;
        mem->weights_bytes += w;
        mem->prefill_kv_bytes += kv_pf;
        mem->prefill_total_bytes += w + kv_pf;
        mem->decode_kv_bytes += kv_de;
        mem->decode_total_bytes += w + kv_de;
        take_peak(mem, prefill_kv_len(s, p), (double)p->context + (double)s->workload.gen_tokens);
    }
    if (r->phase == ROOF_PHASE_DECODE) {
        r->totals.gemm_flops = r->decode.gemm_flops * (double)s->workload.gen_tokens;
        r->totals.time_s = mt->decode_time_s;
    } else {
        r->totals.gemm_flops = r->prefill.gemm_flops;
        r->totals.time_s = mt->ttft_s;
    }
    /* The serving engine around the model (none: nothing added). */
    roof_runtime_apply(s, r);
    return roof_result_check(s, r, phases, err);
}

int roof_evaluate_time(const roof_scenario *s, roof_result *r, double *time_s, roof_error *err)
{
    roof_phase which = (roof_phase)s->workload.phase;
    if (which == ROOF_PHASE_TRAINING)
        return roof_error_set(err, ROOF_ERR_USAGE, "workload.phase",
                              "an iteration's time is prefill or decode (got training)");
    const roof_phase_result *ph = which == ROOF_PHASE_DECODE ? &r->decode : &r->prefill;
    int rc = roof_plan_make(s, &r->plan, err);
    if (rc == ROOF_OK) {
        /* roof_evaluate_phases's steps for the one phase, in its order. */
        const roof_plan *p = &r->plan;
        r->phase = which;
        double kv_mid = (double)p->context + 0.5 * (double)(s->workload.gen_tokens - 1);
        if (which == ROOF_PHASE_PREFILL) {
            rc = phase(s, p, ROOF_PHASE_PREFILL, (double)s->workload.seq_len, &r->prefill, err);
        } else if ((rc = phase(s, p, ROOF_PHASE_DECODE, kv_mid, &r->decode, err)) == ROOF_OK && roof_spec_on(s)) {
            rc = roof_spec_apply(s, kv_mid, &r->decode, &r->metrics, err);
        }
    }
    /* The check that roof_evaluate_phases ends with passes where the
     * phase's time is finite, positive and far below the bound (the
     * runtime's overheads, added to the metrics there, are microseconds),
     * and its work and bytes finite: the metrics derived from them (rates,
     * cost, energy per token) are then finite too, and so is the memory
     * model's total, its weights and KV from the same finite plan. Anything
     * else (an error included) is left to the full evaluation, whose error
     * and result are then the caller's. */
    double t = rc == ROOF_OK ? ph->time_s : NAN;
    if (rc == ROOF_OK && t > 0.0 && t <= 0.5 * ROOF_MAX_PASS_S && isfinite(ph->gemm_flops + ph->bytes + ph->bubble)) {
        *time_s = t;
        return ROOF_OK;
    }
    rc = roof_evaluate_phases(s, which == ROOF_PHASE_DECODE ? ROOF_EVAL_DECODE : ROOF_EVAL_PREFILL, r, err);
    *time_s = which == ROOF_PHASE_DECODE ? r->decode.time_s : r->prefill.time_s;
    return rc;
}

int roof_evaluate(const roof_scenario *s, roof_result *r, roof_error *err)
{
    return roof_evaluate_phases(s, ROOF_EVAL_ALL, r, err);
}

/* The result check (evaluate.h). */

/* Parameters a time may be blamed on. */
enum {
    BLAME_COMPUTE = 1,
    BLAME_MEMORY = 2,
    BLAME_NODE = 4,
    BLAME_CLUSTER = 8,
    BLAME_RIDGE = 16,
    BLAME_SERIAL_RIDGE = 32,
    BLAME_ATTENTION = 64 /* with BLAME_COMPUTE: a fused attention op (efficiency.attention where set) */
};

typedef struct {
    char path[48];
    double v;
    int suspect; /* beyond any real hardware's value */
} blame_cand;

#define MAX_CANDS 16

static int add_cand(blame_cand *c, int n, const char *path, double v, int suspect)
{
    if (n == MAX_CANDS)
        return n;
    snprintf(c[n].path, sizeof c[n].path, "%s", path);
    c[n].v = v;
    c[n].suspect = suspect;
    return n + 1;
}

/* A bandwidth below 1 MB/s or a peak below 1 MFLOP/s is no memory or
 * processor built since the 1970s; an efficiency below 0.1% no kernel; a
 * latency or kernel overhead above 1000 s no network or launch. */
#define FLOOR_RATE 1e6
#define FLOOR_EFF 1e-3
#define CEIL_LATENCY 1e3

static int tier_cands(const roof_net_tier *t, const char *tier, blame_cand *c, int n)
{
    char path[48];
    snprintf(path, sizeof path, "hw.network.%s.bandwidth", tier);
    n = add_cand(c, n, path, t->bandwidth, t->bandwidth < FLOOR_RATE);
    snprintf(path, sizeof path, "hw.network.%s.efficiency", tier);
    n = add_cand(c, n, path, t->efficiency, t->efficiency < FLOOR_EFF);
    snprintf(path, sizeof path, "hw.network.%s.latency", tier);
    n = add_cand(c, n, path, t->latency, t->latency > CEIL_LATENCY);
    if (t->nvls) {
        snprintf(path, sizeof path, "hw.network.%s.nvls_efficiency", tier);
        n = add_cand(c, n, path, t->nvls_efficiency, t->nvls_efficiency < FLOOR_EFF);
        snprintf(path, sizeof path, "hw.network.%s.nvls_latency", tier);
        n = add_cand(c, n, path, t->nvls_latency, t->nvls_latency > CEIL_LATENCY);
    }
    return n;
}

/* "check P = V[, P = V...]": the suspects among the parameters of what, or
 * all of them when none is a suspect. hw is the profile as given (not the
 * sustained-derated copy the ops are timed on). */
static void blame_text(const roof_hw *hw, int what, roof_dtype dt, char *buf, size_t size)
{
    blame_cand c[MAX_CANDS];
    int n = 0;
    char path[48];
    if (what & BLAME_RIDGE)
        n = add_cand(c, n, "hw.gemm.ridge", hw->gemm_ridge, 1);
    if (what & BLAME_SERIAL_RIDGE)
        n = add_cand(c, n, "hw.gemm.serial_ridge", hw->gemm_serial_ridge, 1);
    if (what & BLAME_COMPUTE) {
        snprintf(path, sizeof path, "hw.compute.%s", roof_dtype_name(dt));
        n = add_cand(c, n, path, hw->compute[dt], hw->compute[dt] < FLOOR_RATE);
        if ((what & BLAME_ATTENTION) && roof_hw_attn_eff(hw, dt) != roof_hw_eff(hw, dt))
            n = add_cand(c, n, roof_hw_attn_eff_path(hw, dt), roof_hw_attn_eff(hw, dt),
                         roof_hw_attn_eff(hw, dt) < FLOOR_EFF);
        else
            n = add_cand(c, n, "hw.efficiency.compute", hw->eff_compute, hw->eff_compute < FLOOR_EFF);
        if (hw->eff_sustained > 0.0)
            n = add_cand(c, n, "hw.efficiency.sustained", hw->eff_sustained, hw->eff_sustained < FLOOR_EFF);
    }
    if (what & BLAME_MEMORY) {
        n = add_cand(c, n, "hw.memory.bandwidth", hw->mem_bandwidth, hw->mem_bandwidth < FLOOR_RATE);
        n = add_cand(c, n, "hw.efficiency.memory", hw->eff_memory, hw->eff_memory < FLOOR_EFF);
        if (hw->gemm_serial_bw > 0.0)
            n = add_cand(c, n, "hw.gemm.serial_bandwidth", hw->gemm_serial_bw, hw->gemm_serial_bw < FLOOR_RATE);
        if (hw->gemm_dram_bw > 0.0)
            n = add_cand(c, n, "hw.gemm.dram_bandwidth", hw->gemm_dram_bw, hw->gemm_dram_bw < FLOOR_RATE);
    }
    if (what & BLAME_NODE)
        n = tier_cands(&hw->node, "node", c, n);
    if (what & BLAME_CLUSTER)
        n = tier_cands(&hw->cluster, "cluster", c, n);
    if (hw->kernel_overhead > CEIL_LATENCY)
        n = add_cand(c, n, "hw.kernel.overhead", hw->kernel_overhead, 1);
    int any = 0;
    for (int i = 0; i < n; i++)
        any |= c[i].suspect;
    size_t len = (size_t)snprintf(buf, size, "check");
    const char *sep = " ";
    for (int i = 0; i < n && len < size; i++) {
        if (any && !c[i].suspect)
            continue;
        len += (size_t)snprintf(buf + len, size - len, "%s%s = %g", sep, c[i].path, c[i].v);
        sep = ", ";
    }
    if (n == 0)
        snprintf(buf, size, "check the hardware profile and the model's sizes");
}

/* What sets the time of op o on hw (the hardware it was timed on). */
static int op_blame(const roof_hw *hw, roof_dtype dt, const roof_op *o, roof_dtype *cdt)
{
    /* The dtype roof_ops_time times it in (model/ops_time.c). */
    *cdt = roof_op_dtype(hw, o, dt);
    switch (o->kind) {
    case ROOF_OP_GEMM: {
        /* The smooth roofline's (c^r + m^r)^(1/r) is up to 2^(1/r) times
         * the plain max: a ridge near 0 alone makes any time absurd. */
        if (hw->gemm_ridge > 0.0 || hw->gemm_serial_ridge > 0.0) {
            roof_hw plain = *hw;
            plain.gemm_ridge = plain.gemm_serial_ridge = 0.0;
            roof_gemm_time t;
            roof_error e;
            if (roof_gemm_time_of(&plain, &o->gemm, 0, &t, &e) == ROOF_OK && isfinite(t.time_s) &&
                !(t.time_s * o->count > 1e-3 * o->time_s)) {
                roof_gemm_cpu parts;
                roof_gemm_cpu_parts(hw, &o->gemm, &parts);
                return parts.one_thread && hw->gemm_serial_ridge > 0.0 ? BLAME_SERIAL_RIDGE : BLAME_RIDGE;
            }
        }
        return o->bound == ROOF_OP_BOUND_COMPUTE ? BLAME_COMPUTE : BLAME_MEMORY;
    }
    case ROOF_OP_FUSED:
    case ROOF_OP_ELEMWISE:
        if (o->bound != ROOF_OP_BOUND_COMPUTE)
            return BLAME_MEMORY;
        return o->kind == ROOF_OP_FUSED ? BLAME_COMPUTE | BLAME_ATTENTION : BLAME_COMPUTE;
    case ROOF_OP_COMM: {
        roof_comm_time t;
        roof_error e;
        if (roof_comm_time_of(hw, &o->comm, &t, &e) == ROOF_OK && t.nodes > 1)
            return BLAME_NODE | BLAME_CLUSTER;
        return BLAME_NODE;
    }
    }
    return 0;
}

static const char *phase_name(const roof_phase_ops *ops)
{
    if (ops->backward)
        return "backward";
    return ops->phase == ROOF_PHASE_PREFILL ? "prefill" : ops->phase == ROOF_PHASE_DECODE ? "decode" : "forward";
}

/* The op with the largest time (a non-finite one first) over the lists of
 * the phases; NULL when they have none. */
static const roof_op *slowest_op(const roof_phase_result *const *ph, int nph, const roof_phase_ops **in,
                                 const char **list)
{
    const roof_op *best = NULL;
    for (int p = 0; p < nph; p++) {
        const roof_op_list *lists[] = {&ph[p]->ops.dense, &ph[p]->ops.moe, &ph[p]->ops.first, &ph[p]->ops.last,
                                       &ph[p]->ops.send};
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < lists[i]->n; j++) {
                const roof_op *o = &lists[i]->ops[j];
                if (!best || (isfinite(best->time_s) && !(o->time_s <= best->time_s))) {
                    best = o;
                    *in = &ph[p]->ops;
                    *list = lists[i]->kind;
                }
            }
    }
    return best;
}

/* "check P = V (the slowest op, decode dense 'q_proj', is memory-bound)". */
static void blame_phases(const roof_scenario *s, const roof_phase_result *const *ph, int nph, char *buf, size_t size)
{
    const roof_phase_ops *in = NULL;
    const char *list = "";
    const roof_op *o = slowest_op(ph, nph, &in, &list);
    if (!o) {
        snprintf(buf, size, "check the hardware profile and the model's sizes");
        return;
    }
    roof_hw derated;
    const roof_hw *hw = roof_ops_hw(&s->hw, &derated);
    roof_dtype cdt;
    int what = op_blame(hw, roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE), o, &cdt);
    char text[320];
    blame_text(&s->hw, what, cdt, text, sizeof text);
    snprintf(buf, size, "%s (the slowest op, %s %s '%s%s', is %s-bound)", text, phase_name(in), list, o->name,
             roof_pass_suffix(o->pass), roof_op_bound_name(o->bound));
}

typedef struct {
    const char *name;
    double v;
    double limit; /* 0: finite only */
    int blame;    /* 0: the phases' ops; else a BLAME_ mask (training's data-parallel and optimizer parts) */
} checked;

static int fail(const checked *c, const char *why, roof_error *err)
{
    char value[64];
    if (isfinite(c->v))
        snprintf(value, sizeof value, "is %.4g s, beyond %s s", c->v, ROOF_MAX_PASS_TEXT);
    else
        snprintf(value, sizeof value, "is not finite (%s)", isnan(c->v) ? "nan" : c->v > 0.0 ? "inf" : "-inf");
    return roof_error_set(err, ROOF_ERR_RUNTIME, ROOF_RESULT_WHERE, "%s %s: %s", c->name, value, why);
}

static const checked *first_bad(const checked *c, int n)
{
    for (int i = 0; i < n; i++)
        if (!isfinite(c[i].v) || (c[i].limit > 0.0 && c[i].v > c[i].limit))
            return &c[i];
    return NULL;
}

/* The search's inner loop runs the check on every plan: one sum first
 * (a NaN or an infinity among the values makes it non-finite; finite
 * values whose sum overflows pass the itemized list), the itemized list
 * only when it or a pass time fails. */
static int result_plainly_ok(const roof_result *r, int phases)
{
    double sum = r->memory.total_bytes + r->totals.gemm_flops;
    if (r->phase == ROOF_PHASE_TRAINING) {
        const roof_training *t = &r->training;
        sum += t->step_s + t->bubble + t->tokens_per_s + t->mfu + t->hfu + t->tflops_per_gpu + t->model_flops +
               t->hw_flops + t->time_to_train_s + t->cost_to_train_usd;
        return isfinite(sum) && t->step_s <= ROOF_MAX_PASS_S;
    }
    const roof_metrics *m = &r->metrics;
    int ok = 1;
    if (phases & ROOF_EVAL_PREFILL) {
        sum += m->ttft_s + m->prefill_tokens_per_s + r->prefill.gemm_flops + r->prefill.bytes + r->prefill.bubble;
        ok = m->ttft_s <= ROOF_MAX_PASS_S;
    }
    if (phases & ROOF_EVAL_DECODE) {
        sum += m->tpot_s + m->decode_time_s + m->tokens_per_s + m->usd_per_mtok + m->joules_per_token +
               r->decode.gemm_flops + r->decode.bytes + r->decode.bubble;
        ok = ok && m->tpot_s <= ROOF_MAX_PASS_S;
    }
    if ((phases & ROOF_EVAL_ALL) == ROOF_EVAL_ALL)
        sum += m->request_latency_s + m->e2e_tokens_per_s + m->e2e_usd_per_mtok + m->e2e_joules_per_token;
    return ok && isfinite(sum);
}

int roof_result_check(const roof_scenario *s, const roof_result *r, int phases, roof_error *err)
{
    if (result_plainly_ok(r, phases))
        return ROOF_OK;
    checked c[32];
    int n = 0;
#define CHECK(nm, val, lim, bl) \
    c[n++] = (checked)          \
    {                           \
        nm, val, lim, bl        \
    }
    const roof_phase_result *ph[2];
    int nph = 0;
    if (r->phase == ROOF_PHASE_TRAINING) {
        const roof_training *t = &r->training;
        /* The step's largest part (a non-finite one first) says where to
         * look: the pipeline's ops, the data-parallel collectives or the
         * optimizer's memory traffic. */
        const double part[3] = {t->pipeline_s, t->dp_exposed_s, t->optimizer_s};
        const int part_blame[3] = {0, BLAME_NODE | BLAME_CLUSTER, BLAME_MEMORY};
        int big = 0;
        for (int i = 1; i < 3; i++)
            if (isfinite(part[big]) && !(part[i] <= part[big]))
                big = i;
        CHECK("step_time_s", t->step_s, ROOF_MAX_PASS_S, part_blame[big]);
        CHECK("bubble", t->bubble, 0.0, 0);
        CHECK("tokens_per_s", t->tokens_per_s, 0.0, 0);
        CHECK("mfu", t->mfu, 0.0, 0);
        CHECK("hfu", t->hfu, 0.0, 0);
        CHECK("flops_per_gpu", t->tflops_per_gpu, 0.0, 0);
        CHECK("model_flops", t->model_flops, 0.0, 0);
        CHECK("hw_flops", t->hw_flops, 0.0, 0);
        CHECK("time_to_train_s", t->time_to_train_s, 0.0, 0);
        CHECK("cost_to_train_usd", t->cost_to_train_usd, 0.0, 0);
        ph[nph++] = &t->fwd;
        ph[nph++] = &t->bwd;
    } else {
        const roof_metrics *m = &r->metrics;
        if (phases & ROOF_EVAL_PREFILL) {
            CHECK("ttft_s", m->ttft_s, ROOF_MAX_PASS_S, 0);
            CHECK("prefill_tokens_per_s", m->prefill_tokens_per_s, 0.0, 0);
            CHECK("prefill.gemm_flops", r->prefill.gemm_flops, 0.0, 0);
            CHECK("prefill.bytes", r->prefill.bytes, 0.0, 0);
            CHECK("prefill.bubble", r->prefill.bubble, 0.0, 0);
            ph[nph++] = &r->prefill;
        }
        if (phases & ROOF_EVAL_DECODE) {
            CHECK("tpot_s", m->tpot_s, ROOF_MAX_PASS_S, 0);
            CHECK("decode_time_s", m->decode_time_s, 0.0, 0);
            CHECK("tokens_per_s", m->tokens_per_s, 0.0, 0);
            CHECK("usd_per_mtok", m->usd_per_mtok, 0.0, 0);
            CHECK("joules_per_token", m->joules_per_token, 0.0, 0);
            CHECK("decode.gemm_flops", r->decode.gemm_flops, 0.0, 0);
            CHECK("decode.bytes", r->decode.bytes, 0.0, 0);
            CHECK("decode.bubble", r->decode.bubble, 0.0, 0);
            ph[nph++] = &r->decode;
        }
        if ((phases & ROOF_EVAL_ALL) == ROOF_EVAL_ALL) {
            CHECK("request_latency_s", m->request_latency_s, 0.0, 0);
            CHECK("e2e_tokens_per_s", m->e2e_tokens_per_s, 0.0, 0);
            CHECK("e2e_usd_per_mtok", m->e2e_usd_per_mtok, 0.0, 0);
            CHECK("e2e_joules_per_token", m->e2e_joules_per_token, 0.0, 0);
        }
    }
    CHECK("memory.total_bytes", r->memory.total_bytes, 0.0, 0);
    CHECK("totals.gemm_flops", r->totals.gemm_flops, 0.0, 0);
#undef CHECK
    const checked *bad = first_bad(c, n);
    if (!bad)
        return ROOF_OK;
    char why[448];
    if (bad->blame) {
        char text[320];
        blame_text(&s->hw, bad->blame, roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE), text, sizeof text);
        snprintf(why, sizeof why, "%s (the %s)", text,
                 bad->blame == BLAME_MEMORY ? "optimizer step" : "data-parallel communication");
    } else {
        blame_phases(s, ph, nph, why, sizeof why);
    }
    return fail(bad, why, err);
}

int roof_op_check(const roof_hw *hw, roof_dtype dt, const roof_op *o, const char *name, roof_error *err)
{
    checked c = {name, o->time_s, ROOF_MAX_PASS_S, 0};
    if (!first_bad(&c, 1))
        return ROOF_OK;
    roof_dtype cdt;
    int what = op_blame(hw, dt, o, &cdt);
    char why[320];
    blame_text(hw, what, cdt, why, sizeof why);
    return fail(&c, why, err);
}

int roof_result_error(const roof_error *e)
{
    return e->code == ROOF_ERR_RUNTIME && strcmp(e->where, ROOF_RESULT_WHERE) == 0;
}
