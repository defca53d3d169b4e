/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The time of one serving iteration, from the op list (model/ops.c)
 * evaluated by model/evaluate.c exactly as `estimate` does, and cached.
 *
 * - A prefill of q requests of L prompt tokens each is the prefill phase
 *   at workload.batch = q, workload.seq_len = L: `estimate`'s TTFT.
 * - A decode step of b requests whose KV lengths average kv is the decode
 *   phase at batch = b, context = kv, gen_tokens = 1: `estimate`'s TPOT.
 * - A mixed iteration (Sarathi-Serve: Agrawal et al. 2024, OSDI, Sec. 4.2,
 *   decodes "piggybacked" on a prefill chunk) runs the b decode tokens
 *   through the linear layers with the chunk, so it costs the prefill of
 *   n_p + b tokens, plus the decodes' attention over their KV: the part of
 *   the decode step that grows with the KV length, D(b, kv) - D(b, 1).
 * - A prompt chunk of n tokens after p of its prompt already in the cache
 *   attends to those p too (model/ops.c keys_per_query): it adds
 *   P(n | p) - P(n), the prefill of n tokens at context n + p less the
 *   same prefill without the prefix, where only the attention differs
 *   (roof_serve_cost_prefix). Without it a chunked prompt would cost less
 *   than the same prompt unchunked, by the attention of every chunk to
 *   the ones before.
 *
 * Lengths (L, kv) are cached on a grid: every integer up to 64, then 32
 * points per octave (spacing at most 1/32 = 3.1% of the value), and
 * interpolated linearly between the two nodes around the value. Within one
 * roofline regime a time is linear in the length (model/evaluate.c's
 * trapezoid rule for TPOT rests on the same fact), so the interpolation
 * errs only where a regime changes between two nodes. Batches (q, b) are
 * whole numbers and not interpolated. A length on a node is evaluated
 * exactly (the static-batch test relies on it).
 *
 * The cache is an open-addressing table of fixed size allocated once;
 * when three quarters full it is emptied, never grown (a search empties it
 * per plan and fills a few hundred slots; a simulation about 500).
 *
 * For the goodput search (issue 19 item 7), the entries are filled by the
 * same op lists, only cheaper: roof_evaluate_time builds and times the
 * one phase without the memory model and the metrics (which nothing here
 * reads), and the op-time memo (model/ops.h, kept across plans while the
 * hw stays) returns a GEMM's or collective's time for inputs already
 * timed. Both give the op-list evaluation's own number, bit for bit, so
 * that `serve`, `estimate` and the search keep one source of truth and
 * the search's results do not move; a table of times per batch fitted as
 * coefficients would be a second formula, off by its fit.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/serve.h"
#include "core/hash.h"
#include "core/scratch.h"
#include "model/runtime.h"

#define SLOTS (1 << 11)

typedef struct {
    int64_t a, x; /* batch, length node */
    int kind;     /* 1 prefill, 2 decode, 3 a chunk's attention to its cached prefix */
    uint32_t gen; /* filled in generation gen: empty unless the cache's */
    double t;
} slot;

struct roof_serve_cost {
    roof_scenario sc;
    roof_serve_capacity cap;
    roof_runtime rt;                        /* the overheads in force (runtime.engine none: none) */
    double prefill_kernels, decode_kernels; /* per pass, for the launch bound */
    slot table[SLOTS];
    roof_op_memo memo; /* op times, kept across plans on one hw (model/ops.h) */
    int64_t used, evals, hits;
    uint32_t gen;  /* the slots of other generations are empty: emptying is gen++ */
    roof_result r; /* 0.65 MB, mostly op lists: scratch (core/scratch.h) */
};

/* The time of kind at batch a, length x. full: the whole result in c->r
 * (the capacity and the kernel counts read it); else the time alone
 * (roof_evaluate_time: the same op lists, bit for bit). */
