/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `llmroof validate published --cv`: the published cases' sections. */
#ifndef ROOF_CLI_VALIDATE_CV_H
#define ROOF_CLI_VALIDATE_CV_H

#include <stddef.h>

#include "cli/out.h"
#include "core/error.h"
#include "validation/published.h"

/* Adds the leave-one-source-out sections of the cases (cv_groups, cv_gpus,
 * cv_attention, cv_sources, cv_worst, cv_worst_gemm, cv_params and the
 * serving-under-load one): each MAPE with the shipped profiles, in sample
 * and out of sample, with and without efficiency.fp8. */
int roof_validate_cv_sections(roof_out *out, const roof_pub_case *cases, size_t n, roof_error *err);

#endif
