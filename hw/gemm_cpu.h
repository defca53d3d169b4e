/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal to hw/gemm.c: the CPU BLAS terms of a GEMM's time (hw/gemm_cpu.c). */
#ifndef ROOF_HW_GEMM_CPU_H
#define ROOF_HW_GEMM_CPU_H

#include "hw/gemm.h"

/* DESIGN.md "Core formulas": B = s*batch*(m*k + k*n + m*n), each operand
 * read once and C written once (an ideal cache), here as A and B's bytes
 * and C's. FP8 GEMMs write C in bf16 (DeepGEMM, Transformer Engine,
 * cuBLASLt's FP8 kernels): DeepGEMM's published GB/s (gemm_measured.csv DG
 * rows) count A and B at 1 byte and C at 2; FP4 GEMMs (NVFP4, MXFP4) write
 * bf16 too. B may be stored narrower than the math (b_elem_bytes: weights
 * quantized to int4 or fp8 with their scales, read as such and dequantized
 * in registers). Inline in this header: the hot path of hw/gemm.c
 * uses it, and hw/gemm_cpu.c too. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void
roof_gemm_sizes(const roof_gemm *g, double *a_bytes, double *b_bytes, double *c_bytes)
{
    double s = roof_dtype_bytes(g->dtype);
    double s_c = g->dtype == ROOF_DT_FP8 || g->dtype == ROOF_DT_FP4 || g->dtype == ROOF_DT_FP6 ? 2.0 : s;
    double s_b = g->b_elem_bytes > 0.0 ? g->b_elem_bytes : s; /* quantized weights (model/ops.c) */
    *a_bytes = s * g->batch * g->m * g->k;
    *b_bytes = s_b * (g->shared_b ? g->k * g->n : g->batch * g->k * g->n);
    *c_bytes = s_c * g->batch * g->m * g->n;
}

/* The optional terms' parts of g on hw (roof_gemm_cpu), with the traffic
 * they imply: A and B's bytes as packed and read by the threads, and C's
 * bytes as written and re-read per KC block. */
void roof_gemm_cpu_traffic(const roof_hw *hw, const roof_gemm *g, roof_gemm_cpu *p, double *ab_bytes, double *c_bytes);

#endif
