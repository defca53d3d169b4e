/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "report/expr.h"
#include "report/expr_private.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokens ---------------------------------------------------------- */

typedef enum { T_NUM, T_CALL, T_NAME, T_OP, T_LP, T_RP, T_COMMA, T_JUNK, T_END } tok_kind;

typedef struct {
    tok_kind kind;
    double value; /* NUM */
    int call;     /* CALL */
    int start, len;
    char op; /* OP: + - * / ; LP/RP: ( or [ ; ) or ] */
} tok;

#define MAX_TOKS 4096

typedef struct {
    const char *s;
    size_t len;
    int n, cap;
    tok t[]; /* cap entries: no more tokens than characters, plus the end */
} lexer;

static int is_operand(const tok *t)
{
    return t->kind == T_NUM || t->kind == T_CALL || t->kind == T_NAME || (t->kind == T_RP);
}

/* The multiplication signs people type: ×, ·, ∗; and the minus sign −. */
static int utf8_op(const char *p, size_t left, char *op, int *width)
{
    const unsigned char *u = (const unsigned char *)p;
    if (left >= 2 && u[0] == 0xC3 && u[1] == 0x97) { /* × */
        *op = '*', *width = 2;
        return 1;
    }
    if (left >= 2 && u[0] == 0xC2 && u[1] == 0xB7) { /* · */
        *op = '*', *width = 2;
        return 1;
    }
    if (left >= 3 && u[0] == 0xE2 && u[1] == 0x88 && (u[2] == 0x97 || u[2] == 0x99)) { /* ∗ ∙ */
        *op = '*', *width = 3;
        return 1;
    }
    if (left >= 3 && u[0] == 0xE2 && u[1] == 0x88 && u[2] == 0x92) { /* − */
        *op = '-', *width = 3;
        return 1;
    }
    return 0;
}

/* Is s[i] a thousands separator: digits before (a group of 1-3 starting the
 * number, or a previous group), exactly three digits after, then no digit? */
int roof_expr_thousands_comma(const char *s, size_t len, size_t i)
{
    if (i == 0 || !isdigit((unsigned char)s[i - 1]) || i + 3 >= len)
        return 0;
    for (size_t k = 1; k <= 3; k++)
        if (i + k >= len || !isdigit((unsigned char)s[i + k]))
            return 0;
    if (i + 4 < len && isdigit((unsigned char)s[i + 4]))
        return 0;
    size_t j = i;
    while (j > 0 && isdigit((unsigned char)s[j - 1]))
        j--;
    size_t run = i - j;
    if (run > 3)
        return 0;
    if (j > 0 && s[j - 1] == '.')
        return 0;
    return 1;
}

