/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The data behind the plots of analyses and validation, from the csv that
 * `llmroof sensitivity`, `sweep`, `compare`, `validate published` and
 * `validate published --cv --calibration` write. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "plots/plot.h"

static int need(const roof_csv *csv, const char *path, const char *name, int *col, roof_error *err)
{
    *col = roof_csv_col(csv, name);
    if (*col < 0)
        return roof_error_set(err, ROOF_ERR_INPUT, path, "no column '%s': is this the csv of the right command?", name);
    return ROOF_OK;
}

static double num(const roof_csv *csv, size_t r, int c)
{
    const char *t = roof_csv_cell(csv, r, c);
    char *end;
    double v = strtod(t, &end);
    return end == t ? NAN : v;
}

/* Axis units people read: a metric in seconds (name ending in _s) in s,
 * ms or us after its largest value, bytes in GB; others as they are. The
 * data are multiplied by *scale; label is "NAME (UNIT)". */
static void human_axis(const char *name, double largest, double *scale, char *label, size_t size)
{
    size_t n = strlen(name);
    const char *unit = "";
    *scale = 1.0;
    if (n > 2 && strcmp(name + n - 2, "_s") == 0) {
        if (largest < 1e-3) {
            *scale = 1e6;
            unit = "us";
        } else if (largest < 1.0) {
            *scale = 1e3;
            unit = "ms";
        } else {
            unit = "s";
        }
    } else if (n > 6 && strcmp(name + n - 6, "_bytes") == 0) {
        *scale = 1e-9;
        unit = "GB";
    } else if (strcmp(name, "usd_per_mtok") == 0) {
        unit = "USD per million tokens";
    } else if (n > 6 && strcmp(name + n - 6, "_per_s") == 0) {
        unit = "per second";
    }
    if (unit[0])
        snprintf(label, size, "%s (%s)", name, unit);
    else
        snprintf(label, size, "%s", name);
}

/* ": CONFIG on PROFILE" when the csv carries them (sweep and sensitivity
 * write config and profile columns in csv), ": CONFIG" without a profile
 * (a sweep over hw), else "". */
static void of_what(const roof_csv *csv, char *buf, size_t size)
{
    int c = roof_csv_col(csv, "config"), h = roof_csv_col(csv, "profile");
    if (c >= 0 && h >= 0 && csv->nrows > 0)
        snprintf(buf, size, ": %s on %s", roof_csv_cell(csv, 0, c), roof_csv_cell(csv, 0, h));
    else if (c >= 0 && csv->nrows > 0)
        snprintf(buf, size, ": %s", roof_csv_cell(csv, 0, c));
    else
        buf[0] = '\0';
}

/* A plan "tp 8, pp 1, dp 1, cp 1, ep 1, mb 1" as its parts other than 1
 * ("tp 8"); "tp 1, ..." everywhere 1 as "one GPU each"; no plan ("none
 * (...)", empty) as "no plan". */
static void short_plan(const char *plan, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!plan[0] || strncmp(plan, "none", 4) == 0) {
        snprintf(buf, size, "no plan");
        return;
    }
    size_t n = 0;
    char name[16];
    long v;
    int used;
    for (const char *p = plan; *p && n + 1 < size;) {
        if (sscanf(p, " %15[a-z] %ld%n", name, &v, &used) != 2)
            break;
        p += used;
        if (v != 1)
            n += (size_t)snprintf(buf + n, size - n, "%s%s %ld", n ? ", " : "", name, v);
        while (*p == ',' || *p == ' ')
            p++;
        if (n >= size)
            break;
    }
    if (!buf[0])
        snprintf(buf, size, "no parallelism");
}

/* Every numeric cell the plot reads must be a finite number or empty (a
 * metric that does not apply): otherwise gnuplot would stop on "nan" with
 * a message about its own script. */
