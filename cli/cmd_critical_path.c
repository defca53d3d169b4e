/* llmroof critical-path FILE.dot: reads any DOT DAG through cgraph, times
 * each node from its attributes (docs/dag.md), and prints the longest
 * path, each node's time, the total, and the total as the seeds write it:
 * a sum of Get_Time terms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/parse_opts.h"
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

static int report(roof_cli *cli, const cp_opts *o, const char *file, const roof_dag *g, const roof_dag_path *p,
                  const char *terms)
{
    roof_out *out = roof_out_new(cli->format, ROOF_OUT_RECORD, NULL);
    if (!o->summary) {
        roof_out_section(out, "path", ROOF_OUT_ROWS, "Critical path, source to sink");
        roof_out_csv_here(out);
        double cum = 0.0;
        for (int64_t i = 0; i < p->n; i++) {
            const roof_dag_node *v = &g->nodes[p->nodes[i]];
            cum += v->time_s * v->repeat;
            roof_out_row(out);
            roof_out_int(out, "step", i);
            roof_out_str(out, "node", v->name);
            roof_out_str(out, "op", v->op);
            roof_out_str(out, "kind", roof_dag_kind_name(v->kind));
            roof_out_num(out, "time_s", "s", v->time_s);
            roof_out_num(out, "repeat", "", v->repeat);
            roof_out_num(out, "path_time_s", "s", v->time_s * v->repeat);
            roof_out_num(out, "cumulative_s", "s", cum);
        }
    }
    roof_out_section(out, "summary", ROOF_OUT_RECORD, "Summary");
    if (o->summary)
        roof_out_csv_here(out);
    roof_out_str(out, "file", file);
    roof_out_str(out, "graph", g->title);
    roof_out_str(out, "hw", cli->hw.name);
    roof_out_int(out, "nodes", g->n);
    roof_out_int(out, "edges", g->ne);
    roof_out_int(out, "path_nodes", p->n);
    roof_out_num(out, "total_s", "s", p->total_s);
    if (cli->format == ROOF_FMT_TABLE)
        roof_out_note(out, terms);
    else
        roof_out_str(out, "terms", terms);
    return roof_cli_emit(cli, out);
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
