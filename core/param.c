/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/param.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/number.h"
#include "core/suggest.h"
#include "core/units.h"

const roof_param *roof_param_find(const roof_param_table *t, const char *path)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->params[i].path, path) == 0)
            return &t->params[i];
    return NULL;
}

const char *roof_param_local_path(const roof_param_table *t, const roof_param *p)
{
    size_t n = strlen(t->section);
    if (strncmp(p->path, t->section, n) == 0 && p->path[n] == '.')
        return p->path + n + 1;
    return p->path;
}

double roof_param_get(const roof_param *p, const void *base)
{
    const char *field = (const char *)base + p->offset;
    switch (p->kind) {
    case ROOF_PARAM_INT: {
        int64_t v;
        memcpy(&v, field, sizeof v);
        return (double)v;
    }
    case ROOF_PARAM_BOOL: {
        int v;
        memcpy(&v, field, sizeof v);
        return v ? 1.0 : 0.0;
    }
    case ROOF_PARAM_ENUM: {
        int v;
        memcpy(&v, field, sizeof v);
        return (double)v;
    }
    case ROOF_PARAM_DOUBLE:
    default: {
        double v;
        memcpy(&v, field, sizeof v);
        return v;
    }
    }
}

void roof_param_put(const roof_param *p, void *base, double v)
{
    char *field = (char *)base + p->offset;
    switch (p->kind) {
    case ROOF_PARAM_INT: {
        /* Callers check the range first; this keeps the conversion defined
         * (NaN or beyond int64_t is undefined behaviour) for any caller. */
        if (!(v >= -ROOF_PARAM_INT_MAX))
            v = isnan(v) ? 0.0 : -ROOF_PARAM_INT_MAX;
        else if (v > ROOF_PARAM_INT_MAX)
            v = ROOF_PARAM_INT_MAX;
        int64_t iv = (int64_t)v;
        memcpy(field, &iv, sizeof iv);
        break;
    }
    case ROOF_PARAM_BOOL: {
        int bv = v != 0.0;
        memcpy(field, &bv, sizeof bv);
        break;
    }
    case ROOF_PARAM_ENUM: {
        int ev = (int)v;
        memcpy(field, &ev, sizeof ev);
        break;
    }
    case ROOF_PARAM_DOUBLE:
    default:
        memcpy(field, &v, sizeof v);
        break;
    }
}

int roof_param_choice(const roof_param *p, const char *name)
{
    for (int i = 0; p->choices && p->choices[i]; i++)
        if (strcmp(p->choices[i], name) == 0)
            return i;
    return -1;
}

const char *roof_param_choice_name(const roof_param *p, int index)
{
    for (int i = 0; p->choices && p->choices[i]; i++)
        if (i == index)
            return p->choices[i];
    return "?";
}

