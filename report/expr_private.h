/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by report/expr.c and report/gtcall.c; not a public interface. */
#ifndef ROOF_REPORT_EXPR_PRIVATE_H
#define ROOF_REPORT_EXPR_PRIVATE_H

#include "report/expr.h"

/* Is s[i] a thousands separator (10,240,000)? */
int roof_expr_thousands_comma(const char *s, size_t len, size_t i);

/* roof_expr_parse, with thousands separators read or not. */
int roof_expr_parse_with(const char *text, size_t len, const roof_gt_span *spans, int nspans, int first_call,
                         int thousands, roof_expr *e, roof_error *err);

#endif
