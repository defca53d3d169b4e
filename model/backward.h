/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The backward of a training step, built from its forward op lists: the
 * recomputed forward ops (workload.recompute), then every forward op's
 * gradient in reverse order. Closed form like the forward; nothing is
 * allocated.
 */
#ifndef ROOF_MODEL_BACKWARD_H
#define ROOF_MODEL_BACKWARD_H

#include "model/ops.h"

/* Builds bwd from fwd (the TRAINING forward of roof_ops_build). */
void roof_ops_backward(const roof_scenario *s, const roof_phase_ops *fwd, roof_phase_ops *bwd);

#endif
