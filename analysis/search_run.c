/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The evaluation of a plan search: blocks of candidates shared out over
 * threads, each thread with its own scenario, result and best K (nothing
 * mutable is shared but two atomic counters), merged in thread order; the
 * order of roof_search_offer is total, so the merge is the same whatever
 * the thread count or the share each thread took. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/search_goodput.h"
#include "analysis/search_space.h"
#include "model/train_reuse.h"

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct shared {
    const roof_search_space *sp;
    int phases;
    atomic_llong next; /* the next of this shard's blocks to take */
    atomic_llong done; /* candidates done, for progress */
    atomic_int stop;   /* an error: the others stop */
} shared;

typedef struct worker {
    shared *sh;
    int id;
    roof_scenario s;
    roof_result *r;
    roof_plan_choice *list;
    roof_search_result res; /* rows and the shard's counts */
    int rc;
    int64_t err_block; /* the block of the error */
    double cpu_s;      /* the thread's CPU time in the search */
    roof_error err;
    /* Goodput objectives: the op-list cache of the plan under way (one per
     * thread, emptied per plan), its boundaries, and the configurations'
     * objectives. */
    roof_serve_cost *cost;
    roof_goodput_memo *memo;
    double *obj;
    double *kbest; /* the best K's objectives, scratch of the screen */
} worker;

/* Where one evaluated plan ends: model, memory, constraint or a row. */
static int rank_plan(worker *w, int64_t index, const roof_plan_choice *c, int eval_rc, const roof_error *e)
{
    const roof_search_opts *o = w->sh->sp->o;
    roof_search_counts *n = &w->res.counts;
    n->evaluated++;
    if (eval_rc != ROOF_OK) {
        /* A plan the model rejects is removed; a result the model cannot
         * report (an infinite time) comes from the inputs and ends the
         * search, rather than being ranked or silently dropped. */
        if (roof_result_error(e)) {
            w->err = *e;
            return e->code;
        }
        n->removed[ROOF_RULE_MODEL]++;
        return ROOF_OK;
    }
    n->valid++;
    if (!w->r->memory.fits) {
        n->removed[ROOF_RULE_MEMORY]++;
        return ROOF_OK;
    }
    n->fit++;
    for (size_t i = 0; i < o->nconstraints; i++)
        if (!roof_target_met(&o->constraints[i], w->r)) {
            n->removed[ROOF_RULE_CONSTRAINT]++;
            return ROOF_OK;
        }
    double v = o->objective->get(w->r);
    if (isnan(v)) {
        n->removed[ROOF_RULE_MODEL]++;
        return ROOF_OK;
    }
    n->feasible++;
    roof_search_row row;
    memset(&row, 0, sizeof row);
    row.index = index, row.plan = *c, row.objective = v;
    return roof_search_offer(&w->res, o->top, o->objective->higher_better, &row, &w->err);
}

/* Every candidate of a block in full (inference, or --exhaustive). */
static int block_full(worker *w, const roof_search_block *b, int64_t n)
{
    for (int64_t k = 0; k < n; k++) {
        roof_error e;
        roof_plan_choice_apply(&w->list[k], &w->s);
        int rc = roof_evaluate_phases(&w->s, w->sh->phases, w->r, &e);
        if ((rc = rank_plan(w, b->first + k, &w->list[k], rc, &e)) != ROOF_OK)
            return rc;
    }
    return ROOF_OK;
}

/* A training block. Its candidates run in groups of one etp, vp and
 * recompute (contiguous in the numbering), ZeRO stages from 3 down: memory
 * only grows as the stage falls (model/training.c, stage_memory: ZeRO
 * shards the states, gradients and weights; activations do not depend on
 * it, nor does anything on dp_overlap), so once ZeRO-z does not fit, no
 * lower stage does. Offload is tracked apart: with it the GPU holds less
 * but the host must hold the states (hw.host.memory), so the chain holds
 * for each offload value, not across them. The op lists depend on neither
 * ZeRO, dp_overlap, offload nor vp (roof_training_reevaluate): one full
 * evaluation per etp and recompute. */
