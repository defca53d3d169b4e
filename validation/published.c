/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "validation/published.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/profile.h"
#include "model/config.h"
#include "model/evaluate.h"
#include "core/csv.h"
#include "validation/gpu_names.h"
#include "validation/published_rows.h"

/* GPUs of gemm_measured.csv that have a built-in profile. H800 SXM5 is an
 * H100 SXM5 with NVLink cut to 400 GB/s (NVIDIA H800 product brief): the
 * h800 profile is h100-sxm's but for NVLink and the two GEMM terms fitted
 * on half of its DeepGEMM rows (validation/gpu_fit.c). */
static const struct {
    const char *gpu, *hw, *group;
} gpus[] = {
    {"A100-SXM4-80GB", "a100-sxm", "gemm-a100"}, {"A100-SXM", "a100-sxm", "gemm-a100"},
    {"H800-SXM5", "h800", "gemm-h800"},          {"H100-SXM", "h100-sxm", "gemm-mamf"},
    {"B200-SXM", "b200", "gemm-mamf"},           {"GB200", "gb200", "gemm-mamf"},
    {"MI300X", "mi300x", "gemm-mamf"},
};

/* TensorRT-LLM rows (its v0.5 performance table): the model to a
 * deployment config of validation/configs, and what that release ran
 * otherwise. Falcon's config reduces attention and MLP once
 * (model.parallel_block), as TensorRT-LLM does from its custom all-reduce
 * on; v0.5's FalconDecoderLayer (tensorrt_llm/models/falcon/model.py as
 * stored at NVIDIA/TensorRT-LLM@027cd518, before the all_reduce_workspace
 * argument) passed the tensor-parallel group to both, each all-reducing. */
static const struct {
    const char *model, *config, *set;
} ttft_models[] = {
    {"Llama-2-7B", "llama2-7b-a100.cfg", NULL},
    {"Llama-2-70B", "llama2-70b-a100-tp4.cfg", NULL},
    {"GPT-J 6B", "gptj-6b-a100.cfg", NULL},
    {"Falcon-180B", "falcon-180b-a100-tp8.cfg", "model.parallel_block=false"},
};

/* gemm_measured.csv: TFLOP/s of one (m, n, k) GEMM; the time is
 * 2 m n k / (TFLOP/s), as the sources count. Rows without a number in m
 * (FlashAttention) and GPUs without a profile are skipped. */
