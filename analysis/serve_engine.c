/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The serving engine, simulated one iteration at a time (a discrete-event
 * simulation whose events are iteration ends and arrivals).
 *
 * Scheduling, after vLLM's V1 scheduler with chunked prefill
 * (vllm-project/vllm, vllm/v1/core/sched/scheduler.py) and Sarathi-Serve
 * (Agrawal et al. 2024, OSDI, Sec. 4.1, "stall-free batching"):
 * - At each iteration boundary, waiting requests are admitted first come,
 *   first served while fewer than engine.max_batch run and the KV cache has
 *   pages for the whole request (prompt and output, rounded up to pages of
 *   engine.page_tokens). A request that does not fit waits, and so do those
 *   behind it. Reserving the output up front is Orca's and TGI's policy; it
 *   never preempts, where vLLM allocates as tokens come and preempts when
 *   full: docs/serving.md discusses the difference.
 * - Every running request past its prefill decodes one token; the
 *   remaining budget of engine.max_tokens goes to prompt chunks of at most
 *   engine.chunk tokens, in admission order.
 * - The prefill's last chunk gives the first token; a request ends with its
 *   output_tokens-th token and frees its pages at that iteration's end.
 * - A share engine.prefix_hit of each prompt is found in the prefix cache:
 *   its KV is in the cache at admission and it is not computed; at least
 *   one prompt token always is (vLLM recomputes the last token of a full
 *   hit to get its logits).
 * Closed-loop concurrency: the first traffic.concurrency requests arrive at
 * 0, and each completion releases the next one, which reaches the engine
 * runtime.request_overhead later: the client turns around once its
 * response has left the server (detokenized, sent) and its next request
 * has come in (sent, tokenized), the same overhead the statistics add to
 * each TTFT and end-to-end latency (model/runtime.c), so a client's cycle
 * is its measured end-to-end latency, as genai-perf's and vLLM's
 * --max-concurrency clients run it. The turnaround is more than a shift:
 * a request that comes back an instant after an iteration has started
 * waits for that iteration, where one released at the iteration boundary
 * would have joined it; with equal lengths the clients' requests then
 * meet in the same prefills (docs/validation.md, "Serving under load").
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/serve.h"

/* A running request, kept contiguous in admission order so that each
 * iteration's passes read memory in sequence. */
typedef struct {
    int64_t id;
    int64_t left;  /* prompt tokens still to compute */
    int64_t kv;    /* tokens in the KV cache */
    int64_t gen;   /* output tokens produced */
    int64_t taken; /* prompt tokens of this iteration */
    int64_t output, pages;
} running;

typedef struct {
    running *run;
    running *pre; /* scratch: the requests still in prefill, during the update */
    int64_t nrun;
    int64_t decoding; /* running requests past their prefill */
    double kv_sum;    /* the KV tokens their next step attends to, summed */
} state;

static int log_iter(roof_serve_sim *sim, double dur, int64_t decodes, roof_error *err)
{
    if (sim->niters == sim->iters_cap) {
        int64_t cap = sim->iters_cap ? 2 * sim->iters_cap : 4096;
        roof_iter_log *p = realloc(sim->iters, (size_t)cap * sizeof *p);
        if (!p)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "serve", "out of memory for %lld iterations", (long long)cap);
        sim->iters = p;
        sim->iters_cap = cap;
    }
    sim->iters[sim->niters++] = (roof_iter_log){dur, decodes};
    return ROOF_OK;
}

void roof_serve_sim_free(roof_serve_sim *sim)
{
    if (!sim)
        return;
    free(sim->req);
    free(sim->log);
    free(sim->iters);
    memset(sim, 0, sizeof *sim);
}

