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

#include "analysis/goodput_point.h"
#include "analysis/serve.h"

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
static int boundary(roof_serve_cost *cost, const roof_gp_shape *h, const roof_slo *slos, int nslo, double xcap,
                    int cap_bound, double hint, curve *cv, double *x_out, int *bound, roof_error *err)
{
    roof_gp_point p;
    int rc = roof_gp_at_x(cost, h, xcap, &p, err), miss;
    if (rc != ROOF_OK)
        return rc;
    curve_add(cv, xcap, p.t);
    if ((miss = roof_gp_missed(h, &p, slos, nslo)) < 0) {
        *x_out = xcap;
        *bound = cap_bound;
        return ROOF_OK;
    }
    double lo = ROOF_GP_X_FLOOR * xcap, hi = xcap;
    if ((rc = roof_gp_at_x(cost, h, lo, &p, err)) != ROOF_OK)
        return rc;
    curve_add(cv, lo, p.t);
    int low_miss = roof_gp_missed(h, &p, slos, nslo);
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
            if ((rc = roof_gp_at_x(cost, h, a, &p, err)) != ROOF_OK)
                return rc;
            curve_add(cv, a, p.t);
            ok_a = (m = roof_gp_missed(h, &p, slos, nslo)) < 0;
            if (ok_a)
                lo = a;
            else
                hi = a, miss = m;
        }
        if (!ok_a)
            continue;
        if (b < hi) {
            if ((rc = roof_gp_at_x(cost, h, b, &p, err)) != ROOF_OK)
                return rc;
            curve_add(cv, b, p.t);
            if ((m = roof_gp_missed(h, &p, slos, nslo)) >= 0) {
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
        if ((rc = roof_gp_at_x(cost, h, mid, &p, err)) != ROOF_OK)
            return rc;
        curve_add(cv, mid, p.t);
        int m = roof_gp_missed(h, &p, slos, nslo);
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
static int max_rate(roof_serve_cost *cost, const roof_gp_shape *h, double xhi, const curve *cv, double *rate,
                    double *x_best, roof_error *err)
{
    /* The first cells: between the points the boundary search evaluated
     * below xhi (most are dropped at once by the bound), then up to xhi. */
    cell st[CELLS];
    double xs[ROOF_GOODPUT_POINTS + 2], cs[ROOF_GOODPUT_POINTS + 2];
    int m0 = 0, rc;
    if (!cv || cv->n == 0 || cv->x[0] >= xhi) {
        xs[0] = ROOF_GP_X_FLOOR * xhi;
        if ((rc = roof_gp_cost_at(cost, h, xs[0], &cs[0], err)) != ROOF_OK)
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
    if (!have && (rc = roof_gp_cost_at(cost, h, xhi, &cs[m0], err)) != ROOF_OK)
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
        if ((rc = roof_gp_cost_at(cost, h, m, &cm, err)) != ROOF_OK)
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
static int least_x(roof_serve_cost *cost, const roof_gp_shape *h, double xhi, double r, double *x, roof_error *err)
{
    cell st[CELLS];
    cell c0 = {ROOF_GP_X_FLOOR * xhi, 0.0, xhi, 0.0};
    int rc = roof_gp_cost_at(cost, h, c0.a, &c0.ca, err);
    if (rc == ROOF_OK)
        rc = roof_gp_cost_at(cost, h, c0.b, &c0.cb, err);
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
        if ((rc = roof_gp_cost_at(cost, h, m, &cm, err)) != ROOF_OK)
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
    m->floor = -1.0;
}

/* Whether no x in (0, xhi] has a rate at or above floor, by the bound of
 * max_rate's first cells: the boundary search's points below xhi, each
 * cell (a, b] at most b / C(a), and below the first point the cheapest
 * iteration (roof_gp_cost_min). No new point. */
static int cells_below(roof_serve_cost *cost, const roof_gp_shape *h, double xhi, const curve *cv, double floor,
                       int *below, roof_error *err)
{
    double cmin, prev_x = -1.0, prev_c = 0.0;
    int rc = roof_gp_cost_min(cost, h, ROOF_GP_X_FLOOR * xhi, &cmin, err);
    if (rc != ROOF_OK)
        return rc;
    double ub = 0.0;
    for (int i = 0; cv && i < cv->n && cv->x[i] < xhi; i++) {
        double b = cv->x[i] / (prev_x < 0.0 ? cmin : prev_c);
        ub = b > ub ? b : ub;
        prev_x = cv->x[i], prev_c = cv->c[i];
    }
    double b = xhi / (prev_x < 0.0 ? cmin : prev_c);
    ub = b > ub ? b : ub;
    *below = ub < floor;
    return ROOF_OK;
}

static curve *curve_find(roof_goodput_memo *m, const roof_gp_shape *h)
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
static curve *curve_new(roof_goodput_memo *m, const roof_gp_shape *h)
{
    curve *cv = &m->curve[m->ncurve++ % ROOF_GOODPUT_CURVES];
    cv->pool = h->pool, cv->k = h->k, cv->own = h->own, cv->n = 0;
    return cv;
}

/* Entries are keyed by the pool and its chunking (k chunks of at most own
 * tokens: chunks at or above the prompt's length are alike) and key. */
static int memo_find(const roof_goodput_memo *m, const roof_gp_shape *h, double key)
{
    for (int i = 0; i < m->n; i++)
        if (m->e[i].pool == h->pool && m->e[i].k == h->k && m->e[i].own == h->own && m->e[i].key == key)
            return i;
    return -1;
}

static void memo_put(roof_goodput_memo *m, const roof_gp_shape *h, double key, double x, double rate, int bound)
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
static int pool_rate(roof_serve_cost *cost, const roof_serve_cfg *c, const roof_gp_shape *h, const roof_slo *slos,
                     int nslo, roof_goodput_memo *memo, double *rate, double *x_best, int *bound, roof_error *err)
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
        double xc = roof_gp_x_cap(c, cap, h, 0, &cb);
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
    double xl = roof_gp_x_cap(c, cap, h, 1, &cb);
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
    if (memo->floor > 0.0 && h->pool == ROOF_SERVE_POOL_ALL) {
        int below;
        if ((rc = cells_below(cost, h, x, cv, memo->floor, &below, err)) != ROOF_OK)
            return rc;
        if (below) {
            /* Kept like a result (rate -1), so that the memo fills as it
             * would without the floor. */
            *rate = -1.0, *x_best = 0.0;
            memo_put(memo, h, x, 0.0, -1.0, b);
            return ROOF_OK;
        }
    }
    if ((rc = max_rate(cost, h, x, cv, rate, x_best, err)) != ROOF_OK)
        return rc;
    memo_put(memo, h, x, *x_best, *rate, b);
    return ROOF_OK;
}

/* A pool's point at rate r per replica: at x_best where r is the pool's
 * highest rate (found there: least_x would look for the same rate at
 * other points), else at least_x; at a vanishing load where r is 0. */
static int pool_point(roof_serve_cost *cost, const roof_serve_cfg *c, const roof_gp_shape *h, double r, double x_best,
                      roof_gp_point *p, roof_error *err)
{
    int cb;
    double xl = roof_gp_x_cap(c, roof_serve_cost_capacity(cost), h, 1, &cb), x = x_best;
    int rc = r > 0.0 && !(x_best > 0.0) ? least_x(cost, h, xl, r, &x, err) : ROOF_OK;
    if (rc == ROOF_OK)
        rc = roof_gp_at_x(cost, h, x > 0.0 ? x : ROOF_GP_X_FLOOR * xl, p, err);
    return rc;
}

/* The means of a disaggregated deployment at total rate r (serve_disagg.c:
 * TTFT and queue the prefill pool's, ITL the decode pool's, e2e = TTFT +
 * transfer + the decode pool's queue and G - 1 steps). */
static int disagg_means(roof_serve_cost *cost, const roof_serve_cfg *c, const roof_gp_shape *hp,
                        const roof_gp_shape *hd, int64_t P, int64_t D, double r, const double *x_best, roof_goodput *g,
                        roof_error *err)
{
    roof_gp_point pp, pd;
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
        roof_gp_shape h;
        double r, x;
        if ((rc = roof_gp_shape_full(cost, c, ROOF_SERVE_POOL_ALL, 0.0, &h, err)) != ROOF_OK ||
            (rc = pool_rate(cost, c, &h, slos, nslo, memo, &r, &x, &out->bound, err)) != ROOF_OK)
            return rc;
        if (r < 0.0) {
            out->below_floor = 1;
            return means ? roof_error_set(err, ROOF_ERR_RUNTIME, "goodput", "no means below the memo's floor")
                         : ROOF_OK;
        }
        out->rate = sig7(r * (double)replicas);
        if (!means)
            return ROOF_OK;
        roof_gp_point p;
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
    roof_gp_shape hp, hd;
    double rp, rd, xp, xd;
    int bp, bd;
    if ((rc = roof_gp_shape_full(cost, c, ROOF_SERVE_POOL_PREFILL, 0.0, &hp, err)) != ROOF_OK ||
        (rc = roof_gp_shape_full(cost, c, ROOF_SERVE_POOL_DECODE, transfer_s, &hd, err)) != ROOF_OK)
        return rc;
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
            double lo = ROOF_GP_X_FLOOR * r, hi = r;
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
