/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the libconfig readers: the deployment config (model, workload and
 * parallel settings; model/config.c over core/cfg.c) and the hardware
 * profile (hw/profile.c), each fed the same text. A config that loads is
 * evaluated on the built-in H100 profile, and a profile that loads
 * evaluates the default deployment: a value the readers accept must never
 * crash the model (range checks are the readers' job). */
#include "fuzz/harness.h"

#include "hw/profile.h"
#include "model/config.h"
#include "model/evaluate.h"

/* Set up once: the profile, the default deployment, and the work space
 * (roof_result is 440 KB: allocated per input, ASan's mmap and munmap of it
 * would cost more than the parsing under test). */
static roof_hw h100;
static roof_scenario *base, *s;
static roof_provenance *prov;
static roof_result *res;

static int setup(void)
{
    if (base)
        return 1;
    roof_error err;
    base = malloc(sizeof *base);
    s = malloc(sizeof *s);
    prov = malloc(sizeof *prov);
    res = malloc(sizeof *res);
    if (!base || !s || !prov || !res || roof_hw_load("h100-sxm", &h100, &err) != ROOF_OK ||
        roof_config_load_text(roof_config_default_text(), "default.cfg", base, NULL, &err) != ROOF_OK)
        abort();
    base->hw = h100;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    char *text = roof_fuzz_cstr(data, size);
    if (!text)
        return 0;
    roof_error err;
    int rc = roof_config_load_text(text, "fuzz.cfg", s, prov, &err);
    roof_fuzz_check_error(rc, &err);
    if (rc == ROOF_OK) {
        s->hw = h100;
        roof_fuzz_check_error(roof_evaluate(s, res, &err), &err);
    }
    roof_hw hw;
    rc = roof_hw_load_text(text, "fuzz.cfg", &hw, &err);
    roof_fuzz_check_error(rc, &err);
    if (rc == ROOF_OK) {
        *s = *base;
        s->hw = hw;
        roof_fuzz_check_error(roof_evaluate(s, res, &err), &err);
    }
    free(text);
    return 0;
}
