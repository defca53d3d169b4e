/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every fuzz harness shares. Each harness (fuzz/<name>.c) defines
 * libFuzzer's entry point, LLVMFuzzerTestOneInput, on one of llmroof's
 * inputs; the same file links either with libFuzzer (fuzz_<name>, the
 * LLMROOF_FUZZ build) or with fuzz/replay.c (fuzz_replay_<name>, every
 * build), which feeds it the corpus and the regression inputs under ctest.
 *
 * A harness owns nothing across calls except state it sets up once (a
 * built-in profile, the default deployment evaluated): everything it
 * allocates for one input is freed before it returns, because libFuzzer runs
 * with leak detection on. A harness aborts only on a broken invariant of
 * the library (an error without a message, two readers that disagree): the
 * fuzzer reports that as a crash with the input that caused it.
 */
#ifndef ROOF_FUZZ_HARNESS_H
#define ROOF_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data as a NUL-terminated string (the caller frees it); NULL when out of
 * memory. The readers under test take C strings: a NUL inside the input
 * ends the string there, as it would for text read from a file. */
static inline char *roof_fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        if (size)
            memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

/* Every failure the library reports must say what went wrong: an error
 * code with an empty message would reach users as "llmroof: :". */
static inline void roof_fuzz_check_error(int rc, const roof_error *err)
{
    if (rc != ROOF_OK && (err->code != rc || err->msg[0] == '\0'))
        abort();
}

#endif
