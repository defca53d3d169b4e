#include "analysis/metric.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/number.h"

#define PF ROOF_EVAL_PREFILL
#define DE ROOF_EVAL_DECODE

static double ttft(const roof_result *r) { return r->metrics.ttft_s; }
static double tpot(const roof_result *r) { return r->metrics.tpot_s; }
static double tps(const roof_result *r) { return r->metrics.tokens_per_s; }
static double tps_gpu(const roof_result *r) { return r->metrics.tokens_per_s_per_gpu; }
static double prefill_tps(const roof_result *r) { return r->metrics.prefill_tokens_per_s; }
static double latency(const roof_result *r) { return r->metrics.request_latency_s; }
static double decode_time(const roof_result *r) { return r->metrics.decode_time_s; }
static double usd(const roof_result *r) { return r->metrics.usd_per_mtok; }
static double joules(const roof_result *r) { return r->metrics.joules_per_token; }
static double mem_total(const roof_result *r) { return r->memory.total_bytes; }
static double mem_frac(const roof_result *r) { return r->memory.total_bytes / r->memory.capacity_bytes; }
static double flops(const roof_result *r) { return r->totals.gemm_flops; }

static const roof_metric metrics[] = {
    {"ttft_s", "s", 0, PF, ttft, "time to first token: prefill of the whole batch"},
    {"tpot_s", "s", 0, DE, tpot, "time per output token: one decode step"},
    {"tokens_per_s", "tok/s", 1, DE, tps, "output tokens per second, all GPUs"},
    {"tokens_per_s_per_gpu", "tok/s", 1, DE, tps_gpu, "output tokens per second per GPU"},
    {"prefill_tokens_per_s", "tok/s", 1, PF, prefill_tps, "prompt tokens per second in prefill"},
    {"request_latency_s", "s", 0, PF | DE, latency, "ttft + gen_tokens decode steps"},
    {"decode_time_s", "s", 0, DE, decode_time, "gen_tokens decode steps"},
    {"usd_per_mtok", "USD", 0, DE, usd, "price of a million output tokens"},
    {"joules_per_token", "J", 0, DE, joules, "energy per output token at board power"},
    {"memory_total_bytes", "B", 0, 0, mem_total, "memory per GPU (the fullest stage)"},
    {"memory_used_fraction", "", 0, 0, mem_frac, "memory per GPU over its capacity"},
    {"gemm_flops", "FLOP", 0, 0, flops, "GEMM and attention FLOPs of the workload's phase"},
};

#define NMETRICS (sizeof metrics / sizeof metrics[0])

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
    char list[512] = "";
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
        return roof_error_set(err, ROOF_ERR_USAGE, where, "expected METRIC<=VALUE or METRIC>=VALUE (got '%s')",
                              text);
    char name[64];
    size_t len = (size_t)(op - text);
    if (len >= sizeof name)
        return roof_error_set(err, ROOF_ERR_USAGE, where, "expected METRIC<=VALUE or METRIC>=VALUE (got '%s')",
                              text);
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
