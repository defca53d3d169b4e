/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The goodput search's screen (issue 19 item 7): whether any rate of a
 * chunking's steady-state curve that meets the SLOs can reach a floor (the
 * K-th best goodput found so far), from a few points of the curve, before
 * the exact search (serve_goodput.c) spends its hundred-odd op-list
 * evaluations on it. A branch and bound on the bound the exact search
 * uses itself: the iteration's cost C grows with x and so do the
 * latencies, so on a cell (a, b] no rate exceeds b / C(a), and no x past a
 * point that misses an SLO meets it. Cells are refined best bound first
 * until every bound is below the floor (below: the exact search could only
 * find less), or a point not shown to miss an SLO reaches the floor (its
 * rate taken on a lower bound of its cost), or the points run out (both:
 * not below, the exact search decides). The curve is the
 * one without the max_batch limit (roof_gp_x_cap with batch 0), whose
 * rates bound those of every max_batch: a cap only shortens the interval.
 * Below x0 = ROOF_GP_X_FLOOR x_cap, where the exact search starts, a rate
 * is at most x0 over the cheapest iteration (one prompt token, no decode).
 */
#include <math.h>

#include "analysis/goodput_point.h"

/* Points per curve before the screen gives up (the exact search then
 * decides): about a tenth of what the exact search evaluates per plan. */
#define SCREEN_POINTS 24

typedef struct {
    double x, c;
    int ok; /* not shown to miss an SLO of the pool (eval) */
} spt;

/* Inserts p into the ascending pts[0..n). */
static int insert(spt *pts, int n, spt p)
{
    int i = n;
    while (i > 0 && pts[i - 1].x > p.x) {
        pts[i] = pts[i - 1];
        i--;
    }
    pts[i] = p;
    return n + 1;
}

/* The point at x from a lower bound of its cost (roof_gp_cost_lower: one
 * evaluation per length where the exact cost interpolates two), which is
 * all a bound needs: b / C_low(a) >= b / C(a), and latencies from it (the
 * chunk-carrying iteration taken as no longer than the iteration, which
 * it is at least) miss an SLO only where the exact ones do. ok is then
 * "not shown to miss": a point that misses unseen only weakens a bound. */
static int eval(roof_serve_cost *cost, const roof_gp_shape *h, double x, const roof_slo *slos, int nslo, spt *out,
                roof_error *err)
{
    roof_gp_point p = {0.0, 0.0, 0.0};
    int rc = roof_gp_cost_lower(cost, h, x, &p.t, err);
    p.t_chunk = p.t;
    if (rc == ROOF_OK)
        *out = (spt){x, p.t, roof_gp_missed(h, &p, slos, nslo) < 0};
    return rc;
}

int roof_serve_goodput_screen(roof_serve_cost *cost, const roof_serve_cfg *c, const roof_slo *slos, int nslo,
                              double floor, int *below, roof_error *err)
{
    *below = 0;
    if (!(floor >= 0.0))
        return ROOF_OK;
    /* Without the chunks' attention to their prefix (prefix_s 0): every
     * cost and TTFT below is then a lower bound of the exact search's, as
     * the screen needs, at no evaluation. */
    roof_gp_shape h;
    roof_gp_shape_of(c, ROOF_SERVE_POOL_ALL, 0.0, &h);
    int rc, cb;
    double xc = roof_gp_x_cap(c, roof_serve_cost_capacity(cost), &h, 0, &cb), x0 = ROOF_GP_X_FLOOR * xc;
    spt pts[SCREEN_POINTS], p;
    if ((rc = eval(cost, &h, x0, slos, nslo, &p, err)) != ROOF_OK)
        return rc;
    if (!p.ok) {
        *below = 1; /* the least load misses an SLO: goodput 0 */
        return ROOF_OK;
    }
    if (floor == 0.0 || p.x / p.c >= floor)
        return ROOF_OK;
    /* The cap closes the last cell; its cost is never needed (a bound on
     * (a, b] reads C(a) alone), nor whether it meets the SLOs (taken as
     * meeting them, the weaker assumption). */
    pts[0] = p;
    pts[1] = (spt){xc, NAN, 1};
    int n = 2;
    double cmin;
    if ((rc = roof_gp_cost_min(cost, &h, x0, &cmin, err)) != ROOF_OK)
        return rc;
    while (n < SCREEN_POINTS) {
        double ub = x0 / cmin; /* (0, x0] */
        int best = -1;
        for (int i = 0; i + 1 < n && pts[i].ok; i++) {
            double b = pts[i + 1].x / pts[i].c;
            if (b > ub)
                ub = b, best = i;
        }
        if (ub < floor) {
            *below = 1;
            return ROOF_OK;
        }
        if (best < 0)
            return ROOF_OK; /* the cell below x0 alone: left to the exact search */
        double a = pts[best].x, b = pts[best + 1].x;
        if (b - a <= 1e-7 * b)
            return ROOF_OK; /* a bound no point refines: the exact search decides */
        /* The split aimed at the proof: m with m / C(a) just below the
         * floor, so that the cell (a, m] is below it; if m misses an SLO
         * nothing past it counts, else the rest (m, b] starts from the
         * higher C(m). Repeated, the splits climb to where the rate would
         * reach the floor, and stop at the first point past the SLOs'
         * boundary. Where that step is short (a near miss), halves:
         * geometric over decades, arithmetic within one. */
        double mid = floor * pts[best].c * (1.0 - 1e-9);
        if (!(mid > a + 0.05 * (b - a) && mid < b))
            mid = b > 8.0 * a ? sqrt(a * b) : 0.5 * (a + b);
        if ((rc = eval(cost, &h, mid, slos, nslo, &p, err)) != ROOF_OK)
            return rc;
        if (p.ok && p.x / p.c >= floor)
            return ROOF_OK;
        n = insert(pts, n, p);
    }
    return ROOF_OK;
}
