/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One training step: forward and backward op lists per microbatch, the
 * pipeline schedule (1F1B or interleaved), data-parallel gradient
 * communication (ZeRO 0-3), the optimizer step, the metrics (step time,
 * tokens/s, MFU, HFU, time and cost to train) and memory per GPU.
 */
#ifndef ROOF_MODEL_TRAINING_H
#define ROOF_MODEL_TRAINING_H

#include "model/evaluate.h"

/* Fills r->training, r->memory and r->totals from s (r->plan made, phase
 * TRAINING); the inference metrics are NaN. */
int roof_training_evaluate(const roof_scenario *s, roof_result *r, roof_error *err);

/* The profile a training step's ops are timed on: hw, or a copy in *out
 * whose sustained fraction is hw.efficiency.sustained times
 * hw.efficiency.training (roof_ops_hw then derates it once), where the
 * training fraction is set. */
const roof_hw *roof_training_hw(const roof_hw *hw, roof_hw *out);

/* Everything after the op lists (r->training.fwd and bwd, built for s):
 * the schedule, memory, data-parallel communication, the optimizer and
 * the metrics. roof_training_evaluate is the op lists and this. */
int roof_training_step(const roof_scenario *s, roof_result *r, roof_error *err);

/* Idle fraction of a pipeline of pp equal stages with m microbatches and vp
 * virtual stages per GPU: (pp-1) / (vp*m + pp-1) (Narayanan et al. 2021,
 * Sec. 2.2: bubble time (pp-1)/vp microbatch times against m). */
double roof_training_bubble(double pp, double m, double vp);

#endif
