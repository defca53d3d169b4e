/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "model/explain_train.h"

#include <string.h>

static void step(FILE *f, const roof_scenario *s, const roof_training *tr)
{
    double m = (double)s->workload.microbatches, pp = (double)s->parallel.pp, vp = (double)s->parallel.vp;
    double max_c = 0.0, sum_c = 0.0;
    for (int64_t i = 0; i < s->parallel.pp && i < ROOF_MAX_STAGES; i++) {
        sum_c += tr->microbatch_s[i];
        if (tr->microbatch_s[i] > max_c)
            max_c = tr->microbatch_s[i];
    }
    fprintf(f, "training.step_time_s = %.6g s: one optimizer step of the global batch\n", tr->step_s);
    if (s->workload.offload == ROOF_OFFLOAD_OPTIMIZER) {
        fprintf(f, "  = pipeline + exposed data-parallel communication + offload (the optimizer on the host)\n");
        fprintf(f, "  = %.6g + %.6g + %.6g\n", tr->pipeline_s, tr->dp_exposed_s, tr->offload_s);
    } else {
        fprintf(f, "  = pipeline + exposed data-parallel communication + optimizer\n");
        fprintf(f, "  = %.6g + %.6g + %.6g\n", tr->pipeline_s, tr->dp_exposed_s, tr->optimizer_s);
    }
    fprintf(f,
            "  pipeline = (m - 1) x slowest stage + mean stage x (1 + (p - 1) / v)   (1F1B; interleaved when v > 1,\n"
            "             Narayanan et al. 2021, Sec. 2.2)\n");
    fprintf(f, "           = (%g - 1) x %.6g + %.6g x (1 + (%g - 1) / %g) = %.6g s; bubble %.4g\n", m, max_c,
            sum_c / pp, pp, vp, tr->pipeline_s, tr->bubble);
    for (int64_t i = 0; i < s->parallel.pp && i < ROOF_MAX_STAGES; i++)
        fprintf(f, "    stage %lld: forward %.6g + backward %.6g + sends %.6g = %.6g s per microbatch\n", (long long)i,
                tr->fwd.stage_time_s[i], tr->bwd.stage_time_s[i], tr->send_s, tr->microbatch_s[i]);
    fprintf(f, "    each layer's forward and backward are the sums of their ops (see ops.forward.dense.*.time_s,\n"
               "    ops.backward.dense.*.time_s; the backward holds the recomputed forward ops too)\n");
    fprintf(f, "  data parallel: %.6g s of ZeRO-%d communication, %.6g s exposed%s\n", tr->dp_comm_s, s->workload.zero,
            tr->dp_exposed_s, s->workload.dp_overlap ? " (overlapped with the backward)" : " (no overlap)");
    if (s->workload.offload == ROOF_OFFLOAD_OPTIMIZER)
        fprintf(f,
                "  offload %.6g s (the optimizer on the host, Ren et al. 2021) = gradients down %.6g s less the "
                "last backward's %.6g s (hidden under it) + CPU Adam %.6g s at hw.host.memory_bandwidth + weights "
                "up %.6g s at hw.host.bandwidth\n",
                tr->offload_s, tr->offload_down_s, tr->bwd.max_stage_s, tr->offload_cpu_s, tr->offload_up_s);
}

