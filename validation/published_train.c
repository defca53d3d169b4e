/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The training rows of validate published.
 *
 * training_measured.csv (Narayanan et al. 2021, Table 1): achieved
 * TFLOP/s per GPU of GPT models from 1.7B to 1T on A100. The paper counts
 * FLOPs with its Eq. 3, F = 96 B s l h^2 (1 + s/(6h) + V/(16 l h)) (full
 * recomputation included), so the measured step time is F / (TFLOP/s x
 * GPUs); the model predicts the step time of the same deployment
 * (configs/megatron-gpt-a100.cfg with the row's sizes and plan).
 *
 * layer_measured.csv (Korthikanti et al. 2022, Table 4): forward, backward
 * and combined milliseconds of one 22B layer, with and without sequence
 * parallelism and recomputation (configs/korthikanti-22b-layer.cfg); each
 * number is a case of its own.
 *
 * The Megatron rows at even positions fit the A100's sustained compute
 * fraction (hw.efficiency.sustained); the odd ones, and every layer row,
 * only check.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/config.h"
#include "validation/published_rows.h"

static int set(roof_pub_case *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int set(roof_pub_case *c, const char *fmt, ...)
{
    if (c->nsets >= ROOF_PUB_MAX_SETS)
        return 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->sets[c->nsets++], sizeof c->sets[0], fmt, ap);
    va_end(ap);
    return 1;
}

static roof_pub_case *new_case(roof_pub_case *cases, size_t *n, const char *path, roof_error *err)
{
    roof_pub_case *c = roof_pub_add(cases, n);
    if (!c)
        roof_error_set(err, ROOF_ERR_INPUT, path, "too many cases");
    return c;
}

/* A cell that may be empty: def when it is. */
static int optional(const roof_csv *csv, const char *path, size_t r, int col, double def, double *v, roof_error *err)
{
    if (roof_csv_cell(csv, r, col)[0] == '\0') {
        *v = def;
        return ROOF_OK;
    }
    return roof_pub_number(csv, path, r, col, v, err);
}

static int load_steps(const char *path, const char *config_dir, roof_pub_case *cases, size_t *n, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    enum { ID, MODEL, L, H, FFN, A, V, S, B, MB, TP, PP, VP, DP, GPUS, RECOMPUTE, SP, VALUE, NCOL };
    static const char *const names[NCOL] = {
        "case_id",     "model", "layers", "hidden", "ffn", "heads", "vocab",     "seq_len",      "global_batch_seqs",
        "micro_batch", "tp",    "pp",     "vp",     "dp",  "gpus",  "recompute", "seq_parallel", "value"};
    int col[NCOL];
    for (int i = 0; i < NCOL && rc == ROOF_OK; i++)
        rc = roof_pub_need_col(&csv, path, names[i], &col[i], err);
    for (size_t r = 0; r < csv.nrows && rc == ROOF_OK; r++) {
        double v[NCOL];
        const int numeric[] = {L, H, A, V, S, B, TP, PP, DP, GPUS, VALUE};
        for (size_t i = 0; i < sizeof numeric / sizeof numeric[0] && rc == ROOF_OK; i++)
            rc = roof_pub_number(&csv, path, r, col[numeric[i]], &v[numeric[i]], err);
        if (rc == ROOF_OK)
            rc = optional(&csv, path, r, col[FFN], 4.0 * v[H], &v[FFN], err);
        /* Microbatch size 1 where the table gives none (the assumption of
         * configs/megatron-gpt-a100.cfg). */
        if (rc == ROOF_OK)
            rc = optional(&csv, path, r, col[MB], 1.0, &v[MB], err);
        if (rc == ROOF_OK)
            rc = optional(&csv, path, r, col[VP], 1.0, &v[VP], err);
        if (rc != ROOF_OK)
            break;
        roof_pub_case *c = new_case(cases, n, path, err);
        if (!c) {
            rc = ROOF_ERR_INPUT;
            break;
        }
        snprintf(c->group, sizeof c->group, "train-megatron");
        snprintf(c->id, sizeof c->id, "%s", roof_csv_cell(&csv, r, col[ID]));
        snprintf(c->what, sizeof c->what, "%s, tp %.0f pp %.0f dp %.0f, %.0f GPUs, batch %.0f",
                 roof_csv_cell(&csv, r, col[MODEL]), v[TP], v[PP], v[DP], v[GPUS], v[B]);
        snprintf(c->hw, sizeof c->hw, "a100-sxm");
        snprintf(c->source, sizeof c->source, "Narayanan 2021");
        snprintf(c->config, sizeof c->config, "%s/megatron-gpt-a100.cfg", config_dir);
        c->kind = ROOF_PUB_TRAIN_STEP;
        double micro = v[B] / (v[DP] * v[MB]);
        set(c, "model.layers=%.0f", v[L]);
        set(c, "model.hidden=%.0f", v[H]);
        set(c, "model.ffn_hidden=%.0f", v[FFN]);
        set(c, "model.heads=%.0f", v[A]);
        set(c, "model.vocab=%.0f", v[V]);
        set(c, "workload.seq_len=%.0f", v[S]);
        set(c, "workload.batch=%.0f", v[B]);
        set(c, "workload.microbatches=%.0f", micro);
        set(c, "workload.recompute=%s", roof_csv_cell(&csv, r, col[RECOMPUTE]));
        set(c, "parallel.sp=%s", strcmp(roof_csv_cell(&csv, r, col[SP]), "yes") == 0 ? "true" : "false");
        set(c, "parallel.tp=%.0f", v[TP]);
        set(c, "parallel.pp=%.0f", v[PP]);
        set(c, "parallel.vp=%.0f", v[VP]);
        set(c, "parallel.dp=%.0f", v[DP]);
        /* Selene's nodes: as many as the run used (8 GPUs each). */
        set(c, "hw.network.cluster.size=%.0f", ceil(v[GPUS] / 8.0));
        double s = v[S], h = v[H], l = v[L];
        double flops = 96.0 * v[B] * s * l * h * h * (1.0 + s / (6.0 * h) + v[V] / (16.0 * l * h));
        c->measured_s = flops / (v[VALUE] * 1e12 * v[GPUS]);
        /* Rows alternate in file order: even positions may fit
         * (hw.efficiency.sustained, validation/gpu_fit.c), odd ones check. */
        c->fit = roof_pub_group_count(cases, *n - 1, c->group) % 2 == 0;
    }
    roof_csv_free(&csv);
    return rc;
}

/* Korthikanti's variants: the row's case_id suffix to the settings. */
static const struct {
    const char *id, *sp, *recompute;
} variants[] = {
    {"K-T4-base", "false", "none"},     {"K-T4-sp", "true", "none"},         {"K-T4-full", "false", "full"},
    {"K-T4-sel", "false", "selective"}, {"K-T4-selsp", "true", "selective"},
};

static int load_layers(const char *path, const char *config_dir, roof_pub_case *cases, size_t *n, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    int cid, cval;
    if ((rc = roof_pub_need_col(&csv, path, "case_id", &cid, err)) ||
        (rc = roof_pub_need_col(&csv, path, "value", &cval, err)))
        goto out;
    for (size_t r = 0; r < csv.nrows; r++) {
        const char *id = roof_csv_cell(&csv, r, cid);
        size_t k = 0;
        while (k < sizeof variants / sizeof variants[0] && strcmp(variants[k].id, id) != 0)
            k++;
        if (k == sizeof variants / sizeof variants[0])
            continue;
        double ms[3];
        char *p = (char *)roof_csv_cell(&csv, r, cval), *end;
        for (int part = 0; part < 3; part++) {
            ms[part] = strtod(p, &end);
            if (end == p || (part < 2 && *end != '|') || (part == 2 && *end != '\0') || !(ms[part] > 0.0)) {
                char where[1100];
                snprintf(where, sizeof where, "%s:%zu", path, csv.lines[r]);
                rc = roof_error_set(err, ROOF_ERR_INPUT, where,
                                    "expected FWD|BWD|COMBINED milliseconds in column 'value' (got '%s')",
                                    roof_csv_cell(&csv, r, cval));
                goto out;
            }
            p = end + 1;
        }
        static const char *const parts[] = {"fwd", "bwd", "combined"};
        for (int part = 0; part < 3; part++) {
            roof_pub_case *c = new_case(cases, n, path, err);
            if (!c) {
                rc = ROOF_ERR_INPUT;
                goto out;
            }
            snprintf(c->group, sizeof c->group, "layer-a100");
            snprintf(c->id, sizeof c->id, "%s-%s", id, parts[part]);
            snprintf(c->what, sizeof c->what, "22B layer %s, sp %s, recompute %s", parts[part], variants[k].sp,
                     variants[k].recompute);
            snprintf(c->hw, sizeof c->hw, "a100-sxm");
            snprintf(c->source, sizeof c->source, "Korthikanti 2022");
            snprintf(c->config, sizeof c->config, "%s/korthikanti-22b-layer.cfg", config_dir);
            c->kind = ROOF_PUB_LAYER;
            c->part = part;
            set(c, "parallel.sp=%s", variants[k].sp);
            set(c, "workload.recompute=%s", variants[k].recompute);
            c->measured_s = ms[part] * 1e-3;
        }
    }
out:
    roof_csv_free(&csv);
    return rc;
}

int roof_pub_load_training(const char *data_dir, const char *config_dir, roof_pub_case *cases, size_t *n,
                           roof_error *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/training_measured.csv", data_dir);
    int rc = load_steps(path, config_dir, cases, n, err);
    if (rc == ROOF_OK) {
        snprintf(path, sizeof path, "%s/layer_measured.csv", data_dir);
        rc = load_layers(path, config_dir, cases, n, err);
    }
    return rc;
}

int roof_pub_predict_training(roof_pub_case *c, const roof_hw *hw, roof_scenario *s, roof_result *res, roof_error *err)
{
    const char *sets[ROOF_PUB_MAX_SETS];
    for (int i = 0; i < c->nsets; i++)
        sets[i] = c->sets[i];
    int rc = roof_scenario_load(c->config, NULL, NULL, c->hw, sets, c->nsets, s, NULL, err);
    /* The given profile (fitted, maybe), then the row's own hw settings. */
    if (rc == ROOF_OK) {
        s->hw = *hw;
        for (int i = 0; i < c->nsets && rc == ROOF_OK; i++)
            if (strncmp(sets[i], "hw.", 3) == 0)
                rc = roof_scenario_set(s, sets[i], err);
    }
    if (rc == ROOF_OK)
        rc = roof_evaluate(s, res, err);
    if (rc != ROOF_OK)
        return rc;
    const roof_training *tr = &res->training;
    if (c->kind == ROOF_PUB_TRAIN_STEP)
        c->predicted_s = tr->step_s;
    else if (c->part == 0)
        c->predicted_s = tr->fwd.ops.dense.time_s;
    else if (c->part == 1)
        c->predicted_s = tr->bwd.ops.dense.time_s;
    else
        c->predicted_s = tr->fwd.ops.dense.time_s + tr->bwd.ops.dense.time_s;
    return ROOF_OK;
}
