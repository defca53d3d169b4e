/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Output in the three formats every subcommand offers: table for people
 * (readable units), csv and json for programs (SI base units, full
 * precision). A subcommand adds rows of named fields; the writer renders them
 * at the end, so a failed run writes nothing. With --output the file appears
 * atomically (temporary file, then rename) and only on success; a device or
 * a FIFO is written directly (core/outfile.h).
 *
 * JSON: a dotted key ("compute.bf16") becomes a nested object. A record is
 * one object; rows are an array of objects. The document is always an
 * object whose first key is "schema_version" (ROOF_JSON_SCHEMA_VERSION); a
 * lone list of rows is its "rows" (docs/json.md).
 */
#ifndef ROOF_CLI_OUT_H
#define ROOF_CLI_OUT_H

#include <stdint.h>
#include <stdio.h>

#include "core/error.h"

/* The version of the JSON layout (docs/json.md): raised when a key is
 * renamed, removed or changes type; new keys do not raise it. */
#define ROOF_JSON_SCHEMA_VERSION 1

typedef enum { ROOF_FMT_TABLE, ROOF_FMT_CSV, ROOF_FMT_JSON } roof_format;
typedef enum { ROOF_OUT_RECORD, ROOF_OUT_ROWS } roof_out_shape;

typedef struct roof_out roof_out;

int roof_format_parse(const char *text, roof_format *out, roof_error *err);

/* Starts an output; title (may be NULL) heads the table form only. */
roof_out *roof_out_new(roof_format fmt, roof_out_shape shape, const char *title);
void roof_out_free(roof_out *o);

/* Starts a further section: the table form prints each with its title; the
 * json form puts each at its key (dotted keys nest: "ops.prefill"); the
 * csv form prints one section only, the first unless roof_out_csv_here
 * names the current one. A key starting with '_' marks a section for the
 * csv form only. Rows and fields go to the current section. */
void roof_out_section(roof_out *o, const char *key, roof_out_shape shape, const char *title);
void roof_out_csv_here(roof_out *o);

/* A line printed after the table form (warnings, the critical path). */
void roof_out_note(roof_out *o, const char *line);

void roof_out_row(roof_out *o); /* starts a new row (ROWS shape) */
void roof_out_num(roof_out *o, const char *key, const char *unit, double v);
void roof_out_int(roof_out *o, const char *key, int64_t v);
void roof_out_str(roof_out *o, const char *key, const char *v);
void roof_out_bool(roof_out *o, const char *key, int v);
/* A count held in a double (a GEMM dimension, a KV length): a JSON integer
 * when it is whole and at most 2^53 (where a double still holds every
 * integer), else a real, as roof_out_num writes it. */
void roof_out_count(roof_out *o, const char *key, double v);
/* A value that is missing (a metric that does not apply, a point that
 * failed): null in json, empty in csv and tables. */
void roof_out_null(roof_out *o, const char *key, const char *unit);

/* Renders to path (NULL or "-" = stdout). Returns ROOF_OK or a write error. */
int roof_out_write(roof_out *o, const char *path, roof_error *err);

/* Writes text to path (NULL or "-" = stdout) atomically, as roof_out_write
 * does. */
int roof_out_write_text(const char *text, const char *path, roof_error *err);

/* One csv cell of text (RFC 4180): quoted when it holds a comma, a quote
 * or a newline, quotes doubled. Shared by roof_out_write and the writers
 * that stream their rows (critical-path). */
void roof_out_csv_string(FILE *f, const char *s);

#endif
