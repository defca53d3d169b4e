/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hw/gemm.h"
#include "hw/gemm_cpu.h"

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

void roof_gemm_operand_bytes(const roof_gemm *g, double *a_bytes, double *b_bytes, double *c_bytes)
{
    roof_gemm_sizes(g, a_bytes, b_bytes, c_bytes);
}

/* A and B together (s is a power of two, so s*x + s*y is s*(x + y) exactly). */
#if defined(__GNUC__)
__attribute__((always_inline)) inline
#endif
    static void
    operand_bytes(const roof_gemm *g, double *ab_bytes, double *c_bytes)
{
    double a, b;
    roof_gemm_sizes(g, &a, &b, c_bytes);
    *ab_bytes = a + b;
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
 *
 * The split is not free (hw.gemm.stream_k): the CTAs that share a tile
 * each write their fp32 partial tile to a workspace and the tile's owner
 * reads and adds them before its epilogue. Osama, Merrill, Cecka, Garland
 * and Owens, "Stream-K: Work-centric Parallel Decomposition for Dense
 * Matrix-Matrix Multiplication on the GPU" (PPoPP 2023, arXiv:2301.03598),
 * model a CTA's time, on which they choose the grid size, as
 * a + b [peers > 1] + c iters + d (peers - 1): a the fixed cost, b the
 * partial-tile write, c one k-iteration, d the read and add of one peer's
 * partials, the fixup adding to the main loop rather than overlapping it.
 * CUTLASS implements the fixup so:
 * NVIDIA/cutlass@019c5c979aea82c3f314c1eda803bda2b8b44077
 * include/cutlass/gemm/kernel/sm90_tile_scheduler_stream_k.hpp,
 * fixup_helper (the accumulators, ElementAccumulator = float for 16-bit and
 * fp8 GEMMs, stored to and reduced from a workspace). Here the fixup of a
 * split s moves 2 (s - 1) fp32 tm x tn tiles per output tile (s - 1
 * written, s - 1 read back) at the memory bandwidth (an upper bound: the
 * workspace may stay in L2), after the main loop: in multiply-adds at the
 * rate, F(s) = 2 tiles (s - 1) 4 tm tn mpb, mpb = rate / (2 bw) per byte.
 * The main loop takes max(C / s, M): C = units tm tn k the issued
 * multiply-adds of one unsplit wave (tiles s <= units: one wave), M the
 * memory time in multiply-adds (bytes mpb). The split taken is the least
 * that hides the loop's multiply-adds under its memory time,
 * s = ceil(C / M), within 1 and the largest split: fewer slices leave the
 * loop compute-bound on a few SMs while the rest idle, more only add
 * fixup (past s = C / M the loop time is M and F grows with s). A GEMM
 * whose loop stays compute-bound at the largest split takes that split and
 * pays its fixup. mpb = 0 (the key absent) keeps the largest split, free,
 * as before.
 * A split that fills one wave may still leave most units idle: 64 tiles
 * on an A100's 108 SMs run one wave at 59 % (floor(108 / 64) = 1: no
 * split). So a split over w waves, floor(w units / tiles) slices per tile,
 * is also a candidate, taken where it costs less by the same measure
 * (max(loop, memory) + fixup): there 3 slices in 2 waves, 89 % busy, and
 * the fixup keeps 5 slices in 3 waves (99 %) out. cuBLAS reaches 0.70 of
 * A100's peak on 256 x 8192 x 8192 (AIConfigurator's table, 158.1 us),
 * 0.90 of the fitted fraction, where one wave gave 229.6 us. Stream-K's
 * authors choose among such decompositions by this kind of cost model
 * (Osama et al. 2023, the CTA time above), and CUTLASS runs split-K and
 * stream-K kernels on sm80 (NVIDIA/cutlass@07a02380222b8099045fa3b8d10378648a52cd38
 * examples/47_ampere_gemm_universal_streamk: on an A100, 2048^3 in 0.1126
 * ms data-parallel, 0.1048 ms split 2, 0.0942 ms stream-K). Up to
 * SPLIT_WAVES waves: at w waves the busy share tiles s / (w units) is
 * above 1 - tiles / (w units), and each further slice adds fixup.
 * Returns the issued multiply-adds: waves * units work items of
 * tm * tn * (k / split) each; *fix_out the fixup's (0 without a split). */
#define FP32_PARTIAL_BYTES 4.0 /* CUTLASS's ElementAccumulator for 16-bit and fp8 GEMMs: float */
#define SPLIT_WAVES 4.0        /* the most waves a split spreads over (above) */

typedef struct {
    double mpb;      /* multiply-adds per byte: rate / (2 bw); 0 = the split is free */
    double mem_macs; /* the GEMM's memory time in multiply-adds: bytes mpb */
    int tail;        /* hw.gemm.stream_k_tail (with stream_k): the last waves by stream-K */
} split_ctx;

