/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analytic steady state of the serving engine: mean latencies without
 * a simulation, for searches.
 *
 * At a steady iteration time t with requests arriving at rate lambda
 * (prompt S tokens of which S_c are computed, output G tokens), each
 * iteration takes in lambda t new requests. A request spends
 * k = ceil(S_c / chunk) iterations in prefill and G - 1 decoding, so by
 * Little's law (L = lambda W, Little 1961) an iteration holds
 * q = lambda t k prefilling and b = lambda t (G - 1) decoding requests,
 * and n_p = lambda t S_c prompt tokens. The iteration time is the cost of
 * that mixed iteration (serve_cost.c) at the mean decode KV length
 * S + G / 2, and t is its least fixed point, found by bisection between
 * one decode step and the longest iteration the limits allow (the cost
 * grows with t, with jumps where a count rounds up).
 * Then: queueing delay t / 2 (a Poisson arrival waits the mean residual of
 * the iteration under way to be admitted); TTFT = t / 2 + k t_c, where
 * t_c is an iteration carrying one chunk of the request's prompt with the
 * steady decodes (prompt tokens come in bursts, so the iterations that
 * carry them are longer than the mean: the mean alone would put a 2k
 * prompt's TTFT at a fifth of the simulation's); ITL = TPOT = t;
 * X is the request's chunks' attention to the prompt tokens cached before
 * each (serve_cost.c roof_serve_cost_prompt_prefix): every iteration
 * carries lambda t X of it for the requests in prefill, and t_c the
 * request's own X / k.
 * end-to-end = TTFT + (G - 1) t.
 * Concurrency C: the running requests R = min(C, max_batch, what the KV
 * cache holds) complete at lambda = R / service, where service is the
 * steady state's k t_c + (G - 1) t at that lambda (solved by bisection);
 * the remaining C - R wait (C - R) / lambda (Little).
 * The engine saturates when n_p + b exceeds engine.max_tokens, q + b
 * exceeds engine.max_batch or the requests' pages exceed the cache: an
 * error naming the limit.
 * Only means are computed; the percentiles are set to the means.
 *
 * Pools of a disaggregated deployment (serve_disagg.c): a prefill pool
 * runs the same steady state with each request leaving after its first
 * token (G = 1: no decodes, its pages held for the prompt only); a decode
 * pool admits requests whose KV arrives whole (no prompt tokens to
 * compute: k = 0, iterations of decodes only).
 */
#include <math.h>
#include <string.h>

#include "analysis/serve.h"

typedef struct {
    double t;        /* the mean iteration */
    double t_chunk;  /* an iteration that carries one of the request's prompt chunks */
    double prefix_s; /* the request's chunks' attention to its prompt tokens cached before them */
    double k, q, b, n_p, pages;
    int saturated; /* the load exceeds a limit: t is meaningless */
} steady;

typedef struct {
    double lambda, Sc, G, kv;
    int decode_only; /* a decode pool: iterations carry no prompt tokens */
} load;

/* f(t): the cost of the iteration that t's arrivals make (below). */
static int iter_cost(roof_serve_cost *cost, const load *l, steady *s, double t, double *f, roof_error *err)
{
    s->q = l->lambda * t * s->k;
    s->b = l->lambda * t * (l->G - 1.0);
    s->n_p = l->lambda * t * l->Sc;
    int64_t np = (int64_t)ceil(s->n_p), q = (int64_t)ceil(s->q), b = (int64_t)nearbyint(s->b);
    if (l->decode_only)
        return roof_serve_cost_iter(cost, 0, 0, b > 0 ? b : 1, l->kv, f, err);
    return roof_serve_cost_iter_prefixed(cost, np > 0 ? np : 1, q > 0 ? q : 1, b, l->kv, l->lambda * t * s->prefix_s, f,
                                         err);
}

