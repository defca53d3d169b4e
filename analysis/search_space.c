/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "analysis/search_space.h"

#include <stdlib.h>
#include <string.h>

/* The divisors of n in ascending order (at most max; the GPU counts,
 * batches, layers and experts here have a few hundred at most). */
static int64_t divisors(int64_t n, int64_t *d, int64_t max)
{
    int64_t k = 0, hi = max;
    for (int64_t i = 1; i <= n / i && k < hi; i++) {
        if (n % i != 0)
            continue;
        d[k++] = i;
        if (i != n / i && k < hi)
            d[--hi] = n / i;
    }
    /* The large divisors sit at the end in descending order: move them up. */
    memmove(d + k, d + hi, (size_t)(max - hi) * sizeof *d);
    return k + (max - hi);
}

/* Whether knob k is held at a value other than v (--fix). */
static int off_fixed(const roof_search_opts *o, int k, int64_t v)
{
    return o->fixed[k] >= 0 && o->fixed[k] != v;
}

/* Without a data-parallel group (dp*cp = 1, dense), ZeRO and overlap have
 * nothing to shard or hide: the plan equals ZeRO 0 without overlap. */
static int no_dp_group(const roof_search_space *sp, const roof_plan_choice *b)
{
    return b->dp * b->cp == 1 && !sp->moe;
}

/* The training knobs inside a block, for one etp. Order: vp, recompute,
 * zero, dp_overlap, offload (numbering). Offload takes none alone where the
 * profile has no host (roof_search_can_offload): not a plan there. */
static int64_t training_list(const roof_search_space *sp, const roof_plan_choice *b, roof_plan_choice *out, int64_t n,
                             int64_t *removed)
{
    const roof_search_opts *o = sp->o;
    int64_t layers = sp->base->model.layers, no = sp->noffload;
    for (int64_t i = 0; i < sp->nvp; i++) {
        int64_t vp = sp->vp[i];
        /* Interleaving (Narayanan et al. 2021, Sec. 2.2.2) needs stages, vp
         * chunks of each stage's layers, and microbatches in groups of pp:
         * model/plan.c's checks, applied here before any evaluation. */
        int div = vp > 1 && (b->pp == 1 || (layers / b->pp) % vp != 0 || b->microbatches % b->pp != 0);
        if (div || off_fixed(o, ROOF_KNOB_VP, vp)) {
            if (removed)
                removed[div ? ROOF_RULE_DIVISIBILITY : ROOF_RULE_FIXED] += 24 * no;
            continue;
        }
        for (int rc = 0; rc < 3; rc++) {
            if (off_fixed(o, ROOF_KNOB_RECOMPUTE, rc)) {
                if (removed)
                    removed[ROOF_RULE_FIXED] += 8 * no;
                continue;
            }
            for (int z = 0; z < 4; z++) {
                int red = z > 0 && no_dp_group(sp, b);
                if (red || off_fixed(o, ROOF_KNOB_ZERO, z)) {
                    if (removed)
                        removed[red ? ROOF_RULE_REDUNDANT : ROOF_RULE_FIXED] += 2 * no;
                    continue;
                }
                for (int ov = 0; ov < 2; ov++) {
                    int red2 = ov && no_dp_group(sp, b);
                    if (red2 || off_fixed(o, ROOF_KNOB_DP_OVERLAP, ov)) {
                        if (removed)
                            removed[red2 ? ROOF_RULE_REDUNDANT : ROOF_RULE_FIXED] += no;
                        continue;
                    }
                    for (int off = 0; off < no; off++) {
                        if (off_fixed(o, ROOF_KNOB_OFFLOAD, off)) {
                            if (removed)
                                removed[ROOF_RULE_FIXED]++;
                            continue;
                        }
                        roof_plan_choice c = *b;
                        c.vp = vp, c.recompute = rc, c.zero = z, c.dp_overlap = ov, c.offload = off;
                        out[n++] = c;
                    }
                }
            }
        }
    }
    return n;
}

