/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/cfg_ints.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Skips a string, a comment or a number starting at p; returns the next
 * position, or NULL when p starts none of them. Counts newlines in *line. */
static const char *skip_string(const char *p, int *line)
{
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1])
            p++;
        if (*p == '\n')
            (*line)++;
    }
    return *p ? p + 1 : p;
}

static const char *skip_comment(const char *p, int *line)
{
    if (*p == '#' || (p[0] == '/' && p[1] == '/'))
        return p + strcspn(p, "\n");
    for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
        if (*p == '\n')
            (*line)++;
    return *p ? p + 2 : p;
}

/* A number token: digits, hex digits, '.', exponents, signs after 'e',
 * and the L suffix. Returns its end; *is_int says it has no '.' or
 * exponent, *has_l that it ends with L. */
static const char *number_end(const char *p, int *is_int, int *has_l)
{
    int hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
    const char *q = hex ? p + 2 : p;
    *is_int = 1;
    for (; *q; q++) {
        if (isdigit((unsigned char)*q) || (hex && isxdigit((unsigned char)*q)))
            continue;
        if (!hex && (*q == '.' || *q == 'e' || *q == 'E')) {
            *is_int = 0;
            if ((*q == 'e' || *q == 'E') && (q[1] == '+' || q[1] == '-'))
                q++;
            continue;
        }
        break;
    }
    *has_l = *q == 'L';
    return *has_l ? q + 1 : q;
}

int roof_cfg_check_ints(const char *text, const char *display, roof_error *err)
{
    int line = 1;
    const char *p = text;
    while (*p) {
        if (*p == '\n') {
            line++;
            p++;
        } else if (*p == '"') {
            p = skip_string(p, &line);
        } else if (*p == '#' || (p[0] == '/' && (p[1] == '/' || p[1] == '*'))) {
            p = skip_comment(p, &line);
        } else if (isdigit((unsigned char)*p) && (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
            int is_int, has_l;
            const char *end = number_end(p, &is_int, &has_l);
            if (is_int && !has_l) {
                int neg = p > text && p[-1] == '-';
                errno = 0;
                unsigned long long v = strtoull(p, NULL, 0);
                unsigned long long limit = neg ? 2147483648ULL : 2147483647ULL;
                if (errno == ERANGE || v > limit) {
                    char where[600];
                    snprintf(where, sizeof where, "%s:%d", display, line);
                    int n = (int)(end - p);
                    return roof_error_set(err, ROOF_ERR_INPUT, where,
                                          "integer %s%.*s is beyond 32 bits and libconfig would wrap it: add the L "
                                          "suffix (%s%.*sL) or write it as a float",
                                          neg ? "-" : "", n, p, neg ? "-" : "", n, p);
                }
            }
            p = end;
        } else if (isalpha((unsigned char)*p) || *p == '_') {
            while (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '*')
                p++; /* a setting name may hold digits: not a number */
        } else {
            p++;
        }
    }
    return ROOF_OK;
}
