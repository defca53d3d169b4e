/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Goodput: the highest request rate whose analytic steady state
 * (serve_analytic.c) meets every SLO, the "maximum request rate that can
 * be served adhering to the SLO" of DistServe (Zhong et al. 2024, OSDI,
 * Sec. 2.2), for searches.
 *
 * serve_analytic.c finds, at a rate lambda, the least iteration time t
 * with f(t) <= t, where f(t) is the cost of an iteration whose counts are
 * those of x = lambda t requests admitted per iteration (q = x k
 * prefilling, b = x (G - 1) decoding, n_p = x S_c prompt tokens). The
 * counts depend on x alone, so the steady state is a curve in x: t(x) =
 * C(x), the cost at x's counts, and lambda(x) = x / C(x). Every latency
 * grows with x (t, and the chunk-carrying iteration t_c with the decodes),
 * so the SLOs hold on an interval (0, x*] found by bisection, and the
 * engine's limits cap x as they cap t in serve_analytic.c: x (S_c + G - 1)
 * <= max_tokens, x (k + G - 1) <= max_batch, x (k + G - 1) pages <= the
 * cache (x_lim). The goodput is the largest lambda(x) for x <= x*:
 * lambda(x*), or the rate just below the last step of the rounded counts
 * before x* (b and q are whole numbers: C jumps up where one rounds up,
 * and lambda drops there), whichever is higher; and at most lambda(x_lim),
 * above which serve_analytic.c calls every rate saturated. No fixed point
 * is solved: one cost per x, against serve_analytic.c's bisection per
 * rate.
 *
 * Disaggregated (serve_disagg.c), P prefill and D decode replicas: the
 * rate is split evenly, so each pool bounds it by its own goodput per
 * replica times its replicas, the prefill pool under the TTFT and queue
 * SLOs (its steady state at G = 1), the decode pool under ITL and TPOT
 * (TPOT = (transfer + the decode pool's queue + (G - 1) t) / (G - 1), as
 * serve_disagg.c computes it). An e2e SLO spans both pools: the rate is
 * then bisected, each pool's steady state at its share found as
 * serve_analytic.c finds it (the least x with lambda(x) >= its rate).
 *
 * Per plan the boundaries are shared between the configurations: the
 * boundary without the batch limit once per chunk and pool, each
 * max_batch then a cap on it (roof_goodput_memo). Nothing allocates.
 */
#include <math.h>
#include <string.h>

#include "analysis/serve.h"

/* One pool's steady state, as serve_analytic.c's solve() sets it up. */
typedef struct {
    int pool;
    double Sc, G, kv, k, own, pages;
    double transfer_s; /* decode pool: the KV transfer, for TPOT */
} shape;

static void shape_of(const roof_serve_cfg *c, int pool, double transfer_s, shape *h)
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
    h->k = ceil(h->Sc / chunk);
    h->own = h->Sc < chunk ? h->Sc : chunk;
    h->pages = ceil((S + h->G) / (double)e->page_tokens);
    h->transfer_s = transfer_s;
}

/* The largest x the limits allow, and which limit it is. */
static double x_cap(const roof_serve_cfg *c, const roof_serve_capacity *cap, const shape *h, int batch, int *bound)
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

typedef struct {
    double t, t_chunk, rate;
} point;

/* The steady state at x: serve_analytic.c's iter_cost and t_c. */
static int at_x(roof_serve_cost *cost, const shape *h, double x, point *p, roof_error *err)
{
    int64_t np = (int64_t)ceil(x * h->Sc), q = (int64_t)ceil(x * h->k), b = (int64_t)nearbyint(x * (h->G - 1.0));
    int rc;
    if (h->pool == ROOF_SERVE_POOL_DECODE)
        rc = roof_serve_cost_iter(cost, 0, 0, b > 0 ? b : 1, h->kv, &p->t, err);
    else
        rc = roof_serve_cost_iter(cost, np > 0 ? np : 1, q > 0 ? q : 1, b, h->kv, &p->t, err);
    if (rc != ROOF_OK)
        return rc;
    p->rate = x / p->t;
    p->t_chunk = p->t;
    if (h->pool == ROOF_SERVE_POOL_DECODE)
        return ROOF_OK;
    double tc;
    if ((rc = roof_serve_cost_iter(cost, (int64_t)h->own, 1, b, h->kv, &tc, err)) == ROOF_OK && tc > p->t)
        p->t_chunk = tc;
    return rc;
}

