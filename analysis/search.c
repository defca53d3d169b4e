/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "analysis/search.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/number.h"
#include "model/cost.h"

static const char *const knob_names[ROOF_KNOBS] = {
    "tp",        "cp",   "pp",         "dp",  "ep",      "microbatches", "sp",        "vp",
    "recompute", "zero", "dp_overlap", "etp", "offload", "chunk",        "max_batch", "prefill"};
static const char *const rule_names[ROOF_RULES] = {"divisibility", "redundant", "fixed",
                                                   "model",        "memory",    "constraint"};

const char *roof_search_knob_name(int knob)
{
    return knob >= 0 && knob < ROOF_KNOBS ? knob_names[knob] : "?";
}

const char *roof_search_rule_name(int rule)
{
    return rule >= 0 && rule < ROOF_RULES ? rule_names[rule] : "?";
}

int64_t roof_plan_choice_get(const roof_plan_choice *c, int knob)
{
    switch (knob) {
    case ROOF_KNOB_TP:
        return c->tp;
    case ROOF_KNOB_CP:
        return c->cp;
    case ROOF_KNOB_PP:
        return c->pp;
    case ROOF_KNOB_DP:
        return c->dp;
    case ROOF_KNOB_EP:
        return c->ep;
    case ROOF_KNOB_MICROBATCHES:
        return c->microbatches;
    case ROOF_KNOB_SP:
        return c->sp;
    case ROOF_KNOB_VP:
        return c->vp;
    case ROOF_KNOB_RECOMPUTE:
        return c->recompute;
    case ROOF_KNOB_ZERO:
        return c->zero;
    case ROOF_KNOB_DP_OVERLAP:
        return c->dp_overlap;
    case ROOF_KNOB_OFFLOAD:
        return c->offload;
    case ROOF_KNOB_CHUNK:
        return c->chunk;
    case ROOF_KNOB_MAX_BATCH:
        return c->max_batch;
    case ROOF_KNOB_PREFILL:
        return c->prefill;
    default:
        return c->etp;
    }
}

void roof_plan_choice_apply(const roof_plan_choice *c, roof_scenario *s)
{
    roof_parallel *q = &s->parallel;
    q->tp = c->tp, q->cp = c->cp, q->pp = c->pp, q->dp = c->dp, q->ep = c->ep, q->sp = c->sp;
    q->etp = c->etp;
    q->vp = c->vp;
    s->workload.microbatches = c->microbatches;
    if (s->workload.phase == ROOF_PHASE_TRAINING) {
        s->workload.recompute = c->recompute;
        s->workload.zero = c->zero;
        s->workload.dp_overlap = c->dp_overlap;
        s->workload.offload = c->offload;
    }
}

void roof_search_opts_init(roof_search_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int k = 0; k < ROOF_KNOBS; k++)
        o->fixed[k] = -1;
    o->shards = 1;
    o->threads = 1;
}

int roof_search_objective(const char *name, const roof_metric **out, roof_error *err)
{
    static const char *const alias[][2] = {{"ttft", "ttft_s"},
                                           {"tpot", "tpot_s"},
                                           {"throughput", "tokens_per_s"},
                                           {"cost", "usd_per_mtok"},
                                           {"cost-owned", "usd_per_mtok_owned"},
                                           {"step", "step_time_s"},
                                           {"train-cost", "cost_to_train_usd"}};
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcmp(name, alias[i][0]) == 0)
            name = alias[i][1];
    if (strcmp(name, "goodput") == 0 || strcmp(name, "goodput-per-dollar") == 0)
        return roof_error_set(err, ROOF_ERR_USAGE, "--objective",
                              "'%s' ranks serving configurations: 'llmroof search' only", name);
    int rc = roof_metric_find(name, "--objective", out, err);
    if (rc != ROOF_OK) {
        /* The goodput objectives (analysis/search_goodput.c), then the
         * metric list (the aliases are in --help: the message holds 511
         * characters). */
        const char *list = strstr(err->msg, "(expected ");
        char tail[sizeof err->msg];
        snprintf(tail, sizeof tail, "%s", list ? list + strlen("(expected ") : ")");
        roof_error_set(err, ROOF_ERR_USAGE, "--objective",
                       "unknown objective '%.40s' (expected goodput, goodput-per-dollar, an alias of --help or a "
                       "metric: %s",
                       name, tail);
    }
    return rc;
}

int roof_search_objective_ready(const roof_metric *m, const roof_scenario *s, roof_error *err)
{
    if (strcmp(m->name, "usd_per_mtok_owned") != 0)
        return ROOF_OK;
    if (!(s->hw.cost.gpu_usd > 0.0))
        return roof_error_set(err, ROOF_ERR_INPUT, "hw.cost.gpu_usd",
                              "ranking by the cost of owned GPUs needs their price: profile '%s' has none (set "
                              "cost.gpu_usd in the profile or the config, or --set hw.cost.gpu_usd=USD)",
                              s->hw.name);
    roof_cost_result c; /* the settings' ranges, checked once rather than per plan */
    return roof_cost_eval(&s->hw, 1.0, 1.0, &c, err);
}

