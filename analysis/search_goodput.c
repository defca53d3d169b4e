/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "analysis/search_goodput.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double no_value(const roof_result *r)
{
    (void)r;
    return NAN;
}

/* Stand-ins for the ranking: not in the metric table (no roof_result has
 * them), so that --constraint and --merge cannot name them. */
static const roof_metric goodput_gpu = {
    "goodput_per_gpu", "1/s", 1, 0, no_value, "requests/s per GPU meeting every SLO (analytic steady state)"};
static const roof_metric goodput_usd = {
    "goodput_per_usd_hour", "1/s/(USD/h)", 1, 0, no_value, "requests/s meeting every SLO per USD/hour of the GPUs"};

int roof_search_goodput_objective(const char *name, const roof_metric **m)
{
    if (strcmp(name, "goodput") == 0) {
        *m = &goodput_gpu;
        return ROOF_GOODPUT_PER_GPU;
    }
    if (strcmp(name, "goodput-per-dollar") == 0) {
        *m = &goodput_usd;
        return ROOF_GOODPUT_PER_USD;
    }
    return 0;
}

/* The grids (docs/serving.md, "The goodput search"). Chunks: 0 (no limit
 * but engine.max_tokens, vLLM's default) and Sarathi-Serve's token
 * budgets, 256 to 8192 (Agrawal et al. 2024, OSDI, Sec. 5: 512 and 2048
 * for strict and relaxed SLOs). max_batch: powers of two around vLLM's
 * max_num_seqs default of 256, 8 to 1024. */
static const int64_t chunk_grid[] = {0, 256, 512, 1024, 2048, 4096, 8192};
static const int64_t batch_grid[] = {8, 16, 32, 64, 128, 256, 512, 1024};

/* grid <- defaults with v added (v >= 0), ascending. */
static int64_t grid(const int64_t *def, int64_t n, int64_t v, int64_t *out)
{
    int64_t k = 0, added = v < 0;
    for (int64_t i = 0; i < n; i++) {
        if (!added && v <= def[i]) {
            if (v < def[i])
                out[k++] = v;
            added = 1;
        }
        out[k++] = def[i];
    }
    if (!added)
        out[k++] = v;
    return k;
}

int roof_search_serving_init(roof_search_serving *sv, const roof_search_opts *o, const roof_scenario *s,
                             roof_error *err)
{
    sv->nchunk = grid(chunk_grid, sizeof chunk_grid / sizeof *chunk_grid, o->fixed[ROOF_KNOB_CHUNK], sv->chunk);
    sv->nmax_batch =
        grid(batch_grid, sizeof batch_grid / sizeof *batch_grid, o->fixed[ROOF_KNOB_MAX_BATCH], sv->max_batch);
    if (o->fixed[ROOF_KNOB_MAX_BATCH] == 0)
        return roof_error_set(err, ROOF_ERR_USAGE, "--fix", "max_batch must be at least 1 (got 0)");
    if (o->fixed[ROOF_KNOB_PREFILL] >= 0 && !sv->disagg)
        return roof_error_set(err, ROOF_ERR_USAGE, "--fix",
                              "prefill is the prefill replicas of --disagg: add --disagg");
    /* Every block lists its configurations (1..N - 1 prefill replicas
     * each): a bound on that list. */
    if (sv->disagg && o->gpus > 4096)
        return roof_error_set(err, ROOF_ERR_USAGE, "--disagg", "searches up to 4096 GPUs (got %lld)",
                              (long long)o->gpus);
    if (sv->cfg.traffic.arrival == ROOF_ARRIVAL_TRACE)
        return roof_error_set(err, ROOF_ERR_USAGE, "--objective",
                              "the goodput search needs traffic lengths (traffic.prompt, traffic.output), not a "
                              "trace: unset traffic.trace");
    if (sv->objective == ROOF_GOODPUT_PER_USD && !(s->hw.price_usd_per_hour > 0.0))
        return roof_error_set(err, ROOF_ERR_INPUT, "hw.price.usd_per_hour",
                              "goodput-per-dollar needs the GPU's price: profile '%s' has none (set "
                              "price.usd_per_hour in the profile or --set hw.price.usd_per_hour=USD)",
                              s->hw.name);
    if (sv->disagg && !(s->hw.cluster.bandwidth * s->hw.cluster.efficiency > 0.0))
        return roof_error_set(err, ROOF_ERR_USAGE, "--disagg",
                              "the KV transfer needs hw.network.cluster.bandwidth and efficiency on '%s'", s->hw.name);
    return ROOF_OK;
}

