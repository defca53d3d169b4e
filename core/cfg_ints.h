/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libconfig 1.5 reads a plain integer with atoi(): a value beyond 32 bits
 * (memory.capacity = 80000000000) wraps silently to another number. This
 * scan of the text, before libconfig reads it, finds such integers and
 * reports them with their line, so a config or profile never loads with a
 * wrapped value. Integers with the L suffix (int64) and floats are fine.
 */
#ifndef ROOF_CORE_CFG_INTS_H
#define ROOF_CORE_CFG_INTS_H

#include "core/error.h"

/* ROOF_OK, or ROOF_ERR_INPUT at "display:line" for the first integer
 * literal outside [-2^31, 2^31 - 1] without an L suffix. */
int roof_cfg_check_ints(const char *text, const char *display, roof_error *err);

#endif