static int solve(roof_serve_cost *cost, const roof_serve_cfg *c, int pool, double lambda, steady *s, roof_error *err)
{
    const roof_traffic *tr = &c->traffic;
    const roof_serve_engine *e = &c->engine;
    double S = nearbyint(tr->prompt_mean), G = nearbyint(tr->output_mean);
    double cached = floor(e->prefix_hit * S);
    load l = {lambda, cached >= S ? 1.0 : S - cached, G, S + 0.5 * G, pool == ROOF_SERVE_POOL_DECODE};
    if (pool == ROOF_SERVE_POOL_PREFILL)
        l.G = 1.0; /* the request leaves with its first token */
    if (l.decode_only)
        l.Sc = 0.0; /* its KV arrives whole */
    double chunk = (double)(e->chunk > 0 && e->chunk < e->max_tokens ? e->chunk : e->max_tokens);
    s->k = ceil(l.Sc / chunk);
    s->pages = ceil((S + l.G) / (double)e->page_tokens);
    s->saturated = 0;
    /* Each request's chunks attend to its prompt tokens before them
     * (serve_cost.c): lambda t of them per iteration. */
    int rc = roof_serve_cost_prompt_prefix(cost, l.Sc, S - l.Sc, chunk, &s->prefix_s, err);
    if (rc != ROOF_OK)
        return rc;
    /* The longest iteration the limits allow: n_p + b <= max_tokens,
     * q + b <= max_batch, (q + b) pages <= the cache. */
    double per_t = lambda * (s->k + l.G - 1.0);
    double t_hi = (double)e->max_tokens / (lambda * (l.Sc + l.G - 1.0));
    if ((double)e->max_batch / per_t < t_hi)
        t_hi = (double)e->max_batch / per_t;
    double kv_t = (double)roof_serve_cost_capacity(cost)->kv_pages / (s->pages * per_t);
    if (kv_t < t_hi)
        t_hi = kv_t;
    /* t is the least fixed point of f(t) = the cost at t's arrivals; f
     * grows with t (with jumps where counts round up), so bisect for the
     * least t with f(t) <= t between one decode step and t_hi. */
    double t_lo, f;
    rc = roof_serve_cost_iter(cost, 0, 0, 1, l.kv, &t_lo, err);
    if (rc == ROOF_OK)
        rc = iter_cost(cost, &l, s, t_hi, &f, err);
    if (rc != ROOF_OK)
        return rc;
    if (f > t_hi) {
        s->saturated = 1;
        s->t = t_hi;
        return ROOF_OK;
    }
    double hi = t_hi;
    if (t_lo < hi) {
        double lo = t_lo;
        for (int i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if ((rc = iter_cost(cost, &l, s, mid, &f, err)) != ROOF_OK)
                return rc;
            if (f <= mid)
                hi = mid;
            else
                lo = mid;
        }
    }
    s->t = hi;
    if ((rc = iter_cost(cost, &l, s, hi, &f, err)) != ROOF_OK)
        return rc;
    if (l.decode_only) {
        s->t_chunk = s->t;
        return ROOF_OK;
    }
    /* The request's own chunk rides with the steady decodes, and with its
     * share of the request's prefix attention (X over its k chunks). */
    double own = l.Sc < chunk ? l.Sc : chunk;
    rc = roof_serve_cost_iter_prefixed(cost, (int64_t)own, 1, (int64_t)nearbyint(s->b), l.kv,
                                       s->k > 0.0 ? s->prefix_s / s->k : 0.0, &s->t_chunk, err);
    if (rc == ROOF_OK && s->t_chunk < s->t)
        s->t_chunk = s->t;
    return rc;
}

static void set_dist(roof_serve_dist *d, double v)
{
    d->mean = v;
    for (int i = 0; i < ROOF_SERVE_NQ; i++)
        d->q[i] = v;
}

int roof_serve_analytic(roof_serve_cost *cost, const roof_serve_cfg *c, const roof_slo *slos, int nslo,
                        roof_serve_stats *st, roof_error *err)
{
    return roof_serve_analytic_pool(cost, c, ROOF_SERVE_POOL_ALL, slos, nslo, st, err);
}

