/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/out.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/outfile.h"
#include "core/units.h"

#define MAX_COLS 96
#define MAX_SECTIONS 24

typedef struct {
    char key[64];
    char unit[16];
} column;

typedef struct {
    char key[96]; /* JSON key of the section ("" for a lone section) */
    roof_out_shape shape;
    char title[640];
    json_t *rows; /* array of flat objects: key -> value */
    json_t *cur;
    column cols[MAX_COLS];
    size_t ncols;
} section;

struct roof_out {
    roof_format fmt;
    section sec[MAX_SECTIONS];
    int nsec;
    int csv_section;
    char notes[4096]; /* lines printed after the table form */
};

int roof_format_parse(const char *text, roof_format *out, roof_error *err)
{
    if (strcmp(text, "table") == 0)
        *out = ROOF_FMT_TABLE;
    else if (strcmp(text, "csv") == 0)
        *out = ROOF_FMT_CSV;
    else if (strcmp(text, "json") == 0)
        *out = ROOF_FMT_JSON;
    else
        return roof_error_set(err, ROOF_ERR_USAGE, "--format", "unknown format '%s' (expected table, csv or json)",
                              text);
    return ROOF_OK;
}

roof_out *roof_out_new(roof_format fmt, roof_out_shape shape, const char *title)
{
    roof_out *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->fmt = fmt;
    o->nsec = 0;
    roof_out_section(o, "", shape, title);
    return o;
}

void roof_out_section(roof_out *o, const char *key, roof_out_shape shape, const char *title)
{
    if (o->nsec >= MAX_SECTIONS)
        return;
    section *sc = &o->sec[o->nsec++];
    memset(sc, 0, sizeof *sc);
    snprintf(sc->key, sizeof sc->key, "%s", key ? key : "");
    sc->shape = shape;
    snprintf(sc->title, sizeof sc->title, "%s", title ? title : "");
    sc->rows = json_array();
}

void roof_out_csv_here(roof_out *o)
{
    o->csv_section = o->nsec - 1;
}

void roof_out_note(roof_out *o, const char *line)
{
    size_t used = strlen(o->notes);
    snprintf(o->notes + used, sizeof o->notes - used, "%s\n", line);
}

void roof_out_free(roof_out *o)
{
    if (!o)
        return;
    for (int i = 0; i < o->nsec; i++)
        json_decref(o->sec[i].rows);
    free(o);
}

void roof_out_row(roof_out *o)
{
    section *sc = &o->sec[o->nsec - 1];
    sc->cur = json_object();
    json_array_append_new(sc->rows, sc->cur);
}

static void add(roof_out *o, const char *key, const char *unit, json_t *v)
{
    section *sc = &o->sec[o->nsec - 1];
    if (!sc->cur)
        roof_out_row(o);
    size_t i = 0;
    while (i < sc->ncols && strcmp(sc->cols[i].key, key) != 0)
        i++;
    if (i == sc->ncols && sc->ncols < MAX_COLS) {
        snprintf(sc->cols[i].key, sizeof sc->cols[i].key, "%s", key);
        snprintf(sc->cols[i].unit, sizeof sc->cols[i].unit, "%s", unit ? unit : "");
        sc->ncols++;
    }
    json_object_set_new(sc->cur, key, v);
}

void roof_out_num(roof_out *o, const char *key, const char *unit, double v)
{
    add(o, key, unit, json_real(v));
}

void roof_out_int(roof_out *o, const char *key, int64_t v)
{
    add(o, key, NULL, json_integer((json_int_t)v));
}

void roof_out_str(roof_out *o, const char *key, const char *v)
{
    add(o, key, NULL, json_string(v ? v : ""));
}

void roof_out_bool(roof_out *o, const char *key, int v)
{
    add(o, key, NULL, json_boolean(v));
}

void roof_out_count(roof_out *o, const char *key, double v)
{
    if (v == floor(v) && fabs(v) <= 9007199254740992.0)
        add(o, key, NULL, json_integer((json_int_t)v));
    else
        add(o, key, "", json_real(v));
}

void roof_out_null(roof_out *o, const char *key, const char *unit)
{
    add(o, key, unit, json_null());
}

/* Readable text of one value for tables, in its column's unit. */
static void cell_text(const json_t *v, const char *unit, char *buf, size_t size)
{
    if (!v)
        snprintf(buf, size, "-");
    else if (json_is_null(v))
        snprintf(buf, size, "%s", "");
    else if (json_is_string(v))
        snprintf(buf, size, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, size, "%s", json_is_true(v) ? "true" : "false");
    else
        roof_units_format(json_real_value(v), unit, buf, size);
}

