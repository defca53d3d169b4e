/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Disaggregated prefill and decode: P replicas that only prefill and D that
 * only decode, the prompt's KV cache sent from one to the other (Zhong et
 * al. 2024, "DistServe", OSDI, Sec. 2-3; Patel et al. 2024, "Splitwise",
 * ISCA, Sec. 4: phase splitting with KV transfer between machines).
 *
 * Each pool is the analytic steady state of serve_analytic.c at its share
 * of the rate, lambda / P and lambda / D (requests spread evenly):
 *   TTFT = the prefill pool's (its queue and the prompt's chunks; the first
 *          token is the prefill replica's, as in DistServe);
 *   transfer = latency + the prompt's KV on one GPU (S x kv bytes per token
 *          of the fullest GPU) over that GPU's link of the cluster tier
 *          (bandwidth x efficiency: every GPU of the replica sends its own
 *          shard through its own NIC at once). Not overlapped with the
 *          prefill: Splitwise hides most of it layer by layer, so this is
 *          the cautious end;
 *   decode = the decode pool's queue and G - 1 steps of ITL;
 *   e2e = TTFT + transfer + decode; TPOT = (e2e - TTFT) / (G - 1).
 * Each pool may have its own plan and hardware (roof_serve_disagg_pools):
 * then the KV is resharded from the prefill replica's GPUs to the decode
 * replica's (roof_serve_kv_transfer_pools), and GPUs, dollars and joules
 * are summed over the pools, each at its own price and power.
 * Throughput is lambda G over (P + D) replicas' GPUs; a pool that cannot
 * keep up with its share is an error naming the pool. The SLOs are judged
 * on these means (the analytic mode has no percentiles): goodput is lambda
 * when every SLO holds, else 0.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/serve.h"

/* The mean a SLO bounds (roof_slo_metric order). */
static double slo_mean(const roof_disagg_result *r, double tpot, int metric)
{
    switch (metric) {
    case ROOF_SLO_TTFT:
        return r->ttft_s;
    case ROOF_SLO_ITL:
        return r->itl_s;
    case ROOF_SLO_TPOT:
        return tpot;
    case ROOF_SLO_E2E:
        return r->e2e_s;
    default:
        return r->prefill_queue_s;
    }
}

static int pool(roof_serve_cost *cost, const roof_serve_cfg *c, int which, int64_t replicas, roof_serve_stats *st,
                roof_error *err)
{
    roof_serve_cfg share = *c;
    share.traffic.rate = c->traffic.rate / (double)replicas;
    int rc = roof_serve_analytic_pool(cost, &share, which, NULL, 0, st, err);
    if (rc != ROOF_OK) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        roof_error_set(err, rc, "--disagg", "the %s pool of %lld replica(s): %s",
                       which == ROOF_SERVE_POOL_PREFILL ? "prefill" : "decode", (long long)replicas, msg);
    }
    return rc;
}

/* One side's seconds for prompt_tokens of KV: its fullest GPU's shard
 * over that GPU's link of the cluster tier. */
static int side_s(const roof_scenario *s, const roof_serve_capacity *cap, double prompt_tokens, double *seconds,
                  roof_error *err)
{
    const roof_net_tier *net = &s->hw.cluster;
    double link = net->bandwidth * net->efficiency;
    if (!(link > 0.0))
        return roof_error_set(err, ROOF_ERR_USAGE, "--disagg",
                              "the KV transfer needs hw.network.cluster.bandwidth and efficiency on '%s'", s->hw.name);
    *seconds = prompt_tokens * cap->kv_token_bytes / link;
    return ROOF_OK;
}

int roof_serve_kv_transfer_pools(const roof_scenario *s_p, const roof_serve_capacity *cap_p, const roof_scenario *s_d,
                                 const roof_serve_capacity *cap_d, double prompt_tokens, double *seconds,
                                 roof_error *err)
{
    double send = 0.0, recv = 0.0;
    int rc = side_s(s_p, cap_p, prompt_tokens, &send, err);
    if (rc == ROOF_OK)
        rc = side_s(s_d, cap_d, prompt_tokens, &recv, err);
    if (rc != ROOF_OK)
        return rc;
    double lat = s_p->hw.cluster.latency > s_d->hw.cluster.latency ? s_p->hw.cluster.latency : s_d->hw.cluster.latency;
    *seconds = lat + (send > recv ? send : recv);
    return ROOF_OK;
}

