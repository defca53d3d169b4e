/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --explain for a training step: training.*, memory.* and totals.time_s
 * in words and numbers (the inputs are listed by explain.c). */
#ifndef ROOF_MODEL_EXPLAIN_TRAIN_H
#define ROOF_MODEL_EXPLAIN_TRAIN_H

#include <stdio.h>

#include "model/evaluate.h"

/* Writes the explanation of path to f; metrics.* (inference metrics) and
 * unknown training.* paths are usage errors. */
int roof_explain_training(FILE *f, const roof_scenario *s, const roof_result *r, const char *path, roof_error *err);

#endif