/* The first SLO this pool's point misses (the e2e of a pool is left to
 * the caller), or -1. Means in roof_slo_metric order. */
static int missed(const shape *h, const point *p, const roof_slo *slos, int nslo)
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

/* The lowest load the search looks at, as a share of the limits' x. */
#define X_FLOOR 1e-9
/* Bisection to this share of x: goodput to about 1e-7 (relative), far
 * below the model's own error. */
#define X_TOL 1e-7

typedef roof_goodput_curve curve;

/* A point of the curve, kept in order (while there is room). */
static void curve_add(curve *cv, double x, double c)
{
    if (!cv || cv->n == ROOF_GOODPUT_POINTS)
        return;
    int i = cv->n++;
    while (i > 0 && cv->x[i - 1] > x) {
        cv->x[i] = cv->x[i - 1], cv->c[i] = cv->c[i - 1];
        i--;
    }
    cv->x[i] = x, cv->c[i] = c;
}

/* x* in (0, xcap]: the largest x whose point meets the pool's SLOs; 0
 * when even the lowest load misses one. bound: the SLO that stops it, or
 * cap_bound when none does. */
static int boundary(roof_serve_cost *cost, const shape *h, const roof_slo *slos, int nslo, double xcap, int cap_bound,
                    double hint, curve *cv, double *x_out, int *bound, roof_error *err)
{
    point p;
    int rc = at_x(cost, h, xcap, &p, err), miss;
    if (rc != ROOF_OK)
        return rc;
    curve_add(cv, xcap, p.t);
    if ((miss = missed(h, &p, slos, nslo)) < 0) {
        *x_out = xcap;
        *bound = cap_bound;
        return ROOF_OK;
    }
    double lo = X_FLOOR * xcap, hi = xcap;
    if ((rc = at_x(cost, h, lo, &p, err)) != ROOF_OK)
        return rc;
    curve_add(cv, lo, p.t);
    int low_miss = missed(h, &p, slos, nslo);
    if (low_miss >= 0) {
        *x_out = 0.0;
        *bound = low_miss;
        return ROOF_OK;
    }
    /* A hint (the boundary of another chunking of the prompt, which moves
     * it little): bracket it within 1% first, widening 4 times at a time,
     * so that the bisection visits few new batch counts, each a new
     * evaluation of the op list. */
    for (double w = 0.01; hint > lo && hint < hi && w < 1.0; w *= 4.0) {
        double a = hint * (1.0 - w), b = hint * (1.0 + w);
        int ok_a = 1, m = -1;
        if (a > lo) {
            if ((rc = at_x(cost, h, a, &p, err)) != ROOF_OK)
                return rc;
            curve_add(cv, a, p.t);
            ok_a = (m = missed(h, &p, slos, nslo)) < 0;
            if (ok_a)
                lo = a;
            else
                hi = a, miss = m;
        }
        if (!ok_a)
            continue;
        if (b < hi) {
            if ((rc = at_x(cost, h, b, &p, err)) != ROOF_OK)
                return rc;
            curve_add(cv, b, p.t);
            if ((m = missed(h, &p, slos, nslo)) >= 0) {
                hi = b, miss = m;
                break;
            }
            lo = b;
        } else {
            break;
        }
    }
    for (int i = 0; i < 200 && hi - lo > X_TOL * lo; i++) {
        double mid = 0.5 * (lo + hi);
        if ((rc = at_x(cost, h, mid, &p, err)) != ROOF_OK)
            return rc;
        curve_add(cv, mid, p.t);
        int m = missed(h, &p, slos, nslo);
        if (m < 0) {
            lo = mid;
        } else {
            hi = mid;
            miss = m;
        }
    }
    *x_out = lo;
    *bound = miss;
    return ROOF_OK;
}

