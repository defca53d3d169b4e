/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checking a report (report/check.h): each call timed, each total formula
 * evaluated and its composition judged against the model's critical path;
 * the matching of calls to ops (report/match.c), the prose
 * (report/check_prose.c) and the claims (report/check_claims.c) run from
 * here. */
#include "report/check.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/count.h"
#include "report/check_private.h"

/* ---- totals ---------------------------------------------------------- */

typedef struct {
    const roof_check *c;
    const char *text;
    int misses;
    char first_miss[64];
} lookup_ctx;

static void norm_name(const char *s, size_t len, char *buf, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < size; i++) {
        char ch = s[i] == '_' ? ' ' : (char)tolower((unsigned char)s[i]);
        if (ch == ' ' && (o == 0 || buf[o - 1] == ' '))
            continue;
        buf[o++] = ch;
    }
    while (o > 0 && buf[o - 1] == ' ')
        o--;
    buf[o] = '\0';
}

/* A name in a formula may be an earlier formula ("16 x Layer_Runtime"). */
static double lookup(void *user, const char *name, size_t len, int *found)
{
    const lookup_ctx *lc = user;
    char want[96], have[96];
    norm_name(name, len, want, sizeof want);
    for (int i = lc->c->rep->nformulas - 1; i >= 0; i--) {
        const roof_report_formula *f = &lc->c->rep->formulas[i];
        norm_name(f->name, strlen(f->name), have, sizeof have);
        if (lc->c->formulas[i].parsed && strcmp(want, have) == 0) {
            *found = 1;
            return lc->c->formulas[i].value_s;
        }
    }
    *found = 0;
    lookup_ctx *m = user;
    if (!m->misses++) {
        size_t l = len < sizeof m->first_miss - 1 ? len : sizeof m->first_miss - 1;
        memcpy(m->first_miss, name, l);
        m->first_miss[l] = '\0';
    }
    return 0.0;
}

/* What communication a formula names: 2 for a collective (all-reduce,
 * all-to-all), 1 for other communication (pipeline sends, "overhead"), 0
 * for none. */
static int mentions_comm(const char *s, size_t a, size_t b)
{
    static const char *const collective[] = {
        "all-reduce", "allreduce",  "all_reduce", "all reduce",     "all-to-all", "alltoall", "all_to_all",
        "all to all", "all-gather", "allgather",  "reduce-scatter", "collective", "nccl",     "tensor parallel comm"};
    static const char *const other[] = {"communication", "comm",    "send",    "recv",    "transfer",
                                        "overhead",      "latency", "network", "pipeline"};
    char lo[4096];
    size_t n = 0;
    for (size_t i = a; i < b && n < sizeof lo - 1; i++)
        lo[n++] = (char)tolower((unsigned char)s[i]);
    lo[n] = '\0';
    for (size_t w = 0; w < sizeof collective / sizeof collective[0]; w++)
        if (strstr(lo, collective[w]))
            return 2;
    for (size_t w = 0; w < sizeof other / sizeof other[0]; w++)
        if (strstr(lo, other[w]))
            return 1;
    return 0;
}

/* The model's critical path, for the totals: one microbatch through every
 * stage of the workload's phase, its time and GEMM/attention FLOPs. */
