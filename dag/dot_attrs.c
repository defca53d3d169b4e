/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The node attributes both DOT readers share (declared in dag/dot_attrs.h):
 * the known names, Graphviz's styling ones, and how a node's values are
 * parsed and checked. dot_fast.c and dot_read.c both call this file; it
 * calls neither, and dot_read.c alone calls dot_fast.c. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/suggest.h"
#include "dag/dot.h"
#include "dag/dot_attrs.h"
#include "dag/dot_err.h"

const char *const roof_dot_known[K_N] = {"op",    "kind",       "gemm",    "batch", "shared_b", "dtype",  "flops",
                                         "bytes", "collective", "group",   "nodes", "count",    "time_s", "repeat",
                                         "gpu",   "b_bytes",    "dequant", "pairs", "keys",     "tiles"};
/* Graphviz's own node attributes that only style or place the drawing
 * (and those `dot -Tdot` adds after a layout). */
static const char *const styling[] = {
    "label",    "xlabel",  "shape", "style",  "color",       "fillcolor",   "fontcolor", "penwidth",  "fontname",
    "fontsize", "tooltip", "width", "height", "margin",      "peripheries", "fixedsize", "URL",       "href",
    "id",       "class",   "pos",   "rects",  "orientation", "sides",       "skew",      "distortion"};
#define NSTYLING (sizeof styling / sizeof styling[0])

int roof_dot_known_index(const char *name)
{
    for (int i = 0; i < K_N; i++)
        if (strcmp(name, roof_dot_known[i]) == 0)
            return i;
    return -1;
}

int roof_dot_is_styling(const char *name)
{
    for (size_t i = 0; i < NSTYLING; i++)
        if (strcmp(name, styling[i]) == 0)
            return 1;
    return 0;
}

/* "node 'NAME': ...", the name cut as roof_dag_shown cuts it: a node
 * name of 20000 bytes would fill the message and hide what is wrong. */
