/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The data of `llmroof plot frontier`: the throughput-interactivity curve
 * of each hardware from the csv of `llmroof frontier` (its Pareto points,
 * output tokens/s per user against per GPU, as SemiAnalysis' InferenceMAX
 * charts draw them), with each point's 80% interval where the csv has one,
 * and the SLOs the caller gives as vertical lines (an inter-token latency
 * limit L is 1 / L tokens/s per user). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "plots/plot.h"

#define MAX_HW 16

enum { C_HW, C_USER, C_GPU, C_PARETO, C_ULO, C_UHI, C_GLO, C_GHI, C_N };

/* Row r's number in column c (NaN: an empty cell, or no such column);
 * anything else than a finite number or empty is an input error. */
static int cell(const roof_csv *csv, const char *path, size_t r, int c, double *v, roof_error *err)
{
    if (c < 0) {
        *v = NAN;
        return ROOF_OK;
    }
    return roof_csv_number(roof_csv_cell(csv, r, c), csv->cells[c], 1, path, csv->lines[r], v, err);
}

int roof_plot_frontier(const char *csv_path, const char *data_path, const roof_plot_slo *slos, int nslo, FILE *pre,
                       FILE *data, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(csv_path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    static const char *const names[C_N] = {"hw",
                                           "tok_s_user",
                                           "tok_s_gpu",
                                           "pareto",
                                           "metrics_interval.tok_s_user.p10",
                                           "metrics_interval.tok_s_user.p90",
                                           "metrics_interval.tok_s_gpu.p10",
                                           "metrics_interval.tok_s_gpu.p90"};
    int col[C_N];
    for (int k = 0; k < C_N; k++) {
        col[k] = roof_csv_col(&csv, names[k]);
        int required = k <= C_PARETO;
        if (required && col[k] < 0) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, csv_path,
                                "no column '%s': is this the csv of 'llmroof frontier --format csv'?", names[k]);
            goto out;
        }
    }
    /* The hardware in order of first appearance; one block each of its
     * Pareto points by tokens/s per user, each with its interval (the
     * point itself where the csv has none). */
    const char *hw[MAX_HW];
    int nhw = 0, intervals = 0;
    size_t points = 0;
    for (size_t r = 0; r < csv.nrows; r++) {
        const char *h = roof_csv_cell(&csv, r, col[C_HW]);
        int k = 0;
        while (k < nhw && strcmp(hw[k], h) != 0)
            k++;
        if (k == nhw) {
            if (nhw == MAX_HW) {
                rc = roof_error_set(err, ROOF_ERR_INPUT, csv_path, "more than %d hardware profiles", MAX_HW);
                goto out;
            }
            hw[nhw++] = h;
        }
    }
    size_t *order = malloc((csv.nrows + 1) * sizeof *order);
    double(*v)[C_N] = malloc((csv.nrows + 1) * sizeof *v);
    if (!order || !v) {
        free(order);
        free(v);
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, csv_path, "out of memory");
        goto out;
    }
    for (size_t r = 0; r < csv.nrows && rc == ROOF_OK; r++)
        for (int k = C_USER; k < C_N && rc == ROOF_OK; k++)
            if (k != C_PARETO)
                rc = cell(&csv, csv_path, r, col[k], &v[r][k], err);
    fprintf(pre, "array hname[%d]\n", nhw > 0 ? nhw : 1);
    for (int k = 0; k < nhw && rc == ROOF_OK; k++) {
        fprintf(pre, "hname[%d] = ", k + 1);
        roof_plot_string(pre, hw[k]);
        fputc('\n', pre);
        size_t n = 0;
        for (size_t r = 0; r < csv.nrows; r++)
            if (strcmp(roof_csv_cell(&csv, r, col[C_HW]), hw[k]) == 0 &&
                strcmp(roof_csv_cell(&csv, r, col[C_PARETO]), "true") == 0 && v[r][C_USER] > 0.0 && v[r][C_GPU] > 0.0)
                order[n++] = r;
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && v[order[j]][C_USER] < v[order[j - 1]][C_USER]; j--) {
                size_t t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        if (k)
            fputs("\n\n", data);
        if (n == 0) /* a block gnuplot can read: a point off the log axes is skipped */
            fputs("NaN NaN NaN NaN NaN NaN\n", data);
        for (size_t i = 0; i < n; i++) {
            const double *p = v[order[i]];
            int iv = p[C_ULO] > 0.0 && p[C_UHI] > 0.0 && p[C_GLO] > 0.0 && p[C_GHI] > 0.0;
            intervals += iv;
            fprintf(data, "%.17g %.17g %.17g %.17g %.17g %.17g\n", p[C_USER], p[C_GPU], iv ? p[C_ULO] : p[C_USER],
                    iv ? p[C_UHI] : p[C_USER], iv ? p[C_GLO] : p[C_GPU], iv ? p[C_GHI] : p[C_GPU]);
        }
        points += n;
    }
    free(order);
    free(v);
    if (rc != ROOF_OK)
        goto out;
    if (points == 0) {
        rc = roof_error_set(err, ROOF_ERR_INPUT, csv_path, "no Pareto point to plot (pareto = true, positive rates)");
        goto out;
    }
    fprintf(pre, "lines = ");
    roof_plot_path(pre, data_path);
    fputs("\nptitle = ", pre);
    roof_plot_string(pre, intervals ? "throughput against interactivity: the Pareto points of each GPU, with their "
                                      "80% intervals (llmroof frontier)"
                                    : "throughput against interactivity: the Pareto points of each GPU (llmroof "
                                      "frontier)");
    fprintf(pre, "\nnblocks = %d\nintervals = %d\nnslo = %d\n", nhw, intervals > 0, nslo);
    fprintf(pre, "array sx[%d]\narray sname[%d]\n", nslo > 0 ? nslo : 1, nslo > 0 ? nslo : 1);
    for (int k = 0; k < nslo; k++) {
        fprintf(pre, "sx[%d] = %.17g\nsname[%d] = ", k + 1, slos[k].tok_s_user, k + 1);
        roof_plot_string(pre, slos[k].text);
        fputc('\n', pre);
    }
out:
    roof_csv_free(&csv);
    return rc;
}
