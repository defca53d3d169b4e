/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/number.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *suffix;
    double factor;
} suffix_factor;

/* SI prefixes (decimal) and IEC prefixes (binary); longest first so that "Mi"
 * is not read as "M" followed by junk. */
static const suffix_factor suffixes[] = {
    {"Ki", 1024.0},
    {"Mi", 1048576.0},
    {"Gi", 1073741824.0},
    {"Ti", 1099511627776.0},
    {"Pi", 1125899906842624.0},
    /* Submultiples for times and rates below one (tpot_s<=20m, 2u:6u);
     * case matters: m is milli, M mega. */
    {"n", 1e-9},
    {"u", 1e-6},
    {"m", 1e-3},
    {"k", 1e3},
    {"M", 1e6},
    {"G", 1e9},
    {"T", 1e12},
    {"P", 1e15},
};

int roof_parse_double(const char *text, double *out, roof_error *err)
{
    if (!text || !*text)
        return roof_error_set(err, ROOF_ERR_USAGE, NULL, "empty number");
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text)
        return roof_error_set(err, ROOF_ERR_USAGE, NULL, "'%s' is not a number", text);
    if (errno == ERANGE && fabs(v) > 1.0)
        return roof_error_set(err, ROOF_ERR_USAGE, NULL, "'%s' is out of range", text);
    if (!isfinite(v))
        return roof_error_set(err, ROOF_ERR_USAGE, NULL, "'%s' is not a finite number", text);
    if (*end) {
        const suffix_factor *hit = NULL;
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
            if (strcmp(end, suffixes[i].suffix) == 0) {
                hit = &suffixes[i];
                break;
            }
        }
        if (!hit)
            return roof_error_set(err, ROOF_ERR_USAGE, NULL,
                                  "bad number '%s': unknown suffix '%s' (use n u m k M G T P or Ki Mi Gi Ti Pi)", text,
                                  end);
        v *= hit->factor;
        if (!isfinite(v))
            return roof_error_set(err, ROOF_ERR_USAGE, NULL, "'%s' is out of range", text);
    }
    *out = v;
    return ROOF_OK;
}

int roof_parse_count(const char *text, const char *what, int64_t *out, roof_error *err)
{
    double v = 0.0;
    roof_error perr;
    if (roof_parse_double(text, &v, &perr) != ROOF_OK)
        return roof_error_set(err, ROOF_ERR_USAGE, NULL, "invalid %s: %s", what, perr.msg);
    if (v < 1.0)
        return roof_error_set(err, ROOF_ERR_USAGE, NULL, "%s must be a positive integer (got %s)", what, text);
    if (v != floor(v))
        return roof_error_set(err, ROOF_ERR_USAGE, NULL, "%s must be a whole number (got %s)", what, text);
    /* 2^63 is exactly representable; anything at or above it does not fit. */
    if (v >= 9223372036854775808.0)
        return roof_error_set(err, ROOF_ERR_USAGE, NULL, "%s is too large for a 64-bit count (got %s)", what, text);
    *out = (int64_t)v;
    return ROOF_OK;
}
