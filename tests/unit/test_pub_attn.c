/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The attention rows of corpus/attention.csv (validation/published_attn.c):
 * cuDNN's fused flash attention on H200 is H200's native kernel (group
 * attn-h200, its backward attn-h200-bwd), its time as printed; an 8-bit
 * row, a row whose Q/K and V head dims differ and a sliding-window row
 * are left out with their reasons; a kernel or GPU the loader does not
 * know is too. A decode step of TensorRT-LLM's attention (AIConfigurator's
 * tables) reads its KV cache in the row's kv_dtype and carries its
 * harness's floor; a kv_dtype the loader does not know is an error with
 * its file and line. */
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

#include "hw/profile.h"
#include "pub_load.h"
#include "validation/published.h"
#include "validation/published_rows.h"

#define HEAD                                                                                                        \
    "case_id,source,gpu,kernel,dtype,phase,batch,seqlen_q,seqlen_kv,heads,kv_heads,head_dim,causal,tflops,time_us," \
    "trust\n"
#define CUDNN "a/b@c,NVIDIA H200,cuDNN SDPA (graph API)"
static const char CSV[] =
    HEAD "FWD," CUDNN ",bf16,fwd,1,8192,8192,64,8,128,yes,644,1708,high\n"
         "BWD," CUDNN ",bf16,bwd,1,8192,8192,64,8,128,no,594,9262,high\n"
         "FP8," CUDNN ",fp8 (cuDNN fp8 graph),fwd,1,8192,8192,64,8,128,yes,900,1200,high\n"
         "MLA," CUDNN ",bf16,fwd,1,8192,8192,128,128,192 (qk) / 128 (vo),yes,500,3000,high\n"
         "SWA," CUDNN ",bf16,fwd,2,8192,8192,64,8,64,yes (sliding window 1024),300,400,high\n"
         "OTHER,a/b@c,NVIDIA H200,FlexAttention,bf16,fwd,1,8192,8192,64,8,128,yes,400,2000,high\n";

static size_t skipped(const roof_pub_skips *sk, const char *reason)
{
    for (size_t i = 0; i < sk->n; i++)
        if (strcmp(sk->reason[i], reason) == 0)
            return sk->rows[i];
    return 0;
}

static void test_cudnn_h200(void **state)
{
    (void)state;
    size_t n;
    roof_pub_skips sk;
    roof_pub_case *cases = pub_loaded(roof_pub_load_corpus_attention, CSV, &n, &sk);
    assert_int_equal(n, 2);
    assert_string_equal(cases[0].id, "FWD");
    assert_string_equal(cases[0].group, "attn-h200");
    assert_string_equal(cases[0].hw, "h200");
    assert_int_equal(cases[0].part, 0);
    /* The time as printed (1708 us), not the TFLOP/s's (about 1707). */
    assert_true(fabs(cases[0].measured_s - 1708e-6) < 1e-12);
    /* causal: each query sees half its keys; GQA: K and V of 8 heads. */
    assert_true(cases[0].attn.keys == 4096.0);
    assert_true(cases[0].attn.pairs == 64.0 * 8192.0 * 4096.0);
    assert_string_equal(cases[1].group, "attn-h200-bwd");
    assert_int_equal(cases[1].part, 1);
    assert_true(cases[1].attn.keys == 8192.0);
    assert_int_equal(skipped(&sk, "attention: fp8"), 1);
    assert_int_equal(skipped(&sk, "attention: head dims of Q/K and V differ"), 1);
    assert_int_equal(skipped(&sk, "attention: causal not stated, or a mask other than causal (a sliding window)"), 1);
    assert_int_equal(skipped(&sk,
                             "attention: not a modelled kernel (FA2 Ampere and H100, FA3 H100, cuDNN H200, FA4 B200, "
                             "TensorRT-LLM decode)"),
                     1);
    free(cases);
}

#define DHEAD                                                                                                       \
    "case_id,source,gpu,kernel,dtype,phase,batch,seqlen_q,seqlen_kv,heads,kv_heads,head_dim,causal,tflops,time_us," \
    "trust,kv_dtype,overhead_us\n"
#define XQA "a/b@c,H100-SXM5-80GB (NVIDIA H100 80GB HBM3),TensorRT-LLM decode attention"

/* Two decode steps, 8 sequences over 8192 keys, 32 query and 8 KV heads of
 * 128: K and V 2 x 8 x 8192 x 8 x 128 = 134217728 elements, 2 bytes each
 * in bf16 and 1 in fp8, Q and O 2 x 8 x 32 x 128 = 65536 elements of 2
 * bytes. The fp8 one with the profile's efficiencies (h100-sxm: 3.35e12
 * B/s; attention.memory 0.798, unit_keys 34.69) and its floor of 5.5 us:
 * (134217728 + 131072) / (3.35e12 x 0.798) x (1 + 34.69 / 8192) + 5.5e-6. */
static void test_decode_rows(void **state)
{
    (void)state;
    static const char text[] = DHEAD "BF," XQA ",bf16,decode,8,1,8192,32,8,128,no,,710,high,bf16,5.5\n"
                                     "F8," XQA ",bf16,decode,8,1,8192,32,8,128,no,,360,high,fp8,5.5\n";
    size_t n;
    roof_pub_skips sk;
    roof_error err;
    roof_pub_case *cases = pub_loaded(roof_pub_load_corpus_attention, text, &n, &sk);
    assert_int_equal(n, 2);
    assert_string_equal(cases[0].group, "attn-dec-h100");
    assert_true(cases[0].attn.tiles == 0.0);
    assert_true(cases[0].attn.keys == 8192.0);
    assert_true(cases[0].attn.bytes == 2.0 * 134217728.0 + 131072.0);
    assert_true(cases[1].attn.bytes == 134217728.0 + 131072.0);
    assert_true(cases[1].harness_overhead_s == 5.5e-6);
    roof_hw hw;
    assert_int_equal(roof_hw_load("h100-sxm", &hw, &err), ROOF_OK);
    assert_true(hw.attn_memory == 0.798 && hw.attn_unit_keys == 34.69);
    assert_int_equal(roof_pub_predict_attention(&cases[1], &hw, &err), ROOF_OK);
    double want = (134217728.0 + 131072.0) / (3.35e12 * 0.798) * (1.0 + 34.69 / 8192.0) + 5.5e-6;
    if (!(fabs(cases[1].predicted_s / want - 1.0) < 1e-12))
        fail_msg("fp8 decode step %.17g s, want %.17g", cases[1].predicted_s, want);
    free(cases);
    /* A KV dtype the loader does not know. */
    pub_load_fails(roof_pub_load_corpus_attention,
                   DHEAD "X," XQA ",bf16,decode,8,1,8192,32,8,128,no,,710,high,int4,5.5\n", ":2",
                   "kv_dtype 'int4' (expected bf16, fp16 or fp8)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cudnn_h200),
        cmocka_unit_test(test_decode_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
