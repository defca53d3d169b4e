/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sources: Narayanan et al. 2021, "Efficient Large-Scale Language Model
 * Training on GPU Clusters Using Megatron-LM" (Sec. 2.2: 1F1B and the
 * interleaved schedule, bubble (p-1)/v microbatch times; Sec. 3.3 and Eq.
 * 3: FLOPs per iteration); Korthikanti et al. 2022 (activation memory,
 * recomputation); Rajbhandari et al. 2020, "ZeRO" (Sec. 5 and 7: 2 bytes of
 * weights, 2 of gradients and K = 12 of Adam states per parameter, each
 * sharded over the data-parallel group from stage 3, 2 and 1 on; stage 3
 * all-gathers the parameters in forward and backward and reduce-scatters the
 * gradients, 1.5x the all-reduce's volume); Chowdhery et al. 2022, "PaLM",
 * App. B (model FLOPs utilization: 3x the forward's matrix FLOPs, without
 * recomputation); Ren et al. 2021, "ZeRO-Offload: Democratizing
 * Billion-Scale Model Training", USENIX ATC (Sec. 4: the fp32 master
 * weights and Adam states in host memory, the update on the CPU, 16-bit
 * gradients down and parameters up the GPU-host link each step, each GPU
 * its ZeRO partition).
 */
#include "model/training.h"

#include <math.h>
#include <stdlib.h>

#include "model/activations.h"
#include "model/backward.h"
#include "model/compose.h"

double roof_training_bubble(double pp, double m, double vp)
{
    return (pp - 1.0) / (vp * m + pp - 1.0);
}

/* FP8 training (Transformer Engine's recipes, which NeMo, Megatron-Bridge
 * and torchao's float8 follow) casts only the inputs of the linear layers'
 * GEMMs to FP8: attention, normalization, activations and the tensors
 * between layers stay 16-bit (Micikevicius et al. 2022, "FP8 Formats for
 * Deep Learning", Sec. 4: GEMM inputs in FP8, other operations in higher
 * precision; NVIDIA/TransformerEngine@release_v1.13
 * transformer_engine/common/recipe/__init__.py: fp8_dpa, FP8 dot-product
 * attention, defaults to False). So in an fp8 step every op but the GEMMs
 * takes its bf16 time. */
static int time_pass(const roof_scenario *s, const roof_plan *p, const roof_phase_ops *fwd_in, roof_phase_ops *ops,
                     roof_error *err)
{
    if (fwd_in)
        roof_ops_backward(s, fwd_in, ops);
    else
        roof_ops_build(s, p, ROOF_PHASE_TRAINING, (double)s->workload.seq_len, ops);
    return roof_ops_time(s, ops, err);
}

static void take_non_gemm(roof_phase_ops *ops, const roof_phase_ops *o16)
{
    roof_op_list *lists[] = {&ops->dense, &ops->moe, &ops->first, &ops->last, &ops->send};
    const roof_op_list *l16[] = {&o16->dense, &o16->moe, &o16->first, &o16->last, &o16->send};
    for (int i = 0; i < 5; i++) {
        if (lists[i]->n != l16[i]->n)
            continue;
        double sum = 0.0;
        for (int j = 0; j < lists[i]->n; j++) {
            if (lists[i]->ops[j].kind != ROOF_OP_GEMM)
                lists[i]->ops[j].time_s = l16[i]->ops[j].time_s;
            sum += lists[i]->ops[j].time_s;
        }
        lists[i]->time_s = sum;
    }
}

static int mixed_fp8(const roof_scenario *s, const roof_plan *p, roof_training *tr, roof_error *err)
{
    roof_scenario *s16 = malloc(sizeof *s16);
    roof_phase_ops *f16 = malloc(sizeof *f16), *b16 = malloc(sizeof *b16);
    int rc = ROOF_OK;
    if (!s16 || !f16 || !b16) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "training", "out of memory");
    } else {
        *s16 = *s;
        s16->workload.dtype = ROOF_DT_BF16;
        rc = time_pass(s16, p, NULL, f16, err);
        if (rc == ROOF_OK)
            rc = time_pass(s16, p, f16, b16, err);
        if (rc == ROOF_OK) {
            take_non_gemm(&tr->fwd.ops, f16);
            take_non_gemm(&tr->bwd.ops, b16);
        }
    }
    free(s16);
    free(f16);
    free(b16);
    return rc;
}

