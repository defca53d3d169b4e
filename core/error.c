#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int roof_error_set(roof_error *err, int code, const char *where, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void roof_error_clear(roof_error *err)
{
    if (!err)
        return;
    err->code = ROOF_OK;
    err->where[0] = '\0';
    err->msg[0] = '\0';
}
