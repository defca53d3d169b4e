/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof params: every parameter path with unit, meaning, range and its
 * value in the selected profile. The docs are generated from this table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/serve.h"
#include "cli/parse_opts.h"
#include "model/config.h"

static void help(void)
{
    printf("usage: llmroof params [--hw NAME|FILE] [--set PATH=VALUE]... [--format table|csv|json]\n\n"
           "Lists every parameter a config, --set, a sweep or a sensitivity analysis can\n"
           "name, with its unit, valid range, meaning and its value in the built-in default\n"
           "deployment on the --hw profile (default %s). A config may omit any parameter\n"
           "but model.layers, model.hidden and model.heads: the value shown for the others\n"
           "is then their default. Numbers accept SI suffixes: n u m k M G T P, Ki Mi Gi Ti Pi.\n\n"
           "Examples:\n"
           "  llmroof params\n"
           "  llmroof params --hw b200 --format csv\n",
           ROOF_DEFAULT_HW);
}

static void range_text(const roof_param *p, char *buf, size_t size)
{
    if (p->kind == ROOF_PARAM_BOOL) {
        snprintf(buf, size, "true|false");
        return;
    }
    if (p->kind == ROOF_PARAM_ENUM) {
        size_t used = 0;
        buf[0] = '\0';
        for (int i = 0; p->choices[i] && used < size; i++) {
            int w = snprintf(buf + used, size - used, "%s%s", i ? "|" : "", p->choices[i]);
            if (w < 0)
                break;
            used += (size_t)w;
        }
        return;
    }
    char lo = (p->flags & ROOF_PARAM_MIN_OPEN) ? '(' : '[';
    if (isinf(p->max))
        snprintf(buf, size, "%c%g, inf)%s", lo, p->min, (p->flags & ROOF_PARAM_ZERO_OK) ? " or 0" : "");
    else
        snprintf(buf, size, "%c%g, %g]%s", lo, p->min, p->max, (p->flags & ROOF_PARAM_ZERO_OK) ? " or 0" : "");
}

int roof_cmd_params(int argc, char **argv)
{
    static const struct option longopts[] = {ROOF_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    if (!posv)
        return ROOF_ERR_RUNTIME;
    int posc = 0;
    int rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, NULL, NULL, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc != 0) {
        rc = roof_cli_usage_error("params", "takes no arguments");
        goto out;
    }
    roof_error err;
    roof_scenario *sc = calloc(1, sizeof *sc);
    if (!sc || roof_scenario_load(NULL, roof_config_default_text(), cli.hw_explicit ? cli.hw_name : NULL,
                                  ROOF_DEFAULT_HW, cli.sets, cli.nsets, sc, NULL, &err) != ROOF_OK) {
        rc = sc ? roof_cli_fail(&err) : ROOF_ERR_RUNTIME;
        free(sc);
        goto out;
    }
    /* The scenario's tables, then serve's traffic and engine settings at
     * their defaults. */
    const roof_param_table *tables[ROOF_SCENARIO_TABLES + 2];
    void *bases[ROOF_SCENARIO_TABLES + 2];
    roof_scenario_tables(sc, tables, bases);
    roof_serve_cfg serve;
    roof_serve_defaults(&serve);
    tables[ROOF_SCENARIO_TABLES] = &roof_traffic_params;
    bases[ROOF_SCENARIO_TABLES] = &serve.traffic;
    tables[ROOF_SCENARIO_TABLES + 1] = &roof_engine_params;
    bases[ROOF_SCENARIO_TABLES + 1] = &serve.engine;
    roof_out *o = roof_out_new(cli.format, ROOF_OUT_ROWS, NULL);
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        for (size_t i = 0; i < tables[t]->count; i++) {
            const roof_param *p = &tables[t]->params[i];
            char range[96], value[64];
            range_text(p, range, sizeof range);
            roof_param_format(p, roof_param_get(p, bases[t]), value, sizeof value);
            roof_out_row(o);
            roof_out_str(o, "path", p->path);
            roof_out_str(o, "unit", p->unit[0] ? p->unit : "1");
            roof_out_str(o, "range", range);
            if (cli.format == ROOF_FMT_TABLE)
                roof_out_str(o, "value", value);
            else
                roof_out_num(o, "value", p->unit, roof_param_get(p, bases[t]));
            roof_out_str(o, "meaning", p->meaning);
        }
    }
    rc = roof_cli_emit(&cli, o);
    free(sc);
out:
    free(posv);
    return rc;
}