/* Tensor-parallel communication overlap (workload.comm_overlap): Megatron
 * with Transformer Engine's userbuffers splits each sequence-parallel
 * all-gather and reduce-scatter into chunks pipelined with the GEMM that
 * consumes or produces it (Wang et al. 2023, "Overlap Communication with
 * Dependent Computation via Decomposition in Large Deep Learning Models",
 * ASPLOS, Sec. 3; NVIDIA/NeMo@0189a3b3
 * nemo/collections/llm/recipes/llama3_70b.py, pretrain_recipe_performance:
 * tp_comm_overlap=True). The pair then takes max(comm, gemm): the
 * collective keeps only what exceeds its neighbouring GEMM. */
static void hide_tp_comm(const roof_scenario *s, roof_phase_ops *ops)
{
    roof_op_list *lists[] = {&ops->dense, &ops->moe};
    for (int i = 0; i < 2; i++) {
        roof_op_list *l = lists[i];
        double sum = 0.0;
        for (int j = 0; j < l->n; j++) {
            roof_op *o = &l->ops[j];
            int tp_coll = o->kind == ROOF_OP_COMM && o->comm.group == s->parallel.tp &&
                          (o->comm.op == ROOF_COLL_ALL_GATHER || o->comm.op == ROOF_COLL_REDUCE_SCATTER);
            if (tp_coll) {
                double gemm = 0.0;
                if (j + 1 < l->n && l->ops[j + 1].kind == ROOF_OP_GEMM)
                    gemm = l->ops[j + 1].time_s;
                if (j > 0 && l->ops[j - 1].kind == ROOF_OP_GEMM && l->ops[j - 1].time_s > gemm)
                    gemm = l->ops[j - 1].time_s;
                o->time_s = o->time_s > gemm ? o->time_s - gemm : 0.0;
            }
            sum += o->time_s;
        }
        l->time_s = sum;
    }
}

static int build(const roof_scenario *s, const roof_plan *p, roof_training *tr, roof_error *err)
{
    int rc = time_pass(s, p, NULL, &tr->fwd.ops, err);
    if (rc == ROOF_OK)
        rc = time_pass(s, p, &tr->fwd.ops, &tr->bwd.ops, err);
    if (rc == ROOF_OK && s->workload.dtype == ROOF_DT_FP8 && s->hw.compute[ROOF_DT_BF16] > 0.0)
        rc = mixed_fp8(s, p, tr, err);
    if (rc != ROOF_OK)
        return rc;
    if (s->workload.comm_overlap && s->parallel.tp > 1 && s->parallel.sp) {
        hide_tp_comm(s, &tr->fwd.ops);
        hide_tp_comm(s, &tr->bwd.ops);
    }
    roof_phase_result *both[] = {&tr->fwd, &tr->bwd};
    for (int i = 0; i < 2; i++) {
        roof_compose_stages(s, p, both[i]);
        roof_compose_work(s, p, both[i]);
        both[i]->bubble = NAN;
        both[i]->time_s = both[i]->sum_stage_s;
    }
    return ROOF_OK;
}

/* The pipeline of one step. Stage i spends c_i = F_i + B_i (+ its sends)
 * per microbatch. 1F1B with unequal stages: the first microbatch crosses
 * every stage, the other m-1 follow at the slowest stage's pace; the
 * interleaved schedule shrinks the fill and drain to (p-1)/v of a stage
 * time (Narayanan et al. 2021, Sec. 2.2.2):
 *   T = (m - 1) max c + mean c (1 + (p - 1) / v),
 * which is (m + (p-1)/v) c for equal stages. Sends are not overlapped
 * with compute (as everywhere in this model); with v chunks a GPU sends v
 * times per microbatch in each direction. */
