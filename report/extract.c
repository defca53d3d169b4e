/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "report/extract.h"
#include "core/infile.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t *starts;
    int n;
} lines;

static int line_of(const lines *L, size_t pos)
{
    int lo = 0, hi = L->n - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (L->starts[mid] <= pos)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo + 1;
}

static size_t line_end(const char *s, size_t len, size_t pos)
{
    while (pos < len && s[pos] != '\n')
        pos++;
    return pos;
}

/* The end of line `line` (1-based): its '\n', or the end of the text. From
 * the line table, not by scanning: a report with thousands of calls on one
 * long line took time quadratic in its length (found by fuzzing). */
static size_t end_of_line(const lines *L, int line, size_t len)
{
    return line < L->n ? L->starts[line] - 1 : len;
}

/* Copies s[a, b) into buf with runs of blanks folded and control bytes dropped. */
static void snippet(const char *s, size_t a, size_t b, char *buf, size_t size)
{
    size_t o = 0;
    int blank = 0;
    for (size_t i = a; i < b && o + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isspace(c)) {
            blank = o > 0;
            continue;
        }
        if (c < 32 || c == 127)
            continue;
        if (blank && o + 2 < size)
            buf[o++] = ' ';
        blank = 0;
        buf[o++] = (char)c;
    }
    buf[o] = '\0';
}

/* A number ending at s[end-1], blanks aside (digits, commas as thousands, a point). */
static int number_before(const char *s, size_t end, double *out)
{
    while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    size_t i = end;
    while (i > 0 && (isdigit((unsigned char)s[i - 1]) || s[i - 1] == '.' || s[i - 1] == ','))
        i--;
    if (i == end || !isdigit((unsigned char)s[end - 1]))
        return 0;
    if (i > 0 && (isalpha((unsigned char)s[i - 1]) || s[i - 1] == '_'))
        return 0;
    char buf[64];
    size_t b = 0;
    for (size_t k = i; k < end && b < sizeof buf - 1; k++)
        if (s[k] != ',')
            buf[b++] = s[k];
    buf[b] = '\0';
    *out = strtod(buf, NULL);
    return isfinite(*out);
}

/* "×", "*", "x" or "X" ending at s[end-1] (after blanks); returns its start. */
static size_t times_before(const char *s, size_t end)
{
    size_t i = end;
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
        i--;
    if (i >= 2 && (unsigned char)s[i - 2] == 0xC3 && (unsigned char)s[i - 1] == 0x97)
        return i - 2;
    if (i >= 1 && (s[i - 1] == '*' || s[i - 1] == 'x' || s[i - 1] == 'X')) {
        if (s[i - 1] == '*' && i >= 2 && s[i - 2] == '*')
            return (size_t)-1; /* Markdown bold */
        return i - 1;
    }
    return (size_t)-1;
}

/* The count of the innermost open "N x (" group around pos, scanning back
 * at most 600 bytes and not past a blank line, '[', '=' or a code fence:
 * "2x(Get_Time(a) + Get_Time(b))" counts both calls twice, per head. */
static double group_count(const char *s, size_t pos)
{
    int depth = 0;
    for (size_t i = pos, steps = 0; i > 0 && steps < 600; i--, steps++) {
        char ch = s[i - 1];
        if (ch == ')')
            depth++;
        else if (ch == '(' && depth > 0)
            depth--;
        else if (ch == '(') {
            size_t t = times_before(s, i - 1);
            double v = 1.0;
            if (t != (size_t)-1 && number_before(s, t, &v) && v >= 1.0 && v <= 1e6)
                return v;
            return 1.0;
        } else if (depth == 0 && (ch == '[' || ch == '=' || ch == '`')) {
            return 1.0;
        } else if (ch == '\n' && i >= 2 && s[i - 2] == '\n') {
            return 1.0;
        }
    }
    return 1.0;
}

