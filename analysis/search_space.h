/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The space of a plan search (analysis/search.h): its knobs' values, the
 * rules that remove plans before any evaluation (divisibility, redundant,
 * fixed) with their counts, and the blocks of candidates left, numbered.
 * Internal to analysis/search*.c. */
#ifndef ROOF_ANALYSIS_SEARCH_SPACE_H
#define ROOF_ANALYSIS_SEARCH_SPACE_H

#include "analysis/search.h"

#define ROOF_SEARCH_MAXD 2048

/* Candidates sharing tp, cp, pp, dp, ep, microbatches and sp. */
typedef struct roof_search_block {
    roof_plan_choice c;
    int64_t first; /* the number of its first candidate */
    int64_t n;     /* its candidates */
} roof_search_block;

typedef struct roof_search_space {
    const roof_scenario *base;
    const roof_search_opts *o;
    int training, moe;
    int64_t vp[ROOF_SEARCH_MAXD], nvp;   /* divisors of the layers (training), else {1} */
    int64_t etp[ROOF_SEARCH_MAXD], netp; /* divisors of the GPU count (MoE), else {0} */
    int64_t noffload;                    /* offload values: 2 (none, optimizer) with a host link, else 1 */
    int64_t nprefill;                    /* serving with --disagg: prefill replicas 1..gpus-1; else 1 (0) */
    int64_t inner; /* values of the block-inner knobs: (nvp * 24 * noffload, or the serving grids, or 1) * netp */
    roof_search_block *blocks;
    int64_t nblocks;
    roof_search_counts counts; /* space, candidates, removed by the first three rules */
} roof_search_space;

/* Builds the space (blocks allocated; roof_search_space_free). */
int roof_search_space_make(const roof_scenario *base, const roof_search_opts *o, roof_search_space *sp,
                           roof_error *err);
void roof_search_space_free(roof_search_space *sp);

/* The candidates of block b in their numbered order into out (room for
 * sp->inner); with removed, adds the plans the first three rules remove
 * there. Returns their count. */
int64_t roof_search_block_list(const roof_search_space *sp, const roof_plan_choice *b, roof_plan_choice *out,
                               int64_t *removed);

#endif
