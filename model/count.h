/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parameter counts of a model, unsharded: what "a 70B model" means. */
#ifndef ROOF_MODEL_COUNT_H
#define ROOF_MODEL_COUNT_H

#include "model/model.h"
#include "model/plan.h"

typedef struct roof_param_count {
    double total;  /* every weight */
    double active; /* weights one token uses (top-k routed experts, not all) */
} roof_param_count;

void roof_count_params(const roof_scenario *s, const roof_plan *p, roof_param_count *out);

#endif