/* Persistent kernels on Hopper and Blackwell cover a partly full last wave
 * by stream-K (hw.gemm.stream_k_tail), as CUTLASS's sm90 stream-K
 * scheduler decides it (NVIDIA/cutlass@0046e366c97636a787225cfc4078f221c26bf8ae
 * include/cutlass/gemm/kernel/tile_scheduler_params.h,
 * PersistentTileSchedulerSm90StreamKParams::get_num_sk_tiles and
 * get_num_sk_units): when the tiles leave a last wave under half full
 * (its "Heuristic" mode keeps data-parallel waves for a tail at least
 * half full) and a tile has more than min_iters_per_sk_unit_ = 8 k-tiles,
 * the last full wave and the tail are spread along k over one wave of
 * min(units, their k-tiles / 8) work units (every unit here: more than
 * units tiles of more than 8 k-tiles), the waves before them stay
 * data-parallel. The stream-K units each run ceil(sk_tiles k_tiles /
 * units) k-tiles of SPLIT_K_MIN_SLICE (64 elements, CUTLASS's 16-bit
 * k-tile; its fp8 kernels take 128, counted here as two); a unit's range
 * starts and ends inside a tile, so one tile per unit is shared by two
 * units and pays one fp32 partial tile written and read (the fixup of
 * issued_for, one peer). Sets the issued multiply-adds, waves and fixup
 * and returns 1 where the heuristic takes the tail, else 0; the library
 * runs it where it is the cheaper kernel (issued_macs). */
static int stream_k_tail(const roof_gemm *g, double tiles, double tm, double tn, double units, const split_ctx *sc,
                         double *issued, double *waves, double *fix)
{
    double full = floor(tiles / units), tail = tiles - full * units, k_tiles = ceil(g->k / SPLIT_K_MIN_SLICE);
    if (!(full >= 1.0 && tail > 0.0 && 2.0 * tail < units && k_tiles > 8.0))
        return 0;
    double dp_waves = full - 1.0;
    double sk_tiles = tiles - dp_waves * units;
    *fix = 2.0 * FP32_PARTIAL_BYTES * tm * tn * sc->mpb * units;
    *waves = dp_waves + sk_tiles / units;
    *issued =
        dp_waves * units * tm * tn * g->k + units * tm * tn * ceil(sk_tiles * k_tiles / units) * SPLIT_K_MIN_SLICE;
    return 1;
}

static double issued_for(const roof_gemm *g, double rows, double tm, double tn, double units, const split_ctx *sc,
                         double *tiles_out, double *waves_out, double *fix_out)
{
    double tiles = rows * ceil(g->n / tn);
    double slice_k = g->k;
    double items = tiles;
    *fix_out = 0.0;
    if (tiles < units) {
        double split = floor(units / tiles);
        double max_split = floor(g->k / SPLIT_K_MIN_SLICE);
        if (split > max_split)
            split = max_split;
        if (split > 1.0 && sc->mpb > 0.0) {
            double s_mem = ceil(units * tm * tn * g->k / sc->mem_macs);
            if (s_mem < split)
                split = s_mem > 1.0 ? s_mem : 1.0;
            /* Only a real split pays: at split 1 the product would be
             * 0 x inf = NaN where the bandwidth is so small that mpb
             * overflows (the memory time is then infinite anyway). */
            if (split > 1.0)
                *fix_out = 2.0 * tiles * FP32_PARTIAL_BYTES * tm * tn * sc->mpb * (split - 1.0);
        }
        if (split > 1.0) {
            items = tiles * split;
            slice_k = g->k / split;
        }
        /* Or a split over more than one wave, w waves of floor(w units /
         * tiles) slices (w <= SPLIT_WAVES), where it costs less. Not where
         * the loop already hides under the memory time (decode): more
         * slices only add fixup there. */
        double cur = ceil(items / units) * units * tm * tn * slice_k, best = cur + *fix_out;
        for (double w = 2.0; w <= SPLIT_WAVES && cur > sc->mem_macs; w += 1.0) {
            double s = fmin(floor(w * units / tiles), max_split);
            if (!(s > split) || s <= 1.0)
                continue;
            double fix = sc->mpb > 0.0 ? 2.0 * tiles * FP32_PARTIAL_BYTES * tm * tn * sc->mpb * (s - 1.0) : 0.0;
            double issued = ceil(tiles * s / units) * units * tm * tn * g->k / s;
            double cost = fmax(issued, sc->mem_macs) + fix;
            if (cost < best) {
                best = cost;
                items = tiles * s;
                slice_k = g->k / s;
                *fix_out = fix;
            }
        }
    }
    double waves = ceil(items / units);
    *tiles_out = tiles;
    *waves_out = waves;
    return waves * units * tm * tn * slice_k;
}

