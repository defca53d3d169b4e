/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `llmroof validate published --cv`: the serving sections. */
#ifndef ROOF_CLI_VALIDATE_LOAD_H
#define ROOF_CLI_VALIDATE_LOAD_H

#include "cli/out.h"
#include "validation/published.h"

/* Adds section "cv_serve_static", the same for the static batches'
 * TTFT and request latency (validation/published_serving.c), then section
 * "cv_serve_load": for each group of serving rows at a
 * request rate (validation/published_load.c) and each metric (p50 TTFT,
 * TPOT, ITL, e2e), then each metric over all groups, the rows and their
 * MAPE with the shipped profiles, in sample and leave-one-source-out (the
 * rows fit nothing of their own: CV differs from in-sample only through
 * the profiles' GEMM fits, from the other sources' rows). */
void roof_validate_load_section(roof_out *out, const roof_pub_case *cases, size_t n, const roof_pub_cv *cv);

#endif
