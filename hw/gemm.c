/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hw/gemm.h"

#include <math.h>

/* A split-K slice is at least one k-tile of the kernel's main loop: 64
 * elements for 16-bit types in CUTLASS's default Hopper tile shapes
 * (128x256x64); an assumption, to be calibrated by `llmroof validate`. */
#define SPLIT_K_MIN_SLICE 64.0

/* The smallest tile edge a kernel uses: the rows of the smallest tensor-core
 * MMA shape, m16n8k16 (PTX ISA, "Warp-level matrix multiply-accumulate
 * instructions"). A dimension smaller than the profile's tile gets a tile cut
 * down to it (rounded up to this), as libraries select narrow-tile or GEMV
 * kernels for skinny shapes instead of padding one row to 128. */
#define MIN_TILE_EDGE 16.0

static double tile_edge(double dim, double tile)
{
    if (dim >= tile)
        return tile;
    double edge = ceil(dim / MIN_TILE_EDGE) * MIN_TILE_EDGE;
    return edge < tile ? edge : tile;
}

/* DESIGN.md "Core formulas": B = s*batch*(m*k + k*n + m*n), each operand
 * read once and C written once (an ideal cache), here as A and B's bytes
 * and C's. FP8 GEMMs write C in bf16 (DeepGEMM, Transformer Engine,
 * cuBLASLt's FP8 kernels): DeepGEMM's published GB/s (gemm_measured.csv DG
 * rows) count A and B at 1 byte and C at 2; FP4 GEMMs (NVFP4, MXFP4) write
 * bf16 too. B may be stored narrower than the math (b_elem_bytes: weights
 * quantized to int4 or fp8 with their scales, read as such and dequantized
 * in registers). Inlined: the hot path uses it. */
#if defined(__GNUC__)
__attribute__((always_inline)) inline
#endif
    static void
    operand_sizes(const roof_gemm *g, double *a_bytes, double *b_bytes, double *c_bytes)
{
    double s = roof_dtype_bytes(g->dtype);
    double s_c = g->dtype == ROOF_DT_FP8 || g->dtype == ROOF_DT_FP4 ? 2.0 : s;
    double s_b = g->b_elem_bytes > 0.0 ? g->b_elem_bytes : s; /* quantized weights (model/ops.c) */
    *a_bytes = s * g->batch * g->m * g->k;
    *b_bytes = s_b * (g->shared_b ? g->k * g->n : g->batch * g->k * g->n);
    *c_bytes = s_c * g->batch * g->m * g->n;
}

void roof_gemm_operand_bytes(const roof_gemm *g, double *a_bytes, double *b_bytes, double *c_bytes)
{
    operand_sizes(g, a_bytes, b_bytes, c_bytes);
}

/* A and B together (s is a power of two, so s*x + s*y is s*(x + y) exactly). */
#if defined(__GNUC__)
__attribute__((always_inline)) inline
#endif
    static void
    operand_bytes(const roof_gemm *g, double *ab_bytes, double *c_bytes)
{
    double a, b;
    operand_sizes(g, &a, &b, c_bytes);
    *ab_bytes = a + b;
}

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
    operand_sizes(g, &a, &b, c_bytes);
    double pack = hw->gemm_pack > 0.0 ? hw->gemm_pack : 1.0;
    *ab_bytes = pack * (sp->a_mult * a + sp->b_mult * b);
    if (hw->gemm_block_k > 0.0)
        *c_bytes *= 1.0 + 2.0 * ceil(g->k / hw->gemm_block_k);
}

/* cuBLAS documentation, "Tensor Core Usage" (cuBLAS 12): tensor cores are
 * used best when the pointers and the leading dimensions of A, B and C are
 * multiples of 16 bytes; otherwise cuBLAS falls back to kernels that load
 * with narrower vectors. Row-major C = A B has leading dimensions k (A) and
 * n (B and C). */
#if defined(__GNUC__)
__attribute__((always_inline)) inline
#endif
    static int
    aligned16(const roof_gemm *g)
{
    double s = roof_dtype_bytes(g->dtype);
    return fmod(g->k * s, 16.0) == 0.0 && fmod(g->n * s, 16.0) == 0.0;
}

int roof_gemm_aligned(const roof_gemm *g)
{
    return aligned16(g);
}

/* The achieved fraction of the dtype's peak for g: roof_hw_eff, times
 * hw.gemm.unaligned when a leading dimension misses the 16-byte rule (one
 * comparison when the profile leaves it out, as every shipped one does). */
