/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof critical-path FILE.dot: reads any DOT DAG through cgraph, times
 * each node from its attributes (docs/dag.md), and prints the longest
 * path, each node's time, the total, and the total as the seeds write it:
 * a sum of Get_Time terms. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/out.h"
#include "cli/parse_opts.h"
#include "core/outfile.h"
#include "core/units.h"
#include "dag/dot.h"

typedef struct {
    int retime, ideal, summary, cgraph;
} cp_opts;

enum { OPT_RETIME = 1, OPT_IDEAL, OPT_SUMMARY, OPT_CGRAPH };

static void help(void)
{
    printf("usage: llmroof critical-path FILE.dot [--hw NAME|FILE] [--set PATH=VALUE]... [--retime] [--ideal]\n"
           "                             [--summary] [--cgraph] [--format table|csv|json] [-o FILE]\n\n"
           "Reads a DOT DAG (any directed graph; 'llmroof dag' writes them), times each node from\n"
           "its attributes (docs/dag.md: time_s, or gemm=\"m,k,n\" with batch and dtype through\n"
           "Get_Time, or collective, bytes and group through alpha-beta, or flops and bytes through\n"
           "the roofline; a node weighs time_s x repeat) on --hw (default: the graph's hw\n"
           "attribute, else %s), and prints the\n"
           "longest path: each node with its time, the total, and the total as a sum of Get_Time\n"
           "terms. A given time_s wins unless --retime; --ideal times by the pure roofline.\n"
           "--summary leaves out the per-node rows. Plain DOT (node and edge statements) is read\n"
           "directly, anything else through cgraph; --cgraph reads everything through cgraph.\n"
           "A cycle, an unknown node attribute or a node\n"
           "without its dims is an error naming the nodes.\n\n"
           "Examples:\n"
           "  llmroof critical-path seed003.dot\n"
           "  llmroof critical-path seed003.dot --retime --hw b200\n"
           "  llmroof critical-path bench.dot --summary --format json\n",
           ROOF_DEFAULT_HW);
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    (void)arg;
    cp_opts *o = ctx;
    if (opt == OPT_RETIME)
        o->retime = 1;
    else if (opt == OPT_IDEAL)
        o->ideal = 1;
    else if (opt == OPT_SUMMARY)
        o->summary = 1;
    else if (opt == OPT_CGRAPH)
        o->cgraph = 1;
    else
        return roof_cli_usage_error("critical-path", "unknown option");
    return 0;
}

/* The report is written as it is produced, not built first: the path of
 * a million-node graph has 666,667 rows, and a jansson tree of them
 * (cli/out.h) took 1.6 GB and 17 s to print as json. The three forms are
 * those of cli/out.c, byte for byte (tests/cli/dag_limits.sh compares). */
/* A string as jansson writes it (cli/out.c's json): ", \ and control
 * characters escaped, the rest as is. A byte that is not UTF-8 (jansson
 * would drop the field) becomes U+FFFD. */
static void json_string_put(FILE *f, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    fputc('"', f);
    while (*s) {
        unsigned c = *s;
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc((int)c, f);
            s++;
            continue;
        }
        if (c < 0x20) {
            static const char short_esc[] = {['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't'};
            if (c < sizeof short_esc && short_esc[c])
                fprintf(f, "\\%c", short_esc[c]);
            else
                fprintf(f, "\\u%04X", c);
            s++;
            continue;
        }
        if (c < 0x80) {
            fputc((int)c, f);
            s++;
            continue;
        }
        /* A UTF-8 sequence: its length from the lead byte, then that many
         * continuation bytes, no overlong form, no surrogate, <= U+10FFFF. */
        int len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        int ok = len > 0;
        for (int i = 1; ok && i < len; i++)
            ok = (s[i] & 0xC0) == 0x80;
        if (ok && len == 3)
            ok = !(c == 0xE0 && s[1] < 0xA0) && !(c == 0xED && s[1] >= 0xA0);
        if (ok && len == 4)
            ok = !(c == 0xF0 && s[1] < 0x90) && !(c == 0xF4 && s[1] >= 0x90);
        if (ok) {
            fwrite(s, 1, (size_t)len, f);
            s += len;
        } else {
            fputs("\xEF\xBF\xBD", f);
            s++;
        }
    }
    fputc('"', f);
}

/* A real as jansson writes it with JSON_REAL_PRECISION(17): %.17g, ".0"
 * added to a whole number, the exponent without '+' or leading zeros. */
static void json_real_put(FILE *f, double x)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", x);
    char *e = strchr(buf, 'e');
    if (!e && !strchr(buf, '.')) {
        fprintf(f, "%s.0", buf);
        return;
    }
    if (e) {
        char *d = e + 1, *from = e + 1;
        if (*from == '+')
            from++;
        else if (*from == '-')
            *d++ = *from++;
        while (*from == '0' && from[1])
            from++;
        memmove(d, from, strlen(from) + 1);
    }
    fputs(buf, f);
}

