/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The serving engine around the model (runtime.*): the CPU time an engine
 * spends per forward pass (scheduling, input preparation, sampling), the
 * host time of each kernel launch with and without CUDA graphs, and the
 * per-request work outside the GPU (tokenization, HTTP). runtime.engine
 * picks every default; each overhead may be set on its own. The default
 * engine, none, is the pure model: nothing is added and every metric is
 * what the roofline gives.
 */
#ifndef ROOF_MODEL_RUNTIME_H
#define ROOF_MODEL_RUNTIME_H

#include "core/param.h"

typedef enum { ROOF_ENGINE_NONE, ROOF_ENGINE_VLLM, ROOF_ENGINE_SGLANG, ROOF_ENGINE_TRTLLM } roof_engine;

/* A time of 0 means "the engine's value" (roof_runtime_resolve). */
typedef struct roof_runtime {
    int engine;            /* roof_engine */
    int cuda_graphs;       /* decode passes replay a captured CUDA graph */
    double iteration_s;    /* CPU work per forward pass not overlapped with the GPU */
    double sampling_s;     /* sampling and output processing per pass, likewise */
    double launch_s;       /* host time per kernel launched one by one */
    double graph_launch_s; /* per kernel replayed from a CUDA graph */
    double request_s;      /* per request: tokenization, HTTP, detokenization */
} roof_runtime;

extern const roof_param_table roof_runtime_params;

/* The overheads in force: rt's own where set, else the engine's. */
void roof_runtime_resolve(const roof_runtime *rt, roof_runtime *out);

/* One forward pass of gpu_s on the GPU with kernels launches, with the
 * engine around it: iteration + sampling + max(gpu_s, kernels * launch),
 * launch per graph node where graph is 1. The host issues launches while
 * the GPU runs earlier kernels, so the slower of the two paces the pass
 * (Gray 2019, NVIDIA blog "Getting Started with CUDA Graphs"). */
double roof_runtime_pass(const roof_runtime *rt, double gpu_s, double kernels, int graph);

struct roof_scenario;
struct roof_result;
/* Kernels one GPU launches per forward pass of r's prefill (decode 0) or
 * decode (decode 1) phase: every op of its stage's layers and extras. */
double roof_runtime_kernels(const struct roof_scenario *s, const struct roof_result *r, int decode);
/* Adds the engine's overheads to r's serving metrics (TTFT, TPOT, decode
 * time, request latency and the rates made from them); engine none leaves
 * r untouched. */
void roof_runtime_apply(const struct roof_scenario *s, struct roof_result *r);

#endif