static void model_path(roof_check *c, const roof_scenario *s, const roof_result *res, double *comm_s, double *coll_s,
                       char *comm_names, size_t size)
{
    const roof_phase_result *ph = res->phase == ROOF_PHASE_DECODE ? &res->decode : &res->prefill;
    int64_t L = res->plan.layers_per_stage;
    double flops = 0.0, comm = 0.0, coll = 0.0;
    comm_names[0] = '\0';
    for (int64_t st = 0; st < ph->stages; st++) {
        double moe = (double)ph->stage_moe_layers[st], dense = (double)L - moe;
        const roof_op_list *lists[] = {&ph->ops.dense, &ph->ops.moe, &ph->ops.first, &ph->ops.last};
        double reps[] = {dense, moe, st == 0 ? 1.0 : 0.0, st == ph->stages - 1 ? 1.0 : 0.0};
        for (int l = 0; l < 4; l++)
            for (int i = 0; i < lists[l]->n; i++) {
                const roof_op *o = &lists[l]->ops[i];
                if (o->kind == ROOF_OP_GEMM || o->kind == ROOF_OP_FUSED)
                    flops += reps[l] * o->flops;
                if (o->kind == ROOF_OP_COMM && reps[l] > 0.0) {
                    comm += reps[l] * o->time_s;
                    if (o->comm.op != ROOF_COLL_SEND_RECV)
                        coll += reps[l] * o->time_s;
                    if (!strstr(comm_names, o->name) && strlen(comm_names) + strlen(o->name) + 3 < size) {
                        if (comm_names[0])
                            strcat(comm_names, ", ");
                        strcat(comm_names, o->name);
                    }
                }
            }
    }
    comm += (double)(ph->stages - 1) * ph->send_time_s;
    if (ph->stages > 1 && strlen(comm_names) + 10 < size)
        strcat(comm_names, comm_names[0] ? ", pp_send" : "pp_send");
    c->model_time_s = ph->sum_stage_s + (double)(ph->stages - 1) * ph->send_time_s;
    c->model_path_flops = flops;
    *comm_s = comm;
    *coll_s = coll;
    (void)s;
}

static int near(double x, double target)
{
    return target > 1.0 && x > 0.7 * target && x < 1.3 * target;
}

/* Formula fi is a building block of a later formula ("Total = 80 x
 * Layer_Time"): its FLOPs are a layer's, not the critical path's. */
static int used_later(const roof_check *c, int fi)
{
    const roof_report *rep = c->rep;
    char want[96], have[4096];
    norm_name(rep->formulas[fi].name, strlen(rep->formulas[fi].name), want, sizeof want);
    if (!want[0])
        return 0;
    for (int j = fi + 1; j < rep->nformulas; j++) {
        const roof_report_formula *g = &rep->formulas[j];
        if (!roof_check_in_ranges(c, g->line) || g->end <= g->start)
            continue;
        size_t len = g->end - g->start;
        norm_name(rep->text + g->start, len < 4000 ? len : 4000, have, sizeof have);
        if (strstr(have, want))
            return 1;
    }
    return 0;
}

/* The structure of a formula against the op list: the count of each term
 * relative to the formula's own layer count (the smallest count of its
 * layer ops), the Q/K/V projections three times a layer, the ops of a
 * layer it leaves out while the report gives them elsewhere, and the
 * number of experts one GPU runs. */
typedef struct {
    const char *name;
    int line, first_call, ncalls;
    size_t start, end;
} term_span;