static int load_gemm(const char *path, roof_pub_case *cases, size_t *n, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    int cid, cgpu, cdt, cm, cn, ck, cb, ct, csrc, clib;
    if ((rc = roof_pub_need_col(&csv, path, "case_id", &cid, err)) ||
        (rc = roof_pub_need_col(&csv, path, "source", &csrc, err)) ||
        (rc = roof_pub_need_col(&csv, path, "gpu", &cgpu, err)) ||
        (rc = roof_pub_need_col(&csv, path, "dtype", &cdt, err)) ||
        (rc = roof_pub_need_col(&csv, path, "m", &cm, err)) || (rc = roof_pub_need_col(&csv, path, "n", &cn, err)) ||
        (rc = roof_pub_need_col(&csv, path, "k", &ck, err)) ||
        (rc = roof_pub_need_col(&csv, path, "batch", &cb, err)) ||
        (rc = roof_pub_need_col(&csv, path, "tflops", &ct, err)))
        goto out;
    clib = roof_csv_col(&csv, "library"); /* optional: absent = cuBLASLt */
    for (size_t r = 0; r < csv.nrows; r++) {
        const char *gpu = roof_csv_cell(&csv, r, cgpu), *dt = roof_csv_cell(&csv, r, cdt);
        size_t g = 0;
        while (g < sizeof gpus / sizeof gpus[0] && strcmp(gpus[g].gpu, gpu) != 0)
            g++;
        char *end;
        strtod(roof_csv_cell(&csv, r, cm), &end);
        if (g == sizeof gpus / sizeof gpus[0] || *end != '\0')
            continue;
        double m, nn, k, b = 1.0, tf;
        if ((rc = roof_pub_positive(&csv, path, r, cm, &m, err)) ||
            (rc = roof_pub_positive(&csv, path, r, cn, &nn, err)) ||
            (rc = roof_pub_positive(&csv, path, r, ck, &k, err)) ||
            (rc = roof_pub_positive(&csv, path, r, ct, &tf, err)))
            goto out;
        if (roof_csv_cell(&csv, r, cb)[0] && (rc = roof_pub_positive(&csv, path, r, cb, &b, err)))
            goto out;
        roof_dtype dtype = ROOF_DT_BF16;
        if (strncmp(dt, "fp8", 3) == 0)
            dtype = ROOF_DT_FP8;
        else if (strcmp(dt, "fp16") == 0)
            dtype = ROOF_DT_FP16;
        size_t pos = roof_pub_group_count(cases, *n, gpus[g].group);
        roof_pub_case *c = roof_pub_add(cases, n);
        if (!c) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, path, "too many cases (at most %d)", ROOF_PUB_MAX_CASES);
            goto out;
        }
        snprintf(c->group, sizeof c->group, "%s", gpus[g].group);
        snprintf(c->id, sizeof c->id, "%s", roof_csv_cell(&csv, r, cid));
        snprintf(c->what, sizeof c->what, "m=%.0f n=%.0f k=%.0f %s", m, nn, k, roof_dtype_name(dtype));
        snprintf(c->hw, sizeof c->hw, "%s", gpus[g].hw);
        roof_pub_source_of(roof_csv_cell(&csv, r, csrc), cases, *n - 1, c->source, sizeof c->source);
        c->kind = ROOF_PUB_GEMM;
        c->gemm = (roof_gemm){b, m, k, nn, dtype, 0, 0.0};
        c->library = clib >= 0 ? roof_pub_library_of(roof_csv_cell(&csv, r, clib)) : ROOF_GEMM_LIB_CUBLASLT;
        c->measured_s = 2.0 * b * m * nn * k / (tf * 1e12);
        c->fit = strcmp(c->group, "gemm-mamf") != 0 && pos % 2 == 0;
    }
out:
    roof_csv_free(&csv);
    return rc;
}

/* nccl-tests all-reduce on 8 GPUs: 1 KiB and up (below, the time is flat
 * launch latency and says nothing of the links). */
static int load_allreduce(const char *path, roof_pub_case *cases, size_t *n, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    int cs, ct;
    if ((rc = roof_pub_need_col(&csv, path, "size_bytes", &cs, err)) ||
        (rc = roof_pub_need_col(&csv, path, "time_us", &ct, err)))
        goto out;
    size_t pos = 0;
    for (size_t r = 0; r < csv.nrows; r++) {
        double size, us;
        if ((rc = roof_pub_positive(&csv, path, r, cs, &size, err)) ||
            (rc = roof_pub_positive(&csv, path, r, ct, &us, err)))
            goto out;
        if (size < 1024.0)
            continue;
        roof_pub_case *c = roof_pub_add(cases, n);
        if (!c) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, path, "too many cases (at most %d)", ROOF_PUB_MAX_CASES);
            goto out;
        }
        snprintf(c->group, sizeof c->group, "allreduce-h100");
        snprintf(c->id, sizeof c->id, "AR-%.0f", size);
        snprintf(c->what, sizeof c->what, "all_reduce %.0f B over 8", size);
        snprintf(c->hw, sizeof c->hw, "h100-sxm");
        /* ../shared/reference/README.md names the sweep ("nccl-tests
         * all-reduce on a DGX H100") but not who ran it. */
        snprintf(c->source, sizeof c->source, "nccl-tests DGX H100 sweep");
        c->kind = ROOF_PUB_ALLREDUCE;
        c->comm = (roof_comm){.op = ROOF_COLL_ALL_REDUCE, .bytes = size, .group = 8};
        c->measured_s = us * 1e-6;
        c->fit = pos++ % 2 == 0;
    }
out:
    roof_csv_free(&csv);
    return rc;
}

