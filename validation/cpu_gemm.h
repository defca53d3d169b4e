/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host's own GEMMs: OpenBLAS sgemm, dgemm (and sbgemm where the build
 * has it) timed over shapes from memory-bound to compute-bound, and the fit
 * of a host hardware profile to those times, so that Get_Time can be
 * checked against measurements on any machine.
 *
 * Timing uses CLOCK_MONOTONIC and the fastest of repeats (BLIS's test
 * drivers take the best or the median likewise). Progress goes through a
 * callback the caller supplies: this library never prints. The caller owns
 * every array; roof_cpu_bench allocates its matrices for its own duration.
 */
#ifndef ROOF_VALIDATION_CPU_GEMM_H
#define ROOF_VALIDATION_CPU_GEMM_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "hw/dtype.h"
#include "hw/hw.h"
#include "validation/fit.h"

/* OpenBLAS runs a GEMM with m*n*k <= SMP_THRESHOLD_MIN (65536) *
 * GEMM_MULTITHREAD_THRESHOLD (4, its Makefile.system default) on one
 * thread, whatever openblas_set_num_threads says (interface/gemm.c, the
 * "MNK <= ..." test before "args.nthreads = 1"). */
#define ROOF_OPENBLAS_SERIAL_MNK (65536.0 * 4.0)

/* OpenBLAS's SWITCH_RATIO, which sets how driver/level3/level3_thread.c
 * splits m and n over threads (hw/gemm.c, split_of): the default 2 of
 * level3_thread.c, which the Haswell kernels of 0.3.21 keep. Measured here:
 * dgemm 4096 x 4096 x n on 2 threads scales for n = 1..3 and slows down
 * for n >= 4 = 2 x SWITCH_RATIO, where the split turns to n. */
#define ROOF_OPENBLAS_SWITCH_RATIO 2

typedef struct roof_cpu_case {
    const char *kind; /* square, skinny-k, tall-m, gemv, odd */
    roof_dtype dtype; /* fp64 (dgemm), fp32 (sgemm), bf16 (sbgemm) */
    int64_t m, k, n;
    int threads;
    int held_out;  /* 1: kept out of the fit, used to check it */
    double time_s; /* measured, one call: the fastest sample over all rounds, in CPU time per thread used */
    double wall_s; /* the fastest sample's wall-clock time */
    int reps;      /* timed samples over all rounds */
} roof_cpu_case;

/* What the host says about itself: the datasheet-style roofline's inputs. */
typedef struct roof_cpu_host {
    char model[128];
    int cores;                              /* online logical CPUs */
    double mhz;                             /* nominal clock (/proc/cpuinfo "cpu MHz") */
    double flops_per_cycle;                 /* fp64 per core: 2 FMA pipes x vector lanes x 2 */
    double peak_fp64, peak_fp32, peak_bf16; /* cores x mhz x FLOP/cycle, FLOP/s */
    double copy_bandwidth;                  /* B/s, best of a few 256 MiB memcpy (read + write) */
} roof_cpu_host;

typedef void (*roof_progress_fn)(void *ctx, size_t done, size_t total, const roof_cpu_case *c);

/* 1 when this build of OpenBLAS has cblas_sbgemm. */
int roof_cpu_have_sbgemm(void);

/* Fills cases (capacity cap) with the shape list for the given thread
 * counts: quick keeps the shapes under about 2 GFLOP. Every third shape of
 * each dtype and thread count is held out. */
int roof_cpu_cases(int quick, const int *threads, int nthreads, roof_cpu_case *cases, size_t cap, size_t *n,
                   roof_error *err);

/* Times every case (fills time_s and reps). quick repeats less. */
int roof_cpu_bench(roof_cpu_case *cases, size_t n, int quick, roof_progress_fn progress, void *ctx, roof_error *err);

/* Reads /proc/cpuinfo and measures copy bandwidth (one thread). */
int roof_cpu_host_info(roof_cpu_host *h, roof_error *err);

/* The copy bandwidth of `threads` threads copying at once (B/s, read +
 * write): the DRAM bandwidth a fit on that many threads is given. */
int roof_cpu_copy_bandwidth(int threads, double *bandwidth, roof_error *err);

/* The host profile's fitted values. Get_Time with tile_m = tile_n = units
 * = 1 (no quantization: OpenBLAS's blocking is a cache blocking, not the
 * waves of a GPU) is t = overhead + (tc^r + tm^r)^(1/r) + DRAM time, with
 * tc = F / P_dt (one thread's share of P below OpenBLAS's serial
 * threshold), tm = (pack s (mk + kn) + s mn (1 + 2 ceil(k / KC))) / BW,
 * of which the fraction epilogue of C's part adds after the norm, and the
 * DRAM time (1 - cache / footprint) (A and B once + C's passes) / the
 * copy bandwidth measured on the same threads (hw/gemm.c). The fit is of P for each dtype
 * present, BW, overhead, r, pack, epilogue and cache; a threaded fit on a
 * one-thread fit's base keeps its pack, epilogue and cache (properties of
 * the kernel and the cache, not of the threads) and takes its BW and r for
 * the GEMMs OpenBLAS runs on one thread. */
typedef struct roof_cpu_fit {
    double peak[ROOF_DT_COUNT]; /* achieved FLOP/s per dtype (0: not fitted) */
    double bandwidth;           /* achieved B/s in cache */
    double overhead_s;          /* per call */
    double ridge;               /* r of (tc^r + tm^r)^(1/r), hw.gemm.ridge */
    double pack;                /* bytes per byte of A and B, hw.gemm.pack */
    double epilogue;            /* fraction of C's traffic not overlapped, hw.gemm.epilogue */
    double cache;               /* B of operands that stay in cache between calls, hw.gemm.cache */
    double dram_bandwidth;      /* B/s beyond it: the copy bandwidth measured on the threads, hw.gemm.dram_bandwidth */
    double serial_bandwidth;    /* the one-thread base's BW (0: no base), hw.gemm.serial_bandwidth */
    double serial_ridge;        /* the one-thread base's r (0: no base), hw.gemm.serial_ridge */
    int threads;
    roof_fit_result res;
} roof_cpu_fit;

/* Fits the cases with threads == threads and held_out == 0; dram_bandwidth
 * is the copy bandwidth of that many threads (B/s, roof_cpu_copy_bandwidth). base, when not NULL, is a one-thread
 * fit of the same host that a threaded fit builds on (see above). */
int roof_cpu_fit_cases(const roof_cpu_case *cases, size_t n, int threads, double dram_bandwidth,
                       const roof_cpu_fit *base, roof_cpu_fit *fit, roof_error *err);

/* A profile that Get_Time evaluates exactly as the fit: datasheet peaks
 * with eff_compute = achieved/peak (fp64), the other dtypes' peaks scaled
 * so that their achieved value is kept; or, with fit NULL, the pure
 * datasheet-style roofline of h (eff 1, no overhead). */
void roof_cpu_profile(const roof_cpu_host *h, const roof_cpu_fit *fit, roof_hw *hw);

/* Predicted time of case c on hw by Get_Time. */
int roof_cpu_predict(const roof_hw *hw, const roof_cpu_case *c, double *time_s, roof_error *err);

/* The profile as a .cfg that --hw accepts, into buf (size cap). */
int roof_cpu_profile_text(const roof_cpu_host *h, const roof_cpu_fit *fit, const roof_hw *hw, char *buf, size_t cap,
                          roof_error *err);

#endif
