/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the parts of the checker (report/check.c, report/match.c);
 * not a public interface. */
#ifndef ROOF_REPORT_CHECK_PRIVATE_H
#define ROOF_REPORT_CHECK_PRIVATE_H

#include "report/check.h"

/* Adds a finding (an identical one on the same line is not repeated). */
void roof_check_add(roof_check *c, roof_severity sev, int line, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A time for messages: "3.2 ms". */
const char *roof_check_ms(double s, char *buf, size_t size);

/* Matches every call of c->rep (in range, ok, timed) to the op of res it
 * most likely means: words first, then shape, then order (the ops of a
 * layer come in their list's order); then infers the report's plan (its
 * per-GPU work against the config's) and adds the findings on the shapes. */
void roof_check_match_calls(roof_check *c, const roof_scenario *s, const roof_result *res);

/* Structure of the formulas: is op `name` given by a call outside calls
 * [from, to) (its line in *line)? Does a fused op cover `name`? Do the
 * words of text name it? */
int roof_check_op_given(const roof_check *c, const char *name, int from, int to, int *line);
int roof_check_fused_covers(const char *fused, const char *name);
int roof_check_words_name(const char *text, const char *name);

/* The op that words name (longest name), NULL when none. */
const char *roof_check_op_named(const char *words);

/* Line ranges (--lines). */
int roof_check_in_ranges(const roof_check *c, int line);

/* The report's prose against the model (report/check_prose.c): the plan's
 * counts, FLOP counts, lists and repeated shapes in words. */
void roof_check_prose(roof_check *c, const roof_scenario *s, const roof_result *res);

#endif