static size_t times_after(const char *s, size_t len, size_t pos)
{
    size_t i = pos;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i + 1 < len && (unsigned char)s[i] == 0xC3 && (unsigned char)s[i + 1] == 0x97)
        return i + 2;
    if (i < len && (s[i] == '*' || s[i] == 'x' || s[i] == 'X') && !(i + 1 < len && s[i + 1] == '*'))
        return i + 1;
    return (size_t)-1;
}

/* Room for one more call; -1 when out of memory. */
static int reserve_call(roof_report *r)
{
    if (r->ncalls < r->calls_cap)
        return 0;
    int cap = r->calls_cap ? 2 * r->calls_cap : 64;
    if (cap > ROOF_REPORT_MAX_CALLS)
        cap = ROOF_REPORT_MAX_CALLS;
    roof_report_call *nc = realloc(r->calls, (size_t)cap * sizeof *nc);
    if (!nc)
        return -1;
    r->calls = nc;
    r->calls_cap = cap;
    return 0;
}

static int scan_calls(roof_report *r, const lines *L)
{
    size_t pos = 0, line_reach = 0;
    for (;;) {
        roof_gt_span sp;
        int found = roof_gt_find(r->text, r->len, pos, &sp);
        if (found == 0)
            break;
        if (r->ncalls >= ROOF_REPORT_MAX_CALLS) {
            r->dropped_calls++;
            pos = sp.end > pos ? sp.end : pos + 1;
            continue;
        }
        if (reserve_call(r) != 0)
            return -1;
        roof_report_call *c = &r->calls[r->ncalls++];
        memset(c, 0, sizeof *c);
        c->span = sp;
        c->line = line_of(L, sp.start);
        c->mult_before = c->mult_after = c->mult_group = 1.0;
        c->mult_group = group_count(r->text, sp.start);
        /* The words naming the op are around the call on its line, or on the
         * lines just above it ("2. **Key Linear Projection**"). */
        size_t ls = L->starts[c->line - 1], le = end_of_line(L, c->line, r->len);
        /* Calls come in order of start, so the furthest end of the earlier
         * calls on this line is kept as they go by, not searched for. */
        const roof_report_call *prev = r->ncalls > 1 ? &r->calls[r->ncalls - 2] : NULL;
        int same_line = prev && prev->line == c->line;
        size_t prev_end = same_line && line_reach > ls ? line_reach : ls;
        if (!same_line || sp.end > line_reach)
            line_reach = sp.end;
        roof_gt_span next;
        size_t seg_end = le;
        if (found > 0 && roof_gt_find(r->text, le, sp.end, &next) != 0 && next.start < le)
            seg_end = next.start;
        snippet(r->text, prev_end, seg_end, c->near, sizeof c->near);
        c->above[0] = '\0';
        if (same_line) {
            memcpy(c->above, prev->above, sizeof c->above); /* the same lines above */
        } else {
            int first = c->line - 1;
            while (first > 0 && c->line - 1 - first < 3) {
                size_t pa = L->starts[first - 1], pb = end_of_line(L, first, r->len);
                int blank = 1;
                for (size_t q = pa; q < pb && blank; q++)
                    if (!isspace((unsigned char)r->text[q]))
                        blank = 0;
                if (blank)
                    break;
                first--;
            }
            if (first < c->line - 1)
                snippet(r->text, L->starts[first], ls, c->above, sizeof c->above);
        }
        if (found < 0) {
            snippet(r->text, sp.start, le, c->text, sizeof c->text);
            snprintf(c->problem, sizeof c->problem, "unbalanced parentheses: the call does not close");
            pos = sp.args_start;
            continue;
        }
        snippet(r->text, sp.start, sp.end, c->text, sizeof c->text);
        roof_error err;
        if (roof_gt_parse_args(r->text + sp.args_start, sp.args_end - sp.args_start, &c->args, &err) != ROOF_OK) {
            snprintf(c->problem, sizeof c->problem, "%.190s", err.msg);
        } else if (c->args.word[0]) {
            char word[64];
            memcpy(word, c->args.word, sizeof word);
            snprintf(c->problem, sizeof c->problem, "a dimension is the word '%s', not a number", word);
        } else {
            int good = 1;
            for (int a = 0; a < 3; a++)
                if (!(c->args.v[a] >= 1.0) || !isfinite(c->args.v[a]) || c->args.v[a] > 1e30)
                    good = 0;
            if (good)
                c->ok = 1;
            else
                snprintf(c->problem, sizeof c->problem,
                         "dimensions must be finite numbers of at least 1 (got %g, %g, %g)", c->args.v[0], c->args.v[1],
                         c->args.v[2]);
        }
        size_t t = times_before(r->text, sp.start);
        if (t != (size_t)-1)
            number_before(r->text, t, &c->mult_before);
        size_t a = times_after(r->text, r->len, sp.end);
        if (a != (size_t)-1) {
            while (a < r->len && r->text[a] == ' ')
                a++;
            if (a < r->len && isdigit((unsigned char)r->text[a]))
                c->mult_after = strtod(r->text + a, NULL);
            if (!isfinite(c->mult_after) || c->mult_after <= 0.0)
                c->mult_after = 1.0;
        }
        pos = sp.end;
    }
    return 0;
}

