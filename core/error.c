/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int roof_error_set(roof_error *err, int code, const char *where, const char *fmt, ...)
{
    if (!err)
        return code;
    /* Format into locals first: callers rewrap an error in place
     * (roof_error_set(err, ..., "%s", err->msg)), and formatting a buffer
     * into itself is undefined (it printed an empty message). */
    char w[sizeof err->where], m[sizeof err->msg];
    snprintf(w, sizeof w, "%s", where ? where : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    err->code = code;
    memcpy(err->where, w, sizeof w);
    memcpy(err->msg, m, sizeof m);
    return code;
}

int roof_error_at(roof_error *err, int code, const char *path, size_t line, const char *fmt, ...)
{
    if (!err)
        return code;
    char where[sizeof err->where], msg[sizeof err->msg];
    snprintf(where, sizeof where, "%s:%zu", path, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return roof_error_set(err, code, where, "%s", msg);
}

void roof_error_clear(roof_error *err)
{
    if (!err)
        return;
    err->code = ROOF_OK;
    err->where[0] = '\0';
    err->msg[0] = '\0';
}
