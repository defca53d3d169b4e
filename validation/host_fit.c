/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host profile: what /proc/cpuinfo says (the datasheet-style
 * roofline), the fit of Get_Time to the measured OpenBLAS times, and the
 * fitted profile as a .cfg. Declared in validation/cpu_gemm.h. */
#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw/gemm.h"
#include "validation/cpu_gemm.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One thread's share of a copy: its own pair of buffers. */
typedef struct {
    char *a, *b;
    size_t n;
} copy_job;

static void *copy_part(void *arg)
{
    copy_job *j = arg;
    memcpy(j->b, j->a, j->n);
    j->a[0] = j->b[j->n - 1]; /* keep the copy observable */
    return NULL;
}

/* Copies timed; the best counts. */
#define COPY_REPS 5

/* STREAM-style copy (McCalpin, "Memory Bandwidth and Machine Balance",
 * 1995): bytes read plus bytes written over the time; best of COPY_REPS
 * on 256 MiB in all, far beyond any cache, split over `threads` threads that each copy
 * their own buffers at once. A core keeps a bounded number of misses in
 * flight, so one core's copy does not reach the memory's bandwidth: on this
 * project's 2-core host one thread copies about 30 GB/s and two about 58.
 * Returns 0 when the buffers or threads cannot be had. */
static double copy_bandwidth(int threads)
{
    enum { MAX_COPY_THREADS = 1024 }; /* validate gemm --threads allows as many */
    if (threads < 1 || threads > MAX_COPY_THREADS)
        return 0.0;
    copy_job jobs[MAX_COPY_THREADS];
    pthread_t ids[MAX_COPY_THREADS];
    size_t n = ((size_t)256 << 20) / (size_t)threads;
    double best = 0.0;
    int ok = 1, made = 0;
    for (; made < threads; made++) {
        jobs[made] = (copy_job){malloc(n), malloc(n), n};
        if (!jobs[made].a || !jobs[made].b) {
            ok = 0;
            made++;
            break;
        }
        memset(jobs[made].a, 1, n);
        memset(jobs[made].b, 2, n);
    }
    for (int r = 0; ok && r < COPY_REPS; r++) {
        double t0 = now_s();
        int started = 0;
        for (; started < threads; started++)
            if (pthread_create(&ids[started], NULL, copy_part, &jobs[started]) != 0) {
                ok = 0;
                break;
            }
        for (int t = 0; t < started; t++)
            pthread_join(ids[t], NULL);
        double dt = now_s() - t0;
        if (ok && dt > 0.0 && 2.0 * (double)n * (double)threads / dt > best)
            best = 2.0 * (double)n * (double)threads / dt;
    }
    for (int t = 0; t < made; t++) {
        free(jobs[t].a);
        free(jobs[t].b);
    }
    return ok ? best : 0.0;
}

int roof_cpu_copy_bandwidth(int threads, double *bandwidth, roof_error *err)
{
    *bandwidth = copy_bandwidth(threads);
    if (!(*bandwidth > 0.0))
        return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "cannot measure the copy bandwidth on %d thread%s",
                              threads, threads == 1 ? "" : "s");
    return ROOF_OK;
}