void roof_param_choices_text(const roof_param *p, char *buf, size_t size)
{
    size_t used = 0;
    int n = 0;
    while (p->choices && p->choices[n])
        n++;
    buf[0] = '\0';
    for (int i = 0; i < n && used < size; i++) {
        const char *sep = i == 0 ? "" : i == n - 1 ? " or " : ", ";
        int w = snprintf(buf + used, size - used, "%s%s", sep, p->choices[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

int roof_param_check(const roof_param *p, const char *shown_path, double v, int code, const char *where,
                     roof_error *err)
{
    if (p->kind == ROOF_PARAM_ENUM)
        return ROOF_OK; /* parsing by name already checked it */
    if (p->kind == ROOF_PARAM_BOOL) {
        if (v != 0.0 && v != 1.0)
            return roof_error_set(err, code, where, "'%s' must be true or false (got %g)", shown_path, v);
        return ROOF_OK;
    }
    /* A float literal such as 1e400 reads as inf: no parameter takes it. */
    if (!isfinite(v))
        return roof_error_set(err, code, where, "'%s' must be a finite number (got %g)", shown_path, v);
    if (p->kind == ROOF_PARAM_INT && v != floor(v))
        return roof_error_set(err, code, where, "'%s' must be a whole number (got %g)", shown_path, v);
    /* Counts are stored as int64_t: a double beyond 2^53 is no longer a
     * whole count, and beyond 2^63 the conversion is undefined behaviour. */
    if (p->kind == ROOF_PARAM_INT && !(v <= ROOF_PARAM_INT_MAX))
        return roof_error_set(err, code, where, "'%s' is too large for a count (got %g, at most 2^53)", shown_path, v);
    if ((p->flags & ROOF_PARAM_ZERO_OK) && v == 0.0)
        return ROOF_OK;
    int below = (p->flags & ROOF_PARAM_MIN_OPEN) ? !(v > p->min) : !(v >= p->min);
    if (below || !(v <= p->max)) {
        if ((p->flags & ROOF_PARAM_MIN_OPEN) && p->min == 0.0 && isinf(p->max))
            return roof_error_set(err, code, where, "'%s' must be positive (got %g)", shown_path, v);
        if (!(p->flags & ROOF_PARAM_MIN_OPEN) && isinf(p->max))
            return roof_error_set(err, code, where, "'%s' must be at least %g (got %g)", shown_path, p->min, v);
        return roof_error_set(err, code, where, "'%s' must be in %c%g, %g] (got %g)", shown_path,
                              (p->flags & ROOF_PARAM_MIN_OPEN) ? '(' : '[', p->min, p->max, v);
    }
    return ROOF_OK;
}

double roof_param_clamp(const roof_param *p, double v)
{
    if (p->kind != ROOF_PARAM_DOUBLE && p->kind != ROOF_PARAM_INT)
        return v;
    double lo = p->min, hi = p->kind == ROOF_PARAM_INT && p->max > ROOF_PARAM_INT_MAX ? ROOF_PARAM_INT_MAX : p->max;
    if (p->flags & ROOF_PARAM_MIN_OPEN)
        lo = p->kind == ROOF_PARAM_INT ? floor(lo) + 1.0 : nextafter(lo, INFINITY);
    else if (p->kind == ROOF_PARAM_INT)
        lo = ceil(lo);
    if (p->kind == ROOF_PARAM_INT)
        hi = floor(hi);
    if (v < lo)
        return lo;
    if (v > hi)
        return hi;
    return v;
}

/* Collects every path of every table, for the "did you mean" hint. */
static const char *nearest_path(const roof_param_table *const *tables, size_t ntables, const char *path)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t t = 0; t < ntables; t++) {
        for (size_t i = 0; i < tables[t]->count; i++) {
            const char *cand = tables[t]->params[i].path;
            size_t d = roof_edit_distance(path, cand);
            if (d < best_d) {
                best_d = d;
                best = cand;
            }
        }
    }
    if (best) {
        const char *only[] = {best};
        return roof_suggest(path, only, 1);
    }
    return NULL;
}

static int parse_bool_word(const char *text, double *out)
{
    if (strcmp(text, "true") == 0 || strcmp(text, "yes") == 0 || strcmp(text, "on") == 0) {
        *out = 1.0;
        return 1;
    }
    if (strcmp(text, "false") == 0 || strcmp(text, "no") == 0 || strcmp(text, "off") == 0) {
        *out = 0.0;
        return 1;
    }
    return 0;
}

int roof_param_parse_value(const roof_param *p, const char *shown_path, const char *text, double *out, int code,
                           const char *where, roof_error *err)
{
    if (p->kind == ROOF_PARAM_ENUM) {
        int i = roof_param_choice(p, text);
        if (i < 0) {
            char choices[256];
            roof_param_choices_text(p, choices, sizeof choices);
            return roof_error_set(err, code, where, "'%s' must be %s (got '%s')", shown_path, choices, text);
        }
        *out = (double)i;
        return ROOF_OK;
    }
    if (p->kind == ROOF_PARAM_BOOL && parse_bool_word(text, out))
        return ROOF_OK;
    roof_error perr;
    if (roof_parse_double(text, out, &perr) != ROOF_OK) {
        /* A switch takes a word: say which, not that it is not a number. */
        if (p->kind == ROOF_PARAM_BOOL)
            return roof_error_set(err, code, where, "'%s' must be true or false (got '%s')", shown_path, text);
        return roof_error_set(err, code, where, "'%s': %s", shown_path, perr.msg);
    }
    return roof_param_check(p, shown_path, *out, code, where, err);
}

int roof_param_set(const roof_param_table *const *tables, void *const *bases, size_t ntables, const char *assignment,
                   roof_error *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return roof_error_set(err, ROOF_ERR_USAGE, "--set", "expected PATH=VALUE (got '%s')", assignment);
    char path[128];
    size_t plen = (size_t)(eq - assignment);
    if (plen == 0 || plen >= sizeof path)
        return roof_error_set(err, ROOF_ERR_USAGE, "--set", "bad parameter path in '%s'", assignment);
    memcpy(path, assignment, plen);
    path[plen] = '\0';
    const char *text = eq + 1;

    for (size_t t = 0; t < ntables; t++) {
        const roof_param *p = roof_param_find(tables[t], path);
        if (!p)
            continue;
        double v = 0.0;
        int rc = roof_param_parse_value(p, path, text, &v, ROOF_ERR_USAGE, "--set", err);
        if (rc != ROOF_OK)
            return rc;
        roof_param_put(p, bases[t], v);
        return ROOF_OK;
    }
    size_t t;
    const roof_param *p;
    return roof_param_lookup(tables, ntables, path, "--set", &t, &p, err);
}

void roof_param_format(const roof_param *p, double v, char *buf, size_t size)
{
    if (p->kind == ROOF_PARAM_ENUM) {
        snprintf(buf, size, "%s", roof_param_choice_name(p, (int)v));
        return;
    }
    if (p->kind == ROOF_PARAM_BOOL) {
        snprintf(buf, size, "%s", v != 0.0 ? "true" : "false");
        return;
    }
    if (p->kind == ROOF_PARAM_INT) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    roof_units_format(v, p->unit, buf, size);
}

int roof_param_lookup(const roof_param_table *const *tables, size_t ntables, const char *path, const char *where,
                      size_t *table, const roof_param **param, roof_error *err)
{
    for (size_t t = 0; t < ntables; t++) {
        const roof_param *p = roof_param_find(tables[t], path);
        if (p) {
            *table = t;
            *param = p;
            return ROOF_OK;
        }
    }
    const char *hint = nearest_path(tables, ntables, path);
    if (hint)
        return roof_error_set(err, ROOF_ERR_USAGE, where, "unknown parameter '%s' (did you mean '%s'?)", path, hint);
    return roof_error_set(err, ROOF_ERR_USAGE, where, "unknown parameter '%s' (see 'llmroof params')", path);
}
