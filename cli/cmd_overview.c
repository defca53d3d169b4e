/* llmroof with no command: a useful first answer on the default profile.
 * It shows where the profile's roofs meet (the ridge intensity per dtype)
 * and the GEMMs of one Llama-3-70B layer on one rank of 8-way tensor
 * parallelism, at prefill (2048 tokens) and decode (64 sequences), with the
 * all-reduce each needs. Once the inference model lands, the default run
 * becomes a full estimate of that deployment. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/parse_opts.h"
#include "hw/collective.h"
#include "hw/gemm.h"

static void help(void)
{
    printf("usage: llmroof [overview] [--hw NAME|FILE] [--set PATH=VALUE]... [--format table|csv|json]\n\n"
           "The default run: for the --hw profile (default %s), the ridge intensity of\n"
           "each dtype, then the Get_Time of the GEMMs of one Llama-3-70B layer on one\n"
           "of 8 tensor-parallel ranks (Megatron column/row split), at prefill (2048\n"
           "tokens) and at decode (64 tokens), and the all-reduce of the layer's output.\n\n"
           "Examples:\n"
           "  llmroof\n"
           "  llmroof --hw b200\n",
           ROOF_DEFAULT_HW);
}

/* Llama-3-70B (Meta, "The Llama 3 Herd of Models", 2024, Table 3): hidden
 * 8192, 64 heads of 128, 8 KV heads, SwiGLU FFN 28672. Per rank of TP=8
 * (Shoeybi et al. 2019, Megatron-LM Sec. 3): Q,K,V column-parallel
 * (n = (64 + 2*8) * 128 / 8 = 1280), O row-parallel (k = 8192 / 8), gate and
 * up column-parallel (n = 2 * 28672 / 8), down row-parallel (k = 28672 / 8). */
static const struct {
    const char *op;
    double k, n;
} layer[] = {
    {"qkv_proj", 8192, 1280},
    {"o_proj", 1024, 8192},
    {"gate_up_proj", 8192, 7168},
    {"down_proj", 3584, 8192},
};

int roof_cmd_overview(int argc, char **argv)
{
    static const struct option longopts[] = {ROOF_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    roof_cli cli;
    roof_cli_init(&cli);
    char *argv0[] = {"overview", NULL};
    if (argc < 1) {
        argc = 1;
        argv = argv0;
    }
    char **posv = calloc((size_t)argc + 1, sizeof *posv);
    if (!posv)
        return ROOF_ERR_RUNTIME;
    int posc = 0;
    int rc = roof_parse_opts(argc, argv, ROOF_COMMON_SHORTOPTS, longopts, &cli, NULL, NULL, help, &posc, posv);
    if (rc != ROOF_PARSE_OK) {
        rc = roof_parse_exit_code(rc);
        goto out;
    }
    if (posc != 0) {
        rc = roof_cli_usage_error("overview", "takes no arguments");
        goto out;
    }
    roof_error err;
    if (roof_cli_load_hw(&cli, &err) != ROOF_OK) {
        rc = roof_cli_fail(&err);
        goto out;
    }
    const roof_hw *hw = &cli.hw;
    char title[640];
    snprintf(title, sizeof title,
             "llmroof %s on %s (%s)\nOne Llama-3-70B layer on one rank of TP=8, bf16; ridge = %.0f FLOP/B "
             "(achievable bf16 FLOP/s over achievable bandwidth)",
             ROOF_VERSION, hw->name, hw->description,
             hw->compute[ROOF_DT_BF16] * hw->eff_compute / (hw->mem_bandwidth * hw->eff_memory));
    roof_out *out = roof_out_new(cli.format, ROOF_OUT_ROWS, title);
    const struct {
        const char *phase;
        double tokens;
    } phases[] = {{"prefill", 2048}, {"decode", 64}};
    for (size_t p = 0; p < 2; p++) {
        double total = 0.0;
        for (size_t i = 0; i < sizeof layer / sizeof layer[0]; i++) {
            roof_gemm g = {1, phases[p].tokens, layer[i].k, layer[i].n, ROOF_DT_BF16, 1};
            roof_gemm_time t;
            if (roof_gemm_time_of(hw, &g, 0, &t, &err) != ROOF_OK) {
                roof_out_free(out);
                rc = roof_cli_fail(&err);
                goto out;
            }
            total += t.time_s;
            roof_out_row(out);
            roof_out_str(out, "phase", phases[p].phase);
            roof_out_str(out, "op", layer[i].op);
            roof_out_int(out, "m", (int64_t)g.m);
            roof_out_int(out, "k", (int64_t)g.k);
            roof_out_int(out, "n", (int64_t)g.n);
            roof_out_num(out, "flops", "FLOP", t.flops);
            roof_out_num(out, "intensity", "FLOP/B", t.intensity);
            roof_out_num(out, "time_s", "s", t.time_s);
            roof_out_str(out, "bound", roof_bound_name(t.bound));
        }
        /* Two all-reduces per layer (after attention and after the MLP) of
         * tokens x hidden bf16 values each (Megatron-LM Sec. 3). */
        roof_comm c = {ROOF_COLL_ALL_REDUCE, phases[p].tokens * 8192 * 2, 8, 1, ROOF_ALGO_AUTO};
        roof_comm_time ct;
        if (roof_comm_time_of(hw, &c, &ct, &err) != ROOF_OK) {
            roof_out_free(out);
            rc = roof_cli_fail(&err);
            goto out;
        }
        total += 2.0 * ct.time_s;
        roof_out_row(out);
        roof_out_str(out, "phase", phases[p].phase);
        roof_out_str(out, "op", "2 x all_reduce");
        roof_out_num(out, "time_s", "s", 2.0 * ct.time_s);
        roof_out_str(out, "bound", "network");
        roof_out_row(out);
        roof_out_str(out, "phase", phases[p].phase);
        roof_out_str(out, "op", "sum (no attention core)");
        roof_out_num(out, "time_s", "s", total);
    }
    rc = roof_cli_emit(&cli, out);
out:
    free(posv);
    return rc;
}
