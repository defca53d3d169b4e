/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The throughput-interactivity frontier of a deployment on N GPUs: for
 * each tensor-parallel width tp (powers of two dividing N; the other GPUs
 * are N / tp replicas) and each concurrency per replica (1, 2, 4, ... up
 * to engine.max_batch), the analytic steady state (serve_analytic.c) gives
 * output tokens per second per user (1 / TPOT, the interactivity of
 * SemiAnalysis' InferenceMAX charts) and per GPU. A point is on the Pareto
 * frontier when no other point of the same hardware has both at least as
 * high and one higher. A plan the model cannot build (tp not dividing the
 * heads) or whose weights leave no room for the KV cache is skipped.
 */
#include <math.h>
#include <string.h>

#include "analysis/serve.h"

static int add(roof_frontier_point *pts, int max, int *n, const roof_frontier_point *p, roof_error *err)
{
    if (*n == max)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "frontier", "more than %d points", max);
    pts[(*n)++] = *p;
    return ROOF_OK;
}

/* Whether b dominates a. */
static int dominates(const roof_frontier_point *b, const roof_frontier_point *a)
{
    return b->tok_s_user >= a->tok_s_user && b->tok_s_gpu >= a->tok_s_gpu &&
           (b->tok_s_user > a->tok_s_user || b->tok_s_gpu > a->tok_s_gpu);
}

void roof_serve_frontier_mark(roof_frontier_point *pts, int n)
{
    for (int i = 0; i < n; i++) {
        pts[i].pareto = 1;
        for (int j = 0; j < n && pts[i].pareto; j++)
            if (j != i && dominates(&pts[j], &pts[i]))
                pts[i].pareto = 0;
    }
}

int roof_serve_frontier(const roof_scenario *base, const roof_serve_cfg *c, int64_t gpus, roof_frontier_point *pts,
                        int max, int *n, roof_error *err)
{
    *n = 0;
    static roof_scenario s; /* large: not on the stack */
    for (int64_t tp = 1; tp <= gpus; tp *= 2) {
        if (gpus % tp != 0)
            continue;
        s = *base;
        s.parallel.tp = tp;
        s.parallel.pp = s.parallel.dp = s.parallel.cp = s.parallel.ep = 1;
        s.parallel.gpus = 0;
        s.parallel.etp = 0;
        roof_serve_cost *cost;
        roof_error e;
        int rc = roof_serve_cost_new(&s, &c->engine, &cost, &e);
        if (rc != ROOF_OK) {
            if (roof_result_error(&e)) { /* a result the model refuses: stop, as the analyses do */
                *err = e;
                return rc;
            }
            continue; /* a plan that does not divide, or no room for the KV cache */
        }
        /* A width whose cache cannot hold one mean request (the weights
         * leave too little of the usable memory) has no point, as one
         * with no room at all. */
        double pages = ceil((nearbyint(c->traffic.prompt_mean) + nearbyint(c->traffic.output_mean)) /
                            (double)c->engine.page_tokens);
        if ((double)roof_serve_cost_capacity(cost)->kv_pages < pages) {
            roof_serve_cost_free(cost);
            continue;
        }
        roof_serve_cfg cc = *c;
        cc.traffic.arrival = ROOF_ARRIVAL_CONCURRENCY;
        for (int64_t conc = 1; conc <= c->engine.max_batch && rc == ROOF_OK; conc *= 2) {
            cc.traffic.concurrency = conc;
            roof_serve_stats st;
            rc = roof_serve_analytic(cost, &cc, NULL, 0, &st, err);
            if (rc != ROOF_OK)
                break;
            const roof_serve_capacity *cap = roof_serve_cost_capacity(cost);
            roof_frontier_point p;
            memset(&p, 0, sizeof p);
            p.tp = tp;
            p.replicas = gpus / tp;
            p.concurrency = conc;
            p.tok_s_user = 1.0 / st.tpot.mean;
            p.tok_s_gpu = st.tokens_per_s / (double)cap->gpus;
            p.ttft_s = st.ttft.mean;
            p.tpot_s = st.tpot.mean;
            p.usd_per_mtok = st.usd_per_mtok;
            rc = add(pts, max, n, &p, err);
        }
        roof_serve_cost_free(cost);
        if (rc != ROOF_OK)
            return rc;
    }
    roof_serve_frontier_mark(pts, *n);
    return ROOF_OK;
}
