/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report of `llmroof estimate` for a training step: the summary, the
 * step's parts (pipeline, bubble, data-parallel communication, optimizer),
 * memory per GPU (weights, gradients, optimizer states, activations), the
 * forward and backward ops of one layer, the stages and the schedule in
 * words. json carries both passes whole (docs/json.md); csv the
 * ops of both passes. */
#include <stdio.h>

#include "cli/estimate_out.h"

static const char *const recompute_names[] = {"none", "selective", "full"};

static void schedule_note(const roof_scenario *s, const roof_training *tr, roof_out *out)
{
    char line[512];
    int64_t pp = s->parallel.pp;
    snprintf(line, sizeof line, "Schedule (%s, %lld microbatches per replica; ops run in order, none overlapped):",
             pp == 1               ? "no pipeline"
             : tr->schedule_vp > 1 ? "interleaved 1F1B"
                                   : "1F1B",
             (long long)s->workload.microbatches);
    roof_out_note(out, line);
    for (int64_t i = 0; i < pp && i < ROOF_MAX_STAGES; i++) {
        snprintf(line, sizeof line,
                 "  stage %lld: forward %.3f ms + backward %.3f ms + sends %.3f ms = %.3f ms per microbatch",
                 (long long)i, 1e3 * tr->fwd.stage_time_s[i], 1e3 * tr->bwd.stage_time_s[i], 1e3 * tr->send_s,
                 1e3 * tr->microbatch_s[i]);
        roof_out_note(out, line);
    }
    snprintf(
        line, sizeof line,
        "  pipeline = (m - 1) x slowest + mean x (1 + (p - 1)/v) = %.3f ms (bubble %.1f%%); + data parallel %.3f ms "
        "exposed of %.3f ms + optimizer %.3f ms = step %.3f ms",
        1e3 * tr->pipeline_s, 100.0 * tr->bubble, 1e3 * tr->dp_exposed_s, 1e3 * tr->dp_comm_s, 1e3 * tr->optimizer_s,
        1e3 * tr->step_s);
    roof_out_note(out, line);
    if (s->workload.offload == ROOF_OFFLOAD_OPTIMIZER) {
        snprintf(line, sizeof line,
                 "  offload %.3f ms in the step: gradients down %.3f ms (hidden under the last backward up to %.3f "
                 "ms), CPU Adam %.3f ms, weights up %.3f ms",
                 1e3 * tr->offload_s, 1e3 * tr->offload_down_s, 1e3 * tr->bwd.max_stage_s, 1e3 * tr->offload_cpu_s,
                 1e3 * tr->offload_up_s);
        roof_out_note(out, line);
    }
}

