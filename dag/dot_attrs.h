/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The node attributes both DOT readers share (dag/dot_read.c through
 * cgraph, dag/dot_fast.c for the plain subset): their names, which
 * Graphviz styling attributes are let through, and how a node's values
 * are parsed and checked. Internal to dag/. */
#ifndef ROOF_DAG_DOT_ATTRS_H
#define ROOF_DAG_DOT_ATTRS_H

#include <stddef.h>

#include "dag/graph.h"

enum {
    K_OP,
    K_KIND,
    K_GEMM,
    K_BATCH,
    K_SHARED_B,
    K_DTYPE,
    K_FLOPS,
    K_BYTES,
    K_COLLECTIVE,
    K_GROUP,
    K_NODES,
    K_COUNT,
    K_TIME_S,
    K_REPEAT,
    K_GPU,
    K_B_BYTES, /* bytes per element of a GEMM's B when stored narrower (quantized weights) */
    K_DEQUANT, /* weight elements a GEMM dequantizes (model/ops_time.c) */
    K_PAIRS,   /* a fused attention's query-key pairs (model/ops.c flash) */
    K_KEYS,    /* a fused attention's keys per query */
    K_TILES,   /* a fused attention's thread blocks in prefill */
    K_N
};

extern const char *const roof_dot_known[K_N];

/* The index of a known attribute, or -1. */
int roof_dot_known_index(const char *name);
/* Graphviz's own attributes that only style or place the drawing. */
int roof_dot_is_styling(const char *name);

/* "node 'x': unknown attribute 'y' (did you mean 'z'?)". */
int roof_dot_unknown(const char *path, const char *node, const char *attr, roof_error *err);

/* Defaults of a node read from DOT: batch 1, bf16. */
void roof_dot_node_init(roof_dag_node *v);
/* Applies the values present in vals (NULL: absent) to v; a later
 * statement about the same node overrides an earlier one, as in DOT. */
int roof_dot_apply(const char *path, roof_dag *g, roof_dag_node *v, const char *const *vals, roof_error *err);
/* The kind implied by the attributes, where none was given. */
void roof_dot_node_finish(roof_dag_node *v);

/* The plain-subset reader (dag/dot_fast.c). Returns ROOF_OK, an error
 * code, or ROOF_DOT_NOT_PLAIN when the text needs cgraph. text is
 * modified (tokens are cut in place). */
enum { ROOF_DOT_NOT_PLAIN = -1 };
int roof_dot_read_fast(const char *path, char *text, size_t size, roof_dag **out, roof_error *err);

#endif
