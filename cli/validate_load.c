/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/validate_load.h"

#include <math.h>
#include <string.h>

/* The MAPE of pred (NULL: the rows' own predictions, on the shipped
 * profiles) over the serving rows of kind, group (NULL: all) and metric. */
static double mape(const roof_pub_case *cases, size_t n, const double *pred, int kind, const char *group, int metric,
                   size_t *count)
{
    double sum = 0.0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const roof_pub_case *c = &cases[i];
        if ((int)c->kind != kind || c->serve_metric != metric || (group && strcmp(c->group, group) != 0))
            continue;
        sum += fabs((pred ? pred[i] : c->predicted_s) - c->measured_s) / c->measured_s;
        k++;
    }
    *count = k;
    return k ? sum / (double)k : 0.0;
}

static void row(roof_out *out, const roof_pub_case *cases, size_t n, const roof_pub_cv *cv, int kind, const char *group,
                const char *all, int metric)
{
    size_t k;
    double m = mape(cases, n, NULL, kind, group, metric, &k);
    if (k == 0)
        return;
    roof_out_row(out);
    roof_out_str(out, "group", group ? group : all);
    roof_out_str(out, "metric", roof_pub_serve_metric_name(metric));
    roof_out_int(out, "cases", (int64_t)k);
    roof_out_num(out, "profile_mape_insample", "%", 100.0 * m);
    roof_out_num(out, "mape_insample", "%", 100.0 * mape(cases, n, cv->insample_s, kind, group, metric, &k));
    roof_out_num(out, "mape_cv", "%", 100.0 * mape(cases, n, cv->cv_s, kind, group, metric, &k));
}

/* Per group of kind's rows in order of first row, each metric; then each
 * metric over all of them. */
static void rows_of(roof_out *out, const roof_pub_case *cases, size_t n, const roof_pub_cv *cv, int kind,
                    const char *all)
{
    for (size_t i = 0; i < n; i++) {
        int first = (int)cases[i].kind == kind;
        for (size_t j = 0; j < i && first; j++)
            first = !((int)cases[j].kind == kind && strcmp(cases[j].group, cases[i].group) == 0);
        if (!first)
            continue;
        for (int m = 0; m < ROOF_PUB_SERVE_NMETRICS; m++)
            row(out, cases, n, cv, kind, cases[i].group, all, m);
    }
    for (int m = 0; m < ROOF_PUB_SERVE_NMETRICS; m++)
        row(out, cases, n, cv, kind, NULL, all, m);
}

void roof_validate_load_section(roof_out *out, const roof_pub_case *cases, size_t n, const roof_pub_cv *cv)
{
    roof_out_section(out, "cv_serve_static", ROOF_OUT_ROWS,
                     "Serving a static batch: MAPE of its first token (TTFT) and request latency (e2e) per engine "
                     "and GPU (no parameter of their own: CV moves only with the GEMM fits)");
    rows_of(out, cases, n, cv, ROOF_PUB_REQUEST, "all static batches");
    roof_out_section(
        out, "cv_serve_load", ROOF_OUT_ROWS,
        "Serving under load: MAPE of each median or mean per engine and GPU (no parameter of their own: CV "
        "moves only with the GEMM fits)");
    rows_of(out, cases, n, cv, ROOF_PUB_SERVE, "all serve-load");
}
