/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/suggest.h"

#include <stdlib.h>
#include <string.h>

size_t roof_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    /* Two rolling rows of the Wagner-Fischer table; names are short, so a
     * small fixed buffer covers them and longer input is clamped. */
    enum { MAXLEN = 127 };
    if (la > MAXLEN)
        la = MAXLEN;
    if (lb > MAXLEN)
        lb = MAXLEN;
    size_t prev[MAXLEN + 1], cur[MAXLEN + 1];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t best = sub < del ? sub : del;
            cur[j] = best < ins ? best : ins;
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

const char *roof_suggest(const char *word, const char *const *candidates, size_t n)
{
    /* A candidate that the word begins (a100 -> a100-sxm) is what a person
     * who typed the short name meant, whatever the edit distance says (a100
     * is 4 edits from a100-sxm and 3 from b200): the shortest such wins. */
    size_t lw = strlen(word);
    const char *prefixed = NULL;
    for (size_t i = 0; lw >= 2 && i < n; i++)
        if (strncmp(candidates[i], word, lw) == 0 && (!prefixed || strlen(candidates[i]) < strlen(prefixed)))
            prefixed = candidates[i];
    if (prefixed)
        return prefixed;
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = roof_edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    if (!best)
        return NULL;
    size_t la = strlen(word), lb = strlen(best);
    size_t longer = la > lb ? la : lb;
    if (best_d > 3 && best_d * 3 > longer)
        return NULL;
    return best;
}
