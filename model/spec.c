/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "model/spec.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/arch.h"
#include "model/compose.h"

int roof_spec_on(const roof_scenario *s)
{
    return s->workload.phase != ROOF_PHASE_TRAINING && s->workload.spec_k > 0;
}

double roof_spec_expected_tokens(double a, int64_t k)
{
    if (!(a < 1.0))
        return (double)k + 1.0;
    if (!(a > 0.0))
        return 1.0;
    return (1.0 - pow(a, (double)k + 1.0)) / (1.0 - a);
}

int roof_spec_proposer(const roof_scenario *s, roof_scenario *d, roof_error *err)
{
    *d = *s;
    d->workload.spec_k = 0;
    d->workload.phase = ROOF_PHASE_DECODE;
    d->workload.microbatches = 1;
    d->parallel.pp = 1;
    d->parallel.cp = 1;
    d->parallel.vp = 1;
    d->parallel.gpus = 0;
    if (s->workload.spec_method == ROOF_SPEC_MTP) {
        /* DeepSeek-V3's MTP module is one transformer block of the model's
         * kind (an MoE layer there) fed by the model's embedding and read
         * out by its head (report, Sec. 2.2). Its extra 2h x h projection
         * is left out: 0.9% of the block's weights for DeepSeek-V3. */
        d->model.layers = 1;
        d->model.moe_first_dense = 0;
        d->model.moe_every = 1;
        return ROOF_OK;
    }
    const roof_model *m = &s->draft;
    if (m->layers <= 0 || m->hidden <= 0 || m->heads <= 0)
        return roof_error_set(err, ROOF_ERR_INPUT, "draft",
                              "workload.spec.method = draft needs draft.layers, draft.hidden and draft.heads");
    roof_model dm = s->model;
    dm.layers = m->layers;
    dm.hidden = m->hidden;
    dm.heads = m->heads;
    dm.kv_heads = m->kv_heads;
    dm.head_dim = m->head_dim;
    dm.ffn_hidden = m->ffn_hidden;
    dm.ffn_act = m->ffn_act;
    dm.vocab = m->vocab;
    dm.tied_embeddings = m->tied_embeddings;
    dm.experts = 0;
    dm.shared_experts = 0;
    dm.moe_first_dense = 0;
    dm.imbalance = 1.0;
    dm.zipf = 0.0;
    dm.kv_lora_rank = 0;
    dm.q_lora_rank = 0;
    dm.window = 0;
    d->model = dm;
    return ROOF_OK;
}

/* The proposer's plan, with its errors named as the draft's. */
static int proposer_plan(const roof_scenario *s, roof_scenario *d, roof_plan *p, roof_error *err)
{
    int rc = roof_spec_proposer(s, d, err);
    if (rc != ROOF_OK)
        return rc;
    rc = roof_plan_make(d, p, err);
    if (rc != ROOF_OK) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        return roof_error_set(err, rc, "draft", "the speculative proposer (%s): %s",
                              s->workload.spec_method == ROOF_SPEC_MTP ? "MTP layer" : "draft model", msg);
    }
    return ROOF_OK;
}

int roof_spec_draft(const roof_scenario *s, double kv_len, roof_spec_step *out, roof_error *err)
{
    memset(out, 0, sizeof *out);
    out->tokens = roof_spec_expected_tokens(s->workload.spec_acceptance, s->workload.spec_k);
    roof_scenario d;
    roof_plan p;
    int rc = proposer_plan(s, &d, &p, err);
    if (rc != ROOF_OK)
        return rc;
    /* Large: one phase result per call, not on the stack. */
    static _Thread_local roof_phase_result ph;
    roof_ops_build(&d, &p, ROOF_PHASE_DECODE, kv_len, &ph.ops);
    rc = roof_ops_time(&d, &ph.ops, err);
    if (rc != ROOF_OK)
        return rc;
    roof_compose_stages(&d, &p, &ph);
    roof_compose_work(&d, &p, &ph);
    /* The k proposals are sequential: each needs the one before. */
    double k = (double)s->workload.spec_k;
    out->draft_s = k * ph.sum_stage_s;
    out->flops = k * ph.gemm_flops;
    out->bytes = k * ph.bytes;
    return ROOF_OK;
}

int roof_spec_memory(const roof_scenario *s, const roof_plan *p, double kv_len, double *weights_bytes, double *kv_bytes,
                     roof_error *err)
{
    roof_scenario d;
    roof_plan dp;
    int rc = proposer_plan(s, &d, &dp, err);
    if (rc != ROOF_OK)
        return rc;
    if (s->workload.spec_method == ROOF_SPEC_MTP)
        d.model.vocab = 0; /* the embedding and head are the model's own */
    static _Thread_local roof_phase_result ph;
    ph.stage_moe_layers[0] = roof_plan_moe_layers_before(&d.model, d.model.layers);
    *weights_bytes = roof_compose_stage_params(&d, &dp, &ph, 0, NULL) * roof_workload_weight_bytes(&s->workload);
    *kv_bytes = roof_arch_kv_bytes(&d, &dp, (double)d.model.layers, kv_len) * (double)p->seqs_per_replica /
                (double)s->parallel.cp;
    return ROOF_OK;
}

int roof_spec_apply(const roof_scenario *s, double kv_len, roof_phase_result *ph, roof_metrics *m, roof_error *err)
{
    roof_spec_step st;
    int rc = roof_spec_draft(s, kv_len, &st, err);
    if (rc != ROOF_OK)
        return rc;
    m->spec_tokens = st.tokens;
    m->spec_draft_s = st.draft_s;
    m->spec_step_s = ph->time_s + st.draft_s;
    ph->time_s = m->spec_step_s / st.tokens;
    ph->gemm_flops = (ph->gemm_flops + st.flops) / st.tokens;
    ph->useful_flops = (ph->useful_flops + st.flops) / st.tokens;
    ph->bytes = (ph->bytes + st.bytes) / st.tokens;
    return ROOF_OK;
}