static void pipeline(const roof_scenario *s, roof_training *tr)
{
    double pp = (double)s->parallel.pp, vp = (double)s->parallel.vp, m = (double)s->workload.microbatches;
    tr->schedule_vp = s->parallel.vp;
    tr->send_s = pp > 1.0 ? vp * (tr->fwd.send_time_s + tr->bwd.send_time_s) : 0.0;
    /* With workload.comm_overlap the interleaved schedule runs its sends
     * under the other chunks' compute (Megatron-Core overlap_p2p_comm,
     * which NeMo turns on exactly when pp > 1 and vp > 1:
     * NVIDIA/NeMo nemo/lightning/pytorch/callbacks/megatron_comm_overlap.py,
     * _get_model_comm_overlap_cfgs); 1F1B without chunks keeps them. */
    double exposed_send = s->workload.comm_overlap && vp > 1.0 ? 0.0 : tr->send_s;
    double max_c = 0.0, sum_c = 0.0;
    for (int64_t i = 0; i < s->parallel.pp && i < ROOF_MAX_STAGES; i++) {
        double c = tr->fwd.stage_time_s[i] + tr->bwd.stage_time_s[i] + exposed_send;
        tr->microbatch_s[i] = c;
        sum_c += c;
        if (c > max_c)
            max_c = c;
    }
    double mean_c = sum_c / pp;
    tr->pipeline_s = (m - 1.0) * max_c + mean_c * (1.0 + (pp - 1.0) / vp);
    tr->bubble = tr->pipeline_s > 0.0 ? 1.0 - m * sum_c / (pp * tr->pipeline_s) : 0.0;
}

/* One collective's time, or the error. */
static int comm_time(const roof_scenario *s, roof_collective op, double bytes, int64_t group, int64_t nodes,
                     double *sum, roof_error *err)
{
    if (group <= 1 || bytes <= 0.0)
        return ROOF_OK;
    roof_comm c = {.op = op, .bytes = bytes, .group = group, .nodes = nodes, .algo = ROOF_ALGO_AUTO};
    roof_comm_time t;
    int rc = roof_comm_time_of(&s->hw, &c, &t, err);
    if (rc == ROOF_OK)
        *sum += t.time_s;
    return rc;
}

/* Data-parallel communication of one step on the stage holding the most
 * parameters: dense weights over the dp*cp replicas, routed experts over
 * the expert replicas. ZeRO 0: an all-reduce of the gradients; 1 and 2: a
 * reduce-scatter of the gradients and an all-gather of the updated
 * weights (the same volume); 3: per microbatch an all-gather of the
 * weights in forward and in backward and a reduce-scatter of the
 * gradients. Gradients travel in the workload dtype. */
static int data_parallel(const roof_scenario *s, const roof_plan *p, double dense, double expert, roof_training *tr,
                         roof_error *err)
{
    double sb = roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE));
    int64_t dpg = s->parallel.dp * s->parallel.cp;
    double t = 0.0;
    const double params[] = {dense, expert};
    const int64_t groups[] = {dpg, p->edp};
    const int64_t nodes[] = {p->dp_nodes, p->edp_nodes};
    for (int i = 0; i < 2; i++) {
        double bytes = params[i] * sb;
        int rc = ROOF_OK;
        if (s->workload.zero == 0) {
            rc = comm_time(s, ROOF_COLL_ALL_REDUCE, bytes, groups[i], nodes[i], &t, err);
        } else if (s->workload.zero < 3) {
            rc = comm_time(s, ROOF_COLL_REDUCE_SCATTER, bytes, groups[i], nodes[i], &t, err);
            if (rc == ROOF_OK)
                rc = comm_time(s, ROOF_COLL_ALL_GATHER, bytes, groups[i], nodes[i], &t, err);
        } else {
            double one = 0.0;
            rc = comm_time(s, ROOF_COLL_ALL_GATHER, bytes, groups[i], nodes[i], &one, err);
            if (rc == ROOF_OK)
                rc = comm_time(s, ROOF_COLL_ALL_GATHER, bytes, groups[i], nodes[i], &one, err);
            if (rc == ROOF_OK)
                rc = comm_time(s, ROOF_COLL_REDUCE_SCATTER, bytes, groups[i], nodes[i], &one, err);
            t += one * (double)s->workload.microbatches;
        }
        if (rc != ROOF_OK)
            return rc;
    }
    tr->dp_comm_s = t;
    /* With overlap the gradient reduction runs under the last microbatch's
     * backward (ZeRO 0-2: buckets reduce as their gradients complete), and
     * ZeRO-3's gathers under the compute they prefetch for. */
    double hide = 0.0;
    if (s->workload.dp_overlap)
        hide = s->workload.zero == 3 ? tr->pipeline_s : tr->bwd.max_stage_s;
    tr->dp_exposed_s = t > hide ? t - hide : 0.0;
    return ROOF_OK;
}

