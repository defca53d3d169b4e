/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parameter registry: --set parsing and range checks on hw.* paths. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/param.h"
#include "hw/hw.h"

static int set(roof_hw *hw, const char *assignment, roof_error *err)
{
    const roof_param_table *tables[] = {&roof_hw_params};
    void *bases[] = {hw};
    return roof_param_set(tables, bases, 1, assignment, err);
}

static void test_set_values(void **state)
{
    (void)state;
    roof_hw hw;
    memset(&hw, 0, sizeof hw);
    roof_error err;
    assert_int_equal(set(&hw, "hw.memory.bandwidth=3.35T", &err), ROOF_OK);
    assert_true(hw.mem_bandwidth == 3.35e12);
    assert_int_equal(set(&hw, "hw.compute.bf16=989.4T", &err), ROOF_OK);
    assert_true(hw.compute[ROOF_DT_BF16] == 989.4e12);
    assert_int_equal(set(&hw, "hw.gemm.units=132", &err), ROOF_OK);
    assert_true(hw.units == 132);
    assert_int_equal(set(&hw, "hw.network.node.nvls=true", &err), ROOF_OK);
    assert_int_equal(hw.node.nvls, 1);
    assert_int_equal(set(&hw, "hw.network.node.nvls=0", &err), ROOF_OK);
    assert_int_equal(hw.node.nvls, 0);
    assert_int_equal(set(&hw, "hw.network.cluster.latency=4.3e-6", &err), ROOF_OK);
    assert_true(hw.cluster.latency == 4.3e-6);
    /* A dtype may be set to 0: the part lacks it. */
    assert_int_equal(set(&hw, "hw.compute.fp8=0", &err), ROOF_OK);
    assert_true(hw.compute[ROOF_DT_FP8] == 0.0);
    assert_int_equal(set(&hw, "hw.memory.capacity=80Gi", &err), ROOF_OK);
    assert_true(hw.mem_capacity == 85899345920.0);
}

static void check_set_error(const char *assignment, const char *msg)
{
    roof_hw hw;
    memset(&hw, 0, sizeof hw);
    roof_error err;
    assert_int_equal(set(&hw, assignment, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.where, "--set");
    assert_string_equal(err.msg, msg);
}

static void test_set_errors(void **state)
{
    (void)state;
    check_set_error("hw.memory.bandwdth=3T",
                    "unknown parameter 'hw.memory.bandwdth' (did you mean 'hw.memory.bandwidth'?)");
    check_set_error("hw.compute.bf61=1", "unknown parameter 'hw.compute.bf61' (did you mean 'hw.compute.bf16'?)");
    check_set_error("zzz=1", "unknown parameter 'zzz' (see 'llmroof params')");
    check_set_error("hw.memory.bandwidth", "expected PATH=VALUE (got 'hw.memory.bandwidth')");
    check_set_error("=3", "bad parameter path in '=3'");
    check_set_error(
        "hw.memory.bandwidth=3.35X",
        "'hw.memory.bandwidth': bad number '3.35X': unknown suffix 'X' (use n u m k M G T P or Ki Mi Gi Ti Pi)");
    check_set_error("hw.memory.bandwidth=0", "'hw.memory.bandwidth' must be positive (got 0)");
    check_set_error("hw.efficiency.compute=1.2", "'hw.efficiency.compute' must be in (0, 1] (got 1.2)");
    check_set_error("hw.gemm.units=0", "'hw.gemm.units' must be in [1, 1e+06] (got 0)");
    check_set_error("hw.gemm.tile_m=2.5", "'hw.gemm.tile_m' must be a whole number (got 2.5)");
    check_set_error("hw.network.node.nvls=2", "'hw.network.node.nvls' must be true or false (got 2)");
    check_set_error("hw.network.node.latency=-1e-6", "'hw.network.node.latency' must be in [0, 1] (got -1e-06)");
}

/* Every entry of the table is reachable and names a distinct field. */
static void test_table_is_consistent(void **state)
{
    (void)state;
    for (size_t i = 0; i < roof_hw_params.count; i++) {
        const roof_param *p = &roof_hw_params.params[i];
        assert_non_null(strstr(p->path, "hw."));
        assert_ptr_equal(roof_param_find(&roof_hw_params, p->path), p);
        assert_true(p->meaning && p->meaning[0]);
        for (size_t j = 0; j < i; j++)
            if (roof_hw_params.params[j].offset == p->offset)
                fail_msg("'%s' and '%s' share a field", p->path, roof_hw_params.params[j].path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_values),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_table_is_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
