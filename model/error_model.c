/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "model/error_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/infile.h"

/* The embedded validation/data/error_model.csv (CMakeLists.txt). */
typedef struct {
    const char *name;
    const char *text;
} embedded_profile;
extern const embedded_profile roof_embedded_error_model[];
extern const size_t roof_embedded_error_model_count;

/* The regimes before the collectives, by their enum value; then the
 * collectives, the training step, serving a static batch and under load. */
static const char *const regime_names[] = {"gemm_compute", "memory",  "attention",    "collective",
                                           "train_step",   "serving", "serving_load", "serving_tput"};
enum { NAME_COMM = ROOF_REGIME_COMM0, NAME_TRAIN, NAME_SERVING, NAME_SERVING_LOAD, NAME_SERVING_TPUT };

const char *roof_regime_name(int regime)
{
    if (regime >= 0 && regime < ROOF_REGIME_COMM0)
        return regime_names[regime];
    if (regime >= ROOF_REGIME_COMM0 && regime < ROOF_REGIME_OPS)
        return regime_names[NAME_COMM];
    if (regime == ROOF_REGIME_TRAIN_STEP)
        return regime_names[NAME_TRAIN];
    return regime == ROOF_REGIME_SERVING        ? regime_names[NAME_SERVING]
           : regime == ROOF_REGIME_SERVING_LOAD ? regime_names[NAME_SERVING_LOAD]
           : regime == ROOF_REGIME_SERVING_TPUT ? regime_names[NAME_SERVING_TPUT]
                                                : "?";
}

int roof_regime_decade(int regime)
{
    return regime >= ROOF_REGIME_COMM0 && regime < ROOF_REGIME_OPS ? regime - ROOF_REGIME_COMM0 : -1;
}

int roof_regime_of_name(const char *name, int decade)
{
    if (strcmp(name, regime_names[NAME_COMM]) == 0)
        return decade >= 0 && decade < ROOF_REGIME_COMM_DECADES ? ROOF_REGIME_COMM0 + decade : -1;
    if (decade >= 0)
        return -1;
    for (int r = 0; r < ROOF_REGIME_COMM0; r++)
        if (strcmp(name, regime_names[r]) == 0)
            return r;
    if (strcmp(name, regime_names[NAME_TRAIN]) == 0)
        return ROOF_REGIME_TRAIN_STEP;
    if (strcmp(name, regime_names[NAME_SERVING]) == 0)
        return ROOF_REGIME_SERVING;
    if (strcmp(name, regime_names[NAME_SERVING_LOAD]) == 0)
        return ROOF_REGIME_SERVING_LOAD;
    if (strcmp(name, regime_names[NAME_SERVING_TPUT]) == 0)
        return ROOF_REGIME_SERVING_TPUT;
    return -1;
}

int roof_comm_regime(double bytes)
{
    int d = bytes >= 1.0 ? (int)floor(log10(bytes)) : 0;
    if (d >= ROOF_REGIME_COMM_DECADES)
        d = ROOF_REGIME_COMM_DECADES - 1;
    return ROOF_REGIME_COMM0 + d;
}

int roof_op_regime(const roof_op *o)
{
    if (o->kind == ROOF_OP_COMM)
        return roof_comm_regime(o->bytes);
    /* Fused attention bound by compute has its own regime, fitted on the
     * FlashAttention rows of corpus/attention.csv (docs/accuracy.md);
     * bound by memory (decode) it shares the memory regime. */
    if (o->kind == ROOF_OP_ELEMWISE || o->bound != ROOF_OP_BOUND_COMPUTE)
        return ROOF_REGIME_MEMORY;
    return o->kind == ROOF_OP_FUSED ? ROOF_REGIME_ATTENTION : ROOF_REGIME_GEMM_COMPUTE;
}

/* Architectures from the vendors' product pages: A100 is Ampere; H100,
 * H800, H200 and H20 are Hopper; B200, B300, GB200, GB300 and the RTX PRO
 * 6000 are Blackwell; MI300X and MI325X are CDNA 3, MI355X CDNA 4; L40 and L40S
 * ("l40" prefixes both) are Ada Lovelace. */