static int lex(lexer *L, const roof_gt_span *spans, int nspans, int first_call, int thousands, roof_error *err)
{
    const char *s = L->s;
    size_t len = L->len, i = 0;
    int sp = 0;
    L->n = 0;
    while (i < len) {
        if (L->n >= L->cap - 1)
            return roof_error_set(err, ROOF_ERR_INPUT, NULL, "expression too long");
        tok *t = &L->t[L->n];
        memset(t, 0, sizeof *t);
        t->start = (int)i;
        unsigned char c = (unsigned char)s[i];
        while (sp < nspans && spans[sp].start < i)
            sp++;
        if (sp < nspans && spans[sp].start == i) {
            t->kind = T_CALL;
            t->call = first_call + sp;
            t->len = (int)(spans[sp].end - i);
            i = spans[sp].end;
            sp++;
            L->n++;
            continue;
        }
        if (c == '/' && i + 1 < len && s[i + 1] == '/') { /* // comment to the end of the line */
            while (i < len && s[i] != '\n')
                i++;
            continue;
        }
        if (isspace(c) || (c == '*' && i + 1 < len && s[i + 1] == '*')) {
            i += isspace(c) ? 1 : 2; /* blanks and Markdown bold */
            continue;
        }
        if (c == '`') {
            i++;
            continue;
        }
        char op;
        int w;
        if (utf8_op(s + i, len - i, &op, &w)) {
            t->kind = T_OP, t->op = op, t->len = w;
            i += (size_t)w;
            L->n++;
            continue;
        }
        if (isdigit(c) || (c == '.' && i + 1 < len && isdigit((unsigned char)s[i + 1]))) {
            char buf[128];
            size_t b = 0;
            while (i < len && b < sizeof buf - 1) {
                if (isdigit((unsigned char)s[i]) || s[i] == '.') {
                    buf[b++] = s[i++];
                } else if (s[i] == ',' && thousands && roof_expr_thousands_comma(s, len, i)) {
                    i++;
                } else if ((s[i] == 'e' || s[i] == 'E') && i + 1 < len &&
                           (isdigit((unsigned char)s[i + 1]) || ((s[i + 1] == '+' || s[i + 1] == '-') && i + 2 < len &&
                                                                 isdigit((unsigned char)s[i + 2])))) {
                    buf[b++] = s[i++];
                    if (s[i] == '+' || s[i] == '-')
                        buf[b++] = s[i++];
                } else {
                    break;
                }
            }
            buf[b] = '\0';
            t->kind = T_NUM;
            t->value = strtod(buf, NULL);
            t->len = (int)(i - (size_t)t->start);
            L->n++;
            continue;
        }
        if (isalpha(c) || c == '_') {
            size_t j = i;
            while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '_'))
                j++;
            /* x between operands is multiplication: 1024 x 10000, 1024x10000. */
            if (j - i == 1 && (c == 'x' || c == 'X') && L->n > 0 && is_operand(&L->t[L->n - 1])) {
                t->kind = T_OP, t->op = '*', t->len = 1;
                i = j;
                L->n++;
                continue;
            }
            /* "1024x10000": the word starts with x and digits follow. */
            if ((c == 'x' || c == 'X') && L->n > 0 && L->t[L->n - 1].kind == T_NUM && j > i + 1 &&
                isdigit((unsigned char)s[i + 1])) {
                t->kind = T_OP, t->op = '*', t->len = 1;
                i++;
                L->n++;
                continue;
            }
            /* Words separated by single blanks make one name: "Pipeline
             * communication overhead" is one unknown term. */
            if (L->n > 0 && L->t[L->n - 1].kind == T_NAME && L->t[L->n - 1].start + L->t[L->n - 1].len < (int)i) {
                int between_blank = 1;
                for (size_t k = (size_t)(L->t[L->n - 1].start + L->t[L->n - 1].len); k < i; k++)
                    if (s[k] != ' ')
                        between_blank = 0;
                if (between_blank) {
                    L->t[L->n - 1].len = (int)(j - (size_t)L->t[L->n - 1].start);
                    i = j;
                    continue;
                }
            }
            t->kind = T_NAME;
            t->len = (int)(j - i);
            i = j;
            L->n++;
            continue;
        }
        t->len = 1;
        i++;
        switch (c) {
        case '+':
        case '-':
        case '*':
        case '/':
            t->kind = T_OP, t->op = (char)c;
            break;
        case '(':
        case '[':
        case '{':
            t->kind = T_LP, t->op = (char)c;
            break;
        case ')':
        case ']':
        case '}':
            t->kind = T_RP, t->op = (char)c;
            break;
        case ',':
            t->kind = T_COMMA;
            break;
        default:
            t->kind = T_JUNK;
            break;
        }
        L->n++;
    }
    L->t[L->n].kind = T_END;
    L->t[L->n].start = (int)len;
    return ROOF_OK;
}

/* A parenthesized group written as prose ("(QKV projections)", "(Q×K^T per
 * layer)", "(parallel across 8 experts)") is a comment: it has two operands
 * side by side, a character no expression uses, or no number or call. */
static int prose_group(const lexer *L, int open, int *close)
{
    int depth = 0, has_value = 0, prose = 0;
    for (int i = open; i < L->n; i++) {
        const tok *t = &L->t[i];
        if (t->kind == T_LP)
            depth++;
        else if (t->kind == T_RP && --depth == 0) {
            *close = i;
            return prose || !has_value;
        }
        if (t->kind == T_NUM || t->kind == T_CALL)
            has_value = 1;
        if (t->kind == T_JUNK)
            prose = 1;
        if (i > open && is_operand(t) && t->kind != T_RP && is_operand(&L->t[i - 1]))
            prose = 1;
    }
    *close = -1;
    return 0;
}

/* ---- parser ---------------------------------------------------------- */

typedef struct {
    lexer *L;
    int pos;
    roof_expr *e;
    int depth;
    roof_error *err;
    int failed;
} parser;

static int node(parser *p, roof_ex_kind kind)
{
    if (p->e->n >= ROOF_EXPR_MAX_NODES) {
        if (!p->failed)
            roof_error_set(p->err, ROOF_ERR_INPUT, NULL, "expression too large");
        p->failed = 1;
        return 0;
    }
    roof_ex_node *x = &p->e->nodes[p->e->n];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->a = x->b = x->next = -1;
    return p->e->n++;
}