static int evaluate_in(roof_serve_cost *c, int kind, int64_t a, int64_t x, int full, double *t, roof_error *err)
{
    roof_workload *w = &c->sc.workload;
    /* Kind 3: one request's chunk of a tokens after x cached ones. */
    w->batch = kind == 3 ? 1 : a;
    w->microbatches = 1;
    w->gen_tokens = 1;
    w->seq_len = kind == 3 ? a : x;
    w->context = kind == 3 ? a + x : x;
    w->phase = kind == 2 ? ROOF_PHASE_DECODE : ROOF_PHASE_PREFILL;
    if (!full) {
        int rc = roof_evaluate_time(&c->sc, &c->r, t, err);
        c->evals += rc == ROOF_OK;
        return rc;
    }
    int rc = roof_evaluate_phases(&c->sc, kind == 2 ? ROOF_EVAL_DECODE : ROOF_EVAL_PREFILL, &c->r, err);
    if (rc != ROOF_OK)
        return rc;
    c->evals++;
    *t = kind == 2 ? c->r.decode.time_s : c->r.prefill.time_s;
    return ROOF_OK;
}

static int evaluate(roof_serve_cost *c, int kind, int64_t a, int64_t x, double *t, roof_error *err)
{
    return evaluate_in(c, kind, a, x, 1, t, err);
}

/* Every slot empty: a new generation (a memset once in 2^32). */
static void empty(roof_serve_cost *c)
{
    if (++c->gen == 0) {
        memset(c->table, 0, sizeof c->table);
        c->gen = 1;
    }
    c->used = 0;
}

/* Keeps t for (kind, a, x) in the slot its probe reaches first; a cache
 * three quarters full is emptied instead (kept next time). */
static void store(roof_serve_cost *c, int kind, int64_t a, int64_t x, uint64_t h, double t)
{
    if (c->used >= SLOTS / 4 * 3) {
        empty(c);
        return;
    }
    for (uint64_t i = h & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1))
        if (c->table[i].gen != c->gen) {
            c->table[i] = (slot){a, x, kind, c->gen, t};
            c->used++;
            return;
        }
}

static int lookup(roof_serve_cost *c, int kind, int64_t a, int64_t x, double *t, roof_error *err)
{
    uint64_t h = roof_mix64((uint64_t)a * UINT64_C(0x9e3779b97f4a7c15) ^ roof_mix64((uint64_t)x) ^ (uint64_t)kind);
    for (uint64_t i = h & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
        slot *s = &c->table[i];
        if (s->gen == c->gen && s->kind == kind && s->a == a && s->x == x) {
            c->hits++;
            *t = s->t;
            return ROOF_OK;
        }
        if (s->gen != c->gen)
            break;
    }
    int rc = evaluate_in(c, kind, a, x, 0, t, err);
    if (rc == ROOF_OK && kind == 3) {
        /* The prefix's share: less the chunk alone (a node of its own). */
        double alone;
        rc = lookup(c, 1, 1, a, &alone, err);
        *t = *t > alone ? *t - alone : 0.0;
    }
    if (rc == ROOF_OK)
        store(c, kind, a, x, h, *t);
    return rc;
}

/* The grid node at or below x (x >= 1) and the spacing above it. */
static void node(double x, int64_t *lo, int64_t *step)
{
    if (x < 64.0) {
        *lo = (int64_t)x;
        *step = 1;
        return;
    }
    int e = ilogb(x); /* 2^e <= x < 2^(e+1) */
    *step = (int64_t)1 << (e - 5);
    *lo = ((int64_t)x / *step) * *step;
}

/* The time at length x (kind, batch a), interpolated between nodes;
 * lower: the node at or below x alone, a lower bound of it (the time grows
 * with the length). */
static int at(roof_serve_cost *c, int kind, int64_t a, double x, int lower, double *t, roof_error *err)
{
    if (x < 1.0)
        x = 1.0;
    int64_t lo, step;
    node(x, &lo, &step);
    int rc = lookup(c, kind, a, lo, t, err);
    double f = (x - (double)lo) / (double)step;
    if (rc != ROOF_OK || f <= 0.0 || lower)
        return rc;
    double hi;
    rc = lookup(c, kind, a, lo + step, &hi, err);
    if (rc == ROOF_OK)
        *t += f * (hi - *t);
    return rc;
}

/* The GPU's time of an iteration (serve.h, roof_serve_cost_iter); lower:
 * a lower bound of it from the length nodes at or below (the decodes'
 * time at KV 1 is a node). */
