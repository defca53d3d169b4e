/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One pool's steady state at x (analysis/goodput_point.h). */
#include <math.h>

#include "analysis/goodput_point.h"

void roof_gp_shape_of(const roof_serve_cfg *c, int pool, double transfer_s, roof_gp_shape *h)
{
    const roof_serve_engine *e = &c->engine;
    double S = nearbyint(c->traffic.prompt_mean), G = nearbyint(c->traffic.output_mean);
    double cached = floor(e->prefix_hit * S);
    h->pool = pool;
    h->Sc = cached >= S ? 1.0 : S - cached;
    h->G = pool == ROOF_SERVE_POOL_PREFILL ? 1.0 : G;
    h->kv = S + 0.5 * G;
    if (pool == ROOF_SERVE_POOL_DECODE)
        h->Sc = 0.0;
    double chunk = (double)(e->chunk > 0 && e->chunk < e->max_tokens ? e->chunk : e->max_tokens);
    h->chunk = chunk;
    h->k = ceil(h->Sc / chunk);
    h->own = h->Sc < chunk ? h->Sc : chunk;
    h->pages = ceil((S + h->G) / (double)e->page_tokens);
    h->transfer_s = transfer_s;
    h->prefix_s = 0.0;
}

int roof_gp_shape_full(roof_serve_cost *cost, const roof_serve_cfg *c, int pool, double transfer_s, roof_gp_shape *h,
                       roof_error *err)
{
    roof_gp_shape_of(c, pool, transfer_s, h);
    /* The prompt's tokens before the computed ones: those in the prefix
     * cache (S - Sc; with no computed token, a decode pool, none count). */
    double S = nearbyint(c->traffic.prompt_mean);
    return roof_serve_cost_prompt_prefix(cost, h->Sc, S - h->Sc, h->chunk, &h->prefix_s, err);
}

/* The largest x the limits allow, and which limit it is. */
double roof_gp_x_cap(const roof_serve_cfg *c, const roof_serve_capacity *cap, const roof_gp_shape *h, int batch,
                     int *bound)
{
    double per = h->k + h->G - 1.0; /* requests in the iteration per request admitted */
    double x = (double)c->engine.max_tokens / (h->Sc + h->G - 1.0);
    *bound = ROOF_GOODPUT_BOUND_TOKENS;
    double kv = (double)cap->kv_pages / (h->pages * per);
    if (kv < x) {
        x = kv;
        *bound = ROOF_GOODPUT_BOUND_KV;
    }
    double mb = (double)c->engine.max_batch / per;
    if (batch && mb < x) {
        x = mb;
        *bound = ROOF_GOODPUT_BOUND_BATCH;
    }
    return x;
}

/* x's counts (serve_analytic.c's): prompt tokens, prefilling requests
 * (their chunks) and decodes of the iteration. */
static void counts(const roof_gp_shape *h, double x, int64_t *np, int64_t *q, int64_t *b)
{
    *np = (int64_t)ceil(x * h->Sc);
    *q = (int64_t)ceil(x * h->k);
    *b = (int64_t)nearbyint(x * (h->G - 1.0));
}

/* The cost alone at x (the rate's denominator); lower: its lower bound. */
static int cost_of(roof_serve_cost *cost, const roof_gp_shape *h, double x, int lower, double *t, roof_error *err)
{
    int64_t np, q, b;
    counts(h, x, &np, &q, &b);
    int (*f)(roof_serve_cost *, int64_t, int64_t, int64_t, double, double, double *, roof_error *) =
        lower ? roof_serve_cost_iter_lower : roof_serve_cost_iter_prefixed;
    if (h->pool == ROOF_SERVE_POOL_DECODE)
        return f(cost, 0, 0, b > 0 ? b : 1, h->kv, 0.0, t, err);
    /* x requests admitted per iteration, each bringing its prompt's prefix
     * attention over its k iterations: x of them per iteration. */
    return f(cost, np > 0 ? np : 1, q > 0 ? q : 1, b, h->kv, x * h->prefix_s, t, err);
}

/* The steady state at x: serve_analytic.c's iter_cost and t_c. */
int roof_gp_at_x(roof_serve_cost *cost, const roof_gp_shape *h, double x, roof_gp_point *p, roof_error *err)
{
    int rc = cost_of(cost, h, x, 0, &p->t, err);
    if (rc != ROOF_OK)
        return rc;
    p->rate = x / p->t;
    p->t_chunk = p->t;
    if (h->pool == ROOF_SERVE_POOL_DECODE)
        return ROOF_OK;
    int64_t np, q, b;
    counts(h, x, &np, &q, &b);
    double tc;
    if ((rc = roof_serve_cost_iter_prefixed(cost, (int64_t)h->own, 1, b, h->kv, h->k > 0.0 ? h->prefix_s / h->k : 0.0,
                                            &tc, err)) == ROOF_OK &&
        tc > p->t)
        p->t_chunk = tc;
    return rc;
}

/* The first SLO this pool's point misses (the e2e of a pool is left to the
 * caller), or -1. Means in roof_slo_metric order. */
int roof_gp_missed(const roof_gp_shape *h, const roof_gp_point *p, const roof_slo *slos, int nslo)
{
    double queue = 0.5 * p->t, ttft = queue + h->k * p->t_chunk;
    double e2e = ttft + (h->G - 1.0) * p->t, tpot = p->t;
    if (h->pool == ROOF_SERVE_POOL_DECODE)
        tpot = (h->transfer_s + e2e) / (h->G - 1.0);
    for (int i = 0; i < nslo; i++) {
        int m = slos[i].metric;
        int judged = h->pool == ROOF_SERVE_POOL_ALL ||
                     (h->pool == ROOF_SERVE_POOL_PREFILL && (m == ROOF_SLO_TTFT || m == ROOF_SLO_QUEUE)) ||
                     (h->pool == ROOF_SERVE_POOL_DECODE && (m == ROOF_SLO_ITL || m == ROOF_SLO_TPOT));
        const double v[] = {ttft, p->t, tpot, e2e, queue};
        if (judged && !(v[m] <= slos[i].limit_s))
            return i;
    }
    return -1;
}

int roof_gp_cost_at(roof_serve_cost *cost, const roof_gp_shape *h, double x, double *t, roof_error *err)
{
    return cost_of(cost, h, x, 0, t, err);
}

int roof_gp_cost_lower(roof_serve_cost *cost, const roof_gp_shape *h, double x, double *t, roof_error *err)
{
    return cost_of(cost, h, x, 1, t, err);
}

int roof_gp_cost_min(roof_serve_cost *cost, const roof_gp_shape *h, double x0, double *t, roof_error *err)
{
    double most = fmax(fmax(h->Sc, h->k), h->G), tiny = x0 * most <= 0.25 ? x0 : 0.25 / most;
    return roof_gp_cost_at(cost, h, tiny, t, err);
}
