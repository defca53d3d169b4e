/* Matching a report's Get_Time calls to the deployment's ops: the op a
 * call most likely means, and each differing dimension explained in the
 * user's terms. Part of the checker (report/check.c). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/check_private.h"

/* ---- matching calls to ops ------------------------------------------- */

/* What each dimension of an op is, in the user's terms. */
typedef struct {
    const char *op;
    const char *m, *k, *n;
    const char *keywords; /* '|'-separated, lower case, matched in the call's line */
    int needs_words;      /* matched only when named: its shape alone is too distinctive to guess */
} op_dims;

static const op_dims dims_table[] = {
    {"q_proj", "the tokens on one GPU", "the full hidden size", "heads/tp x head_dim",
     "q proj|query|q linear|qkv|q/k/v|q projection|mha qkv", 0},
    {"k_proj", "the tokens on one GPU", "the full hidden size", "kv_heads/tp x head_dim",
     "k proj|key|qkv|q/k/v|k projection|mha qkv", 0},
    {"v_proj", "the tokens on one GPU", "the full hidden size", "kv_heads/tp x head_dim",
     "v proj|value|qkv|q/k/v|v projection|mha qkv", 0},
    {"o_proj", "the tokens on one GPU", "heads/tp x head_dim (row-parallel layers split k)", "the full hidden size",
     "output proj|out proj|o proj|attention output|mha output|attn_proj|w_o|output linear", 0},
    {"qk_scores", "the query tokens of one sequence", "head_dim", "the key tokens of one sequence",
     "q×k|qk|k^t|score|q·k|q.k", 0},
    {"av", "the query tokens of one sequence", "the key tokens of one sequence", "head_dim",
     "×v|·v|attention×v|softmax·v|softmax(.)|a×v|p×v|attention output (softmax|attn·v|weights × v", 0},
    {"gate_proj", "the tokens on one GPU", "the full hidden size", "ffn_hidden/tp", "gate_proj|swiglu gate", 0},
    {"up_proj", "the tokens on one GPU", "the full hidden size", "ffn_hidden/tp",
     "up-proj|up proj|up_proj|linear1|fc1|mlp1|column parallel|column-parallel linear|mlp column|mlp up", 0},
    {"down_proj", "the tokens on one GPU", "ffn_hidden/tp (row-parallel layers split k)", "the full hidden size",
     "down-proj|down proj|down_proj|linear2|fc2|mlp2|row parallel|row-parallel linear|mlp row|mlp down", 0},
    {"router", "the tokens on one GPU", "the full hidden size", "the number of experts",
     "gate network|gate projection|gate:|router|routing|gate logits", 1},
    {"expert_gate", "the tokens of one expert on the busiest GPU", "the full hidden size", "expert_hidden/etp",
     "expert", 0},
    {"expert_up", "the tokens of one expert on the busiest GPU", "the full hidden size", "expert_hidden/etp",
     "expert up|expert computation|expert ffn|expert 0|up-projection|up projection", 0},
    {"expert_down", "the tokens of one expert on the busiest GPU", "expert_hidden/etp", "the full hidden size",
     "expert down|down-projection|down projection", 0},
    {"shared_up", "the tokens on one GPU", "the full hidden size", "shared expert width/tp", "shared", 0},
    {"shared_down", "the tokens on one GPU", "shared expert width/tp", "the full hidden size", "shared", 0},
    {"lm_head", "the sequences on one GPU", "the full hidden size", "vocab/tp", "lm head|lm_head|logits|vocab", 1},
};

static const op_dims *dims_of(const char *op)
{
    for (size_t i = 0; i < sizeof dims_table / sizeof dims_table[0]; i++)
        if (strcmp(dims_table[i].op, op) == 0)
            return &dims_table[i];
    return NULL;
}

