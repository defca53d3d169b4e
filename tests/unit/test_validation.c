/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The validation library's published rows (its fits: tests/unit/test_fit.c;
 * this host's CPU: tests/unit/test_host_cpu.c): the loaders on small CSVs
 * written here, each bad input with its exact error (validation/published.c,
 * published_train.c), a prediction's errors, and the error paths of the
 * GPU fits and the cross-validation (validation/gpu_fit.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hw/profile.h"
#include "validation/published.h"
#include "validation/published_rows.h"
#include "check.h"

/* ---- The published rows' loaders (published.c, published_train.c) ------- */

/* Minimal valid data: every file roof_pub_load reads, a few rows each. */
static const char GEMM_CSV[] =
    "case_id,source,locator,gpu,library,dtype,m,n,k,batch,tflops,trust,notes\n"
    "G1,Azure/AI-benchmarking-guide @8fd0c6e,loc,A100-SXM4-80GB,cuBLASLt,fp16,1024,1024,1024,1,100,high,\n"
    "G2,deepseek-ai/DeepGEMM,loc,H800-SXM5,DeepGEMM,fp8,64,2112,7168,,1000,high,\n"
    "G3,DeepGEMM,loc,H800-SXM5,DeepGEMM,fp8,128,2112,7168,,1000,high,\n"
    "G4,x/y,loc,TPU-v5,lib,bf16,64,64,64,1,1,high,no profile\n"
    "G5,x/y,loc,A100-SXM,FlashAttention,bf16,seq 2k,,,,150,high,not a GEMM\n"
    "G6,x/y,loc,H100-SXM,cuBLAS,bf16,8192,8192,8192,2,700,high,\n";
static const char ALLREDUCE_CSV[] = "size_bytes,time_us,busbw_GBps\n512,10,0\n1024,20,0\n2048,25,0\n";
static const char TTFT_CSV[] = "case_id,model,input_len,metric,value,notes\n"
                               "T-7B-2048,Llama-2-7B,2048,TTFT,133,128 tokens: 16 ms\n"
                               "T-7B-tput,Llama-2-7B,2048,throughput,5000,\n"
                               "T-mistral,Mistral-7B,2048,TTFT,120,no config\n"
                               "T-70B,Llama-2-70B,512,TTFT,88.5,\n";
static const char TRAIN_CSV[] = "case_id,model,layers,hidden,ffn,heads,vocab,seq_len,global_batch_seqs,micro_batch,tp,"
                                "pp,vp,dp,gpus,recompute,seq_parallel,value\n"
                                "N-1,GPT 1.7B,24,2304,,24,51200,2048,512,,1,1,,32,32,full,no,137\n"
                                "N-2,GPT 18B,40,6144,24576,48,51200,2048,1024,2,8,2,3,4,64,full,yes,135\n";
static const char LAYER_CSV[] = "case_id,value\nK-T4-base,7.7|11.9|19.6\nK-T4-other,1|2|3\n";
static const char CORPUS_CSV[] =
    "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust\n"
    "C1,Azure/AI-benchmarking-guide@8fd0c6e1bd,H100-SXM5-80GB,fp8,1024,1024,1024,1,274.1,,high\n"
    "C2,yosoyjay/AI-benchmarking-guide@abc,MI300X,bf16,2048,2048,2048,,,50,high\n"
    "C3,x/y,GH200,bf16,64,64,64,1,10,,high\n"
    "C4,x/y,A100 PCIe,bf16,64,64,64,1,10,,high\n"
    "C5,x/y,H100 (SKU not stated),bf16,64,64,64,1,10,,low\n"
    "C6,x/y,B200,fp4,64,64,64,1,10,,high\n"
    "C6b,x/y,B200,e8m0,64,64,64,1,10,,high\n"
    "C7,x/y,A100-SXM4,fp8,64,64,64,1,10,,high\n"
    "C8,stas00/ml-engineering,H100 (SKU not stated),bf16,4096,4096,4096,4,600,,medium\n"
    "C9,someone/else,A100-SXM4,fp16,4096,4096,4096,,250,,high\n";

/* corpus/training.csv: one usable tokens/s row, a LoRA row and a model
 * TFLOP/s row whose twin is there (both left out), a NeMo model TFLOP/s
 * row without a twin (kept, converted by NeMo's formula). */
static const char CTRAIN_CSV[] =
    "case_id,source,model,layers,hidden,ffn,heads,kv_heads,vocab,seq_len,global_batch,micro_batch,tp,pp,cp,vp,ep,dp,"
    "gpus,gpu,dtype,metric,value,notes\n"
    "CT1-tokens,x/y@abc,tiny,2,256,512,4,2,1000,1024,8,1,1,1,1,,,8,8,H100-SXM,bf16,tokens_per_s_per_gpu,1000,\n"
    "CT1-model,x/y@abc,tiny,2,256,512,4,2,1000,1024,8,1,1,1,1,,,8,8,H100-SXM,bf16,model_tflops_per_gpu,5,\n"
    "CT2,x/y@abc,tiny,2,256,512,4,2,1000,1024,8,1,1,1,1,,,8,8,H100-SXM,bf16,tokens_per_s_per_gpu,1000,LoRA\n"
    "CT3,NVIDIA/NeMo@abc,tiny,2,256,512,4,2,1000,1024,8,1,1,1,1,,,8,8,H100-SXM,fp8,model_tflops_per_gpu,0.001,\n";

/* corpus/serving.csv: static batches (kept: tokens/s, a TTFT in ms on an
 * H100 NVL, a request latency in s, gpt-fast's batch-1 tokens/s with
 * bf16 and with int4 weights in groups of 32, torchao's; left out: a per-token
 * metric, a latency in an unknown unit, fp4 weights, a group of 32.5
 * elements) and a row at a request rate (left out). */
static const char CSERVE_CSV[] =
    "case_id,source,engine,model,gpu,gpus,tp,dtype,batch,concurrency,request_rate,input_len,output_len,metric,value,"
    "unit,weights_dtype,weights_group\n"
    "S1,a/b@c,TensorRT-LLM,Llama-3-70B,A100-SXM4-80GB,8,8,fp16,16,,,128,8,throughput_tok_s,64,,,\n"
    "S2,a/b@c,vLLM,Llama-3-70B,H100 80GB,8,8,bf16,,,4,128,8,ttft_ms,50,ms,,\n"
    "S3,a/b@c,TensorRT-LLM,Llama-2-7b,H100 NVL,1,1,fp8,8,,,2048,128,ttft_ms,250,ms,,\n"
    "S4,a/b@c,TensorRT-LLM,Llama-2-7b,L40S,2,2,fp8,8,,,2048,128,e2e_ms,2.5,s,,\n"
    "S5,a/b@c,TensorRT-LLM,Llama-2-7b,L40S,2,2,fp8,8,,,2048,128,tpot_ms,20,ms,,\n"
    "S6,a/b@c,TensorRT-LLM,Llama-2-7b,L40S,2,2,fp8,8,,,2048,128,ttft_ms,20,furlongs,,\n"
    "S7,pytorch-labs/gpt-fast@32971d3,gpt-fast,Llama-3.1-8B,A100 80GB,2,2,bf16,1,,,5,200,throughput_tok_s,149.10,"
    "tok/s,,\n"
    "S8,pytorch-labs/gpt-fast@32971d3,gpt-fast,Llama-2-7B,A100 80GB,1,1,bf16,1,,,5,200,throughput_tok_s,196.80,"
    "tok/s,int4,32\n"
    "S9,x/y@z,gpt-fast,Llama-2-7B,A100 80GB,1,1,bf16,1,,,5,200,throughput_tok_s,100,tok/s,fp4,32\n"
    "S10,x/y@z,gpt-fast,Llama-2-7B,A100 80GB,1,1,bf16,1,,,5,200,throughput_tok_s,100,tok/s,int4,32.5\n"
    "S11,pytorch/ao@054717e,torchao,Meta-Llama-3-8B,A100,1,1,bf16,1,,,6,200,throughput_tok_s,95.64,tok/s,,\n";

/* corpus/attention.csv: a FlashAttention-2 fwd+bwd row on A100 (kept)
 * and one that does not say which pass it timed (left out). */
static const char CATTN_CSV[] =
    "case_id,source,gpu,kernel,dtype,phase,batch,seqlen_q,seqlen_kv,heads,kv_heads,head_dim,causal,tflops,time_us,"
    "trust\n"
    "A1,Dao 2023 (arXiv 2307.08691),A100-SXM4-80GB,FlashAttention-2,fp16/bf16,fwd+bwd,2,8192,8192,16,16,128,yes,182,,"
    "medium-high\n"
    "A2,x/y@abc,H100-SXM5-80GB,FlashAttention-2,bf16,unstated,2,8192,8192,16,16,128,no,300,,medium\n";

enum { F_GEMM, F_ALLREDUCE, F_TTFT, F_TRAIN, F_LAYER, F_CORPUS, F_CTRAIN, F_CSERVE, F_CATTN, F_COUNT };
static const char *const FILES[F_COUNT] = {"gemm_measured.csv",     "allreduce_h100_8gpu.csv", "inference_measured.csv",
                                           "training_measured.csv", "layer_measured.csv",      "corpus/gemm.csv",
                                           "corpus/training.csv",   "corpus/serving.csv",      "corpus/attention.csv"};

/* A data folder of its own under $TMPDIR, removed by data_remove. */
typedef struct {
    char dir[512];
    char path[F_COUNT][600];
} data_dir;

static void data_write(data_dir *d, int which, const char *text)
{
    if (!text) { /* the file left out */
        unlink(d->path[which]);
        return;
    }
    FILE *f = fopen(d->path[which], "w");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* The valid files, then text instead of file which (which < 0: none). */
static void data_make(data_dir *d, int which, const char *text)
{
    const char *tmp = getenv("TMPDIR");
    /* d is the caller's, unfilled: this line fills it, and cppcheck's
     * whole-program check reads writing d->dir as a use of it. */
    // cppcheck-suppress ctuuninitvar
    snprintf(d->dir, sizeof d->dir, "%s/llmroof-validation-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    assert_non_null(mkdtemp(d->dir));
    char corpus[600];
    snprintf(corpus, sizeof corpus, "%s/corpus", d->dir);
    assert_int_equal(mkdir(corpus, 0700), 0);
    const char *const base[F_COUNT] = {GEMM_CSV,   ALLREDUCE_CSV, TTFT_CSV,   TRAIN_CSV, LAYER_CSV,
                                       CORPUS_CSV, CTRAIN_CSV,    CSERVE_CSV, CATTN_CSV};
    /* A copy of the directory: GCC's -Wrestrict cannot tell d->dir from
     * d->path[i] under the sanitized build's optimization. */
    char dir[sizeof d->dir];
    memcpy(dir, d->dir, sizeof dir);
    for (int i = 0; i < F_COUNT; i++) {
        snprintf(d->path[i], sizeof d->path[i], "%s/%s", dir, FILES[i]);
        data_write(d, i, i == which ? text : base[i]);
    }
}

static void data_remove(data_dir *d)
{
    for (int i = 0; i < F_COUNT; i++)
        unlink(d->path[i]);
    char corpus[600];
    snprintf(corpus, sizeof corpus, "%s/corpus", d->dir);
    assert_int_equal(rmdir(corpus), 0);
    assert_int_equal(rmdir(d->dir), 0);
}

static const roof_pub_case *find_case(const roof_pub_case *cases, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cases[i].id, id) == 0)
            return &cases[i];
    fail_msg("no case '%s'", id);
    return NULL;
}

static void test_pub_load_good(void **state)
{
    (void)state;
    data_dir d;
    data_make(&d, -1, NULL);
    roof_pub_case *cases;
    size_t n;
    roof_pub_skips sk;
    roof_error err;
    if (roof_pub_load(d.dir, "cfgs", &cases, &n, &sk, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    /* GEMM 4 (of 6: no profile, no number in m), all-reduce 2 (of 3: 512 B
     * is below 1 KiB), TTFT 3 (one row twice, throughput and an unknown
     * model left out), training 2, layers 3 (one variant of 2), corpus 4
     * (of 10), corpus training 2 (of 4), serving 6 (of 11), attention 1 (of
     * 2). */
    assert_int_equal(n, 4 + 2 + 3 + 2 + 3 + 4 + 2 + 6 + 1);
    /* A1: causal, 2 x 16 heads x 8192 queries x 4096 keys x 2 x 256 FLOP
     * forward; fwd+bwd counts 3.5 forwards (Dao 2023 Sec. 4.1): 3.5 x
     * 549755813888 / 182e12 s. Bytes Q, O, K, V once: 2 x 4 x 16 x 128 x
     * 8192 x 2 B. */
    const roof_pub_case *at = find_case(cases, n, "A1");
    assert_true(at->kind == ROOF_PUB_ATTENTION && at->part == 2 && at->fit == 1 && at->gemm.dtype == ROOF_DT_BF16);
    assert_string_equal(at->group, "attn-a100");
    assert_string_equal(at->hw, "a100-sxm");
    assert_string_equal(at->source, "Dao 2023");
    check_rel(at->attn.flops, 549755813888.0, 1e-15, "A1 flops");
    check_rel(at->attn.bytes, 268435456.0, 1e-15, "A1 bytes");
    check_rel(at->measured_s, 3.5 * 549755813888.0 / 182e12, 1e-12, "A1 time");
    /* S1: 16 prompts x 8 output tokens / 64 tokens/s = 2 s for the
     * batch's requests (TensorRT-LLM's gpt_benchmark.py counts output
     * tokens only), with TensorRT-LLM's runtime. */
    const roof_pub_case *sv = find_case(cases, n, "S1");
    assert_string_equal(sv->group, "serve-trtllm-a100-sxm");
    assert_true(sv->kind == ROOF_PUB_REQUEST && sv->fit == 0);
    check_rel(sv->measured_s, 2.0, 1e-12, "S1 time");
    assert_string_equal(sv->sets[5], "runtime.engine=trtllm");
    assert_int_equal(sv->serve_metric, ROOF_PUB_SERVE_E2E);
    /* S3: the batch's first token, 250 ms, on the H100 NVL's own profile
     * (not the SXM's, whose name "H100" begins it); S4: the request
     * latency given in seconds, on the L40S. */
    sv = find_case(cases, n, "S3");
    assert_string_equal(sv->group, "serve-ttft-trtllm-h100-nvl");
    assert_string_equal(sv->hw, "h100-nvl");
    assert_true(sv->kind == ROOF_PUB_REQUEST && sv->serve_metric == ROOF_PUB_SERVE_TTFT);
    check_rel(sv->measured_s, 0.25, 1e-12, "S3 time");
    assert_string_equal(sv->config, "cfgs/llama2-7b-a100.cfg");
    sv = find_case(cases, n, "S4");
    assert_true(strcmp(sv->group, "serve-e2e-trtllm-l40s") == 0 && sv->serve_metric == ROOF_PUB_SERVE_E2E);
    check_rel(sv->measured_s, 2.5, 1e-12, "S4 time");
    /* S7: gpt-fast's 200 tokens of one sequence at 149.10 tokens/s =
     * 1.341381623... s, on the pure model (no engine: runtime none), by
     * the README's base-checkpoint name. */
    sv = find_case(cases, n, "S7");
    assert_string_equal(sv->group, "serve-none-a100-sxm");
    assert_string_equal(sv->config, "cfgs/llama3.1-8b-serve.cfg");
    assert_string_equal(sv->sets[5], "runtime.engine=none");
    assert_string_equal(sv->source, "pytorch-labs/gpt-fast");
    check_rel(sv->measured_s, 200.0 / 149.10, 1e-12, "S7 time");
    assert_int_equal(sv->nsets, 6); /* no weights dtype: the row's own */
    /* S8: int4 weights in groups of 32, set on the config. */
    sv = find_case(cases, n, "S8");
    assert_int_equal(sv->nsets, 8);
    assert_string_equal(sv->sets[6], "workload.weights_dtype=int4");
    assert_string_equal(sv->sets[7], "workload.weights_group=32");
    /* S11: torchao's loop is gpt-fast's (no engine), by its checkpoint's
     * name: 200 tokens at 95.64 tokens/s. */
    sv = find_case(cases, n, "S11");
    assert_string_equal(sv->group, "serve-none-a100-sxm");
    assert_string_equal(sv->config, "cfgs/llama3.1-8b-serve.cfg");
    assert_string_equal(sv->sets[5], "runtime.engine=none");
    check_rel(sv->measured_s, 200.0 / 95.64, 1e-12, "S11 time");
    /* CT1: 8 sequences x 1024 tokens / (1000 tokens/s/GPU x 8 GPUs)
     * = 1.024 s. CT3 by NeMo's formula: F = B s l h^2 (12 + 12 g/a + 18 f/h
     * + 12 s/h + 6 V/(l h)) = 8 * 1024 * 2 * 256^2 * (12 + 6 + 36 + 48 +
     * 11.71875) = 1073741824 * 113.71875 = 1.22105e11 FLOP, over 0.001
     * TFLOP/s x 8 GPUs = 8e9 FLOP/s: 15.2632 s. */
    const roof_pub_case *t = find_case(cases, n, "CT1-tokens");
    assert_string_equal(t->group, "train-h100");
    assert_string_equal(t->source, "x/y");
    check_rel(t->measured_s, 1.024, 1e-12, "CT1 time");
    t = find_case(cases, n, "CT3");
    check_rel(t->measured_s, 1073741824.0 * 113.71875 / 8e9, 1e-12, "CT3 time");
    assert_string_equal(t->source, "NVIDIA/NeMo");
    const roof_pub_case *c = find_case(cases, n, "G1");
    assert_string_equal(c->group, "gemm-a100");
    assert_string_equal(c->hw, "a100-sxm");
    assert_string_equal(c->source, "Azure/AI-benchmarking-guide");
    assert_string_equal(c->what, "m=1024 n=1024 k=1024 fp16");
    assert_true(c->kind == ROOF_PUB_GEMM && c->gemm.dtype == ROOF_DT_FP16 && c->fit == 1);
    check_rel(c->measured_s, 2.0 * 1024.0 * 1024.0 * 1024.0 / 100e12, 1e-15, "G1 time");
    /* The bare "DeepGEMM" is the earlier row's owner/name; the group's
     * rows alternate between fitting and checking; an empty batch is 1. */
    c = find_case(cases, n, "G2");
    assert_true(strcmp(c->group, "gemm-h800") == 0 && c->fit == 1 && c->gemm.dtype == ROOF_DT_FP8 &&
                c->gemm.batch == 1);
    c = find_case(cases, n, "G3");
    assert_true(strcmp(c->source, "deepseek-ai/DeepGEMM") == 0 && c->fit == 0);
    /* gemm-mamf rows only check; a batch of 2 doubles the FLOP. */
    c = find_case(cases, n, "G6");
    assert_true(strcmp(c->group, "gemm-mamf") == 0 && c->fit == 0 && c->gemm.batch == 2);
    check_rel(c->measured_s, 2.0 * 2.0 * 8192.0 * 8192.0 * 8192.0 / 700e12, 1e-15, "G6 time");
    c = find_case(cases, n, "AR-1024");
    assert_true(c->kind == ROOF_PUB_ALLREDUCE && c->fit == 1 && c->comm.bytes == 1024.0 && c->comm.group == 8);
    check_rel(c->measured_s, 20e-6, 1e-15, "AR-1024 time");
    assert_int_equal(find_case(cases, n, "AR-2048")->fit, 0);
    assert_string_equal(c->what, "all_reduce 1024 B over 8");
    /* The note's 128-token time is a case of its own, named after the
     * row's id up to its last '-'. */
    c = find_case(cases, n, "T-7B-2048");
    assert_true(c->kind == ROOF_PUB_TTFT && c->seq_len == 2048);
    check_rel(c->measured_s, 133e-3, 1e-15, "T-7B-2048 time");
    assert_string_equal(c->config, "cfgs/llama2-7b-a100.cfg");
    c = find_case(cases, n, "T-7B-128");
    assert_int_equal(c->seq_len, 128);
    check_rel(c->measured_s, 16e-3, 1e-15, "T-7B-128 time");
    c = find_case(cases, n, "T-70B");
    assert_string_equal(c->config, "cfgs/llama2-70b-a100-tp4.cfg");
    check_rel(c->measured_s, 88.5e-3, 1e-15, "T-70B time");
    /* Narayanan's Eq. 3 by hand: 96 B s l h^2 (1 + s / 6h + V / 16 l h)
     * over TFLOP/s x GPUs; no ffn: 4h, no microbatch: 1, so 512 / 32 = 16
     * microbatches; 32 GPUs on 4 nodes. */
    c = find_case(cases, n, "N-1");
    double f1 = 96.0 * 512 * 2048 * 24 * 2304.0 * 2304.0 * (1.0 + 2048.0 / (6.0 * 2304) + 51200.0 / (16.0 * 24 * 2304));
    check_rel(c->measured_s, f1 / (137e12 * 32), 1e-13, "N-1 step");
    assert_true(c->kind == ROOF_PUB_TRAIN_STEP && c->fit == 1 && c->nsets == 15);
    const char *sets1[] = {"model.ffn_hidden=9216",   "workload.microbatches=16",
                           "workload.recompute=full", "parallel.sp=false",
                           "parallel.vp=1",           "hw.network.cluster.size=4"};
    for (size_t s = 0; s < sizeof sets1 / sizeof sets1[0]; s++) {
        int found = 0;
        for (int i = 0; i < c->nsets; i++)
            found |= strcmp(c->sets[i], sets1[s]) == 0;
        if (!found)
            fail_msg("N-1 lacks --set %s", sets1[s]);
    }
    c = find_case(cases, n, "N-2");
    assert_true(c->fit == 0);
    assert_string_equal(c->what, "GPT 18B, tp 8 pp 2 dp 4, 64 GPUs, batch 1024");
    /* 1024 / (4 x 2) = 128 microbatches of 2; 64 GPUs on 8 nodes. */
    assert_string_equal(c->sets[7], "workload.microbatches=128");
    assert_string_equal(c->sets[9], "parallel.sp=true");
    assert_string_equal(c->sets[12], "parallel.vp=3");
    assert_string_equal(c->sets[14], "hw.network.cluster.size=8");
    c = find_case(cases, n, "K-T4-base-bwd");
    assert_true(c->kind == ROOF_PUB_LAYER && c->part == 1 && c->nsets == 2);
    check_rel(c->measured_s, 11.9e-3, 1e-15, "K-T4-base-bwd time");
    assert_string_equal(c->what, "22B layer bwd, sp false, recompute none");
    check_rel(find_case(cases, n, "K-T4-base-combined")->measured_s, 19.6e-3, 1e-15, "combined");
    /* The corpus: the fork's rows are the original's; a time in us where
     * no rate is given; unknown sources report as gemm-corpus. */
    c = find_case(cases, n, "C1");
    assert_true(strcmp(c->group, "gemm-azure") == 0 && strcmp(c->hw, "h100-sxm") == 0 && c->fit == 1);
    c = find_case(cases, n, "C2");
    assert_true(strcmp(c->source, "Azure/AI-benchmarking-guide") == 0 && strcmp(c->group, "gemm-azure") == 0);
    assert_true(c->fit == 0 && strcmp(c->hw, "mi300x") == 0);
    check_rel(c->measured_s, 50e-6, 1e-15, "C2 time");
    c = find_case(cases, n, "C8");
    assert_true(strcmp(c->group, "gemm-mle") == 0 && c->gemm.batch == 4.0);
    assert_string_equal(c->what, "4 x m=4096 n=4096 k=4096 bf16");
    c = find_case(cases, n, "C9");
    assert_true(strcmp(c->group, "gemm-corpus") == 0 && c->fit == 1);
    /* The skipped corpus rows by reason, in the order first met: five from
     * corpus/gemm.csv (C6's fp4 before C6b's unknown e8m0), then
     * corpus/training.csv's LoRA row (met first, as CT2 comes after
     * CT1-model) and its model TFLOP/s twin. */
    assert_int_equal(sk.n, 13);
    assert_string_equal(sk.reason[12],
                        "attention: not one kernel's fwd, bwd, fwd+bwd or decode step (unstated, in a step)");
    assert_string_equal(sk.reason[11], "at a request rate: number of prompts not stated");
    assert_string_equal(sk.reason[9], "weights dtype other than int8 or int4");
    assert_string_equal(sk.reason[10], "weights group not a whole number of elements, or without a weights dtype");
    assert_string_equal(sk.reason[7], "static-batch metric other than tokens/s, TTFT or request latency");
    assert_string_equal(sk.reason[8], "static-batch latency in a unit other than s, ms, us or ns");
    assert_string_equal(sk.reason[5], "model TFLOP/s twin of a tokens/s row (kept once)");
    assert_string_equal(sk.reason[6], "LoRA fine-tuning (frozen base weights: no weight gradients, not modelled)");
    assert_string_equal(sk.reason[0], "GPU without a built-in profile");
    assert_int_equal(sk.rows[0], 2);
    assert_string_equal(sk.reason[1], "trust 'low'");
    assert_string_equal(sk.reason[2], "fp4: its kernels' own floor is not modelled (compared apart)");
    assert_string_equal(sk.reason[3], "dtype llmroof does not model");
    assert_string_equal(sk.reason[4], "dtype without a peak in the profile");
    assert_true(sk.rows[1] == 1 && sk.rows[2] == 1 && sk.rows[3] == 1 && sk.rows[4] == 1);
    roof_pub_free(cases);
    /* The skips are optional. */
    assert_int_equal(roof_pub_load(d.dir, "cfgs", &cases, &n, NULL, &err), ROOF_OK);
    assert_int_equal(n, 27);
    roof_pub_free(cases);
    data_remove(&d);
}

/* ROOF_PUB_MAX_CASES GEMM rows fill the case array. */
static char *gemm_rows(size_t rows)
{
    const char *head = "case_id,source,locator,gpu,library,dtype,m,n,k,batch,tflops,trust,notes\n";
    size_t cap = strlen(head) + rows * 64 + 1, k = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    k += (size_t)snprintf(s, cap, "%s", head);
    for (size_t r = 0; r < rows; r++)
        k += (size_t)snprintf(s + k, cap - k, "R%zu,x/y,l,A100-SXM,lib,bf16,64,64,64,1,10,high,\n", r);
    return s;
}

/* Loads d (with file which replaced by text) and checks the error: where is
 * the file's path, followed by suffix (":LINE" or ""). */
static void load_bad(int which, const char *text, int gemm_full, const char *suffix, const char *msg)
{
    data_dir d;
    data_make(&d, which, text);
    if (gemm_full) {
        /* The GEMM rows fill (gemm_full - 1 short of) the array; the other
         * files before `which` add no rows. */
        char *g = gemm_rows(ROOF_PUB_MAX_CASES - (size_t)(gemm_full - 1));
        data_write(&d, F_GEMM, g);
        free(g);
        const char *empty[F_COUNT] = {NULL,
                                      "size_bytes,time_us\n512,10\n",
                                      "case_id,model,input_len,metric,value,notes\n",
                                      "case_id,model,layers,hidden,ffn,heads,vocab,seq_len,global_batch_seqs,"
                                      "micro_batch,tp,pp,vp,dp,gpus,recompute,seq_parallel,value\n",
                                      "case_id,value\n",
                                      "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust\n"};
        for (int i = F_ALLREDUCE; i < F_COUNT; i++)
            if (i != which)
                data_write(&d, i, empty[i]);
    }
    roof_pub_case sentinel, *cases = &sentinel;
    size_t n = 99;
    roof_error err;
    int rc = roof_pub_load(d.dir, "cfgs", &cases, &n, NULL, &err);
    char where[700];
    snprintf(where, sizeof where, "%s%s", d.path[which], suffix);
    if (rc != ROOF_ERR_INPUT || strcmp(err.where, where) != 0 || strcmp(err.msg, msg) != 0)
        fail_msg("%s: got %d '%s: %s', want '%s: %s'", FILES[which], rc, err.where, err.msg, where, msg);
    assert_null(cases);
    assert_int_equal(n, 0);
    data_remove(&d);
}

static void test_pub_load_bad_gemm(void **state)
{
    (void)state;
    load_bad(F_GEMM, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_GEMM,
             "case_id,source,locator,gpu,library,dtype,m,n,k,batch,tflops\n"
             "G1,x/y,l,A100-SXM,lib,bf16,64,64,64,-1,10\n",
             0, ":2", "'-1' must be positive (column 'batch')");
    load_bad(F_GEMM,
             "case_id,source,locator,gpu,library,dtype,m,n,k,batch,tflops\n"
             "G0,x/y,l,TPU,lib,bf16,1,1,1,1,1\n"
             "G1,x/y,l,A100-SXM,lib,bf16,64,0,64,1,10\n",
             0, ":3", "'0' must be positive (column 'n')");
    load_bad(F_GEMM, "case_id,source,gpu,m,n,k,batch,tflops\n", 0, "", "no column 'dtype'");
    char *g = gemm_rows(ROOF_PUB_MAX_CASES + 1);
    load_bad(F_GEMM, g, 0, "", "too many cases (at most 4096)");
    free(g);
}

static void test_pub_load_bad_allreduce(void **state)
{
    (void)state;
    load_bad(F_ALLREDUCE, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_ALLREDUCE, "size_bytes,busbw_GBps\n1024,1\n", 0, "", "no column 'time_us'");
    load_bad(F_ALLREDUCE, "time_us\n1\n", 0, "", "no column 'size_bytes'");
    load_bad(F_ALLREDUCE, "size_bytes,time_us\n1024,20\nabc,3\n", 0, ":3",
             "'abc' is not a number (column 'size_bytes')");
    /* strtod reads "inf"; a measurement must be finite. */
    load_bad(F_ALLREDUCE, "size_bytes,time_us\ninf,3\n", 0, ":2", "'inf' is not a number (column 'size_bytes')");
    load_bad(F_ALLREDUCE, "size_bytes,time_us\n2048,0\n", 0, ":2", "'0' must be positive (column 'time_us')");
    load_bad(F_ALLREDUCE, "size_bytes,time_us\n2048,20\n", 1, "", "too many cases (at most 4096)");
}

static void test_pub_load_bad_ttft(void **state)
{
    (void)state;
    const char *head = "case_id,model,input_len,metric,value,notes\n";
    char text[512];
    load_bad(F_TTFT, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_TTFT, "case_id,model,input_len,metric,value\n", 0, "", "no column 'notes'");
    snprintf(text, sizeof text, "%sT1,Llama-2-7B,0,TTFT,16,\n", head);
    load_bad(F_TTFT, text, 0, ":2", "'0' must be positive (column 'input_len')");
    snprintf(text, sizeof text, "%sT1,Llama-2-7B,128,TTFT,16ms,\n", head);
    load_bad(F_TTFT, text, 0, ":2", "'16ms' is not a number (column 'value')");
    snprintf(text, sizeof text, "%sT1,Llama-2-7B,128,TTFT,16,\n", head);
    load_bad(F_TTFT, text, 1, "", "too many cases (at most 4096)");
    /* One place left: the row fits, its 128-token note does not. */
    snprintf(text, sizeof text, "%sT1-2048,Llama-2-7B,2048,TTFT,133,128 tokens: 16 ms\n", head);
    load_bad(F_TTFT, text, 2, "", "too many cases (at most 4096)");
}

static void test_pub_load_bad_training(void **state)
{
    (void)state;
    char text[1024];
    const char *head = "case_id,model,layers,hidden,ffn,heads,vocab,seq_len,global_batch_seqs,micro_batch,tp,pp,vp,dp,"
                       "gpus,recompute,seq_parallel,value\n";
    load_bad(F_TRAIN, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_TRAIN, "case_id,model,layers\n", 0, "", "no column 'hidden'");
    snprintf(text, sizeof text,
             "%sN-1,GPT,24,2304,,24,51200,2048,512,,1,1,,32,32,full,no,137\nN-2,GPT,x,2304,,24,51200,2048,512,,1,1,,32,"
             "32,full,no,137\n",
             head);
    load_bad(F_TRAIN, text, 0, ":3", "'x' is not a number (column 'layers')");
    snprintf(text, sizeof text, "%sN-1,GPT,24,2304,4h,24,51200,2048,512,,1,1,,32,32,full,no,137\n", head);
    load_bad(F_TRAIN, text, 0, ":2", "'4h' is not a number (column 'ffn')");
    snprintf(text, sizeof text, "%sN-1,GPT,24,2304,,24,51200,2048,512,one,1,1,,32,32,full,no,137\n", head);
    load_bad(F_TRAIN, text, 0, ":2", "'one' is not a number (column 'micro_batch')");
    snprintf(text, sizeof text, "%sN-1,GPT,24,2304,,24,51200,2048,512,,1,1,?,32,32,full,no,137\n", head);
    load_bad(F_TRAIN, text, 0, ":2", "'?' is not a number (column 'vp')");
    snprintf(text, sizeof text, "%sN-1,GPT,24,2304,,24,51200,2048,512,,1,1,,32,32,full,no,137\n", head);
    load_bad(F_TRAIN, text, 1, "", "too many cases");
}

static void test_pub_load_bad_layers(void **state)
{
    (void)state;
    load_bad(F_LAYER, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_LAYER, "value\n1|2|3\n", 0, "", "no column 'case_id'");
    load_bad(F_LAYER, "case_id\nK-T4-sp\n", 0, "", "no column 'value'");
    /* Two parts, four, another separator, an empty part, not positive, not
     * a number. */
    const char *values[] = {"7.7|11.9", "7.7|11.9|19.6|1", "7.7,11.9,19.6", "|11.9|19.6", "7.7|0|19.6", "7.7|11.9|nan"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char text[256], msg[256];
        snprintf(text, sizeof text, "case_id,value\nK-T4-full,1|2|3\nK-T4-sel,\"%s\"\n", values[i]);
        snprintf(msg, sizeof msg, "expected FWD|BWD|COMBINED milliseconds in column 'value' (got '%s')", values[i]);
        load_bad(F_LAYER, text, 0, ":3", msg);
    }
    load_bad(F_LAYER, "case_id,value\nK-T4-selsp,1|2|3\n", 1, "", "too many cases");
    /* Two places left: the forward and backward cases fit, the combined
     * one does not. */
    load_bad(F_LAYER, "case_id,value\nK-T4-selsp,1|2|3\n", 3, "", "too many cases");
}

static void test_pub_load_bad_corpus(void **state)
{
    (void)state;
    const char *head = "case_id,source,gpu,dtype,m,n,k,batch,tflops,time_us,trust\n";
    char text[512];
    load_bad(F_CORPUS, NULL, 0, "", "cannot read data: No such file or directory");
    load_bad(F_CORPUS, "case_id,source,gpu,dtype,m,n,k,batch,tflops,trust\n", 0, "", "no column 'time_us'");
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,0,1,10,,high\n", head);
    load_bad(F_CORPUS, text, 0, ":2", "'0' must be positive (column 'k')");
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,64,-2,10,,high\n", head);
    load_bad(F_CORPUS, text, 0, ":2", "'-2' must be positive (column 'batch')");
    /* No rate: the time must be there and positive. */
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,64,,,,high\n", head);
    load_bad(F_CORPUS, text, 0, ":2", "'' is not a number (column 'time_us')");
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,64,,,-5,high\n", head);
    load_bad(F_CORPUS, text, 0, ":2", "'-5' must be positive (column 'time_us')");
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,64,,-1,,high\n", head);
    load_bad(F_CORPUS, text, 0, ":2", "'-1' must be positive (column 'tflops')");
    snprintf(text, sizeof text, "%sC1,x/y,H100,bf16,64,64,64,,10,,high\n", head);
    load_bad(F_CORPUS, text, 1, "", "too many cases (at most 4096)");
}

/* A case on a profile that does not exist, and a training case whose
 * config cannot be read, fail their prediction with the loader's error. */
static void test_pub_predict_bad(void **state)
{
    (void)state;
    roof_pub_case c;
    memset(&c, 0, sizeof c);
    snprintf(c.hw, sizeof c.hw, "tpu-v9000");
    c.kind = ROOF_PUB_GEMM;
    c.gemm = (roof_gemm){1, 64, 64, 64, ROOF_DT_BF16, 0, 0.0};
    roof_error err;
    assert_int_equal(roof_pub_predict(&c, 1, NULL, &err), ROOF_ERR_USAGE);
    check_err(&err, ROOF_ERR_USAGE, "--hw", "unknown hardware profile 'tpu-v9000' (see 'llmroof hw list')");
    snprintf(c.hw, sizeof c.hw, "a100-sxm");
    c.kind = ROOF_PUB_TRAIN_STEP;
    snprintf(c.config, sizeof c.config, "/nonexistent/megatron.cfg");
    assert_int_equal(roof_pub_predict(&c, 1, NULL, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.where, "/nonexistent/megatron.cfg");
    /* No cases: nothing to predict. */
    assert_int_equal(roof_pub_predict(&c, 0, NULL, &err), ROOF_OK);
}

/* ---- The GPU fits and the cross-validation (gpu_fit.c) ----------------- */

static void gemm_case(roof_pub_case *c, const char *group, const char *hw, const char *source, int fit)
{
    memset(c, 0, sizeof *c);
    snprintf(c->group, sizeof c->group, "%s", group);
    snprintf(c->id, sizeof c->id, "%s-%s", group, source);
    snprintf(c->hw, sizeof c->hw, "%s", hw);
    snprintf(c->source, sizeof c->source, "%s", source);
    c->kind = ROOF_PUB_GEMM;
    c->gemm = (roof_gemm){1, 4096, 4096, 4096, ROOF_DT_BF16, 0, 0.0};
    c->fit = fit;
    c->measured_s = 1e-3;
}

static void test_pub_fit_bad(void **state)
{
    (void)state;
    roof_pub_fit fit;
    roof_pub_case c[2];
    roof_error err;
    /* Four documented fits, and the training fractions of H100, B200 and
     * GB200 (validation/gpu_fit.c). */
    assert_int_equal(roof_pub_fit_count(), 7);
    assert_int_equal(roof_pub_fit_run(7, c, 0, &fit, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "fit", "no fit 7");
    /* The A100 fit has 3 parameters and no rows. */
    assert_int_equal(roof_pub_fit_run(0, c, 0, &fit, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "fit", "0 cases cannot determine 3 parameters");
    assert_string_equal(fit.group, "gemm-a100");
    assert_int_equal(fit.nfit, 0);
    /* A check row on a profile that does not exist fails before the fit;
     * as a fit row it fails inside the fit, with the same error. */
    gemm_case(&c[0], "gemm-a100", "tpu-v9000", "x/y", 0);
    assert_int_equal(roof_pub_fit_run(0, c, 1, &fit, &err), ROOF_ERR_USAGE);
    check_err(&err, ROOF_ERR_USAGE, "--hw", "unknown hardware profile 'tpu-v9000' (see 'llmroof hw list')");
    assert_int_equal(fit.ncheck, 1);
    /* The sustained fraction: 1 parameter, 1 fit row. */
    gemm_case(&c[0], "train-megatron", "tpu-v9000", "x/y", 1);
    assert_int_equal(roof_pub_fit_run(3, c, 1, &fit, &err), ROOF_ERR_USAGE);
    check_err(&err, ROOF_ERR_USAGE, "--hw", "unknown hardware profile 'tpu-v9000' (see 'llmroof hw list')");
    assert_int_equal(fit.nfit, 1);
}

static void test_cv_bad(void **state)
{
    (void)state;
    static roof_pub_case c[ROOF_CV_MAX_SOURCES + 1];
    roof_pub_cv cv;
    roof_error err;
    /* 17 sources: one more than the folds hold. */
    for (int i = 0; i <= ROOF_CV_MAX_SOURCES; i++) {
        char src[32];
        snprintf(src, sizeof src, "src/%d", i);
        gemm_case(&c[i], "gemm-mamf", "h100-sxm", src, 0);
    }
    assert_int_equal(roof_pub_cv_run(c, ROOF_CV_MAX_SOURCES + 1, ROOF_CV_DEFAULT, &cv, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "validate", "more than 32 sources");
    assert_true(cv.insample_s == NULL && cv.cv_s == NULL && cv.params == NULL);
    /* A row on a profile outside the set: inside a fit that selects it
     * (gemm-a100's group), or when the rows are predicted. */
    gemm_case(&c[0], "gemm-a100", "a100-pcie", "x/y", 1);
    assert_int_equal(roof_pub_cv_run(c, 1, ROOF_CV_DEFAULT, &cv, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "validate", "'a100-pcie' is not a profile of the cross-validation");
    assert_null(cv.params);
    gemm_case(&c[0], "gemm-test", "a100-pcie", "x/y", 1);
    assert_int_equal(roof_pub_cv_run(c, 1, ROOF_CV_DEFAULT, &cv, &err), ROOF_ERR_RUNTIME);
    check_err(&err, ROOF_ERR_RUNTIME, "validate", "'a100-pcie' is not a profile of the cross-validation");
    /* The A100 fraction's prior is ml-engineering's MAMF row: with that
     * source held out and no A100 row left, the fold has no honest value
     * (in-sample, its one row fits the fraction). */
    gemm_case(&c[0], "gemm-a100", "a100-sxm", "stas00/ml-engineering", 1);
    assert_int_equal(roof_pub_cv_run(c, 1, ROOF_CV_DEFAULT, &cv, &err), ROOF_ERR_RUNTIME);
    check_err(
        &err, ROOF_ERR_RUNTIME, "fit",
        "the prior of 'hw.efficiency.compute' (gemm-a100) comes from the held-out source 'stas00/ml-engineering'");
    /* Freeing nothing, or twice, is harmless. */
    roof_pub_cv_free(NULL);
    roof_pub_cv_free(&cv);
    assert_null(cv.insample_s);
}

/* The reasons a row is left out: one slot each, counted; past the table's
 * last slot every further reason is counted under "other reasons", so no
 * row goes uncounted. */
static void test_pub_skips_full(void **state)
{
    (void)state;
    static char names[ROOF_PUB_MAX_SKIPS + 6][16];
    roof_pub_skips sk;
    memset(&sk, 0, sizeof sk);
    roof_pub_skip(&sk, "first");
    roof_pub_skip(&sk, "first");
    assert_int_equal(sk.n, 1);
    assert_int_equal(sk.rows[0], 2);
    for (int i = 0; i < ROOF_PUB_MAX_SKIPS + 6; i++) {
        snprintf(names[i], sizeof names[i], "reason %d", i);
        roof_pub_skip(&sk, names[i]);
    }
    assert_int_equal(sk.n, ROOF_PUB_MAX_SKIPS);
    assert_string_equal(sk.reason[ROOF_PUB_MAX_SKIPS - 2], "reason 61");
    assert_string_equal(sk.reason[ROOF_PUB_MAX_SKIPS - 1], ROOF_PUB_SKIP_OTHER);
    /* 2 + 70 rows: 62 in their own slots, 8 in the last */
    size_t total = 0;
    for (size_t i = 0; i < sk.n; i++)
        total += sk.rows[i];
    assert_int_equal(total, 2 + ROOF_PUB_MAX_SKIPS + 6);
    assert_int_equal(sk.rows[ROOF_PUB_MAX_SKIPS - 1], 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pub_load_good),
        cmocka_unit_test(test_pub_skips_full),
        cmocka_unit_test(test_pub_load_bad_gemm),
        cmocka_unit_test(test_pub_load_bad_allreduce),
        cmocka_unit_test(test_pub_load_bad_ttft),
        cmocka_unit_test(test_pub_load_bad_training),
        cmocka_unit_test(test_pub_load_bad_layers),
        cmocka_unit_test(test_pub_load_bad_corpus),
        cmocka_unit_test(test_pub_predict_bad),
        cmocka_unit_test(test_pub_fit_bad),
        cmocka_unit_test(test_cv_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
