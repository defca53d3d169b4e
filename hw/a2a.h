/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The low-latency all-to-all of expert-parallel dispatch and combine
 * (DeepEP's low-latency kernels; parallel.a2a = low_latency).
 *
 * Mechanism (deepseek-ai/DeepEP@de8cfca3cf86464c856f0e393f6a17359ff28c70,
 * README.md "Low-latency kernels"; the first release's table, "with pure
 * RDMA", @ebfe47e46fa86a5b41be96c326a92f62ed6721da): each GPU writes every
 * token's hidden state straight into the receive buffer of each of its
 * top-k experts' ranks, all peers at once (IBGDA RDMA to other nodes, NVLink
 * to peers in its node since PR #173), with no ring steps and no
 * deduplication per node. The time is then one fixed cost (kernel launch,
 * the signalling round) plus the bytes over the busier of the two paths:
 *
 *   t = L + max(n (g-1)/p / B_nvlink, n (p-g)/p / B_net)
 *
 * for n bytes sent by one GPU (tokens x top-k x hidden x dtype bytes, the
 * nccl-tests all-to-all size), p ranks, g of them in its node, B_nvlink =
 * hw.network.node.a2a_bandwidth (or node bandwidth x efficiency) and B_net
 * = cluster bandwidth x efficiency (one NIC per GPU). The data per GPU does
 * not grow with p, so the time levels off as p grows: (p-g)/p tends to 1.
 */
#ifndef ROOF_HW_A2A_H
#define ROOF_HW_A2A_H

#include <stdint.h>

#include "hw/hw.h"

typedef struct roof_a2a_time {
    double latency_s;  /* L: hw.network.node.a2a_latency */
    double transfer_s; /* the busier path */
    double local_s;    /* NVLink writes to the g-1 peers in the node */
    double remote_s;   /* network writes to the p-g peers elsewhere */
} roof_a2a_time;

/* Time of one low-latency dispatch or combine of n bytes per GPU over p
 * ranks spread evenly over nodes nodes (nodes >= 1, p >= 1). */
roof_a2a_time roof_a2a_low_latency(const roof_hw *hw, double n, int64_t p, int64_t nodes);

#endif