/* The optimizer step reads and writes the states, reads the gradient and
 * writes the weight: (2K + 2 sb) bytes per parameter it updates (Adam:
 * fp32 master weight, m and v), about 12 FLOPs each. Memory-bound. */
static int optimizer(const roof_scenario *s, double local_params, roof_training *tr, roof_error *err)
{
    double sb = roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE));
    double bytes = local_params * (2.0 * s->workload.optimizer_bytes + 2.0 * sb);
    roof_dtype dt =
        s->hw.compute[ROOF_DT_FP32] > 0.0 ? ROOF_DT_FP32 : roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE);
    roof_kernel_time t;
    int rc = roof_roofline_time(&s->hw, 12.0 * local_params, bytes, dt, 0, &t, err);
    if (rc == ROOF_OK)
        tr->optimizer_s = t.time_s;
    return rc;
}

/* Optimizer offload (workload.offload = optimizer; Ren et al. 2021,
 * ZeRO-Offload, Sec. 4.1-4.2): each GPU sends the 16-bit gradients of its
 * partition to its host, the CPU runs Adam on them, and the updated 16-bit
 * weights come back. Over the host link at hw.host.bandwidth per direction:
 *   down = up = L sb / B_host
 * for the L parameters the GPU updates (its ZeRO partition). The CPU step
 * moves the bytes the GPU step would, (2K + 2 sb) per parameter, at the
 * host DRAM bandwidth (assumption: memory-bound like the GPU step; the
 * paper's CPU-Adam is vectorized and multi-threaded, Sec. 5.1):
 *   cpu = L (2K + 2 sb) / B_dram.
 * The gradient transfer overlaps the backward (the paper's schedule,
 * Sec. 4.1, Fig. 5: gradients are offloaded as they are produced): it
 * hides under the last microbatch's backward, the earlier ones accumulate
 * on the GPU. The CPU step and the upload follow the backward, exposed
 * (the one-step delayed update of Sec. 4.1 that hides them is not
 * modelled). */
static int offload(const roof_scenario *s, double local_params, roof_training *tr, roof_error *err)
{
    const roof_hw *hw = &s->hw;
    const char *missing = !(hw->host.bandwidth > 0.0)          ? "hw.host.bandwidth"
                          : !(hw->host.memory_bandwidth > 0.0) ? "hw.host.memory_bandwidth"
                                                               : NULL;
    if (missing)
        return roof_error_set(err, ROOF_ERR_INPUT, "workload.offload",
                              "'optimizer' needs the host of each GPU: profile '%s' has no %s (set it in the "
                              "profile or with --set %s=B/S)",
                              hw->name, missing, missing);
    double sb = roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE));
    tr->offload_down_s = local_params * sb / hw->host.bandwidth;
    tr->offload_up_s = tr->offload_down_s;
    tr->offload_cpu_s = local_params * (2.0 * s->workload.optimizer_bytes + 2.0 * sb) / hw->host.memory_bandwidth;
    double hidden = tr->bwd.max_stage_s;
    double down = tr->offload_down_s > hidden ? tr->offload_down_s - hidden : 0.0;
    tr->offload_s = down + tr->offload_cpu_s + tr->offload_up_s;
    tr->optimizer_s = 0.0;
    return ROOF_OK;
}

/* Microbatches whose activations stage i holds at the peak: 1F1B starts
 * p - i before its first backward (Narayanan et al. 2021, Sec. 2.2.1); the
 * interleaved schedule (1 + (p-1)/(p v)) times the first stage's
 * (Korthikanti et al. 2022, Sec. 4.2.3). Never more than m. */
static double in_flight(const roof_scenario *s, int64_t i)
{
    double pp = (double)s->parallel.pp, vp = (double)s->parallel.vp, m = (double)s->workload.microbatches;
    double n = pp - (double)i;
    if (vp > 1.0)
        n *= 1.0 + (pp - 1.0) / (pp * vp);
    return n < m ? n : m;
}

