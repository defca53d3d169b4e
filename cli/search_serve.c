/* SPDX-License-Identifier: GPL-3.0-or-later */
/* search --objective goodput | goodput-per-dollar: the serving settings
 * (the config's traffic and engine groups, --set traffic.* and engine.*,
 * --slo, --disagg) and the rows of the best configurations. */
#include "cli/search_serve.h"

#include <stdio.h>
#include <string.h>

#include "analysis/search_goodput.h"

int roof_search_serving_setup(roof_cli *cli, const char *config, const char *const *slo, int nslo, int disagg,
                              roof_search_opts *so, roof_search_serving *sv, roof_scenario *s, roof_error *err)
{
    /* --set: traffic.* and engine.* are the serving settings, the rest the
     * scenario's (as in serve). */
    roof_cli scen = *cli;
    scen.nsets = 0;
    const char *serve_sets[ROOF_MAX_SETS];
    int nserve = 0;
    for (int i = 0; i < cli->nsets; i++) {
        if (roof_serve_is_setting(cli->sets[i]))
            serve_sets[nserve++] = cli->sets[i];
        else
            scen.sets[scen.nsets++] = cli->sets[i];
    }
    sv->disagg = disagg;
    sv->nslo = nslo;
    roof_serve_defaults(&sv->cfg);
    int rc = roof_cli_scenario(&scen, config, s, err);
    if (rc == ROOF_OK && config)
        rc = roof_serve_load(config, &sv->cfg, err);
    for (int i = 0; rc == ROOF_OK && i < nserve; i++)
        rc = roof_serve_set(&sv->cfg, serve_sets[i], err);
    if (rc == ROOF_OK)
        rc = roof_serve_check(&sv->cfg, err);
    for (int i = 0; rc == ROOF_OK && i < nslo; i++)
        rc = roof_slo_parse(slo[i], &sv->slos[i], err);
    if (rc == ROOF_OK)
        rc = roof_search_serving_init(sv, so, s, err);
    so->serving = sv;
    return rc;
}

void roof_search_put_goodput_rows(roof_out *out, const roof_search_result *res, const roof_search_serving *sv,
                                  const roof_metric *objective, const roof_search_ident *id, int table)
{
    int etp = 0;
    for (size_t i = 0; i < res->n; i++)
        etp |= res->rows[i].plan.etp > 0;
    for (size_t i = 0; i < res->n; i++) {
        const roof_search_row *r = &res->rows[i];
        const roof_plan_choice *p = &r->plan;
        const roof_search_serving_row *v = &r->serve;
        roof_out_row(out);
        roof_out_int(out, "rank", (int64_t)i + 1);
        if (!table)
            roof_out_int(out, "index", r->index);
        roof_out_int(out, "tp", p->tp);
        roof_out_int(out, "pp", p->pp);
        roof_out_int(out, "dp", p->dp);
        if (!table) {
            roof_out_int(out, "cp", p->cp);
            roof_out_bool(out, "sp", p->sp);
        }
        roof_out_int(out, "ep", p->ep);
        if (!table || etp)
            roof_out_int(out, "etp", p->etp);
        roof_out_int(out, "chunk", p->chunk);
        roof_out_int(out, "max_batch", p->max_batch);
        if (!table || sv->disagg) {
            roof_out_int(out, "prefill", p->prefill);
            roof_out_int(out, "decode", p->prefill > 0 ? p->dp - p->prefill : 0);
        }
        if (!table) {
            roof_out_str(out, "objective", objective->name);
            roof_out_num(out, "objective_value", objective->unit, r->objective);
        }
        roof_out_num(out, "goodput_requests_per_s", "1/s", v->goodput);
        roof_out_num(out, "goodput_per_gpu", "1/s", v->goodput_per_gpu);
        if (!table || sv->objective == ROOF_GOODPUT_PER_USD)
            roof_out_num(out, "goodput_per_usd_hour", "1/s/(USD/h)", v->goodput_per_usd_hr);
        roof_out_str(out, "bound", roof_search_goodput_bound(sv, v->bound));
        roof_out_num(out, "ttft_s", "s", v->ttft_s);
        roof_out_num(out, "itl_s", "s", v->itl_s);
        roof_out_num(out, "tpot_s", "s", v->tpot_s);
        roof_out_num(out, "e2e_s", "s", v->e2e_s);
        if (!table)
            roof_out_num(out, "queue_s", "s", v->queue_s);
        if (!table || sv->disagg)
            roof_out_num(out, "kv_transfer_s", "s", v->transfer_s);
        if (!table) {
            roof_out_int(out, "gpus", id->gpus);
            roof_out_str(out, "scenario", id->scenario);
        }
    }
}

void roof_search_put_slos(roof_out *out, const roof_search_serving *sv)
{
    char text[ROOF_SERVE_MAX_SLOS * 66] = "";
    for (int i = 0; i < sv->nslo; i++) {
        if (i)
            strncat(text, ";", sizeof text - strlen(text) - 1);
        strncat(text, sv->slos[i].text, sizeof text - strlen(text) - 1);
    }
    roof_out_str(out, "slos", text);
    roof_out_bool(out, "disagg", sv->disagg);
    roof_out_num(out, "prompt_tokens", "tok", sv->cfg.traffic.prompt_mean);
    roof_out_num(out, "output_tokens", "tok", sv->cfg.traffic.output_mean);
}