int roof_cpu_host_info(roof_cpu_host *h, roof_error *err)
{
    memset(h, 0, sizeof *h);
    snprintf(h->model, sizeof h->model, "unknown CPU");
    h->cores = openblas_get_num_procs();
    if (h->cores < 1)
        h->cores = 1;
    FILE *f = fopen("/proc/cpuinfo", "r");
    int avx512 = 0, avx2 = 0, avx = 0, bf16 = 0;
    if (f) {
        char line[8192];
        while (fgets(line, sizeof line, f)) {
            char *colon = strchr(line, ':');
            if (!colon)
                continue;
            char *v = colon + 1 + strspn(colon + 1, " \t");
            v[strcspn(v, "\n")] = '\0';
            if (strncmp(line, "model name", 10) == 0 && strcmp(h->model, "unknown CPU") == 0)
                snprintf(h->model, sizeof h->model, "%s", v);
            else if (strncmp(line, "cpu MHz", 7) == 0 && h->mhz == 0.0)
                h->mhz = strtod(v, NULL);
            else if (strncmp(line, "flags", 5) == 0 && !avx) {
                avx512 = strstr(v, " avx512f") != NULL;
                avx2 = strstr(v, " avx2") != NULL && strstr(v, " fma") != NULL;
                avx = strstr(v, " avx") != NULL;
                bf16 = strstr(v, " avx512_bf16") != NULL;
            }
        }
        fclose(f);
    }
    if (!(h->mhz > 0.0))
        return roof_error_set(err, ROOF_ERR_RUNTIME, "/proc/cpuinfo", "no 'cpu MHz' line: cannot tell the clock");
    /* fp64 FLOP per cycle and core: two FMA pipes (Intel since Haswell, AMD
     * since Zen 2) x vector lanes x 2 FLOP per FMA; AVX-512: 8 lanes, AVX2:
     * 4, SSE2: 2 (and no FMA: add and multiply pipes, the same count). */
    h->flops_per_cycle = 2.0 * (avx512 ? 8.0 : avx2 || avx ? 4.0 : 2.0) * 2.0;
    h->peak_fp64 = (double)h->cores * h->mhz * 1e6 * h->flops_per_cycle;
    h->peak_fp32 = 2.0 * h->peak_fp64;
    /* AVX512_BF16's VDPBF16PS does two bf16 products per fp32 lane. */
    h->peak_bf16 = bf16 ? 2.0 * h->peak_fp32 : h->peak_fp32;
    return roof_cpu_copy_bandwidth(1, &h->copy_bandwidth, err);
}

/* OpenBLAS's k blocking GEMM_Q (KC) for dgemm on the Haswell kernels that
 * the 0.3.21 DYNAMIC_ARCH build picks on this host (openblas_get_corename()
 * says "Haswell"): DGEMM_DEFAULT_Q 256 in param.h's HASWELL section, as
 * issue #6 reports it. C is read and written once per KC block of k
 * (driver/level3/level3.c, the `ls` loop: min_l = GEMM_Q, or half the
 * rest, so ceil(k / Q) blocks). One value serves sgemm too, whose Q may
 * differ: the shapes here have k <= 256 or far above it but for 333. */
#define OPENBLAS_KC 256.0

/* Get_Time on a CPU: tiles of one element over one unit turn quantization
 * off (utilization 1), so t = overhead + max(F / (P eff), bytes / (BW eff)),
 * with OpenBLAS's packing, C traffic and serial threshold (hw/gemm.c). */
static void cpu_base(roof_hw *hw, int threads)
{
    memset(hw, 0, sizeof *hw);
    snprintf(hw->name, sizeof hw->name, "host-cpu");
    hw->tile_m = hw->tile_n = hw->units = 1;
    hw->mem_capacity = 1e9;
    hw->node.size = 1;
    hw->cluster.size = 1;
    hw->gemm_block_k = OPENBLAS_KC;
    hw->gemm_threads = threads;
    hw->gemm_serial_mnk = threads > 1 ? ROOF_OPENBLAS_SERIAL_MNK : 0.0;
    hw->gemm_switch_ratio = threads > 1 ? ROOF_OPENBLAS_SWITCH_RATIO : 0;
}

void roof_cpu_profile(const roof_cpu_host *h, const roof_cpu_fit *fit, roof_hw *hw)
{
    cpu_base(hw, fit ? fit->threads : 1);
    if (!fit) {
        /* The datasheet-style roofline: bytes read and written once. */
        hw->gemm_block_k = 0.0;
        hw->compute[ROOF_DT_FP64] = h->peak_fp64;
        hw->compute[ROOF_DT_FP32] = h->peak_fp32;
        hw->compute[ROOF_DT_BF16] = h->peak_bf16;
        hw->mem_bandwidth = h->copy_bandwidth;
        hw->eff_compute = hw->eff_memory = 1.0;
        return;
    }
    /* Efficiencies against the datasheet values for the threads used; where
     * the fit beats them (a turbo clock, or operands in cache), the fitted
     * value becomes the peak with efficiency 1, so the profile stays in
     * range. */
    double sheet = h->peak_fp64 * (double)fit->threads / (double)(h->cores > 0 ? h->cores : 1);
    double base = sheet > fit->peak[ROOF_DT_FP64] ? sheet : fit->peak[ROOF_DT_FP64];
    hw->eff_compute = fit->peak[ROOF_DT_FP64] / base;
    for (int d = 0; d < ROOF_DT_COUNT; d++)
        if (fit->peak[d] > 0.0)
            hw->compute[d] = fit->peak[d] / hw->eff_compute;
    double bw = h->copy_bandwidth > fit->bandwidth ? h->copy_bandwidth : fit->bandwidth;
    hw->mem_bandwidth = bw;
    hw->eff_memory = fit->bandwidth / bw;
    hw->kernel_overhead = fit->overhead_s;
    hw->gemm_ridge = fit->ridge;
    hw->gemm_pack = fit->pack;
    hw->gemm_epilogue = fit->epilogue;
    hw->gemm_cache = fit->cache;
    hw->gemm_dram_bw = fit->dram_bandwidth;
    hw->gemm_serial_bw = fit->serial_bandwidth;
    hw->gemm_serial_ridge = fit->serial_ridge;
}