/* The cost alone at x (the rate's denominator). */
static int cost_at(roof_serve_cost *cost, const shape *h, double x, double *t, roof_error *err)
{
    int64_t np = (int64_t)ceil(x * h->Sc), q = (int64_t)ceil(x * h->k), b = (int64_t)nearbyint(x * (h->G - 1.0));
    if (h->pool == ROOF_SERVE_POOL_DECODE)
        return roof_serve_cost_iter(cost, 0, 0, b > 0 ? b : 1, h->kv, t, err);
    return roof_serve_cost_iter(cost, np > 0 ? np : 1, q > 0 ? q : 1, b, h->kv, t, err);
}

/* Cells of x for the two searches below: [a, b] with C(a) and C(b). */
typedef struct {
    double a, ca, b, cb;
} cell;
#define CELLS 256
/* Rates to this share (relative). */
#define RATE_TOL 1e-7

/* The highest rate lambda(x) = x / C(x) for x in (0, xhi], and where.
 * lambda rises where C is continuous and drops where C jumps up (a count
 * rounds up, a GEMM needs another wave), so the highest may sit before
 * any jump. Branch and bound: C grows with x, so no x in a cell [a, b]
 * has a rate above b / C(a); cells that cannot beat the best found are
 * dropped, the others halved. */
static int max_rate(roof_serve_cost *cost, const shape *h, double xhi, const curve *cv, double *rate, double *x_best,
                    roof_error *err)
{
    /* The first cells: between the points the boundary search evaluated
     * below xhi (most are dropped at once by the bound), then up to xhi. */
    cell st[CELLS];
    double xs[ROOF_GOODPUT_POINTS + 2], cs[ROOF_GOODPUT_POINTS + 2];
    int m0 = 0, rc;
    if (!cv || cv->n == 0 || cv->x[0] >= xhi) {
        xs[0] = X_FLOOR * xhi;
        if ((rc = cost_at(cost, h, xs[0], &cs[0], err)) != ROOF_OK)
            return rc;
        m0 = 1;
    }
    for (int i = 0; cv && i < cv->n && cv->x[i] < xhi; i++)
        xs[m0] = cv->x[i], cs[m0++] = cv->c[i];
    int have = 0;
    for (int i = 0; cv && i < cv->n; i++)
        if (cv->x[i] == xhi)
            cs[m0] = cv->c[i], have = 1;
    xs[m0] = xhi;
    if (!have && (rc = cost_at(cost, h, xhi, &cs[m0], err)) != ROOF_OK)
        return rc;
    m0++;
    *rate = 0.0, *x_best = xs[0];
    for (int i = 0; i < m0; i++)
        if (xs[i] / cs[i] >= *rate)
            *rate = xs[i] / cs[i], *x_best = xs[i];
    int n = 0;
    for (int i = m0 - 1; i > 0; i--)
        st[n++] = (cell){xs[i - 1], cs[i - 1], xs[i], cs[i]};
    while (n > 0) {
        cell c = st[--n];
        if (c.b / c.ca <= *rate * (1.0 + RATE_TOL) || c.b - c.a <= X_TOL * c.b)
            continue;
        double m = 0.5 * (c.a + c.b), cm;
        if ((rc = cost_at(cost, h, m, &cm, err)) != ROOF_OK)
            return rc;
        if (m / cm > *rate)
            *rate = m / cm, *x_best = m;
        if (n + 2 > CELLS)
            continue; /* deeper than any bisection to X_TOL: cannot happen */
        st[n++] = (cell){m, cm, c.b, c.cb};
        st[n++] = (cell){c.a, c.ca, m, cm};
    }
    return ROOF_OK;
}

/* The least x in (0, xhi] with lambda(x) >= r: serve_analytic.c's least
 * fixed point at rate r (x = r t). The same bound, cells taken from the
 * left. -1 when none reaches r. */
