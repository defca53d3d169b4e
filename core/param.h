/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parameter registry: every number a user can set has a dotted path
 * ("hw.memory.bandwidth"), the same in config files, --set, sweeps and JSON.
 *
 * A registry is a static table of roof_param entries, each naming a field of
 * a plain C struct by offset, with unit, meaning and valid range. The same
 * table drives loading (config files), overriding (--set), listing
 * (`llmroof params`) and, later, sweeps and sensitivity. Module tables live
 * beside their structs (hw/hw_params.c for hw.*); this file holds only the
 * mechanism. Nothing here allocates.
 */
#ifndef ROOF_CORE_PARAM_H
#define ROOF_CORE_PARAM_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef enum {
    ROOF_PARAM_DOUBLE, /* double, SI base unit */
    ROOF_PARAM_INT,    /* int64_t count */
    ROOF_PARAM_BOOL,   /* int, 0 or 1 */
    ROOF_PARAM_ENUM    /* int, an index into choices; written as its name */
} roof_param_kind;

enum {
    ROOF_PARAM_REQUIRED = 1 << 0,   /* a profile or config must set it */
    ROOF_PARAM_MIN_OPEN = 1 << 1,   /* the minimum is excluded: value > min */
    ROOF_PARAM_CONTINUOUS = 1 << 2, /* a real-valued knob: sensitivity varies it */
    ROOF_PARAM_ZERO_OK = 1 << 3     /* 0 means "absent" and is allowed (e.g. a dtype the part lacks) */
};

typedef struct roof_param {
    const char *path; /* full dotted path, e.g. "hw.memory.bandwidth" */
    roof_param_kind kind;
    size_t offset;       /* offset of the field in the section's struct */
    const char *unit;    /* "B/s", "s", "" for plain numbers */
    const char *meaning; /* one line, for `llmroof params` and the docs */
    double min, max;     /* valid range (see ROOF_PARAM_MIN_OPEN) */
    int flags;
    const char *const *choices; /* ENUM: the names, NULL-terminated */
    double def;                 /* the default when a config omits it */
} roof_param;

/* The largest value of an INT parameter: 2^53, the last whole number a
 * double holds exactly (the parsers read every number as a double). */
#define ROOF_PARAM_INT_MAX 9007199254740992.0

/* Where one parameter's value came from, for `--explain`: "file:line",
 * "--set", "default". */
#define ROOF_WHERE_LEN 160
typedef char roof_where[ROOF_WHERE_LEN];

typedef struct roof_param_table {
    const char *section;      /* "hw": the first path component */
    const roof_param *params; /* entries, in the order `params` lists them */
    size_t count;
} roof_param_table;

/* Finds a parameter by full path; NULL when there is none. */
const roof_param *roof_param_find(const roof_param_table *t, const char *path);

/* The path relative to the section: "memory.bandwidth" for
 * "hw.memory.bandwidth" (what a profile file writes). */
const char *roof_param_local_path(const roof_param_table *t, const roof_param *p);

/* Reads and writes the field as a double (INT and BOOL converted). */
double roof_param_get(const roof_param *p, const void *base);
void roof_param_put(const roof_param *p, void *base, double v);

/* Checks v against the parameter's kind and range. On failure writes
 * "'PATH' must be ... (got V)" with the given code and where. */
int roof_param_check(const roof_param *p, const char *shown_path, double v, int code, const char *where,
                     roof_error *err);

/* v moved into the parameter's range: the nearest valid value (for an
 * open minimum, the next number above it; for INT, a whole one). Analyses
 * that move a parameter by a percentage use it so that an efficiency of
 * 0.9 + 20% stays 1, not 1.08. */
double roof_param_clamp(const roof_param *p, double v);

/* Parses "PATH=VALUE" (the --set syntax) against the tables and applies it to
 * the struct the matching table's base points to. bases[i] belongs to
 * tables[i]. Errors (code ROOF_ERR_USAGE): missing '=', unknown path with a
 * "did you mean" hint, bad number, value out of range. */
int roof_param_set(const roof_param_table *const *tables, void *const *bases, size_t ntables, const char *assignment,
                   roof_error *err);

/* Finds path among the tables: *table is the index of the table holding
 * it. Unknown path: ROOF_ERR_USAGE at where, with a "did you mean" hint. */
int roof_param_lookup(const roof_param_table *const *tables, size_t ntables, const char *path, const char *where,
                      size_t *table, const roof_param **param, roof_error *err);

/* ENUM: the index of name among the choices, or -1; and the name of an
 * index. */
int roof_param_choice(const roof_param *p, const char *name);
const char *roof_param_choice_name(const roof_param *p, int index);

/* ENUM: "one of a, b or c" into buf, for messages. */
void roof_param_choices_text(const roof_param *p, char *buf, size_t size);

/* Parses text as a value of p (numbers with suffixes, true/false for BOOL,
 * a choice name for ENUM) and checks its range; shown_path names it in
 * messages. */
int roof_param_parse_value(const roof_param *p, const char *shown_path, const char *text, double *out, int code,
                           const char *where, roof_error *err);

/* Writes the value in the unit's readable form into buf ("3.35 TB/s"). */
void roof_param_format(const roof_param *p, double v, char *buf, size_t size);

#endif
