/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "validation/gpu_names.h"

#include <stddef.h>
#include <string.h>

/* By the start of the name, first match wins: GH200 and GB200 before
 * H200 and B200 (none of the latter is a prefix of the former, but the
 * order keeps that visible), H100 NVL and PCIe before H100, A100 PCIe
 * before A100, L40S before L40. NULL: no built-in profile (GH200: a Grace
 * Hopper superchip, whose 900 W part and LPDDR-backed memory no profile
 * models; H200 CTS: MLPerf's H200 with a custom thermal solution at a
 * 1000 W TGP (mlcommons/inference_results_v4.1, systems/
 * H200-SXM-141GB-CTSx8_TRT.json), not the h200 profile's 700 W part;
 * H200 NVL: the 600 W PCIe card (no profile);
 * A100 PCIe: no profile).
 * "H100 (SKU not stated)" (ml-engineering's SwiGLU runs) and "H100 (XLA
 * key sm_90; ...)" (XLA's table) are taken as H100 SXM, the part every
 * other H100 row names (the SwiGLU rows are judged by their ratio to
 * their run's reference row, corpus/README.md, so only the shapes'
 * relative times rest on that). */
static const struct {
    const char *prefix, *hw;
} gpus[] = {
    {"GH200", NULL},      {"GB200", "gb200"},       {"GB300", "gb300"},
    {"B300", "b300"},     {"B200", "b200"},         {"H200-SXM-141GB-CTS", NULL},
    {"H200-NVL", NULL},   {"H200 NVL", NULL},       {"H200", "h200"},
    {"H800", "h800"},     {"H100 NVL", "h100-nvl"}, {"H100 PCIe", "h100-pcie"},
    {"H100", "h100-sxm"}, {"A100 PCIe", NULL},      {"A100", "a100-sxm"},
    {"L40S", "l40s"},     {"L40", "l40"},           {"MI300X", "mi300x"},
    {"MI325X", "mi325x"}, {"MI355X", "mi355x"},     {"RTX PRO 6000", "rtx-pro-6000"},
};

const char *const roof_pub_cv_profiles[ROOF_CV_PROFILES] = {"a100-sxm", "h100-sxm", "h200",         "h800",
                                                            "b200",     "gb200",    "mi300x",       "h100-nvl",
                                                            "l40s",     "l40",      "rtx-pro-6000", "mi325x"};

int roof_pub_cv_profile(const char *name)
{
    for (int i = 0; i < ROOF_CV_PROFILES; i++)
        if (strcmp(roof_pub_cv_profiles[i], name) == 0)
            return 1;
    return 0;
}

const char *roof_pub_profile_of(const char *gpu)
{
    for (size_t i = 0; i < sizeof gpus / sizeof gpus[0]; i++)
        if (strncmp(gpu, gpus[i].prefix, strlen(gpus[i].prefix)) == 0)
            return gpus[i].hw;
    return NULL;
}