/* Admits waiting requests [*next, arrived) while they fit. */
static int admit(const roof_serve_engine *e, const roof_request *req, roof_request_log *log, state *st, int64_t arrived,
                 int64_t *next, int64_t *free_pages, int64_t kv_pages, double now, roof_error *err)
{
    while (*next < arrived && st->nrun < e->max_batch) {
        int64_t i = *next;
        int64_t tokens = req[i].prompt + req[i].output;
        int64_t pages = (tokens + e->page_tokens - 1) / e->page_tokens;
        if (pages > kv_pages)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "serve",
                                  "request %lld (%lld prompt + %lld output tokens) needs %lld KV pages; the cache "
                                  "holds %lld",
                                  (long long)i + 1, (long long)req[i].prompt, (long long)req[i].output,
                                  (long long)pages, (long long)kv_pages);
        if (pages > *free_pages)
            break;
        *free_pages -= pages;
        int64_t cached = (int64_t)floor(e->prefix_hit * (double)req[i].prompt);
        if (cached >= req[i].prompt)
            cached = req[i].prompt - 1;
        st->run[st->nrun++] = (running){i, req[i].prompt - cached, cached, 0, 0, req[i].output, pages};
        log[i].admit_s = now;
        (*next)++;
    }
    return ROOF_OK;
}

