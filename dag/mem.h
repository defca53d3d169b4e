/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Memory for graphs of a million nodes. Page faults, not parsing, were a
 * third of reading one: arrays of 4 MB and more are aligned to 2 MB and
 * marked for transparent huge pages (madvise; a hint the kernel may
 * ignore), and node strings live in an arena of large blocks instead of a
 * million small allocations. Internal to dag/. */
#ifndef ROOF_DAG_MEM_H
#define ROOF_DAG_MEM_H

#include <stddef.h>

/* malloc, huge-page-friendly when large; free with free(). */
void *roof_big_alloc(size_t size);
/* Grows p (old bytes in use) to size: a new block and a copy. */
void *roof_big_grow(void *p, size_t old, size_t size);

/* An arena of strings, freed all at once. */
typedef struct roof_arena_block roof_arena_block;
char *roof_arena_strdup(roof_arena_block **arena, const char *s);
void roof_arena_free(roof_arena_block *arena);

#endif