/* The table's text of a cell (cli/out.c: strings cut at 1023 bytes,
 * numbers in readable units). */
static void cell(char *buf, size_t size, const char *str, double num, const char *unit)
{
    if (str)
        snprintf(buf, size, "%s", str);
    else
        roof_units_format(num, unit, buf, size);
}

/* One row of the path: the cells of column c. */
typedef struct {
    int64_t step;
    const char *node, *op, *kind;
    double v[4]; /* time_s, repeat, path_time_s, cumulative_s */
} path_row;

static const char *const row_units[4] = {"s", "", "s", "s"};

static void row_cell(const path_row *r, int c, char *buf, size_t size)
{
    if (c == 0)
        snprintf(buf, size, "%lld", (long long)r->step);
    else if (c <= 3)
        cell(buf, size, c == 1 ? r->node : c == 2 ? r->op : r->kind, 0.0, NULL);
    else
        cell(buf, size, NULL, r->v[c - 4], row_units[c - 4]);
}

/* Steps through the path: row i of p. cum carries the running total. */
static void path_row_at(const roof_dag *g, const roof_dag_path *p, int64_t i, double *cum, path_row *r)
{
    const roof_dag_node *v = &g->nodes[p->nodes[i]];
    *cum += v->time_s * v->repeat;
    *r =
        (path_row){i, v->name, v->op, roof_dag_kind_name(v->kind), {v->time_s, v->repeat, v->time_s * v->repeat, *cum}};
}

#define PATH_COLS 8
static const char *const path_cols[PATH_COLS] = {"step",   "node",   "op",          "kind",
                                                 "time_s", "repeat", "path_time_s", "cumulative_s"};

static void path_table(FILE *f, const roof_dag *g, const roof_dag_path *p)
{
    char buf[1024];
    size_t width[PATH_COLS];
    for (int c = 0; c < PATH_COLS; c++)
        width[c] = strlen(path_cols[c]);
    double cum = 0.0;
    path_row r;
    for (int64_t i = 0; i < p->n; i++) {
        path_row_at(g, p, i, &cum, &r);
        for (int c = 0; c < PATH_COLS; c++) {
            row_cell(&r, c, buf, sizeof buf);
            if (strlen(buf) > width[c])
                width[c] = strlen(buf);
        }
    }
    fprintf(f, "Critical path, source to sink\n");
    for (int c = 0; c < PATH_COLS; c++)
        fprintf(f, "%s%-*s", c ? "  " : "", c + 1 == PATH_COLS ? 0 : (int)width[c], path_cols[c]);
    fputc('\n', f);
    cum = 0.0;
    for (int64_t i = 0; i < p->n; i++) {
        path_row_at(g, p, i, &cum, &r);
        for (int c = 0; c < PATH_COLS; c++) {
            row_cell(&r, c, buf, sizeof buf);
            int left = c >= 1 && c <= 3, last = c + 1 == PATH_COLS;
            fprintf(f, "%s%*s", c ? "  " : "", left ? (last ? 0 : -(int)width[c]) : (int)width[c], buf);
        }
        fputc('\n', f);
    }
}

