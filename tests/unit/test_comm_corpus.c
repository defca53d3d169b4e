/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The collective corpus (validation/comm_corpus.c): the NCCL environment a
 * row ran under, parsed and refused as the corpus README says, and applied
 * to the row's prediction: a Together AI B200 tree all-reduce across 4
 * nodes (NCCL_ALGO=Tree, NVLS off) is timed by NCCL's model with
 * Blackwell's per-channel tree cap of NCCL 2.29.7 (hw/nccl_tuning.c),
 * worked out by hand below. */
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

#include "validation/comm_corpus.h"
#include "validation/comm_harness.h"

static void parse_ok(const char *cell, int64_t nodes, roof_algo algo, int nvls_off, int sharp)
{
    roof_comm cm = {.algo = ROOF_ALGO_AUTO};
    int off = 0, sh = 0;
    roof_error err;
    memset(&err, 0, sizeof err);
    if (roof_comm_nccl_env(cell, nodes, &cm, &off, &sh, "c.csv", 7, &err) != ROOF_OK)
        fail_msg("'%s': %s", cell, err.msg);
    assert_int_equal(cm.algo, algo);
    assert_int_equal(off, nvls_off);
    assert_int_equal(sh, sharp);
}

static void parse_bad(const char *cell, int64_t nodes, const char *msg)
{
    roof_comm cm = {.algo = ROOF_ALGO_AUTO};
    int off = 0, sh = 0;
    roof_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(roof_comm_nccl_env(cell, nodes, &cm, &off, &sh, "c.csv", 7, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.where, "c.csv:7");
    assert_string_equal(err.msg, msg);
}

static void test_nccl_env(void **state)
{
    (void)state;
    parse_ok("", 4, ROOF_ALGO_AUTO, 0, 0);
    parse_ok("NCCL_ALGO=Ring NCCL_NVLS_ENABLE=0 NCCL_COLLNET_ENABLE=0", 4, ROOF_ALGO_RING, 1, 0);
    parse_ok("NCCL_ALGO=Tree", 2, ROOF_ALGO_TREE, 0, 0);
    parse_ok("NCCL_ALGO=NVLSTree NCCL_NVLS_ENABLE=1", 8, ROOF_ALGO_NVLS, 0, 0);
    parse_ok("NCCL_ALGO=NVLS", 1, ROOF_ALGO_NVLS, 0, 0);
    parse_ok("NCCL_ALGO=NVLS NCCL_COLLNET_ENABLE=1", 2, ROOF_ALGO_NVLS_SHARP, 0, 1);
    parse_ok("NCCL_NVLS_ENABLE=0 NCCL_COLLNET_ENABLE=1", 64, ROOF_ALGO_AUTO, 1, 1);
    parse_ok("NCCL_COLLNET_ENABLE=1 NCCL_ALGO=CollNetChain", 2, ROOF_ALGO_COLLNET_CHAIN, 0, 1);
    const char *rest = " is not one of NCCL_ALGO=Ring|Tree|NVLS|NVLSTree|CollNetDirect|CollNetChain (NVLSTree and "
                       "CollNet across nodes only), NCCL_NVLS_ENABLE=0|1, NCCL_COLLNET_ENABLE=0|1";
    char want[400];
    snprintf(want, sizeof want, "'nccl_env' setting 'NCCL_ALGO=NVLSTree'%s", rest);
    parse_bad("NCCL_ALGO=NVLSTree", 1, want);
    snprintf(want, sizeof want, "'nccl_env' setting 'NCCL_ALGO=Ring,Tree'%s", rest);
    parse_bad("NCCL_ALGO=Ring,Tree", 2, want);
    snprintf(want, sizeof want, "'nccl_env' setting 'NCCL_PROTO=Simple'%s", rest);
    parse_bad("NCCL_NVLS_ENABLE=0 NCCL_PROTO=Simple", 2, want);
    snprintf(want, sizeof want, "'nccl_env' setting 'NCCL_NVLS_ENABLE=2'%s", rest);
    parse_bad("NCCL_NVLS_ENABLE=2", 2, want);
    snprintf(want, sizeof want, "'nccl_env' setting 'NCCL_COLLNET_ENABLE='%s", rest);
    parse_bad("NCCL_COLLNET_ENABLE", 2, want);
    /* What the other settings rule out, in either order. */
    parse_bad("NCCL_ALGO=CollNetChain", 2,
              "'nccl_env' NCCL_ALGO=CollNetChain across nodes needs NCCL_COLLNET_ENABLE=1 (the network's SHARP)");
    parse_bad("NCCL_ALGO=NVLS NCCL_COLLNET_ENABLE=0", 4,
              "'nccl_env' NCCL_ALGO=NVLS across nodes needs NCCL_COLLNET_ENABLE=1 (the network's SHARP)");
    parse_bad("NCCL_ALGO=NVLSTree NCCL_NVLS_ENABLE=0", 2, "'nccl_env' NCCL_ALGO=NVLSTree with NCCL_NVLS_ENABLE=0");
    parse_bad("NCCL_NVLS_ENABLE=0 NCCL_ALGO=NVLS", 1, "'nccl_env' NCCL_ALGO=NVLS with NCCL_NVLS_ENABLE=0");
    char longer[300];
    memset(longer, 'A', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    parse_bad(longer, 2, "'nccl_env' longer than 255 characters");
}

/* The shipped corpus: TOG-B200-4n-tree-ar-8G, 8 GiB over 32 B200 on 4
 * nodes, NCCL_ALGO=Tree. NCCL's model: 8 network channels of 48 GB/s,
 * busBw min(384 x .92, 8 x 24.0) = 192, algorithm bandwidth 96 GB/s; the
 * Simple latency 8.4 + 2 ((8 - 1) x 4.0 + log2(4) x 14) = 120.4 us: 120.4
 * us + 8589934592 / 96e9 s = 0.089598885333 s. Measured: busbw 187.5 GB/s,
 * 8589934592 / (187.5e9 / (2 x 31 / 32)) = 0.088760... s. */
static void test_shipped_tree_row(void **state)
{
    (void)state;
    const char *data = getenv("LLMROOF_DATA");
    if (!data)
        fail_msg("LLMROOF_DATA is not set");
    roof_comm_corpus c;
    roof_error err;
    memset(&err, 0, sizeof err);
    if (roof_comm_corpus_run(data, &c, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    const roof_comm_row *r = NULL;
    for (size_t i = 0; i < c.n; i++)
        if (strcmp(c.rows[i].id, "TOG-B200-4n-tree-ar-8G") == 0)
            r = &c.rows[i];
    assert_non_null(r);
    assert_int_equal(r->comm.algo, ROOF_ALGO_TREE);
    assert_true(r->line > 1);
    assert_int_equal(r->nvls_off, 1);
    assert_int_equal(r->sharp, 0);
    double want = 120.4e-6 + 8589934592.0 / 96e9;
    if (!(fabs(r->insample_s - want) <= 1e-9 * want))
        fail_msg("predicted %.17g s, want %.17g s", r->insample_s, want);
    double measured = 8589934592.0 / (187.5e9 / (2.0 * 31.0 / 32.0));
    if (!(fabs(r->measured_s - measured) <= 1e-12 * measured))
        fail_msg("measured %.17g s, want %.17g s", r->measured_s, measured);
    roof_comm_corpus_free(&c);
}

/* The corpus in a directory of its own, collectives.csv of text: it must
 * stop as bad input at the file's line with msg. */
static void corpus_refused(const char *text, int line, const char *msg)
{
    char dir[] = "/tmp/llmroof-comm-corpus-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/corpus", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/corpus/collectives.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    char ep[256];
    snprintf(ep, sizeof ep, "%s/corpus/ep_a2a.csv", dir);
    f = fopen(ep, "w");
    assert_non_null(f);
    fputs("case_id,source,locator,gpu,mode,ep,tokens,hidden,topk,dtype,time_us,trust\n", f);
    fclose(f);
    roof_comm_corpus c;
    roof_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(roof_comm_corpus_run(dir, &c, &err), ROOF_ERR_INPUT);
    char where[300];
    snprintf(where, sizeof where, "%s:%d", path, line);
    assert_string_equal(err.where, where);
    assert_string_equal(err.msg, msg);
    remove(ep);
    remove(path);
    snprintf(path, sizeof path, "%s/corpus", dir);
    rmdir(path);
    rmdir(dir);
}

/* A row whose settings the model cannot run stops the corpus as bad input
 * at its file and line, naming the case: a forced tree on an all-gather.
 * So does a harness of more GPUs per thread than the row has GPUs. */
static void test_refused_row(void **state)
{
    (void)state;
    corpus_refused("case_id,source,gpu,gpus,nodes,collective,size_bytes,time_us,busbw_GBps,trust,nccl_env\n"
                   "OK-1,a/b@1,H100 80GB HBM3,8,1,all_reduce,1048576,30,,high,\n"
                   "BAD-2,a/b@1,H100 80GB HBM3,8,1,all_gather,1048576,30,,high,NCCL_ALGO=Tree\n",
                   3,
                   "case 'BAD-2': algorithm 'tree' cannot run all_gather: NCCL's model runs tree for "
                   "all_reduce only");
    corpus_refused("case_id,source,gpu,gpus,nodes,collective,size_bytes,time_us,busbw_GBps,trust,gpus_per_thread\n"
                   "OK-1,a/b@1,H100 80GB HBM3,8,1,all_reduce,1048576,30,,high,8\n"
                   "BAD-2,a/b@1,H100 80GB HBM3,4,1,all_reduce,1048576,30,,high,8\n",
                   3, "'gpus_per_thread' must be a whole number from 1 to 4 (got 8)");
}

/* The harness's issue floor (validation/comm_harness.h) by hand: rows
 * whose collective takes 5 us, measured at 10 + 3 g us for g = 2, 4, 8
 * GPUs per thread, from sources A and B, lie on the line a = 10 us, b =
 * 3 us, a grid point: the fit finds it with either source held out, and a
 * row of one GPU per thread (50 us) does not move it. The time is the
 * slower of the collective and the issue: 20 us on 2 GPUs per thread
 * (issue 16 us), 34 us on 8 (collective 20 us). */
static void test_harness(void **state)
{
    (void)state;
    enum { N = 7 };
    static const int g[N] = {2, 4, 8, 2, 4, 8, 1};
    static const char *const src[N] = {"A", "A", "A", "B", "B", "B", "B"};
    double model[N], meas[N];
    for (int i = 0; i < N; i++) {
        model[i] = 5e-6;
        meas[i] = g[i] > 1 ? (10.0 + 3.0 * g[i]) * 1e-6 : 50e-6;
    }
    const char *skips[3] = {NULL, "A", "B"};
    for (int s = 0; s < 3; s++) {
        roof_comm_issue k;
        size_t used;
        roof_comm_harness_fit(model, meas, g, src, N, skips[s], &k, &used);
        assert_int_equal(used, s == 0 ? 6 : 3);
        assert_true(fabs(k.a_s - 10e-6) < 1e-12 && fabs(k.b_s - 3e-6) < 1e-12);
    }
    roof_comm_issue k = {10e-6, 3e-6};
    assert_true(fabs(roof_comm_harness_time(20e-6, 2, &k) - 20e-6) < 1e-15);
    assert_true(fabs(roof_comm_harness_time(20e-6, 8, &k) - 34e-6) < 1e-15);
    assert_true(roof_comm_harness_time(1e-6, 1, &k) == 1e-6);
    /* No row of several GPUs per thread: nothing to fit. */
    roof_comm_issue none;
    size_t used;
    roof_comm_harness_fit(model, meas, g, src, N, "Z", &none, &used);
    assert_int_equal(used, 6);
    roof_comm_harness_fit(model + 6, meas + 6, g + 6, src + 6, 1, NULL, &none, &used);
    assert_true(used == 0 && none.a_s == 0.0 && none.b_s == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nccl_env),
        cmocka_unit_test(test_shipped_tree_row),
        cmocka_unit_test(test_refused_row),
        cmocka_unit_test(test_harness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
