/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "analysis/search.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/number.h"

int roof_search_objective(const char *name, const roof_metric **out, roof_error *err)
{
    static const char *const alias[][2] = {
        {"ttft", "ttft_s"},       {"tpot", "tpot_s"},      {"throughput", "tokens_per_s"},
        {"cost", "usd_per_mtok"}, {"step", "step_time_s"}, {"train-cost", "cost_to_train_usd"}};
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcmp(name, alias[i][0]) == 0)
            name = alias[i][1];
    return roof_metric_find(name, "--objective", out, err);
}

int roof_search_shard_parse(const char *text, int64_t *shard, int64_t *shards, roof_error *err)
{
    long long i, n;
    char tail;
    if (sscanf(text, "%lld/%lld%c", &i, &n, &tail) != 2 || n < 1 || i < 0 || i >= n)
        return roof_error_set(err, ROOF_ERR_USAGE, "--shard", "expected I/N with 0 <= I < N (got '%s')", text);
    *shard = i;
    *shards = n;
    return ROOF_OK;
}

/* Ranking: the better objective first, then the lower candidate number, so
 * that the order is total and every run (sharded or not) agrees. */
static int better(const roof_search_row *a, const roof_search_row *b, int higher_better)
{
    if (a->objective != b->objective)
        return higher_better ? a->objective > b->objective : a->objective < b->objective;
    return a->index < b->index;
}

int roof_search_offer(roof_search_result *res, size_t top, int higher_better, const roof_search_row *row,
                      roof_error *err)
{
    if (res->n == top && !better(row, &res->rows[res->n - 1], higher_better))
        return ROOF_OK;
    if (res->cap < top) {
        roof_search_row *nr = realloc(res->rows, top * sizeof *nr);
        if (!nr)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory");
        res->rows = nr;
        res->cap = top;
    }
    /* K is small (the top of a list): insertion into a sorted array. */
    size_t i = res->n < top ? res->n++ : top - 1;
    while (i > 0 && better(row, &res->rows[i - 1], higher_better)) {
        res->rows[i] = res->rows[i - 1];
        i--;
    }
    res->rows[i] = *row;
    return ROOF_OK;
}

void roof_search_result_free(roof_search_result *res)
{
    if (!res)
        return;
    free(res->rows);
    memset(res, 0, sizeof *res);
}

/* The divisors of n in ascending order (at most max; no n below 2^63 has
 * more than 110000, and the GPU counts and batches here have a few
 * hundred at most). */