static int least_x(roof_serve_cost *cost, const shape *h, double xhi, double r, double *x, roof_error *err)
{
    cell st[CELLS];
    cell c0 = {X_FLOOR * xhi, 0.0, xhi, 0.0};
    int rc = cost_at(cost, h, c0.a, &c0.ca, err);
    if (rc == ROOF_OK)
        rc = cost_at(cost, h, c0.b, &c0.cb, err);
    if (rc != ROOF_OK)
        return rc;
    *x = -1.0;
    if (c0.a / c0.ca >= r) {
        *x = c0.a;
        return ROOF_OK;
    }
    int n = 0;
    st[n++] = c0;
    while (n > 0) {
        cell c = st[--n];
        if ((*x >= 0.0 && c.a >= *x) || c.b / c.ca < r)
            continue;
        if (c.b - c.a <= X_TOL * c.b) {
            if (c.b / c.cb >= r && (*x < 0.0 || c.b < *x))
                *x = c.b;
            continue;
        }
        double m = 0.5 * (c.a + c.b), cm;
        if ((rc = cost_at(cost, h, m, &cm, err)) != ROOF_OK)
            return rc;
        if (n + 2 > CELLS)
            continue;
        if (m / cm >= r) {
            if (*x < 0.0 || m < *x)
                *x = m;
        } else {
            st[n++] = (cell){m, cm, c.b, c.cb};
        }
        st[n++] = (cell){c.a, c.ca, m, cm};
    }
    return ROOF_OK;
}

void roof_serve_goodput_reset(roof_goodput_memo *m)
{
    m->n = 0;
    m->ncurve = 0;
}

static curve *curve_find(roof_goodput_memo *m, const shape *h)
{
    int n = m->ncurve < ROOF_GOODPUT_CURVES ? m->ncurve : ROOF_GOODPUT_CURVES;
    for (int i = 0; i < n; i++) {
        curve *cv = &m->curve[i];
        if (cv->pool == h->pool && cv->k == h->k && cv->own == h->own)
            return cv;
    }
    return NULL;
}

/* A new curve for h (the oldest replaced when all are taken). */
static curve *curve_new(roof_goodput_memo *m, const shape *h)
{
    curve *cv = &m->curve[m->ncurve++ % ROOF_GOODPUT_CURVES];
    cv->pool = h->pool, cv->k = h->k, cv->own = h->own, cv->n = 0;
    return cv;
}

/* Entries are keyed by the pool and its chunking (k chunks of at most own
 * tokens: chunks at or above the prompt's length are alike) and key. */
static int memo_find(const roof_goodput_memo *m, const shape *h, double key)
{
    for (int i = 0; i < m->n; i++)
        if (m->e[i].pool == h->pool && m->e[i].k == h->k && m->e[i].own == h->own && m->e[i].key == key)
            return i;
    return -1;
}

static void memo_put(roof_goodput_memo *m, const shape *h, double key, double x, double rate, int bound)
{
    if (m->n == ROOF_GOODPUT_MEMO)
        m->n = 0; /* full: start again (a cache, never grown) */
    m->e[m->n].pool = h->pool, m->e[m->n].k = h->k, m->e[m->n].own = h->own, m->e[m->n].key = key;
    m->e[m->n].x = x, m->e[m->n].rate = rate, m->e[m->n].bound = bound;
    m->n++;
}

/* One pool's goodput per replica: the SLO boundary x* below the limits
 * other than max_batch (once per chunk: key -1), capped by max_batch's,
 * and the highest rate below that (once per cap: key the cap). */