static void formula_structure(roof_check *c, const roof_scenario *s, const roof_result *res, const term_span *f,
                              const double *coef, const int *in_max, int n)
{
    const roof_report *rep = c->rep;
    double lf = INFINITY, qkv = 0.0;
    int fused_qkv = 0, nops = 0, first_q = -1;
    const char *names[64];
    int moe_votes = 0, dense_votes = 0;
    for (int k = 0; k < n; k++) {
        int ci = f->first_call + k;
        const roof_checked_call *cc = &c->calls[ci];
        if (!cc->match)
            continue;
        double ck = in_max[k] ? 1.0 : coef[k];
        const char *nm = cc->match->name;
        if (!strncmp(nm, "expert", 6) || !strcmp(nm, "router"))
            moe_votes++;
        else
            dense_votes += !strcmp(nm, "up_proj") || !strcmp(nm, "down_proj") || !strcmp(nm, "gate_proj");
        int seen = 0;
        for (int j = 0; j < nops; j++)
            seen |= strcmp(names[j], nm) == 0;
        if (!seen && nops < 64)
            names[nops++] = nm;
        if (ck > 0.0 && strncmp(nm, "expert", 6) != 0 && rep->calls[ci].ok)
            lf = ck < lf ? ck : lf;
        if (!strcmp(nm, "q_proj") || !strcmp(nm, "k_proj") || !strcmp(nm, "v_proj")) {
            qkv += ck;
            if (first_q < 0)
                first_q = ci;
        }
        fused_qkv |= !strcmp(nm, "qkv_fused");
    }
    if (nops < 3 || !isfinite(lf))
        return;
    /* Q, K and V: three projections a layer (or one fused call). */
    if (!fused_qkv && first_q >= 0 && qkv > 0.0 && qkv < 3.0 * lf * 0.99)
        roof_check_add(
            c, ROOF_SEV_ERROR, rep->calls[first_q].line, "composition",
            "'%s' counts the Q/K/V projections %g time(s) against %g for its other layer ops: each layer runs "
            "three (Q, K and V), %g in all",
            f->name, qkv, lf, 3.0 * lf);
    /* The ops of a layer left out. */
    const roof_phase_result *ph = res->phase == ROOF_PHASE_DECODE ? &res->decode : &res->prefill;
    const roof_op_list *list = moe_votes > 0 || (dense_votes == 0 && res->plan.moe) ? &ph->ops.moe : &ph->ops.dense;
    if (list->n == 0)
        list = &ph->ops.dense;
    double total = 0.0;
    for (int i = 0; i < list->n; i++)
        if (list->ops[i].kind == ROOF_OP_GEMM)
            total += list->ops[i].flops;
    char missing[256] = "", given[64] = "";
    char ftext[4096];
    size_t fl = f->end - f->start < sizeof ftext - 1 ? f->end - f->start : sizeof ftext - 1;
    memcpy(ftext, rep->text + f->start, fl);
    ftext[fl] = '\0';
    for (int i = 0; i < list->n; i++) {
        const roof_op *op = &list->ops[i];
        if (op->kind != ROOF_OP_GEMM || op->flops < 0.05 * total)
            continue;
        int present = 0;
        for (int j = 0; j < nops && !present; j++) {
            present = !strcmp(names[j], op->name) || roof_check_fused_covers(names[j], op->name);
            /* an op of the same shape (K and V, gate and up) counted by a multiplier */
            for (int o = 0; o < list->n && !present; o++)
                if (!strcmp(list->ops[o].name, names[j]) && list->ops[o].kind == ROOF_OP_GEMM &&
                    list->ops[o].gemm.m == op->gemm.m && list->ops[o].gemm.k == op->gemm.k &&
                    list->ops[o].gemm.n == op->gemm.n && list->ops[o].gemm.batch == op->gemm.batch)
                    present = 1;
        }
        if (present || roof_check_words_name(ftext, op->name))
            continue;
        int line = 0;
        if (!roof_check_op_given(c, op->name, f->first_call, f->first_call + f->ncalls, &line))
            continue; /* the report never gives it: its own model, judged elsewhere */
        if (strlen(missing) + strlen(op->name) + 3 < sizeof missing) {
            if (missing[0])
                strcat(missing, ", ");
            strcat(missing, op->name);
        }
        if (!given[0])
            snprintf(given, sizeof given, "%d", line);
    }
    if (missing[0])
        roof_check_add(c, ROOF_SEV_ERROR, f->line, "composition",
                       "'%s' leaves out %s, which each layer runs (the report gives it at line %s)", f->name, missing,
                       given);
    /* Experts on one GPU: the expert calls' counts over the expert GEMMs of
     * a layer (up and down of one shape may be one call counted twice). */
    double ex = 0.0;
    int ex_line = 0;
    for (int k = 0; k < n; k++) {
        const roof_checked_call *cc = &c->calls[f->first_call + k];
        if (!cc->match || strncmp(cc->match->name, "expert", 6) != 0)
            continue;
        ex += in_max[k] ? 1.0 : coef[k];
        if (!ex_line)
            ex_line = rep->calls[f->first_call + k].line;
    }
    int ex_ops = 0;
    for (int i = 0; i < list->n; i++)
        ex_ops += list->ops[i].kind == ROOF_OP_GEMM && !strncmp(list->ops[i].name, "expert", 6) &&
                  strcmp(list->ops[i].name, "expert_act") != 0;
    if (ex > 0.0 && ex_ops > 0) {
        double per_layer = ex / lf / (double)ex_ops;
        double local = (double)res->plan.local_experts;
        double slices = (double)s->model.experts / (double)res->plan.stage_ranks;
        if (per_layer > 1.5 && fabs(per_layer - local) > 0.01 && fabs(per_layer - slices) > 0.01)
            roof_check_add(
                c, ROOF_SEV_ERROR, ex_line, "composition",
                "'%s' counts %g experts a layer on one GPU (%g expert GEMMs against %g for its other layer ops, "
                "%d GEMMs an expert): the plan puts %g expert(s) on a GPU (%lld experts, ep %lld)%s",
                f->name, per_layer, ex, lf, ex_ops, local, (long long)s->model.experts, (long long)s->parallel.ep,
                slices >= 1.0 && fabs(slices - local) > 0.01 ? ", or a share of them split over the stage's GPUs" : "");
    }
}

