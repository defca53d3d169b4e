/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof compare CONFIG --hw a,b,c: for each hardware profile, the best
 * plan of the deployment for an objective (a search on the same GPU count),
 * its metrics side by side, and the fewest GPUs that meet the constraints. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/parse_opts.h"
#include "cli/cost_out.h"
#include "cli/interval_out.h"
#include "cli/search_out.h"
#include "core/number.h"
#include "model/config.h"

#define MAX_HW 32

typedef struct {
    const char *gpus, *objective, *max_gpus;
    const char *constraint[ROOF_SEARCH_MAX_CONSTRAINTS];
    int nconstraint, no_interval;
} compare_opts;

enum { OPT_GPUS = 1, OPT_OBJECTIVE, OPT_CONSTRAINT, OPT_MAX_GPUS, OPT_NO_INTERVAL };

/* A profile's objective and its interval, for the overlap notes. */
typedef struct {
    char hw[64];
    int found;
    double v, lo, hi;
} compare_iv;

static void help(void)
{
    printf("usage: llmroof compare [CONFIG] --hw A,B,... [--gpus N]\n"
           "                       [--objective ttft|tpot|throughput|cost|cost-owned|step|train-cost|METRIC]\n"
           "                       [--constraint 'METRIC<=VALUE']... [--max-gpus M] [--set PATH=VALUE]...\n"
           "                       [--no-interval] [--format table|csv|json] [-o FILE]\n\n"
           "For each hardware profile: the best parallel plan of the deployment on N GPUs\n"
           "(default: the config's tp*pp*dp*cp) for the objective (default throughput, or\n"
           "step time for a training config), found by the same search as 'llmroof search',\n"
           "with its TTFT, TPOT, throughput, dollars per million output tokens (the\n"
           "profile's price) and joules per token (its power); for training, its step\n"
           "time, tokens/s, MFU, and time and cost to train on workload.train_tokens.\n"
           "Serving rows add the cost of owning (model/cost.c): usd_per_mtok_owned (empty\n"
           "unless hw.cost.gpu_usd is set), tokens_per_s_per_mw of facility power, and the\n"
           "break_even_utilisation above which owning beats renting (empty: never).\n"
           "With constraints, the row is the plan compare recommends: the best plan on the\n"
           "fewest GPUs (1, 2, 4, ... up to M, default 256) that have a plan meeting them,\n"
           "gpus_needed (0: none up to M), with that plan's metrics.\n"
           "A plan that does not fit in memory at its peak over the request (the end of\n"
           "prefill or the last generated token, against capacity x\n"
           "workload.memory.utilization - workload.memory.reserve) or breaks a constraint\n"
           "is never shown. 'bound' says what limits the answer: objective (the best plan\n"
           "of the GPU count), memory, constraints or plan rules (what ruled out half as\n"
           "many GPUs), or why a profile has none (no plan fits memory, no plan meets the\n"
           "constraints, no valid plan).\n\n"
           "Each time, throughput and cost carries its 80%% interval (p10-p90) from the model's\n"
           "own error (docs/accuracy.md): beside the number in the table, as columns\n"
           "metrics_interval.NAME.p10 and .p90 in csv and json. Notes under the table say\n"
           "whether the best profile's interval of the objective overlaps each other one's\n"
           "(then they cannot be told apart at 80%%). --no-interval hides both.\n\n"
           "Exit status: 0 when at least one profile has a plan; 1 when none has (as\n"
           "'llmroof search' exits 1 when it finds none); 2 for a usage error.\n\n"
           "Examples:\n"
           "  llmroof compare configs/llama3-70b-tp8.cfg --hw h100-sxm,h200,b200,mi300x\n"
           "  llmroof compare configs/llama3-70b-tp8.cfg --hw a100-sxm,h100-sxm --objective cost \\\n"
           "      --constraint 'tpot_s<=0.03' --format csv\n"
           "  llmroof compare configs/gpt3-175b-train-a100.cfg --hw a100-sxm,h100-sxm --objective train-cost\n");
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    compare_opts *o = ctx;
    switch (opt) {
    case OPT_GPUS:
        o->gpus = arg;
        break;
    case OPT_OBJECTIVE:
        o->objective = arg;
        break;
    case OPT_MAX_GPUS:
        o->max_gpus = arg;
        break;
    case OPT_NO_INTERVAL:
        o->no_interval = 1;
        break;
    case OPT_CONSTRAINT:
        if (o->nconstraint == ROOF_SEARCH_MAX_CONSTRAINTS)
            return roof_cli_usage_error("compare", "at most %d --constraint options", ROOF_SEARCH_MAX_CONSTRAINTS);
        o->constraint[o->nconstraint++] = arg;
        break;
    default:
        return roof_cli_usage_error("compare", "unknown option");
    }
    return 0;
}

