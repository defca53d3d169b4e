/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The operator DAG: a plain in-memory directed graph of timed operations,
 * built from an evaluation's op lists (the single source of truth of
 * model/ops.h) or read from a DOT file (dag/dot.h), and its critical path
 * (the longest path, node weight = time_s x repeat).
 *
 * A roof_dag owns its nodes, edges and strings; roof_dag_free releases
 * them (roof_dag_free(NULL) is a no-op). A roof_dag_path is owned by the
 * caller and released by roof_dag_path_free. The composition the exporter
 * encodes (which nodes, which edges, why the longest path equals the
 * closed-form TTFT and TPOT) is documented in docs/dag.md.
 */
#ifndef ROOF_DAG_GRAPH_H
#define ROOF_DAG_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "hw/collective.h"
#include "hw/gemm.h"
#include "model/evaluate.h"

/* Refuse graphs larger than this (--expand of a large deployment). */
#define ROOF_DAG_MAX_NODES 2000000
/* And edges beyond this: a file of repeated "a -> b;" holds no new node
 * and would otherwise grow the edge array without end (24 B each). */
#define ROOF_DAG_MAX_EDGES (8 * ROOF_DAG_MAX_NODES)
/* A DOT file is read whole into memory: one larger is refused. The plain
 * form of a million nodes is 87 MB; llmroof's labelled form about 400
 * bytes a node. */
#define ROOF_DOT_MAX_BYTES ((long)1 << 30) /* the messages say "1 GiB" */

typedef enum {
    ROOF_DAG_NONE,     /* no work of its own (sources, sinks): 0 s unless time_s says otherwise */
    ROOF_DAG_GEMM,     /* Get_Time over gemm="m,k,n", batch, shared_b, dtype */
    ROOF_DAG_FUSED,    /* roofline over flops and bytes at the dtype's peak */
    ROOF_DAG_ELEMWISE, /* roofline over flops and bytes on the vector units (fp32 peak) */
    ROOF_DAG_COMM,     /* alpha-beta over collective, bytes, group, nodes */
    ROOF_DAG_ROUTE,    /* MoE routing: a GEMM when it has gemm=, else elementwise */
    ROOF_DAG_KIND_COUNT
} roof_dag_kind;

typedef struct roof_dag_node {
    char *name;  /* unique DOT node name */
    char *op;    /* the op ("q_proj"); may equal name */
    char *where; /* for labels: "prefill, stage 0, microbatch 1" (may be NULL) */
    char *gpus;  /* GPU ids running it: "0-3" (may be NULL) */
    roof_dag_kind kind;
    int has_gemm, has_comm, has_time;
    int kind_set; /* kind= was given (reader); else it is implied at the end */
    roof_gemm gemm;
    roof_comm comm;
    double flops, bytes;
    double dequant_elems;         /* GEMM with weight-only quantized B: weights dequantized (model/ops.h) */
    double attn_pairs, attn_keys; /* FUSED: query-key pairs and keys per query (model/ops.h); 0 = not given */
    double attn_tiles;            /* FUSED: a prefill's thread blocks (model/ops.h); 0 = not given */
    double count;                 /* runs per execution (ring steps); time_s includes it */
    double time_s;                /* one execution */
    double repeat;                /* executions in sequence that this node stands for (folded layers) */
    int cluster;                  /* subgraph: 0 none, 1 prefill, 2 decode */
} roof_dag_node;

typedef struct roof_dag_edge {
    int64_t from, to;
    int dashed; /* gate routing (seed 003) */
} roof_dag_edge;

typedef struct roof_dag {
    int64_t n, cap;
    roof_dag_node *nodes;
    int64_t ne, ecap;
    roof_dag_edge *edges;
    char title[512];                  /* graph label */
    char hw[64];                      /* graph attribute hw: the profile its times are for ("" unknown) */
    struct roof_arena_block *strings; /* the nodes' strings (dag/mem.h) */
} roof_dag;

/* What roof_dag_build exports. */
typedef enum { ROOF_DAG_PREFILL = 1, ROOF_DAG_DECODE = 2, ROOF_DAG_BOTH = 3 } roof_dag_phases;

