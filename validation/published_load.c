/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows of corpus/serving.csv at a request rate: a serving benchmark
 * (sglang.bench_serving, vLLM's benchmark_serving.py) sends N requests
 * with Poisson arrivals at the rate and reports the median time to first
 * token, time per output token, inter-token latency and end-to-end
 * latency. Each row is predicted by the serving simulation (analysis/serve*)
 * of the row's deployment: the same number of requests, the same rate,
 * Poisson arrivals from a fixed seed, runtime.engine from the row's engine.
 *
 * Prompt and output lengths: a row that gives input_len and output_len is
 * simulated at those fixed lengths. ShareGPT rows give none (the lengths
 * vary per request); their means come from the dataset table below, each
 * with its source, and the rows whose median the means do not determine
 * are left out with that reason.
 *
 * The simulation of one row is reused for the next row of the same run
 * (same config, settings and profile): a run's four metrics are four rows. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/serve.h"
#include "model/config.h"
#include "validation/gpu_names.h"
#include "validation/published_rows.h"

/* ShareGPT as sglang.bench_serving samples it (python/sglang/bench_serving.py,
 * sample_sharegpt_requests, from vLLM's benchmarks/benchmark_serving.py):
 * conversations of two or more turns, the first turn the prompt and the
 * second the output, shuffled with random.seed(1) (its --seed default),
 * then taken in order, skipping pairs with fewer than 4 tokens on either
 * side, a prompt above 1024 tokens or prompt + output above 2048, until
 * --num-prompts are found. With one seed and tokenizer the run of N
 * prompts is the first N of the run of any larger N.
 *
 * Output mean: 194.35 tokens, the offline run of 5000 prompts of the same
 * README (benchmark/benchmark_vllm_060/README.md, sgl-project/sglang@120affb9,
 * "Offline benchmark results", 70B on 4 x H100, SGLang: 3856.01 output
 * tok/s over 19.84 req/s; the other three offline rows give 194.28-194.36);
 * the script sends ignore_eos, so each request generates its sampled
 * length and the 1200 and 2400 prompts of the online runs are the first of
 * these 5000.
 *
 * Prompt mean: 248.01 tokens, the 300-prompt ShareGPT run of the same
 * script by an SGLang maintainer (sgl-project/sglang issue 1268, comment of
 * 2024-08-30: "total_input_tokens": 74403, "completed": 300): the first 300
 * of the same sample. The tokenizer of that run is not stated (the
 * README's runs use Llama-3.1's); the 1200 and 2400 prompts' own mean is
 * not published. It drives the time to first token only through the
 * prefill of about 250 tokens, which at these sizes is close to the ridge
 * point (weights read once per prefill). */
/* MLPerf Inference's Llama-2-70B set (OpenOrca, 24576 samples), the
 * rows whose notes say "MLPerf Offline": prompt mean 5463976 / 24576 =
 * 222.33 tokens (openshift-psap/performance-dashboard@71007029,
 * mlperf-data/summaries/llama2-70b-99.csv, a copy of the official pickle's
 * token counts); output mean 294.45 tokens, "Tokens per sample: 294.45"
 * of the reference run (mlcommons/inference@00bf8346,
 * language/llama2-70b/README.md, "Accuracy Target"). The lengths vary per
 * sample; the Offline scenario reports output tokens/s over the whole
 * run, which with every sample queued at once is the steady state at the
 * engine's batch limit, set mostly by the mean lengths. Its Mixtral-8x7B
 * set (OpenOrca, GSM8K and MBXP, 15000 samples): prompt mean 6410905 /
 * 15000 = 427.39 tokens (the same repository's
 * mlperf-data/summaries/mixtral-8x7b.csv @67033ba), output 144.84 tokens,
 * the "tokens_per_sample" a submission must stay within 10% of
 * (mlcommons/inference@003d4d3a, language/mixtral-8x7b/README.md,
 * "Accuracy Target"). Its Llama-3.1-405B set (8313 samples of long
 * contexts): prompt mean 78380323 / 8313 = 9428.64 tokens (the same
 * repository's mlperf-data/summaries/llama3-1-405b.csv @67033ba), output
 * 684.68, the reference run's "tokens_per_sample" (mlcommons/inference@
 * 0fa0692b, language/llama3.1-405b/README.md, "Accuracy Target"). Its
 * Llama-3.1-8B set (CNN/DailyMail, 13368 samples): prompt mean 11639915 /
 * 13368 = 870.73 tokens (mlperf-data/summaries/llama3-1-8b-datacenter.csv
 * @7cd1065, whose output column is characters / 4, not used), output 128
 * tokens: every sample generates exactly 128 in the runs (tokens/s over
 * samples/s of each v5.1 H200 summary is 128.0; the reference README
 * states its output length in characters only). */
#define MLPERF_OFFLINE "MLPerf Offline"
#define MLPERF_ROUNDS 20.0
static const struct {
    const char *marker; /* in the row's notes */
    double prompt_mean, output_mean;
} datasets[] = {
    {"sglang.bench_serving --dataset-name sharegpt", 74403.0 / 300.0, 3856.01 / 19.84},
    {MLPERF_OFFLINE ", OpenOrca 24576", 5463976.0 / 24576.0, 294.45},
    {MLPERF_OFFLINE ", OpenOrca/GSM8K/MBXP 15000", 6410905.0 / 15000.0, 144.84},
    {MLPERF_OFFLINE ", Llama-3.1-405B 8313", 78380323.0 / 8313.0, 684.68},
    {MLPERF_OFFLINE ", Llama-3.1-8B 13368", 11639915.0 / 13368.0, 128.0},
};

static const char *const metric_names[ROOF_PUB_SERVE_NMETRICS] = {"ttft_ms", "tpot_ms", "itl_ms", "e2e_ms",
                                                                  "output_tok_s"};

/* The scheduler limits of each engine in these runs, where the row does not
 * set them. vLLM 0.6: max_num_seqs 256; without chunked prefill
 * max_num_batched_tokens = max(max_model_len, 2048), 4096 at the runs'
 * --max_model_len 4096 (vllm/config.py, SchedulerConfig); memory share 0.9
 * (gpu_memory_utilization). SGLang 0.3: running requests bounded by its KV
 * pool (max_total_num_tokens // 2, far above what the cache holds here:
 * 4096 stands for "the cache binds", an assumption), its memory share 0.88
 * at tp 1 and 0.85 at tp 4 (the README's notes; --mem-frac in the notes
 * overrides), the prefill budget llmroof's default 8192 (assumption). */
static const struct {
    const char *runtime;
    double max_batch, max_tokens, mem_tp1, mem_tp4;
} engine_limits[] = {
    {"vllm", 256, 4096, 0.9, 0.9},
    {"sglang", 4096, 8192, 0.88, 0.85},
    {"trtllm", 256, 8192, 0.9, 0.9},
};

int roof_pub_load_owns(const char *rate, const char *concurrency, const char *notes)
{
    if (concurrency[0] || (rate[0] && strcmp(rate, "inf") != 0))
        return 1;
    return strcmp(rate, "inf") == 0 && (strstr(notes, "--num-prompts ") != NULL || strstr(notes, MLPERF_OFFLINE));
}

/* flag in the notes as a word of its own (not the tail of a longer name:
 * "generated_samples_per_query" is not "samples_per_query"), or NULL. */
static const char *find_key(const char *notes, const char *flag)
{
    for (const char *p = strstr(notes, flag); p; p = strstr(p + 1, flag))
        if (p == notes || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))
            return p;
    return NULL;
}

