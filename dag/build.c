/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The operator DAG of an evaluated deployment, from the op lists of
 * model/ops.h (nothing here re-derives a shape or a time).
 *
 * One representative rank per stage (the stage's ranks run the same ops
 * at the same time; the collectives synchronize them), its ops in order.
 * The composition is model/evaluate.c's, drawn as a graph whose longest
 * path is the closed form (docs/dag.md):
 * - prefill, folded: row F is microbatch 1 through every stage and send;
 *   M_i is microbatches 2..m on stage i (repeat x (m-1)), after F_i; row
 *   L is microbatch m on the stages after the one it waited at. The
 *   longest path F_0..F_k, M_k, L_k+1..L_pp-1 is sum(stage) + (pp-1) send
 *   + (m-1) stage_k, largest at the slowest k: the GPipe formula.
 * - prefill, expanded: the whole m x pp grid, every layer: (j, i) after
 *   (j, i-1) and its send, and after (j-1, i) (one stage runs one
 *   microbatch at a time). Its longest path is the same formula.
 * - decode: row F (the fill: one token through every stage) and, with
 *   m > 1, one chain per stage k of its m microbatches back to back
 *   (repeat x m, or unrolled): max(fill, m x slowest stage); with
 *   speculative decoding the proposer's k steps come first (proposer()).
 * Folded chains carry each layer kind once with repeat = its layers on
 * the stage; expanded ones every layer with repeat 1. */
#include <stdio.h>
#include <string.h>

#include "dag/graph.h"
#include "model/compose.h"
#include "model/ops.h"
#include "model/spec.h"

typedef struct {
    roof_dag *g;
    const roof_scenario *s;
    const roof_result *r;
    const roof_phase_result *ph;
    const char *tag;   /* "p" or "d": node name prefix */
    const char *phase; /* "prefill" or "decode" */
    int cluster;
    int expand;
    roof_error *err;
} ctx;

/* A chain's two ends; first < 0 while it is empty. */
typedef struct {
    int64_t first, last;
} chain;

static int link(ctx *c, chain *ch, int64_t v, int dashed)
{
    if (ch->first < 0) {
        ch->first = ch->last = v;
        return ROOF_OK;
    }
    int rc = roof_dag_add_edge(c->g, ch->last, v, dashed, c->err);
    ch->last = v;
    return rc;
}

static void gpus_of_stage(const ctx *c, int64_t i, char *buf, size_t size)
{
    int64_t R = c->r->plan.stage_ranks;
    if (R == 1)
        snprintf(buf, size, "%lld", (long long)i);
    else
        snprintf(buf, size, "%lld-%lld", (long long)(i * R), (long long)((i + 1) * R - 1));
}

static int is_route(const roof_op *o)
{
    return strcmp(o->name, "router") == 0 || strcmp(o->name, "topk") == 0;
}

static int64_t add_op(ctx *c, const roof_op *o, const char *name, const char *where, const char *gpus, double repeat)
{
    int64_t id = roof_dag_add_node(c->g, name, o->name, where, gpus, c->err);
    if (id < 0)
        return -1;
    roof_dag_node *v = &c->g->nodes[id];
    static const roof_dag_kind kinds[] = {ROOF_DAG_GEMM, ROOF_DAG_FUSED, ROOF_DAG_ELEMWISE, ROOF_DAG_COMM};
    v->kind = is_route(o) ? ROOF_DAG_ROUTE : kinds[o->kind];
    v->has_gemm = o->kind == ROOF_OP_GEMM;
    v->has_comm = o->kind == ROOF_OP_COMM;
    v->gemm = o->gemm;
    /* Fused attention in its own dtype (model/ops.c attn_dtype). */
    v->gemm.dtype = o->kind == ROOF_OP_FUSED ? o->attn_dtype : roof_workload_dt(&c->s->workload, ROOF_TENSOR_COMPUTE);
    v->comm = o->comm;
    v->flops = o->flops;
    v->bytes = o->bytes;
    v->dequant_elems = o->dequant_elems;
    v->attn_pairs = o->attn_pairs;
    v->attn_keys = o->attn_keys;
    v->attn_tiles = o->attn_tiles;
    v->count = o->count;
    v->time_s = o->time_s;
    v->has_time = 1;
    v->repeat = repeat;
    v->cluster = c->cluster;
    return id;
}

