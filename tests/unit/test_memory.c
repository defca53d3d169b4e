/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Memory per GPU at its peak over the request (issue 25 item 1), against
 * the usable memory (item 2), with live activations only and GEMM bytes as
 * Get_Time counts them (issue 20 item 5), and the end-to-end metrics; each
 * expected value worked out by hand in the comment above it. */
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

#include "hw/profile.h"
#include "model/config.h"
#include "model/evaluate.h"

static const char *dir_path(const char *env, const char *fallback, const char *name)
{
    static char path[2][1024];
    static int k;
    k ^= 1;
    const char *dir = getenv(env);
    snprintf(path[k], sizeof path[k], "%s/%s", dir ? dir : fallback, name);
    return path[k];
}

/* Loads text (NULL: the file path) on hw with the settings sets. */
static void load(const char *text, const char *path, const char *hw, const char *const *sets, int nsets,
                 roof_scenario *s)
{
    roof_error err;
    char tmp[] = "/tmp/llmroof-test-memory-XXXXXX";
    if (text) {
        int fd = mkstemp(tmp);
        assert_true(fd >= 0);
        FILE *f = fdopen(fd, "w");
        fputs(text, f);
        fclose(f);
        path = tmp;
    }
    int rc = roof_scenario_load(path, NULL, hw, "h100-sxm", sets, nsets, s, NULL, &err);
    if (text)
        unlink(tmp);
    if (rc != ROOF_OK)
        fail_msg("load: %s: %s", err.where, err.msg);
}

static roof_result *eval_phases(const roof_scenario *s, int phases)
{
    static roof_result r;
    roof_error err;
    if (roof_evaluate_phases(s, phases, &r, &err) != ROOF_OK)
        fail_msg("evaluate: %s: %s", err.where, err.msg);
    return &r;
}

/* The small dense model of test_model.c on the test profile
 * (tests/fixtures/hw/good.cfg: 47.3e9 B, 1.23 USD/h, 456 W). */
static const char *small_dense = "model = { layers = 3; hidden = 1536; heads = 12; kv_heads = 4; head_dim = 128;\n"
                                 "  ffn_hidden = 4096; ffn_act = \"gelu\"; };\n"
                                 "workload = { phase = \"prefill\"; batch = 3; seq_len = 640; gen_tokens = 64; };\n";

/* Weights: per layer Q and O 1536 x 1536, K and V 1536 x 512, the MLP
 * 2 x 1536 x 4096, two norms of 1536: 1536*4096 + 12582912 + 3072 =
 * 18877440; 3 layers and the final norm: 56633856 parameters, 113267712 B.
 * KV (bf16): 2 x 3 layers x 4 heads x 128 x 2 B x 3 sequences = 18432 B
 * per token: 640 tokens 11796480 B, 704 (640 + 64) 12976128 B.
 * Prefill's largest live activation: GELU over 1920 x 4096 elements, two
 * passes, 2 B = 31457280 (the MLP GEMMs: 2 x (1920 x 1536 + 1920 x 4096) =
 * 21626880). Decode's: GELU over 3 x 4096, 2 passes, 2 B = 49152.
 * Prefill 113267712 + 11796480 + 31457280 = 156521472; decode 113267712 +
 * 12976128 + 49152 = 126292992: the peak is the end of prefill. */