static int gpu_iter(roof_serve_cost *c, int64_t n_p, int64_t q, int64_t b, double kv, int lower, double *t,
                    roof_error *err)
{
    *t = 0.0;
    if (n_p <= 0)
        return b > 0 ? at(c, 2, b, kv, lower, t, err) : ROOF_OK;
    int64_t tokens = n_p + b;
    int rc = at(c, 1, q, (double)((tokens + q - 1) / q), lower, t, err);
    if (rc != ROOF_OK)
        return rc;
    if (b > 0) {
        double d_kv, d_1;
        if ((rc = at(c, 2, b, kv, lower, &d_kv, err)) != ROOF_OK || (rc = at(c, 2, b, 1.0, 0, &d_1, err)) != ROOF_OK)
            return rc;
        if (d_kv > d_1)
            *t += d_kv - d_1;
    }
    return ROOF_OK;
}

static int iter(roof_serve_cost *c, int64_t n_p, int64_t q, int64_t b, double kv, double prefix_s, int lower, double *t,
                roof_error *err)
{
    int rc = gpu_iter(c, n_p, q, b, kv, lower, t, err);
    if (n_p > 0)
        *t += prefix_s;
    /* The engine around the GPU (model/runtime.c): per pass, as estimate's
     * TTFT and TPOT; a pass with a prompt launches eagerly. */
    if (rc == ROOF_OK && c->sc.runtime.engine != ROOF_ENGINE_NONE && (n_p > 0 || b > 0))
        *t = roof_runtime_pass(&c->rt, *t, n_p > 0 ? c->prefill_kernels : c->decode_kernels,
                               n_p == 0 && c->rt.cuda_graphs);
    return rc;
}

int roof_serve_cost_iter(roof_serve_cost *c, int64_t n_p, int64_t q, int64_t b, double kv, double *t, roof_error *err)
{
    return iter(c, n_p, q, b, kv, 0.0, 0, t, err);
}

int roof_serve_cost_iter_prefixed(roof_serve_cost *c, int64_t n_p, int64_t q, int64_t b, double kv, double prefix_s,
                                  double *t, roof_error *err)
{
    return iter(c, n_p, q, b, kv, prefix_s, 0, t, err);
}

int roof_serve_cost_iter_lower(roof_serve_cost *c, int64_t n_p, int64_t q, int64_t b, double kv, double prefix_s,
                               double *t, roof_error *err)
{
    return iter(c, n_p, q, b, kv, prefix_s, 1, t, err);
}

int roof_serve_cost_prefix(roof_serve_cost *c, int64_t n, double p, double *t, roof_error *err)
{
    *t = 0.0;
    if (n < 1 || !(p >= 1.0))
        return ROOF_OK;
    return at(c, 3, n, p, 0, t, err);
}

int roof_serve_cost_prompt_prefix(roof_serve_cost *c, double Sc, double cached, double chunk, double *t,
                                  roof_error *err)
{
    *t = 0.0;
    if (!(Sc >= 1.0) || !(chunk >= 1.0))
        return ROOF_OK;
    double k = ceil(Sc / chunk), last = Sc - (k - 1.0) * chunk, full = 0.0;
    int rc = ROOF_OK;
    if (k > 1.0)
        rc = roof_serve_cost_prefix(c, (int64_t)chunk, cached + 0.5 * (k - 2.0) * chunk, &full, err);
    if (rc == ROOF_OK)
        rc = roof_serve_cost_prefix(c, (int64_t)last, cached + (k - 1.0) * chunk, t, err);
    *t += (k - 1.0) * full;
    return rc;
}

/* The KV cache's room: the engine's share of memory less the weights and
 * the activations of the largest iteration, over the bytes of one token
 * (model/evaluate.c's memory model at batch 1 and one token). */