/* A formula named for one layer (Layer_Time) before a later total
 * (Total, Stage_Time, ..._Runtime): a building block by its name. */
static int layer_block(const roof_check *c, int fi)
{
    const roof_report *rep = c->rep;
    char nm[96];
    norm_name(rep->formulas[fi].name, strlen(rep->formulas[fi].name), nm, sizeof nm);
    if (!strstr(nm, "layer") || strstr(nm, "layers"))
        return 0;
    for (int j = fi + 1; j < rep->nformulas; j++) {
        char other[96];
        norm_name(rep->formulas[j].name, strlen(rep->formulas[j].name), other, sizeof other);
        if (roof_check_in_ranges(c, rep->formulas[j].line) &&
            (strstr(other, "total") || strstr(other, "stage") || strstr(other, "runtime") || strstr(other, "path")))
            return 1;
    }
    return 0;
}

static void check_formula(roof_check *c, const roof_scenario *s, const roof_result *res, int fi, const double *times,
                          double comm_s, double coll_s, const char *comm_names)
{
    const roof_report *rep = c->rep;
    const roof_report_formula *f = &rep->formulas[fi];
    roof_checked_formula *cf = &c->formulas[fi];
    roof_expr *e = &c->expr;
    roof_gt_span *spans = c->spans;
    int n = 0;
    for (int k = f->first_call; k >= 0 && k < f->first_call + f->ncalls && n < ROOF_EXPR_MAX_CALLS; k++) {
        spans[n] = rep->calls[k].span;
        spans[n].start -= f->start;
        spans[n].end -= f->start;
        n++;
    }
    roof_error err;
    const char *text = rep->text + f->start;
    if (roof_expr_parse(text, f->end - f->start, spans, n, 0, e, &err) != ROOF_OK) {
        roof_check_add(c, ROOF_SEV_WARNING, f->line, "total", "cannot read the formula '%s': %s", f->name, err.msg);
        return;
    }
    double *coef = c->coef;
    int *in_max = c->in_max;
    lookup_ctx lc = {c, rep->text, 0, ""};
    cf->value_s = roof_expr_eval(e, text, times, coef, in_max, n, lookup, &lc);
    cf->parsed = 1;
    cf->has_max = e->has_max;
    double flops = 0.0, sum_in_max = 0.0, max_in_max = 0.0;
    int nmax = 0, words = 0;
    for (int k = 0; k < n; k++) {
        const roof_checked_call *cc = &c->calls[f->first_call + k];
        if (rep->calls[f->first_call + k].ok)
            flops += coef[k] * cc->t.flops;
        else
            words++;
        if (in_max[k]) {
            nmax++;
            sum_in_max += times[k];
            if (times[k] > max_in_max)
                max_in_max = times[k];
        }
    }
    cf->flops = flops;
    char b1[32], b2[32], b3[32];
    if (lc.misses)
        roof_check_add(c, ROOF_SEV_NOTE, f->line, "total",
                       "'%s' evaluates to %s on this hardware, its %d unquantified term(s) ('%s'...) counted as 0",
                       f->name, roof_check_ms(cf->value_s, b1, sizeof b1), lc.misses, lc.first_miss);
    else
        roof_check_add(c, ROOF_SEV_NOTE, f->line, "total", "'%s' evaluates to %s on this hardware", f->name,
                       roof_check_ms(cf->value_s, b1, sizeof b1));

    if (e->has_max && nmax >= 2) {
        /* The ops of a layer run one after another on each GPU (Megatron-LM:
         * every GPU of the tensor-parallel group runs each op on its slice). */
        if (res)
            roof_check_add(
                c, ROOF_SEV_ERROR, f->line, "composition",
                "'%s' takes max() over %d GEMMs that run in sequence on each GPU: a layer's time is their sum "
                "(%s), not the largest (%s)",
                f->name, nmax, roof_check_ms(sum_in_max, b1, sizeof b1), roof_check_ms(max_in_max, b2, sizeof b2));
        else
            roof_check_add(
                c, ROOF_SEV_WARNING, f->line, "composition",
                "'%s' takes max() over %d GEMMs: if they run on one GPU, one after another, the time is their sum "
                "(%s), not the largest (%s)",
                f->name, nmax, roof_check_ms(sum_in_max, b1, sizeof b1), roof_check_ms(max_in_max, b2, sizeof b2));
    }
    if (!res || n == 0)
        return;
    term_span ts = {f->name, f->line, f->first_call, f->ncalls, f->start, f->end};
    formula_structure(c, s, res, &ts, coef, in_max, n);
    int named = mentions_comm(rep->text, f->start, f->end);
    if (named == 0 && comm_s > 0.02 * c->model_time_s)
        roof_check_add(c, ROOF_SEV_WARNING, f->line, "composition",
                       "'%s' has no communication term: on the critical path %s take %s (%.0f%% of %s)", f->name,
                       comm_names, roof_check_ms(comm_s, b1, sizeof b1), 100.0 * comm_s / c->model_time_s,
                       roof_check_ms(c->model_time_s, b2, sizeof b2));
    else if (named == 1 && coll_s > 0.02 * c->model_time_s)
        roof_check_add(
            c, ROOF_SEV_WARNING, f->line, "composition",
            "'%s' names no collective: its communication term stands for pipeline sends or overhead, but the "
            "collectives on the critical path (%s) take %s (%.0f%% of %s)",
            f->name, comm_names, roof_check_ms(coll_s, b1, sizeof b1), 100.0 * coll_s / c->model_time_s,
            roof_check_ms(c->model_time_s, b2, sizeof b2));
    if (e->has_max || flops <= 0.0 || f->ncalls < 2 || used_later(c, fi) || layer_block(c, fi))
        return;
    double ratio = c->model_path_flops / flops;
    double layers = (double)s->model.layers, per_stage = (double)res->plan.layers_per_stage;
    if (ratio > 1.5) {
        if (near(ratio, layers) || near(ratio, per_stage) || near(ratio, layers / 2.0))
            roof_check_add(
                c, ROOF_SEV_ERROR, f->line, "composition",
                "'%s' misses a layer multiplier: it counts the GEMMs of about %.3g layer(s); the critical path runs "
                "%lld layers (%lld per stage x %lld stages): %s of GEMM FLOPs against %s",
                f->name, layers / ratio, (long long)s->model.layers, (long long)res->plan.layers_per_stage,
                (long long)s->parallel.pp, (snprintf(b1, sizeof b1, "%.3g", flops), b1),
                (snprintf(b3, sizeof b3, "%.3g", c->model_path_flops), b3));
        else
            roof_check_add(
                c, ROOF_SEV_WARNING, f->line, "composition",
                "'%s' counts %.3gx fewer GEMM FLOPs than the critical path one GPU runs (%.3g against %.3g)%s", f->name,
                ratio, flops, c->model_path_flops,
                words ? "; some of its calls have words for dimensions and count as 0" : "");
    } else if (ratio < 1.0 / 1.5) {
        double over = 1.0 / ratio;
        double groups[] = {
            (double)s->parallel.tp,        (double)s->parallel.ep, (double)(s->parallel.dp * s->parallel.cp),
            (double)res->plan.stage_ranks, (double)res->plan.gpus, (double)s->parallel.pp};
        const char *gnames[] = {"tensor-parallel", "expert-parallel", "data/context-parallel",
                                "stage",           "whole",           "pipeline"};
        int hit = -1;
        for (int g = 0; g < 6 && hit < 0; g++)
            if (groups[g] > 1.0 && near(over, groups[g]))
                hit = g;
        if (hit >= 0)
            roof_check_add(
                c, ROOF_SEV_ERROR, f->line, "composition",
                "'%s' sums work that runs in parallel: it counts %.3gx the GEMM FLOPs one GPU runs on the critical "
                "path, about the %.0f GPUs of the %s group, which work at the same time",
                f->name, over, groups[hit], gnames[hit]);
        else
            roof_check_add(
                c, ROOF_SEV_WARNING, f->line, "composition",
                "'%s' counts %.3gx the GEMM FLOPs one GPU runs on the critical path (%.3g against %.3g): repeated or "
                "parallel work is counted",
                f->name, over, flops, c->model_path_flops);
    }
}

