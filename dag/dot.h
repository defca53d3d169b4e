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

#include "dag/graph.h"

/* Writes g as DOT to path ("-" or NULL: stdout). path_nodes (may be NULL)
 * marks the critical path. */
int roof_dag_write_dot(const roof_dag *g, const roof_dag_path *path, const char *out_path, roof_error *err);

/* Renders g with the dot layout to path in format "svg" or "png". */
int roof_dag_render(const roof_dag *g, const roof_dag_path *path, const char *format, const char *out_path,
                    roof_error *err);

/* Reads a directed DOT graph from path into a new DAG (*out). Node
 * attributes are parsed and checked (unknown ones and missing dims are
 * errors naming the node); times are not computed: see roof_dag_time. */
int roof_dag_read_dot(const char *path, roof_dag **out, roof_error *err);

#endif
