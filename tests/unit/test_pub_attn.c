/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The attention rows of corpus/attention.csv (validation/published_attn.c):
 * cuDNN's fused flash attention on H200 is H200's native kernel (group
 * attn-h200, its backward attn-h200-bwd), its time as printed; an 8-bit
 * row, a row whose Q/K and V head dims differ and a sliding-window row
 * are left out with their reasons; a kernel or GPU the loader does not
 * know is too. */
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

#include "tmp_text.h"
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
    char path[600];
    tmp_text("pubattn", CSV, path, sizeof path);
    roof_pub_case *cases = calloc(ROOF_PUB_MAX_CASES, sizeof *cases);
    assert_non_null(cases);
    size_t n = 0;
    roof_pub_skips sk;
    memset(&sk, 0, sizeof sk);
    roof_error err;
    int rc = roof_pub_load_corpus_attention(path, cases, &n, &sk, &err);
    unlink(path);
    if (rc != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
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
    assert_int_equal(
        skipped(&sk, "attention: not a modelled kernel (FA2 Ampere and H100, FA3 H100, cuDNN H200, FA4 B200)"), 1);
    free(cases);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cudnn_h200),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
