/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof validate: the model against measurements. `gemm` times this
 * host's OpenBLAS GEMMs, fits a host profile to some shapes and checks it on
 * the others beside the datasheet-style roofline; `published` compares the
 * model with the published measurements in validation/data. Both report;
 * with --max-mape a goal is made explicit and a miss exits 4. */
#include <cblas.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/parse_opts.h"
#include "cli/validate_comm.h"
#include "cli/validate_cv.h"
#include "cli/validate_load.h"
#include "cli/validate_errm.h"
#include "core/number.h"
#include "validation/cpu_gemm.h"
#include "validation/published.h"

#ifndef LLMROOF_SOURCE_DIR
#define LLMROOF_SOURCE_DIR "."
#endif

#define MAX_CPU_CASES 512

typedef struct {
    const char *what; /* gemm or published */
    int quick, fit, cv, calibration;
    const char *threads, *max_mape, *data, *write_errm;
} validate_opts;

enum { OPT_QUICK = 1, OPT_THREADS, OPT_MAX_MAPE, OPT_FIT, OPT_DATA, OPT_CV, OPT_WRITE_ERRM, OPT_CALIBRATION };

static void help(void)
{
    printf("usage: llmroof validate gemm [--quick] [--threads N] [-o PROFILE.cfg] [--max-mape PCT]\n"
           "       llmroof validate published [--fit] [--cv [--write-error-model FILE] [--calibration]]\n"
           "                                  [--data DIR] [--max-mape PCT] [--format table|csv|json]\n\n"
           "gemm: times OpenBLAS dgemm, sgemm (and sbgemm where the build has it) on this\n"
           "machine over square, skinny-k, tall-m, GEMV-like and odd shapes (fastest of\n"
           "repeats), with 1 thread and with every core unless --threads is given. It fits\n"
           "a host profile (peak per dtype, bandwidth, overhead, ridge, packing, epilogue,\n"
           "and the cache beyond which traffic goes to DRAM at the copy bandwidth measured\n"
           "on the same threads; the threaded fit keeps the 1-thread fit's kernel terms)\n"
           "to two thirds of the shapes by GSL nonlinear least squares and reports, on the\n"
           "third held out, predicted vs measured time beside the datasheet-style roofline\n"
           "(peaks from /proc/cpuinfo, measured copy bandwidth). -o writes the fitted profile\n"
           "(the one of the largest thread count) as a .cfg that --hw accepts; --quick keeps shapes\n"
           "under 2 GFLOP (under a minute on 2 cores). Progress goes to stderr on a terminal.\n\n"
           "published: predicts every published case in validation/data (GEMM rows on\n"
           "A100, H800 and the MAMF best shapes, the DGX H100 all-reduce sweep from 1 KiB,\n"
           "TensorRT-LLM A100 time to first token) and prints predicted vs measured with\n"
           "the error per case and the MAPE per group. --fit also runs the documented\n"
           "fits of the GPU profiles (docs/validation.md) and prints the fitted values.\n"
           "--cv cross-validates leave-one-source-out: for each source, every fit runs on\n"
           "the other sources' rows (a fit left without rows keeps its declared prior) and\n"
           "predicts that source's rows; it prints CV MAPE per group, GPU and source beside\n"
           "the in-sample MAPE (the same fits on every row), without and with the fp8\n"
           "efficiency, the worst cases, every case's held-out prediction and the fitted\n"
           "parameters. With --cv, --write-error-model FILE fits the error model of the\n"
           "error bars (per regime and GPU generation, the log of measured over predicted\n"
           "of the held-out rows; docs/accuracy.md) and writes it to FILE in the form of\n"
           "validation/data/error_model.csv; --calibration reports\n"
           "how often the stated 80%% interval covers the measurement, per regime and generation,\n"
           "with the error model refitted without each row's source; its csv is the reliability\n"
           "table that `llmroof plot calibration` draws.\n\n"
           "  --max-mape PCT  exit 4 when a group's MAPE (gemm: held-out, fitted) exceeds PCT\n\n"
           "Examples:\n"
           "  llmroof validate gemm --quick\n"
           "  llmroof validate gemm --threads 1 -o host.cfg && llmroof gettime 512 512 512 --hw host.cfg --dtype fp64\n"
           "  llmroof validate published --fit\n"
           "  llmroof validate published --cv --format csv\n"
           "  llmroof validate published --cv --write-error-model validation/data/error_model.csv\n"
           "  llmroof validate published --cv --calibration --format csv -o cal.csv\n");
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    validate_opts *o = ctx;
    switch (opt) {
    case OPT_QUICK:
        o->quick = 1;
        return 0;
    case OPT_FIT:
        o->fit = 1;
        return 0;
    case OPT_CV:
        o->cv = 1;
        return 0;
    case OPT_THREADS:
        o->threads = arg;
        return 0;
    case OPT_MAX_MAPE:
        o->max_mape = arg;
        return 0;
    case OPT_DATA:
        o->data = arg;
        return 0;
    case OPT_WRITE_ERRM:
        o->write_errm = arg;
        return 0;
    case OPT_CALIBRATION:
        o->calibration = 1;
        return 0;
    default:
        return roof_cli_usage_error("validate", "unknown option");
    }
}

