/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof estimate CONFIG: the inference model of a deployment. The table
 * form shows the summary, the per-op table of one layer of each kind for
 * the workload's phase, the stage times and the critical path in words; the
 * json form the whole structure (docs/json.md); the csv form the
 * per-op table of both phases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cost_out.h"
#include "cli/estimate_out.h"
#include "cli/parse_opts.h"
#include "model/config.h"
#include "model/count.h"
#include "model/evaluate.h"
#include "model/explain.h"

typedef struct {
    const char *explain;
    int no_interval;
} estimate_opts;

enum { OPT_EXPLAIN = 1, OPT_NO_INTERVAL };

static void help(void)
{
    printf("usage: llmroof estimate [CONFIG] [--model CONFIG.JSON] [--hw NAME|FILE] [--set PATH=VALUE]...\n"
           "                        [--explain PATH] [--no-interval] [--format table|csv|json] [-o FILE]\n\n"
           "Predicts a deployment from its config (configs/*.cfg; without CONFIG, the built-in\n"
           "Llama-3-70B on 8 x H100): time to first token (prefill of the batch), time per\n"
           "output token, throughput, memory per GPU against capacity, and the per-layer ops\n"
           "of one rank. --hw replaces the config's hardware; --set changes any parameter\n"
           "(see 'llmroof params'). --explain PATH shows how one number was obtained: a metric\n"
           "(metrics.ttft_s, or tpot_s for short), an op (ops.prefill.dense.q_proj.time_s), the\n"
           "memory (memory.total_bytes: the peak over the request) or a parameter; with\n"
           "--format json, {\"path\", \"explanation\"}. --model reads a Hugging Face config.json\n"
           "(configs/hf/) in place of the config's model section and its quantization_config,\n"
           "before every --set (docs/model.md); every command that takes a CONFIG takes it.\n\n"
           "Each headline metric carries its 80%% interval, p10-p90, from the model's own\n"
           "error in leave-one-source-out cross-validation (docs/accuracy.md): \"1.24 s (1.1-1.45)\"\n"
           "in the table, metrics_interval.NAME.p10 and .p90 in json; --no-interval hides it.\n\n"
           "Examples:\n"
           "  llmroof estimate configs/llama3-70b-tp8.cfg\n"
           "  llmroof estimate configs/llama3-70b-tp8.cfg --hw b200 --set workload.batch=64\n"
           "  llmroof estimate configs/llama3-70b-tp8.cfg --explain metrics.tpot_s\n"
           "  llmroof estimate configs/seed-001-tp8-pp2.cfg --format json\n"
           "  llmroof estimate --model configs/hf/deepseek-ai--DeepSeek-V3.json --set parallel.tp=8\n");
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    estimate_opts *o = ctx;
    if (opt == OPT_NO_INTERVAL) {
        o->no_interval = 1;
        return 0;
    }
    if (opt != OPT_EXPLAIN)
        return roof_cli_usage_error("estimate", "unknown option");
    o->explain = arg;
    return 0;
}

/* The critical path in words: the first microbatch through every stage and
 * its sends, then the others through the slowest stage. */
static void critical_path(const roof_scenario *s, const roof_result *r, const roof_phase_result *ph, roof_out *out)
{
    char line[1024];
    int64_t L = r->plan.layers_per_stage;
    snprintf(line, sizeof line, "Critical path (%s, one rank per stage; ops run in order, none overlapped):",
             r->phase == ROOF_PHASE_DECODE ? "decode step" : "prefill");
    roof_out_note(out, line);
    for (int64_t i = 0; i < ph->stages; i++) {
        int64_t moe = ph->stage_moe_layers[i];
        snprintf(line, sizeof line, "  stage %lld: %s%lld dense x %.3f ms + %lld MoE x %.3f ms%s = %.3f ms%s",
                 (long long)i, i == 0 && ph->ops.first.n ? "embedding + " : "", (long long)(L - moe),
                 1e3 * ph->ops.dense.time_s, (long long)moe, 1e3 * ph->ops.moe.time_s,
                 i == ph->stages - 1 && ph->ops.last.n ? " + LM head" : "", 1e3 * ph->stage_time_s[i],
                 i + 1 < ph->stages ? ", then send" : "");
        roof_out_note(out, line);
    }
    double m = (double)s->workload.microbatches;
    if (r->phase == ROOF_PHASE_DECODE)
        snprintf(line, sizeof line,
                 "  step = max(stages + sends = %.3f ms, %g microbatches x slowest stage %lld = %.3f ms) = %.3f ms",
                 1e3 * (ph->sum_stage_s + (double)(ph->stages - 1) * ph->send_time_s), m, (long long)ph->slowest_stage,
                 1e3 * m * ph->max_stage_s, 1e3 * ph->time_s);
    else
        snprintf(line, sizeof line,
                 "  total = stages %.3f ms + %lld sends x %.3f ms + (%g - 1) microbatches x slowest stage %lld "
                 "(%.3f ms) = %.3f ms; bubble %.1f%%",
                 1e3 * ph->sum_stage_s, (long long)(ph->stages - 1), 1e3 * ph->send_time_s, m,
                 (long long)ph->slowest_stage, 1e3 * ph->max_stage_s, 1e3 * ph->time_s, 100.0 * ph->bubble);
    roof_out_note(out, line);
}

