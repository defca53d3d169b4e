/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The per-op and per-stage tables of `llmroof estimate`, shared by the
 * inference and training reports (cmd_estimate.c, estimate_train.c). */
#include "cli/estimate_out.h"

#include <stdio.h>

static void op_shape(const roof_op *o, char *buf, size_t size)
{
    switch (o->kind) {
    case ROOF_OP_GEMM:
        snprintf(buf, size, "(%.6g, %.6g, %.6g, %.6g)", o->gemm.batch, o->gemm.m, o->gemm.k, o->gemm.n);
        break;
    case ROOF_OP_COMM:
        snprintf(buf, size, "%s over %lld%s", roof_collective_name(o->comm.op), (long long)o->comm.group,
                 o->count > 1.0 ? " (x steps)" : "");
        break;
    case ROOF_OP_FUSED:
        snprintf(buf, size, "fused");
        break;
    default:
        snprintf(buf, size, "elementwise");
        break;
    }
}

/* One row per op. The table form keeps it readable (shape as text); csv
 * and json carry the numbers (batch, m, k, n; the collective and group). */
void roof_estimate_put_ops(roof_out *out, const roof_op_list *l, const char *phase, int csv_row, int table)
{
    static const char *const kinds[] = {"gemm", "fused", "elementwise", "comm"};
    for (int i = 0; i < l->n; i++) {
        const roof_op *o = &l->ops[i];
        char shape[96];
        op_shape(o, shape, sizeof shape);
        roof_out_row(out);
        if (csv_row) {
            roof_out_str(out, "phase", phase);
            roof_out_str(out, "layer", l->kind);
        }
        char name[96];
        snprintf(name, sizeof name, "%s%s", o->name, roof_pass_suffix(o->pass));
        roof_out_str(out, "op", name);
        if (table) {
            roof_out_str(out, "shape", shape);
        } else {
            int g = o->kind == ROOF_OP_GEMM, c = o->kind == ROOF_OP_COMM;
            roof_out_str(out, "kind", kinds[o->kind]);
            /* What an op kind does not have is null (empty in csv). */
            const char *dims[4] = {"batch", "m", "k", "n"};
            const double dimv[4] = {o->gemm.batch, o->gemm.m, o->gemm.k, o->gemm.n};
            for (int d = 0; d < 4; d++) {
                if (g)
                    roof_out_count(out, dims[d], dimv[d]);
                else
                    roof_out_null(out, dims[d], NULL);
            }
            if (c) {
                roof_out_str(out, "collective", roof_collective_name(o->comm.op));
                roof_out_int(out, "group", o->comm.group);
            } else {
                roof_out_null(out, "collective", NULL);
                roof_out_null(out, "group", NULL);
            }
            roof_out_count(out, "count", o->count);
        }
        roof_out_num(out, "flops", "FLOP", o->flops);
        roof_out_num(out, "bytes", "B", o->bytes);
        roof_out_num(out, "time_s", "s", o->time_s);
        roof_out_str(out, "bound", roof_op_bound_name(o->bound));
        roof_out_num(out, "share", "%", l->time_s > 0.0 ? 100.0 * o->time_s / l->time_s : 0.0);
        roof_out_count(out, "replicas", o->replicas);
        roof_out_str(out, "what", o->what);
    }
}