/* Why a search found no plan: the first filter that left none. */
static const char *none_reason(const roof_search_result *r)
{
    /* Plans pruned for memory before evaluation (analysis/search_run.c)
     * are not counted valid, and do not fit. */
    if (r->counts.valid == 0 && r->counts.removed[ROOF_RULE_MEMORY] == 0)
        return "no valid plan";
    if (r->counts.fit == 0)
        return "no plan fits memory";
    return "no plan meets the constraints";
}

/* What bounds the fewest GPUs (the search on half as many found none):
 * memory when no plan of it fitted, else the constraints. */
static const char *fewer_bound(const roof_search_result *fewer)
{
    if (fewer->counts.valid == 0 && fewer->counts.removed[ROOF_RULE_MEMORY] == 0)
        return "plan rules";
    return fewer->counts.fit == 0 ? "memory" : "constraints";
}

/* One profile: the plan it recommends and its metrics. Without
 * constraints, the best plan on gpus for the objective; with them, the
 * best plan on the fewest GPUs (1, 2, 4, ... up to max_gpus) that have a
 * plan meeting them (gpus_needed), so that the metrics shown are those of
 * the plan that is recommended. A plan that does not fit in memory at its
 * peak, or breaks a constraint, is never shown. *found says whether there
 * is one. */
static int one(roof_cli *cli, const char *config, const char *hw, roof_search_opts *so, int64_t gpus, int64_t max_gpus,
               roof_scenario *s, roof_out *out, int *found, compare_iv *civ, roof_error *err)
{
    const char *sets_hw = cli->hw_name;
    cli->hw_name = hw;
    int rc = roof_cli_scenario(cli, config, s, err);
    cli->hw_name = sets_hw;
    if (rc != ROOF_OK)
        return rc;
    if ((rc = roof_search_objective_ready(so->objective, s, err)) != ROOF_OK)
        return rc;
    if (gpus == 0)
        gpus = s->parallel.tp * s->parallel.pp * s->parallel.dp * s->parallel.cp;
    roof_search_result res;
    memset(&res, 0, sizeof res);
    int64_t needed = 0;
    char bound[64] = "objective";
    if (!so->nconstraints) {
        so->gpus = gpus;
        if ((rc = roof_search_run(s, so, &res, err)) != ROOF_OK)
            return rc;
        if (!res.n)
            snprintf(bound, sizeof bound, "%s", none_reason(&res));
    } else {
        roof_search_result fewer;
        memset(&fewer, 0, sizeof fewer);
        int have_fewer = 0;
        for (int64_t g = 1; g <= max_gpus && !needed; g *= 2) {
            roof_search_result r2;
            so->gpus = g;
            rc = roof_search_run(s, so, &r2, err);
            if (rc != ROOF_OK) {
                if (have_fewer)
                    roof_search_result_free(&fewer);
                return rc;
            }
            if (r2.n) {
                needed = g;
                res = r2;
                snprintf(bound, sizeof bound, "%s", have_fewer ? fewer_bound(&fewer) : "objective");
            } else {
                if (have_fewer)
                    roof_search_result_free(&fewer);
                fewer = r2;
                have_fewer = 1;
            }
        }
        if (!needed)
            snprintf(bound, sizeof bound, "%s up to %lld GPUs", have_fewer ? none_reason(&fewer) : "no valid plan",
                     (long long)max_gpus);
        if (have_fewer)
            roof_search_result_free(&fewer);
        if (needed)
            gpus = needed;
    }
    *found = res.n > 0;
    roof_out_row(out);
    roof_out_str(out, "hw", s->hw.name);
    roof_out_int(out, "gpus", gpus);
    char plan[128] = "none";
    if (res.n)
        roof_plan_choice_text(&res.rows[0].plan, plan, sizeof plan);
    roof_out_str(out, "plan", plan);
    static const char *const serving[] = {"ttft_s",       "tpot_s",           "tokens_per_s",
                                          "usd_per_mtok", "joules_per_token", "memory_used_fraction"};
    static const char *const training[] = {"step_time_s",     "train_tokens_per_s", "mfu",
                                           "time_to_train_s", "cost_to_train_usd",  "memory_used_fraction"};
    const char *const *shown = so->objective->phases & ROOF_EVAL_TRAINING ? training : serving;
    /* The error bars of the plan shown: its times, throughput and cost
     * (memory is not a time: no interval), and of the objective. */
    static roof_iv_set iv;
    int with_iv = civ != NULL && res.n > 0;
    if (with_iv) {
        const char *names[7];
        for (size_t i = 0; i < 5; i++)
            names[i] = shown[i];
        names[5] = so->objective->name;
        roof_plan_choice_apply(&res.rows[0].plan, s);
        if ((rc = roof_iv_compute_named(s, names, names, 6, &iv, err)) != ROOF_OK) {
            roof_search_result_free(&res);
            return rc;
        }
        snprintf(civ->hw, sizeof civ->hw, "%s", s->hw.name);
        civ->found = 1;
        civ->v = res.rows[0].objective;
        civ->lo = iv.lo[5];
        civ->hi = iv.hi[5];
    }
    for (size_t i = 0; i < 6; i++) {
        for (size_t k = 0; k < roof_metric_count(); k++) {
            if (strcmp(roof_metric_at(k)->name, shown[i]) != 0)
                continue;
            double v = res.n ? res.rows[0].metrics[k] : NAN;
            if (!(with_iv && i < 5 &&
                  roof_iv_put_text(out, cli->format, shown[i], roof_metric_at(k)->unit, v, iv.lo[i], iv.hi[i])))
                roof_cli_put_mixed(out, shown[i], roof_metric_at(k)->unit, v, cli->format == ROOF_FMT_TABLE);
        }
    }
    if (civ && cli->format != ROOF_FMT_TABLE)
        for (size_t i = 0; i < 5; i++)
            roof_iv_put_bounds(out, shown[i], with_iv ? iv.lo[i] : NAN, with_iv ? iv.hi[i] : NAN);
    /* Owned against rented (cli/cost_out.c): serving only. */
    if (!(so->objective->phases & ROOF_EVAL_TRAINING)) {
        double tps = NAN;
        for (size_t k = 0; k < roof_metric_count() && res.n; k++)
            if (strcmp(roof_metric_at(k)->name, "tokens_per_s") == 0)
                tps = res.rows[0].metrics[k];
        roof_cost_put_columns(cli, out, &s->hw, (double)gpus, tps);
    }
    if (so->nconstraints)
        roof_out_int(out, "gpus_needed", needed);
    roof_out_str(out, "bound", bound);
    roof_search_result_free(&res);
    return ROOF_OK;
}

