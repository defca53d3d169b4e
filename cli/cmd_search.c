/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof search --config CFG --gpus N: every parallel plan for N GPUs,
 * filtered by memory and constraints, ranked by an objective; --shard I/N
 * splits the space over machines and --merge combines their csv outputs
 * into the answer of one run. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/interval.h"
#include "cli/interval_out.h"
#include "cli/parse_opts.h"
#include "analysis/search_goodput.h"
#include "cli/search_serve.h"
#include "core/number.h"

/* The rows given an interval: each is 1000 evaluations of the plan. */
#define SEARCH_IV_ROWS 20

typedef struct {
    const char *config, *gpus, *objective, *top, *shard, *threads, *quantile;
    const char *constraint[ROOF_SEARCH_MAX_CONSTRAINTS];
    int nconstraint;
    const char *fix[ROOF_KNOBS];
    int nfix;
    int merge, exhaustive, disagg, no_interval;
    const char *slo[ROOF_SERVE_MAX_SLOS];
    int nslo;
} search_opts;

enum {
    OPT_CONFIG = 1,
    OPT_GPUS,
    OPT_OBJECTIVE,
    OPT_CONSTRAINT,
    OPT_TOP,
    OPT_SHARD,
    OPT_MERGE,
    OPT_THREADS,
    OPT_FIX,
    OPT_EXHAUSTIVE,
    OPT_QUANTILE,
    OPT_SLO,
    OPT_DISAGG,
    OPT_NO_INTERVAL
};