static const char *routine(roof_dtype dt)
{
    return dt == ROOF_DT_FP64 ? "dgemm" : dt == ROOF_DT_FP32 ? "sgemm" : "sbgemm";
}

static void progress(void *ctx, size_t done, size_t total, const roof_cpu_case *c)
{
    (void)ctx;
    fprintf(stderr, "\rvalidate gemm: %zu/%zu %s %lldx%lldx%lld, %d thread%s   ", done, total, routine(c->dtype),
            (long long)c->m, (long long)c->k, (long long)c->n, c->threads, c->threads == 1 ? "" : "s");
    if (done == total)
        fprintf(stderr, "\n");
}

/* Held-out (check) or training (fit) errors of one thread count. */
static void summary_row(roof_out *out, int threads, int held_out, const roof_cpu_case *cases, size_t n,
                        const double *fitted, const double *sheet, double *mape_out)
{
    double pf[MAX_CPU_CASES], ps[MAX_CPU_CASES], m[MAX_CPU_CASES];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (cases[i].threads != threads || cases[i].held_out != held_out)
            continue;
        pf[k] = fitted[i];
        ps[k] = sheet[i];
        m[k++] = cases[i].time_s;
    }
    double mf, xf, ms, xs;
    roof_fit_errors(k, pf, m, &mf, &xf);
    roof_fit_errors(k, ps, m, &ms, &xs);
    roof_out_row(out);
    roof_out_int(out, "threads", threads);
    roof_out_str(out, "set", held_out ? "check" : "fit");
    roof_out_int(out, "cases", (int64_t)k);
    roof_out_num(out, "fitted_mape", "%", 100.0 * mf);
    roof_out_num(out, "fitted_max_err", "%", 100.0 * xf);
    roof_out_num(out, "datasheet_mape", "%", 100.0 * ms);
    roof_out_num(out, "datasheet_max_err", "%", 100.0 * xs);
    if (mape_out)
        *mape_out = mf;
}