int roof_cpu_predict(const roof_hw *hw, const roof_cpu_case *c, double *time_s, roof_error *err)
{
    roof_gemm g = {1.0, (double)c->m, (double)c->k, (double)c->n, c->dtype, 0, 0.0};
    roof_gemm_time t;
    int rc = roof_gemm_time_of(hw, &g, 0, &t, err);
    if (rc == ROOF_OK)
        *time_s = t.time_s;
    return rc;
}

typedef struct {
    const roof_cpu_case **train;
    double *weight;          /* IRLS weight of each training case's residual (irls sets them) */
    int slot[ROOF_DT_COUNT]; /* parameter index of each dtype's peak, -1 if none */
    size_t nparams;
    int threads;
    double dram_bandwidth;    /* B/s, measured */
    const roof_cpu_fit *base; /* a one-thread fit whose kernel terms a threaded fit keeps, or NULL */
} fit_ctx;

/* The parameter vector: the peaks (one per dtype present), bandwidth,
 * overhead and the ridge exponent; then, without a base fit, the packing
 * factor, the epilogue fraction (hw/gemm.c: OpenBLAS's micro-kernel loads,
 * adds and stores its C tile after its k loop, so C's traffic overlaps the
 * multiply-adds less than A's and B's) and the cache. */
enum { P_BW, P_OVERHEAD, P_RIDGE, P_PACK, P_EPILOGUE, P_CACHE, P_COMMON = 3, P_KERNEL = 6 };

static void fit_profile(const fit_ctx *c, const double *p, roof_hw *hw)
{
    cpu_base(hw, c->threads);
    size_t np = c->nparams - (c->base ? P_COMMON : P_KERNEL);
    for (int d = 0; d < ROOF_DT_COUNT; d++)
        if (c->slot[d] >= 0)
            hw->compute[d] = p[c->slot[d]];
    hw->mem_bandwidth = p[np + P_BW];
    hw->kernel_overhead = p[np + P_OVERHEAD];
    hw->gemm_ridge = p[np + P_RIDGE];
    if (c->base) {
        hw->gemm_pack = c->base->pack;
        hw->gemm_epilogue = c->base->epilogue;
        hw->gemm_cache = c->base->cache;
        hw->gemm_serial_bw = c->base->bandwidth;
        hw->gemm_serial_ridge = c->base->ridge;
    } else {
        hw->gemm_pack = p[np + P_PACK];
        hw->gemm_epilogue = p[np + P_EPILOGUE];
        hw->gemm_cache = p[np + P_CACHE];
    }
    hw->gemm_dram_bw = c->dram_bandwidth;
    hw->eff_compute = hw->eff_memory = 1.0;
}

static int cpu_model(const double *p, size_t i, void *vctx, double *pred, roof_error *err)
{
    fit_ctx *c = vctx;
    roof_hw hw;
    fit_profile(c, p, &hw);
    int rc = roof_cpu_predict(&hw, c->train[i], pred, err);
    /* The fit's residual is log(pred / meas); returning meas (pred /
     * meas)^w makes it w log(pred / meas), a weighted residual. */
    double meas = c->train[i]->time_s;
    if (rc == ROOF_OK && c->weight[i] != 1.0 && *pred > 0.0)
        *pred = meas * pow(*pred / meas, c->weight[i]);
    return rc;
}

/* Rounds of iteratively reweighted least squares (Holland and Welsch,
 * "Robust regression using iteratively reweighted least-squares", 1977):
 * weighting each squared log residual r^2 by 1 / |r| of the previous round
 * minimizes sum |r|, the L1 norm, whose fit the mean absolute percentage
 * error reports; a few shapes that a shared machine slowed (or an OpenBLAS
 * partitioning anomaly) pull an L1 fit far less than a least-squares one.
 * |r| below IRLS_FLOOR counts as IRLS_FLOOR, so no weight is infinite. */
