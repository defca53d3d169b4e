/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a performance report (Markdown or text): every Get_Time call with
 * its line, arguments and adjacent multipliers; every total formula the
 * report writes (NAME = expression, in prose or in code blocks, continued
 * over lines while brackets are open or lines start with an operator); and
 * the numeric claims in its text (parameter counts, throughput, TTFT,
 * memory use). Nothing here knows the model: report/check.c compares.
 *
 * A roof_report is allocated by roof_report_read and freed by
 * roof_report_free (NULL is a no-op). Any input is accepted: binary junk,
 * unbalanced parentheses or huge numbers become problems recorded on the
 * call or formula, never a crash.
 */
#ifndef ROOF_REPORT_EXTRACT_H
#define ROOF_REPORT_EXTRACT_H

#include <stddef.h>

#include "core/error.h"
#include "report/expr.h"

#define ROOF_REPORT_MAX_CALLS 8192
#define ROOF_REPORT_MAX_FORMULAS 256
#define ROOF_REPORT_MAX_CLAIMS 128
#define ROOF_REPORT_MAX_BYTES (64u << 20)

typedef struct roof_report_call {
    int line;
    roof_gt_span span;
    char text[200];  /* the call as written (shortened) */
    char near[200];  /* its own part of its line, up to the next call (with a // comment) */
    char above[200]; /* up to 3 lines above, not past a blank line */
    roof_gt_args args;
    int ok;                         /* three numeric arguments */
    char problem[200];              /* why not, when !ok */
    double mult_before, mult_after; /* N x Get_Time(...) x M; 1 when none */
    double mult_group; /* N x (... Get_Time(...) ...): the count of an enclosing bracket group; 1 when none */
} roof_report_call;

typedef struct roof_report_formula {
    int line, end_line;
    char name[96];
    size_t start, end;      /* the expression's span in the text */
    int first_call, ncalls; /* the calls inside it */
    int parsed;
    char problem[200];
} roof_report_formula;

typedef enum {
    ROOF_CLAIM_PARAMS,
    ROOF_CLAIM_TOKENS_PER_S,
    ROOF_CLAIM_TOKENS_PER_S_PER_GPU,
    ROOF_CLAIM_TTFT_S,
    ROOF_CLAIM_MEMORY_FRACTION
} roof_claim_kind;

typedef struct roof_report_claim {
    roof_claim_kind kind;
    int line; /* 0 for a claim from the config's claims block */
    double value;
    int bound; /* -1: at most ("< 2 s"), 0: about, +1: at least ("850+") */
    char text[160];
} roof_report_claim;

typedef struct roof_report {
    char path[512];
    char *text;
    size_t len;
    int binary; /* NUL bytes or mostly non-text */
    int ncalls, nformulas, nclaims, dropped_calls;
    /* Grown as calls are found (up to ROOF_REPORT_MAX_CALLS): a fixed array
     * made every report, even an empty one, cost 8 MB, which under ASan
     * held the report fuzzer to about 30 inputs a second. */
    roof_report_call *calls;
    int calls_cap;
    roof_report_formula formulas[ROOF_REPORT_MAX_FORMULAS];
    roof_report_claim claims[ROOF_REPORT_MAX_CLAIMS];
} roof_report;

/* Reads and scans path. Errors only for an unreadable or too large file. */
int roof_report_read(const char *path, roof_report **out, roof_error *err);

/* Scans text (copied) as if read from display. */
int roof_report_scan(const char *text, size_t len, const char *display, roof_report **out, roof_error *err);

void roof_report_free(roof_report *r);

const char *roof_claim_name(roof_claim_kind k);

#endif