static int add_ttft(roof_pub_case *cases, size_t *n, const char *config_dir, const char *config, const char *set,
                    const char *id, double input_len, double ms, const char *path, roof_error *err)
{
    roof_pub_case *c = roof_pub_add(cases, n);
    if (!c)
        return roof_error_set(err, ROOF_ERR_INPUT, path, "too many cases (at most %d)", ROOF_PUB_MAX_CASES);
    snprintf(c->group, sizeof c->group, "ttft-a100");
    snprintf(c->id, sizeof c->id, "%s", id);
    snprintf(c->what, sizeof c->what, "%s, %.0f prompt tokens", config, input_len);
    snprintf(c->hw, sizeof c->hw, "a100-sxm");
    snprintf(c->source, sizeof c->source, "NVIDIA/TensorRT-LLM");
    snprintf(c->config, sizeof c->config, "%s/%s", config_dir, config);
    c->kind = ROOF_PUB_TTFT;
    c->seq_len = (int64_t)input_len;
    c->measured_s = ms * 1e-3;
    if (set)
        roof_pub_set(c, "%s", set);
    return ROOF_OK;
}

/* TensorRT-LLM batch-1 TTFT rows; a note "128 tokens: N ms" is a second
 * measurement of the same row at 128 prompt tokens. */
static int load_ttft(const char *path, const char *config_dir, roof_pub_case *cases, size_t *n, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    int cid, cmodel, cin, cmetric, cval, cnotes;
    if ((rc = roof_pub_need_col(&csv, path, "case_id", &cid, err)) ||
        (rc = roof_pub_need_col(&csv, path, "model", &cmodel, err)) ||
        (rc = roof_pub_need_col(&csv, path, "input_len", &cin, err)) ||
        (rc = roof_pub_need_col(&csv, path, "metric", &cmetric, err)) ||
        (rc = roof_pub_need_col(&csv, path, "value", &cval, err)) ||
        (rc = roof_pub_need_col(&csv, path, "notes", &cnotes, err)))
        goto out;
    for (size_t r = 0; r < csv.nrows; r++) {
        if (strcmp(roof_csv_cell(&csv, r, cmetric), "TTFT") != 0)
            continue;
        const char *model = roof_csv_cell(&csv, r, cmodel);
        const char *config = NULL, *set = NULL;
        for (size_t i = 0; i < sizeof ttft_models / sizeof ttft_models[0]; i++)
            if (strcmp(ttft_models[i].model, model) == 0)
                config = ttft_models[i].config, set = ttft_models[i].set;
        if (!config)
            continue;
        double len, ms, ms128;
        if ((rc = roof_pub_positive(&csv, path, r, cin, &len, err)) ||
            (rc = roof_pub_positive(&csv, path, r, cval, &ms, err)))
            goto out;
        const char *id = roof_csv_cell(&csv, r, cid);
        if ((rc = add_ttft(cases, n, config_dir, config, set, id, len, ms, path, err)))
            goto out;
        if (sscanf(roof_csv_cell(&csv, r, cnotes), "128 tokens: %lf ms", &ms128) == 1) {
            char id128[64];
            snprintf(id128, sizeof id128, "%.*s-128", (int)(strrchr(id, '-') ? strrchr(id, '-') - id : 40), id);
            if ((rc = add_ttft(cases, n, config_dir, config, set, id128, 128.0, ms128, path, err)))
                goto out;
        }
    }
out:
    roof_csv_free(&csv);
    return rc;
}