#define IRLS_ROUNDS 6
#define IRLS_FLOOR 0.01

/* IRLS rounds from p (the start on entry, the fit on return); *l1 is the
 * sum of absolute log errors at the fit. */
static int irls(fit_ctx *ctx, double *p, const double *lo, const double *hi, size_t nt, const double *meas,
                roof_fit_result *res, double *l1, roof_error *err)
{
    double *weight = ctx->weight;
    for (size_t i = 0; i < nt; i++)
        weight[i] = 1.0;
    for (int round = 0; round < IRLS_ROUNDS; round++) {
        /* A parameter that ended on a bound restarts just inside it. */
        for (size_t j = 0; j < ctx->nparams; j++) {
            double in_lo = lo[j] + 1e-6 * (isinf(hi[j]) ? fabs(p[j]) + 1e-12 : hi[j] - lo[j]);
            double in_hi = isinf(hi[j]) ? INFINITY : hi[j] - 1e-6 * (hi[j] - lo[j]);
            p[j] = p[j] < in_lo ? in_lo : p[j] > in_hi ? in_hi : p[j];
        }
        int rc = roof_fit_log(ctx->nparams, p, lo, hi, nt, meas, cpu_model, ctx, res, err);
        if (rc != ROOF_OK)
            return rc;
        *l1 = 0.0;
        for (size_t i = 0; i < nt; i++) {
            double pred;
            weight[i] = 1.0;
            if ((rc = cpu_model(p, i, ctx, &pred, err)) != ROOF_OK)
                return rc;
            double r = fabs(log(pred / meas[i]));
            *l1 += r;
            weight[i] = 1.0 / sqrt(r > IRLS_FLOOR ? r : IRLS_FLOOR);
        }
    }
    return ROOF_OK;
}