void roof_estimate_put_phase(roof_out *out, const roof_phase_result *ph, const char *name)
{
    char key[96];
    snprintf(key, sizeof key, "%s.summary", name);
    roof_out_section(out, key, ROOF_OUT_RECORD, NULL);
    roof_out_num(out, "time_s", "s", ph->time_s);
    roof_out_num(out, "kv_len", "", ph->ops.kv_len); /* decode: the mean over the steps */
    roof_out_num(out, "bubble", "", ph->bubble);
    roof_out_num(out, "send_time_s", "s", ph->send_time_s);
    roof_out_int(out, "slowest_stage", ph->slowest_stage);
    roof_out_num(out, "gemm_flops", "FLOP", ph->gemm_flops);
    roof_out_num(out, "useful_flops", "FLOP", ph->useful_flops);
    roof_out_num(out, "bytes", "B", ph->bytes);
    snprintf(key, sizeof key, "%s.stages", name);
    roof_out_section(out, key, ROOF_OUT_ROWS, NULL);
    for (int64_t i = 0; i < ph->stages; i++) {
        roof_out_row(out);
        roof_out_int(out, "stage", i);
        roof_out_int(out, "moe_layers", ph->stage_moe_layers[i]);
        roof_out_num(out, "time_s", "s", ph->stage_time_s[i]);
    }
    const roof_op_list *lists[] = {&ph->ops.dense, &ph->ops.moe, &ph->ops.first, &ph->ops.last, &ph->ops.send};
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof key, "%s.ops.%s", name, lists[i]->kind);
        roof_out_section(out, key, ROOF_OUT_ROWS, NULL);
        roof_estimate_put_ops(out, lists[i], name, 0, 0);
    }
}

roof_out *roof_estimate_begin(roof_format fmt, const roof_phase_result *a, const roof_phase_result *b,
                              const char *name_a, const char *name_b)
{
    roof_out *out = roof_out_new(fmt, ROOF_OUT_RECORD, NULL);
    roof_out_section(out, "_ops", ROOF_OUT_ROWS, NULL);
    roof_out_csv_here(out);
    const roof_phase_result *both[] = {a, b};
    const char *names[] = {name_a, name_b};
    for (int p = 0; p < 2; p++) {
        const roof_op_list *lists[] = {&both[p]->ops.dense, &both[p]->ops.moe, &both[p]->ops.first, &both[p]->ops.last,
                                       &both[p]->ops.send};
        for (int i = 0; i < 5; i++)
            roof_estimate_put_ops(out, lists[i], names[p], 1, 0);
    }
    return out;
}

void roof_estimate_put_metrics(roof_out *out, const roof_metrics *mt, roof_format fmt, const roof_iv_set *iv)
{
    roof_out_section(out, "metrics", ROOF_OUT_RECORD, iv && fmt == ROOF_FMT_TABLE ? "Metrics (p10-p90)" : "Metrics");
    roof_iv_put(out, fmt, iv, "ttft_s", "s", mt->ttft_s);
    roof_iv_put(out, fmt, iv, "tpot_s", "s", mt->tpot_s);
    roof_iv_put(out, fmt, iv, "tokens_per_s", "tok/s", mt->tokens_per_s);
    roof_iv_put(out, fmt, iv, "tokens_per_s_per_gpu", "tok/s", mt->tokens_per_s_per_gpu);
    roof_iv_put(out, fmt, iv, "prefill_tokens_per_s", "tok/s", mt->prefill_tokens_per_s);
    roof_iv_put(out, fmt, iv, "decode_time_s", "s", mt->decode_time_s);
    roof_iv_put(out, fmt, iv, "request_latency_s", "s", mt->request_latency_s);
    roof_iv_put(out, fmt, iv, "usd_per_mtok", "USD", mt->usd_per_mtok);
    roof_iv_put(out, fmt, iv, "joules_per_token", "J", mt->joules_per_token);
    roof_iv_put(out, fmt, iv, "e2e_tokens_per_s", "tok/s", mt->e2e_tokens_per_s);
    roof_iv_put(out, fmt, iv, "e2e_usd_per_mtok", "USD", mt->e2e_usd_per_mtok);
    roof_iv_put(out, fmt, iv, "e2e_joules_per_token", "J", mt->e2e_joules_per_token);
    if (mt->spec_tokens > 0.0) {
        /* Speculative decoding (model/spec.c): a step drafts k tokens and
         * verifies k + 1; tpot_s = spec_step_s / spec_tokens. */
        roof_out_num(out, "spec_tokens_per_step", "tok", mt->spec_tokens);
        roof_out_num(out, "spec_draft_s", "s", mt->spec_draft_s);
        roof_out_num(out, "spec_step_s", "s", mt->spec_step_s);
    }
    if (fmt == ROOF_FMT_TABLE)
        roof_out_note(out, "tokens_per_s, usd_per_mtok, joules_per_token: while decoding (decode only); "
                           "e2e_*: over the whole request (prefill + decode)");
    roof_iv_note(out, fmt, iv);
    roof_iv_put_json(out, fmt, iv);
}