static void help(void)
{
    printf("usage: llmroof search [CONFIG] --gpus N\n"
           "                      [--objective ttft|tpot|throughput|cost|cost-owned|step|train-cost|METRIC]\n"
           "                      [--objective goodput|goodput-per-dollar [--slo 'METRIC_STAT<=S']... [--disagg]]\n"
           "                      [--constraint 'METRIC<=VALUE']... [--fix KNOB=VALUE]... [--top K]\n"
           "                      [--threads T] [--shard I/N] [--exhaustive] [--quantile P] [--hw NAME|FILE]\n"
           "                      [--set PATH=VALUE]... [--format table|csv|json] [-o FILE]\n"
           "       llmroof search --merge FILE... [--top K] [--format table|csv|json] [-o FILE]\n\n"
           "Enumerates every parallel plan of the deployment (CONFIG, or the built-in default;\n"
           "--config CONFIG is accepted as an alias)\n"
           "on N GPUs: tp, cp, pp, dp with tp*cp*pp*dp = N, ep (MoE), microbatches (so the\n"
           "micro-batch size batch/(dp*microbatches)) and sequence parallelism; in training\n"
           "also vp (interleaved stages), recompute (none/selective/full), ZeRO stage 0-3,\n"
           "dp_overlap and offload (none/optimizer, where the profile has hw.host.*); with\n"
           "MoE experts etp. Rules remove plans as early as they can and\n"
           "are counted: divisibility, redundant (sp with tp 1; ZeRO or overlap without a\n"
           "data-parallel group), fixed (--fix), model (the plan check), memory (does not\n"
           "fit; lower ZeRO stages of a plan that does not fit are not evaluated) and\n"
           "constraint; space = the removed + feasible. The best K (default 10) for the\n"
           "objective (default throughput; step time for a training config) are printed\n"
           "with their metrics, the counts and the rates (wall and per CPU-second). Ties go\n"
           "to the plan enumerated first. step is step_time_s, train-cost\n"
           "cost_to_train_usd, cost usd_per_mtok (rented, price.usd_per_hour) and cost-owned\n"
           "usd_per_mtok_owned (owned GPUs priced by hw.cost.*: needs hw.cost.gpu_usd).\n\n"
           "--objective goodput ranks serving configurations by the requests/s per GPU that\n"
           "meet every --slo (as in serve; judged on the analytic steady state's means) at the\n"
           "config's traffic lengths (docs/serving.md); goodput-per-dollar by that per\n"
           "USD/hour. Each replica (dp of them) serves its share; the engine's chunk (0,\n"
           "256-8192) and max_batch (8-1024) are searched too, and with --disagg the\n"
           "prefill replicas P of P:D (D = dp - P). A configuration no rate serves within\n"
           "the SLOs has goodput 0 and ranks last.\n\n"
           "--fix KNOB=VALUE holds one of tp, cp, pp, dp, ep, microbatches, sp, vp,\n"
           "recompute (none, selective, full or 0-2), zero, dp_overlap, etp, offload (none,\n"
           "optimizer or 0-1), chunk, max_batch, prefill (goodput objectives).\n"
           "--threads T (default: every online core) shares the plans out; the output is\n"
           "the same, byte for byte, for any T. --exhaustive evaluates every plan in full\n"
           "(no memory pruning, no reuse of the op lists) and every goodput exactly (no\n"
           "screen: a goodput search drops the plans and batch limits it shows below the\n"
           "best K found so far, counted as screened): the same rows, slower.\n"
           "--quantile P (0 < P < 1) ranks by the pessimistic quantile of the objective under\n"
           "the model's own error (docs/accuracy.md): the P quantile of a time or cost, the\n"
           "1 - P quantile of a throughput (--quantile 0.9: the p90 of tpot_s, the p10 of\n"
           "tokens_per_s), shown as objective_quantile. It is drawn (1000 draws) for the best\n"
           "max(5K, 50) plans by the point estimate, which are then ranked by it; not with\n"
           "--shard or --merge.\n"
           "Beside the headline metrics of the best %d rows: their 80%% interval under the\n"
           "model's own error (docs/accuracy.md; 1000 draws each), in the table and as\n"
           "metrics_interval.NAME.p10 and .p90 in json (not in csv, the form --merge reads,\n"
           "nor with --shard); --no-interval hides it.\n"
           "--shard I/N (0 <= I < N) evaluates every N-th block of plans from the I-th, so\n"
           "that N machines share one search (Slurm job arrays, GNU parallel); --merge reads\n"
           "their csv outputs and prints the best K of all of them with their counts added:\n"
           "the same rows as one run. The space's size and a time estimate go to stderr\n"
           "before the search when it is large (1e6 candidates) or progress is shown;\n"
           "progress goes to stderr when it is a terminal (neither with --quiet).\n\n"
           "Examples:\n"
           "  llmroof search configs/llama3-70b-tp8.cfg --gpus 16 --objective tpot\n"
           "  llmroof search configs/llama3-70b-tp8.cfg --gpus 16 --objective tpot --quantile 0.9\n"
           "  llmroof search configs/llama3-70b-tp8.cfg --gpus 64 --objective cost \\\n"
           "      --constraint 'tpot_s<=0.05' --constraint 'ttft_s<=2' --top 5\n"
           "  for i in 0 1 2; do llmroof search c.cfg --gpus 64 --shard $i/3 --format csv -o s$i.csv; done\n"
           "  llmroof search --merge s0.csv s1.csv s2.csv\n"
           "  llmroof search configs/llama3-70b-tp8.cfg --gpus 16 --objective goodput \\\n"
           "      --slo 'ttft_p90<=1' --slo 'itl_p90<=0.05' --disagg\n",
           SEARCH_IV_ROWS);
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    search_opts *o = ctx;
    switch (opt) {
    case OPT_CONFIG:
        o->config = arg;
        break;
    case OPT_GPUS:
        o->gpus = arg;
        break;
    case OPT_OBJECTIVE:
        o->objective = arg;
        break;
    case OPT_TOP:
        o->top = arg;
        break;
    case OPT_SHARD:
        o->shard = arg;
        break;
    case OPT_MERGE:
        o->merge = 1;
        break;
    case OPT_THREADS:
        o->threads = arg;
        break;
    case OPT_EXHAUSTIVE:
        o->exhaustive = 1;
        break;
    case OPT_QUANTILE:
        o->quantile = arg;
        break;
    case OPT_DISAGG:
        o->disagg = 1;
        break;
    case OPT_NO_INTERVAL:
        o->no_interval = 1;
        break;
    case OPT_SLO:
        if (o->nslo == ROOF_SERVE_MAX_SLOS)
            return roof_cli_usage_error("search", "at most %d --slo options", ROOF_SERVE_MAX_SLOS);
        o->slo[o->nslo++] = arg;
        break;
    case OPT_FIX:
        if (o->nfix == ROOF_KNOBS)
            return roof_cli_usage_error("search", "at most %d --fix options", ROOF_KNOBS);
        o->fix[o->nfix++] = arg;
        break;
    case OPT_CONSTRAINT:
        if (o->nconstraint == ROOF_SEARCH_MAX_CONSTRAINTS)
            return roof_cli_usage_error("search", "at most %d --constraint options", ROOF_SEARCH_MAX_CONSTRAINTS);
        o->constraint[o->nconstraint++] = arg;
        break;
    default:
        return roof_cli_usage_error("search", "unknown option");
    }
    return 0;
}

