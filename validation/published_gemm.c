/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GEMM rows of corpus/gemm.csv (corpus/README.md) and their
 * prediction.
 *
 * A row may name another row of the same source and GPU in its
 * relative_to column: it is then judged by the ratio of the two, its
 * prediction being the reference's measured time times the ratio of the
 * two predictions. That is for runs whose level cannot be tied to a
 * profile (a GPU whose SKU the source does not state, at a rate far from
 * what the same author measured on a named SKU) but whose shapes differ
 * in what the model means to capture: ml-engineering's SwiGLU search
 * (d_ff = 10922, which breaks cuBLAS's 16-byte alignment, against its
 * aligned neighbours) measures the alignment penalty as a ratio whatever
 * the H100's clocks or power cap were. The level of such a row cancels
 * in every fit: a fraction that scales both times leaves the ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "hw/profile.h"
#include "model/ops.h"
#include "validation/gpu_names.h"
#include "validation/published_rows.h"

/* The corpus sources: the group their rows report in. */
static const struct {
    const char *source, *group;
} corpus_groups[] = {
    {"Azure/AI-benchmarking-guide", "gemm-azure"}, {"stas00/ml-engineering", "gemm-mle"},
    {"deepseek-ai/DeepGEMM", "gemm-deepgemm"},     {"tensorflow/tensorflow", "gemm-xla"},
    {"ai-dynamo/aiconfigurator", "gemm-aic"},
};

int roof_pub_library_of(const char *cell)
{
    if (strncasecmp(cell, "DeepGEMM", 8) == 0)
        return ROOF_GEMM_LIB_DEEPGEMM;
    if (strncasecmp(cell, "CUTLASS", 7) == 0)
        return ROOF_GEMM_LIB_CUTLASS;
    return ROOF_GEMM_LIB_CUBLASLT;
}

enum { ID, SRC, GPU, DT, M, N, K, B, TF, US, TRUST, NCOL };

/* The dtype of a dtype cell, named by its first word ("fp8 e4m3 x e4m3
 * -> bf16": fp8) as hw/dtype.c names them; 0 for a name it does not know. */
static int dtype_of(const char *dt, roof_dtype *out)
{
    char word[16];
    size_t n = strcspn(dt, " \t");
    if (n == 0 || n >= sizeof word)
        return 0;
    memcpy(word, dt, n);
    word[n] = '\0';
    roof_error ignored;
    return roof_dtype_parse(word, out, &ignored) == ROOF_OK;
}

/* Row r's shape and measured time (the dtype set by the caller): a time
 * in microseconds where the source printed no rate. As the sources count,
 * 2 batch m n k FLOP over the rate. */
static int row_gemm(const roof_csv *csv, const char *path, size_t r, const int *col, roof_gemm *g, double *measured_s,
                    roof_error *err)
{
    double m, nn, k, b = 1.0, tf = 0.0, us = 0.0;
    int rc;
    if ((rc = roof_pub_positive(csv, path, r, col[M], &m, err)) ||
        (rc = roof_pub_positive(csv, path, r, col[N], &nn, err)) ||
        (rc = roof_pub_positive(csv, path, r, col[K], &k, err)))
        return rc;
    if (roof_csv_cell(csv, r, col[B])[0] && (rc = roof_pub_positive(csv, path, r, col[B], &b, err)))
        return rc;
    if (roof_csv_cell(csv, r, col[TF])[0])
        rc = roof_pub_positive(csv, path, r, col[TF], &tf, err);
    else
        rc = roof_pub_positive(csv, path, r, col[US], &us, err);
    if (rc != ROOF_OK)
        return rc;
    g->batch = b, g->m = m, g->k = k, g->n = nn;
    *measured_s = tf > 0.0 ? 2.0 * b * m * nn * k / (tf * 1e12) : us * 1e-6;
    return ROOF_OK;
}

/* The reference of row r (its relative_to cell, not empty): a row of the
 * same source, GPU and dtype that is not itself relative. Its trust is
 * not asked: a run's reference may be a row whose own level is not
 * trusted. */