static int run_gemm(roof_cli *cli, const validate_opts *o, double max_mape)
{
    int threads[2] = {1, openblas_get_num_procs()}, nthreads = threads[1] > 1 ? 2 : 1;
    roof_error err;
    if (o->threads) {
        int64_t t;
        if (roof_parse_count(o->threads, "--threads", &t, &err) != ROOF_OK || t > 1024)
            return roof_cli_usage_error("validate", "--threads must be a whole number in [1, 1024] (got '%s')",
                                        o->threads);
        threads[0] = (int)t;
        nthreads = 1;
    }
    roof_cpu_case *cases = calloc(MAX_CPU_CASES, sizeof *cases);
    double *fitted = calloc(MAX_CPU_CASES, sizeof *fitted), *sheet = calloc(MAX_CPU_CASES, sizeof *sheet);
    char *text = malloc(8192);
    roof_cpu_fit fits[2];
    roof_cpu_host host;
    roof_hw hw_fit[2], hw_sheet;
    size_t n = 0;
    int rc = ROOF_OK, missed = 0;
    if (!cases || !fitted || !sheet || !text) {
        rc = roof_error_set(&err, ROOF_ERR_RUNTIME, "validate", "out of memory");
        goto fail;
    }
    if ((rc = roof_cpu_host_info(&host, &err)) ||
        (rc = roof_cpu_cases(o->quick, threads, nthreads, cases, MAX_CPU_CASES, &n, &err)))
        goto fail;
    int show = !cli->quiet && isatty(STDERR_FILENO);
    /* The copy bandwidth on each thread count (the DRAM bandwidth of its
     * fit), before and after the GEMMs, the better kept: like each GEMM's
     * time, the fastest seen (other tenants of a shared machine's memory
     * come and go: 19 to 30 GB/s on one thread here within minutes). The
     * one-thread copy before them is the one roof_cpu_host_info measured. */
    double dram[2] = {0.0, 0.0};
    for (int t = 0; t < nthreads; t++)
        if (threads[t] == 1)
            dram[t] = host.copy_bandwidth;
        else if ((rc = roof_cpu_copy_bandwidth(threads[t], &dram[t], &err)))
            goto fail;
    if ((rc = roof_cpu_bench(cases, n, o->quick, show ? progress : NULL, NULL, &err)))
        goto fail;
    for (int t = 0; t < nthreads; t++) {
        double bw;
        if ((rc = roof_cpu_copy_bandwidth(threads[t], &bw, &err)))
            goto fail;
        dram[t] = bw > dram[t] ? bw : dram[t];
        if (threads[t] == 1)
            host.copy_bandwidth = dram[t];
    }
    roof_cpu_profile(&host, NULL, &hw_sheet);
    for (int t = 0; t < nthreads; t++) {
        /* A threaded fit builds on the one-thread fit where there is one
         * (validation/cpu_gemm.h): it keeps its kernel and cache terms. */
        const roof_cpu_fit *base = t > 0 && threads[0] == 1 ? &fits[0] : NULL;
        if ((rc = roof_cpu_fit_cases(cases, n, threads[t], dram[t], base, &fits[t], &err)))
            goto fail;
        roof_cpu_profile(&host, &fits[t], &hw_fit[t]);
    }
    roof_out *out = roof_out_new(cli->format, ROOF_OUT_ROWS, NULL);
    roof_out_section(out, "cases", ROOF_OUT_ROWS,
                     "OpenBLAS GEMMs on this host: measured, fitted Get_Time, datasheet roofline");
    roof_out_csv_here(out);
    for (size_t i = 0; i < n; i++) {
        int t = nthreads == 2 && cases[i].threads == threads[1];
        /* The datasheet roofline scales its peaks with the threads used. */
        roof_hw hs = hw_sheet;
        for (int d = 0; d < ROOF_DT_COUNT; d++)
            hs.compute[d] *= (double)cases[i].threads / (double)host.cores;
        if ((rc = roof_cpu_predict(&hw_fit[t], &cases[i], &fitted[i], &err)) ||
            (rc = roof_cpu_predict(&hs, &cases[i], &sheet[i], &err))) {
            roof_out_free(out);
            goto fail;
        }
        const roof_cpu_case *c = &cases[i];
        roof_out_row(out);
        roof_out_int(out, "threads", c->threads);
        roof_out_str(out, "routine", routine(c->dtype));
        roof_out_str(out, "kind", c->kind);
        roof_out_int(out, "m", c->m);
        roof_out_int(out, "k", c->k);
        roof_out_int(out, "n", c->n);
        roof_out_str(out, "set", c->held_out ? "check" : "fit");
        roof_out_num(out, "measured_s", "s", c->time_s);
        roof_out_num(out, "wall_s", "s", c->wall_s);
        roof_out_num(out, "achieved_flops", "FLOP/s", 2.0 * (double)c->m * (double)c->k * (double)c->n / c->time_s);
        roof_out_num(out, "fitted_s", "s", fitted[i]);
        roof_out_num(out, "fitted_err", "%", 100.0 * (fitted[i] - c->time_s) / c->time_s);
        roof_out_num(out, "datasheet_s", "s", sheet[i]);
        roof_out_num(out, "datasheet_err", "%", 100.0 * (sheet[i] - c->time_s) / c->time_s);
    }
    roof_out_section(out, "summary", ROOF_OUT_ROWS,
                     "Errors: fitted profile vs datasheet-style roofline (check = held out)");
    for (int t = 0; t < nthreads; t++) {
        double mape;
        summary_row(out, threads[t], 1, cases, n, fitted, sheet, &mape);
        summary_row(out, threads[t], 0, cases, n, fitted, sheet, NULL);
        if (max_mape > 0.0 && 100.0 * mape > max_mape)
            missed = 1;
    }
    roof_out_section(out, "fit", ROOF_OUT_ROWS, "Fitted host parameters (GSL nonlinear least squares, log residuals)");
    for (int t = 0; t < nthreads; t++) {
        roof_out_row(out);
        roof_out_int(out, "threads", threads[t]);
        roof_out_num(out, "fp64_flops", "FLOP/s", fits[t].peak[ROOF_DT_FP64]);
        roof_out_num(out, "fp32_flops", "FLOP/s", fits[t].peak[ROOF_DT_FP32]);
        roof_out_num(out, "bf16_flops", "FLOP/s", fits[t].peak[ROOF_DT_BF16]);
        roof_out_num(out, "bandwidth", "B/s", fits[t].bandwidth);
        roof_out_num(out, "overhead_s", "s", fits[t].overhead_s);
        roof_out_num(out, "ridge", "", fits[t].ridge);
        roof_out_num(out, "pack", "", fits[t].pack);
        roof_out_num(out, "epilogue", "", fits[t].epilogue);
        roof_out_num(out, "cache", "B", fits[t].cache);
        roof_out_num(out, "dram_bandwidth", "B/s", fits[t].dram_bandwidth);
        roof_out_num(out, "rms_log", "", fits[t].res.rms_log);
        roof_out_num(out, "datasheet_fp64_flops", "FLOP/s", host.peak_fp64 * threads[t] / host.cores);
        roof_out_num(out, "copy_bandwidth", "B/s", host.copy_bandwidth);
    }
    if ((rc = roof_out_write(out, NULL, &err)) != ROOF_OK) {
        roof_out_free(out);
        goto fail;
    }
    roof_out_free(out);
    if (cli->output) {
        int t = nthreads - 1;
        if ((rc = roof_cpu_profile_text(&host, &fits[t], &hw_fit[t], text, 8192, &err)) ||
            (rc = roof_out_write_text(text, cli->output, &err)))
            goto fail;
    }
    free(cases), free(fitted), free(sheet), free(text);
    if (missed) {
        fprintf(stderr, "llmroof: validate: held-out MAPE of the fitted profile exceeds --max-mape %g%%\n", max_mape);
        return ROOF_ERR_CHECK;
    }
    return 0;
fail:
    free(cases), free(fitted), free(sheet), free(text);
    return roof_cli_fail(&err);
}