/* The first top-level '=' of s[a, b) that is an assignment (not ==, <=,
 * >=, != or =>), or -1. */
static long assignment_at(const char *s, size_t a, size_t b)
{
    int depth = 0;
    for (size_t i = a; i < b; i++) {
        char c = s[i];
        if (c == '(' || c == '[')
            depth++;
        else if ((c == ')' || c == ']') && depth > 0)
            depth--;
        else if (c == '=' && depth == 0) {
            char prev = i > a ? s[i - 1] : ' ', next = i + 1 < b ? s[i + 1] : ' ';
            if (prev == '=' || prev == '<' || prev == '>' || prev == '!' || next == '=' || next == '>')
                continue;
            return (long)i;
        }
    }
    return -1;
}

static int bracket_balance(const char *s, size_t a, size_t b)
{
    int d = 0;
    for (size_t i = a; i < b; i++) {
        if (s[i] == '/' && i + 1 < b && s[i + 1] == '/')
            break; /* comment */
        if (s[i] == '(' || s[i] == '[')
            d++;
        else if (s[i] == ')' || s[i] == ']')
            d--;
    }
    return d;
}

/* Does the line s[a, b) start (after blanks) with an operator, continuing
 * the previous line's expression? */
static int starts_with_operator(const char *s, size_t a, size_t b)
{
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    if (a >= b)
        return 0;
    if (s[a] == '+' || (s[a] == '*' && !(a + 1 < b && s[a + 1] == '*')))
        return 1;
    if (a + 1 < b && (unsigned char)s[a] == 0xC3 && (unsigned char)s[a + 1] == 0x97)
        return 1;
    return 0;
}

/* Does s[a, b) end (before blanks and a // comment) with an operator, so
 * that the expression continues on the next line? */
static int ends_with_operator(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i + 1 < b; i++)
        if (s[i] == '/' && s[i + 1] == '/') {
            b = i;
            break;
        }
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r'))
        b--;
    if (b == a)
        return 0;
    char c = s[b - 1];
    if (c == '+' || c == '-' || (c == '*' && !(b >= a + 2 && s[b - 2] == '*')) || c == '=')
        return 1;
    return b >= a + 2 && (unsigned char)s[b - 2] == 0xC3 && (unsigned char)s[b - 1] == 0x97;
}

static void clean_name(const char *s, size_t a, size_t b, char *buf, size_t size)
{
    char tmp[256];
    snippet(s, a, b, tmp, sizeof tmp);
    size_t o = 0;
    for (const char *p = tmp; *p && o + 1 < size; p++)
        if (*p != '*' && *p != '`' && *p != '#' && *p != '-' && !(o == 0 && *p == ' '))
            buf[o++] = *p;
    while (o > 0 && (buf[o - 1] == ' ' || buf[o - 1] == ':'))
        o--;
    buf[o] = '\0';
}

