/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The requests of a serving run: arrival times (a Poisson process, a closed
 * loop of fixed concurrency, or a trace) and prompt and output lengths
 * (fixed, uniform or lognormal), drawn with GSL's Mersenne Twister
 * (gsl_rng_mt19937) from traffic.seed so that one seed gives one run. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/serve.h"
#include "core/csv.h"

/* A length of dist with the given mean and spread, rounded to a whole
 * token, at least 1. Lognormal: if ln X ~ N(mu, sigma^2), then
 * E[X] = exp(mu + sigma^2 / 2) and CV^2 = exp(sigma^2) - 1 (Johnson, Kotz
 * and Balakrishnan, "Continuous Univariate Distributions" vol. 1, ch. 14),
 * so sigma^2 = ln(1 + CV^2) and mu = ln(mean) - sigma^2 / 2. */
static int64_t draw(gsl_rng *r, int dist, double mean, double spread)
{
    double x = mean;
    if (dist == ROOF_DIST_UNIFORM && spread > 0.0)
        x = gsl_ran_flat(r, mean * (1.0 - spread), mean * (1.0 + spread));
    else if (dist == ROOF_DIST_LOGNORMAL && spread > 0.0) {
        double s2 = log1p(spread * spread);
        x = gsl_ran_lognormal(r, log(mean) - 0.5 * s2, sqrt(s2));
    }
    x = nearbyint(x);
    if (x < 1.0)
        return 1;
    return x > 1e9 ? (int64_t)1e9 : (int64_t)x;
}

static int trace_count(const roof_csv *csv, size_t row, int col, const char *name, const char *path, int64_t *out,
                       roof_error *err)
{
    double v;
    int rc = roof_csv_number(roof_csv_cell(csv, row, col), name, 0, path, csv->lines[row], &v, err);
    if (rc != ROOF_OK)
        return rc;
    if (v < 1.0 || v > 1e9 || v != floor(v)) {
        return roof_error_at(err, ROOF_ERR_INPUT, path, csv->lines[row],
                             "'%s' must be a whole number in [1, 1e9] (got %g)", name, v);
    }
    *out = (int64_t)v;
    return ROOF_OK;
}

static int read_trace(const roof_traffic *t, roof_request **reqs, int64_t *n, roof_error *err)
{
    roof_csv csv;
    memset(&csv, 0, sizeof csv);
    int rc = roof_csv_read(t->trace, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    static const char *const names[3] = {"arrival_s", "prompt_tokens", "output_tokens"};
    int col[3];
    for (int i = 0; i < 3 && rc == ROOF_OK; i++)
        if ((col[i] = roof_csv_col(&csv, names[i])) < 0)
            rc = roof_error_set(err, ROOF_ERR_INPUT, t->trace,
                                "no column '%s' (a trace has arrival_s,"
                                "prompt_tokens,output_tokens)",
                                names[i]);
    if (rc == ROOF_OK && csv.nrows == 0)
        rc = roof_error_set(err, ROOF_ERR_INPUT, t->trace, "the trace has no requests");
    roof_request *q = rc == ROOF_OK ? malloc(csv.nrows * sizeof *q) : NULL;
    if (rc == ROOF_OK && !q)
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, t->trace, "out of memory");
    for (size_t i = 0; rc == ROOF_OK && i < csv.nrows; i++) {
        double a;
        rc = roof_csv_number(roof_csv_cell(&csv, i, col[0]), names[0], 0, t->trace, csv.lines[i], &a, err);
        if (rc == ROOF_OK && (a < 0.0 || (i > 0 && a < q[i - 1].arrival_s))) {
            rc = roof_error_at(err, ROOF_ERR_INPUT, t->trace, csv.lines[i],
                               a < 0.0 ? "'arrival_s' must not be negative (got %g)"
                                       : "'arrival_s' must not decrease (got %g after %g)",
                               a, i > 0 ? q[i - 1].arrival_s : 0.0);
        }
        if (rc == ROOF_OK) {
            q[i].arrival_s = a;
            rc = trace_count(&csv, i, col[1], names[1], t->trace, &q[i].prompt, err);
        }
        if (rc == ROOF_OK)
            rc = trace_count(&csv, i, col[2], names[2], t->trace, &q[i].output, err);
    }
    if (rc == ROOF_OK) {
        *reqs = q;
        *n = (int64_t)csv.nrows;
    } else
        free(q);
    roof_csv_free(&csv);
    return rc;
}

int roof_serve_requests(const roof_traffic *t, roof_request **reqs, int64_t *n, roof_error *err)
{
    *reqs = NULL;
    *n = 0;
    if (t->arrival == ROOF_ARRIVAL_TRACE)
        return read_trace(t, reqs, n, err);
    roof_request *q = malloc((size_t)t->requests * sizeof *q);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!q || !r) {
        free(q);
        gsl_rng_free(r);
        return roof_error_set(err, ROOF_ERR_RUNTIME, "traffic", "out of memory for %lld requests",
                              (long long)t->requests);
    }
    gsl_rng_set(r, (unsigned long)t->seed);
    double now = 0.0;
    for (int64_t i = 0; i < t->requests; i++) {
        /* Poisson arrivals: exponential gaps of mean 1 / rate. */
        if (t->arrival == ROOF_ARRIVAL_POISSON)
            now += gsl_ran_exponential(r, 1.0 / t->rate);
        q[i].arrival_s = now;
        q[i].prompt = draw(r, t->prompt_dist, t->prompt_mean, t->prompt_spread);
        q[i].output = draw(r, t->output_dist, t->output_mean, t->output_spread);
    }
    gsl_rng_free(r);
    *reqs = q;
    *n = t->requests;
    return ROOF_OK;
}
