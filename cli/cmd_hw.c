/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof hw list | show [NAME|FILE] | check FILE | diff A B: the hardware
 * profiles, each value with its source, a lint of a user's profile, and the
 * settings in which two profiles differ. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/parse_opts.h"
#include "core/param.h"
#include "hw/profile.h"
#include "hw/profile_check.h"

static void help(void)
{
    printf("usage: llmroof hw list [--format table|csv|json]\n"
           "       llmroof hw show [NAME|FILE] [--set PATH=VALUE]... [--format table|csv|json]\n"
           "       llmroof hw check NAME|FILE... [--format table|csv|json]\n"
           "       llmroof hw diff A B [--format table|csv|json]\n\n"
           "The hardware profiles built into llmroof (hw/profiles/*.cfg, embedded at build\n"
           "time) and any profile file. 'show' prints every hw.* parameter of one profile,\n"
           "after --set overrides, then where each is set and the source its line's comment\n"
           "gives; without NAME it shows the --hw profile (default %s).\n"
           "'check' lints profiles: every error the loader would stop at (syntax, unknown\n"
           "or missing settings, values out of range, efficiencies outside (0, 1]) and\n"
           "warnings for values that load but look wrong (a unit off by 1000, a narrow\n"
           "dtype's peak below a wider one's, a link bandwidth above the physical rate of\n"
           "the link generation its comment names), each as FILE:LINE: LEVEL: MESSAGE.\n"
           "Exit 1 when any profile has an error, 0 with warnings only.\n"
           "'diff' prints the settings whose values differ, side by side.\n\n"
           "Examples:\n"
           "  llmroof hw list\n"
           "  llmroof hw show mi300x\n"
           "  llmroof hw show ./my-gpu.cfg --format json\n"
           "  llmroof hw check ./my-gpu.cfg\n"
           "  llmroof hw diff h100-sxm h200\n",
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

/* The sources of `hw show`: each setting's line and its comment (a
 * datasheet, a measurement, or "assumption: ..."), and "--set" for a value
 * given on the command line. The table form prints them as a second
 * table; json adds "sources": {"memory": {"bandwidth": {"where", "source"}}}
 * to the record, whose keys stay as they were; csv prints the record only.
 * A profile whose text cannot be read again (it loaded a moment ago) gets
 * no sources. */
static void add_sources(roof_cli *cli, roof_out *out)
{
    char *text = NULL, display[512];
    roof_error err;
    int lines[128];
    if (cli->format == ROOF_FMT_CSV || roof_hw_params.count > 128 ||
        roof_hw_profile_text(cli->hw_name ? cli->hw_name : ROOF_DEFAULT_HW, &text, display, sizeof display, &err) !=
            ROOF_OK ||
        roof_hw_param_lines(text, display, lines, &err) != ROOF_OK) {
        free(text);
        return;
    }
    int table = cli->format == ROOF_FMT_TABLE;
    if (table)
        roof_out_section(out, "sources", ROOF_OUT_ROWS, "sources (each line's comment)");
    for (size_t i = 0; i < roof_hw_params.count; i++) {
        const roof_param *p = &roof_hw_params.params[i];
        const char *key = roof_param_local_path(&roof_hw_params, p);
        int set_here = 0;
        for (int k = 0; k < cli->nsets; k++) {
            size_t n = strlen(p->path);
            if (strncmp(cli->sets[k], p->path, n) == 0 && cli->sets[k][n] == '=')
                set_here = 1;
        }
        if (!set_here && lines[i] == 0)
            continue;
        char where[600], comment[1024]; /* a source comment may run to a few hundred characters */
        if (set_here) {
            snprintf(where, sizeof where, "--set");
            snprintf(comment, sizeof comment, "given on the command line");
        } else {
            snprintf(where, sizeof where, "%s:%d", display, lines[i]);
            roof_hw_line_comment(text, lines[i], comment, sizeof comment);
        }
        const char *source = comment[0] ? comment : "(no comment: source not given)";
        if (table) {
            roof_out_row(out);
            roof_out_str(out, "setting", key);
            roof_out_str(out, "where", where);
            roof_out_str(out, "source", source);
        } else {
            char jkey[200];
            snprintf(jkey, sizeof jkey, "sources.%s.where", key);
            roof_out_str(out, jkey, where);
            snprintf(jkey, sizeof jkey, "sources.%s.source", key);
            roof_out_str(out, jkey, source);
        }
    }
    free(text);
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
        else if (p->kind == ROOF_PARAM_ENUM) {
            char name[64];
            roof_param_format(p, v, name, sizeof name); /* the name a profile writes, e.g. cublaslt */
            roof_out_str(out, key, name);
        } else if (p->kind == ROOF_PARAM_INT)
            roof_out_int(out, key, (int64_t)v);
        else
            roof_out_num(out, key, p->unit, v);
    }
    add_sources(cli, out);
    return roof_cli_emit(cli, out);
}

/* hw check: the findings of each profile as FILE:LINE: LEVEL: MESSAGE
 * (table form) or rows (csv, json); exit 1 when any has an error. */
static int check(roof_cli *cli, int n, char **names)
{
    roof_out *out = cli->format == ROOF_FMT_TABLE ? NULL : roof_out_new(cli->format, ROOF_OUT_ROWS, NULL);
    size_t errors = 0, warnings = 0;
    for (int i = 0; i < n; i++) {
        char *text = NULL, display[512];
        roof_error err;
        if (roof_hw_profile_text(names[i], &text, display, sizeof display, &err) != ROOF_OK) {
            roof_out_free(out);
            return roof_cli_fail(&err);
        }
        roof_check_report *rep = malloc(sizeof *rep);
        if (!rep || roof_hw_check_text(text, display, rep, &err) != ROOF_OK) {
            free(rep);
            free(text);
            roof_out_free(out);
            return rep ? roof_cli_fail(&err) : ROOF_ERR_RUNTIME;
        }
        free(text);
        for (size_t k = 0; k < rep->count; k++) {
            const roof_finding *f = &rep->items[k];
            const char *level = f->level == ROOF_FINDING_ERROR ? "error" : "warning";
            if (!out) {
                if (!cli->quiet || f->level == ROOF_FINDING_ERROR)
                    printf("%s: %s: %s\n", f->where, level, f->msg);
                continue;
            }
            roof_out_row(out);
            roof_out_str(out, "where", f->where);
            roof_out_str(out, "level", level);
            roof_out_str(out, "message", f->msg);
        }
        if (!out && rep->dropped > 0)
            printf("%s: %zu more findings not shown\n", display, rep->dropped);
        if (!out && !cli->quiet)
            printf("%s: %zu error%s, %zu warning%s\n", display, rep->errors, rep->errors == 1 ? "" : "s", rep->warnings,
                   rep->warnings == 1 ? "" : "s");
        errors += rep->errors;
        warnings += rep->warnings;
        free(rep);
    }
    (void)warnings;
    if (out) {
        int rc = roof_cli_emit(cli, out);
        if (rc != ROOF_OK)
            return rc;
    }
    return errors > 0 ? ROOF_ERR_RUNTIME : ROOF_OK;
}

/* hw diff: the settings whose values differ, A's and B's side by side
 * (readable units in the table, SI numbers in csv and json). */
static int diff(roof_cli *cli, const char *a_name, const char *b_name)
{
    roof_hw a, b;
    roof_error err;
    if (roof_hw_load(a_name, &a, &err) != ROOF_OK || roof_hw_load(b_name, &b, &err) != ROOF_OK)
        return roof_cli_fail(&err);
    char title[400];
    snprintf(title, sizeof title, "hw diff: a = %s, b = %s", a.name, b.name);
    roof_out *out = roof_out_new(cli->format, ROOF_OUT_ROWS, title);
    size_t differ = 0;
    if (strcmp(a.description, b.description) != 0) {
        roof_out_row(out);
        roof_out_str(out, "setting", "description");
        roof_out_str(out, "a", a.description);
        roof_out_str(out, "b", b.description);
        differ++;
    }
    for (size_t i = 0; i < roof_hw_params.count; i++) {
        const roof_param *p = &roof_hw_params.params[i];
        double va = roof_param_get(p, &a), vb = roof_param_get(p, &b);
        if (va == vb)
            continue;
        roof_out_row(out);
        roof_out_str(out, "setting", roof_param_local_path(&roof_hw_params, p));
        if (cli->format == ROOF_FMT_TABLE) {
            char sa[64], sb[64];
            roof_param_format(p, va, sa, sizeof sa);
            roof_param_format(p, vb, sb, sizeof sb);
            roof_out_str(out, "a", va == 0.0 ? "(not set)" : sa);
            roof_out_str(out, "b", vb == 0.0 ? "(not set)" : sb);
        } else {
            roof_out_num(out, "a", "", va);
            roof_out_num(out, "b", "", vb);
        }
        differ++;
    }
    if (differ == 0)
        roof_out_note(out, "the two profiles set every value alike");
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
        rc = roof_cli_usage_error("hw", "expected 'list', 'show', 'check' or 'diff'");
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
    } else if (strcmp(posv[0], "check") == 0) {
        rc = posc >= 2 ? check(&cli, posc - 1, posv + 1)
                       : roof_cli_usage_error("hw", "'check' takes one or more profile names or files");
    } else if (strcmp(posv[0], "diff") == 0) {
        rc = posc == 3 ? diff(&cli, posv[1], posv[2]) : roof_cli_usage_error("hw", "'diff' takes two profiles");
    } else {
        rc = roof_cli_usage_error("hw", "unknown action '%s' (expected 'list', 'show', 'check' or 'diff')", posv[0]);
    }
out:
    free(posv);
    return rc;
}