/* Memory of stage i, and the parameter counts data parallelism moves. */
static void stage_memory(const roof_scenario *s, const roof_plan *p, roof_training *tr, int64_t i, roof_memory *mem,
                         double *dense, double *expert)
{
    double sb = roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE));
    double e = 0.0;
    double all = roof_compose_stage_params(s, p, &tr->fwd, i, &e);
    double d = all - e;
    int z = s->workload.zero;
    double dpg = (double)(s->parallel.dp * s->parallel.cp), edp = (double)p->edp;
    /* ZeRO: optimizer states sharded from stage 1, gradients from 2,
     * weights from 3 (Rajbhandari et al. 2020, Sec. 5). */
    double shard_w = z >= 3 ? 1.0 : 0.0, shard_g = z >= 2 ? 1.0 : 0.0, shard_o = z >= 1 ? 1.0 : 0.0;
#define SHARDED(flag) (d / (flag ? dpg : 1.0) + e / (flag ? edp : 1.0))
    mem->weights_bytes = sb * SHARDED(shard_w);
    mem->grads_bytes = sb * SHARDED(shard_g);
    mem->optimizer_bytes = s->workload.optimizer_bytes * SHARDED(shard_o);
    /* Offload: the states leave the GPU for host memory, with a landing
     * buffer for the 16-bit gradients of the same partition (Ren et al.
     * 2021, Sec. 4.1). The GPU keeps its gradient buffer: gradients
     * accumulate there over the microbatches. */
    mem->host_bytes = 0.0;
    if (s->workload.offload == ROOF_OFFLOAD_OPTIMIZER) {
        mem->host_bytes = (s->workload.optimizer_bytes + sb) * SHARDED(shard_o);
        mem->optimizer_bytes = 0.0;
    }
    mem->host_capacity_bytes = s->hw.host.memory;
#undef SHARDED
    int64_t moe = tr->fwd.stage_moe_layers[i];
    int64_t dense_layers = p->layers_per_stage - moe;
    int rc = s->workload.recompute;
    double per_mb = (double)dense_layers * roof_activation_layer_bytes(s, p, 0, rc) +
                    (double)moe * roof_activation_layer_bytes(s, p, 1, rc);
    double n = in_flight(s, i);
    mem->activation_bytes = per_mb * n;
    /* Full recomputation rebuilds one layer's whole activations before its
     * backward: that layer's footprint comes on top. */
    if (rc == ROOF_RECOMPUTE_FULL)
        mem->activation_bytes += roof_activation_layer_bytes(s, p, moe > 0, ROOF_RECOMPUTE_NONE);
    mem->kv_bytes = 0.0;
    mem->kv_len = 0.0;
    mem->total_bytes = mem->weights_bytes + mem->grads_bytes + mem->optimizer_bytes + mem->activation_bytes;
    mem->capacity_bytes = s->hw.mem_capacity;
    mem->fits = mem->total_bytes <= mem->capacity_bytes; /* and the host's, over every stage (roof_training_step) */
    if (i == 0) {
        tr->act_layer_bytes = roof_activation_layer_bytes(s, p, 0, rc);
        tr->inflight = n;
    }
    *dense = d;
    *expert = e;
}

/* A training step's compute fraction: the profile's sustained fraction
 * (every workload) times hw.efficiency.training (fitted per GPU on the
 * NeMo, Megatron-Bridge and torchtitan steps of corpus/training.csv:
 * `llmroof validate published --fit`). Its ops are timed on a copy whose
 * sustained fraction is the product (roof_ops_hw). */
const roof_hw *roof_training_hw(const roof_hw *hw, roof_hw *out)
{
    if (!(hw->eff_training > 0.0) || hw->eff_training == 1.0)
        return hw;
    *out = *hw;
    out->eff_sustained = (hw->eff_sustained > 0.0 ? hw->eff_sustained : 1.0) * hw->eff_training;
    return out;
}

static int build_derated(const roof_scenario *s, const roof_plan *p, roof_training *tr, roof_error *err)
{
    if (!(s->hw.eff_training > 0.0) || s->hw.eff_training == 1.0)
        return build(s, p, tr, err);
    roof_scenario *d = malloc(sizeof *d);
    if (!d)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "training", "out of memory");
    *d = *s;
    roof_training_hw(&s->hw, &d->hw);
    int rc = build(d, p, tr, err);
    free(d);
    return rc;
}

