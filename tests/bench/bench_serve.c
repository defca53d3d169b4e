/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The serving simulation's speed (issue 19: 10,000 requests in 50 ms or
 * less on one core): Llama-3-70B on 8 x H100 (configs/llama3-70b-tp8.cfg)
 * at 10 requests/s, 2048 prompt and 256 output tokens, 10,000 requests,
 * from the requests to the statistics, a fresh iteration-time cache each
 * repetition (its evaluations are counted in). Prints the median and the
 * minimum over the repetitions (CLOCK_MONOTONIC), and the cache's
 * evaluations and hits. A timing, never a pass/fail test. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "analysis/serve.h"
#include "model/config.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *config = argc > 1 ? argv[1] : "configs/llama3-70b-tp8.cfg";
    enum { REPS = 9 };
    static roof_scenario s;
    roof_error err;
    if (roof_scenario_load(config, NULL, NULL, "h100-sxm", NULL, 0, &s, NULL, &err) != ROOF_OK) {
        fprintf(stderr, "bench_serve: %s: %s\n", err.where, err.msg);
        return 1;
    }
    roof_serve_cfg c;
    roof_serve_defaults(&c);
    c.traffic.rate = 10.0;
    c.traffic.requests = 10000;
    double t[REPS];
    int64_t evals = 0, hits = 0, iters = 0;
    for (int r = 0; r < REPS; r++) {
        double t0 = now_s();
        roof_serve_cost *cost;
        roof_request *reqs;
        int64_t n;
        roof_serve_sim sim;
        roof_serve_stats st;
        if (roof_serve_cost_new(&s, &c.engine, &cost, &err) != ROOF_OK ||
            roof_serve_requests(&c.traffic, &reqs, &n, &err) != ROOF_OK ||
            roof_serve_run(cost, &c, reqs, n, NULL, NULL, &sim, &err) != ROOF_OK ||
            roof_serve_stats_of(&sim, roof_serve_cost_capacity(cost), NULL, 0, &st, &err) != ROOF_OK) {
            fprintf(stderr, "bench_serve: %s: %s\n", err.where, err.msg);
            return 1;
        }
        t[r] = now_s() - t0;
        roof_serve_cost_counts(cost, &evals, &hits);
        iters = sim.niters;
        roof_serve_sim_free(&sim);
        roof_serve_cost_free(cost);
    }
    qsort(t, REPS, sizeof t[0], cmp);
    printf("serve_10k_requests_median_s %.6f\nserve_10k_requests_min_s %.6f\niterations %lld\ncost_evaluations %lld\n"
           "cost_cache_hits %lld\n",
           t[REPS / 2], t[0], (long long)iters, (long long)evals, (long long)hits);
    return 0;
}
