/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A corpus loader of validation/ run on a test's text: written to a
 * temporary file (tmp_text.h), loaded into cases, removed. */
#ifndef ROOF_TESTS_PUB_LOAD_H
#define ROOF_TESTS_PUB_LOAD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmp_text.h"
#include "validation/published.h"
#include "validation/published_rows.h"

/* roof_pub_load_corpus_gemm, roof_pub_load_corpus_attention, ... */
typedef int (*pub_loader)(const char *path, roof_pub_case *cases, size_t *n, roof_pub_skips *sk, roof_error *err);

/* text loaded by f into cases; path[size]: the file's name, for the
 * errors' locations. */
static inline int pub_load(pub_loader f, const char *text, roof_pub_case *cases, size_t *n, roof_pub_skips *sk,
                           roof_error *err, char *path, size_t size)
{
    tmp_text("pubcsv", text, path, size);
    *n = 0;
    memset(sk, 0, sizeof *sk);
    memset(err, 0, sizeof *err);
    int rc = f(path, cases, n, sk, err);
    unlink(path);
    return rc;
}

/* text loaded by f into a new array of cases (the caller frees it); a
 * load that fails fails the test with its error. */
static inline roof_pub_case *pub_loaded(pub_loader f, const char *text, size_t *n, roof_pub_skips *sk)
{
    roof_pub_case *cases = calloc(ROOF_PUB_MAX_CASES, sizeof *cases);
    assert_non_null(cases);
    roof_error err;
    char path[600];
    if (pub_load(f, text, cases, n, sk, &err, path, sizeof path) != ROOF_OK)
        fail_msg("%s: %s", err.where, err.msg);
    return cases;
}

/* text refused by f as bad input: the error names the temporary file
 * followed by where_line (":LINE" or ""), with message msg. */
static inline void pub_load_fails(pub_loader f, const char *text, const char *where_line, const char *msg)
{
    roof_pub_case *cases = calloc(ROOF_PUB_MAX_CASES, sizeof *cases);
    assert_non_null(cases);
    size_t n;
    roof_pub_skips sk;
    roof_error err;
    char path[600];
    assert_int_equal(pub_load(f, text, cases, &n, &sk, &err, path, sizeof path), ROOF_ERR_INPUT);
    char want[700];
    snprintf(want, sizeof want, "%s%s", path, where_line);
    assert_string_equal(err.where, want);
    assert_string_equal(err.msg, msg);
    free(cases);
}

#endif
