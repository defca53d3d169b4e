/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The synthetic profile of the hand-worked GEMM and collective tests:
 * high-entropy numbers, so that a missing factor cannot hide (values
 * worked out with python3 as a calculator in each test). */
#ifndef ROOF_TESTS_SYNTHETIC_HW_H
#define ROOF_TESTS_SYNTHETIC_HW_H

#include <string.h>

#include "hw/profile.h"

static inline roof_hw synthetic(void)
{
    roof_hw hw;
    memset(&hw, 0, sizeof hw);
    strcpy(hw.name, "synthetic");
    hw.compute[ROOF_DT_BF16] = 723.9e12;
    hw.compute[ROOF_DT_FP32] = 61.7e12;
    hw.mem_bandwidth = 2.385e12;
    hw.mem_capacity = 79.3e9;
    hw.eff_compute = 0.7;
    hw.eff_memory = 0.83;
    hw.tile_m = 128;
    hw.tile_n = 256;
    hw.units = 132;
    hw.kernel_overhead = 4.7e-6;
    hw.node.size = 8;
    hw.node.bandwidth = 123e9;
    hw.node.latency = 1.7e-6;
    hw.node.efficiency = 0.9;
    hw.node.nvls = 0;
    hw.node.nvls_efficiency = 0.61;
    hw.node.nvls_latency = 147e-6;
    hw.cluster.size = 16;
    hw.cluster.bandwidth = 47.3e9;
    hw.cluster.latency = 6.1e-6;
    hw.cluster.efficiency = 0.83;
    return hw;
}

#endif
