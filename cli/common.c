/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "hw/profile.h"
#include "core/units.h"
#include "model/config.h"

static int looks_negative_number(const char *s)
{
    return s[0] == '-' && (isdigit((unsigned char)s[1]) || (s[1] == '.' && isdigit((unsigned char)s[2])));
}

/* Does the option token tok take its argument from the next token? */
static int takes_next(const char *tok, const char *shortopts, const struct option *longopts)
{
    if (tok[1] == '-') {
        const char *name = tok + 2;
        if (strchr(name, '='))
            return 0;
        for (const struct option *o = longopts; o && o->name; o++)
            if (strcmp(o->name, name) == 0)
                return o->has_arg == required_argument;
        return 0;
    }
    /* A cluster of short options: the first that takes an argument takes the
     * rest of the token, or the next token when it ends the cluster. */
    for (const char *c = tok + 1; *c; c++) {
        const char *spec = strchr(shortopts, *c);
        if (spec && spec[1] == ':')
            return c[1] == '\0';
    }
    return 0;
}

void roof_cli_split(int argc, char **argv, const char *shortopts, const struct option *longopts, int *optc, char **optv,
                    int *posc, char **posv)
{
    int no = 0, np = 0;
    optv[no++] = argv[0];
    int only_pos = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0' || looks_negative_number(a)) {
            posv[np++] = a;
        } else if (strcmp(a, "--") == 0) {
            only_pos = 1;
        } else {
            optv[no++] = a;
            if (takes_next(a, shortopts, longopts) && i + 1 < argc)
                optv[no++] = argv[++i];
        }
    }
    *optc = no;
    *posc = np;
}

void roof_cli_init(roof_cli *cli)
{
    memset(cli, 0, sizeof *cli);
    cli->hw_name = ROOF_DEFAULT_HW;
    cli->format = ROOF_FMT_TABLE;
}

int roof_cli_common(roof_cli *cli, int opt, const char *arg, roof_error *err)
{
    switch (opt) {
    case ROOF_OPT_HW:
        cli->hw_name = arg;
        cli->hw_explicit = 1;
        return 1;
    case ROOF_OPT_SET:
        if (cli->nsets >= ROOF_MAX_SETS) {
            roof_error_set(err, ROOF_ERR_USAGE, "--set", "too many --set options (at most %d)", ROOF_MAX_SETS);
            return -1;
        }
        cli->sets[cli->nsets++] = arg;
        return 1;
    case ROOF_OPT_MODEL:
        if (!arg[0]) {
            roof_error_set(err, ROOF_ERR_USAGE, "--model", "the file name is empty");
            return -1;
        }
        cli->model_file = arg;
        return 1;
    case ROOF_OPT_FORMAT:
        return roof_format_parse(arg, &cli->format, err) == ROOF_OK ? 1 : -1;
    case 'o':
        if (!arg[0]) {
            roof_error_set(err, ROOF_ERR_USAGE, "-o", "the output path is empty");
            return -1;
        }
        cli->output = arg;
        return 1;
    case 'q':
        cli->quiet = 1;
        return 1;
    default:
        return 0;
    }
}

int roof_cli_read_model(roof_cli *cli, roof_error *err)
{
    if (!cli->model_file)
        return ROOF_OK;
    roof_hf_model *m = calloc(1, sizeof *m);
    if (!m)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "--model", "out of memory");
    int rc = roof_hf_model_load(cli->model_file, m, err);
    if (rc == ROOF_OK && cli->nsets + m->nsets > ROOF_MAX_SETS)
        rc = roof_error_set(err, ROOF_ERR_USAGE, "--set", "too many --set options with --model (at most %d)",
                            ROOF_MAX_SETS - m->nsets);
    if (rc == ROOF_OK) {
        /* The file's assignments first, so that each --set overrides them. */
        memmove(cli->sets + m->nsets, cli->sets, (size_t)cli->nsets * sizeof cli->sets[0]);
        for (int i = 0; i < m->nsets; i++) {
            memcpy(cli->model_sets[i], m->sets[i], sizeof cli->model_sets[i]);
            cli->sets[i] = cli->model_sets[i];
        }
        cli->nsets += m->nsets;
        snprintf(cli->model_name, sizeof cli->model_name, "%s", m->name);
        if (m->note[0] && !cli->quiet)
            fprintf(stderr, "llmroof: note: %s\n", m->note);
    }
    free(m);
    return rc;
}

