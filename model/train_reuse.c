/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "model/train_reuse.h"

#include "model/training.h"

int roof_training_reevaluate(const roof_scenario *s, roof_result *r, roof_error *err)
{
    int rc = roof_plan_make(s, &r->plan, err);
    if (rc == ROOF_OK)
        rc = roof_training_step(s, r, err);
    return rc == ROOF_OK ? roof_result_check(s, r, ROOF_EVAL_TRAINING, err) : rc;
}
