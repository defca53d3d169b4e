/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "validation/comm_scale.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "hw/profile.h"
#include "model/error_model.h"

#define SWEEP_SOURCE "nccl-tests DGX H100 sweep"

int roof_comm_scale_row(const roof_comm_row *r)
{
    /* NCCL's rings and trees inside one NVLink domain (AMD's CDNA parts
     * run RCCL's tables, fitted apart from none); all-to-all has no latency
     * term of NCCL's tuning model. */
    int op = r->comm.op == ROOF_COLL_ALL_REDUCE || r->comm.op == ROOF_COLL_ALL_GATHER ||
             r->comm.op == ROOF_COLL_REDUCE_SCATTER;
    /* A row of one thread driving several GPUs times the thread's issue
     * as much as NCCL's latency (validation/comm_harness.h): left out. */
    return op && r->comm.a2a_mode == ROOF_A2A_NCCL && r->comm.nodes <= 1 && r->per_thread <= 1 &&
           strncmp(roof_hw_generation(r->hw), "cdna", 4) != 0;
}

int roof_comm_scale_load_sweep(const char *data_dir, roof_comm_row **rows, size_t *n, size_t *cap, roof_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/allreduce_h100_8gpu.csv", data_dir);
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    int cs = roof_csv_col(&csv, "size_bytes"), ct = roof_csv_col(&csv, "time_us");
    if (cs < 0 || ct < 0)
        rc = roof_error_set(err, ROOF_ERR_INPUT, path, "missing column '%s'", cs < 0 ? "size_bytes" : "time_us");
    for (size_t r = 0; r < csv.nrows && rc == ROOF_OK; r++) {
        double size, us;
        if ((rc = roof_csv_number(roof_csv_cell(&csv, r, cs), "size_bytes", 0, path, r + 2, &size, err)) != ROOF_OK ||
            (rc = roof_csv_number(roof_csv_cell(&csv, r, ct), "time_us", 0, path, r + 2, &us, err)) != ROOF_OK)
            break;
        /* From 1 KiB, as the published group allreduce-h100 takes them
         * (below, nccl-tests' timer is at its floor). */
        if (!(size >= 1024.0) || !(us > 0.0))
            continue;
        if (*n == *cap) {
            size_t ncap = *cap ? 2 * *cap : 64;
            roof_comm_row *g = realloc(*rows, ncap * sizeof *g);
            if (!g) {
                rc = roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "out of memory");
                break;
            }
            *rows = g;
            *cap = ncap;
        }
        roof_comm_row *row = &(*rows)[(*n)++];
        memset(row, 0, sizeof *row);
        snprintf(row->id, sizeof row->id, "AR-%.0f", size);
        snprintf(row->source, sizeof row->source, "%s", SWEEP_SOURCE);
        snprintf(row->hw, sizeof row->hw, "h100-sxm");
        row->comm =
            (roof_comm){.op = ROOF_COLL_ALL_REDUCE, .algo = ROOF_ALGO_AUTO, .bytes = size, .group = 8, .nodes = 1};
        row->measured_s = us * 1e-6;
    }
    roof_csv_free(&csv);
    return rc;
}

/* The profiles of the rows, loaded once per fit. */
typedef struct {
    roof_hw hw[8];
    int n;
} profiles;

static const roof_hw *profile(profiles *p, const char *name, roof_error *err)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->hw[i].name, name) == 0)
            return &p->hw[i];
    if (p->n == (int)(sizeof p->hw / sizeof p->hw[0])) {
        roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "more than %d profiles in the latency fit", p->n);
        return NULL;
    }
    if (roof_hw_load(name, &p->hw[p->n], err) != ROOF_OK)
        return NULL;
    return &p->hw[p->n++];
}

static int predict_on(const roof_comm_row *r, const roof_hw *base, double k, double *t, roof_error *err)
{
    roof_hw hw;
    roof_comm_row_hw(r, base, &hw); /* the row's NCCL settings */
    hw.node.nccl_latency_scale = k;
    roof_comm_time ct;
    int rc = roof_comm_time_of(&hw, &r->comm, &ct, err);
    *t = ct.time_s;
    return rc;
}

int roof_comm_scale_predict(const roof_comm_row *r, double k, double *t, roof_error *err)
{
    roof_hw hw;
    int rc = roof_hw_load(r->hw, &hw, err);
    return rc == ROOF_OK ? predict_on(r, &hw, k, t, err) : rc;
}

typedef struct {
    const roof_comm_row *rows;
    size_t n;
    const char *skip;
    profiles *p;
} fit_set;

/* Sum of squared log ratios at factor k; *used counts the rows. */
static int sse(const fit_set *s, double k, double *out, size_t *used, roof_error *err)
{
    double sum = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        const roof_comm_row *r = &s->rows[i];
        if (!roof_comm_scale_row(r) || (s->skip && strcmp(r->source, s->skip) == 0))
            continue;
        const roof_hw *hw = profile(s->p, r->hw, err);
        double t;
        if (!hw || predict_on(r, hw, k, &t, err) != ROOF_OK)
            return err->code ? err->code : ROOF_ERR_RUNTIME;
        double e = log(t / r->measured_s);
        sum += e * e;
        m++;
    }
    *out = sum;
    *used = m;
    return ROOF_OK;
}

int roof_comm_scale_fit(const roof_comm_row *rows, size_t n, const char *skip, double *k, size_t *used, roof_error *err)
{
    profiles *p = calloc(1, sizeof *p);
    if (!p)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "out of memory");
    fit_set s = {rows, n, skip, p};
    enum { GRID = 25 };
    const double lo = log(0.25), hi = log(8.0), step = (hi - lo) / (GRID - 1);
    double best = INFINITY, bx = 0.0, f;
    int rc = ROOF_OK;
    *k = NAN;
    for (int i = 0; i < GRID && rc == ROOF_OK; i++) {
        double x = lo + step * i;
        if ((rc = sse(&s, exp(x), &f, used, err)) == ROOF_OK && f < best) {
            best = f;
            bx = x;
        }
    }
    if (rc != ROOF_OK || *used == 0) {
        free(p);
        return rc;
    }
    /* Golden-section search in the two cells around the best of the scan
     * (Kiefer 1953): 30 steps shrink them by 0.618^30, 5e-7. */
    const double g = 0.5 * (sqrt(5.0) - 1.0);
    double a = bx - step, b = bx + step;
    double c = b - g * (b - a), d = a + g * (b - a), fc, fd;
    if ((rc = sse(&s, exp(c), &fc, used, err)) == ROOF_OK)
        rc = sse(&s, exp(d), &fd, used, err);
    for (int it = 0; it < 30 && rc == ROOF_OK; it++) {
        if (fc < fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            rc = sse(&s, exp(c), &fc, used, err);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            rc = sse(&s, exp(d), &fd, used, err);
        }
    }
    if (rc == ROOF_OK) {
        double x = 0.5 * (a + b);
        *k = (fc < best || fd < best) ? exp(x) : exp(bx);
    }
    free(p);
    return rc;
}