static int block_training(worker *w, const roof_search_block *b, int64_t n)
{
    int64_t built_etp = -1;
    int built_rc = -1;
    for (int pass = 0; pass < 3; pass++) /* recompute none, selective, full */
        for (int64_t a = 0; a < n;) {
            int64_t z = a; /* the group [a, z) */
            while (z < n && w->list[z].etp == w->list[a].etp && w->list[z].vp == w->list[a].vp &&
                   w->list[z].recompute == w->list[a].recompute)
                z++;
            if (w->list[a].recompute != pass) {
                a = z;
                continue;
            }
            int nofit[2] = {-1, -1}; /* per offload value: the highest ZeRO stage found not to fit */
            for (int64_t k = z - 1; k >= a; k--) {
                const roof_plan_choice *c = &w->list[k];
                int off = c->offload != 0;
                if (nofit[off] >= 0 && c->zero <= nofit[off]) {
                    w->res.counts.removed[ROOF_RULE_MEMORY]++;
                    continue;
                }
                roof_error e;
                roof_plan_choice_apply(c, &w->s);
                int rc;
                if (built_etp == c->etp && built_rc == c->recompute) {
                    rc = roof_training_reevaluate(&w->s, w->r, &e);
                } else {
                    rc = roof_evaluate_phases(&w->s, w->sh->phases, w->r, &e);
                    built_etp = rc == ROOF_OK ? c->etp : -1;
                    built_rc = rc == ROOF_OK ? c->recompute : -1;
                }
                int valid = rc == ROOF_OK, fits = valid && w->r->memory.fits;
                if ((rc = rank_plan(w, b->first + k, c, rc, &e)) != ROOF_OK)
                    return rc;
                if (valid && !fits && nofit[off] < 0)
                    nofit[off] = c->zero;
            }
            a = z;
        }
    return ROOF_OK;
}

/* A serving block (the goodput objectives): its candidates in groups of
 * one plan (one etp), each plan's op lists built once for all its engine
 * configurations (analysis/search_goodput.c). A configuration whose SLOs
 * no rate meets has goodput 0: ranked, last. */
static int block_goodput(worker *w, const roof_search_block *b, int64_t n)
{
    const roof_search_opts *o = w->sh->sp->o;
    roof_search_counts *cn = &w->res.counts;
    for (int64_t a = 0; a < n;) {
        int64_t z = a;
        while (z < n && w->list[z].etp == w->list[a].etp)
            z++;
        int status, rc;
        /* The best K so far: a plan the screen shows below the K-th
         * cannot enter the best K, nor one at 0 where the K-th is 0 (a
         * thread takes its blocks in candidate order, and ties rank the
         * lower number first). The others are exact, so the best K do not
         * depend on it. --exhaustive: every goodput exact. */
        for (size_t k = 0; k < w->res.n; k++)
            w->kbest[k] = w->res.rows[k].objective;
        if ((rc = roof_search_goodput_plan(w->cost, w->memo, &w->s, o->serving, &w->list[a], z - a,
                                           o->exhaustive ? NULL : w->kbest, w->res.n, o->top, w->obj, &status,
                                           &w->err)) != ROOF_OK)
            return rc;
        cn->evaluated += z - a;
        if (status == ROOF_GOODPUT_PLAN_MODEL) {
            cn->removed[ROOF_RULE_MODEL] += z - a;
        } else if (status == ROOF_GOODPUT_PLAN_MEMORY) {
            cn->valid += z - a;
            cn->removed[ROOF_RULE_MEMORY] += z - a;
        } else if (status == ROOF_GOODPUT_PLAN_SCREENED) {
            cn->valid += z - a, cn->fit += z - a, cn->feasible += z - a, cn->screened += z - a;
        } else {
            cn->valid += z - a, cn->fit += z - a, cn->feasible += z - a;
            for (int64_t k = a; k < z; k++) {
                if (isnan(w->obj[k - a])) {
                    cn->screened++; /* shown below the floor */
                    continue;
                }
                roof_search_row row;
                memset(&row, 0, sizeof row);
                row.index = b->first + k, row.plan = w->list[k], row.objective = w->obj[k - a];
                if ((rc = roof_search_offer(&w->res, o->top, 1, &row, &w->err)) != ROOF_OK)
                    return rc;
            }
        }
        a = z;
    }
    return ROOF_OK;
}