/* ---- the run --------------------------------------------------------- */

int roof_check_set_lines(roof_check *c, const char *spec, roof_error *err)
{
    c->nranges = 0;
    const char *p = spec;
    while (*p) {
        char *end;
        long a = strtol(p, &end, 10), b = a;
        if (end == p || a < 1)
            return roof_error_set(err, ROOF_ERR_USAGE, "--lines", "expected FROM-TO[,FROM-TO...] (got '%s')", spec);
        p = end;
        if (*p == '-') {
            b = strtol(p + 1, &end, 10);
            if (end == p + 1 || b < a)
                return roof_error_set(err, ROOF_ERR_USAGE, "--lines", "expected FROM-TO[,FROM-TO...] (got '%s')", spec);
            p = end;
        }
        if (c->nranges >= 16)
            return roof_error_set(err, ROOF_ERR_USAGE, "--lines", "at most 16 ranges");
        c->range_from[c->nranges] = (int)a;
        c->range_to[c->nranges++] = (int)(b > 1000000000 ? 1000000000 : b);
        if (*p == ',')
            p++;
        else if (*p)
            return roof_error_set(err, ROOF_ERR_USAGE, "--lines", "expected FROM-TO[,FROM-TO...] (got '%s')", spec);
    }
    return ROOF_OK;
}

