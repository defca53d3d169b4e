/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The error bars of a report (analysis/interval.h): the p10-p90 interval
 * of each headline metric, shown beside the number in the table form
 * ("1.24 s (1.1-1.45)") and as metrics_interval.NAME.p10 / .p90 in json.
 * --no-interval hides them. */
#ifndef ROOF_CLI_INTERVAL_OUT_H
#define ROOF_CLI_INTERVAL_OUT_H

#include "cli/out.h"
#include "model/evaluate.h"

#define ROOF_IV_MAX 16

typedef struct roof_iv_set {
    size_t n;
    const char *key[ROOF_IV_MAX];    /* the report's field */
    const char *metric[ROOF_IV_MAX]; /* the analysis metric (analysis/metric.c) */
    double lo[ROOF_IV_MAX], hi[ROOF_IV_MAX];
} roof_iv_set;

/* The intervals of the headline metrics of s (inference or training) under
 * the built-in error model. */
int roof_iv_compute(const roof_scenario *s, int training, roof_iv_set *iv, roof_error *err);

/* The same for the metrics named (analysis/metric.c), shown as keys (the
 * strings must outlive iv); at most ROOF_IV_MAX. */
int roof_iv_compute_named(const roof_scenario *s, const char *const *keys, const char *const *metrics, size_t n,
                          roof_iv_set *iv, roof_error *err);

/* One metric field: a number, or in the table form with iv (may be NULL)
 * holding key, "NUMBER (P10-P90)". */
void roof_iv_put(roof_out *out, roof_format fmt, const roof_iv_set *iv, const char *key, const char *unit, double v);

/* In the table form, key as "NUMBER UNIT (P10-P90)" when v and lo are
 * finite and hi is a number (+inf: "unbounded"); returns 1 if it wrote
 * key, 0 for the caller to write the plain number its own way. */
int roof_iv_put_text(roof_out *out, roof_format fmt, const char *key, const char *unit, double v, double lo, double hi);

/* The columns metrics_interval.KEY.p10 and .p90 of a row (null where not
 * finite): the json and csv forms of a row's interval. */
void roof_iv_put_bounds(roof_out *out, const char *key, double lo, double hi);

/* "NUMBER UNIT (P10-P90)" in buf; "(P10-unbounded)" where P90 is +inf
 * (draws that saturate the engine). */
void roof_iv_text(double v, double lo, double hi, const char *unit, char *buf, size_t size);

/* The json section metrics_interval: {NAME: {p10, p90}} (nothing in other
 * forms or when iv is NULL). */
void roof_iv_put_json(roof_out *out, roof_format fmt, const roof_iv_set *iv);

/* A note on what the intervals are (the table form). */
void roof_iv_note(roof_out *out, roof_format fmt, const roof_iv_set *iv);

#endif
