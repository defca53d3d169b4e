/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The numeric claims of a report (parameters, tokens/s, TTFT, memory) and
 * of its deployment config's `claims` group, each against the model; part
 * of the checker (report/check.c runs it after the prose). */
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/cfg.h"
#include "report/check_private.h"

/* ---- claims of the config -------------------------------------------- */

int roof_check_config_claims(const char *config_path, roof_check *c, roof_error *err)
{
    config_t cfg;
    config_init(&cfg);
    config_set_options(&cfg, CONFIG_OPTION_AUTOCONVERT);
    roof_error read_err;
    if (roof_cfg_parse(&cfg, config_path, NULL, "config", &read_err) != ROOF_OK) {
        config_destroy(&cfg);
        return roof_error_set(err, ROOF_ERR_INPUT, config_path, "cannot read config for its claims");
    }
    static const struct {
        const char *key;
        roof_claim_kind kind;
    } keys[] = {{"claims.parameters", ROOF_CLAIM_PARAMS},
                {"claims.tokens_per_s", ROOF_CLAIM_TOKENS_PER_S},
                {"claims.tokens_per_s_per_gpu", ROOF_CLAIM_TOKENS_PER_S_PER_GPU},
                {"claims.ttft_s", ROOF_CLAIM_TTFT_S},
                {"claims.memory_fraction", ROOF_CLAIM_MEMORY_FRACTION}};
    c->nconfig_claims = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        double v;
        if (config_lookup_float(&cfg, keys[i].key, &v) == CONFIG_TRUE && c->nconfig_claims < 16) {
            roof_report_claim *cl = &c->config_claims[c->nconfig_claims++];
            memset(cl, 0, sizeof *cl);
            cl->kind = keys[i].kind;
            cl->value = v;
            snprintf(cl->text, sizeof cl->text, "%s = %g (config %s)", keys[i].key, v, config_path);
        }
    }
    config_destroy(&cfg);
    return ROOF_OK;
}

/* ---- claims against the model ---------------------------------------- */

/* One claim against the model: a bound ("under X", "X or more") may be
 * 1.2x off, a value 1.5x. */
static void check_claim(roof_check *c, const roof_scenario *s, const roof_result *res, const roof_report_claim *cl)
{
    double model = NAN;
    const char *what = "";
    switch (cl->kind) {
    case ROOF_CLAIM_PARAMS:
        model = c->params_total;
        what = "parameters";
        break;
    case ROOF_CLAIM_TOKENS_PER_S:
        model = fmax(res->metrics.tokens_per_s, res->metrics.prefill_tokens_per_s);
        what = "tokens/s (best of prefill and decode)";
        break;
    case ROOF_CLAIM_TOKENS_PER_S_PER_GPU:
        model = fmax(res->metrics.tokens_per_s_per_gpu, res->metrics.prefill_tokens_per_s / (double)res->plan.gpus);
        what = "tokens/s per GPU (best of prefill and decode)";
        break;
    case ROOF_CLAIM_TTFT_S:
        model = res->metrics.ttft_s;
        what = "s TTFT";
        break;
    case ROOF_CLAIM_MEMORY_FRACTION:
        model = res->memory.total_bytes / res->memory.capacity_bytes;
        what = "of memory per GPU";
        break;
    }
    double ratio = cl->value / model;
    int wrong;
    if (cl->bound < 0)
        wrong = model > cl->value * 1.2; /* "under X": the model must not be much over */
    else if (cl->bound > 0)
        wrong = model < cl->value / 1.2; /* "X or more" */
    else
        wrong = ratio > 1.5 || ratio < 1.0 / 1.5;
    char claim[64], mine[64];
    if (cl->kind == ROOF_CLAIM_MEMORY_FRACTION) {
        snprintf(claim, sizeof claim, "%.3g%%", 100.0 * cl->value);
        snprintf(mine, sizeof mine, "%.3g%%", 100.0 * model);
    } else if (cl->kind == ROOF_CLAIM_PARAMS) {
        snprintf(claim, sizeof claim, "%.3g billion", cl->value / 1e9);
        snprintf(mine, sizeof mine, "%.3g billion", model / 1e9);
    } else if (cl->kind == ROOF_CLAIM_TTFT_S) {
        roof_check_ms(cl->value, claim, sizeof claim);
        roof_check_ms(model, mine, sizeof mine);
        what = "TTFT";
    } else {
        snprintf(claim, sizeof claim, "%.4g", cl->value);
        snprintf(mine, sizeof mine, "%.4g", model);
    }
    if (!wrong) {
        roof_check_add(c, ROOF_SEV_NOTE, cl->line, "claim", "%s%s %s: consistent with the model (%s on %s)",
                       cl->bound < 0   ? "under "
                       : cl->bound > 0 ? "at least "
                                       : "",
                       claim, what, mine, s->hw.name);
        return;
    }
    if (cl->kind == ROOF_CLAIM_PARAMS)
        roof_check_add(c, ROOF_SEV_ERROR, cl->line, "claim",
                       "the report says %s parameters; its stated dimensions make %s (%.3gx %s)", claim, mine,
                       ratio > 1 ? ratio : 1 / ratio, ratio > 1 ? "fewer" : "more");
    else
        roof_check_add(c, ROOF_SEV_ERROR, cl->line, "claim",
                       "the report claims %s%s %s; the model gives %s on %s (%.3gx %s)",
                       cl->bound < 0   ? "under "
                       : cl->bound > 0 ? "at least "
                                       : "",
                       claim, what, mine, s->hw.name, ratio > 1 ? ratio : 1 / ratio, ratio > 1 ? "less" : "more");
}

/* Every claim of the report (in range) and of the config, once. */
void roof_check_claims(roof_check *c, const roof_scenario *s, const roof_result *res)
{
    const roof_report *rep = c->rep;
    /* One finding per kind of claim and value, at its first line. */
    for (int i = 0; i < rep->nclaims; i++) {
        int dup = !roof_check_in_ranges(c, rep->claims[i].line);
        for (int j = 0; j < i; j++)
            dup |= rep->claims[j].kind == rep->claims[i].kind &&
                   fabs(rep->claims[j].value - rep->claims[i].value) <= 1e-9 * fabs(rep->claims[i].value);
        if (!dup)
            check_claim(c, s, res, &rep->claims[i]);
    }
    for (int i = 0; i < c->nconfig_claims; i++) {
        int dup = 0;
        for (int j = 0; j < rep->nclaims; j++)
            dup |= rep->claims[j].kind == c->config_claims[i].kind &&
                   fabs(rep->claims[j].value - c->config_claims[i].value) <= 1e-9 * fabs(c->config_claims[i].value);
        if (!dup)
            check_claim(c, s, res, &c->config_claims[i]);
    }
}