/* The number after flag in the notes (0: none or not positive). */
static double flag_value(const char *notes, const char *flag)
{
    const char *p = find_key(notes, flag);
    if (!p)
        return 0.0;
    p += strlen(flag);
    char *end;
    double v = strtod(p, &end);
    return end != p && isfinite(v) && v > 0.0 ? v : 0.0;
}

const char *roof_pub_serve_metric_name(int metric)
{
    return metric >= 0 && metric < ROOF_PUB_SERVE_NMETRICS ? metric_names[metric] : "?";
}

enum {
    L_ID,
    L_SRC,
    L_SOFT,
    L_ENGINE,
    L_MODEL,
    L_GPU,
    L_TP,
    L_DT,
    L_CONC,
    L_RATE,
    L_IN,
    L_OUT,
    L_METRIC,
    L_STAT,
    L_VALUE,
    L_NOTES,
    L_UNIT,
    L_WDT,
    L_GPUS,
    L_PP,
    L_BATCH,
    L_KVDT,
    L_NCOL
};

/* The requests a closed loop of C clients is simulated with where the row
 * does not state its count: 20 per client, at least 200 (an assumption:
 * the benchmark clients measure a steady window after the first C
 * requests fill the engine, and with 20 rounds the first round's burst of
 * C prompts at once weighs 5% of the means). */
