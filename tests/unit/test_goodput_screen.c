/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The goodput search's screen (analysis/goodput_screen.c) against the
 * exact search (analysis/serve_goodput.c) on one replica of Llama-3-8B on
 * H100 (prompts of 1000 and outputs of 200 tokens, chunk 1024): a floor
 * the exact goodput reaches is never screened, at any max_batch; a floor
 * well above it is; at floor 0 only an SLO no load meets is; no floor
 * screens nothing. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "analysis/serve.h"
#include "model/config.h"

static roof_scenario scen;
static roof_serve_cfg cfg;
static roof_serve_cost *cost;
static roof_goodput_memo *memo;

static void set(const char *a)
{
    roof_error err;
    if (roof_serve_set(&cfg, a, &err) != ROOF_OK)
        fail_msg("set %s: %s: %s", a, err.where, err.msg);
}

static int setup(void **state)
{
    (void)state;
    char path[1024];
    const char *dir = getenv("LLMROOF_CONFIGS");
    snprintf(path, sizeof path, "%s/llama3-8b.cfg", dir ? dir : "configs");
    roof_error err;
    if (roof_scenario_load(path, NULL, NULL, "h100-sxm", NULL, 0, &scen, NULL, &err) != ROOF_OK)
        fail_msg("load %s: %s: %s", path, err.where, err.msg);
    roof_serve_defaults(&cfg);
    set("traffic.prompt.mean=1000");
    set("traffic.output.mean=200");
    set("engine.chunk=1024");
    set("engine.max_batch=1024");
    set("engine.max_tokens=4096");
    if (roof_serve_cost_new(&scen, &cfg.engine, &cost, &err) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    memo = malloc(sizeof *memo);
    return memo ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(memo);
    roof_serve_cost_free(cost);
    return 0;
}

static roof_slo slo_of(const char *text)
{
    roof_slo s;
    roof_error err;
    if (roof_slo_parse(text, &s, &err) != ROOF_OK)
        fail_msg("slo %s: %s", text, err.msg);
    return s;
}

/* The exact goodput of one replica at max_batch mb. */
static double exact(const roof_slo *slos, int nslo, int64_t mb)
{
    roof_serve_cfg c = cfg;
    c.engine.max_batch = mb;
    roof_goodput g;
    roof_error err;
    roof_serve_goodput_reset(memo);
    if (roof_serve_goodput(cost, &c, slos, nslo, 1, 0, 0.0, 0, memo, &g, &err) != ROOF_OK)
        fail_msg("goodput: %s: %s", err.where, err.msg);
    return g.rate;
}

static int screen(const roof_slo *slos, int nslo, double floor)
{
    int below = -1;
    roof_error err;
    if (roof_serve_goodput_screen(cost, &cfg, slos, nslo, floor, &below, &err) != ROOF_OK)
        fail_msg("screen: %s: %s", err.where, err.msg);
    return below;
}

/* Under an ITL and a TTFT SLO, and under none (the engine's limits
 * alone): floors at or below the exact goodput of any max_batch stay;
 * one at 1.5 times the highest goes. */
static void test_floor_against_exact(void **state)
{
    (void)state;
    const roof_slo both[] = {slo_of("itl_mean<=0.012"), slo_of("ttft_p90<=0.5")};
    const struct {
        const roof_slo *slos;
        int n;
    } cases[] = {{both, 2}, {both, 1}, {NULL, 0}};
    const int64_t batches[] = {8, 64, 1024};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double top = 0.0;
        for (size_t j = 0; j < sizeof batches / sizeof *batches; j++) {
            double g = exact(cases[i].slos, cases[i].n, batches[j]);
            assert_true(g > 0.0);
            top = fmax(top, g);
            const double share[] = {0.5, 0.9, 0.999, 1.0};
            for (size_t k = 0; k < sizeof share / sizeof *share; k++)
                if (screen(cases[i].slos, cases[i].n, share[k] * g) != 0)
                    fail_msg("case %zu max_batch %lld: floor %g x the goodput %g screened", i, (long long)batches[j],
                             share[k], g);
        }
        assert_int_equal(screen(cases[i].slos, cases[i].n, 1.5 * top), 1);
    }
}

/* Floor 0: only an SLO that no load meets (1 ns of TTFT) is screened;
 * a negative floor (none yet) screens nothing. */
static void test_floor_zero(void **state)
{
    (void)state;
    const roof_slo none = slo_of("ttft_mean<=1n"), some = slo_of("itl_mean<=0.012");
    assert_true(exact(&none, 1, 1024) == 0.0);
    assert_int_equal(screen(&none, 1, 0.0), 1);
    assert_int_equal(screen(&some, 1, 0.0), 0);
    assert_int_equal(screen(&none, 1, -1.0), 0);
    assert_int_equal(screen(&some, 1, -1.0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_floor_against_exact),
        cmocka_unit_test(test_floor_zero),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
