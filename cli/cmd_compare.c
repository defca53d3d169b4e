/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof compare CONFIG --hw a,b,c: for each hardware profile, the best
 * plan of the deployment for an objective (a search on the same GPU count),
 * its metrics side by side, and the fewest GPUs that meet the constraints. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/parse_opts.h"
#include "cli/search_out.h"
#include "core/number.h"
#include "model/config.h"

#define MAX_HW 32

typedef struct {
    const char *gpus, *objective, *max_gpus;
    const char *constraint[ROOF_SEARCH_MAX_CONSTRAINTS];
    int nconstraint;
} compare_opts;

enum { OPT_GPUS = 1, OPT_OBJECTIVE, OPT_CONSTRAINT, OPT_MAX_GPUS };

static void help(void)
{
    printf("usage: llmroof compare [CONFIG] --hw A,B,... [--gpus N]\n"
           "                       [--objective ttft|tpot|throughput|cost|step|train-cost|METRIC]\n"
           "                       [--constraint 'METRIC<=VALUE']... [--max-gpus M] [--set PATH=VALUE]...\n"
           "                       [--format table|csv|json] [-o FILE]\n\n"
           "For each hardware profile: the best parallel plan of the deployment on N GPUs\n"
           "(default: the config's tp*pp*dp*cp) for the objective (default throughput, or\n"
           "step time for a training config), found by the same search as 'llmroof search',\n"
           "with its TTFT, TPOT, throughput, dollars per million output tokens (the\n"
           "profile's price) and joules per token (its power); for training, its step\n"
           "time, tokens/s, MFU, and time and cost to train on workload.train_tokens.\n"
           "With constraints, also the fewest GPUs (1, 2, 4, ... up to M,\n"
           "default 256) that have a plan meeting them: gpus_needed (0: none up to M).\n\n"
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

/* One profile: its best plan on gpus, and the fewest GPUs that meet the
 * constraints (a search with top 1 per power of two). */
static int one(roof_cli *cli, const char *config, const char *hw, roof_search_opts *so, int64_t gpus, int64_t max_gpus,
               roof_scenario *s, roof_out *out, roof_error *err)
{
    const char *sets_hw = cli->hw_name;
    cli->hw_name = hw;
    int rc = roof_cli_scenario(cli, config, s, err);
    cli->hw_name = sets_hw;
    if (rc != ROOF_OK)
        return rc;
    if (gpus == 0)
        gpus = s->parallel.tp * s->parallel.pp * s->parallel.dp * s->parallel.cp;
    roof_search_result res;
    so->gpus = gpus;
    if ((rc = roof_search_run(s, so, &res, err)) != ROOF_OK)
        return rc;
    int64_t needed = 0;
    if (so->nconstraints) {
        roof_search_opts one_opts = *so;
        one_opts.top = 1;
        for (int64_t g = 1; g <= max_gpus && !needed; g *= 2) {
            roof_search_result r2;
            one_opts.gpus = g;
            rc = roof_search_run(s, &one_opts, &r2, err);
            if (rc == ROOF_OK && r2.n)
                needed = g;
            roof_search_result_free(&r2);
            if (rc != ROOF_OK) {
                roof_search_result_free(&res);
                return rc;
            }
        }
    }
    roof_out_row(out);
    roof_out_str(out, "hw", s->hw.name);
    roof_out_int(out, "gpus", gpus);
    char plan[128] = "none (fit and constraints)";
    if (res.n)
        roof_plan_choice_text(&res.rows[0].plan, plan, sizeof plan);
    roof_out_str(out, "plan", plan);
    static const char *const serving[] = {"ttft_s",       "tpot_s",           "tokens_per_s",
                                          "usd_per_mtok", "joules_per_token", "memory_used_fraction"};
    static const char *const training[] = {"step_time_s",     "train_tokens_per_s", "mfu",
                                           "time_to_train_s", "cost_to_train_usd",  "memory_used_fraction"};
    const char *const *shown = so->objective->phases & ROOF_EVAL_TRAINING ? training : serving;
    for (size_t i = 0; i < 6; i++) {
        for (size_t k = 0; k < roof_metric_count(); k++)
            if (strcmp(roof_metric_at(k)->name, shown[i]) == 0)
                roof_cli_put_mixed(out, shown[i], roof_metric_at(k)->unit, res.n ? res.rows[0].metrics[k] : NAN,
                                   cli->format == ROOF_FMT_TABLE);
    }
    if (so->nconstraints)
        roof_out_int(out, "gpus_needed", needed);
    roof_search_result_free(&res);
    return ROOF_OK;
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
    int count = 0;
    for (char *hw = hwlist ? strtok_r(hwlist, ",", &save) : NULL; hw; hw = strtok_r(NULL, ",", &save)) {
        if (++count > MAX_HW || (rc = one(&cli, config, hw, &so, gpus, max_gpus, s, out, &err)) != ROOF_OK) {
            if (count > MAX_HW)
                rc = roof_error_set(&err, ROOF_ERR_USAGE, "--hw", "at most %d profiles", MAX_HW);
            roof_out_free(out);
            rc = roof_cli_fail(&err);
            goto out;
        }
    }
    rc = roof_cli_emit(&cli, out);
out:
    free(hwlist);
    free(posv);
    free(s);
    return rc;
}
