/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The critical path: the longest path of the DAG with node weights
 * time_s x repeat, by a topological order (Kahn 1962, "Topological sorting
 * of large networks"; the longest path of a DAG is a relaxation in that
 * order: Cormen et al., "Introduction to Algorithms", 3rd ed., Sec. 24.2).
 * O(V + E) time and memory: the edges are put into compressed rows first. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dag/graph.h"
#include "dag/mem.h"

void roof_dag_path_free(roof_dag_path *p)
{
    if (!p)
        return;
    free(p->nodes);
    p->nodes = NULL;
    p->n = 0;
}

/* Edges as compressed rows: the targets of node v are
 * adj[off[v] .. off[v+1]). by_from = 0 builds the reverse (sources). */
static int csr(const roof_dag *g, int by_from, int64_t **off_out, int64_t **adj_out)
{
    int64_t *off = roof_big_alloc(((size_t)g->n + 1) * sizeof *off);
    int64_t *adj = roof_big_alloc(((size_t)g->ne + 1) * sizeof *adj);
    if (!off || !adj) {
        free(off);
        free(adj);
        return -1;
    }
    memset(off, 0, ((size_t)g->n + 1) * sizeof *off);
    for (int64_t e = 0; e < g->ne; e++)
        off[(by_from ? g->edges[e].from : g->edges[e].to) + 1]++;
    for (int64_t v = 0; v < g->n; v++)
        off[v + 1] += off[v];
    int64_t *fill = roof_big_alloc(((size_t)g->n + 1) * sizeof *fill);
    if (!fill) {
        free(off);
        free(adj);
        return -1;
    }
    memcpy(fill, off, ((size_t)g->n + 1) * sizeof *fill);
    for (int64_t e = 0; e < g->ne; e++) {
        const roof_dag_edge *d = &g->edges[e];
        adj[fill[by_from ? d->from : d->to]++] = by_from ? d->to : d->from;
    }
    free(fill);
    *off_out = off;
    *adj_out = adj;
    return 0;
}

/* Names one cycle among the nodes Kahn's algorithm could not order (every
 * one of them has a predecessor among them): walk predecessors until a
 * node repeats. */
static int cycle_error(const roof_dag *g, const int64_t *indeg, const char *display, roof_error *err)
{
    int64_t *roff, *radj;
    int64_t *seen = malloc((size_t)g->n * sizeof *seen);
    if (!seen || csr(g, 0, &roff, &radj) != 0) {
        free(seen);
        return roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
    }
    for (int64_t v = 0; v < g->n; v++)
        seen[v] = -1;
    int64_t v = 0;
    while (indeg[v] == 0)
        v++;
    int64_t step = 0;
    while (seen[v] < 0) {
        seen[v] = step++;
        for (int64_t j = roff[v]; j < roff[v + 1]; j++)
            if (indeg[radj[j]] > 0) {
                v = radj[j];
                break;
            }
    }
    /* v starts the cycle; walking predecessors gives it backwards: collect,
     * then print forwards. */
    int64_t len = step - seen[v];
    int64_t *cyc = malloc((size_t)len * sizeof *cyc);
    if (!cyc) {
        free(seen), free(roff), free(radj);
        return roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
    }
    int64_t u = v;
    for (int64_t i = 0; i < len; i++) {
        cyc[len - 1 - i] = u;
        for (int64_t j = roff[u]; j < roff[u + 1]; j++)
            if (indeg[radj[j]] > 0 && seen[radj[j]] >= seen[v]) {
                u = radj[j];
                break;
            }
    }
    /* Start at its lowest-numbered node: the first in the file. */
    int64_t low = 0;
    for (int64_t i = 1; i < len; i++)
        if (cyc[i] < cyc[low])
            low = i;
    /* Each name takes at most ROOF_DAG_NAME_SHOWN + 6 bytes: while 80 are
     * left, the next one fits whole. */
    char msg[400] = "";
    size_t at = 0;
    for (int64_t i = 0; i <= len; i++) {
        if (at >= sizeof msg - 80) {
            roof_dag_append(msg, sizeof msg, &at, " -> ...");
            break;
        }
        roof_dag_append_name(msg, sizeof msg, &at, i ? " -> " : "", g->nodes[cyc[(low + i) % len]].name);
    }
    free(cyc), free(seen), free(roff), free(radj);
    return roof_error_set(err, ROOF_ERR_INPUT, display, "the graph has a cycle: %s", msg);
}

