/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/cfg.h"
#include "core/cfg_ints.h"
#include "core/infile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/suggest.h"

void roof_cfg_where(const char *file, const config_setting_t *s, char *buf, size_t size)
{
    unsigned line = s ? config_setting_source_line(s) : 0;
    if (line)
        snprintf(buf, size, "%s:%u", file, line);
    else
        snprintf(buf, size, "%s", file);
}

void roof_cfg_path(const config_setting_t *s, char *buf, size_t size)
{
    const config_setting_t *chain[16];
    size_t n = 0;
    for (const config_setting_t *p = s; p && config_setting_name(p) && n < 16; p = config_setting_parent(p))
        chain[n++] = p;
    buf[0] = '\0';
    size_t used = 0;
    while (n > 0) {
        const char *name = config_setting_name(chain[--n]);
        int w = snprintf(buf + used, size - used, "%s%s", used ? "." : "", name);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

int roof_cfg_read(const char *file, const config_setting_t *s, const roof_param *p, const char *shown_path, double *out,
                  roof_error *err)
{
    char where[600];
    roof_cfg_where(file, s, where, sizeof where);
    int type = config_setting_type(s);
    if (p->kind == ROOF_PARAM_ENUM) {
        if (type != CONFIG_TYPE_STRING) {
            char choices[256];
            roof_param_choices_text(p, choices, sizeof choices);
            return roof_error_set(err, ROOF_ERR_INPUT, where, "'%s' must be %s", shown_path, choices);
        }
        return roof_param_parse_value(p, shown_path, config_setting_get_string(s), out, ROOF_ERR_INPUT, where, err);
    }
    if (p->kind == ROOF_PARAM_BOOL) {
        if (type == CONFIG_TYPE_BOOL) {
            *out = config_setting_get_bool(s) ? 1.0 : 0.0;
            return ROOF_OK;
        }
        if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64) {
            *out = (double)config_setting_get_int64(s);
            return roof_param_check(p, shown_path, *out, ROOF_ERR_INPUT, where, err);
        }
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'%s' must be true or false", shown_path);
    }
    switch (type) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        *out = (double)config_setting_get_int64(s);
        break;
    case CONFIG_TYPE_FLOAT:
        *out = config_setting_get_float(s);
        break;
    case CONFIG_TYPE_STRING:
        return roof_param_parse_value(p, shown_path, config_setting_get_string(s), out, ROOF_ERR_INPUT, where, err);
    default:
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'%s' must be a number", shown_path);
    }
    return roof_param_check(p, shown_path, *out, ROOF_ERR_INPUT, where, err);
}

const config_setting_t *roof_cfg_nearest_group(const config_t *cfg, const char *path)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *dot = strrchr(buf, '.'); dot; dot = strrchr(buf, '.')) {
        *dot = '\0';
        const config_setting_t *g = config_lookup(cfg, buf);
        if (g)
            return g;
    }
    return NULL;
}

int roof_cfg_check_unknown(const char *file, const config_setting_t *group, int (*known)(const char *path, void *ctx),
                           void *ctx, const char *const *cands, size_t ncands, roof_error *err)
{
    int n = config_setting_length(group);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        char path[200];
        roof_cfg_path(s, path, sizeof path);
        if (known(path, ctx))
            continue;
        if (config_setting_is_group(s)) {
            int rc = roof_cfg_check_unknown(file, s, known, ctx, cands, ncands, err);
            if (rc != ROOF_OK)
                return rc;
            continue;
        }
        char where[600];
        roof_cfg_where(file, s, where, sizeof where);
        const char *hint = roof_suggest(path, cands, ncands);
        if (hint)
            return roof_error_set(err, ROOF_ERR_INPUT, where, "unknown setting '%s' (did you mean '%s'?)", path, hint);
        return roof_error_set(err, ROOF_ERR_INPUT, where, "unknown setting '%s'", path);
    }
    return ROOF_OK;
}

int roof_cfg_read_error(const config_t *cfg, const char *file, const char *what, roof_error *err)
{
    if (config_error_type(cfg) == CONFIG_ERR_FILE_IO)
        return roof_error_set(err, ROOF_ERR_INPUT, file, "cannot read %s: %s", what, strerror(errno));
    char where[600];
    snprintf(where, sizeof where, "%s:%d", file, config_error_line(cfg));
    return roof_error_set(err, ROOF_ERR_INPUT, where, "%s", config_error_text(cfg));
}

/* The same cap as reports: a config is a page of text, and /dev/zero given
 * as one must not be read until memory runs out. */
#define ROOF_CFG_MAX_BYTES (64u << 20)

/* libconfig's scanner takes "@include" at the start of a line, after
 * blanks; any such line is refused, even inside a comment or string, where
 * it could only be a mistake. */
static int refuse_include(const char *file, const char *text, roof_error *err)
{
    int line = 1;
    for (const char *p = text; *p;) {
        const char *q = p;
        while (*q == ' ' || *q == '\t')
            q++;
        if (strncmp(q, "@include", 8) == 0) {
            char where[600];
            snprintf(where, sizeof where, "%s:%d", file, line);
            return roof_error_set(err, ROOF_ERR_INPUT, where,
                                  "'@include' is not supported (write the settings in this file)");
        }
        const char *nl = strchr(q, '\n');
        if (!nl)
            break;
        p = nl + 1;
        line++;
    }
    return ROOF_OK;
}

int roof_cfg_parse(config_t *cfg, const char *file, const char *text, const char *what, roof_error *err)
{
    char *owned = NULL;
    if (!text) {
        int rc = roof_infile_read(file, what, ROOF_CFG_MAX_BYTES, ROOF_INFILE_TEXT, &owned, NULL, err);
        if (rc != ROOF_OK)
            return rc;
        text = owned;
    }
    int rc = refuse_include(file, text, err);
    if (rc == ROOF_OK)
        rc = roof_cfg_check_ints(text, file, err);
    if (rc == ROOF_OK && config_read_string(cfg, text) != CONFIG_TRUE)
        rc = roof_cfg_read_error(cfg, file, what, err);
    free(owned);
    return rc;
}