static double closed_loop_requests(double c)
{
    return fmax(20.0 * c, 200.0);
}

/* Whether the simulation models dtype name for the math or the KV cache. */
static int serving_dtype(const char *name)
{
    return strcmp(name, "fp16") == 0 || strcmp(name, "bf16") == 0 || strcmp(name, "fp8") == 0;
}

/* The whole number after flag in the notes, 1 to 1e6 (0: not stated). */
static double count_after(const char *notes, const char *flag)
{
    double v = flag_value(notes, flag);
    return v >= 1.0 && v <= 1e6 ? floor(v) : 0.0;
}

/* --num-prompts N in the notes (0: not stated). */
static double num_prompts(const char *notes)
{
    return count_after(notes, "--num-prompts ");
}

/* LoadGen's one query of an MLPerf Offline run, samples_per_query (its
 * log's "Test Parameters Used"), which the harness shares out evenly over
 * the replicas (0: not stated). */
static double mlperf_samples(const char *notes)
{
    double v = flag_value(notes, "samples_per_query ");
    return v >= 1.0 ? floor(v) : 0.0;
}

/* A row at a rate (the caller checked): why it is left out (NULL: kept),
 * with its lengths, requests and names filled. */
static const char *load_row(const roof_csv *csv, const int *col, size_t r, double *v, double *prompt, double *output,
                            double *requests, double *steps, double *replicas, int *metric, int *mean, double *unit_s,
                            const char **config, const char **hw, const char **rt)
{
    const char *notes = roof_pub_opt_cell(csv, col, r, L_NOTES), *software = roof_pub_opt_cell(csv, col, r, L_SOFT);
    const char *engine = roof_csv_cell(csv, r, col[L_ENGINE]);
    const char *m = roof_csv_cell(csv, r, col[L_METRIC]);
    /* Weights stored narrower than the math (a weights_dtype other than
     * the row's dtype: the same one is only the weights' stated dtype). */
    const char *wdt = roof_pub_opt_cell(csv, col, r, L_WDT);
    if (wdt[0] && strcmp(wdt, roof_csv_cell(csv, r, col[L_DT])) != 0)
        return "weight-only quantization at a rate or concurrency (not simulated)";
    const char *stat = col[L_STAT] >= 0 ? roof_csv_cell(csv, r, col[L_STAT]) : "median";
    /* A closed loop of C clients, each sending its next request when the
     * last one ends (vLLM's and genai-perf's --max-concurrency). */
    int closed = roof_csv_cell(csv, r, col[L_CONC])[0] != '\0';
    if (closed && !roof_pub_pos_text(roof_csv_cell(csv, r, col[L_CONC]), &v[L_CONC]))
        return "concurrency not a positive number";
    /* Rate inf: every prompt sent at once (a closed burst of them all). */
    int burst = !closed && strcmp(roof_csv_cell(csv, r, col[L_RATE]), "inf") == 0;
    if (!closed && !burst && !roof_pub_pos_text(roof_csv_cell(csv, r, col[L_RATE]), &v[L_RATE]))
        return "request rate not a positive number";
    *metric = -1;
    for (int i = 0; i < ROOF_PUB_SERVE_NMETRICS; i++)
        if (strcmp(m, metric_names[i]) == 0)
            *metric = i;
    if (*metric < 0)
        return "serving metric not modelled";
    if (burst && *metric != ROOF_PUB_SERVE_TPUT)
        return "all prompts at once: metric other than output tokens/s";
    if (!burst && !closed && (*metric == ROOF_PUB_SERVE_TPUT || strcmp(stat, "median") != 0))
        return "at a request rate: metric other than a median latency";
    if (closed && *metric != ROOF_PUB_SERVE_TPUT && strcmp(stat, "median") != 0 && strcmp(stat, "mean") != 0)
        return "at a concurrency: latency other than a median or a mean";
    *mean = strcmp(stat, "mean") == 0;
    if (!roof_pub_pos_text(roof_csv_cell(csv, r, col[L_VALUE]), &v[L_VALUE]))
        return "no value";
    *unit_s = 1.0;
    if (*metric != ROOF_PUB_SERVE_TPUT && !(*unit_s = roof_pub_time_unit(roof_pub_opt_cell(csv, col, r, L_UNIT))))
        return "latency in a unit other than s, ms, us or ns";
    if (!roof_pub_pos_text(roof_csv_cell(csv, r, col[L_TP]), &v[L_TP]))
        return "GPU count or tp not stated";
    const char *pp = roof_pub_opt_cell(csv, col, r, L_PP);
    if (pp[0] && strcmp(pp, "1") != 0)
        return "pipeline parallel under load (not simulated)";
    /* Replicas: the row's GPUs over its tensor-parallel width (one where
     * the row gives no GPU count). The simulation is one replica at its
     * share of the traffic; a throughput is the whole system's. */
    *replicas = 1.0;
    const char *gpus = roof_pub_opt_cell(csv, col, r, L_GPUS);
    if (gpus[0]) {
        if (!roof_pub_pos_text(gpus, &v[L_GPUS]) || v[L_GPUS] < v[L_TP] || fmod(v[L_GPUS], v[L_TP]) != 0.0)
            return "GPU count not a whole multiple of tp";
        *replicas = v[L_GPUS] / v[L_TP];
    }
    if (*replicas > 1.0 && !burst)
        return "several replicas at a rate or concurrency (its share per replica not stated)";
    const char *dt = roof_csv_cell(csv, r, col[L_DT]);
    if (!serving_dtype(dt))
        return "serving dtype not stated or not modelled";
    const char *kvdt = roof_pub_opt_cell(csv, col, r, L_KVDT);
    if (kvdt[0] && !serving_dtype(kvdt))
        return "KV cache dtype not modelled";
    const char *batch = roof_pub_opt_cell(csv, col, r, L_BATCH);
    if (batch[0] && !roof_pub_pos_text(batch, &v[L_BATCH]))
        return "batch limit not a positive number";
    int mlperf = burst && strstr(notes, MLPERF_OFFLINE) != NULL;
    /* Every prompt at once, over the replicas: each its even share. */
    *requests = mlperf ? mlperf_samples(notes) : num_prompts(notes);
    if (mlperf && !(*requests > 0.0))
        return "MLPerf Offline: samples_per_query not stated";
    if (burst && *requests > 0.0) {
        if (*requests < *replicas)
            return "all prompts at once: fewer prompts than replicas";
        *requests = floor(*requests / *replicas);
    }
    /* At most MLPERF_ROUNDS batches of them: the engine holds its limit
     * from the first round, and the runs' tens of rounds (34320 requests
     * of H200's v4.1 replicas against a limit of 806) cost the
     * cross-validation a simulation per fold. The extra share of the last
     * round's tail lowers the rate a little: H200 v4.1's replica gave
     * 4108, 4134 and 4151 tok/s at 4000, 16000 and 34320 requests. */
    if (mlperf && v[L_BATCH] > 0.0 && *requests > MLPERF_ROUNDS * v[L_BATCH])
        *requests = MLPERF_ROUNDS * v[L_BATCH];
    if (burst && *requests > 1e6)
        return "all prompts at once: above 1e6 requests per replica (the simulation's bound)";
    int fixed = roof_pub_pos_text(roof_csv_cell(csv, r, col[L_IN]), prompt) &&
                roof_pub_pos_text(roof_csv_cell(csv, r, col[L_OUT]), output);
    if (closed && !fixed)
        return "at a concurrency: lengths not fixed";
    if (closed && !(*requests > 0.0))
        *requests = closed_loop_requests(v[L_CONC]);
    if (burst)
        v[L_CONC] = *requests;
    if (!(*requests > 0.0))
        return "at a request rate: number of prompts not stated";
    if (!fixed) {
        size_t d = 0;
        while (d < sizeof datasets / sizeof datasets[0] && !strstr(notes, datasets[d].marker))
            d++;
        if (d == sizeof datasets / sizeof datasets[0])
            return "at a request rate: dataset lengths without a sourced mean";
        *prompt = datasets[d].prompt_mean;
        *output = datasets[d].output_mean;
        /* The median of a skewed length is not its mean, and end-to-end
         * latency is about proportional to the output length. */
        if (*metric == ROOF_PUB_SERVE_E2E)
            return "median e2e of a dataset whose median output length no source gives";
    }
    /* vLLM's multi-step scheduling (engine.steps): the steps per round. */
    *steps = 1.0;
    const char *ms = strstr(software, "--num-scheduler-steps ");
    if (ms) {
        char *end;
        *steps = strtod(ms + strlen("--num-scheduler-steps "), &end);
        if (end == ms + strlen("--num-scheduler-steps ") || !(*steps >= 1.0 && *steps <= 1024.0))
            return "--num-scheduler-steps not a number of steps";
        *steps = floor(*steps);
    }
    *config = roof_pub_serve_config(roof_csv_cell(csv, r, col[L_MODEL]));
    *hw = roof_pub_profile_of(roof_csv_cell(csv, r, col[L_GPU]));
    *rt = roof_pub_engine_runtime(engine);
    if (!*config)
        return "serving model without a deployment config";
    if (!*hw || !*rt)
        return "serving GPU or engine without a profile";
    return NULL;
}