static int keyword_hit(const char *context, const char *keywords)
{
    char lo[256];
    size_t i = 0;
    for (; i < sizeof lo - 1 && context[i]; i++)
        lo[i] = (char)tolower((unsigned char)context[i]);
    lo[i] = '\0';
    char kw[64];
    const char *p = keywords;
    while (*p) {
        size_t n = strcspn(p, "|");
        if (n && n < sizeof kw) {
            memcpy(kw, p, n);
            kw[n] = '\0';
            if (strstr(lo, kw))
                return 1;
        }
        p += n + (p[n] == '|');
    }
    return 0;
}

static double ldist(double a, double b)
{
    return fabs(log(a / b));
}

static int same(double a, double b)
{
    return fabs(a - b) <= 0.005 * fabs(b) + 0.5;
}

typedef struct {
    const roof_op *op;
    const char *phase, *layer;
} candidate;

static int candidates(const roof_scenario *s, const roof_result *res, candidate *out, int max)
{
    int n = 0;
    int64_t moe_layers = roof_plan_moe_layers_before(&s->model, s->model.layers);
    int has[] = {moe_layers < s->model.layers, moe_layers > 0, 1, 1};
    const roof_phase_result *ph[] = {&res->prefill, &res->decode};
    const char *names[] = {"prefill", "decode"};
    for (int p = 0; p < 2; p++) {
        if (res->phase == ROOF_PHASE_PREFILL && p == 1)
            continue; /* a prefill report means prefill ops */
        const roof_op_list *lists[] = {&ph[p]->ops.dense, &ph[p]->ops.moe, &ph[p]->ops.first, &ph[p]->ops.last};
        for (int l = 0; l < 4; l++)
            for (int i = 0; i < lists[l]->n && n < max && has[l]; i++)
                if (lists[l]->ops[i].kind == ROOF_OP_GEMM)
                    out[n++] = (candidate){&lists[l]->ops[i], names[p], lists[l]->kind};
    }
    return n;
}

/* A dimension for messages: whole numbers in full. */
static const char *dim(double v, char *buf, size_t size)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.6g", v);
    return buf;
}

/* The op a call most likely means: an exact shape first (folded batch
 * included), the words around the call breaking ties; else the nearest
 * shape in log distance, the words around the call weighing in (the call's
 * own part of its line counts more than the lines above). */
