/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The goodput objectives of `search` (analysis/search_goodput.h): their
 * settings from the command line and the config, and their rows. */
#ifndef ROOF_CLI_SEARCH_SERVE_H
#define ROOF_CLI_SEARCH_SERVE_H

#include "cli/cli.h"
#include "cli/search_out.h"

/* The scenario (the --set that are not serving settings), the config's
 * traffic and engine groups and the serving --set, the SLOs and the
 * knobs' grids into sv; so->serving = sv. */
int roof_search_serving_setup(roof_cli *cli, const char *config, const char *const *slo, int nslo, int disagg,
                              roof_search_opts *so, roof_search_serving *sv, roof_scenario *s, roof_error *err);

/* One row per configuration: the plan, the engine knobs, the goodput
 * (whole deployment, per GPU, per USD/hour), what bounds it and the
 * analytic means at it; the table form shows a readable subset. */
void roof_search_put_goodput_rows(roof_out *out, const roof_search_result *res, const roof_search_serving *sv,
                                  const roof_metric *objective, const roof_search_ident *id, int table);

/* The search record's serving fields: slos, disagg, the lengths. */
void roof_search_put_slos(roof_out *out, const roof_search_serving *sv);

#endif
