/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The row helpers that the loaders of validation/published.c,
 * published_train.c and published_attn.c share (declared in
 * published_rows.h): the loaders call this file, and it calls none. */
#include "validation/published_rows.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int roof_pub_need_col(const roof_csv *csv, const char *path, const char *name, int *col, roof_error *err)
{
    *col = roof_csv_col(csv, name);
    if (*col < 0)
        return roof_error_set(err, ROOF_ERR_INPUT, path, "no column '%s'", name);
    return ROOF_OK;
}

int roof_pub_number(const roof_csv *csv, const char *path, size_t r, int c, double *v, roof_error *err)
{
    const char *s = roof_csv_cell(csv, r, c);
    char *end;
    *v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(*v)) {
        return roof_error_at(err, ROOF_ERR_INPUT, path, csv->lines[r], "'%s' is not a number (column '%s')", s,
                             csv->cells[c]);
    }
    return ROOF_OK;
}

/* Sizes, dims, rates and times of a measurement: a number above zero
 * (a negative or zero one would give a meaningless error percentage). */
int roof_pub_positive(const roof_csv *csv, const char *path, size_t r, int c, double *v, roof_error *err)
{
    int rc = roof_pub_number(csv, path, r, c, v, err);
    if (rc == ROOF_OK && !(*v > 0.0)) {
        return roof_error_at(err, ROOF_ERR_INPUT, path, csv->lines[r], "'%s' must be positive (column '%s')",
                             roof_csv_cell(csv, r, c), csv->cells[c]);
    }
    return rc;
}

/* Rows already in group: the position of the next one. */
size_t roof_pub_group_count(const roof_pub_case *cases, size_t n, const char *group)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += strcmp(cases[i].group, group) == 0;
    return k;
}

roof_pub_case *roof_pub_add(roof_pub_case *cases, size_t *n)
{
    if (*n >= ROOF_PUB_MAX_CASES)
        return NULL;
    roof_pub_case *c = &cases[(*n)++];
    memset(c, 0, sizeof *c);
    return c;
}

static size_t skip_find(const roof_pub_skips *sk, const char *reason)
{
    size_t i = 0;
    while (i < sk->n && strcmp(sk->reason[i], reason) != 0)
        i++;
    return i;
}

void roof_pub_skip(roof_pub_skips *sk, const char *reason)
{
    size_t i = skip_find(sk, reason);
    if (i == sk->n && sk->n >= ROOF_PUB_MAX_SKIPS - 1) {
        reason = ROOF_PUB_SKIP_OTHER;
        i = skip_find(sk, reason);
    }
    if (i == sk->n)
        sk->reason[sk->n++] = reason;
    sk->rows[i]++;
}

/* Forks that host a source's file (corpus/README.md): the organisation
 * that measured is the original's. */
static const struct {
    const char *fork, *origin;
} forks[] = {{"yosoyjay/AI-benchmarking-guide", "Azure/AI-benchmarking-guide"}};

/* The source of a row: its repository owner/name without the commit
 * ("Azure/AI-benchmarking-guide @8fd0c6e" and "...@8fd0c6e1bd..." are one
 * source). A bare repository name ("DeepGEMM", as later rows of
 * gemm_measured.csv abbreviate) is the earlier source it names. */
void roof_pub_source_of(const char *raw, const roof_pub_case *cases, size_t n, char *out, size_t size)
{
    size_t len = strcspn(raw, "@(");
    while (len > 0 && raw[len - 1] == ' ')
        len--;
    snprintf(out, size, "%.*s", (int)(len < size ? len : size - 1), raw);
    for (size_t i = 0; i < sizeof forks / sizeof forks[0]; i++)
        if (strcmp(out, forks[i].fork) == 0)
            snprintf(out, size, "%s", forks[i].origin);
    if (strchr(out, '/'))
        return;
    for (size_t i = n; i-- > 0;) {
        const char *slash = strchr(cases[i].source, '/');
        if (slash && strcmp(slash + 1, out) == 0) {
            snprintf(out, size, "%s", cases[i].source);
            return;
        }
    }
}

double roof_pub_time_unit(const char *unit)
{
    static const struct {
        const char *name;
        double s;
    } units[] = {{"ms", 1e-3}, {"", 1e-3}, {"ns", 1e-9}, {"us", 1e-6}, {"s", 1.0}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].name) == 0)
            return units[i].s;
    return 0.0;
}

int roof_pub_pos_text(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return s[0] != '\0' && end != s && *end == '\0' && isfinite(*v) && *v > 0.0;
}

const char *roof_pub_opt_cell(const roof_csv *csv, const int *col, size_t r, int c)
{
    return col[c] >= 0 ? roof_csv_cell(csv, r, col[c]) : "";
}

int roof_pub_harness_floor(const roof_csv *csv, const char *path, size_t r, int col, double *seconds, roof_error *err)
{
    double us = 0.0;
    int rc = ROOF_OK;
    if (col >= 0 && roof_csv_cell(csv, r, col)[0])
        rc = roof_pub_positive(csv, path, r, col, &us, err);
    *seconds = us / 1e6; /* correctly rounded: 2.5 us is the double 2.5e-6 */
    return rc;
}