int roof_cpu_fit_cases(const roof_cpu_case *cases, size_t n, int threads, double dram_bandwidth,
                       const roof_cpu_fit *base, roof_cpu_fit *fit, roof_error *err)
{
    memset(fit, 0, sizeof *fit);
    fit->threads = threads;
    const roof_cpu_case **train = calloc(n ? n : 1, sizeof *train);
    double *meas = calloc(n ? n : 1, sizeof *meas), *weight = calloc(n ? n : 1, sizeof *weight);
    int rc = ROOF_OK;
    if (!train || !meas || !weight) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "out of memory");
        goto out;
    }
    if (!(dram_bandwidth > 0.0)) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "the DRAM bandwidth must be positive");
        goto out;
    }
    fit_ctx ctx = {.threads = threads, .dram_bandwidth = dram_bandwidth, .base = base};
    for (int d = 0; d < ROOF_DT_COUNT; d++)
        ctx.slot[d] = -1;
    size_t nt = 0, np = 0;
    double start[ROOF_FIT_MAX_PARAMS] = {0}, bw0 = 0.0;
    for (size_t i = 0; i < n; i++) {
        const roof_cpu_case *c = &cases[i];
        if (c->threads != threads || c->held_out || !(c->time_s > 0.0))
            continue;
        if (ctx.slot[c->dtype] < 0)
            ctx.slot[c->dtype] = (int)np++;
        /* Start from the best achieved rates: every measurement is a lower
         * bound on the peak and on the bandwidth. */
        double s = roof_dtype_bytes(c->dtype), m = (double)c->m, k = (double)c->k, nn = (double)c->n;
        double rate = 2.0 * m * k * nn / c->time_s, bw = s * (m * k + k * nn + m * nn) / c->time_s;
        if (rate > start[ctx.slot[c->dtype]])
            start[ctx.slot[c->dtype]] = rate;
        if (bw > bw0)
            bw0 = bw;
        train[nt] = c;
        meas[nt++] = c->time_s;
    }
    ctx.nparams = np + (base ? P_COMMON : P_KERNEL);
    if (ctx.nparams > ROOF_FIT_MAX_PARAMS) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "too many dtypes");
        goto out;
    }
    ctx.train = train;
    /* Peaks, bandwidth and overhead are positive; the ridge exponent runs
     * from the sum (1) to all but the max (1000); packing moves each byte of
     * A and B at least once (1) and less than 100 times; the cache holds
     * from an L1 (64 KiB) to 4 GiB. */
    double lo[ROOF_FIT_MAX_PARAMS] = {0}, hi[ROOF_FIT_MAX_PARAMS];
    for (size_t j = 0; j < ctx.nparams; j++)
        hi[j] = INFINITY;
    start[np + P_BW] = bw0;
    lo[np + P_RIDGE] = 1.0;
    hi[np + P_RIDGE] = 1000.0;
    if (!base) {
        start[np + P_PACK] = 2.0;     /* read, then the buffer written */
        start[np + P_EPILOGUE] = 0.5; /* half of C's traffic overlapped */
        start[np + P_CACHE] = 32.0 * 1048576.0;
        lo[np + P_PACK] = 1.0;
        hi[np + P_PACK] = 100.0;
        lo[np + P_EPILOGUE] = 0.0;
        hi[np + P_EPILOGUE] = 1.0;
        lo[np + P_CACHE] = 65536.0;
        hi[np + P_CACHE] = 4294967296.0;
    }
    ctx.weight = weight;
    /* The fit is not convex: from one start the solver can settle where
     * the overhead or the ridge has no gradient left (an overhead near 0
     * under its exponential transform). It runs from a few starts of
     * those two, and the one with the smallest sum of absolute log errors
     * (what the IRLS rounds minimize) is kept. */
    static const double starts[][2] = {{1e-6, 4.0}, {1e-5, 1.5}, {1e-7, 16.0}, {1e-5, 4.0}};
    double best[ROOF_FIT_MAX_PARAMS], best_l1 = INFINITY;
    for (size_t s0 = 0; s0 < sizeof starts / sizeof starts[0]; s0++) {
        double p[ROOF_FIT_MAX_PARAMS], l1;
        roof_fit_result res;
        memcpy(p, start, sizeof p);
        p[np + P_OVERHEAD] = starts[s0][0];
        p[np + P_RIDGE] = starts[s0][1];
        if ((rc = irls(&ctx, p, lo, hi, nt, meas, &res, &l1, err)) != ROOF_OK)
            goto out;
        if (l1 < best_l1) {
            best_l1 = l1;
            memcpy(best, p, sizeof best);
            fit->res = res; /* the kept start's solver result (its iterations) */
        }
    }
    memcpy(start, best, sizeof best);
    /* rms_log of the unweighted residuals at the final parameters. */
    double ss = 0.0;
    for (size_t i = 0; i < nt; i++) {
        double pred;
        weight[i] = 1.0;
        if ((rc = cpu_model(start, i, &ctx, &pred, err)) != ROOF_OK)
            goto out;
        ss += log(pred / meas[i]) * log(pred / meas[i]);
    }
    fit->res.rms_log = sqrt(ss / (double)(nt ? nt : 1));
    roof_hw hw;
    fit_profile(&ctx, start, &hw);
    for (int d = 0; d < ROOF_DT_COUNT; d++)
        fit->peak[d] = hw.compute[d];
    fit->bandwidth = hw.mem_bandwidth;
    fit->overhead_s = hw.kernel_overhead;
    fit->ridge = hw.gemm_ridge;
    fit->pack = hw.gemm_pack;
    fit->epilogue = hw.gemm_epilogue;
    fit->cache = hw.gemm_cache;
    fit->dram_bandwidth = hw.gemm_dram_bw;
    fit->serial_bandwidth = hw.gemm_serial_bw;
    fit->serial_ridge = hw.gemm_serial_ridge;
out:
    free(train);
    free(meas);
    free(weight);
    return rc;
}

