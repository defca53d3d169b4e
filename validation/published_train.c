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
 * The Megatron rows at even positions fit the A100's training fraction
 * (hw.efficiency.training); the odd ones, and every layer row, only
 * check.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/config.h"
#include "validation/gpu_names.h"
#include "validation/published_rows.h"

int roof_pub_set(roof_pub_case *c, const char *fmt, ...)
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
        roof_pub_set(c, "model.layers=%.0f", v[L]);
        roof_pub_set(c, "model.hidden=%.0f", v[H]);
        roof_pub_set(c, "model.ffn_hidden=%.0f", v[FFN]);
        roof_pub_set(c, "model.heads=%.0f", v[A]);
        roof_pub_set(c, "model.vocab=%.0f", v[V]);
        roof_pub_set(c, "workload.seq_len=%.0f", v[S]);
        roof_pub_set(c, "workload.batch=%.0f", v[B]);
        roof_pub_set(c, "workload.microbatches=%.0f", micro);
        roof_pub_set(c, "workload.recompute=%s", roof_csv_cell(&csv, r, col[RECOMPUTE]));
        roof_pub_set(c, "parallel.sp=%s", strcmp(roof_csv_cell(&csv, r, col[SP]), "yes") == 0 ? "true" : "false");
        roof_pub_set(c, "parallel.tp=%.0f", v[TP]);
        roof_pub_set(c, "parallel.pp=%.0f", v[PP]);
        roof_pub_set(c, "parallel.vp=%.0f", v[VP]);
        roof_pub_set(c, "parallel.dp=%.0f", v[DP]);
        /* Selene's nodes: as many as the run used (8 GPUs each). */
        roof_pub_set(c, "hw.network.cluster.size=%.0f", ceil(v[GPUS] / 8.0));
        double s = v[S], h = v[H], l = v[L];
        double flops = 96.0 * v[B] * s * l * h * h * (1.0 + s / (6.0 * h) + v[V] / (16.0 * l * h));
        c->measured_s = flops / (v[VALUE] * 1e12 * v[GPUS]);
        /* Rows alternate in file order: even positions may fit
         * (hw.efficiency.training, validation/gpu_fit.c), odd ones check. */
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
                rc = roof_error_at(err, ROOF_ERR_INPUT, path, csv.lines[r],
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
            roof_pub_set(c, "parallel.sp=%s", variants[k].sp);
            roof_pub_set(c, "workload.recompute=%s", variants[k].recompute);
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
    if (c->kind == ROOF_PUB_REQUEST)
        c->predicted_s = c->serve_metric == ROOF_PUB_SERVE_TTFT ? res->metrics.ttft_s : res->metrics.request_latency_s;
    else if (c->kind == ROOF_PUB_TRAIN_STEP)
        c->predicted_s = tr->step_s;
    else if (c->part == 0)
        c->predicted_s = tr->fwd.ops.dense.time_s;
    else if (c->part == 1)
        c->predicted_s = tr->bwd.ops.dense.time_s;
    else
        c->predicted_s = tr->fwd.ops.dense.time_s + tr->bwd.ops.dense.time_s;
    return ROOF_OK;
}

/* ---- corpus/training.csv -------------------------------------------------
 *
 * Dense Llama-style pretraining and full fine-tuning steps from NeMo's and
 * Megatron-Bridge's performance tables and torchtitan's benchmarks
 * (corpus/README.md names each file and commit). The measured step time of
 * a row follows from what it reports:
 *   tokens_per_s_per_gpu v: T = global_batch * seq_len / (v * gpus);
 *   model_tflops_per_gpu v: T = F / (v * 1e12 * gpus), F by NeMo's own
 *     formula for the Llama families (NVIDIA/NeMo@034b17b3 file
 *     nemo/utils/flops_formulas.py, llama2/llama3):
 *       F = B s l h^2 (12 + 12 g/a + 18 f/h + 12 s/h + 6 V/(l h)),
 *     g the KV heads, a the query heads, f the MLP size (checked: the
 *     LLAMA2-7B NeMo 24.07 pair, 16934 tokens/s and 780 TFLOP/s per GPU,
 *     gives 4.606e10 FLOP per token, the formula 4.609e10).
 * A model_tflops row whose tokens/s twin is in the file is the same
 * measurement twice: only the twin is kept. */

