/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checking a report: each Get_Time call evaluated on the hardware; each
 * total formula evaluated; and, with a deployment config, each call matched
 * to the op it most likely means and compared, the totals checked for
 * composition mistakes (max() over ops that run in sequence, sums over work
 * that runs in parallel, a missing layer multiplier, missing
 * communication), and the report's numeric claims compared with the model.
 *
 * Findings carry a severity, the report's line and a message in the user's
 * terms. The caller owns the roof_check (large: allocate it); nothing inside
 * is allocated.
 */
#ifndef ROOF_REPORT_CHECK_H
#define ROOF_REPORT_CHECK_H

#include <stdio.h>

#include "hw/gemm.h"
#include "model/evaluate.h"
#include "report/extract.h"

#define ROOF_CHECK_MAX_FINDINGS 512

typedef enum { ROOF_SEV_NOTE, ROOF_SEV_WARNING, ROOF_SEV_ERROR } roof_severity;

typedef struct roof_finding {
    roof_severity severity;
    int line;
    char kind[24]; /* shape, composition, claim, extract, total */
    char message[480];
} roof_finding;

typedef struct roof_checked_call {
    roof_gemm_time t;     /* when the call is ok */
    const roof_op *match; /* the op it most likely means (with a config) */
    const char *match_phase;
    const char *match_layer;
    int exact; /* the shape is the op's */
    /* How the call was read, for findings and --explain. */
    int list_pos;       /* the op's place in its list (-1: a fused pair) */
    int tied;           /* two ops of different shapes fit equally */
    const roof_op *alt; /* the other op when tied */
    int per_head;       /* m is one head's rows: its count is the call's multiplier */
    double count;       /* the call's own multiplier (N x Get_Time, x N, N x (...)) */
    double ratio;       /* its FLOPs (all heads) over the op's FLOPs on one GPU */
    int plan_ok;        /* other shape, the op's FLOPs: another split of the same work */
    int extra_op;       /* names an op the model does not have */
    char label[128];    /* the words that name it */
    const char *own_op; /* the op its own words (or the lines above) name, if any */
    char why[384];      /* how it was matched (--explain) */
} roof_checked_call;

typedef struct roof_checked_formula {
    double value_s; /* the report's total on the hardware (unknown terms as 0) */
    double flops;   /* FLOPs it counts */
    int has_max;
    int parsed;
} roof_checked_formula;

typedef struct roof_check {
    const roof_report *rep;
    roof_checked_call calls[ROOF_REPORT_MAX_CALLS];
    roof_checked_formula formulas[ROOF_REPORT_MAX_FORMULAS];
    roof_finding findings[ROOF_CHECK_MAX_FINDINGS];
    int nfindings, dropped_findings;
    int errors, warnings, notes;
    int with_model;
    double model_time_s;     /* the phase's critical path (one microbatch through every stage) */
    double model_path_flops; /* GEMM and attention FLOPs along it, one rank */
    double params_total, params_active;
    roof_report_claim config_claims[16];
    int nconfig_claims;
    double plan_factor; /* the report's per-GPU work over the config's (1, or dp x cp when it runs all tokens) */
    int top_k_stated;   /* the report names top-k routing */
    roof_op fused[8];   /* fused forms of the ops (QKV, gate+up), matched like ops */
    const char *fused_layer[8];
    int nfused;
    int nranges; /* when > 0, only these lines are checked */
    int range_from[16], range_to[16];

    /* Work space, kept here so that nothing is allocated or static. */
    roof_expr expr;
    roof_gt_span spans[ROOF_EXPR_MAX_CALLS];
    double coef[ROOF_EXPR_MAX_CALLS], ftimes[ROOF_EXPR_MAX_CALLS];
    int in_max[ROOF_EXPR_MAX_CALLS];
    double times[ROOF_REPORT_MAX_CALLS];
} roof_check;

/* Reads the `claims` group of a deployment config (parameters,
 * tokens_per_s, tokens_per_s_per_gpu, ttft_s, memory_fraction) into
 * c->config_claims. Missing group: none. */
int roof_check_config_claims(const char *config_path, roof_check *c, roof_error *err);

/* Restricts the check to lines "FROM-TO[,FROM-TO...]" (a report comparing
 * two plans is checked once per plan, each against its own config). */
int roof_check_set_lines(roof_check *c, const char *spec, roof_error *err);

/* Runs the check. s and res may be NULL (no config: calls and totals only,
 * on hw). */
int roof_check_run(const roof_report *rep, const roof_hw *hw, roof_dtype dtype, const roof_scenario *s,
                   const roof_result *res, roof_check *c, roof_error *err);

const char *roof_severity_name(roof_severity s);

/* Writes how line `line_spec` (a line number) was read: each call on it
 * (the words that name it, the op matched and why, the plan assumed, the
 * numbers compared), each formula starting on it, and its findings. A bad
 * line number is a usage error (--explain). */
int roof_check_explain(const roof_check *c, const char *line_spec, FILE *f, roof_error *err);

#endif