void roof_out_csv_string(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Full-precision text of one value for csv. */
static void csv_text(FILE *f, const json_t *v)
{
    if (!v || json_is_null(v))
        return;
    if (json_is_string(v)) {
        roof_out_csv_string(f, json_string_value(v));
    } else if (json_is_integer(v)) {
        fprintf(f, "%lld", (long long)json_integer_value(v));
    } else if (json_is_boolean(v)) {
        fputs(json_is_true(v) ? "true" : "false", f);
    } else {
        fprintf(f, "%.17g", json_real_value(v));
    }
}

static void write_section_table(const section *o, FILE *f)
{
    if (o->title[0])
        fprintf(f, "%s\n", o->title);
    size_t nrows = json_array_size(o->rows);
    char buf[1024];
    if (o->shape == ROOF_OUT_RECORD) {
        size_t w = 0;
        for (size_t c = 0; c < o->ncols; c++)
            if (strlen(o->cols[c].key) > w)
                w = strlen(o->cols[c].key);
        const json_t *row = json_array_get(o->rows, 0);
        for (size_t c = 0; c < o->ncols; c++) {
            cell_text(json_object_get(row, o->cols[c].key), o->cols[c].unit, buf, sizeof buf);
            fprintf(f, "  %-*s  %s\n", (int)w, o->cols[c].key, buf);
        }
        return;
    }
    size_t width[MAX_COLS] = {0};
    for (size_t c = 0; c < o->ncols; c++) {
        width[c] = strlen(o->cols[c].key);
        for (size_t r = 0; r < nrows; r++) {
            cell_text(json_object_get(json_array_get(o->rows, r), o->cols[c].key), o->cols[c].unit, buf, sizeof buf);
            if (strlen(buf) > width[c])
                width[c] = strlen(buf);
        }
    }
    for (size_t c = 0; c < o->ncols; c++)
        fprintf(f, "%s%-*s", c ? "  " : "", c + 1 == o->ncols ? 0 : (int)width[c], o->cols[c].key);
    fputc('\n', f);
    for (size_t r = 0; r < nrows; r++) {
        const json_t *row = json_array_get(o->rows, r);
        /* The row ends at its last non-empty cell: no trailing blanks. */
        size_t end = o->ncols;
        while (end > 1) {
            cell_text(json_object_get(row, o->cols[end - 1].key), o->cols[end - 1].unit, buf, sizeof buf);
            if (buf[0])
                break;
            end--;
        }
        for (size_t c = 0; c < end; c++) {
            cell_text(json_object_get(row, o->cols[c].key), o->cols[c].unit, buf, sizeof buf);
            /* Numbers right-aligned, text left-aligned. */
            const json_t *v = json_object_get(row, o->cols[c].key);
            int left = v && json_is_string(v);
            int last = c + 1 == end;
            fprintf(f, "%s%*s", c ? "  " : "", left ? (last ? 0 : -(int)width[c]) : (int)width[c], buf);
        }
        fputc('\n', f);
    }
}

static void write_table(const roof_out *o, FILE *f)
{
    int printed = 0;
    for (int i = 0; i < o->nsec; i++) {
        if (o->sec[i].key[0] == '_')
            continue; /* csv only */
        if (!o->sec[i].title[0] && json_array_size(o->sec[i].rows) == 0)
            continue; /* an empty lead section */
        if (printed++)
            fputc('\n', f);
        write_section_table(&o->sec[i], f);
    }
    if (o->notes[0])
        fprintf(f, "\n%s", o->notes);
}

static void write_csv(const section *o, FILE *f)
{
    for (size_t c = 0; c < o->ncols; c++)
        fprintf(f, "%s%s", c ? "," : "", o->cols[c].key);
    fputc('\n', f);
    for (size_t r = 0; r < json_array_size(o->rows); r++) {
        const json_t *row = json_array_get(o->rows, r);
        for (size_t c = 0; c < o->ncols; c++) {
            if (c)
                fputc(',', f);
            csv_text(f, json_object_get(row, o->cols[c].key));
        }
        fputc('\n', f);
    }
}

/* Puts v at the dotted path key of obj ("ops.prefill" -> obj.ops.prefill). */
static void set_path(json_t *obj, const char *key, json_t *v)
{
    char part[96];
    const char *p = key, *dot;
    while ((dot = strchr(p, '.')) != NULL) {
        size_t len = (size_t)(dot - p) < sizeof part - 1 ? (size_t)(dot - p) : sizeof part - 1;
        memcpy(part, p, len);
        part[len] = '\0';
        json_t *child = json_object_get(obj, part);
        if (!json_is_object(child)) {
            child = json_object();
            json_object_set_new(obj, part, child);
        }
        obj = child;
        p = dot + 1;
    }
    json_object_set_new(obj, p, v);
}

/* Turns {"a.b": 1} into {"a": {"b": 1}}, keeping the order of keys. */
static json_t *nest(const json_t *flat)
{
    json_t *root = json_object();
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)flat, key, v)
    {
        set_path(root, key, json_incref(v));
    }
    return root;
}

