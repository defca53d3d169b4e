/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "validation/cpu_gemm.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw/gemm.h"

/* The shapes, from memory-bound to compute-bound: square sizes 32..4096
 * (some not multiples of any kernel blocking: 100, 333, 777, 1000, 1500,
 * 3000), skinny k (rank-k updates), tall m (activations times a small
 * weight), GEMV-like (n or m of 1 to 4), and odd sizes on every edge. */
typedef struct {
    const char *kind;
    int64_t m, k, n;
} shape;

static const shape shapes[] = {
    {"square", 32, 32, 32},       {"square", 64, 64, 64},       {"square", 100, 100, 100},
    {"square", 128, 128, 128},    {"square", 200, 200, 200},    {"square", 256, 256, 256},
    {"square", 333, 333, 333},    {"square", 512, 512, 512},    {"square", 777, 777, 777},
    {"square", 1000, 1000, 1000}, {"square", 1024, 1024, 1024}, {"square", 1500, 1500, 1500},
    {"square", 2048, 2048, 2048}, {"square", 3000, 3000, 3000}, {"square", 4096, 4096, 4096},
    {"skinny-k", 2048, 1, 2048},  {"skinny-k", 2048, 4, 2048},  {"skinny-k", 2048, 16, 2048},
    {"skinny-k", 2048, 64, 2048}, {"skinny-k", 1024, 8, 1024},  {"tall-m", 65536, 64, 64},
    {"tall-m", 65536, 256, 128},  {"tall-m", 16384, 128, 32},   {"gemv", 4096, 4096, 1},
    {"gemv", 4096, 4096, 4},      {"gemv", 1, 4096, 4096},      {"gemv", 2, 2048, 2048},
    {"odd", 1023, 1025, 1027},    {"odd", 257, 1000, 513},      {"odd", 1001, 65, 999},
    {"odd", 97, 3001, 101},
};

/* Quick mode keeps shapes under this many FLOPs (a 1024^3 GEMM is 2.1e9):
 * about a millisecond each on one core, so 60 s is never near. */
#define QUICK_MAX_FLOPS 2.2e9

#ifdef LLMROOF_HAVE_SBGEMM
int roof_cpu_have_sbgemm(void)
{
    return 1;
}
#else
int roof_cpu_have_sbgemm(void)
{
    return 0;
}
#endif

int roof_cpu_cases(int quick, const int *threads, int nthreads, roof_cpu_case *cases, size_t cap, size_t *n,
                   roof_error *err)
{
    roof_dtype dts[3] = {ROOF_DT_FP64, ROOF_DT_FP32, ROOF_DT_BF16};
    int ndt = roof_cpu_have_sbgemm() ? 3 : 2;
    size_t k = 0;
    for (int t = 0; t < nthreads; t++) {
        for (int d = 0; d < ndt; d++) {
            size_t in_group = 0;
            for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
                const shape *sh = &shapes[s];
                double flops = 2.0 * (double)sh->m * (double)sh->k * (double)sh->n;
                if (quick && flops > QUICK_MAX_FLOPS)
                    continue;
                if (k == cap)
                    return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "too many cases (at most %zu)", cap);
                /* Every third shape of a group checks the fit; the shapes are
                 * ordered by kind, so each kind has cases on both sides. */
                cases[k++] =
                    (roof_cpu_case){sh->kind, dts[d], sh->m, sh->k, sh->n, threads[t], in_group % 3 == 1, 0.0, 0.0, 0};
                in_group++;
            }
        }
    }
    *n = k;
    return ROOF_OK;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct {
    void *a, *b, *c;
} buffers;

/* One call of the case's GEMM, row-major, no transposes, alpha 1, beta 0. */
static void call(const roof_cpu_case *c, const buffers *buf)
{
    blasint m = (blasint)c->m, n = (blasint)c->n, k = (blasint)c->k;
    switch (c->dtype) {
    case ROOF_DT_FP64:
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0, buf->a, k, buf->b, n, 0.0, buf->c, n);
        break;
    case ROOF_DT_FP32:
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, buf->a, k, buf->b, n, 0.0f, buf->c, n);
        break;
    default:
#ifdef LLMROOF_HAVE_SBGEMM
        cblas_sbgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, buf->a, k, buf->b, n, 0.0f, buf->c, n);
#endif
        break;
    }
}

#define MAX_SAMPLES 51

/* CPU time of the calling thread, for a GEMM that OpenBLAS runs on that
 * thread alone (threads == 1, or m*n*k at or below
 * ROOF_OPENBLAS_SERIAL_MNK). A threaded GEMM is timed by the wall clock
 * only: the process CPU clock adds another thread's time only when the
 * kernel next accounts it (a scheduler tick or a switch, up to 4 ms at
 * HZ = 250), so a sample of a millisecond or two read about half the
 * CPU time two busy threads had used (sgemm 512^3 on 2 threads: 0.69 ms
 * of CPU per thread in 1.38 ms of wall time at 194 GFLOP/s, which one
 * core cannot reach). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The fastest time of one call in one round. A sample runs `inner` calls
 * back to back so that it lasts at least 50 us, well above the clock's
 * resolution; after a warm-up call, samples are taken until about target_s
 * has passed (at least min_samples). The matrices stay in cache between
 * calls where they fit: the times are those of a kernel called in a loop,
 * as in a layer. */