/* Appends the ops of list l to ch (one layer, or the first/last stage's
 * extras). Names: TAG_ROW_sSTAGE_[LAYER_]OP. */
static int add_list(ctx *c, chain *ch, const roof_op_list *l, const char *row, int64_t stage, const char *layer,
                    const char *where, double repeat)
{
    char name[256], gpus[64];
    gpus_of_stage(c, stage, gpus, sizeof gpus);
    for (int j = 0; j < l->n; j++) {
        snprintf(name, sizeof name, "%s_%s_s%lld_%s%s%s", c->tag, row, (long long)stage, layer, layer[0] ? "_" : "",
                 l->ops[j].name);
        int dashed = ch->last >= 0 && c->g->nodes[ch->last].kind == ROOF_DAG_ROUTE;
        int64_t v = add_op(c, &l->ops[j], name, where, gpus, repeat);
        if (v < 0 || link(c, ch, v, dashed) != ROOF_OK)
            return c->err->code;
    }
    return ROOF_OK;
}

/* Stage i's ops for `mult` microbatches in sequence: folded, each layer
 * kind once (repeat = layers x mult); expanded, every layer of every
 * microbatch. rowdesc says which microbatches, for the labels. */
static int add_stage(ctx *c, chain *ch, int64_t i, const char *row, const char *rowdesc, double mult)
{
    const roof_phase_result *ph = c->ph;
    int64_t L = c->r->plan.layers_per_stage, moe = ph->stage_moe_layers[i];
    char where[256];
    int rc = ROOF_OK;
    int64_t reps = c->expand ? (int64_t)mult : 1;
    for (int64_t q = 0; q < reps && rc == ROOF_OK; q++) {
        double rep = c->expand ? 1.0 : mult;
        char rowq[64];
        if (c->expand && reps > 1)
            snprintf(rowq, sizeof rowq, "%s%lld", row, (long long)(q + 1));
        else
            snprintf(rowq, sizeof rowq, "%s", row);
        snprintf(where, sizeof where, "%s, stage %lld, %s", c->phase, (long long)i, rowdesc);
        if (i == 0 && ph->ops.first.n)
            rc = add_list(c, ch, &ph->ops.first, rowq, i, "", where, rep);
        if (c->expand) {
            int64_t base = i * L;
            for (int64_t l = 0; l < L && rc == ROOF_OK; l++) {
                int is_moe = roof_plan_moe_layers_before(&c->s->model, base + l + 1) -
                                 roof_plan_moe_layers_before(&c->s->model, base + l) >
                             0;
                char layer[32];
                snprintf(layer, sizeof layer, "l%lld", (long long)(base + l));
                rc = add_list(c, ch, is_moe ? &ph->ops.moe : &ph->ops.dense, rowq, i, layer, where, 1.0);
            }
        } else {
            if (L - moe > 0 && rc == ROOF_OK) {
                snprintf(where, sizeof where, "%s, stage %lld, %s, %lld dense layers", c->phase, (long long)i, rowdesc,
                         (long long)(L - moe));
                rc = add_list(c, ch, &ph->ops.dense, rowq, i, "dense", where, (double)(L - moe) * rep);
            }
            if (moe > 0 && rc == ROOF_OK) {
                snprintf(where, sizeof where, "%s, stage %lld, %s, %lld MoE layers", c->phase, (long long)i, rowdesc,
                         (long long)moe);
                rc = add_list(c, ch, &ph->ops.moe, rowq, i, "moe", where, (double)moe * rep);
            }
            snprintf(where, sizeof where, "%s, stage %lld, %s", c->phase, (long long)i, rowdesc);
        }
        if (i == c->s->parallel.pp - 1 && ph->ops.last.n && rc == ROOF_OK)
            rc = add_list(c, ch, &ph->ops.last, rowq, i, "", where, rep);
    }
    return rc;
}