static json_t *section_json(const section *o)
{
    json_t *doc;
    if (o->shape == ROOF_OUT_RECORD) {
        doc = json_array_size(o->rows) ? nest(json_array_get(o->rows, 0)) : json_object();
    } else {
        doc = json_array();
        for (size_t r = 0; r < json_array_size(o->rows); r++)
            json_array_append_new(doc, nest(json_array_get(o->rows, r)));
    }
    return doc;
}

/* An unkeyed section's JSON: a record's keys into doc itself, rows under
 * "rows" (empty ones too when rows_if_empty: a lone list of no rows is
 * still "rows": []). */
static void put_unkeyed(json_t *doc, const section *sc, int rows_if_empty)
{
    json_t *v = section_json(sc);
    if (json_is_object(v))
        json_object_update(doc, v);
    else if (rows_if_empty || json_array_size(v) > 0)
        json_object_set(doc, "rows", v);
    json_decref(v);
}

static int write_json(const roof_out *o, FILE *f)
{
    /* Always an object that opens with "schema_version", so that a script
     * can tell the layout it reads: a lone record's keys follow it, a lone
     * list of rows is "rows", sections are at their keys
     * (docs/json.md). */
    json_t *doc = json_object();
    json_object_set_new(doc, "schema_version", json_integer(ROOF_JSON_SCHEMA_VERSION));
    if (o->nsec == 1 && !o->sec[0].key[0]) {
        put_unkeyed(doc, &o->sec[0], 1);
    } else {
        for (int i = 0; i < o->nsec; i++) {
            if (o->sec[i].key[0] == '_')
                continue; /* csv only */
            if (!o->sec[i].key[0]) {
                /* The unkeyed first section beside keyed ones: a title
                 * alone, or a record whose keys go first (serve's record
                 * before its "slo" rows), or rows. */
                put_unkeyed(doc, &o->sec[i], 0);
                continue;
            }
            set_path(doc, o->sec[i].key, section_json(&o->sec[i]));
        }
    }
    int rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    fputc('\n', f);
    json_decref(doc);
    return rc;
}

static int render(const roof_out *o, FILE *f)
{
    switch (o->fmt) {
    case ROOF_FMT_CSV:
        write_csv(&o->sec[o->csv_section], f);
        return 0;
    case ROOF_FMT_JSON:
        return write_json(o, f);
    case ROOF_FMT_TABLE:
    default:
        write_table(o, f);
        return 0;
    }
}

static int render_any(const void *o, FILE *f)
{
    return render(o, f);
}

static int render_text(const void *text, FILE *f)
{
    return fputs(text, f) < 0;
}

static int write_atomic(const void *what, int (*fn)(const void *, FILE *), const char *path, roof_error *err);

int roof_out_write(roof_out *o, const char *path, roof_error *err)
{
    if (!path || strcmp(path, "-") == 0) {
        int rc = render(o, stdout);
        if (rc != 0 || fflush(stdout) != 0 || ferror(stdout))
            return roof_error_set(err, ROOF_ERR_RUNTIME, "stdout", "write error: %s", strerror(errno));
        return ROOF_OK;
    }
    return write_atomic(o, render_any, path, err);
}

int roof_out_write_text(const char *text, const char *path, roof_error *err)
{
    if (!path || strcmp(path, "-") == 0) {
        if (fputs(text, stdout) < 0 || fflush(stdout) != 0 || ferror(stdout))
            return roof_error_set(err, ROOF_ERR_RUNTIME, "stdout", "write error: %s", strerror(errno));
        return ROOF_OK;
    }
    return write_atomic(text, render_text, path, err);
}

/* Atomic: write a temporary file beside the target, then rename it; a
 * device or a FIFO is written directly (core/outfile.h). */
static int write_atomic(const void *what, int (*fn)(const void *, FILE *), const char *path, roof_error *err)
{
    roof_outfile_staged st;
    FILE *f;
    if (roof_outfile_open(path, &st, &f, err) != ROOF_OK ||
        roof_outfile_finish(&st, f, fn(what, f) != 0, err) != ROOF_OK)
        return err->code;
    return roof_outfile_commit(&st, 1, err);
}
