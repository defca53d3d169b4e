/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "model/explain.h"

#include "model/arch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"
#include "hw/attention.h"
#include "model/explain_train.h"
#include "model/training.h"

typedef struct {
    const roof_scenario *s;
    const roof_provenance *prov;
    FILE *f;
} ex;

/* "  hw.memory.bandwidth = 3.350 TB/s  (hw/profiles/h100-sxm.cfg:21)" */
static void input(const ex *e, const char *path)
{
    roof_scenario *sm = (roof_scenario *)e->s; /* read only: tables need non-const bases */
    const roof_param_table *tables[ROOF_SCENARIO_TABLES];
    void *bases[ROOF_SCENARIO_TABLES];
    roof_scenario_tables(sm, tables, bases);
    for (int t = 0; t < ROOF_SCENARIO_TABLES; t++) {
        const roof_param *p = roof_param_find(tables[t], path);
        if (!p)
            continue;
        char value[64];
        roof_param_format(p, roof_param_get(p, bases[t]), value, sizeof value);
        size_t i = (size_t)(p - tables[t]->params);
        fprintf(e->f, "    %-30s = %-16s (%s)\n", path, value,
                e->prov && i < ROOF_MAX_TABLE_PARAMS ? e->prov->where[t][i] : "?");
        return;
    }
}

static void inputs(const ex *e, const char *const *paths)
{
    fprintf(e->f, "  inputs:\n");
    for (; *paths; paths++)
        input(e, *paths);
}

static const char *peak_path(roof_dtype dt)
{
    static const char *const paths[ROOF_DT_COUNT] = {
        "hw.compute.fp64", "hw.compute.fp32", "hw.compute.tf32", "hw.compute.bf16", "hw.compute.fp16",
        "hw.compute.fp8",  "hw.compute.int8", "hw.compute.fp4",  "hw.compute.int4", "hw.compute.fp6"};
    return (unsigned)dt < ROOF_DT_COUNT ? paths[dt] : "hw.compute.bf16";
}