int roof_pub_load_corpus_load(const char *path, const char *config_dir, roof_pub_case *cases, size_t *n,
                              roof_pub_skips *skips, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    static const char *const names[L_NCOL] = {
        "case_id",     "source",        "software",  "engine",     "model",  "gpu",     "tp",    "dtype",
        "concurrency", "request_rate",  "input_len", "output_len", "metric", "stat",    "value", "notes",
        "unit",        "weights_dtype", "gpus",      "pp",         "batch",  "kv_dtype"};
    /* software, stat, notes, unit, weights_dtype, gpus, pp, batch and
     * kv_dtype are optional (a missing stat is a median, a missing unit
     * ms, missing gpus one replica). */
    int col[L_NCOL];
    for (int i = 0; i < L_NCOL && rc == ROOF_OK; i++) {
        if (i == L_SOFT || i == L_STAT || i == L_NOTES || i == L_UNIT || i >= L_WDT)
            col[i] = roof_csv_col(&csv, names[i]);
        else
            rc = roof_pub_need_col(&csv, path, names[i], &col[i], err);
    }
    for (size_t r = 0; r < csv.nrows && rc == ROOF_OK; r++) {
        if (!roof_pub_load_owns(roof_csv_cell(&csv, r, col[L_RATE]), roof_csv_cell(&csv, r, col[L_CONC]),
                                roof_pub_opt_cell(&csv, col, r, L_NOTES)))
            continue; /* a static batch or a maximum-throughput run: published_serving.c's */
        double v[L_NCOL] = {0}, prompt = 0.0, output = 0.0, requests = 0.0, steps = 1.0, replicas = 1.0, unit_s = 1e-3;
        int metric = -1, mean = 0;
        const char *config = NULL, *rt = NULL;
        const char *hw = NULL;
        const char *why = load_row(&csv, col, r, v, &prompt, &output, &requests, &steps, &replicas, &metric, &mean,
                                   &unit_s, &config, &hw, &rt);
        if (why) {
            roof_pub_skip(skips, why);
            continue;
        }
        roof_pub_case *c = roof_pub_add(cases, n);
        if (!c) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, path, "too many cases (at most %d)", ROOF_PUB_MAX_CASES);
            break;
        }
        /* The group names the GPU by its profile up to the form factor: h100-sxm -> h100. */
        snprintf(c->group, sizeof c->group, "serve-load-%s-%.*s", rt, (int)strcspn(hw, "-"), hw);
        snprintf(c->id, sizeof c->id, "%s", roof_csv_cell(&csv, r, col[L_ID]));
        int closed = roof_csv_cell(&csv, r, col[L_CONC])[0] != '\0';
        if (closed)
            snprintf(c->what, sizeof c->what, "%.24s tp %.0f, %.0f clients x %.0f, %.0f in %.0f out, %s %s",
                     roof_csv_cell(&csv, r, col[L_MODEL]), v[L_TP], v[L_CONC], requests, prompt, output,
                     metric == ROOF_PUB_SERVE_TPUT ? "s per output token"
                     : mean                        ? "mean"
                                                   : "p50",
                     metric == ROOF_PUB_SERVE_TPUT ? "" : metric_names[metric]);
        else if (v[L_CONC] > 0.0) {
            char reps[32] = ""; /* " x R" over several replicas, each with its share */
            if (replicas > 1.0)
                snprintf(reps, sizeof reps, " x %.0f", replicas);
            snprintf(c->what, sizeof c->what, "%.24s tp %.0f%s, %.0f at once%s, %.0f in %.0f out, s per output token",
                     roof_csv_cell(&csv, r, col[L_MODEL]), v[L_TP], reps, requests, replicas > 1.0 ? " each" : "",
                     prompt, output);
        } else
            snprintf(c->what, sizeof c->what, "%.24s tp %.0f, %g req/s x %.0f, %.0f in %.0f out, p50 %s",
                     roof_csv_cell(&csv, r, col[L_MODEL]), v[L_TP], v[L_RATE], requests, prompt, output,
                     metric_names[metric]);
        snprintf(c->hw, sizeof c->hw, "%s", hw);
        const char *src = roof_csv_cell(&csv, r, col[L_SRC]);
        size_t k = strcspn(src, "@ ");
        snprintf(c->source, sizeof c->source, "%.*s", (int)(k < sizeof c->source - 1 ? k : sizeof c->source - 1), src);
        snprintf(c->config, sizeof c->config, "%s/%s", config_dir, config);
        c->kind = ROOF_PUB_SERVE;
        c->serve_metric = metric;
        c->serve_mean = mean;
        roof_pub_set(c, "workload.dtype=%s", roof_csv_cell(&csv, r, col[L_DT]));
        if (roof_pub_opt_cell(&csv, col, r, L_KVDT)[0])
            roof_pub_set(c, "workload.kv_dtype=%s", roof_pub_opt_cell(&csv, col, r, L_KVDT));
        roof_pub_set(c, "parallel.tp=%.0f", v[L_TP]);
        roof_pub_set(c, "runtime.engine=%s", rt);
        if (v[L_CONC] > 0.0) {
            roof_pub_set(c, "traffic.arrival=concurrency");
            roof_pub_set(c, "traffic.concurrency=%.0f", v[L_CONC]);
        } else {
            roof_pub_set(c, "traffic.arrival=poisson");
            roof_pub_set(c, "traffic.rate=%.17g", v[L_RATE]);
        }
        roof_pub_set(c, "traffic.requests=%.0f", requests);
        roof_pub_set(c, "traffic.seed=1");
        roof_pub_set(c, "traffic.prompt.dist=fixed");
        roof_pub_set(c, "traffic.prompt.mean=%.17g", prompt);
        roof_pub_set(c, "traffic.output.dist=fixed");
        roof_pub_set(c, "traffic.output.mean=%.17g", output);
        /* SGLang's and vLLM's defaults of these runs: a prompt's iteration
         * runs no decode (SGLang's enable_mixed_chunk is off unless asked
         * for; vLLM turns chunked prefill on by default only above 32K
         * context, and these servers ran --max_model_len 4096). TensorRT-
         * LLM's in-flight batching runs requests in their context phase and
         * in generation in one batch (its docs, "In-flight Batching"). */
        roof_pub_set(c, "engine.mixed=%d", strcmp(rt, "trtllm") == 0);
        /* TensorRT-LLM's memory share is of the memory left free
         * (engine.kv_of_free; its default 0.9). */
        roof_pub_set(c, "engine.kv_of_free=%d", strcmp(rt, "trtllm") == 0);
        /* vLLM's --num-scheduler-steps N (its blog of 2024-09-05, "vLLM
         * v0.6.0": one scheduling for N decode steps; the tokens of a round
         * reach the client together, as the README's ITL of about 10
         * TPOTs shows). */
        roof_pub_set(c, "engine.steps=%.0f", steps);
        for (size_t e = 0; e < sizeof engine_limits / sizeof engine_limits[0]; e++)
            if (strcmp(engine_limits[e].runtime, rt) == 0) {
                /* The run's own settings where its notes give them:
                 * SGLang's --mem-frac, TensorRT-LLM's
                 * kvcache_free_gpu_mem_frac and max_num_tokens, vLLM's
                 * gpu_memory_utilization and max_num_batched_tokens (an
                 * MLPerf submission's config); the batch column is its
                 * max batch (gpu_batch_size, max_num_seqs). */
                const char *nt = roof_pub_opt_cell(&csv, col, r, L_NOTES);
                double mem = flag_value(nt, "--mem-frac ");
                if (!(mem > 0.0))
                    mem = flag_value(nt, "kvcache_free_gpu_mem_frac ");
                if (!(mem > 0.0))
                    mem = flag_value(nt, "gpu_memory_utilization ");
                double max_tokens = count_after(nt, "max_num_tokens ");
                if (!(max_tokens > 0.0))
                    max_tokens = count_after(nt, "max_num_batched_tokens ");
                if (!(mem > 0.0 && mem <= 1.0))
                    mem = v[L_TP] >= 4.0 ? engine_limits[e].mem_tp4 : engine_limits[e].mem_tp1;
                /* An iteration runs at most max_tokens tokens, one per
                 * decode: a batch limit above the budget is the budget
                 * (MLPerf v5.1's Nebius H200: gpu_batch_size 2048,
                 * max_num_tokens 1536). */
                double tokens = max_tokens > 0.0 ? max_tokens : engine_limits[e].max_tokens;
                double batch = v[L_BATCH] > 0.0 ? v[L_BATCH] : engine_limits[e].max_batch;
                roof_pub_set(c, "engine.max_batch=%.0f", batch < tokens ? batch : tokens);
                roof_pub_set(c, "engine.max_tokens=%.0f", tokens);
                roof_pub_set(c, "engine.mem_fraction=%.17g", mem);
            }
        /* A latency in its unit; a rate is compared as its time per token. */
        c->measured_s = metric == ROOF_PUB_SERVE_TPUT ? replicas / v[L_VALUE] : v[L_VALUE] * unit_s;
        c->fit = 0;
    }
    roof_csv_free(&csv);
    return rc;
}

