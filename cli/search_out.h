/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows of a plan search, shared by `search` (and its --merge) and
 * `compare`: the plan, the objective and every metric, in one column order,
 * so that shard outputs can be read back and merged. */
#ifndef ROOF_CLI_SEARCH_OUT_H
#define ROOF_CLI_SEARCH_OUT_H

#include "analysis/search.h"
#include "cli/out.h"

/* "tp 8, pp 1, dp 1, cp 1, ep 1, mb 1" into buf. */
void roof_plan_choice_text(const roof_plan_choice *c, char *buf, size_t size);

/* What a search searched, so that --merge can refuse shards of different
 * searches: its GPU count, and a fingerprint (16 hex digits) of every
 * parameter of the scenario but those the search sets (tp, pp, dp, cp,
 * ep, sp, microbatches), the objective and the constraints. */
typedef struct roof_search_ident {
    int64_t gpus;
    char scenario[20];     /* "" in a file written before the column existed */
    int64_t shard, shards; /* the split the rows came from (0 of 1: all) */
    int have_counts;       /* the file carries the counts (columns space ... feasible) */
    roof_search_counts counts;
} roof_search_ident;

struct roof_scenario;
void roof_search_fingerprint(const struct roof_scenario *s, const roof_search_opts *so, roof_search_ident *id);

/* One row per plan: rank, index, the plan, objective, objective_value,
 * objective_quantile (quantile[i], when quantile is not NULL: search
 * --quantile), every metric, and (not in the table form) the GPU count,
 * scenario, shard and the search's counts of id; the table form shows a
 * readable subset of the metrics. ivs (NULL: none) holds row i's
 * intervals (cli/interval_out.h): beside the number in the table,
 * metrics_interval.NAME.p10 and .p90 in json. */
struct roof_iv_set;
void roof_search_put_rows(roof_out *out, const roof_search_result *res, const roof_metric *objective,
                          const double *quantile, const struct roof_iv_set *ivs, const roof_search_ident *id,
                          roof_format fmt);

/* Reads the rows of a search's csv output (path) into res (best top), and
 * what the search searched into *id (every row must agree). */
int roof_search_read_csv(const char *path, size_t top, const roof_metric **objective, roof_search_result *res,
                         roof_search_ident *id, roof_error *err);

/* The counts of a search as a record's fields (the "search" section). */
void roof_search_put_counts(roof_out *out, const roof_search_counts *c);

#endif
