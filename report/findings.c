/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The findings of a check: adding one (every part of the checker adds
 * them; this file calls none), severities, times and dimensions in words. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/units.h"
#include "report/check_private.h"

const char *roof_severity_name(roof_severity s)
{
    return s == ROOF_SEV_ERROR ? "error" : s == ROOF_SEV_WARNING ? "warning" : "note";
}

void roof_check_add(roof_check *c, roof_severity sev, int line, const char *kind, const char *fmt, ...)
{
    if (sev == ROOF_SEV_ERROR)
        c->errors++;
    else if (sev == ROOF_SEV_WARNING)
        c->warnings++;
    else
        c->notes++;
    if (c->nfindings >= ROOF_CHECK_MAX_FINDINGS) {
        c->dropped_findings++;
        return;
    }
    roof_finding *f = &c->findings[c->nfindings];
    f->severity = sev;
    f->line = line;
    snprintf(f->kind, sizeof f->kind, "%s", kind);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    /* Two calls on one line with the same mistake: one finding. */
    for (int i = 0; i < c->nfindings; i++) {
        const roof_finding *g = &c->findings[i];
        if (g->line == line && g->severity == sev && strcmp(g->message, f->message) == 0) {
            if (sev == ROOF_SEV_ERROR)
                c->errors--;
            else if (sev == ROOF_SEV_WARNING)
                c->warnings--;
            else
                c->notes--;
            return;
        }
    }
    c->nfindings++;
}

/* Readable numbers for messages: 10240000 -> "10240000", 3.2e-3 s -> "3.2 ms". */
const char *roof_check_ms(double s, char *buf, size_t size)
{
    roof_units_time(s, 3, buf, size);
    return buf;
}

/* A dimension for messages: whole numbers in full. */
const char *roof_check_dim(double v, char *buf, size_t size)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.6g", v);
    return buf;
}