/* Two profiles whose intervals of the objective overlap cannot be told
 * apart by the model at the stated level (80%): the interval of one holds
 * values the other's holds too. Marginal intervals: two profiles of one
 * GPU generation share much of their error (one draw per regime), so for
 * them an overlap is a cautious answer (docs/accuracy.md). The question a
 * buyer asks is whether the winner is really ahead: the best profile by
 * the objective against each other one (n - 1 notes, not every pair). */
static void overlap_notes(roof_out *out, roof_format fmt, const compare_iv *civ, int n, const roof_metric *metric)
{
    if (fmt != ROOF_FMT_TABLE)
        return; /* csv and json carry the intervals themselves */
    int best = -1;
    for (int i = 0; i < n; i++) {
        if (!civ[i].found || !isfinite(civ[i].v) || !isfinite(civ[i].lo))
            continue;
        if (best < 0 || (metric->higher_better ? civ[i].v > civ[best].v : civ[i].v < civ[best].v))
            best = i;
    }
    if (best < 0)
        return;
    for (int j = 0; j < n; j++) {
        if (j == best || !civ[j].found || !isfinite(civ[j].lo))
            continue;
        int overlap = civ[best].lo <= civ[j].hi && civ[j].lo <= civ[best].hi;
        char line[256];
        snprintf(line, sizeof line, "%.60s (best) vs %.60s %.60s: %s", civ[best].hw, civ[j].hw, metric->name,
                 overlap ? "intervals overlap, not distinguishable at 80%" : "intervals apart, distinguishable at 80%");
        roof_out_note(out, line);
    }
}

/* strtok_r skips empty items, so "--hw ," would compare nothing and
 * succeed: every item must name a profile, each once. */
static int check_hw_list(const char *list, roof_error *err)
{
    size_t n = strlen(list);
    for (const char *p = list; p <= list + n;) {
        size_t len = strcspn(p, ",");
        if (len == 0)
            return roof_error_set(err, ROOF_ERR_USAGE, "--hw", "empty profile name in '%s'", list);
        for (const char *q = list; q < p;) {
            size_t qlen = strcspn(q, ",");
            if (qlen == len && strncmp(q, p, len) == 0)
                return roof_error_set(err, ROOF_ERR_USAGE, "--hw", "profile '%.*s' is named twice", (int)len, p);
            q += qlen + 1;
        }
        p += len + 1;
    }
    return ROOF_OK;
}

