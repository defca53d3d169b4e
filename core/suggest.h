/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Did you mean": the nearest of a list of names to what the user typed, by
 * edit distance, so that an unknown parameter or profile name gets a hint.
 */
#ifndef ROOF_CORE_SUGGEST_H
#define ROOF_CORE_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance between a and b (case-sensitive). */
size_t roof_edit_distance(const char *a, const char *b);

/* Returns the candidate nearest to word, or NULL when none is close enough to
 * be a plausible typo (distance more than a third of the longer name, and
 * more than 3). candidates is an array of n strings. */
const char *roof_suggest(const char *word, const char *const *candidates, size_t n);

#endif