/* The simulations made, for the rows of the same run (a run's metrics are
 * several rows) and for the same run on the same profile again (the
 * cross-validation predicts each row in sample and in its fold, whose fits
 * never use these rows: the profiles are the same). Reachable from this
 * pointer for the thread's life, as published.c's work area. */
#define MEMO_SLOTS 16
typedef struct load_memo {
    int valid;
    char key[ROOF_PUB_MAX_SETS * 64 + 600];
    roof_hw hw;
    roof_serve_stats st;
} load_memo;
static _Thread_local load_memo *memo;
static _Thread_local unsigned memo_next;

static int simulate(const roof_pub_case *c, const roof_hw *hw, roof_scenario *s, roof_serve_stats *st, roof_error *err)
{
    const char *scen[ROOF_PUB_MAX_SETS];
    roof_serve_cfg cfg;
    roof_serve_defaults(&cfg);
    int ns = 0, rc = ROOF_OK;
    for (int i = 0; i < c->nsets && rc == ROOF_OK; i++) {
        if (roof_serve_is_setting(c->sets[i]))
            rc = roof_serve_set(&cfg, c->sets[i], err);
        else
            scen[ns++] = c->sets[i];
    }
    if (rc == ROOF_OK)
        rc = roof_serve_check(&cfg, err);
    if (rc == ROOF_OK)
        rc = roof_scenario_load(c->config, NULL, NULL, c->hw, scen, ns, s, NULL, err);
    if (rc != ROOF_OK)
        return rc;
    s->hw = *hw; /* the given profile (the cross-validation passes its own) */
    roof_serve_cost *cost = NULL;
    rc = roof_serve_cost_new(s, &cfg.engine, &cost, err);
    if (rc == ROOF_OK)
        rc = roof_serve_simulate(cost, &cfg, NULL, 0, NULL, NULL, st, err);
    roof_serve_cost_free(cost);
    return rc;
}

