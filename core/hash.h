/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A 64-bit mixing function for the fixed open-addressing caches
 * (model/ops_time.c's op-time memo, analysis/serve_cost.c's iteration
 * cache). */
#ifndef ROOF_CORE_HASH_H
#define ROOF_CORE_HASH_H

#include <stdint.h>

/* splitmix64's finalizer (Steele, Lea and Flood 2014, "Fast splittable
 * pseudorandom number generators", OOPSLA): every input bit moves every
 * output bit, so that the low bits index a power-of-two table. */
static inline uint64_t roof_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

#endif
