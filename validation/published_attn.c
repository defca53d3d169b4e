/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The attention rows of corpus/attention.csv (corpus/README.md): one fused
 * attention kernel's forward (or forward and backward) on one GPU, timed
 * as the model times its ROOF_OP_FUSED op (model/ops.c flash, its
 * backward model/backward.c): hw/attention.c's roofline over the FLOPs
 * and bytes at the profile's attention fraction, with the exponentials
 * and each query tile's fixed cost. Declared
 * in validation/published_rows.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/profile.h"
#include "validation/published_rows.h"

/* The kernel each GPU generation's attention fraction describes: the
 * fastest FlashAttention of its day, the one serving and training stacks
 * call there (FlashAttention-2 on Ampere, -3 on Hopper, -4 on Blackwell).
 * On Hopper cuDNN's fused flash attention is one of them too: PyTorch's
 * SDPA calls it by default on H100 and newer from 2.5 ("up to 75%
 * speed-up over FlashAttentionV2", PyTorch 2.5 release blog, pytorch.org/
 * blog/pytorch2-5, Oct 2024), and NVIDIA/cudnn-frontend's H200 runs reach
 * 690-700 TFLOP/s forward at head dim 128 where FlashAttention-3 reaches
 * 648-661 on H100 (Shah et al. 2024 Fig. 5; the same tensor peak): its
 * 16-bit rows are H200's (group attn-h200), a second Hopper source.
 * A GPU runs other kernels at other fractions (FlashAttention-2 on H100
 * reaches 370 TFLOP/s where -3 reaches 648: Shah et al. 2024, Fig. 5c):
 * FlashAttention-2 on H100 has a group and a fraction of its own
 * (hw.attention.kernel = fa2, hw.efficiency.attention_fa2); rows of other
 * kernels, and FlashAttention-4's 4.0.0b25 beta (before its register-spill
 * fix), are left out. Matched on the start of the 'gpu' and 'kernel'
 * cells. */
static const struct {
    const char *gpu, *hw, *group, *kernel;
    roof_attn_kernel which;
} attn_gpus[] = {
    {"A100-SXM4", "a100-sxm", "attn-a100", "FlashAttention-2", ROOF_ATTN_KERNEL_NATIVE},
    {"H100-SXM5", "h100-sxm", "attn-h100", "FlashAttention-3", ROOF_ATTN_KERNEL_NATIVE},
    {"H100-SXM5", "h100-sxm", "attn-h100-fa2", "FlashAttention-2", ROOF_ATTN_KERNEL_FA2},
    {"NVIDIA H200", "h200", "attn-h200", "cuDNN SDPA", ROOF_ATTN_KERNEL_CUDNN},
    {"B200", "b200", "attn-b200", "FlashAttention-4 dense (flash_attn_func)", ROOF_ATTN_KERNEL_NATIVE},
    {"B200", "b200", "attn-b200", "FlashAttention-4 varlen", ROOF_ATTN_KERNEL_NATIVE},
    /* One decode step of TensorRT-LLM's attention op (AIConfigurator's
     * tables: corpus/README.md), a group per GPU: it streams the KV cache,
     * which hw.attention.memory and unit_keys describe (hw/attention.c). */
    {"H100-SXM5", "h100-sxm", "attn-dec-h100", "TensorRT-LLM decode", ROOF_ATTN_KERNEL_NATIVE},
    {"H200-SXM", "h200", "attn-dec-h200", "TensorRT-LLM decode", ROOF_ATTN_KERNEL_NATIVE},
    {"B200", "b200", "attn-dec-b200", "TensorRT-LLM decode", ROOF_ATTN_KERNEL_NATIVE},
    {"GB200", "gb200", "attn-dec-gb200", "TensorRT-LLM decode", ROOF_ATTN_KERNEL_NATIVE},
    {"L40S", "l40s", "attn-dec-l40s", "TensorRT-LLM decode", ROOF_ATTN_KERNEL_NATIVE},
    {"RTX PRO 6000", "rtx-pro-6000", "attn-dec-rtx-pro-6000", "TensorRT-LLM decode", ROOF_ATTN_KERNEL_NATIVE},
};