static void add_formula(roof_report *r, const lines *L, const char *name, size_t a, size_t b)
{
    if (r->nformulas >= ROOF_REPORT_MAX_FORMULAS || a >= b)
        return;
    if (b - a > 16384)
        b = a + 16384; /* a formula longer than this is not one people wrote */
    roof_report_formula *f = &r->formulas[r->nformulas];
    memset(f, 0, sizeof *f);
    f->start = a;
    f->end = b;
    f->line = line_of(L, a);
    f->end_line = line_of(L, b > a ? b - 1 : a);
    snprintf(f->name, sizeof f->name, "%s", name[0] ? name : "(unnamed)");
    /* Calls are in text order: find the first at or after a. */
    int lo = 0, hi = r->ncalls;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (r->calls[mid].span.start < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    f->first_call = -1;
    for (int i = lo; i < r->ncalls && r->calls[i].span.start < b; i++) {
        if (r->calls[i].span.end <= b) {
            if (f->first_call < 0)
                f->first_call = i;
            f->ncalls++;
        }
    }
    /* A formula is a total only if it counts calls or names an earlier one. */
    int refers = 0;
    for (int k = 0; k < r->nformulas && !refers; k++) {
        const char *nm = r->formulas[k].name;
        size_t nl = strlen(nm);
        for (size_t i = a; nl && i + nl <= b; i++)
            if (strncmp(r->text + i, nm, nl) == 0) {
                refers = 1;
                break;
            }
    }
    if (f->ncalls > 0 || refers)
        r->nformulas++;
}

/* Formulas: "NAME = expression" lines (continued while brackets are open or
 * the next line starts with an operator), "= expression" lines continuing
 * the last name, and code blocks holding an expression under a heading. */
static void scan_formulas(roof_report *r, const lines *L)
{
    const char *s = r->text;
    char last_name[96] = "";
    char heading[96] = "";
    int in_code = 0;
    size_t code_start = 0;
    for (int li = 0; li < L->n; li++) {
        size_t a = L->starts[li], b = line_end(s, r->len, a);
        size_t t = a;
        while (t < b && (s[t] == ' ' || s[t] == '\t'))
            t++;
        if (b - t >= 3 && strncmp(s + t, "```", 3) == 0) {
            if (!in_code) {
                in_code = 1;
                code_start = b + 1;
            } else {
                in_code = 0;
                /* A code block with an expression and no assignment. */
                if (code_start < a && assignment_at(s, code_start, a) < 0)
                    add_formula(r, L, heading, code_start, a);
            }
            continue;
        }
        if (t == b)
            continue;
        long eq = assignment_at(s, t, b);
        if (eq < 0) {
            if (!in_code)
                clean_name(s, t, b, heading, sizeof heading);
            continue;
        }
        char name[96];
        clean_name(s, t, (size_t)eq, name, sizeof name);
        /* "Get_Time(1024x10000, ...) = Get_Time(10240000, ...)" restates a
         * call; it is not a total. */
        if (strstr(name, "Get_Time") || strstr(name, "get_time"))
            continue;
        if (!name[0])
            snprintf(name, sizeof name, "%s", last_name[0] ? last_name : heading);
        else
            snprintf(last_name, sizeof last_name, "%s", name);
        size_t start = (size_t)eq + 1, end = b;
        int depth = bracket_balance(s, start, end);
        int open_op = ends_with_operator(s, start, end);
        int lj = li + 1;
        while (lj < L->n) {
            size_t na = L->starts[lj], nb = line_end(s, r->len, na);
            size_t nt = na;
            while (nt < nb && (s[nt] == ' ' || s[nt] == '\t'))
                nt++;
            if (nb - nt >= 3 && strncmp(s + nt, "```", 3) == 0)
                break;
            int cont = depth > 0 || open_op || starts_with_operator(s, na, nb);
            if (!cont || assignment_at(s, na, nb) >= 0 || nt == nb)
                break;
            depth += bracket_balance(s, na, nb);
            open_op = ends_with_operator(s, na, nb);
            end = nb;
            lj++;
        }
        add_formula(r, L, name, start, end);
        li = lj - 1;
    }
}

/* ---- claims ---------------------------------------------------------- */

static void lower_line(const char *s, size_t a, size_t b, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = a; i < b && o + 1 < size; i++)
        buf[o++] = (char)tolower((unsigned char)s[i]);
    buf[o] = '\0';
}

