/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Matching a report's Get_Time calls to the deployment's ops: the op a
 * call most likely means, by its words (report/op_words.c), its shape and
 * its order, and the plan the report's calls imply; each match is then
 * judged (report/match_judge.c). Part of the checker (report/check.c). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/check_private.h"

/* ---- matching calls to ops ------------------------------------------- */

static double ldist(double a, double b)
{
    return fabs(log(a / b));
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
    if (!roof_check_same(x->gemm.m, y->gemm.m) || !roof_check_same(x->gemm.k, y->gemm.k) ||
        x->gemm.batch != y->gemm.batch)
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
    return roof_check_same(a->gemm.m, b->gemm.m) && roof_check_same(a->gemm.k, b->gemm.k) &&
           roof_check_same(a->gemm.n, b->gemm.n) && a->gemm.batch == b->gemm.batch;
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
    enum { ND = ROOF_CHECK_NOP_DIMS };
    const roof_check_op_dims *table = roof_check_op_dims_table;
    size_t dn[ND], da[ND], dr[ND];
    for (size_t d = 0; d < ND; d++) {
        dn[d] = label[0] ? roof_check_keyword_len(label, table[d].keywords) : 0;
        da[d] = above[0] ? roof_check_keyword_len(above, table[d].keywords) : 0;
        dr[d] = reused ? roof_check_keyword_len(reused, table[d].keywords) : 0;
    }
    size_t kwn[200], kwa[200], kwr[200];
    for (int j = 0; j < n; j++) {
        const roof_check_op_dims *d = roof_check_dims_of(cand[j].op->name);
        size_t di = d ? (size_t)(d - table) : 0;
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
        const roof_check_op_dims *d = roof_check_dims_of(cand[j].op->name);
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
        int exact = roof_check_same(m, g->m) && roof_check_same(k, g->k) && roof_check_same(nn, g->n);
        if (d && d->needs_words && kw == 0.0 && !exact)
            continue;
        double score = ldist(m, g->m) + ldist(k, g->k) + ldist(nn, g->n);
        int flat = 0;
        if (g->batch > 1.0) {
            /* A batched GEMM written with its batch folded into m. */
            double sf = ldist(m, g->batch * g->m) + ldist(k, g->k) + ldist(nn, g->n);
            int fe = roof_check_same(m, g->batch * g->m) && roof_check_same(k, g->k) && roof_check_same(nn, g->n);
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

/* Reads call i: label, candidates scored, the best kept in c->calls[i]. */
static void match_one(roof_check *c, const roof_result *res, int i, candidate *cand, int n)
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
            if (o == i || !c->calls[o].own_op || !roof_check_same(oc->args.v[0], m) ||
                !roof_check_same(oc->args.v[1], k) || !roof_check_same(oc->args.v[2], nn))
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
    cc->extra_op = roof_check_names_extra_mlp(cc->label);
    const roof_gemm *g = &b->op->gemm;
    double flops = 2.0 * m * k * nn;
    /* One head's rows per sequence: the call's multiplier counts heads. */
    if (is_attn(b->op) && res->plan.heads_r > 1) {
        double seqs = g->batch / (double)res->plan.heads_r;
        if (roof_check_same(m, seqs * g->m) && !roof_check_same(m, g->batch * g->m)) {
            cc->per_head = 1;
            double per_head_said =
                roof_check_lower_has(cc->label, "per head") || roof_check_lower_has(call->above, "per head");
            if (roof_check_same(cc->count, (double)res->plan.heads_r) || (cc->count == 1.0 && per_head_said))
                flops *= (double)res->plan.heads_r; /* all heads: counted or said to be per head */
            else
                flops *= cc->count;
            if ((roof_check_same(cc->count, (double)res->plan.heads_r) || (cc->count == 1.0 && per_head_said)) &&
                roof_check_same(k, g->k) && roof_check_same(nn, g->n))
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
             pk.flattened ? roof_check_dim(g->batch, b0, sizeof b0) : "", pk.flattened ? " x " : "",
             roof_check_dim(g->m, b1, sizeof b1), roof_check_dim(g->k, b2, sizeof b2),
             roof_check_dim(g->n, b3, sizeof b3), roof_check_dim(m, b4, sizeof b4), roof_check_dim(k, b5, sizeof b5),
             roof_check_dim(nn, b6, sizeof b6), flops, b->op->flops, cc->ratio,
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
    c->top_k_stated = roof_check_lower_has(rep->text, "top-k") || roof_check_lower_has(rep->text, "top_k") ||
                      roof_check_lower_has(rep->text, "topk") || roof_check_lower_has(rep->text, "top-1") ||
                      roof_check_lower_has(rep->text, "top-2") || roof_check_lower_has(rep->text, "top 2");
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
            match_one(c, res, i, cand, n);
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
        int expertish = roof_check_lower_has(cc->label, "expert") || roof_check_lower_has(call->above, "expert");
        for (int j = 0; j < n; j++) {
            const roof_gemm *g = &cand[j].op->gemm;
            const roof_check_op_dims *d = roof_check_dims_of(cand[j].op->name);
            if (roof_check_same(call->args.v[1], g->k) && roof_check_same(call->args.v[2], g->n) &&
                (wanted < 0 || roof_check_is_expert(cand[j].op))) {
                wanted = j;
                best_len = 1000; /* the shape says it */
                continue;
            }
            if (!d || best_len >= 1000 || ldist(call->args.v[1], g->k) + ldist(call->args.v[2], g->n) > 2.0 * log(16.0))
                continue;
            size_t l = roof_check_keyword_len(cc->label, d->keywords);
            if (!l)
                l = roof_check_keyword_len(call->above, d->keywords);
            if (l && expertish && roof_check_is_expert(cand[j].op))
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
        roof_check_judge(c, s, res, i);
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
                nplan, c->plan_factor, roof_check_dim(call->args.v[0], b1, sizeof b1),
                roof_check_dim(call->args.v[1], b2, sizeof b2), roof_check_dim(call->args.v[2], b3, sizeof b3),
                cc->match->name, c->plan_factor);
        else
            roof_check_add(
                c, ROOF_SEV_WARNING, first_line, "plan",
                "the report splits the work another way than the config (%d call(s) with the op's FLOPs on one "
                "GPU and other shapes, first Get_Time(%s, %s, %s) for %s, the config's (%s, %s, %s)): judged "
                "against the report's own split",
                nplan, roof_check_dim(call->args.v[0], b1, sizeof b1), roof_check_dim(call->args.v[1], b2, sizeof b2),
                roof_check_dim(call->args.v[2], b3, sizeof b3), cc->match->name,
                roof_check_dim(g->batch > 1.0 ? g->batch * g->m : g->m, b4, sizeof b4),
                roof_check_dim(g->k, b5, sizeof b5), roof_check_dim(g->n, b6, sizeof b6));
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