int roof_training_evaluate(const roof_scenario *s, roof_result *r, roof_error *err)
{
    int rc = build_derated(s, &r->plan, &r->training, err);
    return rc == ROOF_OK ? roof_training_step(s, r, err) : rc;
}

int roof_training_step(const roof_scenario *s, roof_result *r, roof_error *err)
{
    const roof_plan *p = &r->plan;
    roof_training *tr = &r->training;
    int rc;
    pipeline(s, tr);
    tr->offload_s = tr->offload_down_s = tr->offload_cpu_s = tr->offload_up_s = 0.0;

    /* Memory per GPU: the fullest stage; data parallelism moves the
     * parameters of the stage holding the most. */
    double dense = 0.0, expert = 0.0, most = -1.0, host = 0.0;
    for (int64_t i = 0; i < s->parallel.pp && i < ROOF_MAX_STAGES; i++) {
        roof_memory m;
        double d, e;
        stage_memory(s, p, tr, i, &m, &d, &e);
        if (i == 0 || m.total_bytes > r->memory.total_bytes)
            r->memory = m;
        if (d + e > most) {
            most = d + e;
            dense = d;
            expert = e;
        }
        if (m.host_bytes > host)
            host = m.host_bytes;
    }
    /* Offload: the host of the stage holding the most states (the first
     * or last, with the embedding or the LM head) need not be the GPU's
     * fullest stage. */
    r->memory.host_bytes = host;
    if (s->hw.host.memory > 0.0 && host > s->hw.host.memory)
        r->memory.fits = 0;
    rc = data_parallel(s, p, dense, expert, tr, err);
    if (rc != ROOF_OK)
        return rc;
    double local = s->workload.zero >= 1 ? dense / (double)(s->parallel.dp * s->parallel.cp) + expert / (double)p->edp
                                         : dense + expert;
    rc = s->workload.offload == ROOF_OFFLOAD_OPTIMIZER ? offload(s, local, tr, err) : optimizer(s, local, tr, err);
    if (rc != ROOF_OK)
        return rc;
    tr->step_s = tr->pipeline_s + tr->dp_exposed_s + tr->optimizer_s + tr->offload_s;

    double gpus = (double)p->gpus;
    double tokens = (double)s->workload.batch * (double)s->workload.seq_len;
    tr->tokens_per_s = tokens / tr->step_s;
    tr->tokens_per_s_per_gpu = tr->tokens_per_s / gpus;
    tr->model_flops = 3.0 * tr->fwd.useful_flops;
    tr->hw_flops = tr->fwd.gemm_flops + tr->bwd.gemm_flops;
    double peak = s->hw.compute[roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE)] * gpus * tr->step_s;
    tr->mfu = tr->model_flops / peak;
    tr->hfu = tr->hw_flops / peak;
    tr->tflops_per_gpu = tr->hw_flops / tr->step_s / gpus;
    tr->time_to_train_s = s->workload.train_tokens / tr->tokens_per_s;
    tr->cost_to_train_usd = s->hw.price_usd_per_hour * gpus * tr->time_to_train_s / 3600.0;

    roof_metrics *mt = &r->metrics;
    mt->ttft_s = mt->tpot_s = mt->decode_time_s = mt->request_latency_s = NAN;
    mt->tokens_per_s = mt->tokens_per_s_per_gpu = mt->prefill_tokens_per_s = NAN;
    mt->usd_per_mtok = mt->joules_per_token = NAN;
    r->prefill.time_s = NAN;
    r->decode.time_s = NAN;
    /* The counts alone (copying the lists whole cost a search half its time). */
    roof_phase_ops *none[] = {&r->prefill.ops, &r->decode.ops};
    for (int i = 0; i < 2; i++)
        none[i]->dense.n = none[i]->moe.n = none[i]->first.n = none[i]->last.n = none[i]->send.n = 0;
    r->prefill.stages = r->decode.stages = 0;
    r->totals.gemm_flops = tr->hw_flops;
    r->totals.time_s = tr->step_s;
    return ROOF_OK;
}