/* The source column up to its '@' (the repository without the commit). */
static void source_name(const char *cell, char *out, size_t size)
{
    size_t k = strcspn(cell, "@ ");
    snprintf(out, size, "%.*s", (int)(k < size - 1 ? k : size - 1), cell);
}

/* 1 if the file holds a tokens/s row whose id is id with "-model" (at its
 * end) read as "-tokens" (NeMo 24.07's and Megatron-Bridge's pairs). */
static int has_tokens_twin(const roof_csv *csv, int cid, const char *id)
{
    size_t len = strlen(id);
    if (len < 6 || strcmp(id + len - 6, "-model") != 0)
        return 0;
    char twin[160];
    snprintf(twin, sizeof twin, "%.*s-tokens", (int)(len - 6), id);
    for (size_t r = 0; r < csv->nrows; r++)
        if (strcmp(roof_csv_cell(csv, r, cid), twin) == 0)
            return 1;
    return 0;
}

/* A cell as a number; empty: *v = def and 0 returned (given: 1). */
static int cell_or(const roof_csv *csv, size_t r, int c, double def, double *v)
{
    const char *s = roof_csv_cell(csv, r, c);
    char *end;
    double x = strtod(s, &end);
    if (s[0] == '\0' || end == s || *end != '\0' || !isfinite(x)) {
        *v = def;
        return 0;
    }
    *v = x;
    return 1;
}

enum {
    T_ID,
    T_SRC,
    T_MODEL,
    T_L,
    T_H,
    T_FFN,
    T_A,
    T_KV,
    T_V,
    T_S,
    T_B,
    T_MB,
    T_TP,
    T_PP,
    T_CP,
    T_VP,
    T_EP,
    T_DP,
    T_GPUS,
    T_GPU,
    T_DT,
    T_METRIC,
    T_VALUE,
    T_NOTES,
    T_NCOL
};

/* Why row r cannot be predicted (NULL: it can); fills v[] and *hw. */
static const char *train_row(const roof_csv *csv, const int *col, size_t r, double *v, const char **hw)
{
    const char *metric = roof_csv_cell(csv, r, col[T_METRIC]), *dt = roof_csv_cell(csv, r, col[T_DT]);
    const char *notes = roof_csv_cell(csv, r, col[T_NOTES]);
    if (strstr(notes, "LoRA"))
        return "LoRA fine-tuning (frozen base weights: no weight gradients, not modelled)";
    if (strstr(notes, "offload"))
        return "optimizer offload to the CPU (not modelled)";
    if (strcmp(metric, "tokens_per_s_per_gpu") != 0 && strcmp(metric, "model_tflops_per_gpu") != 0)
        return "metric other than tokens/s or model TFLOP/s per GPU";
    if (strcmp(metric, "model_tflops_per_gpu") == 0 &&
        has_tokens_twin(csv, col[T_ID], roof_csv_cell(csv, r, col[T_ID])))
        return "model TFLOP/s twin of a tokens/s row (kept once)";
    if (strcmp(metric, "model_tflops_per_gpu") == 0 && strncmp(roof_csv_cell(csv, r, col[T_SRC]), "NVIDIA", 6) != 0)
        return "model TFLOP/s by a formula the source does not give";
    if (strcmp(dt, "bf16") != 0 && strncmp(dt, "fp8", 3) != 0 && strcmp(dt, "mxfp8") != 0)
        return "training dtype other than bf16 or fp8 (the NVFP4 recipe's mix of precisions is not modelled)";
    const int need[] = {T_L, T_H, T_FFN, T_A, T_KV, T_V};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!cell_or(csv, r, col[need[i]], 0.0, &v[need[i]]) || !(v[need[i]] > 0.0))
            return "model dimensions not given (GPT-3, Nemotron, MoE rows)";
    if (!cell_or(csv, r, col[T_S], 0.0, &v[T_S]) || !(v[T_S] > 0.0))
        return "sequence length not given";
    if (!cell_or(csv, r, col[T_VALUE], 0.0, &v[T_VALUE]) || !(v[T_VALUE] > 0.0))
        return "no positive value";
    if (!cell_or(csv, r, col[T_GPUS], 0.0, &v[T_GPUS]) || !(v[T_GPUS] >= 1.0))
        return "GPU count not given";
    int has_tp = cell_or(csv, r, col[T_TP], 1.0, &v[T_TP]), has_dp = cell_or(csv, r, col[T_DP], 0.0, &v[T_DP]);
    cell_or(csv, r, col[T_PP], 1.0, &v[T_PP]);
    cell_or(csv, r, col[T_CP], 1.0, &v[T_CP]);
    cell_or(csv, r, col[T_VP], 1.0, &v[T_VP]);
    cell_or(csv, r, col[T_EP], 1.0, &v[T_EP]);
    /* Micro-batch 1 where the table gives none (NeMo's long-context
     * recipes and SFT tables run 1). */
    cell_or(csv, r, col[T_MB], 1.0, &v[T_MB]);
    if (!has_tp && !has_dp)
        return "parallel plan not given";
    if (!has_dp)
        v[T_DP] = v[T_GPUS] / (v[T_TP] * v[T_PP] * v[T_CP]);
    if (fabs(v[T_TP] * v[T_PP] * v[T_CP] * v[T_DP] - v[T_GPUS]) > 0.5)
        return "tp * pp * cp * dp is not the GPU count";
    /* torchtitan's rows give the local batch only: one micro-batch per
     * replica and step. */
    if (!cell_or(csv, r, col[T_B], 0.0, &v[T_B]))
        v[T_B] = v[T_MB] * v[T_DP];
    double micro = v[T_B] / (v[T_DP] * v[T_MB]);
    if (!(micro >= 1.0) || fabs(micro - floor(micro + 0.5)) > 1e-9)
        return "global batch not a multiple of dp * micro_batch";
    if (!(fabs(v[T_EP] - 1.0) < 0.5))
        return "expert parallelism (MoE)";
    /* Plans model/plan.c refuses: layers not split evenly over pp * vp
     * (Megatron-Bridge's 405B recipes give the first and last stages fewer
     * layers), tp * cp not dividing the heads and the MLP (its Helix
     * check, which it applies to every phase). */
    if (fmod(v[T_L], v[T_PP] * v[T_VP]) != 0.0)
        return "layers not divisible by pp * vp (uneven stages)";
    if (fmod(v[T_A], v[T_TP] * v[T_CP]) != 0.0 || fmod(v[T_FFN], v[T_TP] * v[T_CP]) != 0.0)
        return "tp * cp does not divide the heads or the MLP (model/plan.c's check)";
    *hw = roof_pub_profile_of(roof_csv_cell(csv, r, col[T_GPU]));
    if (!*hw)
        return "GPU without a built-in profile";
    return NULL;
}

