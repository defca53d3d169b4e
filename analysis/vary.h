/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What analyses vary: parameters of a scenario named by path, and the lists
 * of values a sweep walks ("PATH=1,2,4", "PATH=1T:3T:0.5T" with a step,
 * "PATH=1:64:x2" with a factor) or the ranges Monte Carlo draws from
 * ("PATH=LOW:HIGH"). Values are parsed by the registry
 * (roof_param_parse_value), so SI suffixes, choice names and range checks
 * work as in --set. A roof_vary owns its values (roof_vary_free).
 */
#ifndef ROOF_ANALYSIS_VARY_H
#define ROOF_ANALYSIS_VARY_H

#include <stddef.h>

#include "core/error.h"
#include "model/model.h"

/* The most points one sweep may have: a product above it is an error. */
#define ROOF_SWEEP_MAX_POINTS 1000000
/* The most values one --vary may list or generate. */
#define ROOF_VARY_MAX_VALUES 100000

/* One parameter of a scenario: its registry entry and the table (index as
 * in roof_scenario_tables) whose struct holds it. */
typedef struct roof_knob {
    const roof_param *param;
    size_t table;
} roof_knob;

/* Finds PATH (ROOF_ERR_USAGE at where, with "did you mean"). */
int roof_knob_find(const char *path, const char *where, roof_knob *k, roof_error *err);
double roof_knob_get(const roof_knob *k, const roof_scenario *s);
/* Writes v (INT and BOOL kinds rounded to the nearest whole number). */
void roof_knob_put(const roof_knob *k, roof_scenario *s, double v);

typedef struct roof_vary {
    roof_knob knob;
    double *values;
    size_t n;
} roof_vary;

/* Parses "PATH=LIST|START:STOP:STEP|START:STOP:xFACTOR" (where names the
 * option in errors, e.g. "--vary"). */
int roof_vary_parse(const char *text, const char *where, roof_vary *v, roof_error *err);
void roof_vary_free(roof_vary *v);

/* The product of the value counts; an error above ROOF_SWEEP_MAX_POINTS. */
int roof_vary_points(const roof_vary *v, size_t nv, const char *where, size_t *points, roof_error *err);

/* "PATH=LOW:HIGH": a range for Monte Carlo (LOW <= HIGH, both valid). */
typedef struct roof_spread {
    roof_knob knob;
    double low, high;
} roof_spread;

int roof_spread_parse(const char *text, const char *where, roof_spread *sp, roof_error *err);

#endif
