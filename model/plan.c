/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "model/plan.h"

#include <stdio.h>

#define FAIL(...) roof_error_set(err, ROOF_ERR_RUNTIME, "plan", __VA_ARGS__)

int64_t roof_plan_moe_layers_before(const roof_model *m, int64_t end)
{
    if (m->experts <= 0 || end <= m->moe_first_dense)
        return 0;
    return (end - m->moe_first_dense + m->moe_every - 1) / m->moe_every;
}

/* Nodes spanned by a group of `size` ranks `stride` apart, on nodes of
 * node_size GPUs; rounded to a count the group divides evenly over. */
static int64_t nodes_spanned(int64_t size, int64_t stride, int64_t node_size)
{
    if (size <= 1)
        return 1;
    int64_t extent = size * stride;
    if (extent <= node_size)
        return 1;
    int64_t nodes = (extent + node_size - 1) / node_size;
    if (nodes > size)
        nodes = size;
    while (size % nodes != 0)
        nodes++;
    return nodes;
}

int roof_plan_make(const roof_scenario *s, roof_plan *p, roof_error *err)
{
    const roof_model *m = &s->model;
    const roof_workload *w = &s->workload;
    const roof_parallel *par = &s->parallel;

    p->kv_heads = m->kv_heads ? m->kv_heads : m->heads;
    p->head_dim = m->head_dim ? m->head_dim : m->hidden / m->heads;
    p->ffn_hidden = m->ffn_hidden ? m->ffn_hidden : 4 * m->hidden;
    p->expert_hidden = m->expert_hidden ? m->expert_hidden : p->ffn_hidden;
    p->context = w->context ? w->context : w->seq_len;
    p->moe = m->experts > 0 && roof_plan_moe_layers_before(m, m->layers) > 0;
    if (p->head_dim < 1)
        return FAIL("model.hidden (%lld) is smaller than model.heads (%lld): set model.head_dim", (long long)m->hidden,
                    (long long)m->heads);
    if (p->kv_heads > m->heads || m->heads % p->kv_heads != 0)
        return FAIL("model.heads (%lld) is not a multiple of model.kv_heads (%lld)", (long long)m->heads,
                    (long long)p->kv_heads);

    /* Each factor may be up to 1e6, so the product is formed in double
     * first: four of them overflow int64_t (found by fuzz/config.c). A
     * billion GPUs is a thousand times the largest cluster built, and keeps
     * every product of ranks below it far from overflow. */
    double gpus = (double)par->tp * (double)par->pp * (double)par->dp * (double)par->cp;
    if (gpus > 1e9)
        return FAIL("tp*pp*dp*cp = %lld*%lld*%lld*%lld = %.4g GPUs: more than 1e9", (long long)par->tp,
                    (long long)par->pp, (long long)par->dp, (long long)par->cp, gpus);
    p->gpus = par->tp * par->pp * par->dp * par->cp;
    p->stage_ranks = par->tp * par->cp * par->dp;
    if (par->gpus && par->gpus != p->gpus)
        return FAIL("parallel.gpus (%lld) does not equal tp*pp*dp*cp = %lld*%lld*%lld*%lld = %lld",
                    (long long)par->gpus, (long long)par->tp, (long long)par->pp, (long long)par->dp,
                    (long long)par->cp, (long long)p->gpus);

    /* Megatron-LM's tensor split (Shoeybi et al. 2019, Sec. 3): heads and
     * the MLP's inner size divide by tp. KV heads divide by tp, or are
     * replicated when tp is a multiple of them (as Megatron does for GQA). */
    if (m->heads % par->tp != 0)
        return FAIL("model.heads (%lld) is not divisible by parallel.tp (%lld)", (long long)m->heads,
                    (long long)par->tp);
    if (p->kv_heads % par->tp != 0 && par->tp % p->kv_heads != 0)
        return FAIL("model.kv_heads (%lld) and parallel.tp (%lld): one must divide the other", (long long)p->kv_heads,
                    (long long)par->tp);
    if (p->ffn_hidden % par->tp != 0)
        return FAIL("model.ffn_hidden (%lld) is not divisible by parallel.tp (%lld)", (long long)p->ffn_hidden,
                    (long long)par->tp);
    /* The LM head splits the vocabulary over tp (Megatron-LM's
     * vocabulary-parallel head): fewer entries than ranks leave a rank
     * with an empty GEMM. */
    if (m->vocab > 0 && m->vocab < par->tp)
        return FAIL("model.vocab (%lld) is smaller than parallel.tp (%lld): the LM head splits the vocabulary "
                    "over tp",
                    (long long)m->vocab, (long long)par->tp);
    if (m->layers % par->pp != 0)
        return FAIL("model.layers (%lld) is not divisible by parallel.pp (%lld)", (long long)m->layers,
                    (long long)par->pp);
    if (w->batch % par->dp != 0)
        return FAIL("workload.batch (%lld) is not divisible by parallel.dp (%lld)", (long long)w->batch,
                    (long long)par->dp);
    p->seqs_per_replica = w->batch / par->dp;
    if (p->seqs_per_replica % w->microbatches != 0)
        return FAIL("workload.batch / parallel.dp (%lld) is not divisible by workload.microbatches (%lld)",
                    (long long)p->seqs_per_replica, (long long)w->microbatches);
    p->seqs_per_microbatch = p->seqs_per_replica / w->microbatches;
    if (w->seq_len % par->cp != 0)
        return FAIL("workload.seq_len (%lld) is not divisible by parallel.cp (%lld)", (long long)w->seq_len,
                    (long long)par->cp);
    if (par->sp && par->tp > 1 && (p->seqs_per_microbatch * w->seq_len / par->cp) % par->tp != 0)
        return FAIL("parallel.sp: the tokens of a microbatch (%lld) are not divisible by parallel.tp (%lld)",
                    (long long)(p->seqs_per_microbatch * w->seq_len / par->cp), (long long)par->tp);

    /* Helix decode splits the output projection and the MLP over tp*cp. */
    if (par->cp > 1 && m->heads % (par->tp * par->cp) != 0)
        return FAIL("model.heads (%lld) is not divisible by tp*cp (%lld): decode with context parallelism "
                    "splits the heads over tp*cp (Helix)",
                    (long long)m->heads, (long long)(par->tp * par->cp));
    if (par->cp > 1 && p->ffn_hidden % (par->tp * par->cp) != 0)
        return FAIL("model.ffn_hidden (%lld) is not divisible by tp*cp (%lld): decode with context parallelism "
                    "splits the MLP over tp*cp (Helix)",
                    (long long)p->ffn_hidden, (long long)(par->tp * par->cp));

    /* Interleaved 1F1B (Narayanan et al. 2021, Sec. 2.2.2): each GPU holds
     * vp chunks of its stage's layers, and Megatron-LM runs it only when the
     * microbatches fill the pipeline in groups of pp. */
    if (par->vp > 1) {
        if (w->phase != ROOF_PHASE_TRAINING)
            return FAIL("parallel.vp (%lld) applies to training only (workload.phase is '%s')", (long long)par->vp,
                        w->phase == ROOF_PHASE_DECODE ? "decode" : "prefill");
        if (par->pp == 1)
            return FAIL("parallel.vp (%lld) needs pipeline stages (parallel.pp is 1)", (long long)par->vp);
        if ((m->layers / par->pp) % par->vp != 0)
            return FAIL("model.layers / parallel.pp (%lld) is not divisible by parallel.vp (%lld)",
                        (long long)(m->layers / par->pp), (long long)par->vp);
        if (w->microbatches % par->pp != 0)
            return FAIL("workload.microbatches (%lld) is not a multiple of parallel.pp (%lld), as the "
                        "interleaved schedule (parallel.vp > 1) needs",
                        (long long)w->microbatches, (long long)par->pp);
    }
    p->layers_per_stage = m->layers / par->pp;
    p->heads_r = m->heads / par->tp;
    p->kv_heads_r = p->kv_heads >= par->tp ? p->kv_heads / par->tp : 1;
    p->kv_replicas = p->kv_heads >= par->tp ? 1.0 : (double)(par->tp / p->kv_heads);

    /* Experts: ep ranks hold experts/ep each; etp splits each expert. */
    p->etp = 1;
    p->edp = 1;
    p->local_experts = 0;
    if (m->experts > 0) {
        /* Every layer dense: the experts would be counted nowhere, and a
         * model meant as MoE silently timed as dense. */
        if (m->moe_first_dense >= m->layers)
            return FAIL("model.moe.first_dense (%lld) is not below model.layers (%lld): no layer is MoE (set "
                        "model.moe.experts = 0 for a dense model)",
                        (long long)m->moe_first_dense, (long long)m->layers);
        if (m->top_k > m->experts)
            return FAIL("model.moe.top_k (%lld) exceeds model.moe.experts (%lld)", (long long)m->top_k,
                        (long long)m->experts);
        if (m->experts % par->ep != 0)
            return FAIL("model.moe.experts (%lld) is not divisible by parallel.ep (%lld)", (long long)m->experts,
                        (long long)par->ep);
        p->etp = par->etp ? par->etp : (par->ep == 1 ? par->tp : 1);
        if (p->stage_ranks % (par->ep * p->etp) != 0)
            return FAIL("parallel.ep * etp (%lld * %lld) must divide tp*cp*dp = %lld, the ranks of a pipeline stage",
                        (long long)par->ep, (long long)p->etp, (long long)p->stage_ranks);
        if (p->expert_hidden % p->etp != 0)
            return FAIL("model.moe.expert_hidden (%lld) is not divisible by parallel.etp (%lld)",
                        (long long)p->expert_hidden, (long long)p->etp);
        p->edp = p->stage_ranks / (par->ep * p->etp);
        p->local_experts = m->experts / par->ep;
    } else if (par->ep > 1) {
        return FAIL("parallel.ep (%lld) needs a MoE model (model.moe.experts is 0)", (long long)par->ep);
    }

    int64_t node = s->hw.node.size;
    p->tp_nodes = nodes_spanned(par->tp, 1, node);
    p->tpcp_nodes = nodes_spanned(par->tp * par->cp, 1, node);
    p->cp_nodes = nodes_spanned(par->cp, par->tp, node);
    p->etp_nodes = nodes_spanned(p->etp, 1, node);
    /* Data parallel: the dp*cp replicas of a weight are tp ranks apart;
     * the expert replicas ep*etp apart. */
    p->dp_nodes = nodes_spanned(par->dp * par->cp, par->tp, node);
    p->edp_nodes = nodes_spanned(p->edp, par->ep * p->etp, node);
    p->ep_nodes = nodes_spanned(par->ep, p->etp, node);
    /* Stages are stage_ranks apart: when all of them fit in one node, the
     * sends between them stay on the node tier; else some cross nodes, and
     * the slower tier is taken for every send (the worst case). */
    p->pp_cross_node = par->pp > 1 && par->pp * p->stage_ranks > node;
    int64_t nodes_needed = (p->gpus + node - 1) / node;
    if (nodes_needed > s->hw.cluster.size)
        return FAIL("%lld GPUs need %lld nodes of %lld, more than the %lld of '%s' (hw.network.cluster.size)",
                    (long long)p->gpus, (long long)nodes_needed, (long long)node, (long long)s->hw.cluster.size,
                    s->hw.name);
    return ROOF_OK;
}
