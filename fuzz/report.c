/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the report checker of `llmroof check` on arbitrary Markdown: the
 * extractor (report/extract.c: Get_Time calls, total formulas, claims;
 * report/gtcall.c, report/expr.c), then the check (report/check.c and
 * the files it runs: report/match.c, match_judge.c, op_words.c,
 * check_prose.c, check_claims.c) twice, as the CLI runs it: on the hardware alone, and
 * against the default deployment with its evaluated result. */
#include "fuzz/harness.h"

#include "hw/profile.h"
#include "model/config.h"
#include "model/evaluate.h"
#include "report/check.h"

static roof_scenario *scen;
static roof_result *res;
static roof_check *chk; /* large (about 1 MB): allocated once */

static void setup(void)
{
    if (scen)
        return;
    roof_error err;
    scen = malloc(sizeof *scen);
    res = malloc(sizeof *res);
    chk = calloc(1, sizeof *chk);
    if (!scen || !res || !chk ||
        roof_config_load_text(roof_config_default_text(), "default.cfg", scen, NULL, &err) != ROOF_OK ||
        roof_hw_load("h100-sxm", &scen->hw, &err) != ROOF_OK || roof_evaluate(scen, res, &err) != ROOF_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    roof_report *rep = NULL;
    roof_error err;
    int rc = roof_report_scan((const char *)data, size, "fuzz.md", &rep, &err);
    roof_fuzz_check_error(rc, &err);
    if (rc != ROOF_OK)
        return 0;
    roof_fuzz_check_error(roof_check_run(rep, &scen->hw, ROOF_DT_BF16, NULL, NULL, chk, &err), &err);
    roof_fuzz_check_error(
        roof_check_run(rep, &scen->hw, roof_workload_dt(&scen->workload, ROOF_TENSOR_COMPUTE), scen, res, chk, &err),
        &err);
    roof_report_free(rep);
    return 0;
}