static int numbers(const roof_csv *csv, const char *path, const int *cols, int ncols, roof_error *err)
{
    double v;
    for (size_t r = 0; r < csv->nrows; r++)
        for (int k = 0; k < ncols; k++) {
            const char *cell = roof_csv_cell(csv, r, cols[k]), *col = csv->cells[cols[k]];
            if (roof_csv_number(cell, col, 1, path, csv->lines[r], &v, err) != ROOF_OK)
                return err->code;
        }
    return ROOF_OK;
}

/* Column names become axis titles and legends: one with a control
 * character is refused here, at load, as a config's name is (plot passes
 * every name through roof_plot_text as well). The header is line 1. */
static int header_names(const roof_csv *csv, const char *path, roof_error *err)
{
    for (size_t k = 0; k < csv->ncols; k++)
        for (const char *p = csv->cells[k]; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f) {
                char where[600], shown[128];
                snprintf(where, sizeof where, "%s:1", path);
                roof_plot_text(shown, sizeof shown, csv->cells[k]);
                return roof_error_set(err, ROOF_ERR_INPUT, where,
                                      "column %zu's name must not contain control characters (got '%s')", k + 1, shown);
            }
    return ROOF_OK;
}

static void head(FILE *pre, const char *var, const char *data_path, const char *title)
{
    fprintf(pre, "%s = ", var);
    roof_plot_path(pre, data_path);
    fputs("\nptitle = ", pre);
    roof_plot_string(pre, title);
    fputc('\n', pre);
}

