/* The operator DAG: the round trip (the critical path of every exported
 * config equals its closed-form TTFT and TPOT, read back through DOT), a
 * DAG written by hand for seed 001 with its critical path worked out by
 * hand, the two DOT readers agreeing, the longest path of small graphs
 * and the errors naming their nodes. */
#include <dirent.h>
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

#include "dag/dot.h"
#include "hw/profile.h"
#include "model/config.h"

static void check_rel(double got, double want, double tol, const char *what)
{
    if (fabs(got - want) > tol * fabs(want))
        fail_msg("%s: got %.17g, want %.17g (rel tol %g)", what, got, want, tol);
}

static const char *dir_of(const char *env, const char *fallback)
{
    const char *d = getenv(env);
    return d ? d : fallback;
}

static const char *fixture(const char *rel)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir_of("LLMROOF_FIXTURES", "tests/fixtures"), rel);
    return path;
}

/* Reads path, times it on hw with flags, returns its critical path. */
static double critical(const char *path, int read_flags, const roof_hw *hw, int time_flags, roof_dag **gout,
                       roof_dag_path *p)
{
    roof_error err;
    roof_dag *g;
    if (roof_dag_read_dot(path, read_flags, &g, &err) != ROOF_OK)
        fail_msg("read %s: %s: %s", path, err.where, err.msg);
    if (roof_dag_time(g, hw, time_flags, path, &err) != ROOF_OK)
        fail_msg("time %s: %s: %s", path, err.where, err.msg);
    if (roof_dag_critical_path(g, path, p, &err) != ROOF_OK)
        fail_msg("path %s: %s: %s", path, err.where, err.msg);
    if (gout)
        *gout = g;
    else
        roof_dag_free(g);
    return p->total_s;
}

/* Exports phase of the evaluated s to DOT, reads it back, and compares
 * its critical path with want: with the written times, and re-timed from
 * the attributes on the same hardware. */
static void round_trip(const roof_scenario *s, const roof_result *r, int phases, int expand, double want,
                       const char *what)
{
    roof_error err;
    roof_dag *g = roof_dag_alloc();
    roof_dag_build_opts o = {phases, expand};
    if (roof_dag_build(s, r, &o, g, &err) != ROOF_OK)
        fail_msg("%s: build: %s: %s", what, err.where, err.msg);
    char path[] = "/tmp/llmroof-test-dag-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    if (roof_dag_write_dot(g, NULL, path, &err) != ROOF_OK)
        fail_msg("%s: write: %s: %s", what, err.where, err.msg);
    roof_dag_free(g);
    roof_dag_path p;
    char w[512];
    snprintf(w, sizeof w, "%s (written times)", what);
    check_rel(critical(path, 0, &s->hw, 0, NULL, &p), want, 1e-9, w);
    roof_dag_path_free(&p);
    snprintf(w, sizeof w, "%s (re-timed)", what);
    check_rel(critical(path, 0, &s->hw, ROOF_DAG_RETIME, NULL, &p), want, 1e-9, w);
    roof_dag_path_free(&p);
    unlink(path);
}

/* Acceptance 3: every config in configs/, folded (prefill, decode, both)
 * and, where small enough, expanded. A training config is drawn as its
 * inference phases (the DAG does not draw a training step). */
static void test_round_trip_configs(void **state)
{
    (void)state;
    const char *dir = dir_of("LLMROOF_CONFIGS", "configs");
    DIR *d = opendir(dir);
    assert_non_null(d);
    static roof_scenario s;
    static roof_result r;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        roof_error err;
        const char *prefill[] = {"workload.phase=prefill"};
        int train = strstr(e->d_name, "train") != NULL;
        if (roof_scenario_load(path, NULL, NULL, "h100-sxm", prefill, train, &s, NULL, &err) != ROOF_OK ||
            roof_evaluate(&s, &r, &err) != ROOF_OK)
            fail_msg("%s: %s: %s", path, err.where, err.msg);
        char what[1200];
        snprintf(what, sizeof what, "%s prefill", e->d_name);
        round_trip(&s, &r, ROOF_DAG_PREFILL, 0, r.metrics.ttft_s, what);
        snprintf(what, sizeof what, "%s decode", e->d_name);
        round_trip(&s, &r, ROOF_DAG_DECODE, 0, r.metrics.tpot_s, what);
        snprintf(what, sizeof what, "%s both", e->d_name);
        round_trip(&s, &r, ROOF_DAG_BOTH, 0, r.metrics.ttft_s + r.metrics.tpot_s, what);
        if ((double)s.model.layers * (double)s.workload.microbatches <= 512.0) {
            snprintf(what, sizeof what, "%s expanded", e->d_name);
            round_trip(&s, &r, ROOF_DAG_BOTH, 1, r.metrics.ttft_s + r.metrics.tpot_s, what);
        }
        n++;
    }
    closedir(d);
    assert_true(n >= 10);
}

