/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the inference (evaluate.c) and training (training.c)
 * compositions: stage times, work totals and parameters per stage. */
#ifndef ROOF_MODEL_COMPOSE_H
#define ROOF_MODEL_COMPOSE_H

#include "model/evaluate.h"

/* Layers of each kind on every stage and the stage's time for one
 * microbatch of ph->ops (already timed). */
void roof_compose_stages(const roof_scenario *s, const roof_plan *p, roof_phase_result *ph);

/* FLOPs and bytes of ph->ops over every rank, layer and microbatch. */
void roof_compose_work(const roof_scenario *s, const roof_plan *p, roof_phase_result *ph);

/* Parameters on one rank of stage i; *expert (optional) the routed experts'. */
double roof_compose_stage_params(const roof_scenario *s, const roof_plan *p, const roof_phase_result *ph, int64_t i,
                                 double *expert);

#endif