static void progress(void *ctx, int64_t done, int64_t total)
{
    (void)ctx;
    fprintf(stderr, "\rsearch: %lld of %lld plans", (long long)done, (long long)total);
}

/* Evaluations per second per thread for the time estimate: the slowest
 * rate of the search benchmark (GPT-3 175B training on 1,024 GPUs,
 * docs/analyses.md), so the estimate errs long. # assumption */
#define EST_RATE 100e3
#define LARGE_SPACE 1e6

/* The space's size before the search, with a time estimate: on stderr,
 * when progress is shown (a terminal) or the candidates are many. */
static int announce(const roof_cli *cli, const roof_scenario *s, const roof_search_opts *so)
{
    if (cli->quiet)
        return ROOF_OK;
    roof_search_counts c;
    roof_error err;
    if (roof_search_count(s, so, &c, &err) != ROOF_OK)
        return ROOF_OK; /* the search itself reports it */
    if (!so->progress && (double)c.candidates < LARGE_SPACE)
        return ROOF_OK;
    double secs = (double)c.candidates / (double)so->shards / (EST_RATE * (so->threads > 0 ? so->threads : 1));
    fprintf(stderr,
            "search: %lld plans in the space, %lld candidates after divisibility, redundancy and --fix; "
            "about %.3g s on %d threads at most\n",
            (long long)c.space, (long long)c.candidates, secs, so->threads);
    return ROOF_OK;
}

/* The shards merged must be of one search: each file once (a file given
 * twice would rank its rows twice), one GPU count and one scenario. */
static int merge_check(int posc, char **posv, int i, const roof_search_ident *ids, const struct stat *st,
                       const int *have_st, roof_error *err)
{
    for (int j = 0; j < i; j++) {
        if (strcmp(posv[i], posv[j]) == 0 ||
            (have_st[i] && have_st[j] && st[i].st_dev == st[j].st_dev && st[i].st_ino == st[j].st_ino)) {
            if (strcmp(posv[i], posv[j]) == 0)
                return roof_error_set(err, ROOF_ERR_USAGE, "search", "'%s' is given twice to --merge", posv[i]);
            return roof_error_set(err, ROOF_ERR_USAGE, "search", "'%s' and '%s' are the same file", posv[j], posv[i]);
        }
        if (!ids[j].gpus || !ids[i].gpus)
            continue; /* a shard without plans says nothing */
        if (ids[i].gpus != ids[j].gpus)
            return roof_error_set(err, ROOF_ERR_INPUT, "search",
                                  "'%s' and '%s' are outputs of different searches: %lld GPUs and %lld", posv[j],
                                  posv[i], (long long)ids[j].gpus, (long long)ids[i].gpus);
        if (ids[i].scenario[0] && ids[j].scenario[0] && strcmp(ids[i].scenario, ids[j].scenario) != 0)
            return roof_error_set(err, ROOF_ERR_INPUT, "search",
                                  "'%s' and '%s' are outputs of different searches: the config, hardware, --set or "
                                  "constraints differ (scenario %s and %s)",
                                  posv[j], posv[i], ids[j].scenario, ids[i].scenario);
    }
    (void)posc;
    return ROOF_OK;
}