#if defined(__GNUC__)
__attribute__((always_inline)) inline
#endif
    static double
    gemm_eff(const roof_hw *hw, const roof_gemm *g)
{
    double eff = roof_hw_eff(hw, g->dtype);
    if (hw->gemm_unaligned > 0.0 && !aligned16(g))
        eff *= hw->gemm_unaligned;
    return eff;
}

const char *roof_bound_name(roof_bound b)
{
    return b == ROOF_BOUND_COMPUTE ? "compute" : "memory";
}

/* Issued multiply-adds for one tile width: C is cut into tm x tn tiles
 * (partial tiles at the edges cost a whole tile), and the tiles run in waves
 * over the units (a partly full last wave costs a whole wave), as NVIDIA's
 * "Matrix Multiplication Background User's Guide" (Deep Learning Performance
 * docs, "Tile Quantization", "Wave Quantization") describes. When there are
 * fewer tiles than units, the k dimension is split across units (split-K,
 * stream-K) into up to units/tiles slices of at least SPLIT_K_MIN_SLICE.
 * Returns waves * units work items of tm * tn * (k / split) each. */
static double issued_for(const roof_gemm *g, double rows, double tm, double tn, double units, double *tiles_out,
                         double *waves_out)
{
    double tiles = rows * ceil(g->n / tn);
    double slice_k = g->k;
    double items = tiles;
    if (tiles < units) {
        double split = floor(units / tiles);
        double max_split = floor(g->k / SPLIT_K_MIN_SLICE);
        if (split > max_split)
            split = max_split;
        if (split > 1.0) {
            items = tiles * split;
            slice_k = g->k / split;
        }
    }
    double waves = ceil(items / units);
    *tiles_out = tiles;
    *waves_out = waves;
    return waves * units * tm * tn * slice_k;
}

/* The kernel a library would pick: the profile's tile, cut down to a
 * dimension smaller than it (see MIN_TILE_EDGE), or the half-width tile
 * (CUTLASS's default sm80/sm90 configurations carry both 128x256 and
 * 128x128), whichever issues less work: on an A100 a 2048^3 GEMM runs 2
 * waves of 128x256 tiles at 59% utilization or 3 waves of 128x128 at 79%,
 * and cuBLASLt reaches 71% of peak there (gemm_measured.csv AZ-A100-2k).
 * When the wider tile leaves fewer tiles than units (small outputs,
 * decode), the narrower widths tn/4, ... down to MIN_TILE_EDGE are tried
 * too, as cuBLAS's heuristics choose GEMV-like kernels for skinny shapes.
 * Inlined into both callers: the model's hot path must not pay a call. */