static void *work(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    const roof_search_space *sp = sh->sp;
    const roof_search_opts *o = sp->o;
    double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    for (int64_t mine = 0; !atomic_load(&sh->stop); mine++) {
        int64_t k = atomic_fetch_add(&sh->next, 1);
        int64_t bi = o->shard + k * o->shards;
        if (bi >= sp->nblocks || bi < 0)
            break;
        const roof_search_block *b = &sp->blocks[bi];
        int64_t n = roof_search_block_list(sp, &b->c, w->list, NULL);
        int rc = o->serving                       ? block_goodput(w, b, n)
                 : sp->training && !o->exhaustive ? block_training(w, b, n)
                                                  : block_full(w, b, n);
        if (rc != ROOF_OK) {
            w->rc = rc;
            w->err_block = bi;
            atomic_store(&sh->stop, 1);
            break;
        }
        int64_t done = atomic_fetch_add(&sh->done, n) + n;
        if (w->id == 0 && o->progress && (mine & 15) == 0)
            o->progress(o->progress_ctx, done, sp->counts.candidates);
    }
    w->cpu_s = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    return NULL;
}

int roof_search_count(const roof_scenario *base, const roof_search_opts *o, roof_search_counts *c, roof_error *err)
{
    roof_search_space *sp = malloc(sizeof *sp);
    if (!sp)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory");
    int rc = roof_search_space_make(base, o, sp, err);
    if (rc == ROOF_OK)
        *c = sp->counts;
    roof_search_space_free(sp);
    free(sp);
    return rc;
}

static int check_opts(const roof_search_opts *o, roof_error *err)
{
    if (o->gpus < 1 || o->gpus > 1000000)
        return roof_error_set(err, ROOF_ERR_USAGE, "--gpus", "must be in 1..1000000 (got %lld)", (long long)o->gpus);
    if (o->top < 1 || o->top > ROOF_SEARCH_MAX_TOP)
        return roof_error_set(err, ROOF_ERR_USAGE, "--top", "must be in 1..%d (got %zu)", ROOF_SEARCH_MAX_TOP, o->top);
    if (o->threads < 0 || o->threads > ROOF_SEARCH_MAX_THREADS)
        return roof_error_set(err, ROOF_ERR_USAGE, "--threads", "must be in 1..%d (got %d)", ROOF_SEARCH_MAX_THREADS,
                              o->threads);
    if (o->serving && o->nconstraints > 0)
        return roof_error_set(err, ROOF_ERR_USAGE, "--constraint",
                              "the goodput objectives take their constraints as --slo");
    if (o->shards < 1 || o->shard < 0 || o->shard >= o->shards)
        return roof_error_set(err, ROOF_ERR_USAGE, "--shard", "expected I/N with 0 <= I < N (got %lld/%lld)",
                              (long long)o->shard, (long long)o->shards);
    return ROOF_OK;
}

/* Every metric of the best K, from a full evaluation each. */
static int fill_metrics(const roof_scenario *base, roof_search_result *res, roof_scenario *s, roof_result *r,
                        roof_error *err)
{
    for (size_t i = 0; i < res->n; i++) {
        roof_search_row *row = &res->rows[i];
        *s = *base;
        s->parallel.gpus = 0;
        roof_plan_choice_apply(&row->plan, s);
        int rc = roof_evaluate(s, r, err);
        if (rc != ROOF_OK)
            return rc;
        for (size_t k = 0; k < roof_metric_count() && k < ROOF_MAX_METRICS; k++)
            row->metrics[k] = roof_metric_at(k)->get(r);
    }
    return ROOF_OK;
}

