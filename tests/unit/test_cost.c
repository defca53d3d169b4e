/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Total cost of ownership (model/cost.c): a case worked by hand, the
 * defaults, and bad values with their exact errors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hw/profile.h"
#include "model/config.h"
#include "model/cost.h"

static const char *fixture(const char *name)
{
    static char path[1024];
    const char *dir = getenv("LLMROOF_FIXTURES");
    snprintf(path, sizeof path, "%s/hw/%s", dir ? dir : "tests/fixtures", name);
    return path;
}

static void near(double got, double want)
{
    if (fabs(got - want) > 1e-9 * fabs(want))
        fail_msg("got %.12g, want %.12g", got, want);
}

/* tests/fixtures/hw/cost.cfg on 8 GPUs making 1000 tok/s, by hand:
 *   capital per GPU     C = 25000 + 100000 / 4 = 50000 USD
 *   annuity             A = 0.1 / (1 - 1.1^-4) = 0.1 / (1 - 1 / 1.4641)
 *                         = 0.1 / 0.3169865446 = 0.3154708037
 *   capital per hour      C x A / 8766 = 15773.540185 / 8766 = 1.7993999755
 *   hosting per hour      1 kW x 150 USD x 12 months / 8766 h = 0.2053388090
 *   energy per hour       1 kW x PUE 1.25 x 0.1 USD/kWh = 0.125
 *   owned per GPU-hour    (1.7993999755 + 0.2053388090) / 0.5 + 0.125
 *                         = 4.1344775691
 *   GPU-hours per Mtok    8 / 3600 / 1000 x 1e6 = 2.2222222222
 *   owned $/Mtok          4.1344775691 x 2.2222222222 = 9.1877279313
 *   rented $/Mtok         4.0 x 2.2222222222 = 8.8888888889
 *   break-even            2.0047387845 / (4.0 - 0.125) = 0.5173519444
 *   tokens/s per MW       1000 / (8 x 1000 W x 1.25 / 1e6) = 100000 */
static void test_hand_case(void **state)
{
    (void)state;
    roof_hw hw;
    roof_error err;
    if (roof_hw_load(fixture("cost.cfg"), &hw, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    roof_cost_result c;
    assert_int_equal(roof_cost_eval(&hw, 8, 1000, &c, &err), ROOF_OK);
    assert_true(c.owned);
    near(c.capital_usd, 50000.0);
    near(c.annuity, 0.3154708037060977);
    near(c.capital_usd_per_hour, 1.7993999755082002);
    near(c.hosting_usd_per_hour, 0.2053388090349076);
    near(c.energy_usd_per_hour, 0.125);
    near(c.owned_usd_per_hour, 4.134477569086216);
    near(c.usd_per_mtok_owned, 9.187727931302701);
    near(c.usd_per_mtok_rented, 8.888888888888888);
    near(c.break_even_utilisation, 0.5173519443982214);
    near(c.tokens_per_s_per_mw, 100000.0);
}

/* Without interest the annuity is straight-line 1/n: 1/4. */
static void test_straight_line(void **state)
{
    (void)state;
    roof_hw hw;
    roof_error err;
    assert_int_equal(roof_hw_load(fixture("cost.cfg"), &hw, &err), ROOF_OK);
    hw.cost.interest = 0.0;
    roof_cost_result c;
    assert_int_equal(roof_cost_eval(&hw, 8, 1000, &c, &err), ROOF_OK);
    near(c.annuity, 0.25);
}

/* A rental price below the energy alone: renting is cheaper at any use. */
static void test_never_breaks_even(void **state)
{
    (void)state;
    roof_hw hw;
    roof_error err;
    assert_int_equal(roof_hw_load(fixture("cost.cfg"), &hw, &err), ROOF_OK);
    hw.price_usd_per_hour = 0.1;
    roof_cost_result c;
    assert_int_equal(roof_cost_eval(&hw, 8, 1000, &c, &err), ROOF_OK);
    assert_true(isnan(c.break_even_utilisation));
}

/* A built-in profile has no purchase price: owning is not priced, and the
 * defaults of hw/hw_params.c fill the rest (load = 700 W x 10.2 kW /
 * (8 x 700 W) = 1275 W; PUE 1.56). */
static void test_defaults(void **state)
{
    (void)state;
    roof_hw hw;
    roof_error err;
    assert_int_equal(roof_hw_load("h100-sxm", &hw, &err), ROOF_OK);
    near(hw.cost.years, 5.0);
    near(hw.cost.interest, 0.08);
    near(hw.cost.utilisation, 0.7);
    near(hw.cost.pue, 1.56);
    near(hw.cost.usd_per_kwh, 0.0806);
    near(hw.cost.hosting_usd_per_kw_month, 184.06);
    roof_cost_result c;
    assert_int_equal(roof_cost_eval(&hw, 1, 1000, &c, &err), ROOF_OK);
    assert_false(c.owned);
    assert_true(isnan(c.usd_per_mtok_owned));
    near(c.load_watts, 1275.0);
    near(c.tokens_per_s_per_mw, 1000.0 / (1275.0 * 1.56 / 1e6));
}

/* The provenance of --explain keeps ROOF_MAX_TABLE_PARAMS entries per
 * table, and the profile loader writes one per hw.* parameter: the cost
 * settings took the hw table past the old 48. */
static void test_provenance_room(void **state)
{
    (void)state;
    assert_true(roof_hw_params.count <= ROOF_MAX_TABLE_PARAMS);
}

static void test_bad_values(void **state)
{
    (void)state;
    roof_hw hw;
    roof_error err;
    assert_int_equal(roof_hw_load(fixture("cost_utilisation.cfg"), &hw, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.msg, "'cost.utilisation' must be in (0, 1] (got 1.5)");
    assert_int_equal(roof_hw_load(fixture("cost_pue.cfg"), &hw, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.msg, "'cost.pue' must be in [1, 10] (got 0.9)");
    assert_int_equal(roof_hw_load(fixture("cost.cfg"), &hw, &err), ROOF_OK);
    roof_cost_result c;
    assert_int_equal(roof_cost_eval(&hw, 0, 1000, &c, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.msg, "the GPU count must be positive (got 0)");
    assert_int_equal(roof_cost_eval(&hw, 8, NAN, &c, &err), ROOF_ERR_INPUT);
    assert_string_equal(err.msg, "the token rate must be positive (got nan)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_case),         cmocka_unit_test(test_straight_line),
        cmocka_unit_test(test_never_breaks_even), cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_bad_values),        cmocka_unit_test(test_provenance_room),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