int roof_dag_critical_path(const roof_dag *g, const char *display, roof_dag_path *out, roof_error *err)
{
    out->n = 0;
    out->nodes = NULL;
    out->total_s = 0.0;
    if (g->n == 0)
        return roof_error_set(err, ROOF_ERR_INPUT, display, "the graph has no nodes");
    int64_t *off, *adj;
    if (csr(g, 1, &off, &adj) != 0)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
    int64_t *indeg = roof_big_alloc((size_t)g->n * sizeof *indeg);
    int64_t *queue = roof_big_alloc((size_t)g->n * sizeof *queue);
    int64_t *pred = roof_big_alloc((size_t)g->n * sizeof *pred);
    double *dist = roof_big_alloc((size_t)g->n * sizeof *dist);
    int rc = ROOF_OK;
    if (!indeg || !queue || !pred || !dist) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
        goto out;
    }
    memset(indeg, 0, (size_t)g->n * sizeof *indeg);
    for (int64_t e = 0; e < g->ne; e++)
        indeg[g->edges[e].to]++;
    int64_t head = 0, tail = 0;
    for (int64_t v = 0; v < g->n; v++) {
        pred[v] = -1;
        dist[v] = g->nodes[v].time_s * g->nodes[v].repeat;
        if (indeg[v] == 0)
            queue[tail++] = v;
    }
    /* dist[v]: the longest path ending at v, v included. */
    while (head < tail) {
        int64_t v = queue[head++];
        for (int64_t j = off[v]; j < off[v + 1]; j++) {
            int64_t w = adj[j];
            double d = dist[v] + g->nodes[w].time_s * g->nodes[w].repeat;
            /* Ties go to the lower-numbered predecessor, so that the path
             * does not depend on the order the edges were read in. */
            if (pred[w] < 0 || d > dist[w] || (d == dist[w] && v < pred[w])) {
                dist[w] = d;
                pred[w] = v;
            }
            if (--indeg[w] == 0)
                queue[tail++] = w;
        }
    }
    if (tail < g->n) {
        rc = cycle_error(g, indeg, display, err);
        goto out;
    }
    int64_t end = 0;
    for (int64_t v = 1; v < g->n; v++)
        if (dist[v] > dist[end])
            end = v;
    /* Times near the double's limit (time_s = 1e300 with repeat = 1e300)
     * overflow to inf: no total to print. */
    if (!isfinite(dist[end])) {
        int64_t v = end;
        while (pred[v] >= 0 && !isfinite(dist[pred[v]]))
            v = pred[v];
        char cut[ROOF_DAG_NAME_SHOWN + 1];
        rc = roof_error_set(err, ROOF_ERR_INPUT, display,
                            "the longest path's time overflows at node '%s' (time_s x repeat beyond 1e308 s)",
                            roof_dag_shown(g->nodes[v].name, cut));
        goto out;
    }
    int64_t len = 0;
    for (int64_t v = end; v >= 0; v = pred[v])
        len++;
    out->nodes = malloc((size_t)len * sizeof *out->nodes);
    if (!out->nodes) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
        goto out;
    }
    out->n = len;
    for (int64_t v = end, i = len - 1; v >= 0; v = pred[v], i--)
        out->nodes[i] = v;
    out->total_s = dist[end];