static int node_error(roof_error *err, int code, const char *path, const char *node, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int node_error(roof_error *err, int code, const char *path, const char *node, const char *fmt, ...)
{
    char msg[sizeof err->msg], cut[ROOF_DAG_NAME_SHOWN + 1];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return roof_error_set(err, code, path, "node '%s': %s", roof_dag_shown(node, cut), msg);
}

int roof_dot_unknown(const char *path, const char *node, const char *attr, roof_error *err)
{
    const char *hint = roof_suggest(attr, roof_dot_known, K_N);
    char h[96] = "";
    if (hint)
        snprintf(h, sizeof h, " (did you mean '%s'?)", hint);
    char cut[ROOF_DAG_NAME_SHOWN + 1];
    return node_error(err, ROOF_ERR_INPUT, path, node, "unknown attribute '%s'%s", roof_dag_shown(attr, cut), h);
}

static int num(const char *path, const char *node, const char *attr, const char *text, double *out, roof_error *err)
{
    errno = 0;
    char *end;
    double x = strtod(text, &end);
    while (*end == ' ')
        end++;
    char cut[ROOF_DAG_NAME_SHOWN + 1];
    if (end == text || *end || errno || !isfinite(x))
        return node_error(err, ROOF_ERR_INPUT, path, node, "'%s' is not a number (got '%s')", attr,
                          roof_dag_shown(text, cut));
    if (x < 0.0)
        return node_error(err, ROOF_ERR_INPUT, path, node, "'%s' must not be negative (got %s)", attr,
                          roof_dag_shown(text, cut));
    *out = x;
    return ROOF_OK;
}

/* A count (group=, nodes=): a whole number that fits int64_t. Converting a
 * larger double to int64_t is undefined behaviour in C (found by
 * fuzz/dot.c: group="1e30"), and a fraction would be cut silently. */
static int count(const char *path, const char *node, const char *attr, const char *text, int64_t *out, roof_error *err)
{
    double x;
    int rc = num(path, node, attr, text, &x, err);
    if (rc != ROOF_OK)
        return rc;
    char cut[ROOF_DAG_NAME_SHOWN + 1];
    if (x != floor(x))
        return node_error(err, ROOF_ERR_INPUT, path, node, "'%s' must be a whole number (got %s)", attr,
                          roof_dag_shown(text, cut));
    if (x >= 9223372036854775808.0) /* 2^63 */
        return node_error(err, ROOF_ERR_INPUT, path, node, "'%s' is too large for a count (got %s)", attr,
                          roof_dag_shown(text, cut));
    *out = (int64_t)x;
    return ROOF_OK;
}

/* gemm="m,k,n": three positive numbers. */
static int dims(const char *path, const char *node, const char *text, roof_gemm *g, roof_error *err)
{
    char cut[ROOF_DAG_NAME_SHOWN + 1];
    double d[3];
    const char *p = text;
    for (int i = 0; i < 3; i++) {
        char *end;
        errno = 0;
        d[i] = strtod(p, &end);
        if (end == p || errno || !(d[i] > 0.0) || !isfinite(d[i]))
            goto bad;
        while (*end == ' ')
            end++;
        if (i < 2 && *end != ',')
            goto bad;
        p = end + (i < 2);
    }
    if (*p)
        goto bad;
    g->m = d[0], g->k = d[1], g->n = d[2];
    return ROOF_OK;
bad:
    return node_error(err, ROOF_ERR_INPUT, path, node, "'gemm' must be three positive dims \"m,k,n\" (got '%s')",
                      roof_dag_shown(text, cut));
}

/* Prefixes a library error (dtype, collective) with the node. */
static int about_node(const char *path, const char *node, roof_error *err)
{
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%s", err->msg);
    return node_error(err, ROOF_ERR_INPUT, path, node, "%s", msg);
}

void roof_dot_node_init(roof_dag_node *v)
{
    v->gemm.batch = 1.0;
    v->gemm.dtype = ROOF_DT_BF16;
}

int roof_dot_apply(const char *path, roof_dag *g, roof_dag_node *v, const char *const *vals, roof_error *err)
{
    const char *name = v->name, *t;
    int rc = ROOF_OK;
    if ((t = vals[K_OP]) && strcmp(t, v->op) != 0) {
        char *d = roof_dag_strdup(g, t);
        if (!d)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
        v->op = d;
    }
    if ((t = vals[K_GPU])) {
        char *d = roof_dag_strdup(g, t);
        if (!d)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
        v->gpus = d;
    }
    if ((t = vals[K_GEMM])) {
        v->has_gemm = 1;
        rc = dims(path, name, t, &v->gemm, err);
    }
    if (rc == ROOF_OK && (t = vals[K_BATCH]))
        rc = num(path, name, "batch", t, &v->gemm.batch, err);
    if (rc == ROOF_OK && (t = vals[K_SHARED_B]))
        v->gemm.shared_b = strcmp(t, "0") != 0 && strcmp(t, "false") != 0;
    if (rc == ROOF_OK && (t = vals[K_DTYPE]) && roof_dtype_parse(t, &v->gemm.dtype, err) != ROOF_OK)
        rc = about_node(path, name, err);
    if (rc == ROOF_OK && (t = vals[K_FLOPS]))
        rc = num(path, name, "flops", t, &v->flops, err);
    if (rc == ROOF_OK && (t = vals[K_BYTES]) && (rc = num(path, name, "bytes", t, &v->bytes, err)) == ROOF_OK)
        v->comm.bytes = v->bytes;
    if (rc == ROOF_OK && (t = vals[K_COLLECTIVE])) {
        v->has_comm = 1;
        if (roof_collective_parse(t, &v->comm.op, err) != ROOF_OK)
            rc = about_node(path, name, err);
    }
    if (rc == ROOF_OK && (t = vals[K_GROUP]))
        rc = count(path, name, "group", t, &v->comm.group, err);
    if (rc == ROOF_OK && (t = vals[K_NODES]))
        rc = count(path, name, "nodes", t, &v->comm.nodes, err);
    if (rc == ROOF_OK && (t = vals[K_COUNT]))
        rc = num(path, name, "count", t, &v->count, err);
    if (rc == ROOF_OK && (t = vals[K_B_BYTES]))
        rc = num(path, name, "b_bytes", t, &v->gemm.b_elem_bytes, err);
    if (rc == ROOF_OK && (t = vals[K_DEQUANT]))
        rc = num(path, name, "dequant", t, &v->dequant_elems, err);
    if (rc == ROOF_OK && (t = vals[K_PAIRS]))
        rc = num(path, name, "pairs", t, &v->attn_pairs, err);
    if (rc == ROOF_OK && (t = vals[K_KEYS]))
        rc = num(path, name, "keys", t, &v->attn_keys, err);
    if (rc == ROOF_OK && (t = vals[K_TILES]))
        rc = num(path, name, "tiles", t, &v->attn_tiles, err);
    if (rc == ROOF_OK && (t = vals[K_REPEAT]))
        rc = num(path, name, "repeat", t, &v->repeat, err);
    if (rc == ROOF_OK && (t = vals[K_TIME_S]) && (rc = num(path, name, "time_s", t, &v->time_s, err)) == ROOF_OK)
        v->has_time = 1;
    if (rc == ROOF_OK && (t = vals[K_KIND])) {
        char cut[ROOF_DAG_NAME_SHOWN + 1];
        if (roof_dag_kind_parse(t, &v->kind) != ROOF_OK)
            return node_error(err, ROOF_ERR_INPUT, path, name,
                              "unknown kind '%s' (expected none, gemm, fused, elementwise, comm or route)",
                              roof_dag_shown(t, cut));
        v->kind_set = 1;
    }
    return rc;
}

void roof_dot_node_finish(roof_dag_node *v)
{
    if (v->kind_set)
        return;
    v->kind = v->has_gemm                        ? ROOF_DAG_GEMM
              : v->has_comm                      ? ROOF_DAG_COMM
              : v->flops > 0.0 || v->bytes > 0.0 ? ROOF_DAG_ELEMWISE
                                                 : ROOF_DAG_NONE;
}
