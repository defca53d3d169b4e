/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The roofline plot's data: the roofs of a profile (each dtype's peak and
 * its achievable fraction, the memory roof at peak and achievable
 * bandwidth) and the ops of an estimate as numbered points, with a legend
 * of what each number is (labels of names sat on each other). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hw/dtype.h"
#include "plots/plot.h"

/* Ops closer than this in both log10 coordinates share one label: q_proj
 * and o_proj of a square attention are the same point. */
#define NEAR_DECADES 0.08
#define MAX_POINTS 96

typedef struct {
    double x, y;    /* intensity FLOP/B, achieved FLOP/s */
    int phase;      /* 0 prefill, 1 decode */
    char label[96]; /* the op names of the cluster, "q_proj, o_proj" */
} point;

static int near(const point *a, double x, double y, int phase)
{
    return a->phase == phase && fabs(log10(a->x) - log10(x)) < NEAR_DECADES &&
           fabs(log10(a->y) - log10(y)) < NEAR_DECADES;
}

/* Adds name to the cluster's label once, cut with "..." when it is full. */
static void add_name(point *p, const char *name)
{
    size_t n = strlen(p->label), k = strlen(name);
    if (n == 0) {
        snprintf(p->label, sizeof p->label, "%s", name);
        return;
    }
    /* Already named (the same op in a dense and a MoE layer). */
    for (const char *q = strstr(p->label, name); q; q = strstr(q + 1, name))
        if ((q == p->label || q[-1] == ' ') && (q[k] == ',' || q[k] == '\0'))
            return;
    if (n >= 3 && strcmp(p->label + n - 3, "...") == 0)
        return;
    if (n + 2 + k + 4 < sizeof p->label)
        snprintf(p->label + n, sizeof p->label - n, ", %s", name);
    else if (n + 4 < sizeof p->label)
        snprintf(p->label + n, sizeof p->label - n, "...");
}

static int by_x(const void *a, const void *b)
{
    const point *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

/* The roof that draws dtype d: fp16 and int8 share bf16's and fp8's peaks. */
static int roof_of(int d)
{
    return d == ROOF_DT_FP16 ? ROOF_DT_BF16 : d == ROOF_DT_INT8 ? ROOF_DT_FP8 : d;
}

int roof_plot_roofline(const roof_scenario *s, const roof_result *r, int phases, const char *data_path, FILE *preamble,
                       FILE *data, roof_error *err)
{
    (void)err;
    const roof_hw *hw = &s->hw;
    /* The roofs, at peak and achievable (Williams, Waterman, Patterson,
     * CACM 2009: a ceiling below the peak for what a kernel reaches; here
     * the profile's compute and memory efficiencies). The workload's dtype
     * is drawn bold (hi), the others thin. */
    int n = 0, hi = 0;
    double top = 0.0;
    for (int d = 0; d < ROOF_DT_COUNT; d++)
        n += hw->compute[d] > 0.0 && roof_of(d) == d;
    fprintf(preamble, "array peak[%d]\narray peakraw[%d]\narray dtname[%d]\n", n, n, n);
    int i = 1;
    for (int d = 0; d < ROOF_DT_COUNT; d++) {
        if (!(hw->compute[d] > 0.0) || roof_of(d) != d)
            continue;
        double eff = roof_hw_eff(hw, (roof_dtype)d);
        fprintf(preamble, "peak[%d] = %.17g\npeakraw[%d] = %.17g\ndtname[%d] = ", i, hw->compute[d] * eff, i,
                hw->compute[d], i);
        roof_plot_string(preamble, roof_dtype_name((roof_dtype)d));
        fputc('\n', preamble);
        if (d == roof_of(s->workload.dtype))
            hi = i;
        if (hw->compute[d] > top)
            top = hw->compute[d];
        i++;
    }
    double bw = hw->mem_bandwidth * hw->eff_memory;
    fprintf(preamble, "hi = %d\nbw = %.17g\nbwraw = %.17g\npoints = ", hi, bw, hw->mem_bandwidth);
    roof_plot_path(preamble, data_path);
    fputc('\n', preamble);

    /* The points, clustered so that ops at one spot get one label. */
    static const char *const pname[] = {"prefill", "decode"};
    point pts[MAX_POINTS];
    int np = 0;
    const roof_phase_result *ph[] = {&r->prefill, &r->decode};
    for (int p = 0; p < 2; p++) {
        if (!(phases & (p ? ROOF_EVAL_DECODE : ROOF_EVAL_PREFILL)))
            continue;
        const roof_op_list *lists[] = {&ph[p]->ops.dense, &ph[p]->ops.moe, &ph[p]->ops.last};
        for (int l = 0; l < 3; l++)
            for (int k = 0; k < lists[l]->n; k++) {
                const roof_op *o = &lists[l]->ops[k];
                if ((o->kind != ROOF_OP_GEMM && o->kind != ROOF_OP_FUSED) || !(o->bytes > 0.0) || !(o->time_s > 0.0) ||
                    !(o->flops > 0.0))
                    continue;
                /* Achieved rate over the op's whole time, overhead included. */
                double x = o->flops / o->bytes, y = o->flops / (o->time_s / o->count);
                int c = 0;
                while (c < np && !near(&pts[c], x, y, p))
                    c++;
                if (c == np) {
                    if (np == MAX_POINTS)
                        continue;
                    pts[np++] = (point){x, y, p, ""};
                }
                add_name(&pts[c], o->name);
            }
    }
    qsort(pts, (size_t)np, sizeof pts[0], by_x);
    /* Ranges fitted to the points and the roofs: a decade of room around
     * the points, the ridge of the highest peak inside, the peaks below
     * the top. */
    double ridge = top / bw;
    double xmin = ridge, xmax = ridge, ymin = top, ymax = top;
    for (int k = 0; k < np; k++) {
        xmin = fmin(xmin, pts[k].x);
        xmax = fmax(xmax, pts[k].x);
        ymin = fmin(ymin, pts[k].y);
    }
    xmin = pow(10.0, floor(log10(xmin / 3.0)));
    xmax = pow(10.0, ceil(log10(xmax * 3.0)));
    ymin = pow(10.0, floor(log10(fmin(ymin, bw * xmin) / 2.0)));
    ymax = pow(10.0, ceil(log10(ymax * 2.0)));
    fprintf(preamble, "xmin = %.17g\nxmax = %.17g\nymin = %.17g\nymax = %.17g\n", xmin, xmax, ymin, ymax);
    char what[64];
    snprintf(what, sizeof what, "roofline, %s ops",
             phases == (ROOF_EVAL_PREFILL | ROOF_EVAL_DECODE) ? "prefill and decode"
                                                              : pname[phases == ROOF_EVAL_DECODE]);
    roof_plot_title(preamble, s, what);
    /* A numbered legend: each point carries its number beside it (short
     * labels do not run into each other) and the key says which ops each
     * number is, with its phase. */
    fprintf(preamble, "array lbl[%d]\n", np > 0 ? np : 1);
    if (np == 0)
        fputs("lbl[1] = ''\n", preamble);
    for (int k = 0; k < np; k++) {
        char entry[160];
        snprintf(entry, sizeof entry, "%d  %s (%s)", k + 1, pts[k].label, pname[pts[k].phase]);
        fprintf(preamble, "lbl[%d] = ", k + 1);
        roof_plot_string(preamble, entry);
        fputc('\n', preamble);
        fprintf(data, "%.17g %.17g %d %d\n", pts[k].x, pts[k].y, k + 1, pts[k].phase);
    }
    return ROOF_OK;
}
