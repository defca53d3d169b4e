/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The arithmetic of performance reports, as people write it: 1024×10000,
 * 1024*10000, 1024 x 10000, 10,240,000; multipliers before or after a call
 * (16×Get_Time(...), Get_Time(...) × 3); sums over brackets
 * (4 × [ ... ]); max(...) and min(...); words standing for unknown terms
 * (Pipeline_Overhead); parenthesized prose, which is a comment
 * ("(QKV projections)"); and // comments.
 *
 * An expression is parsed into a small bounded tree (no allocation: the
 * caller provides the node array), then evaluated: each Get_Time call gets
 * its time from a callback, and its coefficient (how many times the total
 * counts it) and whether it sits inside max() are recorded. Depth and size
 * are bounded, so hostile input cannot overflow the stack or hang.
 */
#ifndef ROOF_REPORT_EXPR_H
#define ROOF_REPORT_EXPR_H

#include <stddef.h>

#include "core/error.h"

#define ROOF_EXPR_MAX_NODES 2048
#define ROOF_EXPR_MAX_DEPTH 48
#define ROOF_EXPR_MAX_CALLS 256

typedef enum {
    ROOF_EX_NUM,
    ROOF_EX_CALL, /* Get_Time(...): value from the callback */
    ROOF_EX_NAME, /* a word: an unknown term (value 0) or a known name */
    ROOF_EX_ADD,
    ROOF_EX_SUB,
    ROOF_EX_MUL,
    ROOF_EX_DIV,
    ROOF_EX_NEG,
    ROOF_EX_MAX,
    ROOF_EX_MIN
} roof_ex_kind;

typedef struct roof_ex_node {
    roof_ex_kind kind;
    double value;             /* NUM */
    int call;                 /* CALL: index into the caller's calls */
    int name_start, name_len; /* NAME: offset in the text */
    int a, b;                 /* children (binary), a for NEG; MAX/MIN: first child in `a`, siblings via `next` */
    int next;                 /* next argument of MAX/MIN, -1 at the end */
} roof_ex_node;

/* Parsing arguments of Get_Time: up to 3 numbers. A thousands separator
 * (10,240,000) is taken only where it leaves exactly 3 arguments. */
typedef struct roof_gt_args {
    int n;         /* arguments found */
    double v[3];   /* their values; NaN where an argument has an unknown word */
    char word[64]; /* the first unknown word, if any */
} roof_gt_args;

int roof_gt_parse_args(const char *text, size_t len, roof_gt_args *out, roof_error *err);

/* A Get_Time call found in a text: [start, end) covers "Get_Time(...)". */
typedef struct roof_gt_span {
    size_t start, end;
    size_t args_start, args_end;
} roof_gt_span;

/* Finds the next "Get_Time(" at or after pos, case-insensitive, with its
 * matching ")" before a blank line. Returns 1 and fills span; 0 when there
 * is none; -1 when the parentheses do not close (span->start set). */
int roof_gt_find(const char *text, size_t len, size_t pos, roof_gt_span *span);

typedef struct roof_expr {
    roof_ex_node nodes[ROOF_EXPR_MAX_NODES];
    int n, root;
    int has_max;       /* a max() or min() over calls */
    int unknown_terms; /* words with no value */
    char first_unknown[64];
} roof_expr;

/* Parses text[0, len) into e. Calls are recognised through the spans
 * (sorted by start, offsets relative to text); span i becomes call index
 * first_call + i. Errors: syntax (message names the column), too deep, too
 * large. */
int roof_expr_parse(const char *text, size_t len, const roof_gt_span *spans, int nspans, int first_call, roof_expr *e,
                    roof_error *err);

/* The value of e, with call values from calls[i] and names resolved by
 * lookup (may be NULL: every name is 0). coef[i] receives how many times
 * the total counts call i (0 when it does not count), in_max[i] whether it
 * sits inside max/min. coef and in_max have ncalls entries. */
double roof_expr_eval(const roof_expr *e, const char *text, const double *calls, double *coef, int *in_max, int ncalls,
                      double (*lookup)(void *user, const char *name, size_t len, int *found), void *user);

#endif
