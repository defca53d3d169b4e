/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The DAG's storage, the timing of its nodes from their attributes, and
 * the synthetic chain of diamonds of the benchmark. */
#include "dag/graph.h"
#include "dag/mem.h"
#include "hw/attention.h"
#include "model/ops.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* snprintf returns the length it would have written, not what it wrote:
 * advancing by it past a truncation left *at beyond the buffer, and the
 * next write went there (a stack overflow found with a 20000-byte node
 * name). *at never passes size - 1 here. */
void roof_dag_append(char *buf, size_t size, size_t *at, const char *fmt, ...)
{
    if (*at >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *at, size - *at, fmt, ap);
    va_end(ap);
    if (w < 0)
        buf[*at] = '\0';
    else if ((size_t)w >= size - *at)
        *at = size - 1;
    else
        *at += (size_t)w;
}

const char *roof_dag_shown(const char *text, char *buf)
{
    if (strlen(text) <= ROOF_DAG_NAME_SHOWN)
        return text;
    int cut = ROOF_DAG_NAME_SHOWN - 3;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--; /* not inside a UTF-8 character */
    snprintf(buf, ROOF_DAG_NAME_SHOWN + 1, "%.*s...", cut, text);
    return buf;
}

void roof_dag_append_name(char *buf, size_t size, size_t *at, const char *sep, const char *name)
{
    char cut[ROOF_DAG_NAME_SHOWN + 1];
    roof_dag_append(buf, size, at, "%s'%s'", sep, roof_dag_shown(name, cut));
}

static const char *const kind_names[ROOF_DAG_KIND_COUNT] = {"none", "gemm", "fused", "elementwise", "comm", "route"};

const char *roof_dag_kind_name(roof_dag_kind k)
{
    return (unsigned)k < ROOF_DAG_KIND_COUNT ? kind_names[k] : "?";
}

int roof_dag_kind_parse(const char *text, roof_dag_kind *out)
{
    for (int i = 0; i < ROOF_DAG_KIND_COUNT; i++)
        if (strcmp(text, kind_names[i]) == 0) {
            *out = (roof_dag_kind)i;
            return ROOF_OK;
        }
    return ROOF_ERR_INPUT;
}

roof_dag *roof_dag_alloc(void)
{
    return calloc(1, sizeof(roof_dag));
}

void roof_dag_free(roof_dag *g)
{
    if (!g)
        return;
    roof_arena_free(g->strings);
    free(g->nodes);
    free(g->edges);
    free(g);
}

int roof_dag_reserve(roof_dag *g, int64_t n, roof_error *err)
{
    if (n <= g->cap)
        return ROOF_OK;
    if (n > ROOF_DAG_MAX_NODES)
        n = ROOF_DAG_MAX_NODES;
    roof_dag_node *nn = roof_big_grow(g->nodes, (size_t)g->n * sizeof *nn, (size_t)n * sizeof *nn);
    if (!nn)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
    g->nodes = nn;
    g->cap = n;
    return ROOF_OK;
}

char *roof_dag_strdup(roof_dag *g, const char *s)
{
    return roof_arena_strdup(&g->strings, s);
}

static char *dup_or_null(roof_dag *g, const char *s)
{
    return s ? roof_dag_strdup(g, s) : NULL;
}

int64_t roof_dag_add_node(roof_dag *g, const char *name, const char *op, const char *where, const char *gpus,
                          roof_error *err)
{
    if (g->n >= ROOF_DAG_MAX_NODES) {
        roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "the graph would exceed %d nodes (fold it: drop --expand)",
                       ROOF_DAG_MAX_NODES);
        return -1;
    }
    if (g->n == g->cap) {
        int64_t cap = g->cap ? 2 * g->cap : 256;
        roof_dag_node *nn = roof_big_grow(g->nodes, (size_t)g->n * sizeof *nn, (size_t)cap * sizeof *nn);
        if (!nn) {
            roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
            return -1;
        }
        g->nodes = nn;
        g->cap = cap;
    }
    roof_dag_node *v = &g->nodes[g->n];
    memset(v, 0, sizeof *v);
    v->name = dup_or_null(g, name);
    /* The reader passes op == name for nodes without an op attribute:
     * share the string instead of copying a million of them. */
    v->op = op == name ? v->name : dup_or_null(g, op);
    v->where = dup_or_null(g, where);
    v->gpus = dup_or_null(g, gpus);
    if (!v->name || !v->op || (where && !v->where) || (gpus && !v->gpus)) {
        roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
        return -1;
    }
    v->count = 1.0;
    v->repeat = 1.0;
    return g->n++;
}