int roof_cpu_profile_text(const roof_cpu_host *h, const roof_cpu_fit *fit, const roof_hw *hw, char *buf, size_t cap,
                          roof_error *err)
{
    size_t k = 0;
#define EMIT(...)                                                                              \
    do {                                                                                       \
        int w_ = snprintf(buf + k, cap - k, __VA_ARGS__);                                      \
        if (w_ < 0 || (size_t)w_ >= cap - k)                                                   \
            return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "profile text too long"); \
        k += (size_t)w_;                                                                       \
    } while (0)
    const char *plural = fit->threads == 1 ? "" : "s";
    EMIT("# This host (%s, %d thread%s), fitted by `llmroof validate gemm --threads %d`:\n"
         "# GSL nonlinear least squares (log residuals) of Get_Time to the measured times\n"
         "# of %s over the training shapes (rms log error %.3f).\n"
         "# Peaks are the datasheet-style values (threads x clock x FLOP/cycle from\n"
         "# /proc/cpuinfo) unless the fit beat them; efficiencies are fit / peak.\n",
         h->model, fit->threads, plural, fit->threads, openblas_get_config(), fit->res.rms_log);
    EMIT("name = \"host-cpu\";\ndescription = \"%s, %d thread%s (fitted)\";\n\ncompute:\n{\n", h->model, fit->threads,
         plural);
    static const struct {
        roof_dtype dt;
        const char *name, *routine;
    } dts[] = {{ROOF_DT_FP64, "fp64", "dgemm"}, {ROOF_DT_FP32, "fp32", "sgemm"}, {ROOF_DT_BF16, "bf16", "sbgemm"}};
    for (size_t i = 0; i < sizeof dts / sizeof dts[0]; i++)
        if (hw->compute[dts[i].dt] > 0.0)
            EMIT("  %s = %.6g;  # fit: %s achieves %.4g FLOP/s; divided by efficiency.compute\n", dts[i].name,
                 hw->compute[dts[i].dt], dts[i].routine, fit->peak[dts[i].dt]);
    EMIT("};\nmemory:\n{\n"
         "  bandwidth = %.6g;  # max of measured memcpy (read + write, 256 MiB) %.4g B/s and the fit\n"
         "  capacity = 1e9;    # placeholder: not used by the GEMM validation\n};\n",
         hw->mem_bandwidth, h->copy_bandwidth);
    EMIT("efficiency:\n{\n  compute = %.6g;  # fit: dgemm %.4g / peak fp64\n"
         "  memory = %.6g;   # fit: achieved %.4g B/s / memory.bandwidth\n};\n",
         hw->eff_compute, fit->peak[ROOF_DT_FP64], hw->eff_memory, fit->bandwidth);
    EMIT("gemm:\n{\n  tile_m = 1;  # no quantization: OpenBLAS blocks for caches, not for waves over units\n"
         "  tile_n = 1;\n  units = 1;\n"
         "  ridge = %.6g;  # fit: (compute^r + memory^r)^(1/r) near the ridge\n"
         "  pack = %.6g;   # fit: bytes moved per byte of A and B (OpenBLAS packs them into buffers)\n"
         "  epilogue = %.6g;  # fit: fraction of C's traffic after the kernel's k loop, not overlapped\n"
         "  block_k = %.6g;  # OpenBLAS dgemm GEMM_Q on Haswell kernels: C read and written once per KC of k\n"
         "  cache = %.6g;  # fit: bytes of operands that stay in cache between calls\n"
         "  dram_bandwidth = %.6g;  # measured memcpy on these threads (read + write, 256 MiB): traffic beyond the "
         "cache\n"
         "  threads = %lld;\n"
         "  serial_mnk = %.6g;  # OpenBLAS interface/gemm.c: m*n*k <= 65536 * 4 runs on one thread\n"
         "  switch_ratio = %lld;  # OpenBLAS level3_thread.c SWITCH_RATIO: n >= 2 x this is split over threads\n",
         hw->gemm_ridge, hw->gemm_pack, hw->gemm_epilogue, hw->gemm_block_k, hw->gemm_cache, hw->gemm_dram_bw,
         (long long)hw->gemm_threads, hw->gemm_serial_mnk, (long long)hw->gemm_switch_ratio);
    if (hw->gemm_serial_bw > 0.0)
        EMIT("  serial_bandwidth = %.6g;  # the 1-thread fit's bandwidth, for GEMMs run on one thread\n"
             "  serial_ridge = %.6g;  # the 1-thread fit's ridge, likewise\n",
             hw->gemm_serial_bw, hw->gemm_serial_ridge);
    EMIT("};\nkernel:\n{\n  overhead = %.6g;  # fit: per-call cost (threading, dispatch)\n};\n", hw->kernel_overhead);
    EMIT("network:  # placeholders: one host, no network is modelled\n{\n"
         "  node: { size = 1; bandwidth = 1e9; latency = 1e-6; efficiency = 1.0; };\n"
         "  cluster: { size = 1; bandwidth = 1e9; latency = 1e-6; efficiency = 1.0; };\n};\n"
         "price: { usd_per_hour = 0.0; };  # placeholder\n"
         "power: { watts = 100.0; };       # placeholder\n");
#undef EMIT
    return ROOF_OK;
}