static int capacity(roof_serve_cost *c, const roof_serve_engine *e, roof_error *err)
{
    double t;
    int rc = evaluate(c, 1, 1, 1, &t, err);
    if (rc != ROOF_OK)
        return rc;
    roof_serve_capacity *cap = &c->cap;
    /* One token's KV: the prompt's at seq_len 1 (memory.kv_bytes is the
     * peak over the request, which with gen_tokens 1 holds two tokens). */
    cap->kv_token_bytes = c->r.memory.prefill_kv_bytes;
    cap->weights_bytes = c->r.memory.weights_bytes;
    cap->capacity_bytes = c->r.memory.capacity_bytes;
    cap->gpus = c->r.plan.gpus;
    cap->usd_per_hour = c->sc.hw.price_usd_per_hour;
    cap->watts = c->sc.hw.power_watts;
    if ((rc = evaluate(c, 1, 1, e->max_tokens, &t, err)) != ROOF_OK)
        return rc;
    cap->activation_bytes = c->r.memory.activation_bytes;
    if (e->kv_tokens > 0) {
        cap->kv_pages = e->kv_tokens / e->page_tokens;
    } else {
        /* vLLM's gpu_memory_utilization and SGLang's mem_fraction_static
         * bound everything the engine holds; TensorRT-LLM's
         * kv_cache_free_gpu_mem_fraction takes its share of the memory
         * still free once the model is loaded (TensorRT-LLM docs,
         * "KV cache": "the fraction of free GPU memory ... after the
         * model is loaded", 0.9 by default). */
        double room = e->kv_of_free
                          ? e->mem_fraction * (cap->capacity_bytes - c->sc.workload.mem_reserve - cap->weights_bytes -
                                               cap->activation_bytes)
                          : e->mem_fraction * cap->capacity_bytes - cap->weights_bytes - cap->activation_bytes;
        double pages = floor(room / (cap->kv_token_bytes * (double)e->page_tokens));
        cap->kv_pages = pages > 0.0 ? (pages > 1e15 ? (int64_t)1e15 : (int64_t)pages) : 0;
        if (cap->kv_pages < 1)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "engine",
                                  "no room for the KV cache: %.3g GB of weights and %.3g GB of activations in %.3g GB "
                                  "(engine.mem_fraction %g of %.3g GB)",
                                  cap->weights_bytes / 1e9, cap->activation_bytes / 1e9,
                                  e->mem_fraction * cap->capacity_bytes / 1e9, e->mem_fraction,
                                  cap->capacity_bytes / 1e9);
    }
    if (cap->kv_pages < 1)
        return roof_error_set(err, ROOF_ERR_INPUT, "engine",
                              "'engine.kv_tokens' (%lld) holds no page of 'engine.page_tokens' (%lld)",
                              (long long)e->kv_tokens, (long long)e->page_tokens);
    return ROOF_OK;
}

int roof_serve_cost_new(const roof_scenario *s, const roof_serve_engine *e, roof_serve_cost **out, roof_error *err)
{
    *out = NULL;
    if (s->parallel.dp != 1)
        return roof_error_set(err, ROOF_ERR_INPUT, "parallel.dp",
                              "serve simulates one replica: set parallel.dp = 1 (got %lld) and divide the rate by the "
                              "replicas",
                              (long long)s->parallel.dp);
    roof_serve_cost *c;
    int rc = roof_serve_cost_alloc(&c, err);
    if (rc == ROOF_OK && (rc = roof_serve_cost_retarget(c, s, e, err)) != ROOF_OK) {
        roof_serve_cost_free(c);
        c = NULL;
    }
    *out = c;
    return rc;
}

int roof_serve_cost_alloc(roof_serve_cost **out, roof_error *err)
{
    *out = roof_scratch_new(sizeof **out);
    if (!*out)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "serve", "out of memory");
    (*out)->gen = 1; /* zeroed slots are generation 0: empty */
    return ROOF_OK;
}

int roof_serve_cost_retarget(roof_serve_cost *c, const roof_scenario *s, const roof_serve_engine *e, roof_error *err)
{
    c->sc = *s;
    c->sc.op_memo = &c->memo;
    empty(c);
    memset(&c->cap, 0, sizeof c->cap);
    int rc = capacity(c, e, err);
    /* The kernels of one pass, from a prefill and a decode of one token. */
    roof_runtime_resolve(&s->runtime, &c->rt);
    c->prefill_kernels = c->decode_kernels = 0;
    double t;
    if (rc == ROOF_OK && s->runtime.engine != ROOF_ENGINE_NONE && (rc = evaluate(c, 1, 1, 1, &t, err)) == ROOF_OK) {
        c->prefill_kernels = roof_runtime_kernels(&c->sc, &c->r, 0);
        if ((rc = evaluate(c, 2, 1, 1, &t, err)) == ROOF_OK)
            c->decode_kernels = roof_runtime_kernels(&c->sc, &c->r, 1);
        c->cap.request_s = c->rt.request_s;
    }
    return rc;
}

void roof_serve_cost_free(roof_serve_cost *c)
{
    roof_scratch_free(c, sizeof *c);
}

const roof_serve_capacity *roof_serve_cost_capacity(const roof_serve_cost *c)
{
    return &c->cap;
}

void roof_serve_cost_counts(const roof_serve_cost *c, int64_t *evals, int64_t *hits)
{
    *evals = c->evals;
    *hits = c->hits;
}
