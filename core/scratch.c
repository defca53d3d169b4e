/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS and MAP_POPULATE (mmap(2)) */
#include "core/scratch.h"

#include <stdlib.h>
#include <sys/mman.h>

/* Whether large sizes are mapped. AddressSanitizer checks the bounds of
 * heap blocks, not of mappings: its builds (scripts/test.sh's sanitized
 * pass) take calloc throughout. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCRATCH_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SCRATCH_ASAN 1
#endif
#if defined(MAP_POPULATE) && defined(MAP_ANONYMOUS) && !defined(SCRATCH_ASAN)
#define SCRATCH_MAPS 1
#else
#define SCRATCH_MAPS 0
#endif

void *roof_scratch_new(size_t size)
{
#if SCRATCH_MAPS
    if (size >= ROOF_SCRATCH_MAP) {
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        return p == MAP_FAILED ? NULL : p; /* anonymous pages are zero */
    }
#endif
    return calloc(1, size);
}

void roof_scratch_free(void *p, size_t size)
{
    (void)size;
    if (!p)
        return;
#if SCRATCH_MAPS
    if (size >= ROOF_SCRATCH_MAP) {
        munmap(p, size);
        return;
    }
#endif
    free(p);
}