int roof_pub_predict_serve(roof_pub_case *c, const roof_hw *hw, roof_scenario *s, roof_error *err)
{
    if (!memo && !(memo = calloc(MEMO_SLOTS, sizeof *memo)))
        return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "out of memory");
    char key[sizeof memo->key];
    size_t k = (size_t)snprintf(key, sizeof key, "%s|%s", c->config, c->hw);
    for (int i = 0; i < c->nsets && k < sizeof key; i++)
        k += (size_t)snprintf(key + k, sizeof key - k, "|%s", c->sets[i]);
    load_memo *m = NULL;
    for (unsigned i = 0; i < MEMO_SLOTS && !m; i++)
        if (memo[i].valid && strcmp(memo[i].key, key) == 0 && memcmp(&memo[i].hw, hw, sizeof *hw) == 0)
            m = &memo[i];
    if (!m) {
        m = &memo[memo_next++ % MEMO_SLOTS];
        m->valid = 0;
        int rc = simulate(c, hw, s, &m->st, err);
        if (rc != ROOF_OK)
            return rc;
        snprintf(m->key, sizeof m->key, "%s", key);
        m->hw = *hw;
        m->valid = 1;
    }
    const roof_serve_stats *st = &m->st;
    const double p50[ROOF_PUB_SERVE_NMETRICS] = {st->ttft.q[ROOF_SERVE_Q50], st->tpot.q[ROOF_SERVE_Q50],
                                                 st->itl.q[ROOF_SERVE_Q50], st->e2e.q[ROOF_SERVE_Q50],
                                                 1.0 / st->tokens_per_s};
    const double means[ROOF_PUB_SERVE_NMETRICS] = {st->ttft.mean, st->tpot.mean, st->itl.mean, st->e2e.mean,
                                                   1.0 / st->tokens_per_s};
    if (c->serve_metric < 0 || c->serve_metric >= ROOF_PUB_SERVE_NMETRICS)
        return roof_error_set(err, ROOF_ERR_RUNTIME, c->id, "no serving metric %d", c->serve_metric);
    c->predicted_s = c->serve_mean ? means[c->serve_metric] : p50[c->serve_metric];
    if (!isfinite(c->predicted_s))
        return roof_error_set(err, ROOF_ERR_RUNTIME, c->id, "the simulation gave no %s", metric_names[c->serve_metric]);
    return ROOF_OK;
}
