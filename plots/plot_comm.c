/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The data of `llmroof plot comm`: bus bandwidth against size from the csv
 * of `llmroof comm COLLECTIVE --sweep`, one line per algorithm and protocol
 * the model chose, and the measured points the caller adds. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "plots/plot.h"

static double cell_num(const roof_csv *csv, size_t r, int c)
{
    const char *t = roof_csv_cell(csv, r, c);
    char *end;
    double v = strtod(t, &end);
    return end == t || *end ? NAN : v;
}

/* "ALGO/PROTO" of row r ("ring/ll"; the protocol left out where the
 * alpha-beta model timed it: "auto"). */
static void label_of(const roof_csv *csv, size_t r, int ca, int cp, char *buf, size_t size)
{
    const char *p = roof_csv_cell(csv, r, cp);
    if (strcmp(p, "auto") == 0 || !p[0])
        snprintf(buf, size, "%.40s", roof_csv_cell(csv, r, ca));
    else
        snprintf(buf, size, "%.40s/%.40s", roof_csv_cell(csv, r, ca), p);
}

int roof_plot_comm(const char *csv_path, const char *data_path, FILE *pre, FILE *data, roof_plot_comm_key *key,
                   roof_error *err)
{
    roof_csv csv;
    memset(key, 0, sizeof *key);
    int rc = roof_csv_read(csv_path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    const char *names[] = {"size", "busbw", "algo", "proto", "collective", "group", "nodes", "profile"};
    int col[8];
    for (int i = 0; i < 8 && rc == ROOF_OK; i++)
        if ((col[i] = roof_csv_col(&csv, names[i])) < 0)
            rc = roof_error_set(err, ROOF_ERR_INPUT, csv_path,
                                "no column '%s': expected the csv of 'llmroof comm COLLECTIVE --sweep'", names[i]);
    if (rc == ROOF_OK && csv.nrows == 0)
        rc = roof_error_set(err, ROOF_ERR_INPUT, csv_path, "no rows to plot");
    for (size_t r = 0; r < csv.nrows && rc == ROOF_OK; r++)
        if (!(cell_num(&csv, r, col[0]) > 0.0) || !(cell_num(&csv, r, col[1]) >= 0.0))
            rc = roof_error_set(err, ROOF_ERR_INPUT, csv_path, "line %zu: size and busbw must be numbers", r + 2);
    if (rc != ROOF_OK) {
        roof_csv_free(&csv);
        return rc;
    }
    snprintf(key->collective, sizeof key->collective, "%s", roof_csv_cell(&csv, 0, col[4]));
    snprintf(key->profile, sizeof key->profile, "%s", roof_csv_cell(&csv, 0, col[7]));
    key->group = (long long)cell_num(&csv, 0, col[5]);
    key->nodes = (long long)cell_num(&csv, 0, col[6]);
    /* One block per chosen algorithm/protocol, in order of first
     * appearance; a blank line breaks a block's line where another choice
     * took over in between. */
    char seen[16][96];
    int nb = 0;
    for (size_t r = 0; r < csv.nrows; r++) {
        char l[96];
        label_of(&csv, r, col[2], col[3], l, sizeof l);
        int k = 0;
        while (k < nb && strcmp(seen[k], l) != 0)
            k++;
        if (k == nb && nb < 16)
            snprintf(seen[nb++], sizeof seen[0], "%s", l);
    }
    fprintf(pre, "array bname[%d]\n", nb);
    for (int k = 0; k < nb; k++) {
        fprintf(pre, "bname[%d] = ", k + 1);
        roof_plot_string(pre, seen[k]);
        fputc('\n', pre);
        if (k)
            fputs("\n\n", data);
        int last = -2;
        for (size_t r = 0; r < csv.nrows; r++) {
            char l[96];
            label_of(&csv, r, col[2], col[3], l, sizeof l);
            if (strcmp(l, seen[k]) != 0)
                continue;
            if (last >= 0 && (size_t)last + 1 != r)
                fputc('\n', data);
            fprintf(data, "%.17g %.17g\n", cell_num(&csv, r, col[0]), cell_num(&csv, r, col[1]) * 1e-9);
            last = (int)r;
        }
    }
    char title[256];
    snprintf(title, sizeof title, "%.40s over %lld ranks (%lld node(s)) on %.40s: bus bandwidth as the model chooses",
             key->collective, key->group, key->nodes, key->profile);
    fprintf(pre, "lines = ");
    roof_plot_path(pre, data_path);
    fputs("\nptitle = ", pre);
    roof_plot_string(pre, title);
    fprintf(pre, "\nnblocks = %d\n", nb);
    roof_csv_free(&csv);
    return ROOF_OK;
}

void roof_plot_comm_measured(FILE *pre, FILE *data, const double *size, const double *busbw, size_t n)
{
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(size[i] > 0.0) || !(busbw[i] >= 0.0) || !isfinite(busbw[i]))
            continue;
        if (shown++ == 0)
            fputs("\n\n", data);
        fprintf(data, "%.17g %.17g\n", size[i], busbw[i] * 1e-9);
    }
    fprintf(pre, "nmeasured = %zu\n", shown);
}