/* The data-parallel kernel a library would pick: the profile's tile, cut down to a
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
    issued_dp(const roof_hw *hw, const roof_gemm *g, const split_ctx *sc, double *waves_out, double *fix_out,
              double full[3])
{
    double tm = tile_edge(g->m, (double)hw->tile_m), tn = tile_edge(g->n, (double)hw->tile_n);
    double units = (double)hw->units;
    /* The rows of tiles are the same for every width: computed once. */
    double rows = g->batch * ceil(g->m / tm);
    double tiles;
    double best = issued_for(g, rows, tm, tn, units, sc, &tiles, waves_out, fix_out);
    /* The profile's tile and its count, for the stream-K tail. */
    full[0] = tm, full[1] = tn, full[2] = tiles;
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
        double waves, fix;
        double issued = issued_for(g, rows, tm, w, units, sc, &tiles, &waves, &fix);
        /* With the fixup, the cheaper of the two by time: max(loop, memory)
         * + fixup in multiply-adds (mem_macs = fix = 0 without it: the
         * issued work alone). */
        double m = sc->mem_macs;
        double cost = (issued > m ? issued : m) + fix, best_cost = (best > m ? best : m) + *fix_out;
        if (cost < best_cost) {
            best = issued;
            *waves_out = waves;
            *fix_out = fix;
        }
    }
    return best;
}

/* The kernel a library would pick, stream-K tails included: the
 * data-parallel choice above, or the profile's tile with a stream-K tail
 * (hw.gemm.stream_k_tail) where the heuristic takes one and it is the
 * cheaper by time, max(loop, memory) + fixup in multiply-adds, as the
 * split-K widths compare (a GEMM with a short k pays more fixup than the
 * tail saves: cuBLAS's heuristics pick among both kinds of kernel). */
#if defined(__GNUC__)
__attribute__((always_inline)) inline
#endif
    static double
    issued_macs(const roof_hw *hw, const roof_gemm *g, const split_ctx *sc, double *waves_out, double *fix_out)
{
    double full[3];
    double best = issued_dp(hw, g, sc, waves_out, fix_out, full);
    double units = (double)hw->units;
    if (!sc->tail || full[2] <= units)
        return best;
    double sk, waves, fix, m = sc->mem_macs;
    if (stream_k_tail(g, full[2], full[0], full[1], units, sc, &sk, &waves, &fix) &&
        (sk > m ? sk : m) + fix < (best > m ? best : m) + *fix_out) {
        best = sk;
        *waves_out = waves;
        *fix_out = fix;
    }
    return best;
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
    roof_gemm_cpu_traffic(hw, g, &parts, &ab_bytes, &c_bytes);
    double bytes = ab_bytes + c_bytes;

    /* Roofline (Williams, Waterman, Patterson, CACM 2009): the op takes the
     * longer of its compute time and its memory time. Quantized, the compute
     * time is that of the issued work: 2 FLOP per issued multiply-add. */
    double tc, tm, overhead = 0.0, util = 1.0, waves = 0.0, epilogue = 0.0, dram = 0.0, fixup = 0.0;
    if (flags & ROOF_GEMM_IDEAL) {
        tc = flops / peak;
        tm = bytes / hw->mem_bandwidth;
    } else {
        double rate = peak * gemm_eff(hw, g), bw = parts.bandwidth;
        double mpb = hw->gemm_stream_k ? rate / (2.0 * bw) : 0.0, fix;
        split_ctx sc = {mpb, bytes * mpb, mpb > 0.0 && hw->gemm_stream_k_tail};
        double issued = issued_macs(hw, g, &sc, &waves, &fix);
        fixup = 2.0 * fix / rate;
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
    out->fixup_s = fixup;
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
    out->time_s = hi + epilogue + overhead + dram + fixup; /* the split's fixup after the loop (issued_for) */
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
    double rate = peak * gemm_eff(hw, g), bw = hw->mem_bandwidth * hw->eff_memory;
    double mpb = hw->gemm_stream_k ? rate / (2.0 * bw) : 0.0, fix;
    split_ctx sc = {mpb, bytes * mpb, mpb > 0.0 && hw->gemm_stream_k_tail};
    double issued = issued_macs(hw, g, &sc, &waves, &fix);
    double overhead = hw->kernel_overhead;
    int compute = 2.0 * issued * bw >= bytes * rate;
    double t = compute ? 2.0 * issued / rate : bytes / bw;
    *out = (roof_gemm_time){.flops = flops,
                            .bytes = bytes,
                            .compute_time_s = compute ? t : 0.0,
                            .memory_time_s = compute ? 0.0 : t,
                            .overhead_s = overhead,
                            .waves = waves,
                            .fixup_s = 2.0 * fix / rate,
                            .time_s = t + overhead + 2.0 * fix / rate,
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
    /* Roofline (Williams, Waterman, Patterson, CACM 2009); a fused
     * attention kernel at its own fraction of the peak (hw/hw.h). */
    double eff = flags & ROOF_KERNEL_ATTENTION ? roof_hw_attn_eff(hw, dtype) : roof_hw_eff(hw, dtype);
    out->compute_time_s = flops / (peak * (ideal ? 1.0 : eff));
    out->memory_time_s = bytes / (hw->mem_bandwidth * (ideal ? 1.0 : hw->eff_memory));
    out->overhead_s = ideal ? 0.0 : hw->kernel_overhead;
    out->bound = out->compute_time_s >= out->memory_time_s ? ROOF_BOUND_COMPUTE : ROOF_BOUND_MEMORY;
    out->time_s = (out->bound == ROOF_BOUND_COMPUTE ? out->compute_time_s : out->memory_time_s) + out->overhead_s;
    return ROOF_OK;
}
