/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the parts of the checker (report/check.c, report/match.c,
 * report/match_judge.c, report/op_words.c, report/check_prose.c,
 * report/check_claims.c, report/findings.c); not a public interface. */
#ifndef ROOF_REPORT_CHECK_PRIVATE_H
#define ROOF_REPORT_CHECK_PRIVATE_H

#include "report/check.h"

/* Adds a finding (an identical one on the same line is not repeated). */
void roof_check_add(roof_check *c, roof_severity sev, int line, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A time for messages: "3.2 ms". */
const char *roof_check_ms(double s, char *buf, size_t size);

/* A dimension for messages: whole numbers in full ("10240000"). */
const char *roof_check_dim(double v, char *buf, size_t size);

/* Matches every call of c->rep (in range, ok, timed) to the op of res it
 * most likely means: words first, then shape, then order (the ops of a
 * layer come in their list's order); then infers the report's plan (its
 * per-GPU work against the config's) and adds the findings on the shapes. */
void roof_check_match_calls(roof_check *c, const roof_scenario *s, const roof_result *res);

/* The findings on call i, matched (c->calls[i].match), against the
 * report's plan (c->plan_factor) (report/match_judge.c). */
void roof_check_judge(roof_check *c, const roof_scenario *s, const roof_result *res, int i);

/* Two dimensions are the same: within 0.5% of b and half a unit. */
int roof_check_same(double a, double b);

/* Structure of the formulas: is op `name` given by a call outside calls
 * [from, to) (its line in *line)? */
int roof_check_op_given(const roof_check *c, const char *name, int from, int to, int *line);

/* The ops in a report's words (report/op_words.c): what each dimension of
 * a GEMM op is, in the user's terms, and the words that name it. */
typedef struct {
    const char *op;
    const char *m, *k, *n;
    const char *keywords; /* '|'-separated, lower case, matched in the call's line */
    int needs_words;      /* matched only when named: its shape alone is too distinctive to guess */
} roof_check_op_dims;

/* The table, ROOF_CHECK_NOP_DIMS rows (a length the scoring's arrays need
 * at compile time; op_words.c asserts it); the row of op, NULL when none. */
#define ROOF_CHECK_NOP_DIMS 19
extern const roof_check_op_dims roof_check_op_dims_table[];
const roof_check_op_dims *roof_check_dims_of(const char *op);

/* The length of the longest of keywords ('|'-separated) in context (read
 * as report/op_words.c says); 0 when none. */
size_t roof_check_keyword_len(const char *context, const char *keywords);

/* Does s, lower-cased, hold w? Is op an expert's? Does label name a third
 * matrix of a two-matrix MLP ("MLP output projection")? */
int roof_check_lower_has(const char *s, const char *w);
int roof_check_is_expert(const roof_op *op);
int roof_check_names_extra_mlp(const char *label);

/* Does a fused op cover `name`? Do the words of text name it? */
int roof_check_fused_covers(const char *fused, const char *name);
int roof_check_words_name(const char *text, const char *name);

/* The op that words name (longest name), NULL when none. */
const char *roof_check_op_named(const char *words);

/* Line ranges (--lines). */
int roof_check_in_ranges(const roof_check *c, int line);

/* The report's prose against the model (report/check_prose.c): the plan's
 * counts, FLOP counts, lists and repeated shapes in words. */
void roof_check_prose(roof_check *c, const roof_scenario *s, const roof_result *res);

/* The report's numeric claims (in range) and the config's, each once,
 * against the model (report/check_claims.c). */
void roof_check_claims(roof_check *c, const roof_scenario *s, const roof_result *res);

#endif
