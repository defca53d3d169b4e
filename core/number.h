/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Numbers as users write them: plain decimal or scientific notation with an
 * optional SI suffix, decimal (n u m k M G T P) or binary (Ki Mi Gi Ti Pi).
 * "3.35T" is 3.35e12, "64Mi" is 67108864. One parser serves the command
 * line, --set and config files, so that the same text means the same number
 * everywhere. Results are written through out-pointers; errors go to a
 * caller-owned roof_error with code ROOF_ERR_USAGE (the caller may re-code).
 */
#ifndef ROOF_CORE_NUMBER_H
#define ROOF_CORE_NUMBER_H

#include <stdint.h>

#include "core/error.h"

/* Parses a finite real number with an optional suffix. */
int roof_parse_double(const char *text, double *out, roof_error *err);

/* Parses a count: a whole number >= 1 that fits int64 (suffixes allowed:
 * "10M" is 10000000). what names it in the message ("M", "--batch"). */
int roof_parse_count(const char *text, const char *what, int64_t *out, roof_error *err);

#endif