int roof_pub_load(const char *data_dir, const char *config_dir, roof_pub_case **cases, size_t *n, roof_pub_skips *skips,
                  roof_error *err)
{
    roof_pub_skips unused;
    if (!skips)
        skips = &unused;
    memset(skips, 0, sizeof *skips);
    *n = 0;
    *cases = calloc(ROOF_PUB_MAX_CASES, sizeof **cases);
    if (!*cases)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "out of memory");
    char path[1024];
    snprintf(path, sizeof path, "%s/gemm_measured.csv", data_dir);
    int rc = load_gemm(path, *cases, n, err);
    if (rc == ROOF_OK) {
        snprintf(path, sizeof path, "%s/allreduce_h100_8gpu.csv", data_dir);
        rc = load_allreduce(path, *cases, n, err);
    }
    if (rc == ROOF_OK) {
        snprintf(path, sizeof path, "%s/inference_measured.csv", data_dir);
        rc = load_ttft(path, config_dir, *cases, n, err);
    }
    if (rc == ROOF_OK)
        rc = roof_pub_load_training(data_dir, config_dir, *cases, n, err);
    if (rc == ROOF_OK) {
        snprintf(path, sizeof path, "%s/corpus/gemm.csv", data_dir);
        rc = roof_pub_load_corpus_gemm(path, *cases, n, skips, err);
    }
    if (rc == ROOF_OK) {
        snprintf(path, sizeof path, "%s/corpus/training.csv", data_dir);
        rc = roof_pub_load_corpus_training(path, config_dir, *cases, n, skips, err);
    }
    if (rc == ROOF_OK) {
        snprintf(path, sizeof path, "%s/corpus/serving.csv", data_dir);
        rc = roof_pub_load_corpus_serving(path, config_dir, *cases, n, skips, err);
        if (rc == ROOF_OK)
            rc = roof_pub_load_corpus_load(path, config_dir, *cases, n, skips, err);
    }
    if (rc == ROOF_OK) {
        snprintf(path, sizeof path, "%s/corpus/attention.csv", data_dir);
        rc = roof_pub_load_corpus_attention(path, *cases, n, skips, err);
    }
    if (rc != ROOF_OK) {
        free(*cases);
        *cases = NULL;
        *n = 0;
    }
    return rc;
}

void roof_pub_free(roof_pub_case *cases)
{
    free(cases);
}

static int predict_one(roof_pub_case *c, const roof_hw *hw, roof_scenario *s, roof_result *res, roof_error *err)
{
    int rc;
    if (c->kind == ROOF_PUB_GEMM) {
        rc = roof_pub_predict_gemm(c, hw, err);
    } else if (c->kind == ROOF_PUB_ALLREDUCE) {
        roof_comm_time t;
        rc = roof_comm_time_of(hw, &c->comm, &t, err);
        c->predicted_s = t.time_s;
    } else if (c->kind == ROOF_PUB_ATTENTION) {
        rc = roof_pub_predict_attention(c, hw, err);
    } else if (c->kind == ROOF_PUB_TRAIN_STEP || c->kind == ROOF_PUB_LAYER || c->kind == ROOF_PUB_REQUEST) {
        rc = roof_pub_predict_training(c, hw, s, res, err);
    } else if (c->kind == ROOF_PUB_SERVE) {
        rc = roof_pub_predict_serve(c, hw, s, err);
    } else {
        char set[64];
        snprintf(set, sizeof set, "workload.seq_len=%lld", (long long)c->seq_len);
        const char *sets[ROOF_PUB_MAX_SETS + 1] = {set};
        for (int i = 0; i < c->nsets; i++)
            sets[i + 1] = c->sets[i];
        rc = roof_scenario_load(c->config, NULL, NULL, c->hw, sets, 1 + c->nsets, s, NULL, err);
        /* The given profile (the fits and the cross-validation pass theirs). */
        if (rc == ROOF_OK) {
            s->hw = *hw;
            rc = roof_evaluate(s, res, err);
        }
        c->predicted_s = res->metrics.ttft_s;
    }
    return rc;
}

/* The scenario and result of a prediction (the result alone is about
 * 600 KB) are kept for the thread's next call: the fits and the
 * cross-validation predict one row at a time, thousands of times, and a
 * fresh 600 KB block per row made the sanitized build spend most of its
 * time mapping and unmapping memory (about 100 times the normal build's
 * time). Reachable from this pointer, so it is not a leak. */
typedef struct predict_work {
    roof_scenario s;
    roof_result res;
    roof_hw hw;
} predict_work;
static _Thread_local predict_work *work;

int roof_pub_predict(roof_pub_case *cases, size_t n, const roof_hw *hw_override, roof_error *err)
{
    if (!work && !(work = malloc(sizeof *work)))
        return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "out of memory");
    roof_scenario *s = &work->s;
    roof_result *res = &work->res;
    roof_hw *hw = &work->hw;
    int rc = ROOF_OK;
    for (size_t i = 0; i < n && rc == ROOF_OK; i++) {
        if (hw_override && strcmp(hw_override->name, cases[i].hw) == 0)
            *hw = *hw_override;
        else if ((rc = roof_hw_load(cases[i].hw, hw, err)) != ROOF_OK)
            break;
        rc = predict_one(&cases[i], hw, s, res, err);
    }
    return rc;
}