int roof_serve_run(roof_serve_cost *cost, const roof_serve_cfg *c, roof_request *reqs, int64_t n,
                   roof_serve_progress_fn progress, void *pctx, roof_serve_sim *sim, roof_error *err)
{
    memset(sim, 0, sizeof *sim);
    sim->n = n;
    sim->req = reqs;
    const roof_serve_engine *e = &c->engine;
    int closed = c->traffic.arrival == ROOF_ARRIVAL_CONCURRENCY;
    int64_t kv_pages = roof_serve_cost_capacity(cost)->kv_pages;
    sim->kv_pages = kv_pages;
    state st;
    memset(&st, 0, sizeof st);
    int64_t run_cap = e->max_batch < n ? e->max_batch : n;
    sim->log = calloc((size_t)n, sizeof *sim->log);
    st.run = malloc((size_t)(run_cap > 0 ? run_cap : 1) * sizeof *st.run);
    st.pre = malloc((size_t)(run_cap > 0 ? run_cap : 1) * sizeof *st.pre);
    int rc = ROOF_OK;
    if (!sim->log || !st.run || !st.pre) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "serve", "out of memory for %lld requests", (long long)n);
        goto out;
    }
    int64_t chunk = e->chunk > 0 ? e->chunk : e->max_tokens;
    int64_t arrived = 0, next = 0, done = 0, free_pages = kv_pages;
    /* Requests whose arrival time is set: all of them in an open loop;
     * in a closed one those the clients have sent (arrived <= released). */
    int64_t released = n;
    double turnaround = roof_serve_cost_capacity(cost)->request_s;
    int64_t step = n / 100 > 0 ? n / 100 : 1;
    double now = 0.0, stall_s = 0.0; /* engine.mixed 0: stall time the decodes' next token waits for */
    int64_t stall_n = 0;             /* the decodes that wait for it */
    int64_t round_left = 0;          /* engine.steps > 1: decode steps left in the round */
    double round_s = 0.0;            /* the round's time so far */
    if (closed) {
        int64_t k = c->traffic.concurrency < n ? c->traffic.concurrency : n;
        for (int64_t i = 0; i < n; i++)
            reqs[i].arrival_s = 0.0;
        arrived = k;
        released = k;
    }
    sim->start_s = n > 0 ? reqs[0].arrival_s : 0.0;
    while (done < n) {
        while (arrived < released && reqs[arrived].arrival_s <= now)
            arrived++;
        if (st.nrun == 0 && next == arrived) {
            if (arrived >= released)
                break; /* cannot happen: every arrival has completed */
            /* Idle: jump to the next arrival. */
            now = reqs[arrived].arrival_s;
            continue;
        }
        /* Multi-step scheduling (engine.steps > 1): inside a round of
         * decode steps nothing is admitted and no prompt runs. */
        int in_round = round_left > 0;
        if (!in_round)
            rc = admit(e, reqs, sim->log, &st, arrived, &next, &free_pages, kv_pages, now, err);
        if (rc != ROOF_OK)
            goto out;
        if (st.nrun > sim->max_running)
            sim->max_running = st.nrun;
        if (kv_pages - free_pages > sim->kv_pages_peak)
            sim->kv_pages_peak = kv_pages - free_pages;

        /* Decodes first, then prompt chunks in admission order. Unmixed
         * (engine.mixed 0), an iteration with a prompt runs no decode:
         * the decodes stall, and their next token waits for it too. */
        int stall = !in_round && !e->mixed && st.nrun > st.decoding;
        int64_t b = stall ? 0 : st.decoding, n_p = 0, q = 0;
        double prefix_s = 0.0; /* the chunks' attention to their prompts' cached tokens */
        int64_t budget = in_round ? 0 : e->max_tokens - b;
        /* The array holds the decoding requests first, then those in
         * prefill in admission order (the update below keeps it so). */
        for (int64_t j = st.decoding; j < st.nrun && budget > 0; j++) {
            running *r = &st.run[j];
            int64_t take = r->left < chunk ? r->left : chunk;
            if (take > budget)
                take = budget;
            r->taken = take;
            budget -= take;
            n_p += take;
            q++;
            double extra;
            if ((rc = roof_serve_cost_prefix(cost, take, (double)r->kv, &extra, err)) != ROOF_OK)
                goto out;
            prefix_s += extra;
        }
        double t;
        rc = roof_serve_cost_iter_prefixed(cost, n_p, q, b, b > 0 ? st.kv_sum / (double)b : 0.0, prefix_s, &t, err);
        /* A round's tokens reach the clients at its end, all at once: one
         * gap per round for each decode, the round's length. */
        int round_end = 1;
        if (rc == ROOF_OK && e->steps > 1 && !stall && b > 0) {
            if (!in_round) {
                round_left = e->steps;
                round_s = 0.0;
            }
            round_left--;
            round_s += t;
            round_end = round_left == 0;
        }
        if (rc == ROOF_OK && !round_end) {
            rc = log_iter(sim, t, 0, err);
        } else if (rc == ROOF_OK && stall) {
            stall_n = stall_s > 0.0 ? stall_n : st.decoding;
            stall_s += t;
            rc = log_iter(sim, t, 0, err);
        } else if (rc == ROOF_OK) {
            /* The tokens that waited through the stalls, then the rest. */
            double gap = e->steps > 1 && b > 0 ? round_s : t;
            int64_t w = stall_n < b ? stall_n : b;
            if (w > 0)
                rc = log_iter(sim, gap + stall_s, w, err);
            if (rc == ROOF_OK && (b > w || w == 0))
                rc = log_iter(sim, gap, b - w, err);
            stall_s = 0.0;
            stall_n = 0;
        }
        if (rc != ROOF_OK)
            goto out;

        /* Little's law bookkeeping: requests in the system over time,
         * arrivals during the iteration counted from their arrival. */
        double end = now + t;
        sim->busy_area += (double)(arrived - done) * t;
        sim->kv_area += (double)(kv_pages - free_pages) * t;
        while (arrived < released && reqs[arrived].arrival_s <= end) {
            sim->busy_area += end - reqs[arrived].arrival_s;
            arrived++;
        }
        now = end;

        /* Each decode's next step attends to one token more. */
        st.kv_sum += (double)b;
        int64_t kept = 0, npre = 0;
        for (int64_t j = 0; j < st.nrun; j++) {
            running r = st.run[j];
            if (r.left == 0 && stall) {
                /* stalled: no token this iteration */
            } else if (r.left == 0) {
                r.kv++;
                r.gen++;
            } else if (r.taken > 0) {
                r.left -= r.taken;
                r.kv += r.taken;
                r.taken = 0;
                if (r.left == 0) {
                    r.gen = 1;
                    sim->log[r.id].first_s = now;
                    st.decoding++;
                    st.kv_sum += (double)(r.kv + 1); /* its step attends to its own new token too */
                }
            }
            /* Within a round a finished request runs on to its end. */
            if (r.gen >= r.output && round_end) {
                sim->log[r.id].done_s = now;
                free_pages += r.pages;
                st.decoding--;
                st.kv_sum -= (double)(r.kv + 1);
                done++;
                if (closed && released < n)
                    reqs[released++].arrival_s = now + turnaround;
                if (progress && done % step == 0)
                    progress(pctx, done, n);
            } else if (r.left > 0) {
                st.pre[npre++] = r;
            } else {
                st.run[kept++] = r;
            }
        }
        if (npre > 0)
            memcpy(st.run + kept, st.pre, (size_t)npre * sizeof *st.pre);
        st.nrun = kept + npre;
        if (st.decoding == 0)
            st.kv_sum = 0.0; /* no rounding left over from the sums */
    }
    sim->end_s = now;
out:
    free(st.run);
    free(st.pre);
    return rc;
}