/* The replica of plan c (dp 1: each replica serves its share). */
static void replica(const roof_plan_choice *c, roof_scenario *s)
{
    roof_plan_choice one = *c;
    one.dp = 1;
    roof_plan_choice_apply(&one, s);
    s->parallel.gpus = 0;
}

/* A failure of the model on a plan: removed (the plan check, an
 * iteration it cannot build), memory (no room for the KV cache), or the
 * search's end (a result the model refuses, a bad input). */
static int plan_fate(int rc, const roof_error *err, int *status)
{
    if (roof_result_error(err) || (rc != ROOF_ERR_RUNTIME))
        return rc;
    *status = strcmp(err->where, "engine") == 0 ? ROOF_GOODPUT_PLAN_MEMORY : ROOF_GOODPUT_PLAN_MODEL;
    return ROOF_OK;
}

/* Requests/s per GPU of rate requests/s over every replica of p: the N =
 * tp pp cp dp GPUs of the plan. */
static double per_gpu(const roof_plan_choice *p, double rate)
{
    return rate / ((double)p->tp * (double)p->pp * (double)p->cp * (double)p->dp);
}

/* The objective: per GPU, or per USD/hour of a GPU. */
static double objective_of(const roof_search_serving *sv, const roof_scenario *s, const roof_plan_choice *p,
                           double rate)
{
    double v = per_gpu(p, rate);
    return sv->objective == ROOF_GOODPUT_PER_USD ? v / s->hw.price_usd_per_hour : v;
}

/* The rate per replica that an objective of 1 needs, the least over the
 * configurations of list, less a margin for the 7 significant digits the
 * goodput is rounded to (sig7 in serve_goodput.c) and for the rounding of
 * the division: an objective floor needs floor times it. */
static double rate_per_objective(const roof_scenario *s, const roof_search_serving *sv, const roof_plan_choice *list,
                                 int64_t n)
{
    double need = INFINITY;
    for (int64_t k = 0; k < n; k++) {
        double r = 1.0 / objective_of(sv, s, &list[k], 1.0) / (double)list[k].dp;
        need = r < need ? r : need;
    }
    return need * (1.0 - 1e-6);
}

/* Whether the screen shows every configuration of list below need (a rate
 * per replica): each chunking once (a chunk's configurations are
 * contiguous; were they not, one would only be screened twice), for every
 * max_batch at once. */
static int screened(roof_serve_cost *cost, const roof_search_serving *sv, const roof_plan_choice *list, int64_t n,
                    double need, int *below, roof_error *err)
{
    *below = 0;
    roof_serve_cfg c = sv->cfg;
    for (int64_t i = 0; i < n; i++) {
        if (i > 0 && list[i].chunk == list[i - 1].chunk)
            continue; /* this chunk is screened already */
        c.engine.chunk = list[i].chunk;
        int rc = roof_serve_goodput_screen(cost, &c, sv->slos, sv->nslo, need, below, err);
        if (rc != ROOF_OK || !*below)
            return rc;
    }
    return ROOF_OK;
}

/* Inserts v into the descending kbest[0..*n) of at most top values. */
static void kbest_add(double *kbest, size_t *n, size_t top, double v)
{
    if (*n == top && !(v > kbest[top - 1]))
        return;
    size_t i = *n < top ? (*n)++ : top - 1;
    while (i > 0 && kbest[i - 1] < v) {
        kbest[i] = kbest[i - 1];
        i--;
    }
    kbest[i] = v;
}

