/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A program that uses the installed libroof through pkg-config: the
 * built-in default deployment (Llama-3-70B, TP 8, H100), evaluated. It
 * prints the time to first token with 17 digits, for the install test to
 * compare with `llmroof estimate --format json`. */
#include <stdio.h>

#include "model/config.h"
#include "model/evaluate.h"

int main(void)
{
    static roof_scenario s;
    static roof_result r;
    roof_error err = {0};
    if (roof_scenario_load(NULL, roof_config_default_text(), NULL, "h100-sxm", NULL, 0, &s, NULL, &err) != ROOF_OK ||
        roof_evaluate(&s, &r, &err) != ROOF_OK) {
        fprintf(stderr, "use_roof: %s\n", err.msg);
        return 1;
    }
    printf("ttft_s %.17g\n", r.metrics.ttft_s);
    return 0;
}
