/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing and rendering the DAG through cgraph and gvc. The attribute set
 * is the reader's (docs/dag.md), so that `llmroof critical-path` reads
 * back exactly what `llmroof dag` wrote; numbers at %.17g round-trip. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "core/outfile.h"
#include "core/units.h"
#include "dag/dot.h"
#include "dag/dot_err.h"

enum {
    A_LABEL,
    A_SHAPE,
    A_STYLE,
    A_COLOR,
    A_PENWIDTH,
    A_OP,
    A_KIND,
    A_GEMM,
    A_BATCH,
    A_SHARED_B,
    A_DTYPE,
    A_FLOPS,
    A_BYTES,
    A_COLLECTIVE,
    A_GROUP,
    A_NODES,
    A_COUNT,
    A_TIME_S,
    A_REPEAT,
    A_GPU,
    A_B_BYTES,
    A_DEQUANT,
    A_PAIRS,
    A_KEYS,
    A_TILES,
    A_COUNT_
};
static const char *const attr_names[A_COUNT_] = {
    "label",    "shape", "style",   "color",   "penwidth",   "op",    "kind",  "gemm",  "batch",
    "shared_b", "dtype", "flops",   "bytes",   "collective", "group", "nodes", "count", "time_s",
    "repeat",   "gpu",   "b_bytes", "dequant", "pairs",      "keys",  "tiles"};

/* A count as people read it: whole numbers in full (1310720, not
 * 1.31072e+06), fractions (MoE token shares) to 4 digits. */
static const char *count_text(double x, char *buf, size_t size)
{
    if (x == (double)(int64_t)x && x < 1e15)
        snprintf(buf, size, "%lld", (long long)x);
    else
        snprintf(buf, size, "%.4g", x);
    return buf;
}

static void label_of(const roof_dag_node *v, char *buf, size_t size)
{
    char dims[256] = "", t1[32], t2[32];
    if (v->has_gemm) {
        const roof_gemm *g = &v->gemm;
        char b[32], m[32], k[32], n[32];
        count_text(g->batch, b, sizeof b), count_text(g->m, m, sizeof m);
        count_text(g->k, k, sizeof k), count_text(g->n, n, sizeof n);
        if (g->batch != 1.0)
            snprintf(dims, sizeof dims, "in %s x [%s x %s], out %s x [%s x %s]", b, m, k, b, m, n);
        else
            snprintf(dims, sizeof dims, "in [%s x %s], out [%s x %s]", m, k, m, n);
    } else if (v->has_comm) {
        snprintf(dims, sizeof dims, "%s over %lld ranks, %.4g MB%s", roof_collective_name(v->comm.op),
                 (long long)v->comm.group, v->comm.bytes / 1e6, v->count > 1.0 ? " per step" : "");
    } else if (v->bytes > 0.0) {
        snprintf(dims, sizeof dims, "%.4g MB moved", v->bytes / 1e6);
    }
    roof_units_time(v->time_s, 4, t1, sizeof t1);
    roof_units_time(v->time_s * v->repeat, 4, t2, sizeof t2);
    char times[96];
    if (v->kind == ROOF_DAG_NONE && v->time_s == 0.0)
        times[0] = '\0';
    else if (v->repeat != 1.0)
        snprintf(times, sizeof times, "\n%s x %.6g = %s", t1, v->repeat, t2);
    else
        snprintf(times, sizeof times, "\n%s", t1);
    snprintf(buf, size, "%s%s%s%s%s%s%s%s", v->op, dims[0] ? "\n" : "", dims, v->where ? "\n" : "",
             v->where ? v->where : "", v->gpus ? "\nGPU " : "", v->gpus ? v->gpus : "", times);
}

static void set_num(Agnode_t *n, Agsym_t *sym, double x)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", x);
    agxset(n, sym, buf);
}

