/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CPU (OpenBLAS) terms of Get_Time (hw/gemm.c): how the threaded
 * driver splits a GEMM over threads, the packing and C traffic, and the
 * DRAM traffic beyond the last-level cache. GPU profiles leave every term
 * out and never call these on the model's hot path. */
#include "hw/gemm_cpu.h"

#include <math.h>

/* How OpenBLAS 0.3.21's threaded level-3 driver (driver/level3/
 * level3_thread.c, the function that picks nthreads_m and nthreads_n)
 * splits a GEMM over T threads. cblas's row-major call is the
 * column-major GEMM of the transposes, so its M is our n and its N our m.
 * M is split into t_m parts when M >= 2 SWITCH_RATIO (t_m = T, halved
 * while M < t_m SWITCH_RATIO); N into t_n = min(ceil(N / (SWITCH_RATIO
 * t_m)), T / t_m) groups. The t_m threads of a group share the packed
 * panels of our A (each packs a part, all read all of it), and each group
 * packs our B again: A moves t_m times and B t_n times. With
 * t_m t_n = 1 the driver runs on one thread. (Later releases also balance
 * t_m against t_n by a cost n t_m + m t_n, which 0.3.21, Debian 12's, does
 * not: dgemm 4096 x 4096 x n on 2 threads here took 6-8 ms for n <= 3,
 * split in m, and 18-22 ms for n = 4 to 16, split in n, against 12.5 ms on
 * one thread; docs/validation.md.) */
typedef struct {
    double a_mult, b_mult; /* times A's and B's bytes are packed and read */
    int one_thread;        /* the split leaves one thread */
} openblas_split;

static openblas_split split_of(const roof_hw *hw, const roof_gemm *g)
{
    openblas_split sp = {1.0, 1.0, 0};
    double t = (double)hw->gemm_threads, sr = (double)hw->gemm_switch_ratio;
    if (!(t > 1.0 && sr > 0.0))
        return sp;
    if (g->m * g->n * g->k <= hw->gemm_serial_mnk) {
        sp.one_thread = 1; /* below the serial threshold: no split at all */
        return sp;
    }
    double tm = 1.0, tn = 1.0;
    if (g->n >= 2.0 * sr) {
        tm = t;
        while (g->n < tm * sr)
            tm = floor(tm / 2.0);
    }
    if (g->m >= sr * tm) {
        tn = ceil(g->m / (sr * tm));
        if (tm * tn > t)
            tn = floor(t / tm);
    }
    sp.a_mult = tm;
    sp.b_mult = tn;
    sp.one_thread = tm * tn <= 1.0;
    return sp;
}

/* CPU BLAS traffic (both terms absent on GPU profiles, whose hot path does
 * not come here). OpenBLAS packs the A and B panels into buffers before its
 * kernel runs (driver/level3/level3.c: ICOPY_OPERATION, OCOPY_OPERATION),
 * so each of their bytes costs a read from memory, a buffer write and its
 * reads: a fitted factor `pack`, times the threads that pack or read each
 * (sp, split_of). C is scaled by beta first (BETA_OPERATION: beta = 0
 * writes zeros) and then read and written by the kernel once per block of
 * GEMM_Q (KC) along k (the `ls` loop), so it moves 1 + 2 ceil(k / KC)
 * times. */
static void cpu_traffic(const roof_hw *hw, const roof_gemm *g, const openblas_split *sp, double *ab_bytes,
                        double *c_bytes)
{
    double a, b;
    roof_gemm_sizes(g, &a, &b, c_bytes);
    double pack = hw->gemm_pack > 0.0 ? hw->gemm_pack : 1.0;
    *ab_bytes = pack * (sp->a_mult * a + sp->b_mult * b);
    if (hw->gemm_block_k > 0.0)
        *c_bytes *= 1.0 + 2.0 * ceil(g->k / hw->gemm_block_k);
}

/* OpenBLAS runs a GEMM with m*n*k <= SMP_THRESHOLD_MIN (65536) *
 * GEMM_MULTITHREAD_THRESHOLD (4) on one thread (interface/gemm.c,
 * "args.nthreads = 1"), and one whose split leaves one thread (split_of)
 * too: on a threaded profile, one of its threads. */
