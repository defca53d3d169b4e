/* Fuzzes DOT import (dag/dot_read.c, dag/dot_fast.c): the input is read
 * twice, through the default path (the fast reader for the plain subset,
 * cgraph for the rest) and through cgraph alone. When both accept it they
 * must agree on the graph, as the unit tests check on the fixtures. A graph
 * that loads is then timed on the H100 profile and its critical path
 * taken and written out, as `llmroof critical-path` does. */
#include "fuzz/harness.h"

#include "dag/dot.h"
#include "dag/graph.h"
#include "hw/profile.h"

static roof_hw h100;
static int ready;

static void walk(roof_dag *g)
{
    roof_error err;
    roof_dag_path path = {0, NULL, 0.0};
    char *terms = NULL;
    int rc = roof_dag_time(g, &h100, 0, "fuzz.dot", &err);
    roof_fuzz_check_error(rc, &err);
    if (rc == ROOF_OK) {
        rc = roof_dag_critical_path(g, "fuzz.dot", &path, &err);
        roof_fuzz_check_error(rc, &err);
    }
    if (rc == ROOF_OK)
        roof_fuzz_check_error(roof_dag_path_terms(g, &path, &terms, &err), &err);
    free(terms);
    roof_dag_path_free(&path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    roof_error err;
    if (!ready) {
        if (roof_hw_load("h100-sxm", &h100, &err) != ROOF_OK)
            abort();
        ready = 1;
    }
    roof_dag *fast = NULL, *slow = NULL;
    int rc_fast = roof_dag_read_dot_text((const char *)data, size, "fuzz.dot", 0, &fast, &err);
    roof_fuzz_check_error(rc_fast, &err);
    int rc_slow = roof_dag_read_dot_text((const char *)data, size, "fuzz.dot", ROOF_DOT_CGRAPH_ONLY, &slow, &err);
    roof_fuzz_check_error(rc_slow, &err);
    if (rc_fast == ROOF_OK && rc_slow == ROOF_OK) {
        if (fast->n != slow->n || fast->ne != slow->ne)
            abort();
        for (int64_t v = 0; v < fast->n; v++)
            if (strcmp(fast->nodes[v].name, slow->nodes[v].name) != 0)
                abort();
    }
    if (rc_fast == ROOF_OK)
        walk(fast);
    roof_dag_free(fast);
    roof_dag_free(slow);
    return 0;
}
