/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof hw list | hw show [NAME|FILE]: the hardware profiles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/parse_opts.h"
#include "hw/profile.h"

static void help(void)
{
    printf("usage: llmroof hw list [--format table|csv|json]\n"
           "       llmroof hw show [NAME|FILE] [--set PATH=VALUE]... [--format table|csv|json]\n\n"
           "The hardware profiles built into llmroof (hw/profiles/*.cfg, embedded at build\n"
           "time) and any profile file. 'show' prints every hw.* parameter of one profile,\n"
           "after --set overrides; without NAME it shows the --hw profile (default %s).\n\n"
           "Examples:\n"
           "  llmroof hw list\n"
           "  llmroof hw show mi300x\n"
           "  llmroof hw show ./my-gpu.cfg --format json\n",
           ROOF_DEFAULT_HW);
}

static int list(roof_cli *cli)
{
    roof_out *out = roof_out_new(cli->format, ROOF_OUT_ROWS, NULL);
    for (size_t i = 0; i < roof_hw_builtin_count(); i++) {
        roof_hw hw;
        roof_error err;
        if (roof_hw_load(roof_hw_builtin_name(i), &hw, &err) != ROOF_OK) {
            roof_out_free(out);
            return roof_cli_fail(&err);
        }
        roof_out_row(out);
        roof_out_str(out, "name", hw.name);
        roof_out_num(out, "bf16", "FLOP/s", hw.compute[ROOF_DT_BF16]);
        roof_out_num(out, "fp8", "FLOP/s", hw.compute[ROOF_DT_FP8]);
        roof_out_num(out, "memory_bandwidth", "B/s", hw.mem_bandwidth);
        roof_out_num(out, "memory_capacity", "B", hw.mem_capacity);
        roof_out_num(out, "node_bandwidth", "B/s", hw.node.bandwidth);
        roof_out_int(out, "node_size", hw.node.size);
        roof_out_str(out, "description", hw.description);
    }
    return roof_cli_emit(cli, out);
}

static int show(roof_cli *cli)
{
    roof_error err;
    if (roof_cli_load_hw(cli, &err) != ROOF_OK)
        return roof_cli_fail(&err);
    char title[640];
    snprintf(title, sizeof title, "%s: %s (%s)", cli->hw.name, cli->hw.description, cli->hw.source);
    roof_out *out = roof_out_new(cli->format, ROOF_OUT_RECORD, title);
    roof_out_str(out, "name", cli->hw.name);
    roof_out_str(out, "description", cli->hw.description);
    roof_out_str(out, "source", cli->hw.source);
    for (size_t i = 0; i < roof_hw_params.count; i++) {
        const roof_param *p = &roof_hw_params.params[i];
        const char *key = roof_param_local_path(&roof_hw_params, p);
        double v = roof_param_get(p, &cli->hw);
        if (v == 0.0 && (p->flags & ROOF_PARAM_ZERO_OK))
            continue; /* a dtype the part lacks, or an unused NVLS setting */
        if (p->kind == ROOF_PARAM_BOOL)
            roof_out_bool(out, key, v != 0.0);
        else if (p->kind == ROOF_PARAM_INT)
            roof_out_int(out, key, (int64_t)v);
        else
            roof_out_num(out, key, p->unit, v);
    }
    return roof_cli_emit(cli, out);
}

int roof_cmd_hw(int argc, char **argv)
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
    if (posc == 0) {
        rc = roof_cli_usage_error("hw", "expected 'list' or 'show'");
    } else if (strcmp(posv[0], "list") == 0) {
        rc = posc == 1 ? list(&cli) : roof_cli_usage_error("hw", "'list' takes no arguments");
    } else if (strcmp(posv[0], "show") == 0) {
        if (posc > 2) {
            rc = roof_cli_usage_error("hw", "'show' takes one profile name or file");
        } else {
            if (posc == 2)
                cli.hw_name = posv[1];
            rc = show(&cli);
        }
    } else {
        rc = roof_cli_usage_error("hw", "unknown action '%s' (expected 'list' or 'show')", posv[0]);
    }
out:
    free(posv);
    return rc;
}
