/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The traffic.* and engine.* settings of `llmroof serve`: the registry
 * rows (path, field, unit, meaning, range, default), the reader of the
 * config's traffic and engine groups, --set, and the checks across
 * settings. The engine's defaults are vLLM's (vllm-project/vllm,
 * vllm/engine/arg_utils.py, EngineArgs' batch defaults in V1:
 * max_num_batched_tokens 8192 for an API server on a GPU of 70 GiB or
 * more; max_num_seqs 256 as on smaller GPUs and for its LLM class;
 * block_size 16 and gpu_memory_utilization 0.9 in vllm/config.py). */
#include <libconfig.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "analysis/serve.h"
#include "core/cfg.h"

#define INF INFINITY

#define P(type_, path_, kind_, field_, unit_, meaning_, min_, max_, flags_, def_)                            \
    {                                                                                                        \
        .path = path_, .kind = kind_, .offset = offsetof(type_, field_), .unit = unit_, .meaning = meaning_, \
        .min = min_, .max = max_, .flags = flags_, .def = def_                                               \
    }
#define PE(type_, path_, field_, meaning_, choices_, def_)                                                          \
    {                                                                                                               \
        .path = path_, .kind = ROOF_PARAM_ENUM, .offset = offsetof(type_, field_), .unit = "", .meaning = meaning_, \
        .min = 0, .max = 0, .flags = 0, .def = def_, .choices = choices_                                            \
    }

static const char *const arrivals[] = {"poisson", "concurrency", "trace", NULL};
static const char *const dists[] = {"fixed", "uniform", "lognormal", NULL};

#define T(...) P(roof_traffic, __VA_ARGS__)
static const roof_param traffic[] = {
    PE(roof_traffic, "traffic.arrival", arrival,
       "poisson (at traffic.rate), concurrency (traffic.concurrency in the system) or trace (traffic.trace)", arrivals,
       ROOF_ARRIVAL_POISSON),
    T("traffic.rate", ROOF_PARAM_DOUBLE, rate, "1/s", "requests per second (poisson)", 0, 1e9, ROOF_PARAM_MIN_OPEN,
      1.0),
    T("traffic.concurrency", ROOF_PARAM_INT, concurrency, "", "requests in the system at once (concurrency)", 1, 1e7, 0,
      16),
    T("traffic.requests", ROOF_PARAM_INT, requests, "", "requests to simulate", 1, 1e8, 0, 1000),
    T("traffic.seed", ROOF_PARAM_INT, seed, "", "seed of the random numbers (gsl_rng_mt19937)", 0, 4294967295.0, 0, 1),
    PE(roof_traffic, "traffic.prompt.dist", prompt_dist, "prompt length: fixed, uniform or lognormal", dists,
       ROOF_DIST_FIXED),
    T("traffic.prompt.mean", ROOF_PARAM_DOUBLE, prompt_mean, "", "mean prompt tokens", 1, 1e8, 0, 2048),
    T("traffic.prompt.spread", ROOF_PARAM_DOUBLE, prompt_spread, "",
      "uniform: half-width over the mean (< 1); lognormal: standard deviation over the mean", 0, 100, 0, 0),
    PE(roof_traffic, "traffic.output.dist", output_dist, "output length: fixed, uniform or lognormal", dists,
       ROOF_DIST_FIXED),
    T("traffic.output.mean", ROOF_PARAM_DOUBLE, output_mean, "", "mean output tokens", 1, 1e8, 0, 256),
    T("traffic.output.spread", ROOF_PARAM_DOUBLE, output_spread, "", "as traffic.prompt.spread", 0, 100, 0, 0),
};