/* The counts of the shards: the whole space's once (every shard has
 * them, alike), the rest added; each shard of one split once. Files
 * without counts (older versions) leave the merge without. */
static int merge_counts(int posc, char **posv, const roof_search_ident *ids, roof_search_ident *common, int *seen,
                        int64_t *files_shards, roof_error *err)
{
    int first = -1;
    *seen = 0;
    common->have_counts = 0;
    for (int i = 0; i < posc; i++) {
        if (!ids[i].gpus)
            continue; /* no rows, no counts */
        if (!ids[i].have_counts)
            return ROOF_OK;
        if (first < 0) {
            first = i;
            *files_shards = ids[i].shards;
            common->counts = ids[i].counts;
            *seen = 1;
            continue;
        }
        const roof_search_counts *a = &ids[first].counts, *b = &ids[i].counts;
        if (ids[i].shards != ids[first].shards || a->space != b->space || a->candidates != b->candidates ||
            memcmp(a->removed, b->removed, (ROOF_RULE_FIXED + 1) * sizeof a->removed[0]) != 0)
            return roof_error_set(err, ROOF_ERR_INPUT, "search",
                                  "'%s' and '%s' are outputs of different searches: their spaces or splits differ",
                                  posv[first], posv[i]);
        for (int j = first; j < i; j++)
            if (ids[j].gpus && ids[j].shard == ids[i].shard)
                return roof_error_set(err, ROOF_ERR_INPUT, "search", "'%s' and '%s' are both shard %lld/%lld", posv[j],
                                      posv[i], (long long)ids[i].shard, (long long)ids[i].shards);
        roof_search_counts *c = &common->counts;
        for (int k = ROOF_RULE_MODEL; k < ROOF_RULES; k++)
            c->removed[k] += b->removed[k];
        c->evaluated += b->evaluated, c->valid += b->valid, c->fit += b->fit, c->feasible += b->feasible;
        (*seen)++;
    }
    common->have_counts = first >= 0;
    common->shard = 0, common->shards = 1;
    return ROOF_OK;
}