static int run_published(roof_cli *cli, const validate_opts *o, double max_mape)
{
    char data[1024], configs[1100];
    snprintf(data, sizeof data, "%s", o->data ? o->data : LLMROOF_SOURCE_DIR "/validation/data");
    snprintf(configs, sizeof configs, "%s/../configs", data);
    roof_pub_case *cases = NULL;
    size_t n = 0;
    roof_error err;
    roof_pub_skips skips;
    int rc = roof_pub_load(data, configs, &cases, &n, &skips, &err);
    if (rc == ROOF_OK)
        rc = roof_pub_predict(cases, n, NULL, &err);
    if (rc != ROOF_OK) {
        roof_pub_free(cases);
        return roof_cli_fail(&err);
    }
    roof_out *out = roof_out_new(cli->format, ROOF_OUT_ROWS, NULL);
    roof_out_section(out, "cases", ROOF_OUT_ROWS, "Published measurements: predicted vs measured");
    roof_out_csv_here(out);
    for (size_t i = 0; i < n; i++) {
        const roof_pub_case *c = &cases[i];
        roof_out_row(out);
        roof_out_str(out, "group", c->group);
        roof_out_str(out, "case", c->id);
        roof_out_str(out, "what", c->what);
        roof_out_str(out, "hw", c->hw);
        roof_out_str(out, "set", c->fit ? "fit" : "check");
        roof_out_num(out, "measured_s", "s", c->measured_s);
        roof_out_num(out, "predicted_s", "s", c->predicted_s);
        roof_out_num(out, "error", "%", 100.0 * (c->predicted_s - c->measured_s) / c->measured_s);
        roof_out_str(out, "source", c->source);
    }
    roof_out_section(out, "skipped", ROOF_OUT_ROWS, "corpus rows left out, by reason");
    for (size_t i = 0; i < skips.n; i++) {
        roof_out_row(out);
        roof_out_str(out, "reason", skips.reason[i]);
        roof_out_int(out, "rows", (int64_t)skips.rows[i]);
    }
    roof_out_section(out, "summary", ROOF_OUT_ROWS, "MAPE per group");
    char missed[32] = "";
    double missed_mape = 0.0;
    for (size_t i = 0; i < n; i++) {
        int first = 1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(cases[j].group, cases[i].group) == 0)
                first = 0;
        if (!first)
            continue;
        double p[256], m[256];
        size_t k = 0, nfit = 0;
        for (size_t j = i; j < n && k < 256; j++)
            if (strcmp(cases[j].group, cases[i].group) == 0) {
                p[k] = cases[j].predicted_s;
                m[k++] = cases[j].measured_s;
                nfit += (size_t)cases[j].fit;
            }
        double mape, maxe;
        roof_fit_errors(k, p, m, &mape, &maxe);
        roof_out_row(out);
        roof_out_str(out, "group", cases[i].group);
        roof_out_int(out, "cases", (int64_t)k);
        roof_out_int(out, "fit_rows", (int64_t)nfit);
        roof_out_num(out, "mape", "%", 100.0 * mape);
        roof_out_num(out, "max_err", "%", 100.0 * maxe);
        if (max_mape > 0.0 && 100.0 * mape > max_mape && !missed[0]) {
            snprintf(missed, sizeof missed, "%s", cases[i].group);
            missed_mape = 100.0 * mape;
        }
    }
    if (o->fit) {
        roof_out_section(out, "fits", ROOF_OUT_ROWS, "Fits of the profiles to the fit rows (log residuals)");
        for (size_t f = 0; f < roof_pub_fit_count(); f++) {
            roof_pub_fit fit;
            if ((rc = roof_pub_fit_run(f, cases, n, &fit, &err)) != ROOF_OK) {
                roof_out_free(out);
                roof_pub_free(cases);
                return roof_cli_fail(&err);
            }
            for (size_t j = 0; j < fit.nparams; j++) {
                roof_out_row(out);
                roof_out_str(out, "group", fit.group);
                roof_out_str(out, "hw", fit.hw);
                roof_out_str(out, "param", fit.paths[j]);
                roof_out_num(out, "profile", "", fit.before[j]);
                roof_out_num(out, "fitted", "", fit.after[j]);
                roof_out_int(out, "fit_rows", (int64_t)fit.nfit);
                roof_out_int(out, "check_rows", (int64_t)fit.ncheck);
                roof_out_num(out, "check_mape_profile", "%", 100.0 * fit.check_mape_before);
                roof_out_num(out, "check_mape_fitted", "%", 100.0 * fit.check_mape_after);
                roof_out_num(out, "fit_mape_fitted", "%", 100.0 * fit.fit_mape_after);
            }
        }
    }
    if (o->cv && ((rc = roof_validate_cv_sections(out, cases, n, &err)) != ROOF_OK ||
                  (rc = roof_validate_comm_sections(out, data, &err)) != ROOF_OK ||
                  ((o->write_errm || o->calibration) &&
                   (rc = roof_validate_errm(out, cases, n, data, o->write_errm, o->calibration, &err)) != ROOF_OK))) {
        roof_out_free(out);
        roof_pub_free(cases);
        return roof_cli_fail(&err);
    }
    roof_pub_free(cases);
    rc = roof_cli_emit(cli, out);
    if (rc == 0 && missed[0]) {
        fprintf(stderr, "llmroof: validate: group '%s' MAPE %.1f%% exceeds --max-mape %g%%\n", missed, missed_mape,
                max_mape);
        return ROOF_ERR_CHECK;
    }
    return rc;
}