static void explain_op(const ex *e, const roof_op *o, const char *phase, const char *kind, int train)
{
    FILE *f = e->f;
    char buf[64];
    roof_units_format(o->time_s, "s", buf, sizeof buf);
    fprintf(f, "ops.%s.%s.%s%s.time_s = %s\n  %s, one rank, one microbatch\n", phase, kind, o->name,
            roof_pass_suffix(o->pass), buf, o->what);
    /* As the op was timed: a training step's ops at the sustained times
     * the training fraction (model/training.c), the others' at the
     * sustained fraction (model/ops_time.c). */
    roof_hw derated, trained;
    const roof_hw *hw = roof_ops_hw(train ? roof_training_hw(&e->s->hw, &trained) : &e->s->hw, &derated);
    const char *scaled = hw == &e->s->hw                        ? ""
                         : train && e->s->hw.eff_training > 0.0 ? " * eff_sustained * eff_training"
                                                                : " * eff_sustained";
    static const char *const shape_inputs[] = {
        "workload.batch", "parallel.dp", "workload.microbatches", "workload.seq_len", "parallel.cp",      "parallel.tp",
        "model.hidden",   "model.heads", "model.kv_heads",        "model.head_dim",   "model.ffn_hidden", NULL};
    if (o->kind == ROOF_OP_GEMM) {
        roof_gemm_time t;
        roof_error err;
        roof_gemm_time_of(hw, &o->gemm, 0, &t, &err);
        const roof_gemm *g = &o->gemm;
        fprintf(f, "  Get_Time(m=%.6g, k=%.6g, n=%.6g) x batch %.6g, %s (hw/gemm.c):\n", g->m, g->k, g->n, g->batch,
                roof_dtype_name(g->dtype));
        roof_gemm_cpu parts;
        roof_gemm_cpu_parts(hw, g, &parts);
        if (hw->gemm_pack > 0.0 || hw->gemm_block_k > 0.0) {
            /* The CPU BLAS terms (hw/gemm.c): packed A and B (read by each
             * thread of OpenBLAS's split that needs them), C once per KC block. */
            char a_by[48] = "", b_by[48] = "";
            if (parts.a_threads != 1.0 || parts.b_threads != 1.0) {
                snprintf(a_by, sizeof a_by, "%.6g threads * ", parts.a_threads);
                snprintf(b_by, sizeof b_by, "%.6g threads * ", parts.b_threads);
            }
            fprintf(f,
                    "    F = 2*batch*m*k*n = %.6g FLOP; bytes = pack %.4g * s*(%sbatch*m*k + %s%sk*n) + s*batch*m*n * "
                    "(1 + 2*ceil(k / block_k %.6g)) = %.6g B\n",
                    t.flops, hw->gemm_pack > 0.0 ? hw->gemm_pack : 1.0, a_by, b_by, g->shared_b ? "" : "batch*",
                    hw->gemm_block_k, t.bytes);
        } else
            fprintf(f, "    F = 2*batch*m*k*n = %.6g FLOP; bytes = s*(batch*m*k + %sk*n + batch*m*n) = %.6g B\n",
                    t.flops, g->shared_b ? "" : "batch*", t.bytes);
        if (parts.one_thread && g->m * g->n * g->k <= hw->gemm_serial_mnk)
            fprintf(f, "    m*n*k = %.6g <= serial_mnk %.6g: one of %lld threads, no threading overhead\n",
                    g->m * g->n * g->k, hw->gemm_serial_mnk, (long long)hw->gemm_threads);
        else if (parts.one_thread)
            fprintf(f,
                    "    m = %.6g, n = %.6g below the split of switch_ratio %lld: one of %lld threads, no threading "
                    "overhead\n",
                    g->m, g->n, (long long)hw->gemm_switch_ratio, (long long)hw->gemm_threads);
        fprintf(f, "    compute = 2 * issued MACs / (P * eff_%s%s) = F / (%.6g * %.4g * utilization %.4g) = %.6g s\n",
                roof_hw_eff_path(hw, g->dtype) + strlen("hw.efficiency."), scaled, hw->compute[g->dtype],
                roof_hw_eff(hw, g->dtype), t.utilization, t.compute_time_s);
        if (hw->gemm_unaligned > 0.0 && !roof_gemm_aligned(g))
            fprintf(f, "    k or n is not a multiple of 16 bytes: eff times hw.gemm.unaligned %.4g\n",
                    hw->gemm_unaligned);
        double epilogue = parts.epilogue_s, dram = parts.dram_s;
        /* One thread of a threaded CPU profile streams at its own bandwidth. */
        int one = parts.one_thread && hw->gemm_serial_bw > 0.0;
        const char *bw_name = one ? "serial_bandwidth" : "BW * eff_memory";
        if (hw->gemm_epilogue > 0.0 || hw->gemm_bw_units > 0.0)
            fprintf(f,
                    "    memory  = A and B at %s * min(1, tiles / bw_units %.4g), C less its epilogue "
                    "= %.6g s\n    epilogue = %.4g * C bytes / (%s) = %.6g s, after the main loop\n",
                    bw_name, hw->gemm_bw_units, t.memory_time_s, hw->gemm_epilogue, bw_name, epilogue);
        else if (one)
            fprintf(f, "    memory  = bytes / serial_bandwidth = %.6g / %.6g = %.6g s\n", t.bytes, hw->gemm_serial_bw,
                    t.memory_time_s);
        else
            fprintf(f, "    memory  = bytes / (BW * eff_memory) = %.6g / (%.6g * %.3g) = %.6g s\n", t.bytes,
                    hw->mem_bandwidth, hw->eff_memory, t.memory_time_s);
        if (hw->gemm_cache > 0.0)
            fprintf(f,
                    "    dram = (1 - cache %.6g B / footprint s*(m*k + k*n + m*n)) * (A and B once + C's passes) / "
                    "dram_bandwidth %.6g B/s = %.6g s, added\n",
                    hw->gemm_cache, hw->gemm_dram_bw, dram);
        const char *ep = epilogue > 0.0 ? " + epilogue" : "";
        const char *dr = dram > 0.0 ? " + dram" : "";
        /* A split's fp32 partials, written and read after the loop
         * (hw/gemm.c: split-K and the stream-K tail). */
        char fx[64] = "";
        if (t.fixup_s > 0.0)
            snprintf(fx, sizeof fx, " + fixup %.3g s", t.fixup_s);
        double ridge = parts.ridge;
        if (ridge > 0.0)
            fprintf(f,
                    "    time = (compute^r + memory^r)^(1/r), r = %.4g,%s%s%s + overhead %.3g s = %.6g s (%s-bound)\n",
                    ridge, ep, dr, fx, t.overhead_s, t.time_s, roof_bound_name(t.bound));
        else
            fprintf(f, "    time = max(compute, memory)%s%s%s + overhead %.3g s = %.6g s (%s-bound)\n", ep, dr, fx,
                    t.overhead_s, t.time_s, roof_bound_name(t.bound));
        const char *eff_path = roof_hw_eff_path(hw, g->dtype);
        const char *hw_inputs[13];
        size_t k = 0;
        hw_inputs[k++] = peak_path(g->dtype);
        hw_inputs[k++] = eff_path;
        hw_inputs[k++] = "hw.efficiency.sustained";
        if (train)
            hw_inputs[k++] = "hw.efficiency.training";
        static const char *const rest[] = {"hw.memory.bandwidth", "hw.efficiency.memory", "hw.gemm.tile_m",
                                           "hw.gemm.tile_n",      "hw.gemm.units",        "hw.gemm.ridge",
                                           "hw.kernel.overhead",  "workload.dtype"};
        for (size_t j = 0; j < sizeof rest / sizeof rest[0]; j++)
            hw_inputs[k++] = rest[j];
        hw_inputs[k] = NULL;
        inputs(e, hw_inputs);
        /* The optional GEMM terms, where the profile sets them. */
        const struct {
            const char *path;
            double value;
        } extra[] = {{"hw.gemm.epilogue", hw->gemm_epilogue},
                     {"hw.gemm.bw_units", hw->gemm_bw_units},
                     {"hw.gemm.unaligned", hw->gemm_unaligned},
                     {"hw.gemm.pack", hw->gemm_pack},
                     {"hw.gemm.block_k", hw->gemm_block_k},
                     {"hw.gemm.threads", (double)hw->gemm_threads},
                     {"hw.gemm.serial_mnk", hw->gemm_serial_mnk},
                     {"hw.gemm.serial_bandwidth", hw->gemm_serial_bw},
                     {"hw.gemm.serial_ridge", hw->gemm_serial_ridge},
                     {"hw.gemm.switch_ratio", (double)hw->gemm_switch_ratio},
                     {"hw.gemm.cache", hw->gemm_cache},
                     {"hw.gemm.dram_bandwidth", hw->gemm_dram_bw}};
        for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
            if (extra[i].value > 0.0)
                input(e, extra[i].path);
    } else if (o->kind == ROOF_OP_COMM) {
        roof_comm_time t;
        roof_error err;
        roof_comm_time_of(hw, &o->comm, &t, &err);
        fprintf(f, "  %s of %.6g B over %lld ranks, %s algorithm, alpha-beta (hw/collective.c):\n",
                roof_collective_name(o->comm.op), o->comm.bytes, (long long)o->comm.group, roof_algo_name(t.algo));
        fprintf(f, "    latency terms %.6g s + bandwidth terms %.6g s = %.6g s, x %g step(s)\n", t.alpha_s, t.beta_s,
                t.time_s, o->count);
        static const char *const net[] = {"hw.network.node.bandwidth",     "hw.network.node.latency",
                                          "hw.network.node.efficiency",    "hw.network.node.size",
                                          "hw.network.cluster.bandwidth",  "hw.network.cluster.latency",
                                          "hw.network.cluster.efficiency", NULL};
        inputs(e, net);
    } else {
        roof_dtype cdt = roof_op_dtype(hw, o, roof_workload_dt(&e->s->workload, ROOF_TENSOR_COMPUTE));
        fprintf(f, "  roofline of %.6g FLOP and %.6g B: max(F / (%s * eff), bytes / (BW * eff)) + overhead\n", o->flops,
                o->bytes, peak_path(cdt));
        /* Fused attention at its own fraction where the profile sets it
         * (hw/hw.h roof_hw_attn_eff), with its exponentials and query
         * tiles (hw/attention.c) where the profile sets them. The list ends
         * (NULL) before the hw.attention.* inputs for any other op. */
        const char *eff_path = o->kind == ROOF_OP_FUSED ? roof_hw_attn_eff_path(hw, cdt) : roof_hw_eff_path(hw, cdt);
        const char *hw_inputs[] = {peak_path(cdt),           eff_path,
                                   "hw.memory.bandwidth",    "hw.efficiency.memory",
                                   "hw.kernel.overhead",     "workload.attention",
                                   "workload.causal",        o->kind == ROOF_OP_FUSED ? "hw.attention.exp_rate" : NULL,
                                   "hw.attention.tile_keys", "hw.attention.exp_exposed",
                                   "hw.attention.backward",  "hw.attention.kernel",
                                   "hw.gemm.units",          "hw.attention.memory",
                                   "hw.attention.unit_keys", NULL};
        if (o->kind == ROOF_OP_FUSED) {
            roof_kernel_time t;
            roof_error err;
            roof_attn_work w = roof_op_attn_work(o);
            char wave[96] = "";
            if (roof_attention_waves(hw, &w) > 0.0)
                snprintf(wave, sizeof wave, " x waves of %.6g tiles on %lld SMs / tiles", ceil(w.tiles),
                         (long long)hw->units);
            if (roof_attention_time(hw, &w, cdt, 0, &t, &err) == ROOF_OK)
                fprintf(f,
                        "    F's time: (max(matmuls, %.6g pairs / exp_rate) + exp_exposed * the shorter)%s x (1 + "
                        "tile_keys / %.6g keys)%s = %.6g s; memory: bytes / (BW * %s) = %.6g s; time %.6g s "
                        "(%s-bound; hw/attention.c)\n",
                        o->attn_pairs, w.backward ? " / backward" : "", o->attn_keys, wave, t.compute_time_s,
                        roof_attn_is_decode(&w) ? "attention.memory, else efficiency.memory) x (1 + unit_keys / keys"
                                                : "efficiency.memory",
                        t.memory_time_s, t.time_s, roof_bound_name(t.bound));
        }
        inputs(e, hw_inputs);
    }
    fprintf(f, "  the shape comes from:\n");
    for (const char *const *p = shape_inputs; *p; p++)
        input(e, *p);
    /* Attention's keys: the KV length in decode, a cached prefix in
     * prefill (model/ops.c keys_per_query). */
    if (o->kind == ROOF_OP_FUSED)
        input(e, "workload.context");
}

