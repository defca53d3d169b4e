/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The operator DAG as DOT, through Graphviz's cgraph library: writing it
 * (seed 003's conventions: rectangles for computation, ellipses for
 * communication, parallelograms for routing, gate routing dashed; the
 * critical path in red), reading any DOT DAG back (the attributes of
 * docs/dag.md), and rendering it to SVG or PNG through gvc.
 *
 * Files are written atomically (a temporary file beside the target, then
 * rename). Graphviz's own messages are captured into the roof_error;
 * nothing is printed. The caller owns the roof_dag returned by the reader.
 */
#ifndef ROOF_DAG_DOT_H
#define ROOF_DAG_DOT_H

#include <stddef.h>

#include "dag/graph.h"

/* Writes g as DOT to path ("-" or NULL: stdout). path_nodes (may be NULL)
 * marks the critical path. */
int roof_dag_write_dot(const roof_dag *g, const roof_dag_path *path, const char *out_path, roof_error *err);

/* Writes g as DOT with its attributes only (no labels, shapes or path),
 * fast: for generated graphs of a million nodes. Node names must be DOT
 * identifiers. */
int roof_dag_write_plain(const roof_dag *g, const char *out_path, roof_error *err);

/* Every output of `llmroof dag` at once: the DOT (dot NULL or "-":
 * stdout), and, with the dot layout, an SVG and a PNG (NULL: none). All
 * or nothing: each file goes to a temporary file first and all are renamed
 * into place only when every one was written; stdout gets the DOT only then. */
typedef struct roof_dag_outputs {
    const char *dot, *svg, *png;
    /* Called (when not NULL) as each long stage starts: "layout" (dot's
     * layout of all of g: minutes for 10^4 nodes), "svg", "png", and with
     * NULL once they are over; the caller shows it (the library prints
     * nothing). */
    void (*progress)(void *ctx, const char *stage);
    void *progress_ctx;
} roof_dag_outputs;

/* Graphviz's dot layout grows faster than the square of the nodes (17,000
 * nodes took 145 s): `llmroof dag` warns from ROOF_DAG_LAYOUT_WARN nodes
 * and refuses above ROOF_DAG_LAYOUT_MAX unless told to wait. */
#define ROOF_DAG_LAYOUT_WARN 5000
#define ROOF_DAG_LAYOUT_MAX 50000
int roof_dag_write_outputs(const roof_dag *g, const roof_dag_path *path, const roof_dag_outputs *outs, roof_error *err);

/* Reads a directed DOT graph from path into a new DAG (*out). Node
 * attributes are parsed and checked (an unknown one is an error naming
 * the node); times are not computed: see roof_dag_time, which names nodes
 * without dims. A file in the plain subset (docs/dag.md: node and edge
 * statements, graph attributes; what `llmroof dag --synthetic` writes) is
 * parsed directly, anything else through cgraph; ROOF_DOT_CGRAPH_ONLY
 * forces cgraph. */
enum { ROOF_DOT_CGRAPH_ONLY = 1 };
int roof_dag_read_dot(const char *path, int flags, roof_dag **out, roof_error *err);

/* As roof_dag_read_dot, from size bytes of text (not necessarily
 * NUL-terminated; copied) read as if from display. */
int roof_dag_read_dot_text(const char *text, size_t size, const char *display, int flags, roof_dag **out,
                           roof_error *err);

#endif
