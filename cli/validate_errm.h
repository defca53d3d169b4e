/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `llmroof validate published --cv --write-error-model FILE` and
 * `--calibration`: the error model's fit from the cross-validation
 * residuals and the coverage of its stated intervals (docs/accuracy.md). */
#ifndef ROOF_CLI_VALIDATE_ERRM_H
#define ROOF_CLI_VALIDATE_ERRM_H

#include "cli/out.h"
#include "validation/published.h"

/* write_path: where the fitted table goes (NULL: not written);
 * calibration: add the coverage sections (the csv form prints the
 * reliability rows). */
int roof_validate_errm(roof_out *out, const roof_pub_case *cases, size_t n, const char *data_dir,
                       const char *write_path, int calibration, roof_error *err);

#endif
