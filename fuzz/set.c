/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the number and `--set PATH=VALUE` parsers (core/number.c,
 * core/param.c) and the unit formatter (core/units.c): the input is one
 * assignment, applied to the default deployment on the H100 profile (and
 * the result evaluated); the same text is also read as a number, a count
 * and as the value of every registry parameter, and each number read is
 * formatted back in every unit a table prints. */
#include "fuzz/harness.h"

#include <stdio.h>

#include "core/number.h"
#include "core/units.h"
#include "hw/profile.h"
#include "model/config.h"
#include "model/evaluate.h"

/* Set up once: the default deployment and the work space (roof_result is
 * 440 KB; per input, ASan's mmap of it would dominate). */
static roof_scenario *base, *s;
static roof_result *res;

static void setup(void)
{
    if (base)
        return;
    roof_error err;
    base = malloc(sizeof *base);
    s = malloc(sizeof *s);
    res = malloc(sizeof *res);
    if (!base || !s || !res ||
        roof_config_load_text(roof_config_default_text(), "default.cfg", base, NULL, &err) != ROOF_OK ||
        roof_hw_load("h100-sxm", &base->hw, &err) != ROOF_OK)
        abort();
}

static void format_all(const roof_param *p, double v)
{
    static const char *const units[] = {"s", "B", "B/s", "FLOP", "FLOP/s", "FLOP/B", "W", "USD/h", ""};
    char buf[64];
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        roof_units_format(v, units[i], buf, sizeof buf);
    if (p)
        roof_param_format(p, v, buf, sizeof buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    char *text = roof_fuzz_cstr(data, size);
    if (!text)
        return 0;
    roof_error err;
    *s = *base;
    int rc = roof_scenario_set(s, text, &err);
    roof_fuzz_check_error(rc, &err);
    if (rc == ROOF_OK)
        roof_fuzz_check_error(roof_evaluate(s, res, &err), &err);

    double v;
    rc = roof_parse_double(text, &v, &err);
    roof_fuzz_check_error(rc, &err);
    if (rc == ROOF_OK)
        format_all(NULL, v);
    int64_t n;
    roof_fuzz_check_error(roof_parse_count(text, "N", &n, &err), &err);

    /* The value part alone (after '=', or all of it) as every parameter. */
    const char *eq = strchr(text, '=');
    const char *value = eq ? eq + 1 : text;
    const roof_param_table *tables[ROOF_SCENARIO_TABLES];
    void *bases[ROOF_SCENARIO_TABLES];
    roof_scenario_tables(s, tables, bases);
    for (int t = 0; t < ROOF_SCENARIO_TABLES; t++)
        for (size_t i = 0; i < tables[t]->count; i++) {
            const roof_param *p = &tables[t]->params[i];
            rc = roof_param_parse_value(p, p->path, value, &v, ROOF_ERR_USAGE, "--set", &err);
            roof_fuzz_check_error(rc, &err);
            if (rc == ROOF_OK)
                format_all(p, v);
        }
    free(text);
    return 0;
}
