/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes DOT import (dag/dot_read.c, dag/dot_fast.c): the input is read
 * twice, through the default path (the fast reader for the plain subset,
 * cgraph for the rest) and through cgraph alone. When both accept it they
 * must agree on the whole graph (names, attributes, edges), as the unit
 * tests check on the fixtures. A graph that loads is then timed on the
 * H100 profile and its critical path taken and written out, as `llmroof
 * critical-path` does. */
#include "fuzz/harness.h"

#include "dag/dot.h"
#include "dag/graph.h"
#include "hw/profile.h"

static roof_hw h100;
static int ready;

static void walk(roof_dag *g)
{
    roof_error err;
    roof_dag_path path = {0, NULL, 0.0};
    char *terms = NULL;
    int rc = roof_dag_time(g, &h100, 0, "fuzz.dot", &err);
    roof_fuzz_check_error(rc, &err);
    if (rc == ROOF_OK) {
        rc = roof_dag_critical_path(g, "fuzz.dot", &path, &err);
        roof_fuzz_check_error(rc, &err);
    }
    if (rc == ROOF_OK)
        roof_fuzz_check_error(roof_dag_path_terms(g, &path, &terms, &err), &err);
    free(terms);
    roof_dag_path_free(&path);
}

static int edge_cmp(const void *a, const void *b)
{
    const roof_dag_edge *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->to < y->to ? -1 : x->to > y->to;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Two numbers read from the same text: bit for bit, NaN never (the
 * readers refuse it). */
static int same_num(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* The readers agree on everything a graph holds: names in order, the
 * attributes of each node, the edges (as a multiset: cgraph lists them by
 * tail node, the fast reader in file order) and the graph's label and hw. */
static void compare(const roof_dag *a, const roof_dag *b)
{
    if (a->n != b->n || a->ne != b->ne || strcmp(a->title, b->title) != 0 || strcmp(a->hw, b->hw) != 0)
        abort();
    for (int64_t v = 0; v < a->n; v++) {
        const roof_dag_node *x = &a->nodes[v], *y = &b->nodes[v];
        if (strcmp(x->name, y->name) != 0 || !same_str(x->op, y->op) || !same_str(x->gpus, y->gpus) ||
            x->kind != y->kind || x->has_gemm != y->has_gemm || x->has_comm != y->has_comm ||
            x->has_time != y->has_time || !same_num(x->gemm.m, y->gemm.m) || !same_num(x->gemm.k, y->gemm.k) ||
            !same_num(x->gemm.n, y->gemm.n) || !same_num(x->gemm.batch, y->gemm.batch) ||
            x->gemm.dtype != y->gemm.dtype || x->gemm.shared_b != y->gemm.shared_b || x->comm.op != y->comm.op ||
            x->comm.group != y->comm.group || x->comm.nodes != y->comm.nodes || !same_num(x->flops, y->flops) ||
            !same_num(x->bytes, y->bytes) || !same_num(x->count, y->count) || !same_num(x->time_s, y->time_s) ||
            !same_num(x->repeat, y->repeat))
            abort();
    }
    if (a->ne == 0)
        return; /* no edge array to copy (NULL) */
    size_t bytes = (size_t)a->ne * sizeof(roof_dag_edge);
    roof_dag_edge *ea = malloc(bytes + 1), *eb = malloc(bytes + 1);
    if (!ea || !eb)
        abort();
    memcpy(ea, a->edges, bytes);
    memcpy(eb, b->edges, bytes);
    qsort(ea, (size_t)a->ne, sizeof *ea, edge_cmp);
    qsort(eb, (size_t)b->ne, sizeof *eb, edge_cmp);
    for (int64_t e = 0; e < a->ne; e++)
        if (ea[e].from != eb[e].from || ea[e].to != eb[e].to)
            abort();
    free(ea);
    free(eb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    roof_error err;
    if (!ready) {
        if (roof_hw_load("h100-sxm", &h100, &err) != ROOF_OK)
            abort();
        ready = 1;
    }
    roof_dag *fast = NULL, *slow = NULL;
    int rc_fast = roof_dag_read_dot_text((const char *)data, size, "fuzz.dot", 0, &fast, &err);
    roof_fuzz_check_error(rc_fast, &err);
    int rc_slow = roof_dag_read_dot_text((const char *)data, size, "fuzz.dot", ROOF_DOT_CGRAPH_ONLY, &slow, &err);
    roof_fuzz_check_error(rc_slow, &err);
    if (rc_fast == ROOF_OK && rc_slow == ROOF_OK)
        compare(fast, slow);
    if (rc_fast == ROOF_OK)
        walk(fast);
    roof_dag_free(fast);
    roof_dag_free(slow);
    return 0;
}