static int pool_rate(roof_serve_cost *cost, const roof_serve_cfg *c, const shape *h, const roof_slo *slos, int nslo,
                     roof_goodput_memo *memo, double *rate, double *x_best, int *bound, roof_error *err)
{
    const roof_serve_capacity *cap = roof_serve_cost_capacity(cost);
    double x;
    int b, rc, i = memo_find(memo, h, -1.0);
    curve *cv = curve_find(memo, h);
    if (i >= 0) {
        x = memo->e[i].x;
        b = memo->e[i].bound;
    } else {
        int cb;
        double xc = x_cap(c, cap, h, 0, &cb);
        /* The last boundary of this pool, as a hint. */
        double hint = -1.0;
        for (int j = memo->n - 1; j >= 0 && hint < 0.0; j--)
            if (memo->e[j].pool == h->pool && memo->e[j].key == -1.0 && memo->e[j].x > 0.0)
                hint = memo->e[j].x;
        cv = curve_new(memo, h);
        if ((rc = boundary(cost, h, slos, nslo, xc, cb, hint, cv, &x, &b, err)) != ROOF_OK)
            return rc;
        memo_put(memo, h, -1.0, x, 0.0, b);
    }
    int cb;
    double xl = x_cap(c, cap, h, 1, &cb);
    if (cb == ROOF_GOODPUT_BOUND_BATCH && xl < x) {
        x = xl;
        b = cb;
    }
    *bound = b;
    if (!(x > 0.0)) {
        *rate = 0.0, *x_best = 0.0;
        return ROOF_OK;
    }
    if ((i = memo_find(memo, h, x)) >= 0) {
        *rate = memo->e[i].rate, *x_best = memo->e[i].x;
        return ROOF_OK;
    }
    if ((rc = max_rate(cost, h, x, cv, rate, x_best, err)) != ROOF_OK)
        return rc;
    memo_put(memo, h, x, *x_best, *rate, b);
    return ROOF_OK;
}

/* A pool's point at rate r per replica: at x_best where r is the pool's
 * highest rate (found there: least_x would look for the same rate at
 * other points), else at least_x; at a vanishing load where r is 0. */
static int pool_point(roof_serve_cost *cost, const roof_serve_cfg *c, const shape *h, double r, double x_best, point *p,
                      roof_error *err)
{
    int cb;
    double xl = x_cap(c, roof_serve_cost_capacity(cost), h, 1, &cb), x = x_best;
    int rc = r > 0.0 && !(x_best > 0.0) ? least_x(cost, h, xl, r, &x, err) : ROOF_OK;
    if (rc == ROOF_OK)
        rc = at_x(cost, h, x > 0.0 ? x : X_FLOOR * xl, p, err);
    return rc;
}

/* The means of a disaggregated deployment at total rate r (serve_disagg.c:
 * TTFT and queue the prefill pool's, ITL the decode pool's, e2e = TTFT +
 * transfer + the decode pool's queue and G - 1 steps). */
static int disagg_means(roof_serve_cost *cost, const roof_serve_cfg *c, const shape *hp, const shape *hd, int64_t P,
                        int64_t D, double r, const double *x_best, roof_goodput *g, roof_error *err)
{
    point pp, pd;
    int rc = pool_point(cost, c, hp, r / (double)P, x_best[0], &pp, err);
    if (rc == ROOF_OK)
        rc = pool_point(cost, c, hd, r / (double)D, x_best[1], &pd, err);
    if (rc != ROOF_OK)
        return rc;
    g->queue_s = 0.5 * pp.t;
    g->ttft_s = g->queue_s + hp->k * pp.t_chunk;
    g->itl_s = pd.t;
    double dec = 0.5 * pd.t + (hd->G - 1.0) * pd.t;
    g->transfer_s = hd->transfer_s;
    g->e2e_s = g->ttft_s + hd->transfer_s + dec;
    g->tpot_s = (hd->transfer_s + dec) / (hd->G - 1.0);
    return ROOF_OK;
}

/* The goodput to 7 significant digits: the searches find it to about
 * 1e-7, and configurations on one curve (chunks at or above the prompt,
 * batch limits that do not bind) must tie exactly, so that the lower
 * candidate number ranks first rather than the bisection's last digits. */
static double sig7(double v)
{
    if (!(v > 0.0))
        return 0.0;
    double scale = pow(10.0, 6.0 - floor(log10(v)));
    return nearbyint(v * scale) / scale;
}

