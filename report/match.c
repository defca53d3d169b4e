/* SPDX-License-Identifier: GPL-3.0-or-later */
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
     "q proj|query|q linear|qkv|q/k/v|q projection|mha qkv|qkv projection", 0},
    {"k_proj", "the tokens on one GPU", "the full hidden size", "kv_heads/tp x head_dim",
     "k proj|key|qkv|q/k/v|k projection|mha qkv", 0},
    {"v_proj", "the tokens on one GPU", "the full hidden size", "kv_heads/tp x head_dim",
     "v proj|value|qkv|q/k/v|v projection|mha qkv", 0},
    {"o_proj", "the tokens on one GPU", "heads/tp x head_dim (row-parallel layers split k)", "the full hidden size",
     "output proj|out proj|o proj|attention output|mha output|attn_proj|w_o|output linear|output projection", 0},
    {"qkv_fused", "the tokens on one GPU", "the full hidden size",
     "(heads + 2 kv_heads)/tp x head_dim (Q, K and V side by side)", "fused qkv|qkv fused|fused q/k/v|fused", 1},
    {"gate_up_fused", "the tokens on one GPU", "the full hidden size", "2 x ffn_hidden/tp (gate and up side by side)",
     "gate+up|gate and up|gate/up|fused gate|fused up", 1},
    {"expert_gate_up_fused", "the tokens of one expert on the busiest GPU", "the full hidden size",
     "2 x expert_hidden/etp (gate and up side by side)", "expert gate+up|fused expert", 1},
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

/* The length of the longest keyword of `keywords` ('|'-separated) in
 * context, lower-cased with '_' read as a blank, also with the digits after
 * a letter dropped ("Q2 Projection", "MLP2 row parallel" name the ops of a
 * second layer); 0 when none. */
static size_t keyword_len(const char *context, const char *keywords)
{
    char lo[256], st[256];
    size_t i = 0, j = 0;
    int dropping = 0;
    for (; i < sizeof lo - 1 && context[i]; i++) {
        char ch = context[i] == '_' ? ' ' : (char)tolower((unsigned char)context[i]);
        lo[i] = ch;
        if (isdigit((unsigned char)ch) && (dropping || (j > 0 && isalpha((unsigned char)st[j - 1])))) {
            dropping = 1;
            continue;
        }
        dropping = 0;
        st[j++] = ch;
    }
    lo[i] = '\0';
    st[j] = '\0';
    char kw[64];
    size_t best = 0;
    const char *p = keywords;
    while (*p) {
        size_t n = strcspn(p, "|");
        if (n && n < sizeof kw && n > best) {
            memcpy(kw, p, n);
            kw[n] = '\0';
            if (strstr(lo, kw) || strstr(st, kw))
                best = n;
        }
        p += n + (p[n] == '|');
    }
    return best;
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
    int pos; /* place in its list; -1 for a fused pair */
} candidate;

static const roof_op *find_op(const roof_op_list *l, const char *name)
{
    for (int i = 0; i < l->n; i++)
        if (l->ops[i].kind == ROOF_OP_GEMM && strcmp(l->ops[i].name, name) == 0)
            return &l->ops[i];
    return NULL;
}

/* The fused forms a report may time as one GEMM: Q, K and V side by side
 * (n = q + 2 kv), gate and up side by side (SwiGLU). Kept in c->fused so
 * that matches may point at them. */
static void add_fused(roof_check *c, const roof_op_list *l, const char *a, const char *b, const char *d,
                      const char *name, const char *what)
{
    const roof_op *x = find_op(l, a), *y = find_op(l, b), *z = d ? find_op(l, d) : NULL;
    if (!x || !y || (d && !z) || c->nfused >= 8)
        return;
    if (!same(x->gemm.m, y->gemm.m) || !same(x->gemm.k, y->gemm.k) || x->gemm.batch != y->gemm.batch)
        return;
    roof_op *f = &c->fused[c->nfused];
    *f = *x;
    f->name = name;
    f->what = what;
    f->gemm.n = x->gemm.n + y->gemm.n + (z ? z->gemm.n : 0.0);
    f->flops = x->flops + y->flops + (z ? z->flops : 0.0);
    c->fused_layer[c->nfused++] = l->kind;
}