out:
    free(off), free(adj), free(indeg), free(queue), free(pred), free(dist);
    return rc;
}

/* A growing string for the terms. */
typedef struct {
    char *s;
    size_t n, cap;
    int bad;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(buf *b, const char *fmt, ...)
{
    if (b->bad)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (w < 0 || b->n + (size_t)w + 1 > b->cap) {
        size_t cap = (b->cap + (size_t)(w > 0 ? w : 0) + 1) * 2;
        char *ns = realloc(b->s, cap);
        if (!ns || w < 0) {
            b->bad = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)w;
}

/* Seeds write Get_Time(m, k, n) for one GEMM and "b x Get_Time(...)" for a
 * batch of independent ones (seed 002: "16 x Get_Time(10240000, 512,
 * 10000)"). A batch sharing its weights is one GEMM of b*m rows. */
static void put_gemm(buf *b, const roof_gemm *gm)
{
    if (gm->batch == 1.0 || gm->shared_b)
        put(b, "Get_Time(%.15g, %.15g, %.15g)", gm->batch * gm->m, gm->k, gm->n);
    else
        put(b, "%.15g x Get_Time(%.15g, %.15g, %.15g)", gm->batch, gm->m, gm->k, gm->n);
}

int roof_dag_path_terms(const roof_dag *g, const roof_dag_path *p, char **text, roof_error *err)
{
    buf b = {NULL, 0, 0, 0};
    put(&b, "Total = ");
    int64_t i = 0, cut = -1; /* cut: the first node whose terms are left out */
    int first_run = 1;
    while (i < p->n && cut < 0) {
        double rep = g->nodes[p->nodes[i]].repeat;
        int64_t j = i;
        while (j < p->n && g->nodes[p->nodes[j]].repeat == rep)
            j++;
        /* The run [i, j): GEMMs by name, the rest as one sum. */
        double other = 0.0;
        int terms = 0;
        for (int64_t q = i; q < j; q++)
            if (g->nodes[p->nodes[q]].has_gemm && g->nodes[p->nodes[q]].kind != ROOF_DAG_NONE)
                terms++;
        for (int64_t q = i; q < j; q++) {
            const roof_dag_node *v = &g->nodes[p->nodes[q]];
            if (!v->has_gemm)
                other += v->time_s;
        }
        if (terms == 0 && other == 0.0) {
            i = j;
            continue;
        }
        put(&b, "%s", first_run ? "" : " + ");
        first_run = 0;
        int bracket = rep != 1.0 && terms + (other > 0.0) > 1;
        if (rep != 1.0)
            put(&b, "%.15g x %s", rep, bracket ? "[" : "");
        int k = 0;
        for (int64_t q = i; q < j; q++) {
            const roof_dag_node *v = &g->nodes[p->nodes[q]];
            if (!v->has_gemm)
                continue;
            /* A path of a million GEMMs would make a formula of tens of
             * MB: it is cut, and says where. */
            if (b.n >= ROOF_DAG_TERMS_MAX) {
                cut = q;
                break;
            }
            put(&b, "%s", k++ ? " + " : "");
            put_gemm(&b, &v->gemm);
        }
        if (cut >= 0) {
            put(&b, "%s...%s", k ? " + " : "", bracket ? "]" : "");
            break;
        }
        if (other > 0.0)
            put(&b, "%s%.6g ms other", k ? " + " : "", other * 1e3);
        put(&b, "%s", bracket ? "]" : "");
        i = j;
    }
    if (first_run)
        put(&b, "0");
    put(&b, " = %.6g ms", p->total_s * 1e3);
    if (cut >= 0)
        put(&b, " (terms cut at %d bytes: written up to node %lld of the path's %lld)", ROOF_DAG_TERMS_MAX,
            (long long)cut, (long long)p->n);
    if (b.bad) {
        free(b.s);
        return roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
    }
    *text = b.s;
    return ROOF_OK;
}
