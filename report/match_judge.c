/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Judging one matched Get_Time call (report/match.c matches them): its
 * shape against the op's, under the report's own plan, and each differing
 * dimension explained in the user's terms; and the test of two dimensions
 * being the same, which the matching uses too. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/check_private.h"

/* Two dimensions are the same: within 0.5% of b and half a unit. */
int roof_check_same(double a, double b)
{
    return fabs(a - b) <= 0.005 * fabs(b) + 0.5;
}

/* The findings on one call, against the report's plan. */
void roof_check_judge(roof_check *c, const roof_scenario *s, const roof_result *res, int i)
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
                       roof_check_dim(m, b1, sizeof b1), roof_check_dim(k, b2, sizeof b2),
                       roof_check_dim(nn, b3, sizeof b3), "column- then row-parallel");
        return;
    }
    int flattened = g->batch > 1.0 && roof_check_same(m, g->batch * g->m);
    if (cc->exact) {
        if (flattened)
            roof_check_add(
                c, ROOF_SEV_NOTE, call->line, "shape",
                "%s: a batched GEMM (%s matrices of [%s, %s] x [%s, %s]) written with its batch folded into m: "
                "the FLOPs are right, the bytes are not (each of the %s matrices is read once, not shared)",
                op->what, roof_check_dim(g->batch, b1, sizeof b1), roof_check_dim(g->m, b2, sizeof b2),
                roof_check_dim(g->k, b3, sizeof b3), roof_check_dim(g->k, b4, sizeof b4),
                roof_check_dim(g->n, b5, sizeof b5), roof_check_dim(g->batch, b6, sizeof b6));
        return;
    }
    if (cc->tied) {
        roof_check_add(
            c, ROOF_SEV_NOTE, call->line, "shape",
            "Get_Time(%s, %s, %s) fits %s and %s equally and no words or order decide: assumed %s, not judged",
            roof_check_dim(m, b1, sizeof b1), roof_check_dim(k, b2, sizeof b2), roof_check_dim(nn, b3, sizeof b3),
            op->name, cc->alt->name, op->name);
        return;
    }
    double P = c->plan_factor;
    /* The same work split another way: the report's plan, not a mistake. */
    if (fabs(cc->ratio / P - 1.0) < 0.03 && !roof_check_same(m, g->m) &&
        !(g->batch > 1.0 && roof_check_same(m, g->batch * g->m) && P == 1.0)) {
        cc->plan_ok = 1;
        return;
    }
    int per_head_m = cc->per_head;
    if (per_head_m && roof_check_same(k, g->k) && roof_check_same(nn, g->n)) {
        if (cc->count == 1.0)
            roof_check_add(
                c, ROOF_SEV_ERROR, call->line, "shape",
                "%s: the call is one head's (m = %s, one head's rows of every sequence); a GPU runs %lld heads: "
                "%s matrices x %s rows, folded, %s",
                op->what, roof_check_dim(m, b1, sizeof b1), (long long)res->plan.heads_r,
                roof_check_dim(g->batch, b2, sizeof b2), roof_check_dim(g->m, b3, sizeof b3),
                roof_check_dim(g->batch * g->m, b4, sizeof b4));
        else
            roof_check_add(c, ROOF_SEV_ERROR, call->line, "composition",
                           "%s per head counted %g times; a GPU runs %lld heads (heads/tp)", op->what, cc->count,
                           (long long)res->plan.heads_r);
        return;
    }
    /* An expert given all the tokens where the report never says how many
     * experts a token goes to: right only for top-k = all. */
    if (roof_check_is_expert(op) && !c->top_k_stated && roof_check_same(k, g->k) && roof_check_same(nn, g->n) &&
        m > g->m) {
        roof_check_add(
            c, ROOF_SEV_WARNING, call->line, "shape",
            "%s: every expert runs all %s tokens, right only if every token goes to every expert; the report "
            "does not say top-k; with the config's top-%lld, %s",
            op->what, roof_check_dim(m, b1, sizeof b1), (long long)s->model.top_k, roof_check_dim(g->m, b2, sizeof b2));
        return;
    }
    double gm = (flattened || (g->batch > 1.0 && !per_head_m)) ? g->batch * g->m : g->m;
    gm *= P;
    if (per_head_m)
        gm = m; /* m is right for one head; the count is the call's multiplier */
    if (fabs(log(cc->ratio)) > 8.0 && !strstr(cc->why, "words")) {
        roof_check_add(c, ROOF_SEV_WARNING, call->line, "shape",
                       "Get_Time(%s, %s, %s) matches no op of the deployment (nearest: %s, (%s, %s, %s))",
                       roof_check_dim(m, b1, sizeof b1), roof_check_dim(k, b2, sizeof b2),
                       roof_check_dim(nn, b3, sizeof b3), op->what, roof_check_dim(gm, b4, sizeof b4),
                       roof_check_dim(g->k, b5, sizeof b5), roof_check_dim(g->n, b6, sizeof b6));
        return;
    }
    const roof_check_op_dims *d = roof_check_dims_of(op->name);
    char flat_m[160];
    snprintf(flat_m, sizeof flat_m, "%s matrices x %s rows (%s), folded", roof_check_dim(g->batch, b1, sizeof b1),
             roof_check_dim(g->m, b7, sizeof b7), d ? d->m : "m");
    char msg[480];
    int used = snprintf(msg, sizeof msg, "%s", op->what);
    const char *names[] = {"m", "k", "n"};
    int folded_m = g->batch > 1.0 && !per_head_m;
    const char *why[] = {folded_m ? flat_m : d ? d->m : "", d ? d->k : "", d ? d->n : ""};
    double want[] = {gm, g->k, g->n}, got[] = {m, k, nn};
    int sep = ':';
    for (int a = 0; a < 3 && used > 0 && (size_t)used < sizeof msg; a++) {
        if (roof_check_same(got[a], want[a]))
            continue;
        used += snprintf(msg + used, sizeof msg - (size_t)used, "%c %s is %s, %s; the report has %s", sep, names[a],
                         why[a], roof_check_dim(want[a], b3, sizeof b3), roof_check_dim(got[a], b4, sizeof b4));
        sep = ';';
    }
    roof_check_add(c, ROOF_SEV_ERROR, call->line, "shape", "%s", msg);
}