/* The serving knobs inside a block, for one etp (the goodput objectives).
 * Order: chunk, max_batch, prefill. A chunk at or above engine.max_tokens
 * is chunk 0 (redundant); max_batch above engine.max_tokens is refused by
 * vLLM (max_num_batched_tokens >= max_num_seqs, vllm/config.py: removed
 * as divisibility); prefill replicas run 1..gpus-1 for every plan so that
 * each block has as many values, those that leave no decode replica
 * (prefill >= dp) removed as divisibility. */
static int64_t serving_list(const roof_search_space *sp, const roof_plan_choice *b, roof_plan_choice *out, int64_t n,
                            int64_t *removed)
{
    const roof_search_opts *o = sp->o;
    const roof_search_serving *sv = o->serving;
    int64_t max_tokens = sv->cfg.engine.max_tokens, npf = sp->nprefill;
    for (int64_t i = 0; i < sv->nchunk; i++) {
        int64_t chunk = sv->chunk[i];
        int red = chunk > 0 && chunk >= max_tokens;
        if (red || off_fixed(o, ROOF_KNOB_CHUNK, chunk)) {
            if (removed)
                removed[red ? ROOF_RULE_REDUNDANT : ROOF_RULE_FIXED] += sv->nmax_batch * npf;
            continue;
        }
        for (int64_t j = 0; j < sv->nmax_batch; j++) {
            int64_t mb = sv->max_batch[j];
            int div = mb > max_tokens;
            if (div || off_fixed(o, ROOF_KNOB_MAX_BATCH, mb)) {
                if (removed)
                    removed[div ? ROOF_RULE_DIVISIBILITY : ROOF_RULE_FIXED] += npf;
                continue;
            }
            for (int64_t k = 0; k < npf; k++) {
                int64_t pf = sv->disagg ? k + 1 : 0;
                int divp = pf >= b->dp && pf > 0;
                if (divp || off_fixed(o, ROOF_KNOB_PREFILL, pf)) {
                    if (removed)
                        removed[divp ? ROOF_RULE_DIVISIBILITY : ROOF_RULE_FIXED]++;
                    continue;
                }
                roof_plan_choice c = *b;
                c.vp = 1;
                c.chunk = chunk, c.max_batch = mb, c.prefill = pf;
                out[n++] = c;
            }
        }
    }
    return n;
}

int64_t roof_search_block_list(const roof_search_space *sp, const roof_plan_choice *b, roof_plan_choice *out,
                               int64_t *removed)
{
    const roof_search_opts *o = sp->o;
    int64_t per_etp = sp->inner / sp->netp, n = 0;
    for (int64_t i = 0; i < sp->netp; i++) {
        int64_t etp = sp->etp[i];
        /* MoE folding: ep * etp ranks of a stage's tp*cp*dp (model/plan.c);
         * serving folds them inside one replica (dp 1). */
        int div = etp > 0 && (b->tp * b->cp * (o->serving ? 1 : b->dp)) % (b->ep * etp) != 0;
        if (div || off_fixed(o, ROOF_KNOB_ETP, etp)) {
            if (removed)
                removed[div ? ROOF_RULE_DIVISIBILITY : ROOF_RULE_FIXED] += per_etp;
            continue;
        }
        roof_plan_choice c = *b;
        c.etp = etp;
        if (sp->training) {
            n = training_list(sp, &c, out, n, removed);
        } else if (o->serving) {
            n = serving_list(sp, &c, out, n, removed);
        } else {
            c.vp = 1;
            c.recompute = sp->base->workload.recompute;
            c.zero = sp->base->workload.zero;
            c.dp_overlap = sp->base->workload.dp_overlap;
            c.offload = sp->base->workload.offload;
            out[n++] = c;
        }
    }
    return n;
}

static int add_block(roof_search_space *sp, const roof_plan_choice *c, int64_t n, roof_error *err)
{
    if (sp->nblocks % 1024 == 0) {
        roof_search_block *nb = realloc(sp->blocks, (size_t)(sp->nblocks + 1024) * sizeof *nb);
        if (!nb)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory");
        sp->blocks = nb;
    }
    sp->blocks[sp->nblocks++] = (roof_search_block){*c, sp->counts.candidates, n};
    sp->counts.candidates += n;
    return ROOF_OK;
}

