/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/cost_out.h"

#include <math.h>
#include <stdio.h>

#include "model/cost.h"

int roof_cost_put_section(const roof_cli *cli, roof_out *out, const roof_hw *hw, double gpus, double tokens_per_s,
                          roof_error *err)
{
    if (!(tokens_per_s > 0.0) || !isfinite(tokens_per_s))
        return ROOF_OK;
    roof_cost_result c;
    int rc = roof_cost_eval(hw, gpus, tokens_per_s, &c, err);
    if (rc != ROOF_OK)
        return rc;
    int table = cli->format == ROOF_FMT_TABLE;
    roof_out_section(out, "cost", ROOF_OUT_RECORD, "Cost: owned against rented (prices are yours to set: hw.cost.*)");
    roof_out_num(out, "load_watts", "W", c.load_watts);
    roof_out_num(out, "tokens_per_s_per_mw", "tok/s", c.tokens_per_s_per_mw);
    roof_out_num(out, "rented_usd_per_gpu_hour", "USD", c.rented_usd_per_hour);
    roof_cli_put_mixed(out, "usd_per_mtok_rented", "USD", c.usd_per_mtok_rented, table);
    if (!c.owned) {
        roof_out_note(out, "owning is not priced: set hw.cost.gpu_usd (and hw.cost.server_usd) in the profile or "
                           "with --set");
        return ROOF_OK;
    }
    roof_out_num(out, "capital_usd_per_gpu", "USD", c.capital_usd);
    roof_out_num(out, "annuity_per_year", "", c.annuity);
    roof_out_num(out, "capital_usd_per_gpu_hour", "USD", c.capital_usd_per_hour);
    roof_out_num(out, "hosting_usd_per_gpu_hour", "USD", c.hosting_usd_per_hour);
    roof_out_num(out, "energy_usd_per_gpu_hour", "USD", c.energy_usd_per_hour);
    roof_out_num(out, "owned_usd_per_gpu_hour", "USD", c.owned_usd_per_hour);
    roof_out_num(out, "usd_per_mtok_owned", "USD", c.usd_per_mtok_owned);
    roof_cli_put_mixed(out, "break_even_utilisation", "", c.break_even_utilisation, table);
    if (isnan(c.break_even_utilisation))
        roof_out_note(out, "renting is cheaper than owning at any utilisation (break_even_utilisation empty)");
    return ROOF_OK;
}

void roof_cost_put_columns(const roof_cli *cli, roof_out *out, const roof_hw *hw, double gpus, double tokens_per_s)
{
    roof_cost_result c;
    roof_error err;
    int table = cli->format == ROOF_FMT_TABLE;
    int ok =
        tokens_per_s > 0.0 && isfinite(tokens_per_s) && roof_cost_eval(hw, gpus, tokens_per_s, &c, &err) == ROOF_OK;
    roof_cli_put_mixed(out, "usd_per_mtok_owned", "USD", ok ? c.usd_per_mtok_owned : NAN, table);
    roof_cli_put_mixed(out, "tokens_per_s_per_mw", "tok/s", ok ? c.tokens_per_s_per_mw : NAN, table);
    roof_cli_put_mixed(out, "break_even_utilisation", "", ok ? c.break_even_utilisation : NAN, table);
}
