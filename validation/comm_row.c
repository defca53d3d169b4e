/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A corpus row's hardware as the row ran it: what the corpus loader
 * (comm_corpus.c) and the latency-factor fit (comm_scale.c) both predict
 * with, apart so that neither calls the other for it. */
#include "validation/comm_corpus.h"

void roof_comm_row_hw(const roof_comm_row *r, const roof_hw *base, roof_hw *out)
{
    *out = *base;
    if (r->nvls_off) /* NCCL_NVLS_ENABLE=0 */
        out->node.nvls = 0, out->node.nvls_channels = 0;
    out->cluster.sharp = r->sharp; /* NCCL_COLLNET_ENABLE=1 on a SHARP fabric */
}