static double time_round(roof_cpu_case *c, const buffers *buf, int quick)
{
    double target_s = quick ? 0.015 : 0.1;
    int min_samples = 3;
    openblas_set_num_threads(c->threads);
    double t0 = now_s();
    call(c, buf);
    double first = now_s() - t0;
    t0 = now_s();
    call(c, buf);
    double one = now_s() - t0;
    if (one <= 0.0)
        one = first > 0.0 ? first : 1e-7;
    long inner = (long)ceil(50e-6 / one);
    if (inner < 1)
        inner = 1;
    if (inner > 100000)
        inner = 100000;
    int samples = (int)(target_s / (one * (double)inner));
    if (samples < min_samples)
        samples = min_samples;
    if (samples > MAX_SAMPLES)
        samples = MAX_SAMPLES;
    int used = (double)c->m * (double)c->n * (double)c->k <= ROOF_OPENBLAS_SERIAL_MNK ? 1 : c->threads;
    double t[MAX_SAMPLES] = {0}, w[MAX_SAMPLES] = {0};
    for (int s = 0; s < samples; s++) {
        t0 = now_s();
        double c0 = cpu_s();
        for (long i = 0; i < inner; i++)
            call(c, buf);
        double cpu = used > 1 ? 0.0 : cpu_s() - c0;
        w[s] = (now_s() - t0) / (double)inner;
        /* One thread: the wall time less the time the OS gave our core to
         * other work, on a shared machine the time the GEMM would take
         * alone. Threaded: the wall time (see cpu_s). */
        t[s] = cpu > 0.0 && cpu / (double)inner < w[s] ? cpu / (double)inner : w[s];
    }
    qsort(t, (size_t)samples, sizeof t[0], cmp_double);
    qsort(w, (size_t)samples, sizeof w[0], cmp_double);
    c->reps += samples;
    if (w[0] < c->wall_s)
        c->wall_s = w[0];
    return t[0];
}

/* Values in [0.5, 1.5) in the case's dtype keep every product finite and
 * free of denormals, which some cores run far slower. bf16 is the upper
 * half of an IEEE float. */
static void fill(roof_dtype dt, void *p, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        double v = 0.5 + (double)(i % 97) / 97.0;
        if (dt == ROOF_DT_FP64) {
            ((double *)p)[i] = v;
        } else if (dt == ROOF_DT_FP32) {
            ((float *)p)[i] = (float)v;
        } else {
            float f = (float)v;
            uint32_t bits;
            memcpy(&bits, &f, sizeof bits);
            ((uint16_t *)p)[i] = (uint16_t)(bits >> 16);
        }
    }
}

int roof_cpu_bench(roof_cpu_case *cases, size_t n, int quick, roof_progress_fn progress, void *ctx, roof_error *err)
{
    size_t ea = 1, eb = 1, ec = 1;
    for (size_t i = 0; i < n; i++) {
        size_t a = (size_t)(cases[i].m * cases[i].k), b = (size_t)(cases[i].k * cases[i].n),
               c = (size_t)(cases[i].m * cases[i].n);
        ea = a > ea ? a : ea;
        eb = b > eb ? b : eb;
        ec = c > ec ? c : ec;
    }
    /* Elements of 8 bytes hold any dtype. */
    buffers buf = {malloc(ea * 8), malloc(eb * 8), malloc(ec * 8)};
    int rc = ROOF_OK;
    if (!buf.a || !buf.b || !buf.c) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "out of memory for the GEMM matrices");
        goto out;
    }
    memset(buf.c, 0, ec * 8);
    /* Rounds over every case, each case's time its fastest sample over
     * all rounds: on a shared machine another process's burst of work
     * slows some samples and some rounds of a few shapes, never speeds one
     * up (BLIS's drivers take the minimum over repetitions for the same
     * reason). */
    int rounds = 3, filled = -1;
    for (size_t i = 0; i < n; i++) {
        cases[i].time_s = cases[i].wall_s = INFINITY;
        cases[i].reps = 0;
    }
    for (size_t j = 0; j < (size_t)rounds * n; j++) {
        size_t i = j % n;
        if (cases[i].dtype == ROOF_DT_BF16 && !roof_cpu_have_sbgemm()) {
            rc = roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "this OpenBLAS has no sbgemm");
            goto out;
        }
        if ((int)cases[i].dtype != filled) {
            fill(cases[i].dtype, buf.a, ea);
            fill(cases[i].dtype, buf.b, eb);
            filled = (int)cases[i].dtype;
        }
        double t = time_round(&cases[i], &buf, quick);
        if (t < cases[i].time_s)
            cases[i].time_s = t;
        if (progress)
            progress(ctx, j + 1, (size_t)rounds * n, &cases[i]);
    }
out:
    free(buf.a);
    free(buf.b);
    free(buf.c);
    return rc;
}
