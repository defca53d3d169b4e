/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The prose of a report (report/check.c runs it after the formulas and
 * calls): claims about the plan (GPU and layer counts), FLOP counts, lists
 * and repeated GEMM shapes written out in words, each against the
 * deployment's own model. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/check_private.h"

/* ---- prose: claims about the plan, FLOP counts, lists, repeated shapes */

/* One line of text, lower-cased, Markdown bold and backquotes dropped,
 * blanks folded. */
static void prose_line(const char *s, size_t a, size_t b, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = a; i < b && o + 1 < size; i++) {
        char ch = s[i];
        if (ch == '*' && i + 1 < b && s[i + 1] == '*') {
            i++;
            continue;
        }
        if (ch == '`' || ch == '\r')
            continue;
        if (ch == '\t')
            ch = ' ';
        if (ch == ' ' && o > 0 && buf[o - 1] == ' ')
            continue;
        buf[o++] = (char)tolower((unsigned char)ch);
    }
    buf[o] = '\0';
}

/* The number ending right before p in line (digits only), or -1. */
static long number_ending(const char *line, const char *p)
{
    while (p > line && p[-1] == ' ')
        p--;
    const char *e = p;
    while (p > line && isdigit((unsigned char)p[-1]))
        p--;
    if (p == e || e - p > 9 || (p > line && (isalpha((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == ',')))
        return -1;
    return strtol(p, NULL, 10);
}

static int word_before(const char *line, const char *p, const char *w)
{
    size_t n = strlen(w);
    while (p > line && p[-1] == ' ')
        p--;
    while (p > line && isdigit((unsigned char)p[-1]))
        p--;
    while (p > line && p[-1] == ' ')
        p--;
    return (size_t)(p - line) >= n && strncmp(p - n, w, n) == 0;
}

static void claim_count(roof_check *c, int line, roof_severity sev, const char *what, long said, double model,
                        const char *how)
{
    if (said < 0 || !(model > 0.0) || fabs((double)said - model) < 0.5)
        return;
    roof_check_add(c, sev, line, "claim", "the report says %ld %s; %s gives %g", said, what, how, model);
}

/* "N heads per GPU", "heads: N per GPU", "N attention heads", "N KV heads",
 * "N layers per stage", "N total experts", "N experts per layer", "N
 * experts per GPU" (a warning: whether experts are split or placed is the
 * plan's reading), "N GPUs per expert". */
static void prose_counts(roof_check *c, const roof_scenario *s, const roof_result *res, int line, const char *t)
{
    char how[160];
    const roof_plan *p = &res->plan;
    for (const char *q = t; (q = strstr(q, "head")) != NULL; q += 4) {
        int kv = word_before(t, q, "kv") || word_before(t, q, "key-value") || word_before(t, q, "key/value");
        const char *h = q;
        if (kv) {
            while (h > t && h[-1] == ' ')
                h--;
            h -= h - t >= 2 && !strncmp(h - 2, "kv", 2) ? 2 : 0;
        }
        if (!kv && word_before(t, q, "attention"))
            h = q - 10; /* "128 attention heads" */
        if (h < t)
            h = q;
        const char *after = q + 4 + (q[4] == 's');
        long n = number_ending(t, h);
        int per_gpu =
            !strncmp(after, " per gpu", 8) || !strncmp(after, " per rank", 9) || !strncmp(after, " per device", 11);
        if (n >= 0) {
            if (word_before(t, h, "of") || word_before(t, h, "for") || word_before(t, h, "all"))
                if (!per_gpu)
                    continue; /* "groups of 4 heads", "for all heads" */
            if (!strncmp(after, " each", 5) || !strncmp(after, " per ", 5) ? !per_gpu : 0)
                continue;
            if (per_gpu) {
                snprintf(how, sizeof how, "%s/tp (%lld/%lld)", kv ? "kv_heads" : "heads",
                         (long long)(kv ? p->kv_heads : s->model.heads), (long long)s->parallel.tp);
                claim_count(c, line, ROOF_SEV_ERROR, kv ? "KV heads per GPU" : "heads per GPU", n,
                            (double)(kv ? p->kv_heads_r : p->heads_r), how);
            } else {
                claim_count(c, line, ROOF_SEV_ERROR, kv ? "KV heads" : "attention heads", n,
                            (double)(kv ? p->kv_heads : s->model.heads), "the model");
            }
            continue;
        }
        /* "attention heads: 128 per gpu" */
        const char *v = after;
        while (*v == ':' || *v == ' ')
            v++;
        if (isdigit((unsigned char)*v) && (after[0] == ':' || after[1] == ':')) {
            long m = strtol(v, (char **)&v, 10);
            if (!strncmp(v, " per gpu", 8) || !strncmp(v, " per rank", 9)) {
                snprintf(how, sizeof how, "heads/tp (%lld/%lld)", (long long)s->model.heads, (long long)s->parallel.tp);
                claim_count(c, line, ROOF_SEV_ERROR, "heads per GPU", m, (double)p->heads_r, how);
            } else {
                while (*v == ' ')
                    v++;
                if (*v && *v != ',' && *v != '(' && *v != ';')
                    continue; /* "heads: 16 heads per GPU", "both heads: 2 x Get_Time" */
                claim_count(c, line, ROOF_SEV_ERROR, kv ? "KV heads" : "attention heads", m,
                            (double)(kv ? p->kv_heads : s->model.heads), "the model");
            }
        }
    }
    for (const char *q = t; (q = strstr(q, "layers per ")) != NULL; q += 11) {
        const char *w = q + 11;
        if (strncmp(w, "stage", 5) && strncmp(w, "gpu", 3) && strncmp(w, "pipeline stage", 14))
            continue;
        snprintf(how, sizeof how, "layers/pp (%lld/%lld)", (long long)s->model.layers, (long long)s->parallel.pp);
        claim_count(c, line, ROOF_SEV_ERROR, "layers per stage", number_ending(t, q), (double)p->layers_per_stage, how);
    }
    if (!p->moe)
        return;
    for (const char *q = t; (q = strstr(q, "expert")) != NULL; q += 6) {
        const char *after = q + 6 + (q[6] == 's');
        long n = number_ending(t, q);
        int total_word = word_before(t, q, "total");
        if (total_word) {
            /* "64 total experts" */
            const char *r = q;
            while (r > t && r[-1] == ' ')
                r--;
            r -= 5;
            n = r >= t ? number_ending(t, r) : -1;
        }
        if (n < 0)
            continue;
        if (total_word || !strncmp(after, " in total", 9) || !strncmp(after, " per layer", 10) ||
            !strncmp(after, " per moe layer", 14))
            claim_count(c, line, ROOF_SEV_ERROR, "experts", n, (double)s->model.experts, "the model");
        else if (!strncmp(after, " per gpu", 8) || word_before(t, q, "hosts")) {
            snprintf(how, sizeof how, "experts/ep (%lld/%lld)", (long long)s->model.experts, (long long)s->parallel.ep);
            claim_count(c, line, ROOF_SEV_WARNING, "experts per GPU", n, (double)p->local_experts, how);
        }
    }
    for (const char *q = t; (q = strstr(q, "gpus per expert")) != NULL; q += 15) {
        double per = (double)(s->parallel.ep) >= (double)s->model.experts
                         ? (double)s->parallel.ep / (double)s->model.experts
                         : 1.0;
        claim_count(c, line, ROOF_SEV_WARNING, "GPUs per expert", number_ending(t, q), per * (double)p->etp,
                    "ep over the experts, times the expert tensor-parallel ranks");
    }
}

/* "FLOPs: 3 x (1024 x 2048 x 4096 x 128)": a product equal to a call's
 * m*k*n (times a count) and no factor 2 counts multiply-adds, half the
 * FLOPs (2mkn). */
static void prose_flops(roof_check *c, int line, const char *t)
{
    const char *f = strstr(t, "flop");
    if (!f)
        return;
    const char *q = strchr(f, ':');
    q = q ? q + 1 : f + 4;
    double prod = 1.0;
    int nums = 0, two = 0;
    for (const char *r = q; *r;) {
        if (isdigit((unsigned char)*r)) {
            char *e;
            double v = strtod(r, &e);
            if (*e == ',' || *e == '.' || isalpha((unsigned char)*e) || (r > q && isalpha((unsigned char)r[-1])))
                return; /* not a plain product */
            prod *= v;
            nums++;
            two |= v == 2.0;
            r = e;
            continue;
        }
        if (*r == ' ' || *r == '(' || *r == ')' || *r == '*' || *r == 'x' || *r == '[' || *r == ']' ||
            (unsigned char)*r == 0xC3 || (unsigned char)*r == 0x97) {
            r++;
            continue;
        }
        break;
    }
    if (nums < 3 || two)
        return;
    const roof_report *rep = c->rep;
    for (int i = 0; i < rep->ncalls && i < 4096; i++) { /* bounded: a FLOP line per call would be quadratic */
        const roof_report_call *call = &rep->calls[i];
        if (!call->ok || !roof_check_in_ranges(c, call->line))
            continue;
        double mkn = call->args.v[0] * call->args.v[1] * call->args.v[2];
        double r = prod / mkn;
        if (r >= 0.999 && r <= 64.5 && fabs(r - floor(r + 0.5)) < 1e-6) {
            roof_check_add(
                c, ROOF_SEV_ERROR, line, "claim",
                "the FLOPs written here, %.4g, are %g x m x k x n of Get_Time(%.0f, %.0f, %.0f) (line %d): a GEMM "
                "is 2 x m x k x n FLOPs, so this is half",
                prod, floor(r + 0.5), call->args.v[0], call->args.v[1], call->args.v[2], call->line);
            return;
        }
    }
}

/* "Layer 0, Layer 2, Layer 3": a list or headings that skip a layer. */
static void prose_layers(roof_check *c, const roof_scenario *s, int line, const char *t, int *prev, int *prev_line)
{
    const char *p = t;
    while (*p == ' ' || *p == '#' || *p == '-' || *p == '*' || *p == '>')
        p++;
    const char *d = p;
    while (isdigit((unsigned char)*d))
        d++;
    if (d > p && (*d == '.' || *d == ')'))
        p = d + 1;
    while (*p == ' ')
        p++;
    if (strncmp(p, "layer ", 6) != 0 || !isdigit((unsigned char)p[6]))
        return;
    char *e;
    long n = strtol(p + 6, &e, 10);
    if (isalnum((unsigned char)*e) || *e == '-')
        return; /* "layer 0-1" */
    if (*prev >= 0 && n > *prev + 1 && line - *prev_line <= 30 && n - 1 < s->model.layers) {
        char gap[48];
        if (n - *prev > 2)
            snprintf(gap, sizeof gap, "Layers %d-%ld are", *prev + 1, n - 1);
        else
            snprintf(gap, sizeof gap, "Layer %d is", *prev + 1);
        roof_check_add(c, ROOF_SEV_ERROR, line, "composition",
                       "the list goes from Layer %d (line %d) to Layer %ld: %s left out, and every layer runs on the "
                       "critical path",
                       *prev, *prev_line, n, gap);
    }
    *prev = (int)n;
    *prev_line = line;
}

/* "m=1024x10000, k=8192, n=8192" under a heading naming an op, against the
 * Get_Time calls of that op: the same op given two ways. */
typedef struct {
    const char *op;
    double v[3];
    int line;
} prose_shape;

static int prose_value(const char *t, const char *key, double *out)
{
    const char *p = t;
    size_t kl = strlen(key);
    for (; (p = strstr(p, key)) != NULL; p += kl)
        if (p == t || !isalnum((unsigned char)p[-1]))
            break;
    if (!p)
        return 0;
    p += kl;
    while (*p == ' ')
        p++;
    if (*p != '=')
        return 0;
    p++;
    double v = 1.0;
    int nums = 0;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!isdigit((unsigned char)*p))
            break;
        char *e;
        double x = strtod(p, &e);
        v *= x;
        nums++;
        p = e;
        while (*p == ' ')
            p++;
        if ((unsigned char)p[0] == 0xC3 && (unsigned char)p[1] == 0x97)
            p += 2;
        else if (*p == '*' || *p == 'x')
            p++;
        else
            break;
    }
    *out = v;
    return nums > 0;
}