int roof_serve_disagg(roof_serve_cost *cost, const roof_scenario *s, const roof_serve_cfg *c, int64_t prefill,
                      int64_t decode, const roof_slo *slos, int nslo, roof_disagg_result *out, roof_error *err)
{
    return roof_serve_disagg_pools(cost, s, cost, s, cost, 0, c, prefill, decode, slos, nslo, out, err);
}

int roof_serve_disagg_pools(roof_serve_cost *cost_p, const roof_scenario *s_p, roof_serve_cost *cost_d,
                            const roof_scenario *s_d, roof_serve_cost *cost, int64_t aggregated,
                            const roof_serve_cfg *c, int64_t prefill, int64_t decode, const roof_slo *slos, int nslo,
                            roof_disagg_result *out, roof_error *err)
{
    memset(out, 0, sizeof *out);
    if (prefill < 1 || decode < 1)
        return roof_error_set(err, ROOF_ERR_USAGE, "--disagg", "each pool needs at least one replica (got %lld:%lld)",
                              (long long)prefill, (long long)decode);
    const roof_serve_capacity *cap_p = roof_serve_cost_capacity(cost_p), *cap_d = roof_serve_cost_capacity(cost_d);
    double S = nearbyint(c->traffic.prompt_mean), G = nearbyint(c->traffic.output_mean);
    int rc = roof_serve_kv_transfer_pools(s_p, cap_p, s_d, cap_d, S, &out->transfer_s, err);
    if (rc != ROOF_OK)
        return rc;
    roof_serve_stats pf, dc;
    rc = pool(cost_p, c, ROOF_SERVE_POOL_PREFILL, prefill, &pf, err);
    if (rc == ROOF_OK)
        rc = pool(cost_d, c, ROOF_SERVE_POOL_DECODE, decode, &dc, err);
    if (rc != ROOF_OK)
        return rc;
    double lambda = c->traffic.rate;
    out->prefill = prefill;
    out->decode = decode;
    out->gpus = prefill * cap_p->gpus + decode * cap_d->gpus;
    out->ttft_s = pf.ttft.mean;
    out->prefill_queue_s = pf.queue.mean;
    out->decode_queue_s = dc.queue.mean;
    out->itl_s = dc.itl.mean;
    out->e2e_s = out->ttft_s + out->transfer_s + dc.e2e.mean;
    double tpot = (out->e2e_s - out->ttft_s) / (G - 1.0);
    out->tokens_per_s = lambda * G;
    out->tokens_per_s_per_gpu = out->tokens_per_s / (double)out->gpus;
    /* Dollars and joules are linear in the GPUs: each pool's at its own
     * price and power, summed. */
    double usd_p, j_p, usd_d, j_d;
    roof_serve_token_cost(cap_p, (double)(prefill * cap_p->gpus), out->tokens_per_s, &usd_p, &j_p);
    roof_serve_token_cost(cap_d, (double)(decode * cap_d->gpus), out->tokens_per_s, &usd_d, &j_d);
    out->usd_per_mtok = usd_p + usd_d;
    out->joules_per_token = j_p + j_d;
    out->slo_met = 1;
    for (int k = 0; k < nslo; k++)
        out->slo_met = out->slo_met && slo_mean(out, tpot, slos[k].metric) <= slos[k].limit_s;
    out->goodput_req_per_s = out->slo_met ? lambda : 0.0;
    /* Aggregated for comparison: P + D replicas of the base deployment, or
     * as many as the caller asks (the same GPUs where the pools differ). */
    out->aggregated_replicas = aggregated > 0 ? aggregated : prefill + decode;
    roof_serve_cfg share = *c;
    share.traffic.rate = lambda / (double)out->aggregated_replicas;
    rc = roof_serve_analytic(cost, &share, slos, nslo, &out->aggregated, err);
    if (rc != ROOF_OK)
        return rc;
    const double check[] = {out->ttft_s,     out->itl_s,        out->e2e_s,
                            out->transfer_s, out->usd_per_mtok, out->joules_per_token};
    for (size_t i = 0; i < sizeof check / sizeof check[0]; i++)
        if (!isfinite(check[i]))
            return roof_error_set(err, ROOF_ERR_RUNTIME, "--disagg",
                                  "a result of the disaggregated deployment is not finite: check the profile");
    return ROOF_OK;
}

int roof_serve_kv_transfer(const roof_scenario *s, const roof_serve_capacity *cap, double prompt_tokens,
                           double *seconds, roof_error *err)
{
    return roof_serve_kv_transfer_pools(s, cap, s, cap, prompt_tokens, seconds, err);
}