static void path_csv(FILE *f, const roof_dag *g, const roof_dag_path *p)
{
    for (int c = 0; c < PATH_COLS; c++)
        fprintf(f, "%s%s", c ? "," : "", path_cols[c]);
    fputc('\n', f);
    double cum = 0.0;
    path_row r;
    for (int64_t i = 0; i < p->n && !ferror(f); i++) {
        path_row_at(g, p, i, &cum, &r);
        fprintf(f, "%lld,", (long long)r.step);
        roof_out_csv_string(f, r.node);
        fputc(',', f);
        roof_out_csv_string(f, r.op);
        fputc(',', f);
        roof_out_csv_string(f, r.kind);
        for (int k = 0; k < 4; k++)
            fprintf(f, ",%.17g", r.v[k]);
        fputc('\n', f);
    }
}

static void path_json(FILE *f, const roof_dag *g, const roof_dag_path *p)
{
    fputs("  \"path\": [\n", f);
    double cum = 0.0;
    path_row r;
    for (int64_t i = 0; i < p->n && !ferror(f); i++) {
        path_row_at(g, p, i, &cum, &r);
        fprintf(f, "    {\n      \"step\": %lld,\n      \"node\": ", (long long)r.step);
        json_string_put(f, r.node);
        fputs(",\n      \"op\": ", f);
        json_string_put(f, r.op);
        fputs(",\n      \"kind\": ", f);
        json_string_put(f, r.kind);
        for (int k = 0; k < 4; k++) {
            fprintf(f, ",\n      \"%s\": ", path_cols[4 + k]);
            json_real_put(f, r.v[k]);
        }
        fputs(i + 1 < p->n ? "\n    },\n" : "\n    }\n", f);
    }
    fputs("  ],\n", f);
}

/* The summary: a record of strings, counts and the total. */
typedef struct {
    const char *file, *graph, *hw;
    int64_t nodes, edges, path_nodes;
    double total_s;
    const char *terms;
} summary;

static void summary_put(FILE *f, roof_format fmt, const summary *s)
{
    const char *keys[] = {"file", "graph", "hw", "nodes", "edges", "path_nodes", "total_s", "terms"};
    const char *strs[] = {s->file, s->graph, s->hw};
    int64_t ints[] = {s->nodes, s->edges, s->path_nodes};
    int nkeys = fmt == ROOF_FMT_TABLE ? 7 : 8; /* the table prints the terms after it */
    char buf[1024];
    if (fmt == ROOF_FMT_TABLE)
        fputs("Summary\n", f);
    else if (fmt == ROOF_FMT_JSON)
        fputs("  \"summary\": {\n", f);
    for (int k = 0; k < nkeys; k++) {
        if (fmt == ROOF_FMT_CSV) {
            fprintf(f, "%s%s", k ? "," : "", keys[k]);
            continue;
        }
        if (fmt == ROOF_FMT_JSON)
            fprintf(f, "%s    \"%s\": ", k ? ",\n" : "", keys[k]);
        if (k < 3 || k == 7) {
            const char *v = k < 3 ? strs[k] : s->terms;
            if (fmt == ROOF_FMT_JSON)
                json_string_put(f, v);
            else
                fprintf(f, "  %-10s  %s\n", keys[k], (cell(buf, sizeof buf, v, 0.0, NULL), buf));
        } else if (k < 6) {
            if (fmt == ROOF_FMT_JSON)
                fprintf(f, "%lld", (long long)ints[k - 3]);
            else
                fprintf(f, "  %-10s  %lld\n", keys[k], (long long)ints[k - 3]);
        } else {
            if (fmt == ROOF_FMT_JSON)
                json_real_put(f, s->total_s);
            else
                fprintf(f, "  %-10s  %s\n", keys[k], (cell(buf, sizeof buf, NULL, s->total_s, "s"), buf));
        }
    }
    if (fmt == ROOF_FMT_CSV) {
        fputc('\n', f);
        for (int k = 0; k < nkeys; k++) {
            if (k)
                fputc(',', f);
            if (k < 3 || k == 7)
                roof_out_csv_string(f, k < 3 ? strs[k] : s->terms);
            else if (k < 6)
                fprintf(f, "%lld", (long long)ints[k - 3]);
            else
                fprintf(f, "%.17g", s->total_s);
        }
        fputc('\n', f);
    } else if (fmt == ROOF_FMT_JSON) {
        fputs("\n  }\n", f);
    } else {
        fprintf(f, "\n%s\n", s->terms);
    }
}

