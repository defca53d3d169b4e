/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the serving tests share: a config of configs/ (LLMROOF_CONFIGS) on
 * h100-sxm, one --set of serve's settings, and one simulation run from the
 * cost model to the statistics; each fails the test with the library's
 * error. The caller frees the run's sim and cost. Include it after
 * cmocka.h. */
#ifndef ROOF_TESTS_SERVE_RUN_H
#define ROOF_TESTS_SERVE_RUN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/serve.h"
#include "model/config.h"

static inline void load_config(const char *name, roof_scenario *s)
{
    char path[1024];
    const char *dir = getenv("LLMROOF_CONFIGS");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "configs", name);
    roof_error err;
    if (roof_scenario_load(path, NULL, NULL, "h100-sxm", NULL, 0, s, NULL, &err) != ROOF_OK)
        fail_msg("load %s: %s: %s", path, err.where, err.msg);
}

static inline void set(roof_serve_cfg *c, const char *a)
{
    roof_error err;
    if (roof_serve_set(c, a, &err) != ROOF_OK)
        fail_msg("set %s: %s: %s", a, err.where, err.msg);
}

/* Runs c on s into sim and st. */
static inline void run(const roof_scenario *s, const roof_serve_cfg *c, roof_serve_cost **cost, roof_serve_sim *sim,
                       roof_serve_stats *st)
{
    roof_error err;
    roof_request *reqs;
    int64_t n;
    if (roof_serve_cost_new(s, &c->engine, cost, &err) != ROOF_OK ||
        roof_serve_requests(&c->traffic, &reqs, &n, &err) != ROOF_OK ||
        roof_serve_run(*cost, c, reqs, n, NULL, NULL, sim, &err) != ROOF_OK ||
        roof_serve_stats_of(sim, roof_serve_cost_capacity(*cost), NULL, 0, st, &err) != ROOF_OK)
        fail_msg("serve: %s: %s", err.where, err.msg);
}

#endif