static const roof_op_list *find_list(const roof_phase_result *ph, const char *kind)
{
    const roof_op_list *lists[] = {&ph->ops.dense, &ph->ops.moe, &ph->ops.first, &ph->ops.last, &ph->ops.send};
    for (int i = 0; i < 5; i++)
        if (strcmp(lists[i]->kind, kind) == 0)
            return lists[i];
    return NULL;
}

static int explain_ops_path(const ex *e, const roof_result *r, const char *path, roof_error *err)
{
    /* ops.PHASE.KIND.OP.time_s; a training backward's OP carries its
     * pass ("q_proj.wgrad"), so the field is the last component. */
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path + 4);
    char *phase = buf, *kind = strchr(phase, '.');
    char *op = kind ? strchr(kind + 1, '.') : NULL;
    char *field = op ? strrchr(op + 1, '.') : NULL;
    if (!field)
        return roof_error_set(err, ROOF_ERR_USAGE, "--explain", "expected ops.PHASE.KIND.OP.time_s (got '%s')", path);
    *kind++ = '\0';
    *op++ = '\0';
    *field++ = '\0';
    int train = r->phase == ROOF_PHASE_TRAINING;
    const roof_phase_result *ph = NULL;
    if (train)
        ph = strcmp(phase, "forward") == 0    ? &r->training.fwd
             : strcmp(phase, "backward") == 0 ? &r->training.bwd
                                              : NULL;
    else
        ph = strcmp(phase, "prefill") == 0 ? &r->prefill : strcmp(phase, "decode") == 0 ? &r->decode : NULL;
    if (!ph)
        return roof_error_set(err, ROOF_ERR_USAGE, "--explain", "unknown phase '%s' (expected %s)", phase,
                              train ? "forward or backward: this is a training step" : "prefill or decode");
    const roof_op_list *l = find_list(ph, kind);
    if (!l)
        return roof_error_set(err, ROOF_ERR_USAGE, "--explain",
                              "unknown layer kind '%s' (expected dense, moe, first, last or send)", kind);
    char name[96];
    for (int i = 0; i < l->n; i++) {
        snprintf(name, sizeof name, "%s%s", l->ops[i].name, roof_pass_suffix(l->ops[i].pass));
        if (strcmp(name, op) == 0) {
            explain_op(e, &l->ops[i], phase, kind, train);
            return ROOF_OK;
        }
    }
    char names[4096] = "";
    for (int i = 0; i < l->n; i++) {
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s%s", i ? ", " : "", l->ops[i].name,
                 roof_pass_suffix(l->ops[i].pass));
    }
    return roof_error_set(err, ROOF_ERR_USAGE, "--explain", "no op '%s' in the %s %s layer (it has: %s)", op, phase,
                          kind, names);
}