/* A cell that must be a positive whole number. */
static int count_cell(const roof_csv *csv, const char *path, size_t r, int c, double *v, roof_error *err)
{
    int rc = roof_pub_number(csv, path, r, c, v, err);
    if (rc == ROOF_OK && !(*v >= 1.0 && *v == floor(*v))) {
        return roof_error_at(err, ROOF_ERR_INPUT, path, csv->lines[r],
                             "'%s' must be a positive whole number (column '%s')", roof_csv_cell(csv, r, c),
                             csv->cells[c]);
    }
    return rc;
}

int roof_pub_load_corpus_attention(const char *path, roof_pub_case *cases, size_t *n, roof_pub_skips *sk,
                                   roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    enum { ID, SRC, GPU, KERN, DT, PHASE, B, SQ, SKV, H, KVH, D, CAUSAL, TF, US, TRUST, NCOL };
    static const char *const names[NCOL] = {"case_id", "source",   "gpu",       "kernel", "dtype",    "phase",
                                            "batch",   "seqlen_q", "seqlen_kv", "heads",  "kv_heads", "head_dim",
                                            "causal",  "tflops",   "time_us",   "trust"};
    int col[NCOL];
    for (int i = 0; i < NCOL && rc == ROOF_OK; i++)
        rc = roof_pub_need_col(&csv, path, names[i], &col[i], err);
    int kv_col = roof_csv_col(&csv, "kv_dtype");       /* optional: absent or empty = the dtype */
    int floor_col = roof_csv_col(&csv, "overhead_us"); /* optional: absent or empty = the profile's overhead */
    for (size_t r = 0; r < csv.nrows && rc == ROOF_OK; r++) {
        const char *gpu = roof_csv_cell(&csv, r, col[GPU]), *kern = roof_csv_cell(&csv, r, col[KERN]);
        const char *phase = roof_csv_cell(&csv, r, col[PHASE]), *causal = roof_csv_cell(&csv, r, col[CAUSAL]);
        if (strcmp(roof_csv_cell(&csv, r, col[TRUST]), "low") == 0) {
            roof_pub_skip(sk, "attention: trust 'low'");
            continue;
        }
        /* An isolated kernel's forward, backward, or both, or one decode
         * step with its shape; not a share of a training step, a decode
         * kernel without its shape, or a row that does not say which pass
         * it timed. */
        int both = strcmp(phase, "fwd+bwd") == 0, bwd = strcmp(phase, "bwd") == 0;
        int decode = strcmp(phase, "decode") == 0 && strcmp(roof_csv_cell(&csv, r, col[SQ]), "1") == 0;
        if (!both && !bwd && !decode && strcmp(phase, "fwd") != 0) {
            roof_pub_skip(sk, "attention: not one kernel's fwd, bwd, fwd+bwd or decode step (unstated, in a step)");
            continue;
        }
        size_t g = 0;
        while (g < sizeof attn_gpus / sizeof attn_gpus[0] &&
               (strncmp(gpu, attn_gpus[g].gpu, strlen(attn_gpus[g].gpu)) != 0 ||
                strncmp(kern, attn_gpus[g].kernel, strlen(attn_gpus[g].kernel)) != 0))
            g++;
        if (g == sizeof attn_gpus / sizeof attn_gpus[0]) {
            roof_pub_skip(sk, "attention: not a modelled kernel (FA2 Ampere and H100, FA3 H100, cuDNN H200, FA4 B200, "
                              "TensorRT-LLM decode)");
            continue;
        }
        /* cudnn-frontend's prefill sweep states its chunked rows' mask
         * (causal aligned to the bottom right: the last query sees every
         * key) and its whole-prompt rows' by their TFLOP/s count (the
         * causal one: corpus/README.md). */
        int bottom_right = strcmp(causal, "true (bottom-right)") == 0;
        if (strcmp(causal, "yes") != 0 && strcmp(causal, "no") != 0 && !bottom_right &&
            strcmp(causal, "true (inferred)") != 0) {
            roof_pub_skip(sk, "attention: causal not stated, or a mask other than causal (a sliding window)");
            continue;
        }
        /* fp16 where the row says so; bf16 (the same peak on every
         * profile) where it says bf16 or does not say which; an 8-bit
         * kernel (cuDNN's fp8 graph) is not this fraction's. */
        const char *dt = roof_csv_cell(&csv, r, col[DT]);
        if (strncmp(dt, "fp8", 3) == 0) {
            roof_pub_skip(sk, "attention: fp8");
            continue;
        }
        /* One head dim for Q, K and V (DeepSeek-V3's 192 and 128 are not
         * read here). */
        const char *hd = roof_csv_cell(&csv, r, col[D]);
        if (strchr(hd, '/')) {
            roof_pub_skip(sk, "attention: head dims of Q/K and V differ");
            continue;
        }
        roof_dtype dtype = strcmp(dt, "fp16") == 0 ? ROOF_DT_FP16 : ROOF_DT_BF16;
        /* The KV cache's own dtype where the row gives one (a decode
         * step's fp8 cache under bf16 attention). */
        double kv_bytes = roof_dtype_bytes(dtype);
        const char *kvd = kv_col >= 0 ? roof_csv_cell(&csv, r, kv_col) : "";
        if (kvd[0] && strcmp(kvd, "fp8") == 0)
            kv_bytes = 1.0;
        else if (kvd[0] && strcmp(kvd, "bf16") != 0 && strcmp(kvd, "fp16") != 0) {
            rc = roof_error_at(err, ROOF_ERR_INPUT, path, csv.lines[r], "kv_dtype '%s' (expected bf16, fp16 or fp8)",
                               kvd);
            break;
        }
        double floor_s;
        if ((rc = roof_pub_harness_floor(&csv, path, r, floor_col, &floor_s, err)) != ROOF_OK)
            break;
        double b, sq, skv, h, kvh, d, tf = 0.0, us = 0.0;
        if ((rc = count_cell(&csv, path, r, col[B], &b, err)) || (rc = count_cell(&csv, path, r, col[SQ], &sq, err)) ||
            (rc = count_cell(&csv, path, r, col[SKV], &skv, err)) ||
            (rc = count_cell(&csv, path, r, col[H], &h, err)) ||
            (rc = count_cell(&csv, path, r, col[KVH], &kvh, err)) || (rc = count_cell(&csv, path, r, col[D], &d, err)))
            break;
        if (roof_csv_cell(&csv, r, col[US])[0])
            rc = roof_pub_number(&csv, path, r, col[US], &us, err);
        else
            rc = roof_pub_number(&csv, path, r, col[TF], &tf, err);
        if (rc != ROOF_OK)
            break;
        if (!(us > 0.0) && !(tf > 0.0)) {
            rc = roof_error_at(err, ROOF_ERR_INPUT, path, csv.lines[r], "the time or the TFLOP/s must be positive");
            break;
        }
        /* Backward-only rows in a group of their own ("attn-h100-bwd"):
         * the generation's fits take its forward rows (validation/gpu_cv.c),
         * the backward's rate all of them. */
        char group[sizeof cases[0].group];
        snprintf(group, sizeof group, "%s%s", attn_gpus[g].group, bwd ? "-bwd" : "");
        size_t pos = roof_pub_group_count(cases, *n, group);
        roof_pub_case *c = roof_pub_add(cases, n);
        if (!c) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, path, "too many cases (at most %d)", ROOF_PUB_MAX_CASES);
            break;
        }
        int is_causal = causal[0] == 'y' || causal[0] == 't';
        snprintf(c->group, sizeof c->group, "%s", group);
        snprintf(c->id, sizeof c->id, "%s", roof_csv_cell(&csv, r, col[ID]));
        if (decode)
            snprintf(c->what, sizeof c->what, "decode b=%.0f kv=%.0f h=%.0f/%.0f d=%.0f kv %s", b, skv, h, kvh, d,
                     kv_bytes == 1.0 ? "fp8" : roof_dtype_name(dtype));
        else if (sq < skv)
            snprintf(c->what, sizeof c->what, "%s b=%.0f q=%.0f kv=%.0f h=%.0f/%.0f d=%.0f%s", phase, b, sq, skv, h,
                     kvh, d, is_causal ? " causal" : "");
        else
            snprintf(c->what, sizeof c->what, "%s b=%.0f s=%.0f h=%.0f d=%.0f%s", phase, b, sq, h, d,
                     is_causal ? " causal" : "");
        snprintf(c->hw, sizeof c->hw, "%s", attn_gpus[g].hw);
        roof_pub_source_of(roof_csv_cell(&csv, r, col[SRC]), cases, *n - 1, c->source, sizeof c->source);
        c->kind = ROOF_PUB_ATTENTION;
        c->attn_kernel = attn_gpus[g].which;
        c->gemm.dtype = dtype;
        c->part = both ? 2 : bwd ? 1 : 0;
        /* The model's FUSED op (model/ops.c flash): 2 x pairs x (d_qk +
         * d_v) FLOPs over b h s_q keys pairs, a causal query seeing half
         * its keys (FlashAttention's own count: 4 b s^2 h d, halved when
         * causal; Dao 2023 Sec. 4.1, benchmark_flash_attention.py flops());
         * bytes Q and O per query, K and V per key, once each. */
        /* Bottom-right causal, s_q queries over s_kv keys: query i sees
         * s_kv - s_q + i + 1 of them, s_kv - s_q / 2 on average (model/ops.c
         * keys_per_query: a chunk after its cached prefix). */
        double keys = !is_causal ? skv : bottom_right && sq < skv ? skv - 0.5 * sq : 0.5 * skv;
        c->attn.pairs = b * h * sq * keys;
        c->attn.keys = keys;
        c->attn.tiles = decode ? 0.0 : b * h * ceil(sq / ROOF_ATTN_TILE_Q); /* model/ops.c: prefill only */
        c->attn.flops = 2.0 * c->attn.pairs * (d + d);
        c->attn.bytes = b * (2.0 * h * d * sq * roof_dtype_bytes(dtype) + 2.0 * kvh * d * skv * kv_bytes);
        c->harness_overhead_s = floor_s;
        c->attn_decode = decode;
        /* The sources count the backward as 2.5 forwards (5 matmuls to 2:
         * the same factor as model/backward.c), so bwd TFLOP/s is over 2.5
         * forwards and fwd+bwd over 3.5. */
        double passes = both ? 1.0 + ROOF_ATTN_BWD_FLOPS : bwd ? ROOF_ATTN_BWD_FLOPS : 1.0;
        c->measured_s = us > 0.0 ? us * 1e-6 : passes * c->attn.flops / (tf * 1e12);
        c->fit = pos % 2 == 0;
    }
    roof_csv_free(&csv);
    return rc;
}

int roof_pub_predict_attention(roof_pub_case *c, const roof_hw *base, roof_error *err)
{
    roof_hw kernel_hw;
    const roof_hw *hw = base;
    if (c->attn_kernel != base->attn_kernel || c->harness_overhead_s > 0.0) {
        kernel_hw = *base;
        kernel_hw.attn_kernel = c->attn_kernel;
        roof_pub_harness_overhead(c, &kernel_hw);
        hw = &kernel_hw;
    }
    roof_kernel_time f = {0}, bwd = {0};
    int rc = c->part == 1 ? ROOF_OK : roof_attention_time(hw, &c->attn, c->gemm.dtype, 0, &f, err);
    /* The backward as model/backward.c counts it: one more kernel. */
    if (rc == ROOF_OK && c->part != 0) {
        roof_attn_work b = roof_attn_backward(&c->attn);
        rc = roof_attention_time(hw, &b, c->gemm.dtype, 0, &bwd, err);
    }
    c->predicted_s = f.time_s + bwd.time_s;
    return rc;
}
