/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Auditing a hardware profile: `llmroof hw check` (a lint with file:line
 * findings), `hw show` (each value with the comment that gives its source)
 * and `hw diff`. The loader (hw/profile.c) stops at the first error; the
 * check goes on and collects every finding it can, and adds warnings for
 * values that load but are probably wrong (a unit off by 1000, a narrow
 * dtype slower than a wide one, a link faster than its generation allows).
 * Nothing here prints: the findings are data for cli/cmd_hw.c.
 */
#ifndef ROOF_HW_PROFILE_CHECK_H
#define ROOF_HW_PROFILE_CHECK_H

#include <stddef.h>

#include "core/error.h"
#include "core/param.h"
#include "hw/hw.h"

typedef enum { ROOF_FINDING_WARNING, ROOF_FINDING_ERROR } roof_finding_level;

typedef struct roof_finding {
    roof_finding_level level;
    char where[ROOF_WHERE_LEN]; /* "file:line", or "file" */
    char msg[320];
} roof_finding;

#define ROOF_CHECK_MAX 64
typedef struct roof_check_report {
    roof_finding items[ROOF_CHECK_MAX];
    size_t count;   /* findings kept */
    size_t dropped; /* findings beyond ROOF_CHECK_MAX, counted only */
    size_t errors, warnings;
} roof_check_report;

/* The text of a profile, a built-in name (or alias) or a file, in a
 * malloc'd buffer (*text, freed by the caller), with the name errors give
 * it (display: "hw/profiles/h100-sxm.cfg" or the path). */
int roof_hw_profile_text(const char *name_or_path, char **text, char *display, size_t display_size, roof_error *err);

/* Checks a profile's text. Errors (ROOF_FINDING_ERROR) are what the loader
 * refuses, every one of them: a syntax error, unknown or missing settings,
 * values out of range. Warnings are the plausibility rules. Returns
 * ROOF_OK when the check ran (whatever it found); an error only when it
 * could not (out of memory). */
int roof_hw_check_text(const char *text, const char *display, roof_check_report *rep, roof_error *err);

/* The comment on line `line` of text (after a '#' or "//" outside a quoted
 * string), trimmed, into buf; "" when the line has none. */
void roof_hw_line_comment(const char *text, int line, char *buf, size_t size);

/* Where each hw.* parameter of a profile's text is set: lines[i] for
 * roof_hw_params.params[i] (0 when the profile leaves it out). */
int roof_hw_param_lines(const char *text, const char *display, int *lines, roof_error *err);

/* One link generation's physical rate, for the bandwidth rule: per GPU
 * per direction, B/s. The generation is named in the comment of the
 * bandwidth line or of its tier ("NVLink4", "PCIe Gen5", "NDR"). NULL when
 * the comment names none. */
typedef struct roof_link_gen {
    const char *token; /* matched without regard to case */
    double rate;       /* B/s per direction */
    const char *what;  /* "NVLink 4 (18 links x 25 GB/s)" */
} roof_link_gen;
const roof_link_gen *roof_hw_link_gen(const char *comment);

#endif
