/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `llmroof validate published --cv`: the collectives' sections. */
#ifndef ROOF_CLI_VALIDATE_COMM_H
#define ROOF_CLI_VALIDATE_COMM_H

#include "cli/out.h"
#include "core/error.h"

/* Adds sections "comm_cv" (MAPE per collective, profile and size decade,
 * in sample and leave-one-source-out, with the worst row) and "comm_cv_ep"
 * (the low-latency all-to-all per row) for the corpus under data_dir. */
int roof_validate_comm_sections(roof_out *out, const char *data_dir, roof_error *err);

#endif