/* The pipeline composition with several microbatches and unequal stages:
 * seed 001 with 5 microbatches and a 2-layer vocabulary, on the test
 * profile. The exporter must encode sum + sends + (m-1) x slowest stage
 * in prefill and max(fill, m x slowest) in decode. */
static void test_round_trip_microbatches(void **state)
{
    (void)state;
    static roof_scenario s;
    static roof_result r;
    roof_error err;
    const char *sets[] = {"workload.microbatches=4", "model.vocab=32000"};
    char path[1024];
    snprintf(path, sizeof path, "%s/seed-001-tp8-pp2.cfg", dir_of("LLMROOF_CONFIGS", "configs"));
    if (roof_scenario_load(path, NULL, fixture("hw/good.cfg"), "h100-sxm", sets, 2, &s, NULL, &err) != ROOF_OK ||
        roof_evaluate(&s, &r, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    /* Unequal stages: the embedding on the first, the LM head on the last. */
    assert_true(r.prefill.stage_time_s[0] != r.prefill.stage_time_s[1]);
    round_trip(&s, &r, ROOF_DAG_PREFILL, 0, r.metrics.ttft_s, "4 microbatches prefill");
    round_trip(&s, &r, ROOF_DAG_DECODE, 0, r.metrics.tpot_s, "4 microbatches decode");
    round_trip(&s, &r, ROOF_DAG_BOTH, 1, r.metrics.ttft_s + r.metrics.tpot_s, "4 microbatches expanded");
}

/* Acceptance 4: seed 001's deployment as the seed describes it, written
 * by hand (tests/fixtures/dag/seed001.dot), timed by the pure roofline on
 * the test profile (bf16 123.4e12 FLOP/s, fp32 23.85e12, 2.385e12 B/s).
 * Get_Time(m, k, n) ideal = max(2mkn / 123.4e12, 2(mk + kn + mn) / 2.385e12):
 *   Get_Time(10240000, 1024, 1024): F = 2.147483648e13 -> 0.17402622755267422 s
 *     (memory 4.1945137152e10 B -> 0.0176 s: compute-bound);
 *   Get_Time(20480000, 512, 10000) and (20480000, 10000, 512): F = 2.097152e14
 *     -> 1.6994748784440843 s (memory 0.1805 s);
 *   Get_Time(10240000, 1024, 4096) and (10240000, 4096, 1024): F = 8.589934592e13
 *     -> 0.69610491021069687 s (memory 0.0440 s);
 *   gelu: 3.3554432e11 FLOP / 23.85e12 = 0.0141 s, 1.6777216e11 B / 2.385e12
 *     = 0.0703447211740042 s (memory-bound).
 * One layer on the path (Q, K, V are parallel and equal; the scores wait
 * for Q and K, the output for V): q 0.17402622755267422 + scores
 * 1.6994748784440843 + softmax 0.0321 + av 1.6994748784440843 + proj
 * 0.17402622755267422 + all-reduce 0.0123 + mlp1 0.69610491021069687 +
 * gelu 0.0703447211740042 + mlp2 0.69610491021069687 + all-reduce 0.0123
 * = 5.2662567535889151 s. Total = 16 layers (8 per stage) + the send
 * 0.0456 = 84.305708057422635 s, on 2 + 2 x 11 + 1 = 25 path nodes
 * (input, 11 per stage, the send, output). */
static void test_seed001_by_hand(void **state)
{
    (void)state;
    roof_hw hw;
    roof_error err;
    if (roof_hw_load(fixture("hw/good.cfg"), &hw, &err) != ROOF_OK)
        fail_msg("%s", err.msg);
    roof_dag_path p;
    roof_dag *g;
    check_rel(critical(fixture("dag/seed001.dot"), 0, &hw, ROOF_DAG_IDEAL, &g, &p), 84.305708057422635, 1e-12,
              "seed 001 critical path");
    assert_int_equal(p.n, 25);
    assert_string_equal(g->nodes[p.nodes[0]].name, "input");
    assert_string_equal(g->nodes[p.nodes[2]].name, "s0_q_linear");
    assert_string_equal(g->nodes[p.nodes[5]].name, "s0_attn_out");
    assert_string_equal(g->nodes[p.nodes[12]].name, "send_stage0_to_stage1");
    char *terms;
    assert_int_equal(roof_dag_path_terms(g, &p, &terms, &err), ROOF_OK);
    const char *want = "Total = 8 x [Get_Time(10240000, 1024, 1024) + Get_Time(20480000, 512, 10000) + "
                       "Get_Time(20480000, 10000, 512) + Get_Time(10240000, 1024, 1024) + "
                       "Get_Time(10240000, 1024, 4096) + Get_Time(10240000, 4096, 1024) + 127.045 ms other] + "
                       "45.6 ms other + 8 x [";
    if (strncmp(terms, want, strlen(want)) != 0)
        fail_msg("terms: %s", terms);
    free(terms);
    roof_dag_path_free(&p);
    /* Both readers, same graph and path. */
    roof_dag *gc;
    roof_dag_path pc;
    check_rel(critical(fixture("dag/seed001.dot"), ROOF_DOT_CGRAPH_ONLY, &hw, ROOF_DAG_IDEAL, &gc, &pc),
              84.305708057422635, 1e-12, "seed 001 through cgraph");
    assert_int_equal(gc->n, g->n);
    assert_int_equal(gc->ne, g->ne);
    for (int64_t i = 0; i < g->n; i++)
        assert_string_equal(gc->nodes[i].name, g->nodes[i].name);
    roof_dag_path_free(&pc);
    roof_dag_free(gc);
    roof_dag_free(g);
}

/* The synthetic chain of 4 diamonds, written plain, read by both readers:
 * 13 nodes, 16 edges, path a0 (b|c) a1 ... a4 of 9 nodes. */
static void test_synthetic_both_readers(void **state)
{
    (void)state;
    roof_hw hw;
    roof_error err;
    if (roof_hw_load("h100-sxm", &hw, &err) != ROOF_OK)
        fail_msg("%s", err.msg);
    roof_dag *g = roof_dag_alloc();
    assert_int_equal(roof_dag_synthetic(4, g, &err), ROOF_OK);
    assert_int_equal(g->n, 13);
    assert_int_equal(g->ne, 16);
    char path[] = "/tmp/llmroof-test-syn-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    assert_int_equal(roof_dag_write_plain(g, path, &err), ROOF_OK);
    roof_dag_free(g);
    roof_dag_path p1, p2;
    double a = critical(path, 0, &hw, 0, NULL, &p1);
    double b = critical(path, ROOF_DOT_CGRAPH_ONLY, &hw, 0, NULL, &p2);
    assert_true(a == b);
    assert_int_equal(p1.n, 9);
    assert_int_equal(p2.n, 9);
    for (int64_t i = 0; i < p1.n; i++)
        assert_int_equal(p1.nodes[i], p2.nodes[i]);
    roof_dag_path_free(&p1);
    roof_dag_path_free(&p2);
    unlink(path);
}

/* A graph built in memory: the longer branch wins, repeat multiplies. */
static void test_longest_path_small(void **state)
{
    (void)state;
    roof_error err;
    roof_dag *g = roof_dag_alloc();
    const char *names[] = {"s", "x", "y", "t"};
    double times[] = {1.5, 2.25, 0.75, 0.125}, reps[] = {1, 1, 4, 1};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(roof_dag_add_node(g, names[i], names[i], NULL, NULL, &err), i);
        g->nodes[i].time_s = times[i];
        g->nodes[i].repeat = reps[i];
    }
    roof_dag_add_edge(g, 0, 1, 0, &err);
    roof_dag_add_edge(g, 0, 2, 0, &err);
    roof_dag_add_edge(g, 1, 3, 0, &err);
    roof_dag_add_edge(g, 2, 3, 0, &err);
    roof_dag_path p;
    assert_int_equal(roof_dag_critical_path(g, "mem", &p, &err), ROOF_OK);
    /* s-x-t = 1.5 + 2.25 + 0.125 = 3.875; s-y-t = 1.5 + 4 x 0.75 + 0.125 = 4.625. */
    assert_true(p.total_s == 4.625);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.nodes[1], 2);
    roof_dag_path_free(&p);
    /* A back edge t -> x closes the cycle x -> t -> x. */
    roof_dag_add_edge(g, 3, 1, 0, &err);
    assert_int_equal(roof_dag_critical_path(g, "mem", &p, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.msg, "the graph has a cycle: 'x' -> 't' -> 'x'");
    roof_dag_free(g);
}

static void expect_read_error(const char *rel, const char *msg)
{
    roof_hw hw;
    roof_error err;
    assert_int_equal(roof_hw_load("h100-sxm", &hw, &err), ROOF_OK);
    for (int flags = 0; flags <= ROOF_DOT_CGRAPH_ONLY; flags++) {
        roof_dag *g = NULL;
        roof_dag_path p = {0, NULL, 0.0};
        int rc = roof_dag_read_dot(fixture(rel), flags, &g, &err);
        if (rc == ROOF_OK)
            rc = roof_dag_time(g, &hw, 0, "f", &err);
        if (rc == ROOF_OK)
            rc = roof_dag_critical_path(g, "f", &p, &err);
        assert_int_equal(rc, ROOF_ERR_INPUT);
        if (strcmp(err.msg, msg) != 0)
            fail_msg("%s (reader %d): got '%s', want '%s'", rel, flags, err.msg, msg);
        roof_dag_free(g);
    }
}

static void test_errors_name_nodes(void **state)
{
    (void)state;
    expect_read_error("dag/cycle.dot", "the graph has a cycle: 'a' -> 'b' -> 'c' -> 'a'");
    expect_read_error("dag/unknown_attr.dot", "node 'b': unknown attribute 'bacth' (did you mean 'batch'?)");
    expect_read_error("dag/missing_dims.dot", "nodes 'a', 'c': kind 'gemm' needs dims gemm=\"m,k,n\"");
    expect_read_error("dag/bad_dims.dot", "node 'a': 'gemm' must be three positive dims \"m,k,n\" (got '1024,1024')");
}

/* --expand is refused before it is built when it would be too large. */
static void test_expand_bounded(void **state)
{
    (void)state;
    static roof_scenario s;
    static roof_result r;
    roof_error err;
    const char *sets[] = {"workload.microbatches=4096", "workload.batch=4096"};
    char path[1024];
    snprintf(path, sizeof path, "%s/llama3.1-405b-tp8-pp2.cfg", dir_of("LLMROOF_CONFIGS", "configs"));
    if (roof_scenario_load(path, NULL, NULL, "h100-sxm", sets, 2, &s, NULL, &err) != ROOF_OK ||
        roof_evaluate(&s, &r, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    roof_dag *g = roof_dag_alloc();
    roof_dag_build_opts o = {ROOF_DAG_BOTH, 1};
    assert_int_equal(roof_dag_build(&s, &r, &o, g, &err), ROOF_ERR_RUNTIME);
    assert_non_null(strstr(err.msg, "drop --expand"));
    assert_int_equal(g->n, 0);
    roof_dag_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_configs),  cmocka_unit_test(test_round_trip_microbatches),
        cmocka_unit_test(test_seed001_by_hand),     cmocka_unit_test(test_synthetic_both_readers),
        cmocka_unit_test(test_longest_path_small), cmocka_unit_test(test_errors_name_nodes),
        cmocka_unit_test(test_expand_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