/* One (tp, cp, pp, dp): its ep, microbatches and sp. Every level's rule
 * removes the whole subtree below it, whose size is the product of the
 * inner knobs' value counts. */
static int outer(roof_search_space *sp, roof_plan_choice c, const int64_t *de, int64_t ne, const int64_t *dm,
                 int64_t nm, roof_plan_choice *list, roof_error *err)
{
    const roof_scenario *s = sp->base;
    const roof_search_opts *o = sp->o;
    int64_t *rm = sp->counts.removed;
    int64_t per_sp = sp->inner, per_mb = 2 * per_sp, per_ep = nm * per_mb, all = ne * per_ep;
    sp->counts.space += all;
    /* model/plan.c's rules, before any evaluation: with cp > 1 the heads
     * and the MLP split over tp*cp as well (Helix). */
    int64_t ffn = s->model.ffn_hidden > 0 ? s->model.ffn_hidden : 4 * s->model.hidden;
    int div = s->model.heads % c.tp != 0 || s->workload.seq_len % c.cp != 0 || s->model.layers % c.pp != 0 ||
              s->workload.batch % c.dp != 0 ||
              (c.cp > 1 && (s->model.heads % (c.tp * c.cp) != 0 || ffn % (c.tp * c.cp) != 0));
    /* Serving: dp is the replicas, each serving its own stream (the
     * workload's batch does not apply); an iteration's tokens vary, so
     * context parallelism (the sequence split over cp) is not searched. */
    if (o->serving)
        div = s->model.heads % c.tp != 0 || s->model.layers % c.pp != 0 || c.cp > 1;
    if (div || off_fixed(o, ROOF_KNOB_TP, c.tp) || off_fixed(o, ROOF_KNOB_CP, c.cp) ||
        off_fixed(o, ROOF_KNOB_PP, c.pp) || off_fixed(o, ROOF_KNOB_DP, c.dp)) {
        rm[div ? ROOF_RULE_DIVISIBILITY : ROOF_RULE_FIXED] += all;
        return ROOF_OK;
    }
    for (int64_t e = 0; e < ne; e++) {
        c.ep = de[e];
        int dive = (c.tp * c.cp * (o->serving ? 1 : c.dp)) % c.ep != 0;
        if (dive || off_fixed(o, ROOF_KNOB_EP, c.ep)) {
            rm[dive ? ROOF_RULE_DIVISIBILITY : ROOF_RULE_FIXED] += per_ep;
            continue;
        }
        for (int64_t f = 0; f < nm; f++) {
            c.microbatches = dm[f];
            int divm = !o->serving && s->workload.batch % (c.dp * c.microbatches) != 0;
            if (divm || off_fixed(o, ROOF_KNOB_MICROBATCHES, c.microbatches)) {
                rm[divm ? ROOF_RULE_DIVISIBILITY : ROOF_RULE_FIXED] += per_mb;
                continue;
            }
            for (int q = 0; q < 2; q++) {
                c.sp = q;
                /* Sequence parallelism splits over tp: nothing with tp 1;
                 * and it splits a microbatch's tokens (model/plan.c). */
                int red = q && c.tp == 1;
                int64_t tokens = s->workload.batch / (c.dp * c.microbatches) * (s->workload.seq_len / c.cp);
                /* Serving: an iteration's tokens vary and need not
                 * split over tp. */
                int divs = q && !red && (o->serving || tokens % c.tp != 0);
                if (red || divs || off_fixed(o, ROOF_KNOB_SP, q)) {
                    rm[red ? ROOF_RULE_REDUNDANT : divs ? ROOF_RULE_DIVISIBILITY : ROOF_RULE_FIXED] += per_sp;
                    continue;
                }
                int64_t n = roof_search_block_list(sp, &c, list, rm);
                int rc = n > 0 ? add_block(sp, &c, n, err) : ROOF_OK;
                if (rc != ROOF_OK)
                    return rc;
            }
        }
    }
    return ROOF_OK;
}