static void prose_shapes(roof_check *c, const char *t, const char *context, int line, prose_shape *shapes, int *nshapes)
{
    double v[3];
    if (!prose_value(t, "m", &v[0]) || !prose_value(t, "k", &v[1]) || !prose_value(t, "n", &v[2]) || *nshapes >= 32)
        return;
    const char *op = roof_check_op_named(context);
    if (!op)
        return;
    for (int i = 0; i < *nshapes; i++)
        if (!strcmp(shapes[i].op, op))
            return; /* the first statement of each op is compared */
    prose_shape *sh = &shapes[(*nshapes)++];
    sh->op = op;
    memcpy(sh->v, v, sizeof v);
    sh->line = line;
    (void)c;
}

static int near_equal(double a, double b)
{
    return fabs(a - b) <= 0.005 * fabs(b) + 0.5;
}

void roof_check_prose(roof_check *c, const roof_scenario *s, const roof_result *res)
{
    const roof_report *rep = c->rep;
    const char *text = rep->text;
    size_t len = rep->len, a = 0;
    int line = 0, prev = -1, prev_line = 0, in_code = 0;
    char t[1024], heading[256] = "", ctx[1024], above[2][256] = {"", ""};
    prose_shape shapes[32];
    int nshapes = 0, heading_line = 0, nflops = 0;
    while (a < len) {
        size_t b = a;
        while (b < len && text[b] != '\n')
            b++;
        line++;
        prose_line(text, a, b, t, sizeof t);
        if (!strncmp(t, "```", 3) || !strncmp(t + (t[0] == ' '), "```", 3))
            in_code = !in_code;
        if (roof_check_in_ranges(c, line) && !in_code) {
            /* On a line with a call, "4 heads:" labels the call, not a claim. */
            if (!strstr(t, "get_time("))
                prose_counts(c, s, res, line, t);
            if (nflops < 256 && strstr(t, "flop"))
                nflops++, prose_flops(c, line, t);
            prose_layers(c, s, line, t, &prev, &prev_line);
            snprintf(ctx, sizeof ctx, "%s %s %.250s %.250s", line - heading_line <= 12 ? heading : "", above[0],
                     above[1], t);
            prose_shapes(c, t, ctx, line, shapes, &nshapes);
        }
        if (t[0] == '#') {
            snprintf(heading, sizeof heading, "%.250s", t);
            heading_line = line;
        }
        memcpy(above[0], above[1], sizeof above[0]);
        snprintf(above[1], sizeof above[1], "%.250s", t);
        a = b + 1;
    }
    /* The same op given two ways: its first statement in prose against the
     * Get_Time calls read as that op, once per op. */
    for (int i = 0; i < nshapes; i++) {
        for (int k = 0; k < rep->ncalls; k++) {
            const roof_report_call *call = &rep->calls[k];
            const roof_checked_call *cc = &c->calls[k];
            if (!call->ok || !cc->match || strcmp(cc->match->name, shapes[i].op) != 0 ||
                !roof_check_in_ranges(c, call->line))
                continue;
            if (near_equal(call->args.v[0], shapes[i].v[0]) && near_equal(call->args.v[1], shapes[i].v[1]) &&
                near_equal(call->args.v[2], shapes[i].v[2]))
                continue;
            roof_check_add(
                c, ROOF_SEV_ERROR, call->line, "consistency",
                "the report gives %s two ways: m=%.0f, k=%.0f, n=%.0f at line %d, Get_Time(%.0f, %.0f, %.0f) here",
                cc->match->what, shapes[i].v[0], shapes[i].v[1], shapes[i].v[2], shapes[i].line, call->args.v[0],
                call->args.v[1], call->args.v[2]);
            break;
        }
    }
}
