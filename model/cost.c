/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "model/cost.h"

#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/cfg.h"

/* Hours in a year of 365.25 days. */
#define HOURS_PER_YEAR 8766.0

/* NVIDIA DGX H100 datasheet: system power about 10.2 kW maximum for 8 H100
 * SXM of 700 W each, so a GPU draws 10200 / (8 x 700) = 1.82 times its own
 * TDP once the CPUs, memory, NICs, fans and power supply losses are
 * counted. Used for every profile that does not give cost.load_watts. */
#define SERVER_POWER_RATIO (10200.0 / (8.0 * 700.0))

/* The capital recovery factor: the constant yearly payment that repays 1
 * over n years at rate r, r / (1 - (1 + r)^-n); straight-line 1/n when r is
 * 0 (NREL, "Simple Levelized Cost of Energy (LCOE) Calculator
 * Documentation", CRF = i(1+i)^n / ((1+i)^n - 1), the same expression). */
static double annuity(double r, double n)
{
    if (r <= 0.0)
        return 1.0 / n;
    return r / (1.0 - pow(1.0 + r, -n));
}

int roof_cost_eval(const roof_hw *hw, double gpus, double tokens_per_s, roof_cost_result *out, roof_error *err)
{
    memset(out, 0, sizeof *out);
    if (!(gpus > 0.0) || !isfinite(gpus))
        return roof_error_set(err, ROOF_ERR_INPUT, "cost", "the GPU count must be positive (got %g)", gpus);
    if (!(tokens_per_s > 0.0) || !isfinite(tokens_per_s))
        return roof_error_set(err, ROOF_ERR_INPUT, "cost", "the token rate must be positive (got %g)", tokens_per_s);
    const double per_mtok = gpus / 3600.0 / tokens_per_s * 1e6; /* GPU-hours per million tokens */

    /* Power at load, not the TDP alone: the GPU's share of its server. */
    out->load_watts = hw->cost.load_watts > 0.0 ? hw->cost.load_watts : hw->power_watts * SERVER_POWER_RATIO;
    double pue = hw->cost.pue > 0.0 ? hw->cost.pue : 1.0;
    out->tokens_per_s_per_mw = tokens_per_s / (gpus * out->load_watts * pue / 1e6);

    out->rented_usd_per_hour = hw->price_usd_per_hour;
    out->usd_per_mtok_rented = hw->price_usd_per_hour > 0.0 ? hw->price_usd_per_hour * per_mtok : NAN;

    out->usd_per_mtok_owned = NAN;
    out->break_even_utilisation = NAN;
    if (!(hw->cost.gpu_usd > 0.0))
        return ROOF_OK;
    out->owned = 1;
    int64_t per_server = hw->cost.server_gpus > 0 ? hw->cost.server_gpus : hw->node.size;
    if (hw->cost.server_usd > 0.0 && per_server < 1)
        return roof_error_set(err, ROOF_ERR_INPUT, "hw.cost.server_gpus",
                              "a server price needs the GPUs that share it (got %lld)", (long long)per_server);
    if (!(hw->cost.years > 0.0))
        return roof_error_set(err, ROOF_ERR_INPUT, "hw.cost.years", "must be positive (got %g)", hw->cost.years);
    if (!(hw->cost.utilisation > 0.0) || hw->cost.utilisation > 1.0)
        return roof_error_set(err, ROOF_ERR_INPUT, "hw.cost.utilisation", "must be in (0, 1] (got %g)",
                              hw->cost.utilisation);
    out->capital_usd = hw->cost.gpu_usd + (hw->cost.server_usd > 0.0 ? hw->cost.server_usd / (double)per_server : 0.0);
    out->annuity = annuity(hw->cost.interest, hw->cost.years);
    out->capital_usd_per_hour = out->capital_usd * out->annuity / HOURS_PER_YEAR;
    /* Hosting is paid per kW of IT load whether or not the GPU works;
     * energy only while it works (idle draw left out). */
    out->hosting_usd_per_hour = out->load_watts / 1000.0 * hw->cost.hosting_usd_per_kw_month * 12.0 / HOURS_PER_YEAR;
    out->energy_usd_per_hour = out->load_watts / 1000.0 * pue * hw->cost.usd_per_kwh;
    double fixed = out->capital_usd_per_hour + out->hosting_usd_per_hour;
    double u = hw->cost.utilisation;
    out->owned_usd_per_hour = fixed / u + out->energy_usd_per_hour;
    out->usd_per_mtok_owned = out->owned_usd_per_hour * per_mtok;
    /* Owning costs fixed / u + energy per hour of work, renting R: equal at
     * u = fixed / (R - energy). Above 1, or with R at or below the energy
     * alone, renting is cheaper at any use. */
    double margin = hw->price_usd_per_hour - out->energy_usd_per_hour;
    if (margin > 0.0 && fixed / margin <= 1.0)
        out->break_even_utilisation = fixed / margin;
    return ROOF_OK;
}

int roof_cost_config_apply(const char *file, const char *text, roof_hw *hw, roof_error *err)
{
    config_t cfg;
    config_init(&cfg);
    int rc = roof_cfg_parse(&cfg, file, text, "config", err);
    for (size_t i = 0; i < roof_hw_params.count && rc == ROOF_OK; i++) {
        const roof_param *p = &roof_hw_params.params[i];
        const char *local = roof_param_local_path(&roof_hw_params, p);
        if (strncmp(local, "cost.", 5) != 0)
            continue;
        const config_setting_t *st = config_lookup(&cfg, local);
        double v;
        if (st && (rc = roof_cfg_read(file, st, p, local, &v, err)) == ROOF_OK)
            roof_param_put(p, hw, v);
    }
    config_destroy(&cfg);
    return rc;
}