static const tok *peek(parser *p)
{
    return &p->L->t[p->pos];
}

/* Skips stray junk, and between terms prose groups (comments). Where an
 * operand is expected, a prose group is kept: it stands for a value. */
static void skip_noise_as(parser *p, int drop_prose)
{
    for (;;) {
        const tok *t = peek(p);
        if (t->kind == T_LP && drop_prose) {
            int close;
            if (prose_group(p->L, p->pos, &close) && close > 0) {
                p->pos = close + 1;
                continue;
            }
        }
        if (t->kind == T_JUNK) {
            p->pos++;
            continue;
        }
        return;
    }
}

static void skip_noise(parser *p)
{
    skip_noise_as(p, 1);
}

static int fail(parser *p, const char *what)
{
    if (!p->failed)
        roof_error_set(p->err, ROOF_ERR_INPUT, NULL, "%s at column %d", what, peek(p)->start + 1);
    p->failed = 1;
    return -1;
}

static int expr(parser *p);

static int primary(parser *p)
{
    if (++p->depth > ROOF_EXPR_MAX_DEPTH) {
        p->depth--;
        return fail(p, "expression nested too deeply");
    }
    skip_noise_as(p, 0);
    const tok *t = peek(p);
    int r = -1;
    if (t->kind == T_NUM) {
        r = node(p, ROOF_EX_NUM);
        p->e->nodes[r].value = t->value;
        p->pos++;
    } else if (t->kind == T_CALL) {
        r = node(p, ROOF_EX_CALL);
        p->e->nodes[r].call = t->call;
        p->pos++;
    } else if (t->kind == T_NAME) {
        const char *name = p->L->s + t->start;
        int is_max = t->len == 3 &&
                     (strncmp(name, "max", 3) == 0 || strncmp(name, "Max", 3) == 0 || strncmp(name, "MAX", 3) == 0);
        int is_min = t->len == 3 && (strncmp(name, "min", 3) == 0 || strncmp(name, "Min", 3) == 0);
        if ((is_max || is_min) && p->L->t[p->pos + 1].kind == T_LP) {
            p->pos += 2;
            r = node(p, is_max ? ROOF_EX_MAX : ROOF_EX_MIN);
            int last = -1;
            for (;;) {
                int a = expr(p);
                if (a < 0)
                    break;
                if (last < 0)
                    p->e->nodes[r].a = a;
                else
                    p->e->nodes[last].next = a;
                last = a;
                skip_noise(p);
                if (peek(p)->kind == T_COMMA) {
                    p->pos++;
                    continue;
                }
                if (peek(p)->kind == T_RP) {
                    p->pos++;
                    break;
                }
                r = fail(p, "expected ',' or ')' in max()");
                break;
            }
            if (r >= 0)
                p->e->has_max = 1;
        } else {
            r = node(p, ROOF_EX_NAME);
            p->e->nodes[r].name_start = t->start;
            p->e->nodes[r].name_len = t->len;
            if (!p->e->unknown_terms++) {
                int l = t->len < 63 ? t->len : 63;
                memcpy(p->e->first_unknown, name, (size_t)l);
                p->e->first_unknown[l] = '\0';
            }
            p->pos++;
        }
    } else if (t->kind == T_LP && prose_group(p->L, p->pos, &(int){0})) {
        /* Prose where a value belongs ("2 x [Same computation as above]"):
         * an unknown term. */
        int close = -1;
        prose_group(p->L, p->pos, &close);
        r = node(p, ROOF_EX_NAME);
        p->e->nodes[r].name_start = t->start;
        p->e->nodes[r].name_len = close > 0 ? p->L->t[close].start + 1 - t->start : 1;
        if (!p->e->unknown_terms++) {
            int l = p->e->nodes[r].name_len < 63 ? p->e->nodes[r].name_len : 63;
            memcpy(p->e->first_unknown, p->L->s + t->start, (size_t)l);
            p->e->first_unknown[l] = '\0';
        }
        p->pos = close > 0 ? close + 1 : p->pos + 1;
    } else if (t->kind == T_LP) {
        char open = t->op;
        p->pos++;
        r = expr(p);
        skip_noise(p);
        if (r >= 0) {
            if (peek(p)->kind != T_RP)
                r = fail(p, open == '[' ? "missing ']'" : "missing ')'");
            else
                p->pos++;
        }
    } else if (t->kind == T_OP && t->op == '-') {
        p->pos++;
        int a = primary(p);
        if (a >= 0) {
            r = node(p, ROOF_EX_NEG);
            p->e->nodes[r].a = a;
        }
    } else {
        r = fail(p, t->kind == T_END ? "unexpected end" : "unexpected token");
    }
    p->depth--;
    return p->failed ? -1 : r;
}

