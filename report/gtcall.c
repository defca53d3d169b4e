/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Get_Time calls in a text: finding them with their matching parenthesis,
 * and reading their three arguments (a thousands separator only where it
 * leaves three). Part of report/expr.c's arithmetic. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/expr.h"
#include "report/expr_private.h"

/* ---- Get_Time calls -------------------------------------------------- */

int roof_gt_find(const char *text, size_t len, size_t pos, roof_gt_span *span)
{
    static const char key[] = "get_time";
    for (size_t i = pos; i + 8 <= len; i++) {
        if (tolower((unsigned char)text[i]) != 'g')
            continue;
        size_t k = 0;
        while (k < 8 && tolower((unsigned char)text[i + k]) == key[k])
            k++;
        if (k < 8)
            continue;
        if (i > 0 && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_'))
            continue;
        size_t j = i + 8;
        while (j < len && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (j >= len || text[j] != '(')
            continue;
        span->start = i;
        span->args_start = j + 1;
        int depth = 0;
        for (size_t q = j; q < len; q++) {
            if (text[q] == '(')
                depth++;
            else if (text[q] == ')' && --depth == 0) {
                span->args_end = q;
                span->end = q + 1;
                return 1;
            }
            /* A call does not run past a blank line or 2000 characters. */
            if ((text[q] == '\n' && q + 1 < len && text[q + 1] == '\n') || q - j > 2000)
                break;
        }
        span->end = span->args_end = j + 1;
        return -1;
    }
    return 0;
}

/* Splits args at top-level commas (thousands separators kept when asked). */
static int split_args(const char *s, size_t len, int thousands, size_t *cuts, int max_cuts)
{
    int n = 0, depth = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '(' || s[i] == '[')
            depth++;
        else if (s[i] == ')' || s[i] == ']')
            depth--;
        else if (s[i] == ',' && depth == 0 && !(thousands && roof_expr_thousands_comma(s, len, i))) {
            if (n >= max_cuts)
                return max_cuts + 1;
            cuts[n++] = i;
        }
    }
    return n;
}

static int eval_args(const char *s, size_t len, int thousands, roof_gt_args *out, roof_error *err)
{
    size_t cuts[4];
    int ncuts = split_args(s, len, thousands, cuts, 3);
    out->n = ncuts + 1;
    out->word[0] = '\0';
    if (out->n != 3)
        return ROOF_OK;
    roof_expr *e = malloc(sizeof *e);
    if (!e)
        return roof_error_set(err, ROOF_ERR_RUNTIME, NULL, "out of memory");
    size_t from = 0;
    int rc = ROOF_OK;
    for (int a = 0; a < 3 && rc == ROOF_OK; a++) {
        size_t to = a < 2 ? cuts[a] : len;
        rc = roof_expr_parse_with(s + from, to - from, NULL, 0, 0, thousands, e, err);
        if (rc == ROOF_OK) {
            /* A word in a dimension (avg_tokens_per_expert) has no value. */
            out->v[a] = roof_expr_eval(e, s + from, NULL, NULL, NULL, 0, NULL, NULL);
            for (int i = 0; i < e->n; i++) {
                if (e->nodes[i].kind == ROOF_EX_NAME) {
                    out->v[a] = NAN;
                    if (!out->word[0]) {
                        int l = e->nodes[i].name_len < 63 ? e->nodes[i].name_len : 63;
                        memcpy(out->word, s + from + e->nodes[i].name_start, (size_t)l);
                        out->word[l] = '\0';
                    }
                }
            }
        }
        from = to + 1;
    }
    free(e);
    return rc;
}

int roof_gt_parse_args(const char *text, size_t len, roof_gt_args *out, roof_error *err)
{
    /* 10,240,000 is one number when that leaves three arguments. */
    int rc = eval_args(text, len, 1, out, err);
    if (rc == ROOF_OK && out->n == 3)
        return ROOF_OK;
    roof_gt_args plain;
    roof_error perr;
    int rc2 = eval_args(text, len, 0, &plain, &perr);
    if (rc2 == ROOF_OK && plain.n == 3) {
        *out = plain;
        return ROOF_OK;
    }
    if (rc != ROOF_OK)
        return rc;
    return roof_error_set(err, ROOF_ERR_INPUT, NULL, "Get_Time takes 3 arguments (m, k, n); found %d", out->n);
}