int roof_serve_analytic_pool(roof_serve_cost *cost, const roof_serve_cfg *c, int pool, const roof_slo *slos, int nslo,
                             roof_serve_stats *st, roof_error *err)
{
    memset(st, 0, sizeof *st);
    st->analytic = 1;
    const roof_traffic *tr = &c->traffic;
    if (tr->arrival == ROOF_ARRIVAL_TRACE)
        return roof_error_set(err, ROOF_ERR_USAGE, "--analytic",
                              "the analytic mode needs traffic.arrival poisson or concurrency (got trace)");
    double G = nearbyint(tr->output_mean), S = nearbyint(tr->prompt_mean);
    if (pool != ROOF_SERVE_POOL_ALL && tr->arrival != ROOF_ARRIVAL_POISSON)
        return roof_error_set(err, ROOF_ERR_USAGE, "--disagg",
                              "prefill and decode pools need traffic.arrival poisson (a rate to split)");
    if (pool == ROOF_SERVE_POOL_DECODE && G < 2.0)
        return roof_error_set(err, ROOF_ERR_USAGE, "--disagg",
                              "a decode pool needs at least 2 output tokens per request (traffic.output.mean "
                              "%g): the first comes from the prefill pool",
                              tr->output_mean);
    if (pool == ROOF_SERVE_POOL_PREFILL)
        G = 1.0;
    const roof_serve_capacity *cap = roof_serve_cost_capacity(cost);
    steady s;
    double lambda, queue, e2e;
    int rc;
    if (tr->arrival == ROOF_ARRIVAL_POISSON) {
        lambda = tr->rate;
        if ((rc = solve(cost, c, pool, lambda, &s, err)) != ROOF_OK)
            return rc;
        st->saturated = s.saturated;
        if (s.saturated)
            return roof_error_set(
                err, ROOF_ERR_RUNTIME, "serve",
                "%g requests/s saturate the engine: even the longest iteration the limits allow "
                "(%.4g s: %.0f tokens of 'engine.max_tokens' %lld, %.0f requests of "
                "'engine.max_batch' %lld, %.0f KV pages of %lld) is shorter than the iteration its arrivals need",
                lambda, s.t, ceil(s.n_p + s.b), (long long)c->engine.max_tokens, ceil(s.q + s.b),
                (long long)c->engine.max_batch, ceil((s.q + s.b) * s.pages), (long long)cap->kv_pages);
        queue = 0.5 * s.t;
        e2e = queue + s.k * s.t_chunk + (G - 1.0) * s.t;
    } else {
        double pages = ceil((S + G) / (double)c->engine.page_tokens);
        double R = (double)tr->concurrency;
        if (R > (double)c->engine.max_batch)
            R = (double)c->engine.max_batch;
        if (R * pages > (double)cap->kv_pages)
            R = floor((double)cap->kv_pages / pages);
        if (R < 1.0)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "serve",
                                  "one request needs %.0f KV pages; the cache holds %lld", pages,
                                  (long long)cap->kv_pages);
        /* The R running requests complete at lambda = R / service(lambda);
         * lambda service(lambda) grows with lambda, so bisect between 0
         * and R / service(0), treating a saturated lambda as too high. Each
         * client also spends the turnaround d = request_s between its
         * response and its next request (analysis/serve_engine.c), so at
         * most C clients cycle in service + d: lambda (service + d) <= C. */
        double d = cap->request_s, C = (double)tr->concurrency;
        if ((rc = solve(cost, c, pool, 1e-12, &s, err)) != ROOF_OK)
            return rc;
        double lo = 0.0, hi = R / (s.k * s.t_chunk + (G - 1.0) * s.t);
        for (int i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if ((rc = solve(cost, c, pool, mid, &s, err)) != ROOF_OK)
                return rc;
            double sv = s.k * s.t_chunk + (G - 1.0) * s.t;
            if (s.saturated || mid * sv > R || mid * (sv + d) > C)
                hi = mid;
            else
                lo = mid;
        }
        /* The iteration's cost jumps where a count rounds up (the
         * prefilling requests q from 1 to 2), so lambda service(lambda)
         * may jump past R: take the service at the bisection's lower end,
         * and the throughput R running requests give at that service. The
         * C - R others wait (Little: their wait is (C - R) / lambda). */
        if ((rc = solve(cost, c, pool, lo > 0.0 ? lo : 1e-12, &s, err)) != ROOF_OK)
            return rc;
        double service = s.k * s.t_chunk + (G - 1.0) * s.t;
        lambda = fmin(R / service, C / (service + d));
        queue = fmax(0.0, (C - lambda * (service + d)) / lambda);
        e2e = queue + service;
    }
    set_dist(&st->queue, queue);
    set_dist(&st->ttft, queue + s.k * s.t_chunk + cap->request_s);
    set_dist(&st->itl, s.t);
    set_dist(&st->tpot, s.t);
    set_dist(&st->e2e, e2e + cap->request_s);
    st->duration_s = 1.0;
    st->req_per_s = lambda;
    st->mean_in_system = lambda * e2e;
    st->kv_occupancy = lambda * (e2e - queue) * s.pages / (double)cap->kv_pages;
    st->kv_peak = st->kv_occupancy;
    st->max_running = (int64_t)ceil(lambda * (e2e - queue));
    int ok = 1;
    for (int k = 0; k < nslo; k++) {
        const double v[] = {st->ttft.mean, st->itl.mean, st->tpot.mean, e2e, queue};
        ok = ok && v[slos[k].metric] <= slos[k].limit_s;
    }
    st->slo_attained = ok ? 1.0 : 0.0;
    st->tokens_per_s = lambda * G;
    st->input_tokens_per_s = lambda * S;
    return roof_serve_stats_finish(cap, slos, nslo, st, err);
}