void roof_pub_harness_overhead(const roof_pub_case *c, roof_hw *hw)
{
    /* A harness that replays its kernels from a CUDA graph pays no launch
     * per call, only its own floor, which it measured. */
    if (c->harness_overhead_s > 0.0)
        hw->kernel_overhead = c->harness_overhead_s;
}

/* Llama-3.3-70B and Llama-3-70B have Llama-3.1-70B's shape (80 layers,
 * hidden 8192, 64 query and 8 KV heads, FFN 28672, vocabulary 128256: the
 * config.json of meta-llama/Llama-3.3-70B-Instruct, -3.1-70B-Instruct and
 * Meta-Llama-3-70B-Instruct on Hugging Face), Llama-3-8B Llama-3.1-8B's;
 * only their RoPE scaling differs, which no op here times. The others'
 * configs give their models' sources. */
const char *roof_pub_serve_config(const char *model)
{
    static const struct {
        const char *model, *config;
    } models[] = {
        {"Llama-3.1-8B-Instruct", "llama3.1-8b-serve.cfg"},
        {"Llama-3.1-70B-Instruct", "llama3-70b-serve.cfg"},
        {"Llama-3-70B", "llama3-70b-serve.cfg"},
        {"Llama-3.3-70B-Instruct", "llama3-70b-serve.cfg"},
        {"Meta-Llama-3-8B-Instruct", "llama3.1-8b-serve.cfg"},
        {"Meta-Llama-3-70B-Instruct", "llama3-70b-serve.cfg"},
        {"Llama-2-7b", "llama2-7b-a100.cfg"},
        {"Llama-2-13b", "llama2-13b.cfg"},
        {"Llama-2-70b", "llama2-70b-a100-tp4.cfg"},
        {"GPT-J-6B", "gptj-6b-a100.cfg"},
        {"Falcon-180B", "falcon-180b-a100-tp8.cfg"},
        {"Mistral-7B-v0.1", "mistral-7b.cfg"},
        /* gpt-fast's README names (base checkpoints: the same shapes). */
        {"Llama-2-7B", "llama2-7b-a100.cfg"},
        {"Llama-2-70B", "llama2-70b-a100-tp4.cfg"},
        {"Llama-3.1-8B", "llama3.1-8b-serve.cfg"},
        {"Llama-3.1-70B", "llama3-70b-serve.cfg"},
        {"Mixtral-8x7B", "mixtral-8x7b-serve.cfg"},
        /* MLPerf Inference's checkpoints (the chat and instruct tunes:
         * their config.json on Hugging Face gives the base models' shapes,
         * meta-llama/Llama-2-70b-chat-hf, mistralai/Mixtral-8x7B-Instruct-v0.1,
         * meta-llama/Llama-3.1-405B-Instruct). */
        {"Llama-2-70B-Chat", "llama2-70b-a100-tp4.cfg"},
        {"Mixtral-8x7B-Instruct", "mixtral-8x7b-serve.cfg"},
        {"Llama-3.1-405B-Instruct", "llama3.1-405b-serve.cfg"},
        /* torchao's (pytorch/ao _models/llama): the checkpoints' names. */
        {"Llama-2-7b-chat-hf", "llama2-7b-a100.cfg"},
        {"Meta-Llama-3-8B", "llama3.1-8b-serve.cfg"},
    };
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (strcmp(model, models[i].model) == 0)
            return models[i].config;
    return NULL;
}

const char *roof_pub_engine_runtime(const char *engine)
{
    static const struct {
        const char *engine, *runtime;
    } engines[] = {{"TensorRT-LLM", "trtllm"},
                   {"vLLM", "vllm"},
                   {"SGLang", "sglang"},
                   /* gpt-fast: one process, no scheduler, no server; batch-1
                    * decode replayed from a CUDA graph (pytorch-labs/gpt-fast@
                    * 32971d3 generate.py: torch.compile(decode_one_token,
                    * mode="reduce-overhead")): the pure model, no engine's
                    * overheads. */
                   {"gpt-fast", "none"},
                   /* torchao's _models/llama/generate.py: gpt-fast's loop
                    * (pytorch/ao@054717eb, decode_one_token compiled with
                    * mode="reduce-overhead"). */
                   {"torchao", "none"}};
    for (size_t i = 0; i < sizeof engines / sizeof engines[0]; i++)
        if (strcmp(engine, engines[i].engine) == 0)
            return engines[i].runtime;
    /* NVIDIA NIM for LLMs serves a model through TensorRT-LLM where an
     * optimized profile exists for the GPU and precision (its docs,
     * "Supported models": TRT-LLM profiles for H100 fp8, vLLM as the
     * fallback); the rows do not name the profile, so taken as trtllm
     * (an assumption, corpus/README-serving-collectives.md). */
    if (strncmp(engine, "NVIDIA NIM", 10) == 0)
        return "trtllm";
    return NULL;
}
