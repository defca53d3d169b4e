/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hw/a2a.h"

roof_a2a_time roof_a2a_low_latency(const roof_hw *hw, double n, int64_t p, int64_t nodes)
{
    roof_a2a_time t = {0};
    if (p < 2 || !(n > 0.0))
        return t;
    double dp = (double)p, g = (double)p / (double)(nodes > 0 ? nodes : 1);
    double b_nvl = hw->node.a2a_bandwidth > 0.0 ? hw->node.a2a_bandwidth : hw->node.bandwidth * hw->node.efficiency;
    double b_net = hw->cluster.bandwidth * hw->cluster.efficiency;
    t.latency_s = hw->node.a2a_latency;
    t.local_s = n * (g - 1.0) / dp / b_nvl;
    t.remote_s = n * (dp - g) / dp / b_net;
    t.transfer_s = t.local_s > t.remote_s ? t.local_s : t.remote_s;
    return t;
}
