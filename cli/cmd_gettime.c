/* SPDX-License-Identifier: GPL-3.0-or-later */
/* llmroof gettime M K N: the roofline time of one GEMM. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/parse_opts.h"
#include "core/number.h"
#include "hw/gemm.h"
#include "model/evaluate.h"
#include "model/ops.h"

typedef struct {
    const char *batch;
    const char *dtype;
    int ideal;
    int shared_b;
    int sustained;
} gettime_opts;

enum { OPT_BATCH = 1, OPT_DTYPE, OPT_IDEAL, OPT_SHARED_B, OPT_SUSTAINED };

static void help(void)
{
    printf("usage: llmroof gettime M K N [--batch B] [--dtype DTYPE] [--ideal] [--shared-b] [--sustained]\n"
           "                        [--hw NAME|FILE] [--set PATH=VALUE]... [--format table|csv|json]\n\n"
           "The time of C[M,N] = A[M,K] x B[K,N], repeated B times, on a hardware profile:\n"
           "  t = max(F / (P * eff_compute * utilization), bytes / (BW * eff_memory)) + overhead\n"
           "with F = 2*B*M*K*N, bytes = s*B*(M*K + K*N + M*N), utilization from tile and wave\n"
           "quantization. Dimensions accept SI suffixes (10M, 8Ki).\n\n"
           "  --batch B      independent GEMMs of the same shape (default 1)\n"
           "  --dtype D      fp64, fp32, tf32, bf16, fp16, fp8, int8, fp4, int4 or fp6 (default bf16)\n"
           "  --ideal        pure roofline: efficiencies 1, no overhead, no quantization\n"
           "  --shared-b     one B matrix shared by the batch (weights): read once\n"
           "  --sustained    as in a whole workload: at the power-limited clock, efficiencies times\n"
           "                 hw.efficiency.sustained (without it: one kernel's burst, as a benchmark\n"
           "                 times it; docs/model.md \"Burst and sustained clocks\")\n"
           "  --hw NAME|FILE hardware profile (default %s; see 'llmroof hw list')\n"
           "  --set P=V      override a parameter (see 'llmroof params')\n\n"
           "Examples:\n"
           "  llmroof gettime 10240000 8192 1024 --hw h100-sxm\n"
           "  llmroof gettime 64 8192 1280 --dtype fp8 --format json\n"
           "  llmroof gettime 4096 4096 4096 --ideal --set hw.memory.bandwidth=4.8T\n",
           ROOF_DEFAULT_HW);
}

static int own_opt(void *ctx, int opt, const char *arg)
{
    gettime_opts *o = ctx;
    switch (opt) {
    case OPT_BATCH:
        o->batch = arg;
        return 0;
    case OPT_DTYPE:
        o->dtype = arg;
        return 0;
    case OPT_IDEAL:
        o->ideal = 1;
        return 0;
    case OPT_SHARED_B:
        o->shared_b = 1;
        return 0;
    case OPT_SUSTAINED:
        o->sustained = 1;
        return 0;
    default:
        return roof_cli_usage_error("gettime", "unknown option");
    }
}

int roof_cmd_gettime(int argc, char **argv)
{
    static const struct option longopts[] = {{"batch", required_argument, NULL, OPT_BATCH},
                                             {"dtype", required_argument, NULL, OPT_DTYPE},
                                             {"ideal", no_argument, NULL, OPT_IDEAL},
                                             {"shared-b", no_argument, NULL, OPT_SHARED_B},
                                             {"sustained", no_argument, NULL, OPT_SUSTAINED},
                                             ROOF_COMMON_LONGOPTS,
                                             {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    gettime_opts o = {"1", "bf16", 0, 0, 0};
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    if (!posv)
        return ROOF_ERR_RUNTIME;
    int posc = 0;
    int rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, own_opt, &o, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc != 3) {
        rc = roof_cli_usage_error("gettime", "expected M K N (got %d argument%s)", posc, posc == 1 ? "" : "s");
        goto out;
    }

    roof_error err;
    int64_t dims[4];
    const char *names[] = {"M", "K", "N"};
    for (int i = 0; i < 3; i++) {
        if (roof_parse_count(posv[i], names[i], &dims[i], &err) != ROOF_OK) {
            snprintf(err.where, sizeof err.where, "gettime");
            rc = roof_cli_fail(&err);
            goto out;
        }
    }
    roof_dtype dt;
    if (roof_parse_count(o.batch, "--batch", &dims[3], &err) != ROOF_OK ||
        roof_dtype_parse(o.dtype, &dt, &err) != ROOF_OK || roof_cli_load_hw(&cli, &err) != ROOF_OK) {
        if (!err.where[0])
            snprintf(err.where, sizeof err.where, "gettime");
        rc = roof_cli_fail(&err);
        goto out;
    }

    roof_gemm g = {(double)dims[3], (double)dims[0], (double)dims[1], (double)dims[2], dt, o.shared_b, 0.0};
    /* --sustained: the profile a whole workload's ops are timed on
     * (model/ops_time.c roof_ops_hw). */
    if (o.sustained) {
        roof_hw derated;
        const roof_hw *w = roof_ops_hw(&cli.hw, &derated);
        if (w != &cli.hw)
            cli.hw = derated;
    }
    roof_gemm_time t;
    if (roof_gemm_time_of(&cli.hw, &g, o.ideal ? ROOF_GEMM_IDEAL : 0, &t, &err) != ROOF_OK) {
        snprintf(err.where, sizeof err.where, "gettime");
        rc = roof_cli_fail(&err);
        goto out;
    }
    /* An infinite or absurd time (a bandwidth of 1e-300 B/s) is an error
     * naming the parameter, as for every result of the model. */
    roof_op op = {.name = "gemm",
                  .kind = ROOF_OP_GEMM,
                  .gemm = g,
                  .count = 1.0,
                  .time_s = t.time_s,
                  .bound = t.bound == ROOF_BOUND_COMPUTE ? ROOF_OP_BOUND_COMPUTE : ROOF_OP_BOUND_MEMORY};
    if (roof_op_check(&cli.hw, dt, &op, "time_s", &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }

    char title[200];
    snprintf(title, sizeof title, "Get_Time(%s, %s, %s)%s%s on %s, %s%s%s", posv[0], posv[1], posv[2],
             dims[3] > 1 ? " x batch " : "", dims[3] > 1 ? o.batch : "", cli.hw.name, o.dtype,
             o.ideal ? ", ideal roofline" : "", o.sustained ? ", sustained clock" : "");
    roof_out *out = roof_out_new(cli.format, ROOF_OUT_RECORD, title);
    roof_out_str(out, "hw", cli.hw.name);
    roof_out_int(out, "m", dims[0]);
    roof_out_int(out, "k", dims[1]);
    roof_out_int(out, "n", dims[2]);
    roof_out_int(out, "batch", dims[3]);
    roof_out_str(out, "dtype", o.dtype);
    roof_out_bool(out, "ideal", o.ideal);
    roof_out_num(out, "flops", "FLOP", t.flops);
    roof_out_num(out, "bytes", "B", t.bytes);
    roof_out_num(out, "intensity", "FLOP/B", t.intensity);
    roof_out_num(out, "time_s", "s", t.time_s);
    roof_out_num(out, "compute_time_s", "s", t.compute_time_s);
    roof_out_num(out, "memory_time_s", "s", t.memory_time_s);
    roof_out_num(out, "overhead_s", "s", t.overhead_s);
    /* The parts that add to the roofline, where the profile has them
     * (hw/gemm.c): so that the printed times account for time_s. */
    if (!o.ideal && (cli.hw.gemm_epilogue > 0.0 || cli.hw.gemm_cache > 0.0)) {
        roof_gemm_cpu parts;
        roof_gemm_cpu_parts(&cli.hw, &g, &parts);
        roof_out_num(out, "epilogue_s", "s", parts.epilogue_s);
        roof_out_num(out, "dram_s", "s", parts.dram_s);
    }
    roof_out_num(out, "utilization", "", t.utilization);
    roof_out_num(out, "waves", "", t.waves);
    roof_out_num(out, "achieved_flops", "FLOP/s", t.flops / t.time_s);
    roof_out_str(out, "bound", roof_bound_name(t.bound));
    roof_out_bool(out, "sustained", o.sustained); /* last: csv readers by position keep their columns */
    rc = roof_cli_emit(&cli, out);
out:
    free(posv);
    return rc;
}