static int report(roof_cli *cli, const roof_scenario *s, const roof_result *r, const roof_iv_set *iv)
{
    if (r->phase == ROOF_PHASE_TRAINING)
        return roof_estimate_report_training(cli, s, r, iv);
    const roof_phase_result *ph = r->phase == ROOF_PHASE_DECODE ? &r->decode : &r->prefill;
    const char *phase = r->phase == ROOF_PHASE_DECODE ? "decode" : "prefill";
    char title[1024], plan[256];
    roof_estimate_plan_text(s, &r->plan, plan, sizeof plan);
    snprintf(title, sizeof title, "%s on %s (%s)", s->name, s->hw.name, plan);
    /* The csv form: the ops of both phases, one table. */
    roof_out *out = roof_estimate_begin(cli->format, &r->prefill, &r->decode, "prefill", "decode");

    roof_out_section(out, "deployment", ROOF_OUT_RECORD, cli->format == ROOF_FMT_TABLE ? title : NULL);
    roof_out_str(out, "name", s->name);
    roof_out_str(out, "config", s->config_path);
    roof_out_str(out, "hw", s->hw.name);
    roof_out_str(out, "plan", plan);
    roof_out_int(out, "gpus", r->plan.gpus);
    roof_out_str(out, "phase", phase);
    roof_out_int(out, "batch", s->workload.batch);
    roof_out_int(out, "seq_len", s->workload.seq_len);
    roof_out_int(out, "context", r->plan.context);
    roof_out_int(out, "gen_tokens", s->workload.gen_tokens);
    roof_out_int(out, "microbatches", s->workload.microbatches);
    roof_out_str(out, "dtype", roof_dtype_name((roof_dtype)s->workload.dtype));
    /* Each tensor's dtype as the model uses it (workload.dtype where auto). */
    static const char *const tensor_keys[] = {"weights_dtype",  "compute_dtype", "kv_dtype",
                                              "dispatch_dtype", "combine_dtype", "act_dtype"};
    for (int t = ROOF_TENSOR_WEIGHTS; t <= ROOF_TENSOR_ACT; t++)
        roof_out_str(out, tensor_keys[t], roof_dtype_name(roof_workload_dt(&s->workload, (roof_tensor)t)));
    roof_out_num(out, "weight_bytes_per_param", "B", roof_workload_weight_bytes(&s->workload));
    roof_param_count pc;
    roof_count_params(s, &r->plan, &pc);
    roof_out_count(out, "parameters", pc.total);
    roof_out_count(out, "active_parameters", pc.active);

    roof_estimate_put_metrics(out, &r->metrics, cli->format, iv);
    /* Owned against rented (cli/cost_out.c, model/cost.c). */
    roof_error cost_err;
    if (roof_cost_put_section(cli, out, &s->hw, (double)r->plan.gpus, r->metrics.tokens_per_s, &cost_err) != ROOF_OK) {
        roof_out_free(out);
        return roof_cli_fail(&cost_err);
    }
    const roof_memory *mem = &r->memory;
    roof_estimate_put_memory(out, s, mem);

    roof_out_section(out, "totals", ROOF_OUT_RECORD, "Totals of the phase (every rank and layer)");
    roof_out_num(out, "gemm_flops", "FLOP", r->totals.gemm_flops);
    roof_out_num(out, "time_s", "s", r->totals.time_s);

    if (cli->format == ROOF_FMT_JSON) {
        roof_estimate_put_phase(out, &r->prefill, "prefill");
        roof_estimate_put_phase(out, &r->decode, "decode");
    } else {
        const roof_op_list *lists[] = {&ph->ops.dense, &ph->ops.moe, &ph->ops.first, &ph->ops.last, &ph->ops.send};
        const char *what[] = {"one dense layer", "one MoE layer", "first stage: embedding",
                              "last stage: final norm and LM head", "between stages"};
        for (int i = 0; i < 5; i++) {
            if (!lists[i]->n)
                continue;
            char t[256];
            snprintf(t, sizeof t, "%s ops, %s, one rank, one microbatch (%.3f ms)", phase, what[i],
                     1e3 * lists[i]->time_s);
            roof_out_section(out, lists[i]->kind, ROOF_OUT_ROWS, t);
            roof_estimate_put_ops(out, lists[i], phase, 0, 1);
        }
        char t[256];
        snprintf(t, sizeof t, "%s stages, one microbatch each (%lld microbatches per replica)", phase,
                 (long long)s->workload.microbatches);
        roof_out_section(out, "stages", ROOF_OUT_ROWS, t);
        for (int64_t i = 0; i < ph->stages; i++) {
            roof_out_row(out);
            roof_out_int(out, "stage", i);
            roof_out_int(out, "dense_layers", r->plan.layers_per_stage - ph->stage_moe_layers[i]);
            roof_out_int(out, "moe_layers", ph->stage_moe_layers[i]);
            roof_out_num(out, "time_s", "s", ph->stage_time_s[i]);
            roof_out_num(out, "send_s", "s", i + 1 < ph->stages ? ph->send_time_s : 0.0);
        }
        critical_path(s, r, ph, out);
    }
    roof_estimate_fit_warning(cli, s, mem, out);
    return roof_cli_emit(cli, out);
}

