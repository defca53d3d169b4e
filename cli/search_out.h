/* The rows of a plan search, shared by `search` (and its --merge) and
 * `compare`: the plan, the objective and every metric, in one column order,
 * so that shard outputs can be read back and merged. */
#ifndef ROOF_CLI_SEARCH_OUT_H
#define ROOF_CLI_SEARCH_OUT_H

#include "analysis/search.h"
#include "cli/out.h"

/* "tp 8, pp 1, dp 1, cp 1, ep 1, mb 1" into buf. */
void roof_plan_choice_text(const roof_plan_choice *c, char *buf, size_t size);

/* One row per plan: rank, index, the plan, objective, objective_value and
 * every metric (the table form: a readable subset). */
void roof_search_put_rows(roof_out *out, const roof_search_result *res, const roof_metric *objective, int table);

/* Reads the rows of a search's csv output (path) into res (best top). */
int roof_search_read_csv(const char *path, size_t top, const roof_metric **objective, roof_search_result *res,
                         roof_error *err);

#endif
