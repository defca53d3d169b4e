/* SPDX-License-Identifier: GPL-3.0-or-later */
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

#include "check.h"

#include "dag/dot.h"
#include "hw/profile.h"
#include "model/config.h"

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
        /* Speculation off: with it the decode path is the whole step,
         * TPOT x tokens per step (test_spec_proposer_drawn). A training
         * config without its interleaving (vp: training only). */
        const char *sets[] = {"workload.spec.k=0", "workload.phase=prefill", "parallel.vp=1"};
        int train = strstr(e->d_name, "train") != NULL;
        if (roof_scenario_load(path, NULL, NULL, "h100-sxm", sets, 1 + 2 * train, &s, NULL, &err) != ROOF_OK ||
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

/* cuDNN's waves survive the round trip: a chunk of 256 queries over a
 * 65536-token prefix on tensor parallel 8 (8 heads a GPU: 16 tiles on 132
 * SMs) re-timed from the DOT's 'tiles' attribute gives the TTFT, which the
 * waves make longer than the native kernel's. */
static void test_round_trip_cudnn(void **state)
{
    (void)state;
    static roof_scenario s;
    static roof_result r;
    char path[1024];
    snprintf(path, sizeof path, "%s/llama3-70b-tp8.cfg", dir_of("LLMROOF_CONFIGS", "configs"));
    roof_error err;
    const char *sets[] = {"workload.phase=prefill", "workload.batch=1", "workload.seq_len=256",
                          "workload.context=65536", "hw.attention.kernel=native"};
    if (roof_scenario_load(path, NULL, NULL, "h100-sxm", sets, 5, &s, NULL, &err) != ROOF_OK ||
        roof_evaluate(&s, &r, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    double native = r.metrics.ttft_s;
    sets[4] = "hw.attention.kernel=cudnn";
    if (roof_scenario_load(path, NULL, NULL, "h100-sxm", sets, 5, &s, NULL, &err) != ROOF_OK ||
        roof_evaluate(&s, &r, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    assert_true(r.metrics.ttft_s > 1.5 * native);
    round_trip(&s, &r, ROOF_DAG_PREFILL, 0, r.metrics.ttft_s, "cudnn chunk prefill");
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

/* Reads text through one reader (flags), NULL with *err on a refusal. */
static roof_dag *read_text(const char *text, size_t size, int flags, roof_error *err)
{
    roof_dag *g = NULL;
    if (roof_dag_read_dot_text(text, size, "t.dot", flags, &g, err) != ROOF_OK)
        return NULL;
    return g;
}

/* Both readers refuse text with the same where and message. */
static void expect_text_error(const char *text, size_t size, const char *where, const char *msg)
{
    for (int flags = 0; flags <= ROOF_DOT_CGRAPH_ONLY; flags++) {
        roof_error err;
        roof_dag *g = read_text(text, size, flags, &err);
        if (g)
            fail_msg("reader %d accepted %.40s... (%lld nodes, %lld edges)", flags, text, (long long)g->n,
                     (long long)g->ne);
        assert_int_equal(err.code, ROOF_ERR_INPUT);
        if (strcmp(err.where, where) != 0 || strcmp(err.msg, msg) != 0)
            fail_msg("reader %d: got '%s: %s', want '%s: %s'", flags, err.where, err.msg, where, msg);
    }
    /* cgraph kept what followed a graph for its next read: the next file
     * must read as itself. */
    roof_error err;
    roof_dag *g = read_text("digraph { p -> q; }", 19, ROOF_DOT_CGRAPH_ONLY, &err);
    if (!g)
        fail_msg("the read after '%.40s...' failed: %s: %s", text, err.where, err.msg);
    assert_int_equal(g->n, 2);
    assert_int_equal(g->ne, 1);
    assert_string_equal(g->nodes[0].name, "p");
    roof_dag_free(g);
}

/* An edge chain of n nodes in one statement. */
static char *chain_text(int n, size_t *size)
{
    char *t = malloc((size_t)n * 16 + 32);
    assert_non_null(t);
    size_t at = (size_t)sprintf(t, "digraph {\n");
    for (int i = 0; i < n; i++)
        at += (size_t)sprintf(t + at, "%sn%d", i ? " -> " : "", i);
    at += (size_t)sprintf(t + at, ";\n}\n");
    *size = at;
    return t;
}

/* Security issue, item 4: cgraph's parser stops at an edge chain of 2500
 * nodes and returned the nodes read so far without the edges (2500 nodes,
 * 0 edges, accepted); a second graph and trailing garbage were ignored
 * (Graphviz's dot reads the one and refuses the other). Both readers now
 * refuse, naming file and line. */
static void test_readers_refuse_partial(void **state)
{
    (void)state;
    size_t size;
    char *t = chain_text(3000, &size);
    expect_text_error(t, size, "t.dot:2",
                      "a statement too long for Graphviz's parser near '->' (an edge chain of 2500 nodes or more, "
                      "or subgraphs nested as deep): split it into several statements");
    free(t);
    /* 2499 nodes is the longest chain cgraph reads: both readers take it
     * whole (the fast reader leaves chains from 2048 nodes to cgraph). */
    for (int n = 2000; n <= 2499; n += 499) {
        t = chain_text(n, &size);
        for (int flags = 0; flags <= ROOF_DOT_CGRAPH_ONLY; flags++) {
            roof_error err;
            roof_dag *g = read_text(t, size, flags, &err);
            if (!g)
                fail_msg("chain of %d, reader %d: %s: %s", n, flags, err.where, err.msg);
            assert_int_equal(g->n, n);
            assert_int_equal(g->ne, n - 1);
            roof_dag_free(g);
        }
        free(t);
    }
    const char two[] = "digraph { a -> b; }\ndigraph { c -> d; }\n";
    expect_text_error(two, sizeof two - 1, "t.dot", "more than one graph in the file (llmroof reads one)");
    const char garbage[] = "digraph { a -> b; }\n\ngarbage here\n";
    expect_text_error(garbage, sizeof garbage - 1, "t.dot:3", "syntax error near 'garbage'");
    const char brace[] = "digraph { a -> b; } }";
    expect_text_error(brace, sizeof brace - 1, "t.dot:1", "syntax error near '}'");
    /* cgraph renames a node named "%..." with a number counted across the
     * process (found by fuzz/dot.c): both readers refuse the name. */
    const char percent[] = "digraph { \"%n\" -> b; }";
    const char *why = "a node name starts with '%', which Graphviz keeps for anonymous nodes (it renames the node): "
                      "rename it";
    expect_text_error(percent, sizeof percent - 1, "t.dot", why);
    const char percent_head[] = "digraph { a -> \"%\"; }";
    expect_text_error(percent_head, sizeof percent_head - 1, "t.dot", why);
    /* What may follow a graph: whitespace and comments. */
    const char ok[] = "digraph { a -> b; }\n// the end\n/* really */\n# shell\n\n";
    for (int flags = 0; flags <= ROOF_DOT_CGRAPH_ONLY; flags++) {
        roof_error err;
        roof_dag *g = read_text(ok, sizeof ok - 1, flags, &err);
        if (!g)
            fail_msg("reader %d: %s: %s", flags, err.where, err.msg);
        assert_int_equal(g->ne, 1);
        roof_dag_free(g);
    }
}

/* Security issue, item 10: a quoted name holding a newline. cgraph's
 * scanner drops a newline that starts a piece of the string ("\n" alone is
 * ""), the fast reader kept it: the readers named the node differently.
 * The escape \n stays two characters in both. */
static void test_readers_agree_newline(void **state)
{
    (void)state;
    static const struct {
        const char *text, *first; /* the first node's name as Graphviz reads it */
    } cases[] = {
        {"digraph { \"\n\" -> b; }", ""},       {"digraph { \"\\n\" -> b; }", "\\n"},
        {"digraph { \"a\nb\" -> b; }", "a\nb"}, {"digraph { \"\n\n\" -> b; }", "\n\n"},
        {"digraph { \"\na\" -> b; }", "\na"},   {"digraph { \"a\\\"\n\" -> b; }", "a\""},
        {"digraph { \"\r\n\" -> b; }", "\r\n"}, {"digraph { \"\\\\\" -> b; }", "\\\\"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        roof_dag *g[2];
        for (int flags = 0; flags <= ROOF_DOT_CGRAPH_ONLY; flags++) {
            roof_error err;
            g[flags] = read_text(cases[i].text, strlen(cases[i].text), flags, &err);
            if (!g[flags])
                fail_msg("case %zu, reader %d: %s: %s", i, flags, err.where, err.msg);
        }
        assert_int_equal(g[0]->n, g[1]->n);
        assert_int_equal(g[0]->ne, g[1]->ne);
        for (int64_t v = 0; v < g[0]->n; v++)
            if (strcmp(g[0]->nodes[v].name, g[1]->nodes[v].name) != 0)
                fail_msg("case %zu: node %lld is '%s' to the fast reader, '%s' to cgraph", i, (long long)v,
                         g[0]->nodes[v].name, g[1]->nodes[v].name);
        assert_string_equal(g[1]->nodes[0].name, cases[i].first);
        roof_dag_free(g[0]);
        roof_dag_free(g[1]);
    }
}

/* cgraph's scanner kept its state from one read to the next: after a
 * file ending inside a comment or a string, every later file read as
 * "not a DOT graph" (found by fuzz/dot.c). */
static void test_reader_state_reset(void **state)
{
    (void)state;
    static const char *const open_ends[] = {"digraph { a -> b } /* open", "digraph { a -> \"open",
                                            "digraph { a -> <open <b>"};
    for (size_t i = 0; i < sizeof open_ends / sizeof open_ends[0]; i++) {
        roof_error err;
        roof_dag *g = read_text(open_ends[i], strlen(open_ends[i]), ROOF_DOT_CGRAPH_ONLY, &err);
        roof_dag_free(g);
        g = read_text("digraph { p -> q; }", 19, ROOF_DOT_CGRAPH_ONLY, &err);
        if (!g)
            fail_msg("after '%s': %s: %s", open_ends[i], err.where, err.msg);
        assert_int_equal(g->ne, 1);
        roof_dag_free(g);
    }
}

/* Security issue, item 2: roof_dag_time listed the nodes without dims into
 * a 400-byte buffer advanced by snprintf's return value; a 20000-byte name
 * moved it past the end and the next write overflowed the stack. Names in
 * messages are now cut to 60 bytes. */
static void test_long_names_bounded(void **state)
{
    (void)state;
    roof_hw hw;
    roof_error err;
    assert_int_equal(roof_hw_load("h100-sxm", &hw, &err), ROOF_OK);
    size_t n = 20000;
    char *t = malloc(n + 256);
    assert_non_null(t);
    int at = sprintf(t, "digraph { \"");
    memset(t + at, 'x', n);
    sprintf(t + at + n, "\" [kind=gemm]; b [kind=gemm]; c [kind=gemm]; }");
    char want[512];
    snprintf(want, sizeof want, "nodes '%.57s...', 'b', 'c': kind 'gemm' needs dims gemm=\"m,k,n\"", t + at);
    for (int flags = 0; flags <= ROOF_DOT_CGRAPH_ONLY; flags++) {
        roof_dag *g = read_text(t, strlen(t), flags, &err);
        if (!g)
            fail_msg("reader %d: %s: %s", flags, err.where, err.msg);
        assert_int_equal(roof_dag_time(g, &hw, 0, "t.dot", &err), ROOF_ERR_INPUT);
        assert_string_equal(err.msg, want);
        roof_dag_free(g);
    }
    /* Six long names: five listed, all cut, the rest counted. */
    size_t size = 0;
    char *six = malloc(8 * 300 + 64);
    assert_non_null(six);
    size += (size_t)sprintf(six, "digraph {");
    for (int i = 0; i < 6; i++) {
        six[size++] = ' ';
        memset(six + size, 'a' + i, 250);
        size += 250;
        size += (size_t)sprintf(six + size, " [kind=comm];");
    }
    size += (size_t)sprintf(six + size, " }");
    roof_dag *g = read_text(six, size, 0, &err);
    assert_non_null(g);
    assert_int_equal(roof_dag_time(g, &hw, 0, "t.dot", &err), ROOF_ERR_INPUT);
    assert_non_null(strstr(err.msg, "...', 'eeeeee"));
    assert_non_null(strstr(err.msg, "...' and 1 more: kind 'comm' needs collective=, bytes= and group="));
    roof_dag_free(g);
    /* A cycle through long names is named, cut, up to what fits. */
    size = (size_t)sprintf(six, "digraph {");
    for (int i = 0; i < 7; i++) {
        size += (size_t)sprintf(six + size, " \"");
        memset(six + size, 'p' + i, 200);
        size += 200;
        size += (size_t)sprintf(six + size, "\" ->");
    }
    size += (size_t)sprintf(six + size, " \"");
    memset(six + size, 'p', 200);
    size += 200;
    size += (size_t)sprintf(six + size, "\"; }");
    g = read_text(six, size, 0, &err);
    assert_non_null(g);
    roof_dag_path p;
    assert_int_equal(roof_dag_critical_path(g, "t.dot", &p, &err), ROOF_ERR_INPUT);
    assert_true(strlen(err.msg) < 400);
    assert_non_null(strstr(err.msg, "the graph has a cycle: 'ppp"));
    assert_non_null(strstr(err.msg, "...' -> ..."));
    roof_dag_free(g);
    free(six);
    free(t);
}

/* Security issue, item 12: edges are bounded as nodes are (a file of
 * repeated "a -> b;" adds no node); the message says which bound. */
static void test_edges_bounded(void **state)
{
    (void)state;
    roof_error err;
    roof_dag *g = roof_dag_alloc();
    assert_int_equal(roof_dag_add_node(g, "a", "a", NULL, NULL, &err), 0);
    assert_int_equal(roof_dag_add_edge(g, 0, 0, 0, &err), ROOF_OK);
    g->ne = ROOF_DAG_MAX_EDGES; /* as if the edges were there: the check comes first */
    assert_int_equal(roof_dag_add_edge(g, 0, 0, 0, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.msg, "the graph would exceed 16000000 edges");
    g->ne = 1;
    roof_dag_free(g);
    /* The appender never runs past its buffer, whatever it is given. */
    char buf[16];
    size_t at = 0;
    roof_dag_append(buf, sizeof buf, &at, "%s", "0123456789");
    roof_dag_append(buf, sizeof buf, &at, "%s", "abcdefghij");
    assert_int_equal(at, sizeof buf - 1);
    assert_string_equal(buf, "0123456789abcde");
    roof_dag_append(buf, sizeof buf, &at, "%s", "more");
    assert_string_equal(buf, "0123456789abcde");
}

/* Speculative decoding draws its proposer before the verify pass, and the
 * decode critical path is the whole step: TPOT x expected tokens per step,
 * (1 - a^(k+1)) / (1 - a) (Leviathan et al. 2023, Eq. 1). DeepSeek-V3
 * with MTP, k = 1, a = 0.85: 1.85 tokens per step; with k = 3, 1 + 0.85
 * + 0.7225 + 0.614125 = 3.186625. The same with a draft model
 * (Llama-3.1-8B drafting with a 2-layer model of its width). */
static void test_spec_proposer_drawn(void **state)
{
    (void)state;
    static roof_scenario s;
    static roof_result r;
    char path[1024];
    snprintf(path, sizeof path, "%s/deepseek-v3-mtp-ep32.cfg", dir_of("LLMROOF_CONFIGS", "configs"));
    char llama[1024];
    snprintf(llama, sizeof llama, "%s/llama-3.1-8b.cfg", dir_of("LLMROOF_CONFIGS", "configs"));
    const struct {
        const char *cfg;
        const char *sets[6];
        int nsets;
        double tokens;
    } cases[] = {
        {path, {"workload.spec.k=1"}, 1, 1.85},
        {path, {"workload.spec.k=3"}, 1, 3.186625},
        {llama,
         {"workload.spec.k=3", "workload.spec.acceptance=0.85", "workload.spec.method=draft", "draft.layers=2",
          "draft.hidden=4096", "draft.heads=32"},
         6,
         3.186625},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        roof_error err;
        if (roof_scenario_load(cases[i].cfg, NULL, NULL, "h100-sxm", cases[i].sets, cases[i].nsets, &s, NULL, &err) !=
                ROOF_OK ||
            roof_evaluate(&s, &r, &err) != ROOF_OK)
            fail_msg("%s: %s: %s", cases[i].cfg, err.where, err.msg);
        check_rel(r.metrics.spec_tokens, cases[i].tokens, 1e-12, "tokens per step");
        check_rel(r.metrics.spec_step_s, r.metrics.tpot_s * cases[i].tokens, 1e-12, "step = TPOT x tokens");
        round_trip(&s, &r, ROOF_DAG_DECODE, 0, r.metrics.spec_step_s, "spec decode");
        round_trip(&s, &r, ROOF_DAG_DECODE, 1, r.metrics.spec_step_s, "spec decode, expanded");
        /* The proposer's nodes are there, and only with speculation on. */
        roof_dag *g = roof_dag_alloc();
        roof_dag_build_opts o = {ROOF_DAG_DECODE, 0};
        assert_int_equal(roof_dag_build(&s, &r, &o, g, &err), ROOF_OK);
        int prop = 0;
        for (int64_t v = 0; v < g->n; v++)
            prop += strncmp(g->nodes[v].name, "d_prop_", 7) == 0;
        assert_true(prop > 0);
        roof_dag_free(g);
    }
    const char *off[] = {"workload.spec.k=0"};
    roof_error err;
    assert_int_equal(roof_scenario_load(path, NULL, NULL, "h100-sxm", off, 1, &s, NULL, &err), ROOF_OK);
    assert_int_equal(roof_evaluate(&s, &r, &err), ROOF_OK);
    roof_dag *g = roof_dag_alloc();
    roof_dag_build_opts o = {ROOF_DAG_DECODE, 0};
    assert_int_equal(roof_dag_build(&s, &r, &o, g, &err), ROOF_OK);
    for (int64_t v = 0; v < g->n; v++)
        assert_true(strncmp(g->nodes[v].name, "d_prop_", 7) != 0);
    roof_dag_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_configs),     cmocka_unit_test(test_round_trip_microbatches),
        cmocka_unit_test(test_round_trip_cudnn),       cmocka_unit_test(test_seed001_by_hand),
        cmocka_unit_test(test_synthetic_both_readers), cmocka_unit_test(test_longest_path_small),
        cmocka_unit_test(test_errors_name_nodes),      cmocka_unit_test(test_expand_bounded),
        cmocka_unit_test(test_readers_refuse_partial), cmocka_unit_test(test_readers_agree_newline),
        cmocka_unit_test(test_long_names_bounded),     cmocka_unit_test(test_spec_proposer_drawn),
        cmocka_unit_test(test_edges_bounded),          cmocka_unit_test(test_reader_state_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
