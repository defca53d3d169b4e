/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hw/dtype.h"

#include <string.h>

static const char *const names[ROOF_DT_COUNT] = {"fp64", "fp32", "tf32", "bf16", "fp16",
                                                 "fp8",  "int8", "fp4",  "int4", "fp6"};
/* Storage sizes of IEEE binary64/binary32, bfloat16, binary16, the OCP FP8
 * formats (E4M3/E5M2) and int8; TF32 tensors live in fp32 storage (NVIDIA
 * A100 whitepaper, "TF32"). FP4 is the OCP Microscaling E2M1 element (OCP
 * Microscaling Formats (MX) Specification v1.0, Sec. 5.3.3: 4 bits), which
 * NVFP4 also uses (NVIDIA Blackwell architecture technical brief); int4 is
 * two elements to a byte as AWQ and GPTQ pack them. FP6 is the OCP
 * Microscaling E2M3 or E3M2 element (the same specification, Sec. 5.3.2:
 * 6 bits, 0.75 bytes), which Blackwell and CDNA 4 tensor cores take. Their block scales are
 * extra bytes per group of elements, added by the model
 * (workload.weights_group). */
static const double bytes[ROOF_DT_COUNT] = {8, 4, 4, 2, 2, 1, 1, 0.5, 0.5, 0.75};

const char *roof_dtype_list(void)
{
    return "fp64, fp32, tf32, bf16, fp16, fp8, int8, fp4, int4 or fp6";
}

const char *roof_dtype_name(roof_dtype dt)
{
    return (unsigned)dt < ROOF_DT_COUNT ? names[dt] : "?";
}

double roof_dtype_bytes(roof_dtype dt)
{
    return (unsigned)dt < ROOF_DT_COUNT ? bytes[dt] : 0.0;
}

int roof_dtype_parse(const char *name, roof_dtype *out, roof_error *err)
{
    for (int i = 0; i < ROOF_DT_COUNT; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (roof_dtype)i;
            return ROOF_OK;
        }
    }
    return roof_error_set(err, ROOF_ERR_USAGE, "--dtype", "unknown dtype '%s' (expected %s)", name, roof_dtype_list());
}