/* The send from stage i to i+1 after row `row`; returns its id. */
static int64_t add_send(ctx *c, const char *row, int64_t i)
{
    if (!c->ph->ops.send.n)
        return -2; /* pp = 1: no send (callers link directly) */
    char name[160], gpus[96], a[32], b[32], where[128];
    snprintf(name, sizeof name, "%s_%s_s%lld_pp_send", c->tag, row, (long long)i);
    gpus_of_stage(c, i, a, sizeof a);
    gpus_of_stage(c, i + 1, b, sizeof b);
    snprintf(gpus, sizeof gpus, "%s -> %s", a, b);
    snprintf(where, sizeof where, "%s, stage %lld to %lld", c->phase, (long long)i, (long long)(i + 1));
    return add_op(c, &c->ph->ops.send.ops[0], name, where, gpus, 1.0);
}

static int64_t add_marker(ctx *c, const char *what)
{
    char name[64], where[64];
    snprintf(name, sizeof name, "%s_%s", c->tag, what);
    snprintf(where, sizeof where, "%s %s", c->phase, what);
    int64_t v = roof_dag_add_node(c->g, name, what, where, NULL, c->err);
    if (v >= 0)
        c->g->nodes[v].cluster = c->cluster;
    return v;
}

/* from -> [send i] -> to; with no send (pp = 1) from -> to. */
static int via_send(ctx *c, int64_t from, const char *row, int64_t i, int64_t to)
{
    int64_t snd = add_send(c, row, i);
    if (snd == -1)
        return c->err->code;
    if (snd < 0)
        return roof_dag_add_edge(c->g, from, to, 0, c->err);
    int rc = roof_dag_add_edge(c->g, from, snd, 0, c->err);
    return rc == ROOF_OK ? roof_dag_add_edge(c->g, snd, to, 0, c->err) : rc;
}

#define TRY(x)              \
    do {                    \
        int rc_ = (x);      \
        if (rc_ != ROOF_OK) \
            return rc_;     \
    } while (0)

/* Row F: one microbatch through every stage and send, start to end. */
static int fill_row(ctx *c, int64_t start, int64_t end, const char *row, const char *rowdesc, chain *rows)
{
    int64_t pp = c->s->parallel.pp;
    for (int64_t i = 0; i < pp; i++) {
        rows[i] = (chain){-1, -1};
        TRY(add_stage(c, &rows[i], i, row, rowdesc, 1.0));
        if (i == 0)
            TRY(roof_dag_add_edge(c->g, start, rows[0].first, 0, c->err));
        else
            TRY(via_send(c, rows[i - 1].last, row, i - 1, rows[i].first));
    }
    if (end >= 0)
        TRY(roof_dag_add_edge(c->g, rows[pp - 1].last, end, 0, c->err));
    return ROOF_OK;
}

