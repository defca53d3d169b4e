/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the Get_Time tests share: a GEMM's shape, and its time on a profile
 * (hw/gemm.c roof_gemm_time_of) that fails the test with the library's
 * error. Include it after cmocka.h. */
#ifndef ROOF_TESTS_GEMM_RUN_H
#define ROOF_TESTS_GEMM_RUN_H

#include <string.h>

#include "hw/gemm.h"
#include "hw/profile.h"

static inline roof_gemm shape(double batch, double m, double k, double n, roof_dtype dt)
{
    roof_gemm g = {batch, m, k, n, dt, 0, 0.0};
    return g;
}

static inline roof_gemm_time run_ok(const roof_hw *hw, const roof_gemm *g, int flags)
{
    roof_gemm_time t;
    roof_error err;
    memset(&t, 0, sizeof t);
    memset(&err, 0, sizeof err);
    int rc = roof_gemm_time_of(hw, g, flags, &t, &err);
    if (rc != ROOF_OK)
        fail_msg("gemm %gx%gx%gx%g: rc %d: %s", g->batch, g->m, g->k, g->n, rc, err.msg);
    return t;
}

#endif