/* The cgraph graph of g; NULL with *err set. The caller agclose()s it. */
static Agraph_t *to_cgraph(const roof_dag *g, const roof_dag_path *path, roof_error *err)
{
    roof_dot_capture_begin();
    Agraph_t *G = agopen("llmroof", Agdirected, NULL);
    Agnode_t **nodes = calloc((size_t)g->n + 1, sizeof *nodes);
    char *on_path = calloc((size_t)g->n + 1, 1);
    if (!G || !nodes || !on_path) {
        free(nodes);
        free(on_path);
        if (G)
            agclose(G);
        roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
        return NULL;
    }
    if (path)
        for (int64_t i = 0; i < path->n; i++)
            on_path[path->nodes[i]] = 1;
    agattr(G, AGRAPH, "rankdir", "TB");
    agattr(G, AGRAPH, "label", (char *)g->title);
    agattr(G, AGRAPH, "labelloc", "t");
    if (g->hw[0])
        agattr(G, AGRAPH, "hw", (char *)g->hw);
    agattr(G, AGRAPH, "fontname", "Helvetica");
    agattr(G, AGNODE, "fontname", "Helvetica");
    agattr(G, AGNODE, "fontsize", "10");
    Agsym_t *sym[A_COUNT_];
    for (int a = 0; a < A_COUNT_; a++)
        sym[a] = agattr(G, AGNODE, (char *)attr_names[a], a == A_LABEL ? "\\N" : "");
    Agsym_t *estyle = agattr(G, AGEDGE, "style", "");
    Agsym_t *ecolor = agattr(G, AGEDGE, "color", "");
    Agsym_t *epen = agattr(G, AGEDGE, "penwidth", "");
    Agraph_t *sub[3] = {G, NULL, NULL};
    const char *sub_names[3] = {"", "cluster_prefill", "cluster_decode"};
    const char *sub_labels[3] = {"", "prefill", "decode"};
    char buf[1024];
    for (int64_t i = 0; i < g->n; i++) {
        const roof_dag_node *v = &g->nodes[i];
        int cl = v->cluster >= 0 && v->cluster < 3 ? v->cluster : 0;
        if (!sub[cl]) {
            sub[cl] = agsubg(G, (char *)sub_names[cl], 1);
            agsafeset(sub[cl], "label", (char *)sub_labels[cl], "");
        }
        Agnode_t *n = agnode(G, v->name, 1);
        if (cl)
            agsubnode(sub[cl], n, 1);
        nodes[i] = n;
        label_of(v, buf, sizeof buf);
        agxset(n, sym[A_LABEL], buf);
        /* Seed 003: rectangles compute, ellipses communicate,
         * parallelograms route. */
        agxset(n, sym[A_SHAPE],
               v->kind == ROOF_DAG_COMM    ? "ellipse"
               : v->kind == ROOF_DAG_ROUTE ? "parallelogram"
               : v->kind == ROOF_DAG_NONE  ? "oval"
                                           : "box");
        if (on_path[i]) {
            agxset(n, sym[A_COLOR], "red");
            agxset(n, sym[A_PENWIDTH], "2.5");
        }
        if (strcmp(v->op, v->name) != 0)
            agxset(n, sym[A_OP], v->op);
        agxset(n, sym[A_KIND], (char *)roof_dag_kind_name(v->kind));
        if (v->has_gemm) {
            snprintf(buf, sizeof buf, "%.17g,%.17g,%.17g", v->gemm.m, v->gemm.k, v->gemm.n);
            agxset(n, sym[A_GEMM], buf);
            set_num(n, sym[A_BATCH], v->gemm.batch);
            agxset(n, sym[A_SHARED_B], v->gemm.shared_b ? "1" : "0");
        }
        if (v->kind != ROOF_DAG_NONE && v->kind != ROOF_DAG_COMM)
            agxset(n, sym[A_DTYPE], (char *)roof_dtype_name(v->gemm.dtype));
        if (!v->has_gemm && v->kind != ROOF_DAG_COMM && v->kind != ROOF_DAG_NONE) {
            set_num(n, sym[A_FLOPS], v->flops);
            set_num(n, sym[A_BYTES], v->bytes);
        }
        if (v->has_comm) {
            agxset(n, sym[A_COLLECTIVE], (char *)roof_collective_name(v->comm.op));
            set_num(n, sym[A_BYTES], v->comm.bytes);
            set_num(n, sym[A_GROUP], (double)v->comm.group);
            set_num(n, sym[A_NODES], (double)v->comm.nodes);
        }
        if (v->count != 1.0)
            set_num(n, sym[A_COUNT], v->count);
        if (v->has_time || v->kind != ROOF_DAG_NONE)
            set_num(n, sym[A_TIME_S], v->time_s);
        if (v->repeat != 1.0)
            set_num(n, sym[A_REPEAT], v->repeat);
        if (v->gpus)
            agxset(n, sym[A_GPU], v->gpus);
        if (v->has_gemm && v->gemm.b_elem_bytes > 0.0)
            set_num(n, sym[A_B_BYTES], v->gemm.b_elem_bytes);
        if (v->has_gemm && v->dequant_elems > 0.0)
            set_num(n, sym[A_DEQUANT], v->dequant_elems);
        if (v->kind == ROOF_DAG_FUSED && v->attn_pairs > 0.0)
            set_num(n, sym[A_PAIRS], v->attn_pairs);
        if (v->kind == ROOF_DAG_FUSED && v->attn_keys > 0.0)
            set_num(n, sym[A_KEYS], v->attn_keys);
        if (v->kind == ROOF_DAG_FUSED && v->attn_tiles > 0.0)
            set_num(n, sym[A_TILES], v->attn_tiles);
    }
    for (int64_t e = 0; e < g->ne; e++) {
        const roof_dag_edge *d = &g->edges[e];
        Agedge_t *ed = agedge(G, nodes[d->from], nodes[d->to], NULL, 1);
        if (d->dashed)
            agxset(ed, estyle, "dashed");
        /* An edge is on the path when its ends are consecutive on it. */
        if (on_path[d->from] && on_path[d->to]) {
            for (int64_t i = 0; i + 1 < path->n; i++)
                if (path->nodes[i] == d->from && path->nodes[i + 1] == d->to) {
                    agxset(ed, ecolor, "red");
                    agxset(ed, epen, "2.5");
                    break;
                }
        }
    }
    free(nodes);
    free(on_path);
    return G;
}