static int prefill(ctx *c, int64_t start, int64_t end)
{
    int64_t pp = c->s->parallel.pp, m = c->s->workload.microbatches;
    static chain F[ROOF_MAX_STAGES], M[ROOF_MAX_STAGES], Lr[ROOF_MAX_STAGES];
    char desc[64], row[32];
    if (c->expand) {
        /* The grid: F holds the previous row's chains. */
        for (int64_t j = 1; j <= m; j++) {
            snprintf(row, sizeof row, "mb%lld", (long long)j);
            snprintf(desc, sizeof desc, "microbatch %lld", (long long)j);
            for (int64_t i = 0; i < pp; i++) {
                M[i] = (chain){-1, -1};
                TRY(add_stage(c, &M[i], i, row, desc, 1.0));
                if (i == 0 && j == 1)
                    TRY(roof_dag_add_edge(c->g, start, M[0].first, 0, c->err));
                if (i > 0)
                    TRY(via_send(c, M[i - 1].last, row, i - 1, M[i].first));
                if (j > 1)
                    TRY(roof_dag_add_edge(c->g, F[i].last, M[i].first, 0, c->err));
            }
            memcpy(F, M, (size_t)pp * sizeof *F);
        }
        return roof_dag_add_edge(c->g, F[pp - 1].last, end, 0, c->err);
    }
    TRY(fill_row(c, start, end, "f", "microbatch 1", F));
    if (m < 2)
        return ROOF_OK;
    snprintf(desc, sizeof desc, "microbatches 2-%lld", (long long)m);
    for (int64_t i = 0; i < pp; i++) {
        M[i] = (chain){-1, -1};
        TRY(add_stage(c, &M[i], i, "m", desc, (double)(m - 1)));
        TRY(roof_dag_add_edge(c->g, F[i].last, M[i].first, 0, c->err));
    }
    snprintf(desc, sizeof desc, "microbatch %lld", (long long)m);
    for (int64_t i = 1; i < pp; i++) {
        Lr[i] = (chain){-1, -1};
        TRY(add_stage(c, &Lr[i], i, "l", desc, 1.0));
        TRY(via_send(c, M[i - 1].last, "m", i - 1, Lr[i].first));
        if (i > 1)
            TRY(via_send(c, Lr[i - 1].last, "l", i - 1, Lr[i].first));
    }
    TRY(roof_dag_add_edge(c->g, M[pp - 1].last, end, 0, c->err));
    if (pp > 1)
        TRY(roof_dag_add_edge(c->g, Lr[pp - 1].last, end, 0, c->err));
    return ROOF_OK;
}

/* Speculative decoding (model/spec.c): a step first runs the proposer k
 * times in sequence, then the verify pass of k + 1 tokens (the decode
 * rows). The proposer (the draft model, or the MTP layer with the model's
 * embedding and head) is drawn as its own decode ops on one stage, as
 * roof_spec_draft times them (at the KV length of the timed step), each
 * repeated k times: the step's critical path is metrics.spec_step_s,
 * TPOT x spec_tokens. Returns the node the rows start after: the
 * proposer's last op, or start when speculation is off; -1 on error. */
static int64_t proposer(ctx *c, int64_t start)
{
    if (!roof_spec_on(c->s))
        return start;
    /* Large: not on the stack (the DAG is built on one thread). */
    static roof_scenario d;
    static roof_result pr;
    if (roof_spec_proposer(c->s, &d, c->err) != ROOF_OK || roof_plan_make(&d, &pr.plan, c->err) != ROOF_OK)
        return -1;
    /* model/evaluate.c times the decode step at the mean KV length. */
    double kv_mid = (double)c->r->plan.context + 0.5 * (double)(c->s->workload.gen_tokens - 1);
    pr.phase = ROOF_PHASE_DECODE;
    roof_ops_build(&d, &pr.plan, ROOF_PHASE_DECODE, kv_mid, &pr.decode.ops);
    if (roof_ops_time(&d, &pr.decode.ops, c->err) != ROOF_OK)
        return -1;
    roof_compose_stages(&d, &pr.plan, &pr.decode);
    ctx pc = *c;
    pc.s = &d;
    pc.r = &pr;
    pc.ph = &pr.decode;
    pc.phase = "decode";
    char desc[96];
    snprintf(desc, sizeof desc, "speculative proposer (%s), %lld steps",
             c->s->workload.spec_method == ROOF_SPEC_MTP ? "MTP layer" : "draft model",
             (long long)c->s->workload.spec_k);
    chain ch = {-1, -1};
    /* Folded: each op once, repeat = its layers x k. Expanded too: the
     * proposer is small, and its k steps are the same. */
    pc.expand = 0;
    if (add_stage(&pc, &ch, 0, "prop", desc, (double)c->s->workload.spec_k) != ROOF_OK)
        return -1;
    if (ch.first < 0) {
        roof_error_set(c->err, ROOF_ERR_RUNTIME, "dag", "the speculative proposer has no ops");
        return -1;
    }
    return roof_dag_add_edge(c->g, start, ch.first, 0, c->err) == ROOF_OK ? ch.last : -1;
}