void roof_check_match_call(roof_check *c, const roof_scenario *s, const roof_result *res, int i)
{
    const roof_report_call *call = &c->rep->calls[i];
    roof_checked_call *cc = &c->calls[i];
    candidate cand[200];
    int n = candidates(s, res, cand, 200);
    /* Does the call's own text name any op? Then only it counts. */
    int near_any = 0;
    for (size_t d = 0; d < sizeof dims_table / sizeof dims_table[0]; d++)
        near_any |= keyword_hit(call->near, dims_table[d].keywords);
    double m = call->args.v[0], k = call->args.v[1], nn = call->args.v[2];
    int best = -1, best_kw = 0, flattened = 0, best_exact = 0;
    double best_score = INFINITY;
    for (int j = 0; j < n; j++) {
        const roof_gemm *g = &cand[j].op->gemm;
        const op_dims *d = dims_of(cand[j].op->name);
        /* Words naming an op weigh as much as a shape off by a factor of
         * e^6 ~ 400 (near the call) or e^3 ~ 20 (on the lines above). */
        double kw = 0.0;
        if (d && keyword_hit(call->near, d->keywords))
            kw = 6.0;
        else if (d && !near_any && keyword_hit(call->above, d->keywords))
            kw = 3.0;
        if (d && d->needs_words && kw == 0.0 && !(same(m, g->m) && same(k, g->k) && same(nn, g->n)))
            continue;
        double score = ldist(m, g->m) + ldist(k, g->k) + ldist(nn, g->n);
        int flat = 0;
        int exact = same(m, g->m) && same(k, g->k) && same(nn, g->n);
        if (g->batch > 1.0) {
            /* A batched GEMM written with its batch folded into m. */
            double sf = ldist(m, g->batch * g->m) + ldist(k, g->k) + ldist(nn, g->n);
            int fe = same(m, g->batch * g->m) && same(k, g->k) && same(nn, g->n);
            if (fe || (!exact && sf < score))
                score = sf, flat = 1, exact = fe;
        }
        score -= kw;
        if ((exact && !best_exact) || (exact == best_exact && score < best_score)) {
            best_score = score, best = j, best_kw = kw > 0.0, flattened = flat, best_exact = exact;
        }
    }
    if (best < 0)
        return;
    const roof_op *op = cand[best].op;
    const roof_gemm *g = &op->gemm;
    cc->match = op;
    cc->match_phase = cand[best].phase;
    cc->match_layer = cand[best].layer;
    double gm = flattened ? g->batch * g->m : g->m;
    char b1[32], b2[32], b3[32], b4[32], b5[32], b6[32], b7[32];
    if (best_exact) {
        cc->exact = 1;
        if (flattened)
            roof_check_add(c, ROOF_SEV_NOTE, call->line, "shape",
                "%s: a batched GEMM (%s matrices of [%s, %s] x [%s, %s]) written with its batch folded into m: "
                "the FLOPs are right, the bytes are not (each of the %s matrices is read once, not shared)",
                op->what, dim(g->batch, b1, sizeof b1), dim(g->m, b2, sizeof b2), dim(g->k, b3, sizeof b3),
                dim(g->k, b4, sizeof b4), dim(g->n, b5, sizeof b5), dim(g->batch, b6, sizeof b6));
        return;
    }
    /* Replicated work: the whole batch's tokens on every GPU where the plan
     * splits them over dp x cp ranks. */
    double split = (double)(s->parallel.dp * s->parallel.cp);
    if (split > 1.0 && same(m, gm * split) && same(k, g->k) && same(nn, g->n)) {
        roof_check_add(c, ROOF_SEV_ERROR, call->line, "shape",
            "%s: replicated work: the report runs all %s tokens on every GPU; the plan splits them over "
            "dp x cp = %s ranks, %s tokens per GPU",
            op->what, dim(m, b1, sizeof b1), dim(split, b2, sizeof b2), dim(gm, b3, sizeof b3));
        return;
    }
    if (best_score > 8.0 && !best_kw) {
        roof_check_add(c, ROOF_SEV_WARNING, call->line, "shape",
            "Get_Time(%s, %s, %s) matches no op of the deployment (nearest: %s, (%s, %s, %s))", dim(m, b1, sizeof b1),
            dim(k, b2, sizeof b2), dim(nn, b3, sizeof b3), op->what, dim(gm, b4, sizeof b4), dim(g->k, b5, sizeof b5),
            dim(g->n, b6, sizeof b6));
        return;
    }
    const op_dims *d = dims_of(op->name);
    char flat_m[160];
    snprintf(flat_m, sizeof flat_m, "%s matrices x %s rows (%s), folded", dim(g->batch, b1, sizeof b1),
             dim(g->m, b7, sizeof b7), d ? d->m : "m");
    char msg[480];
    int used = snprintf(msg, sizeof msg, "%s", op->what);
    const char *names[] = {"m", "k", "n"};
    const char *why[] = {flattened ? flat_m : d ? d->m : "", d ? d->k : "", d ? d->n : ""};
    double want[] = {gm, g->k, g->n}, got[] = {m, k, nn};
    int sep = ':';
    for (int a = 0; a < 3 && used > 0 && (size_t)used < sizeof msg; a++) {
        if (same(got[a], want[a]))
            continue;
        used += snprintf(msg + used, sizeof msg - (size_t)used, "%c %s is %s, %s; the report has %s", sep, names[a],
                         why[a], dim(want[a], b3, sizeof b3), dim(got[a], b4, sizeof b4));
        sep = ';';
    }
    roof_check_add(c, ROOF_SEV_ERROR, call->line, "shape", "%s", msg);
}