static void test_peak_over_request(void **state)
{
    (void)state;
    const char *hw = dir_path("LLMROOF_FIXTURES", "tests/fixtures", "hw/good.cfg");
    static const char *const phases[] = {"workload.phase=prefill", "workload.phase=decode"};
    for (int i = 0; i < 2; i++) {
        roof_scenario s;
        load(small_dense, NULL, hw, &phases[i], 1, &s);
        /* Whatever the phase and whichever phases are timed (a search
         * times one), the same peak. */
        static const int masks[] = {ROOF_EVAL_ALL, ROOF_EVAL_PREFILL, ROOF_EVAL_DECODE};
        for (int k = 0; k < 3; k++) {
            const roof_memory *m = &eval_phases(&s, masks[k])->memory;
            assert_true(m->weights_bytes == 113267712.0);
            assert_true(m->prefill_kv_bytes == 11796480.0);
            assert_true(m->prefill_activation_bytes == 31457280.0);
            assert_true(m->prefill_total_bytes == 156521472.0);
            assert_true(m->decode_kv_bytes == 12976128.0);
            assert_true(m->decode_activation_bytes == 49152.0);
            assert_true(m->decode_total_bytes == 126292992.0);
            assert_true(m->total_bytes == 156521472.0);
            assert_int_equal(m->peak_phase, ROOF_PHASE_PREFILL);
            assert_true(m->kv_len == 640.0);
            /* Usable: 47.3e9 x 0.9 - 1.79 GiB (1921997865 B) = 40648002135. */
            check_rel(m->usable_bytes, 40648002135.0, 1e-15, "usable");
            assert_true(m->fits);
        }
    }
    /* 2048 tokens generated: KV 18432 x 2688 = 49545216, decode
     * 113267712 + 49545216 + 49152 = 162862080 > 156521472: the peak is
     * the last generated token. */
    roof_scenario s;
    const char *gen[] = {"workload.gen_tokens=2048"};
    load(small_dense, NULL, hw, gen, 1, &s);
    const roof_memory *m = &eval_phases(&s, ROOF_EVAL_PREFILL)->memory;
    assert_int_equal(m->peak_phase, ROOF_PHASE_DECODE);
    assert_true(m->total_bytes == 162862080.0);
    assert_true(m->kv_bytes == 49545216.0);
    assert_true(m->kv_len == 2688.0);
}

/* The boundary of the usable memory: utilization 1 and reserve 47.3e9 -
 * 156521472 = 47143478528 leave exactly the prefill peak (fits); one byte
 * more reserve, and it does not. */
static void test_reserve_boundary(void **state)
{
    (void)state;
    const char *hw = dir_path("LLMROOF_FIXTURES", "tests/fixtures", "hw/good.cfg");
    const char *fit[] = {"workload.memory.utilization=1", "workload.memory.reserve=47143478528"};
    const char *over[] = {"workload.memory.utilization=1", "workload.memory.reserve=47143478529"};
    roof_scenario s;
    load(small_dense, NULL, hw, fit, 2, &s);
    const roof_memory *m = &eval_phases(&s, ROOF_EVAL_ALL)->memory;
    assert_true(m->usable_bytes == 156521472.0);
    assert_true(m->fits);
    load(small_dense, NULL, hw, over, 2, &s);
    assert_false(eval_phases(&s, ROOF_EVAL_ALL)->memory.fits);
    /* utilization must be in (0, 1]. */
    roof_error err;
    assert_int_not_equal(roof_scenario_set(&s, "workload.memory.utilization=0", &err), ROOF_OK);
    assert_string_equal(err.msg, "'workload.memory.utilization' must be in (0, 1] (got 0)");
}

/* Decode's live activations (issue 20 item 5: the batched expert weights
 * and flash attention's KV are no activations).
 * DeepSeek-like (configs/deepseek-v3-like-ep32.cfg): dp 32, ep 32, batch
 * 1024: 32 sequences a rank, fp8 (1 B; GEMM outputs in bf16, 2 B). The
 * largest: the LM head's logits, 32 x 7168 in (229376 B) and 32 x 129280
 * out (2 x 4136960 = 8273920 B): 8503296 B. The experts: 1024 tokens x 8
 * routes / 32 ranks x 1.2 = 307.2 pairs over 8 local experts, 38.4 each:
 * expert_down in 8 x 38.4 x 2048 = 629145.6, out 2 x 8 x 38.4 x 7168 =
 * 4404019.2: 5033164.8 B, less. Before: 8 x 7168 x 2048 B of expert
 * weights counted too, 120 MB.
 * Mixtral-8x7B (configs/mixtral-8x7b-tp2.cfg): tp 2, batch 16, bf16. The
 * experts split over etp = 2: 16 tokens x 2 routes x 2 / 2 ranks = 32
 * pairs over 8 experts, 4 each, inner 14336 / 2 = 7168; SiLU(gate) * up
 * over 8 x 4 x 7168 = 229376 elements, 3 passes, 2 B: 1376256 B, the
 * largest (expert_gate: 2 x 8 x 4 x (4096 + 7168) = 720896; the LM head
 * 2 x 16 x (4096 + 16000) = 643072). Before: 470 MB of expert weights. */