int roof_plot_csv(const char *kind, const char *csv_path, const char *data_path, FILE *pre, FILE *data, roof_error *err)
{
    roof_csv csv;
    memset(&csv, 0, sizeof csv);
    int rc = roof_csv_read(csv_path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    if ((rc = header_names(&csv, csv_path, err)) != ROOF_OK) {
        roof_csv_free(&csv);
        return rc;
    }
    if (csv.nrows == 0) {
        roof_csv_free(&csv);
        return roof_error_set(err, ROOF_ERR_INPUT, csv_path, "no rows to plot");
    }
    char title[512];
    int a, b, c, d, e;
    if (strcmp(kind, "sensitivity") == 0) {
        if ((rc = need(&csv, csv_path, "path", &a, err)) || (rc = need(&csv, csv_path, "metric_low", &b, err)) ||
            (rc = need(&csv, csv_path, "metric_high", &c, err)) || (rc = need(&csv, csv_path, "metric", &d, err)) ||
            (rc = need(&csv, csv_path, "metric_name", &e, err)) ||
            (rc = numbers(&csv, csv_path, (int[]){b, c, d}, 3, err)))
            goto out;
        /* The rows come ranked by elasticity; the tornado ranks by swing. */
        size_t n = csv.nrows;
        size_t *order = malloc(n * sizeof *order);
        if (!order) {
            rc = roof_error_set(err, ROOF_ERR_RUNTIME, csv_path, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && fabs(num(&csv, order[j], c) - num(&csv, order[j], b)) >
                                            fabs(num(&csv, order[j - 1], c) - num(&csv, order[j - 1], b));
                 j--) {
                size_t t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        size_t shown = 0;
        for (size_t i = 0; i < n && shown < 20; i++) {
            double lo = num(&csv, order[i], b), hi = num(&csv, order[i], c);
            if (!isfinite(lo) || !isfinite(hi) || lo == hi)
                continue; /* no swing: nothing to draw */
            fprintf(data, "%zu %.17g %.17g ", ++shown, lo, hi);
            roof_plot_label(data, roof_csv_cell(&csv, order[i], a));
            fputc('\n', data);
        }
        free(order);
        if (shown == 0) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, csv_path, "no row has a swing to draw");
            goto out;
        }
        char what[300], xl[160];
        of_what(&csv, what, sizeof what);
        snprintf(title, sizeof title, "sensitivity of %s (the %zu widest swings)%s", roof_csv_cell(&csv, 0, e), shown,
                 what);
        head(pre, "bars", data_path, title);
        double scale;
        human_axis(roof_csv_cell(&csv, 0, e), fabs(num(&csv, 0, d)), &scale, xl, sizeof xl);
        fprintf(pre, "base = %.17g\nnrows = %zu\nxscale = %.17g\nxname = ", num(&csv, 0, d), shown > 0 ? shown : 1,
                scale);
        roof_plot_string(pre, xl);
        fputc('\n', pre);
    } else if (strcmp(kind, "sweep") == 0) {
        /* Parameter columns have dotted paths; the first is x, the second
         * (if any) makes one line per value; the first metric is y. */
        int px = -1, pb = -1, py = -1;
        for (size_t k = 0; k < csv.ncols; k++) {
            const char *h = csv.cells[k];
            if (strchr(h, '.')) {
                if (px < 0)
                    px = (int)k;
                else if (pb < 0)
                    pb = (int)k;
            } else if (py < 0 && strcmp(h, "fits") != 0 && strcmp(h, "error") != 0) {
                py = (int)k;
            }
        }
        if (px < 0 || py < 0) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, csv_path,
                                "expected the csv of 'llmroof sweep' (a parameter column and a metric)");
            goto out;
        }
        if ((rc = numbers(&csv, csv_path, (int[]){px, py}, 2, err)) != ROOF_OK)
            goto out;
        /* Blocks in order of first appearance of the second parameter. */
        const char *seen[64];
        int nb = 0;
        for (size_t r = 0; r < csv.nrows; r++) {
            const char *v = pb >= 0 ? roof_csv_cell(&csv, r, pb) : "";
            int k = 0;
            while (k < nb && strcmp(seen[k], v) != 0)
                k++;
            if (k == nb && nb < 64)
                seen[nb++] = v;
        }
        size_t points = 0;
        fprintf(pre, "array bname[%d]\n", nb);
        for (int k = 0; k < nb; k++) {
            char label[256];
            snprintf(label, sizeof label, "%s = %s", pb >= 0 ? csv.cells[pb] : "", seen[k]);
            fprintf(pre, "bname[%d] = ", k + 1);
            roof_plot_string(pre, pb >= 0 ? label : csv.cells[py]);
            fputc('\n', pre);
            if (k)
                fputs("\n\n", data);
            for (size_t r = 0; r < csv.nrows; r++)
                if (strcmp(pb >= 0 ? roof_csv_cell(&csv, r, pb) : "", seen[k]) == 0 && isfinite(num(&csv, r, py)) &&
                    isfinite(num(&csv, r, px)))
                    fprintf(data, "%.17g %.17g\n", num(&csv, r, px), num(&csv, r, py)), points++;
        }
        if (points == 0) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, csv_path, "no row has numbers to plot");
            goto out;
        }
        char what[300], yl[160];
        of_what(&csv, what, sizeof what);
        snprintf(title, sizeof title, "%s against %s%s", csv.cells[py], csv.cells[px], what);
        head(pre, "lines", data_path, title);
        double largest = 0.0, scale;
        for (size_t r = 0; r < csv.nrows; r++)
            if (isfinite(num(&csv, r, py)))
                largest = fmax(largest, fabs(num(&csv, r, py)));
        human_axis(csv.cells[py], largest, &scale, yl, sizeof yl);
        fprintf(pre, "nblocks = %d\nyscale = %.17g\nxname = ", nb, scale);
        roof_plot_string(pre, csv.cells[px]);
        fputs("\nyname = ", pre);
        roof_plot_string(pre, yl);
        fputc('\n', pre);
    } else if (strcmp(kind, "compare") == 0) {
        if ((rc = need(&csv, csv_path, "hw", &a, err)) || (rc = need(&csv, csv_path, "ttft_s", &b, err)) ||
            (rc = need(&csv, csv_path, "tpot_s", &c, err)) || (rc = need(&csv, csv_path, "usd_per_mtok", &d, err)) ||
            (rc = need(&csv, csv_path, "memory_used_fraction", &e, err)) ||
            (rc = numbers(&csv, csv_path, (int[]){b, c, d, e}, 4, err)))
            goto out;
        /* Under each bar: the part, and the GPU count and plan of the
         * numbers shown (when the csv has them). */
        int g = roof_csv_col(&csv, "gpus"), pl = roof_csv_col(&csv, "plan");
        for (size_t r = 0; r < csv.nrows; r++) {
            char plan[96], second[128];
            short_plan(pl >= 0 ? roof_csv_cell(&csv, r, pl) : "", plan, sizeof plan);
            if (g >= 0)
                snprintf(second, sizeof second, "%s GPUs, %s", roof_csv_cell(&csv, r, g), plan);
            else
                snprintf(second, sizeof second, "%s", plan);
            roof_plot_label2(data, roof_csv_cell(&csv, r, a), second);
            fprintf(data, " %.17g %.17g %.17g %.17g\n", num(&csv, r, b), num(&csv, r, c), num(&csv, r, d),
                    num(&csv, r, e));
        }
        head(pre, "rows", data_path, "hardware compared: the best plan of each (GPUs and plan under each bar)");
    } else if (strcmp(kind, "validation") == 0) {
        if ((rc = need(&csv, csv_path, "group", &a, err)) || (rc = need(&csv, csv_path, "measured_s", &b, err)) ||
            (rc = need(&csv, csv_path, "predicted_s", &c, err)) ||
            (rc = numbers(&csv, csv_path, (int[]){b, c}, 2, err)))
            goto out;
        const char *seen[64];
        int ng = 0;
        for (size_t r = 0; r < csv.nrows; r++) {
            const char *g = roof_csv_cell(&csv, r, a);
            int k = 0;
            while (k < ng && strcmp(seen[k], g) != 0)
                k++;
            if (k == ng && ng < 64)
                seen[ng++] = g;
        }
        size_t points = 0;
        fprintf(pre, "array gname[%d]\n", ng);
        for (int k = 0; k < ng; k++) {
            fprintf(pre, "gname[%d] = ", k + 1);
            roof_plot_string(pre, seen[k]);
            fputc('\n', pre);
            if (k)
                fputs("\n\n", data);
            for (size_t r = 0; r < csv.nrows; r++)
                if (strcmp(roof_csv_cell(&csv, r, a), seen[k]) == 0 && num(&csv, r, b) > 0 && num(&csv, r, c) > 0)
                    fprintf(data, "%.17g %.17g\n", num(&csv, r, b), num(&csv, r, c)), points++;
        }
        if (points == 0) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, csv_path, "no row has positive times to plot");
            goto out;
        }
        head(pre, "points", data_path, "predicted against measured (published cases)");
        fprintf(pre, "ngroups = %d\n", ng);
    } else if (strcmp(kind, "calibration") == 0) {
        if ((rc = need(&csv, csv_path, "stated", &a, err)) || (rc = need(&csv, csv_path, "observed_cv", &b, err)) ||
            (rc = need(&csv, csv_path, "observed_insample", &c, err)))
            goto out;
        if (csv.nrows == 0) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, csv_path, "no rows to plot");
            goto out;
        }
        /* Every cell a percentage: gnuplot would draw anything else off
         * the square or stop on it. */
        for (size_t r = 0; r < csv.nrows; r++) {
            double v[3];
            for (int k = 0; k < 3; k++) {
                int col = k == 0 ? a : k == 1 ? b : c;
                if ((rc = roof_csv_number(roof_csv_cell(&csv, r, col), csv.cells[col], 0, csv_path, csv.lines[r], &v[k],
                                          err)) != ROOF_OK)
                    goto out;
                if (!(v[k] >= 0.0 && v[k] <= 100.0)) {
                    rc = roof_error_at(err, ROOF_ERR_INPUT, csv_path, csv.lines[r],
                                       "'%s' must be a percentage from 0 to 100 (got %g)", csv.cells[col], v[k]);
                    goto out;
                }
            }
            fprintf(data, "%.17g %.17g %.17g\n", v[0], v[1], v[2]);
        }
        head(pre, "levels", data_path,
             "error bars: stated against observed coverage (published cases and collectives, llmroof validate "
             "published --cv --calibration)");
    } else {
        rc = roof_error_set(err, ROOF_ERR_USAGE, "plot", "unknown kind '%s'", kind);
    }
out:
    roof_csv_free(&csv);
    return rc;
}