static void add_claim(roof_report *r, roof_claim_kind k, int line, double v, int bound, const char *s, size_t a,
                      size_t b)
{
    if (r->nclaims >= ROOF_REPORT_MAX_CLAIMS || !isfinite(v))
        return;
    roof_report_claim *c = &r->claims[r->nclaims++];
    c->kind = k;
    c->line = line;
    c->value = v;
    c->bound = bound;
    snippet(s, a, b, c->text, sizeof c->text);
}

/* The first number in lo at or after from, with its end; bound from a '<',
 * '>' or 'under' before it and '+' after it. */
static int first_number(const char *lo, const char *from, double *v, const char **end, int *bound)
{
    const char *p = from;
    while (*p && !isdigit((unsigned char)*p))
        p++;
    if (!*p)
        return 0;
    char buf[64];
    size_t b = 0;
    const char *q = p;
    while (*q && b < sizeof buf - 1 &&
           (isdigit((unsigned char)*q) || *q == '.' || (*q == ',' && isdigit((unsigned char)q[1]))))
        if (*q++ != ',')
            buf[b++] = q[-1];
    buf[b] = '\0';
    *v = strtod(buf, NULL);
    *end = q;
    *bound = 0;
    for (const char *k = p; k > lo && k > p - 12; k--)
        if (k[-1] == '<' || strncmp(k - 1, "under", 5) == 0 || strncmp(k - 1, "below", 5) == 0)
            *bound = -1;
        else if (k[-1] == '>' || strncmp(k - 1, "over", 4) == 0)
            *bound = 1;
    if (*q == '+')
        *bound = 1;
    return 1;
}

