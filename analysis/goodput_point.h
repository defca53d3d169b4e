/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One pool's analytic steady state as a curve in x, the requests admitted
 * per iteration (serve_goodput.c explains it): what the exact goodput
 * search (serve_goodput.c) and its screen (goodput_screen.c) both read. */
#ifndef LLMROOF_ANALYSIS_GOODPUT_POINT_H
#define LLMROOF_ANALYSIS_GOODPUT_POINT_H

#include "analysis/serve.h"

/* One pool's steady state, as serve_analytic.c's solve() sets it up. */
typedef struct {
    int pool;
    double Sc, G, kv, k, own, pages;
    double chunk;      /* prompt tokens of one request per iteration (engine.chunk, or max_tokens) */
    double prefix_s;   /* one request's prompt chunks' attention to the tokens cached before them */
    double transfer_s; /* decode pool: the KV transfer, for TPOT */
} roof_gp_shape;

/* The shape of c's requests in pool; prefix_s 0, which bounds it below
 * (the screen's use: a cost or a TTFT without it is a lower bound). */
void roof_gp_shape_of(const roof_serve_cfg *c, int pool, double transfer_s, roof_gp_shape *h);
/* The shape with prefix_s, the request's chunks' attention to its prompt
 * before them on cost (roof_serve_cost_prompt_prefix): the exact search's. */
int roof_gp_shape_full(roof_serve_cost *cost, const roof_serve_cfg *c, int pool, double transfer_s, roof_gp_shape *h,
                       roof_error *err);

/* The largest x the limits allow (max_batch's too where batch), and which
 * limit it is (ROOF_GOODPUT_BOUND_*). */
double roof_gp_x_cap(const roof_serve_cfg *c, const roof_serve_capacity *cap, const roof_gp_shape *h, int batch,
                     int *bound);

typedef struct {
    double t, t_chunk, rate;
} roof_gp_point;

/* The steady state at x: serve_analytic.c's iter_cost and t_c. */
int roof_gp_at_x(roof_serve_cost *cost, const roof_gp_shape *h, double x, roof_gp_point *p, roof_error *err);

/* The cost alone at x (the rate's denominator). */
int roof_gp_cost_at(roof_serve_cost *cost, const roof_gp_shape *h, double x, double *t, roof_error *err);
/* A lower bound of it (roof_serve_cost_iter_lower), cheaper. */
int roof_gp_cost_lower(roof_serve_cost *cost, const roof_gp_shape *h, double x, double *t, roof_error *err);

/* The cheapest iteration (one prompt token of one request, no decode:
 * the counts at their least, below which C never falls), at a load at or
 * below x0 where that holds. */
int roof_gp_cost_min(roof_serve_cost *cost, const roof_gp_shape *h, double x0, double *t, roof_error *err);

/* The first SLO this pool's point misses (the e2e of a pool is left to
 * the caller), or -1. */
int roof_gp_missed(const roof_gp_shape *h, const roof_gp_point *p, const roof_slo *slos, int nslo);

/* The lowest load the searches look at, as a share of the limits' x. */
#define ROOF_GP_X_FLOOR 1e-9

#endif