#define E(...) P(roof_serve_engine, __VA_ARGS__)
static const roof_param engine[] = {
    E("engine.max_batch", ROOF_PARAM_INT, max_batch, "", "requests running at once (vLLM max_num_seqs)", 1, 1e6, 0,
      256),
    E("engine.max_tokens", ROOF_PARAM_INT, max_tokens, "",
      "tokens one iteration processes (vLLM max_num_batched_tokens)", 1, 1e8, 0, 8192),
    E("engine.chunk", ROOF_PARAM_INT, chunk, "", "prompt tokens of one request per iteration; 0 = engine.max_tokens", 1,
      1e8, ROOF_PARAM_ZERO_OK, 0),
    E("engine.page_tokens", ROOF_PARAM_INT, page_tokens, "", "tokens per KV page (vLLM block_size)", 1, 1e6, 0, 16),
    E("engine.prefix_hit", ROOF_PARAM_DOUBLE, prefix_hit, "",
      "share of each prompt found in the prefix cache (not recomputed)", 0, 1, ROOF_PARAM_CONTINUOUS, 0),
    E("engine.kv_tokens", ROOF_PARAM_INT, kv_tokens, "", "KV cache capacity in tokens; 0 = from the memory model", 1,
      ROOF_PARAM_INT_MAX, ROOF_PARAM_ZERO_OK, 0),
    E("engine.mem_fraction", ROOF_PARAM_DOUBLE, mem_fraction, "",
      "share of GPU memory the engine uses (vLLM gpu_memory_utilization)", 0, 1,
      ROOF_PARAM_MIN_OPEN | ROOF_PARAM_CONTINUOUS, 0.9),
    E("engine.kv_of_free", ROOF_PARAM_INT, kv_of_free, "",
      "1: engine.mem_fraction is the KV cache's share of the memory the weights, the activations and "
      "workload.memory.reserve leave (TensorRT-LLM kv_cache_free_gpu_mem_fraction); 0: the engine's share of all "
      "memory (vLLM gpu_memory_utilization, SGLang mem_fraction_static)",
      0, 1, ROOF_PARAM_ZERO_OK, 0),
    E("engine.mixed", ROOF_PARAM_INT, mixed, "",
      "1: prompt chunks ride with the decodes (chunked prefill); 0: an iteration with a prompt runs no decode "
      "(vLLM without chunked prefill, SGLang without --enable-mixed-chunk)",
      0, 1, ROOF_PARAM_ZERO_OK, 1),
    E("engine.steps", ROOF_PARAM_INT, steps, "",
      "decode steps per scheduling round (vLLM --num-scheduler-steps): no admission within a round, its tokens "
      "reach the client at its end",
      1, 1024, 0, 1),
};

const roof_param_table roof_traffic_params = {"traffic", traffic, sizeof traffic / sizeof traffic[0]};
const roof_param_table roof_engine_params = {"engine", engine, sizeof engine / sizeof engine[0]};

#define TRACE_PATH "traffic.trace"

static void tables(roof_serve_cfg *c, const roof_param_table *t[2], void *b[2])
{
    t[0] = &roof_traffic_params;
    b[0] = &c->traffic;
    t[1] = &roof_engine_params;
    b[1] = &c->engine;
}

void roof_serve_defaults(roof_serve_cfg *c)
{
    memset(c, 0, sizeof *c);
    const roof_param_table *t[2];
    void *b[2];
    tables(c, t, b);
    for (int i = 0; i < 2; i++)
        for (size_t j = 0; j < t[i]->count; j++)
            roof_param_put(&t[i]->params[j], b[i], t[i]->params[j].def);
}

static int known(const char *path, void *ctx)
{
    (void)ctx;
    if (strcmp(path, "traffic") == 0 || strcmp(path, "engine") == 0)
        return 0; /* a group: look inside */
    if (strncmp(path, "traffic.", 8) != 0 && strncmp(path, "engine.", 7) != 0)
        return 1; /* the deployment loader's business */
    return strcmp(path, TRACE_PATH) == 0 || roof_param_find(&roof_traffic_params, path) ||
           roof_param_find(&roof_engine_params, path);
}

/* A trace path in a config is relative to the config's folder. */
static int put_trace(roof_traffic *t, const char *file, const char *ref, const char *where, roof_error *err)
{
    const char *slash = file ? strrchr(file, '/') : NULL;
    int w;
    if (!slash || ref[0] == '/')
        w = snprintf(t->trace, sizeof t->trace, "%s", ref);
    else
        w = snprintf(t->trace, sizeof t->trace, "%.*s/%s", (int)(slash - file), file, ref);
    if (w < 0 || (size_t)w >= sizeof t->trace)
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'%s' is too long (at most %zu characters)", TRACE_PATH,
                              sizeof t->trace - 1);
    snprintf(t->trace_where, sizeof t->trace_where, "%s", where);
    return ROOF_OK;
}