static int write_report(FILE *f, roof_format fmt, int summary_only, const roof_dag *g, const roof_dag_path *p,
                        const summary *s)
{
    if (fmt == ROOF_FMT_JSON)
        fprintf(f, "{\n  \"schema_version\": %d,\n", ROOF_JSON_SCHEMA_VERSION);
    if (!summary_only) {
        if (fmt == ROOF_FMT_TABLE)
            path_table(f, g, p);
        else if (fmt == ROOF_FMT_CSV)
            path_csv(f, g, p);
        else
            path_json(f, g, p);
        if (fmt == ROOF_FMT_TABLE)
            fputc('\n', f);
    }
    if (summary_only || fmt != ROOF_FMT_CSV)
        summary_put(f, fmt, s);
    if (fmt == ROOF_FMT_JSON)
        fputs("}\n", f);
    return ferror(f) ? -1 : 0;
}

/* To stdout, or atomically to -o FILE (core/outfile.h): everything is
 * computed before the first byte is written. */
static int report(roof_cli *cli, const cp_opts *o, const char *file, const roof_dag *g, const roof_dag_path *p,
                  const char *terms)
{
    summary s = {file, g->title, cli->hw.name, g->n, g->ne, p->n, p->total_s, terms};
    roof_error err;
    if (!cli->output || strcmp(cli->output, "-") == 0) {
        if (write_report(stdout, cli->format, o->summary, g, p, &s) != 0 || fflush(stdout) != 0) {
            roof_error_set(&err, ROOF_ERR_RUNTIME, "stdout", "write error: %s", strerror(errno));
            return roof_cli_fail(&err);
        }
        return 0;
    }
    roof_outfile_staged st;
    FILE *f;
    if (roof_outfile_open(cli->output, &st, &f, &err) != ROOF_OK ||
        roof_outfile_finish(&st, f, write_report(f, cli->format, o->summary, g, p, &s) != 0, &err) != ROOF_OK ||
        roof_outfile_commit(&st, 1, &err) != ROOF_OK)
        return roof_cli_fail(&err);
    return 0;
}

int roof_cmd_critical_path(int argc, char **argv)
{
    static const struct option longopts[] = {{"retime", no_argument, NULL, OPT_RETIME},
                                             {"ideal", no_argument, NULL, OPT_IDEAL},
                                             {"summary", no_argument, NULL, OPT_SUMMARY},
                                             {"cgraph", no_argument, NULL, OPT_CGRAPH},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    cp_opts o = {0, 0, 0, 0};
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_dag *g = NULL;
    roof_dag_path path = {0, NULL, 0.0};
    char *terms = NULL;
    int rc = ROOF_ERR_RUNTIME;
    if (!posv)
        goto out;
    int posc = 0;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc != 1) {
        rc = roof_cli_usage_error("critical-path", "expected one FILE.dot (got %d arguments)", posc);
        goto out;
    }
    roof_error err;
    int flags = (o.retime ? ROOF_DAG_RETIME : 0) | (o.ideal ? ROOF_DAG_IDEAL : 0);
    if (roof_dag_read_dot(posv[0], o.cgraph ? ROOF_DOT_CGRAPH_ONLY : 0, &g, &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    /* Without --hw, the profile the graph names (llmroof dag writes it). */
    if (!cli.hw_explicit && g->hw[0])
        cli.hw_name = g->hw;
    if (roof_cli_load_hw(&cli, &err) != ROOF_OK || roof_dag_time(g, &cli.hw, flags, posv[0], &err) != ROOF_OK ||
        roof_dag_critical_path(g, posv[0], &path, &err) != ROOF_OK ||
        roof_dag_path_terms(g, &path, &terms, &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    rc = report(&cli, &o, posv[0], g, &path, terms);
out:
    free(terms);
    roof_dag_path_free(&path);
    roof_dag_free(g);
    free(posv);
    return rc;
}
