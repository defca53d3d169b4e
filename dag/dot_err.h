/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Graphviz prints its warnings and errors to stderr unless a handler takes
 * them; the library must not print, so they are captured here (the last
 * message, trimmed) and put into the roof_error of the call. Not thread
 * safe: Graphviz's handler is process-wide. */
#ifndef ROOF_DAG_DOT_ERR_H
#define ROOF_DAG_DOT_ERR_H

void roof_dot_capture_begin(void);
void roof_dot_capture_end(void);
/* The last captured message ("" when none), without "Error: " or the
 * newline. */
const char *roof_dot_captured(void);
/* Whether an error (not a warning) was captured since the last begin:
 * cgraph reports some errors (its parser's stack exhausted) and still
 * returns the graph read so far. */
int roof_dot_capture_failed(void);

#endif
