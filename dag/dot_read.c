/* Reading a DOT DAG through cgraph (agread) into a roof_dag: each node's
 * attributes (docs/dag.md) parsed and checked; unknown node attributes are
 * errors naming the node and the attribute, except Graphviz's styling
 * ones. Graph and edge attributes are not read (they style the drawing).
 * Times are computed later (roof_dag_time), which names nodes whose
 * dims are missing. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>

#include "core/suggest.h"
#include "dag/dot.h"
#include "dag/dot_err.h"

enum {
    K_OP, K_KIND, K_GEMM, K_BATCH, K_SHARED_B, K_DTYPE, K_FLOPS, K_BYTES, K_COLLECTIVE, K_GROUP, K_NODES, K_COUNT,
    K_TIME_S, K_REPEAT, K_GPU, K_N
};
static const char *const known[] = {"op",    "kind",  "gemm",   "batch", "shared_b", "dtype",
                                    "flops", "bytes", "collective", "group", "nodes",  "count",
                                    "time_s", "repeat", "gpu"};
/* Graphviz's own node attributes that only style or place the drawing
 * (and those `dot -Tdot` adds after a layout). */
static const char *const styling[] = {"label", "xlabel", "shape", "style", "color", "fillcolor", "fontcolor",
                                      "penwidth", "fontname", "fontsize", "tooltip", "width", "height",
                                      "margin", "peripheries", "fixedsize", "URL", "href", "id", "class", "pos",
                                      "rects", "orientation", "sides", "skew", "distortion"};
#define NKNOWN (sizeof known / sizeof known[0])
#define NSTYLING (sizeof styling / sizeof styling[0])

static int in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return 1;
    return 0;
}

static int num(const char *path, const char *node, const char *attr, const char *text, double *out, roof_error *err)
{
    errno = 0;
    char *end;
    double x = strtod(text, &end);
    while (*end == ' ')
        end++;
    if (end == text || *end || errno || !isfinite(x))
        return roof_error_set(err, ROOF_ERR_INPUT, path, "node '%s': '%s' is not a number (got '%s')", node, attr,
                              text);
    if (x < 0.0)
        return roof_error_set(err, ROOF_ERR_INPUT, path, "node '%s': '%s' must not be negative (got %s)", node, attr,
                              text);
    *out = x;
    return ROOF_OK;
}

/* gemm="m,k,n": three positive numbers. */
static int dims(const char *path, const char *node, const char *text, roof_gemm *g, roof_error *err)
{
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
    return roof_error_set(err, ROOF_ERR_INPUT, path, "node '%s': 'gemm' must be three positive dims \"m,k,n\" (got '%s')",
                          node, text);
}

static const char *get(Agnode_t *n, Agsym_t *sym)
{
    if (!sym)
        return NULL;
    const char *v = agxget(n, sym);
    return v && v[0] ? v : NULL;
}

static int node_attrs(const char *path, Agnode_t *n, Agsym_t *const *sym, roof_dag_node *v, roof_error *err)
{
    const char *name = v->name, *t;
    int rc = ROOF_OK;
    v->gemm.batch = 1.0;
    v->gemm.dtype = ROOF_DT_BF16;
    int has_flops = 0, has_bytes = 0;
    if ((t = get(n, sym[K_GEMM]))) {
        v->has_gemm = 1;
        rc = dims(path, name, t, &v->gemm, err);
    }
    if (rc == ROOF_OK && (t = get(n, sym[K_BATCH])))
        rc = num(path, name, "batch", t, &v->gemm.batch, err);
    if (rc == ROOF_OK && (t = get(n, sym[K_SHARED_B])))
        v->gemm.shared_b = strcmp(t, "0") != 0 && strcmp(t, "false") != 0;
    if (rc == ROOF_OK && (t = get(n, sym[K_DTYPE])) && roof_dtype_parse(t, &v->gemm.dtype, err) != ROOF_OK) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        rc = roof_error_set(err, ROOF_ERR_INPUT, path, "node '%s': %s", name, msg);
    }
    if (rc == ROOF_OK && (t = get(n, sym[K_FLOPS])) && (rc = num(path, name, "flops", t, &v->flops, err)) == ROOF_OK)
        has_flops = 1;
    if (rc == ROOF_OK && (t = get(n, sym[K_BYTES])) && (rc = num(path, name, "bytes", t, &v->bytes, err)) == ROOF_OK)
        has_bytes = 1;
    if (rc == ROOF_OK && (t = get(n, sym[K_COLLECTIVE]))) {
        if (roof_collective_parse(t, &v->comm.op, err) != ROOF_OK) {
            char msg[sizeof err->msg];
            snprintf(msg, sizeof msg, "%s", err->msg);
            rc = roof_error_set(err, ROOF_ERR_INPUT, path, "node '%s': %s", name, msg);
        }
        v->has_comm = 1;
    }
    double x;
    if (rc == ROOF_OK && v->has_comm && (t = get(n, sym[K_GROUP])) &&
        (rc = num(path, name, "group", t, &x, err)) == ROOF_OK)
        v->comm.group = (int64_t)x;
    if (rc == ROOF_OK && v->has_comm && (t = get(n, sym[K_NODES])) &&
        (rc = num(path, name, "nodes", t, &x, err)) == ROOF_OK)
        v->comm.nodes = (int64_t)x;
    v->comm.bytes = v->bytes;
    if (rc == ROOF_OK && (t = get(n, sym[K_COUNT])))
        rc = num(path, name, "count", t, &v->count, err);
    if (rc == ROOF_OK && (t = get(n, sym[K_REPEAT])))
        rc = num(path, name, "repeat", t, &v->repeat, err);
    if (rc == ROOF_OK && (t = get(n, sym[K_TIME_S])) && (rc = num(path, name, "time_s", t, &v->time_s, err)) == ROOF_OK)
        v->has_time = 1;
    if (rc != ROOF_OK)
        return rc;
    /* The kind: given, or what the attributes imply. */
    if ((t = get(n, sym[K_KIND]))) {
        if (roof_dag_kind_parse(t, &v->kind) != ROOF_OK)
            return roof_error_set(err, ROOF_ERR_INPUT, path,
                                  "node '%s': unknown kind '%s' (expected none, gemm, fused, elementwise, comm or route)",
                                  name, t);
    } else {
        v->kind = v->has_gemm ? ROOF_DAG_GEMM
                  : v->has_comm ? ROOF_DAG_COMM
                  : (has_flops || has_bytes) ? ROOF_DAG_ELEMWISE
                                             : ROOF_DAG_NONE;
    }
    if (v->kind == ROOF_DAG_COMM && !(t = get(n, sym[K_GROUP])))
        v->comm.group = 0; /* roof_dag_time names it as missing */
    return ROOF_OK;
}

