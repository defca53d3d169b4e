/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Get_Time: the time of one GEMM C[m,n] = A[m,k] * B[k,n], repeated batch
 * times, on a hardware profile, by the roofline.
 *
 * The result is written into a caller-owned struct; nothing is allocated, so
 * the function can be called tens of millions of times a second.
 */
#ifndef ROOF_HW_GEMM_H
#define ROOF_HW_GEMM_H

#include <stdint.h>

#include "core/error.h"
#include "hw/dtype.h"
#include "hw/hw.h"

typedef struct roof_gemm {
    double batch, m, k, n; /* counts, as doubles so their products cannot overflow */
    roof_dtype dtype;
    int shared_b;        /* B (the weights) is one matrix shared by the whole batch */
    double b_elem_bytes; /* bytes per element of B when it is stored narrower than dtype (quantized weights,
                            scales included, or an fp8 KV cache); 0 = dtype's */
} roof_gemm;

typedef enum { ROOF_BOUND_COMPUTE, ROOF_BOUND_MEMORY } roof_bound;

typedef struct roof_gemm_time {
    double flops;          /* 2 * batch * m * k * n */
    double bytes;          /* s * batch * (m*k + k*n + m*n), B once if shared */
    double intensity;      /* flops / bytes, FLOP/B */
    double compute_time_s; /* flops / (peak * eff * utilization) */
    double memory_time_s;  /* bytes / (bandwidth * eff) */
    double overhead_s;     /* kernel overhead */
    double utilization;    /* useful fraction of the tiles and waves issued (1 when ideal) */
    double waves;          /* waves of tiles over the units (0 when ideal) */
    double fixup_s;        /* a split's fp32 partial tiles written and read after the loop (stream-K), or 0 */
    double time_s;         /* max(compute, memory) + overhead (+ the epilogue, the DRAM time and the fixup where set) */
    roof_bound bound;
} roof_gemm_time;

enum {
    ROOF_GEMM_IDEAL = 1 << 0,      /* pure roofline: eff 1, no overhead, no quantization */
    ROOF_GEMM_TIME_ONLY = 1 << 1,  /* the model's hot path: time and bound; intensity, utilization and the
                                    smaller of the compute and memory times left 0 */
    ROOF_KERNEL_ATTENTION = 1 << 2 /* roof_roofline_time: a fused attention kernel, at roof_hw_attn_eff */
};

/* The bytes of g's operands as Get_Time counts them: A and B at the
 * dtype's size (B once when shared), C at the output's (bf16 for fp8:
 * hw/gemm.c). The model's op bytes and activation bytes use these, so the
 * reported traffic and the time agree. */
void roof_gemm_operand_bytes(const roof_gemm *g, double *a_bytes, double *b_bytes, double *c_bytes);

/* Times g on hw. Fails (ROOF_ERR_RUNTIME) only when hw has no peak for the
 * dtype, or when a dimension is not positive. */
int roof_gemm_time_of(const roof_hw *hw, const roof_gemm *g, int flags, roof_gemm_time *out, roof_error *err);

/* Whether g's leading dimensions (k for row-major A, n for B and C) are
 * multiples of 16 bytes, cuBLAS's condition for its fastest tensor-core
 * kernels (cuBLAS documentation, "Tensor Core Usage"). */
int roof_gemm_aligned(const roof_gemm *g);

/* The parts of a GEMM's time that the optional terms set (hw/gemm.c), for
 * --explain and gettime: roof_gemm_time does not carry them (it stays the
 * size the hot path copies fastest). On a profile without the terms: the
 * profile's bandwidth and ridge, one thread each for A and B, no epilogue
 * and no DRAM time. */
typedef struct roof_gemm_cpu {
    double epilogue_s;           /* the C traffic after the main loop (hw.gemm.epilogue) */
    double dram_s;               /* the traffic beyond hw.gemm.cache at hw.gemm.dram_bandwidth */
    double bandwidth;            /* B/s in cache it streams at */
    double ridge;                /* r of (compute^r + memory^r)^(1/r); 0 = max */
    double a_threads, b_threads; /* threads of OpenBLAS's split that read A and B (hw.gemm.switch_ratio) */
    int one_thread;              /* OpenBLAS runs it on one of the profile's threads */
} roof_gemm_cpu;

void roof_gemm_cpu_parts(const roof_hw *hw, const roof_gemm *g, roof_gemm_cpu *parts);

/* Whether OpenBLAS runs g on one of a threaded profile's threads (its
 * serial threshold, or a split that leaves one thread). */
int roof_gemm_serial(const roof_hw *hw, const roof_gemm *g);

const char *roof_bound_name(roof_bound b);

/* The roofline of any kernel given its work: flops at the dtype's peak,
 * bytes at memory bandwidth (fused attention, elementwise ops). */
typedef struct roof_kernel_time {
    double compute_time_s, memory_time_s, overhead_s, time_s;
    roof_bound bound;
} roof_kernel_time;

int roof_roofline_time(const roof_hw *hw, double flops, double bytes, roof_dtype dtype, int flags,
                       roof_kernel_time *out, roof_error *err);

#endif