int roof_search_run(const roof_scenario *base, const roof_search_opts *o, roof_search_result *res, roof_error *err)
{
    memset(res, 0, sizeof *res);
    int rc = check_opts(o, err);
    if (rc != ROOF_OK)
        return rc;
    roof_search_space *sp = malloc(sizeof *sp);
    if (!sp)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory");
    if ((rc = roof_search_space_make(base, o, sp, err)) != ROOF_OK) {
        free(sp);
        return rc;
    }
    shared sh;
    sh.sp = sp;
    sh.phases = o->objective->phases;
    for (size_t i = 0; i < o->nconstraints; i++)
        sh.phases |= o->constraints[i].metric->phases;
    atomic_init(&sh.next, 0);
    atomic_init(&sh.done, 0);
    atomic_init(&sh.stop, 0);
    /* No more threads than this shard has blocks. */
    int64_t mine = sp->nblocks > o->shard ? (sp->nblocks - o->shard + o->shards - 1) / o->shards : 0;
    int nt = o->threads > 1 ? o->threads : 1;
    if (nt > mine)
        nt = mine > 0 ? (int)mine : 1;
    /* The times count the workers' scratch too (allocated and zeroed
     * here, in the calling thread): a search that must make it pays it. */
    double t0 = clock_s(CLOCK_MONOTONIC), setup_cpu = clock_s(CLOCK_THREAD_CPUTIME_ID);
    worker *w = calloc((size_t)nt, sizeof *w);
    pthread_t *tid = calloc((size_t)nt, sizeof *tid);
    int *started = calloc((size_t)nt, sizeof *started);
    if (!w || !tid || !started) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory");
        goto out;
    }
    for (int i = 0; i < nt; i++) {
        w[i].sh = &sh;
        w[i].id = i;
        w[i].s = *base;
        w[i].s.parallel.gpus = 0;
        w[i].r = malloc(sizeof *w[i].r);
        w[i].list = malloc((size_t)sp->inner * sizeof *w[i].list);
        int serve_ok = 1;
        if (o->serving) {
            w[i].memo = malloc(sizeof *w[i].memo);
            w[i].obj = malloc((size_t)sp->inner * sizeof *w[i].obj);
            w[i].kbest = malloc(o->top * sizeof *w[i].kbest);
            serve_ok = w[i].memo && w[i].obj && w[i].kbest && roof_serve_cost_alloc(&w[i].cost, err) == ROOF_OK;
        }
        if (!w[i].r || !w[i].list || !serve_ok) {
            rc = roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory");
            goto out;
        }
    }
    setup_cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - setup_cpu;
    /* Threads 1.. run beside the caller, which is thread 0; one that cannot
     * start leaves its share to the others. */
    for (int i = 1; i < nt; i++)
        started[i] = pthread_create(&tid[i], NULL, work, &w[i]) == 0;
    work(&w[0]);
    res->threads = 1;
    for (int i = 1; i < nt; i++)
        if (started[i]) {
            pthread_join(tid[i], NULL);
            res->threads++;
        }
    res->seconds = clock_s(CLOCK_MONOTONIC) - t0;
    res->cpu_seconds = setup_cpu;
    for (int i = 0; i < nt; i++)
        res->cpu_seconds += w[i].cpu_s;
    /* The error of the lowest block, then the merge in thread order. */
    int bad = -1;
    for (int i = 0; i < nt; i++)
        if (w[i].rc != ROOF_OK && (bad < 0 || w[i].err_block < w[bad].err_block))
            bad = i;
    if (bad >= 0) {
        *err = w[bad].err;
        rc = w[bad].rc;
        goto out;
    }
    res->counts = sp->counts;
    for (int i = 0; i < nt && rc == ROOF_OK; i++) {
        const roof_search_counts *c = &w[i].res.counts;
        res->counts.evaluated += c->evaluated;
        res->counts.valid += c->valid;
        res->counts.fit += c->fit;
        res->counts.feasible += c->feasible;
        res->counts.screened += c->screened;
        for (int k = ROOF_RULE_MODEL; k < ROOF_RULES; k++)
            res->counts.removed[k] += c->removed[k];
        for (size_t j = 0; j < w[i].res.n && rc == ROOF_OK; j++)
            rc = roof_search_offer(res, o->top, o->objective->higher_better, &w[i].res.rows[j], err);
    }
    if (rc == ROOF_OK)
        rc = o->serving ? roof_search_goodput_fill(w[0].cost, w[0].memo, base, o->serving, res, err)
                        : fill_metrics(base, res, &w[0].s, w[0].r, err);
out:
    for (int i = 0; w && i < nt; i++) {
        free(w[i].r);
        free(w[i].list);
        free(w[i].memo);
        free(w[i].obj);
        free(w[i].kbest);
        roof_serve_cost_free(w[i].cost);
        roof_search_result_free(&w[i].res);
    }
    free(w);
    free(tid);
    free(started);
    roof_search_space_free(sp);
    free(sp);
    return rc;
}