#if defined(__GNUC__)
__attribute__((always_inline)) inline
#endif
    static double
    issued_macs(const roof_hw *hw, const roof_gemm *g, double *waves_out)
{
    double tm = tile_edge(g->m, (double)hw->tile_m), tn = tile_edge(g->n, (double)hw->tile_n);
    double units = (double)hw->units;
    /* The rows of tiles are the same for every width: computed once. */
    double rows = g->batch * ceil(g->m / tm);
    double tiles;
    double best = issued_for(g, rows, tm, tn, units, &tiles, waves_out);
    /* The common case, exactly and without a division: the full-width
     * tiles fill the units, and half-width tiles are twice as many (n is a
     * multiple of tn, or leaves more than half a tile). Then the half-width
     * waves are the full ones doubled, but for the last wave, which takes
     * one half-width wave if it was at most half full. */
    double half = tn / 2.0;
    if (tiles >= units && half >= MIN_TILE_EDGE && ceil(2.0 * g->n / tn) == 2.0 * ceil(g->n / tn)) {
        double last = tiles - (*waves_out - 1.0) * units;
        double waves = 2.0 * (*waves_out - 1.0) + (2.0 * last <= units ? 1.0 : 2.0);
        double issued = waves * units * tm * half * g->k;
        if (issued < best) {
            best = issued;
            *waves_out = waves;
        }
        return best;
    }
    /* Otherwise half-width tiles number at least 2 tiles - rows; when even
     * that many need 2 waves per full-width wave, they cannot issue less:
     * no need to count them. */
    if (tiles >= units && 2.0 * tiles - rows > (2.0 * *waves_out - 1.0) * units)
        return best;
    for (double w = tn / 2.0; w >= MIN_TILE_EDGE; w /= 2.0) {
        if (w < tn / 2.0 && tiles >= units)
            break; /* the wider tile already filled the units */
        double waves;
        double issued = issued_for(g, rows, tm, w, units, &tiles, &waves);
        if (issued < best) {
            best = issued;
            *waves_out = waves;
        }
    }
    return best;
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
 * (cpu_traffic without the packing copies, which stay in cache: A and B
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
    double ab_bytes, c_bytes;
    operand_bytes(g, &ab_bytes, &c_bytes);
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
static void cpu_parts(const roof_hw *hw, const roof_gemm *g, roof_gemm_cpu *p, double *ab_bytes, double *c_bytes)
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
    cpu_parts(hw, g, parts, &ab_bytes, &c_bytes);
}

/* The optional terms (hw/hw.h): each is 0 when absent and never negative
 * (hw_params.c ranges), so their sum is positive exactly when one is set;
 * one comparison keeps the GPU profiles without them on the hot path. */
static int has_terms(const roof_hw *hw)
{
    return hw->gemm_ridge + hw->gemm_epilogue + hw->gemm_bw_units + hw->gemm_pack + hw->gemm_block_k + hw->gemm_cache >
               0.0 ||
           hw->gemm_threads > 1;
}

/* The full model: every reported field and every optional term. Kept out
 * of line, so that the registers and stack it needs are not set up on
 * every call of the model's inner loop. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void
time_full(const roof_hw *hw, const roof_gemm *g, int flags, double peak, roof_gemm_time *out)
{
    /* DESIGN.md "Core formulas": F = 2*batch*m*k*n, one multiply and one add
     * per term of each dot product. */
    double flops = 2.0 * g->batch * g->m * g->k * g->n;
    double ab_bytes, c_bytes;
    roof_gemm_cpu parts;
    cpu_parts(hw, g, &parts, &ab_bytes, &c_bytes);
    double bytes = ab_bytes + c_bytes;

    /* Roofline (Williams, Waterman, Patterson, CACM 2009): the op takes the
     * longer of its compute time and its memory time. Quantized, the compute
     * time is that of the issued work: 2 FLOP per issued multiply-add. */
    double tc, tm, overhead = 0.0, util = 1.0, waves = 0.0, epilogue = 0.0, dram = 0.0;
    if (flags & ROOF_GEMM_IDEAL) {
        tc = flops / peak;
        tm = bytes / hw->mem_bandwidth;
    } else {
        double issued = issued_macs(hw, g, &waves);
        double rate = peak * gemm_eff(hw, g), bw = parts.bandwidth;
        overhead = hw->kernel_overhead;
        /* On one thread (serial_of): a thread's share of the peak, called
         * directly, without the threaded driver's dispatch and barriers
         * that the overhead of a threaded profile stands for (its own
         * bandwidth and ridge: cpu_parts). */
        if (parts.one_thread) {
            rate /= (double)hw->gemm_threads;
            overhead = 0.0;
        }
        tc = 2.0 * issued / rate;
        tm = bytes / bw;
        util = (flags & ROOF_GEMM_TIME_ONLY) ? 0.0 : flops / (2.0 * issued);
        if (hw->gemm_bw_units > 0.0) {
            /* Streaming A and B reaches the memory bandwidth only with
             * enough SMs loading at once: each SM keeps a bounded number of
             * loads in flight, so by Little's law its share of bandwidth is
             * bounded, and a GEMM with fewer output tiles (of the profile's
             * tile, cut to the shape) than bw_units streams at
             * tiles / bw_units of it. Fitted on DeepGEMM's small-M rows,
             * which reach 1.5-1.7 TB/s with 9 tiles of 64 x 256 and 2.5 with
             * 28 (gemm_measured.csv DG rows; docs/validation.md). */
            double tiles = g->batch * ceil(g->m / tile_edge(g->m, (double)hw->tile_m)) *
                           ceil(g->n / tile_edge(g->n, (double)hw->tile_n));
            if (tiles < hw->gemm_bw_units)
                tm = ab_bytes / (bw * tiles / hw->gemm_bw_units) + c_bytes / bw;
        }
        /* A kernel that writes C in an epilogue after its main loop does not
         * overlap that write with the loop: a fitted fraction `epilogue`
         * of the C write time adds to the roofline instead of hiding in its
         * max (DeepGEMM's M = 4096 rows, whose bf16 output is as large as
         * their inputs, take about the sum). */
        epilogue = parts.epilogue_s;
        tm -= epilogue;
        dram = parts.dram_s;
    }

    out->flops = flops;
    out->bytes = bytes;
    out->intensity = (flags & ROOF_GEMM_TIME_ONLY) ? 0.0 : flops / bytes;
    out->compute_time_s = tc;
    out->memory_time_s = tm;
    out->overhead_s = overhead;
    out->utilization = util;
    out->waves = waves;
    out->bound = tc >= tm ? ROOF_BOUND_COMPUTE : ROOF_BOUND_MEMORY;
    double hi = tc >= tm ? tc : tm, lo = tc >= tm ? tm : tc;
    /* Near the ridge the two times partly add up: a kernel does not overlap
     * its loads and its math perfectly. The r-norm (tc^r + tm^r)^(1/r)
     * spans no overlap (r = 1, the sum that the ECM model of Treibig and
     * Hager, PPAM 2009, charges for non-overlapping transfers) to full
     * overlap (r -> infinity, the roofline's max); r is fitted by `llmroof
     * validate` and 0 keeps the max. Written as hi * (1 + (lo/hi)^r)^(1/r)
     * so that no power overflows. */
    if (!(flags & ROOF_GEMM_IDEAL) && parts.ridge > 0.0 && hi > 0.0)
        hi *= pow(1.0 + pow(lo / hi, parts.ridge), 1.0 / parts.ridge);
    out->time_s = hi + epilogue + overhead + dram;
}