int roof_check_run(const roof_report *rep, const roof_hw *hw, roof_dtype dtype, const roof_scenario *s,
                   const roof_result *res, roof_check *c, roof_error *err)
{
    /* Keep what the caller set up: the config's claims and the line ranges. */
    int nclaims_cfg = c->nconfig_claims, nranges = c->nranges;
    roof_report_claim saved[16];
    int from[16], to[16];
    memcpy(saved, c->config_claims, sizeof saved);
    memcpy(from, c->range_from, sizeof from);
    memcpy(to, c->range_to, sizeof to);
    memset(c, 0, sizeof *c);
    memcpy(c->config_claims, saved, sizeof saved);
    memcpy(c->range_from, from, sizeof from);
    memcpy(c->range_to, to, sizeof to);
    c->nconfig_claims = nclaims_cfg;
    c->nranges = nranges;
    c->rep = rep;
    c->with_model = s && res;
    (void)err;

    if (rep->binary)
        roof_check_add(c, ROOF_SEV_WARNING, 0, "extract",
                       "the file has NUL bytes: it does not look like a text report");
    if (rep->ncalls == 0)
        roof_check_add(c, ROOF_SEV_NOTE, 0, "extract", "no Get_Time(m, k, n) calls found");
    if (rep->dropped_calls)
        roof_check_add(c, ROOF_SEV_WARNING, 0, "extract", "%d Get_Time calls beyond the first %d were not checked",
                       rep->dropped_calls, ROOF_REPORT_MAX_CALLS);

    double *times = c->times;
    for (int i = 0; i < rep->ncalls; i++) {
        const roof_report_call *call = &rep->calls[i];
        times[i] = 0.0;
        if (!roof_check_in_ranges(c, call->line))
            continue;
        if (!call->ok) {
            roof_check_add(c, call->problem[0] == 'a' ? ROOF_SEV_NOTE : ROOF_SEV_WARNING, call->line, "extract",
                           "%s: %s", call->text, call->problem);
            continue;
        }
        roof_gemm g = {1.0, call->args.v[0], call->args.v[1], call->args.v[2], dtype, 0, 0.0};
        roof_error gerr;
        if (roof_gemm_time_of(hw, &g, 0, &c->calls[i].t, &gerr) != ROOF_OK) {
            roof_check_add(c, ROOF_SEV_WARNING, call->line, "extract", "%s: %s", call->text, gerr.msg);
            continue;
        }
        times[i] = c->calls[i].t.time_s;
    }
    if (c->with_model)
        roof_check_match_calls(c, s, res);

    double comm_s = 0.0, coll_s = 0.0;
    char comm_names[256] = "";
    if (c->with_model) {
        model_path(c, s, res, &comm_s, &coll_s, comm_names, sizeof comm_names);
        roof_param_count pc;
        roof_count_params(s, &res->plan, &pc);
        c->params_total = pc.total;
        c->params_active = pc.active;
    }
    for (int fi = 0; fi < rep->nformulas; fi++) {
        double *ftimes = c->ftimes;
        const roof_report_formula *f = &rep->formulas[fi];
        if (!roof_check_in_ranges(c, f->line))
            continue;
        for (int k = 0; k < f->ncalls && k < ROOF_EXPR_MAX_CALLS; k++)
            ftimes[k] = times[f->first_call + k];
        check_formula(c, s, c->with_model ? res : NULL, fi, ftimes, comm_s, coll_s, comm_names);
    }
    if (c->with_model) {
        /* A sum on one line outside every formula ("- 2 x [3xGet_Time(...)
         * + ...]"): its structure too, each call counted by its own
         * multipliers. */
        for (int i = 0; i < rep->ncalls;) {
            int j = i;
            while (j < rep->ncalls && rep->calls[j].line == rep->calls[i].line)
                j++;
            int inside = 0;
            for (int fi = 0; fi < rep->nformulas && !inside; fi++)
                inside =
                    rep->calls[i].line >= rep->formulas[fi].line && rep->calls[i].line <= rep->formulas[fi].end_line;
            if (j - i >= 3 && !inside && roof_check_in_ranges(c, rep->calls[i].line) && j - i <= ROOF_EXPR_MAX_CALLS) {
                char name[48];
                snprintf(name, sizeof name, "the sum at line %d", rep->calls[i].line);
                for (int k = i; k < j; k++) {
                    c->coef[k - i] = rep->calls[k].mult_before * rep->calls[k].mult_after * rep->calls[k].mult_group;
                    c->in_max[k - i] = 0;
                }
                term_span ts = {name,  rep->calls[i].line,       i,
                                j - i, rep->calls[i].span.start, rep->calls[j - 1].span.end};
                formula_structure(c, s, res, &ts, c->coef, c->in_max, j - i);
            }
            i = j;
        }
        roof_check_prose(c, s, res);
        roof_check_claims(c, s, res);
    }
    return ROOF_OK;
}