int roof_dag_add_edge(roof_dag *g, int64_t from, int64_t to, int dashed, roof_error *err)
{
    if (g->ne >= ROOF_DAG_MAX_EDGES)
        return roof_error_set(err, ROOF_ERR_INPUT, "dag", "the graph would exceed %d edges", ROOF_DAG_MAX_EDGES);
    if (g->ne == g->ecap) {
        int64_t cap = g->ecap ? 2 * g->ecap : 256;
        roof_dag_edge *ne = roof_big_grow(g->edges, (size_t)g->ne * sizeof *ne, (size_t)cap * sizeof *ne);
        if (!ne)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
        g->edges = ne;
        g->ecap = cap;
    }
    g->edges[g->ne++] = (roof_dag_edge){from, to, dashed};
    return ROOF_OK;
}

/* The same timing as model/ops_time.c's time_op, so that a DAG re-timed from
 * its attributes reproduces the estimate. */
static int time_node(roof_dag_node *v, const roof_hw *hw, int gflags, const char *display, roof_error *err)
{
    double t = 0.0;
    int rc = ROOF_OK;
    roof_dag_kind k = v->kind;
    if (k == ROOF_DAG_ROUTE)
        k = v->has_gemm ? ROOF_DAG_GEMM : ROOF_DAG_ELEMWISE;
    switch (k) {
    case ROOF_DAG_GEMM: {
        roof_gemm_time gt;
        rc = roof_gemm_time_of(hw, &v->gemm, v->dequant_elems > 0.0 ? gflags & ~ROOF_GEMM_TIME_ONLY : gflags, &gt, err);
        t = gt.time_s + roof_op_dequant_s(hw, &v->gemm, v->dequant_elems, &gt);
        break;
    }
    case ROOF_DAG_FUSED:
    case ROOF_DAG_ELEMWISE: {
        /* Elementwise arithmetic runs on the vector units (the fp32 peak
         * where the profile gives one), fused attention on the tensor
         * cores with its exponentials and query tiles (hw/attention.c;
         * without pairs= and keys= only its roofline). */
        roof_dtype dt = v->gemm.dtype;
        if (k == ROOF_DAG_ELEMWISE && hw->compute[ROOF_DT_FP32] > 0.0)
            dt = ROOF_DT_FP32;
        roof_kernel_time kt;
        if (k == ROOF_DAG_FUSED) {
            roof_attn_work w = {.flops = v->flops,
                                .bytes = v->bytes,
                                .pairs = v->attn_pairs,
                                .keys = v->attn_keys,
                                .tiles = v->attn_tiles}; /* no training DAG */
            rc = roof_attention_time(hw, &w, dt, gflags, &kt, err);
        } else
            rc = roof_roofline_time(hw, v->flops, v->bytes, dt, gflags, &kt, err);
        t = kt.time_s;
        break;
    }
    case ROOF_DAG_COMM: {
        roof_comm_time ct;
        rc = roof_comm_time_of(hw, &v->comm, &ct, err);
        t = ct.time_s;
        break;
    }
    default:
        break;
    }
    if (rc != ROOF_OK) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        char cut[ROOF_DAG_NAME_SHOWN + 1];
        return roof_error_set(err, rc, display, "node '%s': %s", roof_dag_shown(v->name, cut), msg);
    }
    v->time_s = t * v->count;
    return ROOF_OK;
}

/* What a node lacks to be timed ("" when nothing). */
static const char *missing(const roof_dag_node *v)
{
    switch (v->kind) {
    case ROOF_DAG_GEMM:
        return v->has_gemm ? "" : "kind 'gemm' needs dims gemm=\"m,k,n\"";
    case ROOF_DAG_COMM:
        return v->has_comm && v->comm.group > 0 ? "" : "kind 'comm' needs collective=, bytes= and group=";
    case ROOF_DAG_FUSED:
    case ROOF_DAG_ELEMWISE:
    case ROOF_DAG_ROUTE:
        return v->has_gemm || v->flops > 0.0 || v->bytes > 0.0 ? "" : "needs dims gemm=\"m,k,n\", or flops= and bytes=";
    default:
        return "";
    }
}