static void explain_stages(const ex *e, const roof_result *r, const roof_phase_result *ph)
{
    FILE *f = e->f;
    int64_t L = r->plan.layers_per_stage;
    for (int64_t i = 0; i < ph->stages; i++)
        fprintf(f, "    stage %lld = %lld dense x %.6g s + %lld MoE x %.6g s%s%s = %.6g s\n", (long long)i,
                (long long)(L - ph->stage_moe_layers[i]), ph->ops.dense.time_s, (long long)ph->stage_moe_layers[i],
                ph->ops.moe.time_s, i == 0 && ph->ops.first.n ? " + first" : "",
                i == ph->stages - 1 && ph->ops.last.n ? " + last" : "", ph->stage_time_s[i]);
    fprintf(f, "    one layer is the sum of its ops, run in order on one rank (see ops.%s.dense.*.time_s)\n",
            ph->ops.phase == ROOF_PHASE_DECODE ? "decode" : "prefill");
}

int roof_explain(const roof_scenario *s, const roof_result *r, const roof_provenance *prov, const char *path,
                 char **text, roof_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "--explain", "out of memory");
    ex e = {s, prov, f};
    /* A bare metric name is short for metrics.NAME (--explain tpot_s):
     * every other path (parameters, ops, memory) has a dot. */
    char full[128];
    const char *given = path;
    if (*path && !strchr(path, '.') && strlen(path) < sizeof full - 8) {
        snprintf(full, sizeof full, "metrics.%s", path);
        path = full;
    }
    const roof_metrics *m = &r->metrics;
    const roof_phase_result *pf = &r->prefill, *dc = &r->decode;
    int rc = ROOF_OK;
    double mb = (double)s->workload.microbatches;

    if (strncmp(path, "ops.", 4) == 0) {
        rc = explain_ops_path(&e, r, path, err);
    } else if (r->phase == ROOF_PHASE_TRAINING &&
               (strncmp(path, "training.", 9) == 0 || strncmp(path, "memory.", 7) == 0 ||
                strncmp(path, "metrics.", 8) == 0 || strcmp(path, "totals.time_s") == 0)) {
        rc = roof_explain_training(f, s, r, path, err);
        if (rc == ROOF_OK && strncmp(path, "metrics.", 8) != 0) {
            static const char *const in[] = {"workload.batch",     "workload.microbatches", "workload.seq_len",
                                             "workload.recompute", "workload.zero",         "workload.dp_overlap",
                                             "parallel.tp",        "parallel.pp",           "parallel.vp",
                                             "parallel.dp",        "parallel.sp",           NULL};
            inputs(&e, in);
        }
    } else if (strcmp(path, "metrics.ttft_s") == 0 || strcmp(path, "totals.time_s") == 0) {
        fprintf(f, "metrics.ttft_s = %.6g s: the prefill of the whole batch (the last request's first token)\n",
                m->ttft_s);
        fprintf(f, "  = sum of stage times + (pp - 1) x send + (microbatches - 1) x slowest stage\n");
        fprintf(f,
                "  = %.6g + %lld x %.6g + (%g - 1) x %.6g   (GPipe-style pipeline: (m + pp - 1) t for equal stages)\n",
                pf->sum_stage_s, (long long)(pf->stages - 1), pf->send_time_s, mb, pf->max_stage_s);
        explain_stages(&e, r, pf);
        static const char *const in[] = {"workload.batch", "workload.seq_len", "workload.microbatches", "parallel.pp",
                                         "parallel.dp",    "parallel.tp",      "model.layers",          NULL};
        inputs(&e, in);
    } else if (strcmp(path, "metrics.tpot_s") == 0) {
        fprintf(f, "metrics.tpot_s = %.6g s: one decode step at KV length %.6g (context + (gen_tokens - 1) / 2)\n",
                m->tpot_s, dc->ops.kv_len);
        fprintf(f, "  = max(sum of stage times + (pp - 1) x send, microbatches x slowest stage)\n");
        fprintf(f, "  = max(%.6g + %lld x %.6g, %g x %.6g)\n", dc->sum_stage_s, (long long)(dc->stages - 1),
                dc->send_time_s, mb, dc->max_stage_s);
        explain_stages(&e, r, dc);
        if (m->spec_tokens > 0.0) {
            /* Speculative decoding (model/spec.c). */
            fprintf(f,
                    "  speculative (workload.spec.k = %lld, acceptance a = %g): the step above verifies k + 1 tokens "
                    "per sequence\n  tpot_s = (verify + k draft steps) / ((1 - a^(k+1)) / (1 - a)) = (%.6g + %.6g) / "
                    "%.6g = %.6g s (Leviathan et al. 2023, eq. 1)\n",
                    (long long)s->workload.spec_k, s->workload.spec_acceptance, m->spec_step_s - m->spec_draft_s,
                    m->spec_draft_s, m->spec_tokens, m->tpot_s);
            static const char *const sp[] = {"workload.spec.method", "workload.spec.k", "workload.spec.acceptance",
                                             NULL};
            inputs(&e, sp);
        }
        static const char *const in[] = {
            "workload.batch", "workload.context", "workload.gen_tokens", "workload.microbatches",
            "parallel.pp",    "parallel.tp",      "parallel.cp",         NULL};
        inputs(&e, in);
    } else if (strcmp(path, "metrics.tokens_per_s") == 0 || strcmp(path, "metrics.tokens_per_s_per_gpu") == 0) {
        fprintf(f, "metrics.tokens_per_s = batch / tpot_s = %lld / %.6g = %.6g output tokens/s (all %lld GPUs)\n",
                (long long)s->workload.batch, m->tpot_s, m->tokens_per_s, (long long)r->plan.gpus);
        fprintf(f, "metrics.tokens_per_s_per_gpu = %.6g\n", m->tokens_per_s_per_gpu);
        static const char *const in[] = {"workload.batch", NULL};
        inputs(&e, in);
    } else if (strcmp(path, "metrics.request_latency_s") == 0 || strcmp(path, "metrics.decode_time_s") == 0) {
        fprintf(f, "metrics.request_latency_s = ttft_s + gen_tokens x tpot_s = %.6g + %lld x %.6g = %.6g s\n",
                m->ttft_s, (long long)s->workload.gen_tokens, m->tpot_s, m->request_latency_s);
        static const char *const in[] = {"workload.gen_tokens", NULL};
        inputs(&e, in);
    } else if (strcmp(path, "metrics.prefill_tokens_per_s") == 0) {
        fprintf(f, "metrics.prefill_tokens_per_s = batch x seq_len / ttft_s = %lld x %lld / %.6g = %.6g\n",
                (long long)s->workload.batch, (long long)s->workload.seq_len, m->ttft_s, m->prefill_tokens_per_s);
    } else if (strcmp(path, "metrics.usd_per_mtok") == 0 || strcmp(path, "metrics.joules_per_token") == 0 ||
               strncmp(path, "metrics.e2e_", 12) == 0) {
        fprintf(f,
                "metrics.usd_per_mtok = price x GPUs / 3600 / tokens_per_s x 1e6 = %.6g x %lld / 3600 / %.6g x 1e6 = "
                "%.6g USD\n",
                s->hw.price_usd_per_hour, (long long)r->plan.gpus, m->tokens_per_s, m->usd_per_mtok);
        fprintf(f, "metrics.joules_per_token = watts x GPUs / tokens_per_s = %.6g x %lld / %.6g = %.6g J\n",
                s->hw.power_watts, (long long)r->plan.gpus, m->tokens_per_s, m->joules_per_token);
        fprintf(f,
                "  (decode only; end to end, e2e_tokens_per_s = batch x gen_tokens / (ttft_s + gen_tokens x "
                "tpot_s) = %.6g tok/s:\n   e2e_usd_per_mtok = %.6g USD, e2e_joules_per_token = %.6g J)\n",
                m->e2e_tokens_per_s, m->e2e_usd_per_mtok, m->e2e_joules_per_token);
        static const char *const in[] = {"hw.price.usd_per_hour", "hw.power.watts", NULL};
        inputs(&e, in);
    } else if (strncmp(path, "memory.", 7) == 0) {
        const roof_memory *mem = &r->memory;
        fprintf(f,
                "memory.total_bytes = weights + KV cache + largest live activation, at the peak over the request\n"
                "  end of prefill = %.6g + %.6g + %.6g = %.6g B (KV of seq_len: %lld tokens)\n"
                "  last generated token = %.6g + %.6g + %.6g = %.6g B (KV of context + gen_tokens: %.6g tokens)\n"
                "  peak (%s): %.6g B\n",
                mem->weights_bytes, mem->prefill_kv_bytes, mem->prefill_activation_bytes, mem->prefill_total_bytes,
                (long long)s->workload.seq_len, mem->weights_bytes, mem->decode_kv_bytes, mem->decode_activation_bytes,
                mem->decode_total_bytes, (double)r->plan.context + (double)s->workload.gen_tokens,
                mem->peak_phase == ROOF_PHASE_PREFILL ? "end of prefill" : "last generated token", mem->total_bytes);
        fprintf(f,
                "memory.usable_bytes = capacity x workload.memory.utilization - workload.memory.reserve = %.6g x "
                "%.6g - %.6g = %.6g B: %s\n",
                mem->capacity_bytes, s->workload.mem_utilization, s->workload.mem_reserve, mem->usable_bytes,
                mem->fits ? "fits" : "does not fit");
        fprintf(f,
                "  kv_bytes = layers per stage x KV elements per token and layer on a rank (%s) x s_kv x sequences "
                "per replica x mean cached length / cp\n           = %lld x %.6g x %g x %lld x %.6g / %lld%s\n",
                roof_arch_mla(&s->model) ? "MLA: kv_lora_rank + qk_rope_head_dim" : "2 x KV heads x head_dim",
                (long long)r->plan.layers_per_stage, roof_arch_kv_elems(s, &r->plan),
                roof_dtype_bytes(roof_workload_dt(&s->workload, ROOF_TENSOR_KV)), (long long)r->plan.seqs_per_replica,
                roof_arch_mean_kv_len(&s->model, mem->kv_len), (long long)s->parallel.cp,
                r->metrics.spec_tokens > 0.0 ? ", plus the speculative proposer's" : "");
        fprintf(f,
                "  weights_bytes: the parameters of the fullest stage on one rank (attention split over tp,\n"
                "  MLP over tp, experts over ep and etp, embedding and LM head over tp)\n"
                "  x bytes per weight (workload.weights_dtype and its group scales: %g B)\n",
                roof_workload_weight_bytes(&s->workload));
        static const char *const in[] = {"model.layers",
                                         "model.hidden",
                                         "model.kv_heads",
                                         "model.head_dim",
                                         "workload.batch",
                                         "workload.seq_len",
                                         "workload.context",
                                         "workload.gen_tokens",
                                         "workload.kv_dtype",
                                         "parallel.tp",
                                         "parallel.pp",
                                         "parallel.dp",
                                         "parallel.cp",
                                         "hw.memory.capacity",
                                         "workload.memory.utilization",
                                         "workload.memory.reserve",
                                         NULL};
        inputs(&e, in);
    } else {
        /* A parameter. */
        roof_scenario *sm = (roof_scenario *)s;
        const roof_param_table *tables[ROOF_SCENARIO_TABLES];
        void *bases[ROOF_SCENARIO_TABLES];
        roof_scenario_tables(sm, tables, bases);
        const roof_param *hit = NULL;
        for (int t = 0; t < ROOF_SCENARIO_TABLES && !hit; t++)
            hit = roof_param_find(tables[t], path);
        if (hit) {
            fprintf(f, "%s: %s\n", path, hit->meaning);
            input(&e, path);
        } else {
            rc = roof_error_set(err, ROOF_ERR_USAGE, "--explain",
                                "cannot explain '%s' (try metrics.ttft_s, metrics.tpot_s, metrics.tokens_per_s, "
                                "metrics.request_latency_s, metrics.usd_per_mtok, memory.total_bytes, "
                                "ops.prefill.dense.q_proj.time_s, or a parameter path)",
                                given);
        }
    }
    if (fclose(f) != 0 && rc == ROOF_OK)
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "--explain", "out of memory");
    if (rc != ROOF_OK) {
        free(buf);
        return rc;
    }
    *text = buf;
    return ROOF_OK;
}
