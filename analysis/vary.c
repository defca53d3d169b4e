/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "analysis/vary.h"

#include "core/number.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int roof_knob_find(const char *path, const char *where, roof_knob *k, roof_error *err)
{
    roof_scenario dummy;
    const roof_param_table *tables[ROOF_SCENARIO_TABLES];
    void *bases[ROOF_SCENARIO_TABLES];
    roof_scenario_tables(&dummy, tables, bases);
    return roof_param_lookup(tables, ROOF_SCENARIO_TABLES, path, where, &k->table, &k->param, err);
}

static void *knob_base(const roof_knob *k, const roof_scenario *s)
{
    const roof_param_table *tables[ROOF_SCENARIO_TABLES];
    void *bases[ROOF_SCENARIO_TABLES];
    roof_scenario_tables((roof_scenario *)s, tables, bases);
    return bases[k->table];
}

double roof_knob_get(const roof_knob *k, const roof_scenario *s)
{
    return roof_param_get(k->param, knob_base(k, s));
}

void roof_knob_put(const roof_knob *k, roof_scenario *s, double v)
{
    if (k->param->kind != ROOF_PARAM_DOUBLE)
        v = round(v);
    roof_param_put(k->param, knob_base(k, s), v);
}

/* Splits "PATH=REST" into path (copied) and *rest. */
static int split_path(const char *text, const char *where, const char *syntax, char *path, size_t size,
                      const char **rest, roof_error *err)
{
    const char *eq = strchr(text, '=');
    size_t len = eq ? (size_t)(eq - text) : 0;
    if (!eq || len == 0 || len >= size || !eq[1])
        return roof_error_set(err, ROOF_ERR_USAGE, where, "expected %s (got '%s')", syntax, text);
    memcpy(path, text, len);
    path[len] = '\0';
    *rest = eq + 1;
    return ROOF_OK;
}

static int value_of(const roof_knob *k, const char *text, size_t len, const char *where, double *out, roof_error *err)
{
    char buf[128];
    if (len == 0 || len >= sizeof buf)
        return roof_error_set(err, ROOF_ERR_USAGE, where, "'%s': empty or overlong value", k->param->path);
    memcpy(buf, text, len);
    buf[len] = '\0';
    return roof_param_parse_value(k->param, k->param->path, buf, out, ROOF_ERR_USAGE, where, err);
}

static int push(roof_vary *v, double x, size_t *cap, const char *where, roof_error *err)
{
    if (v->n == ROOF_VARY_MAX_VALUES)
        return roof_error_set(err, ROOF_ERR_USAGE, where, "'%s': more than %d values", v->knob.param->path,
                              ROOF_VARY_MAX_VALUES);
    if (v->n == *cap) {
        size_t ncap = *cap ? 2 * *cap : 16;
        double *nv = realloc(v->values, ncap * sizeof *nv);
        if (!nv)
            return roof_error_set(err, ROOF_ERR_RUNTIME, where, "out of memory");
        v->values = nv;
        *cap = ncap;
    }
    v->values[v->n++] = x;
    return ROOF_OK;
}

/* START:STOP:STEP or START:STOP:xFACTOR; STOP is included when the walk
 * lands on it (within a relative 1e-9, so that 0.1 steps do not lose it). */
