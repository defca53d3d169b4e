/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The serving rows of validate published: corpus/serving.csv's rows that
 * give a static batch, B prompts of I tokens each generating O, run once
 * as a whole. Each is predicted by `estimate` of the row's deployment with
 * runtime.engine set from the row's engine (model/runtime.c):
 * - throughput_tok_s (Azure/AI-benchmarking-guide's TensorRT-LLM runs).
 *   The guide's README says its "tokens per second" counts input and
 *   output tokens, but the number is printed by the script it runs,
 *   TensorRT-LLM's benchmarks/python/benchmark.py, whose report() computes
 *   tokens_per_sec = batch_size * output_len / latency
 *   (NVIDIA/TensorRT-LLM@118b3d7e benchmarks/python/gpt_benchmark.py
 *   report(); the guide's Benchmarks/LLMBenchmark.py runs that script with
 *   -m dec and prints its tokens_per_sec). The code is taken over the
 *   README: a row is one request latency of the whole batch,
 *   T = B O / value, predicted as TTFT + O x TPOT.
 * - e2e_ms: that request latency itself, in the row's unit.
 * - ttft_ms: the batch's first token, predicted as its TTFT (the prefill
 *   of B x I tokens, which gives the first token).
 *
 * The rows at a request rate or concurrency are published_load.c's (the
 * serving simulation). The others are counted by reason: maximum-throughput
 * runs without a batch (trtllm-bench, vLLM's throughput script), rows
 * whose GPU count or dtype the source does not state. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "validation/gpu_names.h"
#include "validation/published_rows.h"

/* Cell (r, c) as a number above zero. */
static int num(const roof_csv *csv, size_t r, int c, double *v)
{
    return roof_pub_pos_text(roof_csv_cell(csv, r, c), v);
}

enum {
    S_ID,
    S_SRC,
    S_ENGINE,
    S_MODEL,
    S_GPU,
    S_GPUS,
    S_TP,
    S_DT,
    S_BATCH,
    S_CONC,
    S_RATE,
    S_IN,
    S_OUT,
    S_METRIC,
    S_VALUE,
    S_NCOL,
    S_NOTES = S_NCOL, /* optional columns, after the required ones */
    S_UNIT,
    S_WDT,    /* weights_dtype: weight-only quantization (empty: the row's dtype) */
    S_WGROUP, /* weights_group: weight elements per scale (empty: per channel) */
    S_NALL
};

/* Why row r is left out (NULL: kept); fills v, the config and the names. */
static const char *serve_row(const roof_csv *csv, const int *col, size_t r, double *v, int *metric, double *unit_s,
                             const char **wdt, double *group, const char **config, const char **hw, const char **rt)
{
    if (roof_pub_load_owns(roof_csv_cell(csv, r, col[S_RATE]), roof_csv_cell(csv, r, col[S_CONC]),
                           roof_pub_opt_cell(csv, col, r, S_NOTES)))
        return NULL; /* published_load.c's */
    if (!num(csv, r, col[S_BATCH], &v[S_BATCH]))
        return "no static batch (maximum-throughput run)";
    const char *m = roof_csv_cell(csv, r, col[S_METRIC]);
    if (strcmp(m, "throughput_tok_s") == 0)
        *metric = ROOF_PUB_SERVE_TPUT;
    else if (strcmp(m, "e2e_ms") == 0)
        *metric = ROOF_PUB_SERVE_E2E;
    else if (strcmp(m, "ttft_ms") == 0)
        *metric = ROOF_PUB_SERVE_TTFT;
    else
        return "static-batch metric other than tokens/s, TTFT or request latency";
    *unit_s = 1.0;
    if (*metric != ROOF_PUB_SERVE_TPUT && !(*unit_s = roof_pub_time_unit(roof_pub_opt_cell(csv, col, r, S_UNIT))))
        return "static-batch latency in a unit other than s, ms, us or ns";
    if (!num(csv, r, col[S_GPUS], &v[S_GPUS]) || !num(csv, r, col[S_TP], &v[S_TP]))
        return "GPU count or tp not stated";
    const char *dt = roof_csv_cell(csv, r, col[S_DT]);
    if (strcmp(dt, "fp16") != 0 && strcmp(dt, "bf16") != 0 && strcmp(dt, "fp8") != 0)
        return "serving dtype not stated or not modelled";
    /* Weight-only quantization: 8- or 4-bit integer weights dequantized
     * into the row's dtype (model/ops_time.c), per channel (*group 0) or
     * per group of *group elements; *wdt "": none. */
    const char *wgroup = roof_pub_opt_cell(csv, col, r, S_WGROUP);
    *wdt = roof_pub_opt_cell(csv, col, r, S_WDT);
    *group = 0.0;
    if ((*wdt)[0] && strcmp(*wdt, "int8") != 0 && strcmp(*wdt, "int4") != 0)
        return "weights dtype other than int8 or int4";
    if (wgroup[0] && (!(*wdt)[0] || !roof_pub_pos_text(wgroup, group) || *group != floor(*group) || *group > 1e9))
        return "weights group not a whole number of elements, or without a weights dtype";
    if (!num(csv, r, col[S_IN], &v[S_IN]) || !num(csv, r, col[S_OUT], &v[S_OUT]) ||
        !num(csv, r, col[S_VALUE], &v[S_VALUE]))
        return "no input length, output length or value";
    *config = roof_pub_serve_config(roof_csv_cell(csv, r, col[S_MODEL]));
    *hw = roof_pub_profile_of(roof_csv_cell(csv, r, col[S_GPU]));
    *rt = roof_pub_engine_runtime(roof_csv_cell(csv, r, col[S_ENGINE]));
    if (!*config)
        return "serving model without a deployment config";
    if (!*hw || !*rt)
        return "serving GPU or engine without a profile";
    return NULL;
}

int roof_pub_load_corpus_serving(const char *path, const char *config_dir, roof_pub_case *cases, size_t *n,
                                 roof_pub_skips *skips, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    static const char *const names[S_NCOL] = {"case_id",      "source",    "engine",     "model",  "gpu",
                                              "gpus",         "tp",        "dtype",      "batch",  "concurrency",
                                              "request_rate", "input_len", "output_len", "metric", "value"};
    int col[S_NALL];
    for (int i = 0; i < S_NCOL && rc == ROOF_OK; i++)
        rc = roof_pub_need_col(&csv, path, names[i], &col[i], err);
    col[S_NOTES] = roof_csv_col(&csv, "notes");
    col[S_UNIT] = roof_csv_col(&csv, "unit");
    col[S_WDT] = roof_csv_col(&csv, "weights_dtype");
    col[S_WGROUP] = roof_csv_col(&csv, "weights_group");
    for (size_t r = 0; r < csv.nrows && rc == ROOF_OK; r++) {
        double v[S_NCOL] = {0}, unit_s = 1.0, group = 0.0;
        int metric = ROOF_PUB_SERVE_TPUT;
        const char *wdt = "";
        const char *config = NULL, *hw = NULL, *rt = NULL;
        const char *why = serve_row(&csv, col, r, v, &metric, &unit_s, &wdt, &group, &config, &hw, &rt);
        if (!why && !config)
            continue; /* at a rate or concurrency: published_load.c loads it */
        if (why) {
            roof_pub_skip(skips, why);
            continue;
        }
        roof_pub_case *c = roof_pub_add(cases, n);
        if (!c) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, path, "too many cases (at most %d)", ROOF_PUB_MAX_CASES);
            break;
        }
        /* A group per metric: the first token's prefill is compute-bound
         * where the rest of the request is mostly decode, and the rows
         * given as tokens/s (Azure's) keep their group of their own. */
        static const char *const metric_tag[] = {
            [ROOF_PUB_SERVE_TTFT] = "ttft-", [ROOF_PUB_SERVE_E2E] = "e2e-", [ROOF_PUB_SERVE_TPUT] = ""};
        snprintf(c->group, sizeof c->group, "serve-%s%s-%s", metric_tag[metric], rt,
                 strcmp(hw, "h100-sxm") == 0 ? "h100" : hw);
        snprintf(c->id, sizeof c->id, "%s", roof_csv_cell(&csv, r, col[S_ID]));
        snprintf(c->what, sizeof c->what, "%.24s tp %.0f, batch %.0f, %.0f in %.0f out, %s",
                 roof_csv_cell(&csv, r, col[S_MODEL]), v[S_TP], v[S_BATCH], v[S_IN], v[S_OUT],
                 metric == ROOF_PUB_SERVE_TTFT ? "ttft" : "request latency");
        /* Weight-only quantization, after the rest: a long name shortens
         * only this. */
        size_t w = strlen(c->what);
        if (wdt[0] && group > 0.0)
            snprintf(c->what + w, sizeof c->what - w, ", %s weights in groups of %.0f", wdt, group);
        else if (wdt[0])
            snprintf(c->what + w, sizeof c->what - w, ", %s weights", wdt);
        snprintf(c->hw, sizeof c->hw, "%s", hw);
        const char *src = roof_csv_cell(&csv, r, col[S_SRC]);
        size_t k = strcspn(src, "@ ");
        snprintf(c->source, sizeof c->source, "%.*s", (int)(k < sizeof c->source - 1 ? k : sizeof c->source - 1), src);
        snprintf(c->config, sizeof c->config, "%s/%s", config_dir, config);
        c->kind = ROOF_PUB_REQUEST;
        c->serve_metric = metric == ROOF_PUB_SERVE_TTFT ? ROOF_PUB_SERVE_TTFT : ROOF_PUB_SERVE_E2E;
        roof_pub_set(c, "workload.batch=%.0f", v[S_BATCH]);
        roof_pub_set(c, "workload.seq_len=%.0f", v[S_IN]);
        roof_pub_set(c, "workload.gen_tokens=%.0f", v[S_OUT]);
        roof_pub_set(c, "workload.dtype=%s", roof_csv_cell(&csv, r, col[S_DT]));
        roof_pub_set(c, "parallel.tp=%.0f", v[S_TP]);
        roof_pub_set(c, "runtime.engine=%s", rt);
        if (wdt[0])
            roof_pub_set(c, "workload.weights_dtype=%s", wdt);
        if (group > 0.0)
            roof_pub_set(c, "workload.weights_group=%.0f", group);
        c->measured_s = metric == ROOF_PUB_SERVE_TPUT ? v[S_BATCH] * v[S_OUT] / v[S_VALUE] /* report(): output tokens */
                                                      : v[S_VALUE] * unit_s;
        c->fit = 0;
    }
    roof_csv_free(&csv);
    return rc;
}