int roof_serve_load(const char *path, roof_serve_cfg *c, roof_error *err)
{
    config_t cfg;
    config_init(&cfg);
    int rc = roof_cfg_parse(&cfg, path, NULL, "config", err);
    const roof_param_table *t[2];
    void *b[2];
    tables(c, t, b);
    const char *cands[32];
    size_t nc = 0;
    for (int i = 0; i < 2; i++)
        for (size_t j = 0; j < t[i]->count && nc < 31; j++)
            cands[nc++] = t[i]->params[j].path;
    cands[nc++] = TRACE_PATH;
    if (rc == ROOF_OK)
        rc = roof_cfg_check_unknown(path, config_root_setting(&cfg), known, NULL, cands, nc, err);
    for (int i = 0; i < 2 && rc == ROOF_OK; i++)
        for (size_t j = 0; j < t[i]->count && rc == ROOF_OK; j++) {
            const roof_param *p = &t[i]->params[j];
            const config_setting_t *st = config_lookup(&cfg, p->path);
            double v;
            if (st && (rc = roof_cfg_read(path, st, p, p->path, &v, err)) == ROOF_OK)
                roof_param_put(p, b[i], v);
        }
    const config_setting_t *tr = rc == ROOF_OK ? config_lookup(&cfg, TRACE_PATH) : NULL;
    if (tr) {
        char where[600];
        roof_cfg_where(path, tr, where, sizeof where);
        if (config_setting_type(tr) != CONFIG_TYPE_STRING)
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "'%s' must be a file name in quotes", TRACE_PATH);
        else
            rc = put_trace(&c->traffic, path, config_setting_get_string(tr), where, err);
    }
    config_destroy(&cfg);
    return rc;
}

int roof_serve_is_setting(const char *assignment)
{
    return strncmp(assignment, "traffic.", 8) == 0 || strncmp(assignment, "engine.", 7) == 0;
}

int roof_serve_set(roof_serve_cfg *c, const char *assignment, roof_error *err)
{
    size_t tl = strlen(TRACE_PATH);
    if (strncmp(assignment, TRACE_PATH, tl) == 0 && assignment[tl] == '=') {
        if (!assignment[tl + 1])
            return roof_error_set(err, ROOF_ERR_USAGE, "--set", "'%s' needs a file name", TRACE_PATH);
        return put_trace(&c->traffic, NULL, assignment + tl + 1, "--set", err);
    }
    const roof_param_table *t[2];
    void *b[2];
    tables(c, t, b);
    return roof_param_set(t, b, 2, assignment, err);
}

int roof_serve_check(const roof_serve_cfg *c, roof_error *err)
{
    const roof_traffic *t = &c->traffic;
    const roof_serve_engine *e = &c->engine;
    /* vLLM refuses the same: every running request must be able to
     * decode in each iteration (vllm/config.py, SchedulerConfig). */
    if (e->max_tokens < e->max_batch)
        return roof_error_set(err, ROOF_ERR_INPUT, "engine",
                              "'engine.max_tokens' (%lld) must be at least 'engine.max_batch' (%lld)",
                              (long long)e->max_tokens, (long long)e->max_batch);
    const char *names[2] = {"traffic.prompt.spread", "traffic.output.spread"};
    const int d[2] = {t->prompt_dist, t->output_dist};
    const double sp[2] = {t->prompt_spread, t->output_spread};
    for (int i = 0; i < 2; i++)
        if (d[i] == ROOF_DIST_UNIFORM && !(sp[i] < 1.0))
            return roof_error_set(err, ROOF_ERR_INPUT, "traffic",
                                  "'%s' must be below 1 for a uniform length (got %g): lengths would reach 0", names[i],
                                  sp[i]);
    if (t->arrival == ROOF_ARRIVAL_TRACE && !t->trace[0])
        return roof_error_set(err, ROOF_ERR_INPUT, "traffic",
                              "'traffic.arrival' is trace but 'traffic.trace' names no file");
    return ROOF_OK;
}