int roof_gemm_time_of(const roof_hw *hw, const roof_gemm *g, int flags, roof_gemm_time *out, roof_error *err)
{
    if (!(g->batch >= 1.0 && g->m >= 1.0 && g->k >= 1.0 && g->n >= 1.0))
        return roof_error_set(err, ROOF_ERR_RUNTIME, NULL, "GEMM dimensions must be positive");
    double peak = (unsigned)g->dtype < ROOF_DT_COUNT ? hw->compute[g->dtype] : 0.0;
    if (!(peak > 0.0))
        return roof_error_set(err, ROOF_ERR_RUNTIME, NULL, "'%s' has no %s peak (hw.compute.%s is not set)", hw->name,
                              roof_dtype_name(g->dtype), roof_dtype_name(g->dtype));
    if (flags != ROOF_GEMM_TIME_ONLY || has_terms(hw)) {
        time_full(hw, g, flags, peak, out);
        return ROOF_OK;
    }
    /* The model's hot path: the plain roofline with quantization, and only
     * the larger time, its bound by cross-multiplication and one division
     * for its time. The same formulas as time_full without the terms. */
    double flops = 2.0 * g->batch * g->m * g->k * g->n;
    double ab_bytes, c_bytes;
    operand_bytes(g, &ab_bytes, &c_bytes);
    double bytes = ab_bytes + c_bytes;
    double waves = 0.0;
    double issued = issued_macs(hw, g, &waves);
    double rate = peak * gemm_eff(hw, g), bw = hw->mem_bandwidth * hw->eff_memory;
    double overhead = hw->kernel_overhead;
    int compute = 2.0 * issued * bw >= bytes * rate;
    double t = compute ? 2.0 * issued / rate : bytes / bw;
    *out = (roof_gemm_time){.flops = flops,
                            .bytes = bytes,
                            .compute_time_s = compute ? t : 0.0,
                            .memory_time_s = compute ? 0.0 : t,
                            .overhead_s = overhead,
                            .waves = waves,
                            .time_s = t + overhead,
                            .bound = compute ? ROOF_BOUND_COMPUTE : ROOF_BOUND_MEMORY};
    return ROOF_OK;
}

int roof_roofline_time(const roof_hw *hw, double flops, double bytes, roof_dtype dtype, int flags,
                       roof_kernel_time *out, roof_error *err)
{
    double peak = (unsigned)dtype < ROOF_DT_COUNT ? hw->compute[dtype] : 0.0;
    if (!(peak > 0.0))
        return roof_error_set(err, ROOF_ERR_RUNTIME, NULL, "'%s' has no %s peak (hw.compute.%s is not set)", hw->name,
                              roof_dtype_name(dtype), roof_dtype_name(dtype));
    int ideal = flags & ROOF_GEMM_IDEAL;
    /* Roofline (Williams, Waterman, Patterson, CACM 2009). */
    out->compute_time_s = flops / (peak * (ideal ? 1.0 : roof_hw_eff(hw, dtype)));
    out->memory_time_s = bytes / (hw->mem_bandwidth * (ideal ? 1.0 : hw->eff_memory));
    out->overhead_s = ideal ? 0.0 : hw->kernel_overhead;
    out->bound = out->compute_time_s >= out->memory_time_s ? ROOF_BOUND_COMPUTE : ROOF_BOUND_MEMORY;
    out->time_s = (out->bound == ROOF_BOUND_COMPUTE ? out->compute_time_s : out->memory_time_s) + out->overhead_s;
    return ROOF_OK;
}
