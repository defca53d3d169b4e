/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A training evaluation that reuses the op lists of the one before: for
 * searches, which time the forward and backward once per plan shape and
 * vary the settings that do not enter them. */
#ifndef ROOF_MODEL_TRAIN_REUSE_H
#define ROOF_MODEL_TRAIN_REUSE_H

#include "model/evaluate.h"

/* Re-evaluates r, a full evaluation of training scenario s (roof_evaluate)
 * after which only workload.zero, workload.dp_overlap or parallel.vp
 * changed: these enter the schedule, memory and data-parallel
 * communication (model/training.c), not the forward and backward op
 * lists, which r keeps. The plan is made again (vp has its own checks) and
 * the result checked, so the answer is roof_evaluate's. Whoever makes an op
 * list depend on those three settings must change this contract:
 * analysis/search_run.c relies on it, and the test cli_search_exhaustive
 * compares a search using it with one of full evaluations. */
int roof_training_reevaluate(const roof_scenario *s, roof_result *r, roof_error *err);

#endif