static void test_decode_live_activations(void **state)
{
    (void)state;
    roof_scenario s;
    load(NULL, dir_path("LLMROOF_CONFIGS", "configs", "deepseek-v3-like-ep32.cfg"), "h100-sxm", NULL, 0, &s);
    roof_result *r = eval_phases(&s, ROOF_EVAL_ALL);
    assert_true(r->memory.decode_activation_bytes == 8503296.0);
    assert_true(r->decode.peak_act_bytes == 8503296.0);
    load(NULL, dir_path("LLMROOF_CONFIGS", "configs", "mixtral-8x7b-tp2.cfg"), "h100-sxm", NULL, 0, &s);
    r = eval_phases(&s, ROOF_EVAL_ALL);
    assert_true(r->memory.decode_activation_bytes == 1376256.0);
}

/* An fp8 GEMM's bytes as Get_Time counts them (C in bf16): DeepSeek-like
 * decode q_proj, 32 x 7168 x 16384: A 229376 + B 117440512 + C 2 x 32 x
 * 16384 = 1048576: 118718464 B (C at 1 byte gave 118194176). */
static void test_fp8_gemm_bytes(void **state)
{
    (void)state;
    roof_scenario s;
    load(NULL, dir_path("LLMROOF_CONFIGS", "configs", "deepseek-v3-like-ep32.cfg"), "h100-sxm", NULL, 0, &s);
    roof_result *r = eval_phases(&s, ROOF_EVAL_ALL);
    const roof_op_list *l = &r->decode.ops.moe;
    const roof_op *q = NULL;
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->ops[i].name, "q_proj") == 0)
            q = &l->ops[i];
    assert_non_null(q);
    assert_true(q->bytes == 118718464.0);
    roof_gemm_time t;
    roof_error err;
    assert_int_equal(roof_gemm_time_of(&s.hw, &q->gemm, 0, &t, &err), ROOF_OK);
    assert_true(t.bytes == q->bytes);
}

/* End to end: 3 x 64 output tokens per ttft + 64 tpot; price 1.23 USD/h
 * and 456 W on one GPU. */
static void test_end_to_end_metrics(void **state)
{
    (void)state;
    roof_scenario s;
    load(small_dense, NULL, dir_path("LLMROOF_FIXTURES", "tests/fixtures", "hw/good.cfg"), NULL, 0, &s);
    const roof_metrics *m = &eval_phases(&s, ROOF_EVAL_ALL)->metrics;
    double tps = 192.0 / (m->ttft_s + 64.0 * m->tpot_s);
    check_rel(m->e2e_tokens_per_s, tps, 1e-15, "e2e tokens/s");
    check_rel(m->e2e_usd_per_mtok, 1.23 / 3600.0 / tps * 1e6, 1e-15, "e2e USD/Mtok");
    check_rel(m->e2e_joules_per_token, 456.0 / tps, 1e-15, "e2e J/token");
    /* Decode only is the larger rate: 3 / tpot > 192 / (ttft + 64 tpot). */
    assert_true(m->tokens_per_s > m->e2e_tokens_per_s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peak_over_request),       cmocka_unit_test(test_reserve_boundary),
        cmocka_unit_test(test_decode_live_activations), cmocka_unit_test(test_fp8_gemm_bytes),
        cmocka_unit_test(test_end_to_end_metrics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
