/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cost block of `estimate` and the cost columns of `compare`
 * (model/cost.c): owned against rented $/Mtok, tokens per MW, break-even
 * utilisation. */
#ifndef ROOF_CLI_COST_OUT_H
#define ROOF_CLI_COST_OUT_H

#include "cli/cli.h"
#include "cli/out.h"
#include "hw/hw.h"

/* A "cost" section after the metrics; nothing when the run made no
 * tokens (training, a phase left out). Returns ROOF_OK or the model's
 * error (a bad hw.cost.* value). */
int roof_cost_put_section(const roof_cli *cli, roof_out *out, const roof_hw *hw, double gpus, double tokens_per_s,
                          roof_error *err);

/* The columns of one compare row: usd_per_mtok_owned, tokens_per_mw,
 * break_even_utilisation (empty cells where they do not apply). */
void roof_cost_put_columns(const roof_cli *cli, roof_out *out, const roof_hw *hw, double gpus, double tokens_per_s);

#endif