static int decode(ctx *c, int64_t start, int64_t end)
{
    int64_t pp = c->s->parallel.pp, m = c->s->workload.microbatches;
    static chain F[ROOF_MAX_STAGES];
    start = proposer(c, start);
    if (start < 0)
        return c->err->code;
    TRY(fill_row(c, start, end, "f", "microbatch 1 (fill)", F));
    if (m < 2)
        return ROOF_OK;
    char desc[64], row[32];
    snprintf(desc, sizeof desc, "microbatches 1-%lld back to back", (long long)m);
    for (int64_t k = 0; k < pp; k++) {
        chain P = {-1, -1};
        snprintf(row, sizeof row, "paced");
        TRY(add_stage(c, &P, k, row, desc, (double)m));
        TRY(roof_dag_add_edge(c->g, start, P.first, 0, c->err));
        TRY(roof_dag_add_edge(c->g, P.last, end, 0, c->err));
    }
    return ROOF_OK;
}

int roof_dag_build(const roof_scenario *s, const roof_result *r, const roof_dag_build_opts *o, roof_dag *g,
                   roof_error *err)
{
    if (r->phase == ROOF_PHASE_TRAINING)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "dag",
                              "a training step is not drawn as a DAG yet (the DAG covers prefill and decode: "
                              "set workload.phase)");
    if (s->parallel.pp > ROOF_MAX_STAGES)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "at most %d pipeline stages (got %lld)", ROOF_MAX_STAGES,
                              (long long)s->parallel.pp);
    /* Refuse an expansion that cannot fit before building any of it:
     * about (2m + 1) x layers x ops nodes per phase. */
    if (o->expand) {
        double per =
            (double)(r->prefill.ops.dense.n > r->prefill.ops.moe.n ? r->prefill.ops.dense.n : r->prefill.ops.moe.n);
        double est = (2.0 * (double)s->workload.microbatches + 1.0) * (double)s->model.layers * per;
        if (est > ROOF_DAG_MAX_NODES)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "dag",
                                  "--expand would make about %.3g nodes (more than %d): drop --expand", est,
                                  ROOF_DAG_MAX_NODES);
    }
    snprintf(g->title, sizeof g->title, "%s on %s (tp %lld, pp %lld, ep %lld, dp %lld, cp %lld; %lld microbatches)",
             s->name, s->hw.name, (long long)s->parallel.tp, (long long)s->parallel.pp, (long long)s->parallel.ep,
             (long long)s->parallel.dp, (long long)s->parallel.cp, (long long)s->workload.microbatches);
    snprintf(g->hw, sizeof g->hw, "%s", s->hw.name);
    ctx c = {g, s, r, NULL, "", "", 0, o->expand, err};
    int64_t prev_end = -1;
    if (o->phases & ROOF_DAG_PREFILL) {
        c.ph = &r->prefill, c.tag = "p", c.phase = "prefill", c.cluster = 1;
        int64_t a = add_marker(&c, "start"), b = add_marker(&c, "end");
        if (a < 0 || b < 0)
            return err->code;
        TRY(prefill(&c, a, b));
        prev_end = b;
    }
    if (o->phases & ROOF_DAG_DECODE) {
        c.ph = &r->decode, c.tag = "d", c.phase = "decode", c.cluster = 2;
        int64_t a = add_marker(&c, "start"), b = add_marker(&c, "end");
        if (a < 0 || b < 0)
            return err->code;
        /* Decode needs the prompt's KV cache: it starts after prefill. */
        if (prev_end >= 0)
            TRY(roof_dag_add_edge(g, prev_end, a, 0, err));
        TRY(decode(&c, a, b));
    }
    return ROOF_OK;
}