int roof_serve_goodput(roof_serve_cost *cost, const roof_serve_cfg *c, const roof_slo *slos, int nslo, int64_t replicas,
                       int64_t prefill, double transfer_s, int means, roof_goodput_memo *memo, roof_goodput *out,
                       roof_error *err)
{
    memset(out, 0, sizeof *out);
    out->bound = ROOF_GOODPUT_BOUND_TOKENS;
    int rc;
    if (prefill <= 0) {
        shape h;
        shape_of(c, ROOF_SERVE_POOL_ALL, 0.0, &h);
        double r, x;
        if ((rc = pool_rate(cost, c, &h, slos, nslo, memo, &r, &x, &out->bound, err)) != ROOF_OK)
            return rc;
        out->rate = sig7(r * (double)replicas);
        if (!means)
            return ROOF_OK;
        point p;
        if ((rc = pool_point(cost, c, &h, r, x, &p, err)) != ROOF_OK)
            return rc;
        out->queue_s = 0.5 * p.t;
        out->ttft_s = out->queue_s + h.k * p.t_chunk;
        out->itl_s = out->tpot_s = p.t;
        out->e2e_s = out->ttft_s + (h.G - 1.0) * p.t;
        return ROOF_OK;
    }
    int64_t P = prefill, D = replicas - prefill;
    if (D < 1)
        return roof_error_set(err, ROOF_ERR_USAGE, "--disagg", "each pool needs at least one replica (got %lld:%lld)",
                              (long long)P, (long long)D);
    if (nearbyint(c->traffic.output_mean) < 2.0)
        return roof_error_set(err, ROOF_ERR_USAGE, "--disagg",
                              "a decode pool needs at least 2 output tokens per request (traffic.output.mean %g): "
                              "the first comes from the prefill pool",
                              c->traffic.output_mean);
    shape hp, hd;
    shape_of(c, ROOF_SERVE_POOL_PREFILL, 0.0, &hp);
    shape_of(c, ROOF_SERVE_POOL_DECODE, transfer_s, &hd);
    double rp, rd, xp, xd;
    int bp, bd;
    rc = pool_rate(cost, c, &hp, slos, nslo, memo, &rp, &xp, &bp, err);
    if (rc == ROOF_OK)
        rc = pool_rate(cost, c, &hd, slos, nslo, memo, &rd, &xd, &bd, err);
    if (rc != ROOF_OK)
        return rc;
    double r = rp * (double)P, r_d = rd * (double)D;
    /* Where each pool reaches its share: its own highest rate (x_best) for
     * the pool that binds, least_x for the other. */
    double at[2] = {xp, xd}, none[2] = {0.0, 0.0};
    out->bound = bp;
    at[1] = r_d > r ? 0.0 : xd;
    at[0] = r_d < r ? 0.0 : xp;
    if (r_d < r) {
        r = r_d;
        out->bound = bd;
    }
    int e2e_slo = -1;
    for (int i = 0; i < nslo; i++)
        if (slos[i].metric == ROOF_SLO_E2E && (e2e_slo < 0 || slos[i].limit_s < slos[e2e_slo].limit_s))
            e2e_slo = i;
    if (e2e_slo >= 0 && r > 0.0) {
        /* The e2e SLO spans both pools: the highest rate below r that
         * meets it, by bisection (e2e grows with the rate). */
        roof_goodput g;
        double lim = slos[e2e_slo].limit_s;
        if ((rc = disagg_means(cost, c, &hp, &hd, P, D, r, at, &g, err)) != ROOF_OK)
            return rc;
        if (!(g.e2e_s <= lim)) {
            out->bound = e2e_slo;
            double lo = X_FLOOR * r, hi = r;
            if ((rc = disagg_means(cost, c, &hp, &hd, P, D, lo, none, &g, err)) != ROOF_OK)
                return rc;
            if (!(g.e2e_s <= lim)) {
                r = 0.0;
            } else {
                for (int i = 0; i < 200 && hi - lo > X_TOL * lo; i++) {
                    double mid = 0.5 * (lo + hi);
                    if ((rc = disagg_means(cost, c, &hp, &hd, P, D, mid, none, &g, err)) != ROOF_OK)
                        return rc;
                    if (g.e2e_s <= lim)
                        lo = mid;
                    else
                        hi = mid;
                }
                r = lo;
            }
            at[0] = at[1] = 0.0;
        }
    }
    out->rate = sig7(r);
    return means ? disagg_means(cost, c, &hp, &hd, P, D, r, at, out, err) : ROOF_OK;
}