static int candidates(roof_check *c, const roof_scenario *s, const roof_result *res, candidate *out, int max)
{
    int n = 0;
    int64_t moe_layers = roof_plan_moe_layers_before(&s->model, s->model.layers);
    int has[] = {moe_layers<s->model.layers, moe_layers> 0, 1, 1};
    const roof_phase_result *ph[] = {&res->prefill, &res->decode};
    const char *names[] = {"prefill", "decode"};
    for (int p = 0; p < 2; p++) {
        if (res->phase == ROOF_PHASE_PREFILL && p == 1)
            continue; /* a prefill report means prefill ops */
        const roof_op_list *lists[] = {&ph[p]->ops.dense, &ph[p]->ops.moe, &ph[p]->ops.first, &ph[p]->ops.last};
        for (int l = 0; l < 4; l++)
            for (int i = 0; i < lists[l]->n && n < max && has[l]; i++)
                if (lists[l]->ops[i].kind == ROOF_OP_GEMM)
                    out[n++] = (candidate){&lists[l]->ops[i], names[p], lists[l]->kind, i};
        if (c->nfused == 0 && (res->phase != ROOF_PHASE_DECODE || p == 1))
            for (int l = 0; l < 2; l++) {
                if (!has[l])
                    continue;
                add_fused(c, lists[l], "q_proj", "k_proj", "v_proj", "qkv_fused",
                          "fused QKV projection (column-parallel)");
                add_fused(c, lists[l], "gate_proj", "up_proj", NULL, "gate_up_fused",
                          "fused gate and up projection (column-parallel)");
                add_fused(c, lists[l], "expert_gate", "expert_up", NULL, "expert_gate_up_fused",
                          "fused expert gate and up projection");
            }
    }
    for (int f = 0; f < c->nfused && n < max; f++)
        out[n++] =
            (candidate){&c->fused[f], res->phase == ROOF_PHASE_DECODE ? "decode" : "prefill", c->fused_layer[f], -1};
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

/* A "//" comment starts within n bytes of p on its line (bounded: a
 * search to the end of the text for every call was quadratic). */
static int comment_within(const char *t, size_t len, size_t p, size_t n)
{
    for (size_t q = p; q + 1 < len && q < p + n && t[q] != '\n'; q++)
        if (t[q] == '/' && t[q + 1] == '/')
            return 1;
    return 0;
}

/* The words that name call i: its line before it (from the previous call on
 * the line), and a comment right after it ("// Q/K/V projections",
 * "(QKV projections)"), not the next term of a sum ("+ Expert_FFN_Time"). */
static void call_label(const roof_report *rep, int i, char *buf, size_t size)
{
    const roof_report_call *call = &rep->calls[i];
    const char *t = rep->text;
    size_t a = call->span.start;
    while (a > 0 && t[a - 1] != '\n')
        a--;
    if (i > 0 && rep->calls[i - 1].line == call->line && rep->calls[i - 1].span.end > a &&
        rep->calls[i - 1].span.end <= call->span.start)
        a = rep->calls[i - 1].span.end;
    size_t o = 0;
    for (size_t p = a; p < call->span.start && o + 1 < size; p++)
        buf[o++] = t[p] == '\n' || t[p] == '\t' ? ' ' : t[p];
    size_t p = call->span.end, len = rep->len;
    while (p < len && t[p] != '\n' &&
           (t[p] == ' ' || t[p] == ')' || t[p] == ',' || isdigit((unsigned char)t[p]) || t[p] == '*' || t[p] == 'x' ||
            (unsigned char)t[p] == 0xC3 || (unsigned char)t[p] == 0x97 ||
            (t[p] == '+' && comment_within(t, len, p, 40))))
        p++;
    if (p < len && (t[p] == '(' || (t[p] == '/' && p + 1 < len && t[p + 1] == '/'))) {
        if (o + 2 < size)
            buf[o++] = ' ';
        int depth = 0;
        for (; p < len && t[p] != '\n' && o + 1 < size; p++) {
            buf[o++] = t[p];
            if (t[p] == '(')
                depth++;
            else if (t[p] == ')' && --depth == 0 && buf[o - 1] == ')' && t[call->span.end] != '/')
                break;
        }
    }
    buf[o] = '\0';
}

static int same_shape(const roof_op *a, const roof_op *b)
{
    return same(a->gemm.m, b->gemm.m) && same(a->gemm.k, b->gemm.k) && same(a->gemm.n, b->gemm.n) &&
           a->gemm.batch == b->gemm.batch;
}

typedef struct {
    int best, second; /* candidate indexes */
    double best_score, second_score;
    int best_kw, flattened, exact;
} pick;

/* Scores the candidates for a call of shape (m, k, n) named by label (and
 * by above when label names no op; by reused when neither does). */
static pick score_call(const candidate *cand, int n, double m, double k, double nn, const char *label,
                       const char *above, const char *reused)
{
    size_t near_best = 0, above_best = 0, reuse_best = 0;
    enum { ND = sizeof dims_table / sizeof dims_table[0] };
    size_t dn[ND], da[ND], dr[ND];
    for (size_t d = 0; d < ND; d++) {
        dn[d] = label[0] ? keyword_len(label, dims_table[d].keywords) : 0;
        da[d] = above[0] ? keyword_len(above, dims_table[d].keywords) : 0;
        dr[d] = reused ? keyword_len(reused, dims_table[d].keywords) : 0;
    }
    size_t kwn[200], kwa[200], kwr[200];
    for (int j = 0; j < n; j++) {
        const op_dims *d = dims_of(cand[j].op->name);
        size_t di = d ? (size_t)(d - dims_table) : 0;
        kwn[j] = d ? dn[di] : 0;
        kwa[j] = d ? da[di] : 0;
        kwr[j] = d ? dr[di] : 0;
        near_best = kwn[j] > near_best ? kwn[j] : near_best;
        above_best = kwa[j] > above_best ? kwa[j] : above_best;
        reuse_best = kwr[j] > reuse_best ? kwr[j] : reuse_best;
    }
    pick pk = {-1, -1, INFINITY, INFINITY, 0, 0, 0};
    for (int j = 0; j < n; j++) {
        const roof_gemm *g = &cand[j].op->gemm;
        const op_dims *d = dims_of(cand[j].op->name);
        /* Words naming an op weigh as much as a shape off by a factor of
         * e^6 ~ 400 (near the call) or e^3 ~ 20 (on the lines above, or on
         * a call of the same shape elsewhere); only the longest name counts
         * ("attention output projection" is the O projection, not P V). */
        double kw = 0.0;
        if (near_best)
            kw = kwn[j] == near_best ? 6.0 : 0.0;
        else if (above_best)
            kw = kwa[j] == above_best ? 3.0 : 0.0;
        else if (reuse_best)
            kw = kwr[j] == reuse_best ? 3.0 : 0.0;
        int exact = same(m, g->m) && same(k, g->k) && same(nn, g->n);
        if (d && d->needs_words && kw == 0.0 && !exact)
            continue;
        double score = ldist(m, g->m) + ldist(k, g->k) + ldist(nn, g->n);
        int flat = 0;
        if (g->batch > 1.0) {
            /* A batched GEMM written with its batch folded into m. */
            double sf = ldist(m, g->batch * g->m) + ldist(k, g->k) + ldist(nn, g->n);
            int fe = same(m, g->batch * g->m) && same(k, g->k) && same(nn, g->n);
            if (fe || (!exact && sf < score))
                score = sf, flat = 1, exact = fe;
        }
        score -= kw;
        int better = (exact && !pk.exact) || (exact == pk.exact && score < pk.best_score);
        if (better) {
            if (pk.best >= 0 && !same_shape(cand[pk.best].op, cand[j].op))
                pk.second = pk.best, pk.second_score = pk.best_score;
            pk.best_score = score, pk.best = j, pk.best_kw = kw > 0.0, pk.flattened = flat, pk.exact = exact;
        } else if (score < pk.second_score && !same_shape(cand[j].op, cand[pk.best].op)) {
            pk.second = j, pk.second_score = score;
        }
    }
    return pk;
}

static int is_attn(const roof_op *op)
{
    return strcmp(op->name, "qk_scores") == 0 || strcmp(op->name, "av") == 0;
}

static int is_expert(const roof_op *op)
{
    return strncmp(op->name, "expert_", 7) == 0;
}

static int lower_has(const char *s, const char *w)
{
    char lo[256];
    size_t i = 0;
    for (; i < sizeof lo - 1 && s[i]; i++)
        lo[i] = (char)tolower((unsigned char)s[i]);
    lo[i] = '\0';
    return strstr(lo, w) != NULL;
}

/* A third matrix in a two-matrix MLP: "MLP output projection". */
static int names_extra_mlp(const char *label, const roof_scenario *s)
{
    (void)s;
    return (lower_has(label, "mlp") || lower_has(label, "ffn")) && lower_has(label, "output") &&
           !lower_has(label, "down") && !lower_has(label, "row");
}

/* Reads call i: label, candidates scored, the best kept in c->calls[i]. */
static void match_one(roof_check *c, const roof_scenario *s, const roof_result *res, int i, candidate *cand, int n)
{
    const roof_report *rep = c->rep;
    const roof_report_call *call = &rep->calls[i];
    roof_checked_call *cc = &c->calls[i];
    double m = call->args.v[0], k = call->args.v[1], nn = call->args.v[2];
    /* A call with no words of its own takes the words of the calls of the
     * same shape elsewhere in the report, when they all name one op. */
    char reused[400] = "";
    int any_near = cc->own_op != NULL;
    if (!any_near) {
        const char *first = NULL;
        int agree = 1;
        for (int o = 0; o < rep->ncalls && o < 4096; o++) {
            const roof_report_call *oc = &rep->calls[o];
            if (o == i || !c->calls[o].own_op || !same(oc->args.v[0], m) || !same(oc->args.v[1], k) ||
                !same(oc->args.v[2], nn))
                continue;
            if (!first) {
                first = c->calls[o].own_op;
                snprintf(reused, sizeof reused, "%s %s", c->calls[o].label, oc->above);
            } else if (strcmp(first, c->calls[o].own_op) != 0) {
                agree = 0;
            }
        }
        if (!agree)
            reused[0] = '\0';
    }
    pick pk = score_call(cand, n, m, k, nn, cc->label, call->above, reused[0] ? reused : NULL);
    if (pk.best < 0)
        return;
    const candidate *b = &cand[pk.best];
    cc->match = b->op;
    cc->match_phase = b->phase;
    cc->match_layer = b->layer;
    cc->list_pos = b->pos;
    cc->exact = pk.exact;
    cc->count = call->mult_before * call->mult_after * call->mult_group;
    /* Two ops of different shapes fit as well: unless the call's own words
     * (or the lines above it) name one, order decides (break_ties); words
     * borrowed from a call of the same shape decide only when order cannot. */
    pick p0 = score_call(cand, n, m, k, nn, "", "", NULL);
    if (p0.best >= 0 && p0.second >= 0 && !p0.exact && p0.second_score - p0.best_score < 0.1 &&
        !same_shape(cand[p0.second].op, cand[p0.best].op) && !(pk.best_kw && any_near)) {
        const roof_op *x = cand[p0.best].op, *y = cand[p0.second].op;
        if (b->op == x || b->op == y) {
            cc->tied = pk.best_kw ? 2 : 1;
            cc->alt = b->op == x ? y : x;
        }
    }
    cc->extra_op = names_extra_mlp(cc->label, s);
    const roof_gemm *g = &b->op->gemm;
    double flops = 2.0 * m * k * nn;
    /* One head's rows per sequence: the call's multiplier counts heads. */
    if (is_attn(b->op) && res->plan.heads_r > 1) {
        double seqs = g->batch / (double)res->plan.heads_r;
        if (same(m, seqs * g->m) && !same(m, g->batch * g->m)) {
            cc->per_head = 1;
            double per_head_said = lower_has(cc->label, "per head") || lower_has(call->above, "per head");
            if (same(cc->count, (double)res->plan.heads_r) || (cc->count == 1.0 && per_head_said))
                flops *= (double)res->plan.heads_r; /* all heads: counted or said to be per head */
            else
                flops *= cc->count;
            if ((same(cc->count, (double)res->plan.heads_r) || (cc->count == 1.0 && per_head_said)) && same(k, g->k) &&
                same(nn, g->n))
                cc->exact = 1;
        }
    }
    cc->ratio = b->op->flops > 0.0 ? flops / b->op->flops : 1.0;
    char b0[32], b1[32], b2[32], b3[32], b4[32], b5[32], b6[32];
    char why[1024];
    snprintf(why, sizeof why,
             "read as %s (%s %s layer%s) from %s; op shape (%s%s%s, %s, %s), the report's (%s, %s, %s); "
             "FLOPs %.4g against the op's %.4g on one GPU (%.3gx)%s%s",
             b->op->name, b->phase, b->layer, b->pos < 0 ? ", fused pair" : "",
             pk.best_kw ? (reused[0] && !any_near ? "the words of the calls of the same shape" : "its words")
                        : "its shape alone",
             pk.flattened ? dim(g->batch, b0, sizeof b0) : "", pk.flattened ? " x " : "", dim(g->m, b1, sizeof b1),
             dim(g->k, b2, sizeof b2), dim(g->n, b3, sizeof b3), dim(m, b4, sizeof b4), dim(k, b5, sizeof b5),
             dim(nn, b6, sizeof b6), flops, b->op->flops, cc->ratio,
             cc->per_head ? "; m is one head's rows, the multiplier counts heads" : "",
             cc->tied ? "; another op fits as well" : "");
    /* Kept short: the explanation may be cut, the finding is not. */
    size_t wl = strlen(why) < sizeof cc->why - 1 ? strlen(why) : sizeof cc->why - 1;
    memcpy(cc->why, why, wl);
    cc->why[wl] = '\0';
}

/* Ties broken by order: the ops of a layer come in their list's order, so
 * a call between two others in a run (one line, or lines next to each
 * other) means the op between theirs. */
static void break_ties(roof_check *c, int ncalls, int last)
{
    for (int i = 0; i < ncalls; i++) {
        roof_checked_call *cc = &c->calls[i];
        if (!cc->tied)
            continue;
        const roof_report_call *call = &c->rep->calls[i];
        int prev = -1, next = -1;
        for (int j = i - 1; j >= 0 && call->line - c->rep->calls[j].line <= 1; j--)
            if (c->calls[j].match && !c->calls[j].tied && c->calls[j].list_pos >= 0) {
                prev = j;
                break;
            }
        for (int j = i + 1; j < ncalls && c->rep->calls[j].line - call->line <= 1; j++)
            if (c->calls[j].match && !c->calls[j].tied && c->calls[j].list_pos >= 0) {
                next = j;
                break;
            }
        /* Where does each of the two ops sit in the match's list? */
        const roof_op *ops[2] = {cc->match, cc->alt};
        for (int o = 0; o < 2; o++) {
            const roof_op *op = ops[o];
            int pos = -1;
            const roof_op *base = prev >= 0 ? c->calls[prev].match : next >= 0 ? c->calls[next].match : NULL;
            if (!base)
                continue;
            /* ops of one list are contiguous: positions by address */
            const roof_op *first = base - (prev >= 0 ? c->calls[prev].list_pos : c->calls[next].list_pos);
            if (op >= first && op < first + ROOF_MAX_OPS)
                pos = (int)(op - first);
            if (pos < 0)
                continue;
            int ok = (prev < 0 || pos > c->calls[prev].list_pos) && (next < 0 || pos < c->calls[next].list_pos);
            if (ok) {
                if (o == 1) {
                    cc->alt = cc->match;
                    cc->match = op;
                }
                cc->list_pos = pos;
                cc->tied = 0;
                size_t l = strlen(cc->why);
                snprintf(cc->why + l, sizeof cc->why - l, "; %s assumed by order (%s%s%s%s)", op->name,
                         prev >= 0 ? "after " : "", prev >= 0 ? c->calls[prev].match->name : "",
                         next >= 0 ? (prev >= 0 ? ", before " : "before ") : "",
                         next >= 0 ? c->calls[next].match->name : "");
                break;
            }
        }
        if (cc->tied == 2 && last)
            cc->tied = 0; /* order cannot decide: the borrowed words do */
    }
}

/* The findings on one call, against the report's plan. */
static void judge(roof_check *c, const roof_scenario *s, const roof_result *res, int i)
{
    const roof_report_call *call = &c->rep->calls[i];
    roof_checked_call *cc = &c->calls[i];
    const roof_op *op = cc->match;
    const roof_gemm *g = &op->gemm;
    double m = call->args.v[0], k = call->args.v[1], nn = call->args.v[2];
    char b1[32], b2[32], b3[32], b4[32], b5[32], b6[32], b7[32];
    if (cc->extra_op && !cc->exact) {
        roof_check_add(c, ROOF_SEV_ERROR, call->line, "op",
                       "Get_Time(%s, %s, %s) is named as a third MLP matrix; the model's MLP has two (up, then down, "
                       "%s per layer on one GPU): this op does not exist",
                       dim(m, b1, sizeof b1), dim(k, b2, sizeof b2), dim(nn, b3, sizeof b3),
                       "column- then row-parallel");
        return;
    }
    int flattened = g->batch > 1.0 && same(m, g->batch * g->m);
    if (cc->exact) {
        if (flattened)
            roof_check_add(
                c, ROOF_SEV_NOTE, call->line, "shape",
                "%s: a batched GEMM (%s matrices of [%s, %s] x [%s, %s]) written with its batch folded into m: "
                "the FLOPs are right, the bytes are not (each of the %s matrices is read once, not shared)",
                op->what, dim(g->batch, b1, sizeof b1), dim(g->m, b2, sizeof b2), dim(g->k, b3, sizeof b3),
                dim(g->k, b4, sizeof b4), dim(g->n, b5, sizeof b5), dim(g->batch, b6, sizeof b6));
        return;
    }
    if (cc->tied) {
        roof_check_add(
            c, ROOF_SEV_NOTE, call->line, "shape",
            "Get_Time(%s, %s, %s) fits %s and %s equally and no words or order decide: assumed %s, not judged",
            dim(m, b1, sizeof b1), dim(k, b2, sizeof b2), dim(nn, b3, sizeof b3), op->name, cc->alt->name, op->name);
        return;
    }
    double P = c->plan_factor;
    /* The same work split another way: the report's plan, not a mistake. */
    if (fabs(cc->ratio / P - 1.0) < 0.03 && !same(m, g->m) &&
        !(g->batch > 1.0 && same(m, g->batch * g->m) && P == 1.0)) {
        cc->plan_ok = 1;
        return;
    }
    int per_head_m = cc->per_head;
    if (per_head_m && same(k, g->k) && same(nn, g->n)) {
        if (cc->count == 1.0)
            roof_check_add(
                c, ROOF_SEV_ERROR, call->line, "shape",
                "%s: the call is one head's (m = %s, one head's rows of every sequence); a GPU runs %lld heads: "
                "%s matrices x %s rows, folded, %s",
                op->what, dim(m, b1, sizeof b1), (long long)res->plan.heads_r, dim(g->batch, b2, sizeof b2),
                dim(g->m, b3, sizeof b3), dim(g->batch * g->m, b4, sizeof b4));
        else
            roof_check_add(c, ROOF_SEV_ERROR, call->line, "composition",
                           "%s per head counted %g times; a GPU runs %lld heads (heads/tp)", op->what, cc->count,
                           (long long)res->plan.heads_r);
        return;
    }
    /* An expert given all the tokens where the report never says how many
     * experts a token goes to: right only for top-k = all. */
    if (is_expert(op) && !c->top_k_stated && same(k, g->k) && same(nn, g->n) && m > g->m) {
        roof_check_add(
            c, ROOF_SEV_WARNING, call->line, "shape",
            "%s: every expert runs all %s tokens, right only if every token goes to every expert; the report "
            "does not say top-k; with the config's top-%lld, %s",
            op->what, dim(m, b1, sizeof b1), (long long)s->model.top_k, dim(g->m, b2, sizeof b2));
        return;
    }
    double gm = (flattened || (g->batch > 1.0 && !per_head_m)) ? g->batch * g->m : g->m;
    gm *= P;
    if (per_head_m)
        gm = m; /* m is right for one head; the count is the call's multiplier */
    if (fabs(log(cc->ratio)) > 8.0 && !strstr(cc->why, "words")) {
        roof_check_add(c, ROOF_SEV_WARNING, call->line, "shape",
                       "Get_Time(%s, %s, %s) matches no op of the deployment (nearest: %s, (%s, %s, %s))",
                       dim(m, b1, sizeof b1), dim(k, b2, sizeof b2), dim(nn, b3, sizeof b3), op->what,
                       dim(gm, b4, sizeof b4), dim(g->k, b5, sizeof b5), dim(g->n, b6, sizeof b6));
        return;
    }
    const op_dims *d = dims_of(op->name);
    char flat_m[160];
    snprintf(flat_m, sizeof flat_m, "%s matrices x %s rows (%s), folded", dim(g->batch, b1, sizeof b1),
             dim(g->m, b7, sizeof b7), d ? d->m : "m");
    char msg[480];
    int used = snprintf(msg, sizeof msg, "%s", op->what);
    const char *names[] = {"m", "k", "n"};
    int folded_m = g->batch > 1.0 && !per_head_m;
    const char *why[] = {folded_m ? flat_m : d ? d->m : "", d ? d->k : "", d ? d->n : ""};
    double want[] = {gm, g->k, g->n}, got[] = {m, k, nn};
    int sep = ':';
    int same_tokens = same(m, gm);
    if (!same_tokens && P == 1.0 && fabs(cc->ratio - 1.0) > 0.03 && c->plan_factor == 1.0 && !per_head_m &&
        same(k, g->k) && same(nn, g->n) == 0) {
        /* nothing special */
    }
    for (int a = 0; a < 3 && used > 0 && (size_t)used < sizeof msg; a++) {
        if (same(got[a], want[a]))
            continue;
        used += snprintf(msg + used, sizeof msg - (size_t)used, "%c %s is %s, %s; the report has %s", sep, names[a],
                         why[a], dim(want[a], b3, sizeof b3), dim(got[a], b4, sizeof b4));
        sep = ';';
    }
    roof_check_add(c, ROOF_SEV_ERROR, call->line, "shape", "%s", msg);
}

int roof_check_in_ranges(const roof_check *c, int line)
{
    if (c->nranges == 0)
        return 1;
    for (int i = 0; i < c->nranges; i++)
        if (line >= c->range_from[i] && line <= c->range_to[i])
            return 1;
    return 0;
}

void roof_check_match_calls(roof_check *c, const roof_scenario *s, const roof_result *res)
{
    const roof_report *rep = c->rep;
    candidate cand[200];
    c->nfused = 0;
    int n = candidates(c, s, res, cand, 200);
    c->top_k_stated = lower_has(rep->text, "top-k") || lower_has(rep->text, "top_k") || lower_has(rep->text, "topk") ||
                      lower_has(rep->text, "top-1") || lower_has(rep->text, "top-2") || lower_has(rep->text, "top 2");
    /* First the op each call's own words name, for the calls of the same
     * shape that have none. */
    for (int i = 0; i < rep->ncalls; i++) {
        const roof_report_call *call = &rep->calls[i];
        roof_checked_call *cc = &c->calls[i];
        if (!call->ok || c->times[i] <= 0.0 || !roof_check_in_ranges(c, call->line))
            continue;
        call_label(rep, i, cc->label, sizeof cc->label);
        pick p1 = score_call(cand, n, call->args.v[0], call->args.v[1], call->args.v[2], cc->label, call->above, NULL);
        if (p1.best >= 0 && p1.best_kw)
            cc->own_op = cand[p1.best].op->name;
    }
    for (int i = 0; i < rep->ncalls; i++)
        if (rep->calls[i].ok && c->times[i] > 0.0 && roof_check_in_ranges(c, rep->calls[i].line))
            match_one(c, s, res, i, cand, n);
    /* A call with a word for m (Get_Time(avg_tokens_per_expert, 8192,
     * 32768)) is not timed, but its k and n still say which op it is: kept
     * for the formulas' structure, not judged. */
    for (int i = 0; i < rep->ncalls; i++) {
        const roof_report_call *call = &rep->calls[i];
        roof_checked_call *cc = &c->calls[i];
        if (call->ok || !call->args.word[0] || !roof_check_in_ranges(c, call->line) || !(call->args.v[1] >= 1.0) ||
            !(call->args.v[2] >= 1.0) || !isfinite(call->args.v[1]) || !isfinite(call->args.v[2]))
            continue;
        call_label(rep, i, cc->label, sizeof cc->label);
        int wanted = -1;
        size_t best_len = 0;
        int expertish = lower_has(cc->label, "expert") || lower_has(call->above, "expert");
        for (int j = 0; j < n; j++) {
            const roof_gemm *g = &cand[j].op->gemm;
            const op_dims *d = dims_of(cand[j].op->name);
            if (same(call->args.v[1], g->k) && same(call->args.v[2], g->n) && (wanted < 0 || is_expert(cand[j].op))) {
                wanted = j;
                best_len = 1000; /* the shape says it */
                continue;
            }
            if (!d || best_len >= 1000 || ldist(call->args.v[1], g->k) + ldist(call->args.v[2], g->n) > 2.0 * log(16.0))
                continue;
            size_t l = keyword_len(cc->label, d->keywords);
            if (!l)
                l = keyword_len(call->above, d->keywords);
            if (l && expertish && is_expert(cand[j].op))
                l += 100;
            if (l > best_len)
                best_len = l, wanted = j;
        }
        if (wanted >= 0) {
            cc->match = cand[wanted].op;
            cc->match_phase = cand[wanted].phase;
            cc->match_layer = cand[wanted].layer;
            cc->list_pos = cand[wanted].pos;
            snprintf(cc->why, sizeof cc->why, "m is a word: read as %s by %s, not timed", cand[wanted].op->name,
                     best_len >= 1000 ? "k and n" : "its words");
        }
        cc->count = call->mult_before * call->mult_after * call->mult_group;
    }
    /* A call resolved by order becomes a neighbour for the next ones. */
    for (int pass = 0; pass < 5; pass++)
        break_ties(c, rep->ncalls, pass == 2);
    /* The report's plan: a config that splits the tokens over dp x cp
     * ranks, and a report that runs them all on each GPU for most of its
     * calls, describe two plans; the report's calls are then judged against
     * its own (each GPU the config's work times dp x cp). */
    double split = (double)(s->parallel.dp * s->parallel.cp);
    int at_split = 0, at_one = 0;
    for (int i = 0; i < rep->ncalls; i++) {
        const roof_checked_call *cc = &c->calls[i];
        if (!cc->match || cc->extra_op || !rep->calls[i].ok)
            continue;
        if (fabs(cc->ratio - 1.0) < 0.03)
            at_one++;
        else if (split > 1.0 && fabs(cc->ratio / split - 1.0) < 0.03)
            at_split++;
    }
    c->plan_factor = split > 1.0 && at_split > at_one ? split : 1.0;
    int nplan = 0, first_line = 0, first = -1;
    for (int i = 0; i < rep->ncalls; i++) {
        if (!c->calls[i].match || !rep->calls[i].ok)
            continue;
        judge(c, s, res, i);
        if (c->calls[i].plan_ok && nplan++ == 0)
            first_line = rep->calls[i].line, first = i;
    }
    if (nplan > 0) {
        const roof_checked_call *cc = &c->calls[first];
        const roof_gemm *g = &cc->match->gemm;
        char b1[32], b2[32], b3[32], b4[32], b5[32], b6[32];
        const roof_report_call *call = &rep->calls[first];
        if (c->plan_factor > 1.0)
            roof_check_add(
                c, ROOF_SEV_WARNING, first_line, "plan",
                "the report runs all the tokens on each GPU (%d call(s), %.0fx the config's per-GPU work, first "
                "Get_Time(%s, %s, %s) for %s): the config splits them over dp x cp = %.0f ranks; the report's "
                "shapes are judged against its own plan (each GPU repeats that work, or one GPU runs it)",
                nplan, c->plan_factor, dim(call->args.v[0], b1, sizeof b1), dim(call->args.v[1], b2, sizeof b2),
                dim(call->args.v[2], b3, sizeof b3), cc->match->name, c->plan_factor);
        else
            roof_check_add(
                c, ROOF_SEV_WARNING, first_line, "plan",
                "the report splits the work another way than the config (%d call(s) with the op's FLOPs on one "
                "GPU and other shapes, first Get_Time(%s, %s, %s) for %s, the config's (%s, %s, %s)): judged "
                "against the report's own split",
                nplan, dim(call->args.v[0], b1, sizeof b1), dim(call->args.v[1], b2, sizeof b2),
                dim(call->args.v[2], b3, sizeof b3), cc->match->name,
                dim(g->batch > 1.0 ? g->batch * g->m : g->m, b4, sizeof b4), dim(g->k, b5, sizeof b5),
                dim(g->n, b6, sizeof b6));
    }
}

/* Does a call in range (other than those of formula fi) mean op `name`?
 * Its line in *line. Fused pairs count for their parts. */
int roof_check_op_given(const roof_check *c, const char *name, int from, int to, int *line)
{
    for (int i = 0; i < c->rep->ncalls; i++) {
        const roof_op *op = c->calls[i].match;
        if (!op || (i >= from && i < to) || !roof_check_in_ranges(c, c->rep->calls[i].line))
            continue;
        if (strcmp(op->name, name) == 0 || roof_check_fused_covers(op->name, name)) {
            *line = c->rep->calls[i].line;
            return 1;
        }
    }
    return 0;
}

int roof_check_fused_covers(const char *fused, const char *name)
{
    if (strcmp(fused, "qkv_fused") == 0)
        return !strcmp(name, "q_proj") || !strcmp(name, "k_proj") || !strcmp(name, "v_proj");
    if (strcmp(fused, "gate_up_fused") == 0)
        return !strcmp(name, "gate_proj") || !strcmp(name, "up_proj");
    if (strcmp(fused, "expert_gate_up_fused") == 0)
        return !strcmp(name, "expert_gate") || !strcmp(name, "expert_up");
    return 0;
}

/* The words that name op `name` in text (a term like Expert_FFN_Time). */
int roof_check_words_name(const char *text, const char *name)
{
    const op_dims *d = dims_of(name);
    if (d && keyword_len(text, d->keywords) > 0)
        return 1;
    /* "Expert_FFN_Time", "MLP_Time": the whole MLP (of the experts) */
    int mlp = lower_has(text, "ffn") || lower_has(text, "mlp");
    if (!strncmp(name, "expert_", 7))
        return mlp && lower_has(text, "expert");
    return mlp && (!strcmp(name, "up_proj") || !strcmp(name, "down_proj") || !strcmp(name, "gate_proj"));
}

/* The op words name (the longest name wins), NULL when none or when they
 * name a third MLP matrix. */
const char *roof_check_op_named(const char *words)
{
    if (names_extra_mlp(words, NULL))
        return NULL;
    size_t best = 0;
    const char *op = NULL;
    for (size_t d = 0; d < sizeof dims_table / sizeof dims_table[0]; d++) {
        size_t l = keyword_len(words, dims_table[d].keywords);
        if (l > best)
            best = l, op = dims_table[d].op;
    }
    return op;
}