static int term(parser *p)
{
    int a = primary(p);
    while (a >= 0) {
        skip_noise(p);
        const tok *t = peek(p);
        if (t->kind != T_OP || (t->op != '*' && t->op != '/'))
            break;
        p->pos++;
        int b = primary(p);
        if (b < 0)
            return -1;
        int r = node(p, t->op == '*' ? ROOF_EX_MUL : ROOF_EX_DIV);
        /* node() never returns a negative index (0, with failed set, when
         * the expression is full); cppcheck reads a >= 0 as a hint that r may be. */
        // cppcheck-suppress negativeIndex
        p->e->nodes[r].a = a;
        // cppcheck-suppress negativeIndex
        p->e->nodes[r].b = b;
        a = r;
    }
    return p->failed ? -1 : a;
}

static int expr(parser *p)
{
    if (++p->depth > ROOF_EXPR_MAX_DEPTH) {
        p->depth--;
        return fail(p, "expression nested too deeply");
    }
    int a = term(p);
    while (a >= 0) {
        skip_noise(p);
        const tok *t = peek(p);
        if (t->kind != T_OP || (t->op != '+' && t->op != '-'))
            break;
        p->pos++;
        int b = term(p);
        if (b < 0) {
            a = -1;
            break;
        }
        int r = node(p, t->op == '+' ? ROOF_EX_ADD : ROOF_EX_SUB);
        /* node() never returns a negative index (0, with failed set, when
         * the expression is full); cppcheck reads a >= 0 as a hint that r may be. */
        // cppcheck-suppress negativeIndex
        p->e->nodes[r].a = a;
        // cppcheck-suppress negativeIndex
        p->e->nodes[r].b = b;
        a = r;
    }
    p->depth--;
    return p->failed ? -1 : a;
}

/* Sized by the text: Get_Time's arguments take a few tokens, not
 * MAX_TOKS (128 KB, which under ASan cost an mmap per call parsed). */
static lexer *lexer_new(const char *text, size_t len)
{
    int cap = len + 2 < MAX_TOKS ? (int)len + 2 : MAX_TOKS;
    lexer *L = malloc(sizeof *L + (size_t)cap * sizeof L->t[0]);
    if (L) {
        L->s = text;
        L->len = len;
        L->n = 0;
        L->cap = cap;
    }
    return L;
}

int roof_expr_parse_with(const char *text, size_t len, const roof_gt_span *spans, int nspans, int first_call,
                         int thousands, roof_expr *e, roof_error *err)
{
    lexer *L = lexer_new(text, len);
    if (!L)
        return roof_error_set(err, ROOF_ERR_RUNTIME, NULL, "out of memory");
    int rc = lex(L, spans, nspans, first_call, thousands, err);
    if (rc == ROOF_OK) {
        e->n = 0;
        e->has_max = 0;
        e->unknown_terms = 0;
        e->first_unknown[0] = '\0';
        parser p = {L, 0, e, 0, err, 0};
        e->root = expr(&p);
        skip_noise(&p);
        if (e->root >= 0 && peek(&p)->kind != T_END)
            fail(&p, "unexpected token");
        rc = p.failed ? ROOF_ERR_INPUT : ROOF_OK;
    }
    free(L);
    return rc;
}

int roof_expr_parse(const char *text, size_t len, const roof_gt_span *spans, int nspans, int first_call, roof_expr *e,
                    roof_error *err)
{
    return roof_expr_parse_with(text, len, spans, nspans, first_call, 1, e, err);
}

/* ---- evaluation ------------------------------------------------------ */

/* Two linear passes over the tree (it has no shared nodes): the values of
 * every node, then how many times each call counts, pushed down from the
 * root with the values already known. Nothing is evaluated twice, so nested
 * max() or long products cannot take exponential time. */
typedef struct {
    const roof_expr *e;
    const char *text;
    const double *calls;
    int ncalls;
    double (*lookup)(void *, const char *, size_t, int *);
    void *user;
    double val[ROOF_EXPR_MAX_NODES];
    char calls_below[ROOF_EXPR_MAX_NODES];
} evaluator;