int roof_cmd_validate(int argc, char **argv)
{
    static const struct option longopts[] = {{"quick", no_argument, NULL, OPT_QUICK},
                                             {"threads", required_argument, NULL, OPT_THREADS},
                                             {"max-mape", required_argument, NULL, OPT_MAX_MAPE},
                                             {"fit", no_argument, NULL, OPT_FIT},
                                             {"cv", no_argument, NULL, OPT_CV},
                                             {"data", required_argument, NULL, OPT_DATA},
                                             {"write-error-model", required_argument, NULL, OPT_WRITE_ERRM},
                                             {"calibration", no_argument, NULL, OPT_CALIBRATION},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    validate_opts o = {0};
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    if (!posv)
        return ROOF_ERR_RUNTIME;
    int posc = 0;
    int rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        free(posv);
        return roof_parse_exit_code(rc);
    }
    const char *what = posc > 0 ? posv[0] : NULL;
    free(posv);
    if (posc == 0)
        return roof_cli_usage_error("validate", "expected 'gemm' or 'published'");
    if (posc > 1)
        return roof_cli_usage_error("validate", "expected one of 'gemm' or 'published' (got %d arguments)", posc);
    if (strcmp(what, "gemm") != 0 && strcmp(what, "published") != 0)
        return roof_cli_usage_error("validate", "unknown validation '%s' (expected gemm or published)", what);
    /* Each published case names its own profile and settings, and the
     * host fit measures this machine: a --hw or --set would be ignored,
     * so it is refused rather than silently dropped. */
    if (cli.hw_explicit || cli.nsets > 0)
        return roof_cli_usage_error("validate",
                                    "--%s has no effect here: every published case names its profile (edit it "
                                    "under hw/profiles or pass --data DIR), and 'gemm' measures this host",
                                    cli.nsets > 0 ? "set" : "hw");
    double max_mape = 0.0;
    roof_error err;
    if (o.max_mape && (roof_parse_double(o.max_mape, &max_mape, &err) != ROOF_OK || !(max_mape > 0.0)))
        return roof_cli_usage_error("validate", "--max-mape must be a positive percentage (got '%s')", o.max_mape);
    if (strcmp(what, "gemm") == 0) {
        if (o.fit || o.data || o.cv)
            return roof_cli_usage_error("validate", "--%s applies to 'validate published' only",
                                        o.fit  ? "fit"
                                        : o.cv ? "cv"
                                               : "data");
        return run_gemm(&cli, &o, max_mape);
    }
    if ((o.write_errm || o.calibration) && !o.cv)
        return roof_cli_usage_error("validate", "--%s needs --cv (the error model is fitted to its residuals)",
                                    o.write_errm ? "write-error-model" : "calibration");
    if (o.quick || o.threads)
        return roof_cli_usage_error("validate", "--%s applies to 'validate gemm' only", o.quick ? "quick" : "threads");
    return run_published(&cli, &o, max_mape);
}