int roof_cmd_estimate(int argc, char **argv)
{
    static const struct option longopts[] = {{"explain", required_argument, NULL, OPT_EXPLAIN},
                                             {"no-interval", no_argument, NULL, OPT_NO_INTERVAL},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    estimate_opts o = {NULL, 0};
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    roof_scenario *s = calloc(1, sizeof *s);
    roof_result *r = calloc(1, sizeof *r);
    roof_provenance *prov = calloc(1, sizeof *prov);
    int rc = ROOF_ERR_RUNTIME;
    if (!posv || !s || !r || !prov)
        goto out;
    int posc = 0;
    rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc > 1) {
        rc = roof_cli_usage_error("estimate", "expected one CONFIG (got %d arguments)", posc);
        goto out;
    }
    roof_error err;
    if (roof_scenario_load(posc ? posv[0] : NULL, posc ? NULL : roof_config_default_text(),
                           cli.hw_explicit ? cli.hw_name : NULL, ROOF_DEFAULT_HW, cli.sets, cli.nsets, s, prov,
                           &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    roof_cli_name_scenario(&cli, s);
    if (roof_evaluate(s, r, &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    if (o.explain) {
        char *text = NULL;
        if (roof_explain(s, r, prov, o.explain, &text, &err) != ROOF_OK) {
            rc = roof_cli_fail(&err);
            goto out;
        }
        if (cli.format == ROOF_FMT_JSON) {
            /* JSON asked for, JSON given: the path and the explanation. */
            roof_out *jo = roof_out_new(ROOF_FMT_JSON, ROOF_OUT_RECORD, NULL);
            roof_out_str(jo, "path", o.explain);
            roof_out_str(jo, "explanation", text);
            rc = roof_cli_emit(&cli, jo);
        } else {
            rc = roof_out_write_text(text, cli.output, &err) == ROOF_OK ? 0 : roof_cli_fail(&err);
        }
        free(text);
        goto out;
    }
    /* The error bars: the csv form (the op rows) has no place for them. */
    static roof_iv_set iv;
    int with_iv = !o.no_interval && cli.format != ROOF_FMT_CSV;
    if (with_iv && roof_iv_compute(s, r->phase == ROOF_PHASE_TRAINING, &iv, &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    rc = report(&cli, s, r, with_iv ? &iv : NULL);
out:
    free(posv);
    free(s);
    free(r);
    free(prov);
    return rc;
}