void roof_cli_name_scenario(const roof_cli *cli, roof_scenario *s)
{
    if (cli->model_file)
        snprintf(s->name, sizeof s->name, "%s", cli->model_name);
}

int roof_cli_apply_sets(roof_cli *cli, roof_error *err)
{
    if (cli->model_file)
        return roof_error_set(err, ROOF_ERR_USAGE, "--model",
                              "has no effect here: this command takes hw.* parameters only "
                              "(use it with 'llmroof estimate')");
    const roof_param_table *tables[] = {&roof_hw_params};
    void *bases[] = {&cli->hw};
    for (int i = 0; i < cli->nsets; i++) {
        /* A deployment parameter is valid, but this command has none. */
        const char *deploy[] = {"model.", "workload.", "parallel."};
        for (int d = 0; d < 3; d++)
            if (strncmp(cli->sets[i], deploy[d], strlen(deploy[d])) == 0)
                return roof_error_set(err, ROOF_ERR_USAGE, "--set",
                                      "'%.*s' has no effect here: this command takes hw.* parameters only "
                                      "(use it with 'llmroof estimate')",
                                      (int)strcspn(cli->sets[i], "="), cli->sets[i]);
        int rc = roof_param_set(tables, bases, 1, cli->sets[i], err);
        if (rc != ROOF_OK)
            return rc;
    }
    return ROOF_OK;
}

int roof_cli_load_hw(roof_cli *cli, roof_error *err)
{
    int rc = roof_hw_load(cli->hw_name, &cli->hw, err);
    if (rc != ROOF_OK)
        return rc;
    return roof_cli_apply_sets(cli, err);
}

int roof_cli_fail(const roof_error *err)
{
    if (err->where[0])
        fprintf(stderr, "llmroof: %s: %s\n", err->where, err->msg);
    else
        fprintf(stderr, "llmroof: %s\n", err->msg);
    return err->code ? err->code : ROOF_ERR_RUNTIME;
}

int roof_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "llmroof: %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'llmroof %s --help'.\n", cmd);
    return ROOF_ERR_USAGE;
}

int roof_cli_emit(roof_cli *cli, roof_out *o)
{
    roof_error err;
    int rc = roof_out_write(o, cli->output, &err);
    roof_out_free(o);
    return rc == ROOF_OK ? 0 : roof_cli_fail(&err);
}

int roof_cli_scenario(roof_cli *cli, const char *config, roof_scenario *s, roof_error *err)
{
    int rc =
        roof_scenario_load(config, config ? NULL : roof_config_default_text(), cli->hw_explicit ? cli->hw_name : NULL,
                           ROOF_DEFAULT_HW, cli->sets, cli->nsets, s, NULL, err);
    if (rc == ROOF_OK)
        roof_cli_name_scenario(cli, s);
    return rc;
}

void roof_cli_put_param(roof_out *out, const char *key, const roof_param *p, double v)
{
    roof_cli_put_param_as(out, key, p, v, 0);
}

void roof_cli_put_param_as(roof_out *out, const char *key, const roof_param *p, double v, int table)
{
    if (table && p->kind == ROOF_PARAM_DOUBLE) {
        char buf[64];
        roof_param_format(p, v, buf, sizeof buf);
        roof_out_str(out, key, buf);
    } else if (p->kind == ROOF_PARAM_ENUM)
        roof_out_str(out, key, roof_param_choice_name(p, (int)v));
    else if (p->kind == ROOF_PARAM_BOOL)
        roof_out_bool(out, key, v != 0.0);
    else if (p->kind == ROOF_PARAM_INT)
        roof_out_int(out, key, (int64_t)v);
    else
        roof_out_num(out, key, p->unit, v);
}

void roof_cli_put_metric(roof_out *out, const char *key, const char *unit, double v)
{
    /* JSON has no NaN: a metric that does not apply is null. */
    if (isnan(v))
        roof_out_null(out, key, unit);
    else
        roof_out_num(out, key, unit, v);
}

int roof_cli_progress_on(const roof_cli *cli)
{
    return !cli->quiet && isatty(STDERR_FILENO);
}

void roof_cli_put_mixed(roof_out *out, const char *key, const char *unit, double v, int table)
{
    if (isnan(v)) {
        roof_out_null(out, key, unit);
    } else if (table) {
        char buf[64];
        roof_units_format(v, unit, buf, sizeof buf);
        roof_out_str(out, key, buf);
    } else {
        roof_out_num(out, key, unit, v);
    }
}