const char *roof_hw_generation(const char *hw_name)
{
    static const struct {
        const char *prefix, *gen;
    } gens[] = {{"a100", "ampere"},     {"h100", "hopper"},
                {"h800", "hopper"},     {"h200", "hopper"},
                {"h20", "hopper"},      {"b200", "blackwell"},
                {"b300", "blackwell"},  {"gb200", "blackwell"},
                {"gb300", "blackwell"}, {"rtx-pro-6000", "blackwell"},
                {"mi300x", "cdna3"},    {"mi325x", "cdna3"},
                {"mi355x", "cdna4"},    {"l40", "ada"}};
    for (size_t i = 0; i < sizeof gens / sizeof gens[0]; i++)
        if (strncmp(hw_name, gens[i].prefix, strlen(gens[i].prefix)) == 0)
            return gens[i].gen;
    return "";
}

static int cell_number(const roof_csv *csv, size_t r, int c, const char *display, size_t skipped, double *v,
                       roof_error *err)
{
    return roof_csv_number(roof_csv_cell(csv, r, c), csv->cells[c], 0, display, csv->lines[r] + skipped, v, err);
}

int roof_errm_parse(const char *text, const char *display, roof_errm *m, roof_error *err)
{
    m->n = 0;
    size_t skipped = 0;
    while (*text == '#') { /* the header comment: how the table was made */
        const char *nl = strchr(text, '\n');
        if (!nl)
            return roof_error_set(err, ROOF_ERR_INPUT, display, "no header row after the comments");
        text = nl + 1;
        skipped++;
    }
    roof_csv csv;
    int rc = roof_csv_parse(text, display, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    enum { NCOLS = 15, NNUM = 10 };
    /* The numeric columns are c[2] .. c[11], in the order of v[]; then
     * tau_from and the scale's two. */
    static const char *const cols[NCOLS] = {"regime",   "generation", "decade",   "n",         "sources",
                                            "mean_log", "sd_log",     "tau_log",  "sigma_log", "se_mean_log",
                                            "p10_log",  "p90_log",    "tau_from", "scale",     "scale_rows"};
    int c[NCOLS];
    for (int i = 0; i < NCOLS; i++)
        if ((c[i] = roof_csv_col(&csv, cols[i])) < 0) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, display, "missing column '%s'", cols[i]);
            goto out;
        }
    static const char *const froms[] = {"fit", "regime", "pooled", "none"};
    for (size_t r = 0; r < csv.nrows; r++) {
        char where[600];
        snprintf(where, sizeof where, "%.500s:%zu", display, csv.lines[r] + skipped);
        if (m->n == ROOF_ERRM_MAX_ROWS) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "too many rows (at most %d)", ROOF_ERRM_MAX_ROWS);
            goto out;
        }
        double v[NNUM];
        for (int i = 0; i < NNUM; i++)
            if ((rc = cell_number(&csv, r, c[i + 2], display, skipped, &v[i], err)) != ROOF_OK)
                goto out;
        roof_errm_row *row = &m->rows[m->n];
        const char *name = roof_csv_cell(&csv, r, c[0]), *gen = roof_csv_cell(&csv, r, c[1]);
        row->regime = roof_regime_of_name(name, (int)v[0]);
        if (row->regime < 0 || v[0] != floor(v[0])) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "unknown regime '%s' with decade %g", name, v[0]);
            goto out;
        }
        if (!gen[0] || strlen(gen) >= sizeof row->generation) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "'generation' must be 1 to %zu characters",
                                sizeof row->generation - 1);
            goto out;
        }
        snprintf(row->generation, sizeof row->generation, "%s", gen);
        /* A spread must be a number of at least 0 and a count at least 2:
         * the sample standard deviation of fewer rows is undefined. */
        if (!(v[1] >= 2.0 && v[1] == floor(v[1]) && v[1] < 1e9) || !(v[4] >= 0.0) || !(v[9] >= v[8])) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where,
                                "needs n >= 2 (whole), sd_log >= 0 and p90_log >= p10_log (got n %g, sd_log %g)", v[1],
                                v[4]);
            goto out;
        }
        if (!(v[2] >= 1.0 && v[2] <= v[1] && v[2] == floor(v[2]))) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "'sources' must be a whole number from 1 to n (got %g)",
                                v[2]);
            goto out;
        }
        /* The interval's sd is the sum of the three variances; a table
         * whose columns disagree was edited by hand (6 decimals written). */
        double sd = sqrt(v[5] * v[5] + v[6] * v[6] + v[7] * v[7]);
        if (!(v[5] >= 0.0 && v[6] >= 0.0 && v[7] >= 0.0) || !(fabs(sd - v[4]) <= 1e-5 + 1e-5 * v[4])) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where,
                                "'sd_log' must be sqrt(tau_log^2 + sigma_log^2 + se_mean_log^2), each >= 0 "
                                "(got sd_log %g, from the others %g)",
                                v[4], sd);
            goto out;
        }
        const char *from = roof_csv_cell(&csv, r, c[12]);
        size_t f = 0;
        while (f < sizeof froms / sizeof froms[0] && strcmp(from, froms[f]) != 0)
            f++;
        if (f == sizeof froms / sizeof froms[0]) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where,
                                "'tau_from' must be fit, regime, pooled or none (got '%.40s')", from);
            goto out;
        }
        snprintf(row->tau_from, sizeof row->tau_from, "%s", froms[f]);
        /* A scale calibrated from scores, or 1 from none. */
        double sc[2];
        for (int i = 0; i < 2; i++)
            if ((rc = cell_number(&csv, r, c[13 + i], display, skipped, &sc[i], err)) != ROOF_OK)
                goto out;
        if (!(sc[0] > 0.0 && sc[0] <= 100.0) || !(sc[1] >= 0.0 && sc[1] < 1e9 && sc[1] == floor(sc[1])) ||
            (sc[1] == 0.0 && sc[0] != 1.0)) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where,
                                "needs 0 < scale <= 100 and scale_rows a whole number >= 0, scale 1 where "
                                "scale_rows is 0 (got scale %g, scale_rows %g)",
                                sc[0], sc[1]);
            goto out;
        }
        row->scale = sc[0];
        row->scale_rows = (int)sc[1];
        row->n = (int)v[1];
        row->sources = (int)v[2];
        row->mean_log = v[3];
        row->sd_log = v[4];
        row->tau_log = v[5];
        row->sigma_log = v[6];
        row->se_mean_log = v[7];
        row->p10_log = v[8];
        row->p90_log = v[9];
        m->n++;
    }