int roof_search_goodput_plan(roof_serve_cost *cost, roof_goodput_memo *memo, roof_scenario *s,
                             const roof_search_serving *sv, const roof_plan_choice *list, int64_t n, double *kbest,
                             size_t nbest, size_t top, double *obj, int *status, roof_error *err)
{
    *status = ROOF_GOODPUT_PLAN_OK;
    replica(&list[0], s);
    int rc = roof_serve_cost_retarget(cost, s, &sv->cfg.engine, err);
    if (rc != ROOF_OK)
        return plan_fate(rc, err, status);
    int screen = kbest && !sv->disagg;
    double scale = screen ? rate_per_objective(s, sv, list, n) : 0.0;
    double need = screen && nbest == top ? kbest[top - 1] * scale : -1.0;
    if (need >= 0.0) {
        int below;
        if ((rc = screened(cost, sv, list, n, need, &below, err)) != ROOF_OK)
            return plan_fate(rc, err, status);
        if (below) {
            *status = ROOF_GOODPUT_PLAN_SCREENED;
            return ROOF_OK;
        }
    }
    roof_serve_goodput_reset(memo);
    memo->floor = need; /* the batch limits' rates below it are skipped */
    const roof_serve_capacity *cap = roof_serve_cost_capacity(cost);
    double transfer = 0.0;
    if (sv->disagg &&
        (rc = roof_serve_kv_transfer(s, cap, nearbyint(sv->cfg.traffic.prompt_mean), &transfer, err)) != ROOF_OK)
        return rc;
    roof_serve_cfg c = sv->cfg;
    /* Each chunk's configurations (contiguous, max_batch ascending) from
     * the highest max_batch down, aggregated: the least capped first, so
     * that the best K so far, this plan's included, rise early and the
     * capped configurations below them skip their branch and bound. The
     * chunks keep their order, so the SLO boundaries are searched as in
     * list order, and a configuration's result does not depend on the
     * order within its chunk (serve_goodput.c: the memo holds them all). */
    for (int64_t a = 0; a < n;) {
        int64_t z = a + 1;
        while (!sv->disagg && z < n && list[z].chunk == list[a].chunk)
            z++;
        for (int64_t i = z - 1; i >= a; i--) {
            const roof_plan_choice *p = &list[i];
            c.engine.chunk = p->chunk;
            c.engine.max_batch = p->max_batch;
            roof_goodput g;
            rc = roof_serve_goodput(cost, &c, sv->slos, sv->nslo, p->dp, p->prefill, transfer, 0, memo, &g, err);
            if (rc != ROOF_OK)
                return plan_fate(rc, err, status);
            /* NaN: below the floor, not ranked. */
            obj[i] = g.below_floor ? NAN : objective_of(sv, s, p, g.rate);
            if (screen && !g.below_floor) {
                kbest_add(kbest, &nbest, top, obj[i]);
                if (nbest == top && kbest[top - 1] > 0.0)
                    memo->floor = fmax(memo->floor, kbest[top - 1] * scale);
            }
        }
        a = z;
    }
    return ROOF_OK;
}

int roof_search_goodput_fill(roof_serve_cost *cost, roof_goodput_memo *memo, const roof_scenario *base,
                             const roof_search_serving *sv, roof_search_result *res, roof_error *err)
{
    roof_scenario *s = malloc(sizeof *s);
    int rc = !s ? roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory") : ROOF_OK;
    for (size_t i = 0; rc == ROOF_OK && i < res->n; i++) {
        roof_search_row *row = &res->rows[i];
        const roof_plan_choice *p = &row->plan;
        *s = *base;
        replica(p, s);
        if ((rc = roof_serve_cost_retarget(cost, s, &sv->cfg.engine, err)) != ROOF_OK)
            break;
        roof_serve_goodput_reset(memo);
        double transfer = 0.0;
        if (p->prefill > 0 &&
            (rc = roof_serve_kv_transfer(s, roof_serve_cost_capacity(cost), nearbyint(sv->cfg.traffic.prompt_mean),
                                         &transfer, err)) != ROOF_OK)
            break;
        roof_serve_cfg c = sv->cfg;
        c.engine.chunk = p->chunk;
        c.engine.max_batch = p->max_batch;
        roof_goodput g;
        if ((rc = roof_serve_goodput(cost, &c, sv->slos, sv->nslo, p->dp, p->prefill, transfer, 1, memo, &g, err)) !=
            ROOF_OK)
            break;
        roof_search_serving_row *v = &row->serve;
        v->goodput = g.rate;
        v->goodput_per_gpu = per_gpu(p, g.rate);
        /* As objective_of divides, so that the per-dollar objective and
         * this column are one number. */
        v->goodput_per_usd_hr = v->goodput_per_gpu / s->hw.price_usd_per_hour;
        if (!(s->hw.price_usd_per_hour > 0.0))
            v->goodput_per_usd_hr = 0.0; /* no price: the column says nothing (objective goodput) */
        v->bound = g.bound;
        v->ttft_s = g.ttft_s, v->itl_s = g.itl_s, v->tpot_s = g.tpot_s;
        v->e2e_s = g.e2e_s, v->queue_s = g.queue_s, v->transfer_s = g.transfer_s;
    }
    free(s);
    return rc;
}

const char *roof_search_goodput_bound(const roof_search_serving *sv, int bound)
{
    if (bound >= 0 && bound < sv->nslo)
        return sv->slos[bound].text;
    switch (bound) {
    case ROOF_GOODPUT_BOUND_BATCH:
        return "engine.max_batch";
    case ROOF_GOODPUT_BOUND_KV:
        return "kv_cache";
    default:
        return "engine.max_tokens";
    }
}