static double value_of(evaluator *v, int i)
{
    const roof_ex_node *x = &v->e->nodes[i];
    double r = 0.0;
    char below = 0;
    switch (x->kind) {
    case ROOF_EX_NUM:
        r = x->value;
        break;
    case ROOF_EX_CALL:
        r = v->calls && x->call >= 0 && x->call < v->ncalls ? v->calls[x->call] : 0.0;
        below = 1;
        break;
    case ROOF_EX_NAME: {
        int found = 0;
        double val = v->lookup ? v->lookup(v->user, v->text + x->name_start, (size_t)x->name_len, &found) : 0.0;
        r = found ? val : 0.0;
        break;
    }
    case ROOF_EX_NEG:
        r = -value_of(v, x->a);
        below = v->calls_below[x->a];
        break;
    case ROOF_EX_ADD:
    case ROOF_EX_SUB:
    case ROOF_EX_MUL:
    case ROOF_EX_DIV: {
        double a = value_of(v, x->a), b = value_of(v, x->b);
        r = x->kind == ROOF_EX_ADD ? a + b : x->kind == ROOF_EX_SUB ? a - b : x->kind == ROOF_EX_MUL ? a * b : a / b;
        below = (char)(v->calls_below[x->a] | v->calls_below[x->b]);
        break;
    }
    case ROOF_EX_MAX:
    case ROOF_EX_MIN: {
        int first = 1;
        for (int c = x->a; c >= 0; c = v->e->nodes[c].next) {
            double cv = value_of(v, c);
            below |= v->calls_below[c];
            if (first || (x->kind == ROOF_EX_MAX ? cv > r : cv < r))
                r = cv;
            first = 0;
        }
        break;
    }
    }
    v->val[i] = r;
    v->calls_below[i] = below;
    return r;
}

/* Calls below node i count coef times; in_max marks those under max/min
 * (only the winning argument counts). */
static void count_calls(evaluator *v, int i, double coef, int under_max, double *coef_out, int *in_max)
{
    const roof_ex_node *x = &v->e->nodes[i];
    if (!v->calls_below[i])
        return;
    switch (x->kind) {
    case ROOF_EX_CALL:
        if (x->call >= 0 && x->call < v->ncalls) {
            if (coef_out)
                coef_out[x->call] += coef;
            if (in_max && under_max)
                in_max[x->call] = 1;
        }
        return;
    case ROOF_EX_NEG:
        count_calls(v, x->a, -coef, under_max, coef_out, in_max);
        return;
    case ROOF_EX_ADD:
    case ROOF_EX_SUB:
        count_calls(v, x->a, coef, under_max, coef_out, in_max);
        count_calls(v, x->b, x->kind == ROOF_EX_SUB ? -coef : coef, under_max, coef_out, in_max);
        return;
    case ROOF_EX_MUL:
        /* A count times a term: the term counts that many times. */
        count_calls(v, x->a, coef * v->val[x->b], under_max, coef_out, in_max);
        count_calls(v, x->b, coef * v->val[x->a], under_max, coef_out, in_max);
        return;
    case ROOF_EX_DIV:
        if (v->val[x->b] != 0.0)
            count_calls(v, x->a, coef / v->val[x->b], under_max, coef_out, in_max);
        return;
    case ROOF_EX_MAX:
    case ROOF_EX_MIN: {
        int best = -1;
        for (int c = x->a; c >= 0; c = v->e->nodes[c].next) {
            if (best < 0 || (x->kind == ROOF_EX_MAX ? v->val[c] > v->val[best] : v->val[c] < v->val[best]))
                best = c;
            if (in_max)
                count_calls(v, c, 0.0, 1, NULL, in_max);
        }
        if (best >= 0)
            count_calls(v, best, coef, 1, coef_out, NULL);
        return;
    }
    default:
        return;
    }
}

double roof_expr_eval(const roof_expr *e, const char *text, const double *calls, double *coef, int *in_max, int ncalls,
                      double (*lookup)(void *user, const char *name, size_t len, int *found), void *user)
{
    if (coef)
        memset(coef, 0, (size_t)ncalls * sizeof *coef);
    if (in_max)
        memset(in_max, 0, (size_t)ncalls * sizeof *in_max);
    if (e->root < 0)
        return NAN;
    evaluator *v = malloc(sizeof *v);
    if (!v)
        return NAN;
    v->e = e;
    v->text = text;
    v->calls = calls;
    v->ncalls = ncalls;
    v->lookup = lookup;
    v->user = user;
    double r = value_of(v, e->root);
    count_calls(v, e->root, 1.0, 0, coef, in_max);
    free(v);
    return r;
}
