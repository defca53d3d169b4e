/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "analysis/metric.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/number.h"

#define PF ROOF_EVAL_PREFILL
#define DE ROOF_EVAL_DECODE
#define TR ROOF_EVAL_TRAINING

static double ttft(const roof_result *r)
{
    return r->metrics.ttft_s;
}
static double tpot(const roof_result *r)
{
    return r->metrics.tpot_s;
}
static double tps(const roof_result *r)
{
    return r->metrics.tokens_per_s;
}
static double tps_gpu(const roof_result *r)
{
    return r->metrics.tokens_per_s_per_gpu;
}
static double prefill_tps(const roof_result *r)
{
    return r->metrics.prefill_tokens_per_s;
}
static double latency(const roof_result *r)
{
    return r->metrics.request_latency_s;
}
static double decode_time(const roof_result *r)
{
    return r->metrics.decode_time_s;
}
static double usd(const roof_result *r)
{
    return r->metrics.usd_per_mtok;
}
static double usd_owned(const roof_result *r)
{
    return r->metrics.usd_per_mtok_owned;
}
static double joules(const roof_result *r)
{
    return r->metrics.joules_per_token;
}
static double e2e_tps(const roof_result *r)
{
    return r->metrics.e2e_tokens_per_s;
}
static double e2e_usd(const roof_result *r)
{
    return r->metrics.e2e_usd_per_mtok;
}
static double e2e_joules(const roof_result *r)
{
    return r->metrics.e2e_joules_per_token;
}
static double mem_total(const roof_result *r)
{
    return r->memory.total_bytes;
}
/* Over what the model may use (capacity * utilization - reserve in
 * inference, the capacity in training): above 1 does not fit. */
static double mem_frac(const roof_result *r)
{
    return r->memory.total_bytes / r->memory.usable_bytes;
}
static double flops(const roof_result *r)
{
    return r->totals.gemm_flops;
}

/* Training metrics: NaN outside training, as inference metrics are NaN in it. */
#define TRAIN(expr) (r->phase == ROOF_PHASE_TRAINING ? (expr) : NAN)
static double step(const roof_result *r)
{
    return TRAIN(r->training.step_s);
}
static double train_tps(const roof_result *r)
{
    return TRAIN(r->training.tokens_per_s);
}
static double train_tps_gpu(const roof_result *r)
{
    return TRAIN(r->training.tokens_per_s_per_gpu);
}
static double mfu(const roof_result *r)
{
    return TRAIN(r->training.mfu);
}
static double hfu(const roof_result *r)
{
    return TRAIN(r->training.hfu);
}
static double train_time(const roof_result *r)
{
    return TRAIN(r->training.time_to_train_s);
}
static double train_cost(const roof_result *r)
{
    return TRAIN(r->training.cost_to_train_usd);
}

static const roof_metric metrics[] = {
    {"ttft_s", "s", 0, PF, ttft, "time to first token: prefill of the whole batch"},
    {"tpot_s", "s", 0, DE, tpot, "time per output token: one decode step"},
    {"tokens_per_s", "tok/s", 1, DE, tps, "output tokens per second while decoding (decode only), all GPUs"},
    {"tokens_per_s_per_gpu", "tok/s", 1, DE, tps_gpu, "output tokens per second per GPU"},
    {"prefill_tokens_per_s", "tok/s", 1, PF, prefill_tps, "prompt tokens per second in prefill"},
    {"request_latency_s", "s", 0, PF | DE, latency, "ttft + gen_tokens decode steps"},
    {"decode_time_s", "s", 0, DE, decode_time, "gen_tokens decode steps"},
    {"usd_per_mtok", "USD", 0, DE, usd, "price of a million output tokens, decode only"},
    {"usd_per_mtok_owned", "USD", 0, DE, usd_owned,
     "price of a million output tokens on owned GPUs (hw.cost.*), decode only; empty unless hw.cost.gpu_usd is set"},
    {"joules_per_token", "J", 0, DE, joules, "energy per output token at board power, decode only"},
    {"e2e_tokens_per_s", "tok/s", 1, PF | DE, e2e_tps,
     "output tokens per second end to end (prefill + decode), all GPUs"},
    {"e2e_usd_per_mtok", "USD", 0, PF | DE, e2e_usd, "price of a million output tokens end to end (prefill + decode)"},
    {"e2e_joules_per_token", "J", 0, PF | DE, e2e_joules,
     "energy per output token at board power end to end (prefill + decode)"},
    {"memory_total_bytes", "B", 0, 0, mem_total, "memory per GPU at its peak over the request (the fullest stage)"},
    {"memory_used_fraction", "", 0, 0, mem_frac,
     "peak memory per GPU over the usable memory (capacity x utilization - reserve); above 1 does not fit"},
    {"gemm_flops", "FLOP", 0, 0, flops, "GEMM and attention FLOPs of the workload's phase"},
    {"step_time_s", "s", 0, TR, step, "training: one optimizer step of the global batch"},
    {"train_tokens_per_s", "tok/s", 1, TR, train_tps, "training: tokens per second, all GPUs"},
    {"train_tokens_per_s_per_gpu", "tok/s", 1, TR, train_tps_gpu, "training: tokens per second per GPU"},
    {"mfu", "", 1, TR, mfu, "training: model FLOPs utilization"},
    {"hfu", "", 1, TR, hfu, "training: hardware FLOPs utilization (recomputation included)"},
    {"time_to_train_s", "s", 0, TR, train_time, "training: time to train on workload.train_tokens"},
    {"cost_to_train_usd", "USD", 0, TR, train_cost, "training: price of training on workload.train_tokens"},
};