static void scan_claims(roof_report *r, const lines *L)
{
    const char *s = r->text;
    for (int li = 0; li < L->n; li++) {
        size_t a = L->starts[li], b = line_end(s, r->len, a);
        if (b - a > 400 || b == a)
            continue;
        char lo[512];
        lower_line(s, a, b, lo, sizeof lo);
        double v;
        const char *end;
        int bound;
        /* Parameter counts: "10B parameter", "10B MoE model". */
        if (strstr(lo, "param") || strstr(lo, "model")) {
            for (const char *p = lo; *p; p++) {
                if (!isdigit((unsigned char)*p) || (p > lo && (isalnum((unsigned char)p[-1]) || p[-1] == '.')))
                    continue;
                if (!first_number(lo, p, &v, &end, &bound))
                    break;
                const char *u = end;
                while (*u == ' ')
                    u++;
                double scale = 0.0;
                if ((*u == 'b' && !isalpha((unsigned char)u[1])) || strncmp(u, "billion", 7) == 0)
                    scale = 1e9;
                else if ((*u == 't' && !isalpha((unsigned char)u[1])) || strncmp(u, "trillion", 8) == 0)
                    scale = 1e12;
                if (scale > 0.0) {
                    add_claim(r, ROOF_CLAIM_PARAMS, li + 1, v * scale, bound, s, a, b);
                    break;
                }
                p = end - 1;
            }
        }
        /* Throughput: "850+ tokens/ms per GPU", "1200 tokens/s". */
        const char *tk = strstr(lo, "tokens/");
        if (!tk)
            tk = strstr(lo, "tok/");
        if (tk) {
            const char *p = tk;
            while (p > lo && !isdigit((unsigned char)p[-1]))
                p--;
            while (p > lo && (isdigit((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == ','))
                p--;
            if (first_number(lo, p, &v, &end, &bound) && end <= tk) {
                const char *unit = strchr(tk, '/') + 1;
                double per_s = strncmp(unit, "ms", 2) == 0 ? 1e3 : strncmp(unit, "us", 2) == 0 ? 1e6 : 1.0;
                int per_gpu = strstr(tk, "per gpu") || strstr(tk, "/gpu");
                add_claim(r, per_gpu ? ROOF_CLAIM_TOKENS_PER_S_PER_GPU : ROOF_CLAIM_TOKENS_PER_S, li + 1, v * per_s,
                          bound, s, a, b);
            }
        }
        /* TTFT: "TTFT: < 2 seconds", "TTFT 350 ms". */
        const char *tt = strstr(lo, "ttft");
        if (!tt)
            tt = strstr(lo, "time to first token");
        if (tt && first_number(lo, tt, &v, &end, &bound)) {
            const char *u = end;
            while (*u == ' ')
                u++;
            double scale = strncmp(u, "ms", 2) == 0 ? 1e-3 : (*u == 's' ? 1.0 : 0.0);
            if (scale > 0.0)
                add_claim(r, ROOF_CLAIM_TTFT_S, li + 1, v * scale, bound, s, a, b);
        }
        /* Memory use: "Memory Utilization: 23.4% per GPU". */
        const char *mem = strstr(lo, "memory");
        if (mem && strchr(mem, '%') && first_number(lo, mem, &v, &end, &bound) && *end == '%')
            add_claim(r, ROOF_CLAIM_MEMORY_FRACTION, li + 1, v / 100.0, bound, s, a, b);
    }
}

const char *roof_claim_name(roof_claim_kind k)
{
    switch (k) {
    case ROOF_CLAIM_PARAMS:
        return "parameters";
    case ROOF_CLAIM_TOKENS_PER_S:
        return "tokens_per_s";
    case ROOF_CLAIM_TOKENS_PER_S_PER_GPU:
        return "tokens_per_s_per_gpu";
    case ROOF_CLAIM_TTFT_S:
        return "ttft_s";
    case ROOF_CLAIM_MEMORY_FRACTION:
        return "memory_fraction";
    }
    return "?";
}

int roof_report_scan(const char *text, size_t len, const char *display, roof_report **out, roof_error *err)
{
    roof_report *r = calloc(1, sizeof *r);
    if (!r)
        return roof_error_set(err, ROOF_ERR_RUNTIME, display, "out of memory");
    snprintf(r->path, sizeof r->path, "%s", display);
    r->text = malloc(len + 1);
    lines L = {NULL, 0};
    size_t nl = 1;
    for (size_t i = 0; i < len; i++)
        nl += text[i] == '\n';
    L.starts = malloc(nl * sizeof *L.starts);
    if (!r->text || !L.starts) {
        free(L.starts);
        roof_report_free(r);
        return roof_error_set(err, ROOF_ERR_RUNTIME, display, "out of memory");
    }
    size_t nul = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\0') {
            nul++;
            c = ' ';
        }
        r->text[i] = c;
    }
    r->text[len] = '\0';
    r->len = len;
    r->binary = nul > 0;
    L.starts[L.n++] = 0;
    for (size_t i = 0; i < len; i++)
        if (r->text[i] == '\n')
            L.starts[L.n++] = i + 1;
    if (scan_calls(r, &L) != 0) {
        free(L.starts);
        roof_report_free(r);
        return roof_error_set(err, ROOF_ERR_RUNTIME, display, "out of memory");
    }
    scan_formulas(r, &L);
    scan_claims(r, &L);
    free(L.starts);
    *out = r;
    return ROOF_OK;
}

int roof_report_read(const char *path, roof_report **out, roof_error *err)
{
    /* NUL bytes are no error here: check notes them as a finding. */
    char *buf;
    size_t len;
    int rc = roof_infile_read(path, "report", ROOF_REPORT_MAX_BYTES, 0, &buf, &len, err);
    if (rc != ROOF_OK)
        return rc;
    rc = roof_report_scan(buf, len, path, out, err);
    free(buf);
    return rc;
}

void roof_report_free(roof_report *r)
{
    if (!r)
        return;
    free(r->text);
    free(r->calls);
    free(r);
}
