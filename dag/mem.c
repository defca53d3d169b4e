/* SPDX-License-Identifier: GPL-3.0-or-later */
/* madvise and MADV_HUGEPAGE are not POSIX. */
#define _DEFAULT_SOURCE
#include "dag/mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

void *roof_big_alloc(size_t size)
{
    if (size < 2 * HUGE_PAGE)
        return malloc(size ? size : 1);
    size_t rounded = (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE, rounded) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

void *roof_big_grow(void *p, size_t old, size_t size)
{
    void *q = roof_big_alloc(size);
    if (!q)
        return NULL;
    if (p && old)
        memcpy(q, p, old < size ? old : size);
    free(p);
    return q;
}

struct roof_arena_block {
    roof_arena_block *next;
    size_t used, cap;
    char data[];
};

char *roof_arena_strdup(roof_arena_block **arena, const char *s)
{
    size_t n = strlen(s) + 1;
    roof_arena_block *b = *arena;
    if (!b || b->cap - b->used < n) {
        /* Blocks double from 64 KB up to 8 MB: a big graph soon gets
         * huge-page blocks, and a graph of three nodes does not take 8 MB
         * (which held the DOT fuzzer to 18 inputs a second under ASan). */
        size_t cap = b ? 2 * b->cap : ((size_t)64 << 10) - sizeof *b;
        if (cap > HUGE_PAGE * 4 - sizeof *b)
            cap = HUGE_PAGE * 4 - sizeof *b;
        if (cap < n)
            cap = n;
        roof_arena_block *nb = roof_big_alloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        *arena = b = nb;
    }
    char *d = b->data + b->used;
    memcpy(d, s, n);
    b->used += n;
    return d;
}

void roof_arena_free(roof_arena_block *arena)
{
    while (arena) {
        roof_arena_block *next = arena->next;
        free(arena);
        arena = next;
    }
}