int roof_search_space_make(const roof_scenario *s, const roof_search_opts *o, roof_search_space *sp, roof_error *err)
{
    memset(sp, 0, sizeof *sp);
    if (s->workload.phase == ROOF_PHASE_TRAINING && o->fixed[ROOF_KNOB_OFFLOAD] == ROOF_OFFLOAD_OPTIMIZER &&
        !roof_search_can_offload(s))
        return roof_error_set(err, ROOF_ERR_INPUT, "--fix",
                              "offload=optimizer needs the host of each GPU: profile '%s' has no %s (set it in the "
                              "profile or with --set)",
                              s->hw.name,
                              s->hw.host.bandwidth > 0.0 ? "hw.host.memory_bandwidth" : "hw.host.bandwidth");
    sp->base = s;
    sp->o = o;
    sp->training = s->workload.phase == ROOF_PHASE_TRAINING && !o->serving; /* serving: the engine's iterations */
    sp->moe = s->model.experts > 0;
    sp->nvp = sp->training ? divisors(s->model.layers, sp->vp, ROOF_SEARCH_MAXD) : 1;
    if (!sp->training)
        sp->vp[0] = 1;
    sp->netp = sp->moe ? divisors(o->gpus, sp->etp, ROOF_SEARCH_MAXD) : 1;
    if (!sp->moe)
        sp->etp[0] = 0;
    sp->noffload = sp->training && roof_search_can_offload(s) ? 2 : 1;
    sp->nprefill = o->serving && o->serving->disagg ? (o->gpus > 1 ? o->gpus - 1 : 1) : 1;
    int64_t per_etp = sp->training ? sp->nvp * 24 * sp->noffload
                      : o->serving ? o->serving->nchunk * o->serving->nmax_batch * sp->nprefill
                                   : 1;
    sp->inner = per_etp * sp->netp;

    int64_t *dt = malloc(5 * ROOF_SEARCH_MAXD * sizeof *dt);
    roof_plan_choice *list = malloc((size_t)sp->inner * sizeof *list);
    int rc = ROOF_OK;
    if (!dt || !list) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "search", "out of memory");
        goto out;
    }
    int64_t *dc = dt + ROOF_SEARCH_MAXD, *dpp = dc + ROOF_SEARCH_MAXD, *de = dpp + ROOF_SEARCH_MAXD,
            *dm = de + ROOF_SEARCH_MAXD;
    int64_t g = o->gpus;
    int64_t nt = divisors(g, dt, ROOF_SEARCH_MAXD);
    int64_t ne = divisors(sp->moe ? s->model.experts : 1, de, ROOF_SEARCH_MAXD);
    /* Serving runs one iteration at a time through the stages: no
     * microbatches (docs/serving.md). */
    int64_t nm = divisors(s->workload.batch > 0 && !o->serving ? s->workload.batch : 1, dm, ROOF_SEARCH_MAXD);
    for (int64_t a = 0; a < nt && rc == ROOF_OK; a++) {
        int64_t nc = divisors(g / dt[a], dc, ROOF_SEARCH_MAXD);
        for (int64_t b = 0; b < nc && rc == ROOF_OK; b++) {
            int64_t np = divisors(g / dt[a] / dc[b], dpp, ROOF_SEARCH_MAXD);
            for (int64_t c = 0; c < np && rc == ROOF_OK; c++) {
                roof_plan_choice pc;
                memset(&pc, 0, sizeof pc);
                pc.tp = dt[a], pc.cp = dc[b], pc.pp = dpp[c], pc.dp = g / dt[a] / dc[b] / dpp[c];
                rc = outer(sp, pc, de, ne, dm, nm, list, err);
            }
        }
    }
out:
    free(dt);
    free(list);
    if (rc != ROOF_OK)
        roof_search_space_free(sp);
    return rc;
}

void roof_search_space_free(roof_search_space *sp)
{
    free(sp->blocks);
    sp->blocks = NULL;
    sp->nblocks = 0;
}
