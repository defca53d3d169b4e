/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading registry parameters out of libconfig files, shared by the profile
 * loader (hw/profile.c) and the deployment loader (model/config.c): one
 * reader for every number (int, int64, float, or a string with an SI
 * suffix, as STYLE.md asks), booleans and choice names; file:line for every
 * error; unknown settings rejected with a "did you mean".
 */
#ifndef ROOF_CORE_CFG_H
#define ROOF_CORE_CFG_H

#include <libconfig.h>
#include <stddef.h>

#include "core/error.h"
#include "core/param.h"

/* "file:line" of setting s (just "file" when s is NULL or has no line). */
void roof_cfg_where(const char *file, const config_setting_t *s, char *buf, size_t size);

/* The dotted path of s below the root ("memory.bandwidth"). */
void roof_cfg_path(const config_setting_t *s, char *buf, size_t size);

/* Reads s as a value of p (shown as shown_path in messages) and checks its
 * range; errors carry ROOF_ERR_INPUT and file:line. */
int roof_cfg_read(const char *file, const config_setting_t *s, const roof_param *p, const char *shown_path, double *out,
                  roof_error *err);

/* The nearest enclosing group of path that exists, so that a missing setting
 * points at the group it belongs in; NULL when none does. */
const config_setting_t *roof_cfg_nearest_group(const config_t *cfg, const char *path);

/* Checks every leaf setting under group: known(path, ctx) says whether its
 * dotted path is allowed; an unknown one is an error naming file:line, with
 * the nearest of cands as a hint. */
int roof_cfg_check_unknown(const char *file, const config_setting_t *group, int (*known)(const char *path, void *ctx),
                           void *ctx, const char *const *cands, size_t ncands, roof_error *err);

/* Parses the file (text NULL) or text (file names it in errors) into cfg,
 * which the caller has initialised and destroys. Before libconfig sees it,
 * the text is refused with file:line when it holds a NUL byte or an
 * '@include' line: libconfig 1.5 resolves includes against the working
 * directory and, given a folder, its scanner prints "input in flex scanner
 * failed" and calls exit(2) (found by fuzz/config.c). what names the kind
 * of file ("profile", "config"). */
int roof_cfg_parse(config_t *cfg, const char *file, const char *text, const char *what, roof_error *err);

/* The error for a failed config_read_file/config_read_string: "cannot read"
 * for I/O, else "file:line: <libconfig's text>". what names the kind of file
 * ("profile", "config"). */
int roof_cfg_read_error(const config_t *cfg, const char *file, const char *what, roof_error *err);

#endif