void roof_estimate_put_memory(roof_out *out, const roof_scenario *s, const roof_memory *mem)
{
    roof_out_section(out, "memory", ROOF_OUT_RECORD,
                     "Memory per GPU (the fullest stage, at its peak over the request)");
    roof_out_num(out, "weights_bytes", "B", mem->weights_bytes);
    roof_out_num(out, "kv_bytes", "B", mem->kv_bytes);
    roof_out_num(out, "activation_bytes", "B", mem->activation_bytes);
    roof_out_num(out, "total_bytes", "B", mem->total_bytes);
    roof_out_str(out, "peak_at", mem->peak_phase == ROOF_PHASE_PREFILL ? "end of prefill" : "last generated token");
    roof_out_count(out, "kv_len", mem->kv_len);
    roof_out_num(out, "prefill_kv_bytes", "B", mem->prefill_kv_bytes);
    roof_out_num(out, "prefill_activation_bytes", "B", mem->prefill_activation_bytes);
    roof_out_num(out, "prefill_total_bytes", "B", mem->prefill_total_bytes);
    roof_out_num(out, "decode_kv_bytes", "B", mem->decode_kv_bytes);
    roof_out_num(out, "decode_activation_bytes", "B", mem->decode_activation_bytes);
    roof_out_num(out, "decode_total_bytes", "B", mem->decode_total_bytes);
    roof_out_num(out, "capacity_bytes", "B", mem->capacity_bytes);
    roof_out_num(out, "utilization", "", s->workload.mem_utilization);
    roof_out_num(out, "reserve_bytes", "B", s->workload.mem_reserve);
    roof_out_num(out, "usable_bytes", "B", mem->usable_bytes);
    roof_out_num(out, "used_fraction", "", mem->total_bytes / mem->usable_bytes);
    roof_out_bool(out, "fits", mem->fits);
}

void roof_estimate_fit_warning(const roof_cli *cli, const roof_scenario *s, const roof_memory *mem, roof_out *out)
{
    if (mem->fits)
        return;
    char line[256];
    if (mem->usable_bytes < mem->capacity_bytes)
        snprintf(line, sizeof line,
                 "warning: %.1f GB per GPU at the peak (%s) does not fit the %.1f GB usable of the %.1f GB of '%s'",
                 mem->total_bytes / 1e9,
                 mem->peak_phase == ROOF_PHASE_PREFILL ? "end of prefill" : "last generated token",
                 mem->usable_bytes / 1e9, mem->capacity_bytes / 1e9, s->hw.name);
    else
        snprintf(line, sizeof line, "warning: %.1f GB per GPU does not fit the %.1f GB of '%s'", mem->total_bytes / 1e9,
                 mem->capacity_bytes / 1e9, s->hw.name);
    if (cli->format == ROOF_FMT_TABLE)
        roof_out_note(out, line);
    if (!cli->quiet)
        fprintf(stderr, "llmroof: %s\n", line);
}

/* The plan in one line, for both reports' headers. */
void roof_estimate_plan_text(const roof_scenario *s, const roof_plan *p, char *buf, size_t size)
{
    const roof_parallel *q = &s->parallel;
    snprintf(buf, size, "tp %lld, pp %lld, dp %lld, cp %lld, ep %lld (etp %lld)%s: %lld GPUs", (long long)q->tp,
             (long long)q->pp, (long long)q->dp, (long long)q->cp, (long long)q->ep, (long long)p->etp,
             q->sp ? ", sequence parallel" : "", (long long)p->gpus);
}