typedef struct roof_dag_build_opts {
    int phases; /* roof_dag_phases */
    int expand; /* every layer and microbatch instead of folded chains */
} roof_dag_build_opts;

roof_dag *roof_dag_alloc(void);
/* Makes room for n nodes (a hint; the arrays grow as needed anyway). */
int roof_dag_reserve(roof_dag *g, int64_t n, roof_error *err);
void roof_dag_free(roof_dag *g);

/* A copy of s owned by g (freed with it); NULL when out of memory. */
char *roof_dag_strdup(roof_dag *g, const char *s);

/* Appends a node (strings are copied; where and gpus may be NULL) and
 * returns its index, or -1 with *err set (out of memory, or more than
 * ROOF_DAG_MAX_NODES). The node starts as kind NONE, count 1, repeat 1. */
int64_t roof_dag_add_node(roof_dag *g, const char *name, const char *op, const char *where, const char *gpus,
                          roof_error *err);
int roof_dag_add_edge(roof_dag *g, int64_t from, int64_t to, int dashed, roof_error *err);

/* The DAG of the evaluated deployment r of s (docs/dag.md). */
int roof_dag_build(const roof_scenario *s, const roof_result *r, const roof_dag_build_opts *o, roof_dag *g,
                   roof_error *err);

/* A chain of n diamonds (a -> b, a -> c, b -> d, c -> d, d is the next a):
 * 3n + 1 nodes with GEMM and collective attributes, for the benchmark. */
int roof_dag_synthetic(int64_t n, roof_dag *g, roof_error *err);

enum {
    ROOF_DAG_RETIME = 1 << 0, /* time every node from its attributes, even where time_s is given */
    ROOF_DAG_IDEAL = 1 << 1   /* pure roofline for GEMMs and kernels (ROOF_GEMM_IDEAL) */
};

/* Sets time_s of every node from its attributes on hw (Get_Time, roofline,
 * alpha-beta), keeping a given time_s unless flags has ROOF_DAG_RETIME.
 * Nodes that lack dims are an error naming them (where = display). */
int roof_dag_time(roof_dag *g, const roof_hw *hw, int flags, const char *display, roof_error *err);

typedef struct roof_dag_path {
    int64_t n;
    int64_t *nodes; /* source to sink */
    double total_s; /* sum of time_s x repeat along the path */
} roof_dag_path;

/* The longest path by topological order (Kahn's algorithm, O(V + E)). A
 * cycle is an error naming its nodes in order. */
int roof_dag_critical_path(const roof_dag *g, const char *display, roof_dag_path *out, roof_error *err);
void roof_dag_path_free(roof_dag_path *p);

/* The path's total as the seeds write it: runs of equal repeat grouped,
 * GEMMs as Get_Time(m, k, n), the rest summed per run:
 * "8 x [Get_Time(32768, 8192, 1024) + ... + 0.412 ms other] + ...". Cut
 * with "..." past ROOF_DAG_TERMS_MAX bytes, saying where. The caller frees
 * *text. */
#define ROOF_DAG_TERMS_MAX 16384
int roof_dag_path_terms(const roof_dag *g, const roof_dag_path *p, char **text, roof_error *err);

/* Appends to buf (size bytes, *at used) what fmt says, cut at the end of
 * buf; *at stays below size. For messages that list nodes. */
void roof_dag_append(char *buf, size_t size, size_t *at, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A node name or value as messages show it: text itself, or, when longer
 * than ROOF_DAG_NAME_SHOWN bytes, its start and "..." written into buf
 * (ROOF_DAG_NAME_SHOWN + 1 bytes). Names may be any length; a message
 * holds 512 bytes and must still say what is wrong. */
#define ROOF_DAG_NAME_SHOWN 60
const char *roof_dag_shown(const char *text, char *buf);
/* Appends sep and 'name' (as roof_dag_shown cuts it). */
void roof_dag_append_name(char *buf, size_t size, size_t *at, const char *sep, const char *name);

const char *roof_dag_kind_name(roof_dag_kind k);
int roof_dag_kind_parse(const char *text, roof_dag_kind *out);

#endif