static int64_t divisors(int64_t n, int64_t *d, int64_t max)
{
    int64_t k = 0, hi = max;
    for (int64_t i = 1; i <= n / i && k < hi; i++) {
        if (n % i != 0)
            continue;
        d[k++] = i;
        if (i != n / i && k < hi)
            d[--hi] = n / i;
    }
    /* The large divisors sit at the end in descending order: move them up. */
    memmove(d + k, d + hi, (size_t)(max - hi) * sizeof *d);
    return k + (max - hi);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#define MAXD 2048

typedef struct {
    const roof_search_opts *o;
    roof_search_result *res;
    roof_scenario *s;
    roof_result *r;
    int phases;
    int64_t next; /* the next candidate number */
} walk;

/* One candidate: evaluated only by its shard. */
static int visit(walk *w, const roof_plan_choice *c, roof_error *err)
{
    int64_t idx = w->next++;
    if (w->o->progress && w->res->candidates >= 0 && (idx & 0xffff) == 0)
        w->o->progress(w->o->progress_ctx, idx, w->res->candidates);
    if (w->res->candidates < 0 || idx % w->o->shards != w->o->shard)
        return ROOF_OK; /* the counting pass, or another shard's */
    roof_parallel *q = &w->s->parallel;
    q->tp = c->tp, q->cp = c->cp, q->pp = c->pp, q->dp = c->dp, q->ep = c->ep, q->sp = c->sp;
    w->s->workload.microbatches = c->microbatches;
    w->res->evaluated++;
    roof_error e;
    if (roof_evaluate_phases(w->s, w->phases, w->r, &e) != ROOF_OK) {
        /* A plan that does not fit is skipped; a result the model cannot
         * report (an infinite time) comes from the inputs and ends the
         * search, rather than being ranked or silently dropped. */
        if (roof_result_error(&e)) {
            *err = e;
            return e.code;
        }
        return ROOF_OK;
    }
    w->res->valid++;
    if (!w->r->memory.fits)
        return ROOF_OK;
    w->res->fit++;
    for (size_t i = 0; i < w->o->nconstraints; i++)
        if (!roof_target_met(&w->o->constraints[i], w->r))
            return ROOF_OK;
    w->res->feasible++;
    double v = w->o->objective->get(w->r);
    if (isnan(v))
        return ROOF_OK;
    roof_search_row row = {.index = idx, .plan = *c, .objective = v};
    return roof_search_offer(w->res, w->o->top, w->o->objective->higher_better, &row, err);
}

/* The enumeration. Cheap divisibility rules (heads, layers, batch,
 * sequence) prune here; the plan check of roof_evaluate catches the rest
 * (KV heads, Helix splits, expert folding, node counts). */
static int enumerate(walk *w, const roof_model *m, const roof_workload *wl, roof_error *err)
{
    int64_t dt[MAXD], dc[MAXD], dpp[MAXD], de[MAXD], dm[MAXD];
    int64_t g = w->o->gpus;
    int64_t nt = divisors(g, dt, MAXD);
    int64_t ne = divisors(m->experts > 0 ? m->experts : 1, de, MAXD);
    for (int64_t a = 0; a < nt; a++) {
        int64_t tp = dt[a];
        if (m->heads % tp != 0)
            continue;
        int64_t nc = divisors(g / tp, dc, MAXD);
        for (int64_t b = 0; b < nc; b++) {
            int64_t cp = dc[b];
            if (wl->seq_len % cp != 0)
                continue;
            int64_t np = divisors(g / tp / cp, dpp, MAXD);
            for (int64_t c = 0; c < np; c++) {
                int64_t pp = dpp[c], dp = g / tp / cp / pp;
                if (m->layers % pp != 0 || wl->batch % dp != 0)
                    continue;
                int64_t nm = divisors(wl->batch / dp, dm, MAXD);
                for (int64_t e = 0; e < ne; e++) {
                    if ((tp * cp * dp) % de[e] != 0)
                        continue;
                    int sp_max = tp > 1 ? 1 : 0; /* sequence parallelism needs tp > 1 */
                    for (int64_t f = 0; f < nm; f++)
                        for (int sp = 0; sp <= sp_max; sp++) {
                            roof_plan_choice pc = {tp, cp, pp, dp, de[e], dm[f], sp};
                            int rc = visit(w, &pc, err);
                            if (rc != ROOF_OK)
                                return rc;
                        }
                }
            }
        }
    }
    return ROOF_OK;
}

int roof_search_run(const roof_scenario *base, const roof_search_opts *o, roof_search_result *res, roof_error *err)
{
    memset(res, 0, sizeof *res);
    if (o->gpus < 1 || o->gpus > 1000000)
        return roof_error_set(err, ROOF_ERR_USAGE, "--gpus", "must be in 1..1000000 (got %lld)", (long long)o->gpus);
    if (o->top < 1 || o->top > ROOF_SEARCH_MAX_TOP)
        return roof_error_set(err, ROOF_ERR_USAGE, "--top", "must be in 1..%d (got %zu)", ROOF_SEARCH_MAX_TOP, o->top);
    roof_scenario *s = malloc(sizeof *s);
    roof_result *r = malloc(sizeof *r);
    int rc = ROOF_OK;
    if (!s || !r) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory");
        goto out;
    }
    *s = *base;
    s->parallel.gpus = 0;
    s->parallel.etp = 0; /* the documented default per ep */
    walk w = {o, res, s, r, o->objective->phases, 0};
    for (size_t i = 0; i < o->nconstraints; i++)
        w.phases |= o->constraints[i].metric->phases;
    /* First count (cheap: no evaluation), so that progress has a total. */
    res->candidates = -1;
    if ((rc = enumerate(&w, &base->model, &base->workload, err)) != ROOF_OK)
        goto out;
    res->candidates = w.next;
    w.next = 0;
    double t0 = now_s();
    rc = enumerate(&w, &base->model, &base->workload, err);
    res->seconds = now_s() - t0;
    if (rc != ROOF_OK)
        goto out;
    /* Every metric of the best K, from a full evaluation each. */
    for (size_t i = 0; i < res->n; i++) {
        roof_search_row *row = &res->rows[i];
        roof_parallel *q = &s->parallel;
        q->tp = row->plan.tp, q->cp = row->plan.cp, q->pp = row->plan.pp, q->dp = row->plan.dp;
        q->ep = row->plan.ep, q->sp = row->plan.sp;
        s->workload.microbatches = row->plan.microbatches;
        if ((rc = roof_evaluate(s, r, err)) != ROOF_OK)
            goto out;
        for (size_t k = 0; k < roof_metric_count() && k < ROOF_MAX_METRICS; k++)
            row->metrics[k] = roof_metric_at(k)->get(r);
    }
out:
    free(s);
    free(r);
    return rc;
}
