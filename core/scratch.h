/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Large zeroed scratch (a search's caches and op lists), mapped with its
 * pages made up front. Why: memory from the kernel is made a page at a
 * time on first touch, and each such fault costs a search as much as
 * several of its configurations. On the virtual machine this project is
 * built on, touching 170 KiB of new memory a page at a time took 410-480
 * us, mapping it with MAP_POPULATE (mmap(2): the kernel makes every page
 * in one call) 23-37 us (2026-12-07, three runs each).
 *
 * roof_scratch_new returns zeroed memory of size bytes, NULL when out of
 * memory; roof_scratch_free gives it back, with the same size. Sizes of
 * ROOF_SCRATCH_MAP bytes and more are mapped where the system has
 * MAP_POPULATE; others, and every size elsewhere, come from calloc. */
#ifndef ROOF_CORE_SCRATCH_H
#define ROOF_CORE_SCRATCH_H

#include <stddef.h>

#define ROOF_SCRATCH_MAP ((size_t)64 * 1024)

void *roof_scratch_new(size_t size);
void roof_scratch_free(void *p, size_t size);

#endif