/* NeMo's model FLOPs of one step (the formula above). */
static double nemo_llama_flops(const double *v)
{
    double s = v[T_S], h = v[T_H], l = v[T_L];
    return v[T_B] * s * l * h * h *
           (12.0 + 12.0 * v[T_KV] / v[T_A] + 18.0 * v[T_FFN] / h + 12.0 * s / h + 6.0 * v[T_V] / (l * h));
}

int roof_pub_load_corpus_training(const char *path, const char *config_dir, roof_pub_case *cases, size_t *n,
                                  roof_pub_skips *skips, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    static const char *const names[T_NCOL] = {"case_id", "source",   "model", "layers",  "hidden",       "ffn",
                                              "heads",   "kv_heads", "vocab", "seq_len", "global_batch", "micro_batch",
                                              "tp",      "pp",       "cp",    "vp",      "ep",           "dp",
                                              "gpus",    "gpu",      "dtype", "metric",  "value",        "notes"};
    int col[T_NCOL];
    for (int i = 0; i < T_NCOL && rc == ROOF_OK; i++)
        rc = roof_pub_need_col(&csv, path, names[i], &col[i], err);
    for (size_t r = 0; r < csv.nrows && rc == ROOF_OK; r++) {
        double v[T_NCOL] = {0};
        const char *hw = NULL;
        const char *why = train_row(&csv, col, r, v, &hw);
        if (why) {
            roof_pub_skip(skips, why);
            continue;
        }
        roof_pub_case *c = new_case(cases, n, path, err);
        if (!c) {
            rc = ROOF_ERR_INPUT;
            break;
        }
        const char *dt = roof_csv_cell(&csv, r, col[T_DT]);
        int fp8 = strcmp(dt, "bf16") != 0;
        source_name(roof_csv_cell(&csv, r, col[T_SRC]), c->source, sizeof c->source);
        /* One group per GPU: each fits that profile's training fraction.
         * torchtitan's rows report in a group of their own that no fit
         * uses: its attention runs through PyTorch's SDPA
         * (FlashAttention-2), about half of FlashAttention-3's or cuDNN's
         * throughput on H100 (Shah et al. 2024, "FlashAttention-3", Fig. 5),
         * which the long-context rows are made of. They run with
         * hw.attention.kernel = fa2 (FlashAttention-2's own fraction,
         * fitted on its kernel rows, validation/gpu_cv.c), and stay out of
         * the training fit: one training fraction fitted to both stacks
         * would be wrong for both. */
        snprintf(c->group, sizeof c->group, "train-%s%s", strcmp(hw, "h100-sxm") == 0 ? "h100" : hw,
                 strcmp(c->source, "pytorch/torchtitan") == 0 ? "-sdpa" : "");
        snprintf(c->id, sizeof c->id, "%s", roof_csv_cell(&csv, r, col[T_ID]));
        snprintf(c->what, sizeof c->what, "%.24s %s, tp %.0f pp %.0f cp %.0f dp %.0f, seq %.0f",
                 roof_csv_cell(&csv, r, col[T_MODEL]), dt, v[T_TP], v[T_PP], v[T_CP], v[T_DP], v[T_S]);
        snprintf(c->hw, sizeof c->hw, "%s", hw);
        snprintf(c->config, sizeof c->config, "%s/corpus-train.cfg", config_dir);
        c->kind = ROOF_PUB_TRAIN_STEP;
        int tt = strcmp(c->source, "pytorch/torchtitan") == 0;
        roof_pub_set(c, "model.layers=%.0f", v[T_L]);
        roof_pub_set(c, "model.hidden=%.0f", v[T_H]);
        roof_pub_set(c, "model.ffn_hidden=%.0f", v[T_FFN]);
        roof_pub_set(c, "model.heads=%.0f", v[T_A]);
        roof_pub_set(c, "model.kv_heads=%.0f", v[T_KV]);
        roof_pub_set(c, "model.vocab=%.0f", v[T_V]);
        roof_pub_set(c, "workload.seq_len=%.0f", v[T_S]);
        roof_pub_set(c, "workload.batch=%.0f", v[T_B]);
        roof_pub_set(c, "workload.microbatches=%.0f", v[T_B] / (v[T_DP] * v[T_MB]));
        roof_pub_set(c, "workload.dtype=%s", fp8 ? "fp8" : "bf16");
        /* torchtitan: FSDP (ZeRO-3) and the activation checkpointing its
         * note names; Megatron: sequence parallelism with tp (its
         * recipes' default). */
        if (tt) {
            /* PyTorch's SDPA runs FlashAttention-2 on H100 (above). */
            roof_pub_set(c, "hw.attention.kernel=fa2");
            roof_pub_set(c, "workload.zero=3");
            roof_pub_set(c, "workload.recompute=%s",
                         strstr(roof_csv_cell(&csv, r, col[T_NOTES]), "full AC") ? "full" : "selective");
        }
        /* TP communication overlapped: NeMo's and Megatron-Bridge's
         * performance recipes set tp_comm_overlap (model/training.c cites
         * the file); torchtitan only in its AsyncTP runs. */
        if (strncmp(c->source, "NVIDIA", 6) == 0 || strstr(roof_csv_cell(&csv, r, col[T_ID]), "AsyncTP"))
            roof_pub_set(c, "workload.comm_overlap=true");
        roof_pub_set(c, "parallel.tp=%.0f", v[T_TP]);
        roof_pub_set(c, "parallel.pp=%.0f", v[T_PP]);
        roof_pub_set(c, "parallel.vp=%.0f", v[T_VP]);
        roof_pub_set(c, "parallel.cp=%.0f", v[T_CP]);
        roof_pub_set(c, "parallel.dp=%.0f", v[T_DP]);
        roof_pub_set(c, "parallel.sp=%s", v[T_TP] > 1.0 && !tt ? "true" : "false");
        roof_pub_set(c, "hw.network.cluster.size=%.0f", ceil(v[T_GPUS] / 8.0));
        if (strcmp(roof_csv_cell(&csv, r, col[T_METRIC]), "tokens_per_s_per_gpu") == 0)
            c->measured_s = v[T_B] * v[T_S] / (v[T_VALUE] * v[T_GPUS]);
        else
            c->measured_s = nemo_llama_flops(v) / (v[T_VALUE] * 1e12 * v[T_GPUS]);
        c->fit = roof_pub_group_count(cases, *n - 1, c->group) % 2 == 0;
    }
    roof_csv_free(&csv);
    return rc;
}