int roof_estimate_report_training(roof_cli *cli, const roof_scenario *s, const roof_result *r, const roof_iv_set *iv)
{
    const roof_training *tr = &r->training;
    char title[1024], plan[256];
    roof_estimate_plan_text(s, &r->plan, plan, sizeof plan);
    snprintf(title, sizeof title, "%s on %s (%s)", s->name, s->hw.name, plan);
    roof_out *out = roof_estimate_begin(cli->format, &tr->fwd, &tr->bwd, "forward", "backward");
    const roof_phase_result *both[] = {&tr->fwd, &tr->bwd};
    const char *names[] = {"forward", "backward"};

    roof_out_section(out, "deployment", ROOF_OUT_RECORD, cli->format == ROOF_FMT_TABLE ? title : NULL);
    roof_out_str(out, "name", s->name);
    roof_out_str(out, "config", s->config_path);
    roof_out_str(out, "hw", s->hw.name);
    roof_out_str(out, "plan", plan);
    roof_out_int(out, "gpus", r->plan.gpus);
    roof_out_str(out, "phase", "training");
    roof_out_int(out, "global_batch", s->workload.batch);
    roof_out_int(out, "micro_batch", r->plan.seqs_per_microbatch);
    roof_out_int(out, "microbatches", s->workload.microbatches);
    roof_out_int(out, "seq_len", s->workload.seq_len);
    roof_out_str(out, "dtype", roof_dtype_name(roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE)));
    roof_out_str(out, "recompute", recompute_names[s->workload.recompute]);
    roof_out_int(out, "zero", s->workload.zero);
    roof_out_str(out, "offload", s->workload.offload == ROOF_OFFLOAD_OPTIMIZER ? "optimizer" : "none");
    roof_out_int(out, "virtual_stages", s->parallel.vp);

    roof_out_section(out, "training", ROOF_OUT_RECORD, "Training step");
    roof_iv_put(out, cli->format, iv, "step_time_s", "s", tr->step_s);
    roof_iv_put(out, cli->format, iv, "tokens_per_s", "tok/s", tr->tokens_per_s);
    roof_iv_put(out, cli->format, iv, "tokens_per_s_per_gpu", "tok/s", tr->tokens_per_s_per_gpu);
    roof_iv_put(out, cli->format, iv, "mfu", "", tr->mfu);
    roof_iv_put(out, cli->format, iv, "hfu", "", tr->hfu);
    roof_iv_put(out, cli->format, iv, "flops_per_gpu", "FLOP/s", tr->tflops_per_gpu);
    roof_out_num(out, "model_flops", "FLOP", tr->model_flops);
    roof_out_num(out, "hw_flops", "FLOP", tr->hw_flops);
    roof_out_num(out, "train_tokens", "", s->workload.train_tokens);
    roof_iv_put(out, cli->format, iv, "time_to_train_s", "s", tr->time_to_train_s);
    roof_iv_put(out, cli->format, iv, "cost_to_train_usd", "USD", tr->cost_to_train_usd);
    roof_iv_note(out, cli->format, iv);
    roof_iv_put_json(out, cli->format, iv);

    roof_out_section(out, "step", ROOF_OUT_RECORD, "Parts of the step");
    roof_out_num(out, "pipeline_s", "s", tr->pipeline_s);
    roof_out_num(out, "bubble", "", tr->bubble);
    roof_out_num(out, "send_s", "s", tr->send_s);
    roof_out_num(out, "dp_comm_s", "s", tr->dp_comm_s);
    roof_out_num(out, "dp_exposed_s", "s", tr->dp_exposed_s);
    roof_out_num(out, "optimizer_s", "s", tr->optimizer_s);
    roof_out_num(out, "offload_s", "s", tr->offload_s);
    roof_out_num(out, "offload_down_s", "s", tr->offload_down_s);
    roof_out_num(out, "offload_cpu_s", "s", tr->offload_cpu_s);
    roof_out_num(out, "offload_up_s", "s", tr->offload_up_s);

    const roof_memory *mem = &r->memory;
    roof_out_section(out, "memory", ROOF_OUT_RECORD, "Memory per GPU (the fullest stage)");
    roof_out_num(out, "weights_bytes", "B", mem->weights_bytes);
    roof_out_num(out, "grads_bytes", "B", mem->grads_bytes);
    roof_out_num(out, "optimizer_bytes", "B", mem->optimizer_bytes);
    roof_out_num(out, "activation_bytes", "B", mem->activation_bytes);
    roof_out_num(out, "host_bytes", "B", mem->host_bytes);
    roof_out_num(out, "activation_layer_bytes", "B", tr->act_layer_bytes);
    roof_out_num(out, "inflight_microbatches", "", tr->inflight);
    roof_out_num(out, "total_bytes", "B", mem->total_bytes);
    roof_out_num(out, "capacity_bytes", "B", mem->capacity_bytes);
    roof_out_num(out, "used_fraction", "", mem->total_bytes / mem->capacity_bytes);
    roof_out_bool(out, "fits", mem->fits);

    roof_out_section(out, "totals", ROOF_OUT_RECORD, "Totals of the step (every rank and layer)");
    roof_out_num(out, "gemm_flops", "FLOP", r->totals.gemm_flops);
    roof_out_num(out, "time_s", "s", r->totals.time_s);

    if (cli->format == ROOF_FMT_JSON) {
        roof_estimate_put_phase(out, &tr->fwd, "forward");
        roof_estimate_put_phase(out, &tr->bwd, "backward");
    } else {
        const char *what[] = {"one dense layer", "one MoE layer", "first stage: embedding",
                              "last stage: final norm, LM head and loss", "between stages"};
        for (int p = 0; p < 2; p++) {
            const roof_op_list *lists[] = {&both[p]->ops.dense, &both[p]->ops.moe, &both[p]->ops.first,
                                           &both[p]->ops.last, &both[p]->ops.send};
            for (int i = 0; i < 5; i++) {
                if (!lists[i]->n)
                    continue;
                char key[64], t[256];
                snprintf(key, sizeof key, "%s.%s", names[p], lists[i]->kind);
                snprintf(t, sizeof t, "%s ops, %s, one rank, one microbatch (%.3f ms)", names[p], what[i],
                         1e3 * lists[i]->time_s);
                roof_out_section(out, key, ROOF_OUT_ROWS, t);
                roof_estimate_put_ops(out, lists[i], names[p], 0, 1);
            }
        }
        schedule_note(s, tr, out);
    }
    roof_estimate_fit_warning(cli, s, mem, out);
    return roof_cli_emit(cli, out);
}