static int merge(roof_cli *cli, int posc, char **posv, size_t top)
{
    roof_search_result res;
    memset(&res, 0, sizeof res);
    const roof_metric *objective = NULL;
    roof_error err;
    roof_search_ident *ids = calloc((size_t)posc, sizeof *ids);
    struct stat *st = calloc((size_t)posc, sizeof *st);
    int *have_st = calloc((size_t)posc, sizeof *have_st);
    roof_search_ident common;
    memset(&common, 0, sizeof common);
    common.shards = 1;
    int rc = ROOF_OK;
    if (!ids || !st || !have_st) {
        rc = roof_error_set(&err, ROOF_ERR_RUNTIME, "search", "out of memory");
        goto fail;
    }
    for (int i = 0; i < posc; i++) {
        have_st[i] = stat(posv[i], &st[i]) == 0;
        if ((rc = roof_search_read_csv(posv[i], top, &objective, &res, &ids[i], &err)) != ROOF_OK ||
            (rc = merge_check(posc, posv, i, ids, st, have_st, &err)) != ROOF_OK)
            goto fail;
        if (ids[i].gpus)
            common.gpus = ids[i].gpus;
        if (ids[i].scenario[0])
            memcpy(common.scenario, ids[i].scenario, sizeof common.scenario);
    }
    int seen = 0;
    int64_t files_shards = 1;
    if ((rc = merge_counts(posc, posv, ids, &common, &seen, &files_shards, &err)) != ROOF_OK)
        goto fail;
    free(ids);
    free(st);
    free(have_st);
    if (!objective) {
        roof_search_result_free(&res);
        return roof_cli_fail(&(roof_error){ROOF_ERR_INPUT, "search", "the merged files hold no plans"});
    }
    char title[256];
    snprintf(title, sizeof title, "Best %zu plans of %d merged shard outputs, by %s", res.n, posc, objective->name);
    roof_out *out = roof_out_new(cli->format, ROOF_OUT_ROWS, NULL);
    roof_out_section(out, "plans", ROOF_OUT_ROWS, title);
    roof_out_csv_here(out);
    roof_search_put_rows(out, &res, objective, NULL, NULL, &common, cli->format);
    if (common.have_counts) {
        roof_out_section(out, "search", ROOF_OUT_RECORD, "Search (the shards' counts added)");
        roof_out_str(out, "objective", objective->name);
        roof_out_int(out, "gpus", common.gpus);
        roof_out_int(out, "shards_merged", seen);
        roof_search_put_counts(out, &common.counts);
    }
    roof_search_result_free(&res);
    if (common.have_counts && !cli->quiet && seen < files_shards)
        fprintf(stderr,
                "llmroof: warning: search: the counts cover %d of %lld shards (a shard without plans has no rows "
                "to carry them)\n",
                seen, (long long)files_shards);
    return roof_cli_emit(cli, out);
fail:
    free(ids);
    free(st);
    free(have_st);
    roof_search_result_free(&res);
    return roof_cli_fail(&err);
}

/* The 80% intervals of the headline metrics (cli/interval_out.h) of the
 * best SEARCH_IV_ROWS rows of res, into *ivs (res->n entries; rows past
 * the limit have none: n = 0). */
static int row_intervals(const roof_scenario *base, const roof_search_result *res, const roof_metric *objective,
                         roof_iv_set **ivs, roof_error *err)
{
    *ivs = calloc(res->n + 1, sizeof **ivs);
    roof_scenario *s = malloc(sizeof *s);
    int rc = !*ivs || !s ? roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory") : ROOF_OK;
    for (size_t i = 0; rc == ROOF_OK && i < res->n && i < SEARCH_IV_ROWS; i++) {
        *s = *base;
        s->parallel.gpus = 0;
        roof_plan_choice_apply(&res->rows[i].plan, s);
        rc = roof_iv_compute(s, (objective->phases & ROOF_EVAL_TRAINING) != 0, &(*ivs)[i], err);
    }
    free(s);
    return rc;
}

/* --quantile: the p quantile of the objective for each row of res under
 * the built-in error model, into q; res and q are then reordered by it
 * (ties: the point estimate's order) and cut to top. */
static int rank_by_quantile(const roof_scenario *base, const roof_metric *objective, double p, size_t top,
                            roof_search_result *res, double *q, roof_error *err)
{
    roof_errm *em = malloc(sizeof *em);
    roof_scenario *s = malloc(sizeof *s);
    roof_search_row *rows = malloc(res->n * sizeof *rows + 1);
    double *qs = malloc(res->n * sizeof *qs + 1);
    size_t *order = malloc(res->n * sizeof *order + 1);
    int rc = !em || !s || !rows || !qs || !order ? roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory")
                                                 : roof_errm_load(NULL, em, err);
    for (size_t i = 0; rc == ROOF_OK && i < res->n; i++) {
        *s = *base;
        s->parallel.gpus = 0;
        roof_plan_choice_apply(&res->rows[i].plan, s);
        rc = roof_interval_quantiles(s, em, &objective, 1, &p, 1, &qs[i], err);
        order[i] = i;
    }
    /* Insertion sort: stable, and the pool is small. */
    for (size_t i = 1; rc == ROOF_OK && i < res->n; i++) {
        size_t k = order[i], j = i;
        for (; j > 0; j--) {
            double a = qs[order[j - 1]], b = qs[k];
            if (!(objective->higher_better ? b > a : b < a))
                break;
            order[j] = order[j - 1];
        }
        order[j] = k;
    }
    if (rc == ROOF_OK) {
        if (res->n > top)
            res->n = top;
        for (size_t i = 0; i < res->n; i++) {
            rows[i] = res->rows[order[i]];
            q[i] = qs[order[i]];
        }
        memcpy(res->rows, rows, res->n * sizeof *rows);
    }
    free(em);
    free(s);
    free(rows);
    free(qs);
    free(order);
    return rc;
}