int roof_dag_time(roof_dag *g, const roof_hw *hw_in, int flags, const char *display, roof_error *err)
{
    /* A DAG is a whole workload: the sustained compute fraction applies,
     * as in roof_ops_time. */
    roof_hw derated;
    const roof_hw *hw = roof_ops_hw(hw_in, &derated);
    int retime = flags & ROOF_DAG_RETIME;
    int gflags = flags & ROOF_DAG_IDEAL ? ROOF_GEMM_IDEAL : 0;
    /* Name every node that lacks dims for the same reason as the first:
     * up to five, each cut to 60 bytes (a name may be any length). */
    const char *why = NULL;
    char names[400] = "";
    size_t at = 0;
    int64_t count = 0, listed = 0;
    for (int64_t i = 0; i < g->n; i++) {
        roof_dag_node *v = &g->nodes[i];
        if (v->has_time && !retime)
            continue;
        const char *m = missing(v);
        if (!m[0] || (why && strcmp(m, why) != 0))
            continue;
        why = m;
        count++;
        if (listed < 5) {
            roof_dag_append_name(names, sizeof names, &at, listed ? ", " : "", v->name);
            listed++;
        }
    }
    if (why) {
        if (count > listed)
            roof_dag_append(names, sizeof names, &at, " and %lld more", (long long)(count - listed));
        return roof_error_set(err, ROOF_ERR_INPUT, display, "node%s %s: %s", count > 1 ? "s" : "", names, why);
    }
    for (int64_t i = 0; i < g->n; i++) {
        roof_dag_node *v = &g->nodes[i];
        if (v->has_time && !retime)
            continue;
        int rc = time_node(v, hw, gflags, display, err);
        if (rc != ROOF_OK)
            return rc;
    }
    return ROOF_OK;
}

/* A chain of diamonds: a_i -> {b_i, c_i} -> a_{i+1}. b is a GEMM, c a
 * collective, a an elementwise op: every timing path of the reader runs. */
int roof_dag_synthetic(int64_t n, roof_dag *g, roof_error *err)
{
    if (n < 1 || 3 * n + 1 > ROOF_DAG_MAX_NODES)
        return roof_error_set(err, ROOF_ERR_USAGE, "--synthetic",
                              "diamonds must be in [1, %d] (3 nodes each; got %lld)", (ROOF_DAG_MAX_NODES - 1) / 3,
                              (long long)n);
    char name[64];
    int64_t prev = roof_dag_add_node(g, "a0", "add", NULL, NULL, err);
    if (prev < 0)
        return err->code;
    for (int64_t i = 0; i < n; i++) {
        int64_t ids[3];
        const char *pre[3] = {"b", "c", "a"};
        for (int j = 0; j < 3; j++) {
            snprintf(name, sizeof name, "%s%lld", pre[j], (long long)(j == 2 ? i + 1 : i));
            ids[j] = roof_dag_add_node(g, name, j == 0 ? "gemm" : j == 1 ? "all_reduce" : "add", NULL, NULL, err);
            if (ids[j] < 0)
                return err->code;
        }
        roof_dag_node *b = &g->nodes[ids[0]], *c = &g->nodes[ids[1]], *a = &g->nodes[ids[2]];
        /* Sizes vary with i so that the longest path switches sides. */
        double m = (double)(1024 + 64 * (i % 7));
        b->kind = ROOF_DAG_GEMM;
        b->has_gemm = 1;
        b->gemm = (roof_gemm){1.0, m, 4096.0, 1024.0, ROOF_DT_BF16, 1, 0.0};
        c->kind = ROOF_DAG_COMM;
        c->has_comm = 1;
        c->comm =
            (roof_comm){.op = ROOF_COLL_ALL_REDUCE, .bytes = (double)(1 << 20) * (double)(1 + i % 11), .group = 8};
        c->bytes = c->comm.bytes;
        a->kind = ROOF_DAG_ELEMWISE;
        a->gemm.dtype = ROOF_DT_BF16;
        a->flops = m * 1024.0;
        a->bytes = 2.0 * 2.0 * m * 1024.0;
        int rc = roof_dag_add_edge(g, prev, ids[0], 0, err);
        if (rc == ROOF_OK)
            rc = roof_dag_add_edge(g, prev, ids[1], 0, err);
        if (rc == ROOF_OK)
            rc = roof_dag_add_edge(g, ids[0], ids[2], 0, err);
        if (rc == ROOF_OK)
            rc = roof_dag_add_edge(g, ids[1], ids[2], 0, err);
        if (rc != ROOF_OK)
            return rc;
        prev = ids[2];
    }
    g->nodes[0].kind = ROOF_DAG_ELEMWISE;
    g->nodes[0].gemm.dtype = ROOF_DT_BF16;
    g->nodes[0].flops = 1024.0 * 1024.0;
    g->nodes[0].bytes = 4.0 * 1024.0 * 1024.0;
    snprintf(g->title, sizeof g->title, "synthetic chain of %lld diamonds", (long long)n);
    return ROOF_OK;
}