out:
    roof_csv_free(&csv);
    return rc;
}

int roof_errm_load(const char *path, roof_errm *m, roof_error *err)
{
    if (!path) {
        if (roof_embedded_error_model_count < 1)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "error model", "no built-in error model");
        return roof_errm_parse(roof_embedded_error_model[0].text, "error_model.csv (built in)", m, err);
    }
    char *text = NULL;
    int rc = roof_infile_read(path, "error model", 1u << 20, ROOF_INFILE_TEXT, &text, NULL, err);
    if (rc == ROOF_OK)
        rc = roof_errm_parse(text, path, m, err);
    free(text);
    return rc;
}

static const roof_errm_row *find_exact(const roof_errm *m, int regime, const char *generation)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->rows[i].regime == regime && strcmp(m->rows[i].generation, generation) == 0)
            return &m->rows[i];
    return NULL;
}

static const roof_errm_row *find_gen(const roof_errm *m, int regime, const char *generation)
{
    const roof_errm_row *r = generation && generation[0] ? find_exact(m, regime, generation) : NULL;
    return r ? r : find_exact(m, regime, "all");
}

const roof_errm_row *roof_errm_find(const roof_errm *m, int regime, const char *generation)
{
    const roof_errm_row *r = find_gen(m, regime, generation);
    /* A table without attention rows (written before they existed): the
     * compute-bound GEMM's, as attention was then. */
    if (!r && regime == ROOF_REGIME_ATTENTION)
        return find_gen(m, ROOF_REGIME_GEMM_COMPUTE, generation);
    if (r || roof_regime_decade(regime) < 0)
        return r;
    /* A collective of a decade without rows: the nearest decade that has
     * some (the smaller one first: latency-bound sizes err alike). */
    for (int step = 1; step < ROOF_REGIME_COMM_DECADES; step++)
        for (int sign = -1; sign <= 1; sign += 2) {
            int d = roof_regime_decade(regime) + sign * step;
            if (d < 0 || d >= ROOF_REGIME_COMM_DECADES)
                continue;
            const roof_errm_row *near = find_gen(m, ROOF_REGIME_COMM0 + d, generation);
            if (near)
                return near;
        }
    return NULL;
}
