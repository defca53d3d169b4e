/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Total cost of ownership against renting: what a token costs on GPUs one
 * owns (purchase amortised with interest, hosting, energy at load with the
 * facility's PUE) and on rented ones (price.usd_per_hour), the tokens a
 * megawatt of facility power yields, and the utilisation above which owning
 * is the cheaper. Inputs are the hw.cost.* settings (hw/hw_params.c gives
 * their defaults and sources); prices are the user's to set.
 */
#ifndef ROOF_MODEL_COST_H
#define ROOF_MODEL_COST_H

#include <stdint.h>

#include "core/error.h"
#include "hw/hw.h"

typedef struct roof_cost_result {
    int owned;                     /* hw.cost.gpu_usd is set: the owned figures below mean something */
    double capital_usd;            /* per GPU: its price and its share of the server */
    double annuity;                /* capital recovery factor per year, r / (1 - (1 + r)^-n) */
    double load_watts;             /* per GPU at load, server share included */
    double capital_usd_per_hour;   /* per GPU per hour of the year */
    double hosting_usd_per_hour;   /* per GPU per hour of the year */
    double energy_usd_per_hour;    /* per GPU per hour at load, PUE included */
    double owned_usd_per_hour;     /* per GPU per hour of paid work */
    double rented_usd_per_hour;    /* price.usd_per_hour */
    double usd_per_mtok_owned;     /* NaN when not owned */
    double usd_per_mtok_rented;    /* NaN when the rental price is 0 */
    double tokens_per_s_per_mw;    /* per MW of facility power (load x PUE) */
    double break_even_utilisation; /* owning is cheaper above it; NaN when renting is cheaper at any use */
} roof_cost_result;

/* The cost figures of a deployment of gpus GPUs making tokens_per_s. Errors
 * (ROOF_ERR_INPUT, naming the setting): gpus or tokens_per_s not positive
 * and finite, a server price without GPUs to share it. */
int roof_cost_eval(const roof_hw *hw, double gpus, double tokens_per_s, roof_cost_result *out, roof_error *err);

/* A config's own `cost` group (cost.gpu_usd, ... as the profile's, from
 * the file, or from text when it is not NULL), applied over the profile's
 * values: the deployment's prices win over the hardware's. Errors name the
 * config's file:line and setting. */
int roof_cost_config_apply(const char *file, const char *text, roof_hw *hw, roof_error *err);

#endif
