/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The serving side of the plan search (analysis/search.h): `search
 * --objective goodput` and `goodput-per-dollar` rank plans and engine
 * knobs (chunk, max_batch and, with --disagg, the prefill replicas) by
 * the goodput of the analytic steady state under SLOs
 * (analysis/serve_goodput.c). The grids of the knobs, the evaluation of
 * one plan's configurations on one op-list cache, and the figures of the
 * best K. Nothing here allocates but roof_search_goodput_fill's scenario.
 */
#ifndef ROOF_ANALYSIS_SEARCH_GOODPUT_H
#define ROOF_ANALYSIS_SEARCH_GOODPUT_H

#include "analysis/search.h"

/* ROOF_GOODPUT_PER_GPU for "goodput", ROOF_GOODPUT_PER_USD for
 * "goodput-per-dollar", else 0; *m: the stand-in metric of the ranking
 * (its name, unit and direction; its accessor reads NaN). */
int roof_search_goodput_objective(const char *name, const roof_metric **m);

/* Fills sv's grids (the defaults, each with o->fixed's value added) and
 * checks what the search needs: traffic lengths rather than a trace, a
 * price for per-dollar, a cluster link for --disagg. */
int roof_search_serving_init(roof_search_serving *sv, const roof_search_opts *o, const roof_scenario *s,
                             roof_error *err);

/* How a plan ended. */
enum { ROOF_GOODPUT_PLAN_OK, ROOF_GOODPUT_PLAN_MODEL, ROOF_GOODPUT_PLAN_MEMORY, ROOF_GOODPUT_PLAN_SCREENED };

/* The configurations list[0..n) of one plan (one tp..etp): the plan's
 * replica (dp 1) on cost, then each configuration's objective into
 * obj[0..n). *status: the plan's fate; the error return is reserved for
 * results the model refuses (roof_result_error) and bad inputs. s is
 * scratch (a copy of the base scenario).
 * kbest (aggregated; NULL: every goodput exact, --exhaustive): the best
 * objectives so far, descending, nbest of at most top, of configurations
 * numbered before list's; scratch, overwritten. With K = top of them the
 * K-th best is a floor: where the screen (roof_serve_goodput_screen)
 * shows every configuration's objective below it (at 0: goodput 0, which
 * ties and so ranks after them), *status is ROOF_GOODPUT_PLAN_SCREENED and
 * obj is not filled (none can enter the best K). Otherwise each objective
 * is the exact search's, bit for bit (the screen's points only fill the
 * op-list cache), or NaN where the SLO boundary's points show it below
 * the K-th best of kbest and this plan's objectives found before it (its
 * batch limit's branch and bound skipped: roof_goodput_memo.floor). */
int roof_search_goodput_plan(roof_serve_cost *cost, roof_goodput_memo *memo, roof_scenario *s,
                             const roof_search_serving *sv, const roof_plan_choice *list, int64_t n, double *kbest,
                             size_t nbest, size_t top, double *obj, int *status, roof_error *err);

/* The figures of each row of res (goodput, per GPU and per USD/hour,
 * the bound and the means at the goodput), from serve_analytic.c and
 * serve_disagg.c at that rate, on the search's cost and memo (scratch:
 * retargeted to each row's plan; the op times kept, the hw being one). */
int roof_search_goodput_fill(roof_serve_cost *cost, roof_goodput_memo *memo, const roof_scenario *base,
                             const roof_search_serving *sv, roof_search_result *res, roof_error *err);

/* "ttft_p90<=1", "engine.max_batch", "engine.max_tokens" or "kv_cache". */
const char *roof_search_goodput_bound(const roof_search_serving *sv, int bound);

#endif