static int serial_of(const roof_hw *hw, const roof_gemm *g, const openblas_split *sp)
{
    return hw->gemm_threads > 1 && (g->m * g->n * g->k <= hw->gemm_serial_mnk || sp->one_thread);
}

int roof_gemm_serial(const roof_hw *hw, const roof_gemm *g)
{
    openblas_split sp = split_of(hw, g);
    return serial_of(hw, g, &sp);
}

/* The CPU's DRAM traffic: the operands stay in the last-level cache
 * between calls where their footprint F (A, B and C once) fits; beyond it,
 * the fraction 1 - cache / F of every pass over them misses (the share of
 * the footprint the cache cannot hold, a cyclic stream over F with an
 * ideal replacement). Those bytes are the passes OpenBLAS's driver makes
 * (roof_gemm_cpu_traffic's, without the packing copies, which stay in cache: A and B
 * read once, C written by beta and read and written per KC block), moved
 * at the DRAM bandwidth measured as memcpy's read + write bytes per
 * second. The time adds to the rest: transfers between memory levels do
 * not overlap each other nor, in this driver, the kernel (Treibig and
 * Hager's ECM model, PPAM 2009, adds the transfer times of the levels;
 * OpenBLAS's beta pass and packing copies run as phases of their own, and
 * the micro-kernel updates C after its k loop). 65536 x 64 x n dgemm on
 * this project's 2-core host took about the compute time plus this term
 * for n = 64 to 256 (docs/validation.md). */
static double dram_s(const roof_hw *hw, const roof_gemm *g, double c_traffic)
{
    if (!(hw->gemm_cache > 0.0 && hw->gemm_dram_bw > 0.0))
        return 0.0;
    double a_bytes, b_bytes, c_bytes;
    roof_gemm_sizes(g, &a_bytes, &b_bytes, &c_bytes);
    double ab_bytes = a_bytes + b_bytes;
    double footprint = ab_bytes + c_bytes;
    if (footprint <= hw->gemm_cache)
        return 0.0;
    return (1.0 - hw->gemm_cache / footprint) * (ab_bytes + c_traffic) / hw->gemm_dram_bw;
}

/* The parts of a GEMM's time that the optional terms set, each computed
 * once, with its traffic (ab_bytes, c_bytes: cpu_traffic). On one thread
 * of a threaded profile (serial_of) the one-thread kernel's own in-cache
 * bandwidth and ridge where the profile gives them
 * (hw.gemm.serial_bandwidth, serial_ridge: `llmroof validate gemm` fits
 * them on one thread; a threaded fit's ridge of about 1 stands for the
 * driver's phases and barriers, which one thread does not have). A kernel
 * that writes C in an epilogue after its main loop does not overlap that
 * write with the loop: a fitted fraction `epilogue` of C's traffic time. */
void roof_gemm_cpu_traffic(const roof_hw *hw, const roof_gemm *g, roof_gemm_cpu *p, double *ab_bytes, double *c_bytes)
{
    openblas_split sp = split_of(hw, g);
    cpu_traffic(hw, g, &sp, ab_bytes, c_bytes);
    p->one_thread = serial_of(hw, g, &sp);
    p->a_threads = sp.a_mult;
    p->b_threads = sp.b_mult;
    int own = p->one_thread;
    p->bandwidth = own && hw->gemm_serial_bw > 0.0 ? hw->gemm_serial_bw : hw->mem_bandwidth * hw->eff_memory;
    p->ridge = own && hw->gemm_serial_ridge > 0.0 ? hw->gemm_serial_ridge : hw->gemm_ridge;
    p->epilogue_s = hw->gemm_epilogue > 0.0 ? hw->gemm_epilogue * *c_bytes / p->bandwidth : 0.0;
    p->dram_s = dram_s(hw, g, *c_bytes);
}

void roof_gemm_cpu_parts(const roof_hw *hw, const roof_gemm *g, roof_gemm_cpu *parts)
{
    double ab_bytes, c_bytes;
    roof_gemm_cpu_traffic(hw, g, parts, &ab_bytes, &c_bytes);
}
