/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Serving-engine overheads (model/runtime.h). Where each engine's value
 * comes from:
 *   Kernel launch one by one: 4-6 us of driver and runtime calls per
 *     launch (susun-blog.com "pegainfer (3): From Launch Overhead to CUDA
 *     Graph", measured on CUDA 13.0): 5 us.
 *   Kernel replayed from a CUDA graph: A. Gray, "Getting Started with CUDA
 *     Graphs" (NVIDIA Technical Blog, 2019): a chain of 2.9 us kernels
 *     takes 3.8 us per kernel launched from a stream and 3.4 us per kernel
 *     from a graph; the 0.5 us above the kernel is the graph's cost per
 *     node. vLLM, SGLang and TensorRT-LLM capture decode in CUDA graphs
 *     by default and run prefill eagerly (vLLM docs, "enforce_eager";
 *     SGLang server args "disable_cuda_graph"; TensorRT-LLM
 *     "cuda_graph_config").
 *   Scheduling and sampling per pass: SGLang from v0.4 overlaps them with
 *     the GPU ("zero-overhead batch scheduler": the Nsight trace of five
 *     consecutive decode batches shows no idle GPU time; lmsys.org blog
 *     2024-12-04), and TensorRT-LLM's overlap scheduler does the same and
 *     is on by default (nvidia.github.io/TensorRT-LLM, features/
 *     overlap-scheduler): 0 for both. vLLM: before v0.6.0 scheduling took
 *     29% of the time and the GPU ran 38% (Llama 3 8B on one H100;
 *     blog.vllm.ai 2024-09-05 "vLLM v0.6.0"); v0.6.0's multi-step
 *     scheduling and asynchronous output processing hide most of it. The
 *     0.5 ms per pass (0.3 scheduling, 0.2 sampling) that remains is an
 *     assumption: no public figure gives the residue in seconds.
 *   Per request (tokenization, HTTP, detokenization): the same blog gives
 *     the API server 33% of vLLM v0.5.3's time, a share again, not a time;
 *     2 ms (vLLM, SGLang: Python HTTP servers) and 1 ms (trtllm-serve) are
 *     assumptions of the same kind. Set runtime.request_overhead to your
 *     measurement.
 */
#include "model/runtime.h"

#include <math.h>
#include <stddef.h>

#include "model/evaluate.h"

static const char *const engines[] = {"none", "vllm", "sglang", "trtllm", NULL};

#define DERIVED ROOF_PARAM_ZERO_OK
#define R(path_, kind_, field_, unit_, meaning_, max_, flags_, def_)                                                \
    {                                                                                                               \
        .path = path_, .kind = kind_, .offset = offsetof(roof_runtime, field_), .unit = unit_, .meaning = meaning_, \
        .min = 0, .max = max_, .flags = flags_, .def = def_                                                         \
    }

static const roof_param params[] = {
    {.path = "runtime.engine",
     .kind = ROOF_PARAM_ENUM,
     .offset = offsetof(roof_runtime, engine),
     .unit = "",
     .meaning = "serving engine whose overheads are added: none (the pure model), vllm, sglang or trtllm",
     .min = 0,
     .max = 0,
     .flags = 0,
     .def = ROOF_ENGINE_NONE,
     .choices = engines},
    R("runtime.cuda_graphs", ROOF_PARAM_BOOL, cuda_graphs, "", "decode passes replay a CUDA graph (engine default: on)",
      1, 0, 1),
    R("runtime.iteration_overhead", ROOF_PARAM_DOUBLE, iteration_s, "s",
      "CPU scheduling per forward pass not hidden behind the GPU; 0 = the engine's", 1, DERIVED, 0),
    R("runtime.sampling_overhead", ROOF_PARAM_DOUBLE, sampling_s, "s",
      "sampling and output processing per forward pass; 0 = the engine's", 1, DERIVED, 0),
    R("runtime.launch_overhead", ROOF_PARAM_DOUBLE, launch_s, "s",
      "host time per kernel launched one by one; 0 = the engine's", 1, DERIVED, 0),
    R("runtime.graph_launch_overhead", ROOF_PARAM_DOUBLE, graph_launch_s, "s",
      "time per kernel replayed from a CUDA graph; 0 = the engine's", 1, DERIVED, 0),
    R("runtime.request_overhead", ROOF_PARAM_DOUBLE, request_s, "s",
      "per request: tokenization, HTTP and detokenization; 0 = the engine's", 60, DERIVED, 0),
};

const roof_param_table roof_runtime_params = {"runtime", params, sizeof params / sizeof params[0]};

/* Per engine (file comment): iteration, sampling, launch, graph node,
 * request. */
static const double defaults[][5] = {
    [ROOF_ENGINE_NONE] = {0.0, 0.0, 0.0, 0.0, 0.0},
    [ROOF_ENGINE_VLLM] = {0.3e-3, 0.2e-3, 5e-6, 0.5e-6, 2e-3},
    [ROOF_ENGINE_SGLANG] = {0.0, 0.0, 5e-6, 0.5e-6, 2e-3},
    [ROOF_ENGINE_TRTLLM] = {0.0, 0.0, 5e-6, 0.5e-6, 1e-3},
};

void roof_runtime_resolve(const roof_runtime *rt, roof_runtime *out)
{
    *out = *rt;
    int e = rt->engine >= ROOF_ENGINE_NONE && rt->engine <= ROOF_ENGINE_TRTLLM ? rt->engine : ROOF_ENGINE_NONE;
    double *fields[] = {&out->iteration_s, &out->sampling_s, &out->launch_s, &out->graph_launch_s, &out->request_s};
    for (int i = 0; i < 5; i++)
        if (!(*fields[i] > 0.0))
            *fields[i] = defaults[e][i];
}

double roof_runtime_pass(const roof_runtime *rt, double gpu_s, double kernels, int graph)
{
    double host = kernels * (graph ? rt->graph_launch_s : rt->launch_s);
    return rt->iteration_s + rt->sampling_s + (host > gpu_s ? host : gpu_s);
}

/* Kernels one GPU launches per forward pass: every op of its stage's
 * layers and of the first or last stage's extras (each op is one kernel:
 * model/ops.c). Summed over the stages a token crosses. */
static double kernels(const roof_scenario *s, const roof_result *r, const roof_phase_result *ph)
{
    double moe = 0.0;
    for (int64_t i = 0; i < ph->stages && i < ROOF_MAX_STAGES; i++)
        moe += (double)ph->stage_moe_layers[i];
    double dense = (double)s->model.layers - moe;
    (void)r;
    return dense * ph->ops.dense.n + moe * ph->ops.moe.n + ph->ops.first.n + ph->ops.last.n;
}

double roof_runtime_kernels(const roof_scenario *s, const roof_result *r, int decode)
{
    return kernels(s, r, decode ? &r->decode : &r->prefill);
}

void roof_runtime_apply(const roof_scenario *s, roof_result *r)
{
    if (s->runtime.engine == ROOF_ENGINE_NONE)
        return;
    roof_runtime rt;
    roof_runtime_resolve(&s->runtime, &rt);
    roof_metrics *mt = &r->metrics;
    double gpus = (double)r->plan.gpus, batch = (double)s->workload.batch;
    /* Prefill runs eagerly (file comment) and includes the request's own
     * work before its first token. */
    if (isfinite(mt->ttft_s)) {
        mt->ttft_s = rt.request_s + roof_runtime_pass(&rt, mt->ttft_s, kernels(s, r, &r->prefill), 0);
        mt->prefill_tokens_per_s = batch * (double)s->workload.seq_len / mt->ttft_s;
    }
    if (isfinite(mt->tpot_s)) {
        mt->tpot_s = roof_runtime_pass(&rt, mt->tpot_s, kernels(s, r, &r->decode), rt.cuda_graphs);
        mt->decode_time_s = (double)s->workload.gen_tokens * mt->tpot_s;
        mt->tokens_per_s = batch / mt->tpot_s;
        mt->tokens_per_s_per_gpu = mt->tokens_per_s / gpus;
        mt->usd_per_mtok = s->hw.price_usd_per_hour * gpus / 3600.0 / mt->tokens_per_s * 1e6;
        mt->joules_per_token = s->hw.power_watts * gpus / mt->tokens_per_s;
    }
    mt->request_latency_s = mt->ttft_s + mt->decode_time_s;
    r->totals.time_s = r->phase == ROOF_PHASE_DECODE ? mt->decode_time_s : mt->ttft_s;
}