int roof_search_can_offload(const roof_scenario *s)
{
    return s->hw.host.bandwidth > 0.0 && s->hw.host.memory_bandwidth > 0.0;
}

int roof_search_shard_parse(const char *text, int64_t *shard, int64_t *shards, roof_error *err)
{
    long long i, n;
    char tail;
    if (sscanf(text, "%lld/%lld%c", &i, &n, &tail) != 2 || n < 1 || i < 0 || i >= n)
        return roof_error_set(err, ROOF_ERR_USAGE, "--shard", "expected I/N with 0 <= I < N (got '%s')", text);
    *shard = i;
    *shards = n;
    return ROOF_OK;
}

int roof_search_fix_parse(const char *text, roof_search_opts *o, roof_error *err)
{
    static const char *const recomputes[] = {"none", "selective", "full"};
    static const char *const offloads[] = {"none", "optimizer"};
    const char *eq = strchr(text, '=');
    size_t len = eq ? (size_t)(eq - text) : 0;
    int knob = -1;
    for (int k = 0; eq && k < ROOF_KNOBS; k++)
        if (strlen(knob_names[k]) == len && strncmp(text, knob_names[k], len) == 0)
            knob = k;
    if (knob < 0)
        return roof_error_set(err, ROOF_ERR_USAGE, "--fix",
                              "expected KNOB=VALUE with KNOB one of tp, cp, pp, dp, ep, microbatches, sp, vp, "
                              "recompute, zero, dp_overlap, etp, offload, chunk, max_batch, prefill (got '%.80s')",
                              text);
    const char *v = eq + 1;
    for (int i = 0; knob == ROOF_KNOB_RECOMPUTE && i < 3; i++)
        if (strcmp(v, recomputes[i]) == 0) {
            o->fixed[knob] = i;
            return ROOF_OK;
        }
    for (int i = 0; knob == ROOF_KNOB_OFFLOAD && i < 2; i++)
        if (strcmp(v, offloads[i]) == 0) {
            o->fixed[knob] = i;
            return ROOF_OK;
        }
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    long long max = knob == ROOF_KNOB_SP || knob == ROOF_KNOB_DP_OVERLAP || knob == ROOF_KNOB_OFFLOAD ? 1
                    : knob == ROOF_KNOB_RECOMPUTE                                                     ? 2
                    : knob == ROOF_KNOB_ZERO                                                          ? 3
                                                                                                      : 1000000000LL;
    long long min = knob == ROOF_KNOB_SP || knob == ROOF_KNOB_DP_OVERLAP || knob == ROOF_KNOB_RECOMPUTE ||
                            knob == ROOF_KNOB_ZERO || knob == ROOF_KNOB_ETP || knob == ROOF_KNOB_OFFLOAD ||
                            knob == ROOF_KNOB_CHUNK || knob == ROOF_KNOB_PREFILL
                        ? 0
                        : 1;
    if (!*v || *end || errno == ERANGE || n < min || n > max)
        return roof_error_set(err, ROOF_ERR_USAGE, "--fix", "%s must be a whole number in %lld..%lld%s (got '%.40s')",
                              knob_names[knob], min, max,
                              knob == ROOF_KNOB_RECOMPUTE ? ", or none, selective, full"
                              : knob == ROOF_KNOB_OFFLOAD ? ", or none, optimizer"
                                                          : "",
                              v);
    o->fixed[knob] = n;
    return ROOF_OK;
}

/* Ranking: the better objective first, then the lower candidate number, so
 * that the order is total and every run (sharded, threaded or not) agrees. */
static int better(const roof_search_row *a, const roof_search_row *b, int higher_better)
{
    if (a->objective != b->objective)
        return higher_better ? a->objective > b->objective : a->objective < b->objective;
    return a->index < b->index;
}

int roof_search_offer(roof_search_result *res, size_t top, int higher_better, const roof_search_row *row,
                      roof_error *err)
{
    if (res->n == top && !better(row, &res->rows[res->n - 1], higher_better))
        return ROOF_OK;
    if (res->cap < top) {
        roof_search_row *nr = realloc(res->rows, top * sizeof *nr);
        if (!nr)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory");
        res->rows = nr;
        res->cap = top;
    }
    /* K is small (the top of a list): insertion into a sorted array. */
    size_t i = res->n < top ? res->n++ : top - 1;
    while (i > 0 && better(row, &res->rows[i - 1], higher_better)) {
        res->rows[i] = res->rows[i - 1];
        i--;
    }
    res->rows[i] = *row;
    return ROOF_OK;
}

void roof_search_result_free(roof_search_result *res)
{
    if (!res)
        return;
    free(res->rows);
    memset(res, 0, sizeof *res);
}