/* Writes through fn into a staged file (core/outfile.h: a temporary file
 * beside its target, renamed into place by roof_outfile_commit). A write
 * that fails with a message captured from cgraph reports that message. */
typedef int (*writer_fn)(Agraph_t *G, void *ctx, FILE *f);

static int stage(const char *out_path, Agraph_t *G, writer_fn fn, void *ctx, roof_outfile_staged *st, roof_error *err)
{
    FILE *f;
    if (roof_outfile_open(out_path, st, &f, err) != ROOF_OK)
        return err->code;
    int rc = roof_outfile_finish(st, f, fn(G, ctx, f) != 0, err);
    if (rc != ROOF_OK && roof_dot_captured()[0])
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, out_path, "%s", roof_dot_captured());
    return rc;
}

static int to_stdout(const char *out_path)
{
    return !out_path || strcmp(out_path, "-") == 0;
}

/* One file, or stdout. */
static int atomic(const char *out_path, Agraph_t *G, writer_fn fn, void *ctx, roof_error *err)
{
    if (to_stdout(out_path)) {
        if (fn(G, ctx, stdout) != 0 || fflush(stdout) != 0)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "stdout", "write error: %s", strerror(errno));
        return ROOF_OK;
    }
    roof_outfile_staged st;
    if (stage(out_path, G, fn, ctx, &st, err) != ROOF_OK)
        return err->code;
    return roof_outfile_commit(&st, 1, err);
}

static int write_dot(Agraph_t *G, void *ctx, FILE *f)
{
    (void)ctx;
    return agwrite(G, f) == 0 ? 0 : -1;
}

int roof_dag_write_dot(const roof_dag *g, const roof_dag_path *path, const char *out_path, roof_error *err)
{
    Agraph_t *G = to_cgraph(g, path, err);
    if (!G)
        return err->code;
    int rc = atomic(out_path, G, write_dot, NULL, err);
    agclose(G);
    roof_dot_capture_end();
    return rc;
}

/* The plain writer: attributes only, no labels or styling, straight to
 * the stream. cgraph's agwrite sorts and quotes every attribute and takes
 * over a minute on a million nodes; the benchmark's input needs none of
 * that. */
static int write_plain(Agraph_t *G, void *ctx, FILE *f)
{
    (void)G;
    const roof_dag *g = ctx;
    fprintf(f, "digraph llmroof {\n  label=\"%s\";\n", g->title);
    if (g->hw[0])
        fprintf(f, "  hw=\"%s\";\n", g->hw);
    for (int64_t i = 0; i < g->n; i++) {
        const roof_dag_node *v = &g->nodes[i];
        fprintf(f, "  %s [kind=%s", v->name, roof_dag_kind_name(v->kind));
        if (v->has_gemm)
            fprintf(f, ", gemm=\"%.17g,%.17g,%.17g\"", v->gemm.m, v->gemm.k, v->gemm.n);
        if (v->has_comm)
            fprintf(f, ", collective=%s, bytes=%.17g, group=%lld", roof_collective_name(v->comm.op), v->comm.bytes,
                    (long long)v->comm.group);
        else if (!v->has_gemm && v->kind != ROOF_DAG_NONE)
            fprintf(f, ", flops=%.17g, bytes=%.17g", v->flops, v->bytes);
        if (v->has_time)
            fprintf(f, ", time_s=%.17g", v->time_s);
        if (v->repeat != 1.0)
            fprintf(f, ", repeat=%.17g", v->repeat);
        fputs("];\n", f);
    }
    for (int64_t e = 0; e < g->ne; e++)
        fprintf(f, "  %s -> %s;\n", g->nodes[g->edges[e].from].name, g->nodes[g->edges[e].to].name);
    fputs("}\n", f);
    return ferror(f) ? -1 : 0;
}