int roof_cmd_compare(int argc, char **argv)
{
    static const struct option longopts[] = {{"gpus", required_argument, NULL, OPT_GPUS},
                                             {"objective", required_argument, NULL, OPT_OBJECTIVE},
                                             {"constraint", required_argument, NULL, OPT_CONSTRAINT},
                                             {"max-gpus", required_argument, NULL, OPT_MAX_GPUS},
                                             {"no-interval", no_argument, NULL, OPT_NO_INTERVAL},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    compare_opts o;
    memset(&o, 0, sizeof o);
    o.max_gpus = "256";
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_scenario *s = calloc(1, sizeof *s);
    char *hwlist = NULL;
    int rc = ROOF_ERR_RUNTIME, posc = 0;
    if (!posv || !s)
        goto out;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc > 1) {
        rc = roof_cli_usage_error("compare", "expected one CONFIG (got %d arguments)", posc);
        goto out;
    }
    if (!cli.hw_explicit) {
        rc = roof_cli_usage_error("compare", "--hw A,B,... is required");
        goto out;
    }
    roof_error err;
    int64_t gpus = 0, max_gpus = 0;
    roof_search_opts so;
    roof_search_opts_init(&so);
    so.top = 1;
    const char *config = posc ? posv[0] : NULL;
    /* Without --objective: throughput when serving, step time when
     * training (the config's phase, --set included). */
    if (!o.objective) {
        rc = roof_scenario_load(config, config ? NULL : roof_config_default_text(), NULL, ROOF_DEFAULT_HW, cli.sets,
                                cli.nsets, s, NULL, &err);
        if (rc != ROOF_OK) {
            rc = roof_cli_fail(&err);
            goto out;
        }
        o.objective = roof_metric_defaults(s->workload.phase, ROOF_METRICS_OBJECTIVE);
    }
    rc = roof_search_objective(o.objective, &so.objective, &err);
    for (int i = 0; rc == ROOF_OK && i < o.nconstraint; i++)
        rc = roof_target_parse(o.constraint[i], "--constraint", &so.constraints[so.nconstraints++], &err);
    if (rc == ROOF_OK && o.gpus && roof_parse_count(o.gpus, "--gpus", &gpus, &err) != ROOF_OK)
        rc = ROOF_ERR_USAGE, snprintf(err.where, sizeof err.where, "compare");
    if (rc == ROOF_OK && roof_parse_count(o.max_gpus, "--max-gpus", &max_gpus, &err) != ROOF_OK)
        rc = ROOF_ERR_USAGE, snprintf(err.where, sizeof err.where, "compare");
    if (rc != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    if (check_hw_list(cli.hw_name, &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    hwlist = strdup(cli.hw_name);
    char title[256];
    snprintf(title, sizeof title, "Best plan per profile, by %s", so.objective->name);
    roof_out *out = roof_out_new(cli.format, ROOF_OUT_ROWS, title);
    char *save = NULL;
    int count = 0, any = 0;
    static compare_iv civ[MAX_HW];
    memset(civ, 0, sizeof civ);
    for (char *hw = hwlist ? strtok_r(hwlist, ",", &save) : NULL; hw; hw = strtok_r(NULL, ",", &save)) {
        int found = 0;
        if (++count > MAX_HW || (rc = one(&cli, config, hw, &so, gpus, max_gpus, s, out, &found,
                                          o.no_interval ? NULL : &civ[count - 1], &err)) != ROOF_OK) {
            if (count > MAX_HW)
                rc = roof_error_set(&err, ROOF_ERR_USAGE, "--hw", "at most %d profiles", MAX_HW);
            roof_out_free(out);
            rc = roof_cli_fail(&err);
            goto out;
        }
        any |= found;
    }
    if (!o.no_interval)
        overlap_notes(out, cli.format, civ, count > MAX_HW ? MAX_HW : count, so.objective);
    rc = roof_cli_emit(&cli, out);
    /* As search: no plan anywhere answers "which hardware?" with none, an
     * error (exit 1) after the table, which says why for each profile. */
    if (rc == 0 && !any)
        rc = roof_cli_fail(&(roof_error){ROOF_ERR_RUNTIME, "compare",
                                         "no profile has a plan that is valid, fits memory and meets the constraints"});
out:
    free(hwlist);
    free(posv);
    free(s);
    return rc;
}