int roof_cmd_search(int argc, char **argv)
{
    static const struct option longopts[] = {{"config", required_argument, NULL, OPT_CONFIG},
                                             {"gpus", required_argument, NULL, OPT_GPUS},
                                             {"objective", required_argument, NULL, OPT_OBJECTIVE},
                                             {"constraint", required_argument, NULL, OPT_CONSTRAINT},
                                             {"top", required_argument, NULL, OPT_TOP},
                                             {"shard", required_argument, NULL, OPT_SHARD},
                                             {"merge", no_argument, NULL, OPT_MERGE},
                                             {"threads", required_argument, NULL, OPT_THREADS},
                                             {"fix", required_argument, NULL, OPT_FIX},
                                             {"exhaustive", no_argument, NULL, OPT_EXHAUSTIVE},
                                             {"quantile", required_argument, NULL, OPT_QUANTILE},
                                             {"no-interval", no_argument, NULL, OPT_NO_INTERVAL},
                                             {"slo", required_argument, NULL, OPT_SLO},
                                             {"disagg", no_argument, NULL, OPT_DISAGG},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    search_opts o;
    memset(&o, 0, sizeof o);
    o.top = "10";
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_scenario *s = calloc(1, sizeof *s);
    roof_search_serving *sv = calloc(1, sizeof *sv);
    roof_search_result res;
    memset(&res, 0, sizeof res);
    double *quant = NULL, prob = 0.0;
    roof_iv_set *ivs = NULL;
    int rc = ROOF_ERR_RUNTIME, posc = 0;
    if (!posv || !s || !sv)
        goto out;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    roof_error err;
    int64_t top = 0, gpus = 0;
    if ((rc = roof_parse_count(o.top, "--top", &top, &err)) != ROOF_OK) {
        rc = roof_cli_usage_error("search", "%s", err.msg);
        goto out;
    }
    if (o.quantile) {
        char *end;
        errno = 0;
        prob = strtod(o.quantile, &end);
        if (end == o.quantile || *end || errno || !(prob > 0.0 && prob < 1.0)) {
            rc = roof_cli_usage_error("search", "--quantile must be a probability in (0, 1), e.g. 0.9 (got '%.60s')",
                                      o.quantile);
            goto out;
        }
        if (o.merge || o.shard) {
            rc = roof_cli_usage_error("search",
                                      "--quantile cannot be used with --%s: the quantiles are drawn after the search",
                                      o.merge ? "merge" : "shard");
            goto out;
        }
    }
    if (o.merge) {
        if (posc == 0)
            rc = roof_cli_usage_error("search", "--merge needs the csv outputs of the shards");
        else
            rc = merge(&cli, posc, posv, (size_t)top);
        goto out;
    }
    /* The config as --config or as the one positional, like the others. */
    if (posc > 1 || (posc == 1 && o.config)) {
        rc = roof_cli_usage_error("search", "expected one CONFIG (got %d)", posc + (o.config != NULL));
        goto out;
    }
    const char *config = o.config ? o.config : posc ? posv[0] : NULL;
    if (!o.gpus) {
        rc = roof_cli_usage_error("search", "--gpus N is required");
        goto out;
    }
    if ((rc = roof_parse_count(o.gpus, "--gpus", &gpus, &err)) != ROOF_OK) {
        rc = roof_cli_usage_error("search", "%s", err.msg);
        goto out;
    }
    roof_search_opts so;
    roof_search_opts_init(&so);
    so.gpus = gpus;
    /* --quantile: a pool of the best by the point estimate, ranked by the
     * quantile afterwards. */
    so.top = o.quantile ? (size_t)(top > 10 ? 5 * top : 50) : (size_t)top;
    so.exhaustive = o.exhaustive;
    /* Every online core unless told (sysconf: POSIX, and Linux's count). */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    so.threads = cores > 0 && cores <= ROOF_SEARCH_MAX_THREADS ? (int)cores : 1;
    if (o.threads) {
        int64_t n = 0;
        if (roof_parse_count(o.threads, "--threads", &n, &err) != ROOF_OK || n > ROOF_SEARCH_MAX_THREADS) {
            rc = roof_cli_usage_error("search", "--threads must be in 1..%d (got %s)", ROOF_SEARCH_MAX_THREADS,
                                      o.threads);
            goto out;
        }
        so.threads = (int)n;
    }
    /* The goodput objectives: serving configurations under SLOs. */
    sv->objective = o.objective ? roof_search_goodput_objective(o.objective, &so.objective) : 0;
    if (!sv->objective && (o.nslo || o.disagg)) {
        rc = roof_cli_usage_error("search", "--%s needs --objective goodput or goodput-per-dollar",
                                  o.nslo ? "slo" : "disagg");
        goto out;
    }
    if (sv->objective && (o.shard || o.quantile)) {
        rc = roof_cli_usage_error("search", "--%s cannot be used with --objective %s", o.shard ? "shard" : "quantile",
                                  o.objective);
        goto out;
    }
    rc = o.objective && !sv->objective ? roof_search_objective(o.objective, &so.objective, &err) : ROOF_OK;
    for (int i = 0; rc == ROOF_OK && i < o.nfix; i++)
        rc = roof_search_fix_parse(o.fix[i], &so, &err);
    for (int i = 0; rc == ROOF_OK && i < o.nconstraint; i++)
        rc = roof_target_parse(o.constraint[i], "--constraint", &so.constraints[so.nconstraints++], &err);
    if (rc == ROOF_OK && o.shard)
        rc = roof_search_shard_parse(o.shard, &so.shard, &so.shards, &err);
    if (rc == ROOF_OK && sv->objective)
        rc = roof_search_serving_setup(&cli, config, o.slo, o.nslo, o.disagg, &so, sv, s, &err);
    else if (rc == ROOF_OK)
        rc = roof_cli_scenario(&cli, config, s, &err);
    /* Without --objective: throughput when serving, step time when training. */
    if (rc == ROOF_OK && !o.objective)
        rc =
            roof_search_objective(roof_metric_defaults(s->workload.phase, ROOF_METRICS_OBJECTIVE), &so.objective, &err);
    if (rc == ROOF_OK)
        rc = roof_search_objective_ready(so.objective, s, &err);
    if (rc == ROOF_OK && roof_cli_progress_on(&cli))
        so.progress = progress;
    if (rc == ROOF_OK)
        rc = announce(&cli, s, &so);
    if (rc == ROOF_OK)
        rc = roof_search_run(s, &so, &res, &err);
    if (so.progress)
        fputc('\n', stderr);
    if (rc == ROOF_OK && o.quantile) {
        /* The pessimistic side: the 1 - P quantile of a throughput (1 -
         * 0.9 rounded to 0.1, not 0.09999999999999998). */
        if (so.objective->higher_better)
            prob = round((1.0 - prob) * 1e12) / 1e12;
        if (!(quant = malloc(res.n * sizeof *quant + 1)))
            rc = roof_error_set(&err, ROOF_ERR_RUNTIME, "search", "out of memory");
        else
            rc = rank_by_quantile(s, so.objective, prob, (size_t)top, &res, quant, &err);
    }
    /* The intervals of the best rows' headline metrics (not in csv: the
     * form --merge reads back; not for a shard). */
    if (rc == ROOF_OK && !o.no_interval && !sv->objective && cli.format != ROOF_FMT_CSV && so.shards <= 1)
        rc = row_intervals(s, &res, so.objective, &ivs, &err);
    if (rc != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    char title[512];
    char by[64] = "";
    if (o.quantile)
        snprintf(by, sizeof by, "p%g of ", 100.0 * prob);
    snprintf(title, sizeof title, "Best %zu %s of %s on %lld x %s, by %s%s (%s)", res.n,
             sv->objective ? "configurations" : "plans", s->name, (long long)gpus, s->hw.name, by, so.objective->name,
             so.objective->higher_better ? "highest first" : "lowest first");
    roof_out *out = roof_out_new(cli.format, ROOF_OUT_ROWS, NULL);
    roof_out_section(out, "plans", ROOF_OUT_ROWS, title);
    roof_out_csv_here(out);
    roof_search_ident id;
    roof_search_fingerprint(s, &so, &id);
    id.shard = so.shard, id.shards = so.shards, id.counts = res.counts, id.have_counts = 1;
    if (sv->objective)
        roof_search_put_goodput_rows(out, &res, sv, so.objective, &id, cli.format == ROOF_FMT_TABLE);
    else
        roof_search_put_rows(out, &res, so.objective, quant, ivs, &id, cli.format);
    roof_out_section(out, "search", ROOF_OUT_RECORD, "Search");
    roof_out_str(out, "objective", so.objective->name);
    if (sv->objective)
        roof_search_put_slos(out, sv);
    if (o.quantile)
        roof_out_num(out, "quantile", "", prob);
    roof_out_int(out, "gpus", gpus);
    roof_out_str(out, "shard", o.shard ? o.shard : "0/1");
    roof_search_put_counts(out, &res.counts);
    if (sv->objective)
        roof_out_int(out, "screened", res.counts.screened);
    roof_out_int(out, "threads", res.threads);
    roof_out_num(out, "seconds", "s", res.seconds);
    /* Two rates: plans evaluated by the model, and this shard's candidates
     * decided (evaluated, or removed by memory pruning unevaluated). */
    double secs = res.seconds > 0.0 ? res.seconds : NAN;
    const roof_search_counts *c = &res.counts;
    roof_out_num(out, "plans_per_s", "/s", res.seconds > 0.0 ? (double)c->evaluated / secs : 0.0);
    roof_out_num(out, "cpu_seconds", "s", res.cpu_seconds);
    roof_out_num(out, "plans_per_cpu_s", "/s", res.cpu_seconds > 0.0 ? (double)c->evaluated / res.cpu_seconds : 0.0);
    roof_out_num(out, "candidates_per_s", "/s",
                 res.seconds > 0.0 ? (double)(c->evaluated + c->removed[ROOF_RULE_MEMORY] - (c->valid - c->fit)) / secs
                                   : 0.0);
    rc = roof_cli_emit(&cli, out);
    /* No plan answers "which plan?" with none: after the counts, which say
     * where the plans fell out (valid, fit_memory, feasible), an unsharded
     * search exits 1 as a model error. A shard with none is normal (the
     * other shards may hold the plans): a warning only. */
    if (rc == 0 && res.n == 0) {
        roof_error none;
        roof_error_set(&none, ROOF_ERR_RUNTIME, "search",
                       "no plan of %lld GPUs is valid, fits memory and meets the constraints", (long long)gpus);
        if (!o.shard)
            rc = roof_cli_fail(&none);
        else if (!cli.quiet)
            fprintf(stderr, "llmroof: warning: %s: shard %s: %s\n", none.where, o.shard, none.msg);
    }
out:
    roof_search_result_free(&res);
    free(quant);
    free(ivs);
    free(posv);
    free(s);
    free(sv);
    return rc;
}
