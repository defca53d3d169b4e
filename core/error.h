/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Errors of the llmroof library.
 *
 * Library functions never print or exit: they return a status and fill a
 * caller-owned roof_error with a code (the CLI's exit code), where the problem
 * is (file:line of the input, or the option) and a message. The CLI prints
 * "llmroof: <where>: <message>". Codes follow STYLE.md.
 */
#ifndef ROOF_CORE_ERROR_H
#define ROOF_CORE_ERROR_H

#include <stddef.h>

enum {
    ROOF_OK = 0,
    ROOF_ERR_RUNTIME = 1, /* runtime or model error */
    ROOF_ERR_USAGE = 2,   /* bad command line */
    ROOF_ERR_INPUT = 3,   /* bad config or input file */
    ROOF_ERR_CHECK = 4    /* check or validation outside tolerance */
};

typedef struct roof_error {
    int code;
    char where[256];
    char msg[512];
} roof_error;

/* Sets *err (when err is not NULL) and returns code, so that callers can
 * write `return roof_error_set(err, ROOF_ERR_INPUT, file, "...", ...);`.
 * where may be NULL. */
int roof_error_set(roof_error *err, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* roof_error_set with where "path:line": the place in an input file that
 * an error names (a CSV row's line, csv.lines[r]). */
int roof_error_at(roof_error *err, int code, const char *path, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Clears *err to "no error". */
void roof_error_clear(roof_error *err);

#endif
