/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Numeric formats: their names on the command line and in configs, and their
 * storage size, which sets the bytes a GEMM moves.
 */
#ifndef ROOF_HW_DTYPE_H
#define ROOF_HW_DTYPE_H

#include "core/error.h"

typedef enum {
    ROOF_DT_FP64,
    ROOF_DT_FP32,
    ROOF_DT_TF32,
    ROOF_DT_BF16,
    ROOF_DT_FP16,
    ROOF_DT_FP8,
    ROOF_DT_INT8,
    ROOF_DT_FP4,  /* OCP E2M1 elements (NVFP4, MXFP4); block scales are counted apart */
    ROOF_DT_INT4, /* weight-only formats (AWQ, GPTQ): dequantized to the compute dtype */
    ROOF_DT_FP6,  /* OCP E2M3/E3M2 elements (MXFP6); last so that the older indices stay */
    ROOF_DT_COUNT
} roof_dtype;

/* "bf16" for ROOF_DT_BF16. */
const char *roof_dtype_name(roof_dtype dt);

/* Bytes per element in memory: tf32 is stored as fp32 (4 bytes), fp4 and
 * int4 pack two elements to a byte, fp6 four elements to three bytes. */
double roof_dtype_bytes(roof_dtype dt);

/* "fp64, fp32, ... or int4": the names, for messages. */
const char *roof_dtype_list(void);

/* Parses a dtype name; unknown names get an error listing the valid ones. */
int roof_dtype_parse(const char *name, roof_dtype *out, roof_error *err);

#endif