/* An attribute set on some node that is neither ours nor Graphviz's. */
static int check_unknown(const char *path, Agraph_t *G, roof_error *err)
{
    for (Agsym_t *s = agnxtattr(G, AGNODE, NULL); s; s = agnxtattr(G, AGNODE, s)) {
        if (in_list(s->name, known, NKNOWN) || in_list(s->name, styling, NSTYLING))
            continue;
        for (Agnode_t *n = agfstnode(G); n; n = agnxtnode(G, n)) {
            const char *v = agxget(n, s);
            if (!v || !v[0])
                continue;
            const char *hint = roof_suggest(s->name, known, NKNOWN);
            char h[96] = "";
            if (hint)
                snprintf(h, sizeof h, " (did you mean '%s'?)", hint);
            return roof_error_set(err, ROOF_ERR_INPUT, path, "node '%s': unknown attribute '%s'%s", agnameof(n),
                                  s->name, h);
        }
    }
    return ROOF_OK;
}

int roof_dag_read_dot(const char *path, roof_dag **out, roof_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return roof_error_set(err, ROOF_ERR_INPUT, path, "cannot read DOT file: %s", strerror(errno));
    roof_dot_capture_begin();
    Agraph_t *G = agread(f, NULL);
    fclose(f);
    int rc = ROOF_OK;
    roof_dag *g = NULL;
    int64_t *index = NULL;
    if (!G) {
        const char *m = roof_dot_captured();
        /* cgraph says "syntax error in line 3 near '->'": put the line
         * where the project's errors put it. */
        int line = 0;
        const char *at = strstr(m, "in line ");
        if (at && sscanf(at, "in line %d", &line) == 1) {
            char where[600];
            snprintf(where, sizeof where, "%s:%d", path, line);
            const char *near = strstr(m, "near ");
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "syntax error%s%s", near ? " " : "", near ? near : "");
        } else {
            rc = roof_error_set(err, ROOF_ERR_INPUT, path, "not a DOT graph%s%s", m[0] ? ": " : "", m);
        }
        goto out;
    }
    if (!agisdirected(G)) {
        rc = roof_error_set(err, ROOF_ERR_INPUT, path, "not a directed graph (write 'digraph', edges with ->)");
        goto out;
    }
    if ((rc = check_unknown(path, G, err)) != ROOF_OK)
        goto out;
    int64_t nn = agnnodes(G);
    if (nn > ROOF_DAG_MAX_NODES) {
        rc = roof_error_set(err, ROOF_ERR_INPUT, path, "%lld nodes: more than %d", (long long)nn, ROOF_DAG_MAX_NODES);
        goto out;
    }
    g = roof_dag_alloc();
    /* Node sequence numbers are dense from 0 in a graph nothing was
     * deleted from, but size the map by the largest to be safe. */
    uint64_t maxseq = 0;
    for (Agnode_t *n = agfstnode(G); n; n = agnxtnode(G, n))
        if (AGSEQ(n) > maxseq)
            maxseq = AGSEQ(n);
    index = malloc(((size_t)maxseq + 1) * sizeof *index);
    if (!g || !index) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
        goto out;
    }
    Agsym_t *sym[K_N];
    for (int k = 0; k < K_N; k++)
        sym[k] = agattr(G, AGNODE, (char *)known[k], NULL);
    for (Agnode_t *n = agfstnode(G); n; n = agnxtnode(G, n)) {
        char *name = agnameof(n);
        const char *op = get(n, sym[K_OP]);
        const char *gpu = get(n, sym[K_GPU]);
        int64_t id = roof_dag_add_node(g, name, op ? op : name, NULL, gpu, err);
        if (id < 0) {
            rc = err->code;
            goto out;
        }
        index[AGSEQ(n)] = id;
        if ((rc = node_attrs(path, n, sym, &g->nodes[id], err)) != ROOF_OK)
            goto out;
    }
    for (Agnode_t *n = agfstnode(G); n; n = agnxtnode(G, n))
        for (Agedge_t *e = agfstout(G, n); e; e = agnxtout(G, e))
            if ((rc = roof_dag_add_edge(g, index[AGSEQ(n)], index[AGSEQ(aghead(e))], 0, err)) != ROOF_OK)
                goto out;
    char *label = agget(G, "label");
    if (label)
        snprintf(g->title, sizeof g->title, "%s", label);
out:
    free(index);
    if (G)
        agclose(G);
    roof_dot_capture_end();
    if (rc != ROOF_OK) {
        roof_dag_free(g);
        return rc;
    }
    *out = g;
    return ROOF_OK;
}