#define NMETRICS (sizeof metrics / sizeof metrics[0])

const char *roof_metric_defaults(int phase, roof_metric_use use)
{
    static const char *const lists[][2] = {
        {"ttft_s,tpot_s,tokens_per_s,memory_used_fraction", "step_time_s,train_tokens_per_s,mfu,memory_used_fraction"},
        {"ttft_s,tpot_s,tokens_per_s", "step_time_s,train_tokens_per_s,mfu"},
        {"ttft_s", "step_time_s"},
        {"throughput", "step"},
        {"ttft_s,tpot_s,tokens_per_s,usd_per_mtok,memory_used_fraction",
         "step_time_s,train_tokens_per_s,mfu,cost_to_train_usd,memory_used_fraction"},
    };
    return lists[use][phase == ROOF_PHASE_TRAINING];
}

/* Search rows keep every metric (analysis/search.h): the table must fit. */
_Static_assert(NMETRICS <= ROOF_MAX_METRICS, "raise ROOF_MAX_METRICS");

size_t roof_metric_count(void)
{
    return NMETRICS;
}

const roof_metric *roof_metric_at(size_t i)
{
    return i < NMETRICS ? &metrics[i] : NULL;
}

int roof_metric_find(const char *name, const char *where, const roof_metric **out, roof_error *err)
{
    for (size_t i = 0; i < NMETRICS; i++)
        if (strcmp(metrics[i].name, name) == 0) {
            *out = &metrics[i];
            return ROOF_OK;
        }
    char list[1024] = "";
    for (size_t i = 0; i < NMETRICS; i++) {
        strncat(list, metrics[i].name, sizeof list - strlen(list) - 1);
        if (i + 1 < NMETRICS)
            strncat(list, i + 2 == NMETRICS ? " or " : ", ", sizeof list - strlen(list) - 1);
    }
    return roof_error_set(err, ROOF_ERR_USAGE, where, "unknown metric '%s' (expected %s)", name, list);
}

int roof_metric_list(const char *text, const char *where, const roof_metric **out, size_t max, size_t *n,
                     roof_error *err)
{
    *n = 0;
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char name[64];
        if (len == 0 || len >= sizeof name)
            return roof_error_set(err, ROOF_ERR_USAGE, where, "expected METRIC[,METRIC...] (got '%s')", text);
        memcpy(name, p, len);
        name[len] = '\0';
        if (*n == max)
            return roof_error_set(err, ROOF_ERR_USAGE, where, "at most %zu metrics", max);
        int rc = roof_metric_find(name, where, &out[*n], err);
        if (rc != ROOF_OK)
            return rc;
        (*n)++;
        if (!comma)
            return ROOF_OK;
        p = comma + 1;
    }
}

int roof_target_parse(const char *text, const char *where, roof_target *t, roof_error *err)
{
    const char *op = strstr(text, "<=");
    t->at_most = 1;
    if (!op) {
        op = strstr(text, ">=");
        t->at_most = 0;
    }
    if (!op || op == text || !op[2])
        return roof_error_set(err, ROOF_ERR_USAGE, where, "expected METRIC<=VALUE or METRIC>=VALUE (got '%s')", text);
    char name[64];
    size_t len = (size_t)(op - text);
    if (len >= sizeof name)
        return roof_error_set(err, ROOF_ERR_USAGE, where, "expected METRIC<=VALUE or METRIC>=VALUE (got '%s')", text);
    memcpy(name, text, len);
    name[len] = '\0';
    int rc = roof_metric_find(name, where, &t->metric, err);
    if (rc != ROOF_OK)
        return rc;
    roof_error e2;
    if (roof_parse_double(op + 2, &t->value, &e2) != ROOF_OK)
        return roof_error_set(err, ROOF_ERR_USAGE, where, "'%s': %s", text, e2.msg);
    return ROOF_OK;
}

int roof_target_met(const roof_target *t, const roof_result *r)
{
    double v = t->metric->get(r);
    if (isnan(v))
        return 0;
    return t->at_most ? v <= t->value : v >= t->value;
}
