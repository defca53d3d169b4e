/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The data behind each kind of plot, from one estimate. */
#include <math.h>
#include <string.h>

#include "plots/plot.h"

void roof_plot_text(char *buf, size_t size, const char *s)
{
    if (size == 0)
        return;
    size_t n = 0;
    for (; *s && n + 1 < size; s++) {
        unsigned char c = (unsigned char)*s;
        /* Quotes would end a literal, backquotes run commands inside double
         * quotes, '@' expands macros, a backslash escapes, a newline starts a
         * command: none of them is ever needed in a name. */
        int ok = c >= 0x20 && c < 0x7f && !strchr("'\"`\\@", c);
        buf[n++] = ok ? (char)c : '?';
    }
    buf[n] = '\0';
}

void roof_plot_string(FILE *f, const char *s)
{
    char t[1024];
    roof_plot_text(t, sizeof t, s);
    fprintf(f, "'%s'", t);
}

void roof_plot_label(FILE *f, const char *s)
{
    char t[1024];
    roof_plot_text(t, sizeof t, s);
    fprintf(f, "\"%s\"", t);
}

void roof_plot_label2(FILE *f, const char *first, const char *second)
{
    char a[512], b[512];
    roof_plot_text(a, sizeof a, first);
    roof_plot_text(b, sizeof b, second);
    fprintf(f, "\"%s\\n%s\"", a, b);
}

int roof_plot_path_check(const char *what, const char *path, roof_error *err)
{
    for (const char *p = path; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            char shown[256];
            roof_plot_text(shown, sizeof shown, path);
            return roof_error_set(err, ROOF_ERR_USAGE, what,
                                  "a path with control characters cannot be passed to gnuplot (got '%s')", shown);
        }
    return ROOF_OK;
}

void roof_plot_path(FILE *f, const char *path)
{
    fputs(path[0] == '/' ? "'" : "'./", f);
    for (; *path; path++) {
        if (*path == '\'')
            fputc('\'', f);
        fputc(*path, f);
    }
    fputc('\'', f);
}

void roof_plot_title(FILE *pre, const roof_scenario *s, const char *what)
{
    char t[512];
    snprintf(t, sizeof t, "%s: %s on %s", what, s->name, s->hw.name);
    fputs("ptitle = ", pre);
    roof_plot_string(pre, t);
    fputc('\n', pre);
}

int roof_plot_pipeline(const roof_scenario *s, const roof_result *r, roof_phase phase, const char *data_path,
                       FILE *preamble, FILE *data, roof_error *err)
{
    (void)err;
    const roof_phase_result *ph = phase == ROOF_PHASE_DECODE ? &r->decode : &r->prefill;
    int64_t pp = ph->stages, m = s->workload.microbatches;
    fprintf(preamble, "nstages = %lld\nbars = ", (long long)pp);
    roof_plot_path(preamble, data_path);
    fputc('\n', preamble);
    char what[128];
    snprintf(what, sizeof what, "%s pipeline, %lld stages x %lld microbatches, bubble %.1f%%",
             phase == ROOF_PHASE_DECODE ? "decode" : "prefill", (long long)pp, (long long)m, 100.0 * ph->bubble);
    roof_plot_title(preamble, s, what);
    /* The schedule of model/evaluate.c (GPipe forward): microbatch j enters
     * stage i when stage i has finished j-1 and stage i-1 has finished j
     * and sent it. Bounded: at most 64 microbatches are drawn. */
    enum { MAXM = 64 };
    double prev_end[ROOF_MAX_STAGES];
    int64_t mm = m < MAXM ? m : MAXM;
    for (int64_t i = 0; i < pp && i < ROOF_MAX_STAGES; i++)
        prev_end[i] = 0.0;
    for (int64_t j = 0; j < mm; j++) {
        double upstream = 0.0;
        for (int64_t i = 0; i < pp && i < ROOF_MAX_STAGES; i++) {
            double ready = i == 0 ? 0.0 : upstream + ph->send_time_s;
            double start = ready > prev_end[i] ? ready : prev_end[i];
            double end = start + ph->stage_time_s[i];
            fprintf(data, "%lld %.17g %.17g %lld\n", (long long)i, start, end, (long long)j);
            prev_end[i] = end;
            upstream = end;
        }
    }
    return ROOF_OK;
}

int roof_plot_breakdown(const roof_scenario *s, const roof_result *r, const char *data_path, FILE *preamble, FILE *data,
                        roof_error *err)
{
    (void)err;
    fputs("rows = ", preamble);
    roof_plot_path(preamble, data_path);
    fputc('\n', preamble);
    roof_plot_title(preamble, s, "time per op kind, one layer of each kind and the pipeline ends, one rank");
    const roof_phase_result *ph[] = {&r->prefill, &r->decode};
    for (int p = 0; p < 2; p++) {
        if (p)
            fputs("\n\n", data); /* gnuplot's next data block (index 1) */
        const roof_op_list *lists[] = {&ph[p]->ops.dense, &ph[p]->ops.moe, &ph[p]->ops.first, &ph[p]->ops.last,
                                       &ph[p]->ops.send};
        for (int l = 0; l < 5; l++) {
            if (!lists[l]->n)
                continue;
            double t[4] = {0, 0, 0, 0};
            for (int k = 0; k < lists[l]->n; k++) {
                const roof_op *o = &lists[l]->ops[k];
                int attn = strcmp(o->name, "flash_attn") == 0 || strcmp(o->name, "qk_scores") == 0 ||
                           strcmp(o->name, "av") == 0 || strcmp(o->name, "softmax") == 0;
                int slot = attn ? 1 : o->kind == ROOF_OP_GEMM ? 0 : o->kind == ROOF_OP_COMM ? 3 : 2;
                t[slot] += o->time_s;
            }
            roof_plot_label(data, lists[l]->kind);
            fprintf(data, " %.17g %.17g %.17g %.17g\n", t[0], t[1], t[2], t[3]);
        }
    }
    return ROOF_OK;
}
