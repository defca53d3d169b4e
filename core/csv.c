/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/csv.h"
#include "core/infile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void roof_csv_free(roof_csv *csv)
{
    if (!csv)
        return;
    free(csv->cells);
    free(csv->lines);
    free(csv->store);
    memset(csv, 0, sizeof *csv);
}

/* Splits one record starting at *p in place: fields are unquoted into the
 * same storage and NUL-terminated. Returns the field count, or -1 on an
 * unterminated quote; *p moves past the record's line end, *line counts
 * the lines it spanned. fields may be NULL to count only. */
static long split_record(char **p, char **fields, size_t cap, size_t *line)
{
    char *s = *p;
    long nf = 0;
    for (;;) {
        char *out = s, *start = s;
        if (*s == '"') {
            s++;
            for (;;) {
                if (*s == '\0')
                    return -1;
                if (*s == '"' && s[1] == '"') {
                    *out++ = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    if (*s == '\n')
                        (*line)++;
                    *out++ = *s++;
                }
            }
            while (*s && *s != ',' && *s != '\n' && *s != '\r')
                *out++ = *s++; /* text after the closing quote is kept */
        } else {
            while (*s && *s != ',' && *s != '\n' && *s != '\r')
                s++;
            out = s;
        }
        char end = *s;
        if (fields && (size_t)nf < cap)
            fields[nf] = start;
        nf++;
        *out = '\0';
        if (end == ',') {
            s++;
            continue;
        }
        /* *s may be the NUL just written: step by the saved delimiter. */
        if (end == '\r') {
            s++;
            if (*s == '\n')
                s++;
        } else if (end == '\n') {
            s++;
        }
        (*line)++;
        *p = s;
        return nf;
    }
}

int roof_csv_parse(const char *text, const char *display, roof_csv *csv, roof_error *err)
{
    memset(csv, 0, sizeof *csv);
    size_t len = strlen(text);
    /* Two passes over copies: count the records, then fill the cells. */
    char *scratch = malloc(len + 1);
    csv->store = malloc(len + 1);
    if (!scratch || !csv->store) {
        free(scratch);
        roof_csv_free(csv);
        return roof_error_set(err, ROOF_ERR_RUNTIME, display, "out of memory");
    }
    memcpy(scratch, text, len + 1);
    memcpy(csv->store, text, len + 1);
    char *p = scratch;
    size_t line = 1, records = 0;
    long ncols = -1;
    while (*p) {
        size_t at = line;
        long nf = split_record(&p, NULL, 0, &line);
        if (nf < 0) {
            free(scratch);
            roof_csv_free(csv);
            return roof_error_at(err, ROOF_ERR_INPUT, display, at, "unterminated quoted field");
        }
        if (ncols < 0)
            ncols = nf;
        else if (nf != ncols) {
            free(scratch);
            roof_csv_free(csv);
            return roof_error_at(err, ROOF_ERR_INPUT, display, at, "expected %ld fields as in the header (got %ld)",
                                 ncols, nf);
        }
        records++;
    }
    free(scratch);
    if (records == 0) {
        roof_csv_free(csv);
        return roof_error_set(err, ROOF_ERR_INPUT, display, "no header row");
    }
    csv->ncols = (size_t)ncols;
    csv->nrows = records - 1;
    csv->cells = calloc(records * csv->ncols, sizeof *csv->cells);
    csv->lines = calloc(records, sizeof *csv->lines);
    if (!csv->cells || !csv->lines) {
        roof_csv_free(csv);
        return roof_error_set(err, ROOF_ERR_RUNTIME, display, "out of memory");
    }
    p = csv->store;
    line = 1;
    for (size_t r = 0; r < records; r++) {
        if (r > 0)
            csv->lines[r - 1] = line;
        split_record(&p, csv->cells + r * csv->ncols, csv->ncols, &line);
    }
    return ROOF_OK;
}

int roof_csv_read(const char *path, roof_csv *csv, roof_error *err)
{
    memset(csv, 0, sizeof *csv);
    char *text;
    int rc = roof_infile_read(path, "data", 0, ROOF_INFILE_TEXT, &text, NULL, err);
    if (rc != ROOF_OK)
        return rc;
    rc = roof_csv_parse(text, path, csv, err);
    free(text);
    return rc;
}

int roof_csv_col(const roof_csv *csv, const char *name)
{
    for (size_t c = 0; c < csv->ncols; c++)
        if (strcmp(csv->cells[c], name) == 0)
            return (int)c;
    return -1;
}

const char *roof_csv_cell(const roof_csv *csv, size_t r, int c)
{
    return csv->cells[(r + 1) * csv->ncols + (size_t)c];
}

int roof_csv_number(const char *cell, const char *col, int empty_ok, const char *path, size_t line, double *out,
                    roof_error *err)
{
    if (!*cell && empty_ok) {
        *out = NAN;
        return ROOF_OK;
    }
    char *end;
    double v = strtod(cell, &end);
    if (!*cell || *end || !isfinite(v)) {
        return roof_error_at(err, ROOF_ERR_INPUT, path, line, "'%s' is not a finite number (column '%s')", cell, col);
    }
    *out = v;
    return ROOF_OK;
}
