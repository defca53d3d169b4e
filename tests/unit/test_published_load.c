/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The serving rows at a request rate of validate published
 * (validation/published_load.c): which rows load, the exact reason of each
 * row left out, and a planted row whose simulation is known: at 0.01
 * requests/s every request is alone, so its TTFT is estimate's TTFT of one
 * prompt (one eager pass plus the engine's request overhead); and the
 * static batches' TTFT and request latency against estimate's. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "check.h"

#include "model/config.h"
#include "model/evaluate.h"
#include "tmp_text.h"
#include "validation/published.h"
#include "validation/published_rows.h"

#define HEAD                                                                                                       \
    "case_id,source,software,engine,model,gpu,tp,dtype,concurrency,request_rate,input_len,output_len,metric,stat," \
    "value,notes\n"
#define SHAREGPT "\"sglang.bench_serving --dataset-name sharegpt --num-prompts 1200\""
static const char CSV[] = HEAD
    /* kept: fixed lengths, 3 requests 100 s apart */
    "P-ttft,a/b@c,SGLang 0.3.0,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,0.01,1024,2,ttft_ms,median,40,"
    "--num-prompts 3\n"
    "P-e2e,a/b@c,SGLang 0.3.0,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,0.01,1024,2,e2e_ms,median,60,"
    "--num-prompts 3\n"
    /* kept: multi-step scheduling, 4 steps a round, 9 tokens: one from the
     * prefill, then two rounds */
    "P-itl,a/b@c,vLLM 0.6.0 (--num-scheduler-steps 4),vLLM,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,0.01,1024,9,"
    "itl_ms,median,60,--num-prompts 3\n"
    /* kept: 3 prompts at once (rate inf), output tokens/s */
    "P-tput,a/b@c,SGLang 0.3.0,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,inf,1024,2,output_tok_s,single,500,"
    "--num-prompts 3\n"
    /* kept: ShareGPT's sourced means */
    "S-tpot,a/b@c,vLLM 0.6.0 (--num-scheduler-steps 10),vLLM,Llama-3.1-70B-Instruct,H100 80GB,4,bf16,,4,,,"
    "tpot_ms,median,23.58," SHAREGPT "\n"
    /* left out, one reason each */
    "X-e2e,a/b@c,SGLang 0.3.0,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,4,,,e2e_ms,median,1500," SHAREGPT "\n"
    "X-itl,a/b@c,vLLM 0.6.0 (--num-scheduler-steps 10),vLLM,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,4,,,itl_ms,"
    "median,129," SHAREGPT "\n"
    "X-n,a/b@c,SGLang,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,4,128,8,ttft_ms,median,30,\n"
    /* kept: a closed loop of one client, 3 requests one after the other,
     * the mean TTFT */
    "C-conc,a/b@c,NIM,NVIDIA NIM 1.8.0,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,1,,1024,2,ttft_ms,mean,30,"
    "--num-prompts 3\n"
    "X-clen,a/b@c,SGLang,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,16,,,,ttft_ms,median,30,\n"
    "X-cp99,a/b@c,SGLang,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,16,,128,8,ttft_ms,p99,30,\n"
    "X-p99,a/b@c,SGLang,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,4,128,8,ttft_ms,p99,30,--num-prompts 3\n"
    "X-len,a/b@c,SGLang,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,4,,,ttft_ms,median,30,--num-prompts 3\n"
    "X-burst,a/b@c,SGLang,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,inf,128,8,ttft_ms,median,30,"
    "--num-prompts 3\n"
    "X-model,a/b@c,SGLang,SGLang,Mistral-7B,A100 80GB,1,bf16,,4,128,8,ttft_ms,median,30,--num-prompts 3\n"
    /* not this loader's: a static batch and a maximum-throughput run */
    "Y-inf,a/b@c,SGLang,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,inf,,,output_tok_s,single,4281,\n"
    "Y-batch,a/b@c,SGLang,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,,128,8,output_tok_s,single,4281,\n";

/* estimate's result of cfg on profile hw with sets (s: scratch). */
static void estimate(const char *cfg, const char *hw, const char *const *sets, int nsets, roof_scenario *s,
                     roof_result *r)
{
    roof_error err;
    if (roof_scenario_load(cfg, NULL, hw, NULL, sets, nsets, s, NULL, &err) != ROOF_OK ||
        roof_evaluate(s, r, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
}

/* Loads the rows of text (a file named after tag) with the configs of
 * config_dir into cases (room for every row it keeps): their count in *n
 * and the skips in *sk. */
static void load_rows(const char *tag, const char *text, const char *config_dir, roof_pub_case *cases, size_t *n,
                      roof_pub_skips *sk)
{
    char path[600];
    tmp_text(tag, text, path, sizeof path);
    *n = 0;
    memset(sk, 0, sizeof *sk);
    roof_error err;
    if (roof_pub_load_corpus_load(path, config_dir, cases, n, sk, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    unlink(path);
}

static void test_load(void **state)
{
    (void)state;
    const char *cfgs = getenv("LLMROOF_CONFIGS");
    assert_non_null(cfgs);
    char vcfgs[600];
    snprintf(vcfgs, sizeof vcfgs, "%s/../validation/configs", cfgs);

    roof_pub_case *cases = calloc(ROOF_PUB_MAX_CASES, sizeof *cases);
    assert_non_null(cases);
    size_t n;
    roof_pub_skips sk;
    roof_error err;
    load_rows("load", CSV, vcfgs, cases, &n, &sk);
    assert_int_equal(n, 7);
    static const char *const reasons[] = {
        "median e2e of a dataset whose median output length no source gives",
        "at a request rate: number of prompts not stated",
        "at a concurrency: lengths not fixed",
        "at a concurrency: latency other than a median or a mean",
        "at a request rate: metric other than a median latency",
        "at a request rate: dataset lengths without a sourced mean",
        "all prompts at once: metric other than output tokens/s",
        "serving model without a deployment config",
    };
    assert_int_equal(sk.n, sizeof reasons / sizeof reasons[0]);
    for (size_t i = 0; i < sk.n; i++) {
        assert_string_equal(sk.reason[i], reasons[i]);
        assert_int_equal(sk.rows[i], 1);
    }
    assert_string_equal(cases[0].group, "serve-load-sglang-a100");
    assert_true(cases[0].kind == ROOF_PUB_SERVE && cases[0].serve_metric == ROOF_PUB_SERVE_TTFT);
    check_rel(cases[0].measured_s, 40e-3, 1e-15, "P-ttft measured");
    assert_string_equal(cases[4].group, "serve-load-vllm-h100");
    /* ShareGPT: 74403 prompt tokens over 300 prompts, 3856.01 output
     * tok/s over 19.84 req/s (published_load.c's sources). */
    assert_string_equal(cases[4].what, "Llama-3.1-70B-Instruct tp 4, 4 req/s x 1200, 248 in 194 out, p50 tpot_ms");

    /* The planted row against estimate's TTFT of one 1024-token prompt. */
    if (roof_pub_predict(cases, 4, NULL, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    roof_scenario *s = calloc(1, sizeof *s);
    roof_result *r = calloc(1, sizeof *r);
    assert_true(s && r);
    const char *sets[] = {"workload.batch=1",    "workload.seq_len=1024", "workload.gen_tokens=2",
                          "workload.dtype=bf16", "parallel.tp=1",         "runtime.engine=sglang"};
    char cfg[700];
    snprintf(cfg, sizeof cfg, "%s/llama3.1-8b-serve.cfg", vcfgs);
    estimate(cfg, "a100-sxm", sets, 6, s, r);
    check_rel(cases[0].predicted_s, r->metrics.ttft_s, 1e-9, "lone request's TTFT");
    /* Its e2e: that TTFT and one decode step of one request. */
    assert_true(cases[1].predicted_s > cases[0].predicted_s && isfinite(cases[1].predicted_s));
    assert_true(cases[1].predicted_s - cases[0].predicted_s < r->metrics.tpot_s * 1.5);
    /* Multi-step: the client's gap is a round of 4 decode steps of one
     * request at 1025 to 1032 tokens of context (estimate's TPOT with
     * vLLM's overheads, at 1024 + 2 tokens: within 1 %). */
    const char *vsets[] = {"workload.batch=1",    "workload.seq_len=1024", "workload.gen_tokens=9",
                           "workload.dtype=bf16", "parallel.tp=1",         "runtime.engine=vllm"};
    estimate(cfg, "a100-sxm", vsets, 6, s, r);
    check_rel(cases[2].predicted_s, 4.0 * r->metrics.tpot_s, 0.01, "a round of 4 steps");
    /* The burst: 3 prompts prefilled in one iteration, then one decode
     * step of 3: 6 output tokens over those two passes (estimate's TTFT
     * at batch 3 less its 2 ms request overhead, and its TPOT). */
    check_rel(cases[3].measured_s, 1.0 / 500.0, 1e-15, "P-tput measured");
    const char *bsets[] = {"workload.batch=3",    "workload.seq_len=1024", "workload.gen_tokens=2",
                           "workload.dtype=bf16", "parallel.tp=1",         "runtime.engine=sglang"};
    estimate(cfg, "a100-sxm", bsets, 6, s, r);
    check_rel(6.0 * cases[3].predicted_s, r->metrics.ttft_s - 2e-3 + r->metrics.tpot_s, 0.01, "3 prompts at once");
    /* The closed loop of one client: NIM as TensorRT-LLM, each request
     * alone, so its mean TTFT is estimate's with trtllm's overheads. */
    assert_string_equal(cases[6].group, "serve-load-trtllm-a100");
    assert_string_equal(cases[6].what, "Llama-3.1-8B-Instruct tp 1, 1 clients x 3, 1024 in 2 out, mean ttft_ms");
    assert_true(cases[6].serve_mean);
    check_rel(cases[6].measured_s, 30e-3, 1e-15, "C-conc measured");
    if (roof_pub_predict(cases + 6, 1, NULL, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    const char *tsets[] = {"workload.batch=1",    "workload.seq_len=1024", "workload.gen_tokens=2",
                           "workload.dtype=bf16", "parallel.tp=1",         "runtime.engine=trtllm"};
    if (roof_scenario_load(cfg, NULL, NULL, "a100-sxm", tsets, 6, s, NULL, &err) != ROOF_OK ||
        roof_evaluate(s, r, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    check_rel(cases[6].predicted_s, r->metrics.ttft_s, 1e-9, "a lone client's mean TTFT");
    free(s);
    free(r);
    free(cases);
}

/* The unit column: a latency in ns is read as such; one in another unit
 * is left out. */
static void test_units(void **state)
{
    (void)state;
    roof_pub_case cases[2];
    size_t n;
    roof_pub_skips sk;
    load_rows("load-units",
              "case_id,source,engine,model,gpu,tp,dtype,concurrency,request_rate,input_len,output_len,metric,stat,"
              "value,unit,notes\n"
              "U-ns,a/b@c,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,0.01,1024,2,ttft_ms,median,40000000,ns,"
              "--num-prompts 3\n"
              "U-tok,a/b@c,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,0.01,1024,2,ttft_ms,median,40,tok,"
              "--num-prompts 3\n",
              "cfgs", cases, &n, &sk);
    assert_int_equal(n, 1);
    check_rel(cases[0].measured_s, 40e-3, 1e-15, "40000000 ns");
    assert_int_equal(sk.n, 1);
    assert_string_equal(sk.reason[0], "latency in a unit other than s, ms, us or ns");
}

/* A row at a rate with weight-only quantized weights is left out with its
 * reason (the simulation is not run on them); an empty cell, or the row's
 * own dtype (MLPerf's rows state their fp8 weights), is the row's dtype. */
static void test_weight_only(void **state)
{
    (void)state;
    roof_pub_case cases[2];
    size_t n;
    roof_pub_skips sk;
    load_rows("load-wo",
              "case_id,source,engine,model,gpu,tp,dtype,concurrency,request_rate,input_len,output_len,metric,stat,"
              "value,unit,notes,weights_dtype\n"
              "W-bf16,a/b@c,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,0.01,1024,2,ttft_ms,median,40,ms,"
              "--num-prompts 3,\n"
              "W-int4,a/b@c,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,0.01,1024,2,ttft_ms,median,40,ms,"
              "--num-prompts 3,int4\n"
              "W-same,a/b@c,SGLang,Llama-3.1-8B-Instruct,A100 80GB,1,bf16,,0.01,1024,2,ttft_ms,median,40,ms,"
              "--num-prompts 3,bf16\n",
              "cfgs", cases, &n, &sk);
    assert_int_equal(n, 2);
    assert_string_equal(cases[0].id, "W-bf16");
    assert_string_equal(cases[1].id, "W-same");
    assert_int_equal(sk.n, 1);
    assert_string_equal(sk.reason[0], "weight-only quantization at a rate or concurrency (not simulated)");
}

/* MLPerf Offline rows (published_load.c): every sample queued at once,
 * shared out over the replicas (GPUs over tp), the run's batch limit,
 * memory share, token budget and KV dtype from its row and notes, and the
 * whole system's tokens/s compared per replica. Four replicas of 250
 * requests each simulate the same replica as one replica of 250: the same
 * prediction, a measured time per token four times as long. A replica
 * runs at most 20 batch limits of requests, and a batch limit above the
 * token budget is the budget. Any burst over replicas shares its prompts
 * out. One row left out per reason. */
#define MLP_HEAD                                                                                          \
    "case_id,source,engine,model,gpu,gpus,tp,pp,dtype,kv_dtype,batch,concurrency,request_rate,input_len," \
    "output_len,metric,stat,value,notes\n"
/* One row of Llama-2-70B on H200 with TensorRT-LLM, all samples at once. */
#define MLP_ROW(id, gpus_tp_pp, kv, batch, value, notes)                                 \
    id ",a/b@c,TensorRT-LLM,Llama-2-70B,H200-SXM-141GB," gpus_tp_pp ",fp8," kv "," batch \
       ",,inf,,,output_tok_s,single," value "," notes "\n"
#define MLP_NOTES(spq)                                                 \
    "\"MLPerf Offline, OpenOrca 24576 samples; samples_per_query " spq \
    "; kvcache_free_gpu_mem_frac 0.5; max_num_tokens 2048\""
static const char *const MLP_ROWS[] = {
    MLP_HEAD,
    MLP_ROW("M-x4", "8,2,1", "fp8", "64", "4000", MLP_NOTES("1000")),
    MLP_ROW("M-x1", "2,2,", "fp8", "64", "1000", MLP_NOTES("250")),
    MLP_ROW("M-cap", "2,2,", "fp8", "4", "1000", MLP_NOTES("1000")),
    MLP_ROW("M-clamp", "2,2,", "fp8", "4096", "1000", MLP_NOTES("250")),
    "B-x2,a/b@c,SGLang,Llama-2-70B,H200-SXM-141GB,2,1,1,fp8,fp8,,,inf,128,8,output_tok_s,single,1000,--num-prompts "
    "10\n",
    "X-few,a/b@c,SGLang,Llama-2-70B,H200-SXM-141GB,2,1,1,fp8,fp8,,,inf,128,8,output_tok_s,single,1000,--num-prompts "
    "1\n",
    MLP_ROW("X-odd", "3,2,1", "fp8", "64", "1", MLP_NOTES("1000")),
    MLP_ROW("X-pp", "8,2,2", "fp8", "64", "1", MLP_NOTES("1000")),
    MLP_ROW("X-spq", "8,2,1", "fp8", "64", "1", "\"MLPerf Offline, OpenOrca 24576 samples\""),
    MLP_ROW("X-kv", "8,2,1", "int8", "64", "1", MLP_NOTES("1000")),
    "X-rate,a/b@c,TensorRT-LLM,Llama-2-70B,H200-SXM-141GB,8,2,1,fp8,fp8,64,,4,128,8,ttft_ms,median,1,--num-prompts 3\n",
};
static void test_mlperf_offline(void **state)
{
    (void)state;
    const char *cfgs = getenv("LLMROOF_CONFIGS");
    assert_non_null(cfgs);
    char vcfgs[600];
    snprintf(vcfgs, sizeof vcfgs, "%s/../validation/configs", cfgs);
    char csv[4096] = "";
    for (size_t i = 0; i < sizeof MLP_ROWS / sizeof MLP_ROWS[0]; i++)
        strncat(csv, MLP_ROWS[i], sizeof csv - strlen(csv) - 1);
    assert_true(strlen(csv) < sizeof csv - 1);
    roof_pub_case *cases = calloc(ROOF_PUB_MAX_CASES, sizeof *cases);
    assert_non_null(cases);
    size_t n;
    roof_pub_skips sk;
    roof_error err;
    load_rows("load-mlperf", csv, vcfgs, cases, &n, &sk);
    assert_int_equal(n, 5);
    static const char *const reasons[] = {
        "all prompts at once: fewer prompts than replicas",
        "GPU count not a whole multiple of tp",
        "pipeline parallel under load (not simulated)",
        "MLPerf Offline: samples_per_query not stated",
        "KV cache dtype not modelled",
        "several replicas at a rate or concurrency (its share per replica not stated)",
    };
    assert_int_equal(sk.n, sizeof reasons / sizeof reasons[0]);
    for (size_t i = 0; i < sk.n; i++)
        assert_string_equal(sk.reason[i], reasons[i]);
    assert_string_equal(cases[0].group, "serve-load-trtllm-h200");
    /* OpenOrca: 5463976 prompt tokens over 24576 samples, 294.45 out. */
    assert_string_equal(cases[0].what, "Llama-2-70B tp 2 x 4, 250 at once each, 222 in 294 out, s per output token");
    /* 4000 tok/s over 4 replicas: 1 ms per token per replica. */
    check_rel(cases[0].measured_s, 1e-3, 1e-15, "M-x4 measured");
    check_rel(cases[1].measured_s, 1e-3, 1e-15, "M-x1 measured");
    static const char *const want[] = {"workload.kv_dtype=fp8", "traffic.concurrency=250", "traffic.requests=250",
                                       "engine.max_batch=64",   "engine.max_tokens=2048",  "engine.mem_fraction=0.5",
                                       "engine.kv_of_free=1",   "engine.mixed=1"};
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        int found = 0;
        for (int i = 0; i < cases[0].nsets; i++)
            found |= strcmp(cases[0].sets[i], want[w]) == 0;
        if (!found)
            fail_msg("M-x4 lacks %s", want[w]);
    }
    /* 1000 samples on one replica whose batch limit is 4: at most 20
     * rounds of it, 80 requests. */
    int capped = 0;
    for (int i = 0; i < cases[2].nsets; i++)
        capped |= strcmp(cases[2].sets[i], "traffic.requests=80") == 0;
    assert_true(capped);
    /* A batch limit of 4096 above the token budget of 2048 is the budget. */
    int clamped = 0;
    for (int i = 0; i < cases[3].nsets; i++)
        clamped |= strcmp(cases[3].sets[i], "engine.max_batch=2048") == 0;
    assert_true(clamped);
    /* Any burst over replicas: each its share of the prompts (10 over 2). */
    assert_string_equal(cases[4].what, "Llama-2-70B tp 1 x 2, 5 at once each, 128 in 8 out, s per output token");
    check_rel(cases[4].measured_s, 2.0 / 1000.0, 1e-15, "B-x2 measured per replica");
    if (roof_pub_predict(cases, 2, NULL, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    assert_true(isfinite(cases[0].predicted_s) && cases[0].predicted_s > 0.0);
    check_rel(cases[0].predicted_s, cases[1].predicted_s, 1e-15, "one replica's time per token either way");
    free(cases);
}

/* A file without a needed column is an input error naming it. */
static void test_bad(void **state)
{
    (void)state;
    char path[600];
    tmp_text("load-bad", "case_id,source,engine\nA,b,c\n", path, sizeof path);
    roof_pub_case cases[1];
    size_t n = 0;
    roof_pub_skips sk;
    memset(&sk, 0, sizeof sk);
    roof_error err;
    assert_int_equal(roof_pub_load_corpus_load(path, "cfgs", cases, &n, &sk, &err), ROOF_ERR_INPUT);
    unlink(path);
    assert_string_equal(err.where, path);
    assert_string_equal(err.msg, "no column 'model'");
}

/* Static batches (validation/published_serving.c, the loader beside this
 * one): a TTFT row and a request-latency row of one batch, predicted as
 * estimate's TTFT and TTFT + O x TPOT of the same deployment on the H100
 * NVL's own profile, with TensorRT-LLM's overheads; the request latency
 * given in seconds. */
static void test_static(void **state)
{
    (void)state;
    const char *cfgs = getenv("LLMROOF_CONFIGS");
    assert_non_null(cfgs);
    char path[600], vcfgs[600];
    tmp_text("static",
             "case_id,source,engine,model,gpu,gpus,tp,dtype,batch,concurrency,request_rate,input_len,output_len,"
             "metric,value,unit\n"
             "T-ttft,a/b@c,TensorRT-LLM,Llama-2-7b,H100 NVL,2,2,fp8,8,,,2048,128,ttft_ms,250,ms\n"
             "T-e2e,a/b@c,TensorRT-LLM,Llama-2-7b,H100 NVL,2,2,fp8,8,,,2048,128,e2e_ms,2.5,s\n",
             path, sizeof path);
    snprintf(vcfgs, sizeof vcfgs, "%s/../validation/configs", cfgs);
    roof_pub_case *cases = calloc(ROOF_PUB_MAX_CASES, sizeof *cases);
    assert_non_null(cases);
    size_t n = 0;
    roof_error err;
    if (roof_pub_load_corpus_serving(path, vcfgs, cases, &n, NULL, &err) != ROOF_OK ||
        roof_pub_predict(cases, n, NULL, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    unlink(path);
    assert_int_equal(n, 2);
    assert_string_equal(cases[0].group, "serve-ttft-trtllm-h100-nvl");
    assert_string_equal(cases[1].group, "serve-e2e-trtllm-h100-nvl");
    check_rel(cases[1].measured_s, 2.5, 1e-15, "T-e2e measured");
    roof_scenario *s = calloc(1, sizeof *s);
    roof_result *r = calloc(1, sizeof *r);
    assert_true(s && r);
    const char *sets[] = {"workload.batch=8",   "workload.seq_len=2048", "workload.gen_tokens=128",
                          "workload.dtype=fp8", "parallel.tp=2",         "runtime.engine=trtllm"};
    char cfg[700];
    snprintf(cfg, sizeof cfg, "%s/llama2-7b-a100.cfg", vcfgs);
    estimate(cfg, "h100-nvl", sets, 6, s, r);
    check_rel(cases[0].predicted_s, r->metrics.ttft_s, 1e-12, "the batch's TTFT");
    check_rel(cases[1].predicted_s, r->metrics.request_latency_s, 1e-12, "the batch's request latency");
    assert_true(cases[1].predicted_s > cases[0].predicted_s + 127.0 * r->metrics.tpot_s);
    free(s);
    free(r);
    free(cases);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_load),        cmocka_unit_test(test_units),
                                       cmocka_unit_test(test_weight_only), cmocka_unit_test(test_mlperf_offline),
                                       cmocka_unit_test(test_bad),         cmocka_unit_test(test_static)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
