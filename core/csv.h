/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small reader for the reference CSVs (RFC 4180: a header row, commas,
 * double-quoted fields with "" for a quote, LF or CRLF line ends). The
 * caller owns the roof_csv; roof_csv_free releases what the reader
 * allocated (roof_csv_free on a zeroed struct is a no-op).
 */
#ifndef ROOF_CORE_CSV_H
#define ROOF_CORE_CSV_H

#include <stddef.h>

#include "core/error.h"

typedef struct roof_csv {
    size_t nrows;  /* data rows, the header excluded */
    size_t ncols;  /* fields of the header; every row has as many */
    char **cells;  /* (nrows + 1) x ncols, the header first */
    size_t *lines; /* line number of each data row in the text */
    char *store;   /* the text the cells point into */
} roof_csv;

/* Parses text (display names it in errors: "name:line: ..."). Errors
 * (ROOF_ERR_INPUT): no header, an unterminated quote, a row with another
 * number of fields than the header. */
int roof_csv_parse(const char *text, const char *display, roof_csv *csv, roof_error *err);
int roof_csv_read(const char *path, roof_csv *csv, roof_error *err);
void roof_csv_free(roof_csv *csv);

/* The column named name, or -1. */
int roof_csv_col(const roof_csv *csv, const char *name);
/* Cell of data row r (0-based) in column c. */
const char *roof_csv_cell(const roof_csv *csv, size_t r, int c);

/* A numeric cell of column col, on line of path: a finite number into
 * *out, or, where empty_ok, an empty cell as NaN (a metric that does not
 * apply); else "path:line: 'CELL' is not a finite number (column 'COL')". */
int roof_csv_number(const char *cell, const char *col, int empty_ok, const char *path, size_t line, double *out,
                    roof_error *err);

#endif
