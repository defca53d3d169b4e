/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/interval_out.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/interval.h"
#include "cli/cli.h"
#include "core/units.h"

static const char *const inference[][2] = {
    {"ttft_s", "ttft_s"},
    {"tpot_s", "tpot_s"},
    {"tokens_per_s", "tokens_per_s"},
    {"tokens_per_s_per_gpu", "tokens_per_s_per_gpu"},
    {"prefill_tokens_per_s", "prefill_tokens_per_s"},
    {"decode_time_s", "decode_time_s"},
    {"request_latency_s", "request_latency_s"},
    {"usd_per_mtok", "usd_per_mtok"},
    {"joules_per_token", "joules_per_token"},
    {"e2e_tokens_per_s", "e2e_tokens_per_s"},
    {"e2e_usd_per_mtok", "e2e_usd_per_mtok"},
    {"e2e_joules_per_token", "e2e_joules_per_token"},
};
static const char *const training[][2] = {
    {"step_time_s", "step_time_s"},
    {"tokens_per_s", "train_tokens_per_s"},
    {"tokens_per_s_per_gpu", "train_tokens_per_s_per_gpu"},
    {"mfu", "mfu"},
    {"hfu", "hfu"},
    {"time_to_train_s", "time_to_train_s"},
    {"cost_to_train_usd", "cost_to_train_usd"},
};

int roof_iv_compute_named(const roof_scenario *s, const char *const *keys, const char *const *metrics, size_t n,
                          roof_iv_set *iv, roof_error *err)
{
    static roof_errm em; /* large: not on the stack; read once */
    static int loaded;
    if (!loaded) {
        int rc = roof_errm_load(NULL, &em, err);
        if (rc != ROOF_OK)
            return rc;
        loaded = 1;
    }
    if (n > ROOF_IV_MAX)
        n = ROOF_IV_MAX;
    const roof_metric *m[ROOF_IV_MAX];
    iv->n = n;
    for (size_t i = 0; i < n; i++) {
        iv->key[i] = keys[i];
        iv->metric[i] = metrics[i];
        int rc = roof_metric_find(iv->metric[i], "interval", &m[i], err);
        if (rc != ROOF_OK)
            return rc;
    }
    return roof_interval(s, &em, m, n, iv->lo, iv->hi, err);
}

int roof_iv_compute(const roof_scenario *s, int train, roof_iv_set *iv, roof_error *err)
{
    const char *keys[ROOF_IV_MAX], *metrics[ROOF_IV_MAX];
    size_t n = train ? sizeof training / sizeof training[0] : sizeof inference / sizeof inference[0];
    for (size_t i = 0; i < n; i++) {
        keys[i] = train ? training[i][0] : inference[i][0];
        metrics[i] = train ? training[i][1] : inference[i][1];
    }
    return roof_iv_compute_named(s, keys, metrics, n, iv, err);
}

static int find(const roof_iv_set *iv, const char *key)
{
    for (size_t i = 0; iv && i < iv->n; i++)
        if (strcmp(iv->key[i], key) == 0)
            return (int)i;
    return -1;
}

void roof_iv_text(double v, double lo, double hi, const char *unit, char *buf, size_t size)
{
    char a[64], b[64], c[64];
    if (isinf(hi) && hi > 0.0) { /* draws that saturate: no upper bound */
        roof_units_format(v, unit, a, sizeof a);
        roof_units_format(lo, unit, b, sizeof b);
        snprintf(buf, size, "%s (%s-unbounded)", a, b);
        return;
    }
    roof_units_format(v, unit, a, sizeof a);
    roof_units_format(lo, unit, b, sizeof b);
    roof_units_format(hi, unit, c, sizeof c);
    /* The unit once when the three share it: "1.24 s (1.1-1.45)". */
    const char *ua = strrchr(a, ' '), *ub = strrchr(b, ' '), *uc = strrchr(c, ' ');
    if (ua && ub && uc && strcmp(ua, ub) == 0 && strcmp(ua, uc) == 0)
        snprintf(buf, size, "%s (%.*s-%.*s)", a, (int)(ub - b), b, (int)(uc - c), c);
    else
        snprintf(buf, size, "%s (%s-%s)", a, b, c);
}

int roof_iv_put_text(roof_out *out, roof_format fmt, const char *key, const char *unit, double v, double lo, double hi)
{
    if (fmt != ROOF_FMT_TABLE || !isfinite(v) || !isfinite(lo) || isnan(hi) || hi < 0.0)
        return 0;
    char text[200];
    roof_iv_text(v, lo, hi, unit, text, sizeof text);
    roof_out_str(out, key, text);
    return 1;
}

void roof_iv_put_bounds(roof_out *out, const char *key, double lo, double hi)
{
    char k[96];
    snprintf(k, sizeof k, "metrics_interval.%s.p10", key);
    roof_cli_put_mixed(out, k, "", lo, 0);
    snprintf(k, sizeof k, "metrics_interval.%s.p90", key);
    roof_cli_put_mixed(out, k, "", hi, 0);
}

void roof_iv_put(roof_out *out, roof_format fmt, const roof_iv_set *iv, const char *key, const char *unit, double v)
{
    int i = find(iv, key);
    if (i < 0 || !roof_iv_put_text(out, fmt, key, unit, v, iv->lo[i], iv->hi[i]))
        roof_out_num(out, key, unit, v);
}

void roof_iv_put_json(roof_out *out, roof_format fmt, const roof_iv_set *iv)
{
    if (fmt != ROOF_FMT_JSON || !iv)
        return;
    roof_out_section(out, "metrics_interval", ROOF_OUT_RECORD, NULL);
    for (size_t i = 0; i < iv->n; i++) {
        char k[96];
        snprintf(k, sizeof k, "%s.p10", iv->key[i]);
        if (isfinite(iv->lo[i]))
            roof_out_num(out, k, "", iv->lo[i]);
        else
            roof_out_null(out, k, "");
        snprintf(k, sizeof k, "%s.p90", iv->key[i]);
        if (isfinite(iv->hi[i]))
            roof_out_num(out, k, "", iv->hi[i]);
        else
            roof_out_null(out, k, "");
    }
}

void roof_iv_note(roof_out *out, roof_format fmt, const roof_iv_set *iv)
{
    if (fmt == ROOF_FMT_TABLE && iv)
        roof_out_note(out, "(p10-p90): the model's own error, from leave-one-source-out cross-validation "
                           "(docs/accuracy.md); --no-interval hides it");
}