int roof_dag_write_plain(const roof_dag *g, const char *out_path, roof_error *err)
{
    return atomic(out_path, NULL, write_plain, (void *)g, err);
}

/* A picture rendered into memory (gvRenderData): Graphviz calls exit(1)
 * when a write of its own fails, so it never writes the file itself. */
typedef struct {
    char *data;
    unsigned int len;
} rendered;

static int write_rendered(Agraph_t *G, void *ctx, FILE *f)
{
    (void)G;
    const rendered *r = ctx;
    return fwrite(r->data, 1, r->len, f) == r->len ? 0 : -1;
}

/* The layout and both pictures come from one gvc context: Graphviz 2.42's
 * pango plugin keeps a pointer into the first context's font data, and a
 * second context reads it after free (AddressSanitizer, --svg with --png). */
static int render_all(Agraph_t *G, const roof_dag_outputs *outs, roof_outfile_staged *st, size_t *n, roof_error *err)
{
    GVC_t *gvc = gvContext();
    if (!gvc)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "render", "cannot start Graphviz");
    int rc = ROOF_OK;
    if (outs->progress)
        outs->progress(outs->progress_ctx, "layout");
    if (gvLayout(gvc, G, "dot") != 0) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "render",
                            "dot layout failed%s%s (is the graphviz package installed?)",
                            roof_dot_captured()[0] ? ": " : "", roof_dot_captured());
    } else {
        const char *formats[2] = {"svg", "png"}, *paths[2] = {outs->svg, outs->png};
        for (int i = 0; i < 2 && rc == ROOF_OK; i++) {
            if (!paths[i])
                continue;
            if (outs->progress)
                outs->progress(outs->progress_ctx, formats[i]);
            rendered r = {NULL, 0};
            if (gvRenderData(gvc, G, formats[i], &r.data, &r.len) != 0 || !r.data)
                rc = roof_error_set(err, ROOF_ERR_RUNTIME, "render", "rendering %s failed%s%s", formats[i],
                                    roof_dot_captured()[0] ? ": " : "", roof_dot_captured());
            else if ((rc = stage(paths[i], G, write_rendered, &r, &st[*n], err)) == ROOF_OK)
                (*n)++;
            if (r.data)
                gvFreeRenderData(r.data);
        }
        gvFreeLayout(gvc, G);
    }
    gvFreeContext(gvc);
    if (outs->progress)
        outs->progress(outs->progress_ctx, NULL);
    return rc;
}

int roof_dag_write_outputs(const roof_dag *g, const roof_dag_path *path, const roof_dag_outputs *outs, roof_error *err)
{
    Agraph_t *G = to_cgraph(g, path, err);
    if (!G)
        return err->code;
    roof_outfile_staged st[3];
    size_t n = 0;
    char *dot_text = NULL;
    size_t dot_len = 0;
    int rc = ROOF_OK;
    /* The DOT before the layout, which adds its positions to G; for
     * stdout it is kept in memory and printed only once the pictures are
     * made, so a failed run prints nothing. */
    if (!to_stdout(outs->dot)) {
        if ((rc = stage(outs->dot, G, write_dot, NULL, &st[n], err)) == ROOF_OK)
            n++;
    } else {
        FILE *mem = open_memstream(&dot_text, &dot_len);
        if (!mem || write_dot(G, NULL, mem) != 0 || fclose(mem) != 0)
            rc = roof_error_set(err, ROOF_ERR_RUNTIME, "stdout", "out of memory");
    }
    if (rc == ROOF_OK && (outs->svg || outs->png))
        rc = render_all(G, outs, st, &n, err);
    if (rc == ROOF_OK && dot_text && (fwrite(dot_text, 1, dot_len, stdout) != dot_len || fflush(stdout) != 0))
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "stdout", "write error: %s", strerror(errno));
    if (rc == ROOF_OK)
        rc = roof_outfile_commit(st, n, err);
    else
        roof_outfile_discard(st, n);
    free(dot_text);
    agclose(G);
    roof_dot_capture_end();
    return rc;
}