static int reference(const roof_csv *csv, const char *path, size_t r, const int *col, int rel_col, roof_pub_case *c,
                     roof_error *err)
{
    const char *ref = roof_csv_cell(csv, r, rel_col);
    char where[600];
    snprintf(where, sizeof where, "%.500s:%zu", path, csv->lines[r]);
    size_t i = 0;
    while (i < csv->nrows && strcmp(roof_csv_cell(csv, i, col[ID]), ref) != 0)
        i++;
    if (i == csv->nrows)
        return roof_error_set(err, ROOF_ERR_INPUT, where, "relative_to '%s': no row has that case_id", ref);
    if (i == r)
        return roof_error_set(err, ROOF_ERR_INPUT, where, "relative_to '%s': a row cannot be its own reference", ref);
    if (roof_csv_cell(csv, i, rel_col)[0])
        return roof_error_set(err, ROOF_ERR_INPUT, where,
                              "relative_to '%s': that row is itself relative (to '%s'); name a row measured alone", ref,
                              roof_csv_cell(csv, i, rel_col));
    const int same[] = {SRC, GPU, DT};
    for (size_t j = 0; j < sizeof same / sizeof same[0]; j++)
        if (strcmp(roof_csv_cell(csv, i, col[same[j]]), roof_csv_cell(csv, r, col[same[j]])) != 0)
            return roof_error_set(err, ROOF_ERR_INPUT, where,
                                  "relative_to '%s': its %s '%s' is not this row's '%s' (a ratio needs one run)", ref,
                                  csv->cells[col[same[j]]], roof_csv_cell(csv, i, col[same[j]]),
                                  roof_csv_cell(csv, r, col[same[j]]));
    c->relative = 1;
    c->ref_gemm = c->gemm;
    return row_gemm(csv, path, i, col, &c->ref_gemm, &c->ref_measured_s, err);
}

/* Rows whose GPU has no built-in profile, whose dtype llmroof does not
 * name, times only apart (fp4) or has no peak for on the profile, or whose
 * trust is 'low' are left out and counted. */