static int range(roof_vary *v, const char *text, const char *where, size_t *cap, roof_error *err)
{
    const char *c1 = strchr(text, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    int factor = c2 && c2[1] == 'x';
    double a, b, step;
    int rc = value_of(&v->knob, text, (size_t)(c1 - text), where, &a, err);
    if (rc == ROOF_OK)
        rc = value_of(&v->knob, c1 + 1, (size_t)(c2 - c1 - 1), where, &b, err);
    if (rc != ROOF_OK)
        return rc;
    roof_error perr;
    if (roof_parse_double(c2 + 1 + factor, &step, &perr) != ROOF_OK)
        return roof_error_set(err, ROOF_ERR_USAGE, where, "'%s': bad step '%s'", v->knob.param->path, c2 + 1);
    if (factor ? !(step > 1.0) || !(a > 0.0) : !(step > 0.0))
        return roof_error_set(err, ROOF_ERR_USAGE, where,
                              factor ? "'%s': a factor walk needs START > 0 and FACTOR > 1 (got '%s')"
                                     : "'%s': STEP must be positive (got '%s')",
                              v->knob.param->path, c2 + 1);
    if (b < a)
        return roof_error_set(err, ROOF_ERR_USAGE, where, "'%s': STOP is below START in '%s'", v->knob.param->path,
                              text);
    double tol = 1e-9 * fmax(fabs(a), fabs(b));
    for (size_t i = 0;; i++) {
        double x = factor ? a * pow(step, (double)i) : a + (double)i * step;
        if (x > b + tol)
            break;
        if ((rc = push(v, fmin(x, b), cap, where, err)) != ROOF_OK)
            return rc;
    }
    return ROOF_OK;
}

int roof_vary_parse(const char *text, const char *where, roof_vary *v, roof_error *err)
{
    static const char syntax[] = "PATH=LIST, PATH=START:STOP:STEP or PATH=START:STOP:xFACTOR";
    memset(v, 0, sizeof *v);
    char path[128];
    const char *rest = NULL;
    int rc = split_path(text, where, syntax, path, sizeof path, &rest, err);
    if (rc == ROOF_OK)
        rc = roof_knob_find(path, where, &v->knob, err);
    if (rc != ROOF_OK)
        return rc;
    size_t cap = 0;
    const char *c1 = strchr(rest, ':');
    if (c1) {
        const char *c2 = strchr(c1 + 1, ':');
        if (!c2 || strchr(rest, ',') || strchr(c2 + 1, ':'))
            rc = roof_error_set(err, ROOF_ERR_USAGE, where, "expected %s (got '%s')", syntax, text);
        else
            rc = range(v, rest, where, &cap, err);
    } else {
        for (const char *p = rest;;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            double x;
            if ((rc = value_of(&v->knob, p, len, where, &x, err)) != ROOF_OK ||
                (rc = push(v, x, &cap, where, err)) != ROOF_OK || !comma)
                break;
            p = comma + 1;
        }
    }
    if (rc != ROOF_OK)
        roof_vary_free(v);
    return rc;
}

void roof_vary_free(roof_vary *v)
{
    if (!v)
        return;
    free(v->values);
    v->values = NULL;
    v->n = 0;
}

int roof_vary_points(const roof_vary *v, size_t nv, const char *where, size_t *points, roof_error *err)
{
    double prod = 1.0;
    for (size_t i = 0; i < nv; i++)
        prod *= (double)v[i].n;
    if (prod > ROOF_SWEEP_MAX_POINTS)
        return roof_error_set(err, ROOF_ERR_USAGE, where, "the sweep has %.0f points, more than the limit of %d", prod,
                              ROOF_SWEEP_MAX_POINTS);
    *points = (size_t)prod;
    return ROOF_OK;
}

int roof_spread_parse(const char *text, const char *where, roof_spread *sp, roof_error *err)
{
    char path[128];
    const char *rest = NULL;
    int rc = split_path(text, where, "PATH=LOW:HIGH", path, sizeof path, &rest, err);
    if (rc == ROOF_OK)
        rc = roof_knob_find(path, where, &sp->knob, err);
    if (rc != ROOF_OK)
        return rc;
    const char *c = strchr(rest, ':');
    if (!c || strchr(c + 1, ':'))
        return roof_error_set(err, ROOF_ERR_USAGE, where, "expected PATH=LOW:HIGH (got '%s')", text);
    if ((rc = value_of(&sp->knob, rest, (size_t)(c - rest), where, &sp->low, err)) != ROOF_OK ||
        (rc = value_of(&sp->knob, c + 1, strlen(c + 1), where, &sp->high, err)) != ROOF_OK)
        return rc;
    if (sp->high < sp->low)
        return roof_error_set(err, ROOF_ERR_USAGE, where, "'%s': HIGH is below LOW in '%s'", path, rest);
    return ROOF_OK;
}
