/* SPDX-License-Identifier: GPL-3.0-or-later */
/* NCCL's latency factor fitted over sources (validation/comm_scale.c): on
 * rows whose "measurements" are the model's own times at a known factor,
 * the fit finds that factor; with two sources at two factors, the fold
 * without one source finds the other's (a source never sees its own rows);
 * rows the fit must not take (two nodes, MI300X, all-to-all) are left out;
 * the DGX sweep loads from 1 KiB. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "validation/comm_scale.h"

static roof_comm_row row(const char *source, const char *hw, roof_collective op, double bytes, int64_t nodes)
{
    roof_comm_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.source, sizeof r.source, "%s", source);
    snprintf(r.hw, sizeof r.hw, "%s", hw);
    r.comm = (roof_comm){.op = op, .algo = ROOF_ALGO_AUTO, .bytes = bytes, .group = 8, .nodes = nodes};
    return r;
}

/* Row r "measured" at factor k: the model's own time. */
static void measure(roof_comm_row *r, double k)
{
    roof_error err;
    if (roof_comm_scale_predict(r, k, &r->measured_s, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
}

static void test_fit(void **state)
{
    (void)state;
    enum { N = 12 };
    roof_comm_row rows[N + 3];
    /* Small sizes, where the latency matters: 1 KiB to 32 KiB. */
    for (int i = 0; i < N; i++) {
        rows[i] = row(i < N / 2 ? "a/one" : "b/two", i % 2 ? "a100-sxm" : "h200",
                      i % 3 ? ROOF_COLL_ALL_REDUCE : ROOF_COLL_ALL_GATHER, 1024.0 * (1 << (i % 6)), 1);
        measure(&rows[i], i < N / 2 ? 2.0 : 1.5);
    }
    /* Rows the fit must not take, each wildly off: across two nodes, on
     * MI300X (RCCL), an all-to-all. */
    rows[N] = row("a/one", "h100-sxm", ROOF_COLL_ALL_REDUCE, 4096.0, 2);
    rows[N + 1] = row("a/one", "mi300x", ROOF_COLL_ALL_REDUCE, 4096.0, 1);
    rows[N + 2] = row("a/one", "h100-sxm", ROOF_COLL_ALL_TO_ALL, 4096.0, 1);
    for (int i = N; i < N + 3; i++) {
        assert_false(roof_comm_scale_row(&rows[i]));
        rows[i].measured_s = 1.0;
    }
    roof_error err;
    double k;
    size_t used;
    /* Without b/two: only a/one's rows, measured at 2. */
    assert_int_equal(roof_comm_scale_fit(rows, N + 3, "b/two", &k, &used, &err), ROOF_OK);
    assert_int_equal(used, N / 2);
    if (fabs(k - 2.0) > 1e-4)
        fail_msg("fold without b/two: k = %.9g, want 2", k);
    assert_int_equal(roof_comm_scale_fit(rows, N + 3, "a/one", &k, &used, &err), ROOF_OK);
    if (fabs(k - 1.5) > 1e-4)
        fail_msg("fold without a/one: k = %.9g, want 1.5", k);
    /* Both: between the two. */
    assert_int_equal(roof_comm_scale_fit(rows, N + 3, NULL, &k, &used, &err), ROOF_OK);
    assert_int_equal(used, N);
    assert_true(k > 1.5 && k < 2.0);
    /* Nothing left: no factor. */
    assert_int_equal(roof_comm_scale_fit(rows, N / 2, "a/one", &k, &used, &err), ROOF_OK);
    assert_int_equal(used, 0);
    assert_true(isnan(k));
}

static void test_sweep(void **state)
{
    (void)state;
    const char *dir = getenv("LLMROOF_DATA");
    roof_comm_row *rows = NULL;
    size_t n = 0, cap = 0;
    roof_error err;
    if (roof_comm_scale_load_sweep(dir ? dir : "validation/data", &rows, &n, &cap, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    /* allreduce_h100_8gpu.csv: 8 B .. 16 GiB in powers of two; from 1 KiB:
     * 2^10 .. 2^34, 25 rows. */
    assert_int_equal(n, 25);
    assert_string_equal(rows[0].source, "nccl-tests DGX H100 sweep");
    assert_true(rows[0].comm.bytes == 1024.0 && roof_comm_scale_row(&rows[0]));
    free(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_fit), cmocka_unit_test(test_sweep)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