int roof_pub_load_corpus_gemm(const char *path, roof_pub_case *cases, size_t *n, roof_pub_skips *sk, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    static const char *const names[NCOL] = {"case_id", "source", "gpu",    "dtype",   "m",    "n",
                                            "k",       "batch",  "tflops", "time_us", "trust"};
    int col[NCOL];
    for (int i = 0; i < NCOL && rc == ROOF_OK; i++)
        rc = roof_pub_need_col(&csv, path, names[i], &col[i], err);
    int lib_col = roof_csv_col(&csv, "library");       /* optional: absent = cuBLASLt */
    int rel_col = roof_csv_col(&csv, "relative_to");   /* optional: absent = every row alone */
    int warm_col = roof_csv_col(&csv, "warmup_iters"); /* optional: absent or empty = not stated, a burst */
    int floor_col = roof_csv_col(&csv, "overhead_us"); /* optional: absent or empty = the profile's overhead */
    roof_hw hw;
    for (size_t r = 0; r < csv.nrows && rc == ROOF_OK; r++) {
        const char *gpu = roof_csv_cell(&csv, r, col[GPU]);
        const char *profile = roof_pub_profile_of(gpu);
        if (!profile) {
            roof_pub_skip(sk, "GPU without a built-in profile");
            continue;
        }
        if (!roof_pub_cv_profile(profile)) { /* B300, MI325X, MI355X: one row each, from one source */
            roof_pub_skip(sk, "GEMM on a GPU whose fractions the cross-validation does not fit");
            continue;
        }
        if (strcmp(roof_csv_cell(&csv, r, col[TRUST]), "low") == 0) {
            roof_pub_skip(sk, "trust 'low'");
            continue;
        }
        roof_dtype dtype;
        if (!dtype_of(roof_csv_cell(&csv, r, col[DT]), &dtype)) {
            roof_pub_skip(sk, "dtype llmroof does not model");
            continue;
        }
        /* Block-scaled fp4 GEMMs run a floor of their own, which the 8- and
         * 16-bit rows' per-kernel overhead does not fit (docs/validation.md,
         * "fp4 GEMMs": 7.5 us at 1024^3 on Azure's GB200 against fp8's 4.4). */
        if (dtype == ROOF_DT_FP4) {
            roof_pub_skip(sk, "fp4: its kernels' own floor is not modelled (compared apart)");
            continue;
        }
        if ((rc = roof_hw_load(profile, &hw, err)) != ROOF_OK)
            break;
        if (!(hw.compute[dtype] > 0.0)) {
            roof_pub_skip(sk, "dtype without a peak in the profile");
            continue;
        }
        roof_pub_case one;
        memset(&one, 0, sizeof one);
        one.gemm = (roof_gemm){1, 1, 1, 1, dtype, 0, 0.0};
        if ((rc = row_gemm(&csv, path, r, col, &one.gemm, &one.measured_s, err)) != ROOF_OK)
            break;
        if (rel_col >= 0 && roof_csv_cell(&csv, r, rel_col)[0] &&
            (rc = reference(&csv, path, r, col, rel_col, &one, err)) != ROOF_OK)
            break;
        /* A time below the roofline at the part's peaks (every FLOP at the
         * peak rate, every byte at the peak bandwidth) is not a time of this
         * GEMM as it is counted: XLA's sm_90 table gives 4 x 4096 x 4096 x
         * 256 fp8 -> bf16 in 32.6 us, where writing its 134 MB of bf16
         * output alone takes 40.1 us at 3.35 TB/s. */
        roof_gemm_time ideal;
        if (!one.relative) {
            if ((rc = roof_gemm_time_of(&hw, &one.gemm, ROOF_GEMM_IDEAL | ROOF_GEMM_TIME_ONLY, &ideal, err)) != ROOF_OK)
                break;
            if (one.measured_s < ideal.time_s) {
                roof_pub_skip(sk, "faster than the roofline at the part's peaks allows");
                continue;
            }
        }
        double warmup = 0.0;
        if (warm_col >= 0 && roof_csv_cell(&csv, r, warm_col)[0] &&
            (rc = roof_pub_positive(&csv, path, r, warm_col, &warmup, err)) != ROOF_OK)
            break;
        one.sustained = warmup * one.measured_s >= ROOF_PUB_SUSTAINED_S;
        if ((rc = roof_pub_harness_floor(&csv, path, r, floor_col, &one.harness_overhead_s, err)) != ROOF_OK)
            break;
        char source[64];
        roof_pub_source_of(roof_csv_cell(&csv, r, col[SRC]), cases, *n, source, sizeof source);
        const char *group = "gemm-corpus";
        for (size_t i = 0; i < sizeof corpus_groups / sizeof corpus_groups[0]; i++)
            if (strcmp(corpus_groups[i].source, source) == 0)
                group = corpus_groups[i].group;
        size_t pos = roof_pub_group_count(cases, *n, group);
        roof_pub_case *c = roof_pub_add(cases, n);
        if (!c) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, path, "too many cases (at most %d)", ROOF_PUB_MAX_CASES);
            break;
        }
        *c = one;
        const roof_gemm *g = &c->gemm;
        snprintf(c->group, sizeof c->group, "%s", group);
        snprintf(c->id, sizeof c->id, "%s", roof_csv_cell(&csv, r, col[ID]));
        int at = 0;
        if (g->batch != 1.0)
            at = snprintf(c->what, sizeof c->what, "%.0f x ", g->batch);
        snprintf(c->what + at, sizeof c->what - (size_t)at, "m=%.0f n=%.0f k=%.0f %s%s%.40s", g->m, g->n, g->k,
                 roof_dtype_name(dtype), c->relative ? " / " : "", c->relative ? roof_csv_cell(&csv, r, rel_col) : "");
        snprintf(c->hw, sizeof c->hw, "%s", profile);
        snprintf(c->source, sizeof c->source, "%s", source);
        c->kind = ROOF_PUB_GEMM;
        c->library = lib_col >= 0 ? roof_pub_library_of(roof_csv_cell(&csv, r, lib_col)) : ROOF_GEMM_LIB_CUBLASLT;
        c->fit = pos % 2 == 0;
    }
    roof_csv_free(&csv);
    return rc;
}

void roof_pub_gemm_hw(const roof_pub_case *c, const roof_hw *hw, roof_hw *out)
{
    /* A run warmed long enough at full load is at the power-limited clock:
     * the profile's sustained fraction, as a whole workload (model/ops_time.c
     * roof_ops_hw). With the library that measured the row (hw.gemm.library). */
    roof_hw derated;
    *out = *(c->sustained ? roof_ops_hw(hw, &derated) : hw);
    out->gemm_library = c->library;
    roof_pub_harness_overhead(c, out);
}

int roof_pub_predict_gemm(roof_pub_case *c, const roof_hw *hw, roof_error *err)
{
    roof_hw lib;
    roof_pub_gemm_hw(c, hw, &lib);
    roof_gemm_time t, ref;
    int rc = roof_gemm_time_of(&lib, &c->gemm, 0, &t, err);
    c->predicted_s = t.time_s;
    if (rc != ROOF_OK || !c->relative)
        return rc;
    if ((rc = roof_gemm_time_of(&lib, &c->ref_gemm, 0, &ref, err)) == ROOF_OK)
        c->predicted_s = c->ref_measured_s * t.time_s / ref.time_s;
    return rc;
}