int roof_explain_training(FILE *f, const roof_scenario *s, const roof_result *r, const char *path, roof_error *err)
{
    const roof_training *tr = &r->training;
    double gpus = (double)r->plan.gpus;
    if (strncmp(path, "metrics.", 8) == 0)
        return roof_error_set(err, ROOF_ERR_USAGE, "--explain",
                              "'%s' is an inference metric and this is a training step (workload.phase = training): "
                              "try training.step_time_s, training.mfu or memory.total_bytes",
                              path);
    if (strcmp(path, "training.step_time_s") == 0 || strcmp(path, "totals.time_s") == 0) {
        step(f, s, tr);
    } else if (strcmp(path, "training.tokens_per_s") == 0 || strcmp(path, "training.tokens_per_s_per_gpu") == 0) {
        fprintf(f,
                "training.tokens_per_s = global batch x seq_len / step = %lld x %lld / %.6g = %.6g tokens/s "
                "(%.6g per GPU)\n",
                (long long)s->workload.batch, (long long)s->workload.seq_len, tr->step_s, tr->tokens_per_s,
                tr->tokens_per_s_per_gpu);
    } else if (strcmp(path, "training.mfu") == 0 || strcmp(path, "training.hfu") == 0 ||
               strcmp(path, "training.flops_per_gpu") == 0) {
        double peak = s->hw.compute[roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE)];
        fprintf(f, "training.mfu = model FLOPs / (step x GPUs x peak) = %.6g / (%.6g x %g x %.6g) = %.4g\n",
                tr->model_flops, tr->step_s, gpus, peak, tr->mfu);
        fprintf(f, "  model FLOPs = 3 x the forward's GEMM and attention FLOPs without repeated work "
                   "(Chowdhery et al. 2022, App. B)\n");
        fprintf(f, "training.hfu = hardware FLOPs / (step x GPUs x peak) = %.6g / (%.6g x %g x %.6g) = %.4g\n",
                tr->hw_flops, tr->step_s, gpus, peak, tr->hfu);
        fprintf(f,
                "  hardware FLOPs: what the GPUs execute, recomputation and repeated work included;\n"
                "  training.flops_per_gpu = %.6g FLOP/s (Narayanan's \"achieved teraFLOP/s per GPU\")\n",
                tr->tflops_per_gpu);
    } else if (strcmp(path, "training.time_to_train_s") == 0 || strcmp(path, "training.cost_to_train_usd") == 0) {
        fprintf(f, "training.time_to_train_s = train_tokens / tokens_per_s = %.6g / %.6g = %.6g s (%.4g days)\n",
                s->workload.train_tokens, tr->tokens_per_s, tr->time_to_train_s, tr->time_to_train_s / 86400.0);
        fprintf(f, "training.cost_to_train_usd = price x GPUs x time / 3600 = %.6g x %g x %.6g / 3600 = %.6g USD\n",
                s->hw.price_usd_per_hour, gpus, tr->time_to_train_s, tr->cost_to_train_usd);
    } else if (strncmp(path, "memory.", 7) == 0) {
        const roof_memory *m = &r->memory;
        fprintf(f,
                "memory.total_bytes = weights + gradients + optimizer states + activations\n"
                "  = %.6g + %.6g + %.6g + %.6g = %.6g B (capacity %.6g B: %s)\n",
                m->weights_bytes, m->grads_bytes, m->optimizer_bytes, m->activation_bytes, m->total_bytes,
                m->capacity_bytes, m->fits ? "fits" : "does not fit");
        fprintf(f, "  ZeRO-%d shards %s over the data-parallel group (Rajbhandari et al. 2020)\n", s->workload.zero,
                s->workload.zero == 0   ? "nothing"
                : s->workload.zero == 1 ? "the optimizer states"
                : s->workload.zero == 2 ? "optimizer states and gradients"
                                        : "optimizer states, gradients and weights");
        fprintf(f,
                "  activations = one layer's stored bytes x layers of the stage x microbatches in flight%s\n"
                "              = %.6g B per layer and microbatch (Korthikanti et al. 2022, Sec. 4), %.4g in flight\n",
                s->workload.recompute == ROOF_RECOMPUTE_FULL ? " + one layer recomputed whole" : "",
                tr->act_layer_bytes, tr->inflight);
        if (s->workload.offload == ROOF_OFFLOAD_OPTIMIZER)
            fprintf(f,
                    "  offload: the optimizer states and a gradient copy in host memory, %.6g B (hw.host.memory %.6g "
                    "B%s)\n",
                    m->host_bytes, m->host_capacity_bytes, m->host_capacity_bytes > 0.0 ? "" : ": not checked");
    } else {
        return roof_error_set(err, ROOF_ERR_USAGE, "--explain",
                              "cannot explain '%s' (try training.step_time_s, training.tokens_per_s, training.mfu, "
                              "training.time_to_train_s, memory.total_bytes, ops.backward.dense.q_proj.wgrad.time_s, "
                              "or a parameter path)",
                              path);
    }
    return ROOF_OK;
}
